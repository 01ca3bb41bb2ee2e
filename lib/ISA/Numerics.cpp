//===- Numerics.cpp - Number formats shared by simulator and reference ----===//
//
// Compiled with -ffp-contract=off: every FP32 operation below rounds on its
// own, so the results are the same on every host and compiler (the vector
// functions use only IEEE +, -, *, /, sqrt and fma, never libm's exp/log).
// See Numerics.h and docs/isa.md section 3 for the specification.
//===----------------------------------------------------------------------===//

#include "dojo/ISA/Numerics.h"

#include <algorithm>
#include <cmath>

using namespace dojo;
using namespace dojo::num;

int64_t num::dtypeBytes(DType t) {
  switch (t) {
  case DType::F32:
  case DType::I32:
    return 4;
  case DType::BF16:
  case DType::CFP16:
  case DType::I16:
    return 2;
  case DType::I8:
  case DType::CFP8_143:
  case DType::CFP8_152:
    return 1;
  }
  return 0;
}

const char *num::dtypeName(DType t) {
  switch (t) {
  case DType::F32:
    return "f32";
  case DType::BF16:
    return "bf16";
  case DType::I32:
    return "i32";
  case DType::I8:
    return "i8";
  case DType::CFP8_143:
    return "cfp8_143";
  case DType::CFP8_152:
    return "cfp8_152";
  case DType::CFP16:
    return "cfp16";
  case DType::I16:
    return "i16";
  }
  return "?";
}

bool num::parseDType(const char *s, DType &t) {
  for (int i = 0; i < kNumDTypes; ++i)
    if (std::strcmp(s, dtypeName(DType(i))) == 0) {
      t = DType(i);
      return true;
    }
  return false;
}

MiniFormat num::miniFormat(DType t, const Biases &b) {
  switch (t) {
  case DType::CFP8_143:
    return {4, 3, b.cfp8_143, false, true};
  case DType::CFP8_152:
    return {5, 2, b.cfp8_152, true, true};
  case DType::CFP16:
    return {5, 10, b.cfp16, true, false};
  default: // BF16
    return {8, 7, 127, true, false};
  }
}

namespace {

/// 2^e as an FP32 value, e in [-149, 127] (exact).
float pow2(int e) {
  if (e >= -126)
    return bitsF32(uint32_t(e + 127) << 23);
  return bitsF32(uint32_t(1) << (e + 149));
}

/// |x| = sig * 2^e2 with sig < 2^24 (x finite, nonzero).
void decompose(uint32_t u, uint32_t &sig, int &e2) {
  uint32_t e = (u >> 23) & 0xff, m = u & 0x7fffff;
  if (e == 0) {
    sig = m;
    e2 = -149;
  } else {
    sig = m | 0x800000;
    e2 = int(e) - 150;
  }
}

/// floor(sig / 2^k) rounded by `rnd` using the k dropped bits (k >= 1).
uint64_t roundShift(uint32_t sig, int k, Rounding rnd, uint64_t draw) {
  uint64_t kept = k >= 32 ? 0 : uint64_t(sig >> k);
  if (rnd == Rounding::NearestEven) {
    if (k <= 25) {
      uint32_t rem = sig & ((uint32_t(1) << k) - 1);
      uint32_t half = uint32_t(1) << (k - 1);
      if (rem > half || (rem == half && (kept & 1)))
        ++kept;
    }
    return kept;
  }
  // Stochastic: the dropped fraction as a 64-bit fixed-point number
  // (truncated when more than 64 bits are dropped) plus the draw; a carry
  // out of the fraction rounds the magnitude up.
  uint64_t frac;
  if (k <= 64) {
    uint64_t mask = k == 64 ? ~uint64_t(0) : (uint64_t(1) << k) - 1;
    frac = (uint64_t(sig) & mask) << (64 - k);
  } else {
    frac = k - 64 >= 32 ? 0 : uint64_t(sig) >> (k - 64);
  }
  uint64_t sum;
  if (__builtin_add_overflow(frac, draw, &sum))
    ++kept;
  return kept;
}

} // namespace

