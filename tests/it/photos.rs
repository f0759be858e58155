//! Photos end to end: front-matter `image` and `gallery`, Markdown body
//! images, the processed files (widths, formats, metadata stripped, EXIF
//! orientation), the cache between builds, output independent of the
//! thread count, `serve`, and the errors of bad photo files. Every photo
//! here is made by the test (a gradient encoded with the `image` crate).

use crate::support::*;
use image::ImageEncoder;
use std::collections::BTreeMap;
use std::path::Path;

/// A `w`×`h` gradient as RGB pixels.
fn gradient(w: u32, h: u32) -> image::RgbImage {
    image::RgbImage::from_fn(w, h, |x, y| {
        image::Rgb([
            (x * 255 / w.max(1)) as u8,
            (y * 255 / h.max(1)) as u8,
            ((x + y) % 256) as u8,
        ])
    })
}

pub(crate) fn jpeg(w: u32, h: u32) -> Vec<u8> {
    let mut out = Vec::new();
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, 90)
        .encode_image(&gradient(w, h))
        .unwrap();
    out
}

pub(crate) fn png(w: u32, h: u32) -> Vec<u8> {
    let mut out = Vec::new();
    let img = gradient(w, h);
    image::codecs::png::PngEncoder::new(&mut out)
        .write_image(img.as_raw(), w, h, image::ExtendedColorType::Rgb8)
        .unwrap();
    out
}

/// An EXIF block (big-endian TIFF) with an orientation and a GPS position,
/// as a phone writes them.
fn exif(orientation: u16) -> Vec<u8> {
    let mut t = Vec::new();
    t.extend_from_slice(b"MM\0\x2a\0\0\0\x08");
    // IFD0 at 8: two entries, then the next-IFD offset.
    t.extend_from_slice(&2u16.to_be_bytes());
    // Orientation, SHORT, 1 value, inline.
    t.extend_from_slice(&0x0112u16.to_be_bytes());
    t.extend_from_slice(&3u16.to_be_bytes());
    t.extend_from_slice(&1u32.to_be_bytes());
    t.extend_from_slice(&orientation.to_be_bytes());
    t.extend_from_slice(&[0, 0]);
    // GPSInfo, LONG, 1 value: the GPS IFD's offset (8 + 2 + 24 + 4 = 38).
    t.extend_from_slice(&0x8825u16.to_be_bytes());
    t.extend_from_slice(&4u16.to_be_bytes());
    t.extend_from_slice(&1u32.to_be_bytes());
    t.extend_from_slice(&38u32.to_be_bytes());
    t.extend_from_slice(&0u32.to_be_bytes());
    // GPS IFD at 38: GPSLatitudeRef "N".
    t.extend_from_slice(&1u16.to_be_bytes());
    t.extend_from_slice(&1u16.to_be_bytes());
    t.extend_from_slice(&2u16.to_be_bytes());
    t.extend_from_slice(&2u32.to_be_bytes());
    t.extend_from_slice(b"N\0\0\0");
    t.extend_from_slice(&0u32.to_be_bytes());
    let mut seg = b"Exif\0\0".to_vec();
    seg.extend_from_slice(&t);
    seg
}

/// A JPEG with an APP1 EXIF segment right after its start marker.
fn jpeg_with_exif(w: u32, h: u32, orientation: u16) -> Vec<u8> {
    let plain = jpeg(w, h);
    let app1 = exif(orientation);
    let mut out = plain[..2].to_vec();
    out.extend_from_slice(&[0xff, 0xe1]);
    out.extend_from_slice(&((app1.len() + 2) as u16).to_be_bytes());
    out.extend_from_slice(&app1);
    out.extend_from_slice(&plain[2..]);
    out
}

fn crc32(bytes: &[u8]) -> u32 {
    let mut crc = 0xffff_ffffu32;
    for &b in bytes {
        crc ^= u32::from(b);
        for _ in 0..8 {
            crc = if crc & 1 == 1 {
                (crc >> 1) ^ 0xedb8_8320
            } else {
                crc >> 1
            };
        }
    }
    !crc
}

