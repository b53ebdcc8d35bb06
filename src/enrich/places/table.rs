//! The compact gazetteer table: what `news-enricher train gazetteer` writes and
//! the geotagger loads (gzip-compressed JSON, rows as arrays).

use serde::{Deserialize, Serialize};

/// Version of the table layout; bumped when the rows change shape.
pub const TABLE_FORMAT: u32 = 1;

/// Alias flag: the key is a demonym or adjective, not the place's name.
pub const DEMONYM: u8 = 1;
/// Alias flag: the first original character must be upper-case (Latin names).
pub const CAPITALISED: u8 = 2;
/// Alias flag: every original letter must be upper-case (acronyms such as `UK`).
pub const UPPER: u8 = 4;
/// Alias flag: the name is also an ordinary word or a given name in the news
/// corpora (دينار "dinar", سليمان, March): it counts as a place only where the
/// entity tagger reads a location there.
pub const CONFIRM: u8 = 8;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Table {
    pub format: u32,
    /// Content hash of the rows, reported as the model version.
    pub version: String,
    pub countries: Vec<CountryRow>,
    pub cities: Vec<CityRow>,
    pub aliases: Vec<AliasRow>,
}

/// `[code, name_en, name_ar, name_fr, name_fa, lat, lon, geonames_id, languages]`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CountryRow(
    pub String,
    pub String,
    pub String,
    pub String,
    pub String,
    pub f32,
    pub f32,
    pub Option<u64>,
    /// ISO 639-1 codes of the official languages (only those the project analyses).
    pub Vec<String>,
);

/// `[geonames_id, country index, name_en, name_ar, name_fr, lat, lon, population, capital]`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CityRow(
    pub u64,
    pub u16,
    pub String,
    pub String,
    pub String,
    pub f32,
    pub f32,
    pub u32,
    pub bool,
);

/// `[folded key, target, flags]`; `target < countries.len()` is a country, else
/// the city `target - countries.len()`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct AliasRow(pub String, pub u32, pub u8);

impl Table {
    pub fn to_gzip_json(&self) -> std::io::Result<Vec<u8>> {
        use std::io::Write;
        let json = serde_json::to_vec(self)?;
        let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
        enc.write_all(&json)?;
        enc.finish()
    }

    pub fn from_gzip_json(bytes: &[u8]) -> Result<Self, String> {
        let dec = flate2::read::GzDecoder::new(bytes);
        let table: Table =
            serde_json::from_reader(std::io::BufReader::new(dec)).map_err(|e| e.to_string())?;
        if table.format != TABLE_FORMAT {
            return Err(format!(
                "table format {} (expected {TABLE_FORMAT})",
                table.format
            ));
        }
        let n = table.countries.len() + table.cities.len();
        if let Some(a) = table.aliases.iter().find(|a| a.1 as usize >= n) {
            return Err(format!("alias {:?} points past the tables", a.0));
        }
        if let Some(c) = table
            .cities
            .iter()
            .find(|c| c.1 as usize >= table.countries.len())
        {
            return Err(format!("city {} has an unknown country", c.0));
        }
        Ok(table)
    }
}
