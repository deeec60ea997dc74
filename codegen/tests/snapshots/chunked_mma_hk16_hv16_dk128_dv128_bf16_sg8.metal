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
    uint size11;
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
typedef metal::uint4 type_6[1];
typedef uint type_7[1];
typedef float type_8[1];
typedef half type_10[1];
struct type_11 {
    half inner[18944];
};
struct type_12 {
    float inner[1024];
};
struct type_13 {
    float inner[64];
};
struct type_14 {
    float inner[4224];
};
struct type_15 {
    half inner[4352];
};
struct type_16 {
    half inner[256];
};
struct type_17 {
    half inner[2048];
};
struct type_18 {
    float inner[2048];
};
constant uint HK = 16u;
constant uint HV = 16u;
constant uint DK = 128u;
constant uint DV = 128u;
constant uint GQA = 1u;
constant uint CH = 64u;
constant uint NT = 8u;
constant uint NW = 4u;
constant uint TPW = 2u;
constant uint R = 32u;
constant uint WG = 128u;
constant uint OFF_U = 0u;
constant uint OFF_P = 8192u;
constant uint OFF_W = 12288u;
constant uint OFF_Q = 20480u;
constant uint OFF_K = 28672u;
constant uint OFF_G = 36864u;
constant uint STRIDE = 36880u;
constant uint SFS = 132u;
constant uint SHS = 136u;
constant uint SVS = 136u;
constant uint TS = 72u;
constant uint QO = 8704u;
constant uint THO = 8704u;
constant uint AHO = 13312u;
constant uint XHO = 17920u;
constant uint JOB_I = 694268u;
constant uint JOB_J = 594832u;
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
    uint w_8,
    bool odd,
    uint code
) {
    uint h = odd ? (w_8 >> 16u) : (w_8 & 65535u);
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
    float x_3 = {};
    uint _e3 = p.aux_dtypes;
    uint code_1 = _e3 & 3u;
    if (code_1 == 0u) {
        uint _e11 = g[i];
        x_3 = as_type<float>(_e11);
    } else {
        uint _e17 = g[i >> 1u];
        float _e22 = unpack_half(_e17, (i & 1u) == 1u, code_1);
        x_3 = _e22;
    }
    uint _e25 = p.flags;
    if ((_e25 & GATE_RAW) != 0u) {
        uint h_1 = naga_mod(i, HV);
        float _e32 = x_3;
        float _e35 = head_const(HV + h_1, p);
        float z = _e32 + _e35;
        float _e37 = head_const(h_1, p);
        return -(metal::exp(_e37)) * ((z > 20.0) ? z : metal::log(1.0 + metal::exp(z)));
    }
    float _e48 = x_3;
    return _e48;
}

float load_beta(
    uint i_1,
    constant Params& p,
    device type_7 const& beta,
    constant _mslBufferSizes& _buffer_sizes
) {
    float x_4 = {};
    uint _e3 = p.aux_dtypes;
    uint code_2 = (_e3 >> 2u) & 3u;
    if (code_2 == 0u) {
        uint _e13 = beta[i_1];
        x_4 = as_type<float>(_e13);
    } else {
        uint _e19 = beta[i_1 >> 1u];
        float _e24 = unpack_half(_e19, (i_1 & 1u) == 1u, code_2);
        x_4 = _e24;
    }
    uint _e27 = p.flags;
    if ((_e27 & GATE_RAW) != 0u) {
        float _e32 = x_4;
        return 1.0 / (1.0 + metal::exp(-(_e32)));
    }
    float _e39 = x_4;
    return _e39;
}

uint to_bf16_(
    float x_5
) {
    uint u_2 = as_type<uint>(x_5);
    if ((u_2 & 2147483647u) > 2139095040u) {
        return (u_2 >> 16u) | 64u;
    }
    return ((u_2 + 32767u) + ((u_2 >> 16u) & 1u)) >> 16u;
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
    uint t,
    constant Params& p,
    device type_7 const& mask,
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
    device type_7 const& mask,
    constant _mslBufferSizes& _buffer_sizes
) {
    uint _e4 = p.b;
    uint w_10 = (VARLEN ? (_e4 + 1u) : 0u) + (bt >> 2u);
    uint _e14 = mask[w_10];
    return ((_e14 >> ((bt & 3u) * 8u)) & 255u) != 0u;
}

metal::float2 f2_(
    uint w_9
) {
    return metal::float2(as_type<float>(w_9 << 16u), as_type<float>(w_9 & 4294901760u));
}

bool step_on(
    uint b_3,
    uint t_1,
    constant Params& p,
    device type_7 const& mask,
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
    device type_7 const& mask,
    constant _mslBufferSizes& _buffer_sizes
) {
    uint _e4 = p.t;
    uint _e8 = packed_step(b_4, metal::min(t_2, _e4 - 1u), p, mask, _buffer_sizes);
    return _e8;
}
uint naga_div(uint lhs, uint rhs) {
    return lhs / metal::select(rhs, 1u, rhs == 0u);
}

metal::simdgroup_half16x16 NagaCooperativeLoad(const threadgroup half* ptr, int stride, bool is_row_major) {
    metal::simdgroup_half16x16 m;
    simdgroup_load(m, ptr, stride, 0, is_row_major);
    return m;
}

metal::simdgroup_float16x16 NagaCooperativeMultiplyAdd(const thread metal::simdgroup_half16x16& a, const thread metal::simdgroup_half16x16& b, const thread metal::simdgroup_float16x16& c) {
    metal::simdgroup_float16x16 d;
    simdgroup_multiply_accumulate(d,a,b,c);
    return d;
}

metal::simdgroup_half16x16 NagaCooperativeMultiplyAdd(const thread metal::simdgroup_half16x16& a, const thread metal::simdgroup_half16x16& b, const thread metal::simdgroup_half16x16& c) {
    metal::simdgroup_half16x16 d;
    simdgroup_multiply_accumulate(d,a,b,c);
    return d;
}


