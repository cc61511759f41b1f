//! What the site's generator says about how it serves the pages, from its own files where
//! they are inside the folder init was given: Hugo (`hugo.toml`, a `config.toml` with Hugo's
//! keys), Jekyll (`_config.yml`), Docusaurus (`docusaurus.config.*`), Next.js
//! (`next.config.*`), Astro (`astro.config.*`), and `package.json`'s dependencies. From them:
//! the folder the site is built from (the project), the folder under it whose paths are the
//! URLs (`content_dir`), how headings get ids, where static files are served from, the
//! redirects file, and the locales (folders named by locale codes). Each finding keeps the
//! evidence it came from, for the config's comments; what conflicts is kept as a conflict.
//! Every file is read through `read_head_inside`, within `HEAD_BYTES`.

use crate::parse::slug::HeadingIds;
use std::collections::BTreeSet;
use std::path::Path;

/// How much of a generator's file is read.
const HEAD_BYTES: u64 = 64 * 1024;

/// A generator, as its files name it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Generator {
    Hugo,
    Jekyll,
    Docusaurus,
    Next,
    Astro,
}

impl Generator {
    pub fn name(self) -> &'static str {
        match self {
            Generator::Hugo => "Hugo",
            Generator::Jekyll => "Jekyll",
            Generator::Docusaurus => "Docusaurus",
            Generator::Next => "Next.js",
            Generator::Astro => "Astro",
        }
    }
}

/// A value and the evidence for it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Evidenced<T> {
    pub value: T,
    pub why: String,
}

fn evidenced<T>(value: T, why: String) -> Evidenced<T> {
    Evidenced { value, why }
}

/// The site's locales: folders named by locale codes holding its pages.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LocaleFolders {
    pub default: String,
    pub all: Vec<String>,
    /// Whether the default locale's pages are served under its prefix (`None`: nothing says).
    pub prefix_default: Option<bool>,
    pub why: String,
}

