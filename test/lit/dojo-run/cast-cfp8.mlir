// Casts between FP32/BF16 and both CFP8 formats (f8E4M3FN is cfp8_143 and
// f8E5M2 is cfp8_152 at the default bias CSRs 7 and 15): one vcvt each,
// rounding to nearest even, saturating on overflow, NaN and Inf as in
// docs/isa.md 3.2. exp(1/y) and log(y) of the [-1, 1] inputs reach every
// case: values past 448 and 57344, Inf, NaN, denormals and underflow to
// zero. Odd shapes, a size-1 tensor and a rank-3 one (cast between
// reshapes); bit-exact on one core, small and d1.
// RUN: dojo-run %s --target="tiny rows=1 cols=1" --verify | FileCheck %s
// RUN: dojo-run %s --target=small --verify --seed 3 | FileCheck %s
// RUN: dojo-run %s --target=d1 --verify --seed 5 | FileCheck %s
// RUN: dojo-opt %s --dojo-pipeline=target=small | FileCheck %s --check-prefix=ISA
// CHECK: verdict: PASS (max abs err 0, max rel err 0), bit-exact
// dtypes: 0 f32, 1 bf16, 4 cfp8_143, 5 cfp8_152.
// ISA-DAG: dojoisa.vcvt {{.*}}dtd = 4, dta = 0, rnd = 0
// ISA-DAG: dojoisa.vcvt {{.*}}dtd = 5, dta = 1, rnd = 0
// ISA-DAG: dojoisa.vcvt {{.*}}dtd = 0, dta = 4, rnd = 0
// ISA-DAG: dojoisa.vcvt {{.*}}dtd = 1, dta = 5, rnd = 0
//
// The special codes occur (.npy headers are 128 bytes; codes are raw):
// cfp8_143 zero (00), denormal (01), saturated max (7e), NaN (7f);
// cfp8_152 zero, max (7b), Inf (7c), NaN (7e).
// RUN: rm -rf %t && dojo-run %s --target=tiny --output-dir %t --quiet
// RUN: od -An -v -tx1 -j128 %t/result0.npy | tr -s ' ' '\n' | sort -u | FileCheck %s --check-prefix=E4M3
// RUN: od -An -v -tx1 -j128 %t/result2.npy | tr -s ' ' '\n' | sort -u | FileCheck %s --check-prefix=E4M3NAN
// RUN: od -An -v -tx1 -j128 %t/result1.npy | tr -s ' ' '\n' | sort -u | FileCheck %s --check-prefix=E5M2
// RUN: od -An -v -tx1 -j128 %t/result3.npy | tr -s ' ' '\n' | sort -u | FileCheck %s --check-prefix=E5M2NAN
// E4M3: {{^}}00{{$}}
// E4M3: {{^}}01{{$}}
// E4M3: {{^}}7e{{$}}
// E4M3NAN: {{^}}7f{{$}}
// E5M2: {{^}}00{{$}}
// E5M2: {{^}}7b{{$}}
// E5M2: {{^}}7c{{$}}
// E5M2NAN: {{^}}7e{{$}}
func.func @f(%y: tensor<23x37xf32>, %b: tensor<13x9xbf16>,
             %q: tensor<3x11xf8E4M3FN>, %p: tensor<9x1xf8E5M2>, %s: tensor<1xf32>,
             %z: tensor<3x5x7xbf16>)
    -> (tensor<23x37xf8E4M3FN>, tensor<23x37xf8E5M2>, tensor<23x37xf8E4M3FN>,
        tensor<23x37xf8E5M2>, tensor<23x37xf32>, tensor<23x37xbf16>,
        tensor<13x9xf8E4M3FN>, tensor<13x9xf8E5M2>, tensor<3x11xf32>,
        tensor<3x11xbf16>, tensor<9x1xbf16>, tensor<9x1xf32>, tensor<1xf8E5M2>,
        tensor<3x5x7xf8E4M3FN>, tensor<3x5x7xf32>) {
  %r = dojo.reciprocal %y : tensor<23x37xf32>
  %e = dojo.exp %r : tensor<23x37xf32>
  %l = dojo.log %y : tensor<23x37xf32>
  %a = dojo.cast %e : tensor<23x37xf32> -> tensor<23x37xf8E4M3FN>
  %c = dojo.cast %e : tensor<23x37xf32> -> tensor<23x37xf8E5M2>
  %n1 = dojo.cast %l : tensor<23x37xf32> -> tensor<23x37xf8E4M3FN>
  %n2 = dojo.cast %l : tensor<23x37xf32> -> tensor<23x37xf8E5M2>
  %a2 = dojo.cast %a : tensor<23x37xf8E4M3FN> -> tensor<23x37xf32>
  %eb = dojo.cast %e : tensor<23x37xf32> -> tensor<23x37xbf16>
  %c2 = dojo.cast %eb : tensor<23x37xbf16> -> tensor<23x37xf8E5M2>
  %c3 = dojo.cast %c2 : tensor<23x37xf8E5M2> -> tensor<23x37xbf16>
  %b1 = dojo.cast %b : tensor<13x9xbf16> -> tensor<13x9xf8E4M3FN>
  %b2 = dojo.cast %b : tensor<13x9xbf16> -> tensor<13x9xf8E5M2>
  %q1 = dojo.cast %q : tensor<3x11xf8E4M3FN> -> tensor<3x11xf32>
  %q2 = dojo.cast %q : tensor<3x11xf8E4M3FN> -> tensor<3x11xbf16>
  %p1 = dojo.cast %p : tensor<9x1xf8E5M2> -> tensor<9x1xbf16>
  %p2 = dojo.cast %p : tensor<9x1xf8E5M2> -> tensor<9x1xf32>
  %s1 = dojo.cast %s : tensor<1xf32> -> tensor<1xf8E5M2>
  %z1 = dojo.cast %z : tensor<3x5x7xbf16> -> tensor<3x5x7xf8E4M3FN>
  %z2 = dojo.cast %z1 : tensor<3x5x7xf8E4M3FN> -> tensor<3x5x7xf32>
  return %a, %c, %n1, %n2, %a2, %c3, %b1, %b2, %q1, %q2, %p1, %p2, %s1, %z1, %z2
      : tensor<23x37xf8E4M3FN>, tensor<23x37xf8E5M2>, tensor<23x37xf8E4M3FN>,
        tensor<23x37xf8E5M2>, tensor<23x37xf32>, tensor<23x37xbf16>,
        tensor<13x9xf8E4M3FN>, tensor<13x9xf8E5M2>, tensor<3x11xf32>,
        tensor<3x11xbf16>, tensor<9x1xbf16>, tensor<9x1xf32>, tensor<1xf8E5M2>,
        tensor<3x5x7xf8E4M3FN>, tensor<3x5x7xf32>
}
