"""Checks on a rule pack beyond what compiling it refuses."""
