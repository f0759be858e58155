//! The photos of items: front-matter `image` and `gallery` checked (alt
//! text) and resolved to files, and Markdown body images resolved through
//! the same library. Where photos live is in docs/content.md, "Photos".

use super::{Photo, Photos, Site, Translation};
use crate::content::ContentFile;
use crate::content::frontmatter::PhotoFront;
use crate::diagnostic::{Diagnostic, Diagnostics};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use toml::Spanned;

/// The `sizes` of a main photo and of a body image: the text column.
pub const MAIN_SIZES: &str = "(min-width: 48rem) 44rem, 100vw";
/// The `sizes` of a gallery photo and of a list card's photo.
pub const THUMB_SIZES: &str = "(min-width: 40rem) 20rem, 100vw";

/// The file a photo `src` written in `file` names: beside the item in
/// the folder named after it, or under `assets/` for `/…`.
pub fn photo_path(root: &Path, file: &ContentFile, src: &str) -> Result<PathBuf, String> {
    if src.contains("://") || src.starts_with("//") || crate::url::unsafe_scheme(src).is_some() {
        return Err(format!(
            "photo `{src}` is not a file of the site: photos are processed at build time, so put the file beside the content or in assets/"
        ));
    }
    let rel = src.strip_prefix('/').unwrap_or(src);
    let bad = rel.is_empty()
        || rel.contains('\\')
        || rel
            .split('/')
            .any(|part| part.is_empty() || part == "." || part == "..");
    if bad {
        return Err(format!(
            "photo `{src}` is not a plain path: write a file name like `hall.jpg` (or `/shared/hall.jpg` for assets/), without `..`"
        ));
    }
    Ok(if src.starts_with('/') {
        root.join("assets").join(rel)
    } else {
        let dir = file.source.path.parent().unwrap_or(Path::new(""));
        dir.join(&file.stem).join(rel)
    })
}

/// Where `file`'s front matter starts in its text.
fn front_offset(file: &ContentFile) -> usize {
    if file.source.path.extension().is_some_and(|e| e == "toml") {
        return 0;
    }
    crate::content::load::split_front_matter(&file.source.text).map_or(0, |(_, at, _)| at)
}

/// Processes the photo `src` names, with the error message a reader needs.
fn processed(
    site: &Site,
    file: &ContentFile,
    src: &str,
) -> Result<Arc<crate::photos::Processed>, String> {
    let path = photo_path(&site.config.root, file, src)?;
    site.photos.get(&path).map_err(|why| {
        let shown = crate::diagnostic::display_path(&site.config.root, &path);
        format!("photo `{src}` ({}): {why}", shown.display())
    })
}

/// Every photo file the front matter of `files` names, for processing in
/// parallel before items are made.
pub(super) fn front_paths(root: &Path, files: &[Arc<ContentFile>]) -> Vec<PathBuf> {
    let mut paths: Vec<PathBuf> = files
        .iter()
        .flat_map(|f| {
            let c = f.front.common();
            c.image
                .into_iter()
                .chain(c.gallery)
                .filter_map(|p| p.get_ref().src.as_deref())
                .filter_map(|src| photo_path(root, f, src).ok())
                .collect::<Vec<_>>()
        })
        .collect();
    paths.sort();
    paths.dedup();
    paths
}

/// A photo entry as written, where it is written.
struct Entry<'f> {
    file: &'f ContentFile,
    photo: &'f Spanned<PhotoFront>,
}

impl Entry<'_> {
    fn error(&self, message: impl Into<String>) -> Diagnostic {
        let at = front_offset(self.file) + self.photo.span().start;
        self.file.source.error_at(at, message)
    }
}

/// Fills each translation's photos from its front matter. A translation
/// without `image` (or `gallery`) shows those of the first translation
/// that has them; an entry without `src` uses the one at the same place
/// in the first translation that gives it.
pub(super) fn resolve(site: &Site, translations: &mut [Translation], diags: &Diagnostics) {
    let files: Vec<Arc<ContentFile>> = translations.iter().map(|t| Arc::clone(&t.file)).collect();
    let image_entries: Vec<Option<Entry>> = files
        .iter()
        .map(|f| f.front.common().image.map(|photo| Entry { file: f, photo }))
        .collect();
    let gallery_entries: Vec<Vec<Entry>> = files
        .iter()
        .map(|f| {
            f.front
                .common()
                .gallery
                .iter()
                .map(|photo| Entry { file: f, photo })
                .collect()
        })
        .collect();
    // The entry that gives the `src` of each place.
    let image_src = image_entries
        .iter()
        .flatten()
        .find(|e| e.photo.get_ref().src.is_some());
    let longest = gallery_entries.iter().map(Vec::len).max().unwrap_or(0);
    let gallery_src: Vec<Option<&Entry>> = (0..longest)
        .map(|n| {
            gallery_entries
                .iter()
                .filter_map(|g| g.get(n))
                .find(|e| e.photo.get_ref().src.is_some())
        })
        .collect();

    let mut images: Vec<Option<Photo>> = image_entries
        .iter()
        .map(|e| e.as_ref().and_then(|e| photo_of(site, e, image_src, diags)))
        .collect();
    let mut galleries: Vec<Vec<Photo>> = gallery_entries
        .iter()
        .map(|g| {
            g.iter()
                .enumerate()
                .filter_map(|(n, e)| photo_of(site, e, gallery_src[n], diags))
                .collect()
        })
        .collect();
    let first_image = images.iter().flatten().next().cloned();
    let first_gallery = galleries.iter().find(|g| !g.is_empty()).cloned();
    for (n, t) in translations.iter_mut().enumerate() {
        let image = images[n].take().or_else(|| {
            image_entries[n]
                .is_none()
                .then(|| first_image.clone())
                .flatten()
        });
        let mut gallery = std::mem::take(&mut galleries[n]);
        if gallery_entries[n].is_empty() {
            gallery = first_gallery.clone().unwrap_or_default();
        }
        t.photos = Photos { image, gallery };
    }
}

