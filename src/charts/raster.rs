//! The fast way to a chart's pixels: the SVG that `charts` writes holds only rectangles,
//! polylines and single-line text, so they are drawn here directly with tiny-skia, and
//! each text is laid out with the bundled face's advances and drawn from a cache of
//! glyph coverage masks (one per glyph, size and quarter-pixel position), rasterised
//! once per thread instead of once per label. An SVG with anything else (a group, a
//! transform, another element or attribute, a colour that is not `#rrggbb`) gets
//! `None`, and `png` draws it with resvg instead.
//!
//! Every mask depends only on its key, so the pixels do not depend on which thread drew
//! which chart first.

use resvg::tiny_skia::{self, FillRule, Mask, Paint, PathBuilder, Pixmap, Stroke, Transform};
use rustc_hash::FxHashMap;
use std::cell::RefCell;
use std::rc::Rc;
use std::sync::LazyLock;

/// Quarter pixels: the positions a glyph mask is drawn for, in each direction.
const STEPS: f32 = 4.0;

struct Face {
    face: ttf_parser::Face<'static>,
    scale_per_px: f32,
}

static FACES: LazyLock<[Face; 2]> = LazyLock::new(|| {
    [super::png::REGULAR, super::png::BOLD].map(|bytes| {
        let face = ttf_parser::Face::parse(bytes, 0).expect("the bundled font parses");
        let scale_per_px = 1.0 / f32::from(face.units_per_em());
        Face { face, scale_per_px }
    })
});

#[derive(Clone, Copy, PartialEq, Eq, Hash)]
struct Key {
    face: u8,
    glyph: u16,
    size: u32,
    dx: u8,
    dy: u8,
}

/// A glyph's coverage, placed relative to the whole-pixel pen position.
struct Glyph {
    left: i32,
    top: i32,
    width: u32,
    coverage: Vec<u8>,
}

thread_local! {
    static GLYPHS: RefCell<FxHashMap<Key, Option<Rc<Glyph>>>> = RefCell::new(FxHashMap::default());
}

struct Outline(PathBuilder);

impl ttf_parser::OutlineBuilder for Outline {
    fn move_to(&mut self, x: f32, y: f32) {
        self.0.move_to(x, y);
    }
    fn line_to(&mut self, x: f32, y: f32) {
        self.0.line_to(x, y);
    }
    fn quad_to(&mut self, x1: f32, y1: f32, x: f32, y: f32) {
        self.0.quad_to(x1, y1, x, y);
    }
    fn curve_to(&mut self, x1: f32, y1: f32, x2: f32, y2: f32, x: f32, y: f32) {
        self.0.cubic_to(x1, y1, x2, y2, x, y);
    }
    fn close(&mut self) {
        self.0.close();
    }
}

fn rasterise(key: Key) -> Option<Rc<Glyph>> {
    let Face { face, scale_per_px } = &FACES[usize::from(key.face)];
    let mut outline = Outline(PathBuilder::new());
    let bounds = face.outline_glyph(ttf_parser::GlyphId(key.glyph), &mut outline)?;
    let path = outline.0.finish()?;
    let s = f32::from_bits(key.size) * scale_per_px;
    let (ox, oy) = (f32::from(key.dx) / STEPS, f32::from(key.dy) / STEPS);
    let left = (f32::from(bounds.x_min) * s + ox).floor() as i32 - 1;
    let right = (f32::from(bounds.x_max) * s + ox).ceil() as i32 + 1;
    let top = (-f32::from(bounds.y_max) * s + oy).floor() as i32 - 1;
    let bottom = (-f32::from(bounds.y_min) * s + oy).ceil() as i32 + 1;
    let (width, height) = ((right - left) as u32, (bottom - top) as u32);
    let mut mask = Mask::new(width, height)?;
    let at = Transform::from_row(s, 0.0, 0.0, -s, ox - left as f32, oy - top as f32);
    mask.fill_path(&path, FillRule::Winding, true, at);
    Some(Rc::new(Glyph { left, top, width, coverage: mask.data().to_vec() }))
}

