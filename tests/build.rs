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
    assert!(ko.contains("26,652 <span lang=\"ko\">백만원</span>"), "printed figure and unit kept");
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
    // The first columns are those published since the first edition; later ones are added after them.
    assert_eq!(lines.next().unwrap(), "program,region,category,year,name_ko,name_en,budget_won,executed_won,unit_printed,execution_rate,execution_rate_printed,source_page,url_ko,url_en,case,order,aliases,period_ko,period_en,target_group_ko,target_group_en,source_document,program_page,budget_printed,executed_printed,budget_note_ko,budget_note_en");
    let rows: Vec<&str> = lines.collect();
    assert_eq!(rows.len(), 3, "two budget years of alpha, one row for beta: {rows:?}");
    assert!(rows.contains(&"alpha-care,north-east-si,care,2022,알파 돌봄,Alpha Care,26652000000,25587000000,백만원,96.0,97.0,5,https://fixture.example/programs/alpha-care/,https://fixture.example/en/programs/alpha-care/,alpha-case,,/programs/old-alpha/,,,,,book,4,26652,25587,,"), "{rows:?}");
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

/// Every series of every program and case file, read here independently of gongsi:
/// (page path, series id, has a unit, printed page).
fn stated_series(root: &std::path::Path) -> Vec<(String, String, bool, Option<i64>)> {
    let mut out = Vec::new();
    for (dir, file) in [("programs", "program.toml"), ("cases", "case.toml")] {
        for e in std::fs::read_dir(root.join("content").join(dir)).unwrap().flatten() {
            let Ok(src) = std::fs::read_to_string(e.path().join(file)) else { continue };
            let doc: toml::Table = toml::from_str(&src).unwrap();
            let path = format!("{dir}/{}/", doc["slug"].as_str().unwrap());
            for s in doc.get("series").and_then(|v| v.as_array()).into_iter().flatten() {
                out.push((
                    path.clone(),
                    s["id"].as_str().unwrap().to_string(),
                    s.get("unit").is_some(),
                    s.get("page").and_then(|p| p.as_integer()),
                ));
            }
        }
    }
    out.sort();
    out
}

#[test]
fn every_series_of_the_default_site_has_its_chart_on_its_page() {
    let site = Site::default_site();
    site.build();
    let series = stated_series(site.root());
    assert!(series.len() > 150, "{} series", series.len());
    for lang in ["", "en/"] {
        for (path, id, has_unit, page) in &series {
            let html = site.read(&format!("{lang}{path}index.html"));
            let figure = between(&html, &format!("<figure class=\"chart\" id=\"chart-{id}\">"), "</figure>")
                .unwrap_or_else(|| panic!("{lang}{path}: no #chart-{id}"));
            let svg = site.read(&format!("{lang}{path}{id}.svg"));
            assert!(svg.starts_with("<svg role=\"img\"") && svg.contains("<desc"), "{lang}{path}{id}.svg");
            assert!(figure.contains(&format!("{id}.svg\" alt=\"")), "{lang}{path}: img with alt for {id}");
            assert!(
                figure.contains("<table class=\"stack\">") && figure.contains("class=\"citation\""),
                "{lang}{path} {id}: table, citation"
            );
            assert!(figure.contains("embed-latest-"), "{lang}{path} {id}: embed code");
            if *has_unit {
                let unit = if lang.is_empty() { "단위: " } else { "Unit: " };
                assert!(figure.contains(unit) && svg.contains(unit), "{lang}{path} {id}: unit");
            }
            if let Some(p) = page {
                // The page, marked where it was estimated between page markers.
                let cited = if lang.is_empty() {
                    [format!(" {p}쪽."), format!(" {p}쪽(추정).")]
                } else {
                    [format!(", p. {p}."), format!(", p. {p} (est.).")]
                };
                let cite = between(figure, "<p class=\"citation\">", "</p>").unwrap();
                assert!(cited.iter().any(|c| cite.contains(c)), "{lang}{path} {id}: cites page {p}: {cite}");
            }
        }
    }
    // A time series is drawn as columns, left to right; a breakdown as bars, top to bottom.
    let svg = site.read("programs/gyeonggi-osan-si-outreach-health-welfare-services/transfer-grievances-rate.svg");
    let at = |label: &str| -> (i32, i32) {
        let before = &svg[..svg.find(&format!("\n{label}\n</text>")).unwrap_or_else(|| panic!("{label}"))];
        let tag = &before[before.rfind("<text").unwrap()..];
        (between(tag, "x=\"", "\"").unwrap().parse().unwrap(), between(tag, "y=\"", "\"").unwrap().parse().unwrap())
    };
    let (a, b) = (at("2020"), at("2023"));
    assert!(a.1 == b.1 && a.0 < b.0, "years side by side: {a:?} {b:?}");
    assert!(svg.contains("69%"), "the series' note is drawn: {svg}");
    let svg = site.read("programs/busan-suyeong-gu-child-friendly-city/child-participation-committee-members.svg");
    let at = |label: &str| -> i32 {
        let before = &svg[..svg.find(&format!("\n{label}\n</text>")).unwrap_or_else(|| panic!("{label}"))];
        between(&before[before.rfind("<text").unwrap()..], "y=\"", "\"").unwrap().parse().unwrap()
    };
    assert!(at("초등학생") < at("중학생"), "a breakdown's rows run down");
}

