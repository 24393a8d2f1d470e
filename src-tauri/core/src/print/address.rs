//! A postal address laid out as the destination country's post expects it. The book keeps an
//! address as street lines, town (`city`), region (state, province, county), postcode and
//! country (ISO 3166-1 alpha-2 where known); the rule is chosen by the country, or the book's
//! own region when none is given:
//!
//! - East Asian order (CN, HK, MO, TW, JP) when the address is written in CJK: the country,
//!   the postcode, region and town, the street, and the name last.
//! - GB and IE: name, street, town, county, postcode on a line of its own, country.
//! - US, CA and AU: name, street, then "town STATE postcode" on one line (US and CA with a
//!   comma after the town), country.
//! - Most of continental Europe (DE, FR, IT, ES, NL, CH, AT, BE, LU, PT, the Nordics, PL, CZ…):
//!   name, street, "postcode town" (Italy adds its province after the town), country.
//! - Elsewhere: name, street, "town region postcode", country.
//!
//! The country line is left out when it is the book's own region (a letter posted at home).

use crate::fold::is_cjk;

/// The parts of one address with whom it is for.
pub(crate) struct PostalAddress<'a> {
    pub name: &'a str,
    pub street: &'a str,
    pub city: &'a str,
    pub region: &'a str,
    pub postal_code: &'a str,
    pub country: &'a str,
}

/// The lines of the label, top to bottom, none empty.
pub(crate) fn address_lines(address: &PostalAddress<'_>, home_region: &str) -> Vec<String> {
    let country = address.country.trim();
    let code = if country.is_empty() { home_region.trim() } else { country }.to_ascii_uppercase();
    let abroad = !country.is_empty() && !country.eq_ignore_ascii_case(home_region.trim());
    let street: Vec<&str> = address.street.lines().map(str::trim).filter(|line| !line.is_empty()).collect();
    let (city, region, postcode) = (address.city.trim(), address.region.trim(), address.postal_code.trim());
    let written_in_cjk = [address.street, city, region].iter().any(|part| part.chars().any(is_cjk));

    let mut lines: Vec<String> = Vec::new();
    if written_in_cjk && matches!(code.as_str(), "CN" | "HK" | "MO" | "TW" | "JP") {
        if abroad {
            lines.push(country_name(&code, true).unwrap_or(country).to_string());
        }
        let postcode = match (code.as_str(), postcode.is_empty()) {
            (_, true) => String::new(),
            ("JP", false) => format!("〒{postcode}"),
            _ => postcode.to_string(),
        };
        lines.push(postcode);
        lines.push(format!("{region}{city}"));
        lines.extend(street.iter().map(|line| line.to_string()));
        lines.push(address.name.trim().to_string());
    } else {
        lines.push(address.name.trim().to_string());
        lines.extend(street.iter().map(|line| line.to_string()));
        match code.as_str() {
            "GB" | "IE" => {
                lines.push(if code == "GB" { city.to_uppercase() } else { city.to_string() });
                lines.push(region.to_string());
                lines.push(postcode.to_string());
            }
            "US" | "CA" => lines.push(joined(&[&with_comma(city, region, postcode), region, postcode])),
            "AU" => lines.push(joined(&[&city.to_uppercase(), region, postcode])),
            "IT" => lines.push(joined(&[postcode, city, region])),
            code if CONTINENTAL.contains(&code) => lines.push(joined(&[postcode, city])),
            _ => lines.push(joined(&[city, region, postcode])),
        }
        if abroad {
            lines.push(country_name(&code, false).map_or_else(|| country.to_uppercase(), str::to_string));
        }
    }
    lines.retain(|line| !line.trim().is_empty());
    lines
}

/// Continental European countries whose post writes "postcode town" and no region.
const CONTINENTAL: &[&str] = &[
    "DE", "FR", "ES", "NL", "CH", "AT", "BE", "LU", "PT", "DK", "SE", "NO", "FI", "IS", "PL", "CZ", "SK",
    "HU", "SI", "HR", "GR", "LI", "MC",
];

/// "Springfield," when a state or postcode follows it on the line.
fn with_comma(city: &str, region: &str, postcode: &str) -> String {
    if city.is_empty() || (region.is_empty() && postcode.is_empty()) {
        city.to_string()
    } else {
        format!("{city},")
    }
}

fn joined(parts: &[&str]) -> String {
    parts.iter().map(|part| part.trim()).filter(|part| !part.is_empty()).collect::<Vec<_>>().join(" ")
}

