"""The evidence view on a hostile archived page (issue #16 items 6, 7): no 500, nothing dropped."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db
SENTINEL = "后文哨兵段落务必保留"


def test_evidence_view_answers_200_on_control_character_link(client_for, world):
    from pathlib import Path

    from govwatch.monitoring.models import Finding
    from tests.web.factories import write_warc

    finding = Finding.objects.filter(evidence__has_key="warc").select_related("run").first()
    pointer = write_warc(Path(finding.run.run_dir), finding.url,
                         '<p>前文<a href="&#1;x">链接</a><embed src="a.swf"></p><p>' + SENTINEL + "</p>")
    finding.evidence = {**finding.evidence, "warc": pointer}
    finding.save()
    r = client_for("reviewer").get(f"/evidence/{finding.pk}/")
    assert r.status_code == 200
    assert SENTINEL in r.content.decode()
