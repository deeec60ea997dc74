//! f16 / bf16 ↔ f32 conversion of whole tensors: with `half`'s slice conversions (SIMD where the
//! CPU has it) and, for large tensors, in parallel. Element by element on one thread it cost a
//! bf16 CPU call more than the kernel itself (T = 256: 20 ms against 9 ms for f32 inputs).

use half::slice::HalfFloatSliceExt;
use rayon::prelude::*;

/// Below this many elements a conversion stays on the calling thread (a decode step's tensors
/// are a few thousand elements; a parallel region costs more than converting them).
const PARALLEL_MIN: usize = 1 << 16;
/// Elements per parallel piece.
const PIECE: usize = 1 << 14;

/// `src` widened to f32.
pub fn widen<T: Sync>(src: &[T]) -> Vec<f32>
where
    [T]: HalfFloatSliceExt,
{
    let mut out = vec![0.0f32; src.len()];
    if src.len() < PARALLEL_MIN {
        src.convert_to_f32_slice(&mut out);
    } else {
        out.par_chunks_mut(PIECE)
            .zip(src.par_chunks(PIECE))
            .for_each(|(o, s)| s.convert_to_f32_slice(o));
    }
    out
}

/// `src` rounded to a 16-bit float type (round to nearest even).
pub fn narrow<T: Copy + Default + Send>(src: &[f32]) -> Vec<T>
where
    [T]: HalfFloatSliceExt,
{
    let mut out = vec![T::default(); src.len()];
    if src.len() < PARALLEL_MIN {
        out.convert_from_f32_slice(src);
    } else {
        out.par_chunks_mut(PIECE)
            .zip(src.par_chunks(PIECE))
            .for_each(|(o, s)| o.convert_from_f32_slice(s));
    }
    out
}
