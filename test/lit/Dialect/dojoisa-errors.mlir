// RUN: dojo-opt %s --split-input-file --verify-diagnostics

dojoisa.program target(<tiny>) dram_bytes(64) {
  dojoisa.section 0 {
    // expected-error @+1 {{expected a register r0..r31}}
    dojoisa.mov r32, r1
  }
}

// -----

// expected-error @+1 {{needs at least one dojoisa.core}}
dojoisa.program target(<tiny>) dram_bytes(64) {
  dojoisa.section 0 {
    dojoisa.halt
  }
}

// -----

dojoisa.program target(<tiny>) dram_bytes(64) {
  // expected-error @+1 {{core (2, 0) is outside the 2x2 mesh}}
  dojoisa.core 2, 0 section 0
  dojoisa.section 0 {
    dojoisa.halt
  }
}

// -----

dojoisa.program target(<tiny, disabled = "0:1">) dram_bytes(64) {
  // expected-error @+1 {{core (0, 1) is disabled}}
  dojoisa.core 0, 1 section 0
  dojoisa.section 0 {
    dojoisa.halt
  }
}

// -----

dojoisa.program target(<tiny>) dram_bytes(64) {
  // expected-error @+1 {{refers to missing section 3}}
  dojoisa.core 0, 0 section 3
  dojoisa.section 0 {
    dojoisa.halt
  }
}

// -----

dojoisa.program target(<tiny>) dram_bytes(64) {
  dojoisa.core 0, 0 section 0
  // expected-error @+1 {{kind must be 'input' or 'output', got 'inout'}}
  dojoisa.symbol "x" inout bf16 [8] at 0
  dojoisa.section 0 {
    dojoisa.halt
  }
}

// -----

dojoisa.section 0 {
  // expected-error @-1 {{expects parent op 'dojoisa.program'}}
}
