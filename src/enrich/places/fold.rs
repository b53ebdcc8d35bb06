//! Matching normalisation with an offset map back to the original text.
//!
//! Gazetteer keys and article text are folded the same way: Arabic diacritics
//! and tatweel removed, alef/yeh/teh-marbuta/Persian letter variants unified,
//! Latin lower-cased without accents, hyphens and whitespace runs made one
//! space. Every folded byte remembers the original character it came from, so
//! a match in folded text maps back to a span in code points.

use unicode_normalization::char::{decompose_canonical, is_combining_mark};

use crate::enrich::text::{arabic, latin};

/// Folds one character into `out` (zero, one or more characters).
fn fold_char(c: char, out: &mut impl FnMut(char)) {
    match c {
        '\u{200C}' => out(' '),
        '\u{200B}' | '\u{200D}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{FEFF}' => {}
        c if latin::is_hyphen(c) || matches!(c, '‒' | '–' | '—' | '_') => out(' '),
        c if latin::is_apostrophe(c) => out('\''),
        c if c.is_whitespace() => out(' '),
        c if c.is_ascii() => out(c.to_ascii_lowercase()),
        c if is_arabic(c) => {
            if let Some(f) = arabic::fold_char(c) {
                out(f)
            }
        }
        c if c.is_alphabetic() => {
            for l in c.to_lowercase() {
                decompose_canonical(l, |d| {
                    if !is_combining_mark(d) {
                        out(d)
                    }
                });
            }
        }
        c => out(c),
    }
}

/// Characters of the Arabic script blocks.
pub fn is_arabic(c: char) -> bool {
    matches!(c, '\u{0600}'..='\u{06FF}' | '\u{0750}'..='\u{077F}' | '\u{08A0}'..='\u{08FF}' | '\u{FB50}'..='\u{FDFF}' | '\u{FE70}'..='\u{FEFF}')
}

/// Folds a gazetteer name into its lookup key (trimmed, single spaces).
pub fn fold_key(s: &str) -> String {
    if let Some(key) = fold_plain_key(s) {
        return key;
    }
    let mut text = String::new();
    fold_fast::<false>(s, &mut text, &mut Vec::new());
    // Folding drops leading spaces and leaves at most one at the end.
    let kept = text.trim_end().len();
    text.truncate(kept);
    match text.trim_start().len() {
        n if n < text.len() => text.trim_start().to_string(),
        _ => text,
    }
}

/// [`fold_key`] of a name made of ASCII letters and digits, Arabic letters
/// that fold to themselves and single inner spaces (the folded form is the
/// text lower-cased); `None` for any other name.
fn fold_plain_key(s: &str) -> Option<String> {
    let b = s.as_bytes();
    if b.first() == Some(&b' ') || b.last() == Some(&b' ') {
        return None;
    }
    let mut i = 0;
    while let Some(&c) = b.get(i) {
        if c.is_ascii_alphanumeric() || (c == b' ' && b.get(i + 1) != Some(&b' ')) {
            i += 1;
        } else if b
            .get(i + 1)
            .is_some_and(|&c1| is_plain_arabic_letter(c, c1))
        {
            i += 2;
        } else {
            return None;
        }
    }
    Some(s.to_ascii_lowercase())
}

/// Where folding stands before one original character: its byte offset and
/// code point index in the original, the folded length so far, and whether
/// the last folded character was a space (runs of spaces fold to one).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Cursor {
    pub byte: usize,
    pub index: usize,
    pub folded: usize,
    last_space: bool,
}

impl Cursor {
    /// Before the first character (leading spaces are dropped).
    pub fn start() -> Self {
        Cursor {
            byte: 0,
            index: 0,
            folded: 0,
            last_space: true,
        }
    }

