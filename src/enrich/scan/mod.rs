//! Small scanning helpers shared by the date, quote and amount
//! extractors: word boundaries with Arabic proclitics, digits in every script,
//! number parsing, an on-demand token reader, byte → code-point offsets, and
//! the vocabulary matching they share ([`SharedVocabulary`], [`EntryLookup`]).
//!
//! Everything here works on byte offsets into a `&str` and never panics: every
//! offset handed back lies on a `char` boundary.

mod lookup;
mod tokens;
mod vocabulary;

pub use lookup::{own_matches, EntryAt, EntryLookup, Listed, VocabMatch};
pub use tokens::{next_token, number_at, prev_token, token_at, Tok, TokKind};
pub use vocabulary::{Occurrences, SharedVocabulary, MARKS};

/// Value of a decimal digit in ASCII, Arabic-Indic (U+0660..) or Extended
/// Arabic-Indic (U+06F0..) script.
#[inline]
pub fn digit_value(c: char) -> Option<u32> {
    match c {
        '0'..='9' => Some(c as u32 - '0' as u32),
        '\u{0660}'..='\u{0669}' => Some(c as u32 - 0x0660),
        '\u{06F0}'..='\u{06F9}' => Some(c as u32 - 0x06F0),
        _ => None,
    }
}

/// Whether a digit (ASCII, U+0660.. or U+06F0..) starts at byte `i`, read
/// from the UTF-8 bytes without decoding (the fast path of number scans).
#[inline]
pub fn digit_starts_at(bytes: &[u8], i: usize) -> bool {
    digit_at(bytes, i).is_some()
}

/// Bytes a digit may start with (ASCII digits, the lead bytes of U+0660.. and U+06F0..).
static DIGIT_LEAD: [bool; 256] = {
    let mut set = [false; 256];
    let mut b = b'0';
    while b <= b'9' {
        set[b as usize] = true;
        b += 1;
    }
    set[0xD9] = true;
    set[0xDB] = true;
    set
};

/// Where each digit starts in `text`, in order ([`digit_starts_at`]); the
/// shared pass gives the same list ([`Occurrences::digits`]).
pub fn digit_starts(text: &str) -> Vec<u32> {
    let bytes = text.as_bytes();
    (0..bytes.len().min(u32::MAX as usize))
        .filter(|&i| DIGIT_LEAD[bytes[i] as usize] && digit_starts_at(bytes, i))
        .map(|i| i as u32)
        .collect()
}

/// Walks the digit starts `digits` (increasing byte offsets) from one number
/// to the next: `at(i)` reads the number at `i` and returns where the walk
/// goes on (never before `i + 1`); `None` moves to the next digit.
pub fn walk_numbers(digits: &[u32], mut at: impl FnMut(usize) -> Option<usize>) {
    let mut from = 0;
    for &d in digits {
        let i = d as usize;
        if i < from {
            continue;
        }
        from = at(i).map_or(i + 1, |next| next.max(i + 1));
    }
}

#[inline]
pub fn is_digit(c: char) -> bool {
    digit_value(c).is_some()
}

/// Arabic harakat, tatweel and similar marks that live inside words.
#[inline]
pub fn is_word_mark(c: char) -> bool {
    matches!(c, '\u{064B}'..='\u{065F}' | '\u{0670}' | '\u{0640}')
}

/// A letter (or in-word mark) of any script; digits are not letters.
#[inline]
pub fn is_letter(c: char) -> bool {
    match c {
        'a'..='z' | 'A'..='Z' => true,
        '\0'..='\u{7F}' => false,
        // The common Arabic letters, harakat and tatweel; the rest of the
        // block and other scripts go through the Unicode tables.
        '\u{0621}'..='\u{063A}' | '\u{0640}'..='\u{065F}' | '\u{0670}' => true,
        '\u{0660}'..='\u{0669}' | '\u{06F0}'..='\u{06F9}' => false,
        // Frequent punctuation outside ASCII: NBSP, « », the Arabic comma,
        // semicolon, question mark, percent and number separators, and the
        // General Punctuation block (dashes, quotes, spaces, ZWNJ, marks).
        '\u{00A0}' | '\u{00AB}' | '\u{00BB}' => false,
        '\u{060C}' | '\u{061B}' | '\u{061F}' | '\u{066A}'..='\u{066D}' => false,
        '\u{2000}'..='\u{206F}' => false,
        _ => c.is_alphabetic() || is_word_mark(c),
    }
}

