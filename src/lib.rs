//! niemyet: a static-site generator for Vietnam's administrative procedures.
//!
//! The data flow is the module layout: [`config`] reads `site.toml`, [`content`] the rest, [`resolve`] applies
//! adoption, overrides, dates and redirects, [`check`] adds the cross-file diagnostics,
//! [`render`] turns the resolved site into pages, [`output`] writes them atomically.
//! Each stage is a function from plain data to plain data.

pub mod check;
pub mod cmd;
pub mod config;
pub mod content;
pub mod date;
pub mod diag;
pub mod disclosure;
pub mod fingerprint;
pub mod import;
pub mod model;
pub mod output;
pub mod render;
pub mod resolve;
pub mod serve;
pub mod text;
pub mod theme;
