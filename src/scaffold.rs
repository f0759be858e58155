//! `klynge init` and `klynge new`: files a new user starts from.

use crate::diagnostic::{Diagnostic, Diagnostics};
use std::path::{Path, PathBuf};

/// What `klynge init` creates.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InitOptions {
    /// The folder to create; it must be new or empty.
    pub dir: PathBuf,
    /// The site's language codes, default language first (blank entries
    /// and repeats are dropped). At least one is needed.
    pub languages: Vec<String>,
    /// Copy the default theme into `dir/themes/default`, to edit it.
    pub theme_copy: bool,
}

impl InitOptions {
    /// A new English site in `dir`, using the built-in theme.
    pub fn new(dir: impl Into<PathBuf>) -> InitOptions {
        InitOptions {
            dir: dir.into(),
            languages: vec!["en".into()],
            theme_copy: false,
        }
    }
}

/// The kinds of content `klynge new` writes, each in its folder of `content/`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NewKind {
    /// `content/clusters/`
    Cluster,
    /// `content/spas/`
    Spa,
    /// `content/news/`
    News,
    /// `content/pages/`
    Page,
}

/// What `klynge new` writes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewOptions {
    /// The site folder (the one with site.toml).
    pub root: PathBuf,
    /// The kind of item, which decides its folder and front matter.
    pub kind: NewKind,
    /// The file name and URL slug (ASCII letters, digits, `-`, `_`).
    pub slug: String,
    /// Language of the file; `None` for the site's default language.
    pub lang: Option<String>,
}

/// `klynge init`: writes a small site that builds into `opts.dir`.
/// `false` when it could not; the reason is in `diags`.
pub fn init(opts: &InitOptions, diags: &Diagnostics) -> bool {
    let dir = &opts.dir;
    if dir.exists()
        && std::fs::read_dir(dir)
            .map(|mut d| d.next().is_some())
            .unwrap_or(true)
    {
        diags.push(Diagnostic::error(format!(
            "{} exists and is not empty; klynge init needs a new or empty folder",
            dir.display()
        )));
        return false;
    }
    let mut langs: Vec<String> = Vec::new();
    for l in opts
        .languages
        .iter()
        .map(|l| l.trim().to_string())
        .filter(|l| !l.is_empty())
    {
        if !langs.contains(&l) {
            langs.push(l);
        }
    }
    let Some(default) = langs.first() else {
        diags.push(Diagnostic::error("--languages needs at least one language"));
        return false;
    };
    let mut site = format!(
        "title = \"My health-tourism cluster\"\nbase_url = \"https://example.org\"\ndefault_language = \"{default}\"\ntheme = \"default\"\nfallback = [\"{default}\"]\n"
    );
    for l in &langs {
        let name = crate::theme::DEFAULT_THEME
            .get_file(format!("i18n/{l}.toml"))
            .and_then(|f| f.contents_utf8())
            .and_then(|t| toml::from_str::<toml::Table>(t).ok())
            .and_then(|t| {
                t.get("language_name")
                    .and_then(|v| v.as_str())
                    .map(str::to_string)
            })
            .unwrap_or_else(|| l.clone());
        site.push_str(&format!("\n[languages.{l}]\nname = \"{name}\"\n"));
    }
    site.push_str("\n[news]\nper_page = 10\n");
    // A new site is small: a picture for every shared link costs little.
    site.push_str("\n[social_cards]\nenabled = true\n");
    let mut files: Vec<(String, String)> = vec![
        ("site.toml".into(), site),
        (".gitignore".into(), gitignore()),
        ("content/locations.toml".into(), "[[location]]\nslug = \"parnu\"\ncountry = \"EE\"\nname = \"Pärnu\"\ncoordinates = { lat = 58.385, lon = 24.519 }\n".into()),
        ("content/treatments.toml".into(), "[[treatment]]\nslug = \"mud-baths\"\nname = \"Mud baths\"\n".into()),
        (format!("content/_index.{default}.md"), "+++\ntitle = \"Welcome\"\n+++\n\nThis site presents our cluster, its member spas and its news.\n".into()),
        (format!("content/clusters/my-cluster.{default}.md"), "+++\ntitle = \"My cluster\"\ncountry = \"EE\"\nlocations = [\"parnu\"]\n+++\n\nWhat the cluster does, in a few paragraphs.\n".into()),
        (format!("content/spas/first-spa.{default}.md"), "+++\ntitle = \"First spa\"\ncluster = \"my-cluster\"\nlocation = \"parnu\"\nkind = \"medical-spa\"\ntreatments = [\"mud-baths\"]\n+++\n\nA member spa of [the cluster](@/clusters/my-cluster.md).\n".into()),
        (format!("content/news/welcome.{default}.md"), format!("+++\ntitle = \"Our new website\"\ndate = {}\ncluster = \"my-cluster\"\n+++\n\nThe cluster has a new website.\n", today())),
    ];
    if opts.theme_copy {
        copy_theme(&crate::theme::DEFAULT_THEME, &mut files);
    }
    write_new_files(dir, &files, diags)
}

