"""Reproducible training scripts for Qalxan's shipped models."""
