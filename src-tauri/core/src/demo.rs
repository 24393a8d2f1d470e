//! Deterministic, realistic demo books for demonstrations and benchmarks: the same seed gives
//! the same customers on every machine (fastrand's generator is fixed by its version).

use std::collections::HashSet;

use chrono::{Duration, NaiveDate};
use rust_decimal::Decimal;

use crate::customers::insert_profile;
use crate::error::Result;
use crate::history::insert_entry;
use crate::model::*;
use crate::purchases::{insert_purchase, refresh_spend_after};
use crate::store::Book;
use crate::{PartialDate, search, validate};

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

/// A street, town and postcode that belong together in the customer's country, written the
/// way that country writes them (house number before or after the street, Chinese and Japanese
/// addresses in their own script), so labels and cards printed from a demo book look real.
fn demo_address(rng: &mut fastrand::Rng, country: &str) -> AddressEntry {
    // (street with {n} for the house number, town, region, postcode)
    let places: &[(&str, &str, &str, &str)] = match country {
        "CN" => &[
            ("南京西路{n}号", "上海", "上海市", "200040"),
            ("建国路{n}号", "北京", "北京市", "100022"),
            ("天河路{n}号", "广州", "广东省", "510620"),
        ],
        "HK" => &[
            ("{n} Canton Road, Tsim Sha Tsui", "Kowloon", "", ""),
            ("{n} Queen's Road Central", "Central", "Hong Kong Island", ""),
            ("{n} Nathan Road, Mong Kok", "Kowloon", "", ""),
        ],
        "JP" => &[
            ("銀座4丁目{n}", "中央区", "東京都", "104-0061"),
            ("心斎橋筋1丁目{n}", "大阪市中央区", "大阪府", "542-0085"),
        ],
        "DE" => &[
            ("Maximilianstraße {n}", "München", "", "80539"),
            ("Königsallee {n}", "Düsseldorf", "", "40212"),
            ("Kurfürstendamm {n}", "Berlin", "", "10719"),
        ],
        "FR" => &[
            ("{n} rue de la Paix", "Paris", "", "75002"),
            ("{n} rue de la République", "Lyon", "", "69002"),
            ("{n} boulevard de la Croisette", "Cannes", "", "06400"),
        ],
        "IT" => &[
            ("Via Montenapoleone {n}", "Milano", "MI", "20121"),
            ("Via dei Condotti {n}", "Roma", "RM", "00187"),
        ],
        "CH" => &[("Bahnhofstrasse {n}", "Zürich", "", "8001"), ("Rue du Rhône {n}", "Genève", "", "1204")],
        _ => &[
            ("{n} Marylebone High Street", "London", "", "W1U 4QW"),
            ("{n} King's Road", "London", "", "SW3 4UD"),
            ("{n} George Street", "Edinburgh", "", "EH2 2PF"),
            ("{n} Deansgate", "Manchester", "", "M3 2BW"),
        ],
    };
    let number = rng.u32(1..200);
    let (street, city, region, postal_code) = places[rng.usize(..places.len())];
    let mut street = street.replace("{n}", &number.to_string());
    // As many draws as demos before this one made here, so the rest of a seeded book is unchanged.
    let flat = rng.u32(1000..99999);
    if country == "GB" && flat.is_multiple_of(4) {
        street = format!("Flat {}\n{street}", flat % 30 + 1);
    }
    AddressEntry {
        label: "home".into(),
        street,
        city: city.into(),
        region: region.into(),
        postal_code: postal_code.into(),
        country: country.into(),
        primary: true,
    }
}

/// "xiaoming" for 小明: the usual reading of each character, joined; empty for Latin letters.
fn pinyin_of(chinese: &str) -> String {
    let folded = crate::fold::fold(chinese);
    crate::fold::pinyin_spellings(&crate::fold::words(&folded))
        .first()
        .map(|syllables| syllables.concat())
        .unwrap_or_default()
}

fn ascii_local_part(text: &str) -> String {
    crate::fold::fold(text).chars().filter(|ch| ch.is_ascii_alphanumeric()).collect()
}

/// One plausible customer; `index` keeps email addresses unique across the book.
/// How often a name already given is drawn again before a middle initial tells the new one
/// apart: a small demo book never holds four "Beat Brunner" by accident.
const NAME_TRIES: usize = 8;

/// A name as its culture writes it: "王小明" family first and unspaced, else "Beat K. Brunner".
fn written_name(culture: &Culture, given: &str, family: &str, initial: Option<char>) -> String {
    match (culture.family_first_unspaced, initial) {
        (true, _) => format!("{family}{given}"),
        (false, Some(initial)) => format!("{given} {initial}. {family}"),
        (false, None) => format!("{given} {family}"),
    }
}

