//! The fused decode-layer module: one per head shape, rendered from `decode_layer.wgsl.tera`.

use crate::{check, render, Error, HeadShape, PlannedVariant};
use gdn_core::{DType, Tier};
use std::path::PathBuf;

/// The fused decode-layer module of one head shape, rendered and validated in memory (see
/// [`render_decode_layer`]).
#[derive(Clone, Debug)]
pub struct RenderedDecodeLayer {
    /// Module name, e.g. `decode_layer_hk16_hv32_dk128_dv128`.
    pub name: String,
    /// Validated WGSL (entry point `decode`).
    pub wgsl: String,
    /// Threads per workgroup, one state row each (a value head's rows span
    /// `Dv / workgroup` workgroups, rounded up).
    pub workgroup: usize,
}

/// Name of the fused decode-layer module of `shape`.
pub fn decode_layer_name(shape: HeadShape) -> String {
    format!(
        "decode_layer_hk{}_hv{}_dk{}_dv{}",
        shape.hk, shape.hv, shape.dk, shape.dv
    )
}

/// Threads per workgroup of the fused decode-layer module of `shape`: one state row each, so a
/// value head spans `Dv / workgroup` workgroups (rounded up). Sized so that a layer's heads make
/// about 128 workgroups or more (a state streams through many multiprocessors at once), with 8 to
/// 64 rows a workgroup, and at most the rows whose tile fits the 16 KiB of workgroup memory every
/// device offers.
///
/// ```
/// use gdn_codegen::{decode_layer_workgroup, HeadShape};
/// assert_eq!(decode_layer_workgroup(HeadShape::new(16, 16, 128, 128)), 16); // 128 workgroups
/// assert_eq!(decode_layer_workgroup(HeadShape::new(16, 32, 128, 128)), 16); // tile-bound
/// assert_eq!(decode_layer_workgroup(HeadShape::new(2, 4, 16, 16)), 8);
/// ```
pub fn decode_layer_workgroup(shape: HeadShape) -> usize {
    let padded = shape.dk.div_ceil(4) * 4;
    // q and k, the workgroup sums (at most 64 rows), then the tile of rows `padded + 1` floats apart.
    let fixed = 4 * 2 * padded + 8 * 64;
    let fits = WORKGROUP_BYTES.saturating_sub(fixed) / (4 * (padded + 1));
    let cap = if fits == 0 { 1 } else { 1 << fits.ilog2() };
    (shape.hv * shape.dv / 128)
        .next_power_of_two()
        .clamp(8, 64)
        .min(cap)
}

/// Workgroup memory every device offers (WebGPU's default limit).
const WORKGROUP_BYTES: usize = 16384;

pub(crate) fn decode_layer_plan(shape: HeadShape, configs: Vec<String>) -> PlannedVariant {
    PlannedVariant {
        name: decode_layer_name(shape),
        shape,
        dtype: DType::F32,
        tier: Tier::Portable,
        configs,
    }
}

/// Renders and validates the fused decode-layer module of one head shape in memory: one dispatch
/// from a decode step's in_proj output to its un-normalised output and the sums of its squares
/// (conv and conv-state shift, q/k normalisation, gates, the recurrence step).
///
/// ```
/// let m = gdn_codegen::render_decode_layer(gdn_codegen::HeadShape::new(16, 32, 128, 128))?;
/// assert_eq!(m.name, "decode_layer_hk16_hv32_dk128_dv128");
/// assert!(m.wgsl.contains("fn decode"));
/// # Ok::<(), gdn_codegen::Error>(())
/// ```
pub fn render_decode_layer(shape: HeadShape) -> Result<RenderedDecodeLayer, Error> {
    let v = decode_layer_plan(shape, vec!["runtime".into()]);
    shape.check().map_err(|reason| Error::Shape {
        shape: v.name.clone(),
        reason,
    })?;
    let wgsl = render::Templates::bundled()?.render_decode_layer(&v)?;
    let at = PathBuf::from(format!("<runtime>/{}.wgsl", v.name));
    let src = (render::DECODE_LAYER_TEMPLATE, wgsl.as_str());
    check::validate_under(&v, src, &at, wgpu_types::Features::empty())?;
    Ok(RenderedDecodeLayer {
        name: v.name,
        wgsl,
        workgroup: decode_layer_workgroup(shape),
    })
}