/// What the generator's files and the folders say.
#[derive(Debug, Clone, Default)]
pub struct Layout {
    /// The generators found, with the file that names each.
    pub generators: Vec<Evidenced<Generator>>,
    /// The folder the site is built from, relative to the folder given ("" for itself).
    pub project: String,
    /// The folder under `project` whose paths are the URLs (`None`: `project` itself).
    pub content_dir: Option<Evidenced<String>>,
    /// How headings get ids; `Err`: what conflicts, or why nothing says.
    pub heading_ids: Option<Result<Evidenced<HeadingIds>, String>>,
    /// URL prefix → folder under `project` that the server serves as files.
    pub static_dirs: Vec<(String, Evidenced<String>)>,
    /// The redirects file under `project`, and its format's name in the config.
    pub redirects: Option<(Evidenced<String>, &'static str)>,
    /// Whether the redirects file's sources start with `/:locale` (Next.js's i18n redirects).
    pub locale_placeholder: bool,
    /// Redirects files pagelint does not read, with what they are.
    pub unread_redirects: Vec<String>,
    /// Jekyll's `permalink:` pattern (posts' URLs), which pagelint does not model.
    pub permalink_pattern: Option<String>,
    pub locales: Option<LocaleFolders>,
    /// Whether the generator renders only files with front matter (Jekyll).
    pub front_matter_only: bool,
}

/// The text of `rel` (relative to `base`, canonical), when it is a file inside it.
fn head(base: &Path, rel: &str) -> Option<String> {
    let bytes = crate::source::open::read_head_inside(base, Path::new(rel), HEAD_BYTES).ok()?;
    Some(String::from_utf8_lossy(&bytes).into_owned())
}

/// Whether `rel` is a folder inside `base` (not a symlink).
fn is_dir(base: &Path, rel: &str) -> bool {
    std::fs::symlink_metadata(base.join(rel)).is_ok_and(|m| m.file_type().is_dir())
}

/// `folder/name`, or `name` when `folder` is "".
pub fn join(folder: &str, name: &str) -> String {
    if folder.is_empty() {
        name.to_owned()
    } else {
        format!("{folder}/{name}")
    }
}

/// Whether `name` is written as a locale code (`en`, `pt-br`, `zh-CN`, `es_419`).
pub fn is_locale_code(name: &str) -> bool {
    let mut parts = name.splitn(2, ['-', '_']);
    let lang = parts.next().unwrap_or("");
    let lang_ok = lang.len() == 2 && lang.bytes().all(|b| b.is_ascii_lowercase());
    let region_ok = parts
        .next()
        .is_none_or(|r| (2..=4).contains(&r.len()) && r.bytes().all(|b| b.is_ascii_alphanumeric()));
    lang_ok && region_ok
}

/// A top-level `key = value` or `key: value` of a TOML or YAML file, unquoted (the first).
fn setting(text: &str, key: &str) -> Option<String> {
    text.lines().find_map(|line| {
        let rest = line.strip_prefix(key)?;
        let rest = rest.trim_start();
        let rest = rest.strip_prefix('=').or_else(|| rest.strip_prefix(':'))?;
        let value = rest.split(" #").next().unwrap_or(rest).trim();
        Some(value.trim_matches(['"', '\'']).to_owned())
    })
}

/// The generators whose files are in `folder`, with what each file said.
struct Found {
    generator: Generator,
    file: String,
    text: String,
}

fn generators_in(base: &Path, folder: &str) -> Vec<Found> {
    let mut found = Vec::new();
    let mut add = |generator, name: &str, text: String| {
        found.push(Found {
            generator,
            file: join(folder, name),
            text,
        });
    };
    for name in ["hugo.toml", "hugo.yaml", "hugo.json"] {
        if let Some(text) = head(base, &join(folder, name)) {
            add(Generator::Hugo, name, text);
        }
    }
    for name in ["config.toml", "config.yaml"] {
        if let Some(text) = head(base, &join(folder, name)) {
            let hugo = ["baseURL", "contentDir", "defaultContentLanguage", "[markup"]
                .iter()
                .any(|k| text.contains(k));
            if hugo {
                add(Generator::Hugo, name, text);
            }
        }
    }
    if let Some(text) = head(base, &join(folder, "_config.yml")) {
        add(Generator::Jekyll, "_config.yml", text);
    }
    let configs = [
        ("docusaurus.config", Generator::Docusaurus),
        ("next.config", Generator::Next),
        ("astro.config", Generator::Astro),
    ];
    for (stem, generator) in configs {
        for ext in ["js", "mjs", "cjs", "ts", "mts"] {
            let name = format!("{stem}.{ext}");
            if let Some(text) = head(base, &join(folder, &name)) {
                add(generator, &name, text);
                break;
            }
        }
    }
    if let Some(text) = head(base, &join(folder, "package.json")) {
        let deps = package_dependencies(&text);
        for (dep, generator) in [
            ("@docusaurus/core", Generator::Docusaurus),
            ("next", Generator::Next),
            ("astro", Generator::Astro),
        ] {
            if deps.contains(dep) {
                add(generator, "package.json", text.clone());
            }
        }
    }
    found
}

/// The names of `package.json`'s `dependencies` and `devDependencies`.
fn package_dependencies(text: &str) -> BTreeSet<String> {
    let Ok(serde_json::Value::Object(map)) = serde_json::from_str(text) else {
        return BTreeSet::new();
    };
    ["dependencies", "devDependencies"]
        .iter()
        .filter_map(|k| map.get(*k)?.as_object())
        .flat_map(|deps| deps.keys().cloned())
        .collect()
}

/// Read the layout of the site whose pages are under `content` (relative to `base`, the
/// folder given, canonical; `page_folders`: the folders holding its pages, relative to
/// `base`): the generator's files are looked for in `content` and each folder above it up
/// to `base`, never outside it. `None` when nothing there says anything.
pub fn read(base: &Path, content: &str, page_folders: &[String]) -> Option<Layout> {
    let mut chain = vec![String::new()];
    let mut at = String::new();
    for segment in content.split('/').filter(|s| !s.is_empty()) {
        at = join(&at, segment);
        chain.push(at.clone());
    }
    // The deepest folder holding a generator's file is the project.
    let (project, found) = chain
        .iter()
        .rev()
        .map(|f| (f.clone(), generators_in(base, f)))
        .find(|(_, g)| !g.is_empty())
        .unwrap_or_default();
    let mut layout = Layout::default();
    let mut kinds: Vec<Generator> = found.iter().map(|f| f.generator).collect();
    kinds.sort();
    kinds.dedup();
    for f in &found {
        if !layout.generators.iter().any(|g| g.value == f.generator) {
            layout
                .generators
                .push(evidenced(f.generator, f.file.clone()));
        }
    }
    // Without a generator's file, a folder of pages beside `public/` is laid out as Next.js
    // lays a site out (pages/ served from /, public/ as files).
    let project = if found.is_empty() {
        let next_like = chain.iter().rev().find(|f| {
            content
                .strip_prefix(f.as_str())
                .map(|r| r.trim_start_matches('/'))
                .is_some_and(|r| r == "pages" || r.starts_with("pages/"))
                && is_dir(base, &join(f, "public"))
        });
        match next_like {
            Some(f) => {
                layout.generators.push(evidenced(
                    Generator::Next,
                    format!(
                        "no generator's file, but {} beside {}, as Next.js lays a site out",
                        join(f, "public/"),
                        join(f, "pages/")
                    ),
                ));
                kinds.push(Generator::Next);
                f.clone()
            }
            None => return None,
        }
    } else {
        project
    };
    layout.project = project.clone();
    let rel_content = content
        .strip_prefix(project.as_str())
        .unwrap_or(content)
        .trim_start_matches('/')
        .to_owned();
    let text_of = |g: Generator| {
        found
            .iter()
            .find(|f| f.generator == g && !f.file.ends_with("package.json"))
    };
    let only = |g: Generator| kinds == [g];
    // Where the URLs' paths start.
    let content_dir = if only(Generator::Hugo) {
        let configured = text_of(Generator::Hugo).and_then(|f| setting(&f.text, "contentDir"));
        let dir = configured.clone().unwrap_or_else(|| "content".to_owned());
        let why = match configured {
            Some(_) => "Hugo's `contentDir`".to_owned(),
            None => "Hugo's default `contentDir`".to_owned(),
        };
        Some(evidenced(dir, why))
    } else if only(Generator::Next) {
        ["pages", "src/pages"]
            .into_iter()
            .find(|d| rel_content == *d || rel_content.starts_with(&format!("{d}/")))
            .map(|d| evidenced(d.to_owned(), format!("Next.js serves {d}/ at `/`")))
    } else if only(Generator::Astro) {
        (rel_content == "src/pages" || rel_content.starts_with("src/pages/")).then(|| {
            evidenced(
                "src/pages".to_owned(),
                "Astro serves src/pages/ at `/`".into(),
            )
        })
    } else {
        None
    };
    layout.content_dir = content_dir;
    layout.heading_ids = Some(heading_ids(&found, &kinds, text_of(Generator::Jekyll)));
    // Static files.
    let statics: &[(&str, &str)] = match kinds.as_slice() {
        [Generator::Hugo] => &[("static", "Hugo copies static/ to the site's root")],
        [Generator::Docusaurus] => &[("static", "Docusaurus serves static/ at `/`")],
        [Generator::Next] => &[("public", "Next.js serves public/ at `/`")],
        [Generator::Astro] => &[("public", "Astro serves public/ at `/`")],
        _ => &[],
    };
    for (folder, why) in statics {
        if is_dir(base, &join(&project, folder)) {
            layout.static_dirs.push((
                "/".to_owned(),
                evidenced((*folder).to_owned(), (*why).to_owned()),
            ));
        }
    }
    // Redirects files, beside the project's files or among its static files.
    let mut places = vec![String::new()];
    places.extend(layout.static_dirs.iter().map(|(_, d)| d.value.clone()));
    for place in &places {
        for (name, format, what) in [
            ("_redirects", Some("netlify"), "Netlify's `_redirects`"),
            ("redirects.json", Some("json"), "Next.js redirects JSON"),
            ("vercel.json", Some("json"), "Vercel's `redirects`"),
            ("netlify.toml", None, "Netlify's `[[redirects]]` in TOML"),
        ] {
            let rel = join(place, name);
            let Some(text) = head(base, &join(&project, &rel)) else {
                continue;
            };
            match format {
                Some(_) if name == "vercel.json" && !text.contains("\"redirects\"") => {}
                Some(format) if layout.redirects.is_none() => {
                    layout.locale_placeholder = text.contains("\"/:locale/");
                    layout.redirects = Some((evidenced(rel, what.to_owned()), format));
                }
                Some(_) => layout
                    .unread_redirects
                    .push(format!("{rel} ({what}; only one redirects file is read)")),
                None if text.contains("[[redirects]]") => layout
                    .unread_redirects
                    .push(format!("{rel} ({what}, which pagelint does not read)")),
                None => {}
            }
        }
    }
    if let Some(j) = text_of(Generator::Jekyll) {
        layout.permalink_pattern = setting(&j.text, "permalink");
        layout.front_matter_only = only(Generator::Jekyll);
    }
    layout.locales = locales(&layout, page_folders, text_of(Generator::Hugo));
    Some(layout)
}

/// How headings get ids, by the generators found.
fn heading_ids(
    found: &[Found],
    kinds: &[Generator],
    jekyll: Option<&Found>,
) -> Result<Evidenced<HeadingIds>, String> {
    let mut ids: Vec<(HeadingIds, String)> = Vec::new();
    for g in kinds {
        let file = found
            .iter()
            .find(|f| f.generator == *g && !f.file.ends_with("package.json"))
            .or_else(|| found.iter().find(|f| f.generator == *g))
            .map_or_else(String::new, |f| f.file.clone());
        let said = match g {
            Generator::Hugo => {
                let text = found
                    .iter()
                    .find(|f| f.generator == *g)
                    .map_or("", |f| f.text.as_str());
                match text
                    .lines()
                    .find_map(|l| setting(l.trim_start(), "autoHeadingIDType"))
                    .as_deref()
                {
                    None | Some("github") => (
                        HeadingIds::Goldmark,
                        format!("Hugo ({file}): Goldmark's heading ids"),
                    ),
                    Some(other) => {
                        return Err(format!(
                            "Hugo's autoHeadingIDType is `{other}` ({file}), which pagelint \
                             does not make"
                        ));
                    }
                }
            }
            Generator::Jekyll => {
                let markdown = jekyll.and_then(|j| setting(&j.text, "markdown"));
                match markdown.as_deref() {
                    None | Some("kramdown") => (
                        HeadingIds::Kramdown,
                        format!(
                            "Jekyll ({file}) renders with kramdown{}",
                            if markdown.is_none() {
                                " (its default)"
                            } else {
                                ""
                            }
                        ),
                    ),
                    Some(other) => {
                        return Err(format!(
                            "Jekyll's `markdown: {other}` ({file}): pagelint knows kramdown's \
                             heading ids, not this renderer's"
                        ));
                    }
                }
            }
            Generator::Docusaurus | Generator::Astro => (
                HeadingIds::Github,
                format!("{} ({file}) makes GitHub's heading ids", g.name()),
            ),
            Generator::Next => {
                let slugger = found
                    .iter()
                    .find(|f| f.file.ends_with("package.json"))
                    .map(|f| package_dependencies(&f.text))
                    .and_then(|d| {
                        ["rehype-slug", "remark-slug"]
                            .into_iter()
                            .find(|s| d.contains(*s))
                    });
                match slugger {
                    Some(s) => (
                        HeadingIds::Github,
                        format!("Next.js with {s} (package.json): GitHub's heading ids"),
                    ),
                    None => {
                        return Err(format!(
                            "Next.js gives headings ids only through a plugin (rehype-slug), \
                             and {}",
                            if file.is_empty() {
                                "no package.json lists one"
                            } else {
                                "package.json lists none"
                            }
                        ));
                    }
                }
            }
        };
        ids.push(said);
    }
    let mut distinct: Vec<HeadingIds> = ids.iter().map(|i| i.0).collect();
    distinct.dedup();
    match (distinct.len(), ids.into_iter().next()) {
        (1, Some((id, why))) => Ok(evidenced(id, why)),
        (0, _) => Err("no generator's file says how headings get ids".to_owned()),
        _ => Err(format!(
            "the generators' files disagree ({})",
            kinds
                .iter()
                .map(|g| g.name())
                .collect::<Vec<_>>()
                .join(", ")
        )),
    }
}

/// Locales from folder names: the content folder itself named by a locale (`pages/en`), or
/// every folder of pages right under the content dir named so (`content/en`, `content/fr`).
fn locales(
    layout: &Layout,
    page_folders: &[String],
    hugo: Option<&Found>,
) -> Option<LocaleFolders> {
    let dir = layout.content_dir.as_ref().map_or("", |d| d.value.as_str());
    let under_dir = join(&layout.project, dir);
    // The first folder under the content dir of each page folder (relative to the folder
    // given).
    let firsts: BTreeSet<&str> = page_folders
        .iter()
        .filter_map(|f| crate::init::scan::strip_folder(f, under_dir.trim_end_matches('/')))
        .filter_map(|f| f.split('/').next())
        .filter(|f| !f.is_empty())
        .collect();
    if firsts.is_empty() || !firsts.iter().all(|f| is_locale_code(f)) {
        return None;
    }
    let all: Vec<String> = firsts.iter().map(|f| (*f).to_owned()).collect();
    let configured = hugo.and_then(|h| setting(&h.text, "defaultContentLanguage"));
    let (default, why_default) = match configured {
        Some(d) if all.contains(&d) => (d, "Hugo's `defaultContentLanguage`".to_owned()),
        _ if all.iter().any(|a| a == "en") => ("en".to_owned(), "`en` is among them".to_owned()),
        _ => (
            all[0].clone(),
            "the first of them; nothing says which".to_owned(),
        ),
    };
    let prefix_default = match hugo {
        Some(h) => {
            Some(setting(&h.text, "defaultContentLanguageInSubdir").as_deref() == Some("true"))
        }
        None if layout.generators.iter().any(|g| g.value == Generator::Next) => Some(true),
        None => None,
    };
    let under = if dir.is_empty() {
        "the root".to_owned()
    } else {
        format!("{dir}/")
    };
    Some(LocaleFolders {
        why: format!(
            "the folders of pages under {under} are named by locale codes ({}); the default: {why_default}",
            all.join(", ")
        ),
        default,
        all,
        prefix_default,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locale_codes_are_two_letters_and_an_optional_region() {
        for yes in ["en", "pt-br", "zh-CN", "es_419", "sr-latn"] {
            assert!(is_locale_code(yes), "{yes}");
        }
        for no in ["blog", "api", "EN", "e", "en-", "docs", "en-verylong"] {
            assert!(!is_locale_code(no), "{no}");
        }
    }

    #[test]
    fn settings_are_read_from_toml_and_yaml_lines() {
        assert_eq!(
            setting(
                "baseURL = 'x'\ncontentDir = \"site\" # here\n",
                "contentDir"
            )
            .as_deref(),
            Some("site")
        );
        assert_eq!(
            setting("markdown: kramdown\npermalink: /:title/\n", "permalink").as_deref(),
            Some("/:title/")
        );
        assert_eq!(setting("contentDirX = 1\n", "contentDir"), None);
    }
}
