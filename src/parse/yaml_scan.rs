//! A line scan of YAML, aware of quoted scalars, comments, flow collections and block scalars,
//! that bounds what the YAML parser is given. The parser recurses once per level of nesting
//! and copies an alias's node at every use, so a few kilobytes of nested `[[[` or of aliases of
//! aliases (billion laughs) cost it minutes or gigabytes: `check` refuses YAML nested deeper
//! than `limits.yaml_depth` or whose aliases expand to more than `limits.yaml_alias_nodes`
//! nodes, in one pass, before the parser sees it. The same scan (`Flow`) carries config's
//! duplicate-key check over flow collections and multi-line quoted scalars.
//!
//! The counts are upper bounds where the scan cannot be exact: a line of block YAML counts as
//! two nodes (key and value), each `,` and `[`/`{` of a flow collection as one, and an anchor
//! redefined keeps the largest size it was given.

use crate::parse::limits::{self, Limits};
use std::collections::HashMap;

/// What the scan meets on a line, outside quoted scalars and comments.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Token<'a> {
    /// `[` or `{` opening a flow collection.
    Open,
    /// `]` or `}` closing one.
    Close,
    /// `,` between the items of one.
    Comma,
    /// `&name`, where a node may start.
    Anchor(&'a str),
    /// `*name`, where a node may start.
    Alias(&'a str),
}

/// Where a scan of YAML lines stands: how many flow collections are open, and the quote of a
/// quoted scalar that is still open.
#[derive(Debug, Default)]
pub struct Flow {
    pub depth: usize,
    pub quote: Option<u8>,
}

impl Flow {
    /// Go over one line (without its indentation).
    pub fn scan(&mut self, line: &str) {
        self.scan_tokens(line, |_, _, _| {});
    }

    /// Go over one line (without its indentation), telling `on` each token, its offset in the
    /// line and the flow depth after it. Quotes, brackets, anchors and aliases count where a
    /// node can start (at the line's start, after `: `, `- `, `? `, after an anchor or a tag,
    /// or in a flow collection after `[`, `{`, `,`); inside plain scalars (`don't`, `a[1]`,
    /// `Tom &Jerry`) they are text. Linear in the line.
    pub fn scan_tokens<'l>(&mut self, line: &'l str, mut on: impl FnMut(Token<'l>, usize, usize)) {
        let bytes = line.as_bytes();
        // The last byte that is not a space, whether spaces follow it, and whether it ended
        // an anchor or a tag (after which a node still starts).
        let mut last: Option<u8> = None;
        let mut spaced = false;
        let mut after_props = false;
        let mut i = 0;
        while i < bytes.len() {
            let b = bytes[i];
            if let Some(q) = self.quote {
                if q == b'"' && b == b'\\' {
                    i += 2;
                    continue;
                }
                if b == q {
                    if q == b'\'' && bytes.get(i + 1) == Some(&b'\'') {
                        i += 2;
                        continue;
                    }
                    self.quote = None;
                    (last, spaced, after_props) = (Some(q), false, false);
                }
                i += 1;
                continue;
            }
            if b == b' ' || b == b'\t' {
                spaced = true;
                i += 1;
                continue;
            }
            let at_start = match last {
                None => true,
                Some(b'[' | b'{' | b',') => self.depth > 0,
                Some(b':' | b'-' | b'?') => spaced,
                Some(_) => after_props && spaced,
            };
            match b {
                b'#' if last.is_none() || spaced => return,
                b'"' | b'\'' if at_start => self.quote = Some(b),
                b'[' | b'{' if at_start || self.depth > 0 => {
                    self.depth += 1;
                    on(Token::Open, i, self.depth);
                }
                b']' | b'}' if self.depth > 0 => {
                    self.depth -= 1;
                    on(Token::Close, i, self.depth);
                }
                b',' if self.depth > 0 => on(Token::Comma, i, self.depth),
                b'&' | b'*' | b'!' if at_start => {
                    let flow = self.depth > 0;
                    let end = bytes[i + 1..]
                        .iter()
                        .position(|&c| {
                            c == b' '
                                || c == b'\t'
                                || (flow && matches!(c, b',' | b'[' | b']' | b'{' | b'}'))
                        })
                        .map_or(bytes.len(), |n| i + 1 + n);
                    let name = &line[i + 1..end];
                    match b {
                        b'&' => on(Token::Anchor(name), i, self.depth),
                        b'*' => on(Token::Alias(name), i, self.depth),
                        _ => {}
                    }
                    (last, spaced, after_props) = (Some(bytes[end - 1]), false, b != b'*');
                    i = end;
                    continue;
                }
                _ => {}
            }
            (last, spaced, after_props) = (Some(b), false, false);
            i += 1;
        }
    }
}

/// Why YAML is not given to the parser: where (a byte offset in the YAML) and what to say.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refusal {
    pub at: usize,
    pub message: String,
    pub help: String,
}

