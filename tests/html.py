"""Read pages the way a user sees them: headings, error summaries, tables."""

from bs4 import BeautifulSoup


def parse(response) -> BeautifulSoup:
    return BeautifulSoup(response.content.decode(), "html.parser")


def h1(response) -> str:
    headings = parse(response).find_all("h1")
    assert len(headings) == 1, f"expected one <h1>, found {len(headings)}"
    return headings[0].get_text(" ", strip=True)


def title(response) -> str:
    return " ".join(parse(response).title.get_text().split())


def error_summary(response) -> list[str]:
    summary = parse(response).select_one(".govuk-error-summary")
    if summary is None:
        return []
    return [li.get_text(" ", strip=True) for li in summary.select(".govuk-error-summary__list li")]


def table_rows(response, caption: str | None = None) -> list[list[str]]:
    soup = parse(response)
    tables = soup.select("table")
    if caption is not None:
        tables = [t for t in tables if t.caption and caption in t.caption.get_text()]
    assert tables, f"no table with caption {caption!r}"
    return [
        [" ".join(cell.get_text(" ", strip=True).split()) for cell in row.find_all(["th", "td"])]
        for row in tables[0].select("tbody tr")
    ]


def navigation(response) -> list[str]:
    return [
        a.get_text(" ", strip=True)
        for a in parse(response).select(".govuk-service-navigation__link")
    ]


def buttons(response) -> list[str]:
    """The words on the page's GOV.UK buttons, links styled as buttons included."""
    return [
        " ".join(button.get_text(" ", strip=True).split())
        for button in parse(response).select("main .govuk-button")
    ]
