// Softmax, layer_norm and reductions over the last axis, split by rows over
// cores (ragged: 21 rows), on odd widths, in BF16 and FP32, compared bit for
// bit with the reference interpreter.
// RUN: dojo-run %s --target=tiny --verify | FileCheck %s
// RUN: dojo-run %s --target="tiny rows=1 cols=1" --verify | FileCheck %s
// RUN: dojo-run %s --target=small --verify --seed 4 | FileCheck %s
// RUN: dojo-run %s --target=d1 --verify | FileCheck %s
// RUN: dojo-opt %s --dojo-pipeline=target=small | FileCheck %s --check-prefix=ISA
// CHECK: verdict: PASS (max abs err 0, max rel err 0), bit-exact
// ISA-DAG: dojoisa.vtrans
// ISA-DAG: dojoisa.vredmax
// ISA-DAG: dojoisa.vredsum
// ISA-DAG: dojoisa.vexp
// ISA-DAG: dojoisa.vsqrt
func.func @rows(%x: tensor<21x37xbf16>, %g: tensor<37xbf16>, %b: tensor<37xbf16>,
                %y: tensor<21x9xf32>)
    -> (tensor<21x37xbf16>, tensor<21x37xbf16>, tensor<21x37xbf16>, tensor<21xbf16>,
        tensor<21x1xf32>, tensor<21xf32>) {
  %s = dojo.softmax %x axis 1 : tensor<21x37xbf16>
  %l = dojo.layer_norm %x scale %g : tensor<37xbf16> bias %b : tensor<37xbf16> axis 1 {epsilon = 1.0e-05 : f32} : tensor<21x37xbf16>
  %n = dojo.layer_norm %x axis 1 {epsilon = 1.0e-03 : f32} : tensor<21x37xbf16>
  %r = dojo.reduce_sum %x axes [1] : tensor<21x37xbf16> -> tensor<21xbf16>
  %m = dojo.reduce_mean %y axes [1] keepdim : tensor<21x9xf32> -> tensor<21x1xf32>
  %k = dojo.reduce_max %y axes [1] : tensor<21x9xf32> -> tensor<21xf32>
  return %s, %l, %n, %r, %m, %k : tensor<21x37xbf16>, tensor<21x37xbf16>, tensor<21x37xbf16>, tensor<21xbf16>, tensor<21x1xf32>, tensor<21xf32>
}
