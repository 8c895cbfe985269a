//! Embeds (iframe pages and oEmbed), share tags (Open Graph, Twitter), JSON-LD and the
//! Atom feeds, on the `basic` fixture.

mod common;
use common::{between, Site};
use serde_json::Value;

const BASE: &str = "https://fixture.example";

/// The fixture with `edition = "2023"` and a data page, built.
fn built_with_edition() -> Site {
    let site = Site::fixture("basic");
    let config = std::fs::read_to_string(site.root().join("config.toml")).unwrap();
    site.write("config.toml", &format!("edition = \"2023\"\n{config}"));
    site.write("content/data.md", "+++\ntitle = \"데이터\"\ndescription = \"사업별 예산과 성과 자료\"\n+++\n자료.\n");
    site.write("content/data.en.md", "+++\ntitle = \"Data\"\ndescription = \"Budgets and results\"\n+++\nData.\n");
    site.build();
    site
}

fn unescape(s: &str) -> String {
    s.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"").replace("&#39;", "'").replace("&amp;", "&")
}

/// The value of `attr` in the first tag of `html` that contains `marker`.
fn attr_of<'a>(html: &'a str, marker: &str, attr: &str) -> Option<&'a str> {
    let at = html.find(marker)?;
    let start = html[..=at].rfind('<')?;
    let end = at + html[at..].find('>')?;
    between(&html[start..=end], &format!("{attr}=\""), "\"")
}

fn prefix(lang: &str) -> &'static str {
    if lang == "en" {
        "en/"
    } else {
        ""
    }
}

/// The site's own pages (not embeds, not redirects), Korean and English.
fn pages(site: &Site) -> Vec<String> {
    site.files()
        .into_iter()
        .filter(|f| f.ends_with(".html") && !f.starts_with("embed/") && !f.starts_with("en/embed/"))
        .filter(|f| !site.read(f).contains("http-equiv=\"refresh\""))
        .collect()
}

#[test]
fn every_chart_has_embed_pages_in_both_forms_and_languages() {
    let site = built_with_edition();
    for lang in ["ko", "en"] {
        let pre = prefix(lang);
        for form in ["latest", "2023"] {
            let file = format!("{pre}embed/{form}/programs/alpha-care/budget/index.html");
            let html = site.read(&file);
            assert!(html.contains(&format!("<html lang=\"{lang}\">")), "{file}: lang");
            assert!(html.contains("<meta name=\"robots\" content=\"noindex\">"), "{file}: noindex");
            assert!(!html.contains("<nav") && !html.contains("site-header"), "{file}: no chrome");
            // One script only: the one that posts the page's height to the host page.
            assert_eq!(html.matches("<script").count(), 1, "{file}: one script");
            assert!(html.contains("postMessage") && html.contains("embed-height"), "{file}: posts its height");

            let src = attr_of(&html, "<img", "src").expect("an img");
            let alt = attr_of(&html, "<img", "alt").expect("an alt");
            assert!(!alt.trim().is_empty(), "{file}: alt");
            if lang == "ko" {
                assert!(alt.contains("예산"), "{file}: Korean alt: {alt}");
            }
            let svg = site.read(&format!("{pre}programs/alpha-care/budget.svg"));
            if form == "latest" {
                assert_eq!(src, format!("{BASE}/{pre}programs/alpha-care/budget.svg"), "follows the page's chart");
            } else {
                // The page-width drawing on its own (the chart's file also holds the phone one).
                use base64::Engine as _;
                let inside = src.strip_prefix("data:image/svg+xml;base64,").expect("carries the chart inside");
                let inside =
                    String::from_utf8(base64::engine::general_purpose::STANDARD.decode(inside).unwrap()).unwrap();
                let desc = |s: &str| between(s, "<desc", "</desc>").map(str::to_string);
                assert_eq!(desc(&inside), desc(&svg), "the chart's own drawing: one self-contained file");
                assert!(inside.starts_with("<svg ") && !inside.contains("<view "), "{inside}");
                assert!(html.contains("2023"), "names its edition");
            }

            let table = between(&html, "<details>", "</details>").expect("numbers in a collapsible table");
            assert!(
                table.contains("<summary>")
                    && table.contains("<caption")
                    && table.contains("<th scope=\"row\">2022</th>")
            );
            assert!(table.contains("96.0%"), "{table}");
            let footer = between(&html, "<footer>", "</footer>").expect("a footer");
            let (source, page) =
                if lang == "ko" { ("시험 사례집", "4쪽") } else { ("Test Casebook", "p.&#8239;4") };
            assert!(footer.contains(source) && footer.contains(page), "{file}: source line: {footer}");
            let back = format!("href=\"{BASE}/{pre}programs/alpha-care/");
            assert!(html.contains(&back), "{file}: links back to its program page");
            let oembed = format!("{BASE}/{pre}embed/{form}/programs/alpha-care/budget/oembed.json");
            if form == "latest" {
                assert_eq!(attr_of(&html, "application/json+oembed", "href"), Some(oembed.as_str()));
            } else {
                assert!(!html.contains("json+oembed"), "oEmbed answers for the form that follows updates");
            }
        }
    }
    // Every chart of every page kind, not only programs': region, category, case, home.
    for (file, back) in [
        ("embed/latest/regions/north/execution/index.html", "/regions/north/"),
        ("en/embed/2023/categories/care/achievement/index.html", "/en/categories/care/"),
        ("embed/2023/cases/alpha-case/execution/index.html", "/cases/alpha-case/"),
        ("en/embed/latest/execution-by-region/index.html", "/en/"),
    ] {
        let html = site.read(file);
        assert!(html.contains(&format!("href=\"{BASE}{back}")), "{file} links back to {back}");
        assert!(html.contains("Test Casebook") || html.contains("시험 사례집"), "{file}: source");
    }
    // The program without figures has no chart, so no embed.
    assert!(!site.public().join("embed/latest/programs/beta-no-figures").exists());
}

