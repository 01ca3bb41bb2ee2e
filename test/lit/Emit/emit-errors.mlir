// RUN: not dojo-translate --dojo-to-asm %s --split-input-file 2>&1 | FileCheck %s

// CHECK: error: expected exactly one dojoisa.program, found 0 (run dojo-pipeline first)
module {}

// -----

// A program whose branch leaves its section is rejected with the reason.
// CHECK: error: 'dojoisa.program' op is not a valid program: code section 0 pc 0 `jmp target=7`: branch target 7 is outside the section (2 instructions)
module {
  dojoisa.program target(<tiny>) dram_bytes(64) {
    dojoisa.core 0, 0 section 0
    dojoisa.section 0 {
      dojoisa.jmp target = 7
      dojoisa.halt
    }
  }
}
