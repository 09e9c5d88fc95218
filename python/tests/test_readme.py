# SPDX-License-Identifier: MIT
"""The README's Python example runs as written (from the repository root) and gives what its comments say."""
import os
import re

from conftest import REPO


def test_readme_python_example_runs():
    text = (REPO / "README.md").read_text()
    blocks = re.findall(r"```python\n(.*?)```", text, re.S)
    assert blocks, "README.md has no ```python block"
    cwd = os.getcwd()
    os.chdir(REPO)
    try:
        scope = {}
        for block in blocks:
            exec(compile(block, "README.md", "exec"), scope)
    finally:
        os.chdir(cwd)
    img, q, edges, idx = scope["img"], scope["q"], scope["edges"], scope["idx"]
    assert img.ndim == 3 and img.shape[2] == 3 and img.dtype.name == "uint8"
    assert len(q.palette) <= 16
    assert edges.shape == img.shape[:2] and set(edges.ravel().tolist()) <= {0, 255}
    assert scope["svg"].lstrip().startswith("<svg") or "<svg" in scope["svg"][:200]
    # each query is its own best cosine match
    assert (idx[:, 0] == range(10)).all()
