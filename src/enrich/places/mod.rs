//! Geotagging: countries, capitals and cities named in an article.
//!
//! The gazetteer table (built by `news-enricher train gazetteer`) is loaded
//! once; every name is folded ([`fold`]) and put into one word-level hash
//! table ([`lookup`]). Each field of an article is folded the same way into
//! words, and phrases of one to a few words are looked up. A hit counts when
//! it ends a word and starts one, or follows an Arabic proclitic (و ف ب ل ك
//! and their pairs; `لل` before a name with the article); the span covers the
//! name in the original text, without the proclitic.
//!
//! Ambiguous names are resolved per article, never to the first entry: a
//! country beats a city of the same name unless the article names the city's
//! country and not that one (عمان is Amman in an article about Jordan, Oman
//! otherwise); between cities, the score adds the population (log), the
//! countries the article names unambiguously elsewhere (names, adjectives,
//! cities all in one country), the article's language among the country's
//! languages, and capital status.
//!
//! Names that are also ordinary words or given names ([`CONFIRM`]) are marked
//! on their mentions; the entity recogniser keeps those only where its tagger
//! reads a location.

use std::path::Path;

use crate::enrich::text::hash::FxHashMap;
use crate::enrich::LoadError;
use crate::model::record::{Field, Place, Span};

pub mod fold;
pub mod lookup;
#[cfg(test)]
mod reference;
pub mod table;

use fold::{fold_words, is_arabic, Cursor, Word};
use lookup::{Lookup, LAM_PROCLITICS, PROCLITICS};
use table::{CityRow, CountryRow, Table, CAPITALISED, CONFIRM, DEMONYM, UPPER};

/// File name of the gazetteer table in the model directory.
pub const TABLE_FILE: &str = "gazetteer.json.gz";

/// Geotagging options.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Options {
    /// Count demonyms and adjectives (السوري, Iranian, américain) as mentions
    /// of their country in `places`.
    pub demonyms_are_mentions: bool,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            demonyms_are_mentions: true,
        }
    }
}

#[derive(Debug, Clone, Copy)]
struct Entry {
    target: u32,
    flags: u8,
    after_lam: bool,
}

/// A place in the gazetteer: a country or a city (index into the table).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum PlaceId {
    Country(u16),
    City(u32),
}

/// One resolved mention of a place.
#[derive(Debug, Clone, PartialEq)]
pub struct PlaceMention {
    pub place: PlaceId,
    pub span: Span,
    /// The original text of the span.
    pub surface: String,
    /// A demonym or adjective (السوري, Iranian), not the place's name.
    pub demonym: bool,
    /// The name is also an ordinary word or a given name: it needs a tagger's
    /// location reading to count.
    pub needs_confirmation: bool,
}

/// What the geotagger found in one article.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Geotag {
    /// Places, most mentioned first.
    pub places: Vec<Place>,
    /// The place id of every entry of `places`, in the same order.
    pub ids: Vec<PlaceId>,
    /// Every mention, in text order (title first).
    pub mentions: Vec<PlaceMention>,
}

/// One reading of a hit: the place (table index) and the alias flags.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
struct Candidate {
    target: u32,
    flags: u8,
}

/// A hit before resolution: its span, its surface (a byte range of the
/// field's text) and its candidate places (a list of [`Lists`]).
#[derive(Debug, Clone, Copy)]
struct Hit {
    span: Span,
    bytes: (usize, usize),
    list: usize,
}

/// Buffers of one article's matching, reused across its fields.
#[derive(Debug, Default)]
struct Scratch {
    folded: String,
    words: Vec<Word>,
    occurrences: Vec<lookup::Found>,
}

/// The distinct candidate lists of one article, each stored once: hits with
/// the same list are one name and get one reading.
#[derive(Debug, Default)]
struct Lists {
    pool: Vec<Candidate>,
    ranges: Vec<(usize, usize)>,
}

impl Lists {
    fn get(&self, list: usize) -> &[Candidate] {
        self.ranges
            .get(list)
            .and_then(|&(s, e)| self.pool.get(s..e))
            .unwrap_or_default()
    }

