//! Data from spreadsheets: `data/*.xlsx`, `data/*.ods` (read with calamine) and
//! `data/<kind>.csv`. Each kind of record has its sheet (`regions`, `categories`,
//! `sources`, `cases`, `programs`, `budgets`, `kpis`, `figures`, `series`, or their
//! Korean names) with the columns of the published tables (`export::TABLES` and
//! `export::RECORD_TABLES`), so the whole-dataset workbook gongsi publishes reads back as
//! the same records. Headers may use the names the casebook prints (사업명, 예산(A), …).
//!
//! Every problem names the file, the sheet and the cell:
//! `data/programs.xlsx: budgets!G12: expected a number, found "12억x"`. A record keeps
//! where it was defined (`data/programs.xlsx: programs!A5`) as its `file`, so later
//! checks name the row too.

use super::read_text;
use crate::diagnostics::{Diagnostic, Report};
use crate::export::{self, Column};
use crate::lang::{BothLangs, Text};
use crate::model::decimal::Decimal;
use crate::model::figures::{BudgetRow, Figure, KpiRow, MoneyUnit, Point, Series, Value};
use crate::model::{CaseData, Category, ProgramData, Region, RegionLevel, Source, SourceRef};
use std::collections::{BTreeMap, HashMap};
use std::fmt;
use std::path::{Path, PathBuf};

/// One cell as read.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Empty,
    Text(String),
    Number(f64),
    /// A date, a boolean or a formula error: what it is, for the message.
    Other(&'static str),
}

impl Cell {
    fn is_empty(&self) -> bool {
        match self {
            Cell::Empty => true,
            Cell::Text(s) => s.trim().is_empty(),
            _ => false,
        }
    }

    /// The cell as text: a number in its shortest form; the apostrophe the exporter puts
    /// before a text that would read as a formula is dropped.
    fn text(&self) -> Option<String> {
        match self {
            Cell::Text(s) => {
                let t = s.trim();
                let t = match t.strip_prefix('\'') {
                    Some(rest) if rest.starts_with(['=', '+', '-', '@']) => rest,
                    _ => t,
                };
                (!t.is_empty()).then(|| t.to_string())
            }
            Cell::Number(f) => Decimal::from_f64(*f).map(|d| d.to_string()),
            _ => None,
        }
    }

    /// What the cell holds, quoted for a message.
    fn shown(&self) -> String {
        match self {
            Cell::Empty => "an empty cell".into(),
            Cell::Text(s) => format!("\"{}\"", s.trim()),
            Cell::Number(f) => format!("{f}"),
            Cell::Other(what) => what.to_string(),
        }
    }
}

/// A sheet (or a CSV file) as a grid of cells from A1, with its merged ranges.
pub struct Grid {
    pub file: PathBuf,
    /// `None` for a CSV file.
    pub sheet: Option<String>,
    pub rows: Vec<Vec<Cell>>,
    /// Merged ranges: (first row, first column, last row, last column), 0-based.
    pub merges: Vec<(usize, usize, usize, usize)>,
}

impl Grid {
    fn cell(&self, r: usize, c: usize) -> &Cell {
        self.rows.get(r).and_then(|row| row.get(c)).unwrap_or(&Cell::Empty)
    }

    fn width(&self) -> usize {
        self.rows.iter().map(Vec::len).max().unwrap_or(0)
    }

    fn blank(&self, r: usize) -> bool {
        self.rows[r].iter().all(Cell::is_empty)
    }

    fn filled(&self, r: usize) -> Vec<usize> {
        (0..self.rows[r].len()).filter(|&c| !self.rows[r][c].is_empty()).collect()
    }

    fn place(&self, row: usize, col: usize) -> Place {
        Place { file: self.file.clone(), sheet: self.sheet.clone(), row, col }
    }

    /// Copies each merged range's value into all its cells, so a program name merged
    /// over its years' rows belongs to each of them.
    fn fill_merges(&mut self) {
        for &(r0, c0, r1, c1) in &self.merges.clone() {
            let v = self.cell(r0, c0).clone();
            for r in r0..=r1 {
                for c in c0..=c1 {
                    if let Some(row) = self.rows.get_mut(r) {
                        if row.len() <= c {
                            row.resize(c + 1, Cell::Empty);
                        }
                        row[c] = v.clone();
                    }
                }
            }
        }
    }
}

/// A cell's name: `G12`.
pub fn cell_name(row: usize, col: usize) -> String {
    let mut letters = String::new();
    let mut n = col + 1;
    while n > 0 {
        let rem = (n - 1) % 26;
        letters.insert(0, (b'A' + rem as u8) as char);
        n = (n - 1) / 26;
    }
    format!("{letters}{}", row + 1)
}

/// Where a value is: file, sheet and cell.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Place {
    pub file: PathBuf,
    pub sheet: Option<String>,
    pub row: usize,
    pub col: usize,
}

impl Place {
    /// `budgets!G12`, or `G12` in a CSV file.
    pub fn cell(&self) -> String {
        match &self.sheet {
            Some(s) => format!("{s}!{}", cell_name(self.row, self.col)),
            None => cell_name(self.row, self.col),
        }
    }

    pub fn error(&self, msg: impl fmt::Display) -> Diagnostic {
        Diagnostic::error(&self.file, format!("{}: {msg}", self.cell()))
    }

    pub fn warning(&self, msg: impl fmt::Display) -> Diagnostic {
        Diagnostic::warning(&self.file, format!("{}: {msg}", self.cell()))
    }
}

impl fmt::Display for Place {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.file.display(), self.cell())
    }
}

/// The kinds of record a sheet holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Kind {
    Sources,
    Regions,
    Categories,
    Cases,
    Programs,
    Budgets,
    Kpis,
    Figures,
    Series,
}

