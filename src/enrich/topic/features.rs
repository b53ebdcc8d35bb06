//! Hashed features of an article: word unigrams, word bigrams, light stems and
//! character n-grams inside words (robust to Arabic clitics), over the title
//! (counted twice) and the first `max_body_bytes` of the body.

#[cfg(doc)]
use super::normalise::for_each_word;
use super::normalise::{fold_char, is_word_char, light_stem_cuts};

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
    /// The current normalised word, UTF-8.
    word: Vec<u8>,
    /// `^`, then the characters of the current word (then `$` once it ends).
    chars: Vec<u32>,
}

/// Appends the hashed feature index of every feature occurrence of the
/// article to `out` (a feature that occurs twice is pushed twice).
///
/// One pass over the bytes of each segment: the word is normalised into
/// `scratch` as it is read ([`for_each_word`]'s rules, through [`fold_table`]
/// for ASCII and U+0080..U+06FF), and its features are hashed when it ends.
/// The title's features are computed once and listed twice.
pub fn featurise(
    cfg: &FeatureConfig,
    title: &str,
    body: &str,
    scratch: &mut Scratch,
    out: &mut Vec<u32>,
) {
    let body = truncate(body, cfg.max_body_bytes as usize);
    let table = fold_table();
    // Owned locally, the buffers' lengths can stay in registers in the loops.
    let mut features = std::mem::take(out);
    let start = features.len();
    segment(cfg, table, title, scratch, &mut |i| features.push(i));
    features.extend_from_within(start..);
    segment(cfg, table, body, scratch, &mut |i| features.push(i));
    *out = features;
}

/// What [`FoldTable`] says about one character.
const DROP: u16 = 0;
const SPLIT: u16 = 1;
const SLOW: u16 = 2;

/// [`fold_char`] then the word-character test, for U+0000..U+06FF: `DROP`
/// (the character disappears), `SPLIT` (it ends the word), `SLOW` (ask
/// [`fold_char`]) or the folded character (a word character).
struct FoldTable([u16; 0x700]);

/// The table, built once from [`fold_char`] and [`is_word_char`] themselves.
fn fold_table() -> &'static FoldTable {
    static TABLE: std::sync::OnceLock<FoldTable> = std::sync::OnceLock::new();
    TABLE.get_or_init(|| {
        let mut t = [DROP; 0x700];
        for (cp, slot) in (0u32..).zip(t.iter_mut()) {
            let Some(c) = char::from_u32(cp) else {
                continue;
            };
            *slot = match fold_char(c) {
                None => DROP,
                Some(f) if is_word_char(f) => match u16::try_from(u32::from(f)) {
                    Ok(v) if v > SLOW => v,
                    _ => SLOW,
                },
                Some(_) => SPLIT,
            };
        }
        FoldTable(t)
    })
}

/// The features of one segment (title or body).
fn segment(
    cfg: &FeatureConfig,
    table: &FoldTable,
    text: &str,
    scratch: &mut Scratch,
    sink: &mut impl FnMut(u32),
) {
    let mask = (1u64 << cfg.bits) - 1;
    // Owned locally, the buffers' lengths can stay in registers in the loop.
    let mut word = std::mem::take(&mut scratch.word);
    let mut chars = std::mem::take(&mut scratch.chars);
    word.clear();
    chars.clear();
    chars.push(u32::from('^'));
    let mut prev: Option<u64> = None;
    word.reserve(text.len());
    chars.reserve(text.len() + 2);
    let bytes = text.as_bytes();
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        // The character at `i`, decoded; ASCII and two-byte sequences
        // (U+0080..U+07FF, Arabic included) inline.
        let cp = if b < 0x80 {
            i += 1;
            u32::from(b)
        } else if b & 0xE0 == 0xC0 {
            let b1 = bytes.get(i + 1).copied().unwrap_or(0x80);
            i += 2;
            (u32::from(b & 0x1F) << 6) | u32::from(b1 & 0x3F)
        } else {
            let Some(c) = text.get(i..).and_then(|t| t.chars().next()) else {
                break;
            };
            i += c.len_utf8();
            u32::from(c)
        };
        let action = match table.0.get(cp as usize) {
            Some(&a) if a != SLOW => u32::from(a),
            _ => match char::from_u32(cp).and_then(fold_char) {
                None => u32::from(DROP),
                Some(f) if is_word_char(f) => u32::from(f),
                Some(_) => u32::from(SPLIT),
            },
        };
        if action > u32::from(SLOW) {
            push_utf8(&mut word, action);
            chars.push(action);
        } else if action == u32::from(SPLIT) && chars.len() > 1 {
            word_features(cfg, mask, &word, &mut chars, &mut prev, sink);
            word.clear();
            chars.truncate(1);
        }
    }
    if chars.len() > 1 {
        word_features(cfg, mask, &word, &mut chars, &mut prev, sink);
    }
    scratch.word = word;
    scratch.chars = chars;
}

