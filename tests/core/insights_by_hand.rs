//! Insights against every sale counted by hand: a random book whose sales were typed, moved to
//! another day, deleted and merged with another customer's, in two currencies over eight years,
//! and periods in the past, the present and across a leap day. The core reads only the periods'
//! sales and the purchase days kept on each customer; this reference walks every sale.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{Datelike, Days, NaiveDate};
use loupe_core::Book;
use loupe_core::model::*;
use rust_decimal::Decimal;

#[derive(Clone, Copy)]
struct Sale {
    id: i64,
    customer: i64,
    day: NaiveDate,
    in_dollars: bool,
    price: i64,
}

fn draft(day: NaiveDate, in_dollars: bool, price: i64) -> PurchaseDraft {
    PurchaseDraft {
        purchased_on: day,
        currency: if in_dollars { "USD".into() } else { String::new() },
        channel: SaleChannel::InStore,
        salesperson: String::new(),
        notes: String::new(),
        items: vec![PurchaseItem::priced(Decimal::from(price))],
        payments: Vec::new(),
        trade_ins: Vec::new(),
        collected_on: None,
        redemption: None,
    }
    .paid_in_full(PaymentMethod::Card)
}

/// The figures of `[from, to]` as the definitions in ARCHITECTURE.md state them, from every sale.
#[derive(Debug, PartialEq)]
struct Counted {
    revenue: Decimal,
    purchases: u32,
    buyers: u32,
    customers_bought: u32,
    repeat_customers: u32,
    new_customers: u32,
    lifespan_years: Option<Decimal>,
    retention_base: u32,
    retained: u32,
    returning_buyers: u32,
}

fn counted(sales: &[Sale], from: NaiveDate, to: NaiveDate) -> Counted {
    let days = (to - from).num_days();
    let before_to = from - Days::new(1);
    let before_from = before_to - Days::new(days as u64);
    let in_pounds = |sale: &&Sale| !sale.in_dollars;
    let within = |sale: &&Sale| from <= sale.day && sale.day <= to;
    let period_sales: Vec<&Sale> = sales.iter().filter(within).filter(in_pounds).collect();
    let buyers: BTreeSet<i64> = period_sales.iter().map(|sale| sale.customer).collect();
    let bought_in = |first: NaiveDate, last: NaiveDate| -> BTreeSet<i64> {
        sales.iter().filter(|sale| first <= sale.day && sale.day <= last).map(|sale| sale.customer).collect()
    };
    let mut by_end: BTreeMap<i64, Vec<NaiveDate>> = BTreeMap::new();
    for sale in sales.iter().filter(|sale| sale.day <= to) {
        by_end.entry(sale.customer).or_default().push(sale.day);
    }
    let first_of =
        |customer: i64| sales.iter().filter(|sale| sale.customer == customer).map(|sale| sale.day).min();
    let repeaters: Vec<&Vec<NaiveDate>> = by_end.values().filter(|days| days.len() >= 2).collect();
    let span: i64 = repeaters
        .iter()
        .map(|days| (*days.iter().max().expect("a day") - *days.iter().min().expect("a day")).num_days())
        .sum();
    let before = bought_in(before_from, before_to);
    let now = bought_in(from, to);
    Counted {
        revenue: period_sales.iter().map(|sale| Decimal::from(sale.price)).sum::<Decimal>(),
        purchases: period_sales.len() as u32,
        buyers: buyers.len() as u32,
        customers_bought: by_end.len() as u32,
        repeat_customers: repeaters.len() as u32,
        new_customers: by_end
            .values()
            .filter(|days| days.iter().min().is_some_and(|first| *first >= from))
            .count() as u32,
        lifespan_years: (!repeaters.is_empty())
            .then(|| Decimal::from(span) / (Decimal::from(repeaters.len()) * Decimal::new(36525, 2))),
        retention_base: before.len() as u32,
        retained: before.intersection(&now).count() as u32,
        returning_buyers: buyers
            .iter()
            .filter(|customer| first_of(**customer).is_some_and(|first| first < from))
            .count() as u32,
    }
}

fn reported(figures: &PeriodFigures) -> Counted {
    Counted {
        revenue: figures.revenue,
        purchases: figures.purchases,
        buyers: figures.buyers,
        customers_bought: figures.customers_bought,
        repeat_customers: figures.repeat_customers,
        new_customers: figures.new_customers,
        lifespan_years: figures.lifespan_years,
        retention_base: figures.retention_base,
        retained: figures.retained,
        returning_buyers: figures.returning_buyers,
    }
}

