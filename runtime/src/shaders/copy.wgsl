// gdn word copies inside a compute pass: dst[dst_at + i] = src[src_at + i] for i < n. Used where a
// call needs words of one buffer in another (raw-gate constants into the parameter block, a mask
// beside varlen offsets), so the copy is a dispatch of the call's own pass, not a buffer copy
// (which needs COPY_SRC on the caller's buffer and cannot sit inside a pass).

struct P {
    n: u32,
    src_at: u32,
    dst_at: u32,
    x_groups: u32, // workgroups along x (long copies continue along y)
}

@group(0) @binding(0) var<uniform> p: P;
@group(0) @binding(1) var<storage, read> src: array<u32>;
@group(0) @binding(2) var<storage, read_write> dst: array<u32>;

@compute @workgroup_size(64, 1, 1)
fn main(@builtin(local_invocation_id) lid: vec3<u32>, @builtin(workgroup_id) wid: vec3<u32>) {
    let i = (wid.y * p.x_groups + wid.x) * 64u + lid.x;
    if (i < p.n) {
        dst[p.dst_at + i] = src[p.src_at + i];
    }
}
