# Reference measurement of the stack of Gated DeltaNet (linear-attention) layers that `gdn e2e`
# runs, in PyTorch + fla: LAYERS layers chained (each layer's output feeds the next), batch 1,
# random bf16 weights, f32 recurrent state, conv kernel 4. Prefill = one call of PROMPT tokens
# (fla chunk kernel), decode = DECODE single-token calls (fla fused recurrent kernel). Every timed
# call ends with .cpu() of the stack output, as a decode loop reading the hidden state does.
# Prints eager prefill/decode tok/s (median of 7 rounds after 3 warm-up rounds), then decode with
# one token through the whole stack captured in a CUDA graph: wall tok/s and GPU µs per token.
# FUSED=1: decode takes the serving-engine form (one in_proj matmul, fla causal_conv1d_update,
# fla rms_norm_gated); it is checked against the plain form first.
#
# usage: [FUSED=1] python3 tools/bench/torch_stack.py HIDDEN HK HV DK DV LAYERS [PROMPT] [DECODE]
#   1024 16 16 128 128 18   Qwen3.5-0.8B's linear-attention stack
#   2048 16 32 128 128 36   Qwen3-Next-80B-A3B's
# PROMPT defaults to 24, DECODE to 32. Needs a CUDA device, torch, triton, fla-core and
# flash-linear-attention 0.6.0.
import os
import statistics
import sys
import time

import torch
import torch.nn.functional as F
from fla.ops.gated_delta_rule import chunk_gated_delta_rule, fused_recurrent_gated_delta_rule
from fla.modules.causal_conv1d.ops import causal_conv1d_update
from fla.modules.norm.fused_norm_gate import rms_norm_gated

if len(sys.argv) < 7:
    print("usage: [FUSED=1] python3 tools/bench/torch_stack.py HIDDEN HK HV DK DV LAYERS [PROMPT] [DECODE]")
    sys.exit(2)
HIDDEN, HK, HV, DK, DV, LAYERS = (int(a) for a in sys.argv[1:7])
PROMPT = int(sys.argv[7]) if len(sys.argv) > 7 else 24
DECODE = int(sys.argv[8]) if len(sys.argv) > 8 else 32
FUSED = os.environ.get("FUSED", "0") == "1"
K = 4  # conv kernel size
EPS = 1e-6
WARMUP, ROUNDS, GPU_REPLAYS = 3, 7, 100
DEV, BF = "cuda", torch.bfloat16
NQK, NV = HK * DK, HV * DV
C = 2 * NQK + NV  # conv channels: q, k, v


