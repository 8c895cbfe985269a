//! Charts: static SVG drawn with plotters, styled from `charts/style.toml`.
//!
//! Every chart here is a horizontal bar chart: one row per year, program, indicator or
//! region, long Korean labels on the left, the value written beside each bar. `draw`
//! does the drawing; `kinds` turns model data into rows in the reader's language.
//! Text is never measured with a font (plotters is built without font support), so the
//! SVG bytes are the same on every machine.

pub mod kinds;
pub mod png;
mod raster;

use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use serde::{Deserialize, Serialize};
use std::path::Path;

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ChartStyle {
    pub font_family: String,
    pub font_size: u32,
    pub width: u32,
    /// The width of each chart's phone drawing (`<id>.narrow.svg`, the `<picture>`
    /// source under 40rem): drawn this narrow with the same font sizes, so that scaled to
    /// a 390 px phone's column its smallest text stays at 12 CSS px or more.
    #[serde(default = "phone_width")]
    pub phone_width: u32,
    pub row_height: u32,
    /// Above this many rows, a region or category chart shows the distribution instead.
    pub max_rows: usize,
    pub colors: Colors,
    pub kinds: Kinds,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Colors {
    pub budget: String,
    pub executed: String,
    pub rate: String,
    pub over: String,
    pub qualitative: String,
    pub reference: String,
    pub text: String,
    pub muted: String,
    pub grid: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Kinds {
    pub budget: bool,
    pub kpi: bool,
    pub execution: bool,
    pub achievement: bool,
    pub regions: bool,
    pub distribution: bool,
    /// Program and case: every series the source prints (columns for a time series,
    /// bars for a breakdown). A style file without the key draws them.
    #[serde(default = "yes")]
    pub series: bool,
    /// Region, category, case and home: budget and executed amounts beside the rates.
    #[serde(default = "yes")]
    pub amounts: bool,
}

fn yes() -> bool {
    true
}

fn phone_width() -> u32 {
    320
}

pub const DEFAULT_STYLE: &str = include_str!("../../charts/style.toml");

impl ChartStyle {
    /// The site's `charts/style.toml`, or gongsi's own when the site has none.
    pub fn load(root: &Path) -> Result<ChartStyle, crate::diagnostics::Diagnostic> {
        let rel = Path::new("charts/style.toml");
        let text =
            if root.join(rel).is_file() { crate::load::read_text(root, rel)? } else { DEFAULT_STYLE.to_string() };
        let style: ChartStyle = crate::load::parse_toml(rel, &text, 0, &text)?;
        for (name, value) in style.colors.all() {
            if parse_hex(value).is_none() {
                return Err(crate::diagnostics::Diagnostic::error(
                    rel,
                    format!("colors.{name}: \"{value}\" is not a #RRGGBB colour"),
                )
                .at_text(&text, value));
            }
        }
        Ok(style)
    }
}

impl Colors {
    fn all(&self) -> [(&'static str, &str); 9] {
        [
            ("budget", &self.budget),
            ("executed", &self.executed),
            ("rate", &self.rate),
            ("over", &self.over),
            ("qualitative", &self.qualitative),
            ("reference", &self.reference),
            ("text", &self.text),
            ("muted", &self.muted),
            ("grid", &self.grid),
        ]
    }
}

pub fn parse_hex(s: &str) -> Option<RGBColor> {
    let h = s.strip_prefix('#')?;
    if h.len() != 6 {
        return None;
    }
    let v = u32::from_str_radix(h, 16).ok()?;
    Some(RGBColor((v >> 16) as u8, (v >> 8) as u8, v as u8))
}

fn color(s: &str) -> RGBColor {
    parse_hex(s).unwrap_or(BLACK)
}

/// How far below the page-width drawing the phone drawing sits in a chart's file: far
/// enough that no window shows it beside the other (a file opened on its own shows its
/// `viewBox`, scaled to fit, and what lies just outside it).
const NARROW_AT: u32 = 100_000;

/// The view of a chart's file that shows its phone drawing: `<id>.svg#narrow`.
pub const NARROW_VIEW: &str = "narrow";

/// The body of one of this module's SVG drawings: what follows its `<desc>` up to its
/// closing tag.
fn svg_body(svg: &str) -> &str {
    let start = svg.find("</desc>").map_or_else(|| svg.find('>').map_or(0, |i| i + 1), |i| i + "</desc>".len());
    let end = svg.rfind("</svg>").unwrap_or(svg.len());
    &svg[start..end.max(start)]
}

impl Chart {
    /// The chart's file (`<id>.svg`): one image with both drawings. Its `viewBox` is the
    /// page-width drawing; the phone drawing lies far below it, shown by the view
    /// `#narrow` (`<id>.svg#narrow`, the `<picture>` source for phones), which also gives
    /// the image the phone drawing's proportions. The root has no `width`/`height`, so
    /// those proportions come from the view in use (a fixed size would letterbox the
    /// phone drawing inside the page-width one's).
    pub fn file_svg(&self) -> String {
        let id = &self.id;
        crate::strings::drop_bidi_str(format!(
            "<svg role=\"img\" aria-labelledby=\"{id}-title {id}-desc\" viewBox=\"0 0 {w} {h}\" xmlns=\"http://www.w3.org/2000/svg\">\n<title id=\"{id}-title\">{title}</title>\n<desc id=\"{id}-desc\">{alt}</desc>\n<view id=\"{NARROW_VIEW}\" viewBox=\"0 {NARROW_AT} {nw} {nh}\"/>{wide}<g class=\"{NARROW_VIEW}\" transform=\"translate(0 {NARROW_AT})\">{narrow}</g>\n</svg>\n",
            w = self.width,
            h = self.height,
            nw = self.narrow_width,
            nh = self.narrow_height,
            title = escape_xml(&self.title),
            alt = escape_xml(&self.alt),
            wide = svg_body(&self.svg),
            narrow = svg_body(&self.narrow_svg),
        ))
    }
}

/// A drawn chart with what the page needs around it.
#[derive(Debug, Clone, Serialize)]
pub struct Chart {
    /// Unique on its page; also the file name (`<id>.svg`) and the figure's anchor.
    pub id: String,
    pub kind: &'static str,
    pub title: String,
    /// The text alternative: every number the chart shows, in a sentence per row.
    pub alt: String,
    pub width: u32,
    pub height: u32,
    /// The same numbers as a table, for the HTML beside the chart.
    pub table: Table,
    /// The unit of its values, shown under the title ("단위: 명").
    pub unit: Option<String>,
    /// Notes on the data and what the chart covers, drawn under it and shown beside it.
    pub notes: Vec<String>,
    /// The printed page of its figures, for its citation (`None`: the page's own).
    pub page: Option<u32>,
    /// The phone drawing's size (the view `<id>.svg#narrow`).
    pub narrow_width: u32,
    pub narrow_height: u32,
    /// Ids the chart was published under before (a renamed series): the page keeps their
    /// anchors, and their files and embed pages are written too.
    pub former_ids: Vec<String>,
    /// The page-width drawing on its own (with `width` and `height`): what the PNG and the
    /// edition's embed page are made from.
    #[serde(skip)]
    pub svg: String,
    /// The phone drawing on its own.
    #[serde(skip)]
    pub narrow_svg: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct Table {
    pub columns: Vec<String>,
    pub rows: Vec<Vec<String>>,
}

/// One bar of a row.
#[derive(Clone)]
pub struct Bar {
    pub value: f64,
    pub color: String,
    pub text: String,
    /// Legend name, used in the text alternative ("예산", "집행").
    pub name: String,
}

#[derive(Clone)]
pub struct Row {
    pub label: String,
    pub bars: Vec<Bar>,
    /// Text drawn where a bar cannot be (a qualitative indicator, an undefined rate).
    pub note: Option<String>,
}

#[derive(Clone)]
pub struct Spec {
    pub id: String,
    pub kind: &'static str,
    pub title: String,
    pub rows: Vec<Row>,
    /// A vertical reference line, e.g. 100 % with its label.
    pub reference: Option<(f64, String)>,
    /// Axis ticks as (value, label); empty for no axis.
    pub ticks: Vec<(f64, String)>,
    pub legend: Vec<(String, String)>,
    pub table: Table,
    /// The unit, written under the title.
    pub unit: Option<String>,
    pub notes: Vec<String>,
    pub page: Option<u32>,
}

impl Spec {
    /// A spec with no reference line, ticks, legend, unit, notes or page.
    pub fn new(id: impl Into<String>, kind: &'static str, title: String, rows: Vec<Row>, table: Table) -> Spec {
        Spec {
            id: id.into(),
            kind,
            title,
            rows,
            reference: None,
            ticks: Vec::new(),
            legend: Vec::new(),
            table,
            unit: None,
            notes: Vec::new(),
            page: None,
        }
    }
}

/// Width in px of text at `size`, estimated without a font: Hangul and other wide
/// characters take one em, the rest a little over half.
pub fn text_width(text: &str, size: f64) -> f64 {
    text.chars()
        .map(|c| {
            if (c as u32) >= 0x1100 && !matches!(c, '–' | '—' | '’' | '‘' | '“' | '”' | '…' | '·') {
                1.0
            } else {
                0.56
            }
        })
        .sum::<f64>()
        * size
}

/// Splits a label into at most two lines that fit `width`, ending with "…" if cut.
fn wrap(label: &str, width: f64, size: f64) -> Vec<String> {
    wrap_lines(label, width, size, 2)
}

/// How wide a character is, in hundredths of an em (see [`text_width`]).
fn char_units(c: char) -> u64 {
    if (c as u32) >= 0x1100 && !matches!(c, '–' | '—' | '’' | '‘' | '“' | '”' | '…' | '·') {
        100
    } else {
        56
    }
}

/// Splits text into at most `max` lines that fit `width`, ending with "…" if cut. Widths
/// add up character by character, so each line's width is kept as it grows: the time is
/// linear in the label's length.
fn wrap_lines(label: &str, width: f64, size: f64, max: usize) -> Vec<String> {
    if text_width(label, size) <= width {
        return vec![label.to_string()];
    }
    let fits = |units: u64| units as f64 / 100.0 * size <= width;
    let units = |s: &str| s.chars().map(char_units).sum::<u64>();
    let space = char_units(' ');
    let mut lines: Vec<(String, u64)> = vec![(String::new(), 0)];
    for word in label.split(' ') {
        let w = units(word);
        let n = lines.len();
        let (cur, cur_units) = lines.last_mut().unwrap();
        if cur.is_empty() {
            cur.push_str(word);
            *cur_units = w;
        } else if fits(*cur_units + space + w) || n >= max {
            cur.push(' ');
            cur.push_str(word);
            *cur_units += space + w;
        } else {
            lines.push((word.to_string(), w));
        }
    }
    // Hard-cut any line still too wide (long words, Korean without spaces); lines past
    // the last shown one are not needed.
    let mut out: Vec<String> = Vec::new();
    'lines: for (line, _) in lines {
        let (mut cur, mut cur_units) = (String::new(), 0);
        for ch in line.chars() {
            let u = char_units(ch);
            if !fits(cur_units + u) && !cur.is_empty() {
                out.push(std::mem::take(&mut cur));
                cur_units = 0;
                if out.len() > max {
                    break 'lines;
                }
            }
            cur.push(ch);
            cur_units += u;
        }
        if !cur.is_empty() {
            out.push(cur);
        }
    }
    if out.len() > max {
        out.truncate(max);
        let last = out.last_mut().unwrap();
        while text_width(&format!("{last}…"), size) > width && last.pop().is_some() {}
        last.push('…');
    }
    out
}

const TITLE_H: u32 = 34;
const LEGEND_H: u32 = 26;
const AXIS_H: u32 = 30;
const VALUE_ROOM: i32 = 130;
const MARGIN: i32 = 10;
/// The smallest text drawn: values, notes and axis labels.
const SMALL: f64 = 12.0;
/// Lines a note may take under a chart; the whole note is beside it on the page.
const NOTE_LINES: usize = 6;

/// plotters divides font sizes by 1.24 when writing SVG; scale up to get `px` px.
fn font_at(font: &str, px: f64) -> FontDesc<'_> {
    (font, px * 1.24).into_font()
}

/// The title (wrapped to two lines), the unit under it and the legend: their lines and
/// the height they take.
struct Header {
    title: Vec<String>,
    unit: Option<String>,
    height: i32,
}

impl Header {
    fn new(spec: &Spec, style: &ChartStyle, w: u32, short: &mut Shortened) -> Header {
        let fs = style.font_size as f64;
        // Bold text runs wider than the estimate: wrap the title with room to spare.
        let title = short.wrap(&spec.title, (w as i32 - 2 * MARGIN) as f64 * 0.88, fs + 2.0);
        let unit = spec.unit.clone();
        let height = TITLE_H as i32
            + (title.len() as i32 - 1) * (fs as i32 + 6)
            + if unit.is_some() { SMALL as i32 + 6 } else { 0 }
            + if spec.legend.is_empty() { 0 } else { LEGEND_H as i32 };
        Header { title, unit, height }
    }

    fn draw<DB: DrawingBackend>(
        &self,
        root: &DrawingArea<DB, plotters::coord::Shift>,
        spec: &Spec,
        style: &ChartStyle,
    ) {
        let font = style.font_family.as_str();
        let fs = style.font_size as f64;
        let text_c = color(&style.colors.text);
        let muted = color(&style.colors.muted);
        let left = Pos::new(HPos::Left, VPos::Center);
        let mut y = TITLE_H as i32 / 2;
        for line in &self.title {
            let _ = root.draw(&Text::new(
                line.clone(),
                (MARGIN, y),
                font_at(font, fs + 2.0).style(FontStyle::Bold).color(&text_c).pos(left),
            ));
            y += fs as i32 + 6;
        }
        y -= fs as i32 + 6;
        if let Some(unit) = &self.unit {
            y += TITLE_H as i32 / 2 + 2;
            let _ = root.draw(&Text::new(unit.clone(), (MARGIN, y), font_at(font, SMALL).color(&muted).pos(left)));
            y += SMALL as i32 / 2;
        } else {
            y += TITLE_H as i32 / 2;
        }
        let mut lx = MARGIN;
        for (name, c) in &spec.legend {
            let c = color(c);
            let ly = y + LEGEND_H as i32 / 2;
            let _ = root.draw(&Rectangle::new([(lx, ly - 6), (lx + 14, ly + 6)], c.filled()));
            let _ =
                root.draw(&Text::new(name.clone(), (lx + 20, ly), font_at(font, fs - 1.0).color(&text_c).pos(left)));
            lx += 20 + text_width(name, fs - 1.0) as i32 + 24;
        }
    }
}

/// The notes under a chart, wrapped, and the height they take.
fn note_lines(spec: &Spec, w: u32) -> (Vec<String>, i32) {
    let width = (w as i32 - 2 * MARGIN) as f64;
    let lines: Vec<String> = spec.notes.iter().flat_map(|n| wrap_lines(n, width, SMALL, NOTE_LINES)).collect();
    let h = if lines.is_empty() { 0 } else { 6 + lines.len() as i32 * (SMALL as i32 + 4) };
    (lines, h)
}

fn draw_notes<DB: DrawingBackend>(
    root: &DrawingArea<DB, plotters::coord::Shift>,
    lines: &[String],
    top: i32,
    style: &ChartStyle,
) {
    let muted = color(&style.colors.muted);
    for (i, line) in lines.iter().enumerate() {
        let _ = root.draw(&Text::new(
            line.clone(),
            (MARGIN, top + 6 + i as i32 * (SMALL as i32 + 4) + SMALL as i32 / 2),
            font_at(&style.font_family, SMALL).color(&muted).pos(Pos::new(HPos::Left, VPos::Center)),
        ));
    }
}

/// Labels and titles cut short with "…" as they were drawn: (the line drawn, the full text).
#[derive(Default)]
struct Shortened(Vec<(String, String)>);

impl Shortened {
    /// [`wrap`], remembering a label it had to cut.
    fn wrap(&mut self, label: &str, width: f64, size: f64) -> Vec<String> {
        let lines = wrap(label, width, size);
        if let Some(last) = lines.last().filter(|l| l.ends_with('…') && !label.ends_with('…')) {
            self.0.push((last.clone(), label.to_string()));
        }
        lines
    }

    /// Gives each cut text element its full text as a `<title>` child, so the whole label
    /// stays available in the SVG (and the table beside the chart has it too).
    fn annotate(&self, mut svg: String) -> String {
        for (line, full) in &self.0 {
            let needle = format!(">\n{}\n</text>", escape_xml(line).replace('\'', "&apos;"));
            if let Some(i) = svg.find(&needle) {
                let with = format!(
                    ">\n<title>{}</title>{}\n</text>",
                    escape_xml(full).replace('\'', "&apos;"),
                    &needle[2..needle.len() - 8]
                );
                svg.replace_range(i..i + needle.len(), &with);
            }
        }
        svg
    }
}

/// One drawing of a chart at one width.
struct Drawn {
    svg: String,
    height: u32,
}

/// Draws the chart at its page width and at its phone width, and gives both drawings a
/// role, a title and a text alternative.
fn finish(spec: Spec, style: &ChartStyle, draw_at: fn(&Spec, &ChartStyle, u32) -> Drawn) -> Chart {
    let wide = draw_at(&spec, style, style.width);
    let narrow = draw_at(&spec, style, style.phone_width);
    let alt = alt_text(&spec);
    let svg = crate::strings::drop_bidi_str(accessible_svg(&wide.svg, &spec.id, &spec.title, &alt));
    let narrow_svg = crate::strings::drop_bidi_str(accessible_svg(&narrow.svg, &spec.id, &spec.title, &alt));
    Chart {
        id: spec.id,
        kind: spec.kind,
        title: spec.title,
        alt,
        width: style.width,
        height: wide.height,
        narrow_width: style.phone_width,
        narrow_height: narrow.height,
        table: spec.table,
        unit: spec.unit,
        notes: spec.notes,
        page: spec.page,
        former_ids: Vec::new(),
        svg,
        narrow_svg,
    }
}

/// Draws a column chart for a time series: one column per year, left to right, its
/// value written above it and its label below; a text value is written where its
/// column would be. Values are never clipped: the scale reaches the largest.
pub fn draw_columns(spec: Spec, style: &ChartStyle) -> Chart {
    finish(spec, style, columns_at)
}

fn columns_at(spec: &Spec, style: &ChartStyle, w: u32) -> Drawn {
    let font = style.font_family.as_str();
    let mut short = Shortened::default();
    let header = Header::new(spec, style, w, &mut short);
    let (notes, notes_h) = note_lines(spec, w);
    let n = spec.rows.len().max(1) as i32;
    let slot = (w as i32 - 2 * MARGIN) / n;
    let labels: Vec<Vec<String>> = spec.rows.iter().map(|r| short.wrap(&r.label, (slot - 4) as f64, SMALL)).collect();
    let label_lines = labels.iter().map(Vec::len).max().unwrap_or(1) as i32;
    const PLOT_H: i32 = 180;
    let plot_top = header.height + SMALL as i32 + 10;
    let base_y = plot_top + PLOT_H;
    let labels_h = 8 + label_lines * (SMALL as i32 + 4);
    let h = (base_y + labels_h + notes_h + 6) as u32;
    let max =
        spec.rows.iter().flat_map(|r| r.bars.iter().map(|b| b.value)).fold(0.0f64, f64::max).max(f64::MIN_POSITIVE);
    let y_of = |v: f64| base_y - ((v.max(0.0) / max) * PLOT_H as f64).round() as i32;
    let text_c = color(&style.colors.text);
    let muted = color(&style.colors.muted);
    let bar_w = (slot * 3 / 5).min(64);
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (w, h)).into_drawing_area();
        let _ = root.fill(&WHITE);
        header.draw(&root, spec, style);
        let center = Pos::new(HPos::Center, VPos::Center);
        for (i, (row, lines)) in spec.rows.iter().zip(&labels).enumerate() {
            let cx = MARGIN + slot * i as i32 + slot / 2;
            let bars = row.bars.len().max(1) as i32;
            let each = bar_w / bars;
            for (k, bar) in row.bars.iter().enumerate() {
                let x0 = cx - bar_w / 2 + k as i32 * each;
                let top = y_of(bar.value);
                if top < base_y {
                    let _ = root
                        .draw(&Rectangle::new([(x0 + 1, top), (x0 + each - 1, base_y)], color(&bar.color).filled()));
                }
                let _ = root.draw(&Text::new(
                    bar.text.clone(),
                    (x0 + each / 2, top - SMALL as i32 / 2 - 4),
                    font_at(font, SMALL).color(&text_c).pos(center),
                ));
            }
            if let Some(note) = &row.note {
                for (j, line) in wrap(note, (slot - 4) as f64, SMALL).iter().enumerate() {
                    let _ = root.draw(&Text::new(
                        line.clone(),
                        (cx, base_y - 2 * (SMALL as i32 + 4) + j as i32 * (SMALL as i32 + 4)),
                        font_at(font, SMALL).style(FontStyle::Italic).color(&muted).pos(center),
                    ));
                }
            }
            for (j, line) in lines.iter().enumerate() {
                let _ = root.draw(&Text::new(
                    line.clone(),
                    (cx, base_y + 8 + j as i32 * (SMALL as i32 + 4) + SMALL as i32 / 2),
                    font_at(font, SMALL).color(&text_c).pos(center),
                ));
            }
        }
        let _ =
            root.draw(&PathElement::new(vec![(MARGIN, base_y), (w as i32 - MARGIN, base_y)], muted.stroke_width(1)));
        draw_notes(&root, &notes, base_y + labels_h, style);
        let _ = root.present();
    }
    Drawn { svg: short.annotate(svg), height: h }
}

