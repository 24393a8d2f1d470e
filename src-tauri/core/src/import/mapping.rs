//! Which column holds what: headers recognised in English and Chinese (and the common German
//! and French ones) and in the layouts of Google Contacts, Outlook, Shopify, Mailchimp and
//! business-card apps, numbered columns ("E-mail 2 - Value", "Business Phone 2") included.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::model::Channel;

/// Where a column's values go.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(tag = "field", rename_all = "snake_case")]
pub enum Target {
    Ignore,
    /// Kept in an imported note as "Header: value".
    Note,
    FullName,
    GivenName,
    MiddleName,
    FamilyName,
    /// Mr, Mrs, Dr …
    Title,
    Suffix,
    Company,
    JobTitle,
    Language,
    /// Columns of one `group` ("1", "home") make one entry: the value and its label.
    Email {
        group: String,
    },
    EmailLabel {
        group: String,
    },
    Phone {
        group: String,
    },
    PhoneLabel {
        group: String,
    },
    Address {
        group: String,
        part: AddressPart,
    },
    Birthday,
    Anniversary,
    Tags,
    /// Where the person came from ("Hong Kong fair"), kept as the source detail.
    SourceDetail,
    /// An explicit yes or no to marketing on a channel.
    Consent {
        channel: Channel,
    },
    /// The day of the visit or sign-up the row records (a fair log's "Date", Mailchimp's
    /// OPTIN_TIME): the date of the consents the row states and of its note.
    ContactDate,
    /// When the email address was unsubscribed (Mailchimp's UNSUB_TIME): opted out then.
    EmailUnsubscribed,
    /// When the email address bounced (Mailchimp's CLEAN_TIME): noted, no consent.
    EmailBounced,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum AddressPart {
    Street,
    City,
    Region,
    PostalCode,
    Country,
}

/// One column and where it goes; a list of them is a mapping, savable as JSON.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct ColumnMapping {
    pub column: String,
    pub target: Target,
    /// Whether Loupe recognised the header (false: it chose `Note` or `Ignore` for it).
    #[serde(default)]
    pub recognised: bool,
}

/// A header made comparable: folded, letters only, its first number as '#':
/// "E-mail 2 - Value" is ("email#value", "2").
pub(crate) fn shape(header: &str) -> (String, String) {
    let mut shaped = String::new();
    let mut number = String::new();
    let mut in_number = false;
    for ch in crate::fold::fold(header).chars() {
        if ch.is_ascii_digit() {
            if !in_number {
                shaped.push('#');
                in_number = true;
            }
            if !shaped[..shaped.len() - 1].contains('#') {
                number.push(ch);
            }
        } else {
            in_number = false;
            if ch.is_alphanumeric() {
                shaped.push(ch);
            }
        }
    }
    (shaped, number)
}

/// Headers of a file's own notes column, whose values become note lines as they are (other
/// columns kept in a note are written "Header: value").
const NOTES_COLUMNS: &[&str] = &[
    "notes",
    "note",
    "comments",
    "comment",
    "remarks",
    "memo",
    "备注",
    "说明",
    "bemerkung",
    "bemerkungen",
    "remarque",
    "remarques",
];

/// Whether `header` is the file's own notes column.
pub(crate) fn is_notes_column(header: &str) -> bool {
    NOTES_COLUMNS.contains(&shape(header).0.as_str())
}

