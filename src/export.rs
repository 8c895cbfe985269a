//! The dataset as published data: four tables (`programs`, `kpis`, `figures`,
//! `series`), each as CSV with an XLSX twin and as JSON, described by `datapackage.json`.
//! Rates with one decimal, empty where undefined; CSV in UTF-8 with a byte-order mark
//! (so Excel, Korean Excel included, reads its Hangul as UTF-8) and RFC 4180 quoting. Every table's columns are defined once, in [`TABLES`].

use crate::data::kinds::Kind;
use crate::lang::Lang;
use crate::lang::Text;
use crate::model::decimal::Decimal;
use crate::model::figures::{Figure, SeriesFigures, Tenths, Value};
use crate::model::{Case, Program, Site};
use crate::output::Sink;
use crate::urls;
use serde::Serialize;

/// One column of a published table: its name, its Frictionless type, its unit and what
/// it means in both languages. The CSV header, the workbook's header row, the JSON keys,
/// the `datapackage.json` schema and the data page's column lists all come from here.
#[derive(Debug, Clone, Copy, Serialize)]
pub struct Column {
    pub name: &'static str,
    /// `string`, `integer`, `number` or `year`; [`NUMBER_OR_TEXT`] is a `string` that a
    /// spreadsheet reads as a number where it is one (a target, an actual).
    #[serde(rename = "type")]
    pub ty: &'static str,
    pub unit: Option<&'static str>,
    pub ko: &'static str,
    pub en: &'static str,
}

/// The type of a cell that holds a number, or text for a qualitative value.
pub const NUMBER_OR_TEXT: &str = "number-or-text";

const fn col(name: &'static str, ty: &'static str, ko: &'static str, en: &'static str) -> Column {
    Column { name, ty, unit: None, ko, en }
}

const fn unit(name: &'static str, ty: &'static str, unit: &'static str, ko: &'static str, en: &'static str) -> Column {
    Column { name, ty, unit: Some(unit), ko, en }
}

impl Column {
    /// The type `datapackage.json` declares.
    pub fn frictionless_type(&self) -> &'static str {
        if self.ty == NUMBER_OR_TEXT {
            "string"
        } else {
            self.ty
        }
    }

    pub fn numeric(&self) -> bool {
        matches!(self.ty, "integer" | "number" | "year" | NUMBER_OR_TEXT)
    }
}

/// A published table: `<name>.csv`, its twin `<name>.xlsx`, and (for all but `kpis`,
/// which `programs.json` nests) `<name>.json`.
#[derive(Debug, Clone, Copy)]
pub struct TableDef {
    pub name: &'static str,
    pub ko: &'static str,
    pub en: &'static str,
    pub columns: &'static [Column],
    pub primary_key: &'static [&'static str],
}

pub const PROGRAM_COLUMNS: &[Column] = &[
    col("program", "string", "사업 식별자(주소에 쓰이는 슬러그)", "Program identifier (the slug in its URL)"),
    col("region", "string", "지역 식별자", "Region identifier"),
    col("category", "string", "분야 식별자", "Category identifier"),
    col(
        "year",
        "year",
        "회계연도. 예산 자료가 없는 사업은 빈칸",
        "Fiscal year; empty for a program without budget figures",
    ),
    col("name_ko", "string", "사업명(한국어)", "Program name in Korean"),
    col("name_en", "string", "사업명(영어)", "Program name in English"),
    unit("budget_won", "integer", "KRW", "예산(A), 원 단위로 환산", "Budget (A), converted to won"),
    unit("executed_won", "integer", "KRW", "집행(B), 원 단위로 환산", "Executed (B), converted to won"),
    col(
        "unit_printed",
        "string",
        "원문에 인쇄된 금액 단위(원, 천원, 만원, 백만원, 억원)",
        "Money unit printed in the source, in Korean as printed: won, thousand, ten thousand, million or hundred million won",
    ),
    unit(
        "execution_rate",
        "number",
        "percent",
        "집행률(B/A×100), 소수 첫째 자리에서 반올림. 예산이 0이면 빈칸",
        "B/A × 100, rounded half up to one decimal; empty when the budget is zero",
    ),
    unit("execution_rate_printed", "number", "percent", "원문에 인쇄된 집행률", "Execution rate printed in the source"),
    col("source_page", "integer", "원문 쪽수", "Printed page of the source document"),
    col("url_ko", "string", "사업 페이지(한국어)", "Korean page"),
    col("url_en", "string", "사업 페이지(영어)", "English page"),
    col("case", "string", "사례 식별자(사업을 소개하는 사례)", "Case identifier (the case that presents the program)"),
    col("order", "integer", "사례 안에서 사업의 순서", "Position of the program within its case"),
    col("aliases", "string", "이 페이지의 옛 주소(공백으로 구분)", "Old URLs of this page, separated by spaces"),
    col("period_ko", "string", "사업 기간, 인쇄된 대로(한국어)", "Program period as printed (Korean)"),
    col("period_en", "string", "사업 기간(영어)", "Program period in English"),
    col("target_group_ko", "string", "지원 대상(한국어)", "Target group in Korean"),
    col("target_group_en", "string", "지원 대상(영어)", "Target group in English"),
    col(
        "source_document",
        "string",
        "원문 자료 식별자(sources 시트)",
        "Source document identifier (the sources sheet)",
    ),
    col("program_page", "integer", "사업이 시작되는 원문 쪽수", "Printed page where the program starts"),
    col("budget_printed", "number", "예산(A), 인쇄된 단위 그대로", "Budget (A) in the printed unit"),
    col("executed_printed", "number", "집행(B), 인쇄된 단위 그대로", "Executed (B) in the printed unit"),
    col("budget_note_ko", "string", "예산의 주(한국어)", "Note on the budget, in Korean"),
    col("budget_note_en", "string", "예산의 주(영어)", "Note on the budget, in English"),
];

