//! Insights on a hand-made book, every number by its definition with exact values: the first
//! quarter of 2026 (90 days) against the 90 days before; an empty period; another currency left
//! apart; an audience filter; the months, cohorts, brands and categories behind them.

use chrono::NaiveDate;
use loupe_core::model::*;
use loupe_core::problem::Problem;
use loupe_core::{Book, Error};
use rust_decimal::Decimal;

fn amount(text: &str) -> Decimal {
    text.parse().expect("amount")
}

fn day(text: &str) -> NaiveDate {
    text.parse().expect("day")
}

fn item(brand: &str, category: ItemCategory, price: &str, discount: &str) -> PurchaseItem {
    PurchaseItem {
        brand: brand.into(),
        category,
        discount: amount(discount),
        ..PurchaseItem::priced(amount(price))
    }
}

fn sale(book: &mut Book, customer: i64, on: &str, currency: &str, items: Vec<PurchaseItem>) {
    let draft = PurchaseDraft {
        purchased_on: day(on),
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
    .paid_in_full(PaymentMethod::Card);
    book.add_purchase(customer, draft).expect("sale");
}

fn score(book: &mut Book, customer: i64, on: &str, score: u8) {
    book.add_entry(customer, SatisfactionDraft { score, scored_on: day(on), comment: String::new() })
        .expect("score");
}

fn customer(book: &mut Book, name: &str, tags: &[&str]) -> i64 {
    let draft = CustomerDraft {
        tags: tags.iter().map(|tag| tag.to_string()).collect(),
        ..CustomerDraft::named(name)
    };
    book.create_customer(draft).expect("customer").id
}

fn quarter(filter: CustomerFilter) -> InsightsQuery {
    InsightsQuery { from: day("2026-01-01"), to: day("2026-03-31"), filter }
}

/// The shop: A bought in June and twice this quarter; B only last quarter; C first this March;
/// D only in dollars; E last December and again in March; F twice this quarter, new.
fn shop() -> Book {
    let mut book = Book::open_in_memory().expect("book");
    let a = customer(&mut book, "Anna", &["vip"]);
    let b = customer(&mut book, "Ben", &[]);
    let c = customer(&mut book, "Clara", &["vip"]);
    let d = customer(&mut book, "Dan", &[]);
    let e = customer(&mut book, "Eva", &[]);
    let f = customer(&mut book, "Finn", &[]);
    let watch = ItemCategory::Watch;
    sale(&mut book, a, "2025-06-10", "", vec![item("Omega", watch, "1000", "0")]);
    sale(&mut book, a, "2026-01-15", "", vec![item("Rolex", watch, "2000", "0")]);
    sale(&mut book, a, "2026-02-20", "", vec![item("Cartier", watch, "3000", "0")]);
    sale(&mut book, b, "2025-11-05", "", vec![item("Tudor", watch, "500", "0")]);
    sale(&mut book, c, "2026-03-10", "", vec![item("Rolex", ItemCategory::Ring, "4000", "0")]);
    sale(&mut book, d, "2026-02-01", "USD", vec![item("Seiko", watch, "700", "0")]);
    sale(&mut book, e, "2025-12-01", "", vec![item("Omega", watch, "1500", "0")]);
    sale(&mut book, e, "2026-03-30", "", vec![item("ROLEX ", watch, "1100", "100")]);
    sale(&mut book, f, "2026-01-05", "", vec![item("Tudor", watch, "300", "0")]);
    sale(&mut book, f, "2026-03-02", "", vec![item("", watch, "200", "0")]);
    score(&mut book, a, "2026-01-20", 5);
    score(&mut book, c, "2026-03-15", 3);
    score(&mut book, b, "2025-11-10", 1);
    let campaign = CampaignDraft {
        name: "Spring letters".into(),
        channel: CampaignChannel::Post,
        run_on: day("2026-02-01"),
        cost: amount("600"),
        notes: String::new(),
    };
    book.add_campaign(&campaign).expect("campaign");
    book.add_expense(&ExpenseDraft {
        spent_on: day("2026-03-01"),
        amount: amount("200"),
        note: "Fair stand".into(),
    })
    .expect("expense");
    book.add_expense(&ExpenseDraft {
        spent_on: day("2025-12-31"),
        amount: amount("50"),
        note: "Advert".into(),
    })
    .expect("expense");
    book
}

#[test]
fn every_number_of_a_quarter_by_its_definition() {
    let book = shop();
    let insights = book.insights(&quarter(CustomerFilter::default())).expect("insights");
    let p = &insights.period;
    assert_eq!(insights.currency, "GBP");
    assert_eq!((p.from, p.to), (day("2026-01-01"), day("2026-03-31")));
    // A 2000 + 3000, C 4000, E 1000 (1100 less 100), F 300 + 200; Dan's dollars apart.
    assert_eq!((p.revenue, p.purchases, p.buyers), (amount("10500"), 6, 4));
    assert_eq!(
        p.other_currencies,
        [CurrencyTotal { currency: "USD".into(), revenue: amount("700"), purchases: 1 }]
    );
    assert_eq!(p.aov, Some(amount("1750")));
    // 6 purchases ÷ 4 buyers × 365.25 ÷ 90 days.
    assert_eq!(p.frequency, Some(amount("6.0875")));
    // A 255 days, E 119, F 56: 430 ÷ 3 customers ÷ 365.25.
    assert_eq!(
        (p.lifespan_customers, p.lifespan_years.map(|years| years.round_dp(10))),
        (3, Some(amount("0.3924252795")))
    );
    assert_eq!(p.clv, Some(amount("1750") * amount("6.0875") * p.lifespan_years.expect("lifespan")));
    // C, Dan (in dollars: a customer is new whatever they paid in) and F bought first this
    // quarter; 600 of the campaign + 200 of the fair, not December's 50.
    assert_eq!((p.new_customers, p.marketing_cost), (3, amount("800")));
    assert_eq!(p.cac.map(|cac| cac.round_dp(6)), Some(amount("266.666667")));
    // Of B and E (last quarter's buyers), E bought again.
    assert_eq!((p.retention_base, p.retained, p.retention_rate), (2, 1, Some(amount("50"))));
    // A and E had bought before: 2 of 4 buyers.
    assert_eq!((p.returning_buyers, p.returning_share), (2, Some(amount("50"))));
    // Everyone had bought by the end; A, E and F twice or more.
    assert_eq!((p.customers_bought, p.repeat_customers, p.repeat_rate), (6, 3, Some(amount("50"))));
    assert_eq!((p.csat, p.csat_satisfied_share, p.csat_scores), (Some(amount("4")), Some(amount("50")), 2));
    // The top 20 % of 4 buyers is 1 (rounded up): A's 5000 of 10500.
    assert_eq!(p.top20_buyers, 1);
    assert_eq!(p.top20_share.map(|share| share.round_dp(6)), Some(amount("47.619048")));

    // The 90 days before: B and E, both new then; nobody bought in the 90 days before those.
    let q = &insights.previous;
    assert_eq!((q.from, q.to), (day("2025-10-03"), day("2025-12-31")));
    assert_eq!((q.revenue, q.purchases, q.buyers, q.new_customers), (amount("2000"), 2, 2, 2));
    assert_eq!((q.retention_base, q.retention_rate), (0, None));
    assert_eq!((q.marketing_cost, q.cac), (amount("50"), Some(amount("25"))));
    assert_eq!((q.csat, q.csat_scores), (Some(amount("1")), 1));
    // By the previous end A (one sale), B, E had bought; none twice.
    assert_eq!(
        (q.customers_bought, q.repeat_rate, q.lifespan_years, q.clv),
        (3, Some(Decimal::ZERO), None, None)
    );

    let months: Vec<(&str, Decimal, u32, u32)> =
        insights.monthly.iter().map(|m| (m.month.as_str(), m.revenue, m.purchases, m.buyers)).collect();
    assert_eq!(
        months,
        [
            ("2026-01", amount("2300"), 2, 2),
            ("2026-02", amount("3000"), 1, 1),
            ("2026-03", amount("5200"), 3, 3)
        ]
    );
    let csat: Vec<(Option<Decimal>, u32)> =
        insights.monthly.iter().map(|m| (m.csat, m.csat_scores)).collect();
    assert_eq!(csat, [(Some(amount("5")), 1), (None, 0), (Some(amount("3")), 1)]);
    // F's cohort (January) bought in January and March; Dan's (February) then; C's (March) in March.
    let cohorts: Vec<(&str, u32, &[u32])> =
        insights.cohorts.iter().map(|c| (c.cohort.as_str(), c.customers, c.active.as_slice())).collect();
    assert_eq!(
        cohorts,
        [("2026-01", 1, &[1, 0, 1][..]), ("2026-02", 1, &[1, 0][..]), ("2026-03", 1, &[1][..])]
    );
    let brands: Vec<(&str, Decimal, u32)> =
        insights.brands.iter().map(|b| (b.name.as_str(), b.revenue, b.pieces)).collect();
    assert_eq!(
        brands,
        [("Rolex", amount("7000"), 3), ("Cartier", amount("3000"), 1), ("Tudor", amount("300"), 1)]
    );
    let categories: Vec<(&str, Decimal, u32)> =
        insights.categories.iter().map(|c| (c.name.as_str(), c.revenue, c.pieces)).collect();
    assert_eq!(categories, [("watch", amount("6500"), 5), ("ring", amount("4000"), 1)]);
    let members: u32 = insights.tiers.iter().map(|tier| tier.count).sum();
    assert_eq!(members, 6, "every buyer is a member: {:?}", insights.tiers);
}

#[test]
fn an_audience_narrows_every_number() {
    let book = shop();
    let vip = CustomerFilter { tags: vec!["VIP".into()], ..CustomerFilter::default() };
    let p = book.insights(&quarter(vip)).expect("insights").period;
    // A 5000 and C 4000; C is new; A had bought before.
    assert_eq!((p.revenue, p.purchases, p.buyers, p.new_customers), (amount("9000"), 3, 2, 1));
    assert_eq!((p.returning_buyers, p.customers_bought, p.repeat_customers), (1, 2, 1));
    assert_eq!((p.csat, p.csat_scores), (Some(amount("4")), 2));
    assert!(p.other_currencies.is_empty());
}

#[test]
fn an_empty_period_has_no_averages_and_a_reversed_one_is_refused() {
    let book = shop();
    let empty =
        InsightsQuery { from: day("2024-01-01"), to: day("2024-01-31"), filter: CustomerFilter::default() };
    let p = book.insights(&empty).expect("insights").period;
    assert_eq!((p.revenue, p.purchases, p.buyers, p.customers_bought), (Decimal::ZERO, 0, 0, 0));
    assert_eq!((p.aov, p.frequency, p.lifespan_years, p.clv, p.cac), (None, None, None, None, None));
    assert_eq!((p.returning_share, p.repeat_rate, p.csat, p.top20_share), (None, None, None, None));
    let reversed =
        InsightsQuery { from: day("2026-02-01"), to: day("2026-01-31"), filter: CustomerFilter::default() };
    match book.insights(&reversed) {
        Err(Error::Invalid { field, problem }) => {
            assert_eq!((field.as_str(), problem), ("to", Problem::PeriodReversed))
        }
        other => panic!("expected a refusal, got {other:?}"),
    }
}

#[test]
fn a_single_customer_is_the_whole_top_fifth() {
    let mut book = Book::open_in_memory().expect("book");
    let only = customer(&mut book, "Only One", &[]);
    sale(&mut book, only, "2026-02-02", "", vec![item("Rolex", ItemCategory::Watch, "9150", "0")]);
    let p = book.insights(&quarter(CustomerFilter::default())).expect("insights").period;
    assert_eq!((p.buyers, p.top20_buyers, p.top20_share), (1, 1, Some(amount("100"))));
    assert_eq!((p.new_customers, p.marketing_cost, p.cac), (1, Decimal::ZERO, Some(Decimal::ZERO)));
    assert_eq!((p.returning_share, p.repeat_rate), (Some(Decimal::ZERO), Some(Decimal::ZERO)));
    let (_, problem) = match book.add_campaign(&CampaignDraft {
        name: " ".into(),
        channel: CampaignChannel::Email,
        run_on: day("2026-02-01"),
        cost: amount("10"),
        notes: String::new(),
    }) {
        Err(Error::Invalid { field, problem }) => (field, problem),
        other => panic!("expected a refusal, got {other:?}"),
    };
    assert_eq!(problem, Problem::CampaignNameMissing);
}

#[test]
fn other_marketing_expenses_read_newest_first() {
    let mut book = Book::open_in_memory().expect("book");
    assert_eq!(book.expenses().expect("none yet"), Vec::new());
    let spend = |on: &str, amount_text: &str, note: &str| ExpenseDraft {
        spent_on: day(on),
        amount: amount(amount_text),
        note: note.into(),
    };
    let fair = book.add_expense(&spend("2026-03-01", "200.50", " Fair stand ")).expect("fair");
    let advert = book.add_expense(&spend("2025-12-31", "50", "Advert")).expect("advert");
    let same_day = book.add_expense(&spend("2026-03-01", "0", "")).expect("same day");
    let read = book.expenses().expect("expenses");
    assert_eq!(read.iter().map(|e| e.id).collect::<Vec<_>>(), vec![same_day.id, fair.id, advert.id]);
    assert_eq!(read[1].draft, spend("2026-03-01", "200.5", "Fair stand"));
    assert_eq!(read, vec![same_day, fair, advert]);
    let refused = book.add_expense(&spend("2026-03-02", "-1", "refund"));
    assert!(matches!(refused, Err(Error::Invalid { field, .. }) if field == "amount"));
    assert_eq!(book.expenses().expect("expenses").len(), 3);
}

#[test]
fn a_campaign_is_answered_by_purchases_within_its_response_days() {
    let mut book = Book::open_in_memory().expect("book");
    let quick = customer(&mut book, "Quick Buyer", &[]);
    let late = customer(&mut book, "Late Buyer", &[]);
    let silent = customer(&mut book, "Silent", &[]);
    let untargeted = customer(&mut book, "Not Written To", &[]);
    let letter = |name: &str| InteractionDraft {
        kind: InteractionKind::Message,
        direction: Direction::Outbound,
        occurred_on: day("2026-02-01"),
        summary: "Spring letter".into(),
        outcome: String::new(),
        campaign: name.into(),
        response: None,
    };
    for id in [quick, late, silent] {
        book.add_entry(id, letter("Spring letters")).expect("targeted");
    }
    book.add_entry(quick, letter("spring LETTERS")).expect("written twice, counted once");
    let campaign = CampaignDraft {
        name: "Spring letters".into(),
        channel: CampaignChannel::Post,
        run_on: day("2026-02-01"),
        cost: amount("900"),
        notes: String::new(),
    };
    book.add_campaign(&campaign).expect("campaign");
    // On the 30th day after: a response; on the 31st: not; and a sale in dollars counts as a
    // response but not in the revenue or the orders.
    sale(&mut book, quick, "2026-03-03", "", vec![item("Rolex", ItemCategory::Watch, "4500", "0")]);
    sale(&mut book, quick, "2026-02-10", "USD", vec![item("Rolex", ItemCategory::Watch, "100", "0")]);
    sale(&mut book, late, "2026-03-04", "", vec![item("Rolex", ItemCategory::Watch, "9000", "0")]);
    sale(&mut book, untargeted, "2026-02-02", "", vec![item("Rolex", ItemCategory::Watch, "700", "0")]);
    let results = book.campaign_results().expect("results");
    let result = &results[0];
    assert_eq!((result.targeted, result.responded, result.orders), (3, 1, 1));
    assert_eq!(result.response_rate.map(|rate| rate.round_dp(4)), Some(amount("33.3333")));
    assert_eq!((result.revenue, result.cost_per_order), (amount("4500.00"), Some(amount("900"))));
    // A longer response window takes the late buyer in.
    let mut settings = book.settings().expect("settings");
    settings.campaign_response_days = 31;
    book.update_settings(&settings).expect("saved");
    let result = &book.campaign_results().expect("results")[0];
    assert_eq!((result.responded, result.orders, result.cost_per_order), (2, 2, Some(amount("450"))));
    settings.campaign_response_days = 0;
    assert!(
        matches!(book.update_settings(&settings), Err(Error::Invalid { field, .. }) if field == "campaign_response_days")
    );
}

#[test]
fn a_response_recorded_by_hand_answers_its_campaign_once() {
    let mut book = Book::open_in_memory().expect("book");
    let replier = customer(&mut book, "Replied And Bought", &[]);
    let visitor = customer(&mut book, "Visited", &[]);
    let hand_bought = customer(&mut book, "Bought Later", &[]);
    let leaver = customer(&mut book, "Unsubscribed", &[]);
    let elsewhere = customer(&mut book, "Answered Another", &[]);
    let silent = customer(&mut book, "Silent", &[]);
    let contact = |campaign: &str, response: Option<InteractionResponse>| InteractionDraft {
        kind: InteractionKind::Email,
        direction: Direction::Outbound,
        occurred_on: day("2026-02-01"),
        summary: "Autumn letter".into(),
        outcome: String::new(),
        campaign: campaign.into(),
        response,
    };
    book.add_entry(replier, contact("Autumn letters", Some(InteractionResponse::Replied))).expect("reply");
    book.add_entry(visitor, contact("AUTUMN letters", Some(InteractionResponse::Visited))).expect("visit");
    book.add_entry(hand_bought, contact("autumn letters", Some(InteractionResponse::Bought)))
        .expect("bought");
    book.add_entry(leaver, contact("Autumn letters", Some(InteractionResponse::Unsubscribed))).expect("left");
    book.add_entry(elsewhere, contact("Autumn letters", None)).expect("written to");
    book.add_entry(elsewhere, contact("Winter gala", Some(InteractionResponse::Replied))).expect("gala");
    book.add_entry(silent, contact("Autumn letters", None)).expect("written to");
    for (name, run_on, cost) in [("Autumn letters", "2026-02-01", "300"), ("Winter gala", "2026-03-01", "0")]
    {
        book.add_campaign(&CampaignDraft {
            name: name.into(),
            channel: CampaignChannel::Email,
            run_on: day(run_on),
            cost: amount(cost),
            notes: String::new(),
        })
        .expect("campaign");
    }
    // The replier also bought in the window; the hand-recorded purchase fell after it (the 59th
    // day), so it answers the campaign but is no order of it.
    sale(&mut book, replier, "2026-02-15", "", vec![item("Rolex", ItemCategory::Watch, "1000", "0")]);
    sale(&mut book, hand_bought, "2026-04-01", "", vec![item("Rolex", ItemCategory::Watch, "5000", "0")]);

    let results = book.campaign_results().expect("results");
    let figures: Vec<_> = results
        .iter()
        .map(|result| {
            (
                result.campaign.draft.name.as_str(),
                result.targeted,
                result.responded,
                result.unsubscribed,
                result.orders,
                result.revenue,
                result.cost_per_order,
            )
        })
        .collect();
    assert_eq!(
        figures,
        [
            // Only the contact naming it: the reply to the gala answers the gala alone.
            ("Winter gala", 1, 1, 0, 0, Decimal::ZERO, None),
            // Replied (and bought: counted once), visited, bought by hand; the leaver apart.
            ("Autumn letters", 6, 3, 1, 1, amount("1000"), Some(amount("300"))),
        ]
    );
    assert_eq!(results[1].response_rate, Some(amount("50")));
    assert_eq!(results[0].response_rate, Some(amount("100")));
}
