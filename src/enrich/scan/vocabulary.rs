//! One pass over a text for the vocabularies of several extractors (dates,
//! quotes, amounts), and for the digits and quotation marks they start from.
//!
//! The vocabularies are joined in one Aho-Corasick automaton (standard
//! semantics: every occurrence of every entry), copied at load time into a
//! compact table walked byte by byte: a byte class, a transition, a compare.
//! [`Occurrences::of`] then gives each extractor the leftmost-longest,
//! non-overlapping matches its own automaton's `find_iter` reports, so one
//! pass replaces three; [`Occurrences::digits`] and [`Occurrences::marks`]
//! replace the extractors' own scans for numbers and quotation marks.

use std::cell::RefCell;
use std::collections::HashMap;

use aho_corasick::automaton::{Automaton, StateID};
use aho_corasick::{Anchored, MatchKind};

use super::{Listed, VocabMatch};

/// Digits in every script [`super::digit_starts_at`] reads.
const DIGITS: [&str; 30] = [
    "0", "1", "2", "3", "4", "5", "6", "7", "8", "9", "٠", "١", "٢", "٣", "٤", "٥", "٦", "٧", "٨",
    "٩", "۰", "۱", "۲", "۳", "۴", "۵", "۶", "۷", "۸", "۹",
];

/// Line breaks and the quotation marks quotes are read from.
pub const MARKS: [&str; 7] = ["\n", "\"", "«", "»", "“", "”", "„"];

/// How many vocabularies one [`SharedVocabulary`] joins at most: the
/// text layer's three (dates, quotes, amounts); each has its own
/// occurrence list in every [`Occurrences`].
pub const MAX_VOCABULARIES: usize = 3;

/// What a match of the union stands for.
#[derive(Debug)]
enum Entry {
    /// Entry `index` of vocabulary `vocab`, with its bytes when it must
    /// match case exactly.
    Word {
        vocab: u8,
        index: u32,
        exact: Option<Box<[u8]>>,
    },
    Digit,
    Mark,
}

/// The vocabularies of several extractors in one table, plus digits and
/// quotation marks. Build once, share.
pub struct SharedVocabulary {
    /// Byte → the first slot of its class's column in `trans` (class ×
    /// number of states); bytes of one class lead every state to the same
    /// state.
    columns: [u32; 256],
    /// Next state of class × state, column by column. States are plain
    /// numbers, those near the start (the ones a text mostly visits) first,
    /// so in every column the frequent transitions share a few cache lines.
    /// States that report matches come last.
    trans: Vec<u16>,
    start: u16,
    /// States from this one on report matches. Among them, those from
    /// `digits[1]` on report a two-byte digit alone, those from `digits[0]`
    /// on a one-byte digit alone (the common reports, read without a
    /// lookup).
    matching: u32,
    digits: [u32; 2],
    /// Per reporting state, from `matching` on: its range of `reports`.
    report_ranges: Vec<(u32, u32)>,
    /// (length in bytes, index in `entries`) of each match a state reports.
    reports: Vec<(u32, u32)>,
    entries: Vec<Entry>,
    /// Per vocabulary: the length in bytes of its longest entry.
    longest: [usize; MAX_VOCABULARIES],
}

/// Every occurrence of every entry of a [`SharedVocabulary`] in one text,
/// and where its digits and quotation marks start.
#[derive(Debug, Default)]
pub struct Occurrences {
    /// Per vocabulary: (start, end, index), by start then longest first then
    /// index.
    words: [Vec<(u32, u32, u32)>; MAX_VOCABULARIES],
    /// Per vocabulary: the length in bytes of its longest entry.
    longest: [usize; MAX_VOCABULARIES],
    digits: Vec<u32>,
    marks: Vec<u32>,
    /// (state, end) of each reporting state the walk passed through.
    ends: Vec<(u32, u32)>,
}

