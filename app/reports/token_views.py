"""A coordinator's personal API tokens: make one (shown once), list them,
revoke one. Each person sees and revokes only their own."""

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from wtforms import StringField
from wtforms.validators import DataRequired, Length

from app.db import get_session
from app.forms import Form
from app.reports import tokens
from app.reports.views import READERS, bp
from app.security import role_required


# Here rather than in a reports/forms.py: one field, used by this file only.
class TokenForm(Form):
    name = StringField(
        _l("Name of the token"),
        validators=[DataRequired(), Length(max=100)],
        description=_l("What it is for, e.g. “Annual report spreadsheet”."),
    )


def _own_token_or_404(token_id):
    token = tokens.owned_token(get_session(), user=current_user, token_id=token_id)
    if token is None:
        abort(404)
    return token


@bp.route("/<lang:lang>/reports/tokens", methods=["GET", "POST"], endpoint="tokens")
@role_required(*READERS)
def tokens_page():
    session = get_session()
    form = TokenForm()
    new_token = None
    if form.validate_on_submit():
        _row, new_token = tokens.create_token(session, user=current_user, name=form.name.data)
        form = TokenForm(formdata=None)
    return render_template(
        "reports/tokens.html",
        form=form,
        new_token=new_token,
        tokens=tokens.tokens_of(session, user=current_user),
    )


@bp.route("/<lang:lang>/reports/tokens/<int:token_id>/revoke", methods=["GET", "POST"])
@role_required(*READERS)
def revoke_token(token_id):
    token = _own_token_or_404(token_id)
    form = Form()
    if form.validate_on_submit():
        tokens.revoke(get_session(), token=token)
        flash(_("The token “%(name)s” no longer works.", name=token.name), "success")
        return redirect(url_for("reports.tokens"))
    return render_template("reports/revoke_token.html", form=form, token=token)
