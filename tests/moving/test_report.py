from moving.report import Report


def test_report_lists_counts_then_the_items_under_each(tmp_path):
    report = Report("Importing pages", dry_run=True)
    report.count("Pages found", 3)
    report.add("Pages skipped", "/old.html: not HTML")
    report.note("Dates guessed", "/knee.html: the file's time")

    text = report.text()

    assert text.splitlines()[:5] == [
        "Importing pages",
        "Dry run: nothing was written. This is what the import will do.",
        "Pages found:   3",
        "Pages skipped: 1",
        "Dates guessed: 1",
    ]
    assert "Pages skipped:\n  - /old.html: not HTML" in text
    report.write(tmp_path / "report.txt")
    assert (tmp_path / "report.txt").read_text(encoding="utf-8") == text
