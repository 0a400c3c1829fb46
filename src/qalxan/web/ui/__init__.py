"""Server-rendered pages: the defender's intake and follow-up, and the staff case pages."""
