//! The device: setup, its handlers, the pipelines and scratch buffers gdn keeps on it, and what
//! it supports. The recorders (`kernel`, `chunked`, `ops`, `pool`) take it; it imports none of
//! them.

use super::adapter::{AdapterSummary, DeviceRequest, NO_MMA_ENV};
use super::compile::PipelineCache;
pub(crate) use super::compile::Specialisation;
use super::helpers::{HelperPipeline, OpsPipelines};
use super::layouts::{layout, pipeline_layout, storage_entry};
use super::subgroup::{SubgroupOverride, SubgroupSize};
use super::util::{scoped, upload};
use crate::{ChunkedModule, Error, HeadMap, Result, Tier, Variant};
use std::sync::{Arc, Mutex, OnceLock};

/// Storage buffers a kernel variant binds (q, k, v, g, beta, state in, mask, y, state out).
pub(crate) const KERNEL_STORAGE_BUFFERS: u32 = 9;

/// A wgpu device with the pipelines gdn builds on it: one gdn created ([`GpuDevice::new`],
/// [`GpuDevice::from_adapter`]) or the caller's own ([`GpuDevice::from_device`]). gdn picks tiers
/// and modules from what the device was created with (`device.features()`, `device.limits()`),
/// never from what the adapter could do.
pub struct GpuDevice {
    /// The adapter.
    pub adapter: wgpu::Adapter,
    /// The device.
    pub device: wgpu::Device,
    /// Its queue.
    pub queue: wgpu::Queue,
    /// Adapter summary.
    pub summary: AdapterSummary,
    /// The subgroup size the kernels may assume (reported, or measured by a probe).
    pub(super) subgroups: SubgroupSize,
    /// The recurrent kernels' bind-group and pipeline layouts; `None` where the device allows
    /// fewer storage buffers per stage than they bind.
    kernel_layouts: Option<(wgpu::BindGroupLayout, wgpu::PipelineLayout)>,
    /// The chunked kernels' layouts, likewise.
    chunk_layouts: Option<(wgpu::BindGroupLayout, wgpu::PipelineLayout)>,
    /// Compiled pipelines by (module name, entry point, specialisation).
    pipelines: PipelineCache,
    /// The ops path's pipelines, built on first use (or why they could not be).
    ops: OnceLock<std::result::Result<OpsPipelines, Error>>,
    pub(crate) dummy: wgpu::Buffer,
    /// Why the device was lost, once it was (set by wgpu's device-lost callback).
    lost: Arc<Mutex<Option<String>>>,
    /// Scratch state buffers of pooled calls (in, out), grown as needed and reused: allocating
    /// (and zero-filling) them per call cost more than the kernel.
    pool_scratch: Mutex<Option<(u64, [wgpu::Buffer; 2])>>,
    /// Normalised q and k of `qk_l2norm` calls, grown as needed and reused.
    qk_scratch: Mutex<Option<(u64, [wgpu::Buffer; 2])>>,
    /// The chunked path's workspace, grown as needed and reused: a fresh one per call cost its
    /// allocation and wgpu's zero fill of up to the whole workspace budget every call.
    chunk_scratch: Mutex<Option<(u64, [wgpu::Buffer; 1])>>,
    /// The gather/scatter pipeline of pooled calls, built on first use.
    pool_pipeline: OnceLock<HelperPipeline>,
    /// The word-copy pipeline, built on first use.
    copy_pipeline: OnceLock<HelperPipeline>,
    /// The row-gather pipeline of strided views, built on first use.
    gather_pipeline: OnceLock<HelperPipeline>,
    /// A one-buffer layout for naming a buffer the device cannot bind.
    probe_layout: OnceLock<wgpu::BindGroupLayout>,
    /// Whether gdn created the device (and so installed its error and device-lost handlers).
    owned: bool,
}

impl std::fmt::Debug for GpuDevice {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("GpuDevice")
            .field("adapter", &self.summary.label())
            .finish()
    }
}

