#!/usr/bin/env bash
# Builds the site into a temporary folder, serves it on a free local port, runs the browser
# tests (node:test + playwright-core on the system Chromium) and exits with their status.
#
#   tests/browser/run.sh                 # everything
#   tests/browser/run.sh a11y.test.mjs   # only the named test files
#
# Environment: CHROMIUM_PATH (default /usr/bin/chromium).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"

if [ ! -d "$here/node_modules/playwright-core" ] || [ ! -d "$here/node_modules/@axe-core/playwright" ] || [ ! -d "$here/node_modules/vnu-jar" ]; then
  (cd "$here" && npm ci --no-audit --no-fund)
fi

work="$(mktemp -d "${TMPDIR:-/tmp}/gongsi-browser.XXXXXX")"
server_pid=""
cleanup() {
  if [ -n "$server_pid" ]; then
    kill "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

port="$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')"
base="http://127.0.0.1:$port"
site="$work/site"

echo "building the site into $site for $base"
(cd "$root" && cargo run --release --quiet -- build --output "$site" --base-url "$base") \
  >"$work/build.log" 2>&1 || { cat "$work/build.log"; echo "build failed" >&2; exit 1; }
tail -n 1 "$work/build.log"

python3 -m http.server "$port" --bind 127.0.0.1 --directory "$site" >"$work/server.log" 2>&1 &
server_pid=$!
for _ in $(seq 1 100); do
  if python3 -c 'import sys, urllib.request; urllib.request.urlopen(sys.argv[1], timeout=1)' "$base/" 2>/dev/null; then
    break
  fi
  if ! kill -0 "$server_pid" 2>/dev/null; then
    cat "$work/server.log"; echo "the server did not start" >&2; exit 1
  fi
  sleep 0.1
done

cd "$here"
if [ "$#" -gt 0 ]; then
  files=("$@")
else
  files=(*.test.mjs)
fi
status=0
GONGSI_BASE_URL="$base" node --test --test-reporter=spec --test-timeout=600000 "${files[@]}" || status=$?

# The Nu HTML checker over every generated page: zero errors allowed.
if [ "$#" -eq 0 ]; then
  echo "Nu HTML checker: $(find "$site" -name '*.html' | wc -l) pages"
  if java -jar "$here/node_modules/vnu-jar/build/dist/vnu.jar" --errors-only --skip-non-html "$site"; then
    echo "Nu HTML checker: no errors"
  else
    echo "Nu HTML checker found errors" >&2
    status=1
  fi
fi
exit "$status"