/// A PNG whose header claims `w`×`h` pixels, with almost no data: what a
/// decompression bomb looks like before it is decoded.
fn png_claiming(w: u32, h: u32) -> Vec<u8> {
    let chunk = |kind: &[u8], data: &[u8]| {
        let mut c = (data.len() as u32).to_be_bytes().to_vec();
        let mut body = kind.to_vec();
        body.extend_from_slice(data);
        c.extend_from_slice(&body);
        c.extend_from_slice(&crc32(&body).to_be_bytes());
        c
    };
    let mut ihdr = w.to_be_bytes().to_vec();
    ihdr.extend_from_slice(&h.to_be_bytes());
    ihdr.extend_from_slice(&[8, 2, 0, 0, 0]);
    let mut out = b"\x89PNG\r\n\x1a\n".to_vec();
    out.extend(chunk(b"IHDR", &ihdr));
    out.extend(chunk(
        b"IDAT",
        &[0x78, 0x9c, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01],
    ));
    out.extend(chunk(b"IEND", &[]));
    out
}

/// The JPEG marker codes before the image data.
fn jpeg_markers(bytes: &[u8]) -> Vec<u8> {
    assert_eq!(&bytes[..2], &[0xff, 0xd8], "not a JPEG");
    let mut at = 2;
    let mut markers = Vec::new();
    while at + 4 <= bytes.len() && bytes[at] == 0xff {
        let m = bytes[at + 1];
        markers.push(m);
        if m == 0xda {
            break;
        }
        let len = u16::from_be_bytes([bytes[at + 2], bytes[at + 3]]) as usize;
        at += 2 + len;
    }
    markers
}

/// The chunk names of a RIFF WebP file.
fn webp_chunks(bytes: &[u8]) -> Vec<String> {
    assert_eq!(&bytes[..4], b"RIFF");
    assert_eq!(&bytes[8..12], b"WEBP");
    let mut at = 12;
    let mut chunks = Vec::new();
    while at + 8 <= bytes.len() {
        chunks.push(String::from_utf8_lossy(&bytes[at..at + 4]).into_owned());
        let len = u32::from_le_bytes(bytes[at + 4..at + 8].try_into().unwrap()) as usize;
        at += 8 + len + (len & 1);
    }
    chunks
}

/// The basic fixture with a main photo, a gallery and a body image on
/// the spa `kurbad`, photos beside it in `content/spas/kurbad/`.
fn site_with_photos() -> SiteTest {
    let site = SiteTest::fixture("basic");
    // Its pages without a photo get social cards.
    let config = site.read("site.toml");
    site.write("site.toml", config + "\n[social_cards]\nenabled = true\n");
    site.write(
        "content/spas/kurbad/hall.jpg",
        jpeg_with_exif(2000, 1000, 1),
    );
    site.write("content/spas/kurbad/sauna.png", png(300, 200));
    site.write("content/spas/kurbad/room.jpg", jpeg(1200, 800));
    site.replace(
        "content/spas/kurbad.en.md",
        "coordinates = ",
        "image = { src = \"hall.jpg\", alt = \"The pool hall\", caption = \"The hall in winter\", credit = \"Photo: Kurbadet\" }\n\
         gallery = [\n  { src = \"sauna.png\", alt = \"The sauna\" },\n  { src = \"room.jpg\", alt = \"A treatment room\" },\n]\n\
         coordinates = ",
    );
    site.replace(
        "content/spas/kurbad.en.md",
        "Physiotherapy and hydrotherapy.",
        "Physiotherapy and hydrotherapy.\n\n![A treatment room by the sea](room.jpg)",
    );
    site.replace(
        "content/spas/kurbad.nb.md",
        "description = ",
        "image = { alt = \"Bassenghallen\" }\ndescription = ",
    );
    site
}

fn attr<'a>(el: &scraper::ElementRef<'a>, name: &str) -> &'a str {
    el.value()
        .attr(name)
        .unwrap_or_else(|| panic!("no {name} on {}", el.html()))
}

fn select<'a>(page: &'a scraper::Html, css: &str) -> Vec<scraper::ElementRef<'a>> {
    page.select(&scraper::Selector::parse(css).unwrap())
        .collect()
}

/// The processed photos of a built site (not its social cards).
fn photo_files(tree: &BTreeMap<String, Vec<u8>>) -> Vec<(&String, &Vec<u8>)> {
    tree.iter()
        .filter(|(p, _)| p.starts_with("photos/") && !p.starts_with("photos/card-"))
        .collect()
}