pub const KPI_COLUMNS: &[Column] = &[
    col("program", "string", "사업 식별자", "Program identifier"),
    col("year", "year", "지표의 연도", "Year of the indicator"),
    col("indicator_ko", "string", "성과지표명(한국어)", "Indicator in Korean"),
    col("indicator_en", "string", "성과지표명(영어)", "Indicator in English"),
    col(
        "unit",
        "string",
        "목표치와 실적의 단위, 인쇄된 대로(한국어)",
        "Unit of target and actual, as printed (Korean)",
    ),
    col(
        "target",
        NUMBER_OR_TEXT,
        "목표치(A): 숫자, 정성 지표는 글(한국어)",
        "Target (A): a number, or text (Korean) for a qualitative indicator",
    ),
    col(
        "actual",
        NUMBER_OR_TEXT,
        "실적(B): 숫자, 정성 지표는 글(한국어)",
        "Actual (B): a number, or text (Korean) for a qualitative indicator",
    ),
    unit(
        "achievement_rate",
        "number",
        "percent",
        "달성률(B/A×100), 소수 첫째 자리. 정성 지표나 목표가 0이면 빈칸",
        "B/A × 100, one decimal; empty for qualitative indicators or a zero target",
    ),
    unit(
        "achievement_rate_printed",
        "number",
        "percent",
        "원문에 인쇄된 달성률",
        "Achievement rate printed in the source",
    ),
    col("source_page", "integer", "원문 쪽수", "Printed page of the source document"),
    col(
        "indicator",
        "string",
        "지표 식별자(사업 페이지의 #kpi-…)",
        "Indicator identifier (#kpi-… on the program page)",
    ),
    col("name_ko", "string", "사업명(한국어)", "Program name in Korean"),
    col("name_en", "string", "사업명(영어)", "Program name in English"),
    col("region", "string", "지역 식별자", "Region identifier"),
    col("unit_en", "string", "단위(영어)", "Unit in English"),
    col("formula_ko", "string", "산식(한국어)", "Formula in Korean"),
    col("formula_en", "string", "산식(영어)", "Formula in English"),
    col("data_source_ko", "string", "자료 출처(한국어)", "Data source in Korean"),
    col("data_source_en", "string", "자료 출처(영어)", "Data source in English"),
    col("collection_ko", "string", "수집 방법(한국어)", "Collection method in Korean"),
    col("collection_en", "string", "수집 방법(영어)", "Collection method in English"),
    col("note_ko", "string", "주(한국어)", "Note in Korean"),
    col("note_en", "string", "주(영어)", "Note in English"),
    col("target_en", "string", "숫자가 아닌 목표치(영어)", "A target that is not a number, in English"),
    col("actual_en", "string", "숫자가 아닌 실적(영어)", "An actual that is not a number, in English"),
];

/// The columns that say whose a figure or a series is.
macro_rules! owner_columns {
    () => {
        [
            col("owner_kind", "string", "주인의 종류: program(사업) 또는 case(사례)", "Whose it is: program or case"),
            col("owner", "string", "사업 또는 사례 식별자(슬러그)", "Program or case identifier (the slug in its URL)"),
        ]
    };
}

const FIGURE_OWNER: [Column; 2] = owner_columns!();

pub const FIGURE_COLUMNS: &[Column] = &[
    FIGURE_OWNER[0],
    FIGURE_OWNER[1],
    col("figure", "string", "수치 식별자(페이지의 #figure-…)", "Figure identifier (#figure-… on its page)"),
    col("label_ko", "string", "무엇의 수치인지(한국어)", "What the figure counts, in Korean"),
    col("label_en", "string", "무엇의 수치인지(영어)", "What the figure counts, in English"),
    col("value", "number", "값(숫자). 숫자가 아니면 빈칸", "The value as a number; empty where it is not one"),
    col(
        "value_text_ko",
        "string",
        "숫자가 아닌 값, 인쇄된 대로(한국어)",
        "A value that is not a number, as printed (Korean)",
    ),
    col("value_text_en", "string", "숫자가 아닌 값(영어)", "A value that is not a number, in English"),
    col("unit_ko", "string", "단위(한국어)", "Unit in Korean"),
    col("unit_en", "string", "단위(영어)", "Unit in English"),
    col(
        "year",
        "year",
        "기준 연도. 원문에 없으면 빈칸",
        "Year the figure refers to; empty where the source gives none",
    ),
    col("source_page", "integer", "원문 쪽수", "Printed page of the source document"),
    col("note_ko", "string", "주(한국어)", "Note in Korean"),
    col("note_en", "string", "주(영어)", "Note in English"),
    col("url_ko", "string", "수치가 실린 페이지(한국어)", "The figure on its Korean page"),
    col("url_en", "string", "수치가 실린 페이지(영어)", "The figure on its English page"),
    col(
        "derived_formula",
        "string",
        "값을 다른 인쇄된 수치로 계산하는 산식: ratio(a÷b×100), increase((a−b)÷b×100), sum, mean, count",
        "How the value follows from other printed numbers: ratio (a÷b×100), increase ((a−b)÷b×100), sum, mean, count",
    ),
    col(
        "derived_of",
        "string",
        "산식에 들어가는 인쇄된 수치(; 로 구분)",
        "The printed numbers the formula takes, separated by ;",
    ),
    col(
        "former_ids",
        "string",
        "예전에 쓰던 식별자(; 로 구분). 그 앵커와 파일 주소가 계속 열림",
        "Identifiers it was published under before, separated by ;: their anchors and files keep working",
    ),
];

