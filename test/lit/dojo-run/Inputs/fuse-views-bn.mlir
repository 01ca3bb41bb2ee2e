// dojo-run/fuse-views.mlir: a convolution followed by an inference batch
// norm whose parameters are computed after it from the function's
// arguments (as the importers emit it): the parameter ops move before the
// convolution's product (one kernel for rsqrt(var + eps): a rank-1 chain),
// and the normalization joins the product's epilogue.
func.func @conv_bn(%x: tensor<2x9x7x16xbf16>, %w: tensor<1x1x16x24xbf16>, %g: tensor<24xbf16>, %b: tensor<24xbf16>,
                   %mean: tensor<24xbf16>, %var: tensor<24xbf16>) -> tensor<2x9x7x24xbf16> {
  %0 = dojo.conv2d %x, %w layout nhwc : tensor<2x9x7x16xbf16>, tensor<1x1x16x24xbf16> -> tensor<2x9x7x24xbf16>
  %1 = dojo.batch_norm %0, %mean, %var, %g, %b {axis = 3 : i64, epsilon = 1.0e-05 : f32} : tensor<2x9x7x24xbf16>, tensor<24xbf16>
  %2 = dojo.relu %1 : tensor<2x9x7x24xbf16>
  return %2 : tensor<2x9x7x24xbf16>
}