fn demo_customer(rng: &mut fastrand::Rng, index: usize, names: &mut HashSet<String>) -> CustomerDraft {
    let mut drawn = None;
    for _ in 0..NAME_TRIES {
        let culture = &CULTURES[rng.usize(..CULTURES.len())];
        let (given, family) = (pick(rng, culture.given), pick(rng, culture.family));
        if names.insert(written_name(culture, given, family, None)) {
            drawn = Some((culture, given, family, None));
            break;
        }
    }
    let (culture, given, family, initial) = drawn.unwrap_or_else(|| {
        // Every try met a name already given: a middle initial tells this one apart, in a
        // culture that writes one (a huge book may still repeat a name, as a big shop's does).
        let spaced: Vec<&Culture> =
            CULTURES.iter().filter(|culture| !culture.family_first_unspaced).collect();
        let mut draw = || {
            let culture = spaced[rng.usize(..spaced.len())];
            let (given, family) = (pick(rng, culture.given), pick(rng, culture.family));
            (culture, given, family, Some(char::from(b'A' + rng.u8(0..26))))
        };
        let mut choice = draw();
        for _ in 0..NAME_TRIES {
            if !names.contains(&written_name(choice.0, choice.1, choice.2, choice.3)) {
                break;
            }
            choice = draw();
        }
        names.insert(written_name(choice.0, choice.1, choice.2, choice.3));
        choice
    });
    let mut draft = CustomerDraft::named(written_name(culture, given, family, initial));
    if !culture.family_first_unspaced {
        draft.given_name = given.to_string();
        draft.family_name = family.to_string();
    }
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

    // Chinese customers' addresses are in Latin letters, as real ones are: their name in pinyin.
    // (Japanese names are left alone: their kanji are not read in pinyin.)
    let romanized = |part: &str| match pinyin_of(part) {
        spelled if culture.language.starts_with("zh") && !spelled.is_empty() => spelled,
        _ => part.to_string(),
    };
    let mut local = ascii_local_part(&format!("{}.{}", romanized(given), romanized(family)));
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
        draft.addresses.push(demo_address(rng, culture.region));
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
    let today = demo_today();
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

/// A watch a dealer sells, with a reference and a typical price band (in the book's currency).
struct Piece {
    category: ItemCategory,
    brand: &'static str,
    model: &'static str,
    reference: &'static str,
    material: &'static str,
    price: (u32, u32),
}

const PIECES: &[Piece] = &[
    Piece {
        category: ItemCategory::Watch,
        brand: "Rolex",
        model: "Submariner Date",
        reference: "126610LN",
        material: "steel",
        price: (9_000, 14_000),
    },
    Piece {
        category: ItemCategory::Watch,
        brand: "Rolex",
        model: "Cosmograph Daytona",
        reference: "116500LN",
        material: "steel",
        price: (18_000, 30_000),
    },
    Piece {
        category: ItemCategory::Watch,
        brand: "Rolex",
        model: "Datejust 41",
        reference: "126334",
        material: "steel and white gold",
        price: (7_500, 11_000),
    },
    Piece {
        category: ItemCategory::Watch,
        brand: "Rolex",
        model: "GMT-Master II",
        reference: "126710BLRO",
        material: "steel",
        price: (14_000, 21_000),
    },
    Piece {
        category: ItemCategory::Watch,
        brand: "Omega",
        model: "Speedmaster Moonwatch",
        reference: "310.30.42.50.01.001",
        material: "steel",
        price: (5_000, 7_000),
    },
    Piece {
        category: ItemCategory::Watch,
        brand: "Omega",
        model: "Seamaster Diver 300M",
        reference: "210.30.42.20.03.001",
        material: "steel",
        price: (3_800, 5_200),
    },
    Piece {
        category: ItemCategory::Watch,
        brand: "Patek Philippe",
        model: "Nautilus",
        reference: "5711/1A-010",
        material: "steel",
        price: (60_000, 120_000),
    },
    Piece {
        category: ItemCategory::Watch,
        brand: "Patek Philippe",
        model: "Calatrava",
        reference: "5196G-001",
        material: "white gold",
        price: (20_000, 28_000),
    },
    Piece {
        category: ItemCategory::Watch,
        brand: "Audemars Piguet",
        model: "Royal Oak",
        reference: "15500ST.OO.1220ST.01",
        material: "steel",
        price: (35_000, 60_000),
    },
    Piece {
        category: ItemCategory::Watch,
        brand: "Cartier",
        model: "Santos de Cartier",
        reference: "WSSA0018",
        material: "steel",
        price: (5_500, 7_500),
    },
    Piece {
        category: ItemCategory::Watch,
        brand: "Cartier",
        model: "Tank Must",
        reference: "WSTA0041",
        material: "steel",
        price: (2_400, 3_200),
    },
    Piece {
        category: ItemCategory::Watch,
        brand: "Tudor",
        model: "Black Bay 58",
        reference: "79030N",
        material: "steel",
        price: (3_000, 4_000),
    },
    Piece {
        category: ItemCategory::Watch,
        brand: "Jaeger-LeCoultre",
        model: "Reverso Classic",
        reference: "Q3858520",
        material: "steel",
        price: (6_500, 9_000),
    },
    Piece {
        category: ItemCategory::Watch,
        brand: "IWC",
        model: "Portugieser Chronograph",
        reference: "IW371605",
        material: "steel",
        price: (6_000, 8_500),
    },
    Piece {
        category: ItemCategory::Bracelet,
        brand: "Cartier",
        model: "Love bracelet",
        reference: "B6067417",
        material: "yellow gold",
        price: (6_000, 7_500),
    },
    Piece {
        category: ItemCategory::Ring,
        brand: "",
        model: "Diamond solitaire 1.02ct",
        reference: "",
        material: "platinum",
        price: (4_500, 16_000),
    },
    Piece {
        category: ItemCategory::Ring,
        brand: "Tiffany & Co.",
        model: "Tiffany Setting",
        reference: "",
        material: "platinum",
        price: (2_500, 12_000),
    },
    Piece {
        category: ItemCategory::Ring,
        brand: "",
        model: "Eternity band",
        reference: "",
        material: "white gold",
        price: (900, 3_500),
    },
    Piece {
        category: ItemCategory::Necklace,
        brand: "Van Cleef & Arpels",
        model: "Vintage Alhambra pendant",
        reference: "VCARA45900",
        material: "yellow gold",
        price: (3_500, 5_000),
    },
    Piece {
        category: ItemCategory::Necklace,
        brand: "",
        model: "Akoya pearl strand",
        reference: "",
        material: "pearl",
        price: (600, 2_800),
    },
    Piece {
        category: ItemCategory::Earrings,
        brand: "",
        model: "Diamond studs 0.5ct",
        reference: "",
        material: "white gold",
        price: (800, 2_600),
    },
    Piece {
        category: ItemCategory::Earrings,
        brand: "Chopard",
        model: "Happy Diamonds",
        reference: "83A054-5001",
        material: "rose gold",
        price: (2_000, 3_200),
    },
    Piece {
        category: ItemCategory::Pendant,
        brand: "",
        model: "翡翠平安扣",
        reference: "",
        material: "jade",
        price: (300, 4_000),
    },
    Piece {
        category: ItemCategory::Other,
        brand: "",
        model: "Leather strap",
        reference: "",
        material: "alligator",
        price: (120, 450),
    },
];

const NOTES: &[(NoteCategory, &str)] = &[
    (NoteCategory::PersonalInterest, "Collects vintage Speedmasters; always ask about tropical dials."),
    (NoteCategory::PersonalInterest, "Sails at Cowes every August; likes divers."),
    (NoteCategory::PersonalInterest, "喜欢玫瑰金和简约款式"),
    (NoteCategory::Occasion, "Wife's 40th birthday in June: thinking of earrings."),
    (NoteCategory::Occasion, "Daughter graduates next summer; a first watch as a gift."),
    (
        NoteCategory::RelationshipHistory,
        "Introduced by a long-standing client; bought his first Rolex here in 2015.",
    ),
    (NoteCategory::RelationshipHistory, "Unhappy with the strap delay last year: make it right."),
    (NoteCategory::SpecialRequirement, "Nickel allergy: gold or titanium only."),
    (NoteCategory::SpecialRequirement, "Left-handed: prefers the crown on the left."),
    (NoteCategory::SpecialRequirement, "Prefers private appointments after 6pm."),
    (NoteCategory::Internal, "Pays promptly by bank transfer; good for trade terms."),
    (NoteCategory::Internal, "Do not call on Sundays."),
];

/// Kind, summary, outcome and the response recorded.
const CONTACTS: &[(InteractionKind, &str, &str, Option<InteractionResponse>)] = &[
    (
        InteractionKind::Call,
        "Rang about the Submariner allocation",
        "Interested; call back when one arrives",
        None,
    ),
    (
        InteractionKind::Email,
        "Sent photos of the 1968 Speedmaster",
        "Asked for the service history",
        Some(InteractionResponse::Replied),
    ),
    (InteractionKind::ShopVisit, "Tried on the Reverso and the Tank", "Thinking it over", None),
    (InteractionKind::Meeting, "Private viewing of three Patek pieces", "Reserved the Calatrava", None),
    (InteractionKind::Message, "WeChat: new arrivals sent", "已读，下周来店", None),
    (
        InteractionKind::Event,
        "Open evening: spring collection",
        "Came with a friend",
        Some(InteractionResponse::Visited),
    ),
    (InteractionKind::Call, "Birthday call", "Thanked us; will visit in December", None),
    (InteractionKind::Email, "Christmas mailing", "", None),
];

const SALESPEOPLE: &[&str] = &["Jane", "Tom", "李伟", "Sophie"];

/// The demo's campaigns, which its contacts name: their channel, day and cost.
const CAMPAIGN_RUNS: &[(&str, &str, &str, &str)] = &[
    ("Spring 2026 mailing", "email", "2026-03-16", "450"),
    ("Christmas 2025", "post", "2025-11-20", "1200"),
    ("Watches & Wonders follow-up", "other", "2026-04-20", "800"),
];
/// Other marketing spend: a fair stand and an advert.
const EXPENSES: &[(&str, &str, &str)] =
    &[("2026-02-20", "2500", "Jewellery fair stand"), ("2026-09-01", "600", "Magazine advert")];

/// The demo's campaigns and other marketing spend, once (a second demo run adds none).
fn demo_marketing(tx: &rusqlite::Connection, now: &str) -> Result<()> {
    for (name, channel, run_on, cost) in CAMPAIGN_RUNS {
        tx.execute(
            "INSERT OR IGNORE INTO campaigns (name, channel, run_on, cost, notes, created_at)
             VALUES (?1, ?2, ?3, ?4, '', ?5)",
            rusqlite::params![name, channel, run_on, cost, now],
        )?;
    }
    let spent: bool =
        tx.query_row("SELECT EXISTS (SELECT 1 FROM marketing_expenses)", [], |row| row.get(0))?;
    if !spent {
        for (spent_on, amount, note) in EXPENSES {
            tx.execute(
                "INSERT INTO marketing_expenses (spent_on, amount, note, created_at) VALUES (?1, ?2, ?3, ?4)",
                rusqlite::params![spent_on, amount, note, now],
            )?;
        }
    }
    Ok(())
}

/// The first day of the demo's sales history.
const FIRST_SALE: (i32, u32, u32) = (2010, 1, 1);

fn day(rng: &mut fastrand::Rng, from: NaiveDate, to: NaiveDate) -> NaiveDate {
    let span = (to - from).num_days().max(0);
    from + Duration::days(rng.i64(0..=span))
}

fn demo_item(rng: &mut fastrand::Rng, serial: u64) -> PurchaseItem {
    let piece = &PIECES[rng.usize(..PIECES.len())];
    let pounds = rng.u32(piece.price.0..=piece.price.1);
    // Dealers price in round numbers, with the odd exact figure from a negotiation.
    let price = if rng.u8(0..10) == 0 {
        Decimal::new(i64::from(pounds) * 100 + i64::from(rng.u32(0..100)), 2)
    } else {
        Decimal::from(pounds / 50 * 50)
    };
    let condition = match rng.u8(0..10) {
        0..=5 => ItemCondition::New,
        6..=8 => ItemCondition::PreOwned,
        _ => ItemCondition::Vintage,
    };
    let watch = piece.category == ItemCategory::Watch;
    PurchaseItem {
        category: piece.category,
        brand: piece.brand.into(),
        model: piece.model.into(),
        reference_number: piece.reference.into(),
        serial_number: if watch {
            format!("{}{:07}", (b'A' + rng.u8(0..26)) as char, serial)
        } else {
            String::new()
        },
        material: piece.material.into(),
        condition,
        condition_grade: if condition == ItemCondition::New {
            String::new()
        } else {
            pick(rng, &["A", "B+", "very good"]).into()
        },
        has_box: watch && rng.u8(0..10) < 8,
        has_papers: watch && rng.u8(0..10) < 7,
        description: String::new(),
        discount: if rng.u8(0..5) == 0 { (price * Decimal::new(5, 2)).round_dp(0) } else { Decimal::ZERO },
        member_discount: None,
        price,
    }
}

/// A pre-owned watch taken in part payment, allowed at about a third of the sale: from a
/// generator of its own, so that the book's other draws stay where they were.
fn demo_trade_in(serial: u64, sale_total: Decimal) -> TradeIn {
    let mut rng = fastrand::Rng::with_seed(serial);
    let piece = demo_item(&mut rng, serial);
    TradeIn {
        category: piece.category,
        brand: piece.brand,
        model: piece.model,
        reference_number: piece.reference_number,
        serial_number: piece.serial_number,
        condition: ItemCondition::PreOwned,
        condition_grade: pick(&mut rng, &["A", "B+", "very good"]).into(),
        description: String::new(),
        allowance: (sale_total / Decimal::from(3) / Decimal::from(50)).floor() * Decimal::from(50),
    }
}

/// Everything one demo customer brings: the profile and the story.
struct DemoStory {
    profile: Result<validate::ValidDraft>,
    history: DemoHistory,
}

/// What a demo customer bought and what the shop wrote down about them.
struct DemoHistory {
    purchases: Vec<PurchaseDraft>,
    notes: Vec<NoteDraft>,
    interactions: Vec<InteractionDraft>,
    wishes: Vec<WishDraft>,
    scores: Vec<SatisfactionDraft>,
}

impl DemoHistory {
    /// Writes the customer (`valid`) and this history; returns their id. Their search document
    /// and spend are the caller's to write.
    fn insert(
        &self,
        tx: &rusqlite::Connection,
        valid: &validate::ValidDraft,
        now: chrono::DateTime<chrono::Utc>,
        now_text: &str,
    ) -> Result<i64> {
        let id = insert_profile(tx, valid, now, None)?;
        for sale in &self.purchases {
            insert_purchase(tx, id, sale, now_text)?;
        }
        for entry in &self.notes {
            insert_entry(tx, id, entry, now_text)?;
        }
        for entry in &self.interactions {
            insert_entry(tx, id, entry, now_text)?;
        }
        for entry in &self.wishes {
            insert_entry(tx, id, entry, now_text)?;
        }
        for entry in &self.scores {
            insert_entry(tx, id, entry, now_text)?;
        }
        Ok(id)
    }
}

fn demo_story(
    rng: &mut fastrand::Rng,
    index: usize,
    purchases: u32,
    settings: &BookSettings,
    names: &mut HashSet<String>,
) -> DemoStory {
    let profile = validate::normalise(demo_customer(rng, index, names), settings);
    let today = demo_today();
    let since = NaiveDate::from_ymd_opt(FIRST_SALE.0, FIRST_SALE.1, FIRST_SALE.2).unwrap_or_default();
    let mut sales = Vec::with_capacity(purchases as usize);
    for number in 0..purchases {
        let items = match rng.u8(0..20) {
            0 => 3,
            1..=3 => 2,
            _ => 1,
        };
        // The draws in the order they always came, so that a seed gives the same book.
        let purchased_on = day(rng, since, today);
        let currency = if rng.u8(0..40) == 0 {
            pick(rng, &["EUR", "CHF", "USD", "HKD"]).into()
        } else {
            settings.default_currency.clone()
        };
        let paid_by = rng.u8(0..20);
        let channel = match rng.u8(0..50) {
            0..=34 => SaleChannel::InStore,
            35..=39 => SaleChannel::Phone,
            40..=44 => SaleChannel::Online,
            45..=48 => SaleChannel::Fair,
            _ => SaleChannel::Other,
        };
        let salesperson = pick(rng, SALESPEOPLE).into();
        let items = (0..items)
            .map(|position| demo_item(rng, index as u64 * 10_000 + u64::from(number) * 4 + position))
            .collect();
        let mut sale = PurchaseDraft {
            purchased_on,
            currency,
            channel,
            salesperson,
            notes: String::new(),
            items,
            payments: Vec::new(),
            trade_ins: Vec::new(),
            collected_on: None,
            redemption: None,
        };
        let method = match paid_by {
            0..=9 => PaymentMethod::Card,
            10..=14 => PaymentMethod::BankTransfer,
            15..=16 => PaymentMethod::Cash,
            17..=18 => {
                sale.trade_ins
                    .push(demo_trade_in(index as u64 * 10_000 + u64::from(number) * 4 + 3, sale.total()));
                PaymentMethod::BankTransfer
            }
            _ => PaymentMethod::Other,
        };
        sales.push(sale.paid_in_full(method));
    }
    let recent = today - Duration::days(5 * 365);
    let notes = (0..rng.u8(0..4).saturating_sub(1))
        .map(|_| {
            let (category, body) = NOTES[rng.usize(..NOTES.len())];
            NoteDraft {
                category,
                body: body.into(),
                pinned: rng.u8(0..8) == 0,
                noted_on: day(rng, recent, today),
            }
        })
        .collect();
    let interactions = (0..rng.u8(0..5).saturating_sub(1))
        .map(|_| {
            let (kind, summary, outcome, response) = CONTACTS[rng.usize(..CONTACTS.len())];
            let direction = if rng.u8(0..3) == 0 { Direction::Inbound } else { Direction::Outbound };
            let occurred_on = day(rng, recent, today);
            let campaign: String = if matches!(kind, InteractionKind::Email | InteractionKind::Event) {
                CAMPAIGN_RUNS[rng.usize(..CAMPAIGN_RUNS.len())].0.into()
            } else {
                String::new()
            };
            // A campaign's contact is its mailing going out; only a customer writing back to it
            // answered, as a dealer would record it.
            let answered = campaign.is_empty() || direction == Direction::Inbound;
            InteractionDraft {
                kind,
                direction,
                occurred_on,
                summary: summary.into(),
                outcome: outcome.into(),
                campaign,
                response: if answered { response } else { None },
            }
        })
        .collect();
    let wishes = (0..u8::from(rng.u8(0..8) == 0) + u8::from(rng.u8(0..30) == 0))
        .map(|_| {
            let piece = &PIECES[rng.usize(..14)];
            let requested_on = day(rng, recent, today);
            let status = match rng.u8(0..20) {
                0..=9 => WishStatus::Open,
                10..=12 => WishStatus::Sourcing,
                13..=14 => WishStatus::Offered,
                15..=17 => WishStatus::Won,
                _ => WishStatus::Lost,
            };
            let top = Decimal::from(piece.price.1);
            WishDraft {
                brand: piece.brand.into(),
                model: piece.model.into(),
                reference_number: if rng.bool() { piece.reference.into() } else { String::new() },
                budget_min: rng.bool().then(|| Decimal::from(piece.price.0)),
                budget_max: Some(top),
                currency: settings.default_currency.clone(),
                notes: pick(
                    rng,
                    &[
                        "",
                        "Full set only",
                        "Any dial but green",
                        "For his 50th",
                        "Will trade in his Datejust",
                    ],
                )
                .into(),
                status,
                requested_on,
                closed_on: (!status.is_open()).then(|| day(rng, requested_on, today)),
            }
        })
        .collect();
    let scores = (0..u8::from(rng.u8(0..6) == 0))
        .map(|_| SatisfactionDraft {
            score: [5, 5, 5, 4, 4, 3, 2][rng.usize(..7)],
            scored_on: day(rng, recent, today),
            comment: pick(rng, &["", "Lovely service", "Strap took too long", "非常满意", "Will come back"])
                .into(),
        })
        .collect();
    DemoStory { profile, history: DemoHistory { purchases: sales, notes, interactions, wishes, scores } }
}

/// A fixed day, not today: the same seed gives the same book on any date.
fn demo_today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 1).unwrap_or_default()
}

