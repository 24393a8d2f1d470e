//! `loupe export mailing-list`: the customers who opted in to a channel, as a CSV file.

use std::sync::atomic::AtomicBool;

use loupe_core::model::{MailingFileOptions, MailingFilter};
use loupe_core::{Book, Error};

use crate::args::MailingListArgs;
use crate::output::{Progress, report};

/// Writes the list (recorded as a campaign with `--campaign`), or with `--dry-run` counts who
/// would be on it and who is left out.
pub fn export(book: &mut Book, args: MailingListArgs) -> Result<(), Error> {
    let filter = MailingFilter {
        channel: args.channel,
        audience: super::segments::audience_filter(book, args.audience)?,
    };
    let Some(out) = args.out.filter(|_| !args.dry_run) else {
        let preview = book.preview_mailing_list(&filter)?;
        report(args.json, &preview, || {
            format!(
                "{} of {} selected would be written; left out: {} never asked, {} opted out, {} without an address",
                preview.rows,
                preview.matching,
                preview.excluded_unknown,
                preview.excluded_opted_out,
                preview.excluded_no_address
            )
        });
        return Ok(());
    };
    let options =
        MailingFileOptions { format: args.format, spreadsheet: args.excel, delimiter: args.delimiter };
    let cancel = AtomicBool::new(false);
    let mut progress = Progress::default();
    let written = match &args.campaign {
        Some(campaign) => book.export_mailing_list_as_campaign(
            &filter,
            &options,
            campaign,
            &out,
            &cancel,
            progress.job("writing"),
        )?,
        None => book.export_mailing_list(&filter, &options, &out, &cancel, progress.job("writing"))?,
    };
    progress.finish();
    report(args.json, &written, || {
        let mut said = format!(
            "wrote {} people to {}; left out: {} without consent, {} without an address",
            written.rows, written.file, written.excluded_no_consent, written.excluded_no_address
        );
        if let Some(recorded) = &written.campaign {
            said.push_str(&format!(
                "\nrecorded {} contacts under {} campaign '{}'",
                recorded.recorded,
                if recorded.created { "the new" } else { "the" },
                recorded.campaign
            ));
            if recorded.already_recorded > 0 {
                said.push_str(&format!("; {} already had one today", recorded.already_recorded));
            }
        }
        said
    });
    Ok(())
}
