//! Client-side search: one index per language, written as JSON beside the search page and
//! read by the theme's `search.js`. No server, no dependency.
//!
//! Korean has no spaces inside compounds (통합돌봄, 아동돌봄), so words alone cannot find
//! 돌봄 in them. Korean text is therefore indexed by **syllable bigrams** (and single
//! syllables, for one-syllable queries): 통합돌봄 is indexed as 통, 합, 돌, 봄, 통합, 합돌,
//! 돌봄, and the query 돌봄 looks up the bigram 돌봄. Bigrams also join Hangul runs that
//! only a space separates, so 통합돌봄 finds "통합 돌봄" as well. Everything else (English,
//! numbers, Latin in Korean text) is indexed as lower-cased **words** that the query
//! matches by prefix (car → care, caring). Numbers lose their thousands separators, so
//! 28,800 and 28800 are the same token.
//!
//! Files: `/search/index.ko.json` holds the Korean pages, `/en/search/index.en.json` the
//! English ones ([`index_path`]). Each is compact JSON:
//!
//! ```json
//! {"version":1,"lang":"ko",
//!  "docs":[["title","/programs/x/","snippet","program"], …],
//!  "terms":"2022 28800 … 돌봄 …",
//!  "postings":"031 4 … 0B4 …"}
//! ```
//!
//! `docs` are `[title, path, snippet, kind]` (kind: program, case, region, category,
//! page), programs first. `terms` are the indexed tokens separated by spaces, sorted by
//! UTF-16 code units (JavaScript's string order, so the client can binary-search a
//! prefix). `postings` has one group per term, separated by spaces: the ids of the
//! documents holding the term, ascending, each written as the difference from the one
//! before in base 32, most significant digit first, the last digit from `0-9a-v` and any
//! before it from `A-Z w-z - _` (ids 0, 3, 4, 40 are `031B4`). Strings rather than arrays
//! keep the Korean index about a third smaller. The bytes are the same on every run.
//!
//! A query is tokenised the same way (Hangul runs of one syllable → that syllable; longer
//! runs → their bigrams, exactly; words → prefixes). Pages that match every query token
//! come first, ranked by how many tokens their title matches, then (among titles that
//! match) shorter titles first, then by document order; when no page matches all, pages
//! matching at least half of the tokens are shown, those matching more first.
//! [`Index::search`] is the reference the JavaScript mirrors.

use crate::data::kinds::{self as pages, Kind};
use crate::data::views::Views;
use crate::format;
use crate::lang::Lang;
use crate::model::figures::Value;
use crate::model::{Markdown, Site};
use crate::output::Sink;
use crate::strings::{t, trans};
use crate::urls;
use rayon::prelude::*;
use serde::Serialize;
use std::collections::{BTreeSet, HashMap};

/// The format of the index files; `search.js` checks it.
pub const VERSION: u32 = 1;

/// Longest snippet, in characters.
const SNIPPET_CHARS: usize = 120;

/// Where the index of `lang` is published: `/search/index.ko.json`,
/// `/en/search/index.en.json`.
pub fn index_path(lang: Lang) -> String {
    urls::localized(&format!("/search/index.{}.json", lang.code()), lang)
}

/// Writes both languages' indexes; returns the number of files.
pub fn write_index(site: &Site, sink: &dyn Sink) -> std::io::Result<usize> {
    for lang in Lang::ALL {
        let index = Index::build(documents(site, lang));
        sink.put(&index_path(lang), &index.to_json(lang))?;
    }
    Ok(Lang::ALL.len())
}

// ---------------------------------------------------------------------------------------
// Tokenizer

fn is_syllable(c: char) -> bool {
    ('\u{AC00}'..='\u{D7A3}').contains(&c)
}

/// Text as the tokenizer reads it: conjoining jamo composed into syllables (Hangul's part
/// of NFC, so text typed on a system that decomposes still matches), full-width ASCII
/// folded to ASCII, lower case.
fn fold(text: &str) -> Vec<char> {
    let mut out: Vec<char> = Vec::with_capacity(text.len());
    for c in text.chars() {
        let u = c as u32;
        // Hangul composition: L + V → LV, LV + T → LVT.
        if let Some(&prev) = out.last() {
            let p = prev as u32;
            if (0x1100..=0x1112).contains(&p) && (0x1161..=0x1175).contains(&u) {
                let s = 0xAC00 + ((p - 0x1100) * 21 + (u - 0x1161)) * 28;
                *out.last_mut().unwrap() = char::from_u32(s).unwrap();
                continue;
            }
            if is_syllable(prev) && (p - 0xAC00).is_multiple_of(28) && (0x11A8..=0x11C2).contains(&u) {
                *out.last_mut().unwrap() = char::from_u32(p + (u - 0x11A7)).unwrap();
                continue;
            }
        }
        if c.is_ascii() {
            out.push(c.to_ascii_lowercase());
        } else if is_syllable(c) {
            out.push(c);
        } else if (0xFF01..=0xFF5E).contains(&u) {
            out.push(char::from_u32(u - 0xFEE0).unwrap().to_ascii_lowercase());
        } else {
            out.extend(c.to_lowercase());
        }
    }
    out
}

