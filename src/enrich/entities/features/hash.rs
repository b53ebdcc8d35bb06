//! Hashes of the tagger's features: FNV-1a over normalised bytes finished
//! with splitmix64, and the integer mixing that combines them.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

/// Hasher for keys that are already well-mixed 64-bit hashes.
#[derive(Default, Clone, Copy)]
pub struct PrehashedHasher(u64);

impl Hasher for PrehashedHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0 << 8) ^ u64::from(b) ^ (self.0 >> 56);
        }
    }
    fn write_u64(&mut self, n: u64) {
        self.0 = n;
    }
}

pub type PrehashedMap<V> = HashMap<u64, V, BuildHasherDefault<PrehashedHasher>>;

pub(super) const FNV_OFFSET: u64 = 0xcbf2_9ce4_8422_2325;
pub(super) const FNV_PRIME: u64 = 0x0000_0100_0000_01b3;

/// FNV-1a over bytes, finished with a strong mixer.
pub fn hash_bytes(bytes: &[u8]) -> u64 {
    let mut h = FNV_OFFSET;
    for &b in bytes {
        h ^= u64::from(b);
        h = h.wrapping_mul(FNV_PRIME);
    }
    finish(h)
}

/// Cheap hash of a token's raw bytes, 8 at a time, for per-call tables.
#[inline]
pub(super) fn token_key(bytes: &[u8]) -> u64 {
    const K: u64 = 0x51_7c_c1_b7_27_22_0a_95;
    let mut h = bytes.len() as u64;
    let mut chunks = bytes.chunks_exact(8);
    for c in &mut chunks {
        let mut w = [0u8; 8];
        w.copy_from_slice(c);
        h = (h.rotate_left(5) ^ u64::from_le_bytes(w)).wrapping_mul(K);
    }
    let rest = chunks.remainder();
    let mut w = [0u8; 8];
    w[..rest.len()].copy_from_slice(rest);
    (h.rotate_left(5) ^ u64::from_le_bytes(w)).wrapping_mul(K)
}

pub fn hash_str(s: &str) -> u64 {
    hash_bytes(s.as_bytes())
}

/// splitmix64 finaliser.
#[inline]
pub(super) const fn finish(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

/// Order-sensitive combination of two hashes.
#[inline]
pub fn mix(a: u64, b: u64) -> u64 {
    finish(a.wrapping_mul(0x9e37_79b9_7f4a_7c15) ^ b)
}

/// A feature of template `template` with value `value` (a well-mixed hash or
/// a small integer): one xor and one multiply, so the top bits that pick a
/// weight-table row ([`bucket`]) depend on every bit of both.
#[inline(always)]
pub fn feat(template: u64, value: u64) -> u64 {
    (value ^ template.wrapping_mul(0x9e37_79b9_7f4a_7c15)).wrapping_mul(0xd6e8_feb8_6659_fd93)
}

/// Order-sensitive combination of two well-mixed hashes, cheaper than [`mix`]
/// (the result goes through [`feat`]).
#[inline(always)]
pub(super) fn pair(a: u64, b: u64) -> u64 {
    a.rotate_left(21) ^ b
}

/// The weight-table row of a feature hash for a table of `1 << bits` rows.
#[inline]
pub fn bucket(feature: u64, bits: u32) -> usize {
    (feature >> (64 - bits)) as usize
}

/// A read-only table from well-mixed 64-bit hashes to small values, with
/// open addressing over one array of keys: a lookup is a load and a
/// compare when the first slot decides, against the probe groups of a
/// general hash map. Built from a [`PrehashedMap`], it answers as it does.
#[derive(Debug, Clone)]
pub struct FlatTable<V> {
    /// The top `bits` of a key pick its first slot.
    shift: u32,
    /// Slots: a key, or 0 for an empty slot.
    keys: Vec<u64>,
    values: Vec<V>,
    /// The value of key 0, which the slots cannot hold.
    zero: Option<V>,
    /// Number of keys held.
    len: usize,
}

impl<V: Copy + Default> FlatTable<V> {
    pub fn new(map: &PrehashedMap<V>) -> FlatTable<V> {
        // At most half full, so that runs stay short.
        let bits = (map.len() * 2).next_power_of_two().max(16).trailing_zeros();
        let mask = (1usize << bits) - 1;
        let mut keys = vec![0u64; mask + 1];
        let mut values = vec![V::default(); mask + 1];
        let mut zero = None;
        for (&k, &v) in map {
            if k == 0 {
                zero = Some(v);
                continue;
            }
            let mut slot = (k >> (64 - bits)) as usize;
            while keys[slot] != 0 {
                slot = (slot + 1) & mask;
            }
            keys[slot] = k;
            values[slot] = v;
        }
        FlatTable {
            shift: 64 - bits,
            keys,
            values,
            zero,
            len: map.len(),
        }
    }

    /// The value of `key`, if the table holds it.
    #[inline]
    pub fn get(&self, key: u64) -> Option<V> {
        if key == 0 {
            return self.zero;
        }
        let mask = self.keys.len() - 1;
        let mut slot = (key >> self.shift) as usize;
        loop {
            match *self.keys.get(slot)? {
                k if k == key => return self.values.get(slot).copied(),
                0 => return None,
                _ => slot = (slot + 1) & mask,
            }
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Every key and value, in no particular order.
    pub fn entries(&self) -> impl Iterator<Item = (u64, V)> + '_ {
        let slots = self
            .keys
            .iter()
            .zip(&self.values)
            .filter(|(&k, _)| k != 0)
            .map(|(&k, &v)| (k, v));
        self.zero.map(|v| (0, v)).into_iter().chain(slots)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flat_table_answers_as_the_map() {
        for n in [0usize, 1, 7, 1000, 40_000] {
            let mut map: PrehashedMap<u8> = PrehashedMap::default();
            for i in 0..n as u64 {
                map.insert(hash_bytes(&i.to_le_bytes()), (i % 251) as u8);
            }
            // Keys sharing their top bits probe past each other.
            for i in 0..n.min(50) as u64 {
                map.insert((0xabcd_u64 << 48) | i, 7);
            }
            if n == 7 {
                map.insert(0, 3);
            }
            let table = FlatTable::new(&map);
            let mut entries: Vec<(u64, u8)> = table.entries().collect();
            entries.sort_unstable();
            let mut want: Vec<(u64, u8)> = map.iter().map(|(&k, &v)| (k, v)).collect();
            want.sort_unstable();
            assert_eq!(entries, want, "n = {n}");
            assert_eq!(table.is_empty(), map.is_empty(), "n = {n}");
            for (&k, &v) in &map {
                assert_eq!(table.get(k), Some(v), "n = {n}, key {k:x}");
            }
            for i in 0..2000u64 {
                let k = hash_bytes(&(i + 1_000_000).to_le_bytes());
                assert_eq!(table.get(k), map.get(&k).copied(), "n = {n}, absent {k:x}");
                let k = (0xabcd_u64 << 48) | (i + 60);
                assert_eq!(table.get(k), map.get(&k).copied());
            }
            assert_eq!(table.get(0), map.get(&0).copied());
        }
    }
}
