//! Standing from the command line: shown with its reasons, moved by a sale, its rules read and
//! changed with `loupe settings`, and the whole book evaluated again on request.

use serde_json::Value;

use super::{Book, book, loupe};

const TODAY: &str = "2026-06-15";

/// A command on the day `TODAY`, succeeding, with its stdout.
fn on_today(book: &Book, args: &[&str]) -> String {
    let output = loupe(book, args).env("LOUPE_TODAY", TODAY).assert().success().get_output().clone();
    assert_eq!(String::from_utf8_lossy(&output.stderr), "", "stderr of {args:?}");
    String::from_utf8(output.stdout).expect("utf-8")
}

fn json_today(book: &Book, args: &[&str]) -> Value {
    serde_json::from_str(&on_today(book, args)).expect("JSON")
}

fn refused_today(book: &Book, args: &[&str]) -> String {
    let output = loupe(book, args).env("LOUPE_TODAY", TODAY).assert().code(2).get_output().clone();
    String::from_utf8(output.stderr).expect("utf-8")
}

#[test]
fn a_sale_moves_a_new_customer_to_vip_with_its_reason() {
    let book = book();
    let id =
        json_today(&book, &["customers", "add", "--name", "Mei Chen", "--json"])["id"].as_i64().expect("id");
    let id = id.to_string();
    let shown = json_today(&book, &["customers", "show", &id, "--json"]);
    assert_eq!(shown["standing"]["segment"], "prospect");
    assert_eq!(shown["standing"]["value_class"], Value::Null);
    assert_eq!(shown["standing"]["rfm"], Value::Null);
    assert_eq!(shown["standing"]["reasons"][0], "Prospect: nothing bought yet");

    on_today(&book, &["purchases", "add", &id, "--date", "2026-06-01", "--item", "price=1200"]);
    assert_eq!(json_today(&book, &["customers", "show", &id, "--json"])["standing"]["segment"], "new");
    on_today(&book, &["purchases", "add", &id, "--date", "2026-06-10", "--item", "price=31200"]);
    let shown = json_today(&book, &["customers", "show", &id, "--json"]);
    let standing = &shown["standing"];
    assert_eq!(standing["segment"], "vip");
    assert_eq!(standing["value_class"], "key");
    assert_eq!(standing["rfm"], serde_json::json!({"r": 5, "f": 2, "m": 4}));
    assert_eq!(standing["influence"], "none");
    assert_eq!(standing["reasons"][0], "VIP: 32,400 spent in the last 24 months, threshold 20,000");
    let moves = shown["standing_changes"].as_array().expect("changes");
    assert!(moves.iter().any(|change| change["changed_on"] == TODAY
        && change["change"] == serde_json::json!({"kind": "segment", "from": "new", "to": "vip"})));

    let human = on_today(&book, &["customers", "show", &id]);
    assert!(human.contains("  standing: vip, key, RFM 524 (potential_loyalist), influence none"), "{human}");
    assert!(human.contains("    VIP: 32,400 spent in the last 24 months, threshold 20,000"), "{human}");

    // A low score puts them at risk, from the command line too.
    on_today(&book, &["satisfaction", "add", &id, "--score", "2", "--date", "2026-06-12"]);
    assert_eq!(json_today(&book, &["customers", "show", &id, "--json"])["standing"]["segment"], "at_risk");
}

#[test]
fn customers_edit_sets_influence_birthday_and_referrer() {
    let book = book();
    let referrer =
        json_today(&book, &["customers", "add", "--name", "Anna Berg", "--json"])["id"].as_i64().expect("id");
    let id =
        json_today(&book, &["customers", "add", "--name", "Li Wei", "--json"])["id"].as_i64().expect("id");
    let id = id.to_string();
    let edited = json_today(
        &book,
        &[
            "customers",
            "edit",
            &id,
            "--influence",
            "professional",
            "--birthday",
            "05-17",
            "--referrer",
            &referrer.to_string(),
            "--json",
        ],
    );
    assert_eq!(edited["influence"], "trade_professional");
    assert_eq!(edited["birthday"], "--05-17");
    assert_eq!(edited["referred_by"], referrer);
    assert_eq!(
        json_today(&book, &["customers", "show", &id, "--json"])["standing"]["influence"],
        "trade_professional"
    );
    let edited = json_today(
        &book,
        &["customers", "edit", &id, "--birthday", "1980-05-17", "--referrer", "0", "--json"],
    );
    assert_eq!(edited["birthday"], "1980-05-17");
    assert_eq!(edited["referred_by"], Value::Null);
    let stderr = refused_today(&book, &["customers", "edit", &id, "--influence", "celebrity"]);
    assert!(
        stderr.contains("'celebrity' is not one of: none, reviewer, professional, public_figure"),
        "{stderr}"
    );
    refused_today(&book, &["customers", "edit", &id, "--birthday", "02-30"]);
}

