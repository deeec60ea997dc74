//! The layer on the GPU: generic f32 kernels (matmul, conv + SiLU, q/k normalisation, gated
//! RMSNorm) around the runtime's gated-delta op, all recorded into one command encoder.

use crate::weights::{Dims, LayerWeights};
use crate::{Error, Result};
use gdn_runtime::gpu::init_buffer;
use gdn_runtime::wgpu;
use gdn_runtime::GpuDevice;

/// Compiled layer kernels of one device.
pub(crate) struct Kernels {
    layout: wgpu::BindGroupLayout,
    matmul: wgpu::ComputePipeline,
    conv_silu: wgpu::ComputePipeline,
    conv_state: wgpu::ComputePipeline,
    split_norm: wgpu::ComputePipeline,
    gated_norm: wgpu::ComputePipeline,
    dummy_r: wgpu::Buffer,
    dummy_w: [wgpu::Buffer; 3],
}

fn entry(binding: u32, ty: wgpu::BufferBindingType) -> wgpu::BindGroupLayoutEntry {
    wgpu::BindGroupLayoutEntry {
        binding,
        visibility: wgpu::ShaderStages::COMPUTE,
        ty: wgpu::BindingType::Buffer {
            ty,
            has_dynamic_offset: false,
            min_binding_size: None,
        },
        count: None,
    }
}

impl Kernels {
    pub(crate) fn new(device: &wgpu::Device) -> Self {
        let mut entries = vec![entry(0, wgpu::BufferBindingType::Uniform)];
        entries.extend(
            (1..=3).map(|b| entry(b, wgpu::BufferBindingType::Storage { read_only: true })),
        );
        entries.extend(
            (4..=6).map(|b| entry(b, wgpu::BufferBindingType::Storage { read_only: false })),
        );
        let layout = device.create_bind_group_layout(&wgpu::BindGroupLayoutDescriptor {
            label: Some("gdn layer"),
            entries: &entries,
        });
        let pl = device.create_pipeline_layout(&wgpu::PipelineLayoutDescriptor {
            label: Some("gdn layer"),
            bind_group_layouts: &[Some(&layout)],
            immediate_size: 0,
        });
        let module = device.create_shader_module(wgpu::ShaderModuleDescriptor {
            label: Some("gdn layer"),
            source: wgpu::ShaderSource::Wgsl(include_str!("layer.wgsl").into()),
        });
        let mk = |e: &str| {
            device.create_compute_pipeline(&wgpu::ComputePipelineDescriptor {
                label: Some(e),
                layout: Some(&pl),
                module: &module,
                entry_point: Some(e),
                compilation_options: Default::default(),
                cache: None,
            })
        };
        let buf = || {
            device.create_buffer(&wgpu::BufferDescriptor {
                label: Some("gdn layer dummy"),
                size: 16,
                usage: wgpu::BufferUsages::STORAGE,
                mapped_at_creation: false,
            })
        };
        Self {
            matmul: mk("matmul"),
            conv_silu: mk("conv_silu"),
            conv_state: mk("conv_state"),
            split_norm: mk("split_norm"),
            gated_norm: mk("gated_norm"),
            dummy_r: buf(),
            dummy_w: [buf(), buf(), buf()],
            layout,
        }
    }
}

impl Kernels {
    /// One shared set for a context's GPU, if it has one.
    pub(crate) fn for_context(ctx: &gdn_runtime::Context) -> Option<std::sync::Arc<Self>> {
        ctx.gpu().map(|g| std::sync::Arc::new(Self::new(&g.device)))
    }
}

/// Parameters of one dispatch (matches `struct P` in layer.wgsl).
#[derive(Clone, Copy, Default, bytemuck::Pod, bytemuck::Zeroable)]
#[repr(C)]
pub(crate) struct Params {
    pub m: u32,
    pub n: u32,
    pub k: u32,
    pub t: u32,
    pub b: u32,
    pub hk: u32,
    pub hv: u32,
    pub dk: u32,
    pub dv: u32,
    pub eps: f32,
    pub pad: [u32; 2],
}

/// Which kernel.
#[derive(Clone, Copy)]
pub(crate) enum Op {
    Matmul,
    ConvSilu,
    ConvState,
    SplitNorm,
    GatedNorm,
}

/// A storage buffer of `len` f32 (at least 4 bytes).
pub(crate) fn buffer(device: &wgpu::Device, label: &str, len: usize) -> wgpu::Buffer {
    device.create_buffer(&wgpu::BufferDescriptor {
        label: Some(label),
        size: (len.max(1) * 4) as u64,
        usage: wgpu::BufferUsages::STORAGE
            | wgpu::BufferUsages::COPY_SRC
            | wgpu::BufferUsages::COPY_DST,
        mapped_at_creation: false,
    })
}

