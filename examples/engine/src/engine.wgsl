// The engine's own kernels around gdn's op: `embed` writes one decode token's packed q | k | v
// projection and its gates from a hash of the token index (a stand-in for the engine's projection
// GEMV), and `collect` appends the op's output to a history the engine reads back at the end.

struct Tok {
    t: u32,   // token index
    qk: u32,  // Hk·Dk
    vn: u32,  // Hv·Dv
    hv: u32,  // value heads
}

@group(0) @binding(0) var<uniform> tok: Tok;
@group(0) @binding(1) var<storage, read_write> qkv: array<f32>;
// g at word 0, β at word 64 (views 256 bytes apart, the usual storage offset alignment).
@group(0) @binding(2) var<storage, read_write> gates: array<f32>;

fn hash(x: u32) -> u32 {
    var h = x;
    h = h ^ (h >> 16u);
    h = h * 0x7feb352du;
    h = h ^ (h >> 15u);
    h = h * 0x846ca68bu;
    h = h ^ (h >> 16u);
    return h;
}

// Values exact in f32, so the host reference reproduces them bit for bit.
@compute @workgroup_size(64, 1, 1)
fn embed(@builtin(global_invocation_id) gid: vec3<u32>) {
    let i = gid.x;
    let n = 2u * tok.qk + tok.vn;
    if (i < n) {
        qkv[i] = f32(hash(tok.t * n + i) & 0xffffu) / 65536.0 - 0.5;
    }
    if (i < tok.hv) {
        let u = f32(hash(0x9e3779b9u ^ (tok.t * tok.hv + i)) & 0xffu) / 256.0;
        gates[i] = -(u / 8.0 + 1.0 / 32.0);
        gates[64u + i] = 0.5 + u / 4.0;
    }
}

@group(0) @binding(3) var<storage, read> y: array<f32>;
@group(0) @binding(4) var<storage, read_write> history: array<f32>;

@compute @workgroup_size(64, 1, 1)
fn collect(@builtin(global_invocation_id) gid: vec3<u32>) {
    let i = gid.x;
    if (i < tok.vn) {
        history[tok.t * tok.vn + i] = y[i];
    }
}
