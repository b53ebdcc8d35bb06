//! The feature templates: which hashes make up a token's features (its own
//! forms, its neighbours' words and stems, word pairs, flags, gazetteer
//! matches and clusters), each combined with its template number, and the
//! parts the tagger adds up separately (a token's own text, each neighbour's
//! text, the joint rest).

use super::forms::Forms;
use super::hash::{feat, finish, pair, FNV_OFFSET, FNV_PRIME};
use super::{flag, Atoms, FeatureBuf, Featurizer, Script};

// Template numbers.
pub(super) const T_BIAS: u64 = 1;
pub(super) const T_WORD: u64 = 2;
pub(super) const T_RAW: u64 = 3;
pub(super) const T_STEM: u64 = 4;
pub(super) const T_CLITIC: u64 = 5;
pub(super) const T_SHAPE: u64 = 6;
pub(super) const T_SHORT: u64 = 7;
pub(super) const T_PREFIX: u64 = 8;
pub(super) const T_SUFFIX: u64 = 12;
pub(super) const T_WORD_AT: u64 = 20; // + offset 0..=4 for -2..+2
pub(super) const T_STEM_AT: u64 = 26;
pub(super) const T_BIGRAM_L: u64 = 32;
pub(super) const T_BIGRAM_R: u64 = 33;
pub(super) const T_SHORT_TRI: u64 = 34;
pub(super) const T_FLAG: u64 = 40; // + flag index
pub(super) const T_FLAG_PREV: u64 = 60;
pub(super) const T_FLAG_NEXT: u64 = 80;
pub(super) const T_GAZ_B: u64 = 100;
pub(super) const T_GAZ_I: u64 = 101;
pub(super) const T_GAZ_PREV: u64 = 102;
pub(super) const T_GAZ_NEXT: u64 = 103;
pub(super) const T_CLUSTER: u64 = 110;
pub(super) const T_CLUSTER_COARSE: u64 = 111;
pub(super) const T_CLUSTER_PREV: u64 = 112;
pub(super) const T_CLUSTER_NEXT: u64 = 113;
pub(super) const T_SHORT_WORD_PREV: u64 = 114;
pub(super) const T_SENT_START_SHAPE: u64 = 115;

impl Featurizer {
    /// Calls `emit` with every feature hash of prepared token `i`.
    #[inline(always)]
    pub fn token_features(&self, buf: &FeatureBuf, i: usize, emit: impl FnMut(u64)) {
        self.features_of::<{ part::ALL }>(&buf.atoms, i, emit);
    }

    /// The features of prepared token `i` that depend on its text alone
    /// (the same for every occurrence of the text in a call).
    #[inline(always)]
    pub fn own_features(&self, buf: &FeatureBuf, i: usize, emit: impl FnMut(u64)) {
        self.features_of::<{ part::OWN }>(&buf.atoms, i, emit);
    }

    /// The features that prepared token `j` (`None`: the sentence boundary
    /// before the first or after the last token) gives the token at
    /// `role` from it; they depend on the text of `j` alone.
    #[inline(always)]
    pub fn neighbour_features(
        &self,
        buf: &FeatureBuf,
        j: Option<usize>,
        role: Role,
        emit: impl FnMut(u64),
    ) {
        // The token `i` that has `j` at the role's offset; an index out
        // of range reads as the boundary.
        let j = j.unwrap_or(usize::MAX);
        let atoms = &buf.atoms;
        match role {
            Role::SecondBefore => {
                self.features_of::<{ part::PREV2 }>(atoms, j.wrapping_add(2), emit)
            }
            Role::Before => self.features_of::<{ part::PREV }>(atoms, j.wrapping_add(1), emit),
            Role::After => self.features_of::<{ part::NEXT }>(atoms, j.wrapping_sub(1), emit),
            Role::SecondAfter => {
                self.features_of::<{ part::NEXT2 }>(atoms, j.wrapping_sub(2), emit)
            }
        }
    }

