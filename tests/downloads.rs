//! Downloads and citations: every program, region and category offers its data, the whole
//! dataset comes as CSV, JSON, XLSX and a datapackage, and every figure row has a citation.

mod common;
use common::{between, Site};
use std::io::Read as _;

#[test]
fn each_program_region_and_category_has_its_own_data_files() {
    let site = Site::fixture("basic");
    site.build();
    let csv = site.read("data/programs/alpha-care/programs.csv");
    assert_eq!(csv.lines().count(), 3, "header and two budget years: {csv}");
    assert!(csv.lines().all(|l| l.starts_with("program,") || l.starts_with("alpha-care,")));
    // The region 북도 includes its city's program; 남도 only beta.
    assert!(site.read("data/regions/north/programs.csv").contains("alpha-care,"));
    let south = site.read("data/regions/south/programs.csv");
    assert!(south.contains("beta-no-figures,") && !south.contains("alpha-care,"));
    assert!(site.read("data/categories/care/kpis.csv").contains("alpha-care,2022,방문 횟수"));
    let json: serde_json::Value = serde_json::from_str(&site.read("data/programs/alpha-care/programs.json")).unwrap();
    assert_eq!(json.as_array().unwrap().len(), 1);
    // The pages link them, with the licence beside.
    let page = site.read("programs/alpha-care/index.html");
    let downloads = between(&page, "<p class=\"downloads\">", "</p>").unwrap();
    assert!(
        downloads.contains("https://fixture.example/data/programs/alpha-care/programs.csv")
            && downloads.contains("공공누리")
    );
    assert!(site
        .read("en/regions/north/index.html")
        .contains("https://fixture.example/data/regions/north/programs.csv"));
    assert!(site.read("categories/care/index.html").contains("https://fixture.example/data/categories/care/kpis.csv"));
}

#[test]
fn the_workbook_keeps_hangul_and_is_reproducible() {
    let site = Site::fixture("basic");
    site.build();
    let bytes = std::fs::read(site.public().join("data/programs.xlsx")).unwrap();
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(&bytes)).expect("a valid xlsx (zip) file");
    let mut strings = String::new();
    zip.by_name("xl/sharedStrings.xml").unwrap().read_to_string(&mut strings).unwrap();
    assert!(strings.contains("<t>알파 돌봄</t>") && strings.contains("<t>방문 횟수</t>"), "Hangul intact: {strings}");
    let mut sheet = String::new();
    zip.by_name("xl/worksheets/sheet1.xml").unwrap().read_to_string(&mut sheet).unwrap();
    assert!(sheet.contains("<v>26652000000</v>"), "amounts are numbers: {sheet}");
    let second = Site::fixture("basic");
    second.build();
    assert_eq!(bytes, std::fs::read(second.public().join("data/programs.xlsx")).unwrap(), "same bytes on every build");
}

#[test]
fn the_datapackage_describes_the_csv_files() {
    let site = Site::fixture("basic");
    site.build();
    let pkg: serde_json::Value = serde_json::from_str(&site.read("data/datapackage.json")).unwrap();
    for (resource, file) in [(0, "data/programs.csv"), (1, "data/kpis.csv")] {
        let header = site.read(file).lines().next().unwrap().to_string();
        let fields: Vec<&str> = pkg["resources"][resource]["schema"]["fields"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["name"].as_str().unwrap())
            .collect();
        assert_eq!(fields.join(","), header, "{file}");
    }
    assert_eq!(pkg["resources"][0]["schema"]["fields"][6]["unit"], "KRW");
    assert_eq!(pkg["licenses"][0]["name"], "KOGL-Type1");
}

