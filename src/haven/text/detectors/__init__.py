"""Text detectors: one module each, all implementing `base.Detector`.

Adding a detector is adding a module with a class that has `name`, `version` and
`detect(doc, facts)`, and listing it in `haven.text.analyse.default_detectors`.
"""

from __future__ import annotations

from haven.text.detectors.base import Detection, Detector

__all__ = ["Detection", "Detector"]
