#!/usr/bin/env node
// Architecture check for tracedesk (`make arch`; `make test` runs it early). Node >= 20, no npm
// dependencies. Two rules:
//
// 1. No module circles inside a crate.
//    Every crate under src-tauri/crates/* and the desktop shell (src-tauri/src) is read from its
//    roots (src/lib.rs, src/main.rs, src/bin/*.rs), following `mod name;` declarations to files
//    (name.rs or name/mod.rs). Each file is a module; inline `mod x { .. }` blocks count as part of
//    the file that holds them. An edge A -> B is recorded when A's code names B through
//    `crate::b..`, `super::b..`, `self::b..` or a child module's name (`b::..`), in `use` trees
//    (`use crate::{a, b::{c, d}}`) as in code. A path resolves to the deepest module it names; a
//    name that a module re-exports (`pub use child::Name`, also `pub use child::*`) resolves to the
//    module it comes from, so `crate::Problem` counts as a use of `problem`, not of the root.
//
//    The rule for parent <-> child: an edge between a module and its own ancestor or descendant is
//    NOT counted. A parent declaring `mod child`, re-exporting it and calling into it while the
//    child uses the parent's own shared types (`super::Shared`) is the usual Rust pattern. Every
//    other edge is lifted to the two sibling subtrees it connects (below the nearest common
//    ancestor): `a::x -> b::y` makes `a -> b` among the children of the root. A cycle among
//    siblings (at any depth) is a circle and fails the check, e.g. `sheets: read -> columns -> read`.
//    The way out is a leaf module for the shared types that both sides use and that uses neither.
//
//    Test code is ignored: files named tests.rs or *_tests.rs, files under a tests/ directory, and
//    any item after `#[cfg(test)]` (a `mod tests;` declaration with its files, an inline
//    `mod tests { .. }`, a test-only `use` or fn). Comments, strings and char literals are skipped.
//
// 2. No non-test source file over 1,000 lines.
//    Counted: .rs files under src-tauri (not target/, not test files as above) and .ts/.tsx under
//    ui/src (not bindings/, not *.test.ts(x), not test/ or tests/ directories). Files that are data
//    tables may be listed in DATA_TABLES, each with a one-line reason.
//
// Usage: node tests/arch/check.mjs [repository root]   (default: the repository holding this file)
// Exit status 0 when clean, 1 with one line per finding otherwise.

import { existsSync, readFileSync, readdirSync, statSync } from "node:fs";
import { basename, dirname, join, relative, sep } from "node:path";
import { fileURLToPath } from "node:url";

export const MAX_LINES = 1000;

// Files allowed over MAX_LINES because they are data, not logic. Path (from the repository root)
// -> one-line reason.
export const DATA_TABLES = {
  "src-tauri/crates/app/src/error/messages.rs":
    "the message catalogue: one match arm per message, its code, field, Chinese and English side by side",
  "src-tauri/crates/sheets/src/columns/table.rs":
    "the column table of every record kind: headers, synonyms, types and 填表说明, one entry per column, no logic",
};

// ---------------------------------------------------------------------------------------------
// KNOWN PENDING: findings in code that is being restructured elsewhere (app, cli, ui, the desktop
// shell). They are reported as "pending" and do not fail the check. The integrator empties this
// section once that work lands; do not add to it.
//
// A circle is listed as `crate: [members of one circle at one level]`; a reported circle passes
// when all its members are in one listed entry of the same crate (so a circle may shrink while it
// is being taken apart, never grow). The desktop shell (src-tauri/src) has no finding to list.
export const PENDING_CIRCLES = [];
export const PENDING_OVERSIZE = [];
// END KNOWN PENDING
// ---------------------------------------------------------------------------------------------

// ---------- Rust source scanning ----------

