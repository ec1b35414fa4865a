#!/usr/bin/env bash
# Regenerates the report pictures of docs/images/ (report-page.png, report-panel.png) from a fresh run of
# examples/quickstart.yaml, drawn by the system's Chromium (/usr/bin/chromium) under Playwright.
# Usage: bash scripts/report-screenshots.sh   (from anywhere; builds the tests first)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
dotnet build tests/SweepCluster.Cli.Tests -c Release -nologo -v quiet -clp:ErrorsOnly
SWEEP_REPORT_SCREENSHOTS="$root/docs/images" CI=true \
  dotnet test tests/SweepCluster.Cli.Tests -c Release --no-build --filter "FullyQualifiedName~ScreenshotsOfTheQuickstartReport"
ls -l docs/images/report-page.png docs/images/report-panel.png
