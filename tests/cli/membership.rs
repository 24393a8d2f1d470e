//! Membership from the command line: a customer's tier with the progress to the next, the
//! member discount and points redeemed on a sale, the tier filter of every audience, the tiers
//! changed with `loupe tiers`, the points ledger moved by hand, and the programme's settings.
//! Every day is fixed (`LOUPE_TODAY`): which tier a customer holds depends on it.

use serde_json::{Value, json};

use super::{Book, book, loupe};

const TODAY: &str = "2026-12-04";

fn on_today(book: &Book, args: &[&str]) -> String {
    let output = loupe(book, args).env("LOUPE_TODAY", TODAY).assert().success().get_output().clone();
    assert_eq!(String::from_utf8_lossy(&output.stderr), "", "stderr of {args:?}");
    String::from_utf8(output.stdout).expect("utf-8")
}

fn json_today(book: &Book, args: &[&str]) -> Value {
    serde_json::from_str(&on_today(book, args)).expect("JSON")
}

/// A command refused as a user error: exit 2, one line on stderr, nothing on stdout.
fn refused_today(book: &Book, args: &[&str]) -> String {
    let output = loupe(book, args).env("LOUPE_TODAY", TODAY).assert().code(2).get_output().clone();
    assert!(output.stdout.is_empty(), "{args:?}");
    let stderr = String::from_utf8(output.stderr).expect("utf-8");
    assert_eq!(stderr.trim_end().lines().count(), 1, "{args:?}: {stderr}");
    stderr
}

fn customer(book: &Book, name: &str) -> String {
    json_today(
        book,
        &["customers", "add", "--name", name, "--email-opt-in", "counter", "--email", &email(name), "--json"],
    )["id"]
        .as_i64()
        .expect("id")
        .to_string()
}

fn email(name: &str) -> String {
    format!("{}@example.com", name.to_lowercase().replace(' ', "."))
}

fn sale(book: &Book, id: &str, date: &str, price: &str) -> Value {
    json_today(book, &["purchases", "add", id, "--date", date, "--item", &format!("price={price}"), "--json"])
}

fn names(list: &Value) -> Vec<&str> {
    list["rows"]
        .as_array()
        .expect("rows")
        .iter()
        .map(|row| row["full_name"].as_str().expect("name"))
        .collect()
}

fn balance(book: &Book, id: &str) -> i64 {
    json_today(book, &["points", id, "--json"])["balance"].as_i64().expect("balance")
}

/// Grace: 30,000 in August and 12,400 in November, Silver since August; 7,600 short of Gold
/// until the August sale leaves the twelve months.
fn silver_member(book: &Book) -> String {
    let id = customer(book, "Grace Wilson");
    sale(book, &id, "2026-08-04", "30000");
    sale(book, &id, "2026-11-20", "12400");
    id
}

