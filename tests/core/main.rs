//! Integration tests of the core over real (temporary) book files.

mod about;
mod agenda;
mod audience;
mod backups;
mod bindings;
mod customers;
mod erasure;
mod history;
mod import;
mod import_files;
mod insights;
mod insights_by_hand;
mod list_orders;
mod mailing;
mod membership;
mod merge;
mod print;
mod purchases;
mod safety;
mod search;
mod session;
mod standing;
mod transfer;