    /// Folds the character at the cursor, passes every folded character to
    /// `emit` and moves past it; `None` at the end of `s`.
    #[inline(always)]
    pub fn step(&mut self, s: &str, emit: &mut impl FnMut(char)) -> Option<()> {
        let b = *s.as_bytes().get(self.byte)?;
        if b.is_ascii() {
            // ASCII fast path, the same folding as `fold_char`.
            let f = match b {
                b'A'..=b'Z' => b.to_ascii_lowercase(),
                b'-' | b'_' | b'\t'..=b'\r' | b' ' => b' ',
                b => b,
            };
            if f != b' ' || !self.last_space {
                emit(char::from(f));
                self.folded += 1;
                self.last_space = f == b' ';
            }
            self.byte += 1;
        } else {
            let c = s.get(self.byte..).and_then(|r| r.chars().next())?;
            let (mut last_space, mut n) = (self.last_space, 0);
            fold_char(c, &mut |f| {
                if f == ' ' && last_space {
                    return;
                }
                last_space = f == ' ';
                n += f.len_utf8();
                emit(f);
            });
            self.last_space = last_space;
            self.folded += n;
            self.byte += c.len_utf8();
        }
        self.index += 1;
        Some(())
    }

    /// The cursor before the character of `s` whose folded form covers folded
    /// byte `target`, walking from `self` (which must not be past it).
    pub fn origin_of(self, s: &str, target: usize) -> Option<Cursor> {
        let mut cur = self;
        loop {
            let before = cur;
            cur.step(s, &mut |_| {})?;
            if before.folded <= target && target < cur.folded {
                return Some(before);
            }
            if before.folded > target {
                return None;
            }
        }
    }
}

/// Folds `s` into `text`; `record(index, offset, n)` is told that the next
/// `n` folded bytes come from the code point `index` at byte `offset` of `s`.
#[cfg(test)]
fn fold_into(s: &str, text: &mut String, mut record: impl FnMut(u32, u32, usize)) -> u32 {
    let mut cur = Cursor::start();
    loop {
        let (idx, pos) = (
            u32::try_from(cur.index).unwrap_or(u32::MAX),
            u32::try_from(cur.byte).unwrap_or(u32::MAX),
        );
        let stepped = cur.step(s, &mut |f| {
            text.push(f);
            record(idx, pos, f.len_utf8());
        });
        if stepped.is_none() {
            return u32::try_from(cur.index).unwrap_or(u32::MAX);
        }
    }
}

/// A letter or digit; ASCII and Arabic letters without the Unicode tables.
#[inline]
pub fn is_word_char(c: char) -> bool {
    if c.is_ascii() {
        c.is_ascii_alphanumeric()
    } else {
        matches!(c, '\u{0621}'..='\u{064A}') || c.is_alphanumeric()
    }
}

/// A [`Cursor`] stored in 32-bit fields (positions past 4 GiB saturate).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Mark {
    byte: u32,
    index: u32,
    folded: u32,
    last_space: bool,
}

/// A position of a text shorter than [`MAX_WORDS_TEXT`] (folding a
/// character never makes it more than twice as long), so the cast is exact.
#[inline(always)]
fn narrow(x: usize) -> u32 {
    x as u32
}

impl From<Cursor> for Mark {
    #[inline(always)]
    fn from(c: Cursor) -> Self {
        Mark {
            byte: narrow(c.byte),
            index: narrow(c.index),
            folded: narrow(c.folded),
            last_space: c.last_space,
        }
    }
}

impl From<Mark> for Cursor {
    #[inline(always)]
    fn from(m: Mark) -> Self {
        Cursor {
            byte: m.byte as usize,
            index: m.index as usize,
            folded: m.folded as usize,
            last_space: m.last_space,
        }
    }
}

/// One word of folded text (a maximal run of letters and digits): its folded
/// byte range and the cursors before the original characters its first and
/// last folded bytes come from.
#[derive(Debug, Clone, Copy)]
pub struct Word {
    start: u32,
    end: u32,
    first: Mark,
    last: Mark,
}