#[test]
fn a_silver_member_shows_her_progress_to_gold_and_gets_her_discount_at_the_counter() {
    let book = book();
    let id = silver_member(&book);
    let shown = json_today(&book, &["customers", "show", &id, "--json"]);
    let membership = &shown["membership"];
    assert_eq!(membership["tier"], json!({"key": "silver", "name": {"en": "Silver", "zh": "银卡"}}));
    assert_eq!(membership["since"], "2026-08-04");
    assert_eq!(membership["keeps_until"], "2028-08-03");
    assert_eq!(membership["points"], 42_400);
    assert_eq!(membership["next_tier"]["tier"]["key"], "gold");
    assert_eq!(membership["next_tier"]["spend_needed"], "7600.00");
    assert_eq!(membership["next_tier"]["before"], "2027-08-04");
    assert_eq!(shown["tier_changes"][0]["to"]["key"], "silver");
    assert_eq!(shown["tier_changes"][0]["changed_on"], "2026-08-04");
    assert_eq!(shown["points_ledger"][0]["balance"], 42_400);

    let text = on_today(&book, &["customers", "show", &id]);
    assert!(
        text.contains("\n  tier:     Silver, 15 % off, since 2026-08-04, kept until 2028-08-03\n"),
        "{text}"
    );
    assert!(text.contains("\n            7,600 more by 2027-08-04 for Gold\n"), "{text}");
    assert!(text.contains("\n  points:   42,400\n"), "{text}");
    assert!(text.contains("  2026-08-04  tier up: none -> Silver (qualified: 30,000 spent in 1 purchase in the last 12 months)"), "{text}");

    // 15 % off the Rolex, to the cent; the Tudor keeps its own discount.
    let sold = json_today(
        &book,
        &[
            "purchases",
            "add",
            &id,
            "--date",
            TODAY,
            "--item",
            "brand=Rolex,price=9150",
            "--item",
            "brand=Tudor,price=1000,discount=50",
            "--member-discount",
            "--json",
        ],
    );
    assert_eq!(sold["items"][0]["discount"], "1372.50");
    assert_eq!(sold["items"][0]["member_discount"], json!({"tier": membership["tier"], "percent": "15"}));
    assert_eq!(sold["items"][1]["discount"], "50");
    assert_eq!(sold["items"][1]["member_discount"], Value::Null);
    assert_eq!(sold["total"], "8727.50");
    assert_eq!(sold["points_earned"], 8_727);
    let receipt = on_today(&book, &["purchases", "show", &sold["id"].to_string()]);
    assert!(receipt.contains("watch Rolex  ref  serial   7777.50  (9150, Silver member −15 %)"), "{receipt}");
    assert!(receipt.contains("watch Tudor  ref  serial   950  (1000 less 50)"), "{receipt}");
    assert!(receipt.contains("      points earned: 8,727\n"), "{receipt}");
    assert_eq!(balance(&book, &id), 51_127);

    // Someone without a tier has no member discount to give; nothing is recorded.
    let prospect = customer(&book, "Cy Chen");
    let stderr = refused_today(
        &book,
        &["purchases", "add", &prospect, "--date", TODAY, "--item", "price=100", "--member-discount"],
    );
    assert!(
        stderr.contains(&format!("--member-discount: customer {prospect} holds no membership tier")),
        "{stderr}"
    );
    assert_eq!(json_today(&book, &["stats", "--json"])["purchases"], 3);
}

#[test]
fn points_redeemed_on_a_sale_take_their_value_off_and_a_short_balance_is_refused() {
    let book = book();
    let id = silver_member(&book);
    let sold = json_today(
        &book,
        &[
            "purchases",
            "add",
            &id,
            "--date",
            TODAY,
            "--item",
            "price=2000",
            "--redeem-points",
            "1250",
            "--json",
        ],
    );
    assert_eq!(sold["redemption"], json!({"points": 1250, "value": "12.50"}));
    assert_eq!(sold["total"], "1987.50");
    assert_eq!(sold["payments"][0]["amount"], "1987.50");
    assert_eq!(sold["points_earned"], 1_987);
    assert_eq!(balance(&book, &id), 42_400 - 1_250 + 1_987);
    let receipt = on_today(&book, &["purchases", "list", &id]);
    assert!(receipt.contains("      points redeemed: 1,250 (GBP 12.50 off)\n"), "{receipt}");

    let stderr = refused_today(
        &book,
        &["purchases", "add", &id, "--date", TODAY, "--item", "price=900", "--redeem-points", "50000"],
    );
    assert!(
        stderr.contains("redemption.points: only 43137 points are available, 50000 asked for"),
        "{stderr}"
    );
    assert_eq!(balance(&book, &id), 43_137, "nothing written");
}

