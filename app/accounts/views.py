"""Staff sign-in, sign-out and their own account."""

from datetime import UTC, datetime, timedelta

from flask import (
    Blueprint,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_user, logout_user

from app.accounts import services
from app.accounts.forms import ROLE_LABELS, LoginForm, PasswordChangeForm
from app.db import get_session
from app.i18n import current_language
from app.security import limiter, login_manager, login_required, public

bp = Blueprint("accounts", __name__, template_folder="templates")


@login_manager.user_loader
def _load_user(token):
    user = services.get_user_by_token(get_session(), token)
    return user if user is not None and user.active else None


@login_manager.unauthorized_handler
def _ask_to_sign_in():
    flash(_("Please sign in to see this page."), "info")
    return redirect(
        url_for("accounts.login", lang=current_language(), next=request.full_path.rstrip("?"))
    )


def _safe_next(target):
    """Only a path on this site: never another host (open redirect)."""
    if target and target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return None


@bp.before_app_request
def _enforce_session_rules():
    if not current_user.is_authenticated:
        return None
    signed_in_at = session.get("signed_in_at")
    limit = timedelta(hours=current_app.config["SESSION_ABSOLUTE_HOURS"])
    if signed_in_at is None or datetime.now(UTC).timestamp() - signed_in_at > limit.total_seconds():
        logout_user()
        session.clear()
        flash(_("Your session has expired. Please sign in again."), "info")
        return redirect(url_for("accounts.login", lang=current_language()))
    allowed = {"accounts.change_password", "accounts.logout", "static", "core.healthz"}
    if current_user.must_change_password and request.endpoint not in allowed:
        return redirect(url_for("accounts.change_password", lang=current_language()))
    return None


def _login_rate_limit():
    return current_app.config["LOGIN_RATE_LIMIT"]


@bp.route("/<lang:lang>/login", methods=["GET", "POST"])
@limiter.limit(_login_rate_limit, methods=["POST"])
@public
def login():
    if current_user.is_authenticated:
        return redirect(url_for("accounts.account"))
    form = LoginForm()
    if form.validate_on_submit():
        try:
            user = services.authenticate(
                get_session(),
                email=form.email.data,
                password=form.password.data,
                max_failures=current_app.config["LOGIN_MAX_FAILURES"],
                lock_minutes=current_app.config["LOGIN_LOCK_MINUTES"],
            )
        except services.AccountLocked:
            flash(_("Too many failed attempts. Try again later or ask an administrator."), "error")
        except services.SignInRefused:
            flash(_("Wrong e-mail or password."), "error")
        else:
            session.clear()
            login_user(user)
            session.permanent = True
            session["signed_in_at"] = datetime.now(UTC).timestamp()
            return redirect(_safe_next(request.args.get("next")) or url_for("accounts.account"))
    return render_template("accounts/login.html", form=form)


@bp.route("/<lang:lang>/logout", methods=["POST"])
@public
def logout():
    logout_user()
    session.clear()
    flash(_("You are signed out."), "success")
    return redirect(url_for("core.home"))


@bp.route("/<lang:lang>/account/")
@login_required
def account():
    return render_template("accounts/account.html", role_labels=ROLE_LABELS)


@bp.route("/<lang:lang>/account/password", methods=["GET", "POST"])
@login_required
def change_password():
    form = PasswordChangeForm()
    if form.validate_on_submit():
        if not services.verify_password(current_user, form.current_password.data):
            form.current_password.errors.append(_("This is not your current password."))
        elif form.new_password.data == form.current_password.data:
            form.new_password.errors.append(_("Choose a password different from the current one."))
        else:
            services.set_password(get_session(), user=current_user, password=form.new_password.data)
            # The new token ends other sessions; keep this one signed in.
            login_user(current_user._get_current_object())
            flash(_("Your password has been changed."), "success")
            return redirect(url_for("accounts.account"))
    return render_template("accounts/change_password.html", form=form)
