//! Amounts: numbers with a scale, a currency or a percent sign, in Arabic,
//! English and French (`2.5 مليار دولار` → 2.5e9 USD, `31 بالمئة` → 31
//! percent, `$3bn`, `1,5 milliard d'euros`, `ثلاثة ملايين ريال`).
//!
//! Digits may be ASCII or Arabic-Indic. A number alone is not an amount: it
//! needs a scale word, a currency or a percent after it, or a currency sign
//! before it. Written Arabic numbers (`ثلاثة`, `عشرة`, `عشرين`) count when a
//! scale, currency or percent follows; the vague `عشرات`/`مئات` ("tens of",
//! "hundreds of") take their lower bound (`مئات الملايين` → 1e8).
//!
//! `unit` is an ISO 4217 code when the currency is unambiguous (`دولار`,
//! `$` → `USD`; `ريال سعودي` → `SAR`), the currency's name when it is not
//! (`ريال` → `riyal`, `دينار` → `dinar`), `percent`, or absent for a bare
//! scaled count (`11.5 مليون مشترك`).

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, AhoCorasickKind, MatchKind};

use crate::enrich::scan::{
    self, char_at, char_before, drop_overlaps, is_digit, next_token, prev_token, read_number,
    skip_inline_spaces, skip_inline_spaces_back, starts_word, token_at, EntryLookup, Ranged,
};
use crate::enrich::text::CharIndex;
use crate::model::record::{Amount, Field, Span};
use lexicon::*;

mod lexicon;

#[derive(Debug, Clone, Copy, PartialEq)]
enum Cue {
    /// A multiplier; `plural` forms (`ملايين`) need a number before them.
    Scale(f64, bool),
    Currency(&'static str),
    Percent,
    /// A written number (`ثلاثة`), or a vague one (`مئات`) at its lower bound.
    Word(f64),
}

/// Finds amounts; build once, share.
pub struct AmountExtractor {
    ac: AhoCorasick,
    /// The same vocabulary, for the entry at a given position.
    entry: scan::EntryAt,
    cues: Vec<Cue>,
    /// The vocabulary's entries, in index order.
    patterns: Vec<String>,
    /// [`QUALIFIERS`] without the final `ة`: (currency family, nationality, code).
    qualifiers: Vec<(&'static str, &'static str, &'static str)>,
}

#[derive(Debug)]
struct Cand {
    start: usize,
    end: usize,
    value: f64,
    unit: Option<&'static str>,
}

impl Ranged for Cand {
    fn range(&self) -> (usize, usize) {
        (self.start, self.end)
    }
}

/// Equal up to the hamza on alef (`إماراتي` = `اماراتي`), without allocating.
fn same_folding_alef(a: &str, b: &str) -> bool {
    let fold = |c: char| {
        if matches!(c, 'أ' | 'إ' | 'آ') {
            'ا'
        } else {
            c
        }
    };
    a.chars().map(fold).eq(b.chars().map(fold))
}

fn is_arabic(s: &str) -> bool {
    s.chars().any(|c| ('\u{0600}'..='\u{06FF}').contains(&c))
}

impl AmountExtractor {
    pub fn new() -> Result<Self, aho_corasick::BuildError> {
        let mut pats: Vec<String> = Vec::new();
        let mut cues: Vec<Cue> = Vec::new();
        let mut add = |p: &str, c: Cue| {
            pats.push(p.to_string());
            cues.push(c);
            if p.contains(['أ', 'إ', 'آ']) {
                pats.push(p.replace(['أ', 'إ', 'آ'], "ا"));
                cues.push(c);
            }
        };
        for &(p, v, pl) in SCALES {
            add(p, Cue::Scale(v, pl));
        }
        for &(p, u) in CURRENCIES {
            add(p, Cue::Currency(u));
        }
        for &p in PERCENTS {
            add(p, Cue::Percent);
        }
        for &(p, v) in WORDS {
            add(p, Cue::Word(v));
        }
        let mut seen = std::collections::HashSet::new();
        let (pats, cues): (Vec<String>, Vec<Cue>) = pats
            .into_iter()
            .zip(cues)
            .filter(|(p, _)| seen.insert(p.clone()))
            .unzip();
        let ac = AhoCorasickBuilder::new()
            .match_kind(MatchKind::LeftmostLongest)
            .kind(Some(AhoCorasickKind::DFA))
            .build(&pats)?;
        let entry = scan::EntryAt::new(&pats, false)?;
        Ok(AmountExtractor {
            ac,
            entry,
            cues,
            patterns: pats,
            qualifiers: QUALIFIERS
                .iter()
                .map(|&(fam, q, code)| (fam, q.strip_suffix('ة').unwrap_or(q), code))
                .collect(),
        })
    }

