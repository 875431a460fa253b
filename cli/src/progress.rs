//! A progress line on standard error for commands that do many runs (`check`, `sweep`), drawn
//! only when standard error is a terminal: a CI log or a pipe gets none.

use std::io::{IsTerminal, Write};
use std::sync::atomic::{AtomicUsize, Ordering};

/// Counts finished runs out of `total`; safe to tick from rayon's threads.
#[derive(Debug)]
pub struct Progress {
    total: usize,
    done: AtomicUsize,
    shown: bool,
}

impl Progress {
    /// A progress line for `total` runs (nothing is drawn off a terminal).
    pub fn new(total: usize) -> Progress {
        let shown = std::io::stderr().is_terminal() && total > 1;
        let p = Progress {
            total,
            done: AtomicUsize::new(0),
            shown,
        };
        p.draw(0);
        p
    }

    /// One more run finished.
    pub fn tick(&self) {
        let done = self.done.fetch_add(1, Ordering::Relaxed) + 1;
        // Redraw at each hundredth of the way, not at every run of a large sweep.
        let step = (self.total / 100).max(1);
        if done.is_multiple_of(step) || done == self.total {
            self.draw(done);
        }
    }

    fn draw(&self, done: usize) {
        if !self.shown {
            return;
        }
        let width = 40;
        let filled = done * width / self.total.max(1);
        let bar: String = (0..width)
            .map(|i| if i < filled { '#' } else { '.' })
            .collect();
        let _ = write!(std::io::stderr(), "\r[{bar}] {done}/{} runs", self.total);
    }

    /// Ends the line, so what follows starts on its own.
    pub fn finish(&self) {
        if self.shown {
            let _ = writeln!(std::io::stderr());
        }
    }
}
