//! The one entry point: [`Context`] holds the device (or none), the variant registry and the
//! fallback policy, and serves every caller. Its methods are split by job: routing (`route`),
//! host-slice calls (`host`), GPU-buffer calls and prepared calls (`encode`), varlen batches and
//! snapshots (`batches`), and host uploads (`upload`).

mod batches;
mod encode;
mod host;
mod route;
mod upload;

pub use encode::GpuOutput;
pub use host::{HostOutput, OwnedData};
pub use upload::HostUpload;

use crate::gpu::GpuDevice;
use crate::report::CallOptions;
use crate::tensor::{validate, Gate, Inputs, Problem};
use crate::{ChunkedModule, Error, Registry, Result, Variant};
use std::collections::HashSet;
use std::sync::Mutex;

/// Environment variable: `1` turns every ops-path fallback into an error.
pub const STRICT_ENV: &str = "GDN_STRICT";

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
    /// The GPU device, or [`Error::NoDevice`] with why there is none.
    pub(super) fn device(&self) -> Result<&GpuDevice> {
        self.gpu
            .as_ref()
            .ok_or_else(|| Error::NoDevice(self.no_gpu_reason.clone()))
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
}

// The context is shared across threads by reference.
const _: () = {
    const fn is_send_sync<T: Send + Sync>() {}
    is_send_sync::<Context>();
};

/// The float tensors of the inputs (the state too, not the mask), by name.
pub(crate) fn named<T>(inp: &Inputs<T>) -> Vec<(&'static str, &T)> {
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

/// The validated problem of a call, with the options that change its meaning (the head map and
/// q/k normalisation).
pub(super) fn problem<T: crate::tensor::TensorMeta>(
    inp: &Inputs<T>,
    opts: CallOptions,
) -> Result<Problem> {
    let mut p = validate(inp)?;
    p.head_map = opts.head_map;
    p.qk_l2norm = opts.qk_l2norm;
    Ok(p)
}
