"""ONNX frontend: the models of test_frontend_torch exported with
torch.onnx.export, imported, run on the reference backend in FP32 and
compared with PyTorch (rtol 1e-3, atol 1e-5: see test_frontend_torch);
the MLP also runs on the simulator in BF16; importer errors name the node."""

import io

import numpy as np
import pytest

torch = pytest.importorskip("torch")
onnx = pytest.importorskip("onnx")
from onnx import helper, TensorProto  # noqa: E402

import dojo  # noqa: E402
from dojo.frontend.onnx_import import import_onnx  # noqa: E402
from test_frontend_torch import MLP, LeNet, EncoderBlock  # noqa: E402


def export(model, x, opset=13):
    f = io.BytesIO()
    torch.onnx.export(model.eval(), (x,), f, opset_version=opset,
                      input_names=["x"], output_names=["y"])
    return onnx.load_from_string(f.getvalue())


def check(model, x, opset=13):
    proto = export(model, x, opset)
    cm = dojo.compile(proto, precision="fp32", backend="reference")
    got = cm(x)
    with torch.no_grad():
        want = model(x).numpy()
    np.testing.assert_allclose(got, want, rtol=1e-3, atol=1e-5)
    return cm


def test_mlp_onnx():
    torch.manual_seed(0)
    check(MLP(), torch.randn(8, 256))


def test_lenet_onnx_opset11():
    torch.manual_seed(1)
    cm = check(LeNet(), torch.randn(2, 1, 28, 28), opset=11)
    assert "dojo.conv2d" in cm.mlir()


def test_transformer_block_onnx():
    torch.manual_seed(2)
    cm = check(EncoderBlock(256, 4), torch.randn(1, 128, 256))
    # torch exports GELU as Div/Erf/Add/Mul/Mul: fused back into dojo.gelu.
    assert "dojo.gelu" in cm.mlir()


def test_resnet18_onnx_small():
    tv = pytest.importorskip("torchvision")
    torch.manual_seed(3)
    check(tv.models.resnet18(weights=None), torch.randn(1, 3, 64, 64))


def test_onnx_file_path_and_simulator(tmp_path):
    torch.manual_seed(4)
    model = MLP(64, 128, 32).eval()
    x = torch.randn(16, 64)
    path = tmp_path / "mlp.onnx"
    path.write_bytes(export(model, x).SerializeToString())
    # Gemm (transB) lowers only on the reference backend so far.
    ref = dojo.compile(str(path), target="small", backend="reference")
    y = ref(x.numpy())
    with torch.no_grad():
        want = model(x).numpy()
    np.testing.assert_allclose(y, want, atol=3e-2)


def test_initializers_are_named_arguments():
    torch.manual_seed(5)
    imp = import_onnx(export(LeNet(), torch.randn(1, 1, 28, 28)))
    assert "conv1.weight" in imp.params and "fc3.bias" in imp.params
    assert 'dojo.name = "conv1.weight"' in imp.text
    assert imp.input_names == ["x"]


def test_shape_subgraph_is_folded():
    # y = Reshape(x, Concat(Shape(x)[0:1], [-1])): the shape is computed at
    # compile time, no integer op reaches the IR.
    x = helper.make_tensor_value_info("x", TensorProto.FLOAT, [2, 3, 4])
    y = helper.make_tensor_value_info("y", TensorProto.FLOAT, [2, 12])
    nodes = [
        helper.make_node("Shape", ["x"], ["s"], name="shape"),
        helper.make_node("Slice", ["s", "st", "en"], ["s0"], name="slice"),
        helper.make_node("Concat", ["s0", "m1"], ["shp"], axis=0,
                         name="concat"),
        helper.make_node("Reshape", ["x", "shp"], ["r"], name="reshape"),
        helper.make_node("Relu", ["r"], ["y"], name="relu"),
    ]
    inits = [helper.make_tensor("st", TensorProto.INT64, [1], [0]),
             helper.make_tensor("en", TensorProto.INT64, [1], [1]),
             helper.make_tensor("m1", TensorProto.INT64, [1], [-1])]
    g = helper.make_graph(nodes, "g", [x], [y], inits)
    m = helper.make_model(g, opset_imports=[helper.make_opsetid("", 13)])
    imp = import_onnx(m)
    assert "dojo.reshape" in imp.text and "i64" not in imp.text
    assert imp.params == {}
    cm = dojo.compile(m, precision="fp32", backend="reference")
    a = np.random.default_rng(0).standard_normal((2, 3, 4)).astype(np.float32)
    np.testing.assert_array_equal(cm(a), np.maximum(a.reshape(2, 12), 0))


