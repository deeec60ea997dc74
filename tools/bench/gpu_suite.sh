#!/usr/bin/env bash
# Runs gdn's GPU checks and benchmarks on a lent GPU machine (see docs/PERF.md for how).
# usage: tools/bench/gpu_suite.sh BIN_DIR OUT_DIR [fla]
#   BIN_DIR holds release builds of `gdn` and the parity test binaries (layer, variants, parity,
#   fixtures); OUT_DIR receives the logs and JSON rows; `fla` also times the fla anchors (needs
#   torch, triton and the fla wheels installed, and fla_anchor.py in BIN_DIR/..).
set -u
B=$1; O=$2; mkdir -p "$O"
export CI=1 GDN_FIXTURES_ROOT="$PWD/tests/fixtures"
nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader | tee "$O/card.txt"
for t in variants parity fixtures layer; do
    echo "== $t"; "$B/$t" --test-threads 1 2>&1 | grep -E "^ran |test result|panicked" | tee -a "$O/tests.txt"
done
"$B/gdn" info --device gpu 2>/dev/null | head -12 > "$O/info.txt"
echo "== e2e"; "$B/gdn" e2e --device gpu --runs 5 2>/dev/null | tee "$O/e2e.txt"
echo "== kernel vs ops, B=1"
for c in qwen3.5-0.8b qwen3-next-80b-a3b qwen3.5-27b qwen3.5-122b-a10b; do
    "$B/gdn" bench --device gpu --config $c --runs 50 --warmup 5 --json "$O/ops_$c.json" 2>/dev/null | tail -6
done > "$O/ops.txt"
echo "== kernel grid"
for c in qwen3.5-0.8b qwen3-next-80b-a3b qwen3.5-27b qwen3.5-122b-a10b; do
  for d in bf16 f32; do
    for b in 1 8 32; do
      "$B/gdn" bench --device gpu --config $c --dtype $d --batch $b --path recurrent --runs 50 --warmup 5 --json "$O/k_${c}_${d}_b$b.json" 2>/dev/null | tail -4 | sed "s/^/$c $d B=$b /"
    done
  done
done > "$O/grid.txt"
if [ "${3:-}" = fla ]; then
  echo "== fla"
  for a in "rec 1 1 16 32 128 128" "rec 32 1 16 32 128 128" "rec 1 64 16 32 128 128" "rec 1 256 16 32 128 128" "chunk 1 256 16 32 128 128" "chunk 1 1024 16 32 128 128"; do
    timeout 120 python3 "$B/../fla_anchor.py" $a 2>&1 | tail -1
  done | tee "$O/fla.txt"
fi
tail -3 "$O/tests.txt"; cat "$O/e2e.txt"; cat "$O/ops.txt" | grep -E "^\| (1|256) "
