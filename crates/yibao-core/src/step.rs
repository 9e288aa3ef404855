//! One explanation step, shared by every domain: the rule it applied, a sentence pattern with
//! named holes, and the figures that fill them, as typed values.
//!
//! A step is data; its text is made only at the edge (the CLI, the JSON writer) by
//! [`Step::render`] or `Display`, which fill each `{name}` hole of the template with the
//! figure of that name. The template is a `&'static str` written once in the engine, beside
//! its Chinese pattern ([`Step::zh`]), which has the same holes: [`Step::render_in`] fills the
//! pattern of a language, writing each [`Term`] figure (a domain value's name) in that
//! language. A step also names the source quote it applies ([`Step::quote`], a
//! [`QuoteKey`] under its rule).
//!
//! ```
//! use yibao_core::{Rate, RuleId, Step, Yuan};
//!
//! let rule: RuleId = "H14".parse().unwrap();
//! let step = Step::new(rule, "{eligible} × {rate}")
//!     .yuan("eligible", Yuan::from_fen(2_910_000).unwrap())
//!     .rate("rate", "65%".parse::<Rate>().unwrap());
//! assert_eq!(step.render(), "29100.00 × 65%");
//! assert_eq!(step.to_string(), "[H14] 29100.00 × 65%");
//! assert!(step.check().is_ok());
//! ```

use std::fmt;

use chrono::NaiveDate;
use serde::ser::{SerializeSeq, SerializeStruct};
use serde::{Serialize, Serializer};

use crate::{DateRange, ExactYuan, Lang, PolicyYear, QuoteId, QuoteKey, Rate, RuleId, Term, Yuan};

/// The value of one figure of a step.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum FigureValue {
    /// An amount in yuan (2 decimals).
    Yuan(Yuan),
    /// An exact amount before rounding.
    ExactYuan(ExactYuan),
    /// A rate.
    Rate(Rate),
    /// A day.
    Date(NaiveDate),
    /// An inclusive range of days.
    Range(DateRange),
    /// A policy year.
    Year(PolicyYear),
    /// A count (days, years, claims …).
    Count(i64),
    /// A fixed word of the engine (a domain value's name, a phrase chosen by a branch).
    Word(&'static str),
    /// Any other text, written as it is (a place, a list, an id).
    Text(String),
    /// A word of the engine in both languages (a domain value's name).
    Term(Term),
    /// A phrase made of figures, in both languages (a band's bounds).
    Phrase {
        /// English.
        en: String,
        /// Chinese.
        zh: String,
    },
}

impl FigureValue {
    /// Writes the value in `lang` (only terms and phrases differ by language).
    fn write_in(&self, lang: Lang, w: &mut impl fmt::Write) -> fmt::Result {
        match (self, lang) {
            (FigureValue::Term(term), _) => w.write_str(term.text(lang)),
            (FigureValue::Range(range), Lang::Zh) => {
                write!(w, "{} 至 {}", range.start(), range.end())
            }
            (FigureValue::Phrase { zh, .. }, Lang::Zh) => w.write_str(zh),
            _ => write!(w, "{self}"),
        }
    }
}

impl fmt::Display for FigureValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FigureValue::Yuan(v) => fmt::Display::fmt(v, f),
            FigureValue::ExactYuan(v) => fmt::Display::fmt(v, f),
            FigureValue::Rate(v) => fmt::Display::fmt(v, f),
            FigureValue::Date(v) => fmt::Display::fmt(v, f),
            FigureValue::Range(v) => fmt::Display::fmt(v, f),
            FigureValue::Year(v) => fmt::Display::fmt(v, f),
            FigureValue::Count(v) => fmt::Display::fmt(v, f),
            FigureValue::Word(v) => f.write_str(v),
            FigureValue::Text(v) => f.write_str(v),
            FigureValue::Term(v) => f.write_str(v.en),
            FigureValue::Phrase { en, .. } => f.write_str(en),
        }
    }
}

