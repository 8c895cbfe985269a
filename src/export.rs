//! The dataset as published data: `data/programs.csv`, `data/kpis.csv`,
//! `data/programs.json`. One row per program and fiscal year; rates with one decimal,
//! empty where undefined; UTF-8 without BOM; RFC 4180 quoting.

use crate::lang::Lang;
use crate::model::figures::{Tenths, Value};
use crate::model::{Program, Site};
use crate::output::Sink;
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
    csv_bytes(&KPI_COLUMNS, kpi_rows(programs))
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

/// The dataset as one Excel workbook (sheets `programs` and `kpis`, the same columns as
/// the CSV files). The creation date is fixed, so the bytes are the same on every build.
pub fn programs_xlsx(site: &Site, programs: &[&Program]) -> Result<Vec<u8>, rust_xlsxwriter::XlsxError> {
    use rust_xlsxwriter::{DocProperties, ExcelDateTime, Format, Workbook};
    let mut wb = Workbook::new();
    let year = site.config.edition.as_deref().and_then(|e| e.parse().ok()).unwrap_or(2023);
    let props = DocProperties::new()
        .set_title(site.config.title.as_deref().unwrap_or(""))
        .set_creation_datetime(&ExcelDateTime::from_ymd(year, 1, 1)?);
    wb.set_properties(&props);
    let bold = Format::new().set_bold();
    type Sheet<'a> = (&'a str, &'a [&'a str], Vec<Vec<String>>);
    let sheets: [Sheet; 2] = [
        ("programs", &PROGRAM_COLUMNS, programs.iter().flat_map(|p| program_rows(site, p)).collect()),
        ("kpis", &KPI_COLUMNS, kpi_rows(programs).collect()),
    ];
    for (name, columns, rows) in sheets {
        let ws = wb.add_worksheet();
        ws.set_name(name)?;
        for (c, h) in columns.iter().enumerate() {
            ws.write_string_with_format(0, c as u16, *h, &bold)?;
        }
        for (r, row) in rows.iter().enumerate() {
            for (c, cell) in row.iter().enumerate() {
                let (r, c) = (r as u32 + 1, c as u16);
                // Amounts, rates, years and pages are numbers in Excel; everything else text.
                let numeric = matches!(
                    columns[c as usize],
                    "year"
                        | "budget_won"
                        | "executed_won"
                        | "execution_rate"
                        | "execution_rate_printed"
                        | "source_page"
                        | "target"
                        | "actual"
                        | "achievement_rate"
                        | "achievement_rate_printed"
                );
                match cell.parse::<f64>() {
                    Ok(v) if numeric => ws.write_number(r, c, v)?,
                    _ if cell.is_empty() => ws,
                    _ => ws.write_string(r, c, cell.as_str())?,
                };
            }
        }
        ws.set_freeze_panes(1, 0)?;
    }
    wb.save_to_buffer()
}

