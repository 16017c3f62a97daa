//! Deterministic randomness: hash mixing (for values derived from a key
//! rather than drawn from a stream) and weighted choices from static tables
//! and from `Pool`s of ids.

use rand::Rng;
use rand::seq::SliceRandom;
use rand_chacha::ChaCha8Rng;

/// SplitMix64's finalizer: a bijection on u64 with good mixing.
pub(super) const fn mix64(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

pub(super) fn hash2(a: u64, b: u64) -> u64 {
    mix64(a ^ mix64(b.wrapping_add(0x9e37_79b9_7f4a_7c15)))
}

pub(super) fn hash3(a: u64, b: u64, c: u64) -> u64 {
    hash2(hash2(a, b), c)
}

/// A uniform number in [0, 1) from a hash.
pub(super) fn unit(h: u64) -> f64 {
    (h >> 11) as f64 / (1u64 << 53) as f64
}

/// A weighted choice from a static table, driven by a hash.
pub(super) fn pick_at<T>(items: &[(T, u16)], h: u64) -> &T {
    let total: u64 = items.iter().map(|(_, w)| u64::from(*w)).sum();
    let mut x = h % total.max(1);
    for (item, w) in items {
        let w = u64::from(*w);
        if x < w {
            return item;
        }
        x -= w;
    }
    &items[items.len() - 1].0
}

pub(super) fn pick<'a, T>(rng: &mut ChaCha8Rng, items: &'a [(T, u16)]) -> &'a T {
    pick_at(items, rng.random())
}

/// A weighted choice among indices (`Cdf`) mapped to ids.
#[derive(Default)]
pub(super) struct Pool {
    pub(super) ids: Vec<u32>,
    pub(super) cum: Vec<f64>,
}

impl Pool {
    pub(super) fn new(items: impl IntoIterator<Item = (usize, f64)>) -> Self {
        let mut pool = Pool::default();
        let mut total = 0.0;
        for (id, w) in items {
            if w > 0.0 {
                total += w;
                pool.ids.push(id as u32);
                pool.cum.push(total);
            }
        }
        pool
    }

    /// Zipf-like weights (1/rank^s) over `n` ids, ranks shuffled.
    pub(super) fn zipf(n: usize, s: f64, rng: &mut ChaCha8Rng) -> Self {
        let mut ranks: Vec<usize> = (0..n).collect();
        ranks.shuffle(rng);
        Pool::new(
            ranks
                .into_iter()
                .enumerate()
                .map(|(id, r)| (id, 1.0 / ((r + 1) as f64).powf(s))),
        )
    }

    pub(super) fn is_empty(&self) -> bool {
        self.ids.is_empty()
    }

    /// The id at quantile `u` in [0, 1).
    pub(super) fn at(&self, u: f64) -> usize {
        let total = self.cum.last().copied().unwrap_or(0.0);
        let i = self.cum.partition_point(|&c| c <= u * total);
        self.ids
            .get(i.min(self.ids.len().saturating_sub(1)))
            .map_or(0, |&id| id as usize)
    }

    pub(super) fn sample(&self, rng: &mut ChaCha8Rng) -> usize {
        self.at(rng.random())
    }
}

/// A weighted choice of an index in a table of specs.
pub(super) fn pick_index<T>(rng: &mut ChaCha8Rng, items: &[T], weight: fn(&T) -> u16) -> usize {
    let total: u32 = items.iter().map(|i| u32::from(weight(i))).sum();
    let mut x = rng.random_range(0..total.max(1));
    for (i, item) in items.iter().enumerate() {
        let w = u32::from(weight(item));
        if x < w {
            return i;
        }
        x -= w;
    }
    items.len().saturating_sub(1)
}
