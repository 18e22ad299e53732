#!/usr/bin/env bash
# Authoring the notebooks: each lesson's .dib is its source; the .ipynb beside it is generated.
#   bash scripts/notebooks.sh sync                 regenerate every .ipynb from its .dib (after editing a .dib)
#   bash scripts/notebooks.sh sync --from-ipynb    carry edits made to an .ipynb (in Jupyter) back into its .dib
#   bash scripts/notebooks.sh sync --check         change nothing; exit 1 if any .ipynb is out of step with its .dib
# Add notebook names (e.g. 05-norm-decay) to sync only those; see 'bash scripts/notebooks.sh sync --help'.
set -euo pipefail
cd "$(dirname "$0")/.."
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
if [ "${1:-}" != "sync" ]; then
  echo "usage: bash scripts/notebooks.sh sync [--from-ipynb | --check] [--force] [notebook ...]" >&2
  exit 2
fi
dotnet build src/WeightDecay.Runner -c Release --nologo -v quiet -clp:ErrorsOnly >&2
exec dotnet src/WeightDecay.Runner/bin/Release/net10.0/WeightDecay.Runner.dll "$@"
