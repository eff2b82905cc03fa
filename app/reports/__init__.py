"""Reach and outcome reports: figures computed in SQL, exports, partner figures."""
