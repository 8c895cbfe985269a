//! PNG copies of the charts, for downloads and link previews, drawn from the chart's own
//! SVG by resvg with only the fonts this crate bundles: NanumSquare Regular and Bold
//! (SIL Open Font License 1.1, `fonts/COPYRIGHT-nanum.txt`), which cover every Hangul
//! syllable and Latin text. No font of the machine is looked at, so a chart's PNG has the
//! same bytes on every machine and at any thread count.

use resvg::{tiny_skia, usvg};
use std::sync::{Arc, LazyLock};

pub(super) const REGULAR: &[u8] = include_bytes!("../../fonts/NanumSquareR.ttf");
pub(super) const BOLD: &[u8] = include_bytes!("../../fonts/NanumSquareB.ttf");

/// The bundled faces, and the family every chart font name falls back to.
static FONTS: LazyLock<(Arc<usvg::fontdb::Database>, String)> = LazyLock::new(|| {
    let mut db = usvg::fontdb::Database::new();
    db.load_font_data(REGULAR.to_vec());
    db.load_font_data(BOLD.to_vec());
    let family = db.faces().find_map(|f| f.families.first().map(|(name, _)| name.clone())).unwrap_or_default();
    db.set_sans_serif_family(family.clone());
    db.set_serif_family(family.clone());
    db.set_monospace_family(family.clone());
    db.set_cursive_family(family.clone());
    db.set_fantasy_family(family.clone());
    (Arc::new(db), family)
});

/// The chart drawn as a PNG at its own size (one CSS pixel a pixel).
pub fn png(svg: &str) -> Result<Vec<u8>, String> {
    if let Some(pixmap) = super::raster::render(svg) {
        return encode(&pixmap).map_err(|e| format!("chart PNG: {e}"));
    }
    with_resvg(svg)
}

/// Any SVG, drawn by resvg (text laid out and filled glyph by glyph).
fn with_resvg(svg: &str) -> Result<Vec<u8>, String> {
    encode(&resvg_pixmap(svg)?).map_err(|e| format!("chart PNG: {e}"))
}

fn resvg_pixmap(svg: &str) -> Result<tiny_skia::Pixmap, String> {
    let (db, family) = &*FONTS;
    let opt = usvg::Options { fontdb: db.clone(), font_family: family.clone(), ..usvg::Options::default() };
    let tree = usvg::Tree::from_str(svg, &opt).map_err(|e| format!("chart SVG: {e}"))?;
    let size = tree.size().to_int_size();
    let mut pixmap = tiny_skia::Pixmap::new(size.width(), size.height()).ok_or("chart PNG: empty size")?;
    pixmap.fill(tiny_skia::Color::WHITE);
    resvg::render(&tree, tiny_skia::Transform::default(), &mut pixmap.as_mut());
    Ok(pixmap)
}

/// The pixmap as a PNG: indexed when it has at most 256 colours (a chart's few colours and
/// their anti-aliased blends usually are), RGB otherwise. The white ground makes every
/// pixel opaque, so the colour channels are already straight and alpha says nothing.
/// fdeflate's fast mode (the `png` crate's `Fast`, with its adaptive row filters)
/// compresses flat chart colours well at a fraction of zlib's cost. On a 1,000-program
/// site indexed PNGs are 42 MB where RGB ones were 150 MB.
fn encode(pixmap: &tiny_skia::Pixmap) -> Result<Vec<u8>, png::EncodingError> {
    let data = pixmap.data();
    let mut out = Vec::with_capacity(data.len() / 16);
    let mut enc = png::Encoder::new(&mut out, pixmap.width(), pixmap.height());
    enc.set_depth(png::BitDepth::Eight);
    enc.set_compression(png::Compression::Fast);
    let pixels = match indexed(data) {
        Some((palette, indices)) => {
            enc.set_color(png::ColorType::Indexed);
            enc.set_palette(palette);
            indices
        }
        None => {
            enc.set_color(png::ColorType::Rgb);
            let mut rgb = vec![0; data.len() / 4 * 3];
            for (to, from) in rgb.chunks_exact_mut(3).zip(data.chunks_exact(4)) {
                to.copy_from_slice(&from[..3]);
            }
            rgb
        }
    };
    enc.write_header()?.write_image_data(&pixels)?;
    Ok(out)
}

