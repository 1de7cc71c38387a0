"""Demo population: deterministic, shaped like the 2020 rural census, valid for IDs."""

import random
import re
from collections import Counter
from datetime import date

import pytest

from gongwei.people.idnumber import make_id, validate
from gongwei.people.namekeys import name_keys
from gongwei.people.population import (
    AGE_BANDS,
    SURNAMES,
    age_sex_cells,
    draw_address,
    draw_household_size,
    draw_person,
    draw_phone,
    draw_single_person_household,
)

TODAY = date(2025, 6, 1)
DRAWS = 100_000


def age_on(birth: date, day: date) -> int:
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))


@pytest.fixture(scope="module")
def people():
    rng = random.Random(20201101)  # census reference day
    return [draw_person(rng, TODAY) for _ in range(DRAWS)]


def test_same_seed_gives_the_same_people_phones_addresses_and_households():
    def sample(seed):
        rng = random.Random(seed)
        return [(draw_person(rng, TODAY), draw_phone(rng), draw_address(rng, "张家村"),
                 draw_household_size(rng)) for _ in range(1000)]

    assert sample(7) == sample(7)
    assert sample(7) != sample(8)


def test_band_table_reproduces_the_rural_census_aggregates():
    # 2020 census, rural population: 60+ = 23.81 %, 65+ = 17.72 % (population.py docstring).
    assert sum(share for _, share, _ in AGE_BANDS) == pytest.approx(100, abs=1e-9)
    assert sum(share for start, share, _ in AGE_BANDS if start >= 60) == pytest.approx(23.81)
    assert sum(share for start, share, _ in AGE_BANDS if start >= 65) == pytest.approx(17.72)
    assert sum(weight for _, _, weight in age_sex_cells()) == pytest.approx(100)


def test_drawn_age_bands_and_sexes_match_the_table_within_sampling_error(people):
    bands = Counter(min(age_on(birth, TODAY) // 5 * 5, 85) for _, _, birth in people)
    men = Counter(min(age_on(birth, TODAY) // 5 * 5, 85)
                  for _, sex, birth in people if sex == "1")
    for start, share, male_share in AGE_BANDS:
        # Standard error of a share near 0.09 over 100k draws is about 0.001.
        assert bands[start] / DRAWS == pytest.approx(share / 100, abs=0.004), start
        # The smallest band (85+, ~1,600 draws) has a standard error of about 0.012.
        assert men[start] / bands[start] == pytest.approx(male_share, abs=0.05), start
    assert sum(bands[start] for start in (60, 65, 70, 75, 80, 85)) / DRAWS == pytest.approx(
        0.2381, abs=0.005)


def test_everyone_is_born_by_today_and_no_older_than_104(people):
    assert all(age_on(birth, TODAY) in range(0, 105) for _, _, birth in people)


def test_every_drawn_birth_date_gives_a_valid_id_number(people):
    for index, (_, sex, birth) in enumerate(people[:20_000]):
        seq = (index % 500) * 2 + (1 if sex == "1" else 0)  # odd for men (NORMS §6.4)
        info = validate(make_id("420521", birth, seq), today=TODAY)
        assert (info.birth_date, info.sex) == (birth, sex)


def test_names_start_with_a_listed_surname_and_have_ascii_search_keys(people):
    surnames = {surname for surname, _ in SURNAMES}
    for name, _, _ in people[:5_000]:
        assert name[:2] in surnames or name[:1] in surnames
        assert 2 <= len(name) <= 4
        assert name_keys(name).full.isascii()


def test_special_reading_surnames_appear_so_search_can_be_tried(people):
    first_characters = Counter(name[0] for name, _, _ in people)
    assert first_characters["曾"] > 0
    assert first_characters["单"] + first_characters["解"] + first_characters["欧"] > 0


def test_names_follow_the_generation_of_birth():
    rng = random.Random(1)
    old = [draw_person(rng, TODAY, min_age=70) for _ in range(3000)]
    young = [draw_person(rng, TODAY, max_age=10) for _ in range(3000)]
    assert any(name.endswith("建国") or name.endswith("秀英") for name, _, _ in old)
    assert not any(name.endswith("梓轩") for name, _, _ in old)
    assert any(name.endswith("梓轩") or name.endswith("子涵") for name, _, _ in young)


def test_age_limits_are_respected():
    rng = random.Random(3)
    for _ in range(2000):
        _, _, birth = draw_person(rng, TODAY, min_age=65, max_age=70)
        assert 65 <= age_on(birth, TODAY) <= 70
    with pytest.raises(ValueError):
        draw_person(rng, TODAY, min_age=200)


def test_single_person_households_are_mostly_elderly():
    rng = random.Random(4)
    ages = [age_on(birth, TODAY) for _, _, birth in
            (draw_single_person_household(rng, TODAY) for _ in range(10_000))]
    assert all(age >= 18 for age in ages)
    assert sum(age >= 65 for age in ages) / len(ages) == pytest.approx(0.6, abs=0.03)


def test_household_sizes_average_about_2_6_and_include_single_households():
    rng = random.Random(5)
    sizes = [draw_household_size(rng) for _ in range(DRAWS)]
    assert set(sizes) <= set(range(1, 8))
    assert sum(sizes) / DRAWS == pytest.approx(2.62, abs=0.03)
    assert sizes.count(1) / DRAWS == pytest.approx(0.26, abs=0.01)


def test_phone_numbers_look_like_mainland_mobile_numbers():
    rng = random.Random(6)
    pattern = re.compile(r"1[35789]\d{9}")
    assert all(pattern.fullmatch(draw_phone(rng)) for _ in range(5000))


def test_addresses_name_the_village_group_and_house_number():
    rng = random.Random(8)
    pattern = re.compile(r"张家村(\d+)组(\d+)号")
    for _ in range(1000):
        match = pattern.fullmatch(draw_address(rng, "张家村"))
        assert match and int(match[1]) >= 1 and int(match[2]) >= 1
