//! Insights from the command line: a period's numbers as decimal strings, the period before, an
//! audience flag, campaigns and expenses in the acquisition cost; every day fixed (`LOUPE_TODAY`).

use serde_json::Value;

use super::{Book, book, loupe};

const TODAY: &str = "2026-03-31";

fn on_today(book: &Book, args: &[&str]) -> Value {
    let output = loupe(book, args).env("LOUPE_TODAY", TODAY).assert().success().get_output().clone();
    assert_eq!(String::from_utf8_lossy(&output.stderr), "", "stderr of {args:?}");
    serde_json::from_slice(&output.stdout).expect("JSON")
}

fn customer(book: &Book, name: &str, tag: Option<&str>) -> String {
    let mut args = vec!["customers", "add", "--name", name, "--json"];
    if let Some(tag) = tag {
        args.extend(["--tag", tag]);
    }
    on_today(book, &args)["id"].as_i64().expect("id").to_string()
}

fn sale(book: &Book, id: &str, date: &str, price: &str) {
    on_today(
        book,
        &["purchases", "add", id, "--date", date, "--item", &format!("brand=Rolex,price={price}"), "--json"],
    );
}

#[test]
fn a_quarters_numbers_are_decimal_strings_with_the_period_before() {
    let book = book();
    let anna = customer(&book, "Anna Insight", Some("vip"));
    let ben = customer(&book, "Ben Insight", None);
    sale(&book, &anna, "2025-12-20", "1000");
    sale(&book, &anna, "2026-02-01", "2000");
    sale(&book, &ben, "2026-03-01", "1000");
    on_today(
        &book,
        &[
            "campaigns",
            "add",
            "Spring letters",
            "--channel",
            "post",
            "--on",
            "2026-01-10",
            "--cost",
            "300",
            "--json",
        ],
    );
    on_today(
        &book,
        &["expenses", "add", "--on", "2026-03-05", "--amount", "100", "--note", "Fair stand", "--json"],
    );
    let insights = on_today(&book, &["insights", "--from", "2026-01-01", "--to", "2026-03-31", "--json"]);
    let period = &insights["period"];
    assert_eq!(
        (period["revenue"].as_str(), period["purchases"].as_u64(), period["buyers"].as_u64()),
        (Some("3000.00"), Some(2), Some(2))
    );
    assert_eq!(period["aov"], "1500.00");
    assert_eq!(
        (period["new_customers"].as_u64(), period["marketing_cost"].as_str(), period["cac"].as_str()),
        (Some(1), Some("400"), Some("400"))
    );
    assert_eq!(
        (period["returning_share"].as_str(), period["retention_rate"].as_str()),
        (Some("50"), Some("100"))
    );
    assert_eq!(insights["previous"]["from"], "2025-10-03");
    assert_eq!(insights["monthly"].as_array().map(Vec::len), Some(3));
    let vip = on_today(
        &book,
        &["insights", "--from", "2026-01-01", "--to", "2026-03-31", "--tag", "vip", "--json"],
    );
    assert_eq!(vip["period"]["revenue"], "2000.00");
    // A month's buyers, as a bar of the monthly chart opens them: a sale between the two days.
    let february = on_today(
        &book,
        &["customers", "list", "--bought-since", "2026-02-01", "--bought-until", "2026-02-28", "--json"],
    );
    assert_eq!(super::names(&february), ["Anna Insight"]);
    let campaigns = on_today(&book, &["campaigns", "--json"]);
    // Flat, as the issue lists the fields: name, targeted, responded, response_rate, revenue,
    // cost_per_order.
    assert_eq!(campaigns[0]["name"], "Spring letters");
    assert_eq!((campaigns[0]["targeted"].as_u64(), campaigns[0]["cost_per_order"].as_str()), (Some(0), None));
    let twice =
        loupe(&book, &["campaigns", "add", "spring LETTERS", "--channel", "email", "--on", "2026-02-01"])
            .env("LOUPE_TODAY", TODAY)
            .assert()
            .code(2)
            .get_output()
            .clone();
    assert!(
        String::from_utf8_lossy(&twice.stderr).contains("spring LETTERS"),
        "a campaign's name is its own, case ignored"
    );
    let reversed = loupe(&book, &["insights", "--from", "2026-03-01", "--to", "2026-02-01"])
        .env("LOUPE_TODAY", TODAY)
        .assert()
        .code(2)
        .get_output()
        .clone();
    assert!(String::from_utf8_lossy(&reversed.stderr).contains("the period ends before it begins"));
}

