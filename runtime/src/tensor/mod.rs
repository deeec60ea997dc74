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

/// A tensor in a GPU buffer, with its element type and shape: the whole buffer from its start, or
/// a view from a byte offset ([`GpuTensor::at`]), e.g. q, k and v inside one packed projection
/// output, or one sequence's state inside a pool; q, k and v may also have their token rows
/// apart by a stride ([`GpuTensor::with_row_stride`]), to read them from the rows of a packed
/// projection output of any B and T.
///
/// 16-bit data is packed two per 32-bit word exactly as in host memory. The buffer needs `STORAGE`
/// usage and must hold the tensor's bytes, rounded up to a multiple of 4, from the offset on; the
/// offset must be a multiple of the device's `min_storage_buffer_offset_alignment` (256 on most
/// GPUs). Calls check all of this before recording anything. The buffer must be of the context's
/// device: one of another device of the same `wgpu::Instance` is refused by name, but wgpu knows
/// resources of another instance only by an id it cannot tell apart, so create every device an
/// engine shares with gdn from one instance ([`crate::GpuDevice::instance`] or the engine's own).
///
/// ```no_run
/// # fn f(device: &gdn_runtime::wgpu::Device) {
/// use gdn_runtime::{wgpu, DType, GpuTensor};
/// // q, k and v of one decode step of (Hk, Hv, Dk, Dv) = (2, 4, 64, 64), bf16, packed in one buffer.
/// let packed = device.create_buffer(&wgpu::BufferDescriptor {
///     label: Some("qkv"),
///     size: ((2 * 2 * 64 + 4 * 64) * 2) as u64,
///     usage: wgpu::BufferUsages::STORAGE,
///     mapped_at_creation: false,
/// });
/// let q = GpuTensor::new(&packed, DType::BF16, &[1, 1, 2, 64]);
/// let k = GpuTensor::new(&packed, DType::BF16, &[1, 1, 2, 64]).at(2 * 64 * 2);
/// let v = GpuTensor::new(&packed, DType::BF16, &[1, 1, 4, 64]).at(2 * 2 * 64 * 2);
/// # }
/// ```
#[derive(Clone, Debug)]
pub struct GpuTensor<'a> {
    /// The buffer.
    pub buffer: &'a wgpu::Buffer,
    /// Element type.
    pub elem: Elem,
    /// The shape.
    pub shape: Vec<usize>,
    /// Byte offset of the first element in `buffer` (0: the buffer's start).
    pub offset: u64,
    /// Elements from the start of one token row (one (b, t) of `[B, T, ...]`) to the start of the
    /// next; `None`: dense, rows back to back. Within a row the tensor is dense.
    pub row_stride: Option<usize>,
}

