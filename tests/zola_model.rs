//! Zola's model in gongsi, beyond the differential sites: what a Zola user is told when
//! something is wrong, and the checks gongsi adds before anything renders.

use std::fs;
use std::path::Path;
use std::process::Command;

fn site(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let mut all = vec![
        ("zola.toml", "base_url = \"https://example.org\"\ntitle = \"T\"\n"),
        ("templates/index.html", "{{ section.title }}{% for p in section.pages %}[{{ p.title }}]{% endfor %}"),
        ("templates/page.html", "<p>{{ page.title }}</p>{{ page.content | safe }}"),
        ("templates/section.html", "{{ section.title }}"),
        ("content/_index.md", "+++\ntitle = \"Home\"\nsort_by = \"weight\"\n+++\n"),
    ];
    all.extend_from_slice(files);
    for (rel, text) in all {
        let p = dir.path().join(rel);
        fs::create_dir_all(p.parent().unwrap()).unwrap();
        fs::write(p, text).unwrap();
    }
    dir
}

fn build(root: &Path) -> (bool, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_gongsi"))
        .arg("--root")
        .arg(root)
        .args(["build", "--output"])
        .arg(root.join("public"))
        .output()
        .unwrap();
    (out.status.success(), String::from_utf8_lossy(&out.stderr).into_owned())
}

#[test]
fn unknown_config_keys_warn_with_a_suggestion_and_the_site_builds() {
    let s = site(&[(
        "zola.toml",
        "base_url = \"https://example.org\"\ntitle = \"T\"\ncompile_sass = false\nbuild_serch_index = true\n",
    )]);
    let (ok, err) = build(s.path());
    assert!(ok, "{err}");
    assert!(
        err.contains(
            "zola.toml:4:1: unknown config key `build_serch_index` is ignored; did you mean `build_search_index`?"
        ),
        "{err}"
    );
}

#[test]
fn sections_list_their_pages_in_order_and_drafts_stay_out() {
    let s = site(&[
        ("content/b.md", "+++\ntitle = \"B\"\nweight = 2\n+++\n"),
        ("content/a.md", "+++\ntitle = \"A\"\nweight = 1\n+++\n"),
        ("content/c.md", "+++\ntitle = \"C\"\nweight = 3\ndraft = true\n+++\n"),
    ]);
    let (ok, err) = build(s.path());
    assert!(ok, "{err}");
    assert_eq!(fs::read_to_string(s.path().join("public/index.html")).unwrap(), "Home[A][B]");
    assert!(!s.path().join("public/c/index.html").exists(), "a draft is not built");
}

#[test]
fn an_alias_onto_another_page_is_an_error_before_anything_renders() {
    let s = site(&[
        ("content/a.md", "+++\ntitle = \"A\"\n+++\n"),
        ("content/b.md", "+++\ntitle = \"B\"\naliases = [\"/a/\"]\n+++\n"),
    ]);
    let (ok, err) = build(s.path());
    assert!(!ok);
    assert!(err.contains("the URL /a/ is claimed more than once: content/a.md, content/b.md (alias)"), "{err}");
    assert!(!s.path().join("public").exists(), "nothing written");
}

#[test]
fn broken_internal_links_and_missing_shortcodes_name_their_file() {
    let s = site(&[("content/a.md", "+++\ntitle = \"A\"\n+++\nSee [x](@/nowhere.md).\n")]);
    let (ok, err) = build(s.path());
    assert!(!ok);
    assert!(err.contains("content/a.md:4:9: link to @/nowhere.md: no such content file"), "{err}");
    let s = site(&[("content/a.md", "+++\ntitle = \"A\"\n+++\n{{ video(id=1) }}\n")]);
    let (ok, err) = build(s.path());
    assert!(!ok);
    assert!(err.contains("content/a.md: shortcode `video` not found"), "{err}");
}