/// Draws a horizontal bar chart: each row's label on its own line(s), its bars below,
/// full width, so the chart stays legible when a phone scales it down. Values are never
/// clipped: the scale reaches the largest.
pub fn draw(spec: Spec, style: &ChartStyle) -> Chart {
    finish(spec, style, bars_at)
}

fn bars_at(spec: &Spec, style: &ChartStyle, w: u32) -> Drawn {
    let font = style.font_family.as_str();
    let fs = style.font_size as f64;
    let mut short = Shortened::default();
    let label_fs = fs - 1.0;
    let line_h = (label_fs + 5.0) as i32;
    let bar_h = (style.row_height as i32 / 2).max(10);
    let plot_x0 = MARGIN;
    let plot_x1 = w as i32 - VALUE_ROOM;
    // Lay out rows first: their heights depend on how their labels wrap.
    let layouts: Vec<(Vec<String>, i32)> = spec
        .rows
        .iter()
        .map(|r| {
            let lines = short.wrap(&r.label, (w as i32 - 2 * MARGIN) as f64, label_fs);
            let bars = r.bars.len().max(1) as i32;
            let h = lines.len() as i32 * line_h + bars * bar_h + 12;
            (lines, h)
        })
        .collect();
    let header = Header::new(spec, style, w, &mut short);
    let (notes, notes_h) = note_lines(spec, w);
    let top = header.height;
    let rows_h: i32 = layouts.iter().map(|(_, h)| h).sum::<i32>().max(20);
    let axis = if spec.ticks.is_empty() && spec.reference.is_none() { 6 } else { AXIS_H as i32 };
    let h = (top + rows_h + axis + 4 + notes_h) as u32;
    let max = spec
        .rows
        .iter()
        .flat_map(|r| r.bars.iter().map(|b| b.value))
        .chain(spec.reference.iter().map(|r| r.0))
        .chain(spec.ticks.iter().map(|t| t.0))
        .fold(0.0f64, f64::max)
        .max(f64::MIN_POSITIVE);
    let x_of = |v: f64| plot_x0 + ((v.max(0.0) / max) * (plot_x1 - plot_x0) as f64).round() as i32;
    let text_c = color(&style.colors.text);
    let muted = color(&style.colors.muted);

    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (w, h)).into_drawing_area();
        let _ = root.fill(&WHITE);
        let left = Pos::new(HPos::Left, VPos::Center);
        let font_at = |px: f64| font_at(font, px);
        header.draw(&root, spec, style);
        let rows_bottom = top + rows_h;
        // Vertical lines run through the bar bands only, never through a label.
        let bands: Vec<(i32, i32)> = {
            let mut y0 = top;
            spec.rows
                .iter()
                .zip(&layouts)
                .map(|(row, (lines, row_h))| {
                    let b0 = y0 + 4 + lines.len() as i32 * line_h;
                    y0 += row_h;
                    (b0 - 2, b0 + row.bars.len().max(1) as i32 * bar_h + 2)
                })
                .collect()
        };
        let vline = |x: i32, style: ShapeStyle, dashed: bool| {
            for &(a, b) in &bands {
                if dashed {
                    let _ = root.draw(&plotters::element::DashedPathElement::new(vec![(x, a), (x, b)], 4, 3, style));
                } else {
                    let _ = root.draw(&PathElement::new(vec![(x, a), (x, b)], style));
                }
            }
        };
        let grid = color(&style.colors.grid);
        let reference_x = spec.reference.as_ref().map(|(v, _)| x_of(*v));
        for (v, label) in &spec.ticks {
            let x = x_of(*v);
            vline(x, grid.stroke_width(1), false);
            if reference_x.is_some_and(|rx| (rx - x).abs() < 30) {
                continue; // the reference line's own label stands there
            }
            let _ = root.draw(&Text::new(
                label.clone(),
                (x, rows_bottom + 14),
                font_at(fs - 3.0).color(&muted).pos(Pos::new(HPos::Center, VPos::Center)),
            ));
        }
        let mut y0 = top;
        for (row, (lines, row_h)) in spec.rows.iter().zip(&layouts) {
            for (j, line) in lines.iter().enumerate() {
                let _ = root.draw(&Text::new(
                    line.clone(),
                    (MARGIN, y0 + 4 + j as i32 * line_h + line_h / 2),
                    font_at(label_fs).color(&text_c).pos(left),
                ));
            }
            let bars_top = y0 + 4 + lines.len() as i32 * line_h;
            for (k, bar) in row.bars.iter().enumerate() {
                let by0 = bars_top + k as i32 * bar_h;
                let x1 = x_of(bar.value);
                let c = color(&bar.color);
                if x1 > plot_x0 {
                    let _ = root.draw(&Rectangle::new([(plot_x0, by0 + 1), (x1, by0 + bar_h - 1)], c.filled()));
                }
                // A value just short of the reference line is written past it, not across it.
                let tx = match reference_x {
                    Some(rx) if x1 <= rx && rx - x1 < 48 => rx + 6,
                    _ => x1 + 6,
                };
                let _ = root.draw(&Text::new(
                    bar.text.clone(),
                    (tx, by0 + bar_h / 2),
                    font_at(fs - 3.0).color(&text_c).pos(left),
                ));
            }
            if let Some(note) = &row.note {
                let _ = root.draw(&Text::new(
                    note.clone(),
                    (plot_x0 + 4, bars_top + bar_h / 2),
                    font_at(fs - 3.0).style(FontStyle::Italic).color(&muted).pos(left),
                ));
            }
            y0 += row_h;
        }
        // The baseline and the reference line last, on top.
        vline(plot_x0, muted.stroke_width(1), false);
        if let Some((v, label)) = &spec.reference {
            let x = x_of(*v);
            let rc = color(&style.colors.reference);
            vline(x, rc.stroke_width(2), true);
            let _ = root.draw(&Text::new(
                label.clone(),
                (x, rows_bottom + 14),
                font_at(fs - 3.0).style(FontStyle::Bold).color(&rc).pos(Pos::new(HPos::Center, VPos::Center)),
            ));
        }
        draw_notes(&root, &notes, rows_bottom + axis, style);
        let _ = root.present();
    }
    Drawn { svg: short.annotate(svg), height: h }
}

