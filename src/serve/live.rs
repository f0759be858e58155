//! Live reload over Server-Sent Events: the script every served page loads,
//! the event stream it listens to, and the page shown while the build is
//! broken.

use super::state::Shared;
use crate::diagnostic::Diagnostic;
use std::io::Write;
use std::sync::atomic::Ordering;
use std::time::Duration;

/// Where the script and the stream live, below the site's base path.
pub const SCRIPT: &str = "/__klynge/live.js";
pub const EVENTS: &str = "/__klynge/events";

/// At most this many open streams (browser tabs); more get 503.
const MAX_STREAMS: usize = 64;
/// A comment line this often finds streams whose tab was closed.
const KEEPALIVE: Duration = Duration::from_secs(15);

/// The script: listen for `reload` events; when the connection drops, try
/// again every second and reload once the server is back.
pub fn script(base_path: &str) -> String {
    let url = serde_json::to_string(&format!("{base_path}{EVENTS}")).unwrap_or_default();
    format!(
        r#"(function () {{
  var broken = false;
  function connect() {{
    var source = new EventSource({url});
    source.addEventListener("open", function () {{ if (broken) location.reload(); }});
    source.addEventListener("reload", function () {{ location.reload(); }});
    source.onerror = function () {{ broken = true; source.close(); setTimeout(connect, 1000); }};
  }}
  connect();
}})();
"#
    )
}

/// One open event stream, counted in `Shared::streams` while it lives.
pub struct Stream<'a>(&'a Shared);

impl<'a> Stream<'a> {
    /// A stream, unless `MAX_STREAMS` are open already.
    pub fn open(shared: &'a Shared) -> Option<Stream<'a>> {
        if shared.streams.fetch_add(1, Ordering::SeqCst) >= MAX_STREAMS {
            shared.streams.fetch_sub(1, Ordering::SeqCst);
            return None;
        }
        Some(Stream(shared))
    }

    /// Writes events to `out` until the client goes away, on the thread of
    /// its connection.
    pub fn run(self, mut out: std::net::TcpStream) {
        let _ = run(&mut out, self.0);
    }
}

impl Drop for Stream<'_> {
    fn drop(&mut self) {
        self.0.streams.fetch_sub(1, Ordering::SeqCst);
    }
}

/// Writes events until the client goes away (a write fails).
fn run(out: &mut impl Write, shared: &Shared) -> std::io::Result<()> {
    out.write_all(
        b"HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-store\r\nConnection: close\r\n\r\nretry: 1000\n\n",
    )?;
    out.flush()?;
    let mut seen = shared.generation();
    loop {
        let now = shared.wait_change(seen, KEEPALIVE);
        if now == seen {
            out.write_all(b": keepalive\n\n")?;
        } else {
            seen = now;
            write!(out, "event: reload\ndata: {now}\n\n")?;
        }
        out.flush()?;
    }
}

/// The page served for every HTML request while the build is broken.
pub fn error_page(base_path: &str, errors: &[Diagnostic]) -> String {
    let esc = |s: &str| html_escape::encode_text(s).replace('"', "&quot;");
    let mut items = String::new();
    for d in errors {
        // The headline once, then what `render` adds below it: the line
        // with its caret and the hint.
        let rendered = d.render(false);
        let below = rendered.split_once('\n').map_or("", |(_, rest)| rest);
        let detail = if below.is_empty() {
            String::new()
        } else {
            format!("<pre>{}</pre>", esc(below))
        };
        items.push_str(&format!(
            "<li><p class=\"head\">{}</p>{detail}</li>\n",
            esc(&d.headline()),
        ));
    }
    let count = errors.len();
    let plural = if count == 1 { "" } else { "s" };
    format!(
        r#"<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Build error – klynge serve</title>
<style>
body {{ font: 16px/1.5 system-ui, sans-serif; margin: 0; background: #fff; color: #1a1a1a; }}
main {{ max-width: 60rem; margin: 2rem auto; padding: 0 1rem; }}
h1 {{ color: #a00000; }}
ul {{ list-style: none; padding: 0; }}
li {{ border-left: 4px solid #a00000; padding: .25rem 1rem; margin: 1rem 0; background: #fdf2f2; }}
.head {{ font-weight: bold; font-family: ui-monospace, monospace; }}
pre {{ overflow-x: auto; white-space: pre-wrap; }}
</style>
</head>
<body>
<main>
<h1>The site does not build</h1>
<p>{count} error{plural}. Fix {these} and save: this page reloads by itself.</p>
<ul>
{items}</ul>
</main>
<script src="{script}"></script>
</body>
</html>
"#,
        these = if count == 1 { "it" } else { "them" },
        script = esc(&format!("{base_path}{SCRIPT}")),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn error_page_escapes_and_reloads() {
        let d = Diagnostic::error("unknown field `<b>`")
            .in_file("content/spas/a.en.md")
            .at_line(2, 1);
        let page = error_page("/sub", &[d]);
        assert!(
            page.contains("content/spas/a.en.md:2:1: error: unknown field `&lt;b&gt;`"),
            "{page}"
        );
        assert!(page.contains("<script src=\"/sub/__klynge/live.js\"></script>"));
    }

    #[test]
    fn error_page_shows_each_headline_once() {
        let text = "+++\ntitel = 1\n+++\n";
        let d = Diagnostic::error("unknown field `titel`")
            .in_file("content/pages/a.en.md")
            .at(text, 4)
            .with_hint("did you mean `title`?");
        let page = error_page("", &[d]);
        assert_eq!(page.matches("unknown field `titel`").count(), 1, "{page}");
        assert!(page.contains("2 | titel = 1"), "{page}");
        assert!(page.contains("= help: did you mean `title`?"), "{page}");
    }

    #[test]
    fn script_points_at_the_stream() {
        assert!(script("/sub").contains("new EventSource(\"/sub/__klynge/events\")"));
    }
}