impl From<Yuan> for FigureValue {
    fn from(v: Yuan) -> FigureValue {
        FigureValue::Yuan(v)
    }
}
impl From<ExactYuan> for FigureValue {
    fn from(v: ExactYuan) -> FigureValue {
        FigureValue::ExactYuan(v)
    }
}
impl From<Rate> for FigureValue {
    fn from(v: Rate) -> FigureValue {
        FigureValue::Rate(v)
    }
}
impl From<NaiveDate> for FigureValue {
    fn from(v: NaiveDate) -> FigureValue {
        FigureValue::Date(v)
    }
}
impl From<DateRange> for FigureValue {
    fn from(v: DateRange) -> FigureValue {
        FigureValue::Range(v)
    }
}
impl From<PolicyYear> for FigureValue {
    fn from(v: PolicyYear) -> FigureValue {
        FigureValue::Year(v)
    }
}
impl From<&'static str> for FigureValue {
    fn from(v: &'static str) -> FigureValue {
        FigureValue::Word(v)
    }
}
impl From<Term> for FigureValue {
    fn from(v: Term) -> FigureValue {
        FigureValue::Term(v)
    }
}
impl From<String> for FigureValue {
    fn from(v: String) -> FigureValue {
        FigureValue::Text(v)
    }
}
macro_rules! count_from {
    ($($t:ty),*) => {$(
        impl From<$t> for FigureValue {
            fn from(v: $t) -> FigureValue {
                FigureValue::Count(i64::from(v))
            }
        }
    )*};
}
count_from!(u8, u16, u32, i8, i16, i32, i64);

impl From<usize> for FigureValue {
    fn from(v: usize) -> FigureValue {
        i64::try_from(v).map_or_else(|_| FigureValue::Text(v.to_string()), FigureValue::Count)
    }
}

impl From<u64> for FigureValue {
    fn from(v: u64) -> FigureValue {
        i64::try_from(v).map_or_else(|_| FigureValue::Text(v.to_string()), FigureValue::Count)
    }
}

macro_rules! by_reference {
    ($($t:ty),*) => {$(
        impl From<&$t> for FigureValue {
            fn from(v: &$t) -> FigureValue {
                FigureValue::from(*v)
            }
        }
    )*};
}
by_reference!(
    Yuan, ExactYuan, Rate, NaiveDate, DateRange, PolicyYear, u8, u16, u32, i8, i16, i32, i64, u64,
    usize
);

impl From<&String> for FigureValue {
    fn from(v: &String) -> FigureValue {
        FigureValue::Text(v.clone())
    }
}

/// One named figure of a step.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Figure {
    /// The name of the template hole it fills.
    pub name: &'static str,
    /// Its value.
    pub value: FigureValue,
}

/// One explained step: the rule it applied, the sentence pattern and its figures.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Step {
    /// The rule applied.
    pub rule: RuleId,
    template: &'static str,
    zh: Option<&'static str>,
    figures: Vec<Figure>,
    quote: Option<QuoteId>,
}

/// A mismatch between a step's template and its figures, found by [`Step::check`].
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum StepError {
    /// A hole of the template has no figure.
    #[error("the step template {template:?} has a hole {{{hole}}} without a figure")]
    HoleWithoutFigure {
        /// The template.
        template: &'static str,
        /// The hole's name.
        hole: String,
    },
    /// A figure fills no hole of the template.
    #[error("the step template {template:?} has no hole for the figure {figure:?}")]
    FigureWithoutHole {
        /// The template.
        template: &'static str,
        /// The figure's name.
        figure: &'static str,
    },
    /// A `{` or `}` of the template is not a well-formed hole or escape (`{{`, `}}`).
    #[error("the step template {template:?} has an unmatched brace")]
    UnmatchedBrace {
        /// The template.
        template: &'static str,
    },
}

/// A piece of a template: literal text or a hole.
enum Piece<'t> {
    Literal(&'t str),
    Hole(&'t str),
    Unmatched,
}

/// The pieces of a template: literal runs, `{name}` holes, `{{` and `}}` as one brace.
fn pieces(template: &str) -> impl Iterator<Item = Piece<'_>> {
    let mut rest = template;
    std::iter::from_fn(move || {
        if rest.is_empty() {
            return None;
        }
        let Some(at) = rest.find(['{', '}']) else {
            let all = rest;
            rest = "";
            return Some(Piece::Literal(all));
        };
        if at > 0 {
            let (literal, tail) = rest.split_at(at);
            rest = tail;
            return Some(Piece::Literal(literal));
        }
        if rest.starts_with("{{") || rest.starts_with("}}") {
            let (brace, tail) = rest.split_at(1);
            rest = tail.get(1..).unwrap_or("");
            return Some(Piece::Literal(brace));
        }
        if rest.starts_with('{')
            && let Some(end) = rest.find('}')
        {
            let name = rest.get(1..end).unwrap_or("");
            if !name.is_empty() && !name.contains('{') {
                rest = rest.get(end + 1..).unwrap_or("");
                return Some(Piece::Hole(name));
            }
        }
        rest = rest.get(1..).unwrap_or("");
        Some(Piece::Unmatched)
    })
}

