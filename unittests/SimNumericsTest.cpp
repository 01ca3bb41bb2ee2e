//===- SimNumericsTest.cpp - ISA v2 scalar, matrix and vector semantics ---===//
//
// The instructions added with ISA v2 (andi/ori/slli/srli, csrw and the
// numeric CSRs, mm operand types, vcvt rounding modes, vfma, vdiv, vcmp,
// vsel, the transcendental and unary ops, vtrans, reductions): results
// against the shared numerics, one timing check per class, and faults.
//===----------------------------------------------------------------------===//

#include "SimTestUtil.h"
#include "dojo/Sim/Kernels.h"
#include "dojo/Sim/Simulator.h"

#include "absl/strings/str_format.h"
#include "gtest/gtest.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <random>

using namespace dojo;
using namespace dojo::isa;
using namespace dojo::sim;
using namespace dojo::testutil;
using num::DType;

namespace {

std::string hex(const std::vector<uint8_t> &b) {
  std::string s;
  for (uint8_t x : b)
    s += absl::StrFormat("%02x", x);
  return s.empty() ? "\"\"" : s;
}

std::vector<uint8_t> encodeAs(DType t, const std::vector<float> &v,
                              const num::Biases &b = {}) {
  std::vector<uint8_t> out(v.size() * num::dtypeBytes(t));
  for (size_t i = 0; i < v.size(); ++i)
    num::storeFromF32(out.data(), t, int64_t(i), v[i], b);
  return out;
}
std::vector<float> decodeAs(DType t, const std::vector<uint8_t> &bytes,
                            const num::Biases &b = {}) {
  std::vector<float> v(bytes.size() / num::dtypeBytes(t));
  for (size_t i = 0; i < v.size(); ++i)
    v[i] = num::loadAsF32(bytes.data(), t, int64_t(i), b);
  return v;
}

struct Input {
  int64_t sram;
  std::vector<uint8_t> bytes;
};
struct TileRun {
  std::vector<uint8_t> out;
  uint64_t cycles = 0;
  absl::Status status;
  FaultKind kind = FaultKind::None;
};

/// Loads every input into core 0's SRAM (via edge memory and dma.ld), runs
/// `body`, and stores SRAM [outAddr, outAddr + outBytes) to the output. The
/// harness uses r20..r23 and semaphores 14, 15.
TileRun runTiles(const std::vector<Input> &ins, const std::string &body,
             int64_t outAddr, int64_t outBytes,
             const std::string &tgt = "tiny") {
  std::string data, load;
  int64_t off = 0;
  for (const Input &in : ins) {
    data += absl::StrFormat(".data @%d %s\n", off, hex(in.bytes));
    load += absl::StrFormat(
        "  li r20, value=%d\n  li r21, value=%d\n"
        "  dma.ld r20, r21, rows=1, bytes=%d, dstride=0, sstride=0, sem=14\n",
        in.sram, off, in.bytes.size());
    off += int64_t(in.bytes.size());
  }
  std::string text = absl::StrFormat(
      ".target %s\n.dram %d\n%s.output out i8 %d @%d\n.core 0 0 section=0\n"
      ".section 0\n%s  sem.wait sem=14, count=%d\n%s\n"
      "  li r20, value=%d\n  li r21, value=%d\n"
      "  dma.st r21, r20, rows=1, bytes=%d, dstride=0, sstride=0, sem=15\n"
      "  sem.wait sem=15, count=1\n  halt\n",
      tgt, off + outBytes, data, outBytes, off, load, ins.size(), body,
      outAddr, off, outBytes);
  TileRun r;
  absl::StatusOr<Program> p = readAssembly(text);
  if (!p.ok()) {
    ADD_FAILURE() << p.status() << "\n" << text;
    r.status = p.status();
    return r;
  }
  Simulator sim(*p);
  r.status = sim.run();
  r.kind = sim.fault();
  r.cycles = sim.stats().cycles;
  if (r.status.ok())
    r.out = *sim.getSymbol("out");
  return r;
}

/// Cycles of a program that runs `body` after `nli` li instructions and
/// then halts (SRAM is zero).
uint64_t cyclesOf(const std::string &tgt, const std::string &body) {
  std::string text = absl::StrFormat(
      ".target %s\n.core 0 0 section=0\n.section 0\n%s\n  halt\n", tgt, body);
  absl::StatusOr<Program> p = readAssembly(text);
  EXPECT_TRUE(p.ok()) << p.status();
  if (!p.ok())
    return 0;
  Simulator sim(*p);
  absl::Status st = sim.run();
  EXPECT_TRUE(st.ok()) << st;
  return sim.stats().cycles;
}

/// The vector timing rule for an instruction of `vectors` vector passes.
uint64_t vecDur(const MachineDesc &t, uint64_t vectors, uint64_t loads,
                uint64_t stores) {
  return std::max(
      {vectors, cdiv(loads, t.sram_load_bpc), cdiv(stores, t.sram_store_bpc)});
}

void expectSameFloats(const std::vector<float> &got,
                      const std::vector<float> &want, const std::string &what) {
  ASSERT_EQ(got.size(), want.size()) << what;
  for (size_t i = 0; i < got.size(); ++i) {
    bool same = num::f32Bits(got[i]) == num::f32Bits(want[i]) ||
                (std::isnan(got[i]) && std::isnan(want[i]));
    EXPECT_TRUE(same) << what << " [" << i << "] got " << got[i] << " want "
                      << want[i];
  }
}

//===----------------------------------------------------------------------===//
// Scalar: immediate logic, shifts, CSRs
//===----------------------------------------------------------------------===//

TEST(SimV2Scalar, ImmediateLogicAndShifts) {
  TileRun r = runTiles({}, R"(
  li r1, value=-7
  andi r2, r1, imm=0xff      ; 0xf9
  st r2, r0, off=0
  andi r2, r1, imm=-16       ; sign-extended mask
  st r2, r0, off=8
  ori r2, r0, imm=-2         ; sign-extended: -2
  st r2, r0, off=16
  ori r2, r1, imm=6
  st r2, r0, off=24
  slli r2, r1, imm=4
  st r2, r0, off=32
  srli r2, r1, imm=60        ; logical
  st r2, r0, off=40
  slli r2, r1, imm=63
  st r2, r0, off=48
  srli r2, r1, imm=0
  st r2, r0, off=56
  ori r0, r1, imm=1          ; r0 stays 0
  st r0, r0, off=64
)",
                   0, 72);
  ASSERT_TRUE(r.status.ok()) << r.status;
  std::vector<int64_t> v = valuesOf<int64_t>(r.out);
  EXPECT_EQ(v, (std::vector<int64_t>{0xf9, -16, -2, -1, -112, 15,
                                     INT64_MIN, -7, 0}));
  TileRun bad = runTiles({}, "  slli r1, r1, imm=64", 0, 8);
  EXPECT_EQ(bad.kind, FaultKind::IllegalInstruction);
  EXPECT_CONTAINS(bad.status.message(), "shift amount imm=64 must be 0..63");
  bad = runTiles({}, "  srli r1, r1, imm=-1", 0, 8);
  EXPECT_CONTAINS(bad.status.message(), "shift amount imm=-1 must be 0..63");
}

