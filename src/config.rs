//! pagelint.yaml: finding it, reading it, validating it against the rule pack.
//!
//! Every mistake in the file is an error that points into it (exit 2): unknown keys, unknown
//! rule ids, unknown or mistyped rule parameters, bad globs and bad severities.

use crate::diagnostic::Severity;
use crate::parse::limits::Limits;
use crate::parse::locale::Locales;
use crate::parse::yaml_scan::{self, Flow};
use crate::rules::table::{RuleChange, RuleTable};
use crate::rules::{self, Params};
use crate::site::settings::{
    FrontMatterPolicy, RedirectsFormat, SiteSettings, TrailingSlash, UriFrom,
};
use globset::{Glob, GlobBuilder, GlobSet, GlobSetBuilder};
use miette::{NamedSource, SourceSpan};
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

pub const FILE_NAME: &str = "pagelint.yaml";

/// The largest `max_file_bytes`: offsets in a page are 32-bit, and a page that is not UTF-8
/// reads as up to three times its size (each bad byte becomes U+FFFD), so 1 GiB keeps every
/// offset exact.
pub const MAX_FILE_BYTES_CAP: u64 = 1 << 30;

/// The file as written.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, default)]
struct RawConfig {
    root: Option<PathBuf>,
    include: Option<Vec<String>>,
    exclude: Vec<String>,
    /// The old name of `limits.file_bytes`, still read.
    max_file_bytes: Option<u64>,
    limits: Option<serde_yaml::Value>,
    site: RawSite,
    required_fields: Option<Vec<String>>,
    rules: BTreeMap<String, RawSetting>,
    overrides: Vec<RawOverride>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, default)]
struct RawSite {
    uri_field: Option<String>,
    id_field: Option<String>,
    hosts: Vec<String>,
    ignore_links: Vec<String>,
    page_suffixes: Vec<String>,
    link_fields: Vec<String>,
    toc_field: Option<String>,
    redirect_field: Option<String>,
    redirects_file: Option<String>,
    base_path: Option<String>,
    case_insensitive: bool,
    trailing_slash: TrailingSlash,
    static_dirs: BTreeMap<String, String>,
    front_matter: FrontMatterPolicy,
    uri_from: UriFrom,
    content_dir: Option<String>,
    permalink_field: Option<String>,
    locales: Option<Locales>,
    redirects_format: RedirectsFormat,
    redirects_trailing_slash: crate::site::redirect::SourceSlash,
    alias_fields: Vec<String>,
    routes: Vec<String>,
    author_fields: Option<Vec<String>>,
    updated_fields: Option<Vec<String>>,
    created_fields: Option<Vec<String>>,
    body: RawBody,
    heading_ids: crate::parse::slug::HeadingIds,
    link_attributes: crate::parse::markdown::LinkAttributes,
    raw_html: crate::parse::body::RawHtml,
}

/// `site.body`: one kind for every page, or a default and kinds by path glob.
#[derive(Debug, Deserialize)]
#[serde(untagged)]
enum RawBody {
    Kind(crate::parse::body::BodyKind),
    ByPath {
        #[serde(default)]
        default: crate::parse::body::BodyKind,
        paths: serde_yaml::Mapping,
    },
}

impl Default for RawBody {
    fn default() -> Self {
        RawBody::Kind(crate::parse::body::BodyKind::default())
    }
}

#[derive(Debug, Deserialize)]
#[serde(untagged)]
enum RawSetting {
    Level(String),
    Table(BTreeMap<String, serde_yaml::Value>),
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, default)]
struct RawOverride {
    types: Option<Vec<String>>,
    paths: Option<Vec<String>>,
    rules: BTreeMap<String, RawSetting>,
}

/// Rules that change for pages of some types and/or paths.
#[derive(Debug, Clone)]
pub struct Override {
    types: Option<Vec<String>>,
    paths: Option<GlobSet>,
    changes: Vec<RuleChange>,
}

impl Override {
    fn matches(&self, page_type: Option<&str>, rel_path: &str) -> bool {
        let type_ok = self
            .types
            .as_ref()
            .is_none_or(|ts| page_type.is_some_and(|t| ts.iter().any(|x| x == t)));
        let path_ok = self.paths.as_ref().is_none_or(|g| g.is_match(rel_path));
        type_ok && path_ok
    }
}

/// The validated configuration.
#[derive(Debug, Clone)]
pub struct Config {
    /// The file it came from, if any.
    pub file: Option<PathBuf>,
    /// The content root, when the file names one (resolved against the file's folder).
    pub root: Option<PathBuf>,
    pub include: GlobSet,
    pub exclude: GlobSet,
    /// The globs of `include` and `exclude` as written, for messages.
    pub include_patterns: Vec<String>,
    pub exclude_patterns: Vec<String>,
    /// How much of any one input a run takes on.
    pub limits: Limits,
    /// How the site addresses, compares and serves its pages (what the rules see).
    pub site: SiteSettings,
    pub rules: RuleTable,
    overrides: Vec<Override>,
    /// A hash of the configuration text (0 for the defaults), for caches made under it.
    pub fingerprint: u64,
}

