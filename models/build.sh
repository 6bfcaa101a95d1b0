#!/usr/bin/env bash
# Rebuilds the bundled models from the project's own code, reproducibly (seeded simulation, deterministic
# calibration): no hand-edited binaries. Usage: models/build.sh [path to the edgeagent executable]
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
agent="${1:-$repo/artifacts/edgeagent/edgeagent}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

# demo: the simulated machine of config/edgeagent.json, two hours of normal operation (no injected anomalies).
"$agent" simulate --config "$repo/config/edgeagent.json" --pipeline demo --seconds 7200 --normal --out "$work/demo-normal.csv"
"$agent" calibrate --config "$repo/config/edgeagent.json" --pipeline demo --input "$work/demo-normal.csv" \
  --out "$repo/models/demo" --name demo --version 1.0.0
