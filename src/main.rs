//! The `klynge` binary: parse the command line, call the library, print
//! diagnostics, map the result to an exit code (0 ok, 1 content or
//! template errors, 2 usage errors).

use clap::Parser;
use klynge::cli::{Cli, Command};
use klynge::diagnostic::Diagnostics;
use std::io::IsTerminal;
use std::process::ExitCode;

/// A build makes millions of short-lived strings from every thread; with
/// a heap of gigabytes (100,000 files) glibc's allocator spent a growing
/// share of the time in `malloc` itself, so build time grew faster than the
/// site. mimalloc keeps per-thread pages and stays flat.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let cli = Cli::parse();
    let diags = Diagnostics::new();
    let ok = match &cli.command {
        Command::Build(cmd) => {
            let args = klynge::build::BuildArgs {
                root: cli.root.clone(),
                output: cmd.output.clone(),
                base_url: cmd.base_url.clone(),
                drafts: cmd.drafts,
            };
            let progress = if cli.quiet {
                klynge::build::Progress::Silent
            } else if std::io::stderr().is_terminal() {
                klynge::build::Progress::Bar
            } else {
                klynge::build::Progress::Lines
            };
            let summary = klynge::build::build_with(&args, progress, &diags);
            print_diagnostics(&diags, cli.quiet);
            if let Some(s) = &summary
                && !cli.quiet
            {
                println!("{}", s.line());
            }
            summary.is_some()
        }
        Command::Check(cmd) => {
            let report = klynge::check::check(&cli.root, cmd.drafts, &diags);
            print_diagnostics(&diags, cli.quiet);
            if let Some(r) = &report
                && !cli.quiet
            {
                print!("{}", r.coverage_table());
            }
            let warnings = diags.sorted().iter().any(|d| !d.is_error());
            report.is_some() && !diags.has_errors() && !(cmd.strict && warnings)
        }
        Command::Serve(cmd) => {
            klynge::serve::serve(&cli.root, cmd, &diags, |d| print_diagnostics(d, cli.quiet))
        }
        Command::New(cmd) => {
            let r = klynge::scaffold::new_content(&cli.root, cmd, &diags);
            print_diagnostics(&diags, cli.quiet);
            if let Some(path) = r {
                if !cli.quiet {
                    println!("wrote {}", path.display());
                }
                true
            } else {
                false
            }
        }
        Command::Init(cmd) => {
            let r = klynge::scaffold::init(cmd, &diags);
            print_diagnostics(&diags, cli.quiet);
            if r && !cli.quiet {
                println!(
                    "created a new site in {}; next: cd {} && klynge serve",
                    cmd.dir.display(),
                    cmd.dir.display()
                );
            }
            r
        }
    };
    if ok {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    }
}

fn print_diagnostics(diags: &Diagnostics, quiet: bool) {
    let colour = std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none();
    let all = diags.sorted();
    for d in &all {
        if quiet && !d.is_error() {
            continue;
        }
        eprint!("{}", d.render(colour));
    }
    let errors = all.iter().filter(|d| d.is_error()).count();
    if errors > 0 {
        eprintln!("{errors} error{}", if errors == 1 { "" } else { "s" });
    }
}
