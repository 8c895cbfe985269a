//! The one serialisation of pages, sections and taxonomies: what templates see as `page`,
//! `section`, `term` and `taxonomy`, and what feeds, the sitemap and search indexes read.
//! Field names and shapes are Zola 0.22's; gongsi adds `page.data` (the figures of a page made from a data record), inserted when
//! that page renders (`site`), so listings stay small.

use super::library::{ymd, Heading, Item, Library, Page, Section, Taxonomy, Term};
use crate::config::Config;
use serde_json::{json, Map, Value};

fn toc(h: &[Heading]) -> Value {
    h.iter()
        .map(|h| {
            json!({"level": h.level, "id": h.id, "permalink": h.permalink, "title": h.title, "children": toc(&h.children)})
        })
        .collect()
}

/// What templates see of the Library, made when a template asks for it: a page's view is
/// built from the Library each time (as Zola serialises its pages per render), not kept,
/// since keeping every page's text twice, once typed and once as JSON, was the largest
/// share of a build's memory.
pub struct Views {
    /// The site's language codes in the config's order, for `translations`.
    langs: Vec<String>,
}

impl Views {
    pub fn new(config: &Config) -> Views {
        Views { langs: config.language_codes().into_iter().map(str::to_string).collect() }
    }

    /// Page `i` without its siblings: what lists, feeds and pagers hold.
    pub fn base(&self, lib: &Library, i: usize) -> Value {
        page_base(lib, &lib.pages[i], &self.langs)
    }

    /// `page` as a page template sees it: with `lower` and `higher`.
    pub fn page(&self, lib: &Library, i: usize) -> Value {
        let mut v = self.base(lib, i);
        let p = &lib.pages[i];
        v["lower"] = p.lower.map(|j| self.base(lib, j)).unwrap_or(Value::Null);
        v["higher"] = p.higher.map(|j| self.base(lib, j)).unwrap_or(Value::Null);
        v
    }

    /// `section`, with its pages (`full`) or without (`metadata_only`).
    pub fn section(&self, lib: &Library, i: usize, full: bool) -> Value {
        let s = &lib.sections[i];
        let mut v = section_base(lib, s, &self.langs);
        if full {
            v["pages"] = s.pages.iter().map(|&j| self.page(lib, j)).collect();
        }
        v
    }

    pub fn term(&self, lib: &Library, t: &Term, with_pages: bool) -> Value {
        json!({
            "name": t.name,
            "slug": t.slug,
            "path": t.path,
            "permalink": t.permalink,
            "pages": if with_pages { t.pages.iter().map(|&j| self.base(lib, j)).collect() } else { Value::Array(vec![]) },
            "page_count": t.pages.len(),
        })
    }

    pub fn taxonomy(&self, lib: &Library, t: &Taxonomy) -> Value {
        json!({
            "kind": t.kind,
            "lang": t.lang,
            "permalink": t.permalink,
            "items": t.terms.iter().map(|term| self.term(lib, term, true)).collect::<Vec<_>>(),
        })
    }
}

fn translations(lib: &Library, canonical: &str, langs: &[String]) -> Value {
    let mut v: Vec<(usize, Value)> = lib
        .translations_of(canonical)
        .iter()
        .map(|item| {
            let (lang, permalink, title, rel) = match *item {
                Item::Page(j) => {
                    let p = &lib.pages[j];
                    (&p.lang, &p.permalink, &p.meta.title, &p.file.relative)
                }
                Item::Section(j) => {
                    let s = &lib.sections[j];
                    (&s.lang, &s.permalink, &s.meta.title, &s.file.relative)
                }
            };
            let order = langs.iter().position(|c| c == lang).unwrap_or(usize::MAX);
            (order, json!({"lang": lang, "permalink": permalink, "title": title, "path": format!("content/{rel}")}))
        })
        .collect();
    v.sort_by_key(|(o, _)| *o);
    v.into_iter().map(|(_, x)| x).collect()
}

