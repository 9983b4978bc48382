"""Officers' messages that name tasks, with what the bot must do: a held-out corpus.

Written before the code-recognition change of issue 12 and not tuned to it. Each
case is one officer (of the sample roster, on the seed plan plus the two plans of
``EXTRA_PLANS``) sending ``text`` at ``tests.planning_helpers.START``, after the
messages in ``before``. ``expect`` is either the progress that must change
(``{code: "done"}`` / ``{code: "in_progress:30"}``: exactly these, nothing else)
or a word: ``"ask"`` (nothing recorded: the bot asks back or refuses) or
``"howto"`` (a pasted reminder: nothing recorded, a short how-to answer).

Who holds what at START (open items):
- Mai Thị Xuân: BDT22-V.1 only.
- Bùi Thị Lệ: BDT22-V.1, V.2, V.3, IV.2, and QD982-1.1, QD982-1.2, QD982-2.1 (``--prefix QD982``).
- Trần Thị Mai: BDT22-I.1 … I.5, II.1, III.1, and NQ116-I.5 (``--prefix NQ116``).
- Điểu Thị Hoa: BDT22-IV.3, VI.2.
"""

from __future__ import annotations

from dataclasses import dataclass

XUAN = "Mai Thị Xuân"
LE = "Bùi Thị Lệ"
MAI = "Trần Thị Mai"
HOA = "Điểu Thị Hoa"

_QD982 = """Số: 982/QĐ-UBND

Bình Phước, ngày 10 tháng 01 năm 2022

**KẾ HOẠCH**

**Kiểm tra công tác thi đua năm 2022**

Số TT\tNội dung công việc\tCơ quan thực hiện\tThời gian thực hiện
1.1\tXây dựng kế hoạch kiểm tra.\tHội đồng Thi đua - Khen thưởng cơ sở\tTrước ngày 30/6/2022
1.2\tLập danh sách đơn vị được kiểm tra.\tHội đồng Thi đua - Khen thưởng cơ sở\tTrước ngày 30/9/2022
2.1\tKiểm tra tại đơn vị.\tHội đồng Thi đua - Khen thưởng cơ sở\tTrước ngày 30/11/2022
"""

_NQ116 = """Số: 116/KH-BDT

Bình Phước, ngày 12 tháng 01 năm 2022

**KẾ HOẠCH**

**Thực hiện Nghị quyết 116 năm 2022**

Số TT\tNội dung công việc\tCơ quan thực hiện\tThời gian thực hiện
<b>I</b>\t<b>Nhiệm vụ chung</b>\t\t
1\tQuán triệt nghị quyết.\tVăn phòng (Ban Dân tộc)\tQuý I/2022
2\tTuyên truyền nghị quyết.\tVăn phòng (Ban Dân tộc)\tQuý II/2022
3\tSơ kết 6 tháng.\tVăn phòng (Ban Dân tộc)\tQuý III/2022
4\tTổng kết năm.\tVăn phòng (Ban Dân tộc)\tQuý IV/2022
5\tRà soát hộ nghèo đồng bào dân tộc thiểu số.\tBan Dân tộc\tTrước ngày 31/10/2022
"""

EXTRA_PLANS = (("QD982", _QD982), ("NQ116", _NQ116))
"""(``--prefix``, plan text) imported after the seed plan."""


@dataclass(frozen=True)
class Case:
    who: str
    text: str
    expect: dict[str, str] | str
    before: tuple[str, ...] = ()


ZWJ, SHY, NBSP, ZWSP = "\u200d", "\u00ad", "\u00a0", "\u200b"
CYR_I, CYR_V, CYR_T = "\u0406", "\u0412", "\u0422"

ZALO_PASTE = (
    "Kính gửi Mai Thị Xuân,\n"
    "Nhắc việc Thứ Hai, 28/03/2022:\n"
    "1. [BDT22-V.1] Thẩm định, trình Thường trực Hội đồng Thi đua\n"
    "   Đơn vị: UBND các huyện, thị, thành phố (chủ trì)\n"
    "   Hạn: Thứ Năm, 31/03/2022 — còn 3 ngày\n"
    "Trả lời: XONG BDT22-V.1 · DANG 50 BDT22-V.1 · VUONG BDT22-V.1 <lý do> · "
    "GIAHAN BDT22-V.1 30/6"
)

