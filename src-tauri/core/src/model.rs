//! The customer profile as the rest of the program (and, through generated TypeScript, the UI)
//! sees it. These types cross the Tauri boundary once; `cargo test` regenerates
//! `ui/src/lib/bindings/` from them and fails when the committed copy is stale.

use chrono::{DateTime, Utc};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::partial_date::PartialDate;

macro_rules! text_enum {
    ($(#[$meta:meta])* $name:ident { $($variant:ident => $text:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
        #[serde(rename_all = "snake_case")]
                pub enum $name { $($variant),+ }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The stable text stored in SQLite and used on the command line.
            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $text),+ }
            }
        }

        impl std::str::FromStr for $name {
            type Err = String;
            fn from_str(text: &str) -> Result<Self, Self::Err> {
                match text.trim().to_ascii_lowercase().replace(['-', ' '], "_").as_str() {
                    $($text => Ok($name::$variant),)+
                    _ => Err(format!("'{}' is not one of: {}", text, [$($text),+].join(", "))),
                }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}

text_enum!(
    /// Retail buyers, trade (other dealers) and collectors are served differently (seeds).
    CustomerType { Retail => "retail", Trade => "trade", Collector => "collector" }
);
text_enum!(ContactMethod {
    Email => "email",
    Phone => "phone",
    Sms => "sms",
    Post => "post",
    InPerson => "in_person",
});
text_enum!(Source {
    WalkIn => "walk_in",
    Fair => "fair",
    Referral => "referral",
    Website => "website",
    BusinessCard => "business_card",
    Import => "import",
    Other => "other",
});
text_enum!(Influence {
    None => "none",
    Reviewer => "reviewer",
    TradeProfessional => "trade_professional",
    PublicFigure => "public_figure",
});
text_enum!(
    /// Marketing channels that each carry their own consent.
    Channel { Email => "email", Sms => "sms", Phone => "phone", Post => "post" }
);
text_enum!(ConsentStatus {
    OptedIn => "opted_in",
    OptedOut => "opted_out",
    Unknown => "unknown",
});
text_enum!(
    /// Ring sizes are only meaningful with their system: UK letters, US/Canada numbers,
    /// European inner circumference in millimetres, the Chinese/Japanese scale.
    RingSizeSystem { Uk => "uk", Us => "us", Eu => "eu", CnJp => "cn_jp" }
);
text_enum!(OccasionKind { Anniversary => "anniversary", Other => "other" });

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct EmailEntry {
    pub label: String,
    pub address: String,
    pub primary: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct PhoneEntry {
    pub label: String,
    /// Exactly as the dealer typed it.
    pub number: String,
    /// Filled in by the store from `number` and the book's default region; ignored on input.
    #[serde(default)]
    pub e164: Option<String>,
    pub primary: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, TS)]
pub struct AddressEntry {
    pub label: String,
    /// Street lines, newline separated.
    pub street: String,
    pub city: String,
    pub region: String,
    pub postal_code: String,
    /// ISO 3166-1 alpha-2 where known, else as typed.
    pub country: String,
    pub primary: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Occasion {
    pub kind: OccasionKind,
    pub label: String,
    pub date: PartialDate,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct RingSize {
    pub system: RingSizeSystem,
    pub value: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Consent {
    pub channel: Channel,
    pub status: ConsentStatus,
    /// When the customer gave or withdrew it; a plain date on purpose (a counter conversation).
    #[ts(type = "string | null")]
    pub date: Option<chrono::NaiveDate>,
    /// Where it was given: "shop counter", "Baselworld 2026 card", a file name…
    pub source: String,
}

impl Consent {
    /// A consent recorded now, dated with the shop's local calendar day.
    pub fn given_today(channel: Channel, status: ConsentStatus, source: impl Into<String>) -> Self {
        Consent { channel, status, date: Some(crate::clock::today()), source: source.into() }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, TS)]
pub struct Preferences {
    pub brands: Vec<String>,
    pub styles: Vec<String>,
    pub materials: Vec<String>,
    /// Exact decimal amounts, as strings on the wire.
    #[ts(type = "string | null")]
    pub price_min: Option<Decimal>,
    #[ts(type = "string | null")]
    pub price_max: Option<Decimal>,
    /// ISO 4217; empty means the book's currency.
    pub currency: String,
}

/// Everything the dealer can type about a person: the input of create and update.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct CustomerDraft {
    /// The name as the person writes it ("王小明", "Dr Anna-Lena Müller").
    pub full_name: String,
    pub given_name: String,
    pub family_name: String,
    pub title: String,
    pub customer_type: CustomerType,
    pub company: String,
    pub job_title: String,
    pub emails: Vec<EmailEntry>,
    pub phones: Vec<PhoneEntry>,
    pub addresses: Vec<AddressEntry>,
    pub preferred_contact: Option<ContactMethod>,
    /// BCP 47 tag such as "en" or "zh-Hans"; empty when unknown.
    pub language: String,
    pub birthday: Option<PartialDate>,
    pub occasions: Vec<Occasion>,
    pub source: Option<Source>,
    pub source_detail: String,
    #[ts(type = "number | null")]
    pub referred_by: Option<i64>,
    pub ring_size: Option<RingSize>,
    #[ts(type = "string | null")]
    pub wrist_cm: Option<Decimal>,
    pub preferences: Preferences,
    pub influence: Influence,
    pub tags: Vec<String>,
    /// One entry per channel; missing channels are `unknown`.
    pub consents: Vec<Consent>,
}

impl CustomerDraft {
    /// A draft with just a name and everything else empty or unknown.
    pub fn named(full_name: impl Into<String>) -> Self {
        CustomerDraft {
            full_name: full_name.into(),
            given_name: String::new(),
            family_name: String::new(),
            title: String::new(),
            customer_type: CustomerType::Retail,
            company: String::new(),
            job_title: String::new(),
            emails: Vec::new(),
            phones: Vec::new(),
            addresses: Vec::new(),
            preferred_contact: None,
            language: String::new(),
            birthday: None,
            occasions: Vec::new(),
            source: None,
            source_detail: String::new(),
            referred_by: None,
            ring_size: None,
            wrist_cm: None,
            preferences: Preferences::default(),
            influence: Influence::None,
            tags: Vec::new(),
            consents: Vec::new(),
        }
    }
}

/// A stored customer: the draft plus what the store owns.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Customer {
    #[ts(type = "number")]
    pub id: i64,
    #[serde(flatten)]
    pub profile: CustomerDraft,
    /// Display name of `profile.referred_by`, when that customer still exists.
    pub referred_by_name: Option<String>,
    #[ts(type = "string")]
    pub created_at: DateTime<Utc>,
    #[ts(type = "string")]
    pub updated_at: DateTime<Utc>,
}

/// One line of the customer list or of search results.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct CustomerRow {
    #[ts(type = "number")]
    pub id: i64,
    pub full_name: String,
    pub customer_type: CustomerType,
    pub company: String,
    pub primary_email: Option<String>,
    pub primary_phone: Option<String>,
    pub tags: Vec<String>,
    /// Lifetime spend in the book's currency (purchases in other currencies are not added in).
    #[ts(type = "string")]
    pub lifetime_spend: Decimal,
    /// Purchases in any currency.
    pub purchase_count: u32,
    #[ts(type = "string | null")]
    pub last_purchase: Option<chrono::NaiveDate>,
    #[ts(type = "string")]
    pub updated_at: DateTime<Utc>,
    /// Where they stand (`Standing`), for the list's columns.
    pub segment: Segment,
    pub value_class: Option<ValueClass>,
    pub rfm: Option<Rfm>,
    pub influence: Influence,
    /// Their membership tier (None: not a member, or the programme is off).
    pub tier: Option<TierLabel>,
}

text_enum!(ListSort {
    Name => "name",
    Company => "company",
    CustomerType => "customer_type",
    Created => "created",
    Updated => "updated",
    Spend => "spend",
    LastPurchase => "last_purchase",
    Segment => "segment",
    ValueClass => "value_class",
    Rfm => "rfm",
    Influence => "influence",
    Tier => "tier",
});

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct ListQuery {
    pub sort: ListSort,
    pub descending: bool,
    /// Who the list shows: the same audience filter as mailing lists and saved segments.
    #[serde(default)]
    pub filter: CustomerFilter,
    pub offset: u32,
    pub limit: u32,
}

impl Default for ListQuery {
    fn default() -> Self {
        ListQuery {
            sort: ListSort::Name,
            descending: false,
            filter: CustomerFilter::default(),
            offset: 0,
            limit: 100,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct ListPage {
    /// Rows matching the filter, for the scroll height.
    pub total: u32,
    pub offset: u32,
    pub rows: Vec<CustomerRow>,
}

/// What the search box shows for what the dealer typed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct SearchResults {
    /// The best of the customers matching.
    pub customers: Vec<CustomerRow>,
    /// More customers match than `customers` holds: `Book::count_matches` counts them all.
    pub more: bool,
    /// Sold pieces whose reference or serial number matches, serial numbers first.
    pub pieces: Vec<PieceMatch>,
}

/// A sold piece the search found by its reference or serial number, with its sale and owner.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct PieceMatch {
    #[ts(type = "number")]
    pub item_id: i64,
    #[ts(type = "number")]
    pub purchase_id: i64,
    #[ts(type = "number")]
    pub customer_id: i64,
    /// The customer's full name.
    pub owner: String,
    #[ts(type = "string")]
    pub sold_on: chrono::NaiveDate,
    pub brand: String,
    pub model: String,
    pub reference_number: String,
    pub serial_number: String,
    /// Which number the query matched.
    pub matched: PieceField,
}

text_enum!(
    /// The number of a piece a search matched.
    PieceField {
        Serial => "serial",
        Reference => "reference",
    }
);

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct TagCount {
    pub tag: String,
    pub count: u32,
}

/// Settings that belong to the book (travel with it), not to the laptop.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct BookSettings {
    /// ISO 3166-1 alpha-2 country used for national phone numbers ("GB", "CN", "CH").
    pub default_region: String,
    /// ISO 4217 currency of the book.
    pub default_currency: String,
    /// Daily backups kept in the backup folder beside the book (the newest ones).
    #[serde(default = "default_backups_to_keep")]
    pub backups_to_keep: u32,
    /// Manual, before-restore and before-merge backups kept beside the book (and copies kept in
    /// the folder chosen for "Back up to…"), counted apart so that they never push out the
    /// daily ones.
    #[serde(default = "default_other_backups_to_keep")]
    pub other_backups_to_keep: u32,
    /// The window reminds the dealer when no copy outside the book's disk is newer than this.
    #[serde(default = "default_offsite_reminder_days")]
    pub offsite_reminder_days: u32,
    /// The people who sell, offered for a sale's salesperson (any other name may be typed).
    #[serde(default)]
    pub staff: Vec<String>,
    /// The rules that place customers in segments, value classes and RFM scores.
    #[serde(default)]
    pub standing: StandingRules,
    /// The loyalty programme: tiers, points, rates of other currencies.
    #[serde(default)]
    pub membership: MembershipRules,
    /// The rules that make the agenda's reminders.
    #[serde(default)]
    pub follow_up: FollowUpRules,
    /// A purchase by a customer a campaign targeted counts as its response this many days
    /// after its day (the day itself included).
    #[serde(default = "default_campaign_response_days")]
    pub campaign_response_days: u32,
    /// The shop as its receipts name it (printed at their head); empty until the dealer says.
    #[serde(default)]
    pub shop_name: String,
    /// The shop's postal address, lines separated by newlines.
    #[serde(default)]
    pub shop_address: String,
    #[serde(default)]
    pub shop_phone: String,
}

fn default_campaign_response_days() -> u32 {
    30
}

fn default_backups_to_keep() -> u32 {
    14
}

fn default_other_backups_to_keep() -> u32 {
    10
}

fn default_offsite_reminder_days() -> u32 {
    7
}

impl Default for BookSettings {
    fn default() -> Self {
        BookSettings {
            default_region: "GB".into(),
            default_currency: "GBP".into(),
            backups_to_keep: default_backups_to_keep(),
            other_backups_to_keep: default_other_backups_to_keep(),
            offsite_reminder_days: default_offsite_reminder_days(),
            staff: Vec::new(),
            standing: StandingRules::default(),
            membership: MembershipRules::default(),
            follow_up: FollowUpRules::default(),
            campaign_response_days: default_campaign_response_days(),
            shop_name: String::new(),
            shop_address: String::new(),
            shop_phone: String::new(),
        }
    }
}

/// Counts of every kind of record in the book.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct BookStats {
    pub customers: u32,
    pub emails: u32,
    pub phones: u32,
    pub addresses: u32,
    pub tags: u32,
    pub purchases: u32,
    pub purchase_items: u32,
    pub notes: u32,
    pub interactions: u32,
    pub wishes: u32,
    pub satisfaction_scores: u32,
    pub reminders: u32,
    pub segments: u32,
    pub import_batches: u32,
    pub suppressions: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct BookInfo {
    pub path: String,
    pub schema_version: u32,
    pub customers: u32,
}

/// What Settings → About and `loupe about` tell of this Loupe and its book, for support.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct AboutLoupe {
    /// Loupe's version (the workspace's, the package's).
    pub version: String,
    pub book_path: String,
    /// The book's file and its write-ahead log beside it (`-wal`), which holds the latest writes
    /// until SQLite folds them in: together, the room the book takes.
    #[ts(type = "number")]
    pub book_bytes: u64,
    #[ts(type = "number")]
    pub wal_bytes: u64,
    /// How many migrations the book is at.
    pub schema_version: u32,
    /// How many this Loupe knows: the book is at it once opened.
    pub latest_schema_version: u32,
}

