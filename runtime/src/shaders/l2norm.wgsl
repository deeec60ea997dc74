// gdn q/k L2 normalisation (`CallOptions::qk_l2norm`, fla's use_qk_l2norm_in_kernel): every row
// of Dk elements x becomes x / sqrt(sum(x^2) + 1e-6), in the input's dtype. `norms` writes each
// row's inverse norm (x: rows, split over x and y); `scale` writes the output one 32-bit word at a
// time (one f32, or two packed 16-bit values that may belong to two rows), so rows that share a
// word never race.

struct P {
    rows: u32,
    dk: u32,
    // 0: f32, 1: f16, 2: bf16 (16-bit values packed two per word)
    code: u32,
    // 32-bit words of the tensor
    words: u32,
    // workgroups along x (rows and words are split over x and y)
    x_groups: u32,
    pad0: u32,
    pad1: u32,
    pad2: u32,
}

@group(0) @binding(0) var<uniform> p: P;
@group(0) @binding(1) var<storage, read> src: array<u32>;
@group(0) @binding(2) var<storage, read_write> inv: array<f32>;
@group(0) @binding(3) var<storage, read_write> dst: array<u32>;

var<workgroup> part: array<f32, 64>;

fn elem(i: u32) -> f32 {
    if (p.code == 0u) {
        return bitcast<f32>(src[i]);
    }
    let w = src[i >> 1u];
    let h = select(w & 0xffffu, w >> 16u, (i & 1u) == 1u);
    if (p.code == 1u) {
        return unpack2x16float(h).x;
    }
    return bitcast<f32>(h << 16u);
}

// f32 -> bf16 bits, round to nearest even; NaN stays a quiet NaN.
fn to_bf16(x: f32) -> u32 {
    let u = bitcast<u32>(x);
    if ((u & 0x7fffffffu) > 0x7f800000u) {
        return (u >> 16u) | 0x40u;
    }
    return (u + 0x7fffu + ((u >> 16u) & 1u)) >> 16u;
}

fn half_bits(x: f32) -> u32 {
    if (p.code == 1u) {
        return pack2x16float(vec2<f32>(x, 0.0)) & 0xffffu;
    }
    return to_bf16(x);
}

@compute @workgroup_size(64, 1, 1)
fn norms(@builtin(local_invocation_id) lid: vec3<u32>, @builtin(workgroup_id) wid: vec3<u32>) {
    let row = wid.y * p.x_groups + wid.x;
    var acc = 0.0;
    if (row < p.rows) {
        for (var j = lid.x; j < p.dk; j = j + 64u) {
            let x = elem(row * p.dk + j);
            acc = acc + x * x;
        }
    }
    part[lid.x] = acc;
    workgroupBarrier();
    for (var s = 32u; s > 0u; s = s >> 1u) {
        if (lid.x < s) {
            part[lid.x] = part[lid.x] + part[lid.x + s];
        }
        workgroupBarrier();
    }
    if (lid.x == 0u && row < p.rows) {
        inv[row] = inverseSqrt(part[0] + 1e-6);
    }
}

@compute @workgroup_size(256, 1, 1)
fn scale(@builtin(local_invocation_id) lid: vec3<u32>, @builtin(workgroup_id) wid: vec3<u32>) {
    let w = (wid.y * p.x_groups + wid.x) * 256u + lid.x;
    if (w >= p.words) {
        return;
    }
    if (p.code == 0u) {
        dst[w] = bitcast<u32>(elem(w) * inv[w / p.dk]);
        return;
    }
    let n = p.rows * p.dk;
    let e0 = 2u * w;
    var out = half_bits(elem(e0) * inv[e0 / p.dk]);
    if (e0 + 1u < n) {
        out = out | (half_bits(elem(e0 + 1u) * inv[(e0 + 1u) / p.dk]) << 16u);
    }
    dst[w] = out;
}
