//! Named entities.
//!
//! [`tagger::Tagger`] is the statistical tagger (features in [`features`]):
//! `Tagger::load(models_dir)` reads `entities-ar.bin` and `entities-latn.bin`;
//! `tag(&[&str], lang)` or `tag_ranges(text, &[Range<usize>], lang)` return
//! [`tagger::TaggedSpan`]s (token index range and
//! [`crate::model::record::EntityType`]) in order, never overlapping.

pub mod canonical;
pub mod features;
pub mod patterns;
pub mod tagger;
pub mod weights;

use std::path::Path;

use crate::enrich::places::{self, Gazetteer, PlaceMention};
use crate::enrich::text::{arabic, Document, Lang, Token};
use crate::enrich::LoadError;
use crate::model::record::{Entity, EntityType, Field, Place, Span};
use canonical::{Layout, Mention, Source};
use patterns::Patterns;

/// Entities and places of one article.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Found {
    pub entities: Vec<Entity>,
    pub places: Vec<Place>,
}

/// The statistical tagger, the rule patterns and the assembly of both with the
/// gazetteer's places: union of the three sources; on overlap a rule match
/// (persons after titles, institutions) wins, then the span with more tokens,
/// then the gazetteer.
#[derive(Debug)]
pub struct Recogniser {
    tagger: tagger::Tagger,
    patterns: Patterns,
}

impl Recogniser {
    /// Loads the tagger models from `models_dir`.
    pub fn load(models_dir: &Path) -> Result<Self, LoadError> {
        Ok(Self::new(tagger::Tagger::load(models_dir)?))
    }

    pub fn new(tagger: tagger::Tagger) -> Self {
        Recogniser {
            tagger,
            patterns: Patterns::new(),
        }
    }

    pub fn tagger_version(&self) -> String {
        self.tagger.version()
    }

    /// Entities and places of a tokenised article.
    pub fn analyse(
        &self,
        doc: &Document<'_>,
        gazetteer: &Gazetteer,
        lang: &str,
        options: places::Options,
    ) -> Found {
        let fields = [Field::Title, Field::Body];
        let tokens_of = |field: Field| match field {
            Field::Title => doc.title_tokens(),
            Field::Body => doc.body_tokens(),
        };
        let mut tagged: Vec<Mention> = Vec::new();
        for field in fields {
            let toks = tokens_of(field);
            let text = doc.text(field);
            let ranges: Vec<std::ops::Range<usize>> = toks.iter().map(Token::range).collect();
            for s in self.tagger.tag_ranges(text, &ranges, lang) {
                if let Some(m) = mention(doc, toks, s.start..s.end, s.kind, Source::Tagger) {
                    tagged.push(m);
                }
            }
        }
        // A name that is also an ordinary word or a given name is a place only
        // where the tagger reads a location.
        let mut place_mentions = gazetteer.mentions(doc.title(), doc.body(), lang);
        place_mentions.retain(|pm| {
            !pm.needs_confirmation
                || tagged
                    .iter()
                    .any(|t| t.kind == EntityType::Location && overlaps(&t.span, &pm.span))
        });
        let forms = self.patterns.forms(doc);
        let mut candidates: Vec<Mention> = Vec::with_capacity(tagged.len() * 2 + 8);
        // The tagger's mentions are in field order: the title's, then the body's.
        let mut tagged = tagged.into_iter().peekable();
        for field in fields {
            let toks = tokens_of(field);
            // Token spans are in text order and never overlap, so the tokens
            // a span overlaps are one run, found by binary search.
            let spans = token_spans(doc, field, toks);
            let overlapped = |span: &Span| {
                let lo = spans.partition_point(|s| s.end <= span.start);
                let hi = spans.partition_point(|s| s.start < span.end);
                lo..hi.max(lo)
            };
            let mut in_place = vec![false; toks.len()];
            for pm in place_mentions.iter().filter(|m| m.span.field == field) {
                if let Some(run) = in_place.get_mut(overlapped(&pm.span)) {
                    run.fill(true);
                }
            }
            for p in self.patterns.find(doc, toks, &in_place, &forms) {
                if let Some(m) = mention(doc, toks, p.tokens, p.kind, Source::Pattern) {
                    candidates.push(m);
                }
            }
            while let Some(m) = tagged.next_if(|m| m.span.field == field) {
                candidates.push(m);
            }
            for pm in place_mentions
                .iter()
                .filter(|m| m.span.field == field && !m.demonym)
            {
                let tokens = overlapped(&pm.span).len().max(1);
                candidates.push(Mention {
                    span: pm.span,
                    tokens,
                    kind: EntityType::Location,
                    source: Source::Gazetteer,
                    text: pm.surface.clone(),
                    key: places::fold::fold_key(&pm.surface),
                    place: Some(pm.place),
                });
            }
        }

        // Conflicts: rules first, then more tokens, then the gazetteer (the
        // order sorted once by key, candidates taken in it).
        let mut order: Vec<ConflictKey> = candidates
            .iter()
            .enumerate()
            .map(|(i, c)| {
                (
                    c.source != Source::Pattern,
                    std::cmp::Reverse(c.tokens),
                    std::cmp::Reverse(c.source),
                    c.span.field == Field::Body,
                    c.span.start,
                    i,
                )
            })
            .collect();
        order.sort_unstable();
        let mut slots: Vec<Option<Mention>> = candidates.into_iter().map(Some).collect();
        let mut kept: Vec<Mention> = Vec::new();
        let mut covered = Coverage::new(doc);
        for i in order.into_iter().map(|o| o.5) {
            let Some(c) = slots.get_mut(i).and_then(Option::take) else {
                continue;
            };
            let taken = covered
                .overlaps(&c.span)
                .unwrap_or_else(|| kept.iter().any(|k| overlaps(&k.span, &c.span)));
            if !taken {
                covered.add(&c.span);
                kept.push(c);
            }
        }
        self.propagate_persons(doc, &mut kept);

        // A place name inside a person's name is not a mention of the place.
        let mut persons = Coverage::new(doc);
        for k in kept.iter().filter(|k| k.kind == EntityType::Person) {
            persons.add(&k.span);
        }
        let place_mentions: Vec<PlaceMention> = place_mentions
            .into_iter()
            .filter(|pm| {
                !persons.overlaps(&pm.span).unwrap_or_else(|| {
                    kept.iter()
                        .any(|k| k.kind == EntityType::Person && overlaps(&k.span, &pm.span))
                })
            })
            .collect();
        let (places, _) = gazetteer.summarise(&place_mentions, lang, options);

        let lead_end = doc
            .sentences()
            .first()
            .map_or(0, |s| doc.char_offset(Field::Body, s.end as usize));
        let layout = Layout {
            body_chars: doc.body_chars(),
            lead_end,
        };
        let entities = canonical::entities(kept, layout, &|p| gazetteer.name(p, lang));
        Found { entities, places }
    }

