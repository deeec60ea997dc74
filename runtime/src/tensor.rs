//! Tensors the op takes (host slices or GPU buffers) and the checks that turn them into a
//! validated [`Problem`].

use crate::{DType, Error, HeadShape, Result};
use half::{bf16, f16};
use std::fmt;

/// Element type of any tensor the op reads: the three float dtypes, and u8 for masks.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Elem {
    /// A float dtype.
    Float(DType),
    /// Unsigned bytes (masks; `bool` tensors are read as u8).
    U8,
}

impl Elem {
    /// Bytes per element.
    pub fn size(self) -> usize {
        match self {
            Elem::Float(d) => d.size(),
            Elem::U8 => 1,
        }
    }
}

impl fmt::Display for Elem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Elem::Float(d) => d.fmt(f),
            Elem::U8 => f.write_str("u8"),
        }
    }
}

/// Borrowed host data of one tensor.
#[derive(Clone, Copy, Debug)]
pub enum HostData<'a> {
    /// f32 elements.
    F32(&'a [f32]),
    /// f16 elements.
    F16(&'a [f16]),
    /// bf16 elements.
    BF16(&'a [bf16]),
    /// u8 elements (masks).
    U8(&'a [u8]),
}

impl HostData<'_> {
    /// Element count.
    pub fn len(&self) -> usize {
        match self {
            HostData::F32(x) => x.len(),
            HostData::F16(x) => x.len(),
            HostData::BF16(x) => x.len(),
            HostData::U8(x) => x.len(),
        }
    }
    /// Whether there are no elements.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
    /// Element type.
    pub fn elem(&self) -> Elem {
        match self {
            HostData::F32(_) => Elem::Float(DType::F32),
            HostData::F16(_) => Elem::Float(DType::F16),
            HostData::BF16(_) => Elem::Float(DType::BF16),
            HostData::U8(_) => Elem::U8,
        }
    }
    /// The raw bytes (little-endian, as on the GPU).
    pub fn bytes(&self) -> &[u8] {
        match self {
            HostData::F32(x) => bytemuck::cast_slice(x),
            HostData::F16(x) => bytemuck::cast_slice(x),
            HostData::BF16(x) => bytemuck::cast_slice(x),
            HostData::U8(x) => x,
        }
    }
    /// Element `i` widened to f32 (u8 as 0.0 / 1.0 for any non-zero byte).
    pub fn get(&self, i: usize) -> f32 {
        match self {
            HostData::F32(x) => x[i],
            HostData::F16(x) => x[i].to_f32(),
            HostData::BF16(x) => x[i].to_f32(),
            HostData::U8(x) => f32::from(u8::from(x[i] != 0)),
        }
    }
    /// All elements widened to f32.
    pub fn to_f32(&self) -> Vec<f32> {
        match self {
            HostData::F32(x) => x.to_vec(),
            HostData::F16(x) => crate::cpu::convert::widen(x),
            HostData::BF16(x) => crate::cpu::convert::widen(x),
            HostData::U8(_) => (0..self.len()).map(|i| self.get(i)).collect(),
        }
    }
}

/// A host tensor: borrowed data plus its shape (row-major, last index fastest).
#[derive(Clone, Debug)]
pub struct HostTensor<'a> {
    /// The data.
    pub data: HostData<'a>,
    /// The shape.
    pub shape: Vec<usize>,
}

impl<'a> HostTensor<'a> {
    /// An f32 tensor.
    pub fn f32(data: &'a [f32], shape: &[usize]) -> Self {
        Self {
            data: HostData::F32(data),
            shape: shape.to_vec(),
        }
    }
    /// An f16 tensor.
    pub fn f16(data: &'a [f16], shape: &[usize]) -> Self {
        Self {
            data: HostData::F16(data),
            shape: shape.to_vec(),
        }
    }
    /// A bf16 tensor.
    pub fn bf16(data: &'a [bf16], shape: &[usize]) -> Self {
        Self {
            data: HostData::BF16(data),
            shape: shape.to_vec(),
        }
    }
    /// A u8 tensor (masks).
    pub fn u8(data: &'a [u8], shape: &[usize]) -> Self {
        Self {
            data: HostData::U8(data),
            shape: shape.to_vec(),
        }
    }
}

/// A tensor in a GPU buffer (from offset 0), with its element type and shape.
///
/// 16-bit data is packed two per 32-bit word exactly as in host memory; buffers must be at least the
/// tensor's byte size rounded up to a multiple of 4 and have `STORAGE` usage.
#[derive(Clone, Debug)]
pub struct GpuTensor<'a> {
    /// The buffer.
    pub buffer: &'a wgpu::Buffer,
    /// Element type.
    pub elem: Elem,
    /// The shape.
    pub shape: Vec<usize>,
}

