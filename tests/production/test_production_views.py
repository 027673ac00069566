"""The production operator's screen: who may use it, export (the zip downloads), upload (the same summary,
every bad line in Chinese), and the audit trail."""

from __future__ import annotations

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from sscard.applications.constants import State
from sscard.audit.models import AuditEntry
from sscard.production.models import Batch
from tests.factories import StaffUserFactory
from tests.production.conftest import failed_row, ok_row, result_csv

pytestmark = pytest.mark.django_db

URL = "/staff/production/"


@pytest.fixture
def operator(client):
    user = StaffUserFactory(username="production1", role="production")
    client.force_login(user)
    return user


def actions(user) -> list[str]:
    return list(AuditEntry.objects.filter(user=user).order_by("id").values_list("action", flat=True))


def test_signed_out_goes_to_the_staff_sign_in(client):
    response = client.get(URL)
    assert response.status_code == 302 and response["Location"].startswith("/staff/login/")


@pytest.mark.parametrize("role", ["reviewer", "clerk", "supervisor"])
def test_other_roles_get_the_403_page(client, role):
    client.force_login(StaffUserFactory(username=role, role=role))
    for response in (client.get(URL), client.post(f"{URL}export/"), client.post(f"{URL}import/")):
        assert response.status_code == 403
        assert "制卡批次" in response.content.decode()  # names the missing permission
    assert not Batch.objects.exists()


def test_the_operator_sees_the_page_and_the_home_link(client, operator):
    page = client.get(URL).content.decode()
    assert "导出新批次" in page and "导入制卡结果" in page and "还没有批次" in page
    assert URL in client.get("/staff/").content.decode()


def test_export_downloads_the_zip_and_lists_the_batch(client, operator, approved, exchange_dir):
    application = approved()
    response = client.post(f"{URL}export/")
    assert response.status_code == 200 and response["Content-Type"] == "application/zip"
    batch = Batch.objects.get()
    assert f'filename="{batch.code}.zip"' in response["Content-Disposition"]
    with zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content))) as archive:
        assert f"photos/{application.acceptance_number}.jpg" in archive.namelist()
    assert (exchange_dir / "to_maker" / f"{batch.code}.zip").is_file()
    application.refresh_from_db()
    assert application.state == State.PRODUCING

    page = client.get(URL).content.decode()
    assert batch.code in page and "待返回1" in page
    again = client.get(f"{URL}{batch.code}/download/")
    assert again.status_code == 200 and again["Content-Type"] == "application/zip"
    assert actions(operator) == ["production.export_batch", "production.download_batch"]


def test_export_with_nothing_approved_says_so(client, operator, exchange_dir):
    response = client.post(f"{URL}export/", follow=True)
    assert "现在没有待送制的申领" in response.content.decode()
    assert not Batch.objects.exists() and actions(operator) == ["production.export_batch"]


def test_an_unknown_batch_is_404(client, operator):
    assert client.get(f"{URL}ZK000000000000/download/").status_code == 404


def _upload(client, data: bytes, name: str = "results.csv"):
    return client.post(f"{URL}import/", {"file": SimpleUploadedFile(name, data, content_type="text/csv")})


def test_upload_applies_the_results_and_shows_the_summary(client, operator, approved, exchange_dir):
    a, b = approved(), approved()
    client.post(f"{URL}export/")
    response = _upload(client, result_csv([ok_row(a), failed_row(b, "data_error")]))
    page = response.content.decode()
    assert response.status_code == 200 and "已处理2行，0行此前已导入、无变化" in page
    a.refresh_from_db()
    assert a.state == State.PRODUCED
    assert "results.csv" in client.get(URL).content.decode()
    again = _upload(client, result_csv([ok_row(a), failed_row(b, "data_error")]))
    assert "已处理0行，2行此前已导入、无变化" in again.content.decode()
    entry = AuditEntry.objects.filter(action="production.import_results").order_by("id").last()
    assert entry.details == {"applied": 0, "unchanged": 2, "errors": 0}


def test_a_bad_file_shows_every_bad_line_and_changes_nothing(client, operator, approved, exchange_dir):
    a, b = approved(), approved()
    client.post(f"{URL}export/")
    data = result_csv([ok_row(a, "A1"), {**failed_row(b, "data_error"), "result": "maybe"}])
    response = _upload(client, data)
    page = response.content.decode()
    assert response.status_code == 400
    assert "有2行有问题，整个文件未导入" in page
    assert "第2行" in page and "卡号（card_number）应为9位" in page
    assert "第3行" in page and "结果（result）应为ok或failed" in page
    a.refresh_from_db()
    assert a.state == State.PRODUCING


def test_upload_without_a_file_is_a_clear_400(client, operator):
    response = client.post(f"{URL}import/")
    assert response.status_code == 400 and "请选择制卡机构返回的结果文件" in response.content.decode()
