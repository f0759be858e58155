//! The HTTP server and its answers from the in-memory site: routing under
//! the base path, the live-reload endpoints, the error page while the
//! build is broken, the site's own 404 page. Nothing here reads the disk.
//!
//! The server is a small HTTP/1.1 one over `std::net`, one request per
//! connection (`Connection: close`): a preview on this computer needs no
//! more, and reading requests ourselves is what lets the size of a request
//! head be limited (tiny_http reads header lines of any length).
//!
//! A thread per connection, at most `MAX_CONNECTIONS` at once, each with a
//! read and a write timeout, rather than a fixed pool of workers: with a
//! pool, as many clients as there are workers that stop reading a large
//! answer (or never finish sending a request) hold every worker, and every
//! other request waits behind them. Here a stalled client holds only its
//! own thread, and only until a timeout passes; the cap keeps a flood of
//! connections from making threads without end (the ones over it get 503
//! at once). Live-reload streams give their connection slot back and are
//! counted, and capped, on their own (`live::MAX_STREAMS`).

use super::state::{Bytes, Shared};
use super::{live, mime, path};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{Shutdown, TcpListener, TcpStream};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

/// Connections handled at once, live-reload streams not counted. A
/// browser opens about six per site; 64 leaves room for several tabs
/// and a link checker.
const MAX_CONNECTIONS: usize = 64;
/// How long a client may take to send its request head, and to take each
/// part of the answer (one `write` call); a client slower than that is
/// dropped, so it gives its slot back.
const READ_TIMEOUT: Duration = Duration::from_secs(10);
const WRITE_TIMEOUT: Duration = Duration::from_secs(10);
/// The longest request line (414 beyond it) and the most header bytes
/// (431 beyond them), line endings not counted in the first.
pub const MAX_REQUEST_LINE: usize = 8 * 1024;
pub const MAX_HEADERS: usize = 64 * 1024;
/// After an answer, at most this much of what the client still sends is
/// read and dropped before closing, so that closing with unread input
/// (which resets the connection) does not lose the answer on its way.
const DRAIN: u64 = 1 << 20;
const DRAIN_TIMEOUT: Duration = Duration::from_secs(2);

/// Accepts connections until the listener fails for good, each on a
/// thread of its own.
pub fn accept_loop(listener: TcpListener, shared: Arc<Shared>) {
    let open = Arc::new(AtomicUsize::new(0));
    for conn in listener.incoming() {
        let stream = match conn {
            Ok(s) => s,
            Err(_) => {
                // Out of file descriptors, or a connection reset before it
                // was accepted: try again shortly rather than spin.
                std::thread::sleep(Duration::from_millis(10));
                continue;
            }
        };
        if open.fetch_add(1, Ordering::SeqCst) >= MAX_CONNECTIONS {
            open.fetch_sub(1, Ordering::SeqCst);
            let _ = stream.set_write_timeout(Some(Duration::from_millis(200)));
            let mut stream = stream;
            let _ = respond(&mut stream, "GET", &plain(503, "too many connections\n"));
            continue;
        }
        let slot = Slot(Some(open.clone()));
        let shared = shared.clone();
        // A thread that cannot start drops the connection, and the slot.
        let _ = std::thread::Builder::new()
            .name("klynge-http".into())
            .spawn(move || connection(stream, &shared, slot));
    }
}

/// One of the `MAX_CONNECTIONS`, given back when dropped.
struct Slot(Option<Arc<AtomicUsize>>);

impl Drop for Slot {
    fn drop(&mut self) {
        if let Some(open) = self.0.take() {
            open.fetch_sub(1, Ordering::SeqCst);
        }
    }
}

/// Why a request head was not read.
#[derive(Debug, PartialEq, Eq)]
enum BadHead {
    /// The client went away, or was too slow: nothing to answer.
    Gone,
    /// Answer with this status and close.
    Status(u16),
}

/// A request line, the only part of a request this server needs.
#[derive(Debug, PartialEq, Eq)]
struct Head {
    method: String,
    target: String,
}

