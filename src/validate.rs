//! Cross-file validation: every problem of the loaded site as a diagnostic, all of them.

use crate::diagnostics::{Diagnostic, Report};
use crate::lang::{Lang, Text};
use crate::model::Site;
use std::collections::HashSet;
use std::path::Path;

/// Slugs are lower-case ASCII words joined by single hyphens.
pub fn is_slug(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 100
        && s.split('-').all(|w| !w.is_empty() && w.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit()))
}

struct Checker<'a> {
    report: &'a mut Report,
    root: &'a Path,
}

impl Checker<'_> {
    /// Reports at the line of `needle` in `source`; without a source the file is read now,
    /// so a valid site costs no second read of its files.
    fn push(&mut self, d: Diagnostic, source: Option<&str>, needle: &str) {
        let read;
        let source = match source {
            Some(s) => Some(s),
            None if needle.is_empty() => None,
            None => {
                read = std::fs::read_to_string(self.root.join(&d.file)).ok();
                read.as_deref()
            }
        };
        self.report.push(match source {
            Some(src) => d.at_text(src, needle),
            None => d,
        });
    }

    fn err(&mut self, file: &Path, source: Option<&str>, needle: &str, msg: String) {
        self.push(Diagnostic::error(file, msg), source, needle);
    }

    fn warn(&mut self, file: &Path, source: Option<&str>, needle: &str, msg: String) {
        self.push(Diagnostic::warning(file, msg), source, needle);
    }

    fn text(&mut self, file: &Path, src: Option<&str>, field: &str, t: &Text) {
        if let Some(lang) = t.missing() {
            let which = match lang {
                Lang::Ko => "Korean",
                Lang::En => "English",
            };
            self.err(file, src, field, format!("{field}: the {which} text is empty"));
        }
    }

    fn slug(&mut self, file: &Path, src: Option<&str>, what: &str, slug: &str) {
        if !is_slug(slug) {
            self.err(file, src, slug, format!("{what} slug \"{slug}\" must be lower-case ASCII letters and digits joined by single hyphens, e.g. gyeonggi-youth-points"));
        }
    }
}