impl Kind {
    pub const ALL: [Kind; 9] = [
        Kind::Sources,
        Kind::Regions,
        Kind::Categories,
        Kind::Cases,
        Kind::Programs,
        Kind::Budgets,
        Kind::Kpis,
        Kind::Figures,
        Kind::Series,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Kind::Sources => "sources",
            Kind::Regions => "regions",
            Kind::Categories => "categories",
            Kind::Cases => "cases",
            Kind::Programs => "programs",
            Kind::Budgets => "budgets",
            Kind::Kpis => "kpis",
            Kind::Figures => "figures",
            Kind::Series => "series",
        }
    }

    /// The Korean sheet name an editor may use instead.
    pub fn korean(self) -> &'static str {
        match self {
            Kind::Sources => "출처",
            Kind::Regions => "지역",
            Kind::Categories => "분야",
            Kind::Cases => "사례",
            Kind::Programs => "사업",
            Kind::Budgets => "예산",
            Kind::Kpis => "성과지표",
            Kind::Figures => "수치",
            Kind::Series => "계열",
        }
    }

    pub fn from_name(name: &str) -> Option<Kind> {
        let n = normalise(name);
        Kind::ALL.into_iter().find(|k| n == k.name() || n == k.korean())
    }

    /// The columns of this kind's sheet: those of its published table.
    pub fn columns(self) -> Vec<&'static str> {
        match self.table() {
            Some(table) => table.iter().map(|c| c.name).collect(),
            None => BUDGET_COLUMNS.to_vec(),
        }
    }

    /// The published columns of this kind, with their types and descriptions.
    pub fn table(self) -> Option<&'static [Column]> {
        Some(match self {
            Kind::Sources => export::SOURCE_COLUMNS,
            Kind::Regions => export::REGION_COLUMNS,
            Kind::Categories => export::CATEGORY_COLUMNS,
            Kind::Cases => export::CASE_COLUMNS,
            Kind::Programs => export::PROGRAM_COLUMNS,
            Kind::Budgets => return None,
            Kind::Kpis => export::KPI_COLUMNS,
            Kind::Figures => export::FIGURE_COLUMNS,
            Kind::Series => export::SERIES_COLUMNS,
        })
    }

    /// The columns an editor fills in: all but those gongsi computes (and amounts in won,
    /// which the printed amounts and their unit give).
    pub fn editor_columns(self) -> Vec<&'static str> {
        self.columns()
            .into_iter()
            .filter(|k| !self.derived(k) && !matches!(*k, "budget_won" | "executed_won"))
            .filter(|k| !(self == Kind::Kpis && *k == "name_ko"))
            .collect()
    }

    /// Columns gongsi computes (rates, amounts in won, URLs, a program's name beside its
    /// indicators): read past, since the build writes them again.
    fn derived(self, key: &str) -> bool {
        matches!(key, "url_ko" | "url_en" | "execution_rate" | "achievement_rate")
            || (self == Kind::Kpis && matches!(key, "name_en" | "region"))
    }

    /// The names the casebook prints for a column, accepted as headers.
    fn aliases(self, key: &str) -> &'static [&'static str] {
        use Kind::*;
        match (self, key) {
            (Programs | Budgets | Kpis, "program") => &["사업식별자", "slug"],
            (_, "region") => &["지역", "지역식별자"],
            (_, "category") => &["분야", "분야식별자"],
            (Programs | Budgets, "year") => &["연도", "회계연도", "년도"],
            (Kpis | Figures | Series | Sources, "year") => &["연도", "년도", "기준연도"],
            (Programs | Budgets | Kpis, "name_ko") => &["사업명"],
            (Programs | Budgets | Kpis, "name_en") => &["사업명(영어)", "영문사업명"],
            (Regions, "name_ko") => &["지역명"],
            (Regions, "name_en") => &["지역명(영어)"],
            (Categories, "name_ko") => &["분야명"],
            (Categories, "name_en") => &["분야명(영어)"],
            (Programs | Budgets, "budget_printed") => &["예산(a)", "예산", "예산액", "budget"],
            (Programs | Budgets, "executed_printed") => &["집행(b)", "집행", "집행액", "executed"],
            (Programs | Budgets, "unit_printed") => &["단위", "금액단위", "unit"],
            (Programs | Budgets, "execution_rate_printed") => {
                &["집행률", "집행률(b/a)", "집행률(%)", "집행률(b/a×100)", "rate_printed"]
            }
            (Programs | Budgets, "budget_note_ko") => &["비고", "예산비고"],
            (Programs, "case") => &["사례", "사례식별자"],
            (Programs | Cases | Categories, "order") => &["순서"],
            (Programs, "period_ko") => &["사업기간", "기간"],
            (Programs, "target_group_ko") => &["지원대상", "사업대상", "대상"],
            (Programs | Cases, "source_document") => &["출처", "자료"],
            (Programs, "program_page") => &["사업쪽"],
            (_, "source_page") => &["쪽", "페이지", "page", "원문쪽수"],
            (Kpis, "indicator_ko") => &["성과지표", "성과지표명", "지표명", "지표"],
            (Kpis, "indicator_en") => &["성과지표(영어)"],
            (Kpis, "indicator") => &["지표식별자", "id"],
            (Kpis, "unit") => &["단위"],
            (Kpis, "target") => &["목표치(a)", "목표치", "목표"],
            (Kpis, "actual") => &["실적(b)", "실적"],
            (Kpis, "achievement_rate_printed") => {
                &["달성률", "달성률(b/a)", "달성률(%)", "달성률(b/a×100)", "rate_printed"]
            }
            (Kpis, "formula_ko") => &["산식", "산출식", "측정산식"],
            (Kpis, "data_source_ko") => &["자료출처", "출처"],
            (Kpis, "collection_ko") => &["수집방법", "수집방식", "자료수집방법"],
            (Kpis | Figures | Series, "note_ko") => &["비고", "주"],
            (Figures | Series, "owner") => &["사업", "사례"],
            (Figures, "figure") => &["수치식별자", "id"],
            (Figures | Series, "label_ko") => &["항목", "구분"],
            (Figures | Series, "value") => &["값", "수치"],
            (Figures | Series, "unit_ko") => &["단위"],
            (Series, "series") => &["계열식별자", "id"],
            (Series, "title_ko") => &["계열명", "제목"],
            (Series, "point") => &["순번"],
            (Series, "total_printed") => &["합계", "계"],
            (Cases, "case") => &["사례식별자", "slug"],
            (Cases, "number") => &["번호", "사례번호"],
            (Cases, "title_ko") => &["사례명", "제목"],
            (Cases, "first_page") => &["시작쪽", "첫쪽"],
            (Cases, "last_page") => &["끝쪽", "마지막쪽"],
            (Regions, "level") => &["행정단위", "구분"],
            (Regions, "parent") => &["상위지역"],
            (Categories, "part") => &["편"],
            (Sources, "source") => &["자료식별자", "id"],
            (Sources, "title_ko") => &["자료명", "제목"],
            (Sources, "licence") => &["license", "이용허락"],
            (Sources, "publisher_ko") => &["발행기관"],
            _ => &[],
        }
    }
}

/// A `budgets` sheet: a program's budget rows, in the columns of `programs`.
const BUDGET_COLUMNS: &[&str] = &[
    "program",
    "name_ko",
    "year",
    "budget_printed",
    "executed_printed",
    "unit_printed",
    "execution_rate_printed",
    "source_page",
    "budget_note_ko",
    "budget_note_en",
    "budget_won",
    "executed_won",
    "execution_rate",
];

/// Headers compared without case, spaces or full-width brackets: `예산 (A)` is `예산(a)`.
fn normalise(s: &str) -> String {
    s.chars()
        .filter(|c| !c.is_whitespace() && *c != '\u{200b}')
        .map(|c| match c {
            '（' => '(',
            '）' => ')',
            '［' | '[' => '(',
            '］' | ']' => ')',
            _ => c,
        })
        .flat_map(char::to_lowercase)
        .collect()
}

/// A money unit in a header or a title row: `(백만원)`, `(단위: 백만원)`, `단위:천원`.
fn unit_note(s: &str) -> Option<MoneyUnit> {
    let n = normalise(s);
    let n = n.strip_prefix('(').and_then(|n| n.strip_suffix(')')).unwrap_or(&n);
    let n = n.strip_prefix("단위").map(|n| n.trim_start_matches([':', '：'])).unwrap_or(n);
    MoneyUnit::parse(n)
}

/// One table of a sheet: its header and the rows below it.
struct Table<'g> {
    grid: &'g Grid,
    kind: Kind,
    /// Column index → key.
    keys: BTreeMap<usize, &'static str>,
    /// A unit a header gives its column: `예산(A)(백만원)`.
    column_units: HashMap<&'static str, MoneyUnit>,
    /// A unit a title row gives the table: `(단위: 백만원)`.
    unit: Option<MoneyUnit>,
    rows: Vec<usize>,
}

