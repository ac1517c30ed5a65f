"""What a template may print: the variables the record model gives each kind."""

from __future__ import annotations

from typing import Any

from ..record.starters import sample
from ..record.validate import validate
from .compose import context


def variable_tree(value: Any, prefix: str = "") -> dict[str, Any]:
    """Dotted paths of a context, with an example value for each leaf."""
    out: dict[str, Any] = {}
    if isinstance(value, dict):
        if prefix:
            out[prefix] = "{…}"
        for key, item in value.items():
            out.update(variable_tree(item, f"{prefix}.{key}" if prefix else key))
    elif isinstance(value, list):
        out[prefix] = f"[{len(value)} items]"
        out.update(variable_tree(value[0], prefix + "[]") if value else {prefix + "[]": ""})
    else:
        out[prefix] = value
    return out


def model_variables(kind: str) -> dict[str, Any]:
    """Every path the record model offers a template of `kind`, with an example value."""
    return {
        **variable_tree(sample_context(kind, "party")),
        **variable_tree(sample_context(kind, "state")),
    }


def sample_context(kind: str, regime: str) -> dict[str, Any]:
    """The ready values of the starter record of `kind`: what a template may print."""
    profile = "nd30" if regime == "state" else "party-hd05"
    return context(validate(sample(kind, profile))[0])
