//! Deterministic, realistic demo books for demonstrations and benchmarks: the same seed gives
//! the same customers on every machine (fastrand's generator is fixed by its version).

use chrono::{Duration, NaiveDate, Utc};
use rust_decimal::Decimal;

use crate::customers::insert_customer;
use crate::error::Result;
use crate::model::*;
use crate::store::Book;
use crate::{PartialDate, validate};

struct Culture {
    given: &'static [&'static str],
    family: &'static [&'static str],
    /// Chinese and Japanese names are written family name first, without a space.
    family_first_unspaced: bool,
    region: &'static str,
    language: &'static str,
    phone: fn(&mut fastrand::Rng) -> String,
    email_domains: &'static [&'static str],
}

const CULTURES: &[Culture] = &[
    Culture {
        given: &[
            "James",
            "Olivia",
            "William",
            "Charlotte",
            "Henry",
            "Amelia",
            "George",
            "Isla",
            "Edward",
            "Sophie",
            "Oliver",
            "Grace",
        ],
        family: &[
            "Smith",
            "Jones",
            "Taylor",
            "Brown",
            "Williams",
            "Wilson",
            "Johnson",
            "Davies",
            "Robinson",
            "Wright",
            "Thompson",
            "Evans",
            "O'Brien",
            "Fitzgerald",
        ],
        family_first_unspaced: false,
        region: "GB",
        language: "en",
        phone: |rng| match rng.u32(0..3) {
            0 => format!("+44 7400 {:06}", rng.u32(100000..=999999)),
            1 => format!("+44 (0)20 7123 {:04}", rng.u32(0..10000)),
            _ => format!("0044 7400 {:03} {:03}", rng.u32(100..1000), rng.u32(0..1000)),
        },
        email_domains: &["gmail.com", "outlook.com", "btinternet.com", "icloud.com"],
    },
    Culture {
        given: &["秀英", "小明", "伟", "芳", "娜", "静", "敏", "丽", "强", "磊", "洋", "艳", "嘉怡", "子涵"],
        family: &["王", "李", "张", "刘", "陈", "杨", "黄", "赵", "周", "吴"],
        family_first_unspaced: true,
        region: "CN",
        language: "zh-Hans",
        phone: |rng| format!("+86 131 2345 {:04}", rng.u32(0..10000)),
        email_domains: &["qq.com", "163.com", "126.com", "sina.com"],
    },
    Culture {
        given: &["Lukas", "Anna-Lena", "Jürgen", "Sophie", "Maximilian", "Zoë", "Björn", "Käthe"],
        family: &["Müller", "Schmidt", "Schneider", "Fischer", "Weber", "Meyer", "Wagner", "Schäfer", "Groß"],
        family_first_unspaced: false,
        region: "DE",
        language: "de",
        phone: |rng| format!("+49 1512 345 {:04}", rng.u32(0..10000)),
        email_domains: &["gmx.de", "web.de", "t-online.de"],
    },
    Culture {
        given: &["Chloé", "François", "Hélène", "Léa", "Théo", "Amélie", "Jérôme", "Inès"],
        family: &["Dubois", "Lefèvre", "Moreau", "Girard", "Bonnet", "Rousseau", "Faure", "Mercier"],
        family_first_unspaced: false,
        region: "FR",
        language: "fr",
        phone: |rng| format!("+33 6 12 {:02} {:02} {:02}", rng.u32(0..99), rng.u32(0..99), rng.u32(0..99)),
        email_domains: &["orange.fr", "free.fr", "laposte.net"],
    },
    Culture {
        given: &["Luca", "Giulia", "Matteo", "Chiara", "Niccolò", "Francesca"],
        family: &["Rossi", "Bianchi", "Romano", "Colombo", "Ricci", "Marino", "Galli"],
        family_first_unspaced: false,
        region: "IT",
        language: "it",
        phone: |rng| format!("+39 312 345 {:04}", rng.u32(0..10000)),
        email_domains: &["libero.it", "gmail.com"],
    },
    Culture {
        given: &["Reto", "Ursula", "Beat", "Nicole", "Urs", "Séverine"],
        family: &["Keller", "Brunner", "Baumann", "Huber", "Zürcher", "Gerber"],
        family_first_unspaced: false,
        region: "CH",
        language: "de-CH",
        phone: |rng| format!("+41 78 123 {:02} {:02}", rng.u32(0..100), rng.u32(0..100)),
        email_domains: &["bluewin.ch", "gmail.com"],
    },
    Culture {
        given: &["健太", "さくら", "翔", "美咲"],
        family: &["佐藤", "鈴木", "高橋", "田中"],
        family_first_unspaced: true,
        region: "JP",
        language: "ja",
        phone: |rng| format!("+81 90 1234 {:04}", rng.u32(0..10000)),
        email_domains: &["docomo.ne.jp", "gmail.com"],
    },
    Culture {
        given: &["Aarav", "Priya", "Rohan", "Ananya", "Omar", "Layla", "Yusuf", "Fatima"],
        family: &["Sharma", "Patel", "Iyer", "Khan", "Haddad", "Al-Masri", "Kapoor"],
        family_first_unspaced: false,
        region: "GB",
        language: "en",
        phone: |rng| format!("+44 7400 {:06}", rng.u32(100000..=999999)),
        email_domains: &["gmail.com", "hotmail.co.uk"],
    },
    Culture {
        given: &["Wing", "Ka Yan", "Chi Ming", "Mei Ling"],
        family: &["Chan", "Wong", "Leung", "Cheung"],
        family_first_unspaced: false,
        region: "HK",
        language: "zh-Hant",
        phone: |rng| format!("+852 5123 {:04}", rng.u32(0..10000)),
        email_domains: &["netvigator.com", "gmail.com"],
    },
];

