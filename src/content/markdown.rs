//! Markdown of a page or section to HTML, as Zola renders it: shortcodes, heading ids
//! and anchor links, the table of contents, `<!-- more -->` summaries, `@/file.md`
//! internal links and external-link attributes. comrak does the CommonMark.
//!
//! Templates are not known here: shortcodes and the anchor-link snippet come through
//! [`Hooks`], which the template layer implements.

use super::highlight::{self, Highlighter};
use super::library::{Heading, Rendered};
use super::shortcodes::{self, ShortcodeKind};
use crate::config::{InsertAnchor, MarkdownConfig, SlugifyStrategy};
use comrak::nodes::{AlertType, Ast, AstNode, NodeValue};
use comrak::{Arena, Options};
use std::cell::RefCell;
use std::collections::HashMap;

/// What the markdown needs from templates.
pub trait Hooks {
    fn shortcode_kind(&self, name: &str) -> Option<ShortcodeKind>;
    /// Renders a shortcode; `nth` counts calls of the same name in this file, from 1.
    fn shortcode(
        &self,
        name: &str,
        args: serde_json::Map<String, serde_json::Value>,
        body: Option<&str>,
        nth: usize,
    ) -> Result<String, String>;
    /// `anchor-link.html` for a heading (`heading` is its text, a gongsi addition).
    fn anchor_link(&self, id: &str, level: u32, heading: &str) -> Result<String, String>;
    /// `summary-cutoff.html`, for a summary that ends inside an element.
    fn summary_cutoff(&self) -> Result<String, String> {
        Ok("&hellip;".into())
    }
}

/// Rendering settings that do not change between files.
pub struct Settings {
    pub options: Options<'static>,
    pub markdown: MarkdownConfig,
    pub anchors: SlugifyStrategy,
    pub base_url: String,
    /// gongsi's data sites keep the heading ids they have always published: `text-` and
    /// the heading as GitHub writes ids (Korean kept), so a heading can never take a
    /// figure's anchor and no cited `#anchor` breaks. Zola sites get Zola's ids.
    pub house_ids: bool,
    /// Whether one `~` on each side strikes through where Zola's pulldown-cmark lets it
    /// (see [`protect_single_tildes`]). gongsi's data sites turn it off: only `~~` strikes.
    pub single_tilde_strikes: bool,
    /// `[markdown.highlighting]` ready to use, or why it cannot be.
    pub highlighter: Option<Result<std::sync::Arc<Highlighter>, String>>,
}

impl Settings {
    pub fn new(markdown: &MarkdownConfig, anchors: SlugifyStrategy, base_url: &str, unsafe_default: bool) -> Settings {
        let mut o = Options::default();
        o.extension.table = true;
        o.extension.strikethrough = true;
        o.extension.tasklist = true;
        o.extension.footnotes = true;
        o.extension.autolink = false;
        o.extension.description_lists = markdown.definition_list;
        o.extension.alerts = markdown.github_alerts;
        o.extension.cjk_friendly_emphasis = true;
        o.parse.smart = markdown.smart_punctuation;
        // Inline footnotes stay where they are written, as in Zola (see `footnotes_as_zola`).
        o.parse.leave_footnote_definitions = !markdown.bottom_footnotes;
        let raw = markdown.unsafe_html.unwrap_or(unsafe_default);
        o.render.r#unsafe = raw;
        o.render.escape = !raw;
        Settings {
            options: o,
            markdown: markdown.clone(),
            anchors,
            base_url: base_url.trim_end_matches('/').to_string(),
            house_ids: false,
            single_tilde_strikes: true,
            highlighter: markdown.highlighting.as_ref().map(|h| Highlighter::new(h).map(std::sync::Arc::new)),
        }
    }

    /// Whether the highlighting settings can be used (an unknown theme cannot).
    pub fn check(&self) -> Result<(), String> {
        match &self.highlighter {
            Some(Err(e)) => Err(e.clone()),
            _ => Ok(()),
        }
    }
}

/// The markdown dialect with Zola's default settings, raw HTML escaped: for reading a
/// file's text (the search index) without rendering it.
pub fn plain_options() -> Options<'static> {
    Settings::new(&MarkdownConfig::default(), SlugifyStrategy::default(), "", false).options
}

