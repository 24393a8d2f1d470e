//! Integration tests of the core over real (temporary) book files.

mod bindings;
mod customers;
mod history;
mod import;
mod purchases;
mod search;
mod transfer;
