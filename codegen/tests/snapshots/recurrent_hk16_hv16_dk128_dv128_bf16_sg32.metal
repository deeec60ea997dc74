// language: metal2.4
#include <metal_stdlib>
#include <simd/simd.h>

using metal::uint;

struct _mslBufferSizes {
    uint size1;
    uint size2;
    uint size3;
    uint size4;
    uint size5;
    uint size6;
    uint size7;
    uint size8;
    uint size9;
};

struct type_4 {
    metal::float4 inner[8];
};
struct Params {
    uint b;
    uint t;
    uint flags;
    uint aux_dtypes;
    uint t0_;
    uint tn;
    uint pad0_;
    uint pad1_;
    type_4 consts;
};
typedef metal::uint2 type_6[1];
typedef uint type_7[1];
typedef metal::float4 type_8[1];
struct type_9 {
    float inner[32];
};
struct type_10 {
    metal::float4 inner[256];
};
struct type_12 {
    metal::float3 inner[8];
};
constant uint HK = 16u;
constant uint HV = 16u;
constant uint DK = 128u;
constant uint DV = 128u;
constant uint NV4_ = 32u;
constant uint LANES = 32u;
constant uint ROWS = 4u;
constant uint RPT = 1u;
constant uint SROWS = 4u;
constant uint GQA = 1u;
constant uint TB = 8u;
constant uint WG = 128u;
constant uint HAS_STATE = 1u;
constant uint HAS_MASK = 2u;
constant uint GATE_LOG = 4u;
constant uint GATE_PER_KEY = 8u;
constant uint STATE_FROM_OUT = 16u;
constant uint GATE_RAW = 64u;
constant bool HEAD_TILED = false;
constant bool POOLED = false;
constant bool VARLEN = false;

float unpack_half(
    uint w,
    bool odd,
    uint code
) {
    uint h = odd ? (w >> 16u) : (w & 65535u);
    if (code == 1u) {
        return float2(as_type<half2>(h)).x;
    }
    return as_type<float>(h << 16u);
}

float head_const(
    uint j,
    constant Params& p
) {
    float _e9 = p.consts.inner[j >> 2u][j & 3u];
    return _e9;
}

uint naga_mod(uint lhs, uint rhs) {
    return lhs % metal::select(rhs, 1u, rhs == 0u);
}

float load_g(
    uint i,
    constant Params& p,
    device type_7 const& g,
    constant _mslBufferSizes& _buffer_sizes
) {
    float x = {};
    uint _e3 = p.aux_dtypes;
    uint code_1 = _e3 & 3u;
    if (code_1 == 0u) {
        uint _e11 = g[i];
        x = as_type<float>(_e11);
    } else {
        uint _e17 = g[i >> 1u];
        float _e22 = unpack_half(_e17, (i & 1u) == 1u, code_1);
        x = _e22;
    }
    uint _e25 = p.flags;
    if ((_e25 & GATE_RAW) != 0u) {
        uint h_1 = naga_mod(i, HV);
        float _e32 = x;
        float _e35 = head_const(HV + h_1, p);
        float z = _e32 + _e35;
        float _e37 = head_const(h_1, p);
        return -(metal::exp(_e37)) * ((z > 20.0) ? z : metal::log(1.0 + metal::exp(z)));
    }
    float _e48 = x;
    return _e48;
}

float load_beta(
    uint i_1,
    constant Params& p,
    device type_7 const& beta,
    constant _mslBufferSizes& _buffer_sizes
) {
    float x_1 = {};
    uint _e3 = p.aux_dtypes;
    uint code_2 = (_e3 >> 2u) & 3u;
    if (code_2 == 0u) {
        uint _e13 = beta[i_1];
        x_1 = as_type<float>(_e13);
    } else {
        uint _e19 = beta[i_1 >> 1u];
        float _e24 = unpack_half(_e19, (i_1 & 1u) == 1u, code_2);
        x_1 = _e24;
    }
    uint _e27 = p.flags;
    if ((_e27 & GATE_RAW) != 0u) {
        float _e32 = x_1;
        return 1.0 / (1.0 + metal::exp(-(_e32)));
    }
    float _e39 = x_1;
    return _e39;
}

float ld_v(
    uint i_2,
    device type_7 const& v,
    constant _mslBufferSizes& _buffer_sizes
) {
    uint _e5 = v[i_2 >> 1u];
    uint _e12 = v[i_2 >> 1u];
    return as_type<float>(((i_2 & 1u) == 1u) ? (_e12 & 4294901760u) : (_e5 << 16u));
}

uint to_bf16_(
    float x_2
) {
    uint u = as_type<uint>(x_2);
    if ((u & 2147483647u) > 2139095040u) {
        return (u >> 16u) | 64u;
    }
    return ((u + 32767u) + ((u >> 16u) & 1u)) >> 16u;
}

uint pack_y(
    float a,
    float b
) {
    uint _e2 = to_bf16_(a);
    uint _e3 = to_bf16_(b);
    return _e2 | (_e3 << 16u);
}

uint seq_len(
    uint b_1,
    constant Params& p,
    device type_7 const& mask,
    constant _mslBufferSizes& _buffer_sizes
) {
    if (VARLEN) {
        uint _e6 = mask[b_1 + 1u];
        uint _e9 = mask[b_1];
        return _e6 - _e9;
    }
    uint _e13 = p.t;
    return _e13;
}

uint packed_step(
    uint b_2,
    uint t_4,
    constant Params& p,
    device type_7 const& mask,
    constant _mslBufferSizes& _buffer_sizes
) {
    if (VARLEN) {
        uint _e5 = mask[b_2];
        uint _e10 = p.b;
        uint _e12 = mask[_e10];
        return metal::min(_e5 + t_4, metal::max(_e12, 1u) - 1u);
    }
    uint _e20 = p.t;
    return (b_2 * _e20) + t_4;
}

bool mask_bit(
    uint bt,
    constant Params& p,
    device type_7 const& mask,
    constant _mslBufferSizes& _buffer_sizes
) {
    uint _e4 = p.b;
    uint w_1 = (VARLEN ? (_e4 + 1u) : 0u) + (bt >> 2u);
    uint _e14 = mask[w_1];
    return ((_e14 >> ((bt & 3u) * 8u)) & 255u) != 0u;
}

bool step_real(
    uint bt_1,
    bool has_mask,
    device type_7 const& mask,
    constant _mslBufferSizes& _buffer_sizes
) {
    uint _e6 = mask[bt_1 >> 2u];
    bool mbit = ((_e6 >> ((bt_1 & 3u) * 8u)) & 255u) != 0u;
    return has_mask ? mbit : true;
}

uint naga_div(uint lhs, uint rhs) {
    return lhs / metal::select(rhs, 1u, rhs == 0u);
}

uint snap_at(
    uint t_5,
    constant Params& p,
    device type_7 const& mask,
    constant _mslBufferSizes& _buffer_sizes
) {
    uint _e4 = p.b;
    uint _e7 = p.t;
    uint _e15 = p.flags;
    uint base = ((_e15 & HAS_MASK) != 0u) ? naga_div((_e4 * _e7) + 3u, 4u) : 0u;
    uint _e24 = mask[base + t_5];
    return _e24;
}

bool step_real_v(
    uint bt_2,
    bool has_mask_1,
    constant Params& p,
    device type_7 const& mask,
    constant _mslBufferSizes& _buffer_sizes
) {
    bool _e3 = mask_bit(bt_2, p, mask, _buffer_sizes);
    return has_mask_1 ? _e3 : true;
}

metal::float4 key_decay(
    uint gi,
    uint c,
    bool real,
    bool gate_log,
    constant Params& p,
    device type_7 const& g,
    constant _mslBufferSizes& _buffer_sizes
) {
    metal::float4 a_1 = metal::float4(1.0);
    uint e_4 = 0u;
    bool local_30 = {};
    uint2 loop_bound = uint2(4294967295u);
    bool loop_init = true;
    while(true) {
        if (metal::all(loop_bound == uint2(0u))) { break; }
        loop_bound -= uint2(loop_bound.y == 0u, 1u);
        if (!loop_init) {
            uint _e34 = e_4;
            e_4 = _e34 + 1u;
        }
        loop_init = false;
        uint _e9 = e_4;
        if (_e9 < 4u) {
        } else {
            break;
        }
        {
            uint _e14 = e_4;
            uint j_1 = (4u * c) + _e14;
            float _e21 = load_g((gi * DK) + metal::min(j_1, 127u), p, g, _buffer_sizes);
            uint _e22 = e_4;
            if (real) {
                local_30 = j_1 < DK;
            } else {
                local_30 = false;
            }
            bool _e31 = local_30;
            a_1[_e22] = _e31 ? (gate_log ? metal::exp(_e21) : _e21) : 1.0;
        }
    }
    metal::float4 _e37 = a_1;
    return _e37;
}

metal::float4 ld_q4_(
    uint r,
    uint c_1,
    device type_6 const& q,
    constant _mslBufferSizes& _buffer_sizes
) {
    metal::uint2 w_2 = q[(r * NV4_) + c_1];
    return as_type<metal::float4>(metal::uint4(w_2.x << 16u, w_2.x & 4294901760u, w_2.y << 16u, w_2.y & 4294901760u));
}

metal::float4 ld_k4_(
    uint r_1,
    uint c_2,
    device type_6 const& k,
    constant _mslBufferSizes& _buffer_sizes
) {
    metal::uint2 w_3 = k[(r_1 * NV4_) + c_2];
    return as_type<metal::float4>(metal::uint4(w_3.x << 16u, w_3.x & 4294901760u, w_3.y << 16u, w_3.y & 4294901760u));
}

