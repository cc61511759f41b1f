#!/usr/bin/env python3
"""An independent oracle of which internal links and fragments of nodejs.org's pages fail.

It reads a copy of nodejs/nodejs.org's `apps/site` content (the layout of
../shared/corpora/nodejs: `pages/en/**`, `redirects.json`, `public/**`), lists every internal
link of every page (root-relative, relative, fragment-only and absolute to nodejs.org) and decides
for each, the way the site serves it, whether it resolves and whether its fragment names an
element id of the target page. It shares no code with pagelint: Markdown is read with
markdown-it-py (CommonMark + GFM tables, strikethrough, footnotes, autolink literals) and heading
ids come from a port of github-slugger, which is what the site's renderer uses (rehype-slug).

Install its dependencies into a venv (nothing is installed system-wide):

    python3 -m venv /tmp/oracle-venv
    /tmp/oracle-venv/bin/pip install markdown-it-py mdit-py-plugins linkify-it-py pyyaml

Run:

    /tmp/oracle-venv/bin/python scripts/nodejs_oracle.py /path/to/corpora/nodejs [--verdicts]

Output: one line per failing link, `file:line:col<TAB>href<TAB>why` (col: 1-based, of the
destination as written; for a reference link, in its definition), sorted; then a summary of
counts per kind of link and per verdict. `--verdicts` also prints every link's verdict
(`file:line:col<TAB>href<TAB>verdict<TAB>detail`), for spot checks; `--self-test` checks the
ported pieces (slugger, redirect matching, locale prefixing) and exits.

How nodejs.org serves a URL (evidence in nodejs/nodejs.org at 6f94c8a6ab, paths under apps/site
unless said otherwise; see notes-nodejs.md in the worktree for the long form):
1. Another service answers /api, /dist, /docs, /download, /metrics (each with everything under
   it), /node-config-schema.json and /llms.txt: the Release Worker's routes on the zone
   (nodejs/release-cloudflare-worker, wrangler.jsonc, env prod). /learn is another app too
   (next.constants.mjs LEARN_URL; redirects.json sends /learn/:path* to https://nodejs.org/learn/,
   which would loop if this app answered it). Those links are not judged.
2. Next.js redirects (next.rewrites.mjs over redirects.json, in order, first match wins):
   `/:locale` becomes `/:locale(en|es|…|)?` (the enabled locales or none); matched as Next.js
   matches custom routes: path-to-regexp, case-insensitive, strict (no optional trailing slash).
3. middleware.ts runs on `/` only (next-intl: redirect to a locale, `/en` by default).
4. Files in public/ are served at their path (case-sensitive).
5. Markdown links and the JSX Link, LinkWithArrow and Button components render through
   components/Link.tsx: next-intl's Link (navigation.mjs, localePrefix 'always') puts the page's
   locale in front of every root-relative href (`/blog/x/` is `/en/blog/x`, `/en/x` is `/en/en/x`)
   (mdx/components.mjs `a: Link`); images, `http(s):` hrefs and plain `<a>` are left alone.
6. App routes (app/): /[locale] and /[locale]/[...path] render pages/en/<path>.md(x) (every
   enabled locale falls back to the English file); /[locale]/blog/[...path] renders a post or,
   when the path is a substring of a category or `category/page/N` (next.dynamic.constants.mjs
   BLOG_DYNAMIC_ROUTES, `r.includes(pathname)`), a listing; /[locale]/download/archive/[version];
   /[locale]/feed/[feed] for en and the feeds of site.json only (dynamicParams = false);
   /[locale]/next-data/og/…; /robots.txt, /sitemap.xml, /site.json. A locale that is known but
   disabled redirects to /en/…; any other first segment is a 404 (next.dynamic.page.mjs).
   A page's key is its path under pages/en without `index` and `.md(x)`, then `.replace('.', '')`
   (the first dot!), for the file and the request alike (next.dynamic.mjs).
7. Headings get ids from rehype-slug (github-slugger over the heading's text) (mdx/plugins.mjs);
   `.md` files are compiled by MDX with format 'md', which drops raw HTML (rehype-remove-raw),
   so links and ids written in HTML inside a `.md` body are not on the served page; in `.mdx`
   the HTML is JSX and is rendered.
"""

from __future__ import annotations

import argparse
import json
import math
import posixpath
import re
import sys
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timezone
from html import unescape
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

try:
    import yaml
    from markdown_it import MarkdownIt
    from mdit_py_plugins.footnote import footnote_plugin
except ImportError as e:  # pragma: no cover - a usage error
    sys.exit(f"missing dependency ({e}); install them as the docstring of {__file__} says")

HOST = "nodejs.org"
OWN_HOSTS = {"nodejs.org", "www.nodejs.org"}

