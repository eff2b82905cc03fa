"""The inbox: youth workers answer the conversations routed to them;
coordinators and admins see counts; admins read the audit log."""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from wtforms import SelectChoice

from app.accounts.models import User
from app.db import get_session, utcnow
from app.forms import Form
from app.help import audit_log as audit
from app.help import inbox, services
from app.help.forms import (
    EscalationForm,
    NoteForm,
    ReassignForm,
    UrgencyForm,
    WorkerReplyForm,
)
from app.help.messages import (
    escalation_labels,
    help_error_message,
    topic_labels,
    urgency_labels,
)
from app.help.models import ConversationStatus
from app.help.replies import reply_templates
from app.help.vault import vault
from app.help.views import bp
from app.paging import Page
from app.regions.loading import current_regions
from app.regions.views import region_label
from app.security import Role, role_required

PER_PAGE = 25
AUDIT_PER_PAGE = 50


@bp.route("/<lang:lang>/inbox/")
@role_required(Role.YOUTH_WORKER, Role.COORDINATOR)
def inbox_index():
    session = get_session()
    if current_user.role != Role.YOUTH_WORKER:
        regions = current_regions()
        return render_template(
            "help/counts.html",
            counts=inbox.counts(session, regions=regions),
            region_names=[region_label(code) for code in regions or ()],
        )
    status = ConversationStatus.CLOSED if request.args.get("closed") else ConversationStatus.OPEN
    page = Page.requested(PER_PAGE)
    rows, total = inbox.inbox_rows(
        session, vault=vault(), user=current_user, status=status, page=page
    )
    return render_template(
        "help/inbox.html",
        rows=rows,
        now=utcnow(),
        days_since=inbox.days_since,
        reasons=urgency_labels(),
        status=status,
        page=page.number,
        pages=page.count(total),
        on_duty=inbox.is_on_duty(session, user=current_user),
        topics=topic_labels(),
    )


def _owned_or_404(conversation_id):
    conversation = inbox.owned(get_session(), user=current_user, conversation_id=conversation_id)
    if conversation is None:
        abort(404)
    return conversation


def _conversation_page(conversation, *, reply_form=None, note_form=None, status=200):
    session = get_session()
    audit.record(session, user=current_user, conversation=conversation, action="read")
    templates = reply_templates(conversation.lang)
    chosen = {k: text for k, _title, text in templates}.get(request.args.get("template"))
    reply_form = reply_form or WorkerReplyForm(formdata=None, data={"body": chosen or ""})
    escalation_form = EscalationForm(formdata=None)
    escalation_form.kind.choices = [SelectChoice(k, v) for k, v in escalation_labels().items()]
    reassign_form = ReassignForm(formdata=None)
    reassign_form.to.choices = [
        SelectChoice(u.id, u.name) for u in inbox.colleagues(session, user=current_user)
    ]
    return render_template(
        "help/worker_conversation.html",
        conversation=conversation,
        messages=services.messages(session, vault=vault(), conversation=conversation),
        notes=inbox.notes(session, vault=vault(), conversation=conversation),
        escalations=inbox.escalations(session, conversation=conversation),
        templates=templates,
        reply_form=reply_form,
        note_form=note_form or NoteForm(formdata=None, prefix="note"),
        escalation_form=escalation_form,
        reassign_form=reassign_form,
        topics=topic_labels(),
        escalation_names=escalation_labels(),
        reasons=urgency_labels(),
        urgency_form=UrgencyForm(
            formdata=None, data={"urgent": "0" if conversation.urgent else "1"}
        ),
    ), status


@bp.route("/<lang:lang>/inbox/<int:conversation_id>/")
@role_required(Role.YOUTH_WORKER)
def conversation(conversation_id):
    return _conversation_page(_owned_or_404(conversation_id))


def _back(conversation):
    return redirect(url_for("help.conversation", conversation_id=conversation.id))


def _write(conversation, form, write, *, done, form_name):
    """Validate a text form and `write(...)` its body into the conversation; on a
    bad body, show the conversation again with the form's error (400)."""
    if form.validate_on_submit():
        try:
            write(
                get_session(),
                vault=vault(),
                user=current_user,
                conversation=conversation,
                body=form.body.data,
            )
        except services.HelpError as error:
            form.body.errors.append(help_error_message(error.code))
        else:
            flash(done, "success")
            return _back(conversation)
    return _conversation_page(conversation, **{form_name: form}, status=400)


