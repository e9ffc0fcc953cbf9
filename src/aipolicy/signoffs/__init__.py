"""Sign-offs along the approval path: the approvals a submission records and those kept in
reviewer-owned ``approvals/`` files, checked after evaluation (see :mod:`.apply`)."""
