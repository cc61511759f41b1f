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
    aliases: Box<[Uri]>,
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
            aliases: page.aliases.clone(),
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
            aliases: self.aliases,
            links: Vec::new(),
            anchors_known: self.anchors.is_some(),
            anchors: self.anchors.unwrap_or_default(),
            read: None,
            digest: None,
            unread: false,
        }
    }
}

/// The cache folder of `root` (`Ok` when it does not exist yet), or why it is not used: a
/// symlink there (a pull request may commit one leading anywhere) or something not a folder.
pub fn folder(root: &Path) -> Result<PathBuf, String> {
    let dir = root.join(DIR);
    match std::fs::symlink_metadata(&dir) {
        Ok(m) if m.file_type().is_symlink() => Err(format!("{DIR} is a symlink")),
        Ok(m) if !m.is_dir() => Err(format!("{DIR} is not a folder")),
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => {
            Err(format!("{DIR} cannot be looked at: {e}"))
        }
        _ => Ok(dir),
    }
}

/// Make the cache folder of `root` if need be, and write into it the `.gitignore` that keeps
/// it out of commits; `None` when it is not used (see `folder`) or cannot be made.
pub(crate) fn make_folder(root: &Path) -> Option<PathBuf> {
    let dir = folder(root).ok()?;
    match std::fs::create_dir(&dir) {
        Err(e) if e.kind() != std::io::ErrorKind::AlreadyExists => return None,
        _ => {}
    }
    let gitignore = dir.join(".gitignore");
    let text = "# made by pagelint\n*\n";
    // Read only when it is a regular file: a symlink or a FIFO there is replaced.
    if !crate::source::write::read_regular(&gitignore, text.len())
        .is_ok_and(|b| b.as_deref() == Some(text.as_bytes()))
    {
        crate::source::write::replace(&gitignore, text.as_bytes()).ok()?;
    }
    Some(dir)
}

/// Write `bytes` as the cache file `name` of `root`. Failures are ignored: the cache only
/// saves time.
pub(crate) fn write_file(root: &Path, name: &str, bytes: &[u8]) {
    if let Some(dir) = make_folder(root) {
        // Temporary files of a run stopped before it renamed them.
        crate::source::write::remove_stale(&dir);
        let _ = crate::source::write::replace(&dir.join(name), bytes);
    }
}

/// The largest cache file read (some hundreds of bytes a page, a million pages); a larger
/// one is not used, and is written anew.
pub(crate) const MAX_BYTES: u64 = 256 * 1024 * 1024;

/// The bytes of the cache file `name` in `root`'s cache folder: opened as every file of the
/// site is (inside the root, no symlink out, a regular file, at most `MAX_BYTES`).
pub(crate) fn read_cache_file(root: &Path, name: &str) -> Option<Vec<u8>> {
    let root = root.canonicalize().ok()?;
    crate::source::open::read_inside(&root, &Path::new(DIR).join(name), MAX_BYTES).ok()
}

/// Whether `rel` is a path as the walk writes one: relative, `/` between non-empty parts,
/// none of them `.`, `..` or hidden (the walk never enters those), no NUL.
pub(crate) fn is_walked_rel(rel: &str) -> bool {
    !rel.is_empty()
        && !rel.contains('\0')
        && rel
            .split('/')
            .all(|part| !part.is_empty() && !part.starts_with('.'))
}

/// Whether a URI decoded from a cache is in `Uri`'s normal form (one leading `/`, none at
/// the end but the root's).
pub(crate) fn is_normal_uri(uri: &Uri) -> bool {
    let s = uri.as_str();
    s.starts_with('/') && (s == "/" || !s.ends_with('/')) && !s.contains('\0')
}

