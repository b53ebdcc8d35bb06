//! The forms of one token the feature templates read: hashes of its
//! normalised word, raw text, shape, prefixes, suffixes and Arabic
//! clitic-stripped stem, and the flags that come from its characters.
//!
//! Two paths give the same forms. Tokens of ASCII and common Arabic
//! characters (letters, tashkeel, tatweel, Arabic-Indic digits) of up to
//! [`FAST_MAX`] bytes are read byte by byte into a stack buffer, every hash
//! extended as the bytes arrive; any other token goes through
//! [`normalize`](super::normalize)'s per-character rules.

use super::hash::{finish, hash_bytes, hash_str, FNV_OFFSET, FNV_PRIME};
use super::normalize::{clitic_cut, is_arabic_letter, is_invisible, is_tashkeel, push_normalized};
use super::{flag, Script};

/// What [`forms`] computes for one token.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(super) struct Forms {
    pub word: u64,
    pub raw: u64,
    pub stem: u64,
    pub clitic: u64,
    pub shape: u64,
    pub short: u64,
    pub prefix: [u64; 4],
    pub suffix: [u64; 4],
    /// The [`flag`]s that depend on the characters alone.
    pub flags: u32,
    /// The token ends a sentence (`.` `!` `?` `؟` `:` …).
    pub ends_sentence: bool,
    /// The normalised token is empty (marks only).
    pub empty: bool,
}

/// Longest token (in bytes) read on the fast path.
pub(super) const FAST_MAX: usize = 64;

/// Characters of each class, counted as a token is read.
#[derive(Default)]
struct Counts {
    letters: u32,
    upper: u32,
    digits: u32,
    punct: u32,
    total: u32,
    flags: u32,
}

impl Counts {
    /// The flags of a token of `n` characters with these counts.
    fn flags(&self, n: usize) -> u32 {
        let mut flags = self.flags;
        if self.letters > 1 && self.upper == self.letters {
            flags |= flag::ALL_CAPS;
        } else if self.upper > 1 {
            flags |= flag::MIXED_CAPS;
        }
        if self.digits > 0 {
            flags |= flag::HAS_DIGIT;
            if self.digits == self.total {
                flags |= flag::ALL_DIGITS;
            }
        }
        if self.total > 0 && self.punct == self.total {
            flags |= flag::PUNCT;
        }
        if n >= 8 {
            flags |= flag::LONG;
        } else if n <= 2 {
            flags |= flag::SHORT;
        }
        flags
    }

    /// Counts an ASCII character; returns its shape class and normalised byte.
    #[inline(always)]
    fn ascii(&mut self, b: u8) -> (u8, u8) {
        self.total += 1;
        if b.is_ascii_lowercase() {
            self.letters += 1;
            (b'x', b)
        } else if b.is_ascii_uppercase() {
            self.letters += 1;
            self.upper += 1;
            if self.total == 1 {
                self.flags |= flag::INIT_CAP;
            }
            (b'X', b.to_ascii_lowercase())
        } else if b.is_ascii_digit() {
            self.digits += 1;
            (b'd', b'0')
        } else {
            self.punct += 1;
            match b {
                b'-' => self.flags |= flag::HYPHEN,
                b'.' => self.flags |= flag::PERIOD,
                _ => {}
            }
            (b, b)
        }
    }
}

/// The hashes that grow as the normalised characters arrive.
struct Running {
    word: u64,
    shape: u64,
    shape_len: usize,
    short: u64,
    short_len: usize,
    short_last: u8,
    prefix: [u64; 4],
    /// Byte offsets (in the normalised form) of the last four characters.
    starts: [usize; 4],
    /// Characters so far.
    n: usize,
}

impl Running {
    fn new() -> Running {
        Running {
            word: FNV_OFFSET,
            shape: FNV_OFFSET,
            shape_len: 0,
            short: FNV_OFFSET,
            short_len: 0,
            short_last: 0,
            prefix: [0; 4],
            starts: [0; 4],
            n: 0,
        }
    }

    #[inline(always)]
    fn byte(&mut self, b: u8) {
        self.word = fnv(self.word, b);
    }

    /// Closes a character of shape class `class` whose normalised form
    /// starts at byte `at`.
    #[inline(always)]
    fn char_done(&mut self, class: u8, at: usize) {
        // The shape: the first 16 classes; the short shape: runs of a
        // class as one, at most 16.
        if self.shape_len < 16 {
            self.shape = fnv(self.shape, class);
            self.shape_len += 1;
        }
        if (self.short_len == 0 || self.short_last != class) && self.short_len < 16 {
            self.short = fnv(self.short, class);
            self.short_last = class;
            self.short_len += 1;
        }
        self.starts[self.n & 3] = at;
        self.n += 1;
        if let Some(p) = self.prefix.get_mut(self.n - 1) {
            *p = self.word;
        }
    }

