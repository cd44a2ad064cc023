"""A body's action plan (handlingsplan) as a file, out and in: ``samarbeid plan-eksport``,
``plan-import`` and ``plan-mal`` (the format for users: ``docs/planfil.md``).

The modules, along their seams: :mod:`.schema` (sheets, columns, allowed values), :mod:`.reader`
(xlsx and json into tables, with the mapping file's readers and limits), :mod:`.validate` and
:mod:`.validate_rows` (every problem in one pass, with the mapping file's checks and messages
plus :mod:`.messages`), :mod:`.spec` (the checked content), :mod:`.importer` (the write) and
:mod:`.exporter` (the file and the template).

Import semantics
----------------
One file is one body's plan for one year (sheet Plan: ``organ`` and ``ar``). Nothing is written
when the check finds any error; otherwise everything below happens in one transaction, and every
object created, changed or deleted gets a record in the history
(:mod:`samarbeid.portfolio.history`) with the source «Fil: NAVN».

* **The plan** is created as a draft when the body has none for the year, or updated when it is
  a draft. An approved plan (``vedtatt``) is refused: changes go into a new draft. The file's
  ``status`` (empty = ``utkast``) is stored: ``vedtatt`` with ``vedtatt_av``/``vedtatt_dato``
  carries an approved plan over from another system or database (then it is closed to imports).
* **Projects** are matched by ``kode`` within the body: created when new, their fields updated
  when they differ. The plan's entries become exactly the file's list, in its order; an entry left
  out of the file is removed from this plan only — the project, its other years and its other
  data stay.
* **Milestones** of this plan are matched by project and ``tekst``: added, updated (``nar``, the
  computed ``due_by``, ``ferdig``, order, ``kilde``), and removed when no longer in the file
  (also those of projects left out of the plan). Milestones of other plans are not touched.
* **Funding**: the body's rows for the plan year — the whole plan's and those of the file's
  projects — become the file's rows. A row is paired with a stored one by project, ``type``,
  ``giver`` and ``periode_som_oppgitt`` (then updated), else created; stored rows left over are
  deleted. Other years, and projects not in the file, are not touched.
* **Participation** is upserted by project and municipality: created or updated, never deleted.
* **Sections** (Avsnitt) become the file's list, matched by ``nummer``.
* **A column the file does not have** (in Plan and Prosjekter) leaves that field as it is; an
  empty cell in a column that is there empties the field. A sheet the file does not have
  (Deltakelse, Avsnitt; in JSON also the lists of milestones and funding) leaves all of it as it
  is; a sheet that is there but empty empties it.
* Importing the same file again changes nothing and records nothing.

JSON keys read
--------------
The plan object: ``organ``, ``ar``, ``tittel``, ``status``, ``vedtatt_av``, ``vedtatt_dato``,
``oppgitt_antall_prosjekter``, ``sammendrag``, ``kilde``, ``prosjekter``, ``finansiering`` (the
whole plan's), ``avsnitt`` (``nummer``, ``tittel``). Each project: the columns of Prosjekter, and
``milepaeler`` (``tekst``, ``nar``, ``ferdig``, ``kilde``), ``finansiering`` (the columns of
Finansiering without ``prosjektkode``) and ``deltakelse`` (``kommunenummer``, ``kommune``,
``deltar``, ``kilde``). Not read: ``format`` and ``versjon`` (checked when present: the format
``samarbeid-handlingsplan``, version 1), and what ``plan_data`` derives — ``funn``,
``finansiering_over_tid`` and a milestone's ``frist``. Any other key is an unknown column.
"""
