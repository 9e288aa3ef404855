//! `serde_json`'s pretty formatter started at a depth: a part of a report serialised on its
//! own is written as it is within the whole.

use std::io::Write;

use serde::Serialize;

/// `serde_json`'s pretty formatter (two spaces a level), starting at a given depth: a part of
/// the report serialised on its own is written as it is within the whole.
struct Pretty {
    depth: usize,
    has_value: bool,
}

impl Pretty {
    fn newline(w: &mut (impl Write + ?Sized), depth: usize) -> std::io::Result<()> {
        super::json_text::newline(w, depth)
    }

    fn begin(&mut self, w: &mut (impl Write + ?Sized), open: &[u8]) -> std::io::Result<()> {
        self.depth += 1;
        self.has_value = false;
        w.write_all(open)
    }

    fn end(&mut self, w: &mut (impl Write + ?Sized), close: &[u8]) -> std::io::Result<()> {
        self.depth = self.depth.saturating_sub(1);
        if self.has_value {
            Pretty::newline(w, self.depth)?;
        }
        w.write_all(close)
    }

    fn item(&self, w: &mut (impl Write + ?Sized), first: bool) -> std::io::Result<()> {
        if !first {
            w.write_all(b",")?;
        }
        Pretty::newline(w, self.depth)
    }
}

impl serde_json::ser::Formatter for Pretty {
    fn begin_array<W: ?Sized + Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.begin(w, b"[")
    }

    fn end_array<W: ?Sized + Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.end(w, b"]")
    }

    fn begin_array_value<W: ?Sized + Write>(
        &mut self,
        w: &mut W,
        first: bool,
    ) -> std::io::Result<()> {
        self.item(w, first)
    }

    fn end_array_value<W: ?Sized + Write>(&mut self, _: &mut W) -> std::io::Result<()> {
        self.has_value = true;
        Ok(())
    }

    fn begin_object<W: ?Sized + Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.begin(w, b"{")
    }

    fn end_object<W: ?Sized + Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.end(w, b"}")
    }

    fn begin_object_key<W: ?Sized + Write>(
        &mut self,
        w: &mut W,
        first: bool,
    ) -> std::io::Result<()> {
        self.item(w, first)
    }

    fn begin_object_value<W: ?Sized + Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        w.write_all(b": ")
    }

    fn end_object_value<W: ?Sized + Write>(&mut self, _: &mut W) -> std::io::Result<()> {
        self.has_value = true;
        Ok(())
    }
}

/// Writes `value` as pretty JSON at `depth` (its lines after the first indented to it).
pub fn indented<T: Serialize + ?Sized>(
    w: &mut impl Write,
    value: &T,
    depth: usize,
) -> std::io::Result<()> {
    let formatter = Pretty {
        depth,
        has_value: false,
    };
    value
        .serialize(&mut serde_json::Serializer::with_formatter(w, formatter))
        .map_err(std::io::Error::from)
}
