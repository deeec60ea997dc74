//! The one entry point: [`Context`] holds the device (or none), the variant registry and the
//! fallback policy, and serves every caller (host slices or GPU buffers).

use crate::cpu::{fused_update, ops_update, Prepared};
use crate::gpu::{
    chunked_steps, init_buffer, kernel_steps, ops_steps, push_copy, read_pod, record_move, scoped,
    segment_chunks, upload, BufferRange, GpuDevice, OutBuffers, Program, Seqs,
};
use crate::report::{CallOptions, DispatchReport, PathChoice, PathTaken};
use crate::split::{self, Split};
use crate::tensor::{
    check_finite, check_finite_inputs, fmt_shape, numel, padded_bytes, validate, Elem, Gate,
    GateKind, GpuInputs, GpuTensor, HostData, HostInputs, HostTensor, Inputs, Problem,
};
use crate::varlen;
use crate::{BoundCall, GpuOutputs, PreparedCall};
use crate::{ChunkedModule, DType, Error, Registry, Result, Tier, Variant};
use half::{bf16, f16};
use std::collections::HashSet;
use std::ops::Range;
use std::sync::Mutex;

/// Environment variable: `1` turns every ops-path fallback into an error.
pub const STRICT_ENV: &str = "GDN_STRICT";

/// Steps from which a call with [`PathChoice::Auto`] takes the chunked-prefill kernel on a
/// software adapter (lavapipe), where it was measured faster than the recurrent kernel from T = 8
/// on (1.5× at T = 64..1024, (16,16,128,128)). On hardware adapters the f32 scan is never chosen
/// automatically (an H100 ran the recurrent kernel faster at every T up to 16 384); the
/// cooperative-matrix scan is, by [`CHUNKED_MMA_AUTO`].
pub const CHUNKED_MIN_STEPS_SOFTWARE: usize = 16;

/// Where [`PathChoice::Auto`] takes the chunked kernel on cooperative matrices on a hardware
/// adapter: `(rows, steps)` pairs, chunked when B·Hv ≤ rows and T ≥ steps (the first pair that
/// admits B·Hv). Measured on an H100 with bf16 inputs and chunks of 64 (docs/PERF.md,
/// `docs/measurements/2026-11-26-h100-u0/`), GPU µs chunked against recurrent: at T = 64 the
/// recurrent kernel wins up to B·Hv = 128 (35.9 against 29.3 µs at 32, 77.5 against 70.9 at
/// 128), ties at 256 and loses from 512 (224 against 251); from T = 128 the chunked kernel wins at
/// every B·Hv measured, 32 to 1024 (41.7 against 50.3 µs at 32, 129 against 134 at 128, 687
/// against 933 at 1024). Above 1024 rows the rule extends the measured trend.
pub const CHUNKED_MMA_AUTO: &[(usize, usize)] = &[(256, 128), (usize::MAX, 64)];

/// Where q and k are L2-normalised on the GPU when the kernel does not do it itself.
const QK_IN_A_PASS: &str = "in a pass before the op";

/// A chunked module that can serve a call with its segment length in chunks, or why none can.
type ChunkedChoice = std::result::Result<(&'static ChunkedModule, u64), String>;

/// Environment variable: `auto` (default), `gpu` (any adapter, software ones included) or `cpu`.
pub const DEVICE_ENV: &str = "GDN_DEVICE";

/// Which device a context runs on.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum DeviceChoice {
    /// A hardware GPU if there is one, else the CPU (software adapters such as lavapipe are skipped).
    #[default]
    Auto,
    /// The best GPU adapter, software ones included; an error if there is none.
    Gpu,
    /// The CPU only.
    Cpu,
}

impl DeviceChoice {
    /// Parses `auto`, `gpu` or `cpu`.
    pub fn parse(s: &str) -> Option<Self> {
        match s.to_ascii_lowercase().as_str() {
            "auto" | "" => Some(Self::Auto),
            "gpu" => Some(Self::Gpu),
            "cpu" => Some(Self::Cpu),
            _ => None,
        }
    }
}

/// Options for [`Context::new`].
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ContextOptions {
    /// Device choice.
    pub device: DeviceChoice,
    /// Strict mode: an ops-path fallback is an error naming the missing configuration.
    pub strict: bool,
}

impl ContextOptions {
    /// Defaults overridden by `GDN_DEVICE` and `GDN_STRICT`.
    pub fn from_env() -> Result<Self> {
        let mut o = Self::default();
        if let Ok(v) = std::env::var(DEVICE_ENV) {
            o.device = DeviceChoice::parse(&v).ok_or_else(|| Error::Setting {
                name: DEVICE_ENV.into(),
                reason: format!("{v:?} is not auto, gpu or cpu"),
            })?;
        }
        o.strict = strict_from_env();
        Ok(o)
    }
}

fn strict_from_env() -> bool {
    std::env::var(STRICT_ENV).is_ok_and(|v| !v.is_empty() && v != "0")
}

/// Output of a host call: y in the input dtype, the new f32 state, and what ran.
#[derive(Clone, Debug)]
pub struct HostOutput {
    /// y `[B,T,Hv,Dv]` in the input dtype.
    pub y: OwnedData,
    /// New state `[B,Hv,Dv,Dk]`.
    pub state: Vec<f32>,
    /// Which path ran, and why.
    pub report: DispatchReport,
}

/// Output of a GPU call: buffers holding y (input dtype, packed) and the new state (f32).
#[derive(Debug)]
pub struct GpuOutput {
    /// y `[B,T,Hv,Dv]`; usage STORAGE | COPY_SRC | COPY_DST.
    pub y: wgpu::Buffer,
    /// New state `[B,Hv,Dv,Dk]` f32; usage STORAGE | COPY_SRC | COPY_DST.
    pub state: wgpu::Buffer,
    /// Which path ran, and why.
    pub report: DispatchReport,
}

/// Owned tensor data in one of the float dtypes.
#[derive(Clone, Debug, PartialEq)]
pub enum OwnedData {
    /// f32.
    F32(Vec<f32>),
    /// f16.
    F16(Vec<f16>),
    /// bf16.
    BF16(Vec<bf16>),
}

impl OwnedData {
    /// Rounds f32 values to `dtype` (round to nearest even).
    pub fn from_f32(dtype: DType, x: Vec<f32>) -> Self {
        match dtype {
            DType::F32 => Self::F32(x),
            DType::F16 => Self::F16(crate::cpu::convert::narrow(&x)),
            DType::BF16 => Self::BF16(crate::cpu::convert::narrow(&x)),
        }
    }
    fn from_bytes(dtype: DType, bytes: &[u8]) -> Self {
        match dtype {
            DType::F32 => Self::F32(bytemuck::pod_collect_to_vec(bytes)),
            DType::F16 => Self::F16(bytemuck::pod_collect_to_vec(bytes)),
            DType::BF16 => Self::BF16(bytemuck::pod_collect_to_vec(bytes)),
        }
    }
    /// Widened to f32.
    pub fn to_f32(&self) -> Vec<f32> {
        match self {
            Self::F32(x) => x.clone(),
            Self::F16(x) => crate::cpu::convert::widen(x),
            Self::BF16(x) => crate::cpu::convert::widen(x),
        }
    }
    /// The dtype.
    pub fn dtype(&self) -> DType {
        match self {
            Self::F32(_) => DType::F32,
            Self::F16(_) => DType::F16,
            Self::BF16(_) => DType::BF16,
        }
    }
    /// Little-endian bytes.
    pub fn bytes(&self) -> &[u8] {
        match self {
            Self::F32(x) => bytemuck::cast_slice(x),
            Self::F16(x) => bytemuck::cast_slice(x),
            Self::BF16(x) => bytemuck::cast_slice(x),
        }
    }
}

/// [`check_finite`] over the outputs of a host call: y in its dtype, then the new state.
fn check_finite_outputs(y: &OwnedData, state: &[f32]) -> Result<()> {
    let y = match y {
        OwnedData::F32(x) => HostData::F32(x),
        OwnedData::F16(x) => HostData::F16(x),
        OwnedData::BF16(x) => HostData::BF16(x),
    };
    check_finite("y", &y)?;
    check_finite("state", &HostData::F32(state))
}

