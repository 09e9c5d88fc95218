# SPDX-License-Identifier: MIT
"""vecta.vectorize(..., max_bytes=, min_psnr=): the byte cap holds, the choice is reported, an
unreachable target says so, bad values raise ValueError naming the keyword (issue 19)."""
import math

import numpy as np
import pytest

import vecta


def scene(h=90, w=120):
    y, x = np.mgrid[0:h, 0:w] / np.array([h, w]).reshape(2, 1, 1)
    im = np.stack([60 + 150 * x, 40 + 170 * y * y, 120 + 100 * np.sin(6 * x + 3 * y)], -1)
    im[(x - 0.3) ** 2 + (y - 0.4) ** 2 < 0.04] = (230, 200, 30)
    im += np.random.default_rng(1).uniform(-8, 8, im.shape)
    return np.clip(im, 0, 255).astype(np.uint8)


@pytest.mark.parametrize("cap", [300, 2000, 8000])
def test_max_bytes_caps_the_document(cap):
    svg, stats = vecta.vectorize(scene(), max_bytes=cap)
    assert len(svg.encode()) <= cap
    b = stats["budget"]
    assert b["met"] is True and b["passes"] >= 1 and b["colors"] >= 1 and 0 <= b["precision"] <= 1


def test_unreachable_target_is_reported():
    svg, stats = vecta.vectorize(scene(), max_bytes=3000, min_psnr=60)
    assert stats["budget"]["met"] is False
    assert len(svg.encode()) <= 3000 and stats["budget"]["psnr"] < 60


def test_no_budget_no_budget_stats():
    _, stats = vecta.vectorize(scene())
    assert "budget" not in stats


@pytest.mark.parametrize("kw, name", [({"max_bytes": -1}, "max_bytes"), ({"max_bytes": 20}, "max_bytes"),
                                      ({"min_psnr": -1.0}, "min_psnr"), ({"min_psnr": math.nan}, "min_psnr"),
                                      ({"min_psnr": math.inf}, "min_psnr")])
def test_bad_budgets_name_the_keyword(kw, name):
    with pytest.raises(ValueError, match=name):
        vecta.vectorize(scene(), **kw)
