"""Storage: SQLAlchemy 2 tables, engine set-up, unit of work, encrypted file store."""