pub fn validate(site: &Site, report: &mut Report) {
    let root = &site.root;
    let read = |p: &Path| std::fs::read_to_string(root.join(p)).ok();
    let mut c = Checker { report, root };
    let regions_file = Path::new("data/regions.toml");
    let regions_src = read(regions_file);
    let mut seen = HashSet::new();
    for r in &site.regions {
        c.slug(regions_file, regions_src.as_deref(), "region", &r.slug);
        if !seen.insert(&r.slug) {
            c.err(
                regions_file,
                regions_src.as_deref(),
                &format!("slug = \"{}\"", r.slug),
                format!("duplicate region slug \"{}\"", r.slug),
            );
        }
        c.text(regions_file, regions_src.as_deref(), "name", &r.name);
        if let Some(p) = &r.parent {
            if site.region(p).is_none() {
                c.err(
                    regions_file,
                    regions_src.as_deref(),
                    &format!("parent = \"{p}\""),
                    format!("region \"{}\": parent \"{p}\" is not a region", r.slug),
                );
            } else if site.within(p, &r.slug) {
                c.err(
                    regions_file,
                    regions_src.as_deref(),
                    &format!("parent = \"{p}\""),
                    format!("region \"{}\": parent \"{p}\" makes a cycle", r.slug),
                );
            }
        }
    }
    let cat_file = Path::new("data/categories.toml");
    let cat_src = read(cat_file);
    let mut seen = HashSet::new();
    for k in &site.categories {
        c.slug(cat_file, cat_src.as_deref(), "category", &k.slug);
        if !seen.insert(&k.slug) {
            c.err(
                cat_file,
                cat_src.as_deref(),
                &format!("slug = \"{}\"", k.slug),
                format!("duplicate category slug \"{}\"", k.slug),
            );
        }
        c.text(cat_file, cat_src.as_deref(), "name", &k.name);
    }

    let mut seen = HashSet::new();
    for case in &site.cases {
        let f = case.file.as_path();
        let s: Option<&str> = None; // read only if something is wrong
        let d = &case.data;
        c.slug(f, s, "case", &d.slug);
        folder_matches(&mut c, f, s, &d.slug);
        if !seen.insert(&d.slug) {
            c.err(f, s, "slug", format!("duplicate case slug \"{}\"", d.slug));
        }
        references(&mut c, site, f, s, &d.region, &d.category, &d.source.document);
        c.text(f, s, "title", &d.title);
        series_totals(&mut c, f, s, &case.series);
        let units = case
            .series
            .iter()
            .filter_map(|x| Some((x.series.id.as_str(), x.series.unit.as_ref()?)))
            .chain(d.figure.iter().filter_map(|x| Some((x.id.as_str(), x.unit.as_ref()?))));
        money_units(&mut c, f, s, units);
    }

    let mut seen = HashSet::new();
    for p in &site.programs {
        if !seen.insert(&p.data.slug) {
            c.err(&p.file, None, "slug", format!("duplicate program slug \"{}\"", p.data.slug));
        }
        program_checks(&mut c, site, p);
    }
    site_totals(&mut c, site);
    all_aliases(&mut c, site, regions_file, regions_src.as_deref(), cat_file, cat_src.as_deref());
    crate::embed::validate(site, c.report);

    // Interface strings: a key the site translates in one language must exist in the other.
    let config_file = crate::load::config_path(root).unwrap_or_else(|| "config.toml".into());
    let config_src = read(&config_file);
    for (have, lack) in [(Lang::Ko, Lang::En), (Lang::En, Lang::Ko)] {
        for key in site.config.translations(have).keys() {
            if !site.config.translations(lack).contains_key(key)
                && crate::strings::BUILT_IN.iter().all(|(k, _, _)| k != key)
            {
                c.err(
                    &config_file,
                    config_src.as_deref(),
                    key,
                    format!(
                        "interface string \"{key}\" has no {} translation",
                        if lack == Lang::En {
                            "English ([languages.en.translations])"
                        } else {
                            "Korean ([translations])"
                        }
                    ),
                );
            }
        }
    }
}

