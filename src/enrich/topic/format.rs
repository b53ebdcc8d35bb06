//! The topic model file: a fixed header, per-label parameters, a free-form
//! metadata string (how it was trained), the quantised weight matrix and a
//! SHA-256 of everything before it.
//!
//! ```text
//! magic "NETOPICS" | version u32 | bits u8 + 3 pad | flags u32 | max_body_bytes u32
//! n_labels u32 | per label: scale, bias, platt_a, platt_b, threshold (f32)
//! meta_len u32 | meta (UTF-8) | weights: 2^bits × n_labels i16, feature-major
//! sha256 (32 bytes)
//! ```
//! All integers and floats are little-endian.

use sha2::{Digest, Sha256};

use super::features::FeatureConfig;
use super::N_LABELS;

const MAGIC: &[u8; 8] = b"NETOPICS";
/// Version of the file layout this build reads and writes.
pub const FORMAT_VERSION: u32 = 1;

/// Why a model file was rejected.
#[derive(Debug, thiserror::Error, PartialEq)]
pub enum FormatError {
    #[error("not a topic model (bad magic)")]
    BadMagic,
    #[error("unsupported topic model version {0} (expected {FORMAT_VERSION})")]
    Version(u32),
    #[error("file is truncated")]
    Truncated,
    #[error("checksum mismatch")]
    Checksum,
    #[error("invalid feature configuration {0:?}")]
    Config(FeatureConfig),
    #[error("model has {0} labels, expected {N_LABELS}")]
    Labels(u32),
    #[error("metadata is not UTF-8")]
    Meta,
    #[error("{0} trailing bytes")]
    Trailing(usize),
}

/// One label's dequantisation, calibration and threshold.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct LabelParams {
    /// Weight of one quantised unit.
    pub scale: f32,
    pub bias: f32,
    /// Platt calibration: `p = sigmoid(platt_a * raw + platt_b)`.
    pub platt_a: f32,
    pub platt_b: f32,
    /// Calibrated probability at or over which the label is returned.
    pub threshold: f32,
}

impl LabelParams {
    pub fn calibrate(&self, raw: f32) -> f32 {
        sigmoid(self.platt_a * raw + self.platt_b)
    }
}

pub fn sigmoid(x: f32) -> f32 {
    1.0 / (1.0 + (-x).exp())
}

/// A loaded topic model.
#[derive(Debug, Clone, PartialEq)]
pub struct TopicModel {
    pub config: FeatureConfig,
    pub labels: [LabelParams; N_LABELS],
    /// How the model was trained (JSON written by the trainer).
    pub meta: String,
    /// `dims × N_LABELS`, feature-major.
    pub weights: Vec<i16>,
}

struct Reader<'a> {
    bytes: &'a [u8],
}

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> Result<&'a [u8], FormatError> {
        if self.bytes.len() < n {
            return Err(FormatError::Truncated);
        }
        let (head, rest) = self.bytes.split_at(n);
        self.bytes = rest;
        Ok(head)
    }
    fn array<const N: usize>(&mut self) -> Result<[u8; N], FormatError> {
        let mut a = [0u8; N];
        a.copy_from_slice(self.take(N)?);
        Ok(a)
    }
    fn u32(&mut self) -> Result<u32, FormatError> {
        Ok(u32::from_le_bytes(self.array()?))
    }
    fn f32(&mut self) -> Result<f32, FormatError> {
        Ok(f32::from_le_bytes(self.array()?))
    }
}