# packages/i18n/src/config.json: `enabled` locales, and all the known ones.
ENABLED_LOCALES = ["en", "es", "fr", "id", "ja", "ko", "pt-br", "pt", "ro", "ta", "tr", "uk",
                   "zh-cn", "zh-tw"]
ALL_LOCALES = ENABLED_LOCALES + ["ar", "bn", "de", "el", "fa", "fi", "he", "hi", "it", "ka", "mn",
                                 "nl", "pl", "ru", "sr", "sv", "ur", "uz"]
DEFAULT_LOCALE = "en"
# site.json rssFeeds[].file
FEEDS = ["blog.xml", "releases.xml", "vulnerability.xml"]
# next.constants.mjs BLOG_POSTS_PER_PAGE
POSTS_PER_PAGE = 6
# The Release Worker's routes on nodejs.org (nodejs/release-cloudflare-worker, wrangler.jsonc),
# and the Learn app (next.constants.mjs LEARN_URL).
OTHER_SERVICE_PREFIXES = ["/api", "/dist", "/docs", "/download", "/metrics", "/learn"]
OTHER_SERVICE_FILES = ["/node-config-schema.json", "/llms.txt"]
# app/robots.ts, app/sitemap.ts, app/site.json/route.ts
APP_FILES = ["/robots.txt", "/sitemap.xml", "/site.json"]


# --- github-slugger (Flet/github-slugger 2.x, regex from Unicode 13 general categories) -------

def _alphabetic_extra(cp: int) -> bool:
    """Other_Alphabetic code points that are symbols (circled and squared Latin letters)."""
    return (0x24B6 <= cp <= 0x24E9 or 0x1F130 <= cp <= 0x1F149 or 0x1F150 <= cp <= 0x1F169
            or 0x1F170 <= cp <= 0x1F189)


_STRIP = {"No", "Pe", "Pf", "Pi", "Ps", "Po", "Pd", "Sm", "Sc", "Sk", "So", "Cc", "Co", "Cf",
          "Cn", "Zs", "Zl", "Zp"}


def _stripped(ch: str) -> bool:
    if ch in (" ", "-"):
        return False
    cat = unicodedata.category(ch)
    if cat not in _STRIP:
        return False
    # Letters are never stripped; the symbols among the Alphabetic code points are kept too.
    return not _alphabetic_extra(ord(ch))


def github_slug(text: str) -> str:
    text = text.lower()
    return "".join(c for c in text if not _stripped(c)).replace(" ", "-")


class Slugger:
    def __init__(self) -> None:
        self.occurrences: dict[str, int] = {}

    def slug(self, text: str) -> str:
        result = github_slug(text)
        original = result
        while result in self.occurrences:
            self.occurrences[original] += 1
            result = f"{original}-{self.occurrences[original]}"
        self.occurrences[result] = 0
        return result


# --- pages -------------------------------------------------------------------------------------

@dataclass
class Link:
    file: str
    line: int
    col: int
    href: str
    kind: str  # markdown | image | autolink | reference | html | jsx
    rendered: bool = True
    # Rendered through the site's Link component (next-intl), which puts the page's locale in
    # front of a root-relative href.
    localized: bool = False


@dataclass
class Page:
    file: str  # relative to the corpus root
    path: str  # under pages/en, without extension
    front: dict
    ids: list[str] = field(default_factory=list)  # anchors on the served page
    html_ids: list[str] = field(default_factory=list)  # ids in HTML that the site drops
    links: list[Link] = field(default_factory=list)


def page_key(rel: str) -> str:
    """next.dynamic.mjs: the pathname a file (or a request) is known by."""
    pathname = re.sub(r"((/)?(index))?\.mdx?$", "", rel, flags=re.IGNORECASE)
    if len(pathname) > 1 and pathname.endswith("/"):
        pathname = pathname[:-1]
    return normalize(pathname).replace(".", "", 1)


def normalize(p: str) -> str:
    """node's path.normalize for a relative posix path ('' gives '.')."""
    if p == "":
        return "."
    trailing = p.endswith("/")
    out = posixpath.normpath(p)
    if trailing and out != "/":
        out += "/"
    return out


FRONT = re.compile(r"\A---[ \t]*\r?\n(.*?\r?\n)?---[ \t]*(\r?\n|\Z)", re.S)
ATTR = re.compile(r"""([A-Za-z_:][-A-Za-z0-9_:.]*)\s*=\s*("([^"]*)"|'([^']*)')""")
TAG = re.compile(r"<([A-Za-z][A-Za-z0-9.]*)((?:\s+[^<>]*?)?)/?>", re.S)


