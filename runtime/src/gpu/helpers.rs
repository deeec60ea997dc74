//! The runtime's own small shaders as pipelines (word copies, pool moves, the ops path's
//! primitives). The device builds each once, on first use, and keeps it; the recorders that
//! dispatch them (`pool`, `ops`) sit above the device and read them from it.

use super::layouts::{helper_pipeline, layout, pipelines};
use super::util::{scoped, upload};
use crate::Result;

/// A helper shader's pipeline (entry point `main`) and its bind-group layout.
#[derive(Debug)]
pub(crate) struct HelperPipeline {
    pub(super) layout: wgpu::BindGroupLayout,
    pub(super) pipeline: wgpu::ComputePipeline,
}

impl HelperPipeline {
    /// The word copy (`shaders/copy.wgsl`): a parameter block, the source and the destination.
    pub(super) fn copy(device: &wgpu::Device) -> Self {
        let wgsl = include_str!("../shaders/copy.wgsl");
        Self::new(device, "gdn copy", wgsl, (1, 1))
    }

    /// The gather/scatter of pool slots (`shaders/pool.wgsl`): a parameter block, the slot table,
    /// the source and the destination.
    pub(super) fn pool(device: &wgpu::Device) -> Self {
        let wgsl = include_str!("../shaders/pool.wgsl");
        Self::new(device, "gdn pool", wgsl, (2, 1))
    }

    /// The row gather of strided views (`shaders/gather.wgsl`): a parameter block, the source and
    /// the destination.
    pub(super) fn gather(device: &wgpu::Device) -> Self {
        let wgsl = include_str!("../shaders/gather.wgsl");
        Self::new(device, "gdn gather", wgsl, (1, 1))
    }

    fn new(device: &wgpu::Device, label: &str, wgsl: &'static str, bufs: (u32, u32)) -> Self {
        let (layout, pipeline) = helper_pipeline(device, label, wgsl, bufs);
        Self { layout, pipeline }
    }

    /// Appends one dispatch of a one-source helper (copy, gather) over `groups`: its parameter
    /// block `params`, the source range and the destination buffer.
    pub(super) fn push_one_source(
        &self,
        device: &wgpu::Device,
        prog: &mut super::Program,
        (label, params): (&str, &[u32]),
        (src, dst): (&super::BufferRange, &wgpu::Buffer),
        groups: (u32, u32),
    ) {
        let ubuf = super::init_buffer(
            device,
            label,
            bytemuck::cast_slice(params),
            wgpu::BufferUsages::UNIFORM,
        );
        let entries = [
            wgpu::BindGroupEntry {
                binding: 0,
                resource: ubuf.as_entire_binding(),
            },
            wgpu::BindGroupEntry {
                binding: 1,
                resource: src.resource(),
            },
            wgpu::BindGroupEntry {
                binding: 2,
                resource: dst.as_entire_binding(),
            },
        ];
        let bg = device.create_bind_group(&wgpu::BindGroupDescriptor {
            label: Some(label),
            layout: &self.layout,
            entries: &entries,
        });
        prog.push(&self.pipeline, bg, None, [groups.0, groups.1, 1]);
    }
}

/// Pipelines of the generic ops shaders.
pub(crate) struct OpsPipelines {
    pub(super) layout: wgpu::BindGroupLayout,
    pub(super) convert: wgpu::ComputePipeline,
    pub(super) gates_raw: wgpu::ComputePipeline,
    pub(super) decay: wgpu::ComputePipeline,
    pub(super) matvec: wgpu::ComputePipeline,
    pub(super) delta: wgpu::ComputePipeline,
    pub(super) rank1: wgpu::ComputePipeline,
    pub(super) store: wgpu::ComputePipeline,
    pub(super) l2norm_inv: wgpu::ComputePipeline,
    pub(super) l2norm_scale: wgpu::ComputePipeline,
    pub(super) l2norm_rows: wgpu::ComputePipeline,
    pub(super) dummy_w: wgpu::Buffer,
}

impl OpsPipelines {
    pub(super) fn new(device: &wgpu::Device) -> Result<Self> {
        scoped(device, || {
            let layout = layout(device, "gdn ops", true, 4, 2);
            let [convert, gates_raw, decay, matvec, delta, rank1, store, l2norm_inv, l2norm_scale, l2norm_rows] =
                pipelines(
                    device,
                    &layout,
                    "gdn ops",
                    include_str!("../shaders/ops.wgsl"),
                    [
                        "convert",
                        "gates_raw",
                        "decay",
                        "matvec",
                        "delta",
                        "rank1",
                        "store",
                        "l2norm_inv",
                        "l2norm_scale",
                        "l2norm_rows",
                    ],
                );
            Ok(Self {
                convert,
                gates_raw,
                decay,
                matvec,
                delta,
                rank1,
                store,
                l2norm_inv,
                l2norm_scale,
                l2norm_rows,
                dummy_w: upload(
                    device,
                    "gdn dummy w",
                    &[0u8; 16],
                    wgpu::BufferUsages::empty(),
                ),
                layout,
            })
        })
    }
}