text_enum!(PaymentMethod {
    Cash => "cash",
    Card => "card",
    BankTransfer => "bank_transfer",
    TradeIn => "trade_in",
    Other => "other",
});
text_enum!(SaleChannel {
    InStore => "in_store",
    Phone => "phone",
    Online => "online",
    Fair => "fair",
    Other => "other",
});
text_enum!(ItemCategory {
    Watch => "watch",
    Ring => "ring",
    Necklace => "necklace",
    Bracelet => "bracelet",
    Earrings => "earrings",
    Pendant => "pendant",
    Other => "other",
});
text_enum!(ItemCondition { New => "new", PreOwned => "pre_owned", Vintage => "vintage" });

/// One piece sold. Reference and serial numbers are kept exactly as typed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct PurchaseItem {
    pub category: ItemCategory,
    pub brand: String,
    pub model: String,
    /// The maker's model code ("116500LN"), as typed.
    pub reference_number: String,
    /// The individual piece, as typed.
    pub serial_number: String,
    pub material: String,
    pub condition: ItemCondition,
    /// The dealer's own grade ("A", "very good"), beside the condition.
    pub condition_grade: String,
    pub has_box: bool,
    pub has_papers: bool,
    pub description: String,
    #[ts(type = "string")]
    pub price: Decimal,
    /// Taken off `price`: the item comes to price − discount.
    #[ts(type = "string")]
    pub discount: Decimal,
    /// Set when `discount` is the customer's member discount (the receipt says "Silver member
    /// −15 %").
    #[serde(default)]
    #[ts(optional = nullable)]
    pub member_discount: Option<MemberDiscount>,
}

impl PurchaseItem {
    /// An item with only what a quick entry gives: a watch, new, at `price`.
    pub fn priced(price: Decimal) -> Self {
        PurchaseItem {
            category: ItemCategory::Watch,
            brand: String::new(),
            model: String::new(),
            reference_number: String::new(),
            serial_number: String::new(),
            material: String::new(),
            condition: ItemCondition::New,
            condition_grade: String::new(),
            has_box: false,
            has_papers: false,
            description: String::new(),
            price,
            discount: Decimal::ZERO,
            member_discount: None,
        }
    }

    pub fn amount(&self) -> Decimal {
        self.price - self.discount
    }
}

/// One payment towards a sale: a deposit, the balance at collection, or one part of a split
/// payment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct SalePayment {
    /// `trade_in` is only the label of sales recorded before trade-ins were pieces of their own.
    pub method: PaymentMethod,
    #[ts(type = "string")]
    pub amount: Decimal,
    #[ts(type = "string")]
    pub paid_on: chrono::NaiveDate,
}

/// A piece the customer hands in as part of the payment; `allowance` is the value allowed
/// for it, which counts towards what was paid.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct TradeIn {
    pub category: ItemCategory,
    pub brand: String,
    pub model: String,
    /// As typed, like a sold piece's.
    pub reference_number: String,
    /// As typed: the search finds the customer by it.
    pub serial_number: String,
    pub condition: ItemCondition,
    pub condition_grade: String,
    pub description: String,
    #[ts(type = "string")]
    pub allowance: Decimal,
}

/// A sale as the dealer records it: the input of add and update.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct PurchaseDraft {
    #[ts(type = "string")]
    pub purchased_on: chrono::NaiveDate,
    /// ISO 4217; empty means the book's currency.
    pub currency: String,
    pub channel: SaleChannel,
    pub salesperson: String,
    pub notes: String,
    pub items: Vec<PurchaseItem>,
    /// Money received, in the order taken. With the trade-ins' allowances it never comes to
    /// more than the total; a collected sale is paid in full.
    #[serde(default)]
    pub payments: Vec<SalePayment>,
    #[serde(default)]
    pub trade_ins: Vec<TradeIn>,
    /// The day the customer took the piece; None while it awaits collection (a deposit taken).
    #[serde(default)]
    #[ts(type = "string | null")]
    pub collected_on: Option<chrono::NaiveDate>,
    /// Points the customer redeemed as a discount on the whole sale.
    #[serde(default)]
    #[ts(optional = nullable)]
    pub redemption: Option<PointsRedemption>,
}

impl PurchaseDraft {
    /// What the items come to, before points redeemed.
    pub fn items_total(&self) -> Decimal {
        self.items.iter().map(PurchaseItem::amount).sum()
    }

    /// What the customer pays: the items less the points redeemed.
    pub fn total(&self) -> Decimal {
        self.items_total() - self.redemption.as_ref().map_or(Decimal::ZERO, |redeemed| redeemed.value)
    }

