//! Every file pagelint writes is written here, so that none of them follows a symlink: a pull
//! request may commit one at any path pagelint writes (the cache, a page, a report), leading
//! anywhere. A file is replaced by a temporary file created exclusively beside it (a random
//! name, `O_EXCL`: nothing planted at a name is written through) and renamed over it (a rename
//! replaces a symlink, it never follows it); an append or a new file is opened with
//! `O_NOFOLLOW` or `O_EXCL`. A page `fix` rewrites keeps its owner, group and mode, and is
//! swapped in only if it still holds the bytes the repair was planned from.

use std::fs::{self, File, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

/// Temporary files are `.pagelint-<12 random letters and digits>.tmp`: hidden, never a page,
/// and recognisable, so that those a killed run left can be removed (`remove_stale`).
const TEMP_PREFIX: &str = ".pagelint-";
const TEMP_SUFFIX: &str = ".tmp";
const TEMP_RANDOM: usize = 12;

/// A temporary file this much older than now is no run's any more: a run keeps its temporary
/// files for the milliseconds it takes to write, sync and rename them.
pub const STALE_AFTER: Duration = Duration::from_secs(10 * 60);

/// The folder a file at `path` lies in.
fn folder(path: &Path) -> &Path {
    match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    }
}

/// A new temporary file in `dir`, created exclusively under an unpredictable name, with the
/// mode a new file gets (0666 less the umask).
fn temp_in(dir: &Path) -> io::Result<tempfile::NamedTempFile> {
    let mut builder = tempfile::Builder::new();
    builder
        .prefix(TEMP_PREFIX)
        .suffix(TEMP_SUFFIX)
        .rand_bytes(TEMP_RANDOM);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        builder.permissions(fs::Permissions::from_mode(0o666));
    }
    builder.tempfile_in(dir)
}

/// Whether `name` is a temporary file's name as `temp_in` makes them.
fn is_temp_name(name: &str) -> bool {
    name.strip_prefix(TEMP_PREFIX)
        .and_then(|rest| rest.strip_suffix(TEMP_SUFFIX))
        .is_some_and(|random| {
            random.len() == TEMP_RANDOM && random.bytes().all(|b| b.is_ascii_alphanumeric())
        })
}

/// Replace the file at `path` (or create it) with `bytes`: a symlink there is replaced, never
/// followed.
pub fn replace(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let mut tmp = temp_in(folder(path))?;
    tmp.write_all(bytes)?;
    tmp.as_file().sync_all()?;
    tmp.persist(path).map_err(|e| e.error)?;
    Ok(())
}

/// `report` at `path`, the user's own argument, once the folders on its way that a pull
/// request may have committed are known to stay where they seem: when `path` lies under one of
/// `bases` (canonical: the current folder, the content root), its folder is resolved as a read
/// is (`source::open::resolve_inside`), so that a committed `reports -> /etc` makes
/// `--output reports/x.json` an error, never a write outside. A symlink that stays inside the
/// base is followed; a path elsewhere (`/tmp/x.json`, `/dev/stdout`) is the user's, as given.
pub fn report_under(bases: &[&Path], path: &Path, bytes: &[u8]) -> io::Result<()> {
    use crate::source::open::{ReadError, resolve_inside};
    let abs = std::path::absolute(path)?;
    let (Some(name), Some(parent)) = (abs.file_name(), abs.parent()) else {
        return report(path, bytes);
    };
    for base in bases {
        let Some(rel) = under(base, parent) else {
            continue;
        };
        let folder = resolve_inside(base, &rel).map_err(|e| match e {
            ReadError::Io(e) => e,
            ReadError::Outside | ReadError::Loop => io::Error::other(format!(
                "a folder on its way is a symlink that leads out of {} (a pull request may \
                 commit one); pagelint never writes through it: write to a real folder",
                base.display()
            )),
            other => io::Error::other(other),
        })?;
        return report(&folder.join(name), bytes);
    }
    report(path, bytes)
}

/// `path` (absolute) relative to `base`, when it lies under it once `.` and `..` are dropped
/// as written; the parts are kept as written, for `resolve_inside` to follow as the system does.
fn under(base: &Path, path: &Path) -> Option<PathBuf> {
    let lexical = crate::source::open::normalize(path);
    lexical.strip_prefix(base).ok()?;
    path.strip_prefix(base)
        .map(Path::to_path_buf)
        .or_else(|_| lexical.strip_prefix(base).map(Path::to_path_buf))
        .ok()
}

