"""Schools, school service centres, class groups and school calendars."""
