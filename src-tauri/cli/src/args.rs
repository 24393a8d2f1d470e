//! The command line: every command and flag `loupe` accepts, declared with clap's derive API.

use std::path::PathBuf;

use chrono::NaiveDate;
use clap::builder::BoolishValueParser;
use clap::{ArgAction, ArgGroup, Args, Parser, Subcommand};
use loupe_core::PartialDate;
use loupe_core::model::{
    CampaignChannel, Channel, ConsentStatus, ContactMethod, CustomerType, Direction, Influence,
    InteractionKind, InteractionResponse, ItemCategory, LabelLayout, ListSort, MailingChannel, MailingFormat,
    NoteCategory, PaymentMethod, PrintLanguage, Repeat, RepeatUnit, Rfm, RfmGroup, SaleChannel, ValueClass,
    WishStatus,
};
use rust_decimal::Decimal;

#[derive(Parser)]
#[command(name = "loupe", version, about = "Loupe, the customer book of a watch and jewellery dealer")]
pub struct Cli {
    /// The book to use (default: the one the Loupe window uses, in your data directory).
    #[arg(long, global = true, env = "LOUPE_DB", value_name = "PATH")]
    pub db: Option<PathBuf>,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand)]
pub enum Command {
    /// Add, find and show customers.
    #[command(subcommand)]
    Customers(CustomersCommand),
    /// Record and list sales.
    #[command(subcommand)]
    Purchases(PurchasesCommand),
    /// Relationship notes.
    #[command(subcommand)]
    Notes(NotesCommand),
    /// Contact history: calls, emails, meetings, visits, messages, events.
    #[command(subcommand)]
    Interactions(InteractionsCommand),
    /// What customers are looking for, and the list of open wishes.
    #[command(subcommand)]
    Wishes(WishesCommand),
    /// Satisfaction scores from 1 to 5.
    #[command(subcommand)]
    Satisfaction(SatisfactionCommand),
    /// Bring contacts in from a CSV file, a workbook or vCards, and take an import back; bring a
    /// whole book in.
    #[command(subcommand)]
    Import(ImportCommand),
    /// Write a mailing list of the customers who opted in to a channel, or the whole book
    /// to move it to another machine.
    #[command(subcommand)]
    Export(ExportCommand),
    /// A sale's receipt and certificate, or a customer's card, as a PDF.
    #[command(subcommand)]
    Print(PrintCommand),
    /// Every built-in segment with its rule and every saved segment with its filter, each with
    /// how many customers it holds; `segments save` and `segments delete` keep audiences.
    Segments {
        #[command(subcommand)]
        command: Option<SegmentsCommand>,
        #[arg(long)]
        json: bool,
    },
    /// Save a consistent snapshot of the book (into the backup folder beside it, or --out).
    Backup {
        #[arg(long, value_name = "FILE")]
        out: Option<PathBuf>,
        /// List the backups in the backup folder instead, newest first.
        #[arg(long, conflicts_with = "out")]
        list: bool,
        #[arg(long)]
        json: bool,
    },
    /// The book's settings and standing rules (`settings set KEY VALUE` changes one).
    Settings {
        #[command(subcommand)]
        command: Option<SettingsCommand>,
        #[arg(long)]
        json: bool,
    },
    /// Where customers stand: segments, value classes and RFM scores.
    #[command(subcommand)]
    Standing(StandingCommand),
    /// The membership programme: its tiers lowest first with how one qualifies, the discount,
    /// benefits and members of each, and the points rules; `tiers set`, `tiers remove` and
    /// `tiers move` change the tiers (the points rules: `loupe settings set membership.…`).
    Tiers {
        #[command(subcommand)]
        command: Option<TiersCommand>,
        #[arg(long)]
        json: bool,
    },
    /// A customer's points ledger, newest first, with the balance after each line;
    /// `points adjust` and `points redeem` move points by hand.
    #[command(args_conflicts_with_subcommands = true, subcommand_negates_reqs = true)]
    Points {
        #[command(subcommand)]
        command: Option<PointsCommand>,
        /// The customer's number.
        #[arg(required = true)]
        customer_id: Option<i64>,
        #[arg(long)]
        json: bool,
    },
    /// Who to contact and why: the reminders due and overdue up to --days ahead (7 by default),
    /// soonest first, with the suggested channel and the customer's consent for it.
    Agenda {
        #[arg(long, default_value_t = 7, value_parser = clap::value_parser!(u32).range(0..=92))]
        days: u32,
        #[arg(long)]
        json: bool,
    },
    /// Reminders typed for a customer, and what is done with any reminder: done (recorded as a
    /// contact on the customer's timeline), snoozed, dismissed.
    #[command(subcommand)]
    Reminders(RemindersCommand),
    /// Pieces that come into the shop, with the customers each suits; `arrivals remind` makes
    /// "tell them" reminders.
    #[command(subcommand)]
    Arrivals(ArrivalsCommand),
    /// The numbers of a period (the last 12 months by default) for an audience: revenue,
    /// average order, frequency, lifespan, lifetime value, new customers and acquisition cost,
    /// retention, returning share, repeat rate, satisfaction, the top 20 %'s share; the period
    /// before; by month; cohorts; brands and categories (`--json` for all of it).
    Insights {
        #[arg(long, value_name = "YYYY-MM-DD")]
        from: Option<NaiveDate>,
        #[arg(long, value_name = "YYYY-MM-DD")]
        to: Option<NaiveDate>,
        #[command(flatten)]
        audience: AudienceArgs,
        #[arg(long)]
        json: bool,
    },
    /// The campaigns, newest first; `campaigns add` records one with its cost.
    Campaigns {
        #[command(subcommand)]
        command: Option<CampaignsCommand>,
        #[arg(long)]
        json: bool,
    },
    /// Other marketing spend (a fair stand, an advert), counted in the acquisition cost.
    #[command(subcommand)]
    Expenses(ExpensesCommand),
    /// Replace the book with a backup; the current book is backed up first.
    Restore {
        file: PathBuf,
        /// Show what the backup holds, change nothing.
        #[arg(long)]
        dry_run: bool,
        #[arg(long)]
        json: bool,
    },
    /// Check the whole book with SQLite's integrity_check.
    Check {
        #[arg(long)]
        json: bool,
    },
    /// Count every kind of record in the book.
    Stats {
        #[arg(long)]
        json: bool,
    },
    /// Loupe's version and the book's path, size on disk and schema version, for support.
    About {
        #[arg(long)]
        json: bool,
    },
    /// Add deterministic, realistic demo customers with their purchases, notes, contact
    /// history and wishes (for demonstrations and benchmarks).
    Demo {
        #[arg(long, default_value_t = 200)]
        customers: usize,
        /// Purchases to spread over them (default: three per customer): many one-off buyers,
        /// a few collectors with dozens of pieces.
        #[arg(long)]
        purchases: Option<usize>,
        #[arg(long, default_value_t = 1)]
        seed: u64,
    },
}