pub const SERIES_COLUMNS: &[Column] = &[
    FIGURE_OWNER[0],
    FIGURE_OWNER[1],
    col("series", "string", "계열 식별자(페이지의 #chart-…)", "Series identifier (#chart-… on its page)"),
    col("title_ko", "string", "계열 제목(한국어)", "Series title in Korean"),
    col("title_en", "string", "계열 제목(영어)", "Series title in English"),
    col("point", "integer", "계열 안의 순서(1부터)", "Position of the point in its series, from 1"),
    col("label_ko", "string", "항목(한국어)", "Point label in Korean"),
    col("label_en", "string", "항목(영어)", "Point label in English"),
    col("value", "number", "값(숫자). 숫자가 아니면 빈칸", "The value as a number; empty where it is not one"),
    col(
        "value_text_ko",
        "string",
        "숫자가 아닌 값, 인쇄된 대로(한국어)",
        "A value that is not a number, as printed (Korean)",
    ),
    col("value_text_en", "string", "숫자가 아닌 값(영어)", "A value that is not a number, in English"),
    col("unit_ko", "string", "단위(한국어)", "Unit in Korean"),
    col("unit_en", "string", "단위(영어)", "Unit in English"),
    col(
        "year",
        "year",
        "연도: 연도별 계열은 항목의 연도, 그 밖에는 계열의 기준 연도",
        "Year: the point's own in a time series, else the series' year",
    ),
    col("total_printed", "number", "원문에 인쇄된 계열 합계", "The series total printed in the source"),
    col("source_page", "integer", "원문 쪽수", "Printed page of the source document"),
    col("note_ko", "string", "계열의 주(한국어)", "Note on the series, in Korean"),
    col("note_en", "string", "계열의 주(영어)", "Note on the series, in English"),
    col("url_ko", "string", "계열의 그래프(한국어 페이지)", "The series' chart on its Korean page"),
    col("url_en", "string", "계열의 그래프(영어 페이지)", "The series' chart on its English page"),
    col(
        "series_year",
        "year",
        "계열의 기준 연도. 원문에 없으면 빈칸",
        "Year the series refers to; empty where the source gives none",
    ),
    col(
        "whole",
        "number",
        "항목이 나누어 가지는 전체(응답 비율이면 100). 원문에 합계가 없을 때",
        "The whole the points are shares of (100 for shares of all answers), where no total is printed",
    ),
    col(
        "derived_formula",
        "string",
        "값을 다른 인쇄된 수치로 계산하는 산식: ratio(a÷b×100), increase((a−b)÷b×100), sum, mean, count",
        "How the value follows from other printed numbers: ratio (a÷b×100), increase ((a−b)÷b×100), sum, mean, count",
    ),
    col(
        "derived_of",
        "string",
        "산식에 들어가는 인쇄된 수치(; 로 구분)",
        "The printed numbers the formula takes, separated by ;",
    ),
    col(
        "former_ids",
        "string",
        "예전에 쓰던 식별자(; 로 구분). 그 앵커와 파일 주소가 계속 열림",
        "Identifiers it was published under before, separated by ;: their anchors and files keep working",
    ),
];

pub const CASE_COLUMNS: &[Column] = &[
    col("case", "string", "사례 식별자(주소에 쓰이는 슬러그)", "Case identifier (the slug in its URL)"),
    col("number", "string", "원문의 사례 번호", "Case number as printed"),
    col("category", "string", "분야 식별자", "Category identifier"),
    col("region", "string", "지역 식별자", "Region identifier"),
    col("title_ko", "string", "사례 제목(한국어)", "Case title in Korean"),
    col("title_en", "string", "사례 제목(영어)", "Case title in English"),
    col("source_document", "string", "원문 자료 식별자", "Source document identifier"),
    col("source_page", "integer", "사례가 시작되는 원문 쪽수", "Printed page where the case starts"),
    col("first_page", "integer", "사례의 첫 쪽", "First printed page of the case"),
    col("last_page", "integer", "사례의 끝 쪽", "Last printed page of the case"),
    col("order", "integer", "원문에서의 순서", "Position in the source"),
    col("aliases", "string", "이 페이지의 옛 주소(공백으로 구분)", "Old URLs of this page, separated by spaces"),
    col("url_ko", "string", "사례 페이지(한국어)", "Korean page"),
    col("url_en", "string", "사례 페이지(영어)", "English page"),
];

pub const REGION_COLUMNS: &[Column] = &[
    col("region", "string", "지역 식별자(슬러그)", "Region identifier (slug)"),
    col("name_ko", "string", "지역명(한국어)", "Region name in Korean"),
    col("name_en", "string", "지역명(영어)", "Region name in English"),
    col(
        "level",
        "string",
        "행정 단위: special-city, metropolitan-city, special-self-governing-city, province, special-self-governing-province, city, county, district",
        "Level: special-city, metropolitan-city, special-self-governing-city, province, special-self-governing-province, city, county, district",
    ),
    col("parent", "string", "상위 지역 식별자", "Parent region identifier"),
    col("aliases", "string", "다른 이름(공백으로 구분)", "Other names, separated by spaces"),
];

pub const CATEGORY_COLUMNS: &[Column] = &[
    col("category", "string", "분야 식별자(슬러그)", "Category identifier (slug)"),
    col("name_ko", "string", "분야명(한국어)", "Category name in Korean"),
    col("name_en", "string", "분야명(영어)", "Category name in English"),
    col("order", "integer", "순서", "Position"),
    col("part", "string", "원문의 편 번호", "Part number as printed"),
    col("aliases", "string", "다른 이름(공백으로 구분)", "Other names, separated by spaces"),
];

pub const SOURCE_COLUMNS: &[Column] = &[
    col("source", "string", "자료 식별자", "Source document identifier"),
    col("title_ko", "string", "자료명(한국어)", "Title in Korean"),
    col("title_en", "string", "자료명(영어)", "Title in English"),
    col("year", "year", "발행 연도", "Year of publication"),
    col("licence", "string", "이용 허락", "Licence"),
    col("url", "string", "주소", "URL"),
    col("publisher_ko", "string", "발행 기관(한국어)", "Publisher in Korean"),
    col("publisher_en", "string", "발행 기관(영어)", "Publisher in English"),
    col(
        "known_pages",
        "string",
        "쪽 번호가 원문 텍스트에 남아 있는 쪽(; 로 구분). 그 밖의 쪽은 추정",
        "Pages whose printed number the text keeps, separated by ;; any other page is estimated",
    ),
];

pub const PROGRAMS: TableDef = TableDef {
    name: "programs",
    ko: "사업·회계연도마다 한 행. 예산 자료가 없는 사업은 수치 칸을 비운 한 행",
    en: "One row per program and fiscal year; a program without budget figures has one row with empty figure cells",
    columns: PROGRAM_COLUMNS,
    primary_key: &["program", "year"],
};

