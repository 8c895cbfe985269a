//! The dataset as published data: `data/programs.csv`, `data/kpis.csv`,
//! `data/programs.json`. One row per program and fiscal year; rates with one decimal,
//! empty where undefined; UTF-8 without BOM; RFC 4180 quoting.

use crate::lang::Lang;
use crate::model::figures::{Tenths, Value};
use crate::model::{Program, Site};
use crate::render::Sink;
use crate::urls;
use serde::Serialize;

pub const PROGRAM_COLUMNS: [&str; 14] = [
    "program",
    "region",
    "category",
    "year",
    "name_ko",
    "name_en",
    "budget_won",
    "executed_won",
    "unit_printed",
    "execution_rate",
    "execution_rate_printed",
    "source_page",
    "url_ko",
    "url_en",
];

pub const KPI_COLUMNS: [&str; 10] = [
    "program",
    "year",
    "indicator_ko",
    "indicator_en",
    "unit",
    "target",
    "actual",
    "achievement_rate",
    "achievement_rate_printed",
    "source_page",
];

/// A text cell a spreadsheet would read as a formula gets a leading apostrophe.
pub fn safe_cell(s: &str) -> String {
    // Bidirectional overrides could disguise a cell's content; they are dropped.
    let s: String = s.chars().filter(|c| !matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')).collect();
    if s.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{s}")
    } else {
        s
    }
}

fn rate(r: Option<Tenths>) -> String {
    r.map(|t| format!("{:.1}", t.as_f64())).unwrap_or_default()
}

fn value_cell(v: &Value) -> String {
    match v {
        Value::Number(d) => d.to_string(),
        Value::Text(t) => safe_cell(t.get(Lang::Ko)),
    }
}

fn program_rows(site: &Site, p: &Program) -> Vec<Vec<String>> {
    let base = site.config.base();
    let path = urls::program(p.slug());
    let common = |year: String| {
        vec![
            p.slug().to_string(),
            p.data.region.clone(),
            p.data.category.clone(),
            year,
            safe_cell(p.data.name.get(Lang::Ko)),
            safe_cell(p.data.name.get(Lang::En)),
        ]
    };
    let urls_cells = [
        urls::permalink(base, &urls::localized(&path, Lang::Ko)),
        urls::permalink(base, &urls::localized(&path, Lang::En)),
    ];
    if p.budgets.is_empty() {
        let mut row = common(String::new());
        row.extend([
            String::new(),
            String::new(),
            String::new(),
            String::new(),
            String::new(),
            p.data.source.page.to_string(),
        ]);
        row.extend(urls_cells);
        return vec![row];
    }
    p.budgets
        .iter()
        .map(|b| {
            let mut row = common(b.row.year.to_string());
            row.extend([
                b.budget_won.to_string(),
                b.executed_won.to_string(),
                b.row.unit.printed().to_string(),
                rate(b.rate),
                b.row.rate_printed.map(|d| format!("{:.1}", d.to_f64())).unwrap_or_default(),
                b.row.page.unwrap_or(p.data.source.page).to_string(),
            ]);
            row.extend(urls_cells.clone());
            row
        })
        .collect()
}

fn csv_bytes(header: &[&str], rows: impl Iterator<Item = Vec<String>>) -> std::io::Result<Vec<u8>> {
    let mut w = csv::WriterBuilder::new().terminator(csv::Terminator::CRLF).from_writer(Vec::new());
    w.write_record(header)?;
    for r in rows {
        w.write_record(&r)?;
    }
    w.into_inner().map_err(|e| std::io::Error::other(e.to_string()))
}

pub fn programs_csv(site: &Site, programs: &[&Program]) -> std::io::Result<Vec<u8>> {
    csv_bytes(&PROGRAM_COLUMNS, programs.iter().flat_map(|p| program_rows(site, p)))
}

