#!/usr/bin/env python3
"""An independent resolver for MDN's archived content, to measure pagelint against.

It shares no code with pagelint: Python's html.parser finds the links, urllib.parse resolves
them against each page's URL (https://developer.mozilla.org/en-US/docs/<slug>), and the paths
are compared as MDN's server compares them (percent-decoded, without query, fragment or
trailing slash, lower-cased). `_redirects.txt` is followed case-insensitively, through chains.
Each link of an `<a>` or `<area>` to the site's own host is then one of:

- redirected: its path is the source of a line, and the chain ends at a page or off the site;
- broken: no page has its path and no line forwards it;
- page: a page has its path (not reported);
- dead-redirect / loop: the chain ends at nothing, or comes back (reported at the line of the
  redirects file, not at the link; not compared).

Links whose last segment looks like a file name (`x.png`, but also `Releases/3.5`) are kept
apart as `file-like`: pagelint judges those as files (missing-asset), not pages.

The script then reads pagelint's JSON report (`--format json`) and prints the precision and
recall of pagelint's `redirected-link` and `broken-link` findings against these sets, keyed on
(page, line, column of the attribute value).

Usage:
  pagelint check --config fixtures/corpora/mdn.yaml --root MDN/files/en-us \\
      --select redirected-link,broken-link --format json > mdn.json
  scripts/mdn_redirects_oracle.py MDN/files/en-us mdn.json [--show N]
"""

import argparse
import bisect
import json
import os
import re
import sys
from html.parser import HTMLParser
from urllib.parse import unquote, urljoin, urlsplit

import yaml

HOST = "developer.mozilla.org"
BASE = "/en-US/docs/"
PAGE_EXTENSIONS = {"html", "htm", "md", "php", "asp", "aspx", "jsp", "shtml"}


def norm(path):
    """A path as the server compares it."""
    p = unquote(path, errors="replace").strip("/")
    return "/" + p.lower()


class Links(HTMLParser):
    """The href of every <a> and <area>, with the line and column of its value."""

    def __init__(self, text):
        super().__init__(convert_charrefs=True)
        self.text = text
        self.line_starts = [0] + [m.end() for m in re.finditer("\n", text)]
        self.found = []

    def tag_offset(self):
        line, col = self.getpos()
        return self.line_starts[line - 1] + col

    def handle_starttag(self, tag, attrs):
        if tag not in ("a", "area"):
            return
        hrefs = [v for k, v in attrs if k == "href" and v is not None]
        if not hrefs:
            return
        raw = self.get_starttag_text() or ""
        start = self.tag_offset()
        at = value_offset(raw, "href")
        pos = start + (at if at is not None else 0)
        line = bisect.bisect_right(self.line_starts, pos)
        col = pos - self.line_starts[line - 1] + 1
        self.found.append((line, col, hrefs[0]))

    handle_startendtag = handle_starttag


def value_offset(tag, name):
    """Where the value of attribute `name` starts in the raw tag text (after its quote)."""
    lower = tag.lower()
    i = 0
    while True:
        i = lower.find(name, i)
        if i < 0:
            return None
        before = lower[i - 1] if i else " "
        j = i + len(name)
        while j < len(tag) and tag[j].isspace():
            j += 1
        if before.isspace() and j < len(tag) and tag[j] == "=":
            j += 1
            while j < len(tag) and tag[j].isspace():
                j += 1
            if j < len(tag) and tag[j] in "\"'":
                j += 1
            return j
        i += len(name)


def front_matter(text):
    if not text.startswith("---"):
        return {}
    end = text.find("\n---", 3)
    if end < 0:
        return {}
    try:
        data = yaml.safe_load(text[3:end])
    except yaml.YAMLError:
        return {}
    return data if isinstance(data, dict) else {}