impl Default for Config {
    fn default() -> Self {
        Config::from_raw(RawConfig::default(), &Locator::empty())
            .expect("the default configuration is valid")
    }
}

/// A configuration error, shown with the part of the file it is about.
#[derive(Debug, thiserror::Error, miette::Diagnostic)]
#[error("{message}")]
#[diagnostic(code(pagelint::config))]
pub struct ConfigError {
    pub message: String,
    #[source_code]
    src: NamedSource<String>,
    #[label("here")]
    span: Option<SourceSpan>,
    #[help]
    help: Option<String>,
}

/// Finds where things are written in the config text, for error labels.
struct Locator {
    name: String,
    text: String,
}

impl Locator {
    fn empty() -> Self {
        Locator {
            name: FILE_NAME.into(),
            text: String::new(),
        }
    }

    fn error(&self, message: String, at: Option<usize>, help: Option<String>) -> Box<ConfigError> {
        let span = at.map(|start| {
            // Inside the text and between characters, whatever the parser reported.
            let start = self.text.floor_char_boundary(start);
            let rest = &self.text[start..];
            let len = rest.find(['\n', ':']).unwrap_or(rest.len());
            let first = rest.chars().next().map_or(0, char::len_utf8);
            SourceSpan::from((start, len.max(first)))
        });
        Box::new(ConfigError {
            message,
            src: NamedSource::new(&self.name, self.text.clone()),
            span,
            help,
        })
    }

    /// The first place `word` is written as a whole token.
    fn find(&self, word: &str) -> Option<usize> {
        let bytes = self.text.as_bytes();
        self.text.match_indices(word).map(|(i, _)| i).find(|&i| {
            let before = i.checked_sub(1).map(|j| bytes[j]);
            let after = bytes.get(i + word.len()).copied();
            let edge = |b: Option<u8>| {
                b.is_none_or(|b| !(b.is_ascii_alphanumeric() || b == b'-' || b == b'_'))
            };
            edge(before) && edge(after)
        })
    }
}

/// The largest config file read (a config is a few hundred bytes).
const CONFIG_MAX_BYTES: u64 = 1024 * 1024;

impl Config {
    /// Read and validate a config file.
    pub fn load(path: &Path) -> Result<Config, Box<ConfigError>> {
        // The user's own file, but a FIFO or a device there must not hang the run.
        let cannot = |e: &dyn std::fmt::Display| {
            Locator::empty().error(format!("cannot read {}: {e}", path.display()), None, None)
        };
        let bytes =
            crate::source::open::read_user_file(path, CONFIG_MAX_BYTES).map_err(|e| cannot(&e))?;
        let text = String::from_utf8(bytes).map_err(|e| cannot(&e))?;
        let mut config = Config::parse(&text, &path.display().to_string())?;
        config.file = Some(path.to_path_buf());
        let dir = path.parent().unwrap_or(Path::new(""));
        config.root = config.root.map(|r| dir.join(r));
        Ok(config)
    }

    /// Validate config text; `name` is how errors refer to the file.
    pub fn parse(text: &str, name: &str) -> Result<Config, Box<ConfigError>> {
        let loc = Locator {
            name: name.to_owned(),
            text: text.to_owned(),
        };
        if let Some((at, key, first_line)) = duplicate_key(text) {
            return Err(loc.error(
                format!("invalid {name}: `{key}` is given twice (first on line {first_line})"),
                Some(at),
                Some("keep one of them: YAML would silently use the last".into()),
            ));
        }
        // The parser expands aliases and recurses per level: a hostile config is refused
        // before it (the config's own limits are not known yet: the defaults hold).
        if let Err(refusal) = yaml_scan::check(text, &Limits::default()) {
            return Err(loc.error(
                format!("invalid {name}: {}", refusal.message),
                Some(refusal.at),
                Some(refusal.help),
            ));
        }
        let raw: RawConfig = if text.trim().is_empty() {
            RawConfig::default()
        } else {
            serde_yaml::from_str(text).map_err(|e| {
                let at = e.location().map(|l| l.index());
                let msg = e.to_string();
                let msg = msg.split(" at line ").next().unwrap_or(&msg);
                let (msg, help) = explain_yaml_error(msg);
                loc.error(format!("invalid {name}: {msg}"), at, Some(help))
            })?
        };
        let mut config = Config::from_raw(raw, &loc)?;
        config.fingerprint = {
            use std::hash::{Hash, Hasher};
            let mut h = std::collections::hash_map::DefaultHasher::new();
            text.hash(&mut h);
            h.finish()
        };
        Ok(config)
    }

