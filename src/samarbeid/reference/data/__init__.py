"""Reference data files (package data); see README.md and SOURCES.md."""
