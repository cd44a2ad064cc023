"""The rules of verification rounds (services): statuses, proposals, decisions, e-mails."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.utils import timezone

from samarbeid.registry import editing, history
from samarbeid.registry.models import Arrangement, ChangeRecord, Membership
from samarbeid.verification import services
from samarbeid.verification.models import MunicipalityResponse, Proposal, Round

from .conftest import HJARTDAL, TINN, make_mapping_editor

Status = MunicipalityResponse.Status
pytestmark = pytest.mark.django_db

JORDMOR = "BUS21-179"  # Jordmorsamarbeid Notodden-Hjartdal: host, form and year unknown


def response(round_, key=HJARTDAL) -> MunicipalityResponse:
    r = MunicipalityResponse.objects.select_related("round__mapping", "municipality", "period").get(
        round=round_, municipality__key=key
    )
    return r


def arrangement(mapping, ref=JORDMOR) -> Arrangement:
    return Arrangement.objects.select_related("mapping").get(mapping=mapping, ref=ref)


def propose_host(round_, user, **extra) -> Proposal:
    a = arrangement(round_.mapping)
    return services.propose_change(
        response(round_),
        a,
        {"vertskommune": "Notodden", "juridisk_form": "vertskommune", "etablert": "2012"},
        None,
        user=user,
        comment="Notodden er vertskommune etter avtalen fra 2012.",
        source="Samarbeidsavtale jordmortjeneste 2012",
        base_version=a.version,
        **extra,
    )


# --- Opening and closing ------------------------------------------------------------------------


def test_open_round_gives_every_municipality_in_scope_a_response(round_, mapping, editor):
    assert round_.number == 1 and round_.is_open and round_.title == "Kontrollrunde 1"
    assert round_.opened_by == editor and round_.opened_by_name == "Kari Kartlegger"
    responses = list(round_.responses.select_related("period"))
    assert len(responses) == 25
    assert {r.status for r in responses} == {Status.NOT_OPENED}
    assert responses[0].period.name == "Drammen"  # the scope's order
    assert response(round_).period.number == "3819"


def test_one_open_round_at_a_time_then_the_next_number(round_, mapping, editor, deadline):
    with pytest.raises(services.VerificationError, match="fortsatt åpen"):
        services.open_round(mapping, user=editor, deadline=deadline)
    services.close_round(round_, user=editor)
    with pytest.raises(services.VerificationError, match="allerede avsluttet"):
        services.close_round(round_, user=editor)
    second = services.open_round(mapping, user=editor, deadline=deadline, name="Andre runde")
    assert second.number == 2 and second.title == "Andre runde"
    assert services.open_round_of(mapping) == second


def test_only_the_mapping_editor_opens_and_closes(mapping, hjartdal, editor, deadline):
    with pytest.raises(services.NotAllowed):
        services.open_round(mapping, user=hjartdal, deadline=deadline)
    with pytest.raises(services.VerificationError, match="før i dag"):
        services.open_round(mapping, user=editor, deadline=timezone.localdate() - dt.timedelta(1))
    round_ = services.open_round(mapping, user=editor, deadline=deadline)
    with pytest.raises(services.NotAllowed):
        services.close_round(round_, user=hjartdal)


def test_a_frozen_mapping_gets_no_round_but_its_rounds_stay_readable(round_, mapping, editor):
    mapping.status = "frosset"
    mapping.save()
    assert not services.can_manage(editor, mapping)
    assert services.can_follow(editor, mapping)
    r = response(round_)
    assert not services.can_respond(editor, r)
    with pytest.raises(services.NotAllowed):
        services.open_round(mapping, user=editor, deadline=round_.deadline)


# --- Statuses -----------------------------------------------------------------------------------


def test_status_transitions(round_, hjartdal, editor):
    r = response(round_)
    assert r.status == Status.NOT_OPENED
    services.mark_opened(r, user=editor)  # the mapping editor looking does not count
    assert response(round_).status == Status.NOT_OPENED
    services.mark_opened(r, user=hjartdal)
    assert response(round_).status == Status.IN_PROGRESS

    proposal = propose_host(round_, hjartdal)
    assert response(round_).status == Status.PENDING
    services.confirm(response(round_), user=hjartdal, note="Resten stemmer.")
    r = response(round_)
    assert r.status == Status.PENDING  # confirmed, but a proposal waits
    assert r.confirmed_by == hjartdal and r.confirmed_by_name == "Hilde Hjartdal"
    assert r.confirmation_note == "Resten stemmer."
    assert len(r.confirmed_list) == 35 and [JORDMOR, 1] in r.confirmed_list

    services.accept(proposal, user=editor)
    assert response(round_).status == Status.CONFIRMED


def test_a_proposal_opens_the_list_and_deciding_it_leaves_work_in_progress(
    round_, hjartdal, editor
):
    proposal = propose_host(round_, hjartdal)
    r = response(round_)
    assert r.opened_at is not None and r.status == Status.PENDING
    services.reject(proposal, user=editor, note="Avtalen er ikke inngått ennå.")
    assert response(round_).status == Status.IN_PROGRESS
    services.confirm(response(round_), user=hjartdal)
    assert response(round_).status == Status.CONFIRMED


# --- Proposals ----------------------------------------------------------------------------------


def test_accept_applies_the_change_with_its_history(round_, mapping, hjartdal, editor):
    proposal = propose_host(round_, hjartdal)
    assert proposal.kind == Proposal.Kind.CHANGE and proposal.is_pending
    assert proposal.changed == ["juridisk_form", "etablert", "vertskommune"]
    assert proposal.before["values"]["vertskommune"] == ""
    assert arrangement(mapping).host is None  # nothing changes before the decision

    services.accept(proposal, user=editor, note="Stemmer med avtalen.")
    proposal.refresh_from_db()
    a = arrangement(mapping)
    assert a.host.name == "Notodden" and a.legal_form == "vertskommune"
    assert (a.established_from, a.version) == (2012, 2)
    assert proposal.status == Proposal.Status.ACCEPTED and proposal.decided_by == editor
    assert proposal.decision_note == "Stemmer med avtalen."
    record = proposal.change
    assert record == history.last_change(a)
    assert record.action == ChangeRecord.Action.UPDATED and record.user == editor
    assert record.source.startswith("Samarbeidsavtale jordmortjeneste 2012 (forslag fra Hjartdal")
    assert "Kontrollrunde 1" in record.source
    assert record.changed == ["juridisk_form", "etablert", "vertskommune"]


def test_reject_leaves_the_registry_unchanged(round_, mapping, hjartdal, editor):
    before = history.snapshot(arrangement(mapping))
    records = ChangeRecord.objects.count()
    proposal = propose_host(round_, hjartdal)
    with pytest.raises(services.ProposalInvalid, match="begrunnelse"):
        services.reject(proposal, user=editor, note=" ")
    services.reject(proposal, user=editor, note="Avtalen er ikke inngått ennå.")
    proposal.refresh_from_db()
    assert proposal.status == Proposal.Status.REJECTED and proposal.change is None
    assert history.snapshot(arrangement(mapping)) == before
    assert arrangement(mapping).version == 1
    assert ChangeRecord.objects.count() == records
    with pytest.raises(services.VerificationError, match="allerede avvist"):
        services.accept(proposal, user=editor)


def test_conflict_on_accept_keeps_the_proposal_pending(round_, mapping, hjartdal, editor):
    proposal = propose_host(round_, hjartdal)
    # Meanwhile the mapping editor records the staff-years directly.
    editing.update_arrangement(
        arrangement(mapping), {"arsverk": "1.5"}, None, user=editor, source="Årsmelding 2020",
        expected_version=1,
    )  # fmt: skip
    with pytest.raises(services.DecisionFailed) as failed:
        services.accept(proposal, user=editor, note="Ok")
    assert failed.value.conflict is not None and failed.value.conflict.current_version == 2
    message = failed.value.message
    assert message.startswith("Ordningen ble endret av Kari Kartlegger")
    assert "etter at forslaget ble sendt" in message and "venter fortsatt" in message
    proposal.refresh_from_db()
    assert proposal.is_pending and proposal.decided_at is None and proposal.decision_note == ""
    a = arrangement(mapping)
    assert a.host is None and str(a.arsverk) == "1.50" and a.version == 2
    assert response(round_).status == Status.PENDING

    # Having seen the conflict, the editor applies the proposed fields to the current version.
    services.accept(proposal, user=editor, on_current=True)
    a = arrangement(mapping)
    assert a.host.name == "Notodden" and str(a.arsverk) == "1.50" and a.version == 3


def test_accept_of_a_proposal_the_rules_now_refuse_keeps_it_pending(
    round_, mapping, hjartdal, editor
):
    proposal = propose_host(round_, hjartdal)
    # Notodden leaves the arrangement: the proposed host would no longer be a participant.
    a = arrangement(mapping)
    snap = history.snapshot(a)
    members = [m for m in snap["memberships"] if m["deltaker"] != "Notodden"]
    editing.update_arrangement(a, {}, members, user=editor, source="Test", expected_version=1)
    with pytest.raises(services.DecisionFailed) as failed:
        services.accept(proposal, user=editor, on_current=True)
    assert failed.value.problems and failed.value.conflict is None
    proposal.refresh_from_db()
    assert proposal.is_pending
    assert arrangement(mapping).host is None


def test_an_invalid_proposal_is_refused_with_the_intakes_messages(round_, mapping, hjartdal):
    a = arrangement(mapping)
    with pytest.raises(services.ProposalInvalid) as invalid:
        services.propose_change(
            response(round_), a, {"arsverk": "mange", "vertskommune": "Notoden"}, None,
            user=hjartdal, comment="", source="",
        )  # fmt: skip
    fields = {p.field for p in invalid.value.problems}
    assert {"arsverk", "vertskommune", "kommentar", "endringskilde"} <= fields
    assert not Proposal.objects.exists()
    with pytest.raises(services.ProposalInvalid, match="endrer ingenting"):
        services.propose_change(
            response(round_), a, {}, None, user=hjartdal, comment="Alt stemmer", source="Kilde"
        )


def test_a_proposal_passes_the_input_boundary_in_every_text(round_, mapping, hjartdal):
    """Values, comment and source of a proposal: control characters are refused everywhere,
    formulas in values and the source; invisible characters are removed before anything is
    stored. The comment is prose: a leading «=» or «-» stays as typed (outputs neutralise it)."""
    a = arrangement(mapping)
    with pytest.raises(services.ProposalInvalid) as invalid:
        services.propose_change(
            response(round_), a, {"navn": "'=HYPERLINK(\"http://x\")"}, None,
            user=hjartdal, comment="Se\x07 vedlegg", source="@SUM(1)",
        )  # fmt: skip
    codes = {(p.field, p.code) for p in invalid.value.problems}
    assert {("navn", "formula"), ("kommentar", "control_character"),
            ("endringskilde", "formula")} <= codes  # fmt: skip
    assert not Proposal.objects.exists()
    with pytest.raises(services.ProposalInvalid) as invalid:
        services.propose_change(
            response(round_), a, {}, None, user=hjartdal, comment="\u200b", source="Kilde\x00"
        )
    codes = {(p.field, p.code) for p in invalid.value.problems}
    assert ("endringskilde", "control_character") in codes
    proposal = services.propose_change(
        response(round_), a, {"merknader": "Ny merknad"}, None,
        user=hjartdal, comment="- Ny\u200b merknad", source=" E-post\u202e ",
    )  # fmt: skip
    assert (proposal.comment, proposal.source) == ("- Ny merknad", "E-post")


def test_a_comment_of_invisible_characters_only_is_missing(round_, mapping, hjartdal):
    with pytest.raises(services.ProposalInvalid) as invalid:
        services.propose_change(
            response(round_), arrangement(mapping), {"merknader": "Ny"}, None,
            user=hjartdal, comment="\u200b\u2060", source="Kilde",
        )  # fmt: skip
    assert [p.code for p in invalid.value.problems] == ["comment_required"]


def test_one_pending_proposal_per_arrangement_and_withdrawing(round_, hjartdal, editor):
    first = propose_host(round_, hjartdal)
    with pytest.raises(services.VerificationError, match="allerede et forslag"):
        propose_host(round_, hjartdal)
    services.withdraw(first, user=hjartdal)
    first.refresh_from_db()
    assert first.status == Proposal.Status.WITHDRAWN
    assert response(round_).status == Status.IN_PROGRESS
    second = propose_host(round_, hjartdal)
    assert second.is_pending
    with pytest.raises(services.VerificationError):
        services.withdraw(first, user=hjartdal)


def test_the_form_version_guards_against_a_change_while_proposing(
    round_, mapping, hjartdal, editor
):
    a = arrangement(mapping)
    editing.update_arrangement(
        a, {"arsverk": "2"}, None, user=editor, source="x", expected_version=1
    )
    with pytest.raises(services.VerificationError, match="endret etter at du åpnet"):
        services.propose_change(
            response(round_), a, {"etablert": "2012"}, None, user=hjartdal, comment="c",
            source="s", base_version=1,
        )  # fmt: skip


def test_municipality_editors_answer_only_for_their_own_list(round_, mapping, hjartdal, tinn):
    with pytest.raises(services.NotAllowed):
        services.confirm(response(round_), user=tinn)
    with pytest.raises(services.NotAllowed):
        propose_host(round_, tinn)
    kongsberg_only = Arrangement.objects.filter(mapping=mapping, ref="BUS21-008").first()
    assert kongsberg_only is not None and not services.takes_part(kongsberg_only, response(round_))
    with pytest.raises(services.NotAllowed, match="deltar ikke"):
        services.propose_change(
            response(round_), kongsberg_only, {"etablert": "2000"}, None, user=hjartdal,
            comment="c", source="s",
        )  # fmt: skip
    proposal = propose_host(round_, hjartdal)
    with pytest.raises(services.NotAllowed):
        services.accept(proposal, user=hjartdal)
    with pytest.raises(services.NotAllowed):
        services.reject(proposal, user=hjartdal, note="nei")


def test_the_mapping_editor_may_answer_on_a_municipalitys_behalf(round_, editor):
    services.confirm(response(round_, TINN), user=editor, note="Bekreftet på telefon.")
    r = response(round_, TINN)
    assert r.status == Status.CONFIRMED and r.confirmed_by == editor


def test_a_closed_round_takes_no_answers_but_pending_proposals_can_be_decided(
    round_, mapping, hjartdal, editor
):
    proposal = propose_host(round_, hjartdal)
    services.close_round(round_, user=editor)
    round_.refresh_from_db()
    with pytest.raises(services.VerificationError, match="avsluttet"):
        services.confirm(response(round_), user=hjartdal)
    services.accept(proposal, user=editor)
    assert arrangement(mapping).host.name == "Notodden"


def test_new_arrangement(round_, mapping, hjartdal, editor):
    values = {"navn": "Hjartdal og Tinn skatteoppkreverkontor", "status": "telles",
              "juridisk_form": "vertskommune", "vertskommune": "Tinn", "etablert": "2016"}  # fmt: skip
    members = [{"deltaker": "Tinn", "kommunenummer": "3818"}]
    with pytest.raises(services.ProposalInvalid, match="Hjartdal må være blant deltakerne"):
        services.propose_new(
            response(round_), values, members, user=hjartdal, comment="Mangler", source="Avtale"
        )
    members.append({"deltaker": "Hjartdal", "kommunenummer": "3819"})
    proposal = services.propose_new(
        response(round_), values, members, user=hjartdal, comment="Mangler", source="Avtale 2016"
    )
    assert (
        proposal.kind == Proposal.Kind.ADD and proposal.ref == "" and proposal.arrangement is None
    )
    assert "navn" in proposal.changed and "deltakere" in proposal.changed
    services.accept(proposal, user=editor)
    proposal.refresh_from_db()
    created = proposal.arrangement
    assert created.ref == "BUS21-235" and proposal.ref == "BUS21-235"
    assert created.host.name == "Tinn" and created.memberships.count() == 2
    assert proposal.change.action == ChangeRecord.Action.CREATED
    assert proposal.change.source.startswith("Avtale 2016 (forslag fra Hjartdal")


def test_new_arrangement_with_a_name_already_in_the_mapping_is_refused(round_, hjartdal):
    members = [{"deltaker": "Hjartdal"}, {"deltaker": "Notodden"}]
    with pytest.raises(services.ProposalInvalid, match="Samme ordning to ganger"):
        services.propose_new(
            response(round_), {"navn": "NAV Notodden"}, members, user=hjartdal, comment="c",
            source="s",
        )  # fmt: skip


def test_removal_not_a_member(round_, mapping, hjartdal, editor):
    a = arrangement(mapping, "BUS21-108")  # Brattefjell-Vindeggen: Hjartdal, Tinn, Seljord, Vinje
    proposal = services.propose_removal(
        response(round_), a, removal="deltar_ikke", user=hjartdal,
        comment="Hjartdal er ikke med i verneområdestyret.", source="Vedtektene",
    )  # fmt: skip
    assert proposal.changed == ["deltakere"] and proposal.memberships is not None
    services.accept(proposal, user=editor)
    a = arrangement(mapping, "BUS21-108")
    assert not Membership.objects.filter(
        arrangement=a, municipality__municipality__key=HJARTDAL
    ).exists()
    assert a.memberships.count() == 3
    refs = [r[0] for r in services.municipality_list(response(round_)).counted.rows]
    assert "BUS21-108" not in refs and len(refs) == 34


def test_removal_ended(round_, mapping, hjartdal, editor):
    a = arrangement(mapping, "BUS21-198")
    with pytest.raises(services.ProposalInvalid):
        services.propose_removal(
            response(round_), a, removal="avsluttet", ended="i fjor", user=hjartdal,
            comment="Avsluttet", source="Kommunestyret",
        )  # fmt: skip
    proposal = services.propose_removal(
        response(round_), a, removal="avsluttet", ended="2021-06-30", user=hjartdal,
        comment="Voksenopplæringen ble lagt ned i juni.", source="Kommunestyresak 12/21",
    )  # fmt: skip
    assert set(proposal.changed) == {"status", "avsluttet"}
    services.accept(proposal, user=editor)
    a = arrangement(mapping, "BUS21-198")
    assert a.status == "avsluttet" and a.ended_on == dt.date(2021, 6, 30)


def test_removal_delete(round_, mapping, hjartdal, editor):
    a = arrangement(mapping, "BUS21-183")
    proposal = services.propose_removal(
        response(round_), a, removal="slett", user=hjartdal,
        comment="Finnes ikke som samarbeid.", source="Kommunedirektøren",
    )  # fmt: skip
    assert proposal.deletes and proposal.proposed is None and proposal.changed == []
    services.accept(proposal, user=editor)
    proposal.refresh_from_db()
    assert not Arrangement.objects.filter(mapping=mapping, ref="BUS21-183").exists()
    assert proposal.change.action == ChangeRecord.Action.DELETED
    assert proposal.arrangement is None and proposal.ref == "BUS21-183"


def test_a_proposal_about_an_arrangement_deleted_since_cannot_be_accepted(
    round_, mapping, hjartdal, editor
):
    proposal = propose_host(round_, hjartdal)
    editing.delete_arrangement(
        arrangement(mapping), user=editor, source="Dobbeltføring", expected_version=1
    )
    proposal.refresh_from_db()
    with pytest.raises(services.DecisionFailed) as failed:
        services.accept(proposal, user=editor)
    assert failed.value.conflict.deleted
    proposal.refresh_from_db()
    assert proposal.is_pending
    services.reject(proposal, user=editor, note="Ordningen er slettet.")


# --- Dashboard ----------------------------------------------------------------------------------


def test_dashboard_and_changes_per_round(round_, mapping, hjartdal, tinn, editor, deadline):
    accepted = propose_host(round_, hjartdal)
    services.accept(accepted, user=editor)
    rejected = services.propose_removal(
        response(round_), arrangement(mapping, "BUS21-183"), removal="slett", user=hjartdal,
        comment="c", source="s",
    )  # fmt: skip
    services.reject(rejected, user=editor, note="Finnes.")
    services.propose_removal(
        response(round_, TINN), arrangement(mapping, "BUS21-108"), removal="deltar_ikke",
        user=tinn, comment="c", source="s",
    )  # fmt: skip
    services.confirm(response(round_), user=hjartdal)

    rows = {r.response.period.name: r for r in services.dashboard(round_)}
    assert (rows["Hjartdal"].accepted, rows["Hjartdal"].rejected, rows["Hjartdal"].pending) == (
        1,
        1,
        0,
    )
    assert rows["Hjartdal"].response.status == Status.CONFIRMED
    assert rows["Tinn"].pending == 1 and rows["Tinn"].response.status == Status.PENDING
    assert rows["Drammen"].response.status == Status.NOT_OPENED

    services.close_round(round_, user=editor)
    services.open_round(mapping, user=editor, deadline=deadline)
    figures = services.round_figures(mapping)
    assert [f.round.number for f in figures] == [1, 2]
    first, second = figures
    assert (first.proposals, first.accepted, first.rejected, first.pending) == (3, 1, 1, 1)
    assert first.accepted_by_kind == {"ny": 0, "endring": 1, "fjerning": 0}
    assert first.confirmed == 1 and first.municipalities == 25
    assert second.proposals == 0 and second.by_status == {Status.NOT_OPENED: 25}


def test_rounds_for_user(round_, mapping, hjartdal, editor):
    [(r, responses, manages)] = services.rounds_for_user(hjartdal)
    assert r == round_ and [x.period.name for x in responses] == ["Hjartdal"] and not manages
    [(r, responses, manages)] = services.rounds_for_user(editor)
    assert responses == [] and manages
    other = make_mapping_editor(mapping, "per")
    assert len(services.rounds_for_user(other)) == 1
    services.close_round(round_, user=editor)
    assert services.rounds_for_user(hjartdal) == []


# --- E-mails ------------------------------------------------------------------------------------


def test_opening_mails_the_municipality_editors_with_an_address(
    mapping, editor, hjartdal, tinn, deadline
):
    mail.outbox.clear()
    round_ = services.open_round(
        mapping, user=editor, deadline=deadline, message="Frist er frist.",
        base_url="https://register.example",
    )  # fmt: skip
    assert round_.notified == 1  # Tinn's editor has no address
    [message] = mail.outbox
    assert message.to == ["hilde@hjartdal.kommune.example"]
    assert message.subject.startswith("Kontrollrunde 1 for Buskerud 2021")
    assert f"{deadline:%d.%m.%Y}" in message.subject
    url = f"https://register.example/kartlegginger/{mapping.pk}/kontrollrunder/1/kommuner/3819/"
    assert f"Hjartdal: {url}" in message.body
    assert "Frist er frist." in message.body and "Hei Hilde Hjartdal" in message.body


def test_confirming_and_proposing_mail_the_mapping_editors(round_, mapping, hjartdal, editor):
    make_mapping_editor(mapping, "per")
    mail.outbox.clear()
    proposal = propose_host(round_, hjartdal)
    assert proposal.notified == 2
    assert sorted(m.to[0] for m in mail.outbox) == [
        "kari@kartlegging.example",
        "per@kartlegging.example",
    ]
    body = mail.outbox[0].body
    assert "Hjartdal foreslår en rettelse" in body
    assert "Samarbeidsavtale jordmortjeneste 2012" in body
    assert f"/kontrollrunder/1/forslag/{proposal.pk}/" in body

    mail.outbox.clear()
    services.confirm(response(round_), user=hjartdal)
    assert len(mail.outbox) == 2
    assert mail.outbox[0].subject.startswith("Hjartdal har bekreftet listen sin")
    assert "venter på avgjørelsen din" in mail.outbox[0].body


def test_the_actor_gets_no_mail_about_their_own_action(round_, editor):
    mail.outbox.clear()
    services.confirm(response(round_, TINN), user=editor)
    assert mail.outbox == []


def test_deciding_mails_the_proposer(round_, hjartdal, editor):
    accepted = propose_host(round_, hjartdal)
    mail.outbox.clear()
    services.accept(accepted, user=editor, note="Takk!")
    [message] = mail.outbox
    assert message.to == ["hilde@hjartdal.kommune.example"]
    assert message.subject == "Forslaget ditt er godtatt: Jordmorsamarbeid Notodden-Hjartdal"
    assert "Begrunnelse: Takk!" in message.body

    mail.outbox.clear()
    rejected = services.propose_removal(
        response(round_), arrangement(round_.mapping, "BUS21-183"), removal="slett",
        user=hjartdal, comment="c", source="s",
    )  # fmt: skip
    mail.outbox.clear()
    services.reject(rejected, user=editor, note="Ordningen finnes.")
    [message] = mail.outbox
    assert "avvist" in message.subject and "Begrunnelse: Ordningen finnes." in message.body


def test_a_failing_mail_server_does_not_undo_the_change(round_, hjartdal, settings):
    settings.EMAIL_BACKEND = "tests.verification.broken_mail.Backend"
    proposal = propose_host(round_, hjartdal)
    assert proposal.notified == 0 and Proposal.objects.filter(pk=proposal.pk).exists()


def test_round_model_constraints(round_, editor):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        Round.objects.create(mapping=round_.mapping, number=2, deadline=round_.deadline)


def test_console_email_backend_by_default(monkeypatch):
    import importlib

    import samarbeid.settings

    monkeypatch.delenv("SAMARBEID_EMAIL_BACKEND", raising=False)
    fresh = importlib.reload(samarbeid.settings)
    assert fresh.EMAIL_BACKEND == "django.core.mail.backends.console.EmailBackend"
