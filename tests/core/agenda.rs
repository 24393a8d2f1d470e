//! The follow-up agenda: the rules that make reminders, at their boundaries, on hand-made books;
//! made once whatever runs them again (the day's pass, an import, a restore, a merge); gone
//! with their cause; history typed in late never floods it; catch-up after days closed; what
//! the dealer does with a reminder; pieces that arrive and whom they suit.

use std::sync::atomic::AtomicBool;

use chrono::{Days, Months, NaiveDate};
use loupe_core::model::*;
use loupe_core::problem::Problem;
use loupe_core::transfer::BookImportOptions;
use loupe_core::{Book, Error, PartialDate};
use rust_decimal::Decimal;

fn amount(text: &str) -> Decimal {
    text.parse().expect("amount")
}

fn day(text: &str) -> NaiveDate {
    text.parse().expect("day")
}

fn today() -> NaiveDate {
    loupe_core::today()
}

fn days_ago(days: u64) -> NaiveDate {
    today() - Days::new(days)
}

fn piece(category: ItemCategory, brand: &str, model: &str, price: &str) -> PurchaseItem {
    PurchaseItem { category, brand: brand.into(), model: model.into(), ..PurchaseItem::priced(amount(price)) }
}

fn sale(on: NaiveDate, items: Vec<PurchaseItem>) -> PurchaseDraft {
    PurchaseDraft {
        purchased_on: on,
        currency: String::new(),
        channel: SaleChannel::InStore,
        salesperson: String::new(),
        notes: String::new(),
        items,
        payments: Vec::new(),
        trade_ins: Vec::new(),
        collected_on: None,
        redemption: None,
    }
    .paid_in_full(PaymentMethod::Card)
}

fn customer(book: &mut Book, name: &str) -> i64 {
    book.create_customer(CustomerDraft::named(name)).expect("customer").id
}

fn born(book: &mut Book, name: &str, birthday: &str) -> i64 {
    let draft = CustomerDraft {
        birthday: Some(birthday.parse::<PartialDate>().expect("birthday")),
        ..CustomerDraft::named(name)
    };
    book.create_customer(draft).expect("customer").id
}

fn with_email(name: &str, address: &str) -> CustomerDraft {
    CustomerDraft {
        emails: vec![EmailEntry { label: String::new(), address: address.into(), primary: true }],
        ..CustomerDraft::named(name)
    }
}

/// Commits a contacts import of `file` as written, with the default options.
fn import_contacts(book: &mut Book, file: &std::path::Path) -> loupe_core::import::ImportSummary {
    book.commit_import(file, &loupe_core::import::ImportOptions::default(), &AtomicBool::new(false), |_| {})
        .expect("import")
}

/// Every reminder of the book, open or not: (customer, kind, due day, state).
fn reminders(path: &std::path::Path) -> Vec<(i64, String, String, String)> {
    let conn = rusqlite::Connection::open(path).expect("sqlite");
    let mut statement = conn
        .prepare("SELECT customer_id, kind, due_on, state FROM reminders ORDER BY customer_id, kind, due_on")
        .expect("sql");
    statement
        .query_map([], |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?, row.get(3)?)))
        .expect("rows")
        .collect::<rusqlite::Result<_>>()
        .expect("read")
}

/// `on`'s month and day in `year`, as a birthday is typed.
fn in_year(on: NaiveDate, year: i32) -> String {
    format!("{year}-{}", on.format("%m-%d"))
}

fn open_of(book: &Book, id: i64) -> Vec<Reminder> {
    book.reminders_of(id).expect("reminders")
}

fn kinds(reminders: &[Reminder]) -> Vec<ReminderKind> {
    reminders.iter().map(|reminder| reminder.kind).collect()
}

fn on_disk() -> (tempfile::TempDir, std::path::PathBuf, Book) {
    let dir = tempfile::tempdir().expect("dir");
    let path = dir.path().join("book.sqlite3");
    let book = Book::open(&path).expect("book");
    (dir, path, book)
}

fn set_rules(book: &mut Book, change: impl FnOnce(&mut FollowUpRules)) {
    let mut settings = book.settings().expect("settings");
    change(&mut settings.follow_up);
    book.update_settings(&settings).expect("settings saved");
}

/// Only the rules `on` switches on: a test of one rule is not crowded by the others (a lone
/// buyer is the book's key customer and a new member).
fn only(book: &mut Book, on: impl FnOnce(&mut FollowUpRules)) {
    set_rules(book, |rules| {
        let service_brands = std::mem::take(&mut rules.service_brands);
        *rules = FollowUpRules {
            after_sale: false,
            check_in: false,
            birthdays: false,
            anniversaries: false,
            key_visits: false,
            re_engagement: false,
            service: false,
            care: false,
            tier_upgrades: false,
            give_back: false,
            service_brands,
            ..rules.clone()
        };
        on(rules);
    });
}

fn problem_of(error: Error) -> (String, Problem) {
    match error {
        Error::Invalid { field, problem } => (field, problem),
        other => panic!("expected a refusal, got {other:?}"),
    }
}