impl Stored {
    /// Whether the decoded cache is one pagelint could have written: every file a walked path
    /// under a folder the cache lists (when it lists them), every URI normal, every anchor
    /// inside its text. A cache that is not is not used (it is rebuilt), never trusted.
    fn is_sound(&self) -> bool {
        let dirs: Option<std::collections::HashSet<&str>> = self
            .dirs
            .as_ref()
            .map(|d| d.iter().map(|(rel, _)| rel.as_str()).collect());
        let dirs_sound = self
            .dirs
            .iter()
            .flatten()
            .all(|(rel, _)| rel.is_empty() || is_walked_rel(rel));
        dirs_sound
            && self.files.iter().all(|(rel, _, _, page)| {
                let parent = rel.rsplit_once('/').map_or("", |(dir, _)| dir);
                is_walked_rel(rel)
                    && dirs.as_ref().is_none_or(|d| d.contains(parent))
                    && page.is_sound()
            })
    }
}

impl CachedPage {
    fn is_sound(&self) -> bool {
        let target_sound = |t: &Target| match t {
            Target::Internal { uri, .. } => is_normal_uri(uri),
            _ => true,
        };
        is_normal_uri(&self.uri)
            && self.redirect.as_ref().is_none_or(|r| target_sound(&r.0))
            && self.anchors.as_ref().is_none_or(Anchors::is_sound)
    }
}

