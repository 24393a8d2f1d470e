//! One module per command group, each a thin adapter from the parsed arguments to
//! `loupe_core::Book`, answering through `crate::output`.

pub mod agenda;
pub mod backup;
pub mod book;
pub mod customers;
pub mod demo;
pub mod import;
pub mod insights;
pub mod interactions;
pub mod mailing;
pub mod merge;
pub mod notes;
pub mod points;
pub mod print;
pub mod purchases;
pub mod satisfaction;
pub mod segments;
pub mod settings;
pub mod standing;
pub mod stats;
pub mod tiers;
pub mod wishes;
