"""Fixed ids shared by the table, the engine, the conversation and the evaluation.

Mirrors ``shared/spec/contract.md``; none of these may be renamed or dropped.
"""

from __future__ import annotations

from enum import Enum
from typing import Tuple


class TriageLevel(str, Enum):
    """Triage levels, declared most to least urgent."""

    EMERGENCY_AMBULANCE = "emergency_ambulance"
    EMERGENCY = "emergency"
    URGENT = "urgent"
    CONSULTATION = "consultation"
    SELF_CARE = "self_care"

    @property
    def urgency(self) -> int:
        """Higher is more urgent (self_care 0 ... emergency_ambulance 4)."""
        return len(LEVELS) - 1 - LEVELS.index(self)

    def at_least(self, other: TriageLevel) -> TriageLevel:
        """The more urgent of the two levels."""
        return self if self.urgency >= other.urgency else other


LEVELS: Tuple[TriageLevel, ...] = tuple(TriageLevel)

CAUSE_IDS: Tuple[str, ...] = (
    "positional_compression",
    "herniated_disc",
    "sciatica",
    "spinal_stenosis",
    "cauda_equina_syndrome",
    "spinal_cord_compression",
    "spinal_injury",
    "peripheral_artery_disease",
    "acute_limb_ischemia",
    "deep_vein_thrombosis",
    "raynauds",
    "diabetic_neuropathy",
    "b12_deficiency",
    "other_vitamin_imbalance",
    "alcoholic_neuropathy",
    "multiple_sclerosis",
    "guillain_barre_syndrome",
    "autoimmune_neuropathy",
    "stroke_tia",
    "infectious_neuropathy",
    "tarsal_tunnel_syndrome",
)

# Yes / no / not-sure findings named by the contract.
CONTRACT_FINDINGS: Tuple[str, ...] = (
    "back_pain",
    "leg_weakness",
    "bladder_bowel_problems",
    "saddle_numbness",
    "face_arm_speech_vision",
    "after_trauma",
    "cold_pale_or_blue_leg",
    "leg_swelling_warmth",
    "ascending_spread",
    "breathing_or_swallowing_difficulty",
    "fever",
    "rash",
    "diabetes",
    "heavy_alcohol",
    "vegan_or_b12_risk",
    "smoker",
    "cancer_history",
    "recent_infection",
)

# Findings the project adds (the contract allows more).
EXTRA_FINDINGS: Tuple[str, ...] = (
    "chest_pain",  # with leg swelling: pulmonary embolism; alone: off-topic emergency
    "trunk_numbness_level",  # numbness rising to a level on the belly or chest
    "position_related",  # follows pressure or posture: crossed legs, kneeling, tight shoes
    "worse_walking_better_rest",  # claudication or neurogenic claudication
    "cold_triggers_colour_change",  # toes go white/blue/red in the cold or with stress
    "autoimmune_disease",  # lupus, rheumatoid arthritis
    "vision_or_balance_episodes",  # past episodes of blurred vision or balance trouble (MS)
    "severe_leg_pain",
    "known_infection",  # a long-term infection: HIV, hepatitis, Lyme disease (infectious neuropathy)
)

FINDINGS: Tuple[str, ...] = CONTRACT_FINDINGS + EXTRA_FINDINGS

# Free-text or categorical descriptors and their allowed values (None: free text).
DESCRIPTORS = {
    "location": None,
    "side": ("left", "right", "both"),
    "onset": ("sudden", "gradual"),
    "duration": None,
    "progression": ("worsening", "stable", "improving", "comes_and_goes"),
    "pattern": None,
    "age": None,
    "sex": ("male", "female"),
}

# Location patterns the engine derives from the free-text location (see location.py).
LOCATION_PATTERNS: Tuple[str, ...] = (
    "stocking",  # both feet rising like a stocking: polyneuropathy
    "radicular",  # one leg along a nerve root's path from the back
    "tarsal",  # sole and ankle of one foot
    "hemibody",  # one whole side of the body
    "patchy",  # patchy or changing areas
    "toes_only",  # toes only
    "whole_leg",  # a whole leg
    "unclassified",
)
