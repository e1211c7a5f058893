"""What survives a check-up's close: shares per department, other department and question; texts only in numbers."""

from bot.domain.checkups import CUSTOMER, Share, aggregate, shown_obstacles


def test_shares_count_each_respondent_of_a_department_once_and_silence_as_no() -> None:
    responses = {"alice": ["it"], "bob": ["it"], "sam": ["sales"]}
    answers = {("alice", "sales"): ["success", "complaints"], ("sam", "it"): ["we_depend"]}

    shares = {
        (s.department, s.about, s.question): (s.share, s.respondents)
        for s in aggregate(["it", "sales"], responses, answers)
    }

    assert shares[("it", "sales", "success")] == (0.5, 2)
    assert shares[("it", "sales", "rely")] == (0.0, 2)
    assert shares[("it", "sales", "complaints")] == (0.5, 2)
    assert shares[("it", "sales", CUSTOMER)] == (0.5, 2)
    assert shares[("sales", "it", "we_depend")] == (1.0, 1)
    assert shares[("sales", "it", CUSTOMER)] == (0.0, 1)
    assert len(shares) == 2 * 8


def test_someone_in_two_departments_counts_in_both_and_is_not_asked_about_their_own() -> None:
    responses = {"pat": ["it", "hr"], "ann": ["hr"]}
    answers = {("pat", "sales"): ["supply"], ("ann", "it"): ["rely"]}

    shares = aggregate(["hr", "it", "sales"], responses, answers)

    assert Share("it", "sales", "supply", 1.0, 1) in shares
    assert Share("hr", "sales", "supply", 0.5, 2) in shares
    assert Share("hr", "it", "rely", 1.0, 1) in shares  # pat, in IT, is not asked about IT
    assert not [s for s in shares if s.department == "it" and s.about == "hr"]  # pat works in HR


def test_texts_are_kept_only_where_enough_people_wrote_sorted() -> None:
    written = {("it", "sales"): ["b", "a", "c"], ("sales", "it"): ["alone"]}

    assert shown_obstacles(written, 3) == {("it", "sales"): ["a", "b", "c"]}