#[test]
fn points_are_adjusted_and_redeemed_by_hand_and_a_referral_names_who_was_referred() {
    let book = book();
    let anna = customer(&book, "Anna Berg");
    let li = customer(&book, "Li Wei");
    on_today(&book, &["customers", "edit", &li, "--referrer", &anna]);
    sale(&book, &li, "2026-11-01", "800");
    assert_eq!(balance(&book, &anna), 500, "the referral bonus");

    let ledger =
        json_today(&book, &["points", "adjust", &anna, "--points", "+250", "--reason", "birthday", "--json"]);
    assert_eq!(ledger["balance"], 750);
    let said = on_today(&book, &["points", "adjust", &anna, "--points", "-100", "--reason", "typed twice"]);
    assert_eq!(said.trim(), format!("customer {anna}: -100 points (typed twice); balance 650"));
    let said = on_today(&book, &["points", "redeem", &anna, "--points", "600", "--reason", "strap"]);
    assert_eq!(said.trim(), format!("customer {anna}: 600 points redeemed (strap); balance 50"));

    let stderr = refused_today(&book, &["points", "redeem", &anna, "--points", "51"]);
    assert_eq!(stderr.trim(), "loupe: points: only 50 points are available, 51 asked for");
    refused_today(&book, &["points", "adjust", &anna, "--points", "-51", "--reason", "too many"]);
    refused_today(&book, &["points", "adjust", &anna, "--points", "10"]);
    assert_eq!(balance(&book, &anna), 50, "nothing written");

    let ledger = json_today(&book, &["points", &anna, "--json"]);
    let kinds: Vec<&str> = ledger["entries"]
        .as_array()
        .expect("entries")
        .iter()
        .map(|entry| entry["kind"].as_str().expect("kind"))
        .collect();
    assert_eq!(kinds, ["redeem", "adjust", "adjust", "referral"]);
    assert_eq!(ledger["entries"][3]["referred_name"], "Li Wei");
    let text = on_today(&book, &["points", &anna]);
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines[0], format!("Anna Berg (#{anna}): 50 points"));
    assert_eq!(
        lines[4].split_whitespace().collect::<Vec<_>>(),
        ["2026-12-04", "adjust", "+250", "750", "birthday"]
    );
    assert_eq!(
        lines[5].split_whitespace().collect::<Vec<_>>(),
        ["2026-11-01", "referral", "+500", "500", "referred", "Li", "Wei", &format!("(#{li})")]
    );
}

#[test]
fn the_tier_filter_selects_by_key_or_either_name_in_the_list_mailing_lists_and_segments() {
    let book = book();
    let ann = customer(&book, "Ann Archer");
    let bob = customer(&book, "Bob Baker");
    customer(&book, "Cy Chen");
    let dee = customer(&book, "王小明");
    sale(&book, &ann, "2026-06-01", "25000");
    sale(&book, &bob, "2026-06-01", "500");
    sale(&book, &dee, "2026-06-01", "60000");

    let list = |args: &[&str]| {
        let mut all = vec!["customers", "list", "--json"];
        all.extend_from_slice(args);
        json_today(&book, &all)
    };
    assert_eq!(names(&list(&["--tier", "Gold"])), ["王小明"]);
    assert_eq!(names(&list(&["--tier", "银卡"])), ["Ann Archer"]);
    assert_eq!(names(&list(&["--tier", "MEMBER", "--tier", "gold"])), ["Bob Baker", "王小明"]);
    assert_eq!(list(&["--tier", "silver"])["rows"][0]["tier"]["key"], "silver");
    assert_eq!(names(&list(&["--sort", "tier", "--desc"]))[..3], ["王小明", "Ann Archer", "Bob Baker"]);
    let stderr = refused_today(&book, &["customers", "list", "--tier", "platinum"]);
    assert_eq!(
        stderr.trim(),
        "loupe: --tier: 'platinum' is not a tier (the tiers are: member (Member, 普通会员), silver (Silver, 银卡), gold (Gold, 金卡))"
    );

    // The tier column starts at the same terminal column on every line, beside a Chinese name.
    let text = on_today(&book, &["customers", "list", "--sort", "tier", "--desc"]);
    let starts: Vec<usize> = text
        .lines()
        .filter_map(|line| {
            let at = ["TIER", "Gold", "Silver", "Member"].iter().find_map(|tier| line.find(tier))?;
            Some(unicode_width::UnicodeWidthStr::width(&line[..at]))
        })
        .collect();
    assert_eq!(starts.len(), 4, "{text}");
    assert!(starts.iter().all(|&start| start == starts[0]), "{starts:?}\n{text}");

    let mailing = json_today(
        &book,
        &[
            "export",
            "mailing-list",
            "--channel",
            "email",
            "--tier",
            "Silver",
            "--tier",
            "金卡",
            "--dry-run",
            "--json",
        ],
    );
    assert_eq!((mailing["matching"].as_u64(), mailing["rows"].as_u64()), (Some(2), Some(2)));
    let saved = json_today(&book, &["segments", "save", "Gold members", "--tier", "gold", "--json"]);
    assert_eq!((saved["count"].as_u64(), saved["filter"]["tiers"].clone()), (Some(1), json!(["gold"])));

    // With the programme off no tier shows, and none can be asked for.
    on_today(&book, &["settings", "set", "membership.enabled", "false"]);
    assert!(!on_today(&book, &["customers", "list"]).contains("TIER"));
    assert_eq!(json_today(&book, &["customers", "show", &ann, "--json"])["membership"], Value::Null);
    let stderr = refused_today(&book, &["customers", "list", "--tier", "gold"]);
    assert!(stderr.contains("--tier: the membership programme is switched off"), "{stderr}");
}