TEST(SimV2Scalar, WritableCsrs) {
  TileRun r = runTiles({}, R"(
  csrr r1, csr=cfp8_bias143
  st r1, r0, off=0
  csrr r1, csr=cfp8_bias152
  st r1, r0, off=8
  csrr r1, csr=cfp16_bias
  st r1, r0, off=16
  csrr r1, csr=sr_seed
  st r1, r0, off=24
  li r2, value=63
  csrw r2, csr=cfp8_bias143
  li r2, value=0
  csrw r2, csr=cfp8_bias152
  li r2, value=31
  csrw r2, csr=cfp16_bias
  li r2, value=-5
  csrw r2, csr=sr_seed
  csrr r1, csr=cfp8_bias143
  st r1, r0, off=32
  csrr r1, csr=cfp8_bias152
  st r1, r0, off=40
  csrr r1, csr=cfp16_bias
  st r1, r0, off=48
  csrr r1, csr=sr_seed
  st r1, r0, off=56
)",
                   0, 64);
  ASSERT_TRUE(r.status.ok()) << r.status;
  EXPECT_EQ(valuesOf<int64_t>(r.out),
            (std::vector<int64_t>{7, 15, 15, 0, 63, 0, 31, -5}));
  auto fails = [](const std::string &body, const std::string &want) {
    TileRun b = runTiles({}, body, 0, 8);
    EXPECT_EQ(b.kind, FaultKind::IllegalInstruction) << body;
    EXPECT_CONTAINS(b.status.message(), want);
  };
  fails("  csrw r0, csr=coreid", "`csrw r0, csr=coreid`: CSR coreid is "
                                 "read-only");
  fails("  csrw r0, csr=thread", "CSR thread is read-only");
  fails("  li r1, value=64\n  csrw r1, csr=cfp16_bias",
        "cfp16_bias must be 0..63, got 64");
  fails("  li r1, value=-1\n  csrw r1, csr=cfp8_bias143",
        "cfp8_bias143 must be 0..63, got -1");
  fails("  csrw r0, csr=10", "unknown CSR 10");
  fails("  csrw r0, csr=-1", "unknown CSR -1");
  // csrw and csrr cost scalar_latency.
  EXPECT_EQ(cyclesOf("tiny scalar_latency=3",
                     "  csrw r0, csr=sr_seed\n  csrr r1, csr=sr_seed"),
            9u);
}

//===----------------------------------------------------------------------===//
// Matrix unit: operand types
//===----------------------------------------------------------------------===//

/// Reference mm on decoded operands: ascending k, separate FP32 operations.
std::vector<float> refMm(const std::vector<float> &a,
                         const std::vector<float> &b, int64_t m, int64_t n,
                         int64_t k) {
  std::vector<float> c(size_t(m * n));
  for (int64_t i = 0; i < m; ++i)
    for (int64_t j = 0; j < n; ++j) {
      volatile float s = 0.0f;
      for (int64_t p = 0; p < k; ++p) {
        volatile float prod = a[i * k + p] * b[p * n + j];
        s = s + prod;
      }
      c[i * n + j] = s;
    }
  return c;
}

std::vector<uint8_t> randomCodes(std::mt19937 &rng, size_t n, DType t,
                                 bool specials) {
  std::vector<uint8_t> v(n);
  for (auto &x : v) {
    x = uint8_t(rng());
    // Keep Inf/NaN codes out unless asked for.
    uint8_t mask = t == DType::CFP8_143 ? 0x7f : 0x7c;
    if (!specials && (x & mask) == mask)
      x ^= 0x08;
  }
  return v;
}

TEST(SimV2Matrix, Cfp8KernelOnEverySimdPath) {
  std::mt19937 rng(11);
  for (DType t : {DType::CFP8_143, DType::CFP8_152})
    for (int bias : {0, 7, 15, 40, 63})
      for (bool specials : {false, true})
        for (auto level : {kernels::SimdLevel::Generic, kernels::SimdLevel::Avx2,
                           kernels::SimdLevel::Avx512}) {
          const int64_t m = 19, n = 37, k = 23;
          num::Biases bs{uint8_t(bias), uint8_t(bias), uint8_t(bias)};
          std::vector<uint8_t> a = randomCodes(rng, m * k, t, specials),
                               b = randomCodes(rng, k * n, t, specials);
          if (specials)
            a[5] = t == DType::CFP8_143 ? 0x7f : 0x7c; // NaN / Inf
          std::vector<float> c(size_t(m * n), 99.0f);
          kernels::setSimdLevel(level);
          kernels::Scratch s;
          kernels::matmul(reinterpret_cast<uint8_t *>(c.data()), a.data(),
                          b.data(), m, n, k, n, k, n, false, s, t, bs);
          if (kernels::activeSimdLevel() != kernels::SimdLevel::Generic) {
            EXPECT_EQ(kernels::lastMatmulFused(), !specials);
          }
          expectSameFloats(c, refMm(decodeAs(t, a, bs), decodeAs(t, b, bs), m,
                                    n, k),
                           absl::StrFormat("%s bias %d specials %d level %d",
                                           num::dtypeName(t), bias, specials,
                                           int(level)));
        }
  kernels::setSimdLevel(kernels::SimdLevel::Auto);
}

