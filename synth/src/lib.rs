//! A deterministic synthetic site for benchmarks (`scripts/bench`): `n`
//! spas and `n` news items, about `n / 20` locations in five countries, ten
//! clusters, five languages. Every item is written in English and, at
//! random, in each of the other languages with probability 0.6. Bodies are
//! about 300 words of Markdown with headings, a list, a table and, in one
//! page of five, a fenced TOML block.
//!
//! The same facts can be written as a klynge site or as the equivalent Hugo
//! site (config, `.<lang>.md` content, a `locations` taxonomy and minimal
//! layouts that render comparable pages), so a benchmark can build both.
//! The output depends on `n` only: the random numbers come from a
//! splitmix64 generator seeded with `n`.

use std::fmt::Write as _;
use std::fs;
use std::io;
use std::path::Path;

/// Which generator the site is written for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    Klynge,
    Hugo,
    Zola,
}

impl std::str::FromStr for Target {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s {
            "klynge" => Ok(Target::Klynge),
            "hugo" => Ok(Target::Hugo),
            "zola" => Ok(Target::Zola),
            _ => Err(format!("unknown target `{s}` (klynge, hugo or zola)")),
        }
    }
}

/// What was written.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Stats {
    /// Content files (Markdown and TOML, configuration included).
    pub files: usize,
    /// Content bytes.
    pub bytes: usize,
}

/// splitmix64: tiny, fast, good enough, and the same on every platform.
struct Rng(u64);

impl Rng {
    fn new(seed: u64) -> Rng {
        Rng(seed ^ 0x6b6c_796e_6765_2121)
    }

    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// Uniform in `0..n` (`n > 0`).
    fn below(&mut self, n: usize) -> usize {
        ((self.next() >> 11) % n as u64) as usize
    }

    /// Uniform in `[0, 1)`.
    fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }

    fn chance(&mut self, p: f64) -> bool {
        self.unit() < p
    }

    fn pick<'a, T>(&mut self, xs: &'a [T]) -> &'a T {
        &xs[self.below(xs.len())]
    }

    fn range(&mut self, lo: usize, hi: usize) -> usize {
        lo + self.below(hi - lo + 1)
    }
}

struct LangInfo {
    code: &'static str,
    name: &'static str,
    title: &'static str,
    syllables: &'static [&'static str],
    /// Words for "spa", "news", "treatments", "price" etc. in headings.
    headings: &'static [&'static str],
}

const LANG_INFO: [LangInfo; 5] = [
    LangInfo {
        code: "en",
        name: "English",
        title: "Health tourism portal",
        syllables: &[
            "ba", "ker", "lo", "min", "sta", "ther", "well", "ness", "spa", "ri", "ven", "cal",
            "dor", "ing", "er", "ton", "mar", "sel", "ly", "an", "heal", "bath", "sea", "salt",
        ],
        headings: &[
            "Treatments",
            "Getting there",
            "Prices",
            "Rooms",
            "History",
            "Opening hours",
            "Our team",
        ],
    },
    LangInfo {
        code: "nb",
        name: "Norsk bokmål",
        title: "Helseturismeportal",
        syllables: &[
            "hel", "se", "bad", "kur", "fjell", "øy", "vik", "sjø", "ås", "lan", "dal", "ber",
            "gen", "tra", "ning", "hus", "ren", "sø", "kro", "å", "bræ", "strø", "mer",
        ],
        headings: &[
            "Behandlinger",
            "Slik kommer du hit",
            "Priser",
            "Rom",
            "Historie",
            "Åpningstider",
        ],
    },
    LangInfo {
        code: "et",
        name: "Eesti",
        title: "Terviseturismi portaal",
        syllables: &[
            "ter", "vis", "spaa", "ra", "vi", "mu", "da", "kül", "la", "põh", "jä", "rve", "saa",
            "re", "õ", "lik", "ne", "mä", "gi", "sü", "ta", "öö", "ük",
        ],
        headings: &[
            "Protseduurid",
            "Kuidas kohale jõuda",
            "Hinnad",
            "Toad",
            "Ajalugu",
            "Lahtiolekuajad",
        ],
    },
    LangInfo {
        code: "lv",
        name: "Latviešu",
        title: "Veselības tūrisma portāls",
        syllables: &[
            "ve", "se", "lī", "bas", "tū", "ris", "ār", "stē", "ša", "na", "kū", "rorts", "jūr",
            "ma", "la", "dzī", "ķe", "ņa", "gā", "ze", "ļa", "čī",
        ],
        headings: &[
            "Procedūras",
            "Kā nokļūt",
            "Cenas",
            "Istabas",
            "Vēsture",
            "Darba laiks",
        ],
    },
    LangInfo {
        code: "tr",
        name: "Türkçe",
        title: "Sağlık turizmi portalı",
        syllables: &[
            "sağ", "lık", "ter", "mal", "kap", "lı", "ca", "şi", "fa", "ğı", "ılı", "su", "ba",
            "ya", "çe", "şme", "gü", "zel", "ör", "nek", "İz", "öz",
        ],
        headings: &[
            "Tedaviler",
            "Ulaşım",
            "Fiyatlar",
            "Odalar",
            "Tarihçe",
            "Çalışma saatleri",
        ],
    },
];

