// llmc4j device kernels, CUDA C++ compiled to PTX (see build-ptx.sh beside this file; the PTX is
// what the Java side loads with cuModuleLoadDataEx). Twin of ../opencl/kernels.cl: the same
// algorithms, the same summation orders. Java references: GemmCall / DeviceAccelerator, CpuAccelerator.
#include <cstdint>

#define TK 16

__device__ __forceinline__ float load_b(const float *b, long long i) { return b[i]; }
__device__ __forceinline__ float load_b(const uint16_t *b, long long i) { return __uint_as_float(((unsigned) b[i]) << 16); }

// C = alpha*A*B + beta*C + bias; a 16x16 block computes a (16R)x(16R) tile, RxR outputs per thread
// (R = 4: 64x64 tiles for small products, R = 8: 128x128 for large ones), k in steps of 16, in order.
template <typename BT, int R>
__device__ __forceinline__ void gemm(int M, int N, int K,
                                     const float *__restrict__ A, long long aoff, int sam, int sak,
                                     const BT *__restrict__ B, long long boff, int sbk, int sbn,
                                     float *C, long long coff, const float *__restrict__ bias, int hasBias,
                                     float alpha, float beta) {
    constexpr int T = 16 * R;
    __shared__ float As[TK][T + 1];
    __shared__ float Bs[TK][T + 1];
    const int tx = threadIdx.x, ty = threadIdx.y, tid = ty * 16 + tx;
    const int m0 = blockIdx.y * T, n0 = blockIdx.x * T;
    float acc[R][R];
#pragma unroll
    for (int i = 0; i < R; i++)
#pragma unroll
        for (int j = 0; j < R; j++) acc[i][j] = 0.0f;
    for (int k0 = 0; k0 < K; k0 += TK) {
#pragma unroll
        for (int r = 0; r < R; r++) {
            int e = tid + r * 256, mm, kk;
            if (sak == 1) { mm = e / TK; kk = e % TK; } else { kk = e / T; mm = e % T; }
            int m = m0 + mm, k = k0 + kk;
            As[kk][mm] = (m < M && k < K) ? A[aoff + (long long) m * sam + (long long) k * sak] : 0.0f;
        }
#pragma unroll
        for (int r = 0; r < R; r++) {
            int e = tid + r * 256, nn, kk;
            if (sbn == 1) { kk = e / T; nn = e % T; } else { nn = e / TK; kk = e % TK; }
            int n = n0 + nn, k = k0 + kk;
            Bs[kk][nn] = (n < N && k < K) ? load_b(B, boff + (long long) k * sbk + (long long) n * sbn) : 0.0f;
        }
        __syncthreads();
#pragma unroll
        for (int kk = 0; kk < TK; kk++) {
            float a[R], b[R];
#pragma unroll
            for (int i = 0; i < R; i++) a[i] = As[kk][ty + 16 * i];
#pragma unroll
            for (int j = 0; j < R; j++) b[j] = Bs[kk][tx + 16 * j];
#pragma unroll
            for (int i = 0; i < R; i++)
#pragma unroll
                for (int j = 0; j < R; j++) acc[i][j] += a[i] * b[j];
        }
        __syncthreads();
    }
#pragma unroll
    for (int i = 0; i < R; i++) {
        int m = m0 + ty + 16 * i;
        if (m >= M) continue;
#pragma unroll
        for (int j = 0; j < R; j++) {
            int n = n0 + tx + 16 * j;
            if (n >= N) continue;
            long long at = coff + (long long) m * N + n;
            float v = alpha * acc[i][j];
            if (beta != 0.0f) v += beta * C[at];
            if (hasBias) v += bias[n];
            C[at] = v;
        }
    }
}

#define GEMM_ENTRY(NAME, BT, R)                                                                                          \
    extern "C" __global__ void __launch_bounds__(256) NAME(int M, int N, int K, const float *A, long long aoff, int sam, \
            int sak, const BT *B, long long boff, int sbk, int sbn, float *C, long long coff, const float *bias,         \
            int hasBias, float alpha, float beta) {                                                                      \
        gemm<BT, R>(M, N, K, A, aoff, sam, sak, B, boff, sbk, sbn, C, coff, bias, hasBias, alpha, beta);                 \
    }

GEMM_ENTRY(gemm_f32, float, 4)
GEMM_ENTRY(gemm_bf16, uint16_t, 4)
GEMM_ENTRY(gemm_f32_wide, float, 8)
GEMM_ENTRY(gemm_bf16_wide, uint16_t, 8)

// Reductions over the middle axis of x [outer, n, inner]; op: 0 sum, 1 max, 2 min, 3 abs-max.
// max/min follow java.lang.Math: NaN wins, max(+0,-0) = +0, min(+0,-0) = -0.
#define CHUNK 256

__device__ __forceinline__ float jmax(float a, float b) {
    if (isnan(a)) return a;
    if (isnan(b)) return b;
    if (a == b) return __uint_as_float(__float_as_uint(a) & __float_as_uint(b));
    return a > b ? a : b;
}

__device__ __forceinline__ float jmin(float a, float b) {
    if (isnan(a)) return a;
    if (isnan(b)) return b;
    if (a == b) return __uint_as_float(__float_as_uint(a) | __float_as_uint(b));
    return a < b ? a : b;
}

__device__ __forceinline__ float combine(int op, float acc, float v) {
    switch (op) {
        case 0: return __fadd_rn(acc, v);
        case 1: return jmax(acc, v);
        case 2: return jmin(acc, v);
        default: return jmax(acc, fabsf(v));
    }
}

extern "C" __global__ void reduce_partial(int op, long long outer, long long n, long long inner, long long chunks,
                                          const float *__restrict__ x, float *__restrict__ partial) {
    long long gid = (long long) blockIdx.x * blockDim.x + threadIdx.x;
    if (gid >= outer * chunks * inner) return;
    long long i = gid % inner, c = (gid / inner) % chunks, o = gid / (inner * chunks);
    long long start = c * CHUNK, end = min(n, start + CHUNK);
    const float *p = x + o * n * inner + i;
    float acc = op == 0 ? 0.0f : (op == 3 ? fabsf(p[start * inner]) : p[start * inner]);
    for (long long r = start + (op == 0 ? 0 : 1); r < end; r++) acc = combine(op, acc, p[r * inner]);
    partial[gid] = acc;
}

extern "C" __global__ void reduce_combine(int op, long long outer, long long chunks, long long inner,
                                          const float *__restrict__ partial, float *__restrict__ out) {
    long long gid = (long long) blockIdx.x * blockDim.x + threadIdx.x;
    if (gid >= outer * inner) return;
    long long i = gid % inner, o = gid / inner;
    const float *p = partial + o * chunks * inner + i;
    float acc = p[0];
    for (long long c = 1; c < chunks; c++) acc = op == 3 ? jmax(acc, p[c * inner]) : combine(op, acc, p[c * inner]);
    out[gid] = acc;
}
