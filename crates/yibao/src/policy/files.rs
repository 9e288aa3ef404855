//! The set of policy-data files the loader reads: the embedded copy or a directory.

use std::collections::BTreeMap;
use std::fs;
use std::path::Path;

mod embedded {
    include!(concat!(env!("OUT_DIR"), "/embedded_policy.rs"));
}

/// Why a policy directory could not be read.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum FilesError {
    /// Occurs when a file or directory cannot be read.
    #[error("cannot read {path}: {source}")]
    Io {
        /// The path.
        path: String,
        /// The cause.
        source: std::io::Error,
    },
    /// Occurs when a file is not UTF-8 text (or holds a NUL byte): where its first bad byte
    /// is, and whether it looks like UTF-16.
    #[error("{path}:{}:{}: {error}{}", .error.line, .error.column, hint_suffix(.error))]
    NotText {
        /// The path.
        path: String,
        /// The first bad byte.
        error: yibao_core::TextError,
    },
}

impl FilesError {
    /// The sentence in Chinese, beside the English of `Display`: the path as it is, the
    /// system's reason in Chinese where it has a Chinese name.
    pub fn zh(&self) -> String {
        match self {
            FilesError::Io { path, source } => {
                let why = match source.kind() {
                    std::io::ErrorKind::NotFound => "文件或目录不存在".to_owned(),
                    std::io::ErrorKind::PermissionDenied => "没有读取权限".to_owned(),
                    std::io::ErrorKind::NotADirectory => "这不是一个目录".to_owned(),
                    _ => format!("`{source}`"),
                };
                format!("无法读取 `{path}`：{why}")
            }
            FilesError::NotText { path, error } => format!(
                "{path}:{}:{}: {}{}",
                error.line,
                error.column,
                error.zh(),
                error
                    .hint_zh()
                    .map(|h| format!("；提示：{h}"))
                    .unwrap_or_default()
            ),
        }
    }
}

fn hint_suffix(error: &yibao_core::TextError) -> String {
    error
        .hint()
        .map(|h| format!("; hint: {h}"))
        .unwrap_or_default()
}

/// The policy-data files, by path relative to the policy-data root (`huaian/2026.toml`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PolicyFiles {
    label: String,
    files: BTreeMap<String, String>,
}

impl PolicyFiles {
    /// The copy of `policy-data/` built into the crate.
    pub fn embedded() -> PolicyFiles {
        PolicyFiles {
            label: "policy-data".to_owned(),
            files: embedded::EMBEDDED
                .iter()
                .map(|(path, text)| ((*path).to_owned(), (*text).to_owned()))
                .collect(),
        }
    }

    /// Every file under `dir` (a maintainer's edited copy of `policy-data/`).
    ///
    /// # Errors
    /// [`FilesError`] when a file cannot be read or is not UTF-8 text.
    pub fn from_dir(dir: &Path) -> Result<PolicyFiles, FilesError> {
        let mut files = BTreeMap::new();
        read_dir_into(dir, dir, &mut files)?;
        Ok(PolicyFiles {
            label: dir.display().to_string().trim_end_matches('/').to_owned(),
            files,
        })
    }

    /// How file names are shown in diagnostics: `<label>/<path>`.
    pub fn label(&self) -> &str {
        &self.label
    }

    /// The path as shown to a person.
    pub fn display_path(&self, path: &str) -> String {
        format!("{}/{path}", self.label)
    }

    /// The contents of one file.
    pub fn get(&self, path: &str) -> Option<&str> {
        self.files.get(path).map(String::as_str)
    }

    /// All files, in path order.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &str)> {
        self.files.iter().map(|(p, t)| (p.as_str(), t.as_str()))
    }

    /// Adds or replaces a file (for tests and fixtures).
    pub fn insert(&mut self, path: impl Into<String>, text: impl Into<String>) {
        self.files.insert(path.into(), text.into());
    }

    /// The SHA-256 digest of the files, in lower-case hex: of each file in path order, its
    /// path, a NUL byte, its length in bytes (8 bytes, little-endian) and its text. Two
    /// copies of the data with the same files and texts have the same digest, whatever their
    /// label; any change of a file, its name or the set of files changes it.
    ///
    /// ```
    /// use yibao::policy::PolicyFiles;
    ///
    /// let mut files = PolicyFiles::embedded();
    /// let digest = files.digest();
    /// assert_eq!(digest.len(), 64);
    /// files.insert("huaian/2026.toml", "# changed");
    /// assert_ne!(files.digest(), digest);
    /// ```
    pub fn digest(&self) -> String {
        digest_of(self.iter())
    }

    /// Removes a file (for tests and fixtures).
    pub fn remove(&mut self, path: &str) -> Option<String> {
        self.files.remove(path)
    }
}

fn read_dir_into(
    root: &Path,
    dir: &Path,
    files: &mut BTreeMap<String, String>,
) -> Result<(), FilesError> {
    let io = |path: &Path, source| FilesError::Io {
        path: path.display().to_string(),
        source,
    };
    let entries = fs::read_dir(dir).map_err(|e| io(dir, e))?;
    let mut paths = Vec::new();
    for entry in entries {
        paths.push(entry.map_err(|e| io(dir, e))?.path());
    }
    paths.sort();
    for path in paths {
        if path.is_dir() {
            read_dir_into(root, &path, files)?;
            continue;
        }
        let bytes = fs::read(&path).map_err(|e| io(&path, e))?;
        let text = yibao_core::read_text(&bytes)
            .map_err(|error| FilesError::NotText {
                path: path.display().to_string(),
                error,
            })?
            .to_owned();
        let relative = path
            .strip_prefix(root)
            .map(|p| p.to_string_lossy().replace('\\', "/"))
            .unwrap_or_else(|_| path.display().to_string());
        files.insert(relative, text);
    }
    Ok(())
}

/// [`PolicyFiles::digest`] of files given in path order.
pub(crate) fn digest_of<'a>(files: impl Iterator<Item = (&'a str, &'a str)>) -> String {
    use sha2::Digest as _;
    let mut hasher = sha2::Sha256::new();
    for (path, text) in files {
        hasher.update(path.as_bytes());
        hasher.update([0]);
        hasher.update((text.len() as u64).to_le_bytes());
        hasher.update(text.as_bytes());
    }
    hasher
        .finalize()
        .iter()
        .fold(String::with_capacity(64), |mut hex, byte| {
            use std::fmt::Write as _;
            let _ = write!(hex, "{byte:02x}");
            hex
        })
}
