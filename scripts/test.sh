#!/usr/bin/env bash
# The whole test suite: install with the test extra, lint, then pytest (browser tests use
# Debian's chromium at /usr/bin/chromium; as root this script installs it when it is missing).
source "$(dirname "$0")/_venv.sh"
.venv/bin/python -m pip install --quiet -e '.[test]'
if [ ! -x /usr/bin/chromium ] && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null) \
    || echo "warning: could not install chromium; browser tests will be skipped" >&2
fi
.venv/bin/ruff check src tests benchmarks
.venv/bin/python -m pytest "$@"
