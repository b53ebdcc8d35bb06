//! The weighed words of an article, worked out once per form and shared by
//! the keyword extractor and the summariser.
//!
//! A word that is not a stop word is weighed by the inverse document
//! frequency of its stem in the background table ([`LangFreq`]; 1 without a
//! table). Words of one stem share a term id: ids are dense and follow the
//! order of the stems' hashes, the order in which the summary adds up its
//! sentence vectors.

use super::super::scratch::{free_if_large, with_kept, Kept};
use super::super::{arabic, Document, Token, TokenKind};
use super::{is_candidate_stem, stem_hash, DocFreq, LangFreq};

/// Term id of a form that is not weighed (stop words, numbers, clitics).
const NO_TERM: u32 = u32::MAX;

/// What the keyword extractor and the summariser need of one form.
#[derive(Clone, Copy)]
pub(crate) struct Form {
    /// Its term id, or [`NO_TERM`].
    pub term: u32,
    /// Bytes from the token's start to where it is shown in a keyword
    /// (after particles).
    pub skip: u32,
    /// It carries a conjunction or preposition: a phrase cannot run into it.
    pub particle: bool,
    /// It may be part of a keyword ([`super::is_candidate_token`]).
    pub candidate: bool,
    seen: bool,
}

impl Form {
    const UNSEEN: Form = Form {
        term: NO_TERM,
        skip: 0,
        particle: false,
        candidate: false,
        seen: false,
    };
}

/// Term ids and weights of the words of one document.
pub struct Terms<'d> {
    /// By form id ([`Document::form`]).
    forms: Vec<Form>,
    /// Inverse document frequency by term id.
    idf: Vec<f32>,
    /// Tokens that may be part of a keyword.
    candidates: usize,
    table: Option<&'d LangFreq>,
}

impl<'d> Terms<'d> {
    /// Weighs the words of `doc` against the background table of its
    /// language (uniform weights when there is none).
    pub fn new(doc: &Document<'_>, df: &'d DocFreq) -> Self {
        with_kept(&BUFFERS, |b| Self::new_in(doc, df, b))
    }

    /// [`Terms::new`] with the working buffers `b`.
    fn new_in(doc: &Document<'_>, df: &'d DocFreq, b: &mut Buffers) -> Self {
        let table = df.get(doc.lang());
        let mut forms = vec![Form::UNSEEN; doc.forms()];
        // (stem hash, form id) of the weighed forms; a local vector while
        // it is filled, so that its length stays in a register.
        let mut weighed = std::mem::take(&mut b.weighed);
        weighed.clear();
        weighed.reserve(doc.forms());
        let mut candidates = 0;
        // Weighed forms whose reading without a particle is far more
        // frequent: (index in `weighed`, that reading's hash and start).
        let mut ambiguous: Vec<(usize, u64, u32)> = Vec::new();
        for t in doc.tokens() {
            let id = doc.form(t);
            let Some(f) = forms.get_mut(id) else {
                continue;
            };
            if f.seen {
                candidates += usize::from(f.candidate);
                continue;
            }
            f.seen = true;
            f.skip = t.word_start.saturating_sub(t.start);
            f.particle = t.has_particles();
            if t.kind != TokenKind::Word || t.stop {
                continue;
            }
            let stem = doc.stem(t);
            f.candidate = is_candidate_stem(stem);
            candidates += usize::from(f.candidate);
            let hash = doc.stem_hash(t);
            if let Some((alt, skip)) = table.and_then(|tb| without_particle(doc, t, hash, tb)) {
                ambiguous.push((weighed.len(), alt, skip));
            }
            weighed.push((hash, id as u32));
        }
        if !ambiguous.is_empty() {
            // That reading is taken when its stem also occurs on its own.
            // A few readings per article: scanning beats sorting first.
            let stems = stem_hashes(doc, &weighed);
            for &(k, alt, skip) in &ambiguous {
                if !stems.contains(&alt) {
                    continue;
                }
                if let Some(w) = weighed.get_mut(k) {
                    w.0 = alt;
                    if let Some(f) = forms.get_mut(w.1 as usize) {
                        f.skip = skip;
                        f.particle = true;
                    }
                }
            }
        }
        sort_by_hash(&mut weighed, &mut b.at, &mut b.spare);
        let mut idf = Vec::with_capacity(weighed.len());
        let mut last = None;
        for &(hash, id) in &weighed {
            if last != Some(hash) {
                last = Some(hash);
                idf.push(table.map_or(1.0, |tb| tb.idf(hash)));
            }
            if let Some(f) = forms.get_mut(id as usize) {
                f.term = (idf.len() - 1) as u32;
            }
        }
        b.weighed = weighed;
        Terms {
            forms,
            idf,
            candidates,
            table,
        }
    }

