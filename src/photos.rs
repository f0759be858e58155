//! Photos: from a source file (JPEG, PNG or WebP beside a content file, or
//! in `assets/`) to the files a page shows. Each photo is decoded once
//! with limits (a decompression bomb is refused before anything is
//! allocated), turned upright by its EXIF orientation, resized to a few
//! widths (never larger than it is) and encoded as lossy WebP and as JPEG.
//! Encoding from pixels writes no metadata, so no output carries the
//! camera's EXIF or GPS data.
//!
//! The results are kept in `<root>/.klynge-cache/images/<key>/`, `key`
//! being a SHA-256 of the source bytes and of the settings below, so a
//! second build of an unchanged site decodes and encodes nothing. Output
//! names carry the key too (`photos/hall-3f2a9c01de-960.webp`): a changed
//! photo gets a new name, and old names can be cached forever by browsers.
//!
//! A [`Library`] processes each source at most once per build, on first
//! demand, from any thread; the bytes it makes depend only on the source.

use image::{DynamicImage, ImageDecoder, ImageError, ImageFormat, ImageReader, Limits};
use sha2::{Digest, Sha256};
use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, OnceLock};

/// The widths made of each photo, narrowest first. A photo narrower than
/// the widest gets its own width instead of the ones above it.
pub const WIDTHS: [u32; 3] = [480, 960, 1600];
const JPEG_QUALITY: u8 = 82;
const WEBP_QUALITY: f32 = 80.0;
/// Everything that changes the output bytes: a change here is a new key
/// for every photo, so nothing made with other settings is reused.
const SETTINGS: &str =
    "klynge-photos-1;widths=480,960,1600;jpeg=82;webp=80;filter=lanczos3;bg=white";
/// The largest side accepted, and the most memory one decode may take.
pub const MAX_SIDE: u32 = 16_384;
const MAX_ALLOC: u64 = 1 << 30;
/// Where processed photos are kept, under the site root.
pub const CACHE_DIR: &str = ".klynge-cache/images";
/// Where drawn social cards are kept, under the site root.
pub const CARD_CACHE_DIR: &str = ".klynge-cache/cards";
/// The output folder of processed photos.
pub const OUTPUT_DIR: &str = "photos";
/// How the output files of social cards begin.
const CARD_PREFIX: &str = "photos/card-";

/// The source file extensions read as photos.
pub fn is_photo_name(name: &str) -> bool {
    let ext = name.rsplit_once('.').map_or("", |(_, e)| e);
    ["jpg", "jpeg", "png", "webp"]
        .iter()
        .any(|e| ext.eq_ignore_ascii_case(e))
}

/// One width of a photo: its size and its two output files (paths in the
/// output folder, `photos/hall-3f2a9c01de-960.jpg`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Variant {
    pub width: u32,
    pub height: u32,
    pub jpeg: String,
    pub webp: String,
}

/// A processed photo: its upright size and its variants, narrowest first.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Processed {
    pub width: u32,
    pub height: u32,
    pub variants: Vec<Variant>,
    /// The cache key (source bytes and settings) and the name stem of
    /// the output files.
    key: String,
    stem: String,
}

impl Processed {
    /// The widest variant: what a link to the photo and `og:image` show.
    pub fn largest(&self) -> &Variant {
        self.variants.last().expect("a photo has a variant")
    }

    /// The variant for `<img src>` in browsers without `srcset`.
    pub fn fallback(&self) -> &Variant {
        self.variants
            .iter()
            .rev()
            .find(|v| v.width <= 960)
            .unwrap_or_else(|| &self.variants[0])
    }
}

type Memo = Arc<OnceLock<Result<Arc<Processed>, String>>>;

/// Every photo a build asked for, processed once each.
pub struct Library {
    cache: PathBuf,
    card_cache: PathBuf,
    memo: Mutex<HashMap<PathBuf, Memo>>,
    /// Output file → the cache file that holds its bytes.
    outputs: Mutex<BTreeMap<String, PathBuf>>,
    processed: AtomicUsize,
    reused: AtomicUsize,
    cards_drawn: AtomicUsize,
    cards_reused: AtomicUsize,
    /// The card each page shows, by the page's site path: a page drawn
    /// again with other facts replaces its card, so `serve` stops serving
    /// the old one.
    cards: Mutex<BTreeMap<String, String>>,
}

