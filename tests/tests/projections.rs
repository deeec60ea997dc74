//! The model path's prefill projections on the GPU (the tiled product, from 8 rows of x) against
//! the CPU layer, at shapes that leave every tile edge partly filled: rows of x (B·T) past a
//! multiple of the tile, hidden sizes that are not a multiple of the staged columns or of a weight
//! word, output widths not a multiple of the tile, with 16-bit and f32 weights.

#![allow(clippy::unwrap_used)] // test helpers: a failure should abort the test

use gdn_core::{DType, ModelConfig};
use gdn_model::{llm, Dims, LayerWeights, LinearStack};
use gdn_runtime::Context;
use gdn_tests::{registry, rel_rmse};

fn config(hidden: usize, (hk, hv, dk, dv): (usize, usize, usize, usize)) -> ModelConfig {
    gdn_tests::linear_config(gdn_core::HeadShape::new(hk, hv, dk, dv), 2, hidden)
}

fn stack(ctx: &Context, cfg: &ModelConfig, dtype: DType) -> LinearStack {
    let d = Dims::of(&cfg.text);
    let layers = cfg
        .linear_layers()
        .into_iter()
        .map(|i| {
            let mut w = LayerWeights::random(&d, 5 + i as u64);
            // The random weights are exact in bf16; as f32 they take the f32 kernels.
            w.dtype = dtype;
            (i, w)
        })
        .collect();
    llm::from_weights(ctx, cfg, layers).unwrap()
}

#[test]
fn tiled_prefill_projections_match_the_cpu_at_ragged_shapes() {
    let Some(gpu) = gdn_tests::gpu_strict() else {
        return;
    };
    let cpu = Context::cpu(registry());
    // (hidden, heads, B, T): 70, 131 and 24 rows of x over 64-row tiles; hidden (in_proj's
    // columns) 40, 100 and 72 end mid 16-column step, 100 mid weight word too; in_proj rows of
    // 264, 198, 90 and 716 end mid tile; out_proj's 18 columns (Hv·Dv) end mid weight word.
    let cases = [
        (40, (2, 4, 16, 24), 2, 35),
        (100, (1, 3, 48, 16), 1, 131),
        (72, (3, 3, 8, 6), 3, 8),
        (72, (2, 6, 32, 48), 3, 8),
    ];
    for (hidden, heads, b, t) in cases {
        let cfg = config(hidden, heads);
        for dtype in [DType::BF16, DType::F32] {
            let x: Vec<f32> = (0..b * t * hidden)
                .map(|i| ((i as f32) * 0.043).sin())
                .collect();
            let got = stack(gpu, &cfg, dtype).forward(gpu, &x, b, t).unwrap();
            let want = stack(&cpu, &cfg, dtype).forward(&cpu, &x, b, t).unwrap();
            let e = rel_rmse(&got, &gdn_tests::widen(&want));
            let what = format!("hidden {hidden}, heads {heads:?}, B={b}, T={t}, {dtype}");
            assert!(got.iter().any(|v| *v != 0.0), "{what}: all zero");
            assert!(e <= 3e-5, "{what}: GPU vs CPU {e:.2e}");
        }
    }
}
