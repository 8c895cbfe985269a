//! The two languages of a gongsi site and text that exists in both.

use serde::{Deserialize, Serialize};

/// A site language. Korean is the default (served at `/`), English lives under `/en/`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    Ko,
    En,
}

impl Lang {
    pub const ALL: [Lang; 2] = [Lang::Ko, Lang::En];

    pub fn code(self) -> &'static str {
        match self {
            Lang::Ko => "ko",
            Lang::En => "en",
        }
    }

    pub fn from_code(code: &str) -> Option<Lang> {
        match code {
            "ko" => Some(Lang::Ko),
            "en" => Some(Lang::En),
            _ => None,
        }
    }

    /// The URL prefix of this language: "" for Korean, "/en" for English.
    pub fn prefix(self) -> &'static str {
        match self {
            Lang::Ko => "",
            Lang::En => "/en",
        }
    }

    /// The name of the language in itself, for the language switch.
    pub fn native_name(self) -> &'static str {
        match self {
            Lang::Ko => "한국어",
            Lang::En => "English",
        }
    }
}

/// Text in both languages: either one string used for both (`"CU"`, `"2022"`)
/// or a table `{ ko = "…", en = "…" }`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Text {
    Same(String),
    Both(BothLangs),
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BothLangs {
    pub ko: String,
    pub en: String,
}

impl Text {
    pub fn get(&self, lang: Lang) -> &str {
        match self {
            Text::Same(s) => s,
            Text::Both(b) => match lang {
                Lang::Ko => &b.ko,
                Lang::En => &b.en,
            },
        }
    }

    /// The language whose string is empty, if any (a missing translation).
    pub fn missing(&self) -> Option<Lang> {
        match self {
            Text::Same(s) if s.trim().is_empty() => Some(Lang::Ko),
            Text::Same(_) => None,
            Text::Both(b) if b.ko.trim().is_empty() => Some(Lang::Ko),
            Text::Both(b) if b.en.trim().is_empty() => Some(Lang::En),
            Text::Both(_) => None,
        }
    }
}
