//! The agenda from the command line: a sale's follow-up a week later, done with its outcome and
//! recorded on the customer's story; reminders typed, repeated, snoozed and dismissed; a piece
//! that came in matched to a wish and told; a rule switched off. Every day is fixed
//! (`LOUPE_TODAY`).

use serde_json::Value;

use super::{Book, book, loupe};

fn on(day: &str, book: &Book, args: &[&str]) -> Value {
    let output = loupe(book, args).env("LOUPE_TODAY", day).assert().success().get_output().clone();
    assert_eq!(String::from_utf8_lossy(&output.stderr), "", "stderr of {args:?}");
    serde_json::from_slice(&output.stdout).expect("JSON")
}

/// A command refused as a user error: exit 2, one line on stderr, nothing on stdout.
fn refused(day: &str, book: &Book, args: &[&str]) -> String {
    let output = loupe(book, args).env("LOUPE_TODAY", day).assert().code(2).get_output().clone();
    assert!(output.stdout.is_empty(), "{args:?}");
    let stderr = String::from_utf8(output.stderr).expect("utf-8");
    assert_eq!(stderr.trim_end().lines().count(), 1, "{args:?}: {stderr}");
    stderr
}

fn customer(day: &str, book: &Book, name: &str) -> String {
    on(day, book, &["customers", "add", "--name", name, "--phone", "07911 123456", "--json"])["id"]
        .as_i64()
        .expect("id")
        .to_string()
}

fn of_kind<'a>(agenda: &'a Value, kind: &str) -> Vec<&'a Value> {
    agenda.as_array().expect("lines").iter().filter(|line| line["kind"] == kind).collect()
}

#[test]
fn a_sale_is_followed_up_a_week_later_and_done_with_its_outcome() {
    let book = book();
    let sold = "2026-06-08";
    let anna = customer(sold, &book, "Anna Follow");
    // A lone buyer is the book's key customer and a new member: only the sale's rules here.
    for rule in ["key_visits", "give_back", "tier_upgrades"] {
        on(sold, &book, &["settings", "set", &format!("follow_up.{rule}"), "off", "--json"]);
    }
    on(
        sold,
        &book,
        &[
            "purchases",
            "add",
            &anna,
            "--date",
            sold,
            "--item",
            "brand=Rolex,model=Submariner,price=9800",
            "--json",
        ],
    );
    let before = on("2026-06-14", &book, &["agenda", "--days", "0", "--json"]);
    assert!(of_kind(&before, "follow_up").is_empty(), "not due yet: {before}");

    let agenda = on("2026-06-15", &book, &["agenda", "--json"]);
    let follow_up = of_kind(&agenda, "follow_up");
    assert_eq!(follow_up.len(), 1, "{agenda}");
    let line = follow_up[0];
    assert_eq!(line["customer_id"].as_i64().map(|id| id.to_string()), Some(anna.clone()));
    assert_eq!(line["customer_name"], "Anna Follow");
    assert_eq!(line["due_on"], "2026-06-15");
    assert_eq!(line["title"], "Follow up the sale of 8 Jun 2026: Rolex Submariner");
    assert_eq!(
        (line["overdue"].as_bool(), line["channel"].as_str(), line["consent"].as_str()),
        (Some(false), Some("phone"), Some("unknown"))
    );
    // The check-in comes 90 days after a sale of 5,000 or more.
    let later = on("2026-09-06", &book, &["agenda", "--days", "0", "--json"]);
    assert_eq!(of_kind(&later, "check_in").len(), 1, "{later}");

    let id = line["id"].as_i64().expect("id").to_string();
    let closed = on(
        "2026-06-15",
        &book,
        &["reminders", "done", &id, "--outcome", "Loves it; follow up in writing", "--json"],
    );
    assert_eq!(closed["reminder"]["state"], "done");
    let story = on("2026-06-15", &book, &["customers", "show", &anna, "--json"]);
    let contacts = story["interactions"].as_array().expect("interactions");
    assert!(
        contacts.iter().any(|contact| contact["outcome"] == "Loves it; follow up in writing"
            && contact["kind"] == "call"
            && contact["occurred_on"] == "2026-06-15"),
        "{story}"
    );
    assert!(of_kind(&on("2026-06-15", &book, &["agenda", "--json"]), "follow_up").is_empty());
    let again = refused("2026-06-15", &book, &["reminders", "done", &id]);
    assert!(again.contains("already done or dismissed"), "{again}");
}