#[derive(Subcommand)]
pub enum CustomersCommand {
    /// Add a customer.
    Add(AddCustomerArgs),
    /// The customer list as the window shows it: who the audience flags select, sorted.
    List {
        #[command(flatten)]
        audience: AudienceArgs,
        #[arg(
            long,
            value_name = "name|company|spend|last_purchase|segment|value_class|rfm|influence|tier",
            default_value = "name"
        )]
        sort: ListSort,
        /// Largest, latest or strongest first (name and company: Z to A).
        #[arg(long)]
        desc: bool,
        #[arg(long, default_value_t = 100, value_parser = clap::value_parser!(u32).range(1..=1000))]
        limit: u32,
        #[arg(long)]
        json: bool,
    },
    /// Find customers by any part of their name, email, phone, company or tag, or a reference
    /// or serial number of a piece they bought; says how many match in all and lists the sold
    /// pieces whose number matches (serial numbers first).
    Search {
        query: String,
        #[arg(long, default_value_t = 20, value_parser = clap::value_parser!(u16).range(1..=200))]
        limit: u16,
        #[arg(long)]
        json: bool,
    },
    /// Change a customer's name, contacts, company, type, language or tags; everything else
    /// is kept. Checked like an edit in the window: one problem and nothing is changed.
    Edit(EditCustomerArgs),
    /// Show a customer's whole profile.
    Show {
        id: i64,
        #[arg(long)]
        json: bool,
    },
    /// Erase a customer from every table and the search index (their right to be
    /// forgotten); only unreadable hashes of their emails and phones are kept, so that an
    /// old file cannot bring them back unnoticed.
    Erase {
        id: i64,
        #[arg(long)]
        json: bool,
    },
    /// Merge customer OTHER into KEEP, who are one person: OTHER's sales, notes, contacts,
    /// wishes, scores and reminders move to KEEP, with their emails, phones, addresses, tags and
    /// occasions; KEEP's empty fields are filled; for each consent the stricter answer wins.
    /// `customers unmerge` takes it back.
    Merge {
        keep: i64,
        other: i64,
        /// Say what the merge would do, and change nothing.
        #[arg(long)]
        dry_run: bool,
        #[arg(long)]
        json: bool,
    },
    /// Undo a merge: the merged-away customer comes back under their own number with what
    /// moved, and the kept one gets back their profile, except what was changed since.
    Unmerge {
        /// The merge's number, shown by `customers merge` and `customers show`.
        merge_id: i64,
        #[arg(long)]
        json: bool,
    },
    /// List pairs of customers who may be one person: a shared email or phone, or
    /// near-identical names ("G. Wilson", "Grace Wilson").
    Duplicates {
        #[arg(long, default_value_t = 50, value_parser = clap::value_parser!(u32).range(1..=10_000))]
        limit: u32,
        #[arg(long)]
        json: bool,
    },
    /// Say that two customers are different people, so that `customers duplicates` stops
    /// listing them (`--undo` lists them again).
    Different {
        first: i64,
        second: i64,
        #[arg(long)]
        undo: bool,
    },
}

#[derive(Args)]
pub struct AddCustomerArgs {
    #[arg(long)]
    pub name: String,
    #[arg(long = "email", value_name = "EMAIL")]
    pub emails: Vec<String>,
    #[arg(long = "phone", value_name = "PHONE")]
    pub phones: Vec<String>,
    #[arg(long = "type", value_name = "retail|trade|collector", default_value = "retail")]
    pub customer_type: CustomerType,
    #[arg(long)]
    pub company: Option<String>,
    #[arg(long = "tag", value_name = "TAG")]
    pub tags: Vec<String>,
    /// Record an email opt-in given today, with this source (e.g. "shop counter").
    #[arg(long, value_name = "SOURCE")]
    pub email_opt_in: Option<String>,
    #[arg(long)]
    pub json: bool,
}

