"""Readers of files other than Python source: each returns the keys a file holds with
their own positions, from the text as it is (nothing is re-serialised)."""
