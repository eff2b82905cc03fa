"""Administrators manage staff accounts."""

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user

from app.accounts import events, mails, password_reset, services, two_factor
from app.accounts.forms import (
    ACCOUNT_EVENT_LABELS,
    PASSWORD_POLICY_MESSAGES,
    ROLE_LABELS,
    ConfirmForm,
    NewUserForm,
    UserForm,
)
from app.accounts.models import User
from app.db import get_or_404, get_session
from app.formats import date_text
from app.paging import Page
from app.security import Role, role_required

bp = Blueprint("admin", __name__, template_folder="templates")

ERROR_MESSAGES = {
    services.DuplicateEmail.code: lambda: _("Another account already uses this e-mail."),
    services.LastAdmin.code: lambda: _(
        "This is the last active administrator: give another account that role first."
    ),
}


def _error_message(error):
    if isinstance(error, services.WeakPassword):
        return str(PASSWORD_POLICY_MESSAGES[error.reason])
    if isinstance(error, password_reset.ResetHeld):
        return _(
            "This account cannot be reset before %(date)s: its e-mail address was changed "
            "by an administrator less than %(days)s days ago.",
            date=date_text(error.until),
            days=password_reset.HOLD_DAYS,
        )
    return ERROR_MESSAGES[error.code]()


def _partner_for(form):
    if not form.partner.data:
        return None
    return next(p for p in services.list_partners(get_session()) if str(p.id) == form.partner.data)


@bp.route("/<lang:lang>/admin/users/")
@role_required(Role.ADMIN)
def users():
    page = Page.requested(current_app.config["USERS_PER_PAGE"])
    users, total = services.list_users(get_session(), page=page)
    return render_template(
        "accounts/users.html",
        users=users,
        total=total,
        page=page.number,
        pages=page.count(total),
        role_labels=ROLE_LABELS,
    )


@bp.route("/<lang:lang>/admin/users/new", methods=["GET", "POST"])
@role_required(Role.ADMIN)
def new_user():
    form = NewUserForm().set_partners(services.list_partners(get_session()))
    if form.validate_on_submit():
        try:
            user = services.create_user(
                get_session(),
                email=form.email.data,
                name=form.name.data,
                role=form.role.data,
                password=form.password.data,
                partner=_partner_for(form),
            )
        except services.WeakPassword as error:
            form.password.errors.append(_error_message(error))
        except services.AccountError as error:
            form.email.errors.append(_error_message(error))
        else:
            user.must_change_password = True
            flash(_("Account created for %(name)s.", name=user.name), "success")
            return redirect(url_for("admin.users"))
    return render_template("accounts/user_form.html", form=form, user=None)


@bp.route("/<lang:lang>/admin/users/<int:user_id>/edit", methods=["GET", "POST"])
@role_required(Role.ADMIN)
def edit_user(user_id):
    user = get_or_404(User, user_id)
    initial = {
        "name": user.name,
        "email": user.email,
        "role": user.role.value,
        "partner": str(user.partner_id or ""),
    }
    form = UserForm(data=initial).set_partners(services.list_partners(get_session()))
    if form.validate_on_submit():
        old_email = user.email
        try:
            services.update_user(
                get_session(),
                user=user,
                email=form.email.data,
                name=form.name.data,
                role=form.role.data,
                partner=_partner_for(form),
            )
        except services.AccountError as error:
            field = form.role if error.code == services.LastAdmin.code else form.email
            field.errors.append(_error_message(error))
        else:
            if user.email == old_email:
                flash(_("Changes saved."), "success")
            else:
                _email_changed(user, old_email=old_email)
            return redirect(url_for("admin.users"))
    return render_template(
        "accounts/user_form.html",
        form=form,
        user=user,
        two_factor_required=two_factor.required_for(user),
    )


def _email_changed(user, *, old_email):
    """Log the change (resets may wait, password_reset.py) and tell the
    former address; if it cannot be told, nothing is saved."""
    held_until = password_reset.note_email_change(get_session(), user=user, by=current_user)
    _told_or_undone(
        lambda: mails.send_email_changed(
            old_email=old_email, user=user, by=current_user, held_until=held_until
        ),
        _("Changes saved. %(email)s was told of the new address.", email=old_email),
    )