/// The checks of one program on its own (every check but those across programs).
fn program_checks(c: &mut Checker, site: &Site, p: &crate::model::Program) {
    let f = p.file.as_path();
    let s: Option<&str> = None; // read only if something is wrong
    let d = &p.data;
    c.slug(f, s, "program", &d.slug);
    folder_matches(c, f, s, &d.slug);
    references(c, site, f, s, &d.region, &d.category, &d.source.document);
    if let Some(case) = &d.case {
        if site.case(case).is_none() {
            c.err(
                f,
                s,
                &format!("\"{case}\""),
                format!("case \"{case}\" does not exist (no content/cases/{case}/case.toml)"),
            );
        }
    }
    if site.source(&d.source.document).is_none() {
        c.err(
            f,
            s,
            &d.source.document,
            format!("source document \"{}\" is not in data/sources.toml", d.source.document),
        );
    }
    c.text(f, s, "name", &d.name);
    for a in d.aliases.iter().chain(&p.text.ko.front.aliases) {
        check_alias(c, f, s, a);
    }
    let mut years = HashSet::new();
    for b in &p.budgets {
        let y = b.row.year;
        if !years.insert(y) {
            c.err(f, s, &format!("year = {y}"), format!("budget {y} appears twice"));
        }
        if b.row.budget.is_negative() || b.row.executed.is_negative() {
            c.err(f, s, &format!("year = {y}"), format!("budget {y}: amounts cannot be negative"));
        }
        if b.budget_won > MAX_WON || b.executed_won > MAX_WON {
            c.err(
                f,
                s,
                &format!("year = {y}"),
                format!(
                    "budget {y}: an amount is over {} won, the most gongsi holds",
                    crate::format::group_thousands(MAX_WON)
                ),
            );
        }
        if b.row.budget.is_zero() {
            c.warn(
                f,
                s,
                &format!("year = {y}"),
                format!("budget {y}: budget is zero, so the execution rate is undefined (shown as —)"),
            );
        } else if b.executed_won > b.budget_won {
            c.warn(f, s, &format!("year = {y}"), format!("budget {y}: executed is more than the budget"));
        }
        if b.rate_mismatch && b.row.note.is_none() {
            c.warn(
                f,
                s,
                &format!("year = {y}"),
                format!(
                    "budget {y}: printed rate {}% differs from the computed one (add a note that explains it)",
                    b.row.rate_printed.map(|r| r.to_string()).unwrap_or_default()
                ),
            );
        }
        if b.row.page.is_none() {
            c.warn(f, s, &format!("year = {y}"), format!("budget {y}: no source page"));
        }
    }
    let mut ids = HashSet::new();
    for k in &p.kpis {
        let id = &k.row.id;
        c.slug(f, s, "kpi id", id);
        if !ids.insert(id) {
            c.err(f, s, &format!("id = \"{id}\""), format!("kpi id \"{id}\" appears twice"));
        }
        c.text(f, s, "indicator", &k.row.indicator);
        if k.row.target.number().is_some_and(|t| t.is_zero()) {
            c.warn(
                f,
                s,
                &format!("id = \"{id}\""),
                format!("kpi {id}: target is zero, so the achievement rate is undefined (shown as —)"),
            );
        }
        if k.rate_mismatch && k.row.note.is_none() {
            c.warn(
                f,
                s,
                &format!("id = \"{id}\""),
                format!("kpi {id}: printed rate differs from the computed one (add a note that explains it)"),
            );
        }
        // A rate this high is usually a typo; one the source really prints carries a
        // note that says so, and the note reaches readers beside the figure.
        if let Some(r) = k.rate.filter(|_| k.row.note.is_none()) {
            if r.0 > 3000 {
                c.warn(
                    f,
                    s,
                    &format!("id = \"{id}\""),
                    format!("kpi {id}: achievement {:.1}% is far above target; check the figures, or add a note that explains them", r.as_f64()),
                );
            }
        }
        if k.row.page.is_none() {
            c.warn(f, s, &format!("id = \"{id}\""), format!("kpi {id}: no source page"));
        }
    }
    for sf in &p.series {
        c.slug(f, s, "series id", &sf.series.id);
    }
    series_totals(c, f, s, &p.series);
    let units = p
        .kpis
        .iter()
        .filter_map(|k| Some((k.row.id.as_str(), k.row.unit.as_ref()?)))
        .chain(p.series.iter().filter_map(|x| Some((x.series.id.as_str(), x.series.unit.as_ref()?))))
        .chain(p.data.figure.iter().filter_map(|x| Some((x.id.as_str(), x.unit.as_ref()?))));
    money_units(c, f, s, units);
    let mut fig_ids = HashSet::new();
    for fig in &p.data.figure {
        c.slug(f, s, "figure id", &fig.id);
        if !fig_ids.insert(&fig.id) {
            c.err(
                f,
                s,
                &format!("id = \"{}\"", fig.id),
                format!("duplicate figure id \"{}\" (it names the figure's anchor, #figure-{})", fig.id, fig.id),
            );
        }
    }
    for old in p.data.figure.iter().flat_map(|x| &x.former_ids) {
        if !fig_ids.insert(old) {
            c.err(f, s, old, format!("former id \"{old}\" names another figure on the page (#figure-{old}); a former id must be one no figure has now"));
        }
    }
    narrative_parity(c, p);
}

/// The checks of one program on its own, for the preview's quick edit: what its record
/// and texts alone can get wrong. The whole build that follows checks the rest.
pub fn validate_program(site: &Site, p: &crate::model::Program, report: &mut Report) {
    let mut c = Checker { report, root: &site.root };
    program_checks(&mut c, site, p);
}

