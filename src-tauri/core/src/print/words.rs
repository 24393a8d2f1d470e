//! The words, dates and names printed on receipts and cards, in English or Chinese. Kept
//! here rather than in the window's i18n: the CLI prints the same pages without a window.

use chrono::{Datelike, NaiveDate};
use rust_decimal::Decimal;

use crate::model::*;
use crate::partial_date::PartialDate;

#[derive(Clone, Copy)]
pub(crate) struct Words {
    pub lang: &'static str,
    pub reference: &'static str,
    pub serial: &'static str,
    pub discount: &'static str,
    pub subtotal: &'static str,
    pub discounts: &'static str,
    pub trade_in: &'static str,
    pub the_dealer: &'static str,
    pub receipt_title: &'static str,
    pub receipt_number: &'static str,
    pub date: &'static str,
    pub sold_to: &'static str,
    pub item: &'static str,
    pub price: &'static str,
    pub amount: &'static str,
    pub total: &'static str,
    pub payments: &'static str,
    pub balance_due: &'static str,
    pub signature: &'static str,
    pub salesperson: &'static str,
    pub phone: &'static str,
    pub email: &'static str,
    pub address: &'static str,
    pub birthday: &'static str,
    pub prefers: &'static str,
    pub brands: &'static str,
    pub styles: &'static str,
    pub materials: &'static str,
    pub budget: &'static str,
    pub ring_size: &'static str,
    pub wrist: &'static str,
    pub tags: &'static str,
    pub segment: &'static str,
    pub value_class: &'static str,
    pub tier: &'static str,
    pub not_a_member: &'static str,
    pub points: &'static str,
    pub lifetime_spend: &'static str,
    pub purchases: &'static str,
    pub contacts: &'static str,
    pub profile: &'static str,
    pub standing: &'static str,
    pub last_purchases: &'static str,
    pub open_wishes: &'static str,
    pub pinned_notes: &'static str,
    pub none: &'static str,
    pub printed: &'static str,
}

const EN: Words = Words {
    lang: "en",
    reference: "Ref.",
    serial: "Serial no.",
    discount: "Discount",
    subtotal: "Subtotal",
    discounts: "Discounts",
    trade_in: "Trade-in",
    the_dealer: "the dealer",
    receipt_title: "Receipt and certificate of sale",
    receipt_number: "No.",
    date: "Date",
    sold_to: "Sold to",
    item: "Item",
    price: "Price",
    amount: "Amount",
    total: "Total",
    payments: "Payments",
    balance_due: "Balance due",
    signature: "Signature",
    salesperson: "Served by",
    phone: "Phone",
    email: "Email",
    address: "Address",
    birthday: "Birthday",
    prefers: "Prefers",
    brands: "Brands",
    styles: "Styles",
    materials: "Materials",
    budget: "Budget",
    ring_size: "Ring size",
    wrist: "Wrist",
    tags: "Tags",
    segment: "Segment",
    value_class: "Value",
    tier: "Tier",
    not_a_member: "Not a member",
    points: "Points",
    lifetime_spend: "Lifetime spend",
    purchases: "Purchases",
    contacts: "Contact",
    profile: "Profile",
    standing: "Standing",
    last_purchases: "Last purchases",
    open_wishes: "Open wishes",
    pinned_notes: "Pinned notes",
    none: "None",
    printed: "Printed",
};

const ZH: Words = Words {
    lang: "zh",
    reference: "型号",
    serial: "编号",
    discount: "优惠",
    subtotal: "小计",
    discounts: "优惠合计",
    trade_in: "置换",
    the_dealer: "本店",
    receipt_title: "销售收据及证明书",
    receipt_number: "单号",
    date: "日期",
    sold_to: "客户",
    item: "商品",
    price: "价格",
    amount: "金额",
    total: "合计",
    payments: "付款",
    balance_due: "待付余额",
    signature: "签名",
    salesperson: "经手人",
    phone: "电话",
    email: "邮箱",
    address: "地址",
    birthday: "生日",
    prefers: "联系方式偏好",
    brands: "品牌",
    styles: "风格",
    materials: "材质",
    budget: "预算",
    ring_size: "戒指尺寸",
    wrist: "腕围",
    tags: "标签",
    segment: "客户分组",
    value_class: "价值等级",
    tier: "会员等级",
    not_a_member: "非会员",
    points: "积分",
    lifetime_spend: "累计消费",
    purchases: "购买次数",
    contacts: "联系方式",
    profile: "客户资料",
    standing: "客户状态",
    last_purchases: "最近购买",
    open_wishes: "待寻心愿",
    pinned_notes: "置顶备注",
    none: "无",
    printed: "打印于",
};

