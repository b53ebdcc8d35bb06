//! The text normalisation the topic features are built on: case folding,
//! Arabic diacritics and tatweel removed, alef / alef maqsura / taa marbuta
//! unified, Arabic-Indic digits folded to ASCII, and a light Arabic stemmer
//! that strips common clitics and suffixes.
//!
//! Training and inference both go through these functions, so the features a
//! model was trained on are the features it sees in production.

/// Folds one character; `None` drops it (diacritics, tatweel, format marks).
#[inline]
pub fn fold_char(c: char) -> Option<char> {
    match c {
        // Harakat, tanwin, shadda, sukun, superscript alef, Quranic marks.
        '\u{064B}'..='\u{065F}' | '\u{0670}' | '\u{06D6}'..='\u{06ED}' => None,
        // Tatweel and zero-width / bidi format characters.
        '\u{0640}' | '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{FEFF}' => None,
        'أ' | 'إ' | 'آ' | 'ٱ' => Some('ا'),
        'ى' | 'ی' => Some('ي'),
        'ة' => Some('ه'),
        'ک' => Some('ك'),
        '٠'..='٩' => char::from_u32(c as u32 - 0x0660 + u32::from(b'0')),
        '۰'..='۹' => char::from_u32(c as u32 - 0x06F0 + u32::from(b'0')),
        _ if c.is_ascii() => Some(c.to_ascii_lowercase()),
        // The rest of the Arabic block has no case (skips the case tables).
        '\u{0600}'..='\u{06FF}' => Some(c),
        _ => {
            let mut lower = c.to_lowercase();
            match (lower.next(), lower.next()) {
                (Some(l), None) => Some(l),
                _ => Some(c),
            }
        }
    }
}

/// Whether a folded character belongs to a word: `char::is_alphanumeric`,
/// answered without the Unicode tables for ASCII and Arabic letters.
#[inline]
pub fn is_word_char(c: char) -> bool {
    match c {
        'a'..='z' | 'A'..='Z' | '0'..='9' => true,
        _ if c.is_ascii() => false,
        '\u{0620}'..='\u{064A}' | '\u{0671}'..='\u{06D3}' => true,
        _ => c.is_alphanumeric(),
    }
}

/// Calls `f` with each normalised word of `text`, reusing one buffer.
/// Dropped characters (diacritics, tatweel) do not split a word; anything that
/// is not alphanumeric does.
pub fn for_each_word(text: &str, buf: &mut String, mut f: impl FnMut(&str)) {
    buf.clear();
    for c in text.chars() {
        let Some(folded) = fold_char(c) else { continue };
        if is_word_char(folded) {
            buf.push(folded);
        } else if !buf.is_empty() {
            f(buf);
            buf.clear();
        }
    }
    if !buf.is_empty() {
        f(buf);
    }
}

/// Normalised words of `text`, allocated (for training-time tools and tests).
pub fn words(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut buf = String::new();
    for_each_word(text, &mut buf, |w| out.push(w.to_owned()));
    out
}

/// Clitic prefixes in the order they are tried (the first that leaves three
/// letters is stripped), grouped by their first letter.
const PREFIXES: [&[char]; 11] = [
    &['و', 'ب', 'ا', 'ل'],
    &['و', 'ا', 'ل'],
    &['ب', 'ا', 'ل'],
    &['ك', 'ا', 'ل'],
    &['ف', 'ا', 'ل'],
    &['ل', 'ل'],
    &['ا', 'ل'],
    &['و'],
    &['ف'],
    &['ب'],
    &['ل'],
];
/// Suffixes in the order they are tried after the prefix.
const SUFFIXES: [&[char]; 10] = [
    &['ه', 'م', 'ا'],
    &['ك', 'م'],
    &['ه', 'ا'],
    &['ا', 'ت'],
    &['و', 'ن'],
    &['ي', 'ن'],
    &['ا', 'ن'],
    &['ي', 'ه'],
    &['ه'],
    &['ي'],
];