/// Code, latitude range, longitude range.
type Country = (&'static str, (f64, f64), (f64, f64));

const COUNTRIES: [Country; 5] = [
    ("EE", (57.6, 59.6), (21.8, 28.0)),
    ("LV", (55.7, 57.9), (21.0, 28.0)),
    ("NO", (58.0, 70.5), (5.0, 30.0)),
    ("TR", (36.0, 42.0), (26.0, 44.0)),
    ("FI", (60.0, 69.5), (21.0, 31.5)),
];

const PLACE_SYLLABLES: [&[&str]; 5] = [
    &[
        "Pär", "nu", "Haap", "sa", "lu", "Võ", "ru", "Kures", "saa", "re", "Tõ", "ri", "Vär", "ska",
    ],
    &[
        "Jūr", "ma", "la", "Lī", "gat", "ne", "Sig", "ul", "da", "Cē", "sis", "Ba", "lo", "ži",
    ],
    &[
        "Bei", "to", "stø", "len", "Ber", "gen", "Sta", "van", "ger", "Tro", "ms", "ø", "Ål", "vik",
    ],
    &[
        "İz", "mir", "Bal", "ço", "va", "Çeş", "me", "Pa", "muk", "ka", "le", "Ilı", "ca", "Ağ",
    ],
    &[
        "Nan", "ta", "li", "Kyl", "py", "lä", "Ru", "ka", "Le", "vi", "Hä", "meen", "lin", "na",
    ],
];

const KINDS: [(&str, &str); 6] = [
    ("medical-spa", "Medical Spa"),
    ("wellness-spa", "Wellness Spa"),
    ("spa-hotel", "Spa Hotel"),
    ("rehabilitation", "Rehabilitation Centre"),
    ("water-park", "Water Park"),
    ("clinic", "Clinic"),
];

/// A per-language vocabulary drawn with a skewed distribution, so a few
/// words are frequent and many are rare, as in real text.
struct Vocab {
    words: Vec<String>,
}

impl Vocab {
    fn new(info: &LangInfo, seed: u64) -> Vocab {
        let mut rng = Rng::new(seed);
        let mut words = Vec::with_capacity(3000);
        for _ in 0..3000 {
            let mut w = String::new();
            for _ in 0..rng.range(1, 3) {
                w.push_str(rng.pick::<&str>(info.syllables));
            }
            words.push(w.to_lowercase());
        }
        Vocab { words }
    }

    fn word(&self, rng: &mut Rng) -> &str {
        let u = rng.unit();
        &self.words[(u * u * u * self.words.len() as f64) as usize]
    }

    fn words(&self, rng: &mut Rng, n: usize) -> String {
        let mut s = String::new();
        for i in 0..n {
            if i > 0 {
                s.push(' ');
            }
            s.push_str(self.word(rng));
        }
        s
    }

    fn sentence(&self, rng: &mut Rng) -> String {
        let n = rng.range(6, 14);
        let mut s = self.words(rng, n);
        capitalise(&mut s);
        s.push('.');
        s
    }
}

fn capitalise(s: &mut String) {
    if let Some(c) = s.chars().next() {
        let upper: String = c.to_uppercase().collect();
        s.replace_range(..c.len_utf8(), &upper);
    }
}

fn place_name(rng: &mut Rng, country: usize) -> String {
    let syl = PLACE_SYLLABLES[country];
    let mut s = String::new();
    for _ in 0..rng.range(2, 3) {
        s.push_str(&rng.pick(syl).to_lowercase());
    }
    capitalise(&mut s);
    s
}

struct Location {
    slug: String,
    country: usize,
    name: String,
    lat: f64,
    lon: f64,
}

struct Cluster {
    slug: String,
    country: usize,
    name: String,
    locations: Vec<usize>,
}

/// One item's facts and the languages it is written in.
struct Item {
    slug: String,
    langs: Vec<usize>,
    name: String,
    cluster: Option<usize>,
    locations: Vec<usize>,
    kind: usize,
    date: (u16, u8, u8),
    coordinates: bool,
    source: bool,
    code: bool,
}

/// The generated site's facts, independent of the target.
struct Model {
    n: usize,
    locations: Vec<Location>,
    clusters: Vec<Cluster>,
    spas: Vec<Item>,
    news: Vec<Item>,
    vocab: Vec<Vocab>,
}

/// A random point (to 0.001°) inside `country`'s outline on klynge's
/// basemap, so that the site builds without "outside its country"
/// warnings: a point of its box is drawn until one lands on its land.
fn point_in(rng: &mut Rng, country: usize) -> (f64, f64) {
    let (code, (lat0, lat1), (lon0, lon1)) = COUNTRIES[country];
    loop {
        let lat = ((lat0 + rng.unit() * (lat1 - lat0)) * 1000.0).round() / 1000.0;
        let lon = ((lon0 + rng.unit() * (lon1 - lon0)) * 1000.0).round() / 1000.0;
        // Inside by a margin, so a spa a kilometre off its town still is.
        let inland = [(0.0, 0.0), (0.02, 0.02), (-0.02, -0.02)]
            .iter()
            .all(|(dl, dn)| klynge::basemap::outside(code, lat + dl, lon + dn).is_none());
        if inland {
            return (lat, lon);
        }
    }
}

impl Model {
    fn new(n: usize) -> Model {
        let mut rng = Rng::new(n as u64);
        let vocab = LANG_INFO
            .iter()
            .enumerate()
            .map(|(i, l)| Vocab::new(l, 1000 + i as u64))
            .collect();
        let nloc = (n / 20).max(5);
        let mut locations = Vec::with_capacity(nloc);
        for i in 0..nloc {
            let country = i % 5;
            let name = place_name(&mut rng, country);
            let slug = format!("{}-{i}", klynge::slug::slugify(&name));
            let (lat, lon) = point_in(&mut rng, country);
            locations.push(Location {
                slug,
                country,
                name,
                lat,
                lon,
            });
        }
        let mut clusters = Vec::new();
        for i in 0..10 {
            let country = i % 5;
            let own: Vec<usize> = (0..nloc)
                .filter(|l| locations[*l].country == country)
                .collect();
            let mut locs: Vec<usize> = (0..3.min(own.len())).map(|_| *rng.pick(&own)).collect();
            locs.sort_unstable();
            locs.dedup();
            let name = format!("{} Health Tourism Cluster", place_name(&mut rng, country));
            clusters.push(Cluster {
                slug: format!("cluster-{i}"),
                country,
                name,
                locations: locs,
            });
        }
        let by_country: Vec<Vec<usize>> = (0..5)
            .map(|c| (0..nloc).filter(|l| locations[*l].country == c).collect())
            .collect();
        let item = |rng: &mut Rng, slug: String, news: bool| {
            let mut langs = vec![0];
            for l in 1..5 {
                if rng.chance(0.6) {
                    langs.push(l);
                }
            }
            let cluster = rng.below(10);
            let country = clusters[cluster].country;
            let mut locs = vec![*rng.pick(&by_country[country])];
            if news && rng.chance(0.3) {
                locs.push(rng.below(nloc));
                locs.sort_unstable();
                locs.dedup();
            }
            let name = if news {
                let mut s = vocab_title(rng);
                capitalise(&mut s);
                s
            } else {
                place_name(rng, country)
            };
            Item {
                slug,
                langs,
                name,
                cluster: (!news || rng.chance(0.7)).then_some(cluster),
                locations: locs,
                kind: rng.below(KINDS.len()),
                date: (
                    2010 + rng.below(16) as u16,
                    1 + rng.below(12) as u8,
                    1 + rng.below(28) as u8,
                ),
                coordinates: rng.chance(0.5),
                source: rng.chance(0.5),
                code: rng.below(5) == 0,
            }
        };
        let spas = (0..n)
            .map(|i| item(&mut rng, format!("spa-{i:05}"), false))
            .collect();
        let news = (0..n)
            .map(|i| item(&mut rng, format!("news-{i:05}"), true))
            .collect();
        Model {
            n,
            locations,
            clusters,
            spas,
            news,
            vocab,
        }
    }
}

/// A short English-ish headline from fixed words, so titles are readable.
fn vocab_title(rng: &mut Rng) -> String {
    const W: [&str; 24] = [
        "cluster",
        "opens",
        "new",
        "spa",
        "wing",
        "signs",
        "agreement",
        "with",
        "clinic",
        "partners",
        "mud",
        "therapy",
        "season",
        "starts",
        "early",
        "record",
        "year",
        "for",
        "guests",
        "from",
        "abroad",
        "seminar",
        "on",
        "rehabilitation",
    ];
    let n = rng.range(4, 8);
    (0..n).map(|_| *rng.pick(&W)).collect::<Vec<_>>().join(" ")
}

/// A ~300-word Markdown body. `link` is the Markdown target of the item's
/// cluster (different syntax per target), with its name.
fn body(
    model: &Model,
    rng: &mut Rng,
    lang: usize,
    code: bool,
    link: Option<(&str, &str)>,
) -> String {
    let v = &model.vocab[lang];
    let info = &LANG_INFO[lang];
    let mut s = String::with_capacity(2600);
    let para = |rng: &mut Rng, s: &mut String, sentences: usize| {
        for i in 0..sentences {
            if i > 0 {
                s.push(if i % 3 == 0 { '\n' } else { ' ' });
            }
            s.push_str(&v.sentence(rng));
        }
        s.push_str("\n\n");
    };
    para(rng, &mut s, 5);
    if let Some((name, target)) = link {
        let _ = writeln!(
            s,
            "{} [{name}]({target}).\n",
            v.sentence(rng).trim_end_matches('.')
        );
    }
    let _ = writeln!(s, "## {}\n", rng.pick(info.headings));
    para(rng, &mut s, 3);
    for _ in 0..rng.range(3, 5) {
        let k = rng.range(3, 7);
        let _ = writeln!(s, "- {}", v.words(rng, k));
    }
    s.push('\n');
    let _ = writeln!(s, "## {}\n", rng.pick(info.headings));
    let _ = writeln!(
        s,
        "| {} | {} | {} |\n|---|---|---:|",
        v.word(rng),
        v.word(rng),
        v.word(rng)
    );
    for _ in 0..4 {
        let _ = writeln!(
            s,
            "| {} | {} min | {} € |",
            v.words(rng, 2),
            15 * rng.range(1, 6),
            10 * rng.range(2, 30)
        );
    }
    s.push('\n');
    para(rng, &mut s, 3);
    if code {
        let _ = writeln!(s, "## {}\n", rng.pick(info.headings));
        let _ = writeln!(
            s,
            "```toml\n[booking]\nname = \"{}\"\nrooms = {}\nopen = true\nseasons = [\"spring\", \"summer\"]\n```\n",
            v.words(rng, 2),
            rng.range(10, 300)
        );
    }
    para(rng, &mut s, 5);
    s
}

fn toml_str(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            _ => out.push(c),
        }
    }
    out.push('"');
    out
}

