//! Text analysis shared by every enricher: normalisation, tokens with offsets,
//! sentences, stems, stop words; and the text-level results (lead, summary,
//! keywords, statistics).
//!
//! Build one [`Document`] per article and pass it around; it tokenises and
//! splits once, keeps the original text untouched and holds every normalised
//! form in one buffer.
//!
//! ```
//! use news_enricher::enrich::text::{Document, Lang, TokenKind};
//! use news_enricher::model::record::Field;
//!
//! let doc = Document::new("", "وقّع الوزيران والاتفاقية أمس. ثم غادرا.", "ar");
//! assert_eq!(doc.lang(), Lang::Ar);
//! assert_eq!(doc.sentences().len(), 2);
//! let t = doc.body_tokens()[2];
//! assert_eq!(doc.surface(&t), "والاتفاقية");  // the original text
//! assert_eq!(doc.norm(&t), "والاتفاقيه");     // normalised for matching
//! assert_eq!(doc.base(&t), "اتفاقيه");        // without و + ال
//! assert_eq!(doc.stem(&t), "اتفاق");          // light stem
//! assert_eq!(t.kind, TokenKind::Word);
//! // Record spans are in code points:
//! let span = doc.token_span(&t);
//! assert_eq!((span.field, span.start, span.end), (Field::Body, 14, 24));
//! // Sentences and their tokens:
//! let first = &doc.sentences()[0];
//! assert_eq!(doc.sentence_text(first), "وقّع الوزيران والاتفاقية أمس.");
//! assert_eq!(doc.sentence_tokens(first).len(), 4);
//! ```
//!
//! Files: [`arabic`] (Arabic normalisation, proclitics, light stemmer),
//! [`bytes`] (searching bytes eight at a time),
//! [`latin`] (English/French folding, elision), [`english`] (English stemmer), [`token`] (tokenizer),
//! [`forms`] (frequent word forms, made once), [`sentence`] (splitter), [`stem`], [`stopwords`], [`offsets`] (byte →
//! code point), [`docfreq`] (background document frequencies), [`keywords`]
//! (keyword extraction), [`summary`] (lead and extractive summary), [`stats`].

use std::ops::Range;

use crate::model::record::{Field, Span};

pub mod arabic;
pub mod bytes;
pub mod docfreq;
pub mod english;
pub mod forms;
pub(crate) mod hash;
pub mod keywords;
pub mod latin;
pub mod offsets;
mod scratch;
mod seen;
pub mod sentence;
pub mod stats;
pub mod stem;
pub mod stopwords;
pub mod summary;
pub mod token;

pub use offsets::CharIndex;
use token::R32;
pub use token::{Token, TokenKind};

/// The languages the text layer knows; anything else is [`Lang::Other`]
/// (tokenised and folded by script, not stemmed by a language's rules).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Lang {
    Ar,
    En,
    Fr,
    Other,
}

impl Lang {
    /// ISO 639-1 code (`und` for [`Lang::Other`]).
    pub fn code(self) -> &'static str {
        match self {
            Lang::Ar => "ar",
            Lang::En => "en",
            Lang::Fr => "fr",
            Lang::Other => "und",
        }
    }

    /// The language of an ISO 639-1 code (`ar`, `en-GB`, `FR`), if known.
    pub fn from_code(code: &str) -> Option<Lang> {
        let primary = code.split(['-', '_']).next().unwrap_or("");
        match primary.to_ascii_lowercase().as_str() {
            "ar" | "ara" => Some(Lang::Ar),
            "en" | "eng" => Some(Lang::En),
            "fr" | "fra" | "fre" => Some(Lang::Fr),
            _ => None,
        }
    }

    /// A language for `code`, or a guess from the script and function words
    /// of the text when the code is `und`/empty/unknown: Arabic script →
    /// Arabic; Latin script → English or French, whichever has more of its
    /// commonest function words; else [`Lang::Other`].
    pub fn resolve(code: &str, title: &str, body: &str) -> Lang {
        if let Some(l) = Lang::from_code(code) {
            return l;
        }
        let sample = |s: &'_ str| -> usize {
            let mut n = s.len().min(1500);
            while !s.is_char_boundary(n) {
                n -= 1;
            }
            n
        };
        let text = body.get(..sample(body)).unwrap_or("");
        let (mut ar, mut latin) = (0usize, 0usize);
        for c in title.chars().chain(text.chars()) {
            if arabic::is_arabic_letter(c) {
                ar += 1;
            } else if c.is_ascii_alphabetic() || ('\u{00C0}'..='\u{024F}').contains(&c) {
                latin += 1;
            }
        }
        if ar == 0 && latin == 0 {
            return Lang::Other;
        }
        if ar >= latin {
            return Lang::Ar;
        }
        let (mut en, mut fr) = (0, 0);
        for w in text.split(|c: char| !token::is_alnum(c)) {
            let is = |list: &[&str]| list.iter().any(|x| w.eq_ignore_ascii_case(x));
            if is(&["the", "and", "of", "to", "is", "was", "that", "with"]) {
                en += 1;
            } else if is(&["le", "la", "les", "des", "et", "du", "une", "est", "dans"]) {
                fr += 1;
            }
        }
        if fr > en {
            Lang::Fr
        } else if en > 0 {
            Lang::En
        } else {
            Lang::Other
        }
    }
}

