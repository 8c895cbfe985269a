//! `resize_image`, as Zola 0.22 does it (`components/imageproc`), written independently.
//!
//! A call reads the image's size and format (cheaply, honouring an EXIF orientation that
//! swaps the axes), decides the crop and resize, names the output file and queues the
//! work; it returns `url`, `static_path`, `width`, `height`, `orig_width` and
//! `orig_height` at once. The site performs the queue after rendering
//! ([`ImageQueue::process`], in parallel, sorted by file name) and writes each file to
//! `processed_images/<name>` in the output. Zola writes them to the site's
//! `static/processed_images/` first; gongsi never writes into the site folder, but
//! `static_path` still reads `static/processed_images/<name>` as in Zola.
//!
//! - ops: `fit_width`, `fit_height`, `scale`, `fit`, `fill` (the default), with Zola's
//!   arithmetic (integer division; `fill` crops the middle unless both scale factors are
//!   within 0.1, then scales);
//! - formats: `auto` (a lossy source gives `jpg`, a lossless one `png`; only PNG, PNM,
//!   TIFF, TGA, BMP, ICO, HDR and farbfeld count as lossless), `jpg`/`jpeg` (quality 1–100,
//!   75 by default), `png`, `webp` (lossless without `quality`, lossy with one, 0–100).
//!   `avif` is refused: gongsi is built without an AVIF encoder.
//! - the file name is Zola's: `<stem>.<16 hex digits>.<ext>`, the digits being SipHash-1-3
//!   with zero keys (what Rust's `DefaultHasher` is) over the path as given after `@/` and
//!   `/` are resolved, the op and the format, written exactly as Zola's derived `Hash`
//!   writes them on a 64-bit little-endian machine, so URLs match Zola's. The bytes are
//!   fed explicitly, so the name is the same on every machine.
//! - pixels: Lanczos3 `resize_exact` from the `image` crate after the EXIF orientation is
//!   applied; PNG and JPEG keep an ICC profile. PNG and JPEG come from the `image` crate's
//!   encoders, WebP from libwebp (the `webp` crate), as in Zola; the `image` crate version
//!   may differ from Zola's by a patch release, so bytes may differ where an encoder did,
//!   never the dimensions. Every encoder here is deterministic: the same input gives the
//!   same bytes on any machine and thread count.

use std::collections::{BTreeMap, HashMap};
use std::hash::Hasher;
use std::io::Cursor;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use image::codecs::jpeg::JpegEncoder;
use image::codecs::png::PngEncoder;
use image::codecs::webp::WebPEncoder;
use image::imageops::FilterType;
use image::{DynamicImage, ImageDecoder, ImageEncoder, ImageFormat, ImageReader};
use rayon::prelude::*;

/// Where processed images go, below the output (and, for `static_path`, below `static/`).
pub const RESIZED_SUBDIR: &str = "processed_images";

/// `resize_image`'s `op`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Op {
    Scale(u32, u32),
    FitWidth(u32),
    FitHeight(u32),
    Fit(u32, u32),
    Fill(u32, u32),
}

impl Op {
    /// Zola's `ResizeOperation::from_args`, with its messages.
    pub fn from_args(op: &str, width: Option<u32>, height: Option<u32>) -> Result<Op, String> {
        let need = |w: bool, h: bool, msg: String| {
            if (w && width.is_none()) || (h && height.is_none()) {
                Err(msg)
            } else {
                Ok(())
            }
        };
        match op {
            "fit_width" => need(true, false, "op=\"fit_width\" requires a `width` argument".into())?,
            "fit_height" => need(false, true, "op=\"fit_height\" requires a `height` argument".into())?,
            "scale" | "fit" | "fill" => need(true, true, format!("op={op} requires a `width` and `height` argument"))?,
            _ => return Err(format!("Invalid image resize operation: {op}")),
        }
        let (w, h) = (width.unwrap_or(0), height.unwrap_or(0));
        Ok(match op {
            "scale" => Op::Scale(w, h),
            "fit_width" => Op::FitWidth(w),
            "fit_height" => Op::FitHeight(h),
            "fit" => Op::Fit(w, h),
            _ => Op::Fill(w, h),
        })
    }

    /// What Zola's derived `Hash` writes: the variant's index as an `isize`, then each field.
    fn hash_into(&self, h: &mut impl Hasher) {
        let (index, fields): (u64, &[u32]) = match self {
            Op::Scale(w, hh) => (0, &[*w, *hh]),
            Op::FitWidth(w) => (1, std::slice::from_ref(w)),
            Op::FitHeight(hh) => (2, std::slice::from_ref(hh)),
            Op::Fit(w, hh) => (3, &[*w, *hh]),
            Op::Fill(w, hh) => (4, &[*w, *hh]),
        };
        h.write(&index.to_le_bytes());
        for f in fields {
            h.write(&f.to_le_bytes());
        }
    }