metal::float4 ld_s4_(
    uint r_2,
    uint c_3,
    constant Params& p,
    device type_8 const& s_in,
    device type_8 const& s_out,
    constant _mslBufferSizes& _buffer_sizes
) {
    uint _e4 = p.flags;
    bool from_out = (_e4 & STATE_FROM_OUT) != 0u;
    if (from_out) {
        metal::float4 _e14 = s_out[(r_2 * NV4_) + c_3];
        return _e14;
    }
    metal::float4 _e20 = s_in[(r_2 * NV4_) + c_3];
    return _e20;
}

void st_s4_(
    uint r_3,
    uint c_4,
    metal::float4 x_3,
    device type_8& s_out,
    constant _mslBufferSizes& _buffer_sizes
) {
    s_out[(r_3 * NV4_) + c_4] = x_3;
    return;
}

uint state_rows(
    uint n,
    uint b_3,
    uint hv,
    device type_8 const& s_in,
    constant _mslBufferSizes& _buffer_sizes
) {
    if (POOLED) {
        float _e11 = s_in[b_3 >> 2u][b_3 & 3u];
        uint slot = as_type<uint>(_e11);
        return ((slot * HV) + hv) * DV;
    }
    return n * DV;
}

metal::float3 row_sum(
    metal::float3 x_4,
    uint lane,
    uint row
) {
    metal::float3 unnamed = metal::simd_sum(x_4);
    return unnamed;
}

struct main_Input {
};
[[max_total_threads_per_threadgroup(128)]] kernel void main_(
  metal::uint3 lid [[thread_position_in_threadgroup]]
, metal::uint3 wid [[threadgroup_position_in_grid]]
, constant Params& p [[user(fake0)]]
, device type_6 const& q [[user(fake0)]]
, device type_6 const& k [[user(fake0)]]
, device type_7 const& v [[user(fake0)]]
, device type_7 const& g [[user(fake0)]]
, device type_7 const& beta [[user(fake0)]]
, device type_8 const& s_in [[user(fake0)]]
, device type_7 const& mask [[user(fake0)]]
, device type_7& y [[user(fake0)]]
, device type_8& s_out [[user(fake0)]]
, threadgroup type_9& ybuf
, constant _mslBufferSizes& _buffer_sizes [[user(fake0)]]
) {
    uint hk = {};
    bool local = {};
    metal::float4 s0_ = {};
    uint t = {};
    metal::float3 part = {};
    bool local_1 = {};
    bool local_2 = {};
    uint lane_1 = lid.x;
    uint row_1 = lid.y;
    uint dv = (wid.x * ROWS) + row_1;
    uint n_1 = wid.y;
    uint b_4 = naga_div(n_1, HV);
    uint hv_1 = naga_mod(n_1, HV);
    hk = naga_div(hv_1, GQA);
    if (HEAD_TILED) {
        hk = naga_mod(hv_1, HK);
    }
    bool live = dv < DV;
    uint _e23 = p.flags;
    bool has_state = (_e23 & HAS_STATE) != 0u;
    uint _e30 = p.flags;
    bool has_mask_2 = (_e30 & HAS_MASK) != 0u;
    uint _e37 = p.flags;
    bool gate_log_1 = (_e37 & GATE_LOG) != 0u;
    uint _e44 = p.flags;
    bool per_key = (_e44 & GATE_PER_KEY) != 0u;
    uint _e49 = state_rows(n_1, b_4, hv_1, s_in, _buffer_sizes);
    uint srow = _e49 + metal::min(dv, 127u);
    if (has_state) {
        local = live;
    } else {
        local = false;
    }
    bool load_state = local;
    uint c0_ = 0u + lane_1;
    metal::float4 _e61 = ld_s4_(srow, c0_, p, s_in, s_out, _buffer_sizes);
    s0_ = load_state ? _e61 : metal::float4(0.0);
    uint _e66 = p.t0_;
    t = _e66;
    uint2 loop_bound_1 = uint2(4294967295u);
    bool loop_init_1 = true;
    while(true) {
        if (metal::all(loop_bound_1 == uint2(0u))) { break; }
        loop_bound_1 -= uint2(loop_bound_1.y == 0u, 1u);
        if (!loop_init_1) {
            uint _e174 = t;
            t = _e174 + 1u;
        }
        loop_init_1 = false;
        uint _e68 = t;
        uint _e71 = p.t0_;
        uint _e74 = p.tn;
        if (_e68 < (_e71 + _e74)) {
        } else {
            break;
        }
        {
            uint _e79 = p.t;
            uint _e81 = t;
            uint bt_3 = (b_4 * _e79) + _e81;
            uint gi_1 = (bt_3 * HV) + hv_1;
            uint _e88 = hk;
            uint kr = (bt_3 * HK) + _e88;
            bool _e90 = step_real(bt_3, has_mask_2, mask, _buffer_sizes);
            float _e91 = load_g(gi_1, p, g, _buffer_sizes);
            float _e92 = load_beta(gi_1, p, beta, _buffer_sizes);
            float _e98 = ld_v((gi_1 * DV) + metal::min(dv, 127u), v, _buffer_sizes);
            metal::float4 _e101 = ld_k4_(kr, c0_, k, _buffer_sizes);
            metal::float4 k0_ = _e90 ? _e101 : metal::float4(0.0);
            metal::float4 _e103 = ld_q4_(kr, c0_, q, _buffer_sizes);
            float alpha = _e90 ? (gate_log_1 ? metal::exp(_e91) : _e91) : 1.0;
            if (per_key) {
                metal::float4 _e108 = s0_;
                metal::float4 _e109 = key_decay(gi_1, c0_, _e90, gate_log_1, p, g, _buffer_sizes);
                s0_ = _e108 * _e109;
            } else {
                metal::float4 _e111 = s0_;
                s0_ = _e111 * alpha;
            }
            part = metal::float3(0.0);
            metal::float3 _e116 = part;
            metal::float4 _e117 = s0_;
            metal::float4 _e119 = s0_;
            part = _e116 + metal::float3(metal::dot(_e117, k0_), metal::dot(_e119, _e103), metal::dot(k0_, _e103));
            metal::float3 _e124 = part;
            metal::float3 _e125 = row_sum(_e124, lane_1, row_1);
            float delta = _e90 ? (_e92 * (_e98 - _e125.x)) : 0.0;
            metal::float4 _e131 = s0_;
            s0_ = _e131 + (k0_ * delta);
            float o = _e90 ? (_e125.y + (delta * _e125.z)) : 0.0;
            if (lane_1 == 0u) {
                ybuf.inner[row_1] = o;
            }
            metal::threadgroup_barrier(metal::mem_flags::mem_threadgroup);
            if (lane_1 == 0u) {
                local_1 = live;
            } else {
                local_1 = false;
            }
            bool _e149 = local_1;
            if (_e149) {
                local_2 = (row_1 & 1u) == 0u;
            } else {
                local_2 = false;
            }
            bool _e157 = local_2;
            if (_e157) {
                float _e167 = ybuf.inner[row_1];
                float _e172 = ybuf.inner[row_1 + 1u];
                uint _e173 = pack_y(_e167, _e172);
                y[((gi_1 * DV) + dv) >> 1u] = _e173;
            }
            metal::threadgroup_barrier(metal::mem_flags::mem_threadgroup);
        }
    }
    if (live) {
        metal::float4 _e177 = s0_;
        st_s4_(srow, c0_, _e177, s_out, _buffer_sizes);
        return;
    } else {
        return;
    }
}


