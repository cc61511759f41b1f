//! What `pagelint init` reads: a walk of the folder it is given for page files (never
//! following a symlink, skipping hidden folders, `target/` and `node_modules/`), the choice of
//! the content root among its folders, and each page read once, within a size bound, into a
//! `Sample` — its front-matter fields, its ids, whether its body is empty, and its hrefs.

use crate::parse::frontmatter;
use crate::parse::html;
use crate::parse::page::is_blank_html;
use crate::source::walk::{SKIPPED_DIRS, relative};
use rayon::prelude::*;
use serde_yaml::Value;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use walkdir::WalkDir;

/// The extensions of files that may be pages (the default `include`, and two more that
/// Markdown sites use).
pub const PAGE_EXTENSIONS: [&str; 5] = ["html", "htm", "md", "markdown", "mdx"];

/// The extensions pagelint reads without an `include` in the config.
pub const DEFAULT_EXTENSIONS: [&str; 3] = ["html", "htm", "md"];

/// Files larger than this are not read (pagelint's own default `limits.file_bytes`).
pub const MAX_FILE_BYTES: u64 = 16 * 1024 * 1024;

/// How much of a file is read to see whether it starts with front matter.
const HEAD_BYTES: u64 = 1024;

/// The share of the pages a folder must hold for init to take it as the content root (or
/// to go down into it), in percent.
pub const ROOT_SHARE: usize = 90;

/// A file that may be a page.
#[derive(Debug, Clone)]
pub struct Candidate {
    /// Relative to the folder init was given, with `/` separators.
    pub rel: String,
    /// The folder init was given, canonical: the file is read as `source::open` reads a page
    /// of the content root, by its path relative to it (`rel_path`).
    pub base: Arc<Path>,
    /// `rel` as the file system names it (`rel` is shown text).
    pub rel_path: PathBuf,
    /// Whether the file starts with a `---` line.
    pub front_matter: bool,
}

/// The page files under `dir`, sorted by path. Symlinks are never followed; each file is
/// opened as `source::open` opens a page (inside `dir`, no symlink, no FIFO or device).
pub fn candidates(dir: &Path) -> Vec<Candidate> {
    let Ok(base) = dir.canonicalize() else {
        return Vec::new();
    };
    let base: Arc<Path> = base.into();
    let walker = WalkDir::new(&base)
        .follow_links(false)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| {
            let name = e.file_name().to_string_lossy();
            e.depth() == 0
                || !(name.starts_with('.')
                    || (e.file_type().is_dir() && SKIPPED_DIRS.contains(&name.as_ref())))
        });
    let files: Vec<(String, PathBuf)> = walker
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file() && page_extension(e.path()).is_some())
        .filter_map(|e| {
            let rel_path = e.path().strip_prefix(&base).ok()?.to_path_buf();
            Some((relative(&base, e.path()), rel_path))
        })
        .collect();
    files
        .into_par_iter()
        .map(|(rel, rel_path)| Candidate {
            front_matter: read_bounded(&base, &rel_path, HEAD_BYTES)
                .is_some_and(|t| starts_front_matter(&t)),
            rel,
            base: base.clone(),
            rel_path,
        })
        .collect()
}

/// The extension of a page file, lower-cased, when it is one of `PAGE_EXTENSIONS`.
pub fn page_extension(path: &Path) -> Option<String> {
    let ext = path.extension()?.to_str()?.to_ascii_lowercase();
    PAGE_EXTENSIONS.contains(&ext.as_str()).then_some(ext)
}

fn starts_front_matter(text: &str) -> bool {
    let text = text.strip_prefix('\u{FEFF}').unwrap_or(text);
    text.lines().next().is_some_and(|l| l.trim_end() == "---")
}

/// The content root, relative to the folder given ("" for that folder itself): from there,
/// go down into the one sub-folder that holds at least `share` percent of the pages with
/// front matter (of all page files, when none has front matter) while there is one.
pub fn content_root(candidates: &[Candidate], share: usize) -> String {
    let with_fm: Vec<&str> = candidates
        .iter()
        .filter(|c| c.front_matter)
        .map(|c| c.rel.as_str())
        .collect();
    let pages: Vec<&str> = if with_fm.is_empty() {
        candidates.iter().map(|c| c.rel.as_str()).collect()
    } else {
        with_fm
    };
    let mut root = String::new();
    loop {
        let under: Vec<&str> = pages
            .iter()
            .filter_map(|p| strip_folder(p, &root))
            .collect();
        let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
        for rel in &under {
            if let Some((first, _)) = rel.split_once('/') {
                *counts.entry(first).or_default() += 1;
            }
        }
        let best = counts
            .into_iter()
            .max_by(|a, b| a.1.cmp(&b.1).then(b.0.cmp(a.0)));
        match best {
            Some((folder, n)) if !under.is_empty() && n * 100 >= under.len() * share => {
                root = if root.is_empty() {
                    folder.to_owned()
                } else {
                    format!("{root}/{folder}")
                };
            }
            _ => return root,
        }
    }
}

