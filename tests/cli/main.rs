//! The `loupe` command as a script would use it: JSON out, exit status 2 and one line on
//! stderr for user errors, nothing written when a command fails.

mod agenda;
mod import_files;
mod insights;
mod kill;
mod membership;
mod print;
mod standing;

use assert_cmd::Command;
use serde_json::Value;

struct Book {
    _dir: tempfile::TempDir,
    path: std::path::PathBuf,
}

fn book() -> Book {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("book.sqlite3");
    Book { _dir: dir, path }
}

fn loupe(book: &Book, args: &[&str]) -> Command {
    let mut command = Command::cargo_bin("loupe").expect("the loupe binary");
    command.arg("--db").arg(&book.path).args(args).env_remove("LOUPE_DB");
    command
}

/// Runs a command that succeeds: its JSON on stdout, and nothing on stderr, which is not a
/// terminal here (scripts read stderr for errors; progress is for people).
fn json(book: &Book, args: &[&str]) -> Value {
    let output = loupe(book, args).assert().success().get_output().clone();
    assert_eq!(String::from_utf8_lossy(&output.stderr), "", "stderr of {args:?}");
    serde_json::from_slice(&output.stdout).expect("valid JSON on stdout")
}

#[test]
fn add_search_show_and_stats() {
    let book = book();
    let added = json(
        &book,
        &[
            "customers",
            "add",
            "--name",
            "Zoë Müller",
            "--email",
            "Zoe@Example.com",
            "--phone",
            "07911 123456",
            "--phone",
            "+41 44 668 18 00",
            "--type",
            "collector",
            "--company",
            "Zürich Uhren AG",
            "--tag",
            "VIP",
            "--json",
        ],
    );
    let id = added["id"].as_i64().expect("id");
    assert_eq!(added["full_name"], "Zoë Müller");
    assert_eq!(added["customer_type"], "collector");
    assert_eq!(added["phones"][0]["e164"], "+447911123456");

    for query in ["muller", "zoe@example", "07911123456", "+44 7911 123456", "zurich", "vip"] {
        let found = json(&book, &["customers", "search", query, "--json"]);
        assert_eq!(found["total"], 1, "{query}");
        let found = found["customers"].as_array().expect("array");
        assert_eq!(found.len(), 1, "{query}");
        assert_eq!(found[0]["id"], id);
        assert_eq!(found[0]["full_name"], "Zoë Müller");
        assert_eq!(found[0]["emails"][0]["address"], "Zoe@Example.com");
        assert_eq!(found[0]["phones"][1]["number"], "+41 44 668 18 00");
    }

    let shown = json(&book, &["customers", "show", &id.to_string(), "--json"]);
    assert_eq!(shown["company"], "Zürich Uhren AG");
    assert_eq!(shown["consents"].as_array().expect("consents").len(), 4);

    let stats = json(&book, &["stats", "--json"]);
    assert_eq!(stats["customers"], 1);
    assert_eq!(stats["phones"], 2);
    for kind in ["purchases", "notes", "interactions", "wishes", "reminders", "segments", "import_batches"] {
        assert_eq!(stats[kind], 0, "{kind}");
    }
}

#[test]
fn about_tells_the_version_and_the_book_path_size_and_schema() {
    let book = book();
    let output = loupe(&book, &["about"]).assert().code(2).get_output().clone();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.starts_with("loupe: there is no book at"), "{stderr}");
    json(&book, &["customers", "add", "--name", "Ada Lovelace", "--json"]);

    let about = json(&book, &["about", "--json"]);
    let on_disk = std::fs::metadata(&book.path).expect("the book").len();
    let schema = loupe_core::schema_version();
    assert_eq!(about["version"], "0.1.0");
    assert_eq!(about["book_path"], book.path.display().to_string());
    assert_eq!(about["book_bytes"], on_disk);
    // Opening and reading writes nothing: the WAL beside the book is empty.
    assert_eq!(about["wal_bytes"], 0);
    assert_eq!(
        (about["schema_version"].as_u64(), about["latest_schema_version"].as_u64()),
        (Some(schema.into()), Some(schema.into()))
    );

    let output = loupe(&book, &["about"]).assert().success().get_output().clone();
    let text = String::from_utf8_lossy(&output.stdout);
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(
        lines,
        [
            "loupe       0.1.0".to_string(),
            format!("book        {}", book.path.display()),
            format!("size        {on_disk} bytes, and 0 bytes of recent writes in its WAL"),
            format!("schema      {schema} (this Loupe's: {schema})"),
        ]
    );
}

#[test]
fn user_errors_exit_2_with_one_line_and_write_nothing() {
    let book = book();
    let cases: &[&[&str]] = &[
        &["customers", "add", "--name", "Anna", "--email", "not-an-email"],
        &["customers", "add", "--name", "Anna", "--phone", "12"],
        &["customers", "add", "--name", "  "],
        &["customers", "show", "42"],
        &["customers", "add", "--name", "Anna", "--type", "wholesale"],
        &["customers", "frobnicate"],
        &["customers", "add", "--email", "anna@example.com"],
        &["customers", "search", "anna", "--limit", "0"],
        &["customers"],
    ];
    for args in cases {
        let output = loupe(&book, args).assert().code(2).get_output().clone();
        let stderr = String::from_utf8(output.stderr).expect("utf-8");
        assert_eq!(stderr.trim_end().lines().count(), 1, "{args:?}: {stderr}");
        assert!(stderr.starts_with("loupe: "), "{stderr}");
        assert!(output.stdout.is_empty());
    }
    let stderr = loupe(&book, &["customers", "add", "--name", "Anna", "--email", "x@"])
        .assert()
        .code(2)
        .get_output()
        .stderr
        .clone();
    assert!(String::from_utf8_lossy(&stderr).contains("emails[0].address"), "names the field");
    assert_eq!(json(&book, &["stats", "--json"])["customers"], 0);
}

#[test]
fn a_book_from_a_newer_version_is_refused_untouched() {
    let book = book();
    json(&book, &["customers", "add", "--name", "Anna", "--json"]);
    set_user_version(&book.path, 99);
    let before = std::fs::read(&book.path).expect("read");
    let output = loupe(&book, &["stats", "--json"]).assert().code(2).get_output().stderr.clone();
    assert!(String::from_utf8_lossy(&output).contains("newer version of Loupe"));
    assert_eq!(std::fs::read(&book.path).expect("read"), before);
}

/// Sets the book's schema version as a future Loupe would, through the file format itself
/// (user_version is the big-endian u32 at offset 60 of the header). The CLI closed the book
/// cleanly, so its WAL has been folded into the main file.
fn set_user_version(path: &std::path::Path, version: u32) {
    assert!(!path.with_extension("sqlite3-wal").exists(), "the WAL was checkpointed on close");
    let mut bytes = std::fs::read(path).expect("read");
    bytes[60..64].copy_from_slice(&version.to_be_bytes());
    std::fs::write(path, bytes).expect("write");
}

