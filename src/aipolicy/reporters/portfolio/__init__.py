"""The portfolio report's reporters (``aipolicy report``)."""
