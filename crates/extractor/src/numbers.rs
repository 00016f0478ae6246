//! Numbers as case reports write them: digits (`6`, `1.5`, `0,5`) and English number words
//! (`three`, `Twelve`, `twenty-one`).

/// Whole counts in words, as a regex fragment (no capture groups): `one hundred and forty`,
/// `thirty-two`, `seven`, `a dozen`, `a couple of`, `a pair of`, `twin` ("twin girls": two).
/// Shared by [`NUMBER`] and [`COUNT`].
macro_rules! count_words {
    () => {
        r"(?:one|two|three|four|five|six|seven|eight|nine|a)\s+hundred(?:\s+(?:and\s+)?(?:(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)(?:[\s\-](?:one|two|three|four|five|six|seven|eight|nine))?|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen)\b)?|(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)(?:[\s\-](?:one|two|three|four|five|six|seven|eight|nine)\b)?|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|a\s+dozen|dozen|a\s+couple\s+of|a\s+pair\s+of|twin"
    };
}

/// A regex fragment matching a number written in digits or words (no capture groups):
/// `6`, `1.5`, `.05`, `0,5`, `three`, `thirty-two`, `ninety nine`, `one hundred and forty`,
/// `a dozen`, `a couple of`.
pub(crate) const NUMBER: &str = concat!(
    r"(?:\d+(?:[.,]\d+)?|\.\d+|(?i:",
    count_words!(),
    r"|a\s+single|single|both))"
);

/// A regex fragment matching a count written in digits or words (whole numbers only):
/// `12`, `seven`, `thirty-two`, `two hundred and five`, `a dozen`, `a couple of`.
pub(crate) const COUNT: &str = concat!(r"(?:\d+|(?i:", count_words!(), "))");

const UNITS: [&str; 20] = [
    "zero",
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
];

const TENS: [&str; 8] = [
    "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety",
];

/// The value of a number in digits or words; `None` if it is neither.
pub(crate) fn parse_number(s: &str) -> Option<f64> {
    let t = s.trim().to_ascii_lowercase();
    let t = t.split_whitespace().collect::<Vec<_>>().join(" ");
    let digits = t.replace(',', ".");
    if let Ok(x) = digits.parse::<f64>() {
        return Some(x);
    }
    // A leading decimal point: ".05".
    if let Some(rest) = digits.strip_prefix('.')
        && !rest.is_empty()
        && rest.bytes().all(|b| b.is_ascii_digit())
    {
        return format!("0.{rest}").parse().ok();
    }
    if let Some(i) = UNITS.iter().position(|u| *u == t) {
        return Some(i as f64);
    }
    // "one hundred and forty", "a hundred", "two hundred five".
    if let Some((head, rest)) = t.split_once("hundred") {
        let head = head.trim();
        let h = if head == "a" {
            1.0
        } else {
            UNITS[1..10]
                .iter()
                .position(|u| *u == head)
                .map(|i| 1.0 + i as f64)?
        };
        let rest = rest.trim();
        let rest = rest.strip_prefix("and").map_or(rest, str::trim_start);
        let below = if rest.is_empty() {
            0.0
        } else {
            parse_number(rest).filter(|x| *x >= 1.0 && *x < 100.0 && x.fract() == 0.0)?
        };
        return Some(100.0 * h + below);
    }
    match t.as_str() {
        "a single" | "single" | "a" | "an" => return Some(1.0),
        "both" | "a pair of" | "a couple of" | "couple of" | "a couple" | "twin" => {
            return Some(2.0);
        }
        "a dozen" | "dozen" => return Some(12.0),
        _ => {}
    }
    let (ten, rest) = TENS
        .iter()
        .enumerate()
        .find_map(|(i, w)| t.strip_prefix(w).map(|r| (i, r)))?;
    let base = 20.0 + 10.0 * ten as f64;
    let rest = rest.trim_start_matches([' ', '-']);
    if rest.is_empty() {
        return Some(base);
    }
    UNITS[1..10]
        .iter()
        .position(|u| *u == rest)
        .map(|i| base + 1.0 + i as f64)
}

/// The whole count a percentage `p` of `total` stands for, when papers' rounding (to 1%) allows
/// one: 62% of 21 is 13 (61.9%); 50% of 7 is none (3 is 42.9%, 4 is 57.1%).
pub(crate) fn share_count(total: u32, p: f64) -> Option<u32> {
    let k = (f64::from(total) * p / 100.0).round();
    ((100.0 * k / f64::from(total) - p).abs() < 1.0).then_some(k as u32)
}

/// A whole count (digits or words).
pub(crate) fn parse_count(s: &str) -> Option<u32> {
    let x = parse_number(s)?;
    (x >= 0.0 && x.fract() == 0.0 && x < 100_000.0).then_some(x as u32)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_digits_and_words() {
        assert_eq!(parse_number("1.5"), Some(1.5));
        assert_eq!(parse_number("0,5"), Some(0.5));
        assert_eq!(parse_count("Three"), Some(3));
        assert_eq!(parse_count("twenty-one"), Some(21));
        assert_eq!(parse_count("twenty"), Some(20));
        assert_eq!(parse_count("both"), Some(2));
        assert_eq!(parse_count("1.5"), None);
        assert_eq!(parse_count("many"), None);
        assert_eq!(parse_count("thirty-two"), Some(32));
        assert_eq!(parse_count("Sixty seven"), Some(67));
        assert_eq!(parse_count("ninety"), Some(90));
        assert_eq!(parse_count("a dozen"), Some(12));
        assert_eq!(parse_count("a couple of"), Some(2));
        assert_eq!(share_count(21, 62.0), Some(13));
        assert_eq!(share_count(8, 75.0), Some(6));
        assert_eq!(share_count(7, 50.0), None);
        assert_eq!(parse_number(".05"), Some(0.05));
        assert_eq!(parse_number(".5"), Some(0.5));
        assert_eq!(parse_count("One hundred and forty"), Some(140));
        assert_eq!(parse_count("a hundred"), Some(100));
        assert_eq!(parse_count("two hundred five"), Some(205));
        assert_eq!(parse_count("three hundred and twenty-one"), Some(321));
        assert_eq!(parse_count("hundred"), None);
        assert_eq!(parse_count("one hundred and many"), None);
    }
}
