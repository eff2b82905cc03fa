"""Two-week school visits, their class sessions, conflicts and the planner."""
