use super::block::{Chooser, ChunkPass, Plan};
use super::coeffs::{madd, BlockAt, ChunkCoeffs, Coeffs, Lanes, R, SCALE_FLOOR, TIME_CHUNK};
use super::decode::DecodeRows;
use super::transpose::{transpose_in, transpose_out};
use super::Prepared;
use crate::tensor::Problem;
use multiversion::{multiversion, target::selected_target};
use pulp::Arch;
use rayon::prelude::*;

/// Independent accumulators per dot product, so consecutive FMAs of a block do not wait on each
/// other.
const U: usize = 4;

/// `acc += a · s` across the lanes (one vector FMA per SIMD register).
#[inline(always)]
fn fma_lanes<const FMA: bool>(acc: &mut Lanes, a: f32, s: &Lanes) {
    for l in 0..R {
        acc[l] = madd::<FMA>(a, s[l], acc[l]);
    }
}

/// The reductions of one step over a block in the transposed layout `st[j][lane]` (key column j,
/// state row r0 + lane): kv = Σ_j (a_j k_j) s_j and sq = Σ_j (a_j q_j) s_j, where s is the state
/// before the step. When `pending` holds the previous step's coefficients and δ, its update
/// s_j ← a_j s_j + k_j δ is applied in the same pass, just before column j is read, so the block
/// is loaded and stored once per step. Every operation is an FMA or multiply across the block's
/// `R` rows with a broadcast scalar: there is no horizontal reduction in the loop.
#[inline(always)]
fn reduce_block<const FMA: bool, const SCALED: bool>(
    st: &mut [Lanes],
    c: &Coeffs<'_>,
    pending: Option<(&Coeffs<'_>, &Lanes)>,
) -> (Lanes, Lanes) {
    let dk = st.len();
    // U independent accumulator pairs, one per column of each group of U.
    let (mut ak, mut aq) = ([[0.0f32; R]; U], [[0.0f32; R]; U]);
    // Slices cut to Dk and walked in groups of U by iterators: no bounds checks, and the
    // coefficients stay in registers across the state stores.
    let (ka, qa) = (&c.ka[..dk], &c.qa[..dk]);
    let (ka4, qa4) = (ka.chunks_exact(U), qa.chunks_exact(U));
    let (kat, qat) = (ka4.remainder(), qa4.remainder());
    let mut st4 = st.chunks_exact_mut(U);
    match pending {
        Some((p, d)) => {
            let d = *d;
            let (pa, pk) = (&p.a[..dk], &p.k[..dk]);
            let (pa4, pk4) = (pa.chunks_exact(U), pk.chunks_exact(U));
            let (pat, pkt) = (pa4.remainder(), pk4.remainder());
            for ((s, (pa, pk)), (ka, qa)) in (&mut st4).zip(pa4.zip(pk4)).zip(ka4.zip(qa4)) {
                for u in 0..U {
                    pending_update::<FMA, SCALED>(&mut s[u], pa[u], pk[u], &d);
                    fma_lanes::<FMA>(&mut ak[u], ka[u], &s[u]);
                    fma_lanes::<FMA>(&mut aq[u], qa[u], &s[u]);
                }
            }
            let tail = st4.into_remainder();
            for (i, s) in tail.iter_mut().enumerate() {
                pending_update::<FMA, SCALED>(s, pat[i], pkt[i], &d);
                fma_lanes::<FMA>(&mut ak[0], kat[i], s);
                fma_lanes::<FMA>(&mut aq[0], qat[i], s);
            }
        }
        None => {
            for (s, (ka, qa)) in (&mut st4).zip(ka4.zip(qa4)) {
                for u in 0..U {
                    fma_lanes::<FMA>(&mut ak[u], ka[u], &s[u]);
                    fma_lanes::<FMA>(&mut aq[u], qa[u], &s[u]);
                }
            }
            let tail = st4.into_remainder();
            for (i, s) in tail.iter_mut().enumerate() {
                fma_lanes::<FMA>(&mut ak[0], kat[i], s);
                fma_lanes::<FMA>(&mut aq[0], qat[i], s);
            }
        }
    }
    let (mut kv, mut sq) = ([0.0f32; R], [0.0f32; R]);
    for l in 0..R {
        kv[l] = (ak[0][l] + ak[1][l]) + (ak[2][l] + ak[3][l]);
        sq[l] = (aq[0][l] + aq[1][l]) + (aq[2][l] + aq[3][l]);
    }
    (kv, sq)
}

/// The previous step's update of one column: s ← a s + k δ, or s ← s + k δ when the decay
/// lives in the block's scale (`SCALED`, see [`chunk_block`]).
#[inline(always)]
fn pending_update<const FMA: bool, const SCALED: bool>(s: &mut Lanes, a: f32, k: f32, d: &Lanes) {
    if SCALED {
        fma_lanes::<FMA>(s, k, d);
    } else {
        update_lanes::<FMA>(s, a, k, d);
    }
}

/// `s ← a s + k δ` across the lanes.
#[inline(always)]
fn update_lanes<const FMA: bool>(s: &mut Lanes, a: f32, k: f32, d: &Lanes) {
    for l in 0..R {
        s[l] = madd::<FMA>(k, d[l], a * s[l]);
    }
}

/// Runs the steps of one time chunk over one block `st`: the reductions of each step with the
/// previous step's update fused in, δ and y (into `yh`), then the last step's update.
///
/// `SCALED` (one decay per head, every α of the chunk at least [`SCALE_FLOOR`]): the block holds
/// S̃ with S = c·S̃. A step multiplies c by α instead of every element, reads kv = c_prev Σ (α k) S̃
/// and sq likewise, and adds k δ / c to S̃: three vector operations per column instead of four.
/// The chunk ends with S̃ scaled back to S.
///
/// This is the compiler-vectorised form, kept for targets without vectors of 4, 8 or 16 lanes;
/// the others run the same pass on explicit vectors (`cpu::block`), which is faster and does not
/// depend on where the block was allocated.
#[inline(always)]
fn chunk_block<const FMA: bool, const SCALED: bool>(
    st: &mut [Lanes],
    cc: &ChunkCoeffs,
    at: BlockAt,
    yh: &mut [f32],
) {
    let BlockAt { rows, c0, stride } = at;
    let mut scale = 1.0f32;
    let mut delta: Option<Lanes> = None;
    for (i, s) in cc.steps.iter().enumerate() {
        let c = cc.get(i);
        let prev = i.checked_sub(1).map(|i| cc.get(i));
        let mut next_scale = scale * s.alpha;
        if SCALED && next_scale < SCALE_FLOOR {
            // Bring the state back to S̃ = S: the pending update, then the scale, in one pass.
            let pending = delta.take().zip(prev.as_ref());
            for (j, sj) in st.iter_mut().enumerate() {
                for l in 0..R {
                    let x = pending.map_or(sj[l], |(d, p)| madd::<FMA>(p.k[j], d[l], sj[l]));
                    sj[l] = x * scale;
                }
            }
            scale = 1.0;
            next_scale = s.alpha;
        }
        let pending = prev.as_ref().zip(delta.as_ref());
        let (kv, sq) = reduce_block::<FMA, SCALED>(st, &c, pending);
        // δ = β(v − kv) = βv − β kv; y = q·(a s + k δ) = sq + δ (q·k); kv and sq of S̃ carry
        // the scale.
        let v0 = i * stride + c0;
        let mut d = [0.0f32; R];
        for ((dl, &vi), &kvl) in d.iter_mut().zip(&cc.v[v0..v0 + rows]).zip(&kv) {
            *dl = s.beta * vi - s.beta * (scale * kvl);
        }
        let yt = &mut yh[s.t * stride + c0..s.t * stride + c0 + rows];
        for ((y, &dl), &sql) in yt.iter_mut().zip(&d).zip(&sq) {
            *y = madd::<FMA>(dl, s.kq, scale * sql);
        }
        if SCALED {
            let inv = 1.0 / next_scale;
            d.iter_mut().for_each(|x| *x *= inv);
            scale = next_scale;
        }
        delta = Some(d);
    }
    if let (Some(d), Some(last)) = (delta, cc.steps.len().checked_sub(1)) {
        let c = cc.get(last);
        for ((sj, &a), &k) in st.iter_mut().zip(c.a).zip(c.k) {
            if SCALED {
                for l in 0..R {
                    sj[l] = madd::<FMA>(k, d[l], sj[l]) * scale;
                }
            } else {
                update_lanes::<FMA>(sj, a, k, &d);
            }
        }
    }
}

/// A task: consecutive state rows `r0..r0 + rows` of head (b, hv), in blocks of [`R`].
#[derive(Clone, Copy)]
struct Task {
    b: usize,
    hv: usize,
    r0: usize,
    rows: usize,
}

/// Runs every step of one task: transposes each block of its rows of the state (`rows × Dk`,
/// row-major, updated in place) into lanes, walks the time loop
/// in chunks of [`TIME_CHUNK`] steps whose coefficients all the task's blocks share, writes y into
/// `yh` (`T × rows`) and the final rows into `state`. Compiled for the widest SIMD the CPU has
/// (AVX-512, AVX2+FMA, NEON), chosen once per task at run time; the decode rows (T = 1) or the
/// chunk passes (T > 1) run on `arch`'s explicit vectors.
#[multiversion(targets("x86_64+avx512f+avx512vl+avx2+fma", "x86_64+avx2+fma", "aarch64+neon"))]
fn run_task<'a>(
    p: &Problem,
    x: &Prepared<'a>,
    arch: Arch,
    task: Task,
    state: &mut [f32],
    yh: &mut [f32],
) {
    if selected_target!().supports_feature_str("fma") {
        run_task_with::<true>(p, x, arch, task, state, yh)
    } else {
        run_task_with::<false>(p, x, arch, task, state, yh)
    }
}

