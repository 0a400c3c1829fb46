"""Security: crypto (the only module touching primitives), auth, access control, audit."""
