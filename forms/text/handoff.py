"""Words of the hand-off to the portal: the upload names in the form's 附件清单, the
generated investment budget, the "fill the portal" view, page previews, the drafts
overview and the deadline calendar. One pair per code."""

from __future__ import annotations

HANDOFF: dict[str, tuple[str, str]] = {
    # --- the form and its generated attachments ------------------------------------------
    "form.upload_name": ("上传文件名", "Upload name"),
    "form.upload_generated": ("本工具按申报数据生成", "written by shenbao from the draft"),
    "form.investment_plan": ("项目投资预算明细", "Project investment budget"),
    # --- the "fill the portal" view -----------------------------------------------------
    "portal.uploads": ("上传材料", "Uploads"),
    "portal.e_seal": ("须在门户加盖电子签章", "to be e-sealed in the portal"),
    "portal.no_e_seal": ("无需电子签章", "no e-seal required"),
    "portal.generated": ("由本工具生成", "written by shenbao"),
    "portal.files": ("来自：{files}", "from: {files}"),
    "portal.not_built": (
        "尚未导出：大小和页数在导出后显示",
        "not exported yet: size and pages follow the export",
    ),
    "portal.unit_wan": ("万元", "10k CNY"),
    "portal.item": ("项目目标{n}", "Goal {n}"),
    # --- previews -------------------------------------------------------------------------
    "preview.unreadable": ("{file}：无法显示（{detail}）", "{file}: cannot be shown ({detail})"),
    "preview.no_page": (
        "{file}：没有第{page}页（共{pages}页）",
        "{file}: there is no page {page} (it has {pages})",
    ),
    # --- `shenbao demo` -------------------------------------------------------------------
    "demo.open_in_app": (
        "在桌面应用中打开此演示工作区：\n  {command}\n{passphrase}",
        "Open this demo workspace in the desktop app:\n  {command}\n{passphrase}",
    ),
    "demo.passphrase": (
        "启动时输入演示口令“{passphrase}”（公开口令，只用于演示资料）。",
        "At start, type the demo passphrase '{passphrase}' (public: for demo data only).",
    ),
    "demo.window_closed": (
        "请注意：示例草稿所用的《{call}》申报窗口为{opens}至{closes}，今天（{today}）已关闭。"
        "现在准备的草稿仍可检查、生成申报书和打包，但门户不再受理；待新一年度通知发布后，"
        "按新通知核对方向、条件、材料和时间再申报。要在窗口期内体验，可加 --date {inside}。",
        'Note: the examples use "{call}", whose submission window ran from {opens} to '
        "{closes} and is closed today ({today}). A draft prepared now can still be checked, "
        "written out and packaged, but the portal no longer accepts it: re-check it against "
        "next year's call when that is published. To try it inside the window, add --date "
        "{inside}.",
    ),
    # --- the drafts overview ------------------------------------------------------------
    "overview.client": ("单位", "Client"),
    "overview.project": ("项目", "Project"),
    "overview.direction": ("支持方向", "Direction"),
    "overview.status": ("状态", "Status"),
    "overview.completeness": ("完整度", "Complete"),
    "overview.window": ("申报窗口", "Submission window"),
    "overview.days_left": ("剩余天数", "Days left"),
    "overview.no_direction": ("未选方向", "no direction yet"),
    "overview.no_window": ("无固定窗口", "no fixed window"),
    "overview.untitled": ("（未命名项目）", "(untitled project)"),
    "overview.no_client": ("（未填单位）", "(no company yet)"),
    # --- the deadline calendar ---------------------------------------------------------
    "calendar.name": ("申报截止日期", "Application deadlines"),
    "calendar.closes": ("申报截止：{company} · {project}", "Deadline: {company} · {project}"),
    "calendar.opens": ("申报开放：{company} · {project}", "Window opens: {company} · {project}"),
    "calendar.description": (
        "支持方向：{direction}\n申报窗口：{opens} 至 {closes}（北京时间）\n申报门户：{portal}",
        "Direction: {direction}\nWindow: {opens} to {closes} (Beijing time)\nPortal: {portal}",
    ),
}
