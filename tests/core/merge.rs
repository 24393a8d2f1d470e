//! Merging two records of one person, undoing it, and the pairs that may be one person: at
//! the boundaries of the rules ARCHITECTURE.md states (what moves, what fills, which consent
//! wins, what an undo gives back, who an erasure reaches).

use std::path::Path;

use chrono::NaiveDate;
use loupe_core::backup::BackupKind;
use loupe_core::matching::MatchReason;
use loupe_core::model::*;
use loupe_core::problem::Problem;
use loupe_core::{Book, Error};

fn temp_book() -> (tempfile::TempDir, Book) {
    let dir = tempfile::tempdir().expect("temp dir");
    let book = Book::open(&dir.path().join("loupe.sqlite3")).expect("open book");
    (dir, book)
}

fn person(name: &str, email: &str, phone: &str) -> CustomerDraft {
    CustomerDraft {
        emails: if email.is_empty() {
            Vec::new()
        } else {
            vec![EmailEntry { label: String::new(), address: email.into(), primary: true }]
        },
        phones: if phone.is_empty() {
            Vec::new()
        } else {
            vec![PhoneEntry { label: String::new(), number: phone.into(), e164: None, primary: true }]
        },
        ..CustomerDraft::named(name)
    }
}

fn date(text: &str) -> NaiveDate {
    text.parse().expect("date")
}

fn consent(channel: Channel, status: ConsentStatus, on: &str, source: &str) -> Consent {
    Consent { channel, status, date: Some(date(on)), source: source.into() }
}

fn sale(price: &str, serial: &str) -> PurchaseDraft {
    PurchaseDraft {
        purchased_on: date("2025-06-16"),
        currency: String::new(),
        payments: Vec::new(),
        trade_ins: Vec::new(),
        collected_on: None,
        redemption: None,
        channel: SaleChannel::InStore,
        salesperson: String::new(),
        notes: String::new(),
        items: vec![PurchaseItem {
            brand: "Audemars Piguet".into(),
            model: "Royal Oak".into(),
            serial_number: serial.into(),
            ..PurchaseItem::priced(price.parse().expect("price"))
        }],
    }
}

fn note(body: &str) -> NoteDraft {
    NoteDraft {
        category: NoteCategory::PersonalInterest,
        body: body.into(),
        pinned: false,
        noted_on: date("2026-01-10"),
    }
}

fn consent_of(customer: &Customer, channel: Channel) -> Option<Consent> {
    customer.profile.consents.iter().find(|consent| consent.channel == channel).cloned()
}

/// Grace Wilson typed in twice: once at the counter, once from a business card as "G. Wilson".
fn grace_twice(book: &mut Book) -> (i64, i64) {
    let mut grace = person("Grace Wilson", "grace@wilson.example", "+44 7400 997207");
    grace.company = "Wilson & Co".into();
    grace.tags = vec!["VIP".into()];
    grace.consents = vec![
        consent(Channel::Email, ConsentStatus::OptedIn, "2025-01-01", "shop counter"),
        consent(Channel::Post, ConsentStatus::OptedIn, "2024-03-01", "shop counter"),
        consent(Channel::Phone, ConsentStatus::OptedIn, "2024-03-01", "shop counter"),
    ];
    let grace = book.create_customer(grace).expect("grace").id;
    let mut card = person("G. Wilson", "GRACE@wilson.example", "");
    card.emails.push(EmailEntry {
        label: "home".into(),
        address: "grace@home.example".into(),
        primary: false,
    });
    card.phones = vec![PhoneEntry {
        label: "work".into(),
        number: "+44 20 7946 0018".into(),
        e164: None,
        primary: true,
    }];
    card.company = "Wilson and Partners".into();
    card.job_title = "Director".into();
    card.birthday = Some("--05-17".parse().expect("birthday"));
    card.tags = vec!["vip".into(), "fair 2026".into()];
    card.occasions = vec![Occasion {
        kind: OccasionKind::Anniversary,
        label: "Wedding".into(),
        date: "2001-06-30".parse().expect("date"),
    }];
    card.consents = vec![
        consent(Channel::Email, ConsentStatus::OptedOut, "2024-06-01", "unsubscribe link"),
        consent(Channel::Post, ConsentStatus::OptedIn, "2026-02-01", "Baselworld card"),
        consent(Channel::Sms, ConsentStatus::OptedIn, "2026-02-01", "Baselworld card"),
    ];
    let card = book.create_customer(card).expect("card").id;
    (grace, card)
}

