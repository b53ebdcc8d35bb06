//! The English Snowball stemmer (Porter2, as in `rust-stemmers`), on ASCII
//! words in a stack buffer.
//!
//! Same rules and same output as `rust_stemmers::Algorithm::English`, which
//! rebuilds a `String` at every change and dominated tokenising English
//! text; words with non-ASCII letters, and very long ones, are left to it
//! ([`stem`] returns `None`). The tests compare both on generated words.

use std::borrow::Cow;

/// Longest word handled here, in bytes.
const MAX: usize = 40;

#[inline]
fn is_v(b: u8) -> bool {
    matches!(b, b'a' | b'e' | b'i' | b'o' | b'u' | b'y')
}

#[inline]
fn is_v_wxy(b: u8) -> bool {
    is_v(b) || matches!(b, b'w' | b'x' | b'Y')
}

#[inline]
fn is_valid_li(b: u8) -> bool {
    matches!(
        b,
        b'c' | b'd' | b'e' | b'g' | b'h' | b'k' | b'm' | b'n' | b'r' | b't'
    )
}

/// Words replaced (or kept) whole.
const EXCEPTIONS: &[(&str, &str)] = &[
    ("skis", "ski"),
    ("skies", "sky"),
    ("dying", "die"),
    ("lying", "lie"),
    ("tying", "tie"),
    ("idly", "idl"),
    ("gently", "gentl"),
    ("ugly", "ugli"),
    ("early", "earli"),
    ("only", "onli"),
    ("singly", "singl"),
    ("andes", "andes"),
    ("atlas", "atlas"),
    ("bias", "bias"),
    ("cosmos", "cosmos"),
    ("howe", "howe"),
    ("news", "news"),
    ("sky", "sky"),
];

/// Words left alone after step 1a.
const INVARIANT: &[&[u8]] = &[
    b"succeed", b"proceed", b"exceed", b"canning", b"inning", b"earring", b"herring", b"outing",
];

const STEP2: &[(&[u8], &[u8])] = &[
    (b"ational", b"ate"),
    (b"ization", b"ize"),
    (b"iveness", b"ive"),
    (b"fulness", b"ful"),
    (b"ousness", b"ous"),
    (b"tional", b"tion"),
    (b"biliti", b"ble"),
    (b"lessli", b"less"),
    (b"fulli", b"ful"),
    (b"ousli", b"ous"),
    (b"entli", b"ent"),
    (b"aliti", b"al"),
    (b"iviti", b"ive"),
    (b"alism", b"al"),
    (b"ation", b"ate"),
    (b"anci", b"ance"),
    (b"enci", b"ence"),
    (b"abli", b"able"),
    (b"alli", b"al"),
    (b"izer", b"ize"),
    (b"ator", b"ate"),
    (b"bli", b"ble"),
    (b"ogi", b"og"),
    (b"li", b""),
];

const STEP3: &[(&[u8], &[u8])] = &[
    (b"ational", b"ate"),
    (b"tional", b"tion"),
    (b"alize", b"al"),
    (b"icate", b"ic"),
    (b"iciti", b"ic"),
    (b"ative", b""),
    (b"ical", b"ic"),
    (b"ness", b""),
    (b"ful", b""),
];

const STEP4: &[&[u8]] = &[
    b"ement", b"ance", b"ence", b"able", b"ible", b"ment", b"ate", b"ive", b"ize", b"iti", b"ism",
    b"ion", b"ous", b"ant", b"ent", b"ic", b"al", b"er",
];

struct Word {
    b: [u8; MAX + 2],
    n: usize,
    p1: usize,
    p2: usize,
}

