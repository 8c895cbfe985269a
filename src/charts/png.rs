//! PNG copies of the charts, for downloads and link previews, drawn from the chart's own
//! SVG by resvg with only the fonts this crate bundles: NanumSquare Regular and Bold
//! (SIL Open Font License 1.1, `fonts/COPYRIGHT-nanum.txt`), which cover every Hangul
//! syllable and Latin text. No font of the machine is looked at, so a chart's PNG has the
//! same bytes on every machine and at any thread count.

use resvg::{tiny_skia, usvg};
use std::sync::{Arc, LazyLock};

const REGULAR: &[u8] = include_bytes!("../../fonts/NanumSquareR.ttf");
const BOLD: &[u8] = include_bytes!("../../fonts/NanumSquareB.ttf");

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
    let (db, family) = &*FONTS;
    let opt = usvg::Options { fontdb: db.clone(), font_family: family.clone(), ..usvg::Options::default() };
    let tree = usvg::Tree::from_str(svg, &opt).map_err(|e| format!("chart SVG: {e}"))?;
    let size = tree.size().to_int_size();
    let mut pixmap = tiny_skia::Pixmap::new(size.width(), size.height()).ok_or("chart PNG: empty size")?;
    pixmap.fill(tiny_skia::Color::WHITE);
    resvg::render(&tree, tiny_skia::Transform::default(), &mut pixmap.as_mut());
    encode(&pixmap).map_err(|e| format!("chart PNG: {e}"))
}

/// The pixmap as an RGB PNG. The white ground makes every pixel opaque, so the colour
/// channels are already straight and the alpha channel says nothing; fdeflate's fast
/// mode (the `png` crate's `Fast`) compresses flat chart colours well at a fraction of
/// zlib's cost, which was a fifth of a whole site build.
fn encode(pixmap: &tiny_skia::Pixmap) -> Result<Vec<u8>, png::EncodingError> {
    let data = pixmap.data();
    let mut rgb = Vec::with_capacity(data.len() / 4 * 3);
    for p in data.chunks_exact(4) {
        rgb.extend_from_slice(&p[..3]);
    }
    let mut out = Vec::with_capacity(rgb.len() / 8);
    let mut enc = png::Encoder::new(&mut out, pixmap.width(), pixmap.height());
    enc.set_color(png::ColorType::Rgb);
    enc.set_depth(png::BitDepth::Eight);
    enc.set_compression(png::Compression::Fast);
    enc.write_header()?.write_image_data(&rgb)?;
    Ok(out)
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

    #[test]
    fn a_chart_renders_the_same_bytes_twice() {
        let svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"120\" height=\"40\" viewBox=\"0 0 120 40\"><text x=\"4\" y=\"24\" font-family=\"Pretendard, sans-serif\" font-size=\"14\">예산 집행</text></svg>";
        let a = png(svg).unwrap();
        assert_eq!(a, png(svg).unwrap());
        assert_eq!(&a[..8], b"\x89PNG\r\n\x1a\n");
    }
}
