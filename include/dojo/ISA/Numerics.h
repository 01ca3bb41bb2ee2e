//===- Numerics.h - Number formats shared by simulator and reference ------===//
//
// The reference interpreter and the simulator both use these routines, so the
// two agree bit for bit wherever they implement the same arithmetic. The
// exact rules are specified in docs/isa.md, section 3; in short:
//
//  * f32: IEEE binary32. bf16: the top half of an f32 (1-8-7, bias 127).
//  * cfp8_143 (1-4-3), cfp8_152 (1-5-2), cfp16 (1-5-10): sign, exponent,
//    mantissa with a configurable exponent bias 0..63 (the CSRs
//    cfp8_bias143 = 7, cfp8_bias152 = 15, cfp16_bias = 15 by default).
//    Denormals are kept (exponent field 0: value = m * 2^(1-bias-mbits)).
//    - cfp8_143 has no Inf; S.1111.111 is NaN (the OCP FP8 E4M3 layout).
//    - cfp8_152 and cfp16 are IEEE-like: exponent field all ones is Inf
//      (mantissa 0) or NaN (mantissa != 0).
//    - Overflow: cfp8 formats saturate to +-max finite (also +-Inf ->
//      +-max for cfp8_143; cfp8_152 keeps +-Inf); bf16 and cfp16 round to
//      +-Inf like IEEE formats.
//    - NaN converts to the canonical quiet NaN of the format, sign kept
//      (bf16: f32 NaN bits >> 16 with the quiet bit set).
//  * Integers i8, i16, i32: round (nearest even or stochastic), saturate to
//    the type's range; NaN -> 0.
//  * Rounding: nearest, ties to even; or stochastic: 64 uniform random bits
//    are added immediately below the kept least significant bit and the
//    result is truncated (toward zero in magnitude), so a value rounds away
//    from zero with probability equal to its dropped fraction (the dropped
//    fraction is taken to 64 bits, truncated). One draw per element from the
//    SplitMix64 generator SrRng.
//
// Every value of every format converts to f32 exactly.
//===----------------------------------------------------------------------===//

#ifndef DOJO_ISA_NUMERICS_H
#define DOJO_ISA_NUMERICS_H

#include <cstdint>
#include <cstring>

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
enum class DType : uint8_t {
  F32 = 0,
  BF16 = 1,
  I32 = 2,
  I8 = 3,
  CFP8_143 = 4, // 1-4-3, configurable bias (default 7)
  CFP8_152 = 5, // 1-5-2, configurable bias (default 15)
  CFP16 = 6,    // 1-5-10, configurable bias (default 15)
  I16 = 7,
};
constexpr int kNumDTypes = 8;
inline bool isDType(int64_t v) { return v >= 0 && v < kNumDTypes; }

int64_t dtypeBytes(DType t);
const char *dtypeName(DType t);
bool parseDType(const char *s, DType &t);
inline bool isInteger(DType t) {
  return t == DType::I32 || t == DType::I8 || t == DType::I16;
}

/// Exponent biases of the configurable formats (CSRs 5..7).
constexpr int kMaxBias = 63;
struct Biases {
  uint8_t cfp8_143 = 7, cfp8_152 = 15, cfp16 = 15;
  bool operator==(const Biases &o) const {
    return cfp8_143 == o.cfp8_143 && cfp8_152 == o.cfp8_152 &&
           cfp16 == o.cfp16;
  }
};

enum class Rounding : uint8_t { NearestEven = 0, Stochastic = 1 };

/// A small binary floating-point format: 1 sign bit, `ebits` exponent bits,
/// `mbits` mantissa bits, exponent bias `bias`. `ieee`: the all-ones
/// exponent encodes Inf/NaN; otherwise only S.1..1.1..1 is NaN and there is
/// no Inf. `saturate`: finite overflow gives +-max finite instead of +-Inf.
struct MiniFormat {
  int ebits, mbits, bias;
  bool ieee, saturate;
};
/// The format of a bf16/cfp8/cfp16 dtype (`t` must be one of those).
MiniFormat miniFormat(DType t, const Biases &b = {});

/// Encodes `x` (rounded with `rnd`; `draw` is the random word used by
/// stochastic rounding, ignored otherwise) into the low 1 + ebits + mbits
/// bits of the result.
uint32_t encodeMini(float x, const MiniFormat &f, Rounding rnd = {},
                    uint64_t draw = 0);
/// Decodes a code of the format (exact; NaN decodes to the f32 quiet NaN
/// 0x7fc00000 with the sign kept).
float decodeMini(uint32_t code, const MiniFormat &f);
/// Largest finite value of the format.
float maxFinite(const MiniFormat &f);

/// Rounds `x` to an integer in [lo, hi] (NaN -> 0, saturating).
int64_t roundToInt(float x, int64_t lo, int64_t hi, Rounding rnd = {},
                   uint64_t draw = 0);

/// The stochastic-rounding generator: SplitMix64.
///   mix(z)  = z ^= z >> 30; z *= 0xbf58476d1ce4e5b9;
///             z ^= z >> 27; z *= 0x94d049bb133111eb; z ^ (z >> 31)
///   seed(s, core): state = mix(s ^ mix(core + 0x9e3779b97f4a7c15))
///   next():  state += 0x9e3779b97f4a7c15; return mix(state)
struct SrRng {
  uint64_t state = 0;
  static uint64_t mix(uint64_t z) {
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
  }
  static SrRng seeded(uint64_t seed, uint64_t core) {
    SrRng r;
    r.state = mix(seed ^ mix(core + 0x9e3779b97f4a7c15ull));
    return r;
  }
  uint64_t next() {
    state += 0x9e3779b97f4a7c15ull;
    return mix(state);
  }
};

/// Loads element `i` of a buffer of type `t` as FP32 (exact except i32
/// values beyond 2^24 in magnitude, which round to nearest even).
float loadAsF32(const uint8_t *base, DType t, int64_t i, const Biases &b = {});

/// Stores an FP32 value as element `i` of type `t`, rounded with `rnd`
/// (`draw` feeds stochastic rounding; f32 ignores both).
void storeFromF32(uint8_t *base, DType t, int64_t i, float v,
                  const Biases &b = {}, Rounding rnd = Rounding::NearestEven,
                  uint64_t draw = 0);

/// Rounds `v` to type `t` and back to FP32 (nearest even).
float roundTo(DType t, float v, const Biases &b = {});

//===----------------------------------------------------------------------===//
// Vector-unit functions. Deterministic, independent of the host's libm: only
// IEEE +, -, *, /, sqrt (all correctly rounded) and exact bit operations.
// Maximum errors over all finite FP32 inputs are in docs/isa.md (and pinned
// by unittests/NumericsTest.cpp against libm).
//===----------------------------------------------------------------------===//

float expF32(float x);
float logF32(float x);
float tanhF32(float x);
float erfF32(float x);
float rsqrtF32(float x);
/// fma with a single rounding (IEEE fusedMultiplyAdd).
float fmaF32(float a, float b, float c);

} // namespace dojo::num

#endif // DOJO_ISA_NUMERICS_H
