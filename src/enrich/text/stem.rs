//! Light stemming per language: Snowball for English ([`super::english`],
//! rust-stemmers for non-ASCII words) and French (rust-stemmers), the Arabic light stemmer of [`super::arabic`] for Arabic.

use std::sync::OnceLock;

use rust_stemmers::{Algorithm, Stemmer};

use super::Lang;

fn stemmers() -> &'static (Stemmer, Stemmer) {
    static S: OnceLock<(Stemmer, Stemmer)> = OnceLock::new();
    S.get_or_init(|| {
        (
            Stemmer::create(Algorithm::English),
            Stemmer::create(Algorithm::French),
        )
    })
}

/// Appends the Snowball stem of the folded Latin word `norm` to `out`
/// (English for [`Lang::En`] and unknown Latin text, French for [`Lang::Fr`]).
pub fn push_latin_stem(lang: Lang, norm: &str, out: &mut String) {
    out.push_str(&latin_stem(lang, norm));
}

/// The Snowball stem of the folded Latin word `norm`; borrowed when the
/// stem is a prefix of the word.
pub fn latin_stem(lang: Lang, norm: &str) -> std::borrow::Cow<'_, str> {
    if lang != Lang::Fr {
        if let Some(s) = super::english::stem(norm) {
            return s;
        }
    }
    let (en, fr) = stemmers();
    let stemmer = if lang == Lang::Fr { fr } else { en };
    stemmer.stem(norm)
}

/// The stem of one word as a new string (convenience; tokens carry theirs).
pub fn stem_word(lang: Lang, norm: &str) -> String {
    match lang {
        Lang::Ar => {
            let p = super::arabic::proclitics(norm);
            let base = norm.get(p.len() * 2..).unwrap_or(norm);
            super::arabic::light_stem(base, !p.is_empty()).to_string()
        }
        _ => {
            let mut s = String::new();
            push_latin_stem(lang, norm, &mut s);
            s
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn stems() {
        let cases = [
            (Lang::En, "agreements", "agreement"),
            (Lang::En, "running", "run"),
            (Lang::Fr, "accords", "accord"),
            (Lang::Ar, "والاتفاقيه", "اتفاق"),
            (Lang::Ar, "اتفاقا", "اتفاق"),
        ];
        for (lang, w, want) in cases {
            assert_eq!(stem_word(lang, w), want, "{lang:?} {w}");
        }
    }

    proptest! {
        #[test]
        fn never_panics(s in "\\PC{0,30}") {
            for lang in [Lang::Ar, Lang::En, Lang::Fr, Lang::Other] {
                let _ = stem_word(lang, &s);
            }
        }
    }
}