fn glyph(key: Key) -> Option<Rc<Glyph>> {
    GLYPHS.with(|cache| cache.borrow_mut().entry(key).or_insert_with(|| rasterise(key)).clone())
}

/// `#rrggbb`, the only colour form the charts write.
fn colour(value: &str) -> Option<[u8; 3]> {
    let hex = value.strip_prefix('#').filter(|h| h.len() == 6)?;
    let byte = |i: usize| u8::from_str_radix(hex.get(i..i + 2)?, 16).ok();
    Some([byte(0)?, byte(2)?, byte(4)?])
}

fn number(value: &str) -> Option<f32> {
    value.trim().parse::<f32>().ok().filter(|v| v.is_finite())
}

/// An element's few attributes.
struct Attrs<'a>(Vec<(&'a str, &'a str)>);

impl<'a> Attrs<'a> {
    fn get(&self, name: &str) -> Option<&&'a str> {
        self.0.iter().find(|(n, _)| *n == name).map(|(_, v)| v)
    }
}

/// The element's attributes, refusing any not in `allowed`.
fn attributes<'a>(node: roxmltree::Node<'a, 'a>, allowed: &[&str]) -> Option<Attrs<'a>> {
    let mut out = Vec::with_capacity(allowed.len());
    for a in node.attributes() {
        if a.namespace().is_some() || !allowed.contains(&a.name()) {
            return None;
        }
        out.push((a.name(), a.value()));
    }
    Some(Attrs(out))
}

fn paint(fill: [u8; 3], opacity: f32) -> Paint<'static> {
    let mut paint = Paint::default();
    let alpha = (opacity.clamp(0.0, 1.0) * 255.0).round() as u8;
    paint.set_color_rgba8(fill[0], fill[1], fill[2], alpha);
    paint.anti_alias = true;
    paint
}

fn opacity(attrs: &Attrs) -> Option<f32> {
    attrs.get("opacity").map_or(Some(1.0), |v| number(v))
}

/// The chart's pixels on white, or `None` when the SVG holds what this drawer does not know.
pub fn render(svg: &str) -> Option<Pixmap> {
    let doc = roxmltree::Document::parse(svg).ok()?;
    let root = doc.root_element();
    let attrs = attributes(root, &["role", "aria-labelledby", "width", "height", "viewBox", "xmlns"])?;
    let width = attrs.get("width")?.parse::<u32>().ok()?;
    let height = attrs.get("height")?.parse::<u32>().ok()?;
    if let Some(view) = attrs.get("viewBox") {
        if view.split_whitespace().collect::<Vec<_>>() != ["0", "0", &width.to_string(), &height.to_string()] {
            return None;
        }
    }
    let mut pixmap = Pixmap::new(width, height)?;
    pixmap.fill(tiny_skia::Color::WHITE);
    for node in root.children() {
        if node.is_text() {
            if node.text().is_some_and(|t| !t.trim().is_empty()) {
                return None;
            }
            continue;
        }
        if !node.is_element() {
            continue;
        }
        match node.tag_name().name() {
            "title" | "desc" => {}
            "rect" => rect(node, &mut pixmap)?,
            "polyline" => polyline(node, &mut pixmap)?,
            "text" => text(node, &mut pixmap)?,
            _ => return None,
        }
    }
    Some(pixmap)
}

fn rect(node: roxmltree::Node, pixmap: &mut Pixmap) -> Option<()> {
    let a = attributes(node, &["x", "y", "width", "height", "opacity", "fill", "stroke"])?;
    if a.get("stroke").is_some_and(|s| *s != "none") {
        return None;
    }
    let n = |k: &str| a.get(k).map_or(Some(0.0), |v| number(v));
    let (x, y, w, h) = (n("x")?, n("y")?, n("width")?, n("height")?);
    let fill = match a.get("fill") {
        Some(&"none") => return Some(()),
        Some(f) => colour(f)?,
        None => [0, 0, 0],
    };
    if let Some(r) = tiny_skia::Rect::from_xywh(x, y, w, h) {
        pixmap.fill_rect(r, &paint(fill, opacity(&a)?), Transform::identity(), None);
    }
    Some(())
}

