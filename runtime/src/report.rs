//! What ran, and why: every call returns a [`DispatchReport`].

use std::fmt;

/// The implementation that served a call.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PathTaken {
    /// A precompiled GPU kernel variant.
    Kernel {
        /// Variant name.
        variant: &'static str,
    },
    /// The fused multi-threaded CPU kernel (no hardware adapter).
    CpuKernel,
    /// The per-step ops composition on the GPU (generic, runtime-shaped shaders).
    OpsGpu,
    /// The per-step ops composition on the CPU.
    OpsCpu,
}

impl PathTaken {
    /// Whether this is an ops-path fallback.
    pub fn is_ops(&self) -> bool {
        matches!(self, PathTaken::OpsGpu | PathTaken::OpsCpu)
    }
}

impl fmt::Display for PathTaken {
    /// `kernel:<variant>`, `kernel:cpu`, `ops:gpu` or `ops:cpu` (the `path` metadata of `gdn run`).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PathTaken::Kernel { variant } => write!(f, "kernel:{variant}"),
            PathTaken::CpuKernel => f.write_str("kernel:cpu"),
            PathTaken::OpsGpu => f.write_str("ops:gpu"),
            PathTaken::OpsCpu => f.write_str("ops:cpu"),
        }
    }
}

/// Which path ran for one call, on what, and why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DispatchReport {
    /// The path.
    pub path: PathTaken,
    /// Adapter name and backend, or `cpu`.
    pub device: String,
    /// Why this path (e.g. "variant matched", "no variant for ...", "forced by caller").
    pub reason: String,
}

impl fmt::Display for DispatchReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} on {} ({})", self.path, self.device, self.reason)
    }
}

/// Which path a call may take.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum PathChoice {
    /// The fastest correct path: a matching kernel, else the ops fallback.
    #[default]
    Auto,
    /// Only the recurrent kernel (GPU variant, or the CPU kernel on a CPU context); error if none
    /// matches.
    Kernel,
    /// Only the chunked-prefill kernel (GPU); error if it cannot serve the call.
    Chunked,
    /// The ops composition (reference path).
    Ops,
}

impl PathChoice {
    /// Parses `auto`, `kernel` (or `recurrent`), `chunked` or `ops`.
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "auto" => Some(Self::Auto),
            "kernel" | "recurrent" => Some(Self::Kernel),
            "chunked" => Some(Self::Chunked),
            "ops" => Some(Self::Ops),
            _ => None,
        }
    }
}

/// Per-call options.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct CallOptions {
    /// Which path may run.
    pub path: PathChoice,
    /// Restrict kernel variants to this feature tier (default: the best the adapter supports).
    pub tier: Option<crate::Tier>,
    /// Force the kernel's staged (`Some(true)`) or unstaged entry point; `None` follows
    /// [`crate::policy::stages`].
    pub staging: Option<bool>,
    /// Check inputs and outputs for NaN/Inf and fail with [`crate::Error::NonFinite`] naming the
    /// first one (tensor and flat index). Host calls ([`crate::Context::update`]) and
    /// [`crate::Context::update_gpu`], which reads the buffers back (they need `COPY_SRC`; a
    /// debugging aid, a round trip per tensor), not [`crate::Context::encode`]. Masks are not
    /// checked, and masked positions count like any other.
    pub check_finite: bool,
    /// Which key head each value head reads (default: grouped, as the checkpoints are laid out).
    pub head_map: crate::tensor::HeadMap,
    /// L2-normalise q and k over Dk inside the op, x / sqrt(Σx² + 1e-6) per row, as fla's
    /// `use_qk_l2norm_in_kernel` and the Qwen3-Next / Qwen3.5 layers do (default: the caller has
    /// normalised them). The normalisation removes any scale q carried, so apply q's scale
    /// (1/√Dk in those layers) to y after the call: y is linear in q. On the GPU the recurrent
    /// kernel's unstaged entry point (decode and short calls) normalises them itself; the staged
    /// and chunked kernels and the ops path read normalised copies (input dtype) from one pass
    /// recorded before the op. On the CPU it happens where the inputs are widened to f32.
    pub qk_l2norm: bool,
}

impl CallOptions {
    /// Options with this path choice and no tier restriction.
    pub fn path(path: PathChoice) -> Self {
        Self {
            path,
            ..Self::default()
        }
    }
}