/// One sentence per row: "2022: 예산 288억 원, 집행 288억 원".
fn alt_text(spec: &Spec) -> String {
    let mut parts = Vec::new();
    for row in &spec.rows {
        let mut items: Vec<String> =
            row.bars.iter().map(|b| format!("{} {}", b.name, b.text).trim().to_string()).collect();
        if let Some(n) = &row.note {
            items.push(n.clone());
        }
        parts.push(format!("{}: {}", row.label, items.join(", ")));
    }
    let unit = spec.unit.as_deref().map(|u| format!(" ({u})")).unwrap_or_default();
    let mut alt = format!("{}{unit}. {}.", spec.title, parts.join("; "));
    for n in &spec.notes {
        alt.push(' ');
        alt.push_str(n);
    }
    alt
}

fn escape_xml(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

/// Gives the SVG a role, a `<title>` and a `<desc>`, and lets it scale to its container.
fn accessible_svg(svg: &str, id: &str, title: &str, alt: &str) -> String {
    let Some(end) = svg.find('>') else {
        return svg.to_string();
    };
    let (open, rest) = svg.split_at(end);
    let open = open.replacen("<svg ", &format!("<svg role=\"img\" aria-labelledby=\"{id}-title {id}-desc\" "), 1);
    format!(
        "{open}>\n<title id=\"{id}-title\">{}</title>\n<desc id=\"{id}-desc\">{}</desc>{}",
        escape_xml(title),
        escape_xml(alt),
        &rest[1..]
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wrapping_a_huge_label_is_linear() {
        // 32,000 characters, with and without spaces: quadratic wrapping took seconds.
        for label in ["가".repeat(32_000), "ab ".repeat(11_000)] {
            let start = std::time::Instant::now();
            let lines = wrap(&label, 200.0, 14.0);
            assert_eq!(lines.len(), 2);
            assert!(lines[1].ends_with('…'));
            assert!(start.elapsed().as_millis() < 200, "{:?}", start.elapsed());
        }
    }

    #[test]
    fn labels_wrap_to_two_lines_at_most() {
        let lines = wrap("민관협력의 경기복지거버넌스 강화를 위한 아주 긴 사업 이름입니다 정말로 깁니다", 200.0, 14.0);
        assert!(lines.len() <= 2, "{lines:?}");
        assert!(lines.iter().all(|l| text_width(l, 14.0) <= 200.0 + 14.0), "{lines:?}");
        assert!(lines[1].ends_with('…'));
        assert_eq!(wrap("2022", 200.0, 14.0), vec!["2022"]);
    }

    #[test]
    fn svg_gets_title_and_desc() {
        let out = accessible_svg("<svg width=\"1\" xmlns=\"x\">\n<rect/>\n</svg>", "c", "A <b>", "d");
        assert!(out.starts_with("<svg role=\"img\" aria-labelledby=\"c-title c-desc\" width"));
        assert!(out.contains("<title id=\"c-title\">A &lt;b&gt;</title>"));
    }
}
