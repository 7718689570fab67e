//! Parallel loops that fail the same way every time.
//!
//! rayon's `try_for_each` and `collect::<Result<…>>` stop at whichever item fails first
//! *in time*, so a template broken for every noticeboard named one unit's pack in one
//! build and another's in the next: `serve` and `check` disagreed with a fresh build, and
//! a webmaster saw the message change while nothing changed. These loops report the
//! error of the first failing item *in order*. They still stop early: an item after one
//! known to fail is skipped, but every item before it runs, so the lowest failure is
//! always found.

use rayon::prelude::*;
use std::sync::atomic::{AtomicUsize, Ordering};

/// Lowest index of an item known to fail (`usize::MAX`: none yet).
struct FirstFailure(AtomicUsize);

impl FirstFailure {
    fn new() -> Self {
        FirstFailure(AtomicUsize::new(usize::MAX))
    }

    /// Whether item `i` need not run: an earlier one already failed.
    fn skips(&self, i: usize) -> bool {
        i > self.0.load(Ordering::Relaxed)
    }

    fn note<T, E>(&self, i: usize, r: &Result<T, E>) {
        if r.is_err() {
            self.0.fetch_min(i, Ordering::Relaxed);
        }
    }
}

/// Runs `f` on every item in parallel; the error is the first failing item's in order.
pub(crate) fn try_each<I, E, F>(items: I, f: F) -> Result<(), E>
where
    I: IndexedParallelIterator,
    E: Send,
    F: Fn(I::Item) -> Result<(), E> + Sync + Send,
{
    let first = FirstFailure::new();
    let failed = items
        .enumerate()
        .filter_map(|(i, x)| {
            if first.skips(i) {
                return None;
            }
            let r = f(x);
            first.note(i, &r);
            r.err().map(|e| (i, e))
        })
        .min_by_key(|(i, _)| *i);
    match failed {
        Some((_, e)) => Err(e),
        None => Ok(()),
    }
}

/// Maps every item in parallel with a state made by `init` per rayon job (as
/// `map_init`); the results in order, or the first failing item's error in order.
pub(crate) fn try_map_init<I, S, T, E, G, F>(items: I, init: G, f: F) -> Result<Vec<T>, E>
where
    I: IndexedParallelIterator,
    T: Send,
    E: Send,
    G: Fn() -> S + Sync + Send,
    F: Fn(&mut S, I::Item) -> Result<T, E> + Sync + Send,
{
    let first = FirstFailure::new();
    let results: Vec<Option<Result<T, E>>> = items
        .enumerate()
        .map_init(init, |s, (i, x)| {
            if first.skips(i) {
                return None;
            }
            let r = f(s, x);
            first.note(i, &r);
            Some(r)
        })
        .collect();
    let mut out = Vec::with_capacity(results.len());
    for r in results {
        match r {
            Some(Ok(t)) => out.push(t),
            Some(Err(e)) => return Err(e),
            // Skipped: an earlier item failed, and its error was returned above.
            None => {}
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    /// Item `late` fails late in time, behind slow items; `early` fails at once. The
    /// error is `late`'s, the first in order, every time (rayon's `try_for_each` stops
    /// the slow side before it reaches `late`, and returns `early`'s).
    #[test]
    fn the_first_failure_in_order_wins_over_the_first_in_time() {
        let (late, early) = (400usize, 900usize);
        let run = |i: &usize| -> Result<(), usize> {
            if *i < 500 {
                std::thread::sleep(Duration::from_micros(50));
            }
            if *i == late || *i == early || *i > 950 {
                Err(*i)
            } else {
                Ok(())
            }
        };
        let items: Vec<usize> = (0..1000).collect();
        for _ in 0..5 {
            assert_eq!(try_each(items.par_iter(), run), Err(late));
            let mapped = try_map_init(items.par_iter(), || (), |_, i| run(i).map(|()| *i));
            assert_eq!(mapped, Err(late));
        }
        let fine = |i: &usize| -> Result<usize, ()> { Ok(i * 2) };
        assert_eq!(try_each(items.par_iter(), |i| fine(i).map(drop)), Ok(()));
        assert_eq!(
            try_map_init(items.par_iter(), || (), |_, i| fine(i)),
            Ok(items.iter().map(|i| i * 2).collect::<Vec<_>>())
        );
    }

    /// Items after a known failure are skipped, not all run.
    #[test]
    fn items_after_a_failure_are_skipped() {
        let ran = AtomicUsize::new(0);
        let items: Vec<usize> = (0..100_000).collect();
        let r = try_each(items.par_iter(), |i| {
            ran.fetch_add(1, Ordering::Relaxed);
            if *i == 0 {
                Err(())
            } else {
                std::thread::sleep(Duration::from_micros(20));
                Ok(())
            }
        });
        assert_eq!(r, Err(()));
        assert!(ran.load(Ordering::Relaxed) < items.len() / 2);
    }
}