#[test]
fn a_merge_moves_the_whole_story_and_fills_what_the_kept_one_lacks() {
    let (_dir, mut book) = temp_book();
    let (grace, card) = grace_twice(&mut book);
    book.add_purchase(grace, sale("9150", "K0010001")).expect("grace's sale");
    book.add_purchase(card, sale("12500", "K0010008")).expect("card's sale");
    book.add_entry(card, note("Prefers rose gold")).expect("note");
    book.add_entry(
        card,
        InteractionDraft {
            kind: InteractionKind::Call,
            direction: Direction::Outbound,
            occurred_on: date("2026-02-02"),
            summary: "Thanked for the visit".into(),
            outcome: String::new(),
            campaign: "Spring letters".into(),
            response: Some(InteractionResponse::Visited),
        },
    )
    .expect("call");
    book.add_entry(
        card,
        SatisfactionDraft { score: 5, scored_on: date("2026-02-03"), comment: String::new() },
    )
    .expect("score");
    let referred = book
        .create_customer(CustomerDraft { referred_by: Some(card), ..CustomerDraft::named("Hugo Brandt") })
        .expect("referred")
        .id;

    let plan = book.plan_merge(grace, card).expect("plan");
    assert_eq!(
        (plan.moved.purchases, plan.moved.notes, plan.moved.interactions, plan.moved.scores),
        (1, 1, 1, 1)
    );
    let record = book.merge_customers(grace, card).expect("merge");
    assert_eq!(record.moved, plan.moved, "the merge does what its plan said");
    assert_eq!(record.other_name, "G. Wilson");

    assert!(matches!(book.customer(card), Err(Error::NotFound { .. })), "the other record goes");
    let story = book.customer_story(grace).expect("story");
    let profile = &story.customer.profile;
    assert_eq!(story.purchases.len(), 2);
    let row = book.search_customers("Grace Wilson", 8).expect("search").remove(0);
    assert_eq!((row.id, row.lifetime_spend.to_string(), row.purchase_count), (grace, "21650.00".into(), 2));
    assert_eq!((story.notes.len(), story.interactions.len(), story.satisfaction.len()), (1, 1, 1));
    let contact = &story.interactions[0].entry;
    assert_eq!(
        (contact.campaign.as_str(), contact.response),
        ("Spring letters", Some(InteractionResponse::Visited)),
        "the contact moves with its response"
    );
    assert_eq!(profile.full_name, "Grace Wilson", "the kept one's name stays");
    assert_eq!(profile.company, "Wilson & Co", "the kept one's company stays");
    assert_eq!(profile.job_title, "Director", "a field the kept one lacked is filled");
    assert_eq!(profile.birthday.map(|day| day.to_string()).as_deref(), Some("--05-17"));
    let emails: Vec<&str> = profile.emails.iter().map(|email| email.address.as_str()).collect();
    assert_eq!(
        emails,
        ["grace@wilson.example", "grace@home.example"],
        "one email listed once, whatever its case"
    );
    assert_eq!(profile.phones.len(), 2);
    assert_eq!(profile.tags, ["VIP", "fair 2026"]);
    assert_eq!(profile.occasions.len(), 1);
    let apart: Vec<(&str, &str)> =
        record.kept_apart.iter().map(|apart| (apart.field.as_str(), apart.other.as_str())).collect();
    assert!(apart.contains(&("company", "Wilson and Partners")), "{apart:?}");
    assert!(apart.contains(&("full_name", "G. Wilson")), "{apart:?}");
    assert!(record.filled.contains(&"job_title".to_string()), "{:?}", record.filled);
    assert_eq!(book.customer(referred).expect("referred").profile.referred_by, Some(grace));
    assert_eq!(story.merges, [record], "the merge is on the kept one's timeline");
    let found: Vec<i64> =
        book.search_customers("grace@home", 8).expect("search").iter().map(|row| row.id).collect();
    assert_eq!(found, [grace], "the other's email now finds the kept one");
    let found: Vec<i64> =
        book.search_customers("K0010008", 8).expect("search").iter().map(|row| row.id).collect();
    assert_eq!(found, [grace], "the other's piece now finds the kept one");
}

#[test]
fn consents_follow_the_stricter_answer_then_the_later_date() {
    let (_dir, mut book) = temp_book();
    let (grace, card) = grace_twice(&mut book);
    let plan = book.plan_merge(grace, card).expect("plan");
    book.merge_customers(grace, card).expect("merge");
    let merged = book.customer(grace).expect("grace");
    // Email: opted in (2025) against opted out (2024): the opt-out wins, though older.
    let email = consent_of(&merged, Channel::Email).expect("email");
    assert_eq!(
        (email.status, email.date, email.source.as_str()),
        (ConsentStatus::OptedOut, Some(date("2024-06-01")), "unsubscribe link")
    );
    // Post: both opted in: the later answer, with its source.
    let post = consent_of(&merged, Channel::Post).expect("post");
    assert_eq!(
        (post.status, post.date, post.source.as_str()),
        (ConsentStatus::OptedIn, Some(date("2026-02-01")), "Baselworld card")
    );
    // SMS: only the other answered: their answer.
    assert_eq!(consent_of(&merged, Channel::Sms).map(|sms| sms.status), Some(ConsentStatus::OptedIn));
    // Phone: only the kept one answered: theirs stays.
    assert_eq!(consent_of(&merged, Channel::Phone).map(|phone| phone.status), Some(ConsentStatus::OptedIn));
    let channels: Vec<Channel> = plan.consents.iter().map(|outcome| outcome.channel).collect();
    assert_eq!(channels.len(), 4, "the plan shows every channel either answered: {channels:?}");
}

