//! Prepare once, record many: a [`PreparedCall`] is routed once for a problem and options, a
//! [`BoundCall`] is that call with its buffers bound (every bind group, parameter block and
//! scratch buffer made once), and recording a bound call creates no wgpu object and never polls.

use crate::context::Route;
use crate::gpu::{BufferRange, GpuDevice, OutBuffers, Program};
use crate::report::{CallOptions, DispatchReport};
use crate::tensor::{fmt_shape, Elem, GpuInputs, GpuTensor, Problem, TensorMeta};
use crate::{DType, Error, Result};

/// A call routed once: the path (kernel variant, chunked module or ops fallback), its pipelines
/// and its report, for one [`Problem`] and [`CallOptions`]. Bind buffers to it with
/// [`crate::Context::bind`] as often as needed; each binding records any number of times.
///
/// ```no_run
/// # fn f(ctx: &gdn_runtime::Context, inputs: &gdn_runtime::GpuInputs<'_>,
/// #      outputs: &gdn_runtime::GpuOutputs<'_>) -> gdn_runtime::Result<()> {
/// use gdn_runtime::{CallOptions, Problem};
/// let problem = Problem::of(inputs)?; // or built field by field
/// let call = ctx.prepare(&problem, CallOptions::default())?;
/// let bound = ctx.bind(&call, inputs, outputs)?; // checks everything, makes the bind groups
/// let device = &ctx.gpu().expect("a GPU context").device;
/// let mut encoder = device.create_command_encoder(&Default::default());
/// {
///     let mut pass = encoder.begin_compute_pass(&Default::default());
///     // ... the engine's own dispatches ...
///     bound.record_in_pass(&mut pass); // no wgpu object created, no poll
///     // ... more of the engine's dispatches ...
/// }
/// # Ok(()) }
/// ```
#[derive(Clone, Debug)]
pub struct PreparedCall {
    pub(crate) problem: Problem,
    pub(crate) opts: CallOptions,
    pub(crate) route: Route,
    pub(crate) report: DispatchReport,
    /// The device the call was prepared on (`None` on a CPU context).
    pub(crate) device: Option<wgpu::Device>,
}

impl PreparedCall {
    /// The problem the call was prepared for.
    pub fn problem(&self) -> &Problem {
        &self.problem
    }

    /// The options it was prepared with.
    pub fn options(&self) -> CallOptions {
        self.opts
    }

    /// The path every recording of it takes, and why.
    pub fn report(&self) -> &DispatchReport {
        &self.report
    }
}

/// What a GPU call writes: y (`[B, T, Hv, Dv]` in the input dtype) and the new state
/// (`[B, Hv, Dv, Dk]` f32), each a whole buffer or a view ([`GpuTensor::at`]). The state may be the
/// same view as the inputs' state: it is then updated in place (a decode loop's state pool).
#[derive(Clone, Debug)]
pub struct GpuOutputs<'a> {
    /// y.
    pub y: GpuTensor<'a>,
    /// The new state.
    pub state: GpuTensor<'a>,
}

impl<'a> GpuOutputs<'a> {
    /// Whole buffers `y` and `state` as the outputs of problem `p`.
    pub fn new(p: &Problem, y: &'a wgpu::Buffer, state: &'a wgpu::Buffer) -> Self {
        let h = p.heads;
        Self {
            y: GpuTensor::new(y, p.dtype, &[p.b, p.t, h.hv, h.dv]),
            state: GpuTensor::new(state, DType::F32, &[p.b, h.hv, h.dv, h.dk]),
        }
    }
}

/// A prepared call with its buffers bound: record it into a compute pass the caller has open
/// ([`BoundCall::record_in_pass`]) or into an encoder ([`BoundCall::record`]) any number of
/// times. It keeps what it binds alive. Recording creates no wgpu object and does not poll: every
/// check and every object was made by [`crate::Context::bind`].
#[derive(Clone, Debug)]
pub struct BoundCall {
    pub(crate) program: Program,
    pub(crate) report: DispatchReport,
}

