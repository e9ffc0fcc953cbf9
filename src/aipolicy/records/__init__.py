"""Decision records: one JSON line per decision, each chained to the line before it.

``check --record FILE.jsonl`` appends them (:mod:`.writer`); ``verify-record`` reads them
back strictly (:mod:`.reader`) and compares each with the decision the current files give
(:mod:`.compare`). :mod:`.line` holds the line's format and its canonical JSON.
"""
