//! Data from spreadsheets: the published workbook reads back as the same site, byte for
//! byte; every bad cell is named by file, sheet and cell; the casebook's Korean layouts read.

mod common;
use common::Site;
use std::collections::BTreeMap;
use std::fs;
use std::path::Path;

/// A cell of a workbook written for a test.
#[derive(Clone)]
enum C {
    S(&'static str),
    N(f64),
    E,
}
use C::{E, N, S};

/// A sheet: its name, its rows from A1 and its merged ranges ("A3:A4").
type Sheet<'a> = (&'a str, Vec<Vec<C>>, &'a [&'a str]);

/// Writes a workbook of these sheets.
fn xlsx(path: &Path, sheets: &[Sheet]) {
    let mut wb = rust_xlsxwriter::Workbook::new();
    for (name, rows, merges) in sheets {
        let ws = wb.add_worksheet();
        ws.set_name(*name).unwrap();
        for (r, row) in rows.iter().enumerate() {
            for (c, cell) in row.iter().enumerate() {
                match cell {
                    S(s) => ws.write_string(r as u32, c as u16, *s).map(|_| ()).unwrap(),
                    N(n) => ws.write_number(r as u32, c as u16, *n).map(|_| ()).unwrap(),
                    E => {}
                }
            }
        }
        for m in *merges {
            let (a, b) = m.split_once(':').unwrap();
            let (r0, c0) = cell_at(a);
            let (r1, c1) = cell_at(b);
            let first = match &rows[r0 as usize][c0 as usize] {
                S(s) => s.to_string(),
                N(n) => n.to_string(),
                E => String::new(),
            };
            ws.merge_range(r0, c0, r1, c1, &first, &rust_xlsxwriter::Format::new()).unwrap();
        }
    }
    fs::create_dir_all(path.parent().unwrap()).unwrap();
    wb.save(path).unwrap();
}

fn cell_at(name: &str) -> (u32, u16) {
    let letters: String = name.chars().take_while(|c| c.is_ascii_alphabetic()).collect();
    let col = letters.bytes().fold(0u32, |acc, b| acc * 26 + (b - b'A' + 1) as u32) - 1;
    let row: u32 = name[letters.len()..].parse().unwrap();
    (row - 1, col as u16)
}

/// Every file of an output folder and its bytes.
fn tree(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| (e.path().strip_prefix(dir).unwrap().to_string_lossy().into_owned(), fs::read(e.path()).unwrap()))
        .collect()
}

/// Removes every `program.toml`, `case.toml` and `data/*.toml` of a site; returns how many.
fn remove_toml_records(root: &Path) -> usize {
    let mut n = 0;
    for e in walkdir::WalkDir::new(root.join("content")).into_iter().chain(walkdir::WalkDir::new(root.join("data"))) {
        let e = e.unwrap();
        let name = e.file_name().to_string_lossy();
        let data_toml = e.path().parent() == Some(&root.join("data")) && name.ends_with(".toml");
        if name == "program.toml" || name == "case.toml" || data_toml {
            fs::remove_file(e.path()).unwrap();
            n += 1;
        }
    }
    n
}

/// Builds `site`, moves its published workbook into a copy without any TOML record, builds
/// that and compares every output byte.
fn round_trip(site: Site, copy: Site) {
    site.build();
    let n = remove_toml_records(copy.root());
    assert!(n > 3, "the copy had TOML records to replace");
    fs::copy(site.public().join("data/programs.xlsx"), copy.root().join("data/programs.xlsx")).unwrap();
    copy.build();
    let (a, b) = (tree(&site.public()), tree(&copy.public()));
    assert!(a.len() > 100, "{} files", a.len());
    let only_a: Vec<_> = a.keys().filter(|k| !b.contains_key(*k)).collect();
    let only_b: Vec<_> = b.keys().filter(|k| !a.contains_key(*k)).collect();
    assert!(only_a.is_empty() && only_b.is_empty(), "only from TOML: {only_a:?}; only from the workbook: {only_b:?}");
    let differ: Vec<_> = a.iter().filter(|(k, v)| b[*k] != **v).map(|(k, _)| k).collect();
    assert!(differ.is_empty(), "{} files differ, e.g. {:?}", differ.len(), &differ[..differ.len().min(10)]);
}

#[test]
fn the_published_workbook_in_place_of_every_toml_record_gives_the_same_site() {
    round_trip(Site::default_site(), Site::default_site());
}

#[test]
fn the_fixture_round_trips_too_with_qualitative_values_and_two_units() {
    round_trip(Site::fixture("basic"), Site::fixture("basic"));
}

