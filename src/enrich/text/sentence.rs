//! Sentence splitter for Arabic, English and French news text.
//!
//! Rules, in order:
//! - a line break ends a paragraph and the sentence in it (news bodies put one
//!   paragraph per line; titles, subheadings and datelines stand alone);
//! - `.` `!` `?` `؟` `…` `۔` end a sentence, together with any closing
//!   brackets after them, when what follows is not a lowercase Latin letter or
//!   a comma-like mark;
//! - no split inside quotes (`«…»`, `“…”`, `„…“`, `"…"`) unless the quote
//!   itself ends the sentence (`… win.” Then`); a paragraph whose quotes do not
//!   balance is split again as if it had none;
//! - a `.` is not an end after a title abbreviation (Mr., Dr., Mme., M., Gen.),
//!   after a single letter (initials: J. K. Rowling, U.S., د.), inside a number
//!   (3.5) or a web address, or after `No.`/`p.`/`Jan.` followed by a number.
//!   A single Arabic letter after a year (2018م.) may end a sentence.

use super::token::R32;

/// Abbreviations after which a `.` never ends a sentence (lowercase, no dot).
const TITLES: &[&str] = &[
    "mr", "mrs", "ms", "dr", "prof", "sr", "st", "mt", "gen", "col", "lt", "sgt", "capt", "cmdr",
    "adm", "gov", "sen", "rep", "rev", "hon", "pres", "vs", "cf", "e.g", "i.e", "m", "mm", "mme",
    "mmes", "mlle", "mlles", "me", "mgr", "pr", "ste", "messrs",
];

/// Abbreviations after which a `.` does not end a sentence when a number follows.
const BEFORE_NUMBER: &[&str] = &[
    "no", "nos", "nr", "p", "pp", "vol", "art", "chap", "fig", "jan", "feb", "mar", "apr", "jun",
    "jul", "aug", "sep", "sept", "oct", "nov", "dec", "janv", "févr", "avr", "juil", "déc", "n°",
];

#[inline]
fn is_terminator(c: char) -> bool {
    matches!(c, '.' | '!' | '?' | '؟' | '…' | '۔' | '‼' | '⁉' | '⁈')
}

#[inline]
fn is_closing(c: char) -> bool {
    matches!(c, ')' | ']' | '}')
}

/// Marks after which a terminator does not end the sentence.
#[inline]
fn is_continuation(c: char) -> bool {
    matches!(c, ',' | ';' | ':' | '،' | '؛' | '-' | '–')
        || if c.is_ascii() || ('\u{0600}'..='\u{06FF}').contains(&c) {
            c.is_ascii_lowercase()
        } else {
            c.is_lowercase()
        }
}

/// (alphabetic, numeric) of ASCII, the common Arabic letters and the
/// Arabic-Indic digits, read without the Unicode tables; `None` for any
/// other character.
#[inline]
fn quick_class(c: char) -> Option<(bool, bool)> {
    let cp = c as u32;
    if c.is_ascii() {
        Some((c.is_ascii_alphabetic(), c.is_ascii_digit()))
    } else if super::bytes::is_common_arabic_letter(cp) {
        Some((true, false))
    } else if (0x0660..=0x0669).contains(&cp) {
        Some((false, true))
    } else {
        None
    }
}

/// `char::is_alphanumeric`, through [`quick_class`] where it answers.
#[inline]
fn is_alphanumeric(c: char) -> bool {
    quick_class(c).map_or_else(|| c.is_alphanumeric(), |(a, n)| a || n)
}

/// `char::is_alphabetic`, through [`quick_class`] where it answers.
#[inline]
fn is_alphabetic(c: char) -> bool {
    quick_class(c).map_or_else(|| c.is_alphabetic(), |(a, _)| a)
}

/// `char::is_numeric`, through [`quick_class`] where it answers.
#[inline]
fn is_numeric(c: char) -> bool {
    quick_class(c).map_or_else(|| c.is_numeric(), |(_, n)| n)
}

/// Splits `text` into sentences: byte ranges trimmed of surrounding white
/// space, in order, each holding at least one letter or digit.
pub fn split(text: &str) -> Vec<std::ops::Range<usize>> {
    let mut out = Vec::new();
    split_into(text, &mut out);
    out.into_iter()
        .map(|r| r.start as usize..r.end as usize)
        .collect()
}

/// Bytes of the characters the splitter looks at: `.` `!` `?` `"`, the lead
/// byte E2 (… “ ” „ ‼ ⁉ ⁈), and the last bytes of « » (C2 AB, C2 BB),
/// ؟ (D8 9F) and ۔ (DB 94).
static MARK_BYTES: [bool; 256] = super::bytes::byte_set(MARKS);