/// Appends the UTF-8 encoding of the character `c` (a valid scalar value).
#[inline(always)]
fn push_utf8(out: &mut Vec<u8>, c: u32) {
    if c < 0x80 {
        out.push(c as u8);
    } else if c < 0x800 {
        out.push(0xC0 | (c >> 6) as u8);
        out.push(0x80 | (c & 0x3F) as u8);
    } else if let Some(c) = char::from_u32(c) {
        let mut utf8 = [0u8; 4];
        out.extend_from_slice(c.encode_utf8(&mut utf8).as_bytes());
    }
}

/// The features of one normalised word: `word` holds it in UTF-8, `chars`
/// holds `^` and its characters.
#[inline]
fn word_features(
    cfg: &FeatureConfig,
    mask: u64,
    word: &[u8],
    chars: &mut Vec<u32>,
    prev: &mut Option<u64>,
    sink: &mut impl FnMut(u32),
) {
    let digits = word.iter().all(u8::is_ascii_digit);
    let w: &[u8] = if digits { b"0" } else { word };
    let hw = hash_bytes(NS_WORD, w);
    if cfg.flags & WORDS != 0 {
        sink((fmix(hw) & mask) as u32);
    }
    if cfg.flags & BIGRAMS != 0 {
        if let Some(p) = *prev {
            let hb = (p.rotate_left(17) ^ hw ^ NS_BIGRAM).wrapping_mul(K);
            sink((fmix(hb) & mask) as u32);
        }
    }
    *prev = Some(hw);
    if digits {
        // "0": no stem, and a one-byte word has no character n-grams.
        return;
    }
    let letters = chars.get(1..).unwrap_or(&[]);
    if cfg.flags & STEMS != 0 {
        let (p, s) = light_stem_cuts(letters);
        if p + s > 0 {
            // Every stripped prefix and suffix letter is two bytes long.
            if let Some(stem) = word.get(2 * p..word.len() - 2 * s) {
                sink((fmix(hash_bytes(NS_STEM, stem)) & mask) as u32);
            }
        }
    }
    if cfg.flags & (CHAR3 | CHAR4 | CHAR5) != 0 && word.len() > 1 {
        chars.push(u32::from('$'));
        for (n, flag) in [(3usize, CHAR3), (4, CHAR4), (5, CHAR5)] {
            if cfg.flags & flag == 0 || chars.len() < n {
                continue;
            }
            let seed = NS_CHAR ^ n as u64;
            for win in chars.windows(n) {
                let mut h = seed;
                for &c in win {
                    h = (h.rotate_left(5) ^ u64::from(c)).wrapping_mul(K);
                }
                sink((fmix(h) & mask) as u32);
            }
        }
        chars.pop();
    }
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

/// The straightforward featurisation [`featurise`] must agree with: one
/// allocated-free word at a time through [`for_each_word`], the stem through
/// string affix stripping, the n-grams over a fresh character list.
#[cfg(test)]
pub(crate) mod reference {
    use super::*;
    use crate::enrich::topic::normalise::for_each_word;

    const PREFIXES: [&str; 11] = [
        "وبال", "وال", "بال", "كال", "فال", "لل", "ال", "و", "ف", "ب", "ل",
    ];
    const SUFFIXES: [&str; 10] = ["هما", "كم", "ها", "ات", "ون", "ين", "ان", "يه", "ه", "ي"];

    pub fn light_stem(word: &str) -> &str {
        let arabic = word
            .chars()
            .next()
            .is_some_and(|c| ('\u{0600}'..='\u{06FF}').contains(&c));
        if !arabic {
            return word;
        }
        let mut w = word;
        for p in PREFIXES {
            if let Some(rest) = w.strip_prefix(p) {
                if rest.chars().count() >= 3 {
                    w = rest;
                    break;
                }
            }
        }
        for s in SUFFIXES {
            if let Some(rest) = w.strip_suffix(s) {
                if rest.chars().count() >= 3 {
                    w = rest;
                    break;
                }
            }
        }
        w
    }

    pub fn featurise(cfg: &FeatureConfig, title: &str, body: &str) -> Vec<u32> {
        let mut out = Vec::new();
        let body = truncate(body, cfg.max_body_bytes as usize);
        let mask = (1u64 << cfg.bits) - 1;
        let mut word = String::new();
        let mut segment = |text: &str, out: &mut Vec<u32>| {
            let mut prev: Option<u64> = None;
            for_each_word(text, &mut word, |w| {
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
                    let mut chars = vec![u32::from('^')];
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
        segment(title, &mut out);
        segment(title, &mut out);
        segment(body, &mut out);
        out
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

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

    /// Fixture articles: the benchmark's average Arabic article, and texts
    /// with every kind of word the normaliser handles.
    const ARTICLES: &[(&str, &str)] = &[
        ("", include_str!("../../../benches/fixtures/topics-average-ar.txt")),
        (
            "وَالمُدَرِّسُونَ في الـمدرسةِ",
            "وبالحكومة، كالمعلمين فالطلاب للبيت بيتهما كتابكم سيارات ٢٠٢٤ و ۱۹ إلى أخرى. F-16 الf16 Ünïcode ÉCOLE straße İstanbul ΣΟΦΙΑ 東京 \u{200F}مرحبا\u{200B}بكم 12,5 x",
        ),
        (
            "Carmaker profits jump 20%",
            "The U.N. said: «l'économie française» va bien; 3 000 emplois, $40bn.",
        ),
        ("", "ب بب ال وال ولد والد الكتاب"),
    ];

    fn all_configs(max_body_bytes: u32) -> impl Iterator<Item = FeatureConfig> {
        (1..=ALL_FLAGS).map(move |flags| FeatureConfig {
            bits: 18,
            flags,
            max_body_bytes,
        })
    }

    #[test]
    fn agrees_with_the_reference_on_fixture_articles() {
        for &(title, body) in ARTICLES {
            for c in all_configs(3000).chain(all_configs(40)) {
                assert_eq!(
                    feats(&c, title, body),
                    reference::featurise(&c, title, body),
                    "{c:?} {title}"
                );
            }
        }
    }

    #[test]
    fn light_stem_agrees_with_the_reference() {
        let mut word = String::new();
        for &(title, body) in ARTICLES {
            for text in [title, body] {
                crate::enrich::topic::normalise::for_each_word(text, &mut word, |w| {
                    assert_eq!(
                        crate::enrich::topic::normalise::light_stem(w),
                        reference::light_stem(w),
                        "{w}"
                    );
                });
            }
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(512))]
        #[test]
        fn agrees_with_the_reference(
            title in "[ا-يءآأإؤئةىۀ-ۓًٌٍَُِّْـa-zA-Z0-9٠-٩ .،\\-]{0,30}",
            body in "[ا-يءآأإؤئةىًٌٍَُِّْـa-zA-Z0-9٠-٩ .،]{0,200}",
            flags in 1..=ALL_FLAGS,
            max in 0u32..220,
        ) {
            let c = FeatureConfig { bits: 14, flags, max_body_bytes: max };
            prop_assert_eq!(feats(&c, &title, &body), reference::featurise(&c, &title, &body));
        }

        #[test]
        fn agrees_with_the_reference_on_any_text(
            title in any::<String>(),
            body in "\\PC{0,200}",
            flags in 1..=ALL_FLAGS,
        ) {
            let c = FeatureConfig { bits: 12, flags, max_body_bytes: 600 };
            prop_assert_eq!(feats(&c, &title, &body), reference::featurise(&c, &title, &body));
        }

        #[test]
        fn light_stem_agrees_with_the_reference_on_any_word(w in "[ا-يa-z0-9]{0,8}") {
            prop_assert_eq!(crate::enrich::topic::normalise::light_stem(&w), reference::light_stem(&w));
        }
    }
}
