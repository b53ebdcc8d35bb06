//! One script's model: quantised weights, transitions and side tables; its
//! file format; and the label scores of prepared tokens.

use std::io::{Read, Write};
use std::path::Path;

use sha2::{Digest, Sha256};

use super::{viterbi, NUM_LABELS};
use crate::enrich::entities::features::{gaz, FeatureBuf, Featurizer, Lexicon, Role, Script};
use crate::enrich::entities::weights::SparseRows;
use crate::enrich::LoadError;

/// Weights of one script's model, quantised to `i16`; only the non-zero
/// rows of the hashed table are held ([`SparseRows`]).
#[derive(Debug, Clone)]
pub struct LangModel {
    featurizer: Featurizer,
    bits: u32,
    scale: f32,
    rows: SparseRows,
    transitions: Vec<f32>,
    version: String,
}

const MAGIC: &[u8; 8] = b"NETAGGR2";

/// Largest quantised weight: a token has fewer than 64 features, so its
/// label scores add up in `i16` without overflow.
pub const MAX_WEIGHT: i16 = i16::MAX / 64;

impl LangModel {
    /// Builds a model from float weights (`(1 << bits) × NUM_LABELS`) and
    /// transitions, quantising the weights.
    pub fn from_weights(
        featurizer: Featurizer,
        bits: u32,
        weights: &[f32],
        transitions: Vec<f32>,
    ) -> LangModel {
        let max = weights.iter().fold(0f32, |m, w| m.max(w.abs()));
        let limit = f32::from(MAX_WEIGHT);
        let scale = if max > 0.0 { max / limit } else { 1.0 };
        let q: Vec<i16> = weights
            .iter()
            .map(|w| (w / scale).round().clamp(-limit, limit) as i16)
            .collect();
        let mut m = LangModel {
            featurizer,
            bits,
            scale,
            rows: SparseRows::from_dense(bits, &q),
            transitions,
            version: String::new(),
        };
        m.version = m.digest();
        m
    }

    pub fn script(&self) -> Script {
        self.featurizer.script()
    }

    /// Short content digest, used as the model version.
    pub fn version(&self) -> &str {
        &self.version
    }

    /// Digest of the model file's bytes.
    fn digest(&self) -> String {
        let mut bytes = Vec::new();
        match self.write_to(&mut bytes) {
            Ok(()) => digest_of(&bytes),
            Err(_) => String::new(),
        }
    }

    fn weight_bytes(&self) -> Vec<u8> {
        let mut bytes = Vec::with_capacity((NUM_LABELS * 2) << self.bits);
        self.rows.write_dense(&mut bytes);
        bytes
    }

    /// The weight rows that are not zero.
    pub fn rows(&self) -> &SparseRows {
        &self.rows
    }

    /// Adds the weight row of feature `f` to `acc`.
    #[inline(always)]
    fn add_feature(&self, acc: &mut [i16; NUM_LABELS], f: u64) {
        add_row(acc, self.rows.of_feature(f));
    }

    /// The sums of the rows of the features prepared token `j` (`None`: the
    /// sentence boundary) has of its own (first) and gives the token at each
    /// [`Role::ALL`] from it (then).
    // Kept out of line: the callers keep their registers (fewer instructions).
    #[inline(never)]
    fn text_sums(&self, buf: &FeatureBuf, j: Option<usize>) -> [[i16; NUM_LABELS]; 5] {
        let fz = &self.featurizer;
        let [mut own, mut p2, mut p1, mut n1, mut n2] = [[0i16; NUM_LABELS]; 5];
        if let Some(j) = j {
            fz.own_features(buf, j, |f| self.add_feature(&mut own, f));
        }
        fz.neighbour_features(buf, j, Role::SecondBefore, |f| self.add_feature(&mut p2, f));
        fz.neighbour_features(buf, j, Role::Before, |f| self.add_feature(&mut p1, f));
        fz.neighbour_features(buf, j, Role::After, |f| self.add_feature(&mut n1, f));
        fz.neighbour_features(buf, j, Role::SecondAfter, |f| self.add_feature(&mut n2, f));
        [own, p2, p1, n1, n2]
    }

