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
    uint size10;
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
    uint nc;
    uint sc;
    uint pad;
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
typedef uint type_5[1];
typedef float type_6[1];
struct type_7 {
    metal::float4 inner[256];
};
struct type_8 {
    float inner[64];
};
struct type_9 {
    float inner[8];
};
struct type_10 {
    float inner[256];
};
constant uint HK = 16u;
constant uint HV = 16u;
constant uint DK = 128u;
constant uint DV = 128u;
constant uint GQA = 1u;
constant uint NV4_ = 32u;
constant uint C = 8u;
constant uint LANES = 8u;
constant uint RPT = 2u;
constant uint ROWS = 32u;
constant uint WG = 128u;
constant uint OFF_P = 64u;
constant uint OFF_G = 128u;
constant uint STRIDE = 136u;
constant float MIN_LOG_DECAY = -80.0;
constant uint HAS_STATE = 1u;
constant uint HAS_MASK = 2u;
constant uint GATE_LOG = 4u;
constant uint GATE_PER_KEY = 8u;
constant uint STATE_FROM_OUT = 16u;
constant uint GATE_RAW = 64u;
constant bool HEAD_TILED = false;
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
    uint j_1,
    constant Params& p
) {
    float _e9 = p.consts.inner[j_1 >> 2u][j_1 & 3u];
    return _e9;
}

uint naga_mod(uint lhs, uint rhs) {
    return lhs % metal::select(rhs, 1u, rhs == 0u);
}

float load_g(
    uint i_4,
    constant Params& p,
    device type_5 const& g,
    constant _mslBufferSizes& _buffer_sizes
) {
    float x_1 = {};
    uint _e3 = p.aux_dtypes;
    uint code_1 = _e3 & 3u;
    if (code_1 == 0u) {
        uint _e11 = g[i_4];
        x_1 = as_type<float>(_e11);
    } else {
        uint _e17 = g[i_4 >> 1u];
        float _e22 = unpack_half(_e17, (i_4 & 1u) == 1u, code_1);
        x_1 = _e22;
    }
    uint _e25 = p.flags;
    if ((_e25 & GATE_RAW) != 0u) {
        uint h_1 = naga_mod(i_4, HV);
        float _e32 = x_1;
        float _e35 = head_const(HV + h_1, p);
        float z = _e32 + _e35;
        float _e37 = head_const(h_1, p);
        return -(metal::exp(_e37)) * ((z > 20.0) ? z : metal::log(1.0 + metal::exp(z)));
    }
    float _e48 = x_1;
    return _e48;
}

float load_beta(
    uint i_5,
    constant Params& p,
    device type_5 const& beta,
    constant _mslBufferSizes& _buffer_sizes
) {
    float x_2 = {};
    uint _e3 = p.aux_dtypes;
    uint code_2 = (_e3 >> 2u) & 3u;
    if (code_2 == 0u) {
        uint _e13 = beta[i_5];
        x_2 = as_type<float>(_e13);
    } else {
        uint _e19 = beta[i_5 >> 1u];
        float _e24 = unpack_half(_e19, (i_5 & 1u) == 1u, code_2);
        x_2 = _e24;
    }
    uint _e27 = p.flags;
    if ((_e27 & GATE_RAW) != 0u) {
        float _e32 = x_2;
        return 1.0 / (1.0 + metal::exp(-(_e32)));
    }
    float _e39 = x_2;
    return _e39;
}

float ld_q(
    uint i_6,
    device type_5 const& q,
    constant _mslBufferSizes& _buffer_sizes
) {
    uint _e5 = q[i_6 >> 1u];
    uint _e12 = q[i_6 >> 1u];
    return as_type<float>(((i_6 & 1u) == 1u) ? (_e12 & 4294901760u) : (_e5 << 16u));
}

float ld_k(
    uint i_7,
    device type_5 const& k,
    constant _mslBufferSizes& _buffer_sizes
) {
    uint _e5 = k[i_7 >> 1u];
    uint _e12 = k[i_7 >> 1u];
    return as_type<float>(((i_7 & 1u) == 1u) ? (_e12 & 4294901760u) : (_e5 << 16u));
}

float ld_v(
    uint i_8,
    device type_5 const& v,
    constant _mslBufferSizes& _buffer_sizes
) {
    uint _e5 = v[i_8 >> 1u];
    uint _e12 = v[i_8 >> 1u];
    return as_type<float>(((i_8 & 1u) == 1u) ? (_e12 & 4294901760u) : (_e5 << 16u));
}

uint to_bf16_(
    float x_3
) {
    uint u = as_type<uint>(x_3);
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
    device type_5 const& mask,
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
    uint t,
    constant Params& p,
    device type_5 const& mask,
    constant _mslBufferSizes& _buffer_sizes
) {
    if (VARLEN) {
        uint _e5 = mask[b_2];
        uint _e10 = p.b;
        uint _e12 = mask[_e10];
        return metal::min(_e5 + t, metal::max(_e12, 1u) - 1u);
    }
    uint _e20 = p.t;
    return (b_2 * _e20) + t;
}

bool mask_bit(
    uint bt,
    constant Params& p,
    device type_5 const& mask,
    constant _mslBufferSizes& _buffer_sizes
) {
    uint _e4 = p.b;
    uint w_1 = (VARLEN ? (_e4 + 1u) : 0u) + (bt >> 2u);
    uint _e14 = mask[w_1];
    return ((_e14 >> ((bt & 3u) * 8u)) & 255u) != 0u;
}

bool step_on(
    uint b_3,
    uint t_1,
    constant Params& p,
    device type_5 const& mask,
    constant _mslBufferSizes& _buffer_sizes
) {
    uint _e2 = seq_len(b_3, p, mask, _buffer_sizes);
    if (t_1 >= _e2) {
        return false;
    }
    uint _e6 = packed_step(b_3, t_1, p, mask, _buffer_sizes);
    bool _e7 = mask_bit(_e6, p, mask, _buffer_sizes);
    uint _e10 = p.flags;
    return ((_e10 & HAS_MASK) != 0u) ? _e7 : true;
}

uint bt_of(
    uint b_4,
    uint t_2,
    constant Params& p,
    device type_5 const& mask,
    constant _mslBufferSizes& _buffer_sizes
) {
    uint _e4 = p.t;
    uint _e8 = packed_step(b_4, metal::min(t_2, _e4 - 1u), p, mask, _buffer_sizes);
    return _e8;
}

metal::float4 ld_q4_(
    uint r,
    uint c_1,
    device type_5 const& q,
    constant _mslBufferSizes& _buffer_sizes
) {
    uint at = (r * DK) + (4u * c_1);
    float _e7 = ld_q(at, q, _buffer_sizes);
    float _e10 = ld_q(at + 1u, q, _buffer_sizes);
    float _e13 = ld_q(at + 2u, q, _buffer_sizes);
    float _e16 = ld_q(at + 3u, q, _buffer_sizes);
    return metal::float4(_e7, _e10, _e13, _e16);
}

metal::float4 ld_k4_(
    uint r_1,
    uint c_2,
    device type_5 const& k,
    constant _mslBufferSizes& _buffer_sizes
) {
    uint at_1 = (r_1 * DK) + (4u * c_2);
    float _e7 = ld_k(at_1, k, _buffer_sizes);
    float _e10 = ld_k(at_1 + 1u, k, _buffer_sizes);
    float _e13 = ld_k(at_1 + 2u, k, _buffer_sizes);
    float _e16 = ld_k(at_1 + 3u, k, _buffer_sizes);
    return metal::float4(_e7, _e10, _e13, _e16);
}

metal::float4 row_sum4_(
    metal::float4 x_4
) {
    metal::float4 s = {};
    metal::float4 unnamed = metal::simd_shuffle_xor(x_4, 4u);
    s = x_4 + unnamed;
    metal::float4 _e5 = s;
    metal::float4 _e6 = s;
    metal::float4 unnamed_1 = metal::simd_shuffle_xor(_e6, 2u);
    s = _e5 + unnamed_1;
    metal::float4 _e10 = s;
    metal::float4 _e11 = s;
    metal::float4 unnamed_2 = metal::simd_shuffle_xor(_e11, 1u);
    return _e10 + unnamed_2;
}
uint naga_div(uint lhs, uint rhs) {
    return lhs / metal::select(rhs, 1u, rhs == 0u);
}


