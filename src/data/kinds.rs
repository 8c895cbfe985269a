//! Which pages data records make: their kinds, paths, titles and templates.

use crate::lang::Lang;
use crate::model::{Markdown, Site};
use crate::strings::t;
use crate::urls;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Home,
    Programs,
    Program(usize),
    Regions,
    Region(usize),
    Categories,
    Category(usize),
    Cases,
    Case(usize),
    Content(usize),
    NotFound,
}

/// Generated list pages whose intro text may come from a section `_index.md`.
const GENERATED: [(&str, Kind); 5] = [
    ("/", Kind::Home),
    ("/programs/", Kind::Programs),
    ("/regions/", Kind::Regions),
    ("/categories/", Kind::Categories),
    ("/cases/", Kind::Cases),
];

impl Kind {
    pub fn name(self) -> &'static str {
        match self {
            Kind::Home => "home",
            Kind::Programs => "programs",
            Kind::Program(_) => "program",
            Kind::Regions => "regions",
            Kind::Region(_) => "region",
            Kind::Categories => "categories",
            Kind::Category(_) => "category",
            Kind::Cases => "cases",
            Kind::Case(_) => "case",
            Kind::Content(_) => "content",
            Kind::NotFound => "404",
        }
    }

    /// Whether the page is a list (Zola's `section`) rather than a single `page`.
    pub fn is_section(self, site: &Site) -> bool {
        match self {
            Kind::Home | Kind::Programs | Kind::Regions | Kind::Categories | Kind::Cases => true,
            Kind::Content(i) => site.pages[i].is_section,
            _ => false,
        }
    }

    /// The path below the language prefix.
    pub fn path(self, site: &Site) -> String {
        match self {
            Kind::Home => urls::home(),
            Kind::Programs => urls::programs(),
            Kind::Program(i) => urls::program(site.programs[i].slug()),
            Kind::Regions => urls::regions(),
            Kind::Region(i) => urls::region(&site.regions[i].slug),
            Kind::Categories => urls::categories(),
            Kind::Category(i) => urls::category(&site.categories[i].slug),
            Kind::Cases => urls::cases(),
            Kind::Case(i) => urls::case(&site.cases[i].data.slug),
            Kind::Content(i) => site.pages[i].path.clone(),
            Kind::NotFound => "/404.html".into(),
        }
    }

    /// The markdown that gives this page its text, if any.
    pub fn markdown(self, site: &Site, lang: Lang) -> Option<&Markdown> {
        match self {
            Kind::Program(i) => Some(site.programs[i].text.get(lang)),
            Kind::Case(i) => Some(site.cases[i].text.get(lang)),
            Kind::Content(i) => Some(site.pages[i].text.get(lang)),
            _ => {
                let path = self.path(site);
                site.pages.iter().find(|p| p.path == path).map(|p| p.text.get(lang))
            }
        }
    }

    pub fn title(self, site: &Site, lang: Lang) -> String {
        let from_md = || self.markdown(site, lang).and_then(|m| m.front.title.clone());
        match self {
            Kind::Home => from_md().unwrap_or_else(|| site.config.title(lang).to_string()),
            Kind::Programs => from_md().unwrap_or_else(|| t(&site.config, "programs", lang)),
            Kind::Regions => from_md().unwrap_or_else(|| t(&site.config, "regions", lang)),
            Kind::Categories => from_md().unwrap_or_else(|| t(&site.config, "categories", lang)),
            Kind::Cases => from_md().unwrap_or_else(|| t(&site.config, "cases", lang)),
            Kind::Program(i) => site.programs[i].data.name.get(lang).to_string(),
            Kind::Region(i) => site.regions[i].name.get(lang).to_string(),
            Kind::Category(i) => site.categories[i].name.get(lang).to_string(),
            Kind::Case(i) => site.cases[i].data.title.get(lang).to_string(),
            Kind::Content(i) => site.pages[i].text.get(lang).front.title.clone().unwrap_or_default(),
            Kind::NotFound => t(&site.config, "not_found", lang),
        }
    }

    /// Zola's template choice: front matter `template`, else the kind's own.
    pub fn template(self, site: &Site, lang: Lang) -> String {
        if let Some(t) = self.markdown(site, lang).and_then(|m| m.front.template.clone()) {
            return t;
        }
        match self {
            Kind::Home => "index.html",
            Kind::Programs => "programs.html",
            Kind::Program(_) => "program.html",
            Kind::Regions => "regions.html",
            Kind::Region(_) => "region.html",
            Kind::Categories => "categories.html",
            Kind::Category(_) => "category.html",
            Kind::Cases => "cases.html",
            Kind::Case(_) => "case.html",
            Kind::Content(i) if site.pages[i].is_section => "section.html",
            Kind::Content(_) => "page.html",
            Kind::NotFound => "404.html",
        }
        .to_string()
    }
}

/// Every page of the site, once per language.
pub fn all_pages(site: &Site) -> Vec<Kind> {
    // The lists exist even when empty: the theme's navigation links to every one.
    let mut kinds = vec![Kind::Home, Kind::Programs, Kind::Regions, Kind::Categories, Kind::Cases];
    kinds.extend((0..site.programs.len()).map(Kind::Program));
    kinds.extend((0..site.regions.len()).map(Kind::Region));
    kinds.extend((0..site.categories.len()).map(Kind::Category));
    kinds.extend((0..site.cases.len()).map(Kind::Case));
    for (i, p) in site.pages.iter().enumerate() {
        if p.text.ko.front.draft {
            continue;
        }
        if !GENERATED.iter().any(|(path, _)| *path == p.path) {
            kinds.push(Kind::Content(i));
        }
    }
    kinds.push(Kind::NotFound);
    kinds
}