impl<'a> GpuTensor<'a> {
    /// A float tensor in `buffer`.
    pub fn new(buffer: &'a wgpu::Buffer, dtype: DType, shape: &[usize]) -> Self {
        Self {
            buffer,
            elem: Elem::Float(dtype),
            shape: shape.to_vec(),
        }
    }
    /// A u8 mask tensor in `buffer`.
    pub fn mask(buffer: &'a wgpu::Buffer, shape: &[usize]) -> Self {
        Self {
            buffer,
            elem: Elem::U8,
            shape: shape.to_vec(),
        }
    }
}

/// The form of a direct gate `g`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum GateForm {
    /// `g` is the decay α in (0, 1] (MLX convention).
    #[default]
    Decay,
    /// `g` is ln α (fla, HF, ggml convention).
    Log,
}

/// Gate inputs: direct (`g`, `beta`) or the raw inputs of mlx-lm's `gated_delta_update`.
#[derive(Clone, Debug)]
pub enum Gate<T> {
    /// `g` `[B,T,Hv]` or `[B,T,Hv,Dk]` and `beta` `[B,T,Hv]`.
    Direct {
        /// The gate, decay or log form.
        g: T,
        /// β.
        beta: T,
        /// Which form `g` is in.
        form: GateForm,
    },
    /// α = exp(−exp(A_log)·softplus(a + dt_bias)), β = sigmoid(b).
    Raw {
        /// `a` `[B,T,Hv]`.
        a: T,
        /// `b` `[B,T,Hv]`.
        b: T,
        /// `A_log` `[Hv]`.
        a_log: T,
        /// `dt_bias` `[Hv]`.
        dt_bias: T,
    },
}

/// Everything one op call reads. `T` is [`HostTensor`] or [`GpuTensor`].
#[derive(Clone, Debug)]
pub struct Inputs<T> {
    /// Queries `[B,T,Hk,Dk]` (pre-normalised and pre-scaled, unless
    /// [`crate::CallOptions::qk_l2norm`] asks the op to normalise them).
    pub q: T,
    /// Keys `[B,T,Hk,Dk]` (pre-normalised, unless [`crate::CallOptions::qk_l2norm`]).
    pub k: T,
    /// Values `[B,T,Hv,Dv]`.
    pub v: T,
    /// The gate and β.
    pub gate: Gate<T>,
    /// Initial state `[B,Hv,Dv,Dk]` f32; zeros when absent.
    pub state: Option<T>,
    /// Mask `[B,T]` u8, 1 = real token; a masked step writes y = 0 and keeps the state.
    pub mask: Option<T>,
}

/// Host inputs.
pub type HostInputs<'a> = Inputs<HostTensor<'a>>;
/// GPU inputs.
pub type GpuInputs<'a> = Inputs<GpuTensor<'a>>;

/// Read access to a tensor's metadata, shared by host and GPU tensors.
pub trait TensorMeta {
    /// Element type.
    fn elem(&self) -> Elem;
    /// Shape.
    fn shape(&self) -> &[usize];
    /// Checks the storage against the shape (data length, or buffer size and usage).
    fn check_storage(&self, name: &'static str) -> Result<()>;
}

impl TensorMeta for HostTensor<'_> {
    fn elem(&self) -> Elem {
        self.data.elem()
    }
    fn shape(&self) -> &[usize] {
        &self.shape
    }
    fn check_storage(&self, name: &'static str) -> Result<()> {
        let expected = numel(&self.shape);
        if self.data.len() != expected {
            return Err(Error::Length {
                tensor: name,
                shape: fmt_shape(&self.shape),
                expected,
                found: self.data.len(),
            });
        }
        Ok(())
    }
}

