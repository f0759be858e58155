//! The `klynge` binary: parse the command line (`cli`), call the library,
//! show what it reports (diagnostics, build progress, serve's messages),
//! map the result to an exit code (0 ok, 1 content or template errors,
//! 2 usage errors).

mod cli;

use clap::Parser;
use cli::{Cli, Command};
use klynge::build::Progress;
use klynge::diagnostic::Diagnostics;
use klynge::serve::ServeEvent;
use std::io::{IsTerminal, Write};
use std::process::ExitCode;
use std::sync::OnceLock;

/// A build makes millions of short-lived strings from every thread; with
/// a heap of gigabytes (100,000 files) glibc's allocator spent a growing
/// share of the time in `malloc` itself, so build time grew faster than the
/// site. mimalloc keeps per-thread pages and stays flat.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let cli = Cli::parse();
    let diags = Diagnostics::new();
    // A wrong command line (exit 2) rather than wrong content (exit 1).
    let mut usage = false;
    let ok = match &cli.command {
        Command::Build(cmd) => {
            abandon_build_on_signals();
            let progress = ProgressDisplay::new(if cli.quiet {
                Show::Nothing
            } else if std::io::stderr().is_terminal() {
                Show::Bar
            } else {
                Show::Line
            });
            let summary =
                klynge::build::build_with(&cmd.options(&cli.root), &|p| progress.show(p), &diags);
            print_diagnostics(&diags, cli.quiet);
            if let Some(s) = &summary
                && !cli.quiet
            {
                out(&format!("{}\n", s.line()));
            }
            summary.is_some()
        }
        Command::Check(cmd) => {
            let options = klynge::check::CheckOptions {
                drafts: cmd.drafts,
                stale: cmd.stale,
                now: cmd.now,
            };
            let report = klynge::check::check(&cli.root, options, &diags);
            // Under --strict a warning fails the check: it is shown even with -q.
            print_diagnostics(&diags, cli.quiet && !cmd.strict);
            if let Some(r) = &report
                && !cli.quiet
            {
                out(&r.coverage_table());
                out(&klynge::completeness::table(&r.completeness));
            }
            let warnings = diags.sorted().iter().filter(|d| !d.is_error()).count();
            let ok = report.is_some() && !diags.has_errors() && !(cmd.strict && warnings > 0);
            let s = if warnings == 1 { "" } else { "s" };
            if ok {
                if !cli.quiet {
                    out(&match warnings {
                        0 => "check: no errors, no warnings\n".to_string(),
                        n => format!("check: no errors, {n} warning{s}\n"),
                    });
                }
            } else if report.is_some() && !diags.has_errors() {
                err(&format!(
                    "check failed: --strict counts the {warnings} warning{s} above as errors\n"
                ));
            } else {
                err("check failed: fix the errors above\n");
            }
            ok
        }
        Command::Serve(cmd) => {
            let ok = klynge::serve::serve(&cmd.options(&cli.root), &diags, &|e| {
                show_serve_event(e, cli.quiet)
            });
            print_diagnostics(&diags, cli.quiet);
            ok
        }
        Command::New(cmd) => {
            let r = klynge::scaffold::new_content_or_why(&cmd.options(&cli.root), &diags);
            print_diagnostics(&diags, cli.quiet);
            match r {
                Ok(path) => {
                    if !cli.quiet {
                        out(&format!("wrote {}\n", path.display()));
                    }
                    true
                }
                Err(why) => {
                    usage = why == klynge::scaffold::NewFailure::Usage;
                    false
                }
            }
        }
        Command::Init(cmd) => {
            let opts = cmd.options(&cli.root);
            let r = klynge::scaffold::init(&opts, &diags);
            print_diagnostics(&diags, cli.quiet);
            if r && !cli.quiet {
                out(&format!(
                    "created a new site in {}; next: cd {} && klynge serve\n",
                    opts.dir.display(),
                    opts.dir.display()
                ));
            }
            r
        }
        Command::Cms(cmd) => {
            let written = klynge::cms::write(&cmd.options(&cli.root), &diags);
            print_diagnostics(&diags, cli.quiet);
            if let Some(files) = &written
                && !cli.quiet
            {
                out(&format!(
                    "wrote {} files into {}; `klynge build` publishes them at /admin/\n",
                    files.len(),
                    cli.root.join(klynge::cms::ADMIN_DIR).display()
                ));
            }
            written.is_some()
        }
        Command::Import(cmd) => match exchange_table(&cmd.what) {
            None => {
                usage = true;
                false
            }
            Some(table) => {
                let file = std::env::current_dir()
                    .map(|d| d.join(&cmd.file))
                    .unwrap_or_else(|_| cmd.file.clone());
                let r =
                    klynge::exchange::import(&cli.root, table, &file, cmd.lang.as_deref(), &diags);
                print_diagnostics(&diags, cli.quiet);
                match &r {
                    Some(done) if !cli.quiet => out(&format!(
                        "import: {} created, {} updated, {} unchanged\n",
                        done.created.len(),
                        done.updated.len(),
                        done.unchanged
                    )),
                    Some(_) => {}
                    None => err("import failed: nothing was written; fix the rows above\n"),
                }
                r.is_some()
            }
        },
        Command::Export(cmd) => match exchange_table(&cmd.what) {
            None => {
                usage = true;
                false
            }
            Some(table) => {
                let r = klynge::exchange::export(&cli.root, table, cmd.lang.as_deref(), &diags);
                print_diagnostics(&diags, cli.quiet);
                match (r, &cmd.output) {
                    (Some(csv), None) => {
                        out(&csv);
                        true
                    }
                    (Some(csv), Some(path)) => {
                        match klynge::fsutil::write_file(path, csv.as_bytes()) {
                            Ok(()) => true,
                            Err(d) => {
                                err(&d.render(false));
                                false
                            }
                        }
                    }
                    (None, _) => false,
                }
            }
        },
        Command::Translations(cmd) => translations(&cli, cmd, &diags),
    };
    if ok {
        ExitCode::SUCCESS
    } else if usage {
        ExitCode::from(2)
    } else {
        ExitCode::from(1)
    }
}

