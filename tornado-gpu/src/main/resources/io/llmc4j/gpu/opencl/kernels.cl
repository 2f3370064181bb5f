// llmc4j device kernels, OpenCL C 1.2. Java references: GemmCall / DeviceAccelerator (semantics),
// CpuAccelerator (results). The CUDA twin is ../cuda/kernels.cu; keep the two in step.
//
// gemm_*: C = alpha*A*B + beta*C + bias with arbitrary element strides for A and B (matmul, linear
// x*W^T and the Gram update X^T*X are all this kernel). A 16x16 work group computes a TILE x TILE
// output tile, R x R outputs per work item (TILE = 16*R), K in steps of 16 through local memory:
// R = 4 (64x64 tiles) for small products, R = 8 (128x128) for large ones. Each output sums k in order.

#define TK 16

#define GEMM_KERNEL(NAME, BTYPE, LOADB, R)                                                           \
__kernel __attribute__((reqd_work_group_size(16, 16, 1)))                                           \
void NAME(int M, int N, int K,                                                                       \
          __global const float *A, long aoff, int sam, int sak,                                     \
          __global const BTYPE *B, long boff, int sbk, int sbn,                                     \
          __global float *C, long coff, __global const float *bias, int hasBias,                    \
          float alpha, float beta) {                                                                 \
    __local float As[TK][16 * R + 1];                                                                \
    __local float Bs[TK][16 * R + 1];                                                                \
    const int tx = get_local_id(0), ty = get_local_id(1), tid = ty * 16 + tx;                       \
    const int m0 = get_group_id(1) * 16 * R, n0 = get_group_id(0) * 16 * R;                         \
    float acc[R][R];                                                                                 \
    for (int i = 0; i < R; i++) for (int j = 0; j < R; j++) acc[i][j] = 0.0f;                       \
    for (int k0 = 0; k0 < K; k0 += TK) {                                                             \
        for (int r = 0; r < R; r++) {                                                                \
            int e = tid + r * 256, mm, kk;                                                           \
            if (sak == 1) { mm = e / TK; kk = e % TK; } else { kk = e / (16 * R); mm = e % (16 * R); } \
            int m = m0 + mm, k = k0 + kk;                                                            \
            As[kk][mm] = (m < M && k < K) ? A[aoff + (long) m * sam + (long) k * sak] : 0.0f;       \
        }                                                                                            \
        for (int r = 0; r < R; r++) {                                                                \
            int e = tid + r * 256, nn, kk;                                                           \
            if (sbn == 1) { kk = e / (16 * R); nn = e % (16 * R); } else { nn = e / TK; kk = e % TK; } \
            int n = n0 + nn, k = k0 + kk;                                                            \
            Bs[kk][nn] = (n < N && k < K) ? LOADB(B[boff + (long) k * sbk + (long) n * sbn]) : 0.0f;\
        }                                                                                            \
        barrier(CLK_LOCAL_MEM_FENCE);                                                                \
        for (int kk = 0; kk < TK; kk++) {                                                            \
            float a[R], b[R];                                                                        \
            for (int i = 0; i < R; i++) a[i] = As[kk][ty + 16 * i];                                  \
            for (int j = 0; j < R; j++) b[j] = Bs[kk][tx + 16 * j];                                  \
            for (int i = 0; i < R; i++) for (int j = 0; j < R; j++) acc[i][j] += a[i] * b[j];        \
        }                                                                                            \
        barrier(CLK_LOCAL_MEM_FENCE);                                                                \
    }                                                                                                \
    for (int i = 0; i < R; i++) {                                                                    \
        int m = m0 + ty + 16 * i;                                                                    \
        if (m >= M) continue;                                                                        \
        for (int j = 0; j < R; j++) {                                                                \
            int n = n0 + tx + 16 * j;                                                                \
            if (n >= N) continue;                                                                    \
            long at = coff + (long) m * N + n;                                                       \
            float v = alpha * acc[i][j];                                                             \
            if (beta != 0.0f) v += beta * C[at];                                                     \
            if (hasBias) v += bias[n];                                                               \
            C[at] = v;                                                                               \
        }                                                                                            \
    }                                                                                                \
}

#define LOAD_F32(x) (x)
#define LOAD_BF16(x) as_float(((uint) (x)) << 16)

GEMM_KERNEL(gemm_f32, float, LOAD_F32, 4)
GEMM_KERNEL(gemm_bf16, ushort, LOAD_BF16, 4)
GEMM_KERNEL(gemm_f32_wide, float, LOAD_F32, 8)
GEMM_KERNEL(gemm_bf16_wide, ushort, LOAD_BF16, 8)

// Reductions over the middle axis of x [outer, n, inner]; op: 0 sum, 1 max, 2 min, 3 abs-max.
// max/min follow java.lang.Math: NaN wins, max(+0,-0) = +0, min(+0,-0) = -0.

#define CHUNK 256

inline float jmax(float a, float b) {
    if (isnan(a)) return a;
    if (isnan(b)) return b;
    if (a == b) return as_float(as_uint(a) & as_uint(b));
    return a > b ? a : b;
}

inline float jmin(float a, float b) {
    if (isnan(a)) return a;
    if (isnan(b)) return b;
    if (a == b) return as_float(as_uint(a) | as_uint(b));
    return a < b ? a : b;
}

inline float combine(int op, float acc, float v) {
    switch (op) {
        case 0: return acc + v;
        case 1: return jmax(acc, v);
        case 2: return jmin(acc, v);
        default: return jmax(acc, fabs(v));
    }
}

// Phase one: one work item per (o, chunk, i) reduces x[o, chunk*CHUNK .. , i] in order.
__kernel void reduce_partial(int op, long outer, long n, long inner, long chunks,
                             __global const float *x, __global float *partial) {
    long gid = get_global_id(0);
    if (gid >= outer * chunks * inner) return;
    long i = gid % inner, c = (gid / inner) % chunks, o = gid / (inner * chunks);
    long start = c * CHUNK, end = min(n, start + CHUNK);
    __global const float *p = x + o * n * inner + i;
    float acc = op == 0 ? 0.0f : (op == 3 ? fabs(p[start * inner]) : p[start * inner]);
    for (long r = start + (op == 0 ? 0 : 1); r < end; r++) acc = combine(op, acc, p[r * inner]);
    partial[gid] = acc;
}

// Phase two: one work item per (o, i) combines its chunk partials in chunk order.
__kernel void reduce_combine(int op, long outer, long chunks, long inner,
                             __global const float *partial, __global float *out) {
    long gid = get_global_id(0);
    if (gid >= outer * inner) return;
    long i = gid % inner, o = gid / inner;
    __global const float *p = partial + o * chunks * inner + i;
    float acc = p[0];
    for (long c = 1; c < chunks; c++) acc = op == 3 ? jmax(acc, p[c * inner]) : combine(op, acc, p[c * inner]);
    out[gid] = acc;
}