struct main_stagedInput {
};
[[max_total_threads_per_threadgroup(128)]] kernel void main_staged(
  metal::uint3 lid_1 [[thread_position_in_threadgroup]]
, metal::uint3 wid_1 [[threadgroup_position_in_grid]]
, constant Params& p [[user(fake0)]]
, device type_6 const& q [[user(fake0)]]
, device type_6 const& k [[user(fake0)]]
, device type_7 const& v [[user(fake0)]]
, device type_7 const& g [[user(fake0)]]
, device type_7 const& beta [[user(fake0)]]
, device type_8 const& s_in [[user(fake0)]]
, device type_7 const& mask [[user(fake0)]]
, device type_7& y [[user(fake0)]]
, device type_8& s_out [[user(fake0)]]
, threadgroup type_9& ybuf
, threadgroup type_10& k_s
, threadgroup type_10& q_s
, threadgroup type_9& v_s
, threadgroup type_12& sc_s
, constant _mslBufferSizes& _buffer_sizes [[user(fake0)]]
) {
    uint hk_1 = {};
    bool local_3 = {};
    metal::float4 s0_0_ = {};
    metal::float4 nk0_ = metal::float4(0.0);
    metal::float4 nq0_ = metal::float4(0.0);
    metal::float4 nk1_ = metal::float4(0.0);
    metal::float4 nq1_ = metal::float4(0.0);
    float nv0_ = 0.0;
    metal::float3 nsc = metal::float3(1.0, 0.0, 0.0);
    bool local_4 = {};
    uint t0_ = {};
    uint e = {};
    bool local_5 = {};
    uint ts = {};
    uint e_1 = {};
    uint lane_2 = lid_1.x;
    uint row_2 = lid_1.y;
    uint n_2 = wid_1.y;
    uint b_5 = naga_div(n_2, HV);
    uint hv_2 = naga_mod(n_2, HV);
    hk_1 = naga_div(hv_2, GQA);
    if (HEAD_TILED) {
        hk_1 = naga_mod(hv_2, HK);
    }
    uint _e17 = p.flags;
    bool has_state_1 = (_e17 & HAS_STATE) != 0u;
    uint _e24 = p.flags;
    bool has_mask_3 = (_e24 & HAS_MASK) != 0u;
    uint _e31 = p.flags;
    bool gate_log_2 = (_e31 & GATE_LOG) != 0u;
    uint _e38 = p.flags;
    bool per_key_1 = (_e38 & GATE_PER_KEY) != 0u;
    uint c0_1 = 0u + lane_2;
    uint dv0_ = ((wid_1.x * SROWS) + (row_2 * RPT)) + 0u;
    bool live0_ = dv0_ < DV;
    uint _e55 = state_rows(n_2, b_5, hv_2, s_in, _buffer_sizes);
    uint srow0_ = _e55 + metal::min(dv0_, 127u);
    metal::float4 _e61 = ld_s4_(srow0_, c0_1, p, s_in, s_out, _buffer_sizes);
    if (has_state_1) {
        local_3 = live0_;
    } else {
        local_3 = false;
    }
    bool _e65 = local_3;
    s0_0_ = _e65 ? _e61 : metal::float4(0.0);
    uint tid = (row_2 * LANES) + lane_2;
    uint _e92 = p.t0_;
    uint _e95 = p.tn;
    uint t_end = _e92 + _e95;
    uint _e99 = p.tn;
    if (_e99 > 0u) {
        {
            uint e_5 = tid + 0u;
            uint ss = naga_div(e_5, NV4_);
            uint _e108 = p.t0_;
            uint _e112 = p.t;
            uint tt = metal::min(_e108 + ss, _e112 - 1u);
            uint _e118 = p.t;
            uint bt_e = (b_5 * _e118) + tt;
            uint _e123 = hk_1;
            uint kr_1 = (bt_e * HK) + _e123;
            bool _e125 = step_real(bt_e, has_mask_3, mask, _buffer_sizes);
            metal::float4 _e131 = ld_k4_(kr_1, e_5 - (ss * NV4_), k, _buffer_sizes);
            nk0_ = _e125 ? _e131 : metal::float4(0.0);
            metal::float4 _e138 = ld_q4_(kr_1, e_5 - (ss * NV4_), q, _buffer_sizes);
            nq0_ = _e125 ? _e138 : metal::float4(0.0);
        }
        {
            uint e_6 = tid + 128u;
            uint ss_1 = naga_div(e_6, NV4_);
            uint _e146 = p.t0_;
            uint _e150 = p.t;
            uint tt_1 = metal::min(_e146 + ss_1, _e150 - 1u);
            uint _e156 = p.t;
            uint bt_e_1 = (b_5 * _e156) + tt_1;
            uint _e161 = hk_1;
            uint kr_2 = (bt_e_1 * HK) + _e161;
            bool _e163 = step_real(bt_e_1, has_mask_3, mask, _buffer_sizes);
            metal::float4 _e169 = ld_k4_(kr_2, e_6 - (ss_1 * NV4_), k, _buffer_sizes);
            nk1_ = _e163 ? _e169 : metal::float4(0.0);
            metal::float4 _e176 = ld_q4_(kr_2, e_6 - (ss_1 * NV4_), q, _buffer_sizes);
            nq1_ = _e163 ? _e176 : metal::float4(0.0);
        }
        {
            uint e_7 = tid + 0u;
            uint ss_2 = naga_div(e_7, SROWS);
            uint _e184 = p.t0_;
            uint _e188 = p.t;
            uint tt_2 = metal::min(_e184 + ss_2, _e188 - 1u);
            uint _e194 = p.t;
            uint bt_e_2 = (b_5 * _e194) + tt_2;
            uint dvv = metal::min((wid_1.x * SROWS) + (e_7 - (ss_2 * SROWS)), 127u);
            float _e212 = ld_v((((bt_e_2 * HV) + hv_2) * DV) + dvv, v, _buffer_sizes);
            bool _e213 = step_real(bt_e_2, has_mask_3, mask, _buffer_sizes);
            nv0_ = _e213 ? _e212 : 0.0;
        }
        {
            uint _e218 = p.t0_;
            uint _e224 = p.t;
            uint tt_3 = metal::min(_e218 + metal::min(tid, 7u), _e224 - 1u);
            uint _e230 = p.t;
            uint bt_s = (b_5 * _e230) + tt_3;
            bool _e233 = step_real(bt_s, has_mask_3, mask, _buffer_sizes);
            float _e237 = load_g((bt_s * HV) + hv_2, p, g, _buffer_sizes);
            if (_e233) {
                local_4 = !(per_key_1);
            } else {
                local_4 = false;
            }
            bool _e244 = local_4;
            float _e250 = load_beta((bt_s * HV) + hv_2, p, beta, _buffer_sizes);
            nsc = metal::float3(_e244 ? (gate_log_2 ? metal::exp(_e237) : _e237) : 1.0, _e233 ? _e250 : 0.0, _e233 ? 1.0 : 0.0);
        }
    }
    uint _e259 = p.t0_;
    t0_ = _e259;
    uint2 loop_bound_2 = uint2(4294967295u);
    bool loop_init_2 = true;
    while(true) {
        if (metal::all(loop_bound_2 == uint2(0u))) { break; }
        loop_bound_2 -= uint2(loop_bound_2.y == 0u, 1u);
        if (!loop_init_2) {
            uint _e614 = t0_;
            t0_ = _e614 + TB;
        }
        loop_init_2 = false;
        uint _e261 = t0_;
        if (_e261 < t_end) {
        } else {
            break;
        }
        {
            uint _e264 = t0_;
            uint nb = metal::min(TB, t_end - _e264);
            metal::threadgroup_barrier(metal::mem_flags::mem_threadgroup);
            uint _e267 = t0_;
            uint _e270 = p.t0_;
            if (_e267 > _e270) {
                e = tid;
                uint2 loop_bound_3 = uint2(4294967295u);
                bool loop_init_3 = true;
                while(true) {
                    if (metal::all(loop_bound_3 == uint2(0u))) { break; }
                    loop_bound_3 -= uint2(loop_bound_3.y == 0u, 1u);
                    if (!loop_init_3) {
                        uint _e327 = e;
                        e = _e327 + WG;
                    }
                    loop_init_3 = false;
                    uint _e273 = e;
                    if (_e273 < 16u) {
                    } else {
                        break;
                    }
                    {
                        uint _e277 = e;
                        uint ss_3 = naga_div(2u * _e277, SROWS);
                        uint _e285 = e;
                        uint dvw = ((wid_1.x * SROWS) + (2u * _e285)) - (ss_3 * SROWS);
                        if (dvw < DV) {
                            uint _e295 = p.t;
                            uint _e297 = t0_;
                            uint gw = (((((b_5 * _e295) + _e297) - TB) + ss_3) * HV) + hv_2;
                            uint _e314 = e;
                            float _e317 = ybuf.inner[2u * _e314];
                            uint _e320 = e;
                            float _e325 = ybuf.inner[(2u * _e320) + 1u];
                            uint _e326 = pack_y(_e317, _e325);
                            y[((gw * DV) + dvw) >> 1u] = _e326;
                        }
                    }
                }
            }
            if ((tid + 0u) < 256u) {
                metal::float4 _e338 = nk0_;
                k_s.inner[tid + 0u] = _e338;
                metal::float4 _e343 = nq0_;
                q_s.inner[tid + 0u] = _e343;
            }
            if ((tid + 128u) < 256u) {
                metal::float4 _e352 = nk1_;
                k_s.inner[tid + 128u] = _e352;
                metal::float4 _e357 = nq1_;
                q_s.inner[tid + 128u] = _e357;
            }
            if ((tid + 0u) < 32u) {
                float _e366 = nv0_;
                v_s.inner[tid + 0u] = _e366;
            }
            if (tid < TB) {
                metal::float3 _e371 = nsc;
                sc_s.inner[tid] = _e371;
            }
            metal::threadgroup_barrier(metal::mem_flags::mem_threadgroup);
            uint _e372 = t0_;
            if ((_e372 + TB) < t_end) {
                {
                    uint e_8 = tid + 0u;
                    uint ss_4 = naga_div(e_8, NV4_);
                    uint _e380 = t0_;
                    uint _e386 = p.t;
                    uint tt_4 = metal::min((_e380 + TB) + ss_4, _e386 - 1u);
                    uint _e392 = p.t;
                    uint bt_e_3 = (b_5 * _e392) + tt_4;
                    uint _e397 = hk_1;
                    uint kr_3 = (bt_e_3 * HK) + _e397;
                    bool _e399 = step_real(bt_e_3, has_mask_3, mask, _buffer_sizes);
                    metal::float4 _e405 = ld_k4_(kr_3, e_8 - (ss_4 * NV4_), k, _buffer_sizes);
                    nk0_ = _e399 ? _e405 : metal::float4(0.0);
                    metal::float4 _e412 = ld_q4_(kr_3, e_8 - (ss_4 * NV4_), q, _buffer_sizes);
                    nq0_ = _e399 ? _e412 : metal::float4(0.0);
                }
                {
                    uint e_9 = tid + 128u;
                    uint ss_5 = naga_div(e_9, NV4_);
                    uint _e418 = t0_;
                    uint _e424 = p.t;
                    uint tt_5 = metal::min((_e418 + TB) + ss_5, _e424 - 1u);
                    uint _e430 = p.t;
                    uint bt_e_4 = (b_5 * _e430) + tt_5;
                    uint _e435 = hk_1;
                    uint kr_4 = (bt_e_4 * HK) + _e435;
                    bool _e437 = step_real(bt_e_4, has_mask_3, mask, _buffer_sizes);
                    metal::float4 _e443 = ld_k4_(kr_4, e_9 - (ss_5 * NV4_), k, _buffer_sizes);
                    nk1_ = _e437 ? _e443 : metal::float4(0.0);
                    metal::float4 _e450 = ld_q4_(kr_4, e_9 - (ss_5 * NV4_), q, _buffer_sizes);
                    nq1_ = _e437 ? _e450 : metal::float4(0.0);
                }
                {
                    uint e_10 = tid + 0u;
                    uint ss_6 = naga_div(e_10, SROWS);
                    uint _e456 = t0_;
                    uint _e462 = p.t;
                    uint tt_6 = metal::min((_e456 + TB) + ss_6, _e462 - 1u);
                    uint _e468 = p.t;
                    uint bt_e_5 = (b_5 * _e468) + tt_6;
                    uint dvv_1 = metal::min((wid_1.x * SROWS) + (e_10 - (ss_6 * SROWS)), 127u);
                    float _e486 = ld_v((((bt_e_5 * HV) + hv_2) * DV) + dvv_1, v, _buffer_sizes);
                    bool _e487 = step_real(bt_e_5, has_mask_3, mask, _buffer_sizes);
                    nv0_ = _e487 ? _e486 : 0.0;
                }
                {
                    uint _e490 = t0_;
                    uint _e498 = p.t;
                    uint tt_7 = metal::min((_e490 + TB) + metal::min(tid, 7u), _e498 - 1u);
                    uint _e504 = p.t;
                    uint bt_s_1 = (b_5 * _e504) + tt_7;
                    bool _e507 = step_real(bt_s_1, has_mask_3, mask, _buffer_sizes);
                    float _e511 = load_g((bt_s_1 * HV) + hv_2, p, g, _buffer_sizes);
                    if (_e507) {
                        local_5 = !(per_key_1);
                    } else {
                        local_5 = false;
                    }
                    bool _e518 = local_5;
                    float _e524 = load_beta((bt_s_1 * HV) + hv_2, p, beta, _buffer_sizes);
                    nsc = metal::float3(_e518 ? (gate_log_2 ? metal::exp(_e511) : _e511) : 1.0, _e507 ? _e524 : 0.0, _e507 ? 1.0 : 0.0);
                }
            }
            ts = 0u;
            uint2 loop_bound_4 = uint2(4294967295u);
            bool loop_init_4 = true;
            while(true) {
                if (metal::all(loop_bound_4 == uint2(0u))) { break; }
                loop_bound_4 -= uint2(loop_bound_4.y == 0u, 1u);
                if (!loop_init_4) {
                    uint _e611 = ts;
                    ts = _e611 + 1u;
                }
                loop_init_4 = false;
                uint _e533 = ts;
                if (_e533 < nb) {
                } else {
                    break;
                }
                {
                    uint _e535 = t0_;
                    uint _e536 = ts;
                    uint t_6 = _e535 + _e536;
                    uint _e540 = p.t;
                    uint gi_2 = (((b_5 * _e540) + t_6) * HV) + hv_2;
                    uint _e547 = ts;
                    metal::float3 sc = sc_s.inner[_e547];
                    float alpha_1 = sc.x;
                    float bv = sc.y;
                    bool real_1 = sc.z != 0.0;
                    uint _e555 = ts;
                    uint kq = _e555 * NV4_;
                    metal::float4 k0_1 = k_s.inner[kq + c0_1];
                    metal::float4 q0_ = q_s.inner[kq + c0_1];
                    if (per_key_1) {
                        metal::float4 _e566 = s0_0_;
                        metal::float4 _e567 = key_decay(gi_2, c0_1, real_1, gate_log_2, p, g, _buffer_sizes);
                        s0_0_ = _e566 * _e567;
                    } else {
                        metal::float4 _e569 = s0_0_;
                        s0_0_ = _e569 * alpha_1;
                    }
                    float kqd = metal::dot(k0_1, q0_);
                    metal::float4 _e572 = s0_0_;
                    metal::float4 _e574 = s0_0_;
                    metal::float3 _e577 = row_sum(metal::float3(metal::dot(_e572, k0_1), metal::dot(_e574, q0_), kqd), lane_2, row_2);
                    uint _e579 = ts;
                    float _e588 = v_s.inner[((_e579 * SROWS) + (row_2 * RPT)) + 0u];
                    float delta0_ = bv * (_e588 - _e577.x);
                    metal::float4 _e592 = s0_0_;
                    s0_0_ = _e592 + (k0_1 * delta0_);
                    float o0_ = _e577.y + (delta0_ * _e577.z);
                    if (lane_2 == 0u) {
                        uint _e602 = ts;
                        ybuf.inner[((_e602 * SROWS) + (row_2 * RPT)) + 0u] = o0_;
                    }
                }
            }
        }
    }
    metal::threadgroup_barrier(metal::mem_flags::mem_threadgroup);
    uint _e619 = p.tn;
    if (_e619 > 0u) {
        uint _e624 = p.t0_;
        uint _e627 = p.tn;
        uint t0_2 = _e624 + (naga_div(_e627 - 1u, TB) * TB);
        e_1 = tid;
        uint2 loop_bound_5 = uint2(4294967295u);
        bool loop_init_5 = true;
        while(true) {
            if (metal::all(loop_bound_5 == uint2(0u))) { break; }
            loop_bound_5 -= uint2(loop_bound_5.y == 0u, 1u);
            if (!loop_init_5) {
                uint _e691 = e_1;
                e_1 = _e691 + WG;
            }
            loop_init_5 = false;
            uint _e636 = e_1;
            if (_e636 < naga_div((t_end - t0_2) * SROWS, 2u)) {
            } else {
                break;
            }
            {
                uint _e644 = e_1;
                uint ss_7 = naga_div(2u * _e644, SROWS);
                uint _e652 = e_1;
                uint dvw_1 = ((wid_1.x * SROWS) + (2u * _e652)) - (ss_7 * SROWS);
                if (dvw_1 < DV) {
                    uint _e662 = p.t;
                    uint gw_1 = ((((b_5 * _e662) + t0_2) + ss_7) * HV) + hv_2;
                    uint _e678 = e_1;
                    float _e681 = ybuf.inner[2u * _e678];
                    uint _e684 = e_1;
                    float _e689 = ybuf.inner[(2u * _e684) + 1u];
                    uint _e690 = pack_y(_e681, _e689);
                    y[((gw_1 * DV) + dvw_1) >> 1u] = _e690;
                }
            }
        }
    }
    if (live0_) {
        metal::float4 _e694 = s0_0_;
        st_s4_(srow0_, c0_1, _e694, s_out, _buffer_sizes);
        return;
    } else {
        return;
    }
}


