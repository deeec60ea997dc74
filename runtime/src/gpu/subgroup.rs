//! The subgroup size the `sg32` and `sg8` kernels may assume on a device: the adapter's where it
//! reports one size, else the size a probe dispatch measured where that size holds for every
//! pipeline (Apple GPUs, whose Metal adapter reports a range of 4..64 but which run SIMD groups of
//! 32).

use super::adapter::AdapterSummary;
use super::layouts::{main_pipeline, storage_entry};
use super::util::{read_pod, scoped, upload};
use std::fmt;

/// The probe: every invocation of a 256-wide workgroup (the kernels' widest) folds the
/// `subgroup_size` it runs with into the smallest and largest seen.
const PROBE_WGSL: &str = "
@group(0) @binding(0) var<storage, read_write> seen: array<atomic<u32>, 2>;

@compute @workgroup_size(256)
fn main(@builtin(subgroup_size) size: u32) {
    atomicMin(&seen[0], size);
    atomicMax(&seen[1], size);
}
";

/// A test hook: what a device reports, or what its probe finds, replaced, to run what another
/// platform would (a Mac's range of 4..64 on an adapter with a fixed size). Not for production:
/// a forced measured size is believed as if the probe had found it.
#[doc(hidden)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct SubgroupOverride {
    /// The range to report instead of the adapter's.
    pub reported: Option<(u32, u32)>,
    /// The size to take instead of running the probe.
    pub measured: Option<u32>,
}

/// What gdn knows of the subgroup size on a device.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SubgroupSize {
    /// The device was created without the `SUBGROUP` feature.
    Unavailable,
    /// The adapter reports this one size.
    Fixed(u32),
    /// The adapter reports a range; the probe measured this size, which every pipeline runs with.
    Measured {
        /// The measured size.
        size: u32,
        /// The adapter's range.
        reported: (u32, u32),
    },
    /// The adapter reports a range and the size is not known for every pipeline.
    Unknown {
        /// The adapter's range.
        reported: (u32, u32),
        /// Why it is not known.
        why: String,
    },
}

impl SubgroupSize {
    /// The size every pipeline on the device runs with, where known.
    pub fn size(&self) -> Option<u32> {
        match self {
            Self::Fixed(n) | Self::Measured { size: n, .. } => Some(*n),
            Self::Unavailable | Self::Unknown { .. } => None,
        }
    }

    /// The smallest size a pipeline may run with (the known size, else the reported minimum).
    pub fn at_least(&self) -> Option<u32> {
        match self {
            Self::Fixed(n) | Self::Measured { size: n, .. } => Some(*n),
            Self::Unknown { reported, .. } => Some(reported.0),
            Self::Unavailable => None,
        }
    }

    /// Whether the size was learnt by the probe rather than reported.
    pub fn measured(&self) -> bool {
        matches!(self, Self::Measured { .. })
    }

    /// Learns the size on `device`, running the probe only where the adapter reports a range
    /// and a measured size holds for every pipeline. `real` is the adapter's own range (it
    /// differs from `summary`'s under a [`SubgroupOverride`]).
    pub(crate) fn learn(
        device: &wgpu::Device,
        queue: &wgpu::Queue,
        summary: &AdapterSummary,
        real: (u32, u32),
        forced: SubgroupOverride,
    ) -> Self {
        if !device.features().contains(wgpu::Features::SUBGROUP) {
            return Self::Unavailable;
        }
        let reported = summary.subgroup_sizes;
        if reported.0 == reported.1 {
            return Self::Fixed(reported.0);
        }
        // Vulkan drivers that report a range (Intel 8..32, AMD 32..64) may compile each pipeline
        // for another size, so a probe's size says nothing of the kernels' there. Apple GPUs run
        // SIMD groups of 32 in every pipeline; under the test hook the adapter's real size is
        // fixed, so the probe measures what the kernels run with.
        let one_width = (summary.backend == wgpu::Backend::Metal
            && summary.name.starts_with("Apple"))
            || (forced.reported.is_some() && real.0 == real.1);
        if !one_width {
            return Self::Unknown {
                reported,
                why: "a pipeline may be compiled for any size in the range".into(),
            };
        }
        let size = match forced.measured {
            Some(n) => Ok(n),
            None => probe(device, queue),
        };
        match size {
            Ok(size) => Self::Measured { size, reported },
            Err(e) => {
                log::warn!("gdn: the subgroup-size probe failed ({e}); portable kernels only");
                Self::Unknown {
                    reported,
                    why: format!("the probe failed: {e}"),
                }
            }
        }
    }
}