impl std::fmt::Debug for Library {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Library")
            .field("cache", &self.cache)
            .field("processed", &self.processed)
            .field("reused", &self.reused)
            .finish()
    }
}

impl Library {
    /// A library keeping its files in `root/.klynge-cache/images`.
    pub fn new(root: &Path) -> Library {
        Library {
            cache: root.join(CACHE_DIR),
            card_cache: root.join(CARD_CACHE_DIR),
            memo: Mutex::default(),
            outputs: Mutex::default(),
            processed: AtomicUsize::new(0),
            reused: AtomicUsize::new(0),
            cards_drawn: AtomicUsize::new(0),
            cards_reused: AtomicUsize::new(0),
            cards: Mutex::default(),
        }
    }

    /// The photo at `path`, processed (or taken from the cache), or why not.
    pub fn get(&self, path: &Path) -> Result<Arc<Processed>, String> {
        let cell = {
            let mut memo = self.memo.lock().unwrap_or_else(|e| e.into_inner());
            Arc::clone(memo.entry(path.to_path_buf()).or_default())
        };
        cell.get_or_init(|| self.load(path).map(Arc::new)).clone()
    }

    /// How many photos were decoded and encoded, and how many were taken
    /// from the cache, so far.
    pub fn counts(&self) -> (usize, usize) {
        (
            self.processed.load(Ordering::Relaxed),
            self.reused.load(Ordering::Relaxed),
        )
    }

    /// How many social cards were drawn, and how many were taken from the
    /// cache, so far.
    pub fn card_counts(&self) -> (usize, usize) {
        (
            self.cards_drawn.load(Ordering::Relaxed),
            self.cards_reused.load(Ordering::Relaxed),
        )
    }

    /// The social card of `card` for a page named `slug`: its output file
    /// (`photos/card-laine-3f2a9c01de.png`), drawn or taken from the
    /// cache, or `None` when no shipped font draws its text. Keyed by the
    /// card's facts, so a cached card costs no drawing and no measuring.
    pub fn card(
        &self,
        page: &str,
        slug: &str,
        card: &crate::card::Card,
    ) -> Result<Option<String>, String> {
        let facts = serde_json::to_string(card).map_err(|e| e.to_string())?;
        let mut h = Sha256::new();
        h.update(crate::card::VERSION.as_bytes());
        h.update([0]);
        h.update(facts.as_bytes());
        let key: String = h.finalize().iter().map(|b| format!("{b:02x}")).collect();
        let cached = self.card_cache.join(format!("{key}.png"));
        if cached.is_file() {
            self.cards_reused.fetch_add(1, Ordering::Relaxed);
        } else {
            let Some(svg) = crate::card::svg(card) else {
                return Ok(None);
            };
            let png = crate::card::png(&svg)?;
            let write = || -> std::io::Result<()> {
                std::fs::create_dir_all(&self.card_cache)?;
                let mut tmp = tempfile::NamedTempFile::new_in(&self.card_cache)?;
                std::io::Write::write_all(&mut tmp, &png)?;
                tmp.persist(&cached).map(|_| ()).map_err(|e| e.error)
            };
            write().map_err(|e| {
                format!(
                    "cannot write the card cache {}: {e}",
                    self.card_cache.display()
                )
            })?;
            self.cards_drawn.fetch_add(1, Ordering::Relaxed);
        }
        let stem = Some(crate::slug::slugify(slug))
            .filter(|s| !s.is_empty())
            .unwrap_or_else(|| "page".to_string());
        let name = format!("{CARD_PREFIX}{stem}-{}.png", &key[..10]);
        let mut outputs = self.outputs.lock().unwrap_or_else(|e| e.into_inner());
        outputs.insert(name.clone(), cached);
        let mut cards = self.cards.lock().unwrap_or_else(|e| e.into_inner());
        cards.insert(page.to_string(), name.clone());
        Ok(Some(name))
    }

    /// Forgets the cards of the pages at `pages` (site paths), gone from
    /// the site, or of every page when `pages` is `None` (before a build
    /// that renders every page again).
    pub fn forget_cards(&self, pages: Option<&[String]>) {
        let mut cards = self.cards.lock().unwrap_or_else(|e| e.into_inner());
        match pages {
            Some(pages) => pages.iter().for_each(|p| {
                cards.remove(p);
            }),
            None => cards.clear(),
        }
    }

