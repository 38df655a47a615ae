#!/bin/bash
# One Fashion-MNIST epoch of each aihwkit-default config (this folder), timed like the aihwkit side
# (../shared/peer/BUILD.md: /usr/bin/time, user + system CPU seconds, one thread). Prints
# config, CPU s, wall s and the test accuracy. Needs Debian's dataset-fashion-mnist.
#   bash bench/aihwkit-defaults/run.sh [fp cs sb tt cttv2 agad]
set -eu
cd "$(dirname "$0")/../.."
out=$(mktemp -d)
for c in ${@:-fp cs sb tt cttv2 agad}; do
  /usr/bin/time -f '%U %S %e' -o "$out/$c.time" node bin/aimsim.js run "bench/aihwkit-defaults/$c.yaml" --out "$out/$c" > "$out/$c.log" 2>&1
  read -r user sys wall < "$out/$c.time"
  accuracy=$(grep -o 'test accuracy [0-9.]* %' "$out/$c.log" | tail -1)
  echo "$c cpu=$(echo "$user + $sys" | bc) wall=$wall $accuracy"
done