    /// Bare mentions of the last word of a person's full name (الأسد after
    /// بشار الأسد, Macron after Emmanuel Macron) that no source tagged.
    fn propagate_persons(&self, doc: &Document<'_>, kept: &mut Vec<Mention>) {
        let mut tails: Vec<String> = Vec::new();
        for m in kept
            .iter()
            .filter(|m| m.kind == EntityType::Person && m.tokens > 1)
        {
            if let Some(last) = m.key.rsplit(' ').next() {
                if last.chars().count() >= 3 && !tails.iter().any(|t| t == last) {
                    tails.push(last.to_string());
                }
            }
        }
        if tails.is_empty() {
            return;
        }
        for field in [Field::Title, Field::Body] {
            let toks = match field {
                Field::Title => doc.title_tokens(),
                Field::Body => doc.body_tokens(),
            };
            for (i, t) in toks.iter().enumerate() {
                let norm = doc.norm(t);
                let arabic_word = norm.starts_with(|c: char| arabic::is_arabic_letter(c));
                if t.stop || (!arabic_word && !doc.surface(t).starts_with(char::is_uppercase)) {
                    continue;
                }
                // A reading without bare particles (لباقري → باقري), or the
                // word after particles and article (للأسد → الأسد).
                let (found, particles) = if arabic_word {
                    match arabic::proclitic_readings(norm).find(|r| tails.iter().any(|x| x == r)) {
                        Some(r) => (true, norm.chars().count() - r.chars().count()),
                        None => {
                            let base = doc.base(t);
                            let with_article = arabic::proclitics(norm).article > 0
                                && tails.iter().any(|x| x.strip_prefix("ال") == Some(base));
                            (with_article, 0)
                        }
                    }
                } else {
                    (tails.iter().any(|x| x == norm), 0)
                };
                if !found {
                    continue;
                }
                let Some(mut m) =
                    mention(doc, toks, i..i + 1, EntityType::Person, Source::Propagated)
                else {
                    continue;
                };
                if particles > 0 && doc.surface_word(t) == doc.surface(t) {
                    let cut = m
                        .text
                        .char_indices()
                        .filter(|(_, c)| !arabic::is_ignorable(*c))
                        .nth(particles)
                        .map_or(0, |(i, _)| i);
                    m.span.start += m.text[..cut].chars().count();
                    m.text = m.text[cut..].to_string();
                    m.key = places::fold::fold_key(&m.text);
                }
                if !kept.iter().any(|k| overlaps(&k.span, &m.span)) {
                    kept.push(m);
                }
            }
        }
    }
}