def read_site(root):
    pages = {}  # rel path -> (slug, text)
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        if "index.html" in filenames:
            path = os.path.join(dirpath, "index.html")
            with open(path, encoding="utf-8", errors="replace") as f:
                text = f.read()
            slug = front_matter(text).get("slug")
            rel = os.path.relpath(path, root).replace(os.sep, "/")
            pages[rel] = (str(slug) if slug is not None else None, text)
    return pages


def read_redirects(path):
    redirects = {}
    with open(path, encoding="utf-8", errors="replace") as f:
        for line in f:
            words = line.split("#", 1)[0].split()
            if len(words) < 2 or "*" in words[0] or "/:" in words[0]:
                continue
            src, dst = words[0], words[1]
            parts = urlsplit(urljoin("https://" + HOST + "/", dst))
            if parts.scheme in ("http", "https") and parts.hostname == HOST:
                to = ("internal", norm(parts.path))
            else:
                to = ("external", dst)
            redirects.setdefault(norm(src), to)
    return redirects


def classify(path, uris, redirects):
    if path in redirects:
        seen = {path}
        at = path
        while True:
            kind, to = redirects[at]
            if kind == "external":
                return "redirected"
            if to in seen or len(seen) > 50:
                return "loop"
            seen.add(to)
            if to in redirects:
                at = to
                continue
            return "redirected" if to in uris else "dead-redirect"
    if path in uris:
        return "page"
    last = path.rsplit("/", 1)[-1]
    stem, dot, ext = last.rpartition(".")
    if dot and stem and ext and ext not in PAGE_EXTENSIONS:
        return "file-like"
    return "broken"


def oracle(root):
    pages = read_site(root)
    uris = {norm(BASE + slug) for slug, _ in pages.values() if slug is not None}
    redirects = read_redirects(os.path.join(root, "_redirects.txt"))
    sets = {}
    for rel, (slug, text) in sorted(pages.items()):
        if slug is None:
            continue
        page_url = "https://" + HOST + BASE + slug.strip("/")
        parser = Links(text)
        parser.feed(text)
        parser.close()
        for line, col, href in parser.found:
            href = href.strip()
            if not href:
                continue
            url = urljoin(page_url, href)
            parts = urlsplit(url)
            if parts.scheme not in ("http", "https") or (parts.hostname or "") != HOST:
                continue
            kind = classify(norm(parts.path), uris, redirects)
            sets.setdefault(kind, set()).add((rel, line, col))
    return sets


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("root", help="MDN's files/en-us folder")
    ap.add_argument("report", help="pagelint's --format json report on that root")
    ap.add_argument("--show", type=int, default=5, help="examples of each disagreement")
    args = ap.parse_args()
    sets = oracle(args.root)
    with open(args.report) as f:
        report = json.load(f)
    found = {}
    for d in report["diagnostics"]:
        rel = os.path.relpath(os.path.abspath(d["path"]), os.path.abspath(args.root))
        found.setdefault(d["rule"], set()).add((rel.replace(os.sep, "/"), d["line"], d["column"]))
    print("oracle:", ", ".join(f"{k} {len(v)}" for k, v in sorted(sets.items())))
    ok = True
    for rule, kind in (("redirected-link", "redirected"), ("broken-link", "broken")):
        want = sets.get(kind, set())
        got = {k for k in found.get(rule, set()) if not k[0].startswith("_redirects")}
        both = want & got
        precision = len(both) / len(got) if got else 1.0
        recall = len(both) / len(want) if want else 1.0
        ok &= precision >= 0.99 and recall >= 0.99
        print(
            f"{rule}: pagelint {len(got)}, oracle {len(want)}, both {len(both)}: "
            f"precision {precision:.4f}, recall {recall:.4f}"
        )
        for label, extra in (("only pagelint", got - want), ("only oracle", want - got)):
            for key in sorted(extra)[: args.show]:
                other = [k for k, v in sets.items() if key in v]
                print(f"  {label}: {key[0]}:{key[1]}:{key[2]} (oracle: {other or ['no link']})")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
