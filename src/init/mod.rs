//! `pagelint init`: a first configuration, inferred from the site itself. It walks the
//! folder it is given for page files (`scan`), takes as the content root the folder holding
//! nearly all of those with front matter, reads what their fields mean (`fields`) and which
//! absolute-link hosts are the site's own (`hosts`), runs a first check with that and groups
//! the links that reached nothing into likely routes (`routes`), and writes it all as a
//! commented pagelint.yaml (`render`). Nothing here decides for the maintainer what only
//! they know: likely routes are written commented out, with their counts.

pub mod fields;
pub mod generator;
pub mod hosts;
pub mod render;
pub mod routes;
pub mod scan;
pub mod served;

use crate::config::Config;
use crate::{NoProgress, Request};
use jiff::Timestamp;
use std::collections::{BTreeSet, HashSet};
use std::path::{Path, PathBuf};

/// A field found, on how many pages, and how it was recognised (for the file's comments).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Found {
    pub name: String,
    pub pages: usize,
    pub note: String,
}

impl Found {
    pub fn new(name: &str, pages: usize, note: String) -> Found {
        Found {
            name: name.to_owned(),
            pages,
            note,
        }
    }
}

/// Everything init found.
#[derive(Debug, Clone)]
pub struct Inference {
    /// The content root, relative to the folder given, with `/` separators ("" for itself).
    pub root: String,
    /// Page files under the root with the pages' extensions, and of those, with front matter.
    pub files: usize,
    pub with_front_matter: usize,
    /// Pages with front matter in the whole folder given.
    pub all_with_front_matter: usize,
    /// The extensions of the pages, sorted.
    pub extensions: Vec<String>,
    /// Page files under the root without front matter (when the site's pages have it),
    /// relative to the root.
    pub without_front_matter: Vec<String>,
    /// Files too large to read, relative to the root.
    pub too_large: Vec<String>,
    /// Whether pages may go without front matter (most have none).
    pub front_matter_optional: bool,
    pub fields: fields::Fields,
    pub hosts: Vec<hosts::Host>,
    /// Likely routes, from the first check's unresolved links.
    pub routes: Vec<routes::Route>,
    /// Unresolved links of the first check that no route accounts for.
    pub unresolved_left: usize,
    /// Distinct files the pages load, and how many of them are not there.
    pub assets: (usize, usize),
    /// Of the `.md`/`.markdown`/`.mdx` pages, how many read as Markdown and how many hold
    /// HTML (`markdown::looks_like_markdown`).
    pub markdown_bodies: (usize, usize),
    /// What the generator's files and the folders say, for a Markdown site addressed by
    /// path; the root is then its project folder.
    pub layout: Option<generator::Layout>,
    /// Which files are pages, relative to the root.
    pub include: Vec<String>,
    /// The folder under the root the samples' paths are relative to ("" for the root).
    pub pages_dir: String,
}

