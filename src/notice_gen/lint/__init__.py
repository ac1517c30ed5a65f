"""`notice-gen check`: the rule table of format-rules.md §14 applied to a .docx."""
