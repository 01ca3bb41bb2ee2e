//===- Kernels.h - Arithmetic of the matrix and vector units ----*- C++ -*-===//
//
// The numerical core of the simulator, usable on its own (for example by the
// reference interpreter, to agree bit for bit). Operands are raw byte buffers
// (SRAM is byte addressed and may hold any type); no bounds checks here: the
// caller checks every range first.
//
// mm: C[i][j] = (acc ? C[i][j] : +0.0f) + A[i][0]*B[0][j] + ... + A[i][k-1]*
//     B[k-1][j], evaluated left to right, each product and each sum rounded
//     to FP32 on its own (no fused multiply-add). A and B are BF16, C is FP32.
//     All of A, B (and C when acc) are read before C is written, so operands
//     may overlap.
//
// Vector ops read every source element as FP32 (num::loadAsF32), compute in
// FP32 and round once to the destination type (num::storeFromF32). All reads
// happen before any write.
//
//===----------------------------------------------------------------------===//

#ifndef DOJO_SIM_KERNELS_H
#define DOJO_SIM_KERNELS_H

#include "dojo/ISA/Numerics.h"

#include <cstdint>
#include <vector>

namespace dojo::sim::kernels {

/// Reusable buffers, so repeated instructions do not allocate.
struct Scratch {
  std::vector<float> a, b, c, d;
};

/// Which SIMD code path the matrix kernel uses. All give identical bits.
enum class SimdLevel { Auto = 0, Generic = 1, Avx2 = 2, Avx512 = 3 };
/// Forces a code path (for tests); Auto picks the best the CPU supports. A
/// level the CPU lacks falls back to the best supported one below it.
void setSimdLevel(SimdLevel level);
SimdLevel activeSimdLevel();
/// Whether the last matmul on this process used fused multiply-add (only
/// done when every product is provably exact, so the bits are the same).
/// A diagnostic for tests and benchmarks.
bool lastMatmulFused();

/// Threads a large mm may use (the caller plus n-1 workers); 0 picks the
/// hardware concurrency (at most 8). Results are identical for every n.
void setThreads(int n);
int threads();

/// mm with element strides ldc, lda, ldb (in elements).
void matmul(uint8_t *c, const uint8_t *a, const uint8_t *b, int64_t m,
            int64_t n, int64_t k, int64_t ldc, int64_t lda, int64_t ldb,
            bool acc, Scratch &s);

enum class VBinary { Add, Sub, Mul, Max, Min };
enum class VUnary { Cvt, Relu };

/// IEEE 754-2019 maximum/minimum: NaN if either operand is NaN (the first
/// NaN operand), and +0 > -0.
float fmaximum(float a, float b);
float fminimum(float a, float b);
inline float relu(float x) { return x > 0.0f ? x : (x != x ? x : 0.0f); }

/// d[i][j] = op(a[i][j], b[ldb ? i : 0][j]) for a rows x cols tile.
void vbinary(VBinary op, uint8_t *d, num::DType dtd, int64_t ldd,
             const uint8_t *a, num::DType dta, int64_t lda, const uint8_t *b,
             num::DType dtb, int64_t ldb, int64_t rows, int64_t cols,
             Scratch &s);
void vunary(VUnary op, uint8_t *d, num::DType dtd, int64_t ldd,
            const uint8_t *a, num::DType dta, int64_t lda, int64_t rows,
            int64_t cols, Scratch &s);
/// Every element of d becomes `value` rounded to dtd.
void vfill(uint8_t *d, num::DType dtd, int64_t ldd, float value, int64_t rows,
           int64_t cols);

/// Row conversions between a typed buffer and FP32.
void loadRow(const uint8_t *src, num::DType t, int64_t n, float *out);
void storeRow(uint8_t *dst, num::DType t, int64_t n, const float *in);

} // namespace dojo::sim::kernels

#endif // DOJO_SIM_KERNELS_H