#[test]
fn a_command_waits_for_another_job_holding_the_book_instead_of_failing() {
    let book = book();
    json(&book, &["customers", "add", "--name", "Anna Keller", "--json"]);
    // Another job (the window saving, a long import in another terminal) holds the book's
    // write lock for longer than SQLite's usual 5 s busy timeout.
    let holder = rusqlite::Connection::open(&book.path).expect("open the book");
    holder.execute_batch("BEGIN IMMEDIATE; UPDATE customers SET company = 'Held'").expect("hold the book");
    let held_for = std::time::Duration::from_secs(7);
    let other_job = std::thread::spawn(move || {
        std::thread::sleep(held_for);
        holder.execute_batch("COMMIT").expect("let go");
    });
    let started = std::time::Instant::now();
    let added = json(&book, &["customers", "add", "--name", "Ben Mueller", "--json"]);
    assert!(started.elapsed() >= held_for - std::time::Duration::from_secs(1), "it waited for the other job");
    other_job.join().expect("the other job");
    assert_eq!(added["full_name"], "Ben Mueller");
    assert_eq!(json(&book, &["stats", "--json"])["customers"], 2);
}

#[test]
fn demo_is_deterministic_and_searchable() {
    let first = book();
    let second = book();
    for target in [&first, &second] {
        loupe(target, &["demo", "--customers", "150", "--purchases", "400", "--seed", "7"])
            .assert()
            .success();
    }
    let show = |target: &Book| json(target, &["customers", "show", "99", "--json"]);
    let (mut a, mut b) = (show(&first), show(&second));
    without_timestamps(&mut a);
    without_timestamps(&mut b);
    assert_eq!(a, b, "same seed, same customers and stories");
    let stats = json(&first, &["stats", "--json"]);
    assert_eq!((stats["customers"].as_u64(), stats["purchases"].as_u64()), (Some(150), Some(400)));
    assert!(stats["notes"].as_u64() > Some(0) && stats["wishes"].as_u64() > Some(0), "{stats}");
    let name = a["full_name"].as_str().expect("name").to_string();
    let found = json(&first, &["customers", "search", &name, "--limit", "50", "--json"]);
    assert!(found["customers"].as_array().expect("array").iter().any(|row| row["id"] == 99), "{name}");
}

#[test]
fn a_reader_that_stops_early_ends_the_command_quietly() {
    let target = book();
    loupe(&target, &["demo", "--customers", "150", "--purchases", "400", "--seed", "7"]).assert().success();
    let output = with_closed_stdout(&target, &["customers", "show", "99", "--json"]);
    assert_eq!(String::from_utf8_lossy(&output.stderr), "", "no panic, no complaint");
    assert!(output.status.success(), "{:?}", output.status);

    // A command that fails after printing still fails: `loupe check | head -1` of a damaged book.
    // An index that no longer matches its table: the book opens, `integrity_check` fails.
    rusqlite::Connection::open(&target.path)
        .expect("open")
        .execute_batch(
            "PRAGMA writable_schema = ON;
             UPDATE sqlite_schema SET sql = 'CREATE INDEX customers_company ON customers(full_name, sort_name)'
                 WHERE name = 'customers_company';",
        )
        .expect("damage");
    let printed = loupe(&target, &["check", "--json"]).assert().code(2).get_output().stdout.clone();
    let report: Value = serde_json::from_slice(&printed).expect("the report is printed first");
    assert_eq!(report["ok"], false, "{report}");
    let output = with_closed_stdout(&target, &["check", "--json"]);
    assert_eq!(output.status.code(), Some(2), "the damage is still reported by the exit status");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.starts_with("loupe: ") && !stderr.contains("panicked"), "{stderr}");
}

/// Runs `loupe` like `loupe … | head -1`: the pipe is closed before the answer is written.
fn with_closed_stdout(target: &Book, args: &[&str]) -> std::process::Output {
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_loupe"))
        .arg("--db")
        .arg(&target.path)
        .args(args)
        .env_remove("LOUPE_DB")
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("loupe starts");
    drop(child.stdout.take());
    child.wait_with_output().expect("loupe ends")
}

/// Drops the write times, which differ between two runs, at every depth.
fn without_timestamps(value: &mut Value) {
    match value {
        Value::Object(map) => {
            map.remove("created_at");
            map.remove("updated_at");
            map.values_mut().for_each(without_timestamps);
        }
        Value::Array(items) => items.iter_mut().for_each(without_timestamps),
        _ => {}
    }
}

#[test]
fn the_core_and_the_cli_depend_on_no_gui_crate() {
    for manifest in ["../../src-tauri/core/Cargo.toml", "../../src-tauri/cli/Cargo.toml"] {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(manifest);
        let text = std::fs::read_to_string(&path).expect("read manifest");
        for gui in ["tauri", "wry", "gtk", "webkit"] {
            let depends = text.lines().any(|line| line.trim_start().starts_with(gui));
            assert!(!depends, "{manifest} depends on {gui}");
        }
    }
}

#[test]
fn reading_commands_need_an_existing_book_and_refuse_other_files() {
    let book = book();
    let stderr = loupe(&book, &["stats", "--json"]).assert().code(2).get_output().stderr.clone();
    assert!(String::from_utf8_lossy(&stderr).contains("there is no book at"));
    assert!(!book.path.exists(), "reading never creates a book");
    std::fs::write(&book.path, "name,email\nAnna,anna@example.com\n".repeat(20)).expect("write");
    let stderr =
        loupe(&book, &["customers", "add", "--name", "Anna"]).assert().code(2).get_output().stderr.clone();
    assert!(String::from_utf8_lossy(&stderr).contains("is not a Loupe book"));
}

#[test]
fn purchases_add_list_and_show_with_exact_totals() {
    let book = book();
    let id =
        json(&book, &["customers", "add", "--name", "Reto Keller", "--json"])["id"].as_i64().expect("id");
    let id = id.to_string();
    let sale = json(
        &book,
        &[
            "purchases",
            "add",
            &id,
            "--date",
            "2026-03-01",
            "--item",
            "brand=Rolex,model=Daytona,ref=116500LN,serial=Z1234567,price=0.10,box=yes,papers=yes",
            "--item",
            "category=ring,brand=Cartier,price=0.20",
            "--payment",
            "bank_transfer",
            "--json",
        ],
    );
    assert_eq!(sale["total"], "0.30");
    assert_eq!(sale["currency"], "GBP");
    assert_eq!(sale["items"][0]["reference_number"], "116500LN");
    assert_eq!(sale["items"][0]["has_box"], true);
    loupe(
        &book,
        &["purchases", "add", &id, "--date", "2026-04-01", "--item", "price=9999999.99", "--currency", "gbp"],
    )
    .assert()
    .success();

    let shown = json(&book, &["customers", "show", &id, "--json"]);
    assert_eq!(shown["full_name"], "Reto Keller");
    assert_eq!(shown["purchases"].as_array().expect("purchases").len(), 2);
    assert_eq!(shown["totals"]["by_currency"][0]["lifetime_spend"], "10000000.29");
    assert_eq!(shown["totals"]["by_currency"][0]["purchases"], 2);
    let owner = json(&book, &["customers", "search", "Z1234567", "--json"]);
    assert_eq!(owner["customers"][0]["full_name"], "Reto Keller", "the serial number finds the owner");
    assert_eq!(owner["total"], 1);
    let piece = &owner["pieces"][0];
    assert_eq!(
        (&piece["model"], &piece["serial_number"], &piece["matched"]),
        (&"Daytona".into(), &"Z1234567".into(), &"serial".into())
    );
    assert_eq!((&piece["sold_on"], &piece["owner"]), (&"2026-03-01".into(), &"Reto Keller".into()));
    assert_eq!(piece["purchase_id"], sale["id"]);
    let said = text(&book, &["customers", "search", "z1234"]);
    assert!(
        said.contains(
            "1 customer matches\npieces:\n  Rolex Daytona · serial Z1234567 · sold 2026-03-01 · Reto Keller"
        ),
        "{said}"
    );
    assert_eq!(json(&book, &["stats", "--json"])["purchase_items"], 3);

    for bad in [&["--item", "brand=Rolex"][..], &["--item", "price=1,250"], &["--item", "price=5,colour=red"]]
    {
        let mut args = vec!["purchases", "add", id.as_str(), "--date", "2026-05-01"];
        args.extend_from_slice(bad);
        let stderr = loupe(&book, &args).assert().code(2).get_output().stderr.clone();
        assert_eq!(String::from_utf8_lossy(&stderr).trim_end().lines().count(), 1, "{bad:?}");
    }
    loupe(&book, &["purchases", "add", "999", "--date", "2026-05-01", "--item", "price=5"]).assert().code(2);
    assert_eq!(json(&book, &["stats", "--json"])["purchases"], 2, "failed sales wrote nothing");
}