/** The code with comments, string and char literals blanked out (lengths and newlines kept). */
export function stripRust(src) {
  let out = "";
  let i = 0;
  const n = src.length;
  const blank = (s) => s.replace(/[^\n]/g, " ");
  while (i < n) {
    const c = src[i];
    const d = src[i + 1];
    if (c === "/" && d === "/") {
      let j = src.indexOf("\n", i);
      if (j < 0) j = n;
      out += blank(src.slice(i, j));
      i = j;
    } else if (c === "/" && d === "*") {
      let depth = 1;
      let j = i + 2;
      while (j < n && depth > 0) {
        if (src[j] === "/" && src[j + 1] === "*") (depth++, (j += 2));
        else if (src[j] === "*" && src[j + 1] === "/") (depth--, (j += 2));
        else j++;
      }
      out += blank(src.slice(i, j));
      i = j;
    } else if (
      (c === "r" || (c === "b" && d === "r")) &&
      /^b?r#*"/.test(src.slice(i, i + 40)) &&
      !/[A-Za-z0-9_]/.test(src[i - 1] ?? "")
    ) {
      const m = /^b?r(#*)"/.exec(src.slice(i, i + 40));
      const close = '"' + m[1];
      let j = src.indexOf(close, i + m[0].length);
      j = j < 0 ? n : j + close.length;
      out += blank(src.slice(i, j));
      i = j;
    } else if (c === '"' || (c === "b" && d === '"' && !/[A-Za-z0-9_]/.test(src[i - 1] ?? ""))) {
      let j = c === '"' ? i + 1 : i + 2;
      while (j < n && src[j] !== '"') j += src[j] === "\\" ? 2 : 1;
      j = Math.min(n, j + 1);
      out += blank(src.slice(i, j));
      i = j;
    } else if (c === "'") {
      // A char literal ('a', '\n', '\u{1F600}', '"') or a lifetime ('a, 'static).
      const m = /^'(?:\\(?:u\{[0-9a-fA-F]+\}|x[0-9a-fA-F]{2}|.)|[^\\'\n])'/u.exec(src.slice(i, i + 16));
      if (m) {
        out += blank(m[0]);
        i += m[0].length;
      } else {
        out += c;
        i++;
      }
    } else {
      out += c;
      i++;
    }
  }
  return out;
}

/** Index just past the item that starts at `i` (ends at a `;` at depth 0 or its first `{..}`). */
function itemEnd(code, i) {
  let depth = 0;
  for (let j = i; j < code.length; j++) {
    const c = code[j];
    if (c === "(" || c === "[") depth++;
    else if (c === ")" || c === "]") depth--;
    else if (c === ";" && depth === 0) return j + 1;
    else if (c === "{") {
      let b = 1;
      let k = j + 1;
      while (k < code.length && b > 0) {
        if (code[k] === "{") b++;
        else if (code[k] === "}") b--;
        k++;
      }
      return k;
    }
  }
  return code.length;
}

/**
 * Removes every item marked `#[cfg(test)]` (with the attributes that follow it). Returns the code
 * without them and the names of `mod name;` declarations that were test-only.
 */
export function dropTestItems(code) {
  const testMods = [];
  const re = /#\s*\[\s*cfg\s*\(\s*test\s*\)\s*\]/g;
  let out = "";
  let last = 0;
  let m;
  while ((m = re.exec(code))) {
    if (m.index < last) continue;
    let j = m.index + m[0].length;
    // Further attributes on the same item.
    for (;;) {
      const a = /^\s*#\s*\[/.exec(code.slice(j));
      if (!a) break;
      let depth = 0;
      let k = j + a[0].length - 1;
      for (; k < code.length; k++) {
        if (code[k] === "[") depth++;
        else if (code[k] === "]" && --depth === 0) break;
      }
      j = k + 1;
    }
    const end = itemEnd(code, j);
    const item = code.slice(j, end);
    const mm = /^\s*(?:pub(?:\s*\([^)]*\))?\s+)?mod\s+([A-Za-z_]\w*)\s*;/.exec(item);
    if (mm) testMods.push(mm[1]);
    out += code.slice(last, m.index) + code.slice(m.index, end).replace(/[^\n]/g, " ");
    last = end;
    re.lastIndex = end;
  }
  out += code.slice(last);
  return { code: out, testMods };
}