TEST(SimV2Matrix, OperandTypesThroughThePipeline) {
  std::mt19937 rng(12);
  const int64_t m = 8, n = 16, k = 12;
  // A at 0, B at 1024, C at 4096; the biases are set with csrw first.
  for (DType t : {DType::BF16, DType::CFP8_143, DType::CFP8_152}) {
    num::Biases bs{3, 20, 15};
    std::vector<uint8_t> a, b;
    if (t == DType::BF16) {
      std::vector<float> av(m * k), bv(k * n);
      for (auto &x : av)
        x = std::uniform_real_distribution<float>(-3, 3)(rng);
      for (auto &x : bv)
        x = std::uniform_real_distribution<float>(-3, 3)(rng);
      a = encodeAs(t, av);
      b = encodeAs(t, bv);
    } else {
      a = randomCodes(rng, m * k, t, false);
      b = randomCodes(rng, k * n, t, false);
    }
    std::string body = absl::StrFormat(R"(
  li r1, value=3
  csrw r1, csr=cfp8_bias143
  li r1, value=20
  csrw r1, csr=cfp8_bias152
  li r2, value=0
  li r3, value=1024
  li r4, value=4096
  mm r4, r2, r3, m=%d, n=%d, k=%d, ldc=%d, lda=%d, ldb=%d, acc=0, dt=%s
)",
                                       m, n, k, n, k, n, num::dtypeName(t));
    TileRun r = runTiles({{0, a}, {1024, b}}, body, 4096, m * n * 4);
    ASSERT_TRUE(r.status.ok()) << r.status;
    expectSameFloats(valuesOf<float>(r.out),
                     refMm(decodeAs(t, a, bs), decodeAs(t, b, bs), m, n, k),
                     num::dtypeName(t));
  }
  for (const char *dt : {"f32", "i8", "cfp16", "i16", "8", "-1"}) {
    TileRun r = runTiles({}, absl::StrFormat("  mm r0, r0, r0, m=1, n=1, k=1, "
                                         "ldc=1, lda=1, ldb=1, acc=0, dt=%s",
                                         dt),
                     0, 4);
    EXPECT_EQ(r.kind, FaultKind::IllegalInstruction) << dt;
    EXPECT_CONTAINS(r.status.message(),
                    "is not a matrix operand type (1 bf16, 4 cfp8_143, 5 "
                    "cfp8_152)");
  }
  // CFP8 tiles need no alignment; bf16 ones do.
  TileRun r = runTiles({}, "  li r1, value=1\n  li r2, value=64\n  mm r2, r1, r1, "
                       "m=1, n=1, k=1, ldc=1, lda=1, ldb=1, acc=0, dt=cfp8_143",
                   0, 4);
  EXPECT_TRUE(r.status.ok()) << r.status;
  r = runTiles({}, "  li r1, value=1\n  li r2, value=64\n  mm r2, r1, r1, "
                   "m=1, n=1, k=1, ldc=1, lda=1, ldb=1, acc=0, dt=bf16",
               0, 4);
  EXPECT_EQ(r.kind, FaultKind::MemoryFault);
  EXPECT_CONTAINS(r.status.message(), "mm A: misaligned SRAM address 1");
}

TEST(SimV2Matrix, Cfp8OperandsHalveTheLoadBytes) {
  // Load bound: 64 steps of 8x8x4; bf16 reads 128 B per step, cfp8 64 B.
  const std::string tgt = "tiny sram_load_bpc=32";
  MachineDesc t = target(tgt);
  for (const char *dt : {"bf16", "cfp8_143", "cfp8_152"}) {
    uint64_t eb = std::string(dt) == "bf16" ? 2 : 1;
    uint64_t cycles = cyclesOf(
        tgt, absl::StrFormat("  li r1, value=65536\n  mm r0, r1, r1, m=16, "
                             "n=16, k=64, ldc=16, lda=64, ldb=16, acc=0, dt=%s",
                             dt));
    uint64_t steps = 2 * 2 * 16;
    uint64_t dur = std::max({cdiv(steps * 256, t.mac_per_cycle),
                             cdiv(steps * 64 * eb, t.sram_load_bpc),
                             cdiv(16 * 16 * 4, t.sram_store_bpc)});
    EXPECT_EQ(dur, eb == 2 ? 256u : 128u);
    EXPECT_EQ(cycles, 2 * t.scalar_latency + dur + t.matrix_latency) << dt;
  }
}

//===----------------------------------------------------------------------===//
// vcvt
//===----------------------------------------------------------------------===//

std::vector<float> boundaryValues() {
  return {0.0f,       -0.0f,     1.0f,      -1.5f,     2.5f,      3.5f,
          448.0f,     464.0f,    500.0f,    57344.0f,  65504.0f,  65520.0f,
          1e10f,      -1e10f,    3e38f,     INFINITY,  -INFINITY, NAN,
          1e-3f,      2e-5f,     6e-8f,     1e-40f,    -127.5f,   127.5f,
          32767.5f,   -32768.6f, 2.1e9f,    16777217.0f, 0.1f,    -0.3f,
          1.0625f,    1.1875f};
}

