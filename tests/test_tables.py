import pandas as pd
import pytest

from kabulcase.tables import interactive_table


def test_table_is_sortable_filterable_and_escaped():
    df = pd.DataFrame({"claim": ["<b>x</b>", "y"], "n": [62000, 5]})
    out = interactive_table(df, "Claims", {"claim": "Claim", "n": "Number"})._repr_html_()
    assert "<caption>Claims</caption>" in out
    assert out.count('<button type="button" class="kc-sort">') == 2
    assert "&lt;b&gt;x&lt;/b&gt;" in out and "<b>x</b>" not in out
    assert "<td>62,000</td>" in out
    assert '<label for="' in out and 'type="search"' in out


def test_table_refuses_missing_columns_and_captionless_tables():
    df = pd.DataFrame({"a": [1]})
    with pytest.raises(ValueError, match="lacks the column"):
        interactive_table(df, "A", ["b"])
    with pytest.raises(ValueError, match="caption"):
        interactive_table(df, " ")


def test_table_has_a_markdown_version_for_print():
    df = pd.DataFrame({"claim": ["a|b", "c"], "n": [62000, 5]})
    md = interactive_table(df, "Claims")._repr_markdown_()
    lines = md.splitlines()
    assert lines[0] == "**Claims**"
    assert lines[2] == "| claim | n |" and lines[3] == "| --- | --- |"
    assert lines[4] == "| a\\|b | 62,000 |" and len(lines) == 6
