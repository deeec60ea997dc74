// gdn layer projections: o[m, n] = Σ_k x[m, k] · w[n, k], f32 accumulation. The weight matrix is
// read directly in its stored dtype (this file is completed by matvec_f32.wgsl or
// matvec_half.wgsl, which define `W8`, `wload` and `EPW`): rows of `kw` words, zero-padded past k.
// Decode (one to three rows of x): workgroups of 4 lane groups of 32, each lane group one or four
// weight rows; lanes stride over a row's words (coalesced reads of the weights, which dominate a
// decode step), then a tree sum per row in workgroup memory. Prefill: `gemm4` for 4 to 7 rows of
// x, the tiled `gemm_tiled` from 8.

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
    // When `norm_blocks` > 0, x is the fused decode layer's gated y, w · y · silu(z) [m, Hv·Dv],
    // followed by its per-block sums of y² [m, Hv, norm_blocks]: each value head (Dv columns) is
    // scaled by its 1/rms = 1/sqrt(Σy²/Dv + eps) as it is read, completing the gated RMSNorm.
    norm_blocks: u32,
    dv: u32,
    eps: f32,
    pad0: u32,
}

@group(0) @binding(0) var<uniform> p: P;
@group(0) @binding(1) var<storage, read> x: array<f32>;
// The same buffer as `x`, read four values at a time where rows start on a multiple of four.
@group(0) @binding(3) var<storage, read> xv: array<vec4<f32>>;
@group(0) @binding(4) var<storage, read_write> o: array<f32>;

const LANES: u32 = 32u;
const NR: u32 = 4u;
// Rows of x per workgroup of `gemm4`.
const MT: u32 = 4u;
var<workgroup> red: array<vec4<f32>, 128>;

// 1 / rms of value head h of row m of y, from the fused decode layer's per-block sums.
fn inv_rms(m: u32, h: u32) -> f32 {
    let heads = p.k / p.dv;
    let at = p.m * p.ld_x + (m * heads + h) * p.norm_blocks;
    var ss = 0.0;
    for (var s = 0u; s < p.norm_blocks; s = s + 1u) {
        ss = ss + x[at + s];
    }
    return inverseSqrt(ss / f32(p.dv) + p.eps);
}

// Heads whose scale a one-row workgroup keeps in workgroup memory.
const CACHED_HEADS: u32 = 256u;
var<workgroup> invs: array<f32, 256>;

// Fills `invs` for row m (a workgroup of one row of x, before its loop; all threads call it).
fn cache_inv_rms(li: u32, m: u32) {
    if (p.norm_blocks > 0u) {
        for (var h = li; h < min(p.k / p.dv, CACHED_HEADS); h = h + 128u) {
            invs[h] = inv_rms(m, h);
        }
    }
    workgroupBarrier();
}

fn head_inv(m: u32, h: u32, cached: bool) -> f32 {
    if (cached && h < CACHED_HEADS) {
        return invs[h];
    }
    return inv_rms(m, h);
}

// The four values y of row m from column k on, each times its value head's 1/rms; `cached`: the
// workgroup filled `invs` for row m.
fn scaled4(m: u32, k: u32, y: vec4<f32>, cached: bool) -> vec4<f32> {
    if (k >= p.k) {
        return vec4<f32>(0.0);
    }
    let h = k / p.dv;
    if ((k + 3u) / p.dv == h) {
        return y * head_inv(m, h, cached);
    }
    // The four straddle two heads (Dv not a multiple of four); past k, y is zero.
    var o = y;
    for (var e = 0u; e < 4u; e = e + 1u) {
        if (k + e < p.k) {
            o[e] = y[e] * head_inv(m, (k + e) / p.dv, cached);
        }
    }
    return o;
}

// Up to four values of row m of x from column k on (zero past k), scaled when asked.
fn x4c(m: u32, k: u32, cached: bool) -> vec4<f32> {
    let v = x4_raw(m, k);
    if (p.norm_blocks > 0u) {
        return scaled4(m, k, v, cached);
    }
    return v;
}

