//! Bad input: clear messages, the right exit code, and the last good site untouched.

mod common;
use common::Site;

fn stderr(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

#[test]
fn an_unknown_field_names_file_line_and_field_and_keeps_the_old_site() {
    let site = Site::fixture("basic");
    site.build();
    let before = std::fs::read(site.public().join("programs/alpha-care/index.html")).unwrap();
    let path = "content/programs/alpha-care/program.toml";
    let text = std::fs::read_to_string(site.root().join(path)).unwrap();
    site.write(path, &text.replace("rate_printed = 97", "rate_printed = 97\nexecuted_typo = 1"));
    let out = site.run(&["build"]);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(err.contains("content/programs/alpha-care/program.toml:"), "{err}");
    assert!(err.contains("unknown field `executed_typo`"), "{err}");
    assert!(err.contains("| executed_typo = 1"), "offending line shown: {err}");
    assert_eq!(
        before,
        std::fs::read(site.public().join("programs/alpha-care/index.html")).unwrap(),
        "old site untouched"
    );
}

#[test]
fn every_error_is_reported_not_only_the_first() {
    let site = Site::fixture("basic");
    let p = "content/programs/alpha-care/program.toml";
    let text = std::fs::read_to_string(site.root().join(p)).unwrap();
    site.write(p, &text.replace("region = \"north-east-si\"", "region = \"nowhere\""));
    let b = "content/programs/beta-no-figures/program.toml";
    let text = std::fs::read_to_string(site.root().join(b)).unwrap();
    site.write(b, &text.replace("category = \"care\"", "category = \"missing\""));
    let out = site.run(&["check"]);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(err.contains("region \"nowhere\" is not in data/regions.toml"), "{err}");
    assert!(err.contains("category \"missing\" is not in data/categories.toml"), "{err}");
}

#[test]
fn a_missing_translation_is_an_error() {
    let site = Site::fixture("basic");
    std::fs::remove_file(site.root().join("content/about.en.md")).unwrap();
    let out = site.run(&["check"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("content/about.md: no English version: add content/about.en.md"), "{}", stderr(&out));
}

#[test]
fn check_writes_nothing() {
    let site = Site::fixture("basic");
    let out = site.run(&["check"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(!site.public().exists());
}

#[test]
fn a_template_error_fails_the_build_and_names_the_template() {
    let site = Site::fixture("basic");
    site.build();
    site.write("templates/page.html", "{% extends \"base.html\" %}{% block content %}{{ trans(key=\"no_such_key\", lang=lang) }}{% endblock content %}");
    let out = site.run(&["build"]);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(err.contains("page.html") && err.contains("no_such_key"), "{err}");
    assert!(site.public().join("about/index.html").exists(), "previous site kept");
}

#[test]
fn a_missing_site_folder_is_a_usage_error() {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_gongsi"))
        .args(["--root", "/nonexistent/site", "build"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn help_works_for_every_command() {
    for cmd in [&["--help"][..], &["build", "--help"], &["check", "--help"], &["serve", "--help"]] {
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_gongsi")).args(cmd).output().unwrap();
        assert!(out.status.success());
        assert!(String::from_utf8_lossy(&out.stdout).contains("Usage"));
    }
}

#[test]
fn hostile_content_comes_out_inert() {
    let site = Site::fixture("basic");
    let p = "content/programs/alpha-care/program.toml";
    let text = std::fs::read_to_string(site.root().join(p)).unwrap();
    let hostile = "name = { ko = \"<script>alert(1)</script>\\u202Egnp.exe\", en = \"=cmd|' /C calc'!A0\" }";
    site.write(p, &text.replace("name = { ko = \"알파 돌봄\", en = \"Alpha Care\" }", hostile));
    site.write(
        "content/programs/alpha-care/index.md",
        "+++\n+++\n<img src=x onerror=alert(1)>\n\n[click](javascript:alert(1)) \"quoted\" 'single'\n",
    );
    site.build();
    let html = site.read("programs/alpha-care/index.html");
    assert!(!html.contains("<script>alert"), "script escaped");
    assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
    assert!(!html.contains("<img src=x"), "raw HTML in markdown escaped");
    assert!(!html.contains("href=\"javascript:"), "javascript: link made inert");
    assert!(!html.contains('\u{202E}'), "right-to-left override dropped");
    let en = site.read("en/programs/alpha-care/index.html");
    assert!(en.contains("=cmd|&#x27; /C calc&#x27;!A0"), "quotes escaped");
    let csv = site.read("data/programs.csv");
    assert!(csv.contains(",'=cmd|' /C calc'!A0,"), "formula cell neutralised: {csv}");
    assert!(!csv.contains('\u{202E}'));
    let svg = site.read("programs/alpha-care/budget.svg");
    assert!(!svg.contains("<script>"));
}

#[test]
fn symlinks_are_not_followed_out_of_the_site() {
    let site = Site::fixture("basic");
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(outside.path().join("secret.md"), "+++\ntitle = \"secret\"\n+++\nSECRET\n").unwrap();
    std::os::unix::fs::symlink(outside.path().join("secret.md"), site.root().join("content/secret.md")).unwrap();
    let out = site.run(&["build"]);
    let err = stderr(&out);
    assert!(err.contains("content/secret.md: symbolic link skipped"), "{err}");
    assert!(!site.public().join("secret/index.html").exists());
}

#[test]
fn an_oversized_file_is_refused() {
    let site = Site::fixture("basic");
    site.write("content/big.md", &format!("+++\ntitle = \"big\"\n+++\n{}", "가".repeat(3 * 1024 * 1024)));
    site.write("content/big.en.md", "+++\ntitle = \"big\"\n+++\n");
    let out = site.run(&["check"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("content/big.md: file is 9437206 bytes, over the limit of 8388608"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn a_published_url_cannot_disappear_without_a_redirect() {
    let site = Site::fixture("basic");
    site.build();
    let ledger = std::fs::read_to_string(site.root().join("urls/current.txt")).unwrap();
    assert!(ledger.contains("\n/programs/beta-no-figures/\n") && ledger.contains("\n/en/programs/beta-no-figures/\n"));
    // Rename the program's slug (and folder) without leaving a redirect: refused.
    let old = site.root().join("content/programs/beta-no-figures");
    let new = site.root().join("content/programs/beta-renamed");
    std::fs::rename(&old, &new).unwrap();
    let toml = std::fs::read_to_string(new.join("program.toml")).unwrap();
    std::fs::write(new.join("program.toml"), toml.replace("slug = \"beta-no-figures\"", "slug = \"beta-renamed\""))
        .unwrap();
    let out = site.run(&["build"]);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(err.contains("urls/current.txt: /programs/beta-no-figures/ was published and would disappear"), "{err}");
    assert!(site.public().join("programs/beta-no-figures/index.html").exists(), "old site kept");
    // With the old URL as an alias, the build passes and leaves a redirect.
    std::fs::write(
        new.join("program.toml"),
        toml.replace(
            "slug = \"beta-no-figures\"",
            "slug = \"beta-renamed\"\naliases = [\"/programs/beta-no-figures/\"]",
        ),
    )
    .unwrap();
    site.build();
    assert!(site
        .read("programs/beta-no-figures/index.html")
        .contains("url=https://fixture.example/programs/beta-renamed/"));
}

#[test]
fn bidi_controls_are_dropped_in_charts_search_indexes_and_json() {
    let site = Site::fixture("basic");
    let p = "content/programs/alpha-care/program.toml";
    let text = std::fs::read_to_string(site.root().join(p)).unwrap();
    let hostile = "name = { ko = \"알파\\u202E돌봄\\u2066\", en = \"Alpha\\u202D Care\\u2069\" }";
    site.write(p, &text.replace("name = { ko = \"알파 돌봄\", en = \"Alpha Care\" }", hostile));
    site.build();
    let bidi = |s: &str| s.chars().any(|c| matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}'));
    let mut checked = 0;
    for f in site.files() {
        if [".svg", ".json", ".js", ".html", ".csv", ".xml"].iter().any(|e| f.ends_with(e)) {
            let s = site.read(&f);
            assert!(!bidi(&s), "{f} holds a bidirectional control");
            checked += 1;
        }
    }
    assert!(checked > 20);
    assert!(site.read("data/programs.json").contains("알파돌봄"), "the text itself is kept");
    assert!(site.read("search/index.ko.json").contains("알파돌봄"));
    assert!(site.read("en/search/index.en.json").contains("Alpha Care"));
    assert!(site.read("cases/alpha-case/budget-amounts.svg").contains("알파돌봄"));
}