#[derive(Args)]
#[command(group(ArgGroup::new("change").required(true).multiple(true)))]
pub struct EditCustomerArgs {
    pub id: i64,
    /// The full name as the person writes it.
    #[arg(long, group = "change")]
    pub name: Option<String>,
    #[arg(long, group = "change")]
    pub given_name: Option<String>,
    #[arg(long, group = "change")]
    pub family_name: Option<String>,
    /// Repeatable.
    #[arg(long = "add-email", value_name = "EMAIL", group = "change")]
    pub add_emails: Vec<String>,
    /// Repeatable; in any case.
    #[arg(long = "remove-email", value_name = "EMAIL", group = "change")]
    pub remove_emails: Vec<String>,
    /// Repeatable.
    #[arg(long = "add-phone", value_name = "PHONE", group = "change")]
    pub add_phones: Vec<String>,
    /// Repeatable; as stored, in E.164 or as typed in the book's region ("07911 123456").
    #[arg(long = "remove-phone", value_name = "PHONE", group = "change")]
    pub remove_phones: Vec<String>,
    #[arg(long, group = "change")]
    pub company: Option<String>,
    #[arg(long, group = "change")]
    pub job_title: Option<String>,
    #[arg(long = "type", value_name = "retail|trade|collector", group = "change")]
    pub customer_type: Option<CustomerType>,
    /// A language code such as en or zh-Hans; "" for unknown.
    #[arg(long, value_name = "CODE", group = "change")]
    pub language: Option<String>,
    /// Repeatable.
    #[arg(long = "add-tag", value_name = "TAG", group = "change")]
    pub add_tags: Vec<String>,
    /// Repeatable; in any case.
    #[arg(long = "remove-tag", value_name = "TAG", group = "change")]
    pub remove_tags: Vec<String>,
    /// Their influence (seed 004), shown as 0, 3, 4 or 5 stars.
    #[arg(long, value_name = "none|reviewer|professional|public_figure", value_parser = parse_influence, group = "change")]
    pub influence: Option<Influence>,
    /// MM-DD, or YYYY-MM-DD when the year is known; "" for unknown.
    #[arg(long, value_name = "MM-DD|YYYY-MM-DD", value_parser = parse_birthday, group = "change")]
    pub birthday: Option<Birthday>,
    /// The customer who referred them; 0 for nobody.
    #[arg(long, value_name = "ID", group = "change")]
    pub referrer: Option<i64>,
    /// The customer's answer for a channel, given today ("phone=opted_out": do not call);
    /// `CHANNEL=unknown` forgets it. Repeatable.
    #[arg(long = "consent", value_name = "CHANNEL=opted_in|opted_out|unknown", value_parser = parse_consent, group = "change")]
    pub consents: Vec<(Channel, ConsentStatus)>,
    #[arg(long)]
    pub json: bool,
}

/// `--consent phone=opted_out`.
fn parse_consent(text: &str) -> Result<(Channel, ConsentStatus), String> {
    let (channel, status) = text
        .split_once('=')
        .ok_or_else(|| format!("'{text}' is not CHANNEL=STATUS, e.g. phone=opted_out"))?;
    Ok((channel.parse()?, status.parse()?))
}

/// `--birthday`: a day, or nothing (the empty text) to clear it.
#[derive(Debug, Clone)]
pub struct Birthday(pub Option<PartialDate>);

fn parse_birthday(text: &str) -> Result<Birthday, String> {
    let text = text.trim();
    if text.is_empty() {
        return Ok(Birthday(None));
    }
    // MM-DD is a day without its year, which the book writes --MM-DD.
    let written =
        if text.len() == 5 && text.as_bytes()[2] == b'-' { format!("--{text}") } else { text.to_string() };
    written.parse().map(|day| Birthday(Some(day)))
}

/// `--influence`: the profile's values, "professional" for a trade professional.
fn parse_influence(text: &str) -> Result<Influence, String> {
    match text.trim().to_ascii_lowercase().replace(['-', ' '], "_").as_str() {
        "professional" => Ok(Influence::TradeProfessional),
        other => other
            .parse()
            .map_err(|_| format!("'{text}' is not one of: none, reviewer, professional, public_figure")),
    }
}

/// `loupe settings set KEY VALUE`.
#[derive(Subcommand)]
pub enum SettingsCommand {
    /// Change one setting: default_region, default_currency, backups_to_keep,
    /// other_backups_to_keep, offsite_reminder_days, a standing rule as standing.FIELD
    /// (standing.vip_min_spend 25000, standing.recency_months 3,6,12,24), or the membership
    /// programme's: membership.enabled true|false, membership.grace_months,
    /// membership.points_per_unit, membership.points_for_one_unit,
    /// membership.points_expire_months N|off, membership.referral_bonus, and
    /// membership.rate.CUR RATE|off (1 CUR counts as RATE of the book's currency). Checked like
    /// the settings form; new standing or membership rules place every customer again.
    Set {
        key: String,
        value: String,
        #[arg(long)]
        json: bool,
    },
}

/// `loupe tiers set|remove|move`: the membership tiers, lowest first. A tier is named by its
/// key or its English or Chinese name (case ignored).
#[derive(Subcommand)]
pub enum TiersCommand {
    /// Change tier KEY (only what the flags say), or add it as the highest tier; a new tier
    /// counts the last 12 months unless --window-months or --ever says otherwise.
    Set(TierSetArgs),
    /// Remove a tier; its members are placed again in the tiers left.
    Remove {
        tier: String,
        #[arg(long)]
        json: bool,
    },
    /// Move a tier to POSITION among the tiers, 1 being the lowest.
    Move {
        tier: String,
        #[arg(long, value_name = "POSITION")]
        to: usize,
        #[arg(long)]
        json: bool,
    },
}