impl Word {
    #[inline(always)]
    pub fn start(&self) -> usize {
        self.start as usize
    }

    #[inline(always)]
    pub fn end(&self) -> usize {
        self.end as usize
    }

    /// The cursor before the character of the word's first folded byte.
    pub fn first(&self) -> Cursor {
        self.first.into()
    }

    /// The cursor before the character of the word's last folded byte.
    pub fn last(&self) -> Cursor {
        self.last.into()
    }
}

/// The word being folded.
struct OpenWord {
    open: bool,
    start: usize,
    first: Cursor,
    last: Cursor,
}

impl OpenWord {
    /// Records the folded word character `f` pushed at folded byte `pos`,
    /// which comes from the character at `before`.
    #[inline(always)]
    fn letter(&mut self, pos: usize, before: Cursor) {
        if !self.open {
            self.open = true;
            self.start = pos;
            self.first = before;
        }
        self.last = before;
    }

    /// Ends the open word, if any, at folded byte `end`.
    #[inline(always)]
    fn close(&mut self, end: usize, words: &mut Vec<Word>) {
        if self.open {
            self.open = false;
            words.push(Word {
                start: narrow(self.start),
                end: narrow(end),
                first: self.first.into(),
                last: self.last.into(),
            });
        }
    }
}

/// Arabic letters that fold to themselves (U+0621..U+063A and U+0641..U+064A
/// but آ أ إ ة ى), as the two bytes of their UTF-8 form.
#[inline(always)]
fn is_plain_arabic_letter(b0: u8, b1: u8) -> bool {
    match b0 {
        0xD8 => matches!(b1, 0xA1..=0xBA) && !matches!(b1, 0xA2 | 0xA3 | 0xA5 | 0xA9),
        0xD9 => matches!(b1, 0x81..=0x8A) && b1 != 0x89,
        _ => false,
    }
}

/// Per byte: the lower-case form of an ASCII letter or digit, 0 for any
/// other byte.
static ASCII_WORD: [u8; 256] = {
    let mut t = [0u8; 256];
    let mut b = 0;
    while b < 128 {
        let c = b as u8;
        if c.is_ascii_alphanumeric() {
            t[b] = c.to_ascii_lowercase();
        }
        b += 1;
    }
    t
};

/// Folds `s` into `text` (cleared first) and lists its words in `words`.
/// A text of 512 MiB or more is not folded (no words).
pub fn fold_words(s: &str, text: &mut String, words: &mut Vec<Word>) {
    fold_fast::<true>(s, text, words)
}

/// Longest text [`fold_words`] folds: its positions fit in 32 bits.
const MAX_WORDS_TEXT: usize = (u32::MAX / 8) as usize;

/// Room for folding a text of `len` bytes: (folded bytes, words).
#[inline]
pub(super) fn room(len: usize) -> (usize, usize) {
    (len + 4, len / 6 + 8)
}

