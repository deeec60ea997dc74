//! State pools on the GPU: gathers the states of a batch's pool slots into a contiguous scratch
//! batch before the kernel and scatters the new states back after it, each direction one dispatch
//! of `shaders/pool.wgsl` over a slot table.

use super::device::{layout, GpuDevice};
use super::util::init_buffer;
use crate::Result;

/// The pool pipeline and its bind-group layout.
#[derive(Debug)]
pub(crate) struct PoolPipeline {
    layout: wgpu::BindGroupLayout,
    pipeline: wgpu::ComputePipeline,
}

impl PoolPipeline {
    pub(crate) fn new(device: &wgpu::Device) -> Self {
        let layout = layout(device, "gdn pool", false, 2, 1);
        let module = device.create_shader_module(wgpu::ShaderModuleDescriptor {
            label: Some("gdn pool"),
            source: wgpu::ShaderSource::Wgsl(include_str!("../shaders/pool.wgsl").into()),
        });
        let pl = device.create_pipeline_layout(&wgpu::PipelineLayoutDescriptor {
            label: Some("gdn pool"),
            bind_group_layouts: &[Some(&layout)],
            immediate_size: 0,
        });
        let pipeline = device.create_compute_pipeline(&wgpu::ComputePipelineDescriptor {
            label: Some("gdn pool"),
            layout: Some(&pl),
            module: &module,
            entry_point: Some("main"),
            compilation_options: Default::default(),
            cache: None,
        });
        Self { layout, pipeline }
    }
}

/// Records the move of the states of `slots` (`state_bytes` each): pool slots to the batch when
/// `gather`, the batch back to the slots otherwise. One dispatch over the slot table `table` when
/// states are whole 16-byte words (every real shape: Hv·Dv·Dk a multiple of 4), else one buffer
/// copy per sequence.
pub(crate) fn record_move(
    dev: &GpuDevice,
    enc: &mut wgpu::CommandEncoder,
    (slots, table): (&[u32], &wgpu::Buffer),
    state_bytes: u64,
    (pool, batch): (&wgpu::Buffer, &wgpu::Buffer),
    gather: bool,
) -> Result<()> {
    if !state_bytes.is_multiple_of(16) {
        for (b, &slot) in slots.iter().enumerate() {
            let (at_pool, at_batch) = (u64::from(slot) * state_bytes, b as u64 * state_bytes);
            if gather {
                enc.copy_buffer_to_buffer(pool, at_pool, batch, at_batch, state_bytes);
            } else {
                enc.copy_buffer_to_buffer(batch, at_batch, pool, at_pool, state_bytes);
            }
        }
        return Ok(());
    }
    let rows = slots.len();
    let pp = dev.pool_pipeline();
    let words = (state_bytes / 16) as u32;
    let groups = words.div_ceil(256);
    let max = dev.device.limits().max_compute_workgroups_per_dimension;
    let x_groups = groups.min(max);
    let z_groups = groups.div_ceil(x_groups);
    let params: [u32; 4] = [words, u32::from(!gather), x_groups, 0];
    let ubuf = init_buffer(
        &dev.device,
        "gdn pool params",
        bytemuck::cast_slice(&params),
        wgpu::BufferUsages::UNIFORM,
    );
    let (src, dst) = if gather { (pool, batch) } else { (batch, pool) };
    let entries: Vec<_> = [&ubuf, table, src, dst]
        .into_iter()
        .enumerate()
        .map(|(i, b)| wgpu::BindGroupEntry {
            binding: i as u32,
            resource: b.as_entire_binding(),
        })
        .collect();
    let bg = dev.device.create_bind_group(&wgpu::BindGroupDescriptor {
        label: Some("gdn pool"),
        layout: &pp.layout,
        entries: &entries,
    });
    let mut pass = enc.begin_compute_pass(&wgpu::ComputePassDescriptor {
        label: Some(if gather {
            "gdn pool gather"
        } else {
            "gdn pool scatter"
        }),
        timestamp_writes: None,
    });
    pass.set_pipeline(&pp.pipeline);
    pass.set_bind_group(0, &bg, &[]);
    pass.dispatch_workgroups(x_groups, rows as u32, z_groups);
    Ok(())
}
