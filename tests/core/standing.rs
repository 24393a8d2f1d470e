//! Where customers stand: the segment, value class and RFM rules at their boundaries, the moves
//! recorded, the daily re-evaluation, and standing through merges, erasure and a book's move.

use std::sync::atomic::AtomicBool;

use chrono::{Days, Months, NaiveDate};
use loupe_core::model::*;
use loupe_core::transfer::BookImportOptions;
use loupe_core::{Book, Error};
use rust_decimal::Decimal;

fn amount(text: &str) -> Decimal {
    text.parse().expect("decimal")
}

fn today() -> NaiveDate {
    loupe_core::today()
}

fn months_ago(months: u32) -> NaiveDate {
    today().checked_sub_months(Months::new(months)).expect("day")
}

fn days_ago(days: u64) -> NaiveDate {
    today().checked_sub_days(Days::new(days)).expect("day")
}

fn day_before(day: NaiveDate) -> NaiveDate {
    day.pred_opt().expect("day")
}

fn sale_in(on: NaiveDate, price: &str, currency: &str) -> PurchaseDraft {
    PurchaseDraft {
        purchased_on: on,
        currency: currency.into(),
        payments: Vec::new(),
        trade_ins: Vec::new(),
        collected_on: None,
        redemption: None,
        channel: SaleChannel::InStore,
        salesperson: String::new(),
        notes: String::new(),
        items: vec![PurchaseItem::priced(amount(price))],
    }
    .paid_in_full(PaymentMethod::Card)
}

pub(crate) fn sale(on: NaiveDate, price: &str) -> PurchaseDraft {
    sale_in(on, price, "")
}

/// A customer with these sales (day, price in the book's currency).
fn buyer(book: &mut Book, name: &str, sales: &[(NaiveDate, &str)]) -> i64 {
    let id = book.create_customer(CustomerDraft::named(name)).expect("customer").id;
    for (on, price) in sales {
        book.add_purchase(id, sale(*on, price)).expect("sale");
    }
    id
}

fn score(book: &mut Book, id: i64, score: u8, on: NaiveDate) {
    book.add_entry(id, SatisfactionDraft { score, scored_on: on, comment: String::new() }).expect("score");
}

fn segment(book: &Book, id: i64) -> Segment {
    book.standing(id).expect("standing").segment
}

fn class(book: &Book, id: i64) -> Option<ValueClass> {
    book.standing(id).expect("standing").value_class
}