/// Where an anchored node ends.
#[derive(Debug, Clone, Copy)]
enum Ends {
    /// When the flow depth comes back to this.
    Flow(usize),
    /// At a line indented no more than this dash (`item`), or less than this key (or as much,
    /// but for an item of the key's sequence written at the key's indentation).
    Block { indent: usize, item: bool },
}

/// An anchored node not yet ended: its name, the node count when it began, and its end.
struct Open<'a> {
    name: &'a str,
    from: u64,
    ends: Ends,
}

/// The counts of a scan, over the whole text.
struct Counts<'a> {
    limits: &'a Limits,
    /// Nodes so far, aliases counted as the nodes they expand to.
    nodes: u64,
    /// What aliases have added so far.
    expanded: u64,
    /// The size of each anchored node (the largest, when a name is anchored twice).
    anchors: HashMap<&'a str, u64>,
    open: Vec<Open<'a>>,
    refusal: Option<Refusal>,
}

impl<'a> Counts<'a> {
    fn close(&mut self, open: Open<'a>) {
        let size = self.nodes.saturating_sub(open.from).max(1);
        let slot = self.anchors.entry(open.name).or_insert(size);
        *slot = (*slot).max(size);
    }

    fn too_deep(&mut self, depth: usize, at: usize) {
        if depth > self.limits.yaml_depth && self.refusal.is_none() {
            self.refusal = Some(Refusal {
                at,
                message: format!(
                    "the YAML nests more than {} levels deep (`limits.yaml_depth`); it is not \
                     parsed",
                    self.limits.yaml_depth
                ),
                help: format!("flatten the nesting; {}", limits::raise("yaml_depth")),
            });
        }
    }

    fn alias(&mut self, name: &str, at: usize) {
        let size = self.anchors.get(name).copied().unwrap_or(1);
        self.nodes = self.nodes.saturating_add(size);
        self.expanded = self.expanded.saturating_add(size - 1);
        if self.expanded > self.limits.yaml_alias_nodes && self.refusal.is_none() {
            self.refusal = Some(Refusal {
                at,
                message: format!(
                    "the YAML's aliases expand to more than {} nodes (`limits.yaml_alias_nodes`): \
                     an alias bomb? It is not parsed",
                    self.limits.yaml_alias_nodes
                ),
                help: format!(
                    "use fewer or smaller aliases (`*{name}`); {}",
                    limits::raise("yaml_alias_nodes")
                ),
            });
        }
    }
}

/// Where the entry of a block line starts, past its `- ` indicators: its column, its text,
/// how many indicators it has (`- - a: b`, a sequence in a sequence) and the column of the
/// last one.
struct Entry<'a> {
    col: usize,
    text: &'a str,
    dashes: usize,
    dash_col: usize,
}

fn entry_of(content: &str, indent: usize) -> Entry<'_> {
    let mut entry = Entry {
        col: indent,
        text: content,
        dashes: 0,
        dash_col: indent,
    };
    while let Some(rest) = entry
        .text
        .strip_prefix("- ")
        .or((entry.text == "-").then_some(""))
    {
        let rest = rest.trim_start_matches(' ');
        entry.dash_col = entry.col;
        entry.col += entry.text.len() - rest.len();
        entry.text = rest;
        entry.dashes += 1;
    }
    entry
}

