"""Media fingerprints: find copies of protected photos and videos from their hashes alone.

This package hashes images and videos (PDQ, vPDQ in python-threatexchange formats), builds
robust fingerprints of protected media and matches candidates against them. It never writes to
the vault and never keeps pixels of protected media: only hashes and local-feature descriptors
leave these functions, so the caller decides what is stored.
"""

from haven.media.errors import MediaError

__all__ = ["MediaError"]
