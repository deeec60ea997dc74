#!/usr/bin/env bash
# Runs gdn's GPU checks and the benchmark tables of docs/PERF.md on a machine with a GPU.
# usage: tools/bench/gpu_suite.sh BIN_DIR OUT_DIR
#   BIN_DIR holds release builds of `gdn`, optionally `gdn_benchshape` (built with
#   GDN_EXTRA_CONFIGS=tools/bench/bench-shape.json), and the parity test binaries `variants`, `parity`,
#   `layer` (from `cargo test --release -p gdn-tests --no-run`). Run from the repository root.
set -u
B=$1; O=$2; mkdir -p "$O"
export CI=1 GDN_FIXTURES_ROOT="$PWD/tests/fixtures"
nvidia-smi --query-gpu=name,driver_version --format=csv,noheader > "$O/card.txt" 2>/dev/null
for t in variants parity layer; do
    [ -x "$B/$t" ] && "$B/$t" --test-threads 1 2>&1 | grep -E "test result|panicked"
done | tee "$O/tests.txt"
"$B/gdn" bench --device gpu --config qwen3-next-80b-a3b --t 1 --path recurrent --runs 5 2>/dev/null \
  | grep -E "^(adapter|config|copy|kernel)" > "$O/calibration.txt"
models="qwen3.5-0.8b qwen3-next-80b-a3b qwen3.5-27b qwen3.5-122b-a10b"
{
  for c in $models; do for d in bf16 f32; do for b in 1 8 32; do
    "$B/gdn" bench --device gpu --config $c --dtype $d --batch $b --path recurrent --runs 100 --warmup 10 2>/dev/null \
      | grep "^| [0-9]" | sed "s/^/$c $d B=$b /"
  done; done; done
  if [ -x "$B/gdn_benchshape" ]; then for d in bf16 f32; do for b in 1 8 32; do
    "$B/gdn_benchshape" bench --device gpu --config tools/bench/bench-shape.json --dtype $d --batch $b --path recurrent \
      --runs 100 --warmup 10 2>/dev/null | grep "^| [0-9]" | sed "s/^/bench-shape $d B=$b /"
  done; done; fi
} > "$O/kernel_grid.txt"
for c in $models; do
  "$B/gdn" bench --device gpu --config $c --runs 50 --warmup 10 2>/dev/null | grep "^| [0-9]" | sed "s/^/$c /"
done > "$O/kernel_vs_ops.txt"
"$B/gdn" e2e --device gpu --runs 7 2>/dev/null > "$O/e2e.txt"
cat "$O/tests.txt" "$O/e2e.txt"
