"""The record format: reading, cleaning and validating records."""
