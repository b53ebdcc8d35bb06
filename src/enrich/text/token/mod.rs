//! Tokenizer: words and numbers with their byte spans into the original
//! field, their normalised, base (clitics removed) and stemmed forms.
//!
//! The forms live in one string buffer owned by the [`super::Document`]; a
//! token only holds ranges into it, so tokenising an article allocates a
//! handful of growing vectors and no string per token.

mod chars;
mod number;

pub(crate) use chars::is_alnum;
use chars::*;
pub use number::push_number;

use super::bytes::{
    arabic_class, arabic_cp, arabic_run_len, ascii_alnum_len, is_common_arabic_letter, is_haraka,
    LETTER,
};
use super::hash::FxHashMap;
use super::{arabic, latin, stem, stopwords, Lang};
use crate::model::record::Field;

/// What a token is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenKind {
    /// A word (letters, possibly with digits, hyphens or inner apostrophes).
    Word,
    /// A number; its normalised form is ASCII digits with `.` as the decimal
    /// separator and no grouping (`1,250.5`, `1 250,5`, `١٬٢٥٠٫٥` → `1250.5`).
    Number,
    /// An elided French word (`l'`, `qu'`) or an English possessive (`'s`).
    Clitic,
}

/// A compact `u32` byte range.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) struct R32 {
    pub start: u32,
    pub end: u32,
}

impl R32 {
    /// Marks a range of a token's forms that lies in the text of the
    /// [`super::forms::FormTable`] rather than in the document's buffer
    /// (whose offsets are held below it by [`Self::in_buf`]).
    pub const IN_TABLE: u32 = 1 << 31;

    pub fn new(start: usize, end: usize) -> Self {
        R32 {
            start: clamp32(start),
            end: clamp32(end),
        }
    }
    /// A range of the document's buffer. Offsets that would carry the
    /// [`Self::IN_TABLE`] mark (a buffer of 2 GB or more) are held just
    /// below it, so such a form reads as nothing instead of as a range of
    /// the form table.
    pub fn in_buf(start: usize, end: usize) -> Self {
        let below = |n: usize| n.min(Self::IN_TABLE as usize - 1) as u32;
        R32 {
            start: below(start),
            end: below(end),
        }
    }
    /// A range of the form table's text, marked [`Self::IN_TABLE`].
    pub fn in_table(start: usize, end: usize) -> Self {
        let r = R32::new(start, end);
        R32 {
            start: r.start | Self::IN_TABLE,
            end: r.end | Self::IN_TABLE,
        }
    }
    pub fn get<'a>(&self, s: &'a str) -> &'a str {
        s.get(self.start as usize..self.end as usize).unwrap_or("")
    }
    /// The form this range names: in `table` (the form table's text) when
    /// marked [`Self::IN_TABLE`], else in `buf` (the document's buffer).
    #[inline]
    pub fn resolve<'a>(&self, buf: &'a str, table: &'a str) -> &'a str {
        if self.start & Self::IN_TABLE != 0 {
            let (start, end) = (self.start & !Self::IN_TABLE, self.end & !Self::IN_TABLE);
            table.get(start as usize..end as usize).unwrap_or("")
        } else {
            self.get(buf)
        }
    }
}

fn clamp32(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// One token. Byte offsets are into its field's original text; the forms are
/// read through the [`super::Document`] (`doc.norm(t)`, `doc.base(t)`, `doc.stem(t)`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Token {
    pub field: Field,
    pub kind: TokenKind,
    /// A stop word of the document's language (or of the token's script).
    pub stop: bool,
    /// Byte span of the whole token in the original field.
    pub start: u32,
    pub end: u32,
    /// Byte offset after Arabic conjunction/preposition proclitics (و ف ب ك ل)
    /// that precede the article: `الاتفاقية` inside `والاتفاقية`. Equal to
    /// `start` when there are none.
    pub word_start: u32,
    /// Index of the body sentence holding the token (`u32::MAX` in the title).
    pub sentence: u32,
    pub(crate) norm: R32,
    pub(crate) base: R32,
    pub(crate) stem: R32,
    /// Tokens of one document with the same form id are equal but for their
    /// offsets (same surface, so same forms, kind and stop flag): per-word
    /// work downstream is done once per id ([`super::Document::forms`]).
    pub(crate) form: u32,
}