/// Raw HTML an editor wrote, when a data site allows it (`[markdown] unsafe_html = true`),
/// through an allowlist (ammonia): scripts, event handlers, `style` and every URL scheme
/// but http, https, mailto and tel go, however they are quoted or encoded; the markup the
/// renderer and the theme rely on (ids, classes, ARIA, `lang`, tables, details) stays.
pub fn sanitize(html: &str) -> String {
    static CLEANER: std::sync::LazyLock<ammonia::Builder<'static>> = std::sync::LazyLock::new(|| {
        let mut b = ammonia::Builder::default();
        b.add_tags([
            "details",
            "summary",
            "figure",
            "figcaption",
            "data",
            "section",
            "aside",
            "nav",
            "mark",
            "picture",
            "source",
            "input",
        ])
        .add_generic_attributes(["id", "class", "role", "lang", "title", "tabindex", "dir", "hidden", "value"])
        .add_generic_attribute_prefixes(["aria-", "data-"])
        .add_tag_attributes("a", ["target", "rel", "hreflang", "download"])
        .add_tag_attributes("img", ["loading", "srcset", "sizes", "decoding"])
        .add_tag_attributes("source", ["srcset", "media", "type", "sizes"])
        .add_tag_attributes("th", ["scope", "colspan", "rowspan"])
        .add_tag_attributes("td", ["colspan", "rowspan"])
        .add_tag_attributes("ol", ["start", "reversed"])
        .add_tag_attributes("input", ["type", "checked", "disabled"])
        .url_schemes(["http", "https", "mailto", "tel"].into_iter().collect())
        .link_rel(None)
        .strip_comments(false);
        b
    });
    CLEANER.clean(html).to_string()
}

/// Wraps every table in a labelled, keyboard-reachable scroll region, so a phone scrolls
/// the table and not the page (gongsi's data sites).
pub fn wrap_tables(html: &str, label: &str) -> String {
    if !html.contains("<table>") {
        return html.to_string();
    }
    // Each region needs a name of its own: with several tables, "표 1", "표 2", ….
    let label = crate::templates::escape_xml(label);
    let count = html.matches("<table>").count();
    let mut out = String::with_capacity(html.len() + count * 100);
    for (i, part) in html.split("<table>").enumerate() {
        if i > 0 {
            let name = if count > 1 { format!("{label} {i}") } else { label.clone() };
            out.push_str(&format!(
                "<div class=\"table-scroll\" role=\"region\" tabindex=\"0\" aria-label=\"{name}\"><table>"
            ));
        }
        out.push_str(part);
    }
    out.replace("</table>", "</table></div>")
}

/// A file's own facts for rendering.
pub struct FileContext<'a> {
    pub permalink: &'a str,
    pub insert_anchor: InsertAnchor,
    /// content-relative file → permalink, for `@/` links.
    pub permalinks: &'a HashMap<String, String>,
}

const HEADING_MARK: &str = "\u{E001}";
const MORE_MARK: &str = "\u{E004}CONTINUE";
const TILDE: char = '\u{E07E}';
const PLACEHOLDER: &str = "\u{E002}SC";