#[test]
fn a_sale_is_followed_up_a_week_later_and_checked_in_on_from_the_threshold() {
    let mut book = Book::open_in_memory().expect("book");
    only(&mut book, |rules| {
        rules.after_sale = true;
        rules.check_in = true;
    });
    let anna = customer(&mut book, "Anna Small");
    let ben = customer(&mut book, "Ben Exactly");
    book.add_purchase(
        anna,
        sale(days_ago(2), vec![piece(ItemCategory::Necklace, "Tiffany", "Elsa Peretti", "4999.99")]),
    )
    .expect("sale");
    book.add_purchase(ben, sale(days_ago(2), vec![piece(ItemCategory::Watch, "Omega", "Seamaster", "5000")]))
        .expect("sale");

    let anna_reminders = open_of(&book, anna);
    assert_eq!(kinds(&anna_reminders), [ReminderKind::FollowUp], "below the threshold: no check-in");
    assert_eq!(anna_reminders[0].due_on, days_ago(2) + Days::new(7));
    let ReminderReason::Sale { pieces, total, .. } = &anna_reminders[0].reason else {
        panic!("a sale's reason")
    };
    assert_eq!(
        (pieces[0].brand.as_str(), pieces[0].model.as_str(), *total),
        ("Tiffany", "Elsa Peretti", amount("4999.99"))
    );
    assert!(anna_reminders[0].rule_made && anna_reminders[0].title.is_empty());

    let ben_reminders = open_of(&book, ben);
    assert_eq!(kinds(&ben_reminders), [ReminderKind::FollowUp, ReminderKind::CheckIn], "at the threshold");
    assert_eq!(ben_reminders[1].due_on, days_ago(2) + Days::new(90));
}

#[test]
fn a_rule_made_reminder_is_made_once_whatever_runs_the_rules_again() {
    let (_dir, path, mut book) = on_disk();
    only(&mut book, |rules| {
        rules.after_sale = true;
        rules.check_in = true;
        rules.birthdays = true;
    });
    let draft = CustomerDraft {
        birthday: Some(format!("--{}", (today() + Days::new(3)).format("%m-%d")).parse().expect("birthday")),
        emails: vec![EmailEntry { label: String::new(), address: "anna@example.com".into(), primary: true }],
        ..CustomerDraft::named("Anna Again")
    };
    let anna = book.create_customer(draft).expect("anna").id;
    book.add_purchase(anna, sale(today(), vec![piece(ItemCategory::Watch, "Rolex", "Datejust", "9000")]))
        .expect("sale");
    let first = reminders(&path);
    assert_eq!(first.len(), 3, "follow-up, check-in, birthday: {first:?}");
    // The rules again, the day's pass, a profile saved unchanged, a contact: nothing more.
    book.refresh_agenda().expect("rules");
    book.refresh_standing().expect("day");
    let profile = book.customer(anna).expect("anna").profile;
    book.update_customer(anna, profile).expect("saved");
    assert_eq!(reminders(&path), first);

    // Done, then every rule again: done stays done, nothing is made a second time.
    let follow_up =
        open_of(&book, anna).into_iter().find(|r| r.kind == ReminderKind::FollowUp).expect("follow-up");
    let done =
        ReminderDone { channel: ContactMethod::Phone, summary: "Called".into(), outcome: "Loves it".into() };
    book.complete_reminder(follow_up.id, &done).expect("done");
    book.refresh_agenda().expect("rules");
    let after_done = reminders(&path);
    assert_eq!(after_done.iter().filter(|r| r.1 == "follow_up").count(), 1);
    assert_eq!(after_done.iter().filter(|r| r.3 == "done").count(), 1);

    // Moved to another book and back (a restore): the same rows, no more.
    let folder = tempfile::tempdir().expect("folder");
    let exported = folder.path().join("book");
    book.export_book(&exported, &AtomicBool::new(false), |_| {}).expect("export");
    let (_other_dir, other_path, mut other) = on_disk();
    other
        .import_book(&exported, &BookImportOptions::default(), &AtomicBool::new(false), |_| {})
        .expect("restore");
    assert_eq!(reminders(&other_path), after_done);
    other.refresh_agenda().expect("rules");
    assert_eq!(reminders(&other_path), after_done);
    // Merged into the book it came from: Anna is matched by her email, her sale comes along as
    // another sale (with its own follow-up), her birthday stays one reminder.
    book.import_book(&exported, &BookImportOptions { merge: true }, &AtomicBool::new(false), |_| {})
        .expect("merge");
    let merged = reminders(&path);
    assert!(merged.iter().all(|r| r.0 == anna), "{merged:?}");
    assert_eq!(merged.iter().filter(|r| r.1 == "birthday").count(), 1, "{merged:?}");
}

#[test]
fn a_contacts_import_makes_birthdays_once() {
    let (_dir, path, mut book) = on_disk();
    let soon = today() + Days::new(5);
    let file = tempfile::NamedTempFile::new().expect("file");
    std::fs::write(
        file.path(),
        format!("Name,Email,Birthday\nCarla Card,carla@example.com,{}\n", in_year(soon, 1980)),
    )
    .expect("write");
    let options = loupe_core::import::ImportOptions::default();
    book.commit_import(file.path(), &options, &AtomicBool::new(false), |_| {}).expect("import");
    let once = reminders(&path);
    assert_eq!(once.len(), 1, "the birthday: {once:?}");
    assert_eq!(once[0].2, soon.to_string());
    // The same file again merges into Carla: still one birthday.
    book.commit_import(file.path(), &options, &AtomicBool::new(false), |_| {}).expect("again");
    assert_eq!(reminders(&path), once);
}