struct prepInput {
};
[[max_total_threads_per_threadgroup(128)]] kernel void prep(
  metal::uint3 lid [[thread_position_in_threadgroup]]
, metal::uint3 wid [[threadgroup_position_in_grid]]
, constant Params& p [[user(fake0)]]
, device type_6 const& q [[user(fake0)]]
, device type_6 const& k [[user(fake0)]]
, device type_6 const& v [[user(fake0)]]
, device type_7 const& g [[user(fake0)]]
, device type_7 const& beta [[user(fake0)]]
, device type_7 const& mask [[user(fake0)]]
, device type_10& ws [[user(fake0)]]
, device type_6& ws4_ [[user(fake0)]]
, threadgroup type_11& kq
, threadgroup type_12& scr
, threadgroup type_12& adiag
, threadgroup type_13& gl_s
, threadgroup type_13& g_s
, threadgroup type_13& bb_s
, constant _mslBufferSizes& _buffer_sizes [[user(fake0)]]
) {
    uint hk = {};
    float acc = 0.0;
    metal::uint4 kx0_ = metal::uint4(0u);
    metal::uint4 oq = metal::uint4(0u);
    metal::uint4 ok = metal::uint4(0u);
    metal::uint4 kx1_ = metal::uint4(0u);
    metal::uint4 oq_1 = metal::uint4(0u);
    metal::uint4 ok_1 = metal::uint4(0u);
    metal::uint4 kx2_ = metal::uint4(0u);
    metal::uint4 oq_2 = metal::uint4(0u);
    metal::uint4 ok_2 = metal::uint4(0u);
    metal::uint4 kx3_ = metal::uint4(0u);
    metal::uint4 oq_3 = metal::uint4(0u);
    metal::uint4 ok_3 = metal::uint4(0u);
    metal::uint4 kx4_ = metal::uint4(0u);
    metal::uint4 oq_4 = metal::uint4(0u);
    metal::uint4 ok_4 = metal::uint4(0u);
    metal::uint4 kx5_ = metal::uint4(0u);
    metal::uint4 oq_5 = metal::uint4(0u);
    metal::uint4 ok_5 = metal::uint4(0u);
    metal::uint4 kx6_ = metal::uint4(0u);
    metal::uint4 oq_6 = metal::uint4(0u);
    metal::uint4 ok_6 = metal::uint4(0u);
    metal::uint4 kx7_ = metal::uint4(0u);
    metal::uint4 oq_7 = metal::uint4(0u);
    metal::uint4 ok_7 = metal::uint4(0u);
    metal::simdgroup_float16x16 job0_ = metal::simdgroup_float16x16 {};
    metal::simdgroup_float16x16 job1_ = metal::simdgroup_float16x16 {};
    metal::simdgroup_float16x16 job2_ = metal::simdgroup_float16x16 {};
    metal::simdgroup_float16x16 job3_ = metal::simdgroup_float16x16 {};
    metal::simdgroup_float16x16 job4_ = metal::simdgroup_float16x16 {};
    metal::uint4 o = metal::uint4(0u);
    metal::uint4 o_1 = metal::uint4(0u);
    metal::uint4 o_2 = metal::uint4(0u);
    metal::uint4 o_3 = metal::uint4(0u);
    metal::uint4 o_4 = metal::uint4(0u);
    metal::simdgroup_float16x16 x = metal::simdgroup_float16x16 {};
    metal::simdgroup_float16x16 x_1 = metal::simdgroup_float16x16 {};
    metal::simdgroup_float16x16 x_2 = metal::simdgroup_float16x16 {};
    metal::simdgroup_half16x16 w = metal::simdgroup_half16x16 {};
    metal::simdgroup_half16x16 w_1 = metal::simdgroup_half16x16 {};
    metal::simdgroup_half16x16 w_2 = metal::simdgroup_half16x16 {};
    metal::simdgroup_half16x16 w_3 = metal::simdgroup_half16x16 {};
    metal::simdgroup_half16x16 w_4 = metal::simdgroup_half16x16 {};
    metal::simdgroup_half16x16 w_5 = metal::simdgroup_half16x16 {};
    metal::simdgroup_half16x16 w_6 = metal::simdgroup_half16x16 {};
    metal::simdgroup_half16x16 w_7 = metal::simdgroup_half16x16 {};
    metal::simdgroup_half16x16 u0_ = metal::simdgroup_half16x16 {};
    metal::simdgroup_half16x16 u0_1 = metal::simdgroup_half16x16 {};
    metal::simdgroup_half16x16 u0_2 = metal::simdgroup_half16x16 {};
    metal::simdgroup_half16x16 u0_3 = metal::simdgroup_half16x16 {};
    metal::simdgroup_half16x16 u0_4 = metal::simdgroup_half16x16 {};
    metal::simdgroup_half16x16 u0_5 = metal::simdgroup_half16x16 {};
    metal::simdgroup_half16x16 u0_6 = metal::simdgroup_half16x16 {};
    metal::simdgroup_half16x16 u0_7 = metal::simdgroup_half16x16 {};
    uint tid = lid.x;
    uint sg = naga_div(tid, 32u);
    uint lane = naga_mod(tid, 32u);
    uint c_1 = wid.x;
    uint n = wid.y;
    uint b_5 = naga_div(n, HV);
    uint hv = naga_mod(n, HV);
    hk = naga_div(hv, GQA);
    if (HEAD_TILED) {
        hk = naga_mod(hv, HK);
    }
    uint _e21 = p.t0_;
    uint ts0_ = _e21 + (c_1 * CH);
    uint _e27 = p.flags;
    bool gate_log = (_e27 & GATE_LOG) != 0u;
    uint _e34 = p.sc;
    uint base = ((n * _e34) + c_1) * STRIDE;
    if ((tid + 0u) < CH) {
        uint i_2 = tid + 0u;
        bool _e46 = step_on(b_5, ts0_ + i_2, p, mask, _buffer_sizes);
        uint _e48 = bt_of(b_5, ts0_ + i_2, p, mask, _buffer_sizes);
        uint gi = (_e48 * HV) + hv;
        float _e52 = load_g(gi, p, g, _buffer_sizes);
        float la = metal::max(gate_log ? _e52 : metal::log(_e52), MIN_LOG_DECAY);
        gl_s.inner[i_2] = _e46 ? la : 0.0;
        float _e63 = load_beta(gi, p, beta, _buffer_sizes);
        bb_s.inner[i_2] = _e46 ? _e63 : 0.0;
    }
    metal::threadgroup_barrier(metal::mem_flags::mem_threadgroup);
    if ((tid + 0u) < CH) {
        uint i_3 = tid + 0u;
        float _e74 = acc;
        float _e77 = gl_s.inner[0];
        acc = _e74 + ((0u <= i_3) ? _e77 : 0.0);
        float _e83 = acc;
        float _e86 = gl_s.inner[1];
        acc = _e83 + ((1u <= i_3) ? _e86 : 0.0);
        float _e92 = acc;
        float _e95 = gl_s.inner[2];
        acc = _e92 + ((2u <= i_3) ? _e95 : 0.0);
        float _e101 = acc;
        float _e104 = gl_s.inner[3];
        acc = _e101 + ((3u <= i_3) ? _e104 : 0.0);
        float _e110 = acc;
        float _e113 = gl_s.inner[4];
        acc = _e110 + ((4u <= i_3) ? _e113 : 0.0);
        float _e119 = acc;
        float _e122 = gl_s.inner[5];
        acc = _e119 + ((5u <= i_3) ? _e122 : 0.0);
        float _e128 = acc;
        float _e131 = gl_s.inner[6];
        acc = _e128 + ((6u <= i_3) ? _e131 : 0.0);
        float _e137 = acc;
        float _e140 = gl_s.inner[7];
        acc = _e137 + ((7u <= i_3) ? _e140 : 0.0);
        float _e146 = acc;
        float _e149 = gl_s.inner[8];
        acc = _e146 + ((8u <= i_3) ? _e149 : 0.0);
        float _e155 = acc;
        float _e158 = gl_s.inner[9];
        acc = _e155 + ((9u <= i_3) ? _e158 : 0.0);
        float _e164 = acc;
        float _e167 = gl_s.inner[10];
        acc = _e164 + ((10u <= i_3) ? _e167 : 0.0);
        float _e173 = acc;
        float _e176 = gl_s.inner[11];
        acc = _e173 + ((11u <= i_3) ? _e176 : 0.0);
        float _e182 = acc;
        float _e185 = gl_s.inner[12];
        acc = _e182 + ((12u <= i_3) ? _e185 : 0.0);
        float _e191 = acc;
        float _e194 = gl_s.inner[13];
        acc = _e191 + ((13u <= i_3) ? _e194 : 0.0);
        float _e200 = acc;
        float _e203 = gl_s.inner[14];
        acc = _e200 + ((14u <= i_3) ? _e203 : 0.0);
        float _e209 = acc;
        float _e212 = gl_s.inner[15];
        acc = _e209 + ((15u <= i_3) ? _e212 : 0.0);
        float _e218 = acc;
        float _e221 = gl_s.inner[16];
        acc = _e218 + ((16u <= i_3) ? _e221 : 0.0);
        float _e227 = acc;
        float _e230 = gl_s.inner[17];
        acc = _e227 + ((17u <= i_3) ? _e230 : 0.0);
        float _e236 = acc;
        float _e239 = gl_s.inner[18];
        acc = _e236 + ((18u <= i_3) ? _e239 : 0.0);
        float _e245 = acc;
        float _e248 = gl_s.inner[19];
        acc = _e245 + ((19u <= i_3) ? _e248 : 0.0);
        float _e254 = acc;
        float _e257 = gl_s.inner[20];
        acc = _e254 + ((20u <= i_3) ? _e257 : 0.0);
        float _e263 = acc;
        float _e266 = gl_s.inner[21];
        acc = _e263 + ((21u <= i_3) ? _e266 : 0.0);
        float _e272 = acc;
        float _e275 = gl_s.inner[22];
        acc = _e272 + ((22u <= i_3) ? _e275 : 0.0);
        float _e281 = acc;
        float _e284 = gl_s.inner[23];
        acc = _e281 + ((23u <= i_3) ? _e284 : 0.0);
        float _e290 = acc;
        float _e293 = gl_s.inner[24];
        acc = _e290 + ((24u <= i_3) ? _e293 : 0.0);
        float _e299 = acc;
        float _e302 = gl_s.inner[25];
        acc = _e299 + ((25u <= i_3) ? _e302 : 0.0);
        float _e308 = acc;
        float _e311 = gl_s.inner[26];
        acc = _e308 + ((26u <= i_3) ? _e311 : 0.0);
        float _e317 = acc;
        float _e320 = gl_s.inner[27];
        acc = _e317 + ((27u <= i_3) ? _e320 : 0.0);
        float _e326 = acc;
        float _e329 = gl_s.inner[28];
        acc = _e326 + ((28u <= i_3) ? _e329 : 0.0);
        float _e335 = acc;
        float _e338 = gl_s.inner[29];
        acc = _e335 + ((29u <= i_3) ? _e338 : 0.0);
        float _e344 = acc;
        float _e347 = gl_s.inner[30];
        acc = _e344 + ((30u <= i_3) ? _e347 : 0.0);
        float _e353 = acc;
        float _e356 = gl_s.inner[31];
        acc = _e353 + ((31u <= i_3) ? _e356 : 0.0);
        float _e362 = acc;
        float _e365 = gl_s.inner[32];
        acc = _e362 + ((32u <= i_3) ? _e365 : 0.0);
        float _e371 = acc;
        float _e374 = gl_s.inner[33];
        acc = _e371 + ((33u <= i_3) ? _e374 : 0.0);
        float _e380 = acc;
        float _e383 = gl_s.inner[34];
        acc = _e380 + ((34u <= i_3) ? _e383 : 0.0);
        float _e389 = acc;
        float _e392 = gl_s.inner[35];
        acc = _e389 + ((35u <= i_3) ? _e392 : 0.0);
        float _e398 = acc;
        float _e401 = gl_s.inner[36];
        acc = _e398 + ((36u <= i_3) ? _e401 : 0.0);
        float _e407 = acc;
        float _e410 = gl_s.inner[37];
        acc = _e407 + ((37u <= i_3) ? _e410 : 0.0);
        float _e416 = acc;
        float _e419 = gl_s.inner[38];
        acc = _e416 + ((38u <= i_3) ? _e419 : 0.0);
        float _e425 = acc;
        float _e428 = gl_s.inner[39];
        acc = _e425 + ((39u <= i_3) ? _e428 : 0.0);
        float _e434 = acc;
        float _e437 = gl_s.inner[40];
        acc = _e434 + ((40u <= i_3) ? _e437 : 0.0);
        float _e443 = acc;
        float _e446 = gl_s.inner[41];
        acc = _e443 + ((41u <= i_3) ? _e446 : 0.0);
        float _e452 = acc;
        float _e455 = gl_s.inner[42];
        acc = _e452 + ((42u <= i_3) ? _e455 : 0.0);
        float _e461 = acc;
        float _e464 = gl_s.inner[43];
        acc = _e461 + ((43u <= i_3) ? _e464 : 0.0);
        float _e470 = acc;
        float _e473 = gl_s.inner[44];
        acc = _e470 + ((44u <= i_3) ? _e473 : 0.0);
        float _e479 = acc;
        float _e482 = gl_s.inner[45];
        acc = _e479 + ((45u <= i_3) ? _e482 : 0.0);
        float _e488 = acc;
        float _e491 = gl_s.inner[46];
        acc = _e488 + ((46u <= i_3) ? _e491 : 0.0);
        float _e497 = acc;
        float _e500 = gl_s.inner[47];
        acc = _e497 + ((47u <= i_3) ? _e500 : 0.0);
        float _e506 = acc;
        float _e509 = gl_s.inner[48];
        acc = _e506 + ((48u <= i_3) ? _e509 : 0.0);
        float _e515 = acc;
        float _e518 = gl_s.inner[49];
        acc = _e515 + ((49u <= i_3) ? _e518 : 0.0);
        float _e524 = acc;
        float _e527 = gl_s.inner[50];
        acc = _e524 + ((50u <= i_3) ? _e527 : 0.0);
        float _e533 = acc;
        float _e536 = gl_s.inner[51];
        acc = _e533 + ((51u <= i_3) ? _e536 : 0.0);
        float _e542 = acc;
        float _e545 = gl_s.inner[52];
        acc = _e542 + ((52u <= i_3) ? _e545 : 0.0);
        float _e551 = acc;
        float _e554 = gl_s.inner[53];
        acc = _e551 + ((53u <= i_3) ? _e554 : 0.0);
        float _e560 = acc;
        float _e563 = gl_s.inner[54];
        acc = _e560 + ((54u <= i_3) ? _e563 : 0.0);
        float _e569 = acc;
        float _e572 = gl_s.inner[55];
        acc = _e569 + ((55u <= i_3) ? _e572 : 0.0);
        float _e578 = acc;
        float _e581 = gl_s.inner[56];
        acc = _e578 + ((56u <= i_3) ? _e581 : 0.0);
        float _e587 = acc;
        float _e590 = gl_s.inner[57];
        acc = _e587 + ((57u <= i_3) ? _e590 : 0.0);
        float _e596 = acc;
        float _e599 = gl_s.inner[58];
        acc = _e596 + ((58u <= i_3) ? _e599 : 0.0);
        float _e605 = acc;
        float _e608 = gl_s.inner[59];
        acc = _e605 + ((59u <= i_3) ? _e608 : 0.0);
        float _e614 = acc;
        float _e617 = gl_s.inner[60];
        acc = _e614 + ((60u <= i_3) ? _e617 : 0.0);
        float _e623 = acc;
        float _e626 = gl_s.inner[61];
        acc = _e623 + ((61u <= i_3) ? _e626 : 0.0);
        float _e632 = acc;
        float _e635 = gl_s.inner[62];
        acc = _e632 + ((62u <= i_3) ? _e635 : 0.0);
        float _e641 = acc;
        float _e644 = gl_s.inner[63];
        acc = _e641 + ((63u <= i_3) ? _e644 : 0.0);
        float _e652 = acc;
        g_s.inner[i_3] = _e652;
    }
    metal::threadgroup_barrier(metal::mem_flags::mem_threadgroup);
    float gc = g_s.inner[63];
    uint ve0_ = tid + 0u;
    uint vi0_ = naga_div(ve0_, 16u);
    uint vat0_ = (vi0_ * SVS) + (8u * (ve0_ - (vi0_ * 16u)));
    uint _e670 = bt_of(b_5, ts0_ + vi0_, p, mask, _buffer_sizes);
    metal::uint4 vr0_ = v[((((_e670 * HV) + hv) * 16u) + ve0_) - (vi0_ * 16u)];
    bool _e683 = step_on(b_5, ts0_ + vi0_, p, mask, _buffer_sizes);
    uint ve1_ = tid + 128u;
    uint vi1_ = naga_div(ve1_, 16u);
    uint vat1_ = (vi1_ * SVS) + (8u * (ve1_ - (vi1_ * 16u)));
    uint _e698 = bt_of(b_5, ts0_ + vi1_, p, mask, _buffer_sizes);
    metal::uint4 vr1_ = v[((((_e698 * HV) + hv) * 16u) + ve1_) - (vi1_ * 16u)];
    bool _e711 = step_on(b_5, ts0_ + vi1_, p, mask, _buffer_sizes);
    uint ve2_ = tid + 256u;
    uint vi2_ = naga_div(ve2_, 16u);
    uint vat2_ = (vi2_ * SVS) + (8u * (ve2_ - (vi2_ * 16u)));
    uint _e726 = bt_of(b_5, ts0_ + vi2_, p, mask, _buffer_sizes);
    metal::uint4 vr2_ = v[((((_e726 * HV) + hv) * 16u) + ve2_) - (vi2_ * 16u)];
    bool _e739 = step_on(b_5, ts0_ + vi2_, p, mask, _buffer_sizes);
    uint ve3_ = tid + 384u;
    uint vi3_ = naga_div(ve3_, 16u);
    uint vat3_ = (vi3_ * SVS) + (8u * (ve3_ - (vi3_ * 16u)));
    uint _e754 = bt_of(b_5, ts0_ + vi3_, p, mask, _buffer_sizes);
    metal::uint4 vr3_ = v[((((_e754 * HV) + hv) * 16u) + ve3_) - (vi3_ * 16u)];
    bool _e767 = step_on(b_5, ts0_ + vi3_, p, mask, _buffer_sizes);
    uint ve4_ = tid + 512u;
    uint vi4_ = naga_div(ve4_, 16u);
    uint vat4_ = (vi4_ * SVS) + (8u * (ve4_ - (vi4_ * 16u)));
    uint _e782 = bt_of(b_5, ts0_ + vi4_, p, mask, _buffer_sizes);
    metal::uint4 vr4_ = v[((((_e782 * HV) + hv) * 16u) + ve4_) - (vi4_ * 16u)];
    bool _e795 = step_on(b_5, ts0_ + vi4_, p, mask, _buffer_sizes);
    uint ve5_ = tid + 640u;
    uint vi5_ = naga_div(ve5_, 16u);
    uint vat5_ = (vi5_ * SVS) + (8u * (ve5_ - (vi5_ * 16u)));
    uint _e810 = bt_of(b_5, ts0_ + vi5_, p, mask, _buffer_sizes);
    metal::uint4 vr5_ = v[((((_e810 * HV) + hv) * 16u) + ve5_) - (vi5_ * 16u)];
    bool _e823 = step_on(b_5, ts0_ + vi5_, p, mask, _buffer_sizes);
    uint ve6_ = tid + 768u;
    uint vi6_ = naga_div(ve6_, 16u);
    uint vat6_ = (vi6_ * SVS) + (8u * (ve6_ - (vi6_ * 16u)));
    uint _e838 = bt_of(b_5, ts0_ + vi6_, p, mask, _buffer_sizes);
    metal::uint4 vr6_ = v[((((_e838 * HV) + hv) * 16u) + ve6_) - (vi6_ * 16u)];
    bool _e851 = step_on(b_5, ts0_ + vi6_, p, mask, _buffer_sizes);
    uint ve7_ = tid + 896u;
    uint vi7_ = naga_div(ve7_, 16u);
    uint vat7_ = (vi7_ * SVS) + (8u * (ve7_ - (vi7_ * 16u)));
    uint _e866 = bt_of(b_5, ts0_ + vi7_, p, mask, _buffer_sizes);
    metal::uint4 vr7_ = v[((((_e866 * HV) + hv) * 16u) + ve7_) - (vi7_ * 16u)];
    bool _e879 = step_on(b_5, ts0_ + vi7_, p, mask, _buffer_sizes);
    uint e0_ = tid + 0u;
    uint i0_ = naga_div(e0_, 16u);
    uint at0_ = (i0_ * SHS) + (8u * (e0_ - (i0_ * 16u)));
    {
        uint c8_ = e0_ - (i0_ * 16u);
        bool _e899 = step_on(b_5, ts0_ + i0_, p, mask, _buffer_sizes);
        uint _e901 = bt_of(b_5, ts0_ + i0_, p, mask, _buffer_sizes);
        uint _e904 = hk;
        uint at = (((_e901 * HK) + _e904) * 16u) + c8_;
        metal::uint4 z_1 = metal::uint4(0u);
        metal::uint4 _e913 = k[at];
        kx0_ = _e899 ? _e913 : z_1;
        metal::uint4 _e917 = q[at];
        metal::uint4 qx = _e899 ? _e917 : z_1;
        {
            uint _e921 = kx0_.x;
            metal::float2 _e922 = f2_(_e921);
            metal::float2 w0_ = _e922 * 1.0;
            kq.inner[at0_ + 0u] = static_cast<half>(w0_.x);
            kq.inner[at0_ + 1u] = static_cast<half>(w0_.y);
            uint _e937 = kx0_.y;
            metal::float2 _e938 = f2_(_e937);
            metal::float2 w1_ = _e938 * 1.0;
            kq.inner[at0_ + 2u] = static_cast<half>(w1_.x);
            kq.inner[at0_ + 3u] = static_cast<half>(w1_.y);
            uint _e953 = kx0_.z;
            metal::float2 _e954 = f2_(_e953);
            metal::float2 w2_ = _e954 * 1.0;
            kq.inner[at0_ + 4u] = static_cast<half>(w2_.x);
            kq.inner[at0_ + 5u] = static_cast<half>(w2_.y);
            uint _e969 = kx0_.w;
            metal::float2 _e970 = f2_(_e969);
            metal::float2 w3_ = _e970 * 1.0;
            kq.inner[at0_ + 6u] = static_cast<half>(w3_.x);
            kq.inner[at0_ + 7u] = static_cast<half>(w3_.y);
        }
        {
            metal::float2 _e986 = f2_(qx.x);
            metal::float2 w0_1 = _e986 * 1.0;
            kq.inner[(QO + at0_) + 0u] = static_cast<half>(w0_1.x);
            kq.inner[(QO + at0_) + 1u] = static_cast<half>(w0_1.y);
            metal::float2 _e1005 = f2_(qx.y);
            metal::float2 w1_1 = _e1005 * 1.0;
            kq.inner[(QO + at0_) + 2u] = static_cast<half>(w1_1.x);
            kq.inner[(QO + at0_) + 3u] = static_cast<half>(w1_1.y);
            metal::float2 _e1024 = f2_(qx.z);
            metal::float2 w2_1 = _e1024 * 1.0;
            kq.inner[(QO + at0_) + 4u] = static_cast<half>(w2_1.x);
            kq.inner[(QO + at0_) + 5u] = static_cast<half>(w2_1.y);
            metal::float2 _e1043 = f2_(qx.w);
            metal::float2 w3_1 = _e1043 * 1.0;
            kq.inner[(QO + at0_) + 6u] = static_cast<half>(w3_1.x);
            kq.inner[(QO + at0_) + 7u] = static_cast<half>(w3_1.y);
        }
        float _e1063 = g_s.inner[i0_];
        float eq = metal::exp(_e1063);
        float _e1067 = g_s.inner[i0_];
        float ek = metal::exp(gc - _e1067);
        uint wo = naga_div(base + (i0_ * DK), 8u) + c8_;
        metal::float2 _e1084 = f2_(qx.x);
        oq.x = as_type<uint>(half2((_e1084 * eq)));
        uint _e1089 = kx0_.x;
        metal::float2 _e1090 = f2_(_e1089);
        ok.x = as_type<uint>(half2((_e1090 * ek)));
        metal::float2 _e1095 = f2_(qx.y);
        oq.y = as_type<uint>(half2((_e1095 * eq)));
        uint _e1100 = kx0_.y;
        metal::float2 _e1101 = f2_(_e1100);
        ok.y = as_type<uint>(half2((_e1101 * ek)));
        metal::float2 _e1106 = f2_(qx.z);
        oq.z = as_type<uint>(half2((_e1106 * eq)));
        uint _e1111 = kx0_.z;
        metal::float2 _e1112 = f2_(_e1111);
        ok.z = as_type<uint>(half2((_e1112 * ek)));
        metal::float2 _e1117 = f2_(qx.w);
        oq.w = as_type<uint>(half2((_e1117 * eq)));
        uint _e1122 = kx0_.w;
        metal::float2 _e1123 = f2_(_e1122);
        ok.w = as_type<uint>(half2((_e1123 * ek)));
        metal::uint4 _e1130 = oq;
        ws4_[wo + 2560u] = _e1130;
        metal::uint4 _e1135 = ok;
        ws4_[wo + 3584u] = _e1135;
    }
    uint e1_ = tid + 128u;
    uint i1_ = naga_div(e1_, 16u);
    uint at1_ = (i1_ * SHS) + (8u * (e1_ - (i1_ * 16u)));
    {
        uint c8_1 = e1_ - (i1_ * 16u);
        bool _e1155 = step_on(b_5, ts0_ + i1_, p, mask, _buffer_sizes);
        uint _e1157 = bt_of(b_5, ts0_ + i1_, p, mask, _buffer_sizes);
        uint _e1160 = hk;
        uint at_1 = (((_e1157 * HK) + _e1160) * 16u) + c8_1;
        metal::uint4 z_2 = metal::uint4(0u);
        metal::uint4 _e1169 = k[at_1];
        kx1_ = _e1155 ? _e1169 : z_2;
        metal::uint4 _e1173 = q[at_1];
        metal::uint4 qx_1 = _e1155 ? _e1173 : z_2;
        {
            uint _e1177 = kx1_.x;
            metal::float2 _e1178 = f2_(_e1177);
            metal::float2 w0_2 = _e1178 * 1.0;
            kq.inner[at1_ + 0u] = static_cast<half>(w0_2.x);
            kq.inner[at1_ + 1u] = static_cast<half>(w0_2.y);
            uint _e1193 = kx1_.y;
            metal::float2 _e1194 = f2_(_e1193);
            metal::float2 w1_2 = _e1194 * 1.0;
            kq.inner[at1_ + 2u] = static_cast<half>(w1_2.x);
            kq.inner[at1_ + 3u] = static_cast<half>(w1_2.y);
            uint _e1209 = kx1_.z;
            metal::float2 _e1210 = f2_(_e1209);
            metal::float2 w2_2 = _e1210 * 1.0;
            kq.inner[at1_ + 4u] = static_cast<half>(w2_2.x);
            kq.inner[at1_ + 5u] = static_cast<half>(w2_2.y);
            uint _e1225 = kx1_.w;
            metal::float2 _e1226 = f2_(_e1225);
            metal::float2 w3_2 = _e1226 * 1.0;
            kq.inner[at1_ + 6u] = static_cast<half>(w3_2.x);
            kq.inner[at1_ + 7u] = static_cast<half>(w3_2.y);
        }
        {
            metal::float2 _e1242 = f2_(qx_1.x);
            metal::float2 w0_3 = _e1242 * 1.0;
            kq.inner[(QO + at1_) + 0u] = static_cast<half>(w0_3.x);
            kq.inner[(QO + at1_) + 1u] = static_cast<half>(w0_3.y);
            metal::float2 _e1261 = f2_(qx_1.y);
            metal::float2 w1_3 = _e1261 * 1.0;
            kq.inner[(QO + at1_) + 2u] = static_cast<half>(w1_3.x);
            kq.inner[(QO + at1_) + 3u] = static_cast<half>(w1_3.y);
            metal::float2 _e1280 = f2_(qx_1.z);
            metal::float2 w2_3 = _e1280 * 1.0;
            kq.inner[(QO + at1_) + 4u] = static_cast<half>(w2_3.x);
            kq.inner[(QO + at1_) + 5u] = static_cast<half>(w2_3.y);
            metal::float2 _e1299 = f2_(qx_1.w);
            metal::float2 w3_3 = _e1299 * 1.0;
            kq.inner[(QO + at1_) + 6u] = static_cast<half>(w3_3.x);
            kq.inner[(QO + at1_) + 7u] = static_cast<half>(w3_3.y);
        }
        float _e1319 = g_s.inner[i1_];
        float eq_1 = metal::exp(_e1319);
        float _e1323 = g_s.inner[i1_];
        float ek_1 = metal::exp(gc - _e1323);
        uint wo_1 = naga_div(base + (i1_ * DK), 8u) + c8_1;
        metal::float2 _e1340 = f2_(qx_1.x);
        oq_1.x = as_type<uint>(half2((_e1340 * eq_1)));
        uint _e1345 = kx1_.x;
        metal::float2 _e1346 = f2_(_e1345);
        ok_1.x = as_type<uint>(half2((_e1346 * ek_1)));
        metal::float2 _e1351 = f2_(qx_1.y);
        oq_1.y = as_type<uint>(half2((_e1351 * eq_1)));
        uint _e1356 = kx1_.y;
        metal::float2 _e1357 = f2_(_e1356);
        ok_1.y = as_type<uint>(half2((_e1357 * ek_1)));
        metal::float2 _e1362 = f2_(qx_1.z);
        oq_1.z = as_type<uint>(half2((_e1362 * eq_1)));
        uint _e1367 = kx1_.z;
        metal::float2 _e1368 = f2_(_e1367);
        ok_1.z = as_type<uint>(half2((_e1368 * ek_1)));
        metal::float2 _e1373 = f2_(qx_1.w);
        oq_1.w = as_type<uint>(half2((_e1373 * eq_1)));
        uint _e1378 = kx1_.w;
        metal::float2 _e1379 = f2_(_e1378);
        ok_1.w = as_type<uint>(half2((_e1379 * ek_1)));
        metal::uint4 _e1386 = oq_1;
        ws4_[wo_1 + 2560u] = _e1386;
        metal::uint4 _e1391 = ok_1;
        ws4_[wo_1 + 3584u] = _e1391;
    }
    uint e2_ = tid + 256u;
    uint i2_ = naga_div(e2_, 16u);
    uint at2_ = (i2_ * SHS) + (8u * (e2_ - (i2_ * 16u)));
    {
        uint c8_2 = e2_ - (i2_ * 16u);
        bool _e1411 = step_on(b_5, ts0_ + i2_, p, mask, _buffer_sizes);
        uint _e1413 = bt_of(b_5, ts0_ + i2_, p, mask, _buffer_sizes);
        uint _e1416 = hk;
        uint at_2 = (((_e1413 * HK) + _e1416) * 16u) + c8_2;
        metal::uint4 z_3 = metal::uint4(0u);
        metal::uint4 _e1425 = k[at_2];
        kx2_ = _e1411 ? _e1425 : z_3;
        metal::uint4 _e1429 = q[at_2];
        metal::uint4 qx_2 = _e1411 ? _e1429 : z_3;
        {
            uint _e1433 = kx2_.x;
            metal::float2 _e1434 = f2_(_e1433);
            metal::float2 w0_4 = _e1434 * 1.0;
            kq.inner[at2_ + 0u] = static_cast<half>(w0_4.x);
            kq.inner[at2_ + 1u] = static_cast<half>(w0_4.y);
            uint _e1449 = kx2_.y;
            metal::float2 _e1450 = f2_(_e1449);
            metal::float2 w1_4 = _e1450 * 1.0;
            kq.inner[at2_ + 2u] = static_cast<half>(w1_4.x);
            kq.inner[at2_ + 3u] = static_cast<half>(w1_4.y);
            uint _e1465 = kx2_.z;
            metal::float2 _e1466 = f2_(_e1465);
            metal::float2 w2_4 = _e1466 * 1.0;
            kq.inner[at2_ + 4u] = static_cast<half>(w2_4.x);
            kq.inner[at2_ + 5u] = static_cast<half>(w2_4.y);
            uint _e1481 = kx2_.w;
            metal::float2 _e1482 = f2_(_e1481);
            metal::float2 w3_4 = _e1482 * 1.0;
            kq.inner[at2_ + 6u] = static_cast<half>(w3_4.x);
            kq.inner[at2_ + 7u] = static_cast<half>(w3_4.y);
        }
        {
            metal::float2 _e1498 = f2_(qx_2.x);
            metal::float2 w0_5 = _e1498 * 1.0;
            kq.inner[(QO + at2_) + 0u] = static_cast<half>(w0_5.x);
            kq.inner[(QO + at2_) + 1u] = static_cast<half>(w0_5.y);
            metal::float2 _e1517 = f2_(qx_2.y);
            metal::float2 w1_5 = _e1517 * 1.0;
            kq.inner[(QO + at2_) + 2u] = static_cast<half>(w1_5.x);
            kq.inner[(QO + at2_) + 3u] = static_cast<half>(w1_5.y);
            metal::float2 _e1536 = f2_(qx_2.z);
            metal::float2 w2_5 = _e1536 * 1.0;
            kq.inner[(QO + at2_) + 4u] = static_cast<half>(w2_5.x);
            kq.inner[(QO + at2_) + 5u] = static_cast<half>(w2_5.y);
            metal::float2 _e1555 = f2_(qx_2.w);
            metal::float2 w3_5 = _e1555 * 1.0;
            kq.inner[(QO + at2_) + 6u] = static_cast<half>(w3_5.x);
            kq.inner[(QO + at2_) + 7u] = static_cast<half>(w3_5.y);
        }
        float _e1575 = g_s.inner[i2_];
        float eq_2 = metal::exp(_e1575);
        float _e1579 = g_s.inner[i2_];
        float ek_2 = metal::exp(gc - _e1579);
        uint wo_2 = naga_div(base + (i2_ * DK), 8u) + c8_2;
        metal::float2 _e1596 = f2_(qx_2.x);
        oq_2.x = as_type<uint>(half2((_e1596 * eq_2)));
        uint _e1601 = kx2_.x;
        metal::float2 _e1602 = f2_(_e1601);
        ok_2.x = as_type<uint>(half2((_e1602 * ek_2)));
        metal::float2 _e1607 = f2_(qx_2.y);
        oq_2.y = as_type<uint>(half2((_e1607 * eq_2)));
        uint _e1612 = kx2_.y;
        metal::float2 _e1613 = f2_(_e1612);
        ok_2.y = as_type<uint>(half2((_e1613 * ek_2)));
        metal::float2 _e1618 = f2_(qx_2.z);
        oq_2.z = as_type<uint>(half2((_e1618 * eq_2)));
        uint _e1623 = kx2_.z;
        metal::float2 _e1624 = f2_(_e1623);
        ok_2.z = as_type<uint>(half2((_e1624 * ek_2)));
        metal::float2 _e1629 = f2_(qx_2.w);
        oq_2.w = as_type<uint>(half2((_e1629 * eq_2)));
        uint _e1634 = kx2_.w;
        metal::float2 _e1635 = f2_(_e1634);
        ok_2.w = as_type<uint>(half2((_e1635 * ek_2)));
        metal::uint4 _e1642 = oq_2;
        ws4_[wo_2 + 2560u] = _e1642;
        metal::uint4 _e1647 = ok_2;
        ws4_[wo_2 + 3584u] = _e1647;
    }
    uint e3_ = tid + 384u;
    uint i3_ = naga_div(e3_, 16u);
    uint at3_ = (i3_ * SHS) + (8u * (e3_ - (i3_ * 16u)));
    {
        uint c8_3 = e3_ - (i3_ * 16u);
        bool _e1667 = step_on(b_5, ts0_ + i3_, p, mask, _buffer_sizes);
        uint _e1669 = bt_of(b_5, ts0_ + i3_, p, mask, _buffer_sizes);
        uint _e1672 = hk;
        uint at_3 = (((_e1669 * HK) + _e1672) * 16u) + c8_3;
        metal::uint4 z_4 = metal::uint4(0u);
        metal::uint4 _e1681 = k[at_3];
        kx3_ = _e1667 ? _e1681 : z_4;
        metal::uint4 _e1685 = q[at_3];
        metal::uint4 qx_3 = _e1667 ? _e1685 : z_4;
        {
            uint _e1689 = kx3_.x;
            metal::float2 _e1690 = f2_(_e1689);
            metal::float2 w0_6 = _e1690 * 1.0;
            kq.inner[at3_ + 0u] = static_cast<half>(w0_6.x);
            kq.inner[at3_ + 1u] = static_cast<half>(w0_6.y);
            uint _e1705 = kx3_.y;
            metal::float2 _e1706 = f2_(_e1705);
            metal::float2 w1_6 = _e1706 * 1.0;
            kq.inner[at3_ + 2u] = static_cast<half>(w1_6.x);
            kq.inner[at3_ + 3u] = static_cast<half>(w1_6.y);
            uint _e1721 = kx3_.z;
            metal::float2 _e1722 = f2_(_e1721);
            metal::float2 w2_6 = _e1722 * 1.0;
            kq.inner[at3_ + 4u] = static_cast<half>(w2_6.x);
            kq.inner[at3_ + 5u] = static_cast<half>(w2_6.y);
            uint _e1737 = kx3_.w;
            metal::float2 _e1738 = f2_(_e1737);
            metal::float2 w3_6 = _e1738 * 1.0;
            kq.inner[at3_ + 6u] = static_cast<half>(w3_6.x);
            kq.inner[at3_ + 7u] = static_cast<half>(w3_6.y);
        }
        {
            metal::float2 _e1754 = f2_(qx_3.x);
            metal::float2 w0_7 = _e1754 * 1.0;
            kq.inner[(QO + at3_) + 0u] = static_cast<half>(w0_7.x);
            kq.inner[(QO + at3_) + 1u] = static_cast<half>(w0_7.y);
            metal::float2 _e1773 = f2_(qx_3.y);
            metal::float2 w1_7 = _e1773 * 1.0;
            kq.inner[(QO + at3_) + 2u] = static_cast<half>(w1_7.x);
            kq.inner[(QO + at3_) + 3u] = static_cast<half>(w1_7.y);
            metal::float2 _e1792 = f2_(qx_3.z);
            metal::float2 w2_7 = _e1792 * 1.0;
            kq.inner[(QO + at3_) + 4u] = static_cast<half>(w2_7.x);
            kq.inner[(QO + at3_) + 5u] = static_cast<half>(w2_7.y);
            metal::float2 _e1811 = f2_(qx_3.w);
            metal::float2 w3_7 = _e1811 * 1.0;
            kq.inner[(QO + at3_) + 6u] = static_cast<half>(w3_7.x);
            kq.inner[(QO + at3_) + 7u] = static_cast<half>(w3_7.y);
        }
        float _e1831 = g_s.inner[i3_];
        float eq_3 = metal::exp(_e1831);
        float _e1835 = g_s.inner[i3_];
        float ek_3 = metal::exp(gc - _e1835);
        uint wo_3 = naga_div(base + (i3_ * DK), 8u) + c8_3;
        metal::float2 _e1852 = f2_(qx_3.x);
        oq_3.x = as_type<uint>(half2((_e1852 * eq_3)));
        uint _e1857 = kx3_.x;
        metal::float2 _e1858 = f2_(_e1857);
        ok_3.x = as_type<uint>(half2((_e1858 * ek_3)));
        metal::float2 _e1863 = f2_(qx_3.y);
        oq_3.y = as_type<uint>(half2((_e1863 * eq_3)));
        uint _e1868 = kx3_.y;
        metal::float2 _e1869 = f2_(_e1868);
        ok_3.y = as_type<uint>(half2((_e1869 * ek_3)));
        metal::float2 _e1874 = f2_(qx_3.z);
        oq_3.z = as_type<uint>(half2((_e1874 * eq_3)));
        uint _e1879 = kx3_.z;
        metal::float2 _e1880 = f2_(_e1879);
        ok_3.z = as_type<uint>(half2((_e1880 * ek_3)));
        metal::float2 _e1885 = f2_(qx_3.w);
        oq_3.w = as_type<uint>(half2((_e1885 * eq_3)));
        uint _e1890 = kx3_.w;
        metal::float2 _e1891 = f2_(_e1890);
        ok_3.w = as_type<uint>(half2((_e1891 * ek_3)));
        metal::uint4 _e1898 = oq_3;
        ws4_[wo_3 + 2560u] = _e1898;
        metal::uint4 _e1903 = ok_3;
        ws4_[wo_3 + 3584u] = _e1903;
    }
    uint e4_ = tid + 512u;
    uint i4_ = naga_div(e4_, 16u);
    uint at4_ = (i4_ * SHS) + (8u * (e4_ - (i4_ * 16u)));
    {
        uint c8_4 = e4_ - (i4_ * 16u);
        bool _e1923 = step_on(b_5, ts0_ + i4_, p, mask, _buffer_sizes);
        uint _e1925 = bt_of(b_5, ts0_ + i4_, p, mask, _buffer_sizes);
        uint _e1928 = hk;
        uint at_4 = (((_e1925 * HK) + _e1928) * 16u) + c8_4;
        metal::uint4 z_5 = metal::uint4(0u);
        metal::uint4 _e1937 = k[at_4];
        kx4_ = _e1923 ? _e1937 : z_5;
        metal::uint4 _e1941 = q[at_4];
        metal::uint4 qx_4 = _e1923 ? _e1941 : z_5;
        {
            uint _e1945 = kx4_.x;
            metal::float2 _e1946 = f2_(_e1945);
            metal::float2 w0_8 = _e1946 * 1.0;
            kq.inner[at4_ + 0u] = static_cast<half>(w0_8.x);
            kq.inner[at4_ + 1u] = static_cast<half>(w0_8.y);
            uint _e1961 = kx4_.y;
            metal::float2 _e1962 = f2_(_e1961);
            metal::float2 w1_8 = _e1962 * 1.0;
            kq.inner[at4_ + 2u] = static_cast<half>(w1_8.x);
            kq.inner[at4_ + 3u] = static_cast<half>(w1_8.y);
            uint _e1977 = kx4_.z;
            metal::float2 _e1978 = f2_(_e1977);
            metal::float2 w2_8 = _e1978 * 1.0;
            kq.inner[at4_ + 4u] = static_cast<half>(w2_8.x);
            kq.inner[at4_ + 5u] = static_cast<half>(w2_8.y);
            uint _e1993 = kx4_.w;
            metal::float2 _e1994 = f2_(_e1993);
            metal::float2 w3_8 = _e1994 * 1.0;
            kq.inner[at4_ + 6u] = static_cast<half>(w3_8.x);
            kq.inner[at4_ + 7u] = static_cast<half>(w3_8.y);
        }
        {
            metal::float2 _e2010 = f2_(qx_4.x);
            metal::float2 w0_9 = _e2010 * 1.0;
            kq.inner[(QO + at4_) + 0u] = static_cast<half>(w0_9.x);
            kq.inner[(QO + at4_) + 1u] = static_cast<half>(w0_9.y);
            metal::float2 _e2029 = f2_(qx_4.y);
            metal::float2 w1_9 = _e2029 * 1.0;
            kq.inner[(QO + at4_) + 2u] = static_cast<half>(w1_9.x);
            kq.inner[(QO + at4_) + 3u] = static_cast<half>(w1_9.y);
            metal::float2 _e2048 = f2_(qx_4.z);
            metal::float2 w2_9 = _e2048 * 1.0;
            kq.inner[(QO + at4_) + 4u] = static_cast<half>(w2_9.x);
            kq.inner[(QO + at4_) + 5u] = static_cast<half>(w2_9.y);
            metal::float2 _e2067 = f2_(qx_4.w);
            metal::float2 w3_9 = _e2067 * 1.0;
            kq.inner[(QO + at4_) + 6u] = static_cast<half>(w3_9.x);
            kq.inner[(QO + at4_) + 7u] = static_cast<half>(w3_9.y);
        }
        float _e2087 = g_s.inner[i4_];
        float eq_4 = metal::exp(_e2087);
        float _e2091 = g_s.inner[i4_];
        float ek_4 = metal::exp(gc - _e2091);
        uint wo_4 = naga_div(base + (i4_ * DK), 8u) + c8_4;
        metal::float2 _e2108 = f2_(qx_4.x);
        oq_4.x = as_type<uint>(half2((_e2108 * eq_4)));
        uint _e2113 = kx4_.x;
        metal::float2 _e2114 = f2_(_e2113);
        ok_4.x = as_type<uint>(half2((_e2114 * ek_4)));
        metal::float2 _e2119 = f2_(qx_4.y);
        oq_4.y = as_type<uint>(half2((_e2119 * eq_4)));
        uint _e2124 = kx4_.y;
        metal::float2 _e2125 = f2_(_e2124);
        ok_4.y = as_type<uint>(half2((_e2125 * ek_4)));
        metal::float2 _e2130 = f2_(qx_4.z);
        oq_4.z = as_type<uint>(half2((_e2130 * eq_4)));
        uint _e2135 = kx4_.z;
        metal::float2 _e2136 = f2_(_e2135);
        ok_4.z = as_type<uint>(half2((_e2136 * ek_4)));
        metal::float2 _e2141 = f2_(qx_4.w);
        oq_4.w = as_type<uint>(half2((_e2141 * eq_4)));
        uint _e2146 = kx4_.w;
        metal::float2 _e2147 = f2_(_e2146);
        ok_4.w = as_type<uint>(half2((_e2147 * ek_4)));
        metal::uint4 _e2154 = oq_4;
        ws4_[wo_4 + 2560u] = _e2154;
        metal::uint4 _e2159 = ok_4;
        ws4_[wo_4 + 3584u] = _e2159;
    }
    uint e5_ = tid + 640u;
    uint i5_ = naga_div(e5_, 16u);
    uint at5_ = (i5_ * SHS) + (8u * (e5_ - (i5_ * 16u)));
    {
        uint c8_5 = e5_ - (i5_ * 16u);
        bool _e2179 = step_on(b_5, ts0_ + i5_, p, mask, _buffer_sizes);
        uint _e2181 = bt_of(b_5, ts0_ + i5_, p, mask, _buffer_sizes);
        uint _e2184 = hk;
        uint at_5 = (((_e2181 * HK) + _e2184) * 16u) + c8_5;
        metal::uint4 z_6 = metal::uint4(0u);
        metal::uint4 _e2193 = k[at_5];
        kx5_ = _e2179 ? _e2193 : z_6;
        metal::uint4 _e2197 = q[at_5];
        metal::uint4 qx_5 = _e2179 ? _e2197 : z_6;
        {
            uint _e2201 = kx5_.x;
            metal::float2 _e2202 = f2_(_e2201);
            metal::float2 w0_10 = _e2202 * 1.0;
            kq.inner[at5_ + 0u] = static_cast<half>(w0_10.x);
            kq.inner[at5_ + 1u] = static_cast<half>(w0_10.y);
            uint _e2217 = kx5_.y;
            metal::float2 _e2218 = f2_(_e2217);
            metal::float2 w1_10 = _e2218 * 1.0;
            kq.inner[at5_ + 2u] = static_cast<half>(w1_10.x);
            kq.inner[at5_ + 3u] = static_cast<half>(w1_10.y);
            uint _e2233 = kx5_.z;
            metal::float2 _e2234 = f2_(_e2233);
            metal::float2 w2_10 = _e2234 * 1.0;
            kq.inner[at5_ + 4u] = static_cast<half>(w2_10.x);
            kq.inner[at5_ + 5u] = static_cast<half>(w2_10.y);
            uint _e2249 = kx5_.w;
            metal::float2 _e2250 = f2_(_e2249);
            metal::float2 w3_10 = _e2250 * 1.0;
            kq.inner[at5_ + 6u] = static_cast<half>(w3_10.x);
            kq.inner[at5_ + 7u] = static_cast<half>(w3_10.y);
        }
        {
            metal::float2 _e2266 = f2_(qx_5.x);
            metal::float2 w0_11 = _e2266 * 1.0;
            kq.inner[(QO + at5_) + 0u] = static_cast<half>(w0_11.x);
            kq.inner[(QO + at5_) + 1u] = static_cast<half>(w0_11.y);
            metal::float2 _e2285 = f2_(qx_5.y);
            metal::float2 w1_11 = _e2285 * 1.0;
            kq.inner[(QO + at5_) + 2u] = static_cast<half>(w1_11.x);
            kq.inner[(QO + at5_) + 3u] = static_cast<half>(w1_11.y);
            metal::float2 _e2304 = f2_(qx_5.z);
            metal::float2 w2_11 = _e2304 * 1.0;
            kq.inner[(QO + at5_) + 4u] = static_cast<half>(w2_11.x);
            kq.inner[(QO + at5_) + 5u] = static_cast<half>(w2_11.y);
            metal::float2 _e2323 = f2_(qx_5.w);
            metal::float2 w3_11 = _e2323 * 1.0;
            kq.inner[(QO + at5_) + 6u] = static_cast<half>(w3_11.x);
            kq.inner[(QO + at5_) + 7u] = static_cast<half>(w3_11.y);
        }
        float _e2343 = g_s.inner[i5_];
        float eq_5 = metal::exp(_e2343);
        float _e2347 = g_s.inner[i5_];
        float ek_5 = metal::exp(gc - _e2347);
        uint wo_5 = naga_div(base + (i5_ * DK), 8u) + c8_5;
        metal::float2 _e2364 = f2_(qx_5.x);
        oq_5.x = as_type<uint>(half2((_e2364 * eq_5)));
        uint _e2369 = kx5_.x;
        metal::float2 _e2370 = f2_(_e2369);
        ok_5.x = as_type<uint>(half2((_e2370 * ek_5)));
        metal::float2 _e2375 = f2_(qx_5.y);
        oq_5.y = as_type<uint>(half2((_e2375 * eq_5)));
        uint _e2380 = kx5_.y;
        metal::float2 _e2381 = f2_(_e2380);
        ok_5.y = as_type<uint>(half2((_e2381 * ek_5)));
        metal::float2 _e2386 = f2_(qx_5.z);
        oq_5.z = as_type<uint>(half2((_e2386 * eq_5)));
        uint _e2391 = kx5_.z;
        metal::float2 _e2392 = f2_(_e2391);
        ok_5.z = as_type<uint>(half2((_e2392 * ek_5)));
        metal::float2 _e2397 = f2_(qx_5.w);
        oq_5.w = as_type<uint>(half2((_e2397 * eq_5)));
        uint _e2402 = kx5_.w;
        metal::float2 _e2403 = f2_(_e2402);
        ok_5.w = as_type<uint>(half2((_e2403 * ek_5)));
        metal::uint4 _e2410 = oq_5;
        ws4_[wo_5 + 2560u] = _e2410;
        metal::uint4 _e2415 = ok_5;
        ws4_[wo_5 + 3584u] = _e2415;
    }
    uint e6_ = tid + 768u;
    uint i6_ = naga_div(e6_, 16u);
    uint at6_ = (i6_ * SHS) + (8u * (e6_ - (i6_ * 16u)));
    {
        uint c8_6 = e6_ - (i6_ * 16u);
        bool _e2435 = step_on(b_5, ts0_ + i6_, p, mask, _buffer_sizes);
        uint _e2437 = bt_of(b_5, ts0_ + i6_, p, mask, _buffer_sizes);
        uint _e2440 = hk;
        uint at_6 = (((_e2437 * HK) + _e2440) * 16u) + c8_6;
        metal::uint4 z_7 = metal::uint4(0u);
        metal::uint4 _e2449 = k[at_6];
        kx6_ = _e2435 ? _e2449 : z_7;
        metal::uint4 _e2453 = q[at_6];
        metal::uint4 qx_6 = _e2435 ? _e2453 : z_7;
        {
            uint _e2457 = kx6_.x;
            metal::float2 _e2458 = f2_(_e2457);
            metal::float2 w0_12 = _e2458 * 1.0;
            kq.inner[at6_ + 0u] = static_cast<half>(w0_12.x);
            kq.inner[at6_ + 1u] = static_cast<half>(w0_12.y);
            uint _e2473 = kx6_.y;
            metal::float2 _e2474 = f2_(_e2473);
            metal::float2 w1_12 = _e2474 * 1.0;
            kq.inner[at6_ + 2u] = static_cast<half>(w1_12.x);
            kq.inner[at6_ + 3u] = static_cast<half>(w1_12.y);
            uint _e2489 = kx6_.z;
            metal::float2 _e2490 = f2_(_e2489);
            metal::float2 w2_12 = _e2490 * 1.0;
            kq.inner[at6_ + 4u] = static_cast<half>(w2_12.x);
            kq.inner[at6_ + 5u] = static_cast<half>(w2_12.y);
            uint _e2505 = kx6_.w;
            metal::float2 _e2506 = f2_(_e2505);
            metal::float2 w3_12 = _e2506 * 1.0;
            kq.inner[at6_ + 6u] = static_cast<half>(w3_12.x);
            kq.inner[at6_ + 7u] = static_cast<half>(w3_12.y);
        }
        {
            metal::float2 _e2522 = f2_(qx_6.x);
            metal::float2 w0_13 = _e2522 * 1.0;
            kq.inner[(QO + at6_) + 0u] = static_cast<half>(w0_13.x);
            kq.inner[(QO + at6_) + 1u] = static_cast<half>(w0_13.y);
            metal::float2 _e2541 = f2_(qx_6.y);
            metal::float2 w1_13 = _e2541 * 1.0;
            kq.inner[(QO + at6_) + 2u] = static_cast<half>(w1_13.x);
            kq.inner[(QO + at6_) + 3u] = static_cast<half>(w1_13.y);
            metal::float2 _e2560 = f2_(qx_6.z);
            metal::float2 w2_13 = _e2560 * 1.0;
            kq.inner[(QO + at6_) + 4u] = static_cast<half>(w2_13.x);
            kq.inner[(QO + at6_) + 5u] = static_cast<half>(w2_13.y);
            metal::float2 _e2579 = f2_(qx_6.w);
            metal::float2 w3_13 = _e2579 * 1.0;
            kq.inner[(QO + at6_) + 6u] = static_cast<half>(w3_13.x);
            kq.inner[(QO + at6_) + 7u] = static_cast<half>(w3_13.y);
        }
        float _e2599 = g_s.inner[i6_];
        float eq_6 = metal::exp(_e2599);
        float _e2603 = g_s.inner[i6_];
        float ek_6 = metal::exp(gc - _e2603);
        uint wo_6 = naga_div(base + (i6_ * DK), 8u) + c8_6;
        metal::float2 _e2620 = f2_(qx_6.x);
        oq_6.x = as_type<uint>(half2((_e2620 * eq_6)));
        uint _e2625 = kx6_.x;
        metal::float2 _e2626 = f2_(_e2625);
        ok_6.x = as_type<uint>(half2((_e2626 * ek_6)));
        metal::float2 _e2631 = f2_(qx_6.y);
        oq_6.y = as_type<uint>(half2((_e2631 * eq_6)));
        uint _e2636 = kx6_.y;
        metal::float2 _e2637 = f2_(_e2636);
        ok_6.y = as_type<uint>(half2((_e2637 * ek_6)));
        metal::float2 _e2642 = f2_(qx_6.z);
        oq_6.z = as_type<uint>(half2((_e2642 * eq_6)));
        uint _e2647 = kx6_.z;
        metal::float2 _e2648 = f2_(_e2647);
        ok_6.z = as_type<uint>(half2((_e2648 * ek_6)));
        metal::float2 _e2653 = f2_(qx_6.w);
        oq_6.w = as_type<uint>(half2((_e2653 * eq_6)));
        uint _e2658 = kx6_.w;
        metal::float2 _e2659 = f2_(_e2658);
        ok_6.w = as_type<uint>(half2((_e2659 * ek_6)));
        metal::uint4 _e2666 = oq_6;
        ws4_[wo_6 + 2560u] = _e2666;
        metal::uint4 _e2671 = ok_6;
        ws4_[wo_6 + 3584u] = _e2671;
    }
    uint e7_ = tid + 896u;
    uint i7_ = naga_div(e7_, 16u);
    uint at7_ = (i7_ * SHS) + (8u * (e7_ - (i7_ * 16u)));
    {
        uint c8_7 = e7_ - (i7_ * 16u);
        bool _e2691 = step_on(b_5, ts0_ + i7_, p, mask, _buffer_sizes);
        uint _e2693 = bt_of(b_5, ts0_ + i7_, p, mask, _buffer_sizes);
        uint _e2696 = hk;
        uint at_7 = (((_e2693 * HK) + _e2696) * 16u) + c8_7;
        metal::uint4 z_8 = metal::uint4(0u);
        metal::uint4 _e2705 = k[at_7];
        kx7_ = _e2691 ? _e2705 : z_8;
        metal::uint4 _e2709 = q[at_7];
        metal::uint4 qx_7 = _e2691 ? _e2709 : z_8;
        {
            uint _e2713 = kx7_.x;
            metal::float2 _e2714 = f2_(_e2713);
            metal::float2 w0_14 = _e2714 * 1.0;
            kq.inner[at7_ + 0u] = static_cast<half>(w0_14.x);
            kq.inner[at7_ + 1u] = static_cast<half>(w0_14.y);
            uint _e2729 = kx7_.y;
            metal::float2 _e2730 = f2_(_e2729);
            metal::float2 w1_14 = _e2730 * 1.0;
            kq.inner[at7_ + 2u] = static_cast<half>(w1_14.x);
            kq.inner[at7_ + 3u] = static_cast<half>(w1_14.y);
            uint _e2745 = kx7_.z;
            metal::float2 _e2746 = f2_(_e2745);
            metal::float2 w2_14 = _e2746 * 1.0;
            kq.inner[at7_ + 4u] = static_cast<half>(w2_14.x);
            kq.inner[at7_ + 5u] = static_cast<half>(w2_14.y);
            uint _e2761 = kx7_.w;
            metal::float2 _e2762 = f2_(_e2761);
            metal::float2 w3_14 = _e2762 * 1.0;
            kq.inner[at7_ + 6u] = static_cast<half>(w3_14.x);
            kq.inner[at7_ + 7u] = static_cast<half>(w3_14.y);
        }
        {
            metal::float2 _e2778 = f2_(qx_7.x);
            metal::float2 w0_15 = _e2778 * 1.0;
            kq.inner[(QO + at7_) + 0u] = static_cast<half>(w0_15.x);
            kq.inner[(QO + at7_) + 1u] = static_cast<half>(w0_15.y);
            metal::float2 _e2797 = f2_(qx_7.y);
            metal::float2 w1_15 = _e2797 * 1.0;
            kq.inner[(QO + at7_) + 2u] = static_cast<half>(w1_15.x);
            kq.inner[(QO + at7_) + 3u] = static_cast<half>(w1_15.y);
            metal::float2 _e2816 = f2_(qx_7.z);
            metal::float2 w2_15 = _e2816 * 1.0;
            kq.inner[(QO + at7_) + 4u] = static_cast<half>(w2_15.x);
            kq.inner[(QO + at7_) + 5u] = static_cast<half>(w2_15.y);
            metal::float2 _e2835 = f2_(qx_7.w);
            metal::float2 w3_15 = _e2835 * 1.0;
            kq.inner[(QO + at7_) + 6u] = static_cast<half>(w3_15.x);
            kq.inner[(QO + at7_) + 7u] = static_cast<half>(w3_15.y);
        }
        float _e2855 = g_s.inner[i7_];
        float eq_7 = metal::exp(_e2855);
        float _e2859 = g_s.inner[i7_];
        float ek_7 = metal::exp(gc - _e2859);
        uint wo_7 = naga_div(base + (i7_ * DK), 8u) + c8_7;
        metal::float2 _e2876 = f2_(qx_7.x);
        oq_7.x = as_type<uint>(half2((_e2876 * eq_7)));
        uint _e2881 = kx7_.x;
        metal::float2 _e2882 = f2_(_e2881);
        ok_7.x = as_type<uint>(half2((_e2882 * ek_7)));
        metal::float2 _e2887 = f2_(qx_7.y);
        oq_7.y = as_type<uint>(half2((_e2887 * eq_7)));
        uint _e2892 = kx7_.y;
        metal::float2 _e2893 = f2_(_e2892);
        ok_7.y = as_type<uint>(half2((_e2893 * ek_7)));
        metal::float2 _e2898 = f2_(qx_7.z);
        oq_7.z = as_type<uint>(half2((_e2898 * eq_7)));
        uint _e2903 = kx7_.z;
        metal::float2 _e2904 = f2_(_e2903);
        ok_7.z = as_type<uint>(half2((_e2904 * ek_7)));
        metal::float2 _e2909 = f2_(qx_7.w);
        oq_7.w = as_type<uint>(half2((_e2909 * eq_7)));
        uint _e2914 = kx7_.w;
        metal::float2 _e2915 = f2_(_e2914);
        ok_7.w = as_type<uint>(half2((_e2915 * ek_7)));
        metal::uint4 _e2922 = oq_7;
        ws4_[wo_7 + 2560u] = _e2922;
        metal::uint4 _e2927 = ok_7;
        ws4_[wo_7 + 3584u] = _e2927;
    }
    metal::threadgroup_barrier(metal::mem_flags::mem_threadgroup);
    {
        uint x_6 = (sg * 5u) + 0u;
        uint yj = naga_mod(x_6, 10u);
        uint ti = (JOB_I >> (2u * yj)) & 3u;
        uint tj = (JOB_J >> (2u * yj)) & 3u;
        uint ao = ((x_6 >= 10u) ? QO : 0u) + ((16u * ti) * SHS);
        metal::simdgroup_float16x16 _e2974 = job0_;
        job0_ = NagaCooperativeMultiplyAdd(NagaCooperativeLoad(&kq.inner[ao + 0u], SHS, false), NagaCooperativeLoad(&kq.inner[((16u * tj) * SHS) + 0u], SHS, true), _e2974);
        metal::simdgroup_float16x16 _e2992 = job0_;
        job0_ = NagaCooperativeMultiplyAdd(NagaCooperativeLoad(&kq.inner[ao + 16u], SHS, false), NagaCooperativeLoad(&kq.inner[((16u * tj) * SHS) + 16u], SHS, true), _e2992);
        metal::simdgroup_float16x16 _e3010 = job0_;
        job0_ = NagaCooperativeMultiplyAdd(NagaCooperativeLoad(&kq.inner[ao + 32u], SHS, false), NagaCooperativeLoad(&kq.inner[((16u * tj) * SHS) + 32u], SHS, true), _e3010);
        metal::simdgroup_float16x16 _e3028 = job0_;
        job0_ = NagaCooperativeMultiplyAdd(NagaCooperativeLoad(&kq.inner[ao + 48u], SHS, false), NagaCooperativeLoad(&kq.inner[((16u * tj) * SHS) + 48u], SHS, true), _e3028);
        metal::simdgroup_float16x16 _e3046 = job0_;
        job0_ = NagaCooperativeMultiplyAdd(NagaCooperativeLoad(&kq.inner[ao + 64u], SHS, false), NagaCooperativeLoad(&kq.inner[((16u * tj) * SHS) + 64u], SHS, true), _e3046);
        metal::simdgroup_float16x16 _e3064 = job0_;
        job0_ = NagaCooperativeMultiplyAdd(NagaCooperativeLoad(&kq.inner[ao + 80u], SHS, false), NagaCooperativeLoad(&kq.inner[((16u * tj) * SHS) + 80u], SHS, true), _e3064);
        metal::simdgroup_float16x16 _e3082 = job0_;
        job0_ = NagaCooperativeMultiplyAdd(NagaCooperativeLoad(&kq.inner[ao + 96u], SHS, false), NagaCooperativeLoad(&kq.inner[((16u * tj) * SHS) + 96u], SHS, true), _e3082);
        metal::simdgroup_float16x16 _e3100 = job0_;
        job0_ = NagaCooperativeMultiplyAdd(NagaCooperativeLoad(&kq.inner[ao + 112u], SHS, false), NagaCooperativeLoad(&kq.inner[((16u * tj) * SHS) + 112u], SHS, true), _e3100);
    }
    {
        uint x_7 = (sg * 5u) + 1u;
        uint yj_1 = naga_mod(x_7, 10u);
        uint ti_1 = (JOB_I >> (2u * yj_1)) & 3u;
        uint tj_1 = (JOB_J >> (2u * yj_1)) & 3u;
        uint ao_1 = ((x_7 >= 10u) ? QO : 0u) + ((16u * ti_1) * SHS);
        metal::simdgroup_float16x16 _e3148 = job1_;
        job1_ = NagaCooperativeMultiplyAdd(NagaCooperativeLoad(&kq.inner[ao_1 + 0u], SHS, false), NagaCooperativeLoad(&kq.inner[((16u * tj_1) * SHS) + 0u], SHS, true), _e3148);
        metal::simdgroup_float16x16 _e3166 = job1_;
        job1_ = NagaCooperativeMultiplyAdd(NagaCooperativeLoad(&kq.inner[ao_1 + 16u], SHS, false), NagaCooperativeLoad(&kq.inner[((16u * tj_1) * SHS) + 16u], SHS, true), _e3166);
        metal::simdgroup_float16x16 _e3184 = job1_;
        job1_ = NagaCooperativeMultiplyAdd(NagaCooperativeLoad(&kq.inner[ao_1 + 32u], SHS, false), NagaCooperativeLoad(&kq.inner[((16u * tj_1) * SHS) + 32u], SHS, true), _e3184);
        metal::simdgroup_float16x16 _e3202 = job1_;
        job1_ = NagaCooperativeMultiplyAdd(NagaCooperativeLoad(&kq.inner[ao_1 + 48u], SHS, false), NagaCooperativeLoad(&kq.inner[((16u * tj_1) * SHS) + 48u], SHS, true), _e3202);
        metal::simdgroup_float16x16 _e3220 = job1_;
        job1_ = NagaCooperativeMultiplyAdd(NagaCooperativeLoad(&kq.inner[ao_1 + 64u], SHS, false), NagaCooperativeLoad(&kq.inner[((16u * tj_1) * SHS) + 64u], SHS, true), _e3220);
        metal::simdgroup_float16x16 _e3238 = job1_;
        job1_ = NagaCooperativeMultiplyAdd(NagaCooperativeLoad(&kq.inner[ao_1 + 80u], SHS, false), NagaCooperativeLoad(&kq.inner[((16u * tj_1) * SHS) + 80u], SHS, true), _e3238);
        metal::simdgroup_float16x16 _e3256 = job1_;
        job1_ = NagaCooperativeMultiplyAdd(NagaCooperativeLoad(&kq.inner[ao_1 + 96u], SHS, false), NagaCooperativeLoad(&kq.inner[((16u * tj_1) * SHS) + 96u], SHS, true), _e3256);
        metal::simdgroup_float16x16 _e3274 = job1_;
        job1_ = NagaCooperativeMultiplyAdd(NagaCooperativeLoad(&kq.inner[ao_1 + 112u], SHS, false), NagaCooperativeLoad(&kq.inner[((16u * tj_1) * SHS) + 112u], SHS, true), _e3274);
    }
    {
        uint x_8 = (sg * 5u) + 2u;
        uint yj_2 = naga_mod(x_8, 10u);
        uint ti_2 = (JOB_I >> (2u * yj_2)) & 3u;
        uint tj_2 = (JOB_J >> (2u * yj_2)) & 3u;
        uint ao_2 = ((x_8 >= 10u) ? QO : 0u) + ((16u * ti_2) * SHS);
        metal::simdgroup_float16x16 _e3322 = job2_;
        job2_ = NagaCooperativeMultiplyAdd(NagaCooperativeLoad(&kq.inner[ao_2 + 0u], SHS, false), NagaCooperativeLoad(&kq.inner[((16u * tj_2) * SHS) + 0u], SHS, true), _e3322);
        metal::simdgroup_float16x16 _e3340 = job2_;
        job2_ = NagaCooperativeMultiplyAdd(NagaCooperativeLoad(&kq.inner[ao_2 + 16u], SHS, false), NagaCooperativeLoad(&kq.inner[((16u * tj_2) * SHS) + 16u], SHS, true), _e3340);
        metal::simdgroup_float16x16 _e3358 = job2_;
        job2_ = NagaCooperativeMultiplyAdd(NagaCooperativeLoad(&kq.inner[ao_2 + 32u], SHS, false), NagaCooperativeLoad(&kq.inner[((16u * tj_2) * SHS) + 32u], SHS, true), _e3358);
        metal::simdgroup_float16x16 _e3376 = job2_;
        job2_ = NagaCooperativeMultiplyAdd(NagaCooperativeLoad(&kq.inner[ao_2 + 48u], SHS, false), NagaCooperativeLoad(&kq.inner[((16u * tj_2) * SHS) + 48u], SHS, true), _e3376);
        metal::simdgroup_float16x16 _e3394 = job2_;
        job2_ = NagaCooperativeMultiplyAdd(NagaCooperativeLoad(&kq.inner[ao_2 + 64u], SHS, false), NagaCooperativeLoad(&kq.inner[((16u * tj_2) * SHS) + 64u], SHS, true), _e3394);
        metal::simdgroup_float16x16 _e3412 = job2_;
        job2_ = NagaCooperativeMultiplyAdd(NagaCooperativeLoad(&kq.inner[ao_2 + 80u], SHS, false), NagaCooperativeLoad(&kq.inner[((16u * tj_2) * SHS) + 80u], SHS, true), _e3412);
        metal::simdgroup_float16x16 _e3430 = job2_;
        job2_ = NagaCooperativeMultiplyAdd(NagaCooperativeLoad(&kq.inner[ao_2 + 96u], SHS, false), NagaCooperativeLoad(&kq.inner[((16u * tj_2) * SHS) + 96u], SHS, true), _e3430);
        metal::simdgroup_float16x16 _e3448 = job2_;
        job2_ = NagaCooperativeMultiplyAdd(NagaCooperativeLoad(&kq.inner[ao_2 + 112u], SHS, false), NagaCooperativeLoad(&kq.inner[((16u * tj_2) * SHS) + 112u], SHS, true), _e3448);
    }
    {
        uint x_9 = (sg * 5u) + 3u;
        uint yj_3 = naga_mod(x_9, 10u);
        uint ti_3 = (JOB_I >> (2u * yj_3)) & 3u;
        uint tj_3 = (JOB_J >> (2u * yj_3)) & 3u;
        uint ao_3 = ((x_9 >= 10u) ? QO : 0u) + ((16u * ti_3) * SHS);
        metal::simdgroup_float16x16 _e3496 = job3_;
        job3_ = NagaCooperativeMultiplyAdd(NagaCooperativeLoad(&kq.inner[ao_3 + 0u], SHS, false), NagaCooperativeLoad(&kq.inner[((16u * tj_3) * SHS) + 0u], SHS, true), _e3496);
        metal::simdgroup_float16x16 _e3514 = job3_;
        job3_ = NagaCooperativeMultiplyAdd(NagaCooperativeLoad(&kq.inner[ao_3 + 16u], SHS, false), NagaCooperativeLoad(&kq.inner[((16u * tj_3) * SHS) + 16u], SHS, true), _e3514);
        metal::simdgroup_float16x16 _e3532 = job3_;
        job3_ = NagaCooperativeMultiplyAdd(NagaCooperativeLoad(&kq.inner[ao_3 + 32u], SHS, false), NagaCooperativeLoad(&kq.inner[((16u * tj_3) * SHS) + 32u], SHS, true), _e3532);
        metal::simdgroup_float16x16 _e3550 = job3_;
        job3_ = NagaCooperativeMultiplyAdd(NagaCooperativeLoad(&kq.inner[ao_3 + 48u], SHS, false), NagaCooperativeLoad(&kq.inner[((16u * tj_3) * SHS) + 48u], SHS, true), _e3550);
        metal::simdgroup_float16x16 _e3568 = job3_;
        job3_ = NagaCooperativeMultiplyAdd(NagaCooperativeLoad(&kq.inner[ao_3 + 64u], SHS, false), NagaCooperativeLoad(&kq.inner[((16u * tj_3) * SHS) + 64u], SHS, true), _e3568);
        metal::simdgroup_float16x16 _e3586 = job3_;
        job3_ = NagaCooperativeMultiplyAdd(NagaCooperativeLoad(&kq.inner[ao_3 + 80u], SHS, false), NagaCooperativeLoad(&kq.inner[((16u * tj_3) * SHS) + 80u], SHS, true), _e3586);
        metal::simdgroup_float16x16 _e3604 = job3_;
        job3_ = NagaCooperativeMultiplyAdd(NagaCooperativeLoad(&kq.inner[ao_3 + 96u], SHS, false), NagaCooperativeLoad(&kq.inner[((16u * tj_3) * SHS) + 96u], SHS, true), _e3604);
        metal::simdgroup_float16x16 _e3622 = job3_;
        job3_ = NagaCooperativeMultiplyAdd(NagaCooperativeLoad(&kq.inner[ao_3 + 112u], SHS, false), NagaCooperativeLoad(&kq.inner[((16u * tj_3) * SHS) + 112u], SHS, true), _e3622);
    }
    {
        uint x_10 = (sg * 5u) + 4u;
        uint yj_4 = naga_mod(x_10, 10u);
        uint ti_4 = (JOB_I >> (2u * yj_4)) & 3u;
        uint tj_4 = (JOB_J >> (2u * yj_4)) & 3u;
        uint ao_4 = ((x_10 >= 10u) ? QO : 0u) + ((16u * ti_4) * SHS);
        metal::simdgroup_float16x16 _e3670 = job4_;
        job4_ = NagaCooperativeMultiplyAdd(NagaCooperativeLoad(&kq.inner[ao_4 + 0u], SHS, false), NagaCooperativeLoad(&kq.inner[((16u * tj_4) * SHS) + 0u], SHS, true), _e3670);
        metal::simdgroup_float16x16 _e3688 = job4_;
        job4_ = NagaCooperativeMultiplyAdd(NagaCooperativeLoad(&kq.inner[ao_4 + 16u], SHS, false), NagaCooperativeLoad(&kq.inner[((16u * tj_4) * SHS) + 16u], SHS, true), _e3688);
        metal::simdgroup_float16x16 _e3706 = job4_;
        job4_ = NagaCooperativeMultiplyAdd(NagaCooperativeLoad(&kq.inner[ao_4 + 32u], SHS, false), NagaCooperativeLoad(&kq.inner[((16u * tj_4) * SHS) + 32u], SHS, true), _e3706);
        metal::simdgroup_float16x16 _e3724 = job4_;
        job4_ = NagaCooperativeMultiplyAdd(NagaCooperativeLoad(&kq.inner[ao_4 + 48u], SHS, false), NagaCooperativeLoad(&kq.inner[((16u * tj_4) * SHS) + 48u], SHS, true), _e3724);
        metal::simdgroup_float16x16 _e3742 = job4_;
        job4_ = NagaCooperativeMultiplyAdd(NagaCooperativeLoad(&kq.inner[ao_4 + 64u], SHS, false), NagaCooperativeLoad(&kq.inner[((16u * tj_4) * SHS) + 64u], SHS, true), _e3742);
        metal::simdgroup_float16x16 _e3760 = job4_;
        job4_ = NagaCooperativeMultiplyAdd(NagaCooperativeLoad(&kq.inner[ao_4 + 80u], SHS, false), NagaCooperativeLoad(&kq.inner[((16u * tj_4) * SHS) + 80u], SHS, true), _e3760);
        metal::simdgroup_float16x16 _e3778 = job4_;
        job4_ = NagaCooperativeMultiplyAdd(NagaCooperativeLoad(&kq.inner[ao_4 + 96u], SHS, false), NagaCooperativeLoad(&kq.inner[((16u * tj_4) * SHS) + 96u], SHS, true), _e3778);
        metal::simdgroup_float16x16 _e3796 = job4_;
        job4_ = NagaCooperativeMultiplyAdd(NagaCooperativeLoad(&kq.inner[ao_4 + 112u], SHS, false), NagaCooperativeLoad(&kq.inner[((16u * tj_4) * SHS) + 112u], SHS, true), _e3796);
    }
    metal::threadgroup_barrier(metal::mem_flags::mem_threadgroup);
    {
        float _e3800 = bb_s.inner[i0_];
        float _e3804 = g_s.inner[i0_];
        float ff = -(_e3800) * metal::exp(_e3804);
        uint _e3808 = kx0_.x;
        metal::float2 _e3809 = f2_(_e3808);
        metal::float2 w0_16 = _e3809 * ff;
        kq.inner[at0_ + 0u] = static_cast<half>(w0_16.x);
        kq.inner[at0_ + 1u] = static_cast<half>(w0_16.y);
        uint _e3824 = kx0_.y;
        metal::float2 _e3825 = f2_(_e3824);
        metal::float2 w1_16 = _e3825 * ff;
        kq.inner[at0_ + 2u] = static_cast<half>(w1_16.x);
        kq.inner[at0_ + 3u] = static_cast<half>(w1_16.y);
        uint _e3840 = kx0_.z;
        metal::float2 _e3841 = f2_(_e3840);
        metal::float2 w2_16 = _e3841 * ff;
        kq.inner[at0_ + 4u] = static_cast<half>(w2_16.x);
        kq.inner[at0_ + 5u] = static_cast<half>(w2_16.y);
        uint _e3856 = kx0_.w;
        metal::float2 _e3857 = f2_(_e3856);
        metal::float2 w3_16 = _e3857 * ff;
        kq.inner[at0_ + 6u] = static_cast<half>(w3_16.x);
        kq.inner[at0_ + 7u] = static_cast<half>(w3_16.y);
    }
    {
        float _e3873 = bb_s.inner[i1_];
        float _e3877 = g_s.inner[i1_];
        float ff_1 = -(_e3873) * metal::exp(_e3877);
        uint _e3881 = kx1_.x;
        metal::float2 _e3882 = f2_(_e3881);
        metal::float2 w0_17 = _e3882 * ff_1;
        kq.inner[at1_ + 0u] = static_cast<half>(w0_17.x);
        kq.inner[at1_ + 1u] = static_cast<half>(w0_17.y);
        uint _e3897 = kx1_.y;
        metal::float2 _e3898 = f2_(_e3897);
        metal::float2 w1_17 = _e3898 * ff_1;
        kq.inner[at1_ + 2u] = static_cast<half>(w1_17.x);
        kq.inner[at1_ + 3u] = static_cast<half>(w1_17.y);
        uint _e3913 = kx1_.z;
        metal::float2 _e3914 = f2_(_e3913);
        metal::float2 w2_17 = _e3914 * ff_1;
        kq.inner[at1_ + 4u] = static_cast<half>(w2_17.x);
        kq.inner[at1_ + 5u] = static_cast<half>(w2_17.y);
        uint _e3929 = kx1_.w;
        metal::float2 _e3930 = f2_(_e3929);
        metal::float2 w3_17 = _e3930 * ff_1;
        kq.inner[at1_ + 6u] = static_cast<half>(w3_17.x);
        kq.inner[at1_ + 7u] = static_cast<half>(w3_17.y);
    }
    {
        float _e3946 = bb_s.inner[i2_];
        float _e3950 = g_s.inner[i2_];
        float ff_2 = -(_e3946) * metal::exp(_e3950);
        uint _e3954 = kx2_.x;
        metal::float2 _e3955 = f2_(_e3954);
        metal::float2 w0_18 = _e3955 * ff_2;
        kq.inner[at2_ + 0u] = static_cast<half>(w0_18.x);
        kq.inner[at2_ + 1u] = static_cast<half>(w0_18.y);
        uint _e3970 = kx2_.y;
        metal::float2 _e3971 = f2_(_e3970);
        metal::float2 w1_18 = _e3971 * ff_2;
        kq.inner[at2_ + 2u] = static_cast<half>(w1_18.x);
        kq.inner[at2_ + 3u] = static_cast<half>(w1_18.y);
        uint _e3986 = kx2_.z;
        metal::float2 _e3987 = f2_(_e3986);
        metal::float2 w2_18 = _e3987 * ff_2;
        kq.inner[at2_ + 4u] = static_cast<half>(w2_18.x);
        kq.inner[at2_ + 5u] = static_cast<half>(w2_18.y);
        uint _e4002 = kx2_.w;
        metal::float2 _e4003 = f2_(_e4002);
        metal::float2 w3_18 = _e4003 * ff_2;
        kq.inner[at2_ + 6u] = static_cast<half>(w3_18.x);
        kq.inner[at2_ + 7u] = static_cast<half>(w3_18.y);
    }
    {
        float _e4019 = bb_s.inner[i3_];
        float _e4023 = g_s.inner[i3_];
        float ff_3 = -(_e4019) * metal::exp(_e4023);
        uint _e4027 = kx3_.x;
        metal::float2 _e4028 = f2_(_e4027);
        metal::float2 w0_19 = _e4028 * ff_3;
        kq.inner[at3_ + 0u] = static_cast<half>(w0_19.x);
        kq.inner[at3_ + 1u] = static_cast<half>(w0_19.y);
        uint _e4043 = kx3_.y;
        metal::float2 _e4044 = f2_(_e4043);
        metal::float2 w1_19 = _e4044 * ff_3;
        kq.inner[at3_ + 2u] = static_cast<half>(w1_19.x);
        kq.inner[at3_ + 3u] = static_cast<half>(w1_19.y);
        uint _e4059 = kx3_.z;
        metal::float2 _e4060 = f2_(_e4059);
        metal::float2 w2_19 = _e4060 * ff_3;
        kq.inner[at3_ + 4u] = static_cast<half>(w2_19.x);
        kq.inner[at3_ + 5u] = static_cast<half>(w2_19.y);
        uint _e4075 = kx3_.w;
        metal::float2 _e4076 = f2_(_e4075);
        metal::float2 w3_19 = _e4076 * ff_3;
        kq.inner[at3_ + 6u] = static_cast<half>(w3_19.x);
        kq.inner[at3_ + 7u] = static_cast<half>(w3_19.y);
    }
    {
        float _e4092 = bb_s.inner[i4_];
        float _e4096 = g_s.inner[i4_];
        float ff_4 = -(_e4092) * metal::exp(_e4096);
        uint _e4100 = kx4_.x;
        metal::float2 _e4101 = f2_(_e4100);
        metal::float2 w0_20 = _e4101 * ff_4;
        kq.inner[at4_ + 0u] = static_cast<half>(w0_20.x);
        kq.inner[at4_ + 1u] = static_cast<half>(w0_20.y);
        uint _e4116 = kx4_.y;
        metal::float2 _e4117 = f2_(_e4116);
        metal::float2 w1_20 = _e4117 * ff_4;
        kq.inner[at4_ + 2u] = static_cast<half>(w1_20.x);
        kq.inner[at4_ + 3u] = static_cast<half>(w1_20.y);
        uint _e4132 = kx4_.z;
        metal::float2 _e4133 = f2_(_e4132);
        metal::float2 w2_20 = _e4133 * ff_4;
        kq.inner[at4_ + 4u] = static_cast<half>(w2_20.x);
        kq.inner[at4_ + 5u] = static_cast<half>(w2_20.y);
        uint _e4148 = kx4_.w;
        metal::float2 _e4149 = f2_(_e4148);
        metal::float2 w3_20 = _e4149 * ff_4;
        kq.inner[at4_ + 6u] = static_cast<half>(w3_20.x);
        kq.inner[at4_ + 7u] = static_cast<half>(w3_20.y);
    }
    {
        float _e4165 = bb_s.inner[i5_];
        float _e4169 = g_s.inner[i5_];
        float ff_5 = -(_e4165) * metal::exp(_e4169);
        uint _e4173 = kx5_.x;
        metal::float2 _e4174 = f2_(_e4173);
        metal::float2 w0_21 = _e4174 * ff_5;
        kq.inner[at5_ + 0u] = static_cast<half>(w0_21.x);
        kq.inner[at5_ + 1u] = static_cast<half>(w0_21.y);
        uint _e4189 = kx5_.y;
        metal::float2 _e4190 = f2_(_e4189);
        metal::float2 w1_21 = _e4190 * ff_5;
        kq.inner[at5_ + 2u] = static_cast<half>(w1_21.x);
        kq.inner[at5_ + 3u] = static_cast<half>(w1_21.y);
        uint _e4205 = kx5_.z;
        metal::float2 _e4206 = f2_(_e4205);
        metal::float2 w2_21 = _e4206 * ff_5;
        kq.inner[at5_ + 4u] = static_cast<half>(w2_21.x);
        kq.inner[at5_ + 5u] = static_cast<half>(w2_21.y);
        uint _e4221 = kx5_.w;
        metal::float2 _e4222 = f2_(_e4221);
        metal::float2 w3_21 = _e4222 * ff_5;
        kq.inner[at5_ + 6u] = static_cast<half>(w3_21.x);
        kq.inner[at5_ + 7u] = static_cast<half>(w3_21.y);
    }
    {
        float _e4238 = bb_s.inner[i6_];
        float _e4242 = g_s.inner[i6_];
        float ff_6 = -(_e4238) * metal::exp(_e4242);
        uint _e4246 = kx6_.x;
        metal::float2 _e4247 = f2_(_e4246);
        metal::float2 w0_22 = _e4247 * ff_6;
        kq.inner[at6_ + 0u] = static_cast<half>(w0_22.x);
        kq.inner[at6_ + 1u] = static_cast<half>(w0_22.y);
        uint _e4262 = kx6_.y;
        metal::float2 _e4263 = f2_(_e4262);
        metal::float2 w1_22 = _e4263 * ff_6;
        kq.inner[at6_ + 2u] = static_cast<half>(w1_22.x);
        kq.inner[at6_ + 3u] = static_cast<half>(w1_22.y);
        uint _e4278 = kx6_.z;
        metal::float2 _e4279 = f2_(_e4278);
        metal::float2 w2_22 = _e4279 * ff_6;
        kq.inner[at6_ + 4u] = static_cast<half>(w2_22.x);
        kq.inner[at6_ + 5u] = static_cast<half>(w2_22.y);
        uint _e4294 = kx6_.w;
        metal::float2 _e4295 = f2_(_e4294);
        metal::float2 w3_22 = _e4295 * ff_6;
        kq.inner[at6_ + 6u] = static_cast<half>(w3_22.x);
        kq.inner[at6_ + 7u] = static_cast<half>(w3_22.y);
    }
    {
        float _e4311 = bb_s.inner[i7_];
        float _e4315 = g_s.inner[i7_];
        float ff_7 = -(_e4311) * metal::exp(_e4315);
        uint _e4319 = kx7_.x;
        metal::float2 _e4320 = f2_(_e4319);
        metal::float2 w0_23 = _e4320 * ff_7;
        kq.inner[at7_ + 0u] = static_cast<half>(w0_23.x);
        kq.inner[at7_ + 1u] = static_cast<half>(w0_23.y);
        uint _e4335 = kx7_.y;
        metal::float2 _e4336 = f2_(_e4335);
        metal::float2 w1_23 = _e4336 * ff_7;
        kq.inner[at7_ + 2u] = static_cast<half>(w1_23.x);
        kq.inner[at7_ + 3u] = static_cast<half>(w1_23.y);
        uint _e4351 = kx7_.z;
        metal::float2 _e4352 = f2_(_e4351);
        metal::float2 w2_23 = _e4352 * ff_7;
        kq.inner[at7_ + 4u] = static_cast<half>(w2_23.x);
        kq.inner[at7_ + 5u] = static_cast<half>(w2_23.y);
        uint _e4367 = kx7_.w;
        metal::float2 _e4368 = f2_(_e4367);
        metal::float2 w3_23 = _e4368 * ff_7;
        kq.inner[at7_ + 6u] = static_cast<half>(w3_23.x);
        kq.inner[at7_ + 7u] = static_cast<half>(w3_23.y);
    }
    {
        uint u_3 = metal::min(0u + sg, 5u);
        uint ti_5 = (u_3 < 3u) ? 0u : ((u_3 < 5u) ? 1u : 2u);
        uint tj_5 = (u_3 < 3u) ? (u_3 + 1u) : ((u_3 < 5u) ? (u_3 - 1u) : 3u);
        simdgroup_store(metal::simdgroup_half16x16 {}, &kq.inner[(THO + ((16u * ti_5) * TS)) + (16u * tj_5)], TS);
        simdgroup_store(metal::simdgroup_half16x16 {}, &ws[((base + OFF_P) + ((16u * ti_5) * CH)) + (16u * tj_5)], CH);
    }
    {
        uint u_4 = metal::min(4u + sg, 5u);
        uint ti_6 = (u_4 < 3u) ? 0u : ((u_4 < 5u) ? 1u : 2u);
        uint tj_6 = (u_4 < 3u) ? (u_4 + 1u) : ((u_4 < 5u) ? (u_4 - 1u) : 3u);
        simdgroup_store(metal::simdgroup_half16x16 {}, &kq.inner[(THO + ((16u * ti_6) * TS)) + (16u * tj_6)], TS);
        simdgroup_store(metal::simdgroup_half16x16 {}, &ws[((base + OFF_P) + ((16u * ti_6) * CH)) + (16u * tj_6)], CH);
    }
    metal::simdgroup_float16x16 _e4482 = job0_;
    simdgroup_store(_e4482, &scr.inner[sg * 256u], 16u);
    metal::threadgroup_barrier(metal::mem_flags::mem_threadgroup);
    {
        uint x_11 = (sg * 5u) + 0u;
        uint yj_5 = naga_mod(x_11, 10u);
        uint ti_7 = (JOB_I >> (2u * yj_5)) & 3u;
        uint tj_7 = (JOB_J >> (2u * yj_5)) & 3u;
        if (x_11 >= 10u) {
            uint r = naga_div(lane, 2u);
            uint c0_ = 8u * naga_mod(lane, 2u);
            uint i_4 = (16u * ti_7) + r;
            {
                uint jj = ((16u * tj_7) + c0_) + 0u;
                float _e4535 = scr.inner[(((sg * 256u) + (16u * r)) + c0_) + 0u];
                float _e4546 = scr.inner[(((sg * 256u) + (16u * r)) + c0_) + 1u];
                metal::float2 s = metal::float2(_e4535, _e4546);
                float _e4550 = g_s.inner[i_4];
                float _e4554 = g_s.inner[jj];
                float _e4559 = g_s.inner[jj + 1u];
                metal::float2 d = metal::exp(metal::float2(_e4550) - metal::float2(_e4554, _e4559));
                o.x = as_type<uint>(half2(metal::select(metal::float2(0.0), d * s, metal::bool2(jj <= i_4, (jj + 1u) <= i_4))));
            }
            {
                uint jj_1 = ((16u * tj_7) + c0_) + 2u;
                float _e4589 = scr.inner[(((sg * 256u) + (16u * r)) + c0_) + 2u];
                float _e4600 = scr.inner[(((sg * 256u) + (16u * r)) + c0_) + 3u];
                metal::float2 s_1 = metal::float2(_e4589, _e4600);
                float _e4604 = g_s.inner[i_4];
                float _e4608 = g_s.inner[jj_1];
                float _e4613 = g_s.inner[jj_1 + 1u];
                metal::float2 d_1 = metal::exp(metal::float2(_e4604) - metal::float2(_e4608, _e4613));
                o.y = as_type<uint>(half2(metal::select(metal::float2(0.0), d_1 * s_1, metal::bool2(jj_1 <= i_4, (jj_1 + 1u) <= i_4))));
            }
            {
                uint jj_2 = ((16u * tj_7) + c0_) + 4u;
                float _e4643 = scr.inner[(((sg * 256u) + (16u * r)) + c0_) + 4u];
                float _e4654 = scr.inner[(((sg * 256u) + (16u * r)) + c0_) + 5u];
                metal::float2 s_2 = metal::float2(_e4643, _e4654);
                float _e4658 = g_s.inner[i_4];
                float _e4662 = g_s.inner[jj_2];
                float _e4667 = g_s.inner[jj_2 + 1u];
                metal::float2 d_2 = metal::exp(metal::float2(_e4658) - metal::float2(_e4662, _e4667));
                o.z = as_type<uint>(half2(metal::select(metal::float2(0.0), d_2 * s_2, metal::bool2(jj_2 <= i_4, (jj_2 + 1u) <= i_4))));
            }
            {
                uint jj_3 = ((16u * tj_7) + c0_) + 6u;
                float _e4697 = scr.inner[(((sg * 256u) + (16u * r)) + c0_) + 6u];
                float _e4708 = scr.inner[(((sg * 256u) + (16u * r)) + c0_) + 7u];
                metal::float2 s_3 = metal::float2(_e4697, _e4708);
                float _e4712 = g_s.inner[i_4];
                float _e4716 = g_s.inner[jj_3];
                float _e4721 = g_s.inner[jj_3 + 1u];
                metal::float2 d_3 = metal::exp(metal::float2(_e4712) - metal::float2(_e4716, _e4721));
                o.w = as_type<uint>(half2(metal::select(metal::float2(0.0), d_3 * s_3, metal::bool2(jj_3 <= i_4, (jj_3 + 1u) <= i_4))));
            }
            metal::uint4 _e4749 = o;
            ws4_[naga_div((((base + OFF_P) + (i_4 * CH)) + (16u * tj_7)) + c0_, 8u)] = _e4749;
        } else {
            uint jj_4 = (16u * tj_7) + naga_mod(lane, 16u);
            float gj = g_s.inner[jj_4];
            {
                uint e_1 = lane + 0u;
                uint r_1 = naga_div(e_1, 16u);
                uint i_5 = (16u * ti_7) + r_1;
                float _e4769 = bb_s.inner[i_5];
                float _e4772 = g_s.inner[i_5];
                float _e4781 = scr.inner[(sg * 256u) + e_1];
                float a_1 = (jj_4 < i_5) ? ((_e4769 * metal::exp(_e4772 - gj)) * _e4781) : 0.0;
                if (ti_7 == tj_7) {
                    adiag.inner[(ti_7 * 256u) + e_1] = a_1;
                } else {
                    kq.inner[(AHO + (i_5 * TS)) + jj_4] = static_cast<half>(a_1);
                }
            }
            {
                uint e_2 = lane + 32u;
                uint r_2 = naga_div(e_2, 16u);
                uint i_6 = (16u * ti_7) + r_2;
                float _e4811 = bb_s.inner[i_6];
                float _e4814 = g_s.inner[i_6];
                float _e4823 = scr.inner[(sg * 256u) + e_2];
                float a_2 = (jj_4 < i_6) ? ((_e4811 * metal::exp(_e4814 - gj)) * _e4823) : 0.0;
                if (ti_7 == tj_7) {
                    adiag.inner[(ti_7 * 256u) + e_2] = a_2;
                } else {
                    kq.inner[(AHO + (i_6 * TS)) + jj_4] = static_cast<half>(a_2);
                }
            }
            {
                uint e_3 = lane + 64u;
                uint r_3 = naga_div(e_3, 16u);
                uint i_7 = (16u * ti_7) + r_3;
                float _e4853 = bb_s.inner[i_7];
                float _e4856 = g_s.inner[i_7];
                float _e4865 = scr.inner[(sg * 256u) + e_3];
                float a_3 = (jj_4 < i_7) ? ((_e4853 * metal::exp(_e4856 - gj)) * _e4865) : 0.0;
                if (ti_7 == tj_7) {
                    adiag.inner[(ti_7 * 256u) + e_3] = a_3;
                } else {
                    kq.inner[(AHO + (i_7 * TS)) + jj_4] = static_cast<half>(a_3);
                }
            }
            {
                uint e_4 = lane + 96u;
                uint r_4 = naga_div(e_4, 16u);
                uint i_8 = (16u * ti_7) + r_4;
                float _e4895 = bb_s.inner[i_8];
                float _e4898 = g_s.inner[i_8];
                float _e4907 = scr.inner[(sg * 256u) + e_4];
                float a_4 = (jj_4 < i_8) ? ((_e4895 * metal::exp(_e4898 - gj)) * _e4907) : 0.0;
                if (ti_7 == tj_7) {
                    adiag.inner[(ti_7 * 256u) + e_4] = a_4;
                } else {
                    kq.inner[(AHO + (i_8 * TS)) + jj_4] = static_cast<half>(a_4);
                }
            }
            {
                uint e_5 = lane + 128u;
                uint r_5 = naga_div(e_5, 16u);
                uint i_9 = (16u * ti_7) + r_5;
                float _e4937 = bb_s.inner[i_9];
                float _e4940 = g_s.inner[i_9];
                float _e4949 = scr.inner[(sg * 256u) + e_5];
                float a_5 = (jj_4 < i_9) ? ((_e4937 * metal::exp(_e4940 - gj)) * _e4949) : 0.0;
                if (ti_7 == tj_7) {
                    adiag.inner[(ti_7 * 256u) + e_5] = a_5;
                } else {
                    kq.inner[(AHO + (i_9 * TS)) + jj_4] = static_cast<half>(a_5);
                }
            }
            {
                uint e_6 = lane + 160u;
                uint r_6 = naga_div(e_6, 16u);
                uint i_10 = (16u * ti_7) + r_6;
                float _e4979 = bb_s.inner[i_10];
                float _e4982 = g_s.inner[i_10];
                float _e4991 = scr.inner[(sg * 256u) + e_6];
                float a_6 = (jj_4 < i_10) ? ((_e4979 * metal::exp(_e4982 - gj)) * _e4991) : 0.0;
                if (ti_7 == tj_7) {
                    adiag.inner[(ti_7 * 256u) + e_6] = a_6;
                } else {
                    kq.inner[(AHO + (i_10 * TS)) + jj_4] = static_cast<half>(a_6);
                }
            }
            {
                uint e_7 = lane + 192u;
                uint r_7 = naga_div(e_7, 16u);
                uint i_11 = (16u * ti_7) + r_7;
                float _e5021 = bb_s.inner[i_11];
                float _e5024 = g_s.inner[i_11];
                float _e5033 = scr.inner[(sg * 256u) + e_7];
                float a_7 = (jj_4 < i_11) ? ((_e5021 * metal::exp(_e5024 - gj)) * _e5033) : 0.0;
                if (ti_7 == tj_7) {
                    adiag.inner[(ti_7 * 256u) + e_7] = a_7;
                } else {
                    kq.inner[(AHO + (i_11 * TS)) + jj_4] = static_cast<half>(a_7);
                }
            }
            {
                uint e_8 = lane + 224u;
                uint r_8 = naga_div(e_8, 16u);
                uint i_12 = (16u * ti_7) + r_8;
                float _e5063 = bb_s.inner[i_12];
                float _e5066 = g_s.inner[i_12];
                float _e5075 = scr.inner[(sg * 256u) + e_8];
                float a_8 = (jj_4 < i_12) ? ((_e5063 * metal::exp(_e5066 - gj)) * _e5075) : 0.0;
                if (ti_7 == tj_7) {
                    adiag.inner[(ti_7 * 256u) + e_8] = a_8;
                } else {
                    kq.inner[(AHO + (i_12 * TS)) + jj_4] = static_cast<half>(a_8);
                }
            }
        }
    }
    metal::threadgroup_barrier(metal::mem_flags::mem_threadgroup);
    metal::simdgroup_float16x16 _e5094 = job1_;
    simdgroup_store(_e5094, &scr.inner[sg * 256u], 16u);
    metal::threadgroup_barrier(metal::mem_flags::mem_threadgroup);
    {
        uint x_12 = (sg * 5u) + 1u;
        uint yj_6 = naga_mod(x_12, 10u);
        uint ti_8 = (JOB_I >> (2u * yj_6)) & 3u;
        uint tj_8 = (JOB_J >> (2u * yj_6)) & 3u;
        if (x_12 >= 10u) {
            uint r_9 = naga_div(lane, 2u);
            uint c0_1 = 8u * naga_mod(lane, 2u);
            uint i_13 = (16u * ti_8) + r_9;
            {
                uint jj_5 = ((16u * tj_8) + c0_1) + 0u;
                float _e5147 = scr.inner[(((sg * 256u) + (16u * r_9)) + c0_1) + 0u];
                float _e5158 = scr.inner[(((sg * 256u) + (16u * r_9)) + c0_1) + 1u];
                metal::float2 s_4 = metal::float2(_e5147, _e5158);
                float _e5162 = g_s.inner[i_13];
                float _e5166 = g_s.inner[jj_5];
                float _e5171 = g_s.inner[jj_5 + 1u];
                metal::float2 d_4 = metal::exp(metal::float2(_e5162) - metal::float2(_e5166, _e5171));
                o_1.x = as_type<uint>(half2(metal::select(metal::float2(0.0), d_4 * s_4, metal::bool2(jj_5 <= i_13, (jj_5 + 1u) <= i_13))));
            }
            {
                uint jj_6 = ((16u * tj_8) + c0_1) + 2u;
                float _e5201 = scr.inner[(((sg * 256u) + (16u * r_9)) + c0_1) + 2u];
                float _e5212 = scr.inner[(((sg * 256u) + (16u * r_9)) + c0_1) + 3u];
                metal::float2 s_5 = metal::float2(_e5201, _e5212);
                float _e5216 = g_s.inner[i_13];
                float _e5220 = g_s.inner[jj_6];
                float _e5225 = g_s.inner[jj_6 + 1u];
                metal::float2 d_5 = metal::exp(metal::float2(_e5216) - metal::float2(_e5220, _e5225));
                o_1.y = as_type<uint>(half2(metal::select(metal::float2(0.0), d_5 * s_5, metal::bool2(jj_6 <= i_13, (jj_6 + 1u) <= i_13))));
            }
            {
                uint jj_7 = ((16u * tj_8) + c0_1) + 4u;
                float _e5255 = scr.inner[(((sg * 256u) + (16u * r_9)) + c0_1) + 4u];
                float _e5266 = scr.inner[(((sg * 256u) + (16u * r_9)) + c0_1) + 5u];
                metal::float2 s_6 = metal::float2(_e5255, _e5266);
                float _e5270 = g_s.inner[i_13];
                float _e5274 = g_s.inner[jj_7];
                float _e5279 = g_s.inner[jj_7 + 1u];
                metal::float2 d_6 = metal::exp(metal::float2(_e5270) - metal::float2(_e5274, _e5279));
                o_1.z = as_type<uint>(half2(metal::select(metal::float2(0.0), d_6 * s_6, metal::bool2(jj_7 <= i_13, (jj_7 + 1u) <= i_13))));
            }
            {
                uint jj_8 = ((16u * tj_8) + c0_1) + 6u;
                float _e5309 = scr.inner[(((sg * 256u) + (16u * r_9)) + c0_1) + 6u];
                float _e5320 = scr.inner[(((sg * 256u) + (16u * r_9)) + c0_1) + 7u];
                metal::float2 s_7 = metal::float2(_e5309, _e5320);
                float _e5324 = g_s.inner[i_13];
                float _e5328 = g_s.inner[jj_8];
                float _e5333 = g_s.inner[jj_8 + 1u];
                metal::float2 d_7 = metal::exp(metal::float2(_e5324) - metal::float2(_e5328, _e5333));
                o_1.w = as_type<uint>(half2(metal::select(metal::float2(0.0), d_7 * s_7, metal::bool2(jj_8 <= i_13, (jj_8 + 1u) <= i_13))));
            }
            metal::uint4 _e5361 = o_1;
            ws4_[naga_div((((base + OFF_P) + (i_13 * CH)) + (16u * tj_8)) + c0_1, 8u)] = _e5361;
        } else {
            uint jj_9 = (16u * tj_8) + naga_mod(lane, 16u);
            float gj_1 = g_s.inner[jj_9];
            {
                uint e_9 = lane + 0u;
                uint r_10 = naga_div(e_9, 16u);
                uint i_14 = (16u * ti_8) + r_10;
                float _e5381 = bb_s.inner[i_14];
                float _e5384 = g_s.inner[i_14];
                float _e5393 = scr.inner[(sg * 256u) + e_9];
                float a_9 = (jj_9 < i_14) ? ((_e5381 * metal::exp(_e5384 - gj_1)) * _e5393) : 0.0;
                if (ti_8 == tj_8) {
                    adiag.inner[(ti_8 * 256u) + e_9] = a_9;
                } else {
                    kq.inner[(AHO + (i_14 * TS)) + jj_9] = static_cast<half>(a_9);
                }
            }
            {
                uint e_10 = lane + 32u;
                uint r_11 = naga_div(e_10, 16u);
                uint i_15 = (16u * ti_8) + r_11;
                float _e5423 = bb_s.inner[i_15];
                float _e5426 = g_s.inner[i_15];
                float _e5435 = scr.inner[(sg * 256u) + e_10];
                float a_10 = (jj_9 < i_15) ? ((_e5423 * metal::exp(_e5426 - gj_1)) * _e5435) : 0.0;
                if (ti_8 == tj_8) {
                    adiag.inner[(ti_8 * 256u) + e_10] = a_10;
                } else {
                    kq.inner[(AHO + (i_15 * TS)) + jj_9] = static_cast<half>(a_10);
                }
            }
            {
                uint e_11 = lane + 64u;
                uint r_12 = naga_div(e_11, 16u);
                uint i_16 = (16u * ti_8) + r_12;
                float _e5465 = bb_s.inner[i_16];
                float _e5468 = g_s.inner[i_16];
                float _e5477 = scr.inner[(sg * 256u) + e_11];
                float a_11 = (jj_9 < i_16) ? ((_e5465 * metal::exp(_e5468 - gj_1)) * _e5477) : 0.0;
                if (ti_8 == tj_8) {
                    adiag.inner[(ti_8 * 256u) + e_11] = a_11;
                } else {
                    kq.inner[(AHO + (i_16 * TS)) + jj_9] = static_cast<half>(a_11);
                }
            }
            {
                uint e_12 = lane + 96u;
                uint r_13 = naga_div(e_12, 16u);
                uint i_17 = (16u * ti_8) + r_13;
                float _e5507 = bb_s.inner[i_17];
                float _e5510 = g_s.inner[i_17];
                float _e5519 = scr.inner[(sg * 256u) + e_12];
                float a_12 = (jj_9 < i_17) ? ((_e5507 * metal::exp(_e5510 - gj_1)) * _e5519) : 0.0;
                if (ti_8 == tj_8) {
                    adiag.inner[(ti_8 * 256u) + e_12] = a_12;
                } else {
                    kq.inner[(AHO + (i_17 * TS)) + jj_9] = static_cast<half>(a_12);
                }
            }
            {
                uint e_13 = lane + 128u;
                uint r_14 = naga_div(e_13, 16u);
                uint i_18 = (16u * ti_8) + r_14;
                float _e5549 = bb_s.inner[i_18];
                float _e5552 = g_s.inner[i_18];
                float _e5561 = scr.inner[(sg * 256u) + e_13];
                float a_13 = (jj_9 < i_18) ? ((_e5549 * metal::exp(_e5552 - gj_1)) * _e5561) : 0.0;
                if (ti_8 == tj_8) {
                    adiag.inner[(ti_8 * 256u) + e_13] = a_13;
                } else {
                    kq.inner[(AHO + (i_18 * TS)) + jj_9] = static_cast<half>(a_13);
                }
            }
            {
                uint e_14 = lane + 160u;
                uint r_15 = naga_div(e_14, 16u);
                uint i_19 = (16u * ti_8) + r_15;
                float _e5591 = bb_s.inner[i_19];
                float _e5594 = g_s.inner[i_19];
                float _e5603 = scr.inner[(sg * 256u) + e_14];
                float a_14 = (jj_9 < i_19) ? ((_e5591 * metal::exp(_e5594 - gj_1)) * _e5603) : 0.0;
                if (ti_8 == tj_8) {
                    adiag.inner[(ti_8 * 256u) + e_14] = a_14;
                } else {
                    kq.inner[(AHO + (i_19 * TS)) + jj_9] = static_cast<half>(a_14);
                }
            }
            {
                uint e_15 = lane + 192u;
                uint r_16 = naga_div(e_15, 16u);
                uint i_20 = (16u * ti_8) + r_16;
                float _e5633 = bb_s.inner[i_20];
                float _e5636 = g_s.inner[i_20];
                float _e5645 = scr.inner[(sg * 256u) + e_15];
                float a_15 = (jj_9 < i_20) ? ((_e5633 * metal::exp(_e5636 - gj_1)) * _e5645) : 0.0;
                if (ti_8 == tj_8) {
                    adiag.inner[(ti_8 * 256u) + e_15] = a_15;
                } else {
                    kq.inner[(AHO + (i_20 * TS)) + jj_9] = static_cast<half>(a_15);
                }
            }
            {
                uint e_16 = lane + 224u;
                uint r_17 = naga_div(e_16, 16u);
                uint i_21 = (16u * ti_8) + r_17;
                float _e5675 = bb_s.inner[i_21];
                float _e5678 = g_s.inner[i_21];
                float _e5687 = scr.inner[(sg * 256u) + e_16];
                float a_16 = (jj_9 < i_21) ? ((_e5675 * metal::exp(_e5678 - gj_1)) * _e5687) : 0.0;
                if (ti_8 == tj_8) {
                    adiag.inner[(ti_8 * 256u) + e_16] = a_16;
                } else {
                    kq.inner[(AHO + (i_21 * TS)) + jj_9] = static_cast<half>(a_16);
                }
            }
        }
    }
    metal::threadgroup_barrier(metal::mem_flags::mem_threadgroup);
    metal::simdgroup_float16x16 _e5706 = job2_;
    simdgroup_store(_e5706, &scr.inner[sg * 256u], 16u);
    metal::threadgroup_barrier(metal::mem_flags::mem_threadgroup);
    {
        uint x_13 = (sg * 5u) + 2u;
        uint yj_7 = naga_mod(x_13, 10u);
        uint ti_9 = (JOB_I >> (2u * yj_7)) & 3u;
        uint tj_9 = (JOB_J >> (2u * yj_7)) & 3u;
        if (x_13 >= 10u) {
            uint r_18 = naga_div(lane, 2u);
            uint c0_2 = 8u * naga_mod(lane, 2u);
            uint i_22 = (16u * ti_9) + r_18;
            {
                uint jj_10 = ((16u * tj_9) + c0_2) + 0u;
                float _e5759 = scr.inner[(((sg * 256u) + (16u * r_18)) + c0_2) + 0u];
                float _e5770 = scr.inner[(((sg * 256u) + (16u * r_18)) + c0_2) + 1u];
                metal::float2 s_8 = metal::float2(_e5759, _e5770);
                float _e5774 = g_s.inner[i_22];
                float _e5778 = g_s.inner[jj_10];
                float _e5783 = g_s.inner[jj_10 + 1u];
                metal::float2 d_8 = metal::exp(metal::float2(_e5774) - metal::float2(_e5778, _e5783));
                o_2.x = as_type<uint>(half2(metal::select(metal::float2(0.0), d_8 * s_8, metal::bool2(jj_10 <= i_22, (jj_10 + 1u) <= i_22))));
            }
            {
                uint jj_11 = ((16u * tj_9) + c0_2) + 2u;
                float _e5813 = scr.inner[(((sg * 256u) + (16u * r_18)) + c0_2) + 2u];
                float _e5824 = scr.inner[(((sg * 256u) + (16u * r_18)) + c0_2) + 3u];
                metal::float2 s_9 = metal::float2(_e5813, _e5824);
                float _e5828 = g_s.inner[i_22];
                float _e5832 = g_s.inner[jj_11];
                float _e5837 = g_s.inner[jj_11 + 1u];
                metal::float2 d_9 = metal::exp(metal::float2(_e5828) - metal::float2(_e5832, _e5837));
                o_2.y = as_type<uint>(half2(metal::select(metal::float2(0.0), d_9 * s_9, metal::bool2(jj_11 <= i_22, (jj_11 + 1u) <= i_22))));
            }
            {
                uint jj_12 = ((16u * tj_9) + c0_2) + 4u;
                float _e5867 = scr.inner[(((sg * 256u) + (16u * r_18)) + c0_2) + 4u];
                float _e5878 = scr.inner[(((sg * 256u) + (16u * r_18)) + c0_2) + 5u];
                metal::float2 s_10 = metal::float2(_e5867, _e5878);
                float _e5882 = g_s.inner[i_22];
                float _e5886 = g_s.inner[jj_12];
                float _e5891 = g_s.inner[jj_12 + 1u];
                metal::float2 d_10 = metal::exp(metal::float2(_e5882) - metal::float2(_e5886, _e5891));
                o_2.z = as_type<uint>(half2(metal::select(metal::float2(0.0), d_10 * s_10, metal::bool2(jj_12 <= i_22, (jj_12 + 1u) <= i_22))));
            }
            {
                uint jj_13 = ((16u * tj_9) + c0_2) + 6u;
                float _e5921 = scr.inner[(((sg * 256u) + (16u * r_18)) + c0_2) + 6u];
                float _e5932 = scr.inner[(((sg * 256u) + (16u * r_18)) + c0_2) + 7u];
                metal::float2 s_11 = metal::float2(_e5921, _e5932);
                float _e5936 = g_s.inner[i_22];
                float _e5940 = g_s.inner[jj_13];
                float _e5945 = g_s.inner[jj_13 + 1u];
                metal::float2 d_11 = metal::exp(metal::float2(_e5936) - metal::float2(_e5940, _e5945));
                o_2.w = as_type<uint>(half2(metal::select(metal::float2(0.0), d_11 * s_11, metal::bool2(jj_13 <= i_22, (jj_13 + 1u) <= i_22))));
            }
            metal::uint4 _e5973 = o_2;
            ws4_[naga_div((((base + OFF_P) + (i_22 * CH)) + (16u * tj_9)) + c0_2, 8u)] = _e5973;
        } else {
            uint jj_14 = (16u * tj_9) + naga_mod(lane, 16u);
            float gj_2 = g_s.inner[jj_14];
            {
                uint e_17 = lane + 0u;
                uint r_19 = naga_div(e_17, 16u);
                uint i_23 = (16u * ti_9) + r_19;
                float _e5993 = bb_s.inner[i_23];
                float _e5996 = g_s.inner[i_23];
                float _e6005 = scr.inner[(sg * 256u) + e_17];
                float a_17 = (jj_14 < i_23) ? ((_e5993 * metal::exp(_e5996 - gj_2)) * _e6005) : 0.0;
                if (ti_9 == tj_9) {
                    adiag.inner[(ti_9 * 256u) + e_17] = a_17;
                } else {
                    kq.inner[(AHO + (i_23 * TS)) + jj_14] = static_cast<half>(a_17);
                }
            }
            {
                uint e_18 = lane + 32u;
                uint r_20 = naga_div(e_18, 16u);
                uint i_24 = (16u * ti_9) + r_20;
                float _e6035 = bb_s.inner[i_24];
                float _e6038 = g_s.inner[i_24];
                float _e6047 = scr.inner[(sg * 256u) + e_18];
                float a_18 = (jj_14 < i_24) ? ((_e6035 * metal::exp(_e6038 - gj_2)) * _e6047) : 0.0;
                if (ti_9 == tj_9) {
                    adiag.inner[(ti_9 * 256u) + e_18] = a_18;
                } else {
                    kq.inner[(AHO + (i_24 * TS)) + jj_14] = static_cast<half>(a_18);
                }
            }
            {
                uint e_19 = lane + 64u;
                uint r_21 = naga_div(e_19, 16u);
                uint i_25 = (16u * ti_9) + r_21;
                float _e6077 = bb_s.inner[i_25];
                float _e6080 = g_s.inner[i_25];
                float _e6089 = scr.inner[(sg * 256u) + e_19];
                float a_19 = (jj_14 < i_25) ? ((_e6077 * metal::exp(_e6080 - gj_2)) * _e6089) : 0.0;
                if (ti_9 == tj_9) {
                    adiag.inner[(ti_9 * 256u) + e_19] = a_19;
                } else {
                    kq.inner[(AHO + (i_25 * TS)) + jj_14] = static_cast<half>(a_19);
                }
            }
            {
                uint e_20 = lane + 96u;
                uint r_22 = naga_div(e_20, 16u);
                uint i_26 = (16u * ti_9) + r_22;
                float _e6119 = bb_s.inner[i_26];
                float _e6122 = g_s.inner[i_26];
                float _e6131 = scr.inner[(sg * 256u) + e_20];
                float a_20 = (jj_14 < i_26) ? ((_e6119 * metal::exp(_e6122 - gj_2)) * _e6131) : 0.0;
                if (ti_9 == tj_9) {
                    adiag.inner[(ti_9 * 256u) + e_20] = a_20;
                } else {
                    kq.inner[(AHO + (i_26 * TS)) + jj_14] = static_cast<half>(a_20);
                }
            }
            {
                uint e_21 = lane + 128u;
                uint r_23 = naga_div(e_21, 16u);
                uint i_27 = (16u * ti_9) + r_23;
                float _e6161 = bb_s.inner[i_27];
                float _e6164 = g_s.inner[i_27];
                float _e6173 = scr.inner[(sg * 256u) + e_21];
                float a_21 = (jj_14 < i_27) ? ((_e6161 * metal::exp(_e6164 - gj_2)) * _e6173) : 0.0;
                if (ti_9 == tj_9) {
                    adiag.inner[(ti_9 * 256u) + e_21] = a_21;
                } else {
                    kq.inner[(AHO + (i_27 * TS)) + jj_14] = static_cast<half>(a_21);
                }
            }
            {
                uint e_22 = lane + 160u;
                uint r_24 = naga_div(e_22, 16u);
                uint i_28 = (16u * ti_9) + r_24;
                float _e6203 = bb_s.inner[i_28];
                float _e6206 = g_s.inner[i_28];
                float _e6215 = scr.inner[(sg * 256u) + e_22];
                float a_22 = (jj_14 < i_28) ? ((_e6203 * metal::exp(_e6206 - gj_2)) * _e6215) : 0.0;
                if (ti_9 == tj_9) {
                    adiag.inner[(ti_9 * 256u) + e_22] = a_22;
                } else {
                    kq.inner[(AHO + (i_28 * TS)) + jj_14] = static_cast<half>(a_22);
                }
            }
            {
                uint e_23 = lane + 192u;
                uint r_25 = naga_div(e_23, 16u);
                uint i_29 = (16u * ti_9) + r_25;
                float _e6245 = bb_s.inner[i_29];
                float _e6248 = g_s.inner[i_29];
                float _e6257 = scr.inner[(sg * 256u) + e_23];
                float a_23 = (jj_14 < i_29) ? ((_e6245 * metal::exp(_e6248 - gj_2)) * _e6257) : 0.0;
                if (ti_9 == tj_9) {
                    adiag.inner[(ti_9 * 256u) + e_23] = a_23;
                } else {
                    kq.inner[(AHO + (i_29 * TS)) + jj_14] = static_cast<half>(a_23);
                }
            }
            {
                uint e_24 = lane + 224u;
                uint r_26 = naga_div(e_24, 16u);
                uint i_30 = (16u * ti_9) + r_26;
                float _e6287 = bb_s.inner[i_30];
                float _e6290 = g_s.inner[i_30];
                float _e6299 = scr.inner[(sg * 256u) + e_24];
                float a_24 = (jj_14 < i_30) ? ((_e6287 * metal::exp(_e6290 - gj_2)) * _e6299) : 0.0;
                if (ti_9 == tj_9) {
                    adiag.inner[(ti_9 * 256u) + e_24] = a_24;
                } else {
                    kq.inner[(AHO + (i_30 * TS)) + jj_14] = static_cast<half>(a_24);
                }
            }
        }
    }
    metal::threadgroup_barrier(metal::mem_flags::mem_threadgroup);
    metal::simdgroup_float16x16 _e6318 = job3_;
    simdgroup_store(_e6318, &scr.inner[sg * 256u], 16u);
    metal::threadgroup_barrier(metal::mem_flags::mem_threadgroup);
    {
        uint x_14 = (sg * 5u) + 3u;
        uint yj_8 = naga_mod(x_14, 10u);
        uint ti_10 = (JOB_I >> (2u * yj_8)) & 3u;
        uint tj_10 = (JOB_J >> (2u * yj_8)) & 3u;
        if (x_14 >= 10u) {
            uint r_27 = naga_div(lane, 2u);
            uint c0_3 = 8u * naga_mod(lane, 2u);
            uint i_31 = (16u * ti_10) + r_27;
            {
                uint jj_15 = ((16u * tj_10) + c0_3) + 0u;
                float _e6371 = scr.inner[(((sg * 256u) + (16u * r_27)) + c0_3) + 0u];
                float _e6382 = scr.inner[(((sg * 256u) + (16u * r_27)) + c0_3) + 1u];
                metal::float2 s_12 = metal::float2(_e6371, _e6382);
                float _e6386 = g_s.inner[i_31];
                float _e6390 = g_s.inner[jj_15];
                float _e6395 = g_s.inner[jj_15 + 1u];
                metal::float2 d_12 = metal::exp(metal::float2(_e6386) - metal::float2(_e6390, _e6395));
                o_3.x = as_type<uint>(half2(metal::select(metal::float2(0.0), d_12 * s_12, metal::bool2(jj_15 <= i_31, (jj_15 + 1u) <= i_31))));
            }
            {
                uint jj_16 = ((16u * tj_10) + c0_3) + 2u;
                float _e6425 = scr.inner[(((sg * 256u) + (16u * r_27)) + c0_3) + 2u];
                float _e6436 = scr.inner[(((sg * 256u) + (16u * r_27)) + c0_3) + 3u];
                metal::float2 s_13 = metal::float2(_e6425, _e6436);
                float _e6440 = g_s.inner[i_31];
                float _e6444 = g_s.inner[jj_16];
                float _e6449 = g_s.inner[jj_16 + 1u];
                metal::float2 d_13 = metal::exp(metal::float2(_e6440) - metal::float2(_e6444, _e6449));
                o_3.y = as_type<uint>(half2(metal::select(metal::float2(0.0), d_13 * s_13, metal::bool2(jj_16 <= i_31, (jj_16 + 1u) <= i_31))));
            }
            {
                uint jj_17 = ((16u * tj_10) + c0_3) + 4u;
                float _e6479 = scr.inner[(((sg * 256u) + (16u * r_27)) + c0_3) + 4u];
                float _e6490 = scr.inner[(((sg * 256u) + (16u * r_27)) + c0_3) + 5u];
                metal::float2 s_14 = metal::float2(_e6479, _e6490);
                float _e6494 = g_s.inner[i_31];
                float _e6498 = g_s.inner[jj_17];
                float _e6503 = g_s.inner[jj_17 + 1u];
                metal::float2 d_14 = metal::exp(metal::float2(_e6494) - metal::float2(_e6498, _e6503));
                o_3.z = as_type<uint>(half2(metal::select(metal::float2(0.0), d_14 * s_14, metal::bool2(jj_17 <= i_31, (jj_17 + 1u) <= i_31))));
            }
            {
                uint jj_18 = ((16u * tj_10) + c0_3) + 6u;
                float _e6533 = scr.inner[(((sg * 256u) + (16u * r_27)) + c0_3) + 6u];
                float _e6544 = scr.inner[(((sg * 256u) + (16u * r_27)) + c0_3) + 7u];
                metal::float2 s_15 = metal::float2(_e6533, _e6544);
                float _e6548 = g_s.inner[i_31];
                float _e6552 = g_s.inner[jj_18];
                float _e6557 = g_s.inner[jj_18 + 1u];
                metal::float2 d_15 = metal::exp(metal::float2(_e6548) - metal::float2(_e6552, _e6557));
                o_3.w = as_type<uint>(half2(metal::select(metal::float2(0.0), d_15 * s_15, metal::bool2(jj_18 <= i_31, (jj_18 + 1u) <= i_31))));
            }
            metal::uint4 _e6585 = o_3;
            ws4_[naga_div((((base + OFF_P) + (i_31 * CH)) + (16u * tj_10)) + c0_3, 8u)] = _e6585;
        } else {
            uint jj_19 = (16u * tj_10) + naga_mod(lane, 16u);
            float gj_3 = g_s.inner[jj_19];
            {
                uint e_25 = lane + 0u;
                uint r_28 = naga_div(e_25, 16u);
                uint i_32 = (16u * ti_10) + r_28;
                float _e6605 = bb_s.inner[i_32];
                float _e6608 = g_s.inner[i_32];
                float _e6617 = scr.inner[(sg * 256u) + e_25];
                float a_25 = (jj_19 < i_32) ? ((_e6605 * metal::exp(_e6608 - gj_3)) * _e6617) : 0.0;
                if (ti_10 == tj_10) {
                    adiag.inner[(ti_10 * 256u) + e_25] = a_25;
                } else {
                    kq.inner[(AHO + (i_32 * TS)) + jj_19] = static_cast<half>(a_25);
                }
            }
            {
                uint e_26 = lane + 32u;
                uint r_29 = naga_div(e_26, 16u);
                uint i_33 = (16u * ti_10) + r_29;
                float _e6647 = bb_s.inner[i_33];
                float _e6650 = g_s.inner[i_33];
                float _e6659 = scr.inner[(sg * 256u) + e_26];
                float a_26 = (jj_19 < i_33) ? ((_e6647 * metal::exp(_e6650 - gj_3)) * _e6659) : 0.0;
                if (ti_10 == tj_10) {
                    adiag.inner[(ti_10 * 256u) + e_26] = a_26;
                } else {
                    kq.inner[(AHO + (i_33 * TS)) + jj_19] = static_cast<half>(a_26);
                }
            }
            {
                uint e_27 = lane + 64u;
                uint r_30 = naga_div(e_27, 16u);
                uint i_34 = (16u * ti_10) + r_30;
                float _e6689 = bb_s.inner[i_34];
                float _e6692 = g_s.inner[i_34];
                float _e6701 = scr.inner[(sg * 256u) + e_27];
                float a_27 = (jj_19 < i_34) ? ((_e6689 * metal::exp(_e6692 - gj_3)) * _e6701) : 0.0;
                if (ti_10 == tj_10) {
                    adiag.inner[(ti_10 * 256u) + e_27] = a_27;
                } else {
                    kq.inner[(AHO + (i_34 * TS)) + jj_19] = static_cast<half>(a_27);
                }
            }
            {
                uint e_28 = lane + 96u;
                uint r_31 = naga_div(e_28, 16u);
                uint i_35 = (16u * ti_10) + r_31;
                float _e6731 = bb_s.inner[i_35];
                float _e6734 = g_s.inner[i_35];
                float _e6743 = scr.inner[(sg * 256u) + e_28];
                float a_28 = (jj_19 < i_35) ? ((_e6731 * metal::exp(_e6734 - gj_3)) * _e6743) : 0.0;
                if (ti_10 == tj_10) {
                    adiag.inner[(ti_10 * 256u) + e_28] = a_28;
                } else {
                    kq.inner[(AHO + (i_35 * TS)) + jj_19] = static_cast<half>(a_28);
                }
            }
            {
                uint e_29 = lane + 128u;
                uint r_32 = naga_div(e_29, 16u);
                uint i_36 = (16u * ti_10) + r_32;
                float _e6773 = bb_s.inner[i_36];
                float _e6776 = g_s.inner[i_36];
                float _e6785 = scr.inner[(sg * 256u) + e_29];
                float a_29 = (jj_19 < i_36) ? ((_e6773 * metal::exp(_e6776 - gj_3)) * _e6785) : 0.0;
                if (ti_10 == tj_10) {
                    adiag.inner[(ti_10 * 256u) + e_29] = a_29;
                } else {
                    kq.inner[(AHO + (i_36 * TS)) + jj_19] = static_cast<half>(a_29);
                }
            }
            {
                uint e_30 = lane + 160u;
                uint r_33 = naga_div(e_30, 16u);
                uint i_37 = (16u * ti_10) + r_33;
                float _e6815 = bb_s.inner[i_37];
                float _e6818 = g_s.inner[i_37];
                float _e6827 = scr.inner[(sg * 256u) + e_30];
                float a_30 = (jj_19 < i_37) ? ((_e6815 * metal::exp(_e6818 - gj_3)) * _e6827) : 0.0;
                if (ti_10 == tj_10) {
                    adiag.inner[(ti_10 * 256u) + e_30] = a_30;
                } else {
                    kq.inner[(AHO + (i_37 * TS)) + jj_19] = static_cast<half>(a_30);
                }
            }
            {
                uint e_31 = lane + 192u;
                uint r_34 = naga_div(e_31, 16u);
                uint i_38 = (16u * ti_10) + r_34;
                float _e6857 = bb_s.inner[i_38];
                float _e6860 = g_s.inner[i_38];
                float _e6869 = scr.inner[(sg * 256u) + e_31];
                float a_31 = (jj_19 < i_38) ? ((_e6857 * metal::exp(_e6860 - gj_3)) * _e6869) : 0.0;
                if (ti_10 == tj_10) {
                    adiag.inner[(ti_10 * 256u) + e_31] = a_31;
                } else {
                    kq.inner[(AHO + (i_38 * TS)) + jj_19] = static_cast<half>(a_31);
                }
            }
            {
                uint e_32 = lane + 224u;
                uint r_35 = naga_div(e_32, 16u);
                uint i_39 = (16u * ti_10) + r_35;
                float _e6899 = bb_s.inner[i_39];
                float _e6902 = g_s.inner[i_39];
                float _e6911 = scr.inner[(sg * 256u) + e_32];
                float a_32 = (jj_19 < i_39) ? ((_e6899 * metal::exp(_e6902 - gj_3)) * _e6911) : 0.0;
                if (ti_10 == tj_10) {
                    adiag.inner[(ti_10 * 256u) + e_32] = a_32;
                } else {
                    kq.inner[(AHO + (i_39 * TS)) + jj_19] = static_cast<half>(a_32);
                }
            }
        }
    }
    metal::threadgroup_barrier(metal::mem_flags::mem_threadgroup);
    metal::simdgroup_float16x16 _e6930 = job4_;
    simdgroup_store(_e6930, &scr.inner[sg * 256u], 16u);
    metal::threadgroup_barrier(metal::mem_flags::mem_threadgroup);
    {
        uint x_15 = (sg * 5u) + 4u;
        uint yj_9 = naga_mod(x_15, 10u);
        uint ti_11 = (JOB_I >> (2u * yj_9)) & 3u;
        uint tj_11 = (JOB_J >> (2u * yj_9)) & 3u;
        if (x_15 >= 10u) {
            uint r_36 = naga_div(lane, 2u);
            uint c0_4 = 8u * naga_mod(lane, 2u);
            uint i_40 = (16u * ti_11) + r_36;
            {
                uint jj_20 = ((16u * tj_11) + c0_4) + 0u;
                float _e6983 = scr.inner[(((sg * 256u) + (16u * r_36)) + c0_4) + 0u];
                float _e6994 = scr.inner[(((sg * 256u) + (16u * r_36)) + c0_4) + 1u];
                metal::float2 s_16 = metal::float2(_e6983, _e6994);
                float _e6998 = g_s.inner[i_40];
                float _e7002 = g_s.inner[jj_20];
                float _e7007 = g_s.inner[jj_20 + 1u];
                metal::float2 d_16 = metal::exp(metal::float2(_e6998) - metal::float2(_e7002, _e7007));
                o_4.x = as_type<uint>(half2(metal::select(metal::float2(0.0), d_16 * s_16, metal::bool2(jj_20 <= i_40, (jj_20 + 1u) <= i_40))));
            }
            {
                uint jj_21 = ((16u * tj_11) + c0_4) + 2u;
                float _e7037 = scr.inner[(((sg * 256u) + (16u * r_36)) + c0_4) + 2u];
                float _e7048 = scr.inner[(((sg * 256u) + (16u * r_36)) + c0_4) + 3u];
                metal::float2 s_17 = metal::float2(_e7037, _e7048);
                float _e7052 = g_s.inner[i_40];
                float _e7056 = g_s.inner[jj_21];
                float _e7061 = g_s.inner[jj_21 + 1u];
                metal::float2 d_17 = metal::exp(metal::float2(_e7052) - metal::float2(_e7056, _e7061));
                o_4.y = as_type<uint>(half2(metal::select(metal::float2(0.0), d_17 * s_17, metal::bool2(jj_21 <= i_40, (jj_21 + 1u) <= i_40))));
            }
            {
                uint jj_22 = ((16u * tj_11) + c0_4) + 4u;
                float _e7091 = scr.inner[(((sg * 256u) + (16u * r_36)) + c0_4) + 4u];
                float _e7102 = scr.inner[(((sg * 256u) + (16u * r_36)) + c0_4) + 5u];
                metal::float2 s_18 = metal::float2(_e7091, _e7102);
                float _e7106 = g_s.inner[i_40];
                float _e7110 = g_s.inner[jj_22];
                float _e7115 = g_s.inner[jj_22 + 1u];
                metal::float2 d_18 = metal::exp(metal::float2(_e7106) - metal::float2(_e7110, _e7115));
                o_4.z = as_type<uint>(half2(metal::select(metal::float2(0.0), d_18 * s_18, metal::bool2(jj_22 <= i_40, (jj_22 + 1u) <= i_40))));
            }
            {
                uint jj_23 = ((16u * tj_11) + c0_4) + 6u;
                float _e7145 = scr.inner[(((sg * 256u) + (16u * r_36)) + c0_4) + 6u];
                float _e7156 = scr.inner[(((sg * 256u) + (16u * r_36)) + c0_4) + 7u];
                metal::float2 s_19 = metal::float2(_e7145, _e7156);
                float _e7160 = g_s.inner[i_40];
                float _e7164 = g_s.inner[jj_23];
                float _e7169 = g_s.inner[jj_23 + 1u];
                metal::float2 d_19 = metal::exp(metal::float2(_e7160) - metal::float2(_e7164, _e7169));
                o_4.w = as_type<uint>(half2(metal::select(metal::float2(0.0), d_19 * s_19, metal::bool2(jj_23 <= i_40, (jj_23 + 1u) <= i_40))));
            }
            metal::uint4 _e7197 = o_4;
            ws4_[naga_div((((base + OFF_P) + (i_40 * CH)) + (16u * tj_11)) + c0_4, 8u)] = _e7197;
        } else {
            uint jj_24 = (16u * tj_11) + naga_mod(lane, 16u);
            float gj_4 = g_s.inner[jj_24];
            {
                uint e_33 = lane + 0u;
                uint r_37 = naga_div(e_33, 16u);
                uint i_41 = (16u * ti_11) + r_37;
                float _e7217 = bb_s.inner[i_41];
                float _e7220 = g_s.inner[i_41];
                float _e7229 = scr.inner[(sg * 256u) + e_33];
                float a_33 = (jj_24 < i_41) ? ((_e7217 * metal::exp(_e7220 - gj_4)) * _e7229) : 0.0;
                if (ti_11 == tj_11) {
                    adiag.inner[(ti_11 * 256u) + e_33] = a_33;
                } else {
                    kq.inner[(AHO + (i_41 * TS)) + jj_24] = static_cast<half>(a_33);
                }
            }
            {
                uint e_34 = lane + 32u;
                uint r_38 = naga_div(e_34, 16u);
                uint i_42 = (16u * ti_11) + r_38;
                float _e7259 = bb_s.inner[i_42];
                float _e7262 = g_s.inner[i_42];
                float _e7271 = scr.inner[(sg * 256u) + e_34];
                float a_34 = (jj_24 < i_42) ? ((_e7259 * metal::exp(_e7262 - gj_4)) * _e7271) : 0.0;
                if (ti_11 == tj_11) {
                    adiag.inner[(ti_11 * 256u) + e_34] = a_34;
                } else {
                    kq.inner[(AHO + (i_42 * TS)) + jj_24] = static_cast<half>(a_34);
                }
            }
            {
                uint e_35 = lane + 64u;
                uint r_39 = naga_div(e_35, 16u);
                uint i_43 = (16u * ti_11) + r_39;
                float _e7301 = bb_s.inner[i_43];
                float _e7304 = g_s.inner[i_43];
                float _e7313 = scr.inner[(sg * 256u) + e_35];
                float a_35 = (jj_24 < i_43) ? ((_e7301 * metal::exp(_e7304 - gj_4)) * _e7313) : 0.0;
                if (ti_11 == tj_11) {
                    adiag.inner[(ti_11 * 256u) + e_35] = a_35;
                } else {
                    kq.inner[(AHO + (i_43 * TS)) + jj_24] = static_cast<half>(a_35);
                }
            }
            {
                uint e_36 = lane + 96u;
                uint r_40 = naga_div(e_36, 16u);
                uint i_44 = (16u * ti_11) + r_40;
                float _e7343 = bb_s.inner[i_44];
                float _e7346 = g_s.inner[i_44];
                float _e7355 = scr.inner[(sg * 256u) + e_36];
                float a_36 = (jj_24 < i_44) ? ((_e7343 * metal::exp(_e7346 - gj_4)) * _e7355) : 0.0;
                if (ti_11 == tj_11) {
                    adiag.inner[(ti_11 * 256u) + e_36] = a_36;
                } else {
                    kq.inner[(AHO + (i_44 * TS)) + jj_24] = static_cast<half>(a_36);
                }
            }
            {
                uint e_37 = lane + 128u;
                uint r_41 = naga_div(e_37, 16u);
                uint i_45 = (16u * ti_11) + r_41;
                float _e7385 = bb_s.inner[i_45];
                float _e7388 = g_s.inner[i_45];
                float _e7397 = scr.inner[(sg * 256u) + e_37];
                float a_37 = (jj_24 < i_45) ? ((_e7385 * metal::exp(_e7388 - gj_4)) * _e7397) : 0.0;
                if (ti_11 == tj_11) {
                    adiag.inner[(ti_11 * 256u) + e_37] = a_37;
                } else {
                    kq.inner[(AHO + (i_45 * TS)) + jj_24] = static_cast<half>(a_37);
                }
            }
            {
                uint e_38 = lane + 160u;
                uint r_42 = naga_div(e_38, 16u);
                uint i_46 = (16u * ti_11) + r_42;
                float _e7427 = bb_s.inner[i_46];
                float _e7430 = g_s.inner[i_46];
                float _e7439 = scr.inner[(sg * 256u) + e_38];
                float a_38 = (jj_24 < i_46) ? ((_e7427 * metal::exp(_e7430 - gj_4)) * _e7439) : 0.0;
                if (ti_11 == tj_11) {
                    adiag.inner[(ti_11 * 256u) + e_38] = a_38;
                } else {
                    kq.inner[(AHO + (i_46 * TS)) + jj_24] = static_cast<half>(a_38);
                }
            }
            {
                uint e_39 = lane + 192u;
                uint r_43 = naga_div(e_39, 16u);
                uint i_47 = (16u * ti_11) + r_43;
                float _e7469 = bb_s.inner[i_47];
                float _e7472 = g_s.inner[i_47];
                float _e7481 = scr.inner[(sg * 256u) + e_39];
                float a_39 = (jj_24 < i_47) ? ((_e7469 * metal::exp(_e7472 - gj_4)) * _e7481) : 0.0;
                if (ti_11 == tj_11) {
                    adiag.inner[(ti_11 * 256u) + e_39] = a_39;
                } else {
                    kq.inner[(AHO + (i_47 * TS)) + jj_24] = static_cast<half>(a_39);
                }
            }
            {
                uint e_40 = lane + 224u;
                uint r_44 = naga_div(e_40, 16u);
                uint i_48 = (16u * ti_11) + r_44;
                float _e7511 = bb_s.inner[i_48];
                float _e7514 = g_s.inner[i_48];
                float _e7523 = scr.inner[(sg * 256u) + e_40];
                float a_40 = (jj_24 < i_48) ? ((_e7511 * metal::exp(_e7514 - gj_4)) * _e7523) : 0.0;
                if (ti_11 == tj_11) {
                    adiag.inner[(ti_11 * 256u) + e_40] = a_40;
                } else {
                    kq.inner[(AHO + (i_48 * TS)) + jj_24] = static_cast<half>(a_40);
                }
            }
        }
    }
    metal::threadgroup_barrier(metal::mem_flags::mem_threadgroup);
    if ((tid + 0u) < CH) {
        uint x_16 = tid + 0u;
        uint bi = naga_div(x_16, 16u);
        uint j_1 = x_16 - (16u * bi);
        uint ad = bi * 256u;
        float t0_ = (j_1 == 0u) ? 1.0 : 0.0;
        float _e7569 = adiag.inner[ad + 16u];
        float t1_ = (j_1 < 1u) ? -((_e7569 * t0_)) : ((j_1 == 1u) ? 1.0 : 0.0);
        float _e7584 = adiag.inner[ad + 32u];
        float _e7590 = adiag.inner[ad + 33u];
        float t2_ = (j_1 < 2u) ? -(((_e7584 * t0_) + (_e7590 * t1_))) : ((j_1 == 2u) ? 1.0 : 0.0);
        float _e7606 = adiag.inner[ad + 48u];
        float _e7612 = adiag.inner[ad + 49u];
        float _e7619 = adiag.inner[ad + 50u];
        float t3_ = (j_1 < 3u) ? -((((_e7606 * t0_) + (_e7612 * t1_)) + (_e7619 * t2_))) : ((j_1 == 3u) ? 1.0 : 0.0);
        float _e7635 = adiag.inner[ad + 64u];
        float _e7641 = adiag.inner[ad + 65u];
        float _e7648 = adiag.inner[ad + 66u];
        float _e7655 = adiag.inner[ad + 67u];
        float t4_ = (j_1 < 4u) ? -(((((_e7635 * t0_) + (_e7641 * t1_)) + (_e7648 * t2_)) + (_e7655 * t3_))) : ((j_1 == 4u) ? 1.0 : 0.0);
        float _e7671 = adiag.inner[ad + 80u];
        float _e7677 = adiag.inner[ad + 81u];
        float _e7684 = adiag.inner[ad + 82u];
        float _e7691 = adiag.inner[ad + 83u];
        float _e7698 = adiag.inner[ad + 84u];
        float t5_ = (j_1 < 5u) ? -((((((_e7671 * t0_) + (_e7677 * t1_)) + (_e7684 * t2_)) + (_e7691 * t3_)) + (_e7698 * t4_))) : ((j_1 == 5u) ? 1.0 : 0.0);
        float _e7714 = adiag.inner[ad + 96u];
        float _e7720 = adiag.inner[ad + 97u];
        float _e7727 = adiag.inner[ad + 98u];
        float _e7734 = adiag.inner[ad + 99u];
        float _e7741 = adiag.inner[ad + 100u];
        float _e7748 = adiag.inner[ad + 101u];
        float t6_ = (j_1 < 6u) ? -(((((((_e7714 * t0_) + (_e7720 * t1_)) + (_e7727 * t2_)) + (_e7734 * t3_)) + (_e7741 * t4_)) + (_e7748 * t5_))) : ((j_1 == 6u) ? 1.0 : 0.0);
        float _e7764 = adiag.inner[ad + 112u];
        float _e7770 = adiag.inner[ad + 113u];
        float _e7777 = adiag.inner[ad + 114u];
        float _e7784 = adiag.inner[ad + 115u];
        float _e7791 = adiag.inner[ad + 116u];
        float _e7798 = adiag.inner[ad + 117u];
        float _e7805 = adiag.inner[ad + 118u];
        float t7_ = (j_1 < 7u) ? -((((((((_e7764 * t0_) + (_e7770 * t1_)) + (_e7777 * t2_)) + (_e7784 * t3_)) + (_e7791 * t4_)) + (_e7798 * t5_)) + (_e7805 * t6_))) : ((j_1 == 7u) ? 1.0 : 0.0);
        float _e7821 = adiag.inner[ad + 128u];
        float _e7827 = adiag.inner[ad + 129u];
        float _e7834 = adiag.inner[ad + 130u];
        float _e7841 = adiag.inner[ad + 131u];
        float _e7848 = adiag.inner[ad + 132u];
        float _e7855 = adiag.inner[ad + 133u];
        float _e7862 = adiag.inner[ad + 134u];
        float _e7869 = adiag.inner[ad + 135u];
        float t8_ = (j_1 < 8u) ? -(((((((((_e7821 * t0_) + (_e7827 * t1_)) + (_e7834 * t2_)) + (_e7841 * t3_)) + (_e7848 * t4_)) + (_e7855 * t5_)) + (_e7862 * t6_)) + (_e7869 * t7_))) : ((j_1 == 8u) ? 1.0 : 0.0);
        float _e7885 = adiag.inner[ad + 144u];
        float _e7891 = adiag.inner[ad + 145u];
        float _e7898 = adiag.inner[ad + 146u];
        float _e7905 = adiag.inner[ad + 147u];
        float _e7912 = adiag.inner[ad + 148u];
        float _e7919 = adiag.inner[ad + 149u];
        float _e7926 = adiag.inner[ad + 150u];
        float _e7933 = adiag.inner[ad + 151u];
        float _e7940 = adiag.inner[ad + 152u];
        float t9_ = (j_1 < 9u) ? -((((((((((_e7885 * t0_) + (_e7891 * t1_)) + (_e7898 * t2_)) + (_e7905 * t3_)) + (_e7912 * t4_)) + (_e7919 * t5_)) + (_e7926 * t6_)) + (_e7933 * t7_)) + (_e7940 * t8_))) : ((j_1 == 9u) ? 1.0 : 0.0);
        float _e7956 = adiag.inner[ad + 160u];
        float _e7962 = adiag.inner[ad + 161u];
        float _e7969 = adiag.inner[ad + 162u];
        float _e7976 = adiag.inner[ad + 163u];
        float _e7983 = adiag.inner[ad + 164u];
        float _e7990 = adiag.inner[ad + 165u];
        float _e7997 = adiag.inner[ad + 166u];
        float _e8004 = adiag.inner[ad + 167u];
        float _e8011 = adiag.inner[ad + 168u];
        float _e8018 = adiag.inner[ad + 169u];
        float t10_ = (j_1 < 10u) ? -(((((((((((_e7956 * t0_) + (_e7962 * t1_)) + (_e7969 * t2_)) + (_e7976 * t3_)) + (_e7983 * t4_)) + (_e7990 * t5_)) + (_e7997 * t6_)) + (_e8004 * t7_)) + (_e8011 * t8_)) + (_e8018 * t9_))) : ((j_1 == 10u) ? 1.0 : 0.0);
        float _e8034 = adiag.inner[ad + 176u];
        float _e8040 = adiag.inner[ad + 177u];
        float _e8047 = adiag.inner[ad + 178u];
        float _e8054 = adiag.inner[ad + 179u];
        float _e8061 = adiag.inner[ad + 180u];
        float _e8068 = adiag.inner[ad + 181u];
        float _e8075 = adiag.inner[ad + 182u];
        float _e8082 = adiag.inner[ad + 183u];
        float _e8089 = adiag.inner[ad + 184u];
        float _e8096 = adiag.inner[ad + 185u];
        float _e8103 = adiag.inner[ad + 186u];
        float t11_ = (j_1 < 11u) ? -((((((((((((_e8034 * t0_) + (_e8040 * t1_)) + (_e8047 * t2_)) + (_e8054 * t3_)) + (_e8061 * t4_)) + (_e8068 * t5_)) + (_e8075 * t6_)) + (_e8082 * t7_)) + (_e8089 * t8_)) + (_e8096 * t9_)) + (_e8103 * t10_))) : ((j_1 == 11u) ? 1.0 : 0.0);
        float _e8119 = adiag.inner[ad + 192u];
        float _e8125 = adiag.inner[ad + 193u];
        float _e8132 = adiag.inner[ad + 194u];
        float _e8139 = adiag.inner[ad + 195u];
        float _e8146 = adiag.inner[ad + 196u];
        float _e8153 = adiag.inner[ad + 197u];
        float _e8160 = adiag.inner[ad + 198u];
        float _e8167 = adiag.inner[ad + 199u];
        float _e8174 = adiag.inner[ad + 200u];
        float _e8181 = adiag.inner[ad + 201u];
        float _e8188 = adiag.inner[ad + 202u];
        float _e8195 = adiag.inner[ad + 203u];
        float t12_ = (j_1 < 12u) ? -(((((((((((((_e8119 * t0_) + (_e8125 * t1_)) + (_e8132 * t2_)) + (_e8139 * t3_)) + (_e8146 * t4_)) + (_e8153 * t5_)) + (_e8160 * t6_)) + (_e8167 * t7_)) + (_e8174 * t8_)) + (_e8181 * t9_)) + (_e8188 * t10_)) + (_e8195 * t11_))) : ((j_1 == 12u) ? 1.0 : 0.0);
        float _e8211 = adiag.inner[ad + 208u];
        float _e8217 = adiag.inner[ad + 209u];
        float _e8224 = adiag.inner[ad + 210u];
        float _e8231 = adiag.inner[ad + 211u];
        float _e8238 = adiag.inner[ad + 212u];
        float _e8245 = adiag.inner[ad + 213u];
        float _e8252 = adiag.inner[ad + 214u];
        float _e8259 = adiag.inner[ad + 215u];
        float _e8266 = adiag.inner[ad + 216u];
        float _e8273 = adiag.inner[ad + 217u];
        float _e8280 = adiag.inner[ad + 218u];
        float _e8287 = adiag.inner[ad + 219u];
        float _e8294 = adiag.inner[ad + 220u];
        float t13_ = (j_1 < 13u) ? -((((((((((((((_e8211 * t0_) + (_e8217 * t1_)) + (_e8224 * t2_)) + (_e8231 * t3_)) + (_e8238 * t4_)) + (_e8245 * t5_)) + (_e8252 * t6_)) + (_e8259 * t7_)) + (_e8266 * t8_)) + (_e8273 * t9_)) + (_e8280 * t10_)) + (_e8287 * t11_)) + (_e8294 * t12_))) : ((j_1 == 13u) ? 1.0 : 0.0);
        float _e8310 = adiag.inner[ad + 224u];
        float _e8316 = adiag.inner[ad + 225u];
        float _e8323 = adiag.inner[ad + 226u];
        float _e8330 = adiag.inner[ad + 227u];
        float _e8337 = adiag.inner[ad + 228u];
        float _e8344 = adiag.inner[ad + 229u];
        float _e8351 = adiag.inner[ad + 230u];
        float _e8358 = adiag.inner[ad + 231u];
        float _e8365 = adiag.inner[ad + 232u];
        float _e8372 = adiag.inner[ad + 233u];
        float _e8379 = adiag.inner[ad + 234u];
        float _e8386 = adiag.inner[ad + 235u];
        float _e8393 = adiag.inner[ad + 236u];
        float _e8400 = adiag.inner[ad + 237u];
        float t14_ = (j_1 < 14u) ? -(((((((((((((((_e8310 * t0_) + (_e8316 * t1_)) + (_e8323 * t2_)) + (_e8330 * t3_)) + (_e8337 * t4_)) + (_e8344 * t5_)) + (_e8351 * t6_)) + (_e8358 * t7_)) + (_e8365 * t8_)) + (_e8372 * t9_)) + (_e8379 * t10_)) + (_e8386 * t11_)) + (_e8393 * t12_)) + (_e8400 * t13_))) : ((j_1 == 14u) ? 1.0 : 0.0);
        float _e8416 = adiag.inner[ad + 240u];
        float _e8422 = adiag.inner[ad + 241u];
        float _e8429 = adiag.inner[ad + 242u];
        float _e8436 = adiag.inner[ad + 243u];
        float _e8443 = adiag.inner[ad + 244u];
        float _e8450 = adiag.inner[ad + 245u];
        float _e8457 = adiag.inner[ad + 246u];
        float _e8464 = adiag.inner[ad + 247u];
        float _e8471 = adiag.inner[ad + 248u];
        float _e8478 = adiag.inner[ad + 249u];
        float _e8485 = adiag.inner[ad + 250u];
        float _e8492 = adiag.inner[ad + 251u];
        float _e8499 = adiag.inner[ad + 252u];
        float _e8506 = adiag.inner[ad + 253u];
        float _e8513 = adiag.inner[ad + 254u];
        float t15_ = (j_1 < 15u) ? -((((((((((((((((_e8416 * t0_) + (_e8422 * t1_)) + (_e8429 * t2_)) + (_e8436 * t3_)) + (_e8443 * t4_)) + (_e8450 * t5_)) + (_e8457 * t6_)) + (_e8464 * t7_)) + (_e8471 * t8_)) + (_e8478 * t9_)) + (_e8485 * t10_)) + (_e8492 * t11_)) + (_e8499 * t12_)) + (_e8506 * t13_)) + (_e8513 * t14_))) : ((j_1 == 15u) ? 1.0 : 0.0);
        kq.inner[(THO + (((16u * bi) + 0u) * TS)) + x_16] = static_cast<half>(t0_);
        kq.inner[(THO + (((16u * bi) + 1u) * TS)) + x_16] = static_cast<half>(t1_);
        kq.inner[(THO + (((16u * bi) + 2u) * TS)) + x_16] = static_cast<half>(t2_);
        kq.inner[(THO + (((16u * bi) + 3u) * TS)) + x_16] = static_cast<half>(t3_);
        kq.inner[(THO + (((16u * bi) + 4u) * TS)) + x_16] = static_cast<half>(t4_);
        kq.inner[(THO + (((16u * bi) + 5u) * TS)) + x_16] = static_cast<half>(t5_);
        kq.inner[(THO + (((16u * bi) + 6u) * TS)) + x_16] = static_cast<half>(t6_);
        kq.inner[(THO + (((16u * bi) + 7u) * TS)) + x_16] = static_cast<half>(t7_);
        kq.inner[(THO + (((16u * bi) + 8u) * TS)) + x_16] = static_cast<half>(t8_);
        kq.inner[(THO + (((16u * bi) + 9u) * TS)) + x_16] = static_cast<half>(t9_);
        kq.inner[(THO + (((16u * bi) + 10u) * TS)) + x_16] = static_cast<half>(t10_);
        kq.inner[(THO + (((16u * bi) + 11u) * TS)) + x_16] = static_cast<half>(t11_);
        kq.inner[(THO + (((16u * bi) + 12u) * TS)) + x_16] = static_cast<half>(t12_);
        kq.inner[(THO + (((16u * bi) + 13u) * TS)) + x_16] = static_cast<half>(t13_);
        kq.inner[(THO + (((16u * bi) + 14u) * TS)) + x_16] = static_cast<half>(t14_);
        kq.inner[(THO + (((16u * bi) + 15u) * TS)) + x_16] = static_cast<half>(t15_);
    }
    metal::threadgroup_barrier(metal::mem_flags::mem_threadgroup);
    {
        uint jx = 0u + sg;
        uint j_2 = metal::min(jx, 0u);
        metal::simdgroup_float16x16 _e8730 = x;
        x = NagaCooperativeMultiplyAdd(NagaCooperativeLoad(&kq.inner[14464], TS, false), NagaCooperativeLoad(&kq.inner[8704u + (16u * j_2)], TS, false), _e8730);
        metal::simdgroup_float16x16 _e8732 = x;
        simdgroup_store(_e8732, &scr.inner[sg * 256u], 16u);
        metal::threadgroup_barrier(metal::mem_flags::mem_threadgroup);
        {
            uint e_41 = lane + 0u;
            float _e8754 = scr.inner[(sg * 256u) + e_41];
            kq.inner[(XHO + (sg * 256u)) + e_41] = static_cast<half>(-(_e8754));
        }
        {
            uint e_42 = lane + 32u;
            float _e8773 = scr.inner[(sg * 256u) + e_42];
            kq.inner[(XHO + (sg * 256u)) + e_42] = static_cast<half>(-(_e8773));
        }
        {
            uint e_43 = lane + 64u;
            float _e8792 = scr.inner[(sg * 256u) + e_43];
            kq.inner[(XHO + (sg * 256u)) + e_43] = static_cast<half>(-(_e8792));
        }
        {
            uint e_44 = lane + 96u;
            float _e8811 = scr.inner[(sg * 256u) + e_44];
            kq.inner[(XHO + (sg * 256u)) + e_44] = static_cast<half>(-(_e8811));
        }
        {
            uint e_45 = lane + 128u;
            float _e8830 = scr.inner[(sg * 256u) + e_45];
            kq.inner[(XHO + (sg * 256u)) + e_45] = static_cast<half>(-(_e8830));
        }
        {
            uint e_46 = lane + 160u;
            float _e8849 = scr.inner[(sg * 256u) + e_46];
            kq.inner[(XHO + (sg * 256u)) + e_46] = static_cast<half>(-(_e8849));
        }
        {
            uint e_47 = lane + 192u;
            float _e8868 = scr.inner[(sg * 256u) + e_47];
            kq.inner[(XHO + (sg * 256u)) + e_47] = static_cast<half>(-(_e8868));
        }
        {
            uint e_48 = lane + 224u;
            float _e8887 = scr.inner[(sg * 256u) + e_48];
            kq.inner[(XHO + (sg * 256u)) + e_48] = static_cast<half>(-(_e8887));
        }
        metal::threadgroup_barrier(metal::mem_flags::mem_threadgroup);
        metal::simdgroup_float16x16 tij = NagaCooperativeMultiplyAdd(NagaCooperativeLoad(&kq.inner[9872], TS, false), NagaCooperativeLoad(&kq.inner[XHO + (sg * 256u)], 16u, false), metal::simdgroup_float16x16 {});
        simdgroup_store(tij, &scr.inner[sg * 256u], 16u);
        metal::threadgroup_barrier(metal::mem_flags::mem_threadgroup);
        if (jx < 1u) {
            {
                uint e_49 = lane + 0u;
                uint r_45 = naga_div(e_49, 16u);
                uint row = 16u + r_45;
                uint col = ((16u * j_2) + e_49) - (16u * r_45);
                float t_3 = scr.inner[(sg * 256u) + e_49];
                kq.inner[(THO + (row * TS)) + col] = static_cast<half>(t_3);
            }
            {
                uint e_50 = lane + 32u;
                uint r_46 = naga_div(e_50, 16u);
                uint row_1 = 16u + r_46;
                uint col_1 = ((16u * j_2) + e_50) - (16u * r_46);
                float t_4 = scr.inner[(sg * 256u) + e_50];
                kq.inner[(THO + (row_1 * TS)) + col_1] = static_cast<half>(t_4);
            }
            {
                uint e_51 = lane + 64u;
                uint r_47 = naga_div(e_51, 16u);
                uint row_2 = 16u + r_47;
                uint col_2 = ((16u * j_2) + e_51) - (16u * r_47);
                float t_5 = scr.inner[(sg * 256u) + e_51];
                kq.inner[(THO + (row_2 * TS)) + col_2] = static_cast<half>(t_5);
            }
            {
                uint e_52 = lane + 96u;
                uint r_48 = naga_div(e_52, 16u);
                uint row_3 = 16u + r_48;
                uint col_3 = ((16u * j_2) + e_52) - (16u * r_48);
                float t_6 = scr.inner[(sg * 256u) + e_52];
                kq.inner[(THO + (row_3 * TS)) + col_3] = static_cast<half>(t_6);
            }
            {
                uint e_53 = lane + 128u;
                uint r_49 = naga_div(e_53, 16u);
                uint row_4 = 16u + r_49;
                uint col_4 = ((16u * j_2) + e_53) - (16u * r_49);
                float t_7 = scr.inner[(sg * 256u) + e_53];
                kq.inner[(THO + (row_4 * TS)) + col_4] = static_cast<half>(t_7);
            }
            {
                uint e_54 = lane + 160u;
                uint r_50 = naga_div(e_54, 16u);
                uint row_5 = 16u + r_50;
                uint col_5 = ((16u * j_2) + e_54) - (16u * r_50);
                float t_8 = scr.inner[(sg * 256u) + e_54];
                kq.inner[(THO + (row_5 * TS)) + col_5] = static_cast<half>(t_8);
            }
            {
                uint e_55 = lane + 192u;
                uint r_51 = naga_div(e_55, 16u);
                uint row_6 = 16u + r_51;
                uint col_6 = ((16u * j_2) + e_55) - (16u * r_51);
                float t_9 = scr.inner[(sg * 256u) + e_55];
                kq.inner[(THO + (row_6 * TS)) + col_6] = static_cast<half>(t_9);
            }
            {
                uint e_56 = lane + 224u;
                uint r_52 = naga_div(e_56, 16u);
                uint row_7 = 16u + r_52;
                uint col_7 = ((16u * j_2) + e_56) - (16u * r_52);
                float t_10 = scr.inner[(sg * 256u) + e_56];
                kq.inner[(THO + (row_7 * TS)) + col_7] = static_cast<half>(t_10);
            }
        }
        metal::threadgroup_barrier(metal::mem_flags::mem_threadgroup);
    }
    {
        uint jx_1 = 0u + sg;
        uint j_3 = metal::min(jx_1, 1u);
        metal::simdgroup_float16x16 _e9153 = x_1;
        x_1 = NagaCooperativeMultiplyAdd(NagaCooperativeLoad(&kq.inner[15616], TS, false), NagaCooperativeLoad(&kq.inner[8704u + (16u * j_3)], TS, false), _e9153);
        metal::simdgroup_float16x16 _e9167 = x_1;
        x_1 = NagaCooperativeMultiplyAdd(NagaCooperativeLoad(&kq.inner[15632], TS, false), NagaCooperativeLoad(&kq.inner[9856u + (16u * j_3)], TS, false), _e9167);
        metal::simdgroup_float16x16 _e9169 = x_1;
        simdgroup_store(_e9169, &scr.inner[sg * 256u], 16u);
        metal::threadgroup_barrier(metal::mem_flags::mem_threadgroup);
        {
            uint e_57 = lane + 0u;
            float _e9191 = scr.inner[(sg * 256u) + e_57];
            kq.inner[(XHO + (sg * 256u)) + e_57] = static_cast<half>(-(_e9191));
        }
        {
            uint e_58 = lane + 32u;
            float _e9210 = scr.inner[(sg * 256u) + e_58];
            kq.inner[(XHO + (sg * 256u)) + e_58] = static_cast<half>(-(_e9210));
        }
        {
            uint e_59 = lane + 64u;
            float _e9229 = scr.inner[(sg * 256u) + e_59];
            kq.inner[(XHO + (sg * 256u)) + e_59] = static_cast<half>(-(_e9229));
        }
        {
            uint e_60 = lane + 96u;
            float _e9248 = scr.inner[(sg * 256u) + e_60];
            kq.inner[(XHO + (sg * 256u)) + e_60] = static_cast<half>(-(_e9248));
        }
        {
            uint e_61 = lane + 128u;
            float _e9267 = scr.inner[(sg * 256u) + e_61];
            kq.inner[(XHO + (sg * 256u)) + e_61] = static_cast<half>(-(_e9267));
        }
        {
            uint e_62 = lane + 160u;
            float _e9286 = scr.inner[(sg * 256u) + e_62];
            kq.inner[(XHO + (sg * 256u)) + e_62] = static_cast<half>(-(_e9286));
        }
        {
            uint e_63 = lane + 192u;
            float _e9305 = scr.inner[(sg * 256u) + e_63];
            kq.inner[(XHO + (sg * 256u)) + e_63] = static_cast<half>(-(_e9305));
        }
        {
            uint e_64 = lane + 224u;
            float _e9324 = scr.inner[(sg * 256u) + e_64];
            kq.inner[(XHO + (sg * 256u)) + e_64] = static_cast<half>(-(_e9324));
        }
        metal::threadgroup_barrier(metal::mem_flags::mem_threadgroup);
        metal::simdgroup_float16x16 tij_1 = NagaCooperativeMultiplyAdd(NagaCooperativeLoad(&kq.inner[11040], TS, false), NagaCooperativeLoad(&kq.inner[XHO + (sg * 256u)], 16u, false), metal::simdgroup_float16x16 {});
        simdgroup_store(tij_1, &scr.inner[sg * 256u], 16u);
        metal::threadgroup_barrier(metal::mem_flags::mem_threadgroup);
        if (jx_1 < 2u) {
            {
                uint e_65 = lane + 0u;
                uint r_53 = naga_div(e_65, 16u);
                uint row_8 = 32u + r_53;
                uint col_8 = ((16u * j_3) + e_65) - (16u * r_53);
                float t_11 = scr.inner[(sg * 256u) + e_65];
                kq.inner[(THO + (row_8 * TS)) + col_8] = static_cast<half>(t_11);
            }
            {
                uint e_66 = lane + 32u;
                uint r_54 = naga_div(e_66, 16u);
                uint row_9 = 32u + r_54;
                uint col_9 = ((16u * j_3) + e_66) - (16u * r_54);
                float t_12 = scr.inner[(sg * 256u) + e_66];
                kq.inner[(THO + (row_9 * TS)) + col_9] = static_cast<half>(t_12);
            }
            {
                uint e_67 = lane + 64u;
                uint r_55 = naga_div(e_67, 16u);
                uint row_10 = 32u + r_55;
                uint col_10 = ((16u * j_3) + e_67) - (16u * r_55);
                float t_13 = scr.inner[(sg * 256u) + e_67];
                kq.inner[(THO + (row_10 * TS)) + col_10] = static_cast<half>(t_13);
            }
            {
                uint e_68 = lane + 96u;
                uint r_56 = naga_div(e_68, 16u);
                uint row_11 = 32u + r_56;
                uint col_11 = ((16u * j_3) + e_68) - (16u * r_56);
                float t_14 = scr.inner[(sg * 256u) + e_68];
                kq.inner[(THO + (row_11 * TS)) + col_11] = static_cast<half>(t_14);
            }
            {
                uint e_69 = lane + 128u;
                uint r_57 = naga_div(e_69, 16u);
                uint row_12 = 32u + r_57;
                uint col_12 = ((16u * j_3) + e_69) - (16u * r_57);
                float t_15 = scr.inner[(sg * 256u) + e_69];
                kq.inner[(THO + (row_12 * TS)) + col_12] = static_cast<half>(t_15);
            }
            {
                uint e_70 = lane + 160u;
                uint r_58 = naga_div(e_70, 16u);
                uint row_13 = 32u + r_58;
                uint col_13 = ((16u * j_3) + e_70) - (16u * r_58);
                float t_16 = scr.inner[(sg * 256u) + e_70];
                kq.inner[(THO + (row_13 * TS)) + col_13] = static_cast<half>(t_16);
            }
            {
                uint e_71 = lane + 192u;
                uint r_59 = naga_div(e_71, 16u);
                uint row_14 = 32u + r_59;
                uint col_14 = ((16u * j_3) + e_71) - (16u * r_59);
                float t_17 = scr.inner[(sg * 256u) + e_71];
                kq.inner[(THO + (row_14 * TS)) + col_14] = static_cast<half>(t_17);
            }
            {
                uint e_72 = lane + 224u;
                uint r_60 = naga_div(e_72, 16u);
                uint row_15 = 32u + r_60;
                uint col_15 = ((16u * j_3) + e_72) - (16u * r_60);
                float t_18 = scr.inner[(sg * 256u) + e_72];
                kq.inner[(THO + (row_15 * TS)) + col_15] = static_cast<half>(t_18);
            }
        }
        metal::threadgroup_barrier(metal::mem_flags::mem_threadgroup);
    }
    {
        uint jx_2 = 0u + sg;
        uint j_4 = metal::min(jx_2, 2u);
        metal::simdgroup_float16x16 _e9590 = x_2;
        x_2 = NagaCooperativeMultiplyAdd(NagaCooperativeLoad(&kq.inner[16768], TS, false), NagaCooperativeLoad(&kq.inner[8704u + (16u * j_4)], TS, false), _e9590);
        metal::simdgroup_float16x16 _e9604 = x_2;
        x_2 = NagaCooperativeMultiplyAdd(NagaCooperativeLoad(&kq.inner[16784], TS, false), NagaCooperativeLoad(&kq.inner[9856u + (16u * j_4)], TS, false), _e9604);
        metal::simdgroup_float16x16 _e9618 = x_2;
        x_2 = NagaCooperativeMultiplyAdd(NagaCooperativeLoad(&kq.inner[16800], TS, false), NagaCooperativeLoad(&kq.inner[11008u + (16u * j_4)], TS, false), _e9618);
        metal::simdgroup_float16x16 _e9620 = x_2;
        simdgroup_store(_e9620, &scr.inner[sg * 256u], 16u);
        metal::threadgroup_barrier(metal::mem_flags::mem_threadgroup);
        {
            uint e_73 = lane + 0u;
            float _e9642 = scr.inner[(sg * 256u) + e_73];
            kq.inner[(XHO + (sg * 256u)) + e_73] = static_cast<half>(-(_e9642));
        }
        {
            uint e_74 = lane + 32u;
            float _e9661 = scr.inner[(sg * 256u) + e_74];
            kq.inner[(XHO + (sg * 256u)) + e_74] = static_cast<half>(-(_e9661));
        }
        {
            uint e_75 = lane + 64u;
            float _e9680 = scr.inner[(sg * 256u) + e_75];
            kq.inner[(XHO + (sg * 256u)) + e_75] = static_cast<half>(-(_e9680));
        }
        {
            uint e_76 = lane + 96u;
            float _e9699 = scr.inner[(sg * 256u) + e_76];
            kq.inner[(XHO + (sg * 256u)) + e_76] = static_cast<half>(-(_e9699));
        }
        {
            uint e_77 = lane + 128u;
            float _e9718 = scr.inner[(sg * 256u) + e_77];
            kq.inner[(XHO + (sg * 256u)) + e_77] = static_cast<half>(-(_e9718));
        }
        {
            uint e_78 = lane + 160u;
            float _e9737 = scr.inner[(sg * 256u) + e_78];
            kq.inner[(XHO + (sg * 256u)) + e_78] = static_cast<half>(-(_e9737));
        }
        {
            uint e_79 = lane + 192u;
            float _e9756 = scr.inner[(sg * 256u) + e_79];
            kq.inner[(XHO + (sg * 256u)) + e_79] = static_cast<half>(-(_e9756));
        }
        {
            uint e_80 = lane + 224u;
            float _e9775 = scr.inner[(sg * 256u) + e_80];
            kq.inner[(XHO + (sg * 256u)) + e_80] = static_cast<half>(-(_e9775));
        }
        metal::threadgroup_barrier(metal::mem_flags::mem_threadgroup);
        metal::simdgroup_float16x16 tij_2 = NagaCooperativeMultiplyAdd(NagaCooperativeLoad(&kq.inner[12208], TS, false), NagaCooperativeLoad(&kq.inner[XHO + (sg * 256u)], 16u, false), metal::simdgroup_float16x16 {});
        simdgroup_store(tij_2, &scr.inner[sg * 256u], 16u);
        metal::threadgroup_barrier(metal::mem_flags::mem_threadgroup);
        if (jx_2 < 3u) {
            {
                uint e_81 = lane + 0u;
                uint r_61 = naga_div(e_81, 16u);
                uint row_16 = 48u + r_61;
                uint col_16 = ((16u * j_4) + e_81) - (16u * r_61);
                float t_19 = scr.inner[(sg * 256u) + e_81];
                kq.inner[(THO + (row_16 * TS)) + col_16] = static_cast<half>(t_19);
            }
            {
                uint e_82 = lane + 32u;
                uint r_62 = naga_div(e_82, 16u);
                uint row_17 = 48u + r_62;
                uint col_17 = ((16u * j_4) + e_82) - (16u * r_62);
                float t_20 = scr.inner[(sg * 256u) + e_82];
                kq.inner[(THO + (row_17 * TS)) + col_17] = static_cast<half>(t_20);
            }
            {
                uint e_83 = lane + 64u;
                uint r_63 = naga_div(e_83, 16u);
                uint row_18 = 48u + r_63;
                uint col_18 = ((16u * j_4) + e_83) - (16u * r_63);
                float t_21 = scr.inner[(sg * 256u) + e_83];
                kq.inner[(THO + (row_18 * TS)) + col_18] = static_cast<half>(t_21);
            }
            {
                uint e_84 = lane + 96u;
                uint r_64 = naga_div(e_84, 16u);
                uint row_19 = 48u + r_64;
                uint col_19 = ((16u * j_4) + e_84) - (16u * r_64);
                float t_22 = scr.inner[(sg * 256u) + e_84];
                kq.inner[(THO + (row_19 * TS)) + col_19] = static_cast<half>(t_22);
            }
            {
                uint e_85 = lane + 128u;
                uint r_65 = naga_div(e_85, 16u);
                uint row_20 = 48u + r_65;
                uint col_20 = ((16u * j_4) + e_85) - (16u * r_65);
                float t_23 = scr.inner[(sg * 256u) + e_85];
                kq.inner[(THO + (row_20 * TS)) + col_20] = static_cast<half>(t_23);
            }
            {
                uint e_86 = lane + 160u;
                uint r_66 = naga_div(e_86, 16u);
                uint row_21 = 48u + r_66;
                uint col_21 = ((16u * j_4) + e_86) - (16u * r_66);
                float t_24 = scr.inner[(sg * 256u) + e_86];
                kq.inner[(THO + (row_21 * TS)) + col_21] = static_cast<half>(t_24);
            }
            {
                uint e_87 = lane + 192u;
                uint r_67 = naga_div(e_87, 16u);
                uint row_22 = 48u + r_67;
                uint col_22 = ((16u * j_4) + e_87) - (16u * r_67);
                float t_25 = scr.inner[(sg * 256u) + e_87];
                kq.inner[(THO + (row_22 * TS)) + col_22] = static_cast<half>(t_25);
            }
            {
                uint e_88 = lane + 224u;
                uint r_68 = naga_div(e_88, 16u);
                uint row_23 = 48u + r_68;
                uint col_23 = ((16u * j_4) + e_88) - (16u * r_68);
                float t_26 = scr.inner[(sg * 256u) + e_88];
                kq.inner[(THO + (row_23 * TS)) + col_23] = static_cast<half>(t_26);
            }
        }
        metal::threadgroup_barrier(metal::mem_flags::mem_threadgroup);
    }
    {
        uint d0_ = 16u * ((sg * TPW) + 0u);
        metal::simdgroup_half16x16 _e10041 = w;
        w = NagaCooperativeMultiplyAdd(NagaCooperativeLoad(&kq.inner[8704], TS, false), NagaCooperativeLoad(&kq.inner[0u + d0_], SHS, false), _e10041);
        metal::simdgroup_half16x16 _e10043 = w;
        simdgroup_store(_e10043, &ws[((base + OFF_W) + 0u) + d0_], DK);
    }
    {
        uint d0_1 = 16u * ((sg * TPW) + 1u);
        metal::simdgroup_half16x16 _e10070 = w_1;
        w_1 = NagaCooperativeMultiplyAdd(NagaCooperativeLoad(&kq.inner[8704], TS, false), NagaCooperativeLoad(&kq.inner[0u + d0_1], SHS, false), _e10070);
        metal::simdgroup_half16x16 _e10072 = w_1;
        simdgroup_store(_e10072, &ws[((base + OFF_W) + 0u) + d0_1], DK);
    }
    {
        uint d0_2 = 16u * ((sg * TPW) + 0u);
        metal::simdgroup_half16x16 _e10099 = w_2;
        w_2 = NagaCooperativeMultiplyAdd(NagaCooperativeLoad(&kq.inner[9856], TS, false), NagaCooperativeLoad(&kq.inner[0u + d0_2], SHS, false), _e10099);
        metal::simdgroup_half16x16 _e10111 = w_2;
        w_2 = NagaCooperativeMultiplyAdd(NagaCooperativeLoad(&kq.inner[9872], TS, false), NagaCooperativeLoad(&kq.inner[2176u + d0_2], SHS, false), _e10111);
        metal::simdgroup_half16x16 _e10113 = w_2;
        simdgroup_store(_e10113, &ws[((base + OFF_W) + 2048u) + d0_2], DK);
    }
    {
        uint d0_3 = 16u * ((sg * TPW) + 1u);
        metal::simdgroup_half16x16 _e10140 = w_3;
        w_3 = NagaCooperativeMultiplyAdd(NagaCooperativeLoad(&kq.inner[9856], TS, false), NagaCooperativeLoad(&kq.inner[0u + d0_3], SHS, false), _e10140);
        metal::simdgroup_half16x16 _e10152 = w_3;
        w_3 = NagaCooperativeMultiplyAdd(NagaCooperativeLoad(&kq.inner[9872], TS, false), NagaCooperativeLoad(&kq.inner[2176u + d0_3], SHS, false), _e10152);
        metal::simdgroup_half16x16 _e10154 = w_3;
        simdgroup_store(_e10154, &ws[((base + OFF_W) + 2048u) + d0_3], DK);
    }
    {
        uint d0_4 = 16u * ((sg * TPW) + 0u);
        metal::simdgroup_half16x16 _e10181 = w_4;
        w_4 = NagaCooperativeMultiplyAdd(NagaCooperativeLoad(&kq.inner[11008], TS, false), NagaCooperativeLoad(&kq.inner[0u + d0_4], SHS, false), _e10181);
        metal::simdgroup_half16x16 _e10193 = w_4;
        w_4 = NagaCooperativeMultiplyAdd(NagaCooperativeLoad(&kq.inner[11024], TS, false), NagaCooperativeLoad(&kq.inner[2176u + d0_4], SHS, false), _e10193);
        metal::simdgroup_half16x16 _e10205 = w_4;
        w_4 = NagaCooperativeMultiplyAdd(NagaCooperativeLoad(&kq.inner[11040], TS, false), NagaCooperativeLoad(&kq.inner[4352u + d0_4], SHS, false), _e10205);
        metal::simdgroup_half16x16 _e10207 = w_4;
        simdgroup_store(_e10207, &ws[((base + OFF_W) + 4096u) + d0_4], DK);
    }
    {
        uint d0_5 = 16u * ((sg * TPW) + 1u);
        metal::simdgroup_half16x16 _e10234 = w_5;
        w_5 = NagaCooperativeMultiplyAdd(NagaCooperativeLoad(&kq.inner[11008], TS, false), NagaCooperativeLoad(&kq.inner[0u + d0_5], SHS, false), _e10234);
        metal::simdgroup_half16x16 _e10246 = w_5;
        w_5 = NagaCooperativeMultiplyAdd(NagaCooperativeLoad(&kq.inner[11024], TS, false), NagaCooperativeLoad(&kq.inner[2176u + d0_5], SHS, false), _e10246);
        metal::simdgroup_half16x16 _e10258 = w_5;
        w_5 = NagaCooperativeMultiplyAdd(NagaCooperativeLoad(&kq.inner[11040], TS, false), NagaCooperativeLoad(&kq.inner[4352u + d0_5], SHS, false), _e10258);
        metal::simdgroup_half16x16 _e10260 = w_5;
        simdgroup_store(_e10260, &ws[((base + OFF_W) + 4096u) + d0_5], DK);
    }
    {
        uint d0_6 = 16u * ((sg * TPW) + 0u);
        metal::simdgroup_half16x16 _e10287 = w_6;
        w_6 = NagaCooperativeMultiplyAdd(NagaCooperativeLoad(&kq.inner[12160], TS, false), NagaCooperativeLoad(&kq.inner[0u + d0_6], SHS, false), _e10287);
        metal::simdgroup_half16x16 _e10299 = w_6;
        w_6 = NagaCooperativeMultiplyAdd(NagaCooperativeLoad(&kq.inner[12176], TS, false), NagaCooperativeLoad(&kq.inner[2176u + d0_6], SHS, false), _e10299);
        metal::simdgroup_half16x16 _e10311 = w_6;
        w_6 = NagaCooperativeMultiplyAdd(NagaCooperativeLoad(&kq.inner[12192], TS, false), NagaCooperativeLoad(&kq.inner[4352u + d0_6], SHS, false), _e10311);
        metal::simdgroup_half16x16 _e10323 = w_6;
        w_6 = NagaCooperativeMultiplyAdd(NagaCooperativeLoad(&kq.inner[12208], TS, false), NagaCooperativeLoad(&kq.inner[6528u + d0_6], SHS, false), _e10323);
        metal::simdgroup_half16x16 _e10325 = w_6;
        simdgroup_store(_e10325, &ws[((base + OFF_W) + 6144u) + d0_6], DK);
    }
    {
        uint d0_7 = 16u * ((sg * TPW) + 1u);
        metal::simdgroup_half16x16 _e10352 = w_7;
        w_7 = NagaCooperativeMultiplyAdd(NagaCooperativeLoad(&kq.inner[12160], TS, false), NagaCooperativeLoad(&kq.inner[0u + d0_7], SHS, false), _e10352);
        metal::simdgroup_half16x16 _e10364 = w_7;
        w_7 = NagaCooperativeMultiplyAdd(NagaCooperativeLoad(&kq.inner[12176], TS, false), NagaCooperativeLoad(&kq.inner[2176u + d0_7], SHS, false), _e10364);
        metal::simdgroup_half16x16 _e10376 = w_7;
        w_7 = NagaCooperativeMultiplyAdd(NagaCooperativeLoad(&kq.inner[12192], TS, false), NagaCooperativeLoad(&kq.inner[4352u + d0_7], SHS, false), _e10376);
        metal::simdgroup_half16x16 _e10388 = w_7;
        w_7 = NagaCooperativeMultiplyAdd(NagaCooperativeLoad(&kq.inner[12208], TS, false), NagaCooperativeLoad(&kq.inner[6528u + d0_7], SHS, false), _e10388);
        metal::simdgroup_half16x16 _e10390 = w_7;
        simdgroup_store(_e10390, &ws[((base + OFF_W) + 6144u) + d0_7], DK);
    }
    metal::threadgroup_barrier(metal::mem_flags::mem_threadgroup);
    {
        metal::uint4 vx = _e683 ? vr0_ : metal::uint4(0u);
        {
            float ff_8 = bb_s.inner[vi0_];
            metal::float2 _e10406 = f2_(vx.x);
            metal::float2 w0_24 = _e10406 * ff_8;
            kq.inner[vat0_ + 0u] = static_cast<half>(w0_24.x);
            kq.inner[vat0_ + 1u] = static_cast<half>(w0_24.y);
            metal::float2 _e10421 = f2_(vx.y);
            metal::float2 w1_24 = _e10421 * ff_8;
            kq.inner[vat0_ + 2u] = static_cast<half>(w1_24.x);
            kq.inner[vat0_ + 3u] = static_cast<half>(w1_24.y);
            metal::float2 _e10436 = f2_(vx.z);
            metal::float2 w2_24 = _e10436 * ff_8;
            kq.inner[vat0_ + 4u] = static_cast<half>(w2_24.x);
            kq.inner[vat0_ + 5u] = static_cast<half>(w2_24.y);
            metal::float2 _e10451 = f2_(vx.w);
            metal::float2 w3_24 = _e10451 * ff_8;
            kq.inner[vat0_ + 6u] = static_cast<half>(w3_24.x);
            kq.inner[vat0_ + 7u] = static_cast<half>(w3_24.y);
        }
    }
    {
        metal::uint4 vx_1 = _e711 ? vr1_ : metal::uint4(0u);
        {
            float ff_9 = bb_s.inner[vi1_];
            metal::float2 _e10472 = f2_(vx_1.x);
            metal::float2 w0_25 = _e10472 * ff_9;
            kq.inner[vat1_ + 0u] = static_cast<half>(w0_25.x);
            kq.inner[vat1_ + 1u] = static_cast<half>(w0_25.y);
            metal::float2 _e10487 = f2_(vx_1.y);
            metal::float2 w1_25 = _e10487 * ff_9;
            kq.inner[vat1_ + 2u] = static_cast<half>(w1_25.x);
            kq.inner[vat1_ + 3u] = static_cast<half>(w1_25.y);
            metal::float2 _e10502 = f2_(vx_1.z);
            metal::float2 w2_25 = _e10502 * ff_9;
            kq.inner[vat1_ + 4u] = static_cast<half>(w2_25.x);
            kq.inner[vat1_ + 5u] = static_cast<half>(w2_25.y);
            metal::float2 _e10517 = f2_(vx_1.w);
            metal::float2 w3_25 = _e10517 * ff_9;
            kq.inner[vat1_ + 6u] = static_cast<half>(w3_25.x);
            kq.inner[vat1_ + 7u] = static_cast<half>(w3_25.y);
        }
    }
    {
        metal::uint4 vx_2 = _e739 ? vr2_ : metal::uint4(0u);
        {
            float ff_10 = bb_s.inner[vi2_];
            metal::float2 _e10538 = f2_(vx_2.x);
            metal::float2 w0_26 = _e10538 * ff_10;
            kq.inner[vat2_ + 0u] = static_cast<half>(w0_26.x);
            kq.inner[vat2_ + 1u] = static_cast<half>(w0_26.y);
            metal::float2 _e10553 = f2_(vx_2.y);
            metal::float2 w1_26 = _e10553 * ff_10;
            kq.inner[vat2_ + 2u] = static_cast<half>(w1_26.x);
            kq.inner[vat2_ + 3u] = static_cast<half>(w1_26.y);
            metal::float2 _e10568 = f2_(vx_2.z);
            metal::float2 w2_26 = _e10568 * ff_10;
            kq.inner[vat2_ + 4u] = static_cast<half>(w2_26.x);
            kq.inner[vat2_ + 5u] = static_cast<half>(w2_26.y);
            metal::float2 _e10583 = f2_(vx_2.w);
            metal::float2 w3_26 = _e10583 * ff_10;
            kq.inner[vat2_ + 6u] = static_cast<half>(w3_26.x);
            kq.inner[vat2_ + 7u] = static_cast<half>(w3_26.y);
        }
    }
    {
        metal::uint4 vx_3 = _e767 ? vr3_ : metal::uint4(0u);
        {
            float ff_11 = bb_s.inner[vi3_];
            metal::float2 _e10604 = f2_(vx_3.x);
            metal::float2 w0_27 = _e10604 * ff_11;
            kq.inner[vat3_ + 0u] = static_cast<half>(w0_27.x);
            kq.inner[vat3_ + 1u] = static_cast<half>(w0_27.y);
            metal::float2 _e10619 = f2_(vx_3.y);
            metal::float2 w1_27 = _e10619 * ff_11;
            kq.inner[vat3_ + 2u] = static_cast<half>(w1_27.x);
            kq.inner[vat3_ + 3u] = static_cast<half>(w1_27.y);
            metal::float2 _e10634 = f2_(vx_3.z);
            metal::float2 w2_27 = _e10634 * ff_11;
            kq.inner[vat3_ + 4u] = static_cast<half>(w2_27.x);
            kq.inner[vat3_ + 5u] = static_cast<half>(w2_27.y);
            metal::float2 _e10649 = f2_(vx_3.w);
            metal::float2 w3_27 = _e10649 * ff_11;
            kq.inner[vat3_ + 6u] = static_cast<half>(w3_27.x);
            kq.inner[vat3_ + 7u] = static_cast<half>(w3_27.y);
        }
    }
    {
        metal::uint4 vx_4 = _e795 ? vr4_ : metal::uint4(0u);
        {
            float ff_12 = bb_s.inner[vi4_];
            metal::float2 _e10670 = f2_(vx_4.x);
            metal::float2 w0_28 = _e10670 * ff_12;
            kq.inner[vat4_ + 0u] = static_cast<half>(w0_28.x);
            kq.inner[vat4_ + 1u] = static_cast<half>(w0_28.y);
            metal::float2 _e10685 = f2_(vx_4.y);
            metal::float2 w1_28 = _e10685 * ff_12;
            kq.inner[vat4_ + 2u] = static_cast<half>(w1_28.x);
            kq.inner[vat4_ + 3u] = static_cast<half>(w1_28.y);
            metal::float2 _e10700 = f2_(vx_4.z);
            metal::float2 w2_28 = _e10700 * ff_12;
            kq.inner[vat4_ + 4u] = static_cast<half>(w2_28.x);
            kq.inner[vat4_ + 5u] = static_cast<half>(w2_28.y);
            metal::float2 _e10715 = f2_(vx_4.w);
            metal::float2 w3_28 = _e10715 * ff_12;
            kq.inner[vat4_ + 6u] = static_cast<half>(w3_28.x);
            kq.inner[vat4_ + 7u] = static_cast<half>(w3_28.y);
        }
    }
    {
        metal::uint4 vx_5 = _e823 ? vr5_ : metal::uint4(0u);
        {
            float ff_13 = bb_s.inner[vi5_];
            metal::float2 _e10736 = f2_(vx_5.x);
            metal::float2 w0_29 = _e10736 * ff_13;
            kq.inner[vat5_ + 0u] = static_cast<half>(w0_29.x);
            kq.inner[vat5_ + 1u] = static_cast<half>(w0_29.y);
            metal::float2 _e10751 = f2_(vx_5.y);
            metal::float2 w1_29 = _e10751 * ff_13;
            kq.inner[vat5_ + 2u] = static_cast<half>(w1_29.x);
            kq.inner[vat5_ + 3u] = static_cast<half>(w1_29.y);
            metal::float2 _e10766 = f2_(vx_5.z);
            metal::float2 w2_29 = _e10766 * ff_13;
            kq.inner[vat5_ + 4u] = static_cast<half>(w2_29.x);
            kq.inner[vat5_ + 5u] = static_cast<half>(w2_29.y);
            metal::float2 _e10781 = f2_(vx_5.w);
            metal::float2 w3_29 = _e10781 * ff_13;
            kq.inner[vat5_ + 6u] = static_cast<half>(w3_29.x);
            kq.inner[vat5_ + 7u] = static_cast<half>(w3_29.y);
        }
    }
    {
        metal::uint4 vx_6 = _e851 ? vr6_ : metal::uint4(0u);
        {
            float ff_14 = bb_s.inner[vi6_];
            metal::float2 _e10802 = f2_(vx_6.x);
            metal::float2 w0_30 = _e10802 * ff_14;
            kq.inner[vat6_ + 0u] = static_cast<half>(w0_30.x);
            kq.inner[vat6_ + 1u] = static_cast<half>(w0_30.y);
            metal::float2 _e10817 = f2_(vx_6.y);
            metal::float2 w1_30 = _e10817 * ff_14;
            kq.inner[vat6_ + 2u] = static_cast<half>(w1_30.x);
            kq.inner[vat6_ + 3u] = static_cast<half>(w1_30.y);
            metal::float2 _e10832 = f2_(vx_6.z);
            metal::float2 w2_30 = _e10832 * ff_14;
            kq.inner[vat6_ + 4u] = static_cast<half>(w2_30.x);
            kq.inner[vat6_ + 5u] = static_cast<half>(w2_30.y);
            metal::float2 _e10847 = f2_(vx_6.w);
            metal::float2 w3_30 = _e10847 * ff_14;
            kq.inner[vat6_ + 6u] = static_cast<half>(w3_30.x);
            kq.inner[vat6_ + 7u] = static_cast<half>(w3_30.y);
        }
    }
    {
        metal::uint4 vx_7 = _e879 ? vr7_ : metal::uint4(0u);
        {
            float ff_15 = bb_s.inner[vi7_];
            metal::float2 _e10868 = f2_(vx_7.x);
            metal::float2 w0_31 = _e10868 * ff_15;
            kq.inner[vat7_ + 0u] = static_cast<half>(w0_31.x);
            kq.inner[vat7_ + 1u] = static_cast<half>(w0_31.y);
            metal::float2 _e10883 = f2_(vx_7.y);
            metal::float2 w1_31 = _e10883 * ff_15;
            kq.inner[vat7_ + 2u] = static_cast<half>(w1_31.x);
            kq.inner[vat7_ + 3u] = static_cast<half>(w1_31.y);
            metal::float2 _e10898 = f2_(vx_7.z);
            metal::float2 w2_31 = _e10898 * ff_15;
            kq.inner[vat7_ + 4u] = static_cast<half>(w2_31.x);
            kq.inner[vat7_ + 5u] = static_cast<half>(w2_31.y);
            metal::float2 _e10913 = f2_(vx_7.w);
            metal::float2 w3_31 = _e10913 * ff_15;
            kq.inner[vat7_ + 6u] = static_cast<half>(w3_31.x);
            kq.inner[vat7_ + 7u] = static_cast<half>(w3_31.y);
        }
    }
    metal::threadgroup_barrier(metal::mem_flags::mem_threadgroup);
    {
        uint e0_1 = 16u * metal::min(0u + sg, 7u);
        metal::simdgroup_half16x16 _e10945 = u0_;
        u0_ = NagaCooperativeMultiplyAdd(NagaCooperativeLoad(&kq.inner[8704], TS, false), NagaCooperativeLoad(&kq.inner[0u + e0_1], SVS, false), _e10945);
        metal::simdgroup_half16x16 _e10947 = u0_;
        simdgroup_store(_e10947, &ws[((base + OFF_U) + 0u) + e0_1], DV);
    }
    {
        uint e0_2 = 16u * metal::min(4u + sg, 7u);
        metal::simdgroup_half16x16 _e10974 = u0_1;
        u0_1 = NagaCooperativeMultiplyAdd(NagaCooperativeLoad(&kq.inner[8704], TS, false), NagaCooperativeLoad(&kq.inner[0u + e0_2], SVS, false), _e10974);
        metal::simdgroup_half16x16 _e10976 = u0_1;
        simdgroup_store(_e10976, &ws[((base + OFF_U) + 0u) + e0_2], DV);
    }
    {
        uint e0_3 = 16u * metal::min(0u + sg, 7u);
        metal::simdgroup_half16x16 _e11003 = u0_2;
        u0_2 = NagaCooperativeMultiplyAdd(NagaCooperativeLoad(&kq.inner[9856], TS, false), NagaCooperativeLoad(&kq.inner[0u + e0_3], SVS, false), _e11003);
        metal::simdgroup_half16x16 _e11015 = u0_2;
        u0_2 = NagaCooperativeMultiplyAdd(NagaCooperativeLoad(&kq.inner[9872], TS, false), NagaCooperativeLoad(&kq.inner[2176u + e0_3], SVS, false), _e11015);
        metal::simdgroup_half16x16 _e11017 = u0_2;
        simdgroup_store(_e11017, &ws[((base + OFF_U) + 2048u) + e0_3], DV);
    }
    {
        uint e0_4 = 16u * metal::min(4u + sg, 7u);
        metal::simdgroup_half16x16 _e11044 = u0_3;
        u0_3 = NagaCooperativeMultiplyAdd(NagaCooperativeLoad(&kq.inner[9856], TS, false), NagaCooperativeLoad(&kq.inner[0u + e0_4], SVS, false), _e11044);
        metal::simdgroup_half16x16 _e11056 = u0_3;
        u0_3 = NagaCooperativeMultiplyAdd(NagaCooperativeLoad(&kq.inner[9872], TS, false), NagaCooperativeLoad(&kq.inner[2176u + e0_4], SVS, false), _e11056);
        metal::simdgroup_half16x16 _e11058 = u0_3;
        simdgroup_store(_e11058, &ws[((base + OFF_U) + 2048u) + e0_4], DV);
    }
    {
        uint e0_5 = 16u * metal::min(0u + sg, 7u);
        metal::simdgroup_half16x16 _e11085 = u0_4;
        u0_4 = NagaCooperativeMultiplyAdd(NagaCooperativeLoad(&kq.inner[11008], TS, false), NagaCooperativeLoad(&kq.inner[0u + e0_5], SVS, false), _e11085);
        metal::simdgroup_half16x16 _e11097 = u0_4;
        u0_4 = NagaCooperativeMultiplyAdd(NagaCooperativeLoad(&kq.inner[11024], TS, false), NagaCooperativeLoad(&kq.inner[2176u + e0_5], SVS, false), _e11097);
        metal::simdgroup_half16x16 _e11109 = u0_4;
        u0_4 = NagaCooperativeMultiplyAdd(NagaCooperativeLoad(&kq.inner[11040], TS, false), NagaCooperativeLoad(&kq.inner[4352u + e0_5], SVS, false), _e11109);
        metal::simdgroup_half16x16 _e11111 = u0_4;
        simdgroup_store(_e11111, &ws[((base + OFF_U) + 4096u) + e0_5], DV);
    }
    {
        uint e0_6 = 16u * metal::min(4u + sg, 7u);
        metal::simdgroup_half16x16 _e11138 = u0_5;
        u0_5 = NagaCooperativeMultiplyAdd(NagaCooperativeLoad(&kq.inner[11008], TS, false), NagaCooperativeLoad(&kq.inner[0u + e0_6], SVS, false), _e11138);
        metal::simdgroup_half16x16 _e11150 = u0_5;
        u0_5 = NagaCooperativeMultiplyAdd(NagaCooperativeLoad(&kq.inner[11024], TS, false), NagaCooperativeLoad(&kq.inner[2176u + e0_6], SVS, false), _e11150);
        metal::simdgroup_half16x16 _e11162 = u0_5;
        u0_5 = NagaCooperativeMultiplyAdd(NagaCooperativeLoad(&kq.inner[11040], TS, false), NagaCooperativeLoad(&kq.inner[4352u + e0_6], SVS, false), _e11162);
        metal::simdgroup_half16x16 _e11164 = u0_5;
        simdgroup_store(_e11164, &ws[((base + OFF_U) + 4096u) + e0_6], DV);
    }
    {
        uint e0_7 = 16u * metal::min(0u + sg, 7u);
        metal::simdgroup_half16x16 _e11191 = u0_6;
        u0_6 = NagaCooperativeMultiplyAdd(NagaCooperativeLoad(&kq.inner[12160], TS, false), NagaCooperativeLoad(&kq.inner[0u + e0_7], SVS, false), _e11191);
        metal::simdgroup_half16x16 _e11203 = u0_6;
        u0_6 = NagaCooperativeMultiplyAdd(NagaCooperativeLoad(&kq.inner[12176], TS, false), NagaCooperativeLoad(&kq.inner[2176u + e0_7], SVS, false), _e11203);
        metal::simdgroup_half16x16 _e11215 = u0_6;
        u0_6 = NagaCooperativeMultiplyAdd(NagaCooperativeLoad(&kq.inner[12192], TS, false), NagaCooperativeLoad(&kq.inner[4352u + e0_7], SVS, false), _e11215);
        metal::simdgroup_half16x16 _e11227 = u0_6;
        u0_6 = NagaCooperativeMultiplyAdd(NagaCooperativeLoad(&kq.inner[12208], TS, false), NagaCooperativeLoad(&kq.inner[6528u + e0_7], SVS, false), _e11227);
        metal::simdgroup_half16x16 _e11229 = u0_6;
        simdgroup_store(_e11229, &ws[((base + OFF_U) + 6144u) + e0_7], DV);
    }
    {
        uint e0_8 = 16u * metal::min(4u + sg, 7u);
        metal::simdgroup_half16x16 _e11256 = u0_7;
        u0_7 = NagaCooperativeMultiplyAdd(NagaCooperativeLoad(&kq.inner[12160], TS, false), NagaCooperativeLoad(&kq.inner[0u + e0_8], SVS, false), _e11256);
        metal::simdgroup_half16x16 _e11268 = u0_7;
        u0_7 = NagaCooperativeMultiplyAdd(NagaCooperativeLoad(&kq.inner[12176], TS, false), NagaCooperativeLoad(&kq.inner[2176u + e0_8], SVS, false), _e11268);
        metal::simdgroup_half16x16 _e11280 = u0_7;
        u0_7 = NagaCooperativeMultiplyAdd(NagaCooperativeLoad(&kq.inner[12192], TS, false), NagaCooperativeLoad(&kq.inner[4352u + e0_8], SVS, false), _e11280);
        metal::simdgroup_half16x16 _e11292 = u0_7;
        u0_7 = NagaCooperativeMultiplyAdd(NagaCooperativeLoad(&kq.inner[12208], TS, false), NagaCooperativeLoad(&kq.inner[6528u + e0_8], SVS, false), _e11292);
        metal::simdgroup_half16x16 _e11294 = u0_7;
        simdgroup_store(_e11294, &ws[((base + OFF_U) + 6144u) + e0_8], DV);
    }
    if (tid == 0u) {
        half hi = static_cast<half>(gc);
        ws[base + OFF_G] = hi;
        ws[(base + OFF_G) + 1u] = static_cast<half>(gc - static_cast<float>(hi));
        return;
    } else {
        return;
    }
}