struct main_varlenInput {
};
[[max_total_threads_per_threadgroup(128)]] kernel void main_varlen(
  metal::uint3 lid_2 [[thread_position_in_threadgroup]]
, metal::uint3 wid_2 [[threadgroup_position_in_grid]]
, constant Params& p [[user(fake0)]]
, device type_6 const& q [[user(fake0)]]
, device type_6 const& k [[user(fake0)]]
, device type_7 const& v [[user(fake0)]]
, device type_7 const& g [[user(fake0)]]
, device type_7 const& beta [[user(fake0)]]
, device type_8 const& s_in [[user(fake0)]]
, device type_7 const& mask [[user(fake0)]]
, device type_7& y [[user(fake0)]]
, device type_8& s_out [[user(fake0)]]
, threadgroup type_9& ybuf
, constant _mslBufferSizes& _buffer_sizes [[user(fake0)]]
) {
    uint hk_2 = {};
    bool local_6 = {};
    metal::float4 s0_1 = {};
    uint t_1 = {};
    bool local_7 = {};
    metal::float3 part_1 = {};
    bool local_8 = {};
    bool local_9 = {};
    bool local_10 = {};
    uint lane_3 = lid_2.x;
    uint row_3 = lid_2.y;
    uint dv_1 = (wid_2.x * ROWS) + row_3;
    uint n_3 = wid_2.y;
    uint b_6 = naga_div(n_3, HV);
    uint hv_3 = naga_mod(n_3, HV);
    hk_2 = naga_div(hv_3, GQA);
    if (HEAD_TILED) {
        hk_2 = naga_mod(hv_3, HK);
    }
    bool live_1 = dv_1 < DV;
    uint _e21 = seq_len(b_6, p, mask, _buffer_sizes);
    uint _e24 = p.flags;
    bool has_state_2 = (_e24 & HAS_STATE) != 0u;
    uint _e31 = p.flags;
    bool has_mask_4 = (_e31 & HAS_MASK) != 0u;
    uint _e38 = p.flags;
    bool gate_log_3 = (_e38 & GATE_LOG) != 0u;
    uint _e45 = p.flags;
    bool per_key_2 = (_e45 & GATE_PER_KEY) != 0u;
    uint _e50 = state_rows(n_3, b_6, hv_3, s_in, _buffer_sizes);
    uint srow_1 = _e50 + metal::min(dv_1, 127u);
    if (has_state_2) {
        local_6 = live_1;
    } else {
        local_6 = false;
    }
    bool load_state_1 = local_6;
    uint c0_2 = 0u + lane_3;
    metal::float4 _e62 = ld_s4_(srow_1, c0_2, p, s_in, s_out, _buffer_sizes);
    s0_1 = load_state_1 ? _e62 : metal::float4(0.0);
    uint _e67 = p.t0_;
    t_1 = _e67;
    uint2 loop_bound_6 = uint2(4294967295u);
    bool loop_init_6 = true;
    while(true) {
        if (metal::all(loop_bound_6 == uint2(0u))) { break; }
        loop_bound_6 -= uint2(loop_bound_6.y == 0u, 1u);
        if (!loop_init_6) {
            uint _e183 = t_1;
            t_1 = _e183 + 1u;
        }
        loop_init_6 = false;
        uint _e69 = t_1;
        uint _e72 = p.t0_;
        uint _e75 = p.tn;
        if (_e69 < (_e72 + _e75)) {
        } else {
            break;
        }
        {
            uint _e78 = t_1;
            uint _e79 = packed_step(b_6, _e78, p, mask, _buffer_sizes);
            uint gi_3 = (_e79 * HV) + hv_3;
            uint _e85 = hk_2;
            uint kr_5 = (_e79 * HK) + _e85;
            bool _e87 = step_real_v(_e79, has_mask_4, p, mask, _buffer_sizes);
            if (_e87) {
                uint _e90 = t_1;
                local_7 = _e90 < _e21;
            } else {
                local_7 = false;
            }
            bool real_2 = local_7;
            float _e94 = load_g(gi_3, p, g, _buffer_sizes);
            float _e95 = load_beta(gi_3, p, beta, _buffer_sizes);
            float _e101 = ld_v((gi_3 * DV) + metal::min(dv_1, 127u), v, _buffer_sizes);
            metal::float4 _e104 = ld_k4_(kr_5, c0_2, k, _buffer_sizes);
            metal::float4 k0_2 = real_2 ? _e104 : metal::float4(0.0);
            metal::float4 _e106 = ld_q4_(kr_5, c0_2, q, _buffer_sizes);
            float alpha_2 = real_2 ? (gate_log_3 ? metal::exp(_e94) : _e94) : 1.0;
            if (per_key_2) {
                metal::float4 _e111 = s0_1;
                metal::float4 _e112 = key_decay(gi_3, c0_2, real_2, gate_log_3, p, g, _buffer_sizes);
                s0_1 = _e111 * _e112;
            } else {
                metal::float4 _e114 = s0_1;
                s0_1 = _e114 * alpha_2;
            }
            part_1 = metal::float3(0.0);
            metal::float3 _e119 = part_1;
            metal::float4 _e120 = s0_1;
            metal::float4 _e122 = s0_1;
            part_1 = _e119 + metal::float3(metal::dot(_e120, k0_2), metal::dot(_e122, _e106), metal::dot(k0_2, _e106));
            metal::float3 _e127 = part_1;
            metal::float3 _e128 = row_sum(_e127, lane_3, row_3);
            float delta_1 = real_2 ? (_e95 * (_e101 - _e128.x)) : 0.0;
            metal::float4 _e134 = s0_1;
            s0_1 = _e134 + (k0_2 * delta_1);
            float o_1 = real_2 ? (_e128.y + (delta_1 * _e128.z)) : 0.0;
            if (lane_3 == 0u) {
                ybuf.inner[row_3] = o_1;
            }
            metal::threadgroup_barrier(metal::mem_flags::mem_threadgroup);
            if (lane_3 == 0u) {
                local_8 = live_1;
            } else {
                local_8 = false;
            }
            bool _e152 = local_8;
            if (_e152) {
                local_9 = (row_3 & 1u) == 0u;
            } else {
                local_9 = false;
            }
            bool _e160 = local_9;
            if (_e160) {
                uint _e163 = t_1;
                local_10 = _e163 < _e21;
            } else {
                local_10 = false;
            }
            bool _e166 = local_10;
            if (_e166) {
                float _e176 = ybuf.inner[row_3];
                float _e181 = ybuf.inner[row_3 + 1u];
                uint _e182 = pack_y(_e176, _e181);
                y[((gi_3 * DV) + dv_1) >> 1u] = _e182;
            }
            metal::threadgroup_barrier(metal::mem_flags::mem_threadgroup);
        }
    }
    if (live_1) {
        metal::float4 _e186 = s0_1;
        st_s4_(srow_1, c0_2, _e186, s_out, _buffer_sizes);
        return;
    } else {
        return;
    }
}


