// Start the GOV.UK Frontend components the service's pages use (bundled by
// tools/build_frontend.py with esbuild from the package's ES modules). No MoJ Frontend
// component on these pages needs JavaScript.
import {
  Button,
  CharacterCount,
  Checkboxes,
  createAll,
  ErrorSummary,
  NotificationBanner,
  Radios,
  ServiceNavigation,
  SkipLink,
  Tabs,
} from "govuk-frontend";

for (const Component of [
  Button,
  CharacterCount,
  Checkboxes,
  ErrorSummary,
  NotificationBanner,
  Radios,
  ServiceNavigation,
  SkipLink,
  Tabs,
]) {
  createAll(Component);
}
