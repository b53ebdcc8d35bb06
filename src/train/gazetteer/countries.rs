//! Countries: one row each from world-countries (codes, names, coordinates,
//! languages, GeoNames id), and their names in every source — common and
//! official names in Arabic, English, French and Persian, alternative
//! spellings, demonyms and the project's short forms.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::Path;

use anyhow::Context;
use serde_json::Value;

use super::common_words::{arabic_common, Evidence, Kind};
use super::{Builder, Report};
use crate::enrich::places::fold::{fold_key, is_arabic};
use crate::enrich::places::table::{CountryRow, CAPITALISED, DEMONYM, UPPER};
use crate::train::sources::{num, read_json, s, strs};

const SHORT_FORMS: &str = include_str!("../../../resources/gazetteer/short_forms.tsv");

/// The country rows and what later steps need of them.
pub(super) struct Countries {
    pub(super) rows: Vec<CountryRow>,
    /// Row index by ISO 3166-1 alpha-2 code.
    pub(super) index: HashMap<String, u16>,
    /// Every Arabic name (folded) with its row.
    pub(super) ar_names: Vec<(u32, String)>,
}

impl Countries {
    /// The row of the country with `code`, for the project's lists.
    pub(super) fn target(&self, code: &str, list: &str) -> anyhow::Result<u32> {
        self.index
            .get(code)
            .map(|&i| u32::from(i))
            .with_context(|| format!("unknown country {code} in {list}"))
    }
}

/// Reads the country rows and adds every country name to `b`.
pub(super) fn read(src: &Path, gn_countries: &Value, b: &mut Builder) -> anyhow::Result<Countries> {
    let wc = read_json(&src.join("world-countries-5.1.0-countries.json"))?;
    let csc_countries = read_json(&src.join("csc-countries.json"))?;
    let mut i18n = BTreeMap::new();
    for l in ["ar", "en", "fr", "fa"] {
        i18n.insert(
            l,
            read_json(&src.join(format!("i18n-iso-countries-7.14.0-{l}.json")))?,
        );
    }
    let wc = wc.as_array().context("world-countries is not an array")?;
    let mut countries = Countries {
        rows: Vec::new(),
        index: HashMap::new(),
        ar_names: Vec::new(),
    };
    for c in wc {
        let row = country_row(c, gn_countries)?;
        let idx = u16::try_from(countries.rows.len())?;
        countries.index.insert(row.0.clone(), idx);
        countries.rows.push(row);
    }
    let csc_by_code: HashMap<String, &Value> = csc_countries
        .as_array()
        .map(|a| {
            a.iter()
                .filter_map(|c| Some((s(c, &["iso2"])?, c)))
                .collect()
        })
        .unwrap_or_default();
    for (i, c) in wc.iter().enumerate() {
        let t = i as u32;
        let code = &countries.rows[i].0;
        let ar_names = &mut countries.ar_names;
        for p in [["name", "common"], ["name", "official"]] {
            if let Some(n) = s(c, &p) {
                b.add(&n, t, 0);
            }
        }
        for (lang, key) in [("ara", "ar"), ("fra", "fr"), ("per", "fa")] {
            for kind in ["common", "official"] {
                if let Some(n) = s(c, &["translations", lang, kind]) {
                    b.add(&n, t, 0);
                    if key == "ar" {
                        ar_names.push((t, fold_key(&n)));
                    }
                }
            }
        }
        for alt in c
            .get("altSpellings")
            .map(strs)
            .unwrap_or_default()
            .into_iter()
            .filter(|a| a.chars().count() >= 4 && a.chars().any(char::is_lowercase))
        {
            b.add(&alt, t, 0);
        }
        for (l, v) in &i18n {
            for n in v
                .get("countries")
                .and_then(|m| m.get(code))
                .map(strs)
                .unwrap_or_default()
            {
                let upper = n
                    .chars()
                    .filter(|c| c.is_alphabetic())
                    .all(char::is_uppercase);
                b.add(&n, t, if upper { UPPER } else { 0 });
                if *l == "ar" {
                    ar_names.push((t, fold_key(&n)));
                }
            }
        }
        if let Some(cc) = csc_by_code.get(code) {
            for l in ["ar", "fa", "fr"] {
                if let Some(n) = s(cc, &["translations", l]) {
                    b.add(&n, t, 0);
                    if l == "ar" {
                        ar_names.push((t, fold_key(&n)));
                    }
                }
            }
        }
        // English and French demonyms; French adjectives are written in lower case.
        for g in ["m", "f"] {
            if let Some(d) = s(c, &["demonyms", "eng", g]) {
                b.add(&d, t, DEMONYM | CAPITALISED);
                b.add(&format!("{d}s"), t, DEMONYM | CAPITALISED);
            }
            if let Some(d) = s(c, &["demonyms", "fra", g]) {
                b.add(&d, t, DEMONYM);
                b.add(&format!("{d}s"), t, DEMONYM);
            }
        }
    }
    add_short_forms(&mut countries, b)?;
    Ok(countries)
}

