//! Client configuration, queries and the few date computations searches need.

use std::time::Duration;

use crate::Error;

/// NCBI's E-utilities base URL; the utility name (`esearch.fcgi`, ...) is appended to it.
pub const DEFAULT_BASE_URL: &str = "https://eutils.ncbi.nlm.nih.gov/entrez/eutils/";

/// How the client talks to E-utilities.
#[derive(Clone)]
pub struct Config {
    /// Base URL ending in `/` (`CASEBOOK_EUTILS_URL`).
    pub base_url: String,
    /// NCBI API key (`NCBI_API_KEY`): raises the rate limit from 3 to 10 requests/s.
    pub api_key: Option<String>,
    /// Contact e-mail sent with every request (`NCBI_EMAIL`).
    pub email: Option<String>,
    /// The `tool` parameter.
    pub tool: String,
    /// Records per EFetch request.
    pub batch_size: usize,
    /// Attempts per request before giving up (at least 1).
    pub max_attempts: u32,
    /// Show a progress bar on fetches (only when stderr is a terminal).
    pub progress: bool,
    /// First retry delay; doubles per attempt, with jitter, up to `max_delay`.
    pub base_delay: Duration,
    /// Longest wait between attempts (also caps `Retry-After`).
    pub max_delay: Duration,
    /// Whole-request timeout.
    pub timeout: Duration,
    /// Connection timeout.
    pub connect_timeout: Duration,
    /// Most ids one ESearch may list (PubMed serves 9,999); larger searches are split by date.
    pub max_search_ids: usize,
    /// Extra EFetch rounds for PMIDs a batch did not return, before reporting them missing.
    pub missing_rounds: u32,
}

impl std::fmt::Debug for Config {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Config")
            .field("base_url", &self.base_url)
            .field("api_key", &self.api_key.as_ref().map(|_| "<redacted>"))
            .field("email", &self.email)
            .field("tool", &self.tool)
            .field("batch_size", &self.batch_size)
            .field("max_attempts", &self.max_attempts)
            .field("progress", &self.progress)
            .field("base_delay", &self.base_delay)
            .field("max_delay", &self.max_delay)
            .field("timeout", &self.timeout)
            .field("max_search_ids", &self.max_search_ids)
            .finish_non_exhaustive()
    }
}

impl Default for Config {
    fn default() -> Self {
        Self {
            base_url: DEFAULT_BASE_URL.into(),
            api_key: None,
            email: None,
            tool: "casebook".into(),
            batch_size: 500,
            max_attempts: 6,
            progress: false,
            base_delay: Duration::from_secs(1),
            max_delay: Duration::from_secs(60),
            timeout: Duration::from_secs(120),
            connect_timeout: Duration::from_secs(20),
            max_search_ids: 9999,
            missing_rounds: 2,
        }
    }
}

impl Config {
    /// Defaults plus the environment: `CASEBOOK_EUTILS_URL`, `NCBI_API_KEY`, `NCBI_EMAIL`;
    /// also `CASEBOOK_EUTILS_MAX_ATTEMPTS` and `CASEBOOK_EUTILS_RETRY_BASE_MS` (for tests and
    /// impatient users). Empty values count as unset.
    pub fn from_env() -> Self {
        let var = |k: &str| std::env::var(k).ok().filter(|v| !v.trim().is_empty());
        let mut c = Config::default();
        if let Some(u) = var("CASEBOOK_EUTILS_URL") {
            c.base_url = u.trim().to_string();
        }
        c.api_key = var("NCBI_API_KEY").map(|k| k.trim().to_string());
        c.email = var("NCBI_EMAIL").map(|k| k.trim().to_string());
        if let Some(n) = var("CASEBOOK_EUTILS_MAX_ATTEMPTS").and_then(|v| v.trim().parse().ok()) {
            c.max_attempts = n;
        }
        if let Some(ms) = var("CASEBOOK_EUTILS_RETRY_BASE_MS").and_then(|v| v.trim().parse().ok()) {
            c.base_delay = Duration::from_millis(ms);
        }
        c
    }

    /// Requests per second NCBI allows this configuration.
    pub fn rate_limit(&self) -> u32 {
        if self.api_key.is_some() { 10 } else { 3 }
    }
}

/// Which date `mindate`/`maxdate` filter on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum DateType {
    /// Entrez date: when the record entered PubMed (use this for incremental updates).
    #[default]
    Edat,
    /// Publication date.
    Pdat,
}

impl DateType {
    /// The `datetype` parameter value.
    pub fn as_str(self) -> &'static str {
        match self {
            DateType::Edat => "edat",
            DateType::Pdat => "pdat",
        }
    }
}

/// A PubMed search.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Query {
    pub term: String,
    /// `YYYY`, `YYYY/MM` or `YYYY/MM/DD` (inclusive).
    pub mindate: Option<String>,
    /// `YYYY`, `YYYY/MM` or `YYYY/MM/DD` (inclusive); defaults to today when only `mindate` is set.
    pub maxdate: Option<String>,
    pub datetype: DateType,
}

