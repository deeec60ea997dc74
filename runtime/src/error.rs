/// Why an op call or device setup failed. Messages name the tensor or setting and the expectation.
#[derive(Debug, thiserror::Error, Clone, PartialEq)]
#[non_exhaustive]
pub enum Error {
    /// A tensor has the wrong rank or dimensions.
    #[error("tensor `{tensor}`: shape {found}, expected {expected}")]
    Shape {
        /// Tensor or argument name (`q`, `k`, `v`, `g`, `beta`, `a`, `b`, `A_log`, `dt_bias`,
        /// `state`, `mask`; `cu_seqlens`, `positions`, `slots` for the serving entry points).
        tensor: &'static str,
        /// The expected shape, in words.
        expected: String,
        /// The shape given.
        found: String,
    },
    /// A tensor has a dtype the op does not take there.
    #[error("tensor `{tensor}`: dtype {found}, expected {expected}")]
    DType {
        /// Tensor name.
        tensor: &'static str,
        /// Accepted dtypes.
        expected: String,
        /// The dtype given.
        found: String,
    },
    /// A host tensor's data length does not match its shape.
    #[error("tensor `{tensor}`: {found} elements of data for shape {shape} ({expected} elements)")]
    Length {
        /// Tensor name.
        tensor: &'static str,
        /// The shape given.
        shape: String,
        /// Elements the shape implies.
        expected: usize,
        /// Elements given.
        found: usize,
    },
    /// A GPU buffer is smaller than its tensor, or lacks a usage flag.
    #[error("buffer `{tensor}`: {reason}")]
    Buffer {
        /// Tensor name.
        tensor: &'static str,
        /// What is wrong.
        reason: String,
    },
    /// Two tensors of a call share a buffer in a way the call cannot run with.
    #[error("tensors `{first}` and `{second}` share a buffer: {reason}")]
    Alias {
        /// The first tensor.
        first: &'static str,
        /// The second tensor.
        second: &'static str,
        /// Why that is refused.
        reason: String,
    },
    /// Buffers bound to a prepared call do not match what it was prepared for.
    #[error("prepared call: {0}")]
    Prepared(String),
    /// A GPU call was made on a context that has no GPU device.
    #[error("no GPU device in this context: {0}")]
    NoDevice(String),
    /// No usable adapter was found when one was required.
    #[error("no GPU adapter: {0}")]
    NoAdapter(String),
    /// The adapter refused to create a device.
    #[error("device request failed: {0}")]
    DeviceRequest(String),
    /// No kernel can serve the call where one is required: strict mode (which would otherwise
    /// fall back to the ops path), a forced kernel or chunked path, or a GPU-buffer entry point
    /// that only kernels serve. Names the missing configuration.
    #[error("no precompiled kernel for {config}: {reason}")]
    NoKernel {
        /// The configuration that has no kernel (shape, dtype, tier).
        config: String,
        /// Why none matched.
        reason: String,
    },
    /// The work exceeds a device limit and cannot be split.
    #[error("{what} needs {needed}, but the device limit is {limit}")]
    Limit {
        /// What exceeds the limit.
        what: String,
        /// The amount needed.
        needed: u64,
        /// The device's limit.
        limit: u64,
    },
    /// wgpu reported an error (validation, out of memory, device lost) while running the op.
    #[error("GPU error: {0}")]
    Gpu(String),
    /// A non-finite value was found where checking was requested.
    #[error("tensor `{tensor}`: non-finite value {value} at flat index {index}")]
    NonFinite {
        /// Tensor name.
        tensor: &'static str,
        /// Flat element index.
        index: usize,
        /// The value, printed.
        value: String,
    },
    /// An output would pass the host memory limit, or its size overflows
    /// ([`gdn_core::limits`]); checked before anything is allocated.
    #[error(transparent)]
    Size(gdn_core::SizeError),
    /// An invalid option or environment setting.
    #[error("invalid setting {name}: {reason}")]
    Setting {
        /// The option or variable.
        name: String,
        /// What is wrong.
        reason: String,
    },
}

/// Result alias of the runtime.
pub type Result<T, E = Error> = std::result::Result<T, E>;
