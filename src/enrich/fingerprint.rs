//! Exact (SHA-256) and near-duplicate (SimHash) fingerprints.
//!
//! Both are computed on the normalised text of title and body: Unicode NFKC,
//! case-folded, Arabic tashkeel and tatweel removed, whitespace collapsed to
//! single spaces. So the same article re-typed with other spacing, diacritics
//! or presentation forms has the same SHA-256.
//!
//! The SimHash (Charikar 2002) is taken over word shingles: every run of
//! [`SHINGLE`] consecutive tokens (letters and digits) is hashed with 64-bit
//! FNV-1a followed by a 64-bit finaliser (so every output bit depends on every
//! input byte), and each of the 64 bits votes. Lightly edited copies differ in
//! a few bits; unrelated articles in about half of them (32).

use sha2::{Digest, Sha256};
use unicode_normalization::UnicodeNormalization;

use super::text::arabic::is_ignorable;
use crate::model::record::Fingerprint;

/// Tokens per shingle.
pub const SHINGLE: usize = 3;

/// Fingerprints of an article.
pub fn fingerprint(title: &str, body: &str) -> Fingerprint {
    let norm = normalise_for_fingerprint(title, body);
    let digest = Sha256::digest(norm.as_bytes());
    Fingerprint {
        sha256: hex::encode(digest),
        simhash: format!("{:016x}", simhash(&norm)),
    }
}

/// The normalised text both fingerprints are computed on: title, a newline,
/// body (the title part is left out when there is none).
pub fn normalise_for_fingerprint(title: &str, body: &str) -> String {
    let mut out = String::with_capacity(title.len() + body.len() + 1);
    push_normalised(title, &mut out);
    if !out.is_empty() {
        out.push('\n');
    }
    push_normalised(body, &mut out);
    out
}

/// NFKC, lower case, no tashkeel or tatweel, whitespace collapsed.
fn push_normalised(text: &str, out: &mut String) {
    let mut pending_space = false;
    let mut wrote = false;
    for c in text.nfkc().flat_map(char::to_lowercase) {
        if c.is_whitespace() {
            pending_space = wrote;
            continue;
        }
        if is_ignorable(c) || c == '\u{200C}' || c == '\u{200D}' || c == '\u{FEFF}' {
            continue;
        }
        if pending_space {
            out.push(' ');
            pending_space = false;
        }
        out.push(c);
        wrote = true;
    }
}

/// 64-bit SimHash of normalised text over word shingles; 0 for text without words.
pub fn simhash(norm: &str) -> u64 {
    let tokens: Vec<&str> = norm
        .split(|c: char| !c.is_alphanumeric())
        .filter(|t| !t.is_empty())
        .collect();
    if tokens.is_empty() {
        return 0;
    }
    let width = SHINGLE.min(tokens.len());
    let mut votes = [0i32; 64];
    for shingle in tokens.windows(width) {
        let h = shingle_hash(shingle);
        for (bit, vote) in votes.iter_mut().enumerate() {
            if h >> bit & 1 == 1 {
                *vote += 1;
            } else {
                *vote -= 1;
            }
        }
    }
    votes
        .iter()
        .enumerate()
        .filter(|(_, v)| **v > 0)
        .fold(0u64, |acc, (bit, _)| acc | 1 << bit)
}

/// FNV-1a over the tokens (unit separator between them), then the MurmurHash3
/// 64-bit finaliser.
fn shingle_hash(tokens: &[&str]) -> u64 {
    const OFFSET: u64 = 0xcbf2_9ce4_8422_2325;
    const PRIME: u64 = 0x0000_0100_0000_01b3;
    let mut h = OFFSET;
    for (i, t) in tokens.iter().enumerate() {
        if i > 0 {
            h ^= 0x1f;
            h = h.wrapping_mul(PRIME);
        }
        for b in t.bytes() {
            h ^= u64::from(b);
            h = h.wrapping_mul(PRIME);
        }
    }
    h ^= h >> 33;
    h = h.wrapping_mul(0xff51_afd7_ed55_8ccd);
    h ^= h >> 33;
    h = h.wrapping_mul(0xc4ce_b9fe_1a85_ec53);
    h ^ (h >> 33)
}