/// Recognises one header; None when Loupe does not know it.
pub fn recognise(header: &str) -> Option<Target> {
    let (shape, number) = shape(header);
    let group =
        |prefix: &str| if number.is_empty() { prefix.to_string() } else { format!("{prefix}{number}") };
    // Compact forms: spaces removed so that "E-mail", "Email" and "email" agree.
    let target = match shape.as_str() {
        "name" | "fullname" | "displayname" | "contactname" | "customername" | "clientname" | "姓名"
        | "名字" | "全名" | "客户姓名" | "联系人" | "客户" | "nomcomplet" | "vollstandigername" => {
            Target::FullName
        }
        "firstname" | "givenname" | "forename" | "vorname" | "prenom" | "名" => Target::GivenName,
        "middlename" | "additionalname" => Target::MiddleName,
        "lastname" | "familyname" | "surname" | "nachname" | "nom" | "nomdefamille" | "姓" | "姓氏" => {
            Target::FamilyName
        }
        "nameprefix" | "salutation" | "anrede" | "civilite" | "称谓" | "称呼" | "title" => Target::Title,
        "namesuffix" | "suffix" => Target::Suffix,
        "company"
        | "organization"
        | "organisation"
        | "organization#name"
        | "organizationname"
        | "defaultaddresscompany"
        | "companyname"
        | "firma"
        | "societe"
        | "entreprise"
        | "公司"
        | "单位"
        | "公司名称"
        | "工作单位"
        | "机构" => Target::Company,
        "jobtitle" | "organization#title" | "organizationtitle" | "position" | "role" | "职位" | "职务"
        | "头衔" | "fonction" | "berufsbezeichnung" => Target::JobTitle,
        "language" | "preferredlanguage" | "sprache" | "langue" | "语言" => Target::Language,
        "email" | "emailaddress" | "email#address" | "email#value" | "email#" | "mail" | "courriel"
        | "邮箱" | "电子邮件" | "电子邮箱" | "邮件" | "邮箱地址" | "emailadresse" => {
            Target::Email { group: group("") }
        }
        "email#type" | "email#label" => Target::EmailLabel { group: group("") },
        "phone" | "phonenumber" | "telephone" | "tel" | "phone#value" | "phone#" | "telefon" | "电话"
        | "联系电话" | "电话号码" => Target::Phone { group: group("") },
        "phone#type" | "phone#label" => Target::PhoneLabel { group: group("") },
        "mobile" | "mobilephone" | "mobile#" | "mobilephone#" | "cell" | "cellphone" | "handy" | "mobil"
        | "mobiltelefon" | "portable" | "telephoneportable" | "手机" | "手机号" | "手机号码" | "移动电话" => {
            Target::Phone { group: group("mobile") }
        }
        "homephone" | "homephone#" | "住宅电话" => Target::Phone { group: group("home") },
        "businessphone"
        | "businessphone#"
        | "workphone"
        | "officephone"
        | "companymainphone"
        | "办公电话"
        | "座机"
        | "公司电话"
        | "固话"
        | "telefongeschaftlich" => Target::Phone { group: group("work") },
        "otherphone"
        | "primaryphone"
        | "carphone"
        | "pager"
        | "defaultaddressphone"
        | "callback"
        | "radiophone" => Target::Phone { group: group("other") },
        "birthday" | "birthdate" | "dateofbirth" | "dob" | "geburtstag" | "geburtsdatum"
        | "datedenaissance" | "anniversaire" | "生日" | "出生日期" => Target::Birthday,
        "anniversary" | "weddinganniversary" | "纪念日" | "结婚纪念日" => Target::Anniversary,
        "tags" | "tag" | "labels" | "groupmembership" | "groups" | "categories" | "标签" | "分组" => {
            Target::Tags
        }
        notes if NOTES_COLUMNS.contains(&notes) => Target::Note,
        "留言" | "notizen" => Target::Note,
        "fax"
        | "businessfax"
        | "homefax"
        | "otherfax"
        | "传真"
        | "wechat"
        | "微信"
        | "微信号"
        | "whatsapp"
        | "line"
        | "website"
        | "webpage"
        | "personalwebpage"
        | "网址"
        | "department"
        | "organization#department"
        | "部门"
        | "spouse"
        | "hobby" => Target::Note,
        "source" | "leadsource" | "来源" | "event" | "fair" | "展会" | "quelle" => Target::SourceDetail,
        "acceptsemailmarketing"
        | "emailmarketing"
        | "emailoptin"
        | "newsletter"
        | "subscribed"
        | "optin"
        | "emailconsent"
        | "同意邮件"
        | "接收邮件"
        | "订阅"
        | "邮件订阅" => Target::Consent { channel: Channel::Email },
        "acceptssmsmarketing" | "smsmarketing" | "smsoptin" | "smsconsent" | "同意短信" | "接收短信" => {
            Target::Consent { channel: Channel::Sms }
        }
        "date" | "visitdate" | "dateofvisit" | "visited" | "visitedon" | "signupdate" | "signedup"
        | "signedupon" | "signup" | "dateadded" | "registered" | "registrationdate" | "optintime"
        | "datum" | "besuchsdatum" | "datedevisite" | "datedinscription" | "日期" | "来访日期"
        | "到店日期" | "登记日期" | "注册日期" => Target::ContactDate,
        "unsubtime" | "unsubscribed" | "unsubscribedon" | "unsubscribedate" | "optouttime" => {
            Target::EmailUnsubscribed
        }
        "cleantime" | "bounced" | "bouncedon" => Target::EmailBounced,
        "nickname" | "fileas" | "phoneticfirstname" | "phoneticmiddlename" | "phoneticlastname"
        | "givenyomi" | "surnameyomi" | "companyyomi" | "photo" | "emaildisplayname" | "memberrating"
        | "optinip" | "confirmtime" | "confirmip" | "latitude" | "longitude" | "gmtoff" | "dstoff"
        | "timezone" | "lastchanged" | "leid" | "euid" | "customerid" | "taxexempt" | "totalspent"
        | "totalorders" | "initials" | "priority" | "sensitivity" | "private" | "gender" => Target::Ignore,
        // The first two columns of Loupe's own rejected-rows file (`RejectedRowsWording`), in
        // English and Chinese, so that the corrected file imports without them.
        "lineinfile" | "reasonleftout" | "原文件行号" | "未导入原因" => Target::Ignore,
        other => return address(other, &number),
    };
    Some(target)
}