impl TopicModel {
    /// Parses and verifies a model file.
    pub fn from_bytes(bytes: &[u8]) -> Result<Self, FormatError> {
        if bytes.len() < MAGIC.len() + 32 {
            return Err(FormatError::Truncated);
        }
        if &bytes[..MAGIC.len()] != MAGIC {
            return Err(FormatError::BadMagic);
        }
        let (body, sum) = bytes.split_at(bytes.len() - 32);
        let mut r = Reader {
            bytes: &body[MAGIC.len()..],
        };
        let version = r.u32()?;
        if version != FORMAT_VERSION {
            return Err(FormatError::Version(version));
        }
        if Sha256::digest(body).as_slice() != sum {
            return Err(FormatError::Checksum);
        }
        let [bits, _, _, _] = r.array::<4>()?;
        let config = FeatureConfig {
            bits,
            flags: r.u32()?,
            max_body_bytes: r.u32()?,
        };
        if !config.is_valid() {
            return Err(FormatError::Config(config));
        }
        let n = r.u32()?;
        if n as usize != N_LABELS {
            return Err(FormatError::Labels(n));
        }
        let mut labels = [LabelParams::default(); N_LABELS];
        for l in &mut labels {
            *l = LabelParams {
                scale: r.f32()?,
                bias: r.f32()?,
                platt_a: r.f32()?,
                platt_b: r.f32()?,
                threshold: r.f32()?,
            };
        }
        let meta_len = r.u32()? as usize;
        let meta = std::str::from_utf8(r.take(meta_len)?)
            .map_err(|_| FormatError::Meta)?
            .to_owned();
        let raw = r.take(config.dims() * N_LABELS * 2)?;
        if !r.bytes.is_empty() {
            return Err(FormatError::Trailing(r.bytes.len()));
        }
        let weights = raw
            .chunks_exact(2)
            .map(|c| i16::from_le_bytes([c[0], c[1]]))
            .collect();
        Ok(TopicModel {
            config,
            labels,
            meta,
            weights,
        })
    }

    /// Serialises the model, checksum included.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(self.weights.len() * 2 + 1024);
        out.extend_from_slice(MAGIC);
        out.extend_from_slice(&FORMAT_VERSION.to_le_bytes());
        out.extend_from_slice(&[self.config.bits, 0, 0, 0]);
        out.extend_from_slice(&self.config.flags.to_le_bytes());
        out.extend_from_slice(&self.config.max_body_bytes.to_le_bytes());
        out.extend_from_slice(&(N_LABELS as u32).to_le_bytes());
        for l in &self.labels {
            for v in [l.scale, l.bias, l.platt_a, l.platt_b, l.threshold] {
                out.extend_from_slice(&v.to_le_bytes());
            }
        }
        out.extend_from_slice(&(self.meta.len() as u32).to_le_bytes());
        out.extend_from_slice(self.meta.as_bytes());
        for w in &self.weights {
            out.extend_from_slice(&w.to_le_bytes());
        }
        let sum = Sha256::digest(&out);
        out.extend_from_slice(&sum);
        out
    }
}

#[cfg(test)]
mod tests {
    use super::super::features::{CHAR4, WORDS};
    use super::*;

    fn tiny() -> TopicModel {
        let config = FeatureConfig {
            bits: 10,
            flags: WORDS | CHAR4,
            max_body_bytes: 100,
        };
        TopicModel {
            config,
            labels: [LabelParams {
                scale: 0.5,
                bias: -1.0,
                platt_a: 1.0,
                platt_b: 0.0,
                threshold: 0.5,
            }; N_LABELS],
            meta: "{\"seed\":1}".into(),
            weights: (0..config.dims() * N_LABELS).map(|i| i as i16).collect(),
        }
    }

    #[test]
    fn round_trips() {
        let m = tiny();
        assert_eq!(TopicModel::from_bytes(&m.to_bytes()), Ok(m));
    }

    #[test]
    fn rejects_corruption() {
        let bytes = tiny().to_bytes();
        let mut flipped = bytes.clone();
        flipped[100] ^= 1;
        assert_eq!(TopicModel::from_bytes(&flipped), Err(FormatError::Checksum));
        assert_eq!(
            TopicModel::from_bytes(&bytes[..bytes.len() - 40]),
            Err(FormatError::Checksum)
        );
        assert_eq!(
            TopicModel::from_bytes(b"short"),
            Err(FormatError::Truncated)
        );
        let mut magic = bytes.clone();
        magic[0] = b'X';
        assert_eq!(TopicModel::from_bytes(&magic), Err(FormatError::BadMagic));
        let mut version = bytes;
        version[8] = 9;
        assert_eq!(
            TopicModel::from_bytes(&version),
            Err(FormatError::Version(9))
        );
    }
}