/** Expands a use tree (`crate::{a, b::{c as d, *}}`) into full paths (arrays of segments). */
export function expandUseTree(text) {
  const s = text.replace(/\s+/g, "");
  let i = 0;
  function tree(prefix) {
    const paths = [];
    let segs = [...prefix];
    while (i < s.length) {
      if (s[i] === "{") {
        i++;
        for (;;) {
          paths.push(...tree(segs));
          if (s[i] === ",") {
            i++;
            if (s[i] === "}") break;
            continue;
          }
          break;
        }
        i++; // the closing brace
        return paths;
      }
      const m = /^(?:::)?([A-Za-z_]\w*|\*)/.exec(s.slice(i));
      if (!m) break;
      i += m[0].length;
      segs.push(m[1]);
      if (s.startsWith("::", i)) {
        i += 2;
        continue;
      }
      break;
    }
    paths.push(segs);
    return paths;
  }
  return tree([]);
}

/** `use` statements (their trees) and the rest of the code. */
function useStatements(code) {
  const uses = [];
  const re = /\b(pub(?:\s*\([^)]*\))?\s+)?use\s+([^;]+);/g;
  let m;
  while ((m = re.exec(code))) {
    // Drop `as alias` parts before the spaces go: `a::B as C` -> `a::B`.
    const tree = m[2].replace(/\s+as\s+[A-Za-z_]\w*/g, "");
    uses.push({ pub: !!m[1], paths: expandUseTree(tree), index: m.index, text: m[0] });
  }
  return uses;
}

function lineOf(code, index) {
  let line = 1;
  for (let i = 0; i < index; i++) if (code.charCodeAt(i) === 10) line++;
  return line;
}

// ---------- Crate model ----------

function isTestFileName(name) {
  return name === "tests.rs" || name.endsWith("_tests.rs");
}

/**
 * Reads one crate tree from a root file. Returns a Map key -> module, where key is the module
 * path ("" for the root, "gs1::element") and module = { key, file, code, children: Set }.
 */
function readTree(rootFile, srcDir) {
  const modules = new Map();
  function visit(key, file, childDir) {
    const raw = readFileSync(file, "utf8");
    const { code, testMods } = dropTestItems(stripRust(raw));
    const mod = { key, file, code, children: new Map() };
    modules.set(key, mod);
    const re = /(^|[;{}\]\s])(?:pub(?:\s*\([^)]*\))?\s+)?mod\s+([A-Za-z_]\w*)\s*([;{])/g;
    let m;
    while ((m = re.exec(code))) {
      const name = m[2];
      if (m[3] === "{") continue; // inline module: part of this file
      if (testMods.includes(name)) continue;
      const candidates = [join(childDir, `${name}.rs`), join(childDir, name, "mod.rs")];
      const childFile = candidates.find((f) => existsSync(f));
      if (!childFile || isTestFileName(basename(childFile))) continue;
      if (relative(srcDir, childFile).split(sep).includes("tests")) continue;
      const childKey = key ? `${key}::${name}` : name;
      mod.children.set(name, childKey);
      const nextDir = basename(childFile) === "mod.rs" ? dirname(childFile) : join(childDir, name);
      visit(childKey, childFile, nextDir);
    }
  }
  visit("", rootFile, dirname(rootFile));
  return modules;
}

const parentOf = (key) => (key.includes("::") ? key.slice(0, key.lastIndexOf("::")) : "");
const isAncestor = (a, b) => a === "" || b.startsWith(a + "::"); // a is a proper-or-root ancestor of b
const display = (key) => key || "(root)";

/**
 * Resolves a path (segments) written in module `from` to the module it names, or null when it
 * leaves the crate. `exports` maps module key -> Map(name -> target module key) for `pub use`.
 */
function resolvePath(segs, from, modules, exports, depth = 0) {
  let cur;
  let k = 0;
  if (segs[0] === "crate" || segs[0] === "$crate") {
    cur = "";
    k = 1;
  } else if (segs[0] === "self") {
    cur = from;
    k = 1;
  } else if (segs[0] === "super") {
    cur = from;
    while (segs[k] === "super") {
      cur = parentOf(cur);
      k++;
    }
  } else if (modules.get(from)?.children.has(segs[0])) {
    cur = from;
  } else {
    return null;
  }
  for (; k < segs.length; k++) {
    const child = modules.get(cur)?.children.get(segs[k]);
    if (child) {
      cur = child;
      continue;
    }
    // An item of `cur`: follow a re-export once more, if there is one.
    const target = exports.get(cur)?.get(segs[k]);
    if (target && depth < 8) return resolveExport(target, modules, exports, depth + 1);
    return cur;
  }
  return cur;
}

