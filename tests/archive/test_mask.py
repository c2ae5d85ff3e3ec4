"""gbcodes.mask_id_numbers_in: identity numbers inside other text."""

from safetrain.archive.reading.gbcodes import mask_id_numbers_in


def test_masks_the_holders_number_and_any_valid_one():
    assert mask_id_numbers_in("T640104198505120013") == "T640104********0013"
    assert mask_id_numbers_in("A11010519491231002X-2") == "A110105********002X-2"
    assert mask_id_numbers_in("X-640104199003", known="640104199003") == "X-640104**9003"  # an old or bad one too
    assert mask_id_numbers_in("X-6401", known="6401") == "X-6401"  # too short to mean anything
    assert mask_id_numbers_in("N0640104198505120013", known="640104198505120013") == "N0640104********0013"


def test_masks_whatever_is_shaped_like_one_valid_or_not():
    assert mask_id_numbers_in("T123456789012345678") == "T123456********5678"  # fails the check character
    assert mask_id_numbers_in("T64010419900307001x") == "T640104********001x"
    assert mask_id_numbers_in("旧证 640104900307001 号") == "旧证 640104*****7001 号"  # a first-generation (15-digit) card
    assert mask_id_numbers_in("T6401041990030700X1", known="6401041990030700X1") == "T640104********00X1"  # typo: known


def test_leaves_other_numbers_alone():
    assert mask_id_numbers_in("96401041985051200131") == "96401041985051200131"  # part of a longer number
    assert mask_id_numbers_in("2024-06-30 共 12345678901234 人") == "2024-06-30 共 12345678901234 人"  # 14 digits
    assert mask_id_numbers_in("") == ""