    /// The features of prepared token `i` that depend on more than one
    /// token's text or on its place (sentence start, gazetteer names): with
    /// [`Featurizer::own_features`] and the four [`Featurizer::neighbour_features`]
    /// of its neighbours, every feature of [`Featurizer::token_features`].
    #[inline(always)]
    pub fn joint_features(&self, buf: &FeatureBuf, i: usize, emit: impl FnMut(u64)) {
        self.features_of::<{ part::JOINT }>(&buf.atoms, i, emit);
    }

    /// The index of the first prepared token with the same text as token
    /// `i` (`i` itself for a first occurrence).
    #[inline]
    pub fn first_occurrence(buf: &FeatureBuf, i: usize) -> usize {
        buf.first.get(i).map_or(i, |&f| f as usize)
    }

    /// Emits the features of token `i` in the `PARTS` ([`part`]), always in
    /// the same order. Indices out of range (also `i` itself) read as the
    /// sentence boundary.
    #[inline(always)]
    pub(super) fn features_of<const PARTS: u8>(
        &self,
        atoms: &[Atoms],
        i: usize,
        mut emit: impl FnMut(u64),
    ) {
        let at = |j: usize| -> &Atoms { atoms.get(j).unwrap_or(&BOUNDARY) };
        let has = |p: u8| PARTS & p != 0;
        let (a, p1, p2, n1, n2) = (
            at(i),
            at(i.wrapping_sub(1)),
            at(i.wrapping_sub(2)),
            at(i.wrapping_add(1)),
            at(i.wrapping_add(2)),
        );
        if has(part::OWN) {
            emit(feat(T_BIAS, 0));
            emit(feat(T_WORD, a.forms.word));
            if self.script == Script::Latin {
                emit(feat(T_RAW, a.forms.raw));
            } else if a.forms.flags & flag::HAS_CLITIC != 0 {
                emit(feat(T_STEM, a.forms.stem));
                emit(feat(T_CLITIC, a.forms.clitic));
            }
            emit(feat(T_SHAPE, a.forms.shape));
            emit(feat(T_SHORT, a.forms.short));
            for k in 0..4 {
                if a.forms.prefix[k] != 0 {
                    emit(feat(T_PREFIX + k as u64, a.forms.prefix[k]));
                }
                if a.forms.suffix[k] != 0 {
                    emit(feat(T_SUFFIX + k as u64, a.forms.suffix[k]));
                }
            }
        }
        for (p, off, b) in [
            (part::PREV2, 0u64, p2),
            (part::PREV, 1, p1),
            (part::NEXT, 3, n1),
            (part::NEXT2, 4, n2),
        ] {
            if has(p) {
                emit(feat(T_WORD_AT + off, b.forms.word));
            }
        }
        if self.script == Script::Arabic {
            if has(part::PREV) {
                emit(feat(T_STEM_AT + 1, p1.forms.stem));
            }
            if has(part::NEXT) {
                emit(feat(T_STEM_AT + 3, n1.forms.stem));
            }
        }
        if has(part::JOINT) {
            emit(feat(T_BIGRAM_L, pair(p1.forms.word, a.forms.word)));
            emit(feat(T_BIGRAM_R, pair(a.forms.word, n1.forms.word)));
            emit(feat(
                T_SHORT_TRI,
                pair(pair(p1.forms.short, a.forms.short), n1.forms.short),
            ));
            emit(feat(T_SHORT_WORD_PREV, pair(p1.forms.word, a.forms.short)));
        }
        // The sentence-start flag depends on the place of the token.
        let mut own_flags = 0;
        if has(part::OWN) {
            own_flags |= a.forms.flags & !flag::SENT_START;
        }
        if has(part::JOINT) {
            own_flags |= a.forms.flags & flag::SENT_START;
        }
        const CONTEXT_FLAGS: u32 = flag::TITLE | flag::INIT_CAP | flag::ALL_CAPS | flag::PUNCT;
        let prev_flags = if has(part::PREV) {
            p1.forms.flags & CONTEXT_FLAGS
        } else {
            0
        };
        let next_flags = if has(part::NEXT) {
            n1.forms.flags & CONTEXT_FLAGS
        } else {
            0
        };
        for (template, mut set) in [
            (T_FLAG, own_flags),
            (T_FLAG_PREV, prev_flags),
            (T_FLAG_NEXT, next_flags),
        ] {
            while set != 0 {
                let bit = set.trailing_zeros();
                set &= set - 1;
                emit(feat(template + u64::from(bit), 0));
            }
        }
        if has(part::JOINT) {
            if a.forms.flags & flag::SENT_START != 0 {
                emit(feat(T_SENT_START_SHAPE, pair(a.forms.short, a.forms.word)));
            }
            if a.gaz_begin != 0 {
                emit(feat(T_GAZ_B, u64::from(a.gaz_begin)));
            }
            if a.gaz_inside != 0 {
                emit(feat(T_GAZ_I, u64::from(a.gaz_inside)));
            }
            let gp = p1.gaz_begin | p1.gaz_inside;
            if gp != 0 {
                emit(feat(T_GAZ_PREV, u64::from(gp)));
            }
            let gn = n1.gaz_begin | n1.gaz_inside;
            if gn != 0 {
                emit(feat(T_GAZ_NEXT, u64::from(gn)));
            }
        }
        if has(part::OWN) && a.cluster.0 != u16::MAX {
            emit(feat(T_CLUSTER, u64::from(a.cluster.0)));
            emit(feat(T_CLUSTER_COARSE, u64::from(a.cluster.1)));
        }
        if has(part::PREV) {
            emit(feat(T_CLUSTER_PREV, u64::from(p1.cluster.1)));
        }
        if has(part::NEXT) {
            emit(feat(T_CLUSTER_NEXT, u64::from(n1.cluster.1)));
        }
    }
}

