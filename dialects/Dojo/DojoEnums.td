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

def Dojo_ComparePredicate : I32EnumAttr<"ComparePredicate",
    "comparison of dojo.compare", [
    I32EnumAttrCase<"EQ", 0, "eq">,
    I32EnumAttrCase<"NE", 1, "ne">,
    I32EnumAttrCase<"LT", 2, "lt">,
    I32EnumAttrCase<"LE", 3, "le">,
    I32EnumAttrCase<"GT", 4, "gt">,
    I32EnumAttrCase<"GE", 5, "ge">]> {
  let description = [{
    `eq`, `ne`, `lt`, `le`, `gt`, `ge`. Floats compare as IEEE values (a NaN
    is unordered: only `ne` holds), integers as signed values.
  }];
  let cppNamespace = "::dojo";
  let genSpecializedAttr = 0;
}

#endif // DOJO_ENUMS_TD