#[test]
fn a_lone_tilde_is_text_in_zola_sites_too() {
    // Zola 0.22.1 writes exactly these (its pulldown-cmark treats `~` like `_`).
    let s = site(&[(
        "content/a.md",
        "+++\ntitle = \"A\"\n+++\n월~금 07:30~09:30, ~~old~~\n\nx ~a~ y \"??~?~?~??\" 3~4 ~\n",
    )]);
    let (ok, err) = build(s.path());
    assert!(ok, "{err}");
    let html = fs::read_to_string(s.path().join("public/a/index.html")).unwrap();
    assert!(html.contains("월~금 07:30~09:30, <del>old</del>"), "{html}");
    assert!(html.contains("x <del>a</del> y &quot;??<del>?</del>?~??&quot; 3~4 ~"), "{html}");
}

#[test]
fn bundle_assets_keep_their_subfolders_and_empty_taxonomies_write_nothing() {
    let s = site(&[
        ("zola.toml", "base_url = \"https://example.org\"\ntitle = \"T\"\ntaxonomies = [{name = \"tags\"}]\n"),
        ("content/post/index.md", "+++\ntitle = \"P\"\n+++\n"),
        ("content/post/skins/blue.txt", "blue"),
        ("content/post/top.txt", "top"),
    ]);
    let (ok, err) = build(s.path());
    assert!(ok, "{err}");
    assert_eq!(fs::read_to_string(s.path().join("public/post/skins/blue.txt")).unwrap(), "blue");
    assert_eq!(fs::read_to_string(s.path().join("public/post/top.txt")).unwrap(), "top");
    assert!(!s.path().join("public/tags").exists(), "no terms, no taxonomy pages");
}

/// As Zola 0.22.1: an unknown highlighting theme stops the build; so does a fence language
/// giallo does not know when `error_on_missing_language = true` (otherwise it is plain text).
#[test]
fn highlighting_errors_name_the_theme_and_the_language() {
    let s = site(&[
        ("zola.toml", "base_url = \"https://example.org\"\n[markdown.highlighting]\ntheme = \"no-such-theme\"\n"),
        ("content/a.md", "+++\ntitle = \"A\"\n+++\n```rust\nfn main() {}\n```\n"),
    ]);
    let (ok, err) = build(s.path());
    assert!(!ok && err.contains("theme `no-such-theme` does not exist"), "{err}");

    let strict = "base_url = \"https://example.org\"\n[markdown.highlighting]\ntheme = \"nord\"\nerror_on_missing_language = true\n";
    let s = site(&[("zola.toml", strict), ("content/a.md", "+++\ntitle = \"A\"\n+++\n```klingon\nx\n```\n")]);
    let (ok, err) = build(s.path());
    assert!(!ok && err.contains("Language `klingon` not found") && err.contains("a.md"), "{err}");

    let lenient = strict.replace("error_on_missing_language = true\n", "");
    let s = site(&[("zola.toml", &lenient), ("content/a.md", "+++\ntitle = \"A\"\n+++\n```klingon\nx\n```\n")]);
    let (ok, err) = build(s.path());
    assert!(ok, "{err}");
    let html = fs::read_to_string(s.path().join("public/a/index.html")).unwrap();
    assert!(html.contains("<code data-lang=\"plain\"><span class=\"giallo-l\"><span>x</span></span></code>"), "{html}");
}

/// As Zola 0.22.1 (checked with the binary): with `style = "class"` the generated
/// `giallo.css` replaces a theme's `static/giallo.css`, but not the site's own.
#[test]
fn generated_highlighting_css_beats_the_themes_file_not_the_sites() {
    let config = "base_url = \"https://example.org\"\ntheme = \"t\"\n[markdown.highlighting]\ntheme = \"nord\"\nstyle = \"class\"\n";
    let theme = [
        ("zola.toml", config),
        ("themes/t/theme.toml", "name = \"t\"\n"),
        ("themes/t/static/giallo.css", "/* theme */\n"),
    ];
    let s = site(&theme);
    let (ok, err) = build(s.path());
    assert!(ok, "{err}");
    let css = fs::read_to_string(s.path().join("public/giallo.css")).unwrap();
    assert!(css.contains("theme \"nord\" generated by giallo") && css.contains(".z-code"), "{css}");

    let mut own = theme.to_vec();
    own.push(("static/giallo.css", "/* site */\n"));
    let s = site(&own);
    let (ok, err) = build(s.path());
    assert!(ok, "{err}");
    assert_eq!(fs::read_to_string(s.path().join("public/giallo.css")).unwrap(), "/* site */\n");
}
