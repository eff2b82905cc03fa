"""regions: region codes on service centres and schools, user_region

The free-text `region` of service centres and schools becomes `region_code`,
one of Quebec's 17 administrative regions. Each text is matched to a region's
name without regard to accents, case, dashes or spaces ("Montérégie",
"monteregie", "MONTEREGIE"), or to its code ("16", "Montérégie (16)"). There
is no fallback: a text that names no region stops the upgrade, listing every
such text and where it is, and nothing is changed (fix them, then upgrade
again). Guessing a region would put a school in the wrong coordinator's
reports without anyone noticing.

The names are copied here rather than read from app/data/regions.yaml: a
migration must keep doing what it did when later code changes.

Revision ID: 0012
Revises: 0011
Create Date: 2026-11-30 03:24:18.319092
"""

import re
import unicodedata
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '0012'
down_revision: str | None = '0011'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

NAMES = {
    '01': 'Bas-Saint-Laurent',
    '02': 'Saguenay–Lac-Saint-Jean',
    '03': 'Capitale-Nationale',
    '04': 'Mauricie',
    '05': 'Estrie',
    '06': 'Montréal',
    '07': 'Outaouais',
    '08': 'Abitibi-Témiscamingue',
    '09': 'Côte-Nord',
    '10': 'Nord-du-Québec',
    '11': 'Gaspésie–Îles-de-la-Madeleine',
    '12': 'Chaudière-Appalaches',
    '13': 'Laval',
    '14': 'Lanaudière',
    '15': 'Laurentides',
    '16': 'Montérégie',
    '17': 'Centre-du-Québec',
}
KNOWN = "region_code IN ({})".format(", ".join(f"'{code}'" for code in NAMES))


def _normalise(text):
    text = unicodedata.normalize('NFKD', text or '')
    text = ''.join(c for c in text if not unicodedata.combining(c)).lower()
    return ' '.join(re.split(r"[\s\-–—_'’.]+", text)).strip()


BY_NAME = {_normalise(name): code for code, name in NAMES.items()}


def region_code(text):
    """The code `text` names, or None."""
    text = (text or '').strip()
    found = re.fullmatch(r'(.*?)\s*\((\d{1,2})\)', text)
    if found:
        code = f'{int(found[2]):02d}'
        named = BY_NAME.get(_normalise(found[1])) if found[1] else code
        return code if code in NAMES and named == code else None
    if text.isdigit():
        code = f'{int(text):02d}'
        return code if code in NAMES else None
    return BY_NAME.get(_normalise(text))


class UnknownRegions(RuntimeError):
    pass


def _codes(connection):
    """{(table, text): code} for every region text in use, or UnknownRegions."""
    found, unknown = {}, []
    for table in ('service_centre', 'school'):
        texts = connection.execute(sa.text(f'SELECT DISTINCT region FROM {table}')).scalars()
        for text in texts:
            code = region_code(text)
            if code is None:
                unknown.append(f'{table}: {text!r}')
            found[table, text] = code
    if unknown:
        raise UnknownRegions(
            'These regions name none of the 17 administrative regions; write their '
            'name or code (e.g. "Montérégie" or "16") and upgrade again: ' + '; '.join(sorted(unknown))
        )
    return found


def upgrade() -> None:
    connection = op.get_bind()
    codes = _codes(connection)
    op.create_table('user_region',
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('region_code', sa.String(length=2), nullable=False),
    sa.CheckConstraint(KNOWN, name=op.f('ck_user_region_region_code_known')),
    sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], name=op.f('fk_user_region_user_id_user_account'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('user_id', 'region_code', name=op.f('pk_user_region'))
    )
    for table in ('service_centre', 'school'):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column('region_code', sa.String(length=2), nullable=True))
        for (in_table, text), code in codes.items():
            if in_table == table:
                connection.execute(
                    sa.text(f'UPDATE {table} SET region_code = :code WHERE region = :text'),
                    {'code': code, 'text': text},
                )
    for table in ('service_centre', 'school'):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.alter_column('region_code', existing_type=sa.String(length=2), nullable=False)
            batch_op.create_check_constraint(op.f(f'ck_{table}_region_code_known'), KNOWN)
            batch_op.create_index(batch_op.f(f'ix_{table}_region_code'), ['region_code'], unique=False)
            batch_op.drop_column('region')


def downgrade() -> None:
    connection = op.get_bind()
    for table in ('school', 'service_centre'):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column('region', sa.VARCHAR(length=100), nullable=True))
        for code, name in NAMES.items():
            connection.execute(
                sa.text(f'UPDATE {table} SET region = :name WHERE region_code = :code'),
                {'code': code, 'name': name},
            )
    for table in ('school', 'service_centre'):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.alter_column('region', existing_type=sa.VARCHAR(length=100), nullable=False)
            batch_op.drop_index(batch_op.f(f'ix_{table}_region_code'))
            batch_op.drop_constraint(op.f(f'ck_{table}_region_code_known'), type_='check')
            batch_op.drop_column('region_code')

    op.drop_table('user_region')