/// A few business cards into a larger book reconcile the people they create and merge into,
/// not the whole book: a birthday that comes with a new card and one that comes with a card of
/// someone already in the book are both on the agenda.
#[test]
fn a_small_contacts_import_makes_the_birthdays_of_new_and_merged_people() {
    let (_dir, path, mut book) = on_disk();
    for n in 0..20 {
        customer(&mut book, &format!("Regular {n}"));
    }
    let anna = book.create_customer(with_email("Anna Alt", "anna@example.com")).expect("anna").id;
    let (soon, later) = (today() + Days::new(5), today() + Days::new(9));
    let file = tempfile::NamedTempFile::new().expect("file");
    std::fs::write(
        file.path(),
        format!(
            "Name,Email,Birthday\nCarla Card,carla@example.com,{}\nAnna Alt,anna@example.com,{}\n",
            in_year(soon, 1980),
            in_year(later, 1975)
        ),
    )
    .expect("write");
    let summary = import_contacts(&mut book, file.path());
    assert_eq!((summary.created, summary.merged), (1, 1));
    let made: Vec<(i64, String, String)> =
        reminders(&path).into_iter().map(|(id, kind, due_on, _)| (id, kind, due_on)).collect();
    let carla = anna + 1;
    assert_eq!(
        made,
        vec![(anna, "birthday".into(), later.to_string()), (carla, "birthday".into(), soon.to_string())]
    );
}

/// A contacts import reconciles only the people whose birthday or anniversary it gave or
/// changed, as nothing else the rules read moves with a file of contacts: what it leaves is
/// what the day's pass over the whole book makes. New cards with a birthday, an anniversary
/// or neither; cards of people in the book that add a birthday, an anniversary, a phone, or
/// nothing, among them a VIP with reminders of her own.
#[test]
fn a_contacts_import_leaves_the_reminders_the_days_pass_would_make() {
    let (_dir, path, mut book) = on_disk();
    set_rules(&mut book, |rules| {
        rules.birthdays = true;
        rules.anniversaries = true;
        rules.key_visits = true;
        rules.give_back = true;
        rules.after_sale = true;
    });
    for n in 0..20 {
        customer(&mut book, &format!("Regular {n}"));
    }
    let vera = book.create_customer(with_email("Vera Vip", "vera@example.com")).expect("vera").id;
    book.add_purchase(
        vera,
        sale(days_ago(20), vec![piece(ItemCategory::Watch, "Rolex", "Daytona", "30000")]),
    )
    .expect("sale");
    for (name, address) in
        [("Anna Alt", "anna@example.com"), ("Ben Bell", "ben@example.com"), ("Cy Same", "cy@example.com")]
    {
        book.create_customer(with_email(name, address)).expect("customer");
    }
    let (soon, later) = (today() + Days::new(5), today() + Days::new(9));
    let file = tempfile::NamedTempFile::new().expect("file");
    std::fs::write(
        file.path(),
        format!(
            "Name,Email,Phone,Birthday,Anniversary\n\
             Carla Card,carla@example.com,,{born},\n\
             Dora Date,dora@example.com,,,{wed}\n\
             Eve Empty,eve@example.com,,,\n\
             Anna Alt,anna@example.com,,{born_later},\n\
             Ben Bell,ben@example.com,,,{wed}\n\
             Vera Vip,vera@example.com,+44 7700 900123,,\n\
             Cy Same,cy@example.com,,,\n",
            born = in_year(soon, 1980),
            born_later = in_year(later, 1975),
            wed = in_year(later, 2001),
        ),
    )
    .expect("write");
    let summary = import_contacts(&mut book, file.path());
    assert_eq!((summary.created, summary.merged), (3, 4));
    let imported = reminders(&path);
    let kinds: Vec<&str> = imported.iter().map(|reminder| reminder.1.as_str()).collect();
    assert_eq!(kinds.iter().filter(|kind| **kind == "birthday").count(), 2, "{imported:?}");
    assert_eq!(kinds.iter().filter(|kind| **kind == "anniversary").count(), 2, "{imported:?}");
    assert!(imported.iter().any(|reminder| reminder.0 == vera && reminder.1 == "key_visit"), "{imported:?}");
    book.refresh_agenda().expect("the day's pass");
    assert_eq!(reminders(&path), imported);
}

#[test]
fn history_typed_in_after_the_fact_makes_no_reminder_past_thirty_days_overdue() {
    let mut book = Book::open_in_memory().expect("book");
    only(&mut book, |rules| {
        rules.after_sale = true;
        rules.service = true;
    });
    let id = customer(&mut book, "Late Typist");
    // Due 30 days ago: still made. Due 31 days ago: history.
    let within =
        book.add_purchase(id, sale(days_ago(37), vec![PurchaseItem::priced(amount("100"))])).expect("sale");
    let past =
        book.add_purchase(id, sale(days_ago(38), vec![PurchaseItem::priced(amount("100"))])).expect("sale");
    let open = open_of(&book, id);
    let sales: Vec<Option<i64>> = open.iter().map(|r| r.purchase_id).collect();
    assert_eq!(sales, [Some(within.id)], "only the sale whose follow-up is at most 30 days overdue");
    assert!(!sales.contains(&Some(past.id)));
    // A sale years ago typed in today: no follow-up, no service of its Omega (due 3 years ago).
    book.add_purchase(
        id,
        sale(days_ago(11 * 365), vec![piece(ItemCategory::Watch, "Omega", "Speedmaster", "3000")]),
    )
    .expect("old sale");
    assert_eq!(open_of(&book, id).len(), 1);
}