/// The most won an amount or a total may be: every total of the site (home, region,
/// category, case) must fit the 64-bit integers templates and JSON hold.
pub const MAX_WON: i128 = 1_000_000_000_000_000_000;

/// The site's totals add up every program's latest budget; the program whose budget
/// takes them over [`MAX_WON`] is the error (region and category totals are parts of it).
fn site_totals(c: &mut Checker, site: &Site) {
    let (mut budget, mut executed) = (0i128, 0i128);
    for p in &site.programs {
        let Some(b) = p.latest_budget() else { continue };
        if b.budget_won > MAX_WON || b.executed_won > MAX_WON {
            return; // reported on its own
        }
        budget += b.budget_won;
        executed += b.executed_won;
        if budget > MAX_WON || executed > MAX_WON {
            let y = b.row.year;
            c.err(
                &p.file,
                None,
                &format!("year = {y}"),
                format!(
                    "budget {y}: with this program the site's total is over {} won, the most gongsi holds",
                    crate::format::group_thousands(MAX_WON)
                ),
            );
            return;
        }
    }
}

/// A case's or program's references to a region, a category and a source document.
fn references(c: &mut Checker, site: &Site, f: &Path, s: Option<&str>, region: &str, category: &str, document: &str) {
    if site.region(region).is_none() {
        c.err(f, s, &format!("\"{region}\""), format!("region \"{region}\" is not in data/regions.toml"));
    }
    if site.category(category).is_none() {
        c.err(f, s, &format!("\"{category}\""), format!("category \"{category}\" is not in data/categories.toml"));
    }
    if site.source(document).is_none() {
        c.err(f, s, document, format!("source document \"{document}\" is not in data/sources.toml"));
    }
}

/// Printed totals that differ from the sum of their points need a note saying why; a
/// series' id names its chart (`#chart-<id>`, `<id>.svg`), so it is unique on its page
/// and never one of the page's own charts.
fn series_totals(c: &mut Checker, f: &Path, s: Option<&str>, series: &[crate::model::figures::SeriesFigures]) {
    let mut seen = HashSet::new();
    for sf in series {
        let id = &sf.series.id;
        if crate::charts::kinds::RESERVED_IDS.contains(&id.as_str()) {
            c.err(f, s, id, format!("series id \"{id}\" is the name of another chart on the page; choose another"));
        } else if !seen.insert(id.as_str()) {
            c.err(f, s, id, format!("duplicate series id \"{id}\" (it names the series' chart, #chart-{id})"));
        }
    }
    // A former id keeps its old anchor and files, so it may name nothing else on the page.
    for old in series.iter().flat_map(|sf| &sf.series.former_ids) {
        if crate::charts::kinds::RESERVED_IDS.contains(&old.as_str()) || !seen.insert(old.as_str()) {
            c.err(f, s, old, format!("former id \"{old}\" names another chart on the page (#chart-{old}); a former id must be one no series has now"));
        }
    }
    for sf in series.iter().filter(|sf| sf.total_mismatch && sf.series.note.is_none()) {
        let id = &sf.series.id;
        c.warn(
            f,
            s,
            id,
            format!("series {id}: printed total differs from the sum of its points (add a note that explains it)"),
        );
    }
}

/// A unit that is money (만원, 백만원 이하) is written in English as its amount
/// ("KRW 1.2 million or more"), so its English must name the same money unit first
/// ("KRW 10,000 or more"), and what follows is the qualifier English pages keep.
fn money_units<'a>(c: &mut Checker, f: &Path, s: Option<&str>, units: impl Iterator<Item = (&'a str, &'a Text)>) {
    for (id, unit) in units {
        let Some(m) = crate::model::figures::money(unit) else { continue };
        if m.rest_en.is_none() {
            c.err(
                f,
                s,
                id,
                format!(
                    "{id}: the unit \"{}\" is money, so its English must start with \"{}\" (got \"{}\"); English pages write the amount, e.g. KRW 1.2 million",
                    unit.get(Lang::Ko),
                    m.unit.english(),
                    unit.get(Lang::En)
                ),
            );
        }
    }
}

