//! niemyet: a static-site generator for Vietnam's administrative procedures.
pub mod import;
