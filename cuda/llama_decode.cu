// The one-token decode step of a llama-family model (Llama, SmolLM2, Qwen2, Mistral) in
// six kernels per layer, each replacing several small torch kernels:
//
//   fused_matvec  mode 1   qkv = W_qkv . rmsnorm(h)            (+ bias)
//   rope_kv_append         rotary on q and k at the position, k and v into the cache
//   attention_decode       one query per head over the cached keys/values
//   fused_matvec  mode 0   h  += W_o . attention               (residual add fused)
//   fused_matvec  mode 1   gu  = W_gate_up . rmsnorm(h)
//   fused_matvec  mode 2   h  += W_down . (silu(gate) * up)    (gate-multiply and residual fused)
//
// plus embed_row before the layers and fused_matvec mode 1 for the lm_head after them.
// The residual stream and every activation are float32; weights and the key/value cache
// are the model's dtype (float32 or bf16: the _f32 / _bf16 entry points). The token id
// and the position are read from device memory (int64), so a CUDA graph of the step
// replays with new values written before each replay.
// Plain references: engine.kernels.reference.{fused_matvec, rope_kv_append,
// attention_decode, embed_row}; the decoder: engine.chat.kernel_decode.
// bf16 values are stored as raw 16-bit words (unsigned short): no CUDA header is needed.

#define NEG_INF __int_as_float(0xff800000)

template <typename T> __device__ __forceinline__ float to_f(T v);
template <> __device__ __forceinline__ float to_f<float>(float v) { return v; }
template <> __device__ __forceinline__ float to_f<unsigned short>(unsigned short v) {
    return __uint_as_float(((unsigned)v) << 16);
}
template <typename T> __device__ __forceinline__ T from_f(float v);
template <> __device__ __forceinline__ float from_f<float>(float v) { return v; }
template <> __device__ __forceinline__ unsigned short from_f<unsigned short>(float f) {  // round to nearest even
    const unsigned u = __float_as_uint(f);
    if ((u & 0x7f800000u) == 0x7f800000u) return (unsigned short)((u >> 16) | ((u & 0xffffu) ? 0x40u : 0u));
    return (unsigned short)((u + 0x7fffu + ((u >> 16) & 1u)) >> 16);
}

__device__ __forceinline__ float warp_sum(float v) {
    for (int o = 16; o > 0; o >>= 1) v += __shfl_xor_sync(0xffffffffu, v, o);
    return v;
}

__device__ __forceinline__ float warp_max(float v) {
    for (int o = 16; o > 0; o >>= 1) v = fmaxf(v, __shfl_xor_sync(0xffffffffu, v, o));
    return v;
}

// Sum (or max) over the block; every thread gets the result. red: 32 floats of shared memory.
__device__ float block_reduce(float v, float* red, bool is_max) {
    const int lane = threadIdx.x & 31, warp = threadIdx.x >> 5, nw = (blockDim.x + 31) >> 5;
    v = is_max ? warp_max(v) : warp_sum(v);
    __syncthreads();  // red may still be read by a previous reduction
    if (lane == 0) red[warp] = v;
    __syncthreads();
    if (warp == 0) {  // only warp 0 reads red[] here: thread 0 writes red[0] below
        v = lane < nw ? red[lane] : (is_max ? NEG_INF : 0.f);
        v = is_max ? warp_max(v) : warp_sum(v);
    }
    if (threadIdx.x == 0) red[0] = v;
    __syncthreads();
    return red[0];
}

