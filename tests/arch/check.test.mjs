// Self-test of tests/arch/check.mjs on synthetic repositories in a temporary directory.
// Run: node --test tests/arch/check.test.mjs   (`make arch` runs it before the real check)

import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { after, test } from "node:test";
import { check, checkCircles, circleLabel, stripRust } from "./check.mjs";

const roots = [];
after(() => roots.forEach((r) => rmSync(r, { recursive: true, force: true })));

/** A repository with the given files (path -> text) under a fresh temporary root. */
function repo(files) {
  const root = mkdtempSync(join(tmpdir(), "arch-check-"));
  roots.push(root);
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  return root;
}

const crate = (name, files) =>
  Object.fromEntries(Object.entries(files).map(([p, t]) => [`src-tauri/crates/${name}/src/${p}`, t]));

test("a circle between sibling modules is reported with its path", () => {
  const root = repo(
    crate("demo", {
      "lib.rs": "pub mod read;\npub mod columns;\npub mod place;\n",
      "read.rs": "use crate::columns::Column;\npub struct Sheet;\n",
      "columns.rs": "pub struct Column;\npub fn f(_: &crate::read::Sheet) {}\n",
      "place.rs": "pub struct Place;\n",
    }),
  );
  const circles = checkCircles(root);
  assert.equal(circles.length, 1);
  assert.equal(circleLabel(circles[0]), "demo: columns → read → columns");
  const { failures } = check(root, { dataTables: {}, pendingCircles: [], pendingOversize: [] });
  assert.equal(failures.length, 1);
  assert.match(failures[0], /module circle in demo: columns → read → columns/);
  assert.match(failures[0], /columns\.rs:2 crate::read::Sheet/);
});

test("a leaf module shared by both sides is no circle", () => {
  const root = repo(
    crate("demo", {
      "lib.rs": "pub mod read;\npub mod columns;\npub mod place;\n",
      "read.rs": "use crate::columns::Column;\nuse crate::place::Place;\n",
      "columns.rs": "pub struct Column;\npub fn f(_: &crate::place::Place) {}\n",
      "place.rs": "pub struct Place;\n",
    }),
  );
  assert.deepEqual(checkCircles(root), []);
});

test("parent and child using each other is allowed", () => {
  const root = repo(
    crate("demo", {
      "lib.rs": "pub mod gs1;\n",
      "gs1.rs": "mod element;\npub use element::Element;\npub struct Shared;\npub fn go() { element::parse(); }\n",
      "gs1/element.rs": "use super::Shared;\npub struct Element(Shared);\npub fn parse() {}\n",
    }),
  );
  assert.deepEqual(checkCircles(root), []);
});

test("a name re-exported by the root counts as a use of the module defining it", () => {
  const root = repo(
    crate("demo", {
      "lib.rs": "pub mod error;\npub mod render;\npub use error::Error;\npub use render::{Page, render};\n",
      "error.rs": "use crate::Page;\npub struct Error;\n",
      "render.rs": "pub struct Page;\npub fn render() -> Result<(), crate::Error> { Ok(()) }\n",
    }),
  );
  const circles = checkCircles(root);
  assert.equal(circles.length, 1);
  assert.deepEqual(circles[0].members, ["error", "render"]);
});

test("cousins are lifted to the sibling subtrees they connect", () => {
  const root = repo(
    crate("demo", {
      "lib.rs": "mod a;\nmod b;\n",
      "a.rs": "mod x;\nmod y;\n",
      "a/x.rs": "pub fn f() { crate::b::g(); }\n",
      "a/y.rs": "pub fn h() {}\n",
      "b.rs": "pub fn g() {}\npub fn k() { super::a::y::h(); }\n",
    }),
  );
  const circles = checkCircles(root);
  assert.equal(circles.length, 1);
  assert.equal(circleLabel(circles[0]), "demo: a → b → a");
  assert.match(circles[0].evidence.join("\n"), /a::x -> b/);
});

test("test modules, comments and strings make no edges", () => {
  const root = repo(
    crate("demo", {
      "lib.rs": "pub mod a;\npub mod b;\n#[cfg(test)]\nmod tests;\n",
      "tests.rs": "use crate::a::A; use crate::b::B;\n",
      "a.rs": "use crate::b::B;\npub struct A(B);\n",
      "b.rs": [
        "pub struct B;",
        "// crate::a::A in a comment",
        '/* crate::a::A */ const S: &str = "crate::a::A"; const R: &str = r#"crate::a::A"#;',
        "const C: char = '\"'; fn l<'x>(_: &'x str) {}",
        "#[cfg(test)]",
        "mod inline_tests {",
        "    use crate::a::A;",
        "}",
        "#[cfg(test)]",
        "use crate::a::A;",
        "",
      ].join("\n"),
    }),
  );
  assert.deepEqual(checkCircles(root), []);
});

test("stripRust keeps lifetimes and blanks literals", () => {
  const code = stripRust("fn f<'a>(x: &'a str) -> char { let _ = \"crate::x\"; 'y' }");
  assert.ok(code.includes("<'a>"));
  assert.ok(!code.includes("crate::x"));
  assert.ok(!code.includes("'y'"));
});

test("a source file over 1,000 lines is reported; tests and listed data tables are not", () => {
  const long = "fn f() {}\n".repeat(1001);
  const root = repo({
    ...crate("demo", { "lib.rs": "mod big;\nmod table;\n", "big.rs": long, "table.rs": long, "tests.rs": long }),
    "src-tauri/crates/demo/tests/it.rs": long,
    "ui/src/Page.tsx": "export {};\n".repeat(1001),
    "ui/src/Page.test.tsx": long,
    "ui/src/api/bindings/Big.ts": long,
    "ui/src/ok.ts": "export {};\n".repeat(1000),
  });
  const { failures } = check(root, {
    dataTables: { "src-tauri/crates/demo/src/table.rs": "a table" },
    pendingCircles: [],
    pendingOversize: [],
  });
  assert.deepEqual(
    failures.map((f) => f.split("\n")[0]),
    [
      "oversize: src-tauri/crates/demo/src/big.rs has 1001 lines (limit 1000)",
      "oversize: ui/src/Page.tsx has 1001 lines (limit 1000)",
    ],
  );
});

test("known pending findings pass as notes, but a pending circle may not grow", () => {
  const root = repo(
    crate("app", {
      "lib.rs": "mod a;\nmod b;\nmod c;\n",
      "a.rs": "use crate::b::B;\npub struct A;\n",
      "b.rs": "use crate::a::A;\nuse crate::c::C;\npub struct B;\n",
      "c.rs": "use crate::b::B;\npub struct C;\n",
    }),
  );
  const grown = check(root, { dataTables: {}, pendingCircles: ["app: [a, b]"], pendingOversize: [] });
  assert.equal(grown.failures.length, 1);
  const known = check(root, { dataTables: {}, pendingCircles: ["app: [a, b, c]"], pendingOversize: [] });
  assert.deepEqual(known.failures, []);
  assert.equal(known.notes.length, 1);
});

test("a data-table entry for a missing file fails", () => {
  const root = repo(crate("demo", { "lib.rs": "\n" }));
  const { failures } = check(root, { dataTables: { "src-tauri/crates/demo/src/gone.rs": "x" }, pendingCircles: [], pendingOversize: [] });
  assert.equal(failures.length, 1);
  assert.match(failures[0], /gone\.rs, which does not exist/);
});
