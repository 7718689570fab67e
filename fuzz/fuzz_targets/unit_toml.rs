//! A unit's `_unit.toml`. Must never panic; every diagnostic must name the file.
#![no_main]
use libfuzzer_sys::fuzz_target;
use std::path::Path;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let path = Path::new("content/tinh/xa-a/_unit.toml");
    let (_unit, diags) = niemyet::content::parse_unit_text(path, text);
    for d in &diags {
        assert_eq!(&*d.loc.path, path);
    }
});
