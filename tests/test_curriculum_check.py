"""`flask curriculum check`: every problem with its file and line."""

from app.curriculum.modules import load_catalogue
from tests.curriculum_factory import write_module


def _messages(root):
    return [p.format(root) for p in load_catalogue(root).problems]


def test_valid_modules_have_no_problem(curriculum_dir):
    catalogue = load_catalogue(curriculum_dir)
    assert catalogue.problems == []
    assert [m.slug for m in catalogue.modules] == ["recruiters", "online"]


def test_schema_errors_are_reported_with_file_and_line(curriculum_dir):
    path = curriculum_dir / "recruiters" / "en.md"
    text = path.read_text()
    text = text.replace("duration_minutes: 60", "duration_minutes: lots")
    text = text.replace("grades: [sec2, sec3]", "grades: [grade8]")
    text = text.replace("order: 1", "order: 1\ncolour: purple")
    path.write_text(text)
    messages = _messages(curriculum_dir)
    grades = "'grades': a list of grades among sec1, sec2, sec3, sec4, sec5"
    assert f"curriculum/recruiters/en.md:4: {grades}" in messages
    duration = "'duration_minutes': a whole number of minutes between 30 and 150"
    assert f"curriculum/recruiters/en.md:5: {duration}" in messages
    assert "curriculum/recruiters/en.md:13: unknown key 'colour'" in messages
    catalogue = load_catalogue(curriculum_dir)
    assert [m.slug for m in catalogue.modules] == ["online"], "an invalid module is not served"


def test_missing_key_and_bad_yaml(curriculum_dir):
    fr = curriculum_dir / "recruiters" / "fr.md"
    fr.write_text(fr.read_text().replace('summary: "Un résumé du module 1."\n', ""))
    guide = curriculum_dir / "online" / "guide.en.md"
    guide.write_text('---\ntitle: "Guide: [unclosed\nversion: "1.0"\n---\nText\n')
    messages = _messages(curriculum_dir)
    assert "curriculum/recruiters/fr.md:1: missing key 'summary' in the front matter" in messages
    assert any(
        m.startswith("curriculum/online/guide.en.md:") and "invalid YAML" in m for m in messages
    )


def test_missing_translation_is_an_error(curriculum_dir):
    (curriculum_dir / "online" / "en.md").unlink()
    (curriculum_dir / "online" / "notes.fr.md").unlink()
    messages = _messages(curriculum_dir)
    assert "curriculum/online/en.md:1: missing file: every module needs en.md" in messages
    assert (
        "curriculum/online/notes.fr.md:1: missing file: every module needs notes.fr.md" in messages
    )


def test_a_lagging_translation_is_an_error(tmp_path):
    root = tmp_path / "curriculum"
    write_module(root, "solo", version="1.1", versions={"en.md": "1.0", "guide.fr.md": "1.0"})
    messages = _messages(root)
    lag = "version 1.0 lags behind 1.1: update this file (or its translation) and its version"
    assert f"curriculum/solo/en.md:10: {lag}" in messages
    assert f"curriculum/solo/guide.fr.md:3: {lag}" in messages
    assert len(messages) == 2


def test_shared_keys_must_agree_between_languages(curriculum_dir):
    en = curriculum_dir / "online" / "en.md"
    en.write_text(en.read_text().replace("duration_minutes: 60", "duration_minutes: 75"))
    assert "curriculum/online/en.md:5: 'duration_minutes' differs from fr.md (60)" in _messages(
        curriculum_dir
    )


def test_links_images_and_phone_numbers_are_checked(curriculum_dir):
    fr = curriculum_dir / "recruiters" / "fr.md"
    fr.write_text(
        fr.read_text()
        + "\nVoir [ailleurs](module:nowhere), [là](../online/fr.md) et ![carte](images/map.png).\n"
        + "Appelle au 1 800 263-2266.\n"
    )
    messages = _messages(curriculum_dir)
    last = len(fr.read_text().split("\n"))
    assert f"curriculum/recruiters/fr.md:{last - 2}: link to unknown module 'nowhere'" in messages
    assert any("link '../online/fr.md'" in m for m in messages)
    assert f"curriculum/recruiters/fr.md:{last - 2}: image 'images/map.png' not found" in messages
    assert any(
        m.startswith(f"curriculum/recruiters/fr.md:{last - 1}: a phone number") for m in messages
    )
    (curriculum_dir / "recruiters" / "images").mkdir()
    (curriculum_dir / "recruiters" / "images" / "map.png").write_bytes(b"\x89PNG")
    assert not any("map.png" in m for m in _messages(curriculum_dir))


def test_reserved_and_badly_named_folders(curriculum_dir):
    write_module(curriculum_dir, "pack", n=3)
    write_module(curriculum_dir, "Bad_Name", n=4)
    messages = _messages(curriculum_dir)
    assert any(m.startswith("curriculum/pack:1: folder name") for m in messages)
    assert any(m.startswith("curriculum/Bad_Name:1: folder name") for m in messages)


def test_duplicate_order(curriculum_dir):
    write_module(curriculum_dir, "again", n=1)
    assert any("order 1 already used by" in m for m in _messages(curriculum_dir))


def test_check_command_exit_codes(make_app, curriculum_dir):
    runner = make_app(CURRICULUM_PATH=str(curriculum_dir)).test_cli_runner()
    result = runner.invoke(args=["curriculum", "check"])
    assert result.exit_code == 0 and "2 modules, no problem." in result.output
    (curriculum_dir / "online" / "en.md").unlink()
    runner = make_app(CURRICULUM_PATH=str(curriculum_dir)).test_cli_runner()
    result = runner.invoke(args=["curriculum", "check"])
    assert result.exit_code != 0
    assert "curriculum/online/en.md:1: missing file" in result.output


def test_the_programs_own_modules_pass_the_check(project_root):
    catalogue = load_catalogue(project_root / "curriculum")
    assert [p.format() for p in catalogue.problems] == []
    assert len(catalogue.modules) >= 6
