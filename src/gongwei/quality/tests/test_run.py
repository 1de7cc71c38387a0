"""Findings persist between runs: opened once, resolved when the record is corrected,
explained ones stay explained, and a run touches only its own scope."""

from datetime import date

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from gongwei.programmes.chronic.models import ChronicFollowUp
from gongwei.quality.models import Finding
from gongwei.quality.run import open_findings_count, run


@pytest.fixture
def bad_pressure(patient, followup):
    return followup(patient[1], date(2025, 4, 1), 300, 80)


def test_a_run_opens_one_finding_per_bad_record_and_a_second_run_adds_none(county, patient, bad_pressure):
    first = run(county.county.code)
    finding = Finding.objects.get()
    assert (first.opened, first.still_open) == (1, 1)
    assert (finding.check_code, finding.village_id, finding.resident_id) == ("bp_range", county.v11.code, patient[0].pk)
    assert (finding.record_type, finding.record_id, finding.state) == ("visit", bad_pressure.pk, "open")
    assert run(county.county.code).opened == 0 and Finding.objects.count() == 1


def test_the_finding_is_resolved_as_corrected_once_the_record_is_fixed(county, bad_pressure):
    run(county.v11.code)
    ChronicFollowUp.objects.filter(pk=bad_pressure.pk).update(sbp=130)  # 300 was a slip for 130
    result = run(county.v11.code)
    finding = Finding.objects.get()
    assert result.corrected == 1 and finding.state == "corrected" and finding.resolved_by is None
    assert open_findings_count(county.v11.code) == 0


def test_a_record_broken_again_after_correction_opens_a_new_finding(county, bad_pressure):
    run(county.v11.code)
    ChronicFollowUp.objects.filter(pk=bad_pressure.pk).update(sbp=130)
    run(county.v11.code)
    ChronicFollowUp.objects.filter(pk=bad_pressure.pk).update(sbp=30)
    run(county.v11.code)
    assert sorted(f.state for f in Finding.objects.all()) == ["corrected", "open"]


def test_an_explained_finding_is_not_raised_again(county, bad_pressure):
    run(county.v11.code)
    Finding.objects.update(resolved_at=timezone.now(), resolved_by=county.user("ph_t1"), note="复测确认")
    assert run(county.v11.code).opened == 0
    assert Finding.objects.get().state == "explained" and open_findings_count(county.v11.code) == 0


def test_a_changed_value_that_is_still_wrong_updates_the_message(county, bad_pressure):
    run(county.v11.code)
    ChronicFollowUp.objects.filter(pk=bad_pressure.pk).update(sbp=290)
    run(county.v11.code)
    finding = Finding.objects.get()
    assert finding.state == "open" and "290/80" in finding.message


def test_a_run_of_another_village_leaves_this_villages_findings_alone(county, bad_pressure):
    run(county.v11.code)
    ChronicFollowUp.objects.filter(pk=bad_pressure.pk).update(sbp=130)
    run(county.v12.code)
    run(county.t2.code)
    assert Finding.objects.get().state == "open"  # only a run covering 一村 may resolve it


def test_open_findings_are_counted_under_a_prefix(county, make_resident, patient, bad_pressure):
    from gongwei.people.models import Resident

    other = make_resident(county.v21, "质控己")
    Resident.objects.filter(pk=other.pk).update(sex="2")  # the generated ID number says male
    run(county.county.code)
    assert open_findings_count(county.v11.code) == 1
    assert open_findings_count(county.t1.code) == 1
    assert open_findings_count(county.t2.code) == 1
    assert open_findings_count(county.county.code) == 2
    assert open_findings_count(county.v12.code) == 0


def test_a_record_can_have_only_one_open_finding_per_check(county, bad_pressure):
    run(county.v11.code)
    f = Finding.objects.get()
    with pytest.raises(IntegrityError), transaction.atomic():
        Finding.objects.create(check_code=f.check_code, record_key=f.record_key, village_id=f.village_id,
                               record_type="visit", message="x", first_seen=timezone.now())


def test_indicator_findings_keep_their_identity_when_values_are_recomputed(county):
    from decimal import Decimal

    from gongwei.indicators.models import IndicatorValue

    def value():
        IndicatorValue.objects.filter(unit=county.v11).delete()  # the engine deletes and re-inserts
        IndicatorValue.objects.create(indicator="htn.standard", unit=county.v11, period_kind="quarter",
                                      period_start=date(2025, 4, 1), period_end=date(2025, 6, 30),
                                      numerator=Decimal(5), denominator=Decimal(4))

    value()
    run(county.v11.code)
    value()
    assert run(county.v11.code).opened == 0
    assert Finding.objects.get().state == "open"


def test_the_command_runs_the_checks_for_a_prefix(county, bad_pressure):
    from io import StringIO

    from django.core.management import call_command

    out = StringIO()
    call_command("quality", "--under", county.t1.code, stdout=out)
    assert "新发现 1 条" in out.getvalue() and Finding.objects.count() == 1