#[test]
fn purchases_split_payments_trade_ins_and_a_deposit_collected_later() {
    let book = book();
    let id =
        json(&book, &["customers", "add", "--name", "Grace Wilson", "--json"])["id"].as_i64().expect("id");
    let id = id.to_string();
    let split = json(
        &book,
        &[
            "purchases",
            "add",
            &id,
            "--date",
            "2026-04-10",
            "--item",
            "brand=Rolex,model=Submariner,ref=126610LN,serial=Z7000001,price=9150",
            "--pay",
            "card=2,000",
            "--pay",
            "bank_transfer@2026-04-11",
            "--trade-in",
            "brand=Omega,model=Speedmaster,ref=311.30.42.30.01.005,serial=81234567,grade=B+,allowed=3500",
            "--json",
        ],
    );
    assert_eq!(split["payments"][0]["amount"], "2000");
    assert_eq!(split["payments"][1]["method"], "bank_transfer");
    assert_eq!(split["payments"][1]["amount"], "3650", "a method alone takes what is still due");
    assert_eq!(split["payments"][1]["paid_on"], "2026-04-11");
    assert_eq!(split["trade_ins"][0]["serial_number"], "81234567");
    assert_eq!(split["trade_ins"][0]["condition"], "pre_owned");
    assert_eq!(
        (split["balance_due"].as_str(), split["collected_on"].as_str()),
        (Some("0"), Some("2026-04-10"))
    );
    let owner = json(&book, &["customers", "search", "81234567", "--json"]);
    assert_eq!(
        owner["customers"][0]["full_name"], "Grace Wilson",
        "the trade-in's serial finds who brought it"
    );

    let deposit = json(
        &book,
        &[
            "purchases",
            "add",
            &id,
            "--date",
            "2026-04-12",
            "--item",
            "price=5000",
            "--pay",
            "cash=500",
            "--deposit",
            "--json",
        ],
    );
    assert_eq!((deposit["balance_due"].as_str(), deposit["collected_on"].is_null()), (Some("4500"), true));
    let sale_id = deposit["id"].to_string();
    let listed = String::from_utf8(
        loupe(&book, &["purchases", "show", &sale_id]).assert().success().get_output().stdout.clone(),
    )
    .expect("utf-8");
    assert!(listed.contains("awaiting collection") && listed.contains("balance due GBP 4500"), "{listed}");

    // Too much is refused naming the option; too little leaves it awaiting collection.
    let stderr =
        loupe(&book, &["purchases", "collect", &sale_id, "--date", "2026-05-02", "--pay", "card=4600"])
            .assert()
            .code(2)
            .get_output()
            .stderr
            .clone();
    assert!(String::from_utf8_lossy(&stderr).contains("more than the sale's total"), "{stderr:?}");
    loupe(&book, &["purchases", "collect", &sale_id, "--date", "2026-05-02", "--pay", "card=4000"])
        .assert()
        .code(2);
    let collected = json(
        &book,
        &["purchases", "collect", &sale_id, "--date", "2026-05-02", "--pay", "bank_transfer", "--json"],
    );
    assert_eq!(collected["collected_on"], "2026-05-02");
    assert_eq!(collected["payments"][1]["amount"], "4500");
    assert_eq!(collected["payments"][1]["paid_on"], "2026-05-02");
    assert_eq!(collected["balance_due"], "0");

    // The old way still pays the whole total by one method.
    let old_way = json(
        &book,
        &[
            "purchases",
            "add",
            &id,
            "--date",
            "2026-05-03",
            "--item",
            "price=100",
            "--payment",
            "cash",
            "--json",
        ],
    );
    assert_eq!(old_way["payments"][0]["method"], "cash");
    assert_eq!(old_way["payments"][0]["amount"], "100");
    let list = json(&book, &["purchases", "list", &id, "--json"]);
    assert_eq!(list["purchases"].as_array().map(Vec::len), Some(3));
    assert_eq!(
        list["totals"]["by_currency"][0]["lifetime_spend"], "14250",
        "spend is what the items came to"
    );
}

#[test]
fn today_is_the_day_loupe_today_names_and_a_mistyped_day_stops_the_command() {
    let book = book();
    let id = json(&book, &["customers", "add", "--name", "Ada Day", "--json"])["id"]
        .as_i64()
        .expect("id")
        .to_string();
    let note = loupe(&book, &["notes", "add", &id, "--body", "Leap day visit", "--json"])
        .env("LOUPE_TODAY", "2028-02-29")
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let note: Value = serde_json::from_slice(&note).expect("JSON");
    assert_eq!(note["noted_on"], "2028-02-29", "{note}");

    let refused = loupe(&book, &["notes", "add", &id, "--body", "Never written", "--json"])
        .env("LOUPE_TODAY", "2027-02-29")
        .assert()
        .code(2)
        .get_output()
        .clone();
    let stderr = String::from_utf8_lossy(&refused.stderr);
    assert!(
        stderr.starts_with("loupe: LOUPE_TODAY: '2027-02-29' is not a day written YYYY-MM-DD"),
        "{stderr}"
    );
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    let listed = json(&book, &["notes", "list", &id, "--json"]);
    assert_eq!(listed.as_array().map(Vec::len), Some(1), "nothing written: {listed}");
}

