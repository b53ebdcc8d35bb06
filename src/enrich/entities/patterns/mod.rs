//! Rule-based persons and institutions the statistical tagger tends to miss
//! in Arabic news: names after titles and roles (الرئيس، اللواء، وزير الدفاع …),
//! institutions opened by a head word (وزارة، هيئة، الحرس، التلفزيون …) with
//! their modifiers, and institutions known by name.
//!
//! The word lists live in `resources/entities/` and are normalised by the
//! text layer, like the article, so a list entry matches whatever spelling
//! variant and proclitic the article uses (واللواء, للحرس).

use std::ops::Range;

use crate::enrich::text::hash::{FxHashMap, FxHashSet};
use crate::enrich::text::{arabic, Document, Token, TokenKind};
use crate::model::record::EntityType;

mod forms;
mod lexicon;

pub use forms::Forms;
use forms::{
    WordInfo, ARABIC_WORD, CONJUNCTION, HEAD, HEADS_LIST, INSTITUTIONS_LIST, NON_NAME,
    NON_NAME_NORM, ROLE, ROLES_LIST, TITLES_LIST,
};
use lexicon::{strip_article, Lexicon};

const TITLES: &str = include_str!("../../../../resources/entities/titles.txt");
const ROLES: &str = include_str!("../../../../resources/entities/roles.txt");
const NON_NAMES: &str = include_str!("../../../../resources/entities/nonnames.txt");
const ORG_HEADS: &str = include_str!("../../../../resources/entities/org_heads.txt");
const INSTITUTIONS: &str = include_str!("../../../../resources/entities/institutions.txt");

/// Most name tokens taken after a title (عبد الله counts as one).
const MAX_NAME_UNITS: usize = 3;
/// Most words skipped between a title and the name.
const MAX_SKIP: usize = 7;
/// Most modifiers after an institution's head word.
const MAX_MODIFIERS: usize = 6;

/// Name particles that join the next word into one unit (عبد الله، أبو بكر).
const JOINERS: [&str; 7] = ["عبد", "ابو", "ابي", "ابن", "بن", "بنت", "ال"];
/// Latin particles allowed inside a name (never at its end).
const LATIN_PARTICLES: [&str; 9] = ["de", "da", "del", "van", "von", "bin", "al", "el", "ben"];

/// A matched span over one field's tokens.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PatternSpan {
    /// Token indices into the field's token slice.
    pub tokens: Range<usize>,
    pub kind: EntityType,
}

/// Whether anything but white space separates two tokens (punctuation ends a name).
pub fn gap(doc: &Document<'_>, a: &Token, b: &Token) -> bool {
    doc.text(a.field)
        .get(a.end as usize..b.start as usize)
        .is_none_or(|g| g.chars().any(|c| !c.is_whitespace()))
}

fn is_arabic_word(doc: &Document<'_>, t: &Token) -> bool {
    t.kind == TokenKind::Word
        && doc
            .norm(t)
            .starts_with(|c: char| arabic::is_arabic_letter(c))
}

/// Carries the article, after any particles (الأسد, والأسد, للحرس).
pub fn is_definite(doc: &Document<'_>, t: &Token) -> bool {
    let norm = doc.norm(t);
    norm.starts_with("ال") && norm.chars().count() > 3 || arabic::proclitics(norm).article > 0
}

/// Arabic word with the conjunction و glued to a word that cannot continue a
/// name (واللواء, ورئيس, والوفد).
fn conjunction_prefixed(doc: &Document<'_>, t: &Token, p: &Patterns) -> bool {
    let norm = doc.norm(t);
    let Some(rest) = norm.strip_prefix('و').or_else(|| norm.strip_prefix('ف')) else {
        return false;
    };
    rest.starts_with("ال")
        || p.word(strip_article(rest))
            .is_some_and(|w| w.lists[TITLES_LIST].0 < w.lists[TITLES_LIST].1)
        || p.word(rest).is_some_and(|w| w.non_name)
}

/// Nisba-shaped Arabic adjective (السوري، الإيرانية، التنفيذي).
fn nisba_like(doc: &Document<'_>, t: &Token) -> bool {
    let base = doc.base(t);
    base.ends_with('ي') || base.ends_with("يه") || base.ends_with("يين") || base.ends_with("يون")
}