impl Word {
    #[inline]
    fn ends(&self, s: &[u8]) -> bool {
        // Byte by byte from the end: suffixes are short, a `memcmp` call
        // costs more, and most candidates differ in their last letter.
        self.n >= s.len()
            && self.b[self.n - s.len()..self.n]
                .iter()
                .rev()
                .zip(s.iter().rev())
                .all(|(a, b)| a == b)
    }
    #[inline]
    fn last(&self) -> u8 {
        if self.n == 0 {
            0
        } else {
            self.b[self.n - 1]
        }
    }
    /// Replaces the last `cut` bytes with `with`.
    #[inline]
    fn replace(&mut self, cut: usize, with: &[u8]) {
        let s = self.n - cut;
        self.b[s..s + with.len()].copy_from_slice(with);
        self.n = s + with.len();
    }
    /// A short syllable ends `b[..n]`.
    fn short_v(&self, n: usize) -> bool {
        let b = &self.b;
        (n >= 3 && !is_v_wxy(b[n - 1]) && is_v(b[n - 2]) && !is_v(b[n - 3]))
            || (n == 2 && !is_v(b[1]) && is_v(b[0]))
    }
}

/// The English stem of the folded word `word`, or `None` when the word is
/// not ASCII or longer than this stemmer handles.
pub fn stem(word: &str) -> Option<Cow<'_, str>> {
    let bytes = word.as_bytes();
    if bytes.len() > MAX || !word.is_ascii() {
        return None;
    }
    if bytes.len() <= 6 {
        if let Some(&(_, to)) = EXCEPTIONS.iter().find(|(w, _)| *w == word) {
            return Some(if to == word {
                Cow::Borrowed(word)
            } else {
                Cow::Owned(to.to_string())
            });
        }
    }
    if bytes.len() < 3 {
        return Some(Cow::Borrowed(word));
    }
    let mut w = Word {
        b: [0; MAX + 2],
        n: 0,
        p1: 0,
        p2: 0,
    };
    let mut src = bytes;
    if src[0] == b'\'' {
        src = &src[1..];
    }
    w.b[..src.len()].copy_from_slice(src);
    w.n = src.len();
    let mut y_found = false;
    if w.n > 0 && w.b[0] == b'y' {
        w.b[0] = b'Y';
        y_found = true;
    }
    for i in 1..w.n {
        if w.b[i] == b'y' && is_v(w.b[i - 1]) {
            w.b[i] = b'Y';
            y_found = true;
        }
    }
    mark_regions(&mut w);
    step_1a(&mut w);
    if !INVARIANT.contains(&&w.b[..w.n]) {
        step_1b(&mut w);
        step_1c(&mut w);
        step_2(&mut w);
        step_3(&mut w);
        step_4(&mut w);
        step_5(&mut w);
    }
    if y_found {
        for b in &mut w.b[..w.n] {
            if *b == b'Y' {
                *b = b'y';
            }
        }
    }
    let out = &w.b[..w.n];
    Some(if bytes.starts_with(out) {
        Cow::Borrowed(&word[..w.n])
    } else {
        // Only ASCII bytes were written.
        Cow::Owned(out.iter().map(|&b| b as char).collect())
    })
}

fn mark_regions(w: &mut Word) {
    let b = &w.b[..w.n];
    w.p1 = w.n;
    w.p2 = w.n;
    let p1 = if let Some(p) = [&b"gener"[..], b"commun", b"arsen"]
        .iter()
        .find(|p| b.starts_with(p))
    {
        Some(p.len())
    } else {
        after_vowel_consonant(b, 0)
    };
    let Some(p1) = p1 else { return };
    w.p1 = p1;
    if let Some(p2) = after_vowel_consonant(b, p1) {
        w.p2 = p2;
    }
}

/// The position after the first non-vowel that follows a vowel, from `from`.
fn after_vowel_consonant(b: &[u8], from: usize) -> Option<usize> {
    let v = from + b.get(from..)?.iter().position(|&c| is_v(c))?;
    let c = v + 1 + b.get(v + 1..)?.iter().position(|&c| !is_v(c))?;
    Some(c + 1)
}