/// The country's name as a foreign post reads it: in capitals (the UPU's advice), or in
/// Chinese or Japanese on an address written so.
fn country_name(code: &str, cjk: bool) -> Option<&'static str> {
    let (latin, east_asian) = match code {
        "CN" => ("CHINA", "中国"),
        "HK" => ("HONG KONG", "香港"),
        "MO" => ("MACAO", "澳门"),
        "TW" => ("TAIWAN", "台湾"),
        "JP" => ("JAPAN", "日本"),
        "GB" => ("UNITED KINGDOM", "英国"),
        "IE" => ("IRELAND", "爱尔兰"),
        "US" => ("UNITED STATES", "美国"),
        "CA" => ("CANADA", "加拿大"),
        "AU" => ("AUSTRALIA", "澳大利亚"),
        "DE" => ("GERMANY", "德国"),
        "FR" => ("FRANCE", "法国"),
        "IT" => ("ITALY", "意大利"),
        "ES" => ("SPAIN", "西班牙"),
        "NL" => ("NETHERLANDS", "荷兰"),
        "CH" => ("SWITZERLAND", "瑞士"),
        "AT" => ("AUSTRIA", "奥地利"),
        "BE" => ("BELGIUM", "比利时"),
        "LU" => ("LUXEMBOURG", "卢森堡"),
        "PT" => ("PORTUGAL", "葡萄牙"),
        "DK" => ("DENMARK", "丹麦"),
        "SE" => ("SWEDEN", "瑞典"),
        "NO" => ("NORWAY", "挪威"),
        "FI" => ("FINLAND", "芬兰"),
        "PL" => ("POLAND", "波兰"),
        "CZ" => ("CZECHIA", "捷克"),
        "SG" => ("SINGAPORE", "新加坡"),
        "KR" => ("KOREA", "韩国"),
        "AE" => ("UNITED ARAB EMIRATES", "阿联酋"),
        "NZ" => ("NEW ZEALAND", "新西兰"),
        _ => return None,
    };
    Some(if cjk { east_asian } else { latin })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(
        country: &str,
        street: &str,
        city: &str,
        region: &str,
        postcode: &str,
        home: &str,
    ) -> Vec<String> {
        let address = PostalAddress { name: "Ann Lee", street, city, region, postal_code: postcode, country };
        address_lines(&address, home)
    }

    #[test]
    fn each_country_has_its_order() {
        assert_eq!(
            lines("GB", "1 High St\nFlat 2", "London", "", "SW1A 1AA", "GB"),
            ["Ann Lee", "1 High St", "Flat 2", "LONDON", "SW1A 1AA"]
        );
        assert_eq!(
            lines("US", "12 Main St", "Springfield", "IL", "62701", "GB"),
            ["Ann Lee", "12 Main St", "Springfield, IL 62701", "UNITED STATES"]
        );
        assert_eq!(
            lines("AU", "3 George St", "Sydney", "NSW", "2000", "AU"),
            ["Ann Lee", "3 George St", "SYDNEY NSW 2000"]
        );
        assert_eq!(
            lines("DE", "Hauptstraße 5", "Berlin", "Berlin", "10115", "GB"),
            ["Ann Lee", "Hauptstraße 5", "10115 Berlin", "GERMANY"]
        );
        assert_eq!(
            lines("IT", "Via Roma 1", "Roma", "RM", "00100", "IT"),
            ["Ann Lee", "Via Roma 1", "00100 Roma RM"]
        );
        assert_eq!(
            lines("CN", "南京路100号", "上海市", "", "200001", "GB"),
            ["中国", "200001", "上海市", "南京路100号", "Ann Lee"]
        );
        assert_eq!(
            lines("JP", "千代田1-1", "千代田区", "東京都", "100-0001", "JP"),
            ["〒100-0001", "東京都千代田区", "千代田1-1", "Ann Lee"]
        );
        // A Chinese address written in Latin letters keeps the Western order.
        assert_eq!(
            lines("CN", "100 Nanjing Rd", "Shanghai", "", "200001", "GB"),
            ["Ann Lee", "100 Nanjing Rd", "Shanghai 200001", "CHINA"]
        );
        // No country: the book's own convention, and no country line.
        assert_eq!(lines("", "5 Rue X", "Paris", "", "75001", "FR"), ["Ann Lee", "5 Rue X", "75001 Paris"]);
        // An unknown country is written as typed, in capitals.
        assert_eq!(
            lines("Atlantis", "1 Sea Rd", "Poseidonia", "", "", "GB"),
            ["Ann Lee", "1 Sea Rd", "Poseidonia", "ATLANTIS"]
        );
    }
}
