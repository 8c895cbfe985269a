//! Incremental builds: unchanged files are not rewritten, changes give exactly the bytes
//! of a cold build, and files gongsi did not write are never deleted silently.

mod common;
use common::Site;
use std::collections::BTreeMap;

fn tree(site: &Site) -> BTreeMap<String, Vec<u8>> {
    site.files().into_iter().map(|f| (f.clone(), std::fs::read(site.public().join(&f)).unwrap())).collect()
}

fn edit(site: &Site, rel: &str, from: &str, to: &str) {
    let text = std::fs::read_to_string(site.root().join(rel)).unwrap();
    assert!(text.contains(from), "{rel} has no {from}");
    site.write(rel, &text.replacen(from, to, 1));
}

#[test]
fn a_rebuild_with_nothing_changed_writes_nothing() {
    let site = Site::fixture("basic");
    site.build();
    let stderr = site.build();
    assert!(stderr.contains(" 0 changed, 0 removed"), "{stderr}");
}

#[test]
fn an_incremental_rebuild_gives_the_bytes_of_a_cold_build() {
    let site = Site::fixture("basic");
    site.build();
    edit(&site, "content/programs/alpha-care/program.toml", "executed = 25587", "executed = 20000");
    edit(&site, "content/programs/beta-no-figures/index.en.md", "Beta.", "Beta, revised.");
    std::fs::remove_dir_all(site.root().join("content/cases/alpha-case")).unwrap();
    // Removing a published page is refused by the URL ledger; this test is about bytes.
    std::fs::remove_dir_all(site.root().join("urls")).unwrap();
    edit(&site, "content/programs/alpha-care/program.toml", "case = \"alpha-case\"\n", "");
    let stderr = site.build();
    assert!(!stderr.contains(" 0 changed"), "{stderr}");
    let incremental = tree(&site);
    assert!(!incremental.contains_key("cases/alpha-case/index.html"), "a removed page's files are removed");
    let html = String::from_utf8(incremental["programs/alpha-care/index.html"].clone()).unwrap();
    assert!(html.contains("200억 원"), "the changed figure is shown");

    // A cold build of the same input, into a fresh output folder.
    std::fs::remove_dir_all(site.public()).unwrap();
    std::fs::remove_dir_all(site.root().join(".gongsi-cache")).unwrap();
    std::fs::remove_dir_all(site.root().join("urls")).unwrap();
    site.build();
    assert_eq!(incremental, tree(&site));
}

#[test]
fn files_gongsi_did_not_write_stop_the_build_unless_forced() {
    let site = Site::fixture("basic");
    site.build();
    site.write("public/notes.txt", "an editor's file");
    let out = site.run(&["build"]);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("1 file(s) gongsi did not write (notes.txt)") && err.contains("--force"), "{err}");
    assert!(site.public().join("notes.txt").exists(), "not deleted");
    assert!(site.run(&["build", "--force"]).status.success());
    assert!(!site.public().join("notes.txt").exists());
}

#[test]
fn a_deleted_cache_only_costs_time() {
    let site = Site::fixture("basic");
    site.build();
    let before = tree(&site);
    std::fs::remove_dir_all(site.root().join(".gongsi-cache")).unwrap();
    let stderr = site.build();
    assert!(stderr.contains(" 0 changed"), "same bytes, nothing rewritten: {stderr}");
    assert_eq!(before, tree(&site));
}