#[test]
fn every_budget_and_indicator_row_has_a_citation_in_the_page_language() {
    let site = Site::fixture("basic");
    site.build();
    let ko = site.read("programs/alpha-care/index.html");
    let row = between(&ko, "id=\"budget-2022\"", "</tr>").unwrap();
    let cite =
        between(row, "<p class=\"citation\">", "</p>").expect("a citation in the row, readable without JavaScript");
    assert_eq!(
        cite,
        "북도 동시 「알파 돌봄」 2022년 예산 266억 5,200만 원, 집행 255억 8,700만 원(집행률 96.0%). 출처: 「시험 사례집」 5쪽. 공공누리 제1유형(출처표시) 조건에 따라 이용. https://fixture.example/programs/alpha-care/#budget-2022"
    );
    let en = site.read("en/programs/alpha-care/index.html");
    let row = between(&en, "id=\"kpi-visits\"", "</tr>").unwrap();
    let cite = between(row, "<p class=\"citation\">", "</p>").unwrap();
    assert_eq!(
        cite,
        "Dong-si, Buk-do, “Alpha Care”, indicator “Visits” 2022: target 80, actual 120 (150.0%). Source: Test Casebook, p. 5. Korea Open Government License Type 1 (attribution). https://fixture.example/en/programs/alpha-care/#kpi-visits"
    );
}

#[test]
fn every_chart_has_an_anchor_and_a_citation() {
    let site = Site::fixture("basic");
    site.build();
    let ko = site.read("programs/alpha-care/index.html");
    let figure = between(&ko, "<figure class=\"chart\" id=\"chart-kpi\">", "</figure>").expect("anchored chart");
    let cite = between(figure, "<p class=\"citation\">", "</p>").unwrap();
    assert!(cite.starts_with("알파 돌봄, 「성과지표 달성률」 그래프. 출처: 「시험 사례집」 4쪽."), "{cite}");
    assert!(cite.ends_with("https://fixture.example/programs/alpha-care/#chart-kpi"), "{cite}");
    let home = site.read("en/index.html");
    assert!(home.contains("chart “Execution rate by region”. Source: Test Casebook. Korea Open Government License Type 1 (attribution). https://fixture.example/en/#chart-execution-by-region"));
}

/// A record of the source as its TOML file states it, read here independently of gongsi.
struct Stated {
    kind: &'static str,
    owner: String,
    id: String,
    /// 1-based position in its series; 0 for a single figure.
    point: usize,
    label_ko: String,
    label_en: String,
    value: toml::Value,
    unit_ko: String,
    page: Option<i64>,
    note_ko: String,
}

fn text(v: Option<&toml::Value>, lang: &str) -> String {
    match v {
        Some(toml::Value::String(s)) => s.clone(),
        Some(toml::Value::Table(t)) => t.get(lang).and_then(|v| v.as_str()).unwrap_or_default().to_string(),
        _ => String::new(),
    }
}

/// Every single figure and every series point of every program and case file.
fn stated(root: &std::path::Path) -> (Vec<Stated>, Vec<Stated>) {
    let (mut figures, mut points) = (Vec::new(), Vec::new());
    for (dir, file, kind) in [("programs", "program.toml", "program"), ("cases", "case.toml", "case")] {
        let mut entries: Vec<_> = std::fs::read_dir(root.join("content").join(dir)).unwrap().flatten().collect();
        entries.sort_by_key(|e| e.path());
        for e in entries {
            let Ok(src) = std::fs::read_to_string(e.path().join(file)) else { continue };
            let doc: toml::Table = toml::from_str(&src).unwrap();
            let owner = doc["slug"].as_str().unwrap().to_string();
            let page = doc["source"]["page"].as_integer();
            for f in doc.get("figure").and_then(|v| v.as_array()).into_iter().flatten() {
                figures.push(Stated {
                    kind,
                    owner: owner.clone(),
                    id: f["id"].as_str().unwrap().into(),
                    point: 0,
                    label_ko: text(f.get("label"), "ko"),
                    label_en: text(f.get("label"), "en"),
                    value: f["value"].clone(),
                    unit_ko: text(f.get("unit"), "ko"),
                    page: f.get("page").and_then(|p| p.as_integer()).or(page),
                    note_ko: text(f.get("note"), "ko"),
                });
            }
            for s in doc.get("series").and_then(|v| v.as_array()).into_iter().flatten() {
                for (i, p) in s["points"].as_array().unwrap().iter().enumerate() {
                    points.push(Stated {
                        kind,
                        owner: owner.clone(),
                        id: s["id"].as_str().unwrap().into(),
                        point: i + 1,
                        label_ko: text(p.get("label"), "ko"),
                        label_en: text(p.get("label"), "en"),
                        value: p["value"].clone(),
                        unit_ko: text(s.get("unit"), "ko"),
                        page: s.get("page").and_then(|p| p.as_integer()).or(page),
                        note_ko: text(s.get("note"), "ko"),
                    });
                }
            }
        }
    }
    (figures, points)
}

