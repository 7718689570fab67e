//! A national-database (DVCQG) record: parsing, and writing our format from what parsed.
//! Must never panic: bad records become errors.
#![no_main]
use libfuzzer_sys::fuzz_target;
use std::path::Path;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(record) = niemyet::import::dvcqg::parse_record(Path::new("1.000001.txt"), text) {
        let _ = niemyet::import::dvcqg::record_to_toml(&record);
    }
});
