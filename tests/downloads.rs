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