#[test]
fn item_pages_show_responsive_photos_with_sizes_and_alt_text() {
    let site = site_with_photos();
    site.build().assert_ok();
    let page = site.page("/en/spas/kurbad/");

    let imgs = select(&page, "main img");
    assert_eq!(imgs.len(), 4, "main photo, body image, two gallery photos");
    for img in &imgs {
        for a in ["src", "srcset", "sizes", "width", "height", "alt"] {
            attr(img, a);
        }
        assert_eq!(attr(img, "decoding"), "async");
    }
    // The first image of the page is not lazy; every other one is.
    assert_eq!(imgs[0].value().attr("loading"), None);
    assert!(imgs[1..].iter().all(|i| attr(i, "loading") == "lazy"));

    let main = imgs[0];
    assert_eq!(attr(&main, "alt"), "The pool hall");
    assert_eq!(
        (attr(&main, "width"), attr(&main, "height")),
        ("960", "480")
    );
    let srcset = attr(&main, "srcset");
    for w in ["480w", "960w", "1600w"] {
        assert!(srcset.contains(w), "{srcset}");
    }
    let webp = select(&page, "main picture > source[type=\"image/webp\"]");
    assert_eq!(webp.len(), 4);
    assert!(attr(&webp[0], "srcset").contains(".webp 1600w"));
    assert!(!attr(&webp[0], "sizes").is_empty());

    // Never upscaled: a 300-pixel photo has one width, its own.
    let sauna = imgs.iter().find(|i| attr(i, "alt") == "The sauna").unwrap();
    assert!(
        attr(sauna, "srcset").ends_with(" 300w"),
        "{}",
        attr(sauna, "srcset")
    );
    assert_eq!(
        (attr(sauna, "width"), attr(sauna, "height")),
        ("300", "200")
    );

    // The body image went through the same pipeline.
    let body = imgs
        .iter()
        .find(|i| attr(i, "alt") == "A treatment room by the sea")
        .expect("body image");
    assert!(
        attr(body, "srcset").contains("1200w"),
        "{}",
        attr(body, "srcset")
    );

    // Caption and credit; gallery photos link to their widest file.
    let caption = select(&page, "figure.main-photo figcaption")[0]
        .text()
        .collect::<String>();
    assert!(caption.contains("The hall in winter") && caption.contains("Photo: Kurbadet"));
    let links = select(&page, ".gallery a");
    assert_eq!(links.len(), 2);
    assert!(attr(&links[0], "href").ends_with("-300.jpg"));

    // Every URL the page names is a file of the output.
    for img in &imgs {
        for part in attr(img, "srcset").split(", ") {
            let url = part.split(' ').next().unwrap();
            assert!(site.exists(url), "{url} missing");
        }
    }

    // The Norwegian page: its own alt text, the same photo.
    let nb = site.page("/nb/spas/kurbad/");
    let nb_main = select(&nb, "main img")[0];
    assert_eq!(attr(&nb_main, "alt"), "Bassenghallen");
    assert_eq!(attr(&nb_main, "src"), attr(&main, "src"));

    // Social cards and JSON-LD.
    let meta = |page: &scraper::Html, key: &str| {
        let css = format!("meta[property=\"{key}\"], meta[name=\"{key}\"]");
        attr(&select(page, &css)[0], "content").to_string()
    };
    let og = meta(&page, "og:image");
    assert!(
        og.starts_with("https://example.org/photos/hall-") && og.ends_with("-1600.jpg"),
        "{og}"
    );
    assert_eq!(meta(&page, "og:image:width"), "1600");
    assert_eq!(meta(&page, "og:image:height"), "800");
    assert_eq!(meta(&page, "og:image:alt"), "The pool hall");
    assert_eq!(meta(&page, "twitter:card"), "summary_large_image");
    assert_eq!(meta(&nb, "og:image:alt"), "Bassenghallen");
    let ld = select(&page, "script[type=\"application/ld+json\"]")[0].inner_html();
    let ld: serde_json::Value = serde_json::from_str(&ld).unwrap();
    assert_eq!(ld["@graph"][0]["image"]["@type"], "ImageObject");
    assert_eq!(ld["@graph"][0]["image"]["url"], og.as_str());
    // A page without a photo shows its social card instead.
    let other = site.page("/en/spas/solhotell/");
    assert_eq!(meta(&other, "twitter:card"), "summary_large_image");
    assert!(meta(&other, "og:image").contains("/photos/card-solhotell-"));

    // List cards show the main photo; the first on the page is eager.
    let list = site.page("/en/spas/");
    let cards = select(&list, ".item-photo img");
    assert_eq!(cards.len(), 1);
    assert_eq!(attr(&cards[0], "alt"), "The pool hall");
    assert_eq!(cards[0].value().attr("loading"), None);
}