/// Indefinite accusative with its alef (مؤتمرا، اتفاقا): a noun, not a name.
fn accusative(doc: &Document<'_>, t: &Token) -> bool {
    let norm = doc.norm(t);
    norm.chars().count() >= 4 && norm.ends_with('ا') && !norm.ends_with("اا")
}

/// Capitalised, or a lower-case particle joined to a capitalised name (al-Assad).
fn capitalised(doc: &Document<'_>, t: &Token) -> bool {
    let w = doc.surface_word(t);
    w.chars().next().is_some_and(char::is_uppercase)
        || w.split_once('-')
            .is_some_and(|(p, rest)| p.len() <= 3 && rest.starts_with(char::is_uppercase))
}

/// The rule lists, built once.
#[derive(Debug)]
pub struct Patterns {
    titles: Lexicon,
    roles: Lexicon,
    heads: Lexicon,
    institutions: Lexicon,
    /// Every word of the lists, looked up once per key.
    words: FxHashMap<Box<str>, WordInfo>,
    pool: Vec<usize>,
}

impl Default for Patterns {
    fn default() -> Self {
        Self::new()
    }
}

impl Patterns {
    pub fn new() -> Self {
        let non_names: FxHashSet<String> = Lexicon::new(NON_NAMES)
            .entries
            .into_iter()
            .filter(|e| e.len() == 1)
            .flatten()
            .collect();
        let mut p = Patterns {
            titles: Lexicon::new(TITLES),
            roles: Lexicon::new(ROLES),
            heads: Lexicon::new(ORG_HEADS),
            institutions: Lexicon::new(INSTITUTIONS),
            words: FxHashMap::default(),
            pool: Vec::new(),
        };
        let mut words: FxHashMap<Box<str>, WordInfo> = FxHashMap::default();
        let mut pool = Vec::new();
        for (list, lex) in [
            (TITLES_LIST, &p.titles),
            (INSTITUTIONS_LIST, &p.institutions),
            (HEADS_LIST, &p.heads),
            (ROLES_LIST, &p.roles),
        ] {
            for (key, entries) in &lex.by_first {
                let start = pool.len() as u32;
                pool.extend_from_slice(entries);
                let info = words.entry(key.as_str().into()).or_default();
                info.lists[list] = (start, pool.len() as u32);
            }
        }
        for w in non_names {
            words.entry(w.into_boxed_str()).or_default().non_name = true;
        }
        p.words = words;
        p.pool = pool;
        p
    }

    fn non_name(&self, doc: &Document<'_>, t: &Token) -> bool {
        // علي (Ali) folds like the preposition على; the spelling tells them apart.
        if doc.norm(t) == "علي" && !doc.surface(t).contains('ى') {
            return false;
        }
        t.stop
            || t.kind != TokenKind::Word
            || self.word(doc.norm(t)).is_some_and(|w| w.non_name)
            || self.word(doc.base(t)).is_some_and(|w| w.non_name)
    }

    /// Persons after titles and institutions in one field's tokens.
    /// `place_tokens[i]` marks tokens inside a gazetteer name or adjective;
    /// `forms` is [`Patterns::forms`] of `doc`.
    pub fn find(
        &self,
        doc: &Document<'_>,
        toks: &[Token],
        place_tokens: &[bool],
        forms: &Forms,
    ) -> Vec<PatternSpan> {
        let mut out = Vec::new();
        let is_place = |i: usize| place_tokens.get(i).copied().unwrap_or(false);
        // The title starting at each token, looked up once.
        let titles: Vec<Option<usize>> = toks
            .iter()
            .enumerate()
            .map(|(i, t)| self.titles.longest_at(doc, toks, i, forms.titles(doc, t)))
            .collect();
        let title_at = |i: usize| titles.get(i).copied().flatten();
        let mut i = 0;
        while i < toks.len() {
            let inst = toks
                .get(i)
                .map(|t| forms.institutions(doc, t))
                .unwrap_or_default();
            if let Some(n) = self.institutions.longest_at(doc, toks, i, inst) {
                out.push(PatternSpan {
                    tokens: i..i + n,
                    kind: EntityType::Organization,
                });
                i += n;
                continue;
            }
            if let Some(end) = self.institution_at(doc, toks, i, &title_at, forms) {
                out.push(PatternSpan {
                    tokens: i..end,
                    kind: EntityType::Organization,
                });
                i = end;
                continue;
            }
            if let Some(n) = title_at(i) {
                if let Some(name) = self.name_after(doc, toks, i + n, &is_place, &title_at, forms) {
                    out.push(PatternSpan {
                        tokens: name.clone(),
                        kind: EntityType::Person,
                    });
                }
                // The title's own words may open an institution (رئيس هيئة الأركان).
                i += 1;
                continue;
            }
            i += 1;
        }
        out
    }