/// Write a report the user asked for at `path` (`--output`, `--write-baseline`): a character
/// device or a FIFO there (git cannot commit either: the user made it), or a symlink to one
/// (`/dev/stdout`, `/dev/fd/3`: a stream, not a file a symlink could leak), is written to as it
/// is, opened without blocking (a FIFO no one reads is an error, not a hang); anything else is
/// `replace`d, a symlink to a file included. Every failure, a full disk included, is returned.
pub fn report(path: &Path, bytes: &[u8]) -> io::Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::{FileTypeExt, OpenOptionsExt};
        let stream =
            |meta: fs::Metadata| meta.file_type().is_char_device() || meta.file_type().is_fifo();
        if let Ok(meta) = fs::symlink_metadata(path)
            && (stream(meta.clone()) || (meta.is_symlink() && fs::metadata(path).is_ok_and(stream)))
        {
            use rustix::fs::OFlags;
            // Not O_NOFOLLOW: a symlink here leads to a stream, which is what is written to.
            let mut file = OpenOptions::new()
                .write(true)
                .custom_flags(OFlags::NONBLOCK.bits() as i32)
                .open(path)?;
            if !stream(file.metadata()?) {
                // It was swapped for a file since it was looked at: replace, never follow.
                drop(file);
                return replace(path, bytes);
            }
            // Opened: from here on, wait for a slow reader as any write does.
            rustix::fs::fcntl_setfl(&file, OFlags::empty())?;
            file.write_all(bytes)?;
            return file.flush();
        }
    }
    replace(path, bytes)
}

/// Append `bytes` to the file at `path`, creating it if need be; a symlink there is refused.
pub fn append(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let mut options = OpenOptions::new();
    options.create(true).append(true);
    no_follow(&mut options);
    options.open(path)?.write_all(bytes)
}

/// Create the file at `path` with `bytes`; anything there already (a symlink too, even one
/// that appeared since it was looked for) is an error.
pub fn create_new(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let mut file = OpenOptions::new().write(true).create_new(true).open(path)?;
    file.write_all(bytes)?;
    file.sync_all()
}

/// Make `options` refuse a symlink as the last component of the path.
fn no_follow(options: &mut OpenOptions) {
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(rustix::fs::OFlags::NOFOLLOW.bits() as i32);
    }
}

/// The bytes of the regular file at `path`, if it holds at most `limit`; `Ok(None)` when it
/// holds more. A symlink, a FIFO or a device is an error (and never waited on): opened as
/// `source::open` opens every file.
pub fn read_regular(path: &Path, limit: usize) -> io::Result<Option<Vec<u8>>> {
    use crate::source::open::{self, ReadError};
    let (file, meta) = open::open_regular(path, false).map_err(io::Error::other)?;
    match open::read_bounded(file, &meta, limit as u64) {
        Ok(bytes) => Ok(Some(bytes)),
        Err(ReadError::TooLarge { .. }) => Ok(None),
        Err(e) => Err(io::Error::other(e)),
    }
}

/// Remove the temporary files in `dir` that a run stopped before it renamed them left: only
/// regular files (never a symlink), only of `temp_in`'s naming, only those older than
/// `STALE_AFTER`. Returns the paths removed.
pub fn remove_stale(dir: &Path) -> Vec<PathBuf> {
    let Ok(entries) = fs::read_dir(dir) else {
        return Vec::new();
    };
    let now = SystemTime::now();
    let mut removed: Vec<PathBuf> = entries
        .filter_map(Result::ok)
        .filter(|e| e.file_name().to_str().is_some_and(is_temp_name))
        .filter(|e| {
            // `DirEntry::metadata` does not follow a symlink.
            e.metadata().is_ok_and(|m| {
                m.file_type().is_file()
                    && m.modified()
                        .is_ok_and(|t| now.duration_since(t).is_ok_and(|age| age > STALE_AFTER))
            })
        })
        .map(|e| e.path())
        .filter(|p| fs::remove_file(p).is_ok())
        .collect();
    removed.sort();
    removed
}

