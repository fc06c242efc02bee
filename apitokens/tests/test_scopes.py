import pytest

from apitokens import scopes
from apitokens.scopes import ADMIN_ALL, SCOPES, grants

READ_SCOPES = [name for name in SCOPES if name.startswith("read:")]
WRITE_SCOPES = [name for name in SCOPES if name.startswith("write:")]


@pytest.mark.parametrize("required", list(SCOPES))
def test_admin_all_grants_every_scope(required):
    assert grants([ADMIN_ALL], required)


@pytest.mark.parametrize("write", WRITE_SCOPES)
def test_write_scope_implies_its_read_scope(write):
    resource = write.partition(":")[2]
    assert grants([write], f"read:{resource}")


@pytest.mark.parametrize("read", [f"read:{w.partition(':')[2]}" for w in WRITE_SCOPES])
def test_read_scope_does_not_imply_write(read):
    resource = read.partition(":")[2]
    assert not grants([read], f"write:{resource}")


def test_write_scope_does_not_imply_another_resources_read():
    assert not grants(["write:projects"], "read:time_entries")


@pytest.mark.parametrize("required", list(SCOPES))
def test_no_scopes_means_no_access(required):
    assert not grants([], required)


def test_a_scope_grants_only_itself_and_nothing_administrative():
    assert grants(["read:projects"], "read:projects")
    assert not grants(["read:projects"], "read:tasks")
    assert not grants(["write:projects", "write:tasks"], ADMIN_ALL)


def test_every_write_scope_has_a_read_scope():
    for write in WRITE_SCOPES:
        assert f"read:{write.partition(':')[2]}" in SCOPES


def test_read_and_write_scope_lookups_refuse_names_outside_the_registry():
    assert scopes.read_scope("projects") == "read:projects"
    assert scopes.write_scope("time_entries") == "write:time_entries"
    with pytest.raises(KeyError):
        scopes.read_scope("invoices")
    with pytest.raises(KeyError):
        scopes.write_scope("reports")  # reports are read-only


def test_unknown_scopes_lists_only_names_outside_the_registry():
    assert scopes.unknown_scopes(["read:projects", "read:invoices", "admin:everything"]) == [
        "read:invoices",
        "admin:everything",
    ]
    assert scopes.unknown_scopes(list(SCOPES)) == []
