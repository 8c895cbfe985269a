#!/usr/bin/env bash
# gongsi against Zola, side by side in one run (../shared/bench/README.md).
#
# For each N: gongsi builds the synthetic site (`examples/synth.rs`: N programs, both
# languages, every chart, embed, data file, search index, feed and link check) and Zola
# 0.22.1 builds the pages-only peer corpus (`peer_corpus.py N`), alternating, ROUNDS
# times; the table gives medians of wall time, CPU time and peak memory, and the ratios.
# Beside them, the physical floor: copying gongsi's own output tree. Then gongsi's
# rebuilds (nothing changed, one program changed) and the serve round trip (save →
# the served page shows it). Everything lives on tmpfs (/dev/shm) so the disk hides
# neither engine's cost.
#
#   scripts/bench.sh                  # N = 1000 10000 50000 100000
#   ROUNDS=5 scripts/bench.sh 10000   # chosen sizes and rounds
#   BENCH_DIR=/work/b SERVE_MAX=50000 ROUNDS=1 scripts/bench.sh 50000 100000   # on disk
set -euo pipefail
cd "$(dirname "$0")/.."
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(1000 10000 50000 100000)
rounds=${ROUNDS:-3}
work=${BENCH_DIR:-/dev/shm/gongsi-bench}
zola=${ZOLA:-../shared/bench/zola}
corpus=${PEER_CORPUS:-../shared/bench/peer_corpus.py}
[ -x "$zola" ] && [ -f "$corpus" ] || { echo "needs $zola and $corpus (../shared/bench/)" >&2; exit 2; }
command -v /usr/bin/time >/dev/null || { apt-get update -qq && apt-get install -y -qq time >/dev/null; }
cargo build --release --quiet --bin gongsi --example synth
# A copy, so rebuilding gongsi while the benchmark runs cannot change what it measures.
bin=$(mktemp -d)/gongsi
cp target/release/gongsi "$bin"

# run LABEL CMD… — one timed run; appends "wall cpu rss_mib" to $work/LABEL.
run() {
  local label=$1; shift
  local log; log=$(mktemp)
  /usr/bin/time -f "%e %U %S %M" -o "$log" "$@" >/dev/null 2>&1 || { echo "failed: $*" >&2; exit 1; }
  awk '{printf "%.2f %.2f %d\n", $1, $2 + $3, $4 / 1024}' "$log" >>"$work/$label"
  rm -f "$log"
}
# median LABEL COLUMN
median() { sort -n -k"$2" "$work/$1" | awk -v c="$2" '{v[NR]=$c} END {print v[int((NR+1)/2)]}'; }
row() { # N label
  printf "| %s | %s | %s | %s | %s |\n" "$1" "$2" "$(median "$2" 1)" "$(median "$2" 2)" "$(median "$2" 3)"
}
ratio() { echo "scale=2; $1 / $2" | bc; }

echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB, $(uname -r); gongsi $(git rev-parse --short HEAD); $($zola --version); $rounds rounds, medians"
echo
echo "| N | run | wall s | CPU s | peak MiB |"
echo "|---|---|---|---|---|"
for N in "${sizes[@]}"; do
  rm -rf "$work"; mkdir -p "$work"
  site=$work/site; out=$work/out; peer=$work/peer
  target/release/examples/synth --programs "$N" --out "$site" 2>/dev/null
  python3 "$corpus" "$N" "$peer" >/dev/null
  for _ in $(seq "$rounds"); do
    rm -rf "$peer/zola/public"
    run zola "$zola" -r "$peer/zola" build
    rm -rf "$out" "$work/.gongsi-cache" "$site/urls"
    run gongsi "$bin" --root "$site" build --output "$out"
    # The floor needs a second copy of the output on tmpfs: measured while it fits (N ≤ FLOOR_MAX).
    if [ "$N" -le "${FLOOR_MAX:-20000}" ]; then
      rm -rf "$work/copy"
      run floor cp -r "$out" "$work/copy"
      rm -rf "$work/copy"
    fi
  done
  files=$(find "$out" -type f | wc -l); zfiles=$(find "$peer/zola/public" -type f | wc -l)
  row "$N" zola; row "$N" gongsi; [ -f "$work/floor" ] && row "$N" floor
  printf "| %s | **gongsi / Zola** | **%s** | **%s** | **%s** |\n" "$N" \
    "$(ratio "$(median gongsi 1)" "$(median zola 1)")" "$(ratio "$(median gongsi 2)" "$(median zola 2)")" \
    "$(ratio "$(median gongsi 3)" "$(median zola 3)")"
  printf "| %s | files: gongsi %s, Zola %s | | | |\n" "$N" "$files" "$zfiles"
  for _ in $(seq "$rounds"); do run "rebuild, nothing changed" "$bin" --root "$site" build --output "$out"; done
  row "$N" "rebuild, nothing changed"
  for i in $(seq "$rounds"); do
    sed -i "0,/^executed = /s/^executed = [0-9]*/executed = $i/" "$site/content/programs/program-00000/program.toml"
    run "rebuild, one program changed" "$bin" --root "$site" build --output "$out"
  done
  row "$N" "rebuild, one program changed"
  # Serve: save a program's markdown, its figures, a template; time until the served page
  # shows it. Saves follow each other at once, so each meets the whole build the one
  # before started (two cores): the slow case, not the quiet one. Skipped above SERVE_MAX
  # programs (the preview's first build alone takes minutes there).
  if [ "$N" -gt "${SERVE_MAX:-1000000000}" ]; then continue; fi
  port=$((20000 + RANDOM % 10000))
  "$bin" --root "$site" serve --port "$port" 2>/dev/null &
  pid=$!
  until curl -fs "http://127.0.0.1:$port/" >/dev/null 2>&1; do sleep 0.05; done
  # since T0: seconds from T0 until now.
  since() { echo "$(date +%s.%N) - $1" | bc; }
  # Programs whose first budget is in 억원, so the new amount shows as "7,123억".
  mapfile -t eok < <(for f in "$site"/content/programs/program-000[1-9]*/program.toml; do
    [ "$(grep -m1 '^unit' "$f")" = 'unit = "억원"' ] && basename "$(dirname "$f")"; done | head -n "$rounds")
  for i in $(seq "$rounds"); do
    stamp="bench-$RANDOM$RANDOM"
    t0=$(date +%s.%N)
    printf '\n%s\n' "$stamp" >>"$site/content/programs/program-0000$i/index.md"
    until curl -fs "http://127.0.0.1:$port/programs/program-0000$i/" | grep -q "$stamp"; do sleep 0.005; done
    echo "$(since "$t0") 0 0" >>"$work/serve markdown"
    # A budget's executed amount, in 억원: the page shows "7,123억".
    n=$((7000 + RANDOM % 999))
    t0=$(date +%s.%N)
    p=${eok[$((i - 1))]}
    sed -i "0,/^executed = /s/^executed = [0-9]*/executed = $n/" "$site/content/programs/$p/program.toml"
    until curl -fs "http://127.0.0.1:$port/programs/$p/" | grep -q "${n:0:1},${n:1}억"; do sleep 0.005; done
    echo "$(since "$t0") 0 0" >>"$work/serve figures"
  done
  # A template, with a page open (its reload script polls the version with its path).
  ( while true; do curl -fs "http://127.0.0.1:$port/__gongsi/version?page=%2Fprograms%2Fprogram-00020%2F" >/dev/null; sleep 0.15; done ) &
  poller=$!
  sleep 0.5
  for _ in $(seq "$rounds"); do
    stamp="bench-$RANDOM$RANDOM"
    t0=$(date +%s.%N)
    sed -i "0,/{% block content %}/s//{% block content %}<!-- $stamp -->/" "$site/themes/gongsi/templates/program.html"
    until curl -fs "http://127.0.0.1:$port/programs/program-00020/" | grep -q "$stamp"; do sleep 0.005; done
    echo "$(since "$t0") 0 0" >>"$work/serve template"
  done
  kill "$poller" "$pid"; wait "$pid" 2>/dev/null || true
  printf "| %s | serve: save markdown → updated page | %s | | |\n" "$N" "$(median "serve markdown" 1)"
  printf "| %s | serve: save figures → updated page | %s | | |\n" "$N" "$(median "serve figures" 1)"
  printf "| %s | serve: save a template → open page updated | %s | | |\n" "$N" "$(median "serve template" 1)"
done
rm -rf "$work"
