//! The one way pagelint opens a file to read it. A file of the site (a page, the redirects
//! file, the cache, a page the report shows lines of) is opened by its path relative to the
//! content root: each part of the path is looked at with `lstat`, a symlink on the way is
//! followed only while where it leads stays inside the root (nothing outside is looked at),
//! and the file is opened without following a symlink (`O_NOFOLLOW`) and without waiting
//! (`O_NONBLOCK`: a FIFO never blocks the open), then must be a regular file (`fstat`), and is
//! read with a size bound. A file the user names (the config, a baseline) may be anywhere,
//! but is opened the same way otherwise: a FIFO or a device is an error, never a hang.

pub use crate::parse::page::Digest;
use std::ffi::OsString;
use std::fs::{File, Metadata};
use std::io::Read;
use std::path::{Component, Path, PathBuf};

/// Why a file could not be read.
#[derive(Debug, thiserror::Error)]
pub enum ReadError {
    #[error("{0}")]
    Io(#[from] std::io::Error),
    #[error("not a regular file (a FIFO, socket, device or folder); it is not read")]
    NotRegular,
    #[error("the file is {size} bytes, more than the limit ({max})")]
    TooLarge { size: u64, max: u64 },
    #[error("a symlink on its path leads out of the content root; it is not followed")]
    Outside,
    #[error("the path is not a relative path inside the content root")]
    NotRelative,
    #[error("too many symlinks on its path (a symlink loop?)")]
    Loop,
}

/// Symlinks followed while resolving one path, as Linux allows (MAXSYMLINKS).
const MAX_HOPS: usize = 40;

/// Where `rel` (relative to `root`, which is canonical) leads, with every symlink on the way
/// resolved, as a path under `root` without symlinks; an error when a symlink leads out of
/// the root (what it leads to is not looked at), or when `rel` is absolute or climbs out.
pub fn resolve_inside(root: &Path, rel: &Path) -> Result<PathBuf, ReadError> {
    // Parts still to resolve, last first; parts resolved so far.
    let mut pending: Vec<OsString> = Vec::new();
    push_parts(&mut pending, rel)?;
    let mut done: Vec<OsString> = Vec::new();
    let mut hops = 0;
    while let Some(part) = pending.pop() {
        if part == ".." {
            done.pop().ok_or(ReadError::Outside)?;
            continue;
        }
        let mut path = root.to_path_buf();
        path.extend(&done);
        path.push(&part);
        let meta = std::fs::symlink_metadata(&path)?;
        if !meta.file_type().is_symlink() {
            done.push(part);
            continue;
        }
        hops += 1;
        if hops > MAX_HOPS {
            return Err(ReadError::Loop);
        }
        let target = std::fs::read_link(&path)?;
        if target.is_absolute() {
            // Only a target written under the root's own path stays inside it.
            let under = target.strip_prefix(root).map_err(|_| ReadError::Outside)?;
            done.clear();
            push_parts(&mut pending, under).map_err(|_| ReadError::Outside)?;
        } else {
            push_parts(&mut pending, &target).map_err(|_| ReadError::Outside)?;
        }
    }
    let mut path = root.to_path_buf();
    path.extend(&done);
    Ok(path)
}

/// `path` with `.` dropped and `..` resolved as written, without looking at the file system
/// (paths need not exist yet to compare; a symlink before a `..` is not followed).
pub fn normalize(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in path.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out
}

/// Push the parts of the relative path `rel` onto `pending` so that the first pops first.
fn push_parts(pending: &mut Vec<OsString>, rel: &Path) -> Result<(), ReadError> {
    let mut parts = Vec::new();
    for c in rel.components() {
        match c {
            Component::Normal(p) => parts.push(p.to_os_string()),
            Component::ParentDir => parts.push("..".into()),
            Component::CurDir => {}
            Component::RootDir | Component::Prefix(_) => return Err(ReadError::NotRelative),
        }
    }
    pending.extend(parts.into_iter().rev());
    Ok(())
}

/// Open the regular file at `path` without blocking; with `follow` false, a symlink at its
/// last part is an error (`O_NOFOLLOW`).
pub fn open_regular(path: &Path, follow: bool) -> Result<(File, Metadata), ReadError> {
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use rustix::fs::OFlags;
        use std::os::unix::fs::OpenOptionsExt;
        let nofollow = if follow {
            OFlags::empty()
        } else {
            OFlags::NOFOLLOW
        };
        options.custom_flags((OFlags::NONBLOCK | OFlags::NOCTTY | nofollow).bits() as i32);
    }
    #[cfg(not(unix))]
    if !follow && std::fs::symlink_metadata(path)?.file_type().is_symlink() {
        return Err(ReadError::Outside);
    }
    let file = options.open(path)?;
    let meta = file.metadata()?;
    if !meta.is_file() {
        return Err(ReadError::NotRegular);
    }
    Ok((file, meta))
}

