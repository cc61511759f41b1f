//! One copy of each string a run keeps many times: the URIs that half a million links of a
//! site name (a few tens of thousands of pages), and the texts of a hundred thousand findings
//! (a broken link written on many pages says the same on each).

use hashbrown::HashTable;
use std::hash::BuildHasher;
use std::sync::{Arc, Mutex};

/// How many independently locked parts the strings are kept in: every thread of the read and
/// of the site rules asks for a string per link or finding, and one lock for all of them was
/// most of the cost (a profile of MDN's archived content: 9% of the run in `share_str`).
const SHARDS: usize = 32;

/// The strings kept so far, for any thread, in `SHARDS` parts chosen by the string's hash
/// (bits of it that the tables do not use for their own buckets).
#[derive(Debug)]
pub struct Interner(Box<[Mutex<HashTable<Arc<str>>>]>);

impl Default for Interner {
    fn default() -> Self {
        Interner((0..SHARDS).map(|_| Mutex::default()).collect())
    }
}

/// FxHash: the strings are hashed once per link, and a collision costs a comparison only.
fn hash(text: &str) -> u64 {
    rustc_hash::FxBuildHasher.hash_one(text)
}

impl Interner {
    /// `text`, as the one copy kept of it (copied only when it is new).
    pub fn share_str(&self, text: &str) -> Arc<str> {
        let h = hash(text);
        let Ok(mut set) = self.0[(h >> 32) as usize % SHARDS].lock() else {
            return Arc::from(text); // a thread panicked while holding it: go on without sharing
        };
        if let Some(kept) = set.find(h, |k| **k == *text) {
            return Arc::clone(kept);
        }
        let kept: Arc<str> = Arc::from(text);
        set.insert_unique(h, Arc::clone(&kept), |k| hash(k));
        kept
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn equal_texts_are_one_copy() {
        let strings = Interner::default();
        let a = strings.share_str("broken link: no page has the URI /a");
        let b = strings.share_str(&String::from("broken link: no page has the URI /a"));
        let c = strings.share_str("broken link: no page has the URI /b");
        assert!(Arc::ptr_eq(&a, &b));
        assert_eq!(&*c, "broken link: no page has the URI /b");
        assert!(!Arc::ptr_eq(&a, &c));
        assert!(Arc::ptr_eq(&c, &strings.share_str(&c)));
    }

    #[test]
    fn every_shard_keeps_one_copy_of_each_text() {
        // Enough texts to fill every shard and make each table grow (rehashing what it holds).
        let strings = Interner::default();
        let texts: Vec<String> = (0..5_000).map(|i| format!("/page/{i}")).collect();
        let first: Vec<Arc<str>> = texts.iter().map(|t| strings.share_str(t)).collect();
        for (text, kept) in texts.iter().zip(&first) {
            let again = strings.share_str(text);
            assert!(Arc::ptr_eq(kept, &again), "{text}");
            assert_eq!(&**kept, text.as_str());
        }
        let held: usize = strings
            .0
            .iter()
            .map(|s| s.lock().map_or(0, |t| t.len()))
            .sum();
        assert_eq!(held, texts.len());
        assert!(
            strings
                .0
                .iter()
                .all(|s| s.lock().is_ok_and(|t| !t.is_empty()))
        );
    }
}
