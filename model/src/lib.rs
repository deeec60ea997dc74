//! `gdn-model`: the Qwen3-Next / Qwen3.5 gated-delta (linear attention) layer on the gdn runtime.
//!
//! Text checkpoints ([`llm`]) and vision-language checkpoints ([`vlm`]) are separate entry points,
//! as in an engine, and both build the same [`LinearStack`], whose layers call the one runtime op
//! (`gdn_runtime::Context`) and expose its dispatch report per layer — so a VLM checkpoint can never
//! silently lose the kernel path while its text twin keeps it.

mod checkpoint;
pub mod cpu;
mod error;
mod gpu;
mod layer;
mod stack;
mod weights;

pub use checkpoint::Checkpoint;
pub use error::{Error, Result};
pub use layer::{Layer, LayerCache};
pub use stack::{llm, vlm, Layers, LinearStack};
pub use weights::{family_of, Dims, Family, LayerWeights, Layout};
