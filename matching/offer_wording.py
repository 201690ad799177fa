"""Offer codes as people read them (untranslated ids; templates call ``_()``)."""

from __future__ import annotations

from matching.offers import DeclineReason, FollowUp, OfferStatus
from sra.i18n import lazy

OFFER_STATUS: dict[OfferStatus, str] = {
    OfferStatus.SENT: lazy("Waiting for an answer"),
    OfferStatus.ACCEPTED: lazy("Accepted"),
    OfferStatus.DECLINED: lazy("Declined"),
    OfferStatus.EXPIRED: lazy("Expired"),
    OfferStatus.WITHDRAWN: lazy("Withdrawn"),
}
DECLINE_REASONS: dict[DeclineReason, str] = {
    DeclineReason.LOCATION: lazy("The place is too far from work, school or family"),
    DeclineReason.SIZE: lazy("The home is too small or too large for us"),
    DeclineReason.ACCESS: lazy("The home does not meet our access needs"),
    DeclineReason.COST: lazy("The rent and charges are too high for us"),
    DeclineReason.CONDITION: lazy("The state of the home"),
    DeclineReason.FOUND_HOME: lazy("We have found another home"),
    DeclineReason.PERSONAL: lazy("Our situation has changed"),
    DeclineReason.OTHER: lazy("Another reason"),
}
FOLLOW_UP: dict[FollowUp, str] = {
    FollowUp.NEXT_HOUSEHOLD: lazy("Offered to the next household"),
    FollowUp.NEXT_ROUND: lazy("Left for the next round"),
}
