#!/usr/bin/env python3
"""Prints the coefficient tables of num::erfF32 (lib/ISA/Numerics.cpp).

Chebyshev fits with mpmath (Debian python3-mpmath), 50 digits, rounded to
FP32 (printed as bit patterns, highest degree first):

* kErfSmall: Q(z) ~ erf(sqrt z) / sqrt z - 1 on z in [0, 1/4], degree 5
  (erf x = x + x Q(x^2) for |x| < 1/2);
* kErfPiece[i]: about c = 5/8 + i/4 (i = 0..13), erf(c) as two floats
  E_hi + E_lo, then R(t) ~ (erf(c + t) - erf(c)) / t on t in [-1/8, 1/8],
  degree 6 (erf(c + t) = E_hi + (E_lo + t R(t))).

The error of the FP32 evaluation is measured, not derived from these fits:
docs/isa.md 3.6.
"""
import struct

import mpmath as mp

mp.mp.dps = 50


def f32(v):
    return struct.unpack("<f", struct.pack("<f", float(v)))[0]


def hexf(v):
    return "0x%08x" % struct.unpack("<I", struct.pack("<f", float(v)))[0]


def small(z):
    if z == 0:
        return 2 / mp.sqrt(mp.pi) - 1
    x = mp.sqrt(z)
    return mp.erf(x) / x - 1


c, err = mp.chebyfit(small, [0, 0.25], 6, error=True)
print("// kErfSmall: fit error %s" % mp.nstr(err, 3))
print("{" + ", ".join(hexf(v) for v in c) + "}")
print("// kErfPiece")
for i in range(14):
    cc = mp.mpf(0.625) + mp.mpf(0.25) * i
    e = mp.erf(cc)
    hi = f32(e)
    lo = f32(e - mp.mpf(hi))

    def r(t, cc=cc, e=e):
        if t == 0:
            return 2 / mp.sqrt(mp.pi) * mp.exp(-cc * cc)
        return (mp.erf(cc + t) - e) / t

    c, err = mp.chebyfit(r, [-0.125, 0.125], 7, error=True)
    print("{" + ", ".join(hexf(v) for v in [hi, lo] + list(c)) +
          "}, // c = %s, |t R| fit error %s" % (mp.nstr(cc, 6),
                                                 mp.nstr(err * 0.125, 3)))
