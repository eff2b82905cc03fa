"""Staff sign-in, sign-out and their own account."""

import math
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
from flask_babel import ngettext
from flask_login import current_user, login_user, logout_user

from app.accounts import devices, reset_views, services, sign_in, two_factor
from app.accounts.forms import (
    PASSWORD_POLICY_MESSAGES,
    ROLE_LABELS,
    CodeForm,
    LoginForm,
    PasswordChangeForm,
)
from app.accounts.next_page import safe_next, work_page
from app.db import get_session
from app.i18n import current_language
from app.security import limiter, login_manager, login_required, public

bp = Blueprint("accounts", __name__, template_folder="templates")
bp.add_url_rule("/<lang:lang>/password-reset/<token>", view_func=reset_views.password_reset_link)
bp.add_url_rule(
    "/<lang:lang>/password-reset/", view_func=reset_views.new_password, methods=["GET", "POST"]
)


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


def _paused_message(error):
    """What a paused sign-in is told: the same words for every e-mail typed."""
    seconds = (error.until - datetime.now(UTC)).total_seconds()
    minutes = max(1, math.ceil(seconds / 60))
    return ngettext(
        "Too many failed attempts. Wait %(num)s minute before trying again.",
        "Too many failed attempts. Wait %(num)s minutes before trying again.",
        minutes,
    )


def _sign_in(user, *, next_url):
    device = devices.id_for_sign_in()
    sign_in.complete_sign_in(get_session(), user=user, address=request.remote_addr, device=device)
    session.clear()
    login_user(user)
    session.permanent = True
    session["signed_in_at"] = datetime.now(UTC).timestamp()
    response = redirect(safe_next(next_url) or work_page(user))
    return devices.remember(response, device)


@bp.route("/<lang:lang>/login", methods=["GET", "POST"])
@limiter.limit(_login_rate_limit, methods=["POST"])
@public
def login():
    if current_user.is_authenticated:
        return redirect(work_page(current_user))
    form = LoginForm()
    if form.validate_on_submit():
        try:
            user = sign_in.authenticate(
                get_session(),
                email=form.email.data,
                password=form.password.data,
                address=request.remote_addr,
                device=devices.from_request(),
            )
        except sign_in.TooManyAttempts as error:
            flash(_paused_message(error), "error")
        except sign_in.SignInRefused:
            flash(_("Wrong e-mail or password."), "error")
        else:
            next_url = request.args.get("next")
            if not two_factor.required_for(user):
                return _sign_in(user, next_url=next_url)
            # Not signed in yet: the session only remembers that this
            # account's password was right, and when (PENDING_SECONDS).
            session.clear()
            session[PENDING] = {
                "token": user.auth_token,
                "at": datetime.now(UTC).timestamp(),
                "next": safe_next(next_url),
            }
            if user.totp_secret is None:
                return redirect(url_for("accounts.login_set_up_code"))
            return redirect(url_for("accounts.login_code"))
    return render_template("accounts/login.html", form=form)


# The second step must follow the password within this many seconds.
PENDING = "two_factor_pending"
PENDING_SECONDS = 5 * 60


def _pending_user():
    """The account whose password was just given, or None (none, too old, changed)."""
    pending = session.get(PENDING)
    if not pending:
        return None
    if datetime.now(UTC).timestamp() - pending.get("at", 0) > PENDING_SECONDS:
        return None
    user = services.get_user_by_token(get_session(), pending.get("token", ""))
    if user is None or not user.active:
        return None
    return user


def _back_to_password(message):
    session.pop(PENDING, None)
    flash(message, "info")
    return redirect(url_for("accounts.login"))


def _second_step(user, action):
    """Run `action` (which checks a code); turn its refusals into messages.

    Returns a response, or None to show the form again with its error."""
    try:
        action()
    except sign_in.TooManyAttempts as error:
        session.pop(PENDING, None)
        flash(_paused_message(error), "error")
        return redirect(url_for("accounts.login"))
    except sign_in.WrongCode:
        return None
    except sign_in.SignInRefused:  # deactivated between the two steps
        return _back_to_password(_("Please sign in again: the code must follow the password."))
    return _sign_in(user, next_url=session[PENDING].get("next"))


@bp.route("/<lang:lang>/login/code", methods=["GET", "POST"])
@limiter.limit(_login_rate_limit, methods=["POST"])
@public
def login_code():
    if current_user.is_authenticated:
        return redirect(work_page(current_user))
    user = _pending_user()
    if user is None:
        return _back_to_password(_("Please sign in again: the code must follow the password."))
    if user.totp_secret is None:
        return redirect(url_for("accounts.login_set_up_code"))
    form = CodeForm()
    if form.validate_on_submit():

        def check():
            sign_in.check_code(
                get_session(),
                user=user,
                code=form.code.data,
                address=request.remote_addr,
                device=devices.from_request(),
            )

        response = _second_step(user, check)
        if response is not None:
            return response
        form.code.errors.append(
            _("This code is not right, or it was already used. Wait for the next one.")
        )
    return render_template("accounts/two_factor_code.html", form=form)


@bp.route("/<lang:lang>/login/set-up-code", methods=["GET", "POST"])
@limiter.limit(_login_rate_limit, methods=["POST"])
@public
def login_set_up_code():
    if current_user.is_authenticated:
        return redirect(work_page(current_user))
    user = _pending_user()
    if user is None:
        return _back_to_password(_("Please sign in again: the code must follow the password."))
    if user.totp_secret is not None:
        return redirect(url_for("accounts.login_code"))
    pending = session[PENDING]
    # Kept in the (signed) session until a first code proves the app has it;
    # only then written to the account. The session is cleared at sign-in.
    secret = pending.get("secret")
    if secret is None:
        secret = two_factor.new_secret()
        session[PENDING] = {**pending, "secret": secret}
    form = CodeForm()
    if form.validate_on_submit():

        def enrol():
            sign_in.enrol_two_factor(
                get_session(),
                user=user,
                secret=secret,
                code=form.code.data,
                address=request.remote_addr,
                device=devices.from_request(),
            )

        response = _second_step(user, enrol)
        if response is not None:
            flash(_("Two-factor sign-in is set up."), "success")
            return response
        form.code.errors.append(
            _("This code is not right. Check that the app shows the account you just added.")
        )
    uri = two_factor.provisioning_uri(secret, user.email)
    return render_template(
        "accounts/enrol_two_factor.html",
        form=form,
        qr_code=two_factor.qr_code_data_uri(uri),
        secret=two_factor.grouped(secret),
    )


@bp.route("/<lang:lang>/logout", methods=["POST"])
@public
def logout():
    if current_user.is_authenticated:
        sign_in.sign_out(get_session(), user=current_user._get_current_object())
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
            try:
                services.change_own_password(
                    get_session(), user=current_user, password=form.new_password.data
                )
            except services.WeakPassword as error:
                form.new_password.errors.append(PASSWORD_POLICY_MESSAGES[error.reason])
            else:
                # The new token ends other sessions; keep this one signed in.
                login_user(current_user._get_current_object())
                flash(_("Your password has been changed."), "success")
                return redirect(url_for("accounts.account"))
    return render_template("accounts/change_password.html", form=form)