impl GpuDevice {
    /// A wgpu instance as gdn makes its own: the primary backends (Vulkan, Metal, DX12; GL lacks
    /// what the kernels need and probes window systems noisily), `WGPU_BACKEND` and the other
    /// wgpu environment variables applied, and on a headless Linux machine (no display server
    /// named) Mesa's device-select Vulkan layer switched off, which would otherwise print
    /// "XDG_RUNTIME_DIR is invalid" on each enumeration while having nothing to choose by (a
    /// `NODEVICE_SELECT` the user set wins). An engine may use it for its own device.
    pub fn instance() -> wgpu::Instance {
        static HEADLESS: std::sync::Once = std::sync::Once::new();
        HEADLESS.call_once(|| {
            let unset = |v: &str| std::env::var_os(v).is_none_or(|x| x.is_empty());
            let headless = ["XDG_RUNTIME_DIR", "WAYLAND_DISPLAY", "DISPLAY"].map(unset);
            if headless.iter().all(|&h| h) && unset("NODEVICE_SELECT") {
                std::env::set_var("NODEVICE_SELECT", "1");
            }
        });
        let mut desc = wgpu::InstanceDescriptor::new_without_display_handle();
        desc.backends = wgpu::Backends::from_env().unwrap_or(wgpu::Backends::PRIMARY);
        wgpu::Instance::new(desc.with_env())
    }

    /// Picks an adapter. With `allow_software` false, software adapters are skipped (returns
    /// `Ok(None)` when only those exist).
    pub fn new(allow_software: bool) -> Result<Option<Self>> {
        let instance = Self::instance();
        let mut adapters = pollster::block_on(instance.enumerate_adapters(wgpu::Backends::all()));
        let rank = |a: &wgpu::Adapter| match a.get_info().device_type {
            wgpu::DeviceType::DiscreteGpu => 0,
            wgpu::DeviceType::IntegratedGpu => 1,
            wgpu::DeviceType::VirtualGpu => 2,
            wgpu::DeviceType::Other => 3,
            wgpu::DeviceType::Cpu => 4,
        };
        // GL adapters lack compute features we rely on; prefer any other backend.
        adapters.sort_by_key(|a| (rank(a), a.get_info().backend == wgpu::Backend::Gl));
        let Some(adapter) = adapters
            .into_iter()
            .find(|a| allow_software || a.get_info().device_type != wgpu::DeviceType::Cpu)
        else {
            return Ok(None);
        };
        Self::from_adapter(adapter).map(Some)
    }

    /// The features and limits to request on `adapter` for gdn's fastest paths there.
    pub fn recommended(adapter: &wgpu::Adapter) -> DeviceRequest {
        let summary = AdapterSummary::of(adapter);
        let mut wanted = wgpu::Features::SUBGROUP
            | wgpu::Features::TIMESTAMP_QUERY
            | wgpu::Features::TIMESTAMP_QUERY_INSIDE_ENCODERS;
        let mma = summary.has_mma_tiles() && std::env::var_os(NO_MMA_ENV).is_none();
        if mma {
            wanted |= wgpu::Features::SHADER_F16 | wgpu::Features::EXPERIMENTAL_COOPERATIVE_MATRIX;
        }
        DeviceRequest {
            features: wanted & adapter.features(),
            limits: adapter.limits(),
            experimental: mma,
        }
    }

    /// Creates the device on a given adapter, requesting what [`GpuDevice::recommended`] says, and
    /// installs gdn's handlers on it (uncaptured errors are logged; a lost device fails later
    /// calls with its reason).
    pub fn from_adapter(adapter: wgpu::Adapter) -> Result<Self> {
        Self::from_adapter_overriding(adapter, SubgroupOverride::default())
    }

    /// [`GpuDevice::from_adapter`] with the subgroup facts replaced (tests run what another
    /// platform would; see [`SubgroupOverride`]).
    #[doc(hidden)]
    pub fn from_adapter_overriding(
        adapter: wgpu::Adapter,
        forced: SubgroupOverride,
    ) -> Result<Self> {
        let summary = AdapterSummary::of(&adapter);
        let request = Self::recommended(&adapter);
        let (device, queue) =
            pollster::block_on(adapter.request_device(&request.descriptor(Some("gdn"))))
                .map_err(|e| Error::DeviceRequest(format!("{}: {e}", summary.label())))?;
        device.on_uncaptured_error(Arc::new(|e: wgpu::Error| {
            log::error!("gdn: uncaptured wgpu error: {e}")
        }));
        let lost = Arc::new(Mutex::new(None));
        let flag = Arc::clone(&lost);
        device.set_device_lost_callback(move |reason, msg| {
            if let Ok(mut l) = flag.lock() {
                *l = Some(format!("{reason:?}: {msg}"));
            }
        });
        Ok(Self::build(adapter, device, queue, lost, true, forced))
    }

