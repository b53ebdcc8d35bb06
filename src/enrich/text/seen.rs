//! The tokens already made in one document, by the hash of their surface:
//! a later occurrence of a surface copies its token instead of normalising,
//! stemming and looking up stop words again ([`super::token::Tokenizer`]).
//!
//! Open addressing on the 64-bit hash, at most half full: a probe compares
//! a 32-bit tag of the hash and reads the surface only when the tags agree,
//! which costs less per token than a general hash map.

use super::token::Token;
use crate::model::record::Field;

/// The first token of each surface of one document, by surface.
pub(crate) struct SeenTable<'t> {
    /// `(tag, token index + 1)`: the tag is the high half of the surface's
    /// hash; 0 as an index marks an empty slot.
    slots: Vec<(u32, u32)>,
    len: usize,
    mask: usize,
    /// The texts of the fields, to read a recorded token's surface.
    title: &'t str,
    body: &'t str,
}

impl<'t> SeenTable<'t> {
    /// A table for about `expected` distinct surfaces of `title` and `body`.
    pub fn new(title: &'t str, body: &'t str, expected: usize) -> Self {
        let size = (expected.max(8) * 2).next_power_of_two();
        SeenTable {
            slots: vec![(0, 0); size],
            len: 0,
            mask: size - 1,
            title,
            body,
        }
    }

    #[inline]
    fn surface(&self, t: &Token) -> &'t [u8] {
        let text = match t.field {
            Field::Title => self.title,
            Field::Body => self.body,
        };
        text.as_bytes().get(t.range()).unwrap_or(&[])
    }

    /// Index in `tokens` of the first token of `surface` (whose hash is
    /// `hash`), if one was recorded.
    #[inline]
    pub fn get(&self, hash: u64, surface: &str, tokens: &[Token]) -> Option<usize> {
        probe(&self.slots, self.mask, tag_of(hash), |k| {
            tokens
                .get(k)
                .is_some_and(|t| self.surface(t) == surface.as_bytes())
        })
    }

    /// Records token `index` as the first of its surface (not already
    /// recorded: [`Self::get`] missed it).
    #[inline]
    pub fn insert(&mut self, hash: u64, index: usize) {
        let Ok(e) = u32::try_from(index + 1) else {
            return;
        };
        if (self.len + 1) * 2 > self.slots.len() {
            self.grow();
        }
        self.place(tag_of(hash), e);
        self.len += 1;
    }

    fn place(&mut self, tag: u32, e: u32) {
        place(&mut self.slots, self.mask, tag, e);
    }

    fn grow(&mut self) {
        let size = self.slots.len() * 2;
        let old = std::mem::replace(&mut self.slots, vec![(0, 0); size]);
        self.mask = size - 1;
        for (tag, e) in old.into_iter().filter(|s| s.1 != 0) {
            self.place(tag, e);
        }
    }
}

/// Open addressing on `(tag, index + 1)` slots (0: empty), shared with
/// [`super::forms`]: the first index recorded under `tag` for which `is`
/// holds.
#[inline]
pub(crate) fn probe(
    slots: &[(u32, u32)],
    mask: usize,
    tag: u32,
    mut is: impl FnMut(usize) -> bool,
) -> Option<usize> {
    let mut i = tag as usize & mask;
    loop {
        let &(g, e) = slots.get(i)?;
        if e == 0 {
            return None;
        }
        if g == tag && is(e as usize - 1) {
            return Some(e as usize - 1);
        }
        i = (i + 1) & mask;
    }
}

/// Records `e` (an index + 1) under `tag` in the first free slot of its probe.
pub(crate) fn place(slots: &mut [(u32, u32)], mask: usize, tag: u32, e: u32) {
    let mut i = tag as usize & mask;
    while slots.get(i).is_some_and(|s| s.1 != 0) {
        i = (i + 1) & mask;
    }
    if let Some(s) = slots.get_mut(i) {
        *s = (tag, e);
    }
}

/// The high half of a 64-bit hash (FxHash mixes its high bits best).
#[inline]
fn tag_of(hash: u64) -> u32 {
    (hash >> 32) as u32
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::enrich::text::Document;
    use proptest::prelude::*;

    /// Records the first token of each surface of a document and checks
    /// that every token finds the first one of its surface.
    fn check(title: &str, body: &str, hash: impl Fn(&str) -> u64) -> Result<(), String> {
        let doc = Document::new(title, body, "und");
        let tokens = doc.tokens();
        let mut table = SeenTable::new(title, body, 1);
        for (i, t) in tokens.iter().enumerate() {
            let s = doc.surface(t);
            let first = tokens.iter().position(|u| doc.surface(u) == s);
            match table.get(hash(s), s, tokens) {
                Some(k) if Some(k) != first => return Err(format!("{s}: {k} not {first:?}")),
                Some(_) => {}
                None if first != Some(i) => return Err(format!("{s}: missed")),
                None => table.insert(hash(s), i),
            }
        }
        Ok(())
    }

    fn fx(s: &str) -> u64 {
        super::super::hash::hash_bytes(s.as_bytes())
    }

    #[test]
    fn finds_first_tokens_and_grows() {
        let body: String = (0..300).map(|i| format!("w{} w{} ", i, i / 2)).collect();
        assert_eq!(check("w1 title", &body, fx), Ok(()));
        // Every surface on one tag: probes must still tell them apart.
        assert_eq!(check("a b", "b c a d c", |_| 7 << 32), Ok(()));
    }

    proptest! {
        #[test]
        fn agrees_with_a_search(title in "[a-c ]{0,20}", body in "[a-d \u{0628}\u{062A}]{0,200}", bits in 0u32..4) {
            // Few hash bits: many colliding tags.
            let hash = |s: &str| fx(s) & (((1u64 << bits) - 1) << 32);
            prop_assert_eq!(check(&title, &body, hash), Ok(()));
        }
    }
}
