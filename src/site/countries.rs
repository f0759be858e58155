//! ISO 3166-1 alpha-2 codes, to check `country` fields.

const CODES: &str = "AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ BR BS BT BV BW BY BZ CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM DO DZ EC EE EG EH ER ES ET FI FJ FK FM FO FR GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW GY HK HM HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE JM JO JP KE KG KH KI KM KN KP KR KW KY KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK ML MM MN MO MP MQ MR MS MT MU MV MW MX MY MZ NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM PN PR PS PT PW PY QA RE RO RS RU RW SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ TC TD TF TG TH TJ TK TL TM TN TO TR TT TV TW TZ UA UG UM US UY UZ VA VC VE VG VI VN VU WF WS YE YT ZA ZM ZW";

pub fn is_country_code(code: &str) -> bool {
    code.len() == 2 && CODES.split(' ').any(|c| c == code)
}

/// What to write instead of `code`, when it is a likely slip: a code in
/// lower case, or a common name that is not the ISO code.
pub fn hint(code: &str) -> Option<String> {
    let trimmed = code.trim();
    let upper = trimmed.to_ascii_uppercase();
    if upper != code && is_country_code(&upper) {
        return Some(format!(
            "country codes are in capitals: `country = \"{upper}\"`"
        ));
    }
    let iso = match upper.as_str() {
        "UK" | "EN" | "ENGLAND" | "SCOTLAND" | "WALES" => "GB",
        "ESTONIA" | "EST" => "EE",
        "NORWAY" | "NOR" => "NO",
        "SWEDEN" | "SWE" => "SE",
        "FINLAND" | "FIN" => "FI",
        "DENMARK" | "DNK" => "DK",
        "GERMANY" | "DEU" => "DE",
        "LATVIA" | "LVA" => "LV",
        "LITHUANIA" | "LTU" => "LT",
        "TURKEY" | "TÜRKIYE" | "TUR" => "TR",
        "USA" => "US",
        _ => {
            return Some(
                "write the two-letter ISO 3166-1 code in capitals, e.g. `EE` for Estonia, `NO` for Norway"
                    .into(),
            );
        }
    };
    Some(format!(
        "the ISO code of that country is `{iso}`: `country = \"{iso}\"`"
    ))
}

#[cfg(test)]
mod tests {
    #[test]
    fn knows_codes() {
        assert!(super::is_country_code("EE"));
        assert!(super::is_country_code("NO"));
        assert!(!super::is_country_code("ee"));
        assert!(!super::is_country_code("XX"));
    }
}