#[test]
fn notes_contacts_wishes_and_scores_join_the_story() {
    let book = book();
    let id = json(&book, &["customers", "add", "--name", "陈美玲", "--json"])["id"].as_i64().expect("id");
    let id = id.to_string();
    let note = json(
        &book,
        &[
            "notes",
            "add",
            &id,
            "--body",
            "Nickel allergy",
            "--category",
            "special requirement",
            "--pinned",
            "--json",
        ],
    );
    assert_eq!(
        (note["category"].as_str(), note["pinned"].as_bool()),
        (Some("special_requirement"), Some(true))
    );
    let call = [
        "interactions",
        "add",
        &id,
        "--kind",
        "call",
        "--summary",
        "Rang about the Calatrava",
        "--outcome",
        "Will visit Saturday",
        "--date",
        "2026-10-02",
        "--json",
    ];
    assert_eq!(json(&book, &call)["direction"], "outbound");
    let wish = [
        "wishes",
        "add",
        &id,
        "--brand",
        "Patek Philippe",
        "--ref",
        "5196G",
        "--budget-min",
        "£18,000",
        "--budget-max",
        "25,000.50",
        "--date",
        "2026-09-01",
        "--json",
    ];
    let wish = json(&book, &wish);
    // Amounts as dealers type them: "£18,000" and "25,000.50".
    assert_eq!((wish["budget_min"].as_str(), wish["budget_max"].as_str()), (Some("18000"), Some("25000.50")));
    assert_eq!(wish["currency"].as_str(), Some("GBP"));
    loupe(&book, &["satisfaction", "add", &id, "--score", "5", "--comment", "非常满意"]).assert().success();

    let shown = json(&book, &["customers", "show", &id, "--json"]);
    for (kind, count) in
        [("notes", 1), ("interactions", 1), ("wishes", 1), ("satisfaction", 1), ("purchases", 0)]
    {
        assert_eq!(shown[kind].as_array().map(Vec::len), Some(count), "{kind}");
    }
    let open = json(&book, &["wishes", "open", "--filter", "5196", "--json"]);
    assert_eq!(open[0]["customer_name"], "陈美玲");
    assert_eq!(json(&book, &["wishes", "open", "--filter", "Nautilus", "--json"]), serde_json::json!([]));

    for bad in [
        &["satisfaction", "add", id.as_str(), "--score", "6"][..],
        &["wishes", "add", id.as_str()],
        &["wishes", "add", id.as_str(), "--brand", "AP", "--budget-max", "12k"],
        &["wishes", "add", id.as_str(), "--brand", "AP", "--budget-min", "9", "--budget-max", "5"],
        &["notes", "add", id.as_str(), "--body", " "],
        &["notes", "add", "424242", "--body", "Who?"],
        &["interactions", "add", id.as_str(), "--kind", "fax", "--summary", "x"],
    ] {
        let stderr = loupe(&book, bad).assert().code(2).get_output().stderr.clone();
        assert_eq!(String::from_utf8_lossy(&stderr).trim_end().lines().count(), 1, "{bad:?}");
    }
    let stats = json(&book, &["stats", "--json"]);
    assert_eq!(
        (stats["notes"].as_u64(), stats["wishes"].as_u64()),
        (Some(1), Some(1)),
        "failures wrote nothing"
    );
}

fn fixture(name: &str) -> String {
    format!("{}/../../tests/fixtures/import/{name}", env!("CARGO_MANIFEST_DIR"))
}

#[test]
fn import_contacts_reports_every_row_and_undo_takes_it_back() {
    let book = book();
    let file = fixture("fair-visitors-with-problems.csv");
    let dry = json(&book, &["import", "contacts", &file, "--dry-run", "--json"]);
    assert!(!book.path.exists(), "a dry run creates no book");
    let done = json(&book, &["import", "contacts", &file, "--json"]);
    for key in ["created", "merged", "duplicates_in_file", "rejected", "rejected_rows", "warnings"] {
        assert_eq!(dry[key], done[key], "{key}: the dry run said what the import did");
    }
    assert_eq!((done["created"].as_u64(), done["rejected"].as_u64()), (Some(6), Some(2)));
    assert_eq!(done["duplicates_in_file"], 1);
    assert_eq!(done["rejected_rows"][0]["line"], 5);
    assert_eq!(done["warnings"][0]["line"], 3, "a bad email costs the cell, not the person");
    assert!(done["warnings"][0]["reason"].as_str().unwrap_or_default().contains("'Email'"));
    let text = text(&book, &["import", "contacts", &file, "--dry-run"]);
    assert!(text.contains("warning, line 4: column 'Phone'"), "{text}");
    let batch = done["batch_id"].as_i64().expect("batch id").to_string();
    assert_eq!(json(&book, &["stats", "--json"])["customers"], 6);
    assert_eq!(json(&book, &["import", "undo", &batch, "--json"])["removed"], 6);
    assert_eq!(json(&book, &["stats", "--json"])["customers"], 0);
    loupe(&book, &["import", "undo", &batch]).assert().code(2);

    let region =
        json(&book, &["import", "contacts", &fixture("business-cards-gbk.csv"), "--region", "CN", "--json"]);
    assert_eq!((region["created"].as_u64(), region["rejected"].as_u64()), (Some(2), Some(0)), "{region}");
}

#[test]
fn files_that_cannot_be_imported_exit_2_with_one_line() {
    let book = book();
    let dir = tempfile::tempdir().expect("dir");
    let empty = dir.path().join("empty.csv");
    std::fs::write(&empty, "").expect("write");
    let prices = dir.path().join("prices.csv");
    std::fs::write(&prices, "Reference,Price\n116500LN,25000\n").expect("write");
    let missing = dir.path().join("missing.csv");
    for (file, extra) in
        [(&empty, None), (&prices, None), (&missing, None), (&prices, Some("--encoding=klingon"))]
    {
        let mut args = vec!["import", "contacts", file.to_str().expect("path")];
        args.extend(extra);
        let output = loupe(&book, &args).assert().failure().get_output().clone();
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(stderr.trim_end().lines().count(), 1, "{args:?}: {stderr}");
        assert!(stderr.contains(".csv"), "names the file: {stderr}");
    }
    loupe(&book, &["import", "contacts", empty.to_str().expect("path")]).assert().code(2);
    assert_eq!(json(&book, &["stats", "--json"])["customers"], 0);
}

