//! The tagger's weight rows, stored sparsely.
//!
//! A model's hashed weight table has `1 << bits` rows of [`NUM_LABELS`]
//! quantised weights, and only a few percent of the rows are not zero (a
//! feature hash that no training token produced keeps a zero row). The
//! non-zero rows are kept in row order after one zero row, and a `u32` per
//! row gives its place (0, the zero row, for the rows that are all zero):
//! a lookup is one load of the index and one of the row, with no branch on
//! whether the row is zero. About 4 bytes per row plus the non-zero rows,
//! against 18 bytes per row for the dense table.

use super::tagger::NUM_LABELS;

/// Non-zero rows of a `(1 << bits) × NUM_LABELS` weight table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SparseRows {
    bits: u32,
    /// Per row: its place in `rows`, 0 for a zero row.
    index: Vec<u32>,
    /// The zero row, then the non-zero rows in row order.
    rows: Vec<[i16; NUM_LABELS]>,
}

const ZERO: [i16; NUM_LABELS] = [0; NUM_LABELS];

/// Largest table size (in bits of row number) a table is built with.
const MAX_BITS: u32 = 31;

impl SparseRows {
    /// Builds the table from the non-zero rows, given in increasing row
    /// order (rows out of order, repeated, beyond the table or all zero
    /// are skipped).
    ///
    /// # Panics
    /// When `bits` is not in `1..=MAX_BITS` (models use 8 to 26, checked
    /// when a model is read); the bound keeps the shift of `of_feature` in
    /// range and its index read sound.
    pub fn from_rows(bits: u32, rows: &[(u32, [i16; NUM_LABELS])]) -> SparseRows {
        assert!((1..=MAX_BITS).contains(&bits), "{bits} row bits");
        let total = 1usize << bits;
        let mut index = vec![0u32; total];
        let mut kept: Vec<[i16; NUM_LABELS]> = Vec::with_capacity(rows.len() + 1);
        kept.push(ZERO);
        let mut last: Option<u32> = None;
        for &(row, weights) in rows {
            let r = row as usize;
            if r >= total || last.is_some_and(|l| row <= l) || weights == ZERO {
                continue;
            }
            last = Some(row);
            // At most 2^31 rows: the place fits a u32.
            index[r] = kept.len() as u32;
            kept.push(weights);
        }
        SparseRows {
            bits,
            index,
            rows: kept,
        }
    }

    /// Keeps the non-zero rows of a dense table (`(1 << bits) × NUM_LABELS`).
    pub fn from_dense(bits: u32, dense: &[i16]) -> SparseRows {
        let rows: Vec<(u32, [i16; NUM_LABELS])> = dense
            .chunks_exact(NUM_LABELS)
            .enumerate()
            .filter(|(_, w)| w.iter().any(|&x| x != 0))
            .filter_map(|(i, w)| {
                let mut row = [0i16; NUM_LABELS];
                row.copy_from_slice(w);
                Some((u32::try_from(i).ok()?, row))
            })
            .collect();
        SparseRows::from_rows(bits, &rows)
    }

    /// The weights of `row`, `None` when they are all zero.
    #[inline]
    pub fn get(&self, row: u32) -> Option<&[i16; NUM_LABELS]> {
        match *self.index.get(row as usize)? {
            0 => None,
            k => self.rows.get(k as usize),
        }
    }

    /// The weights of the row picked by the top `bits` of a feature hash
    /// (all zero for a zero row).
    #[inline(always)]
    pub fn of_feature(&self, feature: u64) -> &[i16; NUM_LABELS] {
        let row = (feature >> (64 - self.bits)) as usize;
        // SAFETY: `from_rows`, the only constructor, makes `index` hold
        // `1 << bits` places with `1 <= bits <= MAX_BITS`, so the top
        // `bits` bits of a u64 are a place of `index`; and it sets every
        // place to 0 or to the position a kept row is pushed at, so each
        // is a position of `rows`. Neither vector changes afterwards.
        unsafe {
            let k = *self.index.get_unchecked(row);
            self.rows.get_unchecked(k as usize)
        }
    }

    /// Number of non-zero rows.
    pub fn len(&self) -> usize {
        self.rows.len() - 1
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The non-zero rows in increasing order.
    pub fn rows(&self) -> impl Iterator<Item = (u32, &[i16; NUM_LABELS])> + '_ {
        (0..self.index.len() as u32).filter_map(|r| Some((r, self.get(r)?)))
    }

    /// Writes the whole table, zero rows included, as little-endian `i16`s.
    pub fn write_dense(&self, out: &mut Vec<u8>) {
        for r in 0..self.index.len() as u32 {
            match self.get(r) {
                Some(weights) => {
                    for w in weights {
                        out.extend_from_slice(&w.to_le_bytes());
                    }
                }
                None => out.extend_from_slice(&[0u8; NUM_LABELS * 2]),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dense_of(bits: u32, seed: u64, density: u64) -> Vec<i16> {
        let mut x = seed;
        let mut dense = vec![0i16; (1usize << bits) * NUM_LABELS];
        for row in dense.chunks_exact_mut(NUM_LABELS) {
            x = x
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            if (x >> 33) % 100 < density {
                for (k, w) in row.iter_mut().enumerate() {
                    *w = ((x >> (k * 5)) % 21) as i16 - 10;
                }
            }
        }
        dense
    }

    #[test]
    fn every_row_reads_as_in_the_dense_table() {
        for (bits, seed, density) in [(8, 1, 0), (8, 2, 100), (10, 3, 7), (12, 4, 40), (17, 5, 8)] {
            let dense = dense_of(bits, seed, density);
            let sparse = SparseRows::from_dense(bits, &dense);
            for (row, want) in dense.chunks_exact(NUM_LABELS).enumerate() {
                let got = sparse.get(row as u32).copied().unwrap_or([0; NUM_LABELS]);
                assert_eq!(&got[..], want, "bits {bits} row {row}");
            }
            let nonzero = dense
                .chunks_exact(NUM_LABELS)
                .filter(|w| w.iter().any(|&x| x != 0))
                .count();
            assert_eq!(sparse.len(), nonzero);
            assert!(sparse.get(1 << bits).is_none());
            assert!(sparse.get(u32::MAX).is_none());
            let mut bytes = Vec::new();
            sparse.write_dense(&mut bytes);
            let back: Vec<i16> = bytes
                .chunks_exact(2)
                .map(|c| i16::from_le_bytes([c[0], c[1]]))
                .collect();
            assert_eq!(back, dense, "bits {bits}: dense round trip");
        }
    }

    #[test]
    fn rows_out_of_order_are_skipped() {
        let rows = [
            (5, [1; NUM_LABELS]),
            (3, [2; NUM_LABELS]),
            (300, [3; NUM_LABELS]),
        ];
        let sparse = SparseRows::from_rows(8, &rows);
        assert_eq!(sparse.get(5), Some(&[1; NUM_LABELS]));
        assert_eq!(sparse.get(3), None);
        assert_eq!(sparse.len(), 1);
        assert_eq!(sparse.of_feature(5u64 << 56), &[1; NUM_LABELS]);
        assert_eq!(sparse.of_feature(3u64 << 56), &[0; NUM_LABELS]);
    }
}
