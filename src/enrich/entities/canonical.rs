//! Canonicalisation: mentions of one entity grouped together, its canonical
//! form, mention count and salience.
//!
//! Persons: a mention whose words end an earlier or longer person's name
//! (الأسد → بشار الأسد, Macron → Emmanuel Macron) joins it; the canonical form
//! is the longest full form. Locations found by the gazetteer group by place
//! and take the gazetteer's name in the article's language. Everything else
//! groups by its normalised text.

use crate::enrich::places::PlaceId;
use crate::enrich::text::hash::FxHashMap;
use crate::model::record::{Entity, EntityType, Field, Span};

/// Where a mention comes from (conflicts are resolved on it).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Source {
    Tagger,
    Gazetteer,
    Pattern,
    /// A later bare mention of a name found in full elsewhere.
    Propagated,
}

/// One mention of an entity.
#[derive(Debug, Clone, PartialEq)]
pub struct Mention {
    pub span: Span,
    /// Number of tokens covered.
    pub tokens: usize,
    pub kind: EntityType,
    pub source: Source,
    /// Display form (the text, with a contracted article restored).
    pub text: String,
    /// Normalised form, words separated by one space.
    pub key: String,
    pub place: Option<PlaceId>,
}

/// What salience looks at besides the mention count.
#[derive(Debug, Clone, Copy, Default)]
pub struct Layout {
    /// Code points of the body.
    pub body_chars: usize,
    /// End (code points) of the lead in the body.
    pub lead_end: usize,
}

/// The words of a key (no empty ones).
fn words(key: &str) -> impl DoubleEndedIterator<Item = &str> {
    key.split(' ').filter(|w| !w.is_empty())
}

fn word_count(key: &str) -> usize {
    words(key).count()
}

/// Whether `short` (of `n` words) is the tail of `long` (of `m` words),
/// word by word (الأسد ⊂ بشار الأسد).
fn is_tail(short: &str, n: usize, long: &str, m: usize) -> bool {
    n < m
        && words(short)
            .rev()
            .zip(words(long).rev())
            .all(|(a, b)| a == b)
}

/// Groups mentions into entities. `place_name` gives a gazetteer place's name.
pub fn entities(
    mentions: Vec<Mention>,
    layout: Layout,
    place_name: &dyn Fn(PlaceId) -> String,
) -> Vec<Entity> {
    // Mentions are grouped by index first (keys borrowed from them), then
    // moved into their groups in the order they were assigned.
    let mut sizes: Vec<usize> = Vec::new();
    let mut assigned: Vec<(usize, usize)> = Vec::with_capacity(mentions.len());
    let mut by_key: FxHashMap<(EntityType, &str), usize> = FxHashMap::default();
    let mut by_place: FxHashMap<PlaceId, usize> = FxHashMap::default();

    // Persons: longest names first, so shorter mentions find their full form.
    let mut persons: Vec<(usize, usize)> = mentions
        .iter()
        .enumerate()
        .filter(|(_, m)| m.kind == EntityType::Person)
        .map(|(i, m)| (word_count(&m.key), i))
        .collect();
    persons.sort_by(|&(na, a), &(nb, b)| {
        nb.cmp(&na)
            .then(order(&mentions[a].span).cmp(&order(&mentions[b].span)))
    });
    // Groups of persons with their full name (its key) and its word count.
    let mut person_groups: Vec<(usize, &str, usize)> = Vec::new();
    for (n, i) in persons {
        let key = mentions[i].key.as_str();
        let exact = by_key.get(&(EntityType::Person, key)).copied();
        let target = exact.or_else(|| {
            // Several full names share the tail: the most mentioned one.
            person_groups
                .iter()
                .filter(|(_, full, len)| is_tail(key, n, full, *len))
                .map(|(g, _, _)| *g)
                .max_by_key(|&g| (sizes[g], usize::MAX - g))
        });
        let g = match target {
            Some(g) => g,
            None => {
                let g = sizes.len();
                by_key.insert((EntityType::Person, key), g);
                person_groups.push((g, key, n));
                sizes.push(0);
                g
            }
        };
        sizes[g] += 1;
        assigned.push((i, g));
    }
    for (i, m) in mentions.iter().enumerate() {
        if m.kind == EntityType::Person {
            continue;
        }
        let found = match m.place {
            Some(p) => by_place.get(&p).copied(),
            None => by_key.get(&(m.kind, m.key.as_str())).copied(),
        };
        let g = match found {
            Some(g) => g,
            None => {
                let g = sizes.len();
                match m.place {
                    Some(p) => by_place.insert(p, g),
                    None => by_key.insert((m.kind, m.key.as_str()), g),
                };
                sizes.push(0);
                g
            }
        };
        sizes[g] += 1;
        assigned.push((i, g));
    }
    drop(by_key);
    drop(person_groups);
    let mut groups: Vec<Vec<Mention>> = sizes.iter().map(|&n| Vec::with_capacity(n)).collect();
    let mut slots: Vec<Option<Mention>> = mentions.into_iter().map(Some).collect();
    for (i, g) in assigned {
        if let (Some(m), Some(group)) = (slots.get_mut(i).and_then(Option::take), groups.get_mut(g))
        {
            group.push(m);
        }
    }

    let mut out: Vec<(f32, Entity)> = groups
        .into_iter()
        .filter(|g| !g.is_empty())
        .map(|g| entity(g, layout, place_name))
        .collect();
    let max = out.iter().map(|e| e.0).fold(0.0f32, f32::max);
    for (raw, e) in &mut out {
        e.salience = if max > 0.0 {
            (*raw / max * 1000.0).round() / 1000.0
        } else {
            0.0
        };
    }
    out.sort_by(|a, b| {
        b.0.total_cmp(&a.0)
            .then(order(&a.1.spans[0]).cmp(&order(&b.1.spans[0])))
    });
    out.into_iter().map(|(_, e)| e).collect()
}