    /// The payments and the trade-ins' allowances added up.
    pub fn paid(&self) -> Decimal {
        self.payments.iter().map(|payment| payment.amount).sum::<Decimal>()
            + self.trade_ins.iter().map(|trade_in| trade_in.allowance).sum::<Decimal>()
    }

    /// The draft paid in full on the sale's day by one `method` (what the trade-ins leave),
    /// and collected that day: a sale made and paid at the counter.
    pub fn paid_in_full(mut self, method: PaymentMethod) -> Self {
        let due = self.total() - self.paid();
        if due > Decimal::ZERO {
            self.payments.push(SalePayment { method, amount: due, paid_on: self.purchased_on });
        }
        self.collected_on = Some(self.purchased_on);
        self
    }
}

/// A sale awaiting collection, collected: the day, and the payments taken then (the balance).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct SaleCollection {
    #[ts(type = "string")]
    pub collected_on: chrono::NaiveDate,
    #[serde(default)]
    pub payments: Vec<SalePayment>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Purchase {
    #[ts(type = "number")]
    pub id: i64,
    #[ts(type = "number")]
    pub customer_id: i64,
    #[serde(flatten)]
    pub sale: PurchaseDraft,
    /// The items' amounts added up, exactly.
    #[ts(type = "string")]
    pub total: Decimal,
    /// The payments and the trade-ins' allowances.
    #[ts(type = "string")]
    pub paid: Decimal,
    /// Total − paid: what the customer still owes.
    #[ts(type = "string")]
    pub balance_due: Decimal,
    /// Points the sale earned (0 with the programme off or a currency without a rate).
    #[ts(type = "number")]
    pub points_earned: i64,
    #[ts(type = "string")]
    pub created_at: DateTime<Utc>,
    #[ts(type = "string")]
    pub updated_at: DateTime<Utc>,
}

/// What a customer has spent in one currency, computed exactly from their purchases.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct SpendSummary {
    pub currency: String,
    #[ts(type = "string")]
    pub lifetime_spend: Decimal,
    pub purchases: u32,
    /// Lifetime spend / purchases, rounded to the cent (banker's rounding).
    #[ts(type = "string")]
    pub average_order: Decimal,
    #[ts(type = "string")]
    pub first_purchase: chrono::NaiveDate,
    #[ts(type = "string")]
    pub last_purchase: chrono::NaiveDate,
}

/// A customer's totals: one summary per currency paid in (the book's first), and the brands
/// and categories they buy most, by number of pieces.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, TS)]
pub struct CustomerTotals {
    pub by_currency: Vec<SpendSummary>,
    pub favourite_brands: Vec<String>,
    pub favourite_categories: Vec<ItemCategory>,
}

text_enum!(NoteCategory {
    PersonalInterest => "personal_interest",
    Occasion => "occasion",
    RelationshipHistory => "relationship_history",
    SpecialRequirement => "special_requirement",
    Internal => "internal",
});
text_enum!(InteractionKind {
    Call => "call",
    Email => "email",
    Meeting => "meeting",
    ShopVisit => "shop_visit",
    Message => "message",
    Event => "event",
});
text_enum!(Direction { Inbound => "inbound", Outbound => "outbound" });
text_enum!(
    /// What the customer answered to a contact, recorded by hand. Replied, visited and bought
    /// answer the campaign the contact names; unsubscribed is counted apart (insights.rs).
    InteractionResponse {
        Replied => "replied",
        Visited => "visited",
        Bought => "bought",
        Unsubscribed => "unsubscribed",
    }
);
text_enum!(
    /// Open, sourcing and offered are still open; won and lost close the wish.
    WishStatus { Open => "open", Sourcing => "sourcing", Offered => "offered", Won => "won", Lost => "lost" }
);

impl WishStatus {
    pub fn is_open(self) -> bool {
        matches!(self, WishStatus::Open | WishStatus::Sourcing | WishStatus::Offered)
    }
}

/// A relationship note: what the dealer knows about the person.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct NoteDraft {
    pub category: NoteCategory,
    pub body: String,
    /// Pinned notes stay at the top of the customer page.
    pub pinned: bool,
    #[ts(type = "string")]
    pub noted_on: chrono::NaiveDate,
}

/// A call, email, meeting, visit, message or event, either way.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct InteractionDraft {
    pub kind: InteractionKind,
    pub direction: Direction,
    #[ts(type = "string")]
    pub occurred_on: chrono::NaiveDate,
    pub summary: String,
    /// What came of it: the customer's answer or the next step.
    pub outcome: String,
    /// The mailing or event this belongs to, if any.
    pub campaign: String,
    /// What the customer answered, when the dealer recorded it.
    pub response: Option<InteractionResponse>,
}

/// What a customer is looking for, so that a piece arriving can be matched to them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct WishDraft {
    pub brand: String,
    pub model: String,
    pub reference_number: String,
    #[ts(type = "string | null")]
    pub budget_min: Option<Decimal>,
    #[ts(type = "string | null")]
    pub budget_max: Option<Decimal>,
    /// ISO 4217 of the budget; empty means the book's currency.
    pub currency: String,
    pub notes: String,
    pub status: WishStatus,
    #[ts(type = "string")]
    pub requested_on: chrono::NaiveDate,
    /// When it was won or lost; filled with today when a wish closes without one.
    #[ts(type = "string | null")]
    pub closed_on: Option<chrono::NaiveDate>,
}

/// A 1 to 5 satisfaction score.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct SatisfactionDraft {
    pub score: u8,
    #[ts(type = "string")]
    pub scored_on: chrono::NaiveDate,
    pub comment: String,
}

/// A stored timeline entry: its draft plus what the store owns.
macro_rules! stored_entry {
    ($name:ident($draft:ident)) => {
        #[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
        pub struct $name {
            #[ts(type = "number")]
            pub id: i64,
            #[ts(type = "number")]
            pub customer_id: i64,
            #[serde(flatten)]
            pub entry: $draft,
            #[ts(type = "string")]
            pub created_at: DateTime<Utc>,
            #[ts(type = "string")]
            pub updated_at: DateTime<Utc>,
        }

        impl $name {
            pub(crate) fn from_stamp(stamp: Stamp, entry: $draft) -> Self {
                $name {
                    id: stamp.id,
                    customer_id: stamp.customer_id,
                    entry,
                    created_at: stamp.created_at,
                    updated_at: stamp.updated_at,
                }
            }
        }
    };
}

/// What the store owns of a timeline entry.
pub struct Stamp {
    pub id: i64,
    pub customer_id: i64,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

stored_entry!(Note(NoteDraft));
stored_entry!(Interaction(InteractionDraft));
stored_entry!(Wish(WishDraft));
stored_entry!(SatisfactionScore(SatisfactionDraft));

/// An open wish in the book-wide list, with whose it is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct OpenWish {
    #[serde(flatten)]
    pub wish: Wish,
    pub customer_name: String,
}

/// Everything the customer page shows: the profile, the computed totals and every entry of
/// the timeline, each list newest first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct CustomerStory {
    pub customer: Customer,
    pub totals: CustomerTotals,
    pub purchases: Vec<Purchase>,
    pub notes: Vec<Note>,
    pub interactions: Vec<Interaction>,
    pub wishes: Vec<Wish>,
    pub satisfaction: Vec<SatisfactionScore>,
    /// Records merged into this customer, newest first (undone ones too).
    pub merges: Vec<crate::merge::MergeRecord>,
    pub standing: Standing,
    /// Moves of their segment and value class, newest first.
    pub standing_changes: Vec<StandingChange>,
    /// None while the programme is off.
    pub membership: Option<Membership>,
    /// Rises and falls of their tier, newest first.
    pub tier_changes: Vec<TierChange>,
    /// Their points ledger, newest first.
    pub points: Vec<PointsEntry>,
    /// Their open reminders, soonest first.
    pub reminders: Vec<Reminder>,
}

text_enum!(EntryKind {
    Purchase => "purchase",
    Note => "note",
    Interaction => "interaction",
    Wish => "wish",
    Satisfaction => "satisfaction",
});

/// Any entry of the customer page's timeline, as the window adds or edits it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(tag = "kind", content = "draft", rename_all = "snake_case")]
pub enum EntryDraft {
    Purchase(PurchaseDraft),
    Note(NoteDraft),
    Interaction(InteractionDraft),
    Wish(WishDraft),
    Satisfaction(SatisfactionDraft),
}

text_enum!(
    /// The channels a mailing list goes out on; each needs its own opt-in.
    MailingChannel { Email => "email", Sms => "sms", Post => "post" }
);

impl MailingChannel {
    /// The consent that allows this channel.
    pub fn consent_channel(self) -> Channel {
        match self {
            MailingChannel::Email => Channel::Email,
            MailingChannel::Sms => Channel::Sms,
            MailingChannel::Post => Channel::Post,
        }
    }
}

text_enum!(
    /// Generic: names, address, language, type and tags. Mailchimp: the columns its contact
    /// importer maps by itself ("Email Address", "First Name", "Last Name", "Tags").
    MailingFormat { Generic => "generic", Mailchimp => "mailchimp" }
);

/// Who goes on a mailing list: an audience and a channel. Every part of the audience left
/// empty selects everyone; only people who opted in to the channel and have an address for it
/// are ever written.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct MailingFilter {
    pub channel: MailingChannel,
    #[serde(default)]
    pub audience: CustomerFilter,
}

