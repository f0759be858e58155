//! A soak test of `klynge serve`: random edits to a copy of the sample
//! site's content (text, titles, files added, removed and renamed, front
//! matter broken and fixed) while a few threads make requests over
//! loopback. Every request must be answered (no refusal, no hang past a
//! timeout), and once serve settles every page must answer as a fresh
//! build of the final tree does.
//!
//! About a minute by default; `KLYNGE_SOAK_SECS=600` edits for longer,
//! `KLYNGE_SOAK_SEED=n` replays a run (the seed is printed, and named in
//! every failure).

use crate::serve::{Serve, get, settle};
use crate::support::SiteTest;
use crate::support::html::url_for;
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// xorshift64*: small, seeded, the same sequence for the same seed.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }

    fn pick<'a, T>(&mut self, v: &'a [T]) -> Option<&'a T> {
        (!v.is_empty()).then(|| &v[self.below(v.len())])
    }
}

/// The longest a request may take to be answered, rebuilds included.
const ANSWER_WITHIN: Duration = Duration::from_secs(10);
const CLIENTS: usize = 3;

/// The edits, on the files under `content/`.
struct Editor {
    content: PathBuf,
    /// Files of the sample site (never removed, so links keep working).
    originals: Vec<PathBuf>,
    /// News items this test added, by path.
    added: Vec<PathBuf>,
    /// Files whose front matter is broken, with their text before.
    broken: Vec<(PathBuf, String)>,
    next: usize,
    /// Site paths of every page added at some point.
    urls: Vec<String>,
}

impl Editor {
    fn new(root: &Path) -> Editor {
        let content = root.join("content");
        let originals = walkdir::WalkDir::new(&content)
            .into_iter()
            .map(|e| e.unwrap())
            .filter(|e| e.file_type().is_file() && e.path().extension().is_some_and(|x| x == "md"))
            .map(|e| e.into_path())
            .collect();
        Editor {
            content,
            originals,
            added: Vec::new(),
            broken: Vec::new(),
            next: 0,
            urls: Vec::new(),
        }
    }

    fn rel(&self, p: &Path) -> String {
        p.strip_prefix(&self.content).unwrap().display().to_string()
    }

    fn news(&mut self, rng: &mut Rng) -> (PathBuf, String) {
        self.next += 1;
        let name = format!("soak-{}", self.next);
        let cluster = *rng.pick(&["estonia", "latvia", "izmir"]).unwrap();
        let text = format!(
            "+++\ntitle = \"Soak news {}\"\ndate = 2024-0{}-1{}\ncluster = \"{cluster}\"\n+++\n\nNews number {}.\n",
            self.next,
            1 + rng.below(9),
            rng.below(10),
            self.next
        );
        self.urls.push(format!("/en/news/{name}/"));
        (self.content.join(format!("news/{name}.en.md")), text)
    }

    /// A file that is not broken now.
    fn healthy(&self, rng: &mut Rng) -> Option<PathBuf> {
        let all: Vec<&PathBuf> = self
            .originals
            .iter()
            .chain(&self.added)
            .filter(|p| !self.broken.iter().any(|(b, _)| b == *p))
            .collect();
        rng.pick(&all).map(|p| (*p).clone())
    }

    /// One random edit; returns what it did.
    fn edit(&mut self, rng: &mut Rng) -> String {
        match rng.below(10) {
            0 | 1 => {
                let Some(p) = self.healthy(rng) else {
                    return "nothing".into();
                };
                let text = fs::read_to_string(&p).unwrap();
                fs::write(
                    &p,
                    format!("{text}\nA line added by the soak, {}.\n", rng.next()),
                )
                .unwrap();
                format!("text of {}", self.rel(&p))
            }
            2 | 3 => {
                let Some(p) = self.healthy(rng) else {
                    return "nothing".into();
                };
                let text = fs::read_to_string(&p).unwrap();
                let Some(at) = text.find("\ntitle = \"") else {
                    return format!("no title in {}", self.rel(&p));
                };
                let end = at + 1 + text[at + 1..].find('\n').unwrap();
                let title = format!("title = \"Soak title {}\"", rng.below(1000));
                fs::write(&p, format!("{}{title}{}", &text[..=at], &text[end..])).unwrap();
                format!("title of {}", self.rel(&p))
            }
            4 | 5 => {
                let (p, text) = self.news(rng);
                fs::write(&p, text).unwrap();
                self.added.push(p.clone());
                format!("added {}", self.rel(&p))
            }
            6 => {
                if self.added.is_empty() {
                    return "nothing".into();
                }
                let i = rng.below(self.added.len());
                let p = self.added.remove(i);
                self.broken.retain(|(b, _)| *b != p);
                fs::remove_file(&p).unwrap();
                format!("removed {}", self.rel(&p))
            }
            7 => {
                if self.added.is_empty() {
                    return "nothing".into();
                }
                let i = rng.below(self.added.len());
                let (to, _) = self.news(rng);
                let from = std::mem::replace(&mut self.added[i], to.clone());
                for (b, _) in &mut self.broken {
                    if *b == from {
                        *b = to.clone();
                    }
                }
                fs::rename(&from, &to).unwrap();
                format!("renamed {} to {}", self.rel(&from), self.rel(&to))
            }
            8 => {
                let Some(p) = self.healthy(rng) else {
                    return "nothing".into();
                };
                let text = fs::read_to_string(&p).unwrap();
                let bad = match rng.below(3) {
                    0 => text.replacen("+++\n", "+++\nsoak_unknown_field = 1\n", 1),
                    1 => text.replacen("+++\n", "+++\ntitle = \n", 1),
                    _ => text.replacen("+++", "++", 1),
                };
                fs::write(&p, bad).unwrap();
                self.broken.push((p.clone(), text));
                format!("broke {}", self.rel(&p))
            }
            _ => match self.broken.pop() {
                Some((p, text)) => {
                    fs::write(&p, text).unwrap();
                    format!("fixed {}", self.rel(&p))
                }
                None => "nothing".into(),
            },
        }
    }

