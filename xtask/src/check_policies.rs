//! `cargo xtask check-policies`: every finding in the policy data, and the coverage matrix.

use std::fs;
use std::time::Instant;

use yibao::policy::{PolicyFiles, SourceTexts, check};

use crate::flags::CheckPoliciesArgs;

pub(crate) fn run(args: &CheckPoliciesArgs) -> Result<(), String> {
    let started = Instant::now();
    let files = PolicyFiles::from_dir(&args.policy_dir).map_err(|e| e.to_string())?;
    let sources = match &args.sources {
        None => None,
        Some(dir) => {
            let mut texts = SourceTexts::new(dir.display().to_string());
            let entries =
                fs::read_dir(dir).map_err(|e| format!("cannot read {}: {e}", dir.display()))?;
            for entry in entries {
                let path = entry.map_err(|e| e.to_string())?.path();
                if path.is_file() {
                    let bytes = fs::read(&path)
                        .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
                    let text = yibao::core::read_text(&bytes)
                        .map_err(|e| {
                            let hint = e.hint().map(|h| format!("; hint: {h}")).unwrap_or_default();
                            format!("{}:{}:{}: {e}{hint}", path.display(), e.line, e.column)
                        })?
                        .to_owned();
                    let name = path
                        .file_name()
                        .map(|n| n.to_string_lossy().into_owned())
                        .unwrap_or_default();
                    texts.insert(name, text);
                }
            }
            Some(texts)
        }
    };
    let report = check(&files, sources.as_ref());
    print!("{}", report.coverage_text());
    println!();
    print!("{}", report.diagnostics_text());
    let quotes = if sources.is_some() {
        ", quotes verified against the sources"
    } else {
        ""
    };
    println!(
        "{} files checked in {:.1} ms{quotes}",
        report.files_read,
        started.elapsed().as_secs_f64() * 1000.0
    );
    if report.error_count() > 0 {
        Err(format!(
            "{} error(s) in the policy data",
            report.error_count()
        ))
    } else {
        Ok(())
    }
}
