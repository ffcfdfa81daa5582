// Start GOV.UK Frontend and MoJ Frontend components on every page.
import { initAll as initGovUk } from "/static/govuk/govuk-frontend.min.js";
import { initAll as initMoj } from "/static/moj/moj-frontend.min.js";

initGovUk();
initMoj();
