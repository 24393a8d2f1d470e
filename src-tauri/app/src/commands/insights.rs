//! Insights: the numbers of a period for an audience, read on a connection of their own so that
//! a save never waits for them; campaigns and other marketing expenses; a chart's numbers saved
//! as CSV.

use loupe_core::model::{
    Campaign, CampaignDraft, CampaignResult, CsvTable, Expense, ExpenseDraft, Insights, InsightsQuery,
};

use crate::contract::commands;
use crate::dialogs::{Dialog, choose_save_file};
use crate::files::{FileToken, FileUse};
use crate::state::{CommandError, State, blocking, chosen_path, with_book, with_reader};

commands! {
    /// Every number of the period for the audience, with the period before's, the months,
    /// cohorts, brands and categories.
    fn insights(state: State<'_>; query: InsightsQuery) -> Insights {
        with_reader(&state, move |book| book.insights(&query)).await
    }

    /// Every campaign, newest first.
    fn campaigns(state: State<'_>;) -> Vec<Campaign> {
        with_book(&state, |book| book.campaigns()).await
    }

    /// What each campaign brought, newest first; read on a connection of its own, as `insights`.
    fn campaign_results(state: State<'_>;) -> Vec<CampaignResult> {
        with_reader(&state, |book| book.campaign_results()).await
    }

    /// Records a campaign with its day and cost.
    fn add_campaign(state: State<'_>; draft: CampaignDraft) -> Campaign {
        with_book(&state, move |book| book.add_campaign(&draft)).await
    }

    /// Records other marketing spend (a fair stand, an advert).
    fn add_expense(state: State<'_>; draft: ExpenseDraft) -> Expense {
        with_book(&state, move |book| book.add_expense(&draft)).await
    }

    /// Every other marketing expense, newest first.
    fn expenses(state: State<'_>;) -> Vec<Expense> {
        with_book(&state, |book| book.expenses()).await
    }

    /// The system's save dialog for a table's CSV, with `suggested` as the name.
    fn choose_table_file(app: tauri::AppHandle, state: State<'_>; suggested: String, title: String) -> Option<FileToken> {
        choose_save_file(app, &state, Dialog::TableFile, title, suggested).await
    }

    /// Writes a chart's numbers to `file` (a token of `choose_table_file`); returns where.
    fn save_table(state: State<'_>; table: CsvTable, file: String) -> String {
        let path = chosen_path(&state, &file, FileUse::Save)?;
        let shown = path.display().to_string();
        blocking(move || loupe_core::write_table_csv(&path, &table).map_err(CommandError::from)).await?;
        Ok(shown)
    }
}
