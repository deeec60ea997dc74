//! `gdn-model`: the Qwen3-Next / Qwen3.5 gated-delta (linear attention) layer on the gdn runtime.
//!
//! Text checkpoints ([`llm`]) and vision-language checkpoints ([`vlm`]) are separate entry points,
//! as in an engine, and both build the same [`LinearStack`], whose layers call the one runtime op
//! (`gdn_runtime::Context`) and expose its dispatch report per layer — so a VLM checkpoint can never
//! silently lose the kernel path while its text twin keeps it.
//!
//! A layer runs projections → causal depthwise conv1d → SiLU → q/k normalisation (q scaled by
//! 1/√Dk) → α, β from the raw gates → the recurrence → gated RMSNorm → out_proj, in f32 arithmetic
//! (the repository's `docs/CONTRACT.md`, section 10, lists the tensors it reads). Checkpoints load
//! with [`llm::load`] and [`vlm::load`]; weights already in memory with `from_weights`; one
//! tensor-parallel rank's head shard of either with the `*_shard` variants (see [`Shard`]):
//!
//! ```
//! use gdn_model::{llm, vlm, LayerWeights};
//! use gdn_core::ModelConfig;
//! use gdn_runtime::{Context, Registry};
//!
//! // A tiny model: one linear-attention layer (Hk = 2, Hv = 4, Dk = Dv = 16) and one full one.
//! let text = r#"{"hidden_size": 32, "num_hidden_layers": 2, "rms_norm_eps": 1e-6,
//!     "linear_num_key_heads": 2, "linear_num_value_heads": 4, "linear_key_head_dim": 16,
//!     "linear_value_head_dim": 16, "linear_conv_kernel_dim": 4,
//!     "layer_types": ["linear_attention", "full_attention"]}"#;
//! let flat = ModelConfig::from_json_str(text, "tiny")?;
//! let nested = ModelConfig::from_json_str(&format!(r#"{{"text_config": {text}}}"#), "tiny-vl")?;
//! assert_eq!(flat.linear_layers(), [0]);
//!
//! let ctx = Context::cpu(Registry::empty()); // a GPU context records every op as a kernel
//! let w = LayerWeights::random(&gdn_model::Dims::of(&flat.text), 7);
//! let mut lm = llm::from_weights(&ctx, &flat, vec![(0, w.clone())])?;
//! let mut vl = vlm::from_weights(&ctx, &nested, vec![(0, w)])?;
//!
//! // Prefill 5 tokens, then decode one: the same as a prefill of all 6.
//! let (b, hidden) = (1, 32);
//! let x: Vec<f32> = (0..6 * hidden).map(|i| ((i * 37 % 101) as f32 - 50.0) / 50.0).collect();
//! let mut y = lm.forward(&ctx, &x[..5 * hidden], b, 5)?;
//! y.extend(lm.forward(&ctx, &x[5 * hidden..], b, 1)?);
//! let whole = vl.forward(&ctx, &x, b, 6)?;
//! let close = y.iter().zip(&whole).all(|(p, q)| (p - q).abs() <= 1e-4 * (1.0 + q.abs()));
//! assert!(close);
//!
//! // Every layer reports the path its recurrence took: the text and VLM stacks take the same.
//! assert_eq!(lm.reports()[0].path, vl.reports()[0].path);
//! lm.reset(); // a new sequence: caches back to zero
//! # Ok::<(), gdn_model::Error>(())
//! ```

mod checkpoint;
pub mod cpu;
mod error;
mod gpu;
mod layer;
mod shard;
mod stack;
mod weights;

pub use checkpoint::Checkpoint;
pub use error::{Error, Result};
pub use layer::{Layer, LayerCache};
pub use shard::Shard;
pub use stack::{llm, vlm, Layers, LinearStack};
pub use weights::{family_of, Dims, Family, LayerWeights, Layout};
