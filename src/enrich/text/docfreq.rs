//! The background table of the keyword extractor: document frequencies of
//! stems per language, built by `news-enricher train keywords` from the
//! shared corpora and stored in `models/keywords-df.bin` (magic, then per
//! language its code, document count and terms with their counts).

use std::path::Path;

use super::hash::FxHashMap;
use super::Lang;

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
    /// Document count and inverse document frequency of each term, by hash.
    by_hash: FxHashMap<u64, (u32, f32)>,
    /// Inverse document frequency of a term never seen (set by [`LangFreq::new`]).
    unseen_idf: Option<f32>,
}

impl LangFreq {
    pub fn new(docs: u32, mut terms: Vec<(String, u32)>) -> Self {
        terms.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        let mut by_hash = FxHashMap::default();
        by_hash.reserve(terms.len());
        for (t, df) in &terms {
            by_hash.insert(stem_hash(t), (*df, idf_of(docs, *df)));
        }
        LangFreq {
            docs,
            terms,
            by_hash,
            unseen_idf: Some(idf_of(docs, 0)),
        }
    }

    /// Document count of a stem (by its [`stem_hash`]).
    pub fn df(&self, hash: u64) -> u32 {
        self.by_hash.get(&hash).map_or(0, |e| e.0)
    }

    /// Smoothed inverse document frequency: `ln((N + 1) / (df + 1)) + 1`
    /// (worked out once per term when the table is built).
    pub fn idf(&self, hash: u64) -> f32 {
        match self.by_hash.get(&hash) {
            Some(&(_, idf)) => idf,
            None => self.unseen_idf.unwrap_or_else(|| idf_of(self.docs, 0)),
        }
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