/// How many purchases each customer makes: many buy nothing or once, a few collectors buy
/// dozens; then adjusted, regulars and collectors first, so that they add up to `total`.
fn purchase_counts(rng: &mut fastrand::Rng, customers: usize, total: usize) -> Vec<u32> {
    let mut counts: Vec<u32> = (0..customers)
        .map(|_| match rng.u8(0..100) {
            0..=34 => 0,
            35..=69 => 1,
            70..=89 => rng.u32(2..=5),
            90..=97 => rng.u32(6..=20),
            _ => rng.u32(30..=120),
        })
        .collect();
    let heavy: Vec<usize> = (0..customers).filter(|&index| counts[index] >= 6).collect();
    let buyers: Vec<usize> = (0..customers).filter(|&index| counts[index] >= 1).collect();
    let mut sum: usize = counts.iter().map(|&count| count as usize).sum();
    while sum < total && customers > 0 {
        let pool = if heavy.is_empty() { &buyers } else { &heavy };
        let index = if pool.is_empty() { rng.usize(..customers) } else { pool[rng.usize(..pool.len())] };
        counts[index] += 1;
        sum += 1;
    }
    while sum > total {
        let index = rng.usize(..customers);
        if counts[index] > 1 || (counts[index] == 1 && heavy.is_empty()) {
            counts[index] -= 1;
            sum -= 1;
        } else if counts[index] == 1 && rng.u8(0..4) == 0 {
            counts[index] = 0;
            sum -= 1;
        }
    }
    counts
}

