//! The checks that turn a call's tensors into a validated [`Problem`], and the finiteness checks.

use super::*;

fn float_dtype(name: &'static str, e: Elem) -> Result<DType> {
    match e {
        Elem::Float(d) => Ok(d),
        other => Err(Error::DType {
            tensor: name,
            expected: "f32, f16 or bf16".into(),
            found: other.to_string(),
        }),
    }
}

fn expect_shape(name: &'static str, got: &[usize], want: &[usize], words: &str) -> Result<()> {
    if got != want {
        return Err(Error::Shape {
            tensor: name,
            expected: format!("{} {words}", fmt_shape(want)),
            found: fmt_shape(got),
        });
    }
    Ok(())
}

/// Validates every tensor of a call and derives the problem. Never reads tensor data.
pub fn validate<T: TensorMeta>(inp: &Inputs<T>) -> Result<Problem> {
    // Only q, k and v are read through row-strided views; a stride elsewhere is never ignored.
    let others = crate::context::named(inp).into_iter().skip(3);
    for (name, t) in others.chain(inp.mask.as_ref().map(|m| ("mask", m))) {
        if let Some(stride) = t.row_stride() {
            return Err(Error::Buffer {
                tensor: name,
                reason: format!("has a row stride ({stride} elements); only q, k and v take one"),
            });
        }
    }
    let qs = inp.q.shape();
    if qs.len() != 4 {
        return Err(Error::Shape {
            tensor: "q",
            expected: "rank 4 [B,T,Hk,Dk]".into(),
            found: fmt_shape(qs),
        });
    }
    let (b, t, hk, dk) = (qs[0], qs[1], qs[2], qs[3]);
    let vs = inp.v.shape();
    if vs.len() != 4 || vs[0] != b || vs[1] != t {
        return Err(Error::Shape {
            tensor: "v",
            expected: format!("rank 4 [B,T,Hv,Dv] with B={b}, T={t} (from q)"),
            found: fmt_shape(vs),
        });
    }
    let (hv, dv) = (vs[2], vs[3]);
    for (tensor, dim, d, shape) in [
        ("q", "Hk", hk, qs),
        ("q", "Dk", dk, qs),
        ("v", "Hv", hv, vs),
        ("v", "Dv", dv, vs),
    ] {
        if d == 0 {
            return Err(Error::Shape {
                tensor,
                expected: format!("non-zero {dim}"),
                found: fmt_shape(shape),
            });
        }
    }
    if !hv.is_multiple_of(hk) {
        return Err(Error::Shape {
            tensor: "v",
            expected: format!("Hv a multiple of Hk = {hk} (grouped GQA)"),
            found: fmt_shape(vs),
        });
    }
    let dtype = float_dtype("q", inp.q.elem())?;
    expect_shape("k", inp.k.shape(), qs, "(same as q)")?;
    for (name, tensor) in [("k", &inp.k), ("v", &inp.v)] {
        if tensor.elem() != inp.q.elem() {
            return Err(Error::DType {
                tensor: name,
                expected: format!("{dtype} (the dtype of q)"),
                found: tensor.elem().to_string(),
            });
        }
    }
    let bth = [b, t, hv];
    let gate = match &inp.gate {
        Gate::Direct { g, beta, form } => {
            let gs = g.shape();
            let per_key = gs.len() == 4;
            if gs != bth && gs != [b, t, hv, dk] {
                return Err(Error::Shape {
                    tensor: "g",
                    expected: format!("{} or {}", fmt_shape(&bth), fmt_shape(&[b, t, hv, dk])),
                    found: fmt_shape(gs),
                });
            }
            expect_shape("beta", beta.shape(), &bth, "[B,T,Hv]")?;
            g.check_storage("g")?;
            beta.check_storage("beta")?;
            GateKind::Direct {
                form: *form,
                per_key,
                g: float_dtype("g", g.elem())?,
                beta: float_dtype("beta", beta.elem())?,
            }
        }
        Gate::Raw {
            a,
            b: bb,
            a_log,
            dt_bias,
        } => {
            expect_shape("a", a.shape(), &bth, "[B,T,Hv]")?;
            expect_shape("b", bb.shape(), &bth, "[B,T,Hv]")?;
            expect_shape("A_log", a_log.shape(), &[hv], "[Hv]")?;
            expect_shape("dt_bias", dt_bias.shape(), &[hv], "[Hv]")?;
            let ab = float_dtype("a", a.elem())?;
            if bb.elem() != a.elem() {
                return Err(Error::DType {
                    tensor: "b",
                    expected: format!("{ab} (the dtype of a)"),
                    found: bb.elem().to_string(),
                });
            }
            let params = float_dtype("A_log", a_log.elem())?;
            if dt_bias.elem() != a_log.elem() {
                return Err(Error::DType {
                    tensor: "dt_bias",
                    expected: format!("{params} (the dtype of A_log)"),
                    found: dt_bias.elem().to_string(),
                });
            }
            for (n, x) in [("a", a), ("b", bb), ("A_log", a_log), ("dt_bias", dt_bias)] {
                x.check_storage(n)?;
            }
            GateKind::Raw { ab, params }
        }
    };
    if let Some(s) = &inp.state {
        expect_shape("state", s.shape(), &[b, hv, dv, dk], "[B,Hv,Dv,Dk]")?;
        if s.elem() != Elem::Float(DType::F32) {
            return Err(Error::DType {
                tensor: "state",
                expected: "f32 (the state is always f32)".into(),
                found: s.elem().to_string(),
            });
        }
        s.check_storage("state")?;
    }
    if let Some(m) = &inp.mask {
        expect_shape("mask", m.shape(), &[b, t], "[B,T]")?;
        if m.elem() != Elem::U8 {
            return Err(Error::DType {
                tensor: "mask",
                expected: "u8 or bool".into(),
                found: m.elem().to_string(),
            });
        }
        m.check_storage("mask")?;
    }
    inp.q.check_storage("q")?;
    inp.k.check_storage("k")?;
    inp.v.check_storage("v")?;
    // The outputs are sized from the shapes alone (a zero-sized q with a huge Dk still asks for
    // the whole state), so their bytes are checked before any path allocates them.
    let mut budget = gdn_core::limits::Budget::new();
    budget
        .add("output `y`", &[b, t, hv, dv], dtype.size())
        .map_err(Error::Size)?;
    budget
        .add("output `state`", &[b, hv, dv, dk], 4)
        .map_err(Error::Size)?;
    Ok(Problem {
        b,
        t,
        heads: HeadShape::new(hk, hv, dk, dv),
        dtype,
        gate,
        has_state: inp.state.is_some(),
        has_mask: inp.mask.is_some(),
        head_map: HeadMap::Grouped,
        qk_l2norm: false,
    })
}

