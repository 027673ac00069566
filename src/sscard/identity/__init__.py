"""Identity core: ID numbers, names and masking. Pure Python, no Django."""

from sscard.identity.idnumber import DocumentType, IdCheck, Problem, check_id_number
from sscard.identity.masking import mask_id_number, mask_name, mask_phone
from sscard.identity.names import NameCheck, check_name

__all__ = [
    "DocumentType",
    "IdCheck",
    "NameCheck",
    "Problem",
    "check_id_number",
    "check_name",
    "mask_id_number",
    "mask_name",
    "mask_phone",
]