#[test]
fn undo_gives_the_other_record_back_under_its_own_id_and_keeps_what_changed_since() {
    let (_dir, mut book) = temp_book();
    let (grace, card) = grace_twice(&mut book);
    let card_before = book.customer(card).expect("card");
    let grace_before = book.customer(grace).expect("grace");
    let moved = book.add_purchase(card, sale("12500", "K0010008")).expect("sale").id;
    let deleted_later = book.add_entry(card, note("Likes the Royal Oak")).expect("note").id;
    let record = book.merge_customers(grace, card).expect("merge");

    // After the merge the dealer edits Grace's job title and she withdraws from post.
    let mut edited = book.customer(grace).expect("grace").profile;
    edited.job_title = "Chair".into();
    edited.consents.retain(|consent| consent.channel != Channel::Post);
    edited.consents.push(consent(Channel::Post, ConsentStatus::OptedOut, "2026-11-30", "phone call"));
    book.update_customer(grace, edited).expect("edit");
    book.delete_entry::<NoteDraft>(deleted_later).expect("delete the note");
    let added_after = book.add_entry(grace, note("Came in for a strap")).expect("note").id;

    let undone = book.undo_merge(record.id).expect("undo");
    assert_eq!((undone.restored_id, undone.moved_back.purchases, undone.moved_back.notes), (card, 1, 0));
    let card_after = book.customer(card).expect("the other record is back");
    assert_eq!(card_after.created_at, card_before.created_at, "under its own erasure identity");
    assert_eq!(card_after.profile.full_name, "G. Wilson");
    assert_eq!(card_after.profile.emails, card_before.profile.emails);
    assert_eq!(book.purchase(moved).expect("sale").customer_id, card, "the moved sale is theirs again");
    assert_eq!(book.entry::<NoteDraft>(added_after).expect("note").customer_id, grace, "new entries stay");

    let grace_after = book.customer(grace).expect("grace");
    assert_eq!(grace_after.profile.emails, grace_before.profile.emails, "the added email goes back");
    assert_eq!(grace_after.profile.tags, grace_before.profile.tags);
    assert_eq!(grace_after.profile.job_title, "Chair", "an edit made since the merge stays");
    let post = consent_of(&grace_after, Channel::Post).expect("post");
    assert_eq!(post.status, ConsentStatus::OptedOut, "a consent withdrawn since the merge stays withdrawn");
    let email = consent_of(&grace_after, Channel::Email).expect("email");
    assert_eq!(email.status, ConsentStatus::OptedIn, "the consent the merge changed goes back");

    let again = book.undo_merge(record.id).expect_err("twice");
    assert!(matches!(again, Error::Invalid { problem: Problem::MergeAlreadyUndone { .. }, .. }), "{again:?}");
    let history = book.merges_into(grace).expect("merges");
    assert!(history[0].undone_at.is_some(), "the timeline says the merge was undone");
}

#[test]
fn a_merge_refuses_the_same_customer_and_an_undo_whose_kept_one_is_gone() {
    let (_dir, mut book) = temp_book();
    let (grace, card) = grace_twice(&mut book);
    let itself = book.merge_customers(grace, grace).expect_err("itself");
    assert!(matches!(itself, Error::Invalid { problem: Problem::MergeWithItself { .. }, .. }), "{itself:?}");
    assert!(matches!(book.merge_customers(grace, 999), Err(Error::NotFound { .. })));

    let third =
        book.create_customer(person("Grace Wilson-Hart", "grace@wilson.example", "")).expect("third").id;
    let first = book.merge_customers(grace, card).expect("first merge");
    book.merge_customers(third, grace).expect("second merge, into the third");
    let gone = book.undo_merge(first.id).expect_err("kept one merged away");
    assert!(matches!(gone, Error::Invalid { problem: Problem::MergeKeptGone { .. }, .. }), "{gone:?}");
    let second = book.merges_into(third).expect("merges")[0].id;
    book.undo_merge(second).expect("undo the later merge first");
    book.undo_merge(first.id).expect("then the earlier one");
    assert_eq!(book.stats().expect("stats").customers, 3);
}

