"""The campaigns' periods in staff calendars (calendar.py). The campaigns and
their distribution records are app/campaigns'; this package holds no pages."""