/// Open the file at `rel` inside `root` (canonical), as the module says.
pub fn open_inside(root: &Path, rel: &Path) -> Result<(File, Metadata), ReadError> {
    #[cfg(target_os = "linux")]
    if let Some(opened) = open_without_symlinks(root, rel) {
        return opened;
    }
    open_regular(&resolve_inside(root, rel)?, false)
}

/// On Linux, the file at `rel` in two calls when no part of its path is a symlink: `openat2`
/// under the root with `RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS` opens what `resolve_inside`
/// and `open_regular` would (a path without symlinks resolves to itself), without an `lstat`
/// of every part (a tenth of the reads of a site of `<uri>/index.html` folders). `None` when
/// it cannot tell (a symlink on the way, a missing file, a kernel without `openat2`): the
/// path is then resolved part by part, which follows what may be followed and says what is
/// wrong.
#[cfg(target_os = "linux")]
fn open_without_symlinks(root: &Path, rel: &Path) -> Option<Result<(File, Metadata), ReadError>> {
    use rustix::fs::{Mode, OFlags, ResolveFlags, openat2};
    let dir = rustix::fs::open(
        root,
        OFlags::PATH | OFlags::DIRECTORY | OFlags::CLOEXEC,
        Mode::empty(),
    )
    .ok()?;
    let fd = openat2(
        &dir,
        rel,
        OFlags::RDONLY | OFlags::NONBLOCK | OFlags::NOCTTY | OFlags::CLOEXEC,
        Mode::empty(),
        ResolveFlags::BENEATH | ResolveFlags::NO_SYMLINKS | ResolveFlags::NO_MAGICLINKS,
    )
    .ok()?;
    let file = File::from(fd);
    Some(match file.metadata() {
        Ok(meta) if meta.is_file() => Ok((file, meta)),
        Ok(_) => Err(ReadError::NotRegular),
        Err(e) => Err(e.into()),
    })
}

/// All of an open file, when it is at most `max` bytes (also when it grows while read).
pub fn read_bounded(file: File, meta: &Metadata, max: u64) -> Result<Vec<u8>, ReadError> {
    if meta.len() > max {
        return Err(ReadError::TooLarge {
            size: meta.len(),
            max,
        });
    }
    let mut bytes = Vec::with_capacity(meta.len() as usize + 1);
    file.take(max + 1).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > max {
        return Err(ReadError::TooLarge {
            size: bytes.len() as u64,
            max,
        });
    }
    Ok(bytes)
}

/// The file at `rel` inside `root` (canonical), whole, when it is at most `max` bytes.
pub fn read_inside(root: &Path, rel: &Path, max: u64) -> Result<Vec<u8>, ReadError> {
    let (file, meta) = open_inside(root, rel)?;
    read_bounded(file, &meta, max)
}

/// At most the first `max` bytes of the file at `rel` inside `root` (canonical), however
/// large it is: a look at its head (does it start with front matter?), opened as every file.
pub fn read_head_inside(root: &Path, rel: &Path, max: u64) -> Result<Vec<u8>, ReadError> {
    let (file, meta) = open_inside(root, rel)?;
    let mut bytes = Vec::with_capacity(meta.len().min(max) as usize);
    file.take(max).read_to_end(&mut bytes)?;
    Ok(bytes)
}