/// Address columns: "Home Street", "Business City", "Address 1 - Postal Code", Shopify's
/// "Default Address Zip", "Address1" and "Address2", a business card's "Address".
fn address(shape: &str, number: &str) -> Option<Target> {
    let prefixes = [
        ("home", "home"),
        ("business", "work"),
        ("work", "work"),
        ("other", "other"),
        ("defaultaddress", ""),
        ("address#", "#"),
        ("", ""),
    ];
    let (group, rest, part) = prefixes.into_iter().find_map(|(prefix, group)| {
        let rest = shape.strip_prefix(prefix)?;
        address_part(rest).map(|part| (group, rest, part))
    })?;
    let group = if group == "#" { number.to_string() } else { group.to_string() };
    // Shopify's Address1 and Address2 are lines of one street, not two addresses.
    let group = if rest == "address#" { String::new() } else { group };
    Some(Target::Address { group, part })
}

fn address_part(rest: &str) -> Option<AddressPart> {
    Some(match rest {
        "street" | "address" | "address#" | "streetaddress" | "formatted" | "strasse" | "straße"
        | "adresse" | "地址" | "通讯地址" | "住址" | "联系地址" => AddressPart::Street,
        "city" | "town" | "ort" | "stadt" | "ville" | "城市" | "市" => AddressPart::City,
        "state" | "province" | "region" | "county" | "provincecode" | "bundesland" | "省" | "省份" => {
            AddressPart::Region
        }
        "zip" | "zipcode" | "postalcode" | "postcode" | "plz" | "codepostal" | "邮编" | "邮政编码" => {
            AddressPart::PostalCode
        }
        "country" | "countryregion" | "countrycode" | "land" | "pays" | "国家" | "国家地区" | "cc" => {
            AddressPart::Country
        }
        _ => return None,
    })
}

/// The mapping Loupe proposes for `headers`. A lone "Title" beside a company and no job title
/// is a job title (business cards), not Mr or Mrs. Unknown columns go to `unknown`.
pub fn propose(headers: &[String], unknown: Target) -> Vec<ColumnMapping> {
    let mut mapping: Vec<ColumnMapping> = headers
        .iter()
        .map(|header| match recognise(header) {
            Some(target) => ColumnMapping { column: header.clone(), target, recognised: true },
            None => ColumnMapping { column: header.clone(), target: unknown.clone(), recognised: false },
        })
        .collect();
    let has =
        |mapping: &[ColumnMapping], wanted: &Target| mapping.iter().any(|column| &column.target == wanted);
    if has(&mapping, &Target::Company) && !has(&mapping, &Target::JobTitle) {
        for column in &mut mapping {
            if column.target == Target::Title && shape(&column.column).0 == "title" {
                column.target = Target::JobTitle;
            }
        }
    }
    mapping
}