#[test]
fn a_new_customer_never_takes_the_id_of_a_merged_away_record() {
    let (_dir, mut book) = temp_book();
    let (grace, card) = grace_twice(&mut book);
    assert!(card > grace, "the other record holds the highest id");
    let record = book.merge_customers(grace, card).expect("merge");
    let newcomer = book.create_customer(CustomerDraft::named("Ines Okafor")).expect("newcomer").id;
    assert!(newcomer > card, "{newcomer} must not reuse {card}");
    book.undo_merge(record.id).expect("undo");
    assert_eq!(book.customer(card).expect("back").profile.full_name, "G. Wilson");
}

#[test]
fn erasing_the_kept_one_erases_the_merged_record_from_older_copies_too() {
    let dir = tempfile::tempdir().expect("dir");
    let path = dir.path().join("loupe.sqlite3");
    let mut book = Book::open(&path).expect("book");
    let (grace, card) = grace_twice(&mut book);
    let neighbour = book.create_customer(person("Bertil Threnody", "", "+44 20 7946 0018")).expect("B").id;
    let backup = book.back_up(BackupKind::Manual, |_| {}).expect("backup before the merge");
    book.merge_customers(grace, card).expect("merge");
    book.erase_customer(grace).expect("erase");
    let leftovers: i64 = rusqlite::Connection::open(&path)
        .expect("open")
        .query_row("SELECT count(*) FROM customer_merges", [], |row| row.get(0))
        .expect("count");
    assert_eq!(leftovers, 0, "the merge's record, which holds her data, goes with her");

    let summary = book.restore_backup(Path::new(&backup.path), |_| {}).expect("restore");
    assert_eq!(summary.erased_again, 2, "both of her records in the older copy");
    let names: Vec<String> = book
        .list_customers(&ListQuery::default())
        .expect("list")
        .rows
        .into_iter()
        .map(|row| row.full_name)
        .collect();
    assert_eq!(names, ["Bertil Threnody"], "her colleague on the shared switchboard stays");
    assert!(book.customer(neighbour).is_ok());
}

#[test]
fn possible_duplicates_list_shared_contacts_and_near_identical_names_and_respect_different_people() {
    let (_dir, mut book) = temp_book();
    let grace = book.create_customer(person("Grace Wilson", "grace@wilson.example", "")).expect("grace").id;
    let g = book.create_customer(person("G. Wilson", "grace@wilson.example", "")).expect("g").id;
    // A spouse sharing the home email: listed, not certain.
    let spouse = book.create_customer(person("Tom Wilson", "GRACE@wilson.example", "")).expect("tom").id;
    // Colleagues on one switchboard: listed, not certain.
    let ada = book.create_customer(person("Ada Brunner", "", "+41 44 123 45 67")).expect("ada").id;
    let beat = book.create_customer(person("Beat Keller", "", "0041 44 123 45 67")).expect("beat").id;
    // Near-identical names, nothing shared.
    let chris = book.create_customer(person("Chris Evans", "", "")).expect("chris").id;
    let christopher = book.create_customer(person("Christopher Evans", "", "")).expect("christopher").id;
    // Not near enough: another first name, a one-word name, a short form under three letters.
    book.create_customer(person("Anna Smith", "", "")).expect("anna");
    book.create_customer(person("Ben Smith", "", "")).expect("ben");
    book.create_customer(person("Evans", "", "")).expect("evans");
    book.create_customer(person("Jo Evans", "", "")).expect("jo");

    let found = book.duplicate_pairs(50).expect("pairs");
    let pairs: Vec<((i64, i64), Vec<MatchReason>, bool)> = found
        .pairs
        .iter()
        .map(|pair| ((pair.first.id, pair.second.id), pair.reasons.clone(), pair.certain))
        .collect();
    assert_eq!(
        pairs,
        [
            ((grace, g), vec![MatchReason::SameEmail, MatchReason::SimilarName], true),
            ((g, spouse), vec![MatchReason::SameEmail], false),
            ((grace, spouse), vec![MatchReason::SameEmail], false),
            ((ada, beat), vec![MatchReason::SamePhone], false),
            ((chris, christopher), vec![MatchReason::SimilarName], false),
        ],
        "certain first, then shared emails, phones and names, each by name"
    );
    assert_eq!(found.total, 5);

    book.mark_distinct(spouse, grace).expect("different people");
    book.mark_distinct(g, spouse).expect("different people");
    let left: Vec<(i64, i64)> = book
        .duplicate_pairs(50)
        .expect("pairs")
        .pairs
        .iter()
        .map(|pair| (pair.first.id, pair.second.id))
        .collect();
    assert_eq!(left, [(grace, g), (ada, beat), (chris, christopher)]);
    assert_eq!(book.duplicate_pairs(1).expect("pairs").total, 3, "the total counts past the limit");
    book.unmark_distinct(grace, spouse).expect("take it back");
    assert_eq!(book.duplicate_pairs(50).expect("pairs").total, 4);
}