    /// gdn on the caller's device (an engine's own, created on `adapter` with the features and
    /// limits it chose; [`GpuDevice::recommended`] says what gdn's fastest paths use). gdn installs
    /// no handler on it and reads its features and limits to choose tiers and modules: a tier
    /// whose features the device lacks runs as the next one down, and the report says why.
    /// Where the adapter reports a range of subgroup sizes (Metal), the probe runs once here and
    /// waits for the device (see [`SubgroupSize`]).
    pub fn from_device(
        adapter: &wgpu::Adapter,
        device: wgpu::Device,
        queue: wgpu::Queue,
    ) -> Result<Self> {
        Self::from_device_overriding(adapter, device, queue, SubgroupOverride::default())
    }

    /// [`GpuDevice::from_device`] with the subgroup facts replaced (see [`SubgroupOverride`]).
    #[doc(hidden)]
    pub fn from_device_overriding(
        adapter: &wgpu::Adapter,
        device: wgpu::Device,
        queue: wgpu::Queue,
        forced: SubgroupOverride,
    ) -> Result<Self> {
        let lost = Arc::new(Mutex::new(None));
        Ok(Self::build(
            adapter.clone(),
            device,
            queue,
            lost,
            false,
            forced,
        ))
    }

    /// Whether gdn created this device ([`GpuDevice::new`], [`GpuDevice::from_adapter`]) rather
    /// than the caller ([`GpuDevice::from_device`]).
    pub fn owned(&self) -> bool {
        self.owned
    }

    fn build(
        adapter: wgpu::Adapter,
        device: wgpu::Device,
        queue: wgpu::Queue,
        lost: Arc<Mutex<Option<String>>>,
        owned: bool,
        forced: SubgroupOverride,
    ) -> Self {
        let mut summary = AdapterSummary::of(&adapter);
        let real = summary.subgroup_sizes;
        if let Some(range) = forced.reported {
            summary.subgroup_sizes = range;
        }
        let subgroups = SubgroupSize::learn(&device, &queue, &summary, real, forced);
        // Layouts of more storage buffers than the device allows would be errors (the caller's
        // device may have been created with the default limit of 8): those paths are left out.
        let storage = device.limits().max_storage_buffers_per_shader_stage;
        let layouts = |label: &str, writes: u32| {
            (storage >= 7 + writes).then(|| {
                let bgl = layout(&device, label, false, 7, writes);
                let pl = pipeline_layout(&device, label, &bgl);
                (bgl, pl)
            })
        };
        let kernel_layouts = layouts("gdn kernel", 2);
        let chunk_layouts = layouts("gdn chunked", 4);
        let dummy = upload(
            &device,
            "gdn dummy",
            &[0u8; 16],
            wgpu::BufferUsages::empty(),
        );
        Self {
            adapter,
            device,
            queue,
            summary,
            subgroups,
            kernel_layouts,
            chunk_layouts,
            pipelines: PipelineCache::default(),
            ops: OnceLock::new(),
            dummy,
            lost,
            pool_scratch: Mutex::new(None),
            qk_scratch: Mutex::new(None),
            chunk_scratch: Mutex::new(None),
            pool_pipeline: OnceLock::new(),
            copy_pipeline: OnceLock::new(),
            gather_pipeline: OnceLock::new(),
            probe_layout: OnceLock::new(),
            owned,
        }
    }

    /// Binds `buffer` alone as a storage buffer in an error scope: why the device cannot bind it
    /// (another device's buffer, no `STORAGE` usage), if it cannot.
    pub(crate) fn probe_binding(&self, buffer: &wgpu::Buffer) -> std::result::Result<(), String> {
        let layout = self.probe_layout.get_or_init(|| {
            self.device
                .create_bind_group_layout(&wgpu::BindGroupLayoutDescriptor {
                    label: Some("gdn probe"),
                    entries: &[storage_entry(0, true)],
                })
        });
        scoped(&self.device, || {
            let _probe = self.device.create_bind_group(&wgpu::BindGroupDescriptor {
                label: Some("gdn probe"),
                layout,
                entries: &[wgpu::BindGroupEntry {
                    binding: 0,
                    resource: buffer.as_entire_binding(),
                }],
            });
            Ok::<_, Error>(())
        })
        .map_err(|e| e.to_string())
    }

