//! Kernel pipelines compiled from the registry's WGSL, once per module, entry point and
//! specialisation (the templates' pipeline-overridable constants), and kept for the device.

use super::util::scoped;
use crate::{Error, HeadMap, Result};
use gdn_core::variant::overrides;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

/// A pipeline's key: module name, entry point, specialisation.
type Key = (&'static str, &'static str, Specialisation);

/// Compiled pipelines by [`Key`].
#[derive(Default)]
pub(crate) struct PipelineCache {
    map: Mutex<HashMap<Key, Arc<wgpu::ComputePipeline>>>,
}

/// The pipeline-overridable constants a kernel pipeline is compiled with (each combination is a
/// pipeline of its own, so the plain one keeps its constant divisors and addressing).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub(crate) struct Specialisation {
    /// The head map (`HEAD_TILED` for [`HeadMap::Tiled`]).
    pub(crate) map: HeadMap,
    /// States read and written in place in a pool (`POOLED`).
    pub(crate) pooled: bool,
    /// A varlen batch, sequence offsets bound as the mask (`VARLEN`).
    pub(crate) varlen: bool,
    /// Per-token snapshots (the recurrent kernel's `main_snap` entry point).
    pub(crate) snapshots: bool,
    /// q and k L2-normalised in the kernel (its unstaged `main_qkn` entry point).
    pub(crate) qk_norm: bool,
}

impl PipelineCache {
    /// The pipeline of `entry` in module `name` (source `wgsl`) under `spec`, compiled on first
    /// use.
    pub(crate) fn get(
        &self,
        device: &wgpu::Device,
        (name, wgsl, entry): (&'static str, &'static str, &'static str),
        spec: Specialisation,
        layout: &wgpu::PipelineLayout,
    ) -> Result<Arc<wgpu::ComputePipeline>> {
        let mut pipelines = self
            .map
            .lock()
            .map_err(|_| Error::Gpu("pipeline cache poisoned".into()))?;
        let key = (name, entry, spec);
        if let Some(p) = pipelines.get(&key) {
            return Ok(p.clone());
        }
        let mut constants: Vec<(&str, f64)> = Vec::new();
        if spec.map == HeadMap::Tiled {
            constants.push((overrides::HEAD_TILED, 1.0));
        }
        if spec.pooled {
            constants.push((overrides::POOLED, 1.0));
        }
        if spec.varlen {
            constants.push((overrides::VARLEN, 1.0));
        }
        let constants = constants.as_slice();
        let p = scoped(device, || {
            let module = device.create_shader_module(wgpu::ShaderModuleDescriptor {
                label: Some(name),
                source: wgpu::ShaderSource::Wgsl(wgsl.into()),
            });
            Ok(
                device.create_compute_pipeline(&wgpu::ComputePipelineDescriptor {
                    label: Some(name),
                    layout: Some(layout),
                    module: &module,
                    entry_point: Some(entry),
                    compilation_options: wgpu::PipelineCompilationOptions {
                        constants,
                        zero_initialize_workgroup_memory: false,
                    },
                    cache: None,
                }),
            )
        })?;
        let p = Arc::new(p);
        pipelines.insert(key, p.clone());
        Ok(p)
    }
}
