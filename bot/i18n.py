"""The CLI's own words in Vietnamese (default) and English.

The language comes from ``NHACVIEC_LANG``, else the locale (``LC_ALL``,
``LC_MESSAGES``, ``LANG``): a secretary's terminal set to English gets English
labels. Messages about the data itself (import errors naming a line) stay in
Vietnamese, the language of the plans.
"""

from __future__ import annotations

import os

MESSAGES: dict[str, dict[str, str]] = {
    "error": {"vi": "Lỗi: {message}", "en": "Error: {message}"},
    "unexpected": {
        "vi": "Lỗi không mong đợi ({kind}); chi tiết đã ghi vào {log}.",
        "en": "Unexpected error ({kind}); details were written to {log}.",
    },
    "db_unreachable": {
        "vi": "Không kết nối được cơ sở dữ liệu ({url}): {reason}",
        "en": "Cannot reach the database ({url}): {reason}",
    },
    "db_unwritable": {
        "vi": "Không ghi được vào cơ sở dữ liệu ({url}): {reason}. Chưa có gì được lưu; "
        "hãy kiểm tra quyền ghi tệp và dung lượng đĩa.",
        "en": "Cannot write to the database ({url}): {reason}. Nothing was saved; "
        "check the file's permissions and the free disk space.",
    },
    "bad_option": {
        "vi": "{option}: {message}",
        "en": "{option}: {message}",
    },
    "missing_option": {
        "vi": "thiếu {option} (xem {command} --help)",
        "en": "{option} is missing (see {command} --help)",
    },
    "no_such_option": {
        "vi": "không có tùy chọn {option} (xem {command} --help)",
        "en": "no such option: {option} (see {command} --help)",
    },
    "usage": {
        "vi": "{message} (xem {command} --help)",
        "en": "{message} (see {command} --help)",
    },
    "aborted": {"vi": "Đã dừng.", "en": "Aborted."},
    "bad_day": {
        "vi": "ngày «{text}» không hợp lệ; viết 2022-01-31 hoặc 31/01/2022 (năm {first}–{last}).",
        "en": "«{text}» is not a valid date; write 2022-01-31 or 31/01/2022 "
        "(years {first}–{last}).",
    },
    "bad_moment": {
        "vi": "thời điểm «{text}» không hợp lệ; viết 2022-03-28T09:00.",
        "en": "«{text}» is not a valid time; write 2022-03-28T09:00.",
    },
    "bad_whole": {
        "vi": "cần một số nguyên từ {low} đến {high}, không phải «{text}».",
        "en": "needs a whole number from {low} to {high}, not «{text}».",
    },
    "bad_prefix": {
        "vi": "mã kế hoạch «{text}» không hợp lệ: 2–12 chữ cái hoặc chữ số không dấu, "
        "bắt đầu bằng chữ cái (ví dụ QD982, NQ116).",
        "en": "«{text}» is not a valid plan code: 2–12 ASCII letters or digits, "
        "starting with a letter (e.g. QD982, NQ116).",
    },
    "bad_column": {
        "vi": "--column «{text}» không hợp lệ: cần LOẠI=TÊN CỘT, LOẠI là một trong {kinds} "
        '(ví dụ --column task="Tên văn bản").',
        "en": "--column «{text}» is not valid: use KIND=COLUMN HEADER, KIND one of {kinds} "
        '(e.g. --column task="Tên văn bản").',
    },
    "until_before_from": {
        "vi": "ngày kết thúc ({until}) phải từ ngày bắt đầu ({start}) trở đi.",
        "en": "the end date ({until}) must not be before the start date ({start}).",
    },
    "no_channel": {
        "vi": "Chưa cấu hình kênh chat nào nên không khởi động: đặt {variables} (biến môi "
        "trường hoặc tệp .env), hoặc chạy nhacviec run --console để chỉ in nhắc việc ra "
        "màn hình.",
        "en": "No chat channel is configured, so the service did not start: set {variables} "
        "(environment or .env file), or run nhacviec run --console to only print the "
        "reminders on this screen.",
    },
    "or": {"vi": " hoặc ", "en": " or "},
    "show_outside": {
        "vi": "--show {day} nằm ngoài khoảng mô phỏng ({start} đến {until}).",
        "en": "--show {day} is outside the simulated window ({start} to {until}).",
    },
    "simulated_on_copy": {
        "vi": "Mô phỏng trên một bản sao tạm của cơ sở dữ liệu: không gửi gì thật, hàng đợi "
        "nhắc việc thật không thay đổi.",
        "en": "Simulating on a temporary copy of the database: nothing is really sent and the "
        "real reminder queue is left unchanged.",
    },
    "db_upgraded": {
        "vi": "Cơ sở dữ liệu đã ở phiên bản mới nhất.",
        "en": "The database schema is up to date.",
    },
    "imported": {
        "vi": "Đã nhập kế hoạch {code}: {sections} mục, {tasks} nhiệm vụ, {dues} thời hạn, "
        "{units} đơn vị ({new_units} mới).",
        "en": "Imported plan {code}: {sections} sections, {tasks} tasks, {dues} dues, "
        "{units} units ({new_units} new).",
    },
    "plan_year": {
        "vi": "Năm kế hoạch {year} ({reason}).",
        "en": "Plan year {year} ({reason}).",
    },
    "dry_run": {
        "vi": "Chạy thử: không ghi gì vào cơ sở dữ liệu.",
        "en": "Dry run: nothing was written to the database.",
    },
    "already_imported": {
        "vi": "Kế hoạch này đã được nhập trước đó (mã {code}); không thay đổi gì.",
        "en": "This plan was imported before (code {code}); nothing changed.",
    },
    "amend_head": {
        "vi": "Bản sửa đổi của kế hoạch {code} (phiên bản {version}): {matched} nhiệm vụ khớp, "
        "{reworded} đổi nội dung, {deadlines} đổi thời hạn, {units} đổi đơn vị, "
        "{added} thêm, {removed} bỏ.",
        "en": "Amended plan {code} (version {version}): {matched} tasks matched, "
        "{reworded} reworded, {deadlines} deadlines changed, {units} units changed, "
        "{added} added, {removed} removed.",
    },
    "amend_reworded": {
        "vi": "~ {code}: nội dung «{old}» → «{new}»",
        "en": "~ {code}: text «{old}» → «{new}»",
    },
    "amend_deadline": {
        "vi": "~ {code}: thời hạn «{old}» → «{new}»",
        "en": "~ {code}: deadline «{old}» → «{new}»",
    },
    "amend_units": {
        "vi": "~ {code}: đơn vị «{old}» → «{new}»",
        "en": "~ {code}: units «{old}» → «{new}»",
    },
    "amend_added": {"vi": "+ {code}: {content}", "en": "+ {code}: {content}"},
    "amend_removed": {
        "vi": "- {code}: {content} (đã bỏ khỏi kế hoạch)",
        "en": "- {code}: {content} (removed from the plan)",
    },
    "amend_preview": {
        "vi": "Chỉ xem khác biệt: chưa ghi gì. Thêm --apply để cập nhật kế hoạch.",
        "en": "Preview only: nothing written. Add --apply to update the plan.",
    },
    "amend_applied": {
        "vi": "Đã cập nhật kế hoạch {code} lên phiên bản {version}; nhắc việc đã lập lại.",
        "en": "Plan {code} updated to version {version}; reminders replanned.",
    },
    "apply_without_update": {
        "vi": "--apply chỉ dùng cùng --update MÃ_KẾ_HOẠCH.",
        "en": "--apply only goes with --update PLAN_CODE.",
    },
    "amend_same": {
        "vi": "Tệp này đã là phiên bản {version} của kế hoạch {code}; không thay đổi gì.",
        "en": "This file is already version {version} of plan {code}; nothing changed.",
    },
    "warning": {"vi": "Cảnh báo: {message}", "en": "Warning: {message}"},
    "no_plans": {"vi": "Chưa có kế hoạch nào.", "en": "No plans yet."},
    "no_problems": {
        "vi": "Không có vấn đề: mọi nhiệm vụ đều có đơn vị và thời hạn đọc được.",
        "en": "No problems: every task has units and a readable deadline.",
    },
    "units_without_officers": {
        "vi": "Đơn vị chưa có cán bộ nhận nhắc việc: {names}",
        "en": "Units with no officer to remind: {names}",
    },
    "officers_without_chat": {
        "vi": "Cán bộ chưa liên kết Telegram/Zalo (chưa nhận được nhắc việc; "
        "dùng nhacviec invite create): {names}",
        "en": "Officers linked on no channel (no reminders reach them yet; "
        "use nhacviec invite create): {names}",
    },
    "unit_added": {"vi": "Đã thêm đơn vị {name}.", "en": "Added unit {name}."},
    "leader_scope_added": {
        "vi": "{name} phụ trách: {scope}. Các tổng hợp của lãnh đạo này chỉ gồm phạm vi đã giao.",
        "en": "{name} leads: {scope}. This leader's summaries cover the given scope only.",
    },
    "officer_added": {
        "vi": "Đã thêm cán bộ {name} ({unit}, {role}).",
        "en": "Added officer {name} ({unit}, {role}).",
    },
    "officers_imported": {
        "vi": "Đã nhập {added} cán bộ mới, cập nhật {updated} cán bộ.",
        "en": "Imported {added} new officers, updated {updated}.",
    },
    "task_edited": {
        "vi": "Đã sửa nhiệm vụ {code}: thời hạn «{deadline}», chủ trì {lead}, "
        "phối hợp {coordinate}.",
        "en": "Edited task {code}: deadline «{deadline}», lead {lead}, coordinating {coordinate}.",
    },
    "plan_archived": {
        "vi": "Đã lưu trữ kế hoạch {code}: hủy {count} nhắc việc chưa gửi; lịch sử được giữ.",
        "en": "Archived plan {code}: {count} unsent reminders cancelled; history kept.",
    },
    "archived_mark": {"vi": "{code} (lưu trữ)", "en": "{code} (archived)"},
    "unit_renamed": {
        "vi": "Đã đổi tên «{old}» thành «{new}»; tên cũ vẫn được nhận ra.",
        "en": "Renamed «{old}» to «{new}»; the old name is still recognised.",
    },
    "officer_edited": {
        "vi": "Đã sửa cán bộ {name} ({unit}, {role}).",
        "en": "Edited officer {name} ({unit}, {role}).",
    },
    "officer_removed": {
        "vi": "{name} thôi nhận nhắc việc ({count} nhắc việc chưa gửi đã hủy); lịch sử được giữ.",
        "en": "{name} gets no more reminders ({count} unsent cancelled); history kept.",
    },
    "no_admin_changes": {"vi": "Chưa có thay đổi nào.", "en": "No changes yet."},
    "col_at": {"vi": "Lúc", "en": "At"},
    "col_actor": {"vi": "Người sửa", "en": "By"},
    "col_command": {"vi": "Lệnh", "en": "Command"},
    "col_target": {"vi": "Đối tượng", "en": "Target"},
    "col_change": {"vi": "Trước → sau", "en": "Before → after"},
    "dues_title": {
        "vi": "Thời hạn từ {start} đến {until}",
        "en": "Dues from {start} to {until}",
    },
    "no_dues": {"vi": "Không có thời hạn nào trong khoảng này.", "en": "No dues in this range."},
    "col_code": {"vi": "Mã", "en": "Code"},
    "col_task": {"vi": "Nội dung", "en": "Task"},
    "col_units": {"vi": "Đơn vị", "en": "Units"},
    "col_deadline": {"vi": "Thời gian (gốc)", "en": "Deadline (as written)"},
    "col_dues": {"vi": "Hạn", "en": "Due"},
    "col_name": {"vi": "Tên", "en": "Name"},
    "col_unit": {"vi": "Đơn vị", "en": "Unit"},
    "col_role": {"vi": "Vai trò", "en": "Role"},
    "col_parent": {"vi": "Trực thuộc", "en": "Parent"},
    "col_plan": {"vi": "Kế hoạch", "en": "Plan"},
    "col_year": {"vi": "Năm", "en": "Year"},
    "col_tasks": {"vi": "Nhiệm vụ", "en": "Tasks"},
    "coordinate": {"vi": "phối hợp", "en": "coordinating"},
    "no_due": {"vi": "không tự nhắc", "en": "no reminder"},
    "plan_version": {"vi": "phiên bản {version}", "en": "version {version}"},
    "removed_task": {
        "vi": "(đã bỏ khỏi kế hoạch ở phiên bản {version}) {content}",
        "en": "(removed from the plan in version {version}) {content}",
    },
    # the due kinds that carry no date, as a secretary names them (never the stored word)
    "due_on_request": {"vi": "khi có yêu cầu", "en": "on request"},
    "due_continuous": {"vi": "thường xuyên", "en": "ongoing"},
    "due_unparsed": {"vi": "chưa đọc được thời hạn", "en": "deadline not understood"},
    "summary": {
        "vi": "{sections} mục · {tasks} nhiệm vụ · {dues} thời hạn ({dated} có ngày) · "
        "{units} đơn vị",
        "en": "{sections} sections · {tasks} tasks · {dues} dues ({dated} dated) · {units} units",
    },
    "bad_output": {
        "vi": "không ghi được vào «{text}»: thư mục chứa tệp không tồn tại hoặc đó là một thư mục.",
        "en": "cannot write to «{text}»: its folder does not exist or it is a folder.",
    },
    "cannot_write": {
        "vi": "không ghi được tệp {path}: {reason}",
        "en": "cannot write the file {path}: {reason}",
    },
    "report_written": {"vi": "Đã ghi báo cáo: {path}", "en": "Report written: {path}"},
}


def language() -> str:
    """``en`` when the user's setting asks for English, else ``vi``."""
    for var in ("NHACVIEC_LANG", "LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(var, "")
        if value and value not in ("C", "POSIX", "C.UTF-8"):
            return "en" if value.lower().startswith("en") else "vi"
    return "vi"


def t(key: str, **params: object) -> str:
    """The message ``key`` in the user's language, formatted with ``params``."""
    return MESSAGES[key][language()].format(**params)