#[test]
fn segments_follow_the_rules_at_their_boundaries() {
    let mut book = Book::open_in_memory().expect("book");
    let prospect = book.create_customer(CustomerDraft::named("Never Bought")).expect("customer").id;
    score(&mut book, prospect, 1, today());
    let twelve = buyer(&mut book, "Exactly Twelve", &[(months_ago(12), "100")]);
    let twelve_and_a_day = buyer(&mut book, "Twelve And A Day", &[(day_before(months_ago(12)), "100")]);
    let twenty_four = buyer(&mut book, "Exactly Twenty-Four", &[(months_ago(24), "100")]);
    let lapsed = buyer(&mut book, "Twenty-Four And A Day", &[(day_before(months_ago(24)), "100")]);
    let almost_vip = buyer(&mut book, "Almost VIP", &[(days_ago(200), "19999.99")]);
    let vip_by_spend = buyer(&mut book, "VIP By Spend", &[(days_ago(200), "20000")]);
    let three = buyer(
        &mut book,
        "Three Visits",
        &[(days_ago(300), "10"), (days_ago(250), "10"), (days_ago(200), "10")],
    );
    let four = buyer(
        &mut book,
        "Four Visits",
        &[(days_ago(700), "10"), (days_ago(300), "10"), (days_ago(250), "10"), (days_ago(200), "10")],
    );
    let new = buyer(&mut book, "First 180 Days Ago", &[(days_ago(180), "100")]);
    let not_new = buyer(&mut book, "First 181 Days Ago", &[(days_ago(181), "100")]);
    let unhappy = buyer(&mut book, "Unhappy", &[(days_ago(200), "100")]);
    score(&mut book, unhappy, 2, months_ago(12));
    let content = buyer(&mut book, "Content", &[(days_ago(200), "100")]);
    score(&mut book, content, 3, days_ago(10));
    let long_ago_unhappy = buyer(&mut book, "Unhappy Long Ago", &[(days_ago(200), "100")]);
    score(&mut book, long_ago_unhappy, 2, day_before(months_ago(12)));
    let happy_since = buyer(&mut book, "Happy Since", &[(days_ago(200), "100")]);
    score(&mut book, happy_since, 1, days_ago(100));
    score(&mut book, happy_since, 5, days_ago(50));
    let dollars = book.create_customer(CustomerDraft::named("Pays In Dollars")).expect("customer").id;
    book.add_purchase(dollars, sale_in(days_ago(200), "30000", "USD")).expect("sale");
    book.refresh_standing_on(today()).expect("refresh");

    assert_eq!(segment(&book, prospect), Segment::Prospect, "a low score does not make a prospect at risk");
    assert_eq!(book.standing(prospect).expect("standing").value_class, None);
    assert_eq!(book.standing(prospect).expect("standing").rfm, None);
    assert_eq!(segment(&book, twelve), Segment::Regular);
    assert_eq!(segment(&book, twelve_and_a_day), Segment::AtRisk);
    assert_eq!(segment(&book, twenty_four), Segment::AtRisk);
    assert_eq!(segment(&book, lapsed), Segment::Lapsed);
    assert_eq!(segment(&book, almost_vip), Segment::Regular);
    assert_eq!(segment(&book, vip_by_spend), Segment::Vip);
    assert_eq!(segment(&book, three), Segment::Regular);
    assert_eq!(segment(&book, four), Segment::Vip, "the purchase of 700 days ago is within 24 months");
    assert_eq!(segment(&book, new), Segment::New);
    assert_eq!(segment(&book, not_new), Segment::Regular);
    assert_eq!(segment(&book, unhappy), Segment::AtRisk, "a 2 exactly twelve months ago counts");
    assert_eq!(segment(&book, content), Segment::Regular);
    assert_eq!(segment(&book, long_ago_unhappy), Segment::Regular);
    assert_eq!(segment(&book, happy_since), Segment::Regular, "the latest score counts");
    assert_eq!(segment(&book, dollars), Segment::Regular, "dollars do not count towards a pound book's VIP");
    let standing = book.standing(dollars).expect("standing");
    assert_eq!(standing.value_class, Some(ValueClass::Ordinary));
    assert!(standing.reasons.contains(&StandingReason::NothingInWindow { months: 24 }));

    let vip = book.standing(vip_by_spend).expect("standing");
    assert_eq!(
        vip.reasons[0].to_string(),
        "VIP: 20,000 spent in the last 24 months, threshold 20,000",
        "the segment's reason first, in the dealer's words"
    );
    assert!(matches!(vip.reasons[1], StandingReason::ValueShare { .. }));
    assert!(matches!(vip.reasons[2], StandingReason::RfmScores { .. }));
}

