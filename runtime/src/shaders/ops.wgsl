// gdn ops path: generic (runtime-shaped) primitive shaders for the per-step composition
// decay -> matvec -> delta -> rank-1 update -> matvec, as in mlx-lm's `_gated_delta_step_ops`.
// Correct for every shape; slow by design (5 dispatches per step). All buffers are u32 words;
// f32 data is bitcast, 16-bit data is packed two per word.

struct P {
    n: u32,        // elements this dispatch covers
    b: u32,
    t: u32,
    hk: u32,
    hv: u32,
    dk: u32,
    dv: u32,
    step: u32,     // current time step
    gcols: u32,    // 1 (scalar gate) or dk (per-key gate)
    code: u32,     // element code of the source: 0 f32, 1 f16, 2 bf16, 3 u8
    op: u32,       // convert: 1 = exp after load; matvec: 1 = write y (masked -> 0)
    flags: u32,    // bit 0: a mask is given; bit 1: tiled heads (value head h reads key head h % hk)
}

@group(0) @binding(0) var<uniform> p: P;
@group(0) @binding(1) var<storage, read> in0: array<u32>;
@group(0) @binding(2) var<storage, read> in1: array<u32>;
@group(0) @binding(3) var<storage, read> in2: array<u32>;
@group(0) @binding(4) var<storage, read> in3: array<u32>;
@group(0) @binding(5) var<storage, read_write> out0: array<u32>;
@group(0) @binding(6) var<storage, read_write> out1: array<u32>;

fn flat(wid: vec3<u32>, nwg: vec3<u32>, lid: u32) -> u32 {
    return (wid.y * nwg.x + wid.x) * 256u + lid;
}

fn f(x: u32) -> f32 {
    return bitcast<f32>(x);
}

fn load0(i: u32, code: u32) -> f32 {
    switch code {
        case 0u: { return bitcast<f32>(in0[i]); }
        case 1u: { return unpack2x16float(in0[i >> 1u] >> ((i & 1u) * 16u)).x; }
        case 2u: { return bitcast<f32>(((in0[i >> 1u] >> ((i & 1u) * 16u)) & 0xffffu) << 16u); }
        default: { return select(0.0, 1.0, ((in0[i >> 2u] >> ((i & 3u) * 8u)) & 0xffu) != 0u); }
    }
}

fn load1(i: u32, code: u32) -> f32 {
    switch code {
        case 0u: { return bitcast<f32>(in1[i]); }
        case 1u: { return unpack2x16float(in1[i >> 1u] >> ((i & 1u) * 16u)).x; }
        default: { return bitcast<f32>(((in1[i >> 1u] >> ((i & 1u) * 16u)) & 0xffffu) << 16u); }
    }
}

fn is_real(bt: u32) -> bool {
    return (p.flags & 1u) == 0u || f(in3[bt]) != 0.0;
}

// out0[i] = f32(in0[i]) (optionally exp), any source code.
@compute @workgroup_size(256)
fn convert(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>, @builtin(local_invocation_index) li: u32) {
    let i = flat(wid, nwg, li);
    if (i >= p.n) { return; }
    var x = load0(i, p.code);
    if (p.op == 1u) { x = exp(x); }
    out0[i] = bitcast<u32>(x);
}

fn softplus(x: f32) -> f32 {
    if (x > 20.0) { return x; }
    return log(1.0 + exp(x));
}

// Raw gates: in0 = a, in1 = b (code), in2 = A_log f32, in3 = dt_bias f32; out0 = alpha, out1 = beta.
@compute @workgroup_size(256)
fn gates_raw(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>, @builtin(local_invocation_index) li: u32) {
    let i = flat(wid, nwg, li);
    if (i >= p.n) { return; }
    let h = i % p.hv;
    let a = load0(i, p.code);
    let bb = load1(i, p.code);
    let alpha = exp(-exp(f(in2[h])) * softplus(a + f(in3[h])));
    out0[i] = bitcast<u32>(alpha);
    out1[i] = bitcast<u32>(1.0 / (1.0 + exp(-bb)));
}