/// A light Arabic stem of a normalised word: strips one clitic prefix and one
/// suffix while at least three letters remain. Other scripts are returned as is.
pub fn light_stem(word: &str) -> &str {
    let letters: Vec<u32> = word.chars().map(u32::from).collect();
    let (p, s) = light_stem_cuts(&letters);
    let start = word.char_indices().nth(p).map_or(word.len(), |(i, _)| i);
    let end = word
        .char_indices()
        .nth(letters.len().saturating_sub(s))
        .map_or(word.len(), |(i, _)| i);
    word.get(start..end).unwrap_or(word)
}

/// [`light_stem`] on the characters of a word: how many characters it strips
/// at the start and at the end (every one of them is an Arabic letter, two
/// bytes in UTF-8).
#[inline]
pub fn light_stem_cuts(letters: &[u32]) -> (usize, usize) {
    let arabic = letters
        .first()
        .is_some_and(|&c| (0x0600..=0x06FF).contains(&c));
    if !arabic {
        return (0, 0);
    }
    let Some((&first, _)) = letters.split_first() else {
        return (0, 0);
    };
    // Only the affixes that begin (end) with the word's first (last) letter
    // can match; `PREFIXES` (`SUFFIXES`) order is kept among them.
    let prefix = PREFIXES
        .iter()
        .filter(|p| p.first().is_some_and(|&c| u32::from(c) == first))
        .find(|p| {
            letters.len() >= p.len() + 3 && p.iter().zip(letters).all(|(&a, &b)| u32::from(a) == b)
        })
        .map_or(0, |p| p.len());
    let rest = letters.get(prefix..).unwrap_or(&[]);
    let Some(&last) = rest.last() else {
        return (prefix, 0);
    };
    let suffix = SUFFIXES
        .iter()
        .filter(|s| s.last().is_some_and(|&c| u32::from(c) == last))
        .find(|s| {
            rest.len() >= s.len() + 3
                && s.iter()
                    .rev()
                    .zip(rest.iter().rev())
                    .all(|(&a, &b)| u32::from(a) == b)
        })
        .map_or(0, |s| s.len());
    (prefix, suffix)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_arabic_variants_and_case() {
        let cases = [
            ("alef variants", "أحمد إلى آخر", vec!["احمد", "الي", "اخر"]),
            ("taa marbuta", "مدرسة", vec!["مدرسه"]),
            ("diacritics inside a word", "مُحَمَّد", vec!["محمد"]),
            ("tatweel", "جـــميل", vec!["جميل"]),
            ("digits", "عام ٢٠٢٤", vec!["عام", "2024"]),
            (
                "case and punctuation",
                "The U.N. said",
                vec!["the", "u", "n", "said"],
            ),
        ];
        for (name, input, want) in cases {
            assert_eq!(words(input), want, "{name}");
        }
    }

    #[test]
    fn fast_paths_agree_with_the_unicode_tables() {
        for c in ('\0'..='\u{07FF}').chain('\u{FB50}'..='\u{FEFF}') {
            assert_eq!(
                is_word_char(c),
                c.is_alphanumeric(),
                "{c:?} U+{:04X}",
                c as u32
            );
            if let Some(f) = fold_char(c) {
                let mut lower = c.to_lowercase();
                let slow = match (lower.next(), lower.next()) {
                    (Some(l), None) => l,
                    _ => c,
                };
                // Only the explicit Arabic and digit foldings differ from lowercasing.
                if !('\u{0600}'..='\u{06FF}').contains(&c) {
                    assert_eq!(f, slow, "{c:?}");
                }
            }
        }
        for c in '\u{0600}'..='\u{06FF}' {
            let mut lower = c.to_lowercase();
            assert_eq!(
                (lower.next(), lower.next()),
                (Some(c), None),
                "{c:?} has no case"
            );
        }
    }

    #[test]
    fn light_stem_strips_clitics_and_suffixes() {
        let cases = [
            ("article and taa marbuta", "الشرطه", "شرط"),
            ("conjunction + article", "والحكومه", "حكوم"),
            ("plural", "مباريات", "مباري"),
            ("short word kept", "ولد", "ولد"),
            ("latin untouched", "police", "police"),
        ];
        for (name, input, want) in cases {
            assert_eq!(light_stem(input), want, "{name}");
        }
    }
}
