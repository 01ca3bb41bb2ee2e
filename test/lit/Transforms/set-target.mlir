// RUN: dojo-opt %s --dojo-set-target="target='small sram_bytes=2097152'" | FileCheck %s
// RUN: dojo-opt %s --dojo-set-target="target=tiny overwrite=false" | FileCheck %s --check-prefix=KEEP
// RUN: not dojo-opt %s --dojo-set-target="target=huge" 2>&1 | FileCheck %s --check-prefix=BAD

// CHECK: module attributes {dojo.target = #dojo.target<small, sram_bytes = 2097152>}
// KEEP: module attributes {dojo.target = #dojo.target<d1, noc_link_bpc = 32>}
// BAD: error: invalid target 'huge': unknown preset 'huge' (expected tiny, small or d1)
module attributes {dojo.target = #dojo.target<d1, noc_link_bpc = 32>} {}