/// Why init could not run.
#[derive(Debug, thiserror::Error)]
pub enum InitError {
    #[error("no page files (.html, .htm, .md, .markdown, .mdx) under {0}")]
    NoPages(PathBuf),
    #[error(transparent)]
    Run(#[from] crate::Error),
    /// The configuration init wrote does not load: a bug in init.
    #[error("the inferred configuration does not load: {0}")]
    Config(String),
}

/// Infer a configuration for the site in `dir` (its checks compare dates with `now`).
pub fn infer(dir: &Path, now: Timestamp) -> Result<Inference, InitError> {
    let candidates = scan::candidates(dir);
    if candidates.is_empty() {
        return Err(InitError::NoPages(dir.to_path_buf()));
    }
    let all_with_fm = candidates.iter().filter(|c| c.front_matter).count();
    let mut found = read_root(
        &candidates,
        scan::content_root(&candidates, scan::ROOT_SHARE),
    );
    // Pages addressed by their paths lose a folder of their URIs with each folder the root
    // goes down: then the root holds every page.
    if found.fields.uri.is_none() && found.with_fm < all_with_fm {
        found = read_root(&candidates, scan::content_root(&candidates, 100));
    }
    let layout = layout_of(&candidates, &found);
    if let Some(l) = &layout {
        let under = l.content_dir.as_ref().map_or("", |d| d.value.as_str());
        let pages_root = generator::join(&l.project, under);
        if pages_root != found.root {
            found = read_root(&candidates, pages_root);
        }
    }
    let pages_dir = layout.as_ref().map_or_else(String::new, |l| {
        scan::strip_folder(&found.root, &l.project)
            .unwrap_or_default()
            .to_owned()
    });
    let include = include_globs(&candidates, &found, layout.as_ref(), &pages_dir);
    if let Some(l) = &layout {
        found.without_front_matter = unmarked_pages(&candidates, &l.project, &include);
    }
    let RootRead {
        root,
        files,
        with_fm,
        front_matter_optional,
        extensions,
        without_front_matter,
        read,
        fields,
    } = found;
    let uri_field = fields.uri.as_ref().map(|f| f.name.as_str());
    let uris: HashSet<_> = fields::page_uris(&read.samples, uri_field)
        .into_iter()
        .collect();
    let hosts = hosts::own_hosts(&read.samples, &uris);
    let markdown_bodies = (
        read.samples
            .iter()
            .filter(|s| s.markdown == Some(true))
            .count(),
        read.samples
            .iter()
            .filter(|s| s.markdown == Some(false))
            .count(),
    );
    let mut inference = Inference {
        markdown_bodies,
        files,
        with_front_matter: with_fm,
        all_with_front_matter: all_with_fm,
        extensions,
        without_front_matter,
        too_large: read.too_large,
        front_matter_optional,
        fields,
        hosts,
        routes: Vec::new(),
        unresolved_left: 0,
        assets: (0, 0),
        root: layout.as_ref().map_or(root, |l| l.project.clone()),
        layout,
        include,
        pages_dir,
    };
    probe(&mut inference, dir, now)?;
    Ok(inference)
}

/// For a Markdown site whose pages are addressed by their paths, what its generator's files
/// and folders say (`generator::read`).
fn layout_of(candidates: &[scan::Candidate], found: &RootRead) -> Option<generator::Layout> {
    let markdown = found
        .read
        .samples
        .iter()
        .filter(|s| s.markdown == Some(true))
        .count();
    if markdown == 0 || found.fields.uri.is_some() {
        return None;
    }
    let base = candidates.first()?.base.clone();
    let folders: BTreeSet<String> = candidates
        .iter()
        .filter(|c| c.front_matter)
        .filter_map(|c| c.rel.rsplit_once('/').map(|(f, _)| f.to_owned()))
        .collect();
    let folders: Vec<String> = folders.into_iter().collect();
    generator::read(&base, &found.root, &folders)
}

/// The `include` globs: the pages' extensions under the root; for a project folder, only
/// under the folders holding pages (its README and the like are not pages).
fn include_globs(
    candidates: &[scan::Candidate],
    found: &RootRead,
    layout: Option<&generator::Layout>,
    pages_dir: &str,
) -> Vec<String> {
    let under: Vec<String> = match layout {
        Some(_) if !pages_dir.is_empty() => vec![format!("{pages_dir}/**/")],
        Some(_) => {
            let mut tops: BTreeSet<String> = BTreeSet::new();
            for c in candidates.iter().filter(|c| c.front_matter) {
                let Some(rel) = scan::strip_folder(&c.rel, &found.root) else {
                    continue;
                };
                tops.insert(match rel.split_once('/') {
                    Some((top, _)) => format!("{top}/**/"),
                    None => String::new(),
                });
            }
            tops.into_iter().collect()
        }
        None => vec!["**/".to_owned()],
    };
    under
        .iter()
        .flat_map(|u| found.extensions.iter().map(move |e| format!("{u}*.{e}")))
        .collect()
}

/// The page files under `project` that `include` takes and that have no front matter,
/// relative to it.
fn unmarked_pages(
    candidates: &[scan::Candidate],
    project: &str,
    include: &[String],
) -> Vec<String> {
    let mut set = globset::GlobSetBuilder::new();
    for g in include {
        if let Ok(g) = crate::config::glob(g) {
            set.add(g);
        }
    }
    let Ok(set) = set.build() else {
        return Vec::new();
    };
    candidates
        .iter()
        .filter(|c| !c.front_matter)
        .filter_map(|c| scan::strip_folder(&c.rel, project))
        .filter(|rel| set.is_match(rel))
        .map(str::to_owned)
        .collect()
}

/// What the pages under one candidate root say.
struct RootRead {
    root: String,
    files: usize,
    with_fm: usize,
    front_matter_optional: bool,
    extensions: Vec<String>,
    without_front_matter: Vec<String>,
    read: scan::Pages,
    fields: fields::Fields,
}

/// Read the pages under `root` and what their fields mean.
fn read_root(candidates: &[scan::Candidate], root: String) -> RootRead {
    let under: Vec<&scan::Candidate> = candidates
        .iter()
        .filter(|c| scan::strip_folder(&c.rel, &root).is_some())
        .collect();
    let with_fm = under.iter().filter(|c| c.front_matter).count();
    let front_matter_optional = with_fm * 2 < under.len();
    let extensions: BTreeSet<String> = under
        .iter()
        .filter(|c| front_matter_optional || c.front_matter)
        .filter_map(|c| scan::page_extension(Path::new(&c.rel)))
        .collect();
    let without_front_matter = if front_matter_optional {
        Vec::new()
    } else {
        under
            .iter()
            .filter(|c| !c.front_matter)
            .filter(|c| {
                scan::page_extension(Path::new(&c.rel)).is_some_and(|e| extensions.contains(&e))
            })
            .filter_map(|c| scan::strip_folder(&c.rel, &root).map(str::to_owned))
            .collect()
    };
    let read = scan::read(candidates, &root, front_matter_optional);
    let fields = fields::infer(&read.samples);
    RootRead {
        files: under.len(),
        with_fm,
        front_matter_optional,
        extensions: extensions.into_iter().collect(),
        without_front_matter,
        read,
        fields,
        root,
    }
}

/// The first check, with what was inferred so far: its unresolved links become the likely
/// routes, and its assets say whether the pages' files are under the root.
fn probe(inference: &mut Inference, dir: &Path, now: Timestamp) -> Result<(), InitError> {
    let text = render::config(inference);
    let config = Config::parse(&text, "pagelint.yaml").map_err(|e| InitError::Config(e.message))?;
    let root = content_root_path(dir, &inference.root);
    let request = Request {
        config: &config,
        root: root.clone(),
        selected: Vec::new(),
        now,
        progress: &NoProgress,
        cache: false,
    };
    let (report, site) = crate::index(&request)?;
    let unresolved: Vec<routes::Unresolved> = report
        .diagnostics
        .iter()
        .filter(|d| matches!(d.rule, "broken-link" | "missing-asset"))
        .filter_map(|d| {
            Some(routes::Unresolved {
                uri: d
                    .target
                    .as_deref()
                    .filter(|t| t.starts_with('/'))?
                    .to_owned(),
                page: d.path.to_string(),
                suggested: d.repair.is_some(),
            })
        })
        .collect();
    let pages: HashSet<String> = site.pages.iter().map(|p| p.uri.to_string()).collect();
    inference.routes = routes::group(&unresolved, &pages);
    let grouped: usize = inference.routes.iter().map(|r| r.links).sum();
    inference.unresolved_left = unresolved.len() - grouped.min(unresolved.len());
    let missing = site
        .assets
        .values()
        .filter(|a| **a != crate::site::AssetCheck::Found)
        .count();
    inference.assets = (site.assets.len(), missing);
    Ok(())
}

/// The content root as a path: `dir` joined with `root` (relative to it).
pub fn content_root_path(dir: &Path, root: &str) -> PathBuf {
    if root.is_empty() {
        dir.to_path_buf()
    } else {
        dir.join(root)
    }
}

/// The content root as the config writes it, relative to the config's folder.
pub fn root_key(root: &str) -> &str {
    if root.is_empty() { "." } else { root }
}