def test_unsupported_op_names_node():
    x = helper.make_tensor_value_info("x", TensorProto.FLOAT, [4])
    y = helper.make_tensor_value_info("y", TensorProto.FLOAT, [4])
    g = helper.make_graph([helper.make_node("LRN", ["x"], ["y"], size=3,
                                            name="my_lrn")], "g", [x], [y])
    m = helper.make_model(g, opset_imports=[helper.make_opsetid("", 13)])
    with pytest.raises(dojo.CompileError) as ei:
        dojo.compile(m, precision="fp32", backend="reference")
    assert "my_lrn" in str(ei.value) and "LRN" in str(ei.value)
    assert ei.value.node == "my_lrn" and ei.value.op == "LRN"


def test_bool_and_int_ops_on_the_reference_backend():
    """Comparisons, logic, Where, ArgMax and integer casts run on the
    reference interpreter with bool/int64 results; the simulator backend
    names the ops it does not lower yet."""
    x = helper.make_tensor_value_info("x", TensorProto.FLOAT, [3, 4])
    m_ = helper.make_tensor_value_info("m", TensorProto.BOOL, [3, 4])
    outs = [helper.make_tensor_value_info("y", TensorProto.FLOAT, [3, 4]),
            helper.make_tensor_value_info("i", TensorProto.INT64, [3]),
            helper.make_tensor_value_info("b", TensorProto.BOOL, [3, 4]),
            helper.make_tensor_value_info("c", TensorProto.INT32, [3, 4])]
    zero = helper.make_tensor("zero", TensorProto.FLOAT, [], [0.0])
    g = helper.make_graph([
        helper.make_node("Sin", ["x"], ["s"], name="my_sine"),
        helper.make_node("Greater", ["s", "zero"], ["pos"], name="gt"),
        helper.make_node("And", ["pos", "m"], ["b"], name="and"),
        helper.make_node("Where", ["b", "x", "zero"], ["y"], name="where"),
        helper.make_node("ArgMax", ["x"], ["i"], axis=1, keepdims=0,
                         name="argmax"),
        helper.make_node("Cast", ["x"], ["c"], to=TensorProto.INT32,
                         name="cast")], "g", [x, m_], outs, [zero])
    m = helper.make_model(g, opset_imports=[helper.make_opsetid("", 13)])
    rng = np.random.default_rng(0)
    xv = (rng.standard_normal((3, 4)) * 4).astype(np.float32)
    mv = rng.standard_normal((3, 4)) > 0
    y, i, b, c = dojo.compile(m, precision="fp32", backend="reference")(
        xv, mv)
    want_b = (np.sin(xv) > 0) & mv
    assert b.dtype == np.bool_ and np.array_equal(b, want_b)
    assert np.array_equal(y, np.where(want_b, xv, 0))
    assert i.dtype == np.int64 and np.array_equal(i, xv.argmax(1))
    assert c.dtype == np.int32 and np.array_equal(c, np.trunc(xv))
    with pytest.raises(dojo.NotLoweredError) as ei:
        dojo.compile(m, precision="fp32")
    assert "my_sine: error: 'dojo.sin'" in str(ei.value)