#[test]
fn a_response_recorded_on_a_contact_answers_its_campaign() {
    let book = book();
    let anna = customer(&book, "Anna Reply", None);
    let ben = customer(&book, "Ben Leave", None);
    on_today(
        &book,
        &["campaigns", "add", "Spring letters", "--channel", "post", "--on", "2026-03-01", "--json"],
    );
    let contact = |id: &str, response: &str| {
        on_today(
            &book,
            &[
                "interactions",
                "add",
                id,
                "--kind",
                "message",
                "--summary",
                "Spring letter",
                "--campaign",
                "SPRING LETTERS",
                "--response",
                response,
                "--json",
            ],
        )
    };
    assert_eq!(contact(&anna, "replied")["response"], "replied");
    assert_eq!(contact(&ben, "unsubscribed")["response"], "unsubscribed");
    let bad = loupe(
        &book,
        &["interactions", "add", &anna, "--kind", "call", "--summary", "x", "--response", "maybe"],
    )
    .assert()
    .code(2)
    .get_output()
    .clone();
    let stderr = String::from_utf8_lossy(&bad.stderr);
    assert!(stderr.contains("--response") && stderr.contains("'maybe' is not one of"), "{stderr}");

    let campaigns = on_today(&book, &["campaigns", "--json"]);
    let result = &campaigns[0];
    assert_eq!(
        (result["targeted"].as_u64(), result["responded"].as_u64(), result["unsubscribed"].as_u64()),
        (Some(2), Some(1), Some(1))
    );
    assert_eq!((result["response_rate"].as_str(), result["orders"].as_u64()), (Some("50"), Some(0)));
    let text = loupe(&book, &["campaigns"]).env("LOUPE_TODAY", TODAY).assert().success().get_output().clone();
    let text = String::from_utf8_lossy(&text.stdout);
    assert!(
        text.contains("Spring letters: cost 0; 2 targeted, 1 responded (50 %), 1 unsubscribed, 0 orders"),
        "{text}"
    );
}

#[test]
fn a_mailing_list_written_for_a_campaign_records_it() {
    let book = book();
    let add = |name: &str, email: &str, opt_in: bool| {
        let mut args = vec!["customers", "add", "--name", name, "--email", email, "--json"];
        if opt_in {
            args.extend(["--email-opt-in", "shop counter"]);
        }
        on_today(&book, &args)["id"].as_i64().expect("id").to_string()
    };
    let ann = add("Ann Archer", "ann@example.com", true);
    let bob = add("Bob Baker", "bob@example.com", false);
    add("Cleo Cole", "cleo@example.com", true);
    let dir = tempfile::tempdir().expect("dir");
    let list = dir.path().join("list.csv").display().to_string();
    let export =
        ["export", "mailing-list", "--channel", "email", "--out", &list, "--campaign", "Spring letters"];

    let written = on_today(&book, &[&export[..], &["--json"]].concat());
    assert_eq!(written["rows"], 2);
    assert_eq!(
        written["campaign"],
        serde_json::json!({"campaign": "Spring letters", "created": true, "recorded": 2, "already_recorded": 0})
    );
    let campaigns = on_today(&book, &["campaigns", "--json"]);
    let spring = &campaigns[0];
    assert_eq!(
        (spring["run_on"].as_str(), spring["channel"].as_str(), spring["cost"].as_str()),
        (Some(TODAY), Some("email"), Some("0"))
    );
    assert_eq!(spring["targeted"], 2);
    let contacts = on_today(&book, &["customers", "show", &ann, "--json"])["interactions"].clone();
    assert_eq!(
        (contacts[0]["campaign"].as_str(), contacts[0]["kind"].as_str(), contacts[0]["occurred_on"].as_str()),
        (Some("Spring letters"), Some("email"), Some(TODAY))
    );
    let not_written = on_today(&book, &["customers", "show", &bob, "--json"]);
    assert_eq!(not_written["interactions"], serde_json::json!([]), "Bob gave no consent");

    let again = loupe(&book, &export).env("LOUPE_TODAY", TODAY).assert().success().get_output().clone();
    let again = String::from_utf8_lossy(&again.stdout);
    assert!(
        again.contains("recorded 0 contacts under the campaign 'Spring letters'; 2 already had one today"),
        "{again}"
    );

    let unwritten = dir.path().join("unwritten.csv").display().to_string();
    for args in [
        &["export", "mailing-list", "--channel", "email", "--out", &unwritten, "--campaign", " "][..],
        &["export", "mailing-list", "--channel", "email", "--dry-run", "--campaign", "Spring letters"],
    ] {
        let refused = loupe(&book, args).env("LOUPE_TODAY", TODAY).assert().code(2).get_output().clone();
        let stderr = String::from_utf8_lossy(&refused.stderr);
        assert!(stderr.contains("campaign"), "{args:?}: {stderr}");
    }
    assert!(!std::path::Path::new(&unwritten).exists(), "a bad name is refused before the file is written");
    assert_eq!(on_today(&book, &["campaigns", "--json"]).as_array().map(Vec::len), Some(1));
}
