#!/usr/bin/env bash
# Smoke-test the frozen reader in dist/reader (build it first: bash packaging/build.sh).
#
#     bash packaging/smoke_test.sh [--timing] [--skip-gui] [--keep] [--app DIR]
#
# Runs packaging/smoke_test.py with the source environment's Python ($PYTHON, else python3),
# which makes the sample files and the reference output; every check runs the frozen binary.
# Needs the offscreen Qt libraries listed in the README (Headless Linux); --timing also uses
# Xvfb and xdotool when they are installed.
set -euo pipefail
cd "$(dirname "$0")/.."
exec "${PYTHON:-python3}" packaging/smoke_test.py "$@"