    /// Stores the candidates pushed on `pool` since `start` as a list, or
    /// drops them if an equal list exists; its index, `None` when empty.
    fn close(&mut self, start: usize) -> Option<usize> {
        let new = self.pool.get(start..)?;
        if new.is_empty() {
            return None;
        }
        let found = self
            .ranges
            .iter()
            .position(|&(s, e)| self.pool.get(s..e) == Some(new));
        match found {
            Some(i) => {
                self.pool.truncate(start);
                Some(i)
            }
            None => {
                self.ranges.push((start, self.pool.len()));
                Some(self.ranges.len() - 1)
            }
        }
    }
}

/// The loaded gazetteer and its lookup table.
pub struct Gazetteer {
    version: String,
    countries: Vec<CountryRow>,
    cities: Vec<CityRow>,
    entries: Vec<Vec<Entry>>,
    arabic: Vec<bool>,
    lookup: Lookup,
    #[cfg(test)]
    keys: Vec<String>,
}

impl std::fmt::Debug for Gazetteer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Gazetteer")
            .field("version", &self.version)
            .field("countries", &self.countries.len())
            .field("cities", &self.cities.len())
            .field("patterns", &self.entries.len())
            .finish()
    }
}

impl Gazetteer {
    /// Loads `dir/gazetteer.json.gz`.
    pub fn load(dir: &Path) -> Result<Self, LoadError> {
        let path = dir.join(TABLE_FILE);
        let bytes = std::fs::read(&path).map_err(|source| LoadError::Io {
            path: path.clone(),
            source,
        })?;
        let table = Table::from_gzip_json(&bytes).map_err(|reason| LoadError::Invalid {
            path: path.clone(),
            reason,
        })?;
        Self::from_table(table).map_err(|reason| LoadError::Invalid { path, reason })
    }

    /// Builds the lookup table over a table (tests pass small hand-made ones).
    pub fn from_table(table: Table) -> Result<Self, String> {
        let mut index: FxHashMap<String, usize> = FxHashMap::default();
        let mut keys: Vec<String> = Vec::new();
        let mut entries: Vec<Vec<Entry>> = Vec::new();
        let mut push = |key: String, e: Entry| {
            let i = *index.entry(key.clone()).or_insert_with(|| {
                keys.push(key);
                entries.push(Vec::new());
                entries.len() - 1
            });
            entries[i].push(e);
        };
        for a in &table.aliases {
            if a.0.is_empty() {
                continue;
            }
            let e = Entry {
                target: a.1,
                flags: a.2,
                after_lam: false,
            };
            if let Some(rest) = a.0.strip_prefix('ا').filter(|r| r.starts_with('ل')) {
                push(
                    rest.to_string(),
                    Entry {
                        after_lam: true,
                        ..e
                    },
                );
            }
            push(a.0.clone(), e);
        }
        let arabic = keys.iter().map(|k| k.chars().any(is_arabic)).collect();
        let lookup = Lookup::new(keys.iter().map(String::as_str));
        Ok(Gazetteer {
            version: table.version,
            countries: table.countries,
            cities: table.cities,
            entries,
            arabic,
            lookup,
            #[cfg(test)]
            keys,
        })
    }

    pub fn version(&self) -> &str {
        &self.version
    }

    /// Countries, cities and name patterns in the table.
    pub fn sizes(&self) -> (usize, usize, usize) {
        (self.countries.len(), self.cities.len(), self.entries.len())
    }

    fn place_id(&self, target: u32) -> PlaceId {
        let n = self.countries.len() as u32;
        if target < n {
            PlaceId::Country(target as u16)
        } else {
            PlaceId::City(target - n)
        }
    }

    /// The ISO code of the country a place is in.
    pub fn country_of(&self, id: PlaceId) -> Option<&str> {
        let ci = match id {
            PlaceId::Country(c) => c as usize,
            PlaceId::City(i) => self.cities.get(i as usize)?.1 as usize,
        };
        self.countries.get(ci).map(|c| c.0.as_str())
    }

    fn country_index(&self, target: u32) -> usize {
        match self.place_id(target) {
            PlaceId::Country(c) => c as usize,
            PlaceId::City(i) => self
                .cities
                .get(i as usize)
                .map_or(usize::MAX, |c| c.1 as usize),
        }
    }

