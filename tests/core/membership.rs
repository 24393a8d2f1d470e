//! Membership on hand-made books: tiers at their thresholds and through the grace period, the
//! member discount at the counter, points earned, redeemed, adjusted and expired, the referral
//! bonus taken back, a sale in another currency, and every ledger through erasure, an import's
//! undo, a merge and a deletion.

use std::sync::atomic::AtomicBool;

use chrono::{Months, NaiveDate};
use loupe_core::import::ImportOptions;
use loupe_core::model::*;
use loupe_core::problem::Problem;
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

fn months_ahead(months: u32) -> NaiveDate {
    today().checked_add_months(Months::new(months)).expect("day")
}

fn sale_of(on: NaiveDate, items: Vec<PurchaseItem>, currency: &str) -> PurchaseDraft {
    PurchaseDraft {
        purchased_on: on,
        currency: currency.into(),
        channel: SaleChannel::InStore,
        salesperson: String::new(),
        notes: String::new(),
        items,
        payments: Vec::new(),
        trade_ins: Vec::new(),
        collected_on: None,
        redemption: None,
    }
}

fn sale(on: NaiveDate, price: &str) -> PurchaseDraft {
    sale_of(on, vec![PurchaseItem::priced(amount(price))], "").paid_in_full(PaymentMethod::Card)
}

fn buyer(book: &mut Book, name: &str, sales: &[(NaiveDate, &str)]) -> i64 {
    let id = book.create_customer(CustomerDraft::named(name)).expect("customer").id;
    for (on, price) in sales {
        book.add_purchase(id, sale(*on, price)).expect("sale");
    }
    id
}

fn tier_on(book: &Book, id: i64, day: NaiveDate) -> Option<String> {
    book.membership_on(id, day).expect("membership").expect("programme on").tier.map(|tier| tier.key)
}

fn tier(book: &Book, id: i64) -> Option<String> {
    tier_on(book, id, today())
}

fn balance(book: &Book, id: i64) -> i64 {
    book.points(id).expect("points").balance
}

fn listed_tier(book: &Book, id: i64) -> Option<String> {
    let page = book.list_customers(&ListQuery { limit: 1000, ..ListQuery::default() }).expect("list");
    page.rows.into_iter().find(|row| row.id == id).expect("listed").tier.map(|tier| tier.key)
}

fn problem_of(error: Error) -> (String, Problem) {
    match error {
        Error::Invalid { field, problem } => (field, problem),
        other => panic!("not a refusal naming a problem: {other:?}"),
    }
}

#[test]
fn the_highest_tier_qualified_for_is_held_at_its_thresholds() {
    let mut book = Book::open_in_memory().expect("book");
    let prospect = book.create_customer(CustomerDraft::named("Never Bought")).expect("customer").id;
    let member = buyer(&mut book, "One Small Sale", &[(today(), "120")]);
    let silver = buyer(&mut book, "Exactly Silver", &[(months_ago(11), "12000"), (today(), "8000")]);
    let below_gold = buyer(&mut book, "A Penny Short", &[(today(), "49999.99")]);
    let gold = buyer(&mut book, "Exactly Gold", &[(today(), "50000")]);
    assert_eq!(tier(&book, prospect), None);
    assert_eq!(tier(&book, member).as_deref(), Some("member"));
    assert_eq!(tier(&book, silver).as_deref(), Some("silver"));
    assert_eq!(tier(&book, below_gold).as_deref(), Some("silver"));
    assert_eq!(tier(&book, gold).as_deref(), Some("gold"));
    // The list holds what the sales made, for its column and filter.
    assert_eq!(listed_tier(&book, silver).as_deref(), Some("silver"));
    assert_eq!(listed_tier(&book, prospect), None);
    let golds = book
        .list_customers(&ListQuery {
            filter: CustomerFilter { tiers: vec!["gold".into()], ..CustomerFilter::default() },
            ..ListQuery::default()
        })
        .expect("list");
    assert_eq!(golds.rows.iter().map(|row| row.id).collect::<Vec<_>>(), [gold]);
    assert_eq!(golds.total, 1, "counted from the tiers alone, as many as listed");

    let held = book.membership(silver).expect("membership").expect("on");
    assert_eq!(held.discount_percent, amount("15"));
    assert_eq!(
        held.reason,
        Some(TierReason::Qualified { spend: amount("20000.00"), purchases: 2, window_months: Some(12) })
    );
    let next = held.next_tier.expect("gold is next");
    assert_eq!(next.tier.key, "gold");
    assert_eq!(next.spend_needed, Some(amount("30000.00")));
    // The sale of eleven months ago leaves the window in a month: the amount grows then.
    assert_eq!(next.before, Some(months_ago(11).checked_add_months(Months::new(12)).expect("day")));
    assert!(book.membership(gold).expect("membership").expect("on").next_tier.is_none(), "Gold is the top");
}