/// A lone `~` (Korean ranges: 월~금) is text; only `~~` strikes through. With
/// `single_strikes` (Zola sites), a lone `~` is left to strike when pulldown-cmark, which
/// Zola uses, would let it open or close a strikethrough: it treats `~` as CommonMark
/// treats `_`, so `~a~` strikes but a `~` between two letters or digits (`월~금`,
/// `07:30~09:30`) never does. comrak treats `~` like `*`, so those are protected here.
pub fn protect_single_tildes(body: &str, single_strikes: bool) -> std::borrow::Cow<'_, str> {
    if !body.contains('~') {
        return body.into();
    }
    let punct = |c: char| c.is_ascii_punctuation() || (!c.is_alphanumeric() && !c.is_whitespace() && !c.is_control());
    let b = body.as_bytes();
    let mut out = String::with_capacity(body.len() + 8);
    let mut last = 0;
    for (i, _) in body.match_indices('~') {
        let before = i > 0 && b[i - 1] == b'~';
        let after = b.get(i + 1) == Some(&b'~');
        if before || after {
            continue;
        }
        if single_strikes {
            let prev = body[..i].chars().next_back();
            let next = body[i + 1..].chars().next();
            let space = |c: Option<char>| c.is_none_or(char::is_whitespace);
            let left = !space(next) && (!next.is_some_and(punct) || space(prev) || prev.is_some_and(punct));
            let right = !space(prev) && (!prev.is_some_and(punct) || space(next) || next.is_some_and(punct));
            let opens = left && (!right || prev.is_some_and(punct));
            let closes = right && (!left || next.is_some_and(punct));
            if opens || closes {
                continue;
            }
        }
        out.push_str(&body[last..i]);
        out.push(TILDE);
        last = i + 1;
    }
    out.push_str(&body[last..]);
    out.into()
}

/// Puts back the lone `~` protected by [`protect_single_tildes`] (in links it arrives percent-encoded).
pub fn restore_tildes(html: String) -> String {
    if html.contains(TILDE) || html.contains("%EE%81%BE") {
        html.replace(TILDE, "~").replace("%EE%81%BE", "~")
    } else {
        html
    }
}

/// Renders one file's markdown.
pub fn render(body: &str, s: &Settings, f: &FileContext, hooks: &dyn Hooks) -> Result<Rendered, String> {
    // Shortcodes first: markdown ones become markdown, HTML ones placeholders.
    let mut html_outputs: Vec<String> = Vec::new();
    let body = shortcodes::expand(body, hooks, &mut html_outputs)?;
    let body = protect_single_tildes(&body, s.single_tilde_strikes);
    // The first `<!-- more -->` (in a paragraph or on its own) ends the summary.
    let full = match find_more(&body) {
        Some((a, b)) => format!("{}{MORE_MARK}{}", &body[..a], &body[b..]),
        None => body.to_string(),
    };
    let mut out = Rendered::default();
    let mut ids: Vec<String> = Vec::new();
    let content = render_doc(&full, s, f, hooks, &mut out, &mut ids, true)?;
    let content = content.replace(&format!("<p>{MORE_MARK}</p>"), MORE_MARK);
    if let Some(at) = content.find(MORE_MARK) {
        let before = strip_footnotes(&content[..at]);
        let before = before.trim_end();
        let open = open_tags(before);
        let mut summary = before.to_string();
        if !open.is_empty() {
            summary.push_str(&hooks.summary_cutoff()?);
        }
        for t in open.iter().rev() {
            summary.push_str(&format!("</{t}>"));
        }
        out.summary = Some(finish(summary, &html_outputs));
    }
    let content = content.replace(MORE_MARK, "<span id=\"continue-reading\"></span>");
    out.content = finish(content, &html_outputs);
    Ok(out)
}

/// Where `<!-- more -->` (any case, any spacing) is, outside code.
fn find_more(body: &str) -> Option<(usize, usize)> {
    let mut in_fence = false;
    let mut offset = 0;
    for line in body.split_inclusive('\n') {
        let t = line.trim_start();
        if t.starts_with("```") || t.starts_with("~~~") {
            in_fence = !in_fence;
        } else if !in_fence {
            let mut from = 0;
            while let Some(i) = line[from..].find("<!--") {
                let start = from + i;
                if let Some(j) = line[start..].find("-->") {
                    let inner = &line[start + 4..start + j];
                    if inner.trim().eq_ignore_ascii_case("more") {
                        return Some((offset + start, offset + start + j + 3));
                    }
                    from = start + j + 3;
                } else {
                    break;
                }
            }
        }
        offset += line.len();
    }
    None
}