/// The bytes of [`MARK_BYTES`].
const MARKS: &[u8] = b".!?\"\xE2\xAB\xBB\x9F\x94";

/// [`MARK_BYTES`] and the bytes that may begin a paragraph break: \n \r,
/// U+0085 (C2 85), U+2028 and U+2029 (E2 80 A8/A9).
static SEEN_BYTES: [bool; 256] =
    super::bytes::with_bytes(super::bytes::byte_set(MARKS), b"\n\r\xC2");

pub(crate) fn split_into(text: &str, out: &mut Vec<R32>) {
    split_with(text, out, &mut Vec::new());
}

/// [`split_into`] with the positions of the bytes it looks at kept in
/// `seen` (cleared first), a vector that can be reused.
pub(crate) fn split_with(text: &str, out: &mut Vec<R32>, seen: &mut Vec<usize>) {
    // One pass over the bytes finds every byte either step looks at: the
    // paragraph breaks below, the marks in [`Splitter::run`].
    let bytes = text.as_bytes();
    seen.clear();
    seen.reserve(bytes.len() / 32 + 8);
    let mut i = 0;
    while i < bytes.len() {
        i += super::bytes::find_in_set(bytes.get(i..).unwrap_or(&[]), &SEEN_BYTES);
        if i < bytes.len() {
            seen.push(i);
        }
        i += 1;
    }
    let mut ps = 0;
    let mut from = 0;
    for (k, &i) in seen.iter().enumerate() {
        if i < ps {
            continue;
        }
        let brk = match bytes.get(i) {
            Some(b'\n' | b'\r') => 1,
            Some(0xC2) if bytes.get(i + 1) == Some(&0x85) => 2,
            Some(0xE2)
                if bytes.get(i + 1) == Some(&0x80)
                    && matches!(bytes.get(i + 2), Some(0xA8 | 0xA9)) =>
            {
                3
            }
            _ => 0,
        };
        if brk > 0 {
            paragraph(text, ps, i, seen.get(from..k).unwrap_or(&[]), out);
            ps = i + brk;
            from = k + 1;
        }
    }
    paragraph(text, ps, text.len(), seen.get(from..).unwrap_or(&[]), out);
}

/// Splits the paragraph `ps..pe`, whose marks are among `seen` (positions
/// in order).
fn paragraph(text: &str, ps: usize, pe: usize, seen: &[usize], out: &mut Vec<R32>) {
    if ps >= pe {
        return;
    }
    let mark = out.len();
    if !Splitter::new(text, ps, pe, true).run(seen, out) {
        out.truncate(mark);
        Splitter::new(text, ps, pe, false).run(seen, out);
    }
}

struct Splitter<'a> {
    text: &'a str,
    pe: usize,
    sent_start: usize,
    quotes: bool,
}

impl<'a> Splitter<'a> {
    fn new(text: &'a str, ps: usize, pe: usize, quotes: bool) -> Self {
        Splitter {
            text,
            pe,
            sent_start: ps,
            quotes,
        }
    }

    fn at(&self, i: usize) -> Option<char> {
        if i >= self.pe {
            return None;
        }
        self.text.get(i..).and_then(|s| s.chars().next())
    }

    /// Next non-space character at or after `i` in the paragraph.
    fn next_visible(&self, mut i: usize) -> Option<char> {
        while let Some(c) = self.at(i) {
            if !c.is_whitespace() {
                return Some(c);
            }
            i += c.len_utf8();
        }
        None
    }

    fn push(&mut self, end: usize, out: &mut Vec<R32>) {
        push_trimmed(self.text, self.sent_start, end, out);
        self.sent_start = end;
    }

