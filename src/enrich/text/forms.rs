//! Frequent word forms per language, looked up before the tokenizer
//! normalises, stems and looks up stop words: a word of the table costs one
//! probe and one copy of its forms.
//!
//! The model file (`models/text-forms.txt`, written by `news-enricher train
//! text-forms`) lists only surfaces, most frequent first, one per line after
//! its language code: `ar<TAB>والاتفاقية`. Their forms (normalised, base,
//! stem, stop flag, particles) are computed at load time by the tokenizer's
//! own path ([`compute`]), so the table can never disagree with it: a
//! document reads the same with or without the table.
//!
//! [`TextEnricher::load`](crate::enrich::text_layer::TextEnricher::load)
//! loads the table once per process ([`load`]); [`super::Document::new`]
//! uses it when it is there and computes every form otherwise.

use std::path::Path;
use std::sync::OnceLock;

use super::bytes::same_bytes;
use super::token::{Token, TokenKind, Tokenizer, R32};
use super::{seen, Lang};
use crate::enrich::LoadError;
use crate::model::record::Field;

/// Default file name under the model directory.
pub const FILE_NAME: &str = "text-forms.txt";
/// First line of the file.
pub const HEADER: &str = "# news-enricher text forms 1";

/// Bytes of a surface a [`Form`] holds itself: what is left of its line.
const HEAD: usize = 22;

/// The forms of one surface, as the tokenizer makes them.
///
/// A form is one cache line, aligned, holding the first [`HEAD`] bytes of
/// its surface: a probe that finds a surface of up to [`HEAD`] bytes
/// (nearly all) reads its slot and this line, not also the table's text.
/// A lookup misses the first-level cache at each line it reads, the
/// table being far larger; a form of 40 bytes (its surface only in the
/// text) made it three lines for most words, counting the half of the
/// forms that straddle two lines. It makes the forms 64 bytes instead of
/// 40 (5.9 MB instead of 3.7 MB for the bundled 91,470 surfaces); the
/// head is 22 bytes so that the stem hash fits in the line too.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(C, align(64))]
pub(crate) struct Form {
    /// The forms in the table's text, as a token holds them (marked with
    /// [`R32::IN_TABLE`]): a document's tokens point at them, nothing is copied.
    pub norm: R32,
    pub base: R32,
    pub stem: R32,
    /// The surface in the table's text.
    surface: R32,
    /// What a document keeps of the stem's hash
    /// ([`super::token::weighed_stem_hash`]), worked out once here.
    pub stem_hash: u64,
    /// Bytes of Arabic particles before the word (`word_start - start`; a
    /// surface with more is left out of the table).
    pub skip: u8,
    pub stop: bool,
    /// The surface's first [`HEAD`] bytes, zero-padded.
    head: [u8; HEAD],
}

// One line a form: a longer `Form` would take two.
const _: () = assert!(std::mem::size_of::<Form>() == 64);

impl Form {
    /// Whether this is the form of `surface`; `text` is the table's text.
    #[inline]
    fn is(&self, surface: &[u8], text: &str) -> bool {
        let (start, end) = (self.surface.start as usize, self.surface.end as usize);
        if end.wrapping_sub(start) != surface.len() {
            return false;
        }
        match self.head.get(..surface.len()) {
            Some(head) => same_bytes(head, surface),
            None => text
                .as_bytes()
                .get(start..end)
                .is_some_and(|s| same_bytes(s, surface)),
        }
    }
}

/// One language's surfaces: open addressing on the surface hash, at most
/// half full.
#[derive(Debug, Default)]
struct Class {
    /// `(tag, form index + 1)`; 0 marks an empty slot.
    slots: Vec<(u32, u32)>,
    mask: usize,
}

/// Frequent surfaces and their forms, per language.
#[derive(Debug, Default)]
pub struct FormTable {
    classes: [Class; 4],
    forms: Vec<Form>,
    /// Surfaces and forms of every entry.
    text: String,
}

