"""glutlint: lint, verify and build an evidence-checked review."""

__version__ = "0.1.0"
