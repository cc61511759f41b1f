//! The internal link targets of every page, kept beside the page cache for `--changed-since`
//! runs: when a change may have removed a URI or an id, such a run must know which pages link
//! to it, and reading every body costs most of a whole run. This file (`links-v1.bin` in
//! `<root>/.pagelint_cache/`) lets a later run read only the pages that changed since. It is
//! keyed like the page cache (this pagelint, this configuration, this root; each file's size
//! and modification time, with the same racy window), read only by `--changed-since` runs
//! that may have removed something, and separate from the page cache so that other runs
//! never load it. Anything unexpected about it means "no cache", never an error.

use crate::parse::uri::Uri;
use crate::source::cache::{self, RACY_NANOS};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::time::SystemTime;

const FILE: &str = "links-v1.bin";

/// Where a link points: a page's URI, and the fragment, if any.
pub type LinkTarget = (Uri, Option<Box<str>>);

#[derive(Serialize, Deserialize)]
struct Stored {
    key: u64,
    written: i128,
    files: Vec<(String, u64, i128, Box<[LinkTarget]>)>,
}

/// The link targets of a root's pages, as loaded.
pub struct LinksCache {
    root: PathBuf,
    key: u64,
    written: i128,
    files: HashMap<String, (u64, i128, Box<[LinkTarget]>)>,
}

impl LinksCache {
    /// The cache of `root` for this `key`; `None` when there is none that fits.
    pub fn load(root: &Path, key: u64) -> Option<LinksCache> {
        cache::folder(root).ok()?;
        let bytes = cache::read_cache_file(root, FILE)?;
        LinksCache::decode(root, key, &bytes)
    }

    /// The cache of `root` for this `key` out of the bytes of its file; `None` when they are
    /// not a sound cache that fits: what `load` does once it has read the file.
    pub fn decode(root: &Path, key: u64, bytes: &[u8]) -> Option<LinksCache> {
        let stored: Stored = postcard::from_bytes(bytes).ok()?;
        // Only a cache pagelint could have written is used: walked paths, normal URIs.
        let sound = stored.files.iter().all(|(rel, _, _, links)| {
            cache::is_walked_rel(rel) && links.iter().all(|(uri, _)| cache::is_normal_uri(uri))
        });
        (stored.key == key && sound).then(|| LinksCache {
            root: root.to_path_buf(),
            key,
            written: stored.written,
            files: stored
                .files
                .into_iter()
                .map(|(rel, size, mtime, links)| (rel, (size, mtime, links)))
                .collect(),
        })
    }

    /// Every page's path relative to the root with its link targets, in no particular order.
    pub fn pages(&self) -> impl Iterator<Item = (&str, &[LinkTarget])> {
        self.files
            .iter()
            .map(|(rel, (_, _, links))| (rel.as_str(), &**links))
    }

    /// An empty cache for `root`, to store into.
    pub fn empty(root: &Path, key: u64) -> LinksCache {
        LinksCache {
            root: root.to_path_buf(),
            key,
            written: 0,
            files: HashMap::new(),
        }
    }

    /// The link targets of the page at `rel`, if its file has not changed since.
    pub fn get(&self, rel: &str, path: &Path) -> Option<&[LinkTarget]> {
        let (size, mtime, links) = self.files.get(rel)?;
        let (now_size, now_mtime) = cache::stamp(path)?;
        let fresh = now_size == *size && now_mtime == *mtime && *mtime < self.written - RACY_NANOS;
        fresh.then_some(&**links)
    }

    /// Write the link targets of these pages (`rel`, the file's path, its targets), stamped
    /// with their files' sizes and times now. Failures are ignored: the cache only saves time.
    pub fn store(&self, pages: Vec<(String, PathBuf, Box<[LinkTarget]>)>) {
        use rayon::prelude::*;
        let mut files: Vec<(String, u64, i128, Box<[LinkTarget]>)> = pages
            .into_par_iter()
            .filter_map(|(rel, path, links)| {
                let (size, mtime) = cache::stamp(&path)?;
                Some((rel, size, mtime, links))
            })
            .collect();
        files.sort_by(|a, b| a.0.cmp(&b.0));
        let stored = Stored {
            key: self.key,
            written: cache::nanos(SystemTime::now()),
            files,
        };
        if let Ok(bytes) = postcard::to_allocvec(&stored) {
            cache::write_file(&self.root, FILE, &bytes);
        }
    }
}