TEST(SimV2Vector, ConvertEveryPairNearestEven) {
  num::Biases bs{5, 17, 12};
  std::vector<float> vals = boundaryValues();
  const int64_t n = int64_t(vals.size());
  for (int s = 0; s < num::kNumDTypes; ++s)
    for (int d = 0; d < num::kNumDTypes; ++d) {
      DType dta = DType(s), dtd = DType(d);
      std::vector<uint8_t> a = encodeAs(dta, vals, bs);
      std::string body = absl::StrFormat(R"(
  li r1, value=5
  csrw r1, csr=cfp8_bias143
  li r1, value=17
  csrw r1, csr=cfp8_bias152
  li r1, value=12
  csrw r1, csr=cfp16_bias
  li r2, value=0
  li r3, value=1024
  vcvt r3, r2, rows=2, cols=%d, ldd=%d, lda=%d, dtd=%s, dta=%s, rnd=0
)",
                                         n / 2, n / 2, n / 2,
                                         num::dtypeName(dtd),
                                         num::dtypeName(dta));
      TileRun r = runTiles({{0, a}}, body, 1024, n * num::dtypeBytes(dtd));
      ASSERT_TRUE(r.status.ok()) << r.status;
      std::vector<uint8_t> want =
          encodeAs(dtd, decodeAs(dta, a, bs), bs);
      EXPECT_EQ(r.out, want) << num::dtypeName(dta) << " -> "
                             << num::dtypeName(dtd);
    }
}

/// vcvt f32 -> dtd with stochastic rounding, expected bits: one draw per
/// element in row-major order from the core's generator.
std::vector<uint8_t> srReference(DType dtd, const std::vector<float> &v,
                                 num::SrRng &rng) {
  std::vector<uint8_t> out(v.size() * num::dtypeBytes(dtd));
  for (size_t i = 0; i < v.size(); ++i)
    num::storeFromF32(out.data(), dtd, int64_t(i), v[i], {},
                      num::Rounding::Stochastic, rng.next());
  return out;
}

TEST(SimV2Vector, ConvertStochastic) {
  std::mt19937 rng(13);
  const int64_t rows = 3, cols = 20;
  std::vector<float> v(rows * cols);
  for (auto &x : v)
    x = std::uniform_real_distribution<float>(-200, 200)(rng);
  v[0] = NAN;
  v[1] = 1e30f;
  for (DType dtd : {DType::BF16, DType::CFP8_143, DType::CFP8_152,
                    DType::CFP16, DType::I8, DType::I16, DType::I32,
                    DType::F32}) {
    int64_t ed = num::dtypeBytes(dtd), out = rows * cols * ed;
    // Two conversions continue the sequence; reseeding restarts it.
    std::string body = absl::StrFormat(R"(
  li r2, value=0
  li r3, value=4096
  li r4, value=%d
  li r5, value=%d
  li r6, value=1234
  csrw r6, csr=sr_seed
  vcvt r3, r2, rows=%d, cols=%d, ldd=%d, lda=%d, dtd=%s, dta=f32, rnd=1
  vcvt r4, r2, rows=%d, cols=%d, ldd=%d, lda=%d, dtd=%s, dta=f32, rnd=1
  csrw r6, csr=sr_seed
  vcvt r5, r2, rows=%d, cols=%d, ldd=%d, lda=%d, dtd=%s, dta=f32, rnd=1
)",
                                       4096 + out, 4096 + 2 * out, rows, cols,
                                       cols, cols, num::dtypeName(dtd), rows,
                                       cols, cols, cols, num::dtypeName(dtd),
                                       rows, cols, cols, cols,
                                       num::dtypeName(dtd));
    TileRun r = runTiles({{0, bytesOf(v)}}, body, 4096, 3 * out);
    ASSERT_TRUE(r.status.ok()) << r.status;
    num::SrRng gen = num::SrRng::seeded(1234, 0);
    std::vector<uint8_t> first = srReference(dtd, v, gen);
    std::vector<uint8_t> second = srReference(dtd, v, gen);
    std::vector<uint8_t> got1(r.out.begin(), r.out.begin() + out),
        got2(r.out.begin() + out, r.out.begin() + 2 * out),
        got3(r.out.begin() + 2 * out, r.out.end());
    EXPECT_EQ(got1, first) << num::dtypeName(dtd);
    EXPECT_EQ(got2, second) << num::dtypeName(dtd);
    EXPECT_EQ(got3, first) << num::dtypeName(dtd);
    if (dtd != DType::F32) {
      EXPECT_NE(got1, got2) << num::dtypeName(dtd);
    }
  }
  // Without csrw the generator starts from seed 0 and the core id.
  TileRun r = runTiles({{0, bytesOf(v)}}, R"(
  li r3, value=4096
  vcvt r3, r0, rows=3, cols=20, ldd=20, lda=20, dtd=bf16, dta=f32, rnd=1
)",
                   4096, rows * cols * 2);
  num::SrRng gen = num::SrRng::seeded(0, 0);
  EXPECT_EQ(r.out, srReference(DType::BF16, v, gen));
  TileRun bad = runTiles({}, "  vcvt r0, r0, rows=1, cols=1, ldd=1, lda=1, "
                         "dtd=f32, dta=f32, rnd=2",
                     0, 4);
  EXPECT_EQ(bad.kind, FaultKind::IllegalInstruction);
  EXPECT_CONTAINS(bad.status.message(),
                  "rnd=2 must be 0 (nearest even) or 1 (stochastic)");
}

//===----------------------------------------------------------------------===//
// Element-wise ops
//===----------------------------------------------------------------------===//

std::vector<float> specialValues(int n, uint32_t seed) {
  std::mt19937 rng(seed);
  std::vector<float> v = {0.0f, -0.0f,     1.0f,     -1.0f,   INFINITY,
                          -INFINITY, NAN,  1e-40f,   -1e-40f, 88.0f,
                          -88.0f,    100.0f, 0.5f,   2.0f,    1e30f};
  while (int(v.size()) < n)
    v.push_back(std::uniform_real_distribution<float>(-20, 20)(rng));
  return v;
}