/// What a header cell names.
enum Header {
    Key(&'static str, Option<MoneyUnit>),
    Unknown(String),
}

fn resolve_header(kind: Kind, text: &str) -> Header {
    let columns = kind.columns();
    let find = |n: &str| {
        columns.iter().copied().find(|k| normalise(k) == n || kind.aliases(k).iter().any(|a| normalise(a) == n))
    };
    let n = normalise(text);
    if let Some(k) = find(&n) {
        return Header::Key(k, None);
    }
    // A unit in brackets at the end: 예산(A)(백만원), budget_printed (천원).
    if let Some(open) = n.rfind('(') {
        if let (Some(unit), Some(k)) = (unit_note(&n[open..]), find(&n[..open])) {
            if matches!(k, "budget_printed" | "executed_printed") {
                return Header::Key(k, Some(unit));
            }
        }
    }
    let best = columns
        .iter()
        .flat_map(|k| std::iter::once((*k, *k)).chain(kind.aliases(k).iter().map(move |a| (*a, *k))))
        .map(|(name, key)| {
            let candidate = normalise(name);
            // Ties go to a name as long as the header: 집행율 is 집행률 mistyped, not 집행.
            let same_length = candidate.chars().count() == n.chars().count();
            let edits = strsim::normalized_levenshtein(&n, &candidate);
            (edits, same_length, strsim::jaro_winkler(&n, &candidate), name, key)
        })
        .filter(|(edits, _, jw, _, _)| *edits >= 0.6 || *jw > 0.9)
        .max_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)).then(a.2.total_cmp(&b.2)));
    Header::Unknown(match best.map(|(_, _, _, name, key)| (0, name, key)) {
        Some((_, name, key)) if name == key => format!("unknown column \"{}\"; did you mean \"{key}\"?", text.trim()),
        Some((_, name, key)) => {
            format!("unknown column \"{}\"; did you mean \"{name}\" ({key})?", text.trim())
        }
        None => format!(
            "unknown column \"{}\" (a {} sheet has the columns {})",
            text.trim(),
            kind.name(),
            columns.join(", ")
        ),
    })
}

/// Splits a sheet into its tables. The header is the first row that is not blank and not
/// a title; blank rows are skipped, and after one a row of known column names starts a
/// new table. A title row (one cell, alone) may give the table's money unit.
fn tables<'g>(grid: &'g Grid, kind: Kind, diags: &mut Vec<Diagnostic>) -> Vec<Table<'g>> {
    let mut out: Vec<Table> = Vec::new();
    let mut after_blank = true;
    let mut unit = None;
    let n = grid.rows.len();
    let header_like = |r: usize| {
        let filled = grid.filled(r);
        let known = filled
            .iter()
            .filter(
                |&&c| matches!(grid.cell(r, c), Cell::Text(t) if matches!(resolve_header(kind, t), Header::Key(..))),
            )
            .count();
        filled.len() >= 2 && known * 2 >= filled.len()
    };
    let mut r = 0;
    while r < n {
        if grid.blank(r) {
            after_blank = true;
            r += 1;
            continue;
        }
        if after_blank {
            let filled = grid.filled(r);
            // A title: one text cell alone, above a header.
            if filled.len() == 1 && matches!(grid.cell(r, filled[0]), Cell::Text(_)) {
                let next = (r + 1..n).find(|&q| !grid.blank(q));
                if out.is_empty() || next.is_some_and(header_like) {
                    if let Cell::Text(t) = grid.cell(r, filled[0]) {
                        unit = unit_note(t).or(unit);
                    }
                    r += 1;
                    continue;
                }
            }
            if out.is_empty() || header_like(r) {
                if let Some(t) = header(grid, kind, r, unit.take(), diags) {
                    out.push(t);
                }
                after_blank = false;
                r += 1;
                continue;
            }
        }
        after_blank = false;
        if let Some(t) = out.last_mut() {
            t.rows.push(r);
        }
        r += 1;
    }
    for t in &out {
        // A value under no header: a merged header cell, or a column the editor forgot.
        let mut reported = std::collections::HashSet::new();
        for &r in &t.rows {
            for c in grid.filled(r) {
                if !t.keys.contains_key(&c) && reported.insert(c) {
                    diags.push(grid.place(r, c).error(
                        "this column has values but no header: name it in its header cell (a merged header cell gives only its first column a name)"
                    ));
                }
            }
        }
    }
    out
}

fn header<'g>(
    grid: &'g Grid,
    kind: Kind,
    r: usize,
    unit: Option<MoneyUnit>,
    diags: &mut Vec<Diagnostic>,
) -> Option<Table<'g>> {
    for &(r0, c0, r1, c1) in &grid.merges {
        if r0 <= r && r <= r1 && (c0 != c1 || r0 != r1) {
            let range = format!("{}:{}", cell_name(r0, c0), cell_name(r1, c1));
            let at = Place { col: c0, row: r0, ..grid.place(r0, c0) };
            let shown = match &at.sheet {
                Some(s) => format!("{s}!{range}"),
                None => range,
            };
            diags.push(Diagnostic::error(
                &at.file,
                format!("{shown}: merged header cells: a header is one row with one cell per column; unmerge them and name each column"),
            ));
            return None;
        }
    }
    let mut keys = BTreeMap::new();
    let mut column_units = HashMap::new();
    let mut seen: HashMap<&'static str, usize> = HashMap::new();
    let mut ok = true;
    for c in 0..grid.width() {
        let cell = grid.cell(r, c);
        if cell.is_empty() {
            continue;
        }
        let Some(text) = cell.text() else {
            diags.push(grid.place(r, c).error(format!("expected a column name, found {}", cell.shown())));
            ok = false;
            continue;
        };
        match resolve_header(kind, &text) {
            Header::Key(k, u) => {
                if let Some(&other) = seen.get(k) {
                    diags.push(
                        grid.place(r, c).error(format!("column {k} appears twice (also {})", cell_name(r, other))),
                    );
                    ok = false;
                    continue;
                }
                seen.insert(k, c);
                keys.insert(c, k);
                if let Some(u) = u {
                    column_units.insert(k, u);
                }
            }
            Header::Unknown(msg) => {
                diags.push(grid.place(r, c).error(msg));
                ok = false;
            }
        }
    }
    ok.then_some(Table { grid, kind, keys, column_units, unit, rows: Vec::new() })
}

/// The filled cells of one row (or of several rows of one record), by key.
#[derive(Debug, Clone, Default)]
struct Fields {
    cells: BTreeMap<&'static str, (Cell, Place)>,
}

fn row_fields(t: &Table, r: usize) -> Fields {
    let mut f = Fields::default();
    for (&c, &k) in &t.keys {
        let cell = t.grid.cell(r, c);
        if !cell.is_empty() && !t.kind.derived(k) {
            f.cells.insert(k, (cell.clone(), t.grid.place(r, c)));
        }
    }
    f
}

/// Errors collected while reading records; reading goes on after each.
struct Reader {
    diags: Vec<Diagnostic>,
}

impl Fields {
    fn get(&self, k: &str) -> Option<&(Cell, Place)> {
        self.cells.get(k)
    }

    /// Adds another row's cells of `keys`; a value that differs from the one an earlier
    /// row gave is an error naming both cells.
    fn merge(&mut self, other: &Fields, keys: &[&'static str], what: &str, rd: &mut Reader) {
        for (&k, (cell, place)) in &other.cells {
            if !keys.contains(&k) {
                continue;
            }
            match self.cells.get(k) {
                Some((old, old_place)) if old.text() != cell.text() => rd.diags.push(place.error(format!(
                    "{k} {} differs from {} in {} for the same {what}",
                    cell.shown(),
                    old.shown(),
                    old_place.cell()
                ))),
                Some(_) => {}
                None => {
                    self.cells.insert(k, (cell.clone(), place.clone()));
                }
            }
        }
    }
}

impl Reader {
    fn text(&mut self, f: &Fields, k: &str) -> Option<String> {
        let (cell, place) = f.get(k)?;
        match cell {
            Cell::Other(what) => {
                self.diags.push(place.error(format!("expected text, found {what}")));
                None
            }
            _ => cell.text(),
        }
    }

