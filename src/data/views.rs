//! What templates see: the model turned into plain serialisable records in one language.
//!
//! Amounts stay numbers (won, as integers) and rates stay numbers (percent, one decimal,
//! or null when undefined); templates format them with the `won`, `rate` and `num`
//! filters, so the Korean and English pages show the very same figures.

use crate::format;
use crate::lang::{Lang, Text};
use crate::model::figures::{money, Budget, Kpi, Money, SeriesFigures, Tenths, Value};
use crate::model::{Case, Category, Program, Region, Site, Totals};
use crate::urls;
use serde::Serialize;

#[derive(Serialize, Clone)]
pub struct Link {
    pub slug: String,
    pub name: String,
    pub path: String,
    pub permalink: String,
}

#[derive(Serialize)]
pub struct TotalsView {
    /// `None` when no program has budget figures: shown as "—", never as 0 won.
    pub budget_won: Option<i128>,
    pub executed_won: Option<i128>,
    pub rate: Option<f64>,
    pub programs: usize,
    pub programs_with_budget: usize,
}

impl From<Totals> for TotalsView {
    fn from(t: Totals) -> Self {
        let any = t.programs_with_budget > 0;
        TotalsView {
            budget_won: any.then_some(t.budget_won),
            executed_won: any.then_some(t.executed_won),
            rate: t.rate().map(Tenths::as_f64),
            programs: t.programs,
            programs_with_budget: t.programs_with_budget,
        }
    }
}

#[derive(Serialize)]
pub struct SourceView {
    pub document: String,
    pub title: String,
    pub page: u32,
    pub page_estimated: bool,
    pub year: Option<i32>,
    pub publisher: Option<String>,
    pub licence: Option<String>,
    pub url: Option<String>,
}

#[derive(Serialize)]
pub struct BudgetView {
    pub year: i32,
    pub anchor: String,
    pub unit_printed: &'static str,
    pub budget_printed: String,
    pub executed_printed: String,
    pub budget_won: i128,
    pub executed_won: i128,
    pub rate: Option<f64>,
    pub rate_printed: Option<String>,
    pub rate_mismatch: bool,
    pub page: Option<u32>,
    /// The page was estimated between printed page markers ("43쪽(추정)").
    pub page_estimated: bool,
    pub note: Option<String>,
    /// A ready citation in the page's language (filled in by `program`).
    pub citation: String,
}

#[derive(Serialize)]
pub struct ValueView {
    pub number: Option<String>,
    pub text: Option<String>,
    /// On an English page, a number whose unit is money, in won: written as an amount
    /// (`{{ v.won | won(lang=lang) }}`, "KRW 1.2 million"), never as "120 × 10,000 won".
    pub won: Option<i128>,
}

#[derive(Serialize)]
pub struct KpiView {
    pub id: String,
    pub anchor: String,
    pub year: i32,
    pub indicator: String,
    pub unit: Option<String>,
    /// The values are amounts of money written in won (`target.won`, `actual.won`);
    /// `unit` is then only what follows the amount ("or more"), if anything.
    pub amounts: bool,
    pub target: ValueView,
    pub actual: ValueView,
    pub qualitative: bool,
    pub rate: Option<f64>,
    pub rate_printed: Option<String>,
    pub rate_mismatch: bool,
    pub formula: Option<String>,
    pub data_source: Option<String>,
    pub collection: Option<String>,
    pub page: Option<u32>,
    /// The page was estimated between printed page markers ("43쪽(추정)").
    pub page_estimated: bool,
    pub note: Option<String>,
    pub citation: String,
}

#[derive(Serialize)]
pub struct PointView {
    pub label: String,
    pub value: ValueView,
}

#[derive(Serialize)]
pub struct SeriesView {
    pub id: String,
    pub anchor: String,
    pub title: String,
    pub unit: Option<String>,
    /// The points are amounts of money written in won (`value.won`); `unit` is then
    /// only what follows each amount ("or less"), if anything.
    pub amounts: bool,
    pub year: Option<i32>,
    pub points: Vec<PointView>,
    pub total: Option<String>,
    pub total_printed: Option<String>,
    /// `total` and `total_printed` in won, when the points are amounts.
    pub total_won: Option<i128>,
    pub total_printed_won: Option<i128>,
    pub total_mismatch: bool,
    pub page: Option<u32>,
    /// The page was estimated between printed page markers ("43쪽(추정)").
    pub page_estimated: bool,
    pub note: Option<String>,
    /// The anchors of the ids it was published under before, kept on the page.
    pub former_anchors: Vec<String>,
}

