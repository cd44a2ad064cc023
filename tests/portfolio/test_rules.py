"""Every role × every action of the portfolio (django-rules): who may read drafts, edit a body,
change a draft or an approved plan, mark participation, restore."""

from __future__ import annotations

import pytest
import rules
from django.contrib.auth.models import AnonymousUser

from samarbeid.portfolio.models import Project
from samarbeid.portfolio.rules import participation_keys
from samarbeid.registry import permissions
from samarbeid.registry.models import Mapping, RoleAssignment

from . import factories as f

pytestmark = pytest.mark.django_db

ACTIONS = ("view_approved", "view_draft", "change_body", "change_draft", "change_approved",
           "mark_participation", "restore")  # fmt: skip
#: role -> the actions it may do (on Testrådet, whose members are Skien and Porsgrunn).
EXPECTED = {
    "public": {"view_approved"},
    "signed_in": {"view_approved"},
    "reader_one_mapping": {"view_approved"},
    "reader_all": {"view_approved", "view_draft"},
    "member_editor": {"view_approved", "view_draft", "mark_participation"},
    "other_editor": {"view_approved"},
    "secretariat": {"view_approved", "view_draft", "change_body", "change_draft",
                    "mark_participation", "restore"},
    "other_secretariat": {"view_approved"},
    "admin": {"view_approved", "view_draft", "change_body", "change_draft",
              "mark_participation", "restore"},
}  # fmt: skip


def _user(role: str, body, other):
    if role == "public":
        return AnonymousUser()
    if role == "admin":
        return f.user("admin", is_superuser=True)
    if role == "secretariat":
        return f.secretariat(body)
    if role == "other_secretariat":
        return f.secretariat(other)
    if role == "member_editor":
        return f.municipality_editor("Skien")
    if role == "other_editor":
        return f.municipality_editor("Kongsberg")
    made = f.user(role)
    if role == "reader_all":
        permissions.grant(made, RoleAssignment.Role.READER)
    if role == "reader_one_mapping":
        mapping = Mapping.objects.create(name="Kart", cutoff_date="2021-11-01")
        permissions.grant(made, RoleAssignment.Role.READER, mapping=mapping)
    return made


@pytest.mark.parametrize("role", sorted(EXPECTED))
def test_every_role_and_action(role):
    body = f.body()
    other = f.body("Annet råd", members=("Kongsberg",))
    approved = f.plan(body, 2021, approved=True)
    draft = f.plan(body, 2022)
    user = _user(role, body, other)
    project = Project.objects.get(body=body, code="P1")
    answers = {
        "view_approved": rules.has_perm("portfolio.view_plan", user, approved),
        "view_draft": rules.has_perm("portfolio.view_plan", user, draft),
        "change_body": rules.has_perm("portfolio.change_body", user, body),
        "change_draft": rules.has_perm("portfolio.change_plan", user, draft),
        "change_approved": rules.has_perm("portfolio.change_plan", user, approved),
        "mark_participation": rules.has_perm("portfolio.mark_participation", user, project),
        "restore": rules.has_perm("portfolio.restore", user, body),
    }
    assert {a for a in ACTIONS if answers[a]} == EXPECTED[role]


def test_a_municipality_editor_marks_only_her_own_municipality():
    body = f.body()
    f.plan(body)
    editor = f.municipality_editor("Skien")
    project = Project.objects.get(body=body, code="P1")
    assert participation_keys(editor, project) == {f.municipality("Skien").key}
    secretariat = f.secretariat(body)
    assert participation_keys(secretariat, project) == {
        f.municipality("Skien").key,
        f.municipality("Porsgrunn").key,
    }


def test_a_member_that_left_no_longer_gives_access():
    body = f.body()
    draft = f.plan(body)
    editor = f.municipality_editor("Skien")
    assert rules.has_perm("portfolio.view_plan", editor, draft)
    body.members.filter(municipality=f.municipality("Skien")).update(left="2021-12-31")
    editor = type(editor).objects.get(pk=editor.pk)
    assert not rules.has_perm("portfolio.view_plan", editor, draft)
