"""The baseline: a bare Flask app, served the same way as the site."""

from flask import Flask

app = Flask(__name__)


@app.route("/")
def hello():
    return "Hello, world!"