fn x4_raw(m: u32, k: u32) -> vec4<f32> {
    let base = m * p.ld_x;
    if (k + 4u <= p.k) {
        // k is a multiple of four (a weight word's first column).
        if (p.ld_x % 4u == 0u) {
            return xv[(base + k) / 4u];
        }
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
    return dot_word_c(wv, m, k0, false);
}

fn dot_word_c(wv: W8, m: u32, k0: u32, cached: bool) -> f32 {
    var s = dot(wv.a, x4c(m, k0, cached));
    if (EPW == 8u) {
        s = s + dot(wv.b, x4c(m, k0 + 4u, cached));
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
    let li = r * LANES + lane;
    cache_inv_rms(li, m);
    var acc = 0.0;
    for (var c = lane; c < p.kw; c = c + LANES) {
        acc = acc + dot_word_c(wload(nn * p.kw + c), m, c * EPW, true);
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
    let li = r * LANES + lane;
    cache_inv_rms(li, m);
    var acc = vec4<f32>(0.0);
    for (var c = lane; c < p.kw; c = c + LANES) {
        let k0 = c * EPW;
        let w0 = wload(min(n0, last) * p.kw + c);
        let w1 = wload(min(n0 + 1u, last) * p.kw + c);
        let w2 = wload(min(n0 + 2u, last) * p.kw + c);
        let w3 = wload(min(n0 + 3u, last) * p.kw + c);
        let xa = x4c(m, k0, true);
        var s = vec4<f32>(dot(w0.a, xa), dot(w1.a, xa), dot(w2.a, xa), dot(w3.a, xa));
        if (EPW == 8u) {
            let xb = x4c(m, k0 + 4u, true);
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

// Tiled product for prefill: a workgroup of 16×16 threads makes a 64 (rows of x) × 64 (weight
// rows) block of o, thread (tx, ty) the 4 × 4 outputs at rows 4·ty + i and weight rows 4·tx + j,
// in registers. Each step stages TK columns of x and of the weights in workgroup memory,
// transposed: column c holds four rows a vec4 (rows of TS vec4, padded so a step's accesses spread
// over the banks), so a thread's step of one column is two vec4 reads for sixteen products. Each
// staged vec4 is written whole by one thread (a write to one component of a shared vector may
// rewrite the whole vector on some compilers).
const TM: u32 = 64u;
const TN: u32 = 64u;
const TK: u32 = 16u;
// vec4s per staged column: TM / 4, plus one of padding.
const TS: u32 = 17u;
var<workgroup> xs: array<vec4<f32>, 272>; // TK · TS
var<workgroup> ws: array<vec4<f32>, 272>; // TK · TS

// x[m, k] (zero past m or k), scaled when asked (uncached).
fn x1(m: u32, k: u32) -> f32 {
    if (m >= p.m || k >= p.k) {
        return 0.0;
    }
    let v = x[m * p.ld_x + k];
    if (p.norm_blocks > 0u) {
        return v * head_inv(m, k / p.dv, false);
    }
    return v;
}

// Weight word `word` of row n (zero past n or the row's words).
fn wword(n: u32, word: u32) -> W8 {
    if (n < p.n && word < p.kw) {
        return wload(n * p.kw + word);
    }
    return W8(vec4<f32>(0.0), vec4<f32>(0.0));
}

@compute @workgroup_size(16, 16, 1)
fn gemm_tiled(@builtin(local_invocation_id) lid: vec3<u32>, @builtin(local_invocation_index) li: u32, @builtin(workgroup_id) wid: vec3<u32>) {
    let tx = lid.x;
    let ty = lid.y;
    let n0 = wid.x * TN;
    let m0 = wid.y * TM;
    var acc: array<vec4<f32>, 4>;
    for (var k0 = 0u; k0 < p.k; k0 = k0 + TK) {
        // x: column c of rows 4q .. 4q + 3, one vec4 a thread (consecutive threads, consecutive
        // columns of a row).
        let q = li / TK;
        let c = li % TK;
        let m = m0 + 4u * q;
        xs[c * TS + q] = vec4<f32>(x1(m, k0 + c), x1(m + 1u, k0 + c), x1(m + 2u, k0 + c), x1(m + 3u, k0 + c));
        // Weights: word j of rows 4r .. 4r + 3 gives the vec4s of its EPW columns.
        if (li < (TN / 4u) * (TK / EPW)) {
            let r = li / (TK / EPW);
            let j = li % (TK / EPW);
            let word = k0 / EPW + j;
            let n = n0 + 4u * r;
            let w0 = wword(n, word);
            let w1 = wword(n + 1u, word);
            let w2 = wword(n + 2u, word);
            let w3 = wword(n + 3u, word);
            for (var e = 0u; e < 4u; e = e + 1u) {
                ws[(j * EPW + e) * TS + r] = vec4<f32>(w0.a[e], w1.a[e], w2.a[e], w3.a[e]);
            }
            if (EPW == 8u) {
                for (var e = 0u; e < 4u; e = e + 1u) {
                    ws[(j * EPW + 4u + e) * TS + r] = vec4<f32>(w0.b[e], w1.b[e], w2.b[e], w3.b[e]);
                }
            }
        }
        workgroupBarrier();
        for (var kk = 0u; kk < TK; kk = kk + 1u) {
            let a = xs[kk * TS + ty];
            let b = ws[kk * TS + tx];
            acc[0] = acc[0] + a.x * b;
            acc[1] = acc[1] + a.y * b;
            acc[2] = acc[2] + a.z * b;
            acc[3] = acc[3] + a.w * b;
        }
        workgroupBarrier();
    }
    for (var i = 0u; i < 4u; i = i + 1u) {
        let m = m0 + 4u * ty + i;
        for (var j = 0u; j < 4u; j = j + 1u) {
            let n = n0 + 4u * tx + j;
            if (m < p.m && n < p.n) {
                o[m * p.ld_o + n] = acc[i][j];
            }
        }
    }
}