const TRADE_COMPANIES: &[&str] = &[
    "Hatton Garden Watches Ltd",
    "Burlington Arcade Antiques",
    "Genève Horlogerie SA",
    "周大福珠宝",
    "Kowloon Time Trading",
    "Rive Gauche Bijoux",
    "Via Montenapoleone Orologi",
    "Zürich Uhren AG",
];
const COMPANIES: &[&str] =
    &["Barclays", "NHS", "Deloitte", "Self-employed", "Clifford Chance", "Rolls-Royce", "华为", "Nestlé"];
const TAGS: &[&str] =
    &["VIP", "newsletter", "Rolex", "vintage", "bridal", "fair 2026", "Patek waitlist", "gift buyer", "贵宾"];
const BRANDS: &[&str] = &[
    "Rolex",
    "Omega",
    "Patek Philippe",
    "Audemars Piguet",
    "Cartier",
    "Tudor",
    "Jaeger-LeCoultre",
    "IWC",
    "Tiffany & Co.",
    "Chopard",
];
const STYLES: &[&str] = &["dress", "sports", "diver", "chronograph", "art deco", "solitaire", "minimal"];
const MATERIALS: &[&str] =
    &["steel", "yellow gold", "white gold", "rose gold", "platinum", "titanium", "diamond", "jade"];
const FAIRS: &[&str] =
    &["Watches & Wonders 2026", "Hong Kong Jewellery Show", "Harrogate Antiques Fair", "Open evening"];