/// Folds `s` into `text` (cleared first), and lists its words in `words`
/// when `WORDS`.
#[inline(always)]
fn fold_fast<const WORDS: bool>(s: &str, text: &mut String, words: &mut Vec<Word>) {
    words.clear();
    let out = text;
    out.clear();
    if WORDS {
        if s.len() >= MAX_WORDS_TEXT {
            return;
        }
        words.reserve(room(s.len()).1);
    }
    out.reserve(room(s.len()).0);
    let src = s.as_bytes();
    let mut cur = Cursor::start();
    let mut word = OpenWord {
        open: false,
        start: 0,
        first: cur,
        last: cur,
    };
    while let Some(&b) = src.get(cur.byte) {
        // Fast paths: runs of ASCII letters and digits and of Arabic letters
        // that fold to themselves, and other ASCII characters; the same as
        // `Cursor::step` for them.
        if b.is_ascii_alphanumeric() {
            if WORDS {
                word.letter(cur.folded, cur);
            }
            // The run, lower-cased byte by byte as it is read.
            let mut i = cur.byte;
            while let Some(&f) = src.get(i).and_then(|&c| ASCII_WORD.get(usize::from(c))) {
                if f == 0 {
                    break;
                }
                out.push(char::from(f));
                i += 1;
            }
            let n = i - cur.byte;
            if WORDS && n > 1 {
                word.last = Cursor {
                    byte: i - 1,
                    index: cur.index + n - 1,
                    folded: cur.folded + n - 1,
                    last_space: false,
                };
            }
            cur = Cursor {
                byte: i,
                index: cur.index + n,
                folded: cur.folded + n,
                last_space: false,
            };
            continue;
        }
        if b.is_ascii() {
            let f = match b {
                b'-' | b'_' | b'\t'..=b'\r' | b' ' => b' ',
                b => b,
            };
            if f != b' ' || !cur.last_space {
                if WORDS {
                    word.close(cur.folded, words);
                }
                out.push(char::from(f));
                cur.folded += 1;
                cur.last_space = f == b' ';
            }
            cur.byte += 1;
            cur.index += 1;
            continue;
        }
        if src
            .get(cur.byte + 1)
            .is_some_and(|&b1| is_plain_arabic_letter(b, b1))
        {
            if WORDS {
                word.letter(cur.folded, cur);
            }
            let mut i = cur.byte;
            while let (Some(&b0), Some(&b1)) = (src.get(i), src.get(i + 1)) {
                if !is_plain_arabic_letter(b0, b1) {
                    break;
                }
                i += 2;
            }
            out.push_str(s.get(cur.byte..i).unwrap_or_default());
            let n = (i - cur.byte) / 2;
            if WORDS && n > 1 {
                word.last = Cursor {
                    byte: i - 2,
                    index: cur.index + n - 1,
                    folded: cur.folded + 2 * n - 2,
                    last_space: false,
                };
            }
            cur = Cursor {
                byte: i,
                index: cur.index + n,
                folded: cur.folded + 2 * n,
                last_space: false,
            };
            continue;
        }
        let before = cur;
        let stepped = cur.step(s, &mut |f| {
            let pos = out.len();
            out.push(f);
            if !WORDS {
                return;
            }
            if is_word_char(f) {
                word.letter(pos, before);
            } else {
                word.close(pos, words);
            }
        });
        if stepped.is_none() {
            break;
        }
    }
    if WORDS {
        word.close(out.len(), words);
    }
}

/// Folded text with, for every byte, the index of the original code point
/// (what the substring-scan reference matcher maps its matches with).
#[cfg(test)]
#[derive(Debug, Clone, Default)]
pub struct Folded {
    pub text: String,
    /// `orig[i]` is the original code point index of folded byte `i`; one extra
    /// entry at the end holds the original length in code points.
    orig: Vec<u32>,
    /// `bytes[i]` is the original byte offset of that code point; one extra
    /// entry at the end holds the original length in bytes.
    bytes: Vec<u32>,
}

#[cfg(test)]
impl Folded {
    pub fn new(s: &str) -> Self {
        let mut text = String::with_capacity(s.len());
        let mut orig = Vec::with_capacity(s.len() + 1);
        let mut bytes = Vec::with_capacity(s.len() + 1);
        let n = fold_into(s, &mut text, |idx, pos, k| {
            for _ in 0..k {
                orig.push(idx);
                bytes.push(pos);
            }
        });
        orig.push(n);
        bytes.push(u32::try_from(s.len()).unwrap_or(u32::MAX));
        Folded { text, orig, bytes }
    }

    /// Original byte range of the folded byte range `start..end` of `original`
    /// (the text this was folded from).
    pub fn byte_range(&self, original: &str, start: usize, end: usize) -> std::ops::Range<usize> {
        let last = self.bytes.len().saturating_sub(1);
        let s = self.bytes.get(start.min(last)).copied().unwrap_or(0) as usize;
        let e = if end == 0 {
            s
        } else {
            let b = self
                .bytes
                .get(end.saturating_sub(1).min(last))
                .copied()
                .unwrap_or(0) as usize;
            b + original
                .get(b..)
                .and_then(|r| r.chars().next())
                .map_or(0, char::len_utf8)
        };
        s..e.max(s)
    }