fn connection(mut stream: TcpStream, shared: &Arc<Shared>, slot: Slot) {
    let _ = stream.set_read_timeout(Some(READ_TIMEOUT));
    let _ = stream.set_write_timeout(Some(WRITE_TIMEOUT));
    let _ = stream.set_nodelay(true);
    let head = read_head(&mut BufReader::new(&stream));
    let (method, answer) = match head {
        Ok(head) => {
            let reply = route(&head.method, &head.target, shared);
            if let Reply::Stream = reply {
                // Streams are counted apart: this slot is free again.
                drop(slot);
                if let Some(open) = live::Stream::open(shared) {
                    open.run(stream);
                    return;
                }
                (head.method, plain(503, "too many live-reload streams\n"))
            } else {
                (head.method, reply)
            }
        }
        Err(BadHead::Gone) => return,
        Err(BadHead::Status(status)) => {
            (String::new(), plain(status, &reason(status).to_lowercase()))
        }
    };
    if respond(&mut stream, &method, &answer).is_ok() {
        let _ = stream.shutdown(Shutdown::Write);
        let _ = stream.set_read_timeout(Some(DRAIN_TIMEOUT));
        let _ = std::io::copy(&mut (&stream).take(DRAIN), &mut std::io::sink());
    }
}

/// Reads the request line and the headers (which are checked for size,
/// then dropped: nothing here depends on them).
fn read_head(r: &mut impl BufRead) -> Result<Head, BadHead> {
    let mut line = read_line(r, MAX_REQUEST_LINE, 414)?;
    // A client may send an empty line before the request line.
    if line.is_empty() {
        line = read_line(r, MAX_REQUEST_LINE, 414)?;
    }
    let mut budget = MAX_HEADERS;
    loop {
        let header = read_line(r, budget, 431)?;
        if header.is_empty() {
            break;
        }
        budget = budget.saturating_sub(header.len() + 2);
    }
    let line = String::from_utf8(line).map_err(|_| BadHead::Status(400))?;
    let mut parts = line.split(' ');
    let (Some(method), Some(target), Some(version), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(BadHead::Status(400));
    };
    // Control characters (a CR could split a Location header) and spaces
    // are never part of a target.
    let plain_target = !target.is_empty() && !target.chars().any(|c| c.is_control() || c == ' ');
    if !version.starts_with("HTTP/1.") || !plain_target || method.is_empty() {
        return Err(BadHead::Status(400));
    }
    Ok(Head {
        method: method.to_string(),
        target: target.to_string(),
    })
}

/// One line without its line ending; longer than `limit` is `status`.
fn read_line(r: &mut impl BufRead, limit: usize, status: u16) -> Result<Vec<u8>, BadHead> {
    let mut line = Vec::new();
    r.take(limit as u64 + 2)
        .read_until(b'\n', &mut line)
        .map_err(|_| BadHead::Gone)?;
    if !line.ends_with(b"\n") {
        return Err(if line.len() > limit {
            BadHead::Status(status)
        } else {
            BadHead::Gone
        });
    }
    line.pop();
    if line.ends_with(b"\r") {
        line.pop();
    }
    if line.len() > limit {
        return Err(BadHead::Status(status));
    }
    Ok(line)
}

enum Reply {
    File {
        status: u16,
        content_type: &'static str,
        bytes: Bytes,
    },
    Text {
        status: u16,
        text: String,
    },
    Redirect(String),
    Stream,
}

fn plain(status: u16, text: &str) -> Reply {
    Reply::Text {
        status,
        text: text.to_string(),
    }
}

/// Writes the answer; `HEAD` gets the headers only.
fn respond(out: &mut impl Write, method: &str, reply: &Reply) -> std::io::Result<()> {
    let (status, content_type, body, location): (u16, &str, &[u8], Option<&str>) = match reply {
        Reply::File {
            status,
            content_type,
            bytes,
        } => (*status, content_type, bytes, None),
        Reply::Text { status, text } => {
            (*status, "text/plain; charset=utf-8", text.as_bytes(), None)
        }
        Reply::Redirect(to) => (301, "text/plain; charset=utf-8", b"", Some(to)),
        Reply::Stream => (500, "text/plain; charset=utf-8", b"", None),
    };
    let mut head = format!(
        "HTTP/1.1 {status} {}\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\n",
        reason(status),
        body.len()
    );
    if let Some(to) = location {
        head.push_str(&format!("Location: {to}\r\n"));
    }
    if status == 405 {
        head.push_str("Allow: GET, HEAD\r\n");
    }
    head.push_str(
        "Cache-Control: no-store\r\nX-Content-Type-Options: nosniff\r\nConnection: close\r\n\r\n",
    );
    out.write_all(head.as_bytes())?;
    if method != "HEAD" {
        out.write_all(body)?;
    }
    out.flush()
}

fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        301 => "Moved Permanently",
        400 => "Bad Request",
        404 => "Not Found",
        405 => "Method Not Allowed",
        414 => "URI Too Long",
        431 => "Request Header Fields Too Large",
        500 => "Internal Server Error",
        503 => "Service Unavailable",
        _ => "",
    }
}

fn text(status: u16, text: &str) -> Reply {
    plain(status, text)
}

fn route(method: &str, target: &str, shared: &Shared) -> Reply {
    if !matches!(method, "GET" | "HEAD") {
        return text(405, "method not allowed\n");
    }
    let Ok(decoded) = path::decode(target) else {
        return text(400, "bad request path\n");
    };
    // Kept on every redirect, as static hosts do (`?q=laine` on search).
    let query = target
        .split('#')
        .next()
        .and_then(|t| t.find('?').map(|i| &t[i..]))
        .unwrap_or("");
    let out = shared.read();
    let base = out.base_path.clone();
    let Some(rel) = path::strip_base(&decoded, &base) else {
        if decoded == "/" {
            return Reply::Redirect(format!("{base}/{query}"));
        }
        return not_found(&out, "");
    };
    if rel.is_empty() {
        return Reply::Redirect(format!("{base}/{query}"));
    }
    if rel == live::SCRIPT {
        let script: Bytes = live::script(&base).into_bytes().into();
        return Reply::File {
            status: 200,
            content_type: mime::content_type("live.js"),
            bytes: script,
        };
    }
    if rel == live::EVENTS {
        return Reply::Stream;
    }
    let key = path::output_key(rel);
    let is_html = key.ends_with(".html");
    if let (Some(page), true) = (&out.error_page, is_html) {
        return Reply::File {
            status: 500,
            content_type: mime::content_type("error.html"),
            bytes: page.clone(),
        };
    }
    if let Some(bytes) = out.files.get(&key) {
        return Reply::File {
            status: 200,
            content_type: mime::content_type(&key),
            bytes: bytes.clone(),
        };
    }
    // `/en/spas` → `/en/spas/`, as static hosts do.
    if !rel.ends_with('/') && out.files.contains_key(&format!("{key}/index.html")) {
        let raw = target.split(['?', '#']).next().unwrap_or(target);
        return Reply::Redirect(format!("{raw}/{query}"));
    }
    not_found(&out, rel)
}

