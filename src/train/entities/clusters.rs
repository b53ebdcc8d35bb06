//! Word clusters from unlabelled text.

use std::path::PathBuf;

use rand::seq::SliceRandom;
use rand::SeedableRng;

use super::lexicon::name_tokens;
use crate::enrich::entities::features::{hash_str, normalize, Script};
use crate::train::sources::gz_lines;

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
pub(super) fn unlabelled_texts(files: &[PathBuf]) -> anyhow::Result<Vec<Vec<String>>> {
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
