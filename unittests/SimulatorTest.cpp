//===- SimulatorTest.cpp - Functional, timing and fault tests -------------===//

#include "SimTestUtil.h"
#include "dojo/Sim/Simulator.h"
#include "dojo/Sim/Kernels.h"

#include "absl/strings/str_format.h"
#include "gtest/gtest.h"

#include <cmath>
#include <cstring>
#include <random>

using namespace dojo;
using namespace dojo::isa;
using namespace dojo::sim;
using namespace dojo::testutil;

namespace {

//===----------------------------------------------------------------------===//
// Scalar unit
//===----------------------------------------------------------------------===//

/// Runs `body` on core 0 of `tgt`; the body leaves `n` 8-byte results at
/// SRAM 0, 8, ...; returns them.
std::vector<int64_t> runScalar(const std::string &body, int n,
                               const std::string &tgt = "tiny",
                               const std::string &cores = ".core 0 0 "
                                                          "section=0\n") {
  std::string text = absl::StrFormat(
      ".target %s\n.dram %d\n.output out i32 %d @0\n%s.section 0\n%s\n"
      "  csrr r29, csr=coreid\n"
      "  bne r29, r0, target=@end\n"
      "  dma.st r0, r0, rows=1, bytes=%d, dstride=0, sstride=0, sem=0\n"
      "  sem.wait sem=0, count=1\n"
      "end: halt\n",
      tgt, 8 * n, 2 * n, cores, body, 8 * n);
  Simulator sim(assemble(text));
  absl::Status st = sim.run();
  EXPECT_TRUE(st.ok()) << st;
  return valuesOf<int64_t>(output(sim, "out"));
}

TEST(SimScalar, Arithmetic) {
  std::vector<int64_t> r = runScalar(R"(
  li r1, value=-7
  li r2, value=3
  add r3, r1, r2
  st r3, r0, off=0
  sub r3, r2, r1
  st r3, r0, off=8
  mul r3, r1, r2
  st r3, r0, off=16
  divu r3, r1, r2
  st r3, r0, off=24
  remu r3, r1, r2
  st r3, r0, off=32
  min r3, r1, r2
  st r3, r0, off=40
  max r3, r1, r2
  st r3, r0, off=48
  and r3, r1, r2
  st r3, r0, off=56
  or r3, r1, r2
  st r3, r0, off=64
  xor r3, r1, r2
  st r3, r0, off=72
  li r4, value=65
  shl r3, r1, r4          ; shift amount & 63 = 1
  st r3, r0, off=80
  shr r3, r1, r4          ; logical
  st r3, r0, off=88
  addi r3, r1, imm=-100
  st r3, r0, off=96
  muli r3, r1, imm=1000000
  st r3, r0, off=104
  mov r3, r2
  st r3, r0, off=112
  li r0, value=5          ; r0 stays 0
  st r0, r0, off=120
  li r5, value=-1
  li r6, value=1
  shr r5, r5, r6          ; INT64_MAX
  add r3, r5, r6          ; wraps to INT64_MIN
  st r3, r0, off=128
  st r5, r0, off=136
  ld r7, r0, off=136      ; load back
  addi r7, r7, imm=0
  st r7, r0, off=144
  li r8, value=0x7fffffff
  st r8, r0, off=152
  li r8, value=-2147483648
  st r8, r0, off=160
)",
                                     21);
  ASSERT_EQ(r.size(), 21u);
  const int64_t a = -7, b = 3;
  EXPECT_EQ(r[0], a + b);
  EXPECT_EQ(r[1], b - a);
  EXPECT_EQ(r[2], a * b);
  EXPECT_EQ(r[3], int64_t(uint64_t(a) / uint64_t(b)));
  EXPECT_EQ(r[4], int64_t(uint64_t(a) % uint64_t(b)));
  EXPECT_EQ(r[5], -7);
  EXPECT_EQ(r[6], 3);
  EXPECT_EQ(r[7], a & b);
  EXPECT_EQ(r[8], a | b);
  EXPECT_EQ(r[9], a ^ b);
  EXPECT_EQ(r[10], -14);
  EXPECT_EQ(r[11], int64_t(uint64_t(a) >> 1));
  EXPECT_EQ(r[12], -107);
  EXPECT_EQ(r[13], -7000000);
  EXPECT_EQ(r[14], 3);
  EXPECT_EQ(r[15], 0);
  EXPECT_EQ(r[16], INT64_MIN);
  EXPECT_EQ(r[17], INT64_MAX);
  EXPECT_EQ(r[18], INT64_MAX);
  EXPECT_EQ(r[19], 0x7fffffff);
  EXPECT_EQ(r[20], -2147483648LL);
}

TEST(SimScalar, Csrs) {
  // Core 1 of the program sits at (1,0); core 0 at (0,1) stores.
  std::string cores = ".core 0 1 section=0\n.core 1 0 section=0\n";
  std::vector<int64_t> r = runScalar(R"(
  csrr r1, csr=coreid
  st r1, r0, off=0
  csrr r1, csr=ncores
  st r1, r0, off=8
  csrr r1, csr=row
  st r1, r0, off=16
  csrr r1, csr=col
  st r1, r0, off=24
  csrr r1, csr=thread
  st r1, r0, off=32
)",
                                     5, "tiny", cores);
  EXPECT_EQ(r, (std::vector<int64_t>{0, 2, 0, 1, 0}));
}

TEST(SimScalar, LoopsAndBranches) {
  std::vector<int64_t> r = runScalar(R"(
  li r1, value=0            ; sum
  li r2, value=1            ; i
  li r3, value=101
loop:
  add r1, r1, r2
  addi r2, r2, imm=1
  blt r2, r3, target=@loop
  st r1, r0, off=0          ; 5050
  li r4, value=10           ; countdown with bne
  li r5, value=0
down:
  addi r4, r4, imm=-1
  addi r5, r5, imm=2
  bne r4, r0, target=@down
  st r5, r0, off=8          ; 20
  li r6, value=5            ; bge falls through when 3 < 5
  li r7, value=3
  li r8, value=111
  bge r7, r6, target=@skip
  li r8, value=222
skip:
  st r8, r0, off=16         ; 222
  beq r7, r7, target=@taken
  li r8, value=333
taken:
  st r8, r0, off=24         ; 222
  jmp target=@over
  li r8, value=444
over:
  st r8, r0, off=32         ; 222
  li r9, value=-1           ; signed compare: -1 < 1
  li r10, value=1
  li r11, value=0
  blt r9, r10, target=@neg
  li r11, value=1
neg:
  st r11, r0, off=40        ; 0
)",
                                     6);
  EXPECT_EQ(r, (std::vector<int64_t>{5050, 20, 222, 222, 222, 0}));
}

TEST(SimScalar, Timing) {
  // Every scalar instruction costs scalar_latency, branches included.
  Program p = assemble(R"(.target tiny scalar_latency=3
.core 0 0 section=0
.section 0
  li r1, value=4
loop:
  addi r1, r1, imm=-1
  bne r1, r0, target=@loop
  nop
  halt
)");
  Simulator sim(p);
  ASSERT_TRUE(sim.run().ok());
  // 1 + 4 * 2 + 1 + 1 instructions.
  EXPECT_EQ(sim.stats().instructions, 11u);
  EXPECT_EQ(sim.stats().cycles, 33u);
  EXPECT_EQ(sim.stats().perCore[0].cycles, 33u);
  EXPECT_EQ(sim.stats().perCore[0].busy[int(Unit::Scalar)], 33u);
  EXPECT_EQ(sim.stats().perCore[0].instructions, 11u);
  EXPECT_EQ(sim.fault(), FaultKind::None);
}

//===----------------------------------------------------------------------===//
// Matrix unit
//===----------------------------------------------------------------------===//

uint16_t randomBf16(std::mt19937 &rng, bool specials) {
  std::uniform_real_distribution<float> d(-4.0f, 4.0f);
  if (specials) {
    switch (rng() % 16) {
    case 0:
      return num::f32ToBf16(1e-39f * float(rng() % 7)); // denormal range
    case 1:
      return num::f32ToBf16((rng() % 2 ? 1 : -1) * 3e38f); // overflow
    case 2:
      return 0x8000; // -0
    case 3:
      return num::f32ToBf16(1e-30f * d(rng)); // products underflow
    default:
      break;
    }
  }
  return num::f32ToBf16(d(rng));
}

