"""Shipped scheme and handbook definitions (data only; edit the YAML, not code)."""
