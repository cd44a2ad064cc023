"""The registry's JSON API (``/api/``): read access for everyone, writes for editors with a token.

Django REST framework with drf-spectacular for the OpenAPI 3 description (``/api/openapi.json``).
The API answers in JSON only (no browsable HTML pages), so the site's Content-Security-Policy holds.
"""