uint32_t num::encodeMini(float x, const MiniFormat &f, Rounding rnd,
                         uint64_t draw) {
  const uint32_t u = f32Bits(x);
  const uint32_t sign = (u >> 31) << (f.ebits + f.mbits);
  const uint32_t expAll = (uint32_t(1) << f.ebits) - 1;
  const uint32_t mantAll = (uint32_t(1) << f.mbits) - 1;
  const uint32_t maxCode = f.ieee ? ((expAll - 1) << f.mbits) | mantAll
                                  : (expAll << f.mbits) | (mantAll - 1);
  const uint32_t infCode = f.ieee ? expAll << f.mbits : maxCode;
  const uint32_t nanCode = f.ieee
                               ? (expAll << f.mbits) | (uint32_t(1) << (f.mbits - 1))
                               : (expAll << f.mbits) | mantAll;
  if ((u & 0x7f800000u) == 0x7f800000u)
    return sign | ((u & 0x7fffffu) ? nanCode : infCode);
  if ((u & 0x7fffffffu) == 0)
    return sign;
  uint32_t sig;
  int e2;
  decompose(u, sig, e2);
  const int lead = 31 - __builtin_clz(sig) + e2; // floor(log2 |x|)
  int q = std::max(lead - f.mbits, 1 - f.bias - f.mbits);
  uint64_t kept = e2 >= q ? uint64_t(sig) << (e2 - q)
                          : roundShift(sig, q - e2, rnd, draw);
  if (kept == 0)
    return sign;
  if (kept < (uint64_t(1) << f.mbits))
    return sign | uint32_t(kept); // denormal
  if (kept >= (uint64_t(2) << f.mbits)) { // rounding carried into a new binade
    kept >>= 1;
    ++q;
  }
  const int64_t field = int64_t(q) + f.mbits + f.bias;
  const uint64_t code = (uint64_t(field) << f.mbits) | (kept & mantAll);
  if (code > maxCode)
    return sign | (f.saturate ? maxCode : infCode);
  return sign | uint32_t(code);
}

float num::decodeMini(uint32_t code, const MiniFormat &f) {
  const uint32_t expAll = (uint32_t(1) << f.ebits) - 1;
  const uint32_t mantAll = (uint32_t(1) << f.mbits) - 1;
  const uint32_t s = (code >> (f.ebits + f.mbits)) & 1;
  const uint32_t field = (code >> f.mbits) & expAll, mant = code & mantAll;
  const uint32_t signBit = s << 31;
  if ((f.ieee && field == expAll) ||
      (!f.ieee && field == expAll && mant == mantAll))
    return bitsF32(signBit |
                   (f.ieee && mant == 0 ? 0x7f800000u : 0x7fc00000u));
  float v = field == 0
                ? float(mant) * pow2(1 - f.bias - f.mbits)
                : float(mant | (mantAll + 1)) *
                      pow2(int(field) - f.bias - f.mbits);
  return s ? -v : v;
}

float num::maxFinite(const MiniFormat &f) {
  const uint32_t expAll = (uint32_t(1) << f.ebits) - 1;
  const uint32_t mantAll = (uint32_t(1) << f.mbits) - 1;
  return decodeMini(f.ieee ? ((expAll - 1) << f.mbits) | mantAll
                           : (expAll << f.mbits) | (mantAll - 1),
                    f);
}

int64_t num::roundToInt(float x, int64_t lo, int64_t hi, Rounding rnd,
                        uint64_t draw) {
  const uint32_t u = f32Bits(x);
  if ((u & 0x7f800000u) == 0x7f800000u)
    return (u & 0x7fffffu) ? 0 : (u >> 31 ? lo : hi);
  if ((u & 0x7fffffffu) == 0)
    return 0;
  uint32_t sig;
  int e2;
  decompose(u, sig, e2);
  uint64_t mag;
  if (e2 >= 0)
    mag = e2 > 39 ? (uint64_t(1) << 63) : uint64_t(sig) << e2;
  else
    mag = roundShift(sig, -e2, rnd, draw);
  if (u >> 31)
    return mag > uint64_t(-lo) ? lo : -int64_t(mag);
  return mag > uint64_t(hi) ? hi : int64_t(mag);
}

float num::loadAsF32(const uint8_t *base, DType t, int64_t i,
                     const Biases &b) {
  switch (t) {
  case DType::F32: {
    float f;
    std::memcpy(&f, base + 4 * i, 4);
    return f;
  }
  case DType::BF16: {
    uint16_t h;
    std::memcpy(&h, base + 2 * i, 2);
    return bf16ToF32(h);
  }
  case DType::I32: {
    int32_t v;
    std::memcpy(&v, base + 4 * i, 4);
    return static_cast<float>(v);
  }
  case DType::I16: {
    int16_t v;
    std::memcpy(&v, base + 2 * i, 2);
    return static_cast<float>(v);
  }
  case DType::I8:
    return static_cast<float>(static_cast<int8_t>(base[i]));
  case DType::CFP8_143:
  case DType::CFP8_152:
    return decodeMini(base[i], miniFormat(t, b));
  case DType::CFP16: {
    uint16_t h;
    std::memcpy(&h, base + 2 * i, 2);
    return decodeMini(h, miniFormat(t, b));
  }
  }
  return 0.0f;
}

