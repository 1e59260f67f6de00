//! Reading the rows of one sheet into records: finding the end of the table, coercing every
//! cell through the column table, and the checks within a row and across rows.

use std::collections::HashMap;
use std::hash::BuildHasher;

use serde::Serialize;
use time::Date;

use crate::cell::{self, Cell, Ctx, Issue, enum_fold, fold_width};
use crate::columns::{FieldKey, FieldSpec, FieldType, Need, RecordKind};
use crate::header::{self, Mapping, Matcher, normalise_header};
use crate::place::{cell_ref, column_letter};
use crate::problem::{Problem, ProblemCode, Severity, place};
use crate::record::{self, RecordDraft, Value, Values};
use crate::stream::RawRow;

test_switch! {
    /// Every duplicate key hashes alike on this thread: the path of keys that share a hash.
    SAME_HASHES, same_hashes
}

/// Lower-case, half-width form of one character, as [`enum_fold`] and [`normalise_header`] see
/// it (they fold width, then lower-case).
fn folded_lower(c: char) -> impl Iterator<Item = char> {
    crate::cell::half_width(c).to_lowercase()
}

/// Whether text could begin a totals row or a note (合计, total, 注：…): the first character that
/// is not blank, folded, must begin one of those words. Saves folding every data row's first
/// cell when it plainly cannot (a GTIN, a date).
fn may_start_footer_or_note(text: &str) -> bool {
    const FIRST: &[char] = &[
        '合', '总', '小', '共', '累', 't', 's', 'g', '注', '备', '说', 'n', '制', '审', '填', '负',
    ];
    text.chars()
        .find(|c| !cell::is_blank(*c))
        .is_some_and(|c| folded_lower(c).next().is_some_and(|f| FIRST.contains(&f)))
}

/// Whether `normalise_header(text)` could equal `norm`: its first character must come from one of
/// `text`'s characters. Saves normalising every data cell of the first headed column.
fn may_normalise_to(text: &str, norm: &str) -> bool {
    let Some(first) = norm.chars().next() else {
        return true;
    };
    text.chars().any(|c| folded_lower(c).any(|f| f == first))
}

/// How to read a sheet.
#[derive(Debug, Clone)]
pub struct ReadOptions {
    /// The import day: dates after it are refused where the field forbids the future. Passed in,
    /// never taken from the clock.
    pub today: Date,
    /// A mapping to use instead of detecting one (the clerk's corrections, or one remembered for
    /// this header signature). Its `kind` must match the kind read.
    pub mapping: Option<Mapping>,
}

impl ReadOptions {
    pub fn new(today: Date) -> Self {
        ReadOptions {
            today,
            mapping: None,
        }
    }

    pub fn with_mapping(mut self, mapping: Mapping) -> Self {
        self.mapping = Some(mapping);
        self
    }
}

/// A sheet read as records of one kind.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SheetRead {
    pub sheet: String,
    pub kind: RecordKind,
    /// Excel row number of the header; `None` when none was found (see `problems`).
    pub header_row: Option<u32>,
    pub mapping: Option<Mapping>,
    /// Every data row, valid or not, in sheet order.
    pub rows: Vec<RowRead>,
    /// Sheet-level problems (missing columns, skipped footer rows, stray cells…).
    pub problems: Vec<Problem>,
    pub rows_total: u32,
    /// Rows without errors; 0 when a sheet-level error (such as a missing required column) means
    /// nothing can be imported.
    pub rows_valid: u32,
}

impl SheetRead {
    /// True when no sheet-level error blocks the import (row errors may still exist).
    pub fn importable(&self) -> bool {
        !self.problems.iter().any(Problem::is_error)
    }

