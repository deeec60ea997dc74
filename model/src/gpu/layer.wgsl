// gdn layer ops: generic (runtime-shaped) f32 kernels around the gated-delta recurrence of a
// Qwen3-Next / Qwen3.5 linear-attention layer, for steps the fused decode module does not serve
// (prefill). All accumulation is f32. `proj` is the in_proj output, rows of `ld` values
// [qkv (C) | z (Hv·Dv) | b (Hv) | a (Hv)].

struct P {
    m: u32,      // rows B*T
    n: u32,      // channels C (conv)
    k: u32,      // conv kernel K
    t: u32,      // T
    b: u32,      // B
    hk: u32,
    hv: u32,
    dk: u32,
    dv: u32,
    eps: f32,
    // Row stride of the in_proj output, and the column its gate (z, or b and a) part starts at.
    ld: u32,
    off: u32,
}

@group(0) @binding(0) var<uniform> p: P;
@group(0) @binding(1) var<storage, read> a: array<f32>;
@group(0) @binding(2) var<storage, read> b: array<f32>;
@group(0) @binding(3) var<storage, read> c: array<f32>;
@group(0) @binding(4) var<storage, read_write> o0: array<f32>;
@group(0) @binding(5) var<storage, read_write> o1: array<f32>;
@group(0) @binding(6) var<storage, read_write> o2: array<f32>;

fn silu(x: f32) -> f32 {
    return x / (1.0 + exp(-x));
}

// The padded conv input: [conv_state (K-1 steps) | qkv (T steps)] for batch bi, channel ch.
// a = the in_proj output (qkv in its first C columns), c = conv state [B,K-1,C].
fn xp(bi: u32, u: u32, ch: u32) -> f32 {
    let km1 = p.k - 1u;
    if (u < km1) {
        return c[(bi * km1 + u) * p.n + ch];
    }
    return a[(bi * p.t + u - km1) * p.ld + ch];
}

fn flat(wid: vec3<u32>, nwg: vec3<u32>, li: u32) -> u32 {
    return (wid.y * nwg.x + wid.x) * 64u + li;
}

// o0[b,t,ch] = silu(sum_j w[ch, j] * xp(b, t + j, ch)); b = conv weight [C, K].
@compute @workgroup_size(64)
fn conv_silu(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>, @builtin(local_invocation_index) li: u32) {
    let i = flat(wid, nwg, li);
    if (i >= p.m * p.n) { return; }
    let ch = i % p.n;
    let bt = i / p.n;
    let bi = bt / p.t;
    let ti = bt % p.t;
    var acc = 0.0;
    for (var j = 0u; j < p.k; j = j + 1u) {
        acc = acc + b[ch * p.k + j] * xp(bi, ti + j, ch);
    }
    o0[i] = silu(acc);
}

// o0 = new conv state [B, K-1, C]: the last K-1 pre-conv inputs (c is the old one, another
// buffer). Also o1 = b and o2 = a as dense [B, T, Hv] for the op (columns off.. of the rows).
@compute @workgroup_size(64)
fn conv_state(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>, @builtin(local_invocation_index) li: u32) {
    let i = flat(wid, nwg, li);
    let km1 = p.k - 1u;
    if (i < p.m * p.hv) {
        let row = (i / p.hv) * p.ld + p.off + i % p.hv;
        o1[i] = a[row];
        o2[i] = a[row + p.hv];
    }
    if (i >= p.b * km1 * p.n) { return; }
    let ch = i % p.n;
    let u = (i / p.n) % km1;
    let bi = i / (p.n * km1);
    o0[i] = xp(bi, p.t + u, ch);
}

// One thread per (b, t, head row) of the conv output a = [B,T,C]: q and k heads are l2-normalised
// (q also scaled by Dk^-1/2); v heads are copied. o0 = q, o1 = k [B,T,Hk,Dk]; o2 = v [B,T,Hv,Dv].
@compute @workgroup_size(64)
fn split_norm(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>, @builtin(local_invocation_index) li: u32) {
    let i = flat(wid, nwg, li);
    let rows = 2u * p.hk + p.hv;
    if (i >= p.m * rows) { return; }
    let bt = i / rows;
    let r = i % rows;
    let cch = 2u * p.hk * p.dk + p.hv * p.dv;
    let base = bt * cch;
    if (r < 2u * p.hk) {
        let src = base + r * p.dk;
        var ss = 0.0;
        for (var j = 0u; j < p.dk; j = j + 1u) {
            let x = a[src + j];
            ss = ss + x * x;
        }
        var scale = inverseSqrt(ss + 1e-6);
        if (r < p.hk) {
            scale = scale * inverseSqrt(f32(p.dk));
            for (var j = 0u; j < p.dk; j = j + 1u) {
                o0[(bt * p.hk + r) * p.dk + j] = a[src + j] * scale;
            }
        } else {
            for (var j = 0u; j < p.dk; j = j + 1u) {
                o1[(bt * p.hk + r - p.hk) * p.dk + j] = a[src + j] * scale;
            }
        }
    } else {
        let h = r - 2u * p.hk;
        let src = base + 2u * p.hk * p.dk + h * p.dv;
        let dst = (bt * p.hv + h) * p.dv;
        for (var j = 0u; j < p.dv; j = j + 1u) {
            o2[dst + j] = a[src + j];
        }
    }
}

// Gated RMSNorm per (b,t,h): o0 = w * y * rsqrt(mean(y^2) + eps) * silu(z); a = y, c = w, and z
// from b, the in_proj output (columns off.. of its rows).
@compute @workgroup_size(64)
fn gated_norm(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>, @builtin(local_invocation_index) li: u32) {
    let i = flat(wid, nwg, li);
    if (i >= p.m * p.hv) { return; }
    let base = i * p.dv;
    let zb = (i / p.hv) * p.ld + p.off + (i % p.hv) * p.dv;
    var ss = 0.0;
    for (var j = 0u; j < p.dv; j = j + 1u) {
        let y = a[base + j];
        ss = ss + y * y;
    }
    let inv = inverseSqrt(ss / f32(p.dv) + p.eps);
    for (var j = 0u; j < p.dv; j = j + 1u) {
        o0[base + j] = c[j] * a[base + j] * inv * silu(b[zb + j]);
    }
}