struct prepInput {
};
[[max_total_threads_per_threadgroup(128)]] kernel void prep(
  metal::uint3 lid [[thread_position_in_threadgroup]]
, metal::uint3 wid [[threadgroup_position_in_grid]]
, constant Params& p [[user(fake0)]]
, device type_5 const& q [[user(fake0)]]
, device type_5 const& k [[user(fake0)]]
, device type_5 const& g [[user(fake0)]]
, device type_5 const& beta [[user(fake0)]]
, device type_5 const& mask [[user(fake0)]]
, device type_6& ws [[user(fake0)]]
, threadgroup type_7& k_s
, threadgroup type_7& q_s
, threadgroup type_8& a_s
, threadgroup type_8& t_s
, threadgroup type_9& g_s
, threadgroup type_9& bb_s
, constant _mslBufferSizes& _buffer_sizes [[user(fake0)]]
) {
    uint hk = {};
    uint i = {};
    metal::float4 nk0_ = metal::float4(0.0);
    metal::float4 nq0_ = metal::float4(0.0);
    metal::float4 nk1_ = metal::float4(0.0);
    metal::float4 nq1_ = metal::float4(0.0);
    uint i_1 = 1u;
    uint e = {};
    float kk = {};
    float qk = {};
    uint x = {};
    uint i_2 = 1u;
    uint j = {};
    float acc = {};
    uint m = {};
    uint e_1 = {};
    uint i_3 = {};
    uint tid = lid.x;
    uint c_3 = wid.x;
    uint n = wid.y;
    uint b_5 = naga_div(n, HV);
    uint hv = naga_mod(n, HV);
    hk = naga_div(hv, GQA);
    if (HEAD_TILED) {
        hk = naga_mod(hv, HK);
    }
    uint _e17 = p.t0_;
    uint ts0_ = _e17 + (c_3 * C);
    uint _e23 = p.flags;
    bool gate_log = (_e23 & GATE_LOG) != 0u;
    i = tid;
    uint2 loop_bound = uint2(4294967295u);
    bool loop_init = true;
    while(true) {
        if (metal::all(loop_bound == uint2(0u))) { break; }
        loop_bound -= uint2(loop_bound.y == 0u, 1u);
        if (!loop_init) {
            uint _e57 = i;
            i = _e57 + WG;
        }
        loop_init = false;
        uint _e29 = i;
        if (_e29 < C) {
        } else {
            break;
        }
        {
            uint _e32 = i;
            bool _e34 = step_on(b_5, ts0_ + _e32, p, mask, _buffer_sizes);
            uint _e35 = i;
            uint _e37 = bt_of(b_5, ts0_ + _e35, p, mask, _buffer_sizes);
            uint gi = (_e37 * HV) + hv;
            float _e41 = load_g(gi, p, g, _buffer_sizes);
            float la = metal::max(gate_log ? _e41 : metal::log(_e41), MIN_LOG_DECAY);
            uint _e47 = i;
            g_s.inner[_e47] = _e34 ? la : 0.0;
            uint _e52 = i;
            float _e54 = load_beta(gi, p, beta, _buffer_sizes);
            bb_s.inner[_e52] = _e34 ? _e54 : 0.0;
        }
    }
    {
        uint e_19 = metal::min(tid + 0u, 255u);
        uint i_9 = naga_div(e_19, NV4_);
        bool _e79 = step_on(b_5, ts0_ + i_9, p, mask, _buffer_sizes);
        uint _e81 = bt_of(b_5, ts0_ + i_9, p, mask, _buffer_sizes);
        uint _e84 = hk;
        uint r_2 = (_e81 * HK) + _e84;
        metal::float4 _e91 = ld_k4_(r_2, e_19 - (i_9 * NV4_), k, _buffer_sizes);
        nk0_ = _e79 ? _e91 : metal::float4(0.0);
        metal::float4 _e98 = ld_q4_(r_2, e_19 - (i_9 * NV4_), q, _buffer_sizes);
        nq0_ = _e79 ? _e98 : metal::float4(0.0);
    }
    {
        uint e_20 = metal::min(tid + 128u, 255u);
        uint i_10 = naga_div(e_20, NV4_);
        bool _e107 = step_on(b_5, ts0_ + i_10, p, mask, _buffer_sizes);
        uint _e109 = bt_of(b_5, ts0_ + i_10, p, mask, _buffer_sizes);
        uint _e112 = hk;
        uint r_3 = (_e109 * HK) + _e112;
        metal::float4 _e119 = ld_k4_(r_3, e_20 - (i_10 * NV4_), k, _buffer_sizes);
        nk1_ = _e107 ? _e119 : metal::float4(0.0);
        metal::float4 _e126 = ld_q4_(r_3, e_20 - (i_10 * NV4_), q, _buffer_sizes);
        nq1_ = _e107 ? _e126 : metal::float4(0.0);
    }
    if ((tid + 0u) < 256u) {
        metal::float4 _e136 = nk0_;
        k_s.inner[tid + 0u] = _e136;
        metal::float4 _e141 = nq0_;
        q_s.inner[tid + 0u] = _e141;
    }
    if ((tid + 128u) < 256u) {
        metal::float4 _e150 = nk1_;
        k_s.inner[tid + 128u] = _e150;
        metal::float4 _e155 = nq1_;
        q_s.inner[tid + 128u] = _e155;
    }
    metal::threadgroup_barrier(metal::mem_flags::mem_threadgroup);
    if (tid == 0u) {
        uint2 loop_bound_1 = uint2(4294967295u);
        bool loop_init_1 = true;
        while(true) {
            if (metal::all(loop_bound_1 == uint2(0u))) { break; }
            loop_bound_1 -= uint2(loop_bound_1.y == 0u, 1u);
            if (!loop_init_1) {
                uint _e177 = i_1;
                i_1 = _e177 + 1u;
            }
            loop_init_1 = false;
            uint _e160 = i_1;
            if (_e160 < C) {
            } else {
                break;
            }
            {
                uint _e164 = i_1;
                uint _e167 = i_1;
                float _e169 = g_s.inner[_e167];
                uint _e171 = i_1;
                float _e175 = g_s.inner[_e171 - 1u];
                g_s.inner[_e164] = _e169 + _e175;
            }
        }
    }
    metal::threadgroup_barrier(metal::mem_flags::mem_threadgroup);
    e = tid;
    uint2 loop_bound_2 = uint2(4294967295u);
    bool loop_init_2 = true;
    while(true) {
        if (metal::all(loop_bound_2 == uint2(0u))) { break; }
        loop_bound_2 -= uint2(loop_bound_2.y == 0u, 1u);
        if (!loop_init_2) {
            uint _e277 = e;
            e = _e277 + WG;
        }
        loop_init_2 = false;
        uint _e181 = e;
        if (_e181 < 64u) {
        } else {
            break;
        }
        {
            uint _e184 = e;
            uint i_11 = naga_div(_e184, C);
            uint _e187 = e;
            uint j_2 = _e187 - (i_11 * C);
            kk = 0.0;
            qk = 0.0;
            if (j_2 <= i_11) {
                x = 0u;
                uint2 loop_bound_3 = uint2(4294967295u);
                bool loop_init_3 = true;
                while(true) {
                    if (metal::all(loop_bound_3 == uint2(0u))) { break; }
                    loop_bound_3 -= uint2(loop_bound_3.y == 0u, 1u);
                    if (!loop_init_3) {
                        uint _e228 = x;
                        x = _e228 + 1u;
                    }
                    loop_init_3 = false;
                    uint _e198 = x;
                    if (_e198 < NV4_) {
                    } else {
                        break;
                    }
                    {
                        uint _e204 = x;
                        metal::float4 kj = k_s.inner[(j_2 * NV4_) + _e204];
                        float _e208 = kk;
                        uint _e212 = x;
                        metal::float4 _e215 = k_s.inner[(i_11 * NV4_) + _e212];
                        kk = _e208 + metal::dot(_e215, kj);
                        float _e218 = qk;
                        uint _e222 = x;
                        metal::float4 _e225 = q_s.inner[(i_11 * NV4_) + _e222];
                        qk = _e218 + metal::dot(_e225, kj);
                    }
                }
            }
            float _e233 = g_s.inner[i_11];
            float _e237 = g_s.inner[metal::min(j_2, i_11)];
            float decay = metal::exp(_e233 - _e237);
            uint _e241 = e;
            float _e245 = bb_s.inner[i_11];
            float _e247 = kk;
            a_s.inner[_e241] = (j_2 < i_11) ? ((_e245 * decay) * _e247) : 0.0;
            uint _e255 = p.sc;
            uint _e262 = e;
            float _e265 = qk;
            ws[((((n * _e255) + c_3) * STRIDE) + OFF_P) + _e262] = (j_2 <= i_11) ? (decay * _e265) : 0.0;
            uint _e271 = e;
            t_s.inner[_e271] = (i_11 == j_2) ? 1.0 : 0.0;
        }
    }
    metal::threadgroup_barrier(metal::mem_flags::mem_threadgroup);
    uint2 loop_bound_4 = uint2(4294967295u);
    bool loop_init_4 = true;
    while(true) {
        if (metal::all(loop_bound_4 == uint2(0u))) { break; }
        loop_bound_4 -= uint2(loop_bound_4.y == 0u, 1u);
        if (!loop_init_4) {
            uint _e330 = i_2;
            i_2 = _e330 + 1u;
        }
        loop_init_4 = false;
        uint _e282 = i_2;
        if (_e282 < C) {
        } else {
            break;
        }
        {
            j = tid;
            uint2 loop_bound_5 = uint2(4294967295u);
            bool loop_init_5 = true;
            while(true) {
                if (metal::all(loop_bound_5 == uint2(0u))) { break; }
                loop_bound_5 -= uint2(loop_bound_5.y == 0u, 1u);
                if (!loop_init_5) {
                    uint _e327 = j;
                    j = _e327 + WG;
                }
                loop_init_5 = false;
                uint _e286 = j;
                uint _e287 = i_2;
                if (_e286 < _e287) {
                } else {
                    break;
                }
                {
                    acc = 0.0;
                    uint _e291 = j;
                    m = _e291;
                    uint2 loop_bound_6 = uint2(4294967295u);
                    bool loop_init_6 = true;
                    while(true) {
                        if (metal::all(loop_bound_6 == uint2(0u))) { break; }
                        loop_bound_6 -= uint2(loop_bound_6.y == 0u, 1u);
                        if (!loop_init_6) {
                            uint _e315 = m;
                            m = _e315 + 1u;
                        }
                        loop_init_6 = false;
                        uint _e293 = m;
                        uint _e294 = i_2;
                        if (_e293 < _e294) {
                        } else {
                            break;
                        }
                        {
                            float _e296 = acc;
                            uint _e298 = i_2;
                            uint _e301 = m;
                            float _e304 = a_s.inner[(_e298 * C) + _e301];
                            uint _e306 = m;
                            uint _e309 = j;
                            float _e312 = t_s.inner[(_e306 * C) + _e309];
                            acc = _e296 + (_e304 * _e312);
                        }
                    }
                    uint _e319 = i_2;
                    uint _e322 = j;
                    float _e325 = acc;
                    t_s.inner[(_e319 * C) + _e322] = -(_e325);
                }
            }
            metal::threadgroup_barrier(metal::mem_flags::mem_threadgroup);
        }
    }
    uint _e335 = p.sc;
    uint base = ((n * _e335) + c_3) * STRIDE;
    e_1 = tid;
    uint2 loop_bound_7 = uint2(4294967295u);
    bool loop_init_7 = true;
    while(true) {
        if (metal::all(loop_bound_7 == uint2(0u))) { break; }
        loop_bound_7 -= uint2(loop_bound_7.y == 0u, 1u);
        if (!loop_init_7) {
            uint _e363 = e_1;
            e_1 = _e363 + WG;
        }
        loop_init_7 = false;
        uint _e341 = e_1;
        if (_e341 < 64u) {
        } else {
            break;
        }
        {
            uint _e345 = e_1;
            uint _e349 = e_1;
            float _e351 = t_s.inner[_e349];
            uint _e353 = e_1;
            uint _e354 = e_1;
            float _e361 = bb_s.inner[_e353 - (naga_div(_e354, C) * C)];
            ws[base + _e345] = _e351 * _e361;
        }
    }
    i_3 = tid;
    uint2 loop_bound_8 = uint2(4294967295u);
    bool loop_init_8 = true;
    while(true) {
        if (metal::all(loop_bound_8 == uint2(0u))) { break; }
        loop_bound_8 -= uint2(loop_bound_8.y == 0u, 1u);
        if (!loop_init_8) {
            uint _e380 = i_3;
            i_3 = _e380 + WG;
        }
        loop_init_8 = false;
        uint _e367 = i_3;
        if (_e367 < C) {
        } else {
            break;
        }
        {
            uint _e373 = i_3;
            uint _e377 = i_3;
            float _e379 = g_s.inner[_e377];
            ws[(base + OFF_G) + _e373] = _e379;
        }
    }
    return;
}