    /// The background table, if the document's language has one.
    pub fn table(&self) -> Option<&'d LangFreq> {
        self.table
    }

    /// Number of term ids.
    pub fn len(&self) -> usize {
        self.idf.len()
    }

    /// Whether no word is weighed.
    pub fn is_empty(&self) -> bool {
        self.idf.is_empty()
    }

    /// Term id of a token of the document, `None` when it is not weighed.
    pub fn term(&self, doc: &Document<'_>, t: &Token) -> Option<u32> {
        self.forms
            .get(doc.form(t))
            .map(|f| f.term)
            .filter(|&id| id != NO_TERM)
    }

    /// Inverse document frequency of a term id (1 without a table).
    pub fn idf(&self, term: u32) -> f32 {
        self.idf.get(term as usize).copied().unwrap_or(1.0)
    }

    /// Tokens of the document that may be part of a keyword.
    pub fn candidate_tokens(&self) -> usize {
        self.candidates
    }

    /// What is known of the form of a token.
    pub(crate) fn form(&self, doc: &Document<'_>, t: &Token) -> Form {
        self.forms.get(doc.form(t)).copied().unwrap_or(Form::UNSEEN)
    }
}

/// The working vectors of [`Terms::new`], kept by each thread from one
/// article to the next ([`with_kept`]).
#[derive(Default)]
struct Buffers {
    /// `(stem hash, form id)` of the weighed forms.
    weighed: Vec<(u64, u32)>,
    /// Bucket counts and the sorted pairs of [`sort_by_hash`].
    at: Vec<u32>,
    spare: Vec<(u64, u32)>,
}

impl Kept for Buffers {
    fn free_large(&mut self) {
        free_if_large(&mut self.weighed);
        free_if_large(&mut self.at);
        free_if_large(&mut self.spare);
    }
}

thread_local! {
    static BUFFERS: std::cell::RefCell<Buffers> = std::cell::RefCell::new(Buffers::default());
}

/// The stem hashes of every form of `doc`, given those of the weighed ones.
fn stem_hashes(doc: &Document<'_>, weighed: &[(u64, u32)]) -> Vec<u64> {
    let mut done = vec![false; doc.forms()];
    let mut out = Vec::with_capacity(doc.forms());
    for &(h, id) in weighed {
        if let Some(d) = done.get_mut(id as usize) {
            *d = true;
        }
        out.push(h);
    }
    for t in doc.tokens() {
        if let Some(d) = done.get_mut(doc.form(t)) {
            if !*d {
                *d = true;
                out.push(stem_hash(doc.stem(t)));
            }
        }
    }
    out
}

/// Arabic words starting with و ف ب ك ل and no article are ambiguous
/// (وسعر = و + سعر, but وزير and باقري are one word): the reading without
/// the particle is taken when its stem also occurs on its own in the article
/// (checked by the caller) and is far more frequent in the background. The
/// hash of that reading's stem and where its surface starts, from the
/// token's start, when it is far more frequent.
fn without_particle(
    doc: &Document<'_>,
    t: &Token,
    hash: u64,
    table: &LangFreq,
) -> Option<(u64, u32)> {
    if t.has_particles() {
        return None;
    }
    let norm = doc.norm(t);
    // و ف ب ك ل are two bytes each in UTF-8: D9 88, D9 81, D8 A8, D9 83, D9 84.
    if !matches!(
        norm.as_bytes(),
        [0xD9, 0x88 | 0x81 | 0x83 | 0x84, ..] | [0xD8, 0xA8, ..]
    ) {
        return None;
    }
    let rest = norm.get(2..)?;
    // The particle and three letters or more.
    rest.chars().nth(2)?;
    let p = arabic::proclitics(rest);
    let alt = arabic::light_stem(rest.get(p.len() * 2..).unwrap_or(rest), true);
    let alt_hash = stem_hash(alt);
    if table.df(alt_hash) <= 4 * table.df(hash) + 10 {
        return None;
    }
    // Skip the particle letter and the marks on it in the original.
    let skip = doc
        .surface(t)
        .char_indices()
        .skip(1)
        .find(|&(_, c)| !arabic::is_ignorable(c))
        .map_or(0, |(k, _)| k);
    Some((alt_hash, skip as u32))
}

