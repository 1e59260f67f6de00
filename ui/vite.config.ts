/// <reference types="vitest/config" />
import { defineConfig } from "vite";
import react from "@vitejs/plugin-react";

// Tauri sets TAURI_ENV_PLATFORM when it runs the dev server or the build (`tauri dev` / `tauri build`).
const tauriPlatform = process.env.TAURI_ENV_PLATFORM;

export default defineConfig({
  plugins: [react()],
  // Tauri prints its own output; keep Vite's visible.
  clearScreen: false,
  server: {
    port: 5173,
    // Tauri's devUrl points at a fixed port, so fail instead of silently moving to another one.
    strictPort: true,
    watch: { ignored: ["**/src-tauri/**", "**/target/**"] },
  },
  envPrefix: ["VITE_", "TAURI_ENV_"],
  build: {
    outDir: "dist",
    emptyOutDir: true,
    // WebView2 (Windows) is Chromium; WebKitGTK and WKWebView are Safari-class engines.
    target: tauriPlatform === "windows" ? "chrome105" : tauriPlatform ? "safari15" : "es2022",
    // A desktop app loads its bundle from disk; one larger chunk is fine.
    chunkSizeWarningLimit: 2500,
    sourcemap: Boolean(process.env.TAURI_ENV_DEBUG),
  },
  test: {
    environment: "jsdom",
    setupFiles: ["./src/test/setup.ts"],
    include: ["src/**/*.test.{ts,tsx}"],
    css: false,
    testTimeout: 15000,
    // Most of a UI test file's cost is loading antd (CommonJS, hundreds of modules) and building
    // its styles. One worker that keeps modules between files runs the suite in about half the
    // time of the default (a fresh module graph per file, one worker per core on a 2-core box).
    // Tests share no state: each renders its own <App> over its own fake back end.
    isolate: false,
    maxWorkers: 1,
  },
});
