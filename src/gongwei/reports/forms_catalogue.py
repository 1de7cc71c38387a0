"""The report forms (报表), declared as data: what each row shows and when each level is due.

A row is either *computed* (a number taken from a declared indicator: its numerator, its
denominator or its value) or *manual* (typed in by the unit: counts such as health-education
sessions, or a remark). A computed row names an indicator code that may not be declared yet
(the MCH programmes are being written): such a row shows "not available" instead of failing,
and fills itself once the code is declared.

Labels are the familiar Chinese wording of the paper forms; exports always use them.

Deadlines are days of the month after the period ends. Monthly: villages by the 20th,
townships by the 23rd, from the township work plans (local, not national). A county sets its
own in the setting ``GONGWEI_REPORT_DEADLINES = {form code: {level: day}}`` (see periods.py).
"""

from dataclasses import dataclass, field

VILLAGE, TOWNSHIP = "village", "township"
NUMERATOR, DENOMINATOR, VALUE = "numerator", "denominator", "value"
INT, DECIMAL, TEXT = "int", "decimal", "text"
MONTH, HALF, YEAR = "month", "half", "year"

TOWNSHIP_ALL = ("township_ph", "township_mch", "township_director")
COUNTY_ALL = ("county_admin", "county_cdc", "county_mch")


@dataclass(frozen=True)
class Computed:
    key: str
    label_zh: str
    label_en: str
    indicator: str
    show: str = VALUE  # numerator, denominator or value

    manual = False


@dataclass(frozen=True)
class Manual:
    key: str
    label_zh: str
    label_en: str
    type: str = INT
    min: float | None = 0
    max: float | None = None
    # Numeric rows must be filled before submitting (an empty count could mean 0 or "forgot");
    # remarks may stay empty.
    required: bool = True

    manual = True


@dataclass(frozen=True)
class FormDef:
    code: str
    name_zh: str
    name_en: str
    period_kind: str
    deadlines: dict  # level -> day of the month after the period (local, configurable)
    rows: tuple
    levels: tuple = (VILLAGE, TOWNSHIP)
    # Township roles that review village reports and submit the township's; county roles that
    # accept it. Each programme's officers handle its own forms; the director can do all.
    township_roles: tuple = TOWNSHIP_ALL
    county_roles: tuple = COUNTY_ALL
    # First month of the statistical year: 1 for the calendar year; 10 for MCH statistics,
    # whose year runs 1 October to 30 September (NORMS §2.3).
    year_starts: int = 1
    # A summary prefills its manual counts with the sum of this monthly form's reports.
    sums_months_of: str = ""
    norm: str = ""
    rows_by_key: dict = field(init=False, repr=False, compare=False)

    def __post_init__(self):
        object.__setattr__(self, "rows_by_key", {r.key: r for r in self.rows})

    @property
    def manual_rows(self):
        return [r for r in self.rows if r.manual]

    @property
    def indicator_codes(self):
        return sorted({r.indicator for r in self.rows if not r.manual})


def _chronic_rows(p: str, zh: str, en: str, measure: str, measure_en: str) -> tuple:
    """The six rows of a chronic programme ``p`` (htn or dm), from its three indicators."""
    standard, control, management = f"{p}.standard", f"{p}.control", f"{p}.management"
    return (
        Computed(f"{p}_managed", f"{zh}患者管理人数", f"{en} patients managed", standard, DENOMINATOR),
        Computed(f"{p}_standard_n", f"{zh}患者规范管理人数", f"{en} patients managed per the norm",
                 standard, NUMERATOR),
        Computed(f"{p}_standard", f"{zh}患者规范管理率（%）", f"Standardized management rate, {en} (%)", standard),
        Computed(f"{p}_control_n", f"管理人群{measure}控制人数", f"Managed {en} patients with {measure_en} controlled",
                 control, NUMERATOR),
        Computed(f"{p}_control", f"管理人群{measure}控制率（%）", f"{measure_en} control rate, {en} (%)", control),
        Computed(f"{p}_management", f"{zh}患者管理率（%）", f"Management rate, {en} (%)", management),
    )


# Health education counts (NORMS §5.4, "Health education items"; §2.11).
_EDUCATION = (
    Manual("edu_lectures", "健康知识讲座次数", "Health-education lectures", max=1000),
    Manual("edu_attendees", "健康知识讲座参加人数", "Lecture attendees", max=100_000),
    Manual("edu_consultations", "公众健康咨询活动次数", "Public health consultations", max=1000),
    Manual("edu_boards", "健康教育宣传栏更新次数", "Health-education board updates", max=1000),
    Manual("remarks", "备注", "Remarks", type=TEXT, min=None, required=False),
)

BPHS_ROWS = (_chronic_rows("htn", "高血压", "hypertension", "血压", "BP")
             + _chronic_rows("dm", "2型糖尿病", "type 2 diabetes", "血糖", "glucose") + _EDUCATION)


def _rate(key, zh, en, code):
    return Computed(key, f"{zh}（%）", f"{en} (%)", code)


