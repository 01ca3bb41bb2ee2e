//===- Math.h - Transcendental functions of the reference -------*- C++ -*-===//
//
// The one place where the reference interpreter evaluates transcendental
// functions. Every function takes and returns FP32 and is evaluated as the
// documented sequence of FP32 operations (the file that includes this is
// compiled with -ffp-contract=off, so no step is fused).
//
// The primitives exp, log, tanh and erf are the machine's deterministic
// approximations from include/dojo/ISA/Numerics.h (num::expF32, logF32,
// tanhF32, erfF32: the functions the simulator's vexp, vlog, vtanh and verf
// use), so the reference and the simulator agree bit for bit, and neither
// depends on the host's libm.

// sqrt is IEEE (correctly rounded) and stays as it is.
//
//===----------------------------------------------------------------------===//

#ifndef DOJO_LIB_REFERENCE_MATH_H
#define DOJO_LIB_REFERENCE_MATH_H

#include "dojo/ISA/Numerics.h"

#include <cmath>

namespace dojo::ref::math {

// Primitives (see the file comment).
inline float exp(float x) { return num::expF32(x); }
inline float log(float x) { return num::logF32(x); }
inline float tanh(float x) { return num::tanhF32(x); }
inline float erf(float x) { return num::erfF32(x); }

/// Correctly rounded FP32 square root.
inline float sqrt(float x) { return std::sqrt(x); }

/// 1 / sqrt(x): two FP32 operations.
inline float rsqrt(float x) { return 1.0f / sqrt(x); }

/// 1 / (1 + exp(-x)).
inline float sigmoid(float x) {
  float e = exp(-x);
  float d = 1.0f + e;
  return 1.0f / d;
}

/// 0.5 * x * (1 + erf(x * (1/sqrt(2)))), evaluated as the FP32 sequence
/// a = x * 0.70710677; t = 1 + erf(a); h = 0.5 * x; h * t (each step rounds
/// to FP32; convert-dojo-to-isa emits vmul, verf, vadd, vmul, vmul).
inline float geluErf(float x) {
  const float kInvSqrt2 = 0.70710678118654752f;
  float a = x * kInvSqrt2;
  float t = 1.0f + erf(a);
  float h = 0.5f * x;
  return h * t;
}

/// 0.5 * x * (1 + tanh(sqrt(2/pi) * (x + 0.044715 * x^3))), evaluated as
/// x3 = (x * x) * x; u = x + 0.044715 * x3; v = 0.7978846 * u;
/// t = 1 + tanh(v); (0.5 * x) * t.
inline float geluTanh(float x) {
  const float kSqrt2OverPi = 0.79788456080286536f;
  const float kCubic = 0.044715f;
  float x3 = (x * x) * x;
  float u = x + kCubic * x3;
  float v = kSqrt2OverPi * u;
  float t = 1.0f + tanh(v);
  float h = 0.5f * x;
  return h * t;
}

/// IEEE 754-2019 maximum: NaN if either operand is NaN, -0 < +0.
// Functions of the graph-level ops that are not lowered to the ISA yet
// (sin, cos, ..., pow, fmod): the C library's FP32 versions.
inline float sin(float x) { return std::sin(x); }
inline float cos(float x) { return std::cos(x); }
inline float tan(float x) { return std::tan(x); }
inline float asin(float x) { return std::asin(x); }
inline float acos(float x) { return std::acos(x); }
inline float atan(float x) { return std::atan(x); }
inline float sinh(float x) { return std::sinh(x); }
inline float cosh(float x) { return std::cosh(x); }
inline float asinh(float x) { return std::asinh(x); }
inline float acosh(float x) { return std::acosh(x); }
inline float atanh(float x) { return std::atanh(x); }
inline float pow(float x, float y) { return std::pow(x, y); }
inline float fmod(float x, float y) { return std::fmod(x, y); }

inline float maximum(float a, float b) {
  if (a != a)
    return a;
  if (b != b)
    return b;
  if (a == b)
    return std::signbit(a) ? b : a;
  return a > b ? a : b;
}

/// IEEE 754-2019 minimum: NaN if either operand is NaN, -0 < +0.
inline float minimum(float a, float b) {
  if (a != a)
    return a;
  if (b != b)
    return b;
  if (a == b)
    return std::signbit(a) ? a : b;
  return a < b ? a : b;
}

} // namespace dojo::ref::math

#endif // DOJO_LIB_REFERENCE_MATH_H