/// Where a call goes.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Route {
    /// A variant, and whether through its staged entry point.
    Kernel(&'static Variant, bool),
    /// A chunked-prefill module, and the chunks per segment.
    Chunked(&'static ChunkedModule, u64),
    CpuKernel,
    OpsGpu,
    OpsCpu,
}

/// The runtime context: device, registry and fallback policy. `Send + Sync`; share it by reference.
#[derive(Debug)]
pub struct Context {
    gpu: Option<GpuDevice>,
    registry: Registry,
    strict: bool,
    no_gpu_reason: String,
    warned: Mutex<HashSet<String>>,
    chunked_workspace: u64,
    max_binding: u64,
    #[cfg(feature = "jit")]
    jit: crate::jit::Jit,
}

impl Context {
    /// A context on the device chosen by `opts` (see [`ContextOptions::from_env`]).
    pub fn new(registry: Registry, opts: ContextOptions) -> Result<Self> {
        let (gpu, no_gpu_reason) = match opts.device {
            DeviceChoice::Cpu => (None, "CPU requested".to_string()),
            DeviceChoice::Gpu => match GpuDevice::new(true)? {
                Some(d) => (Some(d), String::new()),
                None => {
                    return Err(Error::NoAdapter(
                        "wgpu found no adapter (is a Vulkan, Metal or DX12 driver installed?)"
                            .into(),
                    ))
                }
            },
            DeviceChoice::Auto => match GpuDevice::new(false)? {
                Some(d) => (Some(d), String::new()),
                None => (None, "no hardware GPU adapter".to_string()),
            },
        };
        Ok(Self {
            gpu,
            registry,
            strict: opts.strict,
            no_gpu_reason,
            warned: Mutex::new(HashSet::new()),
            chunked_workspace: crate::gpu::CHUNKED_WORKSPACE_BYTES,
            max_binding: u64::MAX,
            #[cfg(feature = "jit")]
            jit: Default::default(),
        })
    }

    /// A CPU-only context.
    pub fn cpu(registry: Registry) -> Self {
        Self {
            gpu: None,
            registry,
            strict: strict_from_env(),
            no_gpu_reason: "CPU requested".into(),
            warned: Mutex::new(HashSet::new()),
            chunked_workspace: crate::gpu::CHUNKED_WORKSPACE_BYTES,
            max_binding: u64::MAX,
            #[cfg(feature = "jit")]
            jit: Default::default(),
        }
    }

    /// A context on an existing device (e.g. an engine's own).
    pub fn with_device(registry: Registry, device: GpuDevice, strict: bool) -> Self {
        Self {
            gpu: Some(device),
            registry,
            strict,
            no_gpu_reason: String::new(),
            warned: Mutex::new(HashSet::new()),
            chunked_workspace: crate::gpu::CHUNKED_WORKSPACE_BYTES,
            max_binding: u64::MAX,
            #[cfg(feature = "jit")]
            jit: Default::default(),
        }
    }

    /// Turns strict mode on or off.
    pub fn set_strict(&mut self, strict: bool) {
        self.strict = strict;
    }

    /// Caps the chunked-prefill workspace (default 256 MiB), which the device keeps and reuses
    /// from call to call. Longer inputs run in more segments of chunks, each a `prep` and a
    /// `scan` dispatch; results do not change, but each segment costs time.
    pub fn set_chunked_workspace(&mut self, bytes: u64) {
        self.chunked_workspace = bytes;
    }

    /// Caps the bytes of any one tensor a GPU call binds (default, and at most: the device's
    /// `max_storage_buffer_binding_size` and `max_buffer_size`). Host calls with a larger tensor
    /// run as several calls, over batch when one sequence fits and over time (carrying the state)
    /// when it does not, and the report says so; GPU-buffer calls are refused with the limit named.
    pub fn set_max_binding_bytes(&mut self, bytes: u64) {
        self.max_binding = bytes;
    }

    /// The most bytes one tensor of a GPU call may take (see [`Context::set_max_binding_bytes`]).
    pub fn binding_limit(&self) -> Option<u64> {
        self.gpu.as_ref().map(|g| {
            let l = g.device.limits();
            l.max_storage_buffer_binding_size
                .min(l.max_buffer_size)
                .min(self.max_binding)
        })
    }

    /// Runtime specialisation (the `jit` cargo feature; also `GDN_JIT=1`): a shape, dtype and
    /// tier that was not compiled at build time is rendered, validated and compiled once from the
    /// same templates and then runs as a kernel (the report says "rendered at run time") instead
    /// of on the ops path.
    #[cfg(feature = "jit")]
    pub fn set_runtime_specialisation(&mut self, on: bool) {
        self.jit.enabled = on;
    }

    /// Whether strict mode is on.
    pub fn strict(&self) -> bool {
        self.strict
    }

    /// The GPU device, if any.
    pub fn gpu(&self) -> Option<&GpuDevice> {
        self.gpu.as_ref()
    }

    /// The registry.
    pub fn registry(&self) -> &Registry {
        &self.registry
    }

    /// `adapter (Backend, Type)` or `cpu`.
    pub fn device_label(&self) -> String {
        self.gpu
            .as_ref()
            .map_or_else(|| "cpu".to_string(), |g| g.summary.label())
    }

    /// The best variant for a head shape, dtype, batch size and step count on this device (the tier
    /// order of [`Tier::preference`]), or why there is none.
    pub fn find_variant(
        &self,
        shape: crate::HeadShape,
        dtype: DType,
        batch: usize,
        steps: usize,
    ) -> std::result::Result<&'static Variant, String> {
        self.find_variant_in(
            shape,
            dtype,
            &Tier::preference(batch * shape.hv * shape.dv, steps),
        )
    }

    fn find_variant_in(
        &self,
        shape: crate::HeadShape,
        dtype: DType,
        tiers: &[Tier],
    ) -> std::result::Result<&'static Variant, String> {
        let Some(gpu) = &self.gpu else {
            return Err(format!("no GPU ({})", self.no_gpu_reason));
        };
        gpu.kernel_limits_ok()?;
        let mut why = Vec::new();
        for &tier in tiers {
            match (
                gpu.supports_tier(tier),
                self.registry.find(shape, dtype, tier),
            ) {
                (Ok(()), Some(v)) => return Ok(v),
                (Err(e), Some(_)) => why.push(format!("{tier}: {e}")),
                #[cfg(feature = "jit")]
                (Ok(()), None) if self.jit.enabled => match self.jit.variant(shape, dtype, tier) {
                    Ok(v) => return Ok(v),
                    Err(e) => why.push(format!("{tier}: not compiled; rendering it failed: {e}")),
                },
                (_, None) => why.push(format!("{tier}: not compiled")),
            }
        }
        Err(format!(
            "no variant for Hk={} Hv={} Dk={} Dv={} {dtype} ({}); add a config with these linear_* fields to the build (GDN_EXTRA_CONFIGS or gdn_codegen::Builder)",
            shape.hk, shape.hv, shape.dk, shape.dv, why.join("; ")
        ))
    }

    /// Steps from which [`PathChoice::Auto`] takes the chunked path on this context's adapter, if
    /// it ever does (see [`CHUNKED_MIN_STEPS_SOFTWARE`]).
    pub fn chunked_min_steps(&self) -> Option<usize> {
        self.gpu
            .as_ref()
            .filter(|g| g.summary.is_software())
            .map(|_| CHUNKED_MIN_STEPS_SOFTWARE)
    }

    /// Whether [`PathChoice::Auto`] takes the chunked path for `p` here, with the module (or why
    /// it cannot run): from [`CHUNKED_MIN_STEPS_SOFTWARE`] steps on a software adapter; on a
    /// hardware adapter where the cooperative-matrix module serves `p` and [`CHUNKED_MMA_AUTO`]
    /// admits its size. `None`: the recurrent kernel's case.
    fn auto_chunked(&self, p: &Problem) -> Option<ChunkedChoice> {
        if self.chunked_min_steps().is_some_and(|m| p.t >= m) {
            return Some(self.chunked_for(p, false));
        }
        let rows = p.b * p.heads.hv;
        CHUNKED_MMA_AUTO
            .iter()
            .find(|&&(r, _)| rows <= r)
            .is_some_and(|&(_, steps)| p.t >= steps)
            .then(|| self.chunked_for(p, true))
            .filter(Result::is_ok)
    }

    /// The chunked module that can serve `p` here (with `mma_only`, only the cooperative-matrix
    /// one), or why none can.
    fn chunked_for(&self, p: &Problem, mma_only: bool) -> ChunkedChoice {
        let gpu = self.gpu.as_ref().ok_or("no GPU")?;
        if let GateKind::Direct { per_key: true, .. } = p.gate {
            return Err("per-key gates run on the recurrent kernel".into());
        }
        let v = self
            .find_variant_in(p.heads, p.dtype, &[Tier::Subgroup8])
            .ok();
        // The cooperative-matrix scan where the adapter has the tiles, else the f32 scan.
        let m = match v.and_then(|v| v.chunked_mma.as_ref()) {
            Some(m) if gpu.supports_chunked(m).is_ok() => m,
            _ if mma_only => return Err("no cooperative-matrix module serves this call".into()),
            _ => {
                let m = v
                    .and_then(|v| v.chunked.as_ref())
                    .ok_or("no chunked module compiled for this shape and dtype")?;
                gpu.supports_chunked(m)?;
                m
            }
        };
        heads_fit_dispatch(gpu, p)?;
        let sc = segment_chunks(gpu, p, m, self.chunked_workspace)
            .ok_or("one chunk's workspace exceeds the device's buffer limits")?;
        Ok((m, sc))
    }

    /// The path a problem would take, and why, with where q and k are normalised when the call
    /// asks for it. Applies strict mode.
    fn route(&self, p: &Problem, opts: CallOptions) -> Result<(Route, String)> {
        self.route_noting_qk(p, opts, true)
    }

    /// [`Context::route`] for calls that normalise q and k in a pass of their own whatever the
    /// path (varlen batches, snapshots).
    fn route_qk_pass(&self, p: &Problem, opts: CallOptions) -> Result<(Route, String)> {
        self.route_noting_qk(p, opts, false)
    }

    /// The route and its reason, with where q and k are normalised when the call asks for it:
    /// in the kernel only where `kernel_may` and the route is the recurrent kernel's unstaged
    /// entry point.
    fn route_noting_qk(
        &self,
        p: &Problem,
        opts: CallOptions,
        kernel_may: bool,
    ) -> Result<(Route, String)> {
        let (route, why) = self.route_path(p, opts)?;
        if !p.qk_l2norm {
            return Ok((route, why));
        }
        let where_ = match route {
            Route::Kernel(v, staged) if kernel_may && !(staged && v.staged) => "in the kernel",
            Route::CpuKernel | Route::OpsCpu if kernel_may => "as the inputs are widened",
            _ => QK_IN_A_PASS,
        };
        Ok((route, format!("{why}; q/k L2-normalised {where_}")))
    }

    /// [`Context::route`] without the note on q/k normalisation.
    fn route_path(&self, p: &Problem, opts: CallOptions) -> Result<(Route, String)> {
        let on_gpu = self.gpu.is_some();
        match opts.path {
            PathChoice::Ops => {
                return Ok((
                    if on_gpu { Route::OpsGpu } else { Route::OpsCpu },
                    "ops path forced by caller".into(),
                ))
            }
            PathChoice::Kernel if !on_gpu => {
                return Ok((Route::CpuKernel, "kernel forced; CPU kernel".into()))
            }
            PathChoice::Chunked if !on_gpu => {
                return Err(Error::NoKernel {
                    config: p.describe(),
                    reason: format!("the chunked path needs a GPU ({})", self.no_gpu_reason),
                })
            }
            _ => {}
        }
        // Long inputs take the chunked path where it can run; a forced chunked path must.
        let chunked = match opts.path {
            PathChoice::Chunked => Some(self.chunked_for(p, false)),
            PathChoice::Auto if opts.tier.is_none_or(|t| t == Tier::Subgroup8) => {
                self.auto_chunked(p)
            }
            _ => None,
        };
        let mut not_chunked = String::new();
        if let Some(chunked) = chunked {
            match chunked {
                Ok((m, sc)) => {
                    return Ok((
                        Route::Chunked(m, sc),
                        format!(
                            "chunked prefill (T = {} in chunks of {}{})",
                            p.t,
                            m.chunk,
                            if m.mma {
                                ", scan on cooperative matrices"
                            } else {
                                ""
                            }
                        ),
                    ))
                }
                // Strict mode is about ops fallbacks; the recurrent kernel is not one.
                Err(reason) if opts.path == PathChoice::Chunked => {
                    return Err(Error::NoKernel {
                        config: p.describe(),
                        reason: format!("chunked path: {reason}"),
                    })
                }
                Err(reason) => not_chunked = format!(" (chunked path: {reason})"),
            }
        }
        if !on_gpu {
            return Ok((
                Route::CpuKernel,
                format!("{}; fused CPU kernel", self.no_gpu_reason),
            ));
        }
        let gpu = self
            .gpu
            .as_ref()
            .ok_or_else(|| Error::NoDevice(self.no_gpu_reason.clone()))?;
        let found = heads_fit_dispatch(gpu, p).and_then(|()| match opts.tier {
            Some(t) => self.find_variant_in(p.heads, p.dtype, &[t]),
            None => self.find_variant(p.heads, p.dtype, p.b, p.t),
        });
        match found {
            Ok(v) => {
                let staged = opts.staging.unwrap_or_else(|| Tier::stages(p.t));
                let why = match (staged, v.configs == crate::registry::RUNTIME_CONFIGS) {
                    (true, false) => "variant matched; steps staged in workgroup memory",
                    (false, false) => "variant matched",
                    (true, true) => {
                        "variant rendered at run time (not in the build); steps staged in workgroup memory"
                    }
                    (false, true) => "variant rendered at run time (not in the build)",
                };
                Ok((Route::Kernel(v, staged), format!("{why}{not_chunked}")))
            }
            Err(reason) => {
                let config = format!(
                    "{} (tiers {})",
                    p.describe(),
                    self.gpu
                        .as_ref()
                        .map_or(String::new(), |g| g.summary.label())
                );
                if self.strict || opts.path == PathChoice::Kernel {
                    return Err(Error::NoKernel { config, reason });
                }
                let key = format!("{:?}{:?}", p.heads, p.dtype);
                if self
                    .warned
                    .lock()
                    .map(|mut w| w.insert(key))
                    .unwrap_or(false)
                {
                    log::warn!("gdn: falling back to the ops path for {config}: {reason}");
                }
                Ok((Route::OpsGpu, reason))
            }
        }
    }

    fn report(&self, route: Route, reason: String) -> DispatchReport {
        let (path, device) = match route {
            Route::Kernel(v, _) => (PathTaken::Kernel { variant: v.name }, self.device_label()),
            Route::Chunked(m, _) => (PathTaken::Kernel { variant: m.name }, self.device_label()),
            Route::OpsGpu => (PathTaken::OpsGpu, self.device_label()),
            Route::CpuKernel => (PathTaken::CpuKernel, "cpu".into()),
            Route::OpsCpu => (PathTaken::OpsCpu, "cpu".into()),
        };
        DispatchReport {
            path,
            device,
            reason,
        }
    }

    /// Which path a call with this problem would take (without running it).
    pub fn plan(&self, p: &Problem, opts: CallOptions) -> Result<DispatchReport> {
        let (route, reason) = self.route(p, opts)?;
        Ok(self.report(route, reason))
    }

    /// Routes a call once for `problem` and `opts`: the path, its pipelines (compiled here if
    /// they were not yet) and its report, with strict mode applied. Bind buffers to it with
    /// [`Context::bind`]. See [`PreparedCall`] for an example.
    pub fn prepare(&self, problem: &Problem, opts: CallOptions) -> Result<PreparedCall> {
        let p = Problem {
            head_map: opts.head_map,
            qk_l2norm: opts.qk_l2norm,
            ..*problem
        };
        let (route, reason) = self.route(&p, opts)?;
        self.prepared(&p, opts, route, reason)
    }

    /// A prepared call on an already chosen route.
    fn prepared(
        &self,
        p: &Problem,
        opts: CallOptions,
        route: Route,
        reason: String,
    ) -> Result<PreparedCall> {
        if let (Some(gpu), Route::Kernel(v, staged)) = (&self.gpu, route) {
            // Compile now, not on the first bind.
            let spec = crate::gpu::Specialisation {
                map: p.head_map,
                qk_norm: p.qk_l2norm,
                ..Default::default()
            };
            gpu.kernel_pipeline(v, staged, spec)?;
        }
        Ok(PreparedCall {
            problem: *p,
            opts,
            route,
            report: self.report(route, reason),
            device: self.gpu.as_ref().map(|g| g.device.clone()),
        })
    }

    /// Binds buffers to a prepared call: checks everything first (the inputs match the prepared
    /// problem; every buffer is of this context's device, has `STORAGE` usage and holds its
    /// tensor; views are aligned; no buffer is both read and written, except a state given as
    /// the same view in `inputs.state` and `outputs.state`, which is updated in place), then makes
    /// every bind group, parameter block and scratch buffer the call needs. An `Err` records
    /// nothing anywhere. Bind once per set of buffers (e.g. once per layer at load) and record the
    /// returned [`BoundCall`] as often as needed. Raw-gate constants (`A_log`, `dt_bias`) are read
    /// on the GPU at every recording.
    pub fn bind(
        &self,
        call: &PreparedCall,
        inputs: &GpuInputs<'_>,
        outputs: &GpuOutputs<'_>,
    ) -> Result<BoundCall> {
        let gpu = self
            .gpu
            .as_ref()
            .ok_or_else(|| Error::NoDevice(self.no_gpu_reason.clone()))?;
        if call.device.as_ref() != Some(&gpu.device) {
            return Err(Error::Prepared(
                "the call was prepared on another context's device".into(),
            ));
        }
        gpu.alive()?;
        let in_place = crate::prepared::check_binding(gpu, call, inputs, outputs)?;
        let p = call.problem;
        self.bindings_fit(&p, inputs)?;
        let (y, state) = (outputs.y.range(), outputs.state.range());
        let out = crate::prepared::out_buffers(&y, &state, in_place);
        let built = scoped(&gpu.device, || {
            route_program(gpu, &p, inputs, call.route, out)
        });
        let program = match built {
            Ok(program) => program,
            // Name the tensor whose buffer the device cannot bind (another device's, say).
            Err(e) => {
                return Err(crate::prepared::foreign_buffer(gpu, inputs, outputs).unwrap_or(e))
            }
        };
        let mut report = call.report.clone();
        if in_place {
            report.reason = format!("{}; state updated in place", report.reason);
        }
        Ok(BoundCall { program, report })
    }

    /// Runs the op on host slices: returns y (input dtype), the new state and the report.
    /// Nothing passed in is modified.
    pub fn update(&self, inp: &HostInputs<'_>, opts: CallOptions) -> Result<HostOutput> {
        let p = problem(inp, opts)?;
        if opts.check_finite {
            check_finite_inputs(inp)?;
        }
        let out = self.update_parts(inp, &p, opts)?;
        if opts.check_finite {
            check_finite_outputs(&out.y, &out.state)?;
        }
        Ok(out)
    }

    /// Runs the op on host slices with the state updated in place: `state` (`[B, Hv, Dv, Dk]` f32)
    /// is read as the initial state and overwritten with the new one, and `inp.state` must be
    /// `None`. On the CPU kernel this saves allocating and copying the state on every call (what a
    /// CPU decode loop pays most for); other paths copy it in and out. Returns y (input dtype) and
    /// the report.
    pub fn update_in_place(
        &self,
        inp: &HostInputs<'_>,
        state: &mut [f32],
        opts: CallOptions,
    ) -> Result<(OwnedData, DispatchReport)> {
        if inp.state.is_some() {
            return Err(Error::Shape {
                tensor: "state",
                expected: "no state in the inputs: the in-place state is its own argument".into(),
                found: "a state tensor".into(),
            });
        }
        let mut p = problem(inp, opts)?;
        if state.len() != p.state_len() {
            let h = p.heads;
            return Err(Error::Length {
                tensor: "state",
                shape: fmt_shape(&[p.b, h.hv, h.dv, h.dk]),
                expected: p.state_len(),
                found: state.len(),
            });
        }
        if opts.check_finite {
            check_finite_inputs(inp)?;
            check_finite("state", &HostData::F32(state))?;
        }
        p.has_state = true;
        let (route, reason) = self.route(&p, opts)?;
        let out = if matches!(route, Route::CpuKernel) {
            let x = Prepared::new(&p, inp);
            let y = crate::cpu::fused_update_in_place(&p, &x, state);
            HostOutput {
                y: OwnedData::from_f32(p.dtype, y),
                state: Vec::new(),
                report: self.report(route, reason),
            }
        } else {
            let h = p.heads;
            let copy = state.to_vec();
            let with_state = HostInputs {
                state: Some(HostTensor::f32(&copy, &[p.b, h.hv, h.dv, h.dk])),
                ..inp.clone()
            };
            let out = self.update_parts(&with_state, &p, opts)?;
            state.copy_from_slice(&out.state);
            out
        };
        if opts.check_finite {
            check_finite_outputs(&out.y, state)?;
        }
        Ok((out.y, out.report))
    }

    /// Varlen batch on host slices: N sequences packed along T (`q`, `k` `[1, ΣT, Hk, Dk]`, `v`
    /// `[1, ΣT, Hv, Dv]`, gates and mask likewise), sequence n at steps
    /// `cu_seqlens[n] .. cu_seqlens[n + 1]` (N + 1 offsets from 0 to ΣT, as fla and vLLM take
    /// them), each with its own initial state (`state` `[N, Hv, Dv, Dk]`, zeros when absent).
    /// Returns y packed like v and the N final states. On the GPU the recurrent and chunked
    /// kernels take the batch in one dispatch ([`Context::encode_varlen`]); the CPU, the ops path
    /// and batches whose tensors exceed one binding run one call per sequence. The report says
    /// which.
    pub fn update_varlen(
        &self,
        inp: &HostInputs<'_>,
        cu_seqlens: &[usize],
        opts: CallOptions,
    ) -> Result<HostOutput> {
        let (packed, pv) = varlen_problem(inp, cu_seqlens, opts)?;
        if opts.check_finite {
            check_finite_inputs(inp)?;
        }
        if let Some(gpu) = &self.gpu {
            let (route, reason) = self.route_qk_pass(&pv, opts)?;
            let out_bytes = (packed.y_len() * packed.dtype.size(), pv.state_len() * 4);
            // Tensors of one binding each: a host call does not split a varlen batch.
            if matches!(route, Route::Kernel(..) | Route::Chunked(..))
                && self.host_fits(inp, out_bytes)
            {
                let (y, s, report) = run_uploaded(gpu, inp, out_bytes, |enc, gin, outs| {
                    self.encode_varlen_routed(
                        gpu,
                        enc,
                        gin,
                        cu_seqlens,
                        (&packed, &pv),
                        (route, reason),
                        outs,
                    )
                })?;
                let out = HostOutput {
                    y: read_y(gpu, &y, packed.dtype, packed.y_len())?,
                    state: read_pod(&gpu.device, &gpu.queue, &s, 0, pv.state_len())?,
                    report,
                };
                if opts.check_finite {
                    check_finite_outputs(&out.y, &out.state)?;
                }
                return Ok(out);
            }
        }
        self.varlen_by_sequence(inp, &packed, cu_seqlens, opts)
    }

    /// Records a varlen batch on GPU buffers into `encoder`: N sequences of different lengths
    /// packed along T (`inp` as [`Context::update_varlen`] takes it, `state` `[N, Hv, Dv, Dk]` f32
    /// or `None` for zeros), sequence n at steps `cu_seqlens[n] .. cu_seqlens[n + 1]`, in one
    /// dispatch of the recurrent or chunked kernel: the kernel reads the offsets, and the steps of
    /// the shorter sequences past their end are masked. y (packed like v) goes to `y` and the N
    /// new states to `state_out`. The path is chosen as for a batch of N sequences of the longest
    /// length. A mask, if given, needs `COPY_SRC` usage (it is copied after the offsets). The ops
    /// path does not take varlen batches on GPU buffers: where no kernel serves the call this is
    /// an error ([`Context::update_varlen`] then runs one call per sequence).
    pub fn encode_varlen(
        &self,
        encoder: &mut wgpu::CommandEncoder,
        inp: &GpuInputs<'_>,
        cu_seqlens: &[usize],
        y: &wgpu::Buffer,
        state_out: &wgpu::Buffer,
        opts: CallOptions,
    ) -> Result<DispatchReport> {
        let gpu = self
            .gpu
            .as_ref()
            .ok_or_else(|| Error::NoDevice(self.no_gpu_reason.clone()))?;
        gpu.alive()?;
        let (packed, pv) = varlen_problem(inp, cu_seqlens, opts)?;
        check_out_bytes(
            (y, packed.y_len() * packed.dtype.size()),
            (state_out, pv.state_len() * 4),
        )?;
        self.bindings_fit(&packed, inp)?;
        // bindings_fit sizes the new state for the packed problem (one sequence): the N states.
        self.binding_fits("tensor `new state` (N sequences)", pv.state_len() * 4)?;
        let (route, reason) = self.route_qk_pass(&pv, opts)?;
        self.encode_varlen_routed(
            gpu,
            encoder,
            inp,
            cu_seqlens,
            (&packed, &pv),
            (route, reason),
            (y, state_out),
        )
    }

    /// [`Context::encode_varlen`] once validated and routed: the offsets buffer (the mask copied
    /// after them), q/k normalisation over the packed steps, then the kernel.
    #[allow(clippy::too_many_arguments)]
    fn encode_varlen_routed(
        &self,
        gpu: &GpuDevice,
        enc: &mut wgpu::CommandEncoder,
        inp: &GpuInputs<'_>,
        cu: &[usize],
        (packed, pv): (&Problem, &Problem),
        (route, reason): (Route, String),
        (y, state_out): (&wgpu::Buffer, &wgpu::Buffer),
    ) -> Result<DispatchReport> {
        if !matches!(route, Route::Kernel(..) | Route::Chunked(..)) {
            return Err(Error::NoKernel {
                config: pv.describe(),
                reason: format!(
                    "a varlen batch on GPU buffers needs a kernel ({reason}); \
                     Context::update_varlen runs one call per sequence instead"
                ),
            });
        }
        let n = cu.len() - 1;
        let offsets: Vec<u32> = cu.iter().map(|&c| c as u32).collect();
        let (y, state_out) = (&BufferRange::whole(y), &BufferRange::whole(state_out));
        let (report, prog) = scoped(&gpu.device, || {
            let mut prog = Program::default();
            let seqs = mask_beside(
                gpu,
                &mut prog,
                inp,
                packed,
                (&offsets, &[]),
                "varlen offsets",
            );
            let out = OutBuffers {
                y,
                state: state_out,
                in_place: false,
                slots: None,
                seqs: Some(Seqs {
                    buffer: &seqs,
                    steps: packed.t,
                }),
                snaps: None,
            };
            prog.extend(route_program(gpu, pv, inp, route, out)?);
            Ok((self.report(route, reason), prog))
        })?;
        prog.record(enc, "gdn varlen", None);
        let how = if packed.t == 0 {
            "no steps: the states are copied".to_string()
        } else {
            format!("in one dispatch (the longest has {} steps)", pv.t)
        };
        Ok(DispatchReport {
            reason: format!("{}; varlen: {n} sequences {how}", report.reason),
            ..report
        })
    }

    /// Like [`Context::update`], and also returns the state after each of the given positions
    /// (`positions[i]` = tokens consumed, strictly increasing in 1..=T), laid out
    /// `[positions.len(), B, Hv, Dv, Dk]` f32: what a speculative-decoding verifier needs to roll
    /// back to the last accepted token (`1..=T` for every token). On the GPU the recurrent kernel
    /// writes the snapshots in the same dispatch ([`Context::encode_snapshots`]; `Auto` takes it
    /// even where it would take the chunked kernel); elsewhere each sequence runs as one call per
    /// stretch between positions, the state carried. The report says which.
    pub fn update_snapshots(
        &self,
        inp: &HostInputs<'_>,
        positions: &[usize],
        opts: CallOptions,
    ) -> Result<(HostOutput, Vec<f32>)> {
        let p = problem(inp, opts)?;
        check_positions(positions, p.t)?;
        if opts.check_finite {
            check_finite_inputs(inp)?;
        }
        let gpu_route = self
            .gpu
            .as_ref()
            .filter(|_| !positions.is_empty() && p.y_len() > 0)
            .zip(self.snapshot_route(&p, opts));
        if let Some((gpu, (route, reason))) = gpu_route {
            let (y_bytes, s_bytes) = (
                p.y_len() * p.dtype.size(),
                (1 + positions.len()) * p.state_len() * 4,
            );
            if self.host_fits(inp, (y_bytes, s_bytes)) {
                let (y, s, report) =
                    run_uploaded(gpu, inp, (y_bytes, s_bytes), |enc, gin, outs| {
                        self.encode_snapshots_routed(
                            gpu,
                            enc,
                            gin,
                            positions,
                            &p,
                            (route, reason),
                            outs,
                        )
                    })?;
                let n = p.state_len();
                let snaps = read_pod(&gpu.device, &gpu.queue, &s, (n * 4) as u64, s_bytes / 4 - n)?;
                let out = HostOutput {
                    y: read_y(gpu, &y, p.dtype, p.y_len())?,
                    state: read_pod(&gpu.device, &gpu.queue, &s, 0, n)?,
                    report,
                };
                if opts.check_finite {
                    check_finite_outputs(&out.y, &out.state)?;
                }
                return Ok((out, snaps));
            }
        }
        self.snapshots_by_stretch(inp, &p, positions, opts)
    }

    /// Records the op with per-token state snapshots into `encoder`, on GPU buffers:
    /// `states_out` receives the new state followed by the state after each of `positions`
    /// (`[1 + positions.len(), B, Hv, Dv, Dk]` f32, positions as [`Context::update_snapshots`]
    /// takes them), all written by the recurrent kernel in one dispatch. A mask, if given, needs
    /// `COPY_SRC` usage. Where the recurrent kernel cannot serve the call this is an error
    /// ([`Context::update_snapshots`] then runs one call per stretch).
    pub fn encode_snapshots(
        &self,
        encoder: &mut wgpu::CommandEncoder,
        inp: &GpuInputs<'_>,
        positions: &[usize],
        y: &wgpu::Buffer,
        states_out: &wgpu::Buffer,
        opts: CallOptions,
    ) -> Result<DispatchReport> {
        let gpu = self
            .gpu
            .as_ref()
            .ok_or_else(|| Error::NoDevice(self.no_gpu_reason.clone()))?;
        gpu.alive()?;
        let p = problem(inp, opts)?;
        check_positions(positions, p.t)?;
        let s_bytes = (1 + positions.len()) * p.state_len() * 4;
        check_out_bytes((y, p.y_len() * p.dtype.size()), (states_out, s_bytes))?;
        self.bindings_fit(&p, inp)?;
        self.binding_fits(
            "tensor `states_out` (the new state and the snapshots)",
            s_bytes,
        )?;
        let (route, reason) = self
            .snapshot_route(&p, opts)
            .ok_or_else(|| Error::NoKernel {
                config: p.describe(),
                reason: "per-token snapshots on GPU buffers need the recurrent kernel; \
                     Context::update_snapshots runs one call per stretch instead"
                    .into(),
            })?;
        self.encode_snapshots_routed(
            gpu,
            encoder,
            inp,
            positions,
            &p,
            (route, reason),
            (y, states_out),
        )
    }

    /// The recurrent kernel's route for a snapshot call (`Auto` takes it even where it would take
    /// the chunked kernel), or `None` where it cannot serve it.
    fn snapshot_route(&self, p: &Problem, opts: CallOptions) -> Option<(Route, String)> {
        let path = match opts.path {
            PathChoice::Auto => PathChoice::Kernel,
            other => other,
        };
        match self.route_qk_pass(p, CallOptions { path, ..opts }) {
            Ok((route @ Route::Kernel(..), why)) if self.gpu.is_some() => Some((route, why)),
            _ => None,
        }
    }

    /// [`Context::encode_snapshots`] once validated and routed: the snapshot table (after a copy
    /// of the mask's words), then the kernel's `main_snap` entry point.
    #[allow(clippy::too_many_arguments)]
    fn encode_snapshots_routed(
        &self,
        gpu: &GpuDevice,
        enc: &mut wgpu::CommandEncoder,
        inp: &GpuInputs<'_>,
        positions: &[usize],
        p: &Problem,
        (route, reason): (Route, String),
        (y, states_out): (&wgpu::Buffer, &wgpu::Buffer),
    ) -> Result<DispatchReport> {
        let mut after = vec![0u32; p.t];
        for (k, &pos) in positions.iter().enumerate() {
            after[pos - 1] = k as u32 + 1;
        }
        let (y, states_out) = (&BufferRange::whole(y), &BufferRange::whole(states_out));
        let (report, prog) = scoped(&gpu.device, || {
            let mut prog = Program::default();
            let table = mask_beside(gpu, &mut prog, inp, p, (&[], &after), "snapshot table");
            let out = OutBuffers {
                y,
                state: states_out,
                in_place: false,
                slots: None,
                seqs: None,
                snaps: Some(&table),
            };
            prog.extend(route_program(gpu, p, inp, route, out)?);
            Ok((self.report(route, reason), prog))
        })?;
        prog.record(enc, "gdn snapshots", None);
        Ok(DispatchReport {
            reason: format!(
                "{}; snapshots: {} states written by the kernel in the same dispatch",
                report.reason,
                positions.len()
            ),
            ..report
        })
    }

    /// Snapshots as one call per stretch between positions for each sequence, the state carried
    /// (the CPU, the chunked and ops paths, tensors past a binding).
    fn snapshots_by_stretch(
        &self,
        inp: &HostInputs<'_>,
        p: &Problem,
        positions: &[usize],
        opts: CallOptions,
    ) -> Result<(HostOutput, Vec<f32>)> {
        let p = *p;
        let h = p.heads;
        let per = h.hv * h.dv * h.dk;
        let mut cuts: Vec<usize> = positions.to_vec();
        if cuts.last() != Some(&p.t) {
            cuts.push(p.t);
        }
        let mut snaps = vec![0.0f32; positions.len() * p.b * per];
        let mut y = Vec::with_capacity(p.y_len() * p.dtype.size());
        let mut state = Vec::with_capacity(p.state_len());
        let mut report = None;
        for b in 0..p.b {
            let mut carried: Option<Vec<f32>> = None;
            let mut t0 = 0;
            for (i, &t1) in cuts.iter().enumerate() {
                let st = carried
                    .as_ref()
                    .map(|s| HostTensor::f32(s, &[1, h.hv, h.dv, h.dk]));
                let sub = split::part_inputs(inp, p.t, b..b + 1, t0..t1, st);
                let out = self.update(
                    &sub,
                    CallOptions {
                        check_finite: false,
                        ..opts
                    },
                )?;
                y.extend_from_slice(out.y.bytes());
                if i < positions.len() {
                    snaps[(i * p.b + b) * per..(i * p.b + b + 1) * per].copy_from_slice(&out.state);
                }
                carried = Some(out.state);
                report = Some(out.report);
                t0 = t1;
            }
            state.extend_from_slice(carried.as_deref().unwrap_or_default());
        }
        let out = HostOutput {
            y: OwnedData::from_bytes(p.dtype, &y),
            state,
            report: match report {
                Some(r) => DispatchReport {
                    reason: format!(
                        "{}; snapshots: one call per stretch between positions ({} calls)",
                        r.reason,
                        cuts.len() * p.b
                    ),
                    ..r
                },
                None => self.plan(&p, opts)?,
            },
        };
        if opts.check_finite {
            check_finite_outputs(&out.y, &out.state)?;
        }
        Ok((out, snaps))
    }

    /// Varlen as one call per sequence (the CPU, the ops path, tensors past a binding; the kernels are
    /// parallel over heads within each call).
    fn varlen_by_sequence(
        &self,
        inp: &HostInputs<'_>,
        p: &Problem,
        cu: &[usize],
        opts: CallOptions,
    ) -> Result<HostOutput> {
        let h = p.heads;
        let per = h.hv * h.dv * h.dk;
        let mut y = Vec::with_capacity(p.y_len() * p.dtype.size());
        let mut state = Vec::with_capacity((cu.len() - 1) * per);
        let mut report = None;
        for (n, w) in cu.windows(2).enumerate() {
            let st = inp.state.as_ref().map(|s| HostTensor {
                data: s.data.slice(n * per..(n + 1) * per),
                shape: vec![1, h.hv, h.dv, h.dk],
            });
            let mut sub = split::part_inputs(inp, p.t, 0..1, w[0]..w[1], None);
            sub.state = st;
            let out = self.update(&sub, opts)?;
            y.extend_from_slice(out.y.bytes());
            state.extend_from_slice(&out.state);
            report = Some(out.report);
        }
        let n = cu.len() - 1;
        let report = match report {
            Some(r) => DispatchReport {
                reason: format!("{}; varlen: {n} sequences, one call each", r.reason),
                ..r
            },
            None => self.plan(p, opts)?,
        };
        Ok(HostOutput {
            y: OwnedData::from_bytes(p.dtype, &y),
            state,
            report,
        })
    }

    /// A validated host call, as several calls when a tensor exceeds one GPU binding.
    fn update_parts(
        &self,
        inp: &HostInputs<'_>,
        p: &Problem,
        opts: CallOptions,
    ) -> Result<HostOutput> {
        let Some(limit) = self.binding_limit() else {
            return self.update_checked(inp, p, opts);
        };
        let (route, _) = self.route(p, opts)?;
        if matches!(route, Route::CpuKernel | Route::OpsCpu) {
            return self.update_checked(inp, p, opts);
        }
        let (split, why) = split::plan(p, inp, limit)?;
        let parts: Vec<(Range<usize>, Range<usize>)> = match split {
            Split::Whole => return self.update_checked(inp, p, opts),
            Split::Batch(n) => (0..p.b)
                .step_by(n)
                .map(|b0| (b0..(b0 + n).min(p.b), 0..p.t))
                .collect(),
            Split::Time(n) => (0..p.b)
                .flat_map(|b| {
                    (0..p.t)
                        .step_by(n)
                        .map(move |t0| (b..b + 1, t0..(t0 + n).min(p.t)))
                })
                .collect(),
        };
        let h = p.heads;
        let mut y = Vec::with_capacity(p.y_len() * p.dtype.size());
        let mut state = Vec::with_capacity(p.state_len());
        // The state carried from one time part of a sequence to the next.
        let mut carried: Option<Vec<f32>> = None;
        let mut report = None;
        let calls = parts.len();
        for (bs, ts) in parts {
            let from = if ts.start > 0 { carried.take() } else { None };
            let st = from
                .as_ref()
                .map(|s| HostTensor::f32(s, &[1, h.hv, h.dv, h.dk]));
            let last = ts.end == p.t;
            let sub = split::part_inputs(inp, p.t, bs, ts, st);
            let sp = problem(&sub, opts)?;
            let out = self.update_checked(&sub, &sp, opts)?;
            y.extend_from_slice(out.y.bytes());
            if last {
                state.extend_from_slice(&out.state);
            } else {
                carried = Some(out.state);
            }
            report = Some(out.report);
        }
        let report = report.map(|r| DispatchReport {
            reason: format!("{}; run as {calls} calls: {why}", r.reason),
            ..r
        });
        Ok(HostOutput {
            y: OwnedData::from_bytes(p.dtype, &y),
            state,
            report: report.unwrap_or_else(|| self.report(route, String::new())),
        })
    }

    fn update_checked(
        &self,
        inp: &HostInputs<'_>,
        p: &Problem,
        opts: CallOptions,
    ) -> Result<HostOutput> {
        let p = *p;
        let (route, reason) = self.route(&p, opts)?;
        let report = self.report(route, reason);
        match route {
            Route::CpuKernel | Route::OpsCpu => {
                let x = Prepared::new(&p, inp);
                let (y, state) = if matches!(route, Route::CpuKernel) {
                    fused_update(&p, x)
                } else {
                    ops_update(&p, x)
                };
                Ok(HostOutput {
                    y: OwnedData::from_f32(p.dtype, y),
                    state,
                    report,
                })
            }
            Route::Kernel(..) | Route::Chunked(..) | Route::OpsGpu => {
                let gpu = self
                    .gpu
                    .as_ref()
                    .ok_or_else(|| Error::NoDevice(self.no_gpu_reason.clone()))?;
                gpu.alive()?;
                let bufs = HostUpload::new(gpu, inp);
                let gin = bufs.inputs();
                let out =
                    self.run_gpu(gpu, &gin, self.prepared(&p, opts, route, report.reason)?)?;
                Ok(HostOutput {
                    y: read_y(gpu, &out.y, p.dtype, p.y_len())?,
                    state: read_pod(&gpu.device, &gpu.queue, &out.state, 0, p.state_len())?,
                    report: out.report,
                })
            }
        }
    }

    /// Runs the op on GPU buffers, with no round trip to the host: allocates y and the new state,
    /// encodes and submits. Nothing passed in is modified.
    pub fn update_gpu(&self, inp: &GpuInputs<'_>, opts: CallOptions) -> Result<GpuOutput> {
        let gpu = self
            .gpu
            .as_ref()
            .ok_or_else(|| Error::NoDevice(self.no_gpu_reason.clone()))?;
        gpu.alive()?;
        let p = problem(inp, opts)?;
        self.bindings_fit(&p, inp)?;
        if opts.check_finite {
            for (name, t) in named(inp) {
                check_finite_buffer(gpu, name, (t.buffer, t.offset), t.elem, numel(&t.shape))?;
            }
        }
        let out = self.run_gpu(gpu, inp, self.prepare(&p, opts)?)?;
        if opts.check_finite {
            check_finite_buffer(gpu, "y", (&out.y, 0), Elem::Float(p.dtype), p.y_len())?;
            let f32 = Elem::Float(DType::F32);
            check_finite_buffer(gpu, "state", (&out.state, 0), f32, p.state_len())?;
        }
        Ok(out)
    }

    /// Records the op into `encoder`, writing y and the new state into caller-owned buffers
    /// (sized at least as [`Problem::y_len`] elements of the input dtype and [`Problem::state_len`]
    /// f32, rounded up to 4 bytes). Lets an engine put many layers in one submit.
    pub fn encode(
        &self,
        encoder: &mut wgpu::CommandEncoder,
        inp: &GpuInputs<'_>,
        y: &wgpu::Buffer,
        state_out: &wgpu::Buffer,
        opts: CallOptions,
    ) -> Result<DispatchReport> {
        self.encode_timed(encoder, inp, y, state_out, opts, None)
    }

    /// Like [`Context::encode`], with timestamp writes around the call's compute pass
    /// (benchmarks). Prepares, binds and records the call ([`Context::prepare`],
    /// [`Context::bind`]): an `Err` leaves `encoder` untouched.
    pub fn encode_timed(
        &self,
        encoder: &mut wgpu::CommandEncoder,
        inp: &GpuInputs<'_>,
        y: &wgpu::Buffer,
        state_out: &wgpu::Buffer,
        opts: CallOptions,
        ts: Option<wgpu::ComputePassTimestampWrites<'_>>,
    ) -> Result<DispatchReport> {
        if self.gpu.is_none() {
            return Err(Error::NoDevice(self.no_gpu_reason.clone()));
        }
        let p = problem(inp, opts)?;
        check_out(&p, y, state_out)?;
        let call = self.prepare(&p, opts)?;
        let bound = self.bind(&call, inp, &GpuOutputs::new(&p, y, state_out))?;
        bound.program.record(encoder, "gdn", ts);
        Ok(bound.report)
    }

    /// Records the op for sequences whose states live in a pool, as serving engines keep them:
    /// `pool` holds `[P, Hv, Dv, Dk]` f32 states (usage `STORAGE | COPY_SRC | COPY_DST`), and batch
    /// row b reads its initial state from slot `slots[b]` and leaves its new state there; the other
    /// slots are untouched. `inp.state` must be `None` (the states come from the pool). Where the
    /// call takes the recurrent kernel, the kernel reads and writes the slots in place (the report
    /// says so); on the other paths the slots are gathered into a scratch batch and scattered back
    /// by one dispatch each, recorded around the op in `encoder`. Nothing goes through the host.
    pub fn encode_pooled(
        &self,
        encoder: &mut wgpu::CommandEncoder,
        inp: &GpuInputs<'_>,
        pool: &wgpu::Buffer,
        slots: &[u32],
        y: &wgpu::Buffer,
        opts: CallOptions,
    ) -> Result<DispatchReport> {
        let gpu = self
            .gpu
            .as_ref()
            .ok_or_else(|| Error::NoDevice(self.no_gpu_reason.clone()))?;
        if inp.state.is_some() {
            return Err(Error::Buffer {
                tensor: "state",
                reason: "a pooled call takes its states from the pool; pass None".into(),
            });
        }
        let p = problem(inp, opts)?;
        if slots.len() != p.b {
            return Err(Error::Shape {
                tensor: "slots",
                expected: format!("one pool slot per sequence ([{}])", p.b),
                found: format!("[{}]", slots.len()),
            });
        }
        let per = (p.heads.hv * p.heads.dv * p.heads.dk * 4) as u64;
        let have = pool.size() / per.max(1);
        let mut seen = HashSet::new();
        for &slot in slots {
            if u64::from(slot) >= have || !seen.insert(slot) {
                return Err(Error::Buffer {
                    tensor: "pool",
                    reason: format!(
                        "slot {slot} is out of range or repeated ({have} slots of {per} bytes)"
                    ),
                });
            }
        }
        let copy = wgpu::BufferUsages::COPY_SRC | wgpu::BufferUsages::COPY_DST;
        if !pool.usage().contains(copy) {
            return Err(Error::Buffer {
                tensor: "pool",
                reason: "needs COPY_SRC and COPY_DST usage".into(),
            });
        }
        // The slot table, padded to whole 16-byte words (the kernels may bind it as vec4s).
        let mut words = slots.to_vec();
        words.resize(slots.len().div_ceil(4).max(1) * 4, 0);
        let table = init_buffer(
            &gpu.device,
            "gdn pool slots",
            bytemuck::cast_slice(&words),
            wgpu::BufferUsages::STORAGE,
        );
        // On the recurrent kernel the states are read and written in place in the pool.
        let mut with_state = p;
        with_state.has_state = true;
        let (route, reason) = self.route(&with_state, opts)?;
        if matches!(route, Route::Kernel(..)) && p.y_len() > 0 {
            gpu.alive()?;
            check_out(&p, y, pool)?;
            self.bindings_fit(&p, inp)?;
            let (y, pool) = (&BufferRange::whole(y), &BufferRange::whole(pool));
            let out = OutBuffers {
                y,
                state: pool,
                in_place: false,
                slots: Some(&table),
                seqs: None,
                snaps: None,
            };
            let prog = scoped(&gpu.device, || {
                route_program(gpu, &with_state, inp, route, out)
            })?;
            prog.record(encoder, "gdn pooled", None);
            let reason = format!("{reason}; states read and written in place in the pool");
            return Ok(self.report(route, reason));
        }
        let (s_in, s_out) = gpu.pool_scratch(per * p.b as u64)?;
        let mut gather = Program::default();
        scoped(&gpu.device, || {
            record_move(gpu, &mut gather, (slots, &table), per, (pool, &s_in), true)
        })?;
        gather.record(encoder, "gdn pool gather", None);
        let h = p.heads;
        let with_state = GpuInputs {
            state: Some(GpuTensor {
                buffer: &s_in,
                elem: Elem::Float(DType::F32),
                shape: vec![p.b, h.hv, h.dv, h.dk],
                offset: 0,
            }),
            ..inp.clone()
        };
        let report = self.encode_timed(encoder, &with_state, y, &s_out, opts, None)?;
        let mut scatter = Program::default();
        scoped(&gpu.device, || {
            record_move(
                gpu,
                &mut scatter,
                (slots, &table),
                per,
                (pool, &s_out),
                false,
            )
        })?;
        scatter.record(encoder, "gdn pool scatter", None);
        Ok(report)
    }

    /// Whether a host call's tensors and its two outputs (`(y, states)` bytes) each fit one
    /// storage binding (the calls that do not split their tensors check this first).
    fn host_fits(&self, inp: &HostInputs<'_>, (y, states): (usize, usize)) -> bool {
        self.binding_limit().is_none_or(|limit| {
            named(inp)
                .into_iter()
                .map(|(_, t)| numel(&t.shape) * t.data.elem().size())
                .chain([y, states])
                .all(|b| b as u64 <= limit)
        })
    }

    /// Refuses `bytes` of one tensor (`what`) in a storage binding past the limit.
    fn binding_fits(&self, what: &str, bytes: usize) -> Result<()> {
        match self.binding_limit() {
            Some(limit) if bytes as u64 > limit => Err(Error::Limit {
                what: format!("{what} in one storage binding"),
                needed: bytes as u64,
                limit,
            }),
            _ => Ok(()),
        }
    }

    /// GPU-buffer calls are not split: refuses one whose tensor (input, y or new state) exceeds
    /// the binding limit, naming it.
    fn bindings_fit(&self, p: &Problem, inp: &GpuInputs<'_>) -> Result<()> {
        let Some(limit) = self.binding_limit() else {
            return Ok(());
        };
        let outputs = [
            ("y", (p.y_len() * p.dtype.size()) as u64),
            ("new state", (p.state_len() * 4) as u64),
        ];
        let inputs = named(inp)
            .into_iter()
            .map(|(n, t)| (n, (numel(&t.shape) * t.elem.size()) as u64));
        match inputs.chain(outputs).find(|&(_, b)| b > limit) {
            Some((name, needed)) => Err(Error::Limit {
                what: format!(
                    "tensor `{name}` in one storage binding (GPU-buffer calls are not split; \
                     host calls are)"
                ),
                needed,
                limit,
            }),
            None => Ok(()),
        }
    }

    /// Binds a prepared call to new output buffers, records it and submits it.
    fn run_gpu(
        &self,
        gpu: &GpuDevice,
        inp: &GpuInputs<'_>,
        call: PreparedCall,
    ) -> Result<GpuOutput> {
        let p = &call.problem;
        let y = output_buffer(gpu, "gdn y", p.y_len() * p.dtype.size());
        let state = output_buffer(gpu, "gdn state", p.state_len() * 4);
        let bound = self.bind(&call, inp, &GpuOutputs::new(p, &y, &state))?;
        let mut enc = gpu
            .device
            .create_command_encoder(&wgpu::CommandEncoderDescriptor {
                label: Some("gdn update"),
            });
        bound.record(&mut enc);
        gpu.queue.submit(Some(enc.finish()));
        Ok(GpuOutput {
            y,
            state,
            report: bound.report,
        })
    }
}

