#!/usr/bin/env bash
# Benchmarks gongsi on synthetic sites: cold build, rebuild with nothing changed, rebuild
# after one program's figures changed, and the serve round trip (save → updated page).
# Wall time, CPU time and peak memory come from /usr/bin/time -v. Output goes to tmpfs
# (/dev/shm) so the disk does not hide the program's own cost.
#
#   scripts/bench.sh                 # N = 1000 10000 50000
#   scripts/bench.sh 1000 10000      # chosen sizes
#   SYNTH_FLAGS=--no-embeds scripts/bench.sh 10000   # without the chart embed pages
set -euo pipefail
cd "$(dirname "$0")/.."
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(1000 10000 50000)
work=${BENCH_DIR:-/dev/shm/gongsi-bench}
command -v /usr/bin/time >/dev/null || { apt-get update -qq && apt-get install -y -qq time >/dev/null; }
cargo build --release --quiet --bin gongsi --example synth
bin=$PWD/target/release/gongsi

measure() { # label, command...
  local label=$1; shift
  local log; log=$(mktemp)
  /usr/bin/time -v "$@" >/dev/null 2>"$log" || { cat "$log"; exit 1; }
  local wall user sys rss
  wall=$(grep "Elapsed (wall clock)" "$log" | awk '{print $NF}')
  user=$(grep "User time" "$log" | awk '{print $NF}')
  sys=$(grep "System time" "$log" | awk '{print $NF}')
  rss=$(grep "Maximum resident" "$log" | awk '{print $NF}')
  printf "| %s | %s | %s | %.2f | %d |\n" "$N" "$label" "$wall" "$(echo "$user + $sys" | bc)" "$((rss / 1024))"
  rm -f "$log"
}

echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB, $(uname -r); gongsi $(git rev-parse --short HEAD)"
echo
echo "| N | run | wall (m:ss) | CPU s | peak MiB |"
echo "|---|---|---|---|---|"
for N in "${sizes[@]}"; do
  site=$work/site-$N
  out=$work/out-$N
  rm -rf "$work"
  mkdir -p "$work"
  target/release/examples/synth --programs "$N" --out "$site" ${SYNTH_FLAGS:-} 2>/dev/null
  measure "cold build" "$bin" --root "$site" build --output "$out"
  measure "rebuild, nothing changed" "$bin" --root "$site" build --output "$out"
  sed -i '0,/^executed = /s/^executed = [0-9]*/executed = 1/' "$site/content/programs/program-00000/program.toml"
  measure "rebuild, one program changed" "$bin" --root "$site" build --output "$out"
  measure "check (no writing)" "$bin" --root "$site" check
  # Serve: save a file, time until the served page shows the change.
  port=$((20000 + RANDOM % 10000))
  "$bin" --root "$site" serve --port "$port" --output "$out" 2>/dev/null &
  pid=$!
  until curl -fs "http://127.0.0.1:$port/" >/dev/null 2>&1; do sleep 0.1; done
  stamp="bench-$RANDOM$RANDOM"
  t0=$(date +%s.%N)
  printf '\n%s\n' "$stamp" >> "$site/content/programs/program-00001/index.md"
  until curl -fs "http://127.0.0.1:$port/programs/program-00001/" | grep -q "$stamp"; do sleep 0.02; done
  t1=$(date +%s.%N)
  kill "$pid"; wait "$pid" 2>/dev/null || true
  printf "| %s | serve: save → updated page | %.2fs | | |\n" "$N" "$(echo "$t1 - $t0" | bc)"
done
rm -rf "$work"