    /// `Err(Error::Gpu)` once the device is lost (driver reset, `Device::destroy`, unplugged
    /// adapter): calls check it first, so a lost device fails fast with its reason. Always `Ok`
    /// on the caller's device ([`GpuDevice::from_device`]), which gdn neither polls nor watches.
    pub fn alive(&self) -> Result<()> {
        // The caller's device: no handler of gdn's is installed, and polling it would run the
        // caller's own callbacks.
        if !self.owned {
            return Ok(());
        }
        // A non-blocking poll delivers a pending device-lost callback.
        if let Err(e) = self.device.poll(wgpu::PollType::Poll) {
            return Err(Error::Gpu(format!("device poll failed: {e}")));
        }
        match self.lost.lock().ok().and_then(|l| l.clone()) {
            Some(why) => Err(Error::Gpu(format!("device lost ({why})"))),
            None => Ok(()),
        }
    }

    /// The word-copy pipeline (copies inside a call's compute pass).
    pub(crate) fn copy_pipeline(&self) -> &HelperPipeline {
        self.copy_pipeline
            .get_or_init(|| HelperPipeline::copy(&self.device))
    }

    /// The row-gather pipeline of strided views.
    pub(crate) fn gather_pipeline(&self) -> &HelperPipeline {
        self.gather_pipeline
            .get_or_init(|| HelperPipeline::gather(&self.device))
    }

    /// The gather/scatter pipeline of pooled calls.
    pub(crate) fn pool_pipeline(&self) -> &HelperPipeline {
        self.pool_pipeline
            .get_or_init(|| HelperPipeline::pool(&self.device))
    }

    /// The ops path's pipelines.
    pub(crate) fn ops_pipelines(&self) -> Result<&OpsPipelines> {
        self.ops
            .get_or_init(|| OpsPipelines::new(&self.device))
            .as_ref()
            .map_err(Clone::clone)
    }

    /// Two scratch buffers of at least `bytes` each for pooled calls (gathered states in, new
    /// states out), reused across calls. Calls recorded one after another may share them: each
    /// call's gather, kernel and scatter run in order on the queue.
    pub(crate) fn pool_scratch(&self, bytes: u64) -> Result<(wgpu::Buffer, wgpu::Buffer)> {
        let usage = wgpu::BufferUsages::STORAGE
            | wgpu::BufferUsages::COPY_SRC
            | wgpu::BufferUsages::COPY_DST;
        let [a, b] = self.reused(
            &self.pool_scratch,
            bytes,
            ["gdn pooled state in", "gdn pooled state out"],
            usage,
        )?;
        Ok((a, b))
    }

    /// Two buffers of at least `bytes` each for the normalised q and k of `qk_l2norm` calls,
    /// reused across calls like [`Self::pool_scratch`]: each call's normalisation and the op
    /// that reads it are recorded together and run in order on the queue.
    pub(crate) fn qk_scratch(&self, bytes: u64) -> Result<(wgpu::Buffer, wgpu::Buffer)> {
        let [q, k] = self.reused(
            &self.qk_scratch,
            bytes,
            ["gdn q normalised", "gdn k normalised"],
            wgpu::BufferUsages::STORAGE,
        )?;
        Ok((q, k))
    }

    /// The chunked path's workspace of at least `bytes`, reused across calls like
    /// [`Self::pool_scratch`]: each call's `prep` and `scan` dispatches run in order on the queue,
    /// so one call's workspace is not read after the next call's `prep` writes it. It is kept
    /// for the device's lifetime, at most [`crate::Context::set_chunked_workspace`]'s budget (or
    /// one chunk's share, where that is more).
    pub(crate) fn chunk_scratch(&self, bytes: u64) -> Result<wgpu::Buffer> {
        let [ws] = self.reused(
            &self.chunk_scratch,
            bytes,
            ["gdn chunked workspace"],
            wgpu::BufferUsages::STORAGE,
        )?;
        Ok(ws)
    }