#[derive(Args)]
#[command(group(ArgGroup::new("window").args(["window_months", "ever"])))]
pub struct TierSetArgs {
    /// The tier's key (lower-case letters, digits, - and _), or the name of an existing tier.
    pub key: String,
    #[arg(long, value_name = "NAME")]
    pub name_en: Option<String>,
    #[arg(long, value_name = "NAME")]
    pub name_zh: Option<String>,
    /// Qualifies with at least this spend in the book's currency within the window; off for
    /// none (then --min-purchases alone qualifies).
    #[arg(long, value_name = "AMOUNT|off", value_parser = amount_or_off)]
    pub min_spend: Option<OrOff<Decimal>>,
    /// Qualifies with at least this many purchases within the window; off for none.
    #[arg(long, value_name = "N|off", value_parser = count_or_off)]
    pub min_purchases: Option<OrOff<u32>>,
    /// Count the spend and purchases of the last N months.
    #[arg(long, value_name = "N")]
    pub window_months: Option<u32>,
    /// Count every purchase ever made (no window).
    #[arg(long)]
    pub ever: bool,
    /// The percentage taken off each item for its members (15 for 15 % off).
    #[arg(long, value_name = "PERCENT", value_parser = percent)]
    pub discount: Option<Decimal>,
    /// What else the tier gives, in the dealer's words.
    #[arg(long, value_name = "TEXT")]
    pub benefits: Option<String>,
    /// The tier includes the yearly cleaning and check of jewellery.
    #[arg(long, value_name = "true|false", action = ArgAction::Set, value_parser = BoolishValueParser::new())]
    pub free_care: Option<bool>,
    #[arg(long)]
    pub json: bool,
}

/// A value, or `off` for none.
#[derive(Debug, Clone)]
pub struct OrOff<T>(pub Option<T>);

fn is_off(text: &str) -> bool {
    matches!(text.trim().to_ascii_lowercase().as_str(), "off" | "none")
}

fn amount_or_off(text: &str) -> Result<OrOff<Decimal>, String> {
    if is_off(text) { Ok(OrOff(None)) } else { amount(text).map(|amount| OrOff(Some(amount))) }
}

fn count_or_off(text: &str) -> Result<OrOff<u32>, String> {
    if is_off(text) {
        return Ok(OrOff(None));
    }
    text.trim()
        .parse()
        .map(|count| OrOff(Some(count)))
        .map_err(|_| format!("'{text}' is not a whole number or off"))
}

/// A percentage, with or without its sign: "15", "12.5 %".
fn percent(text: &str) -> Result<Decimal, String> {
    text.trim()
        .trim_end_matches('%')
        .trim()
        .parse()
        .map_err(|_| format!("'{text}' is not a percentage such as 15 or 12.5"))
}

/// `loupe campaigns add`.
#[derive(Subcommand)]
pub enum CampaignsCommand {
    /// A campaign: its name (its own), channel, day and cost in the book's currency.
    Add {
        name: String,
        #[arg(long, value_name = "email|sms|post|other")]
        channel: CampaignChannel,
        #[arg(long, value_name = "YYYY-MM-DD")]
        on: NaiveDate,
        #[arg(long, value_parser = amount, default_value = "0")]
        cost: Decimal,
        #[arg(long, default_value = "")]
        notes: String,
        #[arg(long)]
        json: bool,
    },
}

/// `loupe expenses add`.
#[derive(Subcommand)]
pub enum ExpensesCommand {
    /// Marketing spend on a day, in the book's currency.
    Add {
        #[arg(long, value_name = "YYYY-MM-DD")]
        on: NaiveDate,
        #[arg(long, value_parser = amount)]
        amount: Decimal,
        #[arg(long, default_value = "")]
        note: String,
        #[arg(long)]
        json: bool,
    },
}

/// `loupe reminders …`.
#[derive(Subcommand)]
pub enum RemindersCommand {
    /// A customer's open reminders, soonest first.
    List {
        customer_id: i64,
        #[arg(long)]
        json: bool,
    },
    /// A reminder for a customer on a day, optionally repeating (--every 3months, 2weeks, 1year, 10days).
    Add {
        customer_id: i64,
        #[arg(long, value_name = "YYYY-MM-DD")]
        on: NaiveDate,
        #[arg(long)]
        title: String,
        #[arg(long, default_value = "")]
        notes: String,
        #[arg(long, value_name = "N{days|weeks|months|years}", value_parser = parse_repeat)]
        every: Option<Repeat>,
        #[arg(long)]
        json: bool,
    },
    /// Done: records the contact on the customer's timeline (on --channel, the suggested one by
    /// default) with its outcome; a repeating reminder comes back.
    Done {
        id: i64,
        #[arg(long, default_value = "")]
        outcome: String,
        #[arg(long, value_name = "phone|email|sms|post|in_person")]
        channel: Option<ContactMethod>,
        #[arg(long)]
        json: bool,
    },
    /// Shows the reminder again on a later day.
    Snooze {
        id: i64,
        #[arg(long, value_name = "YYYY-MM-DD")]
        until: NaiveDate,
        #[arg(long)]
        json: bool,
    },
    /// Closes the reminder without a contact.
    Dismiss {
        id: i64,
        #[arg(long)]
        json: bool,
    },
}

