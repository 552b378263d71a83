"""The public API: /api/v1/, personal tokens, the same visibility as the pages."""