pub const KPIS: TableDef = TableDef {
    name: "kpis",
    ko: "성과지표마다 한 행: 목표, 실적, 달성률과 산식·자료 출처·수집 방법",
    en: "One row per performance indicator: target, actual, achievement, with formula, data source and collection method",
    columns: KPI_COLUMNS,
    primary_key: &["program", "indicator"],
};

pub const FIGURES: TableDef = TableDef {
    name: "figures",
    ko: "사업과 사례의 단일 수치마다 한 행(참여자 수, 횟수, 점수 등)",
    en: "One row per single figure of a program or case (participants, counts, scores)",
    columns: FIGURE_COLUMNS,
    primary_key: &["owner_kind", "owner", "figure"],
};

pub const SERIES: TableDef = TableDef {
    name: "series",
    ko: "사업과 사례의 계열(연도별 추이, 항목별 구성)의 값마다 한 행",
    en: "One row per point of a series of a program or case (a yearly trend, a breakdown)",
    columns: SERIES_COLUMNS,
    primary_key: &["owner_kind", "owner", "series", "point"],
};

/// Every published table, in the order of the data page and `datapackage.json`.
pub const TABLES: [TableDef; 4] = [PROGRAMS, KPIS, FIGURES, SERIES];

pub const CASES: TableDef = TableDef {
    name: "cases",
    ko: "사례마다 한 행(사업을 소개하는 원문의 장)",
    en: "One row per case (a chapter of the source presenting programs)",
    columns: CASE_COLUMNS,
    primary_key: &["case"],
};

pub const REGIONS: TableDef = TableDef {
    name: "regions",
    ko: "지역마다 한 행, 상위 지역 다음에 하위 지역",
    en: "One row per region, each after its parent",
    columns: REGION_COLUMNS,
    primary_key: &["region"],
};

pub const CATEGORIES: TableDef = TableDef {
    name: "categories",
    ko: "분야마다 한 행",
    en: "One row per category",
    columns: CATEGORY_COLUMNS,
    primary_key: &["category"],
};

pub const SOURCES: TableDef = TableDef {
    name: "sources",
    ko: "수치를 인용한 원문 자료마다 한 행",
    en: "One row per source document figures are cited from",
    columns: SOURCE_COLUMNS,
    primary_key: &["source"],
};

/// The tables only the whole-dataset workbook holds, after [`TABLES`]: with them,
/// `/data/programs.xlsx` holds every record of the site and reads back as its data
/// (`load::sheets`).
pub const RECORD_TABLES: [TableDef; 4] = [CASES, REGIONS, CATEGORIES, SOURCES];

/// Whose figures and series a row carries.
#[derive(Clone, Copy)]
pub enum Owner<'a> {
    Program(&'a Program),
    Case(&'a Case),
}

impl<'a> Owner<'a> {
    pub fn kind(&self) -> &'static str {
        match self {
            Owner::Program(_) => "program",
            Owner::Case(_) => "case",
        }
    }

    pub fn slug(&self) -> &'a str {
        match self {
            Owner::Program(p) => p.slug(),
            Owner::Case(c) => &c.data.slug,
        }
    }

    fn path(&self) -> String {
        match self {
            Owner::Program(p) => urls::program(p.slug()),
            Owner::Case(c) => urls::case(&c.data.slug),
        }
    }

    fn page(&self) -> u32 {
        match self {
            Owner::Program(p) => p.data.source.page,
            Owner::Case(c) => c.data.source.page,
        }
    }

    pub fn figures(&self) -> &'a [Figure] {
        match self {
            Owner::Program(p) => &p.data.figure,
            Owner::Case(c) => &c.data.figure,
        }
    }

    pub fn series(&self) -> &'a [SeriesFigures] {
        match self {
            Owner::Program(p) => &p.series,
            Owner::Case(c) => &c.series,
        }
    }
}

/// The programs and cases a folder of data files covers.
pub struct Set<'a> {
    pub programs: Vec<&'a Program>,
    pub cases: Vec<&'a Case>,
}

impl<'a> Set<'a> {
    fn owners(&self) -> impl Iterator<Item = Owner<'a>> + '_ {
        self.programs.iter().map(|p| Owner::Program(p)).chain(self.cases.iter().map(|c| Owner::Case(c)))
    }
}

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

fn text(t: Option<&Text>, lang: Lang) -> String {
    t.map(|t| safe_cell(t.get(lang))).unwrap_or_default()
}

fn number(v: &Value) -> String {
    v.number().map(|d| d.to_string()).unwrap_or_default()
}

fn printed_text(v: &Value, lang: Lang) -> String {
    match v {
        Value::Number(_) => String::new(),
        Value::Text(t) => safe_cell(t.get(lang)),
    }
}

fn opt<T: ToString>(v: Option<T>) -> String {
    v.map(|v| v.to_string()).unwrap_or_default()
}

/// A rate as printed: one decimal, or as many as the source printed.
fn printed_rate(d: Decimal) -> String {
    if d.scale <= 1 {
        format!("{:.1}", d.to_f64())
    } else {
        d.to_string()
    }
}

/// A list of paths or names in one cell, separated by spaces.
fn list(items: &[String]) -> String {
    safe_cell(&items.join(" "))
}

fn program_rows(site: &Site, p: &Program) -> Vec<Vec<String>> {
    let base = site.config.base();
    let path = urls::program(p.slug());
    let d = &p.data;
    let record = |b: Option<&crate::model::figures::Budget>| {
        vec![
            opt(d.case.as_ref()),
            opt(d.order),
            list(&d.aliases),
            text(d.period.as_ref(), Lang::Ko),
            text(d.period.as_ref(), Lang::En),
            text(d.target_group.as_ref(), Lang::Ko),
            text(d.target_group.as_ref(), Lang::En),
            safe_cell(&d.source.document),
            d.source.page.to_string(),
            opt(b.map(|b| b.row.budget)),
            opt(b.map(|b| b.row.executed)),
            text(b.and_then(|b| b.row.note.as_ref()), Lang::Ko),
            text(b.and_then(|b| b.row.note.as_ref()), Lang::En),
        ]
    };
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
        row.extend(record(None));
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
                b.row.rate_printed.map(printed_rate).unwrap_or_default(),
                b.row.page.unwrap_or(p.data.source.page).to_string(),
            ]);
            row.extend(urls_cells.clone());
            row.extend(record(Some(b)));
            row
        })
        .collect()
}

