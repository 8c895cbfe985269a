//! The site model: plain typed data, free of HTML and of drawing.
//!
//! `load` parses files into these types; `validate` checks them against each other;
//! `render` only reads them. Rates and won amounts are computed once, in `figures`.

pub mod decimal;
pub mod figures;

use crate::config::Config;
use crate::lang::{Lang, Text};
use figures::{Budget, Figure, Kpi, SeriesFigures, Tenths};
use serde::Deserialize;
use std::collections::HashMap;
use std::path::PathBuf;

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Source {
    pub id: String,
    pub title: Text,
    pub year: Option<i32>,
    pub licence: Option<String>,
    pub url: Option<String>,
    pub publisher: Option<Text>,
    /// The pages whose printed number the text layer keeps (a page marker or a case's
    /// first page from the table of contents). When the list is given, any other page a
    /// figure names was estimated between markers and is shown as such ("43쪽(추정)").
    #[serde(default)]
    pub known_pages: Vec<u32>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum RegionLevel {
    SpecialCity,
    MetropolitanCity,
    SpecialSelfGoverningCity,
    Province,
    SpecialSelfGoverningProvince,
    City,
    County,
    District,
}

impl RegionLevel {
    pub fn key(self) -> &'static str {
        match self {
            RegionLevel::SpecialCity => "special-city",
            RegionLevel::MetropolitanCity => "metropolitan-city",
            RegionLevel::SpecialSelfGoverningCity => "special-self-governing-city",
            RegionLevel::Province => "province",
            RegionLevel::SpecialSelfGoverningProvince => "special-self-governing-province",
            RegionLevel::City => "city",
            RegionLevel::County => "county",
            RegionLevel::District => "district",
        }
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Region {
    pub slug: String,
    pub name: Text,
    pub level: RegionLevel,
    pub parent: Option<String>,
    #[serde(default)]
    pub aliases: Vec<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Category {
    pub slug: String,
    pub name: Text,
    pub order: i64,
    pub part: Option<String>,
    #[serde(default)]
    pub aliases: Vec<String>,
}

/// Where a record is cited from: a source document and its printed page.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SourceRef {
    pub document: String,
    pub page: u32,
}

/// Front matter of a markdown file, as in Zola.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FrontMatter {
    pub title: Option<String>,
    pub description: Option<String>,
    pub date: Option<toml::value::Datetime>,
    pub weight: Option<i64>,
    #[serde(default)]
    pub draft: bool,
    pub slug: Option<String>,
    pub template: Option<String>,
    #[serde(default)]
    pub aliases: Vec<String>,
    #[serde(default)]
    pub extra: toml::Table,
}

/// One markdown file: front matter and the unrendered body.
#[derive(Debug, Clone)]
pub struct Markdown {
    pub file: PathBuf,
    pub front: FrontMatter,
    pub body: String,
    /// Hash of the file's text, for incremental builds.
    pub hash: u64,
}

/// A stable hash of some texts: decides whether a page's inputs, or an output file,
/// changed since the last build.
pub fn hash_texts<'a>(parts: impl IntoIterator<Item = &'a [u8]>) -> u64 {
    // XXH3: fixed by its specification (the same on every machine and release), and
    // fast enough to hash every output file.
    let mut h = xxhash_rust::xxh3::Xxh3::new();
    for p in parts {
        h.update(&(p.len() as u64).to_le_bytes());
        h.update(p);
    }
    h.digest()
}

/// The Korean and English versions of something.
#[derive(Debug, Clone)]
pub struct PerLang<T> {
    pub ko: T,
    pub en: T,
}

impl<T> PerLang<T> {
    pub fn get(&self, lang: Lang) -> &T {
        match lang {
            Lang::Ko => &self.ko,
            Lang::En => &self.en,
        }
    }
}

/// `case.toml`: a chapter of the source that presents one or more programs.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CaseData {
    pub slug: String,
    pub number: String,
    pub category: String,
    pub region: String,
    pub title: Text,
    pub source: SourceRef,
    pub pages: Option<[u32; 2]>,
    pub order: i64,
    #[serde(default)]
    pub aliases: Vec<String>,
    /// When its data last changed (a TOML date, `updated = 2026-12-02`): its pages say so.
    pub updated: Option<toml::value::Datetime>,
    #[serde(default)]
    pub series: Vec<figures::Series>,
    #[serde(default)]
    pub figure: Vec<Figure>,
}

/// `program.toml`: one program's figures, language-neutral.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProgramData {
    pub slug: String,
    pub region: String,
    pub category: String,
    pub case: Option<String>,
    pub order: Option<i64>,
    #[serde(default)]
    pub aliases: Vec<String>,
    pub name: Text,
    pub period: Option<Text>,
    pub target_group: Option<Text>,
    pub source: SourceRef,
    /// When its data last changed (a TOML date, `updated = 2026-12-02`): its page says so.
    pub updated: Option<toml::value::Datetime>,
    #[serde(default)]
    pub budget: Vec<figures::BudgetRow>,
    #[serde(default)]
    pub kpi: Vec<figures::KpiRow>,
    #[serde(default)]
    pub series: Vec<figures::Series>,
    #[serde(default)]
    pub figure: Vec<Figure>,
}