/// The basic fixture with alpha-care's record moved to `data/programs.xlsx`: a programs
/// sheet, and `budgets` with the rows given.
fn site_with_budgets(budgets: Vec<Vec<C>>, merges: &'static [&'static str]) -> Site {
    let site = Site::fixture("basic");
    fs::remove_file(site.root().join("content/programs/alpha-care/program.toml")).unwrap();
    let programs = vec![
        vec![S("program"), S("region"), S("category"), S("case"), S("사업명"), S("name_en"), S("program_page")],
        vec![S("alpha-care"), S("north-east-si"), S("care"), S("alpha-case"), S("알파 돌봄"), S("Alpha Care"), N(4.0)],
    ];
    xlsx(&site.root().join("data/programs.xlsx"), &[("programs", programs, &[]), ("budgets", budgets, merges)]);
    site
}

fn check(site: &Site) -> String {
    let out = site.run(&["check"]);
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert_eq!(out.status.code(), Some(1), "check must fail:\n{stderr}");
    stderr
}

/// Eleven good years and one bad cell at G12, as in the issue.
#[test]
fn a_bad_amount_is_named_by_file_sheet_and_cell() {
    let mut rows =
        vec![vec![S("program"), S("year"), S("단위"), S("쪽"), S("비고"), S("집행률"), S("예산(A)"), S("집행(B)")]];
    for y in 2012..2022 {
        rows.push(vec![S("alpha-care"), N(y as f64), S("백만원"), N(5.0), E, E, N(100.0), N(90.0)]);
    }
    rows.push(vec![S("alpha-care"), N(2022.0), S("백만원"), N(5.0), E, E, S("12억x"), N(90.0)]);
    let stderr = check(&site_with_budgets(rows, &[]));
    assert!(stderr.contains("error: data/programs.xlsx: budgets!G12: expected a number, found \"12억x\""), "{stderr}");
}

#[test]
fn an_unknown_header_gets_a_suggestion() {
    let rows = vec![
        vec![S("program"), S("year"), S("budjet_printed"), S("executed_printed"), S("집행율"), S("unit_printed")],
        vec![S("alpha-care"), N(2022.0), N(100.0), N(90.0), N(90.0), S("백만원")],
    ];
    let stderr = check(&site_with_budgets(rows, &[]));
    for want in [
        "error: data/programs.xlsx: budgets!C1: unknown column \"budjet_printed\"; did you mean \"budget_printed\"?",
        "error: data/programs.xlsx: budgets!E1: unknown column \"집행율\"; did you mean \"집행률\" (execution_rate_printed)?",
    ] {
        assert!(stderr.contains(want), "{want} in:\n{stderr}");
    }
}

#[test]
fn a_unit_outside_the_money_units_is_an_error() {
    let rows = vec![
        vec![S("program"), S("year"), S("unit_printed"), S("budget_printed"), S("executed_printed")],
        vec![S("alpha-care"), N(2022.0), S("달러"), N(100.0), N(90.0)],
    ];
    let stderr = check(&site_with_budgets(rows, &[]));
    let want =
        "error: data/programs.xlsx: budgets!C2: unknown money unit \"달러\", expected one of 원, 천원, 만원, 백만원, 억원";
    assert!(stderr.contains(want), "{stderr}");
}

#[test]
fn an_amount_without_a_unit_is_an_error() {
    let rows = vec![
        vec![S("program"), S("year"), S("budget_printed"), S("executed_printed")],
        vec![S("alpha-care"), N(2022.0), N(100.0), N(90.0)],
    ];
    let stderr = check(&site_with_budgets(rows, &[]));
    let want = "error: data/programs.xlsx: budgets!A2: budget 2022: no money unit: add a unit_printed (단위) column, or write it in the header, e.g. 예산(A)(백만원)";
    assert!(stderr.contains(want), "{stderr}");
}

#[test]
fn merged_header_cells_are_named() {
    let rows = vec![
        vec![S("program"), S("year"), S("예산(A)"), E, S("unit_printed")],
        vec![S("alpha-care"), N(2022.0), N(100.0), N(90.0), S("백만원")],
    ];
    let stderr = check(&site_with_budgets(rows, &["C1:D1"]));
    let want = "error: data/programs.xlsx: budgets!C1:D1: merged header cells: a header is one row with one cell per column; unmerge them and name each column";
    assert!(stderr.contains(want), "{stderr}");
}