/// Naive reference: ascending p, separate FP32 multiply and add.
std::vector<float> naiveMm(const std::vector<uint16_t> &a,
                           const std::vector<uint16_t> &b,
                           const std::vector<float> &c0, int64_t m, int64_t n,
                           int64_t k, int64_t lda, int64_t ldb, int64_t ldc,
                           bool acc) {
  std::vector<float> c = c0;
  for (int64_t i = 0; i < m; ++i)
    for (int64_t j = 0; j < n; ++j) {
      volatile float s = acc ? c0[i * ldc + j] : 0.0f;
      for (int64_t p = 0; p < k; ++p) {
        volatile float prod =
            num::bf16ToF32(a[i * lda + p]) * num::bf16ToF32(b[p * ldb + j]);
        s = s + prod;
      }
      c[i * ldc + j] = s;
    }
  return c;
}

void expectSameBits(const std::vector<float> &got,
                    const std::vector<float> &want, const std::string &what) {
  ASSERT_EQ(got.size(), want.size());
  int bad = 0;
  for (size_t i = 0; i < got.size() && bad < 5; ++i) {
    bool same = num::f32Bits(got[i]) == num::f32Bits(want[i]) ||
                (std::isnan(got[i]) && std::isnan(want[i]));
    if (!same) {
      ++bad;
      ADD_FAILURE() << what << ": element " << i << " got " << got[i] << " ("
                    << std::hex << num::f32Bits(got[i]) << ") want " << want[i]
                    << " (" << num::f32Bits(want[i]) << std::dec << ")";
    }
  }
}

TEST(SimKernels, MatmulBitExactOnEverySimdPath) {
  std::mt19937 rng(42);
  struct Shape {
    int64_t m, n, k, lda, ldb, ldc;
    bool acc;
  };
  const Shape shapes[] = {
      {1, 1, 1, 1, 1, 1, false},
      {1, 1, 1, 3, 2, 5, true},
      {7, 13, 5, 9, 13, 16, false},
      {8, 16, 4, 4, 16, 16, true},
      {33, 70, 19, 21, 75, 71, true},
      {5, 100, 64, 64, 100, 100, false},
      {64, 64, 64, 64, 64, 64, true},
      {3, 31, 200, 200, 33, 40, false},
      // k beyond one chunk of the kernel's k-blocking, full and edge blocks.
      {8, 32, 513, 513, 32, 32, false},
      {13, 45, 600, 601, 50, 45, true},
  };
  const kernels::SimdLevel levels[] = {kernels::SimdLevel::Generic,
                                       kernels::SimdLevel::Avx2,
                                       kernels::SimdLevel::Avx512};
  for (const Shape &s : shapes) {
    for (bool specials : {false, true}) {
      std::vector<uint16_t> a(s.m * s.lda), b(s.k * s.ldb);
      std::vector<float> c0(s.m * s.ldc);
      for (auto &x : a)
        x = randomBf16(rng, specials);
      for (auto &x : b)
        x = randomBf16(rng, specials);
      for (auto &x : c0)
        x = std::uniform_real_distribution<float>(-10, 10)(rng);
      std::vector<float> want =
          naiveMm(a, b, c0, s.m, s.n, s.k, s.lda, s.ldb, s.ldc, s.acc);
      for (kernels::SimdLevel level : levels) {
        kernels::setSimdLevel(level);
        std::vector<float> c = c0;
        kernels::Scratch scratch;
        kernels::matmul(reinterpret_cast<uint8_t *>(c.data()),
                        reinterpret_cast<const uint8_t *>(a.data()),
                        reinterpret_cast<const uint8_t *>(b.data()), s.m, s.n,
                        s.k, s.ldc, s.lda, s.ldb, s.acc, scratch);
        expectSameBits(c, want,
                       absl::StrFormat("%dx%dx%d acc=%d specials=%d level=%d",
                                       s.m, s.n, s.k, s.acc, specials,
                                       int(kernels::activeSimdLevel())));
        // Ordinary data takes the FMA path where there is one (data with
        // inexact products: see MatmulFusedPathBoundaries).
        bool hasFma = kernels::activeSimdLevel() != kernels::SimdLevel::Generic;
        if (!specials) {
          EXPECT_EQ(kernels::lastMatmulFused(), hasFma);
        }
      }
      kernels::setSimdLevel(kernels::SimdLevel::Auto);
    }
  }
}

/// BF16 value with exponent field `e` and a random significand and sign.
uint16_t bf16WithExponent(std::mt19937 &rng, int e) {
  return uint16_t((rng() % 2) << 15 | (e & 0xff) << 7 | (rng() & 0x7f));
}

TEST(SimKernels, MatmulFusedPathBoundaries) {
  // Exponent sums right at and just past the limits of exact products: the
  // fused path is taken exactly when it is allowed, and either way the bits
  // equal the naive multiply-then-add reference.
  struct Case {
    int ea, eb;
    float cScale;
    bool fused;
  } cases[] = {
      {60, 59, 1e-38f, true},   // lowest product bit exactly 2^-149
      {60, 58, 1e-38f, false},  // one bit lower: products may round
      {1, 118, 1e-39f, true},   // BF16 denormals in A
      {0, 119, 1e-39f, true},   // exponent field 0 counts as 1
      {190, 190, 1e38f, true},  // products just below 2^128
      {191, 190, 1e38f, false}, // products may overflow
      {127, 127, 1.0f, true},
  };
  std::mt19937 rng(99);
  for (const Case &c : cases) {
    const int64_t m = 9, n = 37, k = 23;
    std::vector<uint16_t> a(m * k), b(k * n);
    std::vector<float> c0(m * n);
    for (auto &x : a)
      x = bf16WithExponent(rng, c.ea);
    for (auto &x : b)
      x = bf16WithExponent(rng, c.eb);
    for (auto &x : c0)
      x = c.cScale * std::uniform_real_distribution<float>(-3, 3)(rng);
    std::vector<float> want = naiveMm(a, b, c0, m, n, k, k, n, n, true);
    for (kernels::SimdLevel level :
         {kernels::SimdLevel::Generic, kernels::SimdLevel::Avx2,
          kernels::SimdLevel::Avx512}) {
      kernels::setSimdLevel(level);
      std::vector<float> out = c0;
      kernels::Scratch scratch;
      kernels::matmul(reinterpret_cast<uint8_t *>(out.data()),
                      reinterpret_cast<const uint8_t *>(a.data()),
                      reinterpret_cast<const uint8_t *>(b.data()), m, n, k, n,
                      k, n, true, scratch);
      std::string what = absl::StrFormat("ea=%d eb=%d level=%d", c.ea, c.eb,
                                         int(kernels::activeSimdLevel()));
      expectSameBits(out, want, what);
      bool hasFma = kernels::activeSimdLevel() != kernels::SimdLevel::Generic;
      EXPECT_EQ(kernels::lastMatmulFused(), hasFma && c.fused) << what;
    }
  }
  kernels::setSimdLevel(kernels::SimdLevel::Auto);
}

TEST(SimKernels, MatmulSameBitsOnAnyThreadCount) {
  // Large enough to be split over the worker pool.
  const int64_t m = 70, n = 333, k = 300, lda = 301, ldb = 340, ldc = 350;
  std::mt19937 rng(11);
  std::vector<uint16_t> a(m * lda), b(k * ldb);
  std::vector<float> c0(m * ldc);
  for (auto &x : a)
    x = randomBf16(rng, false);
  for (auto &x : b)
    x = randomBf16(rng, false);
  for (auto &x : c0)
    x = std::uniform_real_distribution<float>(-1, 1)(rng);
  std::vector<float> want = naiveMm(a, b, c0, m, n, k, lda, ldb, ldc, true);
  int saved = kernels::threads();
  for (int t : {1, 2, 3, 8}) {
    kernels::setThreads(t);
    EXPECT_EQ(kernels::threads(), t);
    std::vector<float> c = c0;
    kernels::Scratch s;
    kernels::matmul(reinterpret_cast<uint8_t *>(c.data()),
                    reinterpret_cast<const uint8_t *>(a.data()),
                    reinterpret_cast<const uint8_t *>(b.data()), m, n, k, ldc,
                    lda, ldb, true, s);
    expectSameBits(c, want, absl::StrFormat("threads=%d", t));
  }
  kernels::setThreads(saved);
}

TEST(SimKernels, MatmulStartsFromPositiveZero) {
  // acc=0 starts from +0: (+0) + (-0 product) = +0.
  std::vector<uint16_t> a = {0x8000}, b = {0x3f80};
  std::vector<float> c = {123.0f};
  kernels::Scratch s;
  kernels::matmul(reinterpret_cast<uint8_t *>(c.data()),
                  reinterpret_cast<const uint8_t *>(a.data()),
                  reinterpret_cast<const uint8_t *>(b.data()), 1, 1, 1, 1, 1, 1,
                  false, s);
  EXPECT_EQ(num::f32Bits(c[0]), 0u);
}

struct MmCase {
  int64_t m, n, k, lda, ldb, ldc;
  bool acc;
};

