"""Evaluation: (pack, parameters, date, submission) → decision."""
