//! Building fixture sites end to end and checking what comes out.

mod common;
use common::{between, Site};

#[test]
fn program_page_shows_figures_computed_rates_and_printed_ones() {
    let site = Site::fixture("basic");
    site.build();
    let ko = site.read("programs/alpha-care/index.html");
    // 26,652백만원 → 266억 5,200만 원; 25,587/26,652 = 96.0 %; printed 97 % is flagged.
    assert!(ko.contains("266억 5,200만 원"), "budget in won");
    assert!(ko.contains("255억 8,700만 원"), "executed in won");
    assert!(ko.contains("26,652 백만원"), "printed figure and unit kept");
    let row_2022 = between(&ko, "id=\"budget-2022\"", "</tr>").expect("budget row anchor");
    assert!(row_2022.contains("96.0%"), "computed rate: {row_2022}");
    assert!(row_2022.contains("97%"), "printed rate: {row_2022}");
    assert!(row_2022.contains("⚠"), "mismatch flagged: {row_2022}");
    let row_2021 = between(&ko, "id=\"budget-2021\"", "</tr>").unwrap();
    assert!(row_2021.contains("50.0%") && !row_2021.contains("⚠"), "{row_2021}");
    let kpi = between(&ko, "id=\"kpi-visits\"", "</tr>").unwrap();
    assert!(kpi.contains("150.0%"), "120/80: {kpi}");
    let qual = between(&ko, "id=\"kpi-certified\"", "</tr>").unwrap();
    assert!(qual.contains("정성 지표") && !qual.contains("100.0%"), "qualitative KPI never shown as a rate: {qual}");

    let en = site.read("en/programs/alpha-care/index.html");
    assert!(en.contains("KRW 26.652 billion") && en.contains("KRW 25.587 billion"), "English amounts");
    assert!(between(&en, "id=\"budget-2022\"", "</tr>").unwrap().contains("96.0%"));
    assert!(en.contains("<html lang=\"en\">") && ko.contains("<html lang=\"ko\">"));
}

#[test]
fn program_without_figures_says_so() {
    let site = Site::fixture("basic");
    site.build();
    let ko = site.read("programs/beta-no-figures/index.html");
    assert!(ko.contains("class=\"no-figures\""), "plain statement");
    assert!(!ko.contains("<img"), "no chart for a program without figures");
    assert!(ko.contains("figure-people"), "its single figure is still shown");
    let with = site.read("programs/alpha-care/index.html");
    assert!(!with.contains("class=\"no-figures\""));
}

#[test]
fn charts_are_svg_with_text_alternatives_and_tables() {
    let site = Site::fixture("basic");
    site.build();
    for lang in ["", "en/"] {
        let html = site.read(&format!("{lang}programs/alpha-care/index.html"));
        for id in ["budget", "kpi"] {
            let svg = site.read(&format!("{lang}programs/alpha-care/{id}.svg"));
            assert!(svg.starts_with("<svg role=\"img\" aria-labelledby=\""), "{id}");
            assert!(svg.contains(&format!("<title id=\"{id}-title\">")) && svg.contains("<desc"), "{id}");
            assert!(html.contains(&format!("{id}.svg\" alt=\"")), "img with alt for {id}");
        }
        let kpi = site.read(&format!("{lang}programs/alpha-care/kpi.svg"));
        assert!(kpi.contains("150.0%"), "the over-100 % value is written");
        assert!(kpi.contains(if lang.is_empty() { "목표 100%" } else { "Target 100%" }), "100 % line labelled");
        assert!(
            kpi.contains(if lang.is_empty() {
                "정성 지표: 인증 / 인증"
            } else {
                "qualitative: Certified / Certified"
            }),
            "qualitative KPI written out"
        );
        assert!(html.contains("<caption"), "a table beside the chart");
    }
    // The over-100 % bar (drawn in the "over" colour) reaches past the 100 % line instead
    // of being clipped at it.
    let kpi = site.read("programs/alpha-care/kpi.svg");
    let line_x: i32 = between(&kpi, "stroke=\"#000000\" stroke-width=\"2\" points=\"", ",").unwrap().parse().unwrap();
    let bar =
        kpi.lines().find(|l| l.starts_with("<rect") && l.contains("fill=\"#D55E00\"")).expect("an over-100 % bar");
    let x: i32 = between(bar, "x=\"", "\"").unwrap().parse().unwrap();
    let width: i32 = between(bar, "width=\"", "\"").unwrap().parse().unwrap();
    assert!(x + width > line_x + 50, "bar ends at {} vs 100 % line at {line_x}", x + width);
}

