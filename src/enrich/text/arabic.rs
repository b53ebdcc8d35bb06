//! Arabic script: character classes, normalisation for matching, proclitics
//! and a light stemmer.
//!
//! Normalisation (for matching only; the original text is never changed):
//! tashkeel, Quranic marks and tatweel are removed; أ إ آ ٱ become ا; ى
//! becomes ي and ة becomes ه; Persian ی ک become ي ك; Arabic-Indic and
//! Persian digits become ASCII.
//!
//! Proclitics: a conjunction (و ف), a preposition (ب ك ل) and the article
//! (ال, or لل after ل) are split off for matching, so that والاتفاقية,
//! بالاتفاقية, للاتفاقية, الاتفاقية and اتفاقية share the base اتفاقيه. A bare
//! و/ف/ب/ك/ل without the article is ambiguous (وزير, بلد, كتاب, لبنان) and is
//! kept in the base; [`proclitic_readings`] lists every reading for lookups
//! against a lexicon and the stemmer strips a bare و.
//!
//! The stemmer follows Larkey, Ballesteros & Connell's light10 ("Light
//! stemming for Arabic information retrieval", 2007), with two changes for
//! news text: the dual ان is not stripped (it ruins names: إيران, لبنان,
//! عمان), and the accusative alef (اتفاقا, عسكريا) and the pronoun suffixes
//! هم كم نا هما كما are stripped, which Snowball's Arabic stemmer either
//! leaves or over-stems.

use super::bytes::{arabic_cp, is_common_arabic_letter};

/// Tatweel (kashida), a purely typographic stretch.
pub const TATWEEL: char = '\u{0640}';

/// Arabic letters (base block, extended blocks), not marks or digits.
#[inline]
pub fn is_arabic_letter(c: char) -> bool {
    matches!(c,
        '\u{0620}'..='\u{063F}'
        | '\u{0641}'..='\u{064A}'
        | '\u{066E}'..='\u{066F}'
        | '\u{0671}'..='\u{06D3}'
        | '\u{06D5}'
        | '\u{06EE}'..='\u{06EF}'
        | '\u{06FA}'..='\u{06FC}'
        | '\u{06FF}'
        | '\u{0750}'..='\u{077F}'
        | '\u{08A0}'..='\u{08C9}'
        | '\u{FB50}'..='\u{FDFF}'
        | '\u{FE70}'..='\u{FEFC}')
}

/// Tashkeel (harakat, tanween, shadda, sukun), superscript alef and Quranic
/// annotation marks.
#[inline]
pub fn is_tashkeel(c: char) -> bool {
    matches!(c,
        '\u{0610}'..='\u{061A}'
        | '\u{064B}'..='\u{065F}'
        | '\u{0670}'
        | '\u{06D6}'..='\u{06DC}'
        | '\u{06DF}'..='\u{06E8}'
        | '\u{06EA}'..='\u{06ED}'
        | '\u{08CA}'..='\u{08FF}')
}

/// Characters dropped by normalisation: tashkeel and tatweel.
#[inline]
pub fn is_ignorable(c: char) -> bool {
    c == TATWEEL || is_tashkeel(c)
}

/// Value of an Arabic-Indic (٠–٩) or Persian (۰–۹) digit.
#[inline]
pub fn digit_value(c: char) -> Option<u8> {
    match c {
        '\u{0660}'..='\u{0669}' => Some(c as u32 as u8 - 0x60),
        '\u{06F0}'..='\u{06F9}' => Some((c as u32 - 0x06F0) as u8),
        _ => None,
    }
}

/// Folds one character for matching; `None` drops it.
#[inline]
pub fn fold_char(c: char) -> Option<char> {
    if is_ignorable(c) {
        return None;
    }
    Some(match c {
        'أ' | 'إ' | 'آ' | 'ٱ' | '\u{0672}' | '\u{0673}' => 'ا',
        'ى' | 'ی' | 'ې' => 'ي',
        'ة' => 'ه',
        'ک' => 'ك',
        _ => match digit_value(c) {
            Some(d) => (b'0' + d) as char,
            None => c,
        },
    })
}

/// Appends the normalised form of `surface` to `out`.
pub fn push_normalised(surface: &str, out: &mut String) {
    out.reserve(surface.len());
    let b = surface.as_bytes();
    // Runs of characters that fold to themselves (ASCII, and the Arabic
    // letters U+0621..U+063A, U+0641..U+064A but آ أ إ ة ى) are copied whole.
    let mut run = 0;
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        if c < 0x80 {
            i += 1;
            continue;
        }
        if let Some(cp) = b.get(i + 1).and_then(|&c1| arabic_cp(c, c1)) {
            let letter = is_common_arabic_letter(cp);
            // The common letters that fold to another ([`fold_char`]).
            let folded = match cp {
                0x0622 | 0x0623 | 0x0625 => Some("ا"),
                0x0629 => Some("ه"),
                0x0649 => Some("ي"),
                _ => None,
            };
            if let Some(f) = folded {
                out.push_str(surface.get(run..i).unwrap_or(""));
                out.push_str(f);
                i += 2;
                run = i;
                continue;
            }
            if letter {
                i += 2;
                continue;
            }
        }
        out.push_str(surface.get(run..i).unwrap_or(""));
        let Some(ch) = surface.get(i..).and_then(|r| r.chars().next()) else {
            return;
        };
        if let Some(f) = fold_char(ch) {
            out.push(f);
        }
        i += ch.len_utf8();
        run = i;
    }
    out.push_str(surface.get(run..).unwrap_or(""));
}

