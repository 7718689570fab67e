//! `site.toml`. Must never panic; every diagnostic must name the file.
#![no_main]
use libfuzzer_sys::fuzz_target;
use std::path::Path;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let path = Path::new("site.toml");
    let (_site, diags) = niemyet::content::parse_site_text(path, text);
    for d in &diags {
        assert_eq!(&*d.loc.path, path);
    }
});
