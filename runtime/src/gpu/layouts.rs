//! Bind-group layouts of gdn's pipelines: a uniform parameter block at binding 0, then storage
//! buffers.

pub(crate) fn storage_entry(binding: u32, read_only: bool) -> wgpu::BindGroupLayoutEntry {
    wgpu::BindGroupLayoutEntry {
        binding,
        visibility: wgpu::ShaderStages::COMPUTE,
        ty: wgpu::BindingType::Buffer {
            ty: wgpu::BufferBindingType::Storage { read_only },
            has_dynamic_offset: false,
            min_binding_size: None,
        },
        count: None,
    }
}

pub(crate) fn uniform_entry(binding: u32, dynamic: bool) -> wgpu::BindGroupLayoutEntry {
    wgpu::BindGroupLayoutEntry {
        binding,
        visibility: wgpu::ShaderStages::COMPUTE,
        ty: wgpu::BindingType::Buffer {
            ty: wgpu::BufferBindingType::Uniform,
            has_dynamic_offset: dynamic,
            min_binding_size: None,
        },
        count: None,
    }
}

/// A bind group layout: uniform at 0, then `reads` read-only and `writes` read-write storage buffers.
pub(crate) fn layout(
    device: &wgpu::Device,
    label: &str,
    dynamic: bool,
    reads: u32,
    writes: u32,
) -> wgpu::BindGroupLayout {
    let mut entries = vec![uniform_entry(0, dynamic)];
    entries.extend((1..=reads).map(|b| storage_entry(b, true)));
    entries.extend((reads + 1..=reads + writes).map(|b| storage_entry(b, false)));
    device.create_bind_group_layout(&wgpu::BindGroupLayoutDescriptor {
        label: Some(label),
        entries: &entries,
    })
}

/// A one-entry-point pipeline (`main`) of a WGSL module over a layout of a uniform block, `reads`
/// read-only and `writes` read-write storage buffers (the runtime's small helper shaders).
pub(crate) fn helper_pipeline(
    device: &wgpu::Device,
    label: &str,
    wgsl: &'static str,
    (reads, writes): (u32, u32),
) -> (wgpu::BindGroupLayout, wgpu::ComputePipeline) {
    let bgl = layout(device, label, false, reads, writes);
    let pipeline = main_pipeline(device, label, wgsl, &bgl);
    (bgl, pipeline)
}

/// The `main` entry point of a WGSL module as a pipeline over the one bind-group layout `bgl`.
pub(crate) fn main_pipeline(
    device: &wgpu::Device,
    label: &str,
    wgsl: &'static str,
    bgl: &wgpu::BindGroupLayout,
) -> wgpu::ComputePipeline {
    let [p] = pipelines(device, bgl, label, wgsl, ["main"]);
    p
}

/// A bind-group layout of gdn's form for group 0: a uniform parameter block at binding 0, then
/// `reads` read-only and `writes` read-write storage buffers, in binding order. The model path's
/// kernels, and a caller's own kernels recorded beside gdn's, use it.
///
/// ```no_run
/// // `wgsl` declares `@group(0) @binding(0) var<uniform>`, two `read` storage buffers at 1 and 2,
/// // a `read_write` one at 3, and the entry points `scale` and `shift`.
/// fn my_kernels(device: &gdn_runtime::wgpu::Device, wgsl: &str) {
///     let layout = gdn_runtime::gpu::bind_layout(device, "my kernels", 2, 1);
///     let [scale, shift] =
///         gdn_runtime::gpu::pipelines(device, &layout, "my kernels", wgsl, ["scale", "shift"]);
/// #   let _ = (scale, shift);
/// }
/// ```
pub fn bind_layout(
    device: &wgpu::Device,
    label: &str,
    reads: u32,
    writes: u32,
) -> wgpu::BindGroupLayout {
    layout(device, label, false, reads, writes)
}

/// The entry points `entries` of one WGSL module (compiled once) as compute pipelines over the one
/// bind-group layout `bgl`, sharing one pipeline layout. See [`bind_layout`].
pub fn pipelines<const N: usize>(
    device: &wgpu::Device,
    bgl: &wgpu::BindGroupLayout,
    label: &str,
    wgsl: &str,
    entries: [&str; N],
) -> [wgpu::ComputePipeline; N] {
    let pl = pipeline_layout(device, label, bgl);
    let module = device.create_shader_module(wgpu::ShaderModuleDescriptor {
        label: Some(label),
        source: wgpu::ShaderSource::Wgsl(wgsl.into()),
    });
    entries.map(|e| {
        device.create_compute_pipeline(&wgpu::ComputePipelineDescriptor {
            label: Some(&format!("{label}: {e}")),
            layout: Some(&pl),
            module: &module,
            entry_point: Some(e),
            compilation_options: Default::default(),
            cache: None,
        })
    })
}

/// A pipeline layout of the one bind-group layout `bgl` (gdn binds everything in group 0).
pub(crate) fn pipeline_layout(
    device: &wgpu::Device,
    label: &str,
    bgl: &wgpu::BindGroupLayout,
) -> wgpu::PipelineLayout {
    device.create_pipeline_layout(&wgpu::PipelineLayoutDescriptor {
        label: Some(label),
        bind_group_layouts: &[Some(bgl)],
        immediate_size: 0,
    })
}