#[test]
fn every_page_links_its_twin_with_hreflang_and_canonical() {
    let site = Site::fixture("basic");
    site.build();
    let pages: Vec<String> = site
        .files()
        .into_iter()
        .filter(|f| {
            // Embed pages (noindex, tests/embed.rs) are not pages of the site's own.
            f.ends_with("index.html")
                && !f.starts_with("en/")
                && !f.starts_with("embed/")
                && !site.read(f).contains("http-equiv=\"refresh\"")
        })
        .collect();
    assert!(pages.len() >= 10, "{pages:?}");
    for ko_file in pages {
        let path = format!("/{}", ko_file.trim_end_matches("index.html"));
        let en_file = format!("en/{ko_file}");
        let (ko, en) = (site.read(&ko_file), site.read(&en_file));
        let ko_url = format!("https://fixture.example{path}");
        let en_url = format!("https://fixture.example/en{path}");
        for html in [&ko, &en] {
            assert!(html.contains(&format!("<link rel=\"alternate\" hreflang=\"ko\" href=\"{ko_url}\">")), "{ko_file}");
            assert!(html.contains(&format!("<link rel=\"alternate\" hreflang=\"en\" href=\"{en_url}\">")), "{ko_file}");
            assert!(
                html.contains(&format!("<link rel=\"alternate\" hreflang=\"x-default\" href=\"{ko_url}\">")),
                "{ko_file}"
            );
        }
        assert!(ko.contains(&format!("<link rel=\"canonical\" href=\"{ko_url}\">")), "{ko_file}");
        assert!(en.contains(&format!("<link rel=\"canonical\" href=\"{en_url}\">")), "{en_file}");
        assert!(ko.contains(&format!("class=\"lang-switch\" href=\"{en_url}\"")), "ko → en switch on {ko_file}");
        assert!(en.contains(&format!("class=\"lang-switch\" href=\"{ko_url}\"")), "en → ko switch on {en_file}");
    }
}

#[test]
fn sitemap_lists_every_page_with_alternates() {
    let site = Site::fixture("basic");
    site.build();
    let sitemap = site.read("sitemap.xml");
    for f in site.files().iter().filter(|f| f.ends_with("index.html")) {
        if f.starts_with("embed/") || f.starts_with("en/embed/") {
            assert!(!sitemap.contains("/embed/"), "embed pages are noindex and stay out of the sitemap");
            continue;
        }
        if f.contains("old-alpha") {
            assert!(!sitemap.contains("old-alpha"), "redirects stay out of the sitemap");
            continue;
        }
        let url = format!("https://fixture.example/{}", f.trim_end_matches("index.html"));
        let entry =
            between(&sitemap, &format!("<loc>{url}</loc>"), "</url>").unwrap_or_else(|| panic!("{url} missing"));
        assert_eq!(entry.matches("hreflang=").count(), 3, "{url}: ko, en, x-default");
    }
    assert!(site.read("robots.txt").contains("Sitemap: https://fixture.example/sitemap.xml"));
    assert!(site.read("404.html").contains("<html lang=\"ko\">"));
}

#[test]
fn home_totals_equal_the_sum_of_programs() {
    let site = Site::fixture("basic");
    site.build();
    let home = site.read("index.html");
    // Totals use each program's latest year: only alpha-care has a budget.
    let totals = between(&home, "<dl class=\"totals\">", "</dl>").unwrap();
    assert!(
        totals.contains("266억 5,200만 원") && totals.contains("255억 8,700만 원") && totals.contains("96.0%"),
        "{totals}"
    );
    assert!(home.contains("execution-by-region.svg") && home.contains("achievement-distribution.svg"));
    // The region page of 북도 includes the program of its city 동시.
    let region = site.read("regions/north/index.html");
    assert!(region.contains("알파 돌봄"), "child region's programs on the parent page");
    assert!(!site.read("regions/south/index.html").contains("알파 돌봄"));
}

#[test]
fn aliases_leave_redirects() {
    let site = Site::fixture("basic");
    site.build();
    let r = site.read("programs/old-alpha/index.html");
    assert!(r.contains("url=https://fixture.example/programs/alpha-care/"), "{r}");
    assert!(site.read("en/programs/old-alpha/index.html").contains("https://fixture.example/en/programs/alpha-care/"));
}

#[test]
fn data_files_have_the_published_columns() {
    let site = Site::fixture("basic");
    site.build();
    let csv = site.read("data/programs.csv");
    let mut lines = csv.lines();
    assert_eq!(lines.next().unwrap(), "program,region,category,year,name_ko,name_en,budget_won,executed_won,unit_printed,execution_rate,execution_rate_printed,source_page,url_ko,url_en");
    let rows: Vec<&str> = lines.collect();
    assert_eq!(rows.len(), 3, "two budget years of alpha, one row for beta: {rows:?}");
    assert!(rows.contains(&"alpha-care,north-east-si,care,2022,알파 돌봄,Alpha Care,26652000000,25587000000,백만원,96.0,97.0,5,https://fixture.example/programs/alpha-care/,https://fixture.example/en/programs/alpha-care/"), "{rows:?}");
    assert!(
        rows.iter().any(|r| r.starts_with("beta-no-figures,south,care,,베타 사업,Beta Program,,,,,,8,")),
        "{rows:?}"
    );
    let kpis = site.read("data/kpis.csv");
    assert!(kpis.contains("alpha-care,2022,방문 횟수,Visits,,80,120,150.0,150.0,5"), "{kpis}");
    assert!(kpis.contains("alpha-care,2022,인증 획득,Certification,,인증,인증,,,5"), "{kpis}");
    let json: serde_json::Value = serde_json::from_str(&site.read("data/programs.json")).unwrap();
    assert_eq!(json[0]["budgets"][1]["executed_won"], 25587000000i64);
}