/// The character ending at byte `pos`; `None` at the start or off a
/// character boundary. One- and two-byte characters (ASCII, Latin, Arabic)
/// are read straight from the bytes.
#[inline]
pub fn char_before(text: &str, pos: usize) -> Option<char> {
    let bytes = text.as_bytes();
    let on_boundary = match bytes.get(pos) {
        Some(&b) => !is_continuation(b),
        None => pos == bytes.len(),
    };
    if on_boundary && pos > 0 {
        let last = bytes[pos - 1];
        if last < 0x80 {
            return Some(char::from(last));
        }
        if pos >= 2 && (0xC2..0xE0).contains(&bytes[pos - 2]) {
            return Some(two_byte_char(bytes[pos - 2], last));
        }
    }
    text.get(..pos).and_then(|s| s.chars().next_back())
}

/// The character starting at byte `pos`; `None` at the end or off a
/// character boundary (one- and two-byte characters read straight from the
/// bytes).
#[inline]
pub fn char_at(text: &str, pos: usize) -> Option<char> {
    let bytes = text.as_bytes();
    match bytes.get(pos) {
        Some(&b) if b < 0x80 => Some(char::from(b)),
        Some(&b) if (0xC2..0xE0).contains(&b) => bytes.get(pos + 1).map(|&n| two_byte_char(b, n)),
        _ => text.get(pos..).and_then(|s| s.chars().next()),
    }
}

#[inline]
pub(crate) fn is_continuation(b: u8) -> bool {
    b & 0xC0 == 0x80
}

/// The character of a two-byte UTF-8 sequence (lead `0xC2..=0xDF`).
#[inline]
pub(crate) fn two_byte_char(lead: u8, next: u8) -> char {
    char::from_u32(crate::enrich::text::bytes::two_byte_cp(lead, next))
        .unwrap_or(char::REPLACEMENT_CHARACTER)
}

/// Arabic one-letter proclitics that may be glued in front of a word
/// (conjunctions و ف, prepositions ب ل ك).
const PROCLITICS: [char; 5] = ['و', 'ف', 'ب', 'ل', 'ك'];

/// True when a word may start at `pos`: the previous character is not a letter
/// or digit, or it is a run of at most two Arabic proclitics that itself starts
/// at a boundary (`وفي`, `وبـ`, `ولل`...). With `proclitics == false` only a
/// plain boundary is accepted.
pub fn starts_word(text: &str, pos: usize, proclitics: bool) -> bool {
    if !text.is_char_boundary(pos) {
        return false;
    }
    // The characters before `pos`, nearest first, read from the bytes.
    let before = |p: usize| char_before(text, p).map(|c| (c, p - c.len_utf8()));
    let Some((c, p1)) = before(pos) else {
        return true;
    };
    if c == '\u{0640}' {
        // "لـ2015", "بـ80": tatweel after a proclitic.
        return match before(p1) {
            Some((p, p2)) if PROCLITICS.contains(&p) => {
                before(p2).is_none_or(|(q, _)| !q.is_alphanumeric())
            }
            _ => false,
        };
    }
    if !(is_letter(c) || is_digit(c)) {
        return true;
    }
    if !proclitics || !PROCLITICS.contains(&c) {
        return false;
    }
    match before(p1) {
        None => true,
        Some((d, _)) if !(is_letter(d) || is_digit(d)) => true,
        Some((d, p2)) if PROCLITICS.contains(&d) => {
            before(p2).is_none_or(|(e, _)| !(is_letter(e) || is_digit(e)))
        }
        Some(_) => false,
    }
}

/// True when a word may end at `pos` (next character is not a letter or digit).
#[inline]
pub fn ends_word(text: &str, pos: usize) -> bool {
    char_at(text, pos).is_none_or(|c| !(is_letter(c) || is_digit(c)))
}