/// How the file is written.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct MailingFileOptions {
    pub format: MailingFormat,
    /// For a spreadsheet: UTF-8 with a byte order mark, CRLF, and formula-like cells made
    /// inert, so that Excel opens it correctly in any locale and runs nothing.
    pub spreadsheet: bool,
    /// "," or ";" (what Excel expects where the decimal separator is a comma).
    pub delimiter: String,
}

impl Default for MailingFileOptions {
    fn default() -> Self {
        MailingFileOptions { format: MailingFormat::Generic, spreadsheet: false, delimiter: ",".into() }
    }
}

/// One person on the list, as written.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct MailingRow {
    pub salutation: String,
    pub first_name: String,
    pub last_name: String,
    pub full_name: String,
    /// The email address, the phone number (E.164 where known) or the postal address
    /// (lines separated by newlines).
    pub address: String,
    /// The postal address's parts, for mail merges that lay out envelopes; empty on the
    /// email and SMS channels.
    pub street: String,
    pub city: String,
    pub region: String,
    pub postal_code: String,
    pub country: String,
    pub language: String,
    pub customer_type: CustomerType,
    pub tags: Vec<String>,
}

/// What a list would hold, before anything is written.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct MailingPreview {
    /// People the filters select.
    pub matching: u32,
    /// People who will be written: opted in, with an address for the channel.
    pub rows: u32,
    /// Selected but never asked (no answer recorded for the channel): left out.
    pub excluded_unknown: u32,
    /// Selected but said no to the channel: left out.
    pub excluded_opted_out: u32,
    /// Both of the above.
    pub excluded_no_consent: u32,
    /// Opted in but without an email, phone or postal address for the channel: left out.
    pub excluded_no_address: u32,
    /// The first people of the list, as they will be written.
    pub sample: Vec<MailingRow>,
}

/// A list that was written.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct MailingExport {
    pub file: String,
    pub rows: u32,
    pub excluded_no_consent: u32,
    pub excluded_no_address: u32,
    /// The campaign the list was recorded as, when it was.
    pub campaign: Option<CampaignContacts>,
}

/// A mailing list recorded as a campaign: the contacts added to the customers written.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct CampaignContacts {
    /// The campaign's name as the book holds it (one found keeps its own spelling).
    pub campaign: String,
    /// The campaign was new: created with today's date and no cost.
    pub created: bool,
    /// Customers given a contact naming the campaign, today.
    pub recorded: u32,
    /// Customers who already had a contact of the campaign today (the list was recorded
    /// before): none added.
    pub already_recorded: u32,
}

/// The sheet address labels are printed on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
pub enum LabelLayout {
    /// A4, Avery L7160: 21 labels of 63.5 × 38.1 mm, 3 across and 7 down.
    #[serde(rename = "l7160")]
    L7160,
    /// US Letter, Avery 5160: 30 labels of 2.625 × 1 in, 3 across and 10 down.
    #[serde(rename = "5160")]
    Avery5160,
    /// One DL envelope (220 × 110 mm) per address.
    #[serde(rename = "envelope")]
    Envelope,
}

impl LabelLayout {
    pub const ALL: &'static [LabelLayout] =
        &[LabelLayout::L7160, LabelLayout::Avery5160, LabelLayout::Envelope];

    /// The name on the command line and in the window.
    pub fn as_str(self) -> &'static str {
        match self {
            LabelLayout::L7160 => "l7160",
            LabelLayout::Avery5160 => "5160",
            LabelLayout::Envelope => "envelope",
        }
    }
}

impl std::str::FromStr for LabelLayout {
    type Err = String;
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let text = text.trim().to_ascii_lowercase();
        LabelLayout::ALL
            .iter()
            .copied()
            .find(|layout| layout.as_str() == text)
            .ok_or_else(|| format!("'{text}' is not one of: l7160, 5160, envelope"))
    }
}

/// A sheet of address labels that was written.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct LabelsExport {
    pub file: String,
    /// Addresses printed: the rows of the same mailing list as a CSV.
    pub labels: u32,
    pub pages: u32,
    pub excluded_no_consent: u32,
    pub excluded_no_address: u32,
}

text_enum!(
    /// The language a receipt or a customer's card is printed in.
    PrintLanguage { En => "en", Zh => "zh" }
);

impl PrintLanguage {
    /// Chinese for a customer whose language is Chinese ("zh", "zh-Hans", "zh-TW"), else
    /// English.
    pub fn of_customer(language: &str) -> PrintLanguage {
        let primary = language.trim().split(['-', '_']).next().unwrap_or_default();
        if primary.eq_ignore_ascii_case("zh") { PrintLanguage::Zh } else { PrintLanguage::En }
    }
}

/// How far a long job has come, in its own units (rows, pages, bytes).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct JobProgress {
    #[ts(type = "number")]
    pub done: u64,
    #[ts(type = "number")]
    pub total: u64,
}

// ---------------------------------------------------------------------------------------------
// Standing: where each customer stands (computed from the book, never typed), and the one
// audience filter every screen that selects customers uses.

text_enum!(
    /// Exactly one per customer, by the standing rules checked in this order: prospect, lapsed,
    /// at risk, VIP, new, regular (seed 000).
    Segment {
        Prospect => "prospect",
        Lapsed => "lapsed",
        AtRisk => "at_risk",
        Vip => "vip",
        New => "new",
        Regular => "regular",
    }
);
text_enum!(
    /// Seed 003's value classification over the window's spend: the customers who make the
    /// first half of it are key, up to four fifths main, the rest ordinary.
    ValueClass { Key => "key", Main => "main", Ordinary => "ordinary" }
);
text_enum!(
    /// How the RFM scores are found: the dealer's fixed bands, or quintiles of the book's
    /// buyers (used only from `QUINTILES_MIN_BUYERS` buyers; bands below that).
    RfmMethod { Bands => "bands", Quintiles => "quintiles" }
);
text_enum!(
    /// The usual named RFM groups, checked in this order (first match wins).
    RfmGroup {
        Champions => "champions",
        Loyal => "loyal",
        CantLoseThem => "cant_lose_them",
        PotentialLoyalist => "potential_loyalist",
        Recent => "recent",
        Promising => "promising",
        NeedAttention => "need_attention",
        AboutToSleep => "about_to_sleep",
        Hibernating => "hibernating",
        Lost => "lost",
    }
);

/// Quintile RFM scores need this many buyers to mean anything; fewer use the bands.
pub const QUINTILES_MIN_BUYERS: u32 = 500;

/// Recency, frequency and monetary scores, each 1 (weakest) to 5, shown as "545".
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
pub struct Rfm {
    pub r: u8,
    pub f: u8,
    pub m: u8,
}

/// What a customer buys most, from their purchases (beside what they said they like, in
/// `Preferences`).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, TS)]
pub struct BoughtMost {
    pub category: Option<ItemCategory>,
    pub material: Option<String>,
    pub brand: Option<String>,
}

/// Why a computed value is what it is, as data: the window words it in its language, the CLI
/// in English (`Display`). Amounts are in the book's currency.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum StandingReason {
    /// Prospect: nothing bought yet.
    NeverBought,
    /// Lapsed or at risk: the last purchase is older than `months` months.
    NoPurchaseFor {
        segment: Segment,
        #[ts(type = "string")]
        last_purchase: chrono::NaiveDate,
        months: u32,
    },
    /// At risk: a satisfaction score at or below `max_score` within the last `months` months.
    LowSatisfaction {
        score: u8,
        #[ts(type = "string")]
        scored_on: chrono::NaiveDate,
        max_score: u8,
        months: u32,
    },
    /// VIP by spend in the last `months` months.
    SpentAtLeast {
        #[ts(type = "string")]
        spent: Decimal,
        #[ts(type = "string")]
        threshold: Decimal,
        months: u32,
    },
    /// VIP by the number of purchases in the last `months` months.
    BoughtAtLeast { purchases: u32, threshold: u32, months: u32 },
    /// New: the first purchase is within the last `days` days.
    FirstPurchaseWithin {
        #[ts(type = "string")]
        first_purchase: chrono::NaiveDate,
        days: u32,
    },
    /// Regular: bought, and none of the rules before applies.
    Regular {
        #[ts(type = "string")]
        last_purchase: chrono::NaiveDate,
        #[ts(type = "string")]
        spent: Decimal,
        purchases: u32,
        months: u32,
    },
    /// The value class: the customer's spend in the window, and the share of the window's
    /// total spent by everyone ranked before them (key below `key_percent`, main below
    /// `main_percent`).
    ValueShare {
        class: ValueClass,
        #[ts(type = "string")]
        spent: Decimal,
        months: u32,
        share_before_percent: u32,
        key_percent: u32,
        main_percent: u32,
    },
    /// Ordinary: bought before, but nothing in the window.
    NothingInWindow { months: u32 },
    /// The RFM scores from what they are made of.
    RfmScores {
        rfm: Rfm,
        method: RfmMethod,
        months_since_last: u32,
        purchases: u32,
        #[ts(type = "string")]
        spent: Decimal,
    },
}

