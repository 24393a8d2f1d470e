//! `loupe`: the customer book from the command line, for scripts, benchmarks and support.
//! Every command is a thin adapter over `loupe_core::Book`.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand};
use loupe_core::model::{
    Channel, Consent, ConsentStatus, CustomerDraft, CustomerType, EmailEntry, PhoneEntry,
};
use loupe_core::{Book, Error};

#[derive(Parser)]
#[command(name = "loupe", version, about = "Loupe, the customer book of a watch and jewellery dealer")]
struct Cli {
    /// The book to use (default: the one the Loupe window uses, in your data directory).
    #[arg(long, global = true, env = "LOUPE_DB", value_name = "PATH")]
    db: Option<PathBuf>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Add, find and show customers.
    #[command(subcommand)]
    Customers(CustomersCommand),
    /// Count every kind of record in the book.
    Stats {
        #[arg(long)]
        json: bool,
    },
    /// Add deterministic, realistic demo customers (for demonstrations and benchmarks).
    Demo {
        #[arg(long, default_value_t = 200)]
        customers: usize,
        #[arg(long, default_value_t = 1)]
        seed: u64,
    },
}

#[derive(Subcommand)]
enum CustomersCommand {
    /// Add a customer.
    Add(AddArgs),
    /// Find customers by any part of their name, email, phone, company or tag.
    Search {
        query: String,
        #[arg(long, default_value_t = 20, value_parser = clap::value_parser!(u16).range(1..=200))]
        limit: u16,
        #[arg(long)]
        json: bool,
    },
    /// Show a customer's whole profile.
    Show {
        id: i64,
        #[arg(long)]
        json: bool,
    },
}

#[derive(Args)]
struct AddArgs {
    #[arg(long)]
    name: String,
    #[arg(long = "email", value_name = "EMAIL")]
    emails: Vec<String>,
    #[arg(long = "phone", value_name = "PHONE")]
    phones: Vec<String>,
    #[arg(long = "type", value_name = "retail|trade|collector", default_value = "retail")]
    customer_type: CustomerType,
    #[arg(long)]
    company: Option<String>,
    #[arg(long = "tag", value_name = "TAG")]
    tags: Vec<String>,
    /// Record an email opt-in given today, with this source (e.g. "shop counter").
    #[arg(long, value_name = "SOURCE")]
    email_opt_in: Option<String>,
    #[arg(long)]
    json: bool,
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
    // Commands that only read never create a book where there was none.
    let mut book = match &cli.command {
        Command::Customers(CustomersCommand::Add(_)) | Command::Demo { .. } => Book::open(&path)?,
        _ => Book::open_existing(&path)?,
    };
    match cli.command {
        Command::Customers(CustomersCommand::Add(args)) => {
            let json = args.json;
            let customer = book.create_customer(draft_from_args(args))?;
            if json {
                print_json(&customer);
            } else {
                println!("added customer {}: {}", customer.id, customer.profile.full_name);
            }
        }
        Command::Customers(CustomersCommand::Search { query, limit, json }) => {
            let rows = book.search_customers(&query, usize::from(limit))?;
            if json {
                let full: Vec<_> = rows.iter().map(|row| book.customer(row.id)).collect::<Result<_, _>>()?;
                print_json(&full);
            } else {
                for row in rows {
                    println!(
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
        Command::Customers(CustomersCommand::Show { id, json }) => {
            let customer = book.customer(id)?;
            if json {
                print_json(&customer);
            } else {
                print_profile(&customer);
            }
        }
        Command::Stats { json } => {
            let stats = book.stats()?;
            if json {
                print_json(&stats);
            } else if let serde_json::Value::Object(counts) = serde_json::json!(stats) {
                for (kind, count) in counts {
                    println!("{kind:<20} {count}");
                }
            }
        }
        Command::Demo { customers, seed } => {
            let mut stderr = std::io::stderr();
            let added = book.generate_demo(customers, seed, |done| {
                // Progress on stderr, rewritten in place; stdout stays clean for scripts.
                let _ = write!(stderr, "\rgenerating demo customers: {done}/{customers}");
            })?;
            let _ = writeln!(stderr);
            println!("added {added} demo customers to {}", book.path().display());
        }
    }
    Ok(())
}

fn draft_from_args(args: AddArgs) -> CustomerDraft {
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

fn print_json(value: &impl serde::Serialize) {
    match serde_json::to_string_pretty(value) {
        Ok(text) => println!("{text}"),
        Err(error) => eprintln!("loupe: cannot write JSON: {error}"),
    }
}

fn print_profile(customer: &loupe_core::model::Customer) {
    let profile = &customer.profile;
    println!("{} (#{}), {}", profile.full_name, customer.id, profile.customer_type);
    if !profile.company.is_empty() {
        println!("  company:  {} {}", profile.company, profile.job_title);
    }
    for email in &profile.emails {
        println!("  email:    {}{}", email.address, if email.primary { " (primary)" } else { "" });
    }
    for phone in &profile.phones {
        println!(
            "  phone:    {} [{}]{}",
            phone.number,
            phone.e164.as_deref().unwrap_or("?"),
            if phone.primary { " (primary)" } else { "" }
        );
    }
    if let Some(birthday) = profile.birthday {
        println!("  birthday: {birthday}");
    }
    if !profile.tags.is_empty() {
        println!("  tags:     {}", profile.tags.join(", "));
    }
    for consent in &profile.consents {
        println!("  consent:  {} {}", consent.channel, consent.status);
    }
    println!("  created {} / updated {}", customer.created_at, customer.updated_at);
}