    /// Every problem, sheet-level first, then by row.
    pub fn all_problems(&self) -> impl Iterator<Item = &Problem> {
        self.problems
            .iter()
            .chain(self.rows.iter().flat_map(|r| r.problems.iter()))
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RowRead {
    /// Excel row number.
    pub row: u32,
    pub record: RecordDraft,
    pub problems: Vec<Problem>,
}

impl RowRead {
    pub fn is_valid(&self) -> bool {
        !self.problems.iter().any(Problem::is_error)
    }
}

/// One part of a duplicate check's key.
#[derive(Clone, Copy)]
enum KeyPart {
    /// The field's value; without it there is no key.
    Needs(FieldKey),
    /// The field's value, or empty.
    May(FieldKey),
    /// The GTIN, else the product name; without either there is no key.
    ProductRef,
}

/// A duplicate check: (check id, key parts, column to point at, what in zh, in en).
type DupCheck = (u8, &'static [KeyPart], FieldKey, &'static str, &'static str);

/// The duplicate checks of each kind: rows with the same key are the same record.
fn dup_checks(kind: RecordKind) -> &'static [DupCheck] {
    use FieldKey as F;
    use KeyPart::*;
    match kind {
        RecordKind::Product => &[
            (0, &[Needs(F::Gtin)], F::Gtin, "商品条码", "GTIN"),
            (
                1,
                &[Needs(F::Name), Needs(F::Model)],
                F::Model,
                "产品名称和规格型号",
                "product name and model",
            ),
        ],
        RecordKind::Party => &[(
            0,
            &[May(F::PartyKind), Needs(F::Uscc)],
            F::Uscc,
            "类型和统一社会信用代码",
            "type and USCC",
        )],
        // The supplier and the lot make a key; material and date join it when present.
        RecordKind::Receipt => &[(
            0,
            &[
                Needs(F::Supplier),
                May(F::Material),
                Needs(F::SupplierLot),
                May(F::ReceivedOn),
            ],
            F::SupplierLot,
            "供应商、原料、批号和进货日期",
            "supplier, material, lot and date",
        )],
        RecordKind::Batch => &[(
            0,
            &[ProductRef, Needs(F::LotNo)],
            F::LotNo,
            "产品和生产批号",
            "product and lot number",
        )],
        RecordKind::Item => &[(
            0,
            &[Needs(F::Gtin), May(F::LotNo), Needs(F::Serial)],
            F::Serial,
            "商品条码、批号和序列号",
            "GTIN, lot and serial",
        )],
        RecordKind::Shipment => &[(
            0,
            &[Needs(F::DeliveryNoteNo), ProductRef, May(F::LotNo)],
            F::DeliveryNoteNo,
            "出库单号、产品和批号",
            "delivery note, product and lot",
        )],
    }
}

/// A mapped column, prepared for the row loop.
struct Col {
    index: u16,
    field: usize,
    letter: String,
    header: String,
    header_norm: String,
}

/// Turns raw rows into `RowRead`s, keeping what the cross-row checks need.
pub(crate) struct Processor {
    kind: RecordKind,
    sheet: String,
    ctx: Ctx,
    fields: &'static [FieldSpec],
    pub(crate) mapping: Mapping,
    cols: Vec<Col>,
    /// Field index → position in `cols`.
    col_of_field: Vec<Option<usize>>,
    pub(crate) rows: Vec<RowRead>,
    problems: Vec<Problem>,
    /// Duplicate keys of the rows read so far, by check: hash → index of the first row with it;
    /// keys whose hash another key already took are kept whole in `seen_shared`.
    seen: HashMap<(u8, u64), usize>,
    seen_shared: HashMap<(u8, String), usize>,
    hasher: std::hash::RandomState,
    key_buf: String,
    notes: HashMap<String, (u32, String, String)>,
    last_row: u32,
    stray_gap: u32,
    stray: Option<(u32, u16)>,
    stray_rows: u32,
    pub(crate) inert: bool,
    values_buf: Vec<Option<Value>>,
    issue_buf: Vec<bool>,
}

impl Processor {
    pub(crate) fn new(
        kind: RecordKind,
        sheet: &str,
        ctx: Ctx,
        mapping: Mapping,
        stray_gap: u32,
        matcher: &Matcher,
    ) -> Processor {
        let fields = kind.fields();
        let mut cols = Vec::new();
        for (index, key, header) in mapping.by_index() {
            if let Some(field) = fields.iter().position(|f| f.key == key)
                && !cols
                    .iter()
                    .any(|c: &Col| c.field == field || c.index == index)
            {
                cols.push(Col {
                    index,
                    field,
                    letter: column_letter(index),
                    header_norm: normalise_header(&header),
                    header,
                });
            }
        }
        cols.sort_by_key(|c| c.index);
        let mut col_of_field = vec![None; fields.len()];
        for (i, c) in cols.iter().enumerate() {
            col_of_field[c.field] = Some(i);
        }
        let _ = matcher;
        let mut p = Processor {
            kind,
            sheet: sheet.to_string(),
            ctx,
            fields,
            mapping,
            cols,
            col_of_field,
            rows: Vec::new(),
            problems: Vec::new(),
            seen: HashMap::new(),
            seen_shared: HashMap::new(),
            hasher: std::hash::RandomState::new(),
            key_buf: String::new(),
            notes: HashMap::new(),
            last_row: 0,
            stray_gap,
            stray: None,
            stray_rows: 0,
            inert: false,
            values_buf: Vec::new(),
            issue_buf: Vec::new(),
        };
        p.last_row = p.mapping.header_row;
        p.check_missing_columns();
        p
    }

    pub(crate) fn inert(kind: RecordKind, sheet: &str, ctx: Ctx, matcher: &Matcher) -> Processor {
        let mapping = Mapping {
            kind,
            header_row: 0,
            signature: String::new(),
            columns: Vec::new(),
        };
        let mut p = Processor::new(kind, sheet, ctx, mapping, u32::MAX, matcher);
        p.problems.clear();
        p.inert = true;
        p
    }

    fn sheet_problem(
        &self,
        severity: Severity,
        code: ProblemCode,
        zh: String,
        en: String,
    ) -> Problem {
        Problem {
            severity,
            sheet: self.sheet.clone(),
            row: None,
            column: None,
            header: None,
            field: None,
            code,
            value: None,
            message: codes::Message::new(zh, en),
        }
    }

    fn check_missing_columns(&mut self) {
        let header_row = self.mapping.header_row;
        for (i, f) in self.fields.iter().enumerate() {
            if self.col_of_field[i].is_some() {
                continue;
            }
            let missing = match f.need {
                Need::Required => true,
                Need::EitherOr(other) => {
                    let j = self.fields.iter().position(|g| g.key == other);
                    // Report the pair once, on the first of the two.
                    j.is_some_and(|j| self.col_of_field[j].is_none() && i < j)
                }
                Need::Optional => false,
            };
            if !missing {
                continue;
            }
            let (zh_name, en_name) = match f.need {
                Need::EitherOr(other) => {
                    let o = self.kind.field(other);
                    (
                        format!("“{}”或“{}”", f.zh, o.map_or("", |o| o.zh)),
                        format!("{} or {}", f.en, o.map_or("", |o| o.en)),
                    )
                }
                _ => (format!("“{}”", f.zh), f.en.to_string()),
            };
            let near = header::closest_headers(self.kind, f.key, &self.mapping.columns);
            let (near_zh, near_en) = if near.is_empty() {
                (String::new(), String::new())
            } else {
                let zh: Vec<String> = near
                    .iter()
                    .map(|(c, _)| format!("{} 列“{}”", c.column_letter, c.header_text))
                    .collect();
                let en: Vec<String> = near
                    .iter()
                    .map(|(c, _)| format!("column {} {:?}", c.column_letter, c.header_text))
                    .collect();
                (
                    format!("表头中最接近的是：{}。", zh.join("、")),
                    format!(" The closest headers are {}.", en.join(", ")),
                )
            };
            let mut p = self.sheet_problem(
                Severity::Error,
                ProblemCode::ColumnMissing,
                format!(
                    "第 {header_row} 行的表头中没有找到必填列{zh_name}。{near_zh}请在表头中加上这一列，或在列对应中把已有的列指定为{zh_name}"
                ),
                format!("the header in row {header_row} has no column for the required field {en_name}.{near_en} Add the column, or map an existing column to it"),
            );
            p.field = Some(f.key);
            self.problems.push(p);
        }
    }

    /// Warns about header cells that name a field already read from another column.
    pub(crate) fn note_unused_headers(&mut self, matcher: &Matcher, header: &RawRow) {
        for (col, cell) in &header.cells {
            if self.cols.iter().any(|c| c.index == *col) {
                continue;
            }
            let text = header::header_text(cell);
            let Some((field, _, _)) = matcher.classify(&text) else {
                continue;
            };
            let Some(pos) = self.col_of_field[field] else {
                continue;
            };
            let used = &self.cols[pos];
            let letter = column_letter(*col);
            let f = &self.fields[field];
            self.problems.push(Problem {
                severity: Severity::Warning,
                sheet: self.sheet.clone(),
                row: Some(header.row),
                column: Some(letter.clone()),
                header: Some(text.clone()),
                field: Some(f.key),
                code: ProblemCode::HeaderDuplicateField,
                value: Some(text.clone()),
                message: codes::Message::new(
                    format!(
                        "{} 列“{text}”和 {} 列“{}”都像是“{}”，只导入 {} 列。如需改用 {letter} 列，请在列对应中调整",
                        letter, used.letter, used.header, f.zh, used.letter
                    ),
                    format!(
                        "column {letter} ({text}) and column {} ({}) both look like {}; only column {} is imported",
                        used.letter, used.header, f.en, used.letter
                    ),
                ),
            });
        }
    }

    /// With a remembered mapping: warns if the header row no longer matches it.
    pub(crate) fn check_header_unchanged(&mut self, _matcher: &Matcher, header: &RawRow) {
        let last = header.cells.last().map_or(0, |(c, _)| *c);
        let texts: Vec<String> = (0..=last)
            .map(|c| header.get(c).map(header::header_text).unwrap_or_default())
            .collect();
        let sig = header::signature(texts.iter().map(String::as_str));
        if !self.mapping.signature.is_empty() && sig != self.mapping.signature {
            let p = self.sheet_problem(
                Severity::Warning,
                ProblemCode::HeaderChanged,
                format!(
                    "第 {} 行的表头与保存的列对应不一致，请核对每一列的对应关系",
                    header.row
                ),
                format!(
                    "the header in row {} differs from the saved mapping; check the column mapping",
                    header.row
                ),
            );
            self.problems.push(p);
        }
    }

    fn problem(
        &self,
        row: u32,
        col: Option<&Col>,
        field: Option<FieldKey>,
        value: Option<String>,
        issue: Issue,
    ) -> Problem {
        let (zh, en) = match col {
            Some(c) => {
                let (pz, pe) = place(row, &c.letter, &c.header);
                (format!("{pz}：{}", issue.zh), format!("{pe}: {}", issue.en))
            }
            None => (
                format!("第 {row} 行：{}", issue.zh),
                format!("row {row}: {}", issue.en),
            ),
        };
        Problem {
            severity: issue.severity,
            sheet: self.sheet.clone(),
            row: Some(row),
            column: col.map(|c| c.letter.clone()),
            header: col.map(|c| c.header.clone()),
            field,
            code: issue.code,
            value,
            message: codes::Message::new(zh, en),
        }
    }

    fn skip_row(&mut self, raw: &RawRow, code: ProblemCode, zh: &str, en: &str) {
        let first = raw.cells.first();
        let value = first.map(|(_, c)| c.raw_text());
        let p = Problem {
            severity: Severity::Warning,
            sheet: self.sheet.clone(),
            row: Some(raw.row),
            column: first.map(|(c, _)| column_letter(*c)),
            header: None,
            field: None,
            code,
            value,
            message: codes::Message::new(
                format!("第 {} 行{zh}", raw.row),
                format!("row {}: {en}", raw.row),
            ),
        };
        self.problems.push(p);
    }

    pub(crate) fn process(&mut self, raw: RawRow) {
        if self.inert || raw.row <= self.mapping.header_row {
            return;
        }
        if self.stray.is_some()
            || (raw.row - self.last_row > self.stray_gap && !self.rows.is_empty())
        {
            if self.stray.is_none() {
                self.stray = raw.cells.first().map(|(c, _)| (raw.row, *c));
            }
            self.stray_rows += 1;
            return;
        }
        // Rows with nothing in a mapped column are notes beside the table: ignored.
        if !self
            .cols
            .iter()
            .any(|c| raw.get(c.index).is_some_and(|cell| !cell.is_empty()))
        {
            return;
        }
        if let Some((_, Cell::Text(first_text))) = raw.cells.first()
            && may_start_footer_or_note(first_text)
        {
            // Only the start of the first cell matters; fold just that much.
            let head: String = first_text.chars().take(16).collect();
            let text = enum_fold(&head);
            const FOOTERS: &[&str] = &[
                "合计",
                "总计",
                "小计",
                "共计",
                "总数",
                "累计",
                "total",
                "subtotal",
                "grandtotal",
                "sum",
            ];
            if FOOTERS.iter().any(|f| text.starts_with(f)) {
                self.skip_row(
                    &raw,
                    ProblemCode::RowFooter,
                    "是合计行，已跳过，不作为数据导入",
                    "is a totals row and was skipped",
                );
                return;
            }
            const NOTES: &[&str] = &[
                "注",
                "备注",
                "说明",
                "note",
                "notes",
                "制表",
                "制表人",
                "审核",
                "审核人",
                "填表人",
                "填表",
                "负责人",
            ];
            if raw.cells.len() == 1 {
                let folded = fold_width(&head);
                let folded = folded.trim();
                let is_note = NOTES.iter().any(|n| {
                    folded.to_lowercase().strip_prefix(n).is_some_and(|rest| {
                        let rest = rest.trim_start();
                        rest.starts_with([':', '：'])
                            || rest
                                .starts_with(|c: char| c.is_ascii_digit() || c == '.' || c == '、')
                    })
                });
                if is_note {
                    self.skip_row(
                        &raw,
                        ProblemCode::RowNote,
                        "是说明文字，已跳过",
                        "is a note and was skipped",
                    );
                    return;
                }
            }
        }
        // A repeated header has the header text in its first headed column; checking that one
        // cell first keeps the common case to a single comparison.
        let first_headed = self.cols.iter().find(|c| !c.header_norm.is_empty());
        let maybe_header = first_headed.is_some_and(|c| {
            matches!(raw.get(c.index), Some(Cell::Text(t)) if t.len() <= c.header.len() * 3 + 16
                && may_normalise_to(t, &c.header_norm)
                && normalise_header(t) == c.header_norm)
        });
        let repeated = if !maybe_header {
            0
        } else {
            self.cols
                .iter()
                .filter(|c| {
                    !c.header_norm.is_empty()
                        && raw
                            .get(c.index)
                            .is_some_and(|cell| normalise_header(&cell.raw_text()) == c.header_norm)
                })
                .count()
        };
        if repeated >= 2.min(self.cols.len()).max(1) && repeated * 2 >= self.cols.len() {
            self.skip_row(
                &raw,
                ProblemCode::RowRepeatedHeader,
                "重复了表头，已跳过",
                "repeats the header and was skipped",
            );
            return;
        }
        self.last_row = raw.row;
        self.read_row(raw);
    }

    fn read_row(&mut self, raw: RawRow) {
        let row = raw.row;
        // Buffers reused from row to row (every value is taken out by `record::build`).
        let mut values = std::mem::take(&mut self.values_buf);
        values.clear();
        values.resize(self.fields.len(), None);
        let mut had_issue = std::mem::take(&mut self.issue_buf);
        had_issue.clear();
        had_issue.resize(self.fields.len(), false);
        let mut problems = Vec::new();
        for c in &self.cols {
            let Some(cell) = raw.get(c.index) else {
                continue;
            };
            let spec = &self.fields[c.field];
            let mut issues = Vec::new();
            let ctx = &self.ctx;
            let value = match spec.ty {
                FieldType::Text => cell::text(cell, ctx, &mut issues).map(Value::Text),
                FieldType::Code => cell::code(cell, ctx, &mut issues).map(Value::Text),
                FieldType::Gtin => cell::gtin(cell, ctx, &mut issues).map(Value::Text),
                FieldType::Uscc => cell::uscc(cell, ctx, &mut issues).map(Value::Text),
                FieldType::Date { allow_future } => {
                    cell::date(cell, allow_future, ctx, &mut issues).map(Value::Date)
                }
                FieldType::Quantity => cell::quantity(cell, ctx, &mut issues).map(Value::Quantity),
                FieldType::Enum(e) => cell::enumeration(cell, e, ctx, &mut issues).map(Value::Enum),
                FieldType::Unit => cell::unit(cell, ctx, &mut issues).map(Value::Text),
                FieldType::Lots => cell::lots(cell, ctx, &mut issues).map(Value::Lots),
                FieldType::Codes => cell::codes(cell, ctx, &mut issues).map(Value::Text),
            };
            if !issues.is_empty() {
                had_issue[c.field] = issues.iter().any(|i| i.severity == Severity::Error);
                let raw_value = cell.raw_text();
                for issue in issues {
                    problems.push(self.problem(
                        row,
                        Some(c),
                        Some(spec.key),
                        Some(raw_value.clone()),
                        issue,
                    ));
                }
            }
            values[c.field] = value;
        }
        // Required fields that are mapped but empty.
        for (i, f) in self.fields.iter().enumerate() {
            if values[i].is_some() || had_issue[i] {
                continue;
            }
            let Some(pos) = self.col_of_field[i] else {
                continue;
            };
            let missing = match f.need {
                Need::Required => true,
                Need::EitherOr(other) => {
                    let j = self.fields.iter().position(|g| g.key == other);
                    match j {
                        Some(j) if self.col_of_field[j].is_some() => {
                            values[j].is_none() && !had_issue[j] && i < j
                        }
                        _ => true,
                    }
                }
                Need::Optional => false,
            };
            if missing {
                let col = &self.cols[pos];
                let (zh, en) = match f.need {
                    Need::EitherOr(other) => {
                        let o = self.kind.field(other).map_or(("", ""), |o| (o.zh, o.en));
                        (
                            format!("“{}”和“{}”至少要填一项", f.zh, o.0),
                            format!("fill in {} or {}", f.en, o.1),
                        )
                    }
                    _ => (
                        format!("“{}”是必填项，不能为空。{}", f.zh, f.explain_zh),
                        format!("{} is required", f.en),
                    ),
                };
                problems.push(self.problem(
                    row,
                    Some(col),
                    Some(f.key),
                    None,
                    Issue::error(ProblemCode::RequiredMissing, zh, en),
                ));
            }
        }
        self.cross_row_checks(row, &values, &mut problems);
        let record = record::build(
            self.kind,
            Values {
                fields: self.fields,
                values: &mut values,
            },
        );
        self.rows.push(RowRead {
            row,
            record,
            problems,
        });
        self.values_buf = values;
        self.issue_buf = had_issue;
    }

    fn value_of(&self, values: &[Option<Value>], key: FieldKey) -> Option<String> {
        self.value_ref(values, key).map(Value::key)
    }

    fn value_ref<'v>(&self, values: &'v [Option<Value>], key: FieldKey) -> Option<&'v Value> {
        let i = self.fields.iter().position(|f| f.key == key)?;
        values[i].as_ref()
    }