/// White space (including NBSP) and the bidirectional marks.
#[inline]
fn is_space(c: char) -> bool {
    c.is_whitespace() || c == '\u{200F}' || c == '\u{200E}'
}

/// A space that does not break the line.
#[inline]
fn is_inline_space(c: char) -> bool {
    is_space(c) && c != '\n' && c != '\r'
}

/// Moves forward from `pos` over characters for which `skip` holds.
#[inline]
fn skip_forward(text: &str, mut pos: usize, skip: fn(char) -> bool) -> usize {
    while let Some(c) = char_at(text, pos).filter(|&c| skip(c)) {
        pos += c.len_utf8();
    }
    pos
}

/// Moves backward from `pos` over characters for which `skip` holds.
#[inline]
fn skip_backward(text: &str, mut pos: usize, skip: fn(char) -> bool) -> usize {
    while let Some(c) = char_before(text, pos).filter(|&c| skip(c)) {
        pos -= c.len_utf8();
    }
    pos
}

/// Skips spaces but not line breaks (a paragraph break ends a phrase).
#[inline]
pub fn skip_inline_spaces(text: &str, pos: usize) -> usize {
    skip_forward(text, pos, is_inline_space)
}

#[inline]
pub fn skip_inline_spaces_back(text: &str, pos: usize) -> usize {
    skip_backward(text, pos, is_inline_space)
}

/// The digit (value, length in bytes) starting at byte `i`, read from the
/// UTF-8 bytes ([`digit_starts_at`]).
#[inline]
fn digit_at(bytes: &[u8], i: usize) -> Option<(u8, usize)> {
    match *bytes.get(i)? {
        b @ b'0'..=b'9' => Some((b - b'0', 1)),
        0xD9 => match *bytes.get(i + 1)? {
            n @ 0xA0..=0xA9 => Some((n - 0xA0, 2)),
            _ => None,
        },
        0xDB => match *bytes.get(i + 1)? {
            n @ 0xB0..=0xB9 => Some((n - 0xB0, 2)),
            _ => None,
        },
        _ => None,
    }
}

/// End of the run of digits (any script) starting at byte `pos`.
#[inline]
pub fn digits_end(text: &str, mut pos: usize) -> usize {
    let bytes = text.as_bytes();
    while let Some((_, len)) = digit_at(bytes, pos) {
        pos += len;
    }
    pos
}

/// Start of the run of digits (any script) ending at byte `pos`.
#[inline]
pub fn digits_start(text: &str, mut pos: usize) -> usize {
    let bytes = text.as_bytes();
    if pos > bytes.len() {
        return pos;
    }
    while pos > 0 {
        if bytes[pos - 1].is_ascii_digit() {
            pos -= 1;
        } else if pos >= 2 && digit_at(bytes, pos - 2).is_some_and(|(_, len)| len == 2) {
            pos -= 2;
        } else {
            break;
        }
    }
    pos
}

/// Integer value of a run of digits (any script); `None` on overflow or when
/// the run is not all digits.
pub fn parse_int(digits: &str) -> Option<u64> {
    let bytes = digits.as_bytes();
    let mut v: u64 = 0;
    let mut i = 0;
    while i < bytes.len() {
        let (d, len) = digit_at(bytes, i)?;
        v = v.checked_mul(10)?.checked_add(u64::from(d))?;
        i += len;
    }
    (i > 0).then_some(v)
}

/// Number of digits in a run.
#[inline]
pub fn digit_count(digits: &str) -> usize {
    let bytes = digits.as_bytes();
    let mut n = 0;
    let mut i = 0;
    while i < bytes.len() {
        match digit_at(bytes, i) {
            Some((_, len)) => {
                n += 1;
                i += len;
            }
            None => i += 1,
        }
    }
    n
}

/// A decimal number read from the text: `1,500,000`, `2.5`, `2,5` (French),
/// `١٢٫٥`, `1 500 000` (French groups).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Number {
    pub start: usize,
    pub end: usize,
    pub value: f64,
    /// Digit count of the integer part when written without separators
    /// (used to tell years from other numbers).
    pub plain_int_digits: usize,
    /// True when the number had no separators at all.
    pub plain: bool,
}

