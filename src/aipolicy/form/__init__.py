"""The intake form: the JSON Schema a submission is checked against, its fields and messages.

Arrows point one way: ``schema`` (the Form value: fields, titles, defaults) ← ``load``
(a usable form, or where it is not) and ``messages`` (validation errors in business
words) ← ``validate`` (a submission against the form). ``checks`` (ECMA-262 patterns,
formats, linear uniqueItems, the number bound) sits under them all.
"""
