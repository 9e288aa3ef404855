//! What every JSON output says of itself before its contents: the version of its form, the
//! engine's version and the policy data it was computed with.
//!
//! ```json
//! {
//!   "schema_version": 1,
//!   "engine_version": "0.1.0",
//!   "policy_data": {
//!     "sha256": "…64 hex digits…"
//!   },
//!   "jurisdiction": "huaian",
//!   …
//! }
//! ```
//!
//! `schema_version` is an integer, raised whenever a field is removed or renamed or its
//! meaning changes; a field added leaves it as it is, so a reader ignores the fields it does
//! not know. `engine_version` is the `yibao` crate's version; `policy_data.sha256` is
//! [`PolicyFiles::digest`](crate::policy::PolicyFiles::digest) of the files the answer
//! was computed from (the digest `yibao batch --summary` gives), so that two answers with
//! the same digest were computed from the same rules.
//!
//! An answer that is an object has these fields first and its own after them
//! ([`Enveloped`]); the hand-written settlement stream writes the same bytes with
//! [`Envelope::write_fields`].

use std::io::Write;

use serde::Serialize;

use crate::policy::PolicyLibrary;

/// The version of the JSON outputs' form.
pub const SCHEMA_VERSION: u32 = 1;

/// The engine's version: the `yibao` crate's.
pub const ENGINE_VERSION: &str = env!("CARGO_PKG_VERSION");

/// The policy data an answer was computed with.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct PolicyData {
    /// [`PolicyLibrary::data_digest`].
    pub sha256: String,
}

/// The fields every JSON output starts with.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct Envelope {
    /// [`SCHEMA_VERSION`].
    pub schema_version: u32,
    /// [`ENGINE_VERSION`].
    pub engine_version: &'static str,
    /// The policy data.
    pub policy_data: PolicyData,
}

impl Envelope {
    /// The envelope of the answers computed from `library`.
    pub fn of(library: &PolicyLibrary) -> Envelope {
        Envelope {
            schema_version: SCHEMA_VERSION,
            engine_version: ENGINE_VERSION,
            policy_data: PolicyData {
                sha256: library.data_digest().to_owned(),
            },
        }
    }

    /// Writes the envelope's fields as the first fields of a pretty-printed object at depth 0,
    /// after its `{`: `\n  "schema_version": 1,\n  …` with no comma after the last, in
    /// the bytes `serde_json::to_writer_pretty` gives for [`Enveloped`].
    ///
    /// # Errors
    /// The writer's.
    pub fn write_fields(&self, w: &mut impl Write) -> std::io::Result<()> {
        w.write_all(b"\n  \"schema_version\": ")?;
        crate::output::indented(w, &self.schema_version, 1)?;
        w.write_all(b",\n  \"engine_version\": ")?;
        crate::output::indented(w, &self.engine_version, 1)?;
        w.write_all(b",\n  \"policy_data\": ")?;
        crate::output::indented(w, &self.policy_data, 1)
    }
}

/// An answer with the envelope's fields before its own; the answer must serialise as an
/// object (a struct or a map).
#[derive(Debug, Serialize)]
pub struct Enveloped<'a, T: ?Sized> {
    /// The envelope.
    #[serde(flatten)]
    pub envelope: &'a Envelope,
    /// The answer.
    #[serde(flatten)]
    pub answer: &'a T,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::policy::PolicyFiles;

    #[test]
    fn the_written_fields_are_the_serialised_ones() {
        let files = PolicyFiles::embedded();
        let library = PolicyLibrary::load(&files).expect("the embedded data loads");
        let envelope = Envelope::of(&library);
        assert_eq!(envelope.policy_data.sha256, files.digest());
        let answer = serde_json::json!({ "year": 2026 });
        let serialised = serde_json::to_string_pretty(&Enveloped {
            envelope: &envelope,
            answer: &answer,
        })
        .expect("serialises");
        let mut written = b"{".to_vec();
        envelope.write_fields(&mut written).expect("writes");
        written.extend_from_slice(b",\n  \"year\": 2026\n}");
        assert_eq!(String::from_utf8_lossy(&written), serialised);
    }
}
