//! One copy of each text: the strings of procedure files are interned while a site is
//! loaded, so the thousand procedures that name "Ủy ban nhân dân cấp xã" as their agency,
//! or list the same decree as legal basis, share one allocation.
//!
//! Why: texts repeat. In the 5,652 records of the national database, the front matter
//! holds 220,656 strings (29.8 MB) of which 52,045 (14.5 MB) are distinct; a generated
//! 20,000-procedure site repeats even more. The model is most of a build's memory, and an
//! `Arc<str>` is also cheaper to hand to later stages than a `String` to copy.
//!
//! The pool lives for one load and is shared by the loading threads: a fixed number of
//! shards, each a hash table behind its own lock, picked by the string's hash (hashed
//! once), so two threads rarely wait for each other.

use crate::model::Text;
use hashbrown::{DefaultHashBuilder, HashTable};
use std::hash::BuildHasher;
use std::sync::{Arc, Mutex};

/// Shards: a power of two, well above the thread count.
const SHARDS: usize = 64;
// The shard is picked by masking (`& (SHARDS - 1)`).
const _: () = assert!(SHARDS.is_power_of_two());

/// Texts longer than this are not looked up: long texts (a body, a long requirement)
/// rarely repeat, and hashing them costs more than it saves.
const MAX_POOLED: usize = 1024;

pub struct TextPool {
    hasher: DefaultHashBuilder,
    shards: Box<[Mutex<HashTable<Text>>]>,
}

impl Default for TextPool {
    fn default() -> Self {
        TextPool {
            hasher: DefaultHashBuilder::default(),
            shards: (0..SHARDS).map(|_| Mutex::new(HashTable::new())).collect(),
        }
    }
}

impl TextPool {
    /// The pooled copy of `s`, made on first sight.
    pub fn text(&self, s: &str) -> Text {
        if s.len() > MAX_POOLED {
            return Arc::from(s);
        }
        let hash = self.hasher.hash_one(s);
        // Middle bits pick the shard: the table places entries by the low bits and tags
        // them with the top seven, which must stay varied inside a shard.
        let shard = &self.shards[(hash >> 32) as usize & (SHARDS - 1)];
        // A poisoned shard only means another loading thread panicked; its table is
        // still a valid set of strings.
        let mut table = shard.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(t) = table.find(hash, |t| **t == *s) {
            return Arc::clone(t);
        }
        let t: Text = Arc::from(s);
        table.insert_unique(hash, Arc::clone(&t), |t| self.hasher.hash_one(&**t));
        t
    }

    /// How many distinct texts are pooled.
    pub fn len(&self) -> usize {
        self.shards
            .iter()
            .map(|s| s.lock().map(|t| t.len()).unwrap_or(0))
            .sum()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn equal_texts_share_one_allocation() {
        let pool = TextPool::default();
        let a = pool.text("Ủy ban nhân dân cấp xã");
        let owned = String::from("Ủy ban nhân dân cấp xã");
        let b = pool.text(&owned);
        assert!(Arc::ptr_eq(&a, &b));
        let c = pool.text("Ủy ban nhân dân cấp tỉnh");
        assert!(!Arc::ptr_eq(&a, &c));
        assert_eq!(&*c, "Ủy ban nhân dân cấp tỉnh");
        assert_eq!(pool.len(), 2);
    }

    #[test]
    fn long_texts_are_copied_not_pooled() {
        let pool = TextPool::default();
        let long = "a".repeat(MAX_POOLED + 1);
        let a = pool.text(&long);
        let b = pool.text(&long);
        assert_eq!(a, b);
        assert!(!Arc::ptr_eq(&a, &b));
        assert!(pool.is_empty());
    }

    #[test]
    fn pooling_from_many_threads_keeps_one_copy() {
        let pool = TextPool::default();
        let words: Vec<String> = (0..500).map(|i| format!("giấy tờ số {i}")).collect();
        let got: Vec<Vec<Text>> = std::thread::scope(|s| {
            let hs: Vec<_> = (0..4)
                .map(|_| s.spawn(|| words.iter().map(|w| pool.text(w)).collect::<Vec<_>>()))
                .collect();
            hs.into_iter().filter_map(|h| h.join().ok()).collect()
        });
        assert_eq!(got.len(), 4);
        for run in &got[1..] {
            for (a, b) in run.iter().zip(&got[0]) {
                assert!(Arc::ptr_eq(a, b));
            }
        }
        assert_eq!(pool.len(), 500);
    }
}
