"""The OpenAPI schema: it builds and validates without warnings, and documents every filter."""

import pytest
from django.core.management import call_command

from events.filtersets import EventFilterSet, SourceFilterSet

pytestmark = pytest.mark.django_db


def test_the_schema_validates_without_warnings(tmp_path):
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(tmp_path / "schema.yaml"))
    assert "/api/v1/events/{id_or_slug}/" in (tmp_path / "schema.yaml").read_text()


@pytest.fixture
def schema(api_client):
    response = api_client.get("/api/v1/schema/", {"format": "json"})
    assert response.status_code == 200
    return response.json()


def parameters(schema, path, method="get"):
    return {parameter["name"]: parameter for parameter in schema["paths"][path][method]["parameters"]}


@pytest.mark.parametrize(
    ("path", "filterset"), [("/api/v1/events/", EventFilterSet), ("/api/v1/sources/", SourceFilterSet)]
)
def test_every_filter_is_documented_with_its_meaning(schema, path, filterset):
    documented = parameters(schema, path)
    expected = set(filterset.base_filters) | {"limit", "offset", "lang"}
    assert expected <= set(documented)
    for name in expected:
        assert len(documented[name].get("description", "")) > 20, f"{name} has no real description"


def test_the_limit_documents_its_maximum(schema):
    assert parameters(schema, "/api/v1/events/")["limit"]["schema"]["maximum"] == 500


def test_errors_are_documented_in_the_one_shape(schema):
    get_list = schema["paths"]["/api/v1/events/"]["get"]["responses"]
    assert get_list["400"]["content"]["application/json"]["schema"]["$ref"] == "#/components/schemas/Error"
    detail = schema["paths"]["/api/v1/events/{id_or_slug}/"]
    assert "404" in detail["get"]["responses"]
    assert {"400", "401", "403", "404"} <= set(detail["patch"]["responses"])


def test_writes_take_the_input_serializer_and_answer_with_the_representation(schema):
    create = schema["paths"]["/api/v1/events/"]["post"]
    assert create["requestBody"]["content"]["application/json"]["schema"]["$ref"].endswith(
        "/EventWriteRequest"
    )
    assert create["responses"]["201"]["content"]["application/json"]["schema"]["$ref"].endswith("/Event")


def test_the_docs_page_uses_local_assets_only(api_client):
    response = api_client.get("/api/v1/docs/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "drf_spectacular_sidecar/swagger-ui-dist" in page
    assert "cdn.jsdelivr.net" not in page and "unpkg.com" not in page


def test_anyone_may_read_and_the_schema_says_so(schema):
    """Every GET is open to anonymous readers ({} in its security); writes need a token or session."""
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            anonymous = {} in operation.get("security", [])
            assert anonymous == (method == "get"), (method, path)


def test_a_blank_parallel_language_answered_by_the_api_is_allowed_by_the_schema(schema, api_client):
    from jsonschema import Draft202012Validator
    from referencing import Registry
    from referencing.jsonschema import DRAFT202012

    from tests.factories import SourceFactory

    source = SourceFactory(parallel_language="")
    body = api_client.get(f"/api/v1/sources/{source.pk}/").json()
    assert body["parallel_language"] == ""
    registry = Registry().with_resource("urn:schema", DRAFT202012.create_resource(schema))
    field = "urn:schema#/components/schemas/SourceDetail/properties/parallel_language"
    assert list(Draft202012Validator({"$ref": field}, registry=registry).iter_errors("")) == []
    assert list(Draft202012Validator({"$ref": field}, registry=registry).iter_errors("xx")) != []