    /// Per-token label scores (`n × NUM_LABELS`) of the tokens prepared in
    /// `buf`: each feature adds one weight row. A token's own features and
    /// those it gives its neighbours depend on its text alone: their rows
    /// are added once per distinct text (wrapping `i16` sums do not depend
    /// on the order of the terms).
    // Kept out of line: the callers keep their registers (fewer instructions).
    #[inline(never)]
    fn emissions(&self, buf: &FeatureBuf) -> Vec<f32> {
        let n = Featurizer::prepared_len(buf);
        // One sum per distinct text (the boundary first) and, per token,
        // the place of its text's sum, with two boundary places on each
        // side: a token's four neighbours are always at hand.
        let mut sums: Vec<[[i16; NUM_LABELS]; 5]> = Vec::with_capacity(n + 1);
        sums.push(self.text_sums(buf, None));
        let mut slots: Vec<u32> = Vec::with_capacity(n + 4);
        slots.extend([0, 0]);
        for i in 0..n {
            let first = Featurizer::first_occurrence(buf, i);
            let slot = match slots.get(first + 2) {
                Some(&s) if first < i => s,
                _ => {
                    sums.push(self.text_sums(buf, Some(i)));
                    (sums.len() - 1) as u32
                }
            };
            slots.push(slot);
        }
        slots.extend([0, 0]);
        let sum = |slot: u32| sums.get(slot as usize).unwrap_or(&sums[0]);
        let mut out = Vec::with_capacity(n * NUM_LABELS);
        for (i, w) in slots.windows(5).enumerate() {
            let &[p2, p1, own, n1, n2] = w else { break };
            let mut acc = sum(own)[0];
            add_row(&mut acc, &sum(p2)[1]);
            add_row(&mut acc, &sum(p1)[2]);
            add_row(&mut acc, &sum(n1)[3]);
            add_row(&mut acc, &sum(n2)[4]);
            self.featurizer
                .joint_features(buf, i, |f| self.add_feature(&mut acc, f));
            out.extend(acc.iter().map(|&a| f32::from(a) * self.scale));
        }
        out
    }

    /// Label indices for `tokens`.
    pub fn labels(&self, tokens: &[&str], buf: &mut FeatureBuf) -> Vec<usize> {
        if tokens.is_empty() {
            return Vec::new();
        }
        self.featurizer.prepare(tokens, buf);
        let em = self.emissions(buf);
        viterbi(&em, &self.transitions)
    }

    /// Serialises the model (gzip-compressed).
    pub fn write_to(&self, w: impl Write) -> std::io::Result<()> {
        let mut z = flate2::write::GzEncoder::new(w, flate2::Compression::default());
        let clusters = self.featurizer.clusters();
        let gazetteer = self.featurizer.gazetteer_entries();
        let mut head = Vec::new();
        head.extend_from_slice(MAGIC);
        head.push(self.script().code());
        head.push(self.bits as u8);
        head.push(NUM_LABELS as u8);
        head.push(0);
        head.extend_from_slice(&self.scale.to_le_bytes());
        z.write_all(&head)?;
        for t in &self.transitions {
            z.write_all(&t.to_le_bytes())?;
        }
        z.write_all(&(clusters.len() as u32).to_le_bytes())?;
        for (k, (a, b)) in clusters {
            z.write_all(&k.to_le_bytes())?;
            z.write_all(&a.to_le_bytes())?;
            z.write_all(&b.to_le_bytes())?;
        }
        z.write_all(&(gazetteer.len() as u32).to_le_bytes())?;
        for (k, kind) in gazetteer {
            z.write_all(&k.to_le_bytes())?;
            z.write_all(&[kind])?;
        }
        z.write_all(&self.weight_bytes())?;
        z.finish()?;
        Ok(())
    }

    /// Writes the model to `path`.
    pub fn save(&self, path: &Path) -> std::io::Result<()> {
        let f = std::fs::File::create(path)?;
        let mut w = std::io::BufWriter::new(f);
        self.write_to(&mut w)?;
        w.flush()
    }

    /// Reads a model written by [`LangModel::save`].
    pub fn load(path: &Path) -> Result<LangModel, LoadError> {
        let bytes = std::fs::read(path).map_err(|source| LoadError::Io {
            path: path.to_path_buf(),
            source,
        })?;
        Self::from_bytes(&bytes).map_err(|reason| LoadError::Invalid {
            path: path.to_path_buf(),
            reason,
        })
    }