#[test]
fn reminders_are_typed_repeated_snoozed_and_dismissed() {
    let book = book();
    let day = "2026-03-10";
    let ben = customer(day, &book, "Ben Typed");
    let added = on(
        day,
        &book,
        &[
            "reminders",
            "add",
            &ben,
            "--on",
            "2026-03-12",
            "--title",
            "Strap fitting",
            "--every",
            "3months",
            "--json",
        ],
    );
    assert_eq!(
        (added["kind"].as_str(), added["repeat"]["every"].as_u64(), added["repeat"]["unit"].as_str()),
        (Some("manual"), Some(3), Some("months"))
    );
    let id = added["id"].as_i64().expect("id").to_string();
    let bad = refused(
        day,
        &book,
        &["reminders", "add", &ben, "--on", "2026-03-12", "--title", "x", "--every", "3 fortnights"],
    );
    assert!(bad.contains("not days, weeks, months or years"), "{bad}");
    let past = refused(day, &book, &["reminders", "snooze", &id, "--until", "2026-03-10"]);
    assert!(past.contains("snooze to a day after today"), "{past}");
    let snoozed = on(day, &book, &["reminders", "snooze", &id, "--until", "2026-03-20", "--json"]);
    assert_eq!(snoozed["snoozed_until"], "2026-03-20");
    let week = on(day, &book, &["agenda", "--json"]);
    assert!(of_kind(&week, "manual").is_empty(), "snoozed past the week: {week}");
    let dismissed = on(day, &book, &["reminders", "dismiss", &id, "--json"]);
    assert_eq!(
        (dismissed["reminder"]["state"].as_str(), dismissed["next"]["due_on"].as_str()),
        (Some("dismissed"), Some("2026-06-12"))
    );
    let listed = on(day, &book, &["reminders", "list", &ben, "--json"]);
    assert_eq!(listed.as_array().map(Vec::len), Some(1), "the next one only: {listed}");
    let too_far = loupe(&book, &["agenda", "--days", "93"])
        .env("LOUPE_TODAY", day)
        .assert()
        .code(2)
        .get_output()
        .clone();
    assert!(String::from_utf8_lossy(&too_far.stderr).contains("93"));
}