#[test]
fn a_value_under_no_header_is_named() {
    let rows = vec![
        vec![S("program"), S("year"), S("예산(A)"), E, S("unit_printed")],
        vec![S("alpha-care"), N(2022.0), N(100.0), N(90.0), S("백만원")],
    ];
    let stderr = check(&site_with_budgets(rows, &[]));
    let want = "error: data/programs.xlsx: budgets!D2: this column has values but no header";
    assert!(stderr.contains(want), "{stderr}");
}

#[test]
fn a_record_in_toml_and_in_a_workbook_names_both_places() {
    let site = site_with_budgets(vec![vec![S("program"), S("year")]], &[]);
    // alpha-care's TOML comes back beside its workbook row; north gets a second definition.
    let fixture = common::repo().join("tests/fixtures/basic");
    fs::copy(
        fixture.join("content/programs/alpha-care/program.toml"),
        site.root().join("content/programs/alpha-care/program.toml"),
    )
    .unwrap();
    xlsx(
        &site.root().join("data/regions.xlsx"),
        &[(
            "지역",
            vec![
                vec![S("region"), S("지역명"), S("name_en"), S("level")],
                vec![S("north"), S("북도"), S("Buk-do"), S("도")],
            ],
            &[],
        )],
    );
    let stderr = check(&site);
    for want in [
        "error: content/programs/alpha-care/program.toml: program \"alpha-care\" is defined twice: here and in data/programs.xlsx: programs!A2",
        "error: data/regions.xlsx: 지역!A2: region \"north\" is defined twice: here and in data/regions.toml:2",
    ] {
        assert!(stderr.contains(want), "{want} in:\n{stderr}");
    }
}

#[test]
fn a_bad_cell_in_a_csv_file_is_named_by_its_cell() {
    let site = site_with_budgets(vec![vec![S("program"), S("year")]], &[]);
    site.write("data/budgets.csv", "program,year,unit_printed,budget_printed,executed_printed\nalpha-care,2021,천원,1000,500\nalpha-care,2022,백만원,12억x,25587\n");
    let stderr = check(&site);
    assert!(stderr.contains("error: data/budgets.csv: D3: expected a number, found \"12억x\""), "{stderr}");
}

