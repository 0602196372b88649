from .disputes import (
    DISPUTE_SERIES,
    DisputeEvent,
    DisputeEvidence,
    DisputeOrigin,
    DisputeParty,
    DisputePolicy,
    DisputeProposal,
    JurisdictionDispute,
    Position,
    ProposalStatus,
)

__all__ = [
    "DISPUTE_SERIES",
    "DisputeEvent",
    "DisputeEvidence",
    "DisputeOrigin",
    "DisputeParty",
    "DisputePolicy",
    "DisputeProposal",
    "JurisdictionDispute",
    "Position",
    "ProposalStatus",
]