@bp.route("/<lang:lang>/inbox/<int:conversation_id>/reply", methods=["POST"])
@role_required(Role.YOUTH_WORKER)
def worker_reply(conversation_id):
    return _write(
        _owned_or_404(conversation_id),
        WorkerReplyForm(),
        inbox.reply,
        done=_("Reply sent. The student will read it with their passphrase."),
        form_name="reply_form",
    )


@bp.route("/<lang:lang>/inbox/<int:conversation_id>/note", methods=["POST"])
@role_required(Role.YOUTH_WORKER)
def add_note(conversation_id):
    return _write(
        _owned_or_404(conversation_id),
        NoteForm(prefix="note"),
        inbox.add_note,
        done=_("Note added."),
        form_name="note_form",
    )


@bp.route("/<lang:lang>/inbox/<int:conversation_id>/escalate", methods=["POST"])
@role_required(Role.YOUTH_WORKER)
def escalate(conversation_id):
    conversation = _owned_or_404(conversation_id)
    kind = request.form.get("kind")
    if Form().validate_on_submit() and kind in escalation_labels():
        try:
            inbox.escalate(
                get_session(),
                user=current_user,
                conversation=conversation,
                kind=kind,
                service=request.form.get("service", "")[:200],
            )
        except services.HelpError as error:
            flash(help_error_message(error.code), "error")
        else:
            flash(_("Escalation recorded."), "success")
    else:
        flash(_("Choose what was done."), "error")
    return _back(conversation)


@bp.route("/<lang:lang>/inbox/<int:conversation_id>/urgent", methods=["POST"])
@role_required(Role.YOUTH_WORKER)
def mark_urgent(conversation_id):
    conversation = _owned_or_404(conversation_id)
    form = UrgencyForm()
    if form.validate_on_submit():
        urgent = form.urgent.data == "1"
        inbox.set_urgent(get_session(), user=current_user, conversation=conversation, urgent=urgent)
        flash(_("Marked urgent.") if urgent else _("The urgent mark is off."), "success")
    else:
        flash(_("The form could not be accepted. Try again."), "error")
    return _back(conversation)


@bp.route("/<lang:lang>/inbox/<int:conversation_id>/reassign", methods=["POST"])
@role_required(Role.YOUTH_WORKER)
def reassign(conversation_id):
    session = get_session()
    conversation = _owned_or_404(conversation_id)
    to = session.get(User, request.form.get("to", type=int) or 0)
    if Form().validate_on_submit():
        try:
            inbox.reassign(session, user=current_user, conversation=conversation, to=to)
        except services.HelpError as error:
            flash(help_error_message(error.code), "error")
            return _back(conversation)
        flash(_("Conversation handed to %(name)s.", name=to.name), "success")
    return redirect(url_for("help.inbox_index"))


@bp.route("/<lang:lang>/inbox/<int:conversation_id>/close", methods=["GET", "POST"])
@role_required(Role.YOUTH_WORKER)
def close(conversation_id):
    conversation = _owned_or_404(conversation_id)
    form = Form()
    if form.validate_on_submit():
        try:
            inbox.close(get_session(), user=current_user, conversation=conversation)
        except services.HelpError as error:
            flash(help_error_message(error.code), "error")
            return _back(conversation)
        flash(_("Conversation closed."), "success")
        return redirect(url_for("help.inbox_index"))
    return render_template("help/close_confirm.html", form=form, conversation=conversation)


@bp.route("/<lang:lang>/inbox/duty", methods=["POST"])
@role_required(Role.YOUTH_WORKER)
def duty():
    if Form().validate_on_submit():
        on = request.form.get("on") == "1"
        inbox.set_on_duty(get_session(), user=current_user, on=on)
        flash(_("You are on duty.") if on else _("You are no longer on duty."), "success")
    return redirect(url_for("help.inbox_index"))


@bp.route("/<lang:lang>/admin/audit")
@role_required(Role.ADMIN)
def audit_log():
    page = Page.requested(AUDIT_PER_PAGE)
    rows, total = audit.entries(get_session(), page=page)
    pages = page.count(total)
    return render_template("help/audit.html", rows=rows, page=page.number, pages=pages)
