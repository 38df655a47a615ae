#!/bin/bash
# Runs a list of `aimsim run` jobs on every core: each line of JOBFILE is NAME<TAB>ARGUMENTS (the
# arguments of `aimsim run`, shell-quoted). Results go to OUT/NAME/ (results.json, log). A job
# still running at the deadline (BUDGET seconds after the start) gets SIGTERM, which makes
# aimsim write partial results. AIMSIM sets the command (default: this checkout's bin/aimsim.js).
# Used for the reduced protocols of docs/reproductions.
#   JOBS=16 BUDGET=3600 OUT=runs/reduced bash scripts/run-jobs.sh docs/reproductions/network-reduced-jobs.tsv
set -u
JOBFILE=${1:?usage: run-jobs.sh JOBFILE}
OUT=${OUT:-runs/jobs}; BUDGET=${BUDGET:-86400}; DEADLINE=$(( $(date +%s) + BUDGET ))
# This checkout's CLI, which runs dist/ (npm run build after editing src/).
ROOT=$(cd "$(dirname "$0")/.." && pwd)
AIMSIM=${AIMSIM:-"node $(printf '%q' "$ROOT/bin/aimsim.js")"}
mkdir -p "$OUT"
run_job() {
  local line; line=$(sed -n "${1}p" "$JOBFILE")
  local name="${line%%$'\t'*}" args="${line#*$'\t'}"
  local left=$(( DEADLINE - $(date +%s) ))
  if [ "$left" -lt 30 ]; then echo "skipped: deadline" > "$OUT/$name.log"; return; fi
  eval "timeout -s TERM $left $AIMSIM run $args --out '$OUT/$name'" > "$OUT/$name.log" 2>&1
  echo "rc=$? (124: stopped at the deadline)" >> "$OUT/$name.log"
}
export -f run_job; export JOBFILE OUT DEADLINE AIMSIM
seq 1 "$(wc -l < "$JOBFILE")" | xargs -P "${JOBS:-$(nproc)}" -I{} bash -c 'run_job {}'
