//===- Kernels.cpp - Arithmetic of the matrix and vector units ------------===//
//
// The matrix kernel packs A into MR-row blocks and B into NR-column panels
// (both converted from BF16 to FP32 once per instruction), then runs an
// MR x NR register-blocked micro-kernel over p = 0..k-1 in ascending order.
// Every C element therefore sees exactly the sequence
//   c = c + a[i][p] * b[p][j]   (p ascending, separate FP32 mul and add)
// whatever the blocking or SIMD width, so all code paths give the same bits.
// This file is compiled with -ffp-contract=off so no FMA sneaks in
// implicitly. The AVX2/AVX-512 paths use FMA explicitly, and only when the
// exponent ranges of A and B prove every product exact (productsExact), in
// which case fma(a, b, c) rounds once, exactly like c + a*b.
//
//===----------------------------------------------------------------------===//

#include "dojo/Sim/Kernels.h"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <condition_variable>
#include <cstring>
#include <functional>
#include <mutex>
#include <thread>

#include <pthread.h>

#if defined(__x86_64__) && defined(__GNUC__)
#include <immintrin.h>
#endif

using namespace dojo;
using namespace dojo::sim;
using namespace dojo::sim::kernels;

namespace {

template <int L> struct VecOf;
template <> struct VecOf<4> {
  typedef float type __attribute__((vector_size(16)));
};

#define DOJO_INLINE inline __attribute__((always_inline))

DOJO_INLINE float bf16At(const uint8_t *p) {
  uint16_t b;
  std::memcpy(&b, p, 2);
  return num::bf16ToF32(b);
}

/// Micro-kernel: C block (MR x NR at c, row stride ldc) = (loadC ? C : 0)
/// + A rows (MR rows of k floats at a, row stride lda) * B panel (packed
/// [p][NR]), p ascending. `fused` selects FMA, which the caller only
/// requests when every product is exact.
typedef void (*MicroFn)(const float *a, int64_t lda, const float *bp, float *c,
                        int64_t ldc, int64_t k, bool fused, bool loadC);

/// Portable path: 4 rows x 8 columns of SSE-width vectors, multiply then add.
constexpr int kGenericMR = 4, kGenericNR = 8;
void microGeneric(const float *a, int64_t lda, const float *bp, float *c,
                  int64_t ldc, int64_t k, bool, bool loadC) {
  typedef VecOf<4>::type V;
  V acc[4][2] = {};
  if (loadC)
    for (int r = 0; r < 4; ++r)
      for (int v = 0; v < 2; ++v)
        std::memcpy(&acc[r][v], c + r * ldc + v * 4, sizeof(V));
  for (int64_t p = 0; p < k; ++p) {
    V b0, b1;
    std::memcpy(&b0, bp + p * 8, sizeof(V));
    std::memcpy(&b1, bp + p * 8 + 4, sizeof(V));
    for (int r = 0; r < 4; ++r) {
      float x = a[r * lda + p];
      acc[r][0] += x * b0;
      acc[r][1] += x * b1;
    }
  }
  for (int r = 0; r < 4; ++r)
    for (int v = 0; v < 2; ++v)
      std::memcpy(c + r * ldc + v * 4, &acc[r][v], sizeof(V));
}

#if defined(__x86_64__) && defined(__GNUC__)
#define DOJO_X86_DISPATCH 1

// MR rows x 2 vectors of accumulators: enough independent chains to keep
// both FP pipes busy through the add (or FMA) latency. The multiply-then-add
// and the FMA loops are separate so neither has a branch inside.
#define DOJO_MICRO_KERNEL(NAME, TARGET, VT, W, LOAD, STORE, SET1, ZERO, ADD,   \
                          MUL, FMA)                                            \
  template <int MR>                                                            \
  __attribute__((target(TARGET))) void NAME(                                   \
      const float *a, int64_t lda, const float *bp, float *c, int64_t ldc,     \
      int64_t k, bool fused, bool loadC) {                                     \
    VT acc[MR][2];                                                             \
    _Pragma("GCC unroll 16") for (int r = 0; r < MR; ++r) {                    \
      acc[r][0] = loadC ? LOAD(c + r * ldc) : ZERO();                          \
      acc[r][1] = loadC ? LOAD(c + r * ldc + W) : ZERO();                      \
    }                                                                          \
    if (fused) {                                                               \
      for (int64_t p = 0; p < k; ++p) {                                        \
        VT b0 = LOAD(bp + p * 2 * W), b1 = LOAD(bp + p * 2 * W + W);           \
        _Pragma("GCC unroll 16") for (int r = 0; r < MR; ++r) {                \
          VT x = SET1(a[r * lda + p]);                                         \
          acc[r][0] = FMA(x, b0, acc[r][0]);                                   \
          acc[r][1] = FMA(x, b1, acc[r][1]);                                   \
        }                                                                      \
      }                                                                        \
    } else {                                                                   \
      for (int64_t p = 0; p < k; ++p) {                                        \
        VT b0 = LOAD(bp + p * 2 * W), b1 = LOAD(bp + p * 2 * W + W);           \
        _Pragma("GCC unroll 16") for (int r = 0; r < MR; ++r) {                \
          VT x = SET1(a[r * lda + p]);                                         \
          acc[r][0] = ADD(acc[r][0], MUL(x, b0));                              \
          acc[r][1] = ADD(acc[r][1], MUL(x, b1));                              \
        }                                                                      \
      }                                                                        \
    }                                                                          \
    _Pragma("GCC unroll 16") for (int r = 0; r < MR; ++r) {                    \
      STORE(c + r * ldc, acc[r][0]);                                           \
      STORE(c + r * ldc + W, acc[r][1]);                                       \
    }                                                                          \
  }

