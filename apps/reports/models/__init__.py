from .rollups import DailyRollup, RollupState
from .runs import ReportKind, ReportRun, RunStatus
from .scheme import AssessmentScheme, ReportPolicy

__all__ = [
    "AssessmentScheme",
    "DailyRollup",
    "ReportKind",
    "ReportPolicy",
    "ReportRun",
    "RollupState",
    "RunStatus",
]