/// A CSV file as records keyed by column name.
fn records(csv_text: &str) -> Vec<std::collections::HashMap<String, String>> {
    let mut r = csv::Reader::from_reader(csv_text.as_bytes());
    let header: Vec<String> = r.headers().unwrap().iter().map(String::from).collect();
    r.records().map(|rec| header.iter().cloned().zip(rec.unwrap().iter().map(String::from)).collect()).collect()
}

/// Whether a record carries what the source states: the value as a number (or the
/// printed text where it is not one), labels, unit, page and note.
fn carries(rec: &std::collections::HashMap<String, String>, s: &Stated, label: &str) -> Result<(), String> {
    let value_ok = match &s.value {
        toml::Value::Integer(i) => rec["value"].parse::<f64>().ok() == Some(*i as f64),
        toml::Value::Float(f) => rec["value"].parse::<f64>().ok() == Some(*f),
        other => rec["value"].is_empty() && rec["value_text_ko"] == text(Some(other), "ko"),
    };
    let checks = [
        ("value", value_ok),
        (label, rec[&format!("{label}_ko")] == s.label_ko && rec[&format!("{label}_en")] == s.label_en),
        ("unit", rec["unit_ko"] == s.unit_ko),
        ("page", rec["source_page"] == s.page.map(|p| p.to_string()).unwrap_or_default()),
        ("note", rec["note_ko"] == s.note_ko),
    ];
    match checks.iter().find(|(_, ok)| !ok) {
        Some((what, _)) => Err(format!("{what} differs: {rec:?}")),
        None => Ok(()),
    }
}

#[test]
fn every_figure_and_series_point_of_the_default_site_is_in_the_downloads_and_its_page_folder() {
    let site = Site::default_site();
    site.build();
    let (figures, points) = stated(site.root());
    assert!(figures.len() > 400 && points.len() > 500, "{} figures, {} points", figures.len(), points.len());
    let folder = |s: &Stated| format!("data/{}s/{}", s.kind, s.owner);
    let mut cache: std::collections::HashMap<String, Vec<std::collections::HashMap<String, String>>> =
        Default::default();
    let mut load = |rel: String| cache.entry(rel.clone()).or_insert_with(|| records(&site.read(&rel))).clone();
    for (stated, table, id_col, label) in
        [(&figures, "figures", "figure", "label"), (&points, "series", "series", "label")]
    {
        let json: Vec<serde_json::Value> = serde_json::from_str(&site.read(&format!("data/{table}.json"))).unwrap();
        for s in stated.iter() {
            let find = |recs: &[std::collections::HashMap<String, String>]| {
                recs.iter()
                    .find(|r| {
                        r["owner_kind"] == s.kind
                            && r["owner"] == s.owner
                            && r[id_col] == s.id
                            && (s.point == 0 || r["point"] == s.point.to_string())
                    })
                    .cloned()
            };
            for file in [format!("data/{table}.csv"), format!("{}/{table}.csv", folder(s))] {
                let rec = find(&load(file.clone()))
                    .unwrap_or_else(|| panic!("{} {} {} point {} missing from {file}", s.kind, s.owner, s.id, s.point));
                carries(&rec, s, label).unwrap_or_else(|e| panic!("{file}: {} {}: {e}", s.owner, s.id));
            }
            assert!(
                json.iter().any(|r| r["owner"] == s.owner.as_str()
                    && r[id_col] == s.id.as_str()
                    && (s.point == 0 || r["point"] == s.point as i64)),
                "{} {} missing from {table}.json",
                s.owner,
                s.id
            );
        }
        assert_eq!(load(format!("data/{table}.csv")).len(), stated.len(), "{table}.csv has no row the source lacks");
    }
}

