"""Quality evaluations for Qalxan's detectors."""
