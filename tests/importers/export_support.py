"""Helpers for the export importer tests: registration, mojibake, small real images."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

import haven.importers
from haven.demo.media import scene_frame, write_image
from haven.importers.meta import MetaExportImporter, MetaHtmlExportImporter
from haven.importers.telegram import TelegramExportImporter
from haven.importers.twitter import TwitterArchiveImporter
from haven.importers.whatsapp import WhatsAppChatImporter
from haven.vault import Vault

AZ = "Səni tapacağıq, ünvanın bəllidir. İşdən çıxarılacaqsan, şəhərdən gedin! Görəcəksən."
RU = "Мы знаем, где ты живёшь. Ёлки, адрес уже у всех."
AZ_CYRL = "Сәни тапаҹағыг"


def ours() -> tuple[Any, ...]:
    return (MetaExportImporter(), MetaHtmlExportImporter(), TelegramExportImporter(),
            TwitterArchiveImporter(), WhatsAppChatImporter())


def register(monkeypatch: pytest.MonkeyPatch) -> None:
    """Our importers first, as they will be registered, before the CSV/JSONL/media ones."""
    monkeypatch.setattr(haven.importers, "IMPORTERS", (*ours(), *haven.importers.IMPORTERS))


def mojibake(text: str) -> str:
    """What Meta's exports do to UTF-8: each byte becomes a Latin-1 character."""
    return text.encode("utf-8").decode("latin-1")


def write_meta(path: Path, data: Any) -> Path:
    """Write like Meta does: mojibake strings, ASCII-escaped, indented."""

    def spoil(value: Any) -> Any:
        if isinstance(value, str):
            return mojibake(value)
        if isinstance(value, list):
            return [spoil(v) for v in value]
        if isinstance(value, dict):
            return {k: spoil(v) for k, v in value.items()}
        return value

    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(spoil(data), indent=2, ensure_ascii=True), encoding="ascii")
    return path


def image(path: Path, seed: int = 3) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    return write_image(path, scene_frame(0.2, 64, 48, seed))


def count(vault: Vault, table: str = "items") -> int:
    return int(vault.conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0])