/// `klynge translations export` and `import`.
fn translations(cli: &Cli, cmd: &cli::TranslationsCmd, diags: &Diagnostics) -> bool {
    use klynge::translations::Format;
    match cmd {
        cli::TranslationsCmd::Export(e) => {
            let format = match e.format {
                cli::TranslationFormat::Xliff => Format::Xliff,
                cli::TranslationFormat::Csv => Format::Csv,
            };
            let r = klynge::translations::export(&cli.root, &e.lang, format, diags);
            print_diagnostics(diags, cli.quiet);
            let Some(r) = r else {
                return false;
            };
            if r.items == 0 {
                if !cli.quiet {
                    err(&format!(
                        "translations: nothing is missing or stale in {}; no file written\n",
                        e.lang
                    ));
                }
                return true;
            }
            match &e.out {
                None => out(&r.text),
                Some(path) => {
                    if let Err(d) = klynge::fsutil::write_file(path, r.text.as_bytes()) {
                        err(&d.render(false));
                        return false;
                    }
                }
            }
            if !cli.quiet {
                let s = if r.items == 1 { "" } else { "s" };
                err(&format!(
                    "translations: {} item{s} to translate into {}\n",
                    r.items, e.lang
                ));
            }
            true
        }
        cli::TranslationsCmd::Import(i) => {
            let file = std::env::current_dir()
                .map(|d| d.join(&i.file))
                .unwrap_or_else(|_| i.file.clone());
            let r = klynge::translations::import(&cli.root, &file, diags);
            print_diagnostics(diags, cli.quiet);
            match &r {
                Some(done) if !cli.quiet => out(&format!(
                    "translations import: {} created, {} updated, {} unchanged\n",
                    done.created.len(),
                    done.updated.len(),
                    done.unchanged
                )),
                Some(_) => {}
                None => {
                    err("translations import failed: nothing was written; fix the units above\n")
                }
            }
            r.is_some()
        }
    }
}

/// The table `import` and `export` name, or an error shown (a usage error).
fn exchange_table(what: &str) -> Option<klynge::exchange::Table> {
    let table = klynge::exchange::Table::from_name(what);
    if table.is_none() {
        err(&format!(
            "error: `{what}` is not a table klynge imports or exports; choose one of: {}\n",
            klynge::exchange::Table::NAMES
        ));
    }
    table
}

