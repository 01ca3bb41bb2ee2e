// One attention head built from lowered ops: K^T by a transpose kernel,
// scores = Q K^T scaled (a row of scales, fused into the matmul epilogue),
// softmax over keys, P V. Sizes are odd (seq 45, head 24),
// bit-exact against the reference on one core, small and d1.
// RUN: dojo-run %s --target=tiny --verify | FileCheck %s
// RUN: dojo-run %s --target="tiny rows=1 cols=1" --verify | FileCheck %s
// RUN: dojo-run %s --target=small --verify | FileCheck %s
// RUN: dojo-run %s --target=d1 --verify --seed 2 | FileCheck %s
// RUN: dojo-opt %s --dojo-set-target=target=small --dojo-tile | FileCheck %s --check-prefix=TILE
// CHECK: verdict: PASS (max abs err 0, max rel err 0), bit-exact
// TILE: dojo.kernel grid [{{[0-9]+}}] maps [#{{.*}}, #{{.*}}] ins(%arg1 : tensor<45x24xbf16>) -> tensor<24x45xbf16>
// TILE: dojo.transpose {{.*}} perm [1, 0]
func.func @head(%q: tensor<45x24xbf16>, %k: tensor<45x24xbf16>, %v: tensor<45x24xbf16>,
                %scale: tensor<45xbf16>) -> tensor<45x24xbf16> {
  %kt = dojo.transpose %k perm [1, 0] : tensor<45x24xbf16> -> tensor<24x45xbf16>
  %s = dojo.matmul %q, %kt : tensor<45x24xbf16>, tensor<24x45xbf16> -> tensor<45x45xbf16>
  %ss = dojo.mul %s, %scale : tensor<45x45xbf16>, tensor<45xbf16> -> tensor<45x45xbf16>
  %p = dojo.softmax %ss axis 1 : tensor<45x45xbf16>
  %o = dojo.matmul %p, %v : tensor<45x45xbf16>, tensor<45x24xbf16> -> tensor<45x24xbf16>
  return %o : tensor<45x24xbf16>
}