/// `rel` relative to `folder` (both relative to the same place), when it lies under it.
pub fn strip_folder<'a>(rel: &'a str, folder: &str) -> Option<&'a str> {
    if folder.is_empty() {
        return Some(rel);
    }
    rel.strip_prefix(folder)?.strip_prefix('/')
}

/// One page as init sees it.
#[derive(Debug, Clone, Default)]
pub struct Sample {
    /// Relative to the content root, with `/` separators.
    pub rel: String,
    /// The front-matter fields, when the front matter was read without a problem.
    pub fields: Option<BTreeMap<String, Value>>,
    /// The body's element ids and anchor names, sorted and distinct.
    pub anchors: Vec<String>,
    /// Whether the body holds nothing but whitespace and comments.
    pub body_empty: bool,
    /// The hrefs of the body's `a` and `area` elements (and Markdown links), decoded, as
    /// written.
    pub hrefs: Vec<String>,
    /// For a `.md`, `.markdown` or `.mdx` file, whether its body reads as Markdown (`None`:
    /// another extension, or a body too plain to tell).
    pub markdown: Option<bool>,
}

impl Sample {
    /// Read a page from its text.
    pub fn from_text(rel: String, text: &str) -> Sample {
        let fm = frontmatter::parse(text);
        let reader = crate::parse::body::BodyOptions::default();
        let markdown = match reader.syntax(&rel) {
            crate::parse::body::Syntax::Html => None,
            _ => crate::parse::markdown::looks_like_markdown(text, fm.body_start),
        };
        // Read as the site would be checked: Markdown where it is, else HTML.
        let body = match markdown {
            Some(true) => reader.scan(&rel, text, fm.body_start),
            _ => html::scan(text, fm.body_start),
        };
        let mut anchors = body.anchors;
        anchors.sort_unstable();
        anchors.dedup();
        Sample {
            markdown,
            rel,
            fields: fm
                .problem
                .is_none()
                .then(|| fm.fields.into_iter().map(|(k, f)| (k, f.value)).collect()),
            anchors,
            body_empty: is_blank_html(&text[fm.body_start.min(text.len())..]),
            hrefs: body
                .links
                .into_iter()
                .filter(|l| !l.source.loads_asset())
                .map(|l| l.href)
                .collect(),
        }
    }

    /// A field's value, when the page has it and it is not blank.
    pub fn field(&self, name: &str) -> Option<&Value> {
        let v = self.fields.as_ref()?.get(name)?;
        let blank = match v {
            Value::Null => true,
            Value::String(s) => s.trim().is_empty(),
            Value::Sequence(s) => s.is_empty(),
            Value::Mapping(m) => m.is_empty(),
            _ => false,
        };
        (!blank).then_some(v)
    }

    /// A field's value as trimmed text, when it is a non-blank scalar.
    pub fn text(&self, name: &str) -> Option<String> {
        frontmatter::scalar_text(self.field(name)?)
            .map(|s| s.trim().to_owned())
            .filter(|s| !s.is_empty())
    }
}

/// What reading the pages found: the pages, and the files too large to read.
pub struct Pages {
    pub samples: Vec<Sample>,
    pub too_large: Vec<String>,
}

/// Read the candidates under `root` (relative to the folder given) that hold pages: those
/// with front matter, or every one when `all`.
pub fn read(candidates: &[Candidate], root: &str, all: bool) -> Pages {
    let found: Vec<Result<Sample, String>> = candidates
        .par_iter()
        .filter(|c| all || c.front_matter)
        .filter_map(|c| Some((c, strip_folder(&c.rel, root)?)))
        .map(
            |(c, rel)| match read_bounded(&c.base, &c.rel_path, MAX_FILE_BYTES + 1) {
                Some(text) if text.len() as u64 <= MAX_FILE_BYTES => {
                    Ok(Sample::from_text(rel.to_owned(), &text))
                }
                _ => Err(rel.to_owned()),
            },
        )
        .collect();
    let mut read = Pages {
        samples: Vec::new(),
        too_large: Vec::new(),
    };
    for f in found {
        match f {
            Ok(s) => read.samples.push(s),
            Err(rel) => read.too_large.push(rel),
        }
    }
    read
}