/// Whether the B·Hv (batch, value head) workgroups of a call fit one dispatch dimension.
fn heads_fit_dispatch(gpu: &GpuDevice, p: &Problem) -> std::result::Result<(), String> {
    let limit = gpu.device.limits().max_compute_workgroups_per_dimension as usize;
    if p.b * p.heads.hv > limit {
        return Err(format!(
            "B·Hv = {} exceeds the dispatch limit {limit}",
            p.b * p.heads.hv
        ));
    }
    Ok(())
}

/// The dispatches of one routed call: q/k normalisation where the kernel does not do it itself,
/// then the op.
fn route_program(
    gpu: &GpuDevice,
    p: &Problem,
    inp: &GpuInputs<'_>,
    route: Route,
    out: OutBuffers<'_>,
) -> Result<Program> {
    let mut prog = Program::default();
    // q/k normalisation: the recurrent kernel's unstaged entry point does it itself (decode and
    // short calls, where a pass of its own cost as much as the op); otherwise dispatches before
    // the op, which then reads the normalised copies (and is told they are).
    let in_kernel = matches!(route, Route::Kernel(v, staged) if !(staged && v.staged))
        && out.seqs.is_none()
        && out.snaps.is_none();
    let normalised = if p.qk_l2norm && !in_kernel && p.y_len() > 0 {
        Some(crate::gpu::normalise_qk(gpu, &mut prog, &out.rows(p), inp)?)
    } else {
        None
    };
    let normalised_inputs = normalised.as_ref().map(|n| n.inputs(inp));
    let inp = normalised_inputs.as_ref().unwrap_or(inp);
    let p = &Problem {
        qk_l2norm: p.qk_l2norm && in_kernel,
        ..*p
    };
    match route {
        Route::Kernel(v, staged) if p.y_len() > 0 => {
            kernel_steps(gpu, &mut prog, p, inp, (v, staged), out)?
        }
        Route::Chunked(m, sc) if p.y_len() > 0 => {
            chunked_steps(gpu, &mut prog, p, inp, (m, sc), out)?
        }
        _ => ops_steps(gpu, &mut prog, p, inp, out)?,
    }
    Ok(prog)
}

