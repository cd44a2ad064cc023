"""The registry: municipalities over time, mappings, arrangements and memberships."""