// S = alpha * S over all state elements; in0 = alpha, in3 = mask; out0 = S.
@compute @workgroup_size(256)
fn decay(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>, @builtin(local_invocation_index) li: u32) {
    let i = flat(wid, nwg, li);
    if (i >= p.n) { return; }
    let j = i % p.dk;
    let nh = i / (p.dk * p.dv);
    let b = nh / p.hv;
    let h = nh % p.hv;
    let bt = b * p.t + p.step;
    if (!is_real(bt)) { return; }
    let gi = (bt * p.hv + h) * p.gcols + select(0u, j, p.gcols > 1u);
    out0[i] = bitcast<u32>(f(out0[i]) * f(in0[gi]));
}

// The key head value head h reads.
fn key_head(h: u32) -> u32 {
    if ((p.flags & 2u) != 0u) {
        return h % p.hk;
    }
    return h / (p.hv / p.hk);
}

// Row dot products: out0[row or y index] = sum_j S[row, j] x[b, step, hk, j]; in0 = S, in1 = x, in3 = mask.
@compute @workgroup_size(256)
fn matvec(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>, @builtin(local_invocation_index) li: u32) {
    let row = flat(wid, nwg, li);
    if (row >= p.n) { return; }
    let i = row % p.dv;
    let nh = row / p.dv;
    let b = nh / p.hv;
    let h = nh % p.hv;
    let bt = b * p.t + p.step;
    let xb = (bt * p.hk + key_head(h)) * p.dk;
    var acc = 0.0;
    for (var j = 0u; j < p.dk; j = j + 1u) {
        acc = acc + f(in0[row * p.dk + j]) * f(in1[xb + j]);
    }
    if (p.op == 1u) {
        out0[(bt * p.hv + h) * p.dv + i] = bitcast<u32>(select(0.0, acc, is_real(bt)));
    } else {
        out0[row] = bitcast<u32>(acc);
    }
}

// delta = beta * (v - kv), in place over kv (out0); in0 = v, in1 = beta, in3 = mask.
@compute @workgroup_size(256)
fn delta(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>, @builtin(local_invocation_index) li: u32) {
    let row = flat(wid, nwg, li);
    if (row >= p.n) { return; }
    let i = row % p.dv;
    let nh = row / p.dv;
    let b = nh / p.hv;
    let h = nh % p.hv;
    let gi = (b * p.t + p.step) * p.hv + h;
    out0[row] = bitcast<u32>(f(in1[gi]) * (f(in0[gi * p.dv + i]) - f(out0[row])));
}

// S = S + delta k^T; in0 = delta, in1 = k, in3 = mask; out0 = S.
@compute @workgroup_size(256)
fn rank1(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>, @builtin(local_invocation_index) li: u32) {
    let i = flat(wid, nwg, li);
    if (i >= p.n) { return; }
    let j = i % p.dk;
    let row = i / p.dk;
    let nh = row / p.dv;
    let b = nh / p.hv;
    let h = nh % p.hv;
    let bt = b * p.t + p.step;
    if (!is_real(bt)) { return; }
    let kb = (bt * p.hk + key_head(h)) * p.dk;
    out0[i] = bitcast<u32>(f(out0[i]) + f(in0[row]) * f(in1[kb + j]));
}

fn to_bf16(x: f32) -> u32 {
    let u = bitcast<u32>(x);
    if ((u & 0x7fffffffu) > 0x7f800000u) {
        return (u >> 16u) | 0x40u;
    }
    return (u + 0x7fffu + ((u >> 16u) & 1u)) >> 16u;
}

// Two values as one word of 16-bit dtype code p.code (1 f16, 2 bf16).
fn pack(lo: f32, hi: f32) -> u32 {
    if (p.code == 1u) {
        return pack2x16float(vec2<f32>(lo, hi));
    }
    return to_bf16(lo) | (to_bf16(hi) << 16u);
}

