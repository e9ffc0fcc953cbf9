"""Waivers: accepted exceptions, kept outside the intake files, applied after evaluation."""
