# fla reference grid: fla's fused recurrent gated-delta kernel (bf16 inputs, f32 state) at every shape,
# batch and length of the docs/PERF.md grid, in one process. Prints two times per case in µs:
# eager (triton.testing.do_bench median, includes Python launch) and graph (CUDA-graph replay of
# 20 calls, median of 20 replays, per call: pure GPU time).
# usage: python3 tools/bench/fla_grid.py [rec|chunk] [Hk,Hv,Dk,Dv]   (needs torch, triton, fla-core
# and flash-linear-attention 0.6.0). A failing case poisons the CUDA context, so run one shape per
# process.
import sys
import torch
import triton
from fla.ops.gated_delta_rule import chunk_gated_delta_rule, fused_recurrent_gated_delta_rule

which = sys.argv[1] if len(sys.argv) > 1 else "rec"
op = {"chunk": chunk_gated_delta_rule, "rec": fused_recurrent_gated_delta_rule}[which]
shapes = [(16, 16, 128, 128), (16, 32, 128, 128), (16, 48, 128, 128), (16, 64, 128, 128), (16, 64, 192, 128)]
batches = [1, 8, 32]
lengths = [1, 8, 64, 256] if which == "rec" else [256, 1024, 4096, 16384]
if len(sys.argv) > 2:
    shapes = [tuple(int(x) for x in sys.argv[2].split(","))]
dev, dt = "cuda", torch.bfloat16


def inputs(B, T, Hk, Hv, Dk, Dv):
    torch.manual_seed(0)
    q = torch.randn(B, T, Hk, Dk, device=dev, dtype=dt) * 0.1
    k = torch.nn.functional.normalize(torch.randn(B, T, Hk, Dk, device=dev), dim=-1).to(dt)
    v = torch.randn(B, T, Hv, Dv, device=dev, dtype=dt)
    g = (torch.nn.functional.logsigmoid(torch.randn(B, T, Hv, device=dev)) * 0.1).float()
    beta = torch.rand(B, T, Hv, device=dev).sigmoid().to(dt)
    h0 = torch.randn(B, Hv, Dk, Dv, device=dev) * 0.1
    return q, k, v, g, beta, h0


def graph_us(fn, calls=20, reps=20):
    s = torch.cuda.Stream()
    s.wait_stream(torch.cuda.current_stream())
    with torch.cuda.stream(s):
        for _ in range(3):
            fn()
    torch.cuda.current_stream().wait_stream(s)
    g = torch.cuda.CUDAGraph()
    with torch.cuda.graph(g):
        for _ in range(calls):
            fn()
    times = []
    for _ in range(reps):
        a, b = torch.cuda.Event(enable_timing=True), torch.cuda.Event(enable_timing=True)
        a.record()
        g.replay()
        b.record()
        torch.cuda.synchronize()
        times.append(a.elapsed_time(b) * 1e3 / calls)
    times.sort()
    return times[len(times) // 2]


if len(sys.argv) <= 2 or sys.argv[2] == "16,16,128,128":
    print(f"fla {which}: card {torch.cuda.get_device_name()}, torch {torch.__version__}, triton {triton.__version__}")
    print("| Hk | Hv | Dk | Dv | B | T | eager µs | graph µs |")
    print("|---:|---:|---:|---:|---:|---:|---:|---:|")
for (Hk, Hv, Dk, Dv) in shapes:
    for B in batches:
        for T in lengths:
            if which == "chunk" and B > 1:
                continue
            q, k, v, g, beta, h0 = inputs(B, T, Hk, Hv, Dk, Dv)
            # g and beta by keyword: the fifth positional parameter of fla 0.6.0's
            # fused_recurrent_gated_delta_rule is gk (a per-key log gate [B,T,Hv,Dk]), not beta.
            fn = lambda: op(q, k, v, g=g, beta=beta, initial_state=h0, output_final_state=True)
            try:
                fn()
                torch.cuda.synchronize()
                eager = triton.testing.do_bench(fn, warmup=25, rep=100, return_mode="median") * 1e3
                graph = graph_us(fn)
                print(f"| {Hk} | {Hv} | {Dk} | {Dv} | {B} | {T} | {eager:.1f} | {graph:.1f} |", flush=True)
            except Exception as e:  # a failing case is reported, the grid goes on
                print(f"| {Hk} | {Hv} | {Dk} | {Dv} | {B} | {T} | FAILED {type(e).__name__} | {str(e)[:60]} |", flush=True)