class Layer:
    def __init__(self):
        def rnd(*shape):
            return (torch.randn(*shape, device=DEV) * 0.02).to(BF)

        # [W_qkv; W_z; W_b; W_a] in one matrix; the separate weights are row slices of it.
        self.w_in = rnd(C + NV + 2 * HV, HIDDEN)
        self.w_qkv, self.w_z, self.w_b, self.w_a = self.w_in.split([C, NV, HV, HV], dim=0)
        self.conv = rnd(C, K)
        self.conv_f = self.conv.float().unsqueeze(1)  # [C, 1, K] for the plain path
        self.A_log = torch.log(torch.rand(HV, device=DEV))
        self.dt_bias = torch.rand(HV, device=DEV)
        self.norm_w = torch.ones(DV, device=DEV, dtype=BF)
        self.norm_wf = self.norm_w.float()
        self.w_out = rnd(HIDDEN, NV)
        # Layer state, updated in place: the recurrent state and the last K inputs of the conv.
        self.state = torch.zeros(1, HV, DK, DV, device=DEV, dtype=torch.float32)
        self.cache = torch.zeros(1, C, K, device=DEV, dtype=BF)

    def reset(self):
        self.state.zero_()
        self.cache.zero_()

    def save(self):
        return self.state.clone(), self.cache.clone()

    def restore(self, saved):
        self.state.copy_(saved[0])
        self.cache.copy_(saved[1])

    def gates(self, a, b):
        g = -self.A_log.exp() * F.softplus(a.float() + self.dt_bias)  # [1, T, HV] f32
        return g, b.sigmoid()

    def recur(self, q, k, v, g, beta):
        op = chunk_gated_delta_rule if q.shape[1] > 1 else fused_recurrent_gated_delta_rule
        # All by keyword: fused_recurrent's fifth positional parameter is gk, not beta.
        o, s = op(q, k, v, g=g, beta=beta, initial_state=self.state,
                  output_final_state=True, use_qk_l2norm_in_kernel=True)
        self.state.copy_(s)
        return o  # [1, T, HV, DV] bf16

    def split_qkv(self, qkv, T):
        q, k, v = qkv.split([NQK, NQK, NV], dim=-1)
        return q.reshape(1, T, HK, DK), k.reshape(1, T, HK, DK), v.reshape(1, T, HV, DV)

    def plain(self, x):
        """Any T: separate projections, conv / gated RMSNorm in torch ops (f32), fla recurrence."""
        T = x.shape[1]
        qkv, z = F.linear(x, self.w_qkv), F.linear(x, self.w_z)
        b, a = F.linear(x, self.w_b), F.linear(x, self.w_a)
        xs = torch.cat([self.cache[:, :, 1:], qkv.transpose(1, 2)], dim=2)  # [1, C, K-1+T]
        self.cache.copy_(xs[:, :, -K:])
        y = (xs.float().unfold(2, K, 1) * self.conv_f).sum(-1)  # [1, C, T]
        qkv = F.silu(y).to(BF).transpose(1, 2)  # [1, T, C]
        q, k, v = self.split_qkv(qkv, T)
        g, beta = self.gates(a, b)
        o = self.recur(q, k, v, g, beta).float()
        zf = z.reshape(1, T, HV, DV).float()
        o = o * torch.rsqrt(o.pow(2).mean(-1, keepdim=True) + EPS) * self.norm_wf * F.silu(zf)
        return F.linear(o.to(BF).reshape(1, T, NV), self.w_out)

    def fused(self, x):
        """T = 1, serving-engine form: one in_proj, fla conv update, fla gated RMSNorm."""
        p = F.linear(x, self.w_in)  # [1, 1, C + NV + 2 HV]
        qkv, z, b, a = p.split([C, NV, HV, HV], dim=-1)
        qkv, _ = causal_conv1d_update(qkv, self.cache, weight=self.conv, activation="silu")
        q, k, v = self.split_qkv(qkv, 1)
        g, beta = self.gates(a, b)
        o = self.recur(q, k, v, g, beta)
        y = rms_norm_gated(o.reshape(HV, DV), z.reshape(HV, DV), self.norm_w, None,
                           activation="swish", eps=EPS)
        return F.linear(y.reshape(1, 1, NV), self.w_out)


def forward(layers, x):
    decode_fused = FUSED and x.shape[1] == 1
    for layer in layers:
        x = layer.fused(x) if decode_fused else layer.plain(x)
    return x


def reset(layers):
    for layer in layers:
        layer.reset()
    torch.cuda.synchronize()


