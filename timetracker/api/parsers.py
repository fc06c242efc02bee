"""Request body parsing shared by the APIs."""

from rest_framework import parsers
from rest_framework.exceptions import ParseError


def contains_nul(data) -> bool:
    """Whether a parsed JSON value holds a NUL character anywhere (PostgreSQL cannot store one)."""
    if isinstance(data, str):
        return "\x00" in data
    if isinstance(data, dict):
        return any(contains_nul(key) or contains_nul(value) for key, value in data.items())
    if isinstance(data, list):
        return any(contains_nul(item) for item in data)
    return False


class JSONParser(parsers.JSONParser):
    """DRF's JSON parser, refusing NUL characters so that SQLite and PostgreSQL behave alike."""

    def parse(self, stream, media_type=None, parser_context=None):
        data = super().parse(stream, media_type, parser_context)
        if contains_nul(data):
            raise ParseError("JSON strings must not contain NUL characters.")
        return data
