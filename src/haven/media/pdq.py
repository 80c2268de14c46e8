"""PDQ image hashes in the string format of python-threatexchange, and fast Hamming distances.

PDQ (Meta's perceptual hash) is what StopNCII and Hasher-Matcher-Actioner exchange, so Haven
computes it exactly as they do: 256 bits written as 64 lowercase hex characters, plus a quality
from 0 to 100. Hashes below quality 50 describe near-featureless pictures and should not be
trusted for matching. Images are EXIF-oriented before hashing: a phone photo hashed from raw
pixels is about 126 bits away from the same photo displayed upright.

This module only reads files; it never writes anything.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import numpy.typing as npt
import pdqhash
from PIL import Image, ImageOps, UnidentifiedImageError

from haven.media.errors import MediaError

HASH_BITS = 256
HASH_BYTES = HASH_BITS // 8
HEX_LENGTH = HASH_BITS // 4
#: The match threshold the PDQ authors recommend (distance <= 31 of 256 bits).
DEFAULT_THRESHOLD = 31
#: Hashes with a lower quality are dropped by the reference implementations.
MIN_QUALITY = 50
#: Order of the eight hashes returned by ``pdqhash.compute_dihedral``.
DIHEDRAL_NAMES = (
    "original",
    "rotate90",
    "rotate180",
    "rotate270",
    "flipx",
    "flipy",
    "flip_plus1",
    "flip_minus1",
)
# Pillow refuses images above ~179 Mpx by default as a decompression-bomb guard; keep that.

HashArray = npt.NDArray[np.uint8]
RGBImage = npt.NDArray[np.uint8]


@dataclass(frozen=True)
class PdqHash:
    """One PDQ hash and its quality, printable in the python-threatexchange format."""

    hex: str
    quality: int

    def __post_init__(self) -> None:
        if len(self.hex) != HEX_LENGTH:
            raise ValueError(f"a PDQ hash has {HEX_LENGTH} hex characters, got {len(self.hex)}")
        int(self.hex, 16)  # raises ValueError on non-hex characters
        if not 0 <= self.quality <= 100:
            raise ValueError(f"PDQ quality must be within 0..100, got {self.quality}")

    def __str__(self) -> str:
        return self.hex

    def to_line(self) -> str:
        """``hex,quality``: the hash with its quality, as threatexchange's CLI and vPDQ write it."""
        return f"{self.hex},{self.quality}"

    @classmethod
    def from_line(cls, text: str) -> PdqHash:
        """Parse ``hex`` or ``hex,quality`` (a missing quality is taken as 100)."""
        parts = text.strip().split(",")
        if len(parts) == 1:
            return cls(parts[0].lower(), 100)
        if len(parts) == 2:
            return cls(parts[0].lower(), int(parts[1]))
        raise ValueError(f"not a PDQ hash line: {text!r}")

    def to_bytes(self) -> bytes:
        return bytes.fromhex(self.hex)

    def distance(self, other: PdqHash) -> int:
        """Hamming distance in bits; 0 means identical hashes."""
        return (int(self.hex, 16) ^ int(other.hex, 16)).bit_count()


def _bits_to_hex(bits: npt.NDArray[np.integer]) -> str:
    # pdqhash returns 256 ints, most significant bit first, as threatexchange reads them.
    return np.packbits(np.asarray(bits, dtype=np.uint8)).tobytes().hex()


def load_image_rgb(path: str | Path) -> RGBImage:
    """Decode an image file to an upright RGB array (EXIF orientation applied).

    Raises MediaError naming the file when it is missing, truncated or not an image.
    """
    try:
        with Image.open(path) as opened:
            opened.load()
            upright = ImageOps.exif_transpose(opened)
            rgb = _to_rgb(upright)
    except FileNotFoundError as exc:
        raise MediaError(path, "file not found") from exc
    except UnidentifiedImageError as exc:
        raise MediaError(path, "not a readable image") from exc
    except (OSError, ValueError, SyntaxError, Image.DecompressionBombError) as exc:
        raise MediaError(path, f"cannot decode image ({exc})") from exc
    array = np.asarray(rgb, dtype=np.uint8)
    if array.ndim != 3 or array.shape[0] < 1 or array.shape[1] < 1:
        raise MediaError(path, f"image has unusable dimensions {array.shape}")
    return array


