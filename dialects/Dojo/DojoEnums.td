//===- DojoEnums.td - dojo dialect enumerations -------------*- tablegen -*-===//

#ifndef DOJO_ENUMS_TD
#define DOJO_ENUMS_TD

include "mlir/IR/EnumAttr.td"

def Dojo_Layout : I32EnumAttr<"Layout", "image layout of conv and pool ops", [
    I32EnumAttrCase<"NCHW", 0, "nchw">,
    I32EnumAttrCase<"NHWC", 1, "nhwc">]> {
  let description = [{
    `nchw`: activations `[N, C, H, W]`, conv weights `[O, C/groups, KH, KW]`
    (OIHW). `nhwc`: activations `[N, H, W, C]`, conv weights
    `[KH, KW, C/groups, O]` (HWIO).
  }];
  let cppNamespace = "::dojo";
  let genSpecializedAttr = 0;
}

def Dojo_GeluApproximation : I32EnumAttr<"GeluApproximation",
    "form of the GELU activation", [
    I32EnumAttrCase<"None", 0, "none">,
    I32EnumAttrCase<"Tanh", 1, "tanh">]> {
  let description = [{
    `none`: `0.5 x (1 + erf(x / sqrt(2)))`. `tanh`:
    `0.5 x (1 + tanh(sqrt(2 / pi) (x + 0.044715 x^3)))`.
  }];
  let cppNamespace = "::dojo";
  let genSpecializedAttr = 0;
}

#endif // DOJO_ENUMS_TD
