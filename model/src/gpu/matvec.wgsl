// gdn layer projections: o[m, n] = Σ_k x[m, k] · w[n, k], f32 accumulation. The weight matrix is
// read directly in its stored dtype (this file is completed by matvec_f32.wgsl or
// matvec_half.wgsl, which define `W8`, `wload` and `EPW`): rows of `kw` words, zero-padded past k.
// Workgroups of 32 lanes × 4 output rows; lanes stride over a row's words (coalesced reads of the
// weights, which dominate a decode step), then a tree sum per row in workgroup memory.

struct P {
    m: u32,
    n: u32,
    k: u32,
    // Words per weight row.
    kw: u32,
    // Weight dtype of the 16-bit module: 1 f16, 2 bf16.
    code: u32,
    // Row strides of x and o, in elements.
    ld_x: u32,
    ld_o: u32,
    pad: u32,
}

@group(0) @binding(0) var<uniform> p: P;
@group(0) @binding(1) var<storage, read> x: array<f32>;
@group(0) @binding(4) var<storage, read_write> o: array<f32>;

const LANES: u32 = 32u;
const NR: u32 = 4u;
// Rows of x per workgroup of `gemm4`.
const MT: u32 = 4u;
var<workgroup> red: array<vec4<f32>, 128>;

// Up to four values of row m of x from column k on (zero past k).
fn x4(m: u32, k: u32) -> vec4<f32> {
    let base = m * p.ld_x;
    if (k + 4u <= p.k) {
        return vec4<f32>(x[base + k], x[base + k + 1u], x[base + k + 2u], x[base + k + 3u]);
    }
    var v = vec4<f32>(0.0);
    for (var e = 0u; e < 4u; e = e + 1u) {
        if (k + e < p.k) {
            v[e] = x[base + k + e];
        }
    }
    return v;
}

fn dot_word(wv: W8, m: u32, k0: u32) -> f32 {
    var s = dot(wv.a, x4(m, k0));
    if (EPW == 8u) {
        s = s + dot(wv.b, x4(m, k0 + 4u));
    }
    return s;
}

// Sums `acc` over the 32 lanes of each row; lane 0 of row r gets row r's totals.
fn row_total(acc: vec4<f32>, lane: u32, r: u32) -> vec4<f32> {
    red[r * LANES + lane] = acc;
    workgroupBarrier();
    for (var s = LANES / 2u; s > 0u; s = s / 2u) {
        if (lane < s) {
            red[r * LANES + lane] = red[r * LANES + lane] + red[r * LANES + lane + s];
        }
        workgroupBarrier();
    }
    return red[r * LANES];
}

// One row of x (decode).
@compute @workgroup_size(32, 4, 1)
fn gemv(@builtin(local_invocation_id) lid: vec3<u32>, @builtin(workgroup_id) wid: vec3<u32>) {
    let lane = lid.x;
    let r = lid.y;
    let n = wid.x * NR + r;
    let nn = min(n, p.n - 1u);
    let m = wid.y;
    var acc = 0.0;
    for (var c = lane; c < p.kw; c = c + LANES) {
        acc = acc + dot_word(wload(nn * p.kw + c), m, c * EPW);
    }
    let t = row_total(vec4<f32>(acc, 0.0, 0.0, 0.0), lane, r);
    if (lane == 0u && n < p.n) {
        o[m * p.ld_o + n] = t.x;
    }
}

// One row of x, four weight rows per 32 lanes (16 per workgroup): each x word read serves four
// rows and each lane has four weight loads in flight, for matrices with rows enough to fill the GPU.
@compute @workgroup_size(32, 4, 1)
fn gemv_rows4(@builtin(local_invocation_id) lid: vec3<u32>, @builtin(workgroup_id) wid: vec3<u32>) {
    let lane = lid.x;
    let r = lid.y;
    let n0 = (wid.x * NR + r) * 4u;
    let last = p.n - 1u;
    let m = wid.y;
    var acc = vec4<f32>(0.0);
    for (var c = lane; c < p.kw; c = c + LANES) {
        let k0 = c * EPW;
        let w0 = wload(min(n0, last) * p.kw + c);
        let w1 = wload(min(n0 + 1u, last) * p.kw + c);
        let w2 = wload(min(n0 + 2u, last) * p.kw + c);
        let w3 = wload(min(n0 + 3u, last) * p.kw + c);
        let xa = x4(m, k0);
        var s = vec4<f32>(dot(w0.a, xa), dot(w1.a, xa), dot(w2.a, xa), dot(w3.a, xa));
        if (EPW == 8u) {
            let xb = x4(m, k0 + 4u);
            s = s + vec4<f32>(dot(w0.b, xb), dot(w1.b, xb), dot(w2.b, xb), dot(w3.b, xb));
        }
        acc = acc + s;
    }
    let t = row_total(acc, lane, r);
    if (lane == 0u) {
        for (var i = 0u; i < 4u; i = i + 1u) {
            if (n0 + i < p.n) {
                o[m * p.ld_o + n0 + i] = t[i];
            }
        }
    }
}

// MT rows of x per workgroup (prefill): each weight word serves MT rows.
@compute @workgroup_size(32, 4, 1)
fn gemm4(@builtin(local_invocation_id) lid: vec3<u32>, @builtin(workgroup_id) wid: vec3<u32>) {
    let lane = lid.x;
    let r = lid.y;
    let n = wid.x * NR + r;
    let nn = min(n, p.n - 1u);
    let m0 = wid.y * MT;
    let last = p.m - 1u;
    var acc = vec4<f32>(0.0);
    for (var c = lane; c < p.kw; c = c + LANES) {
        let wv = wload(nn * p.kw + c);
        let k0 = c * EPW;
        acc = acc + vec4<f32>(
            dot_word(wv, min(m0, last), k0),
            dot_word(wv, min(m0 + 1u, last), k0),
            dot_word(wv, min(m0 + 2u, last), k0),
            dot_word(wv, min(m0 + 3u, last), k0),
        );
    }
    let t = row_total(acc, lane, r);
    if (lane == 0u && n < p.n) {
        for (var i = 0u; i < MT; i = i + 1u) {
            if (m0 + i < p.m) {
                o[(m0 + i) * p.ld_o + n] = t[i];
            }
        }
    }
}