def _confirmed_action(user_id, *, template, action, held=False, **values):
    """GET shows what will happen; POST (with its CSRF token) does it.

    With `held`, a reset that must wait (password_reset.ResetHeld) is
    explained on the page, without its button."""
    user = get_or_404(User, user_id)
    if held:
        values["held_until"] = password_reset.held_until(get_session(), user=user)
        values["hold_days"] = password_reset.HOLD_DAYS
    form = ConfirmForm()
    if form.validate_on_submit():
        try:
            return action(user)
        except services.AccountError as error:
            flash(_error_message(error), "error")
            return redirect(url_for("admin.users"))
    return render_template(template, form=form, user=user, **values)


@bp.route("/<lang:lang>/admin/users/<int:user_id>/deactivate", methods=["GET", "POST"])
@role_required(Role.ADMIN)
def deactivate_user(user_id):
    def deactivate(user):
        services.deactivate_user(get_session(), user=user)
        flash(_("%(name)s can no longer sign in.", name=user.name), "success")
        return redirect(url_for("admin.users"))

    return _confirmed_action(
        user_id, template="accounts/confirm_deactivate.html", action=deactivate
    )


@bp.route("/<lang:lang>/admin/users/<int:user_id>/reactivate", methods=["POST"])
@role_required(Role.ADMIN)
def reactivate_user(user_id):
    user = get_or_404(User, user_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    services.reactivate_user(get_session(), user=user)
    flash(_("%(name)s can sign in again.", name=user.name), "success")
    return redirect(url_for("admin.users"))


def _told_or_undone(send, done_message):
    """Send the e-mail that tells the person; if it cannot go, undo the
    request's changes (nothing is done that they were not told of)."""
    try:
        send()
    except mails.SEND_ERRORS:
        get_session().rollback()
        flash(_("The e-mail could not be sent, so nothing was changed. Try again later."), "error")
        return False
    flash(done_message, "success")
    return True


def _reset_link_hours():
    return current_app.config.get("PASSWORD_RESET_HOURS", password_reset.DEFAULT_HOURS)


@bp.route("/<lang:lang>/admin/users/<int:user_id>/reset-password", methods=["GET", "POST"])
@role_required(Role.ADMIN)
def reset_password(user_id):
    """Send the person a link to choose a new password: the admin never sees
    the link or the password (password_reset.py)."""
    hours = _reset_link_hours()

    def reset(user):
        token = password_reset.start(get_session(), user=user, by=current_user, hours=hours)
        _told_or_undone(
            lambda: mails.send_reset_link(user=user, token=token, by=current_user, hours=hours),
            _("A link to choose a new password was sent to %(email)s.", email=user.email),
        )
        return redirect(url_for("admin.users"))

    return _confirmed_action(
        user_id, template="accounts/confirm_reset.html", action=reset, held=True, hours=hours
    )


@bp.route("/<lang:lang>/admin/users/<int:user_id>/reset-two-factor", methods=["GET", "POST"])
@role_required(Role.ADMIN)
def reset_two_factor(user_id):
    def reset(user):
        password_reset.ensure_not_held(get_session(), user=user)
        services.reset_two_factor(get_session(), user=user, by=current_user)
        _told_or_undone(
            lambda: mails.send_two_factor_reset(user=user, by=current_user),
            _(
                "%(name)s will set up two-factor sign-in again at their next sign-in.",
                name=user.name,
            ),
        )
        return redirect(url_for("admin.edit_user", user_id=user.id))

    return _confirmed_action(
        user_id, template="accounts/confirm_reset_two_factor.html", action=reset, held=True
    )


def _requested_user_id():
    try:
        return int(request.args["user"])
    except (KeyError, ValueError):
        return None


@bp.route("/<lang:lang>/admin/sign-in-events")
@role_required(Role.ADMIN)
def account_events():
    """The sign-in log, newest first, for everyone or for one account."""
    session = get_session()
    page = Page.requested(current_app.config["USERS_PER_PAGE"])
    user_id = _requested_user_id()
    selected = get_or_404(User, user_id) if user_id is not None else None
    rows, total = events.list_events(session, page=page, user_id=selected.id if selected else None)
    pages = page.count(total)
    users = services.all_users(session)
    return render_template(
        "accounts/account_events.html",
        rows=rows,
        total=total,
        page=page.number,
        pages=pages,
        users=users,
        selected=selected,
        labels=ACCOUNT_EVENT_LABELS,
    )
