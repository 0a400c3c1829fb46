"""The service layer: every entry point (web, API, CLI) calls these functions.

Authorisation, validation, audit and transactions happen here, so no entry point can skip them.
"""