    /// Original code point span of the folded byte range `start..end`.
    pub fn span(&self, start: usize, end: usize) -> (usize, usize) {
        let last = self.orig.len().saturating_sub(1);
        let s = self.orig.get(start.min(last)).copied().unwrap_or(0) as usize;
        let e = if end == 0 {
            s
        } else {
            self.orig
                .get(end.saturating_sub(1).min(last))
                .map(|&o| o as usize + 1)
                .unwrap_or(s)
        };
        (s, e.max(s))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_arabic_variants() {
        assert_eq!(fold_key("الإيرانيّة"), "الايرانيه");
        assert_eq!(fold_key("أميركا"), "اميركا");
        assert_eq!(fold_key("مصطفى"), "مصطفي");
    }

    #[test]
    fn folds_latin_accents_case_and_hyphens() {
        assert_eq!(fold_key("États-Unis"), "etats unis");
        assert_eq!(fold_key("  Tel-Aviv "), "tel aviv");
    }

    #[test]
    fn maps_back_to_code_points() {
        let text = "في دمشـــق";
        let f = Folded::new(text);
        let start = f.text.find("دمشق").unwrap();
        let (s, e) = f.span(start, start + "دمشق".len());
        let got: String = text.chars().skip(s).take(e - s).collect();
        assert_eq!(got, "دمشـــق");
        let r = f.byte_range(text, start, start + "دمشق".len());
        assert_eq!(&text[r], "دمشـــق");
        let latin = "Near São-Paulo.";
        let f = Folded::new(latin);
        let start = f.text.find("sao paulo").unwrap();
        let r = f.byte_range(latin, start, start + "sao paulo".len());
        assert_eq!(&latin[r], "São-Paulo");
    }

    proptest::proptest! {
        /// Words folded on the fast paths carry the same text and original
        /// positions as the byte-by-byte map.
        #[test]
        fn words_match_the_byte_map(s in "(دمشق|أبو ظبي|ـ|َ|ة|Abu-Dhabi|São|US| |  |\\.|'|\u{200C}|\u{200D}|\u{0660}|\\PC)*") {
            let f = Folded::new(&s);
            let (mut text, mut words) = (String::new(), Vec::new());
            fold_words(&s, &mut text, &mut words);
            proptest::prop_assert_eq!(&text, &f.text);
            let mut at = 0;
            for w in &words {
                let (start, end, first, last) = (w.start(), w.end(), w.first(), w.last());
                proptest::prop_assert!(start >= at && start < end);
                proptest::prop_assert!(text[start..end].chars().all(is_word_char));
                proptest::prop_assert!(text[at..start].chars().all(|c| !is_word_char(c)));
                proptest::prop_assert_eq!(f.span(start, end), (first.index, last.index + 1));
                let r = f.byte_range(&s, start, end);
                proptest::prop_assert_eq!((r.start, r.end), (first.byte, last.byte + s[last.byte..].chars().next().map_or(0, char::len_utf8)));
                proptest::prop_assert_eq!(first.origin_of(&s, start), Some(first));
                proptest::prop_assert_eq!(first.origin_of(&s, end - 1), Some(last));
                at = end;
            }
            proptest::prop_assert!(text[at..].chars().all(|c| !is_word_char(c)));
        }
    }

    proptest::proptest! {
        #[test]
        fn keys_fold_like_the_byte_map(s in "(Abu-Dhabi|São|  |\\PC)*") {
            let f = Folded::new(&s);
            proptest::prop_assert_eq!(fold_key(&s), f.text.trim());
        }
    }
}