impl<'a> GpuTensor<'a> {
    /// A float tensor in `buffer`.
    pub fn new(buffer: &'a wgpu::Buffer, dtype: DType, shape: &[usize]) -> Self {
        Self {
            buffer,
            elem: Elem::Float(dtype),
            shape: shape.to_vec(),
            offset: 0,
            row_stride: None,
        }
    }
    /// A u8 mask tensor in `buffer`.
    pub fn mask(buffer: &'a wgpu::Buffer, shape: &[usize]) -> Self {
        Self {
            buffer,
            elem: Elem::U8,
            shape: shape.to_vec(),
            offset: 0,
            row_stride: None,
        }
    }
    /// The same tensor as a view starting `offset` bytes into its buffer.
    pub fn at(self, offset: u64) -> Self {
        Self { offset, ..self }
    }
    /// The same tensor with its token rows `stride` elements apart: row (b, t) of a `[B, T, H, D]`
    /// tensor starts at element `(b·T + t)·stride` of the view (from its offset), and holds its H·D
    /// elements back to back. For q, k and v read from the rows of a packed projection output
    /// `[B, T, C]` (C = 2·Hk·Dk + Hv·Dv): all three take the stride C, k starts Hk·Dk elements
    /// into the buffer and v 2·Hk·Dk elements.
    ///
    /// Only q, k and v take a stride (any other tensor with one is refused by name). The stride
    /// must be at least a row (H·D), the last row must end inside the buffer, and the offset must
    /// be a multiple of 4 bytes; unlike a dense view it need not be a multiple of the device's
    /// storage offset alignment (the runtime binds the buffer from the aligned byte below it).
    /// The recurrent kernels read such views in place; the other paths first pack them densely
    /// with a dispatch of the call's own pass, and the dispatch report says so.
    ///
    /// ```no_run
    /// # fn f(device: &gdn_runtime::wgpu::Device) {
    /// use gdn_runtime::{wgpu, DType, GpuTensor};
    /// // A packed bf16 projection output [B, T, C] of (Hk, Hv, Dk, Dv) = (2, 4, 24, 40), B = 3, T = 5.
    /// let (b, t, hk, hv, dk, dv) = (3, 5, 2, 4, 24, 40);
    /// let c = 2 * hk * dk + hv * dv;
    /// let packed = device.create_buffer(&wgpu::BufferDescriptor {
    ///     label: Some("qkv"),
    ///     size: (b * t * c * 2) as u64,
    ///     usage: wgpu::BufferUsages::STORAGE,
    ///     mapped_at_creation: false,
    /// });
    /// let q = GpuTensor::new(&packed, DType::BF16, &[b, t, hk, dk]).with_row_stride(c);
    /// let k = GpuTensor::new(&packed, DType::BF16, &[b, t, hk, dk])
    ///     .at((hk * dk * 2) as u64)
    ///     .with_row_stride(c);
    /// let v = GpuTensor::new(&packed, DType::BF16, &[b, t, hv, dv])
    ///     .at((2 * hk * dk * 2) as u64)
    ///     .with_row_stride(c);
    /// # }
    /// ```
    pub fn with_row_stride(self, stride: usize) -> Self {
        Self {
            row_stride: Some(stride),
            ..self
        }
    }
    /// Token rows (the first two dims, B·T) and elements per row (the rest).
    pub(crate) fn rows(&self) -> (usize, usize) {
        let rows = self.shape.iter().take(2).product();
        (rows, self.shape.iter().skip(2).product())
    }
    /// Elements from the first element to past the last (rows apart by the stride); `None` when
    /// that overflows.
    pub(crate) fn span(&self) -> Option<usize> {
        match self.row_stride {
            None => Some(numel(&self.shape)),
            Some(stride) => match self.rows() {
                (0, _) | (_, 0) => Some(0),
                (rows, row) => (rows - 1).checked_mul(stride)?.checked_add(row),
            },
        }
    }
    /// Bytes the tensor covers from its offset (to the end of its last row), rounded up to whole
    /// 32-bit words.
    pub fn bytes(&self) -> u64 {
        self.span()
            .and_then(|n| n.checked_mul(self.elem.size()))
            .map_or(u64::MAX, padded_bytes)
    }
    /// The binding of this tensor: its bytes from its offset (at least one word, for empty
    /// tensors, as bindings cannot be empty).
    pub(crate) fn range(&self) -> crate::gpu::BufferRange {
        crate::gpu::BufferRange {
            buffer: self.buffer.clone(),
            offset: self.offset,
            size: Some(self.bytes().max(4)),
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
    /// Elements between token rows, where the tensor is a row-strided view.
    fn row_stride(&self) -> Option<usize> {
        None
    }
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
    fn row_stride(&self) -> Option<usize> {
        self.row_stride
    }
    fn check_storage(&self, name: &'static str) -> Result<()> {
        if let Some(stride) = self.row_stride {
            let (_, row) = self.rows();
            if stride < row {
                return Err(Error::Buffer {
                    tensor: name,
                    reason: format!(
                        "row stride {stride} elements is shorter than a row of shape {} ({row} \
                         elements)",
                        fmt_shape(&self.shape)
                    ),
                });
            }
        }
        let needed = self.bytes();
        if self
            .offset
            .checked_add(needed)
            .is_none_or(|end| end > self.buffer.size())
        {
            let from = if self.offset > 0 {
                format!(" from byte {}", self.offset)
            } else {
                String::new()
            };
            let strided = match self.row_stride {
                Some(s) => format!(" with rows {s} elements apart"),
                None => String::new(),
            };
            return Err(Error::Buffer {
                tensor: name,
                reason: format!(
                    "{} bytes, but shape {} of {}{strided} needs {needed}{from} (rounded up to 4)",
                    self.buffer.size(),
                    fmt_shape(&self.shape),
                    self.elem
                ),
            });
        }
        if !self.offset.is_multiple_of(4) {
            return Err(Error::Buffer {
                tensor: name,
                reason: format!("view offset {} is not a multiple of 4 bytes", self.offset),
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
    /// The validated problem of a call's inputs (grouped head map, q and k normalised by the
    /// caller; [`crate::Context::prepare`] applies the options).
    pub fn of<T: TensorMeta>(inputs: &Inputs<T>) -> Result<Self> {
        validate(inputs)
    }
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
    /// A caller's in-place state (`[B, Hv, Dv, Dk]`) and, when given, y (`[B, T, Hv, Dv]`) of
    /// `state` and `y` values: an error naming the tensor unless each has this problem's length.
    pub(crate) fn check_in_place(&self, state: usize, y: Option<usize>) -> Result<()> {
        let h = self.heads;
        let state_check = Some(("state", [self.b, h.hv, h.dv, h.dk], self.state_len(), state));
        let y_check = y.map(|y| ("y", [self.b, self.t, h.hv, h.dv], self.y_len(), y));
        for (tensor, shape, expected, found) in [state_check, y_check].into_iter().flatten() {
            if expected != found {
                return Err(Error::Length {
                    tensor,
                    shape: fmt_shape(&shape),
                    expected,
                    found,
                });
            }
        }
        Ok(())
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

mod checks;
pub use checks::{check_finite, check_finite_inputs, validate};