fn toml_list<'a>(xs: impl IntoIterator<Item = &'a str>) -> String {
    let v: Vec<String> = xs.into_iter().map(toml_str).collect();
    format!("[{}]", v.join(", "))
}

struct Writer<'a> {
    root: &'a Path,
    stats: Stats,
}

impl Writer<'_> {
    fn write(&mut self, rel: &str, text: &str) -> io::Result<()> {
        let path = self.root.join(rel);
        if let Some(p) = path.parent() {
            fs::create_dir_all(p)?;
        }
        fs::write(&path, text)?;
        self.stats.files += 1;
        self.stats.bytes += text.len();
        Ok(())
    }
}

/// Writes the synthetic site for `n` into `out` (created if missing; files
/// already there are overwritten, others left alone).
pub fn generate(n: usize, target: Target, out: &Path) -> io::Result<Stats> {
    let model = Model::new(n);
    fs::create_dir_all(out)?;
    let mut w = Writer {
        root: out,
        stats: Stats::default(),
    };
    match target {
        Target::Klynge => write_klynge(&model, &mut w)?,
        Target::Hugo => write_hugo(&model, &mut w)?,
        Target::Zola => write_zola(&model, &mut w)?,
    }
    Ok(w.stats)
}

/// How many treatments the synthetic taxonomy has.
const SYNTH_TREATMENTS: usize = 24;

fn treatments(model: &Model, rng: &mut Rng, lang: usize) -> Vec<String> {
    (0..rng.range(2, 5))
        .map(|_| model.vocab[lang].words(rng, 2))
        .collect()
}

fn localised_title(base: &str, lang: usize) -> String {
    if lang == 0 {
        base.to_string()
    } else {
        format!("{base} ({})", LANG_INFO[lang].code)
    }
}

fn description(model: &Model, rng: &mut Rng, lang: usize) -> String {
    model.vocab[lang].sentence(rng)
}

// ---------------------------------------------------------------- klynge

