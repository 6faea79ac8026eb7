//! A table keyed by strings, for the two lookups every evaluation makes: variables by name
//! ([`crate::Activation`]) and fields of maps ([`crate::Map`]), which policies read as
//! `resource.name`.
//!
//! Keys stay in string order (the canonical order of map iteration). A small table, which is
//! what a request's variables and a JSON object of a request are, is a vector scanned by a
//! fingerprint of each key ([`KeyPrint`]), which for keys of up to 16 bytes is exact, so that
//! a lookup compares a few words and no strings; a compiled program ([`crate::Program`])
//! computes the fingerprints of its names once, at compile time. A table
//! that grows beyond [`SMALL`] keys becomes a B-tree, so that building a large map stays
//! O(n log n) whatever the insertion order.

use std::collections::BTreeMap;
use std::rc::Rc;
use std::sync::atomic::{AtomicUsize, Ordering};

/// The size up to which a table is a scanned vector.
const SMALL: usize = 16;

#[derive(Debug, Clone)]
pub(crate) enum Table<V> {
    Small(Vec<Entry<V>>),
    Large(BTreeMap<Rc<str>, V>),
}

#[derive(Debug, Clone)]
pub(crate) struct Entry<V> {
    print: KeyPrint,
    key: Rc<str>,
    value: V,
}

impl<V> Default for Table<V> {
    fn default() -> Table<V> {
        Table::Small(Vec::new())
    }
}

/// A key's fingerprint: its length and its first and last 8 bytes (overlapping, zero-padded
/// when shorter). Two keys of at most 16 bytes are equal exactly when their fingerprints are, so
/// that the common lookup compares three words and no string; longer keys compare their text
/// once the fingerprints agree.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct KeyPrint {
    head: u64,
    tail: u64,
    len: usize,
}

/// The longest key whose fingerprint is the key itself.
const EXACT: usize = 16;

impl KeyPrint {
    pub(crate) fn of(key: &str) -> KeyPrint {
        let bytes = key.as_bytes();
        let word = |part: &[u8]| {
            let mut word = [0u8; 8];
            for (slot, byte) in word.iter_mut().zip(part) {
                *slot = *byte;
            }
            u64::from_le_bytes(word)
        };
        let tail_start = bytes.len().saturating_sub(8);
        KeyPrint { head: word(bytes), tail: word(bytes.get(tail_start..).unwrap_or(&[])), len: bytes.len() }
    }
}

impl KeyPrint {
    /// Whether two fingerprints are equal, written with `^` and `|` rather than `==` on each
    /// field: at opt-level `z` (the playground's wasm) LLVM merges a chain of field comparisons
    /// into a call to `memcmp`, which in wasm is a loop over bytes, three times slower than
    /// the rest of a variable lookup.
    #[inline(always)]
    fn same(&self, other: &KeyPrint) -> bool {
        ((self.head ^ other.head) | (self.tail ^ other.tail) | (self.len ^ other.len) as u64) == 0
    }
}

/// Where a key was found the last time in a small table, for [`Table::get_hinted`]. An atomic
/// so that a program stays `Sync`; relaxed loads and stores are plain ones in wasm.
#[derive(Debug, Default)]
pub(crate) struct Hint(AtomicUsize);

impl Hint {
    #[inline(always)]
    fn get(&self) -> usize {
        self.0.load(Ordering::Relaxed)
    }

    #[inline(always)]
    fn set(&self, index: usize) {
        self.0.store(index, Ordering::Relaxed);
    }
}

impl Clone for Hint {
    fn clone(&self) -> Hint {
        Hint(AtomicUsize::new(self.get()))
    }
}

#[inline(always)]
fn matches<V>(entry: &Entry<V>, key: &str, print: &KeyPrint) -> bool {
    entry.print.same(print) && (print.len <= EXACT || *entry.key == *key)
}

impl<V> Table<V> {
    pub(crate) fn len(&self) -> usize {
        match self {
            Table::Small(entries) => entries.len(),
            Table::Large(tree) => tree.len(),
        }
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.len() == 0
    }

    pub(crate) fn get(&self, key: &str) -> Option<&V> {
        match self {
            Table::Small(entries) => {
                let print = KeyPrint::of(key);
                entries.iter().find(|entry| matches(entry, key, &print)).map(|entry| &entry.value)
            }
            Table::Large(tree) => tree.get(key),
        }
    }

    /// [`Table::get`] with the key's fingerprint computed beforehand.
    #[inline]
    pub(crate) fn get_printed(&self, key: &str, print: &KeyPrint) -> Option<&V> {
        match self {
            Table::Small(entries) => entries.iter().find(|entry| matches(entry, key, print)).map(|entry| &entry.value),
            Table::Large(tree) => tree.get(key),
        }
    }

