"""The rule language: operators, condition nodes and their closures."""