#[test]
fn without_an_edition_only_the_latest_form_is_made() {
    let site = Site::fixture("basic");
    site.build();
    let embeds: Vec<String> = site.files().into_iter().filter(|f| f.starts_with("embed/")).collect();
    assert!(!embeds.is_empty());
    assert!(embeds.iter().all(|f| f.starts_with("embed/latest/")), "{embeds:?}");
    let html = site.read("programs/alpha-care/index.html");
    assert!(html.contains("id=\"embed-latest-budget\"") && !html.contains("id=\"embed-edition-budget\""));
}

#[test]
fn charts_offer_an_iframe_snippet_and_an_oembed_answer() {
    let site = built_with_edition();
    for lang in ["ko", "en"] {
        let pre = prefix(lang);
        let html = site.read(&format!("{pre}programs/alpha-care/index.html"));
        let figure = between(&html, "id=\"chart-budget\"", "</figure>").unwrap();
        let snippet =
            between(figure, "<details class=\"embed-code\">", "</details>").expect("embed code beside the chart");
        assert!(snippet.contains("<summary>"), "readable without JS: a details element");
        for (form, id) in [("latest", "embed-latest-budget"), ("2023", "embed-edition-budget")] {
            assert!(snippet.contains(&format!("<label for=\"{id}\">")), "{lang} {form}: labelled");
            let code = unescape(between(snippet, &format!("id=\"{id}\" readonly"), "</textarea>").unwrap());
            let code = code.split_once('>').unwrap().1;
            let url = format!("{BASE}/{pre}embed/{form}/programs/alpha-care/budget/");
            assert!(code.starts_with(&format!("<iframe src=\"{url}\" title=\"")), "{code}");
            assert!(code.contains("></iframe>\n<script>") && code.ends_with("</script>"), "{code}");
            // The host's script takes heights from the site's own origin only.
            assert!(code.contains(&format!("e.origin!==\"{BASE}\"")), "{code}");
            // Without JavaScript the frame fits the page with its table closed: the chart
            // and the lines around it.
            let h: u32 = between(code, "height=\"", "\"").unwrap().parse().unwrap();
            let chart_h: u32 = attr_of(figure, "<img", "height").unwrap().parse().unwrap();
            assert!(h > chart_h + 120 && h < chart_h + 260, "height {h} for a chart {chart_h} high");
            let title = between(code, "title=\"", "\"").unwrap();
            assert!(title.contains(if lang == "ko" { "알파 돌봄" } else { "Alpha Care" }), "{title}");
        }

        // Discoverable from the page, one link per chart, and valid oEmbed.
        let oembed_url = format!("{BASE}/{pre}embed/latest/programs/alpha-care/budget/oembed.json");
        let head = between(&html, "<head>", "</head>").unwrap();
        let link = format!("<link rel=\"alternate\" type=\"application/json+oembed\" href=\"{oembed_url}\" title=\"");
        assert!(head.contains(&link), "{lang}: oEmbed link in head");
        assert_eq!(head.matches("application/json+oembed").count(), 1, "the page's first chart only");
        assert!(!site.public().join(format!("{pre}embed/latest/programs/alpha-care/kpi/oembed.json")).exists());
        let kpi = site.read(&format!("{pre}embed/latest/programs/alpha-care/kpi/index.html"));
        assert!(!kpi.contains("json+oembed"), "no answer to link for a later chart");
        let json: Value =
            serde_json::from_str(&site.read(&format!("{pre}embed/latest/programs/alpha-care/budget/oembed.json")))
                .expect("oEmbed is JSON");
        assert_eq!(json["version"], "1.0");
        assert_eq!(json["type"], "rich");
        assert!(json["title"].as_str().unwrap().contains(if lang == "ko" { "알파 돌봄" } else { "Alpha Care" }));
        assert_eq!(json["provider_name"], if lang == "ko" { "픽스처 공시" } else { "Fixture Disclosure" });
        assert_eq!(json["provider_url"], format!("{BASE}/{pre}"));
        let (w, h) = (json["width"].as_u64().unwrap(), json["height"].as_u64().unwrap());
        let code = unescape(between(snippet, "id=\"embed-latest-budget\" readonly", "</textarea>").unwrap());
        assert_eq!(json["html"].as_str().unwrap(), code.split_once('>').unwrap().1, "the same iframe as the page");
        assert!(json["html"].as_str().unwrap().contains(&format!("width=\"{w}\" height=\"{h}\"")));
        let chart_w: u64 = attr_of(figure, "<img", "width").unwrap().parse().unwrap();
        let chart_h: u64 = attr_of(figure, "<img", "height").unwrap().parse().unwrap();
        assert!(w > chart_w && h > chart_h, "the frame has room for the chart: {w}×{h} vs {chart_w}×{chart_h}");
        // One oEmbed answer per chart and language.
        assert!(!site.public().join(format!("{pre}embed/2023/programs/alpha-care/budget/oembed.json")).exists());
    }
}

