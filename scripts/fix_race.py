#!/usr/bin/env python3
"""fix_race.py: how many of an editor's saves `pagelint fix` loses when it runs while they happen.

    fix_race.py [--pagelint BIN] [--saves N] [--seed S]

A small site is made in a temporary folder; its page a.html always holds a link `fix` repairs
(an absolute link to the site's own host), so every `fix` run rewrites it. One thread runs
`pagelint fix a.html` over and over; this one saves the page N times, as editors do: in place
(open, truncate, write) and by rename (write a temporary file, rename it over the page),
alternately, each save with its own marker. A short, random while after each save (0 to 30 ms:
the time a person takes is far longer, this only gives `fix` time to finish what it started),
the page is read: a save whose marker is gone was lost (`fix` replaced it with a repair of an
older save). Prints `saves N lost L fix-runs R skipped-as-changed C`.
"""

import argparse
import os
import random
import subprocess
import tempfile
import threading
import time

HEAD = (
    "---\nid: a\nuri: docs/a\ntitle: a\ntype: page\nauthorship: A\n"
    "updated_at: 2026-01-15T10:00:00Z\ncreated_at: 2026-01-10T10:00:00Z\n---\n"
)


def page(marker: int) -> str:
    # Some bulk, so that writing and syncing the fixed copy takes a while, as real pages do.
    filler = "<p>text</p>\n" * 2000
    return (
        f"{HEAD}<a href=\"https://www.example.org/docs/b\">b</a>\n"
        f"<!-- save {marker} -->\n{filler}"
    )


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--pagelint", default="target/debug/pagelint")
    ap.add_argument("--saves", type=int, default=200)
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()
    binary = os.path.abspath(args.pagelint)
    rng = random.Random(args.seed)
    with tempfile.TemporaryDirectory() as root:
        with open(os.path.join(root, "pagelint.yaml"), "w") as f:
            f.write("site:\n  hosts: [www.example.org]\n")
        with open(os.path.join(root, "b.html"), "w") as f:
            f.write(HEAD.replace("id: a", "id: b").replace("docs/a", "docs/b"))
        target = os.path.join(root, "a.html")
        with open(target, "w") as f:
            f.write(page(0))
        stop = threading.Event()
        counts = {"runs": 0, "changed": 0}

        def fixer() -> None:
            while not stop.is_set():
                out = subprocess.run(
                    [binary, "fix", "a.html", "--now", "2026-06-01T00:00:00Z", "-q"],
                    cwd=root,
                    capture_output=True,
                    text=True,
                )
                counts["runs"] += 1
                counts["changed"] += out.stderr.count("changed while")

        thread = threading.Thread(target=fixer)
        thread.start()
        lost = 0
        for marker in range(1, args.saves + 1):
            text = page(marker)
            if marker % 2:
                with open(target, "w") as f:
                    f.write(text)
            else:
                tmp = os.path.join(root, f".a.html.swp{marker}")
                with open(tmp, "w") as f:
                    f.write(text)
                os.rename(tmp, target)
            time.sleep(rng.uniform(0, 0.03))
            with open(target) as f:
                if f"<!-- save {marker} -->" not in f.read():
                    lost += 1
        stop.set()
        thread.join()
        print(
            f"saves {args.saves} lost {lost} fix-runs {counts['runs']} "
            f"skipped-as-changed {counts['changed']}"
        )


if __name__ == "__main__":
    main()
