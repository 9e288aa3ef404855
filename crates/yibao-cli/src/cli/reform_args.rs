//! `--reform FILE` and `--set path=value`, shared by `settle`, `batch` and `policies diff`:
//! a reform of the book of a jurisdiction-year, made and checked by the library
//! ([`yibao::policy::Reform`]).

use std::path::PathBuf;

use yibao::core::PolicyYear;
use yibao::policy::{PolicyLibrary, Reform, ReformError};

use super::Failure;

/// The reform flags.
#[derive(Clone, Debug, Default, clap::Args)]
pub(crate) struct ReformArgs {
    /// A reform: a partial policy file (the shape of the files of policy-data/, every key
    /// optional) merged over the book, checked as a policy file is; settled beside the
    /// baseline.
    #[arg(long, value_name = "FILE")]
    reform: Option<PathBuf>,
    /// Change one value of the book, after --reform (repeatable): the dotted key path of the
    /// policy files and the value as they write it, e.g.
    /// `--set benefits.inpatient.ratio.by_level.level_3=70%`.
    #[arg(long = "set", value_name = "PATH=VALUE")]
    set: Vec<String>,
}

impl ReformArgs {
    /// The reform, or `None` when no flag is given.
    pub(crate) fn reform(&self) -> Result<Option<Reform>, Failure> {
        if self.reform.is_none() && self.set.is_empty() {
            return Ok(None);
        }
        let mut reform = match &self.reform {
            Some(path) => {
                let shown = path.display().to_string();
                let bytes = std::fs::read(path).map_err(|e| Failure::unreadable(&shown, &e))?;
                let text = yibao::core::read_text(&bytes).map_err(|e| {
                    let at = format!("{shown}:{}:{}", e.line, e.column);
                    Failure::refused(format!("{at}: {e}"), format!("{at}：{}", e.zh()))
                })?;
                Reform::from_file(shown, text).map_err(refused)?
            }
            None => Reform::default(),
        };
        for setting in &self.set {
            reform.set(setting).map_err(refused)?;
        }
        Ok(Some(reform))
    }

    /// The library with the book of `jurisdiction` and `year` reformed, or `None` when no
    /// flag is given.
    pub(crate) fn reformed(
        &self,
        library: &PolicyLibrary,
        jurisdiction: &str,
        year: PolicyYear,
    ) -> Result<Option<(Reform, PolicyLibrary)>, Failure> {
        let Some(reform) = self.reform()? else {
            return Ok(None);
        };
        let reformed = library
            .reformed(jurisdiction, year, &reform)
            .map_err(refused)?;
        Ok(Some((reform, reformed)))
    }
}

fn refused(error: ReformError) -> Failure {
    Failure::of(&error)
}