#[test]
fn tiers_are_listed_set_moved_and_removed() {
    let book = book();
    let ann = customer(&book, "Ann Archer");
    sale(&book, &ann, "2026-06-01", "25000");
    let tier_of = |book: &Book| {
        json_today(book, &["customers", "show", &ann, "--json"])["membership"]["tier"]["key"].clone()
    };
    let keys = |tiers: &Value| -> Vec<String> {
        tiers["tiers"]
            .as_array()
            .expect("tiers")
            .iter()
            .map(|tier| tier["key"].as_str().expect("key").to_owned())
            .collect()
    };

    let tiers = json_today(&book, &["tiers", "--json"]);
    assert_eq!(keys(&tiers), ["member", "silver", "gold"]);
    assert_eq!(tiers["tiers"][1]["qualifies"], "at least 20,000 spent in the last 12 months");
    assert_eq!(tiers["tiers"][1]["members"], 1);
    assert_eq!(tiers["tiers"][2]["free_care"], true);
    assert_eq!((tiers["grace_months"].as_u64(), tiers["referral_bonus"].as_u64()), (Some(12), Some(500)));
    assert_eq!(tiers["points_outstanding"], 25_000);
    assert_eq!(tiers["points_liability"], "250");
    let text = on_today(&book, &["tiers"]);
    assert!(text.contains("\n  2. Silver (银卡) [silver]: 15 % off, 1 member\n      qualifies: at least 20,000 spent in the last 12 months\n"), "{text}");
    assert!(
        text.contains(
            "\npoints: 1 per GBP paid; 100 points are worth 1 GBP; they never expire; referral bonus 500\n"
        ),
        "{text}"
    );

    // Silver asks more: Ann falls to Member.
    let said = on_today(&book, &["tiers", "set", "Silver", "--min-spend", "30000", "--discount", "12.5%"]);
    assert_eq!(
        said.trim(),
        "changed tier silver: Silver (银卡), 12.5 % off, at least 30,000 spent in the last 12 months"
    );
    assert_eq!(tier_of(&book), "member");

    // A new tier goes on top.
    let tiers = json_today(
        &book,
        &[
            "tiers",
            "set",
            "platinum",
            "--name-en",
            "Platinum",
            "--name-zh",
            "白金卡",
            "--min-spend",
            "20000",
            "--discount",
            "25",
            "--free-care",
            "true",
            "--json",
        ],
    );
    assert_eq!(keys(&tiers), ["member", "silver", "gold", "platinum"]);
    assert_eq!(tiers["tiers"][3]["window_months"], 12);
    assert_eq!(tiers["tiers"][3]["discount_percent"], "25");
    assert_eq!(tier_of(&book), "platinum");

    // Moved to the bottom, Platinum is below Member, the highest Ann qualifies for.
    let said = on_today(&book, &["tiers", "move", "白金卡", "--to", "1"]);
    assert_eq!(
        said.trim(),
        "moved tier platinum to position 1 of 4; lowest first: platinum, member, silver, gold"
    );
    assert_eq!(tier_of(&book), "member");
    on_today(&book, &["tiers", "set", "gold", "--min-purchases", "1", "--min-spend", "off", "--ever"]);
    assert_eq!(tier_of(&book), "gold");

    let stderr = refused_today(&book, &["tiers", "move", "gold", "--to", "5"]);
    assert_eq!(stderr.trim(), "loupe: --to: use a position from 1 to 4");
    let stderr = refused_today(&book, &["tiers", "set", "gold", "--min-purchases", "off"]);
    assert!(stderr.starts_with("loupe: membership.tiers[3].min_spend: "), "{stderr}");
    let stderr = refused_today(&book, &["tiers", "set", "diamond", "--min-spend", "90000"]);
    assert_eq!(stderr.trim(), "loupe: membership.tiers[4].name.en: name the tier");
    refused_today(&book, &["tiers", "set", "gold", "--window-months", "6", "--ever"]);

    let said = on_today(&book, &["tiers", "remove", "platinum"]);
    assert_eq!(
        said.trim(),
        "removed tier platinum (Platinum); every customer was placed again in the 3 tiers left"
    );
    assert_eq!(keys(&json_today(&book, &["tiers", "--json"])), ["member", "silver", "gold"]);
    let stderr = refused_today(&book, &["tiers", "remove", "platinum"]);
    assert!(stderr.contains("'platinum' is not a tier"), "{stderr}");
}