struct main_staged_varlenInput {
};
[[max_total_threads_per_threadgroup(128)]] kernel void main_staged_varlen(
  metal::uint3 lid_3 [[thread_position_in_threadgroup]]
, metal::uint3 wid_3 [[threadgroup_position_in_grid]]
, constant Params& p [[user(fake0)]]
, device type_6 const& q [[user(fake0)]]
, device type_6 const& k [[user(fake0)]]
, device type_7 const& v [[user(fake0)]]
, device type_7 const& g [[user(fake0)]]
, device type_7 const& beta [[user(fake0)]]
, device type_8 const& s_in [[user(fake0)]]
, device type_7 const& mask [[user(fake0)]]
, device type_7& y [[user(fake0)]]
, device type_8& s_out [[user(fake0)]]
, threadgroup type_9& ybuf
, threadgroup type_10& k_s
, threadgroup type_10& q_s
, threadgroup type_9& v_s
, threadgroup type_12& sc_s
, constant _mslBufferSizes& _buffer_sizes [[user(fake0)]]
) {
    uint hk_3 = {};
    bool local_11 = {};
    metal::float4 s0_0_1 = {};
    metal::float4 nk0_1 = metal::float4(0.0);
    metal::float4 nq0_1 = metal::float4(0.0);
    metal::float4 nk1_1 = metal::float4(0.0);
    metal::float4 nq1_1 = metal::float4(0.0);
    float nv0_1 = 0.0;
    metal::float3 nsc_1 = metal::float3(1.0, 0.0, 0.0);
    bool local_12 = {};
    bool local_13 = {};
    bool local_14 = {};
    bool local_15 = {};
    bool local_16 = {};
    uint t0_1 = {};
    uint e_2 = {};
    bool local_17 = {};
    bool local_18 = {};
    bool local_19 = {};
    bool local_20 = {};
    bool local_21 = {};
    bool local_22 = {};
    uint ts_1 = {};
    uint e_3 = {};
    bool local_23 = {};
    uint lane_4 = lid_3.x;
    uint row_4 = lid_3.y;
    uint n_4 = wid_3.y;
    uint b_7 = naga_div(n_4, HV);
    uint hv_4 = naga_mod(n_4, HV);
    uint _e9 = seq_len(b_7, p, mask, _buffer_sizes);
    hk_3 = naga_div(hv_4, GQA);
    if (HEAD_TILED) {
        hk_3 = naga_mod(hv_4, HK);
    }
    uint _e18 = p.flags;
    bool has_state_3 = (_e18 & HAS_STATE) != 0u;
    uint _e25 = p.flags;
    bool has_mask_5 = (_e25 & HAS_MASK) != 0u;
    uint _e32 = p.flags;
    bool gate_log_4 = (_e32 & GATE_LOG) != 0u;
    uint _e39 = p.flags;
    bool per_key_3 = (_e39 & GATE_PER_KEY) != 0u;
    uint c0_3 = 0u + lane_4;
    uint dv0_1 = ((wid_3.x * SROWS) + (row_4 * RPT)) + 0u;
    bool live0_1 = dv0_1 < DV;
    uint _e56 = state_rows(n_4, b_7, hv_4, s_in, _buffer_sizes);
    uint srow0_1 = _e56 + metal::min(dv0_1, 127u);
    metal::float4 _e62 = ld_s4_(srow0_1, c0_3, p, s_in, s_out, _buffer_sizes);
    if (has_state_3) {
        local_11 = live0_1;
    } else {
        local_11 = false;
    }
    bool _e66 = local_11;
    s0_0_1 = _e66 ? _e62 : metal::float4(0.0);
    uint tid_1 = (row_4 * LANES) + lane_4;
    uint _e93 = p.t0_;
    uint _e96 = p.tn;
    uint t_end_1 = _e93 + _e96;
    uint _e100 = p.tn;
    if (_e100 > 0u) {
        {
            uint e_11 = tid_1 + 0u;
            uint ss_8 = naga_div(e_11, NV4_);
            uint _e109 = p.t0_;
            uint _e113 = p.t;
            uint tt_8 = metal::min(_e109 + ss_8, _e113 - 1u);
            uint _e117 = packed_step(b_7, tt_8, p, mask, _buffer_sizes);
            uint _e120 = hk_3;
            uint kr_6 = (_e117 * HK) + _e120;
            bool _e122 = step_real_v(_e117, has_mask_5, p, mask, _buffer_sizes);
            if (_e122) {
                local_12 = tt_8 < _e9;
            } else {
                local_12 = false;
            }
            bool on = local_12;
            metal::float4 _e133 = ld_k4_(kr_6, e_11 - (ss_8 * NV4_), k, _buffer_sizes);
            nk0_1 = on ? _e133 : metal::float4(0.0);
            metal::float4 _e140 = ld_q4_(kr_6, e_11 - (ss_8 * NV4_), q, _buffer_sizes);
            nq0_1 = on ? _e140 : metal::float4(0.0);
        }
        {
            uint e_12 = tid_1 + 128u;
            uint ss_9 = naga_div(e_12, NV4_);
            uint _e148 = p.t0_;
            uint _e152 = p.t;
            uint tt_9 = metal::min(_e148 + ss_9, _e152 - 1u);
            uint _e156 = packed_step(b_7, tt_9, p, mask, _buffer_sizes);
            uint _e159 = hk_3;
            uint kr_7 = (_e156 * HK) + _e159;
            bool _e161 = step_real_v(_e156, has_mask_5, p, mask, _buffer_sizes);
            if (_e161) {
                local_13 = tt_9 < _e9;
            } else {
                local_13 = false;
            }
            bool on_1 = local_13;
            metal::float4 _e172 = ld_k4_(kr_7, e_12 - (ss_9 * NV4_), k, _buffer_sizes);
            nk1_1 = on_1 ? _e172 : metal::float4(0.0);
            metal::float4 _e179 = ld_q4_(kr_7, e_12 - (ss_9 * NV4_), q, _buffer_sizes);
            nq1_1 = on_1 ? _e179 : metal::float4(0.0);
        }
        {
            uint e_13 = tid_1 + 0u;
            uint ss_10 = naga_div(e_13, SROWS);
            uint _e187 = p.t0_;
            uint _e191 = p.t;
            uint tt_10 = metal::min(_e187 + ss_10, _e191 - 1u);
            uint _e195 = packed_step(b_7, tt_10, p, mask, _buffer_sizes);
            uint dvv_2 = metal::min((wid_3.x * SROWS) + (e_13 - (ss_10 * SROWS)), 127u);
            float _e211 = ld_v((((_e195 * HV) + hv_4) * DV) + dvv_2, v, _buffer_sizes);
            bool _e212 = step_real_v(_e195, has_mask_5, p, mask, _buffer_sizes);
            if (_e212) {
                local_14 = tt_10 < _e9;
            } else {
                local_14 = false;
            }
            bool _e217 = local_14;
            nv0_1 = _e217 ? _e211 : 0.0;
        }
        {
            uint _e222 = p.t0_;
            uint _e228 = p.t;
            uint tt_11 = metal::min(_e222 + metal::min(tid_1, 7u), _e228 - 1u);
            uint _e232 = packed_step(b_7, tt_11, p, mask, _buffer_sizes);
            bool _e233 = step_real_v(_e232, has_mask_5, p, mask, _buffer_sizes);
            if (_e233) {
                local_15 = tt_11 < _e9;
            } else {
                local_15 = false;
            }
            bool on_2 = local_15;
            float _e242 = load_g((_e232 * HV) + hv_4, p, g, _buffer_sizes);
            if (on_2) {
                local_16 = !(per_key_3);
            } else {
                local_16 = false;
            }
            bool _e249 = local_16;
            float _e255 = load_beta((_e232 * HV) + hv_4, p, beta, _buffer_sizes);
            nsc_1 = metal::float3(_e249 ? (gate_log_4 ? metal::exp(_e242) : _e242) : 1.0, on_2 ? _e255 : 0.0, on_2 ? 1.0 : 0.0);
        }
    }
    uint _e264 = p.t0_;
    t0_1 = _e264;
    uint2 loop_bound_7 = uint2(4294967295u);
    bool loop_init_7 = true;
    while(true) {
        if (metal::all(loop_bound_7 == uint2(0u))) { break; }
        loop_bound_7 -= uint2(loop_bound_7.y == 0u, 1u);
        if (!loop_init_7) {
            uint _e624 = t0_1;
            t0_1 = _e624 + TB;
        }
        loop_init_7 = false;
        uint _e266 = t0_1;
        if (_e266 < t_end_1) {
        } else {
            break;
        }
        {
            uint _e269 = t0_1;
            uint nb_1 = metal::min(TB, t_end_1 - _e269);
            metal::threadgroup_barrier(metal::mem_flags::mem_threadgroup);
            uint _e272 = t0_1;
            uint _e275 = p.t0_;
            if (_e272 > _e275) {
                e_2 = tid_1;
                uint2 loop_bound_8 = uint2(4294967295u);
                bool loop_init_8 = true;
                while(true) {
                    if (metal::all(loop_bound_8 == uint2(0u))) { break; }
                    loop_bound_8 -= uint2(loop_bound_8.y == 0u, 1u);
                    if (!loop_init_8) {
                        uint _e337 = e_2;
                        e_2 = _e337 + WG;
                    }
                    loop_init_8 = false;
                    uint _e278 = e_2;
                    if (_e278 < 16u) {
                    } else {
                        break;
                    }
                    {
                        uint _e282 = e_2;
                        uint ss_11 = naga_div(2u * _e282, SROWS);
                        uint _e290 = e_2;
                        uint dvw_2 = ((wid_3.x * SROWS) + (2u * _e290)) - (ss_11 * SROWS);
                        if (dvw_2 < DV) {
                            uint _e300 = t0_1;
                            local_17 = ((_e300 - TB) + ss_11) < _e9;
                        } else {
                            local_17 = false;
                        }
                        bool _e306 = local_17;
                        if (_e306) {
                            uint _e307 = t0_1;
                            uint _e311 = packed_step(b_7, (_e307 - TB) + ss_11, p, mask, _buffer_sizes);
                            uint gw_2 = (_e311 * HV) + hv_4;
                            uint _e324 = e_2;
                            float _e327 = ybuf.inner[2u * _e324];
                            uint _e330 = e_2;
                            float _e335 = ybuf.inner[(2u * _e330) + 1u];
                            uint _e336 = pack_y(_e327, _e335);
                            y[((gw_2 * DV) + dvw_2) >> 1u] = _e336;
                        }
                    }
                }
            }
            if ((tid_1 + 0u) < 256u) {
                metal::float4 _e348 = nk0_1;
                k_s.inner[tid_1 + 0u] = _e348;
                metal::float4 _e353 = nq0_1;
                q_s.inner[tid_1 + 0u] = _e353;
            }
            if ((tid_1 + 128u) < 256u) {
                metal::float4 _e362 = nk1_1;
                k_s.inner[tid_1 + 128u] = _e362;
                metal::float4 _e367 = nq1_1;
                q_s.inner[tid_1 + 128u] = _e367;
            }
            if ((tid_1 + 0u) < 32u) {
                float _e376 = nv0_1;
                v_s.inner[tid_1 + 0u] = _e376;
            }
            if (tid_1 < TB) {
                metal::float3 _e381 = nsc_1;
                sc_s.inner[tid_1] = _e381;
            }
            metal::threadgroup_barrier(metal::mem_flags::mem_threadgroup);
            uint _e382 = t0_1;
            if ((_e382 + TB) < t_end_1) {
                {
                    uint e_14 = tid_1 + 0u;
                    uint ss_12 = naga_div(e_14, NV4_);
                    uint _e390 = t0_1;
                    uint _e396 = p.t;
                    uint tt_12 = metal::min((_e390 + TB) + ss_12, _e396 - 1u);
                    uint _e400 = packed_step(b_7, tt_12, p, mask, _buffer_sizes);
                    uint _e403 = hk_3;
                    uint kr_8 = (_e400 * HK) + _e403;
                    bool _e405 = step_real_v(_e400, has_mask_5, p, mask, _buffer_sizes);
                    if (_e405) {
                        local_18 = tt_12 < _e9;
                    } else {
                        local_18 = false;
                    }
                    bool on_3 = local_18;
                    metal::float4 _e416 = ld_k4_(kr_8, e_14 - (ss_12 * NV4_), k, _buffer_sizes);
                    nk0_1 = on_3 ? _e416 : metal::float4(0.0);
                    metal::float4 _e423 = ld_q4_(kr_8, e_14 - (ss_12 * NV4_), q, _buffer_sizes);
                    nq0_1 = on_3 ? _e423 : metal::float4(0.0);
                }
                {
                    uint e_15 = tid_1 + 128u;
                    uint ss_13 = naga_div(e_15, NV4_);
                    uint _e429 = t0_1;
                    uint _e435 = p.t;
                    uint tt_13 = metal::min((_e429 + TB) + ss_13, _e435 - 1u);
                    uint _e439 = packed_step(b_7, tt_13, p, mask, _buffer_sizes);
                    uint _e442 = hk_3;
                    uint kr_9 = (_e439 * HK) + _e442;
                    bool _e444 = step_real_v(_e439, has_mask_5, p, mask, _buffer_sizes);
                    if (_e444) {
                        local_19 = tt_13 < _e9;
                    } else {
                        local_19 = false;
                    }
                    bool on_4 = local_19;
                    metal::float4 _e455 = ld_k4_(kr_9, e_15 - (ss_13 * NV4_), k, _buffer_sizes);
                    nk1_1 = on_4 ? _e455 : metal::float4(0.0);
                    metal::float4 _e462 = ld_q4_(kr_9, e_15 - (ss_13 * NV4_), q, _buffer_sizes);
                    nq1_1 = on_4 ? _e462 : metal::float4(0.0);
                }
                {
                    uint e_16 = tid_1 + 0u;
                    uint ss_14 = naga_div(e_16, SROWS);
                    uint _e468 = t0_1;
                    uint _e474 = p.t;
                    uint tt_14 = metal::min((_e468 + TB) + ss_14, _e474 - 1u);
                    uint _e478 = packed_step(b_7, tt_14, p, mask, _buffer_sizes);
                    uint dvv_3 = metal::min((wid_3.x * SROWS) + (e_16 - (ss_14 * SROWS)), 127u);
                    float _e494 = ld_v((((_e478 * HV) + hv_4) * DV) + dvv_3, v, _buffer_sizes);
                    bool _e495 = step_real_v(_e478, has_mask_5, p, mask, _buffer_sizes);
                    if (_e495) {
                        local_20 = tt_14 < _e9;
                    } else {
                        local_20 = false;
                    }
                    bool _e500 = local_20;
                    nv0_1 = _e500 ? _e494 : 0.0;
                }
                {
                    uint _e503 = t0_1;
                    uint _e511 = p.t;
                    uint tt_15 = metal::min((_e503 + TB) + metal::min(tid_1, 7u), _e511 - 1u);
                    uint _e515 = packed_step(b_7, tt_15, p, mask, _buffer_sizes);
                    bool _e516 = step_real_v(_e515, has_mask_5, p, mask, _buffer_sizes);
                    if (_e516) {
                        local_21 = tt_15 < _e9;
                    } else {
                        local_21 = false;
                    }
                    bool on_5 = local_21;
                    float _e525 = load_g((_e515 * HV) + hv_4, p, g, _buffer_sizes);
                    if (on_5) {
                        local_22 = !(per_key_3);
                    } else {
                        local_22 = false;
                    }
                    bool _e532 = local_22;
                    float _e538 = load_beta((_e515 * HV) + hv_4, p, beta, _buffer_sizes);
                    nsc_1 = metal::float3(_e532 ? (gate_log_4 ? metal::exp(_e525) : _e525) : 1.0, on_5 ? _e538 : 0.0, on_5 ? 1.0 : 0.0);
                }
            }
            ts_1 = 0u;
            uint2 loop_bound_9 = uint2(4294967295u);
            bool loop_init_9 = true;
            while(true) {
                if (metal::all(loop_bound_9 == uint2(0u))) { break; }
                loop_bound_9 -= uint2(loop_bound_9.y == 0u, 1u);
                if (!loop_init_9) {
                    uint _e621 = ts_1;
                    ts_1 = _e621 + 1u;
                }
                loop_init_9 = false;
                uint _e547 = ts_1;
                if (_e547 < nb_1) {
                } else {
                    break;
                }
                {
                    uint _e549 = t0_1;
                    uint _e550 = ts_1;
                    uint t_7 = _e549 + _e550;
                    uint _e552 = packed_step(b_7, t_7, p, mask, _buffer_sizes);
                    uint gi_4 = (_e552 * HV) + hv_4;
                    uint _e557 = ts_1;
                    metal::float3 sc_1 = sc_s.inner[_e557];
                    float alpha_3 = sc_1.x;
                    float bv_1 = sc_1.y;
                    bool real_3 = sc_1.z != 0.0;
                    uint _e565 = ts_1;
                    uint kq_1 = _e565 * NV4_;
                    metal::float4 k0_3 = k_s.inner[kq_1 + c0_3];
                    metal::float4 q0_1 = q_s.inner[kq_1 + c0_3];
                    if (per_key_3) {
                        metal::float4 _e576 = s0_0_1;
                        metal::float4 _e577 = key_decay(gi_4, c0_3, real_3, gate_log_4, p, g, _buffer_sizes);
                        s0_0_1 = _e576 * _e577;
                    } else {
                        metal::float4 _e579 = s0_0_1;
                        s0_0_1 = _e579 * alpha_3;
                    }
                    float kqd_1 = metal::dot(k0_3, q0_1);
                    metal::float4 _e582 = s0_0_1;
                    metal::float4 _e584 = s0_0_1;
                    metal::float3 _e587 = row_sum(metal::float3(metal::dot(_e582, k0_3), metal::dot(_e584, q0_1), kqd_1), lane_4, row_4);
                    uint _e589 = ts_1;
                    float _e598 = v_s.inner[((_e589 * SROWS) + (row_4 * RPT)) + 0u];
                    float delta0_1 = bv_1 * (_e598 - _e587.x);
                    metal::float4 _e602 = s0_0_1;
                    s0_0_1 = _e602 + (k0_3 * delta0_1);
                    float o0_1 = _e587.y + (delta0_1 * _e587.z);
                    if (lane_4 == 0u) {
                        uint _e612 = ts_1;
                        ybuf.inner[((_e612 * SROWS) + (row_4 * RPT)) + 0u] = o0_1;
                    }
                }
            }
        }
    }
    metal::threadgroup_barrier(metal::mem_flags::mem_threadgroup);
    uint _e629 = p.tn;
    if (_e629 > 0u) {
        uint _e634 = p.t0_;
        uint _e637 = p.tn;
        uint t0_3 = _e634 + (naga_div(_e637 - 1u, TB) * TB);
        e_3 = tid_1;
        uint2 loop_bound_10 = uint2(4294967295u);
        bool loop_init_10 = true;
        while(true) {
            if (metal::all(loop_bound_10 == uint2(0u))) { break; }
            loop_bound_10 -= uint2(loop_bound_10.y == 0u, 1u);
            if (!loop_init_10) {
                uint _e703 = e_3;
                e_3 = _e703 + WG;
            }
            loop_init_10 = false;
            uint _e646 = e_3;
            if (_e646 < naga_div((t_end_1 - t0_3) * SROWS, 2u)) {
            } else {
                break;
            }
            {
                uint _e654 = e_3;
                uint ss_15 = naga_div(2u * _e654, SROWS);
                uint _e662 = e_3;
                uint dvw_3 = ((wid_3.x * SROWS) + (2u * _e662)) - (ss_15 * SROWS);
                if (dvw_3 < DV) {
                    local_23 = (t0_3 + ss_15) < _e9;
                } else {
                    local_23 = false;
                }
                bool _e675 = local_23;
                if (_e675) {
                    uint _e677 = packed_step(b_7, t0_3 + ss_15, p, mask, _buffer_sizes);
                    uint gw_3 = (_e677 * HV) + hv_4;
                    uint _e690 = e_3;
                    float _e693 = ybuf.inner[2u * _e690];
                    uint _e696 = e_3;
                    float _e701 = ybuf.inner[(2u * _e696) + 1u];
                    uint _e702 = pack_y(_e693, _e701);
                    y[((gw_3 * DV) + dvw_3) >> 1u] = _e702;
                }
            }
        }
    }
    if (live0_1) {
        metal::float4 _e706 = s0_0_1;
        st_s4_(srow0_1, c0_3, _e706, s_out, _buffer_sizes);
        return;
    } else {
        return;
    }
}


