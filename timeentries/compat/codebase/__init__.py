"""The Codebase-compatible time-sessions API under ``/codebase/`` (see docs/codebase.md)."""