// 16 ymm registers: 6 x 2 accumulators + 2 B vectors + 1 broadcast.
constexpr int kAvx2MR = 6, kAvx2NR = 16;
DOJO_MICRO_KERNEL(microAvx2, "avx2,fma", __m256, 8, _mm256_loadu_ps,
                  _mm256_storeu_ps, _mm256_set1_ps, _mm256_setzero_ps,
                  _mm256_add_ps, _mm256_mul_ps, _mm256_fmadd_ps)

// 32 zmm registers: 8 x 2 accumulators.
constexpr int kAvx512MR = 8, kAvx512NR = 32;
DOJO_MICRO_KERNEL(microAvx512, "avx512f", __m512, 16, _mm512_loadu_ps,
                  _mm512_storeu_ps, _mm512_set1_ps, _mm512_setzero_ps,
                  _mm512_add_ps, _mm512_mul_ps, _mm512_fmadd_ps)
#undef DOJO_MICRO_KERNEL
#endif

/// Magnitude range of BF16 values seen while packing an operand: the largest
/// |bits| and the smallest nonzero |bits| (sign cleared). Exponent fields are
/// their top bits, so this gives the exponent range.
struct MagRange {
  uint16_t maxMag = 0, minMag = 0xffff;
};

/// Converts n BF16 values to FP32 and widens `r`. Branch-free so it
/// vectorizes; instantiated per ISA below (the min/max need SSE4.1+ to
/// vectorize well).
///
/// Signed 16-bit lanes: magnitudes are below 0x8000. The minimum runs over
/// (mag - 1) & 0x7fff, which maps 0 to 0x7fff so zeros do not count.
#define DOJO_CONVERT_ROW_BODY                                                  \
  int16_t mx = int16_t(r.maxMag);                                              \
  int16_t mnm1 = int16_t((r.minMag - 1) & 0x7fff);                             \
  for (int64_t i = 0; i < n; ++i) {                                            \
    uint16_t bits;                                                             \
    std::memcpy(&bits, src + 2 * i, 2);                                        \
    int16_t mag = int16_t(bits & 0x7fff);                                      \
    int16_t m1 = int16_t((mag - 1) & 0x7fff);                                  \
    mx = mag > mx ? mag : mx;                                                  \
    mnm1 = m1 < mnm1 ? m1 : mnm1;                                              \
    uint32_t u = uint32_t(bits) << 16;                                         \
    std::memcpy(dst + i, &u, 4);                                               \
  }                                                                            \
  r.maxMag = uint16_t(mx);                                                     \
  r.minMag = mnm1 == 0x7fff ? uint16_t(0xffff) : uint16_t(mnm1 + 1);

typedef void (*ConvertFn)(const uint8_t *src, int64_t n, float *dst,
                          MagRange &r);