fn write_klynge(m: &Model, w: &mut Writer) -> io::Result<()> {
    let mut site = String::from(
        "title = \"Health tourism portal\"\ndescription = \"A synthetic health-tourism site for benchmarks.\"\nbase_url = \"https://example.org\"\ndefault_language = \"en\"\ntheme = \"default\"\nfallback = [\"en\"]\n",
    );
    for l in &LANG_INFO {
        let _ = write!(
            site,
            "\n[languages.{}]\nname = {}\n",
            l.code,
            toml_str(l.name)
        );
        if l.code != "en" {
            let _ = writeln!(site, "title = {}", toml_str(l.title));
        }
    }
    site.push_str("\n[news]\nper_page = 10\n");
    w.write("site.toml", &site)?;

    let mut locs = String::from("# Synthetic locations.\n");
    for l in &m.locations {
        let _ = write!(
            locs,
            "\n[[location]]\nslug = \"{}\"\ncountry = \"{}\"\nname = {}\nnames = {{ nb = {}, tr = {} }}\ncoordinates = {{ lat = {:.3}, lon = {:.3} }}\nregion = \"Region {}\"\n",
            l.slug,
            COUNTRIES[l.country].0,
            toml_str(&l.name),
            toml_str(&l.name),
            toml_str(&l.name),
            l.lat,
            l.lon,
            l.country + 1,
        );
    }
    w.write("content/locations.toml", &locs)?;

    // The treatment taxonomy: names in every language, from its vocabulary.
    let mut trng = Rng::new(m.n as u64 ^ 0x7ea7);
    let mut tr = String::new();
    for t in 0..SYNTH_TREATMENTS {
        let _ = writeln!(tr, "[[treatment]]\nslug = \"t{t}\"");
        let _ = writeln!(tr, "name = {}", toml_str(&m.vocab[0].words(&mut trng, 2)));
        let names: Vec<String> = (1..LANG_INFO.len())
            .map(|li| {
                format!(
                    "{} = {}",
                    LANG_INFO[li].code,
                    toml_str(&m.vocab[li].words(&mut trng, 2))
                )
            })
            .collect();
        let _ = writeln!(tr, "names = {{ {} }}\n", names.join(", "));
    }
    w.write("content/treatments.toml", &tr)?;

    let mut rng = Rng::new(m.n as u64 ^ 0xabcd);
    for (li, l) in LANG_INFO.iter().enumerate() {
        let text = format!(
            "+++\ntitle = {}\n+++\n\n{}\n",
            toml_str(l.title),
            body(
                m,
                &mut rng,
                li,
                false,
                Some(("Cluster 0", "@/clusters/cluster-0.md"))
            )
        );
        w.write(&format!("content/_index.{}.md", l.code), &text)?;
    }

    for (ci, c) in m.clusters.iter().enumerate() {
        for (li, info) in LANG_INFO.iter().enumerate() {
            let mut f = String::from("+++\n");
            let _ = writeln!(f, "title = {}", toml_str(&localised_title(&c.name, li)));
            let _ = writeln!(
                f,
                "description = {}",
                toml_str(&description(m, &mut rng, li))
            );
            let partners: Vec<String> = (0..3).map(|_| m.vocab[li].words(&mut rng, 2)).collect();
            let _ = writeln!(
                f,
                "partners = {}",
                toml_list(partners.iter().map(String::as_str))
            );
            if li == 0 {
                let cc = COUNTRIES[c.country].0;
                let _ = writeln!(f, "country = \"{cc}\"");
                let _ = writeln!(f, "legal_name = {}", toml_str(&format!("{} MTÜ", c.name)));
                let _ = writeln!(f, "org_number = \"{}\"", 80_000_000 + ci * 7919);
                let _ = writeln!(f, "founded = {}", 2000 + ci);
                let _ = writeln!(f, "website = \"https://{}.example.org\"", c.slug);
                let _ = writeln!(
                    f,
                    "locations = {}",
                    toml_list(c.locations.iter().map(|l| m.locations[*l].slug.as_str()))
                );
                let _ = writeln!(
                    f,
                    "address = {{ street = \"Main street {ci}\", postal_code = \"{}\", city = {}, country = \"{cc}\" }}",
                    10000 + ci,
                    toml_str(&m.locations[c.locations[0]].name)
                );
                let _ = writeln!(
                    f,
                    "contact = {{ name = \"Contact Person {ci}\", role = \"Manager\", phone = \"+372 555 {ci:04}\", email = \"info@{}.example.org\" }}",
                    c.slug
                );
            }
            let _ = write!(f, "+++\n\n{}", body(m, &mut rng, li, ci % 5 == 0, None));
            w.write(&format!("content/clusters/{}.{}.md", c.slug, info.code), &f)?;
        }
    }

    for (i, it) in m.spas.iter().enumerate() {
        let cluster = &m.clusters[it.cluster.expect("a spa has a cluster")];
        let (kind, kind_name) = KINDS[it.kind];
        let title = format!("{} {kind_name}", it.name);
        for &li in &it.langs {
            let mut f = String::from("+++\n");
            let _ = writeln!(f, "title = {}", toml_str(&localised_title(&title, li)));
            let _ = writeln!(
                f,
                "description = {}",
                toml_str(&description(m, &mut rng, li))
            );
            if li == 0 {
                let picked: Vec<String> = (0..rng.range(2, 5))
                    .map(|_| format!("t{}", rng.range(0, SYNTH_TREATMENTS - 1)))
                    .collect::<std::collections::BTreeSet<_>>()
                    .into_iter()
                    .collect();
                let _ = writeln!(
                    f,
                    "treatments = {}",
                    toml_list(picked.iter().map(String::as_str))
                );
                let loc = &m.locations[it.locations[0]];
                let _ = writeln!(f, "cluster = \"{}\"", cluster.slug);
                let _ = writeln!(f, "location = \"{}\"", loc.slug);
                let _ = writeln!(f, "kind = \"{kind}\"");
                let _ = writeln!(f, "website = \"https://{}.example.org\"", it.slug);
                let _ = writeln!(f, "phone = \"+47 {:08}\"", 20_000_000 + i);
                let _ = writeln!(f, "email = \"post@{}.example.org\"", it.slug);
                if it.coordinates {
                    let _ = writeln!(
                        f,
                        "coordinates = {{ lat = {:.3}, lon = {:.3} }}",
                        loc.lat + 0.01,
                        loc.lon - 0.01
                    );
                }
            }
            let target = format!("@/clusters/{}.md", cluster.slug);
            let text = body(m, &mut rng, li, it.code, Some((&cluster.name, &target)));
            let _ = write!(f, "+++\n\n{text}");
            w.write(
                &format!("content/spas/{}.{}.md", it.slug, LANG_INFO[li].code),
                &f,
            )?;
        }
    }

    for it in &m.news {
        for &li in &it.langs {
            let mut f = String::from("+++\n");
            let _ = writeln!(f, "title = {}", toml_str(&localised_title(&it.name, li)));
            let _ = writeln!(
                f,
                "description = {}",
                toml_str(&description(m, &mut rng, li))
            );
            if li == 0 {
                news_facts(&mut f, m, it);
                if it.source {
                    let _ = writeln!(
                        f,
                        "source = {{ name = \"Health News\", url = \"https://news.example.org/{}\" }}",
                        it.slug
                    );
                }
            }
            let link = it.cluster.map(|c| {
                (
                    m.clusters[c].name.as_str(),
                    format!("@/clusters/{}.md", m.clusters[c].slug),
                )
            });
            let text = body(
                m,
                &mut rng,
                li,
                it.code,
                link.as_ref().map(|(n, t)| (*n, t.as_str())),
            );
            let _ = write!(f, "+++\n\n{text}");
            w.write(
                &format!("content/news/{}.{}.md", it.slug, LANG_INFO[li].code),
                &f,
            )?;
        }
    }
    Ok(())
}

// ------------------------------------------------------------------ Hugo

