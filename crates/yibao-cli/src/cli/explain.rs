//! `--explain`: each step with its rule id, the source's locator and the quoted sentence: the
//! quote the step names (`H14.row.level_3`), or its rule's first quote where it names none.

use std::io::Write;

use yibao::core::{QuoteId, RuleId, Step};
use yibao::policy::PolicyLibrary;

use super::output::{Label, Out};

/// The steps as numbered paragraphs, each followed by the rule's locator and the quote the
/// step applies.
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
        steps.map(|step| (step, StepText(step, out.text_lang()))),
    );
    String::from_utf8(text).unwrap_or_default()
}

/// A step's text in a language: its pattern with its figures filled in.
pub(crate) struct StepText<'s>(pub(crate) &'s Step, pub(crate) yibao::core::Lang);

impl std::fmt::Display for StepText<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.write_text_in(self.1, f)
    }
}

/// Which quote a step shows: the quote it names, or its rule's first.
type QuoteChoice = (RuleId, Option<QuoteId>);

/// Each quote's line (locator and quote), made once and written many times.
#[derive(Default)]
pub(crate) struct Quotes(Vec<(QuoteChoice, Option<QuoteLine>)>);

/// A quote's rule, its key (the step's, or one it narrows) and its line.
type QuoteLine = (RuleId, String, String);

impl Quotes {
    /// The quote's rule, the key it was found under (the step's, or one it narrows) and
    /// the line.
    fn line(
        &mut self,
        library: &PolicyLibrary,
        choice: QuoteChoice,
        lang: yibao::core::Lang,
    ) -> Option<(RuleId, &str, &str)> {
        let at = match self.0.iter().position(|(c, _)| *c == choice) {
            Some(at) => at,
            None => {
                self.0.push((choice, quote_line(library, choice, lang)));
                self.0.len() - 1
            }
        };
        self.0
            .get(at)
            .and_then(|(_, line)| line.as_ref())
            .map(|(rule, key, line)| (*rule, key.as_str(), line.as_str()))
    }
}

fn quote_line(
    library: &PolicyLibrary,
    (rule, named): QuoteChoice,
    lang: yibao::core::Lang,
) -> Option<QuoteLine> {
    let (registered, quote) = library.registry.shown_quote(rule, named)?;
    let source = library
        .registry
        .source(&registered.source)
        .map_or(registered.source.as_str(), |s| s.title.as_str());
    // A locator joins two places of the source with `and` (`一、2 and 三、1`); a Chinese
    // text joins them with 、.
    let locator = match lang {
        yibao::core::Lang::En => std::borrow::Cow::Borrowed(registered.locator.as_str()),
        yibao::core::Lang::Zh => registered.locator.replace(" and ", "、").into(),
    };
    Some((
        registered.id,
        quote.key.clone(),
        format!("       {source} {locator}: «{}»\n", quote.text.trim()),
    ))
}

/// [`steps`], written to `w` as they come.
pub(crate) fn write_steps<'s, D: std::fmt::Display>(
    w: &mut impl Write,
    library: &PolicyLibrary,
    out: &Out,
    quotes: &mut Quotes,
    steps: impl Iterator<Item = (&'s Step, D)>,
) -> std::io::Result<()> {
    write!(
        w,
        "\n{}\n",
        out.label(Label {
            en: "How each figure was reached:",
            zh: "计算过程与依据："
        })
    )?;
    // Each quote is shown once, at the first step that applies it; a step that names no
    // quote shows its rule's first, unless a quote of its rule was shown already.
    let mut quoted: Vec<(RuleId, String)> = Vec::new();
    for (i, (step, description)) in steps.enumerate() {
        let rule = step.rule;
        writeln!(w, "{:>3}. [{rule}] {description}", i + 1)?;
        let choice = (rule, step.quote_id());
        if choice.1.is_none() && quoted.iter().any(|(r, _)| *r == rule) {
            continue;
        }
        let Some((quote_rule, key, line)) = quotes.line(library, choice, out.text_lang()) else {
            continue;
        };
        if quoted.iter().any(|(r, k)| *r == quote_rule && k == key) {
            continue;
        }
        quoted.push((quote_rule, key.to_owned()));
        w.write_all(line.as_bytes())?;
    }
    Ok(())
}