    fn required<T>(&mut self, v: Option<T>, f: &Fields, at: &Place, k: &str) -> Option<T> {
        if v.is_none() && f.get(k).is_none() {
            self.diags.push(at.error(format!("no {k}: this row needs one")));
        }
        v
    }

    fn text_req(&mut self, f: &Fields, at: &Place, k: &str) -> Option<String> {
        let v = self.text(f, k);
        self.required(v, f, at, k)
    }

    /// A text in both languages from `<k>_ko` and `<k>_en` (or the keys given): the same
    /// string when both are equal.
    fn pair(&mut self, f: &Fields, ko: &str, en: &str) -> Option<Text> {
        match (self.text(f, ko), self.text(f, en)) {
            (None, None) => None,
            (Some(a), Some(b)) if a == b => Some(Text::Same(a)),
            (a, b) => Some(Text::Both(BothLangs { ko: a.unwrap_or_default(), en: b.unwrap_or_default() })),
        }
    }

    fn pair_req(&mut self, f: &Fields, at: &Place, ko: &str, en: &str) -> Option<Text> {
        let v = self.pair(f, ko, en);
        if v.is_none() {
            self.diags.push(at.error(format!("no {ko}: this row needs one")));
        }
        v
    }

    /// A number: a number cell, or text with thousands separators ("28,800").
    fn number(&mut self, f: &Fields, k: &str) -> Option<Decimal> {
        let (cell, place) = f.get(k)?;
        let parsed = match cell {
            Cell::Number(v) => Decimal::from_f64(*v),
            Cell::Text(s) => Decimal::parse(s.trim().trim_end_matches('%')),
            _ => None,
        };
        if parsed.is_none() {
            self.diags.push(place.error(format!("expected a number, found {}", cell.shown())));
        }
        parsed
    }

    /// `derived_formula` and `derived_of` ("187; 204"): how a value follows from others.
    fn derived(&mut self, f: &Fields) -> Option<crate::model::figures::Derived> {
        let formula = self.text(f, "derived_formula")?;
        let place = f.get("derived_formula")?.1.clone();
        let Ok(formula) = serde_json::from_value(serde_json::Value::String(formula.trim().to_string())) else {
            self.diags
                .push(place.error(format!(
                    "unknown formula \"{formula}\", expected one of ratio, increase, sum, mean, count"
                )));
            return None;
        };
        let list = self.text(f, "derived_of").unwrap_or_default();
        let mut of = Vec::new();
        for part in list.split(';').map(str::trim).filter(|p| !p.is_empty()) {
            match Decimal::parse(part) {
                Some(d) => of.push(d),
                None => {
                    self.diags
                        .push(place.error(format!("derived_of: expected numbers separated by ;, found \"{part}\"")));
                    return None;
                }
            }
        }
        Some(crate::model::figures::Derived { formula, of })
    }

    fn whole<T: TryFrom<i128>>(&mut self, f: &Fields, k: &str) -> Option<T> {
        let d = self.number(f, k)?;
        let v = (d.scale == 0).then_some(d.mantissa).and_then(|m| T::try_from(m).ok());
        if v.is_none() {
            let place = &f.get(k)?.1;
            self.diags.push(place.error(format!("expected a whole number, found {}", f.get(k)?.0.shown())));
        }
        v
    }

    /// An amount and the unit it is printed with, if the cell says ("28,800백만원").
    fn amount(&mut self, f: &Fields, k: &str) -> Option<(Decimal, Option<MoneyUnit>)> {
        let (cell, place) = f.get(k)?;
        if let Cell::Text(s) = cell {
            let s = s.trim();
            for u in ["백만원", "천원", "만원", "억원", "원", "백만 원", "천 원", "만 원", "억 원"] {
                if let Some(num) = s.strip_suffix(u) {
                    if let Some(d) = Decimal::parse(num) {
                        return Some((d, MoneyUnit::parse(u)));
                    }
                }
            }
            let _ = place;
        }
        self.number(f, k).map(|d| (d, None))
    }

    fn unit(&mut self, f: &Fields, k: &str) -> Option<MoneyUnit> {
        let (cell, place) = f.get(k)?;
        let t = cell.text().unwrap_or_default();
        let u = MoneyUnit::parse(&t);
        if u.is_none() {
            self.diags.push(
                place.error(format!(
                    "unknown money unit {}, expected one of 원, 천원, 만원, 백만원, 억원",
                    cell.shown()
                )),
            );
        }
        u
    }

    /// A figure's or a point's value: `value` as a number, else the text of a value that
    /// is not one (`value_text_ko`, `value_text_en`).
    fn value(&mut self, f: &Fields) -> Option<Value> {
        if f.get("value").is_some() {
            return self.number(f, "value").map(Value::Number);
        }
        self.pair(f, "value_text_ko", "value_text_en").map(Value::Text)
    }

    /// A target or an actual: a number, or the text of a qualitative value (`<k>` in
    /// Korean, `<k>_en` in English).
    fn number_or_text(&mut self, f: &Fields, k: &str, en: &str) -> Option<Value> {
        match f.get(k) {
            Some((Cell::Number(v), _)) => Decimal::from_f64(*v).map(Value::Number),
            Some((Cell::Text(s), _)) if Decimal::parse(s).is_some() => Decimal::parse(s).map(Value::Number),
            _ => self.pair(f, k, en).map(Value::Text),
        }
    }

    fn list(&mut self, f: &Fields, k: &str) -> Vec<String> {
        self.text(f, k)
            .map(|t| {
                t.split(|c: char| c.is_whitespace() || c == ',').filter(|s| !s.is_empty()).map(String::from).collect()
            })
            .unwrap_or_default()
    }
}

/// The records of every spreadsheet in `data/`, each with where it is defined.
#[derive(Default)]
pub struct Records {
    pub sources: Vec<(Source, Place)>,
    pub regions: Vec<(Region, Place)>,
    pub categories: Vec<(Category, Place)>,
    pub cases: Vec<(CaseData, Place)>,
    pub programs: Vec<(ProgramData, Place)>,
    /// Every spreadsheet read, for the incremental build's inputs.
    pub files: Vec<PathBuf>,
}

/// Whether a file in `data/` is a spreadsheet gongsi reads: a workbook, or a CSV file
/// named after a kind (`budgets.csv`, `예산.csv`). Office lock files are not.
pub fn is_sheet_file(path: &Path) -> bool {
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    if name.starts_with("~$") || name.starts_with(".~lock") || name.starts_with('.') {
        return false;
    }
    match path.extension().and_then(|e| e.to_str()).map(str::to_ascii_lowercase).as_deref() {
        Some("xlsx" | "ods") => true,
        Some("csv") => path.file_stem().and_then(|s| s.to_str()).and_then(Kind::from_name).is_some(),
        _ => false,
    }
}

/// The spreadsheets of `data/`, sorted by name.
pub fn sheet_files(root: &Path) -> Vec<PathBuf> {
    let Ok(dir) = std::fs::read_dir(root.join("data")) else { return Vec::new() };
    let mut files: Vec<PathBuf> = dir
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_ok_and(|t| t.is_file()))
        .map(|e| Path::new("data").join(e.file_name()))
        .filter(|p| is_sheet_file(p))
        .collect();
    files.sort();
    files
}

