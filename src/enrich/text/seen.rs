//! The tokens already made in one document, by the hash of their surface:
//! a later occurrence of a surface copies its token instead of normalising,
//! stemming and looking up stop words again ([`super::token::Tokenizer`]).
//!
//! Open addressing on the 64-bit hash, at most half full. A slot is four
//! bytes (the number of its entry + 1), so the table an article needs is
//! small to clear; the entries hold a 32-bit tag of the hash and the token,
//! and a probe reads the surface only when the tags agree. A probe that
//! misses returns the free slot it stopped at, where the surface is then
//! recorded without probing again.

use super::bytes::same_bytes;
use super::token::Token;
use crate::model::record::Field;

/// The first token of each surface of one document, by surface.
pub(crate) struct SeenTable<'t> {
    /// Entry number + 1; 0 marks an empty slot.
    slots: Vec<u32>,
    /// `(tag, token index)` per recorded surface; the tag is the high half
    /// of the surface's hash.
    entries: Vec<(u32, u32)>,
    mask: usize,
    /// The texts of the fields, to read a recorded token's surface.
    title: &'t str,
    body: &'t str,
}

/// Where a surface that was not found would go: the free slot its probe
/// ended at (valid until the next [`SeenTable::insert`]).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Vacant(usize);

impl<'t> SeenTable<'t> {
    /// A table for about `expected` distinct surfaces of `title` and `body`.
    pub fn new(title: &'t str, body: &'t str, expected: usize) -> Self {
        Self::with_storage(title, body, expected, Vec::new(), Vec::new())
    }

    /// [`Self::new`] in the storage of an earlier table
    /// ([`Self::into_storage`]), cleared here.
    pub fn with_storage(
        title: &'t str,
        body: &'t str,
        expected: usize,
        mut slots: Vec<u32>,
        mut entries: Vec<(u32, u32)>,
    ) -> Self {
        let size = (expected.max(8) * 2).next_power_of_two();
        slots.clear();
        slots.resize(size, 0);
        entries.clear();
        entries.reserve(expected.max(8));
        SeenTable {
            slots,
            entries,
            mask: size - 1,
            title,
            body,
        }
    }

    /// The table's vectors, to make another table in.
    pub fn into_storage(self) -> (Vec<u32>, Vec<(u32, u32)>) {
        (self.slots, self.entries)
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
    /// `hash`), or the free slot where it would be recorded.
    #[inline]
    pub fn find(&self, hash: u64, surface: &[u8], tokens: &[Token]) -> Result<usize, Vacant> {
        let tag = tag_of(hash);
        let mut i = tag as usize & self.mask;
        loop {
            let Some(&e) = self.slots.get(i) else {
                return Err(Vacant(usize::MAX));
            };
            if e == 0 {
                return Err(Vacant(i));
            }
            if let Some(&(g, k)) = self.entries.get(e as usize - 1) {
                if g == tag {
                    let k = k as usize;
                    if tokens
                        .get(k)
                        .is_some_and(|t| same_bytes(self.surface(t), surface))
                    {
                        return Ok(k);
                    }
                }
            }
            i = (i + 1) & self.mask;
        }
    }

    /// Records token `index` as the first of its surface, at the free slot
    /// [`Self::find`] returned for it (no insertion in between).
    #[inline]
    pub fn insert(&mut self, at: Vacant, hash: u64, index: usize) {
        let (Ok(e), Ok(index)) = (u32::try_from(self.entries.len() + 1), u32::try_from(index))
        else {
            return;
        };
        let tag = tag_of(hash);
        self.entries.push((tag, index));
        if self.entries.len() * 2 > self.slots.len() {
            self.grow();
        } else if let Some(s) = self.slots.get_mut(at.0) {
            *s = e;
        }
    }

    /// Doubles the slots and places every entry again.
    fn grow(&mut self) {
        let size = self.slots.len() * 2;
        self.slots.clear();
        self.slots.resize(size, 0);
        self.mask = size - 1;
        for (n, &(tag, _)) in self.entries.iter().enumerate() {
            let mut i = tag as usize & self.mask;
            while self.slots.get(i).is_some_and(|&s| s != 0) {
                i = (i + 1) & self.mask;
            }
            if let Some(s) = self.slots.get_mut(i) {
                *s = n as u32 + 1;
            }
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
            match table.find(hash(s), s.as_bytes(), tokens) {
                Ok(k) if Some(k) != first => return Err(format!("{s}: {k} not {first:?}")),
                Ok(_) => {}
                Err(_) if first != Some(i) => return Err(format!("{s}: missed")),
                Err(at) => table.insert(at, hash(s), i),
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
