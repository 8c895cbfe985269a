//! Zola's search index (`build_search_index`): `search_index.<lang>.<js|json>` in the
//! `[search] index_format` Zola names: `elasticlunr_javascript` (the default, an elasticlunr
//! document store as `window.searchIndex = …`), `elasticlunr_json` (the same, bare JSON),
//! `fuse_javascript` and `fuse_json` (Fuse.js's list of `url`, `title`, `description`,
//! `body`, `path`, each as `[search]` includes them).
//! (gongsi's own Korean index for data sites lives in `crate::search`.)

use crate::config::Config;
use crate::content::library::Library;
use serde_json::{json, Map, Value};

fn text_of(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' => {
                in_tag = false;
                out.push(' ');
            }
            _ if !in_tag => out.push(c),
            _ => {}
        }
    }
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// What goes in the index of one language: pages and sections in it, as Zola collects them.
struct Item<'a> {
    permalink: &'a str,
    path: &'a str,
    title: &'a Option<String>,
    description: &'a Option<String>,
    content: &'a str,
}

fn items<'a>(lib: &'a Library, lang: &str) -> Vec<Item<'a>> {
    let mut out = Vec::new();
    for s in lib.sections.iter().filter(|s| s.lang == lang && s.meta.render && s.meta.in_search_index) {
        if s.meta.redirect_to.is_none() {
            out.push(Item {
                permalink: &s.permalink,
                path: &s.path,
                title: &s.meta.title,
                description: &s.meta.description,
                content: &s.rendered.content,
            });
        }
        for &i in &s.pages {
            let p = &lib.pages[i];
            if p.meta.in_search_index {
                out.push(Item {
                    permalink: &p.permalink,
                    path: &p.path,
                    title: &p.meta.title,
                    description: &p.meta.description,
                    content: &p.rendered.content,
                });
            }
        }
    }
    out
}

pub fn index(lib: &Library, config: &Config, lang: &str) -> (String, Vec<u8>) {
    let opts = config.search_in(lang);
    let body = |content: &str| {
        let mut body = text_of(content);
        if let Some(n) = opts.truncate_content_length {
            body = body.chars().take(n).collect();
        }
        body
    };
    // The title, description and body a document carries, as `[search]` asks.
    let text_fields = |d: &mut Map<String, Value>, it: &Item| {
        if opts.include_title {
            d.insert("title".into(), json!(it.title.clone().unwrap_or_default()));
        }
        if opts.include_description {
            d.insert("description".into(), json!(it.description.clone().unwrap_or_default()));
        }
        if opts.include_content {
            d.insert("body".into(), body(it.content).into());
        }
    };
    let format = config.search.index_format.as_str();
    let json = if format.starts_with("fuse") {
        let list: Vec<Value> = items(lib, lang)
            .into_iter()
            .map(|it| {
                let mut d = Map::new();
                d.insert("url".into(), it.permalink.into());
                text_fields(&mut d, &it);
                if opts.include_path {
                    d.insert("path".into(), it.path.into());
                }
                Value::Object(d)
            })
            .collect();
        Value::Array(list)
    } else {
        let mut docs = Map::new();
        for it in items(lib, lang) {
            let mut d = Map::new();
            d.insert("id".into(), it.permalink.into());
            text_fields(&mut d, &it);
            docs.insert(it.permalink.to_string(), Value::Object(d));
        }
        let fields: Vec<&str> =
            [("title", opts.include_title), ("description", opts.include_description), ("body", opts.include_content)]
                .into_iter()
                .filter(|(_, on)| *on)
                .map(|(f, _)| f)
                .collect();
        json!({
            "version": "0.9.5",
            "fields": fields,
            "ref": "id",
            "documentStore": {"docs": docs, "docInfo": {}, "length": docs.len(), "save": true},
            "lang": lang,
        })
    };
    let (ext, text) = if format.ends_with("_json") {
        ("json", json.to_string())
    } else {
        ("js", format!("window.searchIndex = {json};"))
    };
    (format!("/search_index.{lang}.{ext}"), crate::strings::drop_bidi(text.into_bytes()))
}
