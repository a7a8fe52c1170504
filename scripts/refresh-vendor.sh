#!/bin/sh
# Refresh the vendored front-end libraries from npm (the only time the network is used for them):
#   vis-timeline          -> web/static/web/vendor/vis-timeline/   (the timeline page)
#   @knight-lab/timelinejs -> web/static/web/vendor/timelinejs/    (the browser test of the timelinejs feed,
#                                                                  and for anyone embedding the feed)
# Usage: scripts/refresh-vendor.sh [vis-timeline version] [timelinejs version]; then commit the result.
set -eu
VIS_VERSION=${1:-8.5.4}
TLJS_VERSION=${2:-3.9.11}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
VENDOR="$ROOT/web/static/web/vendor"
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

cd "$WORK"
npm pack --silent "vis-timeline@$VIS_VERSION" "@knight-lab/timelinejs@$TLJS_VERSION" >/dev/null
mkdir vis tljs
tar xzf "vis-timeline-$VIS_VERSION.tgz" -C vis
tar xzf "knight-lab-timelinejs-$TLJS_VERSION.tgz" -C tljs

rm -rf "$VENDOR/vis-timeline" "$VENDOR/timelinejs"
mkdir -p "$VENDOR/vis-timeline" "$VENDOR/timelinejs/js/locale" "$VENDOR/timelinejs/css"
cp vis/package/standalone/umd/vis-timeline-graph2d.min.js vis/package/styles/vis-timeline-graph2d.min.css \
   vis/package/LICENSE.md vis/package/LICENSE.Apache-2.0.txt vis/package/LICENSE.MIT.txt "$VENDOR/vis-timeline/"
echo "vis-timeline $VIS_VERSION (npm), standalone UMD build" > "$VENDOR/vis-timeline/VERSION"
cp tljs/package/dist/js/timeline.js tljs/package/dist/js/timeline.js.LICENSE.txt "$VENDOR/timelinejs/js/"
# TimelineJS fetches its interface strings from js/locale/<language>.json: ours are en, zh-cn, zh-tw.
cp tljs/package/dist/js/locale/en.json tljs/package/dist/js/locale/zh-cn.json tljs/package/dist/js/locale/zh-tw.json \
   "$VENDOR/timelinejs/js/locale/"
cp tljs/package/LICENSE "$VENDOR/timelinejs/"
cp tljs/package/dist/css/timeline.css "$VENDOR/timelinejs/css/"
cp -r tljs/package/dist/css/icons "$VENDOR/timelinejs/css/"
# The source maps are not vendored: drop the comments naming them (collectstatic would look for them).
find "$VENDOR" -name '*.js' -o -name '*.css' | xargs sed -i '/sourceMappingURL=/d'
echo "@knight-lab/timelinejs $TLJS_VERSION (npm), dist build" > "$VENDOR/timelinejs/VERSION"
echo "Vendored vis-timeline $VIS_VERSION and TimelineJS $TLJS_VERSION into $VENDOR"