impl TensorMeta for GpuTensor<'_> {
    fn elem(&self) -> Elem {
        self.elem
    }
    fn shape(&self) -> &[usize] {
        &self.shape
    }
    fn check_storage(&self, name: &'static str) -> Result<()> {
        let needed = padded_bytes(numel(&self.shape) * self.elem.size());
        if self.buffer.size() < needed {
            return Err(Error::Buffer {
                tensor: name,
                reason: format!(
                    "{} bytes, but shape {} of {} needs {needed} (rounded up to 4)",
                    self.buffer.size(),
                    fmt_shape(&self.shape),
                    self.elem
                ),
            });
        }
        if !self.buffer.usage().contains(wgpu::BufferUsages::STORAGE) {
            return Err(Error::Buffer {
                tensor: name,
                reason: "lacks STORAGE usage".into(),
            });
        }
        Ok(())
    }
}

/// Product of dims.
pub fn numel(shape: &[usize]) -> usize {
    shape.iter().product()
}

/// Bytes rounded up to a multiple of 4 (the GPU's word size).
pub fn padded_bytes(bytes: usize) -> u64 {
    bytes.div_ceil(4) as u64 * 4
}

/// `[a, b, c]`.
pub fn fmt_shape(shape: &[usize]) -> String {
    format!("{shape:?}")
}

/// How the gate of a validated problem is given.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum GateKind {
    /// Direct `g`/`beta`: form, whether `g` is per key dim, and the dtypes of `g` and `beta`.
    Direct {
        /// Decay or log.
        form: GateForm,
        /// `g` is `[B,T,Hv,Dk]`.
        per_key: bool,
        /// dtype of `g`.
        g: DType,
        /// dtype of `beta`.
        beta: DType,
    },
    /// Raw a/b/A_log/dt_bias with the dtypes of `a`/`b` and of `A_log`/`dt_bias`.
    Raw {
        /// dtype of `a` and `b`.
        ab: DType,
        /// dtype of `A_log` and `dt_bias`.
        params: DType,
    },
}

/// A validated call: dims, input dtype, gate kind, optional inputs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Problem {
    /// Batch size B.
    pub b: usize,
    /// Sequence length T.
    pub t: usize,
    /// Head shape.
    pub heads: HeadShape,
    /// Input dtype of q, k, v (and y).
    pub dtype: DType,
    /// Gate kind.
    pub gate: GateKind,
    /// An initial state was given.
    pub has_state: bool,
    /// A mask was given.
    pub has_mask: bool,
    /// Which key head each value head reads.
    pub head_map: HeadMap,
    /// q and k are L2-normalised over Dk inside the op ([`crate::CallOptions::qk_l2norm`]).
    pub qk_l2norm: bool,
}

/// Which key head value head h reads when Hv > Hk.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
pub enum HeadMap {
    /// h / (Hv / Hk): consecutive value heads share a key head (Qwen3-Next and Qwen3.5
    /// checkpoints, HF, fla, mlx-lm).
    #[default]
    Grouped,
    /// h % Hk: key heads repeat in turn, for weights converted with a tiled V-head order (as
    /// llama.cpp's converter writes them). Chosen explicitly with
    /// [`crate::CallOptions::head_map`].
    Tiled,
}

impl Problem {
    /// The key head value head `hv` reads.
    pub fn key_head(&self, hv: usize) -> usize {
        match self.head_map {
            HeadMap::Grouped => hv / self.heads.ratio(),
            HeadMap::Tiled => hv % self.heads.hk,
        }
    }
    /// Elements of y.
    pub fn y_len(&self) -> usize {
        self.b * self.t * self.heads.hv * self.heads.dv
    }
    /// Elements of the state.
    pub fn state_len(&self) -> usize {
        self.b * self.heads.hv * self.heads.dv * self.heads.dk
    }
    /// `B, T, (Hk, Hv, Dk, Dv), dtype` for messages.
    pub fn describe(&self) -> String {
        let h = self.heads;
        format!(
            "B={} T={} Hk={} Hv={} Dk={} Dv={} {}",
            self.b, self.t, h.hk, h.hv, h.dk, h.dv, self.dtype
        )
    }
}

