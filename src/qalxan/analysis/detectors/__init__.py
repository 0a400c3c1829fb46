"""Built-in detectors, one module each. Each module registers its detector on import."""
