//! The outputs of a command that writes files, never written in place.
//!
//! Before anything is opened for writing, every output path is compared with the input and
//! with the other outputs ([`super::same_file`]): a clash is a usage error naming both. A
//! regular file is written to a temporary file in its directory, named
//! `.NAME.yibao-incomplete-PID-XXXXXX`, and renamed over `NAME` only when the whole run has
//! succeeded ([`commit`]); on any failure the temporaries are removed and the files at the
//! target paths are untouched. A run killed outright leaves at most a temporary whose name
//! says it is incomplete. Standard output (`-`) streams; a device or a named pipe (such as
//! `/dev/null`) holds no data to lose and is written in place.
//!
//! The temporaries are made with the `tempfile` crate: it creates them with `O_EXCL` under a
//! random name (never following or reusing a file already there), removes them when they
//! are dropped on any error path, and renames them into place.

use std::ffi::OsString;
use std::fs::{File, OpenOptions, Permissions};
use std::io::{self, BufWriter, StdoutLock, Write};
use std::path::{Path, PathBuf};

use tempfile::NamedTempFile;
use yibao_batch::{TableFormat, TableWriter};

use super::same_file::{self, Named, Place};
use super::{Failure, refusal};

/// The buffer in front of each output.
const BUFFER: usize = 1 << 18;

/// Where an output goes.
#[derive(Debug)]
pub(crate) enum Destination {
    /// `-`: standard output, streamed.
    Stdout,
    /// A device or a named pipe, written in place.
    InPlace { path: String },
    /// A regular file, written to a temporary beside it and renamed over it at the end.
    Staged {
        path: String,
        real: PathBuf,
        permissions: Option<Permissions>,
    },
}

