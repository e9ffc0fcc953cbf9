"""Starting points: a new intake from the form (``new``), a governance repository (``init``)."""