/// "3months", "2 weeks", "1year", "10d".
fn parse_repeat(text: &str) -> Result<Repeat, String> {
    let text = text.trim().to_ascii_lowercase();
    let digits = text.chars().take_while(char::is_ascii_digit).count();
    let (number, unit) = text.split_at(digits);
    let every: u32 = number
        .parse()
        .map_err(|_| format!("'{text}' does not start with a number: write 3months, 2weeks, 1year"))?;
    let unit = match unit.trim() {
        "d" | "day" | "days" => RepeatUnit::Days,
        "w" | "week" | "weeks" => RepeatUnit::Weeks,
        "m" | "month" | "months" => RepeatUnit::Months,
        "y" | "year" | "years" => RepeatUnit::Years,
        other => return Err(format!("'{other}' is not days, weeks, months or years")),
    };
    if !(1..=1000).contains(&every) {
        return Err("repeat every 1 to 1000 days, weeks, months or years".to_string());
    }
    Ok(Repeat { every, unit })
}

/// `loupe arrivals …`.
#[derive(Subcommand)]
pub enum ArrivalsCommand {
    /// Records a piece that came in and lists the customers it suits, best first, with why.
    Add {
        #[arg(long, default_value = "")]
        brand: String,
        #[arg(long, default_value = "")]
        model: String,
        #[arg(long = "ref", default_value = "")]
        reference: String,
        #[arg(long, value_name = "watch|ring|necklace|bracelet|earrings|pendant|other")]
        category: Option<ItemCategory>,
        #[arg(long, default_value = "")]
        material: String,
        #[arg(long, value_parser = amount)]
        price: Option<Decimal>,
        /// The price's currency (default: the book's).
        #[arg(long, default_value = "")]
        currency: String,
        /// The day it came in (default: today).
        #[arg(long, value_name = "YYYY-MM-DD")]
        on: Option<NaiveDate>,
        #[arg(long, default_value = "")]
        notes: String,
        #[arg(long)]
        json: bool,
    },
    /// The pieces recorded, newest first.
    List {
        #[arg(long)]
        json: bool,
    },
    /// Who a piece recorded suits now.
    Show {
        arrival_id: i64,
        #[arg(long)]
        json: bool,
    },
    /// "Tell them": a reminder due today for each customer named.
    Remind {
        arrival_id: i64,
        #[arg(long, value_delimiter = ',', required = true, value_name = "ID,ID")]
        customers: Vec<i64>,
        #[arg(long)]
        json: bool,
    },
}

/// `loupe points adjust|redeem`.
#[derive(Subcommand)]
pub enum PointsCommand {
    /// Add points (+N) to a customer or take them off (-N), with the reason; never below zero.
    Adjust {
        customer_id: i64,
        #[arg(long, value_name = "±N", allow_negative_numbers = true)]
        points: i64,
        #[arg(long)]
        reason: String,
        #[arg(long)]
        json: bool,
    },
    /// Redeem points outside a sale (a gift, a service); refused when the balance is short.
    Redeem {
        customer_id: i64,
        #[arg(long, value_name = "N", value_parser = clap::value_parser!(i64).range(1..))]
        points: i64,
        #[arg(long, default_value = "")]
        reason: String,
        #[arg(long)]
        json: bool,
    },
}

#[derive(Subcommand)]
pub enum StandingCommand {
    /// Evaluate every customer's standing again now (the window and commands that read
    /// standing do it once a day by themselves).
    Refresh {
        #[arg(long)]
        json: bool,
    },
}

#[derive(Subcommand)]
pub enum PurchasesCommand {
    /// Record a sale of one or more items to a customer.
    Add(AddPurchaseArgs),
    /// A customer's purchases, newest first, with their totals.
    List {
        customer_id: i64,
        #[arg(long)]
        json: bool,
    },
    /// One sale: its items, payments, trade-ins and the balance due.
    Show {
        sale_id: i64,
        #[arg(long)]
        json: bool,
    },
    /// Mark a sale awaiting collection as collected, taking the balance.
    Collect {
        sale_id: i64,
        /// The day the customer took the piece, YYYY-MM-DD; today when left out.
        #[arg(long)]
        date: Option<NaiveDate>,
        /// A payment taken at collection: "card=8150", "bank_transfer=8000@2026-05-02", or a
        /// method alone for what is still due. Dated the day of collection unless given.
        #[arg(long = "pay", value_name = "METHOD=AMOUNT[@DATE]")]
        payments: Vec<String>,
        #[arg(long)]
        json: bool,
    },
}

