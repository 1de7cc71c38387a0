"""National code tables for a resident's basic information, as (code, zh, en) tuples.

The tables follow the 个人基本信息表 of the 2017 service norms (NORMS §6.2) and the national
standards its fields refer to (NORMS §6.1: WS 365 codes education by GB/T 4658 and
occupation by GB/T 6565). Codes are strings because several standards use letters (X, Y)
or leading zeros. Where NORMS.md does not give a code and I am not sure of it, the comment
says so: those codes are this system's, and an export to another system must map them.
"""

from typing import NamedTuple


class Code(NamedTuple):
    code: str
    zh: str
    en: str


Table = tuple[Code, ...]


def _table(*rows: tuple[str, str, str]) -> Table:
    return tuple(Code(*row) for row in rows)


# GB/T 3304-1991 中国各民族名称的罗马字母拼写法和代码: 01–56 in the standard's order,
# plus 97 and 98. English names are the usual exonyms (the standard romanizes, e.g. "Zang").
ETHNICITY = _table(
    ("01", "汉族", "Han"), ("02", "蒙古族", "Mongolian"), ("03", "回族", "Hui"),
    ("04", "藏族", "Tibetan"), ("05", "维吾尔族", "Uyghur"), ("06", "苗族", "Miao"),
    ("07", "彝族", "Yi"), ("08", "壮族", "Zhuang"), ("09", "布依族", "Bouyei"),
    ("10", "朝鲜族", "Korean"), ("11", "满族", "Manchu"), ("12", "侗族", "Dong"),
    ("13", "瑶族", "Yao"), ("14", "白族", "Bai"), ("15", "土家族", "Tujia"),
    ("16", "哈尼族", "Hani"), ("17", "哈萨克族", "Kazakh"), ("18", "傣族", "Dai"),
    ("19", "黎族", "Li"), ("20", "傈僳族", "Lisu"), ("21", "佤族", "Va"),
    ("22", "畲族", "She"), ("23", "高山族", "Gaoshan"), ("24", "拉祜族", "Lahu"),
    ("25", "水族", "Shui"), ("26", "东乡族", "Dongxiang"), ("27", "纳西族", "Naxi"),
    ("28", "景颇族", "Jingpo"), ("29", "柯尔克孜族", "Kyrgyz"), ("30", "土族", "Tu"),
    ("31", "达斡尔族", "Daur"), ("32", "仫佬族", "Mulao"), ("33", "羌族", "Qiang"),
    ("34", "布朗族", "Blang"), ("35", "撒拉族", "Salar"), ("36", "毛南族", "Maonan"),
    ("37", "仡佬族", "Gelao"), ("38", "锡伯族", "Xibe"), ("39", "阿昌族", "Achang"),
    ("40", "普米族", "Pumi"), ("41", "塔吉克族", "Tajik"), ("42", "怒族", "Nu"),
    ("43", "乌孜别克族", "Uzbek"), ("44", "俄罗斯族", "Russian"), ("45", "鄂温克族", "Evenki"),
    ("46", "德昂族", "De'ang"), ("47", "保安族", "Bonan"), ("48", "裕固族", "Yugur"),
    ("49", "京族", "Gin"), ("50", "塔塔尔族", "Tatar"), ("51", "独龙族", "Derung"),
    ("52", "鄂伦春族", "Oroqen"), ("53", "赫哲族", "Hezhen"), ("54", "门巴族", "Monba"),
    ("55", "珞巴族", "Lhoba"), ("56", "基诺族", "Jino"),
    ("97", "其他未识别民族", "Other, unidentified ethnic group"),
    ("98", "外国血统中国籍人士", "Chinese citizen of foreign origin"),
)

# GB/T 2261.1 个人基本信息分类与代码 第1部分：人的性别代码. NORMS §6.2 confirms the four
# categories; the numeric codes are "(codes unconfirmed in retrieved text)" there.
MALE = "1"
FEMALE = "2"
SEX = _table(
    ("0", "未知的性别", "Unknown"),
    (MALE, "男", "Male"),
    (FEMALE, "女", "Female"),
    ("9", "未说明的性别", "Not stated"),
)

# GB/T 2261.2 婚姻状况代码, top-level categories (the standard also has 21 初婚, 22 再婚,
# 23 复婚 under 20; the form asks only for the top level).
MARITAL_STATUS = _table(
    ("10", "未婚", "Never married"),
    ("20", "已婚", "Married"),
    ("30", "丧偶", "Widowed"),
    ("40", "离婚", "Divorced"),
    ("90", "未说明的婚姻状况", "Not stated"),
)