def split_front(text: str) -> tuple[dict, int, int]:
    """The front matter, the offset of the body and its first line (1-based)."""
    m = FRONT.match(text)
    if not m:
        return {}, 0, 1
    try:
        data = yaml.safe_load(m.group(1) or "") or {}
    except yaml.YAMLError:
        data = {}
    return (data if isinstance(data, dict) else {}), m.end(), text.count("\n", 0, m.end()) + 1


def new_parser(mdx: bool = False) -> MarkdownIt:
    """CommonMark + GFM as remark-gfm has it. For MDX (micromark's MDX extensions): no indented
    code and no HTML (JSX tags are taken out before parsing, see blank_jsx)."""
    md = MarkdownIt("commonmark", {"linkify": True, "html": not mdx})
    md.enable(["table", "strikethrough", "linkify"])
    if mdx:
        md.disable(["code", "html_block", "html_inline"])
    md.linkify.set({"fuzzy_link": False, "fuzzy_email": False})
    md.use(footnote_plugin)
    mark_refs(md)
    return md


FENCE = re.compile(r"(?m)^ {0,3}(`{3,}|~{3,})[^\n]*\n(?:.*?\n)?? {0,3}\1[`~]*[ \t]*(?:\n|\Z)", re.S)
CLOSE_TAG = re.compile(r"</[A-Za-z][A-Za-z0-9.]*\s*>")


def blank_jsx(body: str) -> tuple[str, list[re.Match]]:
    """MDX: JSX tags are not Markdown. Return the body with every tag outside fenced code
    replaced by spaces (newlines kept, so offsets stay), and the opening tags found."""
    fenced = [(m.start(), m.end()) for m in FENCE.finditer(body)]

    def in_fence(i: int) -> bool:
        return any(a <= i < b for a, b in fenced)

    out = list(body)
    opening = []
    for rx in (TAG, CLOSE_TAG):
        for m in rx.finditer(body):
            if in_fence(m.start()):
                continue
            if rx is TAG:
                opening.append(m)
            for i in range(m.start(), m.end()):
                if out[i] != "\n":
                    out[i] = " "
    return "".join(out), sorted(opening, key=lambda m: m.start())


def heading_text(inline) -> str:
    """hast-util-to-string of the heading element: text, code and link text; no HTML, no alt."""
    out = []
    for t in inline.children or []:
        if t.type in ("text", "code_inline"):
            out.append(t.content)
        elif t.type in ("softbreak", "hardbreak"):
            out.append("\n")
    return "".join(out)


class Locator:
    """Finds where a destination is written, searching forward through the source."""

    def __init__(self, text: str, body_start: int):
        self.text = text
        self.line_starts = [0] + [i + 1 for i, c in enumerate(text) if c == "\n"]
        self.cursor: dict[int, int] = {}
        self.body_start = body_start

    def offset_of_line(self, line0: int) -> int:
        return self.line_starts[min(line0, len(self.line_starts) - 1)]

    def find(self, block_line0: int, block_end0: int, needles: list[str]) -> tuple[int, int]:
        start = max(self.cursor.get(block_line0, 0), self.offset_of_line(block_line0))
        end = self.offset_of_line(block_end0) if block_end0 < len(self.line_starts) else len(self.text)
        for needle in needles:
            if not needle:
                continue
            i = self.text.find(needle, start, end)
            if i >= 0:
                self.cursor[block_line0] = i + len(needle)
                return self.line_col(i)
        return self.line_col(self.offset_of_line(block_line0))

    def line_col(self, offset: int) -> tuple[int, int]:
        import bisect
        li = bisect.bisect_right(self.line_starts, offset) - 1
        return li + 1, offset - self.line_starts[li] + 1


def needles_for(href: str) -> list[str]:
    return [href, unquote(href), href.replace("&", "&amp;")]