fn class_of(lang: Lang) -> usize {
    match lang {
        Lang::Ar => 0,
        Lang::En => 1,
        Lang::Fr => 2,
        Lang::Other => 3,
    }
}

/// The hash the tokenizer computes for a surface.
#[inline]
pub(crate) fn surface_hash(surface: &[u8]) -> u64 {
    super::hash::hash_bytes(surface)
}

#[inline]
fn tag_of(hash: u64) -> u32 {
    (hash >> 32) as u32
}

/// The single word token `surface` makes in a document of `lang`, with its
/// forms in `buf` (cleared first); `None` when it makes anything else (a
/// number, a clitic, several tokens).
pub(crate) fn compute(surface: &str, lang: Lang, buf: &mut String) -> Option<Token> {
    buf.clear();
    let mut out = Vec::with_capacity(2);
    let mut cache = super::hash::FxHashMap::default();
    let mut tk = Tokenizer {
        lang,
        buf,
        out: &mut out,
        stem_cache: &mut cache,
        seen: seen::SeenTable::new("", "", 1),
        forms: 0,
        stem_hashes: &mut Vec::new(),
        table: None,
    };
    tk.emit(surface, Field::Title, 0, surface.len());
    match out[..] {
        [t] if t.kind == TokenKind::Word && t.range() == (0..surface.len()) => Some(t),
        _ => None,
    }
}

impl FormTable {
    /// A table of `(language, surface)` pairs, their forms computed here;
    /// surfaces that do not make a single word token are skipped, as are
    /// repeated ones.
    pub fn new<'s>(entries: impl IntoIterator<Item = (Lang, &'s str)>) -> Self {
        let mut table = FormTable::default();
        let mut per_class: [Vec<u32>; 4] = Default::default();
        let mut buf = String::new();
        for (lang, surface) in entries {
            let Some(t) = compute(surface, lang, &mut buf) else {
                continue;
            };
            let Ok(skip) = u8::try_from(t.word_start - t.start) else {
                continue;
            };
            let at = table.text.len();
            table.text.push_str(surface);
            let blob_at = table.text.len();
            table.text.push_str(&buf);
            let in_table =
                |r: R32| R32::in_table(blob_at + r.start as usize, blob_at + r.end as usize);
            let Ok(index) = u32::try_from(table.forms.len()) else {
                break;
            };
            let mut head = [0u8; HEAD];
            for (h, &b) in head.iter_mut().zip(surface.as_bytes()) {
                *h = b;
            }
            table.forms.push(Form {
                norm: in_table(t.norm),
                base: in_table(t.base),
                stem: in_table(t.stem),
                surface: R32::new(at, blob_at),
                skip,
                stop: t.stop,
                stem_hash: super::token::weighed_stem_hash(&t, t.stem.get(&buf)),
                head,
            });
            per_class[class_of(lang)].push(index);
        }
        for (class, indices) in table.classes.iter_mut().zip(per_class) {
            let size = (indices.len() * 2).next_power_of_two().max(2);
            class.slots = vec![(0, 0); size];
            class.mask = size - 1;
            for i in indices {
                let Some(f) = table.forms.get(i as usize) else {
                    continue;
                };
                let surface = f.surface.get(&table.text);
                let tag = tag_of(surface_hash(surface.as_bytes()));
                if Self::find(class, &table.forms, &table.text, tag, surface.as_bytes()).is_some() {
                    continue;
                }
                seen::place(&mut class.slots, class.mask, tag, i + 1);
            }
        }
        table
    }

    /// Parses the model file's text (see the module documentation).
    pub fn parse(text: &str) -> Result<Self, String> {
        let mut lines = text.lines();
        if lines.next() != Some(HEADER) {
            return Err(format!("the first line is not {HEADER:?}"));
        }
        let mut entries = Vec::new();
        for (n, line) in lines.enumerate() {
            let (code, surface) = line
                .split_once('\t')
                .ok_or_else(|| format!("line {}: no tab", n + 2))?;
            let lang = Lang::from_code(code)
                .ok_or_else(|| format!("line {}: unknown language {code:?}", n + 2))?;
            entries.push((lang, surface));
        }
        Ok(FormTable::new(entries))
    }

    /// Number of surfaces.
    pub fn len(&self) -> usize {
        self.forms.len()
    }

    pub fn is_empty(&self) -> bool {
        self.forms.is_empty()
    }

    #[inline]
    fn find<'t>(
        class: &Class,
        forms: &'t [Form],
        text: &str,
        tag: u32,
        surface: &[u8],
    ) -> Option<&'t Form> {
        let k = seen::probe(&class.slots, class.mask, tag, |k| {
            forms.get(k).is_some_and(|f| f.is(surface, text))
        })?;
        forms.get(k)
    }

    /// The forms of `surface` (whose [`surface_hash`] is `hash`) in a
    /// document of `lang`.
    #[inline]
    pub(crate) fn get(&self, lang: Lang, hash: u64, surface: &[u8]) -> Option<&Form> {
        let class = self.classes.get(class_of(lang))?;
        Self::find(class, &self.forms, &self.text, tag_of(hash), surface)
    }

    /// The text the forms' ranges point into ([`R32::resolve`]).
    #[inline]
    pub(crate) fn text(&self) -> &str {
        &self.text
    }
}