#[derive(Serialize)]
pub struct FigureView {
    pub id: String,
    pub anchor: String,
    pub label: String,
    pub value: ValueView,
    /// What follows the value: its unit, or on an English page after an amount of money
    /// (`value.won`) only a qualifier such as "or more".
    pub unit: Option<String>,
    pub year: Option<i32>,
    pub page: Option<u32>,
    /// The page was estimated between printed page markers ("43쪽(추정)").
    pub page_estimated: bool,
    pub note: Option<String>,
    /// The anchors of the ids it was published under before, kept on the page.
    pub former_anchors: Vec<String>,
}

/// A program in a list: enough for a table row.
#[derive(Serialize)]
pub struct ProgramSummary {
    pub slug: String,
    pub name: String,
    pub path: String,
    pub permalink: String,
    pub region: Link,
    pub category: Link,
    pub year: Option<i32>,
    pub budget_won: Option<i128>,
    pub executed_won: Option<i128>,
    pub rate: Option<f64>,
    pub kpis: usize,
    pub has_figures: bool,
}

#[derive(Serialize)]
pub struct ProgramView {
    pub slug: String,
    pub name: String,
    pub path: String,
    pub permalink: String,
    pub region: Link,
    /// The region's parents, outermost first, for a full name ("부산광역시 수영구").
    pub region_parents: Vec<Link>,
    pub category: Link,
    pub case: Option<Link>,
    pub period: Option<String>,
    pub target_group: Option<String>,
    pub source: SourceView,
    pub budgets: Vec<BudgetView>,
    pub kpis: Vec<KpiView>,
    pub series: Vec<SeriesView>,
    pub figures: Vec<FigureView>,
    pub has_figures: bool,
    /// This program's data files and a citation of the whole page.
    pub downloads: Downloads,
    pub citation: String,
}

/// The data files of a program, case, region or category: the folder's files by name,
/// and the usual links; a table the folder does not have (no indicators, no figures, no
/// series) has no link.
#[derive(Serialize)]
pub struct Downloads {
    pub csv: String,
    pub kpis_csv: Option<String>,
    pub json: String,
    pub figures_csv: Option<String>,
    pub series_csv: Option<String>,
    /// The folder's every file, by name (`kpis.csv`, `series.json` …).
    pub files: std::collections::BTreeMap<String, String>,
}

impl Downloads {
    /// `names` are the files of the folder `dir` (`export::owner_files`).
    pub fn new(base: &str, dir: &str, names: &[String]) -> Downloads {
        let url = |name: &str| urls::permalink(base, &format!("{dir}/{name}"));
        let files: std::collections::BTreeMap<String, String> = names.iter().map(|n| (n.clone(), url(n))).collect();
        Downloads {
            csv: url("programs.csv"),
            kpis_csv: files.get("kpis.csv").cloned(),
            json: url("programs.json"),
            figures_csv: files.get("figures.csv").cloned(),
            series_csv: files.get("series.csv").cloned(),
            files,
        }
    }
}

pub struct Views<'a> {
    pub site: &'a Site,
    pub lang: Lang,
}

fn opt(t: &Option<Text>, lang: Lang) -> Option<String> {
    t.as_ref().map(|t| t.get(lang).to_string())
}

fn rate(r: Option<Tenths>) -> Option<f64> {
    r.map(Tenths::as_f64)
}

impl<'a> Views<'a> {
    pub fn permalink(&self, path: &str) -> String {
        urls::permalink(self.site.config.base(), &urls::localized(path, self.lang))
    }

    pub fn path(&self, path: &str) -> String {
        urls::localized(path, self.lang)
    }

    pub fn region_link(&self, r: &Region) -> Link {
        let p = urls::region(&r.slug);
        Link {
            slug: r.slug.clone(),
            name: r.name.get(self.lang).into(),
            path: self.path(&p),
            permalink: self.permalink(&p),
        }
    }

