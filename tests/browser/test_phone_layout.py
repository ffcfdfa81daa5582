"""On a phone (412 and 320 CSS pixels wide): the service navigation is drawn collapsed from
the first paint (no layout shift when GOV.UK Frontend's script runs), and the person
page's header keeps every label whole. Screenshots go to test-artifacts/screenshots."""

import pytest
from django.test import Client

from tests.auth import sign_in_verified
from tests.browser.conftest import screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 412, "height": 915}
# Every layout shift since the page started, as the Layout Instability API reports them.
LAYOUT_SHIFT = """() => new Promise(resolve => {
  let total = 0;
  new PerformanceObserver(list => {
    for (const entry of list.getEntries()) if (!entry.hadRecentInput) total += entry.value;
  }).observe({type: 'layout-shift', buffered: true});
  setTimeout(() => resolve(total), 500);
})"""
NAVIGATION = """() => {
  const nav = document.querySelector('.govuk-service-navigation');
  const toggle = nav.querySelector('.govuk-service-navigation__toggle');
  const list = nav.querySelector('.govuk-service-navigation__list');
  return {height: nav.getBoundingClientRect().height,
          toggle: toggle.checkVisibility(), list: list.checkVisibility()};
}"""


def phone(browser, live_server, user, *, width=PHONE["width"]):
    client = sign_in_verified(Client(), user)
    context = browser.new_context(
        viewport={**PHONE, "width": width}, locale="en-GB", is_mobile=True, has_touch=True
    )
    context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )
    return context, context.new_page()


def test_the_navigation_is_collapsed_before_its_script_runs(browser, live_server, triage_world):
    context, page = phone(browser, live_server, triage_world["priya"])
    # GOV.UK Frontend's script never arrives: what is painted first is what stays.
    page.route("**/js/service.mjs", lambda route: route.abort())
    page.goto(f"{live_server.url}/cases/")
    before = page.evaluate(NAVIGATION)
    assert before["toggle"], before
    assert not before["list"], before
    context.close()

    context, page = phone(browser, live_server, triage_world["priya"])
    page.goto(f"{live_server.url}/cases/")
    page.wait_for_selector("[data-govuk-service-navigation-init]", state="attached")
    after = page.evaluate(NAVIGATION)
    assert after == before
    assert page.evaluate(LAYOUT_SHIFT) < 0.01
    screenshot(page, "phone-412-monthly-list")
    # The menu still opens and closes.
    page.get_by_role("button", name="Menu").click()
    assert page.get_by_role("link", name="My actions").is_visible()
    page.get_by_role("button", name="Menu").click()
    assert not page.get_by_role("link", name="My actions").is_visible()
    context.close()


def test_the_navigation_is_a_row_of_links_on_a_wide_screen(browser, live_server, triage_world):
    context, page = phone(browser, live_server, triage_world["priya"], width=1024)
    page.goto(f"{live_server.url}/cases/")
    page.wait_for_selector("[data-govuk-service-navigation-init]", state="attached")
    shown = page.evaluate(NAVIGATION)
    assert shown["list"], shown
    assert not shown["toggle"], shown
    assert page.evaluate(LAYOUT_SHIFT) < 0.01
    context.close()


@pytest.mark.parametrize("width", [320, 412, 1280])
def test_the_person_header_keeps_its_labels_whole(browser, live_server, triage_world, width):
    context, page = phone(browser, live_server, triage_world["priya"], width=width)
    page.goto(f"{live_server.url}/people/A000001/")
    # Lines each key's text takes: one, for every key ("Practitioner" was broken mid-word).
    lines = page.eval_on_selector_all(
        ".cc-person-header__details .govuk-summary-list__key",
        """keys => keys.map(key => {
          const range = document.createRange();
          range.selectNodeContents(key);
          const lines = new Set([...range.getClientRects()].map(r => r.top)).size;
          // …and all of it inside the key, clear of the value beside or below it.
          const value = key.nextElementSibling.getBoundingClientRect();
          const text = range.getBoundingClientRect();
          const clear = text.right <= value.left + 1 || text.bottom <= value.top + 1;
          return [key.innerText.trim(), lines === 1 && clear];
        })""",
    )
    assert [key for key, _ in lines] == [
        "CRN",
        "Date of birth",
        "PDU",
        "Practitioner",
        "Custody",
        "POM",
    ]
    assert all(whole for _, whole in lines), lines
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    screenshot(page, f"person-{width}")
    context.close()


def test_the_back_link_leads_the_main_content(browser, live_server, triage_world):
    from tests.triage_fixtures import a_request

    request = a_request(triage_world)
    context, page = phone(browser, live_server, triage_world["priya"])
    page.goto(f"{live_server.url}/triage/{request.pk}/")
    back = page.locator("main .govuk-back-link")
    assert back.count() == 1
    navigation = page.locator(".govuk-service-navigation").bounding_box()
    link, heading = back.bounding_box(), page.locator("h1").bounding_box()
    # Where GOV.UK puts it: just under the navigation, with the usual space before the heading.
    assert 10 <= link["y"] - (navigation["y"] + navigation["height"]) <= 20
    assert heading["y"] - (link["y"] + link["height"]) >= 30
    screenshot(page, "phone-412-triage-request")
    context.close()


def test_the_monthly_list_filter_is_behind_show_filter_on_a_phone(
    browser, live_server, triage_world
):
    """MoJ's filter layout (issue 21): at 390px the list comes first and the filter opens from
    "Show filter"; on a wide screen the filter is open beside the list."""
    context, page = phone(browser, live_server, triage_world["priya"], width=390)
    page.goto(f"{live_server.url}/cases/")
    show = page.get_by_role("button", name="Show filter")
    show.wait_for()
    search = page.get_by_label("Name or CRN", exact=True)
    assert not search.is_visible()
    table = page.locator("table.cc-case-list").bounding_box()
    assert table["y"] < PHONE["height"], table  # the list starts on the first screen
    screenshot(page, "phone-390-monthly-list-filter-hidden")
    show.click()
    assert search.is_visible()
    assert page.get_by_role("button", name="Hide filter").get_attribute("aria-expanded") == "true"
    screenshot(page, "phone-390-monthly-list-filter-shown")
    # On a phone the open filter covers the list; its own "Close" puts it away again.
    page.get_by_role("button", name="Close").click()
    assert not search.is_visible()
    assert page.evaluate("document.activeElement.textContent") == "Show filter"
    context.close()

    client = sign_in_verified(Client(), triage_world["priya"])
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB")
    context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )
    page = context.new_page()
    page.goto(f"{live_server.url}/cases/")
    page.wait_for_selector(".moj-filter[tabindex]", state="attached")  # its script has run
    screenshot(page, "monthly-list-filter-wide")
    filter_box = page.locator(".moj-filter-layout__filter").bounding_box()
    list_box = page.locator("table.cc-case-list").bounding_box()
    assert filter_box["x"] + filter_box["width"] <= list_box["x"] + 1  # side by side
    assert page.get_by_label("Name or CRN", exact=True).is_visible()
    assert page.get_by_role("button", name="Hide filter").is_visible()  # MoJ's toggle, open
    context.close()
