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
    let mut text = String::with_capacity(s.len());
    fold_into(s, &mut text, |_, _, _| {});
    text.trim().to_string()
}

/// Folds `s` into `text`; `record(index, offset, n)` is told that the next
/// `n` folded bytes come from the code point `index` at byte `offset` of `s`.
#[inline(always)]
fn fold_into(s: &str, text: &mut String, mut record: impl FnMut(u32, u32, usize)) -> u32 {
    let mut idx = 0u32;
    let mut at = 0usize;
    let mut last_space = true;
    let src = s.as_bytes();
    while let Some(&b) = src.get(at) {
        let pos = u32::try_from(at).unwrap_or(u32::MAX);
        if b.is_ascii() {
            // ASCII fast path, the same folding as `fold_char`.
            let f = match b {
                b'A'..=b'Z' => b.to_ascii_lowercase(),
                b'-' | b'_' | b'\t'..=b'\r' | b' ' => b' ',
                b => b,
            };
            if f != b' ' || !last_space {
                text.push(char::from(f));
                record(idx, pos, 1);
                last_space = f == b' ';
            }
            at += 1;
        } else {
            let Some(c) = s.get(at..).and_then(|r| r.chars().next()) else {
                break;
            };
            fold_char(c, &mut |f| {
                if f == ' ' && last_space {
                    return;
                }
                last_space = f == ' ';
                text.push(f);
                record(idx, pos, f.len_utf8());
            });
            at += c.len_utf8();
        }
        idx = idx.saturating_add(1);
    }
    idx
}

/// Folded text with, for every byte, the index of the original code point.
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
}
