"""Importers, found by content: the registry and the choice of importer for a file.

Adding a format is adding one module with a class that follows `base.Importer` and listing an
instance in `IMPORTERS`. Order matters only where formats overlap: the more specific comes first.
"""

from __future__ import annotations

from pathlib import Path

from haven.importers.base import SNIFF_BYTES, Importer
from haven.importers.media_files import MediaFileImporter
from haven.importers.meta import MetaExportImporter, MetaHtmlExportImporter
from haven.importers.screenshot import ScreenshotImporter
from haven.importers.tabular import CsvImporter, JsonlImporter
from haven.importers.telegram import TelegramExportImporter
from haven.importers.twitter import TwitterArchiveImporter
from haven.importers.warc import WarcImporter
from haven.importers.whatsapp import WhatsAppChatImporter

# The specific before the generic: a WACZ is a zip, a screenshot is an image, a Meta or
# Telegram JSON file must not be taken for generic JSONL.
IMPORTERS: tuple[Importer, ...] = (
    WarcImporter(),
    ScreenshotImporter(),
    MetaExportImporter(),
    MetaHtmlExportImporter(),
    TelegramExportImporter(),
    TwitterArchiveImporter(),
    WhatsAppChatImporter(),
    JsonlImporter(),
    CsvImporter(),
    MediaFileImporter(),
)


def importer_for(path: Path) -> Importer | None:
    """The importer whose format this file is in, judged by its content; None if none is."""
    with path.open("rb") as handle:
        head = handle.read(SNIFF_BYTES)
    for importer in IMPORTERS:
        if importer.sniff(path, head):
            return importer
    return None


__all__ = ["IMPORTERS", "Importer", "importer_for"]