    /// Zola's `ResizeInstructions::new`: an optional crop (x, y, w, h), then an optional resize.
    pub fn instructions(self, (ow, oh): (u32, u32)) -> Instructions {
        let (ow64, oh64) = (u64::from(ow), u64::from(oh));
        match self {
            Op::Scale(w, h) => Instructions { crop: None, resize: Some((w, h)) },
            Op::FitWidth(w) => {
                let h = oh64 * u64::from(w) / ow64.max(1);
                Instructions { crop: None, resize: Some((w, h as u32)) }
            }
            Op::FitHeight(h) => {
                let w = ow64 * u64::from(h) / oh64.max(1);
                Instructions { crop: None, resize: Some((w as u32, h)) }
            }
            Op::Fit(w, h) => {
                if ow <= w && oh <= h {
                    Instructions { crop: None, resize: None }
                } else if ow64 * u64::from(h) > oh64 * u64::from(w) {
                    Op::FitWidth(w).instructions((ow, oh))
                } else {
                    Op::FitHeight(h).instructions((ow, oh))
                }
            }
            Op::Fill(w, h) => {
                let factor_w = ow as f32 / w as f32;
                let factor_h = oh as f32 / h as f32;
                if (factor_w - factor_h).abs() <= 0.1 {
                    return Instructions { crop: None, resize: Some((w, h)) };
                }
                let (cw, ch) = if factor_w < factor_h {
                    (ow, (factor_w * h as f32).round() as u32)
                } else {
                    ((factor_h * w as f32).round() as u32, oh)
                };
                let (x, y) = if factor_w < factor_h { (0, (oh - ch) / 2) } else { ((ow - cw) / 2, 0) };
                Instructions { crop: Some((x, y, cw, ch)), resize: Some((w, h)) }
            }
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Instructions {
    pub crop: Option<(u32, u32, u32, u32)>,
    pub resize: Option<(u32, u32)>,
}

/// The output format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Jpeg(u8),
    Png,
    /// `None`: lossless.
    WebP(Option<u8>),
}

impl Format {
    /// Zola's `Format::from_args`, with its messages.
    pub fn from_args(is_lossy: bool, format: &str, quality: Option<u8>) -> Result<Format, String> {
        let chosen = match (format, is_lossy) {
            ("auto", true) => "jpeg",
            ("auto", false) => "png",
            (f, _) => f,
        };
        match chosen {
            "jpeg" | "jpg" => match quality.unwrap_or(75) {
                q @ 1..=100 => Ok(Format::Jpeg(q)),
                q => Err(format!("Quality for JPEG must be between 1 and 100 (inclusive); {q} is not valid")),
            },
            "png" => Ok(Format::Png),
            "webp" => match quality {
                Some(0..=100) | None => Ok(Format::WebP(quality)),
                Some(q) => Err(format!("Quality for WebP must be between 0 and 100 (inclusive); {q} is not valid")),
            },
            "avif" => Err("format \"avif\" is not supported by gongsi (no AVIF encoder); use webp, jpg or png".into()),
            _ => Err(format!("Invalid image format: {format}")),
        }
    }

    pub fn extension(self) -> &'static str {
        match self {
            Format::Png => "png",
            Format::Jpeg(_) => "jpg",
            Format::WebP(_) => "webp",
        }
    }

    /// What Zola's `Hash for Format` writes: the extension, the quality and the AVIF speed
    /// (-1 where there is none) as `i16`s.
    fn hash_into(self, h: &mut impl Hasher) {
        let quality: i16 = match self {
            Format::Png | Format::WebP(None) => -1,
            Format::Jpeg(q) | Format::WebP(Some(q)) => i16::from(q),
        };
        h.write(self.extension().as_bytes());
        h.write(&quality.to_le_bytes());
        h.write(&(-1i16).to_le_bytes());
    }
}

/// Zola's `get_processed_filename`: `<stem>.<hash>.<ext>`.
pub fn processed_filename(input: &Path, unified_path: &str, op: Op, format: Format) -> String {
    let mut h = siphasher::sip::SipHasher13::new_with_keys(0, 0);
    h.write(unified_path.as_bytes());
    op.hash_into(&mut h);
    format.hash_into(&mut h);
    let stem = input.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_else(|| "unknown".into());
    format!("{stem}.{:016x}.{}", h.finish(), format.extension())
}

/// Size (after the EXIF orientation) and format of an image, read without decoding it.
#[derive(Debug, Clone, Copy)]
pub struct Meta {
    pub size: (u32, u32),
    pub format: Option<ImageFormat>,
}

impl Meta {
    pub fn read(path: &Path) -> Result<Meta, String> {
        let reader = ImageReader::open(path).and_then(ImageReader::with_guessed_format).map_err(|e| e.to_string())?;
        let format = reader.format();
        let mut decoder = reader.into_decoder().map_err(|e| e.to_string())?;
        let (w, h) = decoder.dimensions();
        let size = match decoder.orientation().map_err(|e| e.to_string())? {
            image::metadata::Orientation::Rotate90
            | image::metadata::Orientation::Rotate270
            | image::metadata::Orientation::Rotate90FlipH
            | image::metadata::Orientation::Rotate270FlipH => (h, w),
            _ => (w, h),
        };
        Ok(Meta { size, format })
    }