/// Per cohort month of the period: its customers and how many bought in each month from it.
fn counted_cohorts(sales: &[Sale], from: NaiveDate, to: NaiveDate) -> Vec<(String, u32, Vec<u32>)> {
    let month = |day: NaiveDate| (day.year() - from.year()) * 12 + day.month0() as i32 - from.month0() as i32;
    let months = month(to) + 1;
    let mut first: BTreeMap<i64, NaiveDate> = BTreeMap::new();
    for sale in sales {
        let day = first.entry(sale.customer).or_insert(sale.day);
        *day = (*day).min(sale.day);
    }
    let mut cohorts: BTreeMap<i32, (u32, Vec<u32>)> = BTreeMap::new();
    for (customer, first) in first.iter().filter(|(_, first)| from <= **first && **first <= to) {
        let start = month(*first);
        let (count, active) = cohorts.entry(start).or_insert_with(|| (0, vec![0; (months - start) as usize]));
        *count += 1;
        for (offset, slot) in active.iter_mut().enumerate() {
            let bought = sales.iter().any(|sale| {
                sale.customer == *customer
                    && from <= sale.day
                    && sale.day <= to
                    && month(sale.day) == start + offset as i32
            });
            *slot += u32::from(bought);
        }
    }
    cohorts
        .into_iter()
        .map(|(start, (count, active))| {
            let first_month = from.with_day(1).expect("first");
            let name = first_month.checked_add_months(chrono::Months::new(start as u32)).expect("month");
            (name.format("%Y-%m").to_string(), count, active)
        })
        .collect()
}

#[test]
fn every_customer_number_agrees_with_every_sale_counted_by_hand() {
    let mut book = Book::open_in_memory().expect("book");
    let mut rng = fastrand::Rng::with_seed(18);
    let customers: Vec<i64> = (0..40)
        .map(|index| {
            book.create_customer(CustomerDraft::named(format!("Customer {index}"))).expect("customer").id
        })
        .collect();
    let since = NaiveDate::from_ymd_opt(2019, 1, 1).expect("day");
    let mut sales: Vec<Sale> = Vec::new();
    for _ in 0..300 {
        let customer = customers[rng.usize(..customers.len())];
        let day = since + Days::new(rng.u64(0..365 * 8));
        let (in_dollars, price) = (rng.u8(0..8) == 0, rng.i64(1..50) * 100);
        let id = book.add_purchase(customer, draft(day, in_dollars, price)).expect("sale").id;
        sales.push(Sale { id, customer, day, in_dollars, price });
    }
    // Some sales typed on the wrong day and moved, some deleted, and two customers found to be one.
    for index in (0..sales.len()).step_by(7) {
        let sale = &mut sales[index];
        sale.day = since + Days::new(rng.u64(0..365 * 8));
        book.update_purchase(sale.id, draft(sale.day, sale.in_dollars, sale.price)).expect("moved");
    }
    for index in (0..sales.len()).rev().step_by(11) {
        book.delete_purchase(sales[index].id).expect("deleted");
        sales.remove(index);
    }
    let (kept, other) = (customers[0], customers[1]);
    book.merge_customers(kept, other).expect("merged");
    for sale in sales.iter_mut().filter(|sale| sale.customer == other) {
        sale.customer = kept;
    }

    let day = |text: &str| text.parse::<NaiveDate>().expect("day");
    for (from, to) in [
        (day("2019-01-01"), day("2019-12-31")),
        (day("2023-07-01"), day("2023-09-30")),
        (day("2024-02-01"), day("2024-03-31")),
        (day("2025-11-15"), day("2026-11-14")),
        (day("2026-12-01"), day("2026-12-31")),
        (day("2018-01-01"), day("2018-06-30")),
    ] {
        let insights =
            book.insights(&InsightsQuery { from, to, filter: CustomerFilter::default() }).expect("insights");
        assert_eq!(reported(&insights.period), counted(&sales, from, to), "{from} to {to}");
        let (previous_from, previous_to) = (insights.previous.from, insights.previous.to);
        assert_eq!(
            reported(&insights.previous),
            counted(&sales, previous_from, previous_to),
            "{previous_from} to {previous_to}, before {from}"
        );
        let cohorts: Vec<(String, u32, Vec<u32>)> = insights
            .cohorts
            .into_iter()
            .map(|cohort| (cohort.cohort, cohort.customers, cohort.active))
            .collect();
        assert_eq!(cohorts, counted_cohorts(&sales, from, to), "cohorts of {from} to {to}");
    }
}