void num::storeFromF32(uint8_t *base, DType t, int64_t i, float v,
                       const Biases &b, Rounding rnd, uint64_t draw) {
  switch (t) {
  case DType::F32:
    std::memcpy(base + 4 * i, &v, 4);
    return;
  case DType::BF16: {
    uint16_t h = rnd == Rounding::NearestEven || v != v
                     ? f32ToBf16(v)
                     : uint16_t(encodeMini(v, miniFormat(t), rnd, draw));
    std::memcpy(base + 2 * i, &h, 2);
    return;
  }
  case DType::CFP16: {
    uint16_t h = uint16_t(encodeMini(v, miniFormat(t, b), rnd, draw));
    std::memcpy(base + 2 * i, &h, 2);
    return;
  }
  case DType::CFP8_143:
  case DType::CFP8_152:
    base[i] = uint8_t(encodeMini(v, miniFormat(t, b), rnd, draw));
    return;
  case DType::I32: {
    int32_t x = int32_t(roundToInt(v, INT32_MIN, INT32_MAX, rnd, draw));
    std::memcpy(base + 4 * i, &x, 4);
    return;
  }
  case DType::I16: {
    int16_t x = int16_t(roundToInt(v, INT16_MIN, INT16_MAX, rnd, draw));
    std::memcpy(base + 2 * i, &x, 2);
    return;
  }
  case DType::I8:
    base[i] = uint8_t(int8_t(roundToInt(v, INT8_MIN, INT8_MAX, rnd, draw)));
    return;
  }
}

float num::roundTo(DType t, float v, const Biases &b) {
  uint8_t buf[4];
  storeFromF32(buf, t, 0, v, b);
  return loadAsF32(buf, t, 0, b);
}

//===----------------------------------------------------------------------===//
// Vector-unit functions
//===----------------------------------------------------------------------===//

namespace {
// ln 2 split so that n * kLn2Hi is exact for |n| < 2^9 (15 significant bits).
const float kLn2Hi = bitsF32(0x3f317200); // 0.693145751953125
const float kLn2Lo = bitsF32(0x35bfbe8e); // 1.42860677e-06
const float kLog2e = bitsF32(0x3fb8aa3b); // 1.44269502
const float kQNaN = bitsF32(0x7fc00000);

float copySign(float mag, float sign) {
  return bitsF32((f32Bits(mag) & 0x7fffffffu) | (f32Bits(sign) & 0x80000000u));
}
} // namespace

float num::expF32(float x) {
  if (x != x)
    return x + x;
  if (x > 89.0f)
    return bitsF32(0x7f800000);
  if (x < -104.0f)
    return 0.0f;
  // x = n ln2 + r, |r| <= ~ln2/2; exp(x) = 2^n exp(r).
  const float t = x * kLog2e;
  const int n = int(t + (t >= 0.0f ? 0.5f : -0.5f));
  const float fn = float(n);
  const float r = (x - fn * kLn2Hi) - fn * kLn2Lo;
  // exp(r) = 1 + r + r^2 (1/2 + r/6 + ... + r^5/5040), Taylor to degree 7.
  float q = 1.0f / 5040.0f;
  q = q * r + 1.0f / 720.0f;
  q = q * r + 1.0f / 120.0f;
  q = q * r + 1.0f / 24.0f;
  q = q * r + 1.0f / 6.0f;
  q = q * r + 0.5f;
  const float p = 1.0f + (r + (r * r) * q);
  // Scale by 2^n: one rounding at most (in the denormal range).
  if (n > 127)
    return p * pow2(127) * pow2(n - 127);
  if (n < -126)
    return p * pow2(n + 100) * pow2(-100);
  return p * pow2(n);
}