    /// The vocabulary (entries in index order) and whether it ignores ASCII
    /// case, for a [`scan::SharedVocabulary`].
    pub fn vocabulary(&self) -> (&[String], bool) {
        (&self.patterns, false)
    }

    /// The cue starting exactly at `pos` and ending on a word boundary.
    fn cue_at(&self, text: &str, found: &impl EntryLookup, pos: usize) -> Option<(usize, Cue)> {
        let (end, i) = found.at(pos)?;
        let cue = *self.cues.get(i)?;
        let symbol = matches!(char_at(text, pos), Some('$' | '€' | '£' | '%' | '٪'));
        (symbol || scan::ends_word(text, end)).then_some((end, cue))
    }

    /// Every amount of `text`, in text order, spans in code points.
    /// `comma_decimal` selects the French number convention (`2,5`).
    pub fn extract(&self, text: &str, field: Field, comma_decimal: bool) -> Vec<Amount> {
        let digits = scan::digit_starts(text);
        let matches = scan::own_matches(&self.ac, text);
        let index = CharIndex::new(text);
        let span = |s, e| index.span(text, field, s, e);
        let found = self.entry.on(text);
        self.extract_from(text, comma_decimal, matches, &found, &digits, span)
    }

    /// [`Self::extract`] given the leftmost-longest matches of the vocabulary
    /// in `text`, the entries found at each position and where its digits
    /// start (from a [`scan::SharedVocabulary`] pass).
    pub fn extract_from(
        &self,
        text: &str,
        comma_decimal: bool,
        matches: impl Iterator<Item = scan::VocabMatch>,
        found: &impl EntryLookup,
        digits: &[u32],
        mut span: impl FnMut(usize, usize) -> Span,
    ) -> Vec<Amount> {
        let mut cands: Vec<Cand> = Vec::new();
        self.digit_amounts(text, found, digits, comma_decimal, &mut cands);
        self.word_amounts(text, found, matches, &mut cands);
        drop_overlaps(&mut cands);
        cands
            .into_iter()
            .filter(|c| c.value.is_finite())
            .map(|c| Amount {
                text: text.get(c.start..c.end).unwrap_or("").to_string(),
                value: c.value,
                unit: c.unit.map(str::to_string),
                span: Some(span(c.start, c.end)),
            })
            .collect()
    }

    fn digit_amounts(
        &self,
        text: &str,
        found: &impl EntryLookup,
        digits: &[u32],
        comma_decimal: bool,
        out: &mut Vec<Cand>,
    ) {
        scan::walk_numbers(digits, |i| {
            let n = read_number(text, i, comma_decimal)?;
            let next = Some(n.end);
            let glued_before = scan::char_before(text, n.start);
            let boundary = starts_word(text, n.start, true)
                || matches!(glued_before, Some('$' | '€' | '£' | '\u{0640}'));
            if !boundary {
                return next;
            }
            // Currency sign or code before: "$2.5 billion", "€3m", "USD 5".
            // It ends where the number starts or where the token before it
            // ends; without an entry ending there, there is none.
            let mut start = n.start;
            let mut unit = None;
            let before = found.may_end_at(n.start)
                || found.may_end_at(skip_inline_spaces_back(text, n.start));
            if let Some(p) = before.then(|| prev_token(text, n.start)).flatten() {
                if let Some((e, Cue::Currency(u))) = self.cue_at(text, found, p.start) {
                    if e == p.end || e == n.start {
                        unit = Some(u);
                        start = p.start;
                        // "US$": the token reader sees "US" then "$".
                        if let Some(us) = prev_token(text, p.start) {
                            if us.end == p.start && us.text(text) == "US" {
                                start = us.start;
                            }
                        }
                    }
                }
            }
            let mut value = n.value;
            let mut end = n.end;
            if unit.is_some() {
                if let Some(g) = token_at(text, n.end).filter(|t| t.is_word()) {
                    if let Some(&(_, s)) = GLUED_SCALES.iter().find(|(w, _)| *w == g.text(text)) {
                        value *= s;
                        end = g.end;
                    }
                }
            }
            let (tail_end, tail_value, tail_unit, any) = self.tail(text, found, end, value, unit);
            if unit.is_none() && !any {
                return next;
            }
            out.push(Cand {
                start,
                end: tail_end,
                value: tail_value,
                unit: tail_unit,
            });
            next
        });
    }

