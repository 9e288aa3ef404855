//! Writing a settlement as it is settled, claim by claim: a year of 100,000 claims is never
//! held whole, neither as reports nor as text.
//!
//! The JSON written is byte for byte what `serde_json::to_writer_pretty` gives for the whole
//! report: each part is serialised on its own by the same pretty formatter, started at the
//! part's depth; a claim, the bulk of the output, is written by hand in the same bytes
//! ([`yibao::output`]).

use std::io::{BufWriter, StdoutLock, Write};
use std::ops::ControlFlow;

use serde::Serialize;
use yibao::output::envelope::Envelope;
use yibao::output::{claim_json, indented, nhsa_json};
use yibao::settle::{ClaimReport, ClaimSink, Head, SettlementReport};

use super::super::Failure;

/// Standard output, buffered, with the first write error kept.
pub(super) struct Output {
    writer: BufWriter<StdoutLock<'static>>,
    error: Option<std::io::Error>,
}

impl Output {
    pub(super) fn stdout() -> Output {
        Output {
            writer: BufWriter::with_capacity(1 << 16, std::io::stdout().lock()),
            error: None,
        }
    }

    /// Runs one write; after an error, nothing more is written and the settlement stops.
    pub(super) fn put(
        &mut self,
        write: impl FnOnce(&mut BufWriter<StdoutLock<'static>>) -> std::io::Result<()>,
    ) -> ControlFlow<()> {
        if self.error.is_some() {
            return ControlFlow::Break(());
        }
        match write(&mut self.writer) {
            Ok(()) => ControlFlow::Continue(()),
            Err(e) => {
                self.error = Some(e);
                ControlFlow::Break(())
            }
        }
    }

    /// Flushes; a closed pipe is not an error worth a message (as for every output).
    pub(super) fn finish(mut self) -> Result<(), Failure> {
        let result = match self.error.take() {
            Some(e) => Err(e),
            None => self.writer.flush(),
        };
        match result {
            Ok(()) => Ok(()),
            Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
            Err(e) => Err(Failure::unwritable(&e)),
        }
    }
}

/// One field of the report's object (depth 1).
fn field<T: Serialize + ?Sized>(
    w: &mut impl Write,
    first: bool,
    key: &str,
    value: &T,
) -> std::io::Result<()> {
    w.write_all(if first { b"\n  \"" } else { b",\n  \"" })?;
    w.write_all(key.as_bytes())?;
    w.write_all(b"\": ")?;
    indented(w, value, 1)
}

/// `--format json`: the whole report, its claims written as they are settled.
pub(super) struct Json {
    out: Output,
    envelope: Envelope,
    claims: usize,
}

impl Json {
    pub(super) fn new(envelope: Envelope) -> Json {
        Json {
            out: Output::stdout(),
            envelope,
            claims: 0,
        }
    }

    /// The end of the report: totals, next year and notes.
    pub(super) fn finish(mut self, report: &SettlementReport) -> Result<(), Failure> {
        let claims = self.claims;
        let _ = self.out.put(|w| {
            w.write_all(if claims == 0 { b"]" } else { b"\n  ]" })?;
            field(w, false, "totals", &report.totals)?;
            field(w, false, "next_year", &report.next_year)?;
            field(w, false, "notes", &report.notes)?;
            w.write_all(b"\n}\n")
        });
        self.out.finish()
    }
}

impl ClaimSink for Json {
    fn head(&mut self, head: &Head<'_>) -> ControlFlow<()> {
        let envelope = &self.envelope;
        self.out.put(|w| {
            w.write_all(b"{")?;
            envelope.write_fields(w)?;
            field(w, false, "jurisdiction", head.jurisdiction)?;
            field(w, false, "year", &head.year)?;
            field(w, false, "person", &head.person)?;
            field(w, false, "cover", &head.cover)?;
            field(w, false, "contributions", head.contributions)?;
            field(w, false, "filings", head.filings)?;
            field(w, false, "catastrophic_class", &head.catastrophic_class)?;
            field(w, false, "cap_in_force", &head.cap_in_force)?;
            w.write_all(b",\n  \"claims\": [")
        })
    }

    fn claim(&mut self, claim: &ClaimReport) -> ControlFlow<()> {
        let first = self.claims == 0;
        self.claims += 1;
        self.out.put(|w| {
            w.write_all(if first { b"\n    " } else { b",\n    " })?;
            claim_json::claim(w, claim)
        })
    }
}

/// A sink that keeps nothing: a settlement run through it, figures only, finds any error of
/// the scenario before a byte of the output is written.
pub(super) struct Check;

impl ClaimSink for Check {
    fn head(&mut self, _: &Head<'_>) -> ControlFlow<()> {
        ControlFlow::Continue(())
    }

    fn claim(&mut self, _: &ClaimReport) -> ControlFlow<()> {
        ControlFlow::Continue(())
    }
}

/// `--format nhsa`: the platform's claims, a JSON list written as the claims are settled.
/// Without an output it only checks that every claim maps (its fund payments add up).
pub(super) struct Nhsa {
    out: Option<Output>,
    psn_no: String,
    aid: yibao::nhsa::MedicalAid,
    claims: usize,
    error: Option<yibao::core::MoneyError>,
}

impl Nhsa {
    pub(super) fn new(out: Option<Output>) -> Nhsa {
        Nhsa {
            out,
            psn_no: String::new(),
            aid: yibao::nhsa::MedicalAid::NotRecipient,
            claims: 0,
            error: None,
        }
    }

    pub(super) fn finish(mut self) -> Result<(), Failure> {
        if let Some(e) = self.error {
            return Err(Failure::refused(
                format!("the platform fields of a claim do not add up: {e}"),
                format!("一笔费用的平台字段合计不符：{}", e.zh()),
            ));
        }
        let claims = self.claims;
        match self.out.take() {
            None => Ok(()),
            Some(mut out) => {
                let _ = out.put(|w| w.write_all(if claims == 0 { b"[]\n" } else { b"\n]\n" }));
                out.finish()
            }
        }
    }
}

impl ClaimSink for Nhsa {
    fn head(&mut self, head: &Head<'_>) -> ControlFlow<()> {
        self.psn_no = head.person.unwrap_or_default().to_owned();
        self.aid = yibao::nhsa::MedicalAid::of_class(head.catastrophic_class);
        ControlFlow::Continue(())
    }

    fn claim(&mut self, claim: &ClaimReport) -> ControlFlow<()> {
        let mapped = match yibao::nhsa::settlement(claim, &self.psn_no, self.aid) {
            Ok(mapped) => mapped,
            Err(e) => {
                self.error = Some(e);
                return ControlFlow::Break(());
            }
        };
        let first = self.claims == 0;
        self.claims += 1;
        match self.out.as_mut() {
            None => ControlFlow::Continue(()),
            Some(out) => out.put(|w| {
                w.write_all(if first { b"[\n  " } else { b",\n  " })?;
                nhsa_json::claim(w, &mapped)
            }),
        }
    }
}
