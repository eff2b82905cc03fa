"""What visits and presentations share: people's time.

Bookings and the conflict rules between them, the visit planner, "find a
time", absences, and the one calendar service every iCalendar feed is written
by. Visits and presentations import this package; it imports neither.
"""
