//! A call as a list of dispatches made once and recorded any number of times: every pipeline,
//! parameter block and bind group of the call is created when the program is built, and
//! recording only sets pipelines and bind groups and dispatches (no wgpu object is created, no
//! poll). All of a call's dispatches go into one compute pass, the caller's or one of its own.

/// One dispatch: pipeline, bind group (with its dynamic offset, if the layout has one) and grid.
#[derive(Clone, Debug)]
pub(crate) struct Step {
    pipeline: wgpu::ComputePipeline,
    bind_group: wgpu::BindGroup,
    offset: Option<u32>,
    groups: [u32; 3],
}

/// The dispatches of one call, in order. wgpu orders the dispatches of a pass that share a
/// writable buffer, so steps may depend on earlier ones.
#[derive(Clone, Debug, Default)]
pub(crate) struct Program {
    steps: Vec<Step>,
}

impl Program {
    /// Appends one dispatch.
    pub(crate) fn push(
        &mut self,
        pipeline: &wgpu::ComputePipeline,
        bind_group: wgpu::BindGroup,
        offset: Option<u32>,
        groups: [u32; 3],
    ) {
        self.steps.push(Step {
            pipeline: pipeline.clone(),
            bind_group,
            offset,
            groups,
        });
    }

    /// Appends the steps of another program.
    pub(crate) fn extend(&mut self, other: Program) {
        self.steps.extend(other.steps);
    }

    /// Dispatches in the program.
    pub(crate) fn len(&self) -> usize {
        self.steps.len()
    }

    /// Records every dispatch into an open compute pass.
    pub(crate) fn record_in_pass(&self, pass: &mut wgpu::ComputePass<'_>) {
        for s in &self.steps {
            pass.set_pipeline(&s.pipeline);
            match s.offset {
                Some(o) => pass.set_bind_group(0, &s.bind_group, &[o]),
                None => pass.set_bind_group(0, &s.bind_group, &[]),
            }
            let [x, y, z] = s.groups;
            pass.dispatch_workgroups(x, y, z);
        }
    }

    /// Records every dispatch into one compute pass of its own on `enc` (with `timestamps`
    /// around it); records nothing for an empty program.
    pub(crate) fn record(
        &self,
        enc: &mut wgpu::CommandEncoder,
        label: &str,
        timestamps: Option<wgpu::ComputePassTimestampWrites<'_>>,
    ) {
        if self.steps.is_empty() && timestamps.is_none() {
            return;
        }
        let mut pass = enc.begin_compute_pass(&wgpu::ComputePassDescriptor {
            label: Some(label),
            timestamp_writes: timestamps,
        });
        self.record_in_pass(&mut pass);
    }
}

/// A byte range of a buffer as a binding: a whole buffer, or a tensor view. Holds a handle to
/// the buffer (cheap to clone), so programs keep what they bind alive.
#[derive(Clone, Debug)]
pub(crate) struct BufferRange {
    pub(crate) buffer: wgpu::Buffer,
    pub(crate) offset: u64,
    /// Bytes bound (`None`: to the end of the buffer).
    pub(crate) size: Option<u64>,
}

impl BufferRange {
    /// The whole buffer.
    pub(crate) fn whole(buffer: &wgpu::Buffer) -> Self {
        Self {
            buffer: buffer.clone(),
            offset: 0,
            size: None,
        }
    }

    /// As a binding resource.
    pub(crate) fn resource(&self) -> wgpu::BindingResource<'_> {
        wgpu::BindingResource::Buffer(wgpu::BufferBinding {
            buffer: &self.buffer,
            offset: self.offset,
            size: self.size.and_then(wgpu::BufferSize::new),
        })
    }
}
