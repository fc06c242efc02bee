"""Compatibility APIs over time entries: each module only translates a peer's wire format and calls
the same services and selectors as v1."""
