//! Every command the window may call, one file per feature, each written with
//! `contract::commands!` and registered here once.

mod agenda;
mod backups;
mod book;
mod customers;
mod import;
mod insights;
mod jobs;
mod mailing;
mod membership;
mod merge;
mod offsite;
mod print;
mod segments;
mod transfer;

#[cfg(test)]
use crate::contract::typescript::Signature;

/// Registers the features' commands: the Tauri handler and the contract come from this list.
macro_rules! register {
    ($($feature:ident: [$($command:ident),* $(,)?]),* $(,)?) => {
        /// The handler that routes the window's calls to the commands.
        pub fn handler() -> impl Fn(tauri::ipc::Invoke) -> bool + Send + Sync + 'static {
            tauri::generate_handler![$($($feature::$command),*),*]
        }

        /// Every registered command's signature, feature by feature.
        #[cfg(test)]
        pub fn signatures() -> Vec<Signature> {
            [$($feature::signatures()),*].into_iter().flatten().collect()
        }

        /// The registered names, to check them against the signatures.
        #[cfg(test)]
        pub const REGISTERED: &[&str] = &[$($(stringify!($command)),*),*];
    };
}

register! {
    book: [
        fixed_today, book_info, book_stats, about_loupe, open_log_folder, get_settings, update_settings, book_health,
        recover_book,
    ],
    customers: [
        list_customers, search_customers, search, count_matches, get_customer, create_customer, possible_duplicates, update_customer,
        delete_customer,
        list_tags, get_customer_story, add_entry, update_entry, delete_entry, collect_purchase, open_wishes, erase_customer,
        backups_holding_customer,
    ],
    import: [
        choose_import_file, preview_import, commit_import, undo_import, import_batches, save_import_mapping,
        save_rejected_rows,
    ],
    jobs: [cancel_job],
    mailing: [preview_mailing_list, choose_export_file, export_mailing_list],
    print: [choose_labels_file, choose_receipt_file, choose_card_file, print_labels, print_receipt, print_card],
    segments: [saved_segments, save_segment, delete_segment, segment_counts],
    membership: [points_ledger, adjust_points, redeem_points, membership_overview],
    insights: [insights, campaigns, campaign_results, add_campaign, add_expense, expenses, choose_table_file, save_table],
    agenda: [
        agenda, agenda_counts, agenda_due, customer_reminders, add_reminder, update_reminder, delete_reminder, complete_reminder,
        snooze_reminder, dismiss_reminder, add_arrival, arrivals, arrival_matches, remind_arrival, delete_arrival,
    ],
    merge: [duplicate_pairs, plan_merge, merge_customers, undo_merge, mark_distinct, unmark_distinct],
    backups: [backup_overview, back_up_now, inspect_backup, choose_restore_file, restore_backup],
    offsite: [offsite_status, choose_offsite_folder, back_up_offsite, inspect_offsite_backup, restore_offsite_backup],
    transfer: [choose_book_export_dir, choose_book_import_dir, read_book_manifest, export_book, import_book],
}

#[cfg(test)]
mod tests {
    use std::path::PathBuf;

    use ts_rs::TS;

    use super::{REGISTERED, signatures};
    use crate::contract::events;
    use crate::contract::typescript::{SHELL_FOLDER, render_contract, ts_config};
    use crate::files::FileToken;
    use crate::window::{
        BackupOverview, BackupSummary, BookExportReport, BookImportReport, DamagedBookReport, ListedBackup,
        RestoreOutcome,
    };

    #[test]
    fn every_registered_command_has_one_signature() {
        let signed: Vec<&str> = signatures().iter().map(|signature| signature.name).collect();
        assert_eq!(signed, REGISTERED, "the handler and the contract list different commands");
    }

    /// The shell's TypeScript (its types and `commands.ts`) is generated; this fails when the
    /// committed files differ. Regenerate with
    /// `LOUPE_UPDATE_BINDINGS=1 cargo test -p loupe-desktop --features e2e-hooks contract`.
    #[test]
    fn contract_bindings_are_up_to_date() {
        let cfg = ts_config();
        let mut generated: Vec<(String, String)> = Vec::new();
        macro_rules! render {
            ($($ty:ty),+ $(,)?) => {$(
                generated.push((
                    format!("{}.ts", <$ty>::ident(&cfg)),
                    <$ty>::export_to_string(&cfg).expect("a shell type renders"),
                ));
            )+};
        }
        render!(
            BackupOverview,
            BackupSummary,
            BookExportReport,
            BookImportReport,
            DamagedBookReport,
            FileToken,
            ListedBackup,
            RestoreOutcome
        );
        generated.push(("commands.ts".into(), render_contract(&signatures(), &events::signatures())));

        let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("ui/src/lib/bindings").join(SHELL_FOLDER);
        let update = std::env::var_os("LOUPE_UPDATE_BINDINGS").is_some();
        let mut stale = Vec::new();
        for (file, content) in &generated {
            let path = dir.join(file);
            if update {
                std::fs::create_dir_all(&dir).expect("create the shell's bindings folder");
                std::fs::write(&path, content).expect("write a binding");
            } else if std::fs::read_to_string(&path).ok().as_deref() != Some(content.as_str()) {
                stale.push(file.clone());
            }
        }
        let expected: Vec<&str> = generated.iter().map(|(file, _)| file.as_str()).collect();
        let extra: Vec<String> = std::fs::read_dir(&dir)
            .expect("the shell's bindings folder exists")
            .filter_map(|entry| entry.ok()?.file_name().into_string().ok())
            .filter(|name| !expected.contains(&name.as_str()))
            .collect();
        assert!(
            stale.is_empty() && extra.is_empty(),
            "the shell's TypeScript is stale ({stale:?}) or orphaned ({extra:?}); run \
             LOUPE_UPDATE_BINDINGS=1 cargo test -p loupe-desktop --features e2e-hooks contract"
        );
    }
}