/// Loads dense A, B (and C) from DRAM into strided SRAM tiles with 2D DMA,
/// runs mm, stores C back densely.
std::string mmProgram(const MmCase &c, const std::string &tgt) {
  int64_t aBytes = c.m * c.k * 2, bBytes = c.k * c.n * 2,
          cBytes = c.m * c.n * 4;
  int64_t sA = 0, sB = (c.m * c.lda * 2 + 63) / 64 * 64,
          sC = sB + (c.k * c.ldb * 2 + 63) / 64 * 64;
  int64_t dA = 0, dB = aBytes, dC = aBytes + bBytes;
  std::string s = absl::StrFormat(
      R"(.target %s
.dram %d
.input a bf16 %dx%d @%d
.input b bf16 %dx%d @%d
.input c f32 %dx%d @%d
.output out f32 %dx%d @%d
.core 0 0 section=0
.section 0
  li r1, value=%d
  li r2, value=%d
  li r3, value=%d
  li r4, value=%d
  li r5, value=%d
  li r6, value=%d
  dma.ld r1, r4, rows=%d, bytes=%d, dstride=%d, sstride=%d, sem=1
  dma.ld r2, r5, rows=%d, bytes=%d, dstride=%d, sstride=%d, sem=1
  dma.ld r3, r6, rows=%d, bytes=%d, dstride=%d, sstride=%d, sem=2
  sem.wait sem=1, count=2
  sem.wait sem=2, count=1
  mm r3, r1, r2, m=%d, n=%d, k=%d, ldc=%d, lda=%d, ldb=%d, acc=%d, dt=bf16
  li r7, value=%d
  dma.st r7, r3, rows=%d, bytes=%d, dstride=%d, sstride=%d, sem=3
  sem.wait sem=3, count=1
  halt
)",
      tgt, dC + 2 * cBytes, c.m, c.k, dA, c.k, c.n, dB, c.m, c.n, dC, c.m, c.n,
      dC + cBytes, sA, sB, sC, dA, dB, dC, c.m, c.k * 2, c.lda * 2, c.k * 2,
      c.k, c.n * 2, c.ldb * 2, c.n * 2, c.m, c.n * 4, c.ldc * 4, c.n * 4, c.m,
      c.n, c.k, c.ldc, c.lda, c.ldb, c.acc ? 1 : 0, dC + cBytes, c.m, c.n * 4,
      c.n * 4, c.ldc * 4);
  return s;
}

TEST(SimMatrix, BitExactThroughThePipeline) {
  std::mt19937 rng(7);
  const MmCase cases[] = {{1, 1, 1, 1, 1, 1, false},
                          {16, 24, 8, 8, 24, 24, false},
                          {13, 29, 17, 20, 32, 30, true},
                          {40, 9, 33, 40, 16, 12, true}};
  for (const MmCase &c : cases) {
    std::vector<uint16_t> a(c.m * c.k), b(c.k * c.n);
    std::vector<float> c0(c.m * c.n);
    for (auto &x : a)
      x = randomBf16(rng, true);
    for (auto &x : b)
      x = randomBf16(rng, false);
    for (auto &x : c0)
      x = std::uniform_real_distribution<float>(-1, 1)(rng);
    Simulator sim(assemble(mmProgram(c, "tiny")));
    ASSERT_TRUE(sim.setInput("a", bytesOf(a)).ok());
    ASSERT_TRUE(sim.setInput("b", bytesOf(b)).ok());
    ASSERT_TRUE(sim.setInput("c", bytesOf(c0)).ok());
    absl::Status st = sim.run();
    ASSERT_TRUE(st.ok()) << st;
    std::vector<float> want =
        naiveMm(a, b, c0, c.m, c.n, c.k, c.k, c.n, c.n, c.acc);
    expectSameBits(valuesOf<float>(output(sim, "out")), want,
                   absl::StrFormat("mm %dx%dx%d", c.m, c.n, c.k));
    EXPECT_EQ(sim.stats().macs, uint64_t(c.m * c.n * c.k));
  }
}

/// The documented mm timing formula.
uint64_t mmDuration(const MachineDesc &t, int64_t m, int64_t n, int64_t k,
                    bool acc) {
  uint64_t steps = cdiv(m, 8) * cdiv(n, 8) * cdiv(k, 4);
  uint64_t compute = cdiv(steps * 256, t.mac_per_cycle);
  uint64_t load = steps * 128 + (acc ? m * n * 4 : 0);
  uint64_t store = m * n * 4;
  return std::max(
      {compute, cdiv(load, t.sram_load_bpc), cdiv(store, t.sram_store_bpc)});
}

TEST(SimMatrix, IsolatedTiming) {
  struct T {
    const char *tgt;
    int64_t m, n, k;
    bool acc;
  } cases[] = {
      {"tiny", 64, 64, 64, false},
      {"tiny", 20, 24, 36, true},
      {"tiny mac_per_cycle=128 matrix_latency=5 sram_load_bpc=100", 17, 9, 3,
       true},
      {"tiny sram_store_bpc=7 scalar_latency=2", 16, 16, 128, false},
      {"tiny mac_per_cycle=4096 sram_load_bpc=64", 128, 128, 64, false},
  };
  for (const T &c : cases) {
    MachineDesc t = target(c.tgt);
    std::string text =
        absl::StrFormat(R"(.target %s
.core 0 0 section=0
.section 0
  li r1, value=0
  li r2, value=65536
  li r3, value=131072
  mm r1, r2, r3, m=%d, n=%d, k=%d, ldc=%d, lda=%d, ldb=%d, acc=%d, dt=bf16
  halt
)",
                        c.tgt, c.m, c.n, c.k, c.n, c.k, c.n, c.acc ? 1 : 0);
    Simulator sim(assemble(text));
    ASSERT_TRUE(sim.run().ok());
    uint64_t dur = mmDuration(t, c.m, c.n, c.k, c.acc);
    uint64_t want = 4 * t.scalar_latency + dur + t.matrix_latency;
    EXPECT_EQ(sim.stats().cycles, want) << c.tgt;
    EXPECT_EQ(sim.stats().perCore[0].busy[int(Unit::Matrix)], dur);
    EXPECT_EQ(sim.stats().macs, uint64_t(c.m * c.n * c.k));
    double util = double(c.m * c.n * c.k) /
                  (double(want) * t.numEnabledCores() * t.mac_per_cycle);
    EXPECT_DOUBLE_EQ(sim.stats().utilization(), util);
    EXPECT_EQ(sim.stats().sramHighWater,
              uint64_t(131072 + c.k * c.n * 2)); // end of B
    EXPECT_EQ(sim.stats().coresEnabled, 4);
    EXPECT_EQ(sim.stats().coresUsed, 1);
    EXPECT_DOUBLE_EQ(sim.stats().seconds(),
                     double(want) / (double(t.clock_mhz) * 1e6));
  }
}

//===----------------------------------------------------------------------===//
// Vector unit
//===----------------------------------------------------------------------===//

struct VecRun {
  std::vector<uint8_t> d;
  uint64_t cycles = 0;
};

/// Runs one vector instruction `inst` (with rd=r1 at SRAM 8192, ra=r2 at 0,
/// rb=r3 at 4096) on dense inputs a (rows x cols) and b (rows x cols, or
/// 1 x cols when broadcasting), copied into tiles with leading dims
/// lda/ldb/ldd; returns the dense destination.
VecRun runVector(const std::string &inst, num::DType dtd, num::DType dta,
                 num::DType dtb, const std::vector<uint8_t> &a,
                 const std::vector<uint8_t> &b, int64_t rows, int64_t cols,
                 int64_t lda, int64_t ldb, int64_t ldd,
                 const std::string &tgt = "tiny") {
  int64_t ea = num::dtypeBytes(dta), eb = num::dtypeBytes(dtb),
          ed = num::dtypeBytes(dtd);
  int64_t brows = ldb ? rows : 1;
  std::string text = absl::StrFormat(
      R"(.target %s
.dram 3072
.input a %s %dx%d @0
.input b %s %dx%d @1024
.output d %s %dx%d @2048
.core 0 0 section=0
.section 0
  li r1, value=8192
  li r2, value=0
  li r3, value=4096
  li r4, value=1024
  li r5, value=2048
  dma.ld r2, r2, rows=%d, bytes=%d, dstride=%d, sstride=%d, sem=0
  dma.ld r3, r4, rows=%d, bytes=%d, dstride=%d, sstride=%d, sem=0
  sem.wait sem=0, count=2
  %s
  dma.st r5, r1, rows=%d, bytes=%d, dstride=%d, sstride=%d, sem=1
  sem.wait sem=1, count=1
  halt
)",
      tgt, num::dtypeName(dta), rows, cols, num::dtypeName(dtb), brows, cols,
      num::dtypeName(dtd), rows, cols, rows, cols * ea, lda * ea, cols * ea,
      brows, cols * eb, ldb * eb, cols * eb, inst, rows, cols * ed, cols * ed,
      ldd * ed);
  Simulator sim(assemble(text));
  EXPECT_TRUE(sim.setInput("a", a).ok());
  EXPECT_TRUE(sim.setInput("b", b).ok());
  absl::Status st = sim.run();
  EXPECT_TRUE(st.ok()) << st;
  return {output(sim, "d"), sim.stats().cycles};
}