/// Elements opened and not closed in an HTML prefix, outermost first.
fn open_tags(html: &str) -> Vec<String> {
    const VOID: &[&str] = &["br", "hr", "img", "input", "meta", "link", "source", "wbr", "col", "area"];
    let mut stack: Vec<String> = Vec::new();
    let mut rest = html;
    while let Some(i) = rest.find('<') {
        rest = &rest[i + 1..];
        let end = rest.find('>').unwrap_or(rest.len());
        let tag = &rest[..end];
        rest = &rest[end.min(rest.len())..];
        if tag.starts_with('!') || tag.ends_with('/') {
            continue;
        }
        if let Some(name) = tag.strip_prefix('/') {
            let name = name.trim().to_ascii_lowercase();
            if let Some(pos) = stack.iter().rposition(|t| *t == name) {
                stack.truncate(pos);
            }
        } else {
            let name: String =
                tag.chars().take_while(|c| c.is_ascii_alphanumeric()).collect::<String>().to_ascii_lowercase();
            if !name.is_empty() && !VOID.contains(&name.as_str()) {
                stack.push(name);
            }
        }
    }
    stack
}

fn finish(html: String, outputs: &[String]) -> String {
    let mut html = restore_tildes(html);
    if !outputs.is_empty() {
        for (i, o) in outputs.iter().enumerate() {
            let ph = format!("{PLACEHOLDER}{i}\u{E003}");
            let wrapped = format!("<p>{ph}</p>");
            if html.contains(&wrapped) {
                html = html.replace(&wrapped, o);
            }
            html = html.replace(&ph, o);
        }
    }
    html
}

fn strip_footnotes(html: &str) -> String {
    match html.find("<section class=\"footnotes\"") {
        Some(i) => html[..i].to_string(),
        None => html.to_string(),
    }
}

fn text_of<'a>(node: &'a AstNode<'a>) -> String {
    let mut t = String::new();
    for d in node.descendants() {
        match &d.data.borrow().value {
            NodeValue::Text(x) => t.push_str(x),
            NodeValue::Code(c) => t.push_str(&c.literal),
            NodeValue::SoftBreak | NodeValue::LineBreak => t.push(' '),
            _ => {}
        }
    }
    t.replace(TILDE, "~")
}

/// `## Title {#id .class}`: takes the braces off the heading's last text, returning the id and classes.
fn heading_attributes<'a>(node: &'a AstNode<'a>) -> (Option<String>, Vec<String>) {
    let Some(last) = node.last_child() else { return (None, Vec::new()) };
    let mut data = last.data.borrow_mut();
    let NodeValue::Text(t) = &mut data.value else { return (None, Vec::new()) };
    let trimmed = t.trim_end();
    let Some(open) = trimmed.rfind('{').filter(|_| trimmed.ends_with('}')) else { return (None, Vec::new()) };
    let inner = &trimmed[open + 1..trimmed.len() - 1];
    let parts: Vec<&str> = inner.split_whitespace().collect();
    if parts.is_empty() || !parts.iter().all(|p| p.starts_with('#') || p.starts_with('.') || p.contains('=')) {
        return (None, Vec::new());
    }
    let id = parts.iter().find_map(|p| p.strip_prefix('#')).map(String::from);
    let classes = parts.iter().filter_map(|p| p.strip_prefix('.')).map(String::from).collect();
    let keep = trimmed[..open].trim_end().to_string();
    *t = keep.into();
    (id, classes)
}