/// An output buffer of `bytes` (rounded up to 4) that the caller can read back and copy into.
fn output_buffer(gpu: &GpuDevice, label: &str, bytes: usize) -> wgpu::Buffer {
    gpu.device.create_buffer(&wgpu::BufferDescriptor {
        label: Some(label),
        size: padded_bytes(bytes).max(4),
        usage: wgpu::BufferUsages::STORAGE
            | wgpu::BufferUsages::COPY_SRC
            | wgpu::BufferUsages::COPY_DST,
        mapped_at_creation: false,
    })
}

/// A host call recorded on the GPU: uploads `inp`, makes y and state buffers of `(y, state)`
/// bytes, lets `record` encode the op into them and submits it. Returns the buffers to read back.
fn run_uploaded(
    gpu: &GpuDevice,
    inp: &HostInputs<'_>,
    (y_bytes, s_bytes): (usize, usize),
    record: impl FnOnce(
        &mut wgpu::CommandEncoder,
        &GpuInputs<'_>,
        (&wgpu::Buffer, &wgpu::Buffer),
    ) -> Result<DispatchReport>,
) -> Result<(wgpu::Buffer, wgpu::Buffer, DispatchReport)> {
    gpu.alive()?;
    let up = HostUpload::new(gpu, inp);
    scoped(&gpu.device, || {
        let y = output_buffer(gpu, "gdn y", y_bytes);
        let s = output_buffer(gpu, "gdn state", s_bytes);
        let mut enc = gpu.device.create_command_encoder(&Default::default());
        let report = record(&mut enc, &up.inputs(), (&y, &s))?;
        gpu.queue.submit(Some(enc.finish()));
        Ok((y, s, report))
    })
}