    fn from_raw(raw: RawConfig, loc: &Locator) -> Result<Config, Box<ConfigError>> {
        let include = raw.include.unwrap_or_else(|| {
            [
                "**/*.html",
                "**/*.htm",
                "**/*.md",
                "**/*.markdown",
                "**/*.mdx",
            ]
            .map(String::from)
            .to_vec()
        });
        let mut table = RuleTable::defaults();
        for change in rule_changes(&raw.rules, loc)? {
            table.apply(&change);
        }
        let overrides = raw
            .overrides
            .iter()
            .map(|o| {
                Ok(Override {
                    types: o.types.clone(),
                    paths: o.paths.as_deref().map(|p| globs(p, loc)).transpose()?,
                    changes: rule_changes(&o.rules, loc)?,
                })
            })
            .collect::<Result<Vec<_>, Box<ConfigError>>>()?;
        let limits = limits(raw.limits.as_ref(), raw.max_file_bytes, loc)?;
        if let Some(problem) = raw.site.locales.as_ref().and_then(Locales::problem) {
            return Err(loc.error(
                format!("invalid site.locales: {problem}"),
                loc.find("locales"),
                Some("list every locale in `all`, the default among them".into()),
            ));
        }
        let routes = crate::site::routes::Routes::compile(
            &raw.site.routes,
            raw.site.locales.as_ref(),
            raw.site.case_insensitive,
        )
        .map_err(|(i, message)| {
            loc.error(
                format!("invalid site.routes: {message}"),
                raw.site
                    .routes
                    .get(i)
                    .and_then(|r| loc.text.find(r.as_str())),
                Some(
                    "write a route as a path with placeholders: `/[locale:locale]/blog/\
                     [category:folder]`; see the README's Configuration section"
                        .into(),
                ),
            )
        })?;
        let fields = |given: Option<Vec<String>>, default: &str, key: &str| match given {
            Some(list) if list.is_empty() => Err(loc.error(
                format!("site.{key} is empty"),
                loc.find(key),
                Some(format!(
                    "name at least one field (the default is [{default}])"
                )),
            )),
            Some(list) => Ok(list),
            None => Ok(vec![default.to_owned()]),
        };
        let (body, body_paths) = body_paths(raw.site.body, loc)?;
        let author_fields = fields(raw.site.author_fields, "authorship", "author_fields")?;
        let updated_fields = fields(raw.site.updated_fields, "updated_at", "updated_fields")?;
        let created_fields = fields(raw.site.created_fields, "created_at", "created_fields")?;
        Ok(Config {
            file: None,
            root: raw.root,
            include: globs(&include, loc)?,
            exclude: globs(&raw.exclude, loc)?,
            include_patterns: include,
            exclude_patterns: raw.exclude,
            limits,
            site: SiteSettings {
                uri_field: raw.site.uri_field.unwrap_or_else(|| "uri".into()),
                id_field: raw.site.id_field.unwrap_or_else(|| "id".into()),
                hosts: raw.site.hosts,
                ignore_links: globs(&raw.site.ignore_links, loc)?,
                page_suffixes: raw.site.page_suffixes,
                link_fields: raw.site.link_fields,
                toc_field: raw.site.toc_field,
                redirect_field: raw.site.redirect_field,
                redirects_file: raw
                    .site
                    .redirects_file
                    .map(|f| redirects_file(f, loc))
                    .transpose()?,
                base_path: raw.site.base_path.unwrap_or_default(),
                case_insensitive: raw.site.case_insensitive,
                trailing_slash: raw.site.trailing_slash,
                static_dirs: static_dirs(&raw.site.static_dirs, loc)?,
                front_matter: raw.site.front_matter,
                uri_from: raw.site.uri_from,
                content_dir: raw
                    .site
                    .content_dir
                    .map(|d| content_dir(d, loc))
                    .transpose()?,
                permalink_field: raw.site.permalink_field,
                locales: raw.site.locales,
                redirects_format: raw.site.redirects_format,
                redirects_trailing_slash: raw.site.redirects_trailing_slash,
                alias_fields: raw.site.alias_fields,
                routes,
                author_fields,
                updated_fields,
                created_fields,
                required_fields: raw
                    .required_fields
                    .unwrap_or_else(|| vec!["id".into(), "uri".into(), "title".into()]),
                body,
                body_paths,
                heading_ids: raw.site.heading_ids,
                link_attributes: raw.site.link_attributes,
                raw_html: raw.site.raw_html,
            },
            rules: table,
            overrides,
            fingerprint: 0,
        })
    }