    /// The place's name in `lang` (`ar`, `fr`, `fa`; English otherwise).
    pub fn name(&self, id: PlaceId, lang: &str) -> String {
        let pick = |en: &str, ar: &str, fr: &str, fa: &str| {
            let n = match lang {
                "ar" => ar,
                "fr" => fr,
                "fa" => fa,
                _ => en,
            };
            if n.is_empty() { en } else { n }.to_string()
        };
        match id {
            PlaceId::Country(c) => self
                .countries
                .get(c as usize)
                .map(|c| pick(&c.1, &c.2, &c.3, &c.4))
                .unwrap_or_default(),
            PlaceId::City(i) => self
                .cities
                .get(i as usize)
                .map(|c| pick(&c.2, &c.3, &c.4, ""))
                .unwrap_or_default(),
        }
    }

    /// Whether key `p` may follow `prefix` (the letters before it in its
    /// word): `None` if not, else whether the prefix is a lam proclitic.
    fn prefix_ok(&self, p: usize, prefix: &str) -> Option<bool> {
        let arabic = self.arabic.get(p).copied().unwrap_or(false);
        let plain_ok = prefix.is_empty() || (arabic && PROCLITICS.contains(&prefix));
        plain_ok.then(|| arabic && LAM_PROCLITICS.contains(&prefix))
    }

