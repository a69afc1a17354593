#!/bin/sh
# Prepares this machine to run zhucun-bot, doing only what is missing and printing one line per action:
#   - node_modules from package-lock.json (npm ci) when missing or older than the lock file;
#   - Debian packages: redis-server (the embedded Redis), fonts-noto-cjk (Chinese text in rendered charts),
#     and with the `test` argument chromium (browser tests).
# Never prompts: CI has no stdin. Packages are installed only as root; otherwise it prints the command and fails.
#
# usage: sh scripts/bootstrap.sh [test]
set -eu
cd "$(dirname "$0")/.."

with_test=no
case "${1:-}" in
  '') ;;
  test) with_test=yes ;;
  *) echo "usage: sh scripts/bootstrap.sh [test]" >&2; exit 2 ;;
esac

# npm writes node_modules/.package-lock.json on every install; it is touched after `npm ci` as the stamp of the
# lock file that node_modules was built from.
stamp=node_modules/.package-lock.json
if [ ! -d node_modules ] || [ ! -e "$stamp" ] || [ package-lock.json -nt "$stamp" ]; then
  echo "bootstrap: npm ci (node_modules missing or older than package-lock.json)"
  npm ci --no-audit --no-fund --loglevel=error
  touch "$stamp"
fi

has_cjk_fonts() {
  [ -e /usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc ] && return 0
  command -v fc-list >/dev/null 2>&1 && fc-list :lang=zh family 2>/dev/null | grep -q 'Noto Sans CJK'
}

missing=''
# The embedded Redis needs redis-server; an external one (REDIS_URL, REDIS_CLUSTER_NODES) does not, but the
# test suite always starts its own.
if [ "$with_test" = yes ] || { [ -z "${REDIS_URL:-}" ] && [ -z "${REDIS_CLUSTER_NODES:-}" ]; }; then
  command -v redis-server >/dev/null 2>&1 || missing="$missing redis-server"
fi
has_cjk_fonts || missing="$missing fonts-noto-cjk"
if [ "$with_test" = yes ] && [ ! -x /usr/bin/chromium ]; then missing="$missing chromium"; fi
[ -z "$missing" ] && exit 0
missing=${missing# }

if [ "$(id -u)" -ne 0 ]; then
  echo "bootstrap: missing Debian packages: $missing" >&2
  echo "bootstrap: install them as root, then run this again:" >&2
  echo "  sudo apt-get install -y $missing" >&2
  exit 1
fi
echo "bootstrap: apt-get install $missing"
apt-get update -qq
# $missing is a space-separated list of package names and is meant to split into words.
# shellcheck disable=SC2086
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $missing
