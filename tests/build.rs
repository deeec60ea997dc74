//! The parity suite generates variants for the bundled configs and for awkward shapes that no real
//! model has (r = 3, Dk != Dv, Dk = 96, Dk = 48, Dk = 30, Dk = 24, odd Dk, tiny dims, odd Dv), so
//! every kernel code path (ragged rows, ragged lanes, GQA ratios) runs in the tests, and the
//! per-rank shapes of the bundled configs split over 2 and 4 tensor-parallel ranks (and of the
//! layer fixtures over 2), so the shard tests run on kernels.
use gdn_codegen::HeadShape;

fn main() -> Result<(), gdn_codegen::Error> {
    let mut b = gdn_codegen::Builder::new();
    b.config_dir("../configs").tensor_parallel(&[2, 4]);
    for (hk, hv, dk, dv) in [
        (2, 6, 32, 48), // r = 3, Dk != Dv
        (2, 2, 96, 64), // Dk = 96
        (1, 3, 48, 16), // Dk = 48 (not a multiple of 32), r = 3
        (1, 2, 16, 8),  // tiny, Dk < 32
        (1, 2, 32, 16), // long-horizon shape
        (2, 4, 64, 32), // GQA r = 2
        (2, 4, 32, 32), // masks
        (1, 1, 40, 7),  // odd Dv: f32 only, half dtypes fall back to ops
        (3, 3, 8, 6),   // Dv not a multiple of the rows per workgroup
        (2, 4, 16, 24), // the layer fixtures (tests/fixtures/layer)
        (1, 2, 16, 24), // a rank of the layer fixtures over 2 ranks (tests/tests/shards.rs)
        (2, 2, 30, 12), // Dk not a multiple of 4: scalar loads instead of vec4 columns
        (1, 3, 5, 8),   // odd Dk: 16-bit pairs of q and k span rows
        (2, 4, 24, 40), // q, k, v read from the rows of one packed buffer (tests/tests/views.rs)
    ] {
        b.shape(HeadShape::new(hk, hv, dk, dv));
    }
    b.generate()?;
    Ok(())
}
