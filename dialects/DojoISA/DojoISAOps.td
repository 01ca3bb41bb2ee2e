//===- DojoISAOps.td - Core ISA operations ------------------*- tablegen -*-===//

#ifndef DOJOISA_OPS_TD
#define DOJOISA_OPS_TD

include "DojoISA/DojoISADialect.td"
include "Dojo/DojoAttrs.td"
include "mlir/IR/BuiltinAttributes.td"
include "mlir/IR/CommonAttrConstraints.td"
include "mlir/IR/OpAsmInterface.td"

//===----------------------------------------------------------------------===//
// Program structure
//===----------------------------------------------------------------------===//

def DojoISA_ProgramOp : DojoISA_Op<"program", [NoTerminator, SingleBlock,
    IsolatedFromAbove]> {
  let summary = "A whole program file";
  let description = [{
    ```mlir
    dojoisa.program target(#dojo.target<tiny>) dram_bytes(4096) {
      dojoisa.symbol "x" input bf16 [8, 8] at 0
      dojoisa.core 0, 0 section 0
      dojoisa.section 0 {
        dojoisa.halt
      }
    }
    ```
  }];
  let arguments = (ins Dojo_TargetAttr:$target, I64Attr:$dram_bytes);
  let regions = (region SizedRegion<1>:$body);
  let assemblyFormat = [{
    `target` `(` $target `)` `dram_bytes` `(` $dram_bytes `)` attr-dict-with-keyword $body
  }];
  let hasRegionVerifier = 1;
}

def DojoISA_SectionOp : DojoISA_Op<"section", [NoTerminator, SingleBlock,
    HasParent<"ProgramOp">]> {
  let summary = "A code section: instructions in program order";
  let description = [{
    Instruction `k` of the block is at pc `k`. Branch targets are pcs.

    ```mlir
    dojoisa.section 0 {
      dojoisa.csrr r1, csr = 0
      dojoisa.halt
    }
    ```
  }];
  let arguments = (ins ConfinedAttr<I32Attr, [IntNonNegative]>:$index);
  let regions = (region SizedRegion<1>:$body);
  let assemblyFormat = "$index attr-dict-with-keyword $body";
}

def DojoISA_CoreOp : DojoISA_Op<"core", [HasParent<"ProgramOp">]> {
  let summary = "Logical core: mesh coordinates and code section";
  let description = [{
    The `k`-th `dojoisa.core` of a program is logical core `k`.

    ```mlir
    dojoisa.core 0, 1 section 0
    ```
  }];
  let arguments = (ins I32Attr:$row, I32Attr:$col, I32Attr:$section);
  let assemblyFormat = "$row `,` $col `section` $section attr-dict";
}

def DojoISA_SymbolOp : DojoISA_Op<"symbol", [HasParent<"ProgramOp">]> {
  let summary = "An input or output tensor in edge memory";
  let description = [{
    ```mlir
    dojoisa.symbol "x" input bf16 [256, 512] at 0
    ```
  }];
  let arguments = (ins StrAttr:$sym_name, StrAttr:$kind, StrAttr:$dtype,
                       DenseI64ArrayAttr:$shape, I64Attr:$offset);
  let assemblyFormat = [{
    $sym_name custom<Keyword>($kind) custom<Keyword>($dtype) $shape `at` $offset attr-dict
  }];
  let hasVerifier = 1;
}

//===----------------------------------------------------------------------===//
// Instructions: one op per opcode of dojo/ISA/ISA.h, operands named as there
//===----------------------------------------------------------------------===//

def DojoISA_Reg : ConfinedAttr<I32Attr, [IntMinValue<0>, IntMaxValue<31>]>;