impl Step {
    /// A step of `rule` whose text is `template`, its `{name}` holes filled by the figures
    /// added with [`Step::with`] and its shorthands (`{{` and `}}` write one brace).
    pub fn new(rule: RuleId, template: &'static str) -> Step {
        Step {
            rule,
            template,
            zh: None,
            figures: Vec::new(),
            quote: None,
        }
    }

    /// The step with its sentence pattern in Chinese, written beside the English one where
    /// the step is made; it has the same holes.
    #[must_use]
    pub fn zh(mut self, template: &'static str) -> Step {
        self.zh = Some(template);
        self
    }

    /// The Chinese sentence pattern, if the step has one.
    pub fn template_zh(&self) -> Option<&'static str> {
        self.zh
    }

    /// The text in `lang`: the pattern of that language (English where the step has no
    /// Chinese one) with its figures filled in, terms and phrases in that language.
    pub fn render_in(&self, lang: Lang) -> String {
        let mut text = String::with_capacity(self.template.len() + 16 * self.figures.len());
        // Writing to a String cannot fail.
        let _ = self.write_text_in(lang, &mut text);
        text
    }

    /// Writes the text in `lang` (see [`Step::render_in`]).
    ///
    /// # Errors
    /// The writer's error.
    pub fn write_text_in(&self, lang: Lang, w: &mut impl fmt::Write) -> fmt::Result {
        let template = match (lang, self.zh) {
            (Lang::Zh, Some(zh)) => zh,
            _ => self.template,
        };
        for piece in pieces(template) {
            match piece {
                Piece::Literal(text) => w.write_str(text)?,
                Piece::Hole(name) => match self.figure(name) {
                    Some(value) => value.write_in(lang, w)?,
                    None => write!(w, "{{{name}}}")?,
                },
                Piece::Unmatched => w.write_str("{")?,
            }
        }
        Ok(())
    }

    /// The step with a word of the engine in both languages.
    #[must_use]
    pub fn term(self, name: &'static str, value: Term) -> Step {
        self.with(name, FigureValue::Term(value))
    }

    /// The step with a phrase made of figures, in both languages.
    #[must_use]
    pub fn phrase(self, name: &'static str, en: String, zh: String) -> Step {
        self.with(name, FigureValue::Phrase { en, zh })
    }

    /// The step naming the quote of its rule that it applies (`H14.row.level_3`: the key
    /// `row.level_3` under the step's rule).
    #[must_use]
    pub fn quote(mut self, key: QuoteKey) -> Step {
        self.quote = Some(QuoteId::new(self.rule, key));
        self
    }

    /// The step naming a quote of another rule of its citation (the step of an accident paid
    /// like illness cites the exclusions, H22, and applies H21's sentence on accidents).
    #[must_use]
    pub fn quote_of(mut self, rule: RuleId, key: QuoteKey) -> Step {
        self.quote = Some(QuoteId::new(rule, key));
        self
    }

    /// The quote the step applies, if it names one.
    pub fn quote_id(&self) -> Option<QuoteId> {
        self.quote
    }

    /// The step with one more figure, filling the hole `{name}`.
    #[must_use]
    pub fn with(mut self, name: &'static str, value: impl Into<FigureValue>) -> Step {
        self.figures.push(Figure {
            name,
            value: value.into(),
        });
        self
    }

    /// The step with an amount.
    #[must_use]
    pub fn yuan(self, name: &'static str, value: Yuan) -> Step {
        self.with(name, value)
    }

    /// The step with an exact amount.
    #[must_use]
    pub fn exact(self, name: &'static str, value: ExactYuan) -> Step {
        self.with(name, value)
    }

    /// The step with a rate.
    #[must_use]
    pub fn rate(self, name: &'static str, value: Rate) -> Step {
        self.with(name, value)
    }

    /// The step with a day.
    #[must_use]
    pub fn date(self, name: &'static str, value: NaiveDate) -> Step {
        self.with(name, value)
    }

    /// The step with a count.
    #[must_use]
    pub fn count(self, name: &'static str, value: impl Into<i64>) -> Step {
        self.with(name, FigureValue::Count(value.into()))
    }

    /// The step with a fixed word of the engine.
    #[must_use]
    pub fn word(self, name: &'static str, value: &'static str) -> Step {
        self.with(name, FigureValue::Word(value))
    }

    /// The step with any other value, written by its `Display`.
    #[must_use]
    pub fn text(self, name: &'static str, value: impl fmt::Display) -> Step {
        self.with(name, FigureValue::Text(value.to_string()))
    }

    /// The sentence pattern: a key a renderer in another language can look up.
    pub fn template(&self) -> &'static str {
        self.template
    }

    /// The figures, in the order they were added.
    pub fn figures(&self) -> &[Figure] {
        &self.figures
    }

    /// The figure named `name`, if any.
    pub fn figure(&self, name: &str) -> Option<&FigureValue> {
        self.figures
            .iter()
            .find(|f| f.name == name)
            .map(|f| &f.value)
    }

    /// The text: the template with each hole filled by its figure (a hole without a figure
    /// is written as it stands, `{name}`, which [`Step::check`] reports).
    pub fn render(&self) -> String {
        let mut text = String::with_capacity(self.template.len() + 16 * self.figures.len());
        // Writing to a String cannot fail.
        let _ = self.write_text(&mut text);
        text
    }

    /// Writes the text (see [`Step::render`]).
    ///
    /// # Errors
    /// The writer's error.
    pub fn write_text(&self, w: &mut impl fmt::Write) -> fmt::Result {
        for piece in pieces(self.template) {
            match piece {
                Piece::Literal(text) => w.write_str(text)?,
                Piece::Hole(name) => match self.figure(name) {
                    Some(value) => write!(w, "{value}")?,
                    None => write!(w, "{{{name}}}")?,
                },
                Piece::Unmatched => w.write_str("{")?,
            }
        }
        Ok(())
    }

    /// Every mismatch of template and figures: each hole has a figure, each figure a hole,
    /// each brace is a hole or an escape.
    ///
    /// # Errors
    /// The first mismatch found.
    pub fn check(&self) -> Result<(), StepError> {
        self.check_template(self.template)?;
        match self.zh {
            Some(zh) => self.check_template(zh),
            None => Ok(()),
        }
    }

    /// [`Step::check`] for one of the step's patterns.
    fn check_template(&self, template: &'static str) -> Result<(), StepError> {
        let mut holes = Vec::new();
        for piece in pieces(template) {
            match piece {
                Piece::Literal(_) => {}
                Piece::Hole(name) => {
                    if self.figure(name).is_none() {
                        return Err(StepError::HoleWithoutFigure {
                            template,
                            hole: name.to_owned(),
                        });
                    }
                    holes.push(name);
                }
                Piece::Unmatched => return Err(StepError::UnmatchedBrace { template }),
            }
        }
        match self.figures.iter().find(|f| !holes.contains(&f.name)) {
            Some(f) => Err(StepError::FigureWithoutHole {
                template,
                figure: f.name,
            }),
            None => Ok(()),
        }
    }

    /// The step serialised as `{"rule": …, <field>: <text>}` (the text rendered).
    fn serialize_as<S: Serializer>(
        &self,
        serializer: S,
        field: &'static str,
    ) -> Result<S::Ok, S::Error> {
        let mut s = serializer.serialize_struct("Step", 2)?;
        s.serialize_field("rule", &self.rule)?;
        s.serialize_field(field, &self.render())?;
        s.end()
    }
}

