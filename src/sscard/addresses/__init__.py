"""Addresses core: Zhongshan's 23 towns and streets (镇街) and door-level precision. Pure Python."""

from sscard.addresses.precision import AddressCheck, check_address_detail
from sscard.addresses.towns import TOWNS, Town, town_by_code

__all__ = ["TOWNS", "AddressCheck", "Town", "check_address_detail", "town_by_code"]
