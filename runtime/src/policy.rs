//! Dispatch policy: where the automatic path choice switches kernels, as measured on the GPUs named
//! in each constant. Routing (`crate::Context::plan`) reads these; nothing else decides a path.

/// Steps from which a call with [`PathChoice::Auto`] takes the chunked-prefill kernel on a
/// software adapter (lavapipe), where it was measured faster than the recurrent kernel from T = 8
/// on (1.5× at T = 64..1024, (16,16,128,128)). On hardware adapters the f32 scan is never chosen
/// automatically (an H100 ran the recurrent kernel faster at every T up to 16 384); the
/// cooperative-matrix scan is, by [`CHUNKED_MMA_AUTO`].
pub const CHUNKED_MIN_STEPS_SOFTWARE: usize = 16;

/// Where [`PathChoice::Auto`] takes the chunked kernel on cooperative matrices on a hardware
/// adapter: `(rows, steps)` pairs, chunked when B·Hv ≤ rows and T ≥ steps (the first pair that
/// admits B·Hv). Measured on an H100 with bf16 inputs and chunks of 64 (docs/PERF.md,
/// `docs/measurements/2026-11-26-h100-u0/`), GPU µs chunked against recurrent: at T = 64 the
/// recurrent kernel wins up to B·Hv = 128 (35.9 against 29.3 µs at 32, 77.5 against 70.9 at
/// 128), ties at 256 and loses from 512 (224 against 251); from T = 128 the chunked kernel wins at
/// every B·Hv measured, 32 to 1024 (41.7 against 50.3 µs at 32, 129 against 134 at 128, 687
/// against 933 at 1024). Above 1024 rows the rule extends the measured trend.
pub const CHUNKED_MMA_AUTO: &[(usize, usize)] = &[(256, 128), (usize::MAX, 64)];