/// The buffer a varlen or snapshot call binds where the mask is: the words `before`, the mask's
/// words (copied from the mask by a dispatch appended to `prog`) when the call has a mask, then
/// the words `after`, padded to whole 16-byte groups.
fn mask_beside(
    gpu: &GpuDevice,
    prog: &mut Program,
    inp: &GpuInputs<'_>,
    p: &Problem,
    (before, after): (&[u32], &[u32]),
    what: &str,
) -> wgpu::Buffer {
    let mask_words = if p.has_mask {
        (p.b * p.t).div_ceil(4)
    } else {
        0
    };
    let mut words = before.to_vec();
    words.resize(before.len() + mask_words, 0);
    words.extend_from_slice(after);
    words.resize(words.len().div_ceil(4).max(1) * 4, 0);
    let buffer = init_buffer(
        &gpu.device,
        &format!("gdn {what}"),
        bytemuck::cast_slice(&words),
        wgpu::BufferUsages::STORAGE,
    );
    if let Some(m) = inp.mask.as_ref().filter(|_| mask_words > 0) {
        let at = before.len() as u32;
        push_copy(gpu, prog, (&m.range(), 0), (&buffer, at), mask_words as u32);
    }
    buffer
}

fn check_out(p: &Problem, y: &wgpu::Buffer, s: &wgpu::Buffer) -> Result<()> {
    check_out_bytes((y, p.y_len() * p.dtype.size()), (s, p.state_len() * 4))
}

