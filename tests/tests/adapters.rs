//! The tiers and modules each known adapter must run, stated here rather than read from the
//! runtime's own detection: lavapipe (CI), an NVIDIA card on Vulkan, and the CPU. A test for an
//! adapter that is not present is ignored, and fails where `GDN_EXPECT` names it.

#![allow(clippy::unwrap_used)] // test helpers: a failure should abort the test

use gdn_runtime::tensor::GateKind;
use gdn_runtime::{
    CallOptions, Context, DType, GateForm, HeadMap, HeadShape, PathChoice, PathTaken, Problem, Tier,
};
use gdn_tests::harness::{self, test};
use gdn_tests::{cpu, gpu, Cap};

/// Qwen3.5-0.8B's heads (a bundled config).
const QWEN: HeadShape = HeadShape::new(16, 16, 128, 128);

/// A call of `b` sequences of `t` steps with a decay gate and an initial state.
fn problem(b: usize, t: usize, dtype: DType) -> Problem {
    Problem {
        b,
        t,
        heads: QWEN,
        dtype,
        gate: GateKind::Direct {
            form: GateForm::Decay,
            per_key: false,
            g: DType::F32,
            beta: dtype,
        },
        has_state: true,
        has_mask: false,
        head_map: HeadMap::Grouped,
        qk_l2norm: false,
    }
}

/// The module Auto picks for `b` × `t` steps of `dtype` at Qwen3.5-0.8B's heads.
fn auto_module(ctx: &Context, b: usize, t: usize, dtype: DType) -> String {
    ctx.plan(&problem(b, t, dtype), CallOptions::default())
        .unwrap()
        .path
        .to_string()
}

/// The name of a module of the 0.8B shape.
fn module(kind: &str, dtype: DType, tier: &str) -> String {
    format!("kernel:{kind}_hk16_hv16_dk128_dv128_{dtype}_{tier}")
}

fn tiers(ctx: &Context) -> Vec<Tier> {
    let dev = ctx.gpu().unwrap();
    [Tier::Subgroup32, Tier::Subgroup8, Tier::Portable]
        .into_iter()
        .filter(|&t| dev.supports_tier(t).is_ok())
        .collect()
}

/// lavapipe: subgroups narrower than 32, no cooperative matrices; sg8 and portable; decode on
/// the sg8 recurrent kernel, long inputs on the sg8 chunked kernel from the measured threshold.
fn lavapipe_runs_sg8_and_portable_and_the_chunked_kernel() {
    let ctx = gpu().unwrap();
    let dev = ctx.gpu().unwrap();
    assert_eq!(
        tiers(ctx),
        [Tier::Subgroup8, Tier::Portable],
        "{}",
        ctx.device_label()
    );
    assert!(!dev.summary.has_mma_tiles());
    assert_eq!(
        ctx.chunked_min_steps(),
        Some(gdn_runtime::CHUNKED_MIN_STEPS_SOFTWARE)
    );
    for dtype in DType::ALL {
        assert_eq!(
            auto_module(ctx, 1, 1, dtype),
            module("recurrent", dtype, "sg8")
        );
        assert_eq!(
            auto_module(ctx, 1, 4096, dtype),
            module("chunked", dtype, "sg8")
        );
    }
}

/// An NVIDIA card on Vulkan: all three tiers and the cooperative-matrix scan; one-step decode on
/// the sg32 recurrent kernel, long 16-bit prefill on the cooperative-matrix kernel, long f32
/// inputs on the recurrent kernel.
fn nvidia_runs_every_tier_and_the_cooperative_matrix_scan() {
    let ctx = gpu().unwrap();
    let dev = ctx.gpu().unwrap();
    assert_eq!(
        tiers(ctx),
        [Tier::Subgroup32, Tier::Subgroup8, Tier::Portable],
        "{}",
        ctx.device_label()
    );
    assert!(
        dev.summary.has_mma_tiles(),
        "{:?}",
        dev.summary.cooperative_matrices
    );
    assert_eq!(ctx.chunked_min_steps(), None);
    for dtype in DType::ALL {
        assert_eq!(
            auto_module(ctx, 1, 1, dtype),
            module("recurrent", dtype, "sg32")
        );
    }
    assert_eq!(
        auto_module(ctx, 1, 4096, DType::F32),
        module("recurrent", DType::F32, "sg8")
    );
    for dtype in [DType::BF16, DType::F16] {
        assert_eq!(
            auto_module(ctx, 1, 4096, dtype),
            module("chunked_mma", dtype, "sg8")
        );
    }
}

/// The CPU context: the fused CPU kernel by default, the ops path on request, no GPU.
fn cpu_runs_the_fused_kernel_and_the_ops_path() {
    let ctx = cpu();
    assert!(ctx.gpu().is_none());
    for dtype in DType::ALL {
        for (b, t) in [(1, 1), (1, 4096), (32, 64)] {
            let p = problem(b, t, dtype);
            let auto = ctx.plan(&p, CallOptions::default()).unwrap();
            assert_eq!(auto.path, PathTaken::CpuKernel, "{auto}");
            let ops = ctx.plan(&p, CallOptions::path(PathChoice::Ops)).unwrap();
            assert_eq!(ops.path, PathTaken::OpsCpu, "{ops}");
        }
    }
}

fn main() {
    harness::main(vec![
        test(
            "lavapipe_runs_sg8_and_portable_and_the_chunked_kernel",
            &[Cap::Gpu, Cap::Lavapipe],
            lavapipe_runs_sg8_and_portable_and_the_chunked_kernel,
        ),
        test(
            "nvidia_runs_every_tier_and_the_cooperative_matrix_scan",
            &[Cap::Gpu, Cap::Nvidia],
            nvidia_runs_every_tier_and_the_cooperative_matrix_scan,
        ),
        test(
            "cpu_runs_the_fused_kernel_and_the_ops_path",
            &[],
            cpu_runs_the_fused_kernel_and_the_ops_path,
        ),
    ]);
}
