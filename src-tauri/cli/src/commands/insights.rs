//! `loupe insights`, `loupe campaigns`, `loupe expenses`: the numbers of a period for an
//! audience, and what marketing costs.

use chrono::{Days, Months, NaiveDate};
use loupe_core::model::{CampaignDraft, ExpenseDraft, Insights, InsightsQuery, PeriodFigures};
use loupe_core::{Book, Error, money};
use rust_decimal::{Decimal, RoundingStrategy};

use crate::args::{AudienceArgs, CampaignsCommand};
use crate::output::{print_json, say};

/// The last twelve months up to today, both ends included, unless given.
fn period(from: Option<NaiveDate>, to: Option<NaiveDate>) -> (NaiveDate, NaiveDate) {
    let to = to.unwrap_or_else(loupe_core::today);
    let from =
        from.unwrap_or_else(|| to.checked_sub_months(Months::new(12)).map_or(to, |day| day + Days::new(1)));
    (from, to)
}

/// A figure as the dealer reads it: money grouped to the cent (2 places), anything else to one
/// decimal without trailing zeros (half to even), "—" when there is nothing to rest on.
fn shown(value: Option<Decimal>, places: u32) -> String {
    value.map_or_else(
        || "—".to_string(),
        |value| {
            let rounded = value.round_dp_with_strategy(places, RoundingStrategy::MidpointNearestEven);
            if places == 2 { money(rounded) } else { rounded.normalize().to_string() }
        },
    )
}

fn say_period(label: &str, currency: &str, p: &PeriodFigures) {
    say!("{label}: {} to {}", p.from, p.to);
    say!(
        "  revenue           {} {currency} in {} purchases by {} buyers",
        money(p.revenue),
        p.purchases,
        p.buyers
    );
    for other in &p.other_currencies {
        say!(
            "                    and {} {} in {} purchases, apart",
            money(other.revenue),
            other.currency,
            other.purchases
        );
    }
    say!("  average order     {}", shown(p.aov, 2));
    say!("  frequency         {} purchases per buyer per year", shown(p.frequency, 1));
    say!("  lifespan          {} years (of {} customers)", shown(p.lifespan_years, 1), p.lifespan_customers);
    say!("  lifetime value    {}", shown(p.clv, 2));
    say!(
        "  new customers     {}; marketing {}; acquisition cost {}",
        p.new_customers,
        money(p.marketing_cost),
        shown(p.cac, 2)
    );
    say!("  retention         {} % ({} of {})", shown(p.retention_rate, 1), p.retained, p.retention_base);
    say!("  returning share   {} % ({} of the buyers)", shown(p.returning_share, 1), p.returning_buyers);
    say!(
        "  repeat rate       {} % ({} of {})",
        shown(p.repeat_rate, 1),
        p.repeat_customers,
        p.customers_bought
    );
    say!(
        "  satisfaction      {} of 5 ({} scores; {} % 4 or 5)",
        shown(p.csat, 1),
        p.csat_scores,
        shown(p.csat_satisfied_share, 1)
    );
    say!("  top 20 % share    {} % ({} buyers)", shown(p.top20_share, 1), p.top20_buyers);
}

pub fn insights(
    book: &Book,
    from: Option<NaiveDate>,
    to: Option<NaiveDate>,
    audience: AudienceArgs,
    json: bool,
) -> Result<(), Error> {
    let (from, to) = period(from, to);
    let filter = super::segments::audience_filter(book, audience)?;
    let insights: Insights = book.insights(&InsightsQuery { from, to, filter })?;
    if json {
        print_json(&insights);
        return Ok(());
    }
    say_period("this period", &insights.currency, &insights.period);
    say_period("the period before", &insights.currency, &insights.previous);
    say!("by month:");
    for month in &insights.monthly {
        say!(
            "  {}  {:>14}  {:>5} purchases  {:>5} buyers",
            month.month,
            money(month.revenue),
            month.purchases,
            month.buyers
        );
    }
    let brands: Vec<String> =
        insights.brands.iter().map(|brand| format!("{} {}", brand.name, money(brand.revenue))).collect();
    say!("top brands: {}", brands.join(", "));
    Ok(())
}

pub fn campaigns(book: &mut Book, command: Option<CampaignsCommand>, json: bool) -> Result<(), Error> {
    match command {
        Some(CampaignsCommand::Add { name, channel, on, cost, notes, json }) => {
            let campaign = book.add_campaign(&CampaignDraft { name, channel, run_on: on, cost, notes })?;
            if json {
                print_json(&campaign);
            } else {
                say!(
                    "campaign #{} {} on {}, cost {}",
                    campaign.id,
                    campaign.draft.name,
                    campaign.draft.run_on,
                    money(campaign.draft.cost)
                );
            }
        }
        None => {
            let results = book.campaign_results()?;
            if json {
                print_json(&results);
            } else {
                for result in &results {
                    let draft = &result.campaign.draft;
                    say!(
                        "#{:<4} {}  {:<6} {}: cost {}; {} targeted, {} responded ({} %), {} unsubscribed, {} orders, {} revenue, {} per order",
                        result.campaign.id,
                        draft.run_on,
                        draft.channel,
                        draft.name,
                        money(draft.cost),
                        result.targeted,
                        result.responded,
                        shown(result.response_rate, 1),
                        result.unsubscribed,
                        result.orders,
                        money(result.revenue),
                        shown(result.cost_per_order, 2)
                    );
                }
            }
        }
    }
    Ok(())
}

pub fn add_expense(
    book: &mut Book,
    on: NaiveDate,
    amount: Decimal,
    note: String,
    json: bool,
) -> Result<(), Error> {
    let expense = book.add_expense(&ExpenseDraft { spent_on: on, amount, note })?;
    if json {
        print_json(&expense);
    } else {
        say!(
            "expense #{} on {}: {} ({})",
            expense.id,
            expense.draft.spent_on,
            money(expense.draft.amount),
            expense.draft.note
        );
    }
    Ok(())
}