// y[n] = W[n, :] . x' (+ bias[n]) (+ residual[n]) for W [N, K] row-major (nn.Linear's layout),
// where x' is, by mode:
//   0: x[0:K]
//   1: rmsnorm(x[0:K]) * g, i.e. x * rsqrt(mean(x^2) + eps) * g (transformers' LlamaRMSNorm)
//   2: silu(x[0:K]) * x[K:2K]  (x holds gate then up)
// Every block prepares the whole x' in shared memory (K floats: K is the hidden or MLP
// size), then each warp makes one output row at a time: lanes read consecutive weights
// (coalesced) and a shuffle sums them. residual may be y itself (in-place residual add);
// x must not overlap y. Launch: block 256, grid up to ceil(N / 8), shared memory 4 * K bytes.
template <typename T>
__device__ void fused_matvec(int mode, const float* __restrict__ x, const T* __restrict__ g, float eps,
                             const T* __restrict__ W, const T* __restrict__ bias, const float* residual,
                             float* y, int N, int K) {
    extern __shared__ float xs[];
    __shared__ float red[32];
    float ss = 0.f;
    for (int k = threadIdx.x; k < K; k += blockDim.x) {
        float v = x[k];
        if (mode == 2) v = v / (1.f + __expf(-v)) * x[K + k];
        xs[k] = v;
        ss += v * v;
    }
    if (mode == 1) {
        const float r = rsqrtf(block_reduce(ss, red, false) / (float)K + eps);
        for (int k = threadIdx.x; k < K; k += blockDim.x) xs[k] = to_f(g[k]) * (xs[k] * r);
    }
    __syncthreads();
    const int lane = threadIdx.x & 31, nw = blockDim.x >> 5;
    for (int n = blockIdx.x * nw + (threadIdx.x >> 5); n < N; n += gridDim.x * nw) {
        const T* row = W + (size_t)n * K;
        float acc = 0.f;
        for (int k = lane; k < K; k += 32) acc += to_f(row[k]) * xs[k];
        acc = warp_sum(acc);
        if (lane == 0) {
            if (bias) acc += to_f(bias[n]);
            if (residual) acc += residual[n];
            y[n] = acc;
        }
    }
}

// Rotary embedding of the query and key heads at position *pos (rotate_half convention:
// out = x * cos + rotate_half(x) * sin, rotate_half(x) = [-x2, x1]); the query goes to
// q_out [heads * D], the key and the value into the layer's cache [kv_heads, cap, D] at pos.
// qkv is [q heads | k heads | v heads] x D; cos and sin are [positions, D] float32 tables.
// Launch: grid heads + 2 * kv_heads (q heads, k heads, v heads), block D (up to 1024).
template <typename T>
__device__ void rope_kv_append(const float* __restrict__ qkv, const float* __restrict__ cos,
                               const float* __restrict__ sin, const long long* __restrict__ pos_p,
                               T* kc, T* vc, float* __restrict__ q_out, int heads, int kv_heads, int D, int cap) {
    const int h = blockIdx.x, half = D / 2;
    const long long pos = *pos_p;
    const float* c = cos + pos * D;
    const float* s = sin + pos * D;
    for (int i = threadIdx.x; i < D; i += blockDim.x) {
        if (h < heads + kv_heads) {
            const float* x = qkv + (size_t)h * D;
            const float rot = i < half ? -x[i + half] : x[i - half];
            const float v = x[i] * c[i] + rot * s[i];
            if (h < heads) q_out[(size_t)h * D + i] = v;
            else kc[((size_t)(h - heads) * cap + pos) * D + i] = from_f<T>(v);
        } else {
            const int j = h - heads - kv_heads;
            vc[((size_t)j * cap + pos) * D + i] = from_f<T>(qkv[(size_t)(heads + kv_heads + j) * D + i]);
        }
    }
}

