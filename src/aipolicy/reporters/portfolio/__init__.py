"""Reporters of the portfolio (``aipolicy report``): pure functions from its dict to text."""
