//! The trace every answer carries: which rule decided what, with the figures.

use std::fmt;

use serde::Serialize;
use yibao_core::RuleId;

/// One step of an answer: the rule it applied, a sentence with its figures
/// ([`yibao_core::Step`], rendered at the edge).
pub use yibao_core::Step;

/// The steps of one answer, in the order they were applied.
///
/// Written as `[{"rule": …, "description": …}]`, each step's text rendered.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct Trace(
    #[serde(serialize_with = "yibao_core::step::described")]
    #[cfg_attr(
        feature = "schemars",
        schemars(schema_with = "yibao_core::schema::described_steps")
    )]
    Vec<Step>,
);

impl Trace {
    pub(crate) fn new() -> Trace {
        Trace(Vec::new())
    }

    pub(crate) fn push(&mut self, step: Step) {
        self.0.push(step);
    }

    /// The steps, in order.
    pub fn steps(&self) -> &[Step] {
        &self.0
    }

    /// The distinct rule ids the steps applied, in first-use order.
    pub fn rules(&self) -> Vec<RuleId> {
        let mut ids: Vec<RuleId> = Vec::new();
        for step in &self.0 {
            if !ids.contains(&step.rule) {
                ids.push(step.rule);
            }
        }
        ids
    }

    /// Whether some step applied `rule`.
    pub fn applied(&self, rule: &str) -> bool {
        self.0.iter().any(|s| s.rule.to_string() == rule)
    }
}

impl fmt::Display for Trace {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for step in &self.0 {
            writeln!(f, "{step}")?;
        }
        Ok(())
    }
}
