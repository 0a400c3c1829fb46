"""The one part of the build that pyproject.toml cannot declare without an experimental table:
the links detector's host extraction and look-ups, plain C against the CPython API."""

from setuptools import Extension, setup

setup(ext_modules=[Extension("qalxan.analysis._hosts", sources=["src/qalxan/analysis/_hosts.c"])])
