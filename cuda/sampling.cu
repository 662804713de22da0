// One decode step's token choice in one kernel: repetition penalty, temperature,
// top-k, top-p and the draw, with no sort of the vocabulary. Replaces
// engine.chat.sampling.pick_token on a GPU; plain reference:
// engine.kernels.reference.sample_token (same rules, same uniform number).
//
//   logits  [B, V] float32   the step's logits (not modified)
//   seen    [B, S] int32     ids already in each context (-1 = padding), penalised once each
//   u       [B]    float32   one uniform number in [0, 1) per row (drawn by torch on the device)
//   work    [B, V] float32   workspace
//   out     [B]    int32     the chosen token ids
//
// Top-k and top-p are thresholds found by binary search over the floats' order-keeping
// 32-bit keys (32 block-wide counts or sums each), so every token tied with the last
// one kept is kept too. Top-p keeps a token when the probability of the tokens above
// it is below top_p, as the sorted reference does. The draw walks the kept tokens in
// index order: each thread sums a slice, a block scan finds the slice holding u * mass.
// temperature <= 0 picks the first most likely token. Launch: grid B, block 1024.

#define THREADS 1024
#define WARPS (THREADS / 32)

__device__ __forceinline__ unsigned order_key(float f) {  // a < b  <=>  key(a) < key(b)
    const unsigned u = __float_as_uint(f);
    return (u & 0x80000000u) ? ~u : (u | 0x80000000u);
}

__device__ float block_sum(float v, float* sh) {
    for (int o = 16; o > 0; o >>= 1) v += __shfl_xor_sync(0xffffffffu, v, o);
    if ((threadIdx.x & 31) == 0) sh[threadIdx.x >> 5] = v;
    __syncthreads();
    if (threadIdx.x < 32) {
        v = sh[threadIdx.x];
        for (int o = 16; o > 0; o >>= 1) v += __shfl_xor_sync(0xffffffffu, v, o);
        if (threadIdx.x == 0) sh[0] = v;
    }
    __syncthreads();
    v = sh[0];
    __syncthreads();
    return v;
}

__device__ float block_max(float v, float* sh) {
    for (int o = 16; o > 0; o >>= 1) v = fmaxf(v, __shfl_xor_sync(0xffffffffu, v, o));
    if ((threadIdx.x & 31) == 0) sh[threadIdx.x >> 5] = v;
    __syncthreads();
    if (threadIdx.x < 32) {
        v = sh[threadIdx.x];
        for (int o = 16; o > 0; o >>= 1) v = fmaxf(v, __shfl_xor_sync(0xffffffffu, v, o));
        if (threadIdx.x == 0) sh[0] = v;
    }
    __syncthreads();
    v = sh[0];
    __syncthreads();
    return v;
}

// the smallest index holding the block's largest value (ties: lowest index)
__device__ int block_argmax(const float* x, int V, float* sh, int* shi) {
    float best = -3.0e38f;
    int arg = 0x7fffffff;
    for (int i = threadIdx.x; i < V; i += THREADS)
        if (x[i] > best) { best = x[i]; arg = i; }  // i rises: the first of ties stays
    for (int o = 16; o > 0; o >>= 1) {
        const float b2 = __shfl_xor_sync(0xffffffffu, best, o);
        const int a2 = __shfl_xor_sync(0xffffffffu, arg, o);
        if (b2 > best || (b2 == best && a2 < arg)) { best = b2; arg = a2; }
    }
    if ((threadIdx.x & 31) == 0) { sh[threadIdx.x >> 5] = best; shi[threadIdx.x >> 5] = arg; }
    __syncthreads();
    if (threadIdx.x < 32) {
        best = sh[threadIdx.x];
        arg = shi[threadIdx.x];
        for (int o = 16; o > 0; o >>= 1) {
            const float b2 = __shfl_xor_sync(0xffffffffu, best, o);
            const int a2 = __shfl_xor_sync(0xffffffffu, arg, o);
            if (b2 > best || (b2 == best && a2 < arg)) { best = b2; arg = a2; }
        }
        if (threadIdx.x == 0) shi[0] = arg;
    }
    __syncthreads();
    arg = shi[0];
    __syncthreads();
    return arg;
}

// sum of exp(x - m) over tokens with key(x) >= lo and key(x) > above (above = 0: no bound)
__device__ float kept_mass(const float* x, int V, float m, unsigned lo, unsigned above, float* sh) {
    float s = 0.f;
    for (int i = threadIdx.x; i < V; i += THREADS) {
        const unsigned k = order_key(x[i]);
        if (k >= lo && (above == 0u || k > above)) s += __expf(x[i] - m);
    }
    return block_sum(s, sh);
}