/// An amount in won as English writes it at each scale: 1200000 → "1200000", "1200",
/// "1.2" (thousand, million, billion), for matching a converted figure in a text.
pub fn won_scales(won: i128) -> Vec<String> {
    let mut out = vec![won.to_string()];
    for scale in [1_000i128, 1_000_000, 1_000_000_000] {
        let (int, frac) = (won / scale, (won % scale).abs());
        if int == 0 && frac == 0 {
            continue;
        }
        let places = scale.to_string().len() - 1;
        let f = format!("{frac:0places$}");
        let f = f.trim_end_matches('0');
        out.push(if f.is_empty() { int.to_string() } else { format!("{int}.{f}") });
    }
    out
}

/// Numbers written in a text, normalised: "28,800" → "28800", "35.90" → "35.9".
pub fn numbers_in(text: &str) -> HashSet<String> {
    let mut out = HashSet::new();
    // Digits, commas and points are ASCII, which never occurs inside a multi-byte UTF-8
    // character, so bytes can be scanned directly.
    let chars = text.as_bytes();
    let mut i = 0;
    while i < chars.len() {
        if !chars[i].is_ascii_digit() || (i > 0 && (chars[i - 1].is_ascii_digit() || chars[i - 1] == b'.')) {
            i += 1;
            continue;
        }
        let mut j = i;
        let mut s = String::new();
        while j < chars.len() {
            let c = chars[j];
            let next_digit = chars.get(j + 1).is_some_and(|n| n.is_ascii_digit());
            if c.is_ascii_digit() {
                s.push(c as char);
            } else if c == b',' && next_digit {
            } else if c == b'.' && next_digit && !s.contains('.') {
                s.push('.');
            } else {
                break;
            }
            j += 1;
        }
        if s.contains('.') {
            s = s.trim_end_matches('0').trim_end_matches('.').to_string();
        }
        out.insert(s);
        i = j;
    }
    out
}

/// Every figure of a program (as printed) that its Korean text mentions must appear in
/// its English text too: a translation may not drop or alter a figure. Single digits are
/// left out, since English may spell them as words.
fn narrative_parity(c: &mut Checker, p: &crate::model::Program) {
    use crate::model::figures::{money, Money, Value};
    // Each figure as printed, with the other ways English may write it: an amount of
    // money converted ("120만원" is "KRW 1.2 million").
    let mut figures: Vec<(String, Vec<String>)> = Vec::new();
    let mut add = |d: crate::model::decimal::Decimal, m: Option<Money>| {
        let alt = m.and_then(|m| m.won(d)).map(won_scales).unwrap_or_default();
        figures.push((d.to_string(), alt));
    };
    for b in &p.budgets {
        let m = Some(Money { unit: b.row.unit, rest_ko: String::new(), rest_en: None });
        add(b.row.budget, m.clone());
        add(b.row.executed, m);
    }
    let unit_money = |u: &Option<Text>| u.as_ref().and_then(money);
    let values = p
        .kpis
        .iter()
        .flat_map(|k| [(&k.row.target, unit_money(&k.row.unit)), (&k.row.actual, unit_money(&k.row.unit))])
        .chain(p.series.iter().flat_map(|s| s.series.points.iter().map(|pt| (&pt.value, unit_money(&s.series.unit)))))
        .chain(p.data.figure.iter().map(|f| (&f.value, unit_money(&f.unit))));
    for (v, m) in values {
        if let Some(d) = Value::number(v) {
            add(d, m);
        }
    }
    let ko = numbers_in(&p.text.ko.body);
    let en = numbers_in(&p.text.en.body);
    let mut missing: Vec<String> = figures
        .into_iter()
        .filter(|(n, alt)| n.len() > 1 && ko.contains(n) && !en.contains(n) && !alt.iter().any(|a| en.contains(a)))
        .map(|(n, _)| n)
        .collect();
    missing.sort();
    missing.dedup();
    if !missing.is_empty() {
        let file = p.text.en.file.clone();
        c.err(
            &file,
            None,
            "",
            format!(
                "the English text drops or alters figures the Korean text gives: {} (write them as printed; add a conversion after them if you like)",
                missing.join(", ")
            ),
        );
    }
}