#[derive(Args)]
pub struct AddPurchaseArgs {
    pub customer_id: i64,
    /// The day of the sale, YYYY-MM-DD.
    #[arg(long)]
    pub date: NaiveDate,
    /// One item: "brand=Rolex,model=Daytona,ref=116500LN,serial=Z1234567,price=25000" (also
    /// category, material, condition, grade, box, papers, description, discount). Repeatable.
    #[arg(long = "item", value_name = "KEY=VALUE,...", required = true)]
    pub items: Vec<String>,
    /// ISO 4217 code; the book's currency when left out.
    #[arg(long)]
    pub currency: Option<String>,
    /// Paid in full on the day by one method (card when neither this nor --pay is given).
    #[arg(long, value_name = "cash|card|bank_transfer|trade_in|other", conflicts_with_all = ["payments", "deposit"])]
    pub payment: Option<PaymentMethod>,
    /// One payment: "card=2000", "bank_transfer=3650@2026-04-11" (dated the sale's day unless
    /// given), or a method alone for what the other payments and trade-ins leave. Repeatable.
    #[arg(long = "pay", value_name = "METHOD=AMOUNT[@DATE]")]
    pub payments: Vec<String>,
    /// The piece is not collected yet: the payments are a deposit, and the rest is due at
    /// collection (`loupe purchases collect`).
    #[arg(long)]
    pub deposit: bool,
    /// A piece taken in part payment: "brand=Omega,model=Speedmaster,ref=311.30.42.30.01.005,
    /// serial=81234567,condition=pre_owned,grade=B+,allowed=3500" (also category,
    /// description). Repeatable.
    #[arg(long = "trade-in", value_name = "KEY=VALUE,...")]
    pub trade_ins: Vec<String>,
    #[arg(long, value_name = "in_store|phone|online|fair|other", default_value = "in_store")]
    pub channel: SaleChannel,
    #[arg(long, default_value = "")]
    pub salesperson: String,
    #[arg(long, default_value = "")]
    pub notes: String,
    /// Give each item without a discount of its own the customer's member discount (their
    /// tier's percentage of its price); refused when they hold no tier.
    #[arg(long)]
    pub member_discount: bool,
    /// Redeem this many of the customer's points as a discount on the sale, at the book's
    /// rate (100 points = 1 unit of its currency by default).
    #[arg(long, value_name = "POINTS")]
    pub redeem_points: Option<u32>,
    #[arg(long)]
    pub json: bool,
}

#[derive(Subcommand)]
pub enum NotesCommand {
    /// Add a note to a customer.
    Add {
        customer_id: i64,
        #[arg(long)]
        body: String,
        #[arg(
            long,
            value_name = "personal_interest|occasion|relationship_history|special_requirement|internal",
            default_value = "personal_interest"
        )]
        category: NoteCategory,
        /// Keep it at the top of the customer page.
        #[arg(long)]
        pinned: bool,
        /// YYYY-MM-DD; today when left out.
        #[arg(long)]
        date: Option<NaiveDate>,
        #[arg(long)]
        json: bool,
    },
    /// A customer's notes, newest first, with their ids.
    List {
        customer_id: i64,
        #[arg(long)]
        json: bool,
    },
    /// Delete a note by its id (see `loupe notes list`).
    Delete {
        note_id: i64,
        #[arg(long)]
        json: bool,
    },
}

#[derive(Subcommand)]
pub enum InteractionsCommand {
    /// Record a call, email, meeting, shop visit, message or event.
    Add {
        customer_id: i64,
        #[arg(long, value_name = "call|email|meeting|shop_visit|message|event")]
        kind: InteractionKind,
        #[arg(long, value_name = "inbound|outbound", default_value = "outbound")]
        direction: Direction,
        #[arg(long)]
        summary: String,
        /// The customer's answer or what comes next.
        #[arg(long, default_value = "")]
        outcome: String,
        #[arg(long, default_value = "")]
        campaign: String,
        /// What the customer answered: a reply, a visit or a purchase answers the campaign.
        #[arg(long, value_name = "replied|visited|bought|unsubscribed")]
        response: Option<InteractionResponse>,
        /// YYYY-MM-DD; today when left out.
        #[arg(long)]
        date: Option<NaiveDate>,
        #[arg(long)]
        json: bool,
    },
}

#[derive(Subcommand)]
pub enum WishesCommand {
    /// Record what a customer is looking for.
    Add {
        customer_id: i64,
        #[arg(long, default_value = "")]
        brand: String,
        #[arg(long, default_value = "")]
        model: String,
        #[arg(long = "ref", default_value = "")]
        reference: String,
        #[arg(long, value_parser = amount)]
        budget_min: Option<Decimal>,
        #[arg(long, value_parser = amount)]
        budget_max: Option<Decimal>,
        /// ISO 4217 code; the book's currency when left out.
        #[arg(long, default_value = "")]
        currency: String,
        #[arg(long, default_value = "")]
        notes: String,
        #[arg(long, value_name = "open|sourcing|offered|won|lost", default_value = "open")]
        status: WishStatus,
        /// YYYY-MM-DD; today when left out.
        #[arg(long)]
        date: Option<NaiveDate>,
        #[arg(long)]
        json: bool,
    },
    /// Every open wish in the book, newest first: match a piece that just arrived.
    Open {
        /// Keep wishes whose brand, model, reference or notes contain this.
        #[arg(long, default_value = "")]
        filter: String,
        #[arg(long, default_value_t = 200)]
        limit: u32,
        #[arg(long)]
        json: bool,
    },
}

#[derive(Subcommand)]
pub enum SatisfactionCommand {
    /// Record a 1 to 5 satisfaction score.
    Add {
        customer_id: i64,
        #[arg(long, value_parser = clap::value_parser!(u8).range(1..=5))]
        score: u8,
        #[arg(long, default_value = "")]
        comment: String,
        /// YYYY-MM-DD; today when left out.
        #[arg(long)]
        date: Option<NaiveDate>,
        #[arg(long)]
        json: bool,
    },
}

