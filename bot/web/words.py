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
}


def word(key: str, language: str = "vi", **params: object) -> str:
    """The word ``key`` in ``language`` (Vietnamese when missing), formatted with ``params``."""
    vi, en = WORDS[key]
    text = en if language == "en" and en else vi
    return text.format(**params) if params else text
