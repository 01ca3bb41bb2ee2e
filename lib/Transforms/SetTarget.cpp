//===- SetTarget.cpp - Attach a machine description to the module ---------===//

#include "dojo/Transforms/Passes.h"
#include "dojo/Transforms/Utils.h"

namespace dojo {
#define GEN_PASS_DEF_DOJOSETTARGET
#include "dojo/Transforms/Passes.h.inc"
} // namespace dojo

using namespace mlir;
using namespace dojo;

namespace {
struct DojoSetTargetPass : dojo::impl::DojoSetTargetBase<DojoSetTargetPass> {
  using DojoSetTargetBase::DojoSetTargetBase;

  void runOnOperation() override {
    ModuleOp module = getOperation();
    if (placement == "packed" || placement == "cross") {
      module->setAttr(kPlacementAttr,
                      StringAttr::get(&getContext(), placement));
    } else if (placement != "auto") {
      module.emitError("invalid placement '")
          << placement << "': expected auto, packed or cross";
      return signalPassFailure();
    }
    if (holes == "spare" || holes == "shift") {
      module->setAttr(kPackedHolesAttr, StringAttr::get(&getContext(), holes));
    } else if (holes != "auto") {
      module.emitError("invalid holes '")
          << holes << "': expected auto, spare or shift";
      return signalPassFailure();
    }
    if (!overwrite && module->hasAttr(TargetAttr::kAttrName))
      return;
    MachineDesc desc;
    std::string error;
    if (!MachineDesc::parse(target, desc, error)) {
      module.emitError("invalid target '") << target << "': " << error;
      return signalPassFailure();
    }
    module->setAttr(TargetAttr::kAttrName,
                    TargetAttr::get(&getContext(), desc));
  }
};
} // namespace
