"""The OOXML layer: reading, validating and writing WordprocessingML packages."""
