//! Document counts and inverse document frequencies by stem hash, laid out
//! so that a lookup usually reads one cache line: buckets of four slots (the full
//! 64-bit hash and its two values), one aligned line each, chosen by the
//! top bits of the hash. A hash whose bucket is full goes to the next
//! bucket with room, so a lookup goes on to the next bucket only while the
//! one it read is full and does not hold the hash.

/// Slots per bucket (4 × 16 bytes: one cache line).
const SLOTS: usize = 4;

/// One slot: a hash and its document count and inverse document
/// frequency. An empty slot has a count of 0 and the values of a hash not
/// in the table (so that one with hash 0 answers as an absent hash does).
#[derive(Debug, Clone, Copy, Default)]
struct Slot {
    hash: u64,
    df: u32,
    idf: f32,
}

/// One bucket, aligned on a cache line.
#[derive(Debug, Clone, Copy, Default)]
#[repr(align(64))]
struct Bucket([Slot; SLOTS]);

/// `(df, idf)` by stem hash.
#[derive(Debug, Clone, Default)]
pub(super) struct HashTable {
    buckets: Vec<Bucket>,
    /// 64 − log2 of the bucket count: the hash shifted right by it is its
    /// first bucket.
    shift: u32,
}

impl HashTable {
    /// A table of `entries` (hash, df, idf), with the hashes distinct; a
    /// hash not in it has a count of 0 and `absent_idf`. An entry with a
    /// count of 0 answers as a hash not in the table would, and is left out.
    pub(super) fn new(entries: &[(u64, u32, f32)], absent_idf: f32) -> Self {
        let kept: Vec<&(u64, u32, f32)> = entries.iter().filter(|e| e.1 != 0).collect();
        // Two and a half hashes per bucket of four or fewer (with the
        // bundled tables, 23% of the Arabic buckets fill up, 10% of the
        // English and 4% of the French).
        let mut bits = 1;
        while bits < 40 && (1usize << bits) * 5 < kept.len() * 2 {
            bits += 1;
        }
        let absent = Slot {
            hash: 0,
            df: 0,
            idf: absent_idf,
        };
        let mut buckets = vec![Bucket([absent; SLOTS]); 1usize << bits];
        for &&(hash, df, idf) in &kept {
            let first = (hash >> (64 - bits)) as usize;
            // Past the end, the last bucket always has room.
            if buckets.last().is_some_and(|b| b.0[SLOTS - 1].df != 0) {
                buckets.push(Bucket([absent; SLOTS]));
            }
            let slot = buckets.get_mut(first..).and_then(|rest| {
                rest.iter_mut()
                    .flat_map(|b| b.0.iter_mut())
                    .find(|s| s.df == 0)
            });
            if let Some(s) = slot {
                *s = Slot { hash, df, idf };
            }
        }
        if buckets.last().is_some_and(|b| b.0[SLOTS - 1].df != 0) {
            buckets.push(Bucket([absent; SLOTS]));
        }
        HashTable {
            buckets,
            shift: 64 - bits,
        }
    }

    /// `(df, idf)` of `hash`, or `None` when the table is empty (made by
    /// `Default`).
    #[inline]
    pub(super) fn get(&self, hash: u64) -> Option<(u32, f32)> {
        let mut at = (hash >> self.shift) as usize;
        while let Some(b) = self.buckets.get(at) {
            // The first slot holding the hash (an empty one holds 0 and the
            // absent values), else the last, chosen without a branch per
            // slot.
            let mut pick = SLOTS - 1;
            for (k, s) in b.0.iter().enumerate().rev() {
                pick = if s.hash == hash { k } else { pick };
            }
            let s = b.0[pick.min(SLOTS - 1)];
            // Found, or not in a bucket with room (its last slot is empty:
            // the absent values).
            if (s.hash ^ hash).min(u64::from(s.df)) == 0 {
                return Some((s.df, s.idf));
            }
            at += 1;
        }
        None
    }
}