def read_page(root: Path, file: Path, md: MarkdownIt, mdx: MarkdownIt) -> Page:
    rel = file.relative_to(root).as_posix()
    text = file.read_text(encoding="utf-8")
    front, body_at, _ = split_front(text)
    under = file.relative_to(root / "pages" / "en").as_posix()
    page = Page(rel, re.sub(r"\.mdx?$", "", under), front)
    # Every layout wraps the body in <main id="main"> (layouts/*.tsx).
    page.ids.append("main")
    is_mdx = file.suffix == ".mdx"
    # The body, with the front matter blanked (lines kept) so that token lines are file lines.
    body = "\n" * text.count("\n", 0, body_at) + text[body_at:]
    if is_mdx:
        # MDX: import/export lines are ESM, not Markdown; blank them.
        body = re.sub(r"(?m)^(import|export)\s.*$", "", body)
    loc = Locator(body, body_at)
    jsx_tags: list[re.Match] = []
    if is_mdx:
        parsed, jsx_tags = blank_jsx(body)
    env: dict = {}
    tokens = (mdx if is_mdx else md).parse(parsed if is_mdx else body, env)
    slugger = Slugger()
    # The line of each reference definition's destination.
    defs: dict[str, tuple[int, int, str]] = {}
    for m in re.finditer(r"(?m)^ {0,3}\[((?:[^\]\\]|\\.)+)\]:[ \t]*(?:\n[ \t]*)?<?([^\s>]+)", body):
        label = " ".join(m.group(1).split()).casefold()
        if label not in defs:
            line, col = loc.line_col(m.start(2))
            defs[label] = (line, col, m.group(2))

    def html_links(src: str, line0: int, end0: int, rendered: bool, kind: str):
        for tm in TAG.finditer(src):
            attrs = tm.group(2) or ""
            for am in ATTR.finditer(attrs):
                name = am.group(1).lower()
                value = am.group(3) if am.group(3) is not None else am.group(4)
                value = unescape(value) if kind == "html" else value
                if name in ("href", "src"):
                    line, col = loc.find(line0, end0, [am.group(0)])
                    col += len(am.group(0)) - len(am.group(2)) + 1
                    page.links.append(Link(rel, line, col, value.strip(), kind, rendered))
                elif name in ("id", "name") and (name == "id" or tm.group(1).lower() == "a"):
                    (page.ids if rendered else page.html_ids).append(value)

    for tm in jsx_tags:
        tag, attrs = tm.group(1), tm.group(2) or ""
        # components/Link.tsx (via next-intl's Link) renders these; `<Button as="a">` and
        # lowercase JSX tags are plain anchors (MDX maps only Markdown's own `a` to Link).
        localized = tag in ("Link", "LinkWithArrow") or (
            tag == "Button" and not re.search(r"\bas=", attrs))
        for am in ATTR.finditer(attrs):
            name = am.group(1).lower()
            value = am.group(3) if am.group(3) is not None else am.group(4)
            if name in ("href", "src"):
                at = tm.start(2) + am.start(2) + 1
                line, col = loc.line_col(at)
                page.links.append(Link(rel, line, col, value.strip(), "jsx", True, localized))
            elif name == "id":
                page.ids.append(value)
    last_map = [0, 1]
    for i, tok in enumerate(tokens):
        # Inline tokens of table cells and footnotes have no map: the enclosing block's serves.
        if tok.map:
            last_map = tok.map
        if tok.type == "heading_open":
            text_ = heading_text(tokens[i + 1])
            page.ids.append(slugger.slug(text_))
        if tok.type == "html_block":
            l0, l1 = last_map
            html_links(tok.content, l0, l1, False, "html")
        if tok.type != "inline":
            continue
        l0, l1 = last_map
        for child in tok.children or []:
            if child.type == "link_open":
                href = child.attrs.get("href", "")
                if child.markup == "autolink" or child.markup == "linkify":
                    kind = "autolink"
                    line, col = loc.find(l0, l1, needles_for(href))
                    page.links.append(Link(rel, line, col, href, kind))
                    continue
                raw = raw_destination(child, env)
                if raw is not None:
                    label, dest = raw
                    line, col, _ = defs.get(label, (l0 + 1, 0, dest))
                    page.links.append(Link(rel, line, col, href, "reference", localized=True))
                else:
                    line, col = loc.find(l0, l1, ["](" + n for n in needles_for(href)]
                                         + ["](<" + n for n in needles_for(href)])
                    page.links.append(Link(rel, line, col + 2, href, "markdown", localized=True))
            elif child.type == "image":
                src = child.attrs.get("src", "")
                raw = raw_destination(child, env)
                if raw is not None:
                    label, dest = raw
                    line, col, _ = defs.get(label, (l0 + 1, 0, dest))
                    page.links.append(Link(rel, line, col, src, "reference"))
                else:
                    line, col = loc.find(l0, l1, ["](" + n for n in needles_for(src)])
                    page.links.append(Link(rel, line, col + 2, src, "image"))
            elif child.type == "html_inline":
                html_links(child.content, l0, l1, False, "html")
    # GFM footnotes (remark-rehype: user-content-fn-N / user-content-fnref-N).
    for n, fn in enumerate((env.get("footnotes") or {}).get("list", {}).values(), start=1):
        page.ids += [f"user-content-fn-{n}", f"user-content-fnref-{n}"]
    return page


def raw_destination(token, env) -> tuple[str, str] | None:
    """The (label, "") of a reference link or image, as mark_refs recorded it; None otherwise."""
    return token.meta.get("ref") if token.meta else None