metal::simdgroup_float16x16 NagaCooperativeLoad(const device float* ptr, int stride, bool is_row_major) {
    metal::simdgroup_float16x16 m;
    simdgroup_load(m, ptr, stride, 0, is_row_major);
    return m;
}

metal::simdgroup_half16x16 NagaCooperativeLoad(const device half* ptr, int stride, bool is_row_major) {
    metal::simdgroup_half16x16 m;
    simdgroup_load(m, ptr, stride, 0, is_row_major);
    return m;
}


struct scanInput {
};
[[max_total_threads_per_threadgroup(128)]] kernel void scan(
  metal::uint3 lid_1 [[thread_position_in_threadgroup]]
, metal::uint3 wid_1 [[threadgroup_position_in_grid]]
, constant Params& p [[user(fake0)]]
, device type_8 const& s_in [[user(fake0)]]
, device type_7 const& mask [[user(fake0)]]
, device type_7& y [[user(fake0)]]
, device type_8& s_out [[user(fake0)]]
, device type_10 const& ws [[user(fake0)]]
, threadgroup type_14& sf
, threadgroup type_15& sh
, threadgroup type_16& eye
, threadgroup type_17& uh
, threadgroup type_18& part
, constant _mslBufferSizes& _buffer_sizes [[user(fake0)]]
) {
    metal::simdgroup_float16x16 s0_0_ = metal::simdgroup_float16x16 {};
    metal::simdgroup_float16x16 s0_1_ = metal::simdgroup_float16x16 {};
    metal::simdgroup_float16x16 s1_0_ = metal::simdgroup_float16x16 {};
    metal::simdgroup_float16x16 s1_1_ = metal::simdgroup_float16x16 {};
    uint e = {};
    metal::float2 yv0_ = metal::float2(0.0);
    metal::float2 yv1_ = metal::float2(0.0);
    metal::float2 yv2_ = metal::float2(0.0);
    metal::float2 yv3_ = metal::float2(0.0);
    metal::float2 yv4_ = metal::float2(0.0);
    metal::float2 yv5_ = metal::float2(0.0);
    metal::float2 yv6_ = metal::float2(0.0);
    metal::float2 yv7_ = metal::float2(0.0);
    uint c = 0u;
    metal::simdgroup_float16x16 yt0_0_ = {};
    metal::simdgroup_float16x16 u = {};
    metal::simdgroup_float16x16 yt0_1_ = {};
    metal::simdgroup_float16x16 u_1 = {};
    uint tid_1 = lid_1.x;
    uint sg_1 = naga_div(tid_1, 32u);
    uint dv0_ = wid_1.x * R;
    uint n_1 = wid_1.y;
    uint b_6 = naga_div(n_1, HV);
    uint hv_1 = naga_mod(n_1, HV);
    uint _e15 = p.flags;
    bool from_out = (_e15 & STATE_FROM_OUT) != 0u;
    uint _e22 = p.flags;
    bool has_state = (_e22 & HAS_STATE) != 0u;
    uint j0_ = sg_1 * TPW;
    uint i0_1 = sg_1 * 1u;
    uint srow = (((n_1 * DV) + dv0_) * DK) + (16u * j0_);
    if (from_out) {
        s0_0_ = NagaCooperativeLoad(&s_out[(srow + 0u) + 0u], DK, false);
        s0_1_ = NagaCooperativeLoad(&s_out[(srow + 0u) + 16u], DK, false);
        s1_0_ = NagaCooperativeLoad(&s_out[(srow + 2048u) + 0u], DK, false);
        s1_1_ = NagaCooperativeLoad(&s_out[(srow + 2048u) + 16u], DK, false);
    } else {
        if (has_state) {
            s0_0_ = NagaCooperativeLoad(&s_in[(srow + 0u) + 0u], DK, false);
            s0_1_ = NagaCooperativeLoad(&s_in[(srow + 0u) + 16u], DK, false);
            s1_0_ = NagaCooperativeLoad(&s_in[(srow + 2048u) + 0u], DK, false);
            s1_1_ = NagaCooperativeLoad(&s_in[(srow + 2048u) + 16u], DK, false);
        }
    }
    e = tid_1;
    uint2 loop_bound = uint2(4294967295u);
    bool loop_init = true;
    while(true) {
        if (metal::all(loop_bound == uint2(0u))) { break; }
        loop_bound -= uint2(loop_bound.y == 0u, 1u);
        if (!loop_init) {
            uint _e128 = e;
            e = _e128 + WG;
        }
        loop_init = false;
        uint _e112 = e;
        if (_e112 < 256u) {
        } else {
            break;
        }
        {
            uint _e116 = e;
            uint _e120 = e;
            uint _e123 = e;
            eye.inner[_e116] = (naga_div(_e120, 16u) == naga_mod(_e123, 16u)) ? 1.0h : 0.0h;
        }
    }
    metal::threadgroup_barrier(metal::mem_flags::mem_threadgroup);
    metal::simdgroup_half16x16 eyeb = NagaCooperativeLoad(&eye.inner[0], 16u, true);
    uint2 loop_bound_1 = uint2(4294967295u);
    bool loop_init_1 = true;
    while(true) {
        if (metal::all(loop_bound_1 == uint2(0u))) { break; }
        loop_bound_1 -= uint2(loop_bound_1.y == 0u, 1u);
        if (!loop_init_1) {
            uint _e2222 = c;
            c = _e2222 + 1u;
        }
        loop_init_1 = false;
        uint _e161 = c;
        uint _e164 = p.nc;
        if (_e161 < _e164) {
        } else {
            break;
        }
        {
            uint _e168 = p.t0_;
            uint _e169 = c;
            uint ts0_1 = _e168 + (_e169 * CH);
            uint _e175 = p.sc;
            uint _e177 = c;
            uint base_1 = ((n_1 * _e175) + _e177) * STRIDE;
            half _e185 = ws[base_1 + OFF_G];
            half _e193 = ws[(base_1 + OFF_G) + 1u];
            float dc = metal::exp(static_cast<float>(_e185) + static_cast<float>(_e193));
            metal::simdgroup_half16x16 u00_0_ = NagaCooperativeLoad(&ws[(((base_1 + OFF_U) + ((16u * (i0_1 + 0u)) * DV)) + dv0_) + 0u], DV, false);
            metal::simdgroup_half16x16 u00_1_ = NagaCooperativeLoad(&ws[(((base_1 + OFF_U) + ((16u * (i0_1 + 0u)) * DV)) + dv0_) + 16u], DV, false);
            metal::simdgroup_half16x16 pp0_0_ = NagaCooperativeLoad(&ws[((base_1 + OFF_P) + ((16u * (i0_1 + 0u)) * CH)) + 0u], CH, false);
            metal::simdgroup_half16x16 pp0_1_ = NagaCooperativeLoad(&ws[((base_1 + OFF_P) + ((16u * (i0_1 + 0u)) * CH)) + 16u], CH, false);
            metal::simdgroup_half16x16 pp0_2_ = NagaCooperativeLoad(&ws[((base_1 + OFF_P) + ((16u * (i0_1 + 0u)) * CH)) + 32u], CH, false);
            metal::simdgroup_half16x16 pp0_3_ = NagaCooperativeLoad(&ws[((base_1 + OFF_P) + ((16u * (i0_1 + 0u)) * CH)) + 48u], CH, false);
            metal::simdgroup_half16x16 ww0_0_ = NagaCooperativeLoad(&ws[((base_1 + OFF_W) + ((16u * (i0_1 + 0u)) * DK)) + 0u], DK, false);
            metal::simdgroup_half16x16 qq0_0_ = NagaCooperativeLoad(&ws[((base_1 + OFF_Q) + ((16u * (i0_1 + 0u)) * DK)) + 0u], DK, false);
            metal::simdgroup_half16x16 ww0_1_ = NagaCooperativeLoad(&ws[((base_1 + OFF_W) + ((16u * (i0_1 + 0u)) * DK)) + 16u], DK, false);
            metal::simdgroup_half16x16 qq0_1_ = NagaCooperativeLoad(&ws[((base_1 + OFF_Q) + ((16u * (i0_1 + 0u)) * DK)) + 16u], DK, false);
            metal::simdgroup_half16x16 ww0_2_ = NagaCooperativeLoad(&ws[((base_1 + OFF_W) + ((16u * (i0_1 + 0u)) * DK)) + 32u], DK, false);
            metal::simdgroup_half16x16 qq0_2_ = NagaCooperativeLoad(&ws[((base_1 + OFF_Q) + ((16u * (i0_1 + 0u)) * DK)) + 32u], DK, false);
            metal::simdgroup_half16x16 ww0_3_ = NagaCooperativeLoad(&ws[((base_1 + OFF_W) + ((16u * (i0_1 + 0u)) * DK)) + 48u], DK, false);
            metal::simdgroup_half16x16 qq0_3_ = NagaCooperativeLoad(&ws[((base_1 + OFF_Q) + ((16u * (i0_1 + 0u)) * DK)) + 48u], DK, false);
            metal::simdgroup_half16x16 ww0_4_ = NagaCooperativeLoad(&ws[((base_1 + OFF_W) + ((16u * (i0_1 + 0u)) * DK)) + 64u], DK, false);
            metal::simdgroup_half16x16 qq0_4_ = NagaCooperativeLoad(&ws[((base_1 + OFF_Q) + ((16u * (i0_1 + 0u)) * DK)) + 64u], DK, false);
            metal::simdgroup_half16x16 ww0_5_ = NagaCooperativeLoad(&ws[((base_1 + OFF_W) + ((16u * (i0_1 + 0u)) * DK)) + 80u], DK, false);
            metal::simdgroup_half16x16 qq0_5_ = NagaCooperativeLoad(&ws[((base_1 + OFF_Q) + ((16u * (i0_1 + 0u)) * DK)) + 80u], DK, false);
            metal::simdgroup_half16x16 ww0_6_ = NagaCooperativeLoad(&ws[((base_1 + OFF_W) + ((16u * (i0_1 + 0u)) * DK)) + 96u], DK, false);
            metal::simdgroup_half16x16 qq0_6_ = NagaCooperativeLoad(&ws[((base_1 + OFF_Q) + ((16u * (i0_1 + 0u)) * DK)) + 96u], DK, false);
            metal::simdgroup_half16x16 ww0_7_ = NagaCooperativeLoad(&ws[((base_1 + OFF_W) + ((16u * (i0_1 + 0u)) * DK)) + 112u], DK, false);
            metal::simdgroup_half16x16 qq0_7_ = NagaCooperativeLoad(&ws[((base_1 + OFF_Q) + ((16u * (i0_1 + 0u)) * DK)) + 112u], DK, false);
            metal::simdgroup_half16x16 kt0_0_ = NagaCooperativeLoad(&ws[(((base_1 + OFF_K) + 0u) + (16u * j0_)) + 0u], DK, false);
            metal::simdgroup_half16x16 kt0_1_ = NagaCooperativeLoad(&ws[(((base_1 + OFF_K) + 0u) + (16u * j0_)) + 16u], DK, false);
            metal::simdgroup_half16x16 kt1_0_ = NagaCooperativeLoad(&ws[(((base_1 + OFF_K) + 2048u) + (16u * j0_)) + 0u], DK, false);
            metal::simdgroup_half16x16 kt1_1_ = NagaCooperativeLoad(&ws[(((base_1 + OFF_K) + 2048u) + (16u * j0_)) + 16u], DK, false);
            metal::simdgroup_half16x16 kt2_0_ = NagaCooperativeLoad(&ws[(((base_1 + OFF_K) + 4096u) + (16u * j0_)) + 0u], DK, false);
            metal::simdgroup_half16x16 kt2_1_ = NagaCooperativeLoad(&ws[(((base_1 + OFF_K) + 4096u) + (16u * j0_)) + 16u], DK, false);
            metal::simdgroup_half16x16 kt3_0_ = NagaCooperativeLoad(&ws[(((base_1 + OFF_K) + 6144u) + (16u * j0_)) + 0u], DK, false);
            metal::simdgroup_half16x16 kt3_1_ = NagaCooperativeLoad(&ws[(((base_1 + OFF_K) + 6144u) + (16u * j0_)) + 16u], DK, false);
            metal::simdgroup_float16x16 _e633 = s0_0_;
            simdgroup_store(_e633, &sf.inner[(0u + (16u * j0_)) + 0u], SFS);
            metal::simdgroup_float16x16 _e643 = s0_1_;
            simdgroup_store(_e643, &sf.inner[(0u + (16u * j0_)) + 16u], SFS);
            metal::simdgroup_float16x16 _e653 = s1_0_;
            simdgroup_store(_e653, &sf.inner[(2112u + (16u * j0_)) + 0u], SFS);
            metal::simdgroup_float16x16 _e663 = s1_1_;
            simdgroup_store(_e663, &sf.inner[(2112u + (16u * j0_)) + 16u], SFS);
            metal::threadgroup_barrier(metal::mem_flags::mem_threadgroup);
            {
                uint e_89 = 2u * (tid_1 + 0u);
                float _e679 = part.inner[e_89];
                float _e684 = part.inner[e_89 + 1u];
                yv0_ = metal::float2(_e679, _e684);
            }
            {
                uint e_90 = 2u * (tid_1 + 128u);
                float _e692 = part.inner[e_90];
                float _e697 = part.inner[e_90 + 1u];
                yv1_ = metal::float2(_e692, _e697);
            }
            {
                uint e_91 = 2u * (tid_1 + 256u);
                float _e705 = part.inner[e_91];
                float _e710 = part.inner[e_91 + 1u];
                yv2_ = metal::float2(_e705, _e710);
            }
            {
                uint e_92 = 2u * (tid_1 + 384u);
                float _e718 = part.inner[e_92];
                float _e723 = part.inner[e_92 + 1u];
                yv3_ = metal::float2(_e718, _e723);
            }
            {
                uint e_93 = 2u * (tid_1 + 512u);
                float _e731 = part.inner[e_93];
                float _e736 = part.inner[e_93 + 1u];
                yv4_ = metal::float2(_e731, _e736);
            }
            {
                uint e_94 = 2u * (tid_1 + 640u);
                float _e744 = part.inner[e_94];
                float _e749 = part.inner[e_94 + 1u];
                yv5_ = metal::float2(_e744, _e749);
            }
            {
                uint e_95 = 2u * (tid_1 + 768u);
                float _e757 = part.inner[e_95];
                float _e762 = part.inner[e_95 + 1u];
                yv6_ = metal::float2(_e757, _e762);
            }
            {
                uint e_96 = 2u * (tid_1 + 896u);
                float _e770 = part.inner[e_96];
                float _e775 = part.inner[e_96 + 1u];
                yv7_ = metal::float2(_e770, _e775);
            }
            {
                uint e_97 = tid_1 + 0u;
                uint r_69 = naga_div(e_97, DK);
                float _e797 = sf.inner[((r_69 * SFS) + e_97) - (r_69 * DK)];
                sh.inner[((r_69 * SHS) + e_97) - (r_69 * DK)] = static_cast<half>(_e797);
            }
            {
                uint e_98 = tid_1 + 128u;
                uint r_70 = naga_div(e_98, DK);
                float _e819 = sf.inner[((r_70 * SFS) + e_98) - (r_70 * DK)];
                sh.inner[((r_70 * SHS) + e_98) - (r_70 * DK)] = static_cast<half>(_e819);
            }
            {
                uint e_99 = tid_1 + 256u;
                uint r_71 = naga_div(e_99, DK);
                float _e841 = sf.inner[((r_71 * SFS) + e_99) - (r_71 * DK)];
                sh.inner[((r_71 * SHS) + e_99) - (r_71 * DK)] = static_cast<half>(_e841);
            }
            {
                uint e_100 = tid_1 + 384u;
                uint r_72 = naga_div(e_100, DK);
                float _e863 = sf.inner[((r_72 * SFS) + e_100) - (r_72 * DK)];
                sh.inner[((r_72 * SHS) + e_100) - (r_72 * DK)] = static_cast<half>(_e863);
            }
            {
                uint e_101 = tid_1 + 512u;
                uint r_73 = naga_div(e_101, DK);
                float _e885 = sf.inner[((r_73 * SFS) + e_101) - (r_73 * DK)];
                sh.inner[((r_73 * SHS) + e_101) - (r_73 * DK)] = static_cast<half>(_e885);
            }
            {
                uint e_102 = tid_1 + 640u;
                uint r_74 = naga_div(e_102, DK);
                float _e907 = sf.inner[((r_74 * SFS) + e_102) - (r_74 * DK)];
                sh.inner[((r_74 * SHS) + e_102) - (r_74 * DK)] = static_cast<half>(_e907);
            }
            {
                uint e_103 = tid_1 + 768u;
                uint r_75 = naga_div(e_103, DK);
                float _e929 = sf.inner[((r_75 * SFS) + e_103) - (r_75 * DK)];
                sh.inner[((r_75 * SHS) + e_103) - (r_75 * DK)] = static_cast<half>(_e929);
            }
            {
                uint e_104 = tid_1 + 896u;
                uint r_76 = naga_div(e_104, DK);
                float _e951 = sf.inner[((r_76 * SFS) + e_104) - (r_76 * DK)];
                sh.inner[((r_76 * SHS) + e_104) - (r_76 * DK)] = static_cast<half>(_e951);
            }
            {
                uint e_105 = tid_1 + 1024u;
                uint r_77 = naga_div(e_105, DK);
                float _e973 = sf.inner[((r_77 * SFS) + e_105) - (r_77 * DK)];
                sh.inner[((r_77 * SHS) + e_105) - (r_77 * DK)] = static_cast<half>(_e973);
            }
            {
                uint e_106 = tid_1 + 1152u;
                uint r_78 = naga_div(e_106, DK);
                float _e995 = sf.inner[((r_78 * SFS) + e_106) - (r_78 * DK)];
                sh.inner[((r_78 * SHS) + e_106) - (r_78 * DK)] = static_cast<half>(_e995);
            }
            {
                uint e_107 = tid_1 + 1280u;
                uint r_79 = naga_div(e_107, DK);
                float _e1017 = sf.inner[((r_79 * SFS) + e_107) - (r_79 * DK)];
                sh.inner[((r_79 * SHS) + e_107) - (r_79 * DK)] = static_cast<half>(_e1017);
            }
            {
                uint e_108 = tid_1 + 1408u;
                uint r_80 = naga_div(e_108, DK);
                float _e1039 = sf.inner[((r_80 * SFS) + e_108) - (r_80 * DK)];
                sh.inner[((r_80 * SHS) + e_108) - (r_80 * DK)] = static_cast<half>(_e1039);
            }
            {
                uint e_109 = tid_1 + 1536u;
                uint r_81 = naga_div(e_109, DK);
                float _e1061 = sf.inner[((r_81 * SFS) + e_109) - (r_81 * DK)];
                sh.inner[((r_81 * SHS) + e_109) - (r_81 * DK)] = static_cast<half>(_e1061);
            }
            {
                uint e_110 = tid_1 + 1664u;
                uint r_82 = naga_div(e_110, DK);
                float _e1083 = sf.inner[((r_82 * SFS) + e_110) - (r_82 * DK)];
                sh.inner[((r_82 * SHS) + e_110) - (r_82 * DK)] = static_cast<half>(_e1083);
            }
            {
                uint e_111 = tid_1 + 1792u;
                uint r_83 = naga_div(e_111, DK);
                float _e1105 = sf.inner[((r_83 * SFS) + e_111) - (r_83 * DK)];
                sh.inner[((r_83 * SHS) + e_111) - (r_83 * DK)] = static_cast<half>(_e1105);
            }
            {
                uint e_112 = tid_1 + 1920u;
                uint r_84 = naga_div(e_112, DK);
                float _e1127 = sf.inner[((r_84 * SFS) + e_112) - (r_84 * DK)];
                sh.inner[((r_84 * SHS) + e_112) - (r_84 * DK)] = static_cast<half>(_e1127);
            }
            {
                uint e_113 = tid_1 + 2048u;
                uint r_85 = naga_div(e_113, DK);
                float _e1149 = sf.inner[((r_85 * SFS) + e_113) - (r_85 * DK)];
                sh.inner[((r_85 * SHS) + e_113) - (r_85 * DK)] = static_cast<half>(_e1149);
            }
            {
                uint e_114 = tid_1 + 2176u;
                uint r_86 = naga_div(e_114, DK);
                float _e1171 = sf.inner[((r_86 * SFS) + e_114) - (r_86 * DK)];
                sh.inner[((r_86 * SHS) + e_114) - (r_86 * DK)] = static_cast<half>(_e1171);
            }
            {
                uint e_115 = tid_1 + 2304u;
                uint r_87 = naga_div(e_115, DK);
                float _e1193 = sf.inner[((r_87 * SFS) + e_115) - (r_87 * DK)];
                sh.inner[((r_87 * SHS) + e_115) - (r_87 * DK)] = static_cast<half>(_e1193);
            }
            {
                uint e_116 = tid_1 + 2432u;
                uint r_88 = naga_div(e_116, DK);
                float _e1215 = sf.inner[((r_88 * SFS) + e_116) - (r_88 * DK)];
                sh.inner[((r_88 * SHS) + e_116) - (r_88 * DK)] = static_cast<half>(_e1215);
            }
            {
                uint e_117 = tid_1 + 2560u;
                uint r_89 = naga_div(e_117, DK);
                float _e1237 = sf.inner[((r_89 * SFS) + e_117) - (r_89 * DK)];
                sh.inner[((r_89 * SHS) + e_117) - (r_89 * DK)] = static_cast<half>(_e1237);
            }
            {
                uint e_118 = tid_1 + 2688u;
                uint r_90 = naga_div(e_118, DK);
                float _e1259 = sf.inner[((r_90 * SFS) + e_118) - (r_90 * DK)];
                sh.inner[((r_90 * SHS) + e_118) - (r_90 * DK)] = static_cast<half>(_e1259);
            }
            {
                uint e_119 = tid_1 + 2816u;
                uint r_91 = naga_div(e_119, DK);
                float _e1281 = sf.inner[((r_91 * SFS) + e_119) - (r_91 * DK)];
                sh.inner[((r_91 * SHS) + e_119) - (r_91 * DK)] = static_cast<half>(_e1281);
            }
            {
                uint e_120 = tid_1 + 2944u;
                uint r_92 = naga_div(e_120, DK);
                float _e1303 = sf.inner[((r_92 * SFS) + e_120) - (r_92 * DK)];
                sh.inner[((r_92 * SHS) + e_120) - (r_92 * DK)] = static_cast<half>(_e1303);
            }
            {
                uint e_121 = tid_1 + 3072u;
                uint r_93 = naga_div(e_121, DK);
                float _e1325 = sf.inner[((r_93 * SFS) + e_121) - (r_93 * DK)];
                sh.inner[((r_93 * SHS) + e_121) - (r_93 * DK)] = static_cast<half>(_e1325);
            }
            {
                uint e_122 = tid_1 + 3200u;
                uint r_94 = naga_div(e_122, DK);
                float _e1347 = sf.inner[((r_94 * SFS) + e_122) - (r_94 * DK)];
                sh.inner[((r_94 * SHS) + e_122) - (r_94 * DK)] = static_cast<half>(_e1347);
            }
            {
                uint e_123 = tid_1 + 3328u;
                uint r_95 = naga_div(e_123, DK);
                float _e1369 = sf.inner[((r_95 * SFS) + e_123) - (r_95 * DK)];
                sh.inner[((r_95 * SHS) + e_123) - (r_95 * DK)] = static_cast<half>(_e1369);
            }
            {
                uint e_124 = tid_1 + 3456u;
                uint r_96 = naga_div(e_124, DK);
                float _e1391 = sf.inner[((r_96 * SFS) + e_124) - (r_96 * DK)];
                sh.inner[((r_96 * SHS) + e_124) - (r_96 * DK)] = static_cast<half>(_e1391);
            }
            {
                uint e_125 = tid_1 + 3584u;
                uint r_97 = naga_div(e_125, DK);
                float _e1413 = sf.inner[((r_97 * SFS) + e_125) - (r_97 * DK)];
                sh.inner[((r_97 * SHS) + e_125) - (r_97 * DK)] = static_cast<half>(_e1413);
            }
            {
                uint e_126 = tid_1 + 3712u;
                uint r_98 = naga_div(e_126, DK);
                float _e1435 = sf.inner[((r_98 * SFS) + e_126) - (r_98 * DK)];
                sh.inner[((r_98 * SHS) + e_126) - (r_98 * DK)] = static_cast<half>(_e1435);
            }
            {
                uint e_127 = tid_1 + 3840u;
                uint r_99 = naga_div(e_127, DK);
                float _e1457 = sf.inner[((r_99 * SFS) + e_127) - (r_99 * DK)];
                sh.inner[((r_99 * SHS) + e_127) - (r_99 * DK)] = static_cast<half>(_e1457);
            }
            {
                uint e_128 = tid_1 + 3968u;
                uint r_100 = naga_div(e_128, DK);
                float _e1479 = sf.inner[((r_100 * SFS) + e_128) - (r_100 * DK)];
                sh.inner[((r_100 * SHS) + e_128) - (r_100 * DK)] = static_cast<half>(_e1479);
            }
            metal::threadgroup_barrier(metal::mem_flags::mem_threadgroup);
            yt0_0_ = metal::simdgroup_float16x16 {};
            {
                uint i_49 = i0_1 + 0u;
                u = NagaCooperativeMultiplyAdd(u00_0_, eyeb, metal::simdgroup_float16x16 {});
                {
                    metal::simdgroup_half16x16 st = NagaCooperativeLoad(&sh.inner[0], SHS, true);
                    metal::simdgroup_float16x16 _e1492 = u;
                    u = NagaCooperativeMultiplyAdd(ww0_0_, st, _e1492);
                    metal::simdgroup_float16x16 _e1494 = yt0_0_;
                    yt0_0_ = NagaCooperativeMultiplyAdd(qq0_0_, st, _e1494);
                }
                {
                    metal::simdgroup_half16x16 st_1 = NagaCooperativeLoad(&sh.inner[16], SHS, true);
                    metal::simdgroup_float16x16 _e1500 = u;
                    u = NagaCooperativeMultiplyAdd(ww0_1_, st_1, _e1500);
                    metal::simdgroup_float16x16 _e1502 = yt0_0_;
                    yt0_0_ = NagaCooperativeMultiplyAdd(qq0_1_, st_1, _e1502);
                }
                {
                    metal::simdgroup_half16x16 st_2 = NagaCooperativeLoad(&sh.inner[32], SHS, true);
                    metal::simdgroup_float16x16 _e1508 = u;
                    u = NagaCooperativeMultiplyAdd(ww0_2_, st_2, _e1508);
                    metal::simdgroup_float16x16 _e1510 = yt0_0_;
                    yt0_0_ = NagaCooperativeMultiplyAdd(qq0_2_, st_2, _e1510);
                }
                {
                    metal::simdgroup_half16x16 st_3 = NagaCooperativeLoad(&sh.inner[48], SHS, true);
                    metal::simdgroup_float16x16 _e1516 = u;
                    u = NagaCooperativeMultiplyAdd(ww0_3_, st_3, _e1516);
                    metal::simdgroup_float16x16 _e1518 = yt0_0_;
                    yt0_0_ = NagaCooperativeMultiplyAdd(qq0_3_, st_3, _e1518);
                }
                {
                    metal::simdgroup_half16x16 st_4 = NagaCooperativeLoad(&sh.inner[64], SHS, true);
                    metal::simdgroup_float16x16 _e1524 = u;
                    u = NagaCooperativeMultiplyAdd(ww0_4_, st_4, _e1524);
                    metal::simdgroup_float16x16 _e1526 = yt0_0_;
                    yt0_0_ = NagaCooperativeMultiplyAdd(qq0_4_, st_4, _e1526);
                }
                {
                    metal::simdgroup_half16x16 st_5 = NagaCooperativeLoad(&sh.inner[80], SHS, true);
                    metal::simdgroup_float16x16 _e1532 = u;
                    u = NagaCooperativeMultiplyAdd(ww0_5_, st_5, _e1532);
                    metal::simdgroup_float16x16 _e1534 = yt0_0_;
                    yt0_0_ = NagaCooperativeMultiplyAdd(qq0_5_, st_5, _e1534);
                }
                {
                    metal::simdgroup_half16x16 st_6 = NagaCooperativeLoad(&sh.inner[96], SHS, true);
                    metal::simdgroup_float16x16 _e1540 = u;
                    u = NagaCooperativeMultiplyAdd(ww0_6_, st_6, _e1540);
                    metal::simdgroup_float16x16 _e1542 = yt0_0_;
                    yt0_0_ = NagaCooperativeMultiplyAdd(qq0_6_, st_6, _e1542);
                }
                {
                    metal::simdgroup_half16x16 st_7 = NagaCooperativeLoad(&sh.inner[112], SHS, true);
                    metal::simdgroup_float16x16 _e1548 = u;
                    u = NagaCooperativeMultiplyAdd(ww0_7_, st_7, _e1548);
                    metal::simdgroup_float16x16 _e1550 = yt0_0_;
                    yt0_0_ = NagaCooperativeMultiplyAdd(qq0_7_, st_7, _e1550);
                }
                metal::simdgroup_float16x16 _e1552 = u;
                simdgroup_store(_e1552, &part.inner[((16u * i_49) * R) + 0u], R);
            }
            yt0_1_ = metal::simdgroup_float16x16 {};
            {
                uint i_50 = i0_1 + 0u;
                u_1 = NagaCooperativeMultiplyAdd(u00_1_, eyeb, metal::simdgroup_float16x16 {});
                {
                    metal::simdgroup_half16x16 st_8 = NagaCooperativeLoad(&sh.inner[2176], SHS, true);
                    metal::simdgroup_float16x16 _e1573 = u_1;
                    u_1 = NagaCooperativeMultiplyAdd(ww0_0_, st_8, _e1573);
                    metal::simdgroup_float16x16 _e1575 = yt0_1_;
                    yt0_1_ = NagaCooperativeMultiplyAdd(qq0_0_, st_8, _e1575);
                }
                {
                    metal::simdgroup_half16x16 st_9 = NagaCooperativeLoad(&sh.inner[2192], SHS, true);
                    metal::simdgroup_float16x16 _e1581 = u_1;
                    u_1 = NagaCooperativeMultiplyAdd(ww0_1_, st_9, _e1581);
                    metal::simdgroup_float16x16 _e1583 = yt0_1_;
                    yt0_1_ = NagaCooperativeMultiplyAdd(qq0_1_, st_9, _e1583);
                }
                {
                    metal::simdgroup_half16x16 st_10 = NagaCooperativeLoad(&sh.inner[2208], SHS, true);
                    metal::simdgroup_float16x16 _e1589 = u_1;
                    u_1 = NagaCooperativeMultiplyAdd(ww0_2_, st_10, _e1589);
                    metal::simdgroup_float16x16 _e1591 = yt0_1_;
                    yt0_1_ = NagaCooperativeMultiplyAdd(qq0_2_, st_10, _e1591);
                }
                {
                    metal::simdgroup_half16x16 st_11 = NagaCooperativeLoad(&sh.inner[2224], SHS, true);
                    metal::simdgroup_float16x16 _e1597 = u_1;
                    u_1 = NagaCooperativeMultiplyAdd(ww0_3_, st_11, _e1597);
                    metal::simdgroup_float16x16 _e1599 = yt0_1_;
                    yt0_1_ = NagaCooperativeMultiplyAdd(qq0_3_, st_11, _e1599);
                }
                {
                    metal::simdgroup_half16x16 st_12 = NagaCooperativeLoad(&sh.inner[2240], SHS, true);
                    metal::simdgroup_float16x16 _e1605 = u_1;
                    u_1 = NagaCooperativeMultiplyAdd(ww0_4_, st_12, _e1605);
                    metal::simdgroup_float16x16 _e1607 = yt0_1_;
                    yt0_1_ = NagaCooperativeMultiplyAdd(qq0_4_, st_12, _e1607);
                }
                {
                    metal::simdgroup_half16x16 st_13 = NagaCooperativeLoad(&sh.inner[2256], SHS, true);
                    metal::simdgroup_float16x16 _e1613 = u_1;
                    u_1 = NagaCooperativeMultiplyAdd(ww0_5_, st_13, _e1613);
                    metal::simdgroup_float16x16 _e1615 = yt0_1_;
                    yt0_1_ = NagaCooperativeMultiplyAdd(qq0_5_, st_13, _e1615);
                }
                {
                    metal::simdgroup_half16x16 st_14 = NagaCooperativeLoad(&sh.inner[2272], SHS, true);
                    metal::simdgroup_float16x16 _e1621 = u_1;
                    u_1 = NagaCooperativeMultiplyAdd(ww0_6_, st_14, _e1621);
                    metal::simdgroup_float16x16 _e1623 = yt0_1_;
                    yt0_1_ = NagaCooperativeMultiplyAdd(qq0_6_, st_14, _e1623);
                }
                {
                    metal::simdgroup_half16x16 st_15 = NagaCooperativeLoad(&sh.inner[2288], SHS, true);
                    metal::simdgroup_float16x16 _e1629 = u_1;
                    u_1 = NagaCooperativeMultiplyAdd(ww0_7_, st_15, _e1629);
                    metal::simdgroup_float16x16 _e1631 = yt0_1_;
                    yt0_1_ = NagaCooperativeMultiplyAdd(qq0_7_, st_15, _e1631);
                }
                metal::simdgroup_float16x16 _e1633 = u_1;
                simdgroup_store(_e1633, &part.inner[((16u * i_50) * R) + 16u], R);
            }
            metal::threadgroup_barrier(metal::mem_flags::mem_threadgroup);
            float _e1651 = part.inner[tid_1 + 0u];
            uh.inner[tid_1 + 0u] = static_cast<half>(_e1651);
            float _e1661 = part.inner[tid_1 + 128u];
            uh.inner[tid_1 + 128u] = static_cast<half>(_e1661);
            float _e1671 = part.inner[tid_1 + 256u];
            uh.inner[tid_1 + 256u] = static_cast<half>(_e1671);
            float _e1681 = part.inner[tid_1 + 384u];
            uh.inner[tid_1 + 384u] = static_cast<half>(_e1681);
            float _e1691 = part.inner[tid_1 + 512u];
            uh.inner[tid_1 + 512u] = static_cast<half>(_e1691);
            float _e1701 = part.inner[tid_1 + 640u];
            uh.inner[tid_1 + 640u] = static_cast<half>(_e1701);
            float _e1711 = part.inner[tid_1 + 768u];
            uh.inner[tid_1 + 768u] = static_cast<half>(_e1711);
            float _e1721 = part.inner[tid_1 + 896u];
            uh.inner[tid_1 + 896u] = static_cast<half>(_e1721);
            float _e1731 = part.inner[tid_1 + 1024u];
            uh.inner[tid_1 + 1024u] = static_cast<half>(_e1731);
            float _e1741 = part.inner[tid_1 + 1152u];
            uh.inner[tid_1 + 1152u] = static_cast<half>(_e1741);
            float _e1751 = part.inner[tid_1 + 1280u];
            uh.inner[tid_1 + 1280u] = static_cast<half>(_e1751);
            float _e1761 = part.inner[tid_1 + 1408u];
            uh.inner[tid_1 + 1408u] = static_cast<half>(_e1761);
            float _e1771 = part.inner[tid_1 + 1536u];
            uh.inner[tid_1 + 1536u] = static_cast<half>(_e1771);
            float _e1781 = part.inner[tid_1 + 1664u];
            uh.inner[tid_1 + 1664u] = static_cast<half>(_e1781);
            float _e1791 = part.inner[tid_1 + 1792u];
            uh.inner[tid_1 + 1792u] = static_cast<half>(_e1791);
            float _e1801 = part.inner[tid_1 + 1920u];
            uh.inner[tid_1 + 1920u] = static_cast<half>(_e1801);
            metal::threadgroup_barrier(metal::mem_flags::mem_threadgroup);
            {
                uint i_51 = i0_1 + 0u;
                metal::simdgroup_float16x16 _e1809 = yt0_0_;
                yt0_0_ = NagaCooperativeMultiplyAdd(pp0_0_, NagaCooperativeLoad(&uh.inner[0], R, false), _e1809);
                metal::simdgroup_float16x16 _e1815 = yt0_0_;
                yt0_0_ = NagaCooperativeMultiplyAdd(pp0_1_, NagaCooperativeLoad(&uh.inner[512], R, false), _e1815);
                metal::simdgroup_float16x16 _e1821 = yt0_0_;
                yt0_0_ = NagaCooperativeMultiplyAdd(pp0_2_, NagaCooperativeLoad(&uh.inner[1024], R, false), _e1821);
                metal::simdgroup_float16x16 _e1827 = yt0_0_;
                yt0_0_ = NagaCooperativeMultiplyAdd(pp0_3_, NagaCooperativeLoad(&uh.inner[1536], R, false), _e1827);
                metal::simdgroup_float16x16 _e1829 = yt0_0_;
                simdgroup_store(_e1829, &part.inner[((16u * i_51) * R) + 0u], R);
            }
            {
                uint i_52 = i0_1 + 0u;
                metal::simdgroup_float16x16 _e1845 = yt0_1_;
                yt0_1_ = NagaCooperativeMultiplyAdd(pp0_0_, NagaCooperativeLoad(&uh.inner[16], R, false), _e1845);
                metal::simdgroup_float16x16 _e1851 = yt0_1_;
                yt0_1_ = NagaCooperativeMultiplyAdd(pp0_1_, NagaCooperativeLoad(&uh.inner[528], R, false), _e1851);
                metal::simdgroup_float16x16 _e1857 = yt0_1_;
                yt0_1_ = NagaCooperativeMultiplyAdd(pp0_2_, NagaCooperativeLoad(&uh.inner[1040], R, false), _e1857);
                metal::simdgroup_float16x16 _e1863 = yt0_1_;
                yt0_1_ = NagaCooperativeMultiplyAdd(pp0_3_, NagaCooperativeLoad(&uh.inner[1552], R, false), _e1863);
                metal::simdgroup_float16x16 _e1865 = yt0_1_;
                simdgroup_store(_e1865, &part.inner[((16u * i_52) * R) + 16u], R);
            }
            metal::simdgroup_float16x16 _e1875 = s0_0_;
            s0_0_ = dc * _e1875;
            metal::simdgroup_float16x16 _e1877 = s0_1_;
            s0_1_ = dc * _e1877;
            {
                metal::simdgroup_half16x16 ut = NagaCooperativeLoad(&uh.inner[0], R, true);
                metal::simdgroup_float16x16 _e1883 = s0_0_;
                s0_0_ = NagaCooperativeMultiplyAdd(ut, kt0_0_, _e1883);
                metal::simdgroup_float16x16 _e1885 = s0_1_;
                s0_1_ = NagaCooperativeMultiplyAdd(ut, kt0_1_, _e1885);
            }
            {
                metal::simdgroup_half16x16 ut_1 = NagaCooperativeLoad(&uh.inner[512], R, true);
                metal::simdgroup_float16x16 _e1891 = s0_0_;
                s0_0_ = NagaCooperativeMultiplyAdd(ut_1, kt1_0_, _e1891);
                metal::simdgroup_float16x16 _e1893 = s0_1_;
                s0_1_ = NagaCooperativeMultiplyAdd(ut_1, kt1_1_, _e1893);
            }
            {
                metal::simdgroup_half16x16 ut_2 = NagaCooperativeLoad(&uh.inner[1024], R, true);
                metal::simdgroup_float16x16 _e1899 = s0_0_;
                s0_0_ = NagaCooperativeMultiplyAdd(ut_2, kt2_0_, _e1899);
                metal::simdgroup_float16x16 _e1901 = s0_1_;
                s0_1_ = NagaCooperativeMultiplyAdd(ut_2, kt2_1_, _e1901);
            }
            {
                metal::simdgroup_half16x16 ut_3 = NagaCooperativeLoad(&uh.inner[1536], R, true);
                metal::simdgroup_float16x16 _e1907 = s0_0_;
                s0_0_ = NagaCooperativeMultiplyAdd(ut_3, kt3_0_, _e1907);
                metal::simdgroup_float16x16 _e1909 = s0_1_;
                s0_1_ = NagaCooperativeMultiplyAdd(ut_3, kt3_1_, _e1909);
            }
            metal::simdgroup_float16x16 _e1911 = s1_0_;
            s1_0_ = dc * _e1911;
            metal::simdgroup_float16x16 _e1913 = s1_1_;
            s1_1_ = dc * _e1913;
            {
                metal::simdgroup_half16x16 ut_4 = NagaCooperativeLoad(&uh.inner[16], R, true);
                metal::simdgroup_float16x16 _e1919 = s1_0_;
                s1_0_ = NagaCooperativeMultiplyAdd(ut_4, kt0_0_, _e1919);
                metal::simdgroup_float16x16 _e1921 = s1_1_;
                s1_1_ = NagaCooperativeMultiplyAdd(ut_4, kt0_1_, _e1921);
            }
            {
                metal::simdgroup_half16x16 ut_5 = NagaCooperativeLoad(&uh.inner[528], R, true);
                metal::simdgroup_float16x16 _e1927 = s1_0_;
                s1_0_ = NagaCooperativeMultiplyAdd(ut_5, kt1_0_, _e1927);
                metal::simdgroup_float16x16 _e1929 = s1_1_;
                s1_1_ = NagaCooperativeMultiplyAdd(ut_5, kt1_1_, _e1929);
            }
            {
                metal::simdgroup_half16x16 ut_6 = NagaCooperativeLoad(&uh.inner[1040], R, true);
                metal::simdgroup_float16x16 _e1935 = s1_0_;
                s1_0_ = NagaCooperativeMultiplyAdd(ut_6, kt2_0_, _e1935);
                metal::simdgroup_float16x16 _e1937 = s1_1_;
                s1_1_ = NagaCooperativeMultiplyAdd(ut_6, kt2_1_, _e1937);
            }
            {
                metal::simdgroup_half16x16 ut_7 = NagaCooperativeLoad(&uh.inner[1552], R, true);
                metal::simdgroup_float16x16 _e1943 = s1_0_;
                s1_0_ = NagaCooperativeMultiplyAdd(ut_7, kt3_0_, _e1943);
                metal::simdgroup_float16x16 _e1945 = s1_1_;
                s1_1_ = NagaCooperativeMultiplyAdd(ut_7, kt3_1_, _e1945);
            }
            uint _e1947 = c;
            if (_e1947 > 0u) {
                {
                    uint e_129 = 2u * (tid_1 + 0u);
                    uint i_53 = naga_div(e_129, R);
                    uint _e1959 = seq_len(b_6, p, mask, _buffer_sizes);
                    if (((ts0_1 - CH) + i_53) < _e1959) {
                        uint _e1965 = bt_of(b_6, (ts0_1 - CH) + i_53, p, mask, _buffer_sizes);
                        float _e1980 = yv0_.x;
                        float _e1982 = yv0_.y;
                        uint _e1983 = pack_y(_e1980, _e1982);
                        y[((((((_e1965 * HV) + hv_1) * DV) + dv0_) + e_129) - (i_53 * R)) >> 1u] = _e1983;
                    }
                }
                {
                    uint e_130 = 2u * (tid_1 + 128u);
                    uint i_54 = naga_div(e_130, R);
                    uint _e1993 = seq_len(b_6, p, mask, _buffer_sizes);
                    if (((ts0_1 - CH) + i_54) < _e1993) {
                        uint _e1999 = bt_of(b_6, (ts0_1 - CH) + i_54, p, mask, _buffer_sizes);
                        float _e2014 = yv1_.x;
                        float _e2016 = yv1_.y;
                        uint _e2017 = pack_y(_e2014, _e2016);
                        y[((((((_e1999 * HV) + hv_1) * DV) + dv0_) + e_130) - (i_54 * R)) >> 1u] = _e2017;
                    }
                }
                {
                    uint e_131 = 2u * (tid_1 + 256u);
                    uint i_55 = naga_div(e_131, R);
                    uint _e2027 = seq_len(b_6, p, mask, _buffer_sizes);
                    if (((ts0_1 - CH) + i_55) < _e2027) {
                        uint _e2033 = bt_of(b_6, (ts0_1 - CH) + i_55, p, mask, _buffer_sizes);
                        float _e2048 = yv2_.x;
                        float _e2050 = yv2_.y;
                        uint _e2051 = pack_y(_e2048, _e2050);
                        y[((((((_e2033 * HV) + hv_1) * DV) + dv0_) + e_131) - (i_55 * R)) >> 1u] = _e2051;
                    }
                }
                {
                    uint e_132 = 2u * (tid_1 + 384u);
                    uint i_56 = naga_div(e_132, R);
                    uint _e2061 = seq_len(b_6, p, mask, _buffer_sizes);
                    if (((ts0_1 - CH) + i_56) < _e2061) {
                        uint _e2067 = bt_of(b_6, (ts0_1 - CH) + i_56, p, mask, _buffer_sizes);
                        float _e2082 = yv3_.x;
                        float _e2084 = yv3_.y;
                        uint _e2085 = pack_y(_e2082, _e2084);
                        y[((((((_e2067 * HV) + hv_1) * DV) + dv0_) + e_132) - (i_56 * R)) >> 1u] = _e2085;
                    }
                }
                {
                    uint e_133 = 2u * (tid_1 + 512u);
                    uint i_57 = naga_div(e_133, R);
                    uint _e2095 = seq_len(b_6, p, mask, _buffer_sizes);
                    if (((ts0_1 - CH) + i_57) < _e2095) {
                        uint _e2101 = bt_of(b_6, (ts0_1 - CH) + i_57, p, mask, _buffer_sizes);
                        float _e2116 = yv4_.x;
                        float _e2118 = yv4_.y;
                        uint _e2119 = pack_y(_e2116, _e2118);
                        y[((((((_e2101 * HV) + hv_1) * DV) + dv0_) + e_133) - (i_57 * R)) >> 1u] = _e2119;
                    }
                }
                {
                    uint e_134 = 2u * (tid_1 + 640u);
                    uint i_58 = naga_div(e_134, R);
                    uint _e2129 = seq_len(b_6, p, mask, _buffer_sizes);
                    if (((ts0_1 - CH) + i_58) < _e2129) {
                        uint _e2135 = bt_of(b_6, (ts0_1 - CH) + i_58, p, mask, _buffer_sizes);
                        float _e2150 = yv5_.x;
                        float _e2152 = yv5_.y;
                        uint _e2153 = pack_y(_e2150, _e2152);
                        y[((((((_e2135 * HV) + hv_1) * DV) + dv0_) + e_134) - (i_58 * R)) >> 1u] = _e2153;
                    }
                }
                {
                    uint e_135 = 2u * (tid_1 + 768u);
                    uint i_59 = naga_div(e_135, R);
                    uint _e2163 = seq_len(b_6, p, mask, _buffer_sizes);
                    if (((ts0_1 - CH) + i_59) < _e2163) {
                        uint _e2169 = bt_of(b_6, (ts0_1 - CH) + i_59, p, mask, _buffer_sizes);
                        float _e2184 = yv6_.x;
                        float _e2186 = yv6_.y;
                        uint _e2187 = pack_y(_e2184, _e2186);
                        y[((((((_e2169 * HV) + hv_1) * DV) + dv0_) + e_135) - (i_59 * R)) >> 1u] = _e2187;
                    }
                }
                {
                    uint e_136 = 2u * (tid_1 + 896u);
                    uint i_60 = naga_div(e_136, R);
                    uint _e2197 = seq_len(b_6, p, mask, _buffer_sizes);
                    if (((ts0_1 - CH) + i_60) < _e2197) {
                        uint _e2203 = bt_of(b_6, (ts0_1 - CH) + i_60, p, mask, _buffer_sizes);
                        float _e2218 = yv7_.x;
                        float _e2220 = yv7_.y;
                        uint _e2221 = pack_y(_e2218, _e2220);
                        y[((((((_e2203 * HV) + hv_1) * DV) + dv0_) + e_136) - (i_60 * R)) >> 1u] = _e2221;
                    }
                }
            }
        }
    }
    metal::threadgroup_barrier(metal::mem_flags::mem_threadgroup);
    {
        uint e_137 = 2u * (tid_1 + 0u);
        float _e2231 = part.inner[e_137];
        float _e2236 = part.inner[e_137 + 1u];
        yv0_ = metal::float2(_e2231, _e2236);
    }
    {
        uint e_138 = 2u * (tid_1 + 128u);
        float _e2244 = part.inner[e_138];
        float _e2249 = part.inner[e_138 + 1u];
        yv1_ = metal::float2(_e2244, _e2249);
    }
    {
        uint e_139 = 2u * (tid_1 + 256u);
        float _e2257 = part.inner[e_139];
        float _e2262 = part.inner[e_139 + 1u];
        yv2_ = metal::float2(_e2257, _e2262);
    }
    {
        uint e_140 = 2u * (tid_1 + 384u);
        float _e2270 = part.inner[e_140];
        float _e2275 = part.inner[e_140 + 1u];
        yv3_ = metal::float2(_e2270, _e2275);
    }
    {
        uint e_141 = 2u * (tid_1 + 512u);
        float _e2283 = part.inner[e_141];
        float _e2288 = part.inner[e_141 + 1u];
        yv4_ = metal::float2(_e2283, _e2288);
    }
    {
        uint e_142 = 2u * (tid_1 + 640u);
        float _e2296 = part.inner[e_142];
        float _e2301 = part.inner[e_142 + 1u];
        yv5_ = metal::float2(_e2296, _e2301);
    }
    {
        uint e_143 = 2u * (tid_1 + 768u);
        float _e2309 = part.inner[e_143];
        float _e2314 = part.inner[e_143 + 1u];
        yv6_ = metal::float2(_e2309, _e2314);
    }
    {
        uint e_144 = 2u * (tid_1 + 896u);
        float _e2322 = part.inner[e_144];
        float _e2327 = part.inner[e_144 + 1u];
        yv7_ = metal::float2(_e2322, _e2327);
    }
    uint _e2331 = p.nc;
    if (_e2331 > 0u) {
        {
            uint e_145 = 2u * (tid_1 + 0u);
            uint i_61 = naga_div(e_145, R);
            uint _e2342 = p.t0_;
            uint _e2345 = p.nc;
            uint _e2352 = seq_len(b_6, p, mask, _buffer_sizes);
            if (((_e2342 + ((_e2345 - 1u) * CH)) + i_61) < _e2352) {
                uint _e2357 = p.t0_;
                uint _e2360 = p.nc;
                uint _e2367 = bt_of(b_6, (_e2357 + ((_e2360 - 1u) * CH)) + i_61, p, mask, _buffer_sizes);
                float _e2382 = yv0_.x;
                float _e2384 = yv0_.y;
                uint _e2385 = pack_y(_e2382, _e2384);
                y[((((((_e2367 * HV) + hv_1) * DV) + dv0_) + e_145) - (i_61 * R)) >> 1u] = _e2385;
            }
        }
        {
            uint e_146 = 2u * (tid_1 + 128u);
            uint i_62 = naga_div(e_146, R);
            uint _e2394 = p.t0_;
            uint _e2397 = p.nc;
            uint _e2404 = seq_len(b_6, p, mask, _buffer_sizes);
            if (((_e2394 + ((_e2397 - 1u) * CH)) + i_62) < _e2404) {
                uint _e2409 = p.t0_;
                uint _e2412 = p.nc;
                uint _e2419 = bt_of(b_6, (_e2409 + ((_e2412 - 1u) * CH)) + i_62, p, mask, _buffer_sizes);
                float _e2434 = yv1_.x;
                float _e2436 = yv1_.y;
                uint _e2437 = pack_y(_e2434, _e2436);
                y[((((((_e2419 * HV) + hv_1) * DV) + dv0_) + e_146) - (i_62 * R)) >> 1u] = _e2437;
            }
        }
        {
            uint e_147 = 2u * (tid_1 + 256u);
            uint i_63 = naga_div(e_147, R);
            uint _e2446 = p.t0_;
            uint _e2449 = p.nc;
            uint _e2456 = seq_len(b_6, p, mask, _buffer_sizes);
            if (((_e2446 + ((_e2449 - 1u) * CH)) + i_63) < _e2456) {
                uint _e2461 = p.t0_;
                uint _e2464 = p.nc;
                uint _e2471 = bt_of(b_6, (_e2461 + ((_e2464 - 1u) * CH)) + i_63, p, mask, _buffer_sizes);
                float _e2486 = yv2_.x;
                float _e2488 = yv2_.y;
                uint _e2489 = pack_y(_e2486, _e2488);
                y[((((((_e2471 * HV) + hv_1) * DV) + dv0_) + e_147) - (i_63 * R)) >> 1u] = _e2489;
            }
        }
        {
            uint e_148 = 2u * (tid_1 + 384u);
            uint i_64 = naga_div(e_148, R);
            uint _e2498 = p.t0_;
            uint _e2501 = p.nc;
            uint _e2508 = seq_len(b_6, p, mask, _buffer_sizes);
            if (((_e2498 + ((_e2501 - 1u) * CH)) + i_64) < _e2508) {
                uint _e2513 = p.t0_;
                uint _e2516 = p.nc;
                uint _e2523 = bt_of(b_6, (_e2513 + ((_e2516 - 1u) * CH)) + i_64, p, mask, _buffer_sizes);
                float _e2538 = yv3_.x;
                float _e2540 = yv3_.y;
                uint _e2541 = pack_y(_e2538, _e2540);
                y[((((((_e2523 * HV) + hv_1) * DV) + dv0_) + e_148) - (i_64 * R)) >> 1u] = _e2541;
            }
        }
        {
            uint e_149 = 2u * (tid_1 + 512u);
            uint i_65 = naga_div(e_149, R);
            uint _e2550 = p.t0_;
            uint _e2553 = p.nc;
            uint _e2560 = seq_len(b_6, p, mask, _buffer_sizes);
            if (((_e2550 + ((_e2553 - 1u) * CH)) + i_65) < _e2560) {
                uint _e2565 = p.t0_;
                uint _e2568 = p.nc;
                uint _e2575 = bt_of(b_6, (_e2565 + ((_e2568 - 1u) * CH)) + i_65, p, mask, _buffer_sizes);
                float _e2590 = yv4_.x;
                float _e2592 = yv4_.y;
                uint _e2593 = pack_y(_e2590, _e2592);
                y[((((((_e2575 * HV) + hv_1) * DV) + dv0_) + e_149) - (i_65 * R)) >> 1u] = _e2593;
            }
        }
        {
            uint e_150 = 2u * (tid_1 + 640u);
            uint i_66 = naga_div(e_150, R);
            uint _e2602 = p.t0_;
            uint _e2605 = p.nc;
            uint _e2612 = seq_len(b_6, p, mask, _buffer_sizes);
            if (((_e2602 + ((_e2605 - 1u) * CH)) + i_66) < _e2612) {
                uint _e2617 = p.t0_;
                uint _e2620 = p.nc;
                uint _e2627 = bt_of(b_6, (_e2617 + ((_e2620 - 1u) * CH)) + i_66, p, mask, _buffer_sizes);
                float _e2642 = yv5_.x;
                float _e2644 = yv5_.y;
                uint _e2645 = pack_y(_e2642, _e2644);
                y[((((((_e2627 * HV) + hv_1) * DV) + dv0_) + e_150) - (i_66 * R)) >> 1u] = _e2645;
            }
        }
        {
            uint e_151 = 2u * (tid_1 + 768u);
            uint i_67 = naga_div(e_151, R);
            uint _e2654 = p.t0_;
            uint _e2657 = p.nc;
            uint _e2664 = seq_len(b_6, p, mask, _buffer_sizes);
            if (((_e2654 + ((_e2657 - 1u) * CH)) + i_67) < _e2664) {
                uint _e2669 = p.t0_;
                uint _e2672 = p.nc;
                uint _e2679 = bt_of(b_6, (_e2669 + ((_e2672 - 1u) * CH)) + i_67, p, mask, _buffer_sizes);
                float _e2694 = yv6_.x;
                float _e2696 = yv6_.y;
                uint _e2697 = pack_y(_e2694, _e2696);
                y[((((((_e2679 * HV) + hv_1) * DV) + dv0_) + e_151) - (i_67 * R)) >> 1u] = _e2697;
            }
        }
        {
            uint e_152 = 2u * (tid_1 + 896u);
            uint i_68 = naga_div(e_152, R);
            uint _e2706 = p.t0_;
            uint _e2709 = p.nc;
            uint _e2716 = seq_len(b_6, p, mask, _buffer_sizes);
            if (((_e2706 + ((_e2709 - 1u) * CH)) + i_68) < _e2716) {
                uint _e2721 = p.t0_;
                uint _e2724 = p.nc;
                uint _e2731 = bt_of(b_6, (_e2721 + ((_e2724 - 1u) * CH)) + i_68, p, mask, _buffer_sizes);
                float _e2746 = yv7_.x;
                float _e2748 = yv7_.y;
                uint _e2749 = pack_y(_e2746, _e2748);
                y[((((((_e2731 * HV) + hv_1) * DV) + dv0_) + e_152) - (i_68 * R)) >> 1u] = _e2749;
            }
        }
    }
    metal::simdgroup_float16x16 _e2750 = s0_0_;
    simdgroup_store(_e2750, &s_out[(srow + 0u) + 0u], DK);
    metal::simdgroup_float16x16 _e2758 = s0_1_;
    simdgroup_store(_e2758, &s_out[(srow + 0u) + 16u], DK);
    metal::simdgroup_float16x16 _e2766 = s1_0_;
    simdgroup_store(_e2766, &s_out[(srow + 2048u) + 0u], DK);
    metal::simdgroup_float16x16 _e2774 = s1_1_;
    simdgroup_store(_e2774, &s_out[(srow + 2048u) + 16u], DK);
    return;
}
