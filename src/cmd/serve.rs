//! `niemyet serve`: the live preview (see [`crate::serve`]).

use crate::serve::session::{self, ServeArgs};
use std::path::PathBuf;

/// Runs the preview until killed. Returns the exit code: 2 for bad arguments or a port
/// that cannot be listened on.
pub fn run(root: PathBuf, port: u16, bind: String, open: bool, today: Option<&str>) -> i32 {
    let today = match today.map(|s| super::parse_today(Some(s))).transpose() {
        Ok(t) => t,
        Err(e) => {
            eprintln!("{}: {e}", crate::diag::word(crate::diag::Severity::Error));
            return 2;
        }
    };
    let args = ServeArgs {
        root,
        port,
        bind,
        open,
        today,
    };
    match session::run(&args) {
        Ok(()) => 0,
        Err(e) => {
            eprintln!("{}: {e}", crate::diag::word(crate::diag::Severity::Error));
            2
        }
    }
}