# Categories of the 个人基本信息表 (文化程度) with their GB/T 4658 codes 10–90, as I recall
# them (unconfirmed; the 2006 edition renamed some categories, the form keeps the older
# wording). GB/T 4658 has no "unknown": "99" for 不详 is this system's code.
EDUCATION = _table(
    ("10", "研究生", "Postgraduate"),
    ("20", "大学本科", "Bachelor's degree"),
    ("30", "大学专科和专科学校", "Junior college"),
    ("40", "中等专业学校", "Secondary specialized school"),
    ("50", "技工学校", "Technical school"),
    ("60", "高中", "Senior high school"),
    ("70", "初中", "Junior high school"),
    ("80", "小学", "Primary school"),
    ("90", "文盲或半文盲", "Illiterate or semi-literate"),
    ("99", "不详", "Unknown"),
)

# GB/T 6565 major groups as printed on the 个人基本信息表 (职业). There is no 2: in GB/T 6565
# 专业技术人员 spans the codes 1 and 2. The codes as printed on the 2017 form are from
# memory (unconfirmed); 8 无职业 is the form's, not the standard's.
OCCUPATION = _table(
    ("0", "国家机关、党群组织、企业、事业单位负责人",
     "Heads of government, Party and mass organizations, enterprises and institutions"),
    ("1", "专业技术人员", "Professional and technical personnel"),
    ("3", "办事人员和有关人员", "Clerks and related workers"),
    ("4", "商业、服务业人员", "Commerce and service workers"),
    ("5", "农、林、牧、渔、水利业生产人员",
     "Agriculture, forestry, animal husbandry, fishery and water conservancy workers"),
    ("6", "生产、运输设备操作人员及有关人员",
     "Production and transport equipment operators and related workers"),
    ("X", "军人", "Military personnel"),
    ("Y", "不便分类的其他从业人员", "Other workers not classifiable"),
    ("8", "无职业", "No occupation"),
)

# 医疗费用支付方式 (NORMS §6.2: multi-select). The 2017 form numbers 1 城镇职工 2 城镇居民
# 3 新型农村合作医疗 4–8 as below (from memory, unconfirmed). The two resident schemes were
# merged into 城乡居民基本医疗保险 from 2016 on, so 2 now means the merged scheme and 3 is
# not reused, so that old paper codes never change meaning.
PAYMENT_METHOD = _table(
    ("1", "城镇职工基本医疗保险", "Urban employee basic medical insurance"),
    ("2", "城乡居民基本医疗保险", "Urban and rural resident basic medical insurance"),
    ("4", "贫困救助", "Medical assistance for the poor"),
    ("5", "商业医疗保险", "Commercial medical insurance"),
    ("6", "全公费", "Fully publicly funded"),
    ("7", "全自费", "Fully self-paid"),
    ("8", "其他", "Other"),
)

# ABO blood group (NORMS §6.1: WS 364 value set CV04.50.005); answers per NORMS §6.2.
# Codes in the form's order (unconfirmed against CV04.50.005 itself).
ABO_BLOOD_TYPE = _table(
    ("1", "A型", "A"),
    ("2", "B型", "B"),
    ("3", "O型", "O"),
    ("4", "AB型", "AB"),
    ("5", "不详", "Unknown"),
)

# The form asks "RH阴性" with the answers 否/是/不详 (NORMS §6.2); codes in that order
# (unconfirmed).
RH_NEGATIVE = _table(
    ("1", "否", "No (Rh positive)"),
    ("2", "是", "Yes (Rh negative)"),
    ("3", "不详", "Unknown"),
)

# GB/T 4761-2008 家庭关系代码, the common codes only. The x0 code of each group is its
# general term (10 配偶, 20 子, 30 女 …); 02 is the household head.
RELATION_TO_HEAD = _table(
    ("02", "户主", "Head of household"),
    ("10", "配偶", "Spouse"),
    ("11", "夫", "Husband"),
    ("12", "妻", "Wife"),
    ("20", "子", "Son"),
    ("28", "女婿", "Son-in-law"),
    ("30", "女", "Daughter"),
    ("38", "儿媳", "Daughter-in-law"),
    ("40", "孙子、孙女或外孙子、外孙女", "Grandchild"),
    ("41", "孙子", "Grandson (son's son)"),
    ("42", "孙女", "Granddaughter (son's daughter)"),
    ("43", "外孙子", "Grandson (daughter's son)"),
    ("44", "外孙女", "Granddaughter (daughter's daughter)"),
    ("50", "父母", "Parent"),
    ("51", "父亲", "Father"),
    ("52", "母亲", "Mother"),
    ("53", "公公", "Husband's father"),
    ("54", "婆婆", "Husband's mother"),
    ("55", "岳父", "Wife's father"),
    ("56", "岳母", "Wife's mother"),
    ("60", "祖父母或外祖父母", "Grandparent"),
    ("70", "兄弟姐妹", "Sibling"),
    ("97", "其他亲属", "Other relative"),
    ("99", "非亲属", "Not related"),
)

