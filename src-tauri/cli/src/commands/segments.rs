//! `loupe segments`: the built-in segments with their rules and the saved ones with their
//! filters, each counted; saving and deleting saved segments. Also the audience flags every
//! command that selects customers shares, made into the core's `CustomerFilter`.

use loupe_core::model::{CustomerFilter, SavedSegment, Segment, SegmentCount, StandingRules};
use loupe_core::problem::Problem;
use loupe_core::{Book, Error};
use serde::Serialize;

use crate::args::{AudienceArgs, SegmentsCommand};
use crate::output::{print_json, report, say};

pub fn run(book: &mut Book, command: Option<SegmentsCommand>, json: bool) -> Result<(), Error> {
    match command {
        None => list(book, json),
        Some(SegmentsCommand::Save { name, audience, replace, json }) => {
            let filter = audience_filter(book, audience)?;
            let existing = if replace { saved_named(book, &name)?.map(|saved| saved.id) } else { None };
            let saved = book.save_segment(existing, &name, &filter)?;
            report(json, &saved, || {
                format!(
                    "saved segment {}: {} customers ({})",
                    saved.name,
                    saved.count,
                    filter_words(&saved.filter)
                )
            });
            Ok(())
        }
        Some(SegmentsCommand::Delete { name }) => {
            let Some(saved) = saved_named(book, &name)? else {
                let known: Vec<String> = book.saved_segments()?.into_iter().map(|saved| saved.name).collect();
                let known = if known.is_empty() { "none saved".to_owned() } else { known.join(", ") };
                return Err(Error::invalid("name", Problem::NoSuchSegment { name, known }));
            };
            book.delete_segment(saved.id)?;
            say!("deleted segment {}", saved.name);
            Ok(())
        }
    }
}

/// The audience the flags select; `--segment` names a built-in segment (several: any of them)
/// or one saved segment.
pub fn audience_filter(book: &Book, args: AudienceArgs) -> Result<CustomerFilter, Error> {
    let tiers = if args.tiers.is_empty() {
        Vec::new()
    } else {
        super::tiers::keys_named(&book.settings()?, &args.tiers)?
    };
    let mut filter = CustomerFilter {
        customer_type: args.customer_type,
        tags: args.tags,
        language: args.language,
        min_spend: args.min_spend,
        max_spend: args.max_spend,
        bought_since: args.bought_since,
        bought_until: args.bought_until,
        not_bought_since: args.not_bought_since,
        brand: args.brand,
        value_classes: args.value_classes,
        rfm_groups: args.rfm_groups,
        min_rfm: args.min_rfm,
        influence: args.influence,
        likes: args.likes,
        tiers,
        ..CustomerFilter::default()
    };
    for name in &args.segments {
        let named = book.segment_named(name)?;
        filter.segments.extend(named.segments);
        if let Some(saved) = named.saved_segment {
            if filter.saved_segment.is_some_and(|other| other != saved) {
                return Err(Error::invalid(
                    "segment",
                    Problem::Other {
                        message: "name one saved segment at most (built-in segments may be repeated)".into(),
                    },
                ));
            }
            filter.saved_segment = Some(saved);
        }
    }
    Ok(filter)
}

fn saved_named(book: &Book, name: &str) -> Result<Option<SavedSegment>, Error> {
    let name = name.trim();
    Ok(book.saved_segments()?.into_iter().find(|saved| saved.name.to_lowercase() == name.to_lowercase()))
}

#[derive(Serialize)]
struct SegmentsFile {
    built_in: Vec<BuiltInSegment>,
    saved: Vec<SavedSegment>,
}

#[derive(Serialize)]
struct BuiltInSegment {
    #[serde(flatten)]
    count: SegmentCount,
    rule: String,
}

