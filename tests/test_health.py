def test_healthz_ok(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok", "database": True}


def test_healthz_503_when_the_database_does_not_answer(make_app, tmp_path):
    missing = tmp_path / "no-such-folder" / "db.sqlite3"
    app = make_app(DATABASE_URL=f"sqlite:///{missing}")
    response = app.test_client().get("/healthz")
    assert response.status_code == 503
    assert response.get_json()["database"] is False