fn float_dtype(name: &'static str, e: Elem) -> Result<DType> {
    match e {
        Elem::Float(d) => Ok(d),
        other => Err(Error::DType {
            tensor: name,
            expected: "f32, f16 or bf16".into(),
            found: other.to_string(),
        }),
    }
}

fn expect_shape(name: &'static str, got: &[usize], want: &[usize], words: &str) -> Result<()> {
    if got != want {
        return Err(Error::Shape {
            tensor: name,
            expected: format!("{} {words}", fmt_shape(want)),
            found: fmt_shape(got),
        });
    }
    Ok(())
}

/// Validates every tensor of a call and derives the problem. Never reads tensor data.
pub fn validate<T: TensorMeta>(inp: &Inputs<T>) -> Result<Problem> {
    let qs = inp.q.shape();
    if qs.len() != 4 {
        return Err(Error::Shape {
            tensor: "q",
            expected: "rank 4 [B,T,Hk,Dk]".into(),
            found: fmt_shape(qs),
        });
    }
    let (b, t, hk, dk) = (qs[0], qs[1], qs[2], qs[3]);
    let vs = inp.v.shape();
    if vs.len() != 4 || vs[0] != b || vs[1] != t {
        return Err(Error::Shape {
            tensor: "v",
            expected: format!("rank 4 [B,T,Hv,Dv] with B={b}, T={t} (from q)"),
            found: fmt_shape(vs),
        });
    }
    let (hv, dv) = (vs[2], vs[3]);
    for (tensor, dim, d, shape) in [
        ("q", "Hk", hk, qs),
        ("q", "Dk", dk, qs),
        ("v", "Hv", hv, vs),
        ("v", "Dv", dv, vs),
    ] {
        if d == 0 {
            return Err(Error::Shape {
                tensor,
                expected: format!("non-zero {dim}"),
                found: fmt_shape(shape),
            });
        }
    }
    if !hv.is_multiple_of(hk) {
        return Err(Error::Shape {
            tensor: "v",
            expected: format!("Hv a multiple of Hk = {hk} (grouped GQA)"),
            found: fmt_shape(vs),
        });
    }
    let dtype = float_dtype("q", inp.q.elem())?;
    expect_shape("k", inp.k.shape(), qs, "(same as q)")?;
    for (name, tensor) in [("k", &inp.k), ("v", &inp.v)] {
        if tensor.elem() != inp.q.elem() {
            return Err(Error::DType {
                tensor: name,
                expected: format!("{dtype} (the dtype of q)"),
                found: tensor.elem().to_string(),
            });
        }
    }
    let bth = [b, t, hv];
    let gate = match &inp.gate {
        Gate::Direct { g, beta, form } => {
            let gs = g.shape();
            let per_key = gs.len() == 4;
            if gs != bth && gs != [b, t, hv, dk] {
                return Err(Error::Shape {
                    tensor: "g",
                    expected: format!("{} or {}", fmt_shape(&bth), fmt_shape(&[b, t, hv, dk])),
                    found: fmt_shape(gs),
                });
            }
            expect_shape("beta", beta.shape(), &bth, "[B,T,Hv]")?;
            g.check_storage("g")?;
            beta.check_storage("beta")?;
            GateKind::Direct {
                form: *form,
                per_key,
                g: float_dtype("g", g.elem())?,
                beta: float_dtype("beta", beta.elem())?,
            }
        }
        Gate::Raw {
            a,
            b: bb,
            a_log,
            dt_bias,
        } => {
            expect_shape("a", a.shape(), &bth, "[B,T,Hv]")?;
            expect_shape("b", bb.shape(), &bth, "[B,T,Hv]")?;
            expect_shape("A_log", a_log.shape(), &[hv], "[Hv]")?;
            expect_shape("dt_bias", dt_bias.shape(), &[hv], "[Hv]")?;
            let ab = float_dtype("a", a.elem())?;
            if bb.elem() != a.elem() {
                return Err(Error::DType {
                    tensor: "b",
                    expected: format!("{ab} (the dtype of a)"),
                    found: bb.elem().to_string(),
                });
            }
            let params = float_dtype("A_log", a_log.elem())?;
            if dt_bias.elem() != a_log.elem() {
                return Err(Error::DType {
                    tensor: "dt_bias",
                    expected: format!("{params} (the dtype of A_log)"),
                    found: dt_bias.elem().to_string(),
                });
            }
            for (n, x) in [("a", a), ("b", bb), ("A_log", a_log), ("dt_bias", dt_bias)] {
                x.check_storage(n)?;
            }
            GateKind::Raw { ab, params }
        }
    };
    if let Some(s) = &inp.state {
        expect_shape("state", s.shape(), &[b, hv, dv, dk], "[B,Hv,Dv,Dk]")?;
        if s.elem() != Elem::Float(DType::F32) {
            return Err(Error::DType {
                tensor: "state",
                expected: "f32 (the state is always f32)".into(),
                found: s.elem().to_string(),
            });
        }
        s.check_storage("state")?;
    }
    if let Some(m) = &inp.mask {
        expect_shape("mask", m.shape(), &[b, t], "[B,T]")?;
        if m.elem() != Elem::U8 {
            return Err(Error::DType {
                tensor: "mask",
                expected: "u8 or bool".into(),
                found: m.elem().to_string(),
            });
        }
        m.check_storage("mask")?;
    }
    inp.q.check_storage("q")?;
    inp.k.check_storage("k")?;
    inp.v.check_storage("v")?;
    // The outputs are sized from the shapes alone (a zero-sized q with a huge Dk still asks for
    // the whole state), so their bytes are checked before any path allocates them.
    let mut budget = gdn_core::limits::Budget::new();
    budget
        .add("output `y`", &[b, t, hv, dv], dtype.size())
        .map_err(Error::Size)?;
    budget
        .add("output `state`", &[b, hv, dv, dk], 4)
        .map_err(Error::Size)?;
    Ok(Problem {
        b,
        t,
        heads: HeadShape::new(hk, hv, dk, dv),
        dtype,
        gate,
        has_state: inp.state.is_some(),
        has_mask: inp.mask.is_some(),
        head_map: HeadMap::Grouped,
        qk_l2norm: false,
    })
}