/// Where one customer stands today.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Standing {
    pub segment: Segment,
    /// None for prospects.
    pub value_class: Option<ValueClass>,
    /// None for prospects.
    pub rfm: Option<Rfm>,
    pub rfm_group: Option<RfmGroup>,
    /// Typed on the profile (seed 004); shown as 0, 3, 4 or 5 stars.
    pub influence: Influence,
    pub bought_most: BoughtMost,
    /// The segment's reason first, then the value class's, then the RFM scores'.
    pub reasons: Vec<StandingReason>,
    #[ts(type = "string")]
    pub evaluated_on: chrono::NaiveDate,
}

/// A move of a customer's segment or value class, recorded on the day it was seen.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum StandingMove {
    Segment { from: Option<Segment>, to: Segment },
    ValueClass { from: Option<ValueClass>, to: Option<ValueClass> },
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct StandingChange {
    #[ts(type = "number")]
    pub id: i64,
    #[ts(type = "number")]
    pub customer_id: i64,
    #[ts(type = "string")]
    pub changed_on: chrono::NaiveDate,
    pub change: StandingMove,
}

/// The standing rules, every number a setting (Settings → Standing), with seed 000's defaults.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(default)]
pub struct StandingRules {
    /// Lapsed: the last purchase is more than this many calendar months before today.
    pub lapsed_after_months: u32,
    /// At risk: the last purchase is more than this many months before today…
    pub at_risk_after_months: u32,
    /// …or their latest satisfaction score within `low_score_months` is at most this.
    pub low_score_max: u8,
    pub low_score_months: u32,
    /// VIP: at least this spend, or at least this many purchases, in the last `vip_months`.
    #[ts(type = "string")]
    pub vip_min_spend: Decimal,
    pub vip_min_purchases: u32,
    pub vip_months: u32,
    /// New: the first purchase is within this many days.
    pub new_within_days: u32,
    /// Value class: over the last `value_months` months' spend, key while the spend of those
    /// ranked before is below `key_percent` of the total, main below `main_percent`.
    pub value_months: u32,
    pub key_percent: u32,
    pub main_percent: u32,
    pub rfm_method: RfmMethod,
    /// Bands, each four ascending limits between the scores 1–5. Recency: months since the
    /// last purchase, fewer is better (under `[0]` scores 5, under `[1]` 4, …, from `[3]` 1).
    pub recency_months: [u32; 4],
    /// Frequency: purchases, from `[0]` scores 2, from `[1]` 3, … from `[3]` 5.
    pub frequency_purchases: [u32; 4],
    /// Monetary: lifetime spend, from `[0]` scores 2, … from `[3]` 5.
    #[ts(type = "[string, string, string, string]")]
    pub monetary_spend: [Decimal; 4],
}

impl Default for StandingRules {
    fn default() -> Self {
        StandingRules {
            lapsed_after_months: 24,
            at_risk_after_months: 12,
            low_score_max: 2,
            low_score_months: 12,
            vip_min_spend: Decimal::new(20_000, 0),
            vip_min_purchases: 4,
            vip_months: 24,
            new_within_days: 180,
            value_months: 24,
            key_percent: 50,
            main_percent: 80,
            rfm_method: RfmMethod::Bands,
            recency_months: [3, 6, 12, 24],
            frequency_purchases: [2, 3, 5, 8],
            monetary_spend: [
                Decimal::new(2_000, 0),
                Decimal::new(5_000, 0),
                Decimal::new(15_000, 0),
                Decimal::new(40_000, 0),
            ],
        }
    }
}

/// The audience: who a screen selects (the customer list, a mailing list, a saved segment,
/// and later the agenda and insights). Every part left empty selects everyone; the parts in
/// use all apply. Compiled by `audience.rs` into one parameterised WHERE clause.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, TS)]
#[serde(default)]
pub struct CustomerFilter {
    pub customer_type: Option<CustomerType>,
    /// The customer carries every one of these tags (case ignored).
    pub tags: Vec<String>,
    /// A language code; "zh" also selects "zh-Hans" and "zh-CN".
    pub language: Option<String>,
    /// Lifetime spend band in the book's currency, both ends included.
    #[ts(type = "string | null")]
    pub min_spend: Option<Decimal>,
    #[ts(type = "string | null")]
    pub max_spend: Option<Decimal>,
    /// Bought something on or after this date.
    #[ts(type = "string | null")]
    pub bought_since: Option<chrono::NaiveDate>,
    /// Bought something on or before this date; with `bought_since`, something between the two
    /// days, both included (a month's buyers, from Insights).
    #[ts(type = "string | null")]
    pub bought_until: Option<chrono::NaiveDate>,
    /// Bought nothing on or after this date (people who never bought included).
    #[ts(type = "string | null")]
    pub not_bought_since: Option<chrono::NaiveDate>,
    /// Bought a piece of this brand or wished for one (case ignored).
    pub brand: Option<String>,
    /// In any of these segments.
    pub segments: Vec<Segment>,
    /// In any of these value classes.
    pub value_classes: Vec<ValueClass>,
    /// In any of these RFM groups.
    pub rfm_groups: Vec<RfmGroup>,
    /// Each RFM score at least this (1–5).
    pub min_rfm: Option<Rfm>,
    /// Of any of these influences.
    pub influence: Vec<Influence>,
    /// In any of these membership tiers (their keys).
    pub tiers: Vec<String>,
    /// Likes this (case ignored): a brand, material or style they said they like, or the
    /// brand, material or category ("ring", "watch") they bought most.
    pub likes: Option<String>,
    /// Also in this saved segment (its filter applies too).
    #[ts(type = "number | null")]
    pub saved_segment: Option<i64>,
    /// What the dealer typed in the search box: the list holds exactly the customers the
    /// type-ahead counts for it (`Book::count_matches`).
    pub search: Option<String>,
}

/// An audience saved under a name (the `segments` table), usable as a list filter and a
/// mailing-list selection.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct SavedSegment {
    #[ts(type = "number")]
    pub id: i64,
    pub name: String,
    pub filter: CustomerFilter,
    /// Customers it selects now.
    pub count: u32,
    #[ts(type = "string")]
    pub updated_at: DateTime<Utc>,
}

/// How many customers of an audience are in each segment (the list's counts at its top).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct SegmentCount {
    pub segment: Segment,
    pub count: u32,
}

/// What a re-evaluation of the whole book found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct StandingRefresh {
    pub customers: u32,
    /// Segment and value-class moves recorded.
    pub changes: u32,
    /// Tier changes recorded.
    #[serde(default)]
    pub tier_changes: u32,
    /// What the follow-up rules made, moved and removed.
    #[serde(default)]
    pub agenda: AgendaRefresh,
    #[ts(type = "string")]
    pub evaluated_on: chrono::NaiveDate,
}

// ---------------------------------------------------------------------------------------------
// Membership: the shop's loyalty programme (seed 001's tiers with their discounts, seed 000's
// points and referral bonus), computed from the sales by the rules in `BookSettings.membership`.

/// A name in the window's two languages; either may be empty (the other is shown).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, TS)]
pub struct TierName {
    pub en: String,
    pub zh: String,
}

/// One membership tier. `MembershipRules::tiers` lists them lowest first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Tier {
    /// Stable through renames and reorders: what a customer's tier, a recorded change and a
    /// sale's member discount name. Lower-case letters, digits, `-` and `_`.
    pub key: String,
    pub name: TierName,
    /// Qualifies with at least this spend in the book's currency within the window…
    #[ts(type = "string | null")]
    pub min_spend: Option<Decimal>,
    /// …or at least this many purchases within it. At least one of the two is set.
    pub min_purchases: Option<u32>,
    /// The rolling window in months; None counts every purchase ever made.
    pub window_months: Option<u32>,
    /// Taken off each item for a member of this tier (15 for "15 % off").
    #[ts(type = "string")]
    pub discount_percent: Decimal,
    /// What else the tier gives, as the dealer writes it ("free cleaning and care").
    pub benefits: String,
    /// The tier includes the yearly cleaning and check of jewellery (the agenda reminds).
    pub free_care: bool,
}

/// Sales in `currency` count towards tiers and points at `rate` units of the book's currency
/// per unit (1 USD = 0.79 GBP). A currency without a rate is not counted.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct ExchangeRate {
    pub currency: String,
    #[ts(type = "string")]
    pub rate: Decimal,
}

/// The loyalty programme's rules (Settings → Membership), with seed 001's tiers by default.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(default)]
pub struct MembershipRules {
    /// Off: no tier, discount or points shows anywhere, and sales earn no points.
    pub enabled: bool,
    /// Lowest first; a customer holds the highest they qualify for.
    pub tiers: Vec<Tier>,
    /// A tier once reached is kept this many months after the last day the customer qualified
    /// for it; then they step down one tier, kept as long again unless they qualify.
    pub grace_months: u32,
    pub rates: Vec<ExchangeRate>,
    /// Points earned per whole unit of the book's currency paid.
    pub points_per_unit: u32,
    /// Points that make one unit of the book's currency when redeemed on a sale.
    pub points_for_one_unit: u32,
    /// Points expire this many months after they were earned, unless spent first; None keeps
    /// them for ever.
    pub points_expire_months: Option<u32>,
    /// Points the referrer earns when the customer they referred makes a first purchase; 0
    /// gives none.
    pub referral_bonus: u32,
}

