//! `cargo xtask check-policies`: every finding in the policy data, and the coverage matrix;
//! with `--lang zh`, in Chinese.

use std::fs;
use std::time::Instant;

use yibao::core::Lang;
use yibao::policy::{PolicyFiles, SourceTexts, check};

use crate::flags::CheckPoliciesArgs;

pub(crate) fn run(args: &CheckPoliciesArgs) -> Result<(), String> {
    let started = Instant::now();
    let lang = args.lang;
    let files = PolicyFiles::from_dir(&args.policy_dir).map_err(|e| match lang {
        Lang::En => e.to_string(),
        Lang::Zh => e.zh(),
    })?;
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
    print!("{}", report.coverage_shown(lang));
    println!();
    print!("{}", report.diagnostics_shown(lang));
    let milliseconds = started.elapsed().as_secs_f64() * 1000.0;
    let (files_read, errors) = (report.files_read, report.error_count());
    match lang {
        Lang::En => {
            let quotes = if sources.is_some() {
                ", quotes verified against the sources"
            } else {
                ""
            };
            println!("{files_read} files checked in {milliseconds:.1} ms{quotes}");
        }
        Lang::Zh => {
            let quotes = if sources.is_some() {
                "，原文已逐条与来源核对"
            } else {
                ""
            };
            println!("已检查 {files_read} 个文件，用时 {milliseconds:.1} 毫秒{quotes}");
        }
    }
    match (errors, lang) {
        (0, _) => Ok(()),
        (_, Lang::En) => Err(format!("{errors} error(s) in the policy data")),
        (_, Lang::Zh) => Err(format!("政策资料有 {errors} 处错误")),
    }
}
