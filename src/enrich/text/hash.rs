//! A small fast hasher for short string keys (stems, stop words): the FxHash
//! mixing used by rustc. Not DoS-resistant, which is fine for tables built
//! from our own data and per-article maps. Also [`KeyIds`], dense ids for
//! keys that are already hashes.

use std::hash::{BuildHasherDefault, Hasher};

#[derive(Default, Clone, Copy)]
pub struct FxHasher {
    hash: u64,
}

const SEED: u64 = 0x51_7c_c1_b7_27_22_0a_95;

impl FxHasher {
    #[inline]
    fn add(&mut self, word: u64) {
        self.hash = (self.hash.rotate_left(5) ^ word).wrapping_mul(SEED);
    }
}

impl Hasher for FxHasher {
    #[inline]
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for c in &mut chunks {
            let mut w = [0u8; 8];
            w.copy_from_slice(c);
            self.add(u64::from_le_bytes(w));
        }
        let rest = chunks.remainder();
        if !rest.is_empty() {
            let mut w = [0u8; 8];
            w[..rest.len()].copy_from_slice(rest);
            self.add(u64::from_le_bytes(w));
        }
    }
    #[inline]
    fn write_u8(&mut self, i: u8) {
        self.add(i as u64);
    }
    #[inline]
    fn write_usize(&mut self, i: usize) {
        self.add(i as u64);
    }
    #[inline]
    fn finish(&self) -> u64 {
        self.hash
    }
}

pub type FxBuild = BuildHasherDefault<FxHasher>;
pub type FxHashMap<K, V> = std::collections::HashMap<K, V, FxBuild>;
pub type FxHashSet<K> = std::collections::HashSet<K, FxBuild>;

/// Dense ids (0, 1, 2... in order of arrival) for well-mixed 64-bit keys
/// (n-gram hashes): open addressing on slots holding only ids, at most half
/// full; cheaper per lookup than a general map.
pub struct KeyIds {
    /// `id + 1` of the key whose probe stops here; 0 marks an empty slot.
    slots: Vec<u32>,
    /// Keys by id.
    keys: Vec<u64>,
    mask: usize,
}

impl KeyIds {
    /// A table for about `expected` keys.
    pub fn with_capacity(expected: usize) -> Self {
        let size = (expected.max(8) * 2).next_power_of_two();
        KeyIds {
            slots: vec![0; size],
            keys: Vec::with_capacity(expected),
            mask: size - 1,
        }
    }

    /// The id of `key`, and whether it is new (then the next id in order).
    #[inline]
    pub fn get_or_insert(&mut self, key: u64) -> (u32, bool) {
        if (self.keys.len() + 1) * 2 > self.slots.len() {
            self.grow();
        }
        let mut i = (key as usize) & self.mask;
        loop {
            match self.slots.get(i) {
                Some(&id) if id != 0 => {
                    if self.keys.get(id as usize - 1) == Some(&key) {
                        return (id - 1, false);
                    }
                    i = (i + 1) & self.mask;
                }
                _ => break,
            }
        }
        let id = self.keys.len() as u32;
        self.keys.push(key);
        if let Some(s) = self.slots.get_mut(i) {
            *s = id + 1;
        }
        (id, true)
    }

    fn grow(&mut self) {
        let size = self.slots.len() * 2;
        self.slots = vec![0; size];
        self.mask = size - 1;
        for (id, &k) in self.keys.iter().enumerate() {
            let mut i = (k as usize) & self.mask;
            while self.slots.get(i).is_some_and(|&s| s != 0) {
                i = (i + 1) & self.mask;
            }
            if let Some(s) = self.slots.get_mut(i) {
                *s = id as u32 + 1;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn key_ids_agree_with_a_map(keys in proptest::collection::vec(0u64..50, 0..300), shift in 0u32..60) {
            let mut ids = KeyIds::with_capacity(1);
            let mut map = std::collections::HashMap::new();
            for k in keys {
                let key = k << shift;
                let next = map.len() as u32;
                let new = !map.contains_key(&key);
                let want = *map.entry(key).or_insert(next);
                prop_assert_eq!(ids.get_or_insert(key), (want, new));
            }
        }
    }
}
