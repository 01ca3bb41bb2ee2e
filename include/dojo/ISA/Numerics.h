//===- Numerics.h - Number formats shared by simulator and reference ------===//
//
// The reference interpreter and the simulator both use these routines, so the
// two agree bit for bit wherever they implement the same arithmetic.
//
// BF16 <- FP32 rounds to nearest, ties to even. NaN stays NaN (quiet, sign
// kept); +-Inf and values that round past the largest BF16 become +-Inf.
// Denormals are kept (no flush to zero).
//
//===----------------------------------------------------------------------===//

#ifndef DOJO_ISA_NUMERICS_H
#define DOJO_ISA_NUMERICS_H

#include <cstdint>
#include <cstring>
#include <initializer_list>

namespace dojo::num {

inline uint32_t f32Bits(float f) {
  uint32_t u;
  std::memcpy(&u, &f, 4);
  return u;
}
inline float bitsF32(uint32_t u) {
  float f;
  std::memcpy(&f, &u, 4);
  return f;
}

/// FP32 -> BF16 bits, round to nearest even.
inline uint16_t f32ToBf16(float f) {
  uint32_t u = f32Bits(f);
  if ((u & 0x7f800000u) == 0x7f800000u && (u & 0x007fffffu) != 0)
    return static_cast<uint16_t>((u >> 16) | 0x0040u); // quiet NaN
  uint32_t lsb = (u >> 16) & 1u;
  u += 0x7fffu + lsb;
  return static_cast<uint16_t>(u >> 16);
}

/// BF16 bits -> FP32 (exact).
inline float bf16ToF32(uint16_t b) { return bitsF32(uint32_t(b) << 16); }

/// Rounds an FP32 value to the nearest BF16 value, kept in FP32.
inline float roundBf16(float f) { return bf16ToF32(f32ToBf16(f)); }

/// Element types of the machine, as encoded in instructions and program files.
enum class DType : uint8_t { F32 = 0, BF16 = 1, I32 = 2, I8 = 3 };

inline int64_t dtypeBytes(DType t) {
  switch (t) {
  case DType::F32:
  case DType::I32:
    return 4;
  case DType::BF16:
    return 2;
  case DType::I8:
    return 1;
  }
  return 0;
}
inline const char *dtypeName(DType t) {
  switch (t) {
  case DType::F32:
    return "f32";
  case DType::BF16:
    return "bf16";
  case DType::I32:
    return "i32";
  case DType::I8:
    return "i8";
  }
  return "?";
}
inline bool parseDType(const char *s, DType &t) {
  for (DType d : {DType::F32, DType::BF16, DType::I32, DType::I8})
    if (std::strcmp(s, dtypeName(d)) == 0) {
      t = d;
      return true;
    }
  return false;
}

/// Loads element `i` of a buffer of type `t` as FP32 (exact for f32/bf16).
inline float loadAsF32(const uint8_t *base, DType t, int64_t i) {
  switch (t) {
  case DType::F32: {
    float f;
    std::memcpy(&f, base + 4 * i, 4);
    return f;
  }
  case DType::BF16: {
    uint16_t b;
    std::memcpy(&b, base + 2 * i, 2);
    return bf16ToF32(b);
  }
  case DType::I32: {
    int32_t v;
    std::memcpy(&v, base + 4 * i, 4);
    return static_cast<float>(v);
  }
  case DType::I8:
    return static_cast<float>(static_cast<int8_t>(base[i]));
  }
  return 0.0f;
}

/// Stores an FP32 value as element `i` of type `t` (BF16: round to nearest
/// even; integers: round to nearest, saturating).
inline void storeFromF32(uint8_t *base, DType t, int64_t i, float v) {
  switch (t) {
  case DType::F32:
    std::memcpy(base + 4 * i, &v, 4);
    return;
  case DType::BF16: {
    uint16_t b = f32ToBf16(v);
    std::memcpy(base + 2 * i, &b, 2);
    return;
  }
  case DType::I32: {
    double r = v != v ? 0.0 : __builtin_nearbyint(v);
    int32_t x = r > 2147483647.0    ? 2147483647
                : r < -2147483648.0 ? (int32_t)-2147483647 - 1
                                    : (int32_t)r;
    std::memcpy(base + 4 * i, &x, 4);
    return;
  }
  case DType::I8: {
    double r = v != v ? 0.0 : __builtin_nearbyint(v);
    int8_t x = r > 127.0 ? 127 : r < -128.0 ? -128 : (int8_t)r;
    base[i] = static_cast<uint8_t>(x);
    return;
  }
  }
}

} // namespace dojo::num

#endif // DOJO_ISA_NUMERICS_H