struct main_snapInput {
};
[[max_total_threads_per_threadgroup(128)]] kernel void main_snap(
  metal::uint3 lid_4 [[thread_position_in_threadgroup]]
, metal::uint3 wid_4 [[threadgroup_position_in_grid]]
, constant Params& p [[user(fake0)]]
, device type_6 const& q [[user(fake0)]]
, device type_6 const& k [[user(fake0)]]
, device type_7 const& v [[user(fake0)]]
, device type_7 const& g [[user(fake0)]]
, device type_7 const& beta [[user(fake0)]]
, device type_8 const& s_in [[user(fake0)]]
, device type_7 const& mask [[user(fake0)]]
, device type_7& y [[user(fake0)]]
, device type_8& s_out [[user(fake0)]]
, threadgroup type_9& ybuf
, constant _mslBufferSizes& _buffer_sizes [[user(fake0)]]
) {
    uint hk_4 = {};
    bool local_24 = {};
    metal::float4 s0_2 = {};
    uint t_2 = {};
    metal::float3 part_2 = {};
    bool local_25 = {};
    bool local_26 = {};
    uint lane_5 = lid_4.x;
    uint row_5 = lid_4.y;
    uint dv_2 = (wid_4.x * ROWS) + row_5;
    uint n_5 = wid_4.y;
    uint b_8 = naga_div(n_5, HV);
    uint hv_5 = naga_mod(n_5, HV);
    hk_4 = naga_div(hv_5, GQA);
    if (HEAD_TILED) {
        hk_4 = naga_mod(hv_5, HK);
    }
    bool live_2 = dv_2 < DV;
    uint _e23 = p.flags;
    bool has_state_4 = (_e23 & HAS_STATE) != 0u;
    uint _e30 = p.flags;
    bool has_mask_6 = (_e30 & HAS_MASK) != 0u;
    uint _e37 = p.flags;
    bool gate_log_5 = (_e37 & GATE_LOG) != 0u;
    uint _e44 = p.flags;
    bool per_key_4 = (_e44 & GATE_PER_KEY) != 0u;
    uint _e49 = state_rows(n_5, b_8, hv_5, s_in, _buffer_sizes);
    uint srow_2 = _e49 + metal::min(dv_2, 127u);
    if (has_state_4) {
        local_24 = live_2;
    } else {
        local_24 = false;
    }
    bool load_state_2 = local_24;
    uint c0_4 = 0u + lane_5;
    metal::float4 _e61 = ld_s4_(srow_2, c0_4, p, s_in, s_out, _buffer_sizes);
    s0_2 = load_state_2 ? _e61 : metal::float4(0.0);
    uint _e66 = p.t0_;
    t_2 = _e66;
    uint2 loop_bound_11 = uint2(4294967295u);
    bool loop_init_11 = true;
    while(true) {
        if (metal::all(loop_bound_11 == uint2(0u))) { break; }
        loop_bound_11 -= uint2(loop_bound_11.y == 0u, 1u);
        if (!loop_init_11) {
            uint _e188 = t_2;
            t_2 = _e188 + 1u;
        }
        loop_init_11 = false;
        uint _e68 = t_2;
        uint _e71 = p.t0_;
        uint _e74 = p.tn;
        if (_e68 < (_e71 + _e74)) {
        } else {
            break;
        }
        {
            uint _e79 = p.t;
            uint _e81 = t_2;
            uint bt_4 = (b_8 * _e79) + _e81;
            uint gi_5 = (bt_4 * HV) + hv_5;
            uint _e88 = hk_4;
            uint kr_10 = (bt_4 * HK) + _e88;
            bool _e90 = step_real(bt_4, has_mask_6, mask, _buffer_sizes);
            float _e91 = load_g(gi_5, p, g, _buffer_sizes);
            float _e92 = load_beta(gi_5, p, beta, _buffer_sizes);
            float _e98 = ld_v((gi_5 * DV) + metal::min(dv_2, 127u), v, _buffer_sizes);
            metal::float4 _e101 = ld_k4_(kr_10, c0_4, k, _buffer_sizes);
            metal::float4 k0_4 = _e90 ? _e101 : metal::float4(0.0);
            metal::float4 _e103 = ld_q4_(kr_10, c0_4, q, _buffer_sizes);
            float alpha_4 = _e90 ? (gate_log_5 ? metal::exp(_e91) : _e91) : 1.0;
            if (per_key_4) {
                metal::float4 _e108 = s0_2;
                metal::float4 _e109 = key_decay(gi_5, c0_4, _e90, gate_log_5, p, g, _buffer_sizes);
                s0_2 = _e108 * _e109;
            } else {
                metal::float4 _e111 = s0_2;
                s0_2 = _e111 * alpha_4;
            }
            part_2 = metal::float3(0.0);
            metal::float3 _e116 = part_2;
            metal::float4 _e117 = s0_2;
            metal::float4 _e119 = s0_2;
            part_2 = _e116 + metal::float3(metal::dot(_e117, k0_4), metal::dot(_e119, _e103), metal::dot(k0_4, _e103));
            metal::float3 _e124 = part_2;
            metal::float3 _e125 = row_sum(_e124, lane_5, row_5);
            float delta_2 = _e90 ? (_e92 * (_e98 - _e125.x)) : 0.0;
            metal::float4 _e131 = s0_2;
            s0_2 = _e131 + (k0_4 * delta_2);
            float o_2 = _e90 ? (_e125.y + (delta_2 * _e125.z)) : 0.0;
            if (lane_5 == 0u) {
                ybuf.inner[row_5] = o_2;
            }
            metal::threadgroup_barrier(metal::mem_flags::mem_threadgroup);
            if (lane_5 == 0u) {
                local_25 = live_2;
            } else {
                local_25 = false;
            }
            bool _e149 = local_25;
            if (_e149) {
                local_26 = (row_5 & 1u) == 0u;
            } else {
                local_26 = false;
            }
            bool _e157 = local_26;
            if (_e157) {
                float _e167 = ybuf.inner[row_5];
                float _e172 = ybuf.inner[row_5 + 1u];
                uint _e173 = pack_y(_e167, _e172);
                y[((gi_5 * DV) + dv_2) >> 1u] = _e173;
            }
            metal::threadgroup_barrier(metal::mem_flags::mem_threadgroup);
            uint _e174 = t_2;
            uint _e175 = snap_at(_e174, p, mask, _buffer_sizes);
            if (_e175 > 0u) {
                if (live_2) {
                    uint _e180 = p.b;
                    metal::float4 _e187 = s0_2;
                    st_s4_(srow_2 + (((_e175 * _e180) * HV) * DV), c0_4, _e187, s_out, _buffer_sizes);
                }
            }
        }
    }
    if (live_2) {
        metal::float4 _e191 = s0_2;
        st_s4_(srow_2, c0_4, _e191, s_out, _buffer_sizes);
        return;
    } else {
        return;
    }
}