pub fn kpis_csv(programs: &[&Program]) -> std::io::Result<Vec<u8>> {
    let rows = programs.iter().flat_map(|p| {
        p.kpis.iter().map(move |k| {
            vec![
                p.slug().to_string(),
                k.row.year.to_string(),
                safe_cell(k.row.indicator.get(Lang::Ko)),
                safe_cell(k.row.indicator.get(Lang::En)),
                k.row.unit.as_ref().map(|u| safe_cell(u.get(Lang::Ko))).unwrap_or_default(),
                value_cell(&k.row.target),
                value_cell(&k.row.actual),
                if k.is_qualitative() { String::new() } else { rate(k.rate) },
                k.row.rate_printed.map(|d| format!("{:.1}", d.to_f64())).unwrap_or_default(),
                k.row.page.unwrap_or(p.data.source.page).to_string(),
            ]
        })
    });
    csv_bytes(&KPI_COLUMNS, rows)
}

#[derive(Serialize)]
struct JsonProgram<'a> {
    program: &'a str,
    region: &'a str,
    category: &'a str,
    case: Option<&'a str>,
    name_ko: &'a str,
    name_en: &'a str,
    source_document: &'a str,
    source_page: u32,
    url_ko: String,
    url_en: String,
    budgets: Vec<JsonBudget>,
    kpis: Vec<JsonKpi<'a>>,
}

#[derive(Serialize)]
struct JsonBudget {
    year: i32,
    budget_won: i128,
    executed_won: i128,
    unit_printed: &'static str,
    budget_printed: String,
    executed_printed: String,
    execution_rate: Option<f64>,
    execution_rate_printed: Option<f64>,
    source_page: Option<u32>,
}

#[derive(Serialize)]
struct JsonKpi<'a> {
    year: i32,
    indicator_ko: &'a str,
    indicator_en: &'a str,
    unit: Option<&'a str>,
    target: String,
    actual: String,
    achievement_rate: Option<f64>,
    achievement_rate_printed: Option<f64>,
    source_page: Option<u32>,
}

pub fn programs_json(site: &Site, programs: &[&Program]) -> serde_json::Result<Vec<u8>> {
    let base = site.config.base();
    let records: Vec<JsonProgram> = programs
        .iter()
        .map(|p| {
            let path = urls::program(p.slug());
            JsonProgram {
                program: p.slug(),
                region: &p.data.region,
                category: &p.data.category,
                case: p.data.case.as_deref(),
                name_ko: p.data.name.get(Lang::Ko),
                name_en: p.data.name.get(Lang::En),
                source_document: &p.data.source.document,
                source_page: p.data.source.page,
                url_ko: urls::permalink(base, &urls::localized(&path, Lang::Ko)),
                url_en: urls::permalink(base, &urls::localized(&path, Lang::En)),
                budgets: p
                    .budgets
                    .iter()
                    .map(|b| JsonBudget {
                        year: b.row.year,
                        budget_won: b.budget_won,
                        executed_won: b.executed_won,
                        unit_printed: b.row.unit.printed(),
                        budget_printed: b.row.budget.to_string(),
                        executed_printed: b.row.executed.to_string(),
                        execution_rate: b.rate.map(Tenths::as_f64),
                        execution_rate_printed: b.row.rate_printed.map(|d| d.to_f64()),
                        source_page: b.row.page,
                    })
                    .collect(),
                kpis: p
                    .kpis
                    .iter()
                    .map(|k| JsonKpi {
                        year: k.row.year,
                        indicator_ko: k.row.indicator.get(Lang::Ko),
                        indicator_en: k.row.indicator.get(Lang::En),
                        unit: k.row.unit.as_ref().map(|u| u.get(Lang::Ko)),
                        target: value_cell(&k.row.target),
                        actual: value_cell(&k.row.actual),
                        achievement_rate: if k.is_qualitative() { None } else { k.rate.map(Tenths::as_f64) },
                        achievement_rate_printed: k.row.rate_printed.map(|d| d.to_f64()),
                        source_page: k.row.page,
                    })
                    .collect(),
            }
        })
        .collect();
    let mut out = serde_json::to_vec_pretty(&records)?;
    out.push(b'\n');
    Ok(out)
}

/// Writes the whole dataset; returns the number of files.
pub fn write_all(site: &Site, sink: &dyn Sink) -> std::io::Result<usize> {
    let all: Vec<&Program> = site.programs.iter().collect();
    sink.put("/data/programs.csv", &programs_csv(site, &all)?)?;
    sink.put("/data/kpis.csv", &kpis_csv(&all)?)?;
    sink.put("/data/programs.json", &programs_json(site, &all).map_err(std::io::Error::other)?)?;
    Ok(3)
}