#[test]
fn a_tier_is_kept_for_the_grace_then_steps_down_one_tier_at_a_time() {
    let mut book = Book::open_in_memory().expect("book");
    let bought = months_ago(24);
    let id = buyer(&mut book, "Once Gold", &[(bought, "60000")]);
    // Gold while the sale is within twelve months, kept twelve months more: the last day is
    // the day before the sale's second anniversary.
    assert_eq!(tier_on(&book, id, bought.pred_opt().expect("day")), None);
    assert_eq!(tier_on(&book, id, bought).as_deref(), Some("gold"));
    assert_eq!(tier_on(&book, id, today().pred_opt().expect("day")).as_deref(), Some("gold"));
    assert_eq!(tier(&book, id).as_deref(), Some("silver"), "stepped down today");
    let silver = book.membership(id).expect("membership").expect("on");
    assert_eq!(silver.since, Some(today()));
    assert_eq!(silver.keeps_until, Some(months_ahead(12).pred_opt().expect("day")));
    // One tier at a time: Silver for a grace of its own, then Member, which "any purchase,
    // ever" keeps for good.
    assert_eq!(tier_on(&book, id, months_ahead(12).pred_opt().expect("day")).as_deref(), Some("silver"));
    assert_eq!(tier_on(&book, id, months_ahead(12)).as_deref(), Some("member"));
    assert_eq!(tier_on(&book, id, months_ahead(120)).as_deref(), Some("member"));

    // A sale within the grace keeps Gold from being lost.
    let kept = buyer(&mut book, "Came Back", &[(months_ago(24), "60000"), (months_ago(6), "50000")]);
    assert_eq!(tier(&book, kept).as_deref(), Some("gold"));
}

#[test]
fn rises_and_falls_are_recorded_with_their_day_and_reason() {
    let mut book = Book::open_in_memory().expect("book");
    let id = buyer(&mut book, "Climbing", &[(months_ago(2), "1000")]);
    book.add_purchase(id, sale(months_ago(1), "25000")).expect("sale");
    let changes = book.tier_changes(id).expect("changes");
    assert_eq!(changes.len(), 2, "{changes:?}");
    assert_eq!(changes[0].changed_on, months_ago(1));
    assert_eq!(changes[0].from.as_ref().map(|tier| tier.key.as_str()), Some("member"));
    assert_eq!(changes[0].to.as_ref().map(|tier| tier.key.as_str()), Some("silver"));
    assert!(changes[0].upgrade);
    assert_eq!(
        changes[0].reason,
        TierReason::Qualified { spend: amount("26000.00"), purchases: 2, window_months: Some(12) }
    );
    assert_eq!(
        (changes[1].to.as_ref().map(|tier| tier.key.as_str()), changes[1].changed_on),
        (Some("member"), months_ago(2))
    );

    // The sale removed: the tier is read again, a correction dated today.
    let sales = book.purchases(id).expect("sales");
    let big = sales.iter().find(|sale| sale.total == amount("25000")).expect("the big sale").id;
    book.delete_purchase(big).expect("delete");
    let changes = book.tier_changes(id).expect("changes");
    assert_eq!(changes.len(), 3);
    assert!(!changes[0].upgrade);
    assert_eq!((changes[0].changed_on, &changes[0].reason), (today(), &TierReason::Corrected));

    // Time alone steps a customer down: the whole book's evaluation records it on its day.
    let faded = buyer(&mut book, "Faded", &[(months_ago(23), "60000")]);
    let step_day = months_ago(23).checked_add_months(Months::new(24)).expect("day");
    book.refresh_standing_on(step_day).expect("refresh");
    let changes = book.tier_changes(faded).expect("changes");
    assert!(!changes[0].upgrade);
    assert_eq!(changes[0].changed_on, step_day);
    assert_eq!(changes[0].reason, TierReason::GraceEnded { kept_until: step_day.pred_opt().expect("day") });
    assert_eq!(listed_tier(&book, faded).as_deref(), Some("silver"));
}