/// A file the user names (`follow`: through symlinks), whole, when it is at most `max` bytes.
pub fn read_user_file(path: &Path, max: u64) -> Result<Vec<u8>, ReadError> {
    let (file, meta) = open_regular(path, true)?;
    read_bounded(file, &meta, max)
}

/// A file's text as the report may show it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reread {
    /// The bytes that were checked, as text (with replacement characters, as it was parsed).
    Checked(String),
    /// The file is no longer the bytes that were checked: its lines are not shown.
    Changed,
    /// Nothing to show: the file was never read, or cannot be read now.
    Unavailable,
}

impl Reread {
    /// `bytes` as read again, judged against the `digest` of what was checked.
    pub fn judge(bytes: &[u8], digest: Digest) -> Reread {
        Reread::judge_owned(bytes.to_vec(), digest)
    }

    /// `judge`, keeping `bytes` as the text when they are UTF-8 (no copy of the file).
    fn judge_owned(bytes: Vec<u8>, digest: Digest) -> Reread {
        if Digest::of(&bytes) != digest {
            return Reread::Changed;
        }
        match String::from_utf8(bytes) {
            Ok(text) => Reread::Checked(text),
            Err(e) => Reread::Checked(String::from_utf8_lossy(e.as_bytes()).into_owned()),
        }
    }

    /// The file at `rel` inside `root` (canonical), read again (at most the checked length
    /// and one byte more) and judged against `digest`. It was read once: when it can no
    /// longer be (gone, grown, now a symlink out of the root), it changed.
    pub fn read(root: &Path, rel: &Path, digest: Digest) -> Reread {
        match read_inside(root, rel, digest.len) {
            Ok(bytes) => Reread::judge_owned(bytes, digest),
            Err(_) => Reread::Changed,
        }
    }
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;
    use std::os::unix::fs::symlink;

    fn site() -> (tempfile::TempDir, PathBuf, PathBuf) {
        let dir = tempfile::tempdir().expect("tempdir");
        let base = dir.path().canonicalize().expect("canonical");
        let root = base.join("root");
        std::fs::create_dir_all(root.join("docs/deep")).expect("mkdir");
        std::fs::create_dir_all(base.join("outside")).expect("mkdir");
        std::fs::write(root.join("docs/a.html"), "inside").expect("write");
        std::fs::write(base.join("outside/secret.html"), "OUTSIDE").expect("write");
        (dir, root, base)
    }

