from models.service import summary


def test_sample_summary_shows_four_outstanding_and_six_signed_off(sample, clock):
    with sample.read() as session:
        s = summary(session, today=clock.today())
    assert [r.number for r in s.outstanding] == [2, 4, 6, 9]
    assert [r.number for r in s.signed_off] == [1, 3, 5, 7, 8, 10]