/// What a site's repository keeps out: the built site, the processed
/// photos (rebuilt from the originals), and npm packages such as the web
/// editor's, which `klynge cms` copies into static/admin/.
fn gitignore() -> String {
    let cache = crate::photos::CACHE_DIR
        .split('/')
        .next()
        .unwrap_or(crate::photos::CACHE_DIR);
    format!("# Written by `klynge init`.\n/public/\n/{cache}/\n/node_modules/\n")
}

fn copy_theme(dir: &include_dir::Dir, files: &mut Vec<(String, String)>) {
    for f in dir.files() {
        if let Some(text) = f.contents_utf8() {
            files.push((
                format!("themes/default/{}", f.path().display()),
                text.to_string(),
            ));
        }
    }
    for d in dir.dirs() {
        copy_theme(d, files);
    }
}

fn write_new_files(dir: &Path, files: &[(String, String)], diags: &Diagnostics) -> bool {
    for (rel, text) in files {
        if let Err(d) = crate::fsutil::write_file(&dir.join(rel), text.as_bytes()) {
            diags.push(d);
            return false;
        }
    }
    true
}

/// Today's date (UTC) as `YYYY-MM-DD`, from the system clock.
pub fn today() -> String {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs()) as i64;
    let days = secs.div_euclid(86_400);
    // Howard Hinnant's days-to-civil algorithm.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + if m <= 2 { 1 } else { 0 };
    format!("{y:04}-{m:02}-{d:02}")
}

/// `klynge new`: writes a content file with its front matter and returns
/// its path; `None` when it could not (the reason is in `diags`). Never
/// overwrites a file.
pub fn new_content(opts: &NewOptions, diags: &Diagnostics) -> Option<PathBuf> {
    new_content_or_why(opts, diags).ok()
}

/// Why `klynge new` wrote nothing; the message is in `diags`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NewFailure {
    /// The command line asked for something wrong (a bad slug, a
    /// language the site does not have): a usage error.
    Usage,
    /// The site could not be read, or the file not written.
    Failed,
}