#[test]
fn mailing_lists_erasure_backups_and_restores_from_the_command_line() {
    let book = book();
    let add = |name: &str, email: &str, opt_in: bool| {
        let mut args = vec!["customers", "add", "--name", name, "--email", email, "--json"];
        if opt_in {
            args.extend(["--email-opt-in", "shop counter"]);
        }
        json(&book, &args)["id"].as_i64().expect("id")
    };
    add("Ann Archer", "ann@example.com", true);
    add("Bob Baker", "bob@example.com", false);
    let erased = add("Cleo Cole", "cleo@example.com", true);

    let preview = json(&book, &["export", "mailing-list", "--channel", "email", "--dry-run", "--json"]);
    assert_eq!((preview["rows"].as_u64(), preview["excluded_no_consent"].as_u64()), (Some(2), Some(1)));
    let dir = tempfile::tempdir().expect("dir");
    let list = dir.path().join("list.csv");
    let list_arg = list.display().to_string();
    let written =
        json(&book, &["export", "mailing-list", "--channel", "email", "--out", &list_arg, "--json"]);
    assert_eq!(written["rows"], 2);
    let text = std::fs::read_to_string(&list).expect("list");
    assert!(text.contains("ann@example.com") && text.contains("cleo@example.com") && !text.contains("bob@"));

    let backup = dir.path().join("before-erasure.sqlite3");
    let backup_arg = backup.display().to_string();
    json(&book, &["backup", "--out", &backup_arg, "--json"]);
    let summary = json(&book, &["customers", "erase", &erased.to_string(), "--json"]);
    assert_eq!(
        (summary["name"].as_str(), summary["suppressed_emails"].as_u64()),
        (Some("Cleo Cole"), Some(1))
    );
    loupe(&book, &["customers", "show", &erased.to_string()]).assert().code(2);
    let written =
        json(&book, &["export", "mailing-list", "--channel", "email", "--out", &list_arg, "--json"]);
    assert_eq!(written["rows"], 1, "an erased customer is on no future list");

    let holds = json(&book, &["restore", &backup_arg, "--dry-run", "--json"]);
    assert_eq!(holds["stats"]["customers"], 3);
    let restored = json(&book, &["restore", &backup_arg, "--json"]);
    assert_eq!(restored["erased_again"], 1, "the erasure survives restoring an older backup");
    assert_eq!(json(&book, &["stats", "--json"])["customers"], 2);
    assert_eq!(json(&book, &["check", "--json"])["ok"], true);
    assert!(json(&book, &["backup", "--list", "--json"]).as_array().is_some_and(|list| !list.is_empty()));

    for args in [
        &["export", "mailing-list", "--channel", "sms", "--format", "mailchimp", "--out", &list_arg][..],
        &["export", "mailing-list", "--channel", "fax", "--dry-run"],
        &["export", "mailing-list", "--channel", "email", "--delimiter", "|", "--out", &list_arg],
        &["export", "mailing-list", "--channel", "email"],
        &["restore", &list_arg],
        &["customers", "erase", "999"],
    ] {
        let output = loupe(&book, args).assert().code(2).get_output().clone();
        let stderr = String::from_utf8(output.stderr).expect("utf-8");
        assert_eq!(stderr.trim_end().lines().count(), 1, "{args:?}: {stderr}");
    }
}

fn same_files(first: &std::path::Path, second: &std::path::Path) {
    let read = |dir: &std::path::Path| {
        let mut files: Vec<(String, Vec<u8>)> = std::fs::read_dir(dir)
            .expect("folder")
            .map(|entry| {
                let entry = entry.expect("entry");
                (entry.file_name().to_string_lossy().into_owned(), std::fs::read(entry.path()).expect("read"))
            })
            .collect();
        files.sort();
        files
    };
    assert!(read(first) == read(second), "the folders differ");
}

#[test]
fn a_book_moves_to_another_machine_and_merges_on_request() {
    let old = book();
    loupe(&old, &["demo", "--customers", "50", "--seed", "5"]).assert().success();
    json(&old, &["customers", "add", "--name", "Zoë Müller", "--email", "zoe@example.com", "--json"]);
    let dir = tempfile::tempdir().expect("dir");
    let folder = dir.path().join("book");
    let folder_arg = folder.to_str().expect("path");
    let exported = json(&old, &["export", "book", "--out", folder_arg, "--json"]);
    assert_eq!(exported["manifest"]["format"], "loupe-book");
    let customers = exported["manifest"]["files"]
        .as_array()
        .expect("files")
        .iter()
        .find(|file| file["table"] == "customers")
        .expect("customers.csv")
        .clone();
    assert_eq!(customers["rows"], 51);

    let new = book();
    let restored = json(&new, &["import", "book", folder_arg, "--json"]);
    assert_eq!(
        (restored["customers_created"].as_u64(), restored["merged_into_existing"].as_bool()),
        (Some(51), Some(false))
    );
    assert_eq!(json(&new, &["stats", "--json"]), json(&old, &["stats", "--json"]));
    let again = dir.path().join("again");
    let text = loupe(&new, &["export", "book", "--out", again.to_str().expect("path")]).assert().success();
    let stdout = String::from_utf8_lossy(&text.get_output().stdout).into_owned();
    assert!(stdout.starts_with("exported 51 customers"), "{stdout}");
    same_files(&folder, &again);

    // Into a book that holds customers: refused, unless merging.
    let shop = book();
    json(&shop, &["customers", "add", "--name", "Zoe Muller", "--email", "ZOE@example.com", "--json"]);
    let output = loupe(&shop, &["import", "book", folder_arg]).assert().code(2).get_output().clone();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(stderr.trim_end().lines().count(), 1, "{stderr}");
    assert!(stderr.contains("not empty") && stderr.contains("merge"), "{stderr}");
    assert_eq!(json(&shop, &["stats", "--json"])["customers"], 1);
    let merged = json(&shop, &["import", "book", folder_arg, "--merge", "--json"]);
    assert_eq!(
        (merged["customers_created"].as_u64(), merged["customers_merged"].as_u64()),
        (Some(50), Some(1))
    );
    assert_eq!(json(&shop, &["stats", "--json"])["customers"], 51);
    // The same backup before the merge as the window makes: the rule is the core's.
    assert_eq!(merged["safety_backup"]["kind"], "before_merge");
    let backups = json(&shop, &["backup", "--list", "--json"]);
    assert_eq!(backups.as_array().map(Vec::len), Some(1));
    assert_eq!(backups[0]["kind"], "before_merge");
    assert_eq!(backups[0]["path"], merged["safety_backup"]["path"]);
    let restored = json(&shop, &["restore", backups[0]["path"].as_str().expect("path"), "--json"]);
    assert_eq!(restored["restored"]["stats"]["customers"], 1, "the book as it was before the merge");
}

#[test]
fn bad_book_folders_exit_2_with_one_line() {
    let book = book();
    let dir = tempfile::tempdir().expect("dir");
    let occupied = dir.path().join("occupied");
    std::fs::create_dir(&occupied).expect("dir");
    std::fs::write(occupied.join("notes.txt"), "keep me").expect("write");
    json(&book, &["customers", "add", "--name", "Anna", "--json"]);
    let tampered = dir.path().join("tampered");
    loupe(&book, &["export", "book", "--out", tampered.to_str().expect("path")]).assert().success();
    let csv = tampered.join("customers.csv");
    let text = std::fs::read_to_string(&csv).expect("read");
    std::fs::write(&csv, text.replace("Anna", "Anne")).expect("write");
    let fresh = self::book();
    let cases: Vec<(&Book, Vec<&str>, &str)> = vec![
        (&book, vec!["export", "book", "--out", occupied.to_str().expect("path")], "already holds files"),
        (
            &fresh,
            vec!["import", "book", tampered.to_str().expect("path")],
            "customers.csv: its SHA-256 checksum differs",
        ),
        (&fresh, vec!["import", "book", dir.path().to_str().expect("path")], "manifest.json: missing"),
    ];
    for (book, args, expected) in cases {
        let output = loupe(book, &args).assert().code(2).get_output().clone();
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(stderr.trim_end().lines().count(), 1, "{args:?}: {stderr}");
        assert!(stderr.starts_with("loupe: ") && stderr.contains(expected), "{args:?}: {stderr}");
    }
    assert_eq!(std::fs::read_to_string(occupied.join("notes.txt")).expect("kept"), "keep me");
    assert_eq!(json(&fresh, &["stats", "--json"])["customers"], 0, "nothing written");
}