/// Footnotes as Zola writes them: by default each definition where it stands, as a
/// `footnote-definition` block with the name as its id; with `bottom_footnotes`, a list
/// at the end with links back to every reference.
fn footnotes_as_zola<'a>(arena: &'a Arena<'a>, root: &'a AstNode<'a>, bottom: bool) {
    let nodes: Vec<&'a AstNode<'a>> = root.descendants().collect();
    // At the bottom, Zola numbers footnotes by their first reference (as comrak does).
    // Inline, pulldown-cmark numbers each name where it first occurs, as a reference or as
    // a definition, in the order of the document: a definition nothing refers to still
    // shows, with the next number (comrak leaves definitions in place for this).
    let mut numbers: HashMap<String, u32> = HashMap::new();
    if !bottom {
        for node in &nodes {
            let name = match &node.data.borrow().value {
                NodeValue::FootnoteReference(r) => r.name.clone(),
                NodeValue::FootnoteDefinition(d) => d.name.clone(),
                _ => continue,
            };
            let next = numbers.len() as u32 + 1;
            numbers.entry(name).or_insert(next);
        }
    }
    let mut defs: Vec<(&'a AstNode<'a>, comrak::nodes::NodeFootnoteDefinition)> = Vec::new();
    for node in nodes {
        let value = node.data.borrow().value.clone();
        match value {
            NodeValue::FootnoteReference(r) => {
                let html = if bottom {
                    numbers.entry(r.name.clone()).or_insert(r.ix);
                    format!(
                        "<sup class=\"footnote-reference\" id=\"fr-{0}-{1}\"><a href=\"#fn-{0}\">{2}</a></sup>",
                        r.name, r.ref_num, r.ix
                    )
                } else {
                    let n = numbers.get(&r.name).copied().unwrap_or(r.ix);
                    format!("<sup class=\"footnote-reference\"><a href=\"#{}\">{n}</a></sup>", r.name)
                };
                node.insert_before(raw(arena, html));
                node.detach();
            }
            NodeValue::FootnoteDefinition(d) => defs.push((node, d)),
            _ => {}
        }
    }
    if defs.is_empty() {
        return;
    }
    if !bottom {
        for (node, d) in defs {
            let n = numbers.get(&d.name).copied().unwrap_or(0);
            node.insert_before(raw(
                arena,
                format!(
                    "<div class=\"footnote-definition\" id=\"{}\"><sup class=\"footnote-definition-label\">{n}</sup>\n",
                    d.name
                ),
            ));
            let children: Vec<_> = node.children().collect();
            for c in children {
                c.detach();
                node.insert_before(c);
            }
            node.insert_before(raw(arena, "</div>\n".into()));
            node.detach();
        }
        return;
    }
    defs.sort_by_key(|(_, d)| numbers.get(&d.name).copied().unwrap_or(u32::MAX));
    root.append(raw(arena, "<section class=\"footnotes\">\n<ol class=\"footnotes-list\">\n".into()));
    for (node, d) in defs {
        root.append(raw(arena, format!("<li id=\"fn-{}\">\n", d.name)));
        let back: Vec<String> =
            (1..=d.total_references.max(1)).map(|k| format!(" <a href=\"#fr-{}-{k}\">↩</a>", d.name)).collect();
        let children: Vec<_> = node.children().collect();
        let last = children.last().copied();
        for c in children {
            c.detach();
            root.append(c);
        }
        match last {
            Some(l) if matches!(l.data.borrow().value, NodeValue::Paragraph) => l.append(raw(arena, back.concat())),
            _ => root.append(raw(arena, back.concat())),
        }
        root.append(raw(arena, "</li>\n".into()));
        node.detach();
    }
    root.append(raw(arena, "</ol>\n</section>\n".into()));
}

/// GitHub alerts as Zola writes them (pulldown-cmark's markup): a blockquote with the
/// `markdown-alert-<kind>` class and no title paragraph. `> [!TIP] My title` is no alert
/// for Zola, so one with its own title goes back to a blockquote whose text starts with it.
fn alerts_as_zola<'a>(arena: &'a Arena<'a>, alerts: Vec<(&'a AstNode<'a>, AlertType, Option<String>)>) {
    for (node, kind, title) in alerts {
        match title {
            None => {
                let class = kind.css_class(comrak::options::AlertStyleType::Specific);
                node.insert_before(raw(arena, format!("<blockquote class=\"{class}\">\n")));
                let children: Vec<_> = node.children().collect();
                for c in children {
                    c.detach();
                    node.insert_before(c);
                }
                node.insert_before(raw(arena, "</blockquote>\n".into()));
                node.detach();
            }
            Some(title) => {
                node.data.borrow_mut().value = NodeValue::BlockQuote;
                let marker = format!("[!{}] {title}", kind.default_title().to_uppercase());
                let text = |t: String| new_node(arena, NodeValue::Text(t.into()));
                match node.first_child() {
                    Some(p) if matches!(p.data.borrow().value, NodeValue::Paragraph) => {
                        p.prepend(new_node(arena, NodeValue::SoftBreak));
                        p.prepend(text(marker));
                    }
                    _ => {
                        let p = new_node(arena, NodeValue::Paragraph);
                        p.append(text(marker));
                        node.prepend(p);
                    }
                }
            }
        }
    }
}

