"""Reports: read the vault and present it. They never change what is stored."""
