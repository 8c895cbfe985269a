//! Zola's search index (`build_search_index`): `search_index.<lang>.js`, an elasticlunr
//! document store of the pages and sections in the index, as `window.searchIndex`.
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

pub fn index(lib: &Library, config: &Config, lang: &str) -> (String, Vec<u8>) {
    let opts = config.search_in(lang);
    let mut docs = Map::new();
    let mut add = |permalink: &str, title: &Option<String>, description: &Option<String>, content: &str| {
        let mut d = Map::new();
        d.insert("id".into(), permalink.into());
        if opts.include_title {
            d.insert("title".into(), json!(title.clone().unwrap_or_default()));
        }
        if opts.include_description {
            d.insert("description".into(), json!(description.clone().unwrap_or_default()));
        }
        if opts.include_content {
            let mut body = text_of(content);
            if let Some(n) = opts.truncate_content_length {
                body = body.chars().take(n).collect();
            }
            d.insert("body".into(), body.into());
        }
        docs.insert(permalink.to_string(), Value::Object(d));
    };
    for s in lib.sections.iter().filter(|s| s.lang == lang && s.meta.render && s.meta.in_search_index) {
        if s.meta.redirect_to.is_none() {
            add(&s.permalink, &s.meta.title, &s.meta.description, &s.rendered.content);
        }
        for &i in &s.pages {
            let p = &lib.pages[i];
            if p.meta.in_search_index {
                add(&p.permalink, &p.meta.title, &p.meta.description, &p.rendered.content);
            }
        }
    }
    let fields: Vec<&str> =
        [("title", opts.include_title), ("description", opts.include_description), ("body", opts.include_content)]
            .into_iter()
            .filter(|(_, on)| *on)
            .map(|(f, _)| f)
            .collect();
    let index = json!({
        "version": "0.9.5",
        "fields": fields,
        "ref": "id",
        "documentStore": {"docs": docs, "docInfo": {}, "length": docs.len(), "save": true},
        "lang": lang,
    });
    (
        format!("/search_index.{lang}.js"),
        crate::strings::drop_bidi(format!("window.searchIndex = {index};").into_bytes()),
    )
}
