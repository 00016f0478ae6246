//! Text capture for leaf and mixed-content elements: keeps every piece of text, decodes
//! references, and records inline markup (`<i>`, `<sup>`, `<mml:math>`, ...) as byte ranges.

use casebook_types::Markup;
use quick_xml::events::{BytesRef, BytesStart, BytesText};

/// XML whitespace.
const WS: [char; 4] = [' ', '\t', '\r', '\n'];

/// One element open inside the captured element.
#[derive(Debug, Clone, Copy)]
struct Inline {
    /// Index into `markup` when this element is recorded (not for MathML descendants).
    markup: Option<usize>,
    /// Inside `<mml:math>`: whether this is a token element (`mi`, `mn`, `mo`, `mtext`, `ms`)
    /// whose text is content; whitespace between other MathML elements is layout only.
    math_token: bool,
}

/// The text of the element being captured, built event by event.
#[derive(Debug, Default)]
pub(super) struct Capture {
    pub(super) text: String,
    pub(super) markup: Vec<Markup>,
    open: Vec<Inline>,
    /// Number of open elements from the outermost `<mml:math>` down (0 = not in MathML).
    math_depth: u32,
}

impl Capture {
    pub(super) fn reset(&mut self) {
        self.text.clear();
        self.markup.clear();
        self.open.clear();
        self.math_depth = 0;
    }

    /// Whether the captured element itself is the one closing now (no inline element open).
    pub(super) fn at_top(&self) -> bool {
        self.open.is_empty()
    }

    /// An element opens inside the captured element.
    pub(super) fn open(&mut self, e: &BytesStart<'_>) {
        let qname = e.name();
        let name: &str = qname.as_ref();
        let local: &str = e.local_name().into_inner();
        if self.math_depth > 0 {
            self.math_depth += 1;
            self.open.push(Inline {
                markup: None,
                math_token: matches!(local, "mi" | "mn" | "mo" | "mtext" | "ms"),
            });
            return;
        }
        if local == "math" {
            self.math_depth = 1;
        }
        self.markup.push(Markup {
            tag: name.to_owned(),
            start: self.text.len(),
            end: self.text.len(),
        });
        self.open.push(Inline {
            markup: Some(self.markup.len() - 1),
            math_token: false,
        });
    }

    /// The innermost open inline element closes.
    pub(super) fn close(&mut self) {
        if let Some(inline) = self.open.pop() {
            if let Some(i) = inline.markup
                && let Some(m) = self.markup.get_mut(i)
            {
                m.end = self.text.len();
            }
            self.math_depth = self.math_depth.saturating_sub(1);
        }
    }

    /// A text event: [`Self::push_text`] of its content with line ends normalised. Short text
    /// without a line end (names, dates, identifiers: most fields) is appended directly, one
    /// byte loop instead of two searches.
    pub(super) fn push_xml_text(&mut self, t: &BytesText<'_>) {
        let raw: &str = t;
        if raw.len() <= 64 && !raw.bytes().any(|b| b == b'\r' || b == b'\n') {
            if self.math_depth == 0 {
                self.text.push_str(raw);
            } else {
                self.push_text(raw);
            }
        } else {
            self.push_text(&t.xml10_content());
        }
    }

    /// Character data (already checked to be UTF-8; line ends normalised by the caller).
    ///
    /// Whitespace is kept as in the source, except that a run of whitespace holding a line
    /// break (pretty-printing inside mixed content) becomes one space, or nothing where the
    /// text already ends in a space or has not started.
    pub(super) fn push_text(&mut self, s: &str) {
        if self.math_depth > 0
            && !self.open.last().is_some_and(|i| i.math_token)
            && s.bytes().all(|b| b.is_ascii_whitespace())
        {
            return;
        }
        if !s.contains('\n') {
            self.text.push_str(s);
            return;
        }
        let mut rest = s;
        while let Some(i) = rest.find('\n') {
            self.text.push_str(rest[..i].trim_end_matches(WS));
            rest = rest[i..].trim_start_matches(WS);
            if !self.text.is_empty() && !self.text.ends_with(WS) {
                self.text.push(' ');
            }
        }
        self.text.push_str(rest);
    }

    /// A general or character reference. Predefined entities and character references are
    /// decoded; any other entity is an error (the reader checks before this is called).
    pub(super) fn push_ref(&mut self, r: &BytesRef<'_>) -> Result<(), String> {
        push_ref(&mut self.text, r)
    }

