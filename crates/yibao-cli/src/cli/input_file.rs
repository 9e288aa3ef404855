//! A regular input file, checked for changes while it was read: the bytes read (the offset
//! the reading left in the file, which a second handle on the same open file shares) are
//! compared with the file's size when the command first looked at it, when it was
//! opened and when the read ended. A file truncated, grown or replaced while read is an
//! error (exit 1), never a clean summary.

use std::fs::File;
use std::io::{self, Seek};

use yibao::core::Term;

use super::Failure;

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
    pub(crate) fn change(self) -> Option<Term> {
        let Sizes {
            at_start,
            at_open,
            read,
            at_end,
        } = self;
        if at_start == at_open && at_open == read && read == at_end {
            None
        } else if at_end < at_start.max(at_open) || read < at_start.max(at_open) {
            Some(Term::new("it was cut short", "被截短了"))
        } else if at_end > at_start.min(at_open) || read > at_start.min(at_open) {
            Some(Term::new("it grew", "变大了"))
        } else {
            Some(Term::new("its size changed", "大小变了"))
        }
    }
}

/// A regular input file opened for its read, with what is needed to check it afterwards.
pub(crate) struct Watched {
    path: String,
    /// A second handle on the file opened, sharing its offset: its size at the end, and how
    /// far the reading went.
    handle: File,
    at_start: u64,
    at_open: u64,
}

impl Watched {
    /// Opens `path`, whose size was `at_start` when the command first looked at it.
    pub(crate) fn open(path: &str, at_start: u64) -> Result<(Watched, File), Failure> {
        let cannot = |e: io::Error| Failure::unreadable(path, &e);
        let file = File::open(path).map_err(cannot)?;
        let handle = file.try_clone().map_err(cannot)?;
        let at_open = handle.metadata().map_err(cannot)?.len();
        Ok((
            Watched {
                path: path.to_owned(),
                handle,
                at_start,
                at_open,
            },
            file,
        ))
    }

    /// After a read to the end: an error when the file changed while it was read.
    pub(crate) fn check_unchanged(&self) -> Result<(), Failure> {
        let at_end = self
            .handle
            .metadata()
            .map_err(|e| Failure::unreadable(&self.path, &e))?
            .len();
        let sizes = Sizes {
            at_start: self.at_start,
            at_open: self.at_open,
            // The batch reads its input from the start to the end: the offset it left is
            // the bytes read (`File` itself is given to it, so it reads without a copy or a
            // zeroed buffer per block).
            read: (&self.handle)
                .stream_position()
                .map_err(|e| Failure::unreadable(&self.path, &e))?,
            at_end,
        };
        match sizes.change() {
            None => Ok(()),
            Some(what) => Err(Failure::refused(
                format!(
                    "{} changed while it was read ({}): {} bytes when the command started, {} when it was opened, {} read, {} at the end; no output file was written; run again once the file is no longer being written",
                    self.path, what.en, sizes.at_start, sizes.at_open, sizes.read, sizes.at_end
                ),
                format!(
                    "`{}` 在读取期间发生了变化（{}）：命令开始时 {} 字节，打开时 {} 字节，已读 {} 字节，结束时 {} 字节；未写出任何输出文件；请待该文件不再被写入后重新运行",
                    self.path, what.zh, sizes.at_start, sizes.at_open, sizes.read, sizes.at_end
                ),
            )),
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

    use super::*;

    /// A reader of `len` bytes, given at most `step` at a time.
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
            assert_eq!(sizes.change().map(|t| t.en), expected, "{sizes:?}");
        }
    }

    #[test]
    fn a_file_grown_while_read_is_an_input_error_naming_it() {
        let path = std::env::temp_dir().join(format!("yibao-input-file-{}", std::process::id()));
        std::fs::write(&path, "0123456789").unwrap();
        let path_text = path.to_str().unwrap();
        let (watched, mut reader) = Watched::open(path_text, 10).unwrap();
        // Half read: the offset the reading left is short of the size.
        let mut half = [0_u8; 5];
        std::io::Read::read_exact(&mut reader, &mut half).unwrap();
        assert!(watched.check_unchanged().is_err());
        let mut rest = String::new();
        std::io::Read::read_to_string(&mut reader, &mut rest).unwrap();
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
