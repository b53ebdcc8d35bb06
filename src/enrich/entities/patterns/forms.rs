//! What the rules ask of each distinct token form of an article, worked out
//! once per form: the title and institution entries its word may begin (one
//! lookup per key in one table of the lists' words), whether it is a head
//! word or a role, and flags computed when first asked for.

use crate::enrich::text::{arabic, Document, Token};

use super::lexicon::{strip_article, Lexicon};
use super::{conjunction_prefixed, is_arabic_word, Patterns};

/// The lists of [`WordInfo::lists`]: titles, institutions, heads, roles.
pub(super) const TITLES_LIST: usize = 0;
pub(super) const INSTITUTIONS_LIST: usize = 1;
pub(super) const HEADS_LIST: usize = 2;
pub(super) const ROLES_LIST: usize = 3;

/// What the rule lists hold for one word: the entries of each list that it
/// begins (after its article; ranges of `Patterns::pool`) and whether it is a
/// non-name.
#[derive(Debug, Clone, Copy, Default)]
pub(super) struct WordInfo {
    pub(super) lists: [(u32, u32); 4],
    pub(super) non_name: bool,
}

/// The keys a token's first word is looked up by: each proclitic reading
/// without its article, distinct, in order (at most four).
fn first_keys<'d>(doc: &'d Document<'_>, t: &Token) -> ([&'d str; 4], usize) {
    let mut keys: [&str; 4] = [""; 4];
    let norm = doc.norm(t);
    if !norm.starts_with(|c: char| arabic::is_arabic_letter(c)) {
        // Only Arabic words have proclitic readings or an article.
        keys[0] = strip_article(norm);
        return (keys, 1);
    }
    let mut n = 0;
    for r in arabic::proclitic_readings(norm) {
        let k = strip_article(r);
        if n < 4 && !keys[..n].contains(&k) {
            keys[n] = k;
            n += 1;
        }
    }
    (keys, n)
}

/// Flags of a token form in [`Forms`]: the first two are set with the
/// form's lists, the others when first asked for ([`LATE`] tells).
pub(super) const HEAD: u8 = 1;
pub(super) const ROLE: u8 = 2;
pub(super) const CONJUNCTION: u8 = 4;
pub(super) const NON_NAME: u8 = 8;
pub(super) const NON_NAME_NORM: u8 = 16;
pub(super) const ARABIC_WORD: u8 = 32;
const LATE: u8 = 128;

/// What the rules ask of each distinct token form of a document, computed
/// once: the title and institution entries its word may begin, and flags.
#[derive(Debug, Default)]
pub struct Forms {
    /// Per form id: the title candidates and the institution candidates
    /// (ranges of `pool`) and the flags.
    titles: Vec<(u32, u32)>,
    institutions: Vec<(u32, u32)>,
    flags: Vec<std::cell::Cell<u8>>,
    pool: Vec<u32>,
}

impl Forms {
    fn form(doc: &Document<'_>, t: &Token) -> usize {
        doc.form(t)
    }

    fn list(&self, ranges: &[(u32, u32)], doc: &Document<'_>, t: &Token) -> &[u32] {
        ranges
            .get(Self::form(doc, t))
            .and_then(|&(s, e)| self.pool.get(s as usize..e as usize))
            .unwrap_or_default()
    }

    pub(super) fn titles(&self, doc: &Document<'_>, t: &Token) -> &[u32] {
        self.list(&self.titles, doc, t)
    }

    pub(super) fn institutions(&self, doc: &Document<'_>, t: &Token) -> &[u32] {
        self.list(&self.institutions, doc, t)
    }

    /// Whether the form of `t` has `flag` (`patterns` computes the late ones).
    pub(super) fn has(&self, patterns: &Patterns, doc: &Document<'_>, t: &Token, flag: u8) -> bool {
        let Some(cell) = self.flags.get(Self::form(doc, t)) else {
            return false;
        };
        let mut f = cell.get();
        if flag & !(HEAD | ROLE | ARABIC_WORD) != 0 && f & LATE == 0 {
            for (late, on) in [
                (CONJUNCTION, conjunction_prefixed(doc, t, patterns)),
                (NON_NAME, patterns.non_name(doc, t)),
                (
                    NON_NAME_NORM,
                    patterns.word(doc.norm(t)).is_some_and(|w| w.non_name),
                ),
            ] {
                if on {
                    f |= late;
                }
            }
            f |= LATE;
            cell.set(f);
        }
        f & flag != 0
    }
}

impl Patterns {
    pub(super) fn word(&self, w: &str) -> Option<&WordInfo> {
        self.words.get(w)
    }

    /// The entries of list `list` that one of `words` begins, in order.
    fn candidates<'s>(
        &'s self,
        words: &'s [Option<&'s WordInfo>],
        list: usize,
    ) -> impl Iterator<Item = usize> + 's {
        words.iter().flatten().flat_map(move |w| {
            let (s, e) = w.lists[list];
            self.pool
                .get(s as usize..e as usize)
                .unwrap_or_default()
                .iter()
                .copied()
        })
    }

    /// The lexicon lookups and flags of every token form of `doc`.
    pub fn forms(&self, doc: &Document<'_>) -> Forms {
        let n = doc.forms();
        let mut f = Forms {
            titles: vec![(0, 0); n],
            institutions: vec![(0, 0); n],
            flags: vec![std::cell::Cell::new(0); n],
            pool: Vec::new(),
        };
        let mut done = vec![false; n];
        for t in doc.tokens() {
            let id = doc.form(t);
            match done.get_mut(id) {
                Some(d) if !*d => *d = true,
                _ => continue,
            }
            let (keys, k) = first_keys(doc, t);
            let mut infos: [Option<&WordInfo>; 4] = [None; 4];
            for (info, key) in infos.iter_mut().zip(keys.get(..k).unwrap_or_default()) {
                *info = self.word(key);
            }
            let push = |list: usize, pool: &mut Vec<u32>| {
                let start = pool.len() as u32;
                pool.extend(self.candidates(&infos, list).map(|e| e as u32));
                (start, pool.len() as u32)
            };
            let titles = push(TITLES_LIST, &mut f.pool);
            let institutions = push(INSTITUTIONS_LIST, &mut f.pool);
            let one_word = |lex: &Lexicon, list: usize| {
                self.candidates(&infos, list).any(|i| {
                    lex.entries.get(i).is_some_and(|e| e.len() == 1)
                        && lex.entry_ok(doc, std::slice::from_ref(t), i)
                })
            };
            let mut flags = 0;
            if one_word(&self.heads, HEADS_LIST) {
                flags |= HEAD;
            }
            if one_word(&self.roles, ROLES_LIST) {
                flags |= ROLE;
            }
            if is_arabic_word(doc, t) {
                flags |= ARABIC_WORD;
            }
            if let (Some(a), Some(b), Some(c)) = (
                f.titles.get_mut(id),
                f.institutions.get_mut(id),
                f.flags.get_mut(id),
            ) {
                (*a, *b) = (titles, institutions);
                c.set(flags);
            }
        }
        f
    }
}
