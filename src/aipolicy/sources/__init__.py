"""The only package that opens input files: reading, discovery, YAML and JSON text."""