#[test]
fn every_page_has_open_graph_and_twitter_tags_and_its_feed() {
    let site = built_with_edition();
    let pages = pages(&site);
    assert!(pages.len() >= 20, "{pages:?}");
    for f in pages {
        let html = site.read(&f);
        let head = between(&html, "<head>", "</head>").unwrap();
        let en = f.starts_with("en/");
        let meta = |property: &str| {
            let tag = format!("<meta property=\"{property}\" content=\"");
            between(head, &tag, "\"").unwrap_or_else(|| panic!("{f}: no {property}")).to_string()
        };
        assert!(!meta("og:title").is_empty(), "{f}");
        assert_eq!(meta("og:site_name"), if en { "Fixture Disclosure" } else { "픽스처 공시" }, "{f}");
        let canonical = between(head, "<link rel=\"canonical\" href=\"", "\"").unwrap();
        assert_eq!(meta("og:url"), canonical, "{f}");
        assert!(["website", "article"].contains(&meta("og:type").as_str()), "{f}");
        assert_eq!(meta("og:locale"), if en { "en_US" } else { "ko_KR" }, "{f}");
        assert_eq!(meta("og:locale:alternate"), if en { "ko_KR" } else { "en_US" }, "{f}");
        head.find("<meta property=\"og:description\" content=\"").unwrap_or_else(|| panic!("{f}: og:description"));
        // Every page shares a picture (a program its first chart, any other page the home
        // chart), so the card is the large-image one, with the same picture.
        let image = meta("og:image");
        assert!(image.starts_with(BASE) && image.ends_with(".png"), "{f}: og:image {image}");
        assert!(head.contains("<meta name=\"twitter:card\" content=\"summary_large_image\">"), "{f}");
        assert!(head.contains(&format!("<meta name=\"twitter:image\" content=\"{image}\">")), "{f}");
        let feed = format!("{BASE}/{}atom.xml", if en { "en/" } else { "" });
        assert!(
            head.contains(&format!("<link rel=\"alternate\" type=\"application/atom+xml\" href=\"{feed}\"")),
            "{f}: feed link"
        );
    }
    let program = site.read("programs/alpha-care/index.html");
    assert!(program.contains("<meta property=\"og:description\" content=\"알파\">"), "the page's own description");
}

