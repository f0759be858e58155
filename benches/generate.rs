//! Writes the synthetic benchmark site (`scripts/bench`):
//!
//!     cargo run --release --example generate -- --n 2000 --target klynge|hugo --out DIR

use klynge_synth::{Target, generate};
use std::path::PathBuf;
use std::process::ExitCode;

fn main() -> ExitCode {
    let mut n = 2000usize;
    let mut target = Target::Klynge;
    let mut out: Option<PathBuf> = None;
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        let value = args.next();
        let parsed = match (a.as_str(), value) {
            ("--n", Some(v)) => v.parse().map(|v| n = v).map_err(|e| format!("--n: {e}")),
            ("--target", Some(v)) => v.parse().map(|t| target = t),
            ("--out", Some(v)) => {
                out = Some(PathBuf::from(v));
                Ok(())
            }
            (other, _) => Err(format!("unexpected argument `{other}`")),
        };
        if let Err(e) = parsed {
            eprintln!("{e}\nusage: generate [--n N] [--target klynge|hugo] --out DIR");
            return ExitCode::from(2);
        }
    }
    let Some(out) = out else {
        eprintln!("usage: generate [--n N] [--target klynge|hugo] --out DIR");
        return ExitCode::from(2);
    };
    match generate(n, target, &out) {
        Ok(s) => {
            println!(
                "wrote {} files ({} KB) into {}",
                s.files,
                s.bytes / 1024,
                out.display()
            );
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("cannot write {}: {e}", out.display());
            ExitCode::from(1)
        }
    }
}