/// At most `limit` bytes of the file at `rel` inside `base` (canonical), as text (invalid
/// UTF-8 replaced); `None` when it cannot be read (`source::open`: a symlink out of `base`, a
/// FIFO, a device, gone).
fn read_bounded(base: &Path, rel: &Path, limit: u64) -> Option<String> {
    let bytes = crate::source::open::read_head_inside(base, rel, limit).ok()?;
    Some(match String::from_utf8(bytes) {
        Ok(s) => s,
        Err(e) => String::from_utf8_lossy(e.as_bytes()).into_owned(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `f()` in a thread, or `None` when it takes more than five seconds (a hang).
    #[cfg(unix)]
    fn within_seconds<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> Option<T> {
        let (send, receive) = std::sync::mpsc::channel();
        std::thread::spawn(move || send.send(f()));
        receive.recv_timeout(std::time::Duration::from_secs(5)).ok()
    }

    #[cfg(unix)]
    #[test]
    fn a_candidate_that_became_a_fifo_or_a_symlink_out_is_not_read() {
        let dir = tempfile::tempdir().expect("tempdir");
        let base = dir.path().canonicalize().expect("canonical");
        let site = base.join("site");
        std::fs::create_dir_all(&site).expect("mkdir");
        std::fs::write(base.join("secret.html"), "---\nuri: /SECRET\n---\n").expect("write");
        let page = "---\nuri: /a\n---\n";
        for name in ["a.html", "fifo.html", "out.html"] {
            std::fs::write(site.join(name), page).expect("write");
        }
        let found = candidates(&site);
        assert_eq!(found.len(), 3);
        assert!(found.iter().all(|c| c.front_matter));
        // Swapped after the walk: a FIFO (opening it would wait for a writer) and a symlink
        // to a file outside the folder.
        std::fs::remove_file(site.join("fifo.html")).expect("rm");
        rustix::fs::mkfifoat(rustix::fs::CWD, site.join("fifo.html"), 0o600.into())
            .expect("mkfifo");
        std::fs::remove_file(site.join("out.html")).expect("rm");
        std::os::unix::fs::symlink("../secret.html", site.join("out.html")).expect("symlink");
        let read = within_seconds(move || read(&found, "", true)).expect("no hang");
        let uris: Vec<_> = read
            .samples
            .iter()
            .map(|s| (s.rel.clone(), s.text("uri")))
            .collect();
        assert_eq!(uris, vec![("a.html".to_owned(), Some("/a".to_owned()))]);
        let again = within_seconds(move || candidates(&site)).expect("no hang");
        assert_eq!(again.len(), 1, "{again:?}");
    }

    fn cand(rel: &str, front_matter: bool) -> Candidate {
        Candidate {
            rel: rel.into(),
            base: Path::new("").into(),
            rel_path: PathBuf::from(rel),
            front_matter,
        }
    }

    #[test]
    fn the_root_is_the_folder_holding_nearly_every_page() {
        let mut c = vec![cand("README.md", false), cand("docs/notes.md", false)];
        for i in 0..20 {
            c.push(cand(&format!("data/markdown/content/p{i}.md"), true));
        }
        assert_eq!(content_root(&c, ROOT_SHARE), "data/markdown/content");
        // A home page beside the sections keeps the root where it is.
        let mut c = vec![cand("index.html", true)];
        for s in ["a", "b", "c"] {
            c.push(cand(&format!("{s}/index.html"), true));
        }
        assert_eq!(content_root(&c, ROOT_SHARE), "");
        // Without front matter anywhere, every page file counts.
        let c = vec![cand("site/a.html", false), cand("site/b/c.html", false)];
        assert_eq!(content_root(&c, ROOT_SHARE), "site");
    }

    #[test]
    fn samples_keep_fields_ids_and_hrefs() {
        let s = Sample::from_text(
            "a.md".into(),
            "---\nid: a\nuri: x/a\n---\n<h2 id=\"s\">S</h2><a href=\"/x/b\">b</a><img src=\"/i.png\">",
        );
        assert_eq!(s.text("uri").as_deref(), Some("x/a"));
        assert_eq!(s.anchors, vec!["s".to_owned()]);
        assert_eq!(s.hrefs, vec!["/x/b".to_owned()]);
        assert!(!s.body_empty);
        let s = Sample::from_text("b.md".into(), "---\nid: [\n---\n<!-- -->\n");
        assert!(s.fields.is_none());
        assert!(s.body_empty);
    }
}
