// The row step of fused linear + cross-entropy (Liger-Kernel's design): for one chunk
// of logits [R, V] (float32, just computed by a matmul), write each row's loss and turn
// the row into its gradient in place, so the chunk's logits are never kept for the
// backward pass:
//   loss[r] = logsumexp(x[r]) - x[r, t_r]
//   x[r, i] = (softmax(x[r])[i] - [i == t_r]) * grad_scale
// Rows whose target is ignore_index get loss 0 and a zero gradient.
// Plain reference: engine.kernels.reference.cross_entropy_rows.
//
// One block per row (256 threads): a pass for the maximum, a pass for the sum of
// exponentials, a pass that writes the gradient. Launch: grid R, block 256.

#define THREADS 256

__device__ float block_reduce(float v, float* shared, bool is_max) {
    for (int o = 16; o > 0; o >>= 1) {
        const float other = __shfl_xor_sync(0xffffffffu, v, o);
        v = is_max ? fmaxf(v, other) : v + other;
    }
    const int warp = threadIdx.x >> 5, lane = threadIdx.x & 31;
    if (lane == 0) shared[warp] = v;
    __syncthreads();
    if (warp == 0) {
        v = lane < THREADS / 32 ? shared[lane] : (is_max ? -3.0e38f : 0.f);
        for (int o = 16; o > 0; o >>= 1) {
            const float other = __shfl_xor_sync(0xffffffffu, v, o);
            v = is_max ? fmaxf(v, other) : v + other;
        }
        if (lane == 0) shared[0] = v;
    }
    __syncthreads();
    v = shared[0];
    __syncthreads();
    return v;
}

extern "C" __global__ void cross_entropy_rows(float* __restrict__ logits, const long long* __restrict__ targets,
                                              float* __restrict__ loss, int V, long long ignore_index,
                                              float grad_scale) {
    __shared__ float shared[THREADS / 32];
    float* x = logits + (size_t)blockIdx.x * V;
    const long long t = targets[blockIdx.x];
    if (t == ignore_index) {
        for (int i = threadIdx.x; i < V; i += THREADS) x[i] = 0.f;
        if (threadIdx.x == 0) loss[blockIdx.x] = 0.f;
        return;
    }
    float m = -3.0e38f;
    for (int i = threadIdx.x; i < V; i += THREADS) m = fmaxf(m, x[i]);
    m = block_reduce(m, shared, true);
    float s = 0.f;
    for (int i = threadIdx.x; i < V; i += THREADS) s += __expf(x[i] - m);
    s = block_reduce(s, shared, false);
    const float lse = m + __logf(s);
    if (threadIdx.x == 0) loss[blockIdx.x] = lse - x[t];
    __syncthreads();  // x[t] is read above before any thread overwrites it
    for (int i = threadIdx.x; i < V; i += THREADS)
        x[i] = (__expf(x[i] - lse) - (i == t ? 1.f : 0.f)) * grad_scale;
}