#[test]
fn a_reminder_goes_with_its_cause_and_moves_with_it() {
    let mut book = Book::open_in_memory().expect("book");
    only(&mut book, |rules| {
        rules.after_sale = true;
        rules.birthdays = true;
    });
    let id = born(&mut book, "Moving Target", &in_year(today() + Days::new(10), 1990));
    let bought =
        book.add_purchase(id, sale(today(), vec![PurchaseItem::priced(amount("100"))])).expect("sale");
    assert_eq!(kinds(&open_of(&book, id)), [ReminderKind::FollowUp, ReminderKind::Birthday]);
    // The sale's day corrected: its follow-up moves with it.
    book.update_purchase(bought.id, sale(days_ago(3), vec![PurchaseItem::priced(amount("100"))]))
        .expect("edit");
    assert_eq!(open_of(&book, id)[0].due_on, days_ago(3) + Days::new(7));
    // The birthday corrected: the old day's reminder goes, the new one comes.
    let mut profile = book.customer(id).expect("customer").profile;
    profile.birthday = Some(format!("--{}", (today() + Days::new(20)).format("%m-%d")).parse().expect("day"));
    book.update_customer(id, profile.clone()).expect("corrected");
    let birthdays: Vec<NaiveDate> =
        open_of(&book, id).iter().filter(|r| r.kind == ReminderKind::Birthday).map(|r| r.due_on).collect();
    assert_eq!(birthdays, [today() + Days::new(20)]);
    // The sale deleted, the birthday removed: nothing left.
    book.delete_purchase(bought.id).expect("deleted");
    profile.birthday = None;
    book.update_customer(id, profile).expect("removed");
    assert!(open_of(&book, id).is_empty());
}

#[test]
fn the_29th_of_february_falls_on_the_28th_or_on_the_1st_of_march_by_the_setting() {
    let (_dir, path, mut book) = on_disk();
    let leap = born(&mut book, "Leap Born", "2000-02-29");
    let yearless = born(&mut book, "Leap No Year", "--02-29");
    book.refresh_agenda_on(day("2027-02-20")).expect("rules");
    let due: Vec<(i64, String)> =
        reminders(&path).into_iter().filter(|r| r.1 == "birthday").map(|r| (r.0, r.2)).collect();
    assert!(
        due.contains(&(leap, "2027-02-28".into())) && due.contains(&(yearless, "2027-02-28".into())),
        "{due:?}"
    );
    let agenda = book.agenda_on(day("2027-02-28"), 0).expect("agenda");
    let ages: Vec<&ReminderReason> = agenda.items.iter().map(|item| &item.reminder.reason).collect();
    assert!(
        ages.contains(&&ReminderReason::Birthday { age: Some(27) })
            && ages.contains(&&ReminderReason::Birthday { age: None })
    );

    set_rules(&mut book, |rules| rules.leap_day = LeapDayRule::March1);
    book.refresh_agenda_on(day("2027-02-20")).expect("rules");
    let open: Vec<(i64, String, String)> = reminders(&path)
        .into_iter()
        .filter(|r| r.1 == "birthday" && r.3 == "open")
        .map(|r| (r.0, r.2, r.3))
        .filter(|r| r.1.starts_with("2027"))
        .collect();
    assert_eq!(
        open,
        [(leap, "2027-03-01".into(), "open".into()), (yearless, "2027-03-01".into(), "open".into())]
    );
    // In a leap year it is the day itself.
    book.refresh_agenda_on(day("2028-02-20")).expect("rules");
    assert!(reminders(&path).iter().any(|r| r.0 == leap && r.2 == "2028-02-29"));
}

#[test]
fn after_days_closed_everything_that_fell_due_is_there_and_old_birthdays_expire() {
    let (_dir, path, mut book) = on_disk();
    let opened = day("2026-03-02");
    // Birthdays 40 and 10 days before the day the window opens again, four months later.
    let back = day("2026-07-10");
    let forty = born(&mut book, "Forty Days", &format!("--{}", (back - Days::new(40)).format("%m-%d")));
    let ten = born(&mut book, "Ten Days", &format!("--{}", (back - Days::new(10)).format("%m-%d")));
    book.refresh_agenda_on(opened).expect("rules");
    let refresh = book.refresh_agenda_on(back).expect("catch-up");
    assert!(refresh.created >= 1);
    let agenda = book.agenda_on(back, 7).expect("agenda");
    let overdue: Vec<(i64, NaiveDate)> = agenda
        .items
        .iter()
        .filter(|item| item.section == AgendaSection::Overdue)
        .map(|item| (item.reminder.customer_id, item.reminder.due_on))
        .collect();
    assert_eq!(overdue, [(ten, back - Days::new(10))], "ten days overdue is kept; forty is past its expiry");
    assert_eq!(agenda.counts.overdue, 1);
    assert!(
        !reminders(&path)
            .iter()
            .any(|r| r.0 == forty && r.3 == "open" && r.2 == (back - Days::new(40)).to_string())
    );

    // Ten days closed: what fell due in between is overdue, none lost.
    let later = back + Days::new(10);
    let refresh = book.refresh_agenda_on(later).expect("ten days later");
    assert_eq!(refresh.removed, 0);
    let agenda = book.agenda_on(later, 7).expect("agenda");
    assert_eq!(
        agenda.counts.overdue,
        1,
        "the birthday of {} still there, 20 days overdue",
        back - Days::new(10)
    );
    // Thirty-one days after its day the birthday goes by itself.
    let refresh = book.refresh_agenda_on(back - Days::new(10) + Days::new(31)).expect("expiry");
    assert_eq!(refresh.expired, 1);
}

