//! The background table of the keyword extractor: document frequencies of
//! stems per language, built by `news-enricher train keywords` from the
//! shared corpora and stored in `models/keywords-df.bin` (magic, then per
//! language its code, document count and terms with their counts).

use std::path::Path;

use super::hash::FxHashMap;
use super::Lang;
use table::HashTable;

mod table;

const MAGIC: &[u8; 8] = b"NEKWDF\x01\x00";

/// Reasons a document-frequency table cannot be read.
#[derive(Debug, thiserror::Error)]
pub enum TableError {
    #[error("not a keyword table (bad magic)")]
    Magic,
    #[error("truncated at byte {0}")]
    Truncated(usize),
    #[error("unknown language code {0:?}")]
    Language(String),
    #[error("term is not UTF-8 at byte {0}")]
    Utf8(usize),
}

/// A 64-bit hash of a stem (FNV-1a with a final avalanche); the table is keyed by it.
pub fn stem_hash(stem: &str) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for &b in stem.as_bytes() {
        h ^= b as u64;
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    h ^= h >> 33;
    h = h.wrapping_mul(0xff51_afd7_ed55_8ccd);
    h ^= h >> 33;
    h = h.wrapping_mul(0xc4ce_b9fe_1a85_ec53);
    h ^ (h >> 33)
}

/// Document frequencies of one language.
#[derive(Debug, Clone, Default)]
pub struct LangFreq {
    /// Documents counted.
    pub docs: u32,
    /// Terms with their document counts, most frequent first (kept for saving).
    pub terms: Vec<(String, u32)>,
    /// Document count and inverse document frequency of each term, by hash
    /// (empty when made by `Default`).
    by_hash: HashTable,
}

impl LangFreq {
    pub fn new(docs: u32, mut terms: Vec<(String, u32)>) -> Self {
        terms.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        // A later term of the same hash takes its place.
        let mut df_by_hash: FxHashMap<u64, u32> = FxHashMap::default();
        df_by_hash.reserve(terms.len());
        for (t, df) in &terms {
            df_by_hash.insert(stem_hash(t), *df);
        }
        let entries: Vec<(u64, u32, f32)> = df_by_hash
            .iter()
            .map(|(&h, &df)| (h, df, idf_of(docs, df)))
            .collect();
        LangFreq {
            docs,
            terms,
            by_hash: HashTable::new(&entries, idf_of(docs, 0)),
        }
    }

    /// Document count of a stem (by its [`stem_hash`]).
    pub fn df(&self, hash: u64) -> u32 {
        self.by_hash.get(hash).map_or(0, |e| e.0)
    }

    /// Smoothed inverse document frequency: `ln((N + 1) / (df + 1)) + 1`
    /// (worked out once per term when the table is built).
    pub fn idf(&self, hash: u64) -> f32 {
        self.by_hash
            .get(hash)
            .map_or_else(|| idf_of(self.docs, 0), |e| e.1)
    }
}

/// `ln((docs + 1) / (df + 1)) + 1`.
fn idf_of(docs: u32, df: u32) -> f32 {
    let n = docs as f32 + 1.0;
    (n / (df as f32 + 1.0)).ln() + 1.0
}

/// Background document frequencies for Arabic, English and French.
#[derive(Debug, Clone, Default)]
pub struct DocFreq {
    /// `sha256:` and the first 12 hex digits of the table file, for the record.
    pub version: String,
    pub ar: LangFreq,
    pub en: LangFreq,
    pub fr: LangFreq,
}

impl DocFreq {
    pub fn get(&self, lang: Lang) -> Option<&LangFreq> {
        match lang {
            Lang::Ar => Some(&self.ar),
            Lang::En => Some(&self.en),
            Lang::Fr => Some(&self.fr),
            Lang::Other => None,
        }
    }

    /// Reads a table written by [`DocFreq::to_bytes`].
    pub fn from_bytes(bytes: &[u8]) -> Result<Self, TableError> {
        let mut r = Reader { bytes, pos: 0 };
        if r.take(8)? != MAGIC {
            return Err(TableError::Magic);
        }
        let mut out = DocFreq {
            version: {
                use sha2::Digest;
                let h = hex::encode(sha2::Sha256::digest(bytes));
                format!("sha256:{}", &h[..12])
            },
            ..DocFreq::default()
        };
        let langs = r.u32()?;
        for _ in 0..langs {
            let code = r.take(2)?;
            let code = String::from_utf8_lossy(code).into_owned();
            let docs = r.u32()?;
            let n = r.u32()? as usize;
            let mut terms = Vec::with_capacity(n.min(1 << 20));
            for _ in 0..n {
                let len = r.take(1)?[0] as usize;
                let at = r.pos;
                let t = std::str::from_utf8(r.take(len)?).map_err(|_| TableError::Utf8(at))?;
                let df = r.varint()?;
                terms.push((t.to_string(), df));
            }
            let table = LangFreq::new(docs, terms);
            match code.as_str() {
                "ar" => out.ar = table,
                "en" => out.en = table,
                "fr" => out.fr = table,
                _ => return Err(TableError::Language(code)),
            }
        }
        Ok(out)
    }

    /// Reads the table file at `path`.
    pub fn load(path: &Path) -> Result<Self, crate::enrich::LoadError> {
        let bytes = std::fs::read(path).map_err(|source| crate::enrich::LoadError::Io {
            path: path.to_path_buf(),
            source,
        })?;
        Self::from_bytes(&bytes).map_err(|e| crate::enrich::LoadError::Invalid {
            path: path.to_path_buf(),
            reason: e.to_string(),
        })
    }