    /// [`Processor::dup_key`] of a row already read, from its draft.
    fn draft_dup_key(draft: &RecordDraft, parts: &[KeyPart], out: &mut String) -> bool {
        out.clear();
        for (i, part) in parts.iter().enumerate() {
            if i > 0 {
                out.push('\u{1F}');
            }
            let present = match *part {
                KeyPart::Needs(k) | KeyPart::May(k) => draft.push_key(k, out),
                KeyPart::ProductRef => {
                    draft.push_key(FieldKey::Gtin, out) || draft.push_key(FieldKey::Product, out)
                }
            };
            if !present && !matches!(part, KeyPart::May(_)) {
                return false;
            }
        }
        true
    }

    /// The key of duplicate check `parts` for this row, `None` when a needed part is missing:
    /// the parts' values joined by U+001F.
    fn dup_key(&self, values: &[Option<Value>], parts: &[KeyPart], out: &mut String) -> bool {
        out.clear();
        for (i, part) in parts.iter().enumerate() {
            if i > 0 {
                out.push('\u{1F}');
            }
            let value = match *part {
                KeyPart::Needs(k) => match self.value_ref(values, k) {
                    Some(v) => Some(v),
                    None => return false,
                },
                KeyPart::May(k) => self.value_ref(values, k),
                KeyPart::ProductRef => match self
                    .value_ref(values, FieldKey::Gtin)
                    .or_else(|| self.value_ref(values, FieldKey::Product))
                {
                    Some(v) => Some(v),
                    None => return false,
                },
            };
            if let Some(v) = value {
                v.push_key(out);
            }
        }
        true
    }

