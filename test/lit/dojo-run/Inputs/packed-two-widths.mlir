// Two products on one packed placement: the second kernel's grid (18 x 14)
// is narrower than the placement (18 x 19).
func.func @f(%a: tensor<300x200xbf16>, %b: tensor<200x247xbf16>, %c: tensor<247x40xbf16>) -> tensor<300x40xf32> {
  %0 = dojo.matmul %a, %b : tensor<300x200xbf16>, tensor<200x247xbf16> -> tensor<300x247xbf16>
  %1 = dojo.matmul %0, %c : tensor<300x247xbf16>, tensor<247x40xbf16> -> tensor<300x40xf32>
  return %1 : tensor<300x40xf32>
}