function resolveExport(target, modules, exports, depth) {
  // target = { from, segs }: re-resolve the re-exported path where it was written.
  return resolvePath(target.segs, target.from, modules, exports, depth) ?? target.from;
}

/** Module edges of one crate tree: Map from -> Map to -> first evidence "file:line text". */
function moduleEdges(modules) {
  const exports = new Map();
  const usesOf = new Map();
  for (const mod of modules.values()) {
    const uses = useStatements(mod.code);
    usesOf.set(mod.key, uses);
    const ex = new Map();
    for (const u of uses) {
      if (!u.pub) continue;
      for (const p of u.paths) {
        const last = p[p.length - 1];
        if (last === "*") continue;
        if (last === "self") continue;
        ex.set(last, { from: mod.key, segs: p });
      }
    }
    exports.set(mod.key, ex);
  }
  // Glob re-exports: `pub use child::*` exports the child's items; record them as a fallback.
  const globs = new Map();
  for (const mod of modules.values()) {
    for (const u of usesOf.get(mod.key)) {
      if (!u.pub) continue;
      for (const p of u.paths) {
        if (p[p.length - 1] !== "*") continue;
        const target = resolvePath(p.slice(0, -1), mod.key, modules, new Map());
        if (target !== null) (globs.get(mod.key) ?? globs.set(mod.key, []).get(mod.key)).push(target);
      }
    }
  }
  for (const [key, targets] of globs) {
    const ex = exports.get(key);
    for (const t of targets) {
      const code = modules.get(t).code;
      for (const m of code.matchAll(/\bpub\s+(?:const\s+|async\s+|unsafe\s+)*(?:fn|struct|enum|trait|type|const|static|mod)\s+([A-Za-z_]\w*)/g)) {
        const segs = t ? ["crate", ...t.split("::"), m[1]] : ["crate", m[1]];
        if (!ex.has(m[1])) ex.set(m[1], { from: key, segs });
      }
    }
  }

  const edges = new Map();
  const add = (from, to, file, code, index, text) => {
    if (to === null || to === from) return;
    const m = edges.get(from) ?? edges.set(from, new Map()).get(from);
    if (!m.has(to)) m.set(to, `${file}:${lineOf(code, index)} ${text.replace(/\s+/g, " ").trim().slice(0, 80)}`);
  };
  for (const mod of modules.values()) {
    const code = mod.code;
    let rest = code;
    for (const u of usesOf.get(mod.key)) {
      for (const p of u.paths) {
        const segs = p[p.length - 1] === "*" || p[p.length - 1] === "self" ? p.slice(0, -1) : p;
        add(mod.key, resolvePath(segs, mod.key, modules, exports), mod.file, code, u.index, u.text);
      }
      rest = rest.slice(0, u.index) + " ".repeat(u.text.length) + rest.slice(u.index + u.text.length);
    }
    const re = /(?<![\w:])(\$?[A-Za-z_]\w*)((?:\s*::\s*[A-Za-z_]\w*)+)/g;
    let m;
    while ((m = re.exec(rest))) {
      const first = m[1];
      if (!["crate", "$crate", "self", "super"].includes(first) && !mod.children.has(first)) continue;
      const segs = [first, ...m[2].split("::").map((s) => s.trim()).filter(Boolean)];
      add(mod.key, resolvePath(segs, mod.key, modules, exports), mod.file, code, m.index, m[0]);
    }
  }
  return edges;
}