# --- redirects: Next.js custom routes (path-to-regexp 6, strict, case-insensitive) -----------

def compile_source(source: str) -> re.Pattern:
    source = source.replace("/:locale", "/:locale(" + "|".join(ENABLED_LOCALES) + "|)?", 1)
    out = "^"
    i = 0
    names: list[str] = []
    unnamed = 0
    while i < len(source):
        c = source[i]
        if c in "/:(" and (c != "/" or source[i + 1:i + 2] in (":", "(")):
            prefix = ""
            if c == "/":
                prefix = "/"
                i += 1
                c = source[i]
            if c == ":":
                m = re.match(r":([A-Za-z0-9_]+)", source[i:])
                name = m.group(1)
                i += len(m.group(0))
            else:
                name = f"_{unnamed}"
                unnamed += 1
            pattern = "[^/#?]+?"
            if i < len(source) and source[i] == "(":
                depth, j = 0, i
                while j < len(source):
                    if source[j] == "(":
                        depth += 1
                    elif source[j] == ")":
                        depth -= 1
                        if depth == 0:
                            break
                    j += 1
                pattern = source[i + 1:j]
                i = j + 1
            mod = source[i] if i < len(source) and source[i] in "?*+" else ""
            if mod:
                i += 1
            names.append(name)
            grp = f"(?P<{name}>{pattern})" if not name.startswith("_") else f"({pattern})"
            p = re.escape(prefix)
            if mod in ("*", "+"):
                rep = f"(?P<{name}>{pattern}(?:{p}{pattern})*)" if not name.startswith("_") \
                    else f"((?:{pattern})(?:{p}(?:{pattern}))*)"
                out += f"(?:{p}{rep})" + ("?" if mod == "*" else "")
            else:
                out += f"(?:{p}{grp})" + ("?" if mod == "?" else "")
        else:
            out += re.escape(c)
            i += 1
    return re.compile(out + "$", re.IGNORECASE)


def load_redirects(root: Path) -> list[tuple[str, re.Pattern, str]]:
    data = json.loads((root / "redirects.json").read_text(encoding="utf-8"))
    return [(r["source"], compile_source(r["source"]), r["destination"])
            for r in data.get("external", [])]


def apply_destination(dest: str, m: re.Match) -> str | None:
    """Fill `:name`, `:name*` and `:name?` from the match, as path-to-regexp's compile does: an
    optional param (`*`, `?`) that matched nothing is left out with its `/`; None when a required
    one matched nothing (Next.js cannot build that destination)."""
    params = m.groupdict()

    def fill(p: str) -> str:
        def sub(mm):
            name, mod = mm.group(2), mm.group(3)
            if name not in params:
                return mm.group(0)
            v = params[name]
            if v is None:
                if mod in ("*", "?"):
                    return ""
                raise KeyError(name)
            return mm.group(1) + v
        return re.sub(r"(/?):([A-Za-z0-9_]+)([*?+]?)", sub, p)

    path_part, q, rest = dest.partition("?")
    try:
        if "://" in path_part:
            scheme, _, hostpath = path_part.partition("://")
            host, slash, p = hostpath.partition("/")
            filled = scheme + "://" + host + fill(slash + p)
        else:
            filled = fill(path_part) or "/"
    except KeyError:
        return None
    return filled + q + rest


# --- the site ----------------------------------------------------------------------------------

@dataclass
class Verdict:
    status: str  # page | route | static | other-service | external | redirect-external | broken
    detail: str
    page: Page | None = None
    hops: list[str] = field(default_factory=list)
    uncertain: str = ""


