#!/usr/bin/env bash
# Installs what building, testing and running the workbook need on Debian 12 with the .NET 10 SDK. Idempotent: each step
# is skipped when its result is already there. Needs root (or sudo) only when a Debian package is missing.
set -euo pipefail
cd "$(dirname "$0")/.."

command -v dotnet >/dev/null || { echo "The .NET 10 SDK (dotnet) is required: https://dot.net" >&2; exit 1; }
dotnet --version >/dev/null

# Debian packages (none needed yet by the core library).
apt_packages=()
missing=()
for p in "${apt_packages[@]}"; do
  dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
done
if [ "${#missing[@]}" -gt 0 ]; then
  sudo=""; [ "$(id -u)" -ne 0 ] && sudo="sudo"
  echo "Installing Debian packages: ${missing[*]}"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

# Pinned .NET tools from .config/dotnet-tools.json.
if [ -f .config/dotnet-tools.json ]; then
  dotnet tool restore >/dev/null
fi
dotnet restore WeightDecay.Notebooks.sln --nologo -v quiet
