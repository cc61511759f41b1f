//! An on-disk cache for runs that report on a few files (a pre-commit hook): what such a run
//! needs of every other page — its URI, id, type and anchors — keyed on the file's size and
//! modification time, and the site's folders keyed on theirs, so that an unchanged site is
//! neither listed nor read again. It lives in `<root>/.pagelint_cache/` (ignored by git, never
//! walked); anything unexpected about it (missing, stale, unreadable, another version) means
//! "no cache", never an error.

use crate::parse::link::Target;
use crate::parse::page::{Anchors, SitePage, Spot};
use crate::parse::uri::Uri;
use crate::source::walk::{Entry, Walked};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::time::{SystemTime, UNIX_EPOCH};

const DIR: &str = ".pagelint_cache";

/// Folders (relative to the root) with their modification times.
pub type DirStamps = Vec<(String, i128)>;
const FILE: &str = "pages-v2.bin";

/// A file modified this close to when the cache was written may have changed again within
/// the same timestamp: it is read again ("racy" entries, as git calls them). File times tick
/// at the kernel's coarse clock (a few milliseconds), so 50 ms is ample.
pub(crate) const RACY_NANOS: i128 = 50_000_000;

#[derive(Serialize, Deserialize)]
struct Stored {
    /// The pagelint version and configuration the cache was made with.
    key: u64,
    written: i128,
    /// Every folder of the site with its modification time; `None` when the walk met
    /// symlinks or problems, which only a real walk handles.
    dirs: Option<Vec<(String, i128)>>,
    files: Vec<(String, u64, i128, CachedPage)>,
}

/// What a partial run needs of a page it does not report on.
#[derive(Clone, Serialize, Deserialize)]
pub struct CachedPage {
    uri: Uri,
    uri_from_path: bool,
    uri_spot: Spot,
    id: Option<(Box<str>, Spot)>,
    page_type: Option<Box<str>>,
    title: Option<Box<str>>,
    redirect: Option<Box<(Target, Spot)>>,
    anchors: Option<Anchors>,
}

impl CachedPage {
    pub fn of(page: &SitePage) -> Option<CachedPage> {
        (!page.unread).then(|| CachedPage {
            uri: page.uri.clone(),
            uri_from_path: page.uri_from_path,
            uri_spot: page.uri_spot,
            id: page.id.clone(),
            page_type: page.page_type.clone(),
            title: page.title.clone(),
            redirect: page.redirect.clone(),
            anchors: page.anchors_known.then(|| page.anchors.clone()),
        })
    }

    pub fn into_site_page(self, path: String, rel: String) -> SitePage {
        let (rel_start, rel_own) = crate::parse::page::rel_parts(&path, rel);
        SitePage {
            path,
            rel_start,
            rel_own,
            uri: self.uri,
            uri_from_path: self.uri_from_path,
            uri_spot: self.uri_spot,
            id: self.id,
            page_type: self.page_type,
            title: self.title,
            redirect: self.redirect,
            links: Vec::new(),
            anchors_known: self.anchors.is_some(),
            anchors: self.anchors.unwrap_or_default(),
            stamp: None,
            unread: false,
        }
    }
}

/// The cache of one root, as loaded.
pub struct Cache {
    root: PathBuf,
    key: u64,
    written: i128,
    dirs: Option<DirStamps>,
    files: HashMap<String, (u64, i128, CachedPage)>,
}

/// A time as nanoseconds since the epoch.
pub fn nanos(t: SystemTime) -> i128 {
    match t.duration_since(UNIX_EPOCH) {
        Ok(d) => d.as_nanos() as i128,
        Err(e) => -(e.duration().as_nanos() as i128),
    }
}

/// Size and modification time of a file or folder.
pub fn stamp(path: &Path) -> Option<(u64, i128)> {
    let meta = std::fs::metadata(path).ok()?;
    Some((meta.len(), nanos(meta.modified().ok()?)))
}

impl Cache {
    /// The cache of `root` for this `key` (empty when there is none that fits).
    pub fn load(root: &Path, key: u64) -> Cache {
        let Ok(bytes) = std::fs::read(root.join(DIR).join(FILE)) else {
            return Cache::decode(root, key, &[]);
        };
        Cache::decode(root, key, &bytes)
    }

