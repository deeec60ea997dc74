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
    uint q_at;
    uint q_stride;
    uint k_at;
    uint k_stride;
    uint v_at;
    uint v_stride;
    uint view_pad0_;
    uint view_pad1_;
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

uint q_row(
    uint bt_3,
    uint hk_6,
    constant Params& p
) {
    uint _e4 = p.q_at;
    uint _e7 = p.q_stride;
    return (_e4 + (bt_3 * _e7)) + (hk_6 * DK);
}

uint k_row(
    uint bt_4,
    uint hk_7,
    constant Params& p
) {
    uint _e4 = p.k_at;
    uint _e7 = p.k_stride;
    return (_e4 + (bt_4 * _e7)) + (hk_7 * DK);
}

uint v_row(
    uint bt_5,
    uint hv,
    constant Params& p
) {
    uint _e4 = p.v_at;
    uint _e7 = p.v_stride;
    return (_e4 + (bt_5 * _e7)) + (hv * DV);
}

metal::float4 ld_q4_(
    uint e0_,
    uint c_1,
    device type_6 const& q,
    constant _mslBufferSizes& _buffer_sizes
) {
    metal::uint2 w_2 = q[(e0_ >> 2u) + c_1];
    return as_type<metal::float4>(metal::uint4(w_2.x << 16u, w_2.x & 4294901760u, w_2.y << 16u, w_2.y & 4294901760u));
}

metal::float4 ld_k4_(
    uint e0_1,
    uint c_2,
    device type_6 const& k,
    constant _mslBufferSizes& _buffer_sizes
) {
    metal::uint2 w_3 = k[(e0_1 >> 2u) + c_2];
    return as_type<metal::float4>(metal::uint4(w_3.x << 16u, w_3.x & 4294901760u, w_3.y << 16u, w_3.y & 4294901760u));
}

metal::float4 ld_s4_(
    uint r,
    uint c_3,
    constant Params& p,
    device type_8 const& s_in,
    device type_8 const& s_out,
    constant _mslBufferSizes& _buffer_sizes
) {
    uint _e4 = p.flags;
    bool from_out = (_e4 & STATE_FROM_OUT) != 0u;
    if (from_out) {
        metal::float4 _e14 = s_out[(r * NV4_) + c_3];
        return _e14;
    }
    metal::float4 _e20 = s_in[(r * NV4_) + c_3];
    return _e20;
}

void st_s4_(
    uint r_1,
    uint c_4,
    metal::float4 x_3,
    device type_8& s_out,
    constant _mslBufferSizes& _buffer_sizes
) {
    s_out[(r_1 * NV4_) + c_4] = x_3;
    return;
}