#[test]
fn check_follows_every_srcset_url() {
    let site = site_with_photos();
    let checked = site.check();
    checked.assert_ok();
    // A page naming a photo file the output lacks is reported.
    let files = vec![klynge::render::OutputFile {
        path: "en/index.html".into(),
        bytes: b"<img src=\"/en/\" srcset=\"/photos/a-480.jpg 480w, /en/ 960w\" alt=\"x\">"
            .to_vec(),
    }];
    let diags = klynge::diagnostic::Diagnostics::new();
    klynge::check::check_links("", &files, &diags);
    let found: Vec<String> = diags.sorted().iter().map(|d| d.headline()).collect();
    assert_eq!(found.len(), 1, "{found:?}");
    assert!(found[0].contains("/photos/a-480.jpg"), "{found:?}");
}

#[test]
fn outputs_carry_no_metadata_and_are_turned_upright() {
    let site = SiteTest::fixture("basic");
    // 40×20 stored, orientation 6: shown rotated, 20×40.
    site.write("content/spas/kurbad/phone.jpg", jpeg_with_exif(40, 20, 6));
    site.replace(
        "content/spas/kurbad.en.md",
        "coordinates = ",
        "image = { src = \"phone.jpg\", alt = \"A phone photo\" }\ncoordinates = ",
    );
    site.build().assert_ok();
    let source = std::fs::read(site.path("content/spas/kurbad/phone.jpg")).unwrap();
    assert!(jpeg_markers(&source).contains(&0xe1), "the source has EXIF");

    let tree = site.tree();
    let photos = photo_files(&tree);
    assert_eq!(
        photos.len(),
        2,
        "{:?}",
        photos.iter().map(|p| p.0).collect::<Vec<_>>()
    );
    for (path, bytes) in photos {
        assert!(!bytes.windows(4).any(|w| w == b"Exif"), "{path} has EXIF");
        if path.ends_with(".jpg") {
            let markers = jpeg_markers(bytes);
            assert!(
                !markers.contains(&0xe1),
                "{path} has an APP1 segment: {markers:x?}"
            );
            let img = image::load_from_memory(bytes).unwrap();
            assert_eq!((img.width(), img.height()), (20, 40), "{path} not upright");
        } else {
            let chunks = webp_chunks(bytes);
            assert!(
                chunks.iter().all(|c| c == "VP8 " || c == "VP8L"),
                "{path}: {chunks:?}"
            );
            let img = image::load_from_memory(bytes).unwrap();
            assert_eq!((img.width(), img.height()), (20, 40));
        }
    }
    let page = site.page("/en/spas/kurbad/");
    let img = select(&page, "main img")[0];
    assert_eq!((attr(&img, "width"), attr(&img, "height")), ("20", "40"));
}

/// Modification times of every file under `dir`.
fn mtimes(dir: &Path) -> BTreeMap<String, std::time::SystemTime> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .map(|e| e.unwrap())
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            (
                e.path().display().to_string(),
                e.metadata().unwrap().modified().unwrap(),
            )
        })
        .collect()
}

