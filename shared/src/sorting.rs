//! Stable sorting with one copy of the sort algorithm for the whole client.
//!
//! `slice::sort_by` is generic over the element and the comparison, so each
//! call site gets its own copy of the standard library's sort: about 4 KB
//! of wasm each, on a phone that downloads every byte. These helpers sort a
//! list of positions through one non-generic function and then move the
//! elements into that order, so only the small moving code is per type.
//! They sort exactly like `sort_by` and `sort_by_key`: stable, ascending.

use std::cmp::Ordering;

/// Sorts `items` by `compare`, keeping equal elements in their order.
pub fn sort_by<T>(items: &mut Vec<T>, compare: impl Fn(&T, &T) -> Ordering) {
    let order = sorted_positions(items.len(), &|a, b| compare(&items[a], &items[b]));
    let mut slots: Vec<Option<T>> = std::mem::take(items).into_iter().map(Some).collect();
    items.extend(order.into_iter().filter_map(|position| slots[position].take()));
}

/// Sorts `items` by the key `key` gives each, keeping equal keys in order.
pub fn sort_by_key<T, K: Ord>(items: &mut Vec<T>, key: impl Fn(&T) -> K) {
    sort_by(items, |a, b| key(a).cmp(&key(b)));
}

/// The positions `0..len` in the order `compare` puts them, stable. Not
/// generic: this is the one place the sort algorithm is compiled for.
fn sorted_positions(len: usize, compare: &dyn Fn(usize, usize) -> Ordering) -> Vec<usize> {
    let mut order: Vec<usize> = (0..len).collect();
    order.sort_by(|&a, &b| compare(a, b));
    order
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sorts_ascending_by_key_and_keeps_equal_keys_in_order() {
        let mut items = vec![(3, 'a'), (1, 'b'), (3, 'c'), (2, 'd'), (1, 'e')];
        sort_by_key(&mut items, |(n, _)| *n);
        assert_eq!(items, vec![(1, 'b'), (1, 'e'), (2, 'd'), (3, 'a'), (3, 'c')]);
    }

    #[test]
    fn sorts_like_the_standard_library() {
        // A fixed pseudo-random list with many equal keys.
        let mut seed = 7u64;
        let items: Vec<(u8, u32)> = (0..500)
            .map(|n| {
                seed = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
                ((seed >> 59) as u8, n)
            })
            .collect();
        let (mut ours, mut std_sorted) = (items.clone(), items);
        sort_by(&mut ours, |a, b| b.0.cmp(&a.0));
        std_sorted.sort_by_key(|item| std::cmp::Reverse(item.0));
        assert_eq!(ours, std_sorted);
    }

    #[test]
    fn empty_and_single_lists_stay_as_they_are() {
        let mut empty: Vec<String> = vec![];
        sort_by_key(&mut empty, |s| s.len());
        assert!(empty.is_empty());
        let mut one = vec!["x".to_owned()];
        sort_by_key(&mut one, |s| s.len());
        assert_eq!(one, vec!["x".to_owned()]);
    }
}
