// gdn row gather: packs the token rows of a row-strided view (q, k or v read from the rows of a
// packed projection output) back to back, for the paths whose kernels read dense tensors. One
// thread per 32-bit word of the dense copy; 16-bit values are packed two per word, and a row of
// the view may start in either half of a word.

struct P {
    words: u32,    // 32-bit words of the dense copy
    n: u32,        // its elements
    row: u32,      // elements per token row
    stride: u32,   // elements from one row of the view to the next
    at: u32,       // element of the source binding where the first row starts
    half: u32,     // 1: 16-bit elements, 0: 32-bit
    x_groups: u32, // workgroups along x (long copies continue along y)
    pad: u32,
}

@group(0) @binding(0) var<uniform> p: P;
@group(0) @binding(1) var<storage, read> src: array<u32>;
@group(0) @binding(2) var<storage, read_write> dst: array<u32>;

// Element e of the dense copy in the source binding.
fn src_elem(e: u32) -> u32 {
    return p.at + (e / p.row) * p.stride + e % p.row;
}

// The bits of 16-bit element e of the dense copy.
fn half_bits(e: u32) -> u32 {
    let i = src_elem(e);
    return (src[i >> 1u] >> ((i & 1u) * 16u)) & 0xffffu;
}

@compute @workgroup_size(64, 1, 1)
fn main(@builtin(local_invocation_id) lid: vec3<u32>, @builtin(workgroup_id) wid: vec3<u32>) {
    let w = (wid.y * p.x_groups + wid.x) * 64u + lid.x;
    if (w >= p.words) {
        return;
    }
    if (p.half == 0u) {
        dst[w] = src[src_elem(w)];
        return;
    }
    // An odd element count leaves the last word's upper half zero.
    let e = 2u * w;
    let hi = select(0u, half_bits(min(e + 1u, p.n - 1u)), e + 1u < p.n);
    dst[w] = half_bits(e) | (hi << 16u);
}
