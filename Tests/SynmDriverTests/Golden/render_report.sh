#!/bin/sh
# Renders a synm HTML report to a PNG with headless Chromium, so the page can be looked at
# (the issue's "checked by eye on a screenshot"). Network access is disabled for the page:
# a report that needed the network would show it here.
#
#   Tests/SynmDriverTests/Golden/render_report.sh REPORT.html OUT.png [WIDTH] [HEIGHT]
#
# With no REPORT, builds synm and renders the eight-schools report to "${TMPDIR:-/tmp}/eight_schools.png".
# Needs chromium (Debian: apt-get install -y chromium).
set -eu
here=$(cd "$(dirname "$0")/../../.." && pwd)
if [ $# -eq 0 ]; then
    (cd "$here" && swift build -c release --product synm >/dev/null)
    "$here/.build/release/synm" run "$here/models/eight_schools.synm" --seed 1 \
        --report "${TMPDIR:-/tmp}/eight_schools.html" >/dev/null
    set -- "${TMPDIR:-/tmp}/eight_schools.html" "${TMPDIR:-/tmp}/eight_schools.png"
fi
report=$1
out=$2
width=${3:-1240}
height=${4:-0}
browser=$(command -v chromium || command -v chromium-browser || command -v google-chrome || true)
if [ -z "$browser" ]; then
    echo "render_report.sh: chromium not found; install it (apt-get install -y chromium)" >&2
    exit 69
fi
if [ "$height" = 0 ]; then
    # Tall enough for the whole page: ~ 250 px per plotted quantity plus the rest.
    quantities=$(grep -o 'class="quantity"' "$report" | wc -l)
    height=$((2800 + 250 * quantities))
fi
abs=$(cd "$(dirname "$report")" && pwd)/$(basename "$report")
"$browser" --headless --no-sandbox --disable-gpu --hide-scrollbars \
    --proxy-server=127.0.0.1:9 --proxy-bypass-list='<-loopback>' \
    --window-size="$width,$height" --screenshot="$out" "file://$abs" >/dev/null 2>&1
echo "wrote $out (${width}x${height})"
