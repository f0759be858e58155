//! What the HTTP threads read and the rebuild loop writes: the rendered
//! site in memory, the current build error (if any), and a generation
//! counter that wakes the live-reload streams after every rebuild.

use std::collections::HashMap;
use std::sync::atomic::AtomicUsize;
use std::sync::{Condvar, Mutex, RwLock};
use std::time::Duration;

/// One file's bytes, shared between the map and responses in flight. An
/// `Arc<Vec<u8>>` rather than `Arc<[u8]>`: a rendered page moves in
/// without a copy (a search index of a big site is megabytes, copied on
/// every edit otherwise).
pub type Bytes = std::sync::Arc<Vec<u8>>;

/// The site as served.
#[derive(Default)]
pub struct Output {
    /// The subpath the site lives under (`""` or `/sub`).
    pub base_path: String,
    /// Output path (`en/spas/laine/index.html`) → bytes.
    pub files: HashMap<String, Bytes>,
    /// The error page, while the last rebuild failed.
    pub error_page: Option<Bytes>,
}

/// Everything the server threads share, behind one `Arc`.
#[derive(Default)]
pub struct Shared {
    pub output: RwLock<Output>,
    generation: Mutex<u64>,
    changed: Condvar,
    /// Open live-reload streams, to keep their threads bounded.
    pub streams: AtomicUsize,
}

impl Shared {
    pub fn read(&self) -> std::sync::RwLockReadGuard<'_, Output> {
        self.output.read().unwrap_or_else(|e| e.into_inner())
    }

    pub fn write(&self) -> std::sync::RwLockWriteGuard<'_, Output> {
        self.output.write().unwrap_or_else(|e| e.into_inner())
    }

    pub fn generation(&self) -> u64 {
        *self.generation.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Tells every live-reload stream to reload its page.
    pub fn bump(&self) {
        *self.generation.lock().unwrap_or_else(|e| e.into_inner()) += 1;
        self.changed.notify_all();
    }

    /// Waits until the generation differs from `seen`, or `timeout` passes;
    /// returns the generation then.
    pub fn wait_change(&self, seen: u64, timeout: Duration) -> u64 {
        let guard = self.generation.lock().unwrap_or_else(|e| e.into_inner());
        let (guard, _) = self
            .changed
            .wait_timeout_while(guard, timeout, |g| *g == seen)
            .unwrap_or_else(|e| e.into_inner());
        *guard
    }
}