fn order(s: &Span) -> (u8, usize) {
    (u8::from(s.field == Field::Body), s.start)
}

fn entity(
    mut g: Vec<Mention>,
    layout: Layout,
    place_name: &dyn Fn(PlaceId) -> String,
) -> (f32, Entity) {
    g.sort_by_key(|m| order(&m.span));
    g.dedup_by(|a, b| a.span == b.span);
    // Most common surface form; ties go to the longer, then the earlier one.
    let mut counts: Vec<(&str, usize, usize)> = Vec::new();
    for (i, m) in g.iter().enumerate() {
        match counts.iter_mut().find(|c| c.0 == m.text) {
            Some(c) => c.1 += 1,
            None => counts.push((&m.text, 1, i)),
        }
    }
    let text = counts
        .iter()
        .max_by(|a, b| {
            a.1.cmp(&b.1)
                .then(a.0.chars().count().cmp(&b.0.chars().count()))
                .then(b.2.cmp(&a.2))
        })
        .map(|c| c.0.to_string())
        .unwrap_or_default();
    let kind = g.first().map_or(EntityType::Misc, |m| m.kind);
    let canonical = match (kind, g.iter().find_map(|m| m.place)) {
        (EntityType::Location, Some(p)) => place_name(p),
        (EntityType::Person, _) => g
            .iter()
            .max_by(|a, b| {
                word_count(&a.key)
                    .cmp(&word_count(&b.key))
                    .then(a.text.chars().count().cmp(&b.text.chars().count()))
            })
            .map(|m| m.text.clone())
            .unwrap_or_else(|| text.clone()),
        _ => text.clone(),
    };
    let spans: Vec<Span> = g.iter().map(|m| m.span).collect();
    let mentions = spans.len() as u32;
    let in_title = spans.iter().any(|s| s.field == Field::Title);
    let in_lead = spans
        .iter()
        .any(|s| s.field == Field::Body && s.start < layout.lead_end);
    let first_body = spans
        .iter()
        .filter(|s| s.field == Field::Body)
        .map(|s| s.start)
        .min();
    let early = match (first_body, layout.body_chars) {
        (Some(p), n) if n > 0 => 1.0 - (p as f32 / n as f32).min(1.0),
        _ => 0.0,
    };
    let raw = mentions as f32
        + if in_title { 2.0 } else { 0.0 }
        + if in_lead { 1.0 } else { 0.0 }
        + early;
    (
        raw,
        Entity {
            text,
            kind,
            canonical,
            mentions,
            salience: 0.0,
            spans,
        },
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m(text: &str, start: usize, kind: EntityType) -> Mention {
        Mention {
            span: Span {
                field: Field::Body,
                start,
                end: start + text.chars().count(),
            },
            tokens: text.split(' ').count(),
            kind,
            source: Source::Tagger,
            text: text.to_string(),
            key: text.to_lowercase(),
            place: None,
        }
    }

    #[test]
    fn short_person_mentions_join_the_full_name() {
        let layout = Layout {
            body_chars: 200,
            lead_end: 50,
        };
        let got = entities(
            vec![
                m("بشار الأسد", 10, EntityType::Person),
                m("الأسد", 80, EntityType::Person),
                m("Macron", 120, EntityType::Person),
                m("Emmanuel Macron", 150, EntityType::Person),
                m("الأسد", 190, EntityType::Person),
                m("وزارة الخارجية", 30, EntityType::Organization),
            ],
            layout,
            &|_| String::new(),
        );
        let assad = got.iter().find(|e| e.canonical == "بشار الأسد").unwrap();
        assert_eq!((assad.mentions, assad.text.as_str()), (3, "الأسد"));
        let macron = got
            .iter()
            .find(|e| e.canonical == "Emmanuel Macron")
            .unwrap();
        assert_eq!(macron.mentions, 2);
        assert_eq!(got.len(), 3);
        assert_eq!(got[0].canonical, "بشار الأسد");
        assert!((got[0].salience - 1.0).abs() < 1e-6);
        assert!(got.iter().all(|e| (0.0..=1.0).contains(&e.salience)));
    }
}
