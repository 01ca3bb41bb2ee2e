//===- DojoAttrs.td - dojo dialect attributes ---------------*- tablegen -*-===//

#ifndef DOJO_ATTRS_TD
#define DOJO_ATTRS_TD

include "Dojo/DojoDialect.td"
include "Dojo/DojoEnums.td"
include "mlir/IR/AttrTypeBase.td"

def Dojo_TargetAttr : AttrDef<Dojo_Dialect, "Target"> {
  let mnemonic = "target";
  let summary = "Description of the target machine";
  let description = [{
    Every number the passes use about the machine: mesh shape, disabled
    cores, SRAM size and port bandwidth, matrix/vector throughput, NoC and
    edge-memory figures. Printed as a preset name followed by the fields that
    differ from it, so what-if experiments are one attribute away:

    ```mlir
    module attributes {dojo.target = #dojo.target<d1>} {}
    module attributes {dojo.target = #dojo.target<small, sram_bytes = 2097152,
                                                  disabled = "1:1">} {}
    ```

    The same text form (`small sram_bytes=2097152 disabled=1:1`) is stored in
    program files and accepted by `--target=` options.
  }];
  let parameters = (ins AttrParameter<"::dojo::MachineDesc",
                                      "machine description",
                                      "const ::dojo::MachineDesc &">:$desc);
  let hasCustomAssemblyFormat = 1;
  let extraClassDeclaration = [{
    /// The module's target, or null if it has none.
    static TargetAttr lookup(::mlir::Operation *op);
    static constexpr ::llvm::StringLiteral kAttrName = "dojo.target";
  }];
}

// Enumerations print bare inside op formats (`layout nhwc`) and as
// `#dojo<layout nhwc>` elsewhere.
def Dojo_LayoutAttr : EnumAttr<Dojo_Dialect, Dojo_Layout, "layout"> {
  let assemblyFormat = "$value";
}

def Dojo_GeluApproximationAttr
    : EnumAttr<Dojo_Dialect, Dojo_GeluApproximation, "gelu_approximation"> {
  let assemblyFormat = "$value";
}

def Dojo_ComparePredicateAttr
    : EnumAttr<Dojo_Dialect, Dojo_ComparePredicate, "compare_predicate"> {
  let assemblyFormat = "$value";
}

#endif // DOJO_ATTRS_TD
