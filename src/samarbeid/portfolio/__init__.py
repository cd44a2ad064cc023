"""Governance and portfolio of regional cooperation bodies: the bodies over time, their governing
bodies and decisions, strategy, yearly action plans with projects, milestones and funding, and the
networks (issue 12). ``periods`` and ``checks`` are pure Python (no Django)."""