/// Why `replace_page` left a page as it was.
#[derive(Debug, thiserror::Error)]
pub enum PageError {
    /// It no longer holds the bytes the repair was planned from (an editor saved meanwhile).
    #[error("it changed while fix ran; not fixed, run fix again")]
    Changed,
    #[error("it cannot be written: {0}")]
    Io(#[from] io::Error),
}

/// Replace the regular file at `path`, which held `old` when the edits were planned, with
/// `new`, keeping its owner, group and mode; if it no longer holds `old` it is left as it is.
///
/// The check and the swap are as close as the system allows. On Linux the new file and the
/// page are exchanged in one step (`renameat2(RENAME_EXCHANGE)`) and what was swapped out is
/// compared with `old`: if an editor saved in between, the swap is undone, so that the save is
/// kept. Elsewhere the page is compared just before the rename.
pub fn replace_page(path: &Path, old: &[u8], new: &[u8]) -> Result<(), PageError> {
    let meta = fs::symlink_metadata(path)?;
    if !meta.is_file() {
        return Err(io::Error::other("not a regular file").into());
    }
    let mut tmp = temp_in(folder(path))?;
    tmp.write_all(new)?;
    keep_owner_and_mode(tmp.as_file(), &meta)?;
    tmp.as_file().sync_all()?;
    let holds_old = |p: &Path| matches!(read_regular(p, old.len()), Ok(Some(b)) if b == old);
    if !holds_old(path) {
        return Err(PageError::Changed);
    }
    #[cfg(target_os = "linux")]
    {
        use rustix::fs::{CWD, RenameFlags, renameat_with};
        let tmp_path = tmp.path().to_path_buf();
        match renameat_with(CWD, &tmp_path, CWD, path, RenameFlags::EXCHANGE) {
            Ok(()) => {
                // The page is ours now; the temporary name holds what was swapped out.
                let ours = tmp.into_temp_path();
                if holds_old(&ours) {
                    return Ok(ours.close()?);
                }
                let _ = renameat_with(CWD, &tmp_path, CWD, path, RenameFlags::EXCHANGE);
                let ours = ours.keep().map_err(|e| e.error)?;
                if read_regular(&ours, new.len()).ok().flatten().as_deref() == Some(new) {
                    fs::remove_file(&ours)?;
                } else {
                    // Another save replaced the page between the two swaps: that one is the
                    // newest, and goes back to the page's name.
                    fs::rename(&ours, path)?;
                }
                return Err(PageError::Changed);
            }
            // A file system without exchange: compared once more, then renamed.
            Err(e) if e == rustix::io::Errno::INVAL || e == rustix::io::Errno::NOSYS => {}
            Err(e) => return Err(io::Error::from(e).into()),
        }
    }
    if !holds_old(path) {
        return Err(PageError::Changed);
    }
    tmp.persist(path).map_err(|e| e.error)?;
    Ok(())
}

/// Give the new file `file` the owner, group and mode of the page it replaces (`meta`). A
/// user who may not give it that owner does not rewrite the page.
fn keep_owner_and_mode(file: &File, meta: &fs::Metadata) -> io::Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        let now = file.metadata()?;
        if (now.uid(), now.gid()) != (meta.uid(), meta.gid()) {
            std::os::unix::fs::fchown(file, Some(meta.uid()), Some(meta.gid())).map_err(|e| {
                io::Error::new(
                    e.kind(),
                    format!(
                        "cannot keep its owner and group {}:{}: {e}",
                        meta.uid(),
                        meta.gid()
                    ),
                )
            })?;
        }
    }
    // After the owner: changing it may clear the set-id bits.
    file.set_permissions(meta.permissions())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn temporary_names_are_unpredictable_and_recognised() {
        let dir = tempfile::tempdir().expect("tempdir");
        let a = temp_in(dir.path()).expect("temp");
        let b = temp_in(dir.path()).expect("temp");
        let name = |t: &tempfile::NamedTempFile| {
            t.path()
                .file_name()
                .and_then(|n| n.to_str())
                .expect("name")
                .to_owned()
        };
        assert_ne!(name(&a), name(&b));
        assert!(is_temp_name(&name(&a)), "{}", name(&a));
        for other in [
            ".pagelint-.tmp",
            ".pagelint-abcdefghijk.tmp",
            ".pagelint-abcdefghijk!.tmp",
            "pagelint-abcdefghijkl.tmp",
            ".pagelint-abcdefghijkl.html",
            ".a.html.pagelint-1234.tmp",
        ] {
            assert!(!is_temp_name(other), "{other}");
        }
    }

    #[cfg(unix)]
    #[test]
    fn nothing_written_follows_a_symlink() {
        let dir = tempfile::tempdir().expect("tempdir");
        let outside = tempfile::tempdir().expect("tempdir");
        let secret = outside.path().join("secret");
        fs::write(&secret, "keep me").expect("write");
        let link = |name: &str| {
            let p = dir.path().join(name);
            std::os::unix::fs::symlink(&secret, &p).expect("symlink");
            p
        };
        replace(&link("replaced"), b"new").expect("replace");
        report(&link("report"), b"new").expect("report");
        assert!(append(&link("appended"), b"new").is_err());
        assert!(create_new(&link("created"), b"new").is_err());
        assert!(read_regular(&link("read"), 100).is_err());
        assert!(replace_page(&link("page"), b"keep me", b"new").is_err());
        assert_eq!(fs::read_to_string(&secret).expect("read"), "keep me");
        for name in ["replaced", "report"] {
            let meta = fs::symlink_metadata(dir.path().join(name)).expect("meta");
            assert!(meta.is_file(), "{name} is a file now");
        }
        for name in ["appended", "created", "read", "page"] {
            let meta = fs::symlink_metadata(dir.path().join(name)).expect("meta");
            assert!(meta.file_type().is_symlink(), "{name} is left as it was");
        }
    }

    #[cfg(unix)]
    #[test]
    fn a_fifo_no_one_reads_is_an_error_not_a_hang() {
        let dir = tempfile::tempdir().expect("tempdir");
        let fifo = dir.path().join("report.fifo");
        rustix::fs::mknodat(
            rustix::fs::CWD,
            &fifo,
            rustix::fs::FileType::Fifo,
            rustix::fs::Mode::from_raw_mode(0o600),
            0,
        )
        .expect("mkfifo");
        assert!(report(&fifo, b"report").is_err());
        assert!(read_regular(&fifo, 10).is_err());
        let kind = fs::symlink_metadata(&fifo).expect("meta").file_type();
        use std::os::unix::fs::FileTypeExt;
        assert!(kind.is_fifo(), "left as it was");
    }

    #[test]
    fn a_page_that_changed_is_not_replaced() {
        let dir = tempfile::tempdir().expect("tempdir");
        let page = dir.path().join("a.html");
        fs::write(&page, "saved by an editor").expect("write");
        assert!(matches!(
            replace_page(&page, b"planned from", b"fixed"),
            Err(PageError::Changed)
        ));
        assert_eq!(
            fs::read_to_string(&page).expect("read"),
            "saved by an editor"
        );
        replace_page(&page, b"saved by an editor", b"fixed").expect("replace");
        assert_eq!(fs::read_to_string(&page).expect("read"), "fixed");
        assert_eq!(
            fs::read_dir(dir.path()).expect("ls").count(),
            1,
            "no temporary file is left"
        );
    }

    #[cfg(unix)]
    #[test]
    fn only_stale_regular_temporary_files_are_removed() {
        let dir = tempfile::tempdir().expect("tempdir");
        let d = dir.path();
        let old = SystemTime::now() - STALE_AFTER - Duration::from_secs(60);
        let make = |name: &str, stale: bool| {
            let f = File::create(d.join(name)).expect("create");
            if stale {
                f.set_modified(old).expect("set mtime");
            }
        };
        make(".pagelint-abcdefghijkl.tmp", true);
        make(".pagelint-mnopqrstuvwx.tmp", false);
        make(".pagelint-notours.tmp", true);
        make("page.html", true);
        let outside = tempfile::tempdir().expect("tempdir");
        std::os::unix::fs::symlink(outside.path(), d.join(".pagelint-ABCDEFGHIJKL.tmp"))
            .expect("symlink");
        let removed = remove_stale(d);
        assert_eq!(removed, vec![d.join(".pagelint-abcdefghijkl.tmp")]);
        let mut left: Vec<String> = fs::read_dir(d)
            .expect("ls")
            .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
            .collect();
        left.sort();
        assert_eq!(
            left,
            [
                ".pagelint-ABCDEFGHIJKL.tmp",
                ".pagelint-mnopqrstuvwx.tmp",
                ".pagelint-notours.tmp",
                "page.html"
            ]
        );
    }
}
