// RUN: dojo-opt %S/../Inputs/mlp_small.mlir --dojo-pipeline=target=tiny | FileCheck %s
// RUN: dojo-opt %S/../Inputs/mlp_small.mlir --dojo-pipeline=target=small | FileCheck %s --check-prefix=SMALL
// RUN: dojo-opt %S/../Inputs/mlp_small.mlir --dojo-pipeline=target=tiny --mlir-print-ir-after-all 2>&1 | FileCheck %s --check-prefix=STAGES
// RUN: dojo-opt %S/../Inputs/mlp_small.mlir --dojo-graph-pipeline=target=tiny | FileCheck %s --check-prefix=GRAPH

// The whole pipeline leaves only the ISA program.
// CHECK: module attributes {dojo.target = #dojo.target<tiny>} {
// CHECK-NEXT: dojoisa.program target(<tiny>)
// CHECK-COUNT-5: dojoisa.symbol {{.*}} input
// CHECK: dojoisa.symbol "result0" output bf16 [16, 32]
// CHECK-COUNT-4: dojoisa.core
// CHECK: dojoisa.section 0 {
// Two kernels separated by a barrier, then halt.
// CHECK-COUNT-2: dojoisa.mm
// CHECK-NOT: func.func
// SMALL: dojoisa.program target(<small>)
// SMALL: dojoisa.core 3, 3 section 0
// SMALL: dojoisa.barrier
// SMALL: dojoisa.halt

// Every stage in order.
// STAGES: IR Dump After DojoSetTarget (dojo-set-target)
// STAGES: IR Dump After ConvertLinalgToDojo (convert-linalg-to-dojo)
// STAGES: IR Dump After DojoTile (dojo-tile)
// STAGES: IR Dump After DojoPlace (dojo-place)
// STAGES: IR Dump After DojoAllocateSram (dojo-allocate-sram)
// STAGES: IR Dump After DojoSchedule (dojo-schedule)
// STAGES: dojo.barrier
// STAGES: IR Dump After ConvertDojoToISA (convert-dojo-to-isa)

// GRAPH-LABEL: func.func @mlp
// GRAPH: dojo.matmul
// GRAPH: dojo.add
// GRAPH: dojo.relu
// GRAPH: dojo.matmul
// GRAPH: dojo.add
// GRAPH-NOT: linalg
