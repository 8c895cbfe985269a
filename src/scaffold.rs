//! `gongsi new DIR`: a working bilingual site with one region, one program, its workbook
//! (`data/site.xlsx`) and the default theme. The workbook is also the template editors
//! start from (`docs/site-template.xlsx`, checked against this code by a test).
//!
//! The program is the casebook's first: 일하는 청년 복지포인트 (Gyeonggi-do), with its
//! budget and one figure as printed on pages 16 and 17.

use crate::load::sheets::Kind;
use std::path::{Path, PathBuf};

const PROGRAM: &str = "gyeonggi-youth-worker-welfare-points";

/// The rows of each sheet of the starter workbook, by column name; every other column of
/// the sheet is there, empty, for the editor to fill.
fn rows(kind: Kind) -> Vec<Vec<(&'static str, &'static str)>> {
    match kind {
        Kind::Sources => vec![vec![
            ("source", "casebook-2023"),
            ("title_ko", "2023년도 지역복지 사업평가 우수사례집"),
            ("title_en", "2023 Regional Welfare Program Evaluation: Casebook of Excellent Practices"),
            ("year", "2023"),
            ("licence", "kogl-1"),
        ]],
        Kind::Regions => {
            vec![vec![("region", "gyeonggi"), ("name_ko", "경기도"), ("name_en", "Gyeonggi-do"), ("level", "province")]]
        }
        Kind::Categories => vec![vec![
            ("category", "community-social-security-plans"),
            ("name_ko", "지역사회보장계획 시행결과"),
            ("name_en", "Implementation of Community Social Security Plans"),
            ("order", "1"),
            ("part", "I"),
        ]],
        Kind::Programs => vec![vec![
            ("program", PROGRAM),
            ("region", "gyeonggi"),
            ("category", "community-social-security-plans"),
            ("year", "2022"),
            ("name_ko", "일하는 청년 복지포인트"),
            ("name_en", "Welfare Points for Working Youth"),
            ("unit_printed", "백만원"),
            ("execution_rate_printed", "100"),
            ("source_page", "17"),
            ("period_ko", "2022. 1. ~ 2022. 12."),
            ("period_en", "January–December 2022"),
            ("source_document", "casebook-2023"),
            ("program_page", "16"),
            ("budget_printed", "28800"),
            ("executed_printed", "28800"),
        ]],
        Kind::Figures => vec![vec![
            ("owner_kind", "program"),
            ("owner", PROGRAM),
            ("figure", "young-workers"),
            ("label_ko", "지원 대상 청년"),
            ("label_en", "Young workers supported"),
            ("value", "30000"),
            ("unit_ko", "명"),
            ("unit_en", "people"),
            ("year", "2022"),
            ("source_page", "16"),
        ]],
        _ => Vec::new(),
    }
}

/// The sheets of the starter workbook, in the order an editor fills them.
const SHEETS: [Kind; 8] = [
    Kind::Sources,
    Kind::Regions,
    Kind::Categories,
    Kind::Cases,
    Kind::Programs,
    Kind::Kpis,
    Kind::Figures,
    Kind::Series,
];

/// The starter workbook: every sheet gongsi reads with the columns an editor fills, each
/// header with a note that says what goes in it, in Korean and English. The same bytes on
/// every run.
pub fn workbook() -> Result<Vec<u8>, rust_xlsxwriter::XlsxError> {
    use rust_xlsxwriter::{DocProperties, ExcelDateTime, Format, Note, Workbook};
    let mut wb = Workbook::new();
    let props =
        DocProperties::new().set_title("gongsi workbook").set_creation_datetime(&ExcelDateTime::from_ymd(2023, 1, 1)?);
    wb.set_properties(&props);
    let bold = Format::new().set_bold();
    for kind in SHEETS {
        let ws = wb.add_worksheet();
        ws.set_name(kind.name())?;
        let columns = kind.editor_columns();
        let table = kind.table().unwrap_or_default();
        for (c, name) in columns.iter().enumerate() {
            ws.write_string_with_format(0, c as u16, *name, &bold)?;
            if let Some(col) = table.iter().find(|col| col.name == *name) {
                ws.insert_note(0, c as u16, &Note::new(format!("{}\n{}", col.ko, col.en)).set_author("gongsi"))?;
            }
            ws.set_column_width(c as u16, (name.len() as f64 + 4.0).max(12.0))?;
        }
        for (r, row) in rows(kind).iter().enumerate() {
            for (name, value) in row {
                let c = columns.iter().position(|n| n == name).expect("a column of its sheet") as u16;
                let numeric = table.iter().find(|col| col.name == *name).is_some_and(|col| col.numeric());
                match value.parse::<f64>() {
                    Ok(v) if numeric => ws.write_number(r as u32 + 1, c, v)?,
                    _ => ws.write_string(r as u32 + 1, c, *value)?,
                };
            }
        }
        ws.set_freeze_panes(1, 0)?;
    }
    wb.save_to_buffer()
}

