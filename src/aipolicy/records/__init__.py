"""Decision records: one JSON line per decision, each chained to the line before it.

``check --record FILE.jsonl`` appends them (:mod:`.writer`); ``verify-record`` reads them
back strictly (:mod:`.reader`, each line checked by :mod:`.model`) and compares each with
the decision the current files give (:mod:`.compare`). :mod:`.line` holds the line's
format, its canonical JSON and the chain's digests.
"""
