//! `loupe`: the customer book from the command line, for scripts, benchmarks and support.
//! Every command is a thin adapter over `loupe_core::Book`.

mod args;

use std::io::{IsTerminal, Write};
use std::process::ExitCode;

use args::{
    AddCustomerArgs, AddPurchaseArgs, Cli, Command, CustomersCommand, EditCustomerArgs, ExportCommand,
    ImportCommand, ImportContactsArgs, InteractionsCommand, MailingListArgs, NotesCommand, PurchasesCommand,
    SatisfactionCommand, WishesCommand,
};
use chrono::NaiveDate;
use clap::Parser;
use loupe_core::backup::BackupKind;
use loupe_core::import::{
    DateColumn, DateDecision, DateOrder, ImportOptions, ImportProgress, RejectedRowsWording, RowOutcome,
};
use loupe_core::model::{
    BookStats, Channel, Consent, ConsentStatus, Customer, CustomerDraft, CustomerStory, CustomerTotals,
    EmailEntry, Interaction, InteractionDraft, JobProgress, MailingFileOptions, MailingFilter, Note,
    NoteDraft, OpenWish, PhoneEntry, Purchase, PurchaseDraft, PurchaseItem, SatisfactionDraft,
    SatisfactionScore, Wish, WishDraft,
};
use loupe_core::transfer::{BookImportOptions, TransferProgress, TransferStage};
use loupe_core::{Book, Error};
use rust_decimal::Decimal;
use std::sync::atomic::{AtomicBool, Ordering};

/// Prints a line of the command's answer. A reader that stops reading early (`loupe … | head`)
/// gets no more lines and no complaint, as with other Unix tools; the command still ends with
/// its own status (`loupe check` of a damaged book still fails).
macro_rules! say {
    ($($arg:tt)*) => { write_answer_line(format_args!($($arg)*)) };
}

/// Set once stdout's reader has gone.
static READER_GONE: AtomicBool = AtomicBool::new(false);

fn write_answer_line(line: std::fmt::Arguments) {
    if READER_GONE.load(Ordering::Relaxed) {
        return;
    }
    if let Err(error) = writeln!(std::io::stdout().lock(), "{line}") {
        if error.kind() == std::io::ErrorKind::BrokenPipe {
            READER_GONE.store(true, Ordering::Relaxed);
            return;
        }
        eprintln!("loupe: cannot write the answer: {error}");
        std::process::exit(1);
    }
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(error) if !error.use_stderr() => error.exit(), // --help, --version
        Err(error) => {
            eprintln!("loupe: {}", one_line_usage_error(&error));
            return ExitCode::from(2);
        }
    };
    match run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("loupe: {error}");
            if error.is_user_error() { ExitCode::from(2) } else { ExitCode::FAILURE }
        }
    }
}

/// Clap's message without the usage block and help hint, joined into one line, like every
/// other user error.
fn one_line_usage_error(error: &clap::Error) -> String {
    if error.kind() == clap::error::ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand {
        return "a command is missing (see loupe --help)".to_string();
    }
    let text = error.to_string();
    let message: Vec<&str> = text
        .lines()
        .take_while(|line| !line.starts_with("Usage:") && !line.starts_with("For more information"))
        .map(str::trim)
        .filter(|line| !line.is_empty())
        .collect();
    message.join(" ").trim_start_matches("error: ").to_string()
}