const CONFIG: &str = r#"# gongsi site configuration (Zola's conventions). The figures are in data/site.xlsx.
base_url = "https://example.org"
title = "지역복지 사업 공시"
description = "지역복지 사업의 예산 집행과 성과를 한국어와 영어로 공개합니다."
default_language = "ko"
theme = "gongsi"
# The edition of the report: every URL it publishes is kept in urls/<edition>.txt.
edition = "2023"

[languages.en]
title = "Regional Welfare Programs: Public Disclosure"
description = "Budget execution and results of regional welfare programs, in Korean and English."
"#;

/// The text files of a new site, besides the theme.
fn texts() -> Vec<(String, &'static str)> {
    let program = format!("content/programs/{PROGRAM}");
    vec![
        ("config.toml".into(), CONFIG),
        (
            "content/_index.md".into(),
            "+++\ntitle = \"지역복지 사업 공시\"\n+++\n\n사업별 예산 집행과 성과를 공개합니다. 수치는 `data/site.xlsx`에 있습니다.\n",
        ),
        (
            "content/_index.en.md".into(),
            "+++\ntitle = \"Regional Welfare Programs\"\n+++\n\nBudget execution and results of each program. The figures are in `data/site.xlsx`.\n",
        ),
        ("content/data.md".into(), "+++\ntitle = \"데이터\"\ntemplate = \"data.html\"\n+++\n"),
        ("content/data.en.md".into(), "+++\ntitle = \"Data\"\ntemplate = \"data.html\"\n+++\n"),
        ("content/search.md".into(), "+++\ntitle = \"검색\"\ntemplate = \"search.html\"\n+++\n"),
        ("content/search.en.md".into(), "+++\ntitle = \"Search\"\ntemplate = \"search.html\"\n+++\n"),
        (
            format!("{program}/index.md"),
            "+++\ndescription = \"경기도 중소기업 등에 재직하는 청년 30,000명에게 복지포인트를 지급하는 사업\"\n+++\n\n## 사업 내용\n\n- 도내 중소·중견기업, 소상공인 업체, 비영리법인에 재직 중인 만 18~34세 청년 30,000명에게 연 120만원(분기별 30만원)의 복지포인트를 지급합니다.\n",
        ),
        (
            format!("{program}/index.en.md"),
            "+++\ndescription = \"Welfare points for 30,000 young people working at small and medium-sized enterprises in Gyeonggi-do\"\n+++\n\n## What the program does\n\n- 30,000 young people aged 18–34 working at small and medium-sized or mid-sized enterprises, small businesses or non-profit corporations in the province receive welfare points of KRW 1.2 million a year, KRW 300,000 a quarter.\n",
        ),
    ]
}

/// Writes a new site into `dir`, which must not exist or be empty; returns the files written.
pub fn new_site(dir: &Path) -> Result<Vec<PathBuf>, String> {
    if dir.exists() && std::fs::read_dir(dir).map_err(|e| e.to_string())?.next().is_some() {
        return Err(format!("{} is not empty: gongsi new makes a site in a new or empty folder", dir.display()));
    }
    let mut files: Vec<(PathBuf, Vec<u8>)> =
        texts().into_iter().map(|(p, t)| (PathBuf::from(p), t.as_bytes().to_vec())).collect();
    files.push(("data/site.xlsx".into(), workbook().map_err(|e| e.to_string())?));
    for (path, bytes) in crate::theme_files::THEME {
        files.push((Path::new("themes/gongsi").join(path), bytes.to_vec()));
    }
    let mut written = Vec::new();
    for (rel, bytes) in files {
        let path = dir.join(&rel);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(|e| format!("{}: {e}", parent.display()))?;
        }
        std::fs::write(&path, bytes).map_err(|e| format!("{}: {e}", path.display()))?;
        written.push(rel);
    }
    Ok(written)
}
