//! Byte → code-point offset mapping into one field.
//!
//! Spans in the record are in Unicode code points while the tokenizer works in
//! bytes. [`CharIndex`] answers `char_offset(byte)` in O(1) plus a scan of at
//! most one 64-byte block: it stores the number of code points before every
//! block boundary. Pure ASCII text needs no table at all.

use super::bytes::word8;
use crate::model::record::{Field, Span};

/// Block size of the sampled table, in bytes.
const BLOCK: usize = 64;

/// Maps byte offsets of one string to code-point offsets.
#[derive(Debug, Clone, Default)]
pub struct CharIndex {
    /// Code points before byte `i * BLOCK`; empty when the text is ASCII.
    blocks: Vec<u32>,
    len_bytes: usize,
    len_chars: usize,
}

#[inline]
fn is_char_start(b: u8) -> bool {
    // Continuation bytes are 0b10xx_xxxx.
    (b as i8) >= -0x40
}

/// Number of code points starting in `bytes`, at most [`BLOCK`] of them:
/// the continuation bytes (`0b10xx_xxxx`) of each eight-byte word are
/// marked and added up lane by lane (at most eight per lane, no carry
/// between lanes), summed by one multiplication; the last bytes one by one.
#[inline]
fn char_starts(bytes: &[u8]) -> u32 {
    const LO: u64 = 0x0101_0101_0101_0101;
    const HI: u64 = 0x8080_8080_8080_8080;
    debug_assert!(bytes.len() <= BLOCK);
    let mut words = bytes.chunks_exact(8);
    let mut lanes = 0u64;
    for w in &mut words {
        let x = word8(w);
        lanes += (x & !(x << 1) & HI) >> 7;
    }
    let rest = words.remainder();
    let whole = (bytes.len() - rest.len()) as u32;
    whole - (lanes.wrapping_mul(LO) >> 56) as u32
        + rest.iter().filter(|&&b| is_char_start(b)).count() as u32
}

impl CharIndex {
    pub fn new(text: &str) -> Self {
        Self::new_in(text, Vec::new())
    }

    /// [`Self::new`] in the vector of an earlier index
    /// ([`Self::take_blocks`]), cleared here.
    pub(crate) fn new_in(text: &str, mut blocks: Vec<u32>) -> Self {
        blocks.clear();
        let bytes = text.as_bytes();
        if bytes.is_ascii() {
            return CharIndex {
                blocks,
                len_bytes: bytes.len(),
                len_chars: bytes.len(),
            };
        }
        blocks.reserve(bytes.len() / BLOCK + 1);
        let mut count = 0u32;
        let mut whole = bytes.chunks_exact(BLOCK);
        for chunk in &mut whole {
            blocks.push(count);
            count += char_starts(chunk);
        }
        if !whole.remainder().is_empty() {
            blocks.push(count);
            count += char_starts(whole.remainder());
        }
        CharIndex {
            blocks,
            len_bytes: bytes.len(),
            len_chars: count as usize,
        }
    }

    /// The vector of block counts, to make another index in; this index
    /// reads as one of empty text afterwards.
    pub(crate) fn take_blocks(&mut self) -> Vec<u32> {
        self.len_bytes = 0;
        self.len_chars = 0;
        std::mem::take(&mut self.blocks)
    }

    /// Number of code points in the text.
    pub fn len_chars(&self) -> usize {
        self.len_chars
    }

    /// Code-point offset of byte offset `byte` of `text` (the string this index
    /// was built from). Offsets past the end clamp to the length; an offset
    /// inside a code point counts that code point as not yet started.
    pub fn char_offset(&self, text: &str, byte: usize) -> usize {
        if byte >= self.len_bytes {
            return self.len_chars;
        }
        if self.blocks.is_empty() {
            return byte;
        }
        let block = byte / BLOCK;
        let base = self.blocks.get(block).copied().unwrap_or(0) as usize;
        let from = block * BLOCK;
        let tail = text.as_bytes().get(from..byte).unwrap_or(&[]);
        base + char_starts(tail) as usize
    }

    /// Code-point span of the byte span `start..end`.
    pub fn char_span(&self, text: &str, start: usize, end: usize) -> (usize, usize) {
        (self.char_offset(text, start), self.char_offset(text, end))
    }

    /// The record span (code points) of the byte range `start..end` of
    /// `text`, in `field`.
    pub fn span(&self, text: &str, field: Field, start: usize, end: usize) -> Span {
        Span {
            field,
            start: self.char_offset(text, start),
            end: self.char_offset(text, end),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn ascii_is_identity() {
        let t = "hello world";
        let ix = CharIndex::new(t);
        assert_eq!(ix.char_offset(t, 6), 6);
        assert_eq!(ix.char_offset(t, 99), 11);
    }

    #[test]
    fn arabic_offsets() {
        let t = "قال الأسد في دمشق";
        let ix = CharIndex::new(t);
        let b = t.find("دمشق").unwrap_or(0);
        assert_eq!(ix.char_offset(t, b), 13);
        assert_eq!(ix.len_chars(), t.chars().count());
    }

    proptest! {
        #[test]
        fn agrees_with_char_indices(s in "\\PC{0,300}") {
            let ix = CharIndex::new(&s);
            for (n, (b, _)) in s.char_indices().enumerate() {
                prop_assert_eq!(ix.char_offset(&s, b), n);
            }
            prop_assert_eq!(ix.char_offset(&s, s.len()), s.chars().count());
        }

        #[test]
        fn never_panics_on_any_offset(s in "\\PC{0,100}", off in 0usize..500) {
            let ix = CharIndex::new(&s);
            let _ = ix.char_offset(&s, off);
        }
    }
}
