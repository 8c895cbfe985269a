//! Pages from data inside Zola's model: a theme sees program, region, category and case
//! pages as ordinary `page` / `section` objects, lists them with `get_section`, reads
//! regions and categories as taxonomies, and finds each record's figures in `page.data`.

mod common;
use common::Site;

/// A site template that prints what a Zola theme author would reach for.
const PROBE: &str = r#"{% extends "base.html" %}{% block content %}
{%- set programs = get_section(path="programs/_index.md", lang=lang) -%}
PROGRAMS {% for p in programs.pages %}[{{ p.title }}|{{ p.permalink }}]{% endfor %}
{%- set regions = get_section(path="regions/_index.md", lang=lang) %}
REGION-PAGES {{ regions.pages | length }}
{%- set t = get_taxonomy(kind="regions", lang=lang) %}
TERMS {% for term in t.items %}[{{ term.name }}|{{ term.permalink }}|{% for p in term.pages %}{{ p.title }};{% endfor %}]{% endfor %}
{%- set alpha = get_page(path="programs/alpha-care/index.md", lang=lang) %}
ALPHA {{ alpha.title }}|{{ alpha.permalink }}|{{ alpha.taxonomies.regions | join(sep=",") }}|{{ alpha.taxonomies.categories | join(sep=",") }}
{% endblock content %}"#;

#[test]
fn a_theme_lists_data_pages_and_reads_regions_as_a_taxonomy() {
    let site = Site::fixture("basic");
    site.write("templates/page.html", PROBE);
    site.build();
    let ko = site.read("about/index.html");
    assert!(
        ko.contains("[알파 돌봄|https://fixture.example/programs/alpha-care/]"),
        "get_section lists the program page by its record's slug and name: {ko}"
    );
    assert!(ko.contains("REGION-PAGES 3"), "every region is a page of the regions section: {ko}");
    // A program counts under its own region and every region containing it (in the
    // regions' own order).
    assert!(ko.contains("[동시|https://fixture.example/regions/north-east-si/|알파 돌봄;]"), "{ko}");
    assert!(ko.contains("[북도|https://fixture.example/regions/north/|알파 돌봄;]"), "{ko}");
    assert!(ko.contains("ALPHA 알파 돌봄|https://fixture.example/programs/alpha-care/|북도,동시|돌봄"), "{ko}");
    let en = site.read("en/about/index.html");
    assert!(en.contains("[Alpha Care|https://fixture.example/en/programs/alpha-care/]"), "{en}");
    assert!(
        en.contains("ALPHA Alpha Care|https://fixture.example/en/programs/alpha-care/|Buk-do,Dong-si|Care"),
        "{en}"
    );
    // The taxonomy renders nothing of its own: the region pages are its terms.
    assert!(!site.public().join("regions/dong-si").exists());
}

#[test]
fn a_program_page_carries_its_figures_in_page_data() {
    let site = Site::fixture("basic");
    site.write(
        "templates/program.html",
        r#"{% extends "base.html" %}{% block content %}
DATA {{ page.data.slug }}|{{ page.data.name }}|{% for b in page.data.budgets %}{{ b.year }}:{{ b.budget_won }}/{{ b.executed_won }}={{ b.rate }};{% endfor %}
SAME {{ page.data.slug == program.slug }}
{% for c in charts %}<figure id="chart-{{ c.id }}"></figure>{% endfor %}
ZOLA {{ page.relative_path }}|{{ page.lang }}|{% for t in page.translations %}{{ t.lang }}={{ t.permalink }};{% endfor %}
{% endblock content %}"#,
    );
    site.build();
    let html = site.read("programs/alpha-care/index.html");
    let data_line = html.lines().find(|l| l.starts_with("DATA ")).unwrap_or_else(|| panic!("{html}"));
    assert!(data_line.starts_with("DATA alpha-care|알파 돌봄|"), "{data_line}");
    // The fixture's 2022 budget: 26,652 백만원, 25,587 spent, at the rate the model computes.
    assert!(data_line.contains("2022:26652000000/25587000000=96"), "{data_line}");
    assert!(html.contains("SAME true"));
    assert!(
        html.contains("ZOLA programs/alpha-care/index.md|ko|ko=https://fixture.example/programs/alpha-care/;en=https://fixture.example/en/programs/alpha-care/;"),
        "{html}"
    );
}

#[test]
fn every_url_of_the_default_sites_ledger_is_published() {
    let site = Site::default_site();
    site.build();
    let ledger = std::fs::read_to_string(common::repo().join("urls/2023.txt")).unwrap();
    let mut missing = Vec::new();
    let mut n = 0;
    for url in ledger.lines().map(str::trim).filter(|l| !l.is_empty() && !l.starts_with('#')) {
        n += 1;
        let rel = url.trim_start_matches('/');
        let file = if rel.is_empty() || rel.ends_with('/') { format!("{rel}index.html") } else { rel.to_string() };
        if !site.public().join(&file).is_file() {
            missing.push(url.to_string());
        }
    }
    assert!(n > 100, "the ledger lists the site's pages ({n})");
    assert!(missing.is_empty(), "published URLs missing: {missing:?}");
}