fn pick<'a>(rng: &mut fastrand::Rng, items: &'a [&'a str]) -> &'a str {
    items[rng.usize(..items.len())]
}

fn ascii_local_part(text: &str) -> String {
    crate::fold::fold(text).chars().filter(|ch| ch.is_ascii_alphanumeric()).collect()
}

/// One plausible customer; `index` keeps email addresses unique across the book.
fn demo_customer(rng: &mut fastrand::Rng, index: usize) -> CustomerDraft {
    let culture = &CULTURES[rng.usize(..CULTURES.len())];
    let given = pick(rng, culture.given);
    let family = pick(rng, culture.family);
    let mut draft = if culture.family_first_unspaced {
        // "王小明": written as the person writes it, not split.
        CustomerDraft::named(format!("{family}{given}"))
    } else {
        let mut draft = CustomerDraft::named(format!("{given} {family}"));
        draft.given_name = given.to_string();
        draft.family_name = family.to_string();
        draft
    };
    draft.language = culture.language.to_string();
    draft.customer_type = match rng.u32(0..100) {
        0..=79 => CustomerType::Retail,
        80..=89 => CustomerType::Trade,
        _ => CustomerType::Collector,
    };
    if draft.customer_type == CustomerType::Trade {
        draft.company = pick(rng, TRADE_COMPANIES).to_string();
        draft.job_title = pick(rng, &["Buyer", "Director", "Owner", "Watchmaker"]).to_string();
    } else if rng.u32(0..3) == 0 {
        draft.company = pick(rng, COMPANIES).to_string();
    }
    if culture.language == "en" && rng.u32(0..6) == 0 {
        draft.title = pick(rng, &["Mr", "Mrs", "Ms", "Dr", "Sir", "Lady"]).to_string();
    }

    let mut local = ascii_local_part(&format!("{given}.{family}"));
    if local.is_empty() {
        local = "client".to_string();
    }
    draft.emails.push(EmailEntry {
        label: "personal".into(),
        address: format!("{local}{index}@{}", pick(rng, culture.email_domains)),
        primary: true,
    });
    if rng.u32(0..5) == 0 {
        draft.emails.push(EmailEntry {
            label: "work".into(),
            address: format!("{local}.{index}@work.example.com"),
            primary: false,
        });
    }
    if rng.u32(0..10) < 9 {
        draft.phones.push(PhoneEntry {
            label: "mobile".into(),
            number: (culture.phone)(rng),
            e164: None,
            primary: true,
        });
    }
    if rng.u32(0..3) == 0 {
        draft.addresses.push(AddressEntry {
            label: "home".into(),
            street: format!(
                "{} {}",
                rng.u32(1..200),
                pick(rng, &["High Street", "Bahnhofstrasse", "Rue de Rivoli", "Nathan Road", "南京西路"])
            ),
            city: pick(rng, &["London", "Zürich", "Paris", "Hong Kong", "上海", "Milano"]).to_string(),
            region: String::new(),
            postal_code: format!("{}", rng.u32(1000..99999)),
            country: culture.region.to_string(),
            primary: true,
        });
    }
    if rng.u32(0..2) == 0 {
        let year = (rng.u32(0..3) > 0).then(|| rng.i32(1940..2005));
        draft.birthday = PartialDate::new(year, rng.u32(1..=12), rng.u32(1..=28)).ok();
    }
    if rng.u32(0..5) == 0
        && let Ok(date) = PartialDate::new(Some(rng.i32(1975..2025)), rng.u32(1..=12), rng.u32(1..=28))
    {
        draft.occasions.push(Occasion {
            kind: OccasionKind::Anniversary,
            label: "Wedding anniversary".into(),
            date,
        });
    }
    draft.source = Some(match rng.u32(0..10) {
        0..=3 => Source::WalkIn,
        4..=5 => Source::Fair,
        6 => Source::Referral,
        7 => Source::Website,
        8 => Source::BusinessCard,
        _ => Source::Other,
    });
    if draft.source == Some(Source::Fair) {
        draft.source_detail = pick(rng, FAIRS).to_string();
    }
    if rng.u32(0..4) == 0 {
        draft.ring_size = Some(match culture.region {
            "CN" | "JP" | "HK" => {
                RingSize { system: RingSizeSystem::CnJp, value: rng.u32(8..22).to_string() }
            }
            "GB" => RingSize {
                system: RingSizeSystem::Uk,
                value: pick(rng, &["J", "K", "L½", "M", "N", "P", "R", "T"]).to_string(),
            },
            _ => RingSize { system: RingSizeSystem::Eu, value: rng.u32(48..64).to_string() },
        });
    }
    if rng.u32(0..3) == 0 {
        draft.wrist_cm = Some(Decimal::new(i64::from(rng.u32(150..200)), 1));
    }
    for _ in 0..rng.usize(0..3) {
        draft.preferences.brands.push(pick(rng, BRANDS).to_string());
    }
    if rng.u32(0..3) == 0 {
        draft.preferences.styles.push(pick(rng, STYLES).to_string());
        draft.preferences.materials.push(pick(rng, MATERIALS).to_string());
    }
    if draft.customer_type != CustomerType::Trade && rng.u32(0..3) == 0 {
        let low = i64::from(rng.u32(1..40)) * 500;
        draft.preferences.price_min = Some(Decimal::from(low));
        draft.preferences.price_max = Some(Decimal::from(low * i64::from(rng.u32(2..6))));
    }
    draft.influence = match rng.u32(0..100) {
        0..=1 => Influence::Reviewer,
        2 => Influence::PublicFigure,
        _ if draft.customer_type == CustomerType::Trade => Influence::TradeProfessional,
        _ => Influence::None,
    };
    for _ in 0..rng.usize(0..3) {
        draft.tags.push(pick(rng, TAGS).to_string());
    }
    // A fixed day, not today: the same seed gives the same book on any date.
    let today = NaiveDate::from_ymd_opt(2026, 11, 1).unwrap_or_default();
    for channel in Channel::ALL {
        let status = match rng.u32(0..10) {
            0..=4 => ConsentStatus::OptedIn,
            5..=6 => ConsentStatus::OptedOut,
            _ => ConsentStatus::Unknown,
        };
        if status == ConsentStatus::Unknown {
            continue;
        }
        let date: NaiveDate = today - Duration::days(i64::from(rng.u32(0..2000)));
        let source = match draft.source {
            Some(Source::Fair) => format!("signed card at {}", draft.source_detail),
            Some(Source::Website) => "website form".to_string(),
            _ => "asked at the counter".to_string(),
        };
        draft.consents.push(Consent { channel: *channel, status, date: Some(date), source });
    }
    draft
}

impl Book {
    /// Adds `count` demo customers generated from `seed`, in one transaction.
    ///
    /// Generating and validating a draft (phone parsing above all) takes about as long as
    /// storing it, so a second thread prepares drafts while this one writes; the order, and so
    /// the book, stays the same for the same seed.
    pub fn generate_demo(
        &mut self,
        count: usize,
        seed: u64,
        mut progress: impl FnMut(usize),
    ) -> Result<usize> {
        let settings = self.settings()?;
        let first_index: i64 =
            self.conn.query_row("SELECT coalesce(max(id), 0) FROM customers", [], |row| row.get(0))?;
        let first_index = usize::try_from(first_index).unwrap_or(0);
        let now = Utc::now();
        self.with_tx(|tx| {
            std::thread::scope(|scope| {
                let (sender, receiver) = std::sync::mpsc::sync_channel(256);
                scope.spawn(move || {
                    let mut rng = fastrand::Rng::with_seed(seed);
                    for index in 0..count {
                        let draft =
                            validate::normalise(demo_customer(&mut rng, first_index + index + 1), &settings);
                        if sender.send(draft).is_err() {
                            break; // the writer stopped on an error
                        }
                    }
                });
                for (index, draft) in receiver.into_iter().enumerate() {
                    insert_customer(tx, &draft?, now)?;
                    if index % 1000 == 999 {
                        progress(index + 1);
                    }
                }
                progress(count);
                Ok(count)
            })
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_demo_customer_is_valid() {
        let mut rng = fastrand::Rng::with_seed(7);
        for index in 0..3000 {
            let draft = demo_customer(&mut rng, index);
            if let Err(error) = validate::normalise(draft.clone(), &BookSettings::default()) {
                panic!("demo customer {index} is invalid: {error}: {draft:?}");
            }
        }
    }
}