/// Sorts `(hash, id)` pairs by hash. The hashes are well mixed:
/// spread over about half as many buckets as pairs by their top bits, the
/// pairs are nearly in order, and a pass of insertion sort finishes the
/// work.
/// `at` and `spare` are room for the bucket counts and the sorted pairs
/// (what they hold is not read; `spare` may end up holding the pairs as
/// given).
fn sort_by_hash(items: &mut Vec<(u64, u32)>, at: &mut Vec<u32>, spare: &mut Vec<(u64, u32)>) {
    let n = items.len();
    if n < 32 {
        items.sort_unstable();
        return;
    }
    let bits = n.next_power_of_two().trailing_zeros() - 1;
    let shift = 64 - bits;
    at.clear();
    at.resize((1usize << bits) + 1, 0);
    for &(h, _) in items.iter() {
        if let Some(c) = at.get_mut((h >> shift) as usize + 1) {
            *c += 1;
        }
    }
    for b in 1..at.len() {
        at[b] += at[b - 1];
    }
    let out = spare;
    out.clear();
    out.resize(n, (0, 0));
    for &item in items.iter() {
        if let Some(c) = at.get_mut((item.0 >> shift) as usize) {
            if let Some(slot) = out.get_mut(*c as usize) {
                *slot = item;
            }
            *c += 1;
        }
    }
    for i in 1..n {
        let mut j = i;
        while j > 0 && out[j - 1].0 > out[j].0 {
            out.swap(j - 1, j);
            j -= 1;
        }
    }
    std::mem::swap(items, out);
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn table() -> DocFreq {
        DocFreq {
            ar: LangFreq::new(
                1000,
                vec![("سعر".to_string(), 300), ("قال".to_string(), 900)],
            ),
            ..DocFreq::default()
        }
    }

    #[test]
    fn forms_of_one_stem_share_a_term() {
        let doc = Document::new("", "Talks resumed. The talks and the talk went on.", "en");
        let df = DocFreq::default();
        let terms = Terms::new(&doc, &df);
        let ids: Vec<Option<u32>> = doc.tokens().iter().map(|t| terms.term(&doc, t)).collect();
        let talk: Vec<Option<u32>> = doc
            .tokens()
            .iter()
            .zip(&ids)
            .filter(|(t, _)| doc.norm(t).starts_with("talk"))
            .map(|(_, id)| *id)
            .collect();
        assert_eq!(talk.len(), 3);
        assert!(talk[0].is_some() && talk.iter().all(|id| *id == talk[0]));
        // Stop words are not weighed.
        let the = doc.tokens().iter().find(|t| doc.norm(t) == "the");
        assert_eq!(the.and_then(|t| terms.term(&doc, t)), None);
        assert!(terms.len() < doc.forms());
        assert_eq!(terms.idf(0), 1.0);
    }

    #[test]
    fn particle_reading_needs_the_bare_stem_in_the_article() {
        let df = table();
        let both = Document::new("", "ارتفع سعر النفط. وسعر الذهب ثابت.", "ar");
        let terms = Terms::new(&both, &df);
        let term_of = |doc: &Document<'_>, terms: &Terms<'_>, w: &str| {
            doc.tokens()
                .iter()
                .find(|t| doc.surface(t) == w)
                .and_then(|t| terms.term(doc, t))
        };
        assert_eq!(
            term_of(&both, &terms, "سعر"),
            term_of(&both, &terms, "وسعر")
        );
        let alone = Document::new("", "وسعر الذهب ثابت.", "ar");
        let terms = Terms::new(&alone, &df);
        let t = alone.tokens().iter().find(|t| alone.surface(t) == "وسعر");
        assert!(t.is_some_and(|t| !terms.form(&alone, t).particle));
    }

    /// Everything the terms say about the tokens of `doc`.
    fn readout(doc: &Document<'_>, terms: &Terms<'_>) -> Vec<String> {
        let mut out: Vec<String> = doc
            .tokens()
            .iter()
            .map(|t| {
                let f = terms.form(doc, t);
                let term = terms.term(doc, t);
                let idf = term.map(|id| terms.idf(id));
                format!("{term:?} {idf:?} {} {} {}", f.skip, f.particle, f.candidate)
            })
            .collect();
        out.push(format!("{} {}", terms.len(), terms.candidate_tokens()));
        out
    }

    #[test]
    fn reused_buffers_give_what_fresh_ones_give() {
        let texts: Vec<(String, &str)> = [
            (
                "ارتفع سعر النفط. وسعر الذهب ثابت. وقال الوزير إن السعر مرتفع.",
                "ar",
            ),
            ("Talks resumed. The talks and the talk went on.", "en"),
            ("", "en"),
        ]
        .iter()
        .map(|&(b, l)| (b.to_string(), l))
        .chain(
            crate::enrich::fixture_texts()
                .into_iter()
                .map(|b| (b, "und")),
        )
        .collect();
        // Each on a thread of its own, in fresh buffers.
        let want: Vec<Vec<String>> = texts
            .iter()
            .map(|(b, l)| {
                let (b, l) = (b.clone(), *l);
                std::thread::spawn(move || {
                    let doc = Document::new("", &b, l);
                    readout(&doc, &Terms::new(&doc, &table()))
                })
                .join()
                .expect("terms on a fresh thread")
            })
            .collect();
        let df = table();
        let docs: Vec<Document<'_>> = texts.iter().map(|(b, l)| Document::new("", b, l)).collect();
        // One after another, each in buffers the others left, in both
        // orders.
        let order = (0..docs.len()).chain((0..docs.len()).rev());
        for k in order {
            assert_eq!(
                readout(&docs[k], &Terms::new(&docs[k], &df)),
                want[k],
                "{k}"
            );
        }
    }

    #[test]
    fn documents_keep_the_stem_hashes_of_weighed_words() {
        let words = ["والاتفاقية", "الحكومةُ", "وفي", "Talks", "the", "agreements"];
        let table = crate::enrich::text::forms::FormTable::new(
            words.iter().map(|w| (crate::enrich::text::Lang::Ar, *w)),
        );
        let body = "والاتفاقية الحكومةُ وفي Talks the agreements وزير 12 والاتفاقية";
        for with in [Some(&table), None] {
            let doc = Document::with_forms("Talks", body, crate::enrich::text::Lang::Ar, with);
            assert_eq!(doc.stem_hashes().len(), doc.forms());
            for t in doc.tokens() {
                let want = if t.kind == TokenKind::Word && !t.stop {
                    stem_hash(doc.stem(t))
                } else {
                    0
                };
                assert_eq!(doc.stem_hash(t), want, "{}", doc.surface(t));
            }
        }
    }

    proptest! {
        #[test]
        fn hash_order_is_sorted_order(mut v in proptest::collection::vec((any::<u64>(), any::<u32>()), 0..300)) {
            let mut want = v.clone();
            want.sort_by_key(|p| p.0);
            let mut again = v.clone();
            sort_by_hash(&mut v, &mut Vec::new(), &mut Vec::new());
            prop_assert_eq!(&v, &want);
            // Buffers left holding another sort's values.
            sort_by_hash(&mut again, &mut vec![7; 600], &mut vec![(1, 1); 9]);
            prop_assert_eq!(again, want);
        }

        #[test]
        fn never_panics(title in "\\PC{0,30}", body in "\\PC{0,300}", code in "(ar|en|fr|und)") {
            let doc = Document::new(&title, &body, &code);
            let df = table();
            let terms = Terms::new(&doc, &df);
            for t in doc.tokens() {
                if let Some(id) = terms.term(&doc, t) {
                    prop_assert!((id as usize) < terms.len());
                    prop_assert!(terms.idf(id) > 0.0);
                }
            }
            prop_assert!(terms.candidate_tokens() <= doc.tokens().len());
        }
    }
}