fn json_ld(html: &str, file: &str) -> Value {
    let text = between(html, "<script type=\"application/ld+json\">", "</script>")
        .unwrap_or_else(|| panic!("{file}: no JSON-LD"));
    let v: Value = serde_json::from_str(text).unwrap_or_else(|e| panic!("{file}: JSON-LD does not parse: {e}\n{text}"));
    assert_eq!(v["@context"], "https://schema.org", "{file}");
    v
}

#[test]
fn json_ld_parses_and_describes_programs_and_the_dataset() {
    let site = built_with_edition();
    for f in pages(&site).into_iter().filter(|f| !f.ends_with("404.html")) {
        let v = json_ld(&site.read(&f), &f);
        assert!(v["@type"].is_string() && v["name"].is_string() && v["url"].is_string(), "{f}: {v}");
        assert_eq!(v["inLanguage"], if f.starts_with("en/") { "en" } else { "ko" }, "{f}");
    }
    assert!(!site.read("404.html").contains("application/ld+json"));

    for (lang, pre) in [("ko", ""), ("en", "en/")] {
        let file = format!("{pre}programs/alpha-care/index.html");
        let v = json_ld(&site.read(&file), &file);
        assert_eq!(v["@type"], "WebPage");
        assert_eq!(v["url"], format!("{BASE}/{pre}programs/alpha-care/"));
        let service = &v["mainEntity"];
        assert_eq!(service["@type"], "GovernmentService");
        assert_eq!(service["name"], if lang == "ko" { "알파 돌봄" } else { "Alpha Care" });
        assert_eq!(service["description"], if lang == "ko" { "알파" } else { "Alpha" });
        assert_eq!(service["url"], v["url"]);
        assert_eq!(service["areaServed"]["@type"], "AdministrativeArea");
        let area = service["areaServed"]["name"].as_str().unwrap();
        assert!(area.contains(if lang == "ko" { "동시" } else { "Dong-si" }), "{area}");
        assert_eq!(service["provider"]["@type"], "GovernmentOrganization");
        assert_eq!(v["isBasedOn"]["name"], if lang == "ko" { "시험 사례집" } else { "Test Casebook" });

        let file = format!("{pre}data/index.html");
        let d = json_ld(&site.read(&file), &file);
        assert_eq!(d["@type"], "Dataset");
        assert_eq!(d["name"], if lang == "ko" { "데이터" } else { "Data" });
        assert!(!d["description"].as_str().unwrap().is_empty());
        assert_eq!(d["url"], format!("{BASE}/{pre}data/"));
        assert_eq!(d["inLanguage"], lang);
        assert_eq!(d["version"], "2023");
        assert_eq!(d["temporalCoverage"], "2021/2022");
        let files: Vec<&str> =
            d["distribution"].as_array().unwrap().iter().map(|x| x["contentUrl"].as_str().unwrap()).collect();
        assert!(files.contains(&format!("{BASE}/data/programs.csv").as_str()), "{files:?}");
        for url in files {
            let rel = url.strip_prefix(&format!("{BASE}/")).unwrap();
            assert!(site.public().join(rel).is_file(), "{url} is published");
        }
    }
    assert_eq!(json_ld(&site.read("index.html"), "index.html")["@type"], "WebSite");
}

