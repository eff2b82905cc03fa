"""/api/v1/reports/reach, fuzzed from its own OpenAPI document.

The parameters and the answers come from the document the API serves
(`/api/v1/openapi.yaml`, i.e. docs/openapi.yaml), not from a copy: every
parameter it lists is sent with values of its schema (enum members, integers
in and out of their range, dates), or with anything at all (text, NUL bytes,
huge numbers, odd dates, lists), or left out; unknown parameters are added.
With a valid token, every answer must be one the document lists for the
operation, with a JSON body that its schema accepts (jsonschema, draft
2020-12 as OpenAPI 3.1 says, dates checked). Hand-written hypothesis
strategies rather than schemathesis: it would add a pytest plugin to every
test run for one endpoint. Derandomized, so CI sees the same examples.
"""

from datetime import date

import jsonschema
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.reports import tokens
from app.security import Role
from tests.test_access_matrix import app, built_files, sample  # noqa: F401 (fixtures)
from tests.test_fuzz_forms import ODD

URL = "/api/v1/reports/reach"


def _parameter_values(schema, ids):
    """Values for one query parameter: of its schema, or anything."""
    anything = st.one_of(
        st.sampled_from(ODD),
        st.text(max_size=20),
        st.integers(min_value=-(2**70), max_value=2**70).map(str),
    )
    if "enum" in schema:
        valid = st.sampled_from([str(value) for value in schema["enum"]])
    elif schema.get("type") == "integer":
        low, high = schema.get("minimum", -(2**31)), schema.get("maximum", 2**31)
        valid = st.one_of(
            st.integers(min_value=low, max_value=high).map(str),
            st.integers(min_value=low - 5, max_value=high + 5).map(str),
            st.sampled_from(ids),
        )
    elif schema.get("format") == "date":
        valid = st.dates(min_value=date(1990, 1, 1), max_value=date(2040, 12, 31)).map(
            date.isoformat
        )
    else:
        valid = st.text(max_size=20)
    return st.one_of(valid, valid, anything)


@st.composite
def queries(draw, parameters, ids):
    query = {}
    for parameter in parameters:
        choice = draw(st.integers(0, 5))
        if choice <= 2:
            continue  # most parameters are usually left out
        values = _parameter_values(parameter["schema"], ids)
        if choice == 5:
            query[parameter["name"]] = draw(st.lists(values, min_size=1, max_size=3))
        else:
            query[parameter["name"]] = draw(values)
    extra = draw(
        st.dictionaries(st.text(min_size=1, max_size=10), st.text(max_size=10), max_size=2)
    )
    for name, value in extra.items():
        query.setdefault(name, value)
    return query


def _resolve(document, item):
    """A `$ref` of the document, followed."""
    while "$ref" in item:
        node = document
        for part in item["$ref"].removeprefix("#/").split("/"):
            node = node[part]
        item = node
    return item


def test_the_reach_api_answers_as_documented_whatever_it_is_sent(
    app,  # noqa: F811 (the fixture)
    db,
    client,
    create_user,
    sample,  # noqa: F811 (the fixture)
):
    document = yaml.safe_load(client.get("/api/v1/openapi.yaml").get_data(as_text=True))
    operation = document["paths"]["/reports/reach"]["get"]
    parameters = [_resolve(document, p) for p in operation["parameters"]]
    assert {p["in"] for p in parameters} == {"query"}
    owner = create_user(Role.COORDINATOR, email="api-fuzz@example.org")
    _row, secret = tokens.create_token(db, user=owner, name="Fuzz")
    db.commit()
    headers = {"Authorization": f"Bearer {secret}"}
    ids = sorted({str(v) for k, v in sample.items() if k.endswith("_id")} | {"999999"})
    statuses = []

    @settings(
        max_examples=60,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(query=queries(parameters, ids))
    def call(query):
        response = client.get(URL, query_string=query, headers=headers)
        status = str(response.status_code)
        assert status in operation["responses"], f"{query} -> {status}"
        documented = _resolve(document, operation["responses"][status])
        schema = documented["content"]["application/json"]["schema"]
        assert response.mimetype == "application/json"
        jsonschema.validate(
            response.get_json(),
            {**document, **schema},
            cls=jsonschema.Draft202012Validator,
            format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER,
        )
        if status == "200":
            for name, header in documented["headers"].items():
                jsonschema.validate(response.headers[name], header["schema"])
        statuses.append(status)

    call()
    # Both kinds of answer were reached: the fuzzing is not all refused at the door.
    assert {"200", "400"} <= set(statuses), statuses