#[test]
fn the_member_discount_is_the_tiers_percentage_to_the_cent() {
    let mut book = Book::open_in_memory().expect("book");
    let id = buyer(&mut book, "Silver Member", &[(months_ago(3), "21000")]);
    let membership = book.membership(id).expect("membership").expect("on");
    let silver = membership.tier.expect("silver");
    let member_item = |price: &str, discount: &str| PurchaseItem {
        discount: amount(discount),
        member_discount: Some(MemberDiscount { tier: silver.clone(), percent: amount("15") }),
        ..PurchaseItem::priced(amount(price))
    };
    let refused = book
        .add_purchase(
            id,
            sale_of(today(), vec![member_item("9150", "1372.49")], "").paid_in_full(PaymentMethod::Card),
        )
        .expect_err("a wrong amount");
    assert_eq!(
        problem_of(refused),
        (
            "items[0].discount".to_string(),
            Problem::MemberDiscountMismatch { percent: "15".into(), expected: "1372.50".into() }
        )
    );
    let recorded = book
        .add_purchase(
            id,
            sale_of(today(), vec![member_item("9150", "1372.50"), PurchaseItem::priced(amount("100"))], "")
                .paid_in_full(PaymentMethod::Card),
        )
        .expect("sale");
    assert_eq!(recorded.total, amount("7877.50"));
    assert_eq!(recorded.points_earned, 7877);
    let kept = &recorded.sale.items[0].member_discount.as_ref().expect("kept").tier;
    assert_eq!((kept.key.as_str(), kept.name.en.as_str()), ("silver", "Silver"));
    assert_eq!(recorded.sale.items[1].member_discount, None);
}

#[test]
fn points_are_redeemed_on_a_sale_never_below_zero() {
    let mut book = Book::open_in_memory().expect("book");
    let id = buyer(&mut book, "Point Saver", &[(months_ago(2), "3000.99")]);
    assert_eq!(balance(&book, id), 3000);
    let with_points = |points: u32, value: &str| {
        let mut draft = sale_of(today(), vec![PurchaseItem::priced(amount("1000"))], "");
        draft.redemption = Some(PointsRedemption { points, value: amount(value) });
        draft.paid_in_full(PaymentMethod::Card)
    };
    let refused = book.add_purchase(id, with_points(5000, "50")).expect_err("short");
    assert_eq!(
        problem_of(refused),
        ("redemption.points".to_string(), Problem::PointsShort { balance: 3000, asked: 5000 })
    );
    let refused = book.add_purchase(id, with_points(2500, "30")).expect_err("wrong value");
    assert_eq!(
        problem_of(refused).1,
        Problem::RedemptionValueWrong { points: 2500, expected: "25".to_string() }
    );
    assert_eq!(balance(&book, id), 3000, "nothing of a refused sale was written");
    let recorded = book.add_purchase(id, with_points(2500, "25")).expect("sale");
    assert_eq!((recorded.total, recorded.points_earned), (amount("975"), 975));
    assert_eq!(balance(&book, id), 3000 - 2500 + 975);
    assert_eq!(book.customer_totals(id).expect("totals").by_currency[0].lifetime_spend, amount("3975.99"));

    // Editing the sale gives its own points back before checking them again.
    let mut edited = recorded.sale.clone();
    edited.notes = "engraved".into();
    book.update_purchase(recorded.id, edited).expect("edit");
    assert_eq!(balance(&book, id), 1475);
    // Deleting it corrects the points: both its lines go.
    book.delete_purchase(recorded.id).expect("delete");
    assert_eq!(balance(&book, id), 3000);

    // By hand: redeemed and adjusted with a reason, never below zero.
    let refused =
        book.redeem_points(id, PointsDraft { points: 3001, reason: String::new() }).expect_err("short");
    assert_eq!(problem_of(refused).1, Problem::PointsShort { balance: 3000, asked: 3001 });
    book.redeem_points(id, PointsDraft { points: 1000, reason: "strap".into() }).expect("redeem");
    let refused =
        book.adjust_points(id, PointsDraft { points: 50, reason: " ".into() }).expect_err("no reason");
    assert_eq!(problem_of(refused), ("reason".to_string(), Problem::PointsReasonMissing));
    let ledger = book
        .adjust_points(id, PointsDraft { points: -500, reason: "goodwill corrected".into() })
        .expect("adjust");
    assert_eq!(ledger.balance, 1500);
    let kinds: Vec<(PointsKind, i64, i64)> =
        ledger.entries.iter().map(|entry| (entry.kind, entry.points, entry.balance)).collect();
    assert_eq!(
        kinds,
        [(PointsKind::Adjust, -500, 1500), (PointsKind::Redeem, -1000, 2000), (PointsKind::Earn, 3000, 3000)]
    );
}