/// Runs a command that succeeds and prints for people: its stdout, with nothing on stderr.
fn text(book: &Book, args: &[&str]) -> String {
    let output = loupe(book, args).assert().success().get_output().clone();
    assert_eq!(String::from_utf8_lossy(&output.stderr), "", "stderr of {args:?}");
    String::from_utf8(output.stdout).expect("utf-8")
}

/// Runs a command that must be refused: exit status 2, nothing on stdout, and the one line
/// of stderr, returned.
fn refused(book: &Book, args: &[&str]) -> String {
    let output = loupe(book, args).assert().code(2).get_output().clone();
    assert!(output.stdout.is_empty(), "{args:?}");
    let stderr = String::from_utf8(output.stderr).expect("utf-8");
    assert_eq!(stderr.trim_end().lines().count(), 1, "{args:?}: {stderr}");
    assert!(stderr.starts_with("loupe: "), "{stderr}");
    stderr
}

#[test]
fn customers_edit_changes_fields_contacts_and_tags() {
    let book = book();
    let add = [
        "customers",
        "add",
        "--name",
        "Zoe Muller",
        "--email",
        "Zoe@Example.com",
        "--phone",
        "+44 7911 123456",
        "--tag",
        "VIP",
        "--tag",
        "Patek",
        "--json",
    ];
    let id = json(&book, &add)["id"].as_i64().expect("id").to_string();
    let edited = json(
        &book,
        &[
            "customers",
            "edit",
            &id,
            "--name",
            "Zoë Müller",
            "--given-name",
            "Zoë",
            "--family-name",
            "Müller",
            "--company",
            "Zürich Uhren AG",
            "--job-title",
            "Buyer",
            "--type",
            "collector",
            "--language",
            "de-CH",
            "--json",
        ],
    );
    assert_eq!(edited["id"].as_i64().map(|id| id.to_string()), Some(id.clone()));
    for (field, value) in [
        ("full_name", "Zoë Müller"),
        ("given_name", "Zoë"),
        ("family_name", "Müller"),
        ("company", "Zürich Uhren AG"),
        ("job_title", "Buyer"),
        ("customer_type", "collector"),
        ("language", "de-CH"),
    ] {
        assert_eq!(edited[field], value, "{field}");
    }
    assert_eq!(edited["emails"][0]["address"], "Zoe@Example.com", "what was not named is kept");

    let edited = json(
        &book,
        &[
            "customers",
            "edit",
            &id,
            "--add-email",
            "zoe@uhren.example",
            "--add-email",
            "z.m@example.org",
            "--remove-email",
            "zoe@EXAMPLE.com",
            "--add-phone",
            "020 7946 0958",
            "--remove-phone",
            "07911 123456",
            "--add-tag",
            "Collector of Lange",
            "--remove-tag",
            "vip",
            "--json",
        ],
    );
    let addresses: Vec<_> =
        edited["emails"].as_array().expect("emails").iter().map(|e| &e["address"]).collect();
    assert_eq!(addresses, ["zoe@uhren.example", "z.m@example.org"]);
    assert_eq!(edited["emails"][0]["primary"], true, "the first left becomes primary");
    assert_eq!(edited["phones"].as_array().map(Vec::len), Some(1));
    assert_eq!(edited["phones"][0]["e164"], "+442079460958", "read in the book's region");
    assert_eq!(edited["tags"], serde_json::json!(["Patek", "Collector of Lange"]));

    let shown = json(&book, &["customers", "show", &id, "--json"]);
    assert_eq!((&shown["full_name"], &shown["tags"]), (&edited["full_name"], &edited["tags"]), "stored");
    let found = json(&book, &["customers", "search", "uhren.example", "--json"]);
    assert_eq!(found["customers"].as_array().map(Vec::len), Some(1), "the search index follows the edit");
    let nobody = serde_json::json!({ "total": 0, "customers": [], "pieces": [] });
    assert_eq!(json(&book, &["customers", "search", "7911", "--json"]), nobody);

    let printed = text(&book, &["customers", "edit", &id, "--remove-phone", "+44 20 7946 0958"]);
    assert!(printed.starts_with("Zoë Müller (#"), "{printed}");
    assert!(printed.contains("zoe@uhren.example") && !printed.contains("phone:"), "{printed}");
}

#[test]
fn customers_edit_refuses_with_one_line_and_writes_nothing() {
    let book = book();
    let add =
        ["customers", "add", "--name", "Anna", "--email", "anna@example.com", "--phone", "07911 123456"];
    text(&book, &add);
    let before = json(&book, &["customers", "show", "1", "--json"]);
    for (args, names) in [
        (
            &["customers", "edit", "1", "--add-email", "anna at example", "--name", "Bob"][..],
            "emails[1].address",
        ),
        (&["customers", "edit", "1", "--add-email", "ANNA@example.com"], "emails[1].address"),
        (&["customers", "edit", "1", "--add-phone", "12", "--add-tag", "VIP"], "phones[1].number"),
        (&["customers", "edit", "1", "--name", " "], "full_name"),
        (&["customers", "edit", "1", "--remove-email", "bob@example.com"], "bob@example.com"),
        (&["customers", "edit", "1", "--remove-phone", "07911 123457", "--name", "Bob"], "07911 123457"),
        (&["customers", "edit", "1", "--remove-tag", "VIP"], "VIP"),
        (&["customers", "edit", "42", "--name", "Bob"], "customer 42"),
        (&["customers", "edit", "1", "--type", "wholesale"], "wholesale"),
        (&["customers", "edit", "1"], "--name"),
    ] {
        let stderr = refused(&book, args);
        assert!(stderr.contains(names), "{args:?}: {stderr}");
    }
    assert_eq!(
        json(&book, &["customers", "show", "1", "--json"]),
        before,
        "nothing written, not even updated_at"
    );
}

