//===- NumericsTest.cpp - Number formats, rounding, vector functions ------===//
//
// Known bit patterns at the boundaries of every format (default and extreme
// biases), ties, overflow, NaN/Inf, stochastic rounding (unbiased and
// reproducible), and the accuracy of the vector unit's exp/log/tanh/rsqrt
// against libm.
//===----------------------------------------------------------------------===//

#include "dojo/ISA/Numerics.h"

#include "gtest/gtest.h"

#include <cfloat>
#include <cmath>
#include <cstdio>
#include <random>

using namespace dojo;
using namespace dojo::num;

namespace {

float pow2f(int e) { return std::ldexp(1.0f, e); }

uint32_t enc(DType t, float x, int bias = -1) {
  Biases b;
  if (bias >= 0)
    b.cfp8_143 = b.cfp8_152 = b.cfp16 = uint8_t(bias);
  return encodeMini(x, miniFormat(t, b));
}
float dec(DType t, uint32_t code, int bias = -1) {
  Biases b;
  if (bias >= 0)
    b.cfp8_143 = b.cfp8_152 = b.cfp16 = uint8_t(bias);
  return decodeMini(code, miniFormat(t, b));
}

TEST(Numerics, DTypes) {
  const char *names[] = {"f32",      "bf16",  "i32", "i8", "cfp8_143",
                         "cfp8_152", "cfp16", "i16"};
  const int64_t bytes[] = {4, 2, 4, 1, 1, 1, 2, 2};
  for (int i = 0; i < kNumDTypes; ++i) {
    DType t = DType(i);
    EXPECT_STREQ(dtypeName(t), names[i]);
    EXPECT_EQ(dtypeBytes(t), bytes[i]) << names[i];
    DType back;
    ASSERT_TRUE(parseDType(names[i], back));
    EXPECT_EQ(back, t);
    EXPECT_TRUE(isDType(i));
  }
  EXPECT_FALSE(isDType(-1));
  EXPECT_FALSE(isDType(8));
  DType t;
  EXPECT_FALSE(parseDType("f16", t));
  EXPECT_FALSE(parseDType("cfp8", t));
  EXPECT_TRUE(isInteger(DType::I16));
  EXPECT_FALSE(isInteger(DType::CFP16));
  Biases b;
  EXPECT_EQ(b.cfp8_143, 7);
  EXPECT_EQ(b.cfp8_152, 15);
  EXPECT_EQ(b.cfp16, 15);
}

TEST(Numerics, Bf16Rounding) {
  EXPECT_EQ(f32ToBf16(1.0f), 0x3f80);
  // Ties to even: 1 + 2^-8 is halfway between 1 and 1 + 2^-7.
  EXPECT_EQ(f32ToBf16(bitsF32(0x3f808000)), 0x3f80);
  EXPECT_EQ(f32ToBf16(bitsF32(0x3f818000)), 0x3f82);
  EXPECT_EQ(f32ToBf16(bitsF32(0x3f808001)), 0x3f81);
  EXPECT_EQ(f32ToBf16(-0.0f), 0x8000);
  EXPECT_EQ(f32ToBf16(INFINITY), 0x7f80);
  EXPECT_EQ(f32ToBf16(bitsF32(0x7f7fffff)), 0x7f80); // rounds past max
  EXPECT_EQ(f32ToBf16(bitsF32(0x7f7f7fff)), 0x7f7f); // max finite
  uint16_t nan = f32ToBf16(bitsF32(0x7f800001));     // signalling NaN payload
  EXPECT_TRUE(std::isnan(bf16ToF32(nan)));
  EXPECT_EQ(f32ToBf16(bitsF32(0x00000001)), 0x0000); // tiny denormal
  EXPECT_EQ(f32ToBf16(bitsF32(0x00010000)), 0x0001); // bf16 min denormal
  EXPECT_EQ(f32ToBf16(bitsF32(0x00008000)), 0x0000); // tie at half: even
  EXPECT_EQ(f32ToBf16(bitsF32(0x00018000)), 0x0002); // tie: even
  EXPECT_EQ(f32ToBf16(bitsF32(0x007f8000)), 0x0080); // max denormal -> min normal
  EXPECT_EQ(roundBf16(3.14159265f), bf16ToF32(0x4049));
}

// The generic encoder agrees with the BF16 fast path everywhere but NaN
// payloads.
TEST(Numerics, GenericEncoderMatchesBf16) {
  std::mt19937 rng(1);
  MiniFormat f = miniFormat(DType::BF16);
  for (int i = 0; i < 2000000; ++i) {
    uint32_t u = rng();
    if (i < 70000)
      u = (uint32_t(i) << 15) ^ (i & 1 ? 0x8000u : 0u); // near ties, all exps
    float x = bitsF32(u);
    if (std::isnan(x))
      continue;
    ASSERT_EQ(encodeMini(x, f), f32ToBf16(x)) << std::hex << u;
  }
  for (uint32_t c = 0; c < 0x10000; ++c) {
    float v = decodeMini(c, f);
    if (std::isnan(bf16ToF32(uint16_t(c))))
      EXPECT_TRUE(std::isnan(v));
    else
      EXPECT_EQ(f32Bits(v), f32Bits(bf16ToF32(uint16_t(c)))) << c;
  }
}

TEST(Numerics, Cfp8E4M3Boundaries) {
  const DType t = DType::CFP8_143;
  // Default bias 7: the OCP E4M3 values.
  EXPECT_EQ(dec(t, 0x7e), 448.0f);          // max finite S.1111.110
  EXPECT_EQ(dec(t, 0x08), pow2f(-6));       // min normal
  EXPECT_EQ(dec(t, 0x07), 7 * pow2f(-9));   // max denormal
  EXPECT_EQ(dec(t, 0x01), pow2f(-9));       // min denormal
  EXPECT_EQ(dec(t, 0x38), 1.0f);
  EXPECT_EQ(dec(t, 0x78), 256.0f);          // exponent all ones is finite
  EXPECT_EQ(f32Bits(dec(t, 0x80)), 0x80000000u); // -0
  EXPECT_TRUE(std::isnan(dec(t, 0x7f)));
  EXPECT_TRUE(std::isnan(dec(t, 0xff)));
  EXPECT_EQ(f32Bits(dec(t, 0xff)), 0xffc00000u);
  EXPECT_EQ(maxFinite(miniFormat(t)), 448.0f);
  EXPECT_EQ(enc(t, 448.0f), 0x7eu);
  EXPECT_EQ(enc(t, 464.0f), 0x7eu);     // tie between 448 and (NaN slot): even
  EXPECT_EQ(enc(t, 500.0f), 0x7eu);     // overflow saturates
  EXPECT_EQ(enc(t, 1e30f), 0x7eu);
  EXPECT_EQ(enc(t, -1e30f), 0xfeu);
  EXPECT_EQ(enc(t, INFINITY), 0x7eu);   // no Inf: saturates
  EXPECT_EQ(enc(t, -INFINITY), 0xfeu);
  EXPECT_EQ(enc(t, NAN), 0x7fu);
  EXPECT_EQ(enc(t, -NAN), 0xffu);
  EXPECT_EQ(enc(t, 0.0f), 0x00u);
  EXPECT_EQ(enc(t, -0.0f), 0x80u);
  EXPECT_EQ(enc(t, 1.0625f), 0x38u);    // tie: even (1.0)
  EXPECT_EQ(enc(t, 1.1875f), 0x3au);    // tie: even (1.25)
  EXPECT_EQ(enc(t, 1.07f), 0x39u);
  EXPECT_EQ(enc(t, pow2f(-10)), 0x00u); // half the min denormal: even (0)
  EXPECT_EQ(enc(t, 3 * pow2f(-10)), 0x02u);
  EXPECT_EQ(enc(t, 1.1f * pow2f(-10)), 0x01u);
  EXPECT_EQ(enc(t, 15 * pow2f(-10)), 0x08u); // max denormal + half: min normal
  EXPECT_EQ(enc(t, -7 * pow2f(-9)), 0x87u);
  EXPECT_EQ(enc(t, 1e-30f), 0x00u);
  EXPECT_EQ(enc(t, bitsF32(0x00000001)), 0x00u); // f32 denormal
  // Bias extremes.
  EXPECT_EQ(dec(t, 0x7e, 0), 57344.0f);
  EXPECT_EQ(dec(t, 0x01, 0), 0.25f);
  EXPECT_EQ(dec(t, 0x08, 0), 2.0f);
  EXPECT_EQ(enc(t, 1e6f, 0), 0x7eu);
  EXPECT_EQ(dec(t, 0x7e, 63), 1.75f * pow2f(-48));
  EXPECT_EQ(dec(t, 0x01, 63), pow2f(-65));
  EXPECT_EQ(enc(t, pow2f(-65), 63), 0x01u);
  EXPECT_EQ(enc(t, pow2f(-66), 63), 0x00u); // tie: even
  EXPECT_EQ(enc(t, 1.0f, 63), 0x7eu);       // saturates
}

TEST(Numerics, Cfp8E5M2Boundaries) {
  const DType t = DType::CFP8_152;
  EXPECT_EQ(dec(t, 0x7b), 57344.0f);      // max finite S.11110.11
  EXPECT_EQ(dec(t, 0x04), pow2f(-14));    // min normal
  EXPECT_EQ(dec(t, 0x03), 3 * pow2f(-16)); // max denormal
  EXPECT_EQ(dec(t, 0x01), pow2f(-16));    // min denormal
  EXPECT_EQ(dec(t, 0x3c), 1.0f);
  EXPECT_EQ(dec(t, 0x7c), INFINITY);
  EXPECT_EQ(dec(t, 0xfc), -INFINITY);
  EXPECT_TRUE(std::isnan(dec(t, 0x7d)));
  EXPECT_TRUE(std::isnan(dec(t, 0x7e)));
  EXPECT_TRUE(std::isnan(dec(t, 0xff)));
  EXPECT_EQ(maxFinite(miniFormat(t)), 57344.0f);
  EXPECT_EQ(enc(t, 57344.0f), 0x7bu);
  EXPECT_EQ(enc(t, 61440.0f), 0x7bu); // tie past max: saturates
  EXPECT_EQ(enc(t, 1e9f), 0x7bu);     // finite overflow saturates
  EXPECT_EQ(enc(t, -1e9f), 0xfbu);
  EXPECT_EQ(enc(t, INFINITY), 0x7cu); // Inf stays Inf
  EXPECT_EQ(enc(t, -INFINITY), 0xfcu);
  EXPECT_EQ(enc(t, NAN), 0x7eu);      // canonical quiet NaN
  EXPECT_EQ(enc(t, -NAN), 0xfeu);
  EXPECT_EQ(enc(t, 1.125f), 0x3cu);   // tie: even
  EXPECT_EQ(enc(t, 1.375f), 0x3eu);   // tie: even
  EXPECT_EQ(enc(t, pow2f(-17)), 0x00u);
  EXPECT_EQ(enc(t, 3 * pow2f(-17)), 0x02u);
  EXPECT_EQ(enc(t, 7 * pow2f(-17)), 0x04u); // rounds into the min normal
  // Bias extremes.
  EXPECT_EQ(dec(t, 0x7b, 0), 1.75f * pow2f(30));
  EXPECT_EQ(dec(t, 0x01, 0), 0.5f);
  EXPECT_EQ(dec(t, 0x01, 63), pow2f(-64));
  EXPECT_EQ(dec(t, 0x7b, 63), 1.75f * pow2f(-33));
  EXPECT_EQ(enc(t, 1.0f, 63), 0x7bu);
  EXPECT_EQ(enc(t, INFINITY, 63), 0x7cu);
}

TEST(Numerics, Cfp16Boundaries) {
  const DType t = DType::CFP16;
  EXPECT_EQ(dec(t, 0x7bff), 65504.0f);
  EXPECT_EQ(dec(t, 0x0400), pow2f(-14));
  EXPECT_EQ(dec(t, 0x03ff), 1023 * pow2f(-24));
  EXPECT_EQ(dec(t, 0x0001), pow2f(-24));
  EXPECT_EQ(dec(t, 0x3c00), 1.0f);
  EXPECT_EQ(dec(t, 0x7c00), INFINITY);
  EXPECT_TRUE(std::isnan(dec(t, 0x7c01)));
  EXPECT_EQ(enc(t, 65504.0f), 0x7bffu);
  EXPECT_EQ(enc(t, 65519.0f), 0x7bffu);
  EXPECT_EQ(enc(t, 65520.0f), 0x7c00u); // tie past max: Inf (IEEE)
  EXPECT_EQ(enc(t, 1e6f), 0x7c00u);     // cfp16 does not saturate
  EXPECT_EQ(enc(t, -1e6f), 0xfc00u);
  EXPECT_EQ(enc(t, NAN), 0x7e00u);
  EXPECT_EQ(enc(t, -INFINITY), 0xfc00u);
  EXPECT_EQ(enc(t, pow2f(-25)), 0x0000u); // tie: even
  EXPECT_EQ(enc(t, 3 * pow2f(-25)), 0x0002u);
  EXPECT_EQ(enc(t, 1.0f + pow2f(-11)), 0x3c00u);
  EXPECT_EQ(enc(t, 1.0f + 3 * pow2f(-11)), 0x3c02u);
  // Bias extremes.
  EXPECT_EQ(dec(t, 0x7bff, 0), 65504.0f * pow2f(15));
  EXPECT_EQ(dec(t, 0x0001, 0), pow2f(-9));
  EXPECT_EQ(dec(t, 0x0001, 63), pow2f(-72));
  EXPECT_EQ(enc(t, pow2f(-72), 63), 0x0001u);
  EXPECT_EQ(enc(t, 1.0f, 63), 0x7c00u);
#ifdef __FLT16_MAX__
  // With bias 15 CFP16 is IEEE binary16: compare with the compiler's.
  std::mt19937 rng(5);
  for (int i = 0; i < 1000000; ++i) {
    float x = bitsF32(rng());
    if (i % 2)
      x = std::ldexp(float(int32_t(rng())) / 2147483648.0f, int(rng() % 50) - 30);
    if (std::isnan(x))
      continue;
    _Float16 h = static_cast<_Float16>(x);
    uint16_t hb;
    std::memcpy(&hb, &h, 2);
    ASSERT_EQ(enc(t, x), hb) << x;
  }
#endif
}

// Every code of every format (and bias) decodes exactly and encodes back.
TEST(Numerics, EveryCodeRoundTrips) {
  for (DType t : {DType::CFP8_143, DType::CFP8_152, DType::CFP16}) {
    for (int bias : {0, 1, 7, 15, 31, 62, 63}) {
      MiniFormat f = miniFormat(t, Biases{uint8_t(bias), uint8_t(bias),
                                          uint8_t(bias)});
      uint32_t n = t == DType::CFP16 ? 0x10000 : 0x100;
      float prev = -1.0f;
      for (uint32_t c = 0; c < n; ++c) {
        float v = decodeMini(c, f);
        if (std::isnan(v)) {
          uint32_t back = encodeMini(v, f);
          EXPECT_TRUE(std::isnan(decodeMini(back, f)));
          continue;
        }
        EXPECT_EQ(encodeMini(v, f), c) << dtypeName(t) << " bias " << bias;
        // Positive codes are in increasing order of value.
        if (c < n / 2) {
          EXPECT_GT(v, prev) << c;
          prev = v;
        }
        // Values between two neighbours round to nearest.
        if (c + 1 < n / 2 && !std::isnan(decodeMini(c + 1, f)) &&
            !std::isinf(decodeMini(c + 1, f))) {
          float next = decodeMini(c + 1, f);
          float mid = v + (next - v) / 2; // exact: both on a fine grid
          EXPECT_EQ(encodeMini(mid, f), (c & 1) ? c + 1 : c);
          EXPECT_EQ(encodeMini(std::nextafter(mid, 0.0f), f), c);
          EXPECT_EQ(encodeMini(std::nextafter(mid, INFINITY), f), c + 1);
        }
      }
    }
  }
}

TEST(Numerics, Integers) {
  uint8_t buf[4];
  auto i8 = [&](float v) {
    storeFromF32(buf, DType::I8, 0, v);
    return int(int8_t(buf[0]));
  };
  auto i16 = [&](float v) {
    storeFromF32(buf, DType::I16, 0, v);
    return loadAsF32(buf, DType::I16, 0);
  };
  auto i32 = [&](float v) {
    storeFromF32(buf, DType::I32, 0, v);
    int32_t x;
    std::memcpy(&x, buf, 4);
    return x;
  };
  EXPECT_EQ(i8(300.0f), 127);
  EXPECT_EQ(i8(-300.0f), -128);
  EXPECT_EQ(i8(-2.5f), -2); // nearest even
  EXPECT_EQ(i8(2.5f), 2);
  EXPECT_EQ(i8(3.5f), 4);
  EXPECT_EQ(i8(127.5f), 127); // rounds to 128, saturates
  EXPECT_EQ(i8(-128.5f), -128);
  EXPECT_EQ(i8(NAN), 0);
  EXPECT_EQ(i8(INFINITY), 127);
  EXPECT_EQ(i8(-INFINITY), -128);
  EXPECT_EQ(i8(-0.0f), 0);
  EXPECT_EQ(i8(0.49999997f), 0);
  EXPECT_EQ(i16(40000.0f), 32767.0f);
  EXPECT_EQ(i16(-40000.0f), -32768.0f);
  EXPECT_EQ(i16(-1234.5f), -1234.0f);
  EXPECT_EQ(i16(1e-40f), 0.0f);
  EXPECT_EQ(i16(NAN), 0.0f);
  EXPECT_EQ(i32(3e10f), 2147483647);
  EXPECT_EQ(i32(-3e10f), INT32_MIN);
  EXPECT_EQ(i32(-2147483648.0f), INT32_MIN);
  EXPECT_EQ(i32(2147483648.0f), INT32_MAX);
  EXPECT_EQ(i32(16777217.0f), 16777216); // the FP32 value
  EXPECT_EQ(i32(NAN), 0);
  EXPECT_EQ(i32(FLT_MAX), INT32_MAX);
  EXPECT_EQ(roundToInt(0.5f, -10, 10), 0);
  EXPECT_EQ(roundToInt(1.5f, -10, 10), 2);
  EXPECT_EQ(roundToInt(bitsF32(0x00000001), -10, 10), 0);
}

TEST(Numerics, StochasticRoundingRule) {
  const Rounding sr = Rounding::Stochastic;
  const uint64_t half = uint64_t(1) << 63;
  MiniFormat bf = miniFormat(DType::BF16);
  // 1 + 2^-8 is exactly half a bf16 ulp above 1: the dropped fraction is
  // 0x8000... so it rounds up iff the draw is >= 2^63.
  float x = bitsF32(0x3f808000);
  EXPECT_EQ(encodeMini(x, bf, sr, half - 1), 0x3f80u);
  EXPECT_EQ(encodeMini(x, bf, sr, half), 0x3f81u);
  EXPECT_EQ(encodeMini(-x, bf, sr, half), 0xbf81u); // magnitude rounds up
  // Draw 0 truncates toward zero; an all-ones draw rounds any nonzero
  // fraction away from zero; exact values never move.
  float y = bitsF32(0x3f80ffff);
  EXPECT_EQ(encodeMini(y, bf, sr, 0), 0x3f80u);
  EXPECT_EQ(encodeMini(y, bf, sr, ~uint64_t(0)), 0x3f81u);
  EXPECT_EQ(encodeMini(bitsF32(0x3f810000), bf, sr, ~uint64_t(0)), 0x3f81u);
  EXPECT_EQ(encodeMini(bitsF32(0x3f800001), bf, sr, ~uint64_t(0)), 0x3f81u);
  EXPECT_EQ(encodeMini(bitsF32(0x3f800001), bf, sr, ~uint64_t(0) - (1ull << 48)),
            0x3f80u); // fraction 2^-16 -> 0x0001000000000000
  // Overflow: bf16 carries into Inf, cfp8 saturates.
  EXPECT_EQ(encodeMini(bitsF32(0x7f7fffff), bf, sr, ~uint64_t(0)), 0x7f80u);
  EXPECT_EQ(encodeMini(bitsF32(0x7f7fffff), bf, sr, 0), 0x7f7fu);
  MiniFormat e4 = miniFormat(DType::CFP8_143);
  EXPECT_EQ(encodeMini(460.0f, e4, sr, ~uint64_t(0)), 0x7eu);
  EXPECT_EQ(encodeMini(1.0625f, e4, sr, half), 0x39u);
  EXPECT_EQ(encodeMini(1.0625f, e4, sr, half - 1), 0x38u);
  // Denormal target: min cfp8_143 denormal is 2^-9; 2^-11 is a quarter.
  EXPECT_EQ(encodeMini(pow2f(-11), e4, sr, (3ull << 62) - 1), 0x00u);
  EXPECT_EQ(encodeMini(pow2f(-11), e4, sr, 3ull << 62), 0x01u);
  // More than 64 dropped bits: the fraction is truncated to 64 bits.
  EXPECT_EQ(encodeMini(bitsF32(0x00000001), e4, sr, ~uint64_t(0)), 0x00u);
  MiniFormat e5 = miniFormat(DType::CFP8_152); // min denormal 2^-16
  EXPECT_EQ(encodeMini(pow2f(-70), e5, sr, ~uint64_t(0)), 0x01u); // 2^-54
  EXPECT_EQ(encodeMini(pow2f(-70), e5, sr, ~uint64_t(0) - (1ull << 10)), 0x00u);
  EXPECT_EQ(encodeMini(pow2f(-126), e5, sr, ~uint64_t(0)), 0x00u); // 2^-110
  // NaN and Inf are not rounded.
  EXPECT_EQ(encodeMini(NAN, e4, sr, 0), 0x7fu);
  // Integers.
  EXPECT_EQ(roundToInt(2.25f, -100, 100, sr, (3ull << 62) - 1), 2);
  EXPECT_EQ(roundToInt(2.25f, -100, 100, sr, 3ull << 62), 3);
  EXPECT_EQ(roundToInt(-2.25f, -100, 100, sr, 3ull << 62), -3);
  EXPECT_EQ(roundToInt(126.5f, -128, 127, sr, ~uint64_t(0)), 127);
  EXPECT_EQ(roundToInt(127.5f, -128, 127, sr, ~uint64_t(0)), 127);
  EXPECT_EQ(roundToInt(1e-30f, -8, 8, sr, ~uint64_t(0)), 0); // < 2^-64
  EXPECT_EQ(roundToInt(pow2f(-60), -8, 8, sr, ~uint64_t(0)), 1);
  // storeFromF32 uses the same rule; f32 ignores the rounding mode.
  uint8_t buf[4];
  storeFromF32(buf, DType::BF16, 0, x, {}, sr, half);
  EXPECT_EQ(loadAsF32(buf, DType::BF16, 0), bf16ToF32(0x3f81));
  storeFromF32(buf, DType::F32, 0, x, {}, sr, half);
  EXPECT_EQ(loadAsF32(buf, DType::F32, 0), x);
  storeFromF32(buf, DType::I16, 0, -7.5f, {}, sr, 0);
  EXPECT_EQ(loadAsF32(buf, DType::I16, 0), -7.0f);
}

TEST(Numerics, SrGeneratorIsSplitMix64) {
  SrRng r; // state 0: the published SplitMix64 sequence
  EXPECT_EQ(r.next(), 0xe220a8397b1dcdafull);
  EXPECT_EQ(r.next(), 0x6e789e6aa1b965f4ull);
  EXPECT_EQ(r.next(), 0x06c45d188009454full);
  // Seeding: state = mix(seed ^ mix(core + gamma)).
  SrRng a = SrRng::seeded(42, 3), b = SrRng::seeded(42, 3);
  EXPECT_EQ(a.state,
            SrRng::mix(42 ^ SrRng::mix(3 + 0x9e3779b97f4a7c15ull)));
  for (int i = 0; i < 100; ++i)
    EXPECT_EQ(a.next(), b.next());
  SrRng c = SrRng::seeded(42, 4), d = SrRng::seeded(43, 3);
  SrRng e = SrRng::seeded(42, 3);
  uint64_t v = e.next();
  EXPECT_NE(c.next(), v);
  EXPECT_NE(d.next(), v);
}

/// Mean of many stochastically rounded copies of x.
double srMean(DType t, float x, int n, uint64_t seed) {
  SrRng rng = SrRng::seeded(seed, 0);
  double sum = 0;
  uint8_t buf[4];
  for (int i = 0; i < n; ++i) {
    storeFromF32(buf, t, 0, x, {}, Rounding::Stochastic, rng.next());
    sum += loadAsF32(buf, t, 0);
  }
  return sum / n;
}

TEST(Numerics, StochasticRoundingIsUnbiased) {
  const int n = 200000;
  struct Case {
    DType t;
    float x, ulp;
  } cases[] = {
      {DType::BF16, 1.0f + 0.3f * pow2f(-7), pow2f(-7)},
      {DType::BF16, -3.0f - 0.77f * pow2f(-6), pow2f(-6)},
      {DType::CFP8_143, 1.0f + 0.1f * 0.125f, 0.125f},
      {DType::CFP8_143, 0.37f * pow2f(-9), pow2f(-9)}, // below min denormal
      {DType::CFP8_152, 100.0f, 16.0f},
      {DType::CFP16, 0.1f, pow2f(-14)},
      {DType::I8, 2.3f, 1.0f},
      {DType::I16, -1000.6f, 1.0f},
      {DType::I32, 12345.25f, 1.0f},
  };
  for (const Case &c : cases) {
    double mean = srMean(c.t, c.x, n, 7);
    // Each sample is x's lower or upper neighbour: standard deviation at
    // most ulp/2, so the mean's is ulp/(2 sqrt(n)); allow 6 sigma.
    double tol = 6 * c.ulp / (2 * std::sqrt(double(n)));
    EXPECT_NEAR(mean, double(c.x), tol) << dtypeName(c.t) << " " << c.x;
    // Round to nearest is biased for the same values (except exact ones).
    uint8_t buf[4];
    storeFromF32(buf, c.t, 0, c.x);
    EXPECT_GT(std::fabs(loadAsF32(buf, c.t, 0) - double(c.x)), tol)
        << dtypeName(c.t);
  }
  // Reproducible: the same seed gives the same sequence of results.
  EXPECT_EQ(srMean(DType::BF16, 1.1f, 1000, 99),
            srMean(DType::BF16, 1.1f, 1000, 99));
  EXPECT_NE(srMean(DType::BF16, 1.1f, 1000, 99),
            srMean(DType::BF16, 1.1f, 1000, 100));
}

TEST(Numerics, LoadStoreWithBiases) {
  Biases b;
  b.cfp8_143 = 0;
  b.cfp8_152 = 63;
  b.cfp16 = 1;
  uint8_t buf[2];
  storeFromF32(buf, DType::CFP8_143, 0, 1000.0f, b);
  EXPECT_EQ(buf[0], 0x50); // 1000 = 1.953125 * 2^9 rounds to 2^10
  EXPECT_EQ(loadAsF32(buf, DType::CFP8_143, 0, b), 1024.0f);
  storeFromF32(buf, DType::CFP8_152, 0, pow2f(-60), b);
  EXPECT_EQ(loadAsF32(buf, DType::CFP8_152, 0, b), pow2f(-60));
  storeFromF32(buf, DType::CFP16, 0, 3.0f, b);
  EXPECT_EQ(loadAsF32(buf, DType::CFP16, 0, b), 3.0f);
  EXPECT_EQ(loadAsF32(buf, DType::CFP16, 0), 3.0f * pow2f(-14)); // bias 15
  EXPECT_EQ(roundTo(DType::CFP8_143, 1000.0f), 448.0f);
  EXPECT_EQ(roundTo(DType::CFP8_143, 1000.0f, b), 1024.0f);
}

//===----------------------------------------------------------------------===//
// Vector-unit functions against libm
//===----------------------------------------------------------------------===//

/// |got - want| in units of the FP32 spacing at want (2^-149 below 2^-126).
double ulpError(float got, double want) {
  if (std::isnan(want))
    return std::isnan(got) ? 0 : INFINITY;
  if (std::isnan(got))
    return INFINITY;
  // Values from FLT_MAX + half an ulp (2^128 - 2^103) up round to Inf.
  if (std::isinf(got) && std::fabs(want) >= 0x1.ffffffp127 &&
      std::signbit(got) == std::signbit(want))
    return 0;
  if (std::isinf(want) || std::isinf(got))
    return double(got) == want ? 0 : INFINITY;
  int e;
  std::frexp(want, &e); // want = m 2^e, m in [0.5, 1)
  double ulp = std::ldexp(1.0, std::max(e - 24, -149));
  return std::fabs(double(got) - want) / ulp;
}

struct ErrStats {
  double maxUlp = 0;
  float worst = 0;
  void add(float x, float got, double want) {
    double u = ulpError(got, want);
    if (u > maxUlp) {
      maxUlp = u;
      worst = x;
    }
  }
};

/// Random FP32 values: uniform in [lo, hi] and log-uniform magnitudes.
std::vector<float> samples(float lo, float hi, bool positive, int n,
                           uint32_t seed) {
  std::mt19937 rng(seed);
  std::vector<float> v;
  for (int i = 0; i < n; ++i) {
    float x = std::uniform_real_distribution<float>(lo, hi)(rng);
    if (i % 2) {
      x = bitsF32(rng() & (positive ? 0x7fffffffu : 0xffffffffu));
      if (!(x >= lo && x <= hi))
        continue;
    }
    v.push_back(x);
  }
  return v;
}

// The bounds are the maxima measured exhaustively over every FP32 input
// (docs/isa.md 3.6: exp 1.0226, log 0.8399, tanh 1.4587, rsqrt 1.4903, erf
// 0.6996 ulp); the tests sample 2.5 million inputs each plus the special
// cases.
TEST(NumericsVector, ExpAccuracy) {
  ErrStats s;
  for (float x : samples(-104.0f, 88.72f, false, 2000000, 1))
    s.add(x, expF32(x), std::exp(double(x)));
  EXPECT_LE(s.maxUlp, 1.023) << "worst at " << s.worst;
  EXPECT_EQ(expF32(0.0f), 1.0f);
  EXPECT_EQ(expF32(-0.0f), 1.0f);
  EXPECT_EQ(expF32(INFINITY), INFINITY);
  EXPECT_EQ(f32Bits(expF32(-INFINITY)), 0u);
  EXPECT_TRUE(std::isnan(expF32(NAN)));
  EXPECT_EQ(expF32(88.8f), INFINITY);
  EXPECT_TRUE(std::isfinite(expF32(88.72f)));
  EXPECT_EQ(expF32(-104.0f), 0.0f);
  EXPECT_GT(expF32(-103.0f), 0.0f); // denormal result
  EXPECT_LT(expF32(-103.0f), FLT_MIN);
  EXPECT_EQ(expF32(1.0f), 2.71828183f);
}

TEST(NumericsVector, LogAccuracy) {
  ErrStats s;
  for (float x : samples(0.0f, FLT_MAX, true, 2000000, 2))
    s.add(x, logF32(x), std::log(double(x)));
  for (float x : samples(0.5f, 2.0f, true, 500000, 3))
    s.add(x, logF32(x), std::log(double(x)));
  EXPECT_LE(s.maxUlp, 0.840) << "worst at " << s.worst;
  EXPECT_EQ(f32Bits(logF32(1.0f)), 0u);
  EXPECT_EQ(logF32(0.0f), -INFINITY);
  EXPECT_EQ(logF32(-0.0f), -INFINITY);
  EXPECT_TRUE(std::isnan(logF32(-1.0f)));
  EXPECT_TRUE(std::isnan(logF32(-INFINITY)));
  EXPECT_TRUE(std::isnan(logF32(NAN)));
  EXPECT_EQ(logF32(INFINITY), INFINITY);
  EXPECT_LE(ulpError(logF32(bitsF32(1)), std::log(double(bitsF32(1)))), 1.0);
  EXPECT_EQ(logF32(2.0f), 0.693147182f);
}

TEST(NumericsVector, TanhAccuracy) {
  ErrStats s;
  for (float x : samples(-12.0f, 12.0f, false, 2000000, 4))
    s.add(x, tanhF32(x), std::tanh(double(x)));
  for (float x : samples(-1.0f, 1.0f, false, 500000, 5))
    s.add(x, tanhF32(x), std::tanh(double(x)));
  EXPECT_LE(s.maxUlp, 1.459) << "worst at " << s.worst;
  EXPECT_EQ(f32Bits(tanhF32(0.0f)), 0u);
  EXPECT_EQ(f32Bits(tanhF32(-0.0f)), 0x80000000u);
  EXPECT_EQ(tanhF32(INFINITY), 1.0f);
  EXPECT_EQ(tanhF32(-INFINITY), -1.0f);
  EXPECT_EQ(tanhF32(50.0f), 1.0f);
  EXPECT_TRUE(std::isnan(tanhF32(NAN)));
  EXPECT_EQ(tanhF32(1e-20f), 1e-20f);
  for (float x = -10.0f; x <= 10.0f; x += 0.01f) // odd and monotonic
    EXPECT_EQ(tanhF32(-x), -tanhF32(x));
}

TEST(NumericsVector, ErfAccuracy) {
  ErrStats s;
  for (float x : samples(-4.5f, 4.5f, false, 2000000, 7))
    s.add(x, erfF32(x), std::erf(double(x)));
  // The seams: 2^-60 (one step), 1/2 (odd polynomial | pieces), the piece
  // boundaries 3/4, 1, ..., 15/4, and 3.9192 (erf rounds to 1), each with
  // the 64 FP32 neighbours on either side.
  std::vector<float> seams = {pow2f(-60), pow2f(-126), 0.5f, 3.9192059f};
  for (int i = 3; i <= 15; ++i)
    seams.push_back(float(i) / 4.0f);
  for (float c : seams) {
    float lo = c, hi = c;
    for (int k = 0; k < 64; ++k) {
      lo = std::nextafter(lo, 0.0f);
      hi = std::nextafter(hi, INFINITY);
      s.add(lo, erfF32(lo), std::erf(double(lo)));
      s.add(hi, erfF32(hi), std::erf(double(hi)));
    }
  }
  for (float x : samples(0.0f, 1e-10f, true, 500000, 8)) // tiny and denormal
    s.add(x, erfF32(x), std::erf(double(x)));
  EXPECT_LE(s.maxUlp, 0.700) << "worst at " << s.worst;
  EXPECT_EQ(f32Bits(erfF32(0.0f)), 0u);
  EXPECT_EQ(f32Bits(erfF32(-0.0f)), 0x80000000u);
  EXPECT_EQ(erfF32(INFINITY), 1.0f);
  EXPECT_EQ(erfF32(-INFINITY), -1.0f);
  EXPECT_EQ(erfF32(3.92f), 1.0f);
  EXPECT_LT(erfF32(3.9f), 1.0f);
  EXPECT_TRUE(std::isnan(erfF32(NAN)));
  EXPECT_EQ(erfF32(bitsF32(1)), bitsF32(1)); // 2^-149 * 1.128 rounds down
  EXPECT_EQ(erfF32(bitsF32(2)), bitsF32(2));
  EXPECT_EQ(erfF32(bitsF32(4)), bitsF32(5));
  EXPECT_EQ(erfF32(1.0f), 0.842700779f);
  for (float x = -5.0f; x <= 5.0f; x += 0.01f) // odd
    EXPECT_EQ(f32Bits(erfF32(-x)), f32Bits(erfF32(x)) ^ 0x80000000u);
  float prev = -1.0f; // monotonic on a dense grid
  for (float x = -4.0f; x <= 4.0f; x += 1.0f / 4096) {
    EXPECT_GE(erfF32(x), prev) << x;
    prev = erfF32(x);
  }
}

// The default bias CSRs make the CFP8 formats MLIR's f8E4M3FN (cfp8_143,
// bias 7) and f8E5M2 (cfp8_152, bias 15) value for value; the compiler
// spells CFP8 tensors with those types (docs/dialects.md).
TEST(Numerics, Cfp8DefaultsAreTheF8Formats) {
  Biases d;
  EXPECT_EQ(d.cfp8_143, 7);
  EXPECT_EQ(d.cfp8_152, 15);
  auto dec = [](DType t, uint8_t c) { return loadAsF32(&c, t, 0); };
  auto enc = [](DType t, float v) {
    uint8_t c = 0;
    storeFromF32(&c, t, 0, v);
    return c;
  };
  EXPECT_EQ(dec(DType::CFP8_143, 0x7e), 448.0f);
  EXPECT_EQ(dec(DType::CFP8_143, 0x08), pow2f(-6));
  EXPECT_EQ(dec(DType::CFP8_143, 0x01), pow2f(-9));
  EXPECT_TRUE(std::isnan(dec(DType::CFP8_143, 0x7f)));
  EXPECT_TRUE(std::isnan(dec(DType::CFP8_143, 0xff)));
  EXPECT_EQ(dec(DType::CFP8_143, 0xfe), -448.0f);
  EXPECT_EQ(dec(DType::CFP8_152, 0x7b), 57344.0f);
  EXPECT_EQ(dec(DType::CFP8_152, 0x04), pow2f(-14));
  EXPECT_EQ(dec(DType::CFP8_152, 0x01), pow2f(-16));
  EXPECT_EQ(dec(DType::CFP8_152, 0x7c), INFINITY);
  EXPECT_EQ(dec(DType::CFP8_152, 0xfc), -INFINITY);
  for (uint8_t c : {0x7d, 0x7e, 0x7f, 0xfd, 0xfe, 0xff})
    EXPECT_TRUE(std::isnan(dec(DType::CFP8_152, c)));
  // The machine's conversions: saturating overflow in both formats.
  EXPECT_EQ(enc(DType::CFP8_143, 1e6f), 0x7e);
  EXPECT_EQ(enc(DType::CFP8_143, -INFINITY), 0xfe);
  EXPECT_EQ(enc(DType::CFP8_143, 464.0f), 0x7e);
  EXPECT_EQ(enc(DType::CFP8_152, 1e6f), 0x7b);
  EXPECT_EQ(enc(DType::CFP8_152, INFINITY), 0x7c);
  EXPECT_EQ(enc(DType::CFP8_152, NAN), 0x7e);
  EXPECT_EQ(enc(DType::CFP8_143, NAN), 0x7f);
  EXPECT_EQ(enc(DType::CFP8_143, pow2f(-10)), 0x00); // half the min: even
  EXPECT_EQ(enc(DType::CFP8_143, 3 * pow2f(-11)), 0x01);
}

TEST(NumericsVector, RsqrtFmaAccuracy) {
  ErrStats s;
  for (float x : samples(0.0f, INFINITY, true, 2000000, 6))
    s.add(x, rsqrtF32(x), 1.0 / std::sqrt(double(x)));
  EXPECT_LE(s.maxUlp, 1.491) << "worst at " << s.worst;
  EXPECT_EQ(rsqrtF32(0.0f), INFINITY);
  EXPECT_EQ(rsqrtF32(-0.0f), -INFINITY);
  EXPECT_EQ(rsqrtF32(INFINITY), 0.0f);
  EXPECT_TRUE(std::isnan(rsqrtF32(-1.0f)));
  EXPECT_EQ(rsqrtF32(4.0f), 0.5f);
  // fma rounds once: (1 + 2^-12)^2 - 1 keeps the 2^-24 term.
  float a = 1.0f + pow2f(-12);
  EXPECT_EQ(fmaF32(a, a, -1.0f), pow2f(-11) + pow2f(-24));
  EXPECT_EQ(a * a - 1.0f, pow2f(-11)); // separate roundings lose it
}

// The exhaustive measurement behind the documented bounds (a few minutes):
// dojo-unittests --gtest_also_run_disabled_tests
//                --gtest_filter=NumericsVector.DISABLED_Exhaustive
TEST(NumericsVector, DISABLED_Exhaustive) {
  ErrStats e, l, t, r, f;
  for (uint64_t u = 0; u <= 0xffffffffull; ++u) {
    float x = bitsF32(uint32_t(u));
    e.add(x, expF32(x), std::exp(double(x)));
    l.add(x, logF32(x), std::log(double(x)));
    t.add(x, tanhF32(x), std::tanh(double(x)));
    r.add(x, rsqrtF32(x), 1.0 / std::sqrt(double(x)));
    f.add(x, erfF32(x), std::erf(double(x)));
  }
  EXPECT_LE(e.maxUlp, 1.023) << e.worst;
  EXPECT_LE(l.maxUlp, 0.840) << l.worst;
  EXPECT_LE(t.maxUlp, 1.459) << t.worst;
  EXPECT_LE(r.maxUlp, 1.491) << r.worst;
  EXPECT_LE(f.maxUlp, 0.700) << f.worst;
  std::printf("max ulp: exp %.4f log %.4f tanh %.4f rsqrt %.4f erf %.4f\n",
              e.maxUlp, l.maxUlp, t.maxUlp, r.maxUlp, f.maxUlp);
}

} // namespace
