#!/usr/bin/env sh
# Lint, format and type checks: the same in ./run-tests (so in CI) and in the pre-commit hooks.
# The tools come from the test environment (.venv-test, the dev group of uv.lock), so their
# versions are the pinned ones everywhere.
#   scripts/check.sh               all three
#   scripts/check.sh ruff mypy     some of them: ruff (lint), format (ruff format --check), mypy
# Every check named runs even if an earlier one failed; the exit status is 1 if any failed.
set -u
ROOT=$(cd "$(dirname "$0")/.." && pwd)
. "$ROOT/scripts/bootstrap.sh"
cd "$ROOT"
export UV_PROJECT_ENVIRONMENT="$ROOT/.venv-test"
run() { "$UV" run --frozen --project "$ROOT" "$@"; }
[ $# -gt 0 ] || set -- ruff format mypy
failed=""
for check in "$@"; do
    case "$check" in
        ruff) run ruff check --output-format concise --quiet . || failed="$failed ruff" ;;
        format) run ruff format --check --output-format concise --quiet . || failed="$failed format" ;;
        mypy) run mypy || failed="$failed mypy" ;;  # the files to check are [tool.mypy] files
        *) echo "scripts/check.sh: unknown check '$check' (ruff, format, mypy)" >&2; exit 2 ;;
    esac
done
if [ -n "$failed" ]; then
    echo "checks failed:$failed (scripts/check.sh)" >&2
    exit 1
fi