float num::logF32(float x) {
  uint32_t u = f32Bits(x);
  if (x != x)
    return x + x;
  if (u & 0x80000000u)
    return (u & 0x7fffffffu) ? kQNaN : bitsF32(0xff800000); // log(-0) = -inf
  if (u == 0)
    return bitsF32(0xff800000);
  if (u == 0x7f800000u)
    return x;
  int k = 0;
  if (u < 0x00800000u) { // denormal: scale into the normal range (exact)
    x = x * pow2(25);
    u = f32Bits(x);
    k = -25;
  }
  k += int(u >> 23) - 127;
  u &= 0x7fffff;
  // m in [sqrt(2)/2, sqrt(2)).
  float m = bitsF32(u | 0x3f800000u);
  if (u > 0x3504f3u) {
    m = bitsF32(u | 0x3f000000u);
    ++k;
  }
  // log(m) = log(1 + f), f = m - 1 (exact), with s = f / (2 + f):
  // log(1+f) = f - f^2/2 + s (f^2/2 + R(s^2)), fdlibm's logf coefficients.
  const float f = m - 1.0f;
  const float s = f / (2.0f + f);
  const float z = s * s, w = z * z;
  const float t1 = w * (bitsF32(0x3ecccccd) +
                        w * (bitsF32(0x3e638e29) + w * bitsF32(0x3e1cd04f)));
  const float t2 =
      z * (bitsF32(0x3f2aaaab) +
           w * (bitsF32(0x3e924925) +
                w * (bitsF32(0x3e3a3325) + w * bitsF32(0x3e178897))));
  const float rr = t2 + t1;
  const float hfsq = 0.5f * f * f;
  const float dk = float(k);
  return dk * kLn2Hi - ((hfsq - (s * (hfsq + rr) + dk * kLn2Lo)) - f);
}

float num::tanhF32(float x) {
  if (x != x)
    return x + x;
  const float a = bitsF32(f32Bits(x) & 0x7fffffffu);
  if (a < pow2(-12))
    return x; // tanh x = x (1 - x^2/3 + ...) rounds to x; keeps -0
  float r;
  if (a >= 9.125f) {
    r = 1.0f;
  } else if (a < 0.55f) {
    // Odd Taylor series, terms up to x^21 (the first omitted term is below
    // 2^-33 relative).
    const float z = a * a;
    float p = float(18888466084.0 / 194896477400625.0);
    p = p * z - float(443861162.0 / 1856156927625.0);
    p = p * z + float(6404582.0 / 10854718875.0);
    p = p * z - float(929569.0 / 638512875.0);
    p = p * z + float(21844.0 / 6081075.0);
    p = p * z - float(1382.0 / 155925.0);
    p = p * z + float(62.0 / 2835.0);
    p = p * z - float(17.0 / 315.0);
    p = p * z + float(2.0 / 15.0);
    p = p * z - float(1.0 / 3.0);
    r = a + a * (z * p);
  } else {
    r = 1.0f - 2.0f / (expF32(2.0f * a) + 1.0f);
  }
  return copySign(r, x);
}

