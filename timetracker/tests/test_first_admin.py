from io import StringIO

import pytest
from django.contrib.auth import authenticate, get_user_model
from django.core.management import call_command


@pytest.mark.django_db
def test_first_run_creates_an_admin_and_prints_its_password_once():
    out = StringIO()
    call_command("ensure_admin", stdout=out)
    password = out.getvalue().split("password: ")[1].split()[0]
    user = authenticate(username="admin", password=password)
    assert user is not None and user.is_superuser and user.is_staff

    again = StringIO()
    call_command("ensure_admin", stdout=again)
    assert again.getvalue() == ""
    assert get_user_model().objects.count() == 1


@pytest.mark.django_db
def test_every_new_user_gets_a_profile_in_the_site_timezone(settings):
    user = get_user_model().objects.create_user("zed")
    assert user.profile.timezone == settings.TIME_ZONE