    /// The cache of `root` for this `key` out of the bytes of its file (empty when they are
    /// not a cache that fits): what `load` does once it has read the file.
    pub fn decode(root: &Path, key: u64, bytes: &[u8]) -> Cache {
        let empty = Cache {
            root: root.to_path_buf(),
            key,
            written: 0,
            dirs: None,
            files: HashMap::new(),
        };
        match postcard::from_bytes::<Stored>(bytes) {
            Ok(stored) if stored.key == key => Cache {
                written: stored.written,
                dirs: stored.dirs,
                files: stored
                    .files
                    .into_iter()
                    .map(|(rel, size, mtime, page)| (rel, (size, mtime, page)))
                    .collect(),
                ..empty
            },
            _ => empty,
        }
    }

    /// Every cached page with its path relative to the root, in no particular order.
    pub fn pages(&self) -> impl Iterator<Item = (&str, &CachedPage)> {
        self.files
            .iter()
            .map(|(rel, (_, _, page))| (rel.as_str(), page))
    }

    /// The site's page files and its folders with their times, if no folder changed since the
    /// cache was written: a walk without listing any folder.
    pub fn walked(&self) -> Option<(Vec<Walked>, DirStamps)> {
        use rayon::prelude::*;
        let dirs = self.dirs.as_ref()?;
        let unchanged = dirs.par_iter().all(|(rel, mtime)| {
            *mtime < self.written - RACY_NANOS
                && stamp(&self.root.join(rel)).is_some_and(|(_, m)| m == *mtime)
        });
        if !unchanged {
            return None;
        }
        let mut files: Vec<Walked> = self
            .files
            .keys()
            .map(|rel| {
                Walked::Page(Entry {
                    path: self.root.join(rel),
                    rel: rel.clone(),
                })
            })
            .collect();
        files.sort_by(|a, b| a.entry().rel.cmp(&b.entry().rel));
        Some((files, dirs.clone()))
    }

    /// The cached page at `rel`, if the file has not changed since.
    pub fn page(&self, rel: &str, path: &Path) -> Option<CachedPage> {
        let (size, mtime, page) = self.files.get(rel)?;
        let (now_size, now_mtime) = stamp(path)?;
        let fresh = now_size == *size && now_mtime == *mtime && *mtime < self.written - RACY_NANOS;
        fresh.then(|| page.clone())
    }

    /// The folders' modification times, for `store`.
    pub fn stamp_dirs(&self, dirs: Vec<String>) -> DirStamps {
        use rayon::prelude::*;
        // Made first, so that making it does not change the root's time after it is taken.
        let _ = std::fs::create_dir_all(self.root.join(DIR));
        dirs.into_par_iter()
            .filter_map(|rel| {
                let (_, mtime) = stamp(&self.root.join(&rel))?;
                Some((rel, mtime))
            })
            .collect()
    }

    /// Write the cache for the pages of this run (`files`: rel, stamp, page). `dirs` is the
    /// site's folders with their times when the walk was plain (no symlinks, no problems).
    /// Failures are ignored: the cache only saves time.
    pub fn store(&self, dirs: Option<DirStamps>, files: Vec<(String, (u64, i128), CachedPage)>) {
        let mut files: Vec<(String, u64, i128, CachedPage)> = files
            .into_iter()
            .map(|(rel, (size, mtime), mut page)| {
                // Keep anchors learned by an earlier run when this one did not read the body.
                if page.anchors.is_none()
                    && let Some((s, m, old)) = self.files.get(&rel)
                    && (*s, *m) == (size, mtime)
                {
                    page.anchors = old.anchors.clone();
                }
                (rel, size, mtime, page)
            })
            .collect();
        files.sort_by(|a, b| a.0.cmp(&b.0));
        let stored = Stored {
            key: self.key,
            written: nanos(SystemTime::now()),
            dirs,
            files,
        };
        let Ok(bytes) = postcard::to_allocvec(&stored) else {
            return;
        };
        let dir = self.root.join(DIR);
        if std::fs::create_dir_all(&dir).is_err() {
            return;
        }
        let _ = std::fs::write(dir.join(".gitignore"), "# made by pagelint\n*\n");
        let tmp = dir.join(format!("{FILE}.{}.tmp", std::process::id()));
        if std::fs::write(&tmp, bytes).is_ok() && std::fs::rename(&tmp, dir.join(FILE)).is_err() {
            let _ = std::fs::remove_file(&tmp);
        }
    }
}