    pub fn region_link_by_slug(&self, slug: &str) -> Link {
        match self.site.region(slug) {
            Some(r) => self.region_link(r),
            None => Link { slug: slug.into(), name: slug.into(), path: String::new(), permalink: String::new() },
        }
    }

    /// The full name of a region with its parents: "부산광역시 수영구", "Suyeong-gu, Busan".
    pub fn region_full_name(&self, slug: &str) -> String {
        let mut names = Vec::new();
        let mut cur = self.site.region(slug);
        while let Some(r) = cur {
            names.push(r.name.get(self.lang).to_string());
            if names.len() > 8 {
                break;
            }
            cur = r.parent.as_deref().and_then(|p| self.site.region(p));
        }
        match self.lang {
            Lang::Ko => names.into_iter().rev().collect::<Vec<_>>().join(" "),
            Lang::En => names.join(", "),
        }
    }

    pub fn category_link(&self, c: &Category) -> Link {
        let p = urls::category(&c.slug);
        Link {
            slug: c.slug.clone(),
            name: c.name.get(self.lang).into(),
            path: self.path(&p),
            permalink: self.permalink(&p),
        }
    }

    pub fn category_link_by_slug(&self, slug: &str) -> Link {
        match self.site.category(slug) {
            Some(c) => self.category_link(c),
            None => Link { slug: slug.into(), name: slug.into(), path: String::new(), permalink: String::new() },
        }
    }

    pub fn case_link(&self, c: &Case) -> Link {
        let p = urls::case(&c.data.slug);
        Link {
            slug: c.data.slug.clone(),
            name: c.data.title.get(self.lang).into(),
            path: self.path(&p),
            permalink: self.permalink(&p),
        }
    }

    pub fn source(&self, document: &str, page: u32) -> SourceView {
        let s = self.site.source(document);
        SourceView {
            document: document.into(),
            title: s.map(|s| s.title.get(self.lang).to_string()).unwrap_or_else(|| document.into()),
            page,
            page_estimated: self.site.page_estimated(document, page),
            year: s.and_then(|s| s.year),
            publisher: s.and_then(|s| s.publisher.as_ref().map(|p| p.get(self.lang).to_string())),
            licence: s.and_then(|s| s.licence.clone()),
            url: s.and_then(|s| s.url.clone()),
        }
    }

    pub fn value(&self, v: &Value) -> ValueView {
        self.value_in(v, None)
    }

    /// The money a unit names, on an English page (where amounts are written in won).
    fn amounts(&self, unit: &Option<Text>) -> Option<Money> {
        unit.as_ref().and_then(money).filter(|m| self.lang == Lang::En && m.rest_en.is_some())
    }

    /// A value of a unit: on an English page, an amount of money also in won.
    fn value_in(&self, v: &Value, m: Option<&Money>) -> ValueView {
        match v {
            Value::Number(d) => ValueView { number: Some(d.to_string()), text: None, won: m.and_then(|m| m.won(*d)) },
            Value::Text(t) => ValueView { number: None, text: Some(t.get(self.lang).into()), won: None },
        }
    }

    /// The unit shown after a value: all of it, or after an amount only its qualifier.
    fn unit_text(&self, unit: &Option<Text>, m: Option<&Money>) -> Option<String> {
        match m {
            Some(m) => m.rest_en.clone().filter(|r| !r.is_empty()),
            None => opt(unit, self.lang),
        }
    }

    pub fn budget(&self, b: &Budget, doc: &str) -> BudgetView {
        BudgetView {
            year: b.row.year,
            anchor: b.anchor(),
            unit_printed: b.row.unit.printed(),
            budget_printed: b.row.budget.to_string(),
            executed_printed: b.row.executed.to_string(),
            budget_won: b.budget_won,
            executed_won: b.executed_won,
            rate: rate(b.rate),
            rate_printed: b.row.rate_printed.map(|d| d.to_string()),
            rate_mismatch: b.rate_mismatch,
            page: b.row.page,
            page_estimated: b.row.page.is_some_and(|p| self.site.page_estimated(doc, p)),
            note: opt(&b.row.note, self.lang),
            citation: String::new(),
        }
    }