#[test]
fn notes_add_list_and_delete() {
    let book = book();
    text(&book, &["customers", "add", "--name", "Anna"]);
    let older =
        json(&book, &["notes", "add", "1", "--body", "Likes Calatrava", "--date", "2025-03-01", "--json"]);
    let newer = json(
        &book,
        &[
            "notes",
            "add",
            "1",
            "--body",
            "Daughter born\nin May",
            "--date",
            "2026-05-20",
            "--pinned",
            "--json",
        ],
    );
    let (older, newer) = (older["id"].as_i64().expect("id"), newer["id"].as_i64().expect("id"));
    assert_ne!(older, newer);

    let listed = json(&book, &["notes", "list", "1", "--json"]);
    let ids: Vec<_> = listed.as_array().expect("array").iter().map(|note| note["id"].as_i64()).collect();
    assert_eq!(ids, [Some(newer), Some(older)], "newest first");
    assert_eq!(listed[0]["body"], "Daughter born\nin May");
    let table = text(&book, &["notes", "list", "1"]);
    let rows: Vec<&str> = table.lines().collect();
    assert_eq!(rows.len(), 2, "{table}");
    assert!(rows[0].starts_with(&format!("#{newer} ")) && rows[0].contains("2026-05-20"), "{table}");
    assert!(rows[0].contains("pinned") && rows[0].contains("Daughter born"), "{table}");
    assert!(rows[1].starts_with(&format!("#{older} ")) && rows[1].contains("Likes Calatrava"), "{table}");

    let deleted = json(&book, &["notes", "delete", &newer.to_string(), "--json"]);
    assert_eq!((deleted["id"].as_i64(), deleted["customer_id"].as_i64()), (Some(newer), Some(1)));
    let listed = json(&book, &["notes", "list", "1", "--json"]);
    assert_eq!(listed.as_array().map(Vec::len), Some(1));
    assert_eq!(listed[0]["id"], older);
    assert!(text(&book, &["notes", "delete", &older.to_string()]).contains(&format!("deleted note {older}")));
    assert_eq!(text(&book, &["notes", "list", "1"]), "");

    assert!(refused(&book, &["notes", "delete", &older.to_string()]).contains(&format!("note {older}")));
    assert!(refused(&book, &["notes", "list", "42"]).contains("customer 42"));
    assert_eq!(json(&book, &["stats", "--json"])["notes"], 0);
}

#[test]
fn customers_merge_dry_run_merge_show_unmerge_and_duplicates() {
    let book = book();
    let add = |name: &str, email: &str| {
        json(&book, &["customers", "add", "--name", name, "--email", email, "--json"])["id"]
            .as_i64()
            .expect("id")
    };
    let grace = add("Grace Wilson", "grace@wilson.example");
    let card = add("G. Wilson", "Grace@Wilson.example");
    let spouse = add("Tom Wilson", "grace@wilson.example");
    json(
        &book,
        &[
            "purchases",
            "add",
            &card.to_string(),
            "--date",
            "2026-04-01",
            "--item",
            "model=Royal Oak,price=9150",
            "--json",
        ],
    );

    let pairs = json(&book, &["customers", "duplicates", "--json"]);
    assert_eq!(pairs["total"], 3);
    assert_eq!(pairs["pairs"][0]["certain"], true, "Grace and G. Wilson first: {pairs}");
    assert_eq!(pairs["pairs"][0]["second"]["id"], card);
    text(&book, &["customers", "different", &grace.to_string(), &spouse.to_string()]);
    text(&book, &["customers", "different", &card.to_string(), &spouse.to_string()]);
    assert_eq!(json(&book, &["customers", "duplicates", "--json"])["total"], 1, "the spouse is someone else");

    let plan =
        json(&book, &["customers", "merge", &grace.to_string(), &card.to_string(), "--dry-run", "--json"]);
    assert_eq!(plan["moved"]["purchases"], 1);
    assert_eq!(
        json(&book, &["customers", "show", &card.to_string(), "--json"])["full_name"],
        "G. Wilson",
        "a dry run writes nothing"
    );

    let merged = json(&book, &["customers", "merge", &grace.to_string(), &card.to_string(), "--json"]);
    let merge_id = merged["id"].as_i64().expect("merge id");
    let shown = text(&book, &["customers", "show", &grace.to_string()]);
    assert!(shown.contains(&format!("merge {merge_id}: G. Wilson (#{card}) merged in, 1 sale")), "{shown}");
    assert!(refused(&book, &["customers", "show", &card.to_string()]).contains("customer"));
    assert!(
        refused(&book, &["customers", "merge", &grace.to_string(), &grace.to_string()])
            .contains("themselves")
    );

    let undone = json(&book, &["customers", "unmerge", &merge_id.to_string(), "--json"]);
    assert_eq!(undone["restored_id"], card);
    assert_eq!(undone["moved_back"]["purchases"], 1);
    let again = refused(&book, &["customers", "unmerge", &merge_id.to_string()]);
    assert!(again.contains("already undone"), "{again}");
    let back = json(&book, &["customers", "show", &card.to_string(), "--json"]);
    assert_eq!(back["purchases"].as_array().map(Vec::len), Some(1));
}

#[test]
fn search_says_how_many_match_beyond_those_it_lists() {
    let book = book();
    for name in ["Anna Weber", "Anna Keller", "Annabel Frey"] {
        loupe(&book, &["customers", "add", "--name", name]).assert().success();
    }
    let found = json(&book, &["customers", "search", "anna", "--limit", "2", "--json"]);
    assert_eq!(found["total"], 3);
    assert_eq!(found["customers"].as_array().map(Vec::len), Some(2));
    let said = text(&book, &["customers", "search", "anna", "--limit", "2"]);
    assert!(said.ends_with("3 customers match, 2 shown (--limit for more)\n"), "{said}");
    assert!(text(&book, &["customers", "search", "anna"]).ends_with("3 customers match\n"));
}

/// Writes standing rows straight into the book (the computation is not what these tests are
/// about): `(customer id, segment, value class, "rfm")`.
fn set_standing(book: &Book, rows: &[(i64, &str, Option<&str>, Option<&str>)]) {
    let conn = rusqlite::Connection::open(&book.path).expect("open");
    for (id, segment, class, rfm) in rows {
        let digit = |at: usize| rfm.map(|rfm| i64::from(rfm.as_bytes()[at] - b'0'));
        conn.execute(
            "INSERT OR REPLACE INTO customer_standing
                (customer_id, segment, value_class, recency, frequency, monetary, evaluated_on)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, '2026-06-01')",
            rusqlite::params![id, segment, class, digit(0), digit(1), digit(2)],
        )
        .expect("standing");
    }
}

/// Three customers who opted in to email: Ann (VIP, key, 555, spent 30,000), Bob (regular,
/// main, 334, spent 4,000, a trade professional), Cy (prospect).
fn standing_book() -> (Book, [i64; 3]) {
    let book = book();
    let mut ids = [0; 3];
    for (at, name) in ["Ann Archer", "Bob Baker", "Cy Chen"].into_iter().enumerate() {
        let email = format!("{}@example.com", name.split(' ').next().unwrap_or_default().to_lowercase());
        let added = json(
            &book,
            &["customers", "add", "--name", name, "--email", &email, "--email-opt-in", "counter", "--json"],
        );
        ids[at] = added["id"].as_i64().expect("id");
    }
    for (id, price) in [(ids[0], "30000"), (ids[1], "4000")] {
        let item = format!("brand=Rolex,price={price}");
        loupe(&book, &["purchases", "add", &id.to_string(), "--date", "2026-05-01", "--item", &item])
            .assert()
            .success();
    }
    let conn = rusqlite::Connection::open(&book.path).expect("open");
    conn.execute("UPDATE customers SET influence = 'trade_professional' WHERE id = ?1", [ids[1]])
        .expect("influence");
    drop(conn);
    set_standing(
        &book,
        &[
            (ids[0], "vip", Some("key"), Some("555")),
            (ids[1], "regular", Some("main"), Some("334")),
            (ids[2], "prospect", None, None),
        ],
    );
    (book, ids)
}

