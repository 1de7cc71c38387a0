"""An independent computation of the indicators in DuckDB, to check and to time ours.

The same rows (enrolments, visits, residents) are copied out of the application database
into an in-memory DuckDB, then each indicator is written once more, by hand, in plain SQL.
The benchmark times both and the tests compare the numbers: two implementations that agree
on a county of records are worth more than one that agrees with itself.
"""

import csv
import tempfile
from pathlib import Path

from django.db import connection

from gongwei.care.periods import Period
from gongwei.programmes.chronic.indicators import _years_before, required_followups
from gongwei.programmes.chronic.models import PrevalenceSetting

TABLES = {
    "enrolment": ("SELECT id, programme, village_code, enrolled_on, closed_on FROM care_enrolment",
                  "id BIGINT, programme VARCHAR, village VARCHAR, enrolled_on DATE, closed_on DATE"),
    "visit": ("SELECT id, enrolment_id, kind, face_to_face, classification, date FROM care_visit",
              "id BIGINT, enrolment_id BIGINT, kind VARCHAR, face_to_face BOOLEAN, classification VARCHAR, date DATE"),
    "resident": ("SELECT id, village_code, birth_date, record_created, status, status_date FROM people_resident",
                 "id BIGINT, village VARCHAR, birth_date DATE, record_created DATE, status VARCHAR, status_date DATE"),
}


def _cell(value):
    if value is None:
        return ""
    return int(value) if isinstance(value, bool) else value


def load_rows(duck) -> dict[str, int]:
    """Copy the rows through a CSV file: DuckDB's CSV reader takes 500,000 rows in a
    second, where inserting them one by one took minutes."""
    counts = {}
    with connection.cursor() as cursor, tempfile.TemporaryDirectory() as folder:
        for table, (select, columns) in TABLES.items():
            cursor.execute(select)
            path = Path(folder) / f"{table}.csv"
            with path.open("w", newline="") as out:
                writer = csv.writer(out)
                n = 0
                for rows in iter(lambda: cursor.fetchmany(10_000), []):
                    writer.writerows([_cell(v) for v in r] for r in rows)
                    n += len(rows)
            duck.execute(f"CREATE OR REPLACE TABLE {table} ({columns})")
            if n:
                duck.execute(f"COPY {table} FROM '{path}' (HEADER false, NULLSTR '')")
            counts[table] = n
    return counts


def chronic(duck, programme: str, period: Period) -> dict[str, dict[str, float]]:
    """{village: {managed, standard, controlled, population_35, estimated}} by DuckDB SQL."""
    params = {"p": programme, "start": period.start, "end": period.end,
              "req": required_followups(period), "year": period.months == 12,
              "born_by": _years_before(period.end, 35)}
    sql = """
    WITH managed AS (
        SELECT id, village FROM enrolment
        WHERE programme = $p AND enrolled_on <= $end AND (closed_on IS NULL OR closed_on >= $start)),
    followups AS (
        SELECT enrolment_id, date, id, classification, face_to_face FROM visit
        WHERE kind = 'followup' AND date BETWEEN $start AND $end),
    f2f AS (SELECT enrolment_id, count(*) AS n FROM followups WHERE face_to_face GROUP BY enrolment_id),
    exams AS (SELECT DISTINCT enrolment_id FROM visit WHERE kind = 'annual_exam' AND date BETWEEN $start AND $end),
    last AS (SELECT enrolment_id, arg_max(classification, (date, id)) AS classification FROM followups GROUP BY enrolment_id),
    per_village AS (
        SELECT m.village,
               count(*) AS managed,
               count(*) FILTER (WHERE coalesce(f.n, 0) >= $req AND (NOT $year OR e.enrolment_id IS NOT NULL)) AS standard,
               count(*) FILTER (WHERE l.classification = '1') AS controlled
        FROM managed m
        LEFT JOIN f2f f ON f.enrolment_id = m.id
        LEFT JOIN exams e ON e.enrolment_id = m.id
        LEFT JOIN last l ON l.enrolment_id = m.id
        GROUP BY m.village),
    adults AS (
        SELECT village, count(*) AS population_35 FROM resident
        WHERE birth_date <= $born_by AND record_created <= $end
          AND (status = 'active' OR status_date > $end)
        GROUP BY village)
    SELECT coalesce(v.village, a.village), coalesce(managed, 0), coalesce(standard, 0),
           coalesce(controlled, 0), coalesce(population_35, 0)
    FROM per_village v FULL OUTER JOIN adults a ON a.village = v.village
    """
    prevalence = PrevalenceSetting.rate_for(programme, "")
    out = {}
    for village, managed, standard, controlled, pop in duck.execute(sql, params).fetchall():
        out[village] = {"managed": managed, "standard": standard, "controlled": controlled,
                        "population_35": pop, "estimated": pop * prevalence}
    return out
