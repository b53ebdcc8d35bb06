//! Language identification.

use crate::model::record::Language;

pub struct LanguageDetector;

impl LanguageDetector {
    pub fn new() -> Self {
        LanguageDetector
    }

    pub fn detect(&self, title: &str, body: &str, hint: Option<&str>) -> Language {
        let _ = (title, body, hint);
        Language {
            code: "und".into(),
            confidence: 0.0,
            script: None,
        }
    }
}

impl Default for LanguageDetector {
    fn default() -> Self {
        Self::new()
    }
}