// erf: |x| < 2^-60 one step, |x| < 1/2 an odd polynomial, 1/2 <= |x| <
// 3.92 fourteen polynomial pieces about a two-float erf(c), beyond that 1.
// The coefficients are Chebyshev fits (mpmath chebyfit, 50 digits) rounded
// to FP32; docs/isa.md 3.6 gives the measured error.
namespace {
// |x| < 1/2: erf x = x + x Q(x^2), Q(z) ~ erf(sqrt z) / sqrt z - 1 of degree
// 5 (Chebyshev fit on z in [0, 1/4]; highest degree first).
const uint32_t kErfSmall[6] = {
    0xba49b525, 0x3baa683b, 0xbcdc1018,
    0x3de71779, 0xbec093a3, 0x3e0375d4};
// 1/2 <= |x| < 3.92: 14 pieces of width 1/4, piece i about c = 5/8 + i/4:
// {E_hi, E_lo, R...}: erf(c) ~ E_hi + E_lo (two floats) and
// R(t) ~ (erf(c + t) - erf(c)) / t of degree 6 on [-1/8, 1/8] (Chebyshev
// fit; highest degree first); erf(c + t) = E_hi + (E_lo + t R(t)).
const uint32_t kErfPiece[14][9] = {
    {0x3f1f8cb7, 0xb1cbc3b3, 0x3c62479e, 0xbd2899e8, 0xbce09078,
     0x3e34b185, 0xbd640828, 0xbef451e2, 0x3f4374b5}, // c = 0.625
    {0x3f48b925, 0xb2ae4704, 0x3c979bbe, 0xbc2aaf5f, 0xbd89a81d,
     0x3de63060, 0x3dbe4ebb, 0xbeeb15f6, 0x3f0655b1}, // c = 0.875
    {0x3f636d69, 0x32829ec6, 0x3c1d3c88, 0x3c7bdd13, 0xbd7b2e76,
     0x3ce52af2, 0x3e2659e8, 0xbeb75368, 0x3ea2f4ce}, // c = 1.125
    {0x3f72bb46, 0x31ed28ff, 0xbab45e28, 0x3cb4977f, 0xbcfaba16,
     0xbcf9da83, 0x3e21ba6c, 0xbe6fddd7, 0x3e2e72cb}, // c = 1.375
    {0x3f7a7b4a, 0xb2130851, 0xbbc96255, 0x3c6be90f, 0xbb0bef24,
     0xbd4ba5e0, 0x3deb318f, 0xbe05e7e5, 0x3da4cea4}, // c = 1.625
    {0x3f7df30f, 0x32ef4cf7, 0xbba12af1, 0x3b87cb2f, 0x3c3bcd3c,
     0xbd2d1904, 0x3d8a1e8e, 0xbd80d0e4, 0x3d09675a}, // c = 1.875
    {0x3f7f5211, 0xb26534d7, 0xbaf60a0b, 0xbae9c972, 0x3c4cba1c,
     0xbcd7f348, 0x3d07523b, 0xbcd6d439, 0x3c4a3127}, // c = 2.125
    {0x3f7fccb0, 0x32f3eb32, 0x38ef3207, 0xbb4b048a, 0x3c08edbf,
     0xbc572d39, 0x3c60f608, 0xbc1be66a, 0x3b8348c6}, // c = 2.375
    {0x3f7ff28a, 0x32bbdc19, 0x3a3163e5, 0xbb132f10, 0x3b8a366c,
     0xbbb16a74, 0x3ba03fde, 0xbb4578a4, 0x3a96744c}, // c = 2.625
    {0x3f7ffcdd, 0x32041d07, 0x3a0a7197, 0xba95ea61, 0x3ae08fb2,
     0xbaf6a46d, 0x3ac4f0be, 0xba5abc10, 0x399829c8}, // c = 2.875
    {0x3f7fff5a, 0xb1226cc2, 0x398c136e, 0xb9eebcc6, 0x3a173ede,
     0xba122890, 0x39d1b9bf, 0xb9543389, 0x3887cf0e}, // c = 3.125
    {0x3f7fffe2, 0xb2e92613, 0x38d784c8, 0xb91b1891, 0x392bb984,
     0xb914c4a0, 0x38c22919, 0xb83482c9, 0x3755f04f}, // c = 3.375
    {0x3f7ffffb, 0x31461ed3, 0x380555b6, 0xb8281c04, 0x38260da3,
     0xb802b664, 0x379ca592, 0xb706c444, 0x3614b538}, // c = 3.625
    {0x3f7fffff, 0x3292ced9, 0x37085f8a, 0xb71a0bfe, 0x3709b585,
     0xb6c70513, 0x365cafd8, 0xb5b0bd64, 0x34b670d5}, // c = 3.875
};
} // namespace

float num::erfF32(float x) {
  if (x != x)
    return x + x;
  const float a = bitsF32(f32Bits(x) & 0x7fffffffu);
  float r;
  if (a < pow2(-60)) {
    // erf x = x + x (2/sqrt(pi) - 1): x^2 is far below half an ulp.
    const float c = bitsF32(kErfSmall[5]);
    if (a < pow2(-126)) {
      r = a + a * c; // denormal: the product rounds on the denormal grid,
                     // the sum is exact
    } else {
      const float s = a * pow2(64); // exact scaling both ways keeps the
      r = (s + s * c) * pow2(-64);  // product's bits
    }
  } else if (a < 0.5f) {
    const float z = a * a;
    float q = bitsF32(kErfSmall[0]);
    for (int i = 1; i < 6; ++i)
      q = q * z + bitsF32(kErfSmall[i]);
    r = a + a * q;
  } else if (a < 3.9192059f) {
    // a - 1/2 is exact (a multiple of ulp(a), below a), and so is t.
    const int i = int((a - 0.5f) * 4.0f);
    const uint32_t *c = kErfPiece[i];
    const float t = a - (0.625f + 0.25f * float(i));
    float p = bitsF32(c[2]);
    for (int k = 3; k < 9; ++k)
      p = p * t + bitsF32(c[k]);
    r = bitsF32(c[0]) + (bitsF32(c[1]) + t * p);
  } else {
    r = 1.0f; // erfc(x) < 2^-25: erf(x) rounds to 1
  }
  return copySign(r, x);
}

float num::rsqrtF32(float x) { return 1.0f / __builtin_sqrtf(x); }

float num::fmaF32(float a, float b, float c) { return __builtin_fmaf(a, b, c); }