    /// The buffers in `slot` if they hold `bytes` each, else new ones kept there for later
    /// calls: sized to the next power of two, but no larger than a binding may be (the kernels
    /// bind the whole buffer), so a call whose tensors fit the limit still does. Where making
    /// them fails (out of memory) the error is returned and the slot left empty, so no later
    /// call reuses an invalid buffer.
    fn reused<const N: usize>(
        &self,
        slot: &Mutex<Option<(u64, [wgpu::Buffer; N])>>,
        bytes: u64,
        labels: [&str; N],
        usage: wgpu::BufferUsages,
    ) -> Result<[wgpu::Buffer; N]> {
        let mut slot = slot
            .lock()
            .map_err(|_| Error::Gpu(format!("{} lock poisoned", labels[0])))?;
        if let Some((have, bufs)) = slot.as_ref() {
            if *have >= bytes {
                return Ok(bufs.clone());
            }
        }
        let limits = self.device.limits();
        let most = limits
            .max_buffer_size
            .min(limits.max_storage_buffer_binding_size);
        let size = bytes.max(4).next_power_of_two().min(most).max(bytes);
        let make = |label| {
            self.device.create_buffer(&wgpu::BufferDescriptor {
                label: Some(label),
                size,
                usage,
                mapped_at_creation: false,
            })
        };
        // Drop the old buffers first, so growing does not hold both sizes at once (recorded
        // commands keep theirs alive until they have run).
        *slot = None;
        let bufs = scoped(&self.device, || Ok::<_, Error>(labels.map(make)))?;
        *slot = Some((size, bufs.clone()));
        Ok(bufs)
    }

    /// The recurrent kernels' layouts, or why the device cannot bind their buffers.
    pub(crate) fn kernel_layouts(&self) -> Result<&(wgpu::BindGroupLayout, wgpu::PipelineLayout)> {
        self.kernel_layouts
            .as_ref()
            .ok_or_else(|| Error::Gpu(self.kernel_limits_ok().err().unwrap_or_default()))
    }

    /// The chunked kernels' layouts, or why the device cannot bind their buffers.
    pub(crate) fn chunk_layouts(&self) -> Result<&(wgpu::BindGroupLayout, wgpu::PipelineLayout)> {
        self.chunk_layouts.as_ref().ok_or_else(|| {
            Error::Gpu(format!(
                "chunked kernels bind {} storage buffers, the device allows {}",
                KERNEL_STORAGE_BUFFERS + 2,
                self.device.limits().max_storage_buffers_per_shader_stage
            ))
        })
    }

    /// Whether the device can bind a kernel variant's buffers.
    pub(crate) fn kernel_limits_ok(&self) -> std::result::Result<(), String> {
        let have = self.device.limits().max_storage_buffers_per_shader_stage;
        if have < KERNEL_STORAGE_BUFFERS {
            return Err(format!(
                "kernels bind {KERNEL_STORAGE_BUFFERS} storage buffers, the device allows {have}"
            ));
        }
        Ok(())
    }

    /// The compute pipeline of a variant (its `main`, or `main_staged` when `staged`), compiled on
    /// first use for the grouped or the tiled head map.
    pub fn pipeline(
        &self,
        v: &'static Variant,
        staged: bool,
        map: HeadMap,
    ) -> Result<Arc<wgpu::ComputePipeline>> {
        let spec = Specialisation {
            map,
            ..Default::default()
        };
        self.kernel_pipeline(v, staged, spec)
    }

    /// [`Self::pipeline`] with any specialisation (in-place state pools, varlen batches).
    pub(crate) fn kernel_pipeline(
        &self,
        v: &'static Variant,
        staged: bool,
        spec: Specialisation,
    ) -> Result<Arc<wgpu::ComputePipeline>> {
        // Varlen batches have entry points of their own (see `recurrent.wgsl.tera`).
        let entry = match (staged && v.staged, spec.varlen) {
            _ if spec.snapshots => "main_snap",
            (false, false) if spec.qk_norm => "main_qkn",
            (true, false) => "main_staged",
            (false, false) => "main",
            (true, true) => "main_staged_varlen",
            (false, true) => "main_varlen",
        };
        let layout = &self.kernel_layouts()?.1;
        self.pipelines
            .get(&self.device, (v.name, v.wgsl, entry), spec, layout)
    }

    /// The `prep` and `scan` pipelines of a chunked-prefill module, compiled on first use for
    /// the grouped or the tiled head map.
    pub fn chunked_pipelines(
        &self,
        m: &'static ChunkedModule,
        map: HeadMap,
    ) -> Result<[Arc<wgpu::ComputePipeline>; 2]> {
        let spec = Specialisation {
            map,
            ..Default::default()
        };
        self.chunked_pipelines_for(m, spec)
    }

    /// [`Self::chunked_pipelines`] with any specialisation (varlen batches; pools are gathered
    /// for the chunked kernels).
    pub(crate) fn chunked_pipelines_for(
        &self,
        m: &'static ChunkedModule,
        spec: Specialisation,
    ) -> Result<[Arc<wgpu::ComputePipeline>; 2]> {
        let layout = &self.chunk_layouts()?.1;
        Ok([
            self.pipelines
                .get(&self.device, (m.name, m.wgsl, "prep"), spec, layout)?,
            self.pipelines
                .get(&self.device, (m.name, m.wgsl, "scan"), spec, layout)?,
        ])
    }