uint state_rows(
    uint n,
    uint b_3,
    uint hv_1,
    device type_8 const& s_in,
    constant _mslBufferSizes& _buffer_sizes
) {
    if (POOLED) {
        float _e11 = s_in[b_3 >> 2u][b_3 & 3u];
        uint slot = as_type<uint>(_e11);
        return ((slot * HV) + hv_1) * DV;
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
    uint hv_2 = naga_mod(n_1, HV);
    hk = naga_div(hv_2, GQA);
    if (HEAD_TILED) {
        hk = naga_mod(hv_2, HK);
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
    uint _e49 = state_rows(n_1, b_4, hv_2, s_in, _buffer_sizes);
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
            uint _e173 = t;
            t = _e173 + 1u;
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
            uint bt_6 = (b_4 * _e79) + _e81;
            uint gi_1 = (bt_6 * HV) + hv_2;
            uint _e86 = hk;
            uint _e87 = k_row(bt_6, _e86, p);
            uint _e88 = hk;
            uint _e89 = q_row(bt_6, _e88, p);
            bool _e90 = step_real(bt_6, has_mask_2, mask, _buffer_sizes);
            float _e91 = load_g(gi_1, p, g, _buffer_sizes);
            float _e92 = load_beta(gi_1, p, beta, _buffer_sizes);
            uint _e93 = v_row(bt_6, hv_2, p);
            float _e97 = ld_v(_e93 + metal::min(dv, 127u), v, _buffer_sizes);
            metal::float4 _e100 = ld_k4_(_e87, c0_, k, _buffer_sizes);
            metal::float4 k0_ = _e90 ? _e100 : metal::float4(0.0);
            metal::float4 _e102 = ld_q4_(_e89, c0_, q, _buffer_sizes);
            float alpha = _e90 ? (gate_log_1 ? metal::exp(_e91) : _e91) : 1.0;
            if (per_key) {
                metal::float4 _e107 = s0_;
                metal::float4 _e108 = key_decay(gi_1, c0_, _e90, gate_log_1, p, g, _buffer_sizes);
                s0_ = _e107 * _e108;
            } else {
                metal::float4 _e110 = s0_;
                s0_ = _e110 * alpha;
            }
            part = metal::float3(0.0);
            metal::float3 _e115 = part;
            metal::float4 _e116 = s0_;
            metal::float4 _e118 = s0_;
            part = _e115 + metal::float3(metal::dot(_e116, k0_), metal::dot(_e118, _e102), metal::dot(k0_, _e102));
            metal::float3 _e123 = part;
            metal::float3 _e124 = row_sum(_e123, lane_1, row_1);
            float delta = _e90 ? (_e92 * (_e97 - _e124.x)) : 0.0;
            metal::float4 _e130 = s0_;
            s0_ = _e130 + (k0_ * delta);
            float o = _e90 ? (_e124.y + (delta * _e124.z)) : 0.0;
            if (lane_1 == 0u) {
                ybuf.inner[row_1] = o;
            }
            metal::threadgroup_barrier(metal::mem_flags::mem_threadgroup);
            if (lane_1 == 0u) {
                local_1 = live;
            } else {
                local_1 = false;
            }
            bool _e148 = local_1;
            if (_e148) {
                local_2 = (row_1 & 1u) == 0u;
            } else {
                local_2 = false;
            }
            bool _e156 = local_2;
            if (_e156) {
                float _e166 = ybuf.inner[row_1];
                float _e171 = ybuf.inner[row_1 + 1u];
                uint _e172 = pack_y(_e166, _e171);
                y[((gi_1 * DV) + dv) >> 1u] = _e172;
            }
            metal::threadgroup_barrier(metal::mem_flags::mem_threadgroup);
        }
    }
    if (live) {
        metal::float4 _e176 = s0_;
        st_s4_(srow, c0_, _e176, s_out, _buffer_sizes);
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
    uint hv_3 = naga_mod(n_2, HV);
    hk_1 = naga_div(hv_3, GQA);
    if (HEAD_TILED) {
        hk_1 = naga_mod(hv_3, HK);
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
    uint _e55 = state_rows(n_2, b_5, hv_3, s_in, _buffer_sizes);
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
            uint _e121 = hk_1;
            uint _e122 = k_row(bt_e, _e121, p);
            uint _e123 = hk_1;
            uint _e124 = q_row(bt_e, _e123, p);
            bool _e125 = step_real(bt_e, has_mask_3, mask, _buffer_sizes);
            metal::float4 _e131 = ld_k4_(_e122, e_5 - (ss * NV4_), k, _buffer_sizes);
            nk0_ = _e125 ? _e131 : metal::float4(0.0);
            metal::float4 _e138 = ld_q4_(_e124, e_5 - (ss * NV4_), q, _buffer_sizes);
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
            uint _e159 = hk_1;
            uint _e160 = k_row(bt_e_1, _e159, p);
            uint _e161 = hk_1;
            uint _e162 = q_row(bt_e_1, _e161, p);
            bool _e163 = step_real(bt_e_1, has_mask_3, mask, _buffer_sizes);
            metal::float4 _e169 = ld_k4_(_e160, e_6 - (ss_1 * NV4_), k, _buffer_sizes);
            nk1_ = _e163 ? _e169 : metal::float4(0.0);
            metal::float4 _e176 = ld_q4_(_e162, e_6 - (ss_1 * NV4_), q, _buffer_sizes);
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
            uint _e206 = v_row(bt_e_2, hv_3, p);
            float _e208 = ld_v(_e206 + dvv, v, _buffer_sizes);
            bool _e209 = step_real(bt_e_2, has_mask_3, mask, _buffer_sizes);
            nv0_ = _e209 ? _e208 : 0.0;
        }
        {
            uint _e214 = p.t0_;
            uint _e220 = p.t;
            uint tt_3 = metal::min(_e214 + metal::min(tid, 7u), _e220 - 1u);
            uint _e226 = p.t;
            uint bt_s = (b_5 * _e226) + tt_3;
            bool _e229 = step_real(bt_s, has_mask_3, mask, _buffer_sizes);
            float _e233 = load_g((bt_s * HV) + hv_3, p, g, _buffer_sizes);
            if (_e229) {
                local_4 = !(per_key_1);
            } else {
                local_4 = false;
            }
            bool _e240 = local_4;
            float _e246 = load_beta((bt_s * HV) + hv_3, p, beta, _buffer_sizes);
            nsc = metal::float3(_e240 ? (gate_log_2 ? metal::exp(_e233) : _e233) : 1.0, _e229 ? _e246 : 0.0, _e229 ? 1.0 : 0.0);
        }
    }
    uint _e255 = p.t0_;
    t0_ = _e255;
    uint2 loop_bound_2 = uint2(4294967295u);
    bool loop_init_2 = true;
    while(true) {
        if (metal::all(loop_bound_2 == uint2(0u))) { break; }
        loop_bound_2 -= uint2(loop_bound_2.y == 0u, 1u);
        if (!loop_init_2) {
            uint _e606 = t0_;
            t0_ = _e606 + TB;
        }
        loop_init_2 = false;
        uint _e257 = t0_;
        if (_e257 < t_end) {
        } else {
            break;
        }
        {
            uint _e260 = t0_;
            uint nb = metal::min(TB, t_end - _e260);
            metal::threadgroup_barrier(metal::mem_flags::mem_threadgroup);
            uint _e263 = t0_;
            uint _e266 = p.t0_;
            if (_e263 > _e266) {
                e = tid;
                uint2 loop_bound_3 = uint2(4294967295u);
                bool loop_init_3 = true;
                while(true) {
                    if (metal::all(loop_bound_3 == uint2(0u))) { break; }
                    loop_bound_3 -= uint2(loop_bound_3.y == 0u, 1u);
                    if (!loop_init_3) {
                        uint _e323 = e;
                        e = _e323 + WG;
                    }
                    loop_init_3 = false;
                    uint _e269 = e;
                    if (_e269 < 16u) {
                    } else {
                        break;
                    }
                    {
                        uint _e273 = e;
                        uint ss_3 = naga_div(2u * _e273, SROWS);
                        uint _e281 = e;
                        uint dvw = ((wid_1.x * SROWS) + (2u * _e281)) - (ss_3 * SROWS);
                        if (dvw < DV) {
                            uint _e291 = p.t;
                            uint _e293 = t0_;
                            uint gw = (((((b_5 * _e291) + _e293) - TB) + ss_3) * HV) + hv_3;
                            uint _e310 = e;
                            float _e313 = ybuf.inner[2u * _e310];
                            uint _e316 = e;
                            float _e321 = ybuf.inner[(2u * _e316) + 1u];
                            uint _e322 = pack_y(_e313, _e321);
                            y[((gw * DV) + dvw) >> 1u] = _e322;
                        }
                    }
                }
            }
            if ((tid + 0u) < 256u) {
                metal::float4 _e334 = nk0_;
                k_s.inner[tid + 0u] = _e334;
                metal::float4 _e339 = nq0_;
                q_s.inner[tid + 0u] = _e339;
            }
            if ((tid + 128u) < 256u) {
                metal::float4 _e348 = nk1_;
                k_s.inner[tid + 128u] = _e348;
                metal::float4 _e353 = nq1_;
                q_s.inner[tid + 128u] = _e353;
            }
            if ((tid + 0u) < 32u) {
                float _e362 = nv0_;
                v_s.inner[tid + 0u] = _e362;
            }
            if (tid < TB) {
                metal::float3 _e367 = nsc;
                sc_s.inner[tid] = _e367;
            }
            metal::threadgroup_barrier(metal::mem_flags::mem_threadgroup);
            uint _e368 = t0_;
            if ((_e368 + TB) < t_end) {
                {
                    uint e_8 = tid + 0u;
                    uint ss_4 = naga_div(e_8, NV4_);
                    uint _e376 = t0_;
                    uint _e382 = p.t;
                    uint tt_4 = metal::min((_e376 + TB) + ss_4, _e382 - 1u);
                    uint _e388 = p.t;
                    uint bt_e_3 = (b_5 * _e388) + tt_4;
                    uint _e391 = hk_1;
                    uint _e392 = k_row(bt_e_3, _e391, p);
                    uint _e393 = hk_1;
                    uint _e394 = q_row(bt_e_3, _e393, p);
                    bool _e395 = step_real(bt_e_3, has_mask_3, mask, _buffer_sizes);
                    metal::float4 _e401 = ld_k4_(_e392, e_8 - (ss_4 * NV4_), k, _buffer_sizes);
                    nk0_ = _e395 ? _e401 : metal::float4(0.0);
                    metal::float4 _e408 = ld_q4_(_e394, e_8 - (ss_4 * NV4_), q, _buffer_sizes);
                    nq0_ = _e395 ? _e408 : metal::float4(0.0);
                }
                {
                    uint e_9 = tid + 128u;
                    uint ss_5 = naga_div(e_9, NV4_);
                    uint _e414 = t0_;
                    uint _e420 = p.t;
                    uint tt_5 = metal::min((_e414 + TB) + ss_5, _e420 - 1u);
                    uint _e426 = p.t;
                    uint bt_e_4 = (b_5 * _e426) + tt_5;
                    uint _e429 = hk_1;
                    uint _e430 = k_row(bt_e_4, _e429, p);
                    uint _e431 = hk_1;
                    uint _e432 = q_row(bt_e_4, _e431, p);
                    bool _e433 = step_real(bt_e_4, has_mask_3, mask, _buffer_sizes);
                    metal::float4 _e439 = ld_k4_(_e430, e_9 - (ss_5 * NV4_), k, _buffer_sizes);
                    nk1_ = _e433 ? _e439 : metal::float4(0.0);
                    metal::float4 _e446 = ld_q4_(_e432, e_9 - (ss_5 * NV4_), q, _buffer_sizes);
                    nq1_ = _e433 ? _e446 : metal::float4(0.0);
                }
                {
                    uint e_10 = tid + 0u;
                    uint ss_6 = naga_div(e_10, SROWS);
                    uint _e452 = t0_;
                    uint _e458 = p.t;
                    uint tt_6 = metal::min((_e452 + TB) + ss_6, _e458 - 1u);
                    uint _e464 = p.t;
                    uint bt_e_5 = (b_5 * _e464) + tt_6;
                    uint dvv_1 = metal::min((wid_1.x * SROWS) + (e_10 - (ss_6 * SROWS)), 127u);
                    uint _e476 = v_row(bt_e_5, hv_3, p);
                    float _e478 = ld_v(_e476 + dvv_1, v, _buffer_sizes);
                    bool _e479 = step_real(bt_e_5, has_mask_3, mask, _buffer_sizes);
                    nv0_ = _e479 ? _e478 : 0.0;
                }
                {
                    uint _e482 = t0_;
                    uint _e490 = p.t;
                    uint tt_7 = metal::min((_e482 + TB) + metal::min(tid, 7u), _e490 - 1u);
                    uint _e496 = p.t;
                    uint bt_s_1 = (b_5 * _e496) + tt_7;
                    bool _e499 = step_real(bt_s_1, has_mask_3, mask, _buffer_sizes);
                    float _e503 = load_g((bt_s_1 * HV) + hv_3, p, g, _buffer_sizes);
                    if (_e499) {
                        local_5 = !(per_key_1);
                    } else {
                        local_5 = false;
                    }
                    bool _e510 = local_5;
                    float _e516 = load_beta((bt_s_1 * HV) + hv_3, p, beta, _buffer_sizes);
                    nsc = metal::float3(_e510 ? (gate_log_2 ? metal::exp(_e503) : _e503) : 1.0, _e499 ? _e516 : 0.0, _e499 ? 1.0 : 0.0);
                }
            }
            ts = 0u;
            uint2 loop_bound_4 = uint2(4294967295u);
            bool loop_init_4 = true;
            while(true) {
                if (metal::all(loop_bound_4 == uint2(0u))) { break; }
                loop_bound_4 -= uint2(loop_bound_4.y == 0u, 1u);
                if (!loop_init_4) {
                    uint _e603 = ts;
                    ts = _e603 + 1u;
                }
                loop_init_4 = false;
                uint _e525 = ts;
                if (_e525 < nb) {
                } else {
                    break;
                }
                {
                    uint _e527 = t0_;
                    uint _e528 = ts;
                    uint t_6 = _e527 + _e528;
                    uint _e532 = p.t;
                    uint gi_2 = (((b_5 * _e532) + t_6) * HV) + hv_3;
                    uint _e539 = ts;
                    metal::float3 sc = sc_s.inner[_e539];
                    float alpha_1 = sc.x;
                    float bv = sc.y;
                    bool real_1 = sc.z != 0.0;
                    uint _e547 = ts;
                    uint kq = _e547 * NV4_;
                    metal::float4 k0_1 = k_s.inner[kq + c0_1];
                    metal::float4 q0_ = q_s.inner[kq + c0_1];
                    if (per_key_1) {
                        metal::float4 _e558 = s0_0_;
                        metal::float4 _e559 = key_decay(gi_2, c0_1, real_1, gate_log_2, p, g, _buffer_sizes);
                        s0_0_ = _e558 * _e559;
                    } else {
                        metal::float4 _e561 = s0_0_;
                        s0_0_ = _e561 * alpha_1;
                    }
                    float kqd = metal::dot(k0_1, q0_);
                    metal::float4 _e564 = s0_0_;
                    metal::float4 _e566 = s0_0_;
                    metal::float3 _e569 = row_sum(metal::float3(metal::dot(_e564, k0_1), metal::dot(_e566, q0_), kqd), lane_2, row_2);
                    uint _e571 = ts;
                    float _e580 = v_s.inner[((_e571 * SROWS) + (row_2 * RPT)) + 0u];
                    float delta0_ = bv * (_e580 - _e569.x);
                    metal::float4 _e584 = s0_0_;
                    s0_0_ = _e584 + (k0_1 * delta0_);
                    float o0_ = _e569.y + (delta0_ * _e569.z);
                    if (lane_2 == 0u) {
                        uint _e594 = ts;
                        ybuf.inner[((_e594 * SROWS) + (row_2 * RPT)) + 0u] = o0_;
                    }
                }
            }
        }
    }
    metal::threadgroup_barrier(metal::mem_flags::mem_threadgroup);
    uint _e611 = p.tn;
    if (_e611 > 0u) {
        uint _e616 = p.t0_;
        uint _e619 = p.tn;
        uint t0_2 = _e616 + (naga_div(_e619 - 1u, TB) * TB);
        e_1 = tid;
        uint2 loop_bound_5 = uint2(4294967295u);
        bool loop_init_5 = true;
        while(true) {
            if (metal::all(loop_bound_5 == uint2(0u))) { break; }
            loop_bound_5 -= uint2(loop_bound_5.y == 0u, 1u);
            if (!loop_init_5) {
                uint _e683 = e_1;
                e_1 = _e683 + WG;
            }
            loop_init_5 = false;
            uint _e628 = e_1;
            if (_e628 < naga_div((t_end - t0_2) * SROWS, 2u)) {
            } else {
                break;
            }
            {
                uint _e636 = e_1;
                uint ss_7 = naga_div(2u * _e636, SROWS);
                uint _e644 = e_1;
                uint dvw_1 = ((wid_1.x * SROWS) + (2u * _e644)) - (ss_7 * SROWS);
                if (dvw_1 < DV) {
                    uint _e654 = p.t;
                    uint gw_1 = ((((b_5 * _e654) + t0_2) + ss_7) * HV) + hv_3;
                    uint _e670 = e_1;
                    float _e673 = ybuf.inner[2u * _e670];
                    uint _e676 = e_1;
                    float _e681 = ybuf.inner[(2u * _e676) + 1u];
                    uint _e682 = pack_y(_e673, _e681);
                    y[((gw_1 * DV) + dvw_1) >> 1u] = _e682;
                }
            }
        }
    }
    if (live0_) {
        metal::float4 _e686 = s0_0_;
        st_s4_(srow0_, c0_1, _e686, s_out, _buffer_sizes);
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
    uint hv_4 = naga_mod(n_3, HV);
    hk_2 = naga_div(hv_4, GQA);
    if (HEAD_TILED) {
        hk_2 = naga_mod(hv_4, HK);
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
    uint _e50 = state_rows(n_3, b_6, hv_4, s_in, _buffer_sizes);
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
            uint _e182 = t_1;
            t_1 = _e182 + 1u;
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
            uint gi_3 = (_e79 * HV) + hv_4;
            uint _e83 = hk_2;
            uint _e84 = k_row(_e79, _e83, p);
            uint _e85 = hk_2;
            uint _e86 = q_row(_e79, _e85, p);
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
            uint _e96 = v_row(_e79, hv_4, p);
            float _e100 = ld_v(_e96 + metal::min(dv_1, 127u), v, _buffer_sizes);
            metal::float4 _e103 = ld_k4_(_e84, c0_2, k, _buffer_sizes);
            metal::float4 k0_2 = real_2 ? _e103 : metal::float4(0.0);
            metal::float4 _e105 = ld_q4_(_e86, c0_2, q, _buffer_sizes);
            float alpha_2 = real_2 ? (gate_log_3 ? metal::exp(_e94) : _e94) : 1.0;
            if (per_key_2) {
                metal::float4 _e110 = s0_1;
                metal::float4 _e111 = key_decay(gi_3, c0_2, real_2, gate_log_3, p, g, _buffer_sizes);
                s0_1 = _e110 * _e111;
            } else {
                metal::float4 _e113 = s0_1;
                s0_1 = _e113 * alpha_2;
            }
            part_1 = metal::float3(0.0);
            metal::float3 _e118 = part_1;
            metal::float4 _e119 = s0_1;
            metal::float4 _e121 = s0_1;
            part_1 = _e118 + metal::float3(metal::dot(_e119, k0_2), metal::dot(_e121, _e105), metal::dot(k0_2, _e105));
            metal::float3 _e126 = part_1;
            metal::float3 _e127 = row_sum(_e126, lane_3, row_3);
            float delta_1 = real_2 ? (_e95 * (_e100 - _e127.x)) : 0.0;
            metal::float4 _e133 = s0_1;
            s0_1 = _e133 + (k0_2 * delta_1);
            float o_1 = real_2 ? (_e127.y + (delta_1 * _e127.z)) : 0.0;
            if (lane_3 == 0u) {
                ybuf.inner[row_3] = o_1;
            }
            metal::threadgroup_barrier(metal::mem_flags::mem_threadgroup);
            if (lane_3 == 0u) {
                local_8 = live_1;
            } else {
                local_8 = false;
            }
            bool _e151 = local_8;
            if (_e151) {
                local_9 = (row_3 & 1u) == 0u;
            } else {
                local_9 = false;
            }
            bool _e159 = local_9;
            if (_e159) {
                uint _e162 = t_1;
                local_10 = _e162 < _e21;
            } else {
                local_10 = false;
            }
            bool _e165 = local_10;
            if (_e165) {
                float _e175 = ybuf.inner[row_3];
                float _e180 = ybuf.inner[row_3 + 1u];
                uint _e181 = pack_y(_e175, _e180);
                y[((gi_3 * DV) + dv_1) >> 1u] = _e181;
            }
            metal::threadgroup_barrier(metal::mem_flags::mem_threadgroup);
        }
    }
    if (live_1) {
        metal::float4 _e185 = s0_1;
        st_s4_(srow_1, c0_2, _e185, s_out, _buffer_sizes);
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
    uint hv_5 = naga_mod(n_4, HV);
    uint _e9 = seq_len(b_7, p, mask, _buffer_sizes);
    hk_3 = naga_div(hv_5, GQA);
    if (HEAD_TILED) {
        hk_3 = naga_mod(hv_5, HK);
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
    uint _e56 = state_rows(n_4, b_7, hv_5, s_in, _buffer_sizes);
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
            uint _e118 = hk_3;
            uint _e119 = k_row(_e117, _e118, p);
            uint _e120 = hk_3;
            uint _e121 = q_row(_e117, _e120, p);
            bool _e122 = step_real_v(_e117, has_mask_5, p, mask, _buffer_sizes);
            if (_e122) {
                local_12 = tt_8 < _e9;
            } else {
                local_12 = false;
            }
            bool on = local_12;
            metal::float4 _e133 = ld_k4_(_e119, e_11 - (ss_8 * NV4_), k, _buffer_sizes);
            nk0_1 = on ? _e133 : metal::float4(0.0);
            metal::float4 _e140 = ld_q4_(_e121, e_11 - (ss_8 * NV4_), q, _buffer_sizes);
            nq0_1 = on ? _e140 : metal::float4(0.0);
        }
        {
            uint e_12 = tid_1 + 128u;
            uint ss_9 = naga_div(e_12, NV4_);
            uint _e148 = p.t0_;
            uint _e152 = p.t;
            uint tt_9 = metal::min(_e148 + ss_9, _e152 - 1u);
            uint _e156 = packed_step(b_7, tt_9, p, mask, _buffer_sizes);
            uint _e157 = hk_3;
            uint _e158 = k_row(_e156, _e157, p);
            uint _e159 = hk_3;
            uint _e160 = q_row(_e156, _e159, p);
            bool _e161 = step_real_v(_e156, has_mask_5, p, mask, _buffer_sizes);
            if (_e161) {
                local_13 = tt_9 < _e9;
            } else {
                local_13 = false;
            }
            bool on_1 = local_13;
            metal::float4 _e172 = ld_k4_(_e158, e_12 - (ss_9 * NV4_), k, _buffer_sizes);
            nk1_1 = on_1 ? _e172 : metal::float4(0.0);
            metal::float4 _e179 = ld_q4_(_e160, e_12 - (ss_9 * NV4_), q, _buffer_sizes);
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
            uint _e205 = v_row(_e195, hv_5, p);
            float _e207 = ld_v(_e205 + dvv_2, v, _buffer_sizes);
            bool _e208 = step_real_v(_e195, has_mask_5, p, mask, _buffer_sizes);
            if (_e208) {
                local_14 = tt_10 < _e9;
            } else {
                local_14 = false;
            }
            bool _e213 = local_14;
            nv0_1 = _e213 ? _e207 : 0.0;
        }
        {
            uint _e218 = p.t0_;
            uint _e224 = p.t;
            uint tt_11 = metal::min(_e218 + metal::min(tid_1, 7u), _e224 - 1u);
            uint _e228 = packed_step(b_7, tt_11, p, mask, _buffer_sizes);
            bool _e229 = step_real_v(_e228, has_mask_5, p, mask, _buffer_sizes);
            if (_e229) {
                local_15 = tt_11 < _e9;
            } else {
                local_15 = false;
            }
            bool on_2 = local_15;
            float _e238 = load_g((_e228 * HV) + hv_5, p, g, _buffer_sizes);
            if (on_2) {
                local_16 = !(per_key_3);
            } else {
                local_16 = false;
            }
            bool _e245 = local_16;
            float _e251 = load_beta((_e228 * HV) + hv_5, p, beta, _buffer_sizes);
            nsc_1 = metal::float3(_e245 ? (gate_log_4 ? metal::exp(_e238) : _e238) : 1.0, on_2 ? _e251 : 0.0, on_2 ? 1.0 : 0.0);
        }
    }
    uint _e260 = p.t0_;
    t0_1 = _e260;
    uint2 loop_bound_7 = uint2(4294967295u);
    bool loop_init_7 = true;
    while(true) {
        if (metal::all(loop_bound_7 == uint2(0u))) { break; }
        loop_bound_7 -= uint2(loop_bound_7.y == 0u, 1u);
        if (!loop_init_7) {
            uint _e616 = t0_1;
            t0_1 = _e616 + TB;
        }
        loop_init_7 = false;
        uint _e262 = t0_1;
        if (_e262 < t_end_1) {
        } else {
            break;
        }
        {
            uint _e265 = t0_1;
            uint nb_1 = metal::min(TB, t_end_1 - _e265);
            metal::threadgroup_barrier(metal::mem_flags::mem_threadgroup);
            uint _e268 = t0_1;
            uint _e271 = p.t0_;
            if (_e268 > _e271) {
                e_2 = tid_1;
                uint2 loop_bound_8 = uint2(4294967295u);
                bool loop_init_8 = true;
                while(true) {
                    if (metal::all(loop_bound_8 == uint2(0u))) { break; }
                    loop_bound_8 -= uint2(loop_bound_8.y == 0u, 1u);
                    if (!loop_init_8) {
                        uint _e333 = e_2;
                        e_2 = _e333 + WG;
                    }
                    loop_init_8 = false;
                    uint _e274 = e_2;
                    if (_e274 < 16u) {
                    } else {
                        break;
                    }
                    {
                        uint _e278 = e_2;
                        uint ss_11 = naga_div(2u * _e278, SROWS);
                        uint _e286 = e_2;
                        uint dvw_2 = ((wid_3.x * SROWS) + (2u * _e286)) - (ss_11 * SROWS);
                        if (dvw_2 < DV) {
                            uint _e296 = t0_1;
                            local_17 = ((_e296 - TB) + ss_11) < _e9;
                        } else {
                            local_17 = false;
                        }
                        bool _e302 = local_17;
                        if (_e302) {
                            uint _e303 = t0_1;
                            uint _e307 = packed_step(b_7, (_e303 - TB) + ss_11, p, mask, _buffer_sizes);
                            uint gw_2 = (_e307 * HV) + hv_5;
                            uint _e320 = e_2;
                            float _e323 = ybuf.inner[2u * _e320];
                            uint _e326 = e_2;
                            float _e331 = ybuf.inner[(2u * _e326) + 1u];
                            uint _e332 = pack_y(_e323, _e331);
                            y[((gw_2 * DV) + dvw_2) >> 1u] = _e332;
                        }
                    }
                }
            }
            if ((tid_1 + 0u) < 256u) {
                metal::float4 _e344 = nk0_1;
                k_s.inner[tid_1 + 0u] = _e344;
                metal::float4 _e349 = nq0_1;
                q_s.inner[tid_1 + 0u] = _e349;
            }
            if ((tid_1 + 128u) < 256u) {
                metal::float4 _e358 = nk1_1;
                k_s.inner[tid_1 + 128u] = _e358;
                metal::float4 _e363 = nq1_1;
                q_s.inner[tid_1 + 128u] = _e363;
            }
            if ((tid_1 + 0u) < 32u) {
                float _e372 = nv0_1;
                v_s.inner[tid_1 + 0u] = _e372;
            }
            if (tid_1 < TB) {
                metal::float3 _e377 = nsc_1;
                sc_s.inner[tid_1] = _e377;
            }
            metal::threadgroup_barrier(metal::mem_flags::mem_threadgroup);
            uint _e378 = t0_1;
            if ((_e378 + TB) < t_end_1) {
                {
                    uint e_14 = tid_1 + 0u;
                    uint ss_12 = naga_div(e_14, NV4_);
                    uint _e386 = t0_1;
                    uint _e392 = p.t;
                    uint tt_12 = metal::min((_e386 + TB) + ss_12, _e392 - 1u);
                    uint _e396 = packed_step(b_7, tt_12, p, mask, _buffer_sizes);
                    uint _e397 = hk_3;
                    uint _e398 = k_row(_e396, _e397, p);
                    uint _e399 = hk_3;
                    uint _e400 = q_row(_e396, _e399, p);
                    bool _e401 = step_real_v(_e396, has_mask_5, p, mask, _buffer_sizes);
                    if (_e401) {
                        local_18 = tt_12 < _e9;
                    } else {
                        local_18 = false;
                    }
                    bool on_3 = local_18;
                    metal::float4 _e412 = ld_k4_(_e398, e_14 - (ss_12 * NV4_), k, _buffer_sizes);
                    nk0_1 = on_3 ? _e412 : metal::float4(0.0);
                    metal::float4 _e419 = ld_q4_(_e400, e_14 - (ss_12 * NV4_), q, _buffer_sizes);
                    nq0_1 = on_3 ? _e419 : metal::float4(0.0);
                }
                {
                    uint e_15 = tid_1 + 128u;
                    uint ss_13 = naga_div(e_15, NV4_);
                    uint _e425 = t0_1;
                    uint _e431 = p.t;
                    uint tt_13 = metal::min((_e425 + TB) + ss_13, _e431 - 1u);
                    uint _e435 = packed_step(b_7, tt_13, p, mask, _buffer_sizes);
                    uint _e436 = hk_3;
                    uint _e437 = k_row(_e435, _e436, p);
                    uint _e438 = hk_3;
                    uint _e439 = q_row(_e435, _e438, p);
                    bool _e440 = step_real_v(_e435, has_mask_5, p, mask, _buffer_sizes);
                    if (_e440) {
                        local_19 = tt_13 < _e9;
                    } else {
                        local_19 = false;
                    }
                    bool on_4 = local_19;
                    metal::float4 _e451 = ld_k4_(_e437, e_15 - (ss_13 * NV4_), k, _buffer_sizes);
                    nk1_1 = on_4 ? _e451 : metal::float4(0.0);
                    metal::float4 _e458 = ld_q4_(_e439, e_15 - (ss_13 * NV4_), q, _buffer_sizes);
                    nq1_1 = on_4 ? _e458 : metal::float4(0.0);
                }
                {
                    uint e_16 = tid_1 + 0u;
                    uint ss_14 = naga_div(e_16, SROWS);
                    uint _e464 = t0_1;
                    uint _e470 = p.t;
                    uint tt_14 = metal::min((_e464 + TB) + ss_14, _e470 - 1u);
                    uint _e474 = packed_step(b_7, tt_14, p, mask, _buffer_sizes);
                    uint dvv_3 = metal::min((wid_3.x * SROWS) + (e_16 - (ss_14 * SROWS)), 127u);
                    uint _e484 = v_row(_e474, hv_5, p);
                    float _e486 = ld_v(_e484 + dvv_3, v, _buffer_sizes);
                    bool _e487 = step_real_v(_e474, has_mask_5, p, mask, _buffer_sizes);
                    if (_e487) {
                        local_20 = tt_14 < _e9;
                    } else {
                        local_20 = false;
                    }
                    bool _e492 = local_20;
                    nv0_1 = _e492 ? _e486 : 0.0;
                }
                {
                    uint _e495 = t0_1;
                    uint _e503 = p.t;
                    uint tt_15 = metal::min((_e495 + TB) + metal::min(tid_1, 7u), _e503 - 1u);
                    uint _e507 = packed_step(b_7, tt_15, p, mask, _buffer_sizes);
                    bool _e508 = step_real_v(_e507, has_mask_5, p, mask, _buffer_sizes);
                    if (_e508) {
                        local_21 = tt_15 < _e9;
                    } else {
                        local_21 = false;
                    }
                    bool on_5 = local_21;
                    float _e517 = load_g((_e507 * HV) + hv_5, p, g, _buffer_sizes);
                    if (on_5) {
                        local_22 = !(per_key_3);
                    } else {
                        local_22 = false;
                    }
                    bool _e524 = local_22;
                    float _e530 = load_beta((_e507 * HV) + hv_5, p, beta, _buffer_sizes);
                    nsc_1 = metal::float3(_e524 ? (gate_log_4 ? metal::exp(_e517) : _e517) : 1.0, on_5 ? _e530 : 0.0, on_5 ? 1.0 : 0.0);
                }
            }
            ts_1 = 0u;
            uint2 loop_bound_9 = uint2(4294967295u);
            bool loop_init_9 = true;
            while(true) {
                if (metal::all(loop_bound_9 == uint2(0u))) { break; }
                loop_bound_9 -= uint2(loop_bound_9.y == 0u, 1u);
                if (!loop_init_9) {
                    uint _e613 = ts_1;
                    ts_1 = _e613 + 1u;
                }
                loop_init_9 = false;
                uint _e539 = ts_1;
                if (_e539 < nb_1) {
                } else {
                    break;
                }
                {
                    uint _e541 = t0_1;
                    uint _e542 = ts_1;
                    uint t_7 = _e541 + _e542;
                    uint _e544 = packed_step(b_7, t_7, p, mask, _buffer_sizes);
                    uint gi_4 = (_e544 * HV) + hv_5;
                    uint _e549 = ts_1;
                    metal::float3 sc_1 = sc_s.inner[_e549];
                    float alpha_3 = sc_1.x;
                    float bv_1 = sc_1.y;
                    bool real_3 = sc_1.z != 0.0;
                    uint _e557 = ts_1;
                    uint kq_1 = _e557 * NV4_;
                    metal::float4 k0_3 = k_s.inner[kq_1 + c0_3];
                    metal::float4 q0_1 = q_s.inner[kq_1 + c0_3];
                    if (per_key_3) {
                        metal::float4 _e568 = s0_0_1;
                        metal::float4 _e569 = key_decay(gi_4, c0_3, real_3, gate_log_4, p, g, _buffer_sizes);
                        s0_0_1 = _e568 * _e569;
                    } else {
                        metal::float4 _e571 = s0_0_1;
                        s0_0_1 = _e571 * alpha_3;
                    }
                    float kqd_1 = metal::dot(k0_3, q0_1);
                    metal::float4 _e574 = s0_0_1;
                    metal::float4 _e576 = s0_0_1;
                    metal::float3 _e579 = row_sum(metal::float3(metal::dot(_e574, k0_3), metal::dot(_e576, q0_1), kqd_1), lane_4, row_4);
                    uint _e581 = ts_1;
                    float _e590 = v_s.inner[((_e581 * SROWS) + (row_4 * RPT)) + 0u];
                    float delta0_1 = bv_1 * (_e590 - _e579.x);
                    metal::float4 _e594 = s0_0_1;
                    s0_0_1 = _e594 + (k0_3 * delta0_1);
                    float o0_1 = _e579.y + (delta0_1 * _e579.z);
                    if (lane_4 == 0u) {
                        uint _e604 = ts_1;
                        ybuf.inner[((_e604 * SROWS) + (row_4 * RPT)) + 0u] = o0_1;
                    }
                }
            }
        }
    }
    metal::threadgroup_barrier(metal::mem_flags::mem_threadgroup);
    uint _e621 = p.tn;
    if (_e621 > 0u) {
        uint _e626 = p.t0_;
        uint _e629 = p.tn;
        uint t0_3 = _e626 + (naga_div(_e629 - 1u, TB) * TB);
        e_3 = tid_1;
        uint2 loop_bound_10 = uint2(4294967295u);
        bool loop_init_10 = true;
        while(true) {
            if (metal::all(loop_bound_10 == uint2(0u))) { break; }
            loop_bound_10 -= uint2(loop_bound_10.y == 0u, 1u);
            if (!loop_init_10) {
                uint _e695 = e_3;
                e_3 = _e695 + WG;
            }
            loop_init_10 = false;
            uint _e638 = e_3;
            if (_e638 < naga_div((t_end_1 - t0_3) * SROWS, 2u)) {
            } else {
                break;
            }
            {
                uint _e646 = e_3;
                uint ss_15 = naga_div(2u * _e646, SROWS);
                uint _e654 = e_3;
                uint dvw_3 = ((wid_3.x * SROWS) + (2u * _e654)) - (ss_15 * SROWS);
                if (dvw_3 < DV) {
                    local_23 = (t0_3 + ss_15) < _e9;
                } else {
                    local_23 = false;
                }
                bool _e667 = local_23;
                if (_e667) {
                    uint _e669 = packed_step(b_7, t0_3 + ss_15, p, mask, _buffer_sizes);
                    uint gw_3 = (_e669 * HV) + hv_5;
                    uint _e682 = e_3;
                    float _e685 = ybuf.inner[2u * _e682];
                    uint _e688 = e_3;
                    float _e693 = ybuf.inner[(2u * _e688) + 1u];
                    uint _e694 = pack_y(_e685, _e693);
                    y[((gw_3 * DV) + dvw_3) >> 1u] = _e694;
                }
            }
        }
    }
    if (live0_1) {
        metal::float4 _e698 = s0_0_1;
        st_s4_(srow0_1, c0_3, _e698, s_out, _buffer_sizes);
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
    uint hv_6 = naga_mod(n_5, HV);
    hk_4 = naga_div(hv_6, GQA);
    if (HEAD_TILED) {
        hk_4 = naga_mod(hv_6, HK);
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
    uint _e49 = state_rows(n_5, b_8, hv_6, s_in, _buffer_sizes);
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
            uint _e187 = t_2;
            t_2 = _e187 + 1u;
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
            uint bt_7 = (b_8 * _e79) + _e81;
            uint gi_5 = (bt_7 * HV) + hv_6;
            uint _e86 = hk_4;
            uint _e87 = k_row(bt_7, _e86, p);
            uint _e88 = hk_4;
            uint _e89 = q_row(bt_7, _e88, p);
            bool _e90 = step_real(bt_7, has_mask_6, mask, _buffer_sizes);
            float _e91 = load_g(gi_5, p, g, _buffer_sizes);
            float _e92 = load_beta(gi_5, p, beta, _buffer_sizes);
            uint _e93 = v_row(bt_7, hv_6, p);
            float _e97 = ld_v(_e93 + metal::min(dv_2, 127u), v, _buffer_sizes);
            metal::float4 _e100 = ld_k4_(_e87, c0_4, k, _buffer_sizes);
            metal::float4 k0_4 = _e90 ? _e100 : metal::float4(0.0);
            metal::float4 _e102 = ld_q4_(_e89, c0_4, q, _buffer_sizes);
            float alpha_4 = _e90 ? (gate_log_5 ? metal::exp(_e91) : _e91) : 1.0;
            if (per_key_4) {
                metal::float4 _e107 = s0_2;
                metal::float4 _e108 = key_decay(gi_5, c0_4, _e90, gate_log_5, p, g, _buffer_sizes);
                s0_2 = _e107 * _e108;
            } else {
                metal::float4 _e110 = s0_2;
                s0_2 = _e110 * alpha_4;
            }
            part_2 = metal::float3(0.0);
            metal::float3 _e115 = part_2;
            metal::float4 _e116 = s0_2;
            metal::float4 _e118 = s0_2;
            part_2 = _e115 + metal::float3(metal::dot(_e116, k0_4), metal::dot(_e118, _e102), metal::dot(k0_4, _e102));
            metal::float3 _e123 = part_2;
            metal::float3 _e124 = row_sum(_e123, lane_5, row_5);
            float delta_2 = _e90 ? (_e92 * (_e97 - _e124.x)) : 0.0;
            metal::float4 _e130 = s0_2;
            s0_2 = _e130 + (k0_4 * delta_2);
            float o_2 = _e90 ? (_e124.y + (delta_2 * _e124.z)) : 0.0;
            if (lane_5 == 0u) {
                ybuf.inner[row_5] = o_2;
            }
            metal::threadgroup_barrier(metal::mem_flags::mem_threadgroup);
            if (lane_5 == 0u) {
                local_25 = live_2;
            } else {
                local_25 = false;
            }
            bool _e148 = local_25;
            if (_e148) {
                local_26 = (row_5 & 1u) == 0u;
            } else {
                local_26 = false;
            }
            bool _e156 = local_26;
            if (_e156) {
                float _e166 = ybuf.inner[row_5];
                float _e171 = ybuf.inner[row_5 + 1u];
                uint _e172 = pack_y(_e166, _e171);
                y[((gi_5 * DV) + dv_2) >> 1u] = _e172;
            }
            metal::threadgroup_barrier(metal::mem_flags::mem_threadgroup);
            uint _e173 = t_2;
            uint _e174 = snap_at(_e173, p, mask, _buffer_sizes);
            if (_e174 > 0u) {
                if (live_2) {
                    uint _e179 = p.b;
                    metal::float4 _e186 = s0_2;
                    st_s4_(srow_2 + (((_e174 * _e179) * HV) * DV), c0_4, _e186, s_out, _buffer_sizes);
                }
            }
        }
    }
    if (live_2) {
        metal::float4 _e190 = s0_2;
        st_s4_(srow_2, c0_4, _e190, s_out, _buffer_sizes);
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
    uint hv_7 = naga_mod(n_6, HV);
    hk_5 = naga_div(hv_7, GQA);
    if (HEAD_TILED) {
        hk_5 = naga_mod(hv_7, HK);
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
    uint _e49 = state_rows(n_6, b_9, hv_7, s_in, _buffer_sizes);
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
            uint _e195 = t_3;
            t_3 = _e195 + 1u;
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
            uint bt_8 = (b_9 * _e79) + _e81;
            uint gi_6 = (bt_8 * HV) + hv_7;
            uint _e86 = hk_5;
            uint _e87 = k_row(bt_8, _e86, p);
            uint _e88 = hk_5;
            uint _e89 = q_row(bt_8, _e88, p);
            bool _e90 = step_real(bt_8, has_mask_7, mask, _buffer_sizes);
            float _e91 = load_g(gi_6, p, g, _buffer_sizes);
            float _e92 = load_beta(gi_6, p, beta, _buffer_sizes);
            uint _e93 = v_row(bt_8, hv_7, p);
            float _e97 = ld_v(_e93 + metal::min(dv_3, 127u), v, _buffer_sizes);
            metal::float4 _e100 = ld_k4_(_e87, c0_5, k, _buffer_sizes);
            metal::float4 k0_5 = _e90 ? _e100 : metal::float4(0.0);
            metal::float4 _e102 = ld_q4_(_e89, c0_5, q, _buffer_sizes);
            sq_norms = metal::float3(0.0);
            metal::float3 _e106 = sq_norms;
            sq_norms = _e106 + metal::float3(metal::dot(k0_5, k0_5), metal::dot(_e102, _e102), 0.0);
            metal::float3 _e112 = sq_norms;
            metal::float3 _e113 = row_sum(_e112, lane_6, row_6);
            float ik = metal::rsqrt(_e113.x + 0.000001);
            float iq = metal::rsqrt(_e113.y + 0.000001);
            float alpha_5 = _e90 ? (gate_log_6 ? metal::exp(_e91) : _e91) : 1.0;
            if (per_key_5) {
                metal::float4 _e126 = s0_3;
                metal::float4 _e127 = key_decay(gi_6, c0_5, _e90, gate_log_6, p, g, _buffer_sizes);
                s0_3 = _e126 * _e127;
            } else {
                metal::float4 _e129 = s0_3;
                s0_3 = _e129 * alpha_5;
            }
            part_3 = metal::float3(0.0);
            metal::float3 _e134 = part_3;
            metal::float4 _e135 = s0_3;
            metal::float4 _e137 = s0_3;
            part_3 = _e134 + metal::float3(metal::dot(_e135, k0_5), metal::dot(_e137, _e102), metal::dot(k0_5, _e102));
            metal::float3 _e142 = part_3;
            metal::float3 _e143 = row_sum(_e142, lane_6, row_6);
            float delta_3 = _e90 ? (_e92 * (_e97 - (_e143.x * ik))) : 0.0;
            float dk_step = delta_3 * ik;
            metal::float4 _e151 = s0_3;
            s0_3 = _e151 + (k0_5 * dk_step);
            float o_3 = _e90 ? ((_e143.y + (dk_step * _e143.z)) * iq) : 0.0;
            if (lane_6 == 0u) {
                ybuf.inner[row_6] = o_3;
            }
            metal::threadgroup_barrier(metal::mem_flags::mem_threadgroup);
            if (lane_6 == 0u) {
                local_28 = live_3;
            } else {
                local_28 = false;
            }
            bool _e170 = local_28;
            if (_e170) {
                local_29 = (row_6 & 1u) == 0u;
            } else {
                local_29 = false;
            }
            bool _e178 = local_29;
            if (_e178) {
                float _e188 = ybuf.inner[row_6];
                float _e193 = ybuf.inner[row_6 + 1u];
                uint _e194 = pack_y(_e188, _e193);
                y[((gi_6 * DV) + dv_3) >> 1u] = _e194;
            }
            metal::threadgroup_barrier(metal::mem_flags::mem_threadgroup);
        }
    }
    if (live_3) {
        metal::float4 _e198 = s0_3;
        st_s4_(srow_3, c0_5, _e198, s_out, _buffer_sizes);
        return;
    } else {
        return;
    }
}
