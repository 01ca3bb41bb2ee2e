//===- Kernels.cpp - Arithmetic of the matrix and vector units ------------===//
//
// The matrix kernel packs A into MR-row blocks and B into NR-column panels
// (both converted from BF16 to FP32 once per instruction), then runs an
// MR x NR register-blocked micro-kernel over p = 0..k-1 in ascending order.
// Every C element therefore sees exactly the sequence
//   c = c + a[i][p] * b[p][j]   (p ascending, separate FP32 mul and add)
// whatever the blocking or SIMD width, so all code paths give the same bits.
// This file is compiled with -ffp-contract=off so no FMA sneaks in.
//
//===----------------------------------------------------------------------===//

#include "dojo/Sim/Kernels.h"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstring>

using namespace dojo;
using namespace dojo::sim;
using namespace dojo::sim::kernels;

namespace {

template <int L> struct VecOf;
template <> struct VecOf<4> {
  typedef float type __attribute__((vector_size(16)));
};
template <> struct VecOf<8> {
  typedef float type __attribute__((vector_size(32)));
};
template <> struct VecOf<16> {
  typedef float type __attribute__((vector_size(64)));
};

#define DOJO_INLINE inline __attribute__((always_inline))

/// C block (MR x NR at c, row stride ldc) += Ap-block * Bp-panel.
template <int L, int MR, int NV>
DOJO_INLINE void microKernel(const float *ap, const float *bp, float *c,
                             int64_t ldc, int64_t k) {
  typedef typename VecOf<L>::type V;
  constexpr int NR = L * NV;
  V acc[MR][NV];
#pragma GCC unroll 16
  for (int r = 0; r < MR; ++r)
#pragma GCC unroll 16
    for (int v = 0; v < NV; ++v)
      std::memcpy(&acc[r][v], c + r * ldc + v * L, sizeof(V));
  for (int64_t p = 0; p < k; ++p) {
    V b[NV];
#pragma GCC unroll 16
    for (int v = 0; v < NV; ++v)
      std::memcpy(&b[v], bp + p * NR + v * L, sizeof(V));
#pragma GCC unroll 16
    for (int r = 0; r < MR; ++r) {
      float a = ap[p * MR + r];
#pragma GCC unroll 16
      for (int v = 0; v < NV; ++v)
        acc[r][v] += a * b[v];
    }
  }
#pragma GCC unroll 16
  for (int r = 0; r < MR; ++r)
#pragma GCC unroll 16
    for (int v = 0; v < NV; ++v)
      std::memcpy(c + r * ldc + v * L, &acc[r][v], sizeof(V));
}

DOJO_INLINE float bf16At(const uint8_t *p) {
  uint16_t b;
  std::memcpy(&b, p, 2);
  return num::bf16ToF32(b);
}

template <int L, int MR, int NV>
DOJO_INLINE void matmulImpl(uint8_t *c, const uint8_t *a, const uint8_t *b,
                            int64_t m, int64_t n, int64_t k, int64_t ldc,
                            int64_t lda, int64_t ldb, bool acc, Scratch &s) {
  constexpr int NR = L * NV;
  const int64_t mb = (m + MR - 1) / MR, nb = (n + NR - 1) / NR;
  const int64_t mp = mb * MR, np = nb * NR;
  // Pack A: block ib holds rows ib*MR.. as [p][r], zero padded.
  s.a.assign(size_t(mp * k), 0.0f);
  for (int64_t i = 0; i < m; ++i) {
    float *dst = s.a.data() + (i / MR) * k * MR + (i % MR);
    const uint8_t *src = a + 2 * i * lda;
    for (int64_t p = 0; p < k; ++p)
      dst[p * MR] = bf16At(src + 2 * p);
  }
  // Pack B: panel jb holds columns jb*NR.. as [p][j], zero padded.
  s.b.assign(size_t(k * np), 0.0f);
  for (int64_t p = 0; p < k; ++p) {
    const uint8_t *src = b + 2 * p * ldb;
    for (int64_t jb = 0; jb < nb; ++jb) {
      float *dst = s.b.data() + jb * k * NR + p * NR;
      int64_t j0 = jb * NR, w = std::min<int64_t>(NR, n - j0);
      for (int64_t j = 0; j < w; ++j)
        dst[j] = bf16At(src + 2 * (j0 + j));
    }
  }
  // C scratch, mp x np, starting from +0 or the old C.
  s.c.assign(size_t(mp * np), 0.0f);
  if (acc)
    for (int64_t i = 0; i < m; ++i)
      std::memcpy(s.c.data() + i * np, c + 4 * i * ldc, size_t(4 * n));
  for (int64_t jb = 0; jb < nb; ++jb)
    for (int64_t ib = 0; ib < mb; ++ib)
      microKernel<L, MR, NV>(s.a.data() + ib * k * MR,
                             s.b.data() + jb * k * NR,
                             s.c.data() + ib * MR * np + jb * NR, np, k);
  for (int64_t i = 0; i < m; ++i)
    std::memcpy(c + 4 * i * ldc, s.c.data() + i * np, size_t(4 * n));
}

typedef void (*MatmulFn)(uint8_t *, const uint8_t *, const uint8_t *, int64_t,
                         int64_t, int64_t, int64_t, int64_t, int64_t, bool,
                         Scratch &);

void matmulGeneric(uint8_t *c, const uint8_t *a, const uint8_t *b, int64_t m,
                   int64_t n, int64_t k, int64_t ldc, int64_t lda, int64_t ldb,
                   bool acc, Scratch &s) {
  matmulImpl<4, 4, 2>(c, a, b, m, n, k, ldc, lda, ldb, acc, s);
}

#if defined(__x86_64__) && defined(__GNUC__)
#define DOJO_X86_DISPATCH 1
__attribute__((target("avx2"))) void
matmulAvx2(uint8_t *c, const uint8_t *a, const uint8_t *b, int64_t m,
           int64_t n, int64_t k, int64_t ldc, int64_t lda, int64_t ldb,
           bool acc, Scratch &s) {
  matmulImpl<8, 4, 2>(c, a, b, m, n, k, ldc, lda, ldb, acc, s);
}
__attribute__((target("avx512f"))) void
matmulAvx512(uint8_t *c, const uint8_t *a, const uint8_t *b, int64_t m,
             int64_t n, int64_t k, int64_t ldc, int64_t lda, int64_t ldb,
             bool acc, Scratch &s) {
  matmulImpl<16, 4, 2>(c, a, b, m, n, k, ldc, lda, ldb, acc, s);
}
#endif

SimdLevel bestLevel() {
#ifdef DOJO_X86_DISPATCH
  __builtin_cpu_init();
  if (__builtin_cpu_supports("avx512f"))
    return SimdLevel::Avx512;
  if (__builtin_cpu_supports("avx2"))
    return SimdLevel::Avx2;
#endif
  return SimdLevel::Generic;
}

std::atomic<int> gLevel{0};

SimdLevel resolve(SimdLevel want) {
  SimdLevel best = bestLevel();
  if (want == SimdLevel::Auto || static_cast<int>(want) > static_cast<int>(best))
    return best;
  return want;
}

MatmulFn matmulFor(SimdLevel l) {
  switch (l) {
#ifdef DOJO_X86_DISPATCH
  case SimdLevel::Avx512:
    return matmulAvx512;
  case SimdLevel::Avx2:
    return matmulAvx2;
#endif
  default:
    return matmulGeneric;
  }
}
} // namespace