    #[test]
    fn symlinks_are_followed_only_while_they_stay_inside_the_root() {
        let (_dir, root, base) = site();
        symlink("a.html", root.join("docs/rel.html")).expect("symlink");
        symlink("../../docs", root.join("docs/deep/up")).expect("symlink");
        symlink(root.join("docs/a.html"), root.join("abs.html")).expect("symlink");
        symlink("../outside/secret.html", root.join("out.html")).expect("symlink");
        symlink(base.join("outside"), root.join("outdir")).expect("symlink");
        symlink("/dev/zero", root.join("zero.html")).expect("symlink");
        symlink("loop2", root.join("loop1")).expect("symlink");
        symlink("loop1", root.join("loop2")).expect("symlink");
        let a = root.join("docs/a.html");
        for rel in [
            "docs/a.html",
            "docs/rel.html",
            "docs/deep/up/a.html",
            "abs.html",
        ] {
            assert_eq!(resolve_inside(&root, Path::new(rel)).ok(), Some(a.clone()));
            assert_eq!(
                read_inside(&root, Path::new(rel), 100).ok(),
                Some(b"inside".to_vec())
            );
        }
        for rel in [
            "out.html",
            "outdir/secret.html",
            "zero.html",
            "../outside/secret.html",
        ] {
            assert!(
                matches!(
                    resolve_inside(&root, Path::new(rel)),
                    Err(ReadError::Outside)
                ),
                "{rel}"
            );
        }
        assert!(matches!(
            resolve_inside(&root, Path::new("loop1")),
            Err(ReadError::Loop)
        ));
        assert!(matches!(
            resolve_inside(&root, &base.join("outside/secret.html")),
            Err(ReadError::NotRelative)
        ));
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn the_one_call_open_takes_only_paths_without_symlinks() {
        let (_dir, root, base) = site();
        symlink("a.html", root.join("docs/rel.html")).expect("symlink");
        symlink("../../docs", root.join("docs/deep/up")).expect("symlink");
        symlink("../outside/secret.html", root.join("out.html")).expect("symlink");
        symlink(base.join("outside"), root.join("outdir")).expect("symlink");
        symlink("/dev/zero", root.join("zero.html")).expect("symlink");
        let made = std::process::Command::new("mkfifo")
            .arg(root.join("fifo.html"))
            .status();
        assert!(made.is_ok_and(|s| s.success()), "mkfifo");
        let opened = |rel: &str| open_without_symlinks(&root, Path::new(rel));
        let read = |rel: &str| {
            let (file, meta) = opened(rel).expect("taken").expect("opened");
            read_bounded(file, &meta, 100).expect("read")
        };
        assert_eq!(read("docs/a.html"), b"inside");
        assert_eq!(read("docs/deep/../a.html"), b"inside");
        // A symlink anywhere on the path, a climb out, a missing file: left to the resolution
        // part by part, which follows what stays inside and refuses the rest.
        for rel in [
            "docs/rel.html",
            "docs/deep/up/a.html",
            "out.html",
            "outdir/secret.html",
            "zero.html",
            "../outside/secret.html",
            "docs/missing.html",
        ] {
            assert!(opened(rel).is_none(), "{rel}");
        }
        for rel in ["out.html", "outdir/secret.html", "zero.html"] {
            assert!(
                matches!(
                    read_inside(&root, Path::new(rel), 100),
                    Err(ReadError::Outside)
                ),
                "{rel}"
            );
        }
        assert_eq!(
            read_inside(&root, Path::new("docs/deep/up/a.html"), 100).ok(),
            Some(b"inside".to_vec())
        );
        // Not a regular file: refused at once, without waiting for a writer.
        for rel in ["fifo.html", "docs"] {
            assert!(
                matches!(opened(rel), Some(Err(ReadError::NotRegular))),
                "{rel}"
            );
        }
    }

    #[test]
    fn fifos_and_devices_are_refused_without_blocking_and_reads_are_bounded() {
        let (_dir, root, _) = site();
        let fifo = root.join("fifo.html");
        let made = std::process::Command::new("mkfifo").arg(&fifo).status();
        assert!(made.is_ok_and(|s| s.success()), "mkfifo");
        assert!(matches!(
            read_inside(&root, Path::new("fifo.html"), 100),
            Err(ReadError::NotRegular)
        ));
        assert!(matches!(
            read_user_file(&fifo, 100),
            Err(ReadError::NotRegular)
        ));
        assert!(matches!(
            read_user_file(Path::new("/dev/zero"), 100),
            Err(ReadError::NotRegular)
        ));
        assert!(matches!(
            read_inside(&root, Path::new("docs/a.html"), 5),
            Err(ReadError::TooLarge { size: 6, max: 5 })
        ));
    }

    #[test]
    fn a_file_is_shown_only_while_it_is_the_bytes_that_were_checked() {
        let (_dir, root, _) = site();
        let checked = Digest::of(b"inside");
        let rel = Path::new("docs/a.html");
        assert_eq!(
            Reread::read(&root, rel, checked),
            Reread::Checked("inside".into())
        );
        // Same length, other bytes; longer; gone.
        std::fs::write(root.join(rel), "INSIDE").expect("write");
        assert_eq!(Reread::read(&root, rel, checked), Reread::Changed);
        std::fs::write(root.join(rel), "inside and more").expect("write");
        assert_eq!(Reread::read(&root, rel, checked), Reread::Changed);
        std::fs::remove_file(root.join(rel)).expect("rm");
        assert_eq!(Reread::read(&root, rel, checked), Reread::Changed);
    }
}