/// Every alias is a site path; an alias in an English text would redirect only in English
/// and is refused (gongsi's aliases redirect in both languages).
fn all_aliases(c: &mut Checker, site: &Site, rf: &Path, rs: Option<&str>, cf: &Path, cs: Option<&str>) {
    for r in &site.regions {
        r.aliases.iter().for_each(|a| check_alias(c, rf, rs, a));
    }
    for k in &site.categories {
        k.aliases.iter().for_each(|a| check_alias(c, cf, cs, a));
    }
    for case in &site.cases {
        for a in case.data.aliases.iter() {
            check_alias(c, &case.file, None, a);
        }
        for a in &case.text.ko.front.aliases {
            check_alias(c, &case.text.ko.file, None, a);
        }
    }
    for p in &site.pages {
        for a in &p.text.ko.front.aliases {
            check_alias(c, &p.text.ko.file, None, a);
        }
    }
    let texts = site
        .programs
        .iter()
        .map(|p| &p.text)
        .chain(site.cases.iter().map(|c| &c.text))
        .chain(site.pages.iter().map(|p| &p.text));
    for t in texts {
        if !t.en.front.aliases.is_empty() {
            c.err(
                &t.en.file,
                None,
                "aliases",
                format!(
                    "aliases in the English text are not used: put them in {} (each alias redirects in both languages, /old/ and /en/old/)",
                    t.ko.file.display()
                ),
            );
        }
    }
}

/// An alias is a site path: it starts with `/` and stays inside the site.
fn check_alias(c: &mut Checker, file: &Path, src: Option<&str>, alias: &str) {
    let ok = alias.starts_with('/')
        && alias.split('/').all(|p| p != ".." && p != "." && !p.contains(['\\', '\0', ':', '?', '#']))
        && !alias.contains("//")
        && !alias.chars().any(|ch| ch.is_control() || ch.is_whitespace());
    if !ok {
        // The needle is the alias as TOML writes it when it holds escapes.
        let needle = if alias.chars().any(char::is_control) { String::new() } else { alias.to_string() };
        let needle = if needle.is_empty() { "aliases".to_string() } else { needle };
        c.err(file, src, &needle, format!("alias {alias:?} must be a path of this site, such as /programs/old-slug/"));
    }
}

fn folder_matches(c: &mut Checker, file: &Path, src: Option<&str>, slug: &str) {
    if file.extension().is_none_or(|e| e != "toml") {
        return; // a record from a spreadsheet: its bundle is found by its slug
    }
    let folder =
        file.parent().and_then(|p| p.file_name()).map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    if folder != slug {
        c.err(file, src, "slug", format!("slug \"{slug}\" differs from its folder \"{folder}\": rename the folder (and add the old URL to `aliases`)"));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_read_as_printed() {
        let n = numbers_in("예산 28,800백만 원, 96%, 35.90억, 2022. 1. 1.");
        for want in ["28800", "96", "35.9", "2022", "1"] {
            assert!(n.contains(want), "{want} in {n:?}");
        }
    }

    #[test]
    fn slug_rules() {
        assert!(is_slug("gyeonggi-youth-points"));
        assert!(is_slug("a1"));
        for bad in ["", "Gyeonggi", "a--b", "-a", "a-", "경기", "a_b", "a/b", "..", "a b"] {
            assert!(!is_slug(bad), "{bad}");
        }
    }
}
