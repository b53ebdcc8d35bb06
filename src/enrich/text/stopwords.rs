//! Stop words per language, from the `stop-words` crate (the Stopwords ISO
//! collection), folded with the same normalisation as the tokens.

use std::sync::OnceLock;

use super::hash::FxHashSet;
use super::{arabic, latin, Lang};

struct Lists {
    /// Longest stop word in bytes: longer words skip the lookups.
    max_len: usize,
    ar: WordSet,
    en: WordSet,
    fr: WordSet,
}

/// A fixed set of short words: open addressing on a hash of the bytes, at
/// most half full (cheaper per lookup than a general hash set). Each slot
/// keeps its word's hash: a probe compares bytes only when the hashes agree.
struct WordSet {
    slots: Vec<Option<(u64, Box<str>)>>,
    mask: usize,
}

impl WordSet {
    fn new(words: FxHashSet<Box<str>>) -> Self {
        let size = (words.len() * 2).next_power_of_two().max(2);
        let mut set = WordSet {
            slots: vec![None; size],
            mask: size - 1,
        };
        for w in words {
            let h = hash_of(&w);
            let mut i = slot_of(h) & set.mask;
            while let Some(Some(_)) = set.slots.get(i) {
                i = (i + 1) & set.mask;
            }
            if let Some(s) = set.slots.get_mut(i) {
                *s = Some((h, w));
            }
        }
        set
    }

    #[inline]
    fn contains(&self, w: &str) -> bool {
        let h = hash_of(w);
        let mut i = slot_of(h) & self.mask;
        loop {
            match self.slots.get(i) {
                Some(Some((sh, s))) if *sh == h && **s == *w => return true,
                Some(Some(_)) => i = (i + 1) & self.mask,
                _ => return false,
            }
        }
    }

    fn words(&self) -> impl Iterator<Item = &str> {
        self.slots.iter().flatten().map(|(_, w)| &**w)
    }
}

#[inline]
fn hash_of(w: &str) -> u64 {
    super::hash::hash_bytes(w.as_bytes())
}

#[inline]
fn slot_of(x: u64) -> usize {
    (x ^ (x >> 29)) as usize
}

fn build(code: &str, lang: Lang) -> WordSet {
    let mut set = FxHashSet::default();
    let mut buf = String::new();
    for w in stop_words::get(code) {
        buf.clear();
        match lang {
            Lang::Ar => arabic::push_normalised(&w, &mut buf),
            _ => latin::push_folded(&w, &mut buf),
        }
        if !buf.is_empty() {
            set.insert(buf.as_str().into());
        }
    }
    WordSet::new(set)
}

fn lists() -> &'static Lists {
    static LISTS: OnceLock<Lists> = OnceLock::new();
    LISTS.get_or_init(|| {
        let (ar, en, fr) = (
            build("ar", Lang::Ar),
            build("en", Lang::En),
            build("fr", Lang::Fr),
        );
        let max_len = [&ar, &en, &fr]
            .iter()
            .flat_map(|s| s.words())
            .map(str::len)
            .max()
            .unwrap_or(0)
            + 2;
        Lists {
            max_len,
            ar,
            en,
            fr,
        }
    })
}

/// Builds the lists now (they are built on first use otherwise); call at start-up.
pub fn warm_up() {
    let _ = lists();
}

/// Whether the normalised word `norm` is a stop word in `lang`. Arabic words
/// are also tried without a leading conjunction (وهو, فإن).
pub fn is_stop(lang: Lang, norm: &str) -> bool {
    let l = lists();
    if norm.len() > l.max_len {
        return false;
    }
    match lang {
        Lang::Ar => {
            l.ar.contains(norm)
                || ((norm.starts_with('و') || norm.starts_with('ف'))
                    && norm.len() > 2
                    && l.ar.contains(&norm[2..]))
        }
        Lang::En => l.en.contains(norm),
        Lang::Fr => l.fr.contains(norm),
        Lang::Other => l.en.contains(norm) || l.fr.contains(norm),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_stop_words() {
        let cases = [
            (Lang::Ar, "في", true),
            (Lang::Ar, "التي", true),
            (Lang::Ar, "وهو", true),
            (Lang::Ar, "اتفاقيه", false),
            (Lang::En, "the", true),
            (Lang::En, "agreement", false),
            (Lang::Fr, "les", true),
            (Lang::Fr, "accord", false),
        ];
        for (lang, w, want) in cases {
            assert_eq!(is_stop(lang, w), want, "{lang:?} {w}");
        }
    }
}