fn kpi_rows<'a>(programs: &'a [&'a Program]) -> impl Iterator<Item = Vec<String>> + 'a {
    programs.iter().flat_map(|p| {
        p.kpis.iter().map(move |k| {
            let r = &k.row;
            vec![
                p.slug().to_string(),
                r.year.to_string(),
                safe_cell(r.indicator.get(Lang::Ko)),
                safe_cell(r.indicator.get(Lang::En)),
                text(r.unit.as_ref(), Lang::Ko),
                value_cell(&r.target),
                value_cell(&r.actual),
                if k.is_qualitative() { String::new() } else { rate(k.rate) },
                r.rate_printed.map(printed_rate).unwrap_or_default(),
                r.page.unwrap_or(p.data.source.page).to_string(),
                r.id.clone(),
                safe_cell(p.data.name.get(Lang::Ko)),
                safe_cell(p.data.name.get(Lang::En)),
                p.data.region.clone(),
                text(r.unit.as_ref(), Lang::En),
                text(r.formula.as_ref(), Lang::Ko),
                text(r.formula.as_ref(), Lang::En),
                text(r.data_source.as_ref(), Lang::Ko),
                text(r.data_source.as_ref(), Lang::En),
                text(r.collection.as_ref(), Lang::Ko),
                text(r.collection.as_ref(), Lang::En),
                text(r.note.as_ref(), Lang::Ko),
                text(r.note.as_ref(), Lang::En),
                printed_text(&r.target, Lang::En),
                printed_text(&r.actual, Lang::En),
            ]
        })
    })
}

/// One row per single figure of each owner, in the order of its file.
pub fn figure_rows<'a>(
    site: &'a Site,
    owners: impl Iterator<Item = Owner<'a>> + 'a,
) -> impl Iterator<Item = Vec<String>> + 'a {
    let base = site.config.base();
    owners.flat_map(move |o| {
        let path = o.path();
        o.figures().iter().map(move |f| {
            let anchor = format!("{}#figure-{}", path, f.id);
            vec![
                o.kind().to_string(),
                o.slug().to_string(),
                f.id.clone(),
                safe_cell(f.label.get(Lang::Ko)),
                safe_cell(f.label.get(Lang::En)),
                number(&f.value),
                printed_text(&f.value, Lang::Ko),
                printed_text(&f.value, Lang::En),
                text(f.unit.as_ref(), Lang::Ko),
                text(f.unit.as_ref(), Lang::En),
                opt(f.year),
                f.page.unwrap_or(o.page()).to_string(),
                text(f.note.as_ref(), Lang::Ko),
                text(f.note.as_ref(), Lang::En),
                urls::permalink(base, &urls::localized(&anchor, Lang::Ko)),
                urls::permalink(base, &urls::localized(&anchor, Lang::En)),
                derived_formula(f.derived.as_ref()),
                derived_of(f.derived.as_ref()),
                f.former_ids.join("; "),
            ]
        })
    })
}

/// The `derived_formula` cell: `ratio`, `sum`, … or empty.
fn derived_formula(d: Option<&crate::model::figures::Derived>) -> String {
    d.map(|d| serde_json::to_value(d.formula).ok().and_then(|v| v.as_str().map(str::to_string)).unwrap_or_default())
        .unwrap_or_default()
}

/// The `derived_of` cell: the numbers, `; ` between them.
fn derived_of(d: Option<&crate::model::figures::Derived>) -> String {
    d.map(|d| d.of.iter().map(|n| n.to_string()).collect::<Vec<_>>().join("; ")).unwrap_or_default()
}

/// One row per point of each owner's series.
pub fn series_rows<'a>(
    site: &'a Site,
    owners: impl Iterator<Item = Owner<'a>> + 'a,
) -> impl Iterator<Item = Vec<String>> + 'a {
    let base = site.config.base();
    owners.flat_map(move |o| {
        let path = o.path();
        o.series().iter().flat_map(move |sf| {
            let s = &sf.series;
            let anchor = format!("{}#chart-{}", path, s.id);
            let years = sf.point_years();
            let urls_cells = [
                urls::permalink(base, &urls::localized(&anchor, Lang::Ko)),
                urls::permalink(base, &urls::localized(&anchor, Lang::En)),
            ];
            s.points.iter().zip(years).enumerate().map(move |(i, (pt, year))| {
                let mut row = vec![
                    o.kind().to_string(),
                    o.slug().to_string(),
                    s.id.clone(),
                    safe_cell(s.title.get(Lang::Ko)),
                    safe_cell(s.title.get(Lang::En)),
                    (i + 1).to_string(),
                    safe_cell(pt.label.get(Lang::Ko)),
                    safe_cell(pt.label.get(Lang::En)),
                    number(&pt.value),
                    printed_text(&pt.value, Lang::Ko),
                    printed_text(&pt.value, Lang::En),
                    text(s.unit.as_ref(), Lang::Ko),
                    text(s.unit.as_ref(), Lang::En),
                    opt(year),
                    opt(s.total_printed),
                    s.page.unwrap_or(o.page()).to_string(),
                    text(s.note.as_ref(), Lang::Ko),
                    text(s.note.as_ref(), Lang::En),
                ];
                row.extend(urls_cells.clone());
                row.push(opt(s.year));
                row.push(opt(s.whole));
                row.push(derived_formula(pt.derived.as_ref()));
                row.push(derived_of(pt.derived.as_ref()));
                row.push(s.former_ids.join("; "));
                row
            })
        })
    })
}