#[test]
fn kpis_csv_names_program_region_formula_source_and_collection() {
    let site = Site::default_site();
    site.build();
    let csv = site.read("data/kpis.csv");
    assert_eq!(
        csv.lines().next().unwrap(),
        "program,year,indicator_ko,indicator_en,unit,target,actual,achievement_rate,achievement_rate_printed,source_page,\
         indicator,name_ko,name_en,region,unit_en,formula_ko,formula_en,data_source_ko,data_source_en,collection_ko,collection_en,note_ko,note_en,\
         target_en,actual_en"
    );
    let rows = records(&csv);
    let row = rows
        .iter()
        .find(|r| r["program"] == "busan-suyeong-gu-child-friendly-city" && r["indicator"] == "unicef-certification")
        .expect("the UNICEF certification indicator");
    assert_eq!(row["name_ko"], "아동친화도시 조성 사업");
    assert_eq!(row["region"], "busan-suyeong-gu");
    assert_eq!(row["formula_ko"], "실적/목표×100");
    assert_eq!(row["data_source_en"], "Korean Committee for UNICEF");
    assert_eq!(row["collection_ko"], "공문");
    // A qualitative target keeps its English beside it, so the workbook reads back whole.
    assert_eq!((row["target"].as_str(), row["target_en"].as_str()), ("인증", "Certified"));
    // The data page lists every column of every table, from the same definitions.
    let pkg: serde_json::Value = serde_json::from_str(&site.read("data/datapackage.json")).unwrap();
    for lang in ["", "en/"] {
        let page = site.read(&format!("{lang}data/index.html"));
        for resource in pkg["resources"].as_array().unwrap() {
            let name = resource["name"].as_str().unwrap();
            let header = site.read(&format!("data/{name}.csv")).lines().next().unwrap().to_string();
            let section = between(&page, &format!("id=\"table-{name}\""), "</section>").expect(name);
            for column in header.split(',') {
                assert!(section.contains(&format!("<code>{column}</code>")), "{lang}data page: {name}.{column}");
            }
            assert!(section.contains(&format!("{name}.xlsx")), "{name}.xlsx listed");
        }
    }
}

