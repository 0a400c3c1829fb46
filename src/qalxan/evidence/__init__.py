"""Evidence: upload checks by content, the locker and chain of custody."""
