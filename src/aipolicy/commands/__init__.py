"""One use case per CLI command; ``aipolicy.cli`` only wires click to these."""