/// The error page of a broken build, else the 404 page of the language
/// whose prefix `rel` is under, else the site's own: what hosts set up as
/// docs/deploying.md says do.
fn not_found(out: &super::state::Output, rel: &str) -> Reply {
    let prefix = rel.trim_start_matches('/').split('/').next().unwrap_or("");
    let in_language = (!prefix.is_empty())
        .then(|| out.files.get(&format!("{prefix}/404.html")))
        .flatten();
    let page = out
        .error_page
        .as_ref()
        .map(|p| (500, p))
        .or_else(|| in_language.map(|p| (404, p)))
        .or_else(|| out.files.get("404.html").map(|p| (404, p)));
    match page {
        Some((status, bytes)) => Reply::File {
            status,
            content_type: mime::content_type("404.html"),
            bytes: bytes.clone(),
        },
        None => text(404, "not found\n"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shared(base: &str) -> Shared {
        let s = Shared::default();
        {
            let mut out = s.write();
            out.base_path = base.into();
            for (k, v) in [
                ("index.html", "home"),
                ("404.html", "missing"),
                ("en/404.html", "missing in English"),
                ("en/spas/index.html", "spas"),
                ("style.css", "css"),
            ] {
                out.files.insert(k.into(), v.as_bytes().to_vec().into());
            }
        }
        s
    }

    fn status(r: &Reply) -> (u16, String) {
        match r {
            Reply::File { status, bytes, .. } => {
                (*status, String::from_utf8_lossy(bytes).into_owned())
            }
            Reply::Text { status, text } => (*status, text.clone()),
            Reply::Redirect(to) => (301, to.clone()),
            Reply::Stream => (0, String::new()),
        }
    }

    #[test]
    fn routes_under_the_base_path() {
        let s = shared("/sub");
        let get = |p: &str| status(&route("GET", p, &s));
        assert_eq!(get("/sub/"), (200, "home".into()));
        assert_eq!(get("/sub/en/spas/"), (200, "spas".into()));
        assert_eq!(get("/sub/en/spas"), (301, "/sub/en/spas/".into()));
        assert_eq!(get("/"), (301, "/sub/".into()));
        assert_eq!(get("/sub"), (301, "/sub/".into()));
        assert_eq!(get("/sub/nope/"), (404, "missing".into()));
        assert_eq!(get("/other/"), (404, "missing".into()));
        // A miss under a language's prefix gets that language's 404 page.
        assert_eq!(
            get("/sub/en/spas/nope/"),
            (404, "missing in English".into())
        );
        assert_eq!(get("/sub/../site.toml").0, 400);
        assert_eq!(status(&route("POST", "/sub/", &s)).0, 405);
        assert_eq!(
            get("/sub/en/spas?q=laine"),
            (301, "/sub/en/spas/?q=laine".into())
        );
        assert_eq!(get("/sub?q=1"), (301, "/sub/?q=1".into()));
        assert_eq!(get("/?q=1"), (301, "/sub/?q=1".into()));
    }

    #[test]
    fn error_page_replaces_html_only() {
        let s = shared("");
        s.write().error_page = Some(b"broken".to_vec().into());
        let get = |p: &str| status(&route("GET", p, &s));
        assert_eq!(get("/"), (500, "broken".into()));
        assert_eq!(get("/nope/"), (500, "broken".into()));
        assert_eq!(get("/style.css"), (200, "css".into()));
    }

    fn head(raw: &str) -> Result<Head, BadHead> {
        read_head(&mut std::io::Cursor::new(raw.as_bytes()))
    }

    #[test]
    fn request_heads_are_limited() {
        let ok = head("GET /a?b HTTP/1.1\r\nHost: x\r\n\r\n").unwrap();
        assert_eq!((ok.method.as_str(), ok.target.as_str()), ("GET", "/a?b"));
        assert!(
            head("\r\nHEAD / HTTP/1.0\n\n").is_ok(),
            "bare LF, leading CRLF"
        );
        let line = |n: usize| format!("GET /{} HTTP/1.1\r\n\r\n", "a".repeat(n));
        assert!(head(&line(MAX_REQUEST_LINE - 20)).is_ok());
        assert_eq!(
            head(&line(MAX_REQUEST_LINE)).unwrap_err(),
            BadHead::Status(414)
        );
        let headers = |n: usize| format!("GET / HTTP/1.1\r\nX: {}\r\n\r\n", "b".repeat(n));
        assert!(head(&headers(MAX_HEADERS - 10)).is_ok());
        assert_eq!(
            head(&headers(MAX_HEADERS)).unwrap_err(),
            BadHead::Status(431)
        );
        let many = format!(
            "GET / HTTP/1.1\r\n{}\r\n",
            "X: y\r\n".repeat(MAX_HEADERS / 6 + 10)
        );
        assert_eq!(head(&many).unwrap_err(), BadHead::Status(431));
        assert_eq!(
            head("GET / HTTP/1.1\r\nHost: x\r\n").unwrap_err(),
            BadHead::Gone
        );
        for bad in [
            "GET /a\rb HTTP/1.1\r\n\r\n",
            "GET / SPDY\r\n\r\n",
            "GET\r\n\r\n",
        ] {
            assert_eq!(head(bad).unwrap_err(), BadHead::Status(400), "{bad:?}");
        }
    }

    #[test]
    fn head_requests_get_headers_only() {
        let mut out = Vec::new();
        let reply = Reply::File {
            status: 200,
            content_type: "text/html; charset=utf-8",
            bytes: b"hello".to_vec().into(),
        };
        respond(&mut out, "HEAD", &reply).unwrap();
        let text = String::from_utf8(out).unwrap();
        assert!(text.starts_with("HTTP/1.1 200 OK\r\n"), "{text}");
        assert!(text.contains("Content-Length: 5\r\n") && text.ends_with("\r\n\r\n"));
    }
}