    /// The rule settings for a page of this front-matter `type` at this path (relative to
    /// the root); later overrides win.
    pub fn rules_for(&self, page_type: Option<&str>, rel_path: &str) -> RuleTable {
        let mut table = self.rules.clone();
        for o in &self.overrides {
            if o.matches(page_type, rel_path) {
                for change in &o.changes {
                    table.apply(change);
                }
            }
        }
        table
    }

    /// Run only the rules `keep` accepts (`--select`, `--ignore`): the others are turned off
    /// here and in every override, so that no page runs them; those of `on` that are off
    /// (by default or by the file) are turned on at their default severity.
    pub fn restrict(&mut self, keep: impl Fn(&str) -> bool, on: &[String]) {
        let all = rules::rules();
        for (i, rule) in all.iter().enumerate() {
            let id = rule.meta.id.as_str();
            let slot = &mut self.rules.0[i];
            if !keep(id) {
                *slot = None;
            } else if slot.is_none() && on.iter().any(|s| s == id) {
                *slot = Some((rule.meta.severity, rule.default_params()));
            }
        }
        for o in &mut self.overrides {
            o.changes.retain(|c| keep(&all[c.rule].meta.id));
        }
    }

    /// Whether any override exists (pages then need their own tables).
    pub fn has_overrides(&self) -> bool {
        !self.overrides.is_empty()
    }

    /// Find pagelint.yaml in `start` or its nearest parent.
    pub fn discover(start: &Path) -> Option<PathBuf> {
        let start = std::path::absolute(start).ok()?;
        start
            .ancestors()
            .map(|dir| dir.join(FILE_NAME))
            .find(|candidate| candidate.is_file())
    }
}

/// What a YAML error says, in the file's own terms, and what to do: a did-you-mean for an
/// unknown key, and "a mapping" where serde names one of this module's types.
fn explain_yaml_error(msg: &str) -> (String, String) {
    const EVERY_KEY: &str = "see the README's Configuration section for every key";
    let mut msg = msg.to_owned();
    for (raw, shown) in [
        ("struct RawConfig", "a mapping of settings"),
        (
            "struct RawSite",
            "a mapping of site settings (uri_field, hosts, …)",
        ),
        (
            "struct RawOverride",
            "a mapping with types, paths and rules",
        ),
    ] {
        msg = msg.replace(raw, shown);
    }
    // serde: "unknown field `uri_feild`, expected one of `uri_field`, `id_field`, …"
    let unknown = msg.split_once("unknown field `").and_then(|(_, rest)| {
        let (word, rest) = rest.split_once('`')?;
        let expected: Vec<&str> = rest.split('`').skip(1).step_by(2).collect();
        Some((word.to_owned(), expected))
    });
    let help = match unknown {
        Some((word, expected)) => {
            match crate::site::suggest::closest(&word, expected.iter().copied(), 3) {
                Some(near) => format!("did you mean `{near}`? {EVERY_KEY}"),
                None => EVERY_KEY.to_owned(),
            }
        }
        None => EVERY_KEY.to_owned(),
    };
    (msg, help)
}

/// The first key given twice in one mapping of block-style YAML: its offset, the key, and the
/// line of its first occurrence. (serde keeps the last value of a repeated key in a map
/// without a word, and reports a repeated field at the first one.) Only keys that start a
/// line in block context are compared: lines inside a block scalar, a flow collection (`[…]`,
/// `{…}`) or a quoted scalar that spans lines are skipped, so valid YAML is never refused.
fn duplicate_key(text: &str) -> Option<(usize, String, usize)> {
    // Open mappings, innermost last: the column of their keys and the keys seen (with line).
    let mut open: Vec<(usize, std::collections::HashMap<String, usize>)> = Vec::new();
    // A block scalar (`key: |`, `- |`) swallows the lines indented past its key or dash.
    let mut scalar_above: Option<usize> = None;
    // Flow collections and quoted scalars carried over from earlier lines.
    let mut flow = Flow::default();
    let mut offset = 0;
    for (n, line) in text.split_inclusive('\n').enumerate() {
        let start = offset;
        offset += line.len();
        let body = line.trim_end_matches(['\n', '\r']);
        let content = body.trim_start_matches(' ');
        let indent = body.len() - content.len();
        if let Some(col) = scalar_above {
            if indent > col || content.is_empty() {
                continue;
            }
            scalar_above = None;
        }
        let inside = flow.depth > 0 || flow.quote.is_some();
        flow.scan(content);
        if inside || content.is_empty() || content.starts_with('#') {
            continue;
        }
        // `- key: value` opens a mapping at the key's column.
        let (col, entry, item) = match content.strip_prefix("- ") {
            Some(rest) => {
                let rest_trim = rest.trim_start_matches(' ');
                (indent + 2 + rest.len() - rest_trim.len(), rest_trim, true)
            }
            None => (indent, content, false),
        };
        if item && entry.starts_with(['|', '>']) {
            scalar_above = Some(indent);
            continue;
        }
        while open
            .last()
            .is_some_and(|(c, _)| *c > col || (item && *c == col))
        {
            open.pop();
        }
        let Some((key, value)) = key_of(entry) else {
            continue;
        };
        if value.starts_with('|') || value.starts_with('>') {
            scalar_above = Some(col);
        }
        if open.last().is_none_or(|(c, _)| *c < col) {
            open.push((col, std::collections::HashMap::new()));
        }
        if let Some((_, keys)) = open.last_mut() {
            if let Some(&first) = keys.get(key) {
                return Some((start + (body.len() - entry.len()), key.to_owned(), first));
            }
            keys.insert(key.to_owned(), n + 1);
        }
    }
    None
}