/// The first NaN/Inf of `data` as [`Error::NonFinite`] naming `tensor`; masks (u8) are skipped.
pub fn check_finite(tensor: &'static str, data: &HostData<'_>) -> Result<()> {
    if matches!(data, HostData::U8(_)) {
        return Ok(());
    }
    match (0..data.len()).find(|&i| !data.get(i).is_finite()) {
        Some(index) => Err(Error::NonFinite {
            tensor,
            index,
            value: data.get(index).to_string(),
        }),
        None => Ok(()),
    }
}

/// [`check_finite`] over every float input of a host call.
pub fn check_finite_inputs(inp: &HostInputs<'_>) -> Result<()> {
    check_finite("q", &inp.q.data)?;
    check_finite("k", &inp.k.data)?;
    check_finite("v", &inp.v.data)?;
    match &inp.gate {
        Gate::Direct { g, beta, .. } => {
            check_finite("g", &g.data)?;
            check_finite("beta", &beta.data)?;
        }
        Gate::Raw {
            a,
            b,
            a_log,
            dt_bias,
        } => {
            check_finite("a", &a.data)?;
            check_finite("b", &b.data)?;
            check_finite("A_log", &a_log.data)?;
            check_finite("dt_bias", &dt_bias.data)?;
        }
    }
    if let Some(s) = &inp.state {
        check_finite("state", &s.data)?;
    }
    Ok(())
}