#[inline(always)]
fn run_task_with<const FMA: bool>(
    p: &Problem,
    x: &Prepared<'_>,
    arch: Arch,
    task: Task,
    state: &mut [f32],
    yh: &mut [f32],
) {
    let h = p.heads;
    let dk = h.dk;
    if p.t == 1 {
        let mut cc = ChunkCoeffs::new(dk, 1);
        cc.fill::<FMA>(p, x, task.b, task.hv, 0, 1);
        cc.fill_v(x, h.dv, task.r0, task.rows);
        // A masked step keeps the state (y stays 0).
        if let Some(s) = cc.steps.first() {
            let c = cc.get(0);
            DecodeRows {
                state,
                a: c.a,
                k: c.k,
                ka: c.ka,
                qa: c.qa,
                v: &cc.v,
                y: yh,
                beta: s.beta,
                kq: s.kq,
            }
            .run(arch);
        }
        return;
    }
    let mut blocks: Vec<(usize, Vec<Lanes>)> = state
        .chunks(R * dk)
        .map(|rows| {
            let mut st = vec![[0.0f32; R]; dk];
            transpose_in(rows, dk, &mut st);
            (rows.len() / dk, st)
        })
        .collect();
    let mut cc = ChunkCoeffs::new(dk, p.t);
    for t0 in (0..p.t).step_by(TIME_CHUNK) {
        cc.fill::<FMA>(p, x, task.b, task.hv, t0, (t0 + TIME_CHUNK).min(p.t));
        cc.fill_v(x, h.dv, task.r0, task.rows);
        // One decay per head and none vanishing: the decay moves into a per-block scale.
        let scaled = x.g_cols == 1 && cc.steps.iter().all(|s| s.alpha >= SCALE_FLOOR);
        for (i, (n, st)) in blocks.iter_mut().enumerate() {
            let at = BlockAt {
                rows: *n,
                c0: i * R,
                stride: task.rows,
            };
            let pass = ChunkPass {
                st: &mut st[..],
                cc: &cc,
                at,
                yh: &mut *yh,
                scaled,
            };
            if pass.run(arch) {
                continue;
            }
            if scaled {
                chunk_block::<FMA, true>(st, &cc, at, yh);
            } else {
                chunk_block::<FMA, false>(st, &cc, at, yh);
            }
        }
    }
    for ((_, st), rows) in blocks.iter().zip(state.chunks_mut(R * dk)) {
        transpose_out(st, dk, rows);
    }
}

