"""The hand-worked week's monthly workbook, every cell of every sheet against the values
worked out by hand (see ``conftest.week``): a to d, police and the other unit."""

from datetime import datetime, timedelta

import pytest
from django.utils import translation

from apps.reports.figures import FIGURES

from .conftest import DAY
from .conftest import local as local_time
from .test_runs import NOVEMBER, produced, sheet_rows

NA = "—"  # no value: a rate without a denominator, a change against nothing
BREAKDOWN = [
    "受理工单数",
    "办结数",
    "按时签收率",
    "按时办结率",
    "响应率",
    "解决率",
    "满意率",
    "回流数",
    "超期工单数",
    "督办通知数",
]
RANKING = [
    "排名",
    "单位",
    "行政区划",
    "受理工单数",
    "按时签收率",
    "按时办结率",
    "解决率",
    "满意率",
    "回流数",
    "督办通知数",
    "通报数",
    "综合得分",
]
TICKET = ["12345政务服务便民热线", "南通市", "市公安局"]  # source, region, unit


def cells(run, title):
    """The sheet's rows without the empty cells at their ends (a sheet is as wide as
    its widest table)."""
    rows = []
    for row in sheet_rows(run, title):
        while row and row[-1] is None:
            row.pop()
        rows.append(row)
    return rows


@pytest.fixture
def run(week, region, staff_user, django_capture_on_commit_callbacks):
    return produced(
        django_capture_on_commit_callbacks, period=NOVEMBER, region=region, requested_by=staff_user
    )


def test_overview(run):
    def counted(label, value):  # nothing in October 2026 or November 2025: 0, and no change
        return [label, value, 0, NA, 0, NA]

    def rate(label, value):  # no earlier period has a denominator
        return [label, value, NA, NA, NA, NA]

    assert cells(run, "总体情况") == [
        ["指标", "本期", "上期", "环比", "去年同期", "同比"],
        counted("受理工单数", 4),
        counted("其中涉密等敏感工单", 1),  # c
        counted("办结数", 3),  # a, b, c
        rate("按时签收率", 0.5),  # a and c of all four (b a minute late, d never)
        rate("按时到场率", NA),  # no ticket had to be on site
        rate("按时回复率", 0.5),  # a and c by completing in time; b completed late, d open
        rate("按时办结率", 0.5),  # a and c; b a minute late; d open
        rate("响应率", 0.5),  # signing on time
        rate("解决率", 0.75),  # 3 of 4
        rate("满意率", 0.95),  # (1 + 0.9) / 2 follow-ups
        counted("有效回访数", 2),  # a, b
        counted("回流数", 1),  # c, by the police
        rate("回流率", 0.25),
        counted("改派工单数", 1),  # c
        counted("超期工单数", 2),  # b, d
        counted("超期未办结", 1),  # d
        counted("督办通知数", 1),  # d's
        counted("已确认督办通知", 1),
        counted("通报数", 0),
        rate("综合得分", 74.5),  # 30 × 0.5 + 35 × 0.75 + 35 × 0.95
        [],
        ["按来源平台", *BREAKDOWN],
        ["12345政务服务便民热线", 4, 3, 0.5, 0.5, 0.5, 0.75, 0.95, 1, 2, 1],
        [],
        ["按紧急程度", *BREAKDOWN],
        ["一般", 4, 3, 0.5, 0.5, 0.5, 0.75, 0.95, 1, 2, 1],
    ]


def test_unit_ranking(run):
    rows = cells(run, "单位排名")
    assert rows[0] == RANKING
    # The other unit: c, signed and completed on time, not rated: (30 + 35) / 65 × 100.
    assert rows[1] == [1, "市城管局", "南通市", 1, 1, 1, 1, NA, 0, 0, 0, 100]
    # The police: a, b, d; response 1/3, resolution 2/3, satisfaction 0.95:
    # 30 × 1/3 + 35 × 2/3 + 35 × 0.95 = 66.583…; c's return counts against it.
    police = rows[2]
    assert police[:3] == [2, "市公安局", "南通市"]
    assert police[3:] == pytest.approx([3, 1 / 3, 1 / 3, 2 / 3, 0.95, 1, 1, 0, 66.58333333])
    assert len(rows) == 3  # no unit apart: both had tickets


