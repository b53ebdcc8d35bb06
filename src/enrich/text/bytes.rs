//! Byte-level search used by the scanners that only care about a few
//! ASCII marks and lead bytes (the sentence splitter's line breaks, the
//! quote finder's quotation marks): eight bytes at a time, no decoding;
//! the two-byte Arabic code points the tokenizer and the normaliser
//! read without decoding; and short byte strings read a word at a time
//! (hashed, compared).

/// The code point of a two-byte sequence led by 0xD8 or 0xD9 (U+0600 to
/// U+067F), read without decoding; `None` for any other lead byte.
#[inline]
pub fn arabic_cp(b0: u8, b1: u8) -> Option<u32> {
    matches!(b0, 0xD8 | 0xD9).then(|| two_byte_cp(b0, b1))
}

/// The code point of a two-byte UTF-8 sequence (lead `0xC2..=0xDF`).
#[inline]
pub const fn two_byte_cp(lead: u8, next: u8) -> u32 {
    ((lead & 0x1F) as u32) << 6 | (next & 0x3F) as u32
}

/// The common Arabic letters: U+0621..U+063A and U+0641..U+064A.
#[inline]
pub const fn is_common_arabic_letter(cp: u32) -> bool {
    matches!(cp, 0x0621..=0x063A | 0x0641..=0x064A)
}

/// The harakat U+064B..U+065F.
#[inline]
pub const fn is_haraka(cp: u32) -> bool {
    matches!(cp, 0x064B..=0x065F)
}

/// Classes of U+0600..U+067F, by code point - 0x600: [`LETTER`] for the
/// common letters, [`HARAKA`] for the harakat, 0 for the rest.
static ARABIC_CLASS: [u8; 128] = {
    let mut t = [0u8; 128];
    let mut cp = 0x600;
    while cp < 0x680 {
        t[cp - 0x600] = if is_common_arabic_letter(cp as u32) {
            LETTER
        } else if is_haraka(cp as u32) {
            HARAKA
        } else {
            0
        };
        cp += 1;
    }
    t
};

/// [`arabic_class`] of a common Arabic letter.
pub const LETTER: u8 = 1;
/// [`arabic_class`] of a haraka.
pub const HARAKA: u8 = 2;

/// The class of the two-byte sequence `b0 b1` ([`LETTER`], [`HARAKA`] or 0
/// for anything else), by one table lookup.
#[inline]
pub fn arabic_class(b0: u8, b1: u8) -> u8 {
    if b0 & 0xFE != 0xD8 {
        return 0;
    }
    ARABIC_CLASS[usize::from(((b0 & 1) << 6) | (b1 & 0x3F))]
}

/// The little-endian word of the first eight bytes of `b` (at least eight).
#[inline]
pub fn word8(b: &[u8]) -> u64 {
    let mut w = [0u8; 8];
    if let Some(b) = b.get(..8) {
        w.copy_from_slice(b);
    }
    u64::from_le_bytes(w)
}

/// The little-endian word of `b` (one to seven bytes), zero-padded: two
/// overlapping loads put every byte in its place.
#[inline]
pub fn short_word(b: &[u8]) -> u64 {
    let n = b.len();
    let four = |k: usize| -> u64 {
        b.get(k..k + 4)
            .and_then(|s| <[u8; 4]>::try_from(s).ok())
            .map_or(0, |a| u64::from(u32::from_le_bytes(a)))
    };
    let two = |k: usize| -> u64 {
        b.get(k..k + 2)
            .and_then(|s| <[u8; 2]>::try_from(s).ok())
            .map_or(0, |a| u64::from(u16::from_le_bytes(a)))
    };
    match n {
        4..=7 => four(0) | four(n - 4) << (8 * (n - 4)),
        2..=3 => two(0) | two(n - 2) << (8 * (n - 2)),
        1 => b.first().map_or(0, |&x| u64::from(x)),
        _ => 0,
    }
}

/// Whether `a` and `b` are equal, read a word at a time in place: the
/// surfaces compared are short, and a call into the C library's
/// comparison costs more than the comparison.
#[inline]
pub fn same_bytes(a: &[u8], b: &[u8]) -> bool {
    let n = a.len();
    if n != b.len() {
        return false;
    }
    if n < 8 {
        return short_word(a) == short_word(b);
    }
    let whole = a
        .chunks_exact(8)
        .zip(b.chunks_exact(8))
        .all(|(x, y)| word8(x) == word8(y));
    // The last eight bytes cover the remainder.
    whole && word8(a.get(n - 8..).unwrap_or(&[])) == word8(b.get(n - 8..).unwrap_or(&[]))
}