/// Refuses output buffers smaller than the bytes they receive (rounded up to 4).
fn check_out_bytes(
    (y, y_bytes): (&wgpu::Buffer, usize),
    (s, s_bytes): (&wgpu::Buffer, usize),
) -> Result<()> {
    let need_y = padded_bytes(y_bytes);
    if y.size() < need_y {
        return Err(Error::Buffer {
            tensor: "y",
            reason: format!("{} bytes, needs {need_y}", y.size()),
        });
    }
    let need_s = padded_bytes(s_bytes);
    if s.size() < need_s {
        return Err(Error::Buffer {
            tensor: "state_out",
            reason: format!("{} bytes, needs {need_s}", s.size()),
        });
    }
    Ok(())
}

/// One uploaded tensor: its buffer, element type and shape.
#[derive(Debug)]
struct Uploaded {
    buffer: wgpu::Buffer,
    elem: Elem,
    shape: Vec<usize>,
}

/// GPU copies of host inputs (usage STORAGE | COPY_SRC by default), for callers that keep inputs on the device
/// across calls (benchmarks, tests) or want GPU tensors from host data in one step.
#[derive(Debug)]
pub struct HostUpload {
    inputs: Inputs<Uploaded>,
}

impl HostUpload {
    /// Uploads every tensor of `inp` to `gpu`.
    pub fn new(gpu: &GpuDevice, inp: &HostInputs<'_>) -> Self {
        Self::with_usage(gpu, inp, wgpu::BufferUsages::COPY_SRC)
    }