impl Default for MembershipRules {
    fn default() -> Self {
        let tier = |key: &str, en: &str, zh: &str| Tier {
            key: key.into(),
            name: TierName { en: en.into(), zh: zh.into() },
            min_spend: None,
            min_purchases: None,
            window_months: Some(12),
            discount_percent: Decimal::ZERO,
            benefits: String::new(),
            free_care: false,
        };
        MembershipRules {
            enabled: true,
            tiers: vec![
                Tier {
                    min_purchases: Some(1),
                    window_months: None,
                    discount_percent: Decimal::new(10, 0),
                    ..tier("member", "Member", "普通会员")
                },
                Tier {
                    min_spend: Some(Decimal::new(20_000, 0)),
                    discount_percent: Decimal::new(15, 0),
                    ..tier("silver", "Silver", "银卡")
                },
                Tier {
                    min_spend: Some(Decimal::new(50_000, 0)),
                    discount_percent: Decimal::new(20, 0),
                    benefits: "Free cleaning and care".into(),
                    free_care: true,
                    ..tier("gold", "Gold", "金卡")
                },
            ],
            grace_months: 12,
            rates: Vec::new(),
            points_per_unit: 1,
            points_for_one_unit: 100,
            points_expire_months: None,
            referral_bonus: 500,
        }
    }
}

/// A tier as a customer, a change or a sale names it: its key and its names when it was
/// recorded (a tier removed since is still named).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct TierLabel {
    pub key: String,
    pub name: TierName,
}

/// The member discount given on an item: the tier it came from and its percentage. The
/// item's `discount` is `price × percent ÷ 100`, to the cent (half to even).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct MemberDiscount {
    pub tier: TierLabel,
    #[ts(type = "string")]
    pub percent: Decimal,
}

/// Points redeemed as a discount on a sale: `value` is `points ÷ points_for_one_unit` in the
/// book's currency, to the cent (rounded down).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct PointsRedemption {
    pub points: u32,
    #[ts(type = "string")]
    pub value: Decimal,
}

/// Why a customer holds their tier, or why it changed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum TierReason {
    /// Qualified: spent `spend` (book's currency) in `purchases` purchases within the tier's
    /// window (None: ever).
    Qualified {
        #[ts(type = "string")]
        spend: Decimal,
        purchases: u32,
        window_months: Option<u32>,
    },
    /// Kept after they last qualified on `last_qualified`, until `keeps_until`.
    Kept {
        #[ts(type = "string")]
        last_qualified: chrono::NaiveDate,
        #[ts(type = "string")]
        keeps_until: chrono::NaiveDate,
    },
    /// Stepped down: the tier above was kept until `kept_until` and not qualified for again.
    GraceEnded {
        #[ts(type = "string")]
        kept_until: chrono::NaiveDate,
    },
    /// A sale was changed or removed, or the rules changed: the tier was read again.
    Corrected,
}

/// A rise or fall of a customer's tier, dated the day it happened by the rules.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct TierChange {
    #[ts(type = "number")]
    pub id: i64,
    #[ts(type = "number")]
    pub customer_id: i64,
    #[ts(type = "string")]
    pub changed_on: chrono::NaiveDate,
    pub from: Option<TierLabel>,
    pub to: Option<TierLabel>,
    /// To a higher tier (or from none): the agenda's "congratulate".
    pub upgrade: bool,
    pub reason: TierReason,
}

/// What the next tier asks: the spend and purchases still missing (one of them is enough),
/// and the day the oldest purchase counted leaves the window (the amounts grow then).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct NextTier {
    pub tier: TierLabel,
    #[ts(type = "string | null")]
    pub spend_needed: Option<Decimal>,
    pub purchases_needed: Option<u32>,
    #[ts(type = "string | null")]
    pub before: Option<chrono::NaiveDate>,
}

/// Sales in a currency without a rate: not counted for tiers or points.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct UncountedSpend {
    pub currency: String,
    pub purchases: u32,
    #[ts(type = "string")]
    pub amount: Decimal,
}

/// A customer's membership today.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Membership {
    /// None: not a member yet.
    pub tier: Option<TierLabel>,
    /// The held tier's discount (0 for none).
    #[ts(type = "string")]
    pub discount_percent: Decimal,
    /// The held tier includes free cleaning and care.
    pub free_care: bool,
    /// The day they reached the tier they hold.
    #[ts(type = "string | null")]
    pub since: Option<chrono::NaiveDate>,
    /// The last day the tier is kept unless they qualify again; None while a window of
    /// "ever" keeps it.
    #[ts(type = "string | null")]
    pub keeps_until: Option<chrono::NaiveDate>,
    pub reason: Option<TierReason>,
    pub next_tier: Option<NextTier>,
    /// Sales in currencies without a rate, which count for nothing (the page says so).
    pub uncounted: Vec<UncountedSpend>,
    #[ts(type = "number")]
    pub points: i64,
    /// Points that expire next and when (with an expiry set).
    #[ts(type = "number | null")]
    pub points_expiring: Option<i64>,
    #[ts(type = "string | null")]
    pub points_expire_on: Option<chrono::NaiveDate>,
    #[ts(type = "string")]
    pub evaluated_on: chrono::NaiveDate,
}

text_enum!(
    /// What moved a customer's points.
    PointsKind {
        Earn => "earn",
        Redeem => "redeem",
        Adjust => "adjust",
        Expire => "expire",
        Referral => "referral",
    }
);

/// One line of a customer's points ledger.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct PointsEntry {
    #[ts(type = "number")]
    pub id: i64,
    #[ts(type = "number")]
    pub customer_id: i64,
    #[ts(type = "string")]
    pub entry_on: chrono::NaiveDate,
    pub kind: PointsKind,
    /// Earned or added (positive), spent, expired or taken off (negative).
    #[ts(type = "number")]
    pub points: i64,
    /// The dealer's reason of an adjustment or a redemption outside a sale.
    pub reason: String,
    /// The sale that earned or redeemed them.
    #[ts(type = "number | null")]
    pub purchase_id: Option<i64>,
    /// A referral bonus: the customer referred, while they are in the book (None once erased).
    #[ts(type = "number | null")]
    pub referred_id: Option<i64>,
    pub referred_name: Option<String>,
    /// The balance after this line (lines in date order).
    #[ts(type = "number")]
    pub balance: i64,
}

/// A customer's points: the balance and every line, newest first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct PointsLedger {
    #[ts(type = "number")]
    pub customer_id: i64,
    #[ts(type = "number")]
    pub balance: i64,
    pub entries: Vec<PointsEntry>,
}

/// Points added or taken off by hand, or redeemed outside a sale.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct PointsDraft {
    /// Signed for an adjustment; a redemption takes this many off.
    #[ts(type = "number")]
    pub points: i64,
    pub reason: String,
}

/// Members in one tier (the overview).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct TierCount {
    pub tier: TierLabel,
    pub count: u32,
}

/// The programme at a glance (the membership overview).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct MembershipOverview {
    pub enabled: bool,
    /// Lowest first, every tier of the rules.
    pub tiers: Vec<TierCount>,
    pub non_members: u32,
    /// Changes dated in the current calendar month.
    pub upgrades_this_month: u32,
    pub downgrades_this_month: u32,
    /// The latest changes, newest first, with whose they are.
    pub recent_changes: Vec<NamedTierChange>,
    /// Every positive balance added up: what the shop owes in points…
    #[ts(type = "number")]
    pub points_outstanding: i64,
    /// …and what they are worth when redeemed, in the book's currency.
    #[ts(type = "string")]
    pub points_liability: Decimal,
    #[ts(type = "string")]
    pub evaluated_on: chrono::NaiveDate,
}

/// A tier change with the customer's name (the overview).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct NamedTierChange {
    #[serde(flatten)]
    pub change: TierChange,
    pub customer_name: String,
}

// ---------------------------------------------------------------------------------------------
// The follow-up agenda: reminders made by the rules of `BookSettings.follow_up` or typed by the
// dealer, and the pieces that arrive with the customers they suit.

text_enum!(
    /// What a reminder is for. Rule-made: after a sale (`follow_up`, `check_in`), a birthday or
    /// anniversary, a key customer's periodic visit, an at-risk customer's re-engagement, a
    /// watch's service or a member's yearly jewellery care, a tier upgrade, the quarter's
    /// give-back. Typed: `arrival` ("tell them" about a piece that came in) and `manual`.
    ReminderKind {
        FollowUp => "follow_up",
        CheckIn => "check_in",
        Birthday => "birthday",
        Anniversary => "anniversary",
        KeyVisit => "key_visit",
        ReEngagement => "re_engagement",
        Service => "service",
        Care => "care",
        TierChange => "tier_change",
        GiveBack => "give_back",
        Arrival => "arrival",
        Manual => "manual",
    }
);
text_enum!(ReminderState { Open => "open", Done => "done", Dismissed => "dismissed" });
text_enum!(RepeatUnit { Days => "days", Weeks => "weeks", Months => "months", Years => "years" });
text_enum!(
    /// 29 February in a year without one: the day before (the default) or the day after.
    LeapDayRule { February28 => "february28", March1 => "march1" }
);
text_enum!(
    /// The customer's answer for the channel a reminder suggests: `not_needed` for a visit in
    /// person, which asks no consent.
    ChannelConsent {
        OptedIn => "opted_in",
        OptedOut => "opted_out",
        Unknown => "unknown",
        NotNeeded => "not_needed",
    }
);
text_enum!(
    /// Where a reminder falls on the agenda: before today, today, within the next six days,
    /// or later (only when asked for more days ahead). The quarter's give-back is apart.
    AgendaSection { Overdue => "overdue", Today => "today", Week => "week", Later => "later", Quarter => "quarter" }
);

