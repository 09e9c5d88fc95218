#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""Writes the small fixed-weight ONNX models the adapter tests run (Debian's python3-onnx).

usage: /usr/bin/python3 tests/adapters/make_models.py OUTDIR

  sobel_xy.onnx      image [1,1,H,W] -> Pad(reflect, 1) -> Conv(Sobel x, Sobel y) -> gradient [1,2,H,W]
                     (reflect padding is OpenCV's BORDER_REFLECT_101, vecta::sobel's default)
  sobel_mag.onnx     the same -> sqrt(dx^2 + dy^2) -> magnitude [1,1,H,W]
  edge_prob.onnx     rgb [1,3,H,W] -> luma -> 3x3 binomial blur -> |dx|, |dy| (ReLU of +-Sobel)
                     -> sigmoid(8 (|dx| + |dy|) / 4 - 4) -> edge [1,1,H,W]  (zero padding)
  identity_nchw.onnx x [1,3,H,W] -> y (tests normalization and layout)
  identity_nhwc.onnx x [1,H,W,3] -> y
  fixed_8x8.onnx     x [1,1,8,8] -> y (a model with a fixed input size)
  two_inputs.onnx    a + b (rejected: one input expected)
  uint8_input.onnx   uint8 [1,1,H,W] -> Cast -> float (rejected: float input expected)
  half_size.onnx     MaxPool 2x2 stride 2 (rejected at run time: output of another size)
ONNX Conv is cross-correlation (no kernel flip), as vecta::sobel and cv::Sobel.
"""
import pathlib
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

OPSET = 13
IR = 7


def save(graph, path):
    m = helper.make_model(graph, opset_imports=[helper.make_opsetid("", OPSET)], producer_name="vecta-tests")
    m.ir_version = IR
    onnx.checker.check_model(m)
    onnx.save(m, str(path))


def init(name, array):
    return numpy_helper.from_array(np.asarray(array), name)


SX = np.array([[-1, 0, 1], [-2, 0, 2], [-1, 0, 1]], np.float32)
SY = SX.T.copy()


def sobel_nodes(src):
    """Nodes and initializers: src [1,1,H,W] -> 'g' [1,2,H,W] with reflect-101 borders."""
    inits = [init("pads", np.array([0, 0, 1, 1, 0, 0, 1, 1], np.int64)),
             init("w_sobel", np.stack([SX, SY])[:, None, :, :].astype(np.float32))]
    nodes = [helper.make_node("Pad", [src, "pads"], ["padded"], mode="reflect"),
             helper.make_node("Conv", ["padded", "w_sobel"], ["g"], kernel_shape=[3, 3])]
    return nodes, inits


def img(name, dtype, shape):
    return helper.make_tensor_value_info(name, dtype, shape)


def main(out: pathlib.Path):
    out.mkdir(parents=True, exist_ok=True)
    F = TensorProto.FLOAT

    nodes, inits = sobel_nodes("image")
    nodes.append(helper.make_node("Identity", ["g"], ["gradient"]))
    save(helper.make_graph(nodes, "sobel_xy", [img("image", F, [1, 1, "H", "W"])],
                           [img("gradient", F, [1, 2, "H", "W"])], inits), out / "sobel_xy.onnx")

    nodes, inits = sobel_nodes("image")
    inits.append(init("ones", np.ones((1, 2, 1, 1), np.float32)))
    nodes += [helper.make_node("Mul", ["g", "g"], ["g2"]),
              helper.make_node("Conv", ["g2", "ones"], ["sum"], kernel_shape=[1, 1]),
              helper.make_node("Sqrt", ["sum"], ["magnitude"])]
    save(helper.make_graph(nodes, "sobel_mag", [img("image", F, [1, 1, "H", "W"])],
                           [img("magnitude", F, [1, 1, "H", "W"])], inits), out / "sobel_mag.onnx")

    blur = np.outer([1, 2, 1], [1, 2, 1]).astype(np.float32) / 16
    w4 = np.stack([SX, -SX, SY, -SY])[:, None, :, :].astype(np.float32)
    inits = [init("w_luma", np.array([0.299, 0.587, 0.114], np.float32).reshape(1, 3, 1, 1)),
             init("w_blur", blur.reshape(1, 1, 3, 3)),
             init("w_grad", w4),
             init("w_sum", np.full((1, 4, 1, 1), 2.0, np.float32)),
             init("b_sum", np.array([-4.0], np.float32))]
    nodes = [helper.make_node("Conv", ["rgb", "w_luma"], ["luma"], kernel_shape=[1, 1]),
             helper.make_node("Conv", ["luma", "w_blur"], ["blurred"], kernel_shape=[3, 3], pads=[1, 1, 1, 1]),
             helper.make_node("Conv", ["blurred", "w_grad"], ["g4"], kernel_shape=[3, 3], pads=[1, 1, 1, 1]),
             helper.make_node("Relu", ["g4"], ["r4"]),
             helper.make_node("Conv", ["r4", "w_sum", "b_sum"], ["logit"], kernel_shape=[1, 1]),
             helper.make_node("Sigmoid", ["logit"], ["edge"])]
    save(helper.make_graph(nodes, "edge_prob", [img("rgb", F, [1, 3, "H", "W"])],
                           [img("edge", F, [1, 1, "H", "W"])], inits), out / "edge_prob.onnx")

    for name, shape in [("identity_nchw", [1, 3, "H", "W"]), ("identity_nhwc", [1, "H", "W", 3]),
                        ("fixed_8x8", [1, 1, 8, 8])]:
        save(helper.make_graph([helper.make_node("Identity", ["x"], ["y"])], name, [img("x", F, shape)],
                               [img("y", F, shape)]), out / f"{name}.onnx")

    save(helper.make_graph([helper.make_node("Add", ["a", "b"], ["y"])], "two_inputs",
                           [img("a", F, [1, 1, "H", "W"]), img("b", F, [1, 1, "H", "W"])],
                           [img("y", F, [1, 1, "H", "W"])]), out / "two_inputs.onnx")
    save(helper.make_graph([helper.make_node("Cast", ["x"], ["y"], to=F)], "uint8_input",
                           [img("x", TensorProto.UINT8, [1, 1, "H", "W"])], [img("y", F, [1, 1, "H", "W"])]),
         out / "uint8_input.onnx")
    save(helper.make_graph([helper.make_node("MaxPool", ["x"], ["y"], kernel_shape=[2, 2], strides=[2, 2])],
                           "half_size", [img("x", F, [1, 1, "H", "W"])], [img("y", F, [1, 1, "h", "w"])]),
         out / "half_size.onnx")
    (out / "models.stamp").write_text("ok\n")


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    main(pathlib.Path(sys.argv[1]))