    /// The forms of a token whose normalised form is `norm`.
    fn finish(&self, token: &str, norm: &[u8], script: Script, counts: &Counts) -> Forms {
        let n = self.n;
        let word = finish(self.word);
        let mut f = Forms {
            word,
            raw: if script == Script::Latin && counts.upper > 0 {
                hash_str(token)
            } else {
                word
            },
            stem: word,
            clitic: 0,
            shape: finish(self.shape),
            short: finish(self.short),
            prefix: [0; 4],
            suffix: [0; 4],
            flags: counts.flags(n),
            ends_sentence: matches!(
                norm,
                b"." | b"!" | b"?" | b"\xd8\x9f" | b"..." | b"\xe2\x80\xa6" | b":" | b"\n"
            ),
            empty: norm.is_empty(),
        };
        for k in 1..=4 {
            if n > k {
                f.prefix[k - 1] = finish(self.prefix[k - 1]);
                let start = self.starts[(n - k) & 3];
                f.suffix[k - 1] = hash_bytes(norm.get(start..).unwrap_or_default());
            }
        }
        f
    }
}

#[inline(always)]
fn fnv(h: u64, b: u8) -> u64 {
    (h ^ u64::from(b)).wrapping_mul(FNV_PRIME)
}

/// The forms of `token` for a model of `script`; `norm` is scratch space.
pub(super) fn forms(token: &str, script: Script, norm: &mut String) -> Forms {
    fast(token, script).unwrap_or_else(|| general(token, script, norm))
}

/// Adds the clitic and stem of an Arabic word whose first characters are
/// `head` (byte offset and code point, as many as there are up to 6) of
/// `n` characters in all.
fn add_clitic(f: &mut Forms, norm: &[u8], head: &[(usize, u32); 6], n: usize) {
    let cut = clitic_cut(head, n, norm.len());
    if cut > 0 {
        f.flags |= flag::HAS_CLITIC;
        f.clitic = hash_bytes(norm.get(..cut).unwrap_or_default());
        f.stem = hash_bytes(norm.get(cut..).unwrap_or_default());
    }
}

/// The fast path: `None` for a token it does not cover. Not inlined: the
/// caller keeps its registers.
#[inline(never)]
fn fast(token: &str, script: Script) -> Option<Forms> {
    let bytes = token.as_bytes();
    if bytes.len() > FAST_MAX {
        return None;
    }
    let mut out = [0u8; FAST_MAX];
    let mut o = 0usize;
    let mut counts = Counts::default();
    let mut run = Running::new();
    let mut head = [(0usize, 0u32); 6];
    let mut i = 0usize;
    while let Some(&b0) = bytes.get(i) {
        let at = o;
        let (class, cp) = if b0 < 0x80 {
            i += 1;
            let (class, b) = counts.ascii(b0);
            *out.get_mut(o)? = b;
            o += 1;
            run.byte(b);
            (class, u32::from(b))
        } else if b0 == 0xd8 || b0 == 0xd9 {
            // U+0600..=U+067F: two bytes.
            let b1 = *bytes.get(i + 1)?;
            i += 2;
            let cp = (u32::from(b0 & 0x1f) << 6) | u32::from(b1 & 0x3f);
            match cp {
                0x621..=0x63f | 0x641..=0x64a => {
                    counts.total += 1;
                    counts.letters += 1;
                    let cp = match cp {
                        0x622 | 0x623 | 0x625 => 0x627,
                        0x649 => 0x64a,
                        0x629 => 0x647,
                        c => c,
                    };
                    let (n0, n1) = (0xc0 | (cp >> 6) as u8, 0x80 | (cp & 0x3f) as u8);
                    *out.get_mut(o)? = n0;
                    *out.get_mut(o + 1)? = n1;
                    o += 2;
                    run.byte(n0);
                    run.byte(n1);
                    (b'a', cp)
                }
                // Tatweel and tashkeel are dropped.
                0x640 | 0x64b..=0x65f => continue,
                // Arabic-Indic digits.
                0x660..=0x669 => {
                    counts.total += 1;
                    counts.digits += 1;
                    *out.get_mut(o)? = b'0';
                    o += 1;
                    run.byte(b'0');
                    (b'd', u32::from(b'0'))
                }
                _ => return None,
            }
        } else {
            return None;
        };
        // Only the Arabic model strips clitics.
        if script == Script::Arabic {
            if let Some(h) = head.get_mut(run.n) {
                *h = (at, cp);
            }
        }
        run.char_done(class, at);
    }
    let norm = out.get(..o)?;
    let mut f = run.finish(token, norm, script, &counts);
    if script == Script::Arabic {
        add_clitic(&mut f, norm, &head, run.n);
    }
    Some(f)
}

