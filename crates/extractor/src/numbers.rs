//! Numbers as case reports write them: digits (`6`, `1.5`, `0,5`) and English number words
//! (`three`, `Twelve`, `twenty-one`).

/// A regex fragment matching a number written in digits or words (no capture groups).
pub(crate) const NUMBER: &str = r"(?:\d+(?:[.,]\d+)?|(?i:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|twenty(?:[\s\-](?:one|two|three|four|five|six|seven|eight|nine))?|thirty|forty|fifty|a\s+single|single|both|a\s+pair\s+of))";

/// A regex fragment matching a count written in digits or words (whole numbers only).
pub(crate) const COUNT: &str = r"(?:\d+|(?i:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|twenty(?:[\s\-](?:one|two|three|four|five|six|seven|eight|nine))?|thirty|forty|fifty))";

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

/// The value of a number in digits or words; `None` if it is neither.
pub(crate) fn parse_number(s: &str) -> Option<f64> {
    let t = s.trim().to_ascii_lowercase();
    let t = t.split_whitespace().collect::<Vec<_>>().join(" ");
    if let Ok(x) = t.replace(',', ".").parse::<f64>() {
        return Some(x);
    }
    if let Some(i) = UNITS.iter().position(|u| *u == t) {
        return Some(i as f64);
    }
    match t.as_str() {
        "a single" | "single" | "a" | "an" => return Some(1.0),
        "both" | "a pair of" => return Some(2.0),
        "thirty" => return Some(30.0),
        "forty" => return Some(40.0),
        "fifty" => return Some(50.0),
        _ => {}
    }
    let rest = t.strip_prefix("twenty")?;
    let rest = rest.trim_start_matches([' ', '-']);
    if rest.is_empty() {
        return Some(20.0);
    }
    UNITS[1..10]
        .iter()
        .position(|u| *u == rest)
        .map(|i| 21.0 + i as f64)
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
    }
}