const HUGO_BASEOF: &str = r##"<!DOCTYPE html>
<html lang="{{ .Site.Language.Lang }}">
<head>
<meta charset="utf-8">
<title>{{ if not .IsHome }}{{ .Title }} – {{ end }}{{ .Site.Title }}</title>
<meta name="description" content="{{ with .Description }}{{ . }}{{ else }}{{ .Site.Title }}{{ end }}">
<link rel="canonical" href="{{ .Permalink }}">
{{ range .AllTranslations }}<link rel="alternate" hreflang="{{ .Language.Lang }}" href="{{ .Permalink }}">
{{ end }}<meta property="og:title" content="{{ .Title }}">
<meta property="og:locale" content="{{ .Site.Language.Lang }}">
<link rel="stylesheet" href="/style.css">
</head>
<body>
<a href="#main">Skip</a>
<header><nav><a href="{{ .Site.Home.RelPermalink }}">{{ .Site.Title }}</a>
{{ range .Site.Sections }}<a href="{{ .RelPermalink }}">{{ .Title }}</a> {{ end }}
<a href="{{ "locations/" | relLangURL }}">Locations</a></nav>
{{ with .Translations }}<ul class="switcher">{{ range . }}<li><a href="{{ .RelPermalink }}" hreflang="{{ .Language.Lang }}">{{ .Language.LanguageName }}</a></li>{{ end }}</ul>{{ end }}
</header>
<main id="main">
{{ block "main" . }}{{ end }}
</main>
<footer>{{ .Site.Title }}</footer>
</body>
</html>
"##;