/// The fused CPU kernel: parallel over heads (split into groups of blocks of `R` rows when
/// there are fewer heads than threads to feed); each block is transposed so the rows are SIMD
/// lanes and stays in L1 for the whole time loop, and each chunk of steps' coefficients is
/// computed once per task (see `reduce_block`).
///
/// Returns `(y, state)` in f32.
pub fn fused_update(p: &Problem, mut x: Prepared<'_>) -> (Vec<f32>, Vec<f32>) {
    match std::mem::take(&mut x.state) {
        // A borrowed state is copied by all threads into a new vector that is not zeroed first,
        // then updated in place: a zeroed vector written beside the old state took one thread
        // 30 µs of a 90 µs decode call at (16,32,128,128) just to zero it.
        std::borrow::Cow::Borrowed(old) => {
            let mut s = Vec::with_capacity(old.len());
            old.par_iter().copied().collect_into_vec(&mut s);
            let y = fused_update_in_place(p, &x, &mut s);
            (y, s)
        }
        std::borrow::Cow::Owned(mut s) => {
            let y = fused_update_in_place(p, &x, &mut s);
            (y, s)
        }
    }
}

/// [`fused_update`] on a state the caller owns (`[B, Hv, Dv, Dk]`, updated in place; the
/// prepared inputs' own state is not read). Returns y in f32.
pub fn fused_update_in_place(p: &Problem, x: &Prepared<'_>, s: &mut [f32]) -> Vec<f32> {
    let mut y = vec![0.0f32; p.y_len()];
    update_on(p, x, s, &mut y, None);
    y
}