#[test]
fn budget_charts_show_amounts_and_say_what_they_cover() {
    let site = Site::default_site();
    site.build();
    // 1,100만 원 and 288억 원 on one scale, beside the rates.
    let svg = site.read("categories/community-social-security-plans/budget-amounts.svg");
    assert!(svg.contains("1,100만 원") && svg.contains("288억 원"), "{svg}");
    let body = &svg[svg.find("</desc>").unwrap()..];
    let width = |name: &str| -> i32 {
        let after = &body[body.find(name).unwrap_or_else(|| panic!("{name}"))..];
        let rect = &after[after.find("<rect").unwrap()..];
        between(rect, "width=\"", "\"").unwrap().parse().unwrap()
    };
    assert!(width("일하는 청년") > 50 * width("아동친화도시").max(1), "a 288억 원 bar dwarfs a 1,100만 원 one");
    let busan = site.read("regions/busan/index.html");
    assert!(
        busan.contains("사업 6개 중 예산 수치가 있는 3개만 나타냅니다. 모두 수영구 사업입니다."),
        "Busan says whose figures"
    );
    assert!(site.read("regions/busan/execution.svg").contains("모두 수영구 사업입니다."));
    let en = site.read("en/regions/busan/index.html");
    assert!(en.contains("Covers the 3 of 6 programs that have budget figures, all in Suyeong-gu."));
    let home = site.read("index.html");
    assert!(home.contains("시·도 9곳 중 예산 수치가 있는 3곳만 나타냅니다"), "home coverage");
    assert!(site.read("execution-by-region.svg").contains("9곳 중"));
    assert!(site.read("en/index.html").contains("Covers the 3 of 9 regions that have budget figures"));
    assert!(site.read("budget-by-region.svg").contains("억 원"), "regions' amounts");
}