/** Circles among siblings: [{ parent, members: [..], cycle: [..], evidence: [..] }]. */
export function findCircles(modules, edges) {
  // Lift each edge that is not between ancestor and descendant to the sibling level.
  const lifted = new Map(); // parent -> Map(a -> Map(b -> evidence))
  for (const [from, tos] of edges) {
    for (const [to, evidence] of tos) {
      if (isAncestor(from, to) || isAncestor(to, from)) continue;
      const fa = from.split("::");
      const ta = to.split("::");
      let c = 0;
      while (c < fa.length && c < ta.length && fa[c] === ta[c]) c++;
      const parent = fa.slice(0, c).join("::");
      const a = fa.slice(0, c + 1).join("::");
      const b = ta.slice(0, c + 1).join("::");
      const g = lifted.get(parent) ?? lifted.set(parent, new Map()).get(parent);
      const ga = g.get(a) ?? g.set(a, new Map()).get(a);
      if (!ga.has(b)) ga.set(b, `${display(from)} -> ${display(to)} (${evidence})`);
    }
  }
  const circles = [];
  for (const [parent, graph] of lifted) {
    for (const scc of stronglyConnected(graph)) {
      if (scc.length < 2) continue;
      const cycle = shortestCycle(graph, scc);
      const evidence = cycle.slice(0, -1).map((a, i) => graph.get(a).get(cycle[i + 1]));
      const short = (k) => (parent ? k.slice(parent.length + 2) : k);
      circles.push({
        parent,
        members: scc.map(short).sort(),
        cycle: cycle.map(short),
        evidence,
      });
    }
  }
  return circles;
}

function stronglyConnected(graph) {
  const nodes = new Set(graph.keys());
  for (const tos of graph.values()) for (const t of tos.keys()) nodes.add(t);
  let index = 0;
  const idx = new Map();
  const low = new Map();
  const stack = [];
  const on = new Set();
  const out = [];
  function strong(v) {
    idx.set(v, index);
    low.set(v, index++);
    stack.push(v);
    on.add(v);
    for (const w of graph.get(v)?.keys() ?? []) {
      if (!idx.has(w)) {
        strong(w);
        low.set(v, Math.min(low.get(v), low.get(w)));
      } else if (on.has(w)) low.set(v, Math.min(low.get(v), idx.get(w)));
    }
    if (low.get(v) === idx.get(v)) {
      const comp = [];
      let w;
      do {
        w = stack.pop();
        on.delete(w);
        comp.push(w);
      } while (w !== v);
      out.push(comp);
    }
  }
  for (const v of [...nodes].sort()) if (!idx.has(v)) strong(v);
  return out;
}

function shortestCycle(graph, scc) {
  const inScc = new Set(scc);
  let best = null;
  for (const start of [...scc].sort()) {
    const prev = new Map([[start, null]]);
    const queue = [start];
    let found = null;
    while (queue.length && !found) {
      const v = queue.shift();
      for (const w of [...(graph.get(v)?.keys() ?? [])].sort()) {
        if (!inScc.has(w)) continue;
        if (w === start) {
          found = v;
          break;
        }
        if (!prev.has(w)) {
          prev.set(w, v);
          queue.push(w);
        }
      }
    }
    if (found === null) continue;
    const path = [];
    for (let v = found; v !== null; v = prev.get(v)) path.unshift(v);
    path.push(start);
    if (!best || path.length < best.length) best = path;
  }
  return best;
}

// ---------- Repository walk ----------

/** Crates: [{ name, srcDir, roots: [{ label, file }] }]. */
export function findCrates(root) {
  const crates = [];
  const add = (name, crateDir) => {
    const srcDir = join(crateDir, "src");
    if (!existsSync(srcDir)) return;
    const roots = [];
    for (const f of ["lib.rs", "main.rs"]) if (existsSync(join(srcDir, f))) roots.push({ label: f, file: join(srcDir, f) });
    const binDir = join(srcDir, "bin");
    if (existsSync(binDir)) {
      for (const f of readdirSync(binDir).sort()) if (f.endsWith(".rs")) roots.push({ label: `bin/${f}`, file: join(binDir, f) });
    }
    crates.push({ name, srcDir, roots });
  };
  const cratesDir = join(root, "src-tauri", "crates");
  if (existsSync(cratesDir)) {
    for (const d of readdirSync(cratesDir).sort()) {
      if (statSync(join(cratesDir, d)).isDirectory()) add(d, join(cratesDir, d));
    }
  }
  add("desktop", join(root, "src-tauri"));
  return crates;
}

