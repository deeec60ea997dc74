//! Shared vocabulary of gdn, used by the build-time generator and the runtime alike:
//! input dtypes, the head shape of a linear-attention layer, feature tiers, kernel variants (their
//! names, modules and geometry: [`Variant`]), and the parser for Hugging Face `config.json` files.
//!
//! A config is read the same way whether it is flat (text checkpoints such as Qwen3-Next) or
//! nests its fields under `text_config` (the vision-language Qwen3.5 checkpoints):
//!
//! ```
//! use gdn_core::{ConfigForm, DType, HeadShape, ModelConfig, Tier};
//!
//! let json = r#"{
//!     "architectures": ["Qwen3_5ForConditionalGeneration"],
//!     "model_type": "qwen3_5",
//!     "text_config": {
//!         "hidden_size": 2048, "num_hidden_layers": 8, "rms_norm_eps": 1e-6,
//!         "linear_num_key_heads": 16, "linear_num_value_heads": 32,
//!         "linear_key_head_dim": 128, "linear_value_head_dim": 128,
//!         "linear_conv_kernel_dim": 4, "full_attention_interval": 4
//!     }
//! }"#;
//! let cfg = ModelConfig::from_json_str(json, "example/config.json")?;
//! assert_eq!(cfg.form, ConfigForm::Nested);
//! // Without `layer_types`, every fourth layer is full attention.
//! assert_eq!(cfg.linear_layers(), [0, 1, 2, 4, 5, 6]);
//!
//! let heads = cfg.head_shape();
//! assert_eq!(heads, HeadShape::new(16, 32, 128, 128));
//! assert_eq!(heads.ratio(), 2); // value head h reads key head h / 2
//! assert_eq!(
//!     heads.variant_name(DType::BF16, Tier::Subgroup32),
//!     "recurrent_hk16_hv32_dk128_dv128_bf16_sg32"
//! );
//! # Ok::<(), gdn_core::ConfigError>(())
//! ```
//!
//! The semantics of the op these shapes describe are in the repository's `docs/CONTRACT.md`.

pub mod abi;
pub mod config;
pub mod limits;
mod shape;
pub mod variant;

pub use config::{ConfigError, ConfigForm, LayerKind, ModelConfig, TextConfig};
pub use limits::SizeError;
pub use shape::{DType, HeadShape, Tier};
pub use variant::{ChunkGeometry, ChunkedModule, Geometry, ModuleKind, Variant};
