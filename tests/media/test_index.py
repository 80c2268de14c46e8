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


def test_approximate_index_finds_what_the_exact_one_finds_when_probing_all() -> None:
    rng = np.random.default_rng(5)
    stored = rng.integers(0, 256, (20_000, 32), dtype=np.uint8)
    queries = stored[:200].copy()
    queries[:, :3] ^= 0x11  # 6 bits away
    exact = PdqIndex()
    exact.add(stored)
    approximate = PdqIndex.approximate(stored, nlist=32, nprobe=32)
    approximate.add(stored)
    assert approximate.range_search(queries, 31) == exact.range_search(queries, 31)
    narrow = PdqIndex.approximate(stored, nlist=32, nprobe=1)
    narrow.add(stored)
    hits = {(h.query, h.id) for h in narrow.range_search(queries, 31)}
    assert sum((q, q) in hits for q in range(200)) >= 100  # most, at one probe of 32
