//! The output is always one whole build: killed, failed and concurrent builds never leave
//! a mix, the next build repairs whatever differs, and no flag lets a build delete the
//! site's sources.

mod common;
use common::Site;
use std::collections::BTreeMap;
use std::path::Path;

fn tree(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| (e.path().strip_prefix(dir).unwrap().to_string_lossy().into_owned(), std::fs::read(e.path()).unwrap()))
        .collect()
}

fn stderr(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// The bytes a cold build of the site as it is now gives, in a fresh output folder.
fn cold(site: &Site) -> BTreeMap<String, Vec<u8>> {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("public");
    let run = site.run(&["build", "--output", out.to_str().unwrap()]);
    assert!(run.status.success(), "{}", stderr(&run));
    tree(&out)
}

fn edit_about(site: &Site, text: &str) {
    site.write("content/about.md", &format!("+++\ntitle = \"소개\"\n+++\n{text}\n"));
}

/// Nothing beside the output but the output and its lock once a build has ended.
fn leftovers(site: &Site) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(site.root())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(".public.") && n != ".public.lock")
        .collect();
    v.sort();
    v
}

#[test]
fn no_flag_lets_the_output_replace_the_sources() {
    let site = Site::fixture("basic");
    let before = tree(site.root());
    let root = site.root().to_str().unwrap().to_string();
    let parent = site.root().parent().unwrap().to_str().unwrap().to_string();
    let cases = [
        (root.clone(), "is the site folder itself"),
        (format!("{root}/content"), "is inside the site's content/ folder"),
        (format!("{root}/content/programs"), "is inside the site's content/ folder"),
        (format!("{root}/data/out"), "is inside the site's data/ folder"),
        (format!("{root}/themes"), "is inside the site's themes/ folder"),
        (format!("{root}/static/site"), "is inside the site's static/ folder"),
        (format!("{root}/templates"), "is inside the site's templates/ folder"),
        (format!("{root}/public/../content/."), "is inside the site's content/ folder"),
        (parent, "holds the site folder"),
    ];
    for (out, want) in cases {
        for force in [false, true] {
            let mut args = vec!["build", "--output", out.as_str()];
            if force {
                args.push("--force");
            }
            let run = site.run(&args);
            let err = stderr(&run);
            assert_eq!(run.status.code(), Some(2), "{out}: {err}");
            assert!(err.contains(want), "{out}: {err}");
            assert!(
                err.contains("build into public/ (the default) or another folder of its own with --output"),
                "{err}"
            );
            assert!(!err.contains("--force"), "never suggests --force here: {err}");
        }
    }
    let after = tree(site.root());
    assert_eq!(before, after, "every source file kept, and nothing written");
}

#[test]
fn a_build_killed_before_the_swap_leaves_the_previous_site_and_the_next_build_is_whole() {
    let site = Site::fixture("basic");
    site.build();
    let previous = tree(&site.public());
    edit_about(&site, "바뀐 글.");
    let run = site.run_env(&["build"], &[("GONGSI_TEST_FAULT", "before-swap")]);
    assert!(!run.status.success());
    assert_eq!(previous, tree(&site.public()), "the killed build changed nothing in the output");
    site.build();
    assert_eq!(cold(&site), tree(&site.public()), "the next build gives the bytes of a cold build");
    assert!(leftovers(&site).is_empty(), "{:?}", leftovers(&site));
}

#[test]
fn a_build_killed_between_the_renames_is_completed_by_the_next() {
    let site = Site::fixture("basic");
    site.build();
    edit_about(&site, "바뀐 글.");
    let run = site.run_env(&["build"], &[("GONGSI_TEST_FAULT", "between-renames")]);
    assert!(!run.status.success());
    assert!(!site.public().exists(), "killed with the old output moved aside");
    edit_about(&site, "또 바뀐 글.");
    site.build();
    assert!(site.read("about/index.html").contains("또 바뀐 글."));
    assert_eq!(cold(&site), tree(&site.public()));
    assert!(leftovers(&site).is_empty(), "{:?}", leftovers(&site));
}