/// The key of a line of block mapping (`key: value`, `"a: b": value`, `key:`) and its value.
fn key_of(entry: &str) -> Option<(&str, &str)> {
    let (key, rest) = match entry.as_bytes().first()? {
        q @ (b'"' | b'\'') => {
            // A quoted key: up to its closing quote (`\"` escapes in double quotes).
            let mut escaped = false;
            let close = entry.bytes().enumerate().skip(1).find_map(|(i, b)| {
                let end = b == *q && !escaped;
                escaped = *q == b'"' && b == b'\\' && !escaped;
                end.then_some(i)
            })?;
            (&entry[1..close], entry[close + 1..].trim_start_matches(' '))
        }
        b'[' | b'{' | b'#' | b'?' | b'&' | b'*' | b'!' => return None,
        _ => {
            let colon = entry
                .find(": ")
                .or_else(|| entry.ends_with(':').then(|| entry.len() - 1))?;
            (entry[..colon].trim_end(), &entry[colon..])
        }
    };
    let value = rest.strip_prefix(':')?;
    if !(value.is_empty() || value.starts_with([' ', '\t'])) || key.is_empty() {
        return None;
    }
    Some((key, value.trim()))
}

/// The `limits:` section over the defaults; the top-level `max_file_bytes` of older configs is
/// `limits.file_bytes`, read into it (given both ways with different values, it is an error:
/// which would win is not obvious).
fn limits(
    raw: Option<&serde_yaml::Value>,
    max_file_bytes: Option<u64>,
    loc: &Locator,
) -> Result<Limits, Box<ConfigError>> {
    let mut limits = match raw {
        None | Some(serde_yaml::Value::Null) => Limits::default(),
        Some(value) => serde_yaml::from_value(value.clone()).map_err(|e| {
            let msg = e.to_string();
            let msg = msg.split(" at line ").next().unwrap_or(&msg).replace(
                "struct Limits",
                "a mapping of limits (file_bytes, yaml_depth, …)",
            );
            let at = msg
                .split_once("unknown field `")
                .and_then(|(_, rest)| loc.find(rest.split('`').next()?))
                .or_else(|| loc.find("limits"));
            let (msg, help) = explain_yaml_error(&msg);
            loc.error(format!("invalid limits: {msg}"), at, Some(help))
        })?,
    };
    if let Some(bytes) = max_file_bytes {
        if raw.and_then(|r| r.get("file_bytes")).is_some() && limits.file_bytes != bytes {
            return Err(loc.error(
                format!(
                    "`max_file_bytes` ({bytes}) and `limits.file_bytes` ({}) are both given, \
                     and differ",
                    limits.file_bytes
                ),
                loc.find("max_file_bytes"),
                Some("keep `limits.file_bytes` (max_file_bytes is its old name)".into()),
            ));
        }
        limits.file_bytes = bytes;
    }
    if limits.file_bytes > MAX_FILE_BYTES_CAP {
        let key = if max_file_bytes.is_some() {
            "max_file_bytes"
        } else {
            "limits.file_bytes"
        };
        return Err(loc.error(
            format!(
                "{key} is {}, more than the largest pagelint can check ({MAX_FILE_BYTES_CAP} \
                 bytes, 1 GiB)",
                limits.file_bytes
            ),
            loc.find(key.trim_start_matches("limits.")),
            Some(format!("set {key} to at most {MAX_FILE_BYTES_CAP}")),
        ));
    }
    for (key, value) in limits.entries() {
        if value == 0 {
            let at = if key == "file_bytes" && max_file_bytes.is_some() {
                "max_file_bytes"
            } else {
                key
            };
            return Err(loc.error(
                format!("limits.{key} must be at least 1"),
                loc.find(at),
                Some(format!(
                    "the default is {}; see the README's Configuration section",
                    Limits::default()
                        .entries()
                        .iter()
                        .find(|(k, _)| *k == key)
                        .map_or(0, |(_, v)| *v)
                )),
            ));
        }
    }
    Ok(limits)
}