#[test]
fn value_classes_split_the_window_spend_at_half_and_four_fifths() {
    let mut book = Book::open_in_memory().expect("book");
    let on = days_ago(30);
    // 30 + 30 + 20 + 20 = 100: before P nothing, before Q 30 %, before R 60 %, before S 80 %.
    let p = buyer(&mut book, "P", &[(on, "30")]);
    let q = buyer(&mut book, "Q", &[(on, "30")]);
    let r = buyer(&mut book, "R", &[(on, "20")]);
    let s = buyer(&mut book, "S", &[(on, "20")]);
    let old = buyer(&mut book, "Bought Long Ago", &[(months_ago(30), "5000")]);
    book.refresh_standing_on(today()).expect("refresh");
    assert_eq!(class(&book, p), Some(ValueClass::Key));
    assert_eq!(class(&book, q), Some(ValueClass::Key), "30 % before is below half");
    assert_eq!(class(&book, r), Some(ValueClass::Main), "the tie goes to the lower id: 60 % before");
    assert_eq!(class(&book, s), Some(ValueClass::Ordinary), "exactly 80 % before is not below it");
    assert_eq!(class(&book, old), Some(ValueClass::Ordinary));
    let reasons = book.standing(s).expect("standing").reasons;
    assert!(reasons.contains(&StandingReason::ValueShare {
        class: ValueClass::Ordinary,
        spent: amount("20.00"),
        months: 24,
        share_before_percent: 80,
        key_percent: 50,
        main_percent: 80,
    }));

    // Exactly half before: main, not key.
    let mut book = Book::open_in_memory().expect("book");
    let a = buyer(&mut book, "A", &[(on, "50")]);
    let b = buyer(&mut book, "B", &[(on, "50")]);
    book.refresh_standing_on(today()).expect("refresh");
    assert_eq!(class(&book, a), Some(ValueClass::Key));
    assert_eq!(class(&book, b), Some(ValueClass::Main));

    // One customer's sale is placed against the last ranking without ranking the book again.
    let c = buyer(&mut book, "C", &[(on, "10")]);
    assert_eq!(class(&book, c), Some(ValueClass::Ordinary), "after both: everything before");
    book.add_purchase(c, sale(on, "100")).expect("sale");
    assert_eq!(class(&book, c), Some(ValueClass::Key), "110 ranks first");
}

#[test]
fn rfm_scores_come_from_the_bands_or_from_quintiles_with_enough_buyers() {
    let mut book = Book::open_in_memory().expect("book");
    let id = buyer(
        &mut book,
        "Five Sales",
        &[
            (months_ago(40), "4000"),
            (months_ago(30), "4000"),
            (months_ago(20), "4000"),
            (months_ago(10), "2000"),
            (months_ago(2), "2000"),
        ],
    );
    let prospect = book.create_customer(CustomerDraft::named("Prospect")).expect("customer").id;
    book.refresh_standing_on(today()).expect("refresh");
    let standing = book.standing(id).expect("standing");
    // 2 months: under 3 scores 5; 5 purchases: from 5 scores 4; 16,000: from 15,000 scores 4.
    assert_eq!(standing.rfm, Some(Rfm { r: 5, f: 4, m: 4 }));
    assert_eq!(standing.rfm_group, Some(RfmGroup::Champions));
    assert_eq!(book.standing(prospect).expect("standing").rfm, None);

    // Quintiles asked for, but too few buyers: the bands still decide.
    let mut settings = book.settings().expect("settings");
    settings.standing.rfm_method = RfmMethod::Quintiles;
    book.update_settings(&settings).expect("settings");
    let standing = book.standing(id).expect("standing");
    assert!(
        standing
            .reasons
            .iter()
            .any(|reason| matches!(reason, StandingReason::RfmScores { method: RfmMethod::Bands, .. }))
    );

    let mut book = Book::open_in_memory().expect("book");
    book.generate_demo(1_500, 4_000, 11, |_| {}).expect("demo");
    let mut settings = book.settings().expect("settings");
    settings.standing.rfm_method = RfmMethod::Quintiles;
    book.update_settings(&settings).expect("settings");
    let mut monetary = [0_u32; 5];
    for id in 1..=1_500 {
        let standing = book.standing(id).expect("standing");
        if let Some(rfm) = standing.rfm {
            monetary[usize::from(rfm.m) - 1] += 1;
            assert!(standing.reasons.iter().any(|reason| matches!(
                reason,
                StandingReason::RfmScores { method: RfmMethod::Quintiles, .. }
            )));
        }
    }
    let buyers: u32 = monetary.iter().sum();
    assert!(buyers >= 500, "{buyers} buyers");
    for (score, count) in monetary.iter().enumerate() {
        // Spend is nearly never tied: each fifth holds about a fifth of the buyers.
        assert!(
            count * 5 >= buyers * 9 / 10 && count * 5 <= buyers * 11 / 10,
            "M {}: {count} of {buyers}",
            score + 1
        );
    }
}