    /// Every output file of the photos processed so far and of the cards
    /// pages show now, sorted.
    pub fn outputs(&self) -> Vec<String> {
        let live: std::collections::HashSet<String> = {
            let cards = self.cards.lock().unwrap_or_else(|e| e.into_inner());
            cards.values().cloned().collect()
        };
        let outputs = self.outputs.lock().unwrap_or_else(|e| e.into_inner());
        outputs
            .keys()
            .filter(|k| !k.starts_with(CARD_PREFIX) || live.contains(*k))
            .cloned()
            .collect()
    }

    /// Removes from the cache every processed photo and card this build did
    /// not use, so the cache holds what the last build used and no more:
    /// old versions of replaced photos, photos no page shows any longer,
    /// sizes no template asks for, cards of changed pages. Call it after
    /// a successful build only (a failed one may not have asked for all
    /// its photos). Returns how many files it removed; a file it cannot
    /// remove is left for the next build.
    pub fn prune(&self) -> usize {
        let kept: std::collections::HashSet<PathBuf> = {
            let outputs = self.outputs.lock().unwrap_or_else(|e| e.into_inner());
            outputs.values().cloned().collect()
        };
        let mut removed = 0;
        // Folders of another build still writing are left alone.
        let busy = |p: &Path| {
            p.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.starts_with(".tmp"))
        };
        for dir in read_dir(&self.cache) {
            if busy(&dir) || !dir.is_dir() {
                continue;
            }
            let files = read_dir(&dir);
            if !files.iter().any(|f| kept.contains(f)) {
                if std::fs::remove_dir_all(&dir).is_ok() {
                    removed += files.len();
                }
                continue;
            }
            for f in files {
                let meta = f.file_name().is_some_and(|n| n == "meta.json");
                if !meta && !kept.contains(&f) && std::fs::remove_file(&f).is_ok() {
                    removed += 1;
                }
            }
        }
        for f in read_dir(&self.card_cache) {
            if !busy(&f) && !kept.contains(&f) && std::fs::remove_file(&f).is_ok() {
                removed += 1;
            }
        }
        removed
    }

    /// The bytes of output file `file` (one of `outputs`).
    pub fn read_output(&self, file: &str) -> Result<Vec<u8>, String> {
        let cached = {
            let outputs = self.outputs.lock().unwrap_or_else(|e| e.into_inner());
            outputs.get(file).cloned()
        };
        let cached = cached.ok_or_else(|| format!("{file} is not a processed photo"))?;
        std::fs::read(&cached)
            .map_err(|e| format!("cannot read the processed photo {}: {e}", cached.display()))
    }

    fn load(&self, path: &Path) -> Result<Processed, String> {
        let bytes = std::fs::read(path).map_err(|e| match e.kind() {
            std::io::ErrorKind::NotFound => "there is no such file".to_string(),
            _ => format!("the file cannot be read: {e}"),
        })?;
        let key = key_of(&bytes);
        let dir = self.cache.join(&key);
        let stem = path
            .file_stem()
            .and_then(|s| s.to_str())
            .map(crate::slug::slugify)
            .filter(|s| !s.is_empty())
            .unwrap_or_else(|| "photo".to_string());
        let name = |w: u32, ext: &str| format!("{OUTPUT_DIR}/{stem}-{}-{w}.{ext}", &key[..10]);
        let sizes = match read_meta(&dir) {
            Some(sizes) => {
                self.reused.fetch_add(1, Ordering::Relaxed);
                sizes
            }
            None => {
                let made = process(&bytes)?;
                self.store(&dir, &made)
                    .map_err(|e| format!("cannot write the photo cache {}: {e}", dir.display()))?;
                self.processed.fetch_add(1, Ordering::Relaxed);
                made.sizes()
            }
        };
        let (width, height) = sizes.original;
        let variants: Vec<Variant> = sizes
            .variants
            .iter()
            .map(|&(w, h)| Variant {
                width: w,
                height: h,
                jpeg: name(w, "jpg"),
                webp: name(w, "webp"),
            })
            .collect();
        let mut outputs = self.outputs.lock().unwrap_or_else(|e| e.into_inner());
        for v in &variants {
            outputs.insert(v.jpeg.clone(), dir.join(format!("{}.jpg", v.width)));
            outputs.insert(v.webp.clone(), dir.join(format!("{}.webp", v.width)));
        }
        Ok(Processed {
            width,
            height,
            variants,
            key,
            stem,
        })
    }

    /// The photo at `path` at `width` pixels (at most its own width), made
    /// on first demand and kept in the cache beside its standard widths:
    /// what the template function `resize_image` returns.
    pub fn resized(&self, path: &Path, width: u32) -> Result<Variant, String> {
        let base = self.get(path)?;
        let w = width.clamp(1, base.width);
        if let Some(v) = base.variants.iter().find(|v| v.width == w) {
            return Ok(v.clone());
        }
        let h = height_at(base.width, base.height, w);
        let dir = self.cache.join(&base.key);
        let (jpeg_at, webp_at) = (dir.join(format!("{w}.jpg")), dir.join(format!("{w}.webp")));
        if !(jpeg_at.is_file() && webp_at.is_file()) {
            let bytes = std::fs::read(path).map_err(|e| format!("the file cannot be read: {e}"))?;
            if key_of(&bytes) != base.key {
                return Err("the file changed during the build".to_string());
            }
            let rgb = decode(&bytes)?;
            let resized =
                image::imageops::resize(&rgb, w, h, image::imageops::FilterType::Lanczos3);
            let made = encode(resized)?;
            let write = |to: &Path, bytes: &[u8]| -> std::io::Result<()> {
                let mut tmp = tempfile::NamedTempFile::new_in(&dir)?;
                std::io::Write::write_all(&mut tmp, bytes)?;
                tmp.persist(to).map(|_| ()).map_err(|e| e.error)
            };
            write(&jpeg_at, &made.jpeg)
                .and_then(|()| write(&webp_at, &made.webp))
                .map_err(|e| format!("cannot write the photo cache {}: {e}", dir.display()))?;
        }
        let name = |ext: &str| format!("{OUTPUT_DIR}/{}-{}-{w}.{ext}", base.stem, &base.key[..10]);
        let v = Variant {
            width: w,
            height: h,
            jpeg: name("jpg"),
            webp: name("webp"),
        };
        let mut outputs = self.outputs.lock().unwrap_or_else(|e| e.into_inner());
        outputs.insert(v.jpeg.clone(), jpeg_at);
        outputs.insert(v.webp.clone(), webp_at);
        Ok(v)
    }

    /// Writes `made` to `dir` whole or not at all: into a temporary folder
    /// first, renamed into place at the end.
    fn store(&self, dir: &Path, made: &Made) -> std::io::Result<()> {
        std::fs::create_dir_all(&self.cache)?;
        let tmp = tempfile::Builder::new()
            .prefix(".tmp-")
            .tempdir_in(&self.cache)?;
        for v in &made.variants {
            std::fs::write(tmp.path().join(format!("{}.jpg", v.width)), &v.jpeg)?;
            std::fs::write(tmp.path().join(format!("{}.webp", v.width)), &v.webp)?;
        }
        let meta = serde_json::json!({
            "settings": SETTINGS,
            "width": made.width,
            "height": made.height,
            "variants": made.variants.iter().map(|v| [v.width, v.height]).collect::<Vec<_>>(),
        });
        std::fs::write(tmp.path().join("meta.json"), meta.to_string())?;
        let tmp = tmp.keep();
        match std::fs::rename(&tmp, dir) {
            Ok(()) => Ok(()),
            // Another build put the same photo there first.
            Err(_) if read_meta(dir).is_some() => {
                let _ = std::fs::remove_dir_all(&tmp);
                Ok(())
            }
            Err(e) => {
                let _ = std::fs::remove_dir_all(&tmp);
                Err(e)
            }
        }
    }
}

