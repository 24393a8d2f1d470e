//! Importing contacts from any CSV a dealer has: reading (read.rs), recognising columns
//! (mapping.rs), understanding values (values.rs), and the preview, commit and undo here.

mod mapping;
mod read;

pub use mapping::{AddressPart, ColumnMapping, Target};