    /// Amounts that start with a word: `ثلاثة ملايين ريال`, `مليار دولار`,
    /// `مئات الملايين`.
    fn word_amounts(
        &self,
        text: &str,
        found: &impl EntryLookup,
        matches: impl Iterator<Item = scan::VocabMatch>,
        out: &mut Vec<Cand>,
    ) {
        for (s, e, i) in matches {
            let Some(&cue) = self.cues.get(i) else {
                continue;
            };
            let word_like = !matches!(char_at(text, s), Some('$' | '€' | '£' | '%' | '٪'));
            if word_like && (!starts_word(text, s, true) || !scan::ends_word(text, e)) {
                continue;
            }
            // Preceded by a number (the token before ends with a digit): read
            // from the number instead.
            if char_before(text, skip_inline_spaces_back(text, s)).is_some_and(is_digit) {
                continue;
            }
            let (value, unit) = match cue {
                Cue::Word(v) => (v, None),
                Cue::Scale(v, false) if is_arabic(text.get(s..e).unwrap_or("")) => (v, None),
                Cue::Scale(v, false) => {
                    // "a million", "one billion".
                    match prev_token(text, s) {
                        Some(t) if t.is_word() && matches!(t.text(text), "a" | "one" | "un") => {
                            let (te, tv, tu, _) = self.tail(text, found, e, v, None);
                            out.push(Cand {
                                start: t.start,
                                end: te,
                                value: tv,
                                unit: tu,
                            });
                        }
                        _ => {}
                    }
                    continue;
                }
                _ => continue,
            };
            let (te, tv, tu, any) = self.tail(text, found, e, value, unit);
            // A written number needs what follows; a singular scale word is
            // a quantity by itself ("مليون شخص").
            if !any && matches!(cue, Cue::Word(_)) {
                continue;
            }
            out.push(Cand {
                start: s,
                end: te,
                value: tv,
                unit: tu,
            });
        }
    }

    /// Reads scale words, `من`/`de`, a currency (with its nationality) or a
    /// percent after `pos`. Returns the end, the value, the unit and whether
    /// anything was read.
    fn tail(
        &self,
        text: &str,
        found: &impl EntryLookup,
        pos: usize,
        mut value: f64,
        mut unit: Option<&'static str>,
    ) -> (usize, f64, Option<&'static str>, bool) {
        let mut end = pos;
        let mut any = false;
        let mut scaled = false;
        for _ in 0..4 {
            // The next token; no entry starts with a line break, and an
            // entry must start there (or after "من"/"de"), so the token is
            // only read in full after a first cue.
            let mut at = skip_inline_spaces(text, end);
            // "من الدولارات", "de dollars", "d'euros".
            if any {
                if let Some(t) = token_at(text, at)
                    .filter(|t| t.is_word() && matches!(t.text(text), "من" | "de" | "d"))
                {
                    let mut p = t.end;
                    if matches!(char_at(text, p), Some('\'' | '’')) {
                        p += char_at(text, p).map_or(0, char::len_utf8);
                    }
                    match next_token(text, p) {
                        Some(n) => at = n.start,
                        None => break,
                    }
                }
            }
            let Some((e, cue)) = self.cue_at(text, found, at) else {
                break;
            };
            match cue {
                Cue::Scale(s, _) if !scaled && unit != Some("percent") => {
                    value *= s;
                    scaled = true;
                    any = true;
                    end = e;
                }
                Cue::Currency(u) if !matches!(unit, Some("percent")) => {
                    if unit.is_some() && !any {
                        break;
                    }
                    let (qualified_end, qualified_unit) = self.qualified(text, e, u);
                    unit = Some(qualified_unit);
                    end = qualified_end;
                    any = true;
                    break;
                }
                Cue::Percent if unit.is_none() => {
                    unit = Some("percent");
                    end = e;
                    any = true;
                    break;
                }
                _ => break,
            }
        }
        (end, value, unit, any)
    }

    /// `ريال سعودي` → SAR: extends over a nationality after the currency.
    fn qualified(&self, text: &str, end: usize, unit: &'static str) -> (usize, &'static str) {
        let family = match unit {
            "USD" => "dollar",
            u => u,
        };
        if let Some(t) = next_token(text, end).filter(|t| t.is_word()) {
            let w = t.text(text);
            let w = w.strip_suffix('ة').unwrap_or(w);
            let w2 = w.strip_suffix('ا').unwrap_or(w);
            for &(fam, q2, code) in &self.qualifiers {
                // Folding keeps the length in bytes: lengths are compared
                // first, and are cheaper to compare than the families.
                if (q2.len() != w.len() && q2.len() != w2.len()) || fam != family {
                    continue;
                }
                let same = |w: &str| w.len() == q2.len() && same_folding_alef(w, q2);
                if same(w) || same(w2) {
                    return (t.end, code);
                }
            }
        }
        (end, unit)
    }
}

#[cfg(test)]
mod tests;