/// The rows of the record tables ([`RECORD_TABLES`]): every case, region, category and
/// source of the site, with every field their TOML files hold.
fn record_rows(site: &Site) -> [Vec<Vec<String>>; 4] {
    let base = site.config.base();
    let cases = site
        .cases
        .iter()
        .map(|c| {
            let d = &c.data;
            let path = urls::case(&d.slug);
            vec![
                d.slug.clone(),
                safe_cell(&d.number),
                d.category.clone(),
                d.region.clone(),
                safe_cell(d.title.get(Lang::Ko)),
                safe_cell(d.title.get(Lang::En)),
                safe_cell(&d.source.document),
                d.source.page.to_string(),
                opt(d.pages.map(|p| p[0])),
                opt(d.pages.map(|p| p[1])),
                d.order.to_string(),
                list(&d.aliases),
                urls::permalink(base, &urls::localized(&path, Lang::Ko)),
                urls::permalink(base, &urls::localized(&path, Lang::En)),
            ]
        })
        .collect();
    let regions = site
        .regions
        .iter()
        .map(|r| {
            vec![
                r.slug.clone(),
                safe_cell(r.name.get(Lang::Ko)),
                safe_cell(r.name.get(Lang::En)),
                r.level.key().to_string(),
                opt(r.parent.as_ref()),
                list(&r.aliases),
            ]
        })
        .collect();
    let categories = site
        .categories
        .iter()
        .map(|k| {
            vec![
                k.slug.clone(),
                safe_cell(k.name.get(Lang::Ko)),
                safe_cell(k.name.get(Lang::En)),
                k.order.to_string(),
                opt(k.part.as_ref().map(|p| safe_cell(p))),
                list(&k.aliases),
            ]
        })
        .collect();
    let sources = site
        .sources
        .iter()
        .map(|s| {
            vec![
                safe_cell(&s.id),
                safe_cell(s.title.get(Lang::Ko)),
                safe_cell(s.title.get(Lang::En)),
                opt(s.year),
                opt(s.licence.as_ref().map(|l| safe_cell(l))),
                opt(s.url.as_ref().map(|u| safe_cell(u))),
                text(s.publisher.as_ref(), Lang::Ko),
                text(s.publisher.as_ref(), Lang::En),
                s.known_pages.iter().map(u32::to_string).collect::<Vec<_>>().join("; "),
            ]
        })
        .collect();
    [cases, regions, categories, sources]
}

/// The rows of every table for a set, in [`TABLES`] order.
fn table_rows(site: &Site, set: &Set) -> [Vec<Vec<String>>; 4] {
    [
        set.programs.iter().flat_map(|p| program_rows(site, p)).collect(),
        kpi_rows(&set.programs).collect(),
        figure_rows(site, set.owners()).collect(),
        series_rows(site, set.owners()).collect(),
    ]
}

/// The byte-order mark every CSV starts with: without it Excel reads UTF-8 as the
/// system's code page and garbles Hangul.
pub const BOM: &[u8] = "\u{feff}".as_bytes();

fn csv_bytes(columns: &[Column], rows: &[Vec<String>]) -> std::io::Result<Vec<u8>> {
    let mut w = csv::WriterBuilder::new().terminator(csv::Terminator::CRLF).from_writer(BOM.to_vec());
    w.write_record(columns.iter().map(|c| c.name))?;
    for r in rows {
        debug_assert_eq!(r.len(), columns.len());
        w.write_record(r)?;
    }
    w.into_inner().map_err(|e| std::io::Error::other(e.to_string()))
}

pub fn programs_csv(site: &Site, programs: &[&Program]) -> std::io::Result<Vec<u8>> {
    let rows: Vec<_> = programs.iter().flat_map(|p| program_rows(site, p)).collect();
    csv_bytes(PROGRAM_COLUMNS, &rows)
}

pub fn kpis_csv(programs: &[&Program]) -> std::io::Result<Vec<u8>> {
    csv_bytes(KPI_COLUMNS, &kpi_rows(programs).collect::<Vec<_>>())
}

/// Rows as JSON records with the columns' names, in column order, and their types:
/// numbers as numbers, empty cells as null.
fn json_records(columns: &[Column], rows: &[Vec<String>]) -> serde_json::Result<Vec<u8>> {
    use serde_json::Value as J;
    let mut out = String::from("[");
    for (i, row) in rows.iter().enumerate() {
        out.push_str(if i == 0 { "\n  {" } else { ",\n  {" });
        for (j, (c, cell)) in columns.iter().zip(row).enumerate() {
            let v = if cell.is_empty() {
                J::Null
            } else if matches!(c.ty, "integer" | "year") {
                cell.parse::<i64>().map(Into::into).unwrap_or_else(|_| cell.clone().into())
            } else if c.ty == "number" {
                // An integer stays one (46, not 46.0); a decimal as printed (64.5).
                cell.parse::<i64>()
                    .ok()
                    .map(Into::into)
                    .or_else(|| cell.parse::<f64>().ok().and_then(serde_json::Number::from_f64))
                    .map(J::Number)
                    .unwrap_or_else(|| cell.clone().into())
            } else {
                cell.clone().into()
            };
            out.push_str(if j == 0 { "\n    " } else { ",\n    " });
            out.push_str(&serde_json::to_string(c.name)?);
            out.push_str(": ");
            out.push_str(&serde_json::to_string(&v)?);
        }
        out.push_str("\n  }");
    }
    out.push_str(if rows.is_empty() { "]\n" } else { "\n]\n" });
    Ok(crate::strings::drop_bidi(out.into_bytes()))
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
    indicator: &'a str,
    year: i32,
    indicator_ko: &'a str,
    indicator_en: &'a str,
    unit: Option<&'a str>,
    unit_en: Option<&'a str>,
    target: String,
    actual: String,
    achievement_rate: Option<f64>,
    achievement_rate_printed: Option<f64>,
    formula_ko: Option<&'a str>,
    formula_en: Option<&'a str>,
    data_source_ko: Option<&'a str>,
    data_source_en: Option<&'a str>,
    collection_ko: Option<&'a str>,
    collection_en: Option<&'a str>,
    note_ko: Option<&'a str>,
    note_en: Option<&'a str>,
    source_page: Option<u32>,
}

