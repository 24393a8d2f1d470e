//! `loupe`: the customer book from the command line, for scripts, benchmarks and support.
//! Every command is a thin adapter over `loupe_core::Book`; this file parses the command line,
//! opens the book, hands the command to its module and turns the outcome into an exit status.

mod args;
mod commands;
mod output;

use std::io::IsTerminal;
use std::path::Path;
use std::process::ExitCode;

use clap::Parser;
use loupe_core::{Book, Error};

use args::{
    Cli, Command, CustomersCommand, ExpensesCommand, ExportCommand, ImportCommand, PrintCommand,
    StandingCommand,
};

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
    loupe_core::clock::check_today_override()?;
    let path = match cli.db {
        Some(path) => path,
        None => loupe_core::default_path()?,
    };
    if std::io::stderr().is_terminal() {
        output::say_when_waiting();
    }
    let mut book = open_book(&cli.command, &path)?;
    if reads_standing(&cli.command) {
        // Time alone moves people (to at risk, lapsed): the day's evaluation comes first.
        book.refresh_standing_if_due()?;
    }
    match cli.command {
        Command::Customers(command) => commands::customers::run(&mut book, command),
        Command::Purchases(command) => commands::purchases::run(&mut book, command),
        Command::Notes(command) => commands::notes::run(&mut book, command),
        Command::Interactions(command) => commands::interactions::run(&mut book, command),
        Command::Wishes(command) => commands::wishes::run(&mut book, command),
        Command::Satisfaction(command) => commands::satisfaction::run(&mut book, command),
        Command::Import(ImportCommand::Contacts(args)) => commands::import::contacts(&mut book, args),
        Command::Import(ImportCommand::Undo { batch_id, json }) => {
            commands::import::undo(&mut book, batch_id, json)
        }
        Command::Import(ImportCommand::List { json }) => commands::import::list(&book, json),
        Command::Import(ImportCommand::Book { dir, merge, json }) => {
            commands::book::import(&mut book, &dir, merge, json)
        }
        Command::Export(ExportCommand::MailingList(args)) => commands::mailing::export(&mut book, args),
        Command::Export(ExportCommand::Labels(args)) => commands::print::labels(&mut book, args),
        Command::Export(ExportCommand::Book { out, json }) => commands::book::export(&book, &out, json),
        Command::Print(command) => commands::print::run(&mut book, command),
        Command::Segments { command, json } => commands::segments::run(&mut book, command, json),
        Command::Backup { list: true, json, .. } => commands::backup::list(&book, json),
        Command::Backup { out, json, .. } => commands::backup::back_up(&book, out, json),
        Command::Restore { file, dry_run: true, json } => commands::backup::inspect(&file, json),
        Command::Restore { file, json, .. } => commands::backup::restore(&mut book, &file, json),
        Command::Check { json } => commands::backup::check(&book, &path, json),
        Command::Stats { json } => commands::stats::run(&book, json),
        Command::About { json } => commands::stats::about(&book, json),
        Command::Settings { command, json } => commands::settings::run(&mut book, command, json),
        Command::Standing(StandingCommand::Refresh { json }) => commands::standing::refresh(&mut book, json),
        Command::Tiers { command, json } => commands::tiers::run(&mut book, command, json),
        Command::Agenda { days, json } => commands::agenda::agenda(&mut book, days, json),
        Command::Insights { from, to, audience, json } => {
            commands::insights::insights(&book, from, to, audience, json)
        }
        Command::Campaigns { command, json } => commands::insights::campaigns(&mut book, command, json),
        Command::Expenses(ExpensesCommand::Add { on, amount, note, json }) => {
            commands::insights::add_expense(&mut book, on, amount, note, json)
        }
        Command::Reminders(command) => commands::agenda::reminders(&mut book, command),
        Command::Arrivals(command) => commands::agenda::arrivals(&mut book, command),
        Command::Points { command, customer_id, json } => {
            commands::points::run(&mut book, command, customer_id, json)
        }
        Command::Demo { customers, purchases, seed } => {
            commands::demo::run(&mut book, customers, purchases, seed)
        }
    }
}

/// Commands that show where customers stand (their tiers, points and reminders too), which
/// evaluate the book first when it was not yet evaluated today (the agenda's rules with it).
fn reads_standing(command: &Command) -> bool {
    matches!(
        command,
        Command::Customers(CustomersCommand::Show { .. } | CustomersCommand::List { .. })
            | Command::Segments { .. }
            | Command::Export(ExportCommand::MailingList(_) | ExportCommand::Labels(_))
            | Command::Print(PrintCommand::Card { .. })
            | Command::Tiers { command: None, .. }
            | Command::Points { command: None, .. }
            | Command::Agenda { .. }
            | Command::Insights { .. }
            | Command::Reminders(_)
    )
}

/// Commands that only read never create a book where there was none.
fn open_book(command: &Command, path: &Path) -> Result<Book, Error> {
    match command {
        Command::Customers(CustomersCommand::Add(_)) | Command::Demo { .. } => Book::open(path),
        Command::Import(ImportCommand::Contacts(args)) if !args.dry_run => Book::open(path),
        // A new machine restores into a book that does not exist yet.
        Command::Restore { dry_run: false, .. } => Book::open(path),
        Command::Restore { dry_run: true, .. } if !path.exists() => Book::open_in_memory(),
        // Moving to a new machine starts without a book.
        Command::Import(ImportCommand::Book { .. }) => Book::open(path),
        // A dry run before there is a book: as if into an empty one, creating nothing.
        Command::Import(ImportCommand::Contacts(_)) if !path.exists() => Book::open_in_memory(),
        // A sale needs an existing customer, so it needs an existing book.
        _ => Book::open_existing(path),
    }
}
