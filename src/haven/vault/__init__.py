"""Storage of a case: the encrypted database, the blob store and the keys that open them."""

from haven.vault.blobs import BlobError
from haven.vault.case_vault import Vault
from haven.vault.keys import KdfParams, VaultError, WrongPassphrase

__all__ = ["BlobError", "KdfParams", "Vault", "VaultError", "WrongPassphrase"]