/// `site.static_dirs`, longest URL prefix first; a folder may not leave the root.
fn static_dirs(
    raw: &BTreeMap<String, String>,
    loc: &Locator,
) -> Result<Vec<(String, String)>, Box<ConfigError>> {
    let mut dirs = Vec::new();
    for (prefix, folder) in raw {
        let escapes = Path::new(folder).is_absolute()
            || Path::new(folder)
                .components()
                .any(|c| matches!(c, std::path::Component::ParentDir));
        if escapes {
            return Err(loc.error(
                format!("static folder {folder:?} is outside the content root"),
                loc.find(folder),
                Some("give a folder inside the root, relative to it".into()),
            ));
        }
        let prefix = format!("/{}", prefix.trim_matches('/'));
        dirs.push((prefix, folder.trim_end_matches('/').to_owned()));
    }
    if dirs.is_empty() {
        dirs.push(("/".to_owned(), ".".to_owned()));
    }
    dirs.sort_by(|a, b| b.0.len().cmp(&a.0.len()).then(a.0.cmp(&b.0)));
    Ok(dirs)
}

/// `site.content_dir`: a folder inside the root, kept without its slashes.
fn content_dir(dir: String, loc: &Locator) -> Result<String, Box<ConfigError>> {
    let trimmed = dir.trim_matches('/');
    let inside = !trimmed.is_empty()
        && Path::new(trimmed)
            .components()
            .all(|c| matches!(c, std::path::Component::Normal(_)));
    if inside {
        return Ok(trimmed.to_owned());
    }
    Err(loc.error(
        format!("content folder {dir:?} is not a folder inside the content root"),
        loc.find(&dir).filter(|_| !dir.is_empty()),
        Some("write the folder's path relative to the content root (`content_dir: pages`)".into()),
    ))
}

/// `site.redirects_file`: a file of the site, so a path relative to the content root that
/// stays inside it (its lines are read and shown).
fn redirects_file(file: String, loc: &Locator) -> Result<String, Box<ConfigError>> {
    let path = Path::new(&file);
    let inside = !file.is_empty()
        && !file.contains('\0')
        && path.components().all(|c| {
            matches!(
                c,
                std::path::Component::Normal(_) | std::path::Component::CurDir
            )
        });
    if inside {
        return Ok(file);
    }
    Err(loc.error(
        format!("redirects file {file:?} is not a path inside the content root"),
        loc.find(&file).filter(|_| !file.is_empty()),
        Some(
            "write the file's path relative to the content root, without `..` \
             (`redirects_file: _redirects`)"
                .into(),
        ),
    ))
}

fn globs(patterns: &[String], loc: &Locator) -> Result<GlobSet, Box<ConfigError>> {
    let mut set = GlobSetBuilder::new();
    for p in patterns {
        set.add(checked_glob(p, loc)?);
    }
    set.build()
        .map_err(|e| loc.error(format!("invalid globs: {e}"), None, None))
}

/// `site.body` as the default kind and the kinds by path glob, in the order written.
fn body_paths(
    raw: RawBody,
    loc: &Locator,
) -> Result<(crate::parse::body::BodyKind, Vec<BodyPath>), Box<ConfigError>> {
    let (default, paths) = match raw {
        RawBody::Kind(kind) => return Ok((kind, Vec::new())),
        RawBody::ByPath { default, paths } => (default, paths),
    };
    let mut out = Vec::new();
    for (key, value) in paths {
        let pattern = crate::parse::frontmatter::scalar_text(&key).unwrap_or_default();
        let kind = serde_yaml::from_value(value).map_err(|_| {
            loc.error(
                format!("invalid site.body.paths entry {pattern:?}: not a body kind"),
                loc.find(&pattern),
                Some("map each glob to auto, markdown or html".into()),
            )
        })?;
        out.push((checked_glob(&pattern, loc)?.compile_matcher(), kind));
    }
    Ok((default, out))
}

type BodyPath = (globset::GlobMatcher, crate::parse::body::BodyKind);

/// `glob(p)`, or the config error that points at it.
fn checked_glob(p: &str, loc: &Locator) -> Result<Glob, Box<ConfigError>> {
    glob(p).map_err(|e| {
        loc.error(
            format!("invalid glob {p:?}: {}", e.kind()),
            loc.find(p),
            Some("globs use `*` within a path segment and `**` across segments".into()),
        )
    })
}

/// A glob where `*` stays within one path segment, as in .gitignore.
pub fn glob(pattern: &str) -> Result<Glob, globset::Error> {
    GlobBuilder::new(pattern).literal_separator(true).build()
}

fn parse_severity(s: &str) -> Option<Option<Severity>> {
    match s {
        "off" => Some(None),
        "warning" | "warn" => Some(Some(Severity::Warning)),
        "error" => Some(Some(Severity::Error)),
        _ => None,
    }
}