    /// The readings of key `p` at `surface` (after a lam proclitic or not).
    fn readings<'a>(
        &'a self,
        p: usize,
        lam_ok: bool,
        surface: &'a str,
    ) -> impl Iterator<Item = Candidate> + 'a {
        self.entries
            .get(p)
            .into_iter()
            .flatten()
            .filter(move |en| !en.after_lam || lam_ok)
            .filter(move |en| case_ok(surface, en.flags))
            .map(|en| Candidate {
                target: en.target,
                flags: en.flags,
            })
    }

    /// Every name or adjective hit in `text`, before resolution, without
    /// overlaps: longest first, then leftmost.
    fn hits(
        &self,
        text: &str,
        field: Field,
        lists: &mut Lists,
        scratch: &mut Scratch,
        out: &mut Vec<Hit>,
    ) {
        let found = self.all_hits(text, field, lists, scratch);
        // Longest first, then leftmost, then in found order: the keys are
        // distinct, so the order is the same for any sort.
        let mut order: Vec<(std::cmp::Reverse<usize>, usize, usize)> = found
            .iter()
            .enumerate()
            .map(|(i, h)| {
                (
                    std::cmp::Reverse(h.span.end - h.span.start),
                    h.span.start,
                    i,
                )
            })
            .collect();
        order.sort_unstable();
        let from = out.len();
        for h in order
            .into_iter()
            .filter_map(|(_, _, i)| found.get(i).copied())
        {
            if out
                .get(from..)
                .unwrap_or_default()
                .iter()
                .all(|k| h.span.end <= k.span.start || h.span.start >= k.span.end)
            {
                out.push(h);
            }
        }
        if let Some(kept) = out.get_mut(from..) {
            kept.sort_unstable_by_key(|h| h.span.start);
        }
    }

    /// Every hit in `text`, overlapping ones included, by end and then start
    /// in the folded text.
    fn all_hits(
        &self,
        text: &str,
        field: Field,
        lists: &mut Lists,
        scratch: &mut Scratch,
    ) -> Vec<Hit> {
        let Scratch {
            folded: ft,
            words,
            occurrences,
        } = scratch;
        fold_words(text, ft, words);
        occurrences.clear();
        self.lookup.find(ft, words, occurrences);
        let mut found: Vec<Hit> = Vec::with_capacity(occurrences.len());
        for o in occurrences.iter() {
            let prefix = ft.get(o.prefix_start..o.start).unwrap_or_default();
            let p = o.key as usize;
            let Some(lam_ok) = self.prefix_ok(p, prefix) else {
                continue;
            };
            let Some((first, last)) = origins(text, words, o) else {
                continue;
            };
            let end_byte = last.byte
                + text
                    .get(last.byte..)
                    .and_then(|r| r.chars().next())
                    .map_or(0, char::len_utf8);
            let bytes = (first.byte, end_byte.max(first.byte));
            let surface = text.get(bytes.0..bytes.1).unwrap_or_default();
            let start = lists.pool.len();
            lists.pool.extend(self.readings(p, lam_ok, surface));
            let Some(list) = lists.close(start) else {
                continue;
            };
            found.push(Hit {
                span: Span {
                    field,
                    start: first.index,
                    end: (last.index + 1).max(first.index),
                },
                bytes,
                list,
            });
        }
        found
    }

    /// Finds and resolves the places of an article.
    pub fn geotag(&self, title: &str, body: &str, lang: &str, options: Options) -> Geotag {
        let mentions = self.mentions(title, body, lang);
        let (places, ids) = self.summarise(&mentions, lang, options);
        Geotag {
            places,
            ids,
            mentions,
        }
    }

    /// Every resolved place mention of an article, in text order (title first).
    pub fn mentions(&self, title: &str, body: &str, lang: &str) -> Vec<PlaceMention> {
        let mut lists = Lists::default();
        // Room for the longer field at once: the title's buffers serve the body.
        let (folded, words) = fold::room(title.len().max(body.len()));
        let mut scratch = Scratch {
            folded: String::with_capacity(folded),
            words: Vec::with_capacity(words),
            occurrences: Vec::new(),
        };
        let mut hits = Vec::new();
        self.hits(title, Field::Title, &mut lists, &mut scratch, &mut hits);
        self.hits(body, Field::Body, &mut lists, &mut scratch, &mut hits);

        // Countries the article names: country names (a country beats a city
        // of the same name) and names all in one country. Names that may be
        // ordinary words name nothing here. A name is resolved against what
        // the other names say, without its own share (عمان alone does not make
        // an article about Oman).
        let n = self.countries.len() as u32;
        let mut context = Context::default();
        let mut own: Vec<Option<(usize, u32)>> = vec![None; lists.ranges.len()];
        for h in &hits {
            let candidates = lists.get(h.list);
            if candidates.iter().any(|c| c.flags & CONFIRM != 0) {
                continue;
            }
            let mut countries = candidates.iter().filter(|c| c.target < n);
            let ci = match (countries.next(), countries.next()) {
                (Some(c), None) => Some(c.target as usize),
                (Some(_), Some(_)) => None,
                (None, _) => {
                    let first = candidates.first().map(|c| self.country_index(c.target));
                    first.filter(|&ci| {
                        candidates
                            .iter()
                            .all(|c| self.country_index(c.target) == ci)
                    })
                }
            };
            if let (Some(ci), Some(o)) = (ci, own.get_mut(h.list)) {
                context.add(ci);
                o.get_or_insert((ci, 0)).1 += 1;
            }
        }
        // One reading per name and article.
        let mut resolved: Vec<Option<Candidate>> = vec![None; lists.ranges.len()];
        let mut mentions = Vec::with_capacity(hits.len());
        for h in hits {
            let Some(slot) = resolved.get_mut(h.list) else {
                continue;
            };
            let choice = *slot.get_or_insert_with(|| {
                let own_share = own.get(h.list).copied().flatten();
                self.resolve(lists.get(h.list), &context, own_share, lang)
            });
            let text = match h.span.field {
                Field::Title => title,
                Field::Body => body,
            };
            mentions.push(PlaceMention {
                place: self.place_id(choice.target),
                span: h.span,
                surface: text
                    .get(h.bytes.0..h.bytes.1)
                    .unwrap_or_default()
                    .to_string(),
                demonym: choice.flags & DEMONYM != 0,
                needs_confirmation: choice.flags & CONFIRM != 0,
            });
        }

        mentions
    }

    /// The places of a list of mentions, most mentioned first, with their ids.
    pub fn summarise(
        &self,
        mentions: &[PlaceMention],
        lang: &str,
        options: Options,
    ) -> (Vec<Place>, Vec<PlaceId>) {
        let mut order: Vec<(PlaceId, u32, usize)> = Vec::new();
        for (i, m) in mentions.iter().enumerate() {
            if m.demonym && !options.demonyms_are_mentions {
                continue;
            }
            match order.iter_mut().find(|o| o.0 == m.place) {
                Some(o) => o.1 += 1,
                None => order.push((m.place, 1, i)),
            }
        }
        order.sort_by(|a, b| b.1.cmp(&a.1).then(a.2.cmp(&b.2)));
        let mut places = Vec::with_capacity(order.len());
        let mut ids = Vec::with_capacity(order.len());
        for (id, n, _) in order {
            if let Some(p) = self.place(id, n, lang) {
                places.push(p);
                ids.push(id);
            }
        }
        (places, ids)
    }

    /// Picks one candidate: a country if the name is one (unless the article
    /// names a candidate city's country and not that one), else the
    /// best-scored city. `own_share` is what this name itself added to
    /// `context` (country index, mentions), left out here.
    fn resolve(
        &self,
        candidates: &[Candidate],
        context: &Context,
        own_share: Option<(usize, u32)>,
        lang: &str,
    ) -> Candidate {
        let n = self.countries.len() as u32;
        let ctx_of = |t: u32| {
            let ci = self.country_index(t);
            let all = context.get(ci);
            let own = own_share.filter(|o| o.0 == ci).map_or(0, |o| o.1);
            f64::from(all.saturating_sub(own).min(3))
        };
        let country_named = candidates
            .iter()
            .filter(|c| c.target < n)
            .map(|c| ctx_of(c.target))
            .reduce(f64::max);
        let score = |c: &Candidate| -> f64 {
            let t = c.target;
            let ci = self.country_index(t);
            let ctx = ctx_of(t);
            let in_lang = self
                .countries
                .get(ci)
                .is_some_and(|c| c.8.iter().any(|l| l == lang));
            if t < n {
                return 1000.0 + ctx + f64::from(u8::from(in_lang));
            }
            let Some(c) = self.cities.get((t - n) as usize) else {
                return f64::MIN;
            };
            let over_country = if ctx > 0.0 && country_named == Some(0.0) {
                2000.0
            } else {
                0.0
            };
            over_country
                + f64::from(c.7).ln_1p()
                + if ctx > 0.0 { 3.0 + ctx } else { 0.0 }
                + if in_lang { 1.0 } else { 0.0 }
                + if c.8 { 0.5 } else { 0.0 }
        };
        candidates
            .iter()
            .map(|c| (score(c), c))
            .max_by(|a, b| a.0.total_cmp(&b.0).then(b.1.target.cmp(&a.1.target)))
            .map(|(_, c)| *c)
            .unwrap_or(Candidate {
                target: 0,
                flags: 0,
            })
    }

    fn place(&self, id: PlaceId, mentions: u32, lang: &str) -> Option<Place> {
        let name = self.name(id, lang);
        match id {
            PlaceId::Country(c) => {
                let c = self.countries.get(c as usize)?;
                Some(Place {
                    name,
                    kind: "country".into(),
                    country_code: c.0.clone(),
                    lat: round(c.5),
                    lon: round(c.6),
                    geonames_id: c.7,
                    mentions,
                })
            }
            PlaceId::City(i) => {
                let c = self.cities.get(i as usize)?;
                Some(Place {
                    name,
                    kind: if c.8 { "capital" } else { "city" }.into(),
                    country_code: self.countries.get(c.1 as usize)?.0.clone(),
                    lat: round(c.5),
                    lon: round(c.6),
                    geonames_id: Some(c.0),
                    mentions,
                })
            }
        }
    }
}