std::vector<uint8_t> encodeAs(num::DType t, const std::vector<float> &v) {
  std::vector<uint8_t> out(v.size() * num::dtypeBytes(t));
  for (size_t i = 0; i < v.size(); ++i)
    num::storeFromF32(out.data(), t, int64_t(i), v[i]);
  return out;
}
std::vector<float> decodeAs(num::DType t, const std::vector<uint8_t> &b) {
  std::vector<float> v(b.size() / num::dtypeBytes(t));
  for (size_t i = 0; i < v.size(); ++i)
    v[i] = num::loadAsF32(b.data(), t, int64_t(i));
  return v;
}

TEST(SimVector, BinaryOpsWithMixedTypes) {
  using num::DType;
  std::mt19937 rng(3);
  const int64_t rows = 3, cols = 5;
  std::vector<float> av(rows * cols), bv(rows * cols);
  for (auto &x : av)
    x = std::uniform_real_distribution<float>(-100, 100)(rng);
  for (auto &x : bv)
    x = std::uniform_real_distribution<float>(-100, 100)(rng);
  av[0] = -0.0f;
  bv[0] = 0.0f;
  av[1] = NAN;
  bv[2] = NAN;
  av[3] = 1.0f;
  bv[3] = num::bitsF32(0x33800000); // 2^-24: rounds away in bf16
  struct Op {
    const char *name;
    float (*f)(float, float);
  } ops[] = {
      {"vadd", [](float x, float y) { return x + y; }},
      {"vsub", [](float x, float y) { return x - y; }},
      {"vmul", [](float x, float y) { return x * y; }},
      {"vmax", kernels::fmaximum},
      {"vmin", kernels::fminimum},
  };
  const DType types[][3] = {{DType::F32, DType::F32, DType::F32},
                            {DType::BF16, DType::F32, DType::BF16},
                            {DType::F32, DType::BF16, DType::I32},
                            {DType::I8, DType::I32, DType::F32},
                            {DType::I32, DType::I8, DType::I8}};
  for (const Op &op : ops) {
    for (const auto &ty : types) {
      DType dtd = ty[0], dta = ty[1], dtb = ty[2];
      std::vector<uint8_t> a = encodeAs(dta, av), b = encodeAs(dtb, bv);
      std::vector<float> ar = decodeAs(dta, a), br = decodeAs(dtb, b);
      std::string inst = absl::StrFormat(
          "%s r1, r2, r3, rows=%d, cols=%d, ldd=7, lda=6, ldb=8, dtd=%s, "
          "dta=%s, dtb=%s",
          op.name, rows, cols, num::dtypeName(dtd), num::dtypeName(dta),
          num::dtypeName(dtb));
      VecRun r = runVector(inst, dtd, dta, dtb, a, b, rows, cols, 6, 8, 7);
      std::vector<float> want(rows * cols);
      for (size_t i = 0; i < want.size(); ++i)
        want[i] = op.f(ar[i], br[i]);
      std::vector<uint8_t> wantBytes = encodeAs(dtd, want);
      EXPECT_EQ(r.d, wantBytes) << inst;
    }
  }
}

TEST(SimVector, MaxMinSignedZeroAndNaN) {
  EXPECT_EQ(num::f32Bits(kernels::fmaximum(-0.0f, 0.0f)), 0u);
  EXPECT_EQ(num::f32Bits(kernels::fmaximum(0.0f, -0.0f)), 0u);
  EXPECT_EQ(num::f32Bits(kernels::fminimum(0.0f, -0.0f)), 0x80000000u);
  EXPECT_TRUE(std::isnan(kernels::fmaximum(NAN, 1.0f)));
  EXPECT_TRUE(std::isnan(kernels::fminimum(1.0f, NAN)));
  EXPECT_EQ(kernels::fmaximum(-3.0f, 2.0f), 2.0f);
  EXPECT_EQ(kernels::fminimum(-3.0f, 2.0f), -3.0f);
  EXPECT_EQ(num::f32Bits(kernels::relu(-0.0f)), 0u);
  EXPECT_EQ(kernels::relu(-5.0f), 0.0f);
  EXPECT_EQ(kernels::relu(5.0f), 5.0f);
  EXPECT_TRUE(std::isnan(kernels::relu(NAN)));
}

TEST(SimVector, BroadcastRow) {
  using num::DType;
  const int64_t rows = 4, cols = 3;
  std::vector<float> av = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12};
  std::vector<float> bv = {100, 200, 300};
  VecRun r = runVector("vadd r1, r2, r3, rows=4, cols=3, ldd=3, lda=4, "
                       "ldb=0, dtd=f32, dta=f32, dtb=f32",
                       DType::F32, DType::F32, DType::F32, bytesOf(av),
                       bytesOf(bv), rows, cols, 4, 0, 3);
  std::vector<float> want = {101, 202, 303, 104, 205, 306,
                             107, 208, 309, 110, 211, 312};
  EXPECT_EQ(valuesOf<float>(r.d), want);
}

TEST(SimVector, UnaryOpsAndFill) {
  using num::DType;
  std::vector<float> av = {-0.0f,
                           -5.5f,
                           2.5f,
                           NAN,
                           1.0f + 1.0f / 256, // tie: rounds to even (1.0)
                           1.0f + 3.0f / 256, // tie: rounds up
                           3.4e38f,
                           -3.5f};
  std::vector<uint8_t> none(av.size() * 4);
  // vrelu f32 -> f32.
  VecRun r = runVector("vrelu r1, r2, rows=2, cols=4, ldd=4, lda=4, dtd=f32, "
                       "dta=f32",
                       DType::F32, DType::F32, DType::F32, bytesOf(av), none, 2,
                       4, 4, 4, 4);
  std::vector<float> got = valuesOf<float>(r.d);
  EXPECT_EQ(num::f32Bits(got[0]), 0u); // -0 -> +0
  EXPECT_EQ(got[1], 0.0f);
  EXPECT_EQ(got[2], 2.5f);
  EXPECT_TRUE(std::isnan(got[3]));
  EXPECT_EQ(got[6], 3.4e38f);
  // vcvt f32 -> bf16 rounds to nearest even.
  r = runVector("vcvt r1, r2, rows=2, cols=4, ldd=4, lda=4, dtd=bf16, "
                "dta=f32, rnd=0",
                DType::BF16, DType::F32, DType::F32, bytesOf(av), none, 2, 4, 4,
                4, 4);
  std::vector<uint16_t> h = valuesOf<uint16_t>(r.d);
  ASSERT_EQ(h.size(), 8u);
  for (size_t i = 0; i < 8; ++i)
    EXPECT_EQ(h[i], num::f32ToBf16(av[i])) << i;
  EXPECT_EQ(h[4], 0x3f80);
  EXPECT_EQ(h[5], 0x3f82);
  EXPECT_EQ(h[6], 0x7f80); // rounds past the largest bf16: +inf
  // vcvt f32 -> i8 rounds to nearest even and saturates.
  r = runVector("vcvt r1, r2, rows=1, cols=8, ldd=8, lda=8, dtd=i8, dta=f32, "
                "rnd=0",
                DType::I8, DType::F32, DType::F32, bytesOf(av), none, 1, 8, 8,
                8, 8);
  std::vector<int8_t> q = valuesOf<int8_t>(r.d);
  EXPECT_EQ(q, (std::vector<int8_t>{0, -6, 2, 0, 1, 1, 127, -4}));
  // vfill bf16 with the bits of 1 + 2^-9 (rounds to 1.0).
  VecRun f =
      runVector("vfill r1, rows=2, cols=3, ldd=5, dtd=bf16, "
                "bits=0x3f802000",
                DType::BF16, DType::F32, DType::F32, std::vector<uint8_t>(24),
                std::vector<uint8_t>(24), 2, 3, 3, 3, 5);
  EXPECT_EQ(valuesOf<uint16_t>(f.d),
            (std::vector<uint16_t>(6, uint16_t(0x3f80))));
}