#[test]
fn a_second_build_takes_every_photo_from_the_cache() {
    let site = site_with_photos();
    let first = site.build();
    let summary = first.assert_ok();
    assert_eq!((summary.photos_processed, summary.photos_cached), (3, 0));
    let cache = site.path(".klynge-cache/images");
    let cached = mtimes(&cache);
    // Per photo: a JPEG and a WebP per width, and meta.json.
    assert_eq!(cached.len(), 7 + 3 + 7, "{cached:#?}");
    let before = site.tree();
    assert!(!before.keys().any(|k| k.contains("klynge-cache")));

    let second = site.build();
    let summary = second.assert_ok();
    assert_eq!((summary.photos_processed, summary.photos_cached), (0, 3));
    assert!(
        summary.line().contains("0 processed, 3 from the cache"),
        "{}",
        summary.line()
    );
    assert_eq!(mtimes(&cache), cached, "the cache was written again");
    assert_eq!(site.tree(), before);

    // A changed photo is processed again, and only it.
    site.write("content/spas/kurbad/sauna.png", png(320, 200));
    let third = site.build();
    let summary = third.assert_ok();
    assert_eq!((summary.photos_processed, summary.photos_cached), (1, 2));
}

#[test]
fn output_is_the_same_on_one_thread_and_on_two() {
    let build_on = |threads: usize| {
        let site = site_with_photos();
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .unwrap();
        pool.install(|| site.build().assert_ok().photos_processed);
        site.tree()
    };
    let one = build_on(1);
    let two = build_on(2);
    assert!(photo_files(&one).len() >= 10);
    assert_eq!(
        one.keys().collect::<Vec<_>>(),
        two.keys().collect::<Vec<_>>()
    );
    for (path, bytes) in &one {
        assert!(&two[path] == bytes, "{path} differs between thread counts");
    }
}

/// Builds the basic site with `bytes` as the spa's main photo (`None`:
/// no such file), after a good build, and returns the failed build's
/// diagnostics.
fn bad_photo(bytes: Option<&[u8]>) -> String {
    let site = SiteTest::fixture("basic");
    site.build().assert_ok();
    let before = site.tree();
    if let Some(bytes) = bytes {
        site.write("content/spas/kurbad/hall.jpg", bytes);
    }
    site.replace(
        "content/spas/kurbad.en.md",
        "coordinates = ",
        "image = { src = \"hall.jpg\", alt = \"The hall\" }\ncoordinates = ",
    );
    let built = site.build();
    built.assert_err();
    assert_eq!(site.tree(), before, "a failed build changed the output");
    let text = built.rendered();
    assert!(
        text.contains("content/spas/kurbad.en.md:9:"),
        "the error names the content file and line:\n{text}"
    );
    text
}

#[test]
fn a_decompression_bomb_is_refused_without_decoding_it() {
    let text = bad_photo(Some(&png_claiming(50_000, 50_000)));
    assert!(text.contains("too large to process"), "{text}");
}

#[test]
fn unreadable_unsupported_and_missing_photos_are_errors() {
    let text = bad_photo(Some(b"GIF89a\x01\x00\x01\x00\x00\x00\x00;"));
    assert!(text.contains("GIF images are not supported"), "{text}");
    let text = bad_photo(Some(b"not an image at all"));
    assert!(text.contains("not a JPEG, PNG or WebP image"), "{text}");
    let mut truncated = jpeg(200, 100);
    truncated.truncate(300);
    let text = bad_photo(Some(&truncated));
    assert!(text.contains("photo `hall.jpg`"), "{text}");
    let text = bad_photo(None);
    assert!(
        text.contains("(content/spas/kurbad/hall.jpg): there is no such file"),
        "{text}"
    );
}

#[test]
fn serve_serves_photos_and_follows_a_replaced_one() {
    let site = site_with_photos();
    let mut serve = site.serve();
    serve.rebuild().assert_ok();
    let files = serve.files();
    let photos: Vec<&String> = files.keys().filter(|k| k.starts_with("photos/")).collect();
    assert!(photos.len() >= 10, "{photos:?}");
    let page = serve.text("/en/spas/kurbad/").unwrap();
    for p in &photos {
        assert!(files[*p].len() > 20);
    }
    assert!(page.contains("photos/hall-"));
    let old_sauna: Vec<String> = photos
        .iter()
        .filter(|p| p.contains("sauna"))
        .map(|p| p.to_string())
        .collect();

    serve.write("content/spas/kurbad/sauna.png", png(320, 200));
    serve.rebuild().assert_ok();
    let files = serve.files();
    let page = serve.text("/en/spas/kurbad/").unwrap();
    let new_sauna: Vec<&String> = files
        .keys()
        .filter(|k| k.starts_with("photos/sauna-"))
        .collect();
    assert_eq!(new_sauna.len(), 2);
    for p in &new_sauna {
        assert!(page.contains(p.as_str()), "{p} not on the page");
        assert!(!old_sauna.contains(p));
    }
    for p in &old_sauna {
        assert!(!files.contains_key(p), "{p} still served");
    }
}

