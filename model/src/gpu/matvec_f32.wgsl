// f32 weights: words of 4 values.
@group(0) @binding(2) var<storage, read> w: array<vec4<f32>>;
const EPW: u32 = 4u;
struct W8 {
    a: vec4<f32>,
    b: vec4<f32>,
}
fn wload(i: u32) -> W8 {
    return W8(w[i], vec4<f32>(0.0));
}