fn run(cli: Cli) -> Result<(), Error> {
    let path = match cli.db {
        Some(path) => path,
        None => loupe_core::default_path()?,
    };
    if std::io::stderr().is_terminal() {
        say_when_waiting();
    }
    // Commands that only read never create a book where there was none.
    let mut book = match &cli.command {
        Command::Customers(CustomersCommand::Add(_)) | Command::Demo { .. } => Book::open(&path)?,
        Command::Import(ImportCommand::Contacts(args)) if !args.dry_run => Book::open(&path)?,
        // A new machine restores into a book that does not exist yet.
        Command::Restore { dry_run: false, .. } => Book::open(&path)?,
        Command::Restore { dry_run: true, .. } if !path.exists() => Book::open_in_memory()?,
        // Moving to a new machine starts without a book.
        Command::Import(ImportCommand::Book { .. }) => Book::open(&path)?,
        // A dry run before there is a book: as if into an empty one, creating nothing.
        Command::Import(ImportCommand::Contacts(_)) if !path.exists() => Book::open_in_memory()?,
        // A sale needs an existing customer, so it needs an existing book.
        _ => Book::open_existing(&path)?,
    };
    match cli.command {
        Command::Customers(CustomersCommand::Add(args)) => {
            let json = args.json;
            let customer = book.create_customer(draft_from_args(args))?;
            if json {
                print_json(&customer);
            } else {
                say!("added customer {}: {}", customer.id, customer.profile.full_name);
            }
        }
        Command::Customers(CustomersCommand::Search { query, limit, json }) => {
            let rows = book.search_customers(&query, usize::from(limit))?;
            if json {
                let full: Vec<_> = rows.iter().map(|row| book.customer(row.id)).collect::<Result<_, _>>()?;
                print_json(&full);
            } else {
                for row in rows {
                    say!(
                        "{:>7}  {:<32} {:<9} {:<28} {}",
                        row.id,
                        row.full_name,
                        row.customer_type,
                        row.primary_email.unwrap_or_default(),
                        row.primary_phone.unwrap_or_default()
                    );
                }
            }
        }
        Command::Customers(CustomersCommand::Edit(args)) => {
            let json = args.json;
            let customer = edit_customer(&mut book, args)?;
            if json {
                print_json(&customer);
            } else {
                print_profile(&customer);
            }
        }
        Command::Customers(CustomersCommand::Erase { id, json }) => {
            let summary = book.erase_customer(id)?;
            report(json, &summary, || {
                let backups = match summary.backups_holding {
                    0 => String::new(),
                    1 => "; 1 earlier backup still holds them (restoring it erases them again)".to_string(),
                    n => format!("; {n} earlier backups still hold them (restoring one erases them again)"),
                };
                format!(
                    "erased customer {id} ({}); kept as hashes: {} emails, {} phones{backups}",
                    summary.name, summary.suppressed_emails, summary.suppressed_phones
                )
            });
        }
        Command::Export(ExportCommand::MailingList(args)) => export_mailing_list(&book, args)?,
        Command::Backup { out, list, json } => {
            if list {
                let backups = book.backups()?;
                report(json, &backups, || {
                    backups
                        .iter()
                        .map(|backup| {
                            format!("{}  {:>12} bytes  {}", backup.created_at, backup.bytes, backup.path)
                        })
                        .collect::<Vec<_>>()
                        .join("\n")
                });
            } else {
                let mut line = progress_line();
                let mut show = line.job("backing up");
                let backup = match out {
                    Some(out) => {
                        let bytes = book.backup_to(&out, &mut show)?;
                        serde_json::json!({ "path": out.display().to_string(), "bytes": bytes })
                    }
                    None => serde_json::to_value(book.back_up(BackupKind::Manual, &mut show)?)
                        .map_err(|error| Error::Io { path: "<json>".into(), source: error.into() })?,
                };
                drop(show);
                line.finish();
                report(json, &backup, || {
                    format!(
                        "backed up to {} ({} bytes)",
                        backup["path"].as_str().unwrap_or_default(),
                        backup["bytes"]
                    )
                });
            }
        }
        Command::Restore { file, dry_run, json } => {
            if dry_run {
                let contents = loupe_core::backup::inspect_backup(&file)?;
                report(json, &contents, || {
                    format!("{} holds {}", file.display(), describe_stats(&contents.stats))
                });
            } else {
                let mut line = progress_line();
                let summary = book.restore_backup(&file, line.job("restoring"))?;
                line.finish();
                report(json, &summary, || {
                    format!(
                        "restored {} ({}); the book as it was is kept in {}{}",
                        file.display(),
                        describe_stats(&summary.restored.stats),
                        summary.safety_backup.path,
                        if summary.erased_again > 0 {
                            format!(
                                "; {} customers erased since that backup were erased again",
                                summary.erased_again
                            )
                        } else {
                            String::new()
                        }
                    )
                });
            }
        }
        Command::Check { json } => {
            let problems = book.integrity_problems(false)?;
            report(json, &serde_json::json!({ "ok": problems.is_empty(), "problems": problems }), || {
                if problems.is_empty() { "ok".to_string() } else { problems.join("\n") }
            });
            if !problems.is_empty() {
                return Err(Error::Damaged {
                    path: path.display().to_string(),
                    problem: problems.join("; "),
                });
            }
        }
        Command::Customers(CustomersCommand::Show { id, json }) => {
            let story = book.customer_story(id)?;
            if json {
                print_json(&CustomerFile::from(&story));
            } else {
                print_profile(&story.customer);
                print_purchases(&story.purchases, &story.totals);
                print_history(&story);
            }
        }
        Command::Purchases(PurchasesCommand::Add(args)) => {
            let json = args.json;
            let customer_id = args.customer_id;
            let purchase = book.add_purchase(customer_id, purchase_from_args(args)?)?;
            if json {
                print_json(&purchase);
            } else {
                say!(
                    "recorded sale {} to customer {customer_id}: {} {}",
                    purchase.id,
                    purchase.sale.currency,
                    purchase.total
                );
            }
        }
        Command::Purchases(PurchasesCommand::List { customer_id, json }) => {
            let purchases = book.purchases(customer_id)?;
            let totals = book.customer_totals(customer_id)?;
            if json {
                print_json(&serde_json::json!({ "purchases": purchases, "totals": totals }));
            } else {
                print_purchases(&purchases, &totals);
            }
        }
        Command::Notes(NotesCommand::Add { customer_id, body, category, pinned, date, json }) => {
            let noted_on = date.unwrap_or_else(loupe_core::today);
            let note = book.add_entry(customer_id, NoteDraft { category, body, pinned, noted_on })?;
            report(json, &note, || format!("added note {} to customer {customer_id}", note.id));
        }
        Command::Notes(NotesCommand::List { customer_id, json }) => {
            let notes = book.entries::<NoteDraft>(customer_id)?;
            if json {
                print_json(&notes);
            } else {
                for note in &notes {
                    print_note(note);
                }
            }
        }
        Command::Notes(NotesCommand::Delete { note_id, json }) => {
            let customer_id = book.delete_entry::<NoteDraft>(note_id)?;
            let deleted = serde_json::json!({ "id": note_id, "customer_id": customer_id, "deleted": true });
            report(json, &deleted, || format!("deleted note {note_id} of customer {customer_id}"));
        }
        Command::Interactions(InteractionsCommand::Add {
            customer_id,
            kind,
            direction,
            summary,
            outcome,
            campaign,
            date,
            json,
        }) => {
            let occurred_on = date.unwrap_or_else(loupe_core::today);
            let draft = InteractionDraft { kind, direction, occurred_on, summary, outcome, campaign };
            let interaction = book.add_entry(customer_id, draft)?;
            report(json, &interaction, || {
                format!("recorded {kind} {} with customer {customer_id}", interaction.id)
            });
        }
        Command::Wishes(WishesCommand::Add {
            customer_id,
            brand,
            model,
            reference,
            budget_min,
            budget_max,
            currency,
            notes,
            status,
            date,
            json,
        }) => {
            let draft = WishDraft {
                brand,
                model,
                reference_number: reference,
                budget_min,
                budget_max,
                currency,
                notes,
                status,
                requested_on: date.unwrap_or_else(loupe_core::today),
                closed_on: None,
            };
            let wish = book.add_entry(customer_id, draft)?;
            report(json, &wish, || format!("added wish {} for customer {customer_id}", wish.id));
        }
        Command::Wishes(WishesCommand::Open { filter, limit, json }) => {
            let wishes = book.open_wishes(&filter, limit)?;
            if json {
                print_json(&wishes);
            } else {
                for open in &wishes {
                    print_open_wish(open);
                }
            }
        }
        Command::Satisfaction(SatisfactionCommand::Add { customer_id, score, comment, date, json }) => {
            let scored_on = date.unwrap_or_else(loupe_core::today);
            let scored = book.add_entry(customer_id, SatisfactionDraft { score, scored_on, comment })?;
            report(json, &scored, || format!("recorded score {score}/5 for customer {customer_id}"));
        }
        Command::Import(ImportCommand::Contacts(args)) => import_contacts(&mut book, args)?,
        Command::Import(ImportCommand::Undo { batch_id, json }) => {
            let undone = book.undo_import(batch_id)?;
            report(json, &undone, || {
                format!("undid import {batch_id}: {} removed, {} restored", undone.removed, undone.restored)
            });
        }
        Command::Import(ImportCommand::List { json }) => {
            let batches = book.import_batches()?;
            if json {
                print_json(&batches);
            } else {
                for batch in batches {
                    say!(
                        "#{:<5} {}  {:<40} created {}, merged {}, duplicates {}, rejected {}{}",
                        batch.id,
                        batch.imported_at,
                        batch.file_name,
                        batch.created,
                        batch.merged,
                        batch.duplicates_in_file,
                        batch.rejected,
                        batch.undone_at.map(|when| format!(", undone {when}")).unwrap_or_default()
                    );
                }
            }
        }
        Command::Import(ImportCommand::Book { dir, merge, json }) => {
            let mut show = progress_line();
            let options = BookImportOptions { merge };
            let summary =
                book.import_book(&dir, &options, &AtomicBool::new(false), |progress| show.transfer(progress));
            show.finish();
            let summary = summary?;
            report(json, &summary, || {
                if summary.merged_into_existing {
                    format!(
                        "merged {}: {} new customers, {} merged into customers already here, {} erased people left out ({} fields kept the book's value; batch {}); the book as it was is backed up in {}",
                        dir.display(),
                        summary.customers_created,
                        summary.customers_merged,
                        summary.erased_left_out,
                        summary.conflicts,
                        summary.batch_id.unwrap_or_default(),
                        summary.safety_backup.as_ref().map(|backup| backup.path.as_str()).unwrap_or_default()
                    )
                } else {
                    format!(
                        "restored {} customers ({} rows) from {} into {}",
                        summary.customers_created,
                        summary.rows_read,
                        dir.display(),
                        book.path().display()
                    )
                }
            });
        }
        Command::Export(ExportCommand::Book { out, json }) => {
            let mut show = progress_line();
            let summary = book.export_book(&out, &AtomicBool::new(false), |progress| show.transfer(progress));
            show.finish();
            let summary = summary?;
            report(json, &summary, || {
                format!(
                    "exported {} customers ({} rows in {} files) to {}",
                    summary.manifest.rows_of("customers"),
                    summary.manifest.total_rows(),
                    summary.manifest.files.len(),
                    out.display()
                )
            });
        }
        Command::Stats { json } => {
            let stats = book.stats()?;
            if json {
                print_json(&stats);
            } else if let serde_json::Value::Object(counts) = serde_json::json!(stats) {
                for (kind, count) in counts {
                    say!("{kind:<20} {count}");
                }
            }
        }
        Command::Demo { customers, purchases, seed } => {
            let purchases = purchases.unwrap_or(customers * 3);
            let mut line = progress_line();
            let added = book.generate_demo(customers, purchases, seed, |done| {
                line.show("generating demo customers", done as u64, customers as u64);
            })?;
            line.finish();
            say!(
                "added {} demo customers with {} purchases to {}",
                added.customers,
                added.purchases,
                book.path().display()
            );
        }
    }
    Ok(())
}

