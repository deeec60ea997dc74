use gdn_core::ConfigError;
use std::fmt;
use std::path::PathBuf;

/// Why kernel generation failed. Every message names the config, variant and template involved.
///
/// `Debug` prints the same text as `Display`, so `fn main() -> Result<(), Box<dyn Error>>` in a
/// build script shows the rendered diagnostic rather than a struct dump.
#[derive(thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A model config could not be read or parsed.
    #[error("gdn-codegen: {0}")]
    Config(#[from] ConfigError),
    /// A config path (given to the builder or in the extra-configs variable) is unusable.
    #[error("gdn-codegen: config path {path}: {reason}")]
    ConfigPath {
        /// The path.
        path: PathBuf,
        /// What is wrong with it.
        reason: String,
    },
    /// A head shape given to [`crate::Builder::shape`] is invalid.
    #[error("gdn-codegen: head shape {shape}: {reason}")]
    Shape {
        /// The shape, as `hkN_hvN_dkN_dvN`.
        shape: String,
        /// What is wrong with it.
        reason: String,
    },
    /// A tensor-parallel degree is unusable: not a positive integer, or not a divisor of a
    /// config's key heads (the message lists the degrees that work for it).
    #[error("gdn-codegen: tensor-parallel shards of {of}: {reason}")]
    TensorParallel {
        /// The config (or the environment variable) the degree applies to.
        of: String,
        /// What is wrong, with the degrees that work.
        reason: String,
    },
    /// Nothing to generate: no config and no shape was given.
    #[error("gdn-codegen: no model config or head shape given; nothing to generate")]
    Empty,
    /// A template could not be loaded or rendered.
    #[error("gdn-codegen: template {template} failed for variant {variant} (configs: {configs}):\n{message}")]
    Template {
        /// Template file name.
        template: String,
        /// Variant being rendered.
        variant: String,
        /// Configs that asked for the variant.
        configs: String,
        /// Tera's error chain.
        message: String,
    },
    /// naga rejected the rendered WGSL for the features the variant runs under.
    #[error("gdn-codegen: {0}")]
    Validation(Box<InvalidVariant>),
    /// A backend translation (MSL, SPIR-V, HLSL) failed.
    #[error("gdn-codegen: variant {variant} (configs: {configs}) does not translate to {backend}: {message}")]
    Translation {
        /// Variant name.
        variant: String,
        /// Configs that asked for the variant.
        configs: String,
        /// The backend (`msl`, `spir-v`, `hlsl`).
        backend: &'static str,
        /// naga's error.
        message: String,
    },
    /// Reading a template or writing a generated file failed.
    #[error("gdn-codegen: {path}: {reason}")]
    Io {
        /// The file or folder.
        path: PathBuf,
        /// The I/O error.
        reason: String,
    },
    /// No output folder: `OUT_DIR` is unset (not in a build script) and none was given.
    #[error("gdn-codegen: OUT_DIR is not set; call from a build script or set Builder::out_dir")]
    NoOutDir,
}

/// Details of a variant naga rejected.
#[derive(Debug, thiserror::Error)]
#[error("variant {variant} (configs: {configs}, template {template}) is invalid WGSL for features [{features}]; rendered file {rendered}:\n{diagnostic}", rendered = rendered.display())]
pub struct InvalidVariant {
    /// Variant name.
    pub variant: String,
    /// Configs that asked for the variant.
    pub configs: String,
    /// Template file name.
    pub template: String,
    /// wgpu features the variant was validated under.
    pub features: String,
    /// Path of the rendered WGSL the diagnostic points into.
    pub rendered: PathBuf,
    /// naga's rendered diagnostic.
    pub diagnostic: String,
}

impl fmt::Debug for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

pub(crate) fn io_err(path: impl Into<PathBuf>) -> impl FnOnce(std::io::Error) -> Error {
    let path = path.into();
    move |e| Error::Io {
        path,
        reason: e.to_string(),
    }
}
