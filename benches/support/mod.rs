//! The articles the text-layer benchmarks run on: the Arabic and English
//! articles of `benches/fixtures` (written for the benchmarks; about 2.5 KB
//! on average). `article-*.txt` files hold a title line, then the body; the
//! others are bodies only.

use std::path::Path;

/// One benchmark article.
pub struct BenchArticle {
    /// ISO 639-1 code, from the file name.
    pub lang: &'static str,
    pub title: String,
    pub body: String,
}

impl BenchArticle {
    /// Title and body bytes.
    pub fn len(&self) -> usize {
        self.title.len() + self.body.len()
    }
}

/// Every `*-ar.txt` and `*-en.txt` file of `benches/fixtures`, sorted by name.
pub fn layer_articles() -> Vec<BenchArticle> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("benches/fixtures");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .map(|d| d.flatten().map(|e| e.path()).collect())
        .unwrap_or_default();
    files.sort();
    let mut out = Vec::new();
    for path in files {
        let name = path
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or("")
            .to_string();
        let lang = if name.ends_with("-ar.txt") {
            "ar"
        } else if name.ends_with("-en.txt") {
            "en"
        } else {
            continue;
        };
        let Ok(raw) = std::fs::read_to_string(&path) else {
            continue;
        };
        let (title, body) = match raw.split_once('\n') {
            Some((t, b)) if name.starts_with("article-") => (t.to_string(), b.to_string()),
            _ => (String::new(), raw),
        };
        out.push(BenchArticle { lang, title, body });
    }
    out
}

/// Average size in bytes.
pub fn average_len(articles: &[BenchArticle]) -> usize {
    articles.iter().map(BenchArticle::len).sum::<usize>() / articles.len().max(1)
}
