"""Qalxan: protects human rights defenders from online attacks."""

__version__ = "0.1.0"
