//! Mailing lists.

use loupe_core::model::{JobProgress, MailingExport, MailingFileOptions, MailingFilter, MailingPreview};

use crate::contract::commands;
use crate::dialogs::{Dialog, choose_save_file};
use crate::files::{FileToken, FileUse};
use crate::state::{CommandError, State, chosen_path, run_job, with_book};

commands! {
    /// Who a mailing list would reach and who it leaves out, before anything is written.
    fn preview_mailing_list(state: State<'_>; filter: MailingFilter) -> MailingPreview {
        with_book(&state, move |book| book.preview_mailing_list(&filter)).await
    }

    /// Where to write a mailing list, chosen in the system's save dialog.
    fn choose_export_file(app: tauri::AppHandle, state: State<'_>; suggested: String, title: String) -> Option<FileToken> {
        choose_save_file(app, &state, Dialog::MailingListFile, title, suggested).await
    }

    /// Writes the list to `file` (a token of `choose_export_file`); with `campaign`, records it
    /// as that campaign once the whole file is written.
    fn export_mailing_list(
        state: State<'_>;
        filter: MailingFilter, options: MailingFileOptions, file: String, campaign: Option<String>;
        progress: JobProgress
    ) -> MailingExport {
        let path = chosen_path(&state, &file, FileUse::Save)?;
        let shown = state.files.issue(path.clone(), FileUse::Save).map_err(CommandError)?.name;
        let written = run_job(&state, progress, Box::new(move |book, cancel, progress| match &campaign {
            Some(campaign) => {
                book.export_mailing_list_as_campaign(&filter, &options, campaign, &path, cancel, progress)
            }
            None => book.export_mailing_list(&filter, &options, &path, cancel, progress),
        }))
        .await?;
        Ok(MailingExport { file: shown, ..written })
    }
}
