"""Floors written from the rules, not from the product's code (issue #22, decisions 4 and 5).

A floor is the least the same work could cost, on the same machine in the same run. A floor
copied from the product's own SQL only measures the product's overhead around that SQL, so
the floors here are written from the documents that state the rules:

- `extract.py`: the import's *checked floor*, from the extract contract in
  `docs/screening.md` ("The monthly extract", "What an import does") and `DOMAIN.md` ("The
  monthly extract (the import contract)", "The eight criteria").
- `monthly_list.py`: the monthly list, from `docs/screening.md` ("The monthly list", "The
  eight criteria") and `DOMAIN.md` ("The process", 1).

Nothing in this package imports from `complexcases` or reads its SQL; it reads and writes
the tables the product's migrations made, by their names. Each benchmark checks that its
floor and the product end with the same rows, so a floor that did less would be caught.
"""