    /// Returns false when quotes did not balance. `seen` holds, in order,
    /// every position of the paragraph whose byte is in [`MARK_BYTES`].
    fn run(mut self, seen: &[usize], out: &mut Vec<R32>) -> bool {
        let mut depth = 0u32;
        let mut straight_open = false;
        let mut i = self.sent_start;
        let bytes = self.text.as_bytes();
        let mut marks = seen
            .iter()
            .copied()
            .filter(|&k| bytes.get(k).is_some_and(|&b| MARK_BYTES[usize::from(b)]));
        while i < self.pe {
            // Only quotes and terminators matter: go to the next of their
            // bytes at or after `i`.
            let Some(next) = marks.by_ref().find(|&k| k >= i) else {
                break;
            };
            i = next;
            let Some(&b) = bytes.get(i).filter(|_| i < self.pe) else {
                break;
            };
            if (0x80..0xC0).contains(&b) {
                // The last byte of « » ؟ ۔: back to the character's start.
                let lead = bytes.get(i.wrapping_sub(1)).copied();
                if matches!(
                    (lead, b),
                    (Some(0xC2), 0xAB | 0xBB) | (Some(0xD8), 0x9F) | (Some(0xDB), 0x94)
                ) {
                    i -= 1;
                } else {
                    i += 1;
                    continue;
                }
            }
            let Some(c) = self.at(i) else { break };
            let next_i = i + c.len_utf8();
            if self.quotes {
                let closed = match c {
                    '«' | '„' => {
                        depth += 1;
                        false
                    }
                    '“' if depth == 0 => {
                        depth += 1;
                        false
                    }
                    '»' | '”' | '“' => {
                        depth = depth.saturating_sub(1);
                        depth == 0 && !straight_open
                    }
                    '"' => {
                        // A straight quote opens when none is open, else closes.
                        straight_open = !straight_open;
                        !straight_open && depth == 0
                    }
                    _ => false,
                };
                if closed {
                    self.quote_closed(i, next_i, out);
                    i = next_i;
                    continue;
                }
                if depth > 0 || straight_open {
                    i = next_i;
                    continue;
                }
            }
            if is_terminator(c) {
                i = self.terminator(i, c, out);
                continue;
            }
            i = next_i;
        }
        let end = self.pe;
        self.push(end, out);
        depth == 0 && !straight_open
    }

    /// A quote closed at `q`: split after it when its text ended a sentence.
    fn quote_closed(&mut self, q: usize, after: usize, out: &mut Vec<R32>) {
        let inner_end = self
            .text
            .get(..q)
            .and_then(|s| s.trim_end().chars().next_back());
        if !inner_end.is_some_and(is_terminator) {
            return;
        }
        let mut end = after;
        while let Some(c) = self.at(end).filter(|&c| is_closing(c)) {
            end += c.len_utf8();
        }
        match self.next_visible(end) {
            None => {}
            Some(n) if is_continuation(n) || is_terminator(n) => {}
            Some(_) => self.push(end, out),
        }
    }

    /// Handles a terminator at `i`; returns where scanning resumes.
    fn terminator(&mut self, i: usize, c: char, out: &mut Vec<R32>) -> usize {
        let mut end = i + c.len_utf8();
        let mut run = 1;
        while let Some(d) = self.at(end) {
            if is_terminator(d) {
                run += 1;
            } else if !is_closing(d) {
                break;
            }
            end += d.len_utf8();
        }
        let next_raw = self.at(end);
        let next = self.next_visible(end);
        let Some(n) = next else {
            return end;
        };
        if is_continuation(n) {
            return end;
        }
        if c == '.' && run == 1 {
            // A '.' must be followed by white space (3.5, example.com, U.S.A).
            if !next_raw.is_some_and(char::is_whitespace) {
                return end;
            }
            if self.abbreviation_before(i, n) {
                return end;
            }
        }
        self.push(end, out);
        end
    }

    /// Whether the `.` at `dot` closes an abbreviation or an initial.
    fn abbreviation_before(&self, dot: usize, next: char) -> bool {
        let head = self.text.get(self.sent_start..dot).unwrap_or("");
        let word_start = head
            .char_indices()
            .rev()
            .find(|&(_, c)| !(is_alphanumeric(c) || c == '.' || c == '°' || c == 'ـ'))
            .map(|(k, c)| k + c.len_utf8())
            .unwrap_or(0);
        let word = &head[word_start..];
        if word.is_empty() {
            return false;
        }
        let mut letters = word.chars().filter(|&c| is_alphabetic(c));
        let first = letters.next();
        let single = first.is_some() && letters.next().is_none() && !word.contains('.');
        if let Some(f) = first.filter(|_| single) {
            if super::arabic::is_arabic_letter(f) {
                // 2018م. / 1440هـ. end sentences; د. محمد does not.
                let before = head[..word_start].trim_end().chars().next_back();
                let after_number = word.chars().any(is_numeric) || before.is_some_and(is_numeric);
                return !after_number;
            }
            // A single capital: an initial (J. K. Rowling, M. Macron).
            return f.is_uppercase() && word.chars().count() == 1;
        }
        // Initialisms: U.S, e.g (the last dot is this one).
        if word.contains('.')
            && word
                .split('.')
                .all(|p| p.chars().count() == 1 && p.chars().all(is_alphabetic))
        {
            return true;
        }
        if word.is_ascii() {
            let is = |list: &[&str]| list.iter().any(|a| a.eq_ignore_ascii_case(word));
            return is(TITLES) || (is_numeric(next) && is(BEFORE_NUMBER));
        }
        // The lists hold Latin letters and ° only, and a letter of the
        // Arabic block (lead bytes D8..DB) is its own lowercase: such a
        // word is in neither list.
        if word.bytes().any(|b| matches!(b, 0xD8..=0xDB)) {
            return false;
        }
        let lower = word.to_lowercase();
        if TITLES.contains(&lower.as_str()) {
            return true;
        }
        BEFORE_NUMBER.contains(&lower.as_str()) && is_numeric(next)
    }
}

