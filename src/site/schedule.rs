//! Scheduled and expiring items: `publish_date` holds an item back until
//! its day or time comes (`--future` builds it anyway), `expires` from its
//! day or time on. Both are measured against the build time
//! (`Config::now`), so the same content and time give the same site.

use super::BuildOptions;
use super::inherit::inherit;
use crate::content::ContentFile;
use crate::diagnostic::Diagnostics;
use crate::time::{BuildTime, Moment};
use std::sync::Arc;

/// Why an item is not built.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Held {
    /// Its `publish_date` is still to come.
    Scheduled,
    /// Its `expires` has passed.
    Expired,
}

/// How many items a build left out, for its summary line.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct HeldBack {
    pub scheduled: usize,
    pub expired: usize,
}

impl HeldBack {
    /// `; held back: 1 scheduled (--future builds it), 2 expired`, or
    /// nothing when no item was held back.
    pub fn summary(&self) -> String {
        let mut parts = Vec::new();
        match self.scheduled {
            0 => {}
            1 => parts.push("1 scheduled item (--future builds it)".to_string()),
            n => parts.push(format!("{n} scheduled items (--future builds them)")),
        }
        match self.expired {
            0 => {}
            1 => parts.push("1 expired item".to_string()),
            n => parts.push(format!("{n} expired items")),
        }
        if parts.is_empty() {
            String::new()
        } else {
            format!("; held back: {}", parts.join(", "))
        }
    }
}

/// Whether the item of `files` (its translations, in the site's language
/// order) is held back at `now`. The dates are shared facts: one
/// translation may give them for all. A date that cannot be read is an
/// error at its line, and the item is built as if it had none.
pub(super) fn held_back(
    files: &[Arc<ContentFile>],
    now: BuildTime,
    opts: BuildOptions,
    diags: &Diagnostics,
) -> Option<Held> {
    let fr: Vec<(&ContentFile, &ContentFile)> = files.iter().map(|f| (&**f, &**f)).collect();
    let moment = |key: &str, get: fn(&ContentFile) -> Option<&toml::value::Datetime>| {
        let (dt, file) = inherit(&fr, key, |f: &ContentFile| get(f), diags)?;
        match Moment::from_toml(key, dt) {
            Ok(m) => Some(m),
            Err(e) => {
                diags.push(
                    file.source
                        .error_at_written(key, e.message)
                        .with_hint(e.hint),
                );
                None
            }
        }
    };
    let publish = moment("publish_date", |f| f.front.common().publish_date);
    let expires = moment("expires", |f| f.front.common().expires);
    let now = now.timestamp();
    if let Some(e) = expires
        && now >= e.instant()
    {
        return Some(Held::Expired);
    }
    match publish {
        Some(p) if !opts.future && now < p.instant() => Some(Held::Scheduled),
        _ => None,
    }
}
