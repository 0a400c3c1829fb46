"""Entities' vocabularies and rules, typed and free of I/O."""
