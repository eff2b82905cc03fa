"""How the synthetic data is written (`synthetic.py`): Core `insert()`
executemany in chunks of CHUNK rows, one transaction per chunk, with ids
handed out here so nothing is read back."""

from collections import Counter
from datetime import UTC, datetime, time

import sqlalchemy as sa

CHUNK = 20_000


def at(day, hour, minute=0):
    """A row's timestamp: `hour:minute` UTC on `day`."""
    return datetime.combine(day, time(hour, minute), UTC)


class Loader:
    """Writes rows in chunks, one transaction each, and hands out their ids."""

    def __init__(self, connection):
        self.connection = connection
        self.counts = Counter()
        self._next_ids = {}

    def ids(self, model, count):
        """`count` new ids for `model`'s table, after those it has."""
        table = model.__table__
        if table.name not in self._next_ids:
            top = self.connection.execute(sa.select(sa.func.max(table.c.id))).scalar()
            self._next_ids[table.name] = (top or 0) + 1
        first = self._next_ids[table.name]
        self._next_ids[table.name] = first + count
        return range(first, first + count)

    def insert(self, model, rows):
        table = model.__table__
        for start in range(0, len(rows), CHUNK):
            self.connection.execute(sa.insert(table), rows[start : start + CHUNK])
            self.connection.commit()
        self.counts[table.name] += len(rows)

    def fix_sequences(self):
        """PostgreSQL: move the serial sequences past the ids given here."""
        if self.connection.dialect.name != "postgresql":
            return
        for name in self._next_ids:  # table names from the models, not input
            self.connection.execute(
                sa.text(
                    f"SELECT setval(pg_get_serial_sequence('{name}', 'id'), "  # noqa: S608
                    f"(SELECT max(id) FROM {name}))"
                )
            )
        self.connection.commit()