/// The entries of `dir`, sorted; none if it cannot be read.
fn read_dir(dir: &Path) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(dir)
        .into_iter()
        .flatten()
        .filter_map(|e| e.ok().map(|e| e.path()))
        .collect();
    v.sort();
    v
}

/// The cache key of a source: its bytes and the settings.
fn key_of(bytes: &[u8]) -> String {
    let mut h = Sha256::new();
    h.update(SETTINGS.as_bytes());
    h.update([0]);
    h.update(bytes);
    h.finalize().iter().map(|b| format!("{b:02x}")).collect()
}

struct Sizes {
    original: (u32, u32),
    variants: Vec<(u32, u32)>,
}

/// The sizes kept in a cache folder, if it is complete.
fn read_meta(dir: &Path) -> Option<Sizes> {
    let text = std::fs::read_to_string(dir.join("meta.json")).ok()?;
    let v: serde_json::Value = serde_json::from_str(&text).ok()?;
    if v.get("settings")?.as_str()? != SETTINGS {
        return None;
    }
    let num = |v: &serde_json::Value| v.as_u64().and_then(|n| u32::try_from(n).ok());
    let original = (num(v.get("width")?)?, num(v.get("height")?)?);
    let variants: Vec<(u32, u32)> = v
        .get("variants")?
        .as_array()?
        .iter()
        .map(|p| Some((num(p.get(0)?)?, num(p.get(1)?)?)))
        .collect::<Option<_>>()?;
    let complete = !variants.is_empty()
        && variants.iter().all(|(w, _)| {
            dir.join(format!("{w}.jpg")).is_file() && dir.join(format!("{w}.webp")).is_file()
        });
    complete.then_some(Sizes { original, variants })
}

