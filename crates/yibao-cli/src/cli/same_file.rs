//! Whether two paths of a command name the same file, decided before anything is opened for
//! writing: after resolving links, by device and inode where the file exists (so a symbolic
//! or hard link to the input is the input), by canonical directory and file name where it
//! does not exist yet.

use std::ffi::OsString;
use std::fs::{self, Metadata, Permissions};
use std::io;
use std::path::{Path, PathBuf};

use super::Failure;

/// Links followed before a path is declared a loop (as the kernel's `ELOOP`).
const MAX_LINKS: usize = 40;

/// What identifies a file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Identity {
    /// An existing file: its device and inode.
    #[cfg(unix)]
    Inode { device: u64, inode: u64 },
    /// An existing file's canonical path (where inodes are not available), or the canonical
    /// directory and name of a file not created yet.
    Path(PathBuf),
}

/// Where an output path leads.
#[derive(Debug)]
pub(crate) enum Place {
    /// A regular file, existing or to be created: `real` is its canonical path (links
    /// resolved), `permissions` those of the existing file.
    File {
        real: PathBuf,
        permissions: Option<Permissions>,
    },
    /// An existing file that is not a regular file (a device such as `/dev/null`, a named
    /// pipe): it holds no data to lose and is written in place.
    Special,
}

/// An output path, resolved.
#[derive(Debug)]
pub(crate) struct Resolved {
    pub(crate) identity: Identity,
    pub(crate) place: Place,
}

fn identity_of(metadata: &Metadata, path: &Path) -> io::Result<Identity> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        let _ = path;
        Ok(Identity::Inode {
            device: metadata.dev(),
            inode: metadata.ino(),
        })
    }
    #[cfg(not(unix))]
    {
        let _ = metadata;
        fs::canonicalize(path).map(Identity::Path)
    }
}

/// The identity of an existing input file.
pub(crate) fn input(path: &str) -> Result<(Identity, Metadata), Failure> {
    let cannot = |e: io::Error| Failure::unreadable(path, &e);
    let metadata = fs::metadata(path).map_err(cannot)?;
    Ok((
        identity_of(&metadata, Path::new(path)).map_err(cannot)?,
        metadata,
    ))
}

/// Resolves an output path without opening it.
pub(crate) fn output(path: &str) -> Result<Resolved, Failure> {
    let cannot = |e: &io::Error| Failure::unwritable_file(path, e);
    match fs::metadata(path) {
        Ok(metadata) if metadata.is_dir() => Err(Failure::cannot_write(
            path,
            &"it is a directory",
            "这是一个目录，不是文件",
        )),
        Ok(metadata) => {
            let identity = identity_of(&metadata, Path::new(path)).map_err(|e| cannot(&e))?;
            let place = if metadata.is_file() {
                Place::File {
                    real: fs::canonicalize(path).map_err(|e| cannot(&e))?,
                    permissions: Some(metadata.permissions()),
                }
            } else {
                Place::Special
            };
            Ok(Resolved { identity, place })
        }
        Err(e) if e.kind() == io::ErrorKind::NotFound => {
            let real = not_yet_created(Path::new(path)).map_err(|e| cannot(&e))?;
            Ok(Resolved {
                identity: Identity::Path(real.clone()),
                place: Place::File {
                    real,
                    permissions: None,
                },
            })
        }
        Err(e) => Err(cannot(&e)),
    }
}

/// An existing file the user may not write is refused, as opening it in place would be:
/// replacing it by a rename would get round its permissions. The file is opened without
/// truncation and closed at once (call it once the paths are known to be distinct).
pub(crate) fn refuse_unwritable(path: &str) -> Result<(), Failure> {
    fs::OpenOptions::new()
        .write(true)
        .open(path)
        .map(drop)
        .map_err(|e| Failure::unwritable_file(path, &e))
}