impl Query {
    /// A search with no date limits.
    pub fn new(term: impl Into<String>) -> Self {
        Self {
            term: term.into(),
            ..Self::default()
        }
    }

    /// The incremental search after an update whose watermark (last Entrez date seen) was
    /// `watermark`: everything entered since `watermark - overlap_days` (Entrez date).
    pub fn since(
        term: impl Into<String>,
        watermark: &str,
        overlap_days: u32,
    ) -> Result<Self, Error> {
        let day = parse_date(watermark, false)? - i64::from(overlap_days);
        Ok(Self {
            term: term.into(),
            mindate: Some(format_day(day)),
            maxdate: None,
            datetype: DateType::Edat,
        })
    }
}

/// Days since 1970-01-01 of a civil date (proleptic Gregorian).
pub(crate) fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let m = i64::from(m);
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(d) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The civil date of a day number.
pub(crate) fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y, m, d)
}

fn days_in_month(y: i64, m: u32) -> u32 {
    (days_from_civil(
        if m == 12 { y + 1 } else { y },
        if m == 12 { 1 } else { m + 1 },
        1,
    ) - days_from_civil(y, m, 1)) as u32
}

/// Parses `YYYY`, `YYYY/MM`, `YYYY/MM/DD` (or with `-`) into a day number; a partial date is
/// its first day, or its last when `end` is set.
pub(crate) fn parse_date(input: &str, end: bool) -> Result<i64, Error> {
    let bad = |reason| Error::InvalidDate {
        input: input.to_string(),
        reason,
    };
    let parts: Vec<&str> = input.trim().split(['/', '-']).collect();
    if parts.is_empty() || parts.len() > 3 || parts.iter().any(|p| p.is_empty()) {
        return Err(bad("expected YYYY, YYYY/MM or YYYY/MM/DD"));
    }
    if !parts.iter().all(|p| p.bytes().all(|b| b.is_ascii_digit())) || parts[0].len() != 4 {
        return Err(bad("expected YYYY, YYYY/MM or YYYY/MM/DD"));
    }
    let y: i64 = parts[0].parse().map_err(|_| bad("bad year"))?;
    let m: u32 = match parts.get(1) {
        Some(p) => p.parse().map_err(|_| bad("bad month"))?,
        None if end => 12,
        None => 1,
    };
    if !(1..=12).contains(&m) {
        return Err(bad("month out of range"));
    }
    let dim = days_in_month(y, m);
    let d: u32 = match parts.get(2) {
        Some(p) => p.parse().map_err(|_| bad("bad day"))?,
        None if end => dim,
        None => 1,
    };
    if d == 0 || d > dim {
        return Err(bad("day out of range"));
    }
    Ok(days_from_civil(y, m, d))
}

/// `YYYY/MM/DD` of a day number.
pub(crate) fn format_day(day: i64) -> String {
    let (y, m, d) = civil_from_days(day);
    format!("{y:04}/{m:02}/{d:02}")
}

/// Today's day number (UTC).
pub(crate) fn today() -> i64 {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    i64::try_from(secs / 86_400).unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn civil_roundtrip() {
        for day in [-719_468, -1, 0, 1, 10_957, 20_000, 20_507, 2_932_896] {
            let (y, m, d) = civil_from_days(day);
            assert_eq!(days_from_civil(y, m, d), day);
        }
        assert_eq!(days_from_civil(1970, 1, 1), 0);
        assert_eq!(format_day(days_from_civil(2024, 2, 29)), "2024/02/29");
    }

    #[test]
    fn dates_parse_with_partial_forms() {
        assert_eq!(format_day(parse_date("2020", false).unwrap()), "2020/01/01");
        assert_eq!(format_day(parse_date("2020", true).unwrap()), "2020/12/31");
        assert_eq!(
            format_day(parse_date("2023/02", true).unwrap()),
            "2023/02/28"
        );
        assert_eq!(
            format_day(parse_date("2024-02-29", false).unwrap()),
            "2024/02/29"
        );
        for bad in [
            "",
            "20",
            "2020/13",
            "2023/02/29",
            "2020/1/x",
            "2020/01/01/01",
        ] {
            assert!(parse_date(bad, false).is_err(), "{bad} accepted");
        }
    }

    #[test]
    fn since_subtracts_the_overlap() {
        let q = Query::since("jdm", "2024/03/02", 3).unwrap();
        assert_eq!(q.mindate.as_deref(), Some("2024/02/28"));
        assert_eq!(q.datetype, DateType::Edat);
        assert!(Query::since("jdm", "yesterday", 3).is_err());
    }

    #[test]
    fn debug_hides_the_key() {
        let c = Config {
            api_key: Some("SECRETKEY123".into()),
            ..Config::default()
        };
        assert!(!format!("{c:?}").contains("SECRETKEY123"));
        assert_eq!(c.rate_limit(), 10);
        assert_eq!(Config::default().rate_limit(), 3);
    }
}