export function checkCircles(root) {
  const found = [];
  for (const crate of findCrates(root)) {
    const seen = new Set();
    for (const r of crate.roots) {
      const modules = readTree(r.file, crate.srcDir);
      const edges = moduleEdges(modules);
      for (const c of findCircles(modules, edges)) {
        const key = `${c.parent}|${c.members.join(",")}`;
        if (seen.has(key)) continue;
        seen.add(key);
        const rel = (s) => s.replaceAll(root + sep, "");
        found.push({
          crate: crate.name,
          ...c,
          evidence: c.evidence.map(rel),
        });
      }
    }
  }
  return found;
}

function walk(dir, skip) {
  if (!existsSync(dir)) return [];
  const out = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) {
      if (!skip(e.name, p)) out.push(...walk(p, skip));
    } else out.push(p);
  }
  return out;
}

export function checkSizes(root) {
  const files = [];
  const rs = walk(join(root, "src-tauri"), (name) => ["target", "tests", "node_modules", "gen"].includes(name));
  for (const f of rs) if (f.endsWith(".rs") && !isTestFileName(basename(f))) files.push(f);
  const ts = walk(join(root, "ui", "src"), (name) => ["bindings", "test", "tests", "node_modules"].includes(name));
  for (const f of ts) if (/\.tsx?$/.test(f) && !/\.test\.tsx?$/.test(f) && !/\.d\.ts$/.test(f)) files.push(f);
  const over = [];
  for (const f of files.sort()) {
    const text = readFileSync(f, "utf8");
    const lines = text.split("\n").length - (text.endsWith("\n") ? 1 : 0);
    if (lines > MAX_LINES) over.push({ file: relative(root, f).split(sep).join("/"), lines });
  }
  return over;
}

export function circleLabel(c) {
  const where = c.parent ? `${c.crate} (in ${c.parent})` : c.crate;
  return `${where}: ${c.cycle.join(" → ")}`;
}

function pendingCircle(c, pending) {
  return pending.some((p) => {
    const m = /^([\w-]+):\s*\[(.*)\]$/.exec(p);
    if (!m || m[1] !== c.crate) return false;
    const allowed = new Set(m[2].split(",").map((s) => s.trim()));
    return c.members.every((x) => allowed.has(c.parent ? `${c.parent}::${x}` : x));
  });
}

/** Runs both rules. Returns { failures: [string], notes: [string] }. */
export function check(root, { dataTables = DATA_TABLES, pendingCircles = PENDING_CIRCLES, pendingOversize = PENDING_OVERSIZE } = {}) {
  const failures = [];
  const notes = [];
  for (const c of checkCircles(root)) {
    const members = c.members.map((m) => (c.parent ? `${c.parent}::${m}` : m));
    const head = `module circle in ${circleLabel(c)}  [all members: ${members.join(", ")}]`;
    const detail = c.evidence.map((e) => `      ${e}`).join("\n");
    if (pendingCircle(c, pendingCircles)) notes.push(`pending ${head}`);
    else failures.push(`${head}\n${detail}\n    fix: move what these modules share into a leaf module that uses none of them`);
  }
  for (const o of checkSizes(root)) {
    if (dataTables[o.file]) continue;
    const msg = `${o.file} has ${o.lines} lines (limit ${MAX_LINES})`;
    if (pendingOversize.includes(o.file)) notes.push(`pending oversize: ${msg}`);
    else failures.push(`oversize: ${msg}\n    fix: split it by responsibility (or, for a pure data table, list it in DATA_TABLES with a reason)`);
  }
  for (const f of Object.keys(dataTables)) {
    if (!existsSync(join(root, f))) failures.push(`DATA_TABLES lists ${f}, which does not exist: remove the entry`);
  }
  return { failures, notes };
}

const isMain = process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1];
if (isMain) {
  const root = process.argv[2] ?? join(dirname(fileURLToPath(import.meta.url)), "..", "..");
  const { failures, notes } = check(root);
  for (const n of notes) console.log(`arch: ${n}`);
  if (failures.length) {
    for (const f of failures) console.error(`arch: FAIL ${f}`);
    console.error(`arch: ${failures.length} problem(s); see the header of tests/arch/check.mjs for the rules`);
    process.exit(1);
  }
  console.log(`arch: ok (no module circles; no non-test source file over ${MAX_LINES} lines${notes.length ? `; ${notes.length} known pending` : ""})`);
}