#[test]
fn content_pages_exist_in_both_languages() {
    let site = Site::fixture("basic");
    site.build();
    assert!(site.read("about/index.html").contains("소개 글."));
    assert!(site.read("en/about/index.html").contains("About text."));
}

#[test]
fn site_templates_override_the_theme() {
    let site = Site::fixture("basic");
    site.write(
        "templates/page.html",
        "{% extends \"base.html\" %}{% block content %}OVERRIDDEN {{ page.title }}{% endblock content %}",
    );
    site.build();
    assert!(site.read("about/index.html").contains("OVERRIDDEN 소개"));
}

#[test]
fn zola_toml_is_read_before_config_toml() {
    let site = Site::fixture("basic");
    let config = std::fs::read_to_string(site.root().join("config.toml")).unwrap();
    site.write("zola.toml", &config.replace("픽스처 공시", "졸라 설정"));
    site.build();
    assert!(site.read("index.html").contains("졸라 설정"));
}

#[test]
fn the_same_input_gives_the_same_bytes_at_any_thread_count() {
    let site = Site::fixture("basic");
    let read_all = |site: &Site| {
        site.files()
            .into_iter()
            .map(|f| (f.clone(), std::fs::read(site.public().join(&f)).unwrap()))
            .collect::<Vec<_>>()
    };
    assert!(site.run_env(&["build"], &[("RAYON_NUM_THREADS", "1")]).status.success());
    let one = read_all(&site);
    assert!(site.run_env(&["build"], &[("RAYON_NUM_THREADS", "2")]).status.success());
    assert_eq!(one, read_all(&site));
}

#[test]
fn the_default_site_builds_with_both_languages_of_every_program() {
    let site = Site::default_site();
    site.build();
    let programs: Vec<_> = std::fs::read_dir(site.root().join("content/programs"))
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| e.path().join("program.toml").exists())
        .collect();
    assert!(programs.len() >= 4, "the Gyeonggi programs at least");
    for p in programs {
        let slug = p.file_name().to_string_lossy().into_owned();
        let ko = site.read(&format!("programs/{slug}/index.html"));
        let en = site.read(&format!("en/programs/{slug}/index.html"));
        assert!(ko.contains("<html lang=\"ko\">") && en.contains("<html lang=\"en\">"), "{slug}");
    }
    let gg = site.read("programs/gyeonggi-youth-worker-welfare-points/index.html");
    assert!(gg.contains("288억 원") && gg.contains("100.0%"), "28,800백만원 executed in full");
}

/// Every lone `~` a program's or case's Korean text has reaches its page, and nothing is
/// struck through: Korean ranges such as 월~금 and 07:30~09:30 are text.
#[test]
fn the_default_site_keeps_every_tilde_range() {
    let site = Site::default_site();
    site.build();
    let mut checked = 0;
    for kind in ["programs", "cases"] {
        for entry in std::fs::read_dir(site.root().join("content").join(kind)).unwrap().flatten() {
            let slug = entry.file_name().to_string_lossy().into_owned();
            let Ok(md) = std::fs::read_to_string(entry.path().join("index.md")) else { continue };
            let body = md.splitn(3, "+++").nth(2).unwrap_or(&md);
            let html = site.read(&format!("{kind}/{slug}/index.html"));
            assert!(!html.contains("<del>"), "{kind}/{slug}: struck-through text");
            for line in body.lines().filter(|l| l.contains('~') && !l.contains("~~")) {
                // A range such as `07:30~09:30` keeps its neighbours on both sides.
                for (i, _) in line.match_indices('~') {
                    let left: String = line[..i].chars().rev().take(2).collect::<Vec<_>>().into_iter().rev().collect();
                    let right: String = line[i + 1..].chars().take(2).collect();
                    if left.chars().chain(right.chars()).any(|c| "*_`[]()|\\<>&".contains(c)) {
                        continue;
                    }
                    let needle = format!("{left}~{right}");
                    assert!(html.contains(&needle), "{kind}/{slug}: \"{needle}\" is missing from the page");
                    checked += 1;
                }
            }
        }
    }
    assert!(checked > 20, "the casebook has many ranges; checked {checked}");
}