def _to_rgb(image: Image.Image) -> Image.Image:
    if image.mode in ("I;16", "I;16B", "I;16L", "I"):
        # Pillow's direct I -> RGB conversion clips instead of scaling; threatexchange's
        # reference hash of a 16-bit PNG comes from the 8-bit grey conversion below.
        return image.convert("L").convert("RGB")
    return image.convert("RGB")


def hash_frame(rgb: RGBImage) -> PdqHash:
    """PDQ of an RGB array (height x width x 3, uint8)."""
    bits, quality = pdqhash.compute(_contiguous(rgb))
    return PdqHash(_bits_to_hex(bits), int(quality))


def hash_image(path: str | Path) -> PdqHash:
    """PDQ of an image file, EXIF-oriented, as python-threatexchange computes it."""
    return hash_frame(load_image_rgb(path))


def dihedral_hashes(rgb: RGBImage) -> dict[str, PdqHash]:
    """The PDQ of all eight rotations and flips of an image, for the cost of one hash.

    A mirrored or rotated repost is ~120 bits away from the original under plain PDQ; comparing
    a candidate against these eight hashes recovers it.
    """
    vectors, quality = pdqhash.compute_dihedral(_contiguous(rgb))
    return {
        name: PdqHash(_bits_to_hex(vec), int(quality))
        for name, vec in zip(DIHEDRAL_NAMES, vectors, strict=True)
    }


def _contiguous(rgb: RGBImage) -> RGBImage:
    if rgb.ndim != 3 or rgb.shape[2] != 3:
        raise ValueError(f"expected an RGB array of shape (h, w, 3), got {rgb.shape}")
    return np.ascontiguousarray(rgb, dtype=np.uint8)


def hashes_to_array(hashes: Sequence[str | PdqHash]) -> HashArray:
    """Pack hex hashes into an (n, 32) uint8 array, the layout faiss and the matcher use."""
    out = np.empty((len(hashes), HASH_BYTES), dtype=np.uint8)
    for row, value in enumerate(hashes):
        out[row] = np.frombuffer(bytes.fromhex(str(value)), dtype=np.uint8)
    return out


def array_to_hexes(array: HashArray) -> list[str]:
    """Inverse of :func:`hashes_to_array`."""
    return [bytes(row).hex() for row in np.asarray(array, dtype=np.uint8)]


def distance_matrix(queries: HashArray, targets: HashArray) -> npt.NDArray[np.int32]:
    """All pairwise Hamming distances, (n, 32) x (m, 32) -> (n, m).

    Done with 64-bit XOR and popcount in numpy: python-threatexchange's pure-Python loop is
    far too slow for the many variant hashes the robust matcher compares.
    """
    q = np.ascontiguousarray(queries, dtype=np.uint8).view(np.uint64)
    t = np.ascontiguousarray(targets, dtype=np.uint8).view(np.uint64)
    if q.shape[0] == 0 or t.shape[0] == 0:
        return np.zeros((q.shape[0], t.shape[0]), dtype=np.int32)
    counts = np.bitwise_count(q[:, None, :] ^ t[None, :, :])
    total: npt.NDArray[np.int32] = counts.sum(axis=2, dtype=np.int32)
    return total


def hamming(a: str | PdqHash, b: str | PdqHash) -> int:
    """Hamming distance between two hex PDQ hashes."""
    return (int(str(a), 16) ^ int(str(b), 16)).bit_count()


def remove_black_borders(rgb: RGBImage, black_threshold: int = 15) -> RGBImage:
    """Drop outer rows and columns whose every channel is <= black_threshold.

    The same rule as python-threatexchange's ``unletterbox`` preprocessing, vectorised: a
    letterboxed copy is ~140 bits from the original under plain PDQ and ~0-16 after this.
    Returns the input unchanged if the whole picture is black.
    """
    dark = np.all(rgb <= black_threshold, axis=2)
    rows = np.flatnonzero(~dark.all(axis=1))
    cols = np.flatnonzero(~dark.all(axis=0))
    if rows.size == 0 or cols.size == 0:
        return rgb
    return rgb[rows[0] : rows[-1] + 1, cols[0] : cols[-1] + 1]