/// Reads one workbook into grids, one per sheet.
fn read_workbook(root: &Path, rel: &Path) -> Result<Vec<Grid>, Diagnostic> {
    use calamine::{Data, Reader as _};
    let path = root.join(rel);
    let meta = std::fs::metadata(&path).map_err(|e| Diagnostic::error(rel, format!("cannot read: {e}")))?;
    if meta.len() > super::MAX_FILE_BYTES {
        return Err(Diagnostic::error(
            rel,
            format!("file is {} bytes, over the limit of {}", meta.len(), super::MAX_FILE_BYTES),
        ));
    }
    let mut wb = calamine::open_workbook_auto(&path)
        .map_err(|e| Diagnostic::error(rel, format!("cannot read this workbook: {e}")))?;
    let mut grids = Vec::new();
    for name in wb.sheet_names() {
        let range =
            wb.worksheet_range(&name).map_err(|e| Diagnostic::error(rel, format!("cannot read sheet {name}: {e}")))?;
        let mut rows: Vec<Vec<Cell>> = Vec::new();
        if let Some((r0, c0)) = range.start() {
            for (i, row) in range.rows().enumerate() {
                let r = r0 as usize + i;
                if rows.len() <= r {
                    rows.resize(r + 1, Vec::new());
                }
                let mut cells = vec![Cell::Empty; c0 as usize];
                cells.extend(row.iter().map(|d| match d {
                    Data::Empty => Cell::Empty,
                    Data::String(s) => Cell::Text(s.clone()),
                    Data::Float(f) => Cell::Number(*f),
                    Data::Int(i) => Cell::Number(*i as f64),
                    Data::Bool(_) => Cell::Other("a true/false value"),
                    Data::DateTime(_) | Data::DateTimeIso(_) => {
                        Cell::Other("a date (format the cell as text or a number)")
                    }
                    Data::DurationIso(_) => Cell::Other("a duration"),
                    Data::Error(_) => Cell::Other("a formula error"),
                }));
                rows[r] = cells;
            }
        }
        let merges = match &mut wb {
            calamine::Sheets::Xlsx(x) => x
                .merge_cells_by_sheet_name(&name)
                .unwrap_or_default()
                .into_iter()
                .map(|d| (d.start.0 as usize, d.start.1 as usize, d.end.0 as usize, d.end.1 as usize))
                .collect(),
            _ => Vec::new(),
        };
        grids.push(Grid { file: rel.to_path_buf(), sheet: Some(name), rows, merges });
    }
    Ok(grids)
}

fn read_csv(root: &Path, rel: &Path) -> Result<Grid, Diagnostic> {
    let text = read_text(root, rel)?;
    let mut reader = csv::ReaderBuilder::new().has_headers(false).flexible(true).from_reader(text.as_bytes());
    let mut rows = Vec::new();
    for (i, rec) in reader.records().enumerate() {
        let rec = rec.map_err(|e| Diagnostic::error(rel, format!("line {}: {e}", i + 1)))?;
        rows.push(rec.iter().map(|s| if s.is_empty() { Cell::Empty } else { Cell::Text(s.to_string()) }).collect());
    }
    Ok(Grid { file: rel.to_path_buf(), sheet: None, rows, merges: Vec::new() })
}

