from .rollups import DailyRollup, RollupState
from .runs import ReportKind, ReportRun, RunStatus
from .scheme import AssessmentScheme, OnTimeRule, ReportPolicy

__all__ = [
    "AssessmentScheme",
    "DailyRollup",
    "OnTimeRule",
    "ReportKind",
    "ReportPolicy",
    "ReportRun",
    "RollupState",
    "RunStatus",
]