fn list(book: &Book, json: bool) -> Result<(), Error> {
    let rules = book.settings()?.standing;
    let built_in: Vec<BuiltInSegment> = book
        .segment_counts(&CustomerFilter::default())?
        .into_iter()
        .map(|count| BuiltInSegment { rule: rule_words(count.segment, &rules), count })
        .collect();
    let saved = book.saved_segments()?;
    if json {
        print_json(&SegmentsFile { built_in, saved });
        return Ok(());
    }
    for segment in &built_in {
        say!("{:<12} {:>7}  {}", segment.count.segment.as_str(), segment.count.count, segment.rule);
    }
    if saved.is_empty() {
        say!("no saved segments (loupe segments save NAME …)");
    }
    for segment in &saved {
        say!("{:<12} {:>7}  {}", segment.name, segment.count, filter_words(&segment.filter));
    }
    Ok(())
}

/// A built-in segment's rule, with the book's numbers.
fn rule_words(segment: Segment, rules: &StandingRules) -> String {
    match segment {
        Segment::Prospect => "never bought".into(),
        Segment::Lapsed => format!("last purchase more than {} months ago", rules.lapsed_after_months),
        Segment::AtRisk => format!(
            "last purchase more than {} months ago, or a satisfaction score of {} or less in the last {} months",
            rules.at_risk_after_months, rules.low_score_max, rules.low_score_months
        ),
        Segment::Vip => format!(
            "at least {} spent or {} purchases in the last {} months",
            rules.vip_min_spend, rules.vip_min_purchases, rules.vip_months
        ),
        Segment::New => format!("first purchase within the last {} days", rules.new_within_days),
        Segment::Regular => "everyone else who bought".into(),
    }
}

/// A filter in words, its parts joined by "; " ("everyone" when it has none).
pub fn filter_words(filter: &CustomerFilter) -> String {
    fn any<T: std::fmt::Display>(items: &[T]) -> String {
        items.iter().map(ToString::to_string).collect::<Vec<_>>().join(" or ")
    }
    let mut parts = Vec::new();
    if let Some(customer_type) = filter.customer_type {
        parts.push(format!("type {customer_type}"));
    }
    if !filter.tags.is_empty() {
        parts.push(format!("tagged {}", filter.tags.join(" and ")));
    }
    if let Some(language) = &filter.language {
        parts.push(format!("language {language}"));
    }
    match (filter.min_spend, filter.max_spend) {
        (Some(min), Some(max)) => parts.push(format!("spent {min} to {max}")),
        (Some(min), None) => parts.push(format!("spent at least {min}")),
        (None, Some(max)) => parts.push(format!("spent at most {max}")),
        (None, None) => {}
    }
    match (filter.bought_since, filter.bought_until) {
        (Some(since), Some(until)) => parts.push(format!("bought between {since} and {until}")),
        (Some(since), None) => parts.push(format!("bought since {since}")),
        (None, Some(until)) => parts.push(format!("bought by {until}")),
        (None, None) => {}
    }
    if let Some(since) = filter.not_bought_since {
        parts.push(format!("nothing bought since {since}"));
    }
    if let Some(brand) = &filter.brand {
        parts.push(format!("bought or wished for {brand}"));
    }
    if !filter.segments.is_empty() {
        parts.push(format!("segment {}", any(&filter.segments)));
    }
    if !filter.value_classes.is_empty() {
        parts.push(format!("value class {}", any(&filter.value_classes)));
    }
    if !filter.rfm_groups.is_empty() {
        parts.push(format!("RFM group {}", any(&filter.rfm_groups)));
    }
    if let Some(rfm) = filter.min_rfm {
        parts.push(format!("RFM at least {}{}{}", rfm.r, rfm.f, rfm.m));
    }
    if !filter.influence.is_empty() {
        parts.push(format!("influence {}", any(&filter.influence)));
    }
    if let Some(likes) = &filter.likes {
        parts.push(format!("likes {likes}"));
    }
    if !filter.tiers.is_empty() {
        parts.push(format!("tier {}", any(&filter.tiers)));
    }
    if parts.is_empty() { "everyone".into() } else { parts.join("; ") }
}