TEST(SimV2Vector, UnaryFunctions) {
  struct Op {
    const char *name;
    kernels::VUnary op;
    uint64_t passes;
  } ops[] = {
      {"vexp", kernels::VUnary::Exp, 8},    {"vlog", kernels::VUnary::Log, 8},
      {"vsqrt", kernels::VUnary::Sqrt, 4},  {"vrsqrt", kernels::VUnary::Rsqrt, 4},
      {"vtanh", kernels::VUnary::Tanh, 10}, {"vrecip", kernels::VUnary::Recip, 4},
      {"vabs", kernels::VUnary::Abs, 1},    {"vneg", kernels::VUnary::Neg, 1},
      {"verf", kernels::VUnary::Erf, 12},
  };
  std::vector<float> v = specialValues(64, 14);
  std::vector<float> positive(v.size());
  for (size_t i = 0; i < v.size(); ++i)
    positive[i] = std::fabs(v[i]);
  for (const Op &op : ops) {
    for (const std::vector<float> *in : {&v, &positive}) {
      // f32 -> f32 at 4x16 (a padded to lda=20), and f32 -> bf16.
      std::string body = absl::StrFormat(R"(
  li r2, value=0
  li r3, value=4096
  li r4, value=8192
  %s r3, r2, rows=4, cols=16, ldd=16, lda=16, dtd=f32, dta=f32
  %s r4, r2, rows=4, cols=16, ldd=16, lda=16, dtd=bf16, dta=f32
)",
                                         op.name, op.name);
      std::vector<uint8_t> in8 = bytesOf(*in);
      TileRun r = runTiles({{0, in8}}, body, 4096, 4096 + 128);
      ASSERT_TRUE(r.status.ok()) << r.status;
      std::vector<float> want(in->size());
      for (size_t i = 0; i < want.size(); ++i)
        want[i] = kernels::unaryOp(op.op, (*in)[i]);
      std::vector<float> got(64);
      std::memcpy(got.data(), r.out.data(), 256);
      expectSameFloats(got, want, op.name);
      std::vector<uint8_t> bf(r.out.begin() + 4096, r.out.end());
      EXPECT_EQ(bf, encodeAs(DType::BF16, want)) << op.name;
    }
    // The FP32 functions are the shared ones.
    EXPECT_EQ(kernels::unaryOp(op.op, 2.0f),
              op.op == kernels::VUnary::Exp     ? num::expF32(2.0f)
              : op.op == kernels::VUnary::Log   ? num::logF32(2.0f)
              : op.op == kernels::VUnary::Sqrt  ? std::sqrt(2.0f)
              : op.op == kernels::VUnary::Rsqrt ? num::rsqrtF32(2.0f)
              : op.op == kernels::VUnary::Tanh  ? num::tanhF32(2.0f)
              : op.op == kernels::VUnary::Recip ? 0.5f
              : op.op == kernels::VUnary::Abs   ? 2.0f
              : op.op == kernels::VUnary::Erf   ? num::erfF32(2.0f)
                                                : -2.0f)
        << op.name;
    // Timing: passes x vectors (3 rows x ceil(40*4/64) = 9 vectors).
    const std::string tgt = "tiny vector_latency=6";
    MachineDesc t = target(tgt);
    uint64_t c = cyclesOf(tgt, absl::StrFormat("  %s r0, r0, rows=3, cols=40, "
                                               "ldd=40, lda=40, dtd=f32, "
                                               "dta=f32",
                                               op.name));
    uint64_t dur = vecDur(t, 9 * op.passes, 480, 480);
    EXPECT_EQ(c, dur + t.vector_latency + t.scalar_latency) << op.name;
  }
  EXPECT_EQ(num::f32Bits(kernels::unaryOp(kernels::VUnary::Abs, -0.0f)), 0u);
  EXPECT_EQ(num::f32Bits(kernels::unaryOp(kernels::VUnary::Neg, 0.0f)),
            0x80000000u);
}

TEST(SimV2Vector, DivideAndFma) {
  std::vector<float> a = specialValues(32, 15), b = specialValues(32, 16),
                     c = specialValues(8, 17);
  std::reverse(b.begin(), b.end());
  // vdiv 4x8 with b broadcast (ldb=0 reads b's first row); vfma 4x8 with
  // b full and c broadcast; both also into bf16.
  std::string body = R"(
  li r2, value=0
  li r3, value=256
  li r4, value=512
  li r5, value=4096
  li r6, value=4224
  li r7, value=4352
  vdiv r5, r2, r3, rows=4, cols=8, ldd=8, lda=8, ldb=0, dtd=f32, dta=f32, dtb=f32
  vfma r6, r2, r3, r4, rows=4, cols=8, ldd=8, lda=8, ldb=8, ldc=0, dtd=f32, dts=f32
  vfma r7, r2, r3, r4, rows=4, cols=8, ldd=8, lda=8, ldb=8, ldc=0, dtd=bf16, dts=f32
)";
  TileRun r = runTiles({{0, bytesOf(a)}, {256, bytesOf(b)}, {512, bytesOf(c)}},
                   body, 4096, 128 + 128 + 64);
  ASSERT_TRUE(r.status.ok()) << r.status;
  std::vector<float> div(32), fma(32);
  for (int i = 0; i < 4; ++i)
    for (int j = 0; j < 8; ++j) {
      div[i * 8 + j] = a[i * 8 + j] / b[j];
      fma[i * 8 + j] = num::fmaF32(a[i * 8 + j], b[i * 8 + j], c[j]);
    }
  std::vector<float> got(64);
  std::memcpy(got.data(), r.out.data(), 256);
  expectSameFloats(std::vector<float>(got.begin(), got.begin() + 32), div,
                   "vdiv");
  expectSameFloats(std::vector<float>(got.begin() + 32, got.end()), fma,
                   "vfma");
  EXPECT_EQ(std::vector<uint8_t>(r.out.begin() + 256, r.out.end()),
            encodeAs(DType::BF16, fma));
  // fma rounds once.
  float x = 1.0f + std::ldexp(1.0f, -12);
  std::vector<float> xs = {x}, ms = {-1.0f};
  TileRun f = runTiles({{0, bytesOf(xs)}, {64, bytesOf(ms)}}, R"(
  li r1, value=64
  li r2, value=128
  vfma r2, r0, r0, r1, rows=1, cols=1, ldd=1, lda=1, ldb=1, ldc=1, dtd=f32, dts=f32
)",
                   128, 4);
  EXPECT_EQ(valuesOf<float>(f.out)[0],
            std::ldexp(1.0f, -11) + std::ldexp(1.0f, -24));
  // Timing: vfma loads three f32 sources, one of them a broadcast row;
  // vdiv costs 4 passes.
  const std::string tgt = "tiny sram_load_bpc=16";
  MachineDesc t = target(tgt);
  uint64_t cf = cyclesOf(tgt, "  vfma r0, r0, r0, r0, rows=4, cols=32, ldd=32, "
                              "lda=32, ldb=32, ldc=0, dtd=bf16, dts=f32");
  EXPECT_EQ(cf, vecDur(t, 4 * 2, 512 + 512 + 128, 256) + t.vector_latency +
                    t.scalar_latency);
  uint64_t cd = cyclesOf("tiny", "  vdiv r0, r0, r0, rows=4, cols=32, ldd=32, "
                                 "lda=32, ldb=0, dtd=f32, dta=f32, dtb=f32");
  MachineDesc ty = target("tiny");
  EXPECT_EQ(cd, vecDur(ty, 4 * 2 * 4, 512 + 128, 512) + ty.vector_latency +
                    ty.scalar_latency);
}

