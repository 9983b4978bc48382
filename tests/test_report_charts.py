"""The report's charts: phone-wide PNGs that draw every state, Vietnamese labels with
every diacritic, the same bytes for the same report, and many units kept readable."""

from __future__ import annotations

import dataclasses
import io
import warnings
from datetime import date

import pytest
from PIL import Image

from bot.reports import charts
from bot.reports.charts import MAX_UNITS, STYLE, drawn_units, progress_chart_png, unit_chart_png
from data.report_model import (
    DONE_LATE,
    DONE_ON_TIME,
    IN_PROGRESS_LATE,
    IN_PROGRESS_ON_TIME,
    NOT_STARTED,
    MonthFigures,
    PlanReport,
    StateCounts,
    UnitFigures,
)
from tests.report_fixture import sample_report

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
VIETNAMESE = "Đơn vị Phòng Chính sách Dân tộc – ưởng ộ ữ"


def _image(png: bytes) -> Image.Image:
    assert png.startswith(PNG_SIGNATURE)
    image = Image.open(io.BytesIO(png))
    image.load()
    return image


def _colours(image: Image.Image) -> set[str]:
    """The colours of the image's pixels, as ``#rrggbb``."""
    found = image.convert("RGB").getcolors(maxcolors=1 << 20) or []
    return {"#{:02x}{:02x}{:02x}".format(*rgb) for _, rgb in found}


def _inked(image: Image.Image) -> float:
    """The share of pixels that are not white."""
    grey = image.convert("L")
    histogram = grey.histogram()
    return 1 - histogram[255] / sum(histogram)


def _with_units(count: int, tasks: int = 3) -> PlanReport:
    units = tuple(
        UnitFigures(
            f"UBND huyện Đắk Glei số {i}",
            StateCounts({DONE_ON_TIME: 1, IN_PROGRESS_LATE: tasks - 1}),
        )
        for i in range(count)
    )
    return dataclasses.replace(sample_report(), by_unit=units)


def test_unit_chart_is_a_phone_wide_png_with_a_bar_segment_per_state() -> None:
    image = _image(unit_chart_png(sample_report()))

    assert image.width == 1080
    assert 300 < image.height < image.width
    assert _inked(image) > 0.1
    colours = _colours(image)
    for state in (DONE_ON_TIME, DONE_LATE, IN_PROGRESS_ON_TIME, IN_PROGRESS_LATE, NOT_STARTED):
        assert STYLE[state][0] in colours, state


def test_progress_chart_draws_the_months_on_time_and_late_and_the_running_total() -> None:
    image = _image(progress_chart_png(sample_report()))

    assert image.width == 1080
    assert _inked(image) > 0.05
    colours = _colours(image)
    assert {STYLE[DONE_ON_TIME][0], STYLE[DONE_LATE][0], charts.LINE_COLOUR} <= colours


@pytest.mark.parametrize("chart", [unit_chart_png, progress_chart_png])
def test_vietnamese_labels_draw_without_a_missing_glyph(chart: object) -> None:
    report = dataclasses.replace(
        sample_report(),
        plan_title=VIETNAMESE,
        by_unit=(UnitFigures(VIETNAMESE, StateCounts({NOT_STARTED: 2})),),
    )
    with warnings.catch_warnings():
        warnings.filterwarnings("error", message="Glyph .* missing from font")
        _image(chart(report))  # type: ignore[operator]


def test_a_font_without_vietnamese_letters_is_caught(monkeypatch: pytest.MonkeyPatch) -> None:
    """The glyph check above can fail: a font without "ộ" makes matplotlib warn."""
    monkeypatch.setattr(charts, "_REGULAR", charts._FONT_DIR / "cmr10.ttf")
    report = dataclasses.replace(
        sample_report(), by_unit=(UnitFigures(VIETNAMESE, StateCounts({NOT_STARTED: 2})),)
    )
    with warnings.catch_warnings():
        warnings.filterwarnings("error", message="Glyph .* missing from font")
        with pytest.raises(UserWarning, match="missing from font"):
            unit_chart_png(report)


def test_the_same_report_gives_the_same_bytes_and_no_software_or_date_in_them() -> None:
    report = sample_report()

    assert unit_chart_png(report) == unit_chart_png(report)
    assert progress_chart_png(report) == progress_chart_png(report)
    info = _image(unit_chart_png(report)).info
    assert not {"Software", "Creation Time", "date:create"} & set(info)


def test_the_chart_grows_with_the_units_and_stops_at_the_cap() -> None:
    heights = {n: _image(unit_chart_png(_with_units(n))).height for n in (2, 12, 40)}

    assert heights[2] < heights[12] < heights[40] <= 2100
    assert _image(unit_chart_png(_with_units(40))).width == 1080


def test_past_the_cap_the_smallest_units_are_summed_in_a_note_and_the_rest_keep_their_order() -> (
    None
):
    big = [
        UnitFigures(f"Đơn vị lớn {i}", StateCounts({DONE_ON_TIME: 2, NOT_STARTED: 3}))
        for i in range(MAX_UNITS)
    ]
    small = [UnitFigures(f"Đơn vị nhỏ {i}", StateCounts({DONE_LATE: 1})) for i in range(15)]
    units = [u for pair in zip(big, small, strict=False) for u in pair] + big[len(small) :]

    drawn, note = drawn_units(units)

    assert [name for name, _ in drawn] == [u.unit for u in big]
    assert note == (
        "Biểu đồ không thể hiện 15 đơn vị có ít nhiệm vụ nhất (tổng 15 nhiệm vụ, "
        "hoàn thành 100,0%); số liệu đầy đủ xem tại bảng kèm theo."
    )


def test_long_unit_names_are_wrapped_to_two_lines() -> None:
    drawn, note = drawn_units(
        [UnitFigures("Ban Quản lý các khu công nghiệp tỉnh Kon Tum và các huyện", StateCounts())]
    )

    assert note == ""
    assert drawn[0][0] == "Ban Quản lý các khu công\nnghiệp tỉnh Kon Tum và…"


def test_a_report_without_units_or_months_still_gives_a_chart() -> None:
    empty = dataclasses.replace(sample_report(), by_unit=(), by_month=())

    assert _image(unit_chart_png(empty)).width == 1080
    assert _image(progress_chart_png(empty)).width == 1080


def test_months_without_completions_draw_a_flat_total() -> None:
    idle = dataclasses.replace(sample_report(), by_month=(MonthFigures(date(2022, 1, 1), 0, 0),))

    assert _image(progress_chart_png(idle)).width == 1080