class Site:
    def __init__(self, root: Path, pages: list[Page]):
        self.root = root
        self.pages = pages
        self.by_key: dict[str, Page] = {}
        for p in pages:
            self.by_key.setdefault(page_key(Path(p.file).relative_to("pages/en").as_posix()), p)
        self.redirects = load_redirects(root)
        self.public = {"/" + f.relative_to(root / "public").as_posix()
                       for f in (root / "public").rglob("*") if f.is_file()}
        self.blog_routes = self._blog_routes()

    def _blog_routes(self) -> list[str]:
        """next.dynamic.constants.mjs BLOG_DYNAMIC_ROUTES from scripts/blog-data/generate.mjs."""
        counts: Counter = Counter()
        order = ["all"]
        for p in self.pages:
            if not p.file.startswith("pages/en/blog/") or p.file.endswith("/index.md"):
                continue
            category = p.front.get("category", "uncategorized")
            date = p.front.get("date")
            year = parse_year(date)
            cats = [str(category), f"year-{year}", "all"]
            for c in cats:
                counts[c] += 1
                if c not in order:
                    order.append(c)
        routes = list(order)
        for c in order:
            routes += [f"{c}/page/{n}" for n in range(1, math.ceil(counts[c] / POSTS_PER_PAGE) + 1)]
        return routes

    def resolve(self, path: str, hops: list[str] | None = None) -> Verdict:
        hops = hops or []
        if len(hops) > 20:
            return Verdict("broken", "redirect loop", hops=hops)
        # 1. other services on the host
        for pre in OTHER_SERVICE_PREFIXES:
            if path == pre or path.startswith(pre + "/"):
                return Verdict("other-service", pre, hops=hops)
        if path in OTHER_SERVICE_FILES:
            return Verdict("other-service", path, hops=hops)
        # 2. Next.js redirects (on the raw path: trailing slash kept, strict matching)
        for source, rx, dest in self.redirects:
            m = rx.match(path)
            if not m:
                continue
            target = apply_destination(dest, m)
            if target is None:
                return Verdict("broken", f"redirect {source} -> {dest} with no locale", hops=hops)
            hops = hops + [target]
            u = urlsplit(target)
            if u.scheme:
                if u.hostname in OWN_HOSTS:
                    return self.resolve(unquote(u.path) or "/", hops)
                return Verdict("redirect-external", target, hops=hops)
            return self.resolve(unquote(u.path), hops)
        # 3. middleware on `/`
        if path == "/":
            return self.resolve("/" + DEFAULT_LOCALE, hops + ["/" + DEFAULT_LOCALE])
        uncertain = ""
        if path != "/" and path.endswith("/"):
            # next.config.mjs skipTrailingSlashRedirect: no redirect to the form without the
            # slash, and the redirects above are matched strictly (Next.js custom routes), so
            # none of them matched; app routes are matched without the slash (Next.js's
            # skip-trailing-slash-redirect test: `/another/` answers 200 like `/another`).
            uncertain = "trailing slash"
            path = path.rstrip("/")
        # 4. public/
        if path in self.public:
            return Verdict("static", path, hops=hops, uncertain=uncertain)
        if path in APP_FILES:
            return Verdict("route", path, hops=hops, uncertain=uncertain)
        # 5. app routes
        segs = path.split("/")[1:]
        locale = segs[0]
        if locale not in ENABLED_LOCALES:
            if locale in ALL_LOCALES:
                return self.resolve("/" + "/".join([DEFAULT_LOCALE] + segs[1:]), hops + ["/en/…"])
            return Verdict("broken", f"404: no file in public/ and no locale {locale!r} "
                           "(app/[locale])", hops=hops, uncertain=uncertain)
        rest = segs[1:]
        v = self._route(locale, rest)
        v.hops = hops
        v.uncertain = uncertain
        return v

    def _route(self, locale: str, rest: list[str]) -> Verdict:
        if rest[:1] == ["blog"] and len(rest) > 1:
            pathname = "/".join(rest[1:])
            if any(pathname in r for r in self.blog_routes):
                return Verdict("route", f"blog listing {pathname}")
            p = self.by_key.get(page_key("blog/" + pathname))
            if p:
                return Verdict("page", p.file, p)
            return Verdict("broken", "404: no blog post or category (app/[locale]/blog)")
        if rest[:2] == ["download", "archive"] and len(rest) == 3:
            if rest[2] == "current" or re.fullmatch(r"v?\d+(\.\d+){0,2}", rest[2]):
                return Verdict("route", "download archive")
            return Verdict("broken", "404: no such version (app/[locale]/download/archive)")
        if rest[:1] == ["feed"] and len(rest) == 2:
            if locale == DEFAULT_LOCALE and rest[1] in FEEDS:
                return Verdict("route", f"feed {rest[1]}")
            return Verdict("broken", "404: not a feed of site.json (dynamicParams = false)")
        if rest[:2] == ["next-data", "og"] and len(rest) == 4:
            return Verdict("route", "og image")
        p = self.by_key.get(page_key("/".join(rest)))
        if p and p.front.get("layout"):
            return Verdict("page", p.file, p)
        return Verdict("broken", "404: no page (app/[locale]/[...path])")


def parse_year(date) -> int:
    if isinstance(date, datetime):
        return (date.astimezone(timezone.utc) if date.tzinfo else date).year
    if hasattr(date, "year"):
        return date.year
    if isinstance(date, str):
        try:
            d = datetime.fromisoformat(date.replace("Z", "+00:00"))
            return (d.astimezone(timezone.utc) if d.tzinfo else d).year
        except ValueError:
            pass
    return datetime.now(timezone.utc).year


# --- reference links: markdown-it-py resolves them; find which links were references -----------

