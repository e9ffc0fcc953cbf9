"""What the tests share: repository paths, the starter form and pack, the CLI runner,
small packs (minipack) and hypothesis strategies. A package the tests import, never
``conftest`` (which, imported as a module, would run a second time)."""
