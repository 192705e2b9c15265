"""Errors a user can act on (a file or an option that cannot be used), one pair each."""

from __future__ import annotations

ERRORS: dict[str, tuple[str, str]] = {
    "error.heading": ("错误", "error"),
    "input.file_not_found": ("{path}：文件不存在", "{path}: file not found"),
    "input.is_a_folder": (
        "{path}：这是文件夹，请指定JSON文件",
        "{path}: is a folder, give a JSON file",
    ),
    "input.not_utf8": (
        "{path}：不是UTF-8文本，请以UTF-8保存",
        "{path}: not UTF-8 text; save it as UTF-8",
    ),
    "input.unreadable": ("{path}：无法读取（{detail}）", "{path}: cannot read ({detail})"),
    "input.bad_json": (
        "{path}：第{line}行第{column}列JSON格式错误：{detail}",
        "{path}: invalid JSON at line {line}, column {column}: {detail}",
    ),
    "input.bad_content": (
        "{path}：内容不符合格式：\n{detail}",
        "{path}: content does not fit the format:\n{detail}",
    ),
    "input.not_a_draft": (
        "{path}：不是申报草稿（format应为{expected}）",
        "{path}: not a draft file (format should be {expected})",
    ),
    "input.not_an_object": ("{path}：应为JSON对象", "{path}: expected a JSON object"),
    "input.unknown_format": (
        "{path}：未知的文件类型“{kind}”",
        "{path}: unknown file format '{kind}'",
    ),
    "input.unknown_direction": (
        "未知的支持方向“{key}”：用 shenbao catalog 查看可选方向",
        "unknown direction '{key}': see `shenbao catalog` for the directions",
    ),
    "font.none_embeddable": (
        "找不到可嵌入的中文（TrueType）字体：请将 {env} 设为一个 .ttf/.ttc 文件，或重新安装 shenbao（它自带一个）",
        "no embeddable Chinese (TrueType) font found: set {env} to a .ttf/.ttc file, or "
        "reinstall shenbao (it bundles one)",
    ),
    "font.missing_glyphs": (
        "以下字符没有可用字体，无法嵌入PDF：{chars}；请设置 {env} 指向包含它们的字体",
        "no font has these characters: {chars}; set {env} to a font that has them",
    ),
}
