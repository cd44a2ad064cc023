"""The Django-free core at the bottom of the house: what every path into and out of the registry
shares, with no database and no web framework.

- :mod:`.text` — the input boundary for text: Unicode normalisation, invisible and control
  characters, trimming.
- :mod:`.cells` — spreadsheet safety: what counts as a formula, and how every output neutralises one
  (the one way an xlsx is saved and a csv written).
- :mod:`.markdown` — Markdown from data: the one escaping every Markdown writer uses.
- :mod:`.safejson` — JSON from outside, parsed with limits.
- :mod:`.i18n` — the one message catalogue (gettext), read without Django: bokmål is the source,
  English comes from ``locale/en/LC_MESSAGES/django.mo``.

Nothing here may import Django or any other ``samarbeid`` package.
"""