def mark_refs(md: MarkdownIt) -> None:
    """Record on each link/image token whether it came from a reference (`[t][r]`, `[r][]`,
    `[r]`): wrap the inline link/image rules and look at the source right after the text."""
    from markdown_it.rules_inline.image import image as image_rule
    from markdown_it.rules_inline.link import link as link_rule
    from markdown_it.common.utils import normalizeReference

    def wrap(rule, open_type):
        def wrapped(state, silent):
            start = state.pos
            n = len(state.tokens)
            ok = rule(state, silent)
            if ok and not silent:
                src = state.src[start:state.pos]
                for t in state.tokens[n:]:
                    if t.type == open_type:
                        ref = reference_label(src)
                        if ref is not None:
                            t.meta = dict(t.meta or {}, ref=(normalizeReference(ref).casefold()
                                                             .lower(), ""))
                        break
            return ok
        return wrapped

    md.inline.ruler.at("link", wrap(link_rule, "link_open"))
    md.inline.ruler.at("image", wrap(image_rule, "image"))


def reference_label(src: str) -> str | None:
    """For the source of a link `[text](dest)`, `[text][label]`, `[label][]` or `[label]`:
    the label when it is a reference, else None."""
    if src.startswith("!"):
        src = src[1:]
    depth, i = 0, 0
    while i < len(src):
        c = src[i]
        if c == "\\":
            i += 2
            continue
        if c == "[":
            depth += 1
        elif c == "]":
            depth -= 1
            if depth == 0:
                break
        i += 1
    text, after = src[1:i], src[i + 1:]
    if after.startswith("("):
        return None
    if after.startswith("[") and len(after) > 2:
        return after[1:-1]
    return text


# --- judging -----------------------------------------------------------------------------------

def page_url(page: Page) -> str:
    path = re.sub(r"(^|/)index$", "", page.path)
    return f"https://{HOST}/en" + ("/" + path if path else "")


def has_fragment(target: Page, frag: str) -> bool:
    if frag == "" or frag.lower() == "top":
        return True
    return frag in target.ids or unquote(frag) in target.ids


def localize(href: str, locale: str = DEFAULT_LOCALE) -> str:
    """What next-intl's Link (createNavigation, localePrefix 'always', no trailing slash) makes
    of a root-relative href on a page of `locale`: the prefix goes in front, whatever the href
    already holds (`/en/x` becomes `/en/en/x`), and a trailing slash is dropped."""
    if len(href) > 1 and href.endswith("/"):
        href = href[:-1]
    if re.fullmatch(r"/(\?.*)?", href):
        href = href[1:]
    return "/" + locale + href


def judge(site: Site, page: Page, link: Link):
    href = link.href
    if not href:
        return "ignored", "empty", None
    u = urlsplit(href)
    if u.scheme and u.scheme not in ("http", "https"):
        return "ignored", f"scheme {u.scheme}", None
    if u.scheme or href.startswith("//"):
        if (u.hostname or "") not in OWN_HOSTS:
            return "external", u.hostname or "", None
        kind = "own-host"
    elif href.startswith("#"):
        kind = "fragment-only"
    elif href.startswith("/"):
        kind = "root-relative"
    else:
        kind = "relative"
    if link.localized and href.startswith("/") and not href.startswith("//"):
        href = localize(href)
    absolute = urljoin(page_url(page), href)
    a = urlsplit(absolute)
    path = unquote(a.path) or "/"
    frag = a.fragment
    v = site.resolve(path)
    return kind, v, frag


