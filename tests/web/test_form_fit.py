"""What the form page shows fits the unit: a district template's title names the unit's
own district; rates are written one way in their column."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from cchc_web import editing
from cchc_web.editing import Change
from cchc_web.models import Entry, Submission

Login = Callable[[str], Client]


def test_a_commune_of_another_district_gets_its_own_district_in_the_title(
        drafts: dict[str, Submission], login: Login) -> None:
    ky_xuan = drafts["42.H02.X01"]  # Thị xã Kỳ Anh
    html = login("xa.kyxuan").get(reverse("submission", kwargs={"pk": ky_xuan.pk})
                                  ).content.decode()
    title = html.split('data-testid="form-title">')[1].split("·")[0]
    assert "THỊ XÃ KỲ ANH" in title and "CẨM XUYÊN" not in title
    home = login("xa.kyxuan").get(reverse("home")).content.decode()
    assert "HUYỆN CẨM XUYÊN" not in home
    cam_hung = drafts["42.H01.X01"]
    own = login("xa.camhung").get(reverse("submission", kwargs={"pk": cam_hung.pk})
                                  ).content.decode()
    assert "TRÊN ĐỊA BÀN HUYỆN CẨM XUYÊN" in own


def test_rates_are_written_one_way_in_their_column(drafts: dict[str, Submission]) -> None:
    s = drafts["42.H01.X01"]
    user = User.objects.get(username="xa.camhung")
    editing.save(s.pk, user, [Change("value", "1.2", "", "85%"),
                              Change("value", "1.3.3", "", "100,00"),
                              Change("value", "2.2.2", "", "96")])
    raws = dict(Entry.objects.filter(submission=s).values_list("item_id", "raw"))
    assert (raws["1.2"], raws["1.3.3"], raws["2.2.2"]) == ("85", "100", "96")
