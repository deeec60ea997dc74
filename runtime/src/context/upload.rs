//! GPU copies of host inputs.

use crate::gpu::{upload, GpuDevice};
use crate::tensor::{Elem, Gate, GpuInputs, GpuTensor, HostInputs, HostTensor, Inputs};

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
            row_stride: None,
        })
    }
}

/// Applies `f` to every tensor of a call, keeping the structure.
pub(super) fn map_inputs<'a, T, U>(inp: &'a Inputs<T>, mut f: impl FnMut(&'a T) -> U) -> Inputs<U> {
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