    pub fn from_bytes(compressed: &[u8]) -> Result<LangModel, String> {
        // Read as a stream: the dense weight table is never held whole.
        let mut r = Reader(std::io::BufReader::with_capacity(
            1 << 16,
            flate2::read::GzDecoder::new(compressed),
        ));
        if &r.array::<8>()? != MAGIC {
            return Err("not an entity tagger model".into());
        }
        let script = Script::from_code(r.u8()?).ok_or("unknown script")?;
        let bits = u32::from(r.u8()?);
        if !(8..=26).contains(&bits) {
            return Err(format!("bad table size 2^{bits}"));
        }
        if usize::from(r.u8()?) != NUM_LABELS {
            return Err("label set differs from this build".into());
        }
        r.u8()?;
        let scale = r.f32()?;
        let mut transitions = Vec::with_capacity((NUM_LABELS + 1) * NUM_LABELS);
        for _ in 0..(NUM_LABELS + 1) * NUM_LABELS {
            transitions.push(r.f32()?);
        }
        let mut lexicon = Lexicon::default();
        for _ in 0..r.u32()? {
            let k = r.u64()?;
            let a = r.u16()?;
            let b = r.u16()?;
            lexicon.clusters.insert(k, (a, b));
        }
        for _ in 0..r.u32()? {
            let k = r.u64()?;
            let kind = r.u8()?;
            if kind & !(gaz::ALL | gaz::PREFIX) != 0 {
                return Err("bad gazetteer kind".into());
            }
            lexicon.gazetteer.insert(k, kind);
        }
        let rows = r.nonzero_rows(bits)?;
        if r.at_end()? {
            Ok(LangModel {
                featurizer: Featurizer::new(script, lexicon),
                bits,
                scale,
                rows: SparseRows::from_rows(bits, &rows),
                transitions,
                version: digest_of(compressed),
            })
        } else {
            Err("trailing bytes".into())
        }
    }
}

#[inline(always)]
fn add_row(acc: &mut [i16; NUM_LABELS], row: &[i16; NUM_LABELS]) {
    for (a, &w) in acc.iter_mut().zip(row) {
        *a = a.wrapping_add(w);
    }
}

fn digest_of(bytes: &[u8]) -> String {
    hex::encode(&Sha256::digest(bytes)[..6])
}

/// Little-endian fields of a decompressed model stream.
struct Reader<R>(R);

