"""The rules of verification rounds (kontrollrunder). Views only call these functions.

Who may do what (the object permissions of :mod:`samarbeid.verification.rules`, which ask
:mod:`samarbeid.registry.permissions`):

- the **mapping editor** (and an administrator) opens and closes rounds, sees the dashboard and the
  export, and accepts or rejects proposals; they may also record a municipality's answer on its
  behalf (answers often come by e-mail or telephone);
- a **municipality editor** sees the list of its own municipality, confirms it, and proposes
  corrections (new arrangement, change, removal) while the round is open.

Accepting a proposal applies it through :mod:`samarbeid.registry.editing` with the proposal's
source, so the change is validated like any edit and is in the arrangement's history. When the
edit is refused (a conflict with a later change, or the rules of the mapping file), nothing is
written and the proposal stays pending: :class:`DecisionFailed` says why.

E-mails (:mod:`samarbeid.verification.notify`) are sent after the change is saved; a mail server
that fails does not undo it.

The modules, by concern: :mod:`.access` (who may do what), :mod:`.rounds` (opening and closing),
:mod:`.responses` (a municipality's status, list and confirmation), :mod:`.proposals`
(proposing and withdrawing), :mod:`.decisions` (accepting and rejecting), :mod:`.dashboard`
(what the mapping editor follows) and :mod:`.base` (the errors). Callers use this package:
``services.propose_change(...)``.
"""

from .access import (
    can_decide,
    can_follow,
    can_manage,
    can_respond,
    can_view_list,
    own_municipalities,
)
from .base import DecisionFailed, NotAllowed, ProposalInvalid, VerificationError
from .dashboard import (
    ResponseRow,
    RoundFigures,
    dashboard,
    period_names,
    proposals_of,
    round_figures,
    rounds_for_user,
)
from .decisions import accept, change_source, current_state, reject
from .proposals import COMMENT_FIELD, propose_change, propose_new, propose_removal, withdraw
from .responses import (
    MunicipalityList,
    confirm,
    mark_opened,
    municipality_list,
    refresh_status,
    status_of,
    takes_part,
)
from .rounds import (
    close_round,
    open_round,
    open_round_of,
    response_for,
    response_for_municipality,
)

__all__ = [
    "COMMENT_FIELD",
    "DecisionFailed",
    "MunicipalityList",
    "NotAllowed",
    "ProposalInvalid",
    "ResponseRow",
    "RoundFigures",
    "VerificationError",
    "accept",
    "can_decide",
    "can_follow",
    "can_manage",
    "can_respond",
    "can_view_list",
    "change_source",
    "close_round",
    "confirm",
    "current_state",
    "dashboard",
    "mark_opened",
    "municipality_list",
    "open_round",
    "open_round_of",
    "own_municipalities",
    "period_names",
    "proposals_of",
    "propose_change",
    "propose_new",
    "propose_removal",
    "refresh_status",
    "reject",
    "response_for",
    "response_for_municipality",
    "round_figures",
    "rounds_for_user",
    "status_of",
    "takes_part",
    "withdraw",
]