    fn col_for(&self, key: FieldKey) -> Option<&Col> {
        let i = self.fields.iter().position(|f| f.key == key)?;
        self.col_of_field[i].map(|p| &self.cols[p])
    }

    /// Duplicates within the file; the later row gets the error and names the earlier one.
    fn cross_row_checks(
        &mut self,
        row: u32,
        values: &[Option<Value>],
        problems: &mut Vec<Problem>,
    ) {
        use FieldKey as F;
        use std::collections::hash_map::Entry;
        for &(id, parts, at, what_zh, what_en) in dup_checks(self.kind) {
            let mut key = std::mem::take(&mut self.key_buf);
            key.clear();
            if !self.dup_key(values, parts, &mut key) {
                self.key_buf = key;
                continue;
            }
            // Keys are kept as hashes; a matching hash is confirmed against the first row's key.
            let hash = if same_hashes() {
                0
            } else {
                self.hasher.hash_one(&key)
            };
            let index = self.rows.len();
            let first = match self.seen.entry((id, hash)) {
                Entry::Vacant(e) => {
                    e.insert(index);
                    None
                }
                Entry::Occupied(e) => {
                    let first = *e.get();
                    let mut other = String::with_capacity(key.len());
                    if Self::draft_dup_key(&self.rows[first].record, parts, &mut other)
                        && other == key
                    {
                        Some(first)
                    } else {
                        match self.seen_shared.entry((id, key.clone())) {
                            Entry::Occupied(e) => Some(*e.get()),
                            Entry::Vacant(e) => {
                                e.insert(index);
                                None
                            }
                        }
                    }
                }
            };
            self.key_buf = key;
            if let Some(first) = first.map(|i| self.rows[i].row) {
                let issue = Issue::error(
                    ProblemCode::DuplicateInFile,
                    format!(
                        "与第 {first} 行的{what_zh}相同，是重复的记录。请删除重复的行，或更正其中一行"
                    ),
                    format!(
                        "same {what_en} as row {first}; delete the duplicate row or correct one of them"
                    ),
                );
                let value = self.value_of(values, at);
                problems.push(self.problem(row, self.col_for(at), Some(at), value, issue));
            }
        }
        let v = |k| self.value_of(values, k);
        let note = if self.kind == RecordKind::Shipment {
            v(F::DeliveryNoteNo).map(|n| {
                (
                    n,
                    v(F::Customer).unwrap_or_default(),
                    v(F::ShippedOn).unwrap_or_default(),
                )
            })
        } else {
            None
        };
        if let Some((note, customer, date)) = note {
            match self.notes.get(&note) {
                Some((first, c, d))
                    if (c != &customer && !customer.is_empty() && !c.is_empty())
                        || (d != &date && !date.is_empty() && !d.is_empty()) =>
                {
                    let issue = Issue::error(
                        ProblemCode::DeliveryNoteConflict,
                        format!(
                            "出库单 {note} 在第 {first} 行的客户或发货日期与本行不同（{c} {d} / {customer} {date}）。同一张出库单只能发给一个客户、在同一天发出，请核对单号"
                        ),
                        format!(
                            "delivery note {note} has a different customer or date in row {first}; one note goes to one customer on one day"
                        ),
                    );
                    problems.push(self.problem(
                        row,
                        self.col_for(F::DeliveryNoteNo),
                        Some(F::DeliveryNoteNo),
                        Some(note.clone()),
                        issue,
                    ));
                }
                Some(_) => {}
                None => {
                    self.notes.insert(note, (row, customer, date));
                }
            }
        }
    }