/// Reads a number starting at `pos` (which must be a digit). `comma_decimal`
/// selects the French convention (`,` decimal, `.` and spaces group thousands).
pub fn read_number(text: &str, pos: usize, comma_decimal: bool) -> Option<Number> {
    // The digit run at `pos` (the number token the token reader would read).
    let first = number_at(text, pos)?.text(text);
    let mut int_part = parse_int(first)? as f64;
    let plain_int_digits = digit_count(first);
    let mut end = pos + first.len();
    let mut plain = true;
    let mut frac: Option<f64> = None;
    while let Some(sep) = char_at(text, end) {
        let after = end + sep.len_utf8();
        // A group is a run of digits.
        let Some(next) = number_at(text, after) else {
            break;
        };
        let (group, next_end) = (next.text(text), next.end);
        let n = digit_count(group);
        let is_group_sep = match sep {
            '٬' => true,
            ',' => !comma_decimal,
            '.' => comma_decimal,
            ' ' | '\u{00A0}' | '\u{202F}' => comma_decimal,
            _ => false,
        };
        let is_decimal_sep = match sep {
            '٫' => true,
            '.' => !comma_decimal,
            ',' => comma_decimal,
            _ => false,
        };
        if is_group_sep && n == 3 && frac.is_none() {
            let g = parse_int(group)? as f64;
            int_part = int_part * 1000.0 + g;
            end = next_end;
            plain = false;
        } else if is_decimal_sep && frac.is_none() && ends_number(text, next_end) {
            let g = parse_int(group)? as f64;
            frac = Some(g / 10f64.powi(n.min(300) as i32));
            end = next_end;
            plain = false;
            break;
        } else {
            break;
        }
    }
    Some(Number {
        start: pos,
        end,
        value: int_part + frac.unwrap_or(0.0),
        plain_int_digits,
        plain,
    })
}

/// A decimal part must not be followed by another separator + digits
/// (`1.2.3` is not a number we understand).
fn ends_number(text: &str, pos: usize) -> bool {
    match char_at(text, pos) {
        Some('.' | ',' | '٫' | '٬') => {
            let after = pos + 1;
            !char_at(text, after).is_some_and(is_digit)
        }
        _ => true,
    }
}

/// A byte range picked by an extractor, with a priority used to settle overlaps.
pub trait Ranged {
    fn range(&self) -> (usize, usize);
}