impl Words {
    pub fn of(language: PrintLanguage) -> Words {
        match language {
            PrintLanguage::En => EN,
            PrintLanguage::Zh => ZH,
        }
    }

    fn zh(self) -> bool {
        self.lang == "zh"
    }

    fn pick(self, en: &'static str, zh: &'static str) -> &'static str {
        if self.zh() { zh } else { en }
    }

    pub fn box_and_papers(self, has_box: bool, has_papers: bool) -> &'static str {
        match (has_box, has_papers) {
            (true, true) => self.pick("With box and papers", "附原盒及证书"),
            (true, false) => self.pick("With box, without papers", "附原盒，无证书"),
            (false, true) => self.pick("With papers, without box", "附证书，无原盒"),
            (false, false) => self.pick("Without box or papers", "无原盒及证书"),
        }
    }

    pub fn condition(self, condition: ItemCondition) -> &'static str {
        match condition {
            ItemCondition::New => self.pick("New", "全新"),
            ItemCondition::PreOwned => self.pick("Pre-owned", "二手"),
            ItemCondition::Vintage => self.pick("Vintage", "古董"),
        }
    }

    pub fn category(self, category: ItemCategory) -> &'static str {
        match category {
            ItemCategory::Watch => self.pick("Watch", "腕表"),
            ItemCategory::Ring => self.pick("Ring", "戒指"),
            ItemCategory::Necklace => self.pick("Necklace", "项链"),
            ItemCategory::Bracelet => self.pick("Bracelet", "手链"),
            ItemCategory::Earrings => self.pick("Earrings", "耳饰"),
            ItemCategory::Pendant => self.pick("Pendant", "吊坠"),
            ItemCategory::Other => self.pick("Piece", "其他"),
        }
    }

    pub fn payment(self, method: PaymentMethod) -> &'static str {
        match method {
            PaymentMethod::Cash => self.pick("Cash", "现金"),
            PaymentMethod::Card => self.pick("Card", "刷卡"),
            PaymentMethod::BankTransfer => self.pick("Bank transfer", "银行转账"),
            PaymentMethod::TradeIn => self.pick("Trade-in", "置换"),
            PaymentMethod::Other => self.pick("Other", "其他"),
        }
    }

    pub fn contact_method(self, method: ContactMethod) -> &'static str {
        match method {
            ContactMethod::Email => self.pick("Email", "邮件"),
            ContactMethod::Phone => self.pick("Phone", "电话"),
            ContactMethod::Sms => self.pick("Text message", "短信"),
            ContactMethod::Post => self.pick("Post", "邮寄"),
            ContactMethod::InPerson => self.pick("In person", "当面"),
        }
    }

    pub fn customer_type(self, customer_type: CustomerType) -> &'static str {
        match customer_type {
            CustomerType::Retail => self.pick("Retail", "零售"),
            CustomerType::Trade => self.pick("Trade", "同行"),
            CustomerType::Collector => self.pick("Collector", "藏家"),
        }
    }

    pub fn segment_name(self, segment: Segment) -> &'static str {
        match segment {
            Segment::Prospect => self.pick("Prospect", "潜在客户"),
            Segment::Lapsed => self.pick("Lapsed", "已流失"),
            Segment::AtRisk => self.pick("At risk", "流失风险"),
            Segment::Vip => self.pick("VIP", "贵宾"),
            Segment::New => self.pick("New", "新客"),
            Segment::Regular => self.pick("Regular", "常客"),
        }
    }

    pub fn value_class_name(self, class: ValueClass) -> &'static str {
        match class {
            ValueClass::Key => self.pick("Key", "重点"),
            ValueClass::Main => self.pick("Main", "主要"),
            ValueClass::Ordinary => self.pick("Ordinary", "普通"),
        }
    }

    pub fn wish_status(self, status: WishStatus) -> &'static str {
        match status {
            WishStatus::Open => self.pick("Open", "待寻"),
            WishStatus::Sourcing => self.pick("Sourcing", "寻货中"),
            WishStatus::Offered => self.pick("Offered", "已报价"),
            WishStatus::Won => self.pick("Won", "已成交"),
            WishStatus::Lost => self.pick("Lost", "已放弃"),
        }
    }

    pub fn note_category(self, category: NoteCategory) -> &'static str {
        match category {
            NoteCategory::PersonalInterest => self.pick("Personal interest", "兴趣爱好"),
            NoteCategory::Occasion => self.pick("Occasion", "纪念日"),
            NoteCategory::RelationshipHistory => self.pick("Relationship history", "往来关系"),
            NoteCategory::SpecialRequirement => self.pick("Special requirement", "特殊要求"),
            NoteCategory::Internal => self.pick("Internal", "内部备注"),
        }
    }

    pub fn tier_name(self, name: &TierName) -> String {
        let (first, other) = if self.zh() { (&name.zh, &name.en) } else { (&name.en, &name.zh) };
        if first.is_empty() { other.clone() } else { first.clone() }
    }

    /// "Gold member −10 %".
    pub fn member_discount(self, tier: &TierName, percent: Decimal) -> String {
        let percent = percent.normalize();
        if self.zh() {
            format!("{}会员优惠 {percent}%", self.tier_name(tier))
        } else {
            format!("{} member −{percent} %", self.tier_name(tier))
        }
    }

    pub fn points_redeemed(self, points: u32) -> String {
        let points = super::points_text(i64::from(points));
        if self.zh() {
            format!("积分抵扣（{points} 分）")
        } else {
            format!("Points redeemed ({points})")
        }
    }

    pub fn points_earned(self, points: i64) -> String {
        let points = super::points_text(points);
        if self.zh() {
            format!("本次获得积分：{points}")
        } else {
            format!("Points earned with this purchase: {points}")
        }
    }

    /// The sentence that makes the receipt a certificate.
    pub fn certificate(self, shop: &str, customer: &str, date: &str) -> String {
        if self.zh() {
            format!(
                "兹证明上列物品由{shop}于{date}售予{customer}；各物品以其型号及编号为凭，附件（原盒、证书）如上所注。"
            )
        } else {
            format!(
                "We certify that the pieces listed above, identified by their reference and serial numbers, \
                 were sold by {shop} to {customer} on {date}, with the box and papers stated."
            )
        }
    }
}

