//! Helpers shared by the integration tests.
#![allow(dead_code)]

use std::path::PathBuf;

/// The shared folder (spec, domain notes, real data): `$NIEMYET_SHARED` if set, else
/// `../shared` next to the crate, else `/work/shared`.
pub fn shared_dir() -> PathBuf {
    if let Some(dir) = std::env::var_os("NIEMYET_SHARED") {
        return PathBuf::from(dir);
    }
    let beside = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared");
    if beside.is_dir() {
        return beside;
    }
    PathBuf::from("/work/shared")
}

/// The 5,652 real records of the national procedure database.
pub fn dvcqg_dir() -> PathBuf {
    shared_dir().join("data/dvcqg")
}