extern "C" __global__ void sample_token(const float* __restrict__ logits, const int* __restrict__ seen, int S,
                                        const float* __restrict__ u, float* __restrict__ work, int V,
                                        float temperature, int top_k, float top_p, float penalty,
                                        int* __restrict__ out) {
    __shared__ float sh[WARPS];
    __shared__ int shi[WARPS];
    __shared__ float prefix[THREADS];
    const int row = blockIdx.x;
    const float* lg = logits + (size_t)row * V;
    float* x = work + (size_t)row * V;

    // 1. copy, then the repetition penalty (CTRL rule) on the original values
    for (int i = threadIdx.x; i < V; i += THREADS) x[i] = lg[i];
    __syncthreads();
    if (penalty != 1.f) {
        for (int s = threadIdx.x; s < S; s += THREADS) {
            const int id = seen[(size_t)row * S + s];
            if (id >= 0 && id < V) {
                const float v = lg[id];
                x[id] = v > 0.f ? v / penalty : v * penalty;  // duplicates write the same value
            }
        }
    }
    __syncthreads();
    if (temperature <= 0.f) {
        const int arg = block_argmax(x, V, sh, shi);
        if (threadIdx.x == 0) out[row] = arg;
        return;
    }
    for (int i = threadIdx.x; i < V; i += THREADS) x[i] = x[i] / temperature;
    __syncthreads();
    float m = -3.0e38f;
    for (int i = threadIdx.x; i < V; i += THREADS) m = fmaxf(m, x[i]);
    m = block_max(m, sh);

    // 2. top-k: the k-th largest key (the largest key with at least k tokens at or above it)
    unsigned lo_k = 0u;
    if (top_k > 0 && top_k < V) {
        unsigned lo = 0u, hi = 0xffffffffu;
        while (lo < hi) {
            const unsigned mid = lo + (hi - lo) / 2u + 1u;
            float c = 0.f;
            for (int i = threadIdx.x; i < V; i += THREADS) c += order_key(x[i]) >= mid ? 1.f : 0.f;
            if (block_sum(c, sh) >= (float)top_k) lo = mid; else hi = mid - 1u;
        }
        lo_k = lo;
    }
    // 3. top-p: the smallest key whose tokens above it hold less than top_p of the mass
    unsigned cut = lo_k;
    if (top_p < 1.f) {
        const float z = kept_mass(x, V, m, lo_k, 0u, sh);
        unsigned lo = lo_k, hi = 0xffffffffu;
        while (lo < hi) {
            const unsigned mid = lo + (hi - lo) / 2u;
            if (kept_mass(x, V, m, lo_k, mid, sh) < top_p * z) hi = mid; else lo = mid + 1u;
        }
        cut = lo;
    }
    // 4. the draw: inverse CDF over kept tokens in index order
    const int chunk = (V + THREADS - 1) / THREADS;
    const int begin = min(V, threadIdx.x * chunk), end = min(V, begin + chunk);
    float local = 0.f;
    int last = -1;
    for (int i = begin; i < end; ++i)
        if (order_key(x[i]) >= cut) { local += __expf(x[i] - m); last = i; }
    prefix[threadIdx.x] = local;
    __syncthreads();
    for (int off = 1; off < THREADS; off <<= 1) {  // inclusive scan (Hillis-Steele)
        const float add = threadIdx.x >= off ? prefix[threadIdx.x - off] : 0.f;
        __syncthreads();
        prefix[threadIdx.x] += add;
        __syncthreads();
    }
    const float total = prefix[THREADS - 1];
    const float target = u[row] * total;
    // exclusive start of this thread's slice: exactly the previous thread's inclusive sum, so
    // the slices tile [0, total) with no float gap or overlap between them
    const float before = threadIdx.x ? prefix[threadIdx.x - 1] : 0.f;
    const int own_last = last;
    // the last kept token answers when rounding puts the target past every slice
    for (int o = 16; o > 0; o >>= 1) last = max(last, __shfl_xor_sync(0xffffffffu, last, o));
    if ((threadIdx.x & 31) == 0) shi[threadIdx.x >> 5] = last;
    __syncthreads();
    if (threadIdx.x == 0) {
        int l = -1;
        for (int w = 0; w < WARPS; ++w) l = max(l, shi[w]);
        out[row] = l;
    }
    __syncthreads();
    if (local > 0.f && target >= before && target < prefix[threadIdx.x]) {
        float acc = before;
        int pick = own_last;  // if rounding inside the slice leaves acc short of target
        for (int i = begin; i < end; ++i) {
            if (order_key(x[i]) < cut) continue;
            acc += __expf(x[i] - m);
            if (target < acc) { pick = i; break; }
        }
        out[row] = pick;
    }
}