fn new_node<'a>(arena: &'a Arena<'a>, value: NodeValue) -> &'a AstNode<'a> {
    arena.alloc(comrak::nodes::AstNode::new(RefCell::new(Ast::new(value, (0, 0).into()))))
}

/// A link to a file beside the page (Zola's "colocated asset" test): not absolute, not
/// `../`, not an anchor, no scheme.
fn is_colocated(url: &str) -> bool {
    let scheme =
        url.find(':').is_some_and(|i| i > 0 && url[..i].bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-'));
    !url.starts_with('/') && !url.starts_with("..") && !url.starts_with('#') && !scheme
}

fn raw<'a>(arena: &'a Arena<'a>, html: String) -> &'a AstNode<'a> {
    arena.alloc(comrak::nodes::AstNode::new(RefCell::new(Ast::new(NodeValue::Raw(html), (0, 0).into()))))
}

fn is_external(url: &str, base: &str) -> bool {
    (url.starts_with("http://") || url.starts_with("https://") || url.starts_with("//")) && !url.starts_with(base)
}

fn render_doc(
    text: &str,
    s: &Settings,
    f: &FileContext,
    hooks: &dyn Hooks,
    out: &mut Rendered,
    ids: &mut Vec<String>,
    record: bool,
) -> Result<String, String> {
    let arena = Arena::new();
    let root = comrak::parse_document(&arena, text, &s.options);
    let mut headings: Vec<(u32, String, String, Vec<String>)> = Vec::new();
    let mut broken: Vec<String> = Vec::new();
    let mut alerts = Vec::new();
    for node in root.descendants() {
        let mut data = node.data.borrow_mut();
        let is_link = matches!(data.value, NodeValue::Link(_));
        match &mut data.value {
            NodeValue::Heading(h) => {
                let level = h.level as u32;
                drop(data);
                let (given_id, classes) = heading_attributes(node);
                let title = text_of(node);
                let id = match given_id {
                    Some(id) => id,
                    None => {
                        let base = if s.house_ids {
                            format!("text-{}", comrak::Anchorizer::new().anchorize(&title))
                        } else {
                            super::slugs::anchor(&title, s.anchors)
                        };
                        let mut id = base.clone();
                        let mut n = 0;
                        while ids.contains(&id) {
                            n += 1;
                            id = format!("{base}-{n}");
                        }
                        id
                    }
                };
                ids.push(id.clone());
                node.prepend(raw(&arena, HEADING_MARK.to_string()));
                match f.insert_anchor {
                    InsertAnchor::None => {}
                    InsertAnchor::Left | InsertAnchor::Right | InsertAnchor::Heading => {
                        let link = hooks.anchor_link(&id, level, &title)?;
                        match f.insert_anchor {
                            InsertAnchor::Left => {
                                node.first_child().unwrap().insert_after(raw(&arena, link));
                            }
                            InsertAnchor::Right => node.append(raw(&arena, link)),
                            _ => {
                                let open = link.find('>').map(|i| link[..=i].to_string()).unwrap_or_default();
                                node.first_child().unwrap().insert_after(raw(&arena, open));
                                node.append(raw(&arena, "</a>".into()));
                            }
                        }
                    }
                }
                headings.push((level, id, title, classes));
            }
            NodeValue::Link(link) | NodeValue::Image(link) => {
                let url = link.url.replace(TILDE, "~");
                if let Some(rest) = url.strip_prefix("@/") {
                    let (file, anchor) = rest.split_once('#').map(|(a, b)| (a, Some(b))).unwrap_or((rest, None));
                    match f.permalinks.get(file) {
                        Some(p) => {
                            link.url = match anchor {
                                Some(a) => format!("{p}#{a}"),
                                None => p.clone(),
                            };
                            if record {
                                out.internal_links.push((file.to_string(), anchor.map(String::from)));
                            }
                        }
                        None => broken.push(url.clone()),
                    }
                } else if is_colocated(&url) || (is_link && url.len() > 1 && url.starts_with('#')) {
                    // Zola: a relative link or image is a file beside the page, and a
                    // `#anchor` link is one on the page: both get the page's permalink.
                    link.url = format!("{}{url}", f.permalink);
                } else {
                    link.url = url;
                }
            }
            NodeValue::CodeBlock(cb) => {
                let info = cb.fenced.then(|| cb.info.replace(TILDE, "~"));
                let code = cb.literal.replace(TILDE, "~");
                let hl = match &s.highlighter {
                    Some(Ok(h)) => Some(&**h),
                    Some(Err(e)) => return Err(e.clone()),
                    None => None,
                };
                data.value = NodeValue::Raw(highlight::code_block(info.as_deref(), &code, hl)?);
            }
            NodeValue::Alert(a) => alerts.push((node, a.alert_type, a.title.clone())),
            _ => {}
        }
    }
    if let Some(b) = broken.first() {
        return Err(format!("link to {b}: no such content file"));
    }
    alerts_as_zola(&arena, alerts);
    footnotes_as_zola(&arena, root, s.markdown.bottom_footnotes);
    let mut html = String::new();
    comrak::format_html(root, &s.options, &mut html).map_err(|e| e.to_string())?;
    // Heading ids, in document order.
    let mut result = String::with_capacity(html.len() + headings.len() * 24);
    let mut rest = html.as_str();
    let mut hi = 0;
    while let Some(pos) = rest.find(HEADING_MARK) {
        let before = &rest[..pos];
        let open = before.rfind("<h").unwrap_or(before.len());
        result.push_str(&before[..open]);
        let tag = &before[open..];
        let id = headings.get(hi).map(|h| h.1.as_str()).unwrap_or("");
        let class = match headings.get(hi) {
            Some(h) if !h.3.is_empty() => format!(" class=\"{}\"", h.3.join(" ")),
            _ => String::new(),
        };
        result.push_str(&format!("{} id=\"{id}\"{class}>", tag.trim_end_matches('>')));
        hi += 1;
        rest = &rest[pos + HEADING_MARK.len()..];
    }
    result.push_str(rest);
    let mut html = result;
    if html.contains(" align=\"") {
        html = table_alignment_as_zola(&html);
    }
    let m = &s.markdown;
    if m.external_links_target_blank
        || m.external_links_no_follow
        || m.external_links_no_referrer
        || m.external_links_external
        || m.external_links_class.is_some()
    {
        html = external_link_attrs(&html, s);
    }
    if record {
        out.toc = toc(headings.into_iter().map(|(l, i, t, _)| (l, i, t)).collect(), f.permalink);
    }
    Ok(html)
}