impl<R: Read> Reader<R> {
    fn fill(&mut self, buf: &mut [u8]) -> Result<(), String> {
        self.0.read_exact(buf).map_err(|e| match e.kind() {
            std::io::ErrorKind::UnexpectedEof => "truncated".to_string(),
            _ => format!("not a gzip stream: {e}"),
        })
    }
    fn array<const N: usize>(&mut self) -> Result<[u8; N], String> {
        let mut a = [0u8; N];
        self.fill(&mut a)?;
        Ok(a)
    }
    fn u8(&mut self) -> Result<u8, String> {
        Ok(self.array::<1>()?[0])
    }
    fn u16(&mut self) -> Result<u16, String> {
        Ok(u16::from_le_bytes(self.array()?))
    }
    fn u32(&mut self) -> Result<u32, String> {
        Ok(u32::from_le_bytes(self.array()?))
    }
    fn u64(&mut self) -> Result<u64, String> {
        Ok(u64::from_le_bytes(self.array()?))
    }
    fn f32(&mut self) -> Result<f32, String> {
        Ok(f32::from_bits(self.u32()?))
    }
    /// Reads a dense `(1 << bits) × NUM_LABELS` table of `i16`s and keeps
    /// its non-zero rows, in order.
    fn nonzero_rows(&mut self, bits: u32) -> Result<Vec<(u32, [i16; NUM_LABELS])>, String> {
        const CHUNK_ROWS: usize = 1024;
        const ROW_BYTES: usize = NUM_LABELS * 2;
        let total = 1usize << bits;
        let mut chunk = vec![0u8; CHUNK_ROWS * ROW_BYTES];
        let mut rows = Vec::new();
        let mut start = 0usize;
        while start < total {
            let n = CHUNK_ROWS.min(total - start);
            let bytes = &mut chunk[..n * ROW_BYTES];
            self.fill(bytes)?;
            for (k, raw) in bytes.chunks_exact(ROW_BYTES).enumerate() {
                if raw.iter().all(|&b| b == 0) {
                    continue;
                }
                let mut row = [0i16; NUM_LABELS];
                for (w, b) in row.iter_mut().zip(raw.chunks_exact(2)) {
                    *w = i16::from_le_bytes([b[0], b[1]]);
                    if w.unsigned_abs() > MAX_WEIGHT.unsigned_abs() {
                        return Err(format!("weights beyond ±{MAX_WEIGHT}"));
                    }
                }
                let index = u32::try_from(start + k).map_err(|_| "table too large")?;
                rows.push((index, row));
            }
            start += n;
        }
        Ok(rows)
    }
    /// Whether the stream has ended (the gzip trailer is checked on the way).
    fn at_end(&mut self) -> Result<bool, String> {
        let mut one = [0u8; 1];
        loop {
            match self.0.read(&mut one) {
                Ok(n) => return Ok(n == 0),
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(format!("not a gzip stream: {e}")),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::{ARABIC_MODEL_FILE, LATIN_MODEL_FILE};
    use super::*;

    /// The dense weight table at the end of a model file, as written.
    fn dense_weights(file: &str) -> (u32, Vec<i16>) {
        let path = crate::enrich::Enrichers::bundled_models_dir().join(file);
        let compressed = std::fs::read(path).unwrap();
        let mut raw = Vec::new();
        flate2::read::GzDecoder::new(&compressed[..])
            .read_to_end(&mut raw)
            .unwrap();
        let bits = u32::from(raw[9]);
        let len = (NUM_LABELS * 2) << bits;
        let dense = raw[raw.len() - len..]
            .chunks_exact(2)
            .map(|c| i16::from_le_bytes([c[0], c[1]]))
            .collect();
        (bits, dense)
    }

    #[test]
    fn compact_weights_score_as_the_full_table() {
        let cases = [
            (
                ARABIC_MODEL_FILE,
                "قال الرئيس السوري بشار الأسد في دمشق إن وزارة الخارجية ستعلن موقفها . قال الأسد في دمشق .",
            ),
            (
                LATIN_MODEL_FILE,
                "Prime Minister Keir Starmer told the BBC in London that Siemens AG would hire . Starmer told the BBC .",
            ),
        ];
        for (file, text) in cases {
            let model = LangModel::load(&crate::enrich::Enrichers::bundled_models_dir().join(file))
                .unwrap();
            let (bits, dense) = dense_weights(file);
            assert_eq!(bits, model.bits, "{file}");
            // Every row reads the same, zero rows included.
            let mut nonzero = 0;
            for (row, want) in dense.chunks_exact(NUM_LABELS).enumerate() {
                let got = model.rows().get(row as u32);
                if want.iter().any(|&w| w != 0) {
                    nonzero += 1;
                    assert_eq!(got.map(|g| &g[..]), Some(want), "{file} row {row}");
                } else {
                    assert!(got.is_none(), "{file} row {row}");
                }
            }
            assert_eq!(model.rows().len(), nonzero, "{file}");
            // Token scores computed from the dense table match (repeated
            // texts included).
            let tokens: Vec<&str> = text.split(' ').collect();
            let mut buf = FeatureBuf::default();
            model.featurizer.prepare(&tokens, &mut buf);
            let got = model.emissions(&buf);
            for (i, scores) in got.chunks_exact(NUM_LABELS).enumerate() {
                let mut acc = [0i16; NUM_LABELS];
                model.featurizer.token_features(&buf, i, |f| {
                    let row = (f >> (64 - bits)) as usize * NUM_LABELS;
                    for (a, w) in acc.iter_mut().zip(&dense[row..row + NUM_LABELS]) {
                        *a += w;
                    }
                });
                let want: Vec<f32> = acc.iter().map(|&a| f32::from(a) * model.scale).collect();
                assert_eq!(scores, &want[..], "{file} token {i}");
            }
            // The model writes the dense table back unchanged.
            let mut written = Vec::new();
            model.write_to(&mut written).unwrap();
            let back = LangModel::from_bytes(&written).unwrap();
            assert_eq!(back.rows(), model.rows(), "{file}");
            // And everything else: the lexicon is read back from the
            // featurizer's lookup tables.
            let path = crate::enrich::Enrichers::bundled_models_dir().join(file);
            let [file_raw, written_raw] =
                [std::fs::read(path).unwrap(), written].map(|compressed| {
                    let mut raw = Vec::new();
                    flate2::read::GzDecoder::new(&compressed[..])
                        .read_to_end(&mut raw)
                        .unwrap();
                    raw
                });
            assert!(
                file_raw == written_raw,
                "{file} does not write back as read"
            );
        }
    }

    #[test]
    fn rejects_garbage_model_bytes() {
        assert!(LangModel::from_bytes(b"not a model").is_err());
        let mut z = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        z.write_all(b"NETAGGR1\x01\x10\x09\x00").unwrap();
        let truncated = z.finish().unwrap();
        assert!(LangModel::from_bytes(&truncated).is_err());
    }
}
