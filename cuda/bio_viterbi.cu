// Constrained BIO Viterbi over tagger scores, batched: one thread block per sentence,
// one thread per tag. Replaces engine.ner.decode.viterbi (plain reference:
// engine.kernels.reference.bio_viterbi) on a GPU.
//
//   emit    [B, T, K] float32  per-word tag log-probabilities, row-major
//   start   [K]       float32  0 where a tag may open a sentence, a large negative where not
//   trans   [K, K]    float32  trans[i * K + j]: score of tag j following tag i (0 or large negative)
//   lengths [B]       int32    words in each sentence (<= T)
//   back    [B, T, K] int32    workspace: the best previous tag of each (word, tag)
//   out     [B, T]    int32    the best valid path; -1 past a sentence's length
//
// Launch: grid B, block >= K threads (K <= 1024), dynamic shared memory 2 * K floats.
// Ties go to the lower tag index, as numpy's argmax in the reference.

extern "C" __global__ void bio_viterbi(const float* __restrict__ emit, const float* __restrict__ start,
                                       const float* __restrict__ trans, const int* __restrict__ lengths,
                                       int T, int K, int* __restrict__ back, int* __restrict__ out) {
    extern __shared__ float smem[];
    float* score = smem;     // best path score ending in each tag at the current word
    float* next = smem + K;  // the same for the word after
    const int b = blockIdx.x;
    const int j = threadIdx.x;
    const int n = lengths[b];
    const float* e = emit + (size_t)b * T * K;
    int* bk = back + (size_t)b * T * K;

    if (j < K && n > 0) score[j] = e[j] + start[j];
    __syncthreads();
    for (int t = 1; t < n; ++t) {
        if (j < K) {
            float best = score[0] + trans[j];
            int arg = 0;
            for (int i = 1; i < K; ++i) {
                const float c = score[i] + trans[i * K + j];
                if (c > best) { best = c; arg = i; }
            }
            next[j] = best + e[(size_t)t * K + j];
            bk[(size_t)t * K + j] = arg;
        }
        __syncthreads();
        if (j < K) score[j] = next[j];
        __syncthreads();
    }
    if (j == 0) {  // backtrack: one thread, T steps
        int* o = out + (size_t)b * T;
        for (int t = n; t < T; ++t) o[t] = -1;
        if (n > 0) {
            int arg = 0;
            float best = score[0];
            for (int i = 1; i < K; ++i)
                if (score[i] > best) { best = score[i]; arg = i; }
            o[n - 1] = arg;
            for (int t = n - 1; t > 0; --t) {
                arg = bk[(size_t)t * K + arg];
                o[t - 1] = arg;
            }
        }
    }
}