/// A manual reminder comes back this long after its due day once done or dismissed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Repeat {
    pub every: u32,
    pub unit: RepeatUnit,
}

/// A watch brand's recommended service interval (Settings → Follow-up).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct ServiceInterval {
    pub brand: String,
    pub years: u32,
}

/// The rules that make reminders by themselves (Settings → Follow-up); each can be switched
/// off. Days and years count from the cause (the sale, the last contact).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(default)]
pub struct FollowUpRules {
    /// A follow-up this many days after each sale (seed 001: within a week).
    pub after_sale: bool,
    pub after_sale_days: u32,
    /// A second check-in this many days after a sale whose total reaches `check_in_min_total`
    /// in the book's currency.
    pub check_in: bool,
    pub check_in_days: u32,
    #[ts(type = "string")]
    pub check_in_min_total: Decimal,
    pub birthdays: bool,
    pub anniversaries: bool,
    pub leap_day: LeapDayRule,
    /// VIP and key customers: a visit or call this many days after the last contact or sale.
    pub key_visits: bool,
    pub key_visit_days: u32,
    /// A re-engagement when a customer becomes at risk, once per move.
    pub re_engagement: bool,
    /// A service reminder for every watch sold (an item with a brand), at the brand's interval.
    pub service: bool,
    pub service_years: u32,
    pub service_brands: Vec<ServiceInterval>,
    /// The yearly cleaning and check of jewellery, for members whose tier includes it.
    pub care: bool,
    /// Congratulations on a tier upgrade.
    pub tier_upgrades: bool,
    /// Each quarter, the VIP and key customers not yet thanked in it (seed 004).
    pub give_back: bool,
}

impl Default for FollowUpRules {
    fn default() -> Self {
        let brand = |brand: &str, years| ServiceInterval { brand: brand.into(), years };
        FollowUpRules {
            after_sale: true,
            after_sale_days: 7,
            check_in: true,
            check_in_days: 90,
            check_in_min_total: Decimal::from(5000),
            birthdays: true,
            anniversaries: true,
            leap_day: LeapDayRule::February28,
            key_visits: true,
            key_visit_days: 60,
            re_engagement: true,
            service: true,
            service_years: 5,
            service_brands: vec![brand("Rolex", 10), brand("Tudor", 10), brand("Omega", 8)],
            care: true,
            tier_upgrades: true,
            give_back: true,
        }
    }
}

/// A piece as a reminder names it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct PieceLabel {
    pub category: ItemCategory,
    pub brand: String,
    pub model: String,
}

/// Why a reminder is there: what the window and the CLI word in their language.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum ReminderReason {
    /// A sale's follow-up or check-in: the sale's day and what was bought.
    Sale {
        #[ts(type = "string")]
        purchased_on: chrono::NaiveDate,
        pieces: Vec<PieceLabel>,
        #[ts(type = "string")]
        total: Decimal,
        currency: String,
    },
    /// A watch's service, `years` after it was sold.
    Service {
        #[ts(type = "string")]
        purchased_on: chrono::NaiveDate,
        piece: PieceLabel,
        years: u32,
    },
    /// The yearly care the member's tier includes; `since` is the jewellery sale it counts from.
    Care {
        tier: TierLabel,
        #[ts(type = "string")]
        since: chrono::NaiveDate,
    },
    /// `age` when the year of birth is known.
    Birthday {
        age: Option<u32>,
    },
    /// `years` when the first year is known.
    Anniversary {
        label: String,
        years: Option<u32>,
    },
    /// Last seen or heard of on `last_contact` (a contact or a sale; None: never since they were
    /// added on `since`).
    KeyVisit {
        #[ts(type = "string | null")]
        last_contact: Option<chrono::NaiveDate>,
        #[ts(type = "string")]
        since: chrono::NaiveDate,
        every_days: u32,
    },
    /// Became at risk on `since`.
    ReEngagement {
        #[ts(type = "string")]
        since: chrono::NaiveDate,
        #[ts(type = "string | null")]
        last_purchase: Option<chrono::NaiveDate>,
    },
    TierUpgrade {
        from: Option<TierLabel>,
        to: TierLabel,
    },
    /// The quarter, as "2026-Q4".
    GiveBack {
        quarter: String,
    },
    /// A piece that came in and why it suits them.
    Arrival {
        piece: PieceLabel,
        reasons: Vec<ArrivalReason>,
    },
    Manual,
}

/// A reminder as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Reminder {
    #[ts(type = "number")]
    pub id: i64,
    #[ts(type = "number")]
    pub customer_id: i64,
    pub kind: ReminderKind,
    #[ts(type = "string")]
    pub due_on: chrono::NaiveDate,
    /// Shown on this day instead, when snoozed.
    #[ts(type = "string | null")]
    pub snoozed_until: Option<chrono::NaiveDate>,
    /// A birthday's or the quarter's reminder goes by itself after this day.
    #[ts(type = "string | null")]
    pub expires_on: Option<chrono::NaiveDate>,
    /// As typed (manual and arrival reminders); empty for a rule's, which the reason words.
    pub title: String,
    pub notes: String,
    pub reason: ReminderReason,
    pub repeat: Option<Repeat>,
    /// Made by a rule (never typed): it goes when its cause goes.
    pub rule_made: bool,
    pub state: ReminderState,
    #[ts(type = "string | null")]
    pub closed_at: Option<DateTime<Utc>>,
    /// The contact recorded when it was done.
    #[ts(type = "number | null")]
    pub interaction_id: Option<i64>,
    #[ts(type = "number | null")]
    pub purchase_id: Option<i64>,
    #[ts(type = "number | null")]
    pub arrival_id: Option<i64>,
    #[ts(type = "string")]
    pub created_at: DateTime<Utc>,
}

impl Reminder {
    /// The day it shows on the agenda.
    pub fn shown_on(&self) -> chrono::NaiveDate {
        self.snoozed_until.unwrap_or(self.due_on)
    }
}

/// A reminder the dealer types (or edits) for a customer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct ReminderDraft {
    #[ts(type = "string")]
    pub due_on: chrono::NaiveDate,
    pub title: String,
    pub notes: String,
    #[ts(optional = nullable)]
    pub repeat: Option<Repeat>,
}

/// What the dealer says of a reminder done: how they got in touch and what came of it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct ReminderDone {
    pub channel: ContactMethod,
    /// The contact's summary on the timeline, in the window's language (the CLI's: English).
    pub summary: String,
    /// "Loves it", "follow up in writing"…
    pub outcome: String,
}

/// Shows a reminder again on `until` (after today).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct ReminderSnooze {
    #[ts(type = "string")]
    pub until: chrono::NaiveDate,
}

/// A reminder done: the contact recorded on the customer's timeline and, for one that
/// repeats, the next.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct ReminderClosed {
    pub reminder: Reminder,
    #[ts(type = "number | null")]
    pub interaction_id: Option<i64>,
    pub next: Option<Reminder>,
}

/// One line of the agenda: the reminder, whose it is, and how to reach them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct AgendaItem {
    pub reminder: Reminder,
    pub section: AgendaSection,
    pub customer_name: String,
    pub segment: Option<Segment>,
    pub value_class: Option<ValueClass>,
    pub tier: Option<TierLabel>,
    /// The last contact or sale.
    #[ts(type = "string | null")]
    pub last_contact: Option<chrono::NaiveDate>,
    /// The channel suggested: the customer's preferred one, else the first they can be
    /// reached on (phone, email, post, in person).
    pub channel: ContactMethod,
    pub consent: ChannelConsent,
    /// When the suggested channel was refused (seed 000's do-not-call): the others that are
    /// not, in the same order.
    pub alternatives: Vec<ContactMethod>,
}

/// The agenda: open reminders shown up to `until`, in order of their day.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Agenda {
    #[ts(type = "string")]
    pub today: chrono::NaiveDate,
    #[ts(type = "string")]
    pub until: chrono::NaiveDate,
    pub items: Vec<AgendaItem>,
    pub counts: AgendaCounts,
    /// More reminders are due than `items` holds (the counts are whole).
    pub truncated: bool,
}

/// How many open reminders are in each part of the agenda (the navigation's badge).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, TS)]
pub struct AgendaCounts {
    pub overdue: u32,
    pub today: u32,
    pub week: u32,
    pub later: u32,
    /// VIP and key customers not yet thanked this quarter.
    pub quarter: u32,
}

/// What the day's rules (or one customer's) changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, TS)]
pub struct AgendaRefresh {
    pub created: u32,
    pub updated: u32,
    pub removed: u32,
    pub expired: u32,
}