#[test]
fn a_sale_that_makes_a_new_customer_vip_is_recorded_as_a_move() {
    let mut book = Book::open_in_memory().expect("book");
    let id = book.create_customer(CustomerDraft::named("Mei Chen")).expect("customer").id;
    assert_eq!(segment(&book, id), Segment::Prospect);
    assert!(book.standing_changes(id).expect("changes").is_empty(), "arriving is not a move");
    book.add_purchase(id, sale(today(), "1200")).expect("sale");
    assert_eq!(segment(&book, id), Segment::New);
    book.add_purchase(id, sale(today(), "24000")).expect("sale");
    let standing = book.standing(id).expect("standing");
    assert_eq!(standing.segment, Segment::Vip);
    assert_eq!(standing.evaluated_on, today());
    let changes = book.standing_changes(id).expect("changes");
    assert!(changes.iter().any(|change| change.changed_on == today()
        && change.change == StandingMove::Segment { from: Some(Segment::New), to: Segment::Vip }));
    let story = book.customer_story(id).expect("story");
    assert_eq!(story.standing, standing);
    assert_eq!(story.standing_changes, changes);

    // A low score puts them at risk at once; deleting it takes them back.
    let low = book
        .add_entry(id, SatisfactionDraft { score: 2, scored_on: today(), comment: String::new() })
        .expect("score");
    assert_eq!(segment(&book, id), Segment::AtRisk);
    book.delete_entry::<SatisfactionDraft>(low.id).expect("delete");
    assert_eq!(segment(&book, id), Segment::Vip);
}

#[test]
fn the_daily_evaluation_moves_people_as_time_passes() {
    let mut book = Book::open_in_memory().expect("book");
    let id = buyer(&mut book, "Quiet", &[(months_ago(12), "500")]);
    book.refresh_standing_on(today()).expect("refresh");
    assert_eq!(segment(&book, id), Segment::Regular);
    assert_eq!(book.refresh_standing_if_due().expect("refresh"), None, "already done today");
    let tomorrow = today().succ_opt().expect("day");
    let refreshed = book.refresh_standing_on(tomorrow).expect("refresh");
    assert_eq!(refreshed.evaluated_on, tomorrow);
    assert!(refreshed.changes >= 1);
    assert_eq!(segment(&book, id), Segment::AtRisk);
    let changes = book.standing_changes(id).expect("changes");
    assert_eq!(changes[0].changed_on, tomorrow);
    assert_eq!(
        changes[0].change,
        StandingMove::Segment { from: Some(Segment::Regular), to: Segment::AtRisk }
    );
    assert_eq!(book.standing(id).expect("standing").evaluated_on, tomorrow);
}

#[test]
fn new_rules_place_everyone_again_and_bad_rules_are_refused_by_field() {
    let mut book = Book::open_in_memory().expect("book");
    let id = buyer(&mut book, "Fifteen Thousand", &[(days_ago(200), "15000")]);
    assert_eq!(segment(&book, id), Segment::Regular);
    let mut settings = book.settings().expect("settings");
    settings.standing.vip_min_spend = amount("10000");
    book.update_settings(&settings).expect("settings");
    assert_eq!(segment(&book, id), Segment::Vip);
    assert_eq!(book.settings().expect("settings").standing.vip_min_spend, amount("10000"));

    let refused = |change: fn(&mut StandingRules)| {
        let mut settings = BookSettings::default();
        change(&mut settings.standing);
        let mut book = Book::open_in_memory().expect("book");
        match book.update_settings(&settings) {
            Err(Error::Invalid { field, .. }) => field,
            other => panic!("not refused: {other:?}"),
        }
    };
    assert_eq!(refused(|rules| rules.key_percent = 80), "standing.key_percent");
    assert_eq!(refused(|rules| rules.main_percent = 101), "standing.main_percent");
    assert_eq!(refused(|rules| rules.vip_months = 0), "standing.vip_months");
    assert_eq!(refused(|rules| rules.vip_min_spend = amount("1.00001")), "standing.vip_min_spend");
    assert_eq!(refused(|rules| rules.recency_months = [3, 6, 6, 24]), "standing.recency_months[2]");
    assert_eq!(refused(|rules| rules.lapsed_after_months = 12), "standing.lapsed_after_months");
    assert_eq!(
        refused(|rules| rules.monetary_spend[3] = amount("100")),
        "standing.monetary_spend[3]",
        "below the limit before it"
    );
}