fn names(list: &Value) -> Vec<&str> {
    list["rows"]
        .as_array()
        .expect("rows")
        .iter()
        .map(|row| row["full_name"].as_str().expect("name"))
        .collect()
}

#[test]
fn customers_list_selects_and_sorts_by_standing() {
    let (book, _) = standing_book();
    let list = json(
        &book,
        &[
            "customers",
            "list",
            "--segment",
            "vip",
            "--segment",
            "regular",
            "--sort",
            "spend",
            "--desc",
            "--json",
        ],
    );
    assert_eq!(list["total"], 2);
    assert_eq!(names(&list), ["Ann Archer", "Bob Baker"]);
    assert_eq!(list["rows"][0]["segment"], "vip");
    assert_eq!(list["rows"][1]["rfm"], serde_json::json!({"r": 3, "f": 3, "m": 4}));
    assert_eq!(
        names(&json(&book, &["customers", "list", "--segment", "at risk", "--json"])),
        Vec::<&str>::new()
    );
    assert_eq!(names(&json(&book, &["customers", "list", "--value-class", "main", "--json"])), ["Bob Baker"]);
    assert_eq!(
        names(&json(&book, &["customers", "list", "--influence", "professional", "--json"])),
        ["Bob Baker"]
    );
    assert_eq!(names(&json(&book, &["customers", "list", "--min-rfm", "444", "--json"])), ["Ann Archer"]);
    assert_eq!(
        names(&json(&book, &["customers", "list", "--sort", "rfm", "--desc", "--limit", "2", "--json"])),
        ["Ann Archer", "Bob Baker"]
    );
    let shown = text(&book, &["customers", "list", "--sort", "segment", "--desc"]);
    let lines: Vec<&str> = shown.lines().collect();
    assert!(lines[0].contains("SEGMENT") && lines[0].contains("LAST PURCHASE"), "{shown}");
    assert!(
        lines[1].contains("Ann Archer") && lines[1].contains("vip") && lines[1].contains("key"),
        "{shown}"
    );
    assert!(
        lines[1].contains("555") && lines[1].contains("30000") && lines[1].contains("2026-05-01"),
        "{shown}"
    );
    assert!(lines[3].contains("Cy Chen") && lines[3].contains("prospect"), "{shown}");
    assert_eq!(lines[4], "3 customers match");
}

#[test]
fn the_list_keeps_its_columns_beside_chinese_names() {
    let book = book();
    for name in ["王小明", "Ann Archer", "Zoë Müller-Lüdenscheidt"] {
        json(&book, &["customers", "add", "--name", name, "--json"]);
    }
    let shown = text(&book, &["customers", "list"]);
    // Each line's segment starts at the same terminal column, a Chinese character taking two.
    let starts: Vec<usize> = shown
        .lines()
        .filter_map(|line| {
            let at = line.find("prospect").or_else(|| line.find("SEGMENT"))?;
            Some(unicode_width::UnicodeWidthStr::width(&line[..at]))
        })
        .collect();
    assert_eq!(starts.len(), 4, "{shown}");
    assert!(starts.iter().all(|&start| start == starts[0]), "{starts:?}\n{shown}");
}

#[test]
fn segments_are_listed_saved_used_and_deleted() {
    let (book, _) = standing_book();
    let saved = json(
        &book,
        &["segments", "save", "Rolex buyers", "--brand", "rolex", "--min-spend", "£1,000", "--json"],
    );
    assert_eq!((saved["name"].as_str(), saved["count"].as_u64()), (Some("Rolex buyers"), Some(2)));

    let segments = json(&book, &["segments", "--json"]);
    let built_in = segments["built_in"].as_array().expect("built in");
    assert_eq!(built_in.len(), 6);
    assert_eq!(built_in[3]["segment"], "vip");
    assert_eq!(built_in[3]["count"], 1);
    assert_eq!(built_in[3]["rule"], "at least 20000 spent or 4 purchases in the last 24 months");
    assert_eq!(segments["saved"][0]["name"], "Rolex buyers");
    let shown = text(&book, &["segments"]);
    assert!(
        shown.lines().any(|line| line.starts_with("Rolex buyers")
            && line.ends_with("2  spent at least 1000; bought or wished for rolex")),
        "{shown}"
    );

    // A saved segment's name and a built-in one together: both apply.
    let list =
        json(&book, &["customers", "list", "--segment", "ROLEX BUYERS", "--segment", "regular", "--json"]);
    assert_eq!(names(&list), ["Bob Baker"]);

    assert!(refused(&book, &["segments", "save", "rolex buyers", "--tag", "x"]).contains("already exists"));
    let replaced =
        json(&book, &["segments", "save", "rolex buyers", "--value-class", "key", "--replace", "--json"]);
    assert_eq!((replaced["id"].as_i64(), replaced["count"].as_u64()), (saved["id"].as_i64(), Some(1)));

    text(&book, &["segments", "delete", "Rolex Buyers"]);
    assert_eq!(json(&book, &["segments", "--json"])["saved"], serde_json::json!([]));
    assert!(
        refused(&book, &["segments", "delete", "Rolex buyers"]).contains("no segment named 'Rolex buyers'")
    );
}

#[test]
fn a_mailing_list_selects_by_segment() {
    let (book, _) = standing_book();
    let preview = json(
        &book,
        &["export", "mailing-list", "--channel", "email", "--segment", "vip", "--dry-run", "--json"],
    );
    assert_eq!((preview["matching"].as_u64(), preview["rows"].as_u64()), (Some(1), Some(1)));
    assert_eq!(preview["sample"][0]["full_name"], "Ann Archer");
    json(&book, &["segments", "save", "Trade pros", "--influence", "professional", "--json"]);
    let preview = json(
        &book,
        &["export", "mailing-list", "--channel", "email", "--segment", "trade pros", "--dry-run", "--json"],
    );
    assert_eq!(preview["sample"][0]["full_name"], "Bob Baker");
    assert_eq!(preview["matching"], 1);
}

#[test]
fn bad_audience_flags_are_refused_by_name() {
    let (book, _) = standing_book();
    let unknown = refused(&book, &["customers", "list", "--segment", "gold"]);
    assert!(
        unknown.contains("no segment named 'gold'")
            && unknown.contains("prospect, lapsed, at_risk, vip, new, regular"),
        "{unknown}"
    );
    assert!(refused(&book, &["customers", "list", "--min-rfm", "464"]).contains("three scores from 1 to 5"));
    assert!(refused(&book, &["customers", "list", "--influence", "famous"]).contains("professional"));
    assert!(refused(&book, &["customers", "list", "--value-class", "gold"]).contains("key, main, ordinary"));
    assert!(
        refused(&book, &["customers", "list", "--min-spend", "10", "--max-spend", "5"]).contains("max_spend")
    );
    assert!(refused(&book, &["segments", "save", "vip"]).contains("already exists"));
    assert!(
        refused(&book, &["export", "mailing-list", "--channel", "email", "--segment", "nope", "--dry-run"])
            .contains("nope")
    );
}