fn get(t: &Option<Text>, lang: Lang) -> Option<&str> {
    t.as_ref().map(|t| t.get(lang))
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
                    .map(|k| {
                        let r = &k.row;
                        JsonKpi {
                            indicator: &r.id,
                            year: r.year,
                            indicator_ko: r.indicator.get(Lang::Ko),
                            indicator_en: r.indicator.get(Lang::En),
                            unit: get(&r.unit, Lang::Ko),
                            unit_en: get(&r.unit, Lang::En),
                            target: value_cell(&r.target),
                            actual: value_cell(&r.actual),
                            achievement_rate: if k.is_qualitative() { None } else { k.rate.map(Tenths::as_f64) },
                            achievement_rate_printed: r.rate_printed.map(|d| d.to_f64()),
                            formula_ko: get(&r.formula, Lang::Ko),
                            formula_en: get(&r.formula, Lang::En),
                            data_source_ko: get(&r.data_source, Lang::Ko),
                            data_source_en: get(&r.data_source, Lang::En),
                            collection_ko: get(&r.collection, Lang::Ko),
                            collection_en: get(&r.collection, Lang::En),
                            note_ko: get(&r.note, Lang::Ko),
                            note_en: get(&r.note, Lang::En),
                            source_page: r.page,
                        }
                    })
                    .collect(),
            }
        })
        .collect();
    let mut out = serde_json::to_vec_pretty(&records)?;
    out.push(b'\n');
    Ok(crate::strings::drop_bidi(out))
}

/// A workbook of `sheets`, each with its table's columns: amounts, rates, years and
/// pages are numbers in Excel, everything else text, so Hangul is never mis-decoded as it
/// is when Excel guesses a CSV file's encoding. The creation date is fixed, so the bytes
/// are the same on every build.
fn workbook(site: &Site, sheets: &[(&TableDef, &[Vec<String>])]) -> Result<Vec<u8>, rust_xlsxwriter::XlsxError> {
    use rust_xlsxwriter::{DocProperties, ExcelDateTime, Format, Workbook};
    let mut wb = Workbook::new();
    let year = site.config.edition.as_deref().and_then(|e| e.parse().ok()).unwrap_or(2023);
    let props = DocProperties::new()
        .set_title(site.config.title.as_deref().unwrap_or(""))
        .set_creation_datetime(&ExcelDateTime::from_ymd(year, 1, 1)?);
    wb.set_properties(&props);
    let bold = Format::new().set_bold();
    for (table, rows) in sheets {
        // Rows go to a temporary file as they are written, not into memory: the whole
        // dataset's workbook was the largest thing a build held at its end.
        let ws = wb.add_worksheet_with_low_memory()?;
        ws.set_name(table.name)?;
        for (c, col) in table.columns.iter().enumerate() {
            ws.write_string_with_format(0, c as u16, col.name, &bold)?;
        }
        for (r, row) in rows.iter().enumerate() {
            for (c, cell) in row.iter().enumerate() {
                let (r, c) = (r as u32 + 1, c as u16);
                match cell.parse::<f64>() {
                    Ok(v) if table.columns[c as usize].numeric() => ws.write_number(r, c, v)?,
                    _ if cell.is_empty() => ws,
                    _ => ws.write_string(r, c, cell.as_str())?,
                };
            }
        }
        ws.set_freeze_panes(1, 0)?;
    }
    wb.save_to_buffer()
}

/// `datapackage.json` (Frictionless Data): the files, their fields, types and units.
pub fn datapackage(site: &Site) -> serde_json::Value {
    use serde_json::json;
    let fields = |t: &TableDef| -> Vec<serde_json::Value> {
        t.columns
            .iter()
            .map(|c| {
                let mut f = json!({ "name": c.name, "type": c.frictionless_type(), "description": c.en, "description_ko": c.ko });
                if let Some(u) = c.unit {
                    f["unit"] = u.into();
                }
                if c.name.starts_with("url_") {
                    f["format"] = "uri".into();
                }
                f
            })
            .collect()
    };
    let resources: Vec<serde_json::Value> = TABLES
        .iter()
        .map(|t| {
            let mut schema = json!({ "fields": fields(t), "primaryKey": t.primary_key });
            if t.name == "kpis" {
                schema["foreignKeys"] =
                    json!([{ "fields": "program", "reference": { "resource": "programs", "fields": "program" } }]);
            }
            json!({
                "name": t.name, "path": format!("{}.csv", t.name), "format": "csv", "mediatype": "text/csv",
                "encoding": "utf-8", "description": t.en, "description_ko": t.ko, "schema": schema,
            })
        })
        .collect();
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
        "resources": resources,
    })
}

/// The files of every data folder, with their media types: each table's CSV and its XLSX
/// twin, `programs.json` (programs with their budgets and indicators nested) and the
/// flat JSON of figures and series.
pub fn folder_files() -> Vec<(String, &'static str)> {
    let mut out = Vec::new();
    for t in TABLES {
        out.push((format!("{}.csv", t.name), "text/csv"));
        out.push((format!("{}.xlsx", t.name), XLSX));
        if t.name != "kpis" {
            out.push((format!("{}.json", t.name), "application/json"));
        }
    }
    out
}

pub const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/// The whole dataset's data files under `dir` ("/data"): each table as CSV and XLSX, and
/// JSON. `programs.xlsx` holds every table as a sheet, and the [`RECORD_TABLES`] too; the
/// other workbooks one table each.
fn write_whole(site: &Site, sink: &dyn Sink, dir: &str, set: &Set) -> std::io::Result<usize> {
    let xlsx_err = |e: rust_xlsxwriter::XlsxError| std::io::Error::other(e.to_string());
    let rows = table_rows(site, set);
    let records = record_rows(site);
    let mut n = 0;
    for (t, r) in TABLES.iter().zip(&rows) {
        sink.put(&format!("{dir}/{}.csv", t.name), &csv_bytes(t.columns, r)?)?;
        let sheets: Vec<(&TableDef, &[Vec<String>])> = if t.name == "programs" {
            TABLES.iter().zip(&rows).chain(RECORD_TABLES.iter().zip(&records)).map(|(t, r)| (t, r.as_slice())).collect()
        } else {
            vec![(t, r.as_slice())]
        };
        sink.put(&format!("{dir}/{}.xlsx", t.name), &workbook(site, &sheets).map_err(xlsx_err)?)?;
        n += 2;
        match t.name {
            "programs" => {
                sink.put(
                    &format!("{dir}/programs.json"),
                    &programs_json(site, &set.programs).map_err(std::io::Error::other)?,
                )?;
                n += 1;
            }
            "kpis" => {}
            _ => {
                sink.put(
                    &format!("{dir}/{}.json", t.name),
                    &json_records(t.columns, r).map_err(std::io::Error::other)?,
                )?;
                n += 1;
            }
        }
    }
    Ok(n)
}

