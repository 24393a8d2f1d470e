//! `loupe export labels` and `loupe print receipt|card`: the PDFs the window prints, written
//! by the core.

use std::sync::atomic::AtomicBool;

use loupe_core::model::MailingFilter;
use loupe_core::{Book, Error};
use serde_json::json;

use crate::args::{LabelsArgs, PrintCommand};
use crate::output::{Progress, report};

/// Prints the postal mailing list the flags select as address labels.
pub fn labels(book: &mut Book, args: LabelsArgs) -> Result<(), Error> {
    let filter = MailingFilter {
        channel: args.channel,
        audience: super::segments::audience_filter(book, args.audience)?,
    };
    let mut progress = Progress::default();
    let printed =
        book.export_labels(&filter, args.layout, &args.out, &AtomicBool::new(false), progress.job("labels"))?;
    progress.finish();
    report(args.json, &printed, || {
        format!(
            "printed {} labels on {} pages to {}; left out: {} without consent, {} without an address",
            printed.labels,
            printed.pages,
            printed.file,
            printed.excluded_no_consent,
            printed.excluded_no_address
        )
    });
    Ok(())
}

pub fn run(book: &mut Book, command: PrintCommand) -> Result<(), Error> {
    let (out, json) = match command {
        PrintCommand::Receipt { purchase_id, out, lang, json } => {
            book.print_receipt(purchase_id, lang, &out)?;
            (out, json)
        }
        PrintCommand::Card { customer_id, out, lang, json } => {
            book.print_card(customer_id, lang, &out)?;
            (out, json)
        }
    };
    let file = out.display().to_string();
    report(json, &json!({ "file": file }), || format!("wrote {file}"));
    Ok(())
}