class DojoISA_Inst<string mnemonic, string unit, list<string> regs,
                   list<string> imms, string what, list<Trait> traits = []>
    : DojoISA_Op<mnemonic, !listconcat(traits, [HasParent<"SectionOp">])> {
  let summary = what;
  let description = "Unit: " # unit # ". Semantics and timing: docs/isa.md, `"
                    # mnemonic # "`.";
  let arguments = !con(!dag(ins, !listsplat(DojoISA_Reg, !size(regs)), regs),
                       !dag(ins, !listsplat(I32Attr, !size(imms)), imms));
  let assemblyFormat =
      !interleave(!foreach(r, regs, "custom<Reg>($" # r # ")"), " `,` ")
      # !if(!and(!ne(!size(regs), 0), !ne(!size(imms), 0)), " `,` ", "")
      # !interleave(!foreach(i, imms, "`" # i # "` `=` $" # i), " `,` ")
      # " attr-dict";
}

class ScalarBinary<string m, string what>
    : DojoISA_Inst<m, "scalar", ["rd", "ra", "rb"], [], what>;
class Branch<string m, string what>
    : DojoISA_Inst<m, "scalar", ["ra", "rb"], ["target"], what>;
class VecBinary<string m, string what>
    : DojoISA_Inst<m, "vector", ["rd", "ra", "rb"],
        ["rows", "cols", "ldd", "lda", "ldb", "dtd", "dta", "dtb"], what>;

def DojoISA_NopOp : DojoISA_Inst<"nop", "scalar", [], [], "No operation">;
def DojoISA_HaltOp : DojoISA_Inst<"halt", "scalar", [], [], "Stop this core">;
def DojoISA_LiOp : DojoISA_Inst<"li", "scalar", ["rd"], ["value"], "Load immediate">;
def DojoISA_MovOp : DojoISA_Inst<"mov", "scalar", ["rd", "ra"], [], "Copy register">;
def DojoISA_AddOp : ScalarBinary<"add", "Integer add">;
def DojoISA_SubOp : ScalarBinary<"sub", "Integer subtract">;
def DojoISA_MulOp : ScalarBinary<"mul", "Integer multiply">;
def DojoISA_DivuOp : ScalarBinary<"divu", "Unsigned divide">;
def DojoISA_RemuOp : ScalarBinary<"remu", "Unsigned remainder">;
def DojoISA_MinOp : ScalarBinary<"min", "Signed minimum">;
def DojoISA_MaxOp : ScalarBinary<"max", "Signed maximum">;
def DojoISA_AndOp : ScalarBinary<"and", "Bitwise and">;
def DojoISA_OrOp : ScalarBinary<"or", "Bitwise or">;
def DojoISA_XorOp : ScalarBinary<"xor", "Bitwise xor">;
def DojoISA_ShlOp : ScalarBinary<"shl", "Shift left">;
def DojoISA_ShrOp : ScalarBinary<"shr", "Logical shift right">;
def DojoISA_AddiOp : DojoISA_Inst<"addi", "scalar", ["rd", "ra"], ["imm"], "Add immediate">;
def DojoISA_MuliOp : DojoISA_Inst<"muli", "scalar", ["rd", "ra"], ["imm"], "Multiply by immediate">;
def DojoISA_CsrrOp : DojoISA_Inst<"csrr", "scalar", ["rd"], ["csr"], "Read a control/status register">;
def DojoISA_LdOp : DojoISA_Inst<"ld", "scalar", ["rd", "ra"], ["off"], "Load 8 bytes from SRAM">;
def DojoISA_StOp : DojoISA_Inst<"st", "scalar", ["rs", "ra"], ["off"], "Store 8 bytes to SRAM">;
def DojoISA_BeqOp : Branch<"beq", "Branch if equal">;
def DojoISA_BneOp : Branch<"bne", "Branch if not equal">;
def DojoISA_BltOp : Branch<"blt", "Branch if less (signed)">;
def DojoISA_BgeOp : Branch<"bge", "Branch if greater or equal (signed)">;
def DojoISA_JmpOp : DojoISA_Inst<"jmp", "scalar", [], ["target"], "Jump">;
def DojoISA_MmOp : DojoISA_Inst<"mm", "matrix", ["rc", "ra", "rb"],
    ["m", "n", "k", "ldc", "lda", "ldb", "acc", "dt"],
    "Matrix multiply: BF16 or CFP8 operands, FP32 accumulate">;
def DojoISA_VcvtOp : DojoISA_Inst<"vcvt", "vector", ["rd", "ra"],
    ["rows", "cols", "ldd", "lda", "dtd", "dta", "rnd"],
    "Convert a tile (round to nearest even or stochastic)">;
def DojoISA_VaddOp : VecBinary<"vadd", "Tile add with row broadcast">;
def DojoISA_VsubOp : VecBinary<"vsub", "Tile subtract with row broadcast">;
def DojoISA_VmulOp : VecBinary<"vmul", "Tile multiply with row broadcast">;
def DojoISA_VmaxOp : VecBinary<"vmax", "Tile maximum with row broadcast">;
def DojoISA_VminOp : VecBinary<"vmin", "Tile minimum with row broadcast">;
def DojoISA_VreluOp : DojoISA_Inst<"vrelu", "vector", ["rd", "ra"],
    ["rows", "cols", "ldd", "lda", "dtd", "dta"], "Tile ReLU">;
def DojoISA_VfillOp : DojoISA_Inst<"vfill", "vector", ["rd"],
    ["rows", "cols", "ldd", "dtd", "bits"], "Fill a tile with a constant">;
def DojoISA_DmaLdOp : DojoISA_Inst<"dma.ld", "dma", ["rd", "ra"],
    ["rows", "bytes", "dstride", "sstride", "sem"],
    "DMA from edge memory into local SRAM">;
def DojoISA_DmaStOp : DojoISA_Inst<"dma.st", "dma", ["rd", "ra"],
    ["rows", "bytes", "dstride", "sstride", "sem"],
    "DMA from local SRAM to edge memory">;
def DojoISA_DmaPutOp : DojoISA_Inst<"dma.put", "dma", ["rd", "ra", "rcore"],
    ["rows", "bytes", "dstride", "sstride", "sem"],
    "DMA from local SRAM into another core's SRAM">;
def DojoISA_SemWaitOp : DojoISA_Inst<"sem.wait", "sync", [], ["sem", "count"],
    "Wait for a semaphore and take from it">;
def DojoISA_SemSignalOp : DojoISA_Inst<"sem.signal", "sync", ["rcore"],
    ["sem", "count"], "Add to a semaphore of a core">;
def DojoISA_BarrierOp : DojoISA_Inst<"barrier", "sync", [], [],
    "Wait for every core of the program">;

class VecUnary<string m, string what>
    : DojoISA_Inst<m, "vector", ["rd", "ra"],
        ["rows", "cols", "ldd", "lda", "dtd", "dta"], what>;

def DojoISA_AndiOp : DojoISA_Inst<"andi", "scalar", ["rd", "ra"], ["imm"], "And with immediate">;
def DojoISA_OriOp : DojoISA_Inst<"ori", "scalar", ["rd", "ra"], ["imm"], "Or with immediate">;
def DojoISA_SlliOp : DojoISA_Inst<"slli", "scalar", ["rd", "ra"], ["imm"], "Shift left by immediate">;
def DojoISA_SrliOp : DojoISA_Inst<"srli", "scalar", ["rd", "ra"], ["imm"], "Logical shift right by immediate">;
def DojoISA_CsrwOp : DojoISA_Inst<"csrw", "scalar", ["rs"], ["csr"], "Write a control/status register">;
def DojoISA_TspawnOp : DojoISA_Inst<"tspawn", "scalar", [], ["thread", "target"],
    "Start a hardware thread of this core at a pc">;
def DojoISA_VfmaOp : DojoISA_Inst<"vfma", "vector", ["rd", "ra", "rb", "rc"],
    ["rows", "cols", "ldd", "lda", "ldb", "ldc", "dtd", "dts"],
    "Tile fused multiply-add with row broadcast">;
def DojoISA_VdivOp : VecBinary<"vdiv", "Tile divide with row broadcast">;
def DojoISA_VcmpOp : DojoISA_Inst<"vcmp", "vector", ["rd", "ra", "rb"],
    ["rows", "cols", "ldd", "lda", "ldb", "dtd", "dts", "cmp"],
    "Tile compare: 1.0 where true, 0.0 where false">;
def DojoISA_VselOp : DojoISA_Inst<"vsel", "vector", ["rd", "rm", "ra", "rb"],
    ["rows", "cols", "ldd", "ldm", "lda", "ldb", "dtd", "dtm"],
    "Tile select by a mask">;
def DojoISA_VexpOp : VecUnary<"vexp", "Tile exponential (approximation)">;
def DojoISA_VlogOp : VecUnary<"vlog", "Tile natural logarithm (approximation)">;
def DojoISA_VsqrtOp : VecUnary<"vsqrt", "Tile square root">;
def DojoISA_VrsqrtOp : VecUnary<"vrsqrt", "Tile reciprocal square root (approximation)">;
def DojoISA_VtanhOp : VecUnary<"vtanh", "Tile hyperbolic tangent (approximation)">;
def DojoISA_VrecipOp : VecUnary<"vrecip", "Tile reciprocal">;
def DojoISA_VabsOp : VecUnary<"vabs", "Tile absolute value">;
def DojoISA_VnegOp : VecUnary<"vneg", "Tile negation">;
def DojoISA_VtransOp : VecUnary<"vtrans", "Tile transpose">;
def DojoISA_VredsumOp : DojoISA_Inst<"vredsum", "vector", ["rd", "ra"],
    ["rows", "cols", "lda", "axis", "dtd", "dta"], "Tile sum along an axis">;
def DojoISA_VredmaxOp : DojoISA_Inst<"vredmax", "vector", ["rd", "ra"],
    ["rows", "cols", "lda", "axis", "dtd", "dta"], "Tile maximum along an axis">;
def DojoISA_DmaMcastOp : DojoISA_Inst<"dma.mcast", "dma",
    ["rd", "ra", "rrow", "rcol"],
    ["rows", "bytes", "dstride", "sstride", "sem", "height", "width"],
    "DMA from local SRAM into a rectangle of cores (multicast)">;
def DojoISA_VerfOp : VecUnary<"verf", "Tile error function (approximation)">;

#endif // DOJOISA_OPS_TD