#[test]
fn a_snoozed_birthday_does_not_expire_and_snoozing_into_the_past_is_refused() {
    let mut book = Book::open_in_memory().expect("book");
    let id = born(&mut book, "Snoozer", &format!("--{}", today().format("%m-%d")));
    let birthday = open_of(&book, id).pop().expect("birthday");
    let (field, problem) =
        problem_of(book.snooze_reminder(birthday.id, today()).expect_err("not after today"));
    assert_eq!((field.as_str(), problem), ("until", Problem::SnoozeNotAfterToday));
    let until = today() + Days::new(45);
    let snoozed = book.snooze_reminder(birthday.id, until).expect("snoozed");
    assert_eq!((snoozed.snoozed_until, snoozed.expires_on), (Some(until), None));
    let refresh = book.refresh_agenda_on(today() + Days::new(40)).expect("rules");
    assert_eq!(refresh.expired, 0);
    assert_eq!(book.reminder(birthday.id).expect("kept").state, ReminderState::Open);
}

#[test]
fn done_records_the_contact_and_a_repeating_reminder_comes_back() {
    let mut book = Book::open_in_memory().expect("book");
    let id = customer(&mut book, "Monthly Call");
    let draft = ReminderDraft {
        due_on: days_ago(40),
        title: "Ask about the strap".into(),
        notes: "Brown alligator".into(),
        repeat: Some(Repeat { every: 1, unit: RepeatUnit::Months }),
    };
    let (field, problem) = problem_of(
        book.add_reminder(id, &ReminderDraft { title: "  ".into(), ..draft.clone() }).expect_err("no title"),
    );
    assert_eq!((field.as_str(), problem), ("title", Problem::ReminderTitleMissing));
    let typed = book.add_reminder(id, &draft).expect("typed");
    assert!(!typed.rule_made);
    let done = ReminderDone {
        channel: ContactMethod::Post,
        summary: "Ask about the strap".into(),
        outcome: "Follow up in writing".into(),
    };
    let closed = book.complete_reminder(typed.id, &done).expect("done");
    assert_eq!(closed.reminder.state, ReminderState::Done);
    let story = book.customer_story(id).expect("story");
    let contact =
        story.interactions.iter().find(|i| Some(i.id) == closed.interaction_id).expect("on the timeline");
    assert_eq!(
        (
            contact.entry.kind,
            contact.entry.direction,
            contact.entry.occurred_on,
            contact.entry.outcome.as_str()
        ),
        (InteractionKind::Message, Direction::Outbound, today(), "Follow up in writing")
    );
    // Done late: the next is one month after its day, and on until after today.
    let next = closed.next.expect("comes back");
    assert!(next.due_on > today() && next.due_on <= today().checked_add_months(Months::new(1)).expect("day"));
    assert_eq!((next.title.as_str(), next.repeat), ("Ask about the strap", draft.repeat));
    let (_, problem) = problem_of(book.complete_reminder(typed.id, &done).expect_err("twice"));
    assert_eq!(problem, Problem::ReminderNotOpen);
    // Dismissed, it comes back too; a rule's cannot be deleted, only dismissed.
    let dismissed = book.dismiss_reminder(next.id).expect("dismissed");
    assert!(dismissed.next.is_some() && dismissed.interaction_id.is_none());
    let bought =
        book.add_purchase(id, sale(today(), vec![PurchaseItem::priced(amount("10"))])).expect("sale");
    let rule_made =
        open_of(&book, id).into_iter().find(|r| r.purchase_id == Some(bought.id)).expect("follow-up");
    let (_, problem) = problem_of(book.delete_reminder(rule_made.id).expect_err("a rule's"));
    assert_eq!(problem, Problem::ReminderRuleMade);
}

#[test]
fn the_agenda_marks_a_refused_channel_and_offers_the_others() {
    let mut book = Book::open_in_memory().expect("book");
    only(&mut book, |rules| {
        rules.after_sale = true;
    });
    let draft = CustomerDraft {
        phones: vec![PhoneEntry {
            label: String::new(),
            number: "+44 7911 123456".into(),
            e164: None,
            primary: true,
        }],
        emails: vec![EmailEntry {
            label: String::new(),
            address: "no.calls@example.com".into(),
            primary: true,
        }],
        consents: vec![Consent::given_today(Channel::Phone, ConsentStatus::OptedOut, "shop counter")],
        ..CustomerDraft::named("No Calls Please")
    };
    let id = book.create_customer(draft).expect("customer").id;
    book.add_purchase(id, sale(days_ago(7), vec![PurchaseItem::priced(amount("100"))])).expect("sale");
    let agenda = book.agenda(7).expect("agenda");
    let item = agenda.items.iter().find(|item| item.reminder.customer_id == id).expect("due today");
    assert_eq!(
        (item.section, item.channel, item.consent),
        (AgendaSection::Today, ContactMethod::Phone, ChannelConsent::OptedOut)
    );
    assert_eq!(item.alternatives, [ContactMethod::Email, ContactMethod::Sms, ContactMethod::InPerson]);
    assert_eq!((agenda.counts.today, agenda.counts.overdue), (1, 0));
    let (field, problem) = problem_of(book.agenda(93).expect_err("too far"));
    assert_eq!((field.as_str(), problem), ("days", Problem::AgendaDaysOutOfRange { max: 92 }));
}