fn draft_from_args(args: AddCustomerArgs) -> CustomerDraft {
    let mut draft = CustomerDraft::named(args.name);
    draft.customer_type = args.customer_type;
    draft.company = args.company.unwrap_or_default();
    draft.emails = args
        .emails
        .into_iter()
        .enumerate()
        .map(|(index, address)| EmailEntry { label: String::new(), address, primary: index == 0 })
        .collect();
    draft.phones = args
        .phones
        .into_iter()
        .enumerate()
        .map(|(index, number)| PhoneEntry { label: String::new(), number, e164: None, primary: index == 0 })
        .collect();
    draft.tags = args.tags;
    if let Some(source) = args.email_opt_in {
        draft.consents.push(Consent::given_today(Channel::Email, ConsentStatus::OptedIn, source));
    }
    draft
}

/// Applies the flags to the customer's profile and saves it through the same checks as the
/// window. Removals come first, so that `--remove-email a@x.com --add-email A@x.com` recases.
fn edit_customer(book: &mut Book, args: EditCustomerArgs) -> Result<Customer, Error> {
    let id = args.id;
    let region = book.settings()?.default_region;
    let mut draft = book.customer(id)?.profile;
    let missing = |flag: &str, what: &str, value: &str| {
        Error::invalid(flag, format!("customer {id} has no {what} '{value}'"))
    };
    for address in &args.remove_emails {
        if !draft.remove_email(address) {
            return Err(missing("--remove-email", "email", address));
        }
    }
    for number in &args.remove_phones {
        if !draft.remove_phone(number, &region) {
            return Err(missing("--remove-phone", "phone", number));
        }
    }
    for tag in &args.remove_tags {
        if !draft.remove_tag(tag) {
            return Err(missing("--remove-tag", "tag", tag));
        }
    }
    let fields = [
        (args.name, &mut draft.full_name),
        (args.given_name, &mut draft.given_name),
        (args.family_name, &mut draft.family_name),
        (args.company, &mut draft.company),
        (args.job_title, &mut draft.job_title),
        (args.language, &mut draft.language),
    ];
    for (value, field) in fields {
        if let Some(value) = value {
            *field = value;
        }
    }
    if let Some(customer_type) = args.customer_type {
        draft.customer_type = customer_type;
    }
    draft.emails.extend(args.add_emails.into_iter().map(|address| EmailEntry {
        label: String::new(),
        address,
        primary: false,
    }));
    draft.phones.extend(args.add_phones.into_iter().map(|number| PhoneEntry {
        label: String::new(),
        number,
        e164: None,
        primary: false,
    }));
    draft.tags.extend(args.add_tags);
    book.update_customer(id, draft)
}