void kernels::setSimdLevel(SimdLevel level) {
  gLevel.store(static_cast<int>(resolve(level)));
}

SimdLevel kernels::activeSimdLevel() {
  int l = gLevel.load();
  if (l == 0) {
    l = static_cast<int>(resolve(SimdLevel::Auto));
    gLevel.store(l);
  }
  return static_cast<SimdLevel>(l);
}

void kernels::matmul(uint8_t *c, const uint8_t *a, const uint8_t *b, int64_t m,
                     int64_t n, int64_t k, int64_t ldc, int64_t lda,
                     int64_t ldb, bool acc, Scratch &s) {
  matmulFor(activeSimdLevel())(c, a, b, m, n, k, ldc, lda, ldb, acc, s);
}

//===----------------------------------------------------------------------===//
// Vector unit
//===----------------------------------------------------------------------===//

float kernels::fmaximum(float a, float b) {
  if (a != a)
    return a;
  if (b != b)
    return b;
  if (a == b)
    return std::signbit(a) ? b : a;
  return a > b ? a : b;
}

float kernels::fminimum(float a, float b) {
  if (a != a)
    return a;
  if (b != b)
    return b;
  if (a == b)
    return std::signbit(a) ? a : b;
  return a < b ? a : b;
}

void kernels::loadRow(const uint8_t *src, num::DType t, int64_t n,
                      float *out) {
  switch (t) {
  case num::DType::F32:
    std::memcpy(out, src, size_t(4 * n));
    return;
  case num::DType::BF16:
    for (int64_t i = 0; i < n; ++i)
      out[i] = bf16At(src + 2 * i);
    return;
  case num::DType::I32:
    for (int64_t i = 0; i < n; ++i)
      out[i] = num::loadAsF32(src, num::DType::I32, i);
    return;
  case num::DType::I8:
    for (int64_t i = 0; i < n; ++i)
      out[i] = static_cast<float>(static_cast<int8_t>(src[i]));
    return;
  }
}