#[test]
fn key_customers_are_visited_every_sixty_days_and_thanked_each_quarter() {
    let mut book = Book::open_in_memory().expect("book");
    let vip = customer(&mut book, "Very Important");
    book.add_purchase(vip, sale(days_ago(70), vec![PurchaseItem::priced(amount("25000"))])).expect("sale");
    book.refresh_standing().expect("ranked");
    let open = open_of(&book, vip);
    let visit = open.iter().find(|r| r.kind == ReminderKind::KeyVisit).expect("a visit");
    assert_eq!(
        visit.due_on,
        today(),
        "60 days after the sale passed 10 days ago: due today, never in the past"
    );
    assert!(open.iter().any(|r| r.kind == ReminderKind::GiveBack && r.shown_on() <= today()));
    // A contact moves the next visit 60 days on, and the old one goes.
    let call = InteractionDraft {
        kind: InteractionKind::Call,
        direction: Direction::Outbound,
        occurred_on: days_ago(1),
        summary: "Caught up".into(),
        outcome: String::new(),
        campaign: String::new(),
        response: None,
    };
    book.add_entry(vip, call).expect("contact");
    let visits: Vec<NaiveDate> =
        open_of(&book, vip).iter().filter(|r| r.kind == ReminderKind::KeyVisit).map(|r| r.due_on).collect();
    assert_eq!(visits, [days_ago(1) + Days::new(60)]);
    // Thanked this quarter: not asked again this quarter.
    let give_back =
        open_of(&book, vip).into_iter().find(|r| r.kind == ReminderKind::GiveBack).expect("give-back");
    let thanked = ReminderDone {
        channel: ContactMethod::InPerson,
        summary: "Thank-you gift".into(),
        outcome: String::new(),
    };
    book.complete_reminder(give_back.id, &thanked).expect("thanked");
    book.refresh_agenda().expect("rules");
    assert!(!open_of(&book, vip).iter().any(|r| r.kind == ReminderKind::GiveBack));
    // Switched off, the rule's open reminders go.
    set_rules(&mut book, |rules| rules.key_visits = false);
    assert!(!open_of(&book, vip).iter().any(|r| r.kind == ReminderKind::KeyVisit));
}

/// A mailing recorded as a campaign is no visit: a key customer's visit stays due, whether their
/// reminders are reconciled one by one (a small list) or by the day's pass over the whole book
/// (a list of a sixth of the book or more); their reply to it is a contact and moves it.
#[test]
fn a_mailing_recorded_as_a_campaign_leaves_a_key_customers_visit_and_their_reply_moves_it() {
    for others in [0, 6] {
        let mut book = Book::open_in_memory().expect("book");
        let vip = customer(&mut book, "Very Important");
        for index in 0..others {
            customer(&mut book, &format!("Other {index}"));
        }
        book.add_purchase(vip, sale(days_ago(70), vec![PurchaseItem::priced(amount("25000"))]))
            .expect("sale");
        book.refresh_standing().expect("ranked");
        let visits = |book: &Book| -> Vec<NaiveDate> {
            open_of(book, vip).iter().filter(|r| r.kind == ReminderKind::KeyVisit).map(|r| r.due_on).collect()
        };
        assert_eq!(visits(&book), [today()], "{others} others");
        book.record_campaign_contacts("Spring letters", MailingChannel::Email, &[vip]).expect("recorded");
        assert_eq!(visits(&book), [today()], "a newsletter is no visit ({others} others)");
        let reply = InteractionDraft {
            kind: InteractionKind::Email,
            direction: Direction::Inbound,
            occurred_on: today(),
            summary: "Asked about the spring pieces".into(),
            outcome: String::new(),
            campaign: "Spring letters".into(),
            response: Some(InteractionResponse::Replied),
        };
        book.add_entry(vip, reply).expect("reply");
        assert_eq!(visits(&book), [today() + Days::new(60)], "{others} others");
    }
}

#[test]
fn a_customer_becoming_at_risk_is_re_engaged_once_and_no_longer_once_they_buy() {
    let mut book = Book::open_in_memory().expect("book");
    let id = customer(&mut book, "Drifting Away");
    book.add_purchase(
        id,
        sale(
            today().checked_sub_months(Months::new(13)).expect("day"),
            vec![PurchaseItem::priced(amount("300"))],
        ),
    )
    .expect("old sale");
    let re_engage: Vec<Reminder> =
        open_of(&book, id).into_iter().filter(|r| r.kind == ReminderKind::ReEngagement).collect();
    assert_eq!(re_engage.len(), 1, "moved to at risk today");
    assert!(matches!(re_engage[0].reason, ReminderReason::ReEngagement { since, .. } if since == today()));
    book.refresh_standing().expect("again");
    assert_eq!(open_of(&book, id).iter().filter(|r| r.kind == ReminderKind::ReEngagement).count(), 1);
    book.add_purchase(id, sale(today(), vec![PurchaseItem::priced(amount("300"))])).expect("back");
    assert!(!open_of(&book, id).iter().any(|r| r.kind == ReminderKind::ReEngagement));
}

