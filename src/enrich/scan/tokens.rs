//! The on-demand token reader: the word, number or punctuation mark at, after
//! or before a byte offset, read straight from the text.

use super::{
    char_at, char_before, digits_end, digits_start, is_continuation, is_digit, is_letter,
    skip_inline_spaces, skip_inline_spaces_back, two_byte_char,
};

/// The kind of a [`Tok`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokKind {
    Word,
    Number,
    Punct(char),
}

/// A token found on demand: byte range and kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Tok {
    pub start: usize,
    pub end: usize,
    pub kind: TokKind,
}

impl Tok {
    #[inline]
    pub fn text<'a>(&self, text: &'a str) -> &'a str {
        text.get(self.start..self.end).unwrap_or("")
    }
    #[inline]
    pub fn is_word(&self) -> bool {
        self.kind == TokKind::Word
    }
    #[inline]
    pub fn is_punct(&self, p: char) -> bool {
        self.kind == TokKind::Punct(p)
    }
}

/// Reads the token starting exactly at `pos` (no space skipping).
pub fn token_at(text: &str, pos: usize) -> Option<Tok> {
    let c = char_at(text, pos)?;
    let mut end = pos + c.len_utf8();
    let kind = if is_digit(c) {
        end = digits_end(text, end);
        TokKind::Number
    } else if is_letter(c) {
        end = word_end(text, end);
        TokKind::Word
    } else {
        TokKind::Punct(c)
    };
    Some(Tok {
        start: pos,
        end,
        kind,
    })
}

/// The number token starting exactly at `pos` ([`token_at`] when that
/// reads a number), read from the bytes without decoding.
#[inline]
pub fn number_at(text: &str, pos: usize) -> Option<Tok> {
    super::digit_starts_at(text.as_bytes(), pos).then(|| Tok {
        start: pos,
        end: digits_end(text, pos),
        kind: TokKind::Number,
    })
}

/// The next token at or after `pos`, skipping spaces but stopping at a line break
/// (returned as `Punct('\n')`).
pub fn next_token(text: &str, pos: usize) -> Option<Tok> {
    let p = skip_inline_spaces(text, pos);
    token_at(text, p)
}

/// The token ending at or before `pos`, skipping spaces but not line breaks.
pub fn prev_token(text: &str, pos: usize) -> Option<Tok> {
    let end = skip_inline_spaces_back(text, pos);
    let c = char_before(text, end)?;
    let mut start = end - c.len_utf8();
    let kind = if is_digit(c) {
        start = digits_start(text, start);
        TokKind::Number
    } else if is_letter(c) {
        start = word_start(text, start);
        TokKind::Word
    } else {
        TokKind::Punct(c)
    };
    Some(Tok { start, end, kind })
}

/// A character that continues a word: a letter, ZWNJ or ZWJ.
#[inline]
fn is_word_char(c: char) -> bool {
    is_letter(c) || c == '\u{200C}' || c == '\u{200D}'
}

/// End of the run of word characters from `end` (a character boundary).
/// ASCII and two-byte characters (Latin, Arabic) are read from the bytes.
fn word_end(text: &str, mut end: usize) -> usize {
    let bytes = text.as_bytes();
    while let Some(&b) = bytes.get(end) {
        let len = if b < 0x80 {
            usize::from(b.is_ascii_alphabetic())
        } else if (0xC2..0xE0).contains(&b) {
            match bytes.get(end + 1) {
                Some(&n) if is_letter(two_byte_char(b, n)) => 2,
                _ => 0,
            }
        } else {
            char_at(text, end)
                .filter(|&d| is_word_char(d))
                .map_or(0, char::len_utf8)
        };
        if len == 0 {
            break;
        }
        end += len;
    }
    end
}

/// Start of the run of word characters ending at `start` (a character
/// boundary), read backwards like [`word_end`].
fn word_start(text: &str, mut start: usize) -> usize {
    let bytes = text.as_bytes();
    while start > 0 {
        let b = bytes[start - 1];
        let len = if b < 0x80 {
            usize::from(b.is_ascii_alphabetic())
        } else if start >= 2 && is_continuation(b) && (0xC2..0xE0).contains(&bytes[start - 2]) {
            usize::from(is_letter(two_byte_char(bytes[start - 2], b))) * 2
        } else {
            char_before(text, start)
                .filter(|&d| is_word_char(d))
                .map_or(0, char::len_utf8)
        };
        if len == 0 {
            break;
        }
        start -= len;
    }
    start
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// The word run read one character at a time.
    fn word_end_by_chars(text: &str, mut end: usize) -> usize {
        while let Some(d) = char_at(text, end).filter(|&d| is_word_char(d)) {
            end += d.len_utf8();
        }
        end
    }

    fn word_start_by_chars(text: &str, mut start: usize) -> usize {
        while let Some(d) = char_before(text, start).filter(|&d| is_word_char(d)) {
            start -= d.len_utf8();
        }
        start
    }

    proptest! {
        #[test]
        fn word_runs_agree_with_a_character_walk(
            s in "([a-zA-Z0-9 .,«»éçß]|قال|وال|\u{200C}|\u{0640}|\u{064E}|٣|\\PC){0,30}"
        ) {
            for pos in (0..=s.len()).filter(|&p| s.is_char_boundary(p)) {
                prop_assert_eq!(word_end(&s, pos), word_end_by_chars(&s, pos));
                prop_assert_eq!(word_start(&s, pos), word_start_by_chars(&s, pos));
            }
        }

        #[test]
        fn tokens_never_panic(s in "\\PC{0,30}", pos in 0usize..40) {
            let _ = token_at(&s, pos);
            let _ = next_token(&s, pos);
            let _ = prev_token(&s, pos);
        }
    }
}
