//! Runtime specialisation (the `jit` feature): a shape, dtype and tier the build did not compile
//! is rendered and validated once with the same templates (`gdn_codegen::render_variant`), and the
//! variant is kept for the life of the process, so later calls dispatch it like a built one.

use crate::registry::RUNTIME_CONFIGS;
use crate::{DType, HeadShape, Tier, Variant};
use std::collections::HashMap;
use std::sync::Mutex;

/// Variants rendered so far, by shape, dtype and tier (failures too, so a bad shape is tried once).
type Cache = HashMap<(HeadShape, DType, Tier), Result<&'static Variant, String>>;

/// The runtime-rendered variants of a context, and whether rendering is on (off unless
/// [`crate::Context::set_runtime_specialisation`] or `GDN_JIT=1` turns it on).
#[derive(Debug)]
pub(crate) struct Jit {
    pub(crate) enabled: bool,
    cache: Mutex<Cache>,
}

impl Default for Jit {
    fn default() -> Self {
        Self {
            enabled: std::env::var("GDN_JIT").is_ok_and(|v| v == "1"),
            cache: Mutex::default(),
        }
    }
}

/// A rendered string kept for the process (variants are `'static`, as built ones are).
fn keep(s: String) -> &'static str {
    Box::leak(s.into_boxed_str())
}

impl Jit {
    /// The variant for a configuration, rendered on first use.
    pub(crate) fn variant(
        &self,
        shape: HeadShape,
        dtype: DType,
        tier: Tier,
    ) -> Result<&'static Variant, String> {
        let mut cache = self
            .cache
            .lock()
            .map_err(|_| "runtime variant cache poisoned".to_string())?;
        cache
            .entry((shape, dtype, tier))
            .or_insert_with(|| {
                let r =
                    gdn_codegen::render_variant(shape, dtype, tier).map_err(|e| e.to_string())?;
                log::info!("gdn: rendered {} at run time", r.planned.name);
                // The geometry comes from `Variant::new` and its `with_*`, as for built ones.
                let mut v = Variant::new(
                    keep(r.planned.name),
                    shape,
                    dtype,
                    tier,
                    keep(r.wgsl),
                    RUNTIME_CONFIGS,
                );
                if let Some(c) = r.chunked {
                    v = v.with_chunked(keep(c.name), keep(c.wgsl));
                }
                if let Some(c) = r.chunked_mma {
                    v = v.with_chunked_mma(keep(c.name), keep(c.wgsl));
                }
                Ok(&*Box::leak(Box::new(v)))
            })
            .clone()
    }
}