TEST(SimVector, Timing) {
  using num::DType;
  // 3 rows of 40 f32 (160 bytes): 3 rows x ceil(160/64) = 9 vectors; loads
  // 2 x 480 bytes, stores 240 bytes (bf16 destination).
  MachineDesc t = target("tiny vector_latency=6 sram_load_bpc=50");
  std::vector<uint8_t> a(480), b(480);
  VecRun r = runVector("vadd r1, r2, r3, rows=3, cols=40, ldd=40, lda=40, "
                       "ldb=40, dtd=bf16, dta=f32, dtb=f32",
                       DType::BF16, DType::F32, DType::F32, a, b, 3, 40, 40, 40,
                       40, "tiny vector_latency=6 sram_load_bpc=50");
  VecRun base =
      runVector("nop", DType::BF16, DType::F32, DType::F32, a, b, 3, 40, 40, 40,
                40, "tiny vector_latency=6 sram_load_bpc=50");
  uint64_t vectors = 3 * cdiv(40 * 4, t.simd_bytes);
  uint64_t dur = std::max(
      {vectors, cdiv(960, t.sram_load_bpc), cdiv(240, t.sram_store_bpc)});
  EXPECT_EQ(dur, 20u); // load bound
  EXPECT_EQ(r.cycles - base.cycles, dur + t.vector_latency - t.scalar_latency);
}

//===----------------------------------------------------------------------===//
// DMA, semaphores, barriers
//===----------------------------------------------------------------------===//

TEST(SimDma, LoadPutStoreWithSemaphores) {
  // Core 0 loads x (strided rows), sends it to core 1 with dma.put and also
  // signals core 1's sem 3 twice; core 1 waits for both and stores y.
  Program p = assemble(R"(.target tiny
.dram 256
.input x i32 4x4 @0
.output y i32 4x4 @64
.output z i32 2x2 @128
.core 0 0 section=0
.core 1 1 section=1
.section 0
  li r1, value=0
  dma.ld r1, r1, rows=4, bytes=16, dstride=32, sstride=16, sem=0
  sem.wait sem=0, count=1
  li r2, value=1
  li r3, value=1000
  dma.put r3, r1, r2, rows=4, bytes=16, dstride=16, sstride=32, sem=2
  sem.signal r2, sem=3, count=2
  halt
.section 1
  sem.wait sem=2, count=1
  sem.wait sem=3, count=2
  li r1, value=64
  li r2, value=1000
  dma.st r1, r2, rows=4, bytes=16, dstride=16, sstride=16, sem=0
  li r1, value=128
  li r2, value=1004
  dma.st r1, r2, rows=2, bytes=8, dstride=8, sstride=32, sem=0
  sem.wait sem=0, count=2
  halt
)");
  Simulator sim(p);
  std::vector<int32_t> x(16);
  for (int i = 0; i < 16; ++i)
    x[i] = i * 11 - 50;
  ASSERT_TRUE(sim.setInput("x", bytesOf(x)).ok());
  absl::Status st = sim.run();
  ASSERT_TRUE(st.ok()) << st;
  EXPECT_EQ(valuesOf<int32_t>(output(sim, "y")), x);
  // z: rows 0 and 2 of x, columns 1..2.
  EXPECT_EQ(valuesOf<int32_t>(output(sim, "z")),
            (std::vector<int32_t>{x[1], x[2], x[9], x[10]}));
  const Stats &s = sim.stats();
  EXPECT_EQ(s.dramBytes, 64u + 64u + 16u);
  EXPECT_EQ(s.nocBytes, 64u + 64u + 64u + 16u);
  // Hops: edge transfers from (0,0) and (1,1) on a 2x2 mesh are 1 hop; the
  // put from (0,0) to (1,1) is 2 hops.
  EXPECT_EQ(s.nocByteHops, 64u * 1 + 64u * 2 + (64u + 16u) * 1);
  EXPECT_EQ(s.perCore[1].sramHighWater, 1000u + 64u);
  EXPECT_EQ(s.perCore[0].sramHighWater, 4u * 32u - 16u);
  // Inputs are readable too.
  EXPECT_EQ(valuesOf<int32_t>(output(sim, "x")), x);
}

TEST(SimDma, RepeatedOverlappingSelfPutStopsAtItsFixedPoint) {
  // 2^31-1 rows that all copy the same 8 bytes onto a range shifted by 2:
  // row by row this would take hours; the copy reaches its fixed point
  // after at most bytes + 1 rows, so it must finish at once with exactly
  // the bytes a row-by-row copy ends with (the first 2 bytes repeated).
  Program p = assemble(R"(.target tiny
.dram 64
.input x i8 16 @0
.output y i8 16 @16
.core 0 0 section=0
.section 0
  li r1, value=0
  dma.ld r1, r1, rows=1, bytes=16, dstride=16, sstride=16, sem=0
  sem.wait sem=0, count=1
  li r2, value=2
  dma.put r2, r1, r0, rows=2147483647, bytes=8, dstride=0, sstride=0, sem=1
  sem.wait sem=1, count=1
  li r3, value=16
  dma.st r3, r1, rows=1, bytes=16, dstride=16, sstride=16, sem=0
  sem.wait sem=0, count=1
  halt
)");
  Simulator sim(p);
  std::vector<int8_t> x(16);
  for (int i = 0; i < 16; ++i)
    x[i] = int8_t(10 + i);
  ASSERT_TRUE(sim.setInput("x", bytesOf(x)).ok());
  absl::Status st = sim.run();
  ASSERT_TRUE(st.ok()) << st;
  // Reference: apply memmove(dst = 2, src = 0, 8) until nothing changes.
  std::vector<int8_t> want = x;
  for (int r = 0; r < 64; ++r)
    std::memmove(want.data() + 2, want.data(), 8);
  EXPECT_EQ(valuesOf<int8_t>(output(sim, "y")), want);
}

TEST(SimDma, EdgeTransferTiming) {
  const char *tgt = "small noc_link_bpc=48 edge_latency=150 dma_latency=12 "
                    "noc_hop_latency=3";
  MachineDesc t = target(tgt);
  // Core at (1,1) of a 4x4 mesh: 1 + min(1, 1, 2, 2) = 2 hops to the edge.
  Program p = assemble(absl::StrFormat(R"(.target %s
.dram 8192
.core 1 1 section=0
.section 0
  li r1, value=0
  li r2, value=0
  dma.ld r1, r2, rows=4, bytes=1000, dstride=1000, sstride=1000, sem=0
  dma.ld r1, r2, rows=1, bytes=480, dstride=0, sstride=0, sem=1
  sem.wait sem=0, count=1
  sem.wait sem=1, count=1
  halt
)",
                                       tgt));
  Simulator sim(p);
  ASSERT_TRUE(sim.run().ok());
  uint64_t rate = std::min<uint64_t>(t.noc_link_bpc, t.edge_bpc * t.edges);
  uint64_t fixed = t.edge_latency + t.dma_latency + 2 * t.noc_hop_latency;
  uint64_t start1 = 2, data1 = cdiv(4000, rate); // issued at t=2
  uint64_t done1 = start1 + data1 + fixed;
  uint64_t start2 = std::max<uint64_t>(3, start1 + data1); // engine is serial
  // 480 bytes are 8 packets of 64 B on the links: 512 bytes at 48 B/cycle.
  uint64_t done2 = start2 + cdiv(512, rate) + fixed;
  EXPECT_EQ(data1, 84u);
  EXPECT_EQ(sim.stats().cycles, done2 + 1);
  EXPECT_EQ(sim.stats().perCore[0].busy[int(Unit::Dma)], data1 + 11);
  EXPECT_GT(done2, done1);
  EXPECT_EQ(sim.stats().nocByteHops, 4480u * 2);
}

TEST(SimDma, EdgeMemoryIsShared) {
  // Edge bandwidth 8 B/cycle binds: the second core's transfer waits for the
  // first to leave the edge memory.
  const char *tgt = "tiny edge_bpc=8 edges=1 edge_latency=10 dma_latency=5 "
                    "noc_hop_latency=1";
  Program p = assemble(absl::StrFormat(R"(.target %s
.dram 1024
.core 0 0 section=0
.core 0 1 section=0
.section 0
  li r1, value=0
  li r2, value=0
  dma.ld r1, r2, rows=1, bytes=800, dstride=0, sstride=0, sem=0
  sem.wait sem=0, count=1
  halt
)",
                                       tgt));
  Simulator sim(p);
  ASSERT_TRUE(sim.run().ok());
  // Core 0: start 2, 100 cycles of data, +10 +5 +1 hop -> 118; halt at 119.
  // Core 1: starts when the edge is free at 102 -> 218; halt at 219.
  EXPECT_EQ(sim.stats().perCore[0].cycles, 119u);
  EXPECT_EQ(sim.stats().perCore[1].cycles, 219u);
  EXPECT_EQ(sim.stats().cycles, 219u);
}