/// The record spans of one field's tokens (what [`Document::token_span`]
/// gives), counting code points once along the field.
fn token_spans(doc: &Document<'_>, field: Field, toks: &[Token]) -> Vec<Span> {
    let bytes = doc.text(field).as_bytes();
    let (mut pos, mut chars) = (0usize, 0usize);
    let mut offset = |b: usize| {
        let b = b.min(bytes.len());
        match bytes.get(pos..b) {
            Some(run) => {
                // Code points start at every byte but continuation bytes.
                chars += run.iter().filter(|&&c| (c as i8) >= -0x40).count();
                pos = b;
                chars
            }
            None => doc.char_offset(field, b),
        }
    };
    toks.iter()
        .map(|t| Span {
            field,
            start: offset(t.start as usize),
            end: offset(t.end as usize),
        })
        .collect()
}

/// The order in which candidate mentions claim their text: rule matches
/// first, then more tokens, then the later source, title first, leftmost,
/// then the candidate's index.
type ConflictKey = (
    bool,
    std::cmp::Reverse<usize>,
    std::cmp::Reverse<Source>,
    bool,
    usize,
    usize,
);

/// The code points of each field that a set of spans covers, to tell in
/// the length of a span whether it overlaps one of them.
struct Coverage {
    title: Vec<bool>,
    body: Vec<bool>,
    /// A span was empty or out of the fields: the bitmaps cannot tell.
    unknown: bool,
}

impl Coverage {
    fn new(doc: &Document<'_>) -> Self {
        let title_chars = doc.char_offset(Field::Title, doc.title().len());
        Coverage {
            title: vec![false; title_chars],
            body: vec![false; doc.body_chars()],
            unknown: false,
        }
    }

    fn cells(&mut self, span: &Span) -> Option<&mut [bool]> {
        let field = match span.field {
            Field::Title => &mut self.title,
            Field::Body => &mut self.body,
        };
        field
            .get_mut(span.start..span.end)
            .filter(|cells| !cells.is_empty())
    }

    /// Whether `span` overlaps a span added so far; `None` when the
    /// bitmaps cannot tell (compare the spans themselves).
    fn overlaps(&mut self, span: &Span) -> Option<bool> {
        if self.unknown {
            return None;
        }
        self.cells(span).map(|cells| cells.contains(&true))
    }

    fn add(&mut self, span: &Span) {
        match self.cells(span) {
            Some(cells) => cells.fill(true),
            None => self.unknown = true,
        }
    }
}

fn overlaps(a: &Span, b: &Span) -> bool {
    a.field == b.field && a.start < b.end && b.start < a.end
}

/// The mention of tokens `range` of one field: from the first token's word
/// (after particles that precede the article) to the end of the last one.
fn mention(
    doc: &Document<'_>,
    toks: &[Token],
    range: std::ops::Range<usize>,
    kind: EntityType,
    source: Source,
) -> Option<Mention> {
    let mut range = range;
    if doc.lang() != Lang::Ar {
        // Articles and prepositions at the edges are not part of a name (the
        // tagger's "de Vénissieux", "La", "the European Union").
        let weak = |i: usize| {
            toks.get(i)
                .is_some_and(|t| is_function_word(doc.surface(t)))
        };
        while !range.is_empty() && weak(range.start) {
            range.start += 1;
        }
        while !range.is_empty() && weak(range.end - 1) {
            range.end -= 1;
        }
    }
    if range.is_empty() {
        return None;
    }
    let first = toks.get(range.start)?;
    let last = toks.get(range.end.checked_sub(1)?)?;
    let field = first.field;
    let (bs, be) = (first.word_start as usize, last.end as usize);
    let raw = doc.text(field).get(bs..be)?;
    let contracted = arabic::proclitics(doc.norm(first)).article == 1;
    // The text with white-space runs made one space, and a contracted
    // article's alef restored.
    let mut text = String::with_capacity(raw.len() + 2);
    if contracted && raw.starts_with('ل') {
        text.push('ا');
    }
    for (i, w) in raw.split_whitespace().enumerate() {
        if i > 0 {
            text.push(' ');
        }
        text.push_str(w);
    }
    let key = places::fold::fold_key(&text);
    if key.is_empty() {
        return None;
    }
    Some(Mention {
        span: doc.span(field, bs, be),
        tokens: range.len(),
        kind,
        source,
        text,
        key,
        place: None,
    })
}