#[test]
fn merges_carry_the_moves_and_their_undo_takes_them_back() {
    let mut book = Book::open_in_memory().expect("book");
    let kept = buyer(&mut book, "Grace Wilson", &[(days_ago(400), "100")]);
    let other = book.create_customer(CustomerDraft::named("G. Wilson")).expect("customer").id;
    book.add_purchase(other, sale(days_ago(20), "100")).expect("sale");
    book.add_purchase(other, sale(days_ago(10), "30000")).expect("sale");
    let moves = book.standing_changes(other).expect("changes");
    assert!(!moves.is_empty());
    let merge = book.merge_customers(kept, other).expect("merge");
    assert_eq!(segment(&book, kept), Segment::Vip, "the other's sales count for the kept one");
    let carried = book.standing_changes(kept).expect("changes");
    for change in &moves {
        assert!(carried.iter().any(|carried| carried.id == change.id), "{change:?} moved");
    }
    book.undo_merge(merge.id).expect("undo");
    assert_eq!(
        book.standing_changes(other).expect("changes").iter().map(|c| c.id).collect::<Vec<_>>(),
        moves.iter().map(|c| c.id).collect::<Vec<_>>()
    );
    assert_eq!(segment(&book, other), Segment::Vip);
    assert_ne!(segment(&book, kept), Segment::Vip);

    book.erase_customer(other).expect("erase");
    assert!(matches!(book.standing(other), Err(Error::NotFound { .. })));
    assert!(book.standing_changes(other).is_err());
}

#[test]
fn a_moved_book_keeps_its_moves_and_computes_its_standing() {
    let mut book = Book::open_in_memory().expect("book");
    let id = buyer(&mut book, "Mover", &[(days_ago(30), "100")]);
    book.add_purchase(id, sale(days_ago(5), "50000")).expect("sale");
    let prospect = book.create_customer(CustomerDraft::named("Just Looking")).expect("customer").id;
    let changes = book.standing_changes(id).expect("changes");
    assert!(!changes.is_empty());
    let dir = tempfile::tempdir().expect("dir");
    let folder = dir.path().join("book");
    book.export_book(&folder, &AtomicBool::new(false), |_| {}).expect("export");
    let mut moved = Book::open_in_memory().expect("book");
    moved
        .import_book(&folder, &BookImportOptions { merge: false }, &AtomicBool::new(false), |_| {})
        .expect("import");
    assert_eq!(moved.standing_changes(id).expect("changes"), changes);
    assert_eq!(moved.standing(id).expect("standing"), book.standing(id).expect("standing"));
    assert_eq!(segment(&moved, prospect), Segment::Prospect);
}

#[test]
fn the_demo_book_has_members_in_every_segment_class_and_influence() {
    let mut book = Book::open_in_memory().expect("book");
    book.generate_demo(3_000, 9_000, 42, |_| {}).expect("demo");
    let mut segments = std::collections::HashMap::new();
    let mut classes = std::collections::HashMap::new();
    let mut influences = std::collections::HashMap::new();
    for id in 1..=3_000 {
        let standing = book.standing(id).expect("standing");
        *segments.entry(standing.segment).or_insert(0) += 1;
        *classes.entry(standing.value_class).or_insert(0) += 1;
        *influences.entry(standing.influence).or_insert(0) += 1;
    }
    for segment in Segment::ALL {
        assert!(segments.get(segment).copied().unwrap_or(0) >= 10, "{segment}: {segments:?}");
    }
    for class in ValueClass::ALL {
        assert!(classes.get(&Some(*class)).copied().unwrap_or(0) >= 10, "{class}: {classes:?}");
    }
    for influence in Influence::ALL {
        assert!(influences.get(influence).copied().unwrap_or(0) >= 10, "{influence}: {influences:?}");
    }
}
