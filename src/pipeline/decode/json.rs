//! JSON objects: which key fills which article field.

use serde_json::{Map, Value};

use super::values::{authors_value, date_value, named_text, one_line, scalar_text, text_value};
use crate::model::Article;

/// The article fields a JSON key can fill.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Slot {
    Id,
    Url,
    Title,
    Text,
    Outlet,
    Published,
    Language,
    Authors,
}

const SLOTS: [Slot; 8] = [
    Slot::Id,
    Slot::Url,
    Slot::Title,
    Slot::Text,
    Slot::Outlet,
    Slot::Published,
    Slot::Language,
    Slot::Authors,
];

/// Aliases per slot, best first, in normalised form (lower case, no `_-` or spaces).
const ALIASES: [(Slot, &[&str]); 8] = [
    (Slot::Id, &["id"]),
    (Slot::Url, &["url", "link"]),
    (Slot::Title, &["title", "headline"]),
    (Slot::Text, &["text", "body", "content", "article"]),
    (Slot::Outlet, &["source", "outlet", "site"]),
    (
        Slot::Published,
        &["publishedat", "published", "date", "pubdate"],
    ),
    (Slot::Language, &["language", "lang"]),
    (Slot::Authors, &["author", "authors"]),
];

fn normalise_key(key: &str) -> String {
    key.chars()
        .filter(|c| !matches!(c, '_' | '-' | ' '))
        .flat_map(char::to_lowercase)
        .collect()
}

/// The slot a key fills and its rank among the slot's aliases.
fn slot_of(key: &str) -> Option<(Slot, usize)> {
    let k = normalise_key(key);
    ALIASES
        .iter()
        .find_map(|(slot, names)| names.iter().position(|n| *n == k).map(|rank| (*slot, rank)))
}

pub(super) fn from_json_object(map: Map<String, Value>) -> Article {
    // Candidates per slot: (alias rank, original key, value).
    let mut candidates: Vec<(Slot, usize, String, Value)> = Vec::new();
    let mut extra = Map::new();
    for (key, value) in map {
        match slot_of(&key) {
            Some((slot, rank)) => candidates.push((slot, rank, key, value)),
            None => {
                extra.insert(key, value);
            }
        }
    }
    candidates.sort_by_key(|(_, rank, _, _)| *rank);

    let mut article = Article::default();
    for slot in SLOTS {
        let mut filled = false;
        for (_, _, key, value) in candidates.iter().filter(|(s, ..)| *s == slot) {
            if filled || !fill(&mut article, slot, value) {
                // A losing alias, or a value that could not be read: keep it.
                if !value.is_null() {
                    extra.insert(key.clone(), value.clone());
                }
            } else {
                filled = true;
            }
        }
    }
    article.extra = extra;
    article
}

/// Puts `value` into `slot`; false when it holds nothing usable.
fn fill(article: &mut Article, slot: Slot, value: &Value) -> bool {
    match slot {
        Slot::Id => set(&mut article.id, scalar_text(value)),
        Slot::Url => set(&mut article.url, scalar_text(value)),
        Slot::Title => set(&mut article.title, text_value(value).map(|t| one_line(&t))),
        Slot::Text => match text_value(value) {
            Some(t) => {
                article.text = t;
                true
            }
            None => false,
        },
        Slot::Outlet => set(&mut article.outlet, named_text(value)),
        Slot::Published => match date_value(value) {
            Some(d) => {
                article.published_at = Some(d);
                true
            }
            None => false,
        },
        Slot::Language => set(
            &mut article.language_hint,
            scalar_text(value).map(|s| s.to_lowercase()),
        ),
        Slot::Authors => {
            let authors = authors_value(value);
            let ok = !authors.is_empty();
            article.authors = authors;
            ok
        }
    }
}

fn set(target: &mut Option<String>, value: Option<String>) -> bool {
    match value {
        Some(v) => {
            *target = Some(v);
            true
        }
        None => false,
    }
}