void convertRowGeneric(const uint8_t *src, int64_t n, float *dst, MagRange &r) {
  DOJO_CONVERT_ROW_BODY
}
#ifdef DOJO_X86_DISPATCH
__attribute__((target("avx2"))) void
convertRowAvx2(const uint8_t *src, int64_t n, float *dst, MagRange &r) {
  DOJO_CONVERT_ROW_BODY
}
__attribute__((target("avx512f,avx512bw"))) void
convertRowAvx512(const uint8_t *src, int64_t n, float *dst, MagRange &r) {
  DOJO_CONVERT_ROW_BODY
}
#endif
#undef DOJO_CONVERT_ROW_BODY

/// True if every product a*b of a value of A and a value of B is exactly
/// representable in FP32, so fma(a, b, c) == c + a*b bit for bit.
///
/// A nonzero finite BF16 value with exponent field E (E_eff = max(E, 1)) has
/// magnitude below 2^(E_eff-126) and its lowest significand bit is at least
/// 2^(E_eff-134). The product of two then has at most 16 significant bits,
/// magnitude below 2^(Ea+Eb-252) and lowest bit at least 2^(Ea+Eb-268). It is
/// an exact FP32 value if it cannot overflow (Ea+Eb-252 <= 128) and its lowest
/// bit is not below the smallest FP32 denormal 2^-149 (Ea+Eb-268 >= -149).
/// Products with a zero operand are exact zeros. Inf/NaN take the plain path.
bool productsExact(const MagRange &a, const MagRange &b) {
  if (a.maxMag >= 0x7f80 || b.maxMag >= 0x7f80)
    return false; // inf or NaN
  if (a.maxMag == 0 || b.maxMag == 0)
    return true; // an operand is all zeros
  int maxA = a.maxMag >> 7, maxB = b.maxMag >> 7;
  int minA = std::max(a.minMag >> 7, 1), minB = std::max(b.minMag >> 7, 1);
  return maxA + maxB <= 380 && minA + minB >= 119;
}

std::atomic<bool> gLastFused{false};

/// A few persistent worker threads for large mm instructions. Work is split
/// into parts that own disjoint C columns, so results do not depend on the
/// number of threads or on scheduling.
class WorkerPool {
public:
  explicit WorkerPool(int threads) {
    for (int i = 1; i < threads; ++i)
      workers.emplace_back([this] { loop(); });
  }
  int size() const { return int(workers.size()) + 1; }

  /// Calls f(0) .. f(parts-1), on the workers and the calling thread. If the
  /// pool is busy (another thread's instruction), runs everything inline.
  void run(int parts, const std::function<void(int)> &f) {
    std::unique_lock<std::mutex> busy(runMu, std::try_to_lock);
    if (!busy.owns_lock() || workers.empty()) {
      for (int i = 0; i < parts; ++i)
        f(i);
      return;
    }
    {
      std::lock_guard<std::mutex> lk(mu);
      job = &f;
      nparts = parts;
      next.store(0);
      finished = 0;
      ++generation;
    }
    wake.notify_all();
    work();
    std::unique_lock<std::mutex> lk(mu);
    done.wait(lk, [&] { return finished == workers.size(); });
    job = nullptr;
  }

private:
  void work() {
    for (int i; (i = next.fetch_add(1)) < nparts;)
      (*job)(i);
  }
  void loop() {
    uint64_t seen = 0;
    std::unique_lock<std::mutex> lk(mu);
    while (true) {
      wake.wait(lk, [&] { return generation != seen; });
      seen = generation;
      lk.unlock();
      work();
      lk.lock();
      if (++finished == workers.size())
        done.notify_one();
    }
  }

  std::vector<std::thread> workers;
  std::mutex runMu, mu;
  std::condition_variable wake, done;
  const std::function<void(int)> *job = nullptr;
  int nparts = 0;
  std::atomic<int> next{0};
  size_t finished = 0;
  uint64_t generation = 0;
};

std::atomic<int> gThreads{0}; // 0: not chosen yet
std::mutex gPoolMu;
// Deliberately leaked: worker threads block forever in wait() and must not
// be joined from static destructors. A forked child forgets the parent's
// pool (its threads do not exist there) and builds its own.
WorkerPool *gPool = nullptr;

int defaultThreads() {
  unsigned hw = std::thread::hardware_concurrency();
  return int(std::min(8u, std::max(1u, hw)));
}