#[derive(Debug, Clone)]
pub struct Case {
    /// Hash of its files, for incremental builds.
    pub hash: u64,
    pub data: CaseData,
    pub series: Vec<SeriesFigures>,
    pub file: PathBuf,
    pub text: PerLang<Markdown>,
}

#[derive(Debug, Clone)]
pub struct Program {
    /// Hash of its files, for incremental builds.
    pub hash: u64,
    pub data: ProgramData,
    pub budgets: Vec<Budget>,
    pub kpis: Vec<Kpi>,
    pub series: Vec<SeriesFigures>,
    pub file: PathBuf,
    pub text: PerLang<Markdown>,
}

impl Program {
    pub fn slug(&self) -> &str {
        &self.data.slug
    }

    pub fn has_figures(&self) -> bool {
        !self.budgets.is_empty() || !self.kpis.is_empty()
    }

    /// The latest fiscal year's budget, which is what totals add up.
    pub fn latest_budget(&self) -> Option<&Budget> {
        self.budgets.iter().max_by_key(|b| b.row.year)
    }
}

/// An ordinary content page or section (`about.md`, `_index.md`), in both languages.
#[derive(Debug, Clone)]
pub struct ContentPage {
    /// The path below the language prefix, e.g. "/about/" or "/" for the home section.
    pub path: String,
    /// The file path relative to `content/`, Korean version ("about.md"), for `get_page`.
    pub relative: String,
    pub is_section: bool,
    pub text: PerLang<Markdown>,
    pub hash: u64,
}

/// Sums of budgets, executed amounts and the overall rate.
#[derive(Debug, Clone, Copy, Default)]
pub struct Totals {
    pub budget_won: i128,
    pub executed_won: i128,
    pub programs: usize,
    pub programs_with_budget: usize,
}

impl Totals {
    pub fn add(&mut self, p: &Program) {
        self.programs += 1;
        if let Some(b) = p.latest_budget() {
            self.budget_won += b.budget_won;
            self.executed_won += b.executed_won;
            self.programs_with_budget += 1;
        }
    }

    pub fn rate(&self) -> Option<Tenths> {
        figures::percent_int(self.executed_won, self.budget_won)
    }
}

/// The whole site, ready to render. Lists are in their published order.
#[derive(Debug, Clone)]
pub struct Site {
    pub root: PathBuf,
    pub config: Config,
    pub sources: Vec<Source>,
    pub regions: Vec<Region>,
    pub categories: Vec<Category>,
    pub cases: Vec<Case>,
    pub programs: Vec<std::sync::Arc<Program>>,
    pub pages: Vec<ContentPage>,
    pub region_index: HashMap<String, usize>,
    pub category_index: HashMap<String, usize>,
    pub case_index: HashMap<String, usize>,
}

impl Site {
    pub fn region(&self, slug: &str) -> Option<&Region> {
        self.region_index.get(slug).map(|&i| &self.regions[i])
    }

    pub fn category(&self, slug: &str) -> Option<&Category> {
        self.category_index.get(slug).map(|&i| &self.categories[i])
    }

    pub fn case(&self, slug: &str) -> Option<&Case> {
        self.case_index.get(slug).map(|&i| &self.cases[i])
    }

    pub fn source(&self, id: &str) -> Option<&Source> {
        self.sources.iter().find(|s| s.id == id)
    }

    /// Whether a page of a document was estimated between printed page markers.
    pub fn page_estimated(&self, document: &str, page: u32) -> bool {
        self.source(document).is_some_and(|s| !s.known_pages.is_empty() && !s.known_pages.contains(&page))
    }

    /// Child regions of a region, in data order.
    pub fn children(&self, slug: &str) -> impl Iterator<Item = &Region> {
        let slug = slug.to_string();
        self.regions.iter().filter(move |r| r.parent.as_deref() == Some(slug.as_str()))
    }

    /// Whether `region` is `ancestor` or lies below it.
    pub fn within(&self, region: &str, ancestor: &str) -> bool {
        let mut cur = Some(region);
        let mut steps = 0;
        while let Some(r) = cur {
            if r == ancestor {
                return true;
            }
            steps += 1;
            if steps > 16 {
                return false; // a cycle; validation reports it
            }
            cur = self.region(r).and_then(|r| r.parent.as_deref());
        }
        false
    }

    pub fn totals<'a>(programs: impl Iterator<Item = &'a Program>) -> Totals {
        let mut t = Totals::default();
        for p in programs {
            t.add(p);
        }
        t
    }
}