void kernels::storeRow(uint8_t *dst, num::DType t, int64_t n,
                       const float *in) {
  switch (t) {
  case num::DType::F32:
    std::memcpy(dst, in, size_t(4 * n));
    return;
  case num::DType::BF16:
    for (int64_t i = 0; i < n; ++i) {
      uint16_t b = num::f32ToBf16(in[i]);
      std::memcpy(dst + 2 * i, &b, 2);
    }
    return;
  default:
    for (int64_t i = 0; i < n; ++i)
      num::storeFromF32(dst, t, i, in[i]);
    return;
  }
}

namespace {
template <class F>
void binaryRows(F f, float *out, const float *a, const float *b, int64_t n) {
  for (int64_t j = 0; j < n; ++j)
    out[j] = f(a[j], b[j]);
}
} // namespace

void kernels::vbinary(VBinary op, uint8_t *d, num::DType dtd, int64_t ldd,
                      const uint8_t *a, num::DType dta, int64_t lda,
                      const uint8_t *b, num::DType dtb, int64_t ldb,
                      int64_t rows, int64_t cols, Scratch &s) {
  const int64_t ea = num::dtypeBytes(dta), eb = num::dtypeBytes(dtb),
                ed = num::dtypeBytes(dtd);
  s.a.resize(size_t(cols));
  s.b.resize(size_t(cols));
  s.d.resize(size_t(rows * cols));
  if (ldb == 0)
    loadRow(b, dtb, cols, s.b.data());
  for (int64_t i = 0; i < rows; ++i) {
    loadRow(a + i * lda * ea, dta, cols, s.a.data());
    if (ldb != 0)
      loadRow(b + i * ldb * eb, dtb, cols, s.b.data());
    float *out = s.d.data() + i * cols;
    const float *x = s.a.data(), *y = s.b.data();
    switch (op) {
    case VBinary::Add:
      binaryRows([](float p, float q) { return p + q; }, out, x, y, cols);
      break;
    case VBinary::Sub:
      binaryRows([](float p, float q) { return p - q; }, out, x, y, cols);
      break;
    case VBinary::Mul:
      binaryRows([](float p, float q) { return p * q; }, out, x, y, cols);
      break;
    case VBinary::Max:
      binaryRows(fmaximum, out, x, y, cols);
      break;
    case VBinary::Min:
      binaryRows(fminimum, out, x, y, cols);
      break;
    }
  }
  for (int64_t i = 0; i < rows; ++i)
    storeRow(d + i * ldd * ed, dtd, cols, s.d.data() + i * cols);
}

void kernels::vunary(VUnary op, uint8_t *d, num::DType dtd, int64_t ldd,
                     const uint8_t *a, num::DType dta, int64_t lda,
                     int64_t rows, int64_t cols, Scratch &s) {
  const int64_t ea = num::dtypeBytes(dta), ed = num::dtypeBytes(dtd);
  s.d.resize(size_t(rows * cols));
  for (int64_t i = 0; i < rows; ++i) {
    float *out = s.d.data() + i * cols;
    loadRow(a + i * lda * ea, dta, cols, out);
    if (op == VUnary::Relu)
      for (int64_t j = 0; j < cols; ++j)
        out[j] = relu(out[j]);
  }
  for (int64_t i = 0; i < rows; ++i)
    storeRow(d + i * ldd * ed, dtd, cols, s.d.data() + i * cols);
}

void kernels::vfill(uint8_t *d, num::DType dtd, int64_t ldd, float value,
                    int64_t rows, int64_t cols) {
  const int64_t ed = num::dtypeBytes(dtd);
  uint8_t elem[4];
  num::storeFromF32(elem, dtd, 0, value);
  for (int64_t i = 0; i < rows; ++i) {
    uint8_t *row = d + i * ldd * ed;
    for (int64_t j = 0; j < cols; ++j)
      std::memcpy(row + j * ed, elem, size_t(ed));
  }
}
