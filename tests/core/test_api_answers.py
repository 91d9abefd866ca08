"""What every platform client makes of an HTTP answer before reading its fields.

The answers are built in memory (``httpx.Response``): a platform's API cannot be reached
from the tests. AutoDL's and 潞晨云's clients share this one reading.
"""

from __future__ import annotations

import httpx
import pytest

from gpudesk.core.errors import GpuDeskError
from gpudesk.core.providers.apiclient import json_answer


@pytest.mark.parametrize("status", [401, 403])
def test_a_refused_token_is_an_authentication_error(status: int) -> None:
    with pytest.raises(GpuDeskError) as caught:
        json_answer(httpx.Response(status, json={"code": "Success"}), "AutoDL")
    assert caught.value.code == "provider.token_rejected"
    assert "AutoDL" in caught.value.message


@pytest.mark.parametrize(
    ("answer", "why"),
    [
        (httpx.Response(404, json={}), "HTTP 404"),
        (httpx.Response(200, text="<html>maintenance</html>"), "not JSON"),
    ],
)
def test_another_status_or_a_body_that_is_not_json_is_a_bad_answer(
    answer: httpx.Response, why: str
) -> None:
    with pytest.raises(GpuDeskError) as caught:
        json_answer(answer, "潞晨云")
    assert caught.value.code == "provider.bad_answer"
    assert why in caught.value.message


def test_a_json_answer_is_decoded() -> None:
    answer = httpx.Response(200, json={"code": "Success", "data": [1, 2]})
    assert json_answer(answer, "AutoDL") == {"code": "Success", "data": [1, 2]}
