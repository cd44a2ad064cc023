"""Pages of the verification rounds. They collect input and show outcomes; the rules are in
:mod:`samarbeid.verification.services` (and, for who may do what,
:mod:`samarbeid.verification.rules`).

One module per resource of :mod:`samarbeid.verification.urls`: :mod:`.rounds` (the rounds of a
mapping, opening and closing), :mod:`.dashboard` (a round's dashboard and its export),
:mod:`.lists` (a municipality's list and its confirmation), :mod:`.proposals` (the proposal
forms) and :mod:`.review` (one proposal: review, decision, withdrawal); :mod:`.common` holds what
they share.
"""