#[test]
fn a_failed_build_leaves_public_untouched() {
    let rows = vec![
        vec![S("program"), S("year"), S("unit_printed"), S("budget_printed"), S("executed_printed")],
        vec![S("alpha-care"), N(2022.0), S("백만원"), N(26652.0), N(25587.0)],
    ];
    let site = site_with_budgets(rows, &[]);
    site.build();
    let before = tree(&site.public());
    let bad = vec![
        vec![S("program"), S("year"), S("unit_printed"), S("budget_printed"), S("executed_printed")],
        vec![S("alpha-care"), N(2022.0), S("백만원"), S("12억x"), N(25587.0)],
    ];
    let programs = vec![
        vec![S("program"), S("region"), S("category"), S("case"), S("사업명"), S("name_en"), S("program_page")],
        vec![S("alpha-care"), S("north-east-si"), S("care"), S("alpha-case"), S("알파 돌봄"), S("Alpha Care"), N(4.0)],
    ];
    xlsx(&site.root().join("data/programs.xlsx"), &[("programs", programs, &[]), ("budgets", bad, &[])]);
    let out = site.run(&["build"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("budgets!D2: expected a number"));
    assert!(before == tree(&site.public()), "public/ changed after a failed build");
}

/// A table as the casebook prints it: a unit in a title row, Korean headers, the program
/// name merged over its years, text amounts with separators, a unit in one header, and a
/// second table after blank rows.
#[test]
fn korean_layouts_read_as_the_casebook_prints_them() {
    let rows = vec![
        vec![S("(단위: 백만원)")],
        vec![S("사업명"), S("연도"), S("예산(A)"), S("집행(B)"), S("집행률"), S("쪽")],
        vec![S("알파 돌봄"), N(2022.0), S("26,652"), S("25,587"), S("96.0%"), N(5.0)],
        vec![E, N(2023.0), N(30000.0), N(15000.0), N(50.0), N(5.0)],
        vec![],
        vec![],
        vec![S("사업명"), S("연도"), S("예산(A)(천원)"), S("집행(B)(천원)"), S("쪽")],
        vec![S("알파 돌봄"), N(2021.0), S("1,000"), N(500.0), N(4.0)],
    ];
    let site = site_with_budgets(rows, &["A3:A4"]);
    let stderr = site.build();
    assert!(!stderr.contains("error"), "{stderr}");
    let csv = site.read("data/programs/alpha-care/programs.csv");
    for want in [
        "alpha-care,north-east-si,care,2021,알파 돌봄,Alpha Care,1000000,500000,천원,50.0,,4,",
        "alpha-care,north-east-si,care,2022,알파 돌봄,Alpha Care,26652000000,25587000000,백만원,96.0,96.0,5,",
        "alpha-care,north-east-si,care,2023,알파 돌봄,Alpha Care,30000000000,15000000000,백만원,50.0,50.0,5,",
    ] {
        assert!(csv.contains(want), "{want} in:\n{csv}");
    }
}

/// The published workbook written out again as an OpenDocument spreadsheet (as LibreOffice
/// or 한셀 would save it): every sheet, every cell, numbers as numbers.
fn ods_from_xlsx(xlsx_path: &Path, ods_path: &Path) {
    use calamine::{open_workbook, Data, Reader, Xlsx};
    use std::io::Write;
    let esc = |s: &str| s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;");
    let mut wb: Xlsx<_> = open_workbook(xlsx_path).unwrap();
    let mut body = String::new();
    for name in wb.sheet_names() {
        let range = wb.worksheet_range(&name).unwrap();
        body.push_str(&format!("<table:table table:name=\"{}\">", esc(&name)));
        for row in range.rows() {
            body.push_str("<table:table-row>");
            for cell in row {
                match cell {
                    Data::Empty => body.push_str("<table:table-cell/>"),
                    Data::String(s) => body.push_str(&format!(
                        "<table:table-cell office:value-type=\"string\"><text:p>{}</text:p></table:table-cell>",
                        esc(s)
                    )),
                    Data::Float(f) => body.push_str(&format!(
                        "<table:table-cell office:value-type=\"float\" office:value=\"{f}\"><text:p>{f}</text:p></table:table-cell>"
                    )),
                    Data::Int(i) => body.push_str(&format!(
                        "<table:table-cell office:value-type=\"float\" office:value=\"{i}\"><text:p>{i}</text:p></table:table-cell>"
                    )),
                    other => panic!("{name}: unexpected cell {other:?}"),
                }
            }
            body.push_str("</table:table-row>");
        }
        body.push_str("</table:table>");
    }
    let content = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?><office:document-content xmlns:office=\"urn:oasis:names:tc:opendocument:xmlns:office:1.0\" xmlns:table=\"urn:oasis:names:tc:opendocument:xmlns:table:1.0\" xmlns:text=\"urn:oasis:names:tc:opendocument:xmlns:text:1.0\" office:version=\"1.2\"><office:body><office:spreadsheet>{body}</office:spreadsheet></office:body></office:document-content>"
    );
    let manifest = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><manifest:manifest xmlns:manifest=\"urn:oasis:names:tc:opendocument:xmlns:manifest:1.0\" manifest:version=\"1.2\"><manifest:file-entry manifest:full-path=\"/\" manifest:media-type=\"application/vnd.oasis.opendocument.spreadsheet\"/><manifest:file-entry manifest:full-path=\"content.xml\" manifest:media-type=\"text/xml\"/></manifest:manifest>";
    let mut zip = zip::ZipWriter::new(fs::File::create(ods_path).unwrap());
    let stored = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    zip.start_file("mimetype", stored).unwrap();
    zip.write_all(b"application/vnd.oasis.opendocument.spreadsheet").unwrap();
    for (name, text) in [("META-INF/manifest.xml", manifest), ("content.xml", content.as_str())] {
        zip.start_file(name, zip::write::SimpleFileOptions::default()).unwrap();
        zip.write_all(text.as_bytes()).unwrap();
    }
    zip.finish().unwrap();
}

#[test]
fn the_published_workbook_saved_as_ods_gives_the_same_site_too() {
    let (site, copy) = (Site::fixture("basic"), Site::fixture("basic"));
    site.build();
    assert!(remove_toml_records(copy.root()) > 3);
    ods_from_xlsx(&site.public().join("data/programs.xlsx"), &copy.root().join("data/programs.ods"));
    copy.build();
    let (a, b) = (tree(&site.public()), tree(&copy.public()));
    assert!(a.len() > 100, "{} files", a.len());
    assert_eq!(a.keys().collect::<Vec<_>>(), b.keys().collect::<Vec<_>>(), "the same files");
    let differ: Vec<_> = a.iter().filter(|(k, v)| b[*k] != **v).map(|(k, _)| k).collect();
    assert!(differ.is_empty(), "{} files differ, e.g. {:?}", differ.len(), &differ[..differ.len().min(10)]);
}