impl fmt::Display for Step {
    /// `[rule] text`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "[{}] ", self.rule)?;
        self.write_text(f)
    }
}

/// Written as `{"rule": …, "text": …}`, the text rendered (see [`described`] for the
/// domains whose steps are written with a `description`).
impl Serialize for Step {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.serialize_as(serializer, "text")
    }
}

/// Serialises a list of steps as `[{"rule": …, "description": …}]`, the text rendered:
/// `#[serde(serialize_with = "yibao_core::step::described")]` on a `Vec<Step>` field, for
/// the answers of the enrolment, catastrophic and filing crates, which write their steps so.
///
/// # Errors
/// The serializer's error.
pub fn described<S: Serializer>(steps: &[Step], serializer: S) -> Result<S::Ok, S::Error> {
    struct Described<'a>(&'a Step);
    impl Serialize for Described<'_> {
        fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
            self.0.serialize_as(serializer, "description")
        }
    }
    let mut seq = serializer.serialize_seq(Some(steps.len()))?;
    for step in steps {
        seq.serialize_element(&Described(step))?;
    }
    seq.end()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rule() -> RuleId {
        "H14".parse().unwrap()
    }

    #[test]
    fn rendering_fills_each_hole_with_its_figure() {
        let step = Step::new(
            rule(),
            "({whole} − {deductible}) × {rate} at {level}, {days} days, from {day}",
        )
        .yuan("whole", Yuan::from_fen(3_000_000).unwrap())
        .yuan("deductible", Yuan::from_fen(90_000).unwrap())
        .rate("rate", "65%".parse().unwrap())
        .word("level", "level_3")
        .count("days", 30)
        .date("day", NaiveDate::from_ymd_opt(2026, 3, 1).unwrap());
        assert_eq!(
            step.render(),
            "(30000.00 − 900.00) × 65% at level_3, 30 days, from 2026-03-01"
        );
        assert_eq!(step.to_string(), format!("[H14] {}", step.render()));
        assert_eq!(step.check(), Ok(()));
        assert_eq!(
            step.template(),
            "({whole} − {deductible}) × {rate} at {level}, {days} days, from {day}"
        );
    }

    #[test]
    fn a_hole_may_be_used_twice_and_braces_escaped() {
        let step = Step::new(rule(), "{a} and {a} in {{braces}}").count("a", 7);
        assert_eq!(step.render(), "7 and 7 in {braces}");
        assert_eq!(step.check(), Ok(()));
    }

    #[test]
    fn a_hole_without_a_figure_is_caught() {
        let step =
            Step::new(rule(), "{eligible} × {rate}").yuan("eligible", Yuan::from_fen(100).unwrap());
        assert_eq!(step.render(), "1.00 × {rate}");
        assert_eq!(
            step.check(),
            Err(StepError::HoleWithoutFigure {
                template: "{eligible} × {rate}",
                hole: "rate".to_owned()
            })
        );
    }

    #[test]
    fn a_figure_without_a_hole_is_caught() {
        let step = Step::new(rule(), "{eligible}")
            .yuan("eligible", Yuan::from_fen(100).unwrap())
            .count("days", 3);
        assert_eq!(
            step.check(),
            Err(StepError::FigureWithoutHole {
                template: "{eligible}",
                figure: "days"
            })
        );
    }

    #[test]
    fn an_unmatched_brace_is_caught() {
        let step = Step::new(rule(), "a { b");
        assert!(matches!(
            step.check(),
            Err(StepError::UnmatchedBrace { .. })
        ));
    }

    #[test]
    fn serialised_with_the_text_rendered() {
        let step = Step::new(rule(), "{n} days").count("n", 3);
        assert_eq!(
            serde_json::to_string(&step).unwrap(),
            r#"{"rule":"H14","text":"3 days"}"#
        );
        #[derive(Serialize)]
        struct Answer {
            #[serde(serialize_with = "described")]
            trace: Vec<Step>,
        }
        let answer = Answer { trace: vec![step] };
        assert_eq!(
            serde_json::to_string(&answer).unwrap(),
            r#"{"trace":[{"rule":"H14","description":"3 days"}]}"#
        );
    }

    #[test]
    fn a_step_renders_in_each_language_and_checks_both_patterns() {
        let level = Term::new("level 3", "三级医院");
        let step = Step::new(rule(), "{eligible} × {rate} at {level}")
            .zh("{eligible} × {rate}（{level}）")
            .yuan("eligible", Yuan::from_fen(2_910_000).unwrap())
            .rate("rate", "65%".parse().unwrap())
            .term("level", level);
        assert_eq!(step.render(), "29100.00 × 65% at level 3");
        assert_eq!(step.render_in(Lang::En), step.render());
        assert_eq!(step.render_in(Lang::Zh), "29100.00 × 65%（三级医院）");
        assert_eq!(step.check(), Ok(()));
        // Without a Chinese pattern, the English one, terms in Chinese.
        let plain = Step::new(rule(), "at {level}").term("level", level);
        assert_eq!(plain.render_in(Lang::Zh), "at 三级医院");
        // A Chinese pattern missing a hole is found.
        let short = Step::new(rule(), "at {level}")
            .zh("级别")
            .term("level", level);
        assert_eq!(
            short.check(),
            Err(StepError::FigureWithoutHole {
                template: "级别",
                figure: "level",
            })
        );
    }
}