#[test]
fn the_programme_settings_are_set_and_a_rate_makes_a_usd_sale_count() {
    let book = book();
    let id = customer(&book, "Reto Keller");
    let sold = json_today(
        &book,
        &[
            "purchases",
            "add",
            &id,
            "--date",
            "2026-10-01",
            "--item",
            "price=30000",
            "--currency",
            "USD",
            "--json",
        ],
    );
    assert_eq!(sold["points_earned"], 0, "no rate: not counted");
    let membership = &json_today(&book, &["customers", "show", &id, "--json"])["membership"];
    assert_eq!(membership["tier"]["key"], "member", "a purchase all the same");
    assert_eq!(membership["uncounted"], json!([{"currency": "USD", "purchases": 1, "amount": "30000.00"}]));
    let text = on_today(&book, &["customers", "show", &id]);
    assert!(
        text.contains(
            "not counted: 1 sale in USD (30,000), no rate set (loupe settings set membership.rate.USD RATE)"
        ),
        "{text}"
    );

    let said = on_today(&book, &["settings", "set", "membership.rate.usd", "0.8"]);
    assert_eq!(said.trim(), "membership.rate.USD is now 0.8");
    let membership = &json_today(&book, &["customers", "show", &id, "--json"])["membership"];
    assert_eq!(membership["tier"]["key"], "silver", "24,000 in pounds");
    assert_eq!(membership["next_tier"]["spend_needed"], "26000.00");
    assert_eq!(membership["uncounted"], json!([]));
    let sold = json_today(
        &book,
        &["purchases", "add", &id, "--date", TODAY, "--item", "price=1000", "--currency", "USD", "--json"],
    );
    assert_eq!(sold["points_earned"], 800);

    for (key, value) in [
        ("membership.grace_months", "6"),
        ("membership.points_per_unit", "2"),
        ("membership.points_for_one_unit", "50"),
        ("membership.points_expire_months", "24"),
        ("membership.referral_bonus", "1000"),
    ] {
        assert_eq!(on_today(&book, &["settings", "set", key, value]).trim(), format!("{key} is now {value}"));
    }
    let settings = json_today(&book, &["settings", "--json"]);
    let rules = &settings["membership"];
    assert_eq!(
        (
            &rules["grace_months"],
            &rules["points_per_unit"],
            &rules["points_for_one_unit"],
            &rules["points_expire_months"],
            &rules["referral_bonus"]
        ),
        (&json!(6), &json!(2), &json!(50), &json!(24), &json!(1000))
    );
    assert_eq!(rules["rates"], json!([{"currency": "USD", "rate": "0.8"}]));
    assert_eq!(
        on_today(&book, &["settings", "set", "membership.points_expire_months", "off"]).trim(),
        "membership.points_expire_months is now off"
    );

    let stderr = refused_today(&book, &["settings", "set", "membership.grace_months", "1000"]);
    assert_eq!(stderr.trim(), "loupe: membership.grace_months: use a number from 0 to 600");
    let stderr = refused_today(&book, &["settings", "set", "membership.rate.GBP", "1"]);
    assert!(
        stderr.contains("membership.rates[1].currency: the book's own currency needs no rate"),
        "{stderr}"
    );
    let stderr = refused_today(&book, &["settings", "set", "membership.rate.EUR", "off"]);
    assert_eq!(stderr.trim(), "loupe: membership.rate.EUR: there is no rate for EUR to remove");
    refused_today(&book, &["settings", "set", "membership.enabled", "maybe"]);

    on_today(&book, &["settings", "set", "membership.rate.USD", "off"]);
    let membership = &json_today(&book, &["customers", "show", &id, "--json"])["membership"];
    assert_eq!(membership["tier"]["key"], "member", "USD counts for nothing again");
}
