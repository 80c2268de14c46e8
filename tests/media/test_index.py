"""The faiss index returns exactly what brute-force Hamming search returns."""

from __future__ import annotations

import numpy as np
import pytest

from haven.media.index import PdqIndex
from haven.media.pdq import distance_matrix, hashes_to_array

from .conftest import DATA

REG = DATA / "threatexchange-pdq/pdq/data/reg-test-input"


def read_hashes(name: str) -> list[str]:
    return [line.split()[0] for line in (REG / name).read_text().splitlines() if line.strip()]


@pytest.mark.parametrize("probe_k", [1, 8])
@pytest.mark.parametrize("threshold", [0, 16, 31, 32, 90])
def test_range_search_equals_brute_force(threshold: int, probe_k: int) -> None:
    needles = read_hashes("needles.txt")
    haystack = read_hashes("haystack.txt")
    index = PdqIndex()
    index.add(haystack, ids=range(1000, 1000 + len(haystack)))
    assert len(index) == len(haystack)
    got = {
        (h.query, h.id - 1000, h.distance) for h in index.range_search(needles, threshold, probe_k)
    }
    matrix = distance_matrix(hashes_to_array(needles), hashes_to_array(haystack))
    want = {
        (int(q), int(t), int(matrix[q, t]))
        for q, t in zip(*np.nonzero(matrix <= threshold), strict=True)
    }
    assert got == want
    if threshold == 31:
        assert got  # the regression data has near neighbours at this distance


def test_nearest_and_ids() -> None:
    rng = np.random.default_rng(3)
    stored = rng.integers(0, 256, (500, 32), dtype=np.uint8)
    index = PdqIndex()
    index.add(stored[:250])
    index.add(stored[250:], ids=range(10_000, 10_250))
    query = stored[[3, 260]].copy()
    query[:, 0] ^= 0b101
    distances, ids = index.nearest(query, k=1)
    assert distances[:, 0].tolist() == [2, 2]
    assert ids[:, 0].tolist() == [3, 10_010]
    with pytest.raises(ValueError):
        index.add(stored[:2], ids=[1])
    assert PdqIndex().range_search(query) == []