TEST(SimDma, PutAndSignalTiming) {
  const char *tgt = "small noc_link_bpc=16 dma_latency=9 noc_hop_latency=4";
  // Core 0 at (0,0) puts 100 bytes into core 1 at (2,3): 5 hops.
  Program p = assemble(absl::StrFormat(R"(.target %s
.core 0 0 section=0
.core 2 3 section=1
.core 3 3 section=2
.section 0
  li r1, value=1
  dma.put r0, r0, r1, rows=1, bytes=100, dstride=0, sstride=0, sem=4
  li r2, value=2
  sem.signal r2, sem=0, count=1
  halt
.section 1
  sem.wait sem=4, count=1
  halt
.section 2
  sem.wait sem=0, count=1
  halt
)",
                                       tgt));
  Simulator sim(p);
  ASSERT_TRUE(sim.run().ok());
  // put issued at t=1: 100 bytes are 2 packets (128 bytes on the links),
  // data 128/16 = 8, done 1 + 8 + 9 + 5*4 = 38.
  EXPECT_EQ(sim.stats().perCore[1].cycles, 39u);
  // signal issued at t=3 from (0,0) to (3,3): 6 hops: 3 + 9 + 24 = 36.
  EXPECT_EQ(sim.stats().perCore[2].cycles, 37u);
  EXPECT_EQ(sim.stats().perCore[0].cycles, 5u);
  EXPECT_EQ(sim.stats().cycles, 39u);
  EXPECT_EQ(sim.stats().nocBytes, 100u);
  EXPECT_EQ(sim.stats().nocByteHops, 500u);
  EXPECT_EQ(sim.stats().dramBytes, 0u);
}

TEST(SimSync, BarrierAcrossFourCores) {
  Program p = assemble(R"(.target tiny barrier_latency=7
.core 0 0 section=0
.core 0 1 section=0
.core 1 0 section=0
.core 1 1 section=0
.section 0
  csrr r1, csr=coreid
  muli r1, r1, imm=10
loop:
  beq r1, r0, target=@out
  addi r1, r1, imm=-1
  jmp target=@loop
out:
  barrier
  barrier
  halt
)");
  Simulator sim(p);
  ASSERT_TRUE(sim.run().ok());
  // Core i arrives at 4 + 30 i; release at 94 + 7 = 101; the second barrier
  // releases at 102 + 7 = 109; halt at 110 everywhere.
  for (int i = 0; i < 4; ++i) {
    EXPECT_EQ(sim.stats().perCore[i].cycles, 110u) << i;
    EXPECT_EQ(sim.stats().perCore[i].instructions, uint64_t(6 + 30 * i)) << i;
  }
  // Core 0 waited 101 - 4 cycles in the first barrier (after its issue
  // cost, which counts on the scalar unit), then 7 in the second.
  EXPECT_EQ(sim.stats().perCore[0].busy[int(Unit::Sync)], 97u + 7u);
  EXPECT_EQ(sim.stats().perCore[3].busy[int(Unit::Sync)], 7u + 7u);
}

TEST(SimSync, SemaphoreWaitResumesAtArrival) {
  // A wait that is already satisfied costs scalar_latency; a wait that blocks
  // resumes at the signal's arrival time.
  Program p = assemble(R"(.target tiny dma_latency=50 noc_hop_latency=0
.core 0 0 section=0
.core 0 1 section=1
.section 0
  li r1, value=1
  sem.signal r1, sem=5, count=3
  sem.signal r0, sem=6, count=1
  sem.wait sem=6, count=1
  halt
.section 1
  sem.wait sem=5, count=2
  sem.wait sem=5, count=1
  halt
)");
  Simulator sim(p);
  ASSERT_TRUE(sim.run().ok());
  // Core 0: signals at t=1 and t=2, its own arrives at 52; halt at 53.
  EXPECT_EQ(sim.stats().perCore[0].cycles, 53u);
  // Core 1: blocks at t=1, signal arrives at 51 -> resumes at 51, second
  // wait is satisfied (52), halt at 53.
  EXPECT_EQ(sim.stats().perCore[1].cycles, 53u);
}

//===----------------------------------------------------------------------===//
// Faults
//===----------------------------------------------------------------------===//

struct Outcome {
  absl::Status status;
  FaultKind kind;
  Stats stats;
};

Outcome runText(const std::string &text, Options opt = {}) {
  Simulator sim(assemble(text), opt);
  absl::Status st = sim.run();
  return {st, sim.fault(), sim.stats()};
}

TEST(SimFaults, SramOutOfBounds) {
  Outcome o = runText(R"(.target tiny
.core 0 0 section=0
.section 0
  li r1, value=1310700
.loc "model.mlir:4:2"
  vfill r1, rows=1, cols=16, ldd=16, dtd=f32, bits=0
  halt
)");
  EXPECT_EQ(o.kind, FaultKind::MemoryFault);
  EXPECT_EQ(o.status.code(), absl::StatusCode::kOutOfRange);
  EXPECT_EQ(std::string(o.status.message()),
            "core 0 (0,0) thread 0 pc 1 `vfill r1, rows=1, cols=16, ldd=16, dtd=f32, "
            "bits=0` at model.mlir:4:2: vector d: SRAM access [1310700, "
            "1310764) out of bounds (sram_bytes 1310720)");
  o = runText(R"(.target tiny
.core 0 1 section=0
.section 0
  li r1, value=-8
  ld r2, r1, off=0
  halt
)");
  EXPECT_EQ(o.kind, FaultKind::MemoryFault);
  EXPECT_EQ(std::string(o.status.message()),
            "core 0 (0,1) thread 0 pc 1 `ld r2, r1, off=0`: ld: SRAM access [-8, 0) out "
            "of bounds (sram_bytes 1310720)");
  // Huge strides do not overflow the bounds computation.
  o = runText(R"(.target tiny
.core 0 0 section=0
.section 0
  mm r0, r0, r0, m=2147483647, n=1, k=1, ldc=2147483647, lda=1, ldb=1, acc=0, dt=bf16
  halt
)");
  EXPECT_EQ(o.kind, FaultKind::MemoryFault);
  EXPECT_CONTAINS(o.status.message(), "mm C: SRAM access [0, ");
  // Address + offset overflow.
  o = runText(R"(.target tiny
.core 0 0 section=0
.section 0
  li r1, value=-1
  li r2, value=1
  shr r1, r1, r2
  st r1, r1, off=8
  halt
)");
  EXPECT_EQ(o.kind, FaultKind::MemoryFault);
  EXPECT_CONTAINS(o.status.message(), "overflows");
}

TEST(SimFaults, Misaligned) {
  Outcome o = runText(R"(.target tiny
.core 0 0 section=0
.section 0
  li r1, value=4
  ld r2, r1, off=0
  halt
)");
  EXPECT_EQ(o.kind, FaultKind::MemoryFault);
  EXPECT_EQ(std::string(o.status.message()),
            "core 0 (0,0) thread 0 pc 1 `ld r2, r1, off=0`: ld: misaligned SRAM address "
            "4 (must be a multiple of 8)");
  o = runText(R"(.target tiny
.core 0 0 section=0
.section 0
  li r1, value=2
  vfill r1, rows=1, cols=1, ldd=1, dtd=f32, bits=0
  halt
)");
  EXPECT_EQ(o.kind, FaultKind::MemoryFault);
  EXPECT_CONTAINS(o.status.message(), "multiple of 4");
}

TEST(SimFaults, DramOutOfBounds) {
  Outcome o = runText(R"(.target tiny
.dram 100
.core 0 0 section=0
.section 0
  li r1, value=64
  dma.ld r0, r1, rows=2, bytes=20, dstride=20, sstride=20, sem=0
  halt
)");
  EXPECT_EQ(o.kind, FaultKind::MemoryFault);
  EXPECT_CONTAINS(o.status.message(), "dma.ld source: edge memory access "
                                      "[64, 104) out of bounds (dram_bytes "
                                      "100)");
}

