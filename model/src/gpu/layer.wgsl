// gdn layer ops: generic (runtime-shaped) f32 kernels around the gated-delta recurrence of a
// Qwen3-Next / Qwen3.5 linear-attention layer. All accumulation is f32.

struct P {
    m: u32,      // rows (B*T) for matmul; B*T for others
    n: u32,      // output columns (matmul) / channels C (conv)
    k: u32,      // reduction length (matmul) / conv kernel K
    t: u32,      // T
    b: u32,      // B
    hk: u32,
    hv: u32,
    dk: u32,
    dv: u32,
    eps: f32,
    _p0: u32,
    _p1: u32,
}

@group(0) @binding(0) var<uniform> p: P;
@group(0) @binding(1) var<storage, read> a: array<f32>;
@group(0) @binding(2) var<storage, read> b: array<f32>;
@group(0) @binding(3) var<storage, read> c: array<f32>;
@group(0) @binding(4) var<storage, read_write> o0: array<f32>;
@group(0) @binding(5) var<storage, read_write> o1: array<f32>;
@group(0) @binding(6) var<storage, read_write> o2: array<f32>;

const MT: u32 = 4u;   // rows of x per matmul workgroup
var<workgroup> red: array<f32, 256>;

// o0[m, n] = sum_k a[m, k] * b[n, k]; one workgroup (64 threads) per (n, block of MT rows):
// threads stride over k (coalesced weight reads), then a tree reduction.
@compute @workgroup_size(64)
fn matmul(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_index) li: u32) {
    let n = wid.x;
    let m0 = wid.y * MT;
    var acc = array<f32, 4>(0.0, 0.0, 0.0, 0.0);
    for (var kk = li; kk < p.k; kk = kk + 64u) {
        let wv = b[n * p.k + kk];
        for (var r = 0u; r < MT; r = r + 1u) {
            if (m0 + r < p.m) {
                acc[r] = acc[r] + a[(m0 + r) * p.k + kk] * wv;
            }
        }
    }
    for (var r = 0u; r < MT; r = r + 1u) {
        red[r * 64u + li] = acc[r];
    }
    workgroupBarrier();
    for (var s = 32u; s > 0u; s = s / 2u) {
        if (li < s) {
            for (var r = 0u; r < MT; r = r + 1u) {
                red[r * 64u + li] = red[r * 64u + li] + red[r * 64u + li + s];
            }
        }
        workgroupBarrier();
    }
    if (li < MT && m0 + li < p.m) {
        o0[(m0 + li) * p.n + n] = red[li * 64u];
    }
}

fn silu(x: f32) -> f32 {
    return x / (1.0 + exp(-x));
}

// The padded conv input: [conv_state (K-1 steps) | qkv (T steps)] for batch bi, channel ch.
// a = qkv [B,T,C], c = conv state [B,K-1,C].
fn xp(bi: u32, u: u32, ch: u32) -> f32 {
    let km1 = p.k - 1u;
    if (u < km1) {
        return c[(bi * km1 + u) * p.n + ch];
    }
    return a[(bi * p.t + u - km1) * p.n + ch];
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

// o0 = new conv state [B, K-1, C]: the last K-1 pre-conv inputs.
@compute @workgroup_size(64)
fn conv_state(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>, @builtin(local_invocation_index) li: u32) {
    let i = flat(wid, nwg, li);
    let km1 = p.k - 1u;
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

// Gated RMSNorm per (b,t,h): o0 = w * y * rsqrt(mean(y^2) + eps) * silu(z); a = y, b = z, c = w.
@compute @workgroup_size(64)
fn gated_norm(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>, @builtin(local_invocation_index) li: u32) {
    let i = flat(wid, nwg, li);
    if (i >= p.m * p.hv) { return; }
    let base = i * p.dv;
    var ss = 0.0;
    for (var j = 0u; j < p.dv; j = j + 1u) {
        let y = a[base + j];
        ss = ss + y * y;
    }
    let inv = inverseSqrt(ss / f32(p.dv) + p.eps);
    for (var j = 0u; j < p.dv; j = j + 1u) {
        o0[base + j] = c[j] * a[base + j] * inv * silu(b[base + j]);
    }
}