/// Where a neighbour stands from the token whose features it gives.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    SecondBefore,
    Before,
    After,
    SecondAfter,
}

impl Role {
    pub const ALL: [Role; 4] = [
        Role::SecondBefore,
        Role::Before,
        Role::After,
        Role::SecondAfter,
    ];

    /// The token at this role from token `i` (`None` outside `0..n`).
    pub fn of(self, i: usize, n: usize) -> Option<usize> {
        let j = match self {
            Role::SecondBefore => i.checked_sub(2),
            Role::Before => i.checked_sub(1),
            Role::After => i.checked_add(1),
            Role::SecondAfter => i.checked_add(2),
        }?;
        (j < n).then_some(j)
    }
}

/// Parts of a token's features ([`Featurizer::features_of`]).
pub(super) mod part {
    /// Depends on the token's text.
    pub const OWN: u8 = 1;
    /// Depend on the text of the token two before, one before, one after,
    /// two after.
    pub const PREV2: u8 = 1 << 1;
    pub const PREV: u8 = 1 << 2;
    pub const NEXT: u8 = 1 << 3;
    pub const NEXT2: u8 = 1 << 4;
    /// Depends on several tokens or on the token's place.
    pub const JOINT: u8 = 1 << 5;
    pub const ALL: u8 = OWN | PREV2 | PREV | NEXT | NEXT2 | JOINT;
}

/// Hash of the sentence-boundary pseudo-token `<S>` (FNV-1a, [`hash_bytes`]).
const BOUNDARY_HASH: u64 = {
    let bytes = b"<S>";
    let mut h = FNV_OFFSET;
    let mut i = 0;
    while i < bytes.len() {
        h ^= bytes[i] as u64;
        h = h.wrapping_mul(FNV_PRIME);
        i += 1;
    }
    finish(h)
};

/// What the features see before the first and after the last token.
const BOUNDARY: Atoms = Atoms {
    forms: Forms {
        word: BOUNDARY_HASH,
        raw: BOUNDARY_HASH,
        stem: BOUNDARY_HASH,
        clitic: 0,
        shape: 0,
        short: BOUNDARY_HASH,
        prefix: [0; 4],
        suffix: [0; 4],
        flags: 0,
        ends_sentence: false,
        empty: false,
    },
    cluster: (u16::MAX - 1, u16::MAX - 1),
    gaz_begin: 0,
    gaz_inside: 0,
    gaz_word: 0,
    gaz_stem: 0,
};
