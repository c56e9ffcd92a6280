"""wagtail-localize's background jobs run on Celery (a real worker with Redis)."""

import json

import pytest
from wagtail.models import Locale, Page
from wagtail_localize.operations import TranslationCreator

from cms.localize_job_payloads import (
    JobArgumentNotSerializable,
    decode_job_value,
    encode_job_value,
)
from cms.tasks import run_localize_job_task
from tests.conftest import USING_REAL_SERVICES, wait_until
from tests.factories.pages import (
    chapter_factory,
    handbook_factory,
    recommendation_factory,
)


@pytest.mark.django_db
def test_job_arguments_travel_as_json_and_come_back_as_objects():
    locale = Locale.objects.get(language_code="ar")
    payload = encode_job_value([1, [locale], {"page_index": None}])
    assert decode_job_value(json.loads(json.dumps(payload))) == [
        1,
        [locale],
        {"page_index": None},
    ]


@pytest.mark.django_db
def test_querysets_travel_as_their_rows():
    chosen = Locale.objects.filter(language_code__in=["ar", "fa"]).order_by("pk")
    assert decode_job_value(encode_job_value([chosen])) == [list(chosen)]


def test_objects_without_json_form_are_refused():
    with pytest.raises(JobArgumentNotSerializable):
        encode_job_value([object()])


def test_task_refuses_anything_but_wagtail_localize_functions():
    with pytest.raises(ValueError, match="not a wagtail-localize job"):
        run_localize_job_task("os.system", ["true"], {})


@pytest.fixture
def worker(request):
    """The real worker when services are there; eager tasks otherwise."""
    if USING_REAL_SERVICES:
        return request.getfixturevalue("celery_worker_process")
    return None


@pytest.mark.django_db(transaction=True)
def test_translating_a_subtree_in_the_admin_runs_on_the_worker(
    wagtail_tree, worker, client, django_user_model, caplog
):
    user = django_user_model.objects.create_superuser("uebersetzung", "", "pw-12345678")
    client.force_login(user)
    handbook = handbook_factory()
    chapter = chapter_factory(handbook)
    children = [recommendation_factory(chapter) for _ in range(3)]
    english = Locale.objects.get(language_code="en")
    jobs_before = worker.finished("cms.run_localize_job") if worker else 0
    TranslationCreator(user, [english]).create_translations(handbook)

    response = client.post(
        f"/admin/localize/submit/page/{chapter.pk}/",
        {"locales": [english.pk], "include_subtree": "on"},
    )
    assert response.status_code == 302
    # The chapter itself is translated in the request; its subtree by the job.
    assert Page.objects.filter(
        translation_key=chapter.translation_key, locale=english
    ).exists()

    def subtree_translated():
        return Page.objects.filter(
            translation_key__in=[c.translation_key for c in children], locale=english
        ).count() == len(children)

    assert wait_until(subtree_translated, timeout=60)
    if worker:
        # Let the job finish its last writes before the test's tables are flushed.
        assert wait_until(
            lambda: worker.finished("cms.run_localize_job") > jobs_before, timeout=60
        )
    # It went through Celery, not the in-process fallback for unsendable jobs.
    assert not [r for r in caplog.records if "in-process" in r.getMessage()]
