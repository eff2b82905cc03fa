"""The questionnaire's statements live in the curriculum folder, in both
languages, and `flask curriculum check` reports what is wrong with them, with
file and line, like the rest of the curriculum."""

from app.evaluation.questions import load_questions
from tests.curriculum_factory import write_statements


def _messages(root):
    return [p.format(root) for p in load_questions(root).problems]


def test_the_programs_own_modules_each_have_four_to_six_statements(project_root):
    root = project_root / "curriculum"
    questions = load_questions(root)
    assert [p.format() for p in questions.problems] == []
    modules = sorted(p.parent.name for p in root.glob("*/fr.md"))
    assert sorted(questions.statements) == modules and len(modules) >= 6
    for slug, statements in questions.statements.items():
        assert 4 <= len(statements) <= 6, slug
        answers = [s.answer for s in statements]
        assert True in answers and False in answers, f"{slug}: both answers are asked"
        for statement in statements:
            assert statement.text["fr"] != statement.text["en"]
            assert statement.explanation["fr"] and statement.explanation["en"]
    keys = [item.key for item in questions.confidence]
    assert keys == ["get-help", "recognise-recruiter"]
    assert questions.confidence[0].text["fr"] == "Je sais où trouver de l’aide."
    assert len(questions.scale["fr"]) == len(questions.scale["en"]) == 4


def test_the_check_command_counts_the_questionnaires(make_app):
    result = make_app().test_cli_runner().invoke(args=["curriculum", "check"])
    assert result.exit_code == 0, result.output
    assert "6 questionnaires, no problem." in result.output


def test_a_missing_translation_is_reported_and_fails_the_check(make_app, curriculum_dir):
    (curriculum_dir / "online" / "evaluation.en.yaml").unlink()
    runner = make_app(CURRICULUM_PATH=str(curriculum_dir)).test_cli_runner()
    result = runner.invoke(args=["curriculum", "check"])
    assert result.exit_code != 0
    assert (
        "curriculum/online/evaluation.en.yaml:1: missing file: every module needs "
        "evaluation.en.yaml" in result.output
    )
    assert "online" not in load_questions(curriculum_dir).statements


def test_too_few_statements_and_answers_that_differ_between_languages(curriculum_dir):
    write_statements(curriculum_dir / "recruiters", count=3)
    en = curriculum_dir / "online" / "evaluation.en.yaml"
    en.write_text(en.read_text().replace("answer: true", "answer: false", 1))
    messages = _messages(curriculum_dir)
    assert "curriculum/recruiters/evaluation.fr.yaml:1: 'statements': a list of 4 to 6 items" in (
        messages
    )
    assert (
        "curriculum/online/evaluation.en.yaml:1: the items' 'answer' differ from the French "
        "file's" in messages
    )
    assert load_questions(curriculum_dir).statements == {}


def test_each_field_is_checked_with_its_line(curriculum_dir):
    fr = curriculum_dir / "recruiters" / "evaluation.fr.yaml"
    text = fr.read_text()
    text = text.replace("key: s2", "key: Deux Mots", 1)
    text = text.replace("answer: true", "answer: oui", 1)
    text = text.replace('text: "Énoncé vrai 1-3"', 'text: "Appelle au 514 555-1234"', 1)
    fr.write_text(text)
    messages = _messages(curriculum_dir)
    assert "curriculum/recruiters/evaluation.fr.yaml:3: 'answer': true or false" in messages
    assert any(
        m.startswith("curriculum/recruiters/evaluation.fr.yaml:6: 'key': a slug") for m in messages
    )
    assert any(
        m.startswith("curriculum/recruiters/evaluation.fr.yaml:10:") and "phone number" in m
        for m in messages
    )


def test_the_confidence_statements_and_their_scale_are_checked(curriculum_dir):
    en, fr = curriculum_dir / "evaluation.en.yaml", curriculum_dir / "evaluation.fr.yaml"
    en.write_text(en.read_text().replace(', "Strongly agree"', ""))
    assert "curriculum/evaluation.en.yaml:1: 'scale': a list of 4 labels, disagree to agree" in (
        _messages(curriculum_dir)
    )
    fr.write_text(fr.read_text().replace("get-help", "aide"))
    assert "curriculum/evaluation.en.yaml:1: the items' 'key' differ from the French file's" in (
        _messages(curriculum_dir)
    )
    fr.unlink()
    assert (
        "curriculum/evaluation.fr.yaml:1: missing file: the curriculum folder (its confidence "
        "statements) needs evaluation.fr.yaml" in _messages(curriculum_dir)
    )
    assert load_questions(curriculum_dir).confidence == ()
