//! Whether the files that pages load are there: each asset URI a reported page uses, looked
//! up under the folder `site.static_dirs` maps its prefix to. Rules do no I/O, so the run asks
//! this once per URI, after the index has said which URIs are not pages. The same lookup says
//! whether a link that no page answers names a file a static host would serve as it is (a file
//! without an extension, or with a page extension `include` does not select). A file counts
//! only inside the root: never through a symlink that leads out of it.

use crate::parse::uri::Uri;
use crate::site::AssetCheck;
use crate::source::open;
use rayon::prelude::*;
use rustc_hash::FxHashMap;
use std::path::Path;

/// Look for the file behind each of `wanted` (sorted, distinct asset URIs).
pub fn check(
    wanted: Vec<&Uri>,
    static_dirs: &[(String, String)],
    root: &Path,
) -> FxHashMap<Uri, AssetCheck> {
    let canonical = root.canonicalize().ok();
    wanted
        .into_par_iter()
        .filter_map(|uri| {
            let path = uri.as_str();
            let (prefix, folder) = static_dirs.iter().find(|(prefix, _)| {
                prefix == "/"
                    || path == prefix
                    || path
                        .strip_prefix(prefix.as_str())
                        .is_some_and(|r| r.starts_with('/'))
            })?;
            let rest = path[if prefix == "/" { 0 } else { prefix.len() }..].trim_start_matches('/');
            // No check leaves the root.
            if rest.split('/').any(|s| s == "..") {
                return None;
            }
            let shown = if folder == "." {
                rest.to_owned()
            } else {
                format!("{folder}/{rest}")
            };
            let check = match canonical.as_deref().map(|r| lookup(r, &shown)) {
                Some(Lookup::Found) => AssetCheck::Found,
                Some(Lookup::LeadsOut) => AssetCheck::LeadsOut(shown),
                _ => AssetCheck::Missing(shown),
            };
            Some((uri.clone(), check))
        })
        .collect()
}

/// What is at a path under the root.
enum Lookup {
    Found,
    Missing,
    LeadsOut,
}

/// Whether `rel` is a file under `root` (canonical), every symlink on the way resolved only
/// while it stays inside the root: nothing outside the root is looked at.
fn lookup(root: &Path, rel: &str) -> Lookup {
    match open::resolve_inside(root, Path::new(rel)) {
        Ok(path) if std::fs::symlink_metadata(&path).is_ok_and(|m| m.is_file()) => Lookup::Found,
        Err(open::ReadError::Outside) => Lookup::LeadsOut,
        _ => Lookup::Missing,
    }
}