    /// Zola's rule: lossy unless the format is one of the lossless ones (unknown: lossy).
    pub fn is_lossy(&self) -> bool {
        use ImageFormat::*;
        !matches!(self.format.unwrap_or(Jpeg), Png | Pnm | Tiff | Tga | Bmp | Ico | Hdr | Farbfeld)
    }
}

/// One queued image: where from, what to do, in which format.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Job {
    input: PathBuf,
    instructions: Instructions,
    format: Format,
}

/// What `resize_image` returns.
#[derive(Debug, serde::Serialize)]
pub struct Response {
    pub url: String,
    pub static_path: String,
    pub width: u32,
    pub height: u32,
    pub orig_width: u32,
    pub orig_height: u32,
}

/// Every image the templates asked for in one build, by output file name.
#[derive(Default)]
pub struct ImageQueue {
    jobs: Mutex<BTreeMap<String, Job>>,
    meta: Mutex<HashMap<PathBuf, Meta>>,
}

impl ImageQueue {
    /// Queues one image (the same request twice is one file) and says where it will be.
    /// `base_url` has no trailing slash.
    pub fn enqueue(
        &self,
        base_url: &str,
        op: Op,
        unified_path: &str,
        input: &Path,
        format: &str,
        quality: Option<u8>,
    ) -> Result<Response, String> {
        let cached = self.meta.lock().unwrap_or_else(|p| p.into_inner()).get(input).copied();
        let meta = match cached {
            Some(m) => m,
            None => {
                let m = Meta::read(input).map_err(|e| format!("Failed to read image: {}: {e}", input.display()))?;
                self.meta.lock().unwrap_or_else(|p| p.into_inner()).insert(input.to_path_buf(), m);
                m
            }
        };
        let format = Format::from_args(meta.is_lossy(), format, quality)?;
        let name = processed_filename(input, unified_path, op, format);
        let instructions = op.instructions(meta.size);
        let (width, height) = instructions.resize.unwrap_or(meta.size);
        self.jobs
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .insert(name.clone(), Job { input: input.to_path_buf(), instructions, format });
        Ok(Response {
            url: format!("{base_url}/{RESIZED_SUBDIR}/{name}"),
            static_path: format!("static/{RESIZED_SUBDIR}/{name}"),
            width,
            height,
            orig_width: meta.size.0,
            orig_height: meta.size.1,
        })
    }

    /// Performs every queued image: `(output path, bytes)` sorted by path, or what failed.
    pub fn process(&self) -> Vec<Result<(String, Vec<u8>), String>> {
        let jobs: Vec<(String, Job)> =
            self.jobs.lock().unwrap_or_else(|p| p.into_inner()).iter().map(|(k, v)| (k.clone(), v.clone())).collect();
        jobs.par_iter()
            .map(|(name, job)| {
                perform(job)
                    .map(|bytes| (format!("/{RESIZED_SUBDIR}/{name}"), bytes))
                    .map_err(|e| format!("Failed to process image: {}: {e}", job.input.display()))
            })
            .collect()
    }
}

