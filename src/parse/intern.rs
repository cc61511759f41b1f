//! One copy of each string a run keeps many times: the URIs that half a million links of a
//! site name (a few tens of thousands of pages), and the texts of a hundred thousand findings
//! (a broken link written on many pages says the same on each).

use rustc_hash::FxHashSet;
use std::sync::{Arc, Mutex};

/// The strings kept so far, for any thread.
#[derive(Debug, Default)]
pub struct Interner(Mutex<FxHashSet<Arc<str>>>);

impl Interner {
    /// `text`, as the one copy kept of it (copied only when it is new).
    pub fn share_str(&self, text: &str) -> Arc<str> {
        let Ok(mut set) = self.0.lock() else {
            return Arc::from(text); // a thread panicked while holding it: go on without sharing
        };
        if let Some(kept) = set.get(text) {
            return Arc::clone(kept);
        }
        let kept: Arc<str> = Arc::from(text);
        set.insert(Arc::clone(&kept));
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
}
