"""The pages' words in Vietnamese and English (an officer's ``language`` chooses).

Kept apart from the chat's words (``bot/chat/texts.py``): pages have menus, buttons
and headings that chat never shows. A key missing in English falls back to the
Vietnamese, never to the key.
"""

from __future__ import annotations

WORDS: dict[str, tuple[str, str]] = {
    "app": ("Nhắc việc", "Nhắc việc"),
    "nav_dashboard": ("Tổng quan", "Overview"),
    "nav_plans": ("Kế hoạch", "Plans"),
    "nav_import": ("Nhập kế hoạch", "Import a plan"),
    "nav_people": ("Cán bộ, đơn vị", "People and units"),
    "nav_reports": ("Báo cáo", "Reports"),
    "sign_out": ("Đăng xuất", "Sign out"),
    "sign_out_all": ("Đăng xuất mọi nơi", "Sign out everywhere"),
    "signed_in_as": ("Đang đăng nhập", "Signed in as"),
    "sign_in_title": ("Đăng nhập", "Sign in"),
    "sign_in_button": ("Đăng nhập", "Sign in"),
    "sign_in_confirm": (
        "Bấm nút dưới đây để đăng nhập vào Nhắc việc. Liên kết chỉ dùng được một lần.",
        "Press the button below to sign in to Nhắc việc. The link works once.",
    ),
    "sign_in_how": (
        "Để đăng nhập, gõ /web trong cuộc trò chuyện với bot Nhắc việc (Telegram hoặc Zalo): "
        "bot gửi một liên kết dùng một lần, có hiệu lực 15 phút.",
        "To sign in, type /web in your chat with the Nhắc việc bot (Telegram or Zalo): "
        "it sends a one-time link, valid for 15 minutes.",
    ),
    "sign_in_bad_link": (
        "Liên kết đăng nhập không dùng được: đã dùng rồi, đã hết hạn (15 phút) hoặc không đúng. "
        "Gõ /web trong chat để nhận liên kết mới.",
        "This sign-in link cannot be used: already used, expired (15 minutes) or wrong. "
        "Type /web in chat for a new one.",
    ),
    "sign_in_too_many": (
        "Có quá nhiều lần thử đăng nhập sai từ máy này; hãy thử lại sau ít phút.",
        "Too many failed sign-in attempts from this machine; try again in a few minutes.",
    ),
    "signed_out": ("Đã đăng xuất.", "Signed out."),
    "signed_out_all": (
        "Đã đăng xuất trên mọi thiết bị ({count} phiên).",
        "Signed out on every device ({count} sessions).",
    ),
    "forbidden": (
        "Trang này không dành cho vai trò của bạn.",
        "This page is not for your role.",
    ),
    "csrf_refused": (
        "Biểu mẫu đã cũ hoặc không gửi từ trang của Nhắc việc; hãy tải lại trang và thử lại.",
        "The form is stale or was not sent from a Nhắc việc page; reload and try again.",
    ),
    "too_large": (
        "Tệp quá lớn (tối đa {limit} MB).",
        "The file is too large (at most {limit} MB).",
    ),
    "not_found": ("Không tìm thấy trang.", "Page not found."),
    "error_title": ("Không thực hiện được", "Could not be done"),
    "back_home": ("Về trang tổng quan", "Back to the overview"),
    # --- import a plan (bot/web/imports.py) ---
    "imp_title": ("Nhập kế hoạch", "Import a plan"),
    "imp_intro": (
        "Chọn tệp kế hoạch (Word .docx, Excel .xlsx hoặc văn bản .txt). Trang sẽ cho xem "
        "trước những gì được tạo; chỉ ghi khi bạn bấm xác nhận.",
        "Choose the plan's file (Word .docx, Excel .xlsx or text .txt). The page shows what "
        "will be created first; nothing is written until you confirm.",
    ),
    "imp_file": ("Tệp kế hoạch", "Plan file"),
    "imp_amends": ("Tệp là bản sửa đổi của", "The file amends"),
    "imp_amends_none": ("— Kế hoạch mới —", "— A new plan —"),
    "imp_options": ("Tùy chọn (khi tệp không ghi rõ)", "Options (when the file does not say)"),
    "imp_year": ("Năm của kế hoạch", "The plan's year"),
    "imp_prefix": ("Mã kế hoạch dùng trong mã nhiệm vụ (vd. QD982)", "Code used in task codes"),
    "imp_sheet": ("Tệp Excel: tên trang tính chứa kế hoạch", "Excel file: the plan's sheet"),
    "imp_columns": (
        "Tên cột trong tệp, nếu không nhận ra được:",
        "The file's column headers, when they are not recognised:",
    ),
    "imp_column_task": ("Cột nội dung công việc", "Task column"),
    "imp_column_lead": ("Cột đơn vị chủ trì", "Lead unit column"),
    "imp_column_coordinate": ("Cột đơn vị phối hợp", "Coordinating units column"),
    "imp_column_deadline": ("Cột thời hạn", "Deadline column"),
    "imp_column_officer": ("Cột người phụ trách", "Person in charge column"),
    "imp_preview_button": ("Xem trước", "Preview"),
    "imp_preview_title": ("Xem trước", "Preview"),
    "imp_nothing_yet": (
        "Chưa ghi gì: kiểm tra rồi bấm xác nhận.",
        "Nothing is written yet: check, then confirm.",
    ),
    "imp_head": (
        "Kế hoạch {code}: {sections} mục, {tasks} nhiệm vụ, {dues} thời hạn, "
        "{units} đơn vị ({new_units} mới).",
        "Plan {code}: {sections} sections, {tasks} tasks, {dues} dues, "
        "{units} units ({new_units} new).",
    ),
    "imp_number": ("Số {number}", "No. {number}"),
    "imp_year_is": ("Năm kế hoạch {year} ({reason}).", "Plan year {year} ({reason})."),
    "imp_amend_head": (
        "Bản sửa đổi của kế hoạch {code} (phiên bản {version}): {matched} nhiệm vụ khớp, "
        "{reworded} đổi nội dung, {deadlines} đổi thời hạn, {units} đổi đơn vị, "
        "{added} thêm, {removed} bỏ.",
        "Amended plan {code} (version {version}): {matched} tasks matched, "
        "{reworded} reworded, {deadlines} deadlines changed, {units} units changed, "
        "{added} added, {removed} removed.",
    ),
    "imp_diff_title": ("Khác biệt so với bản đang dùng", "Changes from the version in force"),
    "imp_diff_none": ("Không có nhiệm vụ nào thay đổi.", "No task changes."),
    "imp_reworded": ("{code}: nội dung «{old}» → «{new}»", "{code}: text «{old}» → «{new}»"),
    "imp_deadline": ("{code}: thời hạn «{old}» → «{new}»", "{code}: deadline «{old}» → «{new}»"),
    "imp_units": ("{code}: đơn vị «{old}» → «{new}»", "{code}: units «{old}» → «{new}»"),
    "imp_added": ("Thêm {code}: {content}", "Added {code}: {content}"),
    "imp_removed": ("Bỏ {code}: {content}", "Removed {code}: {content}"),
    "imp_merge_title": (
        "Đơn vị mới gần giống đơn vị đã đăng ký: đánh dấu nếu là một",
        "New units that look like registered ones: tick those that are the same",
    ),
    "imp_merge_pair": ("Gộp «{new}» vào «{registered}»", "Merge «{new}» into «{registered}»"),
    "imp_confirm": ("Xác nhận nhập kế hoạch", "Confirm the import"),
    "imp_confirm_amend": ("Xác nhận cập nhật kế hoạch", "Confirm the update"),
    "imp_cancel": ("Hủy, chọn tệp khác", "Cancel, choose another file"),
    "imp_warnings": ("Cần kiểm tra", "To check"),
    "imp_units_title": ("Đơn vị", "Units"),
    "imp_new_unit": ("mới", "new"),
    "imp_col_code": ("Mã", "Code"),
    "imp_col_task": ("Nội dung công việc", "Task"),
    "imp_col_lead": ("Chủ trì", "Lead"),
    "imp_col_coordinate": ("Phối hợp", "Coordinating"),
    "imp_col_deadline": ("Thời hạn", "Due"),
    "imp_unparsed": ("không đọc được thời hạn", "deadline not understood"),
    "imp_on_request": ("khi có yêu cầu, không tự nhắc", "on request, no reminder"),
    "imp_continuous": ("thường xuyên", "ongoing"),
    "imp_recurring": ("(lần đầu, lặp lại)", "(first, repeats)"),
    "imp_already": (
        "Tệp này đã được nhập trước đó (kế hoạch {code}); không thay đổi gì.",
        "This file was imported before (plan {code}); nothing changed.",
    ),
    "imp_same_version": (
        "Tệp này đã là phiên bản {version} của kế hoạch {code}; không thay đổi gì.",
        "This file is already version {version} of plan {code}; nothing changed.",
    ),
    "imp_open_plan": ("Mở kế hoạch {code}", "Open plan {code}"),
    "imp_another": ("Nhập tệp khác", "Import another file"),
    "imp_no_file": ("Hãy chọn tệp kế hoạch để tải lên.", "Choose the plan's file to upload."),
    "imp_bad_year": (
        "Năm «{year}» không hợp lệ: ghi bốn chữ số, ví dụ 2022.",
        "The year «{year}» is not valid: write four digits, e.g. 2022.",
    ),
    "imp_bad_prefix": (
        "Mã «{prefix}» không dùng được: chỉ chữ cái không dấu và chữ số, bắt đầu bằng chữ, "
        "2–12 ký tự.",
        "The code «{prefix}» cannot be used: unaccented letters and digits, starting with a "
        "letter, 2–12 characters.",
    ),
    "imp_bad_plan": ("Kế hoạch được chọn không có.", "The chosen plan does not exist."),
    "imp_twin": (
        "Tệp này giống kế hoạch {code} đã nhập. Nếu là bản sửa đổi, chọn «Tệp là bản sửa đổi "
        "của» {code} rồi xem trước lại; nếu là kế hoạch khác, đặt mã kế hoạch riêng.",
        "This file looks like plan {code}, imported before. If it is an amended version, "
        "choose {code} under «The file amends» and preview again; if it is another plan, "
        "give it its own code.",
    ),
    "imp_no_year": (
        "Không xác định được năm của kế hoạch; hãy ghi năm ở ô «Năm của kế hoạch».",
        "The plan's year is not known; write it in «The plan's year».",
    ),
    "imp_upload_gone": (
        "Tệp đã tải lên không còn (đã dùng hoặc quá một ngày); hãy tải lên lại.",
        "The uploaded file is gone (used, or older than a day); upload it again.",
    ),
    # --- dashboard, plans, tasks (bot/web/dashboard.py, plans.py, tasks.py) ---
    "dash_plans": ("Kế hoạch đang thực hiện", "Plans in force"),
    "dash_no_plans": ("Chưa có kế hoạch nào đang thực hiện.", "No plan is in force."),
    "dash_unit_scope": ("Số liệu của đơn vị: {unit}", "Figures of the unit: {unit}"),
    "as_of": ("Số liệu đến hết ngày {day}", "Figures to the end of {day}"),
    "completion": ("Tỷ lệ hoàn thành", "Completion"),
    "tasks_count": ("{count} nhiệm vụ", "{count} tasks"),
    "by_unit": ("Theo đơn vị", "By unit"),
    "chart_alt": (
        "Biểu đồ tình hình thực hiện nhiệm vụ theo đơn vị",
        "Chart of the tasks' states by unit",
    ),
    "overdue_title": ("Việc quá hạn", "Overdue work"),
    "no_overdue": ("Không có việc quá hạn.", "Nothing is overdue."),
    "days_late": ("{days} ngày", "{days} days"),
    "not_reported_title": ("Chưa báo cáo", "Not reported"),
    "not_reported_since": (
        "{count}/{expected} đơn vị chưa có cập nhật nào từ sau ngày {since}:",
        "{count}/{expected} units have recorded nothing since {since}:",
    ),
    "all_reported": (
        "Tất cả {expected} đơn vị đã báo cáo (có cập nhật từ sau ngày {since}).",
        "All {expected} units have reported (updates since {since}).",
    ),
    "open_items": ("{count} việc đang mở", "{count} open items"),
    "reminded_times": ("đã nhắc {count} lần", "reminded {count} times"),
    "recent_title": ("Cập nhật gần đây", "Recent updates"),
    "no_recent": ("Chưa có cập nhật nào.", "No update yet."),
    "my_tasks": ("Việc của tôi", "My tasks"),
    "no_my_tasks": ("Bạn chưa được giao việc nào.", "No task is assigned to you."),
    "update_link": ("Cập nhật", "Update"),
    "col_code": ("Mã", "Code"),
    "col_task": ("Nội dung công việc", "Task"),
    "col_unit": ("Đơn vị", "Unit"),
    "col_units": ("Đơn vị chủ trì / phối hợp", "Lead / coordinating units"),
    "col_due": ("Thời hạn", "Due"),
    "col_state": ("Tình trạng", "State"),
    "col_last": ("Cập nhật gần nhất", "Last update"),
    "col_products": ("Sản phẩm", "Products"),
    "col_total": ("Tổng", "Total"),
    "col_late": ("Trễ", "Late"),
    "col_when": ("Thời điểm", "When"),
    "col_who": ("Người", "Who"),
    "col_channel": ("Kênh", "Channel"),
    "col_change": ("Thay đổi", "Change"),
    "col_note": ("Ghi chú", "Note"),
    "col_kind": ("Loại", "Kind"),
    "col_file": ("Tệp", "File"),
    "col_plan": ("Kế hoạch", "Plan"),
    "state_done_on_time": ("Hoàn thành đúng hạn", "Done on time"),
    "state_done_late": ("Hoàn thành quá hạn", "Done late"),
    "state_in_progress_on_time": ("Đang thực hiện trong hạn", "In progress, on time"),
    "state_in_progress_late": ("Đang thực hiện quá hạn", "In progress, late"),
    "state_not_started": ("Chưa thực hiện", "Not started"),
    "state_stopped": ("Không thực hiện / dừng", "Stopped"),
    "item_not_started": ("Chưa thực hiện", "Not started"),
    "item_in_progress": ("Đang thực hiện", "In progress"),
    "item_done": ("Hoàn thành", "Done"),
    "item_blocked": ("Vướng mắc", "Blocked"),
    "item_extension_requested": ("Xin gia hạn", "Extension asked"),
    "item_cancelled": ("Đã hủy", "Cancelled"),
    "kind_status": ("Cập nhật", "Update"),
    "kind_note": ("Ghi chú", "Note"),
    "kind_promise": ("Hẹn ngày", "Promise"),
    "kind_acknowledged": ("Đã xem", "Seen"),
    "kind_snooze": ("Hoãn nhắc", "Snooze"),
    "kind_product": ("Gửi sản phẩm", "Product"),
    "rem_before": ("Nhắc trước hạn", "Before the due"),
    "rem_on_day": ("Nhắc đúng hạn", "On the day"),
    "rem_checkin": ("Hỏi tiến độ", "Check-in"),
    "rem_overdue": ("Nhắc quá hạn", "Overdue"),
    "rem_escalation": ("Báo lãnh đạo", "Escalation"),
    "rem_digest": ("Bản tin tổng hợp", "Digest"),
    "rem_manual": ("Nhắc ngay", "Manual"),
    "rem_notice": ("Thông báo", "Notice"),
    "rem_followup": ("Nhắc theo hẹn", "Follow-up"),
    "rem_snooze": ("Nhắc lại", "Snoozed"),
    "rem_report_due": ("Nhắc báo cáo", "Report due"),
    "plans_title": ("Kế hoạch", "Plans"),
    "plans_none": ("Chưa có kế hoạch nào.", "No plan yet."),
    "plan_archived": ("Đã lưu trữ", "Archived"),
    "plan_number": ("Số {number}", "No. {number}"),
    "filter_unit": ("Đơn vị", "Unit"),
    "filter_state": ("Tình trạng", "State"),
    "filter_month": ("Hạn trong tháng", "Due in month"),
    "filter_all": ("Tất cả", "All"),
    "filter_apply": ("Lọc", "Filter"),
    "filter_none": ("Không có nhiệm vụ nào khớp bộ lọc.", "No task matches the filter."),
    "task_title": ("Nhiệm vụ {code}", "Task {code}"),
    "task_lead": ("Chủ trì", "Lead"),
    "task_coordinate": ("Phối hợp", "Coordinating"),
    "task_deadline": ("Thời hạn", "Due"),
    "task_product": ("Sản phẩm", "Product"),
    "task_notes": ("Ghi chú", "Notes"),
    "task_progress": ("Tình hình thực hiện", "Progress"),
    "history_title": ("Lịch sử cập nhật", "History"),
    "no_history": ("Chưa có cập nhật nào.", "No update yet."),
    "reminders_sent": ("Tin nhắc đã gửi", "Reminders sent"),
    "reminders_planned": ("Tin nhắc dự kiến", "Reminders planned"),
    "no_reminders": ("Không có.", "None."),
    "products_title": ("Sản phẩm đã gửi", "Products sent"),
    "no_products": ("Chưa có sản phẩm nào.", "No product yet."),
    "download": ("Tải về", "Download"),
    "update_title": ("Cập nhật tiến độ", "Record progress"),
    "update_item": ("Phần việc", "Part"),
    "update_state": ("Tình trạng", "State"),
    "update_percent": ("Tỷ lệ thực hiện (%)", "Percent done"),
    "update_note": ("Ghi chú (bắt buộc khi vướng mắc)", "Note (needed when blocked)"),
    "update_submit": ("Ghi nhận", "Record"),
    "update_none": (
        "Không còn phần việc nào đang mở để cập nhật.",
        "No open part is left to update.",
    ),
    "updated": ("Đã ghi nhận cập nhật.", "The update is recorded."),
}


def word(key: str, language: str = "vi", **params: object) -> str:
    """The word ``key`` in ``language`` (Vietnamese when missing), formatted with ``params``."""
    vi, en = WORDS[key]
    text = en if language == "en" and en else vi
    return text.format(**params) if params else text
