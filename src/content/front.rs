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

/// The language of a file's front matter: `+++` TOML or `---` YAML, as Zola reads both.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Toml,
    Yaml,
}

/// Splits `+++` TOML or `---` YAML front matter from the body; returns (format, front,
/// body). Like Zola, whitespace may come before the opening fence, and the closing fence
/// may be followed by spaces; a file that opens a fence and never closes it is `None`.
pub fn split(text: &str) -> Option<(Format, &str, &str)> {
    let start = text.trim_start();
    let (format, fence) = if start.starts_with("+++") {
        (Format::Toml, "+++")
    } else if start.starts_with("---") {
        (Format::Yaml, "---")
    } else {
        return None;
    };
    let rest = &start[3..];
    let rest = rest.strip_prefix("\r\n").or_else(|| rest.strip_prefix('\n'))?;
    let mut offset = 0;
    for line in rest.split_inclusive('\n') {
        if line.trim_end() == fence {
            return Some((format, &rest[..offset], &rest[offset + line.len()..]));
        }
        offset += line.len();
    }
    None
}

/// Reads YAML front matter into the same fields as TOML front matter: the YAML is read
/// with the `yaml_serde` crate (YAML 1.1 scalars, as Zola's `serde_yaml`), turned into a
/// TOML value (a `null` drops its key, as a missing TOML key) and deserialised from that,
/// so both formats share every default and check.
pub fn from_yaml<T: serde::de::DeserializeOwned>(yaml: &str) -> Result<T, String> {
    let value: yaml_serde::Value = yaml_serde::from_str(yaml).map_err(|e| format!("YAML front matter: {e}"))?;
    let table = match yaml_to_toml(value)? {
        None => toml::Value::Table(toml::Table::new()),
        Some(t @ toml::Value::Table(_)) => t,
        Some(other) => return Err(format!("YAML front matter must be a mapping, found {}", other.type_str())),
    };
    T::deserialize(table).map_err(|e| format!("YAML front matter: {}", e.message()))
}

fn yaml_to_toml(v: yaml_serde::Value) -> Result<Option<toml::Value>, String> {
    use yaml_serde::Value as Y;
    Ok(Some(match v {
        Y::Null => return Ok(None),
        Y::Bool(b) => toml::Value::Boolean(b),
        Y::Number(n) => match n.as_i64() {
            Some(i) => toml::Value::Integer(i),
            None => toml::Value::Float(n.as_f64().ok_or_else(|| format!("number out of range: {n}"))?),
        },
        Y::String(s) => toml::Value::String(s),
        Y::Sequence(items) => {
            let mut out = Vec::with_capacity(items.len());
            for item in items {
                out.push(yaml_to_toml(item)?.ok_or("a list in YAML front matter holds a null")?);
            }
            toml::Value::Array(out)
        }
        Y::Mapping(map) => {
            let mut out = toml::Table::new();
            for (k, v) in map {
                let key = match k {
                    Y::String(s) => s,
                    Y::Bool(b) => b.to_string(),
                    Y::Number(n) => n.to_string(),
                    other => return Err(format!("a key in YAML front matter is not text: {other:?}")),
                };
                if let Some(v) = yaml_to_toml(v)? {
                    out.insert(key, v);
                }
            }
            toml::Value::Table(out)
        }
        Y::Tagged(t) => return yaml_to_toml(t.value),
    }))
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

    #[test]
    fn yaml_front_matter_reads_like_toml() {
        let text = "---\ntitle : \"Rediscovering LL\"\ndate : \"2004-05-16\"\nweight: 3\nslug: ~\ntaxonomies:\n  tags: [a, b]\nextra:\n  n: 1.5\n---\nBody\n";
        let (format, front, body) = split(text).unwrap();
        assert_eq!((format, body), (Format::Yaml, "Body\n"));
        let f: PageFront = from_yaml(front).unwrap();
        assert_eq!(f.title.as_deref(), Some("Rediscovering LL"));
        assert_eq!(f.date.as_deref(), Some("2004-05-16"));
        assert_eq!((f.weight, f.slug), (Some(3), None));
        assert_eq!(f.taxonomies["tags"], ["a", "b"]);
        assert_eq!(f.extra["n"], 1.5);
        let err = from_yaml::<PageFront>("weight: heavy\n").unwrap_err();
        assert!(err.contains("YAML front matter"), "{err}");
        assert!(split("---\ntitle: x\n").is_none(), "an unclosed fence is not front matter");
        let (format, front, _) = split("\n+++\ntitle = \"t\"\n+++  \n").unwrap();
        assert_eq!((format, front), (Format::Toml, "title = \"t\"\n"));
    }
}
