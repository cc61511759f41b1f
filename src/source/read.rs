//! Reading walked files into pages: whole, or only their front matter when a run reports on a
//! few files and the rest of the site is needed only for its URIs and ids. A file that cannot
//! be read becomes a page with a `ReadProblem`.

use crate::config::Config;
use crate::parse::frontmatter::{self, Problem};
use crate::parse::link::Resolver;
use crate::parse::page::{FieldNames, Page, ReadProblem};
use crate::parse::span::{Position, Span};
use crate::source::walk::Walked;
use std::path::{Path, PathBuf};

/// How much of a file is read for its front matter (more only if it does not end there).
const HEAD_BYTES: u64 = 8 * 1024;

/// Reads pages for one run.
pub struct Reader<'a> {
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
        let max = self.config.max_file_bytes;
        if head_only
            && let Some(head) = read_head(&entry.path, HEAD_BYTES)
            && (head.len() < HEAD_BYTES as usize
                || frontmatter::parse(&head).problem != Some(Problem::Unterminated))
        {
            return Page::front_matter_only(
                path,
                entry.rel.clone(),
                &head,
                &self.names,
                &self.resolver,
            );
        }
        // One open; size and time from the open file, so the path is looked up once.
        let cannot_read = |e: std::io::Error| {
            Page::unreadable(
                path.clone(),
                entry.rel.clone(),
                problem(
                    format!("cannot read the file: {e}"),
                    "check the file's permissions, or exclude it in pagelint.yaml",
                ),
                None,
                &self.names,
            )
        };
        let mut file = match std::fs::File::open(&entry.path) {
            Ok(f) => f,
            Err(e) => return cannot_read(e),
        };
        let meta = match file.metadata() {
            Ok(m) => m,
            Err(e) => return cannot_read(e),
        };
        let size = meta.len();
        if size > max {
            return Page::unreadable(
                path,
                entry.rel.clone(),
                problem(
                    format!(
                        "the file is {size} bytes, more than max_file_bytes ({max}); not checked"
                    ),
                    "split the page, exclude the file, or raise `max_file_bytes` in pagelint.yaml",
                ),
                read_head(&entry.path, (64 * 1024).min(max)).as_deref(),
                &self.names,
            );
        }
        let stamp = meta
            .modified()
            .ok()
            .map(|m| (size, crate::source::cache::nanos(m)));
        let mut bytes = Vec::with_capacity(size as usize + 1);
        if let Err(e) = std::io::Read::read_to_end(&mut file, &mut bytes) {
            return cannot_read(e);
        }
        let mut page =
            Page::from_bytes(path, entry.rel.clone(), bytes, &self.names, &self.resolver);
        page.stamp = stamp;
        page.real_path =
            (Path::new(&page.path) != entry.path).then(|| entry.path.clone().into_boxed_path());
        page
    }
}

/// The first `limit` bytes of a file, as text.
fn read_head(path: &Path, limit: u64) -> Option<String> {
    use std::io::Read;
    let mut bytes = Vec::with_capacity(limit as usize);
    std::fs::File::open(path)
        .ok()?
        .take(limit)
        .read_to_end(&mut bytes)
        .ok()?;
    Some(String::from_utf8_lossy(&bytes).into_owned())
}
