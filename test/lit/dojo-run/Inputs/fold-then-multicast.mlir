// A folded kernel (3136 x 576 x 64: broadcast B on semaphores 3, 6, 7, 8)
// followed by a multicast kernel whose A senders and epilogue use
// semaphores 6 to 8: the folded kernel's cores outside its grid must take
// the broadcast's counts, or the second kernel reads stale SRAM.
func.func @main(%a: tensor<3136x576xbf16>, %b: tensor<576x64xbf16>, %c: tensor<784x576xbf16>, %d: tensor<576x128xbf16>) -> (tensor<3136x64xbf16>, tensor<784x128xbf16>) {
  %0 = dojo.matmul %a, %b : tensor<3136x576xbf16>, tensor<576x64xbf16> -> tensor<3136x64xbf16>
  %1 = dojo.matmul %c, %d : tensor<784x576xbf16>, tensor<576x128xbf16> -> tensor<784x128xbf16>
  return %0, %1 : tensor<3136x64xbf16>, tensor<784x128xbf16>
}
