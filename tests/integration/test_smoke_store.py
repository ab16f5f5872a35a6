from tests import builders


def test_a_request_is_stored_and_read_back(registry):
    recorded = builders.request(registry)
    again = registry.get(recorded.secondment.id)
    assert again.state == "requested"
    assert again.official.full_name == "Đào Duy Hưng"
    assert recorded.position >= 1
