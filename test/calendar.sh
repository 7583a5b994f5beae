#!/usr/bin/env bash
# The unit and integration tests at awkward moments of the calendar, under libfaketime (Debian `faketime`):
# the 1st of a month at 00:30 Moscow time (1 January, so the year turns too), 31 December at 23:59 Moscow
# time (the year turns while the suite runs) and 29 February 2028. The clock is moved by a relative offset
# in FAKETIME, which every child process inherits: the database engine, test servers and tools share one
# clock that keeps ticking from the chosen moment (test/helpers/server.ts passes the variables on to the
# processes the tests start). The monotonic clock is shifted by the same offset, so durations are
# unchanged: left unfaked, the engine's JVM spins at full load under libfaketime. The three runs go one
# after the other; side by side they would starve each other of the machine's cores and fail on
# time-outs, not on dates.
set -uo pipefail
cd "$(dirname "$0")/.."

lib=$(ls /usr/lib/*/faketime/libfaketime.so.1 2>/dev/null | head -n1)
if [ -z "$lib" ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "Installing Debian package: faketime"
    export DEBIAN_FRONTEND=noninteractive
    apt-get install -y -q --no-install-recommends faketime >/dev/null 2>&1 || { apt-get update -q >/dev/null && apt-get install -y -q --no-install-recommends faketime >/dev/null; }
    lib=$(ls /usr/lib/*/faketime/libfaketime.so.1 2>/dev/null | head -n1)
  fi
  if [ -z "$lib" ]; then
    echo "The calendar tests need Debian's faketime (sudo apt-get install -y faketime)" >&2
    exit 1
  fi
fi

# name and UTC instant of each moment
moments=(
  "1-january-00-30-msk 2026-12-31T21:30:00Z"
  "31-december-23-59-msk 2026-12-31T20:59:00Z"
  "29-february-2028 2028-02-29T09:00:00Z"
)

# Left out of these passes, run once by `npm test` at the real date: the engine's supervision (process
# deaths and restarts, timed on the monotonic clock that is not moved) and the API's conformance to its
# OpenAPI document (schemathesis's generated requests, whose worth does not depend on the moment).
skipped=(--ignore test/integration/engine-outages.test.ts --ignore test/integration/api-conformance.test.ts)

log=$(mktemp)
failed=0
for m in "${moments[@]}"; do
  name=${m%% *}
  at=${m#* }
  # computed just before the run, so that the run starts at the moment named
  offset=$(( $(date -u -d "$at" +%s) - $(date -u +%s) ))
  sign=+
  [ "$offset" -lt 0 ] && sign=
  echo "calendar: $name ($at), FAKETIME=${sign}${offset}"
  if (
    export LD_PRELOAD="$lib" FAKETIME="${sign}${offset}" FAKETIME_DONT_RESET=1
    npm run -s test:integration -- --reporter dot "${skipped[@]}"
  ) >"$log" 2>&1; then
    echo "calendar: $name passed ($(grep -Eo '[0-9]+ passing \([^)]*\)' "$log" | tail -n1))"
  else
    failed=1
    echo "calendar: $name FAILED"
    sed -n '/passing/,$p' "$log"
  fi
done
rm -f "$log"
exit $failed