#[test]
fn a_piece_that_came_in_finds_the_wish_for_it_and_the_customers_are_told() {
    let book = book();
    let day = "2026-05-02";
    let wisher = customer(day, &book, "Clara Wish");
    let buyer = customer(day, &book, "Dan Bought");
    customer(day, &book, "Eve Elsewhere");
    let wish = on(
        day,
        &book,
        &[
            "wishes",
            "add",
            &wisher,
            "--brand",
            "Patek Philippe",
            "--model",
            "Calatrava",
            "--ref",
            "5196G",
            "--budget-max",
            "30000",
            "--json",
        ],
    );
    on(
        day,
        &book,
        &[
            "purchases",
            "add",
            &buyer,
            "--date",
            "2025-01-10",
            "--item",
            "brand=Patek Philippe,model=Aquanaut,price=40000",
            "--json",
        ],
    );
    let found = on(
        day,
        &book,
        &[
            "arrivals",
            "add",
            "--brand",
            "Patek Philippe",
            "--model",
            "Calatrava",
            "--ref",
            "5196 G",
            "--category",
            "watch",
            "--price",
            "24500",
            "--json",
        ],
    );
    let matches = found["matches"].as_array().expect("matches");
    let ids: Vec<String> =
        matches.iter().map(|found| found["customer_id"].as_i64().expect("id").to_string()).collect();
    assert_eq!(ids, [wisher.clone(), buyer.clone()], "the wish first, then who bought the brand: {found}");
    assert_eq!(matches[0]["wish_id"], wish["id"]);
    assert_eq!(matches[0]["reasons"][0]["kind"], "wish");
    assert_eq!(matches[0]["reasons"][0]["within_budget"], true);
    assert_eq!(
        matches[0]["reason"],
        format!("wishes for this reference (wish #{}, within budget)", wish["id"])
    );
    assert_eq!(matches[1]["reason"], "bought Patek Philippe ×1; bought watch ×1");
    let arrival = found["arrival"]["id"].as_i64().expect("arrival").to_string();
    let customers = format!("{wisher},{buyer}");
    let told = on(day, &book, &["arrivals", "remind", &arrival, "--customers", &customers, "--json"]);
    assert_eq!(told.as_array().map(Vec::len), Some(2));
    let again = on(day, &book, &["arrivals", "remind", &arrival, "--customers", &wisher, "--json"]);
    assert_eq!(again.as_array().map(Vec::len), Some(0), "told once");
    let agenda = on(day, &book, &["agenda", "--json"]);
    let tell: Vec<&str> =
        of_kind(&agenda, "arrival").iter().map(|line| line["title"].as_str().expect("title")).collect();
    assert_eq!(tell, ["Tell them: Patek Philippe Calatrava arrived"; 2]);
    let nothing = refused(day, &book, &["arrivals", "add", "--model", "Mystery"]);
    assert!(nothing.contains("brand, reference, category or material"), "{nothing}");
}

#[test]
fn a_rule_switched_off_takes_its_reminders_away() {
    let book = book();
    let day = "2026-11-20";
    let id = customer(day, &book, "Fay Birthday");
    on(day, &book, &["customers", "edit", &id, "--birthday", "11-24", "--json"]);
    let agenda = on(day, &book, &["agenda", "--json"]);
    assert_eq!(of_kind(&agenda, "birthday").len(), 1, "{agenda}");
    assert_eq!(of_kind(&agenda, "birthday")[0]["due_on"], "2026-11-24");
    on(day, &book, &["settings", "set", "follow_up.birthdays", "off", "--json"]);
    assert!(of_kind(&on(day, &book, &["agenda", "--json"]), "birthday").is_empty());
    let unknown = refused(day, &book, &["settings", "set", "follow_up.after_sale_days", "0"]);
    assert!(unknown.contains("from 1 to 60"), "{unknown}");
}

#[test]
fn a_customer_who_said_no_to_calls_is_marked_on_the_agenda() {
    let book = book();
    let day = "2026-04-01";
    let id = customer(day, &book, "Gil Nocall");
    on(
        day,
        &book,
        &[
            "customers",
            "edit",
            &id,
            "--add-email",
            "gil@example.com",
            "--consent",
            "phone=opted_out",
            "--json",
        ],
    );
    on(day, &book, &["reminders", "add", &id, "--on", day, "--title", "Ask about the bracelet", "--json"]);
    let agenda = on(day, &book, &["agenda", "--json"]);
    let line = of_kind(&agenda, "manual")[0];
    assert_eq!((line["channel"].as_str(), line["consent"].as_str()), (Some("phone"), Some("opted_out")));
    assert_eq!(line["alternatives"], serde_json::json!(["email", "sms", "in_person"]));
    // Done without a channel: the first one not refused.
    let id = line["id"].as_i64().expect("id").to_string();
    on(day, &book, &["reminders", "done", &id, "--json"]);
    let story = on(day, &book, &["customers", "show", &line["customer_id"].to_string(), "--json"]);
    assert_eq!(story["interactions"][0]["kind"], "email", "{story}");
    let bad = refused(
        day,
        &book,
        &["customers", "edit", &line["customer_id"].to_string(), "--consent", "fax=opted_out"],
    );
    assert!(bad.contains("'fax' is not one of"), "{bad}");
}
