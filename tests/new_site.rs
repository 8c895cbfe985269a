//! `gongsi new`: a working bilingual site from a workbook, and the template workbook
//! editors are given is the one it writes.

mod common;
use std::process::Command;

fn gongsi(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_gongsi")).args(args).output().unwrap()
}

#[test]
fn a_new_site_builds_without_a_warning() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("site");
    let out = gongsi(&["new", dir.to_str().unwrap()]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    // Its data is the workbook alone.
    assert!(dir.join("data/site.xlsx").is_file());
    let tomls: Vec<_> = walkdir::WalkDir::new(&dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_name().to_string_lossy().ends_with(".toml") && !e.path().starts_with(dir.join("themes")))
        .map(|e| e.path().strip_prefix(&dir).unwrap().to_string_lossy().into_owned())
        .collect();
    assert_eq!(tomls, vec!["config.toml"]);
    let out = gongsi(&["--root", dir.to_str().unwrap(), "build", "--strict"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    assert!(!stderr.contains("warning"), "{stderr}");
    let page =
        std::fs::read_to_string(dir.join("public/programs/gyeonggi-youth-worker-welfare-points/index.html")).unwrap();
    assert!(page.contains("일하는 청년 복지포인트"));
    let en = std::fs::read_to_string(dir.join("public/en/programs/gyeonggi-youth-worker-welfare-points/index.html"))
        .unwrap();
    assert!(en.contains("Welfare Points for Working Youth"));
    let csv = std::fs::read_to_string(dir.join("public/data/programs.csv")).unwrap();
    assert!(csv.contains(",2022,일하는 청년 복지포인트,Welfare Points for Working Youth,28800000000,28800000000,백만원,100.0,100.0,17,"), "{csv}");
    let figures = std::fs::read_to_string(dir.join("public/data/figures.csv")).unwrap();
    assert!(
        figures.contains(
            "program,gyeonggi-youth-worker-welfare-points,young-workers,지원 대상 청년,Young workers supported,30000,"
        ),
        "{figures}"
    );
}

#[test]
fn new_refuses_a_folder_that_is_not_empty() {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::write(tmp.path().join("keep.txt"), "mine").unwrap();
    let out = gongsi(&["new", tmp.path().to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("is not empty"));
    assert_eq!(std::fs::read_dir(tmp.path()).unwrap().count(), 1);
}

/// The template in docs/ is what `gongsi new` writes; `GONGSI_BLESS=1 cargo test` renews it.
#[test]
fn the_template_workbook_is_the_one_new_writes() {
    let want = gongsi::scaffold::workbook().unwrap();
    assert_eq!(want, gongsi::scaffold::workbook().unwrap(), "the same bytes on every run");
    let path = common::repo().join("docs/site-template.xlsx");
    if std::env::var_os("GONGSI_BLESS").is_some() {
        std::fs::write(&path, &want).unwrap();
    }
    let have = std::fs::read(&path).expect("docs/site-template.xlsx (GONGSI_BLESS=1 cargo test writes it)");
    assert!(have == want, "docs/site-template.xlsx is out of date: run GONGSI_BLESS=1 cargo test --test new_site");
}

#[test]
fn the_built_in_theme_is_the_repository_theme() {
    let dir = common::repo().join("themes/gongsi");
    let mut files: Vec<String> = walkdir::WalkDir::new(&dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| e.path().strip_prefix(&dir).unwrap().to_string_lossy().replace('\\', "/"))
        .collect();
    files.sort();
    let built_in: Vec<String> = gongsi::theme_files::THEME.iter().map(|(p, _)| p.to_string()).collect();
    assert_eq!(files, built_in, "src/theme_files.rs lists every theme file");
    for (p, bytes) in gongsi::theme_files::THEME {
        assert!(std::fs::read(dir.join(p)).unwrap() == *bytes, "{p}");
    }
}