impl SharedVocabulary {
    /// Joins vocabularies, each given as its entries (in index order) and
    /// whether it ignores ASCII case.
    pub fn new(vocabularies: &[(&[String], bool)]) -> Result<Self, String> {
        let mut pats: Vec<&str> = Vec::new();
        let mut entries = Vec::new();
        if vocabularies.len() > MAX_VOCABULARIES {
            return Err(format!("more than {MAX_VOCABULARIES} vocabularies"));
        }
        let mut longest = [0; MAX_VOCABULARIES];
        for (v, (list, caseless)) in vocabularies.iter().enumerate() {
            longest[v] = list.iter().map(String::len).max().unwrap_or(0);
            // Below MAX_VOCABULARIES (checked above).
            let vocab = v as u8;
            for (i, p) in list.iter().enumerate() {
                pats.push(p);
                let exact = (!caseless).then(|| p.as_bytes().into());
                let index = u32::try_from(i).map_err(|_| "vocabulary too large".to_string())?;
                entries.push(Entry::Word {
                    vocab,
                    index,
                    exact,
                });
            }
        }
        for d in DIGITS {
            pats.push(d);
            entries.push(Entry::Digit);
        }
        for m in MARKS {
            pats.push(m);
            entries.push(Entry::Mark);
        }
        let dfa = aho_corasick::dfa::DFA::builder()
            .match_kind(MatchKind::Standard)
            .ascii_case_insensitive(true)
            .prefilter(false)
            .build(&pats)
            .map_err(|e| e.to_string())?;
        Table::from_dfa(&dfa).and_then(|t| t.into_vocabulary(entries, longest))
    }

    /// Every occurrence in `text` (overwrites `out`).
    pub fn occurrences(&self, text: &str, out: &mut Occurrences) {
        out.clear();
        out.longest = self.longest;
        if text.len() >= u32::MAX as usize {
            return;
        }
        out.reserve(text.len());
        let bytes = text.as_bytes();
        self.walk(bytes, &mut out.ends);
        let ends = std::mem::take(&mut out.ends);
        for &(state, end) in &ends {
            if state >= self.digits[0] {
                out.digits.push(end - 1);
            } else if state >= self.digits[1] {
                out.digits.push(end.saturating_sub(2));
            } else {
                self.report(bytes, state, end as usize, out);
            }
        }
        out.ends = ends;
    }

    /// Runs the automaton over `bytes`, noting (state, end) wherever it is
    /// in a reporting state. The loop only notes: the matches are read
    /// afterwards, so nothing in it calls out and its registers stay put.
    fn walk(&self, bytes: &[u8], ends: &mut Vec<(u32, u32)>) {
        // `trans` holds a power-of-two number of slots, so masking the index
        // keeps it in bounds without a check in the loop.
        let trans = &self.trans[..];
        let mask = trans.len().wrapping_sub(1);
        let columns = &self.columns;
        let matching = self.matching as usize;
        let mut state = usize::from(self.start);
        // Four bytes a round: the loop's own bookkeeping once per four.
        let mut chunks = bytes.chunks_exact(4);
        let mut at = 0u32;
        for chunk in chunks.by_ref() {
            if let &[b0, b1, b2, b3] = chunk {
                for (k, b) in [b0, b1, b2, b3].into_iter().enumerate() {
                    let slot = columns[usize::from(b)] as usize + state;
                    state = usize::from(trans[slot & mask]);
                    if state >= matching {
                        ends.push((state as u32, at + k as u32 + 1));
                    }
                }
            }
            at += 4;
        }
        for &b in chunks.remainder() {
            let slot = columns[usize::from(b)] as usize + state;
            state = usize::from(trans[slot & mask]);
            at += 1;
            if state >= matching {
                ends.push((state as u32, at));
            }
        }
    }

    /// Records the matches `state` reports, ending at `end`.
    #[inline]
    fn report(&self, bytes: &[u8], state: u32, end: usize, out: &mut Occurrences) {
        let Some(&(from, to)) = self
            .report_ranges
            .get(state.wrapping_sub(self.matching) as usize)
        else {
            return;
        };
        for &(len, e) in self.reports.get(from as usize..to as usize).unwrap_or(&[]) {
            let Some(start) = end.checked_sub(len as usize) else {
                continue;
            };
            match self.entries.get(e as usize) {
                Some(Entry::Word {
                    vocab,
                    index,
                    exact,
                }) => {
                    if let Some(p) = exact {
                        if bytes.get(start..end) != Some(&p[..]) {
                            continue;
                        }
                    }
                    out.insert_word(*vocab, (start as u32, end as u32, *index));
                }
                Some(Entry::Digit) => out.digits.push(start as u32),
                Some(Entry::Mark) => out.marks.push(start as u32),
                None => {}
            }
        }
    }
}

/// The automaton's states reachable from its unanchored start, renumbered.
struct Table {
    classes: [u8; 256],
    stride: u32,
    /// Next state number of state × class.
    next: Vec<u32>,
    /// Matches of each state: (length, pattern).
    matches: Vec<Vec<(u32, u32)>>,
}

