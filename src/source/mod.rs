//! The only stage that touches the file system on the way in: which files are pages (the
//! walk), reading each one once into a parsed page (with `parse`), and the on-disk cache that
//! lets a run on a few files skip re-reading an unchanged site; `git` and `changes` tell
//! what changed since a reference, for `--changed-since`. `open` is the way in: every file
//! pagelint reads is resolved inside the root (no symlink out), opened without blocking, and
//! read only when it is a regular file, up to a bound. `write` is the way out: every file
//! pagelint writes (the cache, pages `fix` repairs, reports) is written through it, never
//! through a symlink.

pub mod assets;
pub mod cache;
pub mod changes;
pub mod git;
pub mod links_cache;
pub mod open;
pub mod read;
pub mod walk;
pub mod write;