#[test]
fn atom_feeds_are_well_formed_and_list_programs_and_cases() {
    let site = built_with_edition();
    for (lang, pre) in [("ko", ""), ("en", "en/")] {
        let text = site.read(&format!("{pre}atom.xml"));
        let doc = roxmltree::Document::parse(&text).unwrap_or_else(|e| panic!("{pre}atom.xml: {e}"));
        let atom = "http://www.w3.org/2005/Atom";
        let feed = doc.root_element();
        assert!(feed.has_tag_name((atom, "feed")));
        assert_eq!(feed.attribute(("http://www.w3.org/XML/1998/namespace", "lang")), Some(lang));
        let child = |n: roxmltree::Node<'_, '_>, name: &str| {
            n.children().find(|c| c.has_tag_name((atom, name))).and_then(|c| c.text()).map(str::to_string)
        };
        let self_url = format!("{BASE}/{pre}atom.xml");
        assert_eq!(child(feed, "id").as_deref(), Some(self_url.as_str()));
        assert!(feed.children().any(|c| c.has_tag_name((atom, "link"))
            && c.attribute("rel") == Some("self")
            && c.attribute("href") == Some(self_url.as_str())));
        assert_eq!(child(feed, "updated").as_deref(), Some("2023-01-01T00:00:00Z"), "the edition's date");
        assert!(feed.children().any(|c| c.has_tag_name((atom, "author"))), "feed-level author");
        let entries: Vec<_> = feed.children().filter(|c| c.has_tag_name((atom, "entry"))).collect();
        let mut ids: Vec<String> = entries.iter().map(|e| child(*e, "id").expect("entry id")).collect();
        for e in &entries {
            assert!(child(*e, "title").is_some_and(|t| !t.is_empty()));
            assert_eq!(child(*e, "updated").as_deref(), Some("2023-01-01T00:00:00Z"));
            let link = e.children().find(|c| c.has_tag_name((atom, "link"))).unwrap();
            assert_eq!(link.attribute("href").map(str::to_string), child(*e, "id"));
        }
        ids.sort();
        let mut want: Vec<String> = ["cases/alpha-case/", "programs/alpha-care/", "programs/beta-no-figures/"]
            .iter()
            .map(|p| format!("{BASE}/{pre}{p}"))
            .collect();
        want.sort();
        assert_eq!(ids, want, "{lang}: every program and case, nothing else");
        let title = child(entries[0], "title").unwrap();
        assert_eq!(title, if lang == "ko" { "알파 돌봄" } else { "Alpha Care" });
    }
}

#[test]
fn feed_dates_come_from_content_not_the_clock() {
    let site = Site::fixture("basic");
    let md = "content/programs/alpha-care/index.md";
    let text = std::fs::read_to_string(site.root().join(md)).unwrap();
    site.write(md, &text.replacen("+++\n", "+++\ndate = 2024-03-05\n", 1));
    site.build();
    let first = site.read("atom.xml");
    let alpha = between(&first, "<id>https://fixture.example/programs/alpha-care/</id>", "</entry>").unwrap();
    assert!(alpha.contains("<updated>2024-03-05T00:00:00Z</updated>"), "{alpha}");
    let beta = between(&first, "<id>https://fixture.example/programs/beta-no-figures/</id>", "</entry>").unwrap();
    assert!(beta.contains("<updated>1970-01-01T00:00:00Z</updated>"), "no edition, no date: {beta}");
    assert!(first.contains("  <updated>2024-03-05T00:00:00Z</updated>\n"), "the feed is as new as its newest entry");
    std::thread::sleep(std::time::Duration::from_millis(1100));
    std::fs::remove_dir_all(site.public()).unwrap();
    site.build();
    assert_eq!(site.read("atom.xml"), first, "the same bytes on another build");
}