    fn fix_all(&mut self) {
        for (p, text) in self.broken.drain(..) {
            fs::write(p, text).unwrap();
        }
    }
}

#[test]
fn serve_under_random_edits_and_requests_answers_as_a_fresh_build() {
    let secs: u64 = std::env::var("KLYNGE_SOAK_SECS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(60);
    let seed: u64 = std::env::var("KLYNGE_SOAK_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| {
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .unwrap()
                .as_nanos() as u64
        })
        .max(1);
    eprintln!("soak: seed {seed} (KLYNGE_SOAK_SEED={seed} replays it), {secs} s of edits");
    let started = Instant::now();
    let s = Serve::start_site(SiteTest::sample());
    let first = settle(&s, "", &[], 30);
    assert!(first.ok, "the sample site builds");
    let mut urls: Vec<String> = first.files.keys().map(|k| url_for(k)).collect();
    urls.extend([
        "/nowhere/".into(),
        "/en/spas".into(),
        "/en/search?q=x".into(),
    ]);

    let stop = Arc::new(AtomicBool::new(false));
    let answered = Arc::new(AtomicUsize::new(0));
    let failures = Arc::new(Mutex::new(Vec::<String>::new()));
    let clients: Vec<_> = (0..CLIENTS)
        .map(|c| {
            let (stop, answered, failures) = (stop.clone(), answered.clone(), failures.clone());
            let (urls, port) = (urls.clone(), s.port);
            let mut rng = Rng(seed.wrapping_add(c as u64 + 1).max(1));
            std::thread::spawn(move || {
                while !stop.load(Ordering::SeqCst) {
                    let url = rng.pick(&urls).unwrap();
                    let t = Instant::now();
                    let r = get(port, url);
                    let took = t.elapsed();
                    if !matches!(r.status, 200 | 301 | 404 | 500) || took > ANSWER_WITHIN {
                        failures
                            .lock()
                            .unwrap()
                            .push(format!("{url}: status {} after {took:?}", r.status));
                    } else {
                        answered.fetch_add(1, Ordering::SeqCst);
                    }
                    // A breath between requests: busy, not a flood that
                    // would take the machine's cores from the rebuilds.
                    std::thread::sleep(Duration::from_millis(rng.below(3) as u64));
                }
            })
        })
        .collect();

    let mut rng = Rng(seed);
    let mut editor = Editor::new(&s.site.root);
    let mut log = Vec::new();
    let until = Instant::now() + Duration::from_secs(secs);
    while Instant::now() < until {
        log.push(editor.edit(&mut rng));
        // Bursts of edits within one debounce, and pauses that let
        // rebuilds finish.
        let pause = match rng.below(4) {
            0 => 0,
            1 => rng.below(20),
            _ => rng.below(400),
        };
        std::thread::sleep(Duration::from_millis(pause as u64));
    }
    let edits = log.iter().filter(|l| *l != "nothing").count();
    let tail = |log: &[String]| log[log.len().saturating_sub(30)..].join("\n  ");

    let added = std::mem::take(&mut editor.urls);
    let mut pages: Vec<&str> = urls.iter().map(String::as_str).collect();
    pages.extend(added.iter().map(String::as_str));
    // The tree as the edits left it (maybe broken), then fixed.
    let last = settle(&s, "", &pages, 30);
    editor.fix_all();
    let fixed = settle(&s, "", &pages, 30);
    stop.store(true, Ordering::SeqCst);
    for c in clients {
        c.join().unwrap();
    }
    let failures = failures.lock().unwrap();
    assert!(
        failures.is_empty(),
        "seed {seed}: {} requests not answered in time, the first: {:?}\nlast edits:\n  {}",
        failures.len(),
        &failures[..failures.len().min(5)],
        tail(&log)
    );
    assert!(
        fixed.ok,
        "seed {seed}: the fixed site builds\nlast edits:\n  {}",
        tail(&log)
    );
    let answered = answered.load(Ordering::SeqCst);
    eprintln!(
        "soak: seed {seed}: {edits} edits, {answered} requests answered, final tree {}, {:.1} s in all",
        if last.ok {
            "built"
        } else {
            "broken, then fixed"
        },
        started.elapsed().as_secs_f64()
    );
    assert!(answered > 0);
}
