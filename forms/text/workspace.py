"""What the encrypted workspace tells a user: refusals, damage, locks, conflicts, one pair each.

Every `forms.workspace` error carries one of these codes (`WorkspaceError.of(code, ...)`),
so the command line prints it in `--lang` and the app in its interface language; nothing
here names a temporary folder or quotes a library's message.
"""

from __future__ import annotations

WORKSPACE: dict[str, tuple[str, str]] = {
    # --- opening and keys --------------------------------------------------------------
    "workspace.not_empty": (
        "{folder}：文件夹不是空的，不能在此新建工作区；请选择一个空文件夹或新文件夹",
        "{folder}: the folder is not empty: choose an empty or new folder",
    ),
    "workspace.not_empty_nor_workspace": (
        "{folder}：文件夹不是空的，也不是申报助手工作区；请另选一个文件夹",
        "{folder}: the folder is neither empty nor a shenbao workspace: choose another folder",
    ),
    "workspace.none": (
        "{folder}：不是shenbao工作区（先运行 shenbao workspace init）",
        "{folder}: not a shenbao workspace (run `shenbao workspace init` first)",
    ),
    "workspace.not_a_workspace_file": (
        "{path}：不是shenbao工作区文件",
        "{path}: not a shenbao workspace file",
    ),
    "workspace.meta_unreadable": (
        "{path}：无法读取（{detail}）",
        "{path}: unreadable ({detail})",
    ),
    "workspace.meta_malformed": ("{path}：内容不符合格式", "{path}: malformed"),
    "workspace.bad_schema_version": (
        "{path}：schema_version无效",
        "{path}: invalid schema_version",
    ),
    "workspace.too_new": (
        "{folder}：此工作区由更新版本的shenbao写入（格式{found}，本版本最高读{known}），请升级shenbao",
        "{folder}: written by a newer shenbao (schema {found}; this one reads up to {known}): "
        "update shenbao to open it",
    ),
    "workspace.no_migration": (
        "{folder}：无法从格式{found}升级",
        "{folder}: no migration from schema {found}",
    ),
    "workspace.wrong_passphrase": ("口令不正确", "wrong passphrase"),
    "workspace.foreign_key": (
        "此密钥不能打开该工作区（密钥环中的条目属于另一个同编号的工作区？）",
        "this key does not open the workspace (the keyring entry belongs to another "
        "workspace with the same id?)",
    ),
    "workspace.no_passphrase_set": (
        "此工作区未设置口令，密钥只在创建它的电脑的密钥环中（在那台电脑上运行 shenbao workspace passphrase 设置口令）",
        "this workspace has no passphrase; its key is in the keyring of the machine that "
        "created it (set one there with `shenbao workspace passphrase`)",
    ),
    "workspace.key_not_in_keyring": (
        "密钥环中没有此工作区的密钥；请输入口令或导入密钥（用口令打开后运行 shenbao workspace remember-key）",
        "key not found in keyring; enter the passphrase / import key (`shenbao workspace "
        "remember-key` after unlocking with the passphrase)",
    ),
    "workspace.keyring_key_damaged": (
        "密钥环中的密钥已损坏",
        "the key in the keyring is damaged",
    ),
    "workspace.empty_passphrase": ("口令不能为空", "the passphrase must not be empty"),
    "workspace.weak_passphrase": (
        "口令太容易猜：估计约{guesses}次尝试即可猜中，至少需要10^{minimum}次。工作区文件一旦被复制，"
        "别人可以在自己的电脑上不限次数地尝试口令，所以口令必须足够难猜。{advice}",
        "the passphrase is too easy to guess: about {guesses} guesses would find it, at least "
        "10^{minimum} are needed. Once the workspace files are copied, anyone can try "
        "passphrases on their own computer without limit, so it must be hard to guess. {advice}",
    ),
    "workspace.passphrase_advice": (
        "用四五个不相关的词或一句不常见的话，比加数字和符号更好记也更安全。",
        "Four or five unrelated words, or an unusual sentence, are easier to remember and "
        "safer than adding digits and symbols.",
    ),
    # --- damaged files -----------------------------------------------------------------
    "workspace.not_encrypted_file": (
        "{what}：不是shenbao加密文件或已截断",
        "{what}: not a shenbao encrypted file, or truncated",
    ),
    "workspace.authentication_failed": (
        "{what}：校验失败，文件被改动、损坏或不属于此处",
        "{what}: authentication failed: the file was changed, damaged or does not belong here",
    ),
    "workspace.file_misplaced": (
        "{what}：文件与位置不符",
        "{what}: the file does not match its place",
    ),
    "workspace.record_malformed": (
        "{what}：内容不符合格式",
        "{what}: the content does not fit the format",
    ),
    "workspace.bad_base64": ("{what}：base64格式错误", "{what}: not valid base64"),
    "workspace.bad_kdf": (
        "{what}：口令派生参数错误或超出范围",
        "{what}: unknown or out-of-range key derivation parameters",
    ),
    "workspace.draft_damaged": (
        "草稿“{draft}”第{versions}版的文件已损坏（无法解密或校验失败）；其他草稿不受影响。"
        "最后完好的是第{good}版：运行 shenbao draft restore {draft} {good} 恢复",
        "draft {draft}: the file of version {versions} is damaged (it fails to decrypt or "
        "authenticate); other drafts are not affected. The last good version is {good}: run "
        "`shenbao draft restore {draft} {good}` to restore it",
    ),
    "workspace.draft_unreadable": (
        "草稿文件夹 {name} 中没有一版能读出（{count}个文件都已损坏）；请从备份或同步副本恢复",
        "draft folder {name}: no version can be read ({count} files, all damaged); restore "
        "it from a backup or a synced copy",
    ),
    "workspace.version_damaged": (
        "草稿“{draft}”第{version}版的文件已损坏",
        "draft {draft}: the file of version {version} is damaged",
    ),
    "workspace.attachment_damaged": (
        "附件“{name}”在工作区中的文件已损坏；请重新添加该文件",
        "attachment {name}: its stored file in the workspace is damaged; add the file again",
    ),
    # --- not found ---------------------------------------------------------------------
    "workspace.no_draft": (
        "工作区中没有草稿“{ref}”（shenbao drafts 列出所有草稿）",
        "no draft {ref!r} in the workspace (`shenbao drafts` lists them)",
    ),
    "workspace.ambiguous_draft": (
        "“{ref}”对应多份草稿，请写得更长：{matches}",
        "{ref!r} matches several drafts: {matches}",
    ),
    "workspace.no_version": (
        "草稿没有第{version}版（共{count}版）",
        "the draft has no version {version} (it has {count})",
    ),
    "workspace.no_client": ("没有此客户：{client}", "no client {client!r}"),
    "workspace.ambiguous_client": (
        "没有唯一匹配的客户：{client}",
        "no single client matches {client!r}",
    ),
    "workspace.not_a_sha256": ("不是SHA-256：{value}", "not a SHA-256: {value!r}"),
    "workspace.not_a_blob_id": ("附件编号无效：{value}", "not an attachment id: {value!r}"),
    "workspace.blob_mismatch": (
        "{blob}：附件内容与编号不符",
        "{blob}: the attachment's content does not match its id",
    ),
    "workspace.file_missing": ("{name}：文件不存在", "{name}: not found"),
    # --- concurrent writers ------------------------------------------------------------
    "workspace.version_taken": (
        "草稿第{version}版刚被另一处写入，请重新打开草稿",
        "version {version} was just written elsewhere; reopen the draft",
    ),
    "workspace.client_taken": (
        "客户资料刚被另一处修改，请重试",
        "the client was just changed elsewhere; retry",
    ),
    "workspace.save_conflict": (
        "未保存：草稿“{draft}”在您打开（第{base}版）之后已由 {author} 于 {when} 保存为第{latest}版，"
        "双方都改了：{fields}。请复制您的修改，重新打开草稿后再改",
        "not saved: draft {draft} was saved as version {latest} by {author} at {when} after "
        "you opened version {base}, and both changed: {fields}. Copy your edits, reopen the "
        "draft and make them again",
    ),
    "workspace.merged": (
        "此草稿在您打开（第{base}版）之后已在别处保存为第{latest}版；双方修改的字段不同，已合并保存为第{version}版（对方改了：{fields}）",
        "this draft was saved elsewhere as version {latest} after you opened version {base}; "
        "the changes touch different fields and were merged into version {version} (they "
        "changed: {fields})",
    ),
    "workspace.file_not_a_version": (
        "{file}：不是从此草稿的某一版导出的（它的updated时间不对应任何一版）；用 --base N 说明您改的是第几版",
        "{file}: not exported from a version of this draft (its 'updated' matches no "
        "version); give --base N, the version you edited",
    ),
    # --- sync conflicts ----------------------------------------------------------------
    "workspace.sync_conflict": (
        "草稿“{draft}”在两处分别保存过（{heads}），同步后两份都保留了；请选择保留哪一份：shenbao draft resolve {draft} --keep 版本",
        "draft {draft} was saved in two places while apart ({heads}); both were kept when "
        "they synced: choose one with `shenbao draft resolve {draft} --keep VERSION`",
    ),
    "workspace.not_in_conflict": (
        "草稿“{draft}”没有待解决的同步冲突",
        "draft {draft} has no sync conflict to resolve",
    ),
    "workspace.not_a_head": (
        "“{version}”不是草稿“{draft}”冲突的一方；可选：{heads}",
        "{version!r} is not one side of draft {draft}'s conflict; choose one of {heads}",
    ),
    "workspace.heads_overlap": (
        "两份在同一些字段上不同（{fields}），不能自动合并；用 --keep 选择保留哪一份",
        "the two copies differ in the same fields ({fields}), so they cannot be merged "
        "automatically: choose one with --keep",
    ),
    # --- locks -------------------------------------------------------------------------
    "workspace.locked": (
        "草稿正由 {holder} 编辑（自 {since} 起），此处只读",
        "the draft is being edited by {holder} since {since}; read-only here",
    ),
    "workspace.locked_stale": (
        "草稿被 {holder} 锁定（自 {since} 起），但该进程已不在运行；确认后可接管：shenbao draft unlock {draft}",
        "the draft is locked by {holder} since {since}, but that process is gone: take it "
        "over with `shenbao draft unlock {draft}`",
    ),
    "workspace.locked_unreadable": (
        "草稿的锁文件无法读取（可能是磁盘写满时留下的空文件，自 {since} 起）；确认无人在编辑后可接管：shenbao draft unlock {draft}",
        "the draft's lock file cannot be read (perhaps left empty by a full disk, since "
        "{since}); if nobody is editing it, take it over with `shenbao draft unlock {draft}`",
    ),
    "workspace.locked_elsewhere": (
        "草稿正由 {holder} 编辑（自 {since} 起），此处只读；若对方已不在编辑，确认后可接管：shenbao draft unlock {draft}",
        "the draft is being edited by {holder} since {since}; read-only here. If they are no "
        "longer editing it, take it over with `shenbao draft unlock {draft}`",
    ),
    "workspace.lock_lost": (
        "您对此草稿的编辑锁已被另一处接管（{when}之后），您的修改未保存；请复制修改，重新打开草稿",
        "your edit lock on this draft was taken over elsewhere (after {when}); your edits "
        "were not saved: copy them and reopen the draft",
    ),
    "workspace.lock_lost_to": (
        "您对此草稿的编辑锁已被 {holder} 接管（自 {since} 起），您的修改未保存；请复制修改，与对方确认后再接管",
        "your edit lock on this draft was taken over by {holder} (since {since}); your edits "
        "were not saved: copy them, and agree with them before you take it back",
    ),
    "workspace.not_locked": ("草稿“{draft}”没有被锁定", "draft {draft} is not locked"),
    "workspace.unlock_needs_yes": (
        "接管需要确认：请在终端回答，或加 --yes",
        "taking a lock over needs a confirmation: answer at a terminal, or add --yes",
    ),
    # --- disks and folders -------------------------------------------------------------
    "workspace.outside_path": (
        "附件“{name}”指向工作区之外的文件（{path}），未使用：工作区草稿只用工作区中保存的文件，请在草稿中重新添加该文件",
        "attachment {name} names a file outside the workspace ({path}), which is not used: a "
        "workspace draft only uses the files stored in the workspace; add the file to the "
        "draft again",
    ),
    "disk.full": (
        "{folder}：磁盘已满，写入需要约{needed}，可用{free}；未写入任何内容（已有文件保持原样）。请腾出空间后重试",
        "{folder}: the disk is full: writing needs about {needed}, {free} is free; nothing was "
        "written (existing files are as they were). Free some space and try again",
    ),
    # --- bundles ------------------------------------------------------------------------
    "bundle.give_client_or_drafts": (
        "请指定一个客户或若干草稿",
        "give either a client or drafts",
    ),
    "bundle.rejected": (
        "{file}：导入被拒绝，未写入任何内容：{reason}",
        "{file}: import refused, nothing written: {reason}",
    ),
    "bundle.too_many_members": (
        "成员过多（{count} > {limit}）",
        "too many members ({count} > {limit})",
    ),
    "bundle.absolute_path": ("绝对路径 {name}", "absolute path {name!r}"),
    "bundle.path_escapes": ("路径越界 {name}", "path escapes the bundle {name!r}"),
    "bundle.unexpected_member": ("未知成员 {name}", "unexpected member {name!r}"),
    "bundle.duplicate_member": ("重复成员 {name}", "duplicate member {name!r}"),
    "bundle.zip_encryption": ("不支持zip加密：{name}", "zip encryption not supported: {name!r}"),
    "bundle.member_too_large": (
        "成员过大：{name}（{size}字节）",
        "member too large: {name!r} ({size} bytes)",
    ),
    "bundle.contents_too_large": ("内容过大（{size}字节）", "contents too large ({size} bytes)"),
    "bundle.missing_member": ("缺少成员 {name}", "missing member {name!r}"),
    "bundle.member_inflates": (
        "成员 {name} 解压后超过{cap}字节",
        "member {name!r} inflates past {cap} bytes",
    ),
    "bundle.bomb": (
        "解压后总量超过{limit}字节（疑似压缩炸弹）",
        "decompressed size over {limit} bytes (decompression bomb?)",
    ),
    "bundle.damaged_member": ("成员 {name} 已损坏", "damaged member {name!r}"),
    "bundle.no_id": ("清单缺少编号", "the manifest has no id"),
    "bundle.needs_passphrase": (
        "此文件受口令保护，请提供口令",
        "this bundle needs its passphrase",
    ),
    "bundle.unknown_protection": ("未知的保护方式 {value}", "unknown protection {value!r}"),
    "bundle.bad_key_wrap": (
        "密钥或口令派生参数无效或超出范围",
        "the key or its derivation parameters are invalid or out of range",
    ),
    "bundle.unreadable": ("无法读取（{detail}）", "cannot read ({detail})"),
    "bundle.file_too_large": ("文件过大（{size}字节）", "file too large ({size} bytes)"),
    "bundle.not_a_zip": ("不是有效的zip文件", "not a valid zip file"),
    "bundle.manifest_not_json": ("清单不是JSON", "the manifest is not JSON"),
    "bundle.not_a_bundle": ("不是shenbao导出文件", "not a shenbao bundle"),
    "bundle.unknown_version": ("未知的文件版本 {found}", "unknown bundle version {found}"),
    "bundle.too_new": (
        "由更新版本的shenbao导出（版本{found}，本版本读{known}），请升级",
        "written by a newer shenbao (bundle version {found}; this one reads {known}): "
        "update shenbao",
    ),
    "bundle.member_tampered": (
        "{name} 校验失败（被篡改或损坏）",
        "{name} failed authentication (tampered or damaged)",
    ),
    "bundle.malformed_contents": (
        "目录格式错误（{count}处）",
        "malformed contents ({count} errors)",
    ),
    "bundle.members_mismatch": ("目录与成员不符", "contents and members do not match"),
    "bundle.invalid_client": ("客户资料无效：{detail}", "invalid client profile: {detail}"),
    "bundle.invalid_draft": ("草稿无效：{detail}", "invalid draft: {detail}"),
    "bundle.drafts_mismatch": ("目录与草稿不符", "contents and drafts do not match"),
    "bundle.hash_mismatch": ("附件内容与摘要不符", "an attachment does not match its hash"),
    # --- what `shenbao drafts` and `draft show` mark -------------------------------------
    "workspace.marker_damaged": (
        "[第{versions}版已损坏，显示第{good}版；恢复：shenbao draft restore {draft} {good}]",
        "[version {versions} damaged, showing version {good}; restore: shenbao draft restore "
        "{draft} {good}]",
    ),
    "workspace.marker_conflict": (
        "[同步冲突：{heads}；解决：shenbao draft resolve {draft}]",
        "[sync conflict: {heads}; resolve: shenbao draft resolve {draft}]",
    ),
    "workspace.marker_locked": (
        "[{holder} 编辑中，自 {since} 起]",
        "[being edited by {holder} since {since}]",
    ),
    "workspace.marker_lock_stale": (
        "[锁已失效：{holder}，自 {since} 起；接管：shenbao draft unlock {draft}]",
        "[stale lock: {holder} since {since}; take over: shenbao draft unlock {draft}]",
    ),
    "workspace.marker_lock_unreadable": (
        "[锁文件无法读取，自 {since} 起；接管：shenbao draft unlock {draft}]",
        "[unreadable lock file since {since}; take over: shenbao draft unlock {draft}]",
    ),
    "workspace.unlock_ask": (
        "草稿“{draft}”{state}。接管后对方（若仍在编辑）将不能再保存。确定接管吗？[y/N] ",
        "draft {draft} {state}. After the takeover they (if still editing) cannot save any "
        "more. Take it over? [y/N] ",
    ),
    "workspace.unlock_state_stale": (
        "被 {holder} 锁定（自 {since} 起），该进程已不在运行",
        "is locked by {holder} since {since}; that process is gone",
    ),
    "workspace.unlock_state_unreadable": (
        "的锁文件无法读取（自 {since} 起）",
        "has an unreadable lock file (since {since})",
    ),
    "workspace.unlock_state_live": (
        "正由 {holder} 编辑（自 {since} 起，可能仍在编辑）",
        "is being edited by {holder} since {since} (perhaps still)",
    ),
    "workspace.unlocked": (
        "已接管：草稿“{draft}”的锁已移除（原为 {holder}，自 {since} 起）",
        "taken over: the lock of draft {draft} was removed (it was {holder}'s, since {since})",
    ),
    "workspace.unlock_cancelled": ("未接管，锁保持不变", "not taken over; the lock stays"),
    "workspace.resolved": (
        "已解决同步冲突：保留 {kept}，保存为第{version}版（另一份仍在历史中）",
        "sync conflict resolved: kept {kept}, saved as version {version} (the other copy stays "
        "in the history)",
    ),
    "workspace.resolved_merged": (
        "已解决同步冲突：两份修改的字段不同，已合并保存为第{version}版",
        "sync conflict resolved: the two copies changed different fields and were merged into "
        "version {version}",
    ),
    # --- repaired attachments -------------------------------------------------------------
    "workspace.nothing_to_confirm": (
        "草稿“{draft}”中没有待确认的修复文件“{file}”（省略文件名可列出待确认的）",
        "draft {draft} has no repaired file {file!r} awaiting confirmation (leave the file "
        "name out to list them)",
    ),
    "workspace.repair_confirmed": (
        "已确认“{file}”与原件一致，保存为第{version}版",
        "confirmed {file} against the original; saved as version {version}",
    ),
}