#[test]
fn an_upgrade_is_congratulated_and_members_with_care_are_reminded_yearly() {
    let mut book = Book::open_in_memory().expect("book");
    let id = customer(&mut book, "Gold Member");
    let ring_day = today().checked_sub_months(Months::new(12)).expect("day") + Days::new(5);
    book.add_purchase(id, sale(ring_day, vec![piece(ItemCategory::Ring, "Cartier", "Love", "30000")]))
        .expect("ring");
    book.add_purchase(
        id,
        sale(today(), vec![piece(ItemCategory::Necklace, "Cartier", "Juste un Clou", "25000")]),
    )
    .expect("necklace");
    let open = open_of(&book, id);
    let congratulations: Vec<&str> = open
        .iter()
        .filter_map(|r| match &r.reason {
            ReminderReason::TierUpgrade { to, .. } => Some(to.key.as_str()),
            _ => None,
        })
        .collect();
    assert_eq!(
        congratulations,
        ["gold"],
        "reaching the entry tier (Member) with the first sale is not congratulated"
    );
    let care = open.iter().find(|r| r.kind == ReminderKind::Care).expect("yearly care");
    assert_eq!(care.due_on, ring_day.checked_add_months(Months::new(12)).expect("day"));
    assert!(
        matches!(&care.reason, ReminderReason::Care { tier, since } if tier.key == "gold" && *since == ring_day)
    );
}

#[test]
fn a_watch_is_serviced_at_its_brands_interval() {
    let mut book = Book::open_in_memory().expect("book");
    only(&mut book, |rules| {
        rules.service = true;
    });
    let id = customer(&mut book, "Collector");
    let eight_years = today().checked_sub_months(Months::new(96)).expect("day") + Days::new(10);
    let five_years = today().checked_sub_months(Months::new(60)).expect("day") + Days::new(10);
    let items = vec![
        piece(ItemCategory::Watch, "OMEGA", "Seamaster", "4000"),
        piece(ItemCategory::Watch, "", "Unbranded", "100"),
        piece(ItemCategory::Ring, "Omega", "Constellation ring", "900"),
    ];
    book.add_purchase(id, sale(eight_years, items)).expect("omega");
    book.add_purchase(id, sale(five_years, vec![piece(ItemCategory::Watch, "Longines", "Spirit", "2500")]))
        .expect("longines");
    let services: Vec<(NaiveDate, String, u32)> = open_of(&book, id)
        .iter()
        .filter_map(|r| match &r.reason {
            ReminderReason::Service { piece, years, .. } => Some((r.due_on, piece.brand.clone(), *years)),
            _ => None,
        })
        .collect();
    assert_eq!(
        services,
        [
            (today() + Days::new(10), "OMEGA".to_string(), 8),
            (today() + Days::new(10), "Longines".to_string(), 5)
        ],
        "a brand in any case at its interval, any other brand at five years, no brand and no watch none"
    );
    // The dealer's own interval for Longines: six years, so not due yet.
    set_rules(&mut book, |rules| {
        rules.service_brands.push(ServiceInterval { brand: " longines ".into(), years: 6 })
    });
    assert_eq!(open_of(&book, id).iter().filter(|r| r.kind == ReminderKind::Service).count(), 1);
    let mut settings = book.settings().expect("settings");
    settings.follow_up.service_brands.push(ServiceInterval { brand: "Cartier".into(), years: 0 });
    let (field, problem) = problem_of(book.update_settings(&settings).expect_err("zero years"));
    assert_eq!(
        (field.as_str(), problem),
        ("follow_up.service_brands[4].years", Problem::FollowUpNumberOutOfRange { min: 1, max: 50 })
    );
    settings.follow_up.service_brands[4] = ServiceInterval { brand: "OMEGA ".into(), years: 7 };
    let (field, problem) = problem_of(book.update_settings(&settings).expect_err("twice"));
    assert_eq!(
        (field.as_str(), problem),
        ("follow_up.service_brands[4].brand", Problem::ListedTwice { value: "OMEGA".into() })
    );
}

#[test]
fn two_records_of_one_person_merged_keep_one_birthday_reminder() {
    let (_dir, path, mut book) = on_disk();
    let soon = format!("--{}", (today() + Days::new(4)).format("%m-%d"));
    let kept = born(&mut book, "Grace Wilson", &soon);
    let other = born(&mut book, "G. Wilson", &soon);
    assert_eq!(reminders(&path).len(), 2);
    book.merge_customers(kept, other).expect("merged");
    let after = reminders(&path);
    assert_eq!(
        after,
        [(kept, "birthday".to_string(), (today() + Days::new(4)).to_string(), "open".to_string())]
    );
}

