"""The public web application: read-only pages over the registry (issue #6)."""