struct MadeVariant {
    width: u32,
    height: u32,
    jpeg: Vec<u8>,
    webp: Vec<u8>,
}

/// A photo decoded, resized and encoded.
struct Made {
    width: u32,
    height: u32,
    variants: Vec<MadeVariant>,
}

impl Made {
    fn sizes(&self) -> Sizes {
        Sizes {
            original: (self.width, self.height),
            variants: self.variants.iter().map(|v| (v.width, v.height)).collect(),
        }
    }
}

/// The widths to make of a photo `width` pixels wide: the standard ones
/// up to its width, and its own width if it is narrower than the widest.
pub fn widths_for(width: u32) -> Vec<u32> {
    let mut v: Vec<u32> = WIDTHS.iter().copied().filter(|w| *w <= width).collect();
    if width < WIDTHS[WIDTHS.len() - 1] && v.last() != Some(&width) {
        v.push(width);
    }
    v
}

/// The height of a `width`×`height` photo shown `w` pixels wide.
fn height_at(width: u32, height: u32, w: u32) -> u32 {
    ((u64::from(height) * u64::from(w) + u64::from(width) / 2) / u64::from(width)).max(1) as u32
}

/// Decodes `bytes` within the limits, upright, as RGB.
fn decode(bytes: &[u8]) -> Result<image::RgbImage, String> {
    let mut reader = ImageReader::new(std::io::Cursor::new(bytes))
        .with_guessed_format()
        .map_err(|e| format!("the file cannot be read: {e}"))?;
    match reader.format() {
        Some(ImageFormat::Jpeg | ImageFormat::Png | ImageFormat::WebP) => {}
        Some(other) => {
            return Err(format!(
                "{} images are not supported: use JPEG, PNG or WebP",
                other
                    .extensions_str()
                    .first()
                    .unwrap_or(&"these")
                    .to_uppercase()
            ));
        }
        None => return Err("not a JPEG, PNG or WebP image".to_string()),
    }
    let mut limits = Limits::default();
    limits.max_image_width = Some(MAX_SIDE);
    limits.max_image_height = Some(MAX_SIDE);
    limits.max_alloc = Some(MAX_ALLOC);
    reader.limits(limits);
    let mut decoder = reader.into_decoder().map_err(describe)?;
    let orientation = decoder
        .orientation()
        .unwrap_or(image::metadata::Orientation::NoTransforms);
    let mut img = DynamicImage::from_decoder(decoder).map_err(describe)?;
    img.apply_orientation(orientation);
    let rgb = flatten(img);
    if rgb.width() == 0 || rgb.height() == 0 {
        return Err("the image has no pixels".to_string());
    }
    Ok(rgb)
}

/// One width encoded as JPEG and WebP.
fn encode(img: image::RgbImage) -> Result<MadeVariant, String> {
    let (width, height) = img.dimensions();
    let mut jpeg = Vec::new();
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut jpeg, JPEG_QUALITY)
        .encode_image(&img)
        .map_err(|e| format!("cannot encode the photo as JPEG: {e}"))?;
    let webp = webp::Encoder::from_rgb(img.as_raw(), width, height)
        .encode(WEBP_QUALITY)
        .to_vec();
    Ok(MadeVariant {
        width,
        height,
        jpeg,
        webp,
    })
}