/// A body sentence: byte span into the body and its tokens.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Sentence {
    pub start: u32,
    pub end: u32,
    tokens: R32,
}

impl Sentence {
    /// Byte range in the body.
    pub fn range(&self) -> Range<usize> {
        self.start as usize..self.end as usize
    }
    /// Range of its tokens in [`Document::tokens`].
    pub fn token_range(&self) -> Range<usize> {
        self.tokens.start as usize..self.tokens.end as usize
    }
}

/// One article, tokenised and split once, borrowing its text.
#[derive(Debug, Clone)]
pub struct Document<'a> {
    title: &'a str,
    body: &'a str,
    lang: Lang,
    /// Title tokens, then body tokens.
    tokens: Vec<Token>,
    title_len: usize,
    /// Number of form ids of the tokens (see [`Document::form`]).
    forms: u32,
    /// By form id: see [`Document::stem_hash`]. Worked out where the forms
    /// are made (for the frequent ones, when the form table is loaded), so
    /// that the keyword weights need not read the stems back.
    stem_hashes: Vec<u64>,
    sentences: Vec<Sentence>,
    /// Every normalised, base and stemmed form not in the form table;
    /// tokens hold ranges into it or into `table` ([`R32::resolve`]).
    buf: String,
    /// The text of the form table the document was made with (or empty).
    table: &'a str,
    title_index: CharIndex,
    body_index: CharIndex,
}

/// The document's vectors go back to the storage of the thread that drops it
/// ([`scratch`]), for the next document to reuse.
impl Drop for Document<'_> {
    fn drop(&mut self) {
        scratch::give(scratch::Scratch {
            tokens: std::mem::take(&mut self.tokens),
            sentences: std::mem::take(&mut self.sentences),
            buf: std::mem::take(&mut self.buf),
            stem_hashes: std::mem::take(&mut self.stem_hashes),
            title_blocks: self.title_index.take_blocks(),
            body_blocks: self.body_index.take_blocks(),
            ..Default::default()
        });
    }
}

impl<'a> Document<'a> {
    /// Analyses `title` and `body` in language `lang` (an ISO 639-1 code; `und`
    /// or unknown codes are resolved from the text, see [`Lang::resolve`]).
    pub fn new(title: &'a str, body: &'a str, lang: &str) -> Self {
        Self::with_lang(title, body, Lang::resolve(lang, title, body))
    }

    /// Analyses `title` and `body` in a known language (with the frequent
    /// word forms of [`forms::installed`], when loaded).
    pub fn with_lang(title: &'a str, body: &'a str, lang: Lang) -> Self {
        Self::with_forms(title, body, lang, forms::installed())
    }