    /// The captured text with leading and trailing whitespace removed, markup ranges moved
    /// to match.
    pub(super) fn finish(&mut self) -> (&str, &[Markup]) {
        let full = self.text.as_str();
        let trimmed_start = full.trim_start();
        let lead = full.len() - trimmed_start.len();
        let trimmed = trimmed_start.trim_end();
        let len = trimmed.len();
        if lead > 0 || len != full.len() {
            for m in &mut self.markup {
                m.start = m.start.saturating_sub(lead).min(len);
                m.end = m.end.saturating_sub(lead).min(len);
            }
        }
        (&self.text[lead..lead + len], &self.markup)
    }
}

/// Appends the decoded reference to `out`.
pub(super) fn push_ref(out: &mut String, r: &BytesRef<'_>) -> Result<(), String> {
    match r.resolve_char_ref() {
        Ok(Some(c)) => out.push(c),
        Ok(None) => match &**r {
            "lt" => out.push('<'),
            "gt" => out.push('>'),
            "amp" => out.push('&'),
            "apos" => out.push('\''),
            "quot" => out.push('"'),
            // The reader rejects any other entity before text is captured; never copy one
            // through raw.
            other => return Err(format!("entity reference `&{other};` is not declared")),
        },
        Err(e) => return Err(format!("bad character reference `&{};`: {e}", &**r)),
    }
    Ok(())
}

/// The first run of exactly four ASCII digits (`1965 Dec-1966 Jan` -> 1965).
pub(super) fn first_year(s: &str) -> Option<i32> {
    let b = s.as_bytes();
    let mut i = 0;
    while i < b.len() {
        if b[i].is_ascii_digit() {
            let start = i;
            while i < b.len() && b[i].is_ascii_digit() {
                i += 1;
            }
            if i - start == 4 {
                return s[start..i].parse().ok();
            }
        } else {
            i += 1;
        }
    }
    None
}

/// A month as a number 1-12, from `3`, `03`, `Mar` or `March` (case-insensitive).
pub(super) fn month_number(s: &str) -> Option<u8> {
    const NAMES: [&str; 12] = [
        "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
    ];
    let s = s.trim();
    if let Ok(n) = s.parse::<u8>() {
        return (1..=12).contains(&n).then_some(n);
    }
    let head = s.get(..3)?;
    NAMES
        .iter()
        .position(|n| head.eq_ignore_ascii_case(n))
        .map(|i| i as u8 + 1)
}

/// A day 1-31.
pub(super) fn day_number(s: &str) -> Option<u8> {
    s.trim().parse::<u8>().ok().filter(|d| (1..=31).contains(d))
}

/// A year (any integer that fits; PubMed years are four digits).
pub(super) fn year_number(s: &str) -> Option<i32> {
    s.trim().parse().ok()
}

/// Non-empty text as an owned string.
pub(super) fn some(s: &str) -> Option<String> {
    (!s.is_empty()).then(|| s.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_breaks_in_text_become_one_space() {
        let mut c = Capture::default();
        c.push_text("a fast-acting \u{3b2}\n\t\t");
        c.push_text("2");
        c.push_text("-agonist\n   and  two  spaces\n");
        c.push_text("\n  next");
        assert_eq!(
            c.text,
            "a fast-acting \u{3b2} 2-agonist and  two  spaces next"
        );
        let mut c = Capture::default();
        c.push_text("\n   lead");
        assert_eq!(c.text, "lead");
    }

    #[test]
    fn text_events_fast_path_equals_the_general_one() {
        let long = "x".repeat(100);
        let pieces = [
            "plain",
            "  lead and trail  ",
            "a\r\nb",
            "a\rb",
            "line\n\t\tbreak",
            "\n   ",
            "   ",
            long.as_str(),
            "\u{3b2}-agonist",
        ];
        for math in [false, true] {
            let (mut fast, mut general) = (Capture::default(), Capture::default());
            for c in [&mut fast, &mut general] {
                c.push_text("start ");
                if math {
                    c.open(&BytesStart::new("mml:math"));
                    c.open(&BytesStart::new("mml:mrow"));
                }
            }
            for p in pieces {
                let t = BytesText::from_escaped(p);
                fast.push_xml_text(&t);
                general.push_text(&t.xml10_content());
            }
            assert_eq!(fast.text, general.text, "math: {math}");
        }
    }

    #[test]
    fn years_months_days() {
        assert_eq!(first_year("1965 Dec-1966 Jan"), Some(1965));
        assert_eq!(first_year("Winter 1944-1945"), Some(1944));
        assert_eq!(first_year("12345 2001"), Some(2001));
        assert_eq!(first_year("no year"), None);
        assert_eq!(month_number("Mar"), Some(3));
        assert_eq!(month_number("09"), Some(9));
        assert_eq!(month_number("December"), Some(12));
        assert_eq!(month_number("13"), None);
        assert_eq!(day_number("07"), Some(7));
        assert_eq!(day_number("0"), None);
    }
}
