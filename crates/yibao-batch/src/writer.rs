//! The ordered writer: settled chunks written in input order (a bounded reorder window), the
//! ascending-persons check, and the formatting of amounts and CSV fields.

use std::collections::BTreeMap;
use std::sync::mpsc::{Receiver, SyncSender};

use crate::error::{BatchError, write_error};
use crate::options::Progress;
use crate::persons::{Descent, PersonsSeen};
use crate::rows_sink::{ChunkBatches, RowsSink};
use crate::summary::Tally;

/// A processed chunk, ready to write.
#[derive(Debug, Default)]
pub(crate) struct SettledChunk {
    pub(crate) seq: u64,
    pub(crate) end_byte: u64,
    pub(crate) output: String,
    pub(crate) errors: String,
    pub(crate) per_claim: String,
    pub(crate) tally: Tally,
    /// The record batches the worker made of the outputs that are tables.
    pub(crate) batches: ChunkBatches,
    /// The chunk's persons in order, when the batch checks that they ascend.
    pub(crate) persons: Option<PersonsSeen>,
}

/// The calling thread of a run with worker threads: writes the chunks in sequence order as
/// they come, returning a window token for each.
pub(crate) fn write_in_order(
    done: Receiver<SettledChunk>,
    tokens: &SyncSender<()>,
    writer: &mut OrderedWriter<'_, '_>,
) -> Result<(), BatchError> {
    for chunk in done {
        for _ in 0..writer.accept(chunk)? {
            // The reader may have stopped already; a token nobody takes is harmless.
            let _ = tokens.try_send(());
        }
    }
    Ok(())
}

/// Writes settled chunks in sequence order, whatever order they come in: their outputs,
/// errors and per-claim rows, with the tally and the progress; checks that the persons
/// ascend when the run presumes it.
pub(crate) struct OrderedWriter<'s, 'p> {
    pub(crate) output: &'s mut dyn RowsSink,
    pub(crate) errors: &'s mut dyn RowsSink,
    pub(crate) per_claim: Option<&'s mut dyn RowsSink>,
    pub(crate) progress: &'p mut dyn FnMut(&Progress),
    pub(crate) tally: Tally,
    /// Chunks settled before the one to write next.
    pub(crate) pending: BTreeMap<u64, SettledChunk>,
    pub(crate) next: u64,
    /// The last person written, when the persons are checked to ascend.
    pub(crate) last_person: Vec<u8>,
}

impl<'s, 'p> OrderedWriter<'s, 'p> {
    pub(crate) fn new(
        output: &'s mut dyn RowsSink,
        errors: &'s mut dyn RowsSink,
        per_claim: Option<&'s mut dyn RowsSink>,
        progress: &'p mut dyn FnMut(&Progress),
    ) -> OrderedWriter<'s, 'p> {
        OrderedWriter {
            output,
            errors,
            per_claim,
            progress,
            tally: Tally::default(),
            pending: BTreeMap::new(),
            next: 0,
            last_person: Vec::new(),
        }
    }

    /// Takes a settled chunk and writes every chunk now due; returns how many were written.
    pub(crate) fn accept(&mut self, chunk: SettledChunk) -> Result<u64, BatchError> {
        self.pending.insert(chunk.seq, chunk);
        let mut written = 0;
        while let Some(chunk) = self.pending.remove(&self.next) {
            self.write(chunk)?;
            self.next += 1;
            written += 1;
        }
        Ok(written)
    }

    pub(crate) fn write(&mut self, mut chunk: SettledChunk) -> Result<(), BatchError> {
        if let Some(seen) = chunk.persons.take() {
            if let Some(descent) = seen.descent {
                return Err(descent.error());
            }
            if let Some((line, first)) = seen.first {
                if !self.last_person.is_empty() && first <= self.last_person {
                    return Err(Descent {
                        line,
                        person: first,
                        after: std::mem::take(&mut self.last_person),
                    }
                    .error());
                }
                self.last_person = seen.last;
            }
        }
        let batches = std::mem::take(&mut chunk.batches);
        self.output
            .write_rows(&chunk.output, batches.output)
            .map_err(write_error("output"))?;
        self.errors
            .write_rows(&chunk.errors, batches.errors)
            .map_err(write_error("errors file"))?;
        if let Some(sink) = self.per_claim.as_deref_mut() {
            sink.write_rows(&chunk.per_claim, batches.per_claim)
                .map_err(write_error("per-claim output"))?;
        }
        self.tally.merge(&chunk.tally);
        (self.progress)(&Progress {
            bytes: chunk.end_byte,
            rows: self.tally.rows,
            persons: self.tally.persons_settled,
        });
        Ok(())
    }

    /// Every chunk written and every output flushed: the run's tally.
    pub(crate) fn finish(self) -> Result<Tally, BatchError> {
        if !self.pending.is_empty() {
            return Err(BatchError::Internal {
                message: format!("chunk {} never arrived", self.next),
            });
        }
        self.output.flush().map_err(write_error("output"))?;
        self.errors.flush().map_err(write_error("errors file"))?;
        if let Some(sink) = self.per_claim {
            sink.flush().map_err(write_error("per-claim output"))?;
        }
        Ok(self.tally)
    }
}
