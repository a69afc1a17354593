#!/bin/sh
# Health check of one zhucun-bot instance on this machine (loopback, so /readyz gives its details).
#   zhucun-healthcheck.sh PORT ready SECONDS   wait until /readyz answers 200 (ExecStartPost); fail after SECONDS
#   zhucun-healthcheck.sh PORT watch           the timer's check: /readyz not 200 is logged (a Redis outage is
#                                              not cured by restarting); no answer at all from /healthz within
#                                              5 s, twice in a row, restarts zhucun@PORT.service
set -u
port="$1"
mode="$2"
base="http://127.0.0.1:${port}"
code() { curl -s -o /dev/null -w '%{http_code}' --max-time "$2" "${base}$1"; }

case "$mode" in
ready)
  deadline=$(($(date +%s) + ${3:-60}))
  while [ "$(date +%s)" -lt "$deadline" ]; do
    [ "$(code /readyz 2)" = 200 ] && exit 0
    sleep 1
  done
  echo "zhucun@${port}: /readyz did not answer 200 within ${3:-60} s" >&2
  exit 1
  ;;
watch)
  ready=$(code /readyz 3)
  [ "$ready" = 200 ] && exit 0
  echo "zhucun@${port}: /readyz answered ${ready}: $(curl -s --max-time 3 "${base}/readyz")" >&2
  if [ "$(code /healthz 5)" = 000 ]; then
    sleep 5
    if [ "$(code /healthz 5)" = 000 ]; then
      echo "zhucun@${port}: no answer from /healthz; restarting" >&2
      systemctl restart "zhucun@${port}.service"
    fi
  fi
  exit 0
  ;;
*)
  echo "usage: zhucun-healthcheck.sh PORT ready SECONDS | PORT watch" >&2
  exit 2
  ;;
esac