// y (dtype code) from f32 y; one thread per output word; in0 = y f32 (p.n elements).
@compute @workgroup_size(256)
fn store(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>, @builtin(local_invocation_index) li: u32) {
    let w = flat(wid, nwg, li);
    if (p.code == 0u) {
        if (w < p.n) { out0[w] = in0[w]; }
        return;
    }
    let i = w * 2u;
    if (i >= p.n) { return; }
    var hi = 0.0;
    if (i + 1u < p.n) { hi = f(in0[i + 1u]); }
    out0[w] = pack(f(in0[i]), hi);
}

// q/k L2 normalisation (CallOptions::qk_l2norm), x / sqrt(sum(x^2) + 1e-6) over rows of dk:
// out0[row] = the row's inverse norm, one thread per row (p.n rows) of in0 (dtype code p.code).
@compute @workgroup_size(256)
fn l2norm_inv(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>, @builtin(local_invocation_index) li: u32) {
    let row = flat(wid, nwg, li);
    if (row >= p.n) { return; }
    var acc = 0.0;
    for (var j = 0u; j < p.dk; j = j + 1u) {
        let x = load0(row * p.dk + j, p.code);
        acc = acc + x * x;
    }
    out0[row] = bitcast<u32>(inverseSqrt(acc + 1e-6));
}

// out0 = in0 scaled by its rows' inverse norms (in1), in in0's dtype; one thread per output
// word (p.n elements), so rows that share a 16-bit pair never race.
@compute @workgroup_size(256)
fn l2norm_scale(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>, @builtin(local_invocation_index) li: u32) {
    let w = flat(wid, nwg, li);
    if (p.code == 0u) {
        if (w < p.n) { out0[w] = bitcast<u32>(load0(w, 0u) * f(in1[w / p.dk])); }
        return;
    }
    let i = w * 2u;
    if (i >= p.n) { return; }
    var hi = 0.0;
    if (i + 1u < p.n) { hi = load0(i + 1u, p.code) * f(in1[(i + 1u) / p.dk]); }
    out0[w] = pack(load0(i, p.code) * f(in1[i / p.dk]), hi);
}

// q and k normalised in one dispatch where no 16-bit pair spans two rows (f32, or an even dk):
// 32 threads per row, 8 rows per workgroup; rows 0..p.n of q (in0 -> out0), then p.n rows of k
// (in1 -> out1). Each row's sum of squares is reduced in workgroup memory.
var<workgroup> l2_part: array<f32, 256>;

fn load01(second: bool, i: u32) -> f32 {
    if (second) { return load1(i, p.code); }
    return load0(i, p.code);
}

fn store01(second: bool, w: u32, x: u32) {
    if (second) { out1[w] = x; } else { out0[w] = x; }
}

@compute @workgroup_size(256)
fn l2norm_rows(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>, @builtin(local_invocation_index) li: u32) {
    let g = (wid.y * nwg.x + wid.x) * 8u + li / 32u;
    let lane = li % 32u;
    let second = g >= p.n;
    let row = select(g, g - p.n, second);
    let on = g < 2u * p.n;
    var acc = 0.0;
    if (on) {
        for (var j = lane; j < p.dk; j = j + 32u) {
            let x = load01(second, row * p.dk + j);
            acc = acc + x * x;
        }
    }
    l2_part[li] = acc;
    for (var h = 16u; h > 0u; h = h >> 1u) {
        workgroupBarrier();
        if (lane < h) { l2_part[li] = l2_part[li] + l2_part[li + h]; }
    }
    workgroupBarrier();
    if (!on) { return; }
    let inv = inverseSqrt(l2_part[li - lane] + 1e-6);
    if (p.code == 0u) {
        for (var j = lane; j < p.dk; j = j + 32u) {
            let i = row * p.dk + j;
            store01(second, i, bitcast<u32>(load01(second, i) * inv));
        }
        return;
    }
    // 16-bit: dk is even, so the row's pairs are whole words.
    for (var w = lane; w < p.dk / 2u; w = w + 32u) {
        let i = row * p.dk + 2u * w;
        store01(second, i / 2u, pack(load01(second, i) * inv, load01(second, i + 1u) * inv));
    }
}