/// A piece that came into the shop.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct ArrivalDraft {
    #[ts(type = "string")]
    pub arrived_on: chrono::NaiveDate,
    pub category: Option<ItemCategory>,
    pub brand: String,
    pub model: String,
    pub reference_number: String,
    pub material: String,
    #[ts(type = "string | null")]
    pub price: Option<Decimal>,
    /// ISO 4217; empty means the book's currency.
    pub currency: String,
    pub notes: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Arrival {
    #[ts(type = "number")]
    pub id: i64,
    #[serde(flatten)]
    pub piece: ArrivalDraft,
    /// Customers told about it ("tell them" reminders made).
    pub told: u32,
    #[ts(type = "string")]
    pub created_at: DateTime<Utc>,
}

/// Why a piece suits a customer, strongest first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum ArrivalReason {
    /// An open wish for it: the same reference (`reference`), else the same brand and model
    /// or brand; `within_budget` when the price is known to fit (None: no budget or no price
    /// in the wish's currency to compare).
    Wish {
        #[ts(type = "number")]
        wish_id: i64,
        brand: String,
        model: String,
        reference_number: String,
        reference: bool,
        within_budget: Option<bool>,
    },
    BoughtBrand {
        brand: String,
        count: u32,
    },
    PrefersBrand {
        brand: String,
    },
    BoughtCategory {
        category: ItemCategory,
        count: u32,
    },
    PrefersMaterial {
        material: String,
    },
    BoughtMaterial {
        material: String,
        count: u32,
    },
}

/// A customer an arrival suits, with every reason, ranked by `score`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct ArrivalMatch {
    #[ts(type = "number")]
    pub customer_id: i64,
    pub customer_name: String,
    pub score: u32,
    pub reasons: Vec<ArrivalReason>,
    /// The best wish it answers, to close from there.
    #[ts(type = "number | null")]
    pub wish_id: Option<i64>,
    /// A "tell them" reminder is already made for them.
    pub told: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct ArrivalMatches {
    pub arrival: Arrival,
    pub matches: Vec<ArrivalMatch>,
}

// ---------------------------------------------------------------------------------------------
// Insights: seed 000's and 004's numbers over a period, narrowed by an audience, and what
// marketing costs (campaigns and other expenses, seed 002).

/// A period of days, both ends included, and who is counted in it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct InsightsQuery {
    #[ts(type = "string")]
    pub from: chrono::NaiveDate,
    #[ts(type = "string")]
    pub to: chrono::NaiveDate,
    pub filter: CustomerFilter,
}

/// Sales in a currency other than the book's, listed apart (never added to the revenue).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct CurrencyTotal {
    pub currency: String,
    #[ts(type = "string")]
    pub revenue: Decimal,
    pub purchases: u32,
}

/// The numbers of one period. Money in the book's currency, from its sales in that currency;
/// rates and shares as exact percentages (rounded for display only); None where a number has
/// nothing to rest on (no purchases, no buyers before, no scores).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct PeriodFigures {
    #[ts(type = "string")]
    pub from: chrono::NaiveDate,
    #[ts(type = "string")]
    pub to: chrono::NaiveDate,
    /// What customers paid for sales dated in the period.
    #[ts(type = "string")]
    pub revenue: Decimal,
    pub purchases: u32,
    /// Distinct customers who bought in the period.
    pub buyers: u32,
    /// Average order value: revenue ÷ purchases.
    #[ts(type = "string | null")]
    pub aov: Option<Decimal>,
    /// Purchases per buyer, per year (× 365.25 ÷ the period's days).
    #[ts(type = "string | null")]
    pub frequency: Option<Decimal>,
    /// Mean years from first to last purchase of the customers with two or more by the end of
    /// the period; `lifespan_customers` of them.
    #[ts(type = "string | null")]
    pub lifespan_years: Option<Decimal>,
    pub lifespan_customers: u32,
    /// Customer lifetime value: aov × frequency × lifespan_years (seed 000).
    #[ts(type = "string | null")]
    pub clv: Option<Decimal>,
    /// Customers whose first purchase falls in the period.
    pub new_customers: u32,
    /// Campaigns and other marketing expenses dated in the period.
    #[ts(type = "string")]
    pub marketing_cost: Decimal,
    /// Acquisition cost: marketing_cost ÷ new_customers.
    #[ts(type = "string | null")]
    pub cac: Option<Decimal>,
    /// Of the `retention_base` customers who bought in the period of the same length just
    /// before, the percentage (`retained` of them) who bought again in this one.
    #[ts(type = "string | null")]
    pub retention_rate: Option<Decimal>,
    pub retention_base: u32,
    pub retained: u32,
    /// Percentage of the buyers who had bought before the period (seed 004's old customers).
    #[ts(type = "string | null")]
    pub returning_share: Option<Decimal>,
    pub returning_buyers: u32,
    /// Percentage of the customers who had bought by the end of the period who have bought
    /// twice or more.
    #[ts(type = "string | null")]
    pub repeat_rate: Option<Decimal>,
    pub repeat_customers: u32,
    pub customers_bought: u32,
    /// Mean satisfaction score given in the period (1–5), and the percentage of 4s and 5s.
    #[ts(type = "string | null")]
    pub csat: Option<Decimal>,
    #[ts(type = "string | null")]
    pub csat_satisfied_share: Option<Decimal>,
    pub csat_scores: u32,
    /// Percentage of the revenue from the top 20 % of buyers (`top20_buyers`, rounded up) by
    /// their spend in the period.
    #[ts(type = "string | null")]
    pub top20_share: Option<Decimal>,
    pub top20_buyers: u32,
    pub other_currencies: Vec<CurrencyTotal>,
}

/// One month of the period (its days within the period).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct MonthFigures {
    /// "2026-03".
    pub month: String,
    #[ts(type = "string")]
    pub revenue: Decimal,
    pub purchases: u32,
    pub buyers: u32,
    #[ts(type = "string | null")]
    pub csat: Option<Decimal>,
    pub csat_scores: u32,
}

/// The customers whose first purchase fell in `cohort` (a month of the period), and how many of
/// them bought in each month from it to the period's end (`active[0]` is the cohort itself).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Cohort {
    pub cohort: String,
    pub customers: u32,
    pub active: Vec<u32>,
}

/// What a brand or a category of piece brought in over the period (items' prices less their
/// discounts, in the book's currency).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct RankedTotal {
    pub name: String,
    #[ts(type = "string")]
    pub revenue: Decimal,
    pub pieces: u32,
}

/// Everything the Insights view and `loupe insights` show for a period and an audience.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Insights {
    pub currency: String,
    pub period: PeriodFigures,
    /// The period of the same length just before, for the change.
    pub previous: PeriodFigures,
    pub monthly: Vec<MonthFigures>,
    /// The audience now, per segment and per tier (the programme's tiers; none when it is off).
    pub segments: Vec<SegmentCount>,
    pub tiers: Vec<TierCount>,
    pub cohorts: Vec<Cohort>,
    /// Brands and categories by revenue, highest first (at most 10 brands).
    pub brands: Vec<RankedTotal>,
    pub categories: Vec<RankedTotal>,
}

text_enum!(CampaignChannel { Email => "email", Sms => "sms", Post => "post", Other => "other" });

/// A campaign (a mailing, an event, an advert): its day and what it cost in the book's currency.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct CampaignDraft {
    pub name: String,
    pub channel: CampaignChannel,
    #[ts(type = "string")]
    pub run_on: chrono::NaiveDate,
    #[ts(type = "string")]
    pub cost: Decimal,
    pub notes: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Campaign {
    #[ts(type = "number")]
    pub id: i64,
    #[serde(flatten)]
    pub draft: CampaignDraft,
}

/// Other marketing spend (a fair stand, an advert) in the book's currency.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct ExpenseDraft {
    #[ts(type = "string")]
    pub spent_on: chrono::NaiveDate,
    #[ts(type = "string")]
    pub amount: Decimal,
    pub note: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Expense {
    #[ts(type = "number")]
    pub id: i64,
    #[serde(flatten)]
    pub draft: ExpenseDraft,
}

/// A table the window shows (a chart's numbers), written as CSV for a spreadsheet.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct CsvTable {
    pub columns: Vec<String>,
    pub rows: Vec<Vec<String>>,
}

/// What a campaign brought (seed 002): the customers it targeted (a contact names it), those
/// who answered it (bought within `campaign_response_days` of its day, or a contact of it
/// records that they replied, visited or bought), those who unsubscribed, their purchases and
/// what they paid in the book's currency, and the cost per order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct CampaignResult {
    /// Flat: `loupe campaigns --json` gives each campaign's name beside its figures.
    #[serde(flatten)]
    pub campaign: Campaign,
    pub targeted: u32,
    pub responded: u32,
    /// Targeted customers whose contact of the campaign records that they unsubscribed (not a
    /// response).
    pub unsubscribed: u32,
    #[ts(type = "string | null")]
    pub response_rate: Option<Decimal>,
    pub orders: u32,
    #[ts(type = "string")]
    pub revenue: Decimal,
    #[ts(type = "string | null")]
    pub cost_per_order: Option<Decimal>,
}
