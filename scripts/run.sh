#!/usr/bin/env bash
# The README's main command: restores, builds, runs every notebook in the C# kernel and writes the offline HTML reports.
# Arguments go to the runner, e.g.  bash scripts/run.sh --quick   or   bash scripts/run.sh 00-setup-check --param epochs=80
set -euo pipefail
cd "$(dirname "$0")/.."
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
bash scripts/prerequisites.sh --no-apt
dotnet build src/WeightDecay.Interactive -c Release --nologo -v quiet -clp:ErrorsOnly
dotnet build src/WeightDecay.Runner -c Release --nologo -v quiet -clp:ErrorsOnly
exec dotnet src/WeightDecay.Runner/bin/Release/net10.0/WeightDecay.Runner.dll "$@"