#[test]
fn every_csv_opens_in_excel_and_the_whole_dataset_has_xlsx_twins_with_the_same_cells() {
    use calamine::{open_workbook_from_rs, Data, Reader, Xlsx};
    let site = Site::default_site();
    site.build();
    let files = site.files();
    let csvs: Vec<String> = files.iter().filter(|f| f.starts_with("data/") && f.ends_with(".csv")).cloned().collect();
    assert!(csvs.len() > 200, "{} CSV files", csvs.len());
    // Every CSV starts with the byte-order mark, which is what makes Excel (Korean Excel
    // included) read it as UTF-8 instead of garbling its Hangul.
    for csv_file in &csvs {
        let bytes = std::fs::read(site.public().join(csv_file)).unwrap();
        assert!(bytes.starts_with("\u{feff}".as_bytes()), "{csv_file}: no byte-order mark");
    }
    // A page's folder holds its tables as CSV and JSON only (a table without rows has
    // neither); the workbook is the whole dataset's.
    let mut folders = std::collections::BTreeMap::<String, Vec<String>>::new();
    for f in files.iter().filter(|f| f.starts_with("data/") && f.matches('/').count() == 3) {
        let (dir, name) = f.rsplit_once('/').unwrap();
        folders.entry(dir.to_string()).or_default().push(name.to_string());
    }
    assert!(folders.len() > 60, "{} page folders", folders.len());
    let mut without_series = 0;
    for (dir, names) in &folders {
        assert!(names.iter().all(|n| n.ends_with(".csv") || n.ends_with(".json")), "{dir}: {names:?}");
        assert!(names.contains(&"programs.csv".to_string()) && names.contains(&"programs.json".to_string()), "{dir}");
        for t in ["figures", "series"] {
            let has = names.iter().any(|x| *x == format!("{t}.csv"));
            assert_eq!(names.contains(&format!("{t}.json")), has, "{dir}/{t}.json with {t}.csv");
        }
        without_series += usize::from(!names.iter().any(|t| t == "series.csv"));
        for n in names.iter().filter(|n| n.ends_with(".csv")) {
            let rows = site.read(&format!("{dir}/{n}")).lines().count();
            assert!(n == "programs.csv" || rows > 1, "{dir}/{n} is written only with rows");
        }
    }
    assert!(without_series > 0, "some folder has no series, so has no series.csv");
    for csv_file in csvs.iter().filter(|f| f.matches('/').count() == 1) {
        let stem = csv_file.trim_end_matches(".csv");
        let table = stem.rsplit('/').next().unwrap();
        let book = format!("{stem}.xlsx");
        let bytes = std::fs::read(site.public().join(&book)).unwrap_or_else(|e| panic!("{book}: {e}"));
        let mut wb: Xlsx<_> = open_workbook_from_rs(std::io::Cursor::new(bytes)).unwrap();
        let range = wb.worksheet_range(table).unwrap_or_else(|e| panic!("{stem}.xlsx sheet {table}: {e}"));
        let csv_text = site.read(csv_file);
        let mut reader = csv::Reader::from_reader(csv_text.as_bytes());
        let header: Vec<String> = reader.headers().unwrap().iter().map(String::from).collect();
        let rows: Vec<Vec<String>> = reader.records().map(|r| r.unwrap().iter().map(String::from).collect()).collect();
        assert_eq!(range.height(), rows.len() + 1, "{stem}: rows");
        for (r, sheet_row) in range.rows().enumerate() {
            let expected = if r == 0 { &header } else { &rows[r - 1] };
            for (c, cell) in sheet_row.iter().enumerate() {
                let want = &expected[c];
                let ok = match cell {
                    Data::Empty => want.is_empty(),
                    Data::String(s) => s == want,
                    Data::Float(f) => want.parse::<f64>().ok() == Some(*f),
                    Data::Int(i) => want.parse::<i64>().ok() == Some(*i),
                    other => panic!("{stem} {r},{c}: unexpected cell {other:?}"),
                };
                assert!(ok, "{stem}.xlsx row {r} column {}: {cell:?} vs CSV {want:?}", header[c]);
            }
        }
    }
    // Amounts are numbers in Excel, and Hangul is text.
    let bytes = std::fs::read(site.public().join("data/programs.xlsx")).unwrap();
    let mut wb: Xlsx<_> = open_workbook_from_rs(std::io::Cursor::new(bytes)).unwrap();
    // The whole dataset's workbook holds every record: it reads back as the site's data.
    assert_eq!(
        wb.sheet_names(),
        ["programs", "kpis", "figures", "series", "cases", "regions", "categories", "sources"]
    );
    let cases = wb.worksheet_range("cases").unwrap();
    assert_eq!(cases.height(), 1 + std::fs::read_dir(common::repo().join("content/cases")).unwrap().count());
    let programs = wb.worksheet_range("programs").unwrap();
    assert!(programs.rows().any(|r| r[6] == Data::Float(28_800_000_000.0)), "288억 원 as a number");
}