#[test]
fn a_piece_that_arrives_finds_the_wish_for_it_first_then_who_bought_the_brand() {
    let mut book = Book::open_in_memory().expect("book");
    let wisher = customer(&mut book, "Wants The Reference");
    let over_budget = customer(&mut book, "Wants It Cheaper");
    let buyer = customer(&mut book, "Bought Patek Before");
    let fan = customer(&mut book, "Prefers Patek");
    let stranger = customer(&mut book, "Never Heard Of It");
    let wish = |reference: &str, max: &str| WishDraft {
        brand: "Patek Philippe".into(),
        model: "Calatrava".into(),
        reference_number: reference.into(),
        budget_min: None,
        budget_max: Some(amount(max)),
        currency: String::new(),
        notes: String::new(),
        status: WishStatus::Open,
        requested_on: days_ago(30),
        closed_on: None,
    };
    let wanted = book.add_entry(wisher, wish("5196 G", "30000")).expect("wish").id;
    book.add_entry(over_budget, wish("5196-g", "10000")).expect("wish");
    book.add_purchase(
        buyer,
        sale(days_ago(400), vec![piece(ItemCategory::Watch, "patek philippe", "Nautilus", "90000")]),
    )
    .expect("sale");
    let mut profile = book.customer(fan).expect("fan").profile;
    profile.preferences.brands = vec!["Patek Philippe".into()];
    book.update_customer(fan, profile).expect("fan");

    let (_, problem) = problem_of(
        book.add_arrival(&ArrivalDraft {
            arrived_on: today(),
            category: None,
            brand: String::new(),
            model: "Mystery".into(),
            reference_number: String::new(),
            material: String::new(),
            price: None,
            currency: String::new(),
            notes: String::new(),
        })
        .expect_err("nothing to match"),
    );
    assert_eq!(problem, Problem::ArrivalNothingToMatch);

    let arrival = ArrivalDraft {
        arrived_on: today(),
        category: Some(ItemCategory::Watch),
        brand: "Patek Philippe".into(),
        model: "Calatrava".into(),
        reference_number: "5196G".into(),
        material: "white gold".into(),
        price: Some(amount("24500")),
        currency: String::new(),
        notes: String::new(),
    };
    let found = book.add_arrival(&arrival).expect("arrival");
    let order: Vec<i64> = found.matches.iter().map(|m| m.customer_id).collect();
    assert_eq!(order, [wisher, over_budget, buyer, fan], "the wish within budget, over it, bought, prefers");
    assert!(!order.contains(&stranger));
    assert_eq!(found.matches[0].wish_id, Some(wanted));
    assert!(matches!(
        found.matches[0].reasons[0],
        ArrivalReason::Wish { reference: true, within_budget: Some(true), .. }
    ));
    assert!(matches!(found.matches[1].reasons[0], ArrivalReason::Wish { within_budget: Some(false), .. }));

    let told = book.remind_arrival(found.arrival.id, &[wisher, buyer]).expect("told");
    assert_eq!(told.len(), 2);
    assert!(told.iter().all(|r| r.kind == ReminderKind::Arrival && r.due_on == today() && !r.rule_made));
    // Telling again makes nothing more; the list marks who was told.
    assert!(book.remind_arrival(found.arrival.id, &[wisher]).expect("again").is_empty());
    let again = book.arrival_matches(found.arrival.id).expect("matches");
    assert_eq!(again.arrival.told, 2);
    assert!(again.matches.iter().find(|m| m.customer_id == wisher).is_some_and(|m| m.told));
    book.delete_arrival(found.arrival.id).expect("deleted");
    assert!(open_of(&book, wisher).is_empty(), "its open reminders go with it");
}

#[test]
fn the_window_opens_on_the_agenda_exactly_when_the_badge_counts_something_due() {
    // A typed reminder, at its boundaries: the day before, its day, after; snoozed; dismissed.
    let mut book = Book::open_in_memory().expect("book");
    let id = book.create_customer(CustomerDraft::named("Typed For")).expect("customer").id;
    let due_on = today() + Days::new(3);
    let draft = ReminderDraft { due_on, title: "Call back".into(), notes: String::new(), repeat: None };
    let reminder = book.add_reminder(id, &draft).expect("reminder").id;
    let due = |book: &Book, day: NaiveDate| book.agenda_due_on(day).expect("due");
    assert!(!due(&book, due_on - Days::new(1)));
    assert!(due(&book, due_on));
    assert!(due(&book, due_on + Days::new(1)));
    book.snooze_reminder(reminder, due_on + Days::new(5)).expect("snooze");
    assert!(!due(&book, due_on + Days::new(1)), "snoozed past that day");
    assert!(due(&book, due_on + Days::new(5)));
    book.dismiss_reminder(reminder).expect("dismiss");
    assert!(!due(&book, due_on + Days::new(30)));

    // Every kind a demo book's rules make, give-backs among them: the same answer as the badge.
    book.generate_demo(400, 900, 3, |_| {}).expect("demo");
    let mut answers = Vec::new();
    for offset in (0..=520).step_by(8) {
        let day = today() - Days::new(400) + Days::new(offset);
        let counts = book.agenda_on(day, 7).expect("agenda").counts;
        let due = due(&book, day);
        assert_eq!(due, counts.overdue + counts.today > 0, "{day}: {counts:?}");
        answers.push(due);
    }
    assert!(answers.contains(&true) && answers.contains(&false), "{answers:?}");
}
