"""`flask help …`: purge, rekey, send-alerts, urgency-train, urgency-report."""

import click
from flask import current_app
from flask.cli import with_appcontext
from sqlmodel import select

from app.db import get_session, utcnow
from app.help import retention
from app.help.models import Message, Note
from app.help.vault import vault


@click.group("help", help="The anonymous questions: retention, keys, alerts, urgency.")
def help_group():
    pass


@help_group.command("purge")
@with_appcontext
def purge_command():
    """Delete closed conversations older than HELP_RETENTION_DAYS and open ones
    idle for HELP_INACTIVE_DAYS, keeping counts."""
    session = get_session()
    days = current_app.config["HELP_RETENTION_DAYS"]
    idle = current_app.config["HELP_INACTIVE_DAYS"]
    count = retention.purge(session, now=utcnow(), retention_days=days, inactive_days=idle)
    session.commit()
    click.echo(
        f"Purged {count} conversation(s) closed more than {days} days ago "
        f"or without a message for {idle} days."
    )


@help_group.command("rekey")
@with_appcontext
def rekey_command():
    """Re-encrypt every body under the first of HELP_ENCRYPTION_KEYS."""
    session = get_session()
    count = 0
    for model in (Message, Note):
        for row in session.exec(select(model)).all():
            row.body = vault().rotate(row.body)
            count += 1
    session.commit()
    click.echo(f"Re-encrypted {count} bodies under the first key.")


@help_group.command("send-alerts")
@click.option("--watch", is_flag=True, help="Keep sending, a pass every INTERVAL seconds.")
@click.option("--interval", default=60, show_default=True, type=click.IntRange(1, 3600))
@click.option("--verbose", is_flag=True, help="Say what each pass did.")
@with_appcontext
def send_alerts_command(watch, interval, verbose):
    """Send the urgent alerts that are due (retrying those that failed).

    Quiet by default: run every minute by a timer, a line per run would be
    stamped by the journal and date each urgent question. Without --verbose it
    speaks only in the first minute of an hour, and only when alerts wait
    after failures."""
    import time

    from app.help.alert_runner import pending_now, send_now

    app = current_app._get_current_object()
    while True:
        sent, failed = send_now(app)
        waiting, attempts = pending_now(app)
        if verbose:
            click.echo(f"Sent {sent} alert(s); {failed} failed; {waiting} waiting.")
        elif attempts and utcnow().minute == 0:
            click.echo(f"{waiting} alert(s) wait after failures: check the mail server.")
        if not watch:
            return
        time.sleep(interval)


@help_group.command("urgency-train")
@with_appcontext
def urgency_train_command():
    """Train the urgency model on tests/data/urgency/ and write app/data/urgency_model.npz."""
    from app.help import urgency_corpus, urgency_model

    examples = urgency_corpus.read_corpus()
    model = urgency_corpus.train(examples, corpus_sha=urgency_corpus.corpus_sha256())
    model.save(urgency_model.MODEL_FILE)
    click.echo(f"Trained on {len(examples)} messages: {urgency_model.MODEL_FILE}")


@help_group.command("urgency-report")
@click.option("--folds", default=5, show_default=True, type=click.IntRange(2, 20))
@click.option("--misses", is_flag=True, help="Also list the messages decided wrongly.")
@with_appcontext
def urgency_report_command(folds, misses):
    """Cross-validated recall and false alarms per language, and the held-out set."""
    from app.help import urgency_corpus, urgency_model

    examples = urgency_corpus.read_corpus()
    scores, wrong = urgency_corpus.cross_validate(examples, folds=folds)
    click.echo(f"Cross-validation, {folds} folds, {len(examples)} messages:")
    _print_scores(scores)
    if urgency_corpus.HOLDOUT_FILE.exists():
        held = urgency_corpus.read_tsv(urgency_corpus.HOLDOUT_FILE)
        decisions = urgency_corpus.decide(urgency_model.shipped(), held)
        click.echo(f"Held-out set (written apart, never trained on), {len(held)} messages:")
        _print_scores(urgency_corpus.score(held, decisions))
    click.echo(
        f"Targets: recall >= {urgency_corpus.TARGET_RECALL}, "
        f"false alarms <= {urgency_corpus.TARGET_FALSE_ALARMS}."
    )
    if misses:
        for example in wrong:
            kind = "missed" if example.urgent else "false alarm"
            click.echo(f"  {kind} [{example.lang} {example.label}] {example.text}")


def _print_scores(scores):
    for lang, s in scores.items():
        click.echo(
            f"  {lang}: recall {s.recall:.3f} ({s.caught}/{s.urgent} urgent), "
            f"false alarms {s.false_alarm_rate:.3f} ({s.false_alarms}/{s.ordinary} ordinary)"
        )