/// The search index's text of what a customer bought and traded in (`search::items_document`),
/// from their sales as drawn rather than read back.
fn items_document(sales: &[PurchaseDraft]) -> String {
    let items = sales.iter().flat_map(|sale| &sale.items).flat_map(|item| {
        [&item.brand, &item.model, &item.reference_number, &item.serial_number].map(String::as_str)
    });
    let trade_ins = sales
        .iter()
        .flat_map(|sale| &sale.trade_ins)
        .flat_map(|trade_in| [&trade_in.reference_number, &trade_in.serial_number].map(String::as_str));
    search::items_text(items.chain(trade_ins))
}

/// What `generate_demo` added.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DemoSummary {
    pub customers: usize,
    pub purchases: usize,
}

impl Book {
    /// Adds `customers` demo customers generated from `seed`, with `purchases` purchases
    /// spread over them and notes, contact history, wishes and scores, in one transaction.
    ///
    /// Generating and validating a customer (phone parsing above all) takes about as long as
    /// storing it, so a second thread prepares them while this one writes; the order, and so
    /// the book, stays the same for the same seed. Written as the contacts import writes: search
    /// documents in batches with FTS5's merging paused (`start_bulk_indexing`), and the new
    /// customers' spend in one pass at the end rather than after each one's sales. When it at
    /// least doubles the book, the list orders' indexes over spend and standing are built after
    /// those passes rather than moved through by them (`drop_refreshed_indexes`).
    pub fn generate_demo(
        &mut self,
        customers: usize,
        purchases: usize,
        seed: u64,
        mut progress: impl FnMut(usize),
    ) -> Result<DemoSummary> {
        let settings = self.settings()?;
        let (last_id, held): (i64, i64) =
            self.conn.query_row("SELECT coalesce(max(id), 0), count(*) FROM customers", [], |row| {
                Ok((row.get(0)?, row.get(1)?))
            })?;
        let first_index = usize::try_from(last_id).unwrap_or(0);
        let now = crate::clock::now();
        let now_text = now.to_rfc3339();
        let counts = purchase_counts(&mut fastrand::Rng::with_seed(seed ^ 0x5EED), customers, purchases);
        self.with_tx(|tx| {
            std::thread::scope(|scope| {
                let (sender, receiver) = std::sync::mpsc::sync_channel(256);
                let settings = &settings;
                let counts = &counts;
                scope.spawn(move || {
                    let mut rng = fastrand::Rng::with_seed(seed);
                    let mut names = HashSet::new();
                    for (index, &count) in counts.iter().enumerate() {
                        let story =
                            demo_story(&mut rng, first_index + index + 1, count, settings, &mut names);
                        if sender.send(story).is_err() {
                            break; // the writer stopped on an error
                        }
                    }
                });
                let deferred = if i64::try_from(customers).unwrap_or(i64::MAX) >= held {
                    crate::customers::drop_refreshed_indexes(tx)?
                } else {
                    Vec::new()
                };
                let mut documents = search::PendingDocuments::default();
                let indexing = search::start_bulk_indexing(tx)?;
                for (index, story) in receiver.into_iter().enumerate() {
                    let valid = story.profile?;
                    let id = story.history.insert(tx, &valid, now, &now_text)?;
                    documents.add(
                        tx,
                        id,
                        search::document(&valid, items_document(&story.history.purchases)),
                        false,
                    )?;
                    if index % 1000 == 999 {
                        progress(index + 1);
                    }
                }
                documents.flush(tx)?;
                search::finish_bulk_indexing(tx, indexing, &documents)?;
                refresh_spend_after(tx, last_id, &settings.default_currency)?;
                demo_marketing(tx, &now_text)?;
                crate::points::earn_for_every_sale(tx)?;
                crate::evaluation::refresh_book(tx, crate::clock::today(), true)?;
                crate::customers::create_indexes(tx, &deferred)?;
                progress(customers);
                Ok(DemoSummary { customers, purchases: counts.iter().map(|&count| count as usize).sum() })
            })
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::history::TimelineEntry;
    use crate::purchases::refresh_customer_spend;

    #[test]
    fn every_demo_customer_is_valid() {
        let mut rng = fastrand::Rng::with_seed(7);
        let mut names = HashSet::new();
        for index in 0..3000 {
            let draft = demo_customer(&mut rng, index, &mut names);
            if let Err(error) = validate::normalise(draft.clone(), &BookSettings::default()) {
                panic!("demo customer {index} is invalid: {error}: {draft:?}");
            }
        }
    }

    #[test]
    fn a_demo_book_the_size_of_a_shop_holds_no_name_twice() {
        for seed in [1, 7, 9] {
            let mut rng = fastrand::Rng::with_seed(seed);
            let mut names = HashSet::new();
            let drawn: Vec<String> =
                (0..300).map(|index| demo_customer(&mut rng, index, &mut names).full_name).collect();
            let distinct: HashSet<&String> = drawn.iter().collect();
            assert_eq!(distinct.len(), drawn.len(), "seed {seed} gave a name twice");
        }
    }

    #[test]
    fn a_demo_that_doubles_the_book_leaves_its_indexes_as_the_schema_has_them_and_whole() {
        let indexes = |book: &Book| -> Vec<(String, String)> {
            let mut statement = book
                .conn
                .prepare("SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL ORDER BY name")
                .expect("indexes");
            statement
                .query_map([], |row| Ok((row.get(0)?, row.get(1)?)))
                .expect("read")
                .collect::<rusqlite::Result<_>>()
                .expect("rows")
        };
        let mut book = Book::open_in_memory().expect("book");
        let schema = indexes(&book);
        // Into an empty book (the indexes are built after), then a few more (moved through).
        for (customers, purchases) in [(60, 150), (10, 20)] {
            book.generate_demo(customers, purchases, 3, |_| {}).expect("demo");
            assert_eq!(indexes(&book), schema);
            let check: String =
                book.conn.query_row("PRAGMA integrity_check", [], |row| row.get(0)).expect("check");
            assert_eq!(check, "ok", "every index holds every customer as stored");
        }
    }

    #[test]
    fn demo_stories_pass_the_checks_the_window_applies() {
        let book = Book::open_in_memory().expect("book");
        let settings = BookSettings::default();
        let mut rng = fastrand::Rng::with_seed(11);
        let mut names = HashSet::new();
        for index in 0..500 {
            let story = demo_story(&mut rng, index, 3, &settings, &mut names);
            for sale in story.history.purchases {
                let checked = book.checked_purchase(sale.clone()).map(|(checked, _)| checked);
                assert_eq!(checked.as_ref().ok(), Some(&sale), "customer {index}: {checked:?}");
            }
            for wish in story.history.wishes {
                assert_eq!(wish.clone().checked(&settings).ok(), Some(wish));
            }
            for note in story.history.notes {
                assert_eq!(note.clone().checked(&settings).ok(), Some(note));
            }
            for contact in story.history.interactions {
                assert_eq!(contact.clone().checked(&settings).ok(), Some(contact));
            }
            for score in story.history.scores {
                assert_eq!(score.clone().checked(&settings).ok(), Some(score));
            }
        }
    }

    /// The demo book as `generate_demo` wrote it before its bulk path: one customer at a time,
    /// each with their spend refreshed and their search document written at once, as the
    /// window writes a customer.
    fn demo_written_one_by_one(book: &mut Book, customers: usize, purchases: usize, seed: u64) {
        let settings = book.settings().expect("settings");
        let now = crate::clock::now();
        let now_text = now.to_rfc3339();
        let counts = purchase_counts(&mut fastrand::Rng::with_seed(seed ^ 0x5EED), customers, purchases);
        book.with_tx(|tx| {
            let mut rng = fastrand::Rng::with_seed(seed);
            let mut names = HashSet::new();
            for (index, &count) in counts.iter().enumerate() {
                let story = demo_story(&mut rng, index + 1, count, &settings, &mut names);
                let valid = story.profile?;
                let id = story.history.insert(tx, &valid, now, &now_text)?;
                search::index_customer(tx, id, &valid, &items_document(&story.history.purchases))?;
                if !story.history.purchases.is_empty() {
                    refresh_customer_spend(tx, id, &settings.default_currency)?;
                }
            }
            demo_marketing(tx, &now_text)?;
            crate::points::earn_for_every_sale(tx)?;
            crate::evaluation::refresh_book(tx, crate::clock::today(), true)?;
            Ok(())
        })
        .expect("demo written one by one");
    }

    /// Every row of every table but the search index's own, without the columns that hold the
    /// time of writing (`*_at`), sorted; then every search document.
    fn book_contents(book: &Book) -> Vec<String> {
        let conn = &book.conn;
        let tables: Vec<String> = conn
            .prepare(
                "SELECT name FROM sqlite_master WHERE type = 'table'
                 AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' AND name NOT LIKE 'customer\\_search%' ESCAPE '\\'
                 ORDER BY name",
            )
            .and_then(|mut statement| statement.query_map([], |row| row.get(0))?.collect())
            .expect("tables");
        let mut contents = Vec::new();
        for table in tables {
            let columns: Vec<String> = conn
                .prepare("SELECT name FROM pragma_table_info(?1) WHERE name NOT LIKE '%\\_at' ESCAPE '\\'")
                .and_then(|mut statement| statement.query_map([&table], |row| row.get(0))?.collect())
                .expect("columns");
            let quoted: Vec<String> = columns.iter().map(|column| format!("quote(\"{column}\")")).collect();
            let sql = format!("SELECT {} FROM \"{table}\"", quoted.join(" || ',' || "));
            let mut rows: Vec<String> = conn
                .prepare(&sql)
                .and_then(|mut statement| statement.query_map([], |row| row.get(0))?.collect())
                .expect("rows");
            rows.sort();
            contents.extend(rows.into_iter().map(|row| format!("{table}: {row}")));
        }
        let documents: Vec<String> = conn
            .prepare("SELECT rowid || ': ' || name || ' | ' || other || ' | ' || items FROM customer_search ORDER BY rowid")
            .and_then(|mut statement| statement.query_map([], |row| row.get(0))?.collect())
            .expect("documents");
        contents.extend(documents.into_iter().map(|document| format!("customer_search: {document}")));
        contents
    }

    #[test]
    fn the_bulk_demo_holds_what_one_by_one_writes_held() {
        let mut bulk = Book::open_in_memory().expect("book");
        bulk.generate_demo(400, 1_500, 5, |_| {}).expect("demo");
        let mut reference = Book::open_in_memory().expect("book");
        demo_written_one_by_one(&mut reference, 400, 1_500, 5);
        let (bulk, reference) = (book_contents(&bulk), book_contents(&reference));
        assert!(reference.iter().filter(|row| row.starts_with("customers: ")).count() == 400);
        assert!(reference.iter().filter(|row| row.starts_with("purchases: ")).count() == 1_500);
        assert!(reference.iter().any(|row| row.starts_with("customer_standing: ")));
        assert!(reference.iter().any(|row| row.starts_with("points_ledger: ")));
        let differing: Vec<(&String, &String)> =
            bulk.iter().zip(&reference).filter(|(bulk, reference)| bulk != reference).take(5).collect();
        assert_eq!(differing, Vec::<(&String, &String)>::new());
        assert_eq!(bulk.len(), reference.len());
    }

    #[test]
    fn every_demo_customer_is_found_by_their_email_and_the_index_is_whole() {
        let mut book = Book::open_in_memory().expect("book");
        book.generate_demo(2_500, 5_000, 3, |_| {}).expect("demo");
        book.conn
            .execute("INSERT INTO customer_search (customer_search, rank) VALUES ('integrity-check', 1)", [])
            .expect("the search index matches its documents");
        let emails: Vec<(i64, String)> = book
            .conn
            .prepare("SELECT customer_id, address FROM customer_emails WHERE is_primary")
            .and_then(|mut statement| {
                statement.query_map([], |row| Ok((row.get(0)?, row.get(1)?)))?.collect()
            })
            .expect("emails");
        assert_eq!(emails.len(), 2_500);
        for (id, email) in emails {
            let found = book.search_customers(&email, 10).expect("search");
            assert!(found.iter().any(|row| row.id == id), "customer {id} not found by {email}");
        }
    }

    #[test]
    fn purchases_add_up_with_many_one_off_buyers_and_a_few_collectors() {
        for (customers, total) in [(10_000, 30_000), (10_000, 100_000), (1_000, 500), (3, 0)] {
            let counts = purchase_counts(&mut fastrand::Rng::with_seed(3), customers, total);
            assert_eq!(counts.iter().map(|&count| count as usize).sum::<usize>(), total);
        }
        let counts = purchase_counts(&mut fastrand::Rng::with_seed(3), 10_000, 100_000);
        let one_off = counts.iter().filter(|&&count| count == 1).count();
        let collectors = counts.iter().filter(|&&count| count >= 24).count();
        assert!(one_off > 2_500, "{one_off} one-off buyers");
        assert!((100..2_000).contains(&collectors), "{collectors} collectors with two dozen or more");
    }
}
