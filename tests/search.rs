//! The search indexes and page: built from the fixture site, one index per language, read
//! back and queried the way `search.js` queries them.

mod common;
use common::Site;
use gongsi::search::Index;

fn index(site: &Site, rel: &str) -> (serde_json::Value, Index) {
    let bytes = std::fs::read(site.public().join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"));
    let json: serde_json::Value = serde_json::from_slice(&bytes).unwrap_or_else(|e| panic!("{rel} is not JSON: {e}"));
    (json, Index::from_json(&bytes).unwrap())
}

fn paths(index: &Index, query: &str) -> Vec<String> {
    index.search(query).into_iter().map(|i| index.docs[i].path.clone()).collect()
}

#[test]
fn each_language_has_an_index_of_its_own_pages() {
    let site = Site::fixture("basic");
    site.build();
    let (ko_json, ko) = index(&site, "search/index.ko.json");
    let (en_json, en) = index(&site, "en/search/index.en.json");
    assert_eq!((ko_json["version"].as_u64(), ko_json["lang"].as_str()), (Some(1), Some("ko")));
    assert_eq!(en_json["lang"], "en");

    let docs = |i: &Index| i.docs.iter().map(|d| (d.kind.clone(), d.path.clone())).collect::<Vec<_>>();
    let owned = |v: &[(&str, &str)]| v.iter().map(|(k, p)| (k.to_string(), p.to_string())).collect::<Vec<_>>();
    // Programs first, then cases, regions, categories and content pages; not the search page.
    assert_eq!(
        docs(&ko),
        owned(&[
            ("program", "/programs/alpha-care/"),
            ("program", "/programs/beta-no-figures/"),
            ("case", "/cases/alpha-case/"),
            ("region", "/regions/north-east-si/"),
            ("region", "/regions/north/"),
            ("region", "/regions/south/"),
            ("category", "/categories/care/"),
            ("page", "/about/"),
            ("page", "/data/"),
        ])
    );
    let en_paths: Vec<_> = docs(&en).into_iter().map(|(_, p)| p).collect();
    assert_eq!(en_paths.len(), ko.docs.len());
    assert!(en_paths.iter().all(|p| p.starts_with("/en/")), "{en_paths:?}");

    let alpha = &ko.docs[0];
    assert_eq!((alpha.title.as_str(), alpha.snippet.as_str()), ("알파 돌봄", "알파"));
    let east = ko.docs.iter().find(|d| d.path == "/regions/north-east-si/").unwrap();
    assert!(east.snippet.starts_with("북도 동시 · 시"), "full name and level: {}", east.snippet);
    let east_en = en.docs.iter().find(|d| d.path == "/en/regions/north-east-si/").unwrap();
    assert!(east_en.snippet.starts_with("Dong-si, Buk-do · City"), "{}", east_en.snippet);

    // Korean by syllables and bigrams, numbers without separators, English by words.
    for term in ["돌봄", "알", "알파", "개요", "26652", "25587", "2022", "방문", "북도", "동시"] {
        assert!(ko.terms.iter().any(|t| t == term), "Korean index lacks {term}");
    }
    for term in ["care", "alpha", "visits", "26652", "dong", "si", "billion"] {
        assert!(en.terms.iter().any(|t| t == term), "English index lacks {term}");
    }
    assert!(!en.terms.iter().any(|t| t == "돌봄"), "no Korean text in the English index");
}

#[test]
fn the_indexes_answer_queries_as_the_page_does() {
    let site = Site::fixture("basic");
    site.build();
    let (_, ko) = index(&site, "search/index.ko.json");
    let (_, en) = index(&site, "en/search/index.en.json");
    let found = paths(&ko, "돌봄");
    assert!(found.contains(&"/programs/alpha-care/".to_string()), "{found:?}");
    assert!(found.contains(&"/categories/care/".to_string()), "{found:?}");
    assert_eq!(paths(&ko, "알파돌봄")[0], "/programs/alpha-care/", "across the space of 알파 돌봄");
    assert_eq!(paths(&ko, "26,652"), ["/programs/alpha-care/"], "printed budget, with separators");
    assert_eq!(paths(&ko, "26652"), ["/programs/alpha-care/"], "and without");
    assert_eq!(paths(&ko, "동시")[0], "/regions/north-east-si/", "region name");
    assert_eq!(paths(&ko, "참여자"), ["/programs/beta-no-figures/"], "a figure's label");
    // "car" is a prefix of care: the category Care (the shorter title) and Alpha Care.
    assert_eq!(paths(&en, "car")[..2], ["/en/categories/care/", "/en/programs/alpha-care/"]);
    assert_eq!(paths(&en, "Dong-si")[0], "/en/regions/north-east-si/");
    assert!(paths(&en, "돌봄").is_empty(), "Korean pages are not in the English index");
}

#[test]
fn the_indexes_are_the_same_bytes_on_every_build() {
    let site = Site::fixture("basic");
    let files = ["search/index.ko.json", "en/search/index.en.json"];
    assert!(site.run_env(&["build"], &[("RAYON_NUM_THREADS", "1")]).status.success());
    let one: Vec<Vec<u8>> = files.iter().map(|f| std::fs::read(site.public().join(f)).unwrap()).collect();
    std::fs::remove_dir_all(site.public()).unwrap();
    assert!(site.run_env(&["build"], &[("RAYON_NUM_THREADS", "4")]).status.success());
    let two: Vec<Vec<u8>> = files.iter().map(|f| std::fs::read(site.public().join(f)).unwrap()).collect();
    assert!(one == two, "index bytes differ between builds");
}

#[test]
fn the_search_page_has_a_labelled_form_and_a_note_without_javascript() {
    let site = Site::fixture("basic");
    site.build();
    for (prefix, lang) in [("", "ko"), ("en/", "en")] {
        let html = site.read(&format!("{prefix}search/index.html"));
        assert!(html.contains("<form role=\"search\""), "{lang}");
        assert!(html.contains("method=\"get\""), "{lang}");
        assert!(
            html.contains("<label for=\"search-q\">") && html.contains("id=\"search-q\" type=\"search\" name=\"q\"")
        );
        assert!(html.contains("<noscript>"), "{lang}");
        assert!(html.contains(&format!("data-index=\"https://fixture.example/{prefix}search/index.{lang}.json\"")));
        assert!(html.contains("search.js\" defer></script>"));
        let home = site.read(&format!("{prefix}index.html"));
        assert!(home.contains(&format!("href=\"https://fixture.example/{prefix}search/\"")), "nav link, {lang}");
    }
    assert!(site.public().join("search.js").is_file());
}