/// Whether a line (without its comment) ends with a block scalar's header (`|`, `>-`, `|2+`).
fn opens_block_scalar(content: &str) -> bool {
    let content = match content.find(" #") {
        Some(i) => &content[..i],
        None => content,
    };
    let content = content.trim_end();
    let token = content.rsplit([' ', '\t']).next().unwrap_or(content);
    let mut chars = token.bytes();
    matches!(chars.next(), Some(b'|' | b'>'))
        && chars.all(|c| matches!(c, b'-' | b'+' | b'1'..=b'9'))
}

/// Refuse `yaml` if it nests deeper than the limits allow or its aliases expand to too many
/// nodes; one pass, linear in the text.
pub fn check(yaml: &str, limits: &Limits) -> Result<(), Refusal> {
    let mut flow = Flow::default();
    let mut counts = Counts {
        limits,
        nodes: 0,
        expanded: 0,
        anchors: HashMap::new(),
        open: Vec::new(),
        refusal: None,
    };
    // The indentation of the open block collections, innermost last.
    let mut indents: Vec<usize> = Vec::new();
    // A block scalar swallows the lines indented past its key or dash.
    let mut scalar_above: Option<usize> = None;
    let mut offset = 0;
    for line in yaml.split_inclusive('\n') {
        let start = offset;
        offset += line.len();
        let body = line.trim_end_matches(['\n', '\r']);
        let content = body.trim_start_matches(' ');
        let indent = body.len() - content.len();
        if let Some(owner) = scalar_above {
            if indent > owner || content.trim().is_empty() {
                continue;
            }
            scalar_above = None;
        }
        let in_block = flow.depth == 0 && flow.quote.is_none();
        let entry = entry_of(content, indent);
        let dashes = entry.dashes;
        if in_block && !content.is_empty() && !content.starts_with('#') {
            while let Some(open) = counts.open.last() {
                let Ends::Block { indent: at, item } = open.ends else {
                    break;
                };
                // An item's node ends at the next line not indented past its dash; a key's, at
                // the next not indented past the key, but for the key's own sequence items.
                let ends_here = if item {
                    indent <= at
                } else {
                    indent < at || (indent == at && !content.starts_with("- "))
                };
                if !ends_here {
                    break;
                }
                if let Some(open) = counts.open.pop() {
                    counts.close(open);
                }
            }
            while indents.last().is_some_and(|&i| i >= indent) {
                indents.pop();
            }
            indents.push(indent);
            counts.nodes = counts.nodes.saturating_add(2 + dashes as u64);
            counts.too_deep(indents.len() + dashes, start + indent);
        }
        let base = indents.len() + dashes;
        let line_start = start + indent;
        flow.scan_tokens(content, |token, at, depth| match token {
            Token::Open => {
                counts.nodes = counts.nodes.saturating_add(1);
                counts.too_deep(base + depth, line_start + at);
            }
            Token::Close => {
                while let Some(open) = counts.open.last() {
                    if !matches!(open.ends, Ends::Flow(d) if d >= depth) {
                        break;
                    }
                    if let Some(open) = counts.open.pop() {
                        counts.close(open);
                    }
                }
            }
            Token::Comma => counts.nodes = counts.nodes.saturating_add(1),
            Token::Anchor(name) => {
                let rest = content[at + 1 + name.len()..].trim_start();
                let ends = if rest.starts_with(['[', '{']) {
                    Some(Ends::Flow(depth))
                } else if depth == 0 && (rest.is_empty() || rest.starts_with('#')) {
                    let item = dashes > 0 && entry.text.starts_with('&');
                    Some(Ends::Block {
                        indent: if item { entry.dash_col } else { entry.col },
                        item,
                    })
                } else {
                    None
                };
                let open = Open {
                    name,
                    from: counts.nodes,
                    ends: ends.unwrap_or(Ends::Flow(usize::MAX)),
                };
                match ends {
                    Some(_) => counts.open.push(open),
                    None => counts.close(open), // a scalar: one node
                }
            }
            Token::Alias(name) => counts.alias(name, line_start + at),
        });
        if let Some(refusal) = counts.refusal {
            return Err(refusal);
        }
        if in_block && flow.depth == 0 && flow.quote.is_none() && opens_block_scalar(content) {
            // `- |` and `key: |`: the scalar's lines are indented past the dash or the key.
            scalar_above = Some(if entry.text.starts_with(['|', '>']) {
                entry.dash_col
            } else {
                entry.col
            });
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn refused(yaml: &str) -> Option<(usize, String)> {
        check(yaml, &Limits::default())
            .err()
            .map(|r| (r.at, r.message))
    }

    #[test]
    fn ordinary_yaml_passes() {
        for yaml in [
            "id: a\ntitle: Tom & Jerry, *the* best\nuri: /a\n",
            "base: &base {a: 1, b: [1, 2]}\nx: *base\ny: *base\nz:\n  <<: *base\n",
            "toc:\n  - id: a\n    title: x\n  - id: b\n",
            "text: |\n  [[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[\n  *a *a *a\n",
            "q: \"[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[\"\n",
            "c: x # [[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[\n",
        ] {
            assert_eq!(refused(yaml), None, "{yaml}");
        }
    }

    #[test]
    fn deep_nesting_is_refused_where_it_goes_too_deep() {
        let flow = format!(
            "id: a\ndeep: {}{}\n",
            "[".repeat(100_000),
            "]".repeat(100_000)
        );
        let (at, message) = refused(&flow).expect("refused");
        assert!(message.contains("64 levels"), "{message}");
        // The 64th `[` is at depth 65 (under the mapping).
        assert_eq!(at, "id: a\ndeep: ".len() + 63);
        let braces = format!("deep: {}1{}\n", "{a: ".repeat(100_000), "}".repeat(100_000));
        assert!(refused(&braces).is_some());
        let block: String = (0..100)
            .map(|i| format!("{}k{i}:\n", " ".repeat(i)))
            .collect();
        let (at, _) = refused(&block).expect("refused");
        assert_eq!(yaml_line(&block, at), 65);
        let dashes = format!("a: {}x\n", "- ".repeat(100));
        assert!(refused(&format!("a:\n  {}", &dashes[3..])).is_some());
        // After a tag or an anchor, a quote is a quote: the brackets in it are text, and
        // those after it open collections.
        let quoted = format!("a: [!!str '{}', x]\n", "[".repeat(100));
        assert_eq!(refused(&quoted), None);
        let tagged = format!("a: [&x '], [', {}\n", "[".repeat(100));
        assert!(refused(&tagged).is_some());
    }

    fn yaml_line(text: &str, at: usize) -> usize {
        text[..at].matches('\n').count() + 1
    }

    #[test]
    fn aliases_are_refused_by_what_they_expand_to() {
        // One anchor of N items aliased N times: N² nodes.
        let n = 1000;
        let items = vec!["x"; n].join(",");
        let refs = vec!["*b"; n].join(",");
        let yaml = format!("big: &b [{items}]\nrefs: [{refs}]\n");
        let (at, message) = refused(&yaml).expect("refused");
        assert!(message.contains("alias bomb"), "{message}");
        assert_eq!(yaml_line(&yaml, at), 2);
        // Billion laughs: each level ten aliases of the one before, in block style too.
        let mut lol = "l0: &l0 [lol, lol, lol]\n".to_owned();
        for i in 1..10 {
            let refs = vec![format!("*l{}", i - 1); 10].join(", ");
            lol.push_str(&format!("l{i}: &l{i} [{refs}]\n"));
        }
        assert!(refused(&lol).is_some());
        let mut block = "l0: &l0\n  - lol\n  - lol\n".to_owned();
        for i in 1..10 {
            block.push_str(&format!("l{i}: &l{i}\n"));
            for _ in 0..10 {
                block.push_str(&format!("- *l{}\n", i - 1));
            }
        }
        assert!(refused(&block).is_some(), "{block}");
        // An anchor named again in a plain scalar does not hide the first one's size.
        let shadow = format!("big: &b [{items}]\nnote: see &b\nrefs: [{refs}]\n");
        assert!(refused(&shadow).is_some());
    }

    #[test]
    fn the_flow_scan_is_linear_on_long_runs_of_spaces() {
        // Once quadratic: each byte looked back over the spaces before it.
        let line = format!("a: x{}'y", " ".repeat(2_000_000));
        let mut flow = Flow::default();
        flow.scan(&line);
        assert_eq!(flow.quote, None, "a quote inside a plain scalar is text");
    }
}