fn perform(job: &Job) -> Result<Vec<u8>, String> {
    let e = |e: image::ImageError| e.to_string();
    let reader = ImageReader::open(&job.input).and_then(ImageReader::with_guessed_format).map_err(|e| e.to_string())?;
    let mut decoder = reader.into_decoder().map_err(e)?;
    let icc = decoder.icc_profile().ok().flatten();
    let orientation = decoder.orientation().map_err(e)?;
    let mut img = DynamicImage::from_decoder(decoder).map_err(e)?;
    img.apply_orientation(orientation);
    if let Some((x, y, w, h)) = job.instructions.crop {
        img = img.crop_imm(x, y, w, h);
    }
    if let Some((w, h)) = job.instructions.resize {
        img = img.resize_exact(w, h, FilterType::Lanczos3);
    }
    let mut out = Cursor::new(Vec::new());
    match job.format {
        Format::Png => {
            let mut enc = PngEncoder::new(&mut out);
            if let Some(p) = icc {
                let _ = enc.set_icc_profile(p);
            }
            img.write_with_encoder(enc).map_err(e)?;
        }
        Format::Jpeg(q) => {
            let mut enc = JpegEncoder::new_with_quality(&mut out, q);
            if let Some(p) = icc {
                let _ = enc.set_icc_profile(p);
            }
            enc.encode_image(&img).map_err(e)?;
        }
        // Zola: lossless with a colour profile goes through the `image` crate's encoder
        // (it keeps the profile), everything else through libwebp.
        Format::WebP(None) if icc.is_some() => {
            let mut enc = WebPEncoder::new_lossless(&mut out);
            let _ = enc.set_icc_profile(icc.unwrap_or_default());
            img.write_with_encoder(enc).map_err(e)?;
        }
        Format::WebP(quality) => {
            let enc = match &img {
                DynamicImage::ImageRgb8(b) => webp::Encoder::from_rgb(b.as_raw(), b.width(), b.height()),
                DynamicImage::ImageRgba8(b) => webp::Encoder::from_rgba(b.as_raw(), b.width(), b.height()),
                _ => return Err("Unable to load this kind of image with webp".into()),
            };
            let memory = match quality {
                Some(q) => enc.encode(f32::from(q)),
                None => enc.encode_lossless(),
            };
            return Ok(memory.to_vec());
        }
    }
    Ok(out.into_inner())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ops_as_zola_computes_them() {
        let i = |op: Op, size| op.instructions(size);
        assert_eq!(i(Op::FitWidth(100), (300, 200)).resize, Some((100, 66)));
        assert_eq!(i(Op::FitHeight(50), (300, 200)).resize, Some((75, 50)));
        assert_eq!(i(Op::Fit(400, 400), (300, 200)), Instructions { crop: None, resize: None });
        assert_eq!(i(Op::Fit(100, 100), (300, 200)).resize, Some((100, 66)));
        assert_eq!(i(Op::Fit(100, 100), (200, 300)).resize, Some((66, 100)));
        assert_eq!(i(Op::Scale(10, 90), (300, 200)).resize, Some((10, 90)));
        // 300×200 into 100×100: crop the middle 200×200, then scale.
        assert_eq!(
            i(Op::Fill(100, 100), (300, 200)),
            Instructions { crop: Some((50, 0, 200, 200)), resize: Some((100, 100)) }
        );
        // Close enough in aspect: only scaled.
        assert_eq!(i(Op::Fill(150, 100), (300, 200)), Instructions { crop: None, resize: Some((150, 100)) });
        assert!(Op::from_args("fit", Some(1), None).unwrap_err().contains("requires a `width` and `height`"));
        assert!(Op::from_args("zoom", Some(1), None).unwrap_err().contains("Invalid image resize operation"));
    }

    #[test]
    fn formats_and_names() {
        assert_eq!(Format::from_args(true, "auto", None), Ok(Format::Jpeg(75)));
        assert_eq!(Format::from_args(false, "auto", None), Ok(Format::Png));
        assert_eq!(Format::from_args(false, "webp", Some(80)), Ok(Format::WebP(Some(80))));
        assert!(Format::from_args(false, "jpg", Some(0)).is_err());
        assert!(Format::from_args(false, "gif", None).unwrap_err().contains("Invalid image format"));
        let a = processed_filename(Path::new("/x/photo.png"), "static/photo.png", Op::FitWidth(10), Format::Png);
        let b = processed_filename(Path::new("/y/photo.png"), "static/photo.png", Op::FitWidth(10), Format::Png);
        let c = processed_filename(Path::new("/x/photo.png"), "static/photo.png", Op::FitWidth(11), Format::Png);
        assert_eq!(a, b, "only the unified path and the op count, not where the site lies");
        assert_ne!(a, c);
        assert!(a.starts_with("photo.") && a.ends_with(".png") && a.len() == "photo.".len() + 16 + 4, "{a}");
    }
}
