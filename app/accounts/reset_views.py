"""The pages a password reset link leads to (password_reset.py).

The link's page keeps the token in the (signed) session and sends the
browser on to a page without it, so the token leaves the address bar and
the history; the form there sets the password. Both answer 404, with a page
that says what to do, for a link that is unknown, used or expired.
Registered on the accounts blueprint by views.py.
"""

from flask import current_app, flash, redirect, render_template, session, url_for
from flask_babel import gettext as _
from flask_login import logout_user

from app.accounts import password_reset, services
from app.accounts.forms import PASSWORD_POLICY_MESSAGES, NewPasswordForm
from app.db import get_session
from app.security import limiter, public

SESSION_KEY = "password_reset_link"


def _login_rate_limit():
    return current_app.config["LOGIN_RATE_LIMIT"]


def _invalid_link():
    return render_template("accounts/reset_link_invalid.html"), 404


@public
def password_reset_link(token):
    # A bad link leaves alone a good one opened before in this browser.
    if password_reset.user_for(get_session(), token) is None:
        return _invalid_link()
    session[SESSION_KEY] = token
    return redirect(url_for("accounts.new_password"))


@limiter.limit(_login_rate_limit, methods=["POST"])
@public
def new_password():
    token = session.get(SESSION_KEY)
    user = password_reset.user_for(get_session(), token)
    if user is None:
        session.pop(SESSION_KEY, None)
        return _invalid_link()
    form = NewPasswordForm()
    if form.validate_on_submit():
        try:
            password_reset.complete(get_session(), token=token, password=form.new_password.data)
        except services.WeakPassword as error:
            form.new_password.errors.append(PASSWORD_POLICY_MESSAGES[error.reason])
        except password_reset.LinkInvalid:
            return _invalid_link()
        else:
            # Whoever was signed in in this browser is not any more.
            logout_user()
            session.clear()
            flash(_("Your new password is set. Sign in with it."), "success")
            return redirect(url_for("accounts.login"))
    return render_template("accounts/new_password.html", form=form, user=user)
