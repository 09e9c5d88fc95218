# SPDX-License-Identifier: MIT
"""vecta: header-only C++20 kernels for image vectorization, similarity and streaming, from NumPy.

The compiled extension is vecta._core (python/src/*.cpp); this package re-exports every public
name of it, so ``import vecta; vecta.quantize(...)`` is the API. Pure-Python submodules:
vecta.compat (the call shapes of the pipelines vecta grew from) and vecta.dask (batches on a Dask
cluster, imported on first use). ``python -m vecta --version`` prints the version.
"""
import sys as _sys

from . import _core, _errors

_errors.install(_core, _core.williams)  # NumPy-style TypeError / ValueError for unconvertible arguments
from ._core import *  # noqa: F401,F403  (every public name of the extension)
from ._core import __version__, williams  # noqa: F401
from . import compat  # noqa: E402  (pure Python, cheap: numpy is loaded already)

__doc__ = _core.__doc__


def __getattr__(name):
    """vecta.dask is imported on first use (it imports dask and distributed)."""
    if name == "dask":
        import importlib
        return importlib.import_module(".dask", __name__)
    raise AttributeError(f"module 'vecta' has no attribute '{name}'")


def __dir__():
    return sorted(set(globals()) | {"dask"})

# `import vecta.williams` and `from vecta.williams import space_bound` keep working.
_sys.modules[__name__ + ".williams"] = williams