    /// Compact binary form: magic, then per language its code, document
    /// count and terms (length-prefixed UTF-8 and a varint count).
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = Vec::new();
        out.extend_from_slice(MAGIC);
        out.extend_from_slice(&3u32.to_le_bytes());
        for (code, t) in [("ar", &self.ar), ("en", &self.en), ("fr", &self.fr)] {
            out.extend_from_slice(code.as_bytes());
            out.extend_from_slice(&t.docs.to_le_bytes());
            let terms: Vec<&(String, u32)> =
                t.terms.iter().filter(|(s, _)| s.len() < 256).collect();
            out.extend_from_slice(&(terms.len() as u32).to_le_bytes());
            for (s, df) in terms {
                out.push(s.len() as u8);
                out.extend_from_slice(s.as_bytes());
                let mut v = *df;
                loop {
                    let b = (v & 0x7f) as u8;
                    v >>= 7;
                    if v == 0 {
                        out.push(b);
                        break;
                    }
                    out.push(b | 0x80);
                }
            }
        }
        out
    }
}

struct Reader<'a> {
    bytes: &'a [u8],
    pos: usize,
}

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> Result<&'a [u8], TableError> {
        let s = self
            .bytes
            .get(self.pos..self.pos + n)
            .ok_or(TableError::Truncated(self.pos))?;
        self.pos += n;
        Ok(s)
    }
    fn u32(&mut self) -> Result<u32, TableError> {
        let b = self.take(4)?;
        Ok(u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
    }
    fn varint(&mut self) -> Result<u32, TableError> {
        let mut v = 0u32;
        for shift in (0..35).step_by(7) {
            let b = self.take(1)?[0];
            v |= ((b & 0x7f) as u32) << shift;
            if b & 0x80 == 0 {
                return Ok(v);
            }
        }
        Err(TableError::Truncated(self.pos))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The answers of a plain map built as the table is (a later term of
    /// the same hash taking its place).
    fn map_of(t: &LangFreq) -> FxHashMap<u64, (u32, f32)> {
        let mut m = FxHashMap::default();
        for (s, df) in &t.terms {
            m.insert(stem_hash(s), (*df, idf_of(t.docs, *df)));
        }
        m
    }

    fn agrees(t: &LangFreq, m: &FxHashMap<u64, (u32, f32)>, hash: u64) -> bool {
        let (df, idf) = m.get(&hash).copied().unwrap_or((0, idf_of(t.docs, 0)));
        t.df(hash) == df && t.idf(hash).to_bits() == idf.to_bits()
    }

    /// Every stored term, and many absent hashes (random ones and stored
    /// ones with a bit flipped, many of which start in a stored one's
    /// bucket), answer as the map does.
    fn check(t: &LangFreq) {
        let m = map_of(t);
        let mut x: u64 = 0x9e37_79b9_7f4a_7c15;
        for &h in m.keys() {
            assert!(agrees(t, &m, h), "stored hash {h:x}");
            for bit in [0, 1, 7, 13, 20, 40, 50, 55, 60, 63] {
                assert!(agrees(t, &m, h ^ (1 << bit)), "hash {h:x} bit {bit}");
            }
        }
        for _ in 0..200_000 {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            assert!(agrees(t, &m, x), "random hash {x:x}");
        }
    }

    #[test]
    fn table_answers_as_a_map_on_the_bundled_table() {
        let path = crate::enrich::Enrichers::bundled_models_dir().join("keywords-df.bin");
        let df = DocFreq::load(&path).ok().unwrap_or_default();
        assert!(df.ar.terms.len() > 1000 && df.en.terms.len() > 1000);
        for t in [&df.ar, &df.en, &df.fr] {
            check(t);
        }
    }

    #[test]
    fn table_answers_as_a_map_on_small_tables_and_distinct_counts() {
        check(&LangFreq::default());
        check(&LangFreq::new(10, vec![("a".to_string(), 3)]));
        // Every count distinct, so every slot holds its own (df, idf).
        let many: Vec<(String, u32)> = (0..3000).map(|i| (format!("w{i}"), i + 1)).collect();
        check(&LangFreq::new(5000, many));
        // Duplicate terms: the later one (in table order) is kept.
        check(&LangFreq::new(
            100,
            vec![
                ("x".to_string(), 5),
                ("x".to_string(), 9),
                ("y".to_string(), 9),
            ],
        ));
    }

    #[test]
    fn full_buckets_overflow_and_are_found() {
        // Hashes sharing their top bits all fall in one bucket, the last
        // ones overflow past the end; hash 0 among them.
        let entries: Vec<(u64, u32, f32)> = (0..40u64)
            .map(|i| (i * 977, (i % 3) as u32 + 1, i as f32))
            .chain((0..40u64).map(|i| (u64::MAX - i, 7, 0.5)))
            .collect();
        let t = HashTable::new(&entries, 9.0);
        for &(h, df, idf) in &entries {
            assert_eq!(t.get(h), Some((df, idf)));
        }
        for h in (100_000..101_000u64).chain(u64::MAX - 2000..u64::MAX - 1000) {
            assert_eq!(t.get(h), Some((0, 9.0)));
        }
        let none = HashTable::new(&[(0, 0, 1.0)], 9.0);
        assert_eq!(none.get(0), Some((0, 9.0)));
        assert_eq!(HashTable::default().get(0), None);
    }
}