impl Table {
    fn from_dfa(dfa: &aho_corasick::dfa::DFA) -> Result<Table, String> {
        let start = dfa.start_state(Anchored::No).map_err(|e| e.to_string())?;
        let mut number: HashMap<StateID, u32> = HashMap::from([(start, 0)]);
        let mut states = vec![start];
        // Next state number of state × byte.
        let mut by_byte: Vec<u32> = Vec::new();
        let mut i = 0;
        while let Some(&sid) = states.get(i) {
            for b in 0..=255u8 {
                let n = dfa.next_state(Anchored::No, sid, b);
                let id = match number.get(&n) {
                    Some(&id) => id,
                    None => {
                        let id = u32::try_from(states.len()).map_err(|e| e.to_string())?;
                        number.insert(n, id);
                        states.push(n);
                        id
                    }
                };
                by_byte.push(id);
            }
            i += 1;
        }
        // Bytes whose columns are equal share a class.
        let mut class_of: HashMap<Vec<u32>, u8> = HashMap::new();
        let mut classes = [0u8; 256];
        let mut first_byte: Vec<usize> = Vec::new();
        for b in 0..256usize {
            let column: Vec<u32> = (0..states.len()).map(|s| by_byte[s * 256 + b]).collect();
            let fresh = class_of.len();
            let c = *class_of.entry(column).or_insert_with(|| {
                first_byte.push(b);
                fresh as u8
            });
            classes[b] = c;
        }
        let next = (0..states.len())
            .flat_map(|s| first_byte.iter().map(move |&b| (s, b)))
            .map(|(s, b)| by_byte[s * 256 + b])
            .collect();
        let matches = states
            .iter()
            .map(|&sid| {
                if !dfa.is_match(sid) {
                    return Vec::new();
                }
                (0..dfa.match_len(sid))
                    .map(|k| {
                        let pid = dfa.match_pattern(sid, k);
                        (dfa.pattern_len(pid) as u32, pid.as_usize() as u32)
                    })
                    .collect()
            })
            .collect();
        Ok(Table {
            classes,
            stride: first_byte.len() as u32,
            next,
            matches,
        })
    }

    /// Numbers the states that report nothing first (in the order they are
    /// reached from the start, the shallow ones first), then those that
    /// report, the lone digits last; lays the table out column by column.
    fn into_vocabulary(
        self,
        entries: Vec<Entry>,
        longest: [usize; MAX_VOCABULARIES],
    ) -> Result<SharedVocabulary, String> {
        let n = self.matches.len();
        let stride = self.stride as usize;
        let too_large = || format!("{n} states: too many for the shared table");
        if n > usize::from(u16::MAX) + 1 {
            return Err(too_large());
        }
        let slots = u32::try_from((n * stride).next_power_of_two()).map_err(|_| too_large())?;
        // 0: a lone one-byte digit, 1: a lone two-byte digit, 2: other
        // reports, 3: none.
        let rank = |s: usize| match &self.matches[s][..] {
            [] => 3,
            &[(len, e)]
                if matches!(entries.get(e as usize), Some(Entry::Digit))
                    && (1..=2).contains(&len) =>
            {
                len as usize - 1
            }
            _ => 2,
        };
        // Stable: within a rank, in the order reached from the start.
        let mut order: Vec<usize> = (0..n).collect();
        order.sort_by_key(|&s| std::cmp::Reverse(rank(s)));
        let above = |r: usize| order.iter().take_while(|&&s| rank(s) > r).count() as u32;
        let mut renumbered = vec![0u16; n];
        for (new, &old) in order.iter().enumerate() {
            // Below 2^16 (checked above).
            renumbered[old] = new as u16;
        }
        let mut trans = vec![0u16; slots as usize];
        let mut report_ranges = Vec::new();
        let mut reports = Vec::new();
        for (new, &old) in order.iter().enumerate() {
            let row = &self.next[old * stride..(old + 1) * stride];
            for (class, &next) in row.iter().enumerate() {
                trans[class * n + new] = renumbered[next as usize];
            }
            if !self.matches[old].is_empty() {
                let from = reports.len() as u32;
                reports.extend_from_slice(&self.matches[old]);
                report_ranges.push((from, reports.len() as u32));
            }
        }
        // Below `slots` (checked above).
        let columns = self.classes.map(|c| u32::from(c) * n as u32);
        Ok(SharedVocabulary {
            columns,
            trans,
            start: renumbered[0],
            matching: above(2),
            digits: [above(0), above(1)],
            report_ranges,
            reports,
            entries,
            longest,
        })
    }
}