TEST(SimV2Vector, CompareAndSelect) {
  std::vector<float> a = {1.0f, 2.0f, NAN, -0.0f, 3.0f, NAN, 5.0f, -1.0f};
  std::vector<float> b = {1.0f, 1.0f, 1.0f, 0.0f, 4.0f, NAN, NAN, -2.0f};
  const char *names[] = {"eq", "ne", "lt", "le", "gt", "ge"};
  std::string body = "  li r2, value=0\n  li r3, value=64\n";
  for (int cmp = 0; cmp < 6; ++cmp)
    body += absl::StrFormat("  li r4, value=%d\n  vcmp r4, r2, r3, rows=1, "
                            "cols=8, ldd=8, lda=8, ldb=8, dtd=i8, dts=f32, "
                            "cmp=%d\n",
                            1024 + 8 * cmp, cmp);
  TileRun r = runTiles({{0, bytesOf(a)}, {64, bytesOf(b)}}, body, 1024, 48);
  ASSERT_TRUE(r.status.ok()) << r.status;
  for (int cmp = 0; cmp < 6; ++cmp)
    for (int j = 0; j < 8; ++j) {
      bool want = kernels::compare(kernels::VCmp(cmp), a[j], b[j]);
      EXPECT_EQ(r.out[8 * cmp + j], want ? 1 : 0) << names[cmp] << " " << j;
    }
  // NaN compares false except ne; -0 == +0.
  EXPECT_EQ(r.out[8 * 0 + 3], 1);
  EXPECT_EQ(r.out[8 * 0 + 2], 0);
  EXPECT_EQ(r.out[8 * 1 + 2], 1);
  EXPECT_EQ(r.out[8 * 5 + 5], 0);
  // vcmp into f32 with a broadcast b row gives 1.0 / 0.0.
  TileRun f = runTiles({{0, bytesOf(a)}, {64, bytesOf(b)}}, R"(
  li r3, value=64
  li r4, value=1024
  vcmp r4, r0, r3, rows=2, cols=4, ldd=4, lda=4, ldb=0, dtd=f32, dts=f32, cmp=4
)",
                   1024, 32);
  EXPECT_EQ(valuesOf<float>(f.out),
            (std::vector<float>{0, 1, 0, 0, 1, 0, 1, 0}));
  // vsel copies elements bitwise (i32 beyond 2^24 survive); NaN masks
  // select a, -0 selects b; b broadcasts with ldb=0.
  std::vector<float> mask = {1.0f, 0.0f, NAN, -0.0f, 2.0f, -3.0f};
  std::vector<int32_t> av = {16777217, -16777219, 2147483647, 5, 6, 7};
  std::vector<int32_t> bv = {-1, -2, -3};
  TileRun s = runTiles({{0, bytesOf(mask)}, {64, bytesOf(av)}, {128, bytesOf(bv)}},
                   R"(
  li r2, value=64
  li r3, value=128
  li r4, value=1024
  vsel r4, r0, r2, r3, rows=2, cols=3, ldd=3, ldm=3, lda=3, ldb=0, dtd=i32, dtm=f32
)",
                   1024, 24);
  ASSERT_TRUE(s.status.ok()) << s.status;
  EXPECT_EQ(valuesOf<int32_t>(s.out),
            (std::vector<int32_t>{16777217, -2, 2147483647, -1, 6, 7}));
  // Timing: mask (i8) + a + b (f32) loads.
  const std::string tgt = "tiny sram_load_bpc=8";
  MachineDesc t = target(tgt);
  uint64_t c = cyclesOf(tgt, "  vsel r0, r0, r0, r0, rows=2, cols=16, ldd=16, "
                             "ldm=16, lda=16, ldb=16, dtd=f32, dtm=i8");
  EXPECT_EQ(c, vecDur(t, 2, 32 + 128 + 128, 128) + t.vector_latency +
                   t.scalar_latency);
  uint64_t cc = cyclesOf(tgt, "  vcmp r0, r0, r0, rows=2, cols=16, ldd=16, "
                              "lda=16, ldb=0, dtd=i8, dts=bf16, cmp=0");
  EXPECT_EQ(cc, vecDur(t, 2, 64 + 32, 32) + t.vector_latency +
                    t.scalar_latency);
}

