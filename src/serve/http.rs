//! Answers HTTP requests from the in-memory site: routing under the base
//! path, the live-reload endpoints, the error page while the build is
//! broken, the site's own 404 page. Nothing here reads the disk.

use super::state::{Bytes, Shared};
use super::{live, mime, path};
use std::io::Cursor;
use std::sync::Arc;
use tiny_http::{Header, Method, Request, Response, Server, StatusCode};

/// One worker: takes requests off the server until it shuts down.
pub fn worker(server: Arc<Server>, shared: Arc<Shared>) {
    while let Ok(request) = server.recv() {
        handle(request, &shared);
    }
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

fn handle(request: Request, shared: &Arc<Shared>) {
    let reply = route(request.method(), request.url(), shared);
    let response = match reply {
        Reply::Stream => return live::stream(request, shared.clone()),
        Reply::File {
            status,
            content_type,
            bytes,
        } => body(status, bytes).with_header(header("Content-Type", content_type)),
        Reply::Text { status, text } => body(status, text.into_bytes().into())
            .with_header(header("Content-Type", "text/plain; charset=utf-8")),
        Reply::Redirect(to) => {
            let mut r = body(301, Vec::new().into());
            if let Ok(h) = Header::from_bytes("Location", to.as_bytes()) {
                r.add_header(h);
            }
            r
        }
    };
    let response = response
        .with_header(header("Cache-Control", "no-store"))
        .with_header(header("X-Content-Type-Options", "nosniff"));
    let _ = request.respond(response);
}

/// A response whose body is all of `bytes`.
fn body(status: u16, bytes: Bytes) -> Response<Cursor<Bytes>> {
    let len = bytes.len();
    Response::new(
        StatusCode(status),
        Vec::new(),
        Cursor::new(bytes),
        Some(len),
        None,
    )
}

fn header(name: &str, value: &str) -> Header {
    Header::from_bytes(name, value).expect("static header is valid")
}

fn text(status: u16, text: &str) -> Reply {
    Reply::Text {
        status,
        text: text.to_string(),
    }
}

fn route(method: &Method, target: &str, shared: &Shared) -> Reply {
    if !matches!(method, Method::Get | Method::Head) {
        return text(405, "method not allowed\n");
    }
    let Ok(decoded) = path::decode(target) else {
        return text(400, "bad request path\n");
    };
    let out = shared.read();
    let base = out.base_path.clone();
    let Some(rel) = path::strip_base(&decoded, &base) else {
        if decoded == "/" {
            return Reply::Redirect(format!("{base}/"));
        }
        return not_found(&out);
    };
    if rel.is_empty() {
        return Reply::Redirect(format!("{base}/"));
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
        return Reply::Redirect(format!("{raw}/"));
    }
    not_found(&out)
}

fn not_found(out: &super::state::Output) -> Reply {
    let page = out
        .error_page
        .as_ref()
        .map(|p| (500, p))
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
                ("en/spas/index.html", "spas"),
                ("style.css", "css"),
            ] {
                out.files.insert(k.into(), v.as_bytes().into());
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
        let get = |p: &str| status(&route(&Method::Get, p, &s));
        assert_eq!(get("/sub/"), (200, "home".into()));
        assert_eq!(get("/sub/en/spas/"), (200, "spas".into()));
        assert_eq!(get("/sub/en/spas"), (301, "/sub/en/spas/".into()));
        assert_eq!(get("/"), (301, "/sub/".into()));
        assert_eq!(get("/sub"), (301, "/sub/".into()));
        assert_eq!(get("/sub/nope/"), (404, "missing".into()));
        assert_eq!(get("/other/"), (404, "missing".into()));
        assert_eq!(get("/sub/../site.toml").0, 400);
        assert_eq!(status(&route(&Method::Post, "/sub/", &s)).0, 405);
    }

    #[test]
    fn error_page_replaces_html_only() {
        let s = shared("");
        s.write().error_page = Some(b"broken".as_slice().into());
        let get = |p: &str| status(&route(&Method::Get, p, &s));
        assert_eq!(get("/"), (500, "broken".into()));
        assert_eq!(get("/nope/"), (500, "broken".into()));
        assert_eq!(get("/style.css"), (200, "css".into()));
    }
}