#[test]
fn settings_show_and_set_the_standing_rules() {
    let book = book();
    let id = json_today(&book, &["customers", "add", "--name", "Reto Keller", "--json"])["id"]
        .as_i64()
        .expect("id");
    let id = id.to_string();
    on_today(&book, &["purchases", "add", &id, "--date", "2025-11-01", "--item", "price=15000"]);
    assert_eq!(json_today(&book, &["customers", "show", &id, "--json"])["standing"]["segment"], "regular");

    let settings = json_today(&book, &["settings", "--json"]);
    assert_eq!(settings["standing"]["vip_min_spend"], "20000");
    assert_eq!(settings["standing"]["recency_months"], serde_json::json!([3, 6, 12, 24]));
    let listed = on_today(&book, &["settings"]);
    assert!(
        listed
            .lines()
            .any(|line| line.split_whitespace().collect::<Vec<_>>()
                == ["standing.recency_months", "3,6,12,24"]),
        "{listed}"
    );

    let said = on_today(&book, &["settings", "set", "standing.vip_min_spend", "10000"]);
    assert_eq!(said.trim(), "standing.vip_min_spend is now 10000");
    assert_eq!(json_today(&book, &["customers", "show", &id, "--json"])["standing"]["segment"], "vip");
    let settings = json_today(&book, &["settings", "set", "standing.recency_months", "2,4,8,16", "--json"]);
    assert_eq!(settings["standing"]["recency_months"], serde_json::json!([2, 4, 8, 16]));
    let settings = json_today(&book, &["settings", "set", "backups_to_keep", "20", "--json"]);
    assert_eq!(settings["backups_to_keep"], 20);

    let stderr = refused_today(&book, &["settings", "set", "standing.recency_months", "3,6,6,24"]);
    assert!(stderr.contains("standing.recency_months[2]"), "{stderr}");
    let stderr = refused_today(&book, &["settings", "set", "standing.key_percent", "90"]);
    assert!(stderr.contains("standing.key_percent"), "{stderr}");
    let stderr = refused_today(&book, &["settings", "set", "standing.colour", "blue"]);
    assert!(stderr.contains("'colour' is not a standing rule"), "{stderr}");
    assert_eq!(json_today(&book, &["settings", "--json"])["standing"]["key_percent"], 50, "nothing written");

    let refreshed = json_today(&book, &["standing", "refresh", "--json"]);
    assert_eq!(refreshed["customers"], 1);
    assert_eq!(refreshed["evaluated_on"], TODAY);
    let said = on_today(&book, &["standing", "refresh"]);
    assert_eq!(
        said.trim(),
        "evaluated 1 customers as of 2026-06-15; 0 moves of segment or value class recorded"
    );
}

#[test]
fn showing_a_customer_on_a_later_day_evaluates_the_book_first() {
    let book = book();
    let id = json_today(&book, &["customers", "add", "--name", "Quiet Buyer", "--json"])["id"]
        .as_i64()
        .expect("id");
    let id = id.to_string();
    on_today(&book, &["purchases", "add", &id, "--date", "2025-06-15", "--item", "price=500"]);
    assert_eq!(json_today(&book, &["customers", "show", &id, "--json"])["standing"]["segment"], "regular");
    let output = loupe(&book, &["customers", "show", &id, "--json"])
        .env("LOUPE_TODAY", "2026-06-16")
        .assert()
        .success();
    let shown: Value = serde_json::from_slice(&output.get_output().stdout).expect("JSON");
    assert_eq!(shown["standing"]["segment"], "at_risk", "a year and a day without a purchase");
    assert_eq!(shown["standing"]["evaluated_on"], "2026-06-16");
}
