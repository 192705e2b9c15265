"""Shanghai's sixteen districts, as the wizard offers them and as lists write them.

Spreadsheets write "浦东", "徐汇", "Xuhui" or "徐汇区"; `district_of` reads them all as the
district's full name, so an imported client and a typed one agree.
"""

from __future__ import annotations

DISTRICTS = (
    "黄浦区", "徐汇区", "长宁区", "静安区", "普陀区", "虹口区", "杨浦区", "闵行区",
    "宝山区", "嘉定区", "浦东新区", "金山区", "松江区", "青浦区", "奉贤区", "崇明区",
)  # fmt: skip

_PINYIN = {
    "huangpu": "黄浦区", "xuhui": "徐汇区", "changning": "长宁区", "jing'an": "静安区",
    "jingan": "静安区", "putuo": "普陀区", "hongkou": "虹口区", "yangpu": "杨浦区",
    "minhang": "闵行区", "baoshan": "宝山区", "jiading": "嘉定区", "pudong": "浦东新区",
    "pudongnew": "浦东新区", "jinshan": "金山区", "songjiang": "松江区", "qingpu": "青浦区",
    "fengxian": "奉贤区", "chongming": "崇明区",
}  # fmt: skip


def district_of(text: str) -> str | None:
    """The district a cell or a typed word names ("徐汇" -> "徐汇区"); None if none."""
    word = text.strip().removeprefix("上海市").removeprefix("上海").strip()
    if not word:
        return None
    if word in DISTRICTS:
        return word
    for name in DISTRICTS:
        stem = name.removesuffix("新区").removesuffix("区")
        if word in (stem, stem + "区", stem + "新区"):
            return name
    key = word.lower().replace(" ", "").replace("district", "").replace("newarea", "new")
    return _PINYIN.get(key)
