"""The version of notice-gen: the build reads it (pyproject.toml) and every document
names it as its generator, without a look through the installed packages at run time."""

VERSION = "0.1.0"
