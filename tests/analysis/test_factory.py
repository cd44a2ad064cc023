from tests.analysis.factory import make_data, municipality


def test_factory_builds_a_consistent_mapping() -> None:
    data = make_data(
        [municipality("3043", "Ål", 4648), municipality("3044", "Hol", 4434)],
        [
            {"ref": "A", "name": "A", "members": ["3043", "3044", "3419"], "host": "3043"},
            {"ref": "B", "name": "B", "members": ["3043"], "status": "avsluttet"},
        ],
        outside=[municipality("3419", "Våler", 3700, "34", "Innlandet")],
    )
    assert list(data.counted()["ref"]) == ["A"]
    assert list(data.counted_memberships()["in_scope"]) == [True, True, False]
    assert data.arrangements.loc[0, "host_entity"] == "E3043"
    assert data.municipalities.loc[0, "size_class"] == "< 5 000"
