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
    let campaigns = on_today(&book, &["campaigns", "--json"]);
    assert_eq!(campaigns[0]["campaign"]["name"], "Spring letters");
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
    on_today(&book, &["campaigns", "add", "Spring letters", "--channel", "post", "--on", "2026-03-01", "--json"]);
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
    let bad = loupe(&book, &["interactions", "add", &anna, "--kind", "call", "--summary", "x", "--response", "maybe"])
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