    /// Uploads every tensor of `inp` to `gpu` with usage `STORAGE | extra`.
    pub fn with_usage(gpu: &GpuDevice, inp: &HostInputs<'_>, extra: wgpu::BufferUsages) -> Self {
        let put = |t: &HostTensor<'_>| Uploaded {
            buffer: upload(&gpu.device, "gdn input", t.data.bytes(), extra),
            elem: t.data.elem(),
            shape: t.shape.clone(),
        };
        Self {
            inputs: map_inputs(inp, put),
        }
    }

    /// The uploaded tensors as GPU inputs of the op.
    pub fn inputs(&self) -> GpuInputs<'_> {
        map_inputs(&self.inputs, |u| GpuTensor {
            buffer: &u.buffer,
            elem: u.elem,
            shape: u.shape.clone(),
            offset: 0,
        })
    }
}

/// Applies `f` to every tensor of a call, keeping the structure.
fn map_inputs<'a, T, U>(inp: &'a Inputs<T>, mut f: impl FnMut(&'a T) -> U) -> Inputs<U> {
    let gate = match &inp.gate {
        Gate::Direct { g, beta, form } => Gate::Direct {
            g: f(g),
            beta: f(beta),
            form: *form,
        },
        Gate::Raw {
            a,
            b,
            a_log,
            dt_bias,
        } => Gate::Raw {
            a: f(a),
            b: f(b),
            a_log: f(a_log),
            dt_bias: f(dt_bias),
        },
    };
    Inputs {
        q: f(&inp.q),
        k: f(&inp.k),
        v: f(&inp.v),
        gate,
        state: inp.state.as_ref().map(&mut f),
        mask: inp.mask.as_ref().map(&mut f),
    }
}