impl fmt::Display for SubgroupSize {
    /// `subgroup size 32`, `subgroup size 32 measured; adapter reports 4..64`, ...
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Unavailable => f.write_str("no SUBGROUP feature on the device"),
            Self::Fixed(n) => write!(f, "subgroup size {n}"),
            Self::Measured {
                size,
                reported: (lo, hi),
            } => write!(
                f,
                "subgroup size {size} measured; adapter reports {lo}..{hi}"
            ),
            Self::Unknown {
                reported: (lo, hi),
                why,
            } => write!(f, "subgroup size {lo}..{hi} ({why})"),
        }
    }
}

/// Runs [`PROBE_WGSL`] once and reads back the size it saw, or why it could not.
fn probe(device: &wgpu::Device, queue: &wgpu::Queue) -> Result<u32, String> {
    let seen = scoped(device, || {
        let buffer = upload(
            device,
            "gdn subgroup probe",
            bytemuck::cast_slice(&[u32::MAX, 0]),
            wgpu::BufferUsages::COPY_SRC,
        );
        let layout = device.create_bind_group_layout(&wgpu::BindGroupLayoutDescriptor {
            label: Some("gdn subgroup probe"),
            entries: &[storage_entry(0, false)],
        });
        let pipeline = main_pipeline(device, "gdn subgroup probe", PROBE_WGSL, &layout);
        let group = device.create_bind_group(&wgpu::BindGroupDescriptor {
            label: Some("gdn subgroup probe"),
            layout: &layout,
            entries: &[wgpu::BindGroupEntry {
                binding: 0,
                resource: buffer.as_entire_binding(),
            }],
        });
        let mut encoder = device.create_command_encoder(&Default::default());
        {
            let mut pass = encoder.begin_compute_pass(&Default::default());
            pass.set_pipeline(&pipeline);
            pass.set_bind_group(0, &group, &[]);
            pass.dispatch_workgroups(1, 1, 1);
        }
        queue.submit([encoder.finish()]);
        Ok::<_, crate::Error>(buffer)
    })
    .and_then(|buffer| read_pod::<u32>(device, queue, &buffer, 0, 2))
    .map_err(|e| e.to_string())?;
    match seen[..] {
        [lo, hi] if lo == hi && lo.is_power_of_two() => Ok(lo),
        [lo, hi] if lo <= hi => Err(format!("one dispatch ran subgroups of {lo} to {hi}")),
        _ => Err("no invocation ran".into()),
    }
}

#[cfg(test)]
mod tests {
    use super::SubgroupSize;

    #[test]
    fn what_each_size_allows_and_says() {
        let mac = SubgroupSize::Measured {
            size: 32,
            reported: (4, 64),
        };
        assert_eq!(mac.size(), Some(32));
        assert_eq!(
            mac.to_string(),
            "subgroup size 32 measured; adapter reports 4..64"
        );
        // A range whose size is not known: only its minimum may be assumed.
        let intel = SubgroupSize::Unknown {
            reported: (8, 32),
            why: "a pipeline may be compiled for any size in the range".into(),
        };
        assert_eq!((intel.size(), intel.at_least()), (None, Some(8)));
        assert_eq!(SubgroupSize::Unavailable.at_least(), None);
        assert_eq!(SubgroupSize::Fixed(8).to_string(), "subgroup size 8");
    }
}