TEST(SimFaults, IllegalInstructions) {
  auto illegal = [](const std::string &body, const std::string &want) {
    Outcome o = runText(".target tiny\n.core 0 0 section=0\n.core 1 1 "
                        "section=0\n.section 0\n" +
                        body + "\n  halt\n");
    EXPECT_EQ(o.kind, FaultKind::IllegalInstruction) << body;
    EXPECT_EQ(o.status.code(), absl::StatusCode::kFailedPrecondition);
    EXPECT_CONTAINS(o.status.message(), want);
  };
  illegal("  li r1, value=5\n  divu r2, r1, r0", "pc 1 `divu r2, r1, r0`: "
                                                 "division by zero");
  illegal("  remu r2, r0, r0", "division by zero");
  illegal("  mm r0, r0, r0, m=0, n=1, k=1, ldc=1, lda=1, ldb=1, acc=0, "
          "dt=bf16",
          "m, n and k must be at least 1");
  illegal("  mm r0, r0, r0, m=1, n=4, k=1, ldc=3, lda=1, ldb=4, acc=0, "
          "dt=bf16",
          "ldc=3 >= n=4");
  illegal("  mm r0, r0, r0, m=1, n=1, k=1, ldc=1, lda=1, ldb=1, acc=2, "
          "dt=bf16",
          "acc must be 0 or 1");
  illegal("  vadd r0, r0, r0, rows=1, cols=4, ldd=4, lda=2, ldb=0, dtd=f32, "
          "dta=f32, dtb=f32",
          "lda=2 must be at least cols=4");
  illegal("  vcvt r0, r0, rows=1, cols=1, ldd=1, lda=1, dtd=8, dta=f32, "
          "rnd=0",
          "dtd=8 is not a dtype");
  illegal("  vrelu r0, r0, rows=0, cols=1, ldd=1, lda=1, dtd=f32, dta=f32",
          "rows and cols must be at least 1");
  illegal("  sem.wait sem=16, count=1",
          "semaphore 16 out of range (the target has 16 per core)");
  illegal("  sem.wait sem=1, count=-1", "count must not be negative");
  illegal("  li r1, value=2\n  sem.signal r1, sem=0, count=1",
          "core id 2 out of range (the program has 2 cores)");
  illegal("  li r1, value=7\n  dma.put r0, r0, r1, rows=1, bytes=4, "
          "dstride=0, sstride=0, sem=0",
          "core id 7 out of range");
  illegal("  dma.ld r0, r0, rows=1, bytes=-4, dstride=0, sstride=0, sem=0",
          "must not be negative");
  illegal("  csrr r1, csr=10", "unknown CSR 10");
  // Falling off the end of a section.
  Outcome o = runText(".target tiny\n.core 0 0 section=0\n.section 0\n  nop\n");
  EXPECT_EQ(o.kind, FaultKind::IllegalInstruction);
  EXPECT_EQ(std::string(o.status.message()),
            "core 0 (0,0) thread 0 pc 1: fell off the end of code section 0 (1 "
            "instructions) without halt");
}

TEST(SimFaults, Deadlock) {
  Outcome o = runText(R"(.target small
.core 0 0 section=0
.core 1 2 section=1
.core 3 3 section=2
.section 0
  halt
.section 1
  nop
  sem.wait sem=2, count=1
  halt
.section 2
  li r1, value=1
  sem.signal r1, sem=2, count=1    ; releases core 1
  sem.wait sem=7, count=3
  halt
)");
  // Core 1 takes the signal and halts; core 2 waits forever.
  EXPECT_EQ(o.kind, FaultKind::Deadlock);
  EXPECT_EQ(o.status.code(), absl::StatusCode::kAborted);
  EXPECT_EQ(std::string(o.status.message()),
            "deadlock: core 2 (3,3) thread 0 pc 2 waits on sem 7 (value 0, needs 3)");
  o = runText(R"(.target tiny
.core 0 0 section=0
.core 0 1 section=0
.core 1 0 section=0
.core 1 1 section=1
.section 0
  barrier
  halt
.section 1
  sem.wait sem=2, count=1
  halt
)");
  EXPECT_EQ(o.kind, FaultKind::Deadlock);
  EXPECT_EQ(std::string(o.status.message()),
            "deadlock: core 0 (0,0) thread 0 pc 0 waits at barrier (3 of 4 "
            "cores arrived); core 1 (0,1) thread 0 pc 0 waits at barrier (3 "
            "of 4 cores arrived); core 2 (1,0) thread 0 pc 0 waits at "
            "barrier (3 of 4 cores arrived); core 3 (1,1) thread 0 pc 0 "
            "waits on sem 2 (value 0, needs 1)");
}

TEST(SimFaults, Budget) {
  Options opt;
  opt.instructionBudget = 1000;
  Outcome o = runText(R"(.target tiny
.core 0 0 section=0
.core 1 1 section=0
.section 0
spin:
  jmp target=@spin
)",
                      opt);
  EXPECT_EQ(o.kind, FaultKind::Budget);
  EXPECT_EQ(o.status.code(), absl::StatusCode::kResourceExhausted);
  EXPECT_CONTAINS(o.status.message(), "`jmp target=0`: instruction budget of "
                                      "1000 exhausted");
  EXPECT_EQ(o.stats.instructions, 1000u);
  // Both cores made progress (time-ordered interleaving).
  EXPECT_EQ(o.stats.perCore[0].instructions, 500u);
  EXPECT_EQ(o.stats.perCore[1].instructions, 500u);
}

TEST(SimFaults, BadProgramAndInputs) {
  Program bad;
  MachineDesc::getPreset("tiny", bad.target); // no cores, no code
  Simulator sim(bad);
  absl::Status st = sim.run();
  EXPECT_EQ(sim.fault(), FaultKind::BadProgram);
  EXPECT_CONTAINS(st.message(), "bad program: program has no cores");
  EXPECT_FALSE(sim.setInput("x", {}).ok());
  EXPECT_FALSE(sim.getSymbol("x").ok());

  Program p = assemble(R"(.target tiny
.dram 64
.input x f32 2x2 @0
.input w bf16 4 @16
.output y f32 2x2 @32
.core 0 0 section=0
.section 0
  halt
)");
  Simulator s2(p);
  st = s2.run();
  EXPECT_EQ(s2.fault(), FaultKind::BadInput);
  EXPECT_EQ(std::string(st.message()), "input(s) not set: 'x', 'w'");
  st = s2.setInput("x", std::vector<uint8_t>(15));
  EXPECT_EQ(s2.fault(), FaultKind::BadInput);
  EXPECT_EQ(std::string(st.message()),
            "input 'x' (f32 2x2) needs 16 bytes, got 15");
  EXPECT_EQ(s2.setInput("nope", {}).code(), absl::StatusCode::kNotFound);
  EXPECT_CONTAINS(s2.setInput("y", std::vector<uint8_t>(16)).message(),
                  "is an output");
  ASSERT_TRUE(s2.setInput("x", std::vector<uint8_t>(16, 1)).ok());
  ASSERT_TRUE(s2.setInput("w", std::vector<uint8_t>(8, 2)).ok());
  EXPECT_TRUE(s2.run().ok());
  EXPECT_EQ(s2.fault(), FaultKind::None);
  EXPECT_EQ(output(s2, "x"), std::vector<uint8_t>(16, 1));
  EXPECT_EQ(s2.getSymbol("zzz").status().code(), absl::StatusCode::kNotFound);
  EXPECT_STREQ(faultKindName(FaultKind::Deadlock), "deadlock");
}

TEST(SimData, SegmentsInitialiseEdgeMemory) {
  Program p = assemble(R"(.target tiny
.dram 64
.output y i32 4 @16
.data @0 01000000020000000300000004000000
.core 0 0 section=0
.section 0
  dma.ld r0, r0, rows=1, bytes=16, dstride=0, sstride=0, sem=0
  sem.wait sem=0, count=1
  li r1, value=16
  dma.st r1, r0, rows=1, bytes=16, dstride=0, sstride=0, sem=0
  sem.wait sem=0, count=1
  halt
)");
  Simulator sim(p);
  ASSERT_TRUE(sim.run().ok());
  EXPECT_EQ(valuesOf<int32_t>(output(sim, "y")),
            (std::vector<int32_t>{1, 2, 3, 4}));
}

//===----------------------------------------------------------------------===//
// Random programs
//===----------------------------------------------------------------------===//

