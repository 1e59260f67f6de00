// Test setup. Pure tests run in the `node` environment (`// @vitest-environment node`), UI tests in
// jsdom, which lacks a few browser APIs antd relies on.
import "@testing-library/jest-dom/vitest";
import { cleanup, configure } from "@testing-library/react";
import { afterEach, vi } from "vitest";

// The screens replay answers Rust gave on the day its golden scenarios pin (PINNED_TODAY in
// src-tauri/crates/app/src/golden/mod.rs): the UI's clock says the same day, 10:00 in Beijing.
// Only `Date` is faked; timers run as usual.
export const PINNED_NOW = new Date("2025-07-15T02:00:00Z");
vi.useFakeTimers({ toFake: ["Date"], now: PINNED_NOW });

if (typeof window !== "undefined") {
  // findBy*/waitFor: whole-app renders on a busy 2-core machine can take more than the default 1 s.
  configure({ asyncUtilTimeout: 5000 });
  // Imported here only: the pure tests (node) mock modules the app would load first.
  const { takeReplayMisses } = await import("./render");
  afterEach(() => {
    cleanup();
    const misses = takeReplayMisses();
    if (misses.length > 0) throw new Error(`unrecorded requests:\n${[...new Set(misses)].join("\n")}`);
  });
  installBrowserStubs();
}

function installBrowserStubs() {
if (!window.matchMedia) {
  window.matchMedia = (query: string) =>
    ({
      matches: false,
      media: query,
      onchange: null,
      addListener: () => undefined,
      removeListener: () => undefined,
      addEventListener: () => undefined,
      removeEventListener: () => undefined,
      dispatchEvent: () => false,
    }) as MediaQueryList;
}

if (!("ResizeObserver" in window)) {
  class ResizeObserverStub {
    observe() {}
    unobserve() {}
    disconnect() {}
  }
  (window as unknown as { ResizeObserver: unknown }).ResizeObserver = ResizeObserverStub;
}

// jsdom does not implement pseudo-element styles; antd asks for them to measure scrollbars.
const getComputedStyle = window.getComputedStyle.bind(window);
window.getComputedStyle = (element: Element, _pseudo?: string | null) => getComputedStyle(element);
}
