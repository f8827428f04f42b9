"""The minimum margin lives in the DMN table: a redeployed table routes new cases only."""

import shutil
from decimal import Decimal

from obieg.solutions.expert_opinions.models import BoardReview
from tests.solutions.expert_opinions.helpers import (
    PROCESSES,
    case_of,
    deploy_solution,
    do,
    open_elements,
    prepared,
)


def test_a_changed_minimum_routes_new_cases_while_running_ones_keep_theirs(firm, tmp_path):
    first = deploy_solution()
    # 35 % margin: enough under the shipped 30 % minimum.
    old = prepared(firm, price="461.54")
    assert old.offer.margin.quantize(Decimal("0.0001")) == Decimal("0.3500")

    folder = tmp_path / "processes"
    shutil.copytree(PROCESSES, folder)
    table = folder / "offer_approval.dmn"
    table.write_text(table.read_text().replace("0.30<", "0.40<"))
    second = deploy_solution(folder)
    assert (second.key, second.version) == (first.key, first.version + 1)

    new = prepared(firm, price="461.54")
    assert case_of(old).definition == first
    assert case_of(new).definition == second

    for inquiry in (old, new):
        do(inquiry, "head_approval", firm.head, head_decision="approve")
    assert open_elements(old) == ["record_answer"]  # 35 % ≥ 30 %: sent without the board
    assert open_elements(new) == ["board_approval"]  # 35 % < 40 %: the board decides
    review = BoardReview.objects.get()
    assert (review.inquiry_id, review.minimum_margin) == (new.pk, Decimal("0.4000"))


def test_deploying_the_unchanged_folder_again_writes_no_new_version(firm):
    assert deploy_solution().pk == deploy_solution().pk
