// Renders the whole app against a fresh in-memory back end.
import { StyleProvider } from "@ant-design/cssinjs";
import { render, screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import App from "../App";
import { createFakeBackend, type FakeBackend, type FakeOptions } from "../api/fake";

export function renderApp(options: FakeOptions = {}, backend: FakeBackend = createFakeBackend(options)) {
  const user = userEvent.setup();
  // `mock="server"`: antd keeps its generated CSS in memory instead of adding <style> tags, which
  // jsdom would parse and re-apply on every render (most of a test's run time otherwise).
  const view = render(
    <StyleProvider mock="server">
      <App backend={backend} />
    </StyleProvider>,
  );
  return { ...view, user, backend };
}

/** Renders the app with the wizard already completed and waits for the main window. */
export async function renderMainApp(options: FakeOptions = {}) {
  const result = renderApp({ setUp: true, ...options });
  await screen.findByTestId("main-layout");
  return result;
}