def self_test() -> None:
    """The pieces that stand in for the site's JavaScript, on cases worked out by hand from the
    code they port."""
    sl = Slugger()
    assert [sl.slug(t) for t in ["Hello World", "Hello World", "hello world!", "Hello World"]] \
        == ["hello-world", "hello-world-1", "hello-world-2", "hello-world-3"]
    assert github_slug("Node.js v20.0.0 — what's new?") == "nodejs-v2000--whats-new"
    assert github_slug("CVE-2016-6304: OCSP") == "cve-2016-6304-ocsp"
    assert github_slug("`fs.cp()` & ⓐ_β") == "fscp--ⓐ_β"
    assert page_key("blog/release/v20.0.0.md") == "blog/release/v200.0"
    assert page_key("about/index.mdx") == "about" and page_key("index.mdx") == ""
    assert localize("/blog/x/") == "/en/blog/x" and localize("/") == "/en"
    assert localize("/en/blog") == "/en/en/blog" and localize("/?q=1") == "/en?q=1"
    rx = compile_source("/:locale/get-involved/:path*")
    m = rx.match("/ES/get-involved/a/b")
    assert m and apply_destination("/:locale/about/get-involved/:path*", m) \
        == "/ES/about/get-involved/a/b"
    assert not rx.match("/es/get-involved/") and not rx.match("/de/get-involved")
    m = compile_source("/blog/:path*").match("/blog")
    assert m and apply_destination("/en/blog/:path*", m) == "/en/blog"
    m = compile_source("/:locale/eol").match("/eol")
    assert m and apply_destination("/:locale/about/eol", m) is None
    assert compile_source("/(atom|feed|rss).xml").match("/rss.xml")
    assert not compile_source("/(atom|feed|rss).xml").match("/rssxxml")
    assert reference_label("[a][b]") == "b" and reference_label("[a][]") == "a"
    assert reference_label("[a](b)") is None and reference_label("![a]") == "a"
    print("self-test: ok")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("corpus", type=Path, nargs="?")
    ap.add_argument("--self-test", action="store_true", help="check the ported pieces and exit")
    ap.add_argument("--verdicts", action="store_true", help="print every internal link's verdict")
    args = ap.parse_args()
    if args.self_test:
        self_test()
        return 0
    if args.corpus is None:
        ap.error("the corpus folder is required")
    root: Path = args.corpus
    if not (root / "pages" / "en").is_dir() or not (root / "redirects.json").is_file():
        sys.exit(f"{root}: not a copy of nodejs.org's apps/site (pages/en, redirects.json)")
    md, mdx = new_parser(), new_parser(mdx=True)
    files = sorted(p for p in (root / "pages" / "en").rglob("*") if p.suffix in (".md", ".mdx"))
    pages = [read_page(root, f, md, mdx) for f in files]
    site = Site(root, pages)

    counts: Counter = Counter()
    failing: list[tuple[str, str, str]] = []
    verdicts: list[str] = []
    for page in pages:
        for link in page.links:
            kind, v, frag = judge(site, page, link)
            if kind in ("ignored", "external"):
                counts[("all", kind)] += 1
                continue
            where = f"{link.file}:{link.line}:{link.col}"
            group = kind if link.rendered else "html-in-md"
            counts[(group, "seen")] += 1
            status = v.status
            why = ""
            if status == "page" and frag is not None and frag != "":
                if not has_fragment(v.page, frag):
                    hint = " (only an HTML id, which MDX drops from .md)" \
                        if frag in v.page.html_ids or unquote(frag) in v.page.html_ids else ""
                    why = f"fragment #{frag} is no id on {v.page.file}{hint}"
                    status = "broken-fragment"
            elif status == "broken":
                why = v.detail + (f" (via {' -> '.join(v.hops)})" if v.hops else "")
            if v.hops:
                counts[(group, "redirected")] += 1
            label = {"page": "resolved", "route": "resolved", "static": "resolved",
                     "other-service": "other-service", "redirect-external": "redirect-external",
                     "broken": "failing", "broken-fragment": "fragment-failing"}[status]
            if v.uncertain:
                counts[(group, "with trailing /")] += 1
                why += " (with its trailing slash no redirect matches: redirects are matched" \
                       " strictly)" if status == "broken" else ""
            counts[(group, label)] += 1
            if label in ("failing", "fragment-failing"):
                failing.append((where, link.href, why + ("" if link.rendered else
                                                         " [in HTML the site does not render]")))
            if args.verdicts:
                detail = v.detail if status != "broken-fragment" else why
                hops = (" via " + " -> ".join(v.hops)) if v.hops else ""
                if link.localized and link.href.startswith("/"):
                    hops = f" (rendered as {localize(link.href)})" + hops
                verdicts.append(f"{where}\t{link.href}\t{label}\t{link.kind}: {detail}{hops}")

    key = lambda r: (r[0].split(":")[0], int(r[0].split(":")[1]), int(r[0].split(":")[2]))
    for row in sorted(failing, key=key):
        print("\t".join(row))
    if args.verdicts:
        print("\n# verdicts")
        for row in verdicts:
            print(row)
    print(f"\n# summary: {len(pages)} pages, {sum(len(p.links) for p in pages)} links")
    print(f"external: {counts[('all', 'external')]}, other schemes: {counts[('all', 'ignored')]}")
    cols = ["seen", "resolved", "redirected", "other-service", "redirect-external", "failing",
            "fragment-failing", "with trailing /"]
    print("kind".ljust(14) + "".join(c.rjust(18) for c in cols))
    groups = ["root-relative", "relative", "fragment-only", "own-host", "html-in-md"]
    for g in groups:
        print(g.ljust(14) + "".join(str(counts[(g, c)]).rjust(18) for c in cols))
    print("total".ljust(14) + "".join(str(sum(counts[(g, c)] for g in groups)).rjust(18)
                                      for c in cols))
    return 0


if __name__ == "__main__":
    sys.exit(main())