fn step_1a(w: &mut Word) {
    if w.ends(b"'s'") {
        w.n -= 3;
    } else if w.ends(b"'s") {
        w.n -= 2;
    } else if w.ends(b"'") {
        w.n -= 1;
    }
    if w.ends(b"sses") {
        w.n -= 2;
    } else if w.ends(b"ied") || w.ends(b"ies") {
        if w.n - 3 >= 2 {
            w.replace(3, b"i");
        } else {
            w.replace(3, b"ie");
        }
    } else if w.ends(b"ss") || w.ends(b"us") {
    } else if w.ends(b"s") {
        let s = w.n - 1;
        if s >= 2 && w.b[..s - 1].iter().any(|&c| is_v(c)) {
            w.n -= 1;
        }
    }
}

fn step_1b(w: &mut Word) {
    let (cut, long) = if w.ends(b"eedly") {
        (5, true)
    } else if w.ends(b"ingly") {
        (5, false)
    } else if w.ends(b"edly") {
        (4, false)
    } else if w.ends(b"eed") {
        (3, true)
    } else if w.ends(b"ing") {
        (3, false)
    } else if w.ends(b"ed") {
        (2, false)
    } else {
        return;
    };
    let s = w.n - cut;
    if long {
        if s >= w.p1 {
            w.replace(cut, b"ee");
        }
        return;
    }
    if !w.b[..s].iter().any(|&c| is_v(c)) {
        return;
    }
    w.n = s;
    if w.ends(b"at") || w.ends(b"bl") || w.ends(b"iz") {
        w.replace(0, b"e");
    } else if ["bb", "dd", "ff", "gg", "mm", "nn", "pp", "rr", "tt"]
        .iter()
        .any(|d| w.ends(d.as_bytes()))
    {
        w.n -= 1;
    } else if w.n == w.p1 && w.short_v(w.n) {
        w.replace(0, b"e");
    }
}

fn step_1c(w: &mut Word) {
    let n = w.n;
    if n >= 3 && matches!(w.b[n - 1], b'y' | b'Y') && !is_v(w.b[n - 2]) {
        w.b[n - 1] = b'i';
    }
}

fn step_2(w: &mut Word) {
    // The last letters of the suffixes below.
    if !matches!(w.last(), b'i' | b'l' | b'm' | b'n' | b'r' | b's') {
        return;
    }
    let Some(&(suffix, with)) = STEP2.iter().find(|(s, _)| w.ends(s)) else {
        return;
    };
    let s = w.n - suffix.len();
    if s < w.p1 {
        return;
    }
    match suffix {
        b"ogi" if !(s >= 1 && w.b[s - 1] == b'l') => {}
        b"li" if !(s >= 1 && is_valid_li(w.b[s - 1])) => {}
        _ => w.replace(suffix.len(), with),
    }
}

fn step_3(w: &mut Word) {
    if !matches!(w.last(), b'e' | b'i' | b'l' | b's') {
        return;
    }
    let Some(&(suffix, with)) = STEP3.iter().find(|(s, _)| w.ends(s)) else {
        return;
    };
    let s = w.n - suffix.len();
    if s < w.p1 || (suffix == b"ative" && s < w.p2) {
        return;
    }
    w.replace(suffix.len(), with);
}

fn step_4(w: &mut Word) {
    if !matches!(
        w.last(),
        b'c' | b'e' | b'i' | b'l' | b'm' | b'n' | b'r' | b's' | b't'
    ) {
        return;
    }
    let Some(&suffix) = STEP4.iter().find(|s| w.ends(s)) else {
        return;
    };
    let s = w.n - suffix.len();
    if s < w.p2 {
        return;
    }
    if suffix == b"ion" && !(s >= 1 && matches!(w.b[s - 1], b's' | b't')) {
        return;
    }
    w.n = s;
}