/// The palette (RGB triples, in order of first appearance) and each pixel's index, or
/// `None` past 256 colours.
fn indexed(rgba: &[u8]) -> Option<(Vec<u8>, Vec<u8>)> {
    let mut palette: Vec<u8> = Vec::with_capacity(64 * 3);
    let mut lookup: rustc_hash::FxHashMap<u32, u8> = rustc_hash::FxHashMap::default();
    let mut indices = vec![0u8; rgba.len() / 4];
    // No colour has its top byte set, so `u32::MAX` is none of them.
    let (mut last, mut index) = (u32::MAX, 0u8);
    for (p, to) in rgba.chunks_exact(4).zip(indices.iter_mut()) {
        let colour = u32::from_le_bytes([p[0], p[1], p[2], p[3]]) & 0x00ff_ffff;
        if last != colour {
            index = match lookup.get(&colour) {
                Some(i) => *i,
                None => {
                    let i = u8::try_from(lookup.len()).ok()?;
                    lookup.insert(colour, i);
                    palette.extend_from_slice(&p[..3]);
                    i
                }
            };
            last = colour;
        }
        *to = index;
    }
    Some((palette, indices))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_bundled_fonts_have_every_hangul_syllable() {
        for bytes in [REGULAR, BOLD] {
            let face = ttf_parser::Face::parse(bytes, 0).unwrap();
            let missing: Vec<char> = ('\u{AC00}'..='\u{D7A3}')
                .chain(' '..='~')
                .chain("–—‘’“”…·×÷→%".chars())
                .filter(|c| face.glyph_index(*c).is_none())
                .collect();
            assert!(
                missing.is_empty(),
                "{} characters without a glyph: {:?}",
                missing.len(),
                &missing[..missing.len().min(20)]
            );
        }
    }

    /// A chart as `charts` writes it: title, legend, labels, bars, an axis, a dashed
    /// target line, start- and middle-anchored text in both languages.
    const CHART: &str = r##"<svg role="img" aria-labelledby="c-title c-desc" width="480" height="137" viewBox="0 0 480 137" xmlns="http://www.w3.org/2000/svg">
<title id="c-title">예산 대비 집행</title>
<desc id="c-desc">예산 대비 집행.</desc>
<rect x="0" y="0" width="480" height="137" opacity="1" fill="#FFFFFF" stroke="none"/>
<text x="10" y="17" dy="0.5ex" text-anchor="start" font-family="Pretendard, sans-serif" font-size="17" opacity="1" fill="#1A1A1A" font-weight="bold">
예산 대비 집행
</text>
<rect x="10" y="41" width="14" height="12" opacity="1" fill="#0072B2" stroke="none"/>
<text x="30" y="47" dy="0.5ex" text-anchor="start" font-family="Pretendard, sans-serif" font-size="14" opacity="1" fill="#1A1A1A">
Budget (A)
</text>
<text x="10" y="73" dy="0.5ex" text-anchor="start" font-family="Pretendard, sans-serif" font-size="14" opacity="1" fill="#1A1A1A">
<title>2020 (집행률(B/A) 92.0%) 긴 이름</title>2020 (집행률(B/A) 92.0%)
</text>
<rect x="10" y="84" width="340" height="16" opacity="1" fill="#0072B2" stroke="none"/>
<text x="356" y="92" dy="0.5ex" text-anchor="start" font-family="Pretendard, sans-serif" font-size="12" opacity="1" fill="#1A1A1A">
50,066억 원
</text>
<text x="240" y="128" dy="0.5ex" text-anchor="middle" font-family="Pretendard, sans-serif" font-size="12" opacity="1" fill="#555555" font-style="italic">
Target 100%
</text>
<polyline fill="none" opacity="1" stroke="#555555" stroke-width="1" points="10,81 10,121 "/>
<polyline fill="none" opacity="1" stroke="#000000" stroke-width="2" points="350,55 350,59 "/>
</svg>"##;

    #[test]
    fn the_fast_drawing_looks_like_resvgs() {
        let fast = super::super::raster::render(CHART).expect("the chart's elements are all known");
        let slow = resvg_pixmap(CHART).unwrap();
        assert_eq!((fast.width(), fast.height()), (slow.width(), slow.height()));
        let (a, b) = (fast.data(), slow.data());
        let diff: u64 = a.iter().zip(b).map(|(x, y)| u64::from(x.abs_diff(*y))).sum();
        let mean = diff as f64 / a.len() as f64;
        assert!(mean < 1.5, "mean difference {mean:.2} of 255 per channel");
        // The same ink, row by row: every row with text in one has text in the other.
        let dark =
            |p: &tiny_skia::Pixmap, y: u32| (0..p.width()).filter(|x| p.pixel(*x, y).unwrap().red() < 100).count();
        for y in 0..fast.height() {
            let (f, s) = (dark(&fast, y), dark(&slow, y));
            assert!(f.abs_diff(s) <= 12 + s / 5, "row {y}: {f} dark pixels against resvg's {s}");
        }
    }

    #[test]
    fn a_chart_renders_the_same_bytes_twice() {
        let svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"120\" height=\"40\" viewBox=\"0 0 120 40\"><text x=\"4\" y=\"24\" font-family=\"Pretendard, sans-serif\" font-size=\"14\">예산 집행</text></svg>";
        let a = png(svg).unwrap();
        assert_eq!(a, png(svg).unwrap());
        assert_eq!(&a[..8], b"\x89PNG\r\n\x1a\n");
    }
}