fn polyline(node: roxmltree::Node, pixmap: &mut Pixmap) -> Option<()> {
    let a = attributes(node, &["fill", "opacity", "stroke", "stroke-width", "points"])?;
    if a.get("fill").is_some_and(|f| *f != "none") {
        return None;
    }
    let Some(stroke) = a.get("stroke").filter(|s| **s != "none") else { return Some(()) };
    let stroke = colour(stroke)?;
    let width = a.get("stroke-width").map_or(Some(1.0), |v| number(v))?;
    let values: Vec<f32> =
        a.get("points")?.split([',', ' ']).filter(|s| !s.is_empty()).map(number).collect::<Option<_>>()?;
    if !values.len().is_multiple_of(2) {
        return None;
    }
    let mut path = PathBuilder::new();
    for (i, p) in values.chunks_exact(2).enumerate() {
        if i == 0 {
            path.move_to(p[0], p[1]);
        } else {
            path.line_to(p[0], p[1]);
        }
    }
    if let Some(path) = path.finish() {
        let stroke_style = Stroke { width, ..Stroke::default() };
        pixmap.stroke_path(&path, &paint(stroke, opacity(&a)?), &stroke_style, Transform::identity(), None);
    }
    Some(())
}

/// SVG's default white-space handling: newlines dropped, tabs as spaces, runs of spaces
/// as one, none at either end.
fn collapse(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    for c in raw.chars().filter(|c| *c != '\n' && *c != '\r') {
        let c = if c == '\t' { ' ' } else { c };
        if c == ' ' && (out.is_empty() || out.ends_with(' ')) {
            continue;
        }
        out.push(c);
    }
    while out.ends_with(' ') {
        out.pop();
    }
    out
}

fn text(node: roxmltree::Node, pixmap: &mut Pixmap) -> Option<()> {
    let a = attributes(
        node,
        &["x", "y", "dy", "text-anchor", "font-family", "font-size", "opacity", "fill", "font-weight", "font-style"],
    )?;
    let mut raw = String::new();
    for child in node.children() {
        if child.is_text() {
            raw.push_str(child.text().unwrap_or_default());
        } else if child.is_element() && child.tag_name().name() != "title" {
            return None;
        }
    }
    let content = collapse(&raw);
    let size = a.get("font-size").map_or(Some(16.0), |v| number(v))?;
    let face = match a.get("font-weight").copied() {
        None | Some("normal") | Some("400") => 0u8,
        Some("bold") | Some("600") | Some("700") | Some("800") | Some("900") => 1,
        Some(_) => return None,
    };
    let dy = match a.get("dy").copied() {
        None => 0.0,
        Some(v) => match v.strip_suffix("ex") {
            Some(n) => number(n)? * size / 2.0,
            None => number(v.strip_suffix("px").unwrap_or(v))?,
        },
    };
    let fill = a.get("fill").map_or(Some([0, 0, 0]), |f| colour(f))?;
    let alpha = (opacity(&a)?.clamp(0.0, 1.0) * 255.0).round() as u32;
    let f = &FACES[usize::from(face)];
    let scale = size * f.scale_per_px;
    let glyphs: Vec<(u16, f32)> = content
        .chars()
        .map(|c| {
            let id = f.face.glyph_index(c).unwrap_or(ttf_parser::GlyphId(0));
            (id.0, f32::from(f.face.glyph_hor_advance(id).unwrap_or(0)) * scale)
        })
        .collect();
    let advance: f32 = glyphs.iter().map(|g| g.1).sum();
    let x = a.get("x").map_or(Some(0.0), |v| number(v))?;
    let mut pen = match a.get("text-anchor").copied() {
        None | Some("start") => x,
        Some("middle") => x - advance / 2.0,
        Some("end") => x - advance,
        Some(_) => return None,
    };
    let baseline = a.get("y").map_or(Some(0.0), |v| number(v))? + dy;
    let (iy, dyq) = quarter(baseline);
    for (id, adv) in glyphs {
        let (ix, dxq) = quarter(pen);
        pen += adv;
        let key = Key { face, glyph: id, size: size.to_bits(), dx: dxq, dy: dyq };
        if let Some(g) = glyph(key) {
            blit(pixmap, &g, ix + g.left, iy + g.top, fill, alpha);
        }
    }
    Some(())
}