    pub fn kpi(&self, k: &Kpi, doc: &str) -> KpiView {
        let r = &k.row;
        let m = self.amounts(&r.unit);
        KpiView {
            id: r.id.clone(),
            anchor: k.anchor(),
            year: r.year,
            indicator: r.indicator.get(self.lang).into(),
            unit: self.unit_text(&r.unit, m.as_ref()),
            amounts: m.is_some(),
            target: self.value_in(&r.target, m.as_ref()),
            actual: self.value_in(&r.actual, m.as_ref()),
            qualitative: k.is_qualitative(),
            rate: rate(k.rate),
            rate_printed: r.rate_printed.map(|d| d.to_string()),
            rate_mismatch: k.rate_mismatch,
            formula: opt(&r.formula, self.lang),
            data_source: opt(&r.data_source, self.lang),
            collection: opt(&r.collection, self.lang),
            page: r.page,
            page_estimated: r.page.is_some_and(|p| self.site.page_estimated(doc, p)),
            note: opt(&r.note, self.lang),
            citation: String::new(),
        }
    }

    pub fn series(&self, s: &SeriesFigures, doc: &str) -> SeriesView {
        let d = &s.series;
        let m = self.amounts(&d.unit);
        let won = |t: Option<crate::model::decimal::Decimal>| m.as_ref().and_then(|m| m.won(t?));
        SeriesView {
            id: d.id.clone(),
            anchor: format!("series-{}", d.id),
            former_anchors: d.former_ids.iter().map(|f| format!("series-{f}")).collect(),
            title: d.title.get(self.lang).into(),
            unit: self.unit_text(&d.unit, m.as_ref()),
            amounts: m.is_some(),
            year: d.year,
            points: d
                .points
                .iter()
                .map(|p| PointView { label: p.label.get(self.lang).into(), value: self.value_in(&p.value, m.as_ref()) })
                .collect(),
            total: s.total.map(|t| t.to_string()),
            total_printed: d.total_printed.map(|t| t.to_string()),
            total_won: won(s.total),
            total_printed_won: won(d.total_printed),
            total_mismatch: s.total_mismatch,
            page: d.page,
            page_estimated: d.page.is_some_and(|p| self.site.page_estimated(doc, p)),
            note: opt(&d.note, self.lang),
        }
    }

    pub fn figure(&self, f: &crate::model::figures::Figure, doc: &str) -> FigureView {
        let m = self.amounts(&f.unit);
        FigureView {
            id: f.id.clone(),
            anchor: format!("figure-{}", f.id),
            former_anchors: f.former_ids.iter().map(|o| format!("figure-{o}")).collect(),
            label: f.label.get(self.lang).into(),
            value: self.value_in(&f.value, m.as_ref()),
            unit: self.unit_text(&f.unit, m.as_ref()),
            year: f.year,
            page: f.page,
            page_estimated: f.page.is_some_and(|p| self.site.page_estimated(doc, p)),
            note: opt(&f.note, self.lang),
        }
    }

    pub fn program_summary(&self, p: &Program) -> ProgramSummary {
        let path = urls::program(p.slug());
        let latest = p.latest_budget();
        ProgramSummary {
            slug: p.slug().into(),
            name: p.data.name.get(self.lang).into(),
            path: self.path(&path),
            permalink: self.permalink(&path),
            region: self.region_link_by_slug(&p.data.region),
            category: self.category_link_by_slug(&p.data.category),
            year: latest.map(|b| b.row.year),
            budget_won: latest.map(|b| b.budget_won),
            executed_won: latest.map(|b| b.executed_won),
            rate: latest.and_then(|b| rate(b.rate)),
            kpis: p.kpis.len(),
            has_figures: p.has_figures(),
        }
    }