/// The files of one page's data folder (`/data/programs/<slug>/` …), by name: the
/// programs table as CSV and JSON (programs with their budgets and indicators nested),
/// each other table as CSV (and flat JSON for figures and series) only when it has rows.
/// A folder of a program without series has no `series.csv`, rather than an empty one.
/// The CSV files carry a byte-order mark, so Excel opens them as they are; the workbook
/// is the whole dataset's (`/data/programs.xlsx`), not one per folder.
pub fn owner_files(set: &Set) -> Vec<String> {
    let present = present(set);
    let mut out = Vec::new();
    for (t, has) in TABLES.iter().zip(present) {
        if !has {
            continue;
        }
        out.push(format!("{}.csv", t.name));
        if t.name != "kpis" {
            out.push(format!("{}.json", t.name));
        }
    }
    out.sort();
    out
}

/// Which of [`TABLES`] have rows for a set (the programs table is always written).
fn present(set: &Set) -> [bool; 4] {
    [
        true,
        set.programs.iter().any(|p| !p.kpis.is_empty()),
        set.owners().any(|o| !o.figures().is_empty()),
        set.owners().any(|o| !o.series().is_empty()),
    ]
}

/// Writes one page's data folder (see [`owner_files`]); returns the number of files.
pub fn write_owner(site: &Site, sink: &dyn Sink, dir: &str, set: &Set) -> std::io::Result<usize> {
    let rows = table_rows(site, set);
    let present = present(set);
    let mut n = 0;
    for ((t, r), has) in TABLES.iter().zip(&rows).zip(present) {
        if !has {
            continue;
        }
        sink.put(&format!("{dir}/{}.csv", t.name), &csv_bytes(t.columns, r)?)?;
        n += 1;
        let json = match t.name {
            "programs" => programs_json(site, &set.programs),
            "kpis" => continue,
            _ => json_records(t.columns, r),
        };
        sink.put(&format!("{dir}/{}.json", t.name), &json.map_err(std::io::Error::other)?)?;
        n += 1;
    }
    Ok(n)
}

/// The data folder of a page and what it covers: a program its own records; a case its
/// own figures and series and its programs'; a region or category its programs (given
/// as `members`, indices into `site.programs`) and the cases of that region or category.
pub fn page_set<'a>(site: &'a Site, kind: Kind, members: &[usize]) -> Option<(String, Set<'a>)> {
    let programs = || members.iter().map(|&i| &*site.programs[i]).collect::<Vec<_>>();
    Some(match kind {
        Kind::Program(i) => {
            let p = &*site.programs[i];
            (urls::program_data(p.slug()), Set { programs: vec![p], cases: Vec::new() })
        }
        Kind::Case(i) => {
            let c = &site.cases[i];
            (urls::case_data(&c.data.slug), Set { programs: programs(), cases: vec![c] })
        }
        Kind::Region(i) => {
            let r = &site.regions[i].slug;
            let cases = site.cases.iter().filter(|c| site.within(&c.data.region, r)).collect();
            (urls::region_data(r), Set { programs: programs(), cases })
        }
        Kind::Category(i) => {
            let slug = &site.categories[i].slug;
            let cases = site.cases.iter().filter(|c| &c.data.category == slug).collect();
            (urls::category_data(slug), Set { programs: programs(), cases })
        }
        _ => return None,
    })
}

/// Writes the whole dataset (every table as CSV, XLSX and JSON, and datapackage.json);
/// returns the number of files. The files of each program, case, region and category
/// are written with its page.
pub fn write_all(site: &Site, sink: &dyn Sink) -> std::io::Result<usize> {
    let set = Set { programs: site.programs.iter().map(|p| &**p).collect(), cases: site.cases.iter().collect() };
    let mut n = write_whole(site, sink, "/data", &set)?;
    let mut pkg =
        serde_json::to_vec_pretty(&crate::strings::sort_keys(datapackage(site))).map_err(std::io::Error::other)?;
    pkg.push(b'\n');
    sink.put("/data/datapackage.json", &pkg)?;
    n += 1;
    Ok(n)
}

/// The data page's list of tables: each table's files and columns, in one language.
/// `get_data_tables(lang="ko")` in templates.
pub struct GetDataTables {
    pub base: String,
}

impl tera::Function for GetDataTables {
    fn call(&self, args: &std::collections::HashMap<String, tera::Value>) -> tera::Result<tera::Value> {
        let lang = match args.get("lang").and_then(|v| v.as_str()) {
            Some(code) => Lang::from_code(code)
                .ok_or_else(|| tera::Error::msg(format!("get_data_tables: unknown lang \"{code}\"")))?,
            None => Lang::Ko,
        };
        let pick = |ko: &'static str, en: &'static str| if lang == Lang::Ko { ko } else { en };
        let tables: Vec<serde_json::Value> = TABLES
            .iter()
            .map(|t| {
                let mut files = vec![format!("{}.csv", t.name), format!("{}.xlsx", t.name)];
                files.push(if t.name == "kpis" { "programs.json".into() } else { format!("{}.json", t.name) });
                serde_json::json!({
                    "name": t.name,
                    "description": pick(t.ko, t.en),
                    "files": files.iter().map(|f| serde_json::json!({ "name": f, "url": urls::permalink(&self.base, &urls::data_file(f)) })).collect::<Vec<_>>(),
                    "columns": t.columns.iter().map(|c| serde_json::json!({ "name": c.name, "type": c.frictionless_type(), "unit": c.unit, "description": pick(c.ko, c.en) })).collect::<Vec<_>>(),
                })
            })
            .collect();
        Ok(serde_json::Value::Array(tables))
    }

    fn is_safe(&self) -> bool {
        false
    }
}