    pub(crate) fn finish(mut self, mut sheet_problems: Vec<Problem>) -> SheetRead {
        sheet_problems.append(&mut self.problems);
        if let Some((row, col)) = self.stray {
            sheet_problems.push(Problem {
                severity: Severity::Warning,
                sheet: self.sheet.clone(),
                row: Some(row),
                column: Some(column_letter(col)),
                header: None,
                field: None,
                code: ProblemCode::StrayCells,
                value: None,
                message: codes::Message::new(
                    format!(
                        "表格在第 {} 行结束；其后隔了超过 {} 个空行的 {} 行内容（从 {} 开始）被视为多余内容，未导入。如果它们是数据，请删除中间的空行",
                        self.last_row,
                        self.stray_gap,
                        self.stray_rows,
                        cell_ref(row, u32::from(col))
                    ),
                    format!(
                        "the table ends at row {}; {} rows more than {} blank rows further down (from {}) were not imported",
                        self.last_row,
                        self.stray_rows,
                        self.stray_gap,
                        cell_ref(row, u32::from(col))
                    ),
                ),
            });
        }
        let blocked = sheet_problems.iter().any(Problem::is_error);
        let rows_total = self.rows.len() as u32;
        let rows_valid = if blocked {
            0
        } else {
            self.rows.iter().filter(|r| r.is_valid()).count() as u32
        };
        SheetRead {
            sheet: self.sheet,
            kind: self.kind,
            header_row: Some(self.mapping.header_row),
            mapping: Some(self.mapping),
            rows: self.rows,
            problems: sheet_problems,
            rows_total,
            rows_valid,
        }
    }
}