    /// End of an institution opened by a head word at `i` (at least one modifier).
    fn institution_at(
        &self,
        doc: &Document<'_>,
        toks: &[Token],
        i: usize,
        title_at: &dyn Fn(usize) -> Option<usize>,
        forms: &Forms,
    ) -> Option<usize> {
        let head = toks.get(i)?;
        if !forms.has(self, doc, head, ARABIC_WORD) || !forms.has(self, doc, head, HEAD) {
            return None;
        }
        let mut j = i + 1;
        while j < toks.len() && j - i <= MAX_MODIFIERS {
            let t = &toks[j];
            if gap(doc, &toks[j - 1], t)
                || !forms.has(self, doc, t, ARABIC_WORD)
                || !is_definite(doc, t)
                || forms.has(self, doc, t, NON_NAME_NORM)
                || title_at(j).is_some()
                || forms.has(self, doc, t, CONJUNCTION)
            {
                break;
            }
            j += 1;
        }
        (j > i + 1).then_some(j)
    }

    /// The name tokens after a title ending before `start`.
    fn name_after(
        &self,
        doc: &Document<'_>,
        toks: &[Token],
        start: usize,
        is_place: &dyn Fn(usize) -> bool,
        title_at: &dyn Fn(usize) -> Option<usize>,
        forms: &Forms,
    ) -> Option<Range<usize>> {
        let arabic = toks
            .get(start)
            .is_some_and(|t| forms.has(self, doc, t, ARABIC_WORD));
        // Skip the office, its country and qualifiers.
        let mut j = start;
        let mut last_skipped: Option<usize> = None;
        while j < toks.len() && j - start < MAX_SKIP {
            if j > 0 && gap(doc, &toks[j - 1], &toks[j]) {
                break;
            }
            let t = &toks[j];
            if let Some(n) = title_at(j) {
                j += n;
                last_skipped = None;
                continue;
            }
            let skip = if arabic {
                forms.has(self, doc, t, ARABIC_WORD)
                    && (forms.has(self, doc, t, ROLE) || is_place(j) || is_definite(doc, t))
                    && !forms.has(self, doc, t, CONJUNCTION)
                    && !forms.has(self, doc, t, NON_NAME)
            } else {
                forms.has(self, doc, t, ROLE)
                    || is_place(j)
                    || (!capitalised(doc, t) && !forms.has(self, doc, t, NON_NAME) && j - start < 2)
            };
            if !skip {
                break;
            }
            last_skipped = Some(j);
            j += 1;
        }
        let first_ok = |k: usize| -> bool {
            let Some(t) = toks.get(k) else { return false };
            let ok_shape = if arabic {
                forms.has(self, doc, t, ARABIC_WORD) && !is_definite(doc, t)
            } else {
                capitalised(doc, t)
            };
            let blocked = (k > 0 && gap(doc, &toks[k - 1], t))
                || forms.has(self, doc, t, NON_NAME)
                || is_place(k)
                || forms.has(self, doc, t, CONJUNCTION)
                || title_at(k).is_some();
            ok_shape && !blocked
        };
        if !first_ok(j) {
            // A lone definite word right after the title can be the family
            // name itself (الرئيس الأسد), unless it looks like an adjective or office.
            let k = last_skipped?;
            let t = &toks[k];
            let lone = k + 1 == j
                && arabic
                && !nisba_like(doc, t)
                && !forms.has(self, doc, t, ROLE)
                && !is_place(k)
                && (k == start || title_at(k - 1).is_some());
            return lone.then_some(k..k + 1);
        }
        let mut k = j;
        let mut units = 0;
        while k < toks.len() && units < MAX_NAME_UNITS {
            let t = &toks[k];
            let particle = !arabic && LATIN_PARTICLES.contains(&doc.norm(t));
            let ends = gap(doc, &toks[k.saturating_sub(1)], t)
                || (forms.has(self, doc, t, NON_NAME) && !particle)
                || is_place(k)
                || forms.has(self, doc, t, CONJUNCTION)
                || title_at(k).is_some()
                || (arabic && !forms.has(self, doc, t, ARABIC_WORD))
                || (arabic && accusative(doc, t))
                || (!arabic && !capitalised(doc, t) && !particle);
            if k > j && ends {
                break;
            }
            let joins = arabic
                && JOINERS.contains(&doc.norm(t))
                && toks
                    .get(k + 1)
                    .is_some_and(|n| !gap(doc, t, n) && forms.has(self, doc, n, ARABIC_WORD));
            k += if joins { 2 } else { 1 };
            units += 1;
        }
        // A Latin particle does not end a name.
        while k > j + 1 && !arabic && LATIN_PARTICLES.contains(&doc.norm(&toks[k - 1])) {
            k -= 1;
        }
        Some(j..k.min(toks.len()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn found(text: &str, lang: &str) -> Vec<(String, EntityType)> {
        let doc = Document::new("", text, lang);
        let toks = doc.body_tokens();
        let p = Patterns::new();
        p.find(&doc, toks, &vec![false; toks.len()], &p.forms(&doc))
            .into_iter()
            .map(|s| {
                let a = &toks[s.tokens.start];
                let b = &toks[s.tokens.end - 1];
                (
                    text[a.word_start as usize..b.end as usize].to_string(),
                    s.kind,
                )
            })
            .collect()
    }

    #[test]
    fn persons_after_titles() {
        use EntityType::Person;
        let cases = [
            (
                "title then two names",
                "قال الرئيس بشار الأسد، أمس",
                vec![("بشار الأسد", Person)],
            ),
            (
                "rank",
                "التقى اللواء محمد باقري والوفد المرافق",
                vec![("محمد باقري", Person)],
            ),
            (
                "office and regime skipped",
                "عقد وزير دفاع النظام السوري علي عبد الله أيوب ورئيس أركان",
                vec![("علي عبد الله أيوب", Person)],
            ),
            (
                "lone family name",
                "وقال الرئيس الأسد إن الاتفاق مهم",
                vec![("الأسد", Person)],
            ),
            (
                "adjective is no name",
                "وقال الرئيس التنفيذي إن الشركة ربحت",
                vec![],
            ),
            ("preposition stops", "قال الرئيس في كلمة", vec![]),
            (
                "english",
                "President Emmanuel Macron said on Monday",
                vec![("Emmanuel Macron", Person)],
            ),
            (
                "french",
                "le président français Emmanuel Macron a dit",
                vec![("Emmanuel Macron", Person)],
            ),
        ];
        for (name, text, want) in cases {
            let lang = if text.is_ascii() || text.starts_with("le") {
                if text.starts_with("le") {
                    "fr"
                } else {
                    "en"
                }
            } else {
                "ar"
            };
            let want: Vec<(String, EntityType)> =
                want.into_iter().map(|(a, b)| (a.to_string(), b)).collect();
            let got: Vec<_> = found(text, lang)
                .into_iter()
                .filter(|g| g.1 == Person)
                .collect();
            assert_eq!(got, want, "{name}");
        }
    }

    #[test]
    fn institutions_with_heads_and_known_names() {
        use EntityType::Organization;
        let cases = [
            (
                "head and nisba",
                "وفق ما أفاد التلفزيون الرسمي الإيراني.",
                "التلفزيون الرسمي الإيراني",
            ),
            (
                "head after lam",
                "مواقع تابعة للحرس الثوري الإيراني وأذرعه",
                "لحرس الثوري الإيراني",
            ),
            (
                "genitive chain",
                "رئيس هيئة الأركان العامة للقوات المسلحة الايرانية اللواء محمد باقري",
                "هيئة الأركان العامة للقوات المسلحة الايرانية",
            ),
            ("known", "دعا مجلس الأمن إلى وقف", "مجلس الأمن"),
            ("acronym", "The UN said", "UN"),
        ];
        for (name, text, want) in cases {
            let lang = if text.is_ascii() { "en" } else { "ar" };
            let got = found(text, lang);
            assert!(
                got.contains(&(want.to_string(), Organization)),
                "{name}: {got:?}"
            );
        }
        assert!(found("un accord", "fr").is_empty());
    }
}
