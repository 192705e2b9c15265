"""Words about clients: deleting one, and importing a list of them. One pair per code."""

from __future__ import annotations

CLIENTS: dict[str, tuple[str, str]] = {
    "client.has_drafts": (
        "此单位还有{n}份草稿：请先删除，或与单位一并删除",
        "the client still has {n} draft(s): delete them first, or delete them with the client",
    ),
    # --- importing a list (forms.workspace.spreadsheet) --------------------------------
    "import.unsupported": (
        "{path}：不支持“{suffix}”文件，请另存为 .xlsx 或 .csv",
        "{path}: '{suffix}' files are not read; save the list as .xlsx or .csv",
    ),
    "import.unreadable": ("{path}：无法读取（{detail}）", "{path}: cannot be read ({detail})"),
    "import.too_big": (
        "{path}：文件过大（上限{mb} MB），请只保留单位名单",
        "{path}: too big (at most {mb} MB); keep only the list of companies",
    ),
    "import.no_header": (
        "{path}：前10行中没有“单位名称”列；请让第一行为表头（单位名称、统一社会信用代码、注册地址、所在区、联系人、电话）",
        "{path}: no 'name' column in the first 10 rows; make the first row a header (name, "
        "credit code, address, district, contact, phone)",
    ),
    "import.no_name": ("没有单位名称", "no company name"),
    "import.no_code": (
        "没有统一社会信用代码（可稍后补填）",
        "no credit code (it can be added later)",
    ),
    "import.district_unknown": (
        "所在区“{district}”不是上海市的区，已留空",
        "district '{district}' is not a Shanghai district; left empty",
    ),
    "import.merged": (
        "与第{first}行是同一单位（信用代码相同），合并为一个",
        "same company as row {first} (same credit code): merged into one",
    ),
    "import.adds_to_existing": (
        "工作区中已有此单位：用表中的内容更新它",
        "already a client of the workspace: its data is updated from the list",
    ),
}