def main():
    torch.manual_seed(0)
    layers = [Layer() for _ in range(LAYERS)]
    # Inputs as `gdn e2e` makes them: a sine prompt and one cosine token fed at every decode step.
    i = torch.arange(PROMPT * HIDDEN, device=DEV, dtype=torch.float32)
    prompt = ((i * 0.0137).sin() * 0.5).reshape(1, PROMPT, HIDDEN).to(BF)
    i = torch.arange(HIDDEN, device=DEV, dtype=torch.float32)
    tok = ((i * 0.031).cos() * 0.5).reshape(1, 1, HIDDEN).to(BF)
    tag = "torch+fla/fused" if FUSED else "torch+fla"
    shape = f"L={LAYERS} H={HIDDEN} ({HK},{HV},{DK},{DV})"
    import triton
    import fla
    print(f"{tag}: card {torch.cuda.get_device_name()}, torch {torch.__version__}, "
          f"triton {triton.__version__}, fla {getattr(fla, '__version__', '?')}; "
          f"prompt {PROMPT}, decode {DECODE}", flush=True)

    # Checks, before any timing.
    reset(layers)
    out = forward(layers, prompt)
    out_ok = bool(torch.isfinite(out).all())
    st_ok = all(bool(torch.isfinite(l.state).all()) for l in layers)
    print(f"check: prefill out {list(out.shape)} finite={out_ok} max|out|={out.abs().max().item():.4g}, "
          f"states finite={st_ok} max|state| layer 0 {layers[0].state.abs().max().item():.4g}", flush=True)
    if FUSED:
        l0 = layers[0]
        saved = l0.save()
        ref = l0.plain(tok)
        ref_state, ref_cache = l0.save()
        l0.restore(saved)
        got = l0.fused(tok)
        d_out = (got.float() - ref.float()).abs().max().item()
        d_state = (l0.state - ref_state).abs().max().item()
        d_cache = (l0.cache.float() - ref_cache.float()).abs().max().item()
        print(f"check: fused vs plain decode, layer 0 from the same saved state: max|diff| out {d_out:.3g} "
              f"(max|out| {ref.abs().max().item():.3g}), state {d_state:.3g}, conv cache {d_cache:.3g}",
              flush=True)

    # Eager: prefill call + DECODE decode calls per round, states reset before each round.
    pre, dec = [], []
    for r in range(WARMUP + ROUNDS):
        reset(layers)
        t0 = time.perf_counter()
        forward(layers, prompt).cpu()
        t1 = time.perf_counter()
        for _ in range(DECODE):
            forward(layers, tok).cpu()
        t2 = time.perf_counter()
        if r >= WARMUP:
            pre.append(PROMPT / (t1 - t0))
            dec.append((t2 - t1) / DECODE)
    d = statistics.median(dec)
    print(f"{tag} eager {shape}: prefill {statistics.median(pre):.1f} tok/s, "
          f"decode {1 / d:.1f} tok/s ({d * 1e6 / LAYERS:.1f} us/layer)", flush=True)

    # CUDA graph of one decode token through the whole stack (states are updated in place).
    static_in = tok.clone()
    side = torch.cuda.Stream()
    side.wait_stream(torch.cuda.current_stream())
    with torch.cuda.stream(side):
        for _ in range(3):
            forward(layers, static_in)
    torch.cuda.current_stream().wait_stream(side)
    torch.cuda.synchronize()
    graph = torch.cuda.CUDAGraph()
    with torch.cuda.graph(graph):
        static_out = forward(layers, static_in)
    torch.cuda.synchronize()

    dec = []
    for r in range(WARMUP + ROUNDS):
        reset(layers)
        forward(layers, prompt).cpu()  # untimed prefill, eager
        t1 = time.perf_counter()
        for _ in range(DECODE):
            graph.replay()
            static_out.cpu()
        t2 = time.perf_counter()
        if r >= WARMUP:
            dec.append((t2 - t1) / DECODE)
    d = statistics.median(dec)
    print(f"{tag} graph {shape}: decode {1 / d:.1f} tok/s ({d * 1e6 / LAYERS:.1f} us/layer)", flush=True)

    start, end = torch.cuda.Event(enable_timing=True), torch.cuda.Event(enable_timing=True)
    graph.replay()
    torch.cuda.synchronize()
    start.record()
    for _ in range(GPU_REPLAYS):
        graph.replay()
    end.record()
    end.synchronize()
    us = start.elapsed_time(end) * 1e3 / GPU_REPLAYS
    print(f"{tag} graph GPU time per token {us:.1f} us ({us / LAYERS:.2f} us/layer)", flush=True)


if __name__ == "__main__":
    with torch.no_grad():
        main()