fn push_trimmed(text: &str, start: usize, end: usize, out: &mut Vec<R32>) {
    let Some(s) = text.get(start..end) else {
        return;
    };
    let t = s.trim_start();
    let st = start + (s.len() - t.len());
    let t = t.trim_end();
    if t.chars().any(super::token::is_alnum) {
        out.push(R32 {
            start: st as u32,
            end: (st + t.len()) as u32,
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn sentences(text: &str) -> Vec<&str> {
        split(text).into_iter().map(|r| &text[r]).collect()
    }

    #[test]
    fn table() {
        let cases: &[(&str, &str, &[&str])] = &[
            (
                "arabic punctuation",
                "هل وصل الوفد؟ نعم، وصل أمس. وبدأت المحادثات!",
                &["هل وصل الوفد؟", "نعم، وصل أمس.", "وبدأت المحادثات!"],
            ),
            (
                "paragraphs",
                "عنوان فرعي\nقال الوزير إن الاتفاق مهم.",
                &["عنوان فرعي", "قال الوزير إن الاتفاق مهم."],
            ),
            (
                "guillemets do not split",
                "قال الأسد إن «الاتفاقية مهمة. وهي تخدم البلدين» حسب زعمه. وانتهى اللقاء.",
                &[
                    "قال الأسد إن «الاتفاقية مهمة. وهي تخدم البلدين» حسب زعمه.",
                    "وانتهى اللقاء.",
                ],
            ),
            (
                "straight quotes do not split",
                "He said \"We will win. We always do\" and left. Then it rained.",
                &[
                    "He said \"We will win. We always do\" and left.",
                    "Then it rained.",
                ],
            ),
            (
                "quote ending the sentence",
                "He said: \u{201C}We will win.\u{201D} Then he left.",
                &["He said: \u{201C}We will win.\u{201D}", "Then he left."],
            ),
            (
                "abbreviations",
                "Mr. Smith met Dr. Jones in the U.S. capital. They spoke.",
                &[
                    "Mr. Smith met Dr. Jones in the U.S. capital.",
                    "They spoke.",
                ],
            ),
            (
                "french titles",
                "M. Macron a reçu Mme. Dupont. La réunion a duré 3.5 heures.",
                &[
                    "M. Macron a reçu Mme. Dupont.",
                    "La réunion a duré 3.5 heures.",
                ],
            ),
            (
                "initials and decimals",
                "J. K. Rowling sold 3.5 million copies. It was 2.5% more.",
                &[
                    "J. K. Rowling sold 3.5 million copies.",
                    "It was 2.5% more.",
                ],
            ),
            (
                "number abbreviation",
                "See No. 5 on the list. Next.",
                &["See No. 5 on the list.", "Next."],
            ),
            (
                "arabic doctor and year",
                "التقى د. محمد بالوزير عام 2018م. ثم عاد.",
                &["التقى د. محمد بالوزير عام 2018م.", "ثم عاد."],
            ),
            (
                "lowercase continues",
                "It costs approx. five dollars. Fine.",
                &["It costs approx. five dollars.", "Fine."],
            ),
            (
                "unbalanced quote falls back",
                "He said \"we will win. They left. It rained.",
                &["He said \"we will win.", "They left.", "It rained."],
            ),
            (
                "ellipsis inside quote",
                "وقال إن الاتفاق \"سيعزز إرادتنا (..) لمواجهة الضغوط\". وأضاف.",
                &[
                    "وقال إن الاتفاق \"سيعزز إرادتنا (..) لمواجهة الضغوط\".",
                    "وأضاف.",
                ],
            ),
        ];
        for (name, text, want) in cases {
            assert_eq!(sentences(text), *want, "{name}");
        }
    }

    #[test]
    fn classes_agree_with_unicode() {
        for c in '\0'..=char::MAX {
            assert_eq!(is_alphabetic(c), c.is_alphabetic(), "{c:?}");
            assert_eq!(is_numeric(c), c.is_numeric(), "{c:?}");
            assert_eq!(is_alphanumeric(c), c.is_alphanumeric(), "{c:?}");
        }
    }

    proptest! {
        #[test]
        fn never_panics_and_ranges_are_valid(s in "\\PC{0,300}") {
            for r in split(&s) {
                prop_assert!(s.get(r.clone()).is_some());
                prop_assert!(r.start < r.end);
            }
        }

        #[test]
        #[test]
        fn never_panics_on_punctuation(s in "[a-zA-Z\u{0627}-\u{064A} .!?؟«»\"“”\n()0-9]{0,200}") {
            let _ = split(&s);
        }
    }
}
