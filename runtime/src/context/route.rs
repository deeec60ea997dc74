//! Routing: which path a problem takes on this context's device, and why. A function of the
//! problem, the options and the device's capabilities, run once per call (or once per prepared
//! call).

use super::*;
use crate::gpu::{segment_chunks, GpuDevice};
use crate::policy::CHUNKED_MIN_STEPS_SOFTWARE;
use crate::policy::CHUNKED_MMA_AUTO;
use crate::report::{CallOptions, DispatchReport, PathChoice, PathTaken};
use crate::tensor::{GateKind, Problem};
use crate::{ChunkedModule, DType, Error, Result, Tier, Variant};

/// Where q and k are L2-normalised on the GPU when the kernel does not do it itself.
const QK_IN_A_PASS: &str = "in a pass before the op";

/// A chunked module that can serve a call with its segment length in chunks, or why none can.
type ChunkedChoice = std::result::Result<(&'static ChunkedModule, u64), String>;

impl Context {
    /// The best variant for a head shape, dtype, batch size and step count on this device (the tier
    /// order of [`crate::policy::tier_preference`]), or why there is none.
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
            &crate::policy::tier_preference(batch * shape.hv * shape.dv, steps),
        )
    }
    pub(super) fn find_variant_in(
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
    pub(super) fn auto_chunked(&self, p: &Problem) -> Option<ChunkedChoice> {
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
    pub(super) fn chunked_for(&self, p: &Problem, mma_only: bool) -> ChunkedChoice {
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
                // The f32 scan runs on the sg8 tier: say why that is refused first.
                gpu.supports_tier(Tier::Subgroup8)?;
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
    pub(super) fn route(&self, p: &Problem, opts: CallOptions) -> Result<(Route, String)> {
        self.route_noting_qk(p, opts, true)
    }
    /// [`Context::route`] for calls that normalise q and k in a pass of their own whatever the
    /// path (varlen batches, snapshots).
    pub(super) fn route_qk_pass(&self, p: &Problem, opts: CallOptions) -> Result<(Route, String)> {
        self.route_noting_qk(p, opts, false)
    }
    /// The route and its reason, with where q and k are normalised when the call asks for it:
    /// in the kernel only where `kernel_may` and the route is the recurrent kernel's unstaged
    /// entry point.
    pub(super) fn route_noting_qk(
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
    pub(super) fn route_path(&self, p: &Problem, opts: CallOptions) -> Result<(Route, String)> {
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
                    let mut why = format!(
                        "chunked prefill (T = {} in chunks of {}{})",
                        p.t,
                        m.chunk,
                        if m.mma {
                            ", scan on cooperative matrices"
                        } else {
                            ""
                        }
                    );
                    let tier = if m.mma {
                        Tier::Subgroup32
                    } else {
                        Tier::Subgroup8
                    };
                    note_subgroups(&mut why, self.gpu.as_ref(), tier);
                    return Ok((Route::Chunked(m, sc), why));
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
        let gpu = self.device()?;
        let found = heads_fit_dispatch(gpu, p).and_then(|()| match opts.tier {
            Some(t) => self.find_variant_in(p.heads, p.dtype, &[t]),
            None => self.find_variant(p.heads, p.dtype, p.b, p.t),
        });
        match found {
            Ok(v) => {
                let staged = opts.staging.unwrap_or_else(|| crate::policy::stages(p.t));
                let why = match (staged, v.configs == crate::registry::RUNTIME_CONFIGS) {
                    (true, false) => "variant matched; steps staged in workgroup memory",
                    (false, false) => "variant matched",
                    (true, true) => {
                        "variant rendered at run time (not in the build); steps staged in workgroup memory"
                    }
                    (false, true) => "variant rendered at run time (not in the build)",
                };
                let mut why = format!("{why}{not_chunked}");
                note_subgroups(&mut why, Some(gpu), v.tier);
                Ok((Route::Kernel(v, staged), why))
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
    pub(super) fn report(&self, route: Route, reason: String) -> DispatchReport {
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
}

/// Whether the B·Hv (batch, value head) workgroups of a call fit one dispatch dimension.
pub(super) fn heads_fit_dispatch(gpu: &GpuDevice, p: &Problem) -> std::result::Result<(), String> {
    let limit = gpu.device.limits().max_compute_workgroups_per_dimension as usize;
    if p.b * p.heads.hv > limit {
        return Err(format!(
            "B·Hv = {} exceeds the dispatch limit {limit}",
            p.b * p.heads.hv
        ));
    }
    Ok(())
}

/// Appends what the device learnt of its subgroup size, where the adapter reports a range (the
/// size a `sg32`/`sg8` kernel was chosen for, or why a `portable` one serves).
fn note_subgroups(why: &mut String, gpu: Option<&GpuDevice>, tier: Tier) {
    if let Some(note) = gpu.and_then(|g| g.subgroup_reason(tier)) {
        why.push_str("; ");
        why.push_str(&note);
    }
}