/// Aligned table cells as Zola writes them: `style="text-align: right"`, not comrak's
/// `align="right"` (a cell written as raw HTML in exactly comrak's form changes too).
fn table_alignment_as_zola(html: &str) -> String {
    let mut html = html.to_string();
    for cell in ["th", "td"] {
        for side in ["left", "right", "center"] {
            html =
                html.replace(&format!("<{cell} align=\"{side}\">"), &format!("<{cell} style=\"text-align: {side}\">"));
        }
    }
    html
}

fn external_link_attrs(html: &str, s: &Settings) -> String {
    let m = &s.markdown;
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(i) = rest.find("<a href=\"") {
        out.push_str(&rest[..i]);
        let after = &rest[i + 9..];
        let end = after.find('"').unwrap_or(after.len());
        let url = &after[..end];
        if is_external(url, &s.base_url) {
            let mut attrs = String::from("<a ");
            if let Some(c) = &m.external_links_class {
                attrs.push_str(&format!("class=\"{c}\" "));
            }
            let mut rel = Vec::new();
            if m.external_links_target_blank {
                rel.push("noopener");
            }
            if m.external_links_no_follow {
                rel.push("nofollow");
            }
            if m.external_links_no_referrer {
                rel.push("noreferrer");
            }
            if m.external_links_external {
                rel.push("external");
            }
            if !rel.is_empty() {
                attrs.push_str(&format!("rel=\"{}\" ", rel.join(" ")));
            }
            if m.external_links_target_blank {
                attrs.push_str("target=\"_blank\" ");
            }
            out.push_str(&attrs);
            out.push_str("href=\"");
        } else {
            out.push_str("<a href=\"");
        }
        rest = after;
    }
    out.push_str(rest);
    out
}