struct main_qknInput {
};
[[max_total_threads_per_threadgroup(128)]] kernel void main_qkn(
  metal::uint3 lid_5 [[thread_position_in_threadgroup]]
, metal::uint3 wid_5 [[threadgroup_position_in_grid]]
, constant Params& p [[user(fake0)]]
, device type_6 const& q [[user(fake0)]]
, device type_6 const& k [[user(fake0)]]
, device type_7 const& v [[user(fake0)]]
, device type_7 const& g [[user(fake0)]]
, device type_7 const& beta [[user(fake0)]]
, device type_8 const& s_in [[user(fake0)]]
, device type_7 const& mask [[user(fake0)]]
, device type_7& y [[user(fake0)]]
, device type_8& s_out [[user(fake0)]]
, threadgroup type_9& ybuf
, constant _mslBufferSizes& _buffer_sizes [[user(fake0)]]
) {
    uint hk_5 = {};
    bool local_27 = {};
    metal::float4 s0_3 = {};
    uint t_3 = {};
    metal::float3 sq_norms = {};
    metal::float3 part_3 = {};
    bool local_28 = {};
    bool local_29 = {};
    uint lane_6 = lid_5.x;
    uint row_6 = lid_5.y;
    uint dv_3 = (wid_5.x * ROWS) + row_6;
    uint n_6 = wid_5.y;
    uint b_9 = naga_div(n_6, HV);
    uint hv_6 = naga_mod(n_6, HV);
    hk_5 = naga_div(hv_6, GQA);
    if (HEAD_TILED) {
        hk_5 = naga_mod(hv_6, HK);
    }
    bool live_3 = dv_3 < DV;
    uint _e23 = p.flags;
    bool has_state_5 = (_e23 & HAS_STATE) != 0u;
    uint _e30 = p.flags;
    bool has_mask_7 = (_e30 & HAS_MASK) != 0u;
    uint _e37 = p.flags;
    bool gate_log_6 = (_e37 & GATE_LOG) != 0u;
    uint _e44 = p.flags;
    bool per_key_5 = (_e44 & GATE_PER_KEY) != 0u;
    uint _e49 = state_rows(n_6, b_9, hv_6, s_in, _buffer_sizes);
    uint srow_3 = _e49 + metal::min(dv_3, 127u);
    if (has_state_5) {
        local_27 = live_3;
    } else {
        local_27 = false;
    }
    bool load_state_3 = local_27;
    uint c0_5 = 0u + lane_6;
    metal::float4 _e61 = ld_s4_(srow_3, c0_5, p, s_in, s_out, _buffer_sizes);
    s0_3 = load_state_3 ? _e61 : metal::float4(0.0);
    uint _e66 = p.t0_;
    t_3 = _e66;
    uint2 loop_bound_12 = uint2(4294967295u);
    bool loop_init_12 = true;
    while(true) {
        if (metal::all(loop_bound_12 == uint2(0u))) { break; }
        loop_bound_12 -= uint2(loop_bound_12.y == 0u, 1u);
        if (!loop_init_12) {
            uint _e196 = t_3;
            t_3 = _e196 + 1u;
        }
        loop_init_12 = false;
        uint _e68 = t_3;
        uint _e71 = p.t0_;
        uint _e74 = p.tn;
        if (_e68 < (_e71 + _e74)) {
        } else {
            break;
        }
        {
            uint _e79 = p.t;
            uint _e81 = t_3;
            uint bt_5 = (b_9 * _e79) + _e81;
            uint gi_6 = (bt_5 * HV) + hv_6;
            uint _e88 = hk_5;
            uint kr_11 = (bt_5 * HK) + _e88;
            bool _e90 = step_real(bt_5, has_mask_7, mask, _buffer_sizes);
            float _e91 = load_g(gi_6, p, g, _buffer_sizes);
            float _e92 = load_beta(gi_6, p, beta, _buffer_sizes);
            float _e98 = ld_v((gi_6 * DV) + metal::min(dv_3, 127u), v, _buffer_sizes);
            metal::float4 _e101 = ld_k4_(kr_11, c0_5, k, _buffer_sizes);
            metal::float4 k0_5 = _e90 ? _e101 : metal::float4(0.0);
            metal::float4 _e103 = ld_q4_(kr_11, c0_5, q, _buffer_sizes);
            sq_norms = metal::float3(0.0);
            metal::float3 _e107 = sq_norms;
            sq_norms = _e107 + metal::float3(metal::dot(k0_5, k0_5), metal::dot(_e103, _e103), 0.0);
            metal::float3 _e113 = sq_norms;
            metal::float3 _e114 = row_sum(_e113, lane_6, row_6);
            float ik = metal::rsqrt(_e114.x + 0.000001);
            float iq = metal::rsqrt(_e114.y + 0.000001);
            float alpha_5 = _e90 ? (gate_log_6 ? metal::exp(_e91) : _e91) : 1.0;
            if (per_key_5) {
                metal::float4 _e127 = s0_3;
                metal::float4 _e128 = key_decay(gi_6, c0_5, _e90, gate_log_6, p, g, _buffer_sizes);
                s0_3 = _e127 * _e128;
            } else {
                metal::float4 _e130 = s0_3;
                s0_3 = _e130 * alpha_5;
            }
            part_3 = metal::float3(0.0);
            metal::float3 _e135 = part_3;
            metal::float4 _e136 = s0_3;
            metal::float4 _e138 = s0_3;
            part_3 = _e135 + metal::float3(metal::dot(_e136, k0_5), metal::dot(_e138, _e103), metal::dot(k0_5, _e103));
            metal::float3 _e143 = part_3;
            metal::float3 _e144 = row_sum(_e143, lane_6, row_6);
            float delta_3 = _e90 ? (_e92 * (_e98 - (_e144.x * ik))) : 0.0;
            float dk_step = delta_3 * ik;
            metal::float4 _e152 = s0_3;
            s0_3 = _e152 + (k0_5 * dk_step);
            float o_3 = _e90 ? ((_e144.y + (dk_step * _e144.z)) * iq) : 0.0;
            if (lane_6 == 0u) {
                ybuf.inner[row_6] = o_3;
            }
            metal::threadgroup_barrier(metal::mem_flags::mem_threadgroup);
            if (lane_6 == 0u) {
                local_28 = live_3;
            } else {
                local_28 = false;
            }
            bool _e171 = local_28;
            if (_e171) {
                local_29 = (row_6 & 1u) == 0u;
            } else {
                local_29 = false;
            }
            bool _e179 = local_29;
            if (_e179) {
                float _e189 = ybuf.inner[row_6];
                float _e194 = ybuf.inner[row_6 + 1u];
                uint _e195 = pack_y(_e189, _e194);
                y[((gi_6 * DV) + dv_3) >> 1u] = _e195;
            }
            metal::threadgroup_barrier(metal::mem_flags::mem_threadgroup);
        }
    }
    if (live_3) {
        metal::float4 _e199 = s0_3;
        st_s4_(srow_3, c0_5, _e199, s_out, _buffer_sizes);
        return;
    } else {
        return;
    }
}
