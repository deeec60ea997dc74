// gdn state pools: moves whole states between a pool [P, Hv, Dv, Dk] and a contiguous batch
// [B, Hv, Dv, Dk] through a slot table, one dispatch per direction (x: vec4 words of a state,
// y: batch row), instead of one buffer copy per sequence.

struct P {
    words: u32,    // vec4 words per state
    dir: u32,      // 0: pool -> batch (gather); 1: batch -> pool (scatter)
    x_groups: u32, // workgroups along x (rows of a state are split over x and z)
    pad: u32,
}

@group(0) @binding(0) var<uniform> p: P;
@group(0) @binding(1) var<storage, read> slots: array<u32>;
@group(0) @binding(2) var<storage, read> src: array<vec4<u32>>;
@group(0) @binding(3) var<storage, read_write> dst: array<vec4<u32>>;

@compute @workgroup_size(256, 1, 1)
fn main(@builtin(local_invocation_id) lid: vec3<u32>, @builtin(workgroup_id) wid: vec3<u32>) {
    let i = (wid.z * p.x_groups + wid.x) * 256u + lid.x;
    if (i >= p.words) {
        return;
    }
    let b = wid.y;
    let slot = slots[b];
    if (p.dir == 0u) {
        dst[b * p.words + i] = src[slot * p.words + i];
    } else {
        dst[slot * p.words + i] = src[b * p.words + i];
    }
}