/// The first NaN/Inf of `data` as [`Error::NonFinite`] naming `tensor`; masks (u8) are skipped.
pub fn check_finite(tensor: &'static str, data: &HostData<'_>) -> Result<()> {
    if matches!(data, HostData::U8(_)) {
        return Ok(());
    }
    match (0..data.len()).find(|&i| !data.get(i).is_finite()) {
        Some(index) => Err(Error::NonFinite {
            tensor,
            index,
            value: data.get(index).to_string(),
        }),
        None => Ok(()),
    }
}

/// [`check_finite`] over every float input of a host call.
pub fn check_finite_inputs(inp: &HostInputs<'_>) -> Result<()> {
    check_finite("q", &inp.q.data)?;
    check_finite("k", &inp.k.data)?;
    check_finite("v", &inp.v.data)?;
    match &inp.gate {
        Gate::Direct { g, beta, .. } => {
            check_finite("g", &g.data)?;
            check_finite("beta", &beta.data)?;
        }
        Gate::Raw {
            a,
            b,
            a_log,
            dt_bias,
        } => {
            check_finite("a", &a.data)?;
            check_finite("b", &b.data)?;
            check_finite("A_log", &a_log.data)?;
            check_finite("dt_bias", &dt_bias.data)?;
        }
    }
    if let Some(s) = &inp.state {
        check_finite("state", &s.data)?;
    }
    Ok(())
}
