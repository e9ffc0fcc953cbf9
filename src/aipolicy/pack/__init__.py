"""Rule packs: the file format, loading, the disk cache and the compiler."""