static INSTALLED: OnceLock<FormTable> = OnceLock::new();

/// The table loaded for this process, if any.
#[inline]
pub fn installed() -> Option<&'static FormTable> {
    INSTALLED.get()
}

/// Reads the model file at `path` and makes it the process's table (the
/// first table loaded stays: every table gives the same forms).
pub fn load(path: &Path) -> Result<(), LoadError> {
    let text = std::fs::read_to_string(path).map_err(|source| LoadError::Io {
        path: path.to_path_buf(),
        source,
    })?;
    let invalid = |reason: String| LoadError::Invalid {
        path: path.to_path_buf(),
        reason,
    };
    if INSTALLED.get().is_some() {
        // Already built: only check the file.
        return if text.starts_with(HEADER) {
            Ok(())
        } else {
            Err(invalid(format!("the first line is not {HEADER:?}")))
        };
    }
    let table = FormTable::parse(&text).map_err(invalid)?;
    let _ = INSTALLED.set(table);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::enrich::text::Document;
    use proptest::prelude::*;

    /// Everything a document says about its tokens.
    fn readout(doc: &Document<'_>) -> Vec<String> {
        doc.tokens()
            .iter()
            .map(|t| {
                format!(
                    "{:?} {}-{} {} {:?} {} {} {} {} {} {} {}",
                    t.field,
                    t.start,
                    t.end,
                    t.word_start,
                    t.kind,
                    t.stop,
                    t.sentence,
                    doc.norm(t),
                    doc.base(t),
                    doc.stem(t),
                    doc.form(t),
                    doc.stem_hash(t)
                )
            })
            .collect()
    }

    fn same_with_table(words: &[String], lang: Lang, sep: &str) -> Result<(), String> {
        let table = FormTable::new(words.iter().map(|w| (lang, w.as_str())));
        let body = words.join(sep);
        let title = words
            .iter()
            .rev()
            .take(3)
            .cloned()
            .collect::<Vec<_>>()
            .join(" ");
        let with = Document::with_forms(&title, &body, lang, Some(&table));
        let without = Document::with_forms(&title, &body, lang, None);
        if readout(&with) != readout(&without) {
            return Err(format!("{:?} != {:?}", readout(&with), readout(&without)));
        }
        Ok(())
    }

    #[test]
    fn table_words_read_as_computed() {
        let words: Vec<String> = [
            "والاتفاقية",
            "الحكومةُ",
            "وفي",
            "Talks",
            "the",
            "agreements",
            "États-Unis",
            "L’accord",
            "1,250",
            "Iran's",
        ]
        .iter()
        .map(|w| w.to_string())
        .collect();
        for lang in [Lang::Ar, Lang::En, Lang::Fr, Lang::Other] {
            assert_eq!(same_with_table(&words, lang, " "), Ok(()), "{lang:?}");
        }
        let table = FormTable::new(words.iter().map(|w| (Lang::Ar, w.as_str())));
        // Numbers and split words are not kept.
        assert_eq!(table.len(), 8);
        let h = surface_hash("والاتفاقية".as_bytes());
        let f = table
            .get(Lang::Ar, h, "والاتفاقية".as_bytes())
            .unwrap_or_else(|| panic!("missing"));
        assert_eq!(f.base.resolve("", table.text()), "اتفاقيه");
        assert_eq!(f.stem.resolve("", table.text()), "اتفاق");
        assert!(table.get(Lang::En, h, "والاتفاقية".as_bytes()).is_none());
    }

    /// The normalised form `table` holds for surface `w`.
    fn norm_in(table: &FormTable, lang: Lang, w: &str) -> Option<String> {
        table
            .get(lang, surface_hash(w.as_bytes()), w.as_bytes())
            .map(|f| f.norm.resolve("", table.text()).to_string())
    }

    #[test]
    fn long_surfaces_are_told_apart_past_their_heads() {
        // Thirty bytes each, the first 28 shared: longer than a form holds.
        let long = |c: char| format!("{}{c}", "س".repeat(14));
        let (a, b, c) = (long('ب'), long('ت'), long('ث'));
        let table = FormTable::new([(Lang::Ar, a.as_str()), (Lang::Ar, b.as_str())]);
        let read = |w: &str| norm_in(&table, Lang::Ar, w);
        assert_eq!(read(&a).as_deref(), Some(a.as_str()));
        assert_eq!(read(&b).as_deref(), Some(b.as_str()));
        assert_eq!(read(&c), None);
        assert_eq!(read(&"س".repeat(14)), None);
    }

    #[test]
    fn surfaces_at_the_head_length_are_told_apart() {
        let words = [
            "a".repeat(HEAD - 1) + "b",
            "a".repeat(HEAD),
            "a".repeat(HEAD) + "b",
            "a".repeat(HEAD + 1),
        ];
        let (stored, absent) = words.split_at(2);
        let table = FormTable::new(stored.iter().map(|w| (Lang::En, w.as_str())));
        let read = |w: &str| norm_in(&table, Lang::En, w);
        for w in stored {
            assert_eq!(read(w).as_deref(), Some(w.as_str()));
        }
        for w in absent {
            assert_eq!(read(w), None, "{w}");
        }
        assert_eq!(read(&"a".repeat(HEAD - 1)), None);
    }

    #[test]
    fn parses_the_file_format() {
        let table = FormTable::parse(&format!("{HEADER}\nar\tوفي\nen\tthe\nfr\tles\n"));
        assert_eq!(table.map(|t| t.len()), Ok(3));
        assert!(FormTable::parse("ar\tوفي\n").is_err());
        assert!(FormTable::parse(&format!("{HEADER}\nxx\tvery\n")).is_err());
        assert!(FormTable::parse(&format!("{HEADER}\nnotab\n")).is_err());
    }

    proptest! {
        #[test]
        fn table_path_is_computed_path(
            words in proptest::collection::vec("[a-zA-Zéà'’\\-\u{0621}-\u{0652}\u{0640}0-9]{1,12}", 1..12),
            sep in "[ .,\n]{1,2}",
            lang in 0usize..4,
        ) {
            let lang = [Lang::Ar, Lang::En, Lang::Fr, Lang::Other][lang];
            prop_assert_eq!(same_with_table(&words, lang, &sep), Ok(()));
        }

        #[test]
        fn never_panics(text in "\\PC{0,200}") {
            let t = FormTable::parse(&format!("{HEADER}\n{text}"));
            let _ = t.map(|t| t.len());
            let words: Vec<&str> = text.split(' ').collect();
            let table = FormTable::new(words.iter().map(|w| (Lang::Other, *w)));
            let _ = Document::with_forms("", &text, Lang::Other, Some(&table));
        }
    }
}