/// The canonical path a file not created yet will have: its directory resolved, and a
/// dangling symbolic link followed to the file it names.
fn not_yet_created(path: &Path) -> io::Result<PathBuf> {
    let mut path = path.to_path_buf();
    for _ in 0..MAX_LINKS {
        let name: OsString = path
            .file_name()
            .ok_or_else(|| io::Error::other("the path does not end in a file name"))?
            .to_owned();
        let directory = match path.parent() {
            Some(parent) if !parent.as_os_str().is_empty() => parent.to_path_buf(),
            _ => PathBuf::from("."),
        };
        let directory = fs::canonicalize(&directory).map_err(|e| {
            io::Error::new(e.kind(), format!("directory {}: {e}", directory.display()))
        })?;
        let candidate = directory.join(&name);
        match fs::read_link(&candidate) {
            Ok(target) => path = directory.join(target),
            Err(_) => return Ok(candidate),
        }
    }
    Err(io::Error::other("too many levels of symbolic links"))
}

/// One path of the command, with the flag that gave it.
pub(crate) struct Named<'a> {
    pub(crate) flag: &'static str,
    pub(crate) path: &'a str,
    pub(crate) identity: &'a Identity,
}

/// The null device, which any number of outputs may name: what is written there is
/// thrown away, so nothing can be garbled or lost.
fn null_device() -> Option<Identity> {
    let path = Path::new(if cfg!(windows) { "NUL" } else { "/dev/null" });
    fs::metadata(path)
        .ok()
        .and_then(|metadata| identity_of(&metadata, path).ok())
}

/// A usage error naming the first two paths that are the same file (other than the null
/// device).
pub(crate) fn all_distinct(paths: &[Named<'_>]) -> Result<(), Failure> {
    let null = null_device();
    for (i, later) in paths.iter().enumerate() {
        if Some(later.identity) == null.as_ref() {
            continue;
        }
        if let Some(earlier) = paths[..i].iter().find(|p| p.identity == later.identity) {
            return Err(Failure::Misused(yibao::core::Said::new(
                format!(
                    "{} {} and {} {} are the same file: an output is never written over the input or over another output; name another file",
                    earlier.flag, earlier.path, later.flag, later.path
                ),
                format!(
                    "{} `{}` 与 {} `{}` 是同一个文件：输出从不覆盖输入或另一个输出；请另选文件名",
                    earlier.flag, earlier.path, later.flag, later.path
                ),
            )));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

    use super::*;

    fn scratch(name: &str) -> PathBuf {
        let dir =
            std::env::temp_dir().join(format!("yibao-same-file-{name}-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(&dir).unwrap();
        dir
    }

    #[test]
    fn a_new_file_is_named_by_its_canonical_directory_whatever_the_spelling() {
        let dir = scratch("spelling");
        fs::create_dir(dir.join("sub")).unwrap();
        let plain = dir.join("out.csv");
        let roundabout = dir.join("sub").join("..").join(".").join("out.csv");
        let a = output(plain.to_str().unwrap()).unwrap();
        let b = output(roundabout.to_str().unwrap()).unwrap();
        assert_eq!(a.identity, b.identity);
        assert!(matches!(
            a.place,
            Place::File {
                permissions: None,
                ..
            }
        ));
        fs::remove_dir_all(&dir).unwrap();
    }

    #[cfg(unix)]
    #[test]
    fn a_dangling_link_leads_to_the_file_it_names() {
        let dir = scratch("dangling");
        std::os::unix::fs::symlink("target.csv", dir.join("link.csv")).unwrap();
        let through_link = output(dir.join("link.csv").to_str().unwrap()).unwrap();
        let direct = output(dir.join("target.csv").to_str().unwrap()).unwrap();
        assert_eq!(through_link.identity, direct.identity);
        fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn a_directory_or_a_missing_directory_cannot_be_an_output() {
        let dir = scratch("directory");
        let refused = output(dir.to_str().unwrap()).unwrap_err().to_string();
        assert!(refused.contains("it is a directory"), "{refused}");
        let missing = dir.join("nowhere").join("out.csv");
        let refused = output(missing.to_str().unwrap()).unwrap_err();
        assert_eq!(refused.exit_code(), 4, "{refused}");
        fs::remove_dir_all(&dir).unwrap();
    }
}
