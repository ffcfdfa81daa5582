// Start the GOV.UK Frontend components the service's pages use (bundled by
// tools/build_frontend.py with esbuild from the package's ES modules, so only these are
// sent), and MoJ Frontend's filter toggle (the monthly list's filter on a phone).
import { FilterToggleButton } from "@ministryofjustice/frontend";
import * as govuk from "govuk-frontend";

for (const Component of [
  govuk.Button,
  govuk.CharacterCount,
  govuk.Checkboxes,
  govuk.ErrorSummary,
  govuk.NotificationBanner,
  govuk.Radios,
  govuk.ServiceNavigation,
  govuk.SkipLink,
  govuk.Tabs,
  FilterToggleButton,
]) {
  govuk.createAll(Component);
}