    /// Whether a chunked module can run here: the `sg8` tier, its workgroup memory and the 10
    /// storage buffers it binds.
    pub fn supports_chunked(&self, m: &ChunkedModule) -> std::result::Result<(), String> {
        if m.mma {
            let need = wgpu::Features::SHADER_F16 | wgpu::Features::EXPERIMENTAL_COOPERATIVE_MATRIX;
            let off = std::env::var_os(NO_MMA_ENV).is_some();
            let tiles = self.summary.lists_mma_tiles() && self.subgroups.size() == Some(32);
            if !self.device.features().contains(need) || !tiles || off {
                return Err(format!(
                    "{} needs 16x16x16 f16 -> f32 and f16 -> f16 cooperative matrices and subgroups of 32 ({})",
                    m.name,
                    if std::env::var_os(NO_MMA_ENV).is_some() {
                        format!("turned off by {NO_MMA_ENV}")
                    } else {
                        "not offered by this adapter".to_string()
                    }
                ));
            }
        } else {
            self.supports_tier(Tier::Subgroup8)?;
        }
        let limits = self.device.limits();
        if limits.max_compute_workgroup_storage_size < m.workgroup_bytes {
            return Err(format!(
                "{} needs {} bytes of workgroup memory, the device allows {}",
                m.name, m.workgroup_bytes, limits.max_compute_workgroup_storage_size
            ));
        }
        if limits.max_storage_buffers_per_shader_stage < KERNEL_STORAGE_BUFFERS + 2 {
            return Err(format!(
                "chunked kernels bind {} storage buffers, the device allows {}",
                KERNEL_STORAGE_BUFFERS + 2,
                limits.max_storage_buffers_per_shader_stage
            ));
        }
        Ok(())
    }
}

impl GpuDevice {
    /// Whether variants of `tier` may run here: `sg32` needs subgroups of exactly 32, `sg8` of
    /// at least 8, either reported by the adapter or measured (see [`SubgroupSize`]).
    pub fn supports_tier(&self, tier: Tier) -> Result<(), String> {
        let s = &self.subgroups;
        match tier {
            Tier::Portable => Ok(()),
            _ if *s == SubgroupSize::Unavailable => {
                Err("adapter lacks the SUBGROUP feature".into())
            }
            Tier::Subgroup32 if s.size() == Some(32) => Ok(()),
            Tier::Subgroup8 if s.at_least().is_some_and(|n| n >= 8) => Ok(()),
            Tier::Subgroup32 => Err(format!("{s}; the sg32 kernels need exactly 32")),
            Tier::Subgroup8 => Err(format!("{s}; the sg8 kernels need at least 8")),
        }
    }

    /// The subgroup size the kernels may assume here.
    pub fn subgroups(&self) -> &SubgroupSize {
        &self.subgroups
    }

    /// One line on the subgroup size and where it comes from, for `gdn info`.
    pub fn subgroup_note(&self) -> String {
        let s = &self.subgroups;
        let (sg32, sg8) = (
            self.supports_tier(Tier::Subgroup32).is_ok(),
            self.supports_tier(Tier::Subgroup8).is_ok(),
        );
        let tiers = match (sg32, sg8) {
            (true, true) => "sg32 and sg8 kernels",
            (false, true) => "sg8 kernels",
            (true, false) => "sg32 kernels",
            (false, false) => "portable kernels only",
        };
        format!("{s}: {tiers}")
    }

    /// What a call's report adds on the subgroup size where the adapter reports a range: the
    /// measured size behind a `sg32`/`sg8` kernel, or why a `portable` one serves.
    pub(crate) fn subgroup_reason(&self, tier: Tier) -> Option<String> {
        match (&self.subgroups, tier) {
            (SubgroupSize::Fixed(_) | SubgroupSize::Unavailable, _) => None,
            (_, Tier::Portable) => self
                .supports_tier(Tier::Subgroup8)
                .err()
                .map(|why| format!("portable tier: {why}")),
            (SubgroupSize::Measured { .. }, _) => Some(self.subgroups.to_string()),
            (SubgroupSize::Unknown { .. }, _) => None,
        }
    }
}
