"""Pydantic models of the three file types: the manifest, a region profile and a module."""

from trainkit.schemas.manifest import Edition, Manifest, ModuleEntry, OutputDefaults, Part
from trainkit.schemas.module import LearningObjective, LegalReference, ModuleMeta, Status
from trainkit.schemas.region import ModuleAddition, RegionProfile

__all__ = [
    "Edition", "LearningObjective", "LegalReference", "Manifest", "ModuleAddition", "ModuleEntry", "ModuleMeta",
    "OutputDefaults", "Part", "RegionProfile", "Status",
]