TEST(SimV2Vector, Transpose) {
  // A is 3 x 5 f32 with lda 6; D is 5 x 3 with ldd 4.
  std::vector<float> a(18);
  for (int i = 0; i < 18; ++i)
    a[i] = float(i) + 0.25f;
  TileRun r = runTiles({{0, bytesOf(a)}}, R"(
  li r3, value=1024
  li r4, value=2048
  vtrans r3, r0, rows=3, cols=5, ldd=4, lda=6, dtd=f32, dta=f32
  vtrans r4, r0, rows=3, cols=5, ldd=3, lda=6, dtd=bf16, dta=f32
)",
                   1024, 1024 + 30);
  ASSERT_TRUE(r.status.ok()) << r.status;
  std::vector<float> got(20);
  std::memcpy(got.data(), r.out.data(), 80);
  std::vector<float> bf = decodeAs(
      DType::BF16, std::vector<uint8_t>(r.out.begin() + 1024, r.out.end()));
  for (int i = 0; i < 3; ++i)
    for (int j = 0; j < 5; ++j) {
      EXPECT_EQ(got[j * 4 + i], a[i * 6 + j]) << i << "," << j;
      EXPECT_EQ(bf[j * 3 + i], num::roundBf16(a[i * 6 + j]));
    }
  EXPECT_EQ(got[3], 0.0f); // padding untouched
  // Same type is a bitwise copy: an i32 beyond 2^24.
  std::vector<int32_t> iv = {16777217, 2, 3, 4};
  TileRun ri = runTiles({{0, bytesOf(iv)}}, R"(
  li r3, value=1024
  vtrans r3, r0, rows=2, cols=2, ldd=2, lda=2, dtd=i32, dta=i32
)",
                    1024, 16);
  EXPECT_EQ(valuesOf<int32_t>(ri.out),
            (std::vector<int32_t>{16777217, 3, 2, 4}));
  TileRun bad = runTiles({}, "  vtrans r0, r0, rows=3, cols=5, ldd=2, lda=5, "
                         "dtd=f32, dta=f32",
                     0, 4);
  EXPECT_EQ(bad.kind, FaultKind::IllegalInstruction);
  EXPECT_CONTAINS(bad.status.message(),
                  "ldd=2 must be at least rows=3 (d is cols x rows)");
  // d's extent is cols x rows.
  bad = runTiles({}, "  li r1, value=1310700\n  vtrans r1, r0, rows=1, "
                     "cols=8, ldd=1, lda=8, dtd=f32, dta=f32",
                 0, 4);
  EXPECT_EQ(bad.kind, FaultKind::MemoryFault);
  EXPECT_CONTAINS(bad.status.message(),
                  "vector d: SRAM access [1310700, 1310732) out of bounds");
  // Timing: max(A's vectors, D's vectors): 2 rows of 64 f32 read as 2 x 4
  // vectors, written as 64 rows of 2 (64 vectors).
  MachineDesc t = target("tiny");
  uint64_t c = cyclesOf("tiny", "  vtrans r0, r0, rows=2, cols=64, ldd=2, "
                                "lda=64, dtd=f32, dta=f32");
  EXPECT_EQ(c, vecDur(t, 64, 512, 512) + t.vector_latency + t.scalar_latency);
}

TEST(SimV2Vector, Reductions) {
  // Sequential FP32 order matters: (1e8 + 1) - 1e8 = 0 in FP32, + 1 = 1.
  std::vector<float> a = {1e8f, 1.0f, -1e8f, 1.0f,  //
                          NAN,  2.0f, 3.0f,  -0.0f, //
                          -0.0f, -0.0f, 5.0f, 4.0f};
  TileRun r = runTiles({{0, bytesOf(a)}}, R"(
  li r3, value=1024
  li r4, value=1040
  li r5, value=1056
  li r6, value=1072
  vredsum r3, r0, rows=3, cols=4, lda=4, axis=0, dtd=f32, dta=f32
  vredsum r4, r0, rows=3, cols=4, lda=4, axis=1, dtd=f32, dta=f32
  vredmax r5, r0, rows=3, cols=4, lda=4, axis=0, dtd=f32, dta=f32
  vredmax r6, r0, rows=3, cols=4, lda=4, axis=1, dtd=f32, dta=f32
)",
                   1024, 64);
  ASSERT_TRUE(r.status.ok()) << r.status;
  std::vector<float> g = valuesOf<float>(r.out);
  // axis 0: columns.
  EXPECT_TRUE(std::isnan(g[0]));
  EXPECT_EQ(g[1], 1.0f + 2.0f + -0.0f);
  EXPECT_EQ(g[2], (-1e8f + 3.0f) + 5.0f);
  EXPECT_EQ(g[3], 5.0f);
  // axis 1: rows.
  EXPECT_EQ(g[4], 1.0f);
  EXPECT_TRUE(std::isnan(g[5]));
  EXPECT_EQ(g[6], 9.0f);
  EXPECT_EQ(g[7], 0.0f); // padding of the 3-element result
  // vredmax: NaN propagates; +0 > -0.
  EXPECT_TRUE(std::isnan(g[8]));
  EXPECT_EQ(g[9], 2.0f);
  EXPECT_EQ(g[10], 5.0f);
  EXPECT_EQ(g[11], 4.0f);
  EXPECT_EQ(g[12], 1e8f);
  EXPECT_TRUE(std::isnan(g[13]));
  EXPECT_EQ(g[14], 5.0f);
  // A sum of -0 is -0 (it starts from the first element).
  std::vector<float> z = {-0.0f, -0.0f};
  TileRun rz = runTiles({{0, bytesOf(z)}}, R"(
  li r3, value=1024
  vredsum r3, r0, rows=1, cols=2, lda=2, axis=1, dtd=f32, dta=f32
)",
                    1024, 4);
  EXPECT_EQ(num::f32Bits(valuesOf<float>(rz.out)[0]), 0x80000000u);
  // Results round to dtd.
  std::vector<float> big = {1.0f, 1.0f / 512};
  TileRun rb = runTiles({{0, bytesOf(big)}}, R"(
  li r3, value=1024
  vredsum r3, r0, rows=1, cols=2, lda=2, axis=1, dtd=bf16, dta=f32
)",
                    1024, 2);
  EXPECT_EQ(valuesOf<uint16_t>(rb.out)[0], 0x3f80);
  TileRun bad = runTiles({}, "  vredsum r0, r0, rows=1, cols=1, lda=1, axis=2, "
                         "dtd=f32, dta=f32",
                     0, 4);
  EXPECT_EQ(bad.kind, FaultKind::IllegalInstruction);
  EXPECT_CONTAINS(bad.status.message(),
                  "axis=2 must be 0 (over rows) or 1 (over columns)");
  // Timing: lanes along the kept dimension. 4 x 64 f32: axis 0 is 4 rows x
  // 4 vectors = 16, axis 1 is 64 columns x 1 vector = 64.
  MachineDesc t = target("tiny");
  uint64_t c0 = cyclesOf("tiny", "  vredsum r0, r0, rows=4, cols=64, lda=64, "
                                 "axis=0, dtd=f32, dta=f32");
  uint64_t c1 = cyclesOf("tiny", "  vredmax r0, r0, rows=4, cols=64, lda=64, "
                                 "axis=1, dtd=f32, dta=f32");
  EXPECT_EQ(c0, vecDur(t, 16, 1024, 256) + t.vector_latency + t.scalar_latency);
  EXPECT_EQ(c1, vecDur(t, 64, 1024, 16) + t.vector_latency + t.scalar_latency);
}