struct scanInput {
};
[[max_total_threads_per_threadgroup(128)]] kernel void scan(
  metal::uint3 lid_1 [[thread_position_in_threadgroup]]
, metal::uint3 wid_1 [[threadgroup_position_in_grid]]
, constant Params& p [[user(fake0)]]
, device type_5 const& q [[user(fake0)]]
, device type_5 const& k [[user(fake0)]]
, device type_5 const& v [[user(fake0)]]
, device type_6 const& s_in [[user(fake0)]]
, device type_5 const& mask [[user(fake0)]]
, device type_5& y [[user(fake0)]]
, device type_6& s_out [[user(fake0)]]
, device type_6 const& ws [[user(fake0)]]
, threadgroup type_7& k_s
, threadgroup type_7& q_s
, threadgroup type_8& a_s
, threadgroup type_8& t_s
, threadgroup type_9& g_s
, threadgroup type_10& v_s
, threadgroup type_10& y_s
, constant _mslBufferSizes& _buffer_sizes [[user(fake0)]]
) {
    uint hk_1 = {};
    metal::float4 s0_0_ = metal::float4(0.0);
    metal::float4 s0_1_ = metal::float4(0.0);
    metal::float4 s0_2_ = metal::float4(0.0);
    metal::float4 s0_3_ = metal::float4(0.0);
    metal::float4 s1_0_ = metal::float4(0.0);
    metal::float4 s1_1_ = metal::float4(0.0);
    metal::float4 s1_2_ = metal::float4(0.0);
    metal::float4 s1_3_ = metal::float4(0.0);
    bool local = {};
    uint e_2 = 0u;
    bool local_1 = {};
    uint e_3 = 0u;
    bool local_2 = {};
    uint e_4 = 0u;
    bool local_3 = {};
    uint e_5 = 0u;
    bool local_4 = {};
    uint e_6 = 0u;
    bool local_5 = {};
    uint e_7 = 0u;
    bool local_6 = {};
    uint e_8 = 0u;
    bool local_7 = {};
    uint e_9 = 0u;
    bool local_8 = {};
    metal::float4 nk0_1 = metal::float4(0.0);
    metal::float4 nq0_1 = metal::float4(0.0);
    metal::float4 nk1_1 = metal::float4(0.0);
    metal::float4 nq1_1 = metal::float4(0.0);
    float nt0_ = 0.0;
    float na0_ = 0.0;
    float ng = 0.0;
    float nv0_ = 0.0;
    float nv1_ = 0.0;
    uint c = 0u;
    metal::float4 kq0_ = {};
    metal::float4 kq1_ = {};
    metal::float4 kq2_ = {};
    metal::float4 kq3_ = {};
    metal::float4 kq4_ = {};
    metal::float4 kq5_ = {};
    metal::float4 kq6_ = {};
    metal::float4 kq7_ = {};
    metal::float4 a0_ = {};
    metal::float4 a1_ = {};
    metal::float4 a0_1 = {};
    metal::float4 a1_1 = {};
    metal::float4 a0_2 = {};
    metal::float4 a1_2 = {};
    metal::float4 a0_3 = {};
    metal::float4 a1_3 = {};
    uint e_10 = {};
    bool local_9 = {};
    uint e_11 = 0u;
    uint e_12 = 0u;
    uint e_13 = 0u;
    uint e_14 = 0u;
    uint e_15 = 0u;
    uint e_16 = 0u;
    uint e_17 = 0u;
    uint e_18 = 0u;
    uint lane = lid_1.x;
    uint row = lid_1.y;
    uint tid_1 = (row * LANES) + lane;
    uint n_1 = wid_1.y;
    uint b_6 = naga_div(n_1, HV);
    uint hv_1 = naga_mod(n_1, HV);
    hk_1 = naga_div(hv_1, GQA);
    if (HEAD_TILED) {
        hk_1 = naga_mod(hv_1, HK);
    }
    uint _e20 = p.flags;
    bool from_out = (_e20 & STATE_FROM_OUT) != 0u;
    uint _e27 = p.flags;
    bool has_state = (_e27 & HAS_STATE) != 0u;
    uint c0_ = 0u + lane;
    uint cc0_ = metal::min(c0_, 31u);
    uint c1_ = 8u + lane;
    uint cc1_ = metal::min(c1_, 31u);
    uint c2_ = 16u + lane;
    uint cc2_ = metal::min(c2_, 31u);
    uint c3_ = 24u + lane;
    uint cc3_ = metal::min(c3_, 31u);
    uint dv0_ = ((wid_1.x * ROWS) + (row * RPT)) + 0u;
    bool live0_ = dv0_ < DV;
    uint srow0_ = ((n_1 * DV) + metal::min(dv0_, 127u)) * DK;
    uint dv1_ = ((wid_1.x * ROWS) + (row * RPT)) + 1u;
    bool live1_ = dv1_ < DV;
    uint srow1_ = ((n_1 * DV) + metal::min(dv1_, 127u)) * DK;
    if (!(from_out)) {
        local = has_state;
    } else {
        local = true;
    }
    bool _e110 = local;
    if (_e110) {
        uint2 loop_bound_9 = uint2(4294967295u);
        bool loop_init_9 = true;
        while(true) {
            if (metal::all(loop_bound_9 == uint2(0u))) { break; }
            loop_bound_9 -= uint2(loop_bound_9.y == 0u, 1u);
            if (!loop_init_9) {
                uint _e140 = e_2;
                e_2 = _e140 + 1u;
            }
            loop_init_9 = false;
            uint _e113 = e_2;
            if (_e113 < 4u) {
            } else {
                break;
            }
            {
                uint _e118 = e_2;
                uint j_3 = (4u * c0_) + _e118;
                uint at_2 = srow0_ + metal::min(j_3, 127u);
                uint _e123 = e_2;
                float _e127 = s_in[at_2];
                float _e130 = s_out[at_2];
                if (live0_) {
                    local_1 = j_3 < DK;
                } else {
                    local_1 = false;
                }
                bool _e137 = local_1;
                s0_0_[_e123] = _e137 ? (from_out ? _e130 : _e127) : 0.0;
            }
        }
        uint2 loop_bound_10 = uint2(4294967295u);
        bool loop_init_10 = true;
        while(true) {
            if (metal::all(loop_bound_10 == uint2(0u))) { break; }
            loop_bound_10 -= uint2(loop_bound_10.y == 0u, 1u);
            if (!loop_init_10) {
                uint _e172 = e_3;
                e_3 = _e172 + 1u;
            }
            loop_init_10 = false;
            uint _e145 = e_3;
            if (_e145 < 4u) {
            } else {
                break;
            }
            {
                uint _e150 = e_3;
                uint j_4 = (4u * c1_) + _e150;
                uint at_3 = srow0_ + metal::min(j_4, 127u);
                uint _e155 = e_3;
                float _e159 = s_in[at_3];
                float _e162 = s_out[at_3];
                if (live0_) {
                    local_2 = j_4 < DK;
                } else {
                    local_2 = false;
                }
                bool _e169 = local_2;
                s0_1_[_e155] = _e169 ? (from_out ? _e162 : _e159) : 0.0;
            }
        }
        uint2 loop_bound_11 = uint2(4294967295u);
        bool loop_init_11 = true;
        while(true) {
            if (metal::all(loop_bound_11 == uint2(0u))) { break; }
            loop_bound_11 -= uint2(loop_bound_11.y == 0u, 1u);
            if (!loop_init_11) {
                uint _e204 = e_4;
                e_4 = _e204 + 1u;
            }
            loop_init_11 = false;
            uint _e177 = e_4;
            if (_e177 < 4u) {
            } else {
                break;
            }
            {
                uint _e182 = e_4;
                uint j_5 = (4u * c2_) + _e182;
                uint at_4 = srow0_ + metal::min(j_5, 127u);
                uint _e187 = e_4;
                float _e191 = s_in[at_4];
                float _e194 = s_out[at_4];
                if (live0_) {
                    local_3 = j_5 < DK;
                } else {
                    local_3 = false;
                }
                bool _e201 = local_3;
                s0_2_[_e187] = _e201 ? (from_out ? _e194 : _e191) : 0.0;
            }
        }
        uint2 loop_bound_12 = uint2(4294967295u);
        bool loop_init_12 = true;
        while(true) {
            if (metal::all(loop_bound_12 == uint2(0u))) { break; }
            loop_bound_12 -= uint2(loop_bound_12.y == 0u, 1u);
            if (!loop_init_12) {
                uint _e236 = e_5;
                e_5 = _e236 + 1u;
            }
            loop_init_12 = false;
            uint _e209 = e_5;
            if (_e209 < 4u) {
            } else {
                break;
            }
            {
                uint _e214 = e_5;
                uint j_6 = (4u * c3_) + _e214;
                uint at_5 = srow0_ + metal::min(j_6, 127u);
                uint _e219 = e_5;
                float _e223 = s_in[at_5];
                float _e226 = s_out[at_5];
                if (live0_) {
                    local_4 = j_6 < DK;
                } else {
                    local_4 = false;
                }
                bool _e233 = local_4;
                s0_3_[_e219] = _e233 ? (from_out ? _e226 : _e223) : 0.0;
            }
        }
        uint2 loop_bound_13 = uint2(4294967295u);
        bool loop_init_13 = true;
        while(true) {
            if (metal::all(loop_bound_13 == uint2(0u))) { break; }
            loop_bound_13 -= uint2(loop_bound_13.y == 0u, 1u);
            if (!loop_init_13) {
                uint _e268 = e_6;
                e_6 = _e268 + 1u;
            }
            loop_init_13 = false;
            uint _e241 = e_6;
            if (_e241 < 4u) {
            } else {
                break;
            }
            {
                uint _e246 = e_6;
                uint j_7 = (4u * c0_) + _e246;
                uint at_6 = srow1_ + metal::min(j_7, 127u);
                uint _e251 = e_6;
                float _e255 = s_in[at_6];
                float _e258 = s_out[at_6];
                if (live1_) {
                    local_5 = j_7 < DK;
                } else {
                    local_5 = false;
                }
                bool _e265 = local_5;
                s1_0_[_e251] = _e265 ? (from_out ? _e258 : _e255) : 0.0;
            }
        }
        uint2 loop_bound_14 = uint2(4294967295u);
        bool loop_init_14 = true;
        while(true) {
            if (metal::all(loop_bound_14 == uint2(0u))) { break; }
            loop_bound_14 -= uint2(loop_bound_14.y == 0u, 1u);
            if (!loop_init_14) {
                uint _e300 = e_7;
                e_7 = _e300 + 1u;
            }
            loop_init_14 = false;
            uint _e273 = e_7;
            if (_e273 < 4u) {
            } else {
                break;
            }
            {
                uint _e278 = e_7;
                uint j_8 = (4u * c1_) + _e278;
                uint at_7 = srow1_ + metal::min(j_8, 127u);
                uint _e283 = e_7;
                float _e287 = s_in[at_7];
                float _e290 = s_out[at_7];
                if (live1_) {
                    local_6 = j_8 < DK;
                } else {
                    local_6 = false;
                }
                bool _e297 = local_6;
                s1_1_[_e283] = _e297 ? (from_out ? _e290 : _e287) : 0.0;
            }
        }
        uint2 loop_bound_15 = uint2(4294967295u);
        bool loop_init_15 = true;
        while(true) {
            if (metal::all(loop_bound_15 == uint2(0u))) { break; }
            loop_bound_15 -= uint2(loop_bound_15.y == 0u, 1u);
            if (!loop_init_15) {
                uint _e332 = e_8;
                e_8 = _e332 + 1u;
            }
            loop_init_15 = false;
            uint _e305 = e_8;
            if (_e305 < 4u) {
            } else {
                break;
            }
            {
                uint _e310 = e_8;
                uint j_9 = (4u * c2_) + _e310;
                uint at_8 = srow1_ + metal::min(j_9, 127u);
                uint _e315 = e_8;
                float _e319 = s_in[at_8];
                float _e322 = s_out[at_8];
                if (live1_) {
                    local_7 = j_9 < DK;
                } else {
                    local_7 = false;
                }
                bool _e329 = local_7;
                s1_2_[_e315] = _e329 ? (from_out ? _e322 : _e319) : 0.0;
            }
        }
        uint2 loop_bound_16 = uint2(4294967295u);
        bool loop_init_16 = true;
        while(true) {
            if (metal::all(loop_bound_16 == uint2(0u))) { break; }
            loop_bound_16 -= uint2(loop_bound_16.y == 0u, 1u);
            if (!loop_init_16) {
                uint _e364 = e_9;
                e_9 = _e364 + 1u;
            }
            loop_init_16 = false;
            uint _e337 = e_9;
            if (_e337 < 4u) {
            } else {
                break;
            }
            {
                uint _e342 = e_9;
                uint j_10 = (4u * c3_) + _e342;
                uint at_9 = srow1_ + metal::min(j_10, 127u);
                uint _e347 = e_9;
                float _e351 = s_in[at_9];
                float _e354 = s_out[at_9];
                if (live1_) {
                    local_8 = j_10 < DK;
                } else {
                    local_8 = false;
                }
                bool _e361 = local_8;
                s1_3_[_e347] = _e361 ? (from_out ? _e354 : _e351) : 0.0;
            }
        }
    }
    uint _e391 = p.nc;
    if (_e391 > 0u) {
        {
            uint e_21 = metal::min(tid_1 + 0u, 255u);
            uint i_12 = naga_div(e_21, NV4_);
            uint _e402 = p.t0_;
            bool _e404 = step_on(b_6, _e402 + i_12, p, mask, _buffer_sizes);
            uint _e407 = p.t0_;
            uint _e409 = bt_of(b_6, _e407 + i_12, p, mask, _buffer_sizes);
            uint _e412 = hk_1;
            uint r_4 = (_e409 * HK) + _e412;
            metal::float4 _e419 = ld_k4_(r_4, e_21 - (i_12 * NV4_), k, _buffer_sizes);
            nk0_1 = _e404 ? _e419 : metal::float4(0.0);
            metal::float4 _e426 = ld_q4_(r_4, e_21 - (i_12 * NV4_), q, _buffer_sizes);
            nq0_1 = _e404 ? _e426 : metal::float4(0.0);
        }
        {
            uint e_22 = metal::min(tid_1 + 128u, 255u);
            uint i_13 = naga_div(e_22, NV4_);
            uint _e436 = p.t0_;
            bool _e438 = step_on(b_6, _e436 + i_13, p, mask, _buffer_sizes);
            uint _e441 = p.t0_;
            uint _e443 = bt_of(b_6, _e441 + i_13, p, mask, _buffer_sizes);
            uint _e446 = hk_1;
            uint r_5 = (_e443 * HK) + _e446;
            metal::float4 _e453 = ld_k4_(r_5, e_22 - (i_13 * NV4_), k, _buffer_sizes);
            nk1_1 = _e438 ? _e453 : metal::float4(0.0);
            metal::float4 _e460 = ld_q4_(r_5, e_22 - (i_13 * NV4_), q, _buffer_sizes);
            nq1_1 = _e438 ? _e460 : metal::float4(0.0);
        }
        {
            uint e_23 = metal::min(tid_1 + 0u, 63u);
            uint _e469 = p.sc;
            float _e475 = ws[((n_1 * _e469) * STRIDE) + e_23];
            nt0_ = _e475;
            uint _e479 = p.sc;
            float _e487 = ws[(((n_1 * _e479) * STRIDE) + OFF_P) + e_23];
            na0_ = _e487;
        }
        uint _e491 = p.sc;
        float _e501 = ws[(((n_1 * _e491) * STRIDE) + OFF_G) + metal::min(tid_1, 7u)];
        ng = _e501;
        {
            uint e_24 = metal::min(tid_1 + 0u, 255u);
            uint i_14 = naga_div(e_24, ROWS);
            uint dvv = metal::min(((wid_1.x * ROWS) + e_24) - (i_14 * ROWS), 127u);
            uint _e519 = p.t0_;
            uint _e521 = bt_of(b_6, _e519 + i_14, p, mask, _buffer_sizes);
            float _e528 = ld_v((((_e521 * HV) + hv_1) * DV) + dvv, v, _buffer_sizes);
            uint _e531 = p.t0_;
            bool _e533 = step_on(b_6, _e531 + i_14, p, mask, _buffer_sizes);
            nv0_ = _e533 ? _e528 : 0.0;
        }
        {
            uint e_25 = metal::min(tid_1 + 128u, 255u);
            uint i_15 = naga_div(e_25, ROWS);
            uint dvv_1 = metal::min(((wid_1.x * ROWS) + e_25) - (i_15 * ROWS), 127u);
            uint _e553 = p.t0_;
            uint _e555 = bt_of(b_6, _e553 + i_15, p, mask, _buffer_sizes);
            float _e562 = ld_v((((_e555 * HV) + hv_1) * DV) + dvv_1, v, _buffer_sizes);
            uint _e565 = p.t0_;
            bool _e567 = step_on(b_6, _e565 + i_15, p, mask, _buffer_sizes);
            nv1_ = _e567 ? _e562 : 0.0;
        }
    }
    uint2 loop_bound_17 = uint2(4294967295u);
    bool loop_init_17 = true;
    while(true) {
        if (metal::all(loop_bound_17 == uint2(0u))) { break; }
        loop_bound_17 -= uint2(loop_bound_17.y == 0u, 1u);
        if (!loop_init_17) {
            uint _e3298 = c;
            c = _e3298 + 1u;
        }
        loop_init_17 = false;
        uint _e572 = c;
        uint _e575 = p.nc;
        if (_e572 < _e575) {
        } else {
            break;
        }
        {
            uint _e579 = p.t0_;
            uint _e580 = c;
            uint ts0_1 = _e579 + (_e580 * C);
            if ((tid_1 + 0u) < 256u) {
                metal::float4 _e592 = nk0_1;
                k_s.inner[tid_1 + 0u] = _e592;
                metal::float4 _e597 = nq0_1;
                q_s.inner[tid_1 + 0u] = _e597;
            }
            if ((tid_1 + 128u) < 256u) {
                metal::float4 _e606 = nk1_1;
                k_s.inner[tid_1 + 128u] = _e606;
                metal::float4 _e611 = nq1_1;
                q_s.inner[tid_1 + 128u] = _e611;
            }
            if ((tid_1 + 0u) < 64u) {
                float _e620 = nt0_;
                t_s.inner[tid_1 + 0u] = _e620;
                float _e625 = na0_;
                a_s.inner[tid_1 + 0u] = _e625;
            }
            if (tid_1 < C) {
                float _e630 = ng;
                g_s.inner[tid_1] = _e630;
            }
            if ((tid_1 + 0u) < 256u) {
                float _e639 = nv0_;
                v_s.inner[tid_1 + 0u] = _e639;
            }
            if ((tid_1 + 128u) < 256u) {
                float _e648 = nv1_;
                v_s.inner[tid_1 + 128u] = _e648;
            }
            metal::threadgroup_barrier(metal::mem_flags::mem_threadgroup);
            uint _e649 = c;
            uint _e654 = p.nc;
            if ((_e649 + 1u) < _e654) {
                {
                    uint e_26 = metal::min(tid_1 + 0u, 255u);
                    uint i_16 = naga_div(e_26, NV4_);
                    bool _e665 = step_on(b_6, (ts0_1 + C) + i_16, p, mask, _buffer_sizes);
                    uint _e669 = bt_of(b_6, (ts0_1 + C) + i_16, p, mask, _buffer_sizes);
                    uint _e672 = hk_1;
                    uint r_6 = (_e669 * HK) + _e672;
                    metal::float4 _e679 = ld_k4_(r_6, e_26 - (i_16 * NV4_), k, _buffer_sizes);
                    nk0_1 = _e665 ? _e679 : metal::float4(0.0);
                    metal::float4 _e686 = ld_q4_(r_6, e_26 - (i_16 * NV4_), q, _buffer_sizes);
                    nq0_1 = _e665 ? _e686 : metal::float4(0.0);
                }
                {
                    uint e_27 = metal::min(tid_1 + 128u, 255u);
                    uint i_17 = naga_div(e_27, NV4_);
                    bool _e697 = step_on(b_6, (ts0_1 + C) + i_17, p, mask, _buffer_sizes);
                    uint _e701 = bt_of(b_6, (ts0_1 + C) + i_17, p, mask, _buffer_sizes);
                    uint _e704 = hk_1;
                    uint r_7 = (_e701 * HK) + _e704;
                    metal::float4 _e711 = ld_k4_(r_7, e_27 - (i_17 * NV4_), k, _buffer_sizes);
                    nk1_1 = _e697 ? _e711 : metal::float4(0.0);
                    metal::float4 _e718 = ld_q4_(r_7, e_27 - (i_17 * NV4_), q, _buffer_sizes);
                    nq1_1 = _e697 ? _e718 : metal::float4(0.0);
                }
                {
                    uint e_28 = metal::min(tid_1 + 0u, 63u);
                    uint _e727 = p.sc;
                    uint _e729 = c;
                    float _e737 = ws[((((n_1 * _e727) + _e729) + 1u) * STRIDE) + e_28];
                    nt0_ = _e737;
                    uint _e741 = p.sc;
                    uint _e743 = c;
                    float _e753 = ws[(((((n_1 * _e741) + _e743) + 1u) * STRIDE) + OFF_P) + e_28];
                    na0_ = _e753;
                }
                uint _e757 = p.sc;
                uint _e759 = c;
                float _e771 = ws[(((((n_1 * _e757) + _e759) + 1u) * STRIDE) + OFF_G) + metal::min(tid_1, 7u)];
                ng = _e771;
                {
                    uint e_29 = metal::min(tid_1 + 0u, 255u);
                    uint i_18 = naga_div(e_29, ROWS);
                    uint dvv_2 = metal::min(((wid_1.x * ROWS) + e_29) - (i_18 * ROWS), 127u);
                    uint _e790 = bt_of(b_6, (ts0_1 + C) + i_18, p, mask, _buffer_sizes);
                    float _e797 = ld_v((((_e790 * HV) + hv_1) * DV) + dvv_2, v, _buffer_sizes);
                    bool _e801 = step_on(b_6, (ts0_1 + C) + i_18, p, mask, _buffer_sizes);
                    nv0_ = _e801 ? _e797 : 0.0;
                }
                {
                    uint e_30 = metal::min(tid_1 + 128u, 255u);
                    uint i_19 = naga_div(e_30, ROWS);
                    uint dvv_3 = metal::min(((wid_1.x * ROWS) + e_30) - (i_19 * ROWS), 127u);
                    uint _e822 = bt_of(b_6, (ts0_1 + C) + i_19, p, mask, _buffer_sizes);
                    float _e829 = ld_v((((_e822 * HV) + hv_1) * DV) + dvv_3, v, _buffer_sizes);
                    bool _e833 = step_on(b_6, (ts0_1 + C) + i_19, p, mask, _buffer_sizes);
                    nv1_ = _e833 ? _e829 : 0.0;
                }
            }
            kq0_ = metal::float4(0.0);
            kq1_ = metal::float4(0.0);
            kq2_ = metal::float4(0.0);
            kq3_ = metal::float4(0.0);
            kq4_ = metal::float4(0.0);
            kq5_ = metal::float4(0.0);
            kq6_ = metal::float4(0.0);
            kq7_ = metal::float4(0.0);
            {
                {
                    metal::float4 kc = k_s.inner[0u + cc0_];
                    metal::float4 qc = q_s.inner[0u + cc0_];
                    metal::float4 _e870 = kq0_;
                    metal::float4 _e871 = s0_0_;
                    metal::float4 _e873 = s0_0_;
                    metal::float4 _e875 = s1_0_;
                    metal::float4 _e877 = s1_0_;
                    kq0_ = _e870 + metal::float4(metal::dot(_e871, kc), metal::dot(_e873, qc), metal::dot(_e875, kc), metal::dot(_e877, qc));
                }
                {
                    metal::float4 kc_1 = k_s.inner[32u + cc0_];
                    metal::float4 qc_1 = q_s.inner[32u + cc0_];
                    metal::float4 _e891 = kq1_;
                    metal::float4 _e892 = s0_0_;
                    metal::float4 _e894 = s0_0_;
                    metal::float4 _e896 = s1_0_;
                    metal::float4 _e898 = s1_0_;
                    kq1_ = _e891 + metal::float4(metal::dot(_e892, kc_1), metal::dot(_e894, qc_1), metal::dot(_e896, kc_1), metal::dot(_e898, qc_1));
                }
                {
                    metal::float4 kc_2 = k_s.inner[64u + cc0_];
                    metal::float4 qc_2 = q_s.inner[64u + cc0_];
                    metal::float4 _e912 = kq2_;
                    metal::float4 _e913 = s0_0_;
                    metal::float4 _e915 = s0_0_;
                    metal::float4 _e917 = s1_0_;
                    metal::float4 _e919 = s1_0_;
                    kq2_ = _e912 + metal::float4(metal::dot(_e913, kc_2), metal::dot(_e915, qc_2), metal::dot(_e917, kc_2), metal::dot(_e919, qc_2));
                }
                {
                    metal::float4 kc_3 = k_s.inner[96u + cc0_];
                    metal::float4 qc_3 = q_s.inner[96u + cc0_];
                    metal::float4 _e933 = kq3_;
                    metal::float4 _e934 = s0_0_;
                    metal::float4 _e936 = s0_0_;
                    metal::float4 _e938 = s1_0_;
                    metal::float4 _e940 = s1_0_;
                    kq3_ = _e933 + metal::float4(metal::dot(_e934, kc_3), metal::dot(_e936, qc_3), metal::dot(_e938, kc_3), metal::dot(_e940, qc_3));
                }
                {
                    metal::float4 kc_4 = k_s.inner[128u + cc0_];
                    metal::float4 qc_4 = q_s.inner[128u + cc0_];
                    metal::float4 _e954 = kq4_;
                    metal::float4 _e955 = s0_0_;
                    metal::float4 _e957 = s0_0_;
                    metal::float4 _e959 = s1_0_;
                    metal::float4 _e961 = s1_0_;
                    kq4_ = _e954 + metal::float4(metal::dot(_e955, kc_4), metal::dot(_e957, qc_4), metal::dot(_e959, kc_4), metal::dot(_e961, qc_4));
                }
                {
                    metal::float4 kc_5 = k_s.inner[160u + cc0_];
                    metal::float4 qc_5 = q_s.inner[160u + cc0_];
                    metal::float4 _e975 = kq5_;
                    metal::float4 _e976 = s0_0_;
                    metal::float4 _e978 = s0_0_;
                    metal::float4 _e980 = s1_0_;
                    metal::float4 _e982 = s1_0_;
                    kq5_ = _e975 + metal::float4(metal::dot(_e976, kc_5), metal::dot(_e978, qc_5), metal::dot(_e980, kc_5), metal::dot(_e982, qc_5));
                }
                {
                    metal::float4 kc_6 = k_s.inner[192u + cc0_];
                    metal::float4 qc_6 = q_s.inner[192u + cc0_];
                    metal::float4 _e996 = kq6_;
                    metal::float4 _e997 = s0_0_;
                    metal::float4 _e999 = s0_0_;
                    metal::float4 _e1001 = s1_0_;
                    metal::float4 _e1003 = s1_0_;
                    kq6_ = _e996 + metal::float4(metal::dot(_e997, kc_6), metal::dot(_e999, qc_6), metal::dot(_e1001, kc_6), metal::dot(_e1003, qc_6));
                }
                {
                    metal::float4 kc_7 = k_s.inner[224u + cc0_];
                    metal::float4 qc_7 = q_s.inner[224u + cc0_];
                    metal::float4 _e1017 = kq7_;
                    metal::float4 _e1018 = s0_0_;
                    metal::float4 _e1020 = s0_0_;
                    metal::float4 _e1022 = s1_0_;
                    metal::float4 _e1024 = s1_0_;
                    kq7_ = _e1017 + metal::float4(metal::dot(_e1018, kc_7), metal::dot(_e1020, qc_7), metal::dot(_e1022, kc_7), metal::dot(_e1024, qc_7));
                }
            }
            {
                {
                    metal::float4 kc_8 = k_s.inner[0u + cc1_];
                    metal::float4 qc_8 = q_s.inner[0u + cc1_];
                    metal::float4 _e1038 = kq0_;
                    metal::float4 _e1039 = s0_1_;
                    metal::float4 _e1041 = s0_1_;
                    metal::float4 _e1043 = s1_1_;
                    metal::float4 _e1045 = s1_1_;
                    kq0_ = _e1038 + metal::float4(metal::dot(_e1039, kc_8), metal::dot(_e1041, qc_8), metal::dot(_e1043, kc_8), metal::dot(_e1045, qc_8));
                }
                {
                    metal::float4 kc_9 = k_s.inner[32u + cc1_];
                    metal::float4 qc_9 = q_s.inner[32u + cc1_];
                    metal::float4 _e1059 = kq1_;
                    metal::float4 _e1060 = s0_1_;
                    metal::float4 _e1062 = s0_1_;
                    metal::float4 _e1064 = s1_1_;
                    metal::float4 _e1066 = s1_1_;
                    kq1_ = _e1059 + metal::float4(metal::dot(_e1060, kc_9), metal::dot(_e1062, qc_9), metal::dot(_e1064, kc_9), metal::dot(_e1066, qc_9));
                }
                {
                    metal::float4 kc_10 = k_s.inner[64u + cc1_];
                    metal::float4 qc_10 = q_s.inner[64u + cc1_];
                    metal::float4 _e1080 = kq2_;
                    metal::float4 _e1081 = s0_1_;
                    metal::float4 _e1083 = s0_1_;
                    metal::float4 _e1085 = s1_1_;
                    metal::float4 _e1087 = s1_1_;
                    kq2_ = _e1080 + metal::float4(metal::dot(_e1081, kc_10), metal::dot(_e1083, qc_10), metal::dot(_e1085, kc_10), metal::dot(_e1087, qc_10));
                }
                {
                    metal::float4 kc_11 = k_s.inner[96u + cc1_];
                    metal::float4 qc_11 = q_s.inner[96u + cc1_];
                    metal::float4 _e1101 = kq3_;
                    metal::float4 _e1102 = s0_1_;
                    metal::float4 _e1104 = s0_1_;
                    metal::float4 _e1106 = s1_1_;
                    metal::float4 _e1108 = s1_1_;
                    kq3_ = _e1101 + metal::float4(metal::dot(_e1102, kc_11), metal::dot(_e1104, qc_11), metal::dot(_e1106, kc_11), metal::dot(_e1108, qc_11));
                }
                {
                    metal::float4 kc_12 = k_s.inner[128u + cc1_];
                    metal::float4 qc_12 = q_s.inner[128u + cc1_];
                    metal::float4 _e1122 = kq4_;
                    metal::float4 _e1123 = s0_1_;
                    metal::float4 _e1125 = s0_1_;
                    metal::float4 _e1127 = s1_1_;
                    metal::float4 _e1129 = s1_1_;
                    kq4_ = _e1122 + metal::float4(metal::dot(_e1123, kc_12), metal::dot(_e1125, qc_12), metal::dot(_e1127, kc_12), metal::dot(_e1129, qc_12));
                }
                {
                    metal::float4 kc_13 = k_s.inner[160u + cc1_];
                    metal::float4 qc_13 = q_s.inner[160u + cc1_];
                    metal::float4 _e1143 = kq5_;
                    metal::float4 _e1144 = s0_1_;
                    metal::float4 _e1146 = s0_1_;
                    metal::float4 _e1148 = s1_1_;
                    metal::float4 _e1150 = s1_1_;
                    kq5_ = _e1143 + metal::float4(metal::dot(_e1144, kc_13), metal::dot(_e1146, qc_13), metal::dot(_e1148, kc_13), metal::dot(_e1150, qc_13));
                }
                {
                    metal::float4 kc_14 = k_s.inner[192u + cc1_];
                    metal::float4 qc_14 = q_s.inner[192u + cc1_];
                    metal::float4 _e1164 = kq6_;
                    metal::float4 _e1165 = s0_1_;
                    metal::float4 _e1167 = s0_1_;
                    metal::float4 _e1169 = s1_1_;
                    metal::float4 _e1171 = s1_1_;
                    kq6_ = _e1164 + metal::float4(metal::dot(_e1165, kc_14), metal::dot(_e1167, qc_14), metal::dot(_e1169, kc_14), metal::dot(_e1171, qc_14));
                }
                {
                    metal::float4 kc_15 = k_s.inner[224u + cc1_];
                    metal::float4 qc_15 = q_s.inner[224u + cc1_];
                    metal::float4 _e1185 = kq7_;
                    metal::float4 _e1186 = s0_1_;
                    metal::float4 _e1188 = s0_1_;
                    metal::float4 _e1190 = s1_1_;
                    metal::float4 _e1192 = s1_1_;
                    kq7_ = _e1185 + metal::float4(metal::dot(_e1186, kc_15), metal::dot(_e1188, qc_15), metal::dot(_e1190, kc_15), metal::dot(_e1192, qc_15));
                }
            }
            {
                {
                    metal::float4 kc_16 = k_s.inner[0u + cc2_];
                    metal::float4 qc_16 = q_s.inner[0u + cc2_];
                    metal::float4 _e1206 = kq0_;
                    metal::float4 _e1207 = s0_2_;
                    metal::float4 _e1209 = s0_2_;
                    metal::float4 _e1211 = s1_2_;
                    metal::float4 _e1213 = s1_2_;
                    kq0_ = _e1206 + metal::float4(metal::dot(_e1207, kc_16), metal::dot(_e1209, qc_16), metal::dot(_e1211, kc_16), metal::dot(_e1213, qc_16));
                }
                {
                    metal::float4 kc_17 = k_s.inner[32u + cc2_];
                    metal::float4 qc_17 = q_s.inner[32u + cc2_];
                    metal::float4 _e1227 = kq1_;
                    metal::float4 _e1228 = s0_2_;
                    metal::float4 _e1230 = s0_2_;
                    metal::float4 _e1232 = s1_2_;
                    metal::float4 _e1234 = s1_2_;
                    kq1_ = _e1227 + metal::float4(metal::dot(_e1228, kc_17), metal::dot(_e1230, qc_17), metal::dot(_e1232, kc_17), metal::dot(_e1234, qc_17));
                }
                {
                    metal::float4 kc_18 = k_s.inner[64u + cc2_];
                    metal::float4 qc_18 = q_s.inner[64u + cc2_];
                    metal::float4 _e1248 = kq2_;
                    metal::float4 _e1249 = s0_2_;
                    metal::float4 _e1251 = s0_2_;
                    metal::float4 _e1253 = s1_2_;
                    metal::float4 _e1255 = s1_2_;
                    kq2_ = _e1248 + metal::float4(metal::dot(_e1249, kc_18), metal::dot(_e1251, qc_18), metal::dot(_e1253, kc_18), metal::dot(_e1255, qc_18));
                }
                {
                    metal::float4 kc_19 = k_s.inner[96u + cc2_];
                    metal::float4 qc_19 = q_s.inner[96u + cc2_];
                    metal::float4 _e1269 = kq3_;
                    metal::float4 _e1270 = s0_2_;
                    metal::float4 _e1272 = s0_2_;
                    metal::float4 _e1274 = s1_2_;
                    metal::float4 _e1276 = s1_2_;
                    kq3_ = _e1269 + metal::float4(metal::dot(_e1270, kc_19), metal::dot(_e1272, qc_19), metal::dot(_e1274, kc_19), metal::dot(_e1276, qc_19));
                }
                {
                    metal::float4 kc_20 = k_s.inner[128u + cc2_];
                    metal::float4 qc_20 = q_s.inner[128u + cc2_];
                    metal::float4 _e1290 = kq4_;
                    metal::float4 _e1291 = s0_2_;
                    metal::float4 _e1293 = s0_2_;
                    metal::float4 _e1295 = s1_2_;
                    metal::float4 _e1297 = s1_2_;
                    kq4_ = _e1290 + metal::float4(metal::dot(_e1291, kc_20), metal::dot(_e1293, qc_20), metal::dot(_e1295, kc_20), metal::dot(_e1297, qc_20));
                }
                {
                    metal::float4 kc_21 = k_s.inner[160u + cc2_];
                    metal::float4 qc_21 = q_s.inner[160u + cc2_];
                    metal::float4 _e1311 = kq5_;
                    metal::float4 _e1312 = s0_2_;
                    metal::float4 _e1314 = s0_2_;
                    metal::float4 _e1316 = s1_2_;
                    metal::float4 _e1318 = s1_2_;
                    kq5_ = _e1311 + metal::float4(metal::dot(_e1312, kc_21), metal::dot(_e1314, qc_21), metal::dot(_e1316, kc_21), metal::dot(_e1318, qc_21));
                }
                {
                    metal::float4 kc_22 = k_s.inner[192u + cc2_];
                    metal::float4 qc_22 = q_s.inner[192u + cc2_];
                    metal::float4 _e1332 = kq6_;
                    metal::float4 _e1333 = s0_2_;
                    metal::float4 _e1335 = s0_2_;
                    metal::float4 _e1337 = s1_2_;
                    metal::float4 _e1339 = s1_2_;
                    kq6_ = _e1332 + metal::float4(metal::dot(_e1333, kc_22), metal::dot(_e1335, qc_22), metal::dot(_e1337, kc_22), metal::dot(_e1339, qc_22));
                }
                {
                    metal::float4 kc_23 = k_s.inner[224u + cc2_];
                    metal::float4 qc_23 = q_s.inner[224u + cc2_];
                    metal::float4 _e1353 = kq7_;
                    metal::float4 _e1354 = s0_2_;
                    metal::float4 _e1356 = s0_2_;
                    metal::float4 _e1358 = s1_2_;
                    metal::float4 _e1360 = s1_2_;
                    kq7_ = _e1353 + metal::float4(metal::dot(_e1354, kc_23), metal::dot(_e1356, qc_23), metal::dot(_e1358, kc_23), metal::dot(_e1360, qc_23));
                }
            }
            {
                {
                    metal::float4 kc_24 = k_s.inner[0u + cc3_];
                    metal::float4 qc_24 = q_s.inner[0u + cc3_];
                    metal::float4 _e1374 = kq0_;
                    metal::float4 _e1375 = s0_3_;
                    metal::float4 _e1377 = s0_3_;
                    metal::float4 _e1379 = s1_3_;
                    metal::float4 _e1381 = s1_3_;
                    kq0_ = _e1374 + metal::float4(metal::dot(_e1375, kc_24), metal::dot(_e1377, qc_24), metal::dot(_e1379, kc_24), metal::dot(_e1381, qc_24));
                }
                {
                    metal::float4 kc_25 = k_s.inner[32u + cc3_];
                    metal::float4 qc_25 = q_s.inner[32u + cc3_];
                    metal::float4 _e1395 = kq1_;
                    metal::float4 _e1396 = s0_3_;
                    metal::float4 _e1398 = s0_3_;
                    metal::float4 _e1400 = s1_3_;
                    metal::float4 _e1402 = s1_3_;
                    kq1_ = _e1395 + metal::float4(metal::dot(_e1396, kc_25), metal::dot(_e1398, qc_25), metal::dot(_e1400, kc_25), metal::dot(_e1402, qc_25));
                }
                {
                    metal::float4 kc_26 = k_s.inner[64u + cc3_];
                    metal::float4 qc_26 = q_s.inner[64u + cc3_];
                    metal::float4 _e1416 = kq2_;
                    metal::float4 _e1417 = s0_3_;
                    metal::float4 _e1419 = s0_3_;
                    metal::float4 _e1421 = s1_3_;
                    metal::float4 _e1423 = s1_3_;
                    kq2_ = _e1416 + metal::float4(metal::dot(_e1417, kc_26), metal::dot(_e1419, qc_26), metal::dot(_e1421, kc_26), metal::dot(_e1423, qc_26));
                }
                {
                    metal::float4 kc_27 = k_s.inner[96u + cc3_];
                    metal::float4 qc_27 = q_s.inner[96u + cc3_];
                    metal::float4 _e1437 = kq3_;
                    metal::float4 _e1438 = s0_3_;
                    metal::float4 _e1440 = s0_3_;
                    metal::float4 _e1442 = s1_3_;
                    metal::float4 _e1444 = s1_3_;
                    kq3_ = _e1437 + metal::float4(metal::dot(_e1438, kc_27), metal::dot(_e1440, qc_27), metal::dot(_e1442, kc_27), metal::dot(_e1444, qc_27));
                }
                {
                    metal::float4 kc_28 = k_s.inner[128u + cc3_];
                    metal::float4 qc_28 = q_s.inner[128u + cc3_];
                    metal::float4 _e1458 = kq4_;
                    metal::float4 _e1459 = s0_3_;
                    metal::float4 _e1461 = s0_3_;
                    metal::float4 _e1463 = s1_3_;
                    metal::float4 _e1465 = s1_3_;
                    kq4_ = _e1458 + metal::float4(metal::dot(_e1459, kc_28), metal::dot(_e1461, qc_28), metal::dot(_e1463, kc_28), metal::dot(_e1465, qc_28));
                }
                {
                    metal::float4 kc_29 = k_s.inner[160u + cc3_];
                    metal::float4 qc_29 = q_s.inner[160u + cc3_];
                    metal::float4 _e1479 = kq5_;
                    metal::float4 _e1480 = s0_3_;
                    metal::float4 _e1482 = s0_3_;
                    metal::float4 _e1484 = s1_3_;
                    metal::float4 _e1486 = s1_3_;
                    kq5_ = _e1479 + metal::float4(metal::dot(_e1480, kc_29), metal::dot(_e1482, qc_29), metal::dot(_e1484, kc_29), metal::dot(_e1486, qc_29));
                }
                {
                    metal::float4 kc_30 = k_s.inner[192u + cc3_];
                    metal::float4 qc_30 = q_s.inner[192u + cc3_];
                    metal::float4 _e1500 = kq6_;
                    metal::float4 _e1501 = s0_3_;
                    metal::float4 _e1503 = s0_3_;
                    metal::float4 _e1505 = s1_3_;
                    metal::float4 _e1507 = s1_3_;
                    kq6_ = _e1500 + metal::float4(metal::dot(_e1501, kc_30), metal::dot(_e1503, qc_30), metal::dot(_e1505, kc_30), metal::dot(_e1507, qc_30));
                }
                {
                    metal::float4 kc_31 = k_s.inner[224u + cc3_];
                    metal::float4 qc_31 = q_s.inner[224u + cc3_];
                    metal::float4 _e1521 = kq7_;
                    metal::float4 _e1522 = s0_3_;
                    metal::float4 _e1524 = s0_3_;
                    metal::float4 _e1526 = s1_3_;
                    metal::float4 _e1528 = s1_3_;
                    kq7_ = _e1521 + metal::float4(metal::dot(_e1522, kc_31), metal::dot(_e1524, qc_31), metal::dot(_e1526, kc_31), metal::dot(_e1528, qc_31));
                }
            }
            metal::float4 _e1532 = kq0_;
            metal::float4 _e1533 = row_sum4_(_e1532);
            kq0_ = _e1533;
            float _e1540 = v_s.inner[0u + (row * RPT)];
            float _e1543 = g_s.inner[0];
            float _e1546 = kq0_.x;
            float z0_0_ = _e1540 - (metal::exp(_e1543) * _e1546);
            float _e1557 = v_s.inner[(0u + (row * RPT)) + 1u];
            float _e1560 = g_s.inner[0];
            float _e1563 = kq0_.z;
            float z1_0_ = _e1557 - (metal::exp(_e1560) * _e1563);
            metal::float4 _e1566 = kq1_;
            metal::float4 _e1567 = row_sum4_(_e1566);
            kq1_ = _e1567;
            float _e1574 = v_s.inner[32u + (row * RPT)];
            float _e1577 = g_s.inner[1];
            float _e1580 = kq1_.x;
            float z0_1_ = _e1574 - (metal::exp(_e1577) * _e1580);
            float _e1591 = v_s.inner[(32u + (row * RPT)) + 1u];
            float _e1594 = g_s.inner[1];
            float _e1597 = kq1_.z;
            float z1_1_ = _e1591 - (metal::exp(_e1594) * _e1597);
            metal::float4 _e1600 = kq2_;
            metal::float4 _e1601 = row_sum4_(_e1600);
            kq2_ = _e1601;
            float _e1608 = v_s.inner[64u + (row * RPT)];
            float _e1611 = g_s.inner[2];
            float _e1614 = kq2_.x;
            float z0_2_ = _e1608 - (metal::exp(_e1611) * _e1614);
            float _e1625 = v_s.inner[(64u + (row * RPT)) + 1u];
            float _e1628 = g_s.inner[2];
            float _e1631 = kq2_.z;
            float z1_2_ = _e1625 - (metal::exp(_e1628) * _e1631);
            metal::float4 _e1634 = kq3_;
            metal::float4 _e1635 = row_sum4_(_e1634);
            kq3_ = _e1635;
            float _e1642 = v_s.inner[96u + (row * RPT)];
            float _e1645 = g_s.inner[3];
            float _e1648 = kq3_.x;
            float z0_3_ = _e1642 - (metal::exp(_e1645) * _e1648);
            float _e1659 = v_s.inner[(96u + (row * RPT)) + 1u];
            float _e1662 = g_s.inner[3];
            float _e1665 = kq3_.z;
            float z1_3_ = _e1659 - (metal::exp(_e1662) * _e1665);
            metal::float4 _e1668 = kq4_;
            metal::float4 _e1669 = row_sum4_(_e1668);
            kq4_ = _e1669;
            float _e1676 = v_s.inner[128u + (row * RPT)];
            float _e1679 = g_s.inner[4];
            float _e1682 = kq4_.x;
            float z0_4_ = _e1676 - (metal::exp(_e1679) * _e1682);
            float _e1693 = v_s.inner[(128u + (row * RPT)) + 1u];
            float _e1696 = g_s.inner[4];
            float _e1699 = kq4_.z;
            float z1_4_ = _e1693 - (metal::exp(_e1696) * _e1699);
            metal::float4 _e1702 = kq5_;
            metal::float4 _e1703 = row_sum4_(_e1702);
            kq5_ = _e1703;
            float _e1710 = v_s.inner[160u + (row * RPT)];
            float _e1713 = g_s.inner[5];
            float _e1716 = kq5_.x;
            float z0_5_ = _e1710 - (metal::exp(_e1713) * _e1716);
            float _e1727 = v_s.inner[(160u + (row * RPT)) + 1u];
            float _e1730 = g_s.inner[5];
            float _e1733 = kq5_.z;
            float z1_5_ = _e1727 - (metal::exp(_e1730) * _e1733);
            metal::float4 _e1736 = kq6_;
            metal::float4 _e1737 = row_sum4_(_e1736);
            kq6_ = _e1737;
            float _e1744 = v_s.inner[192u + (row * RPT)];
            float _e1747 = g_s.inner[6];
            float _e1750 = kq6_.x;
            float z0_6_ = _e1744 - (metal::exp(_e1747) * _e1750);
            float _e1761 = v_s.inner[(192u + (row * RPT)) + 1u];
            float _e1764 = g_s.inner[6];
            float _e1767 = kq6_.z;
            float z1_6_ = _e1761 - (metal::exp(_e1764) * _e1767);
            metal::float4 _e1770 = kq7_;
            metal::float4 _e1771 = row_sum4_(_e1770);
            kq7_ = _e1771;
            float _e1778 = v_s.inner[224u + (row * RPT)];
            float _e1781 = g_s.inner[7];
            float _e1784 = kq7_.x;
            float z0_7_ = _e1778 - (metal::exp(_e1781) * _e1784);
            float _e1795 = v_s.inner[(224u + (row * RPT)) + 1u];
            float _e1798 = g_s.inner[7];
            float _e1801 = kq7_.z;
            float z1_7_ = _e1795 - (metal::exp(_e1798) * _e1801);
            float _e1806 = t_s.inner[0];
            float u0_0_ = _e1806 * z0_0_;
            float _e1810 = t_s.inner[8];
            float _e1814 = t_s.inner[9];
            float u0_1_ = (_e1810 * z0_0_) + (_e1814 * z0_1_);
            float _e1819 = t_s.inner[16];
            float _e1823 = t_s.inner[17];
            float _e1828 = t_s.inner[18];
            float u0_2_ = ((_e1819 * z0_0_) + (_e1823 * z0_1_)) + (_e1828 * z0_2_);
            float _e1833 = t_s.inner[24];
            float _e1837 = t_s.inner[25];
            float _e1842 = t_s.inner[26];
            float _e1847 = t_s.inner[27];
            float u0_3_ = (((_e1833 * z0_0_) + (_e1837 * z0_1_)) + (_e1842 * z0_2_)) + (_e1847 * z0_3_);
            float _e1852 = t_s.inner[32];
            float _e1856 = t_s.inner[33];
            float _e1861 = t_s.inner[34];
            float _e1866 = t_s.inner[35];
            float _e1871 = t_s.inner[36];
            float u0_4_ = ((((_e1852 * z0_0_) + (_e1856 * z0_1_)) + (_e1861 * z0_2_)) + (_e1866 * z0_3_)) + (_e1871 * z0_4_);
            float _e1876 = t_s.inner[40];
            float _e1880 = t_s.inner[41];
            float _e1885 = t_s.inner[42];
            float _e1890 = t_s.inner[43];
            float _e1895 = t_s.inner[44];
            float _e1900 = t_s.inner[45];
            float u0_5_ = (((((_e1876 * z0_0_) + (_e1880 * z0_1_)) + (_e1885 * z0_2_)) + (_e1890 * z0_3_)) + (_e1895 * z0_4_)) + (_e1900 * z0_5_);
            float _e1905 = t_s.inner[48];
            float _e1909 = t_s.inner[49];
            float _e1914 = t_s.inner[50];
            float _e1919 = t_s.inner[51];
            float _e1924 = t_s.inner[52];
            float _e1929 = t_s.inner[53];
            float _e1934 = t_s.inner[54];
            float u0_6_ = ((((((_e1905 * z0_0_) + (_e1909 * z0_1_)) + (_e1914 * z0_2_)) + (_e1919 * z0_3_)) + (_e1924 * z0_4_)) + (_e1929 * z0_5_)) + (_e1934 * z0_6_);
            float _e1939 = t_s.inner[56];
            float _e1943 = t_s.inner[57];
            float _e1948 = t_s.inner[58];
            float _e1953 = t_s.inner[59];
            float _e1958 = t_s.inner[60];
            float _e1963 = t_s.inner[61];
            float _e1968 = t_s.inner[62];
            float _e1973 = t_s.inner[63];
            float u0_7_ = (((((((_e1939 * z0_0_) + (_e1943 * z0_1_)) + (_e1948 * z0_2_)) + (_e1953 * z0_3_)) + (_e1958 * z0_4_)) + (_e1963 * z0_5_)) + (_e1968 * z0_6_)) + (_e1973 * z0_7_);
            float _e1978 = t_s.inner[0];
            float u1_0_ = _e1978 * z1_0_;
            float _e1982 = t_s.inner[8];
            float _e1986 = t_s.inner[9];
            float u1_1_ = (_e1982 * z1_0_) + (_e1986 * z1_1_);
            float _e1991 = t_s.inner[16];
            float _e1995 = t_s.inner[17];
            float _e2000 = t_s.inner[18];
            float u1_2_ = ((_e1991 * z1_0_) + (_e1995 * z1_1_)) + (_e2000 * z1_2_);
            float _e2005 = t_s.inner[24];
            float _e2009 = t_s.inner[25];
            float _e2014 = t_s.inner[26];
            float _e2019 = t_s.inner[27];
            float u1_3_ = (((_e2005 * z1_0_) + (_e2009 * z1_1_)) + (_e2014 * z1_2_)) + (_e2019 * z1_3_);
            float _e2024 = t_s.inner[32];
            float _e2028 = t_s.inner[33];
            float _e2033 = t_s.inner[34];
            float _e2038 = t_s.inner[35];
            float _e2043 = t_s.inner[36];
            float u1_4_ = ((((_e2024 * z1_0_) + (_e2028 * z1_1_)) + (_e2033 * z1_2_)) + (_e2038 * z1_3_)) + (_e2043 * z1_4_);
            float _e2048 = t_s.inner[40];
            float _e2052 = t_s.inner[41];
            float _e2057 = t_s.inner[42];
            float _e2062 = t_s.inner[43];
            float _e2067 = t_s.inner[44];
            float _e2072 = t_s.inner[45];
            float u1_5_ = (((((_e2048 * z1_0_) + (_e2052 * z1_1_)) + (_e2057 * z1_2_)) + (_e2062 * z1_3_)) + (_e2067 * z1_4_)) + (_e2072 * z1_5_);
            float _e2077 = t_s.inner[48];
            float _e2081 = t_s.inner[49];
            float _e2086 = t_s.inner[50];
            float _e2091 = t_s.inner[51];
            float _e2096 = t_s.inner[52];
            float _e2101 = t_s.inner[53];
            float _e2106 = t_s.inner[54];
            float u1_6_ = ((((((_e2077 * z1_0_) + (_e2081 * z1_1_)) + (_e2086 * z1_2_)) + (_e2091 * z1_3_)) + (_e2096 * z1_4_)) + (_e2101 * z1_5_)) + (_e2106 * z1_6_);
            float _e2111 = t_s.inner[56];
            float _e2115 = t_s.inner[57];
            float _e2120 = t_s.inner[58];
            float _e2125 = t_s.inner[59];
            float _e2130 = t_s.inner[60];
            float _e2135 = t_s.inner[61];
            float _e2140 = t_s.inner[62];
            float _e2145 = t_s.inner[63];
            float u1_7_ = (((((((_e2111 * z1_0_) + (_e2115 * z1_1_)) + (_e2120 * z1_2_)) + (_e2125 * z1_3_)) + (_e2130 * z1_4_)) + (_e2135 * z1_5_)) + (_e2140 * z1_6_)) + (_e2145 * z1_7_);
            float _e2150 = g_s.inner[0];
            float _e2153 = kq0_.y;
            float _e2157 = a_s.inner[0];
            float yv0_0_ = (metal::exp(_e2150) * _e2153) + (_e2157 * u0_0_);
            float _e2162 = g_s.inner[0];
            float _e2165 = kq0_.w;
            float _e2169 = a_s.inner[0];
            float yv1_0_ = (metal::exp(_e2162) * _e2165) + (_e2169 * u1_0_);
            float _e2174 = g_s.inner[1];
            float _e2177 = kq1_.y;
            float _e2181 = a_s.inner[8];
            float _e2186 = a_s.inner[9];
            float yv0_1_ = ((metal::exp(_e2174) * _e2177) + (_e2181 * u0_0_)) + (_e2186 * u0_1_);
            float _e2191 = g_s.inner[1];
            float _e2194 = kq1_.w;
            float _e2198 = a_s.inner[8];
            float _e2203 = a_s.inner[9];
            float yv1_1_ = ((metal::exp(_e2191) * _e2194) + (_e2198 * u1_0_)) + (_e2203 * u1_1_);
            float _e2208 = g_s.inner[2];
            float _e2211 = kq2_.y;
            float _e2215 = a_s.inner[16];
            float _e2220 = a_s.inner[17];
            float _e2225 = a_s.inner[18];
            float yv0_2_ = (((metal::exp(_e2208) * _e2211) + (_e2215 * u0_0_)) + (_e2220 * u0_1_)) + (_e2225 * u0_2_);
            float _e2230 = g_s.inner[2];
            float _e2233 = kq2_.w;
            float _e2237 = a_s.inner[16];
            float _e2242 = a_s.inner[17];
            float _e2247 = a_s.inner[18];
            float yv1_2_ = (((metal::exp(_e2230) * _e2233) + (_e2237 * u1_0_)) + (_e2242 * u1_1_)) + (_e2247 * u1_2_);
            float _e2252 = g_s.inner[3];
            float _e2255 = kq3_.y;
            float _e2259 = a_s.inner[24];
            float _e2264 = a_s.inner[25];
            float _e2269 = a_s.inner[26];
            float _e2274 = a_s.inner[27];
            float yv0_3_ = ((((metal::exp(_e2252) * _e2255) + (_e2259 * u0_0_)) + (_e2264 * u0_1_)) + (_e2269 * u0_2_)) + (_e2274 * u0_3_);
            float _e2279 = g_s.inner[3];
            float _e2282 = kq3_.w;
            float _e2286 = a_s.inner[24];
            float _e2291 = a_s.inner[25];
            float _e2296 = a_s.inner[26];
            float _e2301 = a_s.inner[27];
            float yv1_3_ = ((((metal::exp(_e2279) * _e2282) + (_e2286 * u1_0_)) + (_e2291 * u1_1_)) + (_e2296 * u1_2_)) + (_e2301 * u1_3_);
            float _e2306 = g_s.inner[4];
            float _e2309 = kq4_.y;
            float _e2313 = a_s.inner[32];
            float _e2318 = a_s.inner[33];
            float _e2323 = a_s.inner[34];
            float _e2328 = a_s.inner[35];
            float _e2333 = a_s.inner[36];
            float yv0_4_ = (((((metal::exp(_e2306) * _e2309) + (_e2313 * u0_0_)) + (_e2318 * u0_1_)) + (_e2323 * u0_2_)) + (_e2328 * u0_3_)) + (_e2333 * u0_4_);
            float _e2338 = g_s.inner[4];
            float _e2341 = kq4_.w;
            float _e2345 = a_s.inner[32];
            float _e2350 = a_s.inner[33];
            float _e2355 = a_s.inner[34];
            float _e2360 = a_s.inner[35];
            float _e2365 = a_s.inner[36];
            float yv1_4_ = (((((metal::exp(_e2338) * _e2341) + (_e2345 * u1_0_)) + (_e2350 * u1_1_)) + (_e2355 * u1_2_)) + (_e2360 * u1_3_)) + (_e2365 * u1_4_);
            float _e2370 = g_s.inner[5];
            float _e2373 = kq5_.y;
            float _e2377 = a_s.inner[40];
            float _e2382 = a_s.inner[41];
            float _e2387 = a_s.inner[42];
            float _e2392 = a_s.inner[43];
            float _e2397 = a_s.inner[44];
            float _e2402 = a_s.inner[45];
            float yv0_5_ = ((((((metal::exp(_e2370) * _e2373) + (_e2377 * u0_0_)) + (_e2382 * u0_1_)) + (_e2387 * u0_2_)) + (_e2392 * u0_3_)) + (_e2397 * u0_4_)) + (_e2402 * u0_5_);
            float _e2407 = g_s.inner[5];
            float _e2410 = kq5_.w;
            float _e2414 = a_s.inner[40];
            float _e2419 = a_s.inner[41];
            float _e2424 = a_s.inner[42];
            float _e2429 = a_s.inner[43];
            float _e2434 = a_s.inner[44];
            float _e2439 = a_s.inner[45];
            float yv1_5_ = ((((((metal::exp(_e2407) * _e2410) + (_e2414 * u1_0_)) + (_e2419 * u1_1_)) + (_e2424 * u1_2_)) + (_e2429 * u1_3_)) + (_e2434 * u1_4_)) + (_e2439 * u1_5_);
            float _e2444 = g_s.inner[6];
            float _e2447 = kq6_.y;
            float _e2451 = a_s.inner[48];
            float _e2456 = a_s.inner[49];
            float _e2461 = a_s.inner[50];
            float _e2466 = a_s.inner[51];
            float _e2471 = a_s.inner[52];
            float _e2476 = a_s.inner[53];
            float _e2481 = a_s.inner[54];
            float yv0_6_ = (((((((metal::exp(_e2444) * _e2447) + (_e2451 * u0_0_)) + (_e2456 * u0_1_)) + (_e2461 * u0_2_)) + (_e2466 * u0_3_)) + (_e2471 * u0_4_)) + (_e2476 * u0_5_)) + (_e2481 * u0_6_);
            float _e2486 = g_s.inner[6];
            float _e2489 = kq6_.w;
            float _e2493 = a_s.inner[48];
            float _e2498 = a_s.inner[49];
            float _e2503 = a_s.inner[50];
            float _e2508 = a_s.inner[51];
            float _e2513 = a_s.inner[52];
            float _e2518 = a_s.inner[53];
            float _e2523 = a_s.inner[54];
            float yv1_6_ = (((((((metal::exp(_e2486) * _e2489) + (_e2493 * u1_0_)) + (_e2498 * u1_1_)) + (_e2503 * u1_2_)) + (_e2508 * u1_3_)) + (_e2513 * u1_4_)) + (_e2518 * u1_5_)) + (_e2523 * u1_6_);
            float _e2528 = g_s.inner[7];
            float _e2531 = kq7_.y;
            float _e2535 = a_s.inner[56];
            float _e2540 = a_s.inner[57];
            float _e2545 = a_s.inner[58];
            float _e2550 = a_s.inner[59];
            float _e2555 = a_s.inner[60];
            float _e2560 = a_s.inner[61];
            float _e2565 = a_s.inner[62];
            float _e2570 = a_s.inner[63];
            float yv0_7_ = ((((((((metal::exp(_e2528) * _e2531) + (_e2535 * u0_0_)) + (_e2540 * u0_1_)) + (_e2545 * u0_2_)) + (_e2550 * u0_3_)) + (_e2555 * u0_4_)) + (_e2560 * u0_5_)) + (_e2565 * u0_6_)) + (_e2570 * u0_7_);
            float _e2575 = g_s.inner[7];
            float _e2578 = kq7_.w;
            float _e2582 = a_s.inner[56];
            float _e2587 = a_s.inner[57];
            float _e2592 = a_s.inner[58];
            float _e2597 = a_s.inner[59];
            float _e2602 = a_s.inner[60];
            float _e2607 = a_s.inner[61];
            float _e2612 = a_s.inner[62];
            float _e2617 = a_s.inner[63];
            float yv1_7_ = ((((((((metal::exp(_e2575) * _e2578) + (_e2582 * u1_0_)) + (_e2587 * u1_1_)) + (_e2592 * u1_2_)) + (_e2597 * u1_3_)) + (_e2602 * u1_4_)) + (_e2607 * u1_5_)) + (_e2612 * u1_6_)) + (_e2617 * u1_7_);
            if (lane == 0u) {
                y_s.inner[0u + (row * RPT)] = yv0_0_;
                y_s.inner[(0u + (row * RPT)) + 1u] = yv1_0_;
            }
            if (lane == 1u) {
                y_s.inner[32u + (row * RPT)] = yv0_1_;
                y_s.inner[(32u + (row * RPT)) + 1u] = yv1_1_;
            }
            if (lane == 2u) {
                y_s.inner[64u + (row * RPT)] = yv0_2_;
                y_s.inner[(64u + (row * RPT)) + 1u] = yv1_2_;
            }
            if (lane == 3u) {
                y_s.inner[96u + (row * RPT)] = yv0_3_;
                y_s.inner[(96u + (row * RPT)) + 1u] = yv1_3_;
            }
            if (lane == 4u) {
                y_s.inner[128u + (row * RPT)] = yv0_4_;
                y_s.inner[(128u + (row * RPT)) + 1u] = yv1_4_;
            }
            if (lane == 5u) {
                y_s.inner[160u + (row * RPT)] = yv0_5_;
                y_s.inner[(160u + (row * RPT)) + 1u] = yv1_5_;
            }
            if (lane == 6u) {
                y_s.inner[192u + (row * RPT)] = yv0_6_;
                y_s.inner[(192u + (row * RPT)) + 1u] = yv1_6_;
            }
            if (lane == 7u) {
                y_s.inner[224u + (row * RPT)] = yv0_7_;
                y_s.inner[(224u + (row * RPT)) + 1u] = yv1_7_;
            }
            float gc = g_s.inner[7];
            float dc = metal::exp(gc);
            float _e2754 = g_s.inner[0];
            float f0_ = metal::exp(gc - _e2754);
            float _e2759 = g_s.inner[1];
            float f1_ = metal::exp(gc - _e2759);
            float _e2764 = g_s.inner[2];
            float f2_ = metal::exp(gc - _e2764);
            float _e2769 = g_s.inner[3];
            float f3_ = metal::exp(gc - _e2769);
            float _e2774 = g_s.inner[4];
            float f4_ = metal::exp(gc - _e2774);
            float _e2779 = g_s.inner[5];
            float f5_ = metal::exp(gc - _e2779);
            float _e2784 = g_s.inner[6];
            float f6_ = metal::exp(gc - _e2784);
            float _e2789 = g_s.inner[7];
            float f7_ = metal::exp(gc - _e2789);
            {
                metal::float4 _e2792 = s0_0_;
                a0_ = _e2792 * dc;
                metal::float4 _e2795 = s1_0_;
                a1_ = _e2795 * dc;
                {
                    metal::float4 kc_32 = k_s.inner[0u + cc0_];
                    metal::float4 _e2803 = a0_;
                    a0_ = _e2803 + ((u0_0_ * f0_) * kc_32);
                    metal::float4 _e2807 = a1_;
                    a1_ = _e2807 + ((u1_0_ * f0_) * kc_32);
                }
                {
                    metal::float4 kc_33 = k_s.inner[32u + cc0_];
                    metal::float4 _e2816 = a0_;
                    a0_ = _e2816 + ((u0_1_ * f1_) * kc_33);
                    metal::float4 _e2820 = a1_;
                    a1_ = _e2820 + ((u1_1_ * f1_) * kc_33);
                }
                {
                    metal::float4 kc_34 = k_s.inner[64u + cc0_];
                    metal::float4 _e2829 = a0_;
                    a0_ = _e2829 + ((u0_2_ * f2_) * kc_34);
                    metal::float4 _e2833 = a1_;
                    a1_ = _e2833 + ((u1_2_ * f2_) * kc_34);
                }
                {
                    metal::float4 kc_35 = k_s.inner[96u + cc0_];
                    metal::float4 _e2842 = a0_;
                    a0_ = _e2842 + ((u0_3_ * f3_) * kc_35);
                    metal::float4 _e2846 = a1_;
                    a1_ = _e2846 + ((u1_3_ * f3_) * kc_35);
                }
                {
                    metal::float4 kc_36 = k_s.inner[128u + cc0_];
                    metal::float4 _e2855 = a0_;
                    a0_ = _e2855 + ((u0_4_ * f4_) * kc_36);
                    metal::float4 _e2859 = a1_;
                    a1_ = _e2859 + ((u1_4_ * f4_) * kc_36);
                }
                {
                    metal::float4 kc_37 = k_s.inner[160u + cc0_];
                    metal::float4 _e2868 = a0_;
                    a0_ = _e2868 + ((u0_5_ * f5_) * kc_37);
                    metal::float4 _e2872 = a1_;
                    a1_ = _e2872 + ((u1_5_ * f5_) * kc_37);
                }
                {
                    metal::float4 kc_38 = k_s.inner[192u + cc0_];
                    metal::float4 _e2881 = a0_;
                    a0_ = _e2881 + ((u0_6_ * f6_) * kc_38);
                    metal::float4 _e2885 = a1_;
                    a1_ = _e2885 + ((u1_6_ * f6_) * kc_38);
                }
                {
                    metal::float4 kc_39 = k_s.inner[224u + cc0_];
                    metal::float4 _e2894 = a0_;
                    a0_ = _e2894 + ((u0_7_ * f7_) * kc_39);
                    metal::float4 _e2898 = a1_;
                    a1_ = _e2898 + ((u1_7_ * f7_) * kc_39);
                }
                metal::float4 _e2902 = a0_;
                s0_0_ = _e2902;
                metal::float4 _e2903 = a1_;
                s1_0_ = _e2903;
            }
            {
                metal::float4 _e2904 = s0_1_;
                a0_1 = _e2904 * dc;
                metal::float4 _e2907 = s1_1_;
                a1_1 = _e2907 * dc;
                {
                    metal::float4 kc_40 = k_s.inner[0u + cc1_];
                    metal::float4 _e2915 = a0_1;
                    a0_1 = _e2915 + ((u0_0_ * f0_) * kc_40);
                    metal::float4 _e2919 = a1_1;
                    a1_1 = _e2919 + ((u1_0_ * f0_) * kc_40);
                }
                {
                    metal::float4 kc_41 = k_s.inner[32u + cc1_];
                    metal::float4 _e2928 = a0_1;
                    a0_1 = _e2928 + ((u0_1_ * f1_) * kc_41);
                    metal::float4 _e2932 = a1_1;
                    a1_1 = _e2932 + ((u1_1_ * f1_) * kc_41);
                }
                {
                    metal::float4 kc_42 = k_s.inner[64u + cc1_];
                    metal::float4 _e2941 = a0_1;
                    a0_1 = _e2941 + ((u0_2_ * f2_) * kc_42);
                    metal::float4 _e2945 = a1_1;
                    a1_1 = _e2945 + ((u1_2_ * f2_) * kc_42);
                }
                {
                    metal::float4 kc_43 = k_s.inner[96u + cc1_];
                    metal::float4 _e2954 = a0_1;
                    a0_1 = _e2954 + ((u0_3_ * f3_) * kc_43);
                    metal::float4 _e2958 = a1_1;
                    a1_1 = _e2958 + ((u1_3_ * f3_) * kc_43);
                }
                {
                    metal::float4 kc_44 = k_s.inner[128u + cc1_];
                    metal::float4 _e2967 = a0_1;
                    a0_1 = _e2967 + ((u0_4_ * f4_) * kc_44);
                    metal::float4 _e2971 = a1_1;
                    a1_1 = _e2971 + ((u1_4_ * f4_) * kc_44);
                }
                {
                    metal::float4 kc_45 = k_s.inner[160u + cc1_];
                    metal::float4 _e2980 = a0_1;
                    a0_1 = _e2980 + ((u0_5_ * f5_) * kc_45);
                    metal::float4 _e2984 = a1_1;
                    a1_1 = _e2984 + ((u1_5_ * f5_) * kc_45);
                }
                {
                    metal::float4 kc_46 = k_s.inner[192u + cc1_];
                    metal::float4 _e2993 = a0_1;
                    a0_1 = _e2993 + ((u0_6_ * f6_) * kc_46);
                    metal::float4 _e2997 = a1_1;
                    a1_1 = _e2997 + ((u1_6_ * f6_) * kc_46);
                }
                {
                    metal::float4 kc_47 = k_s.inner[224u + cc1_];
                    metal::float4 _e3006 = a0_1;
                    a0_1 = _e3006 + ((u0_7_ * f7_) * kc_47);
                    metal::float4 _e3010 = a1_1;
                    a1_1 = _e3010 + ((u1_7_ * f7_) * kc_47);
                }
                metal::float4 _e3014 = a0_1;
                s0_1_ = _e3014;
                metal::float4 _e3015 = a1_1;
                s1_1_ = _e3015;
            }
            {
                metal::float4 _e3016 = s0_2_;
                a0_2 = _e3016 * dc;
                metal::float4 _e3019 = s1_2_;
                a1_2 = _e3019 * dc;
                {
                    metal::float4 kc_48 = k_s.inner[0u + cc2_];
                    metal::float4 _e3027 = a0_2;
                    a0_2 = _e3027 + ((u0_0_ * f0_) * kc_48);
                    metal::float4 _e3031 = a1_2;
                    a1_2 = _e3031 + ((u1_0_ * f0_) * kc_48);
                }
                {
                    metal::float4 kc_49 = k_s.inner[32u + cc2_];
                    metal::float4 _e3040 = a0_2;
                    a0_2 = _e3040 + ((u0_1_ * f1_) * kc_49);
                    metal::float4 _e3044 = a1_2;
                    a1_2 = _e3044 + ((u1_1_ * f1_) * kc_49);
                }
                {
                    metal::float4 kc_50 = k_s.inner[64u + cc2_];
                    metal::float4 _e3053 = a0_2;
                    a0_2 = _e3053 + ((u0_2_ * f2_) * kc_50);
                    metal::float4 _e3057 = a1_2;
                    a1_2 = _e3057 + ((u1_2_ * f2_) * kc_50);
                }
                {
                    metal::float4 kc_51 = k_s.inner[96u + cc2_];
                    metal::float4 _e3066 = a0_2;
                    a0_2 = _e3066 + ((u0_3_ * f3_) * kc_51);
                    metal::float4 _e3070 = a1_2;
                    a1_2 = _e3070 + ((u1_3_ * f3_) * kc_51);
                }
                {
                    metal::float4 kc_52 = k_s.inner[128u + cc2_];
                    metal::float4 _e3079 = a0_2;
                    a0_2 = _e3079 + ((u0_4_ * f4_) * kc_52);
                    metal::float4 _e3083 = a1_2;
                    a1_2 = _e3083 + ((u1_4_ * f4_) * kc_52);
                }
                {
                    metal::float4 kc_53 = k_s.inner[160u + cc2_];
                    metal::float4 _e3092 = a0_2;
                    a0_2 = _e3092 + ((u0_5_ * f5_) * kc_53);
                    metal::float4 _e3096 = a1_2;
                    a1_2 = _e3096 + ((u1_5_ * f5_) * kc_53);
                }
                {
                    metal::float4 kc_54 = k_s.inner[192u + cc2_];
                    metal::float4 _e3105 = a0_2;
                    a0_2 = _e3105 + ((u0_6_ * f6_) * kc_54);
                    metal::float4 _e3109 = a1_2;
                    a1_2 = _e3109 + ((u1_6_ * f6_) * kc_54);
                }
                {
                    metal::float4 kc_55 = k_s.inner[224u + cc2_];
                    metal::float4 _e3118 = a0_2;
                    a0_2 = _e3118 + ((u0_7_ * f7_) * kc_55);
                    metal::float4 _e3122 = a1_2;
                    a1_2 = _e3122 + ((u1_7_ * f7_) * kc_55);
                }
                metal::float4 _e3126 = a0_2;
                s0_2_ = _e3126;
                metal::float4 _e3127 = a1_2;
                s1_2_ = _e3127;
            }
            {
                metal::float4 _e3128 = s0_3_;
                a0_3 = _e3128 * dc;
                metal::float4 _e3131 = s1_3_;
                a1_3 = _e3131 * dc;
                {
                    metal::float4 kc_56 = k_s.inner[0u + cc3_];
                    metal::float4 _e3139 = a0_3;
                    a0_3 = _e3139 + ((u0_0_ * f0_) * kc_56);
                    metal::float4 _e3143 = a1_3;
                    a1_3 = _e3143 + ((u1_0_ * f0_) * kc_56);
                }
                {
                    metal::float4 kc_57 = k_s.inner[32u + cc3_];
                    metal::float4 _e3152 = a0_3;
                    a0_3 = _e3152 + ((u0_1_ * f1_) * kc_57);
                    metal::float4 _e3156 = a1_3;
                    a1_3 = _e3156 + ((u1_1_ * f1_) * kc_57);
                }
                {
                    metal::float4 kc_58 = k_s.inner[64u + cc3_];
                    metal::float4 _e3165 = a0_3;
                    a0_3 = _e3165 + ((u0_2_ * f2_) * kc_58);
                    metal::float4 _e3169 = a1_3;
                    a1_3 = _e3169 + ((u1_2_ * f2_) * kc_58);
                }
                {
                    metal::float4 kc_59 = k_s.inner[96u + cc3_];
                    metal::float4 _e3178 = a0_3;
                    a0_3 = _e3178 + ((u0_3_ * f3_) * kc_59);
                    metal::float4 _e3182 = a1_3;
                    a1_3 = _e3182 + ((u1_3_ * f3_) * kc_59);
                }
                {
                    metal::float4 kc_60 = k_s.inner[128u + cc3_];
                    metal::float4 _e3191 = a0_3;
                    a0_3 = _e3191 + ((u0_4_ * f4_) * kc_60);
                    metal::float4 _e3195 = a1_3;
                    a1_3 = _e3195 + ((u1_4_ * f4_) * kc_60);
                }
                {
                    metal::float4 kc_61 = k_s.inner[160u + cc3_];
                    metal::float4 _e3204 = a0_3;
                    a0_3 = _e3204 + ((u0_5_ * f5_) * kc_61);
                    metal::float4 _e3208 = a1_3;
                    a1_3 = _e3208 + ((u1_5_ * f5_) * kc_61);
                }
                {
                    metal::float4 kc_62 = k_s.inner[192u + cc3_];
                    metal::float4 _e3217 = a0_3;
                    a0_3 = _e3217 + ((u0_6_ * f6_) * kc_62);
                    metal::float4 _e3221 = a1_3;
                    a1_3 = _e3221 + ((u1_6_ * f6_) * kc_62);
                }
                {
                    metal::float4 kc_63 = k_s.inner[224u + cc3_];
                    metal::float4 _e3230 = a0_3;
                    a0_3 = _e3230 + ((u0_7_ * f7_) * kc_63);
                    metal::float4 _e3234 = a1_3;
                    a1_3 = _e3234 + ((u1_7_ * f7_) * kc_63);
                }
                metal::float4 _e3238 = a0_3;
                s0_3_ = _e3238;
                metal::float4 _e3239 = a1_3;
                s1_3_ = _e3239;
            }
            metal::threadgroup_barrier(metal::mem_flags::mem_threadgroup);
            e_10 = tid_1;
            uint2 loop_bound_18 = uint2(4294967295u);
            bool loop_init_18 = true;
            while(true) {
                if (metal::all(loop_bound_18 == uint2(0u))) { break; }
                loop_bound_18 -= uint2(loop_bound_18.y == 0u, 1u);
                if (!loop_init_18) {
                    uint _e3295 = e_10;
                    e_10 = _e3295 + WG;
                }
                loop_init_18 = false;
                uint _e3241 = e_10;
                if (_e3241 < 128u) {
                } else {
                    break;
                }
                {
                    uint _e3245 = e_10;
                    uint i_20 = naga_div(2u * _e3245, ROWS);
                    uint _e3253 = e_10;
                    uint dvw = ((wid_1.x * ROWS) + (2u * _e3253)) - (i_20 * ROWS);
                    if (dvw < DV) {
                        uint _e3264 = seq_len(b_6, p, mask, _buffer_sizes);
                        local_9 = (ts0_1 + i_20) < _e3264;
                    } else {
                        local_9 = false;
                    }
                    bool _e3267 = local_9;
                    if (_e3267) {
                        uint _e3269 = bt_of(b_6, ts0_1 + i_20, p, mask, _buffer_sizes);
                        uint gw = (_e3269 * HV) + hv_1;
                        uint _e3282 = e_10;
                        float _e3285 = y_s.inner[2u * _e3282];
                        uint _e3288 = e_10;
                        float _e3293 = y_s.inner[(2u * _e3288) + 1u];
                        uint _e3294 = pack_y(_e3285, _e3293);
                        y[((gw * DV) + dvw) >> 1u] = _e3294;
                    }
                }
            }
        }
    }
    if (live0_) {
        uint2 loop_bound_19 = uint2(4294967295u);
        bool loop_init_19 = true;
        while(true) {
            if (metal::all(loop_bound_19 == uint2(0u))) { break; }
            loop_bound_19 -= uint2(loop_bound_19.y == 0u, 1u);
            if (!loop_init_19) {
                uint _e3318 = e_11;
                e_11 = _e3318 + 1u;
            }
            loop_init_19 = false;
            uint _e3303 = e_11;
            if (_e3303 < 4u) {
            } else {
                break;
            }
            {
                uint _e3308 = e_11;
                uint j_11 = (4u * c0_) + _e3308;
                if (j_11 < DK) {
                    uint _e3315 = e_11;
                    float _e3317 = s0_0_[_e3315];
                    s_out[srow0_ + j_11] = _e3317;
                }
            }
        }
        uint2 loop_bound_20 = uint2(4294967295u);
        bool loop_init_20 = true;
        while(true) {
            if (metal::all(loop_bound_20 == uint2(0u))) { break; }
            loop_bound_20 -= uint2(loop_bound_20.y == 0u, 1u);
            if (!loop_init_20) {
                uint _e3338 = e_12;
                e_12 = _e3338 + 1u;
            }
            loop_init_20 = false;
            uint _e3323 = e_12;
            if (_e3323 < 4u) {
            } else {
                break;
            }
            {
                uint _e3328 = e_12;
                uint j_12 = (4u * c1_) + _e3328;
                if (j_12 < DK) {
                    uint _e3335 = e_12;
                    float _e3337 = s0_1_[_e3335];
                    s_out[srow0_ + j_12] = _e3337;
                }
            }
        }
        uint2 loop_bound_21 = uint2(4294967295u);
        bool loop_init_21 = true;
        while(true) {
            if (metal::all(loop_bound_21 == uint2(0u))) { break; }
            loop_bound_21 -= uint2(loop_bound_21.y == 0u, 1u);
            if (!loop_init_21) {
                uint _e3358 = e_13;
                e_13 = _e3358 + 1u;
            }
            loop_init_21 = false;
            uint _e3343 = e_13;
            if (_e3343 < 4u) {
            } else {
                break;
            }
            {
                uint _e3348 = e_13;
                uint j_13 = (4u * c2_) + _e3348;
                if (j_13 < DK) {
                    uint _e3355 = e_13;
                    float _e3357 = s0_2_[_e3355];
                    s_out[srow0_ + j_13] = _e3357;
                }
            }
        }
        uint2 loop_bound_22 = uint2(4294967295u);
        bool loop_init_22 = true;
        while(true) {
            if (metal::all(loop_bound_22 == uint2(0u))) { break; }
            loop_bound_22 -= uint2(loop_bound_22.y == 0u, 1u);
            if (!loop_init_22) {
                uint _e3378 = e_14;
                e_14 = _e3378 + 1u;
            }
            loop_init_22 = false;
            uint _e3363 = e_14;
            if (_e3363 < 4u) {
            } else {
                break;
            }
            {
                uint _e3368 = e_14;
                uint j_14 = (4u * c3_) + _e3368;
                if (j_14 < DK) {
                    uint _e3375 = e_14;
                    float _e3377 = s0_3_[_e3375];
                    s_out[srow0_ + j_14] = _e3377;
                }
            }
        }
    }
    if (live1_) {
        uint2 loop_bound_23 = uint2(4294967295u);
        bool loop_init_23 = true;
        while(true) {
            if (metal::all(loop_bound_23 == uint2(0u))) { break; }
            loop_bound_23 -= uint2(loop_bound_23.y == 0u, 1u);
            if (!loop_init_23) {
                uint _e3398 = e_15;
                e_15 = _e3398 + 1u;
            }
            loop_init_23 = false;
            uint _e3383 = e_15;
            if (_e3383 < 4u) {
            } else {
                break;
            }
            {
                uint _e3388 = e_15;
                uint j_15 = (4u * c0_) + _e3388;
                if (j_15 < DK) {
                    uint _e3395 = e_15;
                    float _e3397 = s1_0_[_e3395];
                    s_out[srow1_ + j_15] = _e3397;
                }
            }
        }
        uint2 loop_bound_24 = uint2(4294967295u);
        bool loop_init_24 = true;
        while(true) {
            if (metal::all(loop_bound_24 == uint2(0u))) { break; }
            loop_bound_24 -= uint2(loop_bound_24.y == 0u, 1u);
            if (!loop_init_24) {
                uint _e3418 = e_16;
                e_16 = _e3418 + 1u;
            }
            loop_init_24 = false;
            uint _e3403 = e_16;
            if (_e3403 < 4u) {
            } else {
                break;
            }
            {
                uint _e3408 = e_16;
                uint j_16 = (4u * c1_) + _e3408;
                if (j_16 < DK) {
                    uint _e3415 = e_16;
                    float _e3417 = s1_1_[_e3415];
                    s_out[srow1_ + j_16] = _e3417;
                }
            }
        }
        uint2 loop_bound_25 = uint2(4294967295u);
        bool loop_init_25 = true;
        while(true) {
            if (metal::all(loop_bound_25 == uint2(0u))) { break; }
            loop_bound_25 -= uint2(loop_bound_25.y == 0u, 1u);
            if (!loop_init_25) {
                uint _e3438 = e_17;
                e_17 = _e3438 + 1u;
            }
            loop_init_25 = false;
            uint _e3423 = e_17;
            if (_e3423 < 4u) {
            } else {
                break;
            }
            {
                uint _e3428 = e_17;
                uint j_17 = (4u * c2_) + _e3428;
                if (j_17 < DK) {
                    uint _e3435 = e_17;
                    float _e3437 = s1_2_[_e3435];
                    s_out[srow1_ + j_17] = _e3437;
                }
            }
        }
        uint2 loop_bound_26 = uint2(4294967295u);
        bool loop_init_26 = true;
        while(true) {
            if (metal::all(loop_bound_26 == uint2(0u))) { break; }
            loop_bound_26 -= uint2(loop_bound_26.y == 0u, 1u);
            if (!loop_init_26) {
                uint _e3458 = e_18;
                e_18 = _e3458 + 1u;
            }
            loop_init_26 = false;
            uint _e3443 = e_18;
            if (_e3443 < 4u) {
            } else {
                break;
            }
            {
                uint _e3448 = e_18;
                uint j_18 = (4u * c3_) + _e3448;
                if (j_18 < DK) {
                    uint _e3455 = e_18;
                    float _e3457 = s1_3_[_e3455];
                    s_out[srow1_ + j_18] = _e3457;
                }
            }
        }
        return;
    } else {
        return;
    }
}