impl Token {
    /// Byte range in the original field.
    pub fn range(&self) -> std::ops::Range<usize> {
        self.start as usize..self.end as usize
    }
    /// Whether the token counts as a word of running text (words and numbers).
    pub fn is_word(&self) -> bool {
        self.kind != TokenKind::Clitic
    }
    /// Whether Arabic proclitics (particles, article) were split off.
    pub fn has_particles(&self) -> bool {
        self.word_start > self.start
    }
}

/// The end of the token starting at `start` when it is one run of ASCII
/// letters and digits led by a letter, or one run of common Arabic letters
/// and harakat led by a letter, and what follows the run surely ends it
/// (the end of the text, an ASCII character that cannot join a word on,
/// a mark [`ends_latin_run`] names, or after Arabic letters any character
/// but an inner mark or an Arabic letter): what [`Tokenizer::scan`] finds
/// then, without its general rules.
/// `None` when `scan` must decide.
#[inline]
fn quick_end(text: &str, start: usize) -> Option<usize> {
    let rest = text.as_bytes().get(start..)?;
    let first = *rest.first()?;
    if first.is_ascii_alphabetic() {
        let run = ascii_alnum_len(rest);
        let end = start + run;
        // An apostrophe or a hyphen may join a word on; a dot after a
        // single capital may be an initialism's (U.S.).
        return match rest.get(run) {
            None => Some(end),
            Some(b'\'' | b'-') => None,
            Some(b'.') if run == 1 && first.is_ascii_uppercase() => None,
            Some(&b) if b < 0x80 => Some(end),
            Some(_) if ends_latin_run(rest.get(run..).unwrap_or(&[])) => Some(end),
            Some(_) => None,
        };
    }
    if !matches!(rest, [b0, b1, ..] if arabic_class(*b0, *b1) == LETTER) {
        return None;
    }
    // Inside a run of two-byte characters the pairs stay aligned.
    let run = arabic_run_len(rest);
    // After an Arabic letter no ASCII character joins a word on; of the
    // others only inner marks and Arabic letters do.
    let end = start + run;
    match rest.get(run) {
        Some(&b) if b >= 0x80 => {
            let d = char_at(text, end)?;
            let joins = is_inner_mark(d) || (arabic::is_arabic_letter(d) && is_word_char(d));
            (!joins).then_some(end)
        }
        _ => Some(end),
    }
}

/// Whether the bytes after a run of ASCII letters and digits begin a
/// character that surely ends the word: a curly double quote, an en or em
/// dash, an ellipsis, a guillemet, or an Arabic comma, semicolon or
/// question mark (none is a word character, an apostrophe, a hyphen, a
/// number's separator or a group space).
#[inline]
fn ends_latin_run(after: &[u8]) -> bool {
    matches!(
        after,
        [0xE2, 0x80, 0x93 | 0x94 | 0x9C | 0x9D | 0xA6, ..]
            | [0xC2, 0xAB | 0xBB, ..]
            | [0xD8, 0x8C | 0x9B | 0x9F, ..]
    )
}

/// The ASCII bytes that are neither letters nor digits: white space and
/// punctuation, skipped between tokens without decoding.
static ASCII_OTHER: [bool; 256] = {
    let mut t = [false; 256];
    let mut b = 0;
    while b < 128 {
        t[b] = !(b as u8).is_ascii_alphanumeric();
        b += 1;
    }
    t
};

/// The stem hash a form of token `t` with stem `stem` keeps: the stem's
/// [`super::docfreq::stem_hash`] for a word that is not a stop word (what
/// the keyword weights look up), else 0.
pub(crate) fn weighed_stem_hash(t: &Token, stem: &str) -> u64 {
    if t.kind == TokenKind::Word && !t.stop {
        super::docfreq::stem_hash(stem)
    } else {
        0
    }
}

