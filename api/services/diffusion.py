"""Diffusion pillar: its indicators and observations."""

from api.models.base import Pillar
from api.services.indicators import pillar_indicators, pillar_observations

DIFFUSION_INDICATORS = pillar_indicators(Pillar.diffusion)
DIFFUSION_OBSERVATIONS = pillar_observations(Pillar.diffusion)
