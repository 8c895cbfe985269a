#!/usr/bin/env bash
# Regenerates tests/zola-sites/<name>/expected/ with the real Zola binary.
# Every site is built twice and the two outputs must be identical, so a fixture never
# records something Zola itself does not produce deterministically.
#
#   scripts/zola-fixtures.sh              # all sites
#   scripts/zola-fixtures.sh blog docs    # chosen sites
#   ZOLA=/path/to/zola scripts/zola-fixtures.sh
#
# Needs Zola 0.22.1 (default: ../shared/bench/zola from the repository root).
# `cargo test` never runs Zola; it only reads the committed expected/ folders.
set -euo pipefail
cd "$(dirname "$0")/.."
zola=${ZOLA:-../shared/bench/zola}
[ -x "$zola" ] || { echo "zola binary not found at $zola (set ZOLA=...)" >&2; exit 1; }
version=$("$zola" --version)
[ "$version" = "zola 0.22.1" ] || echo "warning: fixtures are meant for zola 0.22.1, found '$version'" >&2

sites=("$@")
if [ ${#sites[@]} -eq 0 ]; then
  for d in tests/zola-sites/*/site; do sites+=("$(basename "$(dirname "$d")")"); done
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
for name in "${sites[@]}"; do
  root=tests/zola-sites/$name/site
  [ -d "$root" ] || { echo "no site at $root" >&2; exit 1; }
  # Zola writes into the site itself (class-based highlighting adds static/giallo*.css),
  # so it builds a copy and the committed site stays as written.
  cp -r "$root" "$tmp/$name-site"
  "$zola" --root "$tmp/$name-site" build --output-dir "$tmp/$name-a" >"$tmp/$name.log" 2>&1 \
    || { cat "$tmp/$name.log" >&2; echo "zola failed on $name" >&2; exit 1; }
  "$zola" --root "$tmp/$name-site" build --output-dir "$tmp/$name-b" >/dev/null 2>&1
  if ! diff -r "$tmp/$name-a" "$tmp/$name-b" >"$tmp/$name.diff"; then
    cat "$tmp/$name.diff" >&2
    echo "zola's output for $name differs between two builds; make the site deterministic" >&2
    exit 1
  fi
  rm -rf "tests/zola-sites/$name/expected"
  cp -r "$tmp/$name-a" "tests/zola-sites/$name/expected"
  echo "$name: $(find "tests/zola-sites/$name/expected" -type f | wc -l) files"
done