/// Random instructions with random operands (biased towards values that
/// mean something: small sizes, in-range addresses, valid dtypes): every run
/// must end in success or a clean fault, never a crash, hang or UB (this
/// test is most useful under ASan/UBSan).
TEST(SimFuzz, RandomProgramsNeverCrash) {
  std::mt19937 rng(2024);
  auto pick = [&](int n) { return int(rng() % unsigned(n)); };
  auto imm = [&](const char *name) -> int32_t {
    std::string n = name;
    if (n.rfind("dt", 0) == 0)
      return pick(10) ? pick(4) : pick(7) - 1;
    if (n == "csr")
      return pick(6);
    if (n == "sem")
      return pick(10) ? pick(16) : 17;
    switch (pick(8)) {
    case 0:
      return int32_t(rng());
    case 1:
      return -pick(5);
    case 2:
      return 64 * pick(64);
    default:
      return pick(24);
    }
  };
  int ok = 0, faults = 0;
  for (int iter = 0; iter < 1500; ++iter) {
    Program p;
    MachineDesc::getPreset("tiny", p.target);
    p.target.sram_bytes = 8192;
    p.dramBytes = 4096;
    int ncores = 1 + pick(4);
    int nsec = 1 + pick(2);
    for (int sct = 0; sct < nsec; ++sct) {
      int len = 2 + pick(30);
      std::vector<Instruction> code(len);
      for (int pc = 0; pc < len; ++pc) {
        Instruction &in = code[pc];
        int op = pick(int(Opcode::NumOpcodes));
        if (pick(4) == 0) // many small loads of useful addresses
          op = int(Opcode::Li);
        in.op = Opcode(op);
        const OpcodeInfo &oi = in.getInfo();
        for (int r = 0; r < oi.numRegs; ++r)
          in.regs[r] = uint8_t(pick(6));
        for (int i = 0; i < oi.numImms; ++i)
          in.imms[i] = imm(oi.imms[i]);
        // Mostly coherent operands, so execution gets past the checks.
        if (pick(4) != 0) {
          const Unit u = oi.unit;
          if (in.op == Opcode::Mm) {
            int m = 1 + pick(12), n = 1 + pick(12), k = 1 + pick(12);
            int32_t v[] = {m,           n,           k,      n + pick(3),
                           k + pick(3), n + pick(3), pick(2)};
            for (int i = 0; i < 7; ++i)
              in.imms[i] = v[i];
          } else if (u == Unit::Vector) {
            int rows = 1 + pick(6), cols = 1 + pick(20);
            for (int i = 0; i < oi.numImms; ++i) {
              std::string n = oi.imms[i];
              if (n == "rows")
                in.imms[i] = rows;
              else if (n == "cols")
                in.imms[i] = cols;
              else if (n == "ldb")
                in.imms[i] = pick(3) ? cols + pick(3) : 0;
              else if (n.rfind("ld", 0) == 0)
                in.imms[i] = cols + pick(3);
              else if (n.rfind("dt", 0) == 0)
                in.imms[i] = pick(4);
            }
          } else if (u == Unit::Dma) {
            int bytes = pick(200);
            int32_t v[] = {pick(5), bytes, bytes + pick(64), bytes + pick(64),
                           pick(16)};
            for (int i = 0; i < 5; ++i)
              in.imms[i] = v[i];
          } else if (in.op == Opcode::SemWait || in.op == Opcode::SemSignal) {
            in.imms[0] = pick(4);
            in.imms[1] = pick(3);
          } else if (in.op == Opcode::Li) {
            in.imms[0] = pick(2) ? 64 * pick(64) : pick(4);
          }
        }
        if (in.op == Opcode::Beq || in.op == Opcode::Bne ||
            in.op == Opcode::Blt || in.op == Opcode::Bge ||
            in.op == Opcode::Jmp)
          in.setImm("target", pick(len));
      }
      if (pick(3))
        code.back() = Instruction{Opcode::Halt, {}, {}};
      p.sections.push_back(code);
    }
    std::vector<CoreCoord> where = p.target.enabledCores();
    for (int c = 0; c < ncores; ++c)
      p.cores.push_back({where[c].row, where[c].col, uint32_t(pick(nsec))});
    ASSERT_TRUE(p.validate().ok()) << p.validate();
    Options opt;
    opt.instructionBudget = 3000;
    Simulator sim(p, opt);
    absl::Status st = sim.run();
    if (st.ok()) {
      ++ok;
      EXPECT_EQ(sim.fault(), FaultKind::None);
    } else {
      ++faults;
      EXPECT_NE(sim.fault(), FaultKind::None);
      EXPECT_NE(sim.fault(), FaultKind::BadProgram) << st;
      std::string msg(st.message());
      if (getenv("DOJO_FUZZ_VERBOSE"))
        fprintf(stderr, "%s\n", msg.c_str());
      EXPECT_TRUE(msg.rfind("core ", 0) == 0 || msg.rfind("deadlock: ", 0) == 0)
          << msg;
    }
  }
  EXPECT_GT(ok, 50);
  EXPECT_GT(faults, 500);
}

//===----------------------------------------------------------------------===//
// Determinism
//===----------------------------------------------------------------------===//

TEST(SimDeterminism, SameProgramSameCycles) {
  // All four cores hammer the edge memory and each other.
  std::string text = R"(.target tiny edge_bpc=16 edges=1
.dram 65536
.input x bf16 64x64 @0
.output y f32 64x64 @8192
.core 0 0 section=0
.core 0 1 section=0
.core 1 0 section=0
.core 1 1 section=0
.section 0
  csrr r1, csr=coreid
  csrr r2, csr=ncores
  muli r3, r1, imm=2048       ; 16 rows of x per core
  li r4, value=0
  dma.ld r4, r3, rows=16, bytes=128, dstride=128, sstride=128, sem=0
  li r5, value=8192
  dma.ld r5, r0, rows=64, bytes=128, dstride=128, sstride=128, sem=0
  sem.wait sem=0, count=2
  li r6, value=32768
  mm r6, r4, r5, m=16, n=64, k=64, ldc=64, lda=64, ldb=64, acc=0, dt=bf16
  addi r7, r1, imm=1
  remu r7, r7, r2
  dma.put r6, r6, r7, rows=1, bytes=64, dstride=0, sstride=0, sem=1
  barrier
  sem.wait sem=1, count=1
  muli r8, r1, imm=4096
  addi r8, r8, imm=8192
  dma.st r8, r6, rows=16, bytes=256, dstride=256, sstride=256, sem=2
  sem.wait sem=2, count=1
  halt
)";
  std::vector<uint16_t> x(64 * 64);
  std::mt19937 rng(5);
  for (auto &v : x)
    v = randomBf16(rng, false);
  Simulator a(assemble(text)), b(assemble(text));
  ASSERT_TRUE(a.setInput("x", bytesOf(x)).ok());
  ASSERT_TRUE(b.setInput("x", bytesOf(x)).ok());
  ASSERT_TRUE(a.run().ok());
  ASSERT_TRUE(b.run().ok());
  EXPECT_EQ(a.stats().cycles, b.stats().cycles);
  EXPECT_EQ(output(a, "y"), output(b, "y"));
  Stats first = a.stats();
  ASSERT_TRUE(a.run().ok()); // the same simulator again, from scratch
  EXPECT_EQ(a.stats().cycles, first.cycles);
  EXPECT_EQ(a.stats().instructions, first.instructions);
  EXPECT_EQ(a.stats().nocByteHops, first.nocByteHops);
  for (size_t i = 0; i < 4; ++i) {
    EXPECT_EQ(a.stats().perCore[i].cycles, first.perCore[i].cycles);
    EXPECT_EQ(a.stats().perCore[i].cycles, b.stats().perCore[i].cycles);
  }
  EXPECT_EQ(output(a, "y"), output(b, "y"));
  EXPECT_EQ(a.stats().macs, 4u * 16 * 64 * 64);
  EXPECT_GT(a.stats().utilization(), 0.0);
  EXPECT_LT(a.stats().utilization(), 1.0);
}

} // namespace

TEST(SimStats, PerLocation) {
  // Two layers on two cores: "a" runs an 8x8x4 mm on each core, "b" a
  // vector op on core 0 only; unlocated instructions count nowhere.
  sim::Simulator s(testutil::assemble(R"(.target tiny
.core 0 0 section=0
.core 0 1 section=0
.section 0
  li r1, value=0
  li r2, value=1024
  li r3, value=2048
.loc "a"
  mm r3, r1, r2, m=8, n=8, k=4, ldc=8, lda=4, ldb=8, acc=0, dt=bf16
.loc "a"
  csrr r4, csr=coreid
  bne r4, r0, target=7
.loc "b"
  vfill r1, rows=2, cols=16, ldd=16, dtd=f32, bits=0
  halt
)"));
  ASSERT_TRUE(s.run().ok());
  const sim::Stats &st = s.stats();
  ASSERT_EQ(st.locations.size(), 2u);
  const sim::LocationStats &a = st.locations[0], &b = st.locations[1];
  EXPECT_EQ(a.loc, "a");
  EXPECT_EQ(a.instructions, 4u); // mm and csrr on both cores
  EXPECT_EQ(a.macs, 2u * 8 * 8 * 4);
  EXPECT_EQ(a.cores, 2);
  EXPECT_GT(a.last, a.first);
  EXPECT_GE(a.busy, a.last - a.first);
  // The mm addressed A, B (bf16) and C (f32): up to 2048 + 8*8*4 bytes.
  EXPECT_EQ(a.sramHighWater, 2048u + 256u);
  EXPECT_EQ(b.loc, "b");
  EXPECT_EQ(b.instructions, 1u);
  EXPECT_EQ(b.cores, 1);
  EXPECT_EQ(b.macs, 0u);
  EXPECT_EQ(b.sramHighWater, 128u);
  EXPECT_GE(b.first, a.first);
}
