//! The two languages the engine writes in, and terms written in both.
//!
//! Each message of the engine is written once in English and once in Chinese, side by side
//! where it is defined: a step's sentence pattern ([`Step::zh`](crate::Step::zh)), a domain
//! value's name ([`Term`]). Chinese uses the terms of the trade (起付线, 统筹基金支付,
//! 大病保险, 个人负担 …).

/// The language of a text.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Lang {
    /// English.
    #[default]
    En,
    /// Chinese (简体中文).
    Zh,
}

/// A word or phrase of the engine in both languages: a domain value's name (`level 3`,
/// `三级`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Term {
    /// English.
    pub en: &'static str,
    /// Chinese.
    pub zh: &'static str,
}

impl Term {
    /// The term `en` / `zh`.
    pub const fn new(en: &'static str, zh: &'static str) -> Term {
        Term { en, zh }
    }

    /// The term in `lang`.
    pub const fn text(self, lang: Lang) -> &'static str {
        match lang {
            Lang::En => self.en,
            Lang::Zh => self.zh,
        }
    }
}