/// Reads every spreadsheet of `data/`.
pub fn load(root: &Path, report: &mut Report) -> Records {
    let mut grids: Vec<(Kind, Grid)> = Vec::new();
    let mut records = Records::default();
    for rel in sheet_files(root) {
        records.files.push(rel.clone());
        let is_csv = rel.extension().is_some_and(|e| e.eq_ignore_ascii_case("csv"));
        if is_csv {
            let kind = rel.file_stem().and_then(|s| s.to_str()).and_then(Kind::from_name).expect("a kind's CSV");
            match read_csv(root, &rel) {
                Ok(g) => grids.push((kind, g)),
                Err(d) => report.push(d),
            }
            continue;
        }
        match read_workbook(root, &rel) {
            Ok(gs) => {
                for g in gs {
                    let name = g.sheet.clone().unwrap_or_default();
                    match Kind::from_name(&name) {
                        Some(kind) => grids.push((kind, g)),
                        None if g.rows.iter().all(|r| r.iter().all(Cell::is_empty)) => {}
                        None => {
                            let best = Kind::ALL
                                .iter()
                                .map(|k| (strsim::jaro_winkler(&normalise(&name), k.name()), k.name()))
                                .filter(|(s, _)| *s > 0.8)
                                .max_by(|a, b| a.0.total_cmp(&b.0));
                            let hint = match best {
                                Some((_, k)) => format!("; did you mean \"{k}\"?"),
                                None => String::new(),
                            };
                            report.push(Diagnostic::warning(
                                &rel,
                                format!(
                                    "sheet \"{name}\" is not read: gongsi reads the sheets {}{hint}",
                                    Kind::ALL.map(Kind::name).join(", ")
                                ),
                            ));
                        }
                    }
                }
            }
            Err(d) => report.push(d),
        }
    }
    for (_, g) in &mut grids {
        g.fill_merges();
    }
    let mut rd = Reader { diags: Vec::new() };
    let mut by_kind: BTreeMap<Kind, Vec<(Fields, Place)>> = BTreeMap::new();
    // The money units each budget row's table gives, by the row's first cell.
    let mut units: HashMap<(PathBuf, Option<String>, usize), Units> = HashMap::new();
    for (kind, g) in &grids {
        for t in tables(g, *kind, &mut rd.diags) {
            for &r in &t.rows {
                let f = row_fields(&t, r);
                if f.cells.is_empty() {
                    continue;
                }
                let at = g.place(r, t.keys.keys().next().copied().unwrap_or(0));
                if matches!(kind, Kind::Programs | Kind::Budgets) {
                    units.insert((g.file.clone(), g.sheet.clone(), r), (t.unit, t.column_units.clone()));
                }
                by_kind.entry(*kind).or_default().push((f, at));
            }
        }
    }
    let units_at = |at: &Place| units.get(&(at.file.clone(), at.sheet.clone(), at.row)).cloned().unwrap_or_default();
    let mut rows = |k: Kind| by_kind.remove(&k).unwrap_or_default();

    for (f, at) in rows(Kind::Sources) {
        let (Some(id), Some(title)) = (rd.text_req(&f, &at, "source"), rd.pair_req(&f, &at, "title_ko", "title_en"))
        else {
            continue;
        };
        let s = Source {
            id,
            title,
            year: rd.whole(&f, "year"),
            licence: rd.text(&f, "licence"),
            url: rd.text(&f, "url"),
            publisher: rd.pair(&f, "publisher_ko", "publisher_en"),
            known_pages: rd
                .text(&f, "known_pages")
                .map(|t| t.split(';').filter_map(|p| p.trim().parse().ok()).collect())
                .unwrap_or_default(),
        };
        records.sources.push((s, at));
    }
    for (f, at) in rows(Kind::Regions) {
        let slug = rd.text_req(&f, &at, "region");
        let name = rd.pair_req(&f, &at, "name_ko", "name_en");
        let level = rd.text_req(&f, &at, "level").and_then(|l| {
            let level = region_level(&l);
            if level.is_none() {
                let place = &f.get("level").unwrap().1;
                rd.diags.push(place.error(format!(
                    "unknown level \"{l}\", expected one of special-city, metropolitan-city, special-self-governing-city, province, special-self-governing-province, city, county, district (or 특별시, 광역시, 특별자치시, 도, 특별자치도, 시, 군, 구)"
                )));
            }
            level
        });
        let (Some(slug), Some(name), Some(level)) = (slug, name, level) else { continue };
        let r = Region { slug, name, level, parent: rd.text(&f, "parent"), aliases: rd.list(&f, "aliases") };
        records.regions.push((r, at));
    }
    for (f, at) in rows(Kind::Categories) {
        let slug = rd.text_req(&f, &at, "category");
        let name = rd.pair_req(&f, &at, "name_ko", "name_en");
        let order = rd.whole(&f, "order");
        let order = rd.required(order, &f, &at, "order");
        let (Some(slug), Some(name), Some(order)) = (slug, name, order) else { continue };
        let k = Category { slug, name, order, part: rd.text(&f, "part"), aliases: rd.list(&f, "aliases") };
        records.categories.push((k, at));
    }

    // Figures and series, by owner, to attach to their programs and cases.
    let mut figures: BTreeMap<(String, String), Vec<Figure>> = BTreeMap::new();
    let mut owner_places: HashMap<(String, String), Place> = HashMap::new();
    for (f, at) in rows(Kind::Figures) {
        let Some(owner) = owner(&mut rd, &f, &at) else { continue };
        let id = rd.text_req(&f, &at, "figure");
        let label = rd.pair_req(&f, &at, "label_ko", "label_en");
        let value = rd.value(&f);
        if value.is_none() && f.get("value").is_none() {
            rd.diags.push(
                at.error("no value: this row needs one (value, or value_text_ko for a value that is not a number)"),
            );
        }
        let (Some(id), Some(label), Some(value)) = (id, label, value) else { continue };
        let fig = Figure {
            id,
            label,
            value,
            unit: rd.pair(&f, "unit_ko", "unit_en"),
            year: rd.whole(&f, "year"),
            page: rd.whole(&f, "source_page"),
            note: rd.pair(&f, "note_ko", "note_en"),
            derived: rd.derived(&f),
            former_ids: ids_list(rd.text(&f, "former_ids")),
        };
        owner_places.entry(owner.clone()).or_insert(at);
        figures.entry(owner).or_default().push(fig);
    }
    let mut series: BTreeMap<(String, String), Vec<Series>> = BTreeMap::new();
    {
        // Rows of one series share its fields; each gives one point.
        type Key = (String, String, String);
        let mut order: Vec<Key> = Vec::new();
        type Points = Vec<(Option<u32>, Fields, Place)>;
        let mut acc: HashMap<Key, (Fields, Place, Points)> = HashMap::new();
        const SERIES_KEYS: &[&str] = &[
            "title_ko",
            "title_en",
            "unit_ko",
            "unit_en",
            "total_printed",
            "source_page",
            "note_ko",
            "note_en",
            "series_year",
            "whole",
            "former_ids",
        ];
        for (f, at) in rows(Kind::Series) {
            let Some((kind, slug)) = owner(&mut rd, &f, &at) else { continue };
            owner_places.entry((kind.clone(), slug.clone())).or_insert(at.clone());
            let Some(id) = rd.text_req(&f, &at, "series") else { continue };
            let point = rd.whole(&f, "point");
            let key = (kind, slug, id);
            match acc.get_mut(&key) {
                Some((fields, _, points)) => {
                    fields.merge(&f, SERIES_KEYS, "series", &mut rd);
                    points.push((point, f, at));
                }
                None => {
                    order.push(key.clone());
                    let mut fields = Fields::default();
                    fields.merge(&f, SERIES_KEYS, "series", &mut rd);
                    acc.insert(key, (fields, at.clone(), vec![(point, f, at)]));
                }
            }
        }
        for key in order {
            let (fields, at, mut pts) = acc.remove(&key).unwrap();
            pts.sort_by_key(|(p, _, _)| p.unwrap_or(u32::MAX));
            let title = rd.pair_req(&fields, &at, "title_ko", "title_en");
            let year =
                if fields.get("series_year").is_some() || pts.iter().any(|(_, f, _)| f.get("series_year").is_some()) {
                    rd.whole(&fields, "series_year")
                } else {
                    // Without series_year, the year all points share.
                    let years: Vec<Option<String>> =
                        pts.iter().map(|(_, f, _)| f.get("year").and_then(|c| c.0.text())).collect();
                    match years.first() {
                        Some(Some(y)) if years.iter().all(|v| v.as_ref() == Some(y)) => y.parse().ok(),
                        _ => None,
                    }
                };
            let mut points = Vec::new();
            for (_, f, pat) in &pts {
                let label = rd.pair_req(f, pat, "label_ko", "label_en");
                let value = rd.value(f);
                if value.is_none() && f.get("value").is_none() {
                    rd.diags.push(pat.error(
                        "no value: this row needs one (value, or value_text_ko for a value that is not a number)",
                    ));
                }
                if let (Some(label), Some(value)) = (label, value) {
                    let derived = rd.derived(f);
                    points.push(Point { label, value, derived });
                }
            }
            let Some(title) = title else { continue };
            let s = Series {
                id: key.2.clone(),
                title,
                unit: rd.pair(&fields, "unit_ko", "unit_en"),
                year,
                page: rd.whole(&fields, "source_page"),
                total_printed: rd.number(&fields, "total_printed"),
                whole: rd.number(&fields, "whole"),
                points,
                note: rd.pair(&fields, "note_ko", "note_en"),
                former_ids: ids_list(rd.text(&fields, "former_ids")),
            };
            series.entry((key.0, key.1)).or_default().push(s);
        }
    }

    for (f, at) in rows(Kind::Cases) {
        let slug = rd.text_req(&f, &at, "case");
        let number = rd.text_req(&f, &at, "number");
        let category = rd.text_req(&f, &at, "category");
        let region = rd.text_req(&f, &at, "region");
        let title = rd.pair_req(&f, &at, "title_ko", "title_en");
        let page = rd.whole(&f, "source_page");
        let page = rd.required(page, &f, &at, "source_page");
        let order = rd.whole(&f, "order");
        let order = rd.required(order, &f, &at, "order");
        let pages = match (rd.whole(&f, "first_page"), rd.whole(&f, "last_page")) {
            (Some(a), Some(b)) => Some([a, b]),
            (None, None) => None,
            _ => {
                rd.diags.push(at.error("first_page and last_page go together: give both or neither"));
                None
            }
        };
        let (Some(slug), Some(number), Some(category), Some(region), Some(title), Some(page), Some(order)) =
            (slug, number, category, region, title, page, order)
        else {
            continue;
        };
        let owner = ("case".to_string(), slug.clone());
        let c = CaseData {
            number,
            category,
            region,
            title,
            source: SourceRef { document: rd.text(&f, "source_document").unwrap_or_default(), page },
            updated: None,
            pages,
            order,
            aliases: rd.list(&f, "aliases"),
            series: series.remove(&owner).unwrap_or_default(),
            figure: figures.remove(&owner).unwrap_or_default(),
            slug,
        };
        records.cases.push((c, at));
    }

    // Programs: one or more rows each (one per fiscal year with a budget).
    const PROGRAM_KEYS: &[&str] = &[
        "region",
        "category",
        "name_ko",
        "name_en",
        "case",
        "order",
        "aliases",
        "period_ko",
        "period_en",
        "target_group_ko",
        "target_group_en",
        "source_document",
        "program_page",
    ];
    let mut order: Vec<String> = Vec::new();
    let mut acc: HashMap<String, (Fields, Place, Vec<BudgetRow>, Option<u32>)> = HashMap::new();
    for (f, at) in rows(Kind::Programs) {
        let Some(slug) = rd.text_req(&f, &at, "program") else { continue };
        let budget = budget_row(&mut rd, &f, &at, units_at(&at), false);
        let first_page: Option<u32> = if f.get("source_page").is_some() { rd.whole(&f, "source_page") } else { None };
        match acc.get_mut(&slug) {
            Some((_, first, _, _)) if (&first.file, &first.sheet) != (&at.file, &at.sheet) => {
                rd.diags.push(at.error(format!("program \"{slug}\" is defined twice: here and in {first}")));
            }
            Some((fields, _, budgets, _)) => {
                fields.merge(&f, PROGRAM_KEYS, "program", &mut rd);
                budgets.extend(budget);
            }
            None => {
                order.push(slug.clone());
                let mut fields = Fields::default();
                fields.merge(&f, PROGRAM_KEYS, "program", &mut rd);
                acc.insert(slug, (fields, at, budget.into_iter().collect(), first_page));
            }
        }
    }
    // A program's name, for sheets that name it rather than give its identifier.
    let by_name: HashMap<String, String> =
        acc.iter().filter_map(|(slug, (f, _, _, _))| Some((f.get("name_ko")?.0.text()?, slug.clone()))).collect();
    let program_of = |rd: &mut Reader, f: &Fields, at: &Place, sheet: &str| -> Option<String> {
        let slug = match rd.text(f, "program") {
            Some(s) => s,
            None => match rd.text(f, "name_ko") {
                Some(name) => match by_name.get(&name) {
                    Some(s) => s.clone(),
                    None => {
                        rd.diags.push(at.error(format!("no program named \"{name}\" on a programs sheet")));
                        return None;
                    }
                },
                None => {
                    rd.diags
                        .push(at.error(format!("no program: a {sheet} row names its program (program, or 사업명)")));
                    return None;
                }
            },
        };
        Some(slug)
    };
    for (f, at) in rows(Kind::Budgets) {
        let Some(slug) = program_of(&mut rd, &f, &at, "budgets") else { continue };
        let Some(b) = budget_row(&mut rd, &f, &at, units_at(&at), true) else { continue };
        match acc.get_mut(&slug) {
            Some((_, _, budgets, _)) => budgets.push(b),
            None => rd.diags.push(at.error(format!("program \"{slug}\" is not on a programs sheet"))),
        }
    }
    let mut kpis: HashMap<String, Vec<KpiRow>> = HashMap::new();
    for (f, at) in rows(Kind::Kpis) {
        let Some(slug) = program_of(&mut rd, &f, &at, "kpis") else { continue };
        if !acc.contains_key(&slug) {
            rd.diags.push(at.error(format!("program \"{slug}\" is not on a programs sheet")));
            continue;
        }
        let n = kpis.get(&slug).map_or(0, Vec::len) + 1;
        let id = rd.text(&f, "indicator").unwrap_or_else(|| format!("indicator-{n}"));
        let year = rd.whole(&f, "year");
        let year = rd.required(year, &f, &at, "year");
        let indicator = rd.pair_req(&f, &at, "indicator_ko", "indicator_en");
        let target = rd.number_or_text(&f, "target", "target_en");
        let target = rd.required(target, &f, &at, "target");
        let actual = rd.number_or_text(&f, "actual", "actual_en");
        let actual = rd.required(actual, &f, &at, "actual");
        let (Some(year), Some(indicator), Some(target), Some(actual)) = (year, indicator, target, actual) else {
            continue;
        };
        let k = KpiRow {
            id,
            year,
            indicator,
            unit: rd.pair(&f, "unit", "unit_en"),
            target,
            actual,
            rate_printed: rd.number(&f, "achievement_rate_printed"),
            formula: rd.pair(&f, "formula_ko", "formula_en"),
            data_source: rd.pair(&f, "data_source_ko", "data_source_en"),
            collection: rd.pair(&f, "collection_ko", "collection_en"),
            page: rd.whole(&f, "source_page"),
            note: rd.pair(&f, "note_ko", "note_en"),
        };
        kpis.entry(slug).or_default().push(k);
    }
    for slug in order {
        let (f, at, budget, first_page) = acc.remove(&slug).unwrap();
        let region = rd.text_req(&f, &at, "region");
        let category = rd.text_req(&f, &at, "category");
        let name = rd.pair_req(&f, &at, "name_ko", "name_en");
        let page = if f.get("program_page").is_some() { rd.whole(&f, "program_page") } else { first_page };
        if page.is_none() && f.get("program_page").is_none() {
            rd.diags.push(at.error("no program_page: the printed page where the program starts"));
        }
        let (Some(region), Some(category), Some(name), Some(page)) = (region, category, name, page) else { continue };
        let owner = ("program".to_string(), slug.clone());
        let p = ProgramData {
            region,
            category,
            case: rd.text(&f, "case"),
            order: rd.whole(&f, "order"),
            aliases: rd.list(&f, "aliases"),
            name,
            period: rd.pair(&f, "period_ko", "period_en"),
            target_group: rd.pair(&f, "target_group_ko", "target_group_en"),
            source: SourceRef { document: rd.text(&f, "source_document").unwrap_or_default(), page },
            updated: None,
            budget,
            kpi: kpis.remove(&slug).unwrap_or_default(),
            series: series.remove(&owner).unwrap_or_default(),
            figure: figures.remove(&owner).unwrap_or_default(),
            slug,
        };
        records.programs.push((p, at));
    }
    // Figures and series whose owner no sheet defines.
    let orphans: std::collections::BTreeSet<(String, String)> = series.into_keys().chain(figures.into_keys()).collect();
    for (kind, slug) in orphans {
        let msg = format!("{kind} \"{slug}\" is not on a {kind}s sheet: its figures and series go with it");
        match owner_places.get(&(kind.clone(), slug.clone())) {
            Some(p) => rd.diags.push(p.error(msg)),
            None => rd.diags.push(Diagnostic::error("data", msg)),
        }
    }
    report.extend(rd.diags);
    records
}

