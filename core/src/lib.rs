//! Shared vocabulary of gdn, used by the build-time generator and the runtime alike:
//! input dtypes, the head shape of a linear-attention layer, feature tiers, variant
//! naming, and the parser for Hugging Face `config.json` files.

pub mod config;
pub mod limits;
mod shape;

pub use config::{ConfigError, ConfigForm, LayerKind, ModelConfig, TextConfig};
pub use limits::SizeError;
pub use shape::{DType, HeadShape, Tier};