/// The most room, in bytes, a list lent by [`Occurrences::with_reused`]
/// keeps from one call to the next.
pub const KEEP_BYTES: usize = 512 * 1024;

thread_local! {
    /// The lists [`Occurrences::with_reused`] lends, kept between texts.
    static REUSED: RefCell<Occurrences> = RefCell::new(Occurrences::default());
}

impl Occurrences {
    /// Runs `f` with this thread's lists, kept from one call to the next so
    /// that their room is reused rather than allocated and freed for every
    /// article ([`SharedVocabulary::occurrences`] overwrites them). A call
    /// made from inside `f` gets fresh lists. Lists that grew past
    /// [`KEEP_BYTES`] are freed after the call rather than kept, so one huge
    /// text does not pin its lists' memory for the thread's life.
    pub fn with_reused<R>(f: impl FnOnce(&mut Occurrences) -> R) -> R {
        REUSED.with(|cell| match cell.try_borrow_mut() {
            Ok(mut occ) => {
                // Emptied first, so that a reservation made in `f` counts
                // from nothing rather than from the last text's lists.
                occ.clear();
                let r = f(&mut occ);
                occ.shed_large();
                r
            }
            Err(_) => f(&mut Occurrences::default()),
        })
    }

    /// Empties every list, keeping its room.
    fn clear(&mut self) {
        self.words.iter_mut().for_each(Vec::clear);
        self.digits.clear();
        self.marks.clear();
        self.ends.clear();
    }

    /// Frees each list whose room is over [`KEEP_BYTES`].
    fn shed_large(&mut self) {
        fn shed<T>(v: &mut Vec<T>) {
            if v.capacity() * std::mem::size_of::<T>() > KEEP_BYTES {
                *v = Vec::new();
            }
        }
        for w in &mut self.words {
            shed(w);
        }
        shed(&mut self.digits);
        shed(&mut self.marks);
        shed(&mut self.ends);
    }

    /// Makes room for what a text of `len` bytes usually holds, so the lists
    /// seldom grow (reserving for the longest of several texts first spares
    /// growing them text after text).
    pub fn reserve(&mut self, len: usize) {
        self.ends.reserve(len / 16);
        self.digits.reserve(len / 32);
        self.marks.reserve(len / 128);
        for w in &mut self.words {
            w.reserve(len / 128);
        }
    }

    /// Adds an occurrence of vocabulary `vocab`, keeping its list in order.
    /// Matches come in order of their ends and entries are short, so the new
    /// one settles a few places from the back at most.
    fn insert_word(&mut self, vocab: u8, w: (u32, u32, u32)) {
        let Some(list) = self.words.get_mut(usize::from(vocab)) else {
            return;
        };
        let key = |a: &(u32, u32, u32)| (a.0, std::cmp::Reverse(a.1), a.2);
        let mut i = list.len();
        while i > 0 && list.get(i - 1).is_some_and(|a| key(a) > key(&w)) {
            i -= 1;
        }
        list.insert(i, w);
    }