#[test]
fn a_sale_in_another_currency_counts_only_at_a_rate_the_dealer_set() {
    let mut book = Book::open_in_memory().expect("book");
    let id = book.create_customer(CustomerDraft::named("Visitor From New York")).expect("customer").id;
    let dollars = |price: &str| {
        sale_of(months_ago(1), vec![PurchaseItem::priced(amount(price))], "USD")
            .paid_in_full(PaymentMethod::Card)
    };
    let first = book.add_purchase(id, dollars("30000")).expect("sale");
    assert_eq!(first.points_earned, 0, "no rate, no points");
    let held = book.membership(id).expect("membership").expect("on");
    assert_eq!(held.tier.map(|tier| tier.key).as_deref(), Some("member"), "a purchase all the same");
    assert_eq!(
        held.uncounted,
        [UncountedSpend { currency: "USD".into(), purchases: 1, amount: amount("30000.00") }]
    );
    let mut settings = book.settings().expect("settings");
    settings.membership.rates = vec![ExchangeRate { currency: "usd".into(), rate: amount("0.79") }];
    book.update_settings(&settings).expect("rate");
    assert_eq!(tier(&book, id).as_deref(), Some("silver"), "30,000 USD at 0.79 is 23,700");
    assert_eq!(listed_tier(&book, id).as_deref(), Some("silver"), "the new rule placed everyone again");
    assert!(book.membership(id).expect("membership").expect("on").uncounted.is_empty());
    assert_eq!(book.add_purchase(id, dollars("1000")).expect("sale").points_earned, 790);
    let mut redeeming = sale_of(today(), vec![PurchaseItem::priced(amount("1000"))], "USD");
    redeeming.redemption = Some(PointsRedemption { points: 100, value: amount("1") });
    let refused =
        book.add_purchase(id, redeeming.paid_in_full(PaymentMethod::Card)).expect_err("points are pounds");
    assert_eq!(
        problem_of(refused),
        ("redemption.points".to_string(), Problem::RedemptionInOtherCurrency { currency: "USD".into() })
    );

    settings = book.settings().expect("settings");
    settings.membership.rates = vec![ExchangeRate { currency: "GBP".into(), rate: amount("1") }];
    let refused = book.update_settings(&settings).expect_err("the book's own currency");
    assert_eq!(
        problem_of(refused),
        ("membership.rates[0].currency".to_string(), Problem::RateForBookCurrency)
    );
}

#[test]
fn a_referral_bonus_follows_the_first_purchase_and_is_taken_back_with_it() {
    let mut book = Book::open_in_memory().expect("book");
    let referrer = book.create_customer(CustomerDraft::named("Grace Wilson")).expect("customer").id;
    let referred = book
        .create_customer(CustomerDraft { referred_by: Some(referrer), ..CustomerDraft::named("Tom Friend") })
        .expect("customer")
        .id;
    let first = book.add_purchase(referred, sale(months_ago(2), "500")).expect("sale").id;
    let ledger = book.points(referrer).expect("points");
    assert_eq!(ledger.balance, 500);
    let bonus = &ledger.entries[0];
    assert_eq!((bonus.kind, bonus.entry_on), (PointsKind::Referral, months_ago(2)));
    assert_eq!((bonus.referred_id, bonus.referred_name.as_deref()), (Some(referred), Some("Tom Friend")));
    let second = book.add_purchase(referred, sale(months_ago(1), "800")).expect("sale").id;
    assert_eq!(balance(&book, referrer), 500, "only the first purchase earns it");
    // The first sale removed: the bonus stays with what is now the first purchase.
    book.delete_purchase(first).expect("delete");
    let ledger = book.points(referrer).expect("points");
    assert_eq!((ledger.balance, ledger.entries[0].entry_on), (500, months_ago(1)));
    // No sale left: taken back.
    book.delete_purchase(second).expect("delete");
    assert_eq!(balance(&book, referrer), 0);
    assert!(book.points(referrer).expect("points").entries.is_empty());

    // A referrer named after the first purchase earns nothing from later ones.
    let late = book.create_customer(CustomerDraft::named("Late Mention")).expect("customer");
    book.add_purchase(late.id, sale(months_ago(3), "100")).expect("sale");
    book.update_customer(late.id, CustomerDraft { referred_by: Some(referrer), ..late.profile.clone() })
        .expect("referrer named");
    book.add_purchase(late.id, sale(today(), "100")).expect("sale");
    assert_eq!(balance(&book, referrer), 0);
}

