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
    (
        "02000000",
        "crime, law and justice",
        "الجريمة والقانون والعدالة",
    ),
    (
        "03000000",
        "disaster, accident and emergency incident",
        "الكوارث والحوادث والطوارئ",
    ),
    (
        "04000000",
        "economy, business and finance",
        "الاقتصاد والأعمال والمال",
    ),
    ("05000000", "education", "التعليم"),
    ("06000000", "environment", "البيئة"),
    ("07000000", "health", "الصحة"),
    ("08000000", "human interest", "اهتمامات إنسانية"),
    ("09000000", "labour", "العمل والعمال"),
    (
        "10000000",
        "lifestyle and leisure",
        "نمط الحياة وأوقات الفراغ",
    ),
    ("11000000", "politics and government", "السياسة والحكومة"),
    ("12000000", "religion", "الدين"),
    ("13000000", "science and technology", "العلوم والتكنولوجيا"),
    ("14000000", "society", "المجتمع"),
    ("15000000", "sport", "الرياضة"),
    (
        "16000000",
        "conflict, war and peace",
        "النزاعات والحرب والسلام",
    ),
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

/// Adds the weight row of every feature occurrence to `acc`.
#[inline]
fn accumulate(weights: &[i16], indices: &[u32], acc: &mut [i32; N_LABELS]) {
    // The first 16 labels in one fixed-width block (vectorised), then the rest.
    let (head, tail) = acc.split_at_mut(16);
    let mut head_acc = [0i32; 16];
    let mut tail_acc = [0i32; N_LABELS - 16];
    for &i in indices {
        let start = i as usize * N_LABELS;
        let Some(row) = weights.get(start..start + N_LABELS) else {
            continue;
        };
        let (h, t) = row.split_at(16);
        if let Ok(h) = <&[i16; 16]>::try_from(h) {
            for (a, &w) in head_acc.iter_mut().zip(h) {
                *a += i32::from(w);
            }
        }
        for (a, &w) in tail_acc.iter_mut().zip(t) {
            *a += i32::from(w);
        }
    }
    for (a, h) in head.iter_mut().zip(head_acc) {
        *a += h;
    }
    for (a, t) in tail.iter_mut().zip(tail_acc) {
        *a += t;
    }
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
        accumulate(&self.weights, &scratch.indices, &mut acc);
        let occurrences = scratch.indices.len();
        let norm = if occurrences == 0 {
            0.0
        } else {
            1.0 / (occurrences as f32).sqrt()
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
    /// Empty when the article has no words at all (nothing to judge by).
    pub fn classify(&self, title: &str, body: &str, scratch: &mut Scratch) -> Vec<Topic> {
        let probs = self.probabilities(title, body, scratch);
        if scratch.indices.is_empty() {
            return Vec::new();
        }
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
    load_versioned(path).map(|(model, _)| model)
}

/// Reads and verifies a topic model file; also returns its version string
/// (`<format version>-<first 8 hex digits of the file's SHA-256>`).
pub fn load_versioned(path: &std::path::Path) -> Result<(TopicModel, String), super::LoadError> {
    use sha2::{Digest, Sha256};
    let bytes = std::fs::read(path).map_err(|source| super::LoadError::Io {
        path: path.to_owned(),
        source,
    })?;
    let model = TopicModel::from_bytes(&bytes).map_err(|e| super::LoadError::Invalid {
        path: path.to_owned(),
        reason: e.to_string(),
    })?;
    let digest = Sha256::digest(&bytes);
    let version = format!("{}-{}", format::FORMAT_VERSION, hex::encode(&digest[..4]));
    Ok((model, version))
}

#[cfg(test)]
mod tests {
    use std::sync::OnceLock;

    use proptest::prelude::*;

    use super::features::{FeatureConfig, BIGRAMS, CHAR4, STEMS, WORDS};
    use super::*;
    use crate::enrich::Enrichers;

    /// A small model with pseudo-random weights: exercises every code path.
    fn synthetic() -> TopicModel {
        let config = FeatureConfig {
            bits: 12,
            flags: WORDS | BIGRAMS | STEMS | CHAR4,
            max_body_bytes: 2000,
        };
        let mut x: u32 = 12345;
        let weights = (0..config.dims() * N_LABELS)
            .map(|_| {
                x = x.wrapping_mul(1_103_515_245).wrapping_add(12345);
                ((x >> 16) % 2001) as i16 - 1000
            })
            .collect();
        let mut labels = [LabelParams {
            scale: 0.01,
            bias: -1.0,
            platt_a: 1.0,
            platt_b: 0.0,
            threshold: 0.4,
        }; N_LABELS];
        labels[3].bias = 1.0;
        TopicModel {
            config,
            labels,
            meta: String::new(),
            weights,
        }
    }

    fn bundled() -> &'static TopicModel {
        static MODEL: OnceLock<TopicModel> = OnceLock::new();
        MODEL.get_or_init(|| {
            let path = Enrichers::bundled_models_dir().join(MODEL_FILE);
            load(&path).unwrap_or_else(|e| panic!("bundled topic model: {e}"))
        })
    }

    fn codes(model: &TopicModel, title: &str, body: &str) -> Vec<String> {
        model
            .classify(title, body, &mut Scratch::default())
            .into_iter()
            .map(|t| t.code)
            .collect()
    }

    #[test]
    fn label_index_accepts_bare_and_prefixed_codes() {
        assert_eq!(label_index("15000000"), Some(14));
        assert_eq!(label_index("medtop:01000000"), Some(0));
        assert_eq!(label_index("medtop:99000000"), None);
    }

    #[test]
    fn select_keeps_labels_over_threshold_and_at_least_one() {
        let params = [LabelParams {
            threshold: 0.5,
            ..LabelParams::default()
        }; N_LABELS];
        let mut probs = [0.1f32; N_LABELS];
        probs[4] = 0.3;
        assert_eq!(select(&probs, &params), vec![4]);
        probs[7] = 0.9;
        probs[2] = 0.6;
        assert_eq!(select(&probs, &params), vec![7, 2]);
    }

    #[test]
    fn classify_is_sorted_labelled_and_empty_without_words() {
        let m = synthetic();
        let topics = m.classify(
            "عنوان",
            "نص الخبر عن الاقتصاد والأسواق",
            &mut Scratch::default(),
        );
        assert!(!topics.is_empty());
        assert!(topics.windows(2).all(|w| w[0].score >= w[1].score));
        for t in &topics {
            assert!(t.code.starts_with("medtop:") && !t.label.is_empty() && !t.label_ar.is_empty());
        }
        assert!(m
            .classify("", " ... ،؛ ", &mut Scratch::default())
            .is_empty());
    }

    struct Golden {
        name: &'static str,
        title: &'static str,
        body: &'static str,
        /// The first topic must be one of these.
        first: &'static [&'static str],
    }

    const GOLDEN: &[Golden] = &[
        Golden {
            name: "Arabic football match",
            title: "الهلال يفوز على النصر ويتصدر الدوري",
            body: "حقق فريق الهلال فوزا ثمينا على منافسه النصر بهدفين مقابل هدف في المباراة التي جمعتهما مساء أمس على ملعب الملك فهد الدولي ضمن الجولة العاشرة من دوري المحترفين. وسجل المهاجم الهدف الأول في الدقيقة العشرين من الشوط الأول قبل أن يعادل النصر النتيجة، ثم أضاف لاعب الوسط هدف الفوز في الوقت بدل الضائع. وبهذا الفوز رفع الهلال رصيده إلى خمس وعشرين نقطة في صدارة جدول الترتيب، وقال المدرب إن لاعبيه قدموا مباراة كبيرة.",
            first: &["medtop:15000000"],
        },
        Golden {
            name: "Arabic oil market",
            title: "ارتفاع أسعار النفط وسط توقعات بخفض الإنتاج",
            body: "ارتفعت أسعار النفط في تعاملات اليوم، إذ صعد خام برنت بنسبة اثنين في المئة إلى سبعين دولارا للبرميل، بعد تصريحات عن خفض الإنتاج من منظمة أوبك. وقال محللون في الأسواق إن المستثمرين يترقبون بيانات المخزونات الأمريكية، فيما سجلت البورصات الخليجية مكاسب بقيادة أسهم البنوك والشركات البتروكيماوية، وارتفع المؤشر العام للسوق المالية.",
            first: &["medtop:04000000"],
        },
        Golden {
            name: "Arabic air strikes",
            title: "غارات جوية على مواقع للمسلحين ومقتل العشرات",
            body: "شنت طائرات التحالف غارات جوية مكثفة على مواقع للمسلحين في شمال البلاد، ما أسفر عن مقتل العشرات من عناصر التنظيم وتدمير مخازن للأسلحة والذخيرة. وقال المتحدث العسكري إن القوات البرية تقدمت نحو المدينة بعد اشتباكات عنيفة استمرت ساعات، فيما فر آلاف المدنيين من مناطق القتال. وأعلنت الأمم المتحدة قلقها من تصاعد المعارك ودعت إلى وقف إطلاق النار.",
            first: &["medtop:16000000", "medtop:11000000"],
        },
        Golden {
            // The same kind of report as the project's seed article: a
            // military cooperation agreement between two governments.
            name: "Arabic defence cooperation talks",
            title: "وزير الدفاع العراقي يبحث في عمان اتفاقية للتعاون العسكري مع الأردن",
            body: "استقبل العاهل الأردني في عمان يوم الثلاثاء وزير الدفاع العراقي والوفد العسكري المرافق له، وبحث الجانبان سبل تعزيز التعاون الدفاعي بين البلدين في ضوء التهديدات التي تواجه المنطقة. وقال الوزير في تصريحات للصحفيين عقب اللقاء إن حكومة بلاده تعتبر الأردن شريكا استراتيجيا في مكافحة الإرهاب، وإن الاتفاقية التي وقعها رئيسا أركان الجيشين تشمل تدريب القوات الخاصة وتبادل المعلومات الاستخباراتية وتأمين الحدود المشتركة. وأضاف أن المباحثات تناولت أيضا الأوضاع في سوريا والمعارك التي تخوضها القوات العراقية ضد فلول تنظيم داعش في المناطق الصحراوية غرب البلاد. من جهته أكد رئيس الوزراء الأردني دعم بلاده لسيادة العراق ووحدة أراضيه، مشيرا إلى أن البلدين سيعقدان اجتماعا للجنة العليا المشتركة الشهر المقبل لمتابعة تنفيذ الاتفاقيات الموقعة. وكانت وسائل إعلام رسمية قد ذكرت أن الوفد العراقي سيزور عددا من المنشآت العسكرية الأردنية قبل عودته إلى بغداد.",
            first: &["medtop:11000000", "medtop:16000000"],
        },
        Golden {
            name: "English company results",
            title: "Carmaker profits jump as sales rise",
            body: "The carmaker reported a 20% rise in annual profits on Thursday, helped by strong sales in Asia and a weaker currency. Revenue climbed to $40bn, and the company said it would raise its dividend for shareholders. Its shares rose 5% on the stock market after the results, which beat analysts' forecasts. The firm expects growth to slow next year as interest rates rise.",
            first: &["medtop:04000000"],
        },
        Golden {
            name: "English election",
            title: "Prime minister calls early general election",
            body: "The prime minister has called an early general election for May, telling parliament that the government needs a fresh mandate. Opposition parties said they were ready for the campaign, and the leader of the opposition accused ministers of running away from a vote on the budget. Polls suggest the governing party holds a narrow lead. MPs will debate the election bill next week.",
            first: &["medtop:11000000"],
        },
    ];

    #[test]
    fn bundled_model_golden_articles() {
        let m = bundled();
        for g in GOLDEN {
            let got = codes(m, g.title, g.body);
            let first = got.first().map(String::as_str).unwrap_or("");
            assert!(g.first.contains(&first), "{}: got {got:?}", g.name);
        }
    }

    /// The scores as first written: features through the reference
    /// featurisation, one weight row at a time.
    fn reference_raw_scores(m: &TopicModel, title: &str, body: &str) -> [f32; N_LABELS] {
        let indices = features::reference::featurise(&m.config, title, body);
        let mut acc = [0i32; N_LABELS];
        for &i in &indices {
            let start = i as usize * N_LABELS;
            if let Some(row) = m.weights.get(start..start + N_LABELS) {
                for (a, &w) in acc.iter_mut().zip(row) {
                    *a += i32::from(w);
                }
            }
        }
        let norm = if indices.is_empty() {
            0.0
        } else {
            1.0 / (indices.len() as f32).sqrt()
        };
        let mut out = [0f32; N_LABELS];
        for ((o, a), p) in out.iter_mut().zip(acc).zip(&m.labels) {
            *o = p.bias + p.scale * norm * a as f32;
        }
        out
    }

    #[test]
    fn bundled_model_scores_equal_the_reference_bit_for_bit() {
        let m = bundled();
        let average = include_str!("../../../benches/fixtures/topics-average-ar.txt");
        let (title, body) = average.split_once('\n').unwrap_or(("", average));
        let mut articles = vec![(title, body), ("", ""), ("عنوان", " ... ")];
        articles.extend(GOLDEN.iter().map(|g| (g.title, g.body)));
        let mut scratch = Scratch::default();
        for (title, body) in articles {
            let got = m.raw_scores(title, body, &mut scratch).map(f32::to_bits);
            let want = reference_raw_scores(m, title, body).map(f32::to_bits);
            assert_eq!(got, want, "{title}");
        }
    }

    #[test]
    fn bundled_model_loads_through_enrichers() {
        let e = Enrichers::load(&Enrichers::bundled_models_dir());
        let e = e.unwrap_or_else(|err| panic!("{err}"));
        assert!(e.model_versions().contains_key("topics"));
    }

    #[test]
    fn missing_model_is_a_load_error() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        assert!(load(&dir.path().join(MODEL_FILE)).is_err());
        std::fs::write(dir.path().join(MODEL_FILE), b"NETOPICS garbage")
            .unwrap_or_else(|e| panic!("{e}"));
        assert!(matches!(
            load(&dir.path().join(MODEL_FILE)),
            Err(crate::enrich::LoadError::Invalid { .. })
        ));
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(256))]
        #[test]
        fn classify_never_panics(title in "\\PC{0,40}", body in "\\PC{0,400}") {
            let m = synthetic();
            let topics = m.classify(&title, &body, &mut Scratch::default());
            prop_assert!(topics.len() <= N_LABELS);
            for t in &topics {
                prop_assert!((0.0..=1.0).contains(&t.score));
            }
        }

        #[test]
        fn featurise_never_panics(text in any::<String>(), max in 0u32..64) {
            let cfg = FeatureConfig { bits: 10, flags: WORDS | BIGRAMS | STEMS | CHAR4 | features::CHAR3 | features::CHAR5, max_body_bytes: max };
            let mut out = Vec::new();
            features::featurise(&cfg, &text, &text, &mut features::Scratch::default(), &mut out);
            prop_assert!(out.iter().all(|&i| i < 1 << 10));
        }
    }
}
