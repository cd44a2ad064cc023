"""Shared solutions and their adoption (utbredelse): national and regional portfolios of
solutions and joint measures, a dated status per municipality and solution, the counts others
report beside the counts of the records, ambitions, prioritisation and pilots (issue #13)."""