/// English and French articles, determiners, prepositions and conjunctions
/// (with elided forms such as `l'`), which never begin or end a name.
fn is_function_word(surface: &str) -> bool {
    const WORDS: [&str; 34] = [
        "the", "a", "an", "of", "in", "on", "at", "for", "to", "from", "by", "and", "this", "that",
        "le", "la", "les", "l", "de", "du", "des", "d", "un", "une", "au", "aux", "en", "à", "et",
        "ce", "cette", "ces", "sur", "dans",
    ];
    let word = surface.trim_end_matches(['\'', '’']);
    word.len() <= 6
        && WORDS
            .iter()
            .any(|w| w.eq_ignore_ascii_case(word) || (*w == "à" && word == "À"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::enrich::Enrichers;
    use std::sync::OnceLock;

    fn loaded() -> &'static (Gazetteer, Recogniser) {
        static L: OnceLock<(Gazetteer, Recogniser)> = OnceLock::new();
        L.get_or_init(|| {
            let dir = Enrichers::bundled_models_dir();
            match (Gazetteer::load(&dir), Recogniser::load(&dir)) {
                (Ok(g), Ok(r)) => (g, r),
                (Err(e), _) | (_, Err(e)) => panic!("bundled models: {e}"),
            }
        })
    }

    fn analyse(title: &str, body: &str, lang: &str) -> Found {
        let (g, r) = loaded();
        let doc = Document::new(title, body, lang);
        r.analyse(&doc, g, lang, places::Options::default())
    }

    /// Title line, then body, as the fixture files are written.
    fn fixture(name: &str) -> (String, String) {
        let path = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/assembly")
            .join(name);
        let text =
            std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let (title, body) = text.split_once('\n').unwrap_or(("", &text));
        (title.to_string(), body.to_string())
    }

    fn entity<'a>(f: &'a Found, kind: EntityType, canonical: &str) -> Option<&'a Entity> {
        f.entities
            .iter()
            .find(|e| e.kind == kind && e.canonical == canonical)
    }

    fn has_place(f: &Found, name: &str, code: &str) -> bool {
        f.places
            .iter()
            .any(|p| p.name == name && p.country_code == code)
    }

    /// Spans point at the entity's words in the original text.
    fn check_spans(f: &Found, title: &str, body: &str) {
        for e in &f.entities {
            for s in &e.spans {
                let text = match s.field {
                    Field::Title => title,
                    Field::Body => body,
                };
                let got: String = text.chars().skip(s.start).take(s.end - s.start).collect();
                assert!(!got.is_empty() && !got.starts_with(' '), "{e:?}");
            }
            assert!((0.0..=1.0).contains(&e.salience), "{e:?}");
        }
    }

    #[test]
    fn golden_arabic_article() {
        let (title, body) = fixture("ar.txt");
        let f = analyse(&title, &body, "ar");
        check_spans(&f, &title, &body);
        let faisal = entity(&f, EntityType::Person, "فيصل بن فرحان");
        assert!(faisal.is_some_and(|e| e.mentions >= 2), "{:#?}", f.entities);
        assert!(
            entity(&f, EntityType::Person, "ميشال عون").is_some(),
            "{:#?}",
            f.entities
        );
        assert!(entity(&f, EntityType::Organization, "مجلس الأمن الدولي").is_some());
        for (name, code) in [
            ("لبنان", "LB"),
            ("بيروت", "LB"),
            ("طرابلس", "LB"),
            ("الرياض", "SA"),
        ] {
            assert!(has_place(&f, name, code), "{name}: {:#?}", f.places);
        }
        assert!(f
            .places
            .iter()
            .any(|p| p.country_code == "SA" && p.kind == "country"));
    }

    #[test]
    fn ordinary_words_that_name_towns_are_not_places() {
        // دينار (a town in Turkey), سليمان (in Tunisia), March (in England):
        // here a currency, a given name and a month.
        let f = analyse(
            "",
            "بلغت كلفة المشروع 85 مليون دينار أردني، وقال المهندس سليمان الخطيب إن العمل سينتهي في عمان خلال عامين.",
            "ar",
        );
        let codes: Vec<&str> = f.places.iter().map(|p| p.country_code.as_str()).collect();
        assert!(
            !codes.contains(&"TR") && !codes.contains(&"TN"),
            "{:#?}",
            f.places
        );
        let f = analyse(
            "",
            "The central bank in Nairobi raised its rate in March, Kenya's finance ministry said.",
            "en",
        );
        let codes: Vec<&str> = f.places.iter().map(|p| p.country_code.as_str()).collect();
        assert_eq!(codes, ["KE", "KE"], "{:#?}", f.places);
    }

    #[test]
    fn function_words_do_not_begin_or_end_names() {
        assert!(is_function_word("La") && is_function_word("l'") && is_function_word("d’"));
        assert!(!is_function_word("Lyon") && !is_function_word("US"));
        let f = analyse(
            "",
            "Le maire de Vénissieux a rencontré le préfet. La ville de Vénissieux attend le tramway.",
            "fr",
        );
        for e in &f.entities {
            let first = e.text.split_whitespace().next().unwrap_or("");
            assert!(!is_function_word(first), "{:#?}", f.entities);
        }
    }

    #[test]
    fn golden_english_article() {
        let (title, body) = fixture("en.txt");
        let f = analyse(&title, &body, "en");
        check_spans(&f, &title, &body);
        let macron = entity(&f, EntityType::Person, "Emmanuel Macron");
        assert!(macron.is_some_and(|e| e.mentions >= 3), "{:#?}", f.entities);
        assert_eq!(f.entities[0].canonical, "Emmanuel Macron");
        for org in ["United Nations", "World Bank"] {
            assert!(entity(&f, EntityType::Organization, org).is_some(), "{org}");
        }
        for (name, code) in [
            ("Lebanon", "LB"),
            ("Beirut", "LB"),
            ("Tripoli", "LB"),
            ("Paris", "FR"),
            ("France", "FR"),
        ] {
            assert!(has_place(&f, name, code), "{name}: {:#?}", f.places);
        }
    }

    #[test]
    fn golden_french_article() {
        let (title, body) = fixture("fr.txt");
        let f = analyse(&title, &body, "fr");
        check_spans(&f, &title, &body);
        let assad = entity(&f, EntityType::Person, "Bachar al-Assad");
        assert!(assad.is_some_and(|e| e.mentions >= 2), "{:#?}", f.entities);
        assert!(
            entity(&f, EntityType::Person, "Ebrahim Raïssi").is_some(),
            "{:#?}",
            f.entities
        );
        assert!(has_place(&f, "Damas", "SY"), "{:#?}", f.places);
        assert!(f
            .places
            .iter()
            .any(|p| p.country_code == "IR" && p.mentions >= 2));
    }

    #[test]
    fn seed_article_when_available() {
        let path =
            Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/seed/000_992054940200dc08.txt");
        let Ok(text) = std::fs::read_to_string(path) else {
            return;
        };
        let f = analyse("", &text, "ar");
        check_spans(&f, "", &text);
        for p in ["بشار الأسد", "محمد باقري", "علي عبد الله أيوب"] {
            assert!(
                entity(&f, EntityType::Person, p).is_some(),
                "{p}: {:#?}",
                f.entities
            );
        }
        let assad = entity(&f, EntityType::Person, "بشار الأسد");
        assert!(assad.is_some_and(|e| e.mentions >= 5));
        for o in [
            "الحرس الثوري الإيراني",
            "التلفزيون الرسمي الإيراني",
            "هيئة الأركان العامة للقوات المسلحة الايرانية",
        ] {
            assert!(
                entity(&f, EntityType::Organization, o).is_some(),
                "{o}: {:#?}",
                f.entities
            );
        }
        for (name, code) in [
            ("سوريا", "SY"),
            ("دمشق", "SY"),
            ("إيران", "IR"),
            ("طهران", "IR"),
            ("تل أبيب", "IL"),
        ] {
            assert!(has_place(&f, name, code), "{name}: {:#?}", f.places);
        }
    }

    proptest::proptest! {
        #[test]
        fn analyse_never_panics(title in "\\PC{0,30}", body in "(\\PC|[ الرئيسبشارو،.\\-])*") {
            let f = analyse(&title, &body, "ar");
            check_spans(&f, &title, &body);
            let f = analyse(&title, &body, "en");
            check_spans(&f, &title, &body);
        }
    }
}