/// A storage buffer initialised with `data`.
pub(crate) fn upload(device: &wgpu::Device, label: &str, data: &[f32]) -> wgpu::Buffer {
    let bytes: &[u8] = if data.is_empty() {
        &[0u8; 4]
    } else {
        bytemuck::cast_slice(data)
    };
    init_buffer(
        device,
        label,
        bytes,
        wgpu::BufferUsages::STORAGE | wgpu::BufferUsages::COPY_SRC | wgpu::BufferUsages::COPY_DST,
    )
}

/// Records one dispatch in its own compute pass.
pub(crate) fn dispatch(
    dev: &GpuDevice,
    k: &Kernels,
    enc: &mut wgpu::CommandEncoder,
    op: Op,
    p: Params,
    ins: [Option<&wgpu::Buffer>; 3],
    outs: [Option<&wgpu::Buffer>; 3],
) {
    let ubuf = init_buffer(
        &dev.device,
        "gdn layer params",
        bytemuck::bytes_of(&p),
        wgpu::BufferUsages::UNIFORM,
    );
    let mut entries = vec![wgpu::BindGroupEntry {
        binding: 0,
        resource: ubuf.as_entire_binding(),
    }];
    for (i, b) in ins.iter().enumerate() {
        entries.push(wgpu::BindGroupEntry {
            binding: 1 + i as u32,
            resource: b.unwrap_or(&k.dummy_r).as_entire_binding(),
        });
    }
    for (i, b) in outs.iter().enumerate() {
        entries.push(wgpu::BindGroupEntry {
            binding: 4 + i as u32,
            resource: b.unwrap_or(&k.dummy_w[i]).as_entire_binding(),
        });
    }
    let bg = dev.device.create_bind_group(&wgpu::BindGroupDescriptor {
        label: Some("gdn layer"),
        layout: &k.layout,
        entries: &entries,
    });
    let (pipe, groups) = match op {
        Op::Matmul => (&k.matmul, (p.n, p.m.div_ceil(4))),
        Op::ConvSilu => (&k.conv_silu, grid(p.m * p.n)),
        Op::ConvState => (&k.conv_state, grid(p.b * (p.k - 1) * p.n)),
        Op::SplitNorm => (&k.split_norm, grid(p.m * (2 * p.hk + p.hv))),
        Op::GatedNorm => (&k.gated_norm, grid(p.m * p.hv)),
    };
    let mut pass = enc.begin_compute_pass(&wgpu::ComputePassDescriptor {
        label: Some("gdn layer"),
        timestamp_writes: None,
    });
    pass.set_pipeline(pipe);
    pass.set_bind_group(0, &bg, &[]);
    pass.dispatch_workgroups(groups.0.max(1), groups.1.max(1), 1);
}

fn grid(threads: u32) -> (u32, u32) {
    let groups = threads.div_ceil(64);
    if groups <= 65535 {
        (groups, 1)
    } else {
        (65535, groups.div_ceil(65535))
    }
}

/// A layer's weights on the GPU.
pub(crate) struct GpuWeights {
    pub qkv: wgpu::Buffer,
    pub z: wgpu::Buffer,
    pub b: wgpu::Buffer,
    pub a: wgpu::Buffer,
    pub conv: wgpu::Buffer,
    pub dt_bias: wgpu::Buffer,
    pub a_log: wgpu::Buffer,
    pub norm: wgpu::Buffer,
    pub out: wgpu::Buffer,
}

impl GpuWeights {
    pub(crate) fn upload(device: &wgpu::Device, w: &LayerWeights, d: &Dims) -> Result<Self> {
        let limit = device.limits().max_storage_buffer_binding_size;
        let biggest = (d.conv_channels().max(d.hidden) * d.hidden.max(d.value_width()) * 4) as u64;
        if biggest > limit {
            return Err(Error::Op(gdn_runtime::Error::Limit {
                what: "a projection weight".into(),
                needed: biggest,
                limit,
            }));
        }
        Ok(Self {
            qkv: upload(device, "in_proj_qkv", &w.in_proj_qkv),
            z: upload(device, "in_proj_z", &w.in_proj_z),
            b: upload(device, "in_proj_b", &w.in_proj_b),
            a: upload(device, "in_proj_a", &w.in_proj_a),
            conv: upload(device, "conv1d", &w.conv),
            dt_bias: upload(device, "dt_bias", &w.dt_bias),
            a_log: upload(device, "A_log", &w.a_log),
            norm: upload(device, "norm", &w.norm),
            out: upload(device, "out_proj", &w.out_proj),
        })
    }
}
