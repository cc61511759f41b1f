#!/usr/bin/env bash
# Seed the fuzz corpora (fuzz/corpus/<target>/, not committed) from the repository's fixtures:
# pages for frontmatter, html and fix, Markdown pages for markdown; hrefs and uri fields for uri; configurations (fixtures
# and the README's examples) for config; the caches partial runs write over copies of the
# fixture sites for cache. Safe to run again: it only adds files, named by their content.
set -euo pipefail
cd "$(dirname "$0")/.."
corpus=fuzz/corpus
for t in frontmatter html uri config cache fix markdown; do mkdir -p "$corpus/$t"; done

# One file per distinct content, named by its hash, as libFuzzer names its own.
put() { # put TARGET < content
  local tmp
  tmp=$(mktemp)
  cat >"$tmp"
  if [ -s "$tmp" ]; then
    mv "$tmp" "$corpus/$1/seed-$(sha1sum <"$tmp" | cut -c1-16)"
  else
    rm -f "$tmp"
  fi
}

# Pages: each fixture page (its first 64 KiB); for fix, one byte in front picks the repairs.
while IFS= read -r -d '' page; do
  head -c 65536 "$page" | put frontmatter
  head -c 65536 "$page" | put html
  case "$page" in *.md | *.mdx | *.markdown) head -c 65536 "$page" | put markdown ;; esac
  for seed in 0 1 2 3; do
    { printf "\\x3$seed"; head -c 65536 "$page"; } | put fix
  done
done < <(find fixtures -type f \( -name '*.html' -o -name '*.htm' -o -name '*.md' -o -name '*.mdx' -o -name '*.markdown' \) -print0 | sort -z)

# Markdown: one seed per construct the reader finds links and ids in (inline, `<>` and
# reference destinations with escapes and entities, autolinks and literals, headings with
# attributes and markup, footnotes, tables, quotes and lists, raw HTML, MDX's ESM, braces and
# components), so the fuzzer starts past the syntax.
printf '%s\n' '# Title {#custom .c}' '' 'See [a](/a/b "t"), [b](<c d> '"'"'t'"'"'), [c][ref] and [d].' \
    '' '[ref]: /x\(y\)&amp;z' '  "title"' '[d]: <sp ace>' | put markdown
printf '%s\n' '---' 'title: T' '---' '> - [q](../q/)' '>   ![i](/img.png)' '' '| a | [t](/t) |' '|---|---|' | put markdown
printf '%s\r\n' 'Setext *em* `code`' '========' '' 'Text<https://e.org/x> www.e.org/a_(b). me@x.org[^n]' '' '[^n]: note' | put markdown
printf '%s\n' 'import X from "./x"' 'export const a = {b: `${1}`}' '' '<Link href="/l" />' \
    '{a ? "}" : {b: 1}}' '<Card>' '' '```js' '{' '```' '' '</Card>' '<div id="h">[in](/html)</div>' | put markdown

# URIs: every quoted href/src value and every uri-like field value in the fixtures.
{
  grep -rhoE "(href|src|poster|data)=\"[^\"]*\"" fixtures | sed -E 's/^[a-z]+="//; s/"$//'
  grep -rhE '^(uri|slug|see_also|redirect_to|redirect): ' fixtures | sed -E 's/^[a-z_]+: //'
  printf '%s\n' '/a/../../etc/passwd' '/a/%2e%2e/%2E%2e/b' '/a/%2F..%2F/b' '..%2f..%2fx' \
    '/caf%C3%A9#sec' '//www.example.org/a/b/?q=1#f' 'https://www.example.org/a%2Fb' '/a\b'
} | sort -u | while IFS= read -r href; do printf '%s' "$href" | put uri; done

# Configurations: the fixtures' and the README's yaml examples.
while IFS= read -r -d '' config; do put config <"$config"; done \
  < <(find fixtures -type f -name '*.yaml' -print0 | sort -z)
awk '/^```yaml/ {on = 1; n++; next} /^```/ {on = 0} on {print > ("/tmp/pagelint-seed-readme-" n ".yaml")}' README.md
for f in /tmp/pagelint-seed-readme-*.yaml; do put config <"$f"; rm -f "$f"; done

# Caches: a partial run (one page reported on) over a copy of each fixture site writes both.
cargo build --quiet
bin=target/debug/pagelint
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
for site in fixtures/*/ fixtures/layouts/*/; do
  [ -f "$site/pagelint.yaml" ] || continue
  copy="$work/$(basename "$site")"
  cp -R "$site" "$copy"
  first=$(find "$copy" -name '*.html' | sort | head -n 1)
  [ -n "$first" ] || continue
  # Two runs: the second has an older cache to keep; --changed-since would need git.
  "$bin" check --quiet "$first" >/dev/null 2>&1 || true
  "$bin" check --quiet "$first" >/dev/null 2>&1 || true
  for f in "$copy"/.pagelint_cache/*.bin; do [ -f "$f" ] && put cache <"$f"; done
done
for t in frontmatter html uri config cache fix markdown; do
  echo "$t: $(find "$corpus/$t" -type f | wc -l) seeds"
done
