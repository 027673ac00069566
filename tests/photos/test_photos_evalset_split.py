"""The evaluation set is split by base photo (issue #12): no person of the held-out part is seen in
training, so the held-out figures in bench/photo_eval.py are figures on unseen people."""

from __future__ import annotations

from tests.support import photo_evalset as evalset


def test_every_base_photo_is_in_exactly_one_part():
    names = (*evalset.COMPLIANT_SOURCES, *evalset.HEAD_CUT_SOURCES, *evalset.NEGATIVE_SOURCES)
    for name in names:
        assert evalset.in_part(name, "train") != evalset.in_part(name, "heldout"), name
    held = [n for n in evalset.COMPLIANT_SOURCES if evalset.in_part(n, "heldout")]
    train = [n for n in evalset.COMPLIANT_SOURCES if evalset.in_part(n, "train")]
    # both parts have compliant people (no intrinsic accessory) to be refused wrongly
    assert [n for n in held if n not in evalset.INTRINSIC_CODES]
    assert [n for n in train if n not in evalset.INTRINSIC_CODES]


def test_card_surfaces_and_lights_of_the_held_out_part_are_not_in_training():
    assert not set(evalset.CARD_TABLES["train"]) & set(evalset.CARD_TABLES["heldout"])
    assert not set(evalset.CARD_LIGHTS["train"]) & set(evalset.CARD_LIGHTS["heldout"])


def test_held_out_portraits_come_from_held_out_people_only(photos_dir):
    cases = evalset.portrait_cases(n_per_code=1, n_compliant=4, seed=3, part="heldout")
    train_people = [n for n in evalset.COMPLIANT_SOURCES + evalset.HEAD_CUT_SOURCES + evalset.NEGATIVE_SOURCES
                    if evalset.in_part(n, "train")]
    leaked = [c.name for c in cases if any(n in c.name for n in train_people)]
    assert cases and not leaked, leaked


def test_light_from_one_side_shades_the_person_not_the_wall(photos_dir):
    """The compliant "uneven light" look darkens one side of the face only: a shaded wall is a
    background defect, so a compliant case must not have one (round six)."""
    import numpy as np

    src = evalset.source("biden_official.jpg")
    fr = evalset._fit(src, evalset.Framing(out_width=800))
    img = evalset.crop(evalset.composite(src, np.random.default_rng(1)), src, fr)
    lm = evalset._landmarks_in_crop(src, fr, img)
    person = evalset.person_in_crop(src, fr)
    lit = evalset.uneven_light(img, lm, np.random.default_rng(2), person=person)
    wall = person < 0.02
    face = np.zeros_like(wall)
    y = int(lm[1, 1])
    face[y - 10:y + 10, int(lm[234, 0]):int(lm[454, 0])] = True
    assert np.abs(lit - img)[wall].max() < 1.0
    assert np.abs(lit - img)[face].mean() > 3.0