fn backlinks(lib: &Library, relative: &str) -> Value {
    let mut v: Vec<(String, Value)> = lib
        .backlinks
        .get(relative)
        .into_iter()
        .flatten()
        .map(|item| {
            let (permalink, title) = match *item {
                Item::Page(j) => (&lib.pages[j].permalink, &lib.pages[j].meta.title),
                Item::Section(j) => (&lib.sections[j].permalink, &lib.sections[j].meta.title),
            };
            (permalink.clone(), json!({"permalink": permalink, "title": title}))
        })
        .collect();
    v.sort_by(|a, b| a.0.cmp(&b.0));
    v.into_iter().map(|(_, x)| x).collect()
}

fn page_base(lib: &Library, p: &Page, langs: &[String]) -> Value {
    let (year, month, day) = ymd(&p.datetime);
    let mut m = Map::new();
    m.insert("relative_path".into(), p.file.relative.clone().into());
    m.insert("colocated_path".into(), json!(p.file.colocated_path));
    m.insert("content".into(), p.rendered.content.clone().into());
    m.insert("permalink".into(), p.permalink.clone().into());
    m.insert("slug".into(), p.slug.clone().into());
    m.insert("ancestors".into(), json!(p.ancestors));
    m.insert("title".into(), json!(p.meta.title));
    m.insert("description".into(), json!(p.meta.description));
    m.insert("updated".into(), json!(p.meta.updated));
    m.insert("date".into(), json!(p.meta.date));
    m.insert("year".into(), json!(year));
    m.insert("month".into(), json!(month));
    m.insert("day".into(), json!(day));
    m.insert("taxonomies".into(), json!(p.meta.taxonomies));
    m.insert("authors".into(), json!(p.meta.authors));
    m.insert("extra".into(), p.meta.extra.clone());
    m.insert("path".into(), p.path.clone().into());
    m.insert("components".into(), json!(p.components));
    m.insert("summary".into(), json!(p.rendered.summary));
    m.insert("toc".into(), toc(&p.rendered.toc));
    m.insert("word_count".into(), p.word_count.into());
    m.insert("reading_time".into(), p.reading_time.into());
    m.insert("assets".into(), json!(p.serialized_assets));
    m.insert("draft".into(), p.meta.draft.into());
    m.insert("lang".into(), p.lang.clone().into());
    m.insert("lower".into(), Value::Null);
    m.insert("higher".into(), Value::Null);
    m.insert("translations".into(), translations(lib, &p.file.canonical, langs));
    m.insert("backlinks".into(), backlinks(lib, &p.file.relative));
    Value::Object(m)
}

fn section_base(lib: &Library, s: &Section, langs: &[String]) -> Value {
    json!({
        "relative_path": s.file.relative,
        "colocated_path": s.file.colocated_path,
        "content": s.rendered.content,
        "permalink": s.permalink,
        "draft": s.meta.draft,
        "ancestors": s.ancestors,
        "title": s.meta.title,
        "description": s.meta.description,
        "extra": s.meta.extra,
        "path": s.path,
        "components": s.components,
        "toc": toc(&s.rendered.toc),
        "word_count": s.word_count,
        "reading_time": s.reading_time,
        "lang": s.lang,
        "assets": s.serialized_assets,
        "pages": [],
        "subsections": s.subsections.iter().map(|&j| lib.sections[j].file.relative.clone()).collect::<Vec<_>>(),
        "translations": translations(lib, &s.file.canonical, langs),
        "backlinks": backlinks(lib, &s.file.relative),
        "generate_feeds": s.meta.generate_feeds,
        "transparent": s.meta.transparent,
        "paginate_by": s.meta.paginate_by,
        "paginate_reversed": s.meta.paginate_reversed,
    })
}

/// A page or section as the markdown of its own file sees it (shortcodes): no siblings, no content.
pub fn for_markdown(lib: &Library, item: Item, config: &Config) -> (&'static str, Value) {
    let langs: Vec<String> = config.language_codes().into_iter().map(str::to_string).collect();
    match item {
        Item::Page(i) => ("page", page_base(lib, &lib.pages[i], &langs)),
        Item::Section(i) => ("section", section_base(lib, &lib.sections[i], &langs)),
    }
}