/// The money unit of a table (from its title) and of its columns (from their headers).
type Units = (Option<MoneyUnit>, HashMap<&'static str, MoneyUnit>);

/// `program` or `case`, and its identifier.
fn owner(rd: &mut Reader, f: &Fields, at: &Place) -> Option<(String, String)> {
    let slug = rd.text_req(f, at, "owner")?;
    let kind = rd.text(f, "owner_kind").unwrap_or_else(|| "program".into());
    if kind != "program" && kind != "case" {
        let place = &f.get("owner_kind").unwrap().1;
        rd.diags.push(place.error(format!("owner_kind \"{kind}\" must be program or case")));
        return None;
    }
    Some((kind, slug))
}

fn region_level(s: &str) -> Option<RegionLevel> {
    use RegionLevel::*;
    Some(match normalise(s).as_str() {
        "special-city" | "특별시" => SpecialCity,
        "metropolitan-city" | "광역시" => MetropolitanCity,
        "special-self-governing-city" | "특별자치시" => SpecialSelfGoverningCity,
        "province" | "도" => Province,
        "special-self-governing-province" | "특별자치도" => SpecialSelfGoverningProvince,
        "city" | "시" => City,
        "county" | "군" => County,
        "district" | "구" => District,
        _ => return None,
    })
}

/// A fiscal year's budget from a `programs` or `budgets` row, if the row has one. The
/// unit comes from the row (`unit_printed`, or written in the amount), its column's header
/// or the table's title; an amount may be given in won only (`budget_won`).
fn budget_row(
    rd: &mut Reader,
    f: &Fields,
    at: &Place,
    (table_unit, column_units): Units,
    required: bool,
) -> Option<BudgetRow> {
    const AMOUNTS: &[&str] =
        &["budget_printed", "executed_printed", "budget_won", "executed_won", "execution_rate_printed", "unit_printed"];
    let has_budget = required || AMOUNTS.iter().any(|k| f.get(k).is_some());
    if !has_budget {
        // A program row without amounts: a program without a budget.
        return None;
    }
    if f.get("year").is_none() {
        rd.diags.push(at.error("no year: a budget row needs its fiscal year"));
        return None;
    }
    let year: Option<i32> = rd.whole(f, "year");
    let row_unit = if f.get("unit_printed").is_some() { Some(rd.unit(f, "unit_printed")?) } else { None };
    let amount = |printed: &str, won: &str, rd: &mut Reader| -> Option<(Decimal, Option<MoneyUnit>, bool)> {
        match rd.amount(f, printed) {
            Some((d, u)) => Some((d, u.or(column_units.get(printed).copied()), false)),
            None if f.get(printed).is_some() => None,
            None => rd.number(f, won).map(|d| (d, Some(MoneyUnit::Won), true)),
        }
    };
    let budget = amount("budget_printed", "budget_won", rd);
    let executed = amount("executed_printed", "executed_won", rd);
    let year = year?;
    let (Some((budget, bu, b_won)), Some((executed, eu, e_won))) = (budget, executed) else {
        for (k, w) in [("budget_printed", "budget_won"), ("executed_printed", "executed_won")] {
            if f.get(k).is_none() && f.get(w).is_none() {
                rd.diags.push(at.error(format!("budget {year}: no {k} (or {w})")));
            }
        }
        return None;
    };
    // The unit: the row's, else one the amount or its header gives, else the table's.
    let given = [row_unit, bu.filter(|_| !b_won), eu.filter(|_| !e_won)];
    let mut unit = None;
    for u in given.into_iter().flatten() {
        match unit {
            Some(prev) if prev != u => {
                rd.diags.push(at.error(format!(
                    "budget {year}: two money units, {} and {}; give one",
                    MoneyUnit::printed(prev),
                    MoneyUnit::printed(u)
                )));
                return None;
            }
            _ => unit = Some(u),
        }
    }
    let unit = unit.or(table_unit);
    // Amounts given in won only are converted to the row's unit exactly.
    let (budget, executed, unit) = match unit {
        Some(u) => {
            let from_won = |d: Decimal, won: bool| if won { in_unit(d, u) } else { Some(d) };
            match (from_won(budget, b_won), from_won(executed, e_won)) {
                (Some(b), Some(e)) => (b, e, u),
                _ => {
                    rd.diags.push(
                        at.error(format!("budget {year}: an amount in won is not a whole number of {}", u.printed())),
                    );
                    return None;
                }
            }
        }
        None if b_won && e_won => (budget, executed, MoneyUnit::Won),
        None => {
            rd.diags.push(at.error(format!(
                "budget {year}: no money unit: add a unit_printed (단위) column, or write it in the header, e.g. 예산(A)(백만원)"
            )));
            return None;
        }
    };
    // Amounts in won beside printed amounts must agree with them.
    for (won_key, printed, which) in [("budget_won", budget, "budget"), ("executed_won", executed, "executed")] {
        let printed_given = f.get(&format!("{which}_printed")[..]).is_some();
        if let (true, Some((cell, place))) = (printed_given, f.get(won_key)) {
            let won = match cell {
                Cell::Number(v) => Decimal::from_f64(*v),
                Cell::Text(s) => Decimal::parse(s),
                _ => None,
            };
            let expect = unit.to_won(printed);
            if won.and_then(|w| (w.scale == 0).then_some(w.mantissa)) != expect {
                rd.diags.push(place.error(format!(
                    "{won_key} {} disagrees with {which}_printed {printed} {}: correct one of them, or clear {won_key}",
                    cell.shown(),
                    unit.printed()
                )));
                return None;
            }
        }
    }
    Some(BudgetRow {
        year,
        unit,
        budget,
        executed,
        rate_printed: rd.number(f, "execution_rate_printed"),
        page: rd.whole(f, "source_page"),
        note: rd.pair(f, "budget_note_ko", "budget_note_en"),
    })
}

/// An amount in won as a number of `unit`, exactly: 28800000000 won is 28800 백만원.
fn in_unit(won: Decimal, unit: MoneyUnit) -> Option<Decimal> {
    if won.scale != 0 {
        return None;
    }
    let digits = unit.won_factor().ilog10();
    Decimal::parse(&Decimal { mantissa: won.mantissa, scale: digits }.to_string())
}

/// A `former_ids` cell: identifiers separated by `;`.
fn ids_list(cell: Option<String>) -> Vec<String> {
    cell.map(|c| c.split(';').map(str::trim).filter(|s| !s.is_empty()).map(str::to_string).collect())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cell_names() {
        assert_eq!(cell_name(0, 0), "A1");
        assert_eq!(cell_name(11, 6), "G12");
        assert_eq!(cell_name(0, 25), "Z1");
        assert_eq!(cell_name(0, 26), "AA1");
        assert_eq!(cell_name(2, 27), "AB3");
    }

    #[test]
    fn korean_headers_are_aliases() {
        for (kind, header, key) in [
            (Kind::Programs, "사업명", "name_ko"),
            (Kind::Budgets, "예산(A)", "budget_printed"),
            (Kind::Budgets, "집행 (B)", "executed_printed"),
            (Kind::Budgets, "집행률", "execution_rate_printed"),
            (Kind::Kpis, "성과지표", "indicator_ko"),
            (Kind::Kpis, "목표치(A)", "target"),
            (Kind::Kpis, "실적(B)", "actual"),
            (Kind::Kpis, "달성률", "achievement_rate_printed"),
        ] {
            match resolve_header(kind, header) {
                Header::Key(k, None) => assert_eq!(k, key, "{header}"),
                _ => panic!("{header} is not read as {key}"),
            }
        }
        match resolve_header(Kind::Budgets, "예산(A)(백만원)") {
            Header::Key("budget_printed", Some(MoneyUnit::MillionWon)) => {}
            _ => panic!("a unit in the header"),
        }
        match resolve_header(Kind::Budgets, "budjet_printed") {
            Header::Unknown(m) => assert_eq!(m, "unknown column \"budjet_printed\"; did you mean \"budget_printed\"?"),
            _ => panic!(),
        }
    }

    #[test]
    fn won_converts_back_to_the_printed_unit_exactly() {
        let d = |s| Decimal::parse(s).unwrap();
        assert_eq!(in_unit(d("28800000000"), MoneyUnit::MillionWon), Some(d("28800")));
        assert_eq!(in_unit(d("3590000000"), MoneyUnit::HundredMillionWon), Some(d("35.9")));
        assert_eq!(in_unit(d("56000"), MoneyUnit::ThousandWon), Some(d("56")));
    }

    #[test]
    fn unit_notes() {
        assert_eq!(unit_note("(단위: 백만원)"), Some(MoneyUnit::MillionWon));
        assert_eq!(unit_note("단위:천원"), Some(MoneyUnit::ThousandWon));
        assert_eq!(unit_note("2022년 예산"), None);
    }
}