/// Reusable state for tokenising the fields of one document.
pub(crate) struct Tokenizer<'b, 't> {
    pub lang: Lang,
    pub buf: &'b mut String,
    pub out: &'b mut Vec<Token>,
    /// Latin stems already computed: hash of the folded word → (norm, stem) ranges.
    pub stem_cache: &'b mut FxHashMap<u64, (R32, R32)>,
    /// Tokens already made, by the hash of their surface (title and body).
    pub seen: super::seen::SeenTable<'t>,
    /// Form ids handed out so far.
    pub forms: u32,
    /// By form id: the [`super::docfreq::stem_hash`] of the form's stem
    /// when it is a word and not a stop word, else 0 (see
    /// [`super::Document::stem_hash`]).
    pub stem_hashes: &'b mut Vec<u64>,
    /// Frequent surfaces with their forms made already.
    pub table: Option<&'b super::forms::FormTable>,
}

impl<'t> Tokenizer<'_, 't> {
    /// Tokenises `text` (one field) and appends the tokens.
    pub fn run(&mut self, text: &'t str, field: Field) {
        let len = text.len().min(u32::MAX as usize - 8);
        let bytes = text.as_bytes();
        let mut i = 0;
        while i < len {
            // ASCII spaces and punctuation: skip without decoding.
            if ASCII_OTHER[usize::from(bytes[i])] {
                i += 1;
                continue;
            }
            let c = match common_arabic_letter(bytes, i) {
                Some(c) => c,
                None => {
                    let Some(c) = char_at(text, i) else { break };
                    if !is_word_char(c) {
                        i += c.len_utf8();
                        continue;
                    }
                    c
                }
            };
            let end = match quick_end(text, i) {
                Some(end) => end,
                None => self.scan(text, i, c),
            };
            self.emit_cached(text, field, i, end);
            i = end.max(i + c.len_utf8());
        }
    }

    /// [`Self::emit`], or a copy of the token of an earlier occurrence of
    /// the same surface in this document (a token is a function of its
    /// surface and the language; only its field and offsets differ).
    fn emit_cached(&mut self, text: &'t str, field: Field, start: usize, end: usize) {
        let surface = text.as_bytes().get(start..end).unwrap_or(&[]);
        let key = super::forms::surface_hash(surface);
        let vacant = match self.seen.find(key, surface, self.out) {
            Ok(k) => {
                if let Some(t) = self.out.get(k) {
                    let shift = |x: u32| clamp32((x - t.start) as usize + start);
                    let copy = Token {
                        field,
                        start: clamp32(start),
                        end: clamp32(end),
                        word_start: shift(t.word_start),
                        ..*t
                    };
                    self.out.push(copy);
                }
                return;
            }
            Err(at) => at,
        };
        let before = self.out.len();
        match self.table.and_then(|f| f.get(self.lang, key, surface)) {
            Some(f) => {
                self.out.push(Token {
                    field,
                    kind: TokenKind::Word,
                    stop: f.stop,
                    start: clamp32(start),
                    end: clamp32(end),
                    word_start: clamp32(start + f.skip as usize),
                    sentence: u32::MAX,
                    norm: f.norm,
                    base: f.base,
                    stem: f.stem,
                    form: self.forms,
                });
                self.stem_hashes.push(f.stem_hash);
                self.forms += 1;
                self.seen.insert(vacant, key, before);
                return;
            }
            None => self.emit(text, field, start, end),
        }
        let table = self.table.map_or("", |f| f.text());
        for t in &mut self.out[before..] {
            t.form = self.forms;
            self.forms += 1;
            // The stem was just made: its bytes are still at hand.
            self.stem_hashes
                .push(weighed_stem_hash(t, t.stem.resolve(self.buf, table)));
        }
        if self.out.len() == before + 1
            && self.out.last().is_some_and(|t| t.range() == (start..end))
        {
            self.seen.insert(vacant, key, before);
        }
    }

    /// Finds the end of the token starting with `c` at `start`.
    fn scan(&self, text: &str, start: usize, c: char) -> usize {
        let mut end = start + c.len_utf8();
        let mut numeric = is_digit(c);
        let mut last = c;
        let mut group_digits = usize::from(numeric);
        let mut initialism = c.is_ascii_uppercase();
        let mut dotted = false;
        let bytes = text.as_bytes();
        let mut last_ar = arabic::is_arabic_letter(last);
        while let Some(&b) = bytes.get(end) {
            // ASCII letters and digits (the common case): no decoding.
            if b.is_ascii_alphanumeric() {
                if last_ar {
                    break;
                }
                // The whole run of ASCII letters and digits at once.
                let mut k = end;
                while let Some(&d) = bytes.get(k) {
                    if d.is_ascii_digit() {
                        group_digits += 1;
                    } else if d.is_ascii_alphabetic() {
                        numeric = false;
                    } else {
                        break;
                    }
                    k += 1;
                }
                initialism = false;
                last = bytes.get(k - 1).map_or(last, |&d| d as char);
                end = k;
                continue;
            }
            // Other ASCII: only an apostrophe, a hyphen, a number's separator
            // or a French group space may go on; anything else ends the token.
            if b < 0x80
                && !(matches!(b, b'\'' | b'-' | b'.' | b',')
                    || (b == b' ' && self.lang == Lang::Fr && numeric))
            {
                break;
            }
            // The common Arabic letters (U+0621..U+063A, U+0641..U+064A) and
            // harakat (U+064B..U+065F), two bytes each.
            if let Some(cp) = bytes.get(end + 1).and_then(|&b1| arabic_cp(b, b1)) {
                if is_haraka(cp) {
                    end += 2;
                    continue;
                }
                if is_common_arabic_letter(cp) {
                    if !last_ar {
                        break;
                    }
                    numeric = false;
                    initialism = false;
                    // The whole run of these letters and harakat at once.
                    let mut last_cp = cp;
                    end += 2;
                    while let (Some(&l), Some(&l1)) = (bytes.get(end), bytes.get(end + 1)) {
                        let Some(cp) = arabic_cp(l, l1) else { break };
                        if is_common_arabic_letter(cp) {
                            last_cp = cp;
                        } else if !is_haraka(cp) {
                            break;
                        }
                        end += 2;
                    }
                    last = char::from_u32(last_cp).unwrap_or(last);
                    continue;
                }
            }
            let Some(d) = char_at(text, end) else { break };
            if is_inner_mark(d) {
                end += d.len_utf8();
                continue;
            }
            if is_word_char(d) {
                let d_ar = arabic::is_arabic_letter(d);
                // Script changes split: 2018م, CNNالعربية.
                if (last_ar && !d_ar) || (d_ar && !last_ar) {
                    break;
                }
                if is_digit(d) {
                    group_digits += 1;
                } else {
                    numeric = false;
                }
                initialism = false;
                last = d;
                last_ar = d_ar;
                end += d.len_utf8();
                continue;
            }
            let next_at = end + d.len_utf8();
            let next = char_at(text, next_at);
            let joinable = |n: Option<char>| n.is_some_and(is_word_char);
            if latin::is_apostrophe(d) && is_latin_letter(last) && next.is_some_and(is_latin_letter)
            {
                end = next_at;
                continue;
            }
            if latin::is_hyphen(d)
                && last.is_alphanumeric()
                && joinable(next)
                && !arabic::is_arabic_letter(last)
            {
                end = next_at;
                continue;
            }
            if numeric
                && matches!(d, '.' | ',' | '٫' | '٬')
                && is_digit(last)
                && next.is_some_and(is_digit)
            {
                group_digits = 0;
                end = next_at;
                continue;
            }
            if numeric && is_group_space(d, self.lang) && is_digit(last) && group_digits <= 3 {
                // Exactly three digits, then no digit: a thousands group.
                let group: Vec<char> = text.get(next_at..).unwrap_or("").chars().take(4).collect();
                if group.len() >= 3
                    && group[..3].iter().all(|&g| is_digit(g))
                    && !group.get(3).is_some_and(|&g| is_digit(g))
                {
                    group_digits = 0;
                    end = next_at;
                    continue;
                }
            }
            if d == '.' && initialism {
                // U.S., U.N.: single capitals separated by dots.
                let after = next.map(|n| next_at + n.len_utf8());
                if next.is_some_and(|n| n.is_ascii_uppercase())
                    && after.and_then(|a| char_at(text, a)) == Some('.')
                {
                    last = next.unwrap_or(last);
                    last_ar = arabic::is_arabic_letter(last);
                    dotted = true;
                    end = after.unwrap_or(next_at);
                    continue;
                }
                if dotted {
                    end = next_at;
                }
            }
            break;
        }
        end
    }

    pub fn emit(&mut self, text: &str, field: Field, start: usize, end: usize) {
        let surface = text.get(start..end).unwrap_or("");
        let first = surface.chars().next().unwrap_or(' ');
        if is_latin_letter(first) && surface.contains(latin::is_apostrophe) {
            if matches!(self.lang, Lang::Fr | Lang::Other) {
                if let Some(k) = latin::french_elision(surface) {
                    self.push_latin(text, field, start, start + k, TokenKind::Clitic);
                    let rest = start + k;
                    let rest_end = self.scan(text, rest, char_at(text, rest).unwrap_or(' '));
                    if rest_end > rest && rest_end <= end {
                        self.emit(text, field, rest, rest_end);
                    }
                    return;
                }
            }
            if matches!(self.lang, Lang::En | Lang::Other | Lang::Ar) {
                if let Some(k) = latin::english_possessive(surface) {
                    self.push_latin(text, field, start, start + k, TokenKind::Word);
                    self.push_latin(text, field, start + k, end, TokenKind::Clitic);
                    return;
                }
            }
        }
        if is_digit(first) && surface.chars().all(|c| is_digit(c) || !c.is_alphabetic()) {
            self.push_number(field, surface, start, end);
        } else if arabic::is_arabic_letter(first) {
            self.push_arabic(field, surface, start, end);
        } else {
            self.push_latin(text, field, start, end, TokenKind::Word);
        }
    }

    fn push_number(&mut self, field: Field, surface: &str, start: usize, end: usize) {
        let n0 = self.buf.len();
        push_number(surface, self.lang, self.buf);
        let norm = R32::in_buf(n0, self.buf.len());
        self.out.push(Token {
            field,
            kind: TokenKind::Number,
            stop: false,
            start: clamp32(start),
            end: clamp32(end),
            word_start: clamp32(start),
            sentence: u32::MAX,
            norm,
            base: norm,
            stem: norm,
            form: 0,
        });
    }

    fn push_arabic(&mut self, field: Field, surface: &str, start: usize, end: usize) {
        let n0 = self.buf.len();
        arabic::push_normalised(surface, self.buf);
        let n1 = self.buf.len();
        let norm = &self.buf[n0..n1];
        let p = arabic::proclitics(norm);
        let base_off = n0 + p.len() * 2;
        let base = &self.buf[base_off..n1];
        let stem = arabic::light_stem(base, !p.is_empty());
        let stem_off = base_off + (stem.as_ptr() as usize - base.as_ptr() as usize);
        let stem_r = R32::in_buf(stem_off, stem_off + stem.len());
        // The base is the normalised form itself when there are no proclitics.
        let stop = stopwords::is_stop(Lang::Ar, norm)
            || (!p.is_empty() && stopwords::is_stop(Lang::Ar, base));
        // The particles end after `particles` letters of the original (marks follow their letter).
        let mut word_start = start;
        if p.particles > 0 {
            let mut letters = 0;
            for (i, c) in surface.char_indices() {
                if arabic::is_ignorable(c) {
                    continue;
                }
                if letters == p.particles as usize {
                    word_start = start + i;
                    break;
                }
                letters += 1;
            }
        }
        self.out.push(Token {
            field,
            kind: TokenKind::Word,
            stop,
            start: clamp32(start),
            end: clamp32(end),
            word_start: clamp32(word_start),
            sentence: u32::MAX,
            norm: R32::in_buf(n0, n1),
            base: R32::in_buf(base_off, n1),
            stem: stem_r,
            form: 0,
        });
    }

    fn push_latin(&mut self, text: &str, field: Field, start: usize, end: usize, kind: TokenKind) {
        let surface = text.get(start..end).unwrap_or("");
        let n0 = self.buf.len();
        latin::push_folded(surface, self.buf);
        let n1 = self.buf.len();
        let norm_r = R32::in_buf(n0, n1);
        let stop_lang = if self.lang == Lang::Ar {
            Lang::Other
        } else {
            self.lang
        };
        let stop = kind == TokenKind::Clitic || {
            let norm = &self.buf[n0..n1];
            stopwords::is_stop(stop_lang, norm.trim_end_matches('\''))
        };
        let stem_r = if stop
            || !self.buf[n0..n1]
                .chars()
                .any(|c| is_alnum(c) && !c.is_ascii_digit())
        {
            norm_r
        } else {
            self.latin_stem(n0, n1)
        };
        self.out.push(Token {
            field,
            kind,
            stop,
            start: clamp32(start),
            end: clamp32(end),
            word_start: clamp32(start),
            sentence: u32::MAX,
            norm: norm_r,
            base: norm_r,
            stem: stem_r,
            form: 0,
        });
    }

    /// Stems the folded word at `buf[n0..n1]`, reusing an earlier stem of the same word.
    fn latin_stem(&mut self, n0: usize, n1: usize) -> R32 {
        let key = super::forms::surface_hash(&self.buf.as_bytes()[n0..n1]);
        if let Some(&(norm, stem)) = self.stem_cache.get(&key) {
            if norm.get(self.buf) == &self.buf[n0..n1] {
                return stem;
            }
        }
        let lang = if self.lang == Lang::Fr {
            Lang::Fr
        } else {
            Lang::En
        };
        let owned = match stem::latin_stem(lang, &self.buf[n0..n1]) {
            std::borrow::Cow::Borrowed(b) => {
                let off = b.as_ptr() as usize - self.buf.as_ptr() as usize;
                Err(R32::in_buf(off, off + b.len()))
            }
            std::borrow::Cow::Owned(s) => Ok(s),
        };
        let stem = match owned {
            Err(r) => r,
            Ok(s) => {
                let s0 = self.buf.len();
                self.buf.push_str(&s);
                R32::in_buf(s0, self.buf.len())
            }
        };
        self.stem_cache
            .entry(key)
            .or_insert((R32::in_buf(n0, n1), stem));
        stem
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn buffer_ranges_never_read_as_table_ranges() {
        let far = R32::IN_TABLE as usize + 5;
        assert_eq!(R32::in_buf(far, far + 4).resolve("buffer", "table"), "");
        assert_eq!(R32::in_buf(1, 4).resolve("buffer", "table"), "uff");
        assert_eq!(R32::in_table(1, 4).resolve("buffer", "table"), "abl");
    }

    proptest! {
        #[test]
        fn quick_end_is_what_scan_finds(text in "[a-zA-Z0-9\u{0621}-\u{0652}\u{0660}-\u{0669} .,'’\\-éÀ\u{0640}\u{00A0}]{0,40}|[aUSب\u{064E}1 .,'\\-]{0,30}|[aZ1ب\u{0660}\u{0670}\u{0671}\u{06D6}\u{FD3E}\u{FB50} “”–—…«»،؛؟\u{00AD}\u{00B2}\u{200C}\u{200F}\u{2010}\u{202F}]{0,30}", lang in 0usize..4) {
            let lang = [Lang::Ar, Lang::En, Lang::Fr, Lang::Other][lang];
            let (mut buf, mut out, mut cache) = (String::new(), Vec::new(), FxHashMap::default());
            let tk = Tokenizer {
                lang,
                buf: &mut buf,
                out: &mut out,
                stem_cache: &mut cache,
                seen: super::super::seen::SeenTable::new("", "", 1),
                forms: 0,
                stem_hashes: &mut Vec::new(),
                table: None,
            };
            for (i, c) in text.char_indices() {
                if let Some(end) = quick_end(&text, i) {
                    prop_assert_eq!(end, tk.scan(&text, i, c), "{} at {}", text, i);
                }
            }
        }
    }
}