#[test]
fn embeds_stay_out_of_the_sitemap_and_are_not_blocked() {
    let site = built_with_edition();
    let sitemap = site.read("sitemap.xml");
    assert!(!sitemap.contains("/embed/"));
    assert!(sitemap.contains(&format!("<loc>{BASE}/programs/alpha-care/</loc>")));
    // Crawlers must be allowed to fetch embed pages to see their noindex.
    let robots = site.read("robots.txt");
    assert!(!robots.contains("Disallow: /embed"), "{robots}");
    let embeds: Vec<String> =
        site.files().into_iter().filter(|f| f.contains("embed/") && f.ends_with(".html")).collect();
    assert!(embeds.len() >= 8, "{embeds:?}");
    for f in embeds {
        assert!(site.read(&f).contains("<meta name=\"robots\" content=\"noindex\">"), "{f}");
    }
}

#[test]
fn an_edition_that_cannot_name_urls_is_an_error() {
    let site = Site::fixture("basic");
    let config = std::fs::read_to_string(site.root().join("config.toml")).unwrap();
    for bad in ["latest", "../up"] {
        site.write("config.toml", &format!("edition = \"{bad}\"\n{config}"));
        let out = site.run(&["check"]);
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{err}");
        assert!(err.contains(&format!("edition \"{bad}\" must be")), "{err}");
    }
}

#[test]
fn a_site_can_turn_embeds_off() {
    let site = Site::fixture("basic");
    let config = std::fs::read_to_string(site.root().join("config.toml")).unwrap();
    site.write("config.toml", &format!("edition = \"2023\"\n{config}\n[extra]\nembeds = false\n"));
    site.build();
    assert!(site.files().iter().all(|f| !f.contains("embed/")));
    let html = site.read("programs/alpha-care/index.html");
    assert!(!html.contains("embed-code") && !html.contains("json+oembed"));
    assert!(html.contains("<img") && html.contains("og:title"), "charts and share tags stay");
}

/// Ids were renamed once (programme-* to program-*): a renamed series or figure keeps what
/// it published under the old id. Its anchors stay on both pages, its chart files are the
/// same bytes under the old names, and its old embed pages redirect to the new ones.
#[test]
fn a_renamed_id_keeps_its_anchors_files_and_embeds() {
    let site = Site::default_site();
    site.build();
    let prog = "programs/incheon-emergency-welfare/";
    for lang in ["", "en/"] {
        let html = site.read(&format!("{lang}{prog}index.html"));
        for anchor in ["chart-programme-budget", "series-programme-budget", "chart-program-budget"] {
            assert!(html.contains(&format!("id=\"{anchor}\"")), "{lang}{prog}: #{anchor}");
        }
        let html =
            site.read(&format!("{lang}programs/chungnam-yesan-gun-disability-vocational-rehabilitation/index.html"));
        assert!(html.contains("id=\"figure-programmes-surveyed\""), "{lang}: the old figure anchor");
    }
    let public = site.public();
    for file in ["{}.svg", "{}.png"] {
        let new = std::fs::read(public.join(prog).join(file.replace("{}", "program-budget")));
        let old = std::fs::read(public.join(prog).join(file.replace("{}", "programme-budget")));
        // Only the page's shared picture has a PNG: the old name has one exactly when the new does.
        match (new, old) {
            (Ok(new), Ok(old)) => assert_eq!(old, new, "{file}: the same bytes under the old name"),
            (Err(_), Err(_)) if file.ends_with(".png") => {}
            (new, old) => panic!("{file}: new {:?}, old {:?}", new.map(|b| b.len()), old.map(|b| b.len())),
        }
    }
    for form in ["latest", "2023"] {
        let old = site.read(&format!("embed/{form}/{prog}programme-budget/index.html"));
        assert!(
            old.contains(&format!("/embed/{form}/{prog}program-budget/")),
            "the old {form} embed page redirects to the new one: {old}"
        );
        let new = site.read(&format!("embed/{form}/{prog}program-budget/index.html"));
        // The edition's page holds its chart inline (frozen); the latest one links the file.
        assert!(
            new.contains("<img") && !new.contains("http-equiv=\"refresh\""),
            "the new {form} embed page is the chart"
        );
    }
}