def test_overdue_and_circular_list(run, week):
    b, d = week["b"], week["d"]
    rows = cells(run, "超期督办与通报")
    assert rows[0] == [
        "工单",
        "来源",
        "行政区划",
        "单位",
        "受理时间",
        "签收时限",
        "签收时间",
        "到达现场时限",
        "到达现场时间",
        "反馈时限",
        "反馈时间",
        "办结时限",
        "办结时间",
        "超时（小时）",
        "督办通知",
        "通报数",
    ]
    local = {
        "received": datetime(2026, 11, 10, 10, 0),
        "sign_by": datetime(2026, 11, 10, 12, 0),  # two hours
        "signed": datetime(2026, 11, 10, 12, 1),  # a minute late
        "reply_by": datetime(2026, 11, 12, 17, 30),  # two working days
        "complete_by": datetime(2026, 11, 17, 17, 30),
        "completed": datetime(2026, 11, 17, 17, 31),  # a minute late
    }
    assert rows[1] == [
        b.external_id,
        *TICKET,
        local["received"],
        local["sign_by"],
        local["signed"],
        None,
        None,
        local["reply_by"],
        None,
        local["complete_by"],
        local["completed"],
        120,  # the reply, reached only by completing, five days after its deadline
        0,  # no notice; not circulated (the last cell is empty)
    ]
    assert rows[2][:13] == [
        d.external_id,
        *TICKET,
        datetime(2026, 11, 11, 0, 10),
        datetime(2026, 11, 11, 2, 10),
        None,
        None,
        None,
        datetime(2026, 11, 13, 17, 30),
        None,
        datetime(2026, 11, 18, 17, 30),
        None,
    ]
    # d is still open: late from its signing deadline to when the report was made.
    sign_by = local_time(DAY + timedelta(days=1), 2, 10)
    hours = [
        round((t - sign_by).total_seconds() / 3600, 1) for t in (run.started_at, run.finished_at)
    ]
    assert hours[0] <= rows[2][13] <= hours[1]
    assert rows[2][14:] == [1]  # its one supervision notice; not circulated
    assert len(rows) == 3


def test_daily_trend(run):
    rows = cells(run, "每日走势")
    assert rows[0] == ["日期", "受理工单数", "办结数"]
    expected = {10: [3, 3], 11: [1, 0]}  # a, b, c (23:50) on the 10th; d (00:10) the 11th
    assert rows[1:] == [
        [datetime(2026, 11, day), *expected.get(day, [0, 0])] for day in range(1, 31)
    ]


def test_matters_disputes_and_changes(run):
    assert cells(run, "事项分布") == [
        ["类别", "方向", "工单", "占比"],
        ["未匹配清单事项", None, 4, 1],  # none of the four matched a list item
        [],
        ["前20位高频事项"],
        ["事项编码", "类别", "事项内容", "方向", "工单", "占比"],
        [NA, None, None, None, 4, 1],
        [],
        ["上升最快事项（民意热点）：工单数不少于10"],  # none has ten tickets
        ["事项编码", "类别", "事项内容", "工单", "上期", "环比", "去年同期", "同比"],
    ]
    assert cells(run, "管辖争议与联席会议") == [
        ["事项", "编号", "标题", "状态", "单位", "日期"],
        ["新提出争议", 0],
        ["已议定争议", 0],
        ["已落实争议", 0],
        ["尚未议定争议", 0],
    ]
    assert cells(run, "清单与联络员变更") == [
        ["事项", "行政区划", "版本 / 单位", "新增", "修改", "删除", "发布时间"]
    ]


def test_definitions_print_every_figure_in_order(run):
    rows = cells(run, "说明")
    assert rows[0] == ["指标", "分子", "分母", "不计入"]
    assert rows[1][0] == "报表" and rows[2] == ["统计期", "2026-11-01 – 2026-11-30"]
    with translation.override("zh-hans"):
        expected = [
            [str(f.label), str(f.numerator), str(f.denominator) or NA, str(f.excluded) or NA]
            for f in FIGURES
        ]
    assert rows[rows.index([]) + 1 :] == expected