# The MCH indicator codes of the MCH issue; declared by the maternal and child programmes.
MCH_ROWS = (
    _rate("early_booking", "早孕建册率", "Early booking rate", "mch.early_booking"),
    _rate("antenatal5", "产前检查率", "Antenatal check rate", "mch.antenatal5"),
    _rate("postpartum_visit", "产后访视率", "Postpartum visit rate", "mch.postpartum_visit"),
    _rate("systematic", "孕产妇系统管理率", "Maternal systematic management rate", "mch.systematic"),
    _rate("hospital_delivery", "住院分娩率", "Hospital delivery rate", "mch.hospital_delivery"),
    _rate("high_risk_screened", "高危孕产妇筛查率", "High-risk screening rate", "mch.high_risk_screened"),
    _rate("high_risk_managed", "高危孕产妇管理率", "High-risk management rate", "mch.high_risk_managed"),
    _rate("newborn_visit", "新生儿访视率", "Newborn visit rate", "child.newborn_visit"),
    _rate("child_management", "儿童健康管理率", "Child health management rate", "child.health_management"),
    _rate("child_systematic_0_3", "3岁以下儿童系统管理率", "Systematic management rate, under 3", "child.systematic_0_3"),
    _rate("child_systematic_0_6", "7岁以下儿童系统管理率", "Systematic management rate, 0–6", "child.systematic_0_6"),
    _rate("imm_card", "预防接种建卡率", "Vaccination card rate", "imm.card"),
    _rate("imm_full", "全程接种率", "Full vaccination rate", "imm.full"),
    Computed("live_births", "活产数", "Live births", "child.infant_mortality", DENOMINATOR),
    Computed("maternal_deaths", "孕产妇死亡数", "Maternal deaths", "mch.maternal_mortality", NUMERATOR),
    Computed("maternal_mortality", "孕产妇死亡率（1/10万）", "Maternal mortality (per 100,000)", "mch.maternal_mortality"),
    Computed("infant_deaths", "婴儿死亡数", "Infant deaths", "child.infant_mortality", NUMERATOR),
    Computed("infant_mortality", "婴儿死亡率（‰）", "Infant mortality (‰)", "child.infant_mortality"),
    Computed("u5_deaths", "5岁以下儿童死亡数", "Deaths under 5", "child.u5_mortality", NUMERATOR),
    Computed("u5_mortality", "5岁以下儿童死亡率（‰）", "Under-5 mortality (‰)", "child.u5_mortality"),
    Manual("handbooks", "母子健康手册发放数（本）", "Maternal and child health handbooks issued", max=10_000),
    Manual("remarks", "备注", "Remarks", type=TEXT, min=None, required=False),
)

MCH_TOWNSHIP = ("township_mch", "township_director")
MCH_COUNTY = ("county_mch", "county_admin")
BPHS_TOWNSHIP = ("township_ph", "township_director")
BPHS_COUNTY = ("county_cdc", "county_admin")

FORMS: dict[str, FormDef] = {f.code: f for f in (
    FormDef("bphs_month", "基本公共卫生服务月报表", "Basic public health services, monthly report",
            MONTH, {VILLAGE: 20, TOWNSHIP: 23}, BPHS_ROWS,
            township_roles=BPHS_TOWNSHIP, county_roles=BPHS_COUNTY, norm="NORMS §5.3, §5.4"),
    FormDef("mch_month", "妇幼卫生月报表", "Maternal and child health, monthly report",
            MONTH, {VILLAGE: 20, TOWNSHIP: 23}, MCH_ROWS,
            township_roles=MCH_TOWNSHIP, county_roles=MCH_COUNTY, norm="NORMS §2.3, §5.2, §5.5"),
    # Summaries: the township's quarterly-statistics rule (5th of the following month, NORMS
    # §7.6, one city's rule, local) applied to the half-year; villages two days before it.
    FormDef("bphs_half", "基本公共卫生服务半年报表", "Basic public health services, half-year summary",
            HALF, {VILLAGE: 3, TOWNSHIP: 5}, BPHS_ROWS, township_roles=BPHS_TOWNSHIP,
            county_roles=BPHS_COUNTY, sums_months_of="bphs_month", norm="NORMS §5.3, §7.6"),
    FormDef("bphs_year", "基本公共卫生服务年报表", "Basic public health services, annual summary",
            YEAR, {VILLAGE: 3, TOWNSHIP: 5}, BPHS_ROWS, township_roles=BPHS_TOWNSHIP,
            county_roles=BPHS_COUNTY, sums_months_of="bphs_month", norm="NORMS §5.3, §7.6"),
    # MCH annual report: October to September, townships by 12 October (NORMS §2.3);
    # villages by the 8th is a local assumption.
    FormDef("mch_year", "妇幼卫生年报表", "Maternal and child health, annual report",
            YEAR, {VILLAGE: 8, TOWNSHIP: 12}, MCH_ROWS, township_roles=MCH_TOWNSHIP,
            county_roles=MCH_COUNTY, year_starts=10, sums_months_of="mch_month", norm="NORMS §2.3"),
)}


def get_form(code: str) -> FormDef:
    return FORMS[code]