WorkerPool *pool() {
  static std::once_flag atfork;
  std::call_once(atfork, [] {
    pthread_atfork(nullptr, nullptr, [] { gPool = nullptr; });
  });
  int want = kernels::threads();
  std::lock_guard<std::mutex> lk(gPoolMu);
  if (!gPool || gPool->size() != want)
    gPool = new WorkerPool(want); // an old pool of another size is leaked
  return gPool;
}

/// Below this many MACs an instruction runs on the calling thread only.
constexpr int64_t kParallelMacs = int64_t(1) << 21;

/// Decoding of one-byte (CFP8) matrix operands: a 256-entry table of the
/// exact FP32 values, and the mask that identifies Inf/NaN codes
/// ((code & mask) == mask).
struct Cfp8Table {
  float value[256];
  uint8_t specialMask;
};

/// Decodes n CFP8 codes; returns whether any is Inf or NaN.
bool decodeRowCfp8(const Cfp8Table &t, const uint8_t *src, int64_t n,
                   float *dst) {
  bool special = false;
  for (int64_t i = 0; i < n; ++i) {
    dst[i] = t.value[src[i]];
    special |= (src[i] & t.specialMask) == t.specialMask;
  }
  return special;
}

/// `cfp8` null: A and B are BF16 (convertRow); otherwise one-byte codes
/// decoded with the table. Every CFP8 product is exact in FP32 (at most 4
/// significant bits per operand; magnitudes within [2^-65, 2^31) for every
/// bias), so FMA is used whenever no operand is Inf/NaN.
template <int MR, int NR>
void matmulDriver(MicroFn micro, ConvertFn convertRow, bool canFuse, uint8_t *c,
                  const uint8_t *a, const uint8_t *b, int64_t m, int64_t n,
                  int64_t k, int64_t ldc, int64_t lda, int64_t ldb, bool acc,
                  Scratch &s, const Cfp8Table *cfp8) {
  const int64_t mb = (m + MR - 1) / MR, nb = (n + NR - 1) / NR;
  const int64_t mp = mb * MR, np = nb * NR;
  const int64_t eb = cfp8 ? 1 : 2;
  MagRange ra, rb;
  bool special = false;
  // A: FP32, row-major with row stride k, zero rows up to a multiple of MR.
  s.a.resize(size_t(mp * k));
  for (int64_t i = 0; i < m; ++i) {
    if (cfp8)
      special |= decodeRowCfp8(*cfp8, a + i * lda, k, s.a.data() + i * k);
    else
      convertRow(a + eb * i * lda, k, s.a.data() + i * k, ra);
  }
  std::fill(s.a.begin() + m * k, s.a.end(), 0.0f);
  // B: panel jb holds columns jb*NR.. as [p][j], zero padded.
  s.b.resize(size_t(k * np));
  s.d.resize(size_t(np));
  for (int64_t p = 0; p < k; ++p) {
    float *row = s.d.data();
    if (cfp8)
      special |= decodeRowCfp8(*cfp8, b + p * ldb, n, row);
    else
      convertRow(b + eb * p * ldb, n, row, rb);
    std::fill(row + n, row + np, 0.0f);
    for (int64_t jb = 0; jb < nb; ++jb)
      std::memcpy(s.b.data() + (jb * k + p) * NR, row + jb * NR,
                  sizeof(float) * NR);
  }
  const bool fused = canFuse && (cfp8 ? !special : productsExact(ra, rb));
  gLastFused.store(fused, std::memory_order_relaxed);
  // Full blocks compute in place in C; edge blocks through a small tile.
  // A and B are already copied out, so C may overlap them. p runs in chunks
  // of kKc (so a B panel chunk stays in L1); the partial sums in between are
  // FP32 values in C, exactly what every step rounds to anyway. Column
  // panels [jbBegin, jbEnd) are independent: large instructions spread them
  // over threads.
  float *C = reinterpret_cast<float *>(c);
  auto panels = [&](int64_t jbBegin, int64_t jbEnd) {
    constexpr int64_t kKc = 256;
    float tile[MR * NR];
    for (int64_t p0 = 0; p0 < k; p0 += kKc) {
      const int64_t kc = std::min(kKc, k - p0);
      const bool loadC = acc || p0 > 0;
      for (int64_t jb = jbBegin; jb < jbEnd; ++jb) {
        const int64_t j0 = jb * NR, w = std::min<int64_t>(NR, n - j0);
        const float *bp = s.b.data() + (jb * k + p0) * NR;
        for (int64_t ib = 0; ib < mb; ++ib) {
          const int64_t i0 = ib * MR, h = std::min<int64_t>(MR, m - i0);
          const float *ap = s.a.data() + i0 * k + p0;
          if (h == MR && w == NR) {
            micro(ap, k, bp, C + i0 * ldc + j0, ldc, kc, fused, loadC);
            continue;
          }
          std::fill(tile, tile + MR * NR, 0.0f);
          if (loadC)
            for (int64_t r = 0; r < h; ++r)
              std::memcpy(tile + r * NR, c + 4 * ((i0 + r) * ldc + j0),
                          size_t(4 * w));
          micro(ap, k, bp, tile, NR, kc, fused, true);
          for (int64_t r = 0; r < h; ++r)
            std::memcpy(c + 4 * ((i0 + r) * ldc + j0), tile + r * NR,
                        size_t(4 * w));
        }
      }
    }
  };
  const int threads = kernels::threads();
  if (threads <= 1 || nb < 2 || m * n * k < kParallelMacs) {
    panels(0, nb);
    return;
  }
  WorkerPool *wp = pool();
  const int parts = int(std::min<int64_t>(nb, 4 * int64_t(wp->size())));
  wp->run(parts, [&](int part) {
    panels(nb * part / parts, nb * (part + 1) / parts);
  });
}

