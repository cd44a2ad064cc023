"""Reference data without Django: the gazetteer of municipalities over time, the vocabularies,
and the files shipped in ``data/`` (see ``data/SOURCES.md``). Everything else builds on it."""
