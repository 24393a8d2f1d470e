//! `loupe export labels` and `loupe print receipt|card`: PDFs written where asked, the labels
//! exactly the postal mailing list, and every refusal naming what is wrong with nothing written.

use std::path::Path;

use super::{book, json, loupe};

fn is_pdf(path: &Path) -> bool {
    std::fs::read(path).is_ok_and(|bytes| bytes.starts_with(b"%PDF-"))
}

#[test]
fn labels_receipts_and_cards_are_written_as_pdf() {
    let book = book();
    loupe(&book, &["demo", "--customers", "60", "--seed", "19"]).assert().success();
    let dir = tempfile::tempdir().expect("dir");
    let listed = json(&book, &["export", "mailing-list", "--channel", "post", "--dry-run", "--json"])["rows"]
        .as_u64()
        .expect("rows");
    assert!(listed > 0, "the demo book has customers to write to");

    for (layout, per_page) in [("l7160", 21), ("5160", 30), ("envelope", 1)] {
        let out = dir.path().join(format!("labels-{layout}.pdf"));
        let printed = json(
            &book,
            &[
                "export",
                "labels",
                "--channel",
                "post",
                "--layout",
                layout,
                "--out",
                out.to_str().expect("path"),
                "--json",
            ],
        );
        assert_eq!(printed["labels"].as_u64(), Some(listed), "{layout}: the labels are the mailing list");
        assert_eq!(printed["pages"].as_u64(), Some(listed.div_ceil(per_page)), "{layout}");
        assert!(is_pdf(&out), "{layout}");
    }

    json(&book, &["settings", "set", "shop_name", "Maison Horlogère", "--json"]);
    let buyer =
        json(&book, &["customers", "list", "--sort", "spend", "--desc", "--limit", "1", "--json"])["rows"][0]
            ["id"]
            .as_i64()
            .expect("a buyer")
            .to_string();
    let sale = json(&book, &["purchases", "list", &buyer, "--json"])["purchases"][0]["id"]
        .as_i64()
        .expect("a sale")
        .to_string();
    let receipt = dir.path().join("receipt.pdf");
    let written = json(
        &book,
        &["print", "receipt", &sale, "--lang", "zh", "--out", receipt.to_str().expect("path"), "--json"],
    );
    assert_eq!(written["file"].as_str(), receipt.to_str());
    assert!(is_pdf(&receipt));
    let card = dir.path().join("card.pdf");
    let said = loupe(&book, &["print", "card", &buyer, "--out", card.to_str().expect("path")])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    assert_eq!(String::from_utf8_lossy(&said).trim(), format!("wrote {}", card.display()));
    assert!(is_pdf(&card));
}

#[test]
fn what_cannot_be_printed_is_named_and_nothing_is_written() {
    let book = book();
    loupe(&book, &["customers", "add", "--name", "Ann Archer"]).assert().success();
    let dir = tempfile::tempdir().expect("dir");
    let out = dir.path().join("out.pdf");
    let out = out.to_str().expect("path");
    for (args, says) in [
        (
            vec!["export", "labels", "--channel", "email", "--layout", "l7160", "--out", out],
            "channel: address labels are for post: choose the post channel",
        ),
        (
            vec!["export", "labels", "--channel", "post", "--layout", "a4", "--out", out],
            "'a4' is not one of: l7160, 5160, envelope",
        ),
        (vec!["print", "receipt", "4242", "--out", out], "purchase 4242 does not exist"),
        (vec!["print", "card", "4243", "--out", out], "customer 4243 does not exist"),
        (vec!["print", "card", "1", "--lang", "fr", "--out", out], "'fr' is not one of: en, zh"),
    ] {
        let refused = loupe(&book, &args).assert().code(2).get_output().clone();
        let stderr = String::from_utf8_lossy(&refused.stderr);
        assert!(stderr.contains(says), "{args:?}: {stderr}");
        assert_eq!(stderr.lines().count(), 1, "{args:?}: one line: {stderr}");
    }
    assert!(!Path::new(out).exists(), "nothing was written");
}