SimdLevel bestLevel() {
#ifdef DOJO_X86_DISPATCH
  __builtin_cpu_init();
  if (__builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw"))
    return SimdLevel::Avx512;
  if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma"))
    return SimdLevel::Avx2;
#endif
  return SimdLevel::Generic;
}

std::atomic<int> gLevel{0};

SimdLevel resolve(SimdLevel want) {
  SimdLevel best = bestLevel();
  if (want == SimdLevel::Auto ||
      static_cast<int>(want) > static_cast<int>(best))
    return best;
  return want;
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

bool kernels::lastMatmulFused() { return gLastFused.load(); }

void kernels::setThreads(int n) {
  gThreads.store(n <= 0 ? defaultThreads() : std::min(n, 64));
}

int kernels::threads() {
  int t = gThreads.load();
  if (t == 0) {
    t = defaultThreads();
    gThreads.store(t);
  }
  return t;
}

bool kernels::isMatmulDType(num::DType t) {
  return t == num::DType::BF16 || t == num::DType::CFP8_143 ||
         t == num::DType::CFP8_152;
}

void kernels::matmul(uint8_t *c, const uint8_t *a, const uint8_t *b, int64_t m,
                     int64_t n, int64_t k, int64_t ldc, int64_t lda,
                     int64_t ldb, bool acc, Scratch &s, num::DType dt,
                     const num::Biases &biases) {
  Cfp8Table table;
  const Cfp8Table *cfp8 = nullptr;
  if (dt != num::DType::BF16) {
    num::MiniFormat f = num::miniFormat(dt, biases);
    for (int code = 0; code < 256; ++code)
      table.value[code] = num::decodeMini(uint32_t(code), f);
    table.specialMask = dt == num::DType::CFP8_143 ? 0x7f : 0x7c;
    cfp8 = &table;
  }
  switch (activeSimdLevel()) {
#ifdef DOJO_X86_DISPATCH
  case SimdLevel::Avx512:
    return matmulDriver<kAvx512MR, kAvx512NR>(
        microAvx512<kAvx512MR>, convertRowAvx512, true, c, a, b, m, n, k, ldc,
        lda, ldb, acc, s, cfp8);
  case SimdLevel::Avx2:
    return matmulDriver<kAvx2MR, kAvx2NR>(microAvx2<kAvx2MR>, convertRowAvx2,
                                          true, c, a, b, m, n, k, ldc, lda, ldb,
                                          acc, s, cfp8);
#endif
  default:
    return matmulDriver<kGenericMR, kGenericNR>(microGeneric, convertRowGeneric,
                                                false, c, a, b, m, n, k, ldc,
                                                lda, ldb, acc, s, cfp8);
  }
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

float kernels::unaryOp(VUnary op, float x) {
  switch (op) {
  case VUnary::Cvt:
    return x;
  case VUnary::Relu:
    return relu(x);
  case VUnary::Exp:
    return num::expF32(x);
  case VUnary::Log:
    return num::logF32(x);
  case VUnary::Sqrt:
    return __builtin_sqrtf(x);
  case VUnary::Rsqrt:
    return num::rsqrtF32(x);
  case VUnary::Tanh:
    return num::tanhF32(x);
  case VUnary::Recip:
    return 1.0f / x;
  case VUnary::Abs:
    return num::bitsF32(num::f32Bits(x) & 0x7fffffffu);
  case VUnary::Neg:
    return num::bitsF32(num::f32Bits(x) ^ 0x80000000u);
  case VUnary::Erf:
    return num::erfF32(x);
  }
  return x;
}

bool kernels::compare(VCmp op, float a, float b) {
  switch (op) {
  case VCmp::Eq:
    return a == b;
  case VCmp::Ne:
    return a != b;
  case VCmp::Lt:
    return a < b;
  case VCmp::Le:
    return a <= b;
  case VCmp::Gt:
    return a > b;
  case VCmp::Ge:
    return a >= b;
  }
  return false;
}

void kernels::loadRow(const uint8_t *src, num::DType t, int64_t n, float *out,
                      const num::Biases &bias) {
  switch (t) {
  case num::DType::F32:
    std::memcpy(out, src, size_t(4 * n));
    return;
  case num::DType::BF16:
    for (int64_t i = 0; i < n; ++i)
      out[i] = bf16At(src + 2 * i);
    return;
  case num::DType::I8:
    for (int64_t i = 0; i < n; ++i)
      out[i] = static_cast<float>(static_cast<int8_t>(src[i]));
    return;
  case num::DType::CFP8_143:
  case num::DType::CFP8_152: {
    const num::MiniFormat f = num::miniFormat(t, bias);
    for (int64_t i = 0; i < n; ++i)
      out[i] = num::decodeMini(src[i], f);
    return;
  }
  default:
    for (int64_t i = 0; i < n; ++i)
      out[i] = num::loadAsF32(src, t, i, bias);
    return;
  }
}

void kernels::storeRow(uint8_t *dst, num::DType t, int64_t n, const float *in,
                       const num::Biases &bias, num::Rounding rnd,
                       num::SrRng *rng) {
  if (rnd == num::Rounding::Stochastic) {
    // One draw per element, whatever the types (also when exact).
    for (int64_t i = 0; i < n; ++i)
      num::storeFromF32(dst, t, i, in[i], bias, rnd, rng->next());
    return;
  }
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
      num::storeFromF32(dst, t, i, in[i], bias);
    return;
  }
}

namespace {
template <class F>
void binaryRows(F f, float *out, const float *a, const float *b, int64_t n) {
  for (int64_t j = 0; j < n; ++j)
    out[j] = f(a[j], b[j]);
}

/// Writes the rows x cols results in s.d (dense) to the destination tile.
void storeTile(uint8_t *d, num::DType dtd, int64_t ldd, int64_t rows,
               int64_t cols, const float *res, const num::Biases &bias,
               num::Rounding rnd = num::Rounding::NearestEven,
               num::SrRng *rng = nullptr) {
  const int64_t ed = num::dtypeBytes(dtd);
  for (int64_t i = 0; i < rows; ++i)
    storeRow(d + i * ldd * ed, dtd, cols, res + i * cols, bias, rnd, rng);
}
} // namespace

void kernels::vbinary(VBinary op, uint8_t *d, num::DType dtd, int64_t ldd,
                      const uint8_t *a, num::DType dta, int64_t lda,
                      const uint8_t *b, num::DType dtb, int64_t ldb,
                      int64_t rows, int64_t cols, Scratch &s,
                      const num::Biases &bias) {
  const int64_t ea = num::dtypeBytes(dta), eb = num::dtypeBytes(dtb);
  s.a.resize(size_t(cols));
  s.b.resize(size_t(cols));
  s.d.resize(size_t(rows * cols));
  if (ldb == 0)
    loadRow(b, dtb, cols, s.b.data(), bias);
  for (int64_t i = 0; i < rows; ++i) {
    loadRow(a + i * lda * ea, dta, cols, s.a.data(), bias);
    if (ldb != 0)
      loadRow(b + i * ldb * eb, dtb, cols, s.b.data(), bias);
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
    case VBinary::Div:
      binaryRows([](float p, float q) { return p / q; }, out, x, y, cols);
      break;
    case VBinary::Max:
      binaryRows(fmaximum, out, x, y, cols);
      break;
    case VBinary::Min:
      binaryRows(fminimum, out, x, y, cols);
      break;
    }
  }
  storeTile(d, dtd, ldd, rows, cols, s.d.data(), bias);
}

void kernels::vunary(VUnary op, uint8_t *d, num::DType dtd, int64_t ldd,
                     const uint8_t *a, num::DType dta, int64_t lda,
                     int64_t rows, int64_t cols, Scratch &s,
                     const num::Biases &bias, num::Rounding rnd,
                     num::SrRng *rng) {
  const int64_t ea = num::dtypeBytes(dta);
  s.d.resize(size_t(rows * cols));
  for (int64_t i = 0; i < rows; ++i) {
    float *out = s.d.data() + i * cols;
    loadRow(a + i * lda * ea, dta, cols, out, bias);
    if (op != VUnary::Cvt)
      for (int64_t j = 0; j < cols; ++j)
        out[j] = unaryOp(op, out[j]);
  }
  storeTile(d, dtd, ldd, rows, cols, s.d.data(), bias, rnd, rng);
}

void kernels::vfill(uint8_t *d, num::DType dtd, int64_t ldd, float value,
                    int64_t rows, int64_t cols, const num::Biases &bias) {
  const int64_t ed = num::dtypeBytes(dtd);
  uint8_t elem[4];
  num::storeFromF32(elem, dtd, 0, value, bias);
  for (int64_t i = 0; i < rows; ++i) {
    uint8_t *row = d + i * ldd * ed;
    for (int64_t j = 0; j < cols; ++j)
      std::memcpy(row + j * ed, elem, size_t(ed));
  }
}

void kernels::vfma(uint8_t *d, num::DType dtd, int64_t ldd, const uint8_t *a,
                   int64_t lda, const uint8_t *b, int64_t ldb,
                   const uint8_t *c, int64_t ldc, num::DType dts, int64_t rows,
                   int64_t cols, Scratch &s, const num::Biases &bias) {
  const int64_t es = num::dtypeBytes(dts);
  s.a.resize(size_t(cols));
  s.b.resize(size_t(cols));
  s.c.resize(size_t(cols));
  s.d.resize(size_t(rows * cols));
  for (int64_t i = 0; i < rows; ++i) {
    loadRow(a + i * lda * es, dts, cols, s.a.data(), bias);
    if (i == 0 || ldb != 0)
      loadRow(b + i * ldb * es, dts, cols, s.b.data(), bias);
    if (i == 0 || ldc != 0)
      loadRow(c + i * ldc * es, dts, cols, s.c.data(), bias);
    float *out = s.d.data() + i * cols;
    for (int64_t j = 0; j < cols; ++j)
      out[j] = num::fmaF32(s.a[j], s.b[j], s.c[j]);
  }
  storeTile(d, dtd, ldd, rows, cols, s.d.data(), bias);
}

void kernels::vcmp(VCmp op, uint8_t *d, num::DType dtd, int64_t ldd,
                   const uint8_t *a, int64_t lda, const uint8_t *b,
                   int64_t ldb, num::DType dts, int64_t rows, int64_t cols,
                   Scratch &s, const num::Biases &bias) {
  const int64_t es = num::dtypeBytes(dts);
  s.a.resize(size_t(cols));
  s.b.resize(size_t(cols));
  s.d.resize(size_t(rows * cols));
  for (int64_t i = 0; i < rows; ++i) {
    loadRow(a + i * lda * es, dts, cols, s.a.data(), bias);
    if (i == 0 || ldb != 0)
      loadRow(b + i * ldb * es, dts, cols, s.b.data(), bias);
    float *out = s.d.data() + i * cols;
    for (int64_t j = 0; j < cols; ++j)
      out[j] = compare(op, s.a[j], s.b[j]) ? 1.0f : 0.0f;
  }
  storeTile(d, dtd, ldd, rows, cols, s.d.data(), bias);
}

void kernels::vsel(uint8_t *d, num::DType dtd, int64_t ldd, const uint8_t *m,
                   num::DType dtm, int64_t ldm, const uint8_t *a, int64_t lda,
                   const uint8_t *b, int64_t ldb, int64_t rows, int64_t cols,
                   Scratch &s, const num::Biases &bias) {
  const int64_t ed = num::dtypeBytes(dtd), em = num::dtypeBytes(dtm);
  // Bitwise element copies, gathered first (operands may overlap d).
  std::vector<uint8_t> &tmp = s.bytes;
  tmp.resize(size_t(rows * cols * ed));
  s.a.resize(size_t(cols));
  for (int64_t i = 0; i < rows; ++i) {
    loadRow(m + i * ldm * em, dtm, cols, s.a.data(), bias);
    for (int64_t j = 0; j < cols; ++j) {
      const uint8_t *src = s.a[j] != 0.0f ? a + (i * lda + j) * ed
                                          : b + (i * ldb + j) * ed;
      std::memcpy(tmp.data() + (i * cols + j) * ed, src, size_t(ed));
    }
  }
  for (int64_t i = 0; i < rows; ++i)
    std::memcpy(d + i * ldd * ed, tmp.data() + i * cols * ed,
                size_t(cols * ed));
}

void kernels::vtrans(uint8_t *d, num::DType dtd, int64_t ldd,
                     const uint8_t *a, num::DType dta, int64_t lda,
                     int64_t rows, int64_t cols, Scratch &s,
                     const num::Biases &bias) {
  const int64_t ea = num::dtypeBytes(dta), ed = num::dtypeBytes(dtd);
  if (dtd == dta) { // bitwise
    std::vector<uint8_t> &tmp = s.bytes;
    tmp.resize(size_t(rows * cols * ea));
    for (int64_t i = 0; i < rows; ++i)
      for (int64_t j = 0; j < cols; ++j)
        std::memcpy(tmp.data() + (j * rows + i) * ea, a + (i * lda + j) * ea,
                    size_t(ea));
    for (int64_t j = 0; j < cols; ++j)
      std::memcpy(d + j * ldd * ed, tmp.data() + j * rows * ed,
                  size_t(rows * ed));
    return;
  }
  s.a.resize(size_t(cols));
  s.d.resize(size_t(rows * cols));
  for (int64_t i = 0; i < rows; ++i) {
    loadRow(a + i * lda * ea, dta, cols, s.a.data(), bias);
    for (int64_t j = 0; j < cols; ++j)
      s.d[size_t(j * rows + i)] = s.a[j];
  }
  storeTile(d, dtd, ldd, cols, rows, s.d.data(), bias);
}

void kernels::vreduce(VReduce op, uint8_t *d, num::DType dtd,
                      const uint8_t *a, num::DType dta, int64_t lda,
                      int64_t rows, int64_t cols, int axis, Scratch &s,
                      const num::Biases &bias) {
  const int64_t ea = num::dtypeBytes(dta);
  auto combine = [op](float acc, float x) {
    return op == VReduce::Sum ? acc + x : fmaximum(acc, x);
  };
  s.a.resize(size_t(cols));
  if (axis == 0) {
    // acc[j] = a[0][j] (+) a[1][j] (+) ... (+) a[rows-1][j]
    s.d.resize(size_t(cols));
    loadRow(a, dta, cols, s.d.data(), bias);
    for (int64_t i = 1; i < rows; ++i) {
      loadRow(a + i * lda * ea, dta, cols, s.a.data(), bias);
      for (int64_t j = 0; j < cols; ++j)
        s.d[size_t(j)] = combine(s.d[size_t(j)], s.a[size_t(j)]);
    }
    storeRow(d, dtd, cols, s.d.data(), bias);
    return;
  }
  // acc[i] = a[i][0] (+) a[i][1] (+) ... (+) a[i][cols-1]
  s.d.resize(size_t(rows));
  for (int64_t i = 0; i < rows; ++i) {
    loadRow(a + i * lda * ea, dta, cols, s.a.data(), bias);
    float acc = s.a[0];
    for (int64_t j = 1; j < cols; ++j)
      acc = combine(acc, s.a[size_t(j)]);
    s.d[size_t(i)] = acc;
  }
  storeRow(d, dtd, rows, s.d.data(), bias);
}
