"""The baseline: a bare Flask app, served the same way as the site."""

from flask import Flask

app = Flask(__name__)


@app.route("/")
def hello():
    return "Hello, world!"


@app.route("/form", methods=["GET", "POST"])
def form():
    """The baseline for a form post: read the form, answer a small page."""
    from flask import request

    return f"<p>{len(request.form.get('body', ''))}</p>"


@app.route("/file")
def file():
    """The baseline for a file served from disk: BENCH_FILE, as the site sends a PDF."""
    import os

    from flask import send_file

    return send_file(os.environ["BENCH_FILE"], mimetype="application/pdf", etag=True, max_age=3600)
