import re
from pathlib import Path

import gongwei

PO = Path(gongwei.__file__).parent / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"


def test_every_interface_string_has_a_chinese_translation():
    text = PO.read_text(encoding="utf-8")
    entries = text.split("\n\n")[1:]  # the first block is the catalogue header
    untranslated = [e for e in entries if re.search(r'msgstr(\[0\])? ""\n*$', e.strip() + "\n")]
    fuzzy = [e for e in entries if "#, fuzzy" in e]
    assert untranslated == [] and fuzzy == []


def test_compiled_catalogue_is_not_older_than_its_source():
    mo = PO.with_suffix(".mo")
    assert mo.exists() and mo.stat().st_size > 0
