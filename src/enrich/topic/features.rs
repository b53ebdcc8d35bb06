//! Hashed features of an article: word unigrams, word bigrams, light stems and
//! character n-grams inside words (robust to Arabic clitics), over the title
//! (counted twice) and the first `max_body_bytes` of the body.

use super::normalise::{for_each_word, light_stem};

/// Word unigrams.
pub const WORDS: u32 = 1;
/// Adjacent word pairs.
pub const BIGRAMS: u32 = 1 << 1;
/// Light Arabic stems (clitics and common suffixes stripped).
pub const STEMS: u32 = 1 << 2;
/// Character trigrams inside `^word$`.
pub const CHAR3: u32 = 1 << 3;
/// Character 4-grams inside `^word$`.
pub const CHAR4: u32 = 1 << 4;
/// Character 5-grams inside `^word$`.
pub const CHAR5: u32 = 1 << 5;
const ALL_FLAGS: u32 = WORDS | BIGRAMS | STEMS | CHAR3 | CHAR4 | CHAR5;

/// Which features are extracted and how many hash buckets they fall into.
/// Stored in the model header so inference repeats the training featurisation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FeatureConfig {
    /// log2 of the number of hash buckets.
    pub bits: u8,
    /// A set of the feature flags above.
    pub flags: u32,
    /// The body is cut after this many bytes (at a character boundary).
    pub max_body_bytes: u32,
}

impl FeatureConfig {
    pub fn is_valid(&self) -> bool {
        (10..=24).contains(&self.bits) && self.flags & !ALL_FLAGS == 0 && self.flags != 0
    }

    pub fn dims(&self) -> usize {
        1usize << self.bits
    }
}

const K: u64 = 0x517c_c1b7_2722_0a95;

#[inline]
fn fmix(mut h: u64) -> u64 {
    h ^= h >> 33;
    h = h.wrapping_mul(0xff51_afd7_ed55_8ccd);
    h ^= h >> 33;
    h = h.wrapping_mul(0xc4ce_b9fe_1a85_ec53);
    h ^ (h >> 33)
}

#[inline]
fn hash_bytes(seed: u64, bytes: &[u8]) -> u64 {
    let mut h = seed;
    let mut chunks = bytes.chunks_exact(8);
    for c in &mut chunks {
        let mut a = [0u8; 8];
        a.copy_from_slice(c);
        h = (h.rotate_left(5) ^ u64::from_le_bytes(a)).wrapping_mul(K);
    }
    for &b in chunks.remainder() {
        h = (h.rotate_left(5) ^ u64::from(b)).wrapping_mul(K);
    }
    h
}

const NS_WORD: u64 = 0x1000_0000_0000_0001;
const NS_BIGRAM: u64 = 0x2000_0000_0000_0002;
const NS_STEM: u64 = 0x3000_0000_0000_0003;
const NS_CHAR: u64 = 0x4000_0000_0000_0004;

/// Reusable buffers for [`featurise`].
#[derive(Debug, Default)]
pub struct Scratch {
    word: String,
    chars: Vec<u32>,
}

/// Appends the hashed feature index of every feature occurrence of the
/// article to `out` (a feature that occurs twice is pushed twice).
pub fn featurise(
    cfg: &FeatureConfig,
    title: &str,
    body: &str,
    scratch: &mut Scratch,
    out: &mut Vec<u32>,
) {
    let body = truncate(body, cfg.max_body_bytes as usize);
    let mask = (1u64 << cfg.bits) - 1;
    let segment = |text: &str, scratch: &mut Scratch, out: &mut Vec<u32>| {
        let Scratch { word, chars } = scratch;
        let mut prev: Option<u64> = None;
        for_each_word(text, word, |w| {
            let w = if w.bytes().all(|b| b.is_ascii_digit()) {
                "0"
            } else {
                w
            };
            let hw = hash_bytes(NS_WORD, w.as_bytes());
            if cfg.flags & WORDS != 0 {
                out.push((fmix(hw) & mask) as u32);
            }
            if cfg.flags & BIGRAMS != 0 {
                if let Some(p) = prev {
                    let hb = (p.rotate_left(17) ^ hw ^ NS_BIGRAM).wrapping_mul(K);
                    out.push((fmix(hb) & mask) as u32);
                }
            }
            prev = Some(hw);
            if cfg.flags & STEMS != 0 {
                let s = light_stem(w);
                if s.len() != w.len() {
                    out.push((fmix(hash_bytes(NS_STEM, s.as_bytes())) & mask) as u32);
                }
            }
            if cfg.flags & (CHAR3 | CHAR4 | CHAR5) != 0 && w.len() > 1 {
                chars.clear();
                chars.push(u32::from('^'));
                chars.extend(w.chars().map(u32::from));
                chars.push(u32::from('$'));
                for (n, flag) in [(3usize, CHAR3), (4, CHAR4), (5, CHAR5)] {
                    if cfg.flags & flag == 0 || chars.len() < n {
                        continue;
                    }
                    for win in chars.windows(n) {
                        let mut h = NS_CHAR ^ n as u64;
                        for &c in win {
                            h = (h.rotate_left(5) ^ u64::from(c)).wrapping_mul(K);
                        }
                        out.push((fmix(h) & mask) as u32);
                    }
                }
            }
        });
    };
    segment(title, scratch, out);
    segment(title, scratch, out);
    segment(body, scratch, out);
}

/// The longest prefix of `s` of at most `max` bytes ending at a char boundary.
pub fn truncate(s: &str, max: usize) -> &str {
    if s.len() <= max {
        return s;
    }
    let mut end = max;
    while end > 0 && !s.is_char_boundary(end) {
        end -= 1;
    }
    &s[..end]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cfg(flags: u32) -> FeatureConfig {
        FeatureConfig {
            bits: 16,
            flags,
            max_body_bytes: 64,
        }
    }

    fn feats(cfg: &FeatureConfig, title: &str, body: &str) -> Vec<u32> {
        let mut out = Vec::new();
        featurise(cfg, title, body, &mut Scratch::default(), &mut out);
        out
    }

    #[test]
    fn counts_follow_the_flags() {
        let words = feats(&cfg(WORDS), "", "one two three");
        assert_eq!(words.len(), 3);
        let bigrams = feats(&cfg(WORDS | BIGRAMS), "", "one two three");
        assert_eq!(bigrams.len(), 5);
        // "^one$" has 3 trigrams.
        let chars = feats(&cfg(CHAR3), "", "one");
        assert_eq!(chars.len(), 3);
        assert!(feats(&cfg(WORDS), "", "  ،، ").is_empty());
    }

    #[test]
    fn normalised_variants_share_features() {
        let c = cfg(WORDS | CHAR4);
        assert_eq!(feats(&c, "", "إلى المدرسة"), feats(&c, "", "الى المدرسه"));
        assert_eq!(feats(&c, "", "Police"), feats(&c, "", "police"));
    }

    #[test]
    fn title_counts_twice_and_body_is_truncated() {
        let c = cfg(WORDS);
        assert_eq!(feats(&c, "goal", "").len(), 2);
        let long = "word ".repeat(100);
        assert!(feats(&c, "", &long).len() <= 13);
        assert_eq!(truncate("ééé", 3), "é");
    }

    #[test]
    fn indices_stay_in_range() {
        let c = cfg(ALL_FLAGS);
        assert!(feats(&c, "عنوان الخبر", "نص الخبر text")
            .iter()
            .all(|&i| i < 1 << 16));
    }
}
