//! Zola's front matter for pages and sections, and its dates.
//!
//! Unknown keys are ignored as Zola ignores them (the caller may warn); values of the
//! wrong type are errors with their line.

use chrono::{DateTime, NaiveDate, NaiveDateTime};
use serde::{Deserialize, Deserializer};
use std::collections::BTreeMap;

/// Dates may be TOML dates or strings; both are kept as text, as Zola gives them to templates.
fn date_text<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    match Option::<toml::Value>::deserialize(d)? {
        None => Ok(None),
        Some(toml::Value::String(s)) => Ok(Some(s)),
        Some(toml::Value::Datetime(dt)) => Ok(Some(dt.to_string())),
        Some(other) => Err(serde::de::Error::custom(format!("expected a date, found {}", other.type_str()))),
    }
}

fn extra<'de, D: Deserializer<'de>>(d: D) -> Result<serde_json::Value, D::Error> {
    let t = toml::Table::deserialize(d)?;
    Ok(crate::config::toml_to_json(&toml::Value::Table(t)))
}

fn empty_object() -> serde_json::Value {
    serde_json::Value::Object(Default::default())
}

fn yes() -> bool {
    true
}

#[derive(Debug, Clone, Deserialize)]
pub struct PageFront {
    pub title: Option<String>,
    pub description: Option<String>,
    #[serde(default, deserialize_with = "date_text")]
    pub date: Option<String>,
    #[serde(default, deserialize_with = "date_text")]
    pub updated: Option<String>,
    pub weight: Option<i64>,
    #[serde(default)]
    pub draft: bool,
    #[serde(default = "yes")]
    pub render: bool,
    pub slug: Option<String>,
    pub path: Option<String>,
    #[serde(default)]
    pub taxonomies: BTreeMap<String, Vec<String>>,
    #[serde(default)]
    pub authors: Vec<String>,
    #[serde(default)]
    pub aliases: Vec<String>,
    pub template: Option<String>,
    #[serde(default = "yes")]
    pub in_search_index: bool,
    #[serde(default = "empty_object", deserialize_with = "extra")]
    pub extra: serde_json::Value,
}

#[derive(Debug, Clone, Copy, Default, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum SortBy {
    Date,
    UpdateDate,
    Title,
    TitleBytes,
    Weight,
    Slug,
    Permalink,
    #[default]
    None,
}

#[derive(Debug, Clone, Deserialize)]
pub struct SectionFront {
    pub title: Option<String>,
    pub description: Option<String>,
    #[serde(default)]
    pub sort_by: SortBy,
    #[serde(default)]
    pub weight: i64,
    #[serde(default)]
    pub draft: bool,
    pub template: Option<String>,
    pub paginate_by: Option<usize>,
    #[serde(default)]
    pub paginate_reversed: bool,
    #[serde(default = "page")]
    pub paginate_path: String,
    pub insert_anchor_links: Option<crate::config::InsertAnchor>,
    #[serde(default = "yes")]
    pub render: bool,
    pub redirect_to: Option<String>,
    #[serde(default = "yes")]
    pub in_search_index: bool,
    #[serde(default)]
    pub transparent: bool,
    pub page_template: Option<String>,
    #[serde(default)]
    pub aliases: Vec<String>,
    #[serde(default)]
    pub generate_feeds: bool,
    #[serde(default = "empty_object", deserialize_with = "extra")]
    pub extra: serde_json::Value,
}

fn page() -> String {
    "page".into()
}

/// Parses a date as Zola accepts them: RFC 3339, a date and time without an offset, or a
/// bare date. The time zone, when given, is kept out of the comparison key (UTC).
pub fn parse_date(s: &str) -> Option<NaiveDateTime> {
    let s = s.trim();
    if let Ok(d) = DateTime::parse_from_rfc3339(s) {
        return Some(d.naive_utc());
    }
    for f in ["%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"] {
        if let Ok(d) = NaiveDateTime::parse_from_str(s, f) {
            return Some(d);
        }
    }
    NaiveDate::parse_from_str(s.get(..10)?, "%Y-%m-%d").ok().and_then(|d| d.and_hms_opt(0, 0, 0))
}

/// Splits `+++` TOML front matter from the body; returns (front, body, line of the body).
pub fn split(text: &str) -> Option<(&str, &str)> {
    let rest = text.strip_prefix("+++")?;
    let rest = rest.strip_prefix("\r\n").or_else(|| rest.strip_prefix('\n'))?;
    let mut offset = 0;
    for line in rest.split_inclusive('\n') {
        if line.trim_end() == "+++" {
            return Some((&rest[..offset], &rest[offset + line.len()..]));
        }
        offset += line.len();
    }
    None
}

/// Front matter of a file that does not exist (a page or section another source
/// generates): every field at its default, exactly as an empty `+++` block gives it.
impl Default for PageFront {
    fn default() -> Self {
        toml::from_str("").expect("every field of a page's front matter has a default")
    }
}

impl Default for SectionFront {
    fn default() -> Self {
        toml::from_str("").expect("every field of a section's front matter has a default")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_as_zola_reads_them() {
        assert_eq!(parse_date("2024-01-05").unwrap().to_string(), "2024-01-05 00:00:00");
        assert_eq!(parse_date("2024-01-05T10:00:00+09:00").unwrap().to_string(), "2024-01-05 01:00:00");
        let f: PageFront = toml::from_str("date = 2024-02-03\ntitle = \"x\"").unwrap();
        assert_eq!(f.date.as_deref(), Some("2024-02-03"));
        assert!(f.render && f.in_search_index);
    }
}
