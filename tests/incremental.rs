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

#[test]
fn a_killed_build_leaves_the_previous_site_byte_for_byte() {
    let site = Site::fixture("basic");
    // Enough programs that a build takes a while.
    let src = site.root().join("content/programs/alpha-care");
    for i in 0..400 {
        let dir = site.root().join(format!("content/programs/copy-{i}"));
        common::copy_dir(&src, &dir);
        let toml = std::fs::read_to_string(dir.join("program.toml")).unwrap();
        let toml = toml
            .replace("slug = \"alpha-care\"", &format!("slug = \"copy-{i}\""))
            .replace("aliases = [\"/programs/old-alpha/\"]", "");
        std::fs::write(dir.join("program.toml"), toml).unwrap();
    }
    site.build();
    let before = tree(&site);
    edit(&site, "content/programs/alpha-care/program.toml", "executed = 25587", "executed = 1");
    std::fs::remove_dir_all(site.root().join(".gongsi-cache")).unwrap();
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_gongsi"))
        .args(["--root", site.root().to_str().unwrap(), "build"])
        .env("RAYON_NUM_THREADS", "1")
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    std::thread::sleep(std::time::Duration::from_millis(150));
    let _ = child.kill();
    let status = child.wait().unwrap();
    assert!(!status.success(), "the build was still running when killed");
    assert_eq!(before, tree(&site), "the previous site is untouched");
    // The next build clears the abandoned staging folder and finishes.
    site.build();
    let leftovers: Vec<_> = std::fs::read_dir(site.root())
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().contains("tmp-build"))
        .collect();
    assert!(leftovers.is_empty());
}

#[test]
fn a_rebuild_judges_anchors_into_kept_pages_as_a_cold_build_does() {
    let site = Site::fixture("basic");
    site.build();
    // alpha-care's page is unchanged, so the rebuild keeps it; the link into it is new.
    edit(&site, "content/about.md", "소개 글.", "소개 글. [알파](@/programs/alpha-care/index.md#no-such-anchor)");
    let rebuild = site.run(&["build"]);
    let cold = Site::fixture("basic");
    edit(&cold, "content/about.md", "소개 글.", "소개 글. [알파](@/programs/alpha-care/index.md#no-such-anchor)");
    let fresh = cold.run(&["build"]);
    for (what, out) in [("rebuild", &rebuild), ("cold build", &fresh)] {
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{what}: {stderr}");
        assert!(
            stderr.contains("/about/ links to /programs/alpha-care/#no-such-anchor, which does not exist"),
            "{what}: {stderr}"
        );
    }
    // An anchor the kept page has is fine.
    edit(&site, "content/about.md", "#no-such-anchor", "#budget");
    let ok = site.run(&["build"]);
    assert!(ok.status.success(), "{}", String::from_utf8_lossy(&ok.stderr));
}

/// Builds with timings on; whether the build found nothing to do before loading anything.
fn nothing_to_do(site: &Site) -> bool {
    let out = site.run_env(&["build"], &[("GONGSI_TIMINGS", "1")]);
    let err = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(out.status.success(), "{err}");
    err.contains("nothing changed")
}

#[test]
fn a_rebuild_with_nothing_changed_stops_at_once_and_still_repairs_the_output() {
    use std::os::unix::fs::MetadataExt;
    let site = Site::fixture("basic");
    site.build();
    let before = tree(&site);
    let page = site.public().join("about/index.html");
    let stamp = |p: &std::path::Path| {
        let m = std::fs::metadata(p).unwrap();
        (m.ino(), m.mtime(), m.mtime_nsec())
    };
    let was = stamp(&page);
    assert!(nothing_to_do(&site), "inputs and output as the last build left them");
    assert_eq!(stamp(&page), was, "nothing was touched");
    assert_eq!(tree(&site), before);
    // An output file edited by hand (same length) is found and written again.
    let text = std::fs::read_to_string(&page).unwrap();
    std::fs::write(&page, text.replacen("소개 글.", "가짜 글.", 1)).unwrap();
    assert!(!nothing_to_do(&site));
    assert_eq!(tree(&site), before);
    // So is a deleted one.
    std::fs::remove_file(site.public().join("programs/alpha-care/index.html")).unwrap();
    assert!(!nothing_to_do(&site));
    assert_eq!(tree(&site), before);
    assert!(nothing_to_do(&site), "and then there is nothing to do again");
    // A file added to the output is not gongsi's: the build refuses, as ever.
    std::fs::write(site.public().join("stray.txt"), "x").unwrap();
    assert!(!site.run(&["build"]).status.success());
    std::fs::remove_file(site.public().join("stray.txt")).unwrap();
    // An input saved again (same bytes, new time) builds; an edited one builds its change.
    let about = site.root().join("content/about.md");
    std::fs::write(&about, std::fs::read(&about).unwrap()).unwrap();
    assert!(!nothing_to_do(&site));
    assert_eq!(tree(&site), before);
    edit(&site, "content/about.md", "소개 글.", "새 소개 글.");
    assert!(!nothing_to_do(&site));
    assert!(String::from_utf8_lossy(&std::fs::read(&page).unwrap()).contains("새 소개 글."));
}
