"""The multilingual embeddings and their shipped cache for the example comments."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from haven.text.classifier import load_examples
from haven.text.embeddings import (
    MODEL,
    cached_embeddings,
    digest,
    embed,
    load_cache,
    write_cache,
)


def test_the_shipped_cache_covers_every_shipped_example() -> None:
    # Otherwise the first scan of every case embeds the missing examples (about 90 a second).
    from haven.text.embeddings import _shipped

    known = _shipped()
    missing = [e.text for e in load_examples() if digest(e.text) not in known]
    assert known and not missing, f"{len(missing)} examples: run scripts/refresh-embeddings.py"


def test_cached_vectors_are_the_model_s_own() -> None:
    texts = [e.text for e in load_examples()[:3]]
    cached, fresh = cached_embeddings(texts), embed(texts)
    cosine = np.sum(cached * fresh, axis=1)
    assert cosine.shape == (3,) and (cosine > 0.999).all()


def test_a_text_not_in_the_cache_is_embedded() -> None:
    text = "Bu cümlə heç bir nümunədə yoxdur, 7391"
    (vector,) = cached_embeddings([text])
    assert np.isclose(np.linalg.norm(vector), 1.0, atol=1e-3)
    assert np.allclose(vector, embed([text])[0], atol=1e-5)
    other = embed(["Сегодня хорошая погода"])[0]
    assert float(vector @ other) < 0.99


def test_the_cache_file_holds_digests_and_vectors_but_no_text(tmp_path: Path) -> None:
    texts = ["Samir Həsənov evdədir", "Samir Həsənov evdədir", "ещё один текст"]
    path = tmp_path / "cache.npz"
    assert write_cache(texts, path) == 2
    with np.load(path) as data:
        assert str(data["model"]) == MODEL
        assert [k.tobytes() for k in data["digests"]] == [digest(texts[0]), digest(texts[2])]
        assert data["vectors"].shape == (2, 384)
    raw = path.read_bytes()
    assert "Həsənov".encode() not in raw and "текст".encode() not in raw


def test_a_damaged_cache_is_named_and_the_vectors_are_computed(tmp_path: Path) -> None:
    path = tmp_path / "cache.npz"
    write_cache(["Samir Həsənov evdədir"], path)
    good = load_cache(path)
    assert list(good) == [digest("Samir Həsənov evdədir")]
    path.write_bytes(path.read_bytes()[:100])  # cut short, as a broken copy would be
    with pytest.warns(RuntimeWarning, match=r"cache\.npz: unreadable embedding cache"):
        assert load_cache(path) == {}
    assert load_cache(tmp_path / "missing.npz") == {}