/// `customers show --json`: the profile with its totals and whole history.
#[derive(serde::Serialize)]
struct CustomerFile<'a> {
    #[serde(flatten)]
    customer: &'a Customer,
    totals: &'a CustomerTotals,
    purchases: &'a [Purchase],
    notes: &'a [Note],
    interactions: &'a [Interaction],
    wishes: &'a [Wish],
    satisfaction: &'a [SatisfactionScore],
}

impl<'a> From<&'a CustomerStory> for CustomerFile<'a> {
    fn from(story: &'a CustomerStory) -> Self {
        CustomerFile {
            customer: &story.customer,
            totals: &story.totals,
            purchases: &story.purchases,
            notes: &story.notes,
            interactions: &story.interactions,
            wishes: &story.wishes,
            satisfaction: &story.satisfaction,
        }
    }
}

fn import_contacts(book: &mut Book, args: ImportContactsArgs) -> Result<(), Error> {
    let mapping = match &args.mapping {
        None => None,
        Some(path) => {
            let text = std::fs::read_to_string(path)
                .map_err(|source| Error::Io { path: path.display().to_string(), source })?;
            Some(serde_json::from_str(&text).map_err(|error| Error::ImportFile {
                file: path.display().to_string(),
                problem: format!("not a column mapping: {error}").into(),
            })?)
        }
    };
    let order = match args.date_order.as_deref() {
        None => None,
        Some("day-first" | "dmy") => Some(DateOrder::DayFirst),
        Some("month-first" | "mdy") => Some(DateOrder::MonthFirst),
        Some(other) => {
            return Err(Error::invalid("--date-order", format!("'{other}' is not day-first or month-first")));
        }
    };
    let mut options = ImportOptions {
        encoding: args.encoding,
        delimiter: args.delimiter,
        mapping,
        region: args.region,
        date_orders: Vec::new(),
        unknown_columns_to_note: args.unknown_to_note,
        confirmed_matches: args.confirm,
    };
    let cancel = AtomicBool::new(false);
    let mut line = progress_line();
    let reading = format!("reading {}", args.file.display());
    let mut show = |progress: ImportProgress| line.rows(&reading, progress);
    if let Some(order) = order {
        // The order applies to every date column the file has.
        let preview = book.preview_import(&args.file, &options, &cancel, |_| {})?;
        options.date_orders = preview
            .dates
            .into_iter()
            .map(|date| DateColumn { order, decided_by: DateDecision::Chosen, ..date })
            .collect();
    }
    let output = if args.dry_run {
        let preview = book.preview_import(&args.file, &options, &cancel, &mut show)?;
        line.finish();
        let counts = preview.counts;
        serde_json::json!({
            "dry_run": true,
            "file": preview.file_name,
            "encoding": preview.encoding,
            "delimiter": preview.delimiter,
            "mapping": preview.mapping,
            "dates": preview.dates,
            "rows": counts.rows,
            "created": counts.new + counts.likely_matches,
            "merged": counts.merge,
            "duplicates_in_file": counts.duplicates_in_file,
            "likely_matches": preview.rows.iter().filter(|row| matches!(row.outcome, RowOutcome::LikelyMatch { .. })).collect::<Vec<_>>(),
            "rejected": counts.rejected,
            "erased": counts.erased,
            "batch_id": null,
            "rejected_rows": preview.rejected_rows,
            "warning_count": counts.warnings,
            "warnings": preview.warnings,
        })
    } else {
        let summary = book.commit_import(&args.file, &options, &cancel, &mut show)?;
        line.finish();
        serde_json::json!({
            "dry_run": false,
            "file": summary.file_name,
            "created": summary.created,
            "merged": summary.merged,
            "duplicates_in_file": summary.duplicates_in_file,
            "likely_matches": summary.likely_matches,
            "rejected": summary.rejected,
            "erased": summary.erased,
            "batch_id": summary.batch_id,
            "rejected_rows": summary.rejected_rows,
            "warning_count": summary.warning_count,
            "warnings": summary.warnings,
            "conflicts": summary.conflicts,
        })
    };
    if let Some(out) = &args.rejected_out {
        book.write_rejected_rows(&args.file, &options, &RejectedRowsWording::default(), false, out)?;
    }
    if args.json {
        print_json(&output);
    } else {
        let verb = if args.dry_run { "would import" } else { "imported" };
        say!(
            "{verb} {}: {} new, {} merged, {} duplicates in the file, {} rejected, {} erased people left out{}",
            output["file"].as_str().unwrap_or_default(),
            output["created"],
            output["merged"],
            output["duplicates_in_file"],
            output["rejected"],
            output["erased"],
            output["batch_id"]
                .as_i64()
                .map(|id| format!(" (batch {id}; undo with `loupe import undo {id}`)"))
                .unwrap_or_default()
        );
        for rejected in output["rejected_rows"].as_array().into_iter().flatten() {
            say!("  rejected line {}: {}", rejected["line"], rejected["reason"].as_str().unwrap_or_default());
        }
        let warnings = output["warnings"].as_array().map_or(&[][..], Vec::as_slice);
        for warning in warnings {
            say!("  warning, line {}: {}", warning["line"], warning["reason"].as_str().unwrap_or_default());
        }
        let unlisted = output["warning_count"].as_u64().unwrap_or(0).saturating_sub(warnings.len() as u64);
        if unlisted > 0 {
            say!("  … and {unlisted} more warnings");
        }
    }
    Ok(())
}

