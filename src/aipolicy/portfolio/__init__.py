"""The portfolio view of a run (``aipolicy report``): built from the JSON report."""
