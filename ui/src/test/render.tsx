// Renders the whole app over answers recorded from Rust (api/golden/<scenario>.json, replayed by
// api/replay.ts through the real commands.ts mapping).
import { StyleProvider } from "@ant-design/cssinjs";
import { fireEvent, render, screen, type waitForOptions } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import App from "../App";
import type { Backend } from "../api/backend";
import { createReplayBackend, type Golden, type Replay } from "../api/replay";

const GOLDENS = import.meta.glob<Golden>("../api/golden/*.json", { eager: true, import: "default" });

/** The golden scenario `name` (a file of api/golden/). */
export function golden(name: string): Golden {
  const found = GOLDENS[`../api/golden/${name}.json`];
  if (!found?.exchanges) throw new Error(`no golden scenario "${name}" in api/golden/`);
  return found;
}

/** The recorded answer of `command` (the first, or the first whose args satisfy `where`). */
export function recorded(name: string, command: string, where: (args: Record<string, unknown>) => boolean = () => true) {
  const exchange = golden(name).exchanges.find((e) => e.command === command && where((e.args ?? {}) as Record<string, unknown>));
  if (!exchange) throw new Error(`golden "${name}" records no matching ${command}`);
  return exchange;
}

function renderWith(backend: Backend) {
  const user = userEvent.setup();
  // `mock="server"`: antd keeps its generated CSS in memory instead of adding <style> tags, which
  // jsdom would parse and re-apply on every render (most of a test's run time otherwise).
  const view = render(
    <StyleProvider mock="server">
      <App backend={backend} />
    </StyleProvider>,
  );
  return { ...view, user };
}

const replays: Replay[] = [];

/**
 * Requests of this test's screens that no golden records (setup.ts fails the test on any): a
 * screen the app layer never answered this way must not pass by accident.
 */
export function takeReplayMisses(): string[] {
  return replays.splice(0).flatMap((r) => r.misses);
}

/** Renders the app over the golden scenario(s) `names`. */
export function renderApp(...names: string[]) {
  const backend = createReplayBackend(names.map(golden));
  replays.push(backend.replay);
  return { ...renderWith(backend), backend, calls: backend.replay.calls };
}

/** Renders the app over a set-up golden scenario and waits for the main window. */
export async function renderMainApp(...names: string[]) {
  const result = renderApp(...names);
  await screen.findByTestId("main-layout");
  return result;
}

/** Renders the main window over the golden scenario `name` and opens the screen `key` from the
 * navigation (`nav-<key>`), waiting for it (`screen-<key>`) with `wait`. */
export async function openScreen(key: string, name: string, wait?: waitForOptions) {
  const result = await renderMainApp(name);
  fireEvent.click(screen.getByTestId(`nav-${key}`));
  await screen.findByTestId(`screen-${key}`, {}, wait);
  return result;
}
