"""Teamwork-compatible time API (``/teamwork/``): Teamwork's wire format over our time entries."""
