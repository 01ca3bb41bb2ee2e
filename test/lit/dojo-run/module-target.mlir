// A module that carries its own target runs on it unless --target is given.
// RUN: dojo-run %s --verify | FileCheck %s
// RUN: dojo-run %s --verify --target=small | FileCheck %s --check-prefix=OVERRIDE
// CHECK: on tiny sram_bytes=65536 (2x2 mesh, 4 enabled cores)
// CHECK: verdict: PASS
// OVERRIDE: on small (4x4 mesh, 16 enabled cores)
// OVERRIDE: verdict: PASS
module attributes {dojo.target = #dojo.target<tiny, sram_bytes = 65536>} {
  func.func @f(%x: tensor<8x16xbf16>, %w: tensor<16x8xbf16>) -> tensor<8x8xbf16> {
    %0 = dojo.matmul %x, %w : tensor<8x16xbf16>, tensor<16x8xbf16> -> tensor<8x8xbf16>
    %1 = dojo.relu %0 : tensor<8x8xbf16>
    return %1 : tensor<8x8xbf16>
  }
}