fn step_5(w: &mut Word) {
    let n = w.n;
    if n == 0 {
        return;
    }
    let s = n - 1;
    let drop = match w.b[s] {
        b'e' => s >= w.p2 || (s >= w.p1 && !w.short_v(s)),
        b'l' => s >= w.p2 && s >= 1 && w.b[s - 1] == b'l',
        _ => false,
    };
    if drop {
        w.n = s;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use rust_stemmers::{Algorithm, Stemmer};

    fn reference(word: &str) -> String {
        Stemmer::create(Algorithm::English).stem(word).into_owned()
    }

    fn check(word: &str) -> Result<(), TestCaseError> {
        if let Some(ours) = stem(word) {
            let want = reference(word);
            prop_assert_eq!(ours.as_ref(), want.as_str(), "{}", word);
        }
        Ok(())
    }

    #[test]
    fn agrees_with_snowball_on_known_words() {
        let words = [
            "agreements",
            "running",
            "consign",
            "consigned",
            "consigning",
            "consignment",
            "consist",
            "consisted",
            "consistency",
            "consistent",
            "consistently",
            "generously",
            "generation",
            "communism",
            "arsenal",
            "skies",
            "dying",
            "news",
            "succeeding",
            "proceeded",
            "cries",
            "ties",
            "gaps",
            "gas",
            "hopping",
            "hoped",
            "hoping",
            "fizzed",
            "luxuriated",
            "conflated",
            "troubled",
            "sized",
            "yelled",
            "sayyid",
            "boy's",
            "'tis",
            "kings'",
            "happily",
            "relational",
            "conditional",
            "rational",
            "valenci",
            "hesitanci",
            "digitizer",
            "conformabli",
            "radicalli",
            "differentli",
            "vileli",
            "analogousli",
            "vietnamization",
            "predication",
            "operator",
            "feudalism",
            "decisiveness",
            "hopefulness",
            "callousness",
            "formaliti",
            "sensitiviti",
            "sensibiliti",
            "triplicate",
            "formative",
            "formalize",
            "electriciti",
            "electrical",
            "hopeful",
            "goodness",
            "revival",
            "allowance",
            "inference",
            "airliner",
            "gyroscopic",
            "adjustable",
            "defensible",
            "irritant",
            "replacement",
            "adjustment",
            "dependent",
            "adoption",
            "homologou",
            "communism",
            "activate",
            "angulariti",
            "homologous",
            "effective",
            "bowdlerize",
            "probate",
            "rate",
            "cease",
            "controll",
            "roll",
            "yes",
            "by",
            "cry",
            "say",
            "abeyance",
            "ow",
            "bed",
            "shed",
            "shred",
            "bleed",
            "agreed",
            "feed",
            "innings",
            "outings",
            "canning",
            "covid-19",
            "u.s.",
            "2015s",
            "x",
            "ab",
            "abc",
            "eedly",
            "ingly",
            "sses",
            "ies",
            "ied",
            "news's",
            "yyy",
            "aye",
            "layered",
            "employer",
            "theology",
            "geology",
            "logi",
            "apology",
            "ability",
        ];
        for w in words {
            assert!(check(w).is_ok(), "{w}: {:?} vs {}", stem(w), reference(w));
        }
    }

    proptest! {
        #[test]
        fn agrees_with_snowball_on_letters(w in "'?[a-z']{0,12}") {
            check(&w)?;
        }

        #[test]
        fn agrees_with_snowball_on_suffixed_words(
            w in "[bcdfglmnprstvy]?[aeiouy]?[a-z]{0,5}(ational|tional|enci|anci|izer|bli|alli|entli|eli|ousli|ization|ation|ator|alism|iveness|fulness|ousness|aliti|iviti|biliti|logi|fulli|lessli|li|icate|ative|alize|iciti|ical|ful|ness|al|ance|ence|er|ic|able|ible|ant|ement|ment|ent|sion|tion|ou|ism|ate|iti|ous|ive|ize|e|ll|eed|eedly|ed|edly|ing|ingly|at|bl|iz|y|Y|s|ss|ies|ied|us|sses|'s|'s'|')?(ed|ing|s|ly)?"
        ) {
            check(&w)?;
        }

        #[test]
        fn agrees_with_snowball_on_any_ascii(w in "[ -~]{0,16}") {
            check(&w)?;
        }
    }
}
