"""Model importers: PyTorch (torch.fx) and ONNX to graph-level dojo MLIR.

`import_model(model, example_inputs, float_type)` dispatches on the model
kind and returns `(ImportedGraph, kind)` with kind "torch", "onnx" or
"mlir". torch and onnx are imported lazily: `import dojo` does not need
them.
"""

import os

from .builder import compile_error
from .torch_import import ImportedGraph


def _looks_like_mlir(text):
    return "func.func" in text or text.lstrip().startswith("module")


def import_model(model, example_inputs=None, float_type="bf16"):
    if isinstance(model, (str, os.PathLike)):
        s = os.fspath(model)
        if isinstance(model, str) and _looks_like_mlir(s):
            return ImportedGraph(s, {}, None, None, {}), "mlir"
        if s.endswith(".mlir") and os.path.exists(s):
            with open(s, encoding="utf-8") as f:
                return ImportedGraph(f.read(), {}, None, None, {}), "mlir"
        if os.path.exists(s):
            from .onnx_import import import_onnx
            return import_onnx(s, example_inputs, float_type), "onnx"
        raise compile_error(f"'{s[:80]}' is neither MLIR text nor an "
                            "existing .onnx/.mlir file")
    if type(model).__name__ == "ModelProto":
        from .onnx_import import import_onnx
        return import_onnx(model, example_inputs, float_type), "onnx"
    try:
        import torch
    except ImportError:  # pragma: no cover
        torch = None
    if torch is not None and isinstance(model, torch.nn.Module):
        if example_inputs is None:
            raise ValueError("compiling a torch module needs example_inputs "
                             "(their shapes fix the graph)")
        from .torch_import import import_module
        return import_module(model, example_inputs, float_type), "torch"
    raise TypeError(f"cannot compile a {type(model).__name__}: expected an "
                    "nn.Module, an ONNX file or ModelProto, or MLIR text")
