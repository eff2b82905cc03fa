"""/<lang>/admin/users/<id>/regions: an admin sets the regions a staff member
works in (none: provincial). Linked from the admin's list of users."""

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from app.accounts.models import User
from app.db import get_or_404, get_session
from app.forms import CheckboxesField, Form
from app.i18n import current_language
from app.regions import data, services
from app.security import Role, role_required

bp = Blueprint("regions", __name__, template_folder="templates")


@bp.app_template_filter("region")
def region_label(code):
    """{{ school.region_code|region }}: "Montérégie (16)" in the page's language."""
    return data.label(code, current_language())


class UserRegionsForm(Form):
    regions = CheckboxesField(_l("Regions"), choices=[])

    def set_choices(self, lang):
        self.regions.choices = data.choices(lang)
        return self


@bp.route("/<lang:lang>/admin/users/<int:user_id>/regions", methods=["GET", "POST"])
@role_required(Role.ADMIN)
def user_regions(user_id):
    session = get_session()
    user = get_or_404(User, user_id)
    form = UserRegionsForm(data={"regions": services.user_regions(session, user.id)})
    form.set_choices(current_language())
    if form.validate_on_submit():
        codes = services.set_user_regions(session, user=user, codes=form.regions.data or [])
        if codes:
            names = ", ".join(data.label(c, current_language()) for c in codes)
            flash(
                _("%(name)s now works in: %(regions)s.", name=user.name, regions=names), "success"
            )
        else:
            flash(_("%(name)s now sees every region (provincial).", name=user.name), "success")
        return redirect(url_for("regions.user_regions", user_id=user.id))
    return render_template(
        "regions/user_regions.html",
        form=form,
        user=user,
        provincial=not services.user_regions(session, user.id),
        admin=user.role == Role.ADMIN,
    ), (422 if form.errors else 200)