/// `check --strict` passes on the default site: a figure that is right but unusual (the
/// 307.2 % achievement the source prints) carries a note, which readers see beside it.
/// Without the note the same figure warns, and strict checking fails.
#[test]
fn the_default_site_passes_check_strict_and_unusual_figures_carry_their_note() {
    let site = Site::default_site();
    let out = site.run(&["check", "--strict"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "check --strict failed:\n{stderr}");
    assert!(!stderr.contains("warning"), "{stderr}");

    site.build();
    let rel = "programs/gyeonggi-seongnam-si-welfare-equipment-sharing";
    for (lang, note) in [("", "달성률이 307.2%가 됨"), ("en/", "the achievement is 307.2%")] {
        let html = site.read(&format!("{lang}{rel}/index.html"));
        let row = between(&html, "id=\"kpi-equipment-usage-rate\"", "id=\"kpi-user-satisfaction\"").unwrap();
        assert!(row.contains("note-row") && row.contains(note), "the note is shown with its figure: {row}");
    }

    let toml = format!("content/{rel}/program.toml");
    let text = std::fs::read_to_string(site.root().join(&toml)).unwrap();
    let without: String = text
        .lines()
        .filter(|l| !l.starts_with("note = { ko = \"원문 그대로임: 목표 85%"))
        .map(|l| format!("{l}\n"))
        .collect();
    assert_ne!(without, text, "the note line was found");
    std::fs::write(site.root().join(&toml), without).unwrap();
    let out = site.run(&["check", "--strict"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success() && stderr.contains("307.2% is far above target"), "{stderr}");
}

/// The methodology page lists, in both languages, every inconsistency the model can
/// recompute: printed rates and totals, shares that do not make their whole, and figures
/// derived from others (a ratio printed as an increase, a mean of yearly rates, a cut-off
/// rate, price parts that do not add up, a miscount), each with its formula and page; a
/// page estimated between page markers says so, a known one does not.
#[test]
fn the_methodology_page_lists_every_recomputable_inconsistency_with_its_formula() {
    let site = Site::default_site();
    site.build();
    let rows = |lang: &str| -> Vec<String> {
        let html = site.read(&format!("{lang}methodology/index.html"));
        let body = between(&html, "<tbody>", "</tbody>").expect("the list").to_string();
        body.split("<tr>").skip(1).map(str::to_string).collect()
    };
    let (ko, en) = (rows(""), rows("en/"));
    assert_eq!(ko.len(), en.len(), "the same list in both languages");
    let find = |rows: &[String], anchor: &str| -> String {
        rows.iter().find(|r| r.contains(anchor)).cloned().unwrap_or_else(|| panic!("{anchor} not listed"))
    };
    for (anchor, formula, computed) in [
        ("#figure-borrowers-growth", "(1,180 − 524) ÷ 524 × 100", "125.2"),
        ("#figure-transfer-grievances-average-rate", "16 ÷ 25 × 100", "64"),
        ("#figure-home-users-still-in-community-rate", "187 ÷ 204 × 100", "91.7"),
        ("#figure-buk-gu-meal-service-price", "180,000 + 80,000", "260,000"),
        ("#series-projects-by-type", "(1, 3, 4, 5, 6)", "5"),
        ("#series-workers-satisfaction-service-content", "7 + 4 + 26 + 29 + 33", "99"),
    ] {
        for rows in [&ko, &en] {
            let row = find(rows, anchor);
            assert!(row.contains(formula), "{anchor}: formula {formula} in {row}");
            assert!(row.contains(&format!("class=\"num\">{computed}<")), "{anchor}: computed {computed} in {row}");
        }
    }
    // Page 52 lies between the markers the text keeps; 192 is one of them.
    assert!(find(&ko, "#figure-borrowers-growth").contains("52쪽(추정)"));
    assert!(find(&en, "#figure-borrowers-growth").contains("p.&#8239;52 (est.)"));
    let known = find(&en, "#figure-home-users-still-in-community-rate");
    assert!(known.contains("p.&#8239;192") && !known.contains("192 (est.)"), "{known}");
    let prog = site.read("en/programs/gyeonggi-seongnam-si-welfare-equipment-sharing/index.html");
    assert!(prog.contains("p. 52 (est.). Korea Open Government License"), "citations mark the estimate too");

    // The list is computed: without its formula the Seongnam figure is no longer listed.
    let toml = site.root().join("content/programs/gyeonggi-seongnam-si-welfare-equipment-sharing/program.toml");
    let text = std::fs::read_to_string(&toml).unwrap();
    std::fs::write(&toml, text.replace("derived = { formula = \"increase\", of = [1180, 524] }\n", "")).unwrap();
    site.build();
    let after = rows("");
    assert_eq!(after.len() + 1, ko.len());
    assert!(!after.iter().any(|r| r.contains("#figure-borrowers-growth")));
}

/// Where an English page (or an English chart) shows Hangul outside an element marked
/// `lang="ko"`: text and attribute values, with the element path. A tiny scanner over
/// gongsi's own output: tags, attributes in double quotes, void elements.
fn hangul_outside_korean(html: &str) -> Vec<String> {
    const VOID: [&str; 14] = [
        "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr",
        "!doctype",
    ];
    let hangul =
        |s: &str| s.chars().any(|c| ('\u{AC00}'..='\u{D7A3}').contains(&c) || ('\u{3131}'..='\u{318E}').contains(&c));
    let mut stack: Vec<(String, bool)> = Vec::new();
    let mut hits = Vec::new();
    let mut rest = html;
    while !rest.is_empty() {
        let ko = stack.last().is_some_and(|(_, k)| *k);
        let Some(lt) = rest.find('<') else {
            if !ko && hangul(rest) {
                hits.push(rest.trim().chars().take(80).collect());
            }
            break;
        };
        let text = &rest[..lt];
        if !ko && hangul(text) {
            hits.push(format!(
                "{:?}: {}",
                stack.iter().map(|(t, _)| t.as_str()).collect::<Vec<_>>(),
                text.trim().chars().take(80).collect::<String>()
            ));
        }
        rest = &rest[lt..];
        if rest.starts_with("<!--") {
            let end = rest.find("-->").map(|i| i + 3).unwrap_or(rest.len());
            rest = &rest[end..];
            continue;
        }
        // The tag runs to the first `>` outside a quoted attribute value.
        let mut in_quote = false;
        let mut end = rest.len();
        for (i, c) in rest.char_indices().skip(1) {
            match c {
                '"' => in_quote = !in_quote,
                '>' if !in_quote => {
                    end = i + 1;
                    break;
                }
                _ => {}
            }
        }
        let tag = &rest[1..end.saturating_sub(1)];
        rest = &rest[end..];
        if let Some(name) = tag.strip_prefix('/') {
            let name = name.trim().to_lowercase();
            if let Some(pos) = stack.iter().rposition(|(t, _)| *t == name) {
                stack.truncate(pos);
            }
            continue;
        }
        let name: String =
            tag.chars().take_while(|c| !c.is_whitespace() && *c != '/').collect::<String>().to_lowercase();
        let lang = tag.split("lang=\"").nth(1).and_then(|v| v.split('"').next());
        let is_ko = match lang {
            Some(l) => l.starts_with("ko"),
            None => ko,
        };
        if !is_ko && hangul(tag) {
            hits.push(format!("<{}>", tag.chars().take(120).collect::<String>()));
        }
        let self_closing = tag.ends_with('/') || VOID.contains(&name.as_str());
        if !self_closing {
            stack.push((name.clone(), is_ko));
            // Raw text elements end only at their end tag.
            if name == "script" || name == "style" || name == "textarea" || name == "title" {
                let close = format!("</{name}");
                let i = rest.find(&close).unwrap_or(rest.len());
                if !is_ko && hangul(&rest[..i]) {
                    hits.push(format!("<{name}>: {}", rest[..i].trim().chars().take(80).collect::<String>()));
                }
                rest = &rest[i..];
            }
        }
    }
    hits
}

#[test]
fn the_scanner_finds_hangul_outside_korean_elements() {
    assert!(hangul_outside_korean("<p>Suyeong (<span lang=\"ko\">수영</span>)</p>").is_empty());
    assert_eq!(hangul_outside_korean("<p>120만원</p>").len(), 1);
    assert_eq!(hangul_outside_korean("<img alt=\"예산\"><p lang=\"ko\">예산</p>").len(), 1);
    assert_eq!(hangul_outside_korean("<div lang=\"ko\"><p>예산</p></div><p>예산</p>").len(), 1);
    assert_eq!(hangul_outside_korean("<script type=\"application/ld+json\">{\"a\": \"예산\"}</script>").len(), 1);
}

/// English reads as English: no Hangul on an English page or chart outside an element
/// marked `lang="ko"` (a proper name beside its romanisation, a printed unit), amounts
/// as "KRW 1.2 million" and never "120 × 10,000 won", counts with English nouns, and
/// "program" spelled one way, in text and in identifiers.
#[test]
fn english_pages_read_as_english() {
    let site = Site::default_site();
    site.build();
    let mut pages = 0;
    let mut failures = Vec::new();
    for (rel, bytes) in site.files_under("public/en") {
        let Ok(text) = String::from_utf8(bytes) else { continue };
        if rel.ends_with(".html") || rel.ends_with(".svg") {
            for hit in hangul_outside_korean(&text) {
                failures.push(format!("en/{rel}: {hit}"));
            }
            // Ids a figure or series had before the spelling was settled stay as anchors
            // (URLs are a promise); what a reader sees says "program".
            let shown: String = text
                .split(" id=\"")
                .enumerate()
                .map(|(i, part)| if i == 0 { part } else { part.split_once('"').map_or(part, |(_, rest)| rest) })
                .collect();
            assert!(!shown.to_lowercase().contains("programme"), "en/{rel} writes “programme”");
            pages += 1;
        }
    }
    assert!(failures.is_empty(), "Hangul outside lang=\"ko\" on English pages:\n{}", failures.join("\n"));
    assert!(pages > 200, "{pages} English pages and charts");
    for (rel, bytes) in site.files_under("public") {
        let text = String::from_utf8_lossy(&bytes);
        for bad in ["× 10,000 won", "× 1,000 won", "× 100 million won"] {
            assert!(!text.contains(bad), "{rel} writes “{bad}”");
        }
    }
    let en = site.read("en/programs/gyeonggi-youth-worker-welfare-points/index.html");
    assert!(en.contains("28,800 <span lang=\"ko\">백만원</span>"), "printed unit marked as Korean");
    // 120만원 a year is written as an amount, and the Korean page keeps it as printed.
    let row = common::between(&en, "id=\"figure-points-per-year\">", "</tr>").unwrap();
    assert!(row.contains("KRW 1.2 million"), "{row}");
    let ko = site.read("programs/gyeonggi-youth-worker-welfare-points/index.html");
    let row = common::between(&ko, "id=\"figure-points-per-year\">", "</tr>").unwrap();
    assert!(row.contains("120 만원"), "{row}");
    // A chart of amounts writes its values at one English scale, in full in its table.
    let svg = site.read("en/programs/incheon-emergency-welfare/program-budget.svg");
    assert!(svg.contains("Unit: KRW billion") && svg.contains(">\n19.544\n<"), "{svg}");
    let page = site.read("en/programs/incheon-emergency-welfare/index.html");
    assert!(page.contains("KRW 19.544 billion"), "the chart's table writes each amount");
    // Counts take their noun.
    let home = site.read("en/achievement-distribution.svg");
    assert!(home.contains(" indicators\n") || home.contains(" indicator\n"), "{home}");
}

/// Every page names an icon that the build publishes, so browsers do not ask for a
/// missing /favicon.ico.
#[test]
fn every_page_links_a_published_favicon() {
    let site = Site::default_site();
    site.build();
    let icon = site.read("favicon.svg");
    assert!(icon.starts_with("<svg"), "{icon}");
    for rel in [
        "index.html",
        "en/index.html",
        "programs/gyeonggi-youth-worker-welfare-points/index.html",
        "en/methodology/index.html",
    ] {
        let html = site.read(rel);
        let link = between(&html, "<link rel=\"icon\" href=\"", "\"").unwrap_or_else(|| panic!("{rel}: no icon"));
        assert!(link.ends_with("/favicon.svg"), "{rel}: {link}");
    }
}

#[test]
fn raw_html_allowed_on_a_data_site_passes_an_allowlist() {
    let site = Site::fixture("basic");
    let config = std::fs::read_to_string(site.root().join("config.toml")).unwrap();
    let config = if config.contains("[markdown]") {
        config.replace("[markdown]", "[markdown]\nunsafe_html = true")
    } else {
        format!("{config}\n[markdown]\nunsafe_html = true\n")
    };
    site.write("config.toml", &config);
    site.write(
        "content/about.md",
        "+++\ntitle = \"소개\"\n+++\n소개 글.\n\n\
         <a href=\"JavaScript:alert(1)\">a</a> <a href='javascript:alert(2)'>b</a> <a href=javascript:alert(3)>c</a>\n\
         <a href=\"&#106;avascript:alert(4)\">d</a> <a href=\" javascript:alert(5)\">e</a>\n\
         <img src=\"x.png\" onerror=\"alert(6)\" alt=\"x\"><script>alert(7)</script><p style=\"color:red\" onclick=\"alert(8)\">p</p>\n\n\
         <details><summary>요약</summary><span lang=\"en\" class=\"k\">kept</span> <a href=\"https://example.org/\">ok</a></details>\n",
    );
    site.build();
    let html = site.read("about/index.html");
    let body = &html[html.find("소개 글.").expect("the page text")..];
    let lower = body.to_lowercase();
    for bad in ["javascript:", "alert(", "onerror", "onclick", "<script", "style=\"color"] {
        assert!(!lower.contains(bad), "{bad} survived:\n{body}");
    }
    assert!(body.contains("<details><summary>요약</summary>"), "{body}");
    assert!(body.contains("<span lang=\"en\" class=\"k\">kept</span>"), "{body}");
    assert!(body.contains("href=\"https://example.org/\">ok</a>"), "{body}");
    assert!(body.contains("alt=\"x\""), "{body}");
}

/// Every page says when its data last changed, from the data files (a record's own
/// `updated`, else the config's `[extra] updated`), never the clock: a program's date
/// reaches its page and its region's, and not another region's.
#[test]
fn every_page_says_when_its_data_last_changed() {
    let site = Site::default_site();
    let rel = "content/programs/gyeonggi-teen-girls-sanitary-products/program.toml";
    let toml = std::fs::read_to_string(site.root().join(rel)).unwrap();
    site.write(rel, &format!("updated = 2027-03-05\n{toml}"));
    site.build();
    let mut pages = 0;
    for (rel, bytes) in site.files_under("public") {
        if !rel.ends_with(".html") || rel.contains("embed/") || rel.ends_with("404.html") {
            continue;
        }
        let html = String::from_utf8(bytes).unwrap();
        if html.contains("http-equiv=\"refresh\"") {
            continue; // an alias's redirect
        }
        let line = if rel.starts_with("en/") {
            "Data last changed: <time datetime=\""
        } else {
            "자료 최종 변경: <time datetime=\""
        };
        assert!(html.contains(line), "{rel} does not say when its data last changed");
        pages += 1;
    }
    assert!(pages > 100, "{pages} pages");
    let date = |rel: &str| {
        let html = site.read(rel);
        common::between(&html, "<p class=\"data-updated\">", "</p>").unwrap().to_string()
    };
    let own = date("en/programs/gyeonggi-teen-girls-sanitary-products/index.html");
    assert!(own.contains("datetime=\"2027-03-05\">5 March 2027<"), "{own}");
    assert!(date("programs/gyeonggi-teen-girls-sanitary-products/index.html").contains(">2027년 3월 5일<"));
    assert!(date("regions/gyeonggi/index.html").contains("2027-03-05"), "the region holds the program");
    assert!(date("index.html").contains("2027-03-05"), "the home page shows the latest");
    let other = date("regions/busan/index.html");
    assert!(other.contains("datetime=\"2026-12-02\""), "Busan's programs keep the site's date: {other}");
}

/// Each chart is one file with both drawings: the page-width one is its `viewBox`, the
/// phone one the view `#narrow` that the `<picture>` gives phones, with the size the
/// `<source>` announces; no chart has a second file.
#[test]
fn a_charts_one_file_holds_its_phone_drawing_as_a_view() {
    let site = Site::default_site();
    site.build();
    let mut checked = 0;
    for (rel, bytes) in site.files_under("public") {
        assert!(!rel.ends_with(".narrow.svg"), "{rel}: a second file for the phone drawing");
        if !rel.ends_with("index.html") {
            continue;
        }
        let html = String::from_utf8(bytes).unwrap();
        for (i, _) in html.match_indices("<picture><source media=\"(max-width: 32rem)\" srcset=\"") {
            let tag = &html[i..html[i..].find("<img").unwrap() + i];
            let url = between(tag, "srcset=\"", "\"").unwrap();
            let (file, view) = url.split_once('#').expect("a view of the chart's file");
            assert_eq!(view, "narrow", "{rel}: {url}");
            let (w, h) = (between(tag, "width=\"", "\"").unwrap(), between(tag, "height=\"", "\"").unwrap());
            let path = file.split_once("://").map_or(file, |(_, rest)| &rest[rest.find('/').unwrap()..]);
            let svg = site.read(path.trim_start_matches('/'));
            let root = &svg[..svg.find('>').unwrap()];
            assert!(
                !root.contains(" width=") && !root.contains(" height="),
                "{path}: a sized root letterboxes the view"
            );
            assert!(
                svg.contains(&format!("<view id=\"narrow\" viewBox=\"0 100000 {w} {h}\"/>")),
                "{path}: view {w}×{h}"
            );
            assert!(
                svg.contains("<g class=\"narrow\" transform=\"translate(0 100000)\">"),
                "{path}: the phone drawing"
            );
            assert_eq!(svg.matches("<title id=").count(), 1, "{path}: one title");
            checked += 1;
        }
    }
    assert!(checked > 100, "{checked} charts");
}

/// Every chart of a program page can be downloaded as SVG; with `chart_png = "all"` also
/// as PNG: the links are on the page, the PNG decodes at the chart's own size, and its
/// bytes are the same from a cold build at another thread count (fonts are the bundled
/// ones, never the machine's). A program page's shared link shows its first chart; other
/// pages the site's picture.
#[test]
fn every_chart_of_a_program_page_has_a_png_the_same_on_any_thread_count() {
    let site = Site::default_site();
    let config = std::fs::read_to_string(site.root().join("config.toml")).unwrap();
    site.write("config.toml", &config.replacen("[extra]", "[extra]\nchart_png = \"all\"", 1));
    let build = |out: &str, threads: &str| {
        let _ = std::fs::remove_dir_all(site.root().join(".gongsi-cache"));
        let out = site.root().join(out);
        let o = site.run_env(&["build", "--output", out.to_str().unwrap()], &[("RAYON_NUM_THREADS", threads)]);
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    };
    build("out1", "1");
    build("out2", "2");
    let mut checked = 0;
    for lang in ["", "en/"] {
        for entry in std::fs::read_dir(site.root().join("content/programs")).unwrap().flatten() {
            let slug = entry.file_name().to_string_lossy().into_owned();
            let dir = format!("{lang}programs/{slug}/");
            let html = std::fs::read_to_string(site.root().join("out1").join(&dir).join("index.html")).unwrap();
            let svgs: Vec<&str> = html
                .match_indices("<img src=\"")
                .filter_map(|(i, _)| html[i + 10..].split('"').next())
                .filter(|s| s.ends_with(".svg"))
                .collect();
            for svg_url in &svgs {
                let id = svg_url.rsplit('/').next().unwrap().trim_end_matches(".svg");
                let png_url = svg_url.replace(".svg", ".png");
                assert!(html.contains(&format!("<a href=\"{svg_url}\" download>SVG</a>")), "{dir}: SVG link of {id}");
                assert!(html.contains(&format!("<a href=\"{png_url}\" download>PNG</a>")), "{dir}: PNG link of {id}");
                let rel = format!("{dir}{id}.png");
                let a = std::fs::read(site.root().join("out1").join(&rel)).unwrap_or_else(|e| panic!("{rel}: {e}"));
                let b = std::fs::read(site.root().join("out2").join(&rel)).unwrap();
                assert!(a == b, "{rel}: different bytes at another thread count");
                let pixmap = resvg::tiny_skia::Pixmap::decode_png(&a).unwrap_or_else(|e| panic!("{rel}: {e}"));
                let svg = std::fs::read_to_string(site.root().join("out1").join(format!("{dir}{id}.svg"))).unwrap();
                let view_box = between(&svg, " viewBox=\"0 0 ", "\"").unwrap();
                let (w, h) = view_box.split_once(' ').unwrap();
                let (w, h): (u32, u32) = (w.parse().unwrap(), h.parse().unwrap());
                assert_eq!((pixmap.width(), pixmap.height()), (w, h), "{rel}: the chart's own size");
                // Not blank: the chart's text and bars are drawn.
                let dark = pixmap.pixels().iter().filter(|p| p.red() < 128 && p.alpha() > 0).count();
                assert!(dark > 200, "{rel}: only {dark} dark pixels");
                checked += 1;
            }
            if let Some(first) = svgs.first() {
                let png = first.replace(".svg", ".png");
                assert!(html.contains(&format!("<meta property=\"og:image\" content=\"{png}\">")), "{dir}: og:image");
                assert!(html.contains("<meta property=\"og:image:width\" content=\""), "{dir}: og:image:width");
                assert!(html.contains("<meta property=\"og:image:alt\" content=\""), "{dir}: og:image:alt");
            }
        }
    }
    assert!(checked > 100, "{checked} chart PNGs");
    let data = std::fs::read_to_string(site.root().join("out1/en/data/index.html")).unwrap();
    let image = between(&data, "<meta property=\"og:image\" content=\"", "\"").expect("a site-wide picture");
    assert!(image.ends_with("/en/execution-by-region.png"), "{image}");
    assert!(site.root().join("out1/en/execution-by-region.png").is_file());
}
