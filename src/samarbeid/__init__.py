"""Samarbeidsregisteret: the registry of Norwegian inter-municipal cooperation."""

__version__ = "0.1.0"
