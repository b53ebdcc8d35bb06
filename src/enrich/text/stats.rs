//! Article statistics: characters, words, sentences, reading time.

use super::{Document, Lang};
use crate::model::record::Stats;

/// Silent reading speed in words per minute: the IReST means for adults
/// (Trauzettel-Klosinski & Dietz, "Standardized assessment of reading
/// performance: the new International Reading Speed Texts IReST", IOVS 2012):
/// Arabic 138, English 228, French 195; other languages use the mean over the
/// study's 17 languages, 184.
pub fn words_per_minute(lang: Lang) -> u32 {
    match lang {
        Lang::Ar => 138,
        Lang::En => 228,
        Lang::Fr => 195,
        Lang::Other => 184,
    }
}

/// Statistics of the body: code points, words (and numbers), sentences, and
/// the reading time at the language's speed, rounded up to whole seconds.
pub fn stats(doc: &Document<'_>) -> Stats {
    let words = doc.body_words();
    let wpm = words_per_minute(doc.lang()) as usize;
    let secs = (words * 60).div_ceil(wpm);
    Stats {
        characters: doc.body_chars(),
        words,
        sentences: doc.sentences().len(),
        reading_time_seconds: u32::try_from(secs).unwrap_or(u32::MAX),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn counts() {
        let doc = Document::new("", "قال الوزير إن الاتفاق مهم. ووقع الطرفان أمس.", "ar");
        let s = stats(&doc);
        assert_eq!((s.words, s.sentences), (8, 2));
        assert_eq!(s.characters, doc.body().chars().count());
        // 8 words at 138 wpm = 3.48 s
        assert_eq!(s.reading_time_seconds, 4);
        let empty = stats(&Document::new("", "", "en"));
        assert_eq!((empty.words, empty.reading_time_seconds), (0, 0));
    }

    proptest! {
        #[test]
        fn never_panics(s in "\\PC{0,300}") {
            let st = stats(&Document::new("", &s, "und"));
            prop_assert!(st.sentences <= st.words.max(st.sentences));
        }
    }
}
