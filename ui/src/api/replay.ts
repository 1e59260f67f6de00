// Replays answers recorded from Rust (the `app` crate's golden scenarios, src-tauri/crates/app/
// src/golden/, written into golden/<scenario>.json). No rule lives here: every answer, error and
// message is one Rust gave for exactly these arguments. The screens' tests and `npm run dev` in a
// plain browser run `commands.ts` over this transport.
//
// Matching: a request (command + deep-equal arguments) takes the first matching exchange at or
// after the current position, which moves there; if none is ahead, the latest one before it (a
// re-read of a state already passed). A request that was never recorded throws an Error naming
// the command, the arguments and the nearest recorded arguments, so a test that strays fails
// loudly; in dev (`lenient`) it is rejected with a bilingual ApiError instead.

import type { InvokeArgs } from "@tauri-apps/api/core";
import type { ApiError } from "./bindings/ApiError";
import type { Backend } from "./backend";
import type { Transport } from "./call";
import { createBackend } from "./commands";

/** One recorded call: its arguments as commands.ts sends them (channels left out), and the answer. */
export interface Exchange {
  command: string;
  args: unknown;
  ok?: unknown;
  err?: ApiError;
  /** What the command sent over its progress channel, in order. */
  progress?: unknown[];
}

export interface Golden {
  scenario: string;
  exchanges: Exchange[];
}

export interface ReplayOptions {
  /** Milliseconds each answer waits (dev: makes loading states visible). Default 0. */
  latencyMs?: number;
  /** Unrecorded requests reject with an ApiError instead of throwing (dev in a browser). */
  lenient?: boolean;
}

/** A request the replay served, for tests that check what the screen sent. */
export interface ReplayCall {
  command: string;
  args: unknown;
}

const CHANNEL = Symbol("replay channel");
interface ReplayChannel {
  [CHANNEL]: (message: unknown) => void;
}

function isChannel(value: unknown): value is ReplayChannel {
  return typeof value === "object" && value !== null && CHANNEL in value;
}

/** The arguments as JSON carries them: channels and `undefined` left out, no args = `null`. */
function normalise(args: InvokeArgs | undefined): { args: unknown; channels: ReplayChannel[] } {
  if (args === undefined || args === null) return { args: null, channels: [] };
  const channels: ReplayChannel[] = [];
  const plain: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(args as Record<string, unknown>)) {
    if (isChannel(value)) channels.push(value);
    else if (value !== undefined) plain[key] = value;
  }
  return { args: JSON.parse(JSON.stringify(plain)), channels };
}

export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== "object" || typeof b !== "object" || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a) && Array.isArray(b)) {
    return a.length === b.length && a.every((v, i) => deepEqual(v, b[i]));
  }
  const ka = Object.keys(a as object);
  const kb = Object.keys(b as object);
  return (
    ka.length === kb.length &&
    ka.every((k) => deepEqual((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]))
  );
}

/** How many leaves differ: to name the nearest recorded arguments in an error. */
function distance(a: unknown, b: unknown): number {
  if (deepEqual(a, b)) return 0;
  if (typeof a !== "object" || typeof b !== "object" || a === null || b === null) return 1;
  const keys = new Set([...Object.keys(a as object), ...Object.keys(b as object)]);
  let d = 0;
  for (const k of keys) d += distance((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]);
  return d;
}

export class Replay {
  readonly exchanges: Exchange[];
  /** Every request served, in order. */
  readonly calls: ReplayCall[] = [];
  /** What was asked and never recorded (the error texts): a test fails on any. */
  readonly misses: string[] = [];
  private position = 0;
  private readonly listeners = new Map<string, Set<(payload: unknown) => void>>();

  constructor(
    goldens: Golden | Golden[],
    private readonly options: ReplayOptions = {},
  ) {
    this.exchanges = (Array.isArray(goldens) ? goldens : [goldens]).flatMap((g) => g.exchanges);
  }

  /** The exchange a request takes (and moves the position there), or `null`. */
  find(command: string, args: unknown): Exchange | null {
    const matches = (e: Exchange) => e.command === command && deepEqual(e.args ?? null, args);
    for (let i = this.position; i < this.exchanges.length; i++) {
      if (matches(this.exchanges[i])) {
        this.position = i;
        return this.exchanges[i];
      }
    }
    for (let i = this.position - 1; i >= 0; i--) {
      if (matches(this.exchanges[i])) return this.exchanges[i];
    }
    return null;
  }

  private unrecorded(command: string, args: unknown): string {
    const recorded = this.exchanges.filter((e) => e.command === command);
    const nearest = recorded.reduce<Exchange | null>(
      (best, e) => (best === null || distance(e.args, args) < distance(best.args, args) ? e : best),
      null,
    );
    return (
      `replay: no recorded answer for ${command} ${JSON.stringify(args)}; ` +
      (nearest ? `nearest recorded args: ${JSON.stringify(nearest.args)}` : `the golden records no ${command} at all`)
    );
  }

  /**
   * Delivers an event Rust would emit (e.g. files dropped on the window, whose tokens the golden
   * records being redeemed) to the screen's listeners.
   */
  emit(event: string, payload: unknown) {
    this.listeners.get(event)?.forEach((handler) => handler(payload));
  }

  /** Whether the screen listens for `event` now. */
  listening(event: string): boolean {
    return (this.listeners.get(event)?.size ?? 0) > 0;
  }

  readonly transport: Transport = {
    call: async <T>(command: string, raw?: InvokeArgs): Promise<T> => {
      const { args, channels } = normalise(raw);
      this.calls.push({ command, args });
      const exchange = this.find(command, args);
      if (this.options.latencyMs) await new Promise((r) => setTimeout(r, this.options.latencyMs));
      else await Promise.resolve();
      if (!exchange) {
        const text = this.unrecorded(command, args);
        this.misses.push(text);
        if (!this.options.lenient) throw new Error(text);
        const error: ApiError = {
          code: "internal",
          messageZh: `浏览器演示模式只能重放录制的回答，没有录制“${command}”的这次请求；请在桌面程序中操作`,
          messageEn: `the browser demo only replays recorded answers and has none for this ${command} request; use the desktop app`,
          field: null,
        };
        console.warn(text);
        throw error;
      }
      for (const message of exchange.progress ?? []) channels.forEach((c) => c[CHANNEL](message));
      if (exchange.err) throw exchange.err;
      return exchange.ok as T;
    },
    channel: <T>(onMessage: (message: T) => void): ReplayChannel => ({
      [CHANNEL]: (message: unknown) => onMessage(message as T),
    }),
    listen: async <T>(event: string, handler: (payload: T) => void) => {
      const wrapped = (payload: unknown) => handler(payload as T);
      const set = this.listeners.get(event) ?? new Set();
      set.add(wrapped);
      this.listeners.set(event, set);
      return () => {
        set.delete(wrapped);
      };
    },
  };
}

/** A back end that replays `goldens` through the real `commands.ts` mapping. */
export function createReplayBackend(goldens: Golden | Golden[], options: ReplayOptions = {}): Backend & { replay: Replay } {
  const replay = new Replay(goldens, options);
  return { ...createBackend(replay.transport, "replay"), replay };
}