#[test]
fn a_file_that_differs_from_what_the_build_writes_is_repaired_even_with_the_manifest_agreeing() {
    let site = Site::fixture("basic");
    site.build();
    // The same length, other bytes: what a half-finished move or a stray editor leaves.
    let page = site.public().join("about/index.html");
    let text = std::fs::read_to_string(&page).unwrap();
    std::fs::write(&page, text.replacen("소개 글.", "가짜 글.", 1)).unwrap();
    assert_eq!(std::fs::metadata(&page).unwrap().len() as usize, text.len());
    let err = site.build();
    assert!(err.contains(" 1 changed, 0 removed"), "{err}");
    assert_eq!(cold(&site), tree(&site.public()));
}

#[test]
fn a_write_failure_changes_nothing_exits_2_and_says_so() {
    let site = Site::fixture("basic");
    site.build();
    let previous = tree(&site.public());
    edit_about(&site, "바뀐 글.");
    site.write("content/programs/alpha-care/index.md", "+++\ndescription = \"알파\"\n+++\n## 개요\n\n바뀐 알파.\n");
    let run = site.run_env(&["build"], &[("GONGSI_TEST_FAULT", "write:2")]);
    let err = stderr(&run);
    assert_eq!(run.status.code(), Some(2), "{err}");
    assert!(err.contains("cannot write /") && err.contains("injected fault"), "{err}");
    assert!(err.contains("the output was not changed"), "{err}");
    assert_eq!(previous, tree(&site.public()), "and it was not");
    site.build();
    assert_eq!(cold(&site), tree(&site.public()));
    assert!(leftovers(&site).is_empty(), "{:?}", leftovers(&site));
}

