"""Haven: find copies of private media, triage threats, keep evidence that verifies."""

__version__ = "0.1.0"
