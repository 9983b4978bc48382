"""Fault tests: crashes, a lost database, a misbehaving provider, a full or read-only disk."""