# 常住类型 (NORMS §6.2: 1 户籍 / 2 非户籍). 3 流动人口 is this system's addition for
# people living here under six months, who are outside the 常住 population of NORMS §2.1
# (local, unconfirmed).
RESIDENCE_TYPE = _table(
    ("1", "户籍", "Registered household (hukou)"),
    ("2", "非户籍常住", "Resident without local hukou"),
    ("3", "流动人口", "Floating population"),
)

# Identity documents (NORMS §6.4: store an ID type, since the infectious-disease card takes
# any valid document). 01, 03, 06 and 07 follow the WS 364 身份证件类别代码 as I recall it
# (unconfirmed); the other codes are this system's.
DOCUMENT_TYPE = _table(
    ("01", "居民身份证", "Resident identity card"),
    ("03", "护照", "Passport"),
    ("06", "港澳居民来往内地通行证", "Mainland travel permit for Hong Kong and Macao residents"),
    ("07", "台湾居民来往大陆通行证", "Mainland travel permit for Taiwan residents"),
    ("11", "外国人永久居留身份证", "Foreign permanent resident ID card"),
    ("12", "出生医学证明", "Medical certificate of birth"),
    ("00", "无证件", "No document"),
)

# Living environment of the 个人基本信息表 (NORMS §6.1, §6.2). Codes are the form's
# option numbers (from memory, unconfirmed); §6.1 names the WS 364 value sets CV03.00.302
# (kitchen exhaust) and CV03.00.303 (fuel), whose own codes are not in NORMS.md.
KITCHEN_EXHAUST = _table(
    ("1", "无", "None"),
    ("2", "油烟机", "Range hood"),
    ("3", "换气扇", "Exhaust fan"),
    ("4", "烟囱", "Chimney"),
)

FUEL = _table(
    ("1", "液化气", "Liquefied petroleum gas"),
    ("2", "煤", "Coal"),
    ("3", "天然气", "Natural gas"),
    ("4", "沼气", "Biogas"),
    ("5", "柴火", "Firewood"),
    ("6", "其他", "Other"),
)

DRINKING_WATER = _table(
    ("1", "自来水", "Tap water"),
    ("2", "经净化过滤的水", "Purified or filtered water"),
    ("3", "井水", "Well water"),
    ("4", "河湖水", "River or lake water"),
    ("5", "塘水", "Pond water"),
    ("6", "其他", "Other"),
)

TOILET = _table(
    ("1", "卫生厕所", "Sanitary toilet"),
    ("2", "一格或二格粪池式", "One- or two-compartment septic pit"),
    ("3", "马桶", "Chamber pot"),
    ("4", "露天粪坑", "Open cesspit"),
    ("5", "简易棚厕", "Simple shed latrine"),
)

LIVESTOCK_PEN = _table(
    ("1", "无", "None"),
    ("2", "单设", "Separate"),
    ("3", "室内", "Indoors"),
    ("4", "室外", "Outdoors"),
)

# 药物过敏史, 暴露史 and 残疾情况 are multi-select on the form; "无" is its first option.
# Codes are the form's option numbers (from memory, unconfirmed).
DRUG_ALLERGY = _table(
    ("1", "无", "None"),
    ("2", "青霉素", "Penicillin"),
    ("3", "磺胺", "Sulfonamides"),
    ("4", "链霉素", "Streptomycin"),
    ("5", "其他", "Other"),
)

EXPOSURE = _table(
    ("1", "无", "None"),
    ("2", "化学品", "Chemicals"),
    ("3", "毒物", "Toxic substances"),
    ("4", "射线", "Radiation"),
)

DISABILITY = _table(
    ("1", "无残疾", "No disability"),
    ("2", "视力残疾", "Visual disability"),
    ("3", "听力残疾", "Hearing disability"),
    ("4", "言语残疾", "Speech disability"),
    ("5", "肢体残疾", "Physical disability"),
    ("6", "智力残疾", "Intellectual disability"),
    ("7", "精神残疾", "Mental disability"),
    ("8", "其他残疾", "Other disability"),
)


def choices(table: Table) -> list[tuple[str, str]]:
    """``table`` as Django ``choices``: (code, Chinese label) in the table's order."""
    return [(row.code, row.zh) for row in table]


def label(table: Table, code: str, lang: str = "zh") -> str:
    """The label of ``code``; an unknown code is shown as itself.

    Records imported from older systems carry retired codes, and a page listing them
    should still show something rather than fail.
    """
    if lang not in ("zh", "en"):
        raise ValueError(f"lang must be 'zh' or 'en', not {lang!r}")
    for row in table:
        if row.code == code:
            return row.zh if lang == "zh" else row.en
    return code