/// The destinations of outputs given as `(flag, path)`, checked against each other and
/// against the input (`None` for standard input). Nothing is created or truncated.
///
/// # Errors
/// [`Failure::Usage`] when two paths are the same file or two outputs are `-`;
/// [`Failure::Io`] when a path cannot be an output (a directory, a missing directory, a
/// file the user may not write).
pub(crate) fn destinations(
    input: Option<Named<'_>>,
    outputs: &[(&'static str, &str)],
) -> Result<Vec<Destination>, Failure> {
    let stdout: Vec<&str> = outputs
        .iter()
        .filter(|(_, path)| *path == "-")
        .map(|(flag, _)| *flag)
        .collect();
    if let [first, second, ..] = stdout[..] {
        return Err(Failure::misused(
            &format!(
                "{first} - and {second} - would both write standard output; at most one output may be `-`"
            ),
            &format!("{first} - 与 {second} - 都会写到标准输出；至多一个输出可为 `-`"),
        ));
    }
    let resolved = outputs
        .iter()
        .filter(|(_, path)| *path != "-")
        .map(|(flag, path)| Ok((*flag, *path, same_file::output(path)?)))
        .collect::<Result<Vec<_>, Failure>>()?;
    let named: Vec<Named<'_>> = input
        .into_iter()
        .chain(resolved.iter().map(|(flag, path, r)| Named {
            flag,
            path,
            identity: &r.identity,
        }))
        .collect();
    same_file::all_distinct(&named)?;
    let mut files = resolved.into_iter();
    outputs
        .iter()
        .map(|(_, path)| {
            if *path == "-" {
                return Ok(Destination::Stdout);
            }
            let Some((_, _, resolved)) = files.next() else {
                return Err(Failure::cannot_write(path, &"not resolved", "路径未能解析"));
            };
            Ok(match resolved.place {
                Place::Special => Destination::InPlace {
                    path: (*path).to_owned(),
                },
                Place::File { real, permissions } => {
                    if permissions.is_some() {
                        same_file::refuse_unwritable(path)?;
                    }
                    Destination::Staged {
                        path: (*path).to_owned(),
                        real,
                        permissions,
                    }
                }
            })
        })
        .collect()
}

impl Destination {
    /// Whether the output can be written again from the start (a regular file).
    pub(crate) fn is_rewritable(&self) -> bool {
        matches!(self, Destination::Staged { .. })
    }

    /// Opens the output for a run: standard output, the device or pipe, or a new temporary
    /// file beside the target.
    pub(crate) fn open(&self) -> Result<Sink, Failure> {
        let inner = match self {
            Destination::Stdout => {
                Inner::Stdout(BufWriter::with_capacity(BUFFER, io::stdout().lock()))
            }
            Destination::InPlace { path } => {
                let file = OpenOptions::new()
                    .write(true)
                    .open(path)
                    .map_err(|e| Failure::unwritable_file(path, &e))?;
                Inner::InPlace {
                    path: path.clone(),
                    writer: BufWriter::with_capacity(BUFFER, file),
                }
            }
            Destination::Staged {
                path,
                real,
                permissions,
            } => Inner::Staged {
                path: path.clone(),
                real: real.clone(),
                writer: BufWriter::with_capacity(
                    BUFFER,
                    temporary(real, permissions.as_ref()).map_err(|e| {
                        Failure::File(yibao::core::Said::new(
                            format!("cannot create a file beside {path} to write it: {e}"),
                            format!(
                                "无法在 `{path}` 旁创建用于写入的文件：{}",
                                refusal::io_reason_zh(&e)
                            ),
                        ))
                    })?,
                ),
            },
        };
        Ok(Sink {
            inner,
            broken_pipe: false,
        })
    }
}

/// A new temporary file beside `real`, with the permissions of the file it will replace
/// (or those a new file gets).
fn temporary(real: &Path, permissions: Option<&Permissions>) -> io::Result<NamedTempFile> {
    let directory = real.parent().unwrap_or_else(|| Path::new("."));
    let mut prefix = OsString::from(".");
    prefix.push(real.file_name().unwrap_or_default());
    prefix.push(format!(".yibao-incomplete-{}-", std::process::id()));
    let mut builder = tempfile::Builder::new();
    builder.prefix(&prefix).rand_bytes(6);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        // As `File::create`: read-write for all, less the umask.
        builder.permissions(Permissions::from_mode(0o666));
    }
    let temporary = builder.tempfile_in(directory)?;
    if let Some(permissions) = permissions {
        temporary.as_file().set_permissions(permissions.clone())?;
    }
    Ok(temporary)
}

/// An output being written.
pub(crate) struct Sink {
    inner: Inner,
    /// Standard output's reader went away.
    broken_pipe: bool,
}

enum Inner {
    Stdout(BufWriter<StdoutLock<'static>>),
    InPlace {
        path: String,
        writer: BufWriter<File>,
    },
    Staged {
        path: String,
        real: PathBuf,
        writer: BufWriter<NamedTempFile>,
    },
}

impl Sink {
    /// Whether writing standard output failed because its reader went away.
    pub(crate) fn broken_pipe(&self) -> bool {
        self.broken_pipe
    }

    fn watch<T>(&mut self, result: io::Result<T>) -> io::Result<T> {
        if let Err(e) = &result {
            if matches!(self.inner, Inner::Stdout(_)) && e.kind() == io::ErrorKind::BrokenPipe {
                self.broken_pipe = true;
            }
        }
        result
    }

    /// Flushes the output after a complete run; a temporary file is also synced to the
    /// disk, ready to be renamed by [`commit`].
    ///
    /// # Errors
    /// [`Failure::BrokenPipe`] when standard output's reader went away; [`Failure::Io`]
    /// when the last bytes cannot be written.
    pub(crate) fn finish(mut self) -> Result<Finished, Failure> {
        let flushed = self.flush();
        if self.broken_pipe {
            return Err(Failure::BrokenPipe);
        }
        match self.inner {
            Inner::Stdout(_) => flushed.map(|()| Finished(None)).map_err(|e| {
                Failure::File(yibao::core::Said::new(
                    format!("cannot write standard output: {e}"),
                    format!("无法写入标准输出：{}", refusal::io_reason_zh(&e)),
                ))
            }),
            Inner::InPlace { path, .. } => flushed
                .map(|()| Finished(None))
                .map_err(|e| Failure::unwritable_file(&path, &e)),
            Inner::Staged { path, real, writer } => {
                let cannot = |e: &io::Error| Failure::unwritable_file(&path, e);
                flushed.map_err(|e| cannot(&e))?;
                let temporary = writer.into_inner().map_err(|e| cannot(e.error()))?;
                temporary.as_file().sync_all().map_err(|e| cannot(&e))?;
                Ok(Finished(Some(Staged {
                    path,
                    real,
                    temporary,
                })))
            }
        }
    }
}

impl Write for Sink {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let result = match &mut self.inner {
            Inner::Stdout(w) => w.write(buf),
            Inner::InPlace { writer, .. } => writer.write(buf),
            Inner::Staged { writer, .. } => writer.write(buf),
        };
        self.watch(result)
    }

    fn write_all(&mut self, buf: &[u8]) -> io::Result<()> {
        let result = match &mut self.inner {
            Inner::Stdout(w) => w.write_all(buf),
            Inner::InPlace { writer, .. } => writer.write_all(buf),
            Inner::Staged { writer, .. } => writer.write_all(buf),
        };
        self.watch(result)
    }

    fn flush(&mut self) -> io::Result<()> {
        let result = match &mut self.inner {
            Inner::Stdout(w) => w.flush(),
            Inner::InPlace { writer, .. } => writer.flush(),
            Inner::Staged { writer, .. } => writer.flush(),
        };
        self.watch(result)
    }
}

/// An output completely written: a temporary file waiting to be renamed over its target,
/// or nothing more to do. Dropped without [`commit`], the temporary is removed.
pub(crate) struct Finished(Option<Staged>);

struct Staged {
    path: String,
    real: PathBuf,
    temporary: NamedTempFile,
}

/// Renames every temporary over its target, once the whole run has succeeded.
///
/// # Errors
/// [`Failure::Io`] when a rename fails, naming the outputs already replaced (the others are
/// untouched and their temporaries removed).
pub(crate) fn commit(finished: Vec<Finished>) -> Result<(), Failure> {
    let mut replaced: Vec<String> = Vec::new();
    for Staged {
        path,
        real,
        temporary,
    } in finished.into_iter().flat_map(|f| f.0)
    {
        if let Err(e) = temporary.persist(&real) {
            let (done, done_zh) = if replaced.is_empty() {
                (
                    "no output was replaced".to_owned(),
                    "没有输出被替换".to_owned(),
                )
            } else {
                (
                    format!("already replaced: {}", replaced.join(", ")),
                    format!(
                        "已替换：{}",
                        replaced
                            .iter()
                            .map(|p| format!("`{p}`"))
                            .collect::<Vec<_>>()
                            .join("、")
                    ),
                )
            };
            return Err(Failure::File(yibao::core::Said::new(
                format!(
                    "cannot rename the finished {path} into place: {}; {done}",
                    e.error
                ),
                format!(
                    "无法将写完的 `{path}` 改名就位：{}；{done_zh}",
                    refusal::io_reason_zh(&e.error)
                ),
            )));
        }
        replaced.push(path);
    }
    Ok(())
}

/// An output being written in its format: CSV text as the batch writes it, or a Parquet or
/// Arrow IPC table made from that text ([`yibao_batch::TableWriter`]). Either way it is
/// written to its [`Sink`], so a table file is renamed into place only when the run has
/// succeeded, like a CSV file.
pub(crate) enum FormattedSink {
    Text(Sink),
    Table {
        path: String,
        writer: Box<TableWriter<Sink>>,
    },
}

impl FormattedSink {
    /// Opens `destination` for a run, written in `format`.
    pub(crate) fn open(
        destination: &Destination,
        format: TableFormat,
    ) -> Result<FormattedSink, Failure> {
        let sink = destination.open()?;
        Ok(if format.is_table() {
            FormattedSink::Table {
                path: destination.path().to_owned(),
                writer: Box::new(TableWriter::new(sink, format)),
            }
        } else {
            FormattedSink::Text(sink)
        })
    }

    /// Whether writing standard output failed because its reader went away.
    pub(crate) fn broken_pipe(&self) -> bool {
        match self {
            FormattedSink::Text(sink) => sink.broken_pipe(),
            FormattedSink::Table { writer, .. } => writer.get_ref().broken_pipe(),
        }
    }

    /// Ends the output after a complete run (a table's footer written), as
    /// [`Sink::finish`].
    pub(crate) fn finish(self) -> Result<Finished, Failure> {
        match self {
            FormattedSink::Text(sink) => sink.finish(),
            FormattedSink::Table { path, writer } => match writer.finish() {
                Ok(sink) => sink.finish(),
                Err(_) if path == "-" => Err(Failure::BrokenPipe),
                Err(e) => Err(Failure::cannot_write(&path, &e, &e.to_string())),
            },
        }
    }
}

impl Write for FormattedSink {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        match self {
            FormattedSink::Text(sink) => sink.write(buf),
            FormattedSink::Table { writer, .. } => writer.write(buf),
        }
    }

    fn write_all(&mut self, buf: &[u8]) -> io::Result<()> {
        match self {
            FormattedSink::Text(sink) => sink.write_all(buf),
            FormattedSink::Table { writer, .. } => writer.write_all(buf),
        }
    }

    fn flush(&mut self) -> io::Result<()> {
        match self {
            FormattedSink::Text(sink) => sink.flush(),
            FormattedSink::Table { writer, .. } => writer.flush(),
        }
    }
}

impl Destination {
    /// The path as given (`-` for standard output).
    pub(crate) fn path(&self) -> &str {
        match self {
            Destination::Stdout => "-",
            Destination::InPlace { path } | Destination::Staged { path, .. } => path,
        }
    }
}