// out[h] = softmax(scale * q[h] . K[0..pos]) . V[0..pos] for each query head h (one block
// each), against key/value head h / (heads / kv_heads) of the layer's cache [kv_heads, cap, D].
// Scores live in shared memory: (D + cap + blockDim) floats. Each warp scores one cached
// position at a time; the output is summed by blockDim / D groups of D threads, then added up.
// Launch: grid heads, block 256 (a multiple of D when D <= 256), shared (D + cap + 256) * 4 bytes.
template <typename T>
__device__ void attention_decode(const float* __restrict__ q, const T* __restrict__ kc, const T* __restrict__ vc,
                                 const long long* __restrict__ pos_p, float* __restrict__ out, int heads,
                                 int kv_heads, int D, int cap, float scale) {
    extern __shared__ float sh[];
    __shared__ float red[32];
    float* qs = sh;
    float* p = sh + D;
    float* part = sh + D + cap;
    const int h = blockIdx.x, kvh = h / (heads / kv_heads);
    const int L = (int)*pos_p + 1;
    const int lane = threadIdx.x & 31, warp = threadIdx.x >> 5, nw = blockDim.x >> 5;
    const T* K = kc + (size_t)kvh * cap * D;
    const T* V = vc + (size_t)kvh * cap * D;
    for (int i = threadIdx.x; i < D; i += blockDim.x) qs[i] = q[(size_t)h * D + i] * scale;
    __syncthreads();
    for (int t = warp; t < L; t += nw) {
        float acc = 0.f;
        for (int i = lane; i < D; i += 32) acc += qs[i] * to_f(K[(size_t)t * D + i]);
        acc = warp_sum(acc);
        if (lane == 0) p[t] = acc;
    }
    __syncthreads();
    float m = NEG_INF;
    for (int t = threadIdx.x; t < L; t += blockDim.x) m = fmaxf(m, p[t]);
    m = block_reduce(m, red, true);
    float sum = 0.f;
    for (int t = threadIdx.x; t < L; t += blockDim.x) {
        const float e = __expf(p[t] - m);
        p[t] = e;
        sum += e;
    }
    sum = block_reduce(sum, red, false);  // its barriers also publish p
    const int groups = D <= (int)blockDim.x ? blockDim.x / D : 1;
    const int grp = threadIdx.x / D, d0 = threadIdx.x % D;
    if (grp < groups) {
        for (int d = d0; d < D; d += (D <= (int)blockDim.x ? D : blockDim.x)) {
            float acc = 0.f;
            for (int t = grp; t < L; t += groups) acc += p[t] * to_f(V[(size_t)t * D + d]);
            if (D <= (int)blockDim.x) part[grp * D + d] = acc;
            else out[(size_t)h * D + d] = acc / sum;
        }
    }
    __syncthreads();
    if (D <= (int)blockDim.x) {
        for (int d = threadIdx.x; d < D; d += blockDim.x) {
            float acc = 0.f;
            for (int g = 0; g < groups; ++g) acc += part[g * D + d];
            out[(size_t)h * D + d] = acc / sum;
        }
    }
}

// x[0:H] = E[*token, :] as float32. Launch: grid ceil(H / 256), block 256.
template <typename T>
__device__ void embed_row(const T* __restrict__ E, const long long* __restrict__ token, float* __restrict__ x,
                          int H) {
    const int i = blockIdx.x * blockDim.x + threadIdx.x;
    if (i < H) x[i] = to_f(E[*token * H + i]);
}

#define ENTRIES(SUFFIX, T)                                                                                  \
    extern "C" __global__ void fused_matvec_##SUFFIX(int mode, const float* x, const T* g, float eps,       \
                                                     const T* W, const T* bias, const float* residual,      \
                                                     float* y, int N, int K) {                              \
        fused_matvec<T>(mode, x, g, eps, W, bias, residual, y, N, K);                                       \
    }                                                                                                       \
    extern "C" __global__ void rope_kv_append_##SUFFIX(const float* qkv, const float* cos, const float* sin, \
                                                       const long long* pos, T* kc, T* vc, float* q_out,    \
                                                       int heads, int kv_heads, int D, int cap) {           \
        rope_kv_append<T>(qkv, cos, sin, pos, kc, vc, q_out, heads, kv_heads, D, cap);                      \
    }                                                                                                       \
    extern "C" __global__ void attention_decode_##SUFFIX(const float* q, const T* kc, const T* vc,          \
                                                         const long long* pos, float* out, int heads,       \
                                                         int kv_heads, int D, int cap, float scale) {       \
        attention_decode<T>(q, kc, vc, pos, out, heads, kv_heads, D, cap, scale);                           \
    }                                                                                                       \
    extern "C" __global__ void embed_row_##SUFFIX(const T* E, const long long* token, float* x, int H) {     \
        embed_row<T>(E, token, x, H);                                                                       \
    }

ENTRIES(f32, float)
ENTRIES(bf16, unsigned short)
