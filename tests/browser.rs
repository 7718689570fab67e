//! Browser behaviour in real headless Chromium (Debian's `chromium`, driven by
//! playwright-core from tests/browser/). Skipped loudly without Chromium, except in CI.

mod common;
use common::*;

#[test]
fn example_pages_work_on_phones_from_disk_and_on_paper() {
    if !chromium_available() {
        return;
    }
    let s = example();
    s.build(&[]).ok();
    node("pages.mjs", &[s.out().to_str().unwrap()]);
}
