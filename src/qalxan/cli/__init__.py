"""The command line: a thin shell over the same services as the web."""
