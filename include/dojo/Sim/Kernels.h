//===- Kernels.h - Arithmetic of the matrix and vector units ----*- C++ -*-===//
//
// The numerical core of the simulator, usable on its own (for example by the
// reference interpreter, to agree bit for bit). Operands are raw byte buffers
// (SRAM is byte addressed and may hold any type); no bounds checks here: the
// caller checks every range first.
//
// mm: C[i][j] = (acc ? C[i][j] : +0.0f) + A[i][0]*B[0][j] + ... + A[i][k-1]*
//     B[k-1][j], evaluated left to right, each product and each sum rounded
//     to FP32 on its own (no fused multiply-add). A and B are BF16, CFP8
//     1-4-3 or CFP8 1-5-2 (decoded exactly to FP32 with the given biases),
//     C is FP32. All of A, B (and C when acc) are read before C is written,
//     so operands may overlap.
//
// Vector ops read every source element as FP32 (num::loadAsF32), compute in
// FP32 and round once to the destination type (num::storeFromF32; nearest
// even unless vcvt asks for stochastic rounding). All reads happen before any
// write. vsel and a same-type vtrans copy elements bitwise.
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
  std::vector<uint8_t> bytes;
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

/// Operand types the matrix unit accepts: bf16, cfp8_143, cfp8_152.
bool isMatmulDType(num::DType t);

/// mm with element strides ldc, lda, ldb (in elements); A and B of type dt.
void matmul(uint8_t *c, const uint8_t *a, const uint8_t *b, int64_t m,
            int64_t n, int64_t k, int64_t ldc, int64_t lda, int64_t ldb,
            bool acc, Scratch &s, num::DType dt = num::DType::BF16,
            const num::Biases &biases = {});

enum class VBinary { Add, Sub, Mul, Max, Min, Div };
enum class VUnary {
  Cvt,
  Relu,
  Exp,
  Log,
  Sqrt,
  Rsqrt,
  Tanh,
  Recip,
  Abs,
  Neg,
  Erf
};
/// vcmp's `cmp` immediate.
enum class VCmp { Eq = 0, Ne = 1, Lt = 2, Le = 3, Gt = 4, Ge = 5 };
enum class VReduce { Sum, Max };

/// IEEE 754-2019 maximum/minimum: NaN if either operand is NaN (the first
/// NaN operand), and +0 > -0.
float fmaximum(float a, float b);
float fminimum(float a, float b);
inline float relu(float x) { return x > 0.0f ? x : (x != x ? x : 0.0f); }
/// The FP32 function of a unary op (Cvt: identity).
float unaryOp(VUnary op, float x);
/// IEEE comparison: false if either operand is NaN, except Ne (true).
bool compare(VCmp op, float a, float b);

/// d[i][j] = op(a[i][j], b[ldb ? i : 0][j]) for a rows x cols tile.
void vbinary(VBinary op, uint8_t *d, num::DType dtd, int64_t ldd,
             const uint8_t *a, num::DType dta, int64_t lda, const uint8_t *b,
             num::DType dtb, int64_t ldb, int64_t rows, int64_t cols,
             Scratch &s, const num::Biases &bias = {});
/// d[i][j] = op(a[i][j]), rounded to dtd with `rnd`; stochastic rounding
/// takes one rng draw per element in row-major order.
void vunary(VUnary op, uint8_t *d, num::DType dtd, int64_t ldd,
            const uint8_t *a, num::DType dta, int64_t lda, int64_t rows,
            int64_t cols, Scratch &s, const num::Biases &bias = {},
            num::Rounding rnd = num::Rounding::NearestEven,
            num::SrRng *rng = nullptr);
/// Every element of d becomes `value` rounded to dtd.
void vfill(uint8_t *d, num::DType dtd, int64_t ldd, float value, int64_t rows,
           int64_t cols, const num::Biases &bias = {});
/// d[i][j] = fma(a[i][j], b[i'][j], c[i''][j]) (one FP32 rounding), then
/// rounded to dtd; a, b, c of type dts; ldb/ldc == 0 broadcast row 0.
void vfma(uint8_t *d, num::DType dtd, int64_t ldd, const uint8_t *a,
          int64_t lda, const uint8_t *b, int64_t ldb, const uint8_t *c,
          int64_t ldc, num::DType dts, int64_t rows, int64_t cols, Scratch &s,
          const num::Biases &bias = {});
/// d[i][j] = cmp(a[i][j], b[i'][j]) ? 1 : 0 in dtd; a, b of type dts.
void vcmp(VCmp op, uint8_t *d, num::DType dtd, int64_t ldd, const uint8_t *a,
          int64_t lda, const uint8_t *b, int64_t ldb, num::DType dts,
          int64_t rows, int64_t cols, Scratch &s,
          const num::Biases &bias = {});
/// d[i][j] = m[i][j] != 0 ? a[i][j] : b[i'][j] (bitwise copies; a, b, d of
/// type dtd, m of type dtm; NaN counts as nonzero).
void vsel(uint8_t *d, num::DType dtd, int64_t ldd, const uint8_t *m,
          num::DType dtm, int64_t ldm, const uint8_t *a, int64_t lda,
          const uint8_t *b, int64_t ldb, int64_t rows, int64_t cols,
          Scratch &s, const num::Biases &bias = {});
/// d[j][i] = a[i][j] for an a of rows x cols (d is cols x rows, ldd >=
/// rows); bitwise when dtd == dta, else converted (nearest even).
void vtrans(uint8_t *d, num::DType dtd, int64_t ldd, const uint8_t *a,
            num::DType dta, int64_t lda, int64_t rows, int64_t cols,
            Scratch &s, const num::Biases &bias = {});
/// axis 0: d[j] = a[0][j] op a[1][j] op ... (1 x cols); axis 1: d[i] =
/// a[i][0] op a[i][1] op ... (rows x 1). FP32, strictly in ascending index
/// order starting from the first element; op is + (sum) or fmaximum (max);
/// d is dense.
void vreduce(VReduce op, uint8_t *d, num::DType dtd, const uint8_t *a,
             num::DType dta, int64_t lda, int64_t rows, int64_t cols, int axis,
             Scratch &s, const num::Biases &bias = {});

/// Row conversions between a typed buffer and FP32.
void loadRow(const uint8_t *src, num::DType t, int64_t n, float *out,
             const num::Biases &bias = {});
void storeRow(uint8_t *dst, num::DType t, int64_t n, const float *in,
              const num::Biases &bias = {},
              num::Rounding rnd = num::Rounding::NearestEven,
              num::SrRng *rng = nullptr);

} // namespace dojo::sim::kernels

#endif // DOJO_SIM_KERNELS_H