/// The general path: any token, character by character.
fn general(token: &str, script: Script, norm: &mut String) -> Forms {
    norm.clear();
    let mut counts = Counts::default();
    let mut run = Running::new();
    let mut head = [(0usize, 0u32); 6];
    for c in token.chars() {
        let at = norm.len();
        let class = if c.is_ascii() {
            let (class, b) = counts.ascii(c as u8);
            norm.push(char::from(b));
            class
        } else {
            if is_invisible(c) || is_tashkeel(c) {
                continue;
            }
            counts.total += 1;
            let class = if is_arabic_letter(c) {
                counts.letters += 1;
                b'a'
            } else if c.is_numeric() {
                counts.digits += 1;
                b'd'
            } else if c.is_alphabetic() {
                counts.letters += 1;
                if c.is_uppercase() {
                    counts.upper += 1;
                    if counts.total == 1 {
                        counts.flags |= flag::INIT_CAP;
                    }
                    b'X'
                } else {
                    b'x'
                }
            } else {
                counts.punct += 1;
                b'*'
            };
            push_normalized(c, norm);
            class
        };
        for &byte in norm.as_bytes().get(at..).unwrap_or_default() {
            run.byte(byte);
        }
        run.char_done(class, at);
    }
    let bytes = norm.as_bytes();
    let mut f = run.finish(token, bytes, script, &counts);
    if script == Script::Arabic {
        // The characters of the normalised form (a lowercased letter may
        // be more than one).
        let mut n = 0usize;
        for (k, (at, c)) in norm.char_indices().enumerate() {
            if let Some(h) = head.get_mut(k) {
                *h = (at, u32::from(c));
            }
            n = k + 1;
        }
        add_clitic(&mut f, bytes, &head, n);
    }
    f
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// Tokens mixing the characters each path treats apart.
    fn token() -> impl Strategy<Value = String> {
        let chars = prop_oneof![
            4 => proptest::char::range('a', 'z'),
            2 => proptest::char::range('A', 'Z'),
            1 => proptest::char::range('0', '9'),
            1 => proptest::sample::select(vec!['.', '-', '\'', '!', '?', ':', '\n', '"']),
            6 => proptest::char::range('\u{0620}', '\u{064A}'),
            1 => proptest::char::range('\u{064B}', '\u{0672}'),
            1 => proptest::sample::select(vec!['؟', '…', 'é', 'İ', 'ß', '\u{200F}', '\u{06F4}', 'ٱ', '中']),
        ];
        proptest::collection::vec(chars, 0..24).prop_map(|v| v.into_iter().collect())
    }

    #[test]
    fn fast_path_covers_plain_tokens() {
        for t in ["Paris", "والرئيس", "مُحَمَّـــد", "٢٠١٨", "U.S.", "-", ""]
        {
            assert!(fast(t, Script::Arabic).is_some(), "{t}");
        }
        for t in ["؟", "Zürich", "\u{200F}حين"] {
            assert!(fast(t, Script::Latin).is_none(), "{t}");
        }
        assert!(fast(&"a".repeat(FAST_MAX + 1), Script::Latin).is_none());
    }

    #[test]
    fn forms_cases() {
        let mut norm = String::new();
        let f = forms("والرئيس", Script::Arabic, &mut norm);
        assert_eq!(f.word, hash_str("والرئيس"));
        assert_eq!(f.stem, hash_str("رئيس"));
        assert_eq!(f.clitic, hash_str("وال"));
        assert_eq!(f.prefix[0], hash_str("و"));
        assert_eq!(f.suffix[1], hash_str("يس"));
        let f = forms("Paris", Script::Latin, &mut norm);
        assert_eq!(f.word, hash_str("paris"));
        assert_eq!(f.raw, hash_str("Paris"));
        assert_eq!(f.shape, hash_str("Xxxxx"));
        assert_eq!(f.short, hash_str("Xx"));
        assert_eq!(f.flags & flag::INIT_CAP, flag::INIT_CAP);
        assert!(forms("؟", Script::Arabic, &mut norm).ends_sentence);
        assert!(forms("\u{064B}", Script::Arabic, &mut norm).empty);
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2000))]
        #[test]
        fn both_paths_agree(t in token()) {
            for script in [Script::Arabic, Script::Latin] {
                let mut norm = String::new();
                if let Some(f) = fast(&t, script) {
                    prop_assert_eq!(f, general(&t, script, &mut norm), "{:?}", t);
                }
            }
        }
    }
}
