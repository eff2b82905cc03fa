# MOBILIS Prévention in a container, for those who deploy that way. Not built
# in this repository's checks (no Docker there); docs/deploy.md's "Deploy" section
# is the tested way. Build: docker build -t mobilis .
# Run (PostgreSQL elsewhere, nginx or another HTTPS proxy in front):
#   docker run --env-file mobilis.env -p 127.0.0.1:8000:8000 -v mobilis-instance:/srv/mobilis/instance mobilis
FROM python:3.11-slim-bookworm

# WeasyPrint's libraries (Pango, HarfBuzz's subsetter) and a font, as its
# documentation lists them for Debian; pg_dump for `flask backup`.
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
       libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core \
       postgresql-client \
    && rm -rf /var/lib/apt/lists/*

RUN useradd --system --create-home --home-dir /home/mobilis --shell /usr/sbin/nologin mobilis

WORKDIR /srv/mobilis
COPY . .
RUN pip install --no-cache-dir . \
    && pybabel compile -d translations \
    && mkdir -p instance \
    && chown mobilis:mobilis instance

USER mobilis
ENV LOG_FORMAT=json \
    GUNICORN_BIND=0.0.0.0:8000 \
    GUNICORN_WORKERS=3 \
    MOBILIS_INSTANCE_PATH=/srv/mobilis/instance
VOLUME ["/srv/mobilis/instance"]
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=5s CMD python -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/healthz', timeout=4)"
# The code runs from /srv/mobilis (gunicorn puts its working folder first on
# the import path, so static/, curriculum/ and translations/ are found beside
# app/); `pip install .` brought the dependencies. Migrations are a separate
# step: docker run --rm --env-file mobilis.env mobilis flask --app app db upgrade
# The public PDFs and cards are built into the instance volume by the workers
# in the background as they start, or ahead, before the container serves:
#   docker run --rm --env-file mobilis.env -v mobilis-instance:/srv/mobilis/instance mobilis flask --app app curriculum build
CMD ["gunicorn", "-c", "gunicorn.conf.py"]
