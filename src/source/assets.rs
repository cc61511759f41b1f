//! Whether the files that pages load are there: each asset URI a reported page uses, looked
//! up under the folder `site.static_dirs` maps its prefix to. Rules do no I/O, so the run asks
//! this once per URI, after the index has said which URIs are not pages. The same lookup says
//! whether a link that no page answers names a file a static host would serve as it is (a file
//! without an extension, or with a page extension `include` does not select). A file counts
//! only inside the root: never through a symlink that leads out of it.

use crate::parse::uri::Uri;
use crate::site::AssetCheck;
use rayon::prelude::*;
use rustc_hash::FxHashMap;
use std::path::Path;

/// Look for the file behind each of `wanted` (sorted, distinct asset URIs).
pub fn check(
    wanted: Vec<&Uri>,
    static_dirs: &[(String, String)],
    root: &Path,
) -> FxHashMap<Uri, AssetCheck> {
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
            let check = if is_file_inside(root, &root.join(&shown)) {
                AssetCheck::Found
            } else {
                AssetCheck::Missing(shown)
            };
            Some((uri.clone(), check))
        })
        .collect()
}

/// Whether `path` is a file that, with every symlink on the way resolved, is still under
/// `root`.
fn is_file_inside(root: &Path, path: &Path) -> bool {
    if !path.is_file() {
        return false;
    }
    match (path.canonicalize(), root.canonicalize()) {
        (Ok(file), Ok(root)) => file.starts_with(root),
        _ => false,
    }
}