/// Decodes `bytes` and makes every standard variant.
fn process(bytes: &[u8]) -> Result<Made, String> {
    let rgb = decode(bytes)?;
    let (width, height) = rgb.dimensions();
    // Widest first, each made from the one before: a 4000-pixel photo is
    // read in full once, not once per width.
    let mut variants = Vec::new();
    let mut from = rgb;
    for w in widths_for(width).into_iter().rev() {
        let h = height_at(width, height, w);
        let resized = if (w, h) == from.dimensions() {
            from.clone()
        } else {
            image::imageops::resize(&from, w, h, image::imageops::FilterType::Lanczos3)
        };
        variants.push(encode(resized.clone())?);
        from = resized;
    }
    variants.reverse();
    Ok(Made {
        width,
        height,
        variants,
    })
}

/// The image as RGB, transparent parts on white (JPEG has no alpha).
fn flatten(img: DynamicImage) -> image::RgbImage {
    if !img.color().has_alpha() {
        return img.into_rgb8();
    }
    let rgba = img.into_rgba8();
    let (w, h) = rgba.dimensions();
    image::RgbImage::from_fn(w, h, |x, y| {
        let [r, g, b, a] = rgba.get_pixel(x, y).0;
        let over =
            |c: u8| ((u16::from(c) * u16::from(a) + 255 * (255 - u16::from(a)) + 127) / 255) as u8;
        image::Rgb([over(r), over(g), over(b)])
    })
}

fn describe(e: ImageError) -> String {
    match e {
        ImageError::Limits(_) => format!(
            "the image is too large to process: at most {MAX_SIDE} × {MAX_SIDE} pixels and {} MiB decoded",
            MAX_ALLOC >> 20
        ),
        ImageError::Unsupported(u) => format!("unsupported image: {u}"),
        ImageError::Decoding(d) => format!("the image cannot be decoded: {d}"),
        other => format!("the image cannot be read: {other}"),
    }
}

/// `<picture>` markup for `p`: WebP and JPEG `srcset`s, `width` and
/// `height` of the fallback (no layout shift), lazy loading. The renderer
/// makes the first image of each page eager. `link` turns an output file
/// into the URL pages use.
pub fn picture(p: &Processed, alt: &str, sizes: &str, link: &dyn Fn(&str) -> String) -> String {
    let attr = |s: &str| html_escape::encode_double_quoted_attribute(s).to_string();
    let set = |f: &dyn Fn(&Variant) -> &str| {
        p.variants
            .iter()
            .map(|v| format!("{} {}w", link(f(v)), v.width))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let fallback = p.fallback();
    format!(
        "<picture><source type=\"image/webp\" srcset=\"{}\" sizes=\"{}\"><img src=\"{}\" srcset=\"{}\" sizes=\"{}\" width=\"{}\" height=\"{}\" alt=\"{}\" loading=\"lazy\" decoding=\"async\"></picture>",
        attr(&set(&|v| &v.webp)),
        attr(sizes),
        attr(&link(&fallback.jpeg)),
        attr(&set(&|v| &v.jpeg)),
        attr(sizes),
        fallback.width,
        fallback.height,
        attr(alt),
    )
}

/// `html` with the first `<img>` made eager: the first image of a page is
/// usually in view at once, so it is not left to lazy loading.
pub fn first_image_eager(html: &mut String) {
    let Some(start) = html.find("<img ") else {
        return;
    };
    let Some(len) = html[start..].find('>') else {
        return;
    };
    let tag = &html[start..start + len];
    if let Some(at) = tag.find(" loading=\"lazy\"") {
        html.replace_range(start + at..start + at + " loading=\"lazy\"".len(), "");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn widths_never_upscale() {
        assert_eq!(widths_for(4000), [480, 960, 1600]);
        assert_eq!(widths_for(1600), [480, 960, 1600]);
        assert_eq!(widths_for(1200), [480, 960, 1200]);
        assert_eq!(widths_for(960), [480, 960]);
        assert_eq!(widths_for(300), [300]);
    }

    #[test]
    fn only_the_first_image_becomes_eager() {
        let mut h =
            "<p><img src=\"a\" loading=\"lazy\"><img src=\"b\" loading=\"lazy\"></p>".to_string();
        first_image_eager(&mut h);
        assert_eq!(h, "<p><img src=\"a\"><img src=\"b\" loading=\"lazy\"></p>");
    }

    #[test]
    fn photo_names() {
        assert!(is_photo_name("hall.JPG"));
        assert!(is_photo_name("a.b.webp"));
        assert!(!is_photo_name("notes.md"));
        assert!(!is_photo_name("jpg"));
    }
}