/// Prints to stdout. A reader that went away (`klynge check | head -1`)
/// is no error: `println!` would panic there, this stays quiet and the
/// exit code is the command's own.
fn out(text: &str) {
    let mut stdout = std::io::stdout().lock();
    let _ = stdout
        .write_all(text.as_bytes())
        .and_then(|()| stdout.flush());
}

/// [`out`] for stderr.
fn err(text: &str) {
    let _ = std::io::stderr().lock().write_all(text.as_bytes());
}

/// Ctrl+C (SIGINT) or SIGTERM during `klynge build`: remove the build's
/// temporary folder beside the output, then exit with 128 + the signal's
/// number (130, 143), as a shell reports a process the signal ended.
fn abandon_build_on_signals() {
    #[cfg(unix)]
    {
        use signal_hook::consts::signal::{SIGINT, SIGTERM};
        if let Ok(mut signals) = signal_hook::iterator::Signals::new([SIGINT, SIGTERM]) {
            std::thread::spawn(move || {
                if let Some(signal) = signals.forever().next() {
                    klynge::output::abandon_staging();
                    std::process::exit(128 + signal);
                }
            });
        }
    }
}

fn print_diagnostics(diags: &Diagnostics, quiet: bool) {
    let colour = std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none();
    let all = diags.sorted();
    for d in &all {
        if quiet && !d.is_error() {
            continue;
        }
        err(&d.render(colour));
    }
    let errors = all.iter().filter(|d| d.is_error()).count();
    if errors > 0 {
        err(&format!(
            "{errors} error{}\n",
            if errors == 1 { "" } else { "s" }
        ));
    }
}

/// Sites smaller than this build too fast for progress to mean anything.
const PROGRESS_FROM_PAGES: usize = 300;

/// How a long build shows its progress, on stderr.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Show {
    /// `--quiet`.
    Nothing,
    /// A progress bar (an interactive terminal).
    Bar,
    /// One plain line when rendering starts (logs, CI).
    Line,
}

/// Turns the build's progress events into a bar or a line.
struct ProgressDisplay {
    show: Show,
    bar: OnceLock<indicatif::ProgressBar>,
}

impl ProgressDisplay {
    fn new(show: Show) -> ProgressDisplay {
        ProgressDisplay {
            show,
            bar: OnceLock::new(),
        }
    }

    /// Called from the rendering threads.
    fn show(&self, p: Progress) {
        match p {
            Progress::Start { pages } if pages >= PROGRESS_FROM_PAGES => match self.show {
                Show::Bar => {
                    let bar = indicatif::ProgressBar::new(pages as u64);
                    if let Ok(style) = indicatif::ProgressStyle::with_template(
                        "{spinner} rendering {pos}/{len} pages {wide_bar} {eta}",
                    ) {
                        bar.set_style(style);
                    }
                    let _ = self.bar.set(bar);
                }
                Show::Line => err(&format!("rendering {pages} pages\n")),
                Show::Nothing => {}
            },
            Progress::Start { .. } => {}
            Progress::Page => {
                if let Some(bar) = self.bar.get() {
                    bar.inc(1);
                }
            }
            Progress::Done => {
                if let Some(bar) = self.bar.get() {
                    bar.finish_and_clear();
                }
            }
        }
    }
}

/// What `klynge serve` prints as it runs. `--quiet` leaves out the
/// build's warnings only: the status lines and watch warnings still show.
fn show_serve_event(e: ServeEvent<'_>, quiet: bool) {
    match e {
        ServeEvent::Diagnostics(d) => print_diagnostics(d, quiet),
        ServeEvent::Built(r) => out(&format!("{}\n", r.line().replacen("rebuilt", "built", 1))),
        ServeEvent::BuildFailed { .. } => {
            err("the site does not build: the browser shows the errors until a change fixes them\n")
        }
        ServeEvent::Serving { url } => out(&format!("serving {url} (Ctrl+C to stop)\n")),
        ServeEvent::Rebuilt(r) => out(&format!("{}\n", r.line())),
        ServeEvent::RebuildFailed { errors } => err(&format!(
            "rebuild failed with {errors} error(s): the browser shows them until a change fixes them\n"
        )),
        ServeEvent::WatchWarning(w) => err(&format!("warning: {w}\n")),
        ServeEvent::ThreadFailed { error } => {
            err(&format!("error: cannot start a server thread: {error}\n"))
        }
        ServeEvent::WatcherStopped => err("error: the file watcher stopped\n"),
    }
}