/// For each byte of `x` (every byte below 0x80), its high bit set when
/// the byte is at least `lo` (`1..=0x80`): adding `0x80 - lo` carries into
/// the high bit exactly then, and never out of the byte.
#[inline]
const fn bytes_at_least(x: u64, lo: u8) -> u64 {
    x.wrapping_add(LO * (0x80 - lo as u64)) & HI
}

/// For each byte of `x` (every byte below 0x80), its high bit set when
/// the byte is at most `hi` (below 0x80).
#[inline]
const fn bytes_at_most(x: u64, hi: u8) -> u64 {
    !x.wrapping_add(LO * (0x7F - hi as u64)) & HI
}

/// The high bit of each byte of `w` that is an ASCII letter or digit.
#[inline]
const fn ascii_alnum_bits(w: u64) -> u64 {
    let x = w & !HI;
    let digit = bytes_at_least(x, b'0') & bytes_at_most(x, b'9');
    // Setting bit 5 folds the capitals onto the small letters and moves no
    // other byte into `a..=z`.
    let y = x | (LO * 0x20);
    let letter = bytes_at_least(y, b'a') & bytes_at_most(y, b'z');
    (digit | letter) & !w & HI
}

/// The length of the run of ASCII letters and digits `b` begins with.
/// Eight bytes are classified at once by word arithmetic: a word of
/// running text ends in the first or second word read, so the loop ends
/// by one branch per token instead of one per byte, and that branch is
/// seldom mispredicted.
#[inline]
pub fn ascii_alnum_len(b: &[u8]) -> usize {
    let mut i = 0;
    while let Some(chunk) = b.get(i..i + 8) {
        let stop = !ascii_alnum_bits(word8(chunk)) & HI;
        if stop != 0 {
            return i + (stop.trailing_zeros() / 8) as usize;
        }
        i += 8;
    }
    let rest = b.get(i..).unwrap_or(&[]);
    i + rest
        .iter()
        .position(|x| !x.is_ascii_alphanumeric())
        .unwrap_or(rest.len())
}

/// One in the low byte of each 16-bit lane.
const LANES: u64 = 0x0001_0001_0001_0001;

/// The length in bytes of the run of two-byte sequences `b` begins with
/// whose [`arabic_class`] is not 0 (common Arabic letters and harakat):
/// `2 *` the number of leading pairs of `b.chunks_exact(2)` of a nonzero
/// class. Four pairs are classified at once, one per 16-bit lane of a
/// word (lead byte low, second byte high): the lead must be 0xD8 or 0xD9
/// and the code point's offset from U+0600 (its lead's low bit and the
/// second byte's low six bits) in 0x21..=0x3A or 0x41..=0x5F, the ranges
/// [`ARABIC_CLASS`] marks. As for [`ascii_alnum_len`], one branch per
/// token ends the loop instead of one per character.
#[inline]
pub fn arabic_run_len(b: &[u8]) -> usize {
    let lows = LANES * 0x80;
    let mut i = 0;
    while let Some(chunk) = b.get(i..i + 8) {
        let w = word8(chunk);
        // Zero in a lane's low byte exactly when its lead is 0xD8 or 0xD9.
        let lead = (w & (LANES * 0xFE)) ^ (LANES * 0xD8);
        let bad_lead = (((lead & !HI) + !HI) | lead) & lows;
        let offset = ((w & LANES) << 6) | ((w >> 8) & (LANES * 0x3F));
        let in_class = (bytes_at_least(offset, 0x21) & bytes_at_most(offset, 0x3A))
            | (bytes_at_least(offset, 0x41) & bytes_at_most(offset, 0x5F));
        let stop = (bad_lead | !in_class) & lows;
        if stop != 0 {
            return i + 2 * (stop.trailing_zeros() / 16) as usize;
        }
        i += 8;
    }
    let pairs = b
        .get(i..)
        .unwrap_or(&[])
        .chunks_exact(2)
        .take_while(|p| arabic_class(p[0], p[1]) != 0)
        .count();
    i + 2 * pairs
}

/// A 256-entry byte set.
pub const fn byte_set(bytes: &[u8]) -> [bool; 256] {
    with_bytes([false; 256], bytes)
}