#[derive(Subcommand)]
pub enum ImportCommand {
    /// Import contacts from a CSV file (any encoding, delimiter and the usual layouts), an
    /// Excel or OpenDocument workbook (.xlsx, .xls, .ods) or a file of vCards (.vcf), each
    /// known by its content.
    Contacts(ImportContactsArgs),
    /// Undo an import: the people it created are removed, the people it merged restored.
    Undo {
        batch_id: i64,
        #[arg(long)]
        json: bool,
    },
    /// Past imports, newest first.
    List {
        #[arg(long)]
        json: bool,
    },
    /// Import a folder written by `loupe export book`: restores it exactly into an empty
    /// book; a book that holds customers is refused unless --merge.
    Book {
        dir: PathBuf,
        /// Add the folder's customers to those of this book: the same email or phone is the
        /// same person (merged), everyone else is added; all their history comes along.
        #[arg(long)]
        merge: bool,
        #[arg(long)]
        json: bool,
    },
}

#[derive(Args)]
pub struct ImportContactsArgs {
    pub file: PathBuf,
    /// Say what would happen, write nothing.
    #[arg(long)]
    pub dry_run: bool,
    /// A column mapping saved as JSON: [{"column": "Mobil", "target": {"field": "phone", "group": "mobile"}}, …].
    #[arg(long, value_name = "FILE.json")]
    pub mapping: Option<PathBuf>,
    /// The ISO country of national phone numbers in the file (default: the book's region).
    #[arg(long, value_name = "CC")]
    pub region: Option<String>,
    /// The file's encoding when detection guesses wrong (utf-8, windows-1252, gb18030, utf-16le…).
    #[arg(long, value_name = "NAME")]
    pub encoding: Option<String>,
    /// The column separator when detection guesses wrong: , ; tab |
    #[arg(long, value_name = "CHAR")]
    pub delimiter: Option<String>,
    /// The workbook's sheet to import, by its name or its number from 1 (default: the first).
    #[arg(long, value_name = "NAME|NUMBER")]
    pub sheet: Option<String>,
    /// How numeric dates are written where the file does not show it: day-first or month-first.
    #[arg(long, value_name = "day-first|month-first")]
    pub date_order: Option<String>,
    /// Put columns Loupe does not recognise into a note instead of ignoring them.
    #[arg(long)]
    pub unknown_to_note: bool,
    /// Merge these likely matches (an email or phone shared under another name, or the same
    /// name at the same company), or import these rows naming someone erased, by line number.
    #[arg(long = "confirm", value_name = "LINE")]
    pub confirm: Vec<u64>,
    /// Write the rejected rows, with their line and reason, to this CSV file.
    #[arg(long, value_name = "FILE.csv")]
    pub rejected_out: Option<PathBuf>,
    #[arg(long)]
    pub json: bool,
}

// Parsed once per run: the audience flags' size does not matter.
#[allow(clippy::large_enum_variant)]
#[derive(Subcommand)]
pub enum ExportCommand {
    /// Only customers with an explicit opt-in for the channel, one row each with their
    /// primary address for it; opted-out and unknown never appear.
    MailingList(MailingListArgs),
    /// The postal mailing list as address labels (PDF): the same people as `mailing-list
    /// --channel post` with the same flags, each address in its country's order.
    Labels(LabelsArgs),
    /// The whole book as a folder: one CSV file per kind of record and a manifest.json with
    /// row counts and checksums.
    Book {
        /// A new (or empty) folder.
        #[arg(long, value_name = "DIR")]
        out: PathBuf,
        #[arg(long)]
        json: bool,
    },
}

#[derive(Args)]
pub struct MailingListArgs {
    #[arg(long, value_name = "email|sms|post")]
    pub channel: MailingChannel,
    #[command(flatten)]
    pub audience: AudienceArgs,
    #[arg(long, value_name = "generic|mailchimp", default_value = "generic")]
    pub format: MailingFormat,
    /// For Excel: UTF-8 with a byte order mark, CRLF, formula-like cells made inert.
    #[arg(long)]
    pub excel: bool,
    #[arg(long, value_name = ",|;", default_value = ",")]
    pub delimiter: String,
    /// Count who would be on the list, write nothing.
    #[arg(long, conflicts_with = "out")]
    pub dry_run: bool,
    #[arg(long, value_name = "FILE", required_unless_present = "dry_run")]
    pub out: Option<PathBuf>,
    /// Record the list as this campaign (found by name, case ignored, or created today with no
    /// cost) once the file is written: everyone written gets a contact naming it, today.
    #[arg(long, value_name = "NAME", conflicts_with = "dry_run")]
    pub campaign: Option<String>,
    #[arg(long)]
    pub json: bool,
}

#[derive(Args)]
pub struct LabelsArgs {
    /// Labels are for post only.
    #[arg(long, value_name = "post")]
    pub channel: MailingChannel,
    #[command(flatten)]
    pub audience: AudienceArgs,
    /// A4 Avery L7160 (21 a sheet), US Letter Avery 5160 (30 a sheet), or one DL envelope each.
    #[arg(long, value_name = "l7160|5160|envelope")]
    pub layout: LabelLayout,
    #[arg(long, value_name = "FILE.pdf")]
    pub out: PathBuf,
    #[arg(long)]
    pub json: bool,
}

