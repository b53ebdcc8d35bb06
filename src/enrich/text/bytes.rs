//! Byte-level search used by the scanners that only care about a few
//! ASCII marks and lead bytes (the sentence splitter's line breaks, the
//! quote finder's quotation marks): eight bytes at a time, no decoding;
//! and the two-byte Arabic code points the tokenizer and the normaliser
//! read without decoding.

/// The code point of a two-byte sequence led by 0xD8 or 0xD9 (U+0600 to
/// U+067F), read without decoding; `None` for any other lead byte.
#[inline]
pub fn arabic_cp(b0: u8, b1: u8) -> Option<u32> {
    matches!(b0, 0xD8 | 0xD9).then(|| (u32::from(b0 & 0x1F) << 6) | u32::from(b1 & 0x3F))
}

/// The common Arabic letters: U+0621..U+063A and U+0641..U+064A.
#[inline]
pub fn is_common_arabic_letter(cp: u32) -> bool {
    (0x0621..=0x063A).contains(&cp) || (0x0641..=0x064A).contains(&cp)
}

/// The harakat U+064B..U+065F.
#[inline]
pub fn is_haraka(cp: u32) -> bool {
    (0x064B..=0x065F).contains(&cp)
}

const LO: u64 = 0x0101_0101_0101_0101;
const HI: u64 = 0x8080_8080_8080_8080;

/// Whether some byte of `v` is zero.
#[inline]
fn has_zero(v: u64) -> bool {
    v.wrapping_sub(LO) & !v & HI != 0
}

/// The first index at or after `from` whose byte is one of `set`, or
/// `bytes.len()` when there is none.
#[inline]
pub fn find_any(bytes: &[u8], from: usize, set: [u8; 4]) -> usize {
    let splat = set.map(|b| LO * u64::from(b));
    let mut i = from;
    while let Some(chunk) = bytes.get(i..i + 8) {
        let mut w = [0u8; 8];
        w.copy_from_slice(chunk);
        let x = u64::from_le_bytes(w);
        if splat.iter().any(|&s| has_zero(x ^ s)) {
            break;
        }
        i += 8;
    }
    while let Some(b) = bytes.get(i) {
        if set.contains(b) {
            return i;
        }
        i += 1;
    }
    bytes.len()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn finds_the_first_of_a_set() {
        let set = [b'"', b'\n', 0xC2, 0xE2];
        let text = "plain text, then «a quote» and \"another\"\n";
        let b = text.as_bytes();
        assert_eq!(find_any(b, 0, set), text.find('«').unwrap_or(0));
        assert_eq!(find_any(b, 0, [b'x'; 4]), text.find('x').unwrap_or(0));
        assert_eq!(find_any(b, 0, [b'#'; 4]), b.len());
        assert_eq!(find_any(b, b.len() + 3, set), b.len());
    }

    proptest! {
        #[test]
        fn agrees_with_a_plain_search(s in "\\PC{0,80}", from in 0usize..90, set in proptest::array::uniform4(any::<u8>())) {
            let b = s.as_bytes();
            let want = (from..b.len()).find(|&i| set.contains(&b[i])).unwrap_or(b.len());
            prop_assert_eq!(find_any(b, from, set), want);
        }
    }
}
