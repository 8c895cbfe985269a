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

/// A chart drawn for a page, beside the page: `/programs/<slug>/budget.svg`.
pub fn chart(page_path: &str, id: &str) -> String {
    format!("{page_path}{id}.svg")
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
    }
}