    /// `downloads`: the program's data folder, which the page source knows.
    pub fn program(&self, p: &Program, downloads: Downloads) -> ProgramView {
        let path = urls::program(p.slug());
        let mut parents = Vec::new();
        let mut cur = self.site.region(&p.data.region).and_then(|r| r.parent.as_deref());
        while let Some(slug) = cur {
            let Some(r) = self.site.region(slug) else {
                break;
            };
            parents.insert(0, self.region_link(r));
            if parents.len() > 8 {
                break;
            }
            cur = r.parent.as_deref();
        }
        let permalink = self.permalink(&path);
        let name = p.data.name.get(self.lang).to_string();
        let region = self.region_full_name(&p.data.region);
        let source = self.source(&p.data.source.document, p.data.source.page);
        let doc = p.data.source.document.as_str();
        let cite = |what: &str, page: Option<u32>, anchor: &str| {
            let page = page.unwrap_or(source.page);
            citation(
                self.lang,
                &region,
                &name,
                what,
                &source.title,
                &format::page(page, self.site.page_estimated(doc, page), self.lang),
                &format!("{permalink}{anchor}"),
            )
        };
        let mut budgets: Vec<BudgetView> = p.budgets.iter().map(|b| self.budget(b, doc)).collect();
        for b in &mut budgets {
            let what = match self.lang {
                Lang::Ko => format!(
                    "{}년 예산 {}, 집행 {}(집행률 {})",
                    b.year,
                    format::won(b.budget_won, self.lang, false),
                    format::won(b.executed_won, self.lang, false),
                    format::rate(b.rate)
                ),
                Lang::En => format!(
                    "budget {}: {}, executed {} ({})",
                    b.year,
                    format::won(b.budget_won, self.lang, false),
                    format::won(b.executed_won, self.lang, false),
                    format::rate(b.rate)
                ),
            };
            b.citation = cite(&what, b.page, &format!("#{}", b.anchor));
        }
        let mut kpis: Vec<KpiView> = p.kpis.iter().map(|k| self.kpi(k, doc)).collect();
        for k in &mut kpis {
            let lang = self.lang;
            let value = |v: &ValueView| match v.won {
                Some(w) => format::won(w, lang, false),
                None => {
                    v.number.as_deref().map(format::group_decimal_text).or_else(|| v.text.clone()).unwrap_or_default()
                }
            };
            let unit = match (k.unit.as_deref(), self.lang) {
                (Some(u), Lang::Ko) => u.to_string(),
                (Some(u), Lang::En) => format!(" {u}"),
                (None, _) => String::new(),
            };
            let what = match self.lang {
                Lang::Ko => format!(
                    "{}년 성과지표 「{}」 목표 {}{unit}, 실적 {}{unit}(달성률 {})",
                    k.year,
                    k.indicator,
                    value(&k.target),
                    value(&k.actual),
                    format::rate(k.rate)
                ),
                Lang::En => format!(
                    "indicator “{}” {}: target {}{unit}, actual {}{unit} ({})",
                    k.indicator,
                    k.year,
                    value(&k.target),
                    value(&k.actual),
                    format::rate(k.rate)
                ),
            };
            k.citation = cite(&what, k.page, &format!("#{}", k.anchor));
        }
        let whole = match self.lang {
            Lang::Ko => "사업 개요와 수치".to_string(),
            Lang::En => "program figures".to_string(),
        };
        let page_citation = cite(&whole, None, "");
        ProgramView {
            downloads,
            citation: page_citation,
            slug: p.slug().into(),
            name: p.data.name.get(self.lang).into(),
            path: self.path(&path),
            permalink: self.permalink(&path),
            region: self.region_link_by_slug(&p.data.region),
            region_parents: parents,
            category: self.category_link_by_slug(&p.data.category),
            case: p.data.case.as_deref().and_then(|c| self.site.case(c)).map(|c| self.case_link(c)),
            period: opt(&p.data.period, self.lang),
            target_group: opt(&p.data.target_group, self.lang),
            source,
            budgets,
            kpis,
            series: p.series.iter().map(|s| self.series(s, doc)).collect(),
            figures: p.data.figure.iter().map(|f| self.figure(f, doc)).collect(),
            has_figures: p.has_figures(),
        }
    }
}

/// A ready citation, in the attribution form of the Korea Open Government License Type 1
/// (공공누리 제1유형: 출처표시) for Korean pages.
pub fn citation(lang: Lang, region: &str, program: &str, what: &str, source: &str, page: &str, url: &str) -> String {
    match lang {
        Lang::Ko => format!(
            "{region} 「{program}」 {what}. 출처: 「{source}」 {page}. 공공누리 제1유형(출처표시) 조건에 따라 이용. {url}"
        ),
        Lang::En => format!(
            "{region}, “{program}”, {what}. Source: {source}, {page}. Korea Open Government License Type 1 (attribution). {url}"
        ),
    }
}