    /// [`Document::with_lang`] with a given table of word forms, or none
    /// (every form computed): the document is the same either way.
    pub fn with_forms(
        title: &'a str,
        body: &'a str,
        lang: Lang,
        table: Option<&'a forms::FormTable>,
    ) -> Self {
        let mut s = scratch::take();
        // Running text has a token every five or six bytes: room for one
        // every four spares growing the vector on the way.
        let mut tokens = std::mem::take(&mut s.tokens);
        tokens.reserve((title.len() + body.len()) / 4 + 8);
        let mut buf = std::mem::take(&mut s.buf);
        buf.reserve(title.len() + body.len() + body.len() / 4);
        let mut stem_hashes = std::mem::take(&mut s.stem_hashes);
        stem_hashes.reserve((title.len() + body.len()) / 8 + 8);
        let mut tk = token::Tokenizer {
            lang,
            buf: &mut buf,
            out: &mut tokens,
            stem_cache: &mut s.stem_cache,
            seen: seen::SeenTable::with_storage(
                title,
                body,
                (title.len() + body.len()) / 12,
                std::mem::take(&mut s.seen_slots),
                std::mem::take(&mut s.seen_entries),
            ),
            forms: 0,
            stem_hashes: &mut stem_hashes,
            table,
        };
        tk.run(title, Field::Title);
        let title_len = tk.out.len();
        tk.run(body, Field::Body);
        let forms = tk.forms;
        (s.seen_slots, s.seen_entries) = tk.seen.into_storage();
        s.stem_cache.clear();

        let mut spans = std::mem::take(&mut s.spans);
        spans.clear();
        spans.reserve(body.len() / 80 + 2);
        sentence::split_with(body, &mut spans, &mut s.marks);
        let mut sentences = std::mem::take(&mut s.sentences);
        sentences.reserve(spans.len());
        let mut t = title_len;
        for (n, sp) in spans.iter().enumerate() {
            while t < tokens.len() && tokens[t].start < sp.start {
                t += 1;
            }
            let first = t;
            while t < tokens.len() && tokens[t].start < sp.end {
                tokens[t].sentence = n as u32;
                t += 1;
            }
            sentences.push(Sentence {
                start: sp.start,
                end: sp.end,
                tokens: R32 {
                    start: first as u32,
                    end: t as u32,
                },
            });
        }
        s.spans = spans;
        let title_index = CharIndex::new_in(title, std::mem::take(&mut s.title_blocks));
        let body_index = CharIndex::new_in(body, std::mem::take(&mut s.body_blocks));
        debug_assert_eq!(stem_hashes.len(), forms as usize);
        // The storage only needed while making the document goes back now.
        scratch::give(s);
        Document {
            title,
            body,
            lang,
            tokens,
            title_len,
            forms,
            stem_hashes,
            sentences,
            buf,
            table: table.map_or("", |t| t.text()),
            title_index,
            body_index,
        }
    }