/// Mailchimp's export of subscribed members, known by its columns whatever the file is called:
/// an opt-in or confirmation time and no unsubscribe or clean time (the exports of unsubscribed
/// and cleaned members have those). Its rows opted in to email: the header that shows it.
pub fn subscribed_export(headers: &[String]) -> Option<&str> {
    let has = |wanted: &str| headers.iter().any(|header| shape(header).0 == wanted);
    if has("unsubtime") || has("cleantime") {
        return None;
    }
    ["optintime", "confirmtime"]
        .into_iter()
        .find_map(|wanted| headers.iter().find(|header| shape(header).0 == wanted))
        .map(String::as_str)
}

/// Whether the mapping can tell who a row is.
pub fn identifies_people(mapping: &[ColumnMapping]) -> bool {
    mapping.iter().any(|column| {
        matches!(
            column.target,
            Target::FullName
                | Target::GivenName
                | Target::FamilyName
                | Target::Email { .. }
                | Target::Phone { .. }
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn targets(headers: &[&str]) -> Vec<Target> {
        let headers: Vec<String> = headers.iter().map(|header| header.to_string()).collect();
        propose(&headers, Target::Note).into_iter().map(|column| column.target).collect()
    }

    fn email(group: &str) -> Target {
        Target::Email { group: group.into() }
    }

    fn phone(group: &str) -> Target {
        Target::Phone { group: group.into() }
    }

    #[test]
    fn google_contacts() {
        let found = targets(&[
            "First Name",
            "Last Name",
            "Organization Name",
            "Birthday",
            "Labels",
            "E-mail 1 - Label",
            "E-mail 1 - Value",
            "E-mail 2 - Value",
            "Phone 1 - Label",
            "Phone 1 - Value",
            "Address 1 - City",
        ]);
        assert_eq!(
            found,
            [
                Target::GivenName,
                Target::FamilyName,
                Target::Company,
                Target::Birthday,
                Target::Tags,
                Target::EmailLabel { group: "1".into() },
                email("1"),
                email("2"),
                Target::PhoneLabel { group: "1".into() },
                phone("1"),
                Target::Address { group: "1".into(), part: AddressPart::City },
            ]
        );
    }

    #[test]
    fn outlook_shopify_mailchimp() {
        assert_eq!(
            targets(&[
                "Title",
                "E-mail Address",
                "E-mail 2 Address",
                "Business Phone",
                "Mobile Phone",
                "Home Street",
                "Job Title"
            ]),
            [
                Target::Title,
                email(""),
                email("2"),
                phone("work"),
                phone("mobile"),
                Target::Address { group: "home".into(), part: AddressPart::Street },
                Target::JobTitle,
            ]
        );
        assert_eq!(
            targets(&[
                "Email",
                "Accepts Email Marketing",
                "Default Address Zip",
                "Address1",
                "Address2",
                "Accepts SMS Marketing"
            ]),
            [
                email(""),
                Target::Consent { channel: Channel::Email },
                Target::Address { group: String::new(), part: AddressPart::PostalCode },
                Target::Address { group: String::new(), part: AddressPart::Street },
                Target::Address { group: String::new(), part: AddressPart::Street },
                Target::Consent { channel: Channel::Sms },
            ]
        );
        assert_eq!(
            targets(&["Email Address", "First Name", "MEMBER_RATING", "TAGS", "Mystery"]),
            [email(""), Target::GivenName, Target::Ignore, Target::Tags, Target::Note]
        );
    }

    #[test]
    fn chinese_and_business_cards() {
        assert_eq!(
            targets(&["姓名", "公司", "职位", "手机", "电话", "邮箱", "地址", "备注", "微信"]),
            [
                Target::FullName,
                Target::Company,
                Target::JobTitle,
                phone("mobile"),
                phone(""),
                email(""),
                Target::Address { group: String::new(), part: AddressPart::Street },
                Target::Note,
                Target::Note,
            ]
        );
        assert_eq!(
            targets(&["Name", "Company", "Title"]),
            [Target::FullName, Target::Company, Target::JobTitle]
        );
    }
}
