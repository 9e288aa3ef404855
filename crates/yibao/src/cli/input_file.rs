//! A regular input file, checked for changes while it was read: the bytes read are counted
//! and compared with the file's size when the command first looked at it, when it was
//! opened and when the read ended. A file truncated, grown or replaced while read is an
//! error (exit 1), never a clean summary.

use std::fs::File;
use std::io::{self, Read};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use super::Failure;

/// A reader that counts the bytes it passes on. The count is shared, so it can be read
/// after the reader has been moved to another thread.
pub(crate) struct Counting<R> {
    inner: R,
    read: Arc<AtomicU64>,
}

impl<R> Counting<R> {
    pub(crate) fn new(inner: R) -> (Counting<R>, Arc<AtomicU64>) {
        let read = Arc::new(AtomicU64::new(0));
        (
            Counting {
                inner,
                read: Arc::clone(&read),
            },
            read,
        )
    }
}

impl<R: Read> Read for Counting<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.read
            .fetch_add(u64::try_from(n).unwrap_or(u64::MAX), Ordering::Relaxed);
        Ok(n)
    }
}

/// The sizes of a file read once from start to end.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Sizes {
    /// When the command first looked at the file (before a first pass, if any).
    pub(crate) at_start: u64,
    /// When it was opened for the read.
    pub(crate) at_open: u64,
    /// Bytes read, to the end of the file.
    pub(crate) read: u64,
    /// When the read ended.
    pub(crate) at_end: u64,
}

impl Sizes {
    /// `None` when every size is the same; otherwise what happened, in words.
    pub(crate) fn change(self) -> Option<&'static str> {
        let Sizes {
            at_start,
            at_open,
            read,
            at_end,
        } = self;
        if at_start == at_open && at_open == read && read == at_end {
            None
        } else if at_end < at_start.max(at_open) || read < at_start.max(at_open) {
            Some("it was cut short")
        } else if at_end > at_start.min(at_open) || read > at_start.min(at_open) {
            Some("it grew")
        } else {
            Some("its size changed")
        }
    }
}

/// A regular input file opened for its read, with what is needed to check it afterwards.
pub(crate) struct Watched {
    path: String,
    /// A second handle on the file opened, to ask its size at the end.
    handle: File,
    at_start: u64,
    at_open: u64,
    read: Arc<AtomicU64>,
}

impl Watched {
    /// Opens `path`, whose size was `at_start` when the command first looked at it.
    pub(crate) fn open(path: &str, at_start: u64) -> Result<(Watched, Counting<File>), Failure> {
        let cannot = |e: io::Error| Failure::Io(format!("cannot read {path}: {e}"));
        let file = File::open(path).map_err(cannot)?;
        let handle = file.try_clone().map_err(cannot)?;
        let at_open = handle.metadata().map_err(cannot)?.len();
        let (reader, read) = Counting::new(file);
        Ok((
            Watched {
                path: path.to_owned(),
                handle,
                at_start,
                at_open,
                read,
            },
            reader,
        ))
    }

    /// After a read to the end: an error when the file changed while it was read.
    pub(crate) fn check_unchanged(&self) -> Result<(), Failure> {
        let at_end = self
            .handle
            .metadata()
            .map_err(|e| Failure::Io(format!("cannot read {}: {e}", self.path)))?
            .len();
        let sizes = Sizes {
            at_start: self.at_start,
            at_open: self.at_open,
            read: self.read.load(Ordering::Relaxed),
            at_end,
        };
        match sizes.change() {
            None => Ok(()),
            Some(what) => Err(Failure::Input(format!(
                "{} changed while it was read ({what}): {} bytes when the command started, {} when it was opened, {} read, {} at the end; no output file was written; run again once the file is no longer being written",
                self.path, sizes.at_start, sizes.at_open, sizes.read, sizes.at_end
            ))),
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

    use super::*;

    /// A reader of `len` bytes, given at most `step` at a time.
    struct Fake {
        left: usize,
        step: usize,
    }

    impl Read for Fake {
        fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
            let n = self.left.min(self.step).min(buf.len());
            buf[..n].fill(b'x');
            self.left -= n;
            Ok(n)
        }
    }

    #[test]
    fn counting_counts_every_byte_passed_on() {
        let (mut reader, read) = Counting::new(Fake {
            left: 10_000,
            step: 333,
        });
        let mut sink = Vec::new();
        reader.read_to_end(&mut sink).unwrap();
        assert_eq!(sink.len(), 10_000);
        assert_eq!(read.load(Ordering::Relaxed), 10_000);
    }

    #[test]
    fn a_file_read_whole_at_one_size_is_unchanged_and_every_other_reading_is_a_change() {
        // (at start, at open, read, at end) → what is reported.
        type Case = ((u64, u64, u64, u64), Option<&'static str>);
        let cases: [Case; 7] = [
            ((100, 100, 100, 100), None),
            ((0, 0, 0, 0), None),
            // Truncated while read: fewer bytes read than were there, smaller at the end.
            ((100, 100, 60, 60), Some("it was cut short")),
            // Truncated between the first look (a first pass) and the read.
            ((100, 60, 60, 60), Some("it was cut short")),
            // Appended to while read: the appended bytes may or may not have been read.
            ((100, 100, 100, 140), Some("it grew")),
            ((100, 100, 140, 140), Some("it grew")),
            // Cut, then grown back past its size: still a change.
            ((100, 100, 90, 100), Some("it was cut short")),
        ];
        for ((at_start, at_open, read, at_end), expected) in cases {
            let sizes = Sizes {
                at_start,
                at_open,
                read,
                at_end,
            };
            assert_eq!(sizes.change(), expected, "{sizes:?}");
        }
    }

    #[test]
    fn a_file_grown_while_read_is_an_input_error_naming_it() {
        let path = std::env::temp_dir().join(format!("yibao-input-file-{}", std::process::id()));
        std::fs::write(&path, "0123456789").unwrap();
        let path_text = path.to_str().unwrap();
        let (watched, mut reader) = Watched::open(path_text, 10).unwrap();
        let mut text = String::new();
        reader.read_to_string(&mut text).unwrap();
        watched.check_unchanged().unwrap();
        std::fs::write(&path, "0123456789abc").unwrap();
        let failure = watched.check_unchanged().unwrap_err();
        assert_eq!(failure.exit_code(), 1);
        let message = failure.to_string();
        assert!(
            message.contains(&format!("{path_text} changed while it was read (it grew)")),
            "{message}"
        );
        std::fs::remove_file(&path).unwrap();
    }
}