/// Bits in which two SimHashes (16 hex digits each) differ; `None` if either is malformed.
pub fn hamming(a: &str, b: &str) -> Option<u32> {
    let a = u64::from_str_radix(a, 16).ok()?;
    let b = u64::from_str_radix(b, 16).ok()?;
    Some((a ^ b).count_ones())
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const AR: &str = "أعلنت وزارة الصحة الأردنية يوم الأحد عن بدء التشغيل التجريبي لمستشفى جديد في محافظة الزرقاء بكلفة بلغت 85 مليون دينار، في خطوة قالت إنها ستخفف الضغط عن مستشفيات العاصمة عمّان. وقال وزير الصحة إن المستشفى سيخدم أكثر من مليون ونصف مليون نسمة، وسيضم 450 سريرا ووحدة متخصصة لعلاج أمراض القلب، على أن يبدأ التشغيل الكامل في شهر يونيو المقبل بعد تعيين 900 موظف.";
    const EN: &str = "Norway awarded its first licences for commercial floating wind farms on Wednesday, handing two sites off the western coast to a consortium of European utilities, the energy ministry said in Oslo. The area is expected to host up to 1.5 gigawatts of capacity, enough to power roughly 1.2 million homes, and the state has set aside 35 billion crowns in subsidies for projects that must start producing electricity before 2032.";
    const FR: &str = "La Métropole de Lyon a mis en service samedi la ligne de tramway T10, qui relie la gare de Saint-Fons à Vénissieux en une vingtaine de minutes, avec six mois d'avance sur le calendrier initial. La ligne, longue de 8,9 kilomètres et dotée de 16 stations, a coûté 260 millions d'euros, dont 40 millions apportés par l'État au titre du plan de relance.";

    fn distance(a: &Fingerprint, b: &Fingerprint) -> u32 {
        hamming(&a.simhash, &b.simhash).unwrap()
    }

    #[test]
    fn same_text_in_other_dress_has_the_same_sha256() {
        let cases = [
            (
                "spacing",
                ("Title", EN),
                (
                    "  Title ",
                    &*EN.replace(", ", ",   ").replace(". ", ".\n\n"),
                ),
            ),
            ("case", ("Title", EN), ("TITLE", &*EN.to_uppercase())),
            (
                "tashkeel and tatweel",
                ("", AR),
                (
                    "",
                    &*AR.replace("وزارة", "وِزَارَة").replace("الصحة", "الصـــحة"),
                ),
            ),
            (
                "NFKC full-width digits",
                ("", FR),
                ("", &*FR.replace("T10", "T１０")),
            ),
        ];
        for (name, (t1, b1), (t2, b2)) in cases {
            assert_ne!(b1, b2, "case {name}: fixture unchanged");
            let a = fingerprint(t1, b1);
            let b = fingerprint(t2, b2);
            assert_eq!(a.sha256, b.sha256, "case {name}");
            assert_eq!(a.simhash, b.simhash, "case {name}");
        }
    }

    #[test]
    fn different_text_different_sha256() {
        assert_ne!(fingerprint("", EN).sha256, fingerprint("", FR).sha256);
        assert_ne!(fingerprint("A", EN).sha256, fingerprint("B", EN).sha256);
        assert_eq!(fingerprint("", EN).sha256.len(), 64);
        assert_eq!(fingerprint("", EN).simhash.len(), 16);
    }

    #[test]
    fn light_edits_are_near_unrelated_are_far() {
        let edits = [
            ("en one word", EN, EN.replace("Wednesday", "Thursday")),
            (
                "en sentence dropped",
                EN,
                EN.replace(", the energy ministry said in Oslo", ""),
            ),
            ("ar one word", AR, AR.replace("الأحد", "الاثنين")),
            ("fr number", FR, FR.replace("260 millions", "265 millions")),
        ];
        for (name, a, b) in &edits {
            let d = distance(&fingerprint("", a), &fingerprint("", b));
            assert!(d <= 12, "case {name}: distance {d}");
        }
        let pairs = [("en/fr", EN, FR), ("en/ar", EN, AR), ("ar/fr", AR, FR)];
        for (name, a, b) in pairs {
            let d = distance(&fingerprint("", a), &fingerprint("", b));
            assert!(d >= 20, "case {name}: distance {d}");
        }
    }

    #[test]
    fn short_and_empty_text() {
        assert_eq!(simhash(""), 0);
        assert_eq!(simhash(" ... "), 0);
        assert_ne!(simhash("one"), 0);
        assert_ne!(simhash("one two"), simhash("two one"));
        assert_eq!(hamming("zz", "00"), None);
    }

    proptest! {
        #[test]
        fn never_panics(title in "\\PC{0,60}", body in "\\PC{0,400}") {
            let f = fingerprint(&title, &body);
            prop_assert_eq!(f.simhash.len(), 16);
            prop_assert_eq!(f.sha256.len(), 64);
        }
    }
}