#[test]
fn every_ledger_stays_whole_through_erasure_an_import_undone_a_merge_and_a_deletion() {
    let mut book = Book::open_in_memory().expect("book");
    let referrer = buyer(&mut book, "Grace Wilson", &[(months_ago(5), "2000")]);
    let refer = |name: &str| CustomerDraft { referred_by: Some(referrer), ..CustomerDraft::named(name) };

    // Erased: the referrer keeps what they earned, without the name of whom they referred.
    let erased = book.create_customer(refer("Quintessa Forgotten")).expect("customer").id;
    book.add_purchase(erased, sale(months_ago(4), "300")).expect("sale");
    book.redeem_points(referrer, PointsDraft { points: 2400, reason: "cufflinks".into() }).expect("spent");
    book.erase_customer(erased).expect("erase");
    let ledger = book.points(referrer).expect("points");
    assert_eq!(ledger.balance, 2000 + 500 - 2400);
    let bonus = ledger.entries.iter().find(|entry| entry.kind == PointsKind::Referral).expect("kept");
    assert_eq!((bonus.referred_id, bonus.referred_name.as_deref()), (None, None));

    // An import undone: the people it created were never in the book, nor their bonus.
    let dir = tempfile::tempdir().expect("dir");
    let file = dir.path().join("visitors.csv");
    std::fs::write(&file, "Name,Email\nIvy Imported,ivy@example.com\n").expect("write");
    let summary = book
        .commit_import(&file, &ImportOptions::default(), &AtomicBool::new(false), |_| {})
        .expect("import");
    let ivy = book.search_customers("ivy", 5).expect("search")[0].id;
    let profile = book.customer(ivy).expect("ivy").profile;
    book.update_customer(ivy, CustomerDraft { referred_by: Some(referrer), ..profile }).expect("referred");
    book.add_purchase(ivy, sale(months_ago(1), "700")).expect("sale");
    assert_eq!(balance(&book, referrer), 600);
    book.undo_import(summary.batch_id).expect("undo");
    assert_eq!(balance(&book, referrer), 100);

    // Merged: one ledger holds both; undone, each has its own again.
    let other = buyer(&mut book, "G. Wilson", &[(months_ago(2), "1500")]);
    let record = book.merge_customers(referrer, other).expect("merge");
    assert_eq!(balance(&book, referrer), 1600);
    book.undo_merge(record.id).expect("undo merge");
    assert_eq!((balance(&book, referrer), balance(&book, other)), (100, 1500));

    // Deleted (not erased): as if never there, their bonus too.
    let deleted = book.create_customer(refer("Deleted Mistake")).expect("customer").id;
    book.add_purchase(deleted, sale(today(), "50")).expect("sale");
    assert_eq!(balance(&book, referrer), 600);
    book.delete_customer(deleted).expect("delete");
    assert_eq!(balance(&book, referrer), 100);
    for id in [referrer, other] {
        let ledger = book.points(id).expect("points");
        assert_eq!(ledger.balance, ledger.entries.iter().map(|entry| entry.points).sum::<i64>());
    }
}

#[test]
fn points_expire_after_the_months_set_oldest_first() {
    let mut book = Book::open_in_memory().expect("book");
    let id = buyer(&mut book, "Forgetful", &[(months_ago(14), "400"), (months_ago(6), "300")]);
    let mut redeeming = sale_of(months_ago(4), vec![PurchaseItem::priced(amount("1000"))], "");
    redeeming.redemption = Some(PointsRedemption { points: 100, value: amount("1") });
    book.add_purchase(id, redeeming.paid_in_full(PaymentMethod::Card)).expect("sale");
    let mut settings = book.settings().expect("settings");
    settings.membership.points_expire_months = Some(12);
    book.update_settings(&settings).expect("expiry on");
    // The 100 redeemed came from the oldest 400; the other 300 of it expired two months ago.
    let ledger = book.points(id).expect("points");
    assert_eq!(ledger.balance, 400 + 300 - 100 + 999 - 300);
    let expired = ledger.entries.iter().find(|entry| entry.kind == PointsKind::Expire).expect("expired");
    assert_eq!((expired.points, expired.entry_on), (-300, months_ago(2)));
    let membership = book.membership(id).expect("membership").expect("on");
    assert_eq!((membership.points_expiring, membership.points_expire_on), (Some(300), Some(months_ahead(6))));
    settings.membership.points_expire_months = None;
    book.update_settings(&settings).expect("expiry off");
    assert_eq!(balance(&book, id), 1599, "switched off, nothing expires");
}

