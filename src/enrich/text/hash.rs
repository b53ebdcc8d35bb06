//! A small fast hasher for short string keys (stems, stop words): the FxHash
//! mixing used by rustc. Not DoS-resistant, which is fine for tables built
//! from our own data and per-article maps.

use std::hash::{BuildHasherDefault, Hasher};

use super::bytes::{short_word, word8};

#[derive(Default, Clone, Copy)]
pub struct FxHasher {
    hash: u64,
}

const SEED: u64 = 0x51_7c_c1_b7_27_22_0a_95;

impl FxHasher {
    #[inline]
    fn add(&mut self, word: u64) {
        self.hash = (self.hash.rotate_left(5) ^ word).wrapping_mul(SEED);
    }
}

impl Hasher for FxHasher {
    /// Eight bytes at a time; a last partial word is zero-padded. The
    /// padded word is read with whole loads (no copy of a variable length):
    /// shifted out of the last eight bytes when there are eight, else
    /// assembled from two overlapping loads.
    #[inline]
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for c in &mut chunks {
            self.add(word8(c));
        }
        let rest = chunks.remainder().len();
        if rest == 0 {
            return;
        }
        let tail = match bytes.len().checked_sub(8).and_then(|k| bytes.get(k..)) {
            Some(last) => word8(last) >> (8 * (8 - rest)),
            None => short_word(bytes),
        };
        self.add(tail);
    }
    #[inline]
    fn write_u8(&mut self, i: u8) {
        self.add(i as u64);
    }
    #[inline]
    fn write_usize(&mut self, i: usize) {
        self.add(i as u64);
    }
    #[inline]
    fn finish(&self) -> u64 {
        self.hash
    }
}

pub type FxBuild = BuildHasherDefault<FxHasher>;

/// The [`FxHasher`] hash of `bytes` written in one piece: the key of a
/// surface or a word in the tokenizer's and the stop-word tables.
#[inline]
pub fn hash_bytes(bytes: &[u8]) -> u64 {
    let mut h = FxHasher::default();
    h.write(bytes);
    h.finish()
}

/// [`hash_bytes`] of `text[start..end]` (of nothing when that is not a
/// range of `text`), read from `text` in place: a last group of fewer than
/// eight bytes is one load with the bytes past `end` masked off when the
/// text goes on that far.
#[inline(always)]
pub fn hash_bytes_in(text: &[u8], start: usize, end: usize) -> u64 {
    let part = text.get(start..end).unwrap_or_default();
    let mut h = FxHasher::default();
    let mut chunks = part.chunks_exact(8);
    for c in &mut chunks {
        h.add(word8(c));
    }
    let rest = chunks.remainder();
    if !rest.is_empty() {
        let at = end - rest.len();
        h.add(match text.get(at..at + 8) {
            Some(w) => word8(w) & (u64::MAX >> (64 - 8 * rest.len())),
            None => short_word(rest),
        });
    }
    h.finish()
}

pub type FxHashMap<K, V> = std::collections::HashMap<K, V, FxBuild>;
pub type FxHashSet<K> = std::collections::HashSet<K, FxBuild>;

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// FxHash of zero-padded eight-byte words, written plainly.
    fn reference(bytes: &[u8]) -> u64 {
        let mut h = FxHasher::default();
        for c in bytes.chunks(8) {
            let mut w = [0u8; 8];
            w[..c.len()].copy_from_slice(c);
            h.add(u64::from_le_bytes(w));
        }
        h.finish()
    }

    proptest! {
        #[test]
        fn hashes_zero_padded_words(bytes in proptest::collection::vec(any::<u8>(), 0..40)) {
            prop_assert_eq!(hash_bytes(&bytes), reference(&bytes));
            for n in 0..bytes.len() {
                prop_assert_eq!(hash_bytes(&bytes[..n]), reference(&bytes[..n]));
            }
        }

        #[test]
        fn hashes_a_part_in_place(bytes in proptest::collection::vec(any::<u8>(), 0..40)) {
            for start in 0..=bytes.len() + 1 {
                for end in 0..=bytes.len() + 1 {
                    let part = bytes.get(start..end).unwrap_or_default();
                    prop_assert_eq!(hash_bytes_in(&bytes, start, end), hash_bytes(part));
                }
            }
        }
    }
}