    /// [`Table::get_printed`] that first tries the entry where `hint` says the key was found
    /// the last time, and remembers where it finds it. A compiled program reads the same
    /// fields of activations built alike, so that a lookup mostly compares one fingerprint
    /// instead of scanning (a JavaScript engine's inline cache, in small); the fingerprint is
    /// always compared, so that a stale hint costs one comparison, never a wrong answer.
    #[inline(always)]
    pub(crate) fn get_hinted(&self, key: &str, print: &KeyPrint, hint: &Hint) -> Option<&V> {
        match self {
            Table::Small(entries) => {
                if let Some(entry) = entries.get(hint.get()) {
                    if matches(entry, key, print) {
                        return Some(&entry.value);
                    }
                }
                let (found, entry) = entries.iter().enumerate().find(|(_, entry)| matches(entry, key, print))?;
                hint.set(found);
                Some(&entry.value)
            }
            Table::Large(tree) => tree.get(key),
        }
    }

    pub(crate) fn contains_key(&self, key: &str) -> bool {
        self.get(key).is_some()
    }

    /// Inserts `value` under `key`, replacing any previous value.
    pub(crate) fn insert(&mut self, key: Rc<str>, value: V) {
        match self {
            Table::Small(entries) => {
                // Keys mostly arrive in order (JSON objects are sorted): check the end first.
                let position = match entries.last() {
                    Some(last) if *last.key < *key => Err(entries.len()),
                    None => Err(0),
                    _ => entries.binary_search_by(|entry| (*entry.key).cmp(&*key)),
                };
                match position {
                    Ok(found) => {
                        if let Some(entry) = entries.get_mut(found) {
                            entry.value = value;
                        }
                    }
                    Err(at) if entries.len() < SMALL => {
                        entries.insert(at, Entry { print: KeyPrint::of(&key), key, value });
                    }
                    Err(_) => {
                        // Built by insert: `collect` into a map adds a copy of the standard sort
                        // to the wasm for each value type.
                        let mut tree: BTreeMap<Rc<str>, V> = BTreeMap::new();
                        for entry in std::mem::take(entries) {
                            tree.insert(entry.key, entry.value);
                        }
                        tree.insert(key, value);
                        *self = Table::Large(tree);
                    }
                }
            }
            Table::Large(tree) => {
                tree.insert(key, value);
            }
        }
    }

    /// Entries in key order.
    pub(crate) fn iter(&self) -> Iter<'_, V> {
        match self {
            Table::Small(entries) => Iter::Small(entries.iter()),
            Table::Large(tree) => Iter::Large(tree.iter()),
        }
    }

    /// Values in key order.
    pub(crate) fn values(&self) -> impl Iterator<Item = &V> {
        self.iter().map(|(_, value)| value)
    }
}

/// The entries of a [`Table`] in key order.
pub(crate) enum Iter<'t, V> {
    Small(std::slice::Iter<'t, Entry<V>>),
    Large(std::collections::btree_map::Iter<'t, Rc<str>, V>),
}

impl<'t, V> Iterator for Iter<'t, V> {
    type Item = (&'t str, &'t V);

    fn next(&mut self) -> Option<(&'t str, &'t V)> {
        match self {
            Iter::Small(entries) => entries.next().map(|entry| (&*entry.key, &entry.value)),
            Iter::Large(tree) => tree.next().map(|(key, value)| (&**key, value)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Lookups and order against a B-tree, across the switch from vector to tree, with keys
    /// inserted out of order, replaced, and of lengths around the 8-byte words of the hash.
    #[test]
    fn table_agrees_with_a_btree() {
        let mut table = Table::default();
        let mut reference = BTreeMap::new();
        for round in 0..3u32 {
            for index in (0..40u32).rev().chain(0..40) {
                let key: String = format!("k{}", "x".repeat((index % 11) as usize)) + &(index * 7 % 40).to_string();
                table.insert(Rc::from(key.as_str()), index + round);
                reference.insert(key, index + round);
                let keys: Vec<&str> = table.iter().map(|(key, _)| key).collect();
                let expected: Vec<&str> = reference.keys().map(String::as_str).collect();
                assert_eq!(keys, expected);
            }
        }
        for (key, value) in &reference {
            assert_eq!(table.get(key), Some(value));
            assert_eq!(table.get_printed(key, &KeyPrint::of(key)), Some(value));
        }
        // One hint shared by every key: each lookup starts from the previous key's entry.
        let hint = Hint::default();
        for (key, value) in reference.iter().chain(reference.iter().rev()) {
            assert_eq!(table.get_hinted(key, &KeyPrint::of(key), &hint), Some(value));
            assert_eq!(table.get_hinted("absent", &KeyPrint::of("absent"), &hint), None);
        }
        assert_eq!(table.get("absent"), None);
        assert_eq!(table.len(), reference.len());
        let mut small = Table::default();
        small.insert(Rc::from("b"), 1);
        small.insert(Rc::from("a"), 2);
        small.insert(Rc::from("b"), 3);
        assert_eq!(small.iter().collect::<Vec<_>>(), vec![("a", &2), ("b", &3)]);
        assert!(small.contains_key("a") && !small.contains_key("c") && !small.is_empty());
        let hint = Hint::default();
        for (key, value) in [("b", 3), ("a", 2), ("a", 2), ("b", 3)] {
            assert_eq!(small.get_hinted(key, &KeyPrint::of(key), &hint), Some(&value));
        }
    }
}