CASES: tuple[Case, ...] = (
    # --- every code shape, typed right ------------------------------------------------
    Case(XUAN, "xong BDT22-V.1", {"BDT22-V.1": "done"}),
    Case(LE, "QD982-1.2 đã xong ạ", {"QD982-1.2": "done"}),
    Case(LE, "xong QD982-2.1 rồi", {"QD982-2.1": "done"}),
    Case(MAI, "NQ116-I.5 đang làm 40%", {"NQ116-I.5": "in_progress:40"}),
    Case(LE, "dạ BDT22-IV.2 em đang làm 20% ạ", {"BDT22-IV.2": "in_progress:20"}),
    # --- case and the usual slips -------------------------------------------------------
    Case(LE, "xong qd982-1.2", {"QD982-1.2": "done"}),
    Case(MAI, "nq116-i.5 xong rồi ạ", {"NQ116-I.5": "done"}),
    Case(XUAN, "xong BDT22 V.1", {"BDT22-V.1": "done"}),
    Case(XUAN, "xong bdt22.v.1 rồi", {"BDT22-V.1": "done"}),
    Case(LE, "QD982 1.2 xong", {"QD982-1.2": "done"}),
    Case(MAI, "NQ116-l.5 xong", {"NQ116-I.5": "done"}),
    Case(MAI, "BDT22-ll.1 đang làm 50%", {"BDT22-II.1": "in_progress:50"}),
    Case(XUAN, f"xong BDT22{NBSP}V.1", {"BDT22-V.1": "done"}),
    # --- missing prefix -------------------------------------------------------------------
    Case(LE, "xong V.3", {"BDT22-V.3": "done"}),
    Case(LE, "IV.2 đang làm 60%", {"BDT22-IV.2": "in_progress:60"}),
    Case(MAI, "II.1 xong rồi ạ", {"BDT22-II.1": "done"}),
    Case(MAI, "xong I.5", "ask"),  # BDT22-I.5 and NQ116-I.5: ambiguous
    Case(XUAN, "xong I.1", "ask"),  # not one of hers: never her V.1
    Case(HOA, "V.1 xong rồi", "ask"),
    # --- a code that does not resolve is asked back ------------------------------------------
    Case(XUAN, "BDT22 I.1 xong", "ask"),
    Case(XUAN, "xong BDT22-V.9", "ask"),
    Case(XUAN, "xong BDT21-V.1", "ask"),
    Case(XUAN, "xong QD982-1.2", "ask"),
    Case(LE, "xong BDT22-I", "ask"),
    # --- look-alikes and invisible characters ---------------------------------------------------
    Case(XUAN, "xong ＢＤＴ２２－Ｖ．１", {"BDT22-V.1": "done"}),
    Case(XUAN, "xong ＢＤＴ２２－Ｉ．１", "ask"),
    Case(XUAN, f"xong BDT22-{CYR_V}.1", "ask"),  # Cyrillic В looks like B: "BDT22-B.1"
    Case(XUAN, f"xong BDT22-{CYR_I}.1", "ask"),
    Case(XUAN, f"xong {CYR_V}D{CYR_T}22-I.1", "ask"),
    Case(XUAN, "xong БДТ22-I.1", "ask"),
    Case(XUAN, f"xong BDT22-I{ZWJ}.1", "ask"),
    Case(XUAN, f"xong BDT22-V{ZWJ}.1", {"BDT22-V.1": "done"}),
    Case(XUAN, f"xong BDT{SHY}22-I.1", "ask"),
    Case(XUAN, f"xong BDT{SHY}22-V.1", {"BDT22-V.1": "done"}),
    Case(XUAN, f"xong BDT22{ZWSP}-I.1", "ask"),
    # --- several tasks in one message ------------------------------------------------------------
    Case(
        LE,
        "xong V.3 rồi, còn V.2 đang làm 30%",
        {"BDT22-V.3": "done", "BDT22-V.2": "in_progress:30"},
    ),
    Case(
        LE,
        "BDT22-V.2 xong; BDT22-IV.2 đang làm 50%",
        {"BDT22-V.2": "done", "BDT22-IV.2": "in_progress:50"},
    ),
    Case(LE, "xong V.2 và V.3 rồi ạ", {"BDT22-V.2": "done", "BDT22-V.3": "done"}),
    Case(
        LE, "V.2 xong rồi, V.3 mới được 10%", {"BDT22-V.2": "done", "BDT22-V.3": "in_progress:10"}
    ),
    Case(LE, "xong V.2, còn cái kia đang làm", "ask"),
    Case(LE, "V.2 xong, V.9 đang làm 50%", "ask"),
    Case(
        HOA,
        "IV.3 đang làm 70%, VI.2 đang làm 20%",
        {"BDT22-IV.3": "in_progress:70", "BDT22-VI.2": "in_progress:20"},
    ),
    # --- pasted reminders ------------------------------------------------------------------------
    Case(XUAN, ZALO_PASTE, "howto"),
    Case(
        XUAN,
        "Trả lời: XONG BDT22-V.1 · DANG 50 BDT22-V.1 · VUONG BDT22-V.1 <lý do> · "
        "GIAHAN BDT22-V.1 30/6",
        "howto",
    ),
    Case(
        XUAN,
        "Trả lời: “xong <mã>”, “đang làm 50% <mã>”, “vướng: …” hoặc “xin gia hạn đến 30/6”.",
        "howto",
    ),
    Case(
        XUAN,
        "Kính gửi Mai Thị Xuân,\nNhắc việc — Thứ Hai, 28/03/2022\n[BDT22-V.1] Thẩm định\n"
        "Hạn: Thứ Năm, 31/03/2022 — còn 3 ngày",
        "howto",
    ),
    Case(XUAN, "XONG BDT22-V.1", {"BDT22-V.1": "done"}),
    # --- corrections -----------------------------------------------------------------------------
    Case(XUAN, "à nhầm, đang làm thôi", {"BDT22-V.1": "in_progress"}, before=("xong BDT22-V.1",)),
    Case(
        XUAN,
        "không phải, đang làm 50% thôi ạ",
        {"BDT22-V.1": "in_progress:50"},
        before=("xong rồi",),
    ),
    Case(
        LE,
        "à nhầm, xong rồi",
        {"BDT22-V.2": "done"},
        before=("vướng V.2 do chưa có kinh phí",),
    ),
    Case(XUAN, "à nhầm, xong rồi ạ", {"BDT22-V.1": "done"}, before=("vướng",)),
)