const HUGO_SINGLE: &str = r##"{{ define "main" }}
<article>
<h1>{{ .Title }}</h1>
{{ if eq .Section "news" }}<time datetime="{{ .Date.Format "2006-01-02" }}">{{ .Date.Format "2 January 2006" }}</time>{{ end }}
{{ with .Params.spa_kind }}<p>{{ . }}</p>{{ end }}
{{ with .Params.cluster }}{{ with site.GetPage (printf "/clusters/%s" .) }}<p><a href="{{ .RelPermalink }}">{{ .Title }}</a></p>{{ end }}{{ end }}
{{ with .GetTerms "locations" }}<ul>{{ range . }}<li><a href="{{ .RelPermalink }}">{{ .LinkTitle }}</a></li>{{ end }}</ul>{{ end }}
{{ with .Params.treatments }}<ul>{{ range . }}<li>{{ . }}</li>{{ end }}</ul>{{ end }}
{{ .Content }}
{{ if eq .Section "clusters" }}
{{ $slug := .File.ContentBaseName }}
<h2>Members</h2><ul>{{ range where (where site.RegularPages "Section" "spas") "Params.cluster" $slug }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>{{ end }}</ul>
<h2>News</h2><ul>{{ range where (where site.RegularPages "Section" "news") "Params.cluster" $slug }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>{{ end }}</ul>
{{ end }}
</article>
{{ end }}
"##;

const HUGO_LIST: &str = r##"{{ define "main" }}
<h1>{{ .Title }}</h1>
{{ .Content }}
{{ if eq .Section "news" }}
{{ $p := .Paginate .Pages.ByDate.Reverse }}
<ul>{{ range $p.Pages }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a> <time>{{ .Date.Format "2006-01-02" }}</time> {{ .Summary | plainify | truncate 200 }}</li>{{ end }}</ul>
{{ template "_internal/pagination.html" . }}
{{ else }}
<ul>{{ range .Pages }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a> {{ .Summary | plainify | truncate 200 }}</li>{{ end }}</ul>
{{ end }}
{{ end }}
"##;

const HUGO_TAXONOMY: &str = r##"{{ define "main" }}
<h1>{{ .Title }}</h1>
<ul>{{ range .Data.Terms.Alphabetical }}<li><a href="{{ .Page.RelPermalink }}">{{ .Page.LinkTitle }}</a> ({{ .Count }})</li>{{ end }}</ul>
{{ end }}
"##;

const HUGO_TERM: &str = r##"{{ define "main" }}
<h1>{{ .Title }}</h1>
{{ with .Params.country }}<p>{{ . }}</p>{{ end }}
<ul>{{ range .Pages }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a> {{ .Summary | plainify | truncate 200 }}</li>{{ end }}</ul>
{{ end }}
"##;

const HUGO_HOME: &str = r##"{{ define "main" }}
<h1>{{ .Title }}</h1>
{{ .Content }}
<h2>Clusters</h2><ul>{{ range where site.RegularPages "Section" "clusters" }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>{{ end }}</ul>
<h2>News</h2><ul>{{ range first 5 (where site.RegularPages "Section" "news").ByDate.Reverse }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>{{ end }}</ul>
<h2>Locations</h2><ul>{{ range site.Taxonomies.locations }}<li><a href="{{ .Page.RelPermalink }}">{{ .Page.LinkTitle }}</a></li>{{ end }}</ul>
{{ end }}
"##;

/// A news item's date, cluster and locations as front-matter lines: the
/// same for klynge and Hugo.
fn news_facts(f: &mut String, m: &Model, it: &Item) {
    let (y, mo, d) = it.date;
    let _ = writeln!(f, "date = {y:04}-{mo:02}-{d:02}");
    if let Some(c) = it.cluster {
        let _ = writeln!(f, "cluster = \"{}\"", m.clusters[c].slug);
    }
    let _ = writeln!(
        f,
        "locations = {}",
        toml_list(it.locations.iter().map(|l| m.locations[*l].slug.as_str()))
    );
}

fn write_hugo(m: &Model, w: &mut Writer) -> io::Result<()> {
    let mut cfg = String::from(
        "baseURL = \"https://example.org/\"\ntitle = \"Health tourism portal\"\ndefaultContentLanguage = \"en\"\ndefaultContentLanguageInSubdir = true\npaginate = 10\nenableRobotsTXT = false\ndisableKinds = []\n\n[taxonomies]\nlocation = \"locations\"\n\n[outputs]\nhome = [\"HTML\", \"RSS\"]\nsection = [\"HTML\"]\ntaxonomy = [\"HTML\"]\nterm = [\"HTML\"]\n\n[markup.highlight]\nnoClasses = false\n\n[markup.goldmark.renderer]\nunsafe = false\n",
    );
    for (i, l) in LANG_INFO.iter().enumerate() {
        let _ = write!(
            cfg,
            "\n[languages.{}]\nlanguageName = {}\nweight = {}\ntitle = {}\n",
            l.code,
            toml_str(l.name),
            i + 1,
            toml_str(if i == 0 {
                "Health tourism portal"
            } else {
                l.title
            })
        );
    }
    w.write("hugo.toml", &cfg)?;
    for (name, text) in [
        ("layouts/_default/baseof.html", HUGO_BASEOF),
        ("layouts/_default/single.html", HUGO_SINGLE),
        ("layouts/_default/list.html", HUGO_LIST),
        ("layouts/_default/taxonomy.html", HUGO_TAXONOMY),
        ("layouts/_default/term.html", HUGO_TERM),
        ("layouts/index.html", HUGO_HOME),
    ] {
        w.write(name, text)?;
    }

    let mut rng = Rng::new(m.n as u64 ^ 0xabcd);
    for (li, l) in LANG_INFO.iter().enumerate() {
        let text = format!(
            "+++\ntitle = {}\n+++\n\n{}\n",
            toml_str(l.title),
            body(
                m,
                &mut rng,
                li,
                false,
                Some(("Cluster 0", "{{< relref \"/clusters/cluster-0\" >}}"))
            )
        );
        w.write(&format!("content/_index.{}.md", l.code), &text)?;
        for (section, title) in [("clusters", "Clusters"), ("spas", "Spas"), ("news", "News")] {
            w.write(
                &format!("content/{section}/_index.{}.md", l.code),
                &format!("+++\ntitle = \"{title}\"\n+++\n"),
            )?;
        }
    }
    for l in &m.locations {
        for info in &LANG_INFO {
            let text = format!(
                "+++\ntitle = {}\ncountry = \"{}\"\nregion = \"Region {}\"\nlat = {:.3}\nlon = {:.3}\n+++\n",
                toml_str(&l.name),
                COUNTRIES[l.country].0,
                l.country + 1,
                l.lat,
                l.lon
            );
            w.write(
                &format!("content/locations/{}/_index.{}.md", l.slug, info.code),
                &text,
            )?;
        }
    }

    for (ci, c) in m.clusters.iter().enumerate() {
        for (li, info) in LANG_INFO.iter().enumerate() {
            let mut f = String::from("+++\n");
            let _ = writeln!(f, "title = {}", toml_str(&localised_title(&c.name, li)));
            let _ = writeln!(
                f,
                "description = {}",
                toml_str(&description(m, &mut rng, li))
            );
            let partners: Vec<String> = (0..3).map(|_| m.vocab[li].words(&mut rng, 2)).collect();
            let _ = writeln!(
                f,
                "partners = {}",
                toml_list(partners.iter().map(String::as_str))
            );
            let _ = writeln!(f, "country = \"{}\"", COUNTRIES[c.country].0);
            let _ = writeln!(f, "website = \"https://{}.example.org\"", c.slug);
            let _ = writeln!(
                f,
                "locations = {}",
                toml_list(c.locations.iter().map(|l| m.locations[*l].slug.as_str()))
            );
            let _ = write!(f, "+++\n\n{}", body(m, &mut rng, li, ci % 5 == 0, None));
            w.write(&format!("content/clusters/{}.{}.md", c.slug, info.code), &f)?;
        }
    }

    for (i, it) in m.spas.iter().enumerate() {
        let cluster = &m.clusters[it.cluster.expect("a spa has a cluster")];
        let (kind, kind_name) = KINDS[it.kind];
        let title = format!("{} {kind_name}", it.name);
        let loc = &m.locations[it.locations[0]];
        for &li in &it.langs {
            let mut f = String::from("+++\n");
            let _ = writeln!(f, "title = {}", toml_str(&localised_title(&title, li)));
            let _ = writeln!(
                f,
                "description = {}",
                toml_str(&description(m, &mut rng, li))
            );
            let _ = writeln!(
                f,
                "treatments = {}",
                toml_list(treatments(m, &mut rng, li).iter().map(String::as_str))
            );
            let _ = writeln!(f, "cluster = \"{}\"", cluster.slug);
            let _ = writeln!(f, "locations = [\"{}\"]", loc.slug);
            let _ = writeln!(f, "spa_kind = \"{kind}\"");
            let _ = writeln!(f, "website = \"https://{}.example.org\"", it.slug);
            let _ = writeln!(f, "phone = \"+47 {:08}\"", 20_000_000 + i);
            let _ = writeln!(f, "email = \"post@{}.example.org\"", it.slug);
            if it.coordinates {
                let _ = writeln!(
                    f,
                    "lat = {:.3}\nlon = {:.3}",
                    loc.lat + 0.01,
                    loc.lon - 0.01
                );
            }
            let target = format!("{{{{< relref \"/clusters/{}\" >}}}}", cluster.slug);
            let text = body(m, &mut rng, li, it.code, Some((&cluster.name, &target)));
            let _ = write!(f, "+++\n\n{text}");
            w.write(
                &format!("content/spas/{}.{}.md", it.slug, LANG_INFO[li].code),
                &f,
            )?;
        }
    }

    for it in &m.news {
        for &li in &it.langs {
            let mut f = String::from("+++\n");
            let _ = writeln!(f, "title = {}", toml_str(&localised_title(&it.name, li)));
            let _ = writeln!(
                f,
                "description = {}",
                toml_str(&description(m, &mut rng, li))
            );
            news_facts(&mut f, m, it);
            if it.source {
                let _ = writeln!(
                    f,
                    "source_name = \"Health News\"\nsource_url = \"https://news.example.org/{}\"",
                    it.slug
                );
            }
            let link = it.cluster.map(|c| {
                (
                    m.clusters[c].name.as_str(),
                    format!("{{{{< relref \"/clusters/{}\" >}}}}", m.clusters[c].slug),
                )
            });
            let text = body(
                m,
                &mut rng,
                li,
                it.code,
                link.as_ref().map(|(n, t)| (*n, t.as_str())),
            );
            let _ = write!(f, "+++\n\n{text}");
            w.write(
                &format!("content/news/{}.{}.md", it.slug, LANG_INFO[li].code),
                &f,
            )?;
        }
    }
    Ok(())
}

// ------------------------------------------------------------------ Zola

// The same pages as the Hugo templates, in Zola's Tera: a base, the home,
// sections (news paginated by date), pages (cluster members and news
// found by scanning the section, as Hugo's `where` does) and the
// locations taxonomy.
const ZOLA_BASE: &str = r##"<!DOCTYPE html>
<html lang="{{ lang }}">
<head>
<meta charset="utf-8">
{% block head %}<title>{{ config.title }}</title>{% endblock head %}
<link rel="stylesheet" href="/style.css">
</head>
<body>
<a href="#main">Skip</a>
<header><nav><a href="{{ get_url(path="/", lang=lang) }}">{{ config.title }}</a>
{% for s in ["clusters", "spas", "news"] %}<a href="{{ get_url(path="@/" ~ s ~ "/_index.md", lang=lang) }}">{{ s }}</a> {% endfor %}
<a href="{{ get_url(path="locations", lang=lang) }}">Locations</a></nav>
</header>
<main id="main">
{% block main %}{% endblock main %}
</main>
<footer>{{ config.title }}</footer>
</body>
</html>
"##;

const ZOLA_PAGE: &str = r##"{% extends "base.html" %}
{% block head %}<title>{{ page.title }} – {{ config.title }}</title>
<meta name="description" content="{{ page.description | default(value=config.title) }}">
<link rel="canonical" href="{{ page.permalink | safe }}">
{% for t in page.translations %}<link rel="alternate" hreflang="{{ t.lang }}" href="{{ t.permalink | safe }}">
{% endfor %}<meta property="og:title" content="{{ page.title }}">
<meta property="og:locale" content="{{ lang }}">{% endblock head %}
{% block main %}
<article>
<h1>{{ page.title }}</h1>
{% if page.date %}<time datetime="{{ page.date | date(format="%Y-%m-%d") }}">{{ page.date | date(format="%-d %B %Y") }}</time>{% endif %}
{% if page.extra.spa_kind %}<p>{{ page.extra.spa_kind }}</p>{% endif %}
{% if page.extra.cluster %}{% set c = get_page(path="clusters/" ~ page.extra.cluster ~ ".md") %}<p><a href="{{ c.permalink | safe }}">{{ c.title }}</a></p>{% endif %}
{% if page.taxonomies.locations %}<ul>{% for l in page.taxonomies.locations %}<li><a href="{{ get_taxonomy_url(kind="locations", name=l, lang=lang) | safe }}">{{ l }}</a></li>{% endfor %}</ul>{% endif %}
{% if page.extra.treatments %}<ul>{% for t in page.extra.treatments %}<li>{{ t }}</li>{% endfor %}</ul>{% endif %}
{{ page.content | safe }}
{% if page.components[0] == "clusters" or page.components[1] == "clusters" %}
{% set slug = page.slug %}
<h2>Members</h2><ul>{% set s = get_section(path="spas/_index.md", lang=lang, metadata_only=true) %}{% for p in s.pages %}{% if p.extra.cluster is defined and p.extra.cluster == slug %}<li><a href="{{ p.permalink | safe }}">{{ p.title }}</a></li>{% endif %}{% endfor %}</ul>
<h2>News</h2><ul>{% set s = get_section(path="news/_index.md", lang=lang, metadata_only=true) %}{% for p in s.pages %}{% if p.extra.cluster is defined and p.extra.cluster == slug %}<li><a href="{{ p.permalink | safe }}">{{ p.title }}</a></li>{% endif %}{% endfor %}</ul>
{% endif %}
</article>
{% endblock main %}
"##;

const ZOLA_SECTION: &str = r##"{% extends "base.html" %}
{% block main %}
<h1>{{ section.title }}</h1>
{{ section.content | safe }}
{% if paginator %}
<ul>{% for p in paginator.pages %}<li><a href="{{ p.permalink | safe }}">{{ p.title }}</a> <time>{{ p.date | date(format="%Y-%m-%d") }}</time> {{ p.summary | default(value="") | striptags | truncate(length=200) }}</li>{% endfor %}</ul>
{% if paginator.previous %}<a href="{{ paginator.previous | safe }}">previous</a>{% endif %} {% if paginator.next %}<a href="{{ paginator.next | safe }}">next</a>{% endif %}
{% else %}
<ul>{% for p in section.pages %}<li><a href="{{ p.permalink | safe }}">{{ p.title }}</a> {{ p.summary | default(value="") | striptags | truncate(length=200) }}</li>{% endfor %}</ul>
{% endif %}
{% endblock main %}
"##;

const ZOLA_INDEX: &str = r##"{% extends "base.html" %}
{% block main %}
<h1>{{ section.title }}</h1>
{{ section.content | safe }}
<h2>Clusters</h2><ul>{% set s = get_section(path="clusters/_index.md", lang=lang, metadata_only=true) %}{% for p in s.pages %}<li><a href="{{ p.permalink | safe }}">{{ p.title }}</a></li>{% endfor %}</ul>
<h2>News</h2><ul>{% set s = get_section(path="news/_index.md", lang=lang, metadata_only=true) %}{% for p in s.pages | slice(end=5) %}<li><a href="{{ p.permalink | safe }}">{{ p.title }}</a></li>{% endfor %}</ul>
<h2>Locations</h2><ul>{% set tx = get_taxonomy(kind="locations", lang=lang) %}{% for t in tx.items %}<li><a href="{{ t.permalink | safe }}">{{ t.name }}</a></li>{% endfor %}</ul>
{% endblock main %}
"##;

const ZOLA_TAXONOMY_LIST: &str = r##"{% extends "base.html" %}
{% block main %}
<h1>Locations</h1>
<ul>{% for t in terms %}<li><a href="{{ t.permalink | safe }}">{{ t.name }}</a> ({{ t.pages | length }})</li>{% endfor %}</ul>
{% endblock main %}
"##;

const ZOLA_TAXONOMY_SINGLE: &str = r##"{% extends "base.html" %}
{% block main %}
<h1>{{ term.name }}</h1>
<ul>{% for p in term.pages %}<li><a href="{{ p.permalink | safe }}">{{ p.title }}</a> {{ p.summary | default(value="") | striptags | truncate(length=200) }}</li>{% endfor %}</ul>
{% endblock main %}
"##;

/// `name.md` in the default language, `name.<lang>.md` in the others: Zola's
/// file names.
fn zola_file(dir: &str, name: &str, li: usize) -> String {
    match li {
        0 => format!("content/{dir}/{name}.md"),
        _ => format!("content/{dir}/{name}.{}.md", LANG_INFO[li].code),
    }
    .replace("content//", "content/")
}

fn write_zola(m: &Model, w: &mut Writer) -> io::Result<()> {
    let taxonomies = "taxonomies = [{ name = \"locations\" }]\n";
    let mut cfg = format!(
        "base_url = \"https://example.org\"\ntitle = \"Health tourism portal\"\ndefault_language = \"en\"\ngenerate_feeds = true\n{taxonomies}\n[markdown.highlighting]\ntheme = \"github-light\"\nstyle = \"class\"\n"
    );
    for l in &LANG_INFO[1..] {
        let _ = write!(
            cfg,
            "\n[languages.{}]\ntitle = {}\ngenerate_feeds = true\n{taxonomies}",
            l.code,
            toml_str(l.title)
        );
    }
    w.write("config.toml", &cfg)?;
    for (name, text) in [
        ("templates/base.html", ZOLA_BASE),
        ("templates/index.html", ZOLA_INDEX),
        ("templates/section.html", ZOLA_SECTION),
        ("templates/page.html", ZOLA_PAGE),
        ("templates/locations/list.html", ZOLA_TAXONOMY_LIST),
        ("templates/locations/single.html", ZOLA_TAXONOMY_SINGLE),
    ] {
        w.write(name, text)?;
    }

    let mut rng = Rng::new(m.n as u64 ^ 0xabcd);
    for (li, l) in LANG_INFO.iter().enumerate() {
        let text = format!(
            "+++\ntitle = {}\n+++\n\n{}\n",
            toml_str(l.title),
            body(
                m,
                &mut rng,
                li,
                false,
                Some(("Cluster 0", "@/clusters/cluster-0.md"))
            )
        );
        w.write(&zola_file("", "_index", li), &text)?;
        for (section, title, extra) in [
            ("clusters", "Clusters", ""),
            ("spas", "Spas", ""),
            ("news", "News", "sort_by = \"date\"\npaginate_by = 10\n"),
        ] {
            w.write(
                &zola_file(section, "_index", li),
                &format!("+++\ntitle = \"{title}\"\n{extra}+++\n"),
            )?;
        }
    }

    for (ci, c) in m.clusters.iter().enumerate() {
        for li in 0..LANG_INFO.len() {
            let mut f = String::from("+++\n");
            let _ = writeln!(f, "title = {}", toml_str(&localised_title(&c.name, li)));
            let _ = writeln!(
                f,
                "description = {}",
                toml_str(&description(m, &mut rng, li))
            );
            let partners: Vec<String> = (0..3).map(|_| m.vocab[li].words(&mut rng, 2)).collect();
            let locations = c.locations.iter().map(|l| m.locations[*l].slug.as_str());
            let _ = writeln!(f, "[taxonomies]\nlocations = {}", toml_list(locations));
            let _ = writeln!(
                f,
                "[extra]\npartners = {}",
                toml_list(partners.iter().map(String::as_str))
            );
            let _ = writeln!(f, "country = \"{}\"", COUNTRIES[c.country].0);
            let _ = writeln!(f, "website = \"https://{}.example.org\"", c.slug);
            let _ = write!(f, "+++\n\n{}", body(m, &mut rng, li, ci % 5 == 0, None));
            w.write(&zola_file("clusters", &c.slug, li), &f)?;
        }
    }

    for (i, it) in m.spas.iter().enumerate() {
        let cluster = &m.clusters[it.cluster.expect("a spa has a cluster")];
        let (kind, kind_name) = KINDS[it.kind];
        let title = format!("{} {kind_name}", it.name);
        let loc = &m.locations[it.locations[0]];
        for &li in &it.langs {
            let mut f = String::from("+++\n");
            let _ = writeln!(f, "title = {}", toml_str(&localised_title(&title, li)));
            let _ = writeln!(
                f,
                "description = {}",
                toml_str(&description(m, &mut rng, li))
            );
            let _ = writeln!(f, "[taxonomies]\nlocations = [\"{}\"]", loc.slug);
            let treatments = treatments(m, &mut rng, li);
            let _ = writeln!(
                f,
                "[extra]\ntreatments = {}",
                toml_list(treatments.iter().map(String::as_str))
            );
            let _ = writeln!(f, "cluster = \"{}\"", cluster.slug);
            let _ = writeln!(f, "spa_kind = \"{kind}\"");
            let _ = writeln!(f, "website = \"https://{}.example.org\"", it.slug);
            let _ = writeln!(f, "phone = \"+47 {:08}\"", 20_000_000 + i);
            let _ = writeln!(f, "email = \"post@{}.example.org\"", it.slug);
            if it.coordinates {
                let _ = writeln!(
                    f,
                    "lat = {:.3}\nlon = {:.3}",
                    loc.lat + 0.01,
                    loc.lon - 0.01
                );
            }
            let target = format!("@/clusters/{}.md", cluster.slug);
            let text = body(m, &mut rng, li, it.code, Some((&cluster.name, &target)));
            let _ = write!(f, "+++\n\n{text}");
            w.write(&zola_file("spas", &it.slug, li), &f)?;
        }
    }

    for it in &m.news {
        for &li in &it.langs {
            let mut f = String::from("+++\n");
            let _ = writeln!(f, "title = {}", toml_str(&localised_title(&it.name, li)));
            let _ = writeln!(
                f,
                "description = {}",
                toml_str(&description(m, &mut rng, li))
            );
            let (y, mo, d) = it.date;
            let _ = writeln!(f, "date = {y:04}-{mo:02}-{d:02}");
            let locations = it.locations.iter().map(|l| m.locations[*l].slug.as_str());
            let _ = writeln!(f, "[taxonomies]\nlocations = {}", toml_list(locations));
            f.push_str("[extra]\n");
            if let Some(c) = it.cluster {
                let _ = writeln!(f, "cluster = \"{}\"", m.clusters[c].slug);
            }
            if it.source {
                let _ = writeln!(
                    f,
                    "source_name = \"Health News\"\nsource_url = \"https://news.example.org/{}\"",
                    it.slug
                );
            }
            let link = it.cluster.map(|c| {
                (
                    m.clusters[c].name.as_str(),
                    format!("@/clusters/{}.md", m.clusters[c].slug),
                )
            });
            let text = body(
                m,
                &mut rng,
                li,
                it.code,
                link.as_ref().map(|(n, t)| (*n, t.as_str())),
            );
            let _ = write!(f, "+++\n\n{text}");
            w.write(&zola_file("news", &it.slug, li), &f)?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_n_same_site() {
        let a = tempfile::tempdir().unwrap();
        let b = tempfile::tempdir().unwrap();
        let sa = generate(12, Target::Klynge, a.path()).unwrap();
        let sb = generate(12, Target::Klynge, b.path()).unwrap();
        assert_eq!(sa, sb);
        let read = |p: &Path| fs::read_to_string(p.join("content/spas/spa-00003.en.md")).unwrap();
        assert_eq!(read(a.path()), read(b.path()));
    }

    #[test]
    fn every_other_language_about_sixty_percent() {
        let m = Model::new(2000);
        let others: usize = m.spas.iter().map(|i| i.langs.len() - 1).sum();
        let share = others as f64 / (4.0 * 2000.0);
        assert!((0.55..0.65).contains(&share), "{share}");
        assert_eq!(m.locations.len(), 100);
    }
}
