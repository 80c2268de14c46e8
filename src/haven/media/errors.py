"""The one error media code raises for bad input, so a scan can report it and go on."""

from __future__ import annotations

from pathlib import Path


class MediaError(Exception):
    """A media file could not be read or hashed; the message names the file and the problem.

    A scan over thousands of collected files must not stop at one corrupt download, so callers
    catch this per file, record it, and continue.
    """

    def __init__(self, path: str | Path, problem: str) -> None:
        self.path = str(path)
        self.problem = problem
        super().__init__(f"{self.path}: {problem}")