TEST(SimV2Vector, NewTypesInOldOps) {
  // vadd on cfp16 + cfp8 into cfp8_152 with non-default biases.
  num::Biases bs{9, 13, 20};
  std::vector<float> av = {1.0f, -2.5f, 0.125f, 1000.0f},
                     bv = {0.5f, 0.75f, -3.0f, 1e6f};
  std::vector<uint8_t> a = encodeAs(DType::CFP16, av, bs),
                       b = encodeAs(DType::CFP8_143, bv, bs);
  TileRun r = runTiles({{0, a}, {64, b}}, R"(
  li r1, value=9
  csrw r1, csr=cfp8_bias143
  li r1, value=13
  csrw r1, csr=cfp8_bias152
  li r1, value=20
  csrw r1, csr=cfp16_bias
  li r3, value=64
  li r4, value=1024
  vadd r4, r0, r3, rows=1, cols=4, ldd=4, lda=4, ldb=4, dtd=cfp8_152, dta=cfp16, dtb=cfp8_143
  li r5, value=1028
  vfill r5, rows=1, cols=3, ldd=3, dtd=i16, bits=0x47c35000
)",
                   1024, 10);
  ASSERT_TRUE(r.status.ok()) << r.status;
  std::vector<float> ad = decodeAs(DType::CFP16, a, bs),
                     bd = decodeAs(DType::CFP8_143, b, bs), sum(4);
  for (int i = 0; i < 4; ++i)
    sum[i] = ad[i] + bd[i];
  std::vector<uint8_t> want = encodeAs(DType::CFP8_152, sum, bs);
  EXPECT_EQ(std::vector<uint8_t>(r.out.begin(), r.out.begin() + 4), want);
  // vfill i16 saturates 100000 to 32767.
  std::vector<int16_t> f(3);
  std::memcpy(f.data(), r.out.data() + 4, 6);
  EXPECT_EQ(f, (std::vector<int16_t>(3, 32767)));
  // Misaligned cfp16 tile and a bad dtype code.
  TileRun bad = runTiles({}, "  li r1, value=3\n  vneg r1, r1, rows=1, cols=2, "
                         "ldd=2, lda=2, dtd=cfp16, dta=cfp16",
                     0, 4);
  EXPECT_EQ(bad.kind, FaultKind::MemoryFault);
  EXPECT_CONTAINS(bad.status.message(),
                  "vector d: misaligned SRAM address 3 (must be a multiple "
                  "of 2)");
  bad = runTiles({}, "  vfma r0, r0, r0, r0, rows=1, cols=1, ldd=1, lda=1, "
                     "ldb=1, ldc=1, dtd=f32, dts=8",
                 0, 4);
  EXPECT_EQ(bad.kind, FaultKind::IllegalInstruction);
  EXPECT_CONTAINS(bad.status.message(),
                  "dts=8 is not a dtype (0 f32, 1 bf16, 2 i32, 3 i8, 4 "
                  "cfp8_143, 5 cfp8_152, 6 cfp16, 7 i16)");
  bad = runTiles({}, "  vcmp r0, r0, r0, rows=1, cols=1, ldd=1, lda=1, "
                     "ldb=1, dtd=f32, dts=f32, cmp=6",
                 0, 4);
  EXPECT_CONTAINS(bad.status.message(),
                  "cmp=6 must be 0..5 (eq, ne, lt, le, gt, ge)");
  bad = runTiles({}, "  vsel r0, r0, r0, r0, rows=1, cols=2, ldd=2, ldm=0, "
                     "lda=2, ldb=2, dtd=f32, dtm=f32",
                 0, 4);
  EXPECT_CONTAINS(bad.status.message(), "ldm=0 must be at least cols=2");
  bad = runTiles({}, "  vfma r0, r0, r0, r0, rows=1, cols=2, ldd=2, lda=2, "
                     "ldb=2, ldc=1, dtd=f32, dts=f32",
                 0, 4);
  EXPECT_CONTAINS(bad.status.message(),
                  "ldc=1 must be at least cols=2 (or 0 to broadcast)");
  bad = runTiles({}, "  li r1, value=1310716\n  vredsum r1, r0, rows=2, "
                     "cols=2, lda=2, axis=1, dtd=f32, dta=f32",
                 0, 4);
  EXPECT_EQ(bad.kind, FaultKind::MemoryFault);
  EXPECT_CONTAINS(bad.status.message(),
                  "vector d: SRAM access [1310716, 1310724) out of bounds");
}

} // namespace
