//! `--explain`: each step with its rule id, the source's locator and the quoted sentence.

use std::io::Write;

use yibao::core::{RuleId, Step};
use yibao::policy::PolicyLibrary;

use super::output::{Label, Out};

/// The steps as numbered paragraphs, each followed by the rule's locator and first quote.
pub(crate) fn steps<'s>(
    library: &PolicyLibrary,
    out: &Out,
    steps: impl Iterator<Item = &'s Step>,
) -> String {
    let mut text = Vec::new();
    // Writing into memory cannot fail, and every piece written is text.
    let _ = write_steps(
        &mut text,
        library,
        out,
        &mut Quotes::default(),
        steps.map(|step| (step.rule, StepText(step))),
    );
    String::from_utf8(text).unwrap_or_default()
}

/// A step's text, rendered as it is written: the template with its figures filled in.
pub(crate) struct StepText<'s>(pub(crate) &'s Step);

impl std::fmt::Display for StepText<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.write_text(f)
    }
}

/// Each rule's quoting line (locator and first quote), made once and written many times.
#[derive(Default)]
pub(crate) struct Quotes(Vec<(RuleId, Option<String>)>);

impl Quotes {
    fn line(&mut self, library: &PolicyLibrary, rule: RuleId) -> Option<&str> {
        let at = match self.0.iter().position(|(id, _)| *id == rule) {
            Some(at) => at,
            None => {
                self.0.push((rule, quote_line(library, rule)));
                self.0.len() - 1
            }
        };
        self.0.get(at).and_then(|(_, line)| line.as_deref())
    }
}

fn quote_line(library: &PolicyLibrary, rule: RuleId) -> Option<String> {
    let registered = library.registry.rule(rule)?;
    let source = library
        .registry
        .source(&registered.source)
        .map_or(registered.source.as_str(), |s| s.title.as_str());
    let quote = registered.quotes.first()?;
    Some(format!(
        "       {source} {}: «{}»\n",
        registered.locator,
        quote.trim()
    ))
}

/// [`steps`], written to `w` as they come.
pub(crate) fn write_steps<D: std::fmt::Display>(
    w: &mut impl Write,
    library: &PolicyLibrary,
    out: &Out,
    quotes: &mut Quotes,
    steps: impl Iterator<Item = (RuleId, D)>,
) -> std::io::Result<()> {
    write!(
        w,
        "\n{}\n",
        out.label(Label {
            en: "How each figure was reached:",
            zh: "计算过程与依据："
        })
    )?;
    // Each rule's source sentence is quoted once, at its first step.
    let mut quoted: Vec<RuleId> = Vec::new();
    for (i, (rule, description)) in steps.enumerate() {
        writeln!(w, "{:>3}. [{rule}] {description}", i + 1)?;
        if quoted.contains(&rule) {
            continue;
        }
        quoted.push(rule);
        if let Some(line) = quotes.line(library, rule) {
            w.write_all(line.as_bytes())?;
        }
    }
    Ok(())
}
