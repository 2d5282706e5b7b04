#!/usr/bin/env bash
# One-time set-up on a fresh machine: a virtualenv with zwgk and its test tools, and Debian's
# Chromium for pages that need a browser, PostgreSQL and Redis for the tests. Safe to run again
# (it skips what is already there).
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v chromium >/dev/null 2>&1; then
  if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
    echo "setup: installing Debian chromium …" >&2
    # Without it zwgk still works (--render never) and the browser tests skip: do not fail here.
    { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; } \
      >/dev/null 2>&1 || echo "setup: could not install chromium; browser rendering unavailable" >&2
  else
    echo "setup: chromium not found and cannot apt-get it; browser rendering will be unavailable" >&2
  fi
fi

# CJK fonts, so that evidence screenshots (crawler/screenshots.py) show Chinese text, not boxes.
if ! fc-list :lang=zh 2>/dev/null | grep -q .; then
  if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
    echo "setup: installing fonts-noto-cjk …" >&2
    { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq fonts-noto-cjk; } \
      >/dev/null 2>&1 || echo "setup: could not install fonts-noto-cjk; screenshots may lack Chinese glyphs" >&2
  else
    echo "setup: no CJK font (fonts-noto-cjk); screenshots may lack Chinese glyphs" >&2
  fi
fi

# PostgreSQL and redis-server (Debian packages) for the store and distributed-mode tests, which
# start throwaway servers of their own; without them those tests skip: do not fail here.
bash scripts/services.sh >/dev/null \
  || echo "setup: PostgreSQL/redis-server unavailable; their tests will be skipped" >&2

if [ ! -x .venv/bin/python ]; then
  python3 -m venv .venv
fi
stamp=.venv/.zwgk-installed
if [ ! -f "$stamp" ] || [ pyproject.toml -nt "$stamp" ]; then
  echo "setup: installing zwgk into .venv …" >&2
  if ! .venv/bin/python -m pip install -q --disable-pip-version-check -e ".[test]" \
       >.venv/pip.log 2>&1; then
    cat .venv/pip.log >&2
    exit 1
  fi
  touch "$stamp"
fi