    pub fn lang(&self) -> Lang {
        self.lang
    }
    pub fn title(&self) -> &'a str {
        self.title
    }
    pub fn body(&self) -> &'a str {
        self.body
    }
    /// The original text of a field.
    pub fn text(&self, field: Field) -> &'a str {
        match field {
            Field::Title => self.title,
            Field::Body => self.body,
        }
    }
    /// Every token: the title's, then the body's.
    pub fn tokens(&self) -> &[Token] {
        &self.tokens
    }
    pub fn title_tokens(&self) -> &[Token] {
        &self.tokens[..self.title_len]
    }
    pub fn body_tokens(&self) -> &[Token] {
        &self.tokens[self.title_len..]
    }
    /// Sentences of the body, in order.
    pub fn sentences(&self) -> &[Sentence] {
        &self.sentences
    }
    /// Original text of a sentence.
    pub fn sentence_text(&self, s: &Sentence) -> &'a str {
        self.body.get(s.range()).unwrap_or("")
    }
    pub fn sentence_tokens(&self, s: &Sentence) -> &[Token] {
        self.tokens.get(s.token_range()).unwrap_or(&[])
    }
    /// The token as written in the original field.
    pub fn surface(&self, t: &Token) -> &'a str {
        self.text(t.field).get(t.range()).unwrap_or("")
    }
    /// The token as written, without Arabic particles before the article
    /// (`الاتفاقية` for `والاتفاقية`).
    pub fn surface_word(&self, t: &Token) -> &'a str {
        self.text(t.field)
            .get(t.word_start as usize..t.end as usize)
            .unwrap_or("")
    }
    /// Normalised form: case-folded; Arabic without marks, with unified letters and ASCII digits;
    /// numbers canonical (`1250.5`).
    pub fn norm(&self, t: &Token) -> &str {
        t.norm.resolve(&self.buf, self.table)
    }
    /// Matching form: the normalised form without Arabic proclitics (و ف ب ك ل + ال).
    pub fn base(&self, t: &Token) -> &str {
        t.base.resolve(&self.buf, self.table)
    }
    /// Light stem (Snowball for English/French, light Arabic stemmer).
    pub fn stem(&self, t: &Token) -> &str {
        t.stem.resolve(&self.buf, self.table)
    }
    /// Form id of a token: tokens of this document with the same id have the
    /// same surface, hence the same forms, kind and stop flag; ids are below
    /// [`Document::forms`].
    pub fn form(&self, t: &Token) -> usize {
        t.form as usize
    }
    /// [`docfreq::stem_hash`] of the stem of a word that is not a stop
    /// word (0 for other tokens), kept per form id from when the form was
    /// made.
    pub fn stem_hash(&self, t: &Token) -> u64 {
        // One hash per form id is pushed where each form is made.
        self.stem_hashes.get(self.form(t)).copied().unwrap_or(0)
    }
    /// The stem hashes by form id.
    #[cfg(test)]
    pub(crate) fn stem_hashes(&self) -> &[u64] {
        &self.stem_hashes
    }
    /// Number of form ids.
    pub fn forms(&self) -> usize {
        self.forms as usize
    }
    /// Code-point offset of byte offset `byte` in `field`.
    pub fn char_offset(&self, field: Field, byte: usize) -> usize {
        match field {
            Field::Title => self.title_index.char_offset(self.title, byte),
            Field::Body => self.body_index.char_offset(self.body, byte),
        }
    }
    /// The record span (code points) of the byte range `start..end` in `field`.
    pub fn span(&self, field: Field, start: usize, end: usize) -> Span {
        Span {
            field,
            start: self.char_offset(field, start),
            end: self.char_offset(field, end),
        }
    }
    /// The record span of a token.
    pub fn token_span(&self, t: &Token) -> Span {
        self.span(t.field, t.start as usize, t.end as usize)
    }
    /// Number of code points of the body.
    pub fn body_chars(&self) -> usize {
        self.body_index.len_chars()
    }
    /// Words (and numbers) of the body.
    pub fn body_words(&self) -> usize {
        self.body_tokens().iter().filter(|t| t.is_word()).count()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn resolves_language() {
        let cases = [
            ("ar", "", "x", Lang::Ar),
            ("en-GB", "", "x", Lang::En),
            ("und", "", "قال الوزير", Lang::Ar),
            (
                "",
                "",
                "The minister said that the talks were over.",
                Lang::En,
            ),
            (
                "und",
                "",
                "Le ministre a dit que les discussions sont finies.",
                Lang::Fr,
            ),
            ("de", "", "", Lang::Other),
        ];
        for (code, title, body, want) in cases {
            assert_eq!(Lang::resolve(code, title, body), want, "{code} {body}");
        }
    }

    #[test]
    fn tokens_forms_and_offsets() {
        let body = "L’accord d’un montant de 1 250,5 euros a été signé à Paris-Nord.";
        let doc = Document::new("", body, "fr");
        let words: Vec<(&str, &str, TokenKind)> = doc
            .body_tokens()
            .iter()
            .map(|t| (doc.surface(t), doc.norm(t), t.kind))
            .collect();
        assert_eq!(
            words[..4],
            [
                ("L’", "l'", TokenKind::Clitic),
                ("accord", "accord", TokenKind::Word),
                ("d’", "d'", TokenKind::Clitic),
                ("un", "un", TokenKind::Word),
            ]
        );
        assert!(words.contains(&("1 250,5", "1250.5", TokenKind::Number)));
        assert!(words.contains(&("Paris-Nord", "paris-nord", TokenKind::Word)));
        let signé = doc
            .body_tokens()
            .iter()
            .find(|t| doc.surface(t) == "signé")
            .copied();
        let span = signé.map(|t| doc.token_span(&t));
        let start = body[..body.find("signé").unwrap_or(0)].chars().count();
        assert_eq!(span.map(|s| (s.start, s.end)), Some((start, start + 5)));
    }

    #[test]
    fn english_tokens() {
        let doc = Document::new(
            "",
            "Iran's U.S. envoy paid $1,250.5 for well-known COVID-19 tests.",
            "en",
        );
        let words: Vec<&str> = doc.body_tokens().iter().map(|t| doc.norm(t)).collect();
        assert_eq!(
            words,
            [
                "iran",
                "'s",
                "u.s.",
                "envoy",
                "paid",
                "1250.5",
                "for",
                "well-known",
                "covid-19",
                "tests"
            ]
        );
        let stems: Vec<&str> = doc.body_tokens().iter().map(|t| doc.stem(t)).collect();
        assert_eq!(stems[9], "test");
    }

    #[test]
    fn arabic_tokens_keep_original_and_split_scripts() {
        let body = "وفي العام ٢٠١٨م وقّعت الحكومةُ والاتفاقيـــة مع CNNالعربية.";
        let doc = Document::new("", body, "ar");
        let forms: Vec<(&str, &str, &str)> = doc
            .body_tokens()
            .iter()
            .map(|t| (doc.surface(t), doc.base(t), doc.surface_word(t)))
            .collect();
        assert_eq!(
            forms,
            [
                ("وفي", "وفي", "وفي"),
                ("العام", "عام", "العام"),
                ("٢٠١٨", "2018", "٢٠١٨"),
                ("م", "م", "م"),
                ("وقّعت", "وقعت", "وقّعت"),
                ("الحكومةُ", "حكومه", "الحكومةُ"),
                ("والاتفاقيـــة", "اتفاقيه", "الاتفاقيـــة"),
                ("مع", "مع", "مع"),
                ("CNN", "cnn", "CNN"),
                ("العربية", "عربيه", "العربية"),
            ]
        );
        for t in doc.body_tokens() {
            let s = doc.token_span(t);
            let chars: String = body.chars().skip(s.start).take(s.end - s.start).collect();
            assert_eq!(chars, doc.surface(t));
        }
    }

    #[test]
    fn tokens_belong_to_their_sentence() {
        let doc = Document::new("Title here", "First one. Second one!\nThird", "en");
        assert_eq!(doc.title_tokens().len(), 2);
        let per: Vec<usize> = doc
            .sentences()
            .iter()
            .map(|s| doc.sentence_tokens(s).len())
            .collect();
        assert_eq!(per, [2, 2, 1]);
        assert!(doc.body_tokens().iter().all(|t| t.sentence != u32::MAX));
    }

    /// Tokens of one form id: same surface and forms, in title and body alike.
    fn check_forms(doc: &Document<'_>) -> Result<(), String> {
        let mut first: Vec<Option<&Token>> = vec![None; doc.forms()];
        for t in doc.tokens() {
            let Some(slot) = first.get_mut(doc.form(t)) else {
                return Err(format!("form {} out of range", doc.form(t)));
            };
            let Some(f) = *slot else {
                *slot = Some(t);
                continue;
            };
            let parts = |t: &Token| {
                let skip = t.word_start - t.start;
                (
                    doc.surface(t),
                    doc.norm(t),
                    doc.base(t),
                    doc.stem(t),
                    t.kind,
                    t.stop,
                    skip,
                )
            };
            if parts(f) != parts(t) {
                return Err(format!("{:?} != {:?}", parts(f), parts(t)));
            }
        }
        Ok(())
    }

    #[test]
    fn tokens_of_one_form_are_alike() {
        let doc = Document::new(
            "وقّع الاتفاقية Talks",
            "وقّع الوزيران والاتفاقية والاتفاقية. Talks resumed; talks ended. L’accord, l’accord.",
            "und",
        );
        assert_eq!(check_forms(&doc), Ok(()));
        let talks: Vec<usize> = doc
            .tokens()
            .iter()
            .filter(|t| doc.surface(t) == "Talks")
            .map(|t| doc.form(t))
            .collect();
        assert_eq!(talks.len(), 2);
        assert_eq!(talks[0], talks[1]);
        assert!(doc.forms() < doc.tokens().len());
    }

    proptest! {
        #[test]
        fn forms_hold_on_any_text(title in "\\PC{0,30}", body in "[a-zA-Z\u{0621}-\u{0652}0-9 .,'’\\-«»\"\n]{0,300}", code in "(ar|en|fr|und)") {
            let doc = Document::new(&title, &body, &code);
            prop_assert_eq!(check_forms(&doc), Ok(()));
        }

        #[test]
        fn document_never_panics(title in "\\PC{0,40}", body in "\\PC{0,400}", code in "(ar|en|fr|und|xx)") {
            let doc = Document::new(&title, &body, &code);
            for t in doc.tokens() {
                let _ = (doc.norm(t), doc.base(t), doc.stem(t), doc.surface_word(t));
                let s = doc.token_span(t);
                prop_assert!(s.start <= s.end);
                prop_assert!(!doc.surface(t).is_empty());
            }
            for s in doc.sentences() {
                let _ = doc.sentence_tokens(s);
            }
        }

        #[test]
        fn document_never_panics_on_mixed_text(body in "[a-zA-Z\u{0621}-\u{0652}\u{0660}-\u{0669}0-9 .,'’\\-«»\"\n\u{00A0}]{0,300}") {
            let doc = Document::new("", &body, "und");
            for t in doc.tokens() {
                prop_assert!(t.start < t.end);
            }
        }
    }
}
