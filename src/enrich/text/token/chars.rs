//! Character classes the tokenizer reads words and numbers with: fast
//! paths for ASCII, the Arabic block and Latin-1/Latin Extended letters,
//! the Unicode tables for the rest.

use super::super::arabic;
use super::super::bytes::{arabic_cp, is_common_arabic_letter};
use super::Lang;

#[inline]
pub(super) fn char_at(text: &str, i: usize) -> Option<char> {
    text.get(i..).and_then(|s| s.chars().next())
}

#[inline]
pub(super) fn is_digit(c: char) -> bool {
    c.is_ascii_digit() || arabic::digit_value(c).is_some()
}

/// Invisible or combining characters that belong to the word they are in.
#[inline]
pub(super) fn is_inner_mark(c: char) -> bool {
    arabic::is_ignorable(c)
        || matches!(
            c,
            '\u{0300}'..='\u{036F}' | '\u{200C}' | '\u{200D}' | '\u{00AD}'
        )
}

/// `char::is_alphanumeric` with fast paths for ASCII, the Arabic block and
/// Latin-1/Latin Extended letters (the slow Unicode table lookup dominated
/// tokenising Arabic text).
#[inline]
pub(crate) fn is_alnum(c: char) -> bool {
    if c.is_ascii() {
        return c.is_ascii_alphanumeric();
    }
    match c as u32 {
        0x0600..=0x06FF => arabic::is_arabic_letter(c) || arabic::digit_value(c).is_some(),
        0x00C0..=0x024F => c != '\u{00D7}' && c != '\u{00F7}',
        // General punctuation (quotes, dashes, spaces): no letter or digit.
        0x2000..=0x206F => false,
        _ => c.is_alphanumeric(),
    }
}

#[inline(always)]
pub(super) fn is_word_char(c: char) -> bool {
    if c.is_ascii() {
        return c.is_ascii_alphanumeric();
    }
    is_alnum(c) && !is_inner_mark(c)
}

#[inline]
pub(super) fn is_latin_letter(c: char) -> bool {
    if c.is_ascii() {
        return c.is_ascii_alphabetic();
    }
    match c as u32 {
        0x0600..=0x06FF => false,
        0x00C0..=0x024F => c != '\u{00D7}' && c != '\u{00F7}',
        0x2000..=0x206F => false,
        _ => c.is_alphabetic() && !arabic::is_arabic_letter(c) && !is_inner_mark(c),
    }
}

/// The common Arabic letter (U+0621..U+063A, U+0641..U+064A, word
/// characters all) whose two bytes start at `i`, read without decoding.
#[inline]
pub(super) fn common_arabic_letter(bytes: &[u8], i: usize) -> Option<char> {
    let cp = arabic_cp(*bytes.get(i)?, *bytes.get(i + 1)?)?;
    if is_common_arabic_letter(cp) {
        char::from_u32(cp)
    } else {
        None
    }
}

#[inline]
pub(super) fn is_group_space(c: char, lang: Lang) -> bool {
    matches!(c, '\u{00A0}' | '\u{202F}' | '\u{2009}') || (c == ' ' && lang == Lang::Fr)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn general_punctuation_has_no_letters() {
        for c in '\u{2000}'..='\u{206F}' {
            assert!(!c.is_alphanumeric(), "{c:?}");
            assert!(!is_alnum(c) && !is_latin_letter(c), "{c:?}");
        }
    }
}
