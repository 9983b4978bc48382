"""The ``nhacviec`` command as a secretary uses it: one-line Vietnamese errors, no tracebacks,
and a database left unchanged by every failed import."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from bot.cli import app

SAMPLES = Path(__file__).resolve().parent.parent / "data" / "samples"
SEED = SAMPLES / "ke-hoach-thi-dua-khen-thuong-2022.txt"
FIXTURES = Path(__file__).resolve().parent / "fixtures" / "plans"


@pytest.fixture
def nhacviec(db_url: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path):  # type: ignore[no-untyped-def]
    """Run ``nhacviec ARGS`` against the test database; returns the result."""
    monkeypatch.setenv("DATABASE_URL", db_url)
    monkeypatch.setenv("NHACVIEC_LANG", "vi")
    monkeypatch.setenv("NHACVIEC_ERROR_LOG", str(tmp_path / "error.log"))
    runner = CliRunner()

    def invoke(*args: str):  # type: ignore[no-untyped-def]
        return runner.invoke(app, list(args), catch_exceptions=False)

    return invoke


def _plan_json(nhacviec) -> dict:  # type: ignore[no-untyped-def,type-arg]
    result = nhacviec("plan", "show", "--json")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_it_imports_and_shows_the_json_contract(nhacviec) -> None:  # type: ignore[no-untyped-def]
    result = nhacviec("plan", "import", str(SEED))
    assert result.exit_code == 0, result.output
    assert "16 nhiệm vụ, 17 thời hạn, 7 đơn vị" in result.stdout
    document = _plan_json(nhacviec)
    assert set(document["plan"]) == {
        "id",
        "number",
        "title",
        "issuer",
        "year",
        "source",
        "version",
    }
    assert document["plan"]["version"] == 1
    task = document["sections"][3]["tasks"][1]
    assert set(task) == {
        "code",
        "number",
        "content",
        "product",
        "units",
        "deadline_text",
        "removed_in",
        "dues",
    }
    assert task["code"] == "BDT22-IV.2" and task["removed_in"] is None
    assert task["dues"] == [
        {"kind": "period", "due": "2023-01-31", "start": "2023-01-01", "rule": None}
    ]


def test_it_says_so_when_the_same_plan_is_imported_again(nhacviec) -> None:  # type: ignore[no-untyped-def]
    assert nhacviec("plan", "import", str(SEED)).exit_code == 0
    again = nhacviec("plan", "import", str(SEED))
    assert again.exit_code == 0
    assert "không thay đổi gì" in again.stdout


def test_it_writes_nothing_on_a_dry_run(nhacviec) -> None:  # type: ignore[no-untyped-def]
    result = nhacviec("plan", "import", str(SEED), "--dry-run")
    assert result.exit_code == 0
    assert "Chạy thử" in result.stdout
    assert "Chưa có kế hoạch nào" in nhacviec("plan", "list").stdout


def _big_file(tmp_path: Path) -> Path:
    path = tmp_path / "big.txt"
    path.write_bytes(b"Noi dung\tThoi gian\n" * (20 * 1024 * 1024 // 19 + 1))
    return path


@pytest.mark.parametrize(
    ("make", "phrase"),
    [
        (lambda tmp: FIXTURES / "missing_header.txt", "tiêu đề"),
        (lambda tmp: FIXTURES / "unknown_columns.txt", "cột"),
        (lambda tmp: FIXTURES / "binary_junk.bin", "văn bản"),
        (lambda tmp: FIXTURES / "empty.txt", "rỗng"),
        (_big_file, "quá lớn"),
        (lambda tmp: tmp / "does-not-exist.txt", "Không đọc được"),
    ],
    ids=["missing-header", "unknown-columns", "binary", "empty", "20MB", "missing-file"],
)
def test_it_refuses_a_bad_file_in_one_vietnamese_line(
    nhacviec, tmp_path: Path, make, phrase
) -> None:  # type: ignore[no-untyped-def]
    assert nhacviec("plan", "import", str(SEED)).exit_code == 0
    before = _plan_json(nhacviec)
    result = nhacviec("plan", "import", str(make(tmp_path)))
    assert result.exit_code == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("Lỗi: ")
    assert phrase in lines[0]
    assert "Traceback" not in result.output
    assert _plan_json(nhacviec) == before


def test_it_reports_an_unreachable_database_in_one_line(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DATABASE_URL", "postgresql+asyncpg://nobody@127.0.0.1:1/none")
    monkeypatch.setenv("NHACVIEC_LANG", "vi")
    result = CliRunner().invoke(app, ["plan", "list"], catch_exceptions=False)
    assert result.exit_code == 1
    assert result.stderr.startswith("Lỗi: Không kết nối được cơ sở dữ liệu")
    assert "Traceback" not in result.output


def test_it_speaks_english_when_the_user_setting_says_so(
    nhacviec, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("NHACVIEC_LANG", "en_US.UTF-8")
    result = nhacviec("plan", "list")
    assert result.exit_code == 0
    assert "No plans yet." in result.stdout


def test_it_checks_a_plan_for_what_a_person_must_fix(nhacviec) -> None:  # type: ignore[no-untyped-def]
    nhacviec("plan", "import", str(SEED))
    result = nhacviec("plan", "check")
    assert "BDT22-III.1" in result.stdout
    assert "Đơn vị chưa có cán bộ" in result.stdout
    assert nhacviec("officer", "import", str(SAMPLES / "officers.csv")).exit_code == 0
    after = nhacviec("plan", "check").stdout
    assert "Đơn vị chưa có cán bộ" not in after
    assert "Cán bộ chưa liên kết Telegram/Zalo" in after and "Trần Thị Mai" in after


def test_it_adds_units_and_officers_with_clear_errors(nhacviec) -> None:  # type: ignore[no-untyped-def]
    assert nhacviec("unit", "add", "Sở Tư pháp").exit_code == 0
    duplicate = nhacviec("unit", "add", "sở tư  pháp")
    assert duplicate.exit_code == 1 and "đã có" in duplicate.stderr
    ok = nhacviec("officer", "add", "Nguyễn Văn A", "--unit", "So Tu phap", "--role", "lãnh đạo")
    assert ok.exit_code == 0, ok.output
    assert "Nguyễn Văn A (Sở Tư pháp, leader)" in ok.stdout
    near = nhacviec("officer", "add", "Trần B", "--unit", "Sở Tư phám")
    assert near.exit_code == 1
    assert "Có phải: Sở Tư pháp" in near.stderr
    role = nhacviec("officer", "add", "Trần B", "--unit", "Sở Tư pháp", "--role", "boss")
    assert role.exit_code == 1 and "Vai trò" in role.stderr


def test_the_before_reading_follows_the_policy_setting(nhacviec, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    text = SEED.read_text("utf-8").replace("\tQuý I/2022\n", "\tTrước ngày 15/3/2022\n", 1)
    plan = tmp_path / "truoc-ngay.txt"
    plan.write_text(text, "utf-8")
    assert nhacviec("policy", "set", "before_is_previous_day", "không").exit_code == 0
    assert nhacviec("plan", "import", str(plan)).exit_code == 0
    task = _plan_json(nhacviec)["sections"][0]["tasks"][0]
    assert (task["deadline_text"], task["dues"][0]["due"]) == ("Trước ngày 15/3/2022", "2022-03-15")


def test_plan_show_prints_markup_in_user_data_literally(nhacviec, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    text = SEED.read_text("utf-8")
    text = text.replace(
        "Triển khai thực hiện công tác thi đua, khen thưởng năm 2022", "Kế hoạch [/]"
    )
    text = text.replace(
        "Phát động phong trào thi đua thực hiện thắng lợi nhiệm vụ công tác dân tộc năm 2022.",
        "[link=https://evil]x[/link] và [/]",
    )
    plan = tmp_path / "markup.txt"
    plan.write_text(text, "utf-8")
    assert nhacviec("plan", "import", str(plan)).exit_code == 0
    shown = nhacviec("plan", "show")
    assert shown.exit_code == 0, shown.output
    assert "Kế hoạch [/]" in shown.stdout
    assert "[link=https://evil]x[/link] và [/]" in shown.stdout
    dues = nhacviec("plan", "dues", "--from", "2022-01-01", "--days", "90")
    assert dues.exit_code == 0, dues.output
    assert "[link=https://evil]x[/link]" in dues.stdout


def test_plan_show_names_undated_deadlines_in_words(nhacviec, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    text = SEED.read_text("utf-8")
    text = text.replace("\tTrong năm 2022", "\tThường xuyên", 1)
    text = text.replace("\tQuý IV/2022", "\tSau khi có ý kiến của Bộ", 1)
    plan = tmp_path / "undated.txt"
    plan.write_text(text, "utf-8")
    assert nhacviec("plan", "import", str(plan)).exit_code == 0
    shown = nhacviec("plan", "show").stdout
    for words in ("khi có yêu cầu", "thường xuyên", "chưa đọc được thời hạn"):
        assert f"không tự nhắc: {words}" in " ".join(shown.split()), words
    assert "on_request" not in shown and "unparsed" not in shown


def test_plan_check_lists_the_dues_whose_year_was_guessed(nhacviec, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    text = SEED.read_text("utf-8").replace("\tQuý I/2022", "\tQuý I", 1)
    plan = tmp_path / "no-year.txt"
    plan.write_text(text, "utf-8")
    assert nhacviec("plan", "import", str(plan)).exit_code == 0
    shown = " ".join(nhacviec("plan", "check").stdout.split())
    assert "BDT22-I.1: thời hạn «Quý I» không ghi năm; đã lấy năm 2022 của kế hoạch" in shown
    assert shown.count("không ghi năm") == 1  # the seed's other dues name their year
