"""Quebec's administrative regions: what schools and service centres are in,
and which of them a staff member's reports and school lists cover."""
