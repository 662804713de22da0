// Weight-only int8 matrix-vector product for batch-1 decoding:
//   y[n] = scale[n] * sum_k W[n, k] * x[k]  (+ residual[n] when residual is not null)
// W is int8 [N, K] row-major with one float32 scale per output row (symmetric,
// per-channel: scale = max|row| / 127; engine.kernels.reference.quantize_int8).
// Plain reference: engine.kernels.reference.int8_matvec.
//
// One warp per output row, 8 rows per block of 256 threads: lanes read 4 int8 weights
// at a time (one 32-bit load) so a warp reads 128 contiguous bytes per step, then a
// warp shuffle sums the lanes. Reading the weights once is the whole cost at batch 1,
// so int8 halves the bytes of bf16 and quarters those of float32.
// Launch: grid ceil(N / 8), block 256. K must be a multiple of 4 (checked by the caller).

__device__ __forceinline__ float warp_sum(float v) {
    for (int o = 16; o > 0; o >>= 1) v += __shfl_xor_sync(0xffffffffu, v, o);
    return v;
}

__device__ __forceinline__ float row_dot(const signed char* __restrict__ w, const float* __restrict__ x,
                                         int K, int lane) {
    const int* w4 = reinterpret_cast<const int*>(w);
    float acc = 0.f;
    for (int k4 = lane; k4 < K / 4; k4 += 32) {
        const int packed = w4[k4];
        const int k = 4 * k4;
        acc += (float)(signed char)(packed & 0xff) * x[k]
             + (float)(signed char)((packed >> 8) & 0xff) * x[k + 1]
             + (float)(signed char)((packed >> 16) & 0xff) * x[k + 2]
             + (float)(signed char)((packed >> 24) & 0xff) * x[k + 3];
    }
    return warp_sum(acc);
}

extern "C" __global__ void int8_matvec_f32(const signed char* __restrict__ W, const float* __restrict__ scale,
                                           const float* __restrict__ x, const float* __restrict__ residual,
                                           float* __restrict__ y, int N, int K) {
    const int row = blockIdx.x * 8 + (threadIdx.x >> 5);
    const int lane = threadIdx.x & 31;
    if (row >= N) return;
    const float s = row_dot(W + (size_t)row * K, x, K, lane);
    if (lane == 0) y[row] = s * scale[row] + (residual ? residual[row] : 0.f);
}

// bf16 activations in and out (stored as raw 16-bit words: no header needed). The
// input vector is widened to float32 into shared memory once per block.
__device__ __forceinline__ float bf16_to_float(unsigned short h) { return __uint_as_float(((unsigned)h) << 16); }

__device__ __forceinline__ unsigned short float_to_bf16(float f) {  // round to nearest even
    unsigned u = __float_as_uint(f);
    if ((u & 0x7f800000u) == 0x7f800000u) return (unsigned short)(u >> 16);  // inf / nan kept
    u += 0x7fffu + ((u >> 16) & 1u);
    return (unsigned short)(u >> 16);
}

extern "C" __global__ void int8_matvec_bf16(const signed char* __restrict__ W, const float* __restrict__ scale,
                                            const unsigned short* __restrict__ x,
                                            const unsigned short* __restrict__ residual,
                                            unsigned short* __restrict__ y, int N, int K) {
    extern __shared__ float xs[];  // K floats
    for (int k = threadIdx.x; k < K; k += blockDim.x) xs[k] = bf16_to_float(x[k]);
    __syncthreads();
    const int row = blockIdx.x * 8 + (threadIdx.x >> 5);
    const int lane = threadIdx.x & 31;
    if (row >= N) return;
    const float s = row_dot(W + (size_t)row * K, xs, K, lane);
    if (lane == 0) y[row] = float_to_bf16(s * scale[row] + (residual ? bf16_to_float(residual[row]) : 0.f));
}
