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
}


def word(key: str, language: str = "vi", **params: object) -> str:
    """The word ``key`` in ``language`` (Vietnamese when missing), formatted with ``params``."""
    vi, en = WORDS[key]
    text = en if language == "en" and en else vi
    return text.format(**params) if params else text