#[derive(Subcommand)]
pub enum PrintCommand {
    /// A sale's receipt, certifying each piece (reference, serial, box and papers), in the
    /// customer's language (Chinese or English) unless --lang says.
    Receipt {
        /// The sale's number (`loupe purchases list`).
        purchase_id: i64,
        #[arg(long, value_name = "FILE.pdf")]
        out: PathBuf,
        #[arg(long, value_name = "en|zh")]
        lang: Option<PrintLanguage>,
        #[arg(long)]
        json: bool,
    },
    /// A customer's one-page card: profile, standing, tier, last purchases, open wishes,
    /// pinned notes.
    Card {
        customer_id: i64,
        #[arg(long, value_name = "FILE.pdf")]
        out: PathBuf,
        #[arg(long, value_name = "en|zh", default_value = "en")]
        lang: PrintLanguage,
        #[arg(long)]
        json: bool,
    },
}

// Parsed once per run: the audience flags' size does not matter.
#[allow(clippy::large_enum_variant)]
#[derive(Subcommand)]
pub enum SegmentsCommand {
    /// Save the audience the flags select under NAME (refused when NAME is taken, unless
    /// --replace).
    Save {
        name: String,
        #[command(flatten)]
        audience: AudienceArgs,
        /// Give an existing saved segment of that name this filter.
        #[arg(long)]
        replace: bool,
        #[arg(long)]
        json: bool,
    },
    /// Delete the saved segment NAME (the customers stay).
    Delete { name: String },
}

/// Who a command selects, the same flags wherever customers are chosen (the list, mailing
/// lists, saved segments). Every flag left out selects everyone; the flags given all apply.
#[derive(Args)]
pub struct AudienceArgs {
    #[arg(long = "type", value_name = "retail|trade|collector")]
    pub customer_type: Option<CustomerType>,
    /// Customers carrying this tag (repeat for several: all of them).
    #[arg(long = "tag", value_name = "TAG")]
    pub tags: Vec<String>,
    /// A language code; `zh` also selects zh-Hans and zh-CN.
    #[arg(long, value_name = "CODE")]
    pub language: Option<String>,
    /// Lifetime spend at least this, in the book's currency.
    #[arg(long, value_name = "AMOUNT", value_parser = amount)]
    pub min_spend: Option<Decimal>,
    #[arg(long, value_name = "AMOUNT", value_parser = amount)]
    pub max_spend: Option<Decimal>,
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub bought_since: Option<NaiveDate>,
    /// Bought something on or before this date (with --bought-since: between the two).
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub bought_until: Option<NaiveDate>,
    /// Nothing bought on or after this date (people who never bought included).
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub not_bought_since: Option<NaiveDate>,
    /// Bought or wished for a piece of this brand.
    #[arg(long, value_name = "BRAND")]
    pub brand: Option<String>,
    /// A built-in segment (prospect, lapsed, at_risk, vip, new, regular; repeat for any of
    /// them) or a saved segment's name (its filter applies too).
    #[arg(long = "segment", value_name = "SEGMENT")]
    pub segments: Vec<String>,
    /// Repeat for any of them.
    #[arg(long = "value-class", value_name = "key|main|ordinary")]
    pub value_classes: Vec<ValueClass>,
    /// champions, loyal, cant_lose_them, potential_loyalist, recent, promising, need_attention,
    /// about_to_sleep, hibernating, lost; repeat for any of them.
    #[arg(long = "rfm-group", value_name = "GROUP")]
    pub rfm_groups: Vec<RfmGroup>,
    /// Each RFM score at least its digit: 444 is recency, frequency and monetary 4 or more.
    #[arg(long, value_name = "RFM", value_parser = rfm)]
    pub min_rfm: Option<Rfm>,
    /// Repeat for any of them.
    #[arg(long = "influence", value_name = "none|reviewer|professional|public_figure", value_parser = influence)]
    pub influence: Vec<Influence>,
    /// Said they like, or bought most, a brand, material, style or kind of piece holding this.
    #[arg(long, value_name = "TEXT")]
    pub likes: Option<String>,
    /// Holding this membership tier, by its key or its English or Chinese name (Gold, 金卡);
    /// repeat for any of them.
    #[arg(long = "tier", value_name = "TIER")]
    pub tiers: Vec<String>,
}

/// Three digits from 1 to 5: recency, frequency, monetary.
fn rfm(text: &str) -> Result<Rfm, String> {
    let digits: Vec<u8> = text
        .trim()
        .chars()
        .map(|digit| {
            digit
                .to_digit(10)
                .and_then(|digit| u8::try_from(digit).ok())
                .filter(|digit| (1..=5).contains(digit))
        })
        .collect::<Option<_>>()
        .ok_or_else(|| format!("'{text}' is not three scores from 1 to 5 such as 444"))?;
    match digits[..] {
        [r, f, m] => Ok(Rfm { r, f, m }),
        _ => Err(format!("'{text}' is not three scores from 1 to 5 such as 444")),
    }
}

/// An influence, "professional" standing for a trade professional as on the customer page.
fn influence(text: &str) -> Result<Influence, String> {
    match text.trim().to_ascii_lowercase().as_str() {
        "professional" => Ok(Influence::TradeProfessional),
        _ => text
            .parse()
            .map_err(|_| format!("'{text}' is not one of: none, reviewer, professional, public_figure")),
    }
}

/// An amount typed on the command line, read by the same rule as the window's (no guessed separators).
fn amount(text: &str) -> Result<Decimal, String> {
    loupe_core::parse_amount("amount", text).map_err(|error| error.to_string())
}