/// How many names of an article point to each country (by country index).
#[derive(Debug, Default)]
struct Context(Vec<(usize, u32)>);

impl Context {
    fn add(&mut self, ci: usize) {
        match self.0.iter_mut().find(|c| c.0 == ci) {
            Some(c) => c.1 += 1,
            None => self.0.push((ci, 1)),
        }
    }

    fn get(&self, ci: usize) -> u32 {
        self.0.iter().find(|c| c.0 == ci).map_or(0, |c| c.1)
    }
}

fn round(x: f32) -> f64 {
    (f64::from(x) * 1e4).round() / 1e4
}

/// The cursors before the original characters of an occurrence's first and
/// last folded bytes.
fn origins(text: &str, words: &[Word], o: &lookup::Found) -> Option<(Cursor, Cursor)> {
    let (w, last) = (words.get(o.word)?, words.get(o.last_word)?);
    let first = if o.start == w.start() {
        w.first()
    } else if o.start > w.start() {
        w.first().origin_of(text, o.start)?
    } else {
        let anchor = o
            .word
            .checked_sub(1)
            .and_then(|p| words.get(p))
            .map_or(Cursor::start(), Word::last);
        anchor.origin_of(text, o.start)?
    };
    let end = if o.end == last.end() {
        last.last()
    } else {
        last.last().origin_of(text, o.end.checked_sub(1)?)?
    };
    Some((first, end))
}

/// Case requirements of Latin names on the original surface.
fn case_ok(surface: &str, flags: u8) -> bool {
    if flags & UPPER != 0 {
        return surface
            .chars()
            .filter(|c| c.is_alphabetic())
            .all(char::is_uppercase);
    }
    if flags & CAPITALISED != 0 {
        return surface.chars().next().is_some_and(char::is_uppercase);
    }
    true
}

#[cfg(test)]
mod tests;