/// Normalises `text` into a new string (convenience for tables and tests;
/// hot paths use [`push_normalised`] with a reused buffer).
pub fn normalise(text: &str) -> String {
    let mut s = String::with_capacity(text.len());
    push_normalised(text, &mut s);
    s
}

/// Proclitics found on a normalised word.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Proclitics {
    /// Letters of the conjunction and preposition (و ف ب ك ل), 0 to 2.
    pub particles: u8,
    /// Letters of the article: 2 for ال, 1 for the ل of a contracted لل.
    pub article: u8,
}

impl Proclitics {
    /// Letters (= bytes / 2, every one is a two-byte Arabic letter) before the base.
    pub fn len(&self) -> usize {
        (self.particles + self.article) as usize
    }
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

const MIN_BASE: usize = 3;

fn starts(s: &str, p: &str) -> bool {
    s.as_bytes().starts_with(p.as_bytes())
}

/// `s.ends_with(p)` for the short affixes, compared byte by byte (inlined,
/// no `memcmp` call).
#[inline]
fn ends(s: &str, p: &str) -> bool {
    let (s, p) = (s.as_bytes(), p.as_bytes());
    s.len() >= p.len() && s[s.len() - p.len()..].iter().zip(p).all(|(a, b)| a == b)
}

/// Finds the conjunction/preposition + article prefix of a normalised word
/// whose base keeps at least three letters. Only prefixes that end with the
/// article are split: a bare و/ف/ب/ك/ل is ambiguous and stays.
pub fn proclitics(norm: &str) -> Proclitics {
    let letters = norm.chars().count();
    if matches!(norm, "الله" | "لله" | "والله" | "بالله" | "فالله" | "تالله")
    {
        return Proclitics::default();
    }
    // Up to two particle letters: [وف]? [بكل]?
    let mut rest = norm;
    let mut particles = 0u8;
    if starts(rest, "و") || starts(rest, "ف") {
        rest = &rest[2..];
        particles += 1;
    }
    let before_prep = (rest, particles);
    if starts(rest, "ب") || starts(rest, "ك") || starts(rest, "ل") {
        let prep_is_lam = starts(rest, "ل");
        rest = &rest[2..];
        particles += 1;
        if prep_is_lam && starts(rest, "ل") && !starts(rest, "ال") {
            // ل + ال contracts to لل: للاتفاقية = ل + (ا)ل + اتفاقية.
            if letters >= particles as usize + 1 + MIN_BASE {
                return Proclitics {
                    particles,
                    article: 1,
                };
            }
            return Proclitics::default();
        }
    }
    if starts(rest, "ال") && letters >= particles as usize + 2 + MIN_BASE {
        return Proclitics {
            particles,
            article: 2,
        };
    }
    // No article after the preposition: try the article straight after the conjunction.
    let (rest, particles) = before_prep;
    if particles > 0 && starts(rest, "ال") && letters >= particles as usize + 2 + MIN_BASE {
        return Proclitics {
            particles,
            article: 2,
        };
    }
    if particles == 0 && starts(norm, "ال") && letters >= 2 + MIN_BASE {
        return Proclitics {
            particles: 0,
            article: 2,
        };
    }
    Proclitics::default()
}

/// Every plausible reading of a normalised word without its proclitics,
/// longest first, including the bare-particle ones [`proclitics`] keeps
/// (وإيران → ايران, بدمشق → دمشق). For lexicon and gazetteer lookups.
pub fn proclitic_readings(norm: &str) -> impl Iterator<Item = &str> {
    let mut out: [Option<&str>; 4] = [Some(norm), None, None, None];
    let mut n = 1;
    let mut rest = norm;
    let count = |s: &str| s.chars().count();
    for set in [&["و", "ف"][..], &["ب", "ك", "ل"][..]] {
        if let Some(p) = set.iter().find(|p| starts(rest, p)) {
            if count(rest) > p.chars().count() + 2 {
                rest = &rest[p.len()..];
                out[n] = Some(rest);
                n += 1;
            }
        }
    }
    let p = proclitics(norm);
    if p.article > 0 {
        let base = &norm[p.len() * 2..];
        if !out[..n].contains(&Some(base)) {
            out[n] = Some(base);
        }
    }
    out.into_iter().flatten()
}

/// Suffixes removed in this order, each at most once, while at least three
/// letters remain (light10's list without the dual ان, plus pronouns).
const SUFFIXES: &[&str] = &[
    "هما", "كما", "ها", "هم", "كم", "نا", "ات", "ون", "ين", "يه", "ه", "ي",
];

/// Light stem of a normalised word whose proclitics are already removed
/// (`base`), given whether a particle was present on the full word.
/// Returns a sub-slice of `base`.
pub fn light_stem(base: &str, had_clitics: bool) -> &str {
    let mut s = base;
    // Letters left; every affix letter is a two-byte Arabic letter.
    let mut n = s.chars().count();
    // A bare conjunction و (light10), when the word had no other proclitic.
    if !had_clitics && starts(s, "و") && n > 4 {
        s = &s[2..];
        n -= 1;
    }
    // The accusative alef of indefinite nouns and adverbs.
    let pronoun = ["ها", "نا", "هما", "كما"].iter().any(|p| ends(s, p));
    if !pronoun && ends(s, "ا") && n > MIN_BASE + 1 {
        s = &s[..s.len() - 2];
        n -= 1;
    }
    for suf in SUFFIXES {
        // The last byte tells most suffixes apart before comparing them.
        if s.as_bytes().last() != suf.as_bytes().last() {
            continue;
        }
        if ends(s, suf) && n >= MIN_BASE + suf.len() / 2 {
            s = &s[..s.len() - suf.len()];
            n -= suf.len() / 2;
        }
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn normalises_letters_marks_digits() {
        let cases = [
            ("tashkeel", "مُحَمَّدٌ", "محمد"),
            ("tatweel", "الـــعـــرب", "العرب"),
            ("alef forms", "أإآٱ", "اااا"),
            ("alef maqsura", "مستشفى", "مستشفي"),
            ("taa marbuta", "اتفاقية", "اتفاقيه"),
            ("arabic-indic digits", "٢٠١٨", "2018"),
            ("persian digits and letters", "۱۴۰۰ کی", "1400 كي"),
        ];
        for (name, input, want) in cases {
            assert_eq!(normalise(input), want, "{name}");
        }
    }

    #[test]
    fn proclitics_meet_on_one_base() {
        let words = [
            "والاتفاقية",
            "الاتفاقية",
            "بالاتفاقية",
            "للاتفاقية",
            "وللاتفاقية",
            "فالاتفاقية",
            "اتفاقية",
        ];
        for w in words {
            let n = normalise(w);
            let p = proclitics(&n);
            assert_eq!(&n[p.len() * 2..], "اتفاقيه", "{w}");
        }
    }

    #[test]
    fn ambiguous_particles_stay() {
        for w in ["وزير", "بلد", "لبنان", "كتاب", "الله", "الي"] {
            let n = normalise(w);
            assert!(proclitics(&n).is_empty(), "{w}");
        }
    }

    #[test]
    fn readings_include_bare_particles() {
        let r: Vec<&str> = proclitic_readings("وايران").collect();
        assert_eq!(r, vec!["وايران", "ايران"]);
        let r: Vec<&str> = proclitic_readings("وبالعراق").collect();
        assert!(r.contains(&"عراق"), "{r:?}");
    }

    #[test]
    fn light_stem_cases() {
        let cases = [
            ("اتفاقيه", "اتفاق"),
            ("اتفاقا", "اتفاق"),
            ("اتفاقياتها", "اتفاق"),
            ("عسكريا", "عسكر"),
            ("عسكري", "عسكر"),
            ("ايران", "ايران"),
            ("قوات", "قوات"),
        ];
        for (base, want) in cases {
            assert_eq!(light_stem(base, true), want, "{base}");
        }
    }

    proptest! {
        #[test]
        fn normalising_is_folding_every_char(s in "[\u{0600}-\u{06FF}a-z0-9 \u{0640}\u{FB50}-\u{FB60}]{0,30}|\\PC{0,30}") {
            let want: String = s.chars().filter_map(fold_char).collect();
            prop_assert_eq!(normalise(&s), want);
        }

        #[test]
        fn never_panics(s in "\\PC{0,40}") {
            let n = normalise(&s);
            let p = proclitics(&n);
            let base = n.get(p.len() * 2..).unwrap_or("");
            let _ = light_stem(base, !p.is_empty());
            let _ = proclitic_readings(&n).count();
        }

        #[test]
        fn never_panics_arabic(s in "[\u{0621}-\u{064A}\u{064B}-\u{0652}]{0,12}") {
            let n = normalise(&s);
            let p = proclitics(&n);
            let base = n.get(p.len() * 2..).unwrap_or("");
            let _ = light_stem(base, false);
            let _ = proclitic_readings(&n).count();
        }
    }
}