fn kpi_rows<'a>(programs: &'a [&'a Program]) -> impl Iterator<Item = Vec<String>> + 'a {
    programs.iter().flat_map(|p| {
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
    })
}

/// `datapackage.json` (Frictionless Data): the files, their fields, types and units.
pub fn datapackage(site: &Site) -> serde_json::Value {
    use serde_json::json;
    let field =
        |name: &str, ty: &str, description: &str| json!({ "name": name, "type": ty, "description": description });
    let programs_fields = vec![
        field("program", "string", "Program identifier (the slug in its URL)"),
        field("region", "string", "Region identifier"),
        field("category", "string", "Category identifier"),
        field("year", "year", "Fiscal year; empty for a program without budget figures"),
        field("name_ko", "string", "Program name in Korean"),
        field("name_en", "string", "Program name in English"),
        json!({ "name": "budget_won", "type": "integer", "description": "Budget (A), converted to won", "unit": "KRW" }),
        json!({ "name": "executed_won", "type": "integer", "description": "Executed (B), converted to won", "unit": "KRW" }),
        field("unit_printed", "string", "Money unit printed in the source (원, 천원, 만원, 백만원, 억원)"),
        json!({ "name": "execution_rate", "type": "number", "description": "B/A × 100, rounded half up to one decimal; empty when the budget is zero", "unit": "percent" }),
        json!({ "name": "execution_rate_printed", "type": "number", "description": "Execution rate printed in the source", "unit": "percent" }),
        field("source_page", "integer", "Printed page of the source document"),
        json!({ "name": "url_ko", "type": "string", "format": "uri", "description": "Korean page" }),
        json!({ "name": "url_en", "type": "string", "format": "uri", "description": "English page" }),
    ];
    let kpi_fields = vec![
        field("program", "string", "Program identifier"),
        field("year", "year", "Year of the indicator"),
        field("indicator_ko", "string", "Indicator in Korean"),
        field("indicator_en", "string", "Indicator in English"),
        field("unit", "string", "Unit of target and actual, as printed"),
        field("target", "string", "Target (A): a number, or text for a qualitative indicator"),
        field("actual", "string", "Actual (B): a number, or text for a qualitative indicator"),
        json!({ "name": "achievement_rate", "type": "number", "description": "B/A × 100, one decimal; empty for qualitative indicators or a zero target", "unit": "percent" }),
        json!({ "name": "achievement_rate_printed", "type": "number", "description": "Achievement rate printed in the source", "unit": "percent" }),
        field("source_page", "integer", "Printed page of the source document"),
    ];
    let source = site.sources.first();
    json!({
        "profile": "tabular-data-package",
        "name": format!("gongsi-{}", site.config.edition.as_deref().unwrap_or("current")),
        "title": site.config.title,
        "description": site.config.description,
        "homepage": urls::permalink(site.config.base(), "/"),
        "version": site.config.edition,
        "licenses": [{ "name": "KOGL-Type1", "title": "Korea Open Government License Type 1: Attribution", "path": "https://www.kogl.or.kr/info/license.do" }],
        "sources": source.map(|s| vec![json!({ "title": s.title.get(Lang::Ko), "title_en": s.title.get(Lang::En) })]).unwrap_or_default(),
        "resources": [
            { "name": "programs", "path": "programs.csv", "format": "csv", "mediatype": "text/csv", "encoding": "utf-8",
              "schema": { "fields": programs_fields, "primaryKey": ["program", "year"] } },
            { "name": "kpis", "path": "kpis.csv", "format": "csv", "mediatype": "text/csv", "encoding": "utf-8",
              "schema": { "fields": kpi_fields, "foreignKeys": [{ "fields": "program", "reference": { "resource": "programs", "fields": "program" } }] } },
        ]
    })
}

/// The data files of a set of programs under `dir` ("/data" for all of them,
/// "/data/regions/<slug>" for one region …): CSV of programs and indicators, and JSON.
pub fn write_set(site: &Site, sink: &dyn Sink, dir: &str, programs: &[&Program]) -> std::io::Result<usize> {
    sink.put(&format!("{dir}/programs.csv"), &programs_csv(site, programs)?)?;
    sink.put(&format!("{dir}/kpis.csv"), &kpis_csv(programs)?)?;
    sink.put(&format!("{dir}/programs.json"), &programs_json(site, programs).map_err(std::io::Error::other)?)?;
    Ok(3)
}

/// Writes the whole dataset (CSV, JSON, XLSX, datapackage.json); returns the number of
/// files. The files of each program, region and category are written with its page.
pub fn write_all(site: &Site, sink: &dyn Sink) -> std::io::Result<usize> {
    let all: Vec<&Program> = site.programs.iter().collect();
    let mut n = write_set(site, sink, "/data", &all)?;
    sink.put("/data/programs.xlsx", &programs_xlsx(site, &all).map_err(|e| std::io::Error::other(e.to_string()))?)?;
    let mut pkg = serde_json::to_vec_pretty(&datapackage(site)).map_err(std::io::Error::other)?;
    pkg.push(b'\n');
    sink.put("/data/datapackage.json", &pkg)?;
    n += 2;
    Ok(n)
}