impl BoundCall {
    /// Records the call's dispatches into an open compute pass (the caller's, e.g. one pass for a
    /// whole layer stack). wgpu orders them after the pass's earlier dispatches that write what
    /// they read.
    pub fn record_in_pass(&self, pass: &mut wgpu::ComputePass<'_>) {
        self.program.record_in_pass(pass);
    }

    /// Records the call into a compute pass of its own on `encoder`.
    pub fn record(&self, encoder: &mut wgpu::CommandEncoder) {
        self.program.record(encoder, "gdn", None);
    }

    /// Records the call into a compute pass of its own with timestamp writes around it
    /// (benchmarks).
    pub fn record_timed(
        &self,
        encoder: &mut wgpu::CommandEncoder,
        timestamps: wgpu::ComputePassTimestampWrites<'_>,
    ) {
        self.program.record(encoder, "gdn", Some(timestamps));
    }

    /// Dispatches one recording makes.
    pub fn dispatches(&self) -> usize {
        self.program.len()
    }

    /// The path the call takes, and why.
    pub fn report(&self) -> &DispatchReport {
        &self.report
    }
}

/// One tensor a call binds, for the aliasing check.
struct Bound<'a> {
    name: &'static str,
    range: BufferRange,
    writes: bool,
    tensor: &'a GpuTensor<'a>,
}

/// Checks a call's buffers before anything is made or recorded: the problem matches the prepared
/// one, every tensor is on a binding the device accepts (usage, size, view alignment), and no
/// buffer is both read and written by the call except a state updated in place. Returns whether
/// the state is updated in place.
pub(crate) fn check_binding(
    gpu: &GpuDevice,
    call: &PreparedCall,
    inp: &GpuInputs<'_>,
    out: &GpuOutputs<'_>,
) -> Result<bool> {
    let mut p = crate::tensor::validate(inp)?;
    p.head_map = call.opts.head_map;
    p.qk_l2norm = call.opts.qk_l2norm;
    let want = &call.problem;
    if p != *want {
        return Err(Error::Prepared(format!(
            "the inputs are {}, {}; the call was prepared for {}, {}",
            p.describe(),
            optional_inputs(&p),
            want.describe(),
            optional_inputs(want)
        )));
    }
    let h = p.heads;
    expect_output("y", &out.y, Elem::Float(p.dtype), &[p.b, p.t, h.hv, h.dv])?;
    expect_output(
        "state_out",
        &out.state,
        Elem::Float(DType::F32),
        &[p.b, h.hv, h.dv, h.dk],
    )?;
    let align = u64::from(gpu.device.limits().min_storage_buffer_offset_alignment);
    let mut all: Vec<Bound<'_>> = named_inputs(inp)
        .into_iter()
        .map(|(name, t)| Bound {
            name,
            range: t.range(),
            writes: false,
            tensor: t,
        })
        .collect();
    all.push(Bound {
        name: "y",
        range: out.y.range(),
        writes: true,
        tensor: &out.y,
    });
    all.push(Bound {
        name: "state_out",
        range: out.state.range(),
        writes: true,
        tensor: &out.state,
    });
    // A row-strided view is bound from the aligned byte below its offset (its first element is
    // passed beside it), so only dense views must start on the alignment.
    for b in &all {
        if b.tensor.row_stride.is_none() && !b.tensor.offset.is_multiple_of(align) {
            return Err(Error::Buffer {
                tensor: b.name,
                reason: format!(
                    "view offset {} is not a multiple of the device's storage offset alignment \
                     ({align} bytes), so it cannot be bound",
                    b.tensor.offset
                ),
            });
        }
    }
    // A state read and written as one view is updated in place: bound once, writable.
    let state_at = all.iter().position(|b| b.name == "state");
    let in_place = state_at.is_some_and(|i| {
        let (s, o) = (&all[i].range, &out.state.range());
        s.buffer == o.buffer && s.offset == o.offset
    });
    if let (true, Some(i)) = (in_place, state_at) {
        all[i].writes = true;
    }
    for (i, a) in all.iter().enumerate() {
        for b in &all[i + 1..] {
            if a.range.buffer != b.range.buffer || !(a.writes || b.writes) {
                continue;
            }
            if in_place && (a.name, b.name) == ("state", "state_out") {
                continue;
            }
            let overlap = overlaps(&a.range, &b.range);
            let why = match (overlap, a.writes && b.writes) {
                (false, true) => continue,
                (true, _) => "their bytes overlap",
                (false, false) if (a.name, b.name) == ("state", "state_out") => {
                    "a state read and written in one buffer must be one view (updated in place)"
                }
                (false, false) => {
                    "wgpu cannot bind one buffer both read-only and writable in one dispatch"
                }
            };
            return Err(Error::Alias {
                first: a.name,
                second: b.name,
                reason: why.to_string(),
            });
        }
    }
    Ok(in_place)
}

