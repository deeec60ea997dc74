/// Why a checkpoint could not be loaded or a layer could not run.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The model config is unusable.
    #[error("{0}")]
    Config(#[from] gdn_core::ConfigError),
    /// A weights file or folder could not be read.
    #[error("weights {path}: {reason}")]
    Io {
        /// The file.
        path: String,
        /// The I/O error.
        reason: String,
    },
    /// A safetensors file is malformed (header, offsets, dtypes).
    #[error("weights {path}: not a valid safetensors file: {reason}")]
    Format {
        /// The file.
        path: String,
        /// What is wrong.
        reason: String,
    },
    /// A tensor the layer needs is absent.
    #[error("weights: missing tensor `{name}` ({what})")]
    Missing {
        /// Full tensor name.
        name: String,
        /// What it is.
        what: String,
    },
    /// A tensor has the wrong shape for the config.
    #[error("weights: tensor `{name}` has shape {found}, expected {expected} (from the config)")]
    Shape {
        /// Full tensor name.
        name: String,
        /// The shape found.
        found: String,
        /// The shape the config implies.
        expected: String,
    },
    /// The requested layer is not a linear-attention layer.
    #[error("layer {index} is {kind}, not linear attention (linear layers: {linear})")]
    NotLinear {
        /// The layer index.
        index: usize,
        /// What it is (`full attention` or `out of range`).
        kind: String,
        /// The linear-attention layer indices.
        linear: String,
    },
    /// A tensor-parallel shard is impossible for the layer: its degree (`Shard::of`) does not
    /// divide `Hk` (the message lists the degrees that do), or its rank is not below the degree.
    #[error("tensor-parallel shard (rank {rank} of {of}): {reason}")]
    Shard {
        /// `Shard::rank`.
        rank: usize,
        /// `Shard::of`.
        of: usize,
        /// What is wrong.
        reason: String,
    },
    /// An input to the layer is malformed.
    #[error("input `{name}`: {reason}")]
    Input {
        /// The input name.
        name: &'static str,
        /// What is wrong.
        reason: String,
    },
    /// A size derived from the config and the input passes the host memory limit or overflows.
    #[error(transparent)]
    Size(#[from] gdn_core::SizeError),
    /// The gated-delta op failed.
    #[error("{0}")]
    Op(#[from] gdn_runtime::Error),
}

/// Result alias of this crate.
pub type Result<T, E = Error> = std::result::Result<T, E>;