/// Space inside a line: what may separate the parts of a Korean compound. A line break
/// (a new block, a table cell) may not.
fn is_space(c: char) -> bool {
    c.is_whitespace() && c != '\n' && c != '\r'
}

/// A comma between digits that groups thousands: `28,800`, not `2022,2023`.
fn thousands_comma(cs: &[char], i: usize) -> bool {
    i > 0
        && cs[i - 1].is_ascii_digit()
        && cs.len() > i + 3
        && cs[i + 1..i + 4].iter().all(char::is_ascii_digit)
        && cs.get(i + 4).is_none_or(|c| !c.is_ascii_digit())
}

enum Piece<'a> {
    /// A run of Hangul syllables; `glued` when only spaces separate it from the previous
    /// run.
    Hangul { chars: &'a [char], glued: bool },
    /// A word or number, lower case, thousands separators dropped.
    Word(&'a str),
}

/// Calls `f` with each Hangul run and word of `text`, in order.
fn scan(text: &str, mut f: impl FnMut(Piece<'_>)) {
    let cs = fold(text);
    let n = cs.len();
    let mut word = String::new();
    let mut last_hangul_end: Option<usize> = None;
    let mut i = 0;
    while i < n {
        let c = cs[i];
        if is_syllable(c) {
            let start = i;
            while i < n && is_syllable(cs[i]) {
                i += 1;
            }
            let glued = last_hangul_end.is_some_and(|e| cs[e..start].iter().all(|&c| is_space(c)));
            f(Piece::Hangul { chars: &cs[start..i], glued });
            last_hangul_end = Some(i);
        } else if c.is_alphanumeric() {
            word.clear();
            while i < n {
                let c = cs[i];
                if c.is_alphanumeric() && !is_syllable(c) {
                    word.push(c);
                } else if c == ',' && thousands_comma(&cs, i) {
                    // dropped: 28,800 → 28800
                } else if c == '.'
                    && i > 0
                    && cs[i - 1].is_ascii_digit()
                    && cs.get(i + 1).is_some_and(char::is_ascii_digit)
                {
                    word.push('.');
                } else {
                    break;
                }
                i += 1;
            }
            f(Piece::Word(&word));
        } else {
            i += 1;
        }
    }
}

/// A token a document is indexed under.
enum Tok<'a> {
    Syllable(char),
    Bigram(char, char),
    Word(&'a str),
}

/// Calls `f` with every token of `text`: each syllable and syllable bigram of its Hangul
/// (bigrams also across a space between two runs), each word, and for a word mixing
/// letters and digits (re100) its parts too. Tokens may repeat.
fn for_each_token(text: &str, mut f: impl FnMut(Tok<'_>)) {
    let mut prev_last: Option<char> = None;
    scan(text, |piece| match piece {
        Piece::Hangul { chars, glued } => {
            if let (true, Some(p)) = (glued, prev_last) {
                f(Tok::Bigram(p, chars[0]));
            }
            for (j, &c) in chars.iter().enumerate() {
                f(Tok::Syllable(c));
                if let Some(&next) = chars.get(j + 1) {
                    f(Tok::Bigram(c, next));
                }
            }
            prev_last = chars.last().copied();
        }
        Piece::Word(w) => {
            if w.chars().any(char::is_alphabetic) && w.bytes().any(|b| b.is_ascii_digit()) {
                let is_digit = |c: char| c.is_ascii_digit() || c == '.';
                let mut start = 0;
                let mut prev: Option<bool> = None;
                for (k, c) in w.char_indices() {
                    if prev.is_some_and(|p| p != is_digit(c)) {
                        f(Tok::Word(&w[start..k]));
                        start = k;
                    }
                    prev = Some(is_digit(c));
                }
                f(Tok::Word(&w[start..]));
            }
            f(Tok::Word(w));
        }
    });
}

/// The tokens a document is indexed under, as strings, in order (with repeats).
pub fn index_tokens(text: &str, out: &mut Vec<String>) {
    for_each_token(text, |t| {
        out.push(match t {
            Tok::Syllable(c) => c.to_string(),
            Tok::Bigram(a, b) => [a, b].iter().collect(),
            Tok::Word(w) => w.to_string(),
        })
    });
}

/// One token of a query: a Hangul syllable or bigram looked up exactly, or a word matched
/// as a prefix.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum QueryToken {
    Exact(String),
    Prefix(String),
}

/// The tokens of a query, each once, in order.
pub fn query_tokens(query: &str) -> Vec<QueryToken> {
    let mut out: Vec<QueryToken> = Vec::new();
    let mut push = |t: QueryToken| {
        if !out.contains(&t) {
            out.push(t);
        }
    };
    scan(query, |piece| match piece {
        Piece::Hangul { chars, .. } if chars.len() == 1 => push(QueryToken::Exact(chars[0].to_string())),
        Piece::Hangul { chars, .. } => {
            for pair in chars.windows(2) {
                push(QueryToken::Exact(pair.iter().collect()));
            }
        }
        Piece::Word(w) => push(QueryToken::Prefix(w.to_string())),
    });
    out
}

// ---------------------------------------------------------------------------------------
// Documents

/// A page as the search sees it.
#[derive(Debug, Clone)]
pub struct Doc {
    pub title: String,
    /// The page's URL path in its language ("/en/programs/x/").
    pub path: String,
    pub snippet: String,
    /// program, case, region, category or page.
    pub kind: String,
    /// Everything the page is found by (besides its title).
    pub text: String,
}

fn kind_rank(kind: &str) -> u8 {
    match kind {
        "program" => 0,
        "case" => 1,
        "region" => 2,
        "category" => 3,
        _ => 4,
    }
}

/// The visible text of markdown: text and code, one line per block.
pub fn markdown_text(md: &str) -> String {
    use comrak::arena_tree::NodeEdge;
    use comrak::nodes::NodeValue;
    let arena = comrak::Arena::new();
    let root = comrak::parse_document(&arena, md, &crate::content::markdown::plain_options());
    let mut out = String::new();
    for edge in root.traverse() {
        match edge {
            NodeEdge::Start(node) => match &node.data.borrow().value {
                NodeValue::Text(t) => out.push_str(t),
                NodeValue::Code(c) => out.push_str(&c.literal),
                NodeValue::CodeBlock(c) => out.push_str(&c.literal),
                NodeValue::SoftBreak => out.push(' '),
                NodeValue::LineBreak => out.push('\n'),
                _ => {}
            },
            NodeEdge::End(node) => {
                if node.data.borrow().value.block() && !out.ends_with('\n') {
                    out.push('\n');
                }
            }
        }
    }
    out
}

/// At most [`SNIPPET_CHARS`] characters of `text` on one line, cut at a space when one is
/// near, with an ellipsis when cut.
fn snippet(text: &str) -> String {
    let mut flat = String::new();
    for word in text.split_whitespace() {
        if !flat.is_empty() {
            flat.push(' ');
        }
        flat.push_str(word);
        if flat.len() > SNIPPET_CHARS * 4 {
            break; // enough: the rest would be cut anyway
        }
    }
    if flat.chars().count() <= SNIPPET_CHARS {
        return flat;
    }
    let cut: String = flat.chars().take(SNIPPET_CHARS).collect();
    let cut = match cut.rfind(' ') {
        Some(i) if cut[..i].chars().count() > SNIPPET_CHARS * 2 / 3 => &cut[..i],
        _ => cut.as_str(),
    };
    format!("{}…", cut.trim_end_matches([',', '.', ' ', '·', ':']))
}

/// Front matter description and body of a markdown file, as text.
fn md_text(md: &Markdown) -> (Option<&str>, String) {
    (md.front.description.as_deref(), markdown_text(&md.body))
}

fn value_text(v: &Value, lang: Lang) -> String {
    match v {
        Value::Number(d) => d.to_string(),
        Value::Text(t) => t.get(lang).to_string(),
    }
}

struct Text(String);

impl Text {
    fn add(&mut self, s: &str) {
        if !s.is_empty() {
            self.0.push_str(s);
            self.0.push('\n');
        }
    }
}

/// Every program, case, region, category and content page of `lang` (not the search
/// page), programs first, each kind in path order.
pub fn documents(site: &Site, lang: Lang) -> Vec<Doc> {
    let v = Views { site, lang };
    let config = &site.config;
    let mut programs_in_region = vec![0usize; site.regions.len()];
    for p in &site.programs {
        let mut cur = site.region_index.get(&p.data.region).copied();
        let mut depth = 0;
        while let (Some(ri), true) = (cur, depth < 16) {
            programs_in_region[ri] += 1;
            depth += 1;
            cur = site.regions[ri].parent.as_deref().and_then(|s| site.region_index.get(s).copied());
        }
    }
    let kinds = pages::all_pages(site);
    let mut docs: Vec<Doc> = kinds
        .par_iter()
        .filter_map(|&kind| {
            let path = urls::localized(&kind.path(site), lang);
            let title = kind.title(site, lang);
            let mut text = Text(String::new());
            let (kind_name, snip) = match kind {
                Kind::Program(i) => {
                    let p = &site.programs[i];
                    let d = &p.data;
                    text.add(&v.region_full_name(&d.region));
                    text.add(&v.category_link_by_slug(&d.category).name);
                    if let Some(c) = d.case.as_deref().and_then(|c| site.case(c)) {
                        text.add(c.data.title.get(lang));
                    }
                    for t in [&d.period, &d.target_group].into_iter().flatten() {
                        text.add(t.get(lang));
                    }
                    let (desc, body) = md_text(p.text.get(lang));
                    text.add(desc.unwrap_or(""));
                    text.add(&body);
                    for b in &p.budgets {
                        let r = &b.row;
                        text.add(&format!(
                            "{} {} {} {} {} {}",
                            r.year,
                            r.budget,
                            r.executed,
                            r.unit.printed(),
                            format::won(b.budget_won, lang, false),
                            format::won(b.executed_won, lang, false),
                        ));
                        text.add(&format!(
                            "{} {}",
                            r.rate_printed.map(|d| d.to_string()).unwrap_or_default(),
                            b.rate.map(|t| format!("{:.1}", t.as_f64())).unwrap_or_default()
                        ));
                    }
                    for k in &p.kpis {
                        let r = &k.row;
                        text.add(&format!(
                            "{} {} {} {} {}",
                            r.indicator.get(lang),
                            r.unit.as_ref().map(|u| u.get(lang)).unwrap_or(""),
                            value_text(&r.target, lang),
                            value_text(&r.actual, lang),
                            r.rate_printed.map(|d| d.to_string()).unwrap_or_default(),
                        ));
                    }
                    series_and_figures(&mut text, &p.series, &d.figure, lang);
                    ("program", desc.map(str::to_string).unwrap_or_else(|| snippet(&body)))
                }
                Kind::Case(i) => {
                    let c = &site.cases[i];
                    let d = &c.data;
                    text.add(&d.number);
                    text.add(&v.region_full_name(&d.region));
                    text.add(&v.category_link_by_slug(&d.category).name);
                    for p in site.programs.iter().filter(|p| p.data.case.as_deref() == Some(d.slug.as_str())) {
                        text.add(p.data.name.get(lang));
                    }
                    let (desc, body) = md_text(c.text.get(lang));
                    text.add(desc.unwrap_or(""));
                    text.add(&body);
                    series_and_figures(&mut text, &c.series, &d.figure, lang);
                    ("case", desc.map(str::to_string).unwrap_or_else(|| snippet(&body)))
                }
                Kind::Region(i) => {
                    let r = &site.regions[i];
                    let full = v.region_full_name(&r.slug);
                    // The theme names levels and counts; a theme without the strings gets
                    // gongsi's "programs".
                    let level = trans(config, &format!("level_{}", r.level.key()), lang);
                    let label = trans(config, "programs_count", lang).map(str::to_string);
                    let count =
                        format!("{}: {}", label.unwrap_or_else(|| t(config, "programs", lang)), programs_in_region[i]);
                    text.add(&full);
                    text.add(level.unwrap_or(""));
                    for c in site.children(&r.slug) {
                        text.add(c.name.get(lang));
                    }
                    let snip = match level {
                        Some(level) => format!("{full} · {level} · {count}"),
                        None => format!("{full} · {count}"),
                    };
                    ("region", snip)
                }
                Kind::Category(i) => {
                    let c = &site.categories[i];
                    let names: Vec<&str> = site
                        .programs
                        .iter()
                        .filter(|p| p.data.category == c.slug)
                        .map(|p| p.data.name.get(lang))
                        .collect();
                    text.add(c.part.as_deref().unwrap_or(""));
                    let part = c.part.as_deref().map(|p| format!("{p} · ")).unwrap_or_default();
                    ("category", snippet(&format!("{part}{}", names.join(", "))))
                }
                Kind::Content(i) => {
                    let md = site.pages[i].text.get(lang);
                    if md.front.template.as_deref() == Some("search.html") {
                        return None;
                    }
                    let (desc, body) = md_text(md);
                    text.add(desc.unwrap_or(""));
                    text.add(&body);
                    ("page", desc.map(str::to_string).unwrap_or_else(|| snippet(&body)))
                }
                _ => return None,
            };
            Some(Doc { title, path, snippet: snip, kind: kind_name.to_string(), text: text.0 })
        })
        .collect();
    docs.sort_by(|a, b| (kind_rank(&a.kind), &a.path).cmp(&(kind_rank(&b.kind), &b.path)));
    docs
}

fn series_and_figures(
    text: &mut Text,
    series: &[crate::model::figures::SeriesFigures],
    figures: &[crate::model::figures::Figure],
    lang: Lang,
) {
    for s in series {
        let d = &s.series;
        text.add(d.title.get(lang));
        text.add(d.unit.as_ref().map(|u| u.get(lang)).unwrap_or(""));
        for p in &d.points {
            text.add(&format!("{} {}", p.label.get(lang), value_text(&p.value, lang)));
        }
        if let Some(total) = s.total.or(d.total_printed) {
            text.add(&total.to_string());
        }
    }
    for f in figures {
        text.add(&format!(
            "{} {} {}",
            f.label.get(lang),
            value_text(&f.value, lang),
            f.unit.as_ref().map(|u| u.get(lang)).unwrap_or("")
        ));
    }
}

// ---------------------------------------------------------------------------------------
// Index

/// An inverted index of one language's documents.
pub struct Index {
    pub docs: Vec<Doc>,
    /// Sorted by UTF-16 code units, as JavaScript compares strings.
    pub terms: Vec<String>,
    /// The documents holding each term, ascending.
    pub postings: Vec<Vec<u32>>,
}

fn utf16_order(a: &str, b: &str) -> std::cmp::Ordering {
    a.encode_utf16().cmp(b.encode_utf16())
}

/// Base-32 digits: the last digit of a number comes from `LAST`, the ones before it from
/// `MORE`, so numbers need no separator. Neither set needs escaping in JSON.
const LAST: &[u8; 32] = b"0123456789abcdefghijklmnopqrstuv";
const MORE: &[u8; 32] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZwxyz-_";

fn encode_postings(ids: &[u32], out: &mut String) {
    let mut prev = 0;
    for &id in ids {
        let mut d = id - prev;
        prev = id;
        let mut digits = vec![LAST[(d % 32) as usize]];
        d /= 32;
        while d > 0 {
            digits.push(MORE[(d % 32) as usize]);
            d /= 32;
        }
        out.extend(digits.iter().rev().map(|&b| b as char));
    }
}

fn decode_postings(s: &str) -> Option<Vec<u32>> {
    let mut out = Vec::new();
    let (mut prev, mut n) = (0u32, 0u32);
    for b in s.bytes() {
        if let Some(v) = MORE.iter().position(|&m| m == b) {
            n = n.checked_mul(32)?.checked_add(v as u32)?;
        } else {
            let v = LAST.iter().position(|&m| m == b)? as u32;
            prev = prev.checked_add(n.checked_mul(32)?.checked_add(v)?)?;
            out.push(prev);
            n = 0;
        }
    }
    Some(out)
}

#[derive(Serialize, serde::Deserialize)]
struct IndexFile {
    version: u32,
    lang: String,
    docs: Vec<[String; 4]>,
    terms: String,
    postings: String,
}

/// Postings being built: Hangul tokens by a number (no string per token), words by text.
#[derive(Default)]
struct Postings {
    hangul: HashMap<u64, Vec<u32>, Fast>,
    words: HashMap<String, Vec<u32>, Fast>,
}

impl Postings {
    /// A syllable is its code point; a bigram sets bit 42 above its two code points.
    fn hangul_key(t: &Tok) -> Option<u64> {
        match *t {
            Tok::Syllable(c) => Some(c as u64),
            Tok::Bigram(a, b) => Some(1 << 42 | (a as u64) << 21 | b as u64),
            Tok::Word(_) => None,
        }
    }

    fn hangul_term(key: u64) -> String {
        let c = |n: u64| char::from_u32((n & 0x1F_FFFF) as u32).unwrap_or('\u{FFFD}');
        if key >> 42 == 1 {
            [c(key >> 21), c(key)].iter().collect()
        } else {
            c(key).to_string()
        }
    }

    /// Adds document `id` to the token's list, once: documents come in ascending order.
    fn add(&mut self, t: Tok, id: u32) {
        let push = |ids: &mut Vec<u32>| {
            if ids.last() != Some(&id) {
                ids.push(id);
            }
        };
        match (Self::hangul_key(&t), t) {
            (Some(k), _) => push(self.hangul.entry(k).or_default()),
            (None, Tok::Word(w)) => match self.words.get_mut(w) {
                Some(ids) => push(ids),
                None => {
                    self.words.insert(w.to_string(), vec![id]);
                }
            },
            (None, _) => unreachable!("only words have no Hangul key"),
        }
    }
}

/// A fast, fixed hash for the index's own keys (FxHash's multiply-rotate): the default
/// SipHash costs more than the rest of indexing. Fixed keys change nothing in the
/// output, whose order comes from sorting.
#[derive(Default, Clone, Copy)]
struct Fast;

impl std::hash::BuildHasher for Fast {
    type Hasher = FastHasher;
    fn build_hasher(&self) -> FastHasher {
        FastHasher(0)
    }
}

struct FastHasher(u64);

impl std::hash::Hasher for FastHasher {
    fn write(&mut self, bytes: &[u8]) {
        for chunk in bytes.chunks(8) {
            let mut b = [0u8; 8];
            b[..chunk.len()].copy_from_slice(chunk);
            self.write_u64(u64::from_le_bytes(b));
        }
    }

    fn write_u64(&mut self, n: u64) {
        self.0 = (self.0.rotate_left(5) ^ n).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }

    fn finish(&self) -> u64 {
        self.0
    }
}

impl Index {
    pub fn build(docs: Vec<Doc>) -> Index {
        // Each thread indexes a run of consecutive documents; the runs' postings are then
        // joined in document order, so every list comes out ascending without sorting.
        let chunk = docs.len().div_ceil(rayon::current_num_threads() * 4).max(32);
        let parts: Vec<Postings> = docs
            .par_chunks(chunk)
            .enumerate()
            .map(|(c, docs)| {
                let mut p = Postings::default();
                for (j, d) in docs.iter().enumerate() {
                    let id = (c * chunk + j) as u32;
                    for_each_token(&d.title, |t| p.add(t, id));
                    for_each_token(&d.text, |t| p.add(t, id));
                }
                p
            })
            .collect();
        let mut all = Postings::default();
        for part in parts {
            for (k, ids) in part.hangul {
                all.hangul.entry(k).or_default().extend(ids);
            }
            for (k, ids) in part.words {
                all.words.entry(k).or_default().extend(ids);
            }
        }
        let mut entries: Vec<(String, Vec<u32>)> =
            all.hangul.into_iter().map(|(k, ids)| (Postings::hangul_term(k), ids)).chain(all.words).collect();
        entries.sort_by(|a, b| utf16_order(&a.0, &b.0));
        let (terms, postings) = entries.into_iter().unzip();
        Index { docs, terms, postings }
    }

    /// The published file (see the module documentation), newline-terminated.
    pub fn to_json(&self, lang: Lang) -> Vec<u8> {
        let mut postings = String::new();
        for (i, ids) in self.postings.iter().enumerate() {
            if i > 0 {
                postings.push(' ');
            }
            encode_postings(ids, &mut postings);
        }
        let file = IndexFile {
            version: VERSION,
            lang: lang.code().to_string(),
            docs: self
                .docs
                .iter()
                .map(|d| [d.title.clone(), d.path.clone(), d.snippet.clone(), d.kind.clone()])
                .collect(),
            terms: self.terms.join(" "),
            postings,
        };
        let mut out = serde_json::to_vec(&file).expect("strings and numbers serialise");
        out.push(b'\n');
        crate::strings::drop_bidi(out)
    }

    /// Reads a published file back (documents without their text).
    pub fn from_json(bytes: &[u8]) -> Result<Index, String> {
        let file: IndexFile = serde_json::from_slice(bytes).map_err(|e| e.to_string())?;
        if file.version != VERSION {
            return Err(format!("index version {}, expected {VERSION}", file.version));
        }
        let terms: Vec<String> = file.terms.split(' ').filter(|t| !t.is_empty()).map(str::to_string).collect();
        let postings = file
            .postings
            .split(' ')
            .map(|p| decode_postings(p).ok_or_else(|| format!("bad postings \"{p}\"")))
            .collect::<Result<Vec<_>, _>>()?;
        if terms.len() != postings.len() {
            return Err(format!("{} terms but {} postings", terms.len(), postings.len()));
        }
        let docs = file
            .docs
            .into_iter()
            .map(|[title, path, snippet, kind]| Doc { title, path, snippet, kind, text: String::new() })
            .collect();
        Ok(Index { docs, terms, postings })
    }

    /// The documents holding a token: one term exactly, or every term it prefixes.
    fn lookup(&self, token: &QueryToken) -> BTreeSet<u32> {
        let mut out = BTreeSet::new();
        let (key, prefix) = match token {
            QueryToken::Exact(k) => (k.as_str(), false),
            QueryToken::Prefix(k) => (k.as_str(), true),
        };
        let start = self.terms.partition_point(|t| utf16_order(t, key).is_lt());
        for (term, ids) in self.terms[start..].iter().zip(&self.postings[start..]) {
            let hit = if prefix { term.starts_with(key) } else { term == key };
            if !hit {
                break;
            }
            out.extend(ids);
        }
        out
    }

    /// Ranked document ids for a query, as `search.js` ranks them.
    pub fn search(&self, query: &str) -> Vec<usize> {
        let tokens = query_tokens(query);
        if tokens.is_empty() {
            return Vec::new();
        }
        let mut matched: HashMap<u32, usize> = HashMap::new();
        for tok in &tokens {
            for id in self.lookup(tok) {
                *matched.entry(id).or_default() += 1;
            }
        }
        let n = tokens.len();
        let best = matched.values().copied().max().unwrap_or(0);
        let floor = if best == n { n } else { n.div_ceil(2) };
        // (tokens matched, tokens the title matches, title length when it matches any, id)
        let mut hits: Vec<(usize, usize, usize, u32)> = matched
            .into_iter()
            .filter(|&(_, m)| m >= floor)
            .map(|(id, m)| {
                let title = &self.docs[id as usize].title;
                let mut words = Vec::new();
                index_tokens(title, &mut words);
                let in_title = tokens
                    .iter()
                    .filter(|t| match t {
                        QueryToken::Exact(k) => words.contains(k),
                        QueryToken::Prefix(k) => words.iter().any(|w| w.starts_with(k.as_str())),
                    })
                    .count();
                // Of two titles that match, the shorter is the more specific (수영구, the
                // region, before 부산광역시 수영구 지역사회보장계획 시행결과).
                let len = if in_title > 0 { title.chars().count() } else { 0 };
                (m, in_title, len, id)
            })
            .collect();
        hits.sort_by(|a, b| b.0.cmp(&a.0).then(b.1.cmp(&a.1)).then(a.2.cmp(&b.2)).then(a.3.cmp(&b.3)));
        hits.into_iter().map(|(.., id)| id as usize).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(title: &str, text: &str) -> Doc {
        Doc {
            title: title.into(),
            path: format!("/{title}/"),
            snippet: String::new(),
            kind: "program".into(),
            text: text.into(),
        }
    }

    fn tokens(text: &str) -> Vec<String> {
        let mut v = Vec::new();
        index_tokens(text, &mut v);
        v
    }

    fn titles(index: &Index, query: &str) -> Vec<String> {
        index.search(query).into_iter().map(|i| index.docs[i].title.clone()).collect()
    }

    #[test]
    fn korean_is_indexed_by_syllables_and_bigrams() {
        assert_eq!(tokens("통합돌봄"), ["통", "통합", "합", "합돌", "돌", "돌봄", "봄"]);
        assert_eq!(query_tokens("돌봄"), [QueryToken::Exact("돌봄".into())]);
        assert_eq!(query_tokens("돌"), [QueryToken::Exact("돌".into())]);
        assert_eq!(query_tokens("통합돌봄"), ["통합", "합돌", "돌봄"].map(|s| QueryToken::Exact(s.into())).to_vec());
    }

    #[test]
    fn a_korean_word_is_found_inside_compounds() {
        let index = Index::build(vec![
            doc("통합돌봄", "지역사회 통합돌봄 서비스"),
            doc("아동돌봄", "마을이 돌보는 지역공동체 아동돌봄 사업"),
            doc("일자리", "사회서비스 일자리 창출"),
        ]);
        assert_eq!(titles(&index, "돌봄"), ["통합돌봄", "아동돌봄"]);
        assert_eq!(titles(&index, "돌"), ["통합돌봄", "아동돌봄"], "one syllable");
        assert_eq!(titles(&index, "아동돌봄"), ["아동돌봄"]);
        // Spacing does not matter: "지역 사회" finds 지역사회, and 사회서비스 finds "사회 서비스".
        assert_eq!(titles(&index, "지역 사회"), ["통합돌봄"]);
        let spaced = Index::build(vec![doc("a", "사회 서비스")]);
        assert_eq!(titles(&spaced, "사회서비스"), ["a"]);
    }

    #[test]
    fn english_words_match_by_prefix() {
        assert!(tokens("Integrated Care, older people’s").contains(&"care".to_string()));
        assert_eq!(query_tokens("CAR"), [QueryToken::Prefix("car".into())]);
        let index = Index::build(vec![doc("Care", "Community care for older people"), doc("Jobs", "Job creation")]);
        assert_eq!(titles(&index, "car"), ["Care"]);
        assert_eq!(titles(&index, "Older CARE"), ["Care"]);
        assert!(titles(&index, "cart").is_empty());
    }

    #[test]
    fn numbers_match_with_or_without_separators() {
        assert_eq!(tokens("28,800백만원"), ["28800", "백", "백만", "만", "만원", "원"]);
        assert_eq!(tokens("1,304,900 and 35.9% in 2021,2022."), ["1304900", "and", "35.9", "in", "2021", "2022"]);
        assert_eq!(tokens("RE100"), ["re", "100", "re100"]);
        let index = Index::build(vec![doc("a", "예산 28800 백만원"), doc("b", "예산 2,274")]);
        assert_eq!(titles(&index, "28,800"), ["a"]);
        assert_eq!(titles(&index, "28800"), ["a"]);
        assert_eq!(titles(&index, "2274"), ["b"]);
    }

    #[test]
    fn folding_composes_jamo_and_full_width() {
        // 돌봄 in conjoining jamo (NFD) and ＣＡＲＥ in full-width letters.
        assert_eq!(tokens("\u{1103}\u{1169}\u{11AF}\u{1107}\u{1169}\u{11B7}"), ["돌", "돌봄", "봄"]);
        assert_eq!(tokens("ＣＡＲＥ"), ["care"]);
    }

    #[test]
    fn titles_rank_first_then_partial_matches_show_when_nothing_matches_all() {
        let index = Index::build(vec![doc("사업", "돌봄 이야기"), doc("돌봄 사업", "본문")]);
        assert_eq!(titles(&index, "돌봄"), ["돌봄 사업", "사업"]);
        let region = Index::build(vec![
            doc("부산광역시 수영구 사례", "수영구"),
            doc("수영구", "부산광역시"),
            doc("x", "수영구"),
        ]);
        assert_eq!(titles(&region, "수영구"), ["수영구", "부산광역시 수영구 사례", "x"]);
        // 돌봄 matches, 우주 nowhere: half the tokens still show the page.
        assert_eq!(titles(&index, "우주 돌봄"), ["돌봄 사업", "사업"]);
        assert!(titles(&index, "우주").is_empty());
    }

    #[test]
    fn postings_are_delta_encoded_in_base_32() {
        let mut s = String::new();
        encode_postings(&[0, 3, 4, 40, 1100], &mut s);
        assert_eq!(s, "031B4BB4", "deltas 0, 3, 1, 36 = 1×32+4, 1060 = (1×32+1)×32+4");
        assert_eq!(decode_postings(&s), Some(vec![0, 3, 4, 40, 1100]));
        assert_eq!(decode_postings("0\""), None);
    }

    #[test]
    fn json_is_sorted_stable_and_reads_back() {
        let docs = || vec![doc("b", "zeta alpha 2022"), doc("a", "alpha 돌봄"), doc("c", "alpha")];
        let json = Index::build(docs()).to_json(Lang::Ko);
        assert_eq!(json, Index::build(docs()).to_json(Lang::Ko));
        let v: serde_json::Value = serde_json::from_slice(&json).unwrap();
        assert_eq!(v["version"], 1);
        assert_eq!(v["docs"][1], serde_json::json!(["a", "/a/", "", "program"]));
        let terms: Vec<&str> = v["terms"].as_str().unwrap().split(' ').collect();
        let mut sorted = terms.clone();
        sorted.sort_by(|a, b| utf16_order(a, b));
        assert_eq!(terms, sorted);
        let back = Index::from_json(&json).unwrap();
        assert_eq!(back.terms, terms);
        let alpha = back.terms.iter().position(|t| t == "alpha").unwrap();
        assert_eq!(back.postings[alpha], [0, 1, 2]);
        assert_eq!(titles(&back, "돌봄"), ["a"]);
    }

    #[test]
    fn markdown_is_stripped_to_text() {
        let text = markdown_text("## 개요\n\n**통합**돌봄 [링크](@/x.md)\n\n| a | b |\n|---|---|\n| 1 | 2 |\n");
        assert!(text.contains("개요\n"), "{text}");
        assert!(text.contains("통합돌봄 링크"), "{text}");
        assert!(!text.contains("**") && !text.contains("@/") && !text.contains('|'), "{text}");
    }

    #[test]
    fn long_snippets_are_cut_with_an_ellipsis() {
        let s = snippet(&"word ".repeat(100));
        assert!(s.ends_with('…') && s.chars().count() <= SNIPPET_CHARS + 1, "{s}");
        assert_eq!(snippet("short\ntext"), "short text");
    }
}
