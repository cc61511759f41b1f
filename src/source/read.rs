//! Reading walked files into pages: whole, or only their front matter when a run reports on a
//! few files and the rest of the site is needed only for its URIs and ids. A file that cannot
//! be read becomes a page with a `ReadProblem`.

use crate::config::Config;
use crate::diagnostic::FileRead;
use crate::parse::frontmatter::{self, Problem};
use crate::parse::link::Resolver;
use crate::parse::page::{FieldNames, Page, ReadProblem};
use crate::parse::span::{Position, Span};
use crate::source::open::{self, Digest, ReadError};
use crate::source::walk::Walked;
use std::io::Read;
use std::path::{Path, PathBuf};

/// How much of a file is read for its front matter (more only if it does not end there).
const HEAD_BYTES: u64 = 8 * 1024;

/// Reads pages for one run.
pub struct Reader<'a> {
    /// The content root, canonical: no page is read from outside it.
    pub root: PathBuf,
    /// The root as the user gave it, for the paths diagnostics show.
    pub shown_root: PathBuf,
    pub config: &'a Config,
    pub names: FieldNames<'a>,
    pub resolver: Resolver,
}

fn problem(message: String, help: &str) -> ReadProblem {
    ReadProblem {
        message,
        help: help.to_owned(),
        span: Span::default(),
        position: Position::START,
    }
}

/// A page larger than `limits.file_bytes`: a limit reached (limit-exceeded, at 1:1), not a
/// file that cannot be read. Its `head` (when read) still gives its URI.
fn too_large(
    path: String,
    rel: String,
    size: u64,
    max: u64,
    head: Option<&str>,
    names: &FieldNames<'_>,
) -> Page {
    let reached = problem(
        format!(
            "the file is {size} bytes, more than `limits.file_bytes` ({max}); it is not checked"
        ),
        &format!(
            "split the page or exclude the file; {}",
            crate::parse::limits::raise("file_bytes")
        ),
    );
    let mut page = Page::unreadable(path, rel, reached, head, names);
    page.limits_reached = page.read_problem.take().into_iter().collect();
    page
}

impl Reader<'_> {
    /// The path diagnostics show for a page at `rel`.
    pub fn shown(&self, rel: &str) -> String {
        self.shown_root.join(rel).to_string_lossy().into_owned()
    }

    /// Read a whole page.
    pub fn page(&self, walked: &Walked) -> Page {
        self.read(walked, false)
    }

    /// Read a page's front matter only: its URI and fields, no links, no anchors.
    pub fn front_matter(&self, walked: &Walked) -> Page {
        self.read(walked, true)
    }

    fn read(&self, walked: &Walked, head_only: bool) -> Page {
        let entry = match walked {
            Walked::Problem { entry, message } => {
                return Page::unreadable(
                    self.shown(&entry.rel),
                    entry.rel.clone(),
                    problem(
                        message.clone(),
                        "remove or fix the symlink or folder, or exclude it in pagelint.yaml",
                    ),
                    None,
                    &self.names,
                );
            }
            Walked::Page(entry) => entry,
        };
        let path = self.shown(&entry.rel);
        let max = self.config.limits.file_bytes;
        let cannot_read = |e: ReadError| {
            let help = match e {
                ReadError::Io(_) => "check the file's permissions, or exclude it in pagelint.yaml",
                _ => {
                    "make the page a regular file inside the content root, or exclude it in \
                      pagelint.yaml"
                }
            };
            Page::unreadable(
                path.clone(),
                entry.rel.clone(),
                problem(format!("cannot read the file: {e}"), help),
                None,
                &self.names,
            )
        };
        // One open; size and time from the open file, so the path is looked up once.
        let (file, meta) = match open::open_inside(&self.root, &entry.rel_path()) {
            Ok(opened) => opened,
            Err(e) => return cannot_read(e),
        };
        let size = meta.len();
        if head_only {
            match front_matter_head(file, max) {
                Ok(Some(head)) => {
                    return Page::front_matter_only(
                        path,
                        entry.rel.clone(),
                        &head,
                        &self.names,
                        &self.resolver,
                    );
                }
                // The front matter does not end within the limit: the whole read says so.
                Ok(None) => {}
                Err(e) => return cannot_read(e),
            }
            return self.read(walked, false);
        }
        if size > max {
            let head = front_matter_head(file, (64 * 1024).min(max)).ok().flatten();
            return too_large(
                path,
                entry.rel.clone(),
                size,
                max,
                head.as_deref(),
                &self.names,
            );
        }
        let stamp = meta
            .modified()
            .ok()
            .map(|m| (size, crate::source::cache::nanos(m)));
        let bytes = match open::read_bounded(file, &meta, max) {
            Ok(bytes) => bytes,
            Err(e) => return cannot_read(e),
        };
        let digest = Digest::of(&bytes);
        let mut page =
            Page::from_bytes(path, entry.rel.clone(), bytes, &self.names, &self.resolver);
        let real_path = (Path::new(&page.path) != entry.path).then_some(entry.path.as_path());
        page.read = FileRead::shared(stamp, real_path);
        page.digest = Some(digest);
        page
    }
}

/// The beginning of a file that holds its whole front matter, as text, reading at most `max`
/// bytes: `None` when the front matter does not end within them. The text ends at a line
/// break (or at the end of the file), so that a line cut by the read (`-----` cut to `---`)
/// is never taken for the closing `---`.
fn front_matter_head(mut file: std::fs::File, max: u64) -> Result<Option<String>, ReadError> {
    let mut bytes = Vec::new();
    let mut want = HEAD_BYTES.min(max);
    loop {
        let had = bytes.len() as u64;
        (&mut file).take(want - had).read_to_end(&mut bytes)?;
        let ended = (bytes.len() as u64) < want;
        let whole_lines = if ended {
            bytes.len()
        } else {
            memchr::memrchr2(b'\n', b'\r', &bytes).map_or(0, |i| i + 1)
        };
        let head = String::from_utf8_lossy(&bytes[..whole_lines]);
        if ended || frontmatter::parse(&head).problem != Some(Problem::Unterminated) {
            return Ok(Some(head.into_owned()));
        }
        if want >= max {
            return Ok(None);
        }
        // Geometric steps: however long the front matter, it is parsed O(1) times over.
        want = (want * 4).min(max);
    }
}
