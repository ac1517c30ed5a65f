"""The rulebooks: every number, pattern and wording a profile decides."""
