"""The web layer: thin routes over the service layer (REST API and server-rendered pages)."""
