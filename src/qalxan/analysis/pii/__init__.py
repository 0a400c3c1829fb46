"""Recognizers of personal data, used by the doxing detector (one concept per module)."""