/// `new_content`, saying whether a failure is the command line's.
pub fn new_content_or_why(opts: &NewOptions, diags: &Diagnostics) -> Result<PathBuf, NewFailure> {
    let root = opts.root.as_path();
    let config =
        crate::config::Config::load(root, &Default::default(), diags).ok_or(NewFailure::Failed)?;
    let lang = opts
        .lang
        .clone()
        .unwrap_or_else(|| config.default_language.to_string());
    if !config.has_language(&lang) {
        let codes: Vec<&str> = config.languages.iter().map(|l| l.code.as_str()).collect();
        diags.push(
            Diagnostic::error(format!("`{lang}` is not a language of site.toml"))
                .with_hint(format!(
                    "the site's languages are: {}; add a [languages.{lang}] table to site.toml for a new one",
                    codes.join(", ")
                )),
        );
        return Err(NewFailure::Usage);
    }
    if let Err(msg) = crate::slug::check_slug(&opts.slug) {
        diags.push(Diagnostic::error(msg).with_hint(
            "a slug is the last part of the page's address: lower-case ASCII letters, digits and `-`, e.g. `spa-hotel-laine`",
        ));
        return Err(NewFailure::Usage);
    }
    // The slug is the page's address, and addresses are lower-case
    // (docs/content.md): `Upper` would make `/en/spas/Upper/`.
    if opts.slug.chars().any(|c| c.is_ascii_uppercase()) {
        let lower = opts.slug.to_ascii_lowercase();
        let kind = match opts.kind {
            NewKind::Cluster => "cluster",
            NewKind::Spa => "spa",
            NewKind::News => "news",
            NewKind::Page => "page",
        };
        diags.push(
            Diagnostic::error(format!(
                "slug `{}` has capital letters; slugs are lower-case",
                opts.slug
            ))
            .with_hint(format!(
                "write `klynge new {kind} {lower}`; the title in the file can have capitals"
            )),
        );
        return Err(NewFailure::Usage);
    }
    // Point new items at the site's first cluster and location, so the site
    // still builds; the editor changes them.
    let content = crate::content::load(&config, &Diagnostics::new());
    let first_location = content
        .locations
        .first()
        .map(|l| l.slug.clone())
        .unwrap_or_else(|| "CHANGE-ME".into());
    let first_cluster = content
        .files
        .iter()
        .find(|f| f.kind == crate::content::Kind::Cluster)
        .map(|f| f.key.clone())
        .unwrap_or_else(|| "CHANGE-ME".into());
    let title = opts.slug.replace('-', " ");
    let folder = match opts.kind {
        NewKind::Cluster => "clusters",
        NewKind::Spa => "spas",
        NewKind::News => "news",
        NewKind::Page => "pages",
    };
    let dir = root.join("content").join(folder);
    // The same item in this language, in any of the names it may have.
    let mut taken = vec![
        format!("{}.{lang}.md", opts.slug),
        format!("{}.{lang}.toml", opts.slug),
    ];
    if lang == config.default_language.as_str() {
        taken.extend([format!("{}.md", opts.slug), format!("{}.toml", opts.slug)]);
    }
    if let Some(existing) = taken.iter().map(|n| dir.join(n)).find(|p| p.exists()) {
        diags.push(Diagnostic::error(format!(
            "{} exists already; klynge new does not overwrite",
            existing.display()
        )));
        return Err(NewFailure::Failed);
    }
    // A translation of an existing item inherits its facts (docs/translations.md): writing
    // them again with placeholder values would contradict the sibling.
    let sibling = content
        .files
        .iter()
        .find(|f| f.kind.folder() == folder && f.key == opts.slug);
    if let Some(sibling) = sibling {
        let title = toml::Value::String(sibling.front.common().title.unwrap_or(&title).to_string());
        let path = dir.join(format!("{}.{lang}.md", opts.slug));
        let text = format!(
            "+++\n# Translate the title. Facts such as cluster, location and date are\n# shared with {}.\ntitle = {title}\n+++\n\nWrite the text here.\n",
            sibling.source.shown.display()
        );
        crate::fsutil::write_file(&path, text.as_bytes()).map_err(|d| {
            diags.push(d);
            NewFailure::Failed
        })?;
        return Ok(path);
    }
    let front = match opts.kind {
        NewKind::Cluster => {
            format!("title = \"{title}\"\ncountry = \"EE\"\nlocations = [\"{first_location}\"]\n")
        }
        NewKind::Spa => format!(
            "title = \"{title}\"\ncluster = \"{first_cluster}\"\nlocation = \"{first_location}\"\nkind = \"medical-spa\"\ntreatments = []\n"
        ),
        NewKind::News => format!(
            "title = \"{title}\"\ndate = {}\ncluster = \"{first_cluster}\"\n",
            today()
        ),
        NewKind::Page => format!("title = \"{title}\"\n"),
    };
    let path = dir.join(format!("{}.{lang}.md", opts.slug));
    let text = format!("+++\n{front}+++\n\nWrite the text here.\n");
    crate::fsutil::write_file(&path, text.as_bytes()).map_err(|d| {
        diags.push(d);
        NewFailure::Failed
    })?;
    Ok(path)
}
