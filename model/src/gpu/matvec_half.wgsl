// 16-bit weights (f16 or bf16, `p.code`): words of 8 values, two per u32, the lower half first.
@group(0) @binding(2) var<storage, read> w: array<vec4<u32>>;
const EPW: u32 = 8u;
struct W8 {
    a: vec4<f32>,
    b: vec4<f32>,
}
fn pair(u: u32) -> vec2<f32> {
    if (p.code == 1u) {
        return unpack2x16float(u);
    }
    return bitcast<vec2<f32>>(vec2<u32>(u << 16u, u & 0xffff0000u));
}
fn wload(i: u32) -> W8 {
    let u = w[i];
    return W8(vec4<f32>(pair(u.x), pair(u.y)), vec4<f32>(pair(u.z), pair(u.w)));
}
