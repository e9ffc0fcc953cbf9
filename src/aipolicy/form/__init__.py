"""The intake form: the JSON Schema a submission is checked against, its fields and messages."""
