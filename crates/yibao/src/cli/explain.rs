//! `--explain`: each step with its rule id, the source's locator and the quoted sentence.

use yibao::core::RuleId;
use yibao::policy::PolicyLibrary;

use super::output::{Label, Out};

/// The steps as numbered paragraphs, each followed by the rule's locator and first quote.
pub(crate) fn steps(library: &PolicyLibrary, out: &Out, steps: &[(RuleId, String)]) -> String {
    let mut text = format!(
        "\n{}\n",
        out.label(Label {
            en: "How each figure was reached:",
            zh: "计算过程与依据："
        })
    );
    // Each rule's source sentence is quoted once, at its first step.
    let mut quoted: Vec<RuleId> = Vec::new();
    for (i, (rule, description)) in steps.iter().enumerate() {
        text.push_str(&format!("{:>3}. [{rule}] {description}\n", i + 1));
        if quoted.contains(rule) {
            continue;
        }
        quoted.push(*rule);
        if let Some(registered) = library.registry.rule(*rule) {
            let source = library
                .registry
                .source(&registered.source)
                .map_or(registered.source.as_str(), |s| s.title.as_str());
            if let Some(quote) = registered.quotes.first() {
                text.push_str(&format!(
                    "       {source} {}: «{}»\n",
                    registered.locator,
                    quote.trim()
                ));
            }
        }
    }
    text
}