const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// "5 December 2026" or "2026年12月5日".
pub(crate) fn long_date(day: NaiveDate, words: Words) -> String {
    if words.zh() {
        format!("{}年{}月{}日", day.year(), day.month(), day.day())
    } else {
        format!("{} {} {}", day.day(), MONTHS[day.month0() as usize], day.year())
    }
}

/// A date whose year may be unknown: "17 May" or "5月17日".
pub(crate) fn partial_date(date: &PartialDate, words: Words) -> String {
    let month = date.month().clamp(1, 12);
    match (words.zh(), date.year()) {
        (true, Some(year)) => format!("{year}年{month}月{}日", date.day()),
        (true, None) => format!("{month}月{}日", date.day()),
        (false, Some(year)) => format!("{} {} {year}", date.day(), MONTHS[month as usize - 1]),
        (false, None) => format!("{} {}", date.day(), MONTHS[month as usize - 1]),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_in_both_languages() {
        let day = NaiveDate::from_ymd_opt(2026, 12, 5).expect("a date");
        assert_eq!(long_date(day, EN), "5 December 2026");
        assert_eq!(long_date(day, ZH), "2026年12月5日");
        let birthday: PartialDate = "--05-17".parse().expect("a partial date");
        assert_eq!(partial_date(&birthday, EN), "17 May");
        assert_eq!(partial_date(&birthday, ZH), "5月17日");
    }
}