/// A position as whole pixels and quarter-pixel steps.
fn quarter(v: f32) -> (i32, u8) {
    let q = (v * STEPS).round() as i32;
    (q.div_euclid(STEPS as i32), q.rem_euclid(STEPS as i32) as u8)
}

/// Source-over of one colour through the glyph's coverage, in the pixmap's premultiplied
/// RGBA, with integer rounding.
fn blit(pixmap: &mut Pixmap, g: &Glyph, x0: i32, y0: i32, fill: [u8; 3], alpha: u32) {
    let (w, h) = (pixmap.width() as i32, pixmap.height() as i32);
    let data = pixmap.data_mut();
    for (row, line) in g.coverage.chunks_exact(g.width as usize).enumerate() {
        let y = y0 + row as i32;
        if y < 0 || y >= h {
            continue;
        }
        for (col, &c) in line.iter().enumerate() {
            let x = x0 + col as i32;
            if c == 0 || x < 0 || x >= w {
                continue;
            }
            let a = (u32::from(c) * alpha + 127) / 255;
            let i = ((y * w + x) * 4) as usize;
            for (k, &s) in fill.iter().enumerate() {
                let d = u32::from(data[i + k]);
                data[i + k] = ((u32::from(s) * a + d * (255 - a) + 127) / 255) as u8;
            }
            let d = u32::from(data[i + 3]);
            data[i + 3] = (a + (d * (255 - a) + 127) / 255).min(255) as u8;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn white_space_collapses_as_svg_does() {
        assert_eq!(collapse("\n예산  대비\t집행\n"), "예산 대비 집행");
        assert_eq!(collapse("  a  "), "a");
    }

    #[test]
    fn what_it_does_not_know_goes_to_resvg() {
        let base = |body: &str| {
            format!("<svg width=\"20\" height=\"20\" viewBox=\"0 0 20 20\" xmlns=\"http://www.w3.org/2000/svg\">{body}</svg>")
        };
        assert!(render(&base("<rect x=\"1\" y=\"1\" width=\"5\" height=\"5\" fill=\"#112233\"/>")).is_some());
        assert!(render(&base("<circle cx=\"5\" cy=\"5\" r=\"3\"/>")).is_none());
        assert!(render(&base("<g><rect width=\"5\" height=\"5\"/></g>")).is_none());
        assert!(render(&base("<rect width=\"5\" height=\"5\" fill=\"red\"/>")).is_none());
        assert!(render(&base("<rect width=\"5\" height=\"5\" transform=\"rotate(9)\"/>")).is_none());
        assert!(render(&base("<text x=\"1\" y=\"9\"><tspan>a</tspan></text>")).is_none());
    }

    #[test]
    fn text_is_drawn_where_it_is_anchored() {
        let svg = |anchor: &str| {
            format!(
                "<svg width=\"100\" height=\"20\" viewBox=\"0 0 100 20\" xmlns=\"http://www.w3.org/2000/svg\">\
                 <text x=\"50\" y=\"10\" dy=\"0.5ex\" text-anchor=\"{anchor}\" font-size=\"12\" fill=\"#000000\">\n집행\n</text></svg>"
            )
        };
        let ink = |p: &Pixmap| {
            let cols: Vec<u32> =
                (0..p.width()).filter(|x| (0..p.height()).any(|y| p.pixel(*x, y).unwrap().red() < 128)).collect();
            (*cols.first().unwrap(), *cols.last().unwrap())
        };
        let (s0, s1) = ink(&render(&svg("start")).unwrap());
        let (m0, m1) = ink(&render(&svg("middle")).unwrap());
        let (e0, e1) = ink(&render(&svg("end")).unwrap());
        assert!((50..=53).contains(&s0), "start at {s0}");
        assert!((46..=50).contains(&e1), "end at {e1}");
        assert!(m0 < 50 && m1 > 50 && (s1 - s0).abs_diff(m1 - m0) <= 1);
        assert!(e0 < m0 && m0 < s0);
    }
}
