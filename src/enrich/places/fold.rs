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
    Folded::new(s).text.trim().to_string()
}

/// Folded text with, for every byte, the index of the original code point.
#[derive(Debug, Clone, Default)]
pub struct Folded {
    pub text: String,
    /// `orig[i]` is the original code point index of folded byte `i`; one extra
    /// entry at the end holds the original length in code points.
    orig: Vec<u32>,
}

impl Folded {
    pub fn new(s: &str) -> Self {
        let mut text = String::with_capacity(s.len());
        let mut orig = Vec::with_capacity(s.len() + 1);
        let mut n = 0u32;
        for (i, c) in s.chars().enumerate() {
            let idx = u32::try_from(i).unwrap_or(u32::MAX);
            n = idx.saturating_add(1);
            fold_char(c, &mut |f| {
                if f == ' ' && (text.is_empty() || text.ends_with(' ')) {
                    return;
                }
                text.push(f);
                for _ in 0..f.len_utf8() {
                    orig.push(idx);
                }
            });
        }
        orig.push(n);
        Folded { text, orig }
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
    }
}
