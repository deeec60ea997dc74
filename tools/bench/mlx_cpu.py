# mlx-lm's ops path (gated_delta_ops) on the CPU: the reference the CPU kernel is measured against.
# usage: python3 tools/bench/mlx_cpu.py [T ...]   (mlx[cpu] and mlx-lm; tools/fixtures/requirements.txt)
# Prints the median wall time of one call at B=1, (16,32,128,128), f32, with a state.
import sys
import time

import mlx.core as mx
from mlx_lm.models.gated_delta import gated_delta_ops

mx.set_default_device(mx.cpu)
B, Hk, Hv, Dk, Dv = 1, 16, 32, 128, 128
print(f"mlx {mx.__version__}, gated_delta_ops, B={B} Hk={Hk} Hv={Hv} Dk={Dk} Dv={Dv} f32")
for T in [int(t) for t in sys.argv[1:]] or [1, 8, 64, 256]:
    mx.random.seed(0)
    q = mx.random.normal((B, T, Hk, Dk)) * 0.1
    k = mx.random.normal((B, T, Hk, Dk))
    k = k / mx.linalg.norm(k, axis=-1, keepdims=True)
    v = mx.random.normal((B, T, Hv, Dv))
    g = mx.random.uniform(0.8, 1.0, (B, T, Hv))
    beta = mx.random.uniform(0.0, 1.0, (B, T, Hv))
    s0 = mx.random.normal((B, Hv, Dv, Dk)) * 0.1
    mx.eval(q, k, v, g, beta, s0)
    runs = 20 if T <= 8 else 5
    times = []
    for i in range(runs + 2):
        t0 = time.perf_counter()
        y, s = gated_delta_ops(q, k, v, g, beta, s0)
        mx.eval(y, s)
        if i >= 2:
            times.append(time.perf_counter() - t0)
    times.sort()
    print(f"T={T}: {times[len(times) // 2] * 1e3:.2f} ms")