#[test]
fn switched_off_the_programme_shows_no_tier_and_gives_no_points() {
    let mut book = Book::open_in_memory().expect("book");
    let id = buyer(&mut book, "Gold Buyer", &[(today(), "60000")]);
    let mut settings = book.settings().expect("settings");
    settings.membership.enabled = false;
    book.update_settings(&settings).expect("off");
    assert_eq!(book.membership(id).expect("membership"), None);
    assert_eq!(listed_tier(&book, id), None);
    assert_eq!(book.add_purchase(id, sale(today(), "100")).expect("sale").points_earned, 0);
    let refused =
        book.adjust_points(id, PointsDraft { points: 10, reason: "thanks".into() }).expect_err("off");
    assert_eq!(problem_of(refused).1, Problem::MembershipOff);
    let overview = book.membership_overview().expect("overview");
    assert!(!overview.enabled);
    settings.membership.enabled = true;
    book.update_settings(&settings).expect("on again");
    assert_eq!(listed_tier(&book, id).as_deref(), Some("gold"));
    assert!(book.tier_changes(id).expect("changes").len() == 1, "switching back on is no move");
}

#[test]
fn the_rules_are_checked_and_a_change_places_everyone_again() {
    let mut book = Book::open_in_memory().expect("book");
    let id = buyer(&mut book, "Near Gold", &[(months_ago(1), "45000")]);
    let mut settings = book.settings().expect("settings");
    settings.membership.tiers[2].min_spend = Some(amount("40000"));
    settings.membership.tiers[2].name.en = "Gold Card".into();
    book.update_settings(&settings).expect("lower gold");
    assert_eq!(listed_tier(&book, id).as_deref(), Some("gold"));
    let change = &book.tier_changes(id).expect("changes")[0];
    assert_eq!((change.changed_on, &change.reason, change.upgrade), (today(), &TierReason::Corrected, true));
    assert_eq!(change.to.as_ref().expect("to").name.en, "Gold Card");

    fn refuse(book: &mut Book, edit: impl Fn(&mut MembershipRules)) -> (String, Problem) {
        let mut settings = book.settings().expect("settings");
        edit(&mut settings.membership);
        problem_of(book.update_settings(&settings).expect_err("refused"))
    }
    assert_eq!(
        refuse(&mut book, |rules| rules.tiers[1].min_spend = None),
        ("membership.tiers[1].min_spend".into(), Problem::TierWithoutThreshold)
    );
    assert_eq!(
        refuse(&mut book, |rules| rules.tiers[0].discount_percent = amount("101")),
        ("membership.tiers[0].discount_percent".into(), Problem::PercentOutOfRange)
    );
    assert_eq!(
        refuse(&mut book, |rules| rules.tiers[2].key = "silver".into()),
        ("membership.tiers[2].key".into(), Problem::ListedTwice { value: "silver".into() })
    );
    assert_eq!(
        refuse(&mut book, |rules| rules.tiers[2].key = "Gold Card".into()),
        ("membership.tiers[2].key".into(), Problem::TierKeyInvalid { value: "Gold Card".into() })
    );
    assert_eq!(
        refuse(&mut book, |rules| rules.points_for_one_unit = 0),
        (
            "membership.points_for_one_unit".into(),
            Problem::MembershipNumberOutOfRange { min: 1, max: 1_000_000 }
        )
    );
}

