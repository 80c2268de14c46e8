"""Pictures of stored media for the browser: a JPEG preview, blurred or clear.

The stored bytes are never sent as they are (they could be anything, including HTML); a still
is decoded with Pillow (photos) or PyAV (first frame of a video) and re-encoded as JPEG. The
blurred preview is blurred here, on the server, so nothing recognisable reaches the page until
the person chooses to look.
"""

from __future__ import annotations

import io

from PIL import Image, ImageFilter, ImageOps

MAX_SIDE = 720
BLUR_RADIUS = 28


def _still(data: bytes) -> Image.Image:
    try:
        with Image.open(io.BytesIO(data)) as image:
            image.load()
            return ImageOps.exif_transpose(image).convert("RGB")
    except (OSError, ValueError, Image.DecompressionBombError):
        pass
    import av  # only videos need it

    with av.open(io.BytesIO(data), mode="r") as container:
        for frame in container.decode(video=0):
            still: Image.Image = frame.to_image().convert("RGB")  # type: ignore[no-untyped-call]
            return still
    raise ValueError("no picture or video frame in these bytes")


def preview_jpeg(data: bytes, blurred: bool) -> bytes:
    """A JPEG of the picture (or first video frame), at most MAX_SIDE pixels on a side."""
    image = _still(data)
    image.thumbnail((MAX_SIDE, MAX_SIDE))
    if blurred:
        small = image.resize((max(1, image.width // 8), max(1, image.height // 8)))
        image = small.resize(image.size).filter(ImageFilter.GaussianBlur(BLUR_RADIUS))
    out = io.BytesIO()
    image.save(out, "JPEG", quality=80)
    return out.getvalue()
