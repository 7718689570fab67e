//! niemyet: a static-site generator for Vietnam's administrative procedures.
