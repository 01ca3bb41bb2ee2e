// RUN: dojo-opt %s "--dojo-pipeline=target=small print-memory-map=true" -o /dev/null 2>&1 | FileCheck %s
// RUN: dojo-opt %s --dojo-set-target=target=small --dojo-decompose --dojo-tile --dojo-place --dojo-allocate-sram --dojo-print-memory-map -o /dev/null 2>&1 | FileCheck %s
// RUN: not dojo-opt %s --dojo-set-target=target=small --dojo-decompose --dojo-tile --dojo-print-memory-map -o /dev/null 2>&1 | FileCheck %s --check-prefix=ERR

// CHECK: dojo memory map: @f on small: 16 program cores, 1310720 B of SRAM per core
// CHECK: step  op
// A matmul kernel with its fused bias/relu epilogue: tiles, result and the
// FP32 accumulator of the bf16 matmul.
// CHECK:    0  kernel grid [{{[0-9]+}}, {{[0-9]+}}]{{ +}}memory-map.mlir:{{[0-9]+}}
// CHECK:      0 + {{[0-9]+}} input 0 tile tensor<{{[0-9]+}}x64xbf16>
// CHECK:        input 1 tile tensor<64x{{[0-9]+}}xbf16>
// CHECK:        dojo.matmul fp32 scratch
// The pad is a copy staged through SRAM.
// CHECK:    1  copy dojo.pad{{ +}}memory-map.mlir:{{[0-9]+}}{{ +}}16{{ +}}262144{{ +}}20.0% |####
// CHECK: program peak: 262144 B per core (20.0% of SRAM) at step 1
// ERR: error: 'dojo.kernel' op has no SRAM allocation; run dojo-allocate-sram before dojo-print-memory-map
func.func @f(%x: tensor<32x64xbf16>, %w: tensor<64x48xbf16>, %b: tensor<48xbf16>) -> tensor<34x50xbf16> {
  %0 = dojo.matmul %x, %w : tensor<32x64xbf16>, tensor<64x48xbf16> -> tensor<32x48xbf16>
  %1 = dojo.add %0, %b : tensor<32x48xbf16>, tensor<48xbf16> -> tensor<32x48xbf16>
  %2 = dojo.relu %1 : tensor<32x48xbf16>
  %3 = dojo.pad %2 low [1, 1] high [1, 1] : tensor<32x48xbf16> -> tensor<34x50xbf16>
  return %3 : tensor<34x50xbf16>
}
