"""Form pieces visits and presentations share: choosing people, cancelling."""

from flask_babel import lazy_gettext as _l
from wtforms import SelectMultipleField, StringField
from wtforms.validators import DataRequired, Length
from wtforms.widgets import CheckboxInput, ListWidget

from app.forms import Form


class CheckboxesField(SelectMultipleField):
    """Checkboxes: easier than a multiple select, on a phone and by keyboard."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class CancelForm(Form):
    """Cancelling a class session or a presentation: the reason is kept."""

    reason = StringField(_l("Reason"), validators=[DataRequired(), Length(max=300)])