/// Keeps the longest candidates among overlapping ones, then orders by start.
pub fn drop_overlaps<T: Ranged>(cands: &mut Vec<T>) {
    cands.sort_by(|a, b| {
        let (sa, ea) = a.range();
        let (sb, eb) = b.range();
        (eb - sb).cmp(&(ea - sa)).then(sa.cmp(&sb))
    });
    let mut kept: Vec<T> = Vec::with_capacity(cands.len());
    for c in cands.drain(..) {
        let (s, e) = c.range();
        if kept.iter().all(|k| {
            let (ks, ke) = k.range();
            e <= ks || s >= ke
        }) {
            kept.push(c);
        }
    }
    kept.sort_by_key(|k| k.range().0);
    *cands = kept;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn digits_in_all_scripts() {
        assert_eq!(parse_int("2020"), Some(2020));
        assert_eq!(parse_int("٢٠٢٠"), Some(2020));
        assert_eq!(parse_int("۲۰۲۰"), Some(2020));
        assert_eq!(parse_int("12a"), None);
        assert_eq!(parse_int("99999999999999999999999"), None);
    }

    #[test]
    fn numbers_with_separators() {
        let cases: &[(&str, &str, bool, f64)] = &[
            ("grouped", "1,500,000 dollars", false, 1_500_000.0),
            ("decimal point", "2.5 مليار", false, 2.5),
            ("french decimal", "2,5 milliards", true, 2.5),
            ("french groups", "1 500 000 euros", true, 1_500_000.0),
            ("arabic decimal", "١٢٫٥ بالمئة", false, 12.5),
            ("not a group", "12,50", false, 12.0),
        ];
        for (name, text, fr, want) in cases {
            let n = read_number(text, 0, *fr).expect(name);
            assert!((n.value - want).abs() < 1e-9, "{name}: {}", n.value);
        }
    }

    #[test]
    fn letters_fast_path_agrees_with_unicode() {
        let general_punctuation = '\u{2000}'..='\u{2070}';
        for c in ('\0'..='\u{0800}')
            .chain(general_punctuation)
            .chain(['é', 'Ç', 'ß', '\u{FB50}', '٣', '،', '؟'])
        {
            let want = (c.is_alphabetic() && !is_digit(c)) || is_word_mark(c);
            assert_eq!(is_letter(c), want, "{c:?} U+{:04X}", c as u32);
        }
    }

    #[test]
    fn word_starts_with_proclitics() {
        let t = "وفي 2015 ولل كتاب";
        let p = t.find("2015").unwrap_or(0);
        assert!(starts_word(t, p, true));
        let t2 = "بـ80 نقطة";
        let p2 = t2.find("80").unwrap_or(0);
        assert!(starts_word(t2, p2, true));
        let t3 = "كتاب2015";
        let p3 = t3.find("2015").unwrap_or(0);
        assert!(!starts_word(t3, p3, true));
    }

    /// The word-start test read through `chars().rev()`.
    fn starts_word_by_chars(text: &str, pos: usize, proclitics: bool) -> bool {
        let Some(before) = text.get(..pos) else {
            return false;
        };
        let mut it = before.chars().rev();
        let Some(c) = it.next() else {
            return true;
        };
        if c == '\u{0640}' {
            // "لـ2015", "بـ80": tatweel after a proclitic.
            return match it.next() {
                Some(p) if PROCLITICS.contains(&p) => {
                    it.next().is_none_or(|q| !q.is_alphanumeric())
                }
                _ => false,
            };
        }
        if !(is_letter(c) || is_digit(c)) {
            return true;
        }
        if !proclitics || !PROCLITICS.contains(&c) {
            return false;
        }
        match it.next() {
            None => true,
            Some(d) if !(is_letter(d) || is_digit(d)) => true,
            Some(d) if PROCLITICS.contains(&d) => {
                it.next().is_none_or(|e| !(is_letter(e) || is_digit(e)))
            }
            Some(_) => false,
        }
    }

    proptest::proptest! {
        #[test]
        fn word_starts_agree_with_a_character_walk(s in "([a ,.0-9٠-٩]|و|ف|ب|ل|ك|قال|\u{0640}|\\PC){0,12}") {
            for pos in 0..=s.len() + 1 {
                for proclitics in [false, true] {
                    proptest::prop_assert_eq!(
                        starts_word(&s, pos, proclitics),
                        starts_word_by_chars(&s, pos, proclitics)
                    );
                }
            }
        }

        #[test]
        fn digit_runs_agree_with_a_character_walk(s in "([0-9a \u{0660}-\u{0669}\u{06F0}-\u{06F9}ل]|\\PC){0,20}") {
            let value = s.chars().try_fold((0u64, false), |(v, _), c| {
                let d = digit_value(c)?;
                Some((v.checked_mul(10)?.checked_add(u64::from(d))?, true))
            });
            proptest::prop_assert_eq!(parse_int(&s), value.filter(|v| v.1).map(|v| v.0));
            proptest::prop_assert_eq!(digit_count(&s), s.chars().filter(|&c| is_digit(c)).count());
            for pos in (0..=s.len()).filter(|&p| s.is_char_boundary(p)) {
                let end = skip_forward(&s, pos, is_digit);
                let start = skip_backward(&s, pos, is_digit);
                proptest::prop_assert_eq!(digits_end(&s, pos), end);
                proptest::prop_assert_eq!(digits_start(&s, pos), start);
            }
            proptest::prop_assert_eq!(digits_start(&s, s.len() + 1), s.len() + 1);
        }

        #[test]
        fn reading_characters_agrees_with_std(s in "([a-z \\n]|\\PC|[é«»ء-ي٠-٩]){0,40}") {
            for pos in 0..=s.len() + 1 {
                let at = s.get(pos..).and_then(|r| r.chars().next());
                let before = s.get(..pos).and_then(|r| r.chars().next_back());
                proptest::prop_assert_eq!(char_at(&s, pos), at);
                proptest::prop_assert_eq!(char_before(&s, pos), before);
            }
        }
    }
}
