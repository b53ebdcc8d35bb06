//! Latin script (English, French): case folding, apostrophes, elision and
//! possessives.
//!
//! Folding lowercases (full Unicode mapping) and turns typographic
//! apostrophes into `'`; accents are kept (the French stemmer needs them).
//! French elided articles and pronouns (`l'accord`, `d’un`, `qu'il`,
//! `jusqu'à`) and the English possessive (`Iran's`) become tokens of their
//! own so that the word itself matches.

/// Apostrophes that may join or elide letters.
#[inline]
pub fn is_apostrophe(c: char) -> bool {
    matches!(c, '\'' | '\u{2019}' | '\u{02BC}' | '\u{2018}')
}

/// Hyphens that join compound words (`Jean-Pierre`, `COVID-19`).
#[inline]
pub fn is_hyphen(c: char) -> bool {
    matches!(c, '-' | '\u{2010}' | '\u{2011}')
}

/// Appends the folded form of `surface` to `out`.
pub fn push_folded(surface: &str, out: &mut String) {
    if surface.bytes().all(|b| b.is_ascii() && b != b'\'') {
        let at = out.len();
        out.push_str(surface);
        if let Some(tail) = out.get_mut(at..) {
            tail.make_ascii_lowercase();
        }
        return;
    }
    for c in surface.chars() {
        if is_apostrophe(c) {
            out.push('\'');
        } else if is_hyphen(c) {
            out.push('-');
        } else if c.is_ascii() {
            out.push(c.to_ascii_lowercase());
        } else if c == '\u{00AD}' || c == '\u{200C}' || c == '\u{200D}' {
            // soft hyphen and joiners: invisible
        } else {
            out.extend(c.to_lowercase());
        }
    }
}

/// French elided words (lowercase, without the apostrophe).
const FRENCH_ELISIONS: &[&str] = &[
    "l", "d", "j", "m", "n", "s", "t", "c", "qu", "jusqu", "lorsqu", "puisqu", "quoiqu", "presqu",
];

/// Byte length of a French elided prefix including its apostrophe
/// (`l'` in `l'accord`), when the rest is a word of its own.
pub fn french_elision(surface: &str) -> Option<usize> {
    let (i, c) = surface.char_indices().find(|&(_, c)| is_apostrophe(c))?;
    let head = &surface[..i];
    let after = i + c.len_utf8();
    if after >= surface.len() || !FRENCH_ELISIONS.iter().any(|e| head.eq_ignore_ascii_case(e)) {
        return None;
    }
    Some(after)
}

/// Byte offset where an English possessive `'s` / `’s` starts, if any.
pub fn english_possessive(surface: &str) -> Option<usize> {
    let mut it = surface.char_indices().rev();
    let (s_at, s) = it.next()?;
    let (ap_at, ap) = it.next()?;
    if (s == 's' || s == 'S') && is_apostrophe(ap) && ap_at > 0 && s_at == ap_at + ap.len_utf8() {
        Some(ap_at)
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn folded(s: &str) -> String {
        let mut out = String::new();
        push_folded(s, &mut out);
        out
    }

    #[test]
    fn folding() {
        assert_eq!(folded("L’Accord"), "l'accord");
        assert_eq!(folded("ÉTATS-UNIS"), "états-unis");
        assert_eq!(folded("Straße"), "straße");
    }

    #[test]
    fn elision() {
        let cases = [
            ("l'accord", Some(2)),
            ("d’un", Some(4)),
            ("jusqu'à", Some(6)),
            ("Qu'il", Some(3)),
            ("aujourd'hui", None),
            ("l'", None),
            ("accord", None),
        ];
        for (s, want) in cases {
            assert_eq!(french_elision(s), want, "{s}");
        }
    }

    #[test]
    fn possessive() {
        assert_eq!(english_possessive("Iran's"), Some(4));
        assert_eq!(english_possessive("Iran’s"), Some(4));
        assert_eq!(english_possessive("'s"), None);
        assert_eq!(english_possessive("boss"), None);
    }

    proptest! {
        #[test]
        fn never_panics(s in "\\PC{0,40}") {
            let _ = folded(&s);
            let _ = french_elision(&s);
            let _ = english_possessive(&s);
        }
    }
}