fn rule_changes(
    raw: &BTreeMap<String, RawSetting>,
    loc: &Locator,
) -> Result<Vec<RuleChange>, Box<ConfigError>> {
    let mut out = Vec::new();
    for (id, setting) in raw {
        let Some((index, rule)) = rules::find(id) else {
            let help = rules::unknown_rule_help(id);
            return Err(loc.error(format!("unknown rule `{id}`"), loc.find(id), Some(help)));
        };
        let bad_severity = |s: &str| {
            loc.error(
                format!("invalid severity `{s}` for rule `{id}`"),
                loc.find(id),
                Some("use one of: error, warning, off".into()),
            )
        };
        let change = match setting {
            RawSetting::Level(s) => RuleChange {
                rule: index,
                severity: Some(parse_severity(s).ok_or_else(|| bad_severity(s))?),
                params: Params::new(),
            },
            RawSetting::Table(table) => {
                let mut change = RuleChange {
                    rule: index,
                    severity: None,
                    params: Params::new(),
                };
                for (key, value) in table {
                    if key == "severity" {
                        let s = value.as_str().unwrap_or("");
                        change.severity = Some(parse_severity(s).ok_or_else(|| bad_severity(s))?);
                        continue;
                    }
                    let Some(meta) = rule.meta.params.get(key) else {
                        let known: Vec<&str> =
                            rule.meta.params.keys().map(String::as_str).collect();
                        return Err(loc.error(
                            format!("rule `{id}` has no parameter `{key}`"),
                            loc.find(key),
                            Some(if known.is_empty() {
                                "this rule only takes `severity`".into()
                            } else {
                                format!("its parameters: severity, {}", known.join(", "))
                            }),
                        ));
                    };
                    if !meta.kind.accepts(value) {
                        return Err(loc.error(
                            format!(
                                "parameter `{key}` of rule `{id}` must be {:?}, not {}",
                                meta.kind,
                                crate::parse::frontmatter::value_kind(value)
                            )
                            .to_lowercase(),
                            loc.find(key),
                            Some(meta.doc.clone()),
                        ));
                    }
                    if let (Some(min), Some(n)) = (meta.min, value.as_i64())
                        && n < min
                    {
                        return Err(loc.error(
                            format!(
                                "parameter `{key}` of rule `{id}` must be at least {min}, not {n}"
                            ),
                            loc.find(key),
                            Some(meta.doc.clone()),
                        ));
                    }
                    change.params.insert(key.clone(), value.clone());
                }
                change
            }
        };
        out.push(change);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn setting(c: &RuleTable, id: &str) -> crate::rules::table::RuleSetting {
        c.0[rules::index_of(id)].clone()
    }

    #[test]
    fn defaults_come_from_the_rule_pack() {
        let c = Config::default();
        let (sev, params) = setting(&c.rules, "stale-updated-at").expect("on");
        assert_eq!(sev, Severity::Warning);
        assert_eq!(params["max_age_days"].as_i64(), Some(1095));
        assert!(c.include.is_match("a/b.html"));
        assert!(c.include.is_match("x.md"));
        assert!(!c.include.is_match("x.txt"));
    }

    #[test]
    fn settings_and_overrides_apply_in_order() {
        let c = Config::parse(
            "rules:\n  stale-updated-at: {severity: error, max_age_days: 30}\n  broken-link: warning\n\
             overrides:\n  - types: [directory]\n    rules: {missing-authorship: off}\n\
             \x20 - paths: [\"legacy/**\"]\n    rules: {stale-updated-at: off}\n",
            "t.yaml",
        )
        .expect("valid");
        let (sev, params) = setting(&c.rules, "stale-updated-at").expect("on");
        assert_eq!(
            (sev, params["max_age_days"].as_i64()),
            (Severity::Error, Some(30))
        );
        assert_eq!(
            setting(&c.rules, "broken-link").map(|s| s.0),
            Some(Severity::Warning)
        );
        let dir = c.rules_for(Some("directory"), "a.html");
        assert_eq!(setting(&dir, "missing-authorship"), None);
        assert!(setting(&dir, "stale-updated-at").is_some());
        let legacy = c.rules_for(Some("page"), "legacy/x/a.html");
        assert_eq!(setting(&legacy, "stale-updated-at"), None);
        assert!(setting(&legacy, "missing-authorship").is_some());
    }

    #[test]
    fn valid_yaml_is_never_taken_for_a_repeated_key() {
        for text in [
            // Flow collections over several lines.
            "overrides: [\n  {types: [a], rules: {broken-link: off}},\n  {types: [b], rules: {broken-link: off}}\n]\n",
            "site:\n  ignore_links: [\"/a\",\n    \"/b: c\",\n    \"/b: d\"]\n",
            "site: {hosts: [a],\n  uri_field: uri}\nrules: {\n  broken-link: off,\n  missing-asset: off\n}\n",
            // Quoted keys holding `: `.
            "site:\n  static_dirs:\n    \"/a: b\": x\n    \"/a: c\": y\n",
            "site:\n  static_dirs:\n    '/a: b': x\n    '/a: c': y\n",
            // A block scalar as a list item, and a multi-line quoted scalar.
            "site:\n  ignore_links:\n    - |\n      a: 1\n      a: 2\n    - >-\n      b: 1\n      b: 2\n",
            "site:\n  ignore_links:\n    - \"a: 1\n      a: 2\"\n",
            // Quotes inside plain scalars, comments, anchors.
            "site:\n  uri_field: don't # it's: here\n  id_field: id\nrules: {broken-link: off} # {x: 1\nroot: .\n",
        ] {
            assert_eq!(duplicate_key(text), None, "{text}");
        }
        // What is repeated is still found, after all of these.
        let text =
            "site: {hosts: [a,\n  b]}\nrules:\n  \"broken-link\": off\n  'broken-link': error\n";
        assert_eq!(
            duplicate_key(text).map(|(_, key, line)| (key, line)),
            Some(("broken-link".to_owned(), 4))
        );
        let text = "site:\n  ignore_links:\n    - |\n      a\n  hosts: [a]\n  hosts: [b]\n";
        assert_eq!(
            duplicate_key(text).map(|(_, key, line)| (key, line)),
            Some(("hosts".to_owned(), 5))
        );
    }

    #[test]
    fn limits_have_defaults_and_are_read_from_their_section_or_the_old_key() {
        assert_eq!(Config::default().limits, Limits::default());
        let c = Config::parse("limits:\n  yaml_depth: 8\n  redirect_hops: 3\n", "t.yaml")
            .expect("valid");
        assert_eq!((c.limits.yaml_depth, c.limits.redirect_hops), (8, 3));
        assert_eq!(c.limits.links_per_page, Limits::default().links_per_page);
        let old = Config::parse("max_file_bytes: 1000\n", "t.yaml").expect("valid");
        assert_eq!(old.limits.file_bytes, 1000);
        let new = Config::parse("limits: {file_bytes: 2000}\n", "t.yaml").expect("valid");
        assert_eq!(new.limits.file_bytes, 2000);
        // Both keys with one value: the same limit, said twice.
        let both = Config::parse(
            "max_file_bytes: 3000\nlimits: {file_bytes: 3000}\n",
            "t.yaml",
        )
        .expect("valid");
        assert_eq!(both.limits.file_bytes, 3000);
    }

    #[test]
    fn a_hostile_config_is_refused_before_the_yaml_parser() {
        let items = vec!["x"; 2000].join(",");
        let refs = vec!["*b"; 2000].join(",");
        let bomb = format!("exclude: &b [{items}]\ninclude: [{refs}]\n");
        let err = Config::parse(&bomb, "t.yaml").expect_err("an alias bomb");
        assert!(err.message.contains("alias bomb"), "{}", err.message);
        let deep = format!("exclude: {}{}\n", "[".repeat(200_000), "]".repeat(200_000));
        let err = Config::parse(&deep, "t.yaml").expect_err("too deep");
        assert!(err.message.contains("levels deep"), "{}", err.message);
    }

    #[test]
    fn mistakes_are_errors_that_point_into_the_file() {
        for (text, expected) in [
            ("inclde: []\n", "unknown field `inclde`"),
            ("rules:\n  broken-lnk: off\n", "unknown rule `broken-lnk`"),
            ("rules:\n  broken-link: fatal\n", "invalid severity `fatal`"),
            (
                "rules:\n  stale-updated-at: {max_age: 3}\n",
                "has no parameter `max_age`",
            ),
            (
                "rules:\n  stale-updated-at: {max_age_days: soon}\n",
                "must be integer, not a string",
            ),
            ("exclude: [\"a/[\"]\n", "invalid glob"),
            ("site:\n  hosts: example.org\n", "invalid type"),
            ("limits:\n  yaml_dept: 3\n", "unknown field `yaml_dept`"),
            (
                "limits:\n  yaml_depth: 0\n",
                "limits.yaml_depth must be at least 1",
            ),
            ("limits:\n  yaml_depth: deep\n", "invalid type"),
            (
                "max_file_bytes: 5\nlimits:\n  file_bytes: 6\n",
                "are both given",
            ),
        ] {
            let err = Config::parse(text, "t.yaml").expect_err(text);
            assert!(
                err.message.contains(expected),
                "{text:?}: {} lacks {expected:?}",
                err.message
            );
            assert!(err.span.is_some(), "{text:?} has no location");
        }
    }
}