/// Headings into Zola's nested table of contents.
fn toc(headings: Vec<(u32, String, String)>, permalink: &str) -> Vec<Heading> {
    fn insert(list: &mut Vec<Heading>, h: Heading) {
        match list.last_mut() {
            Some(last) if last.level < h.level => insert(&mut last.children, h),
            _ => list.push(h),
        }
    }
    let mut out = Vec::new();
    for (level, id, title) in headings {
        let permalink = format!("{permalink}#{id}");
        insert(&mut out, Heading { level, id, permalink, title, children: Vec::new() });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    struct NoHooks;
    impl Hooks for NoHooks {
        fn shortcode_kind(&self, _: &str) -> Option<ShortcodeKind> {
            None
        }
        fn shortcode(
            &self,
            _: &str,
            _: serde_json::Map<String, serde_json::Value>,
            _: Option<&str>,
            _: usize,
        ) -> Result<String, String> {
            Err("none".into())
        }
        fn anchor_link(&self, id: &str, _: u32, _: &str) -> Result<String, String> {
            Ok(format!("<a class=\"zola-anchor\" href=\"#{id}\">🔗</a>"))
        }
    }

    fn go(md: &str, anchor: InsertAnchor) -> Rendered {
        let s = Settings::new(&MarkdownConfig::default(), SlugifyStrategy::On, "https://x.org", true);
        let mut links = HashMap::new();
        links.insert("blog/a.md".to_string(), "https://x.org/blog/a/".to_string());
        let f = FileContext { permalink: "https://x.org/p/", insert_anchor: anchor, permalinks: &links };
        render(md, &s, &f, &NoHooks).unwrap()
    }

    #[test]
    fn tables_get_a_labelled_scroll_region() {
        let html = "<p>x</p>\n<table>\n<tr><td>1</td></tr>\n</table>\n";
        let wrapped = super::wrap_tables(html, "표");
        assert_eq!(
            wrapped,
            "<p>x</p>\n<div class=\"table-scroll\" role=\"region\" tabindex=\"0\" aria-label=\"표\"><table>\n<tr><td>1</td></tr>\n</table></div>\n"
        );
        assert_eq!(super::wrap_tables("<p>no table</p>", "표"), "<p>no table</p>");
        // Two tables: two regions, each with a name of its own.
        let two = super::wrap_tables("<table></table><table></table>", "표");
        assert!(two.contains("aria-label=\"표 1\"><table></table></div>"), "{two}");
        assert!(two.contains("aria-label=\"표 2\"><table></table></div>"), "{two}");
    }

    #[test]
    fn headings_get_zola_ids_anchor_links_and_a_toc() {
        let r = go("# Hello World\n\n## Part\n\n## Part\n\n### Deep `code`\n", InsertAnchor::Right);
        assert!(r.content.contains("<h1 id=\"hello-world\">Hello World<a class=\"zola-anchor\""), "{}", r.content);
        assert!(r.content.contains("<h2 id=\"part-1\">"), "{}", r.content);
        assert_eq!(r.toc.len(), 1);
        assert_eq!(r.toc[0].children.len(), 2);
        assert_eq!(r.toc[0].children[1].children[0].id, "deep-code");
        assert_eq!(r.toc[0].children[0].permalink, "https://x.org/p/#part");
    }

    #[test]
    fn summary_internal_links_and_tildes() {
        let r = go("Intro [a](@/blog/a.md#x) 월~금.\n\n<!-- more -->\n\nRest.\n", InsertAnchor::None);
        assert_eq!(r.summary.as_deref(), Some("<p>Intro <a href=\"https://x.org/blog/a/#x\">a</a> 월~금.</p>"));
        assert!(r.content.contains("<span id=\"continue-reading\"></span>"), "{}", r.content);
        assert_eq!(r.internal_links, vec![("blog/a.md".to_string(), Some("x".to_string()))]);
    }
}