/// `set` with `bytes` added.
pub const fn with_bytes(mut set: [bool; 256], bytes: &[u8]) -> [bool; 256] {
    let mut i = 0;
    while i < bytes.len() {
        set[bytes[i] as usize] = true;
        i += 1;
    }
    set
}

/// The first index of `bytes` whose byte is in `set`, or `bytes.len()`;
/// eight bytes are tested at a time while none is.
#[inline]
pub fn find_in_set(bytes: &[u8], set: &[bool; 256]) -> usize {
    let mut i = 0;
    while let Some(chunk) = bytes.get(i..i + 8) {
        if chunk.iter().fold(false, |a, &b| a | set[usize::from(b)]) {
            break;
        }
        i += 8;
    }
    let rest = bytes.get(i..).unwrap_or(&[]);
    i + rest
        .iter()
        .position(|&b| set[usize::from(b)])
        .unwrap_or(rest.len())
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

    #[test]
    fn compares_bytes() {
        let words = [
            "",
            "a",
            "ab",
            "abc",
            "abcd",
            "abcdefg",
            "abcdefgh",
            "abcdefghi",
            "والاتفاقية",
        ];
        for x in words {
            for y in words {
                assert_eq!(same_bytes(x.as_bytes(), y.as_bytes()), x == y, "{x} {y}");
            }
        }
        assert!(!same_bytes(b"abcdefghij", b"abcdefghik"));
        assert!(!same_bytes(b"xbcdefghij", b"abcdefghij"));
    }

    #[test]
    fn arabic_classes() {
        let class = |c: char| {
            let mut b = [0u8; 4];
            let s = c.encode_utf8(&mut b).as_bytes();
            arabic_class(s[0], s.get(1).copied().unwrap_or(0))
        };
        assert_eq!(class('ب'), LETTER);
        assert_eq!(class('\u{064E}'), HARAKA);
        assert_eq!(class('\u{0640}'), 0);
        assert_eq!(class('٣'), 0);
        assert_eq!(class('a'), 0);
    }

    proptest! {
        #[test]
        fn arabic_class_agrees_with_the_ranges(b0 in 0xD8u8..0xDA, b1 in 0x80u8..0xC0) {
            let want = match arabic_cp(b0, b1) {
                Some(cp) if is_common_arabic_letter(cp) => LETTER,
                Some(cp) if is_haraka(cp) => HARAKA,
                _ => 0,
            };
            prop_assert_eq!(arabic_class(b0, b1), want);
        }

        #[test]
        fn word_runs_are_what_a_byte_loop_finds(parts in proptest::collection::vec(prop_oneof![
            "[A-Za-z0-9]{1,24}".prop_map(String::into_bytes),
            "[\u{0621}-\u{065F}]{1,14}".prop_map(String::into_bytes),
            proptest::collection::vec(prop_oneof![any::<u8>(), 0xD8u8..0xDA, 0x80u8..0xC0, b'0'..=b'z'], 1..4),
        ], 0..6)) {
            // Runs of every length, so that whole eight-byte chunks, their
            // continuation and the tail after them are all read.
            let b = parts.concat();
            for k in 0..=b.len() {
                let b = &b[k..];
                let ascii = b.iter().position(|x| !x.is_ascii_alphanumeric()).unwrap_or(b.len());
                prop_assert_eq!(ascii_alnum_len(b), ascii);
                let pairs = b.chunks_exact(2).take_while(|p| arabic_class(p[0], p[1]) != 0).count();
                prop_assert_eq!(arabic_run_len(b), 2 * pairs);
            }
        }

        #[test]
        fn find_in_set_is_a_plain_search(s in "\\PC{0,80}", set in proptest::collection::vec(any::<u8>(), 0..6)) {
            let b = s.as_bytes();
            let table = {
                let mut t = [false; 256];
                for &x in &set {
                    t[usize::from(x)] = true;
                }
                t
            };
            let want = b.iter().position(|x| set.contains(x)).unwrap_or(b.len());
            prop_assert_eq!(find_in_set(b, &table), want);
        }

        #[test]
        fn agrees_with_a_plain_search(s in "\\PC{0,80}", from in 0usize..90, set in proptest::array::uniform4(any::<u8>())) {
            let b = s.as_bytes();
            let want = (from..b.len()).find(|&i| set.contains(&b[i])).unwrap_or(b.len());
            prop_assert_eq!(find_any(b, from, set), want);
        }
    }
}
