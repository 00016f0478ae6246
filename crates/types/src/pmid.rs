use std::{fmt, str::FromStr};

use serde::{Deserialize, Serialize};

use crate::Error;

/// A PubMed identifier: a positive integer (at most 8 digits today, 9 allowed).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "PmidRepr", into = "u32")]
pub struct Pmid(u32);

#[derive(Deserialize)]
#[serde(untagged)]
enum PmidRepr {
    Num(u32),
    Str(String),
}

impl TryFrom<PmidRepr> for Pmid {
    type Error = Error;
    fn try_from(r: PmidRepr) -> Result<Self, Error> {
        match r {
            PmidRepr::Num(n) => Pmid::new(n),
            PmidRepr::Str(s) => s.parse(),
        }
    }
}

impl From<Pmid> for u32 {
    fn from(p: Pmid) -> u32 {
        p.0
    }
}

impl Pmid {
    /// A PMID from its number; zero is not a PMID.
    pub fn new(n: u32) -> Result<Self, Error> {
        if n == 0 {
            return Err(Error::InvalidPmid {
                input: "0".into(),
                reason: "PMIDs start at 1",
            });
        }
        Ok(Self(n))
    }

    /// The number.
    pub fn get(self) -> u32 {
        self.0
    }
}

impl FromStr for Pmid {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self, Error> {
        let t = s.trim();
        if t.is_empty() || t.len() > 9 || !t.bytes().all(|b| b.is_ascii_digit()) {
            return Err(Error::InvalidPmid {
                input: s.into(),
                reason: "expected 1 to 9 digits",
            });
        }
        let n: u32 = t.parse().map_err(|_| Error::InvalidPmid {
            input: s.into(),
            reason: "out of range",
        })?;
        Pmid::new(n).map_err(|_| Error::InvalidPmid {
            input: s.into(),
            reason: "PMIDs start at 1",
        })
    }
}

impl fmt::Display for Pmid {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_rejects() {
        assert_eq!("18716733".parse::<Pmid>().unwrap().get(), 18_716_733);
        assert_eq!(" 42 ".parse::<Pmid>().unwrap().to_string(), "42");
        assert!("0".parse::<Pmid>().is_err());
        assert!("12a".parse::<Pmid>().is_err());
        assert!("".parse::<Pmid>().is_err());
        assert!("1234567890".parse::<Pmid>().is_err());
    }

    #[test]
    fn serde_accepts_number_and_string() {
        let a: Pmid = serde_json::from_str("17169297").unwrap();
        let b: Pmid = serde_json::from_str("\"17169297\"").unwrap();
        assert_eq!(a, b);
        assert_eq!(serde_json::to_string(&a).unwrap(), "17169297");
    }
}