#[test]
fn one_build_at_a_time_per_output() {
    let site = Site::fixture("basic");
    site.build();
    edit_about(&site, "바뀐 글.");
    let first = std::process::Command::new(env!("CARGO_BIN_EXE_gongsi"))
        .arg("--root")
        .arg(site.root())
        .arg("build")
        .env("GONGSI_TEST_FAULT", "pause-before-swap")
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    // The first build holds the lock from its start; wait until it has staged its files.
    let start = std::time::Instant::now();
    while !leftovers(&site).iter().any(|n| n.starts_with(".public.tmp-build-")) {
        assert!(start.elapsed().as_secs() < 20, "the first build started");
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    edit_about(&site, "두 번째 글.");
    let second = site.run(&["build"]);
    let err = stderr(&second);
    assert_eq!(second.status.code(), Some(2), "{err}");
    assert!(err.contains("another gongsi build is writing") && err.contains(".public.lock"), "{err}");
    let first = first.wait_with_output().unwrap();
    assert!(first.status.success(), "{}", stderr(&first));
    assert!(site.read("about/index.html").contains("바뀐 글."), "the first build is whole");
    site.build();
    assert_eq!(cold(&site), tree(&site.public()));
}

#[test]
fn a_build_that_changes_nothing_leaves_the_output_folder_itself_in_place() {
    use std::os::unix::fs::MetadataExt;
    let site = Site::fixture("basic");
    site.build();
    let inode = |p: &Path| std::fs::metadata(p).unwrap().ino();
    let (dir, page) = (inode(&site.public()), inode(&site.public().join("about/index.html")));
    let err = site.build();
    assert!(err.contains(" 0 changed, 0 removed"), "{err}");
    // No swap: the same folder and the same file, not a fresh copy or link of them.
    assert_eq!(inode(&site.public()), dir);
    assert_eq!(inode(&site.public().join("about/index.html")), page);
    assert_eq!(leftovers(&site), Vec::<String>::new());
    // A small change moves only its files in, under a journal: the folder and every
    // unchanged file stay where they are.
    let other = inode(&site.public().join("programs/alpha-care/index.html"));
    edit_about(&site, "바뀐 소개.");
    let err = site.build();
    assert!(!err.contains(" 0 changed,"), "{err}");
    assert_eq!(inode(&site.public()), dir);
    assert_ne!(inode(&site.public().join("about/index.html")), page);
    assert_eq!(inode(&site.public().join("programs/alpha-care/index.html")), other);
    assert_eq!(cold(&site), tree(&site.public()));
    assert_eq!(leftovers(&site), Vec::<String>::new());
    // A change to most of the site makes a whole new folder, swapped in at once.
    let config = std::fs::read_to_string(site.root().join("config.toml")).unwrap();
    let title = between_quotes(&config, "title = \"");
    site.write("config.toml", &config.replacen(&format!("title = \"{title}\""), "title = \"새 이름\"", 1));
    let err = site.build();
    assert!(!err.contains(" 0 changed,"), "{err}");
    assert_ne!(inode(&site.public()), dir);
    assert_eq!(cold(&site), tree(&site.public()));
    assert_eq!(leftovers(&site), Vec::<String>::new());
}

fn between_quotes(text: &str, start: &str) -> String {
    let i = text.find(start).expect(start) + start.len();
    text[i..].split('"').next().unwrap().to_string()
}

/// A build killed while it moves a small change into the output (its journal written)
/// leaves some files moved and others not; the next build first carries the journal out,
/// then builds, and gives the bytes of a cold build.
#[test]
fn a_build_killed_while_moving_its_journal_is_completed_by_the_next() {
    let site = Site::fixture("basic");
    site.build();
    let previous = tree(&site.public());
    edit_about(&site, "바뀐 글.");
    site.write("content/programs/alpha-care/index.md", "+++\ndescription = \"알파\"\n+++\n## 개요\n\n바뀐 알파.\n");
    let run = site.run_env(&["build"], &[("GONGSI_TEST_FAULT", "journal-midway")]);
    assert!(!run.status.success());
    let staging: Vec<String> = leftovers(&site).into_iter().filter(|n| n.starts_with(".public.tmp-build-")).collect();
    assert_eq!(staging.len(), 1, "the journal and the files not moved yet stay: {:?}", leftovers(&site));
    assert!(site.root().join(&staging[0]).join(".gongsi-journal").is_file());
    let now = tree(&site.public());
    assert_ne!(previous, now, "killed midway: some files were moved");
    // The next build completes the journal even when nothing else changed since.
    site.build();
    assert_eq!(cold(&site), tree(&site.public()));
    assert!(site.read("about/index.html").contains("바뀐 글."));
    assert!(leftovers(&site).is_empty(), "{:?}", leftovers(&site));
}

/// A small change that removes pages goes in under the journal too: the removed program's
/// files and the folders they leave empty are gone, the output folder stays in place, and
/// the result is what a cold build gives, folder for folder.
#[test]
fn a_journaled_change_removes_files_and_their_empty_folders() {
    use std::os::unix::fs::MetadataExt;
    let site = Site::default_site();
    site.build();
    let slug = "busan-suyeong-gu-child-friendly-city";
    assert!(site.public().join(format!("programs/{slug}/index.html")).is_file());
    let folder = std::fs::metadata(site.public()).unwrap().ino();
    std::fs::remove_dir_all(site.root().join(format!("content/programs/{slug}"))).unwrap();
    // Let the URLs go (the ledger would otherwise ask for redirects).
    for entry in std::fs::read_dir(site.root().join("urls")).unwrap().flatten() {
        let text = std::fs::read_to_string(entry.path()).unwrap();
        let kept: String = text.lines().filter(|l| !l.contains(slug)).map(|l| format!("{l}\n")).collect();
        std::fs::write(entry.path(), kept).unwrap();
    }
    let err = site.build();
    assert!(!err.contains(" 0 removed"), "{err}");
    assert_eq!(std::fs::metadata(site.public()).unwrap().ino(), folder, "moved in under the journal, not swapped");
    let paths: Vec<String> = walkdir::WalkDir::new(site.public())
        .into_iter()
        .filter_map(Result::ok)
        .map(|e| e.path().strip_prefix(site.public()).unwrap().to_string_lossy().into_owned())
        .collect();
    assert!(
        !paths.iter().any(|p| p.contains(slug)),
        "{:?}",
        paths.iter().filter(|p| p.contains(slug)).collect::<Vec<_>>()
    );
    let empty: Vec<&String> =
        paths.iter().filter(|p| site.public().join(p).read_dir().is_ok_and(|mut d| d.next().is_none())).collect();
    assert!(empty.is_empty(), "empty folders left: {empty:?}");
    assert_eq!(cold(&site), tree(&site.public()));
    assert!(leftovers(&site).is_empty(), "{:?}", leftovers(&site));
}
