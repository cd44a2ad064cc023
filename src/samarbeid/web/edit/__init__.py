"""Editing pages: create, edit and delete an arrangement, its change history, restore.

The views only collect input and show outcomes. Who may do what is :mod:`samarbeid.registry.
permissions`; what is valid, and how it is written and recorded, is :mod:`samarbeid.registry.
editing` (the intake's rules). Nothing a user typed is lost: a refused or conflicting save shows
the form again with the input in it.
"""