// The context is shared across threads by reference.
const _: () = {
    const fn is_send_sync<T: Send + Sync>() {}
    is_send_sync::<Context>();
};

/// The float tensors of the inputs, by name.
fn named<T>(inp: &Inputs<T>) -> Vec<(&'static str, &T)> {
    let mut named = vec![("q", &inp.q), ("k", &inp.k), ("v", &inp.v)];
    match &inp.gate {
        Gate::Direct { g, beta, .. } => named.extend([("g", g), ("beta", beta)]),
        Gate::Raw {
            a,
            b,
            a_log,
            dt_bias,
        } => named.extend([("a", a), ("b", b), ("A_log", a_log), ("dt_bias", dt_bias)]),
    }
    named.extend(inp.state.as_ref().map(|s| ("state", s)));
    named
}

/// [`check_finite`] on a GPU buffer's first `n` elements, read back (the buffer needs
/// `COPY_SRC`; the check is a debugging aid and costs a round trip per tensor).
fn check_finite_buffer(
    gpu: &GpuDevice,
    name: &'static str,
    (buffer, offset): (&wgpu::Buffer, u64),
    elem: Elem,
    n: usize,
) -> Result<()> {
    if !buffer.usage().contains(wgpu::BufferUsages::COPY_SRC) {
        return Err(Error::Buffer {
            tensor: name,
            reason: "check_finite reads it back, so it needs COPY_SRC usage".into(),
        });
    }
    if n == 0 {
        return Ok(());
    }
    let bytes: Vec<u8> = read_pod(&gpu.device, &gpu.queue, buffer, offset, n * elem.size())?;
    let bytes = &bytes[..n * elem.size()];
    match elem {
        Elem::Float(DType::F32) => {
            check_finite(name, &HostData::F32(&bytemuck::pod_collect_to_vec(bytes)))
        }
        Elem::Float(DType::F16) => {
            check_finite(name, &HostData::F16(&bytemuck::pod_collect_to_vec(bytes)))
        }
        Elem::Float(DType::BF16) => {
            check_finite(name, &HostData::BF16(&bytemuck::pod_collect_to_vec(bytes)))
        }
        Elem::U8 => Ok(()),
    }
}

/// The `count` elements of y in `buffer`, read back in their dtype.
fn read_y(gpu: &GpuDevice, buffer: &wgpu::Buffer, dtype: DType, count: usize) -> Result<OwnedData> {
    let (d, q) = (&gpu.device, &gpu.queue);
    Ok(match dtype {
        DType::F32 => OwnedData::F32(read_pod(d, q, buffer, 0, count)?),
        DType::F16 => OwnedData::F16(read_pod(d, q, buffer, 0, count)?),
        DType::BF16 => OwnedData::BF16(read_pod(d, q, buffer, 0, count)?),
    })
}

/// Checks snapshot positions against T: strictly increasing steps in 1..=T.
fn check_positions(positions: &[usize], t: usize) -> Result<()> {
    let ok = positions.windows(2).all(|w| w[0] < w[1])
        && positions.first().is_none_or(|&f| f >= 1)
        && positions.last().is_none_or(|&l| l <= t);
    if !ok {
        return Err(Error::Shape {
            tensor: "positions",
            expected: format!("strictly increasing steps in 1..={t}"),
            found: format!("{positions:?}"),
        });
    }
    Ok(())
}

/// A varlen batch's problems: the packed one (B = 1, T = ΣT, no state) and the batch the kernels
/// run (B = N sequences, T = the longest, with the state when given), after checking the offsets
/// and the state `[N, Hv, Dv, Dk]` f32.
fn varlen_problem<T: crate::tensor::TensorMeta + Clone>(
    inp: &Inputs<T>,
    cu: &[usize],
    opts: CallOptions,
) -> Result<(Problem, Problem)> {
    let packed = problem(
        &Inputs {
            state: None,
            ..inp.clone()
        },
        opts,
    )?;
    if packed.b != 1 {
        return Err(Error::Shape {
            tensor: "q",
            expected: "[1, ΣT, Hk, Dk]: sequences packed along T".into(),
            found: fmt_shape(inp.q.shape()),
        });
    }
    varlen::check(cu, packed.t)?;
    if u32::try_from(packed.t).is_err() {
        return Err(Error::Shape {
            tensor: "cu_seqlens",
            expected: "offsets that fit 32 bits".into(),
            found: format!("ΣT = {}", packed.t),
        });
    }
    let n = cu.len() - 1;
    let h = packed.heads;
    if let Some(s) = &inp.state {
        if s.shape() != [n, h.hv, h.dv, h.dk] {
            return Err(Error::Shape {
                tensor: "state",
                expected: varlen::state_shape(n, h.hv, h.dv, h.dk),
                found: fmt_shape(s.shape()),
            });
        }
        if s.elem() != Elem::Float(DType::F32) {
            return Err(Error::DType {
                tensor: "state",
                expected: "f32 (the state is always f32)".into(),
                found: s.elem().to_string(),
            });
        }
        s.check_storage("state")?;
    }
    let tmax = cu.windows(2).map(|w| w[1] - w[0]).max().unwrap_or(0);
    let pv = Problem {
        b: n,
        t: tmax,
        has_state: inp.state.is_some(),
        ..packed
    };
    Ok((packed, pv))
}

/// The validated problem of a call, with the options that change its meaning (the head map and
/// q/k normalisation).
fn problem<T: crate::tensor::TensorMeta>(inp: &Inputs<T>, opts: CallOptions) -> Result<Problem> {
    let mut p = validate(inp)?;
    p.head_map = opts.head_map;
    p.qk_l2norm = opts.qk_l2norm;
    Ok(p)
}
