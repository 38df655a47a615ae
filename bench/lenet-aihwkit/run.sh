#!/bin/bash
# The papers' LeNet-5 on Fashion-MNIST (batch 16, lr 0.05), aihwkit 1.0 CPU against aimsim with
# aihwkit's default configs, one thread, alternating config by config (BENCHMARKS.md). Needs
# Debian's dataset-fashion-mnist and aihwkit built as ../shared/peer/BUILD.md says, in $PEER.
#   PEER=/work/peer bash bench/lenet-aihwkit/run.sh [images] [rounds] [configs...]
set -eu
cd "$(dirname "$0")/../.."
images=${1:-1920}
rounds=${2:-2}
shift $(( $# < 2 ? $# : 2 ))
for round in $(seq "$rounds"); do
  for c in ${@:-sb tt}; do
    "$PEER/py" bench/lenet-aihwkit/lenet_aihwkit.py --configs "$c" --images "$images" 2>/dev/null | tail -1
    npx tsx bench/lenet-aihwkit/lenet.ts --configs "$c" --images "$images"
  done
done