/// One world-countries entry as a table row.
fn country_row(c: &Value, gn_countries: &Value) -> anyhow::Result<CountryRow> {
    let code = s(c, &["cca2"]).context("country without cca2")?;
    let name_en = s(c, &["name", "common"]).unwrap_or_else(|| code.clone());
    let name_ar = s(c, &["translations", "ara", "common"]).unwrap_or_default();
    let name_fr = s(c, &["translations", "fra", "common"]).unwrap_or_default();
    let name_fa = s(c, &["translations", "per", "common"]).unwrap_or_default();
    let latlng = c.get("latlng").and_then(Value::as_array);
    let lat = latlng.and_then(|a| a.first()).and_then(num).unwrap_or(0.0);
    let lon = latlng.and_then(|a| a.get(1)).and_then(num).unwrap_or(0.0);
    let gid = gn_countries
        .get(&code)
        .and_then(|g| g.get("geonameid"))
        .and_then(Value::as_u64);
    let langs: Vec<String> = c
        .get("languages")
        .and_then(Value::as_object)
        .map(|m| {
            m.keys()
                .filter_map(|k| lang_code(k))
                .map(str::to_string)
                .collect()
        })
        .unwrap_or_default();
    Ok(CountryRow(
        code, name_en, name_ar, name_fr, name_fa, lat as f32, lon as f32, gid, langs,
    ))
}

/// The project's short forms (`resources/gazetteer/short_forms.tsv`: code,
/// form, optionally `upper` for forms matched in capitals only).
fn add_short_forms(countries: &mut Countries, b: &mut Builder) -> anyhow::Result<()> {
    for line in SHORT_FORMS.lines() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let mut f = line.split('\t');
        let (Some(code), Some(form)) = (f.next(), f.next()) else {
            anyhow::bail!("bad short-form line {line:?}");
        };
        let t = countries.target(code, "short forms")?;
        let flags = if f.next() == Some("upper") { UPPER } else { 0 };
        b.add(form, t, flags);
        if form.chars().any(is_arabic) {
            countries.ar_names.push((t, fold_key(form)));
        }
    }
    Ok(())
}

/// Drops the Arabic country names that behave like common words (مالي
/// "financial") and returns their keys.
pub(super) fn exclude_common_names(
    countries: &Countries,
    ev: &Evidence,
    b: &mut Builder,
    report: &mut Report,
) -> BTreeSet<String> {
    let mut excluded = BTreeSet::new();
    for (_, key) in &countries.ar_names {
        if let Some(why) = arabic_common(key, Kind::Country, &ev.counts, &ev.stop) {
            report.excluded.push((key.clone(), ev.counts.ar(key), why));
            excluded.insert(key.clone());
        }
    }
    let n_countries = countries.rows.len() as u32;
    b.aliases
        .retain(|a| a.1 >= n_countries || !excluded.contains(&a.0));
    excluded
}

/// The two-letter code of the languages the table names (ISO 639-3 in).
fn lang_code(iso639_3: &str) -> Option<&'static str> {
    match iso639_3 {
        "ara" => Some("ar"),
        "eng" => Some("en"),
        "fra" => Some("fr"),
        "fas" | "per" => Some("fa"),
        _ => None,
    }
}
