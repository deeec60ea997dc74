//! The wgpu side: device setup, variant pipelines, the kernel path and the ops path on the GPU.

mod adapter;
mod chunked;
mod compile;
mod device;
mod helpers;
mod kernel;
mod l2norm;
mod layouts;
mod ops;
mod outputs;
mod pool;
mod program;
mod subgroup;
mod util;
mod views;

pub use adapter::{AdapterSummary, DeviceRequest, NO_MMA_ENV};
pub(crate) use chunked::{chunked_steps, segment_chunks, CHUNKED_WORKSPACE_BYTES};
pub(crate) use compile::Specialisation;
pub use device::GpuDevice;
pub(crate) use kernel::kernel_steps;
pub(crate) use l2norm::normalise_qk;
pub use layouts::{bind_layout, pipelines};
pub(crate) use ops::ops_steps;
pub(crate) use outputs::{OutBuffers, Seqs};
pub(crate) use pool::{push_copy, record_move};
pub(crate) use program::{BufferRange, Program};
pub use subgroup::{SubgroupOverride, SubgroupSize};
pub use util::{init_buffer, read_buffer, scoped};
pub(crate) use util::{read_pod, upload};
pub(crate) use views::{gather_views, kernel_reads};
