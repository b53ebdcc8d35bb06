//! IPTC Media Topics classifier: the 17 top-level `medtop:` subjects.
//!
//! A linear one-vs-rest model over hashed word, stem and character n-gram
//! features ([`features`]) of the normalised text ([`normalise`]). Each
//! label's raw score goes through its own Platt calibration, so the scores
//! are probabilities; every topic at or over its threshold (chosen on held-out
//! data by the trainer) is returned, best first, and always at least one.
//!
//! The model file ([`format`]) holds the feature configuration, the
//! quantised weights, the calibration and the thresholds, with a checksum.

pub mod features;
pub mod format;
pub mod normalise;

use crate::model::record::Topic;

pub use format::{FormatError, LabelParams, TopicModel};

/// The 17 top-level IPTC Media Topics in model order: code, English, Arabic.
pub const TOPICS: [(&str, &str, &str); 17] = [
    (
        "01000000",
        "arts, culture, entertainment and media",
        "الفنون والثقافة والترفيه والإعلام",
    ),
    ("02000000", "crime, law and justice", "الجريمة والقانون والعدالة"),
    (
        "03000000",
        "disaster, accident and emergency incident",
        "الكوارث والحوادث والطوارئ",
    ),
    ("04000000", "economy, business and finance", "الاقتصاد والأعمال والمال"),
    ("05000000", "education", "التعليم"),
    ("06000000", "environment", "البيئة"),
    ("07000000", "health", "الصحة"),
    ("08000000", "human interest", "اهتمامات إنسانية"),
    ("09000000", "labour", "العمل والعمال"),
    ("10000000", "lifestyle and leisure", "نمط الحياة وأوقات الفراغ"),
    ("11000000", "politics and government", "السياسة والحكومة"),
    ("12000000", "religion", "الدين"),
    ("13000000", "science and technology", "العلوم والتكنولوجيا"),
    ("14000000", "society", "المجتمع"),
    ("15000000", "sport", "الرياضة"),
    ("16000000", "conflict, war and peace", "النزاعات والحرب والسلام"),
    ("17000000", "weather", "الطقس"),
];

/// Number of labels the classifier scores.
pub const N_LABELS: usize = TOPICS.len();

/// Index of a bare IPTC code (`"15000000"` or `"medtop:15000000"`) in [`TOPICS`].
pub fn label_index(code: &str) -> Option<usize> {
    let code = code.strip_prefix("medtop:").unwrap_or(code);
    TOPICS.iter().position(|(c, _, _)| *c == code)
}

/// Reusable buffers for classification.
#[derive(Debug, Default)]
pub struct Scratch {
    features: features::Scratch,
    indices: Vec<u32>,
}

impl TopicModel {
    /// Raw (uncalibrated) linear scores of every label.
    pub fn raw_scores(&self, title: &str, body: &str, scratch: &mut Scratch) -> [f32; N_LABELS] {
        scratch.indices.clear();
        features::featurise(
            &self.config,
            title,
            body,
            &mut scratch.features,
            &mut scratch.indices,
        );
        let mut acc = [0i32; N_LABELS];
        for &i in &scratch.indices {
            let start = i as usize * N_LABELS;
            if let Some(row) = self.weights.get(start..start + N_LABELS) {
                for (a, &w) in acc.iter_mut().zip(row) {
                    *a += i32::from(w);
                }
            }
        }
        let norm = if scratch.indices.is_empty() {
            0.0
        } else {
            1.0 / (scratch.indices.len() as f32).sqrt()
        };
        let mut out = [0f32; N_LABELS];
        for ((o, a), p) in out.iter_mut().zip(acc).zip(&self.labels) {
            *o = p.bias + p.scale * norm * a as f32;
        }
        out
    }

    /// Calibrated probability of every label.
    pub fn probabilities(&self, title: &str, body: &str, scratch: &mut Scratch) -> [f32; N_LABELS] {
        let raw = self.raw_scores(title, body, scratch);
        let mut out = [0f32; N_LABELS];
        for ((o, r), p) in out.iter_mut().zip(raw).zip(&self.labels) {
            *o = p.calibrate(r);
        }
        out
    }

    /// The topics of an article, best first: every label at or over its
    /// threshold, and at least the best one.
    pub fn classify(&self, title: &str, body: &str, scratch: &mut Scratch) -> Vec<Topic> {
        let probs = self.probabilities(title, body, scratch);
        select(&probs, &self.labels)
            .into_iter()
            .filter_map(|i| {
                let (code, label, label_ar) = TOPICS.get(i)?;
                Some(Topic {
                    code: format!("medtop:{code}"),
                    label: (*label).to_owned(),
                    label_ar: (*label_ar).to_owned(),
                    score: probs.get(i).copied().unwrap_or(0.0),
                })
            })
            .collect()
    }
}

/// Label indices at or over their thresholds, best first; the best label
/// alone when none is.
pub fn select(probs: &[f32; N_LABELS], labels: &[LabelParams; N_LABELS]) -> Vec<usize> {
    let mut order: Vec<usize> = (0..N_LABELS).collect();
    order.sort_by(|&a, &b| probs[b].total_cmp(&probs[a]).then(a.cmp(&b)));
    let mut chosen: Vec<usize> = order
        .iter()
        .copied()
        .filter(|&i| probs[i] >= labels[i].threshold)
        .collect();
    if chosen.is_empty() {
        chosen.extend(order.first().copied());
    }
    chosen
}

/// File name of the topic model inside the models directory.
pub const MODEL_FILE: &str = "topics.bin";

/// Reads and verifies a topic model file.
pub fn load(path: &std::path::Path) -> Result<TopicModel, super::LoadError> {
    let bytes = std::fs::read(path).map_err(|source| super::LoadError::Io {
        path: path.to_owned(),
        source,
    })?;
    TopicModel::from_bytes(&bytes).map_err(|e| super::LoadError::Invalid {
        path: path.to_owned(),
        reason: e.to_string(),
    })
}