    /// Every occurrence of vocabulary `v`, to look entries up by position.
    pub fn listed(&self, v: usize) -> Listed<'_> {
        Listed {
            all: self.words.get(v).map_or(&[], Vec::as_slice),
            longest: self.longest.get(v).copied().unwrap_or(0),
        }
    }

    /// The leftmost-longest, non-overlapping matches of vocabulary `v`
    /// (leftmost first; at one start the longest; then the lowest index).
    pub fn of(&self, v: usize) -> impl Iterator<Item = VocabMatch> + '_ {
        self.listed(v).matches()
    }

    /// Where each digit starts, in text order ([`super::digit_starts`]).
    pub fn digits(&self) -> &[u32] {
        &self.digits
    }

    /// Where each line break and quotation mark ([`MARKS`]) starts, in text order.
    pub fn marks(&self) -> &[u32] {
        &self.marks
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::enrich::scan::{EntryAt, EntryLookup};
    use proptest::prelude::*;

    #[test]
    fn lent_lists_over_the_cap_are_freed_and_smaller_ones_kept() {
        let v = vocabulary();
        // A text of digits gives one digit position per byte: its list
        // outgrows the cap and must not be kept for the next call.
        let digits = "7".repeat(KEEP_BYTES);
        Occurrences::with_reused(|occ| {
            v.occurrences(&digits, occ);
            assert!(occ.digits.capacity() * 4 > KEEP_BYTES);
        });
        Occurrences::with_reused(|occ| {
            assert_eq!(occ.digits.capacity(), 0);
            v.occurrences("said 25 per cent", occ);
            assert_eq!(occ.digits.len(), 2);
        });
        Occurrences::with_reused(|occ| assert!(occ.digits.capacity() >= 2));
        // A call from inside another gets fresh lists and leaves the
        // outer ones alone.
        Occurrences::with_reused(|outer| {
            v.occurrences("25", outer);
            Occurrences::with_reused(|inner| {
                assert_eq!(inner.digits.capacity(), 0);
                v.occurrences("1 2 3", inner);
                assert_eq!(inner.digits.len(), 3);
            });
            assert_eq!(outer.digits.len(), 2);
        });
    }

    /// The test vocabularies: caseless words, case-sensitive signs.
    fn lists() -> [(Vec<String>, bool); 2] {
        let list = |l: &[&str]| l.iter().map(|w| w.to_string()).collect();
        [
            (list(&["said", "قال", "per cent", "per", "مليون"]), true),
            (list(&["$", "US$", "%"]), false),
        ]
    }

    fn vocabulary() -> SharedVocabulary {
        let [(words, _), (signs, _)] = lists();
        match SharedVocabulary::new(&[(&words, true), (&signs, false)]) {
            Ok(v) => v,
            Err(e) => panic!("vocabulary does not build: {e}"),
        }
    }

    #[test]
    fn finds_entries_digits_and_marks() {
        let text = "«قال» SAID 12 per cent, US$ ٣\n\"x\"";
        let mut occ = Occurrences::default();
        vocabulary().occurrences(text, &mut occ);
        let words: Vec<&str> = occ.of(0).filter_map(|(s, e, _)| text.get(s..e)).collect();
        assert_eq!(words, ["قال", "SAID", "per cent"]);
        let signs: Vec<&str> = occ.of(1).filter_map(|(s, e, _)| text.get(s..e)).collect();
        assert_eq!(signs, ["US$"]);
        assert_eq!(occ.digits(), &super::super::digit_starts(text)[..]);
        assert_eq!(occ.digits().len(), 3);
        let marks: Vec<char> = occ
            .marks()
            .iter()
            .filter_map(|&m| super::super::char_at(text, m as usize))
            .collect();
        assert_eq!(marks, ['«', '»', '\n', '"', '"']);
    }

    proptest! {
        #[test]
        fn digits_and_marks_agree_with_a_plain_scan(s in "([ \n\"«»“”„a-z0-9٠-٩۰-۹$%]|قال|said|€|٫){0,60}") {
            let mut occ = Occurrences::default();
            vocabulary().occurrences(&s, &mut occ);
            prop_assert_eq!(occ.digits(), &super::super::digit_starts(&s)[..]);
            let marks: Vec<u32> = s
                .char_indices()
                .filter(|(_, c)| MARKS.iter().any(|m| m.starts_with(*c)))
                .map(|(i, _)| i as u32)
                .collect();
            prop_assert_eq!(occ.marks(), &marks[..]);
        }

        #[test]
        fn listed_entries_are_what_an_anchored_search_finds(s in "([ a-zA-Z$%]|قال|said|SAID|per|per cent|مليون|US\\$){0,30}") {
            let mut occ = Occurrences::default();
            vocabulary().occurrences(&s, &mut occ);
            for (v, (list, caseless)) in lists().iter().enumerate() {
                let Ok(own) = EntryAt::new(list, *caseless) else {
                    return Err(TestCaseError::fail("automaton does not build"));
                };
                let listed = occ.listed(v);
                for pos in 0..=s.len() {
                    let found = own.at(&s, pos);
                    prop_assert_eq!(listed.at(pos), found, "{} at {}", s, pos);
                    if let Some((end, _)) = found {
                        prop_assert!(listed.may_end_at(end), "{} ends at {}", s, end);
                    }
                }
            }
        }

        #[test]
        fn never_panics(s in "\\PC{0,200}") {
            let mut occ = Occurrences::default();
            vocabulary().occurrences(&s, &mut occ);
            prop_assert!(occ.of(0).all(|(a, b, _)| s.is_char_boundary(a) && s.is_char_boundary(b)));
        }
    }
}