#[test]
fn the_overview_counts_members_moves_and_points_owed() {
    let mut book = Book::open_in_memory().expect("book");
    book.create_customer(CustomerDraft::named("Browser")).expect("customer");
    let silver = buyer(&mut book, "Silver One", &[(today(), "25000")]);
    buyer(&mut book, "Member One", &[(today(), "200")]);
    book.redeem_points(silver, PointsDraft { points: 5000, reason: "service".into() }).expect("redeem");
    let overview = book.membership_overview().expect("overview");
    let counts: Vec<(&str, u32)> =
        overview.tiers.iter().map(|tier| (tier.tier.key.as_str(), tier.count)).collect();
    assert_eq!(counts, [("member", 1), ("silver", 1), ("gold", 0)]);
    assert_eq!(overview.non_members, 1);
    assert_eq!((overview.upgrades_this_month, overview.downgrades_this_month), (2, 0));
    assert_eq!(overview.points_outstanding, 20_000 + 200);
    assert_eq!(overview.points_liability, amount("202"));
    assert_eq!(overview.recent_changes[0].customer_name, "Member One");
}

#[test]
fn the_days_evaluation_moves_exactly_whom_a_replay_of_everyone_would() {
    let mut book = Book::open_in_memory().expect("book");
    book.generate_demo(400, 3000, 7, |_| {}).expect("demo");
    // A sale typed in ahead of its day: it counts from that day on.
    let ahead = buyer(&mut book, "Paid Ahead", &[]);
    book.add_purchase(ahead, sale(today().checked_add_days(chrono::Days::new(40)).expect("day"), "60000"))
        .expect("sale");
    assert_eq!(listed_tier(&book, ahead), None, "not before its day");
    let tiers = |book: &Book| -> Vec<(i64, Option<String>)> {
        let page = book.list_customers(&ListQuery { limit: 1000, ..ListQuery::default() }).expect("list");
        page.rows.into_iter().map(|row| (row.id, row.tier.map(|tier| tier.key))).collect()
    };
    let mut moved = 0;
    for days in [1, 41, 200, 400, 800, 1200] {
        let day = today().checked_add_days(chrono::Days::new(days)).expect("day");
        moved += book.refresh_standing_on(day).expect("the day's evaluation").tier_changes;
        let after_the_day = tiers(&book);
        assert_eq!(
            book.replay_every_tier_on(day).expect("everyone"),
            0,
            "day +{days}: a replay of everyone moved more"
        );
        assert_eq!(tiers(&book), after_the_day, "day +{days}");
        if days == 41 {
            assert_eq!(listed_tier(&book, ahead).as_deref(), Some("gold"), "its day came");
        }
    }
    assert!(moved > 20, "time moved only {moved} customers over three years");
}

/// The customers a tiers filter lists, by id, and how many it counts.
fn listed_in_tiers(book: &Book, tiers: &[&str]) -> (Vec<i64>, u32) {
    let filter = CustomerFilter {
        tiers: tiers.iter().map(|&tier| tier.into()).collect(),
        ..CustomerFilter::default()
    };
    let page = book.list_customers(&ListQuery { filter, ..ListQuery::default() }).expect("list");
    let mut ids: Vec<i64> = page.rows.iter().map(|row| row.id).collect();
    ids.sort_unstable();
    (ids, page.total)
}

/// A tiers filter reads each member's rank on their row (migration 0017): it selects by the
/// tier's name whatever rank the rules give it, before and after the rules change.
#[test]
fn a_tiers_filter_selects_by_name_whatever_rank_the_rules_give_the_tier() {
    let mut book = Book::open_in_memory().expect("book");
    book.create_customer(CustomerDraft::named("Never Bought")).expect("prospect");
    let member = buyer(&mut book, "One Small Sale", &[(today(), "120")]);
    let silver = buyer(&mut book, "Exactly Silver", &[(today(), "20000")]);
    let gold = buyer(&mut book, "Exactly Gold", &[(today(), "50000")]);
    assert_eq!(listed_in_tiers(&book, &["gold"]), (vec![gold], 1));
    assert_eq!(listed_in_tiers(&book, &["member", "gold"]), (vec![member, gold], 2));
    assert_eq!(listed_in_tiers(&book, &["platinum"]), (vec![], 0), "a tier the rules lack");

    // Without silver, gold ranks second of two: its member is placed again, and still found.
    let mut settings = book.settings().expect("settings");
    settings.membership.tiers.remove(1);
    book.update_settings(&settings).expect("no silver");
    assert_eq!(tier(&book, silver).as_deref(), Some("member"));
    assert_eq!(listed_in_tiers(&book, &["gold"]), (vec![gold], 1));
    assert_eq!(listed_in_tiers(&book, &["silver"]), (vec![], 0), "a tier nobody holds");
    assert_eq!(listed_in_tiers(&book, &["member"]), (vec![member, silver], 2));
}