fn overlaps(a: &BufferRange, b: &BufferRange) -> bool {
    let end = |r: &BufferRange| r.offset + r.size.unwrap_or(u64::MAX - r.offset);
    a.offset < end(b) && b.offset < end(a)
}

/// `with state, with mask` and the like, for mismatch messages.
fn optional_inputs(p: &Problem) -> String {
    format!(
        "{} state, {} mask, gate {:?}, head map {:?}, q/k normalised {}",
        if p.has_state { "with" } else { "no" },
        if p.has_mask { "with" } else { "no" },
        p.gate,
        p.head_map,
        if p.qk_l2norm {
            "in the op"
        } else {
            "by the caller"
        }
    )
}

fn expect_output(name: &'static str, t: &GpuTensor<'_>, elem: Elem, shape: &[usize]) -> Result<()> {
    if let Some(stride) = t.row_stride {
        return Err(Error::Buffer {
            tensor: name,
            reason: format!("has a row stride ({stride} elements); only q, k and v take one"),
        });
    }
    if t.elem != elem {
        return Err(Error::DType {
            tensor: name,
            expected: elem.to_string(),
            found: t.elem.to_string(),
        });
    }
    if t.shape != shape {
        return Err(Error::Shape {
            tensor: name,
            expected: fmt_shape(shape),
            found: fmt_shape(&t.shape),
        });
    }
    t.check_storage(name)
}

/// Every tensor of the inputs, by name (the state and mask when given).
fn named_inputs<'a>(inp: &'a GpuInputs<'a>) -> Vec<(&'static str, &'a GpuTensor<'a>)> {
    let mut named = crate::context::named(inp);
    named.extend(inp.mask.as_ref().map(|m| ("mask", m)));
    named
}

/// Names the tensor whose buffer is not of `device` (after binding failed with a wgpu error):
/// each tensor's buffer is bound alone, in an error scope.
pub(crate) fn foreign_buffer(
    gpu: &GpuDevice,
    inp: &GpuInputs<'_>,
    out: &GpuOutputs<'_>,
) -> Option<Error> {
    let mut all = named_inputs(inp);
    all.push(("y", &out.y));
    all.push(("state_out", &out.state));
    all.into_iter().find_map(|(name, t)| {
        gpu.probe_binding(t.buffer).err().map(|e| Error::Buffer {
            tensor: name,
            reason: format!("cannot be bound on the context's device: {e}"),
        })
    })
}

/// The outputs as the internal output bindings (no slots, offsets or snapshots).
pub(crate) fn out_buffers<'a>(
    y: &'a BufferRange,
    state: &'a BufferRange,
    in_place: bool,
) -> OutBuffers<'a> {
    OutBuffers {
        y,
        state,
        in_place,
        slots: None,
        seqs: None,
        snaps: None,
    }
}
