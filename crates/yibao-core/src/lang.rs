//! The two languages the engine writes in, and terms written in both.
//!
//! Each message of the engine is written once in English and once in Chinese, side by side
//! where it is defined: a step's sentence pattern ([`Step::zh`](crate::Step::zh)), a domain
//! value's name ([`Term`]), a report's note ([`Said`]), a reason's or an error's `zh()`
//! beside its `Display` (every error type of the engine has one: `MoneyError::zh`,
//! `SettleErrorKind::zh` …, a wrapping error's calling the wrapped one's). Chinese uses the terms of the trade (起付线, 统筹基金支付,
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

/// A sentence of the engine in both languages, made where it is written (a report's note):
/// the English always, the Chinese where the engine writes one (a text taken from the policy
/// data as it is has only its English). It reads as its English (`Deref`, `Display`,
/// `Serialize`): JSON writes the English whatever the language of a table.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Said {
    en: std::borrow::Cow<'static, str>,
    zh: Option<std::borrow::Cow<'static, str>>,
}

impl Said {
    /// The sentence `en` / `zh`.
    pub fn new(
        en: impl Into<std::borrow::Cow<'static, str>>,
        zh: impl Into<std::borrow::Cow<'static, str>>,
    ) -> Said {
        Said {
            en: en.into(),
            zh: Some(zh.into()),
        }
    }

    /// The English.
    pub fn en(&self) -> &str {
        &self.en
    }

    /// The Chinese, if the engine wrote one.
    pub fn zh(&self) -> Option<&str> {
        self.zh.as_deref()
    }

    /// The sentence in `lang` (the English where there is no Chinese).
    pub fn text(&self, lang: Lang) -> &str {
        match (lang, &self.zh) {
            (Lang::Zh, Some(zh)) => zh,
            _ => &self.en,
        }
    }
}

impl From<&'static str> for Said {
    fn from(en: &'static str) -> Said {
        Said {
            en: en.into(),
            zh: None,
        }
    }
}

impl From<String> for Said {
    fn from(en: String) -> Said {
        Said {
            en: en.into(),
            zh: None,
        }
    }
}

impl PartialEq<&str> for Said {
    fn eq(&self, other: &&str) -> bool {
        self.en == *other
    }
}

impl std::ops::Deref for Said {
    type Target = str;

    fn deref(&self) -> &str {
        &self.en
    }
}

impl AsRef<str> for Said {
    fn as_ref(&self) -> &str {
        &self.en
    }
}

impl std::fmt::Display for Said {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.en)
    }
}

impl serde::Serialize for Said {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.en)
    }
}

#[cfg(feature = "schemars")]
impl schemars::JsonSchema for Said {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        String::schema_name()
    }

    fn json_schema(generator: &mut schemars::SchemaGenerator) -> schemars::Schema {
        String::json_schema(generator)
    }

    fn inline_schema() -> bool {
        true
    }
}
