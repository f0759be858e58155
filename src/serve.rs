//! `klynge serve`: placeholder until the serve module lands in this session.
use crate::cli::ServeCmd;
use crate::diagnostic::{Diagnostic, Diagnostics};
use std::path::Path;

pub fn serve(_root: &Path, _cmd: &ServeCmd, diags: &Diagnostics, print: impl Fn(&Diagnostics)) -> bool {
    diags.push(Diagnostic::error("serve is not built yet"));
    print(diags);
    false
}
