//! Stable sorting through one non-generic sort of indices.
//!
//! `slice::sort_by` is monomorphised for every element type and every comparator: the
//! playground's wasm carried 22 copies of the standard stable sort (about 100 KB before
//! wasm-opt). Every sort in the model, CEL, engine and web crates goes through [`sort_by`]
//! instead: the standard sort runs once, in [`sorted_order`], on a `Vec<usize>` with a `dyn`
//! comparator, and only the small in-place permutation is generic. The order is the standard
//! stable sort's: equal elements keep their order.

use std::cmp::Ordering;
use std::collections::BTreeMap;

/// Sorts `items` stably by `compare` (what `slice::sort_by` does).
pub fn sort_by<T>(items: &mut [T], mut compare: impl FnMut(&T, &T) -> Ordering) {
    let order = {
        let shared: &[T] = items;
        sorted_order(shared.len(), &mut |left, right| match (shared.get(left), shared.get(right)) {
            (Some(left), Some(right)) => compare(left, right),
            _ => Ordering::Equal,
        })
    };
    apply_order(items, order);
}

/// Sorts `items` stably by the key `key` gives (what `slice::sort_by_key` does: the key is
/// computed for each comparison).
pub fn sort_by_key<T, K: Ord>(items: &mut [T], mut key: impl FnMut(&T) -> K) {
    sort_by(items, |left, right| key(left).cmp(&key(right)));
}

/// Sorts `items` stably in their natural order (what `slice::sort` does).
pub fn sort<T: Ord>(items: &mut [T]) {
    sort_by(items, T::cmp);
}

/// A map of `pairs`, inserted one by one (the last of equal keys wins, as with `collect`).
/// `BTreeMap`'s `FromIterator` and `From<[_; N]>` sort their input with the standard stable
/// sort, one more copy of it per key and value type; `insert` is compiled once per map type.
pub fn map_from_pairs<K: Ord, V>(pairs: impl IntoIterator<Item = (K, V)>) -> BTreeMap<K, V> {
    let mut map = BTreeMap::new();
    for (key, value) in pairs {
        map.insert(key, value);
    }
    map
}

/// The indices `0..len` in the stable order `compare` gives them: the one place that
/// instantiates the standard sort.
#[inline(never)]
fn sorted_order(len: usize, compare: &mut dyn FnMut(usize, usize) -> Ordering) -> Vec<usize> {
    let mut order: Vec<usize> = (0..len).collect();
    order.sort_by(|left, right| compare(*left, *right));
    order
}

/// Rearranges `items` so that position `k` holds what was at `order[k]`, following each cycle
/// of the permutation with swaps (no copy of the elements, no `Clone` bound). Each index is
/// marked done by pointing it at itself.
fn apply_order<T>(items: &mut [T], mut order: Vec<usize>) {
    for start in 0..order.len() {
        let mut current = start;
        while let Some(slot) = order.get_mut(current) {
            let next = std::mem::replace(slot, current);
            if next == current || next == start || next >= items.len() {
                break;
            }
            items.swap(current, next);
            current = next;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Sorts `input` by its first field and compares with the standard stable sort, which
    /// keeps equal keys in their order (the second field says which was first).
    fn check(input: &[(u8, usize)]) {
        let mut expected = input.to_vec();
        expected.sort_by_key(|item| item.0);
        let mut actual = input.to_vec();
        sort_by_key(&mut actual, |item| item.0);
        assert_eq!(actual, expected, "{input:?}");
    }

    #[test]
    fn matches_the_standard_stable_sort() {
        check(&[]);
        check(&[(1, 0)]);
        check(&[(2, 0), (1, 1)]);
        check(&[(1, 0), (1, 1), (1, 2)]);
        check(&[(3, 0), (1, 1), (2, 2), (1, 3), (3, 4), (0, 5)]);
        // Every arrangement of a few keys with repeats, through a small linear generator.
        let mut state = 7usize;
        for length in 0..40 {
            let input: Vec<(u8, usize)> = (0..length)
                .map(|index| {
                    state = state.wrapping_mul(1_103_515_245).wrapping_add(12_345) % 2_147_483_648;
                    (u8::try_from(state % 5).unwrap_or(0), index)
                })
                .collect();
            check(&input);
        }
    }

    #[test]
    fn sorts_owned_values_in_natural_order() {
        let mut names = vec!["b".to_owned(), "a".to_owned(), "c".to_owned(), "a".to_owned()];
        sort(&mut names);
        assert_eq!(names, ["a", "a", "b", "c"]);
        let mut reversed = vec![1, 2, 3];
        sort_by(&mut reversed, |left, right| right.cmp(left));
        assert_eq!(reversed, [3, 2, 1]);
    }
}
