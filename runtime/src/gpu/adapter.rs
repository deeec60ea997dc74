//! What gdn knows about an adapter, and what it asks of one for its fastest paths.

/// Environment variable that keeps the runtime off cooperative matrices (wgpu's experimental
/// feature) even where the adapter offers them: the chunked path then uses its f32 scan.
pub const NO_MMA_ENV: &str = "GDN_NO_COOPERATIVE_MATRIX";

/// The cooperative-matrix configurations the `chunked_mma` modules use, as [`AdapterSummary`]
/// lists them.
const MMA_TILES: [&str; 2] = ["16x16x16 F16->F32", "16x16x16 F16->F16"];

/// wgpu's token for its experimental features, requested only where the adapter lists
/// [`MMA_TILES`].
#[allow(unsafe_code)]
fn cooperative_matrix_opt_in() -> wgpu::ExperimentalFeatures {
    // SAFETY: wgpu asks callers to acknowledge that its experimental APIs may still have bugs.
    // gdn uses only cooperative matrices, in the validated `chunked_mma` modules, on adapters that
    // list the configuration those modules need, and every such module is parity-tested against
    // the f32 kernels.
    unsafe { wgpu::ExperimentalFeatures::enabled() }
}

/// What the runtime knows about an adapter.
#[derive(Clone, Debug)]
pub struct AdapterSummary {
    /// Adapter name.
    pub name: String,
    /// Backend (Vulkan, Metal, Dx12, Gl).
    pub backend: wgpu::Backend,
    /// Device type (discrete, integrated, virtual, CPU).
    pub device_type: wgpu::DeviceType,
    /// Driver name and info.
    pub driver: String,
    /// Reported subgroup size range.
    pub subgroup_sizes: (u32, u32),
    /// Adapter features.
    pub features: wgpu::Features,
    /// Cooperative-matrix configurations wgpu can use here (`M×N×K A/B→C`), empty without
    /// `EXPERIMENTAL_COOPERATIVE_MATRIX`: what a tensor-core chunked variant could be built on.
    pub cooperative_matrices: Vec<String>,
}

impl AdapterSummary {
    pub(crate) fn of(adapter: &wgpu::Adapter) -> Self {
        let info = adapter.get_info();
        Self {
            name: info.name.clone(),
            backend: info.backend,
            device_type: info.device_type,
            driver: format!("{} {}", info.driver, info.driver_info)
                .trim()
                .to_string(),
            subgroup_sizes: (info.subgroup_min_size, info.subgroup_max_size),
            features: adapter.features(),
            cooperative_matrices: adapter
                .cooperative_matrix_properties()
                .iter()
                .map(|c| {
                    format!(
                        "{}x{}x{} {:?}->{:?}",
                        c.m_size, c.n_size, c.k_size, c.ab_type, c.cr_type
                    )
                })
                .collect(),
        }
    }

    /// Whether the adapter offers what the cooperative-matrix chunked kernels are written for:
    /// 16×16×16 tiles with f16 operands and f32 or f16 accumulators, f16 in shaders, and
    /// subgroups of exactly 32 (the kernels split their workgroups into subgroups of 32).
    pub fn has_mma_tiles(&self) -> bool {
        self.lists_mma_tiles() && self.subgroup_sizes == (32, 32)
    }

    /// [`AdapterSummary::has_mma_tiles`] but for the subgroup size, which a device may have
    /// measured where the adapter reports a range.
    pub(crate) fn lists_mma_tiles(&self) -> bool {
        self.features
            .contains(wgpu::Features::SHADER_F16 | wgpu::Features::EXPERIMENTAL_COOPERATIVE_MATRIX)
            && MMA_TILES
                .iter()
                .all(|t| self.cooperative_matrices.iter().any(|c| c == t))
    }

    /// Whether this is a software rasteriser (lavapipe, llvmpipe, WARP).
    pub fn is_software(&self) -> bool {
        self.device_type == wgpu::DeviceType::Cpu
    }

    /// `name (Backend, Type)`.
    pub fn label(&self) -> String {
        format!("{} ({:?}, {:?})", self.name, self.backend, self.device_type)
    }
}

/// What to request from an adapter for gdn's fastest paths there: the features its kernels use
/// (subgroups, timestamps for benchmarks, and f16 with cooperative matrices where the adapter has
/// the tiles the cooperative-matrix kernels need) and the adapter's own limits (long prompts and
/// large batches bind large buffers). An engine ORs in what it needs itself.
///
/// ```no_run
/// # async fn f(adapter: gdn_runtime::wgpu::Adapter) -> gdn_runtime::Result<()> {
/// use gdn_runtime::GpuDevice;
/// let request = GpuDevice::recommended(&adapter);
/// let (device, queue) = adapter
///     .request_device(&request.descriptor(Some("engine")))
///     .await
///     .map_err(|e| gdn_runtime::Error::DeviceRequest(e.to_string()))?;
/// // ... the engine's own setup on `device` ...
/// let gpu = GpuDevice::from_device(&adapter, device, queue)?;
/// # Ok(()) }
/// ```
#[derive(Clone, Debug)]
pub struct DeviceRequest {
    /// Features to request (all offered by the adapter).
    pub features: wgpu::Features,
    /// Limits to request (the adapter's).
    pub limits: wgpu::Limits,
    /// Whether the features include wgpu's experimental cooperative matrices, which need
    /// `ExperimentalFeatures::enabled()` in the device descriptor ([`DeviceRequest::descriptor`]
    /// sets it).
    pub experimental: bool,
}

impl DeviceRequest {
    /// A device descriptor requesting these features and limits.
    pub fn descriptor<'a>(&self, label: Option<&'a str>) -> wgpu::DeviceDescriptor<'a> {
        wgpu::DeviceDescriptor {
            label,
            required_features: self.features,
            required_limits: self.limits.clone(),
            experimental_features: if self.experimental {
                cooperative_matrix_opt_in()
            } else {
                wgpu::ExperimentalFeatures::disabled()
            },
            memory_hints: wgpu::MemoryHints::Performance,
            trace: wgpu::Trace::Off,
        }
    }
}