fn export_mailing_list(book: &Book, args: MailingListArgs) -> Result<(), Error> {
    let filter = MailingFilter {
        channel: args.channel,
        customer_type: args.customer_type,
        tags: args.tags,
        language: args.language,
        min_spend: args.min_spend,
        max_spend: args.max_spend,
        bought_since: args.bought_since,
        not_bought_since: args.not_bought_since,
        brand: args.brand,
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
    let mut line = progress_line();
    let written = book.export_mailing_list(&filter, &options, &out, &cancel, line.job("writing"))?;
    line.finish();
    report(args.json, &written, || {
        format!(
            "wrote {} people to {}; left out: {} without consent, {} without an address",
            written.rows, written.file, written.excluded_no_consent, written.excluded_no_address
        )
    });
    Ok(())
}

fn describe_stats(stats: &BookStats) -> String {
    format!(
        "{} customers, {} purchases, {} notes, {} contacts, {} wishes",
        stats.customers, stats.purchases, stats.notes, stats.interactions, stats.wishes
    )
}

/// Prints one line to stderr each time the book has been held by another job (the window,
/// another `loupe` command) for a second: the command waits for it rather than fail.
fn say_when_waiting() {
    let watch = || {
        let mut said = false;
        loop {
            std::thread::sleep(std::time::Duration::from_millis(250));
            match loupe_core::waiting_for_another_job() {
                Some(waited) if waited >= std::time::Duration::from_secs(1) && !said => {
                    eprintln!(
                        "\rloupe: waiting for another job on this book (the Loupe window or another loupe command)…\x1b[K"
                    );
                    said = true;
                }
                None => said = false,
                Some(_) => {}
            }
        }
    };
    // Without the watcher the command still waits, silently.
    let _ = std::thread::Builder::new().name("waiting".into()).spawn(watch);
}

/// The progress of a long job, rewritten in place on stderr when it is a terminal (so
/// scripts that read stderr see only errors).
struct ProgressLine {
    terminal: bool,
    /// The label and percentage on screen: the line is rewritten only when one changes.
    shown: Option<(String, u64)>,
}

fn progress_line() -> ProgressLine {
    ProgressLine { terminal: std::io::stderr().is_terminal(), shown: None }
}

impl ProgressLine {
    fn show(&mut self, label: &str, done: u64, total: u64) {
        self.write(label, done * 100 / total.max(1), || format!("{done}/{total}"));
    }

    /// An import: how far through the file, and the rows read so far.
    fn rows(&mut self, label: &str, progress: ImportProgress) {
        let percent = progress.bytes_read * 100 / progress.file_size.max(1);
        self.write(label, percent, || format!("{} rows", progress.rows));
    }

    fn write(&mut self, label: &str, percent: u64, detail: impl FnOnce() -> String) {
        let unchanged = self.shown.as_ref().is_some_and(|(shown, at)| shown == label && *at == percent);
        if !self.terminal || unchanged {
            return;
        }
        self.shown = Some((label.to_string(), percent));
        let _ = write!(std::io::stderr(), "\r{label}: {percent:>3}% ({})\x1b[K", detail());
    }

    fn transfer(&mut self, progress: TransferProgress) {
        let label = match progress.stage {
            TransferStage::BackingUp => "backing up the book first",
            TransferStage::Writing => "writing files",
            TransferStage::Verifying => "checking files",
            TransferStage::Loading => "reading rows",
            TransferStage::Merging => "merging customers",
            TransferStage::Indexing => "indexing for search",
        };
        self.show(label, progress.done, progress.total);
    }

    fn job(&mut self, label: &'static str) -> impl FnMut(JobProgress) + '_ {
        move |progress| self.show(label, progress.done, progress.total)
    }

    fn finish(&self) {
        if self.terminal && self.shown.is_some() {
            let _ = writeln!(std::io::stderr());
        }
    }
}

/// JSON of what was written, or one line saying so.
fn report(json: bool, value: &impl serde::Serialize, line: impl FnOnce() -> String) {
    if json {
        print_json(value);
    } else {
        say!("{}", line());
    }
}

fn purchase_from_args(args: AddPurchaseArgs) -> Result<PurchaseDraft, Error> {
    let items = args
        .items
        .iter()
        .enumerate()
        .map(|(index, spec)| {
            parse_item(spec).map_err(|message| Error::invalid(format!("--item {}", index + 1), message))
        })
        .collect::<Result<Vec<_>, _>>()?;
    Ok(PurchaseDraft {
        purchased_on: args.date,
        currency: args.currency.unwrap_or_default(),
        payment_method: args.payment,
        channel: args.channel,
        salesperson: args.salesperson,
        notes: args.notes,
        items,
    })
}

/// Reads "key=value,key=value" into an item; price is required, the rest optional.
fn parse_item(spec: &str) -> Result<PurchaseItem, String> {
    let mut item = PurchaseItem::priced(Decimal::ZERO);
    let mut has_price = false;
    for pair in spec.split(',').map(str::trim).filter(|pair| !pair.is_empty()) {
        let (key, value) = pair.split_once('=').ok_or_else(|| format!("'{pair}' is not key=value"))?;
        let value = value.trim().to_string();
        let flag = |value: &str| match value.to_ascii_lowercase().as_str() {
            "yes" | "y" | "true" | "1" => Ok(true),
            "no" | "n" | "false" | "0" => Ok(false),
            _ => Err(format!("{key}={value}: use yes or no")),
        };
        let amount = |value: &str| loupe_core::parse_amount(key, value).map_err(|error| error.to_string());
        match key.trim().to_ascii_lowercase().as_str() {
            "category" => item.category = value.parse()?,
            "brand" => item.brand = value,
            "model" => item.model = value,
            "ref" | "reference" => item.reference_number = value,
            "serial" => item.serial_number = value,
            "material" => item.material = value,
            "condition" => item.condition = value.parse()?,
            "grade" => item.condition_grade = value,
            "box" => item.has_box = flag(&value)?,
            "papers" => item.has_papers = flag(&value)?,
            "description" => item.description = value,
            "price" => {
                item.price = amount(&value)?;
                has_price = true;
            }
            "discount" => item.discount = amount(&value)?,
            other => return Err(format!("unknown key '{other}'")),
        }
    }
    if !has_price {
        return Err("price=... is required".to_string());
    }
    Ok(item)
}

fn print_purchases(purchases: &[Purchase], totals: &CustomerTotals) {
    for summary in &totals.by_currency {
        say!(
            "  spent:    {} {} over {} purchase(s), {} to {}, average {}",
            summary.currency,
            summary.lifetime_spend,
            summary.purchases,
            summary.first_purchase,
            summary.last_purchase,
            summary.average_order
        );
    }
    for purchase in purchases {
        say!(
            "  {}  #{}  {} {}",
            purchase.sale.purchased_on,
            purchase.id,
            purchase.sale.currency,
            purchase.total
        );
        for item in &purchase.sale.items {
            say!(
                "      {} {} {} ref {} serial {}  {}",
                item.category,
                item.brand,
                item.model,
                item.reference_number,
                item.serial_number,
                item.amount()
            );
        }
    }
}

/// Notes, contact history, wishes and scores in one list, newest first.
fn print_history(story: &CustomerStory) {
    let mut lines: Vec<(NaiveDate, String)> = Vec::new();
    for note in &story.notes {
        let pin = if note.entry.pinned { " (pinned)" } else { "" };
        lines.push((note.entry.noted_on, format!("note, {}{pin}: {}", note.entry.category, note.entry.body)));
    }
    for contact in &story.interactions {
        let entry = &contact.entry;
        let outcome = if entry.outcome.is_empty() { String::new() } else { format!(" -> {}", entry.outcome) };
        lines.push((
            entry.occurred_on,
            format!("{} {}: {}{outcome}", entry.direction, entry.kind, entry.summary),
        ));
    }
    for wish in &story.wishes {
        lines.push((
            wish.entry.requested_on,
            format!("wish ({}): {}", wish.entry.status, wish_text(&wish.entry)),
        ));
    }
    for score in &story.satisfaction {
        lines.push((
            score.entry.scored_on,
            format!("satisfaction {}/5 {}", score.entry.score, score.entry.comment),
        ));
    }
    lines.sort_by_key(|(date, _)| std::cmp::Reverse(*date));
    for (date, line) in lines {
        say!("  {date}  {line}");
    }
}

fn wish_text(wish: &WishDraft) -> String {
    let what = [wish.brand.as_str(), wish.model.as_str(), wish.reference_number.as_str()]
        .into_iter()
        .filter(|part| !part.is_empty())
        .collect::<Vec<_>>()
        .join(" ");
    let budget = match (wish.budget_min, wish.budget_max) {
        (None, None) => String::new(),
        (min, max) => format!(
            ", budget {} {}-{}",
            wish.currency,
            min.map(|amount| amount.to_string()).unwrap_or_default(),
            max.map(|amount| amount.to_string()).unwrap_or_default()
        ),
    };
    format!("{what}{budget} {}", wish.notes).trim_end().to_string()
}

fn print_open_wish(open: &OpenWish) {
    let wish = &open.wish;
    say!(
        "{}  #{:<6} {:<9} customer {:>7} {:<28} {}",
        wish.entry.requested_on,
        wish.id,
        wish.entry.status,
        wish.customer_id,
        open.customer_name,
        wish_text(&wish.entry)
    );
}

fn print_note(note: &Note) {
    let entry = &note.entry;
    let mut lines = entry.body.lines();
    let first = lines.next().unwrap_or_default();
    let more = if lines.next().is_some() { " …" } else { "" };
    say!(
        "#{:<6} {}  {:<20} {:<6} {first}{more}",
        note.id,
        entry.noted_on,
        entry.category.as_str(),
        if entry.pinned { "pinned" } else { "" }
    );
}

fn print_json(value: &impl serde::Serialize) {
    match serde_json::to_string_pretty(value) {
        Ok(text) => say!("{text}"),
        Err(error) => eprintln!("loupe: cannot write JSON: {error}"),
    }
}

fn print_profile(customer: &Customer) {
    let profile = &customer.profile;
    say!("{} (#{}), {}", profile.full_name, customer.id, profile.customer_type);
    if !profile.company.is_empty() || !profile.job_title.is_empty() {
        say!("  company:  {}", format!("{} {}", profile.company, profile.job_title).trim());
    }
    if !profile.language.is_empty() {
        say!("  language: {}", profile.language);
    }
    for email in &profile.emails {
        say!("  email:    {}{}", email.address, if email.primary { " (primary)" } else { "" });
    }
    for phone in &profile.phones {
        say!(
            "  phone:    {} [{}]{}",
            phone.number,
            phone.e164.as_deref().unwrap_or("?"),
            if phone.primary { " (primary)" } else { "" }
        );
    }
    if let Some(birthday) = profile.birthday {
        say!("  birthday: {birthday}");
    }
    if !profile.tags.is_empty() {
        say!("  tags:     {}", profile.tags.join(", "));
    }
    for consent in &profile.consents {
        say!("  consent:  {} {}", consent.channel, consent.status);
    }
    say!("  created {} / updated {}", customer.created_at, customer.updated_at);
}
