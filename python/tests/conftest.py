# SPDX-License-Identifier: MIT
"""Shared fixtures of the vecta Python tests: the shared photo corpus and small synthetic inputs.

The corpus is the environment variable VECTA_DATA_DIR (set by ctest) when it is set, else
../shared/data relative to the repository; tests that need it skip with a message when it is absent.
"""
import os
import pathlib

import numpy as np
import pytest

REPO = pathlib.Path(__file__).resolve().parents[2]


def data_dir():
    env = os.environ.get("VECTA_DATA_DIR")
    c = pathlib.Path(env) if env else REPO.parent / "shared" / "data"
    return c if (c / "photos").is_dir() else None


def photo_paths():
    d = data_dir()
    if d is None:
        return []
    return sorted(p for p in (d / "photos").iterdir() if p.suffix.lower() in (".png", ".jpg", ".jpeg"))


def require_photos():
    paths = photo_paths()
    if not paths:
        pytest.skip("shared corpus not found (set VECTA_DATA_DIR or put it at ../shared/data): photo tests skipped")
    return paths


def load_rgb(path, max_side=None):
    """A photo as H x W x 3 uint8 RGB (OpenCV decodes, so the reference does not depend on vecta's decoder)."""
    cv2 = pytest.importorskip("cv2")
    bgr = cv2.imread(str(path), cv2.IMREAD_COLOR)
    assert bgr is not None, path
    if max_side and max(bgr.shape[:2]) > max_side:
        s = max_side / max(bgr.shape[:2])
        bgr = cv2.resize(bgr, (round(bgr.shape[1] * s), round(bgr.shape[0] * s)), interpolation=cv2.INTER_AREA)
    return np.ascontiguousarray(bgr[:, :, ::-1])


@pytest.fixture(scope="session")
def photos():
    return require_photos()


@pytest.fixture(scope="session")
def small_photo():
    """A colour photo of at most 512 pixels per side (synthetic when the corpus is absent)."""
    paths = photo_paths()
    for p in paths:
        if "chelsea" in p.name or "astronaut" in p.name:
            return load_rgb(p, 512)
    rng = np.random.default_rng(7)
    y, x = np.mgrid[0:256, 0:320]
    img = np.stack([(x * 255 // 319), (y * 255 // 255), ((x + y) * 255 // 574)], axis=-1).astype(np.uint8)
    img[40:120, 30:150] = (220, 40, 40)  # flat shapes give edges and contours
    img[150:230, 200:300] = (30, 30, 200)
    yy, xx = np.ogrid[0:256, 0:320]
    img[(yy - 180) ** 2 + (xx - 90) ** 2 < 40 ** 2] = (250, 250, 60)
    return np.clip(img.astype(int) + rng.integers(-20, 21, img.shape), 0, 255).astype(np.uint8)


@pytest.fixture(scope="session")
def gray_image(small_photo):
    return np.ascontiguousarray(
        ((9798 * small_photo[..., 0].astype(np.int64) + 19235 * small_photo[..., 1] + 3735 * small_photo[..., 2]
          + 16384) >> 15).astype(np.uint8))
