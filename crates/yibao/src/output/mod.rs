//! The settlement's output forms that need no terminal: JSON written to any [`Write`](std::io::Write),
//! byte for byte as `serde_json::to_writer_pretty` writes the whole report.
//!
//! A claim, the bulk of a year's output, is written by hand ([`claim_json`], and
//! [`nhsa_json`] for the national platform's form) from the small JSON writer of
//! [`json_text`], faster than serde and in exactly its bytes; the rest of a report is
//! serialised part by part with [`indented`], at the part's depth. A test compares the
//! hand-written JSON with serde_json's on every claim of every scenario; each struct is
//! unpacked field by field, so a new field does not compile until it is written.
//!
//! [`fhir`] writes a settlement's claims as HL7 FHIR R4 `ClaimResponse`s.
//!
//! Every JSON answer starts with the [`envelope`]'s fields: its form's version, the engine's
//! version and the policy data's digest. With the feature `schemars`, [`schema`] gives the
//! JSON Schema of those answers, generated from the types.

pub mod claim_json;
pub mod envelope;
pub mod fhir;
#[cfg(test)]
mod json_equal;
pub mod json_text;
pub mod nhsa_json;
mod pretty;
#[cfg(feature = "schemars")]
pub mod schema;

pub use pretty::indented;