/// The cache of one root, as loaded.
pub struct Cache {
    root: PathBuf,
    /// Why the cache is not used, if it is not (its folder is a symlink, …).
    pub unusable: Option<String>,
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
        if let Err(why) = folder(root) {
            return Cache {
                unusable: Some(why),
                ..Cache::decode(root, key, &[])
            };
        }
        let bytes = read_cache_file(root, FILE).unwrap_or_default();
        Cache::decode(root, key, &bytes)
    }

    /// The cache of `root` for this `key` out of the bytes of its file (empty when they are
    /// not a sound cache that fits): what `load` does once it has read the file.
    pub fn decode(root: &Path, key: u64, bytes: &[u8]) -> Cache {
        let empty = Cache {
            root: root.to_path_buf(),
            unusable: None,
            key,
            written: 0,
            dirs: None,
            files: HashMap::new(),
        };
        match postcard::from_bytes::<Stored>(bytes) {
            Ok(stored) if stored.key == key && stored.is_sound() => Cache {
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
        // A listing holds no symlink (a walk that met one keeps none): a folder that is one
        // now is a change, and nothing is looked at through it.
        let unchanged = dirs.par_iter().all(|(rel, mtime)| {
            *mtime < self.written - RACY_NANOS
                && std::fs::symlink_metadata(self.root.join(rel)).is_ok_and(|m| {
                    !m.file_type().is_symlink() && m.modified().is_ok_and(|t| nanos(t) == *mtime)
                })
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
        if self.unusable.is_none() {
            make_folder(&self.root);
        }
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
        if self.unusable.is_some() {
            return;
        }
        if let Ok(bytes) = postcard::to_allocvec(&stored) {
            write_file(&self.root, FILE, &bytes);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::span::{Position, Span};

    const KEY: u64 = 7;

    fn cached(anchors: &[&str]) -> CachedPage {
        CachedPage {
            uri: Uri::from_path("/a"),
            uri_from_path: false,
            uri_spot: Spot {
                span: Span::new(4, 6),
                position: Position { line: 2, column: 6 },
            },
            id: None,
            page_type: None,
            title: None,
            redirect: None,
            aliases: Box::default(),
            anchors: Some(Anchors::new(
                anchors.iter().map(|a| (*a).to_owned()).collect(),
            )),
        }
    }

    /// A site with one page, and the bytes of a cache of it made by the cache's own encoder
    /// with the page listed at `rel`.
    fn site_and_cache(rel: &str, anchors: &[&str]) -> (tempfile::TempDir, PathBuf, Vec<u8>) {
        let dir = tempfile::tempdir().expect("tempdir");
        let root = dir.path().join("root");
        // The cache's folder first: making it changes the root's time.
        std::fs::create_dir_all(root.join(DIR)).expect("mkdir");
        std::fs::write(root.join("a.html"), "---\nuri: /a\n---\n").expect("write");
        std::fs::create_dir_all(dir.path().join("outside")).expect("mkdir");
        std::fs::write(dir.path().join("outside/secret.html"), "SECRET").expect("write");
        let (size, mtime) = stamp(&root.join("a.html")).expect("stamp");
        let (_, root_mtime) = stamp(&root).expect("stamp");
        let stored = Stored {
            key: KEY,
            written: mtime.max(root_mtime) + 10 * RACY_NANOS,
            dirs: Some(vec![(String::new(), root_mtime)]),
            files: vec![(rel.to_owned(), size, mtime, cached(anchors))],
        };
        let bytes = postcard::to_allocvec(&stored).expect("encode");
        (dir, root, bytes)
    }

    fn load(root: &Path, bytes: &[u8]) -> Cache {
        std::fs::create_dir_all(root.join(DIR)).expect("mkdir");
        std::fs::write(root.join(DIR).join(FILE), bytes).expect("write");
        Cache::load(root, KEY)
    }

    #[test]
    fn a_sound_cache_lists_and_answers() {
        let (_dir, root, bytes) = site_and_cache("a.html", &["x"]);
        let cache = load(&root, &bytes);
        let (walked, _) = cache.walked().expect("the cache lists the site");
        assert_eq!(walked.len(), 1);
        assert!(cache.page("a.html", &root.join("a.html")).is_some());
    }

    #[test]
    fn a_cache_naming_paths_the_walk_would_not_is_not_used() {
        for rel in [
            "../outside/secret.html",
            "/etc/passwd",
            "./a.html",
            "sub//a.html",
            "",
            "a.html\0",
            ".pagelint_cache/pages-v2.bin",
            // Under a folder the cache does not list.
            "elsewhere/a.html",
        ] {
            let (_dir, root, bytes) = site_and_cache(rel, &[]);
            let cache = load(&root, &bytes);
            assert!(cache.walked().is_none(), "{rel:?} was listed");
            assert!(cache.files.is_empty(), "{rel:?} was kept");
        }
    }

    #[test]
    fn a_cache_whose_anchor_offsets_pass_their_text_is_not_used() {
        let (_dir, root, mut bytes) = site_and_cache("a.html", &["ab"]);
        // The anchors as postcard writes them: the text "ab", then one end, 2.
        let written = [2, b'a', b'b', 1, 2];
        let at = bytes
            .windows(written.len())
            .position(|w| w == written)
            .expect("the anchors are in the encoding");
        bytes[at + 4] = 100;
        let cache = load(&root, &bytes);
        assert!(cache.files.is_empty() && cache.walked().is_none());
        // Inside the text but not on a character boundary.
        let (_dir, root, mut bytes) = site_and_cache("a.html", &["é"]);
        let written = [2, 0xC3, 0xA9, 1, 2];
        let at = bytes
            .windows(written.len())
            .position(|w| w == written)
            .expect("the anchors are in the encoding");
        bytes[at + 4] = 1;
        assert!(load(&root, &bytes).files.is_empty());
    }

    #[cfg(unix)]
    #[test]
    fn a_cache_file_that_is_a_fifo_or_a_symlink_out_is_not_read() {
        let (dir, root, _) = site_and_cache("a.html", &[]);
        std::fs::create_dir_all(root.join(DIR)).expect("mkdir");
        let fifo = root.join(DIR).join(FILE);
        let made = std::process::Command::new("mkfifo").arg(&fifo).status();
        assert!(made.is_ok_and(|s| s.success()), "mkfifo");
        assert!(Cache::load(&root, KEY).files.is_empty());
        std::fs::remove_file(&fifo).expect("rm");
        let (_, _, bytes) = site_and_cache("a.html", &[]);
        let outside = dir.path().join("outside/cache.bin");
        std::fs::write(&outside, bytes).expect("write");
        std::os::unix::fs::symlink(&outside, &fifo).expect("symlink");
        assert!(Cache::load(&root, KEY).files.is_empty());
        std::fs::remove_file(&fifo).expect("rm");
        std::os::unix::fs::symlink("/dev/zero", &fifo).expect("symlink");
        assert!(Cache::load(&root, KEY).files.is_empty());
    }
}
