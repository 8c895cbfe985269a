//! Where every URL of the site is decided. Korean lives at `/`, English under `/en/`, and
//! the path below is the same in both. Slugs come from the data, never from titles.

use crate::lang::Lang;

pub fn home() -> String {
    "/".into()
}

pub fn programs() -> String {
    "/programs/".into()
}

pub fn program(slug: &str) -> String {
    format!("/programs/{slug}/")
}

pub fn regions() -> String {
    "/regions/".into()
}

pub fn region(slug: &str) -> String {
    format!("/regions/{slug}/")
}

pub fn categories() -> String {
    "/categories/".into()
}

pub fn category(slug: &str) -> String {
    format!("/categories/{slug}/")
}

pub fn cases() -> String {
    "/cases/".into()
}

pub fn case(slug: &str) -> String {
    format!("/cases/{slug}/")
}

/// The data files of one program, case, region or category (language-neutral, so once).
pub fn program_data(slug: &str) -> String {
    format!("/data/programs/{slug}")
}

pub fn case_data(slug: &str) -> String {
    format!("/data/cases/{slug}")
}

pub fn region_data(slug: &str) -> String {
    format!("/data/regions/{slug}")
}

pub fn category_data(slug: &str) -> String {
    format!("/data/categories/{slug}")
}

/// A chart drawn for a page, beside the page: `/programs/<slug>/budget.svg`.
pub fn chart(page_path: &str, id: &str) -> String {
    format!("{page_path}{id}.svg")
}

/// The same chart as a PNG: `<page>/<id>.png`.
pub fn chart_png(page_path: &str, id: &str) -> String {
    format!("{page_path}{id}.png")
}

/// The phone drawing of the same chart: a view of its file, `<page>/<id>.svg#narrow`.
pub fn narrow_chart(page_path: &str, id: &str) -> String {
    format!("{}#{}", chart(page_path, id), crate::charts::NARROW_VIEW)
}

/// The embed form that follows updates: `/embed/latest/…`. The other form is named by
/// `config.edition` ("2023"), which therefore may not be `latest`.
pub const EMBED_LATEST: &str = "latest";

/// The embed page of a chart: `/embed/<form>` + the page's path + the chart id, where
/// `form` is [`EMBED_LATEST`] or the edition: `/embed/latest/programs/x/budget/`,
/// `/embed/2023/programs/x/budget/`. `page_path` is below the language prefix.
pub fn embed(form: &str, page_path: &str, chart_id: &str) -> String {
    format!("/embed/{form}{page_path}{chart_id}/")
}

/// The static oEmbed answer for an embed page, beside it: `/embed/latest/programs/x/budget/oembed.json`.
pub fn oembed(embed_path: &str) -> String {
    format!("{embed_path}oembed.json")
}

/// The Atom feed of a language: `/atom.xml`, `/en/atom.xml` once localized.
pub fn feed() -> String {
    "/atom.xml".into()
}

/// The page that describes the downloadable dataset (a content page, `content/data.md`).
pub fn data_page() -> String {
    "/data/".into()
}

/// A file of the whole dataset: `/data/programs.csv`.
pub fn data_file(name: &str) -> String {
    format!("/data/{name}")
}

/// The path of `path` in `lang`: "/en" + path for English.
pub fn localized(path: &str, lang: Lang) -> String {
    format!("{}{}", lang.prefix(), path)
}

/// The absolute URL of a site path.
pub fn permalink(base: &str, path: &str) -> String {
    format!("{}{}", base.trim_end_matches('/'), path)
}

/// The file a path is written to below the output folder.
pub fn output_file(path: &str) -> String {
    let p = path.trim_start_matches('/');
    if p.is_empty() || p.ends_with('/') {
        format!("{p}index.html")
    } else {
        p.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_path_below_the_language_prefix() {
        assert_eq!(localized(&program("x"), Lang::Ko), "/programs/x/");
        assert_eq!(localized(&program("x"), Lang::En), "/en/programs/x/");
        assert_eq!(localized(&home(), Lang::En), "/en/");
        assert_eq!(output_file("/en/"), "en/index.html");
        assert_eq!(output_file("/programs/x/budget.svg"), "programs/x/budget.svg");
        assert_eq!(permalink("https://a.kr/", "/en/"), "https://a.kr/en/");
        let e = embed(EMBED_LATEST, &program("x"), "budget");
        assert_eq!(e, "/embed/latest/programs/x/budget/");
        assert_eq!(localized(&embed("2023", &program("x"), "kpi"), Lang::En), "/en/embed/2023/programs/x/kpi/");
        assert_eq!(embed(EMBED_LATEST, &home(), "execution-by-region"), "/embed/latest/execution-by-region/");
        assert_eq!(oembed(&e), "/embed/latest/programs/x/budget/oembed.json");
        assert_eq!(localized(&feed(), Lang::En), "/en/atom.xml");
    }
}
