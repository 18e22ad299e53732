#!/usr/bin/env bash
# Re-vendors KaTeX (MIT) from the npm registry into src/WeightDecay.Runner/Assets/katex/: the minified script, stylesheet,
# auto-render extension, the woff2 fonts and the licence. The reports inline them, so they render math offline.
set -euo pipefail
version="${1:-0.19.1}"
root="$(cd "$(dirname "$0")/../.." && pwd)"
dest="$root/src/WeightDecay.Runner/Assets/katex"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
(cd "$tmp" && npm pack "katex@$version" >/dev/null && tar xzf "katex-$version.tgz")
rm -rf "$dest" && mkdir -p "$dest/fonts"
cp "$tmp/package/dist/katex.min.js" "$tmp/package/dist/katex.min.css" "$tmp/package/dist/contrib/auto-render.min.js" "$tmp/package/LICENSE" "$dest/"
cp "$tmp/package/dist/fonts/"*.woff2 "$dest/fonts/"
echo "$version" > "$dest/VERSION"
echo "Vendored KaTeX $version into $dest"