/// [`fused_update_in_place`] writing y (`p.y_len()` values, f32) into `y`. A state or y of
/// another length than the problem's is an error before anything runs.
pub fn fused_update_in_place_into(
    p: &Problem,
    x: &Prepared<'_>,
    s: &mut [f32],
    y: &mut [f32],
) -> crate::Result<()> {
    p.check_in_place(s.len(), Some(y.len()))?;
    update_on(p, x, s, y, None);
    Ok(())
}

/// [`fused_update_in_place_into`] on the given vectors for every pass (tests compare instruction
/// sets so), or with `None` on the runtime's choice.
fn update_on(p: &Problem, x: &Prepared<'_>, s: &mut [f32], y: &mut [f32], only: Option<Arch>) {
    let h = p.heads;
    let t_n = p.t;
    let head = h.dv * h.dk;
    if head == 0 || p.b == 0 || t_n == 0 {
        // No step: the state stays as it is.
        y.fill(0.0);
        return;
    }
    // Blocks per task: a whole head when there are enough heads for four tasks a thread, fewer
    // otherwise (more tasks share the k/q fetches less, but keep every thread busy).
    let blocks = h.dv.div_ceil(R);
    let heads = p.b * h.hv;
    let want = 4 * rayon::current_num_threads();
    let per_task = blocks.div_ceil(want.div_ceil(heads)).max(1);
    let rows = per_task * R;
    if t_n == 1 {
        // Decode rows run on the widest vectors the CPU has.
        let arch = only.unwrap_or_default();
        // A masked step writes no y: it reads as 0, whatever the caller's buffer held.
        y.fill(0.0);
        // Decode: a task's y is one contiguous run of y, in the same (b, hv, row) order as its
        // state rows, so each task writes its own y in the one parallel region (nothing is
        // collected: a decode call allocates no task list).
        s.par_chunks_mut(head)
            .zip(y.par_chunks_mut(h.dv))
            .enumerate()
            .for_each(|(n, (st, yh))| {
                st.par_chunks_mut(rows * h.dk)
                    .zip(yh.par_chunks_mut(rows))
                    .enumerate()
                    .for_each(|(i, (st, yt))| {
                        let task = Task {
                            b: n / h.hv,
                            hv: n % h.hv,
                            r0: i * rows,
                            rows: st.len() / h.dk,
                        };
                        run_task(p, x, arch, task, st, yt);
                    });
            });
        return;
    }
    let tasks: Vec<(Task, &mut [f32])> = s
        .chunks_mut(head)
        .enumerate()
        .flat_map(|(n, st)| {
            st.chunks_mut(rows * h.dk).enumerate().map(move |(i, st)| {
                let task = Task {
                    b: n / h.hv,
                    hv: n % h.hv,
                    r0: i * rows,
                    rows: st.len() / h.dk,
                };
                (task, st)
            })
        })
        .collect();
    let chooser = Chooser::get();
    let plan = match only {
        Some(arch) => Plan::One(arch),
        None => chooser.plan(tasks.len()),
    };
    let outs: Vec<(Task, Vec<f32>, f64)> = tasks
        .into_par_iter()
        .enumerate()
        .map(|(i, (task, st))| {
            // Chunk passes run on the vectors the chooser picked (or both, while it measures).
            let arch = match plan {
                Plan::One(arch) => arch,
                Plan::Compare(a, b) => [a, b][i % 2],
            };
            let mut yh = vec![0.0f32; t_n * task.rows];
            let t0 = std::time::Instant::now();
            run_task(p, x, arch, task, st, &mut yh);
            (task, yh, t0.elapsed().as_secs_f64())
        })
        .collect();
    if let Plan::Compare(..) = plan {
        // Time per state row on each side: a head split into tasks of unequal size could
        // otherwise give one side the smaller tasks.
        let per_row = |odd: usize| {
            let (t, rows) = outs
                .iter()
                .skip(odd)
                .step_by(2)
                .fold((0.0, 0usize), |(t, r), o| (t + o.2, r + o.0.rows));
            t / rows.max(1) as f64
        };
        chooser.record(per_row(0), per_row(1));
    }
    // y rows of each (b, t): one contiguous run per task.
    y.par_chunks_mut(h.hv * h.dv)
        .enumerate()
        .for_each(|(bt, yrow)| {
            let (b, t) = (bt / t_n, bt % t_n);
            for (task, yh, _) in outs.iter().filter(|(task, ..)| task.b == b) {
                let at = task.hv * h.dv + task.r0;
                yrow[at..at + task.rows].copy_from_slice(&yh[t * task.rows..(t + 1) * task.rows]);
            }
        });
}

#[cfg(test)]
#[path = "fused_tests.rs"]
mod tests;
