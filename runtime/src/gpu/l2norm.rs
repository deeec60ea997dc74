//! q/k L2 normalisation on the GPU (`CallOptions::qk_l2norm`): a pass of `shaders/l2norm.wgsl`
//! recorded before the op, writing normalised copies of q and k in their dtype, which every GPU
//! path then reads in place of the caller's tensors.

use super::device::{layout, GpuDevice};
use super::ops::code;
use super::util::init_buffer;
use crate::tensor::{Elem, GpuInputs, GpuTensor};
use crate::{Error, Result};

/// The normalisation pipelines (`norms`, `scale`) and their bind-group layout.
#[derive(Debug)]
pub(crate) struct L2NormPipelines {
    layout: wgpu::BindGroupLayout,
    norms: wgpu::ComputePipeline,
    scale: wgpu::ComputePipeline,
}

impl L2NormPipelines {
    pub(crate) fn new(device: &wgpu::Device) -> Self {
        let layout = layout(device, "gdn l2norm", false, 1, 2);
        let module = device.create_shader_module(wgpu::ShaderModuleDescriptor {
            label: Some("gdn l2norm"),
            source: wgpu::ShaderSource::Wgsl(include_str!("../shaders/l2norm.wgsl").into()),
        });
        let pl = device.create_pipeline_layout(&wgpu::PipelineLayoutDescriptor {
            label: Some("gdn l2norm"),
            bind_group_layouts: &[Some(&layout)],
            immediate_size: 0,
        });
        let pipeline = |entry: &str| {
            device.create_compute_pipeline(&wgpu::ComputePipelineDescriptor {
                label: Some("gdn l2norm"),
                layout: Some(&pl),
                module: &module,
                entry_point: Some(entry),
                compilation_options: Default::default(),
                cache: None,
            })
        };
        Self {
            norms: pipeline("norms"),
            scale: pipeline("scale"),
            layout,
        }
    }
}

/// Normalised copies of q and k, referenced by the op recorded after them (wgpu keeps the buffers
/// alive until the commands that use them have run, so the handles may be dropped after encoding).
pub(crate) struct NormalisedQk {
    q: wgpu::Buffer,
    k: wgpu::Buffer,
}

impl NormalisedQk {
    /// `inp` with q and k replaced by the normalised copies.
    pub(crate) fn inputs<'a>(&'a self, inp: &GpuInputs<'a>) -> GpuInputs<'a> {
        GpuInputs {
            q: GpuTensor {
                buffer: &self.q,
                ..inp.q.clone()
            },
            k: GpuTensor {
                buffer: &self.k,
                ..inp.k.clone()
            },
            ..inp.clone()
        }
    }
}

/// Records the normalisation of q and k (rows of Dk) into `enc`, in one compute pass.
pub(crate) fn normalise_qk(
    dev: &GpuDevice,
    enc: &mut wgpu::CommandEncoder,
    inp: &GpuInputs<'_>,
    dk: usize,
) -> Result<NormalisedQk> {
    let pl = dev.l2norm_pipelines()?;
    let elem = inp.q.elem;
    if !matches!(elem, Elem::Float(_)) || inp.k.elem != elem {
        return Err(Error::Gpu(
            "q and k must be float tensors of one dtype".into(),
        ));
    }
    let n = inp.q.shape.iter().product::<usize>();
    let rows = n / dk.max(1);
    let bytes = n * elem.size();
    let words = bytes.div_ceil(4);
    let max = dev.device.limits().max_compute_workgroups_per_dimension as usize;
    let scratch = |label: &str, size: usize| {
        dev.device.create_buffer(&wgpu::BufferDescriptor {
            label: Some(label),
            size: (size.max(1) as u64).next_multiple_of(16),
            usage: wgpu::BufferUsages::STORAGE,
            mapped_at_creation: false,
        })
    };
    let out = NormalisedQk {
        q: scratch("gdn q normalised", words * 4),
        k: scratch("gdn k normalised", words * 4),
    };
    let inv = scratch("gdn q/k inverse norms", rows * 4);
    let mut pass = enc.begin_compute_pass(&wgpu::ComputePassDescriptor {
        label: Some("gdn l2norm"),
        timestamp_writes: None,
    });
    for (src, dst) in [(inp.q.buffer, &out.q), (inp.k.buffer, &out.k)] {
        for (pipeline, groups) in [(&pl.norms, rows), (&pl.scale, words.div_ceil(256))] {
            let x_groups = groups.clamp(1, max);
            let params: [u32; 8] = [
                rows as u32,
                dk as u32,
                code(elem),
                words as u32,
                x_groups as u32,
                0,
                0,
                0,
            ];
            let ubuf = init_buffer(
                &dev.device,
                "gdn l2norm params",
                bytemuck::cast_slice(&params),
                wgpu::BufferUsages::UNIFORM,
            );
            let bg = dev.device.create_bind_group(&wgpu::BindGroupDescriptor {
                label: Some("gdn l2norm"),
                layout: &pl.layout,
                entries: &[
                    wgpu::BindGroupEntry {
                        binding: 0,
                        resource: ubuf.as_entire_binding(),
                    },
                    wgpu::BindGroupEntry {
                        binding: 1,
                        resource: src.as_entire_binding(),
                    },
                    wgpu::BindGroupEntry {
                        binding: 2,
                        resource: inv.as_entire_binding(),
                    },
                    wgpu::BindGroupEntry {
                        binding: 3,
                        resource: dst.as_entire_binding(),
                    },
                ],
            });
            pass.set_pipeline(pipeline);
            pass.set_bind_group(0, &bg, &[]);
            if groups > 0 {
                pass.dispatch_workgroups(x_groups as u32, groups.div_ceil(x_groups) as u32, 1);
            }
        }
    }
    drop(pass);
    Ok(out)
}