/// One entry checked and processed; errors go to `diags`.
fn photo_of(
    site: &Site,
    entry: &Entry,
    src_from: Option<&Entry>,
    diags: &Diagnostics,
) -> Option<Photo> {
    let p = entry.photo.get_ref();
    let alt = match (&p.alt, p.decorative) {
        (None, false) => {
            diags.push(
                entry
                    .error("a photo without `alt` text")
                    .with_hint("describe what the photo shows, in this file's language: `alt = \"…\"`; for a purely decorative photo write `alt = \"\"` and `decorative = true`"),
            );
            None
        }
        (Some(a), false) if a.trim().is_empty() => {
            diags.push(
                entry
                    .error("a photo with empty `alt` text")
                    .with_hint("describe what the photo shows; `alt = \"\"` is only for a photo marked `decorative = true`"),
            );
            None
        }
        (Some(a), true) if !a.trim().is_empty() => {
            diags.push(
                entry
                    .error("a photo marked `decorative` has alt text")
                    .with_hint("a decorative photo has `alt = \"\"`; remove `decorative = true` if the text describes it"),
            );
            None
        }
        (Some(a), false) => Some(a.trim().to_string()),
        (_, true) => Some(String::new()),
    };
    let Some(src_entry) = (if p.src.is_some() {
        Some(entry)
    } else {
        src_from
    }) else {
        diags.push(
            entry
                .error("a photo without `src`, and no other translation gives one here")
                .with_hint(
                    "write `src = \"hall.jpg\"` (a file in the folder named after the item)",
                ),
        );
        return None;
    };
    let src = src_entry.photo.get_ref().src.as_deref().unwrap_or("");
    let processed = match processed(site, src_entry.file, src) {
        Ok(p) => p,
        Err(why) => {
            // Reported once, where `src` is written.
            if std::ptr::eq(src_entry, entry) {
                diags.push(entry.error(why).with_hint(
                    "a photo's `src` is relative to the folder named after the item (content/spas/laine/ for content/spas/laine.en.md), or starts with / for assets/",
                ));
            }
            return None;
        }
    };
    Some(Photo {
        processed,
        alt: alt?,
        caption: p.caption.clone(),
        credit: p.credit.clone(),
        decorative: p.decorative,
    })
}

/// The image resolver of `file`'s Markdown body: `![alt](hall.jpg)`
/// becomes a `<picture>`; outside URLs are kept as they are written.
pub(super) fn body_image<'s>(
    site: &'s Site,
    file: &'s ContentFile,
    used: &'s std::sync::Mutex<Vec<PathBuf>>,
) -> impl Fn(&str, &str) -> Result<Option<String>, String> + 's {
    move |src: &str, alt: &str| {
        if src.contains("://") || src.starts_with("//") || src.starts_with('#') {
            return Ok(None);
        }
        if alt.trim().is_empty() {
            return Err(format!(
                "image `{src}` without alt text: write what it shows, `![what it shows]({src})`"
            ));
        }
        let path = photo_path(&site.config.root, file, src)?;
        used.lock().unwrap_or_else(|e| e.into_inner()).push(path);
        let p = processed(site, file, src)?;
        let link = |f: &str| site.config.href(&crate::route::Route::Photo(f.to_string()));
        Ok(Some(crate::photos::picture(
            &p,
            alt.trim(),
            MAIN_SIZES,
            &link,
        )))
    }
}

/// The template function `resize_image(path, width)`: the photo at
/// `path` (relative to `content/`, or `/…` for `assets/`) `width` pixels
/// wide, never wider than it is. Returns `{url, webp, width, height}`.
pub struct ResizeImage {
    pub photos: Arc<crate::photos::Library>,
    pub root: PathBuf,
    pub base_path: String,
}

impl tera::Function for ResizeImage {
    fn call(
        &self,
        args: &std::collections::HashMap<String, tera::Value>,
    ) -> tera::Result<tera::Value> {
        let path = args
            .get("path")
            .and_then(|v| v.as_str())
            .ok_or("resize_image needs `path`, a photo under content/ (`spas/laine/hall.jpg`) or assets/ (`/logo.png`)")?;
        let width = args
            .get("width")
            .and_then(|v| v.as_u64())
            .and_then(|w| u32::try_from(w).ok())
            .filter(|w| *w > 0)
            .ok_or("resize_image needs `width`, a whole number of pixels")?;
        let rel = path.strip_prefix('/').unwrap_or(path);
        if rel.is_empty()
            || rel.contains('\\')
            || rel
                .split('/')
                .any(|p| p.is_empty() || p == "." || p == "..")
        {
            return Err(format!(
                "resize_image: `{path}` is not a plain path under content/ or assets/"
            )
            .into());
        }
        let file = if path.starts_with('/') {
            self.root.join("assets").join(rel)
        } else {
            self.root.join("content").join(rel)
        };
        let v = self
            .photos
            .resized(&file, width)
            .map_err(|why| format!("resize_image: photo `{path}`: {why}"))?;
        let link = |f: &str| {
            format!(
                "{}{}",
                self.base_path,
                crate::route::Route::Photo(f.to_string()).path(&crate::route::Segments::AS_KEYS)
            )
        };
        Ok(serde_json::json!({
            "url": link(&v.jpeg),
            "webp": link(&v.webp),
            "width": v.width,
            "height": v.height,
        }))
    }

    fn is_safe(&self) -> bool {
        false
    }
}