#[test]
fn templates_can_ask_for_other_sizes_with_resize_image() {
    let site = SiteTest::fixture("basic");
    site.write("content/pages/about/team.jpg", jpeg(1000, 500));
    site.write(
        "templates/page.html",
        r#"{% extends "base.html" %}{% block content %}{% set small = resize_image(path="pages/about/team.jpg", width=200) %}{% set big = resize_image(path="pages/about/team.jpg", width=5000) %}<h1>{{ head.heading }}</h1><img id="small" src="{{ small.url }}" width="{{ small.width }}" height="{{ small.height }}" alt="The team"><a id="big" href="{{ big.url }}" data-webp="{{ big.webp }}">{{ big.width }}</a>{% endblock content %}"#,
    );
    site.build().assert_ok();
    let page = site.page("/en/pages/about/");
    let small = select(&page, "#small")[0];
    assert_eq!(
        (attr(&small, "width"), attr(&small, "height")),
        ("200", "100")
    );
    assert!(site.exists(attr(&small, "src")), "{}", attr(&small, "src"));
    let big = select(&page, "#big")[0];
    assert_eq!(big.text().collect::<String>(), "1000", "never upscaled");
    assert!(site.exists(attr(&big, "href")) && site.exists(attr(&big, "data-webp")));
    let small_file = site.tree()[attr(&small, "src").trim_start_matches('/')].clone();
    assert_eq!(image::load_from_memory(&small_file).unwrap().width(), 200);

    // Nothing is made again by a second build.
    let cache = mtimes(&site.path(".klynge-cache/images"));
    let before = site.tree();
    site.build().assert_ok();
    assert_eq!(mtimes(&site.path(".klynge-cache/images")), cache);
    assert_eq!(site.tree(), before);

    // A photo that is not there fails the build, naming it.
    site.replace("templates/page.html", "width=200", "width=300")
        .replace(
            "templates/page.html",
            "pages/about/team.jpg\", width=300",
            "pages/about/nobody.jpg\", width=300",
        );
    let built = site.build();
    built.assert_err();
    assert!(
        built
            .rendered()
            .contains("photo `pages/about/nobody.jpg`: there is no such file"),
        "{}",
        built.rendered()
    );
}

#[test]
fn the_cache_keeps_only_what_the_last_build_used() {
    let site = site_with_photos();
    site.build().assert_ok();
    let images = site.path(".klynge-cache/images");
    let cards = site.path(".klynge-cache/cards");
    let (photos_before, cards_before) = (mtimes(&images).len(), mtimes(&cards).len());
    assert_eq!(photos_before, 7 + 3 + 7);
    assert!(cards_before > 0);

    // A replaced photo: its old version leaves the cache.
    site.write("content/spas/kurbad/sauna.png", png(320, 200));
    // A retitled page: its old card leaves the cache.
    site.replace("content/pages/about.en.md", "title = \"", "title = \"New: ");
    site.build().assert_ok();
    assert_eq!(mtimes(&images).len(), photos_before);
    assert_eq!(mtimes(&cards).len(), cards_before);

    // A photo no page shows any more: its whole folder goes.
    site.replace(
        "content/spas/kurbad.en.md",
        "  { src = \"sauna.png\", alt = \"The sauna\" },\n",
        "",
    );
    site.build().assert_ok();
    assert_eq!(mtimes(&images).len(), 7 + 7);
    // Every file left is one the site uses.
    let tree = site.tree();
    let used = tree
        .iter()
        .filter(|(p, _)| p.starts_with("photos/"))
        .count();
    let meta = 2;
    assert_eq!(used, mtimes(&images).len() - meta + mtimes(&cards).len());

    // A failed build removes nothing.
    site.write("content/spas/kurbad.en.md", "+++\ntitle = \n");
    site.build().assert_err();
    assert_eq!(mtimes(&images).len(), 7 + 7);
}
