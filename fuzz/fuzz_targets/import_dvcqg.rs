//! A national-database (DVCQG) record. Must never panic: bad records become errors.
//! Not yet listed in fuzz/Cargo.toml: the importer is merged from another branch.
#![no_main]
use libfuzzer_sys::fuzz_target;
use std::path::Path;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let _ = niemyet::import::dvcqg::parse_record(Path::new("1.000001.txt"), text);
});
