//! The one table of record kinds and their columns, used by the reader (header matching, coercion,
//! required checks) and by the writer (template headers, notes, dropdowns, 填表说明).
//!
//! Every header a clerk may plausibly use is listed here, as a synonym, or in the vocabulary of
//! real ledgers beside this crate (`data/header_vocabulary.tsv`: the spellings of factory
//! ledgers, WPS templates, platform templates and ERP exports; `data/unit_vocabulary.tsv`: unit
//! spellings and UN/CEFACT Rec 20 codes), and nowhere else.

use serde::{Deserialize, Serialize};

mod table;

use table::{BATCH, ITEM, PARTY, PRODUCT, RECEIPT, SHIPMENT};

/// What one spreadsheet row describes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RecordKind {
    /// 产品 master data.
    Product,
    /// 供应商 / 客户.
    Party,
    /// 进货查验: a procurement receipt with its incoming inspection.
    Receipt,
    /// 生产批次: a production batch with its factory inspection and consumed material lots.
    Batch,
    /// 一物一码: one serialised item.
    Item,
    /// 销售出库: one shipment line.
    Shipment,
}

impl RecordKind {
    pub const ALL: [RecordKind; 6] = [
        RecordKind::Product,
        RecordKind::Party,
        RecordKind::Receipt,
        RecordKind::Batch,
        RecordKind::Item,
        RecordKind::Shipment,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            RecordKind::Product => "product",
            RecordKind::Party => "party",
            RecordKind::Receipt => "receipt",
            RecordKind::Batch => "batch",
            RecordKind::Item => "item",
            RecordKind::Shipment => "shipment",
        }
    }

    /// The Chinese name used for template files and sheet titles.
    pub fn zh(self) -> &'static str {
        match self {
            RecordKind::Product => "产品信息",
            RecordKind::Party => "供应商与客户",
            RecordKind::Receipt => "进货查验",
            RecordKind::Batch => "生产批次",
            RecordKind::Item => "一物一码",
            RecordKind::Shipment => "销售出库",
        }
    }

    pub fn en(self) -> &'static str {
        match self {
            RecordKind::Product => "Products",
            RecordKind::Party => "Suppliers and customers",
            RecordKind::Receipt => "Procurement receipts",
            RecordKind::Batch => "Production batches",
            RecordKind::Item => "Serialised items",
            RecordKind::Shipment => "Shipments",
        }
    }

    /// The columns of this kind, in template order.
    pub fn fields(self) -> &'static [FieldSpec] {
        match self {
            RecordKind::Product => PRODUCT,
            RecordKind::Party => PARTY,
            RecordKind::Receipt => RECEIPT,
            RecordKind::Batch => BATCH,
            RecordKind::Item => ITEM,
            RecordKind::Shipment => SHIPMENT,
        }
    }

    pub fn field(self, key: FieldKey) -> Option<&'static FieldSpec> {
        self.fields().iter().find(|f| f.key == key)
    }
}

/// One column's meaning. Serialised as the snake_case key (`lot_no`), which is stable.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FieldKey {
    Name,
    Model,
    Category,
    Brand,
    Standard,
    Gtin,
    Scheme,
    Granularity,
    CccCertNo,
    CccValidTo,
    #[serde(rename = "kind")]
    PartyKind,
    Uscc,
    Address,
    Contact,
    Phone,
    ReceivedOn,
    Supplier,
    SupplierUscc,
    Material,
    Spec,
    SupplierLot,
    Quantity,
    Unit,
    InspectionResult,
    ReportNo,
    Note,
    SupplierCodes,
    ComponentCcc,
    Product,
    LotNo,
    ProducedOn,
    Materials,
    Inspector,
    Serial,
    ShippedOn,
    Customer,
    CustomerUscc,
    DeliveryNoteNo,
    LicenceNo,
    ProductionAddress,
    OemRole,
    OemName,
    OemUscc,
    PartyType,
    IdNumber,
    Consent,
    Country,
    ForeignRegNo,
    ShipTo,
    PurchaseOrderNo,
    InvoiceNo,
    InspectedOn,
    ExpiresOn,
    WorkOrderNo,
    OrderNo,
}

impl FieldKey {
    pub fn as_str(self) -> &'static str {
        match self {
            FieldKey::Name => "name",
            FieldKey::Model => "model",
            FieldKey::Category => "category",
            FieldKey::Brand => "brand",
            FieldKey::Standard => "standard",
            FieldKey::Gtin => "gtin",
            FieldKey::Scheme => "scheme",
            FieldKey::Granularity => "granularity",
            FieldKey::CccCertNo => "ccc_cert_no",
            FieldKey::CccValidTo => "ccc_valid_to",
            FieldKey::PartyKind => "kind",
            FieldKey::Uscc => "uscc",
            FieldKey::Address => "address",
            FieldKey::Contact => "contact",
            FieldKey::Phone => "phone",
            FieldKey::ReceivedOn => "received_on",
            FieldKey::Supplier => "supplier",
            FieldKey::SupplierUscc => "supplier_uscc",
            FieldKey::Material => "material",
            FieldKey::Spec => "spec",
            FieldKey::SupplierLot => "supplier_lot",
            FieldKey::Quantity => "quantity",
            FieldKey::Unit => "unit",
            FieldKey::InspectionResult => "inspection_result",
            FieldKey::ReportNo => "report_no",
            FieldKey::Note => "note",
            FieldKey::SupplierCodes => "supplier_codes",
            FieldKey::ComponentCcc => "component_ccc",
            FieldKey::Product => "product",
            FieldKey::LotNo => "lot_no",
            FieldKey::ProducedOn => "produced_on",
            FieldKey::Materials => "materials",
            FieldKey::Inspector => "inspector",
            FieldKey::Serial => "serial",
            FieldKey::ShippedOn => "shipped_on",
            FieldKey::Customer => "customer",
            FieldKey::CustomerUscc => "customer_uscc",
            FieldKey::DeliveryNoteNo => "delivery_note_no",
            FieldKey::LicenceNo => "licence_no",
            FieldKey::ProductionAddress => "production_address",
            FieldKey::OemRole => "oem_role",
            FieldKey::OemName => "oem_name",
            FieldKey::OemUscc => "oem_uscc",
            FieldKey::PartyType => "party_type",
            FieldKey::IdNumber => "id_number",
            FieldKey::Consent => "consent",
            FieldKey::Country => "country",
            FieldKey::ForeignRegNo => "foreign_reg_no",
            FieldKey::ShipTo => "ship_to",
            FieldKey::PurchaseOrderNo => "purchase_order_no",
            FieldKey::InvoiceNo => "invoice_no",
            FieldKey::InspectedOn => "inspected_on",
            FieldKey::ExpiresOn => "expires_on",
            FieldKey::WorkOrderNo => "work_order_no",
            FieldKey::OrderNo => "order_no",
        }
    }
}

/// How a cell of this column is read.
#[derive(Debug, Clone, Copy)]
pub enum FieldType {
    /// Free text, trimmed and with full-width ASCII folded.
    Text,
    /// An identifier kept as text (lot, serial, report or delivery note number): numeric cells are
    /// turned back into their digits and scientific notation is refused.
    Code,
    /// A GS1 GTIN-8/12/13/14, check digit verified.
    Gtin,
    /// 统一社会信用代码, checked by `codes::Uscc::parse`.
    Uscc,
    /// A calendar date. `allow_future` is false for events (received, produced, shipped).
    Date { allow_future: bool },
    /// A positive decimal quantity.
    Quantity,
    /// One of a closed list of values.
    Enum(&'static EnumSpec),
    /// A unit of measure: common spellings are folded (kg → 千克), other text is kept.
    Unit,
    /// Several material lots, each optionally with a quantity (`LOT×qty`, `LOT(qty)`).
    Lots,
    /// Several codes of any scheme as scanned (one per line, or separated by `;`): each kept as
    /// a code (width folded, blanks at its ends dropped), one per line in the value.
    Codes,
}

impl FieldType {
    /// Columns whose values Excel must not reinterpret; templates format them as text ("@").
    pub fn is_code(self) -> bool {
        matches!(
            self,
            FieldType::Code
                | FieldType::Gtin
                | FieldType::Uscc
                | FieldType::Lots
                | FieldType::Codes
        )
    }

    /// How to fill the column, for the 填表说明 sheet: (zh, en).
    pub fn format_hint(self) -> (String, String) {
        match self {
            FieldType::Text => ("文字".into(), "text".into()),
            FieldType::Code => ("编号，按文本填写，保留前导 0".into(), "code, entered as text, leading zeros kept".into()),
            FieldType::Gtin => (
                "8、12、13 或 14 位数字商品条码，末位为校验码；单元格须为文本格式".into(),
                "GTIN of 8, 12, 13 or 14 digits with a valid check digit; the cell must be text".into(),
            ),
            FieldType::Uscc => ("18 位统一社会信用代码".into(), "18-character unified social credit code".into()),
            FieldType::Date { allow_future } => {
                let (zh, en) = if allow_future {
                    ("日期，如 2025-03-04", "date such as 2025-03-04")
                } else {
                    ("日期，如 2025-03-04，不能晚于导入当天", "date such as 2025-03-04, not after the import day")
                };
                (zh.into(), en.into())
            }
            FieldType::Quantity => ("大于 0 的数字，不带单位".into(), "number greater than 0, without unit".into()),
            FieldType::Enum(spec) => (
                format!("从下拉列表选择：{}", spec.values.iter().map(|v| v.zh).collect::<Vec<_>>().join("、")),
                format!(
                    "one of: {}",
                    spec.values.iter().map(|v| v.en).collect::<Vec<_>>().join(", ")
                ),
            ),
            FieldType::Unit => (
                format!("计量单位，如 {}", TEMPLATE_UNITS.join("、")),
                "unit of measure, e.g. 个 (piece), 千克 (kg)".into(),
            ),
            FieldType::Lots => (
                "一个或多个原料批号，用逗号或顿号分隔；可附用量，如 L001×20、L002(5)".into(),
                "one or more material lots separated by commas; optional quantity as L001×20 or L002(5)".into(),
            ),
            FieldType::Codes => (
                "一个或多个码，按扫描原样填写，用分号 ; 或换行分隔；单元格须为文本格式".into(),
                "one or more codes as scanned, separated by ; or line breaks; the cell must be text".into(),
            ),
        }
    }
}

/// Whether a row must fill this column.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Need {
    Required,
    Optional,
    /// This column or the other one must be filled (batch/shipment: 产品名称 or 商品条码).
    EitherOr(FieldKey),
}

/// One column of one record kind.
#[derive(Debug)]
pub struct FieldSpec {
    pub key: FieldKey,
    /// The header written into templates.
    pub zh: &'static str,
    pub en: &'static str,
    /// Other headers that mean the same, Chinese and English. Matched after normalisation.
    pub synonyms: &'static [&'static str],
    pub ty: FieldType,
    pub need: Need,
    /// One sentence for the header note and the 填表说明 sheet.
    pub explain_zh: &'static str,
    pub explain_en: &'static str,
    /// The value in the template's example row.
    pub example: &'static str,
}

impl FieldSpec {
    pub fn required(&self) -> bool {
        matches!(self.need, Need::Required)
    }

    pub fn need_zh(&self) -> String {
        match self.need {
            Need::Required => "必填".into(),
            Need::Optional => "选填".into(),
            Need::EitherOr(other) => {
                let other = ALL_SPECS
                    .iter()
                    .find(|f| f.key == other)
                    .map_or("", |f| f.zh);
                format!("与“{other}”至少填一项")
            }
        }
    }
}

/// One allowed value of an enumeration.
#[derive(Debug)]
pub struct EnumValue {
    /// Stable key stored in drafts (`pass`, `supplier`, …).
    pub key: &'static str,
    pub zh: &'static str,
    pub en: &'static str,
    /// Other spellings, matched after removing blanks and folding case and width.
    pub synonyms: &'static [&'static str],
}

#[derive(Debug)]
pub struct EnumSpec {
    pub name: &'static str,
    pub values: &'static [EnumValue],
}

pub static INSPECTION_RESULT: EnumSpec = EnumSpec {
    name: "inspection_result",
    values: &[
        EnumValue {
            key: "pass",
            zh: "合格",
            en: "pass",
            synonyms: &[
                "合格",
                "pass",
                "passed",
                "ok",
                "y",
                "yes",
                "是",
                "通过",
                "✓",
                "✔",
                "√",
                "○",
                "qualified",
                "符合",
            ],
        },
        EnumValue {
            key: "fail",
            zh: "不合格",
            en: "fail",
            synonyms: &[
                "不合格",
                "fail",
                "failed",
                "ng",
                "n",
                "no",
                "否",
                "不通过",
                "✗",
                "✘",
                "×",
                "x",
                "unqualified",
                "不符合",
            ],
        },
        EnumValue {
            key: "pending",
            zh: "待检",
            en: "pending",
            synonyms: &[
                "待检",
                "待检验",
                "未检",
                "未检验",
                "pending",
                "待定",
                "检验中",
            ],
        },
    ],
};

pub static PARTY_KIND: EnumSpec = EnumSpec {
    name: "party_kind",
    values: &[
        EnumValue {
            key: "supplier",
            zh: "供应商",
            en: "supplier",
            synonyms: &["供应商", "供货商", "供方", "供货单位", "supplier", "vendor"],
        },
        EnumValue {
            key: "customer",
            zh: "客户",
            en: "customer",
            synonyms: &[
                "客户",
                "购货单位",
                "需方",
                "买方",
                "经销商",
                "customer",
                "buyer",
            ],
        },
    ],
};

pub static SCHEME: EnumSpec = EnumSpec {
    name: "scheme",
    values: &[
        EnumValue {
            key: "gs1",
            zh: "GS1",
            en: "GS1",
            synonyms: &["gs1", "商品条码", "条码", "ean", "gtin"],
        },
        EnumValue {
            key: "ecode",
            zh: "Ecode",
            en: "Ecode",
            synonyms: &["ecode", "物联网标识", "e码"],
        },
        EnumValue {
            key: "digital_id",
            zh: "数字身份码",
            en: "digital ID",
            synonyms: &["数字身份码", "身份码", "digitalid"],
        },
    ],
};

pub static GRANULARITY: EnumSpec = EnumSpec {
    name: "granularity",
    values: &[
        EnumValue {
            key: "product",
            zh: "一品一码",
            en: "per product",
            synonyms: &["一品一码", "一品", "品", "product", "sku"],
        },
        EnumValue {
            key: "batch",
            zh: "一批一码",
            en: "per batch",
            synonyms: &["一批一码", "一批", "批", "批次", "batch", "lot"],
        },
        EnumValue {
            key: "item",
            zh: "一物一码",
            en: "per item",
            synonyms: &["一物一码", "一物", "物", "单品", "item", "serial"],
        },
    ],
};

/// 客户类型: what identifies a party (organisation by default when the column is absent or empty).
pub static PARTY_TYPE: EnumSpec = EnumSpec {
    name: "party_type",
    values: &[
        EnumValue {
            key: "organisation",
            zh: "单位",
            en: "organisation",
            synonyms: &[
                "单位",
                "企业",
                "公司",
                "机构",
                "organisation",
                "organization",
                "company",
            ],
        },
        EnumValue {
            key: "individual",
            zh: "个人",
            en: "individual",
            synonyms: &[
                "个人",
                "自然人",
                "散客",
                "零售",
                "individual",
                "person",
                "retail",
            ],
        },
        EnumValue {
            key: "foreign",
            zh: "境外",
            en: "foreign",
            synonyms: &[
                "境外", "国外", "海外", "外商", "foreign", "overseas", "abroad",
            ],
        },
    ],
};

/// 委托生产: which side of an entrustment the enterprise is on.
pub static OEM_ROLE: EnumSpec = EnumSpec {
    name: "oem_role",
    values: &[
        EnumValue {
            key: "none",
            zh: "否",
            en: "no",
            synonyms: &["否", "无", "自产", "自主生产", "no", "none"],
        },
        EnumValue {
            key: "manufacturer",
            zh: "受托生产",
            en: "made for a principal",
            synonyms: &["受托生产", "受托", "代工", "受委托", "manufacturer", "oem"],
        },
        EnumValue {
            key: "principal",
            zh: "委托生产",
            en: "made by a contract manufacturer",
            synonyms: &[
                "委托生产",
                "委托",
                "委托加工",
                "是",
                "principal",
                "entrusted",
            ],
        },
    ],
};

/// 已取得同意: the person agreed that the masked numbers are kept and reported.
pub static CONSENT: EnumSpec = EnumSpec {
    name: "consent",
    values: &[
        EnumValue {
            key: "yes",
            zh: "是",
            en: "yes",
            synonyms: &["是", "已同意", "同意", "有", "y", "yes", "true"],
        },
        EnumValue {
            key: "no",
            zh: "否",
            en: "no",
            synonyms: &["否", "未同意", "不同意", "无", "n", "no", "false"],
        },
    ],
};

/// Every enumeration, for lookups built once.
pub static ENUMS: [&EnumSpec; 7] = [
    &INSPECTION_RESULT,
    &PARTY_KIND,
    &SCHEME,
    &GRANULARITY,
    &PARTY_TYPE,
    &OEM_ROLE,
    &CONSENT,
];

/// The units the template offers in its dropdown, in this order: Chinese unit words of the unit
/// table (`codes::units`), which also holds their spellings and Rec 20 codes.
pub static TEMPLATE_UNITS: [&str; 8] = ["个", "台", "套", "件", "米", "千克", "吨", "箱"];

// ---------------------------------------------------------------------------------------------
// The vocabulary of real ledgers (data files)

/// One header spelling of `data/header_vocabulary.tsv`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HeaderSpelling {
    pub kind: RecordKind,
    pub field: FieldKey,
    pub text: &'static str,
    /// Where the spelling is seen: 工厂台账, WPS, 平台, ERP, en.
    pub source: &'static str,
}

/// One unit spelling of `data/unit_vocabulary.tsv`: folded into the Chinese unit `zh`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct UnitSpelling {
    pub zh: &'static str,
    pub text: &'static str,
    pub source: &'static str,
}

const HEADER_VOCABULARY_TSV: &str = include_str!("../data/header_vocabulary.tsv");
const UNIT_VOCABULARY_TSV: &str = include_str!("../data/unit_vocabulary.tsv");

/// The non-comment lines of a TSV file, split into `n` columns.
fn tsv_rows(text: &'static str, n: usize) -> impl Iterator<Item = (usize, Vec<&'static str>)> {
    text.lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty() && !l.starts_with('#'))
        .map(move |(i, l)| {
            let cols: Vec<&'static str> = l.split('\t').map(str::trim).collect();
            assert!(
                cols.len() == n && cols.iter().all(|c| !c.is_empty()),
                "vocabulary line {}: expected {n} tab-separated columns: {l:?}",
                i + 1
            );
            (i + 1, cols)
        })
}

static HEADER_VOCABULARY: std::sync::LazyLock<Vec<HeaderSpelling>> =
    std::sync::LazyLock::new(|| {
        let mut out = Vec::new();
        for (line, cols) in tsv_rows(HEADER_VOCABULARY_TSV, 4) {
            let field = ALL_SPECS
                .iter()
                .map(|f| f.key)
                .find(|k| k.as_str() == cols[1])
                .unwrap_or_else(|| panic!("header vocabulary line {line}: no field {:?}", cols[1]));
            let kinds: Vec<RecordKind> = if cols[0] == "*" {
                RecordKind::ALL
                    .into_iter()
                    .filter(|k| k.field(field).is_some())
                    .collect()
            } else {
                cols[0]
                    .split(',')
                    .map(|k| {
                        RecordKind::ALL
                            .into_iter()
                            .find(|r| r.as_str() == k.trim())
                            .unwrap_or_else(|| {
                                panic!("header vocabulary line {line}: no kind {k:?}")
                            })
                    })
                    .collect()
            };
            for kind in kinds {
                assert!(
                    kind.field(field).is_some(),
                    "header vocabulary line {line}: {} has no field {}",
                    kind.as_str(),
                    field.as_str()
                );
                out.push(HeaderSpelling {
                    kind,
                    field,
                    text: cols[2],
                    source: cols[3],
                });
            }
        }
        out
    });

static UNIT_VOCABULARY: std::sync::LazyLock<Vec<UnitSpelling>> = std::sync::LazyLock::new(|| {
    tsv_rows(UNIT_VOCABULARY_TSV, 3)
        .map(|(_, cols)| UnitSpelling {
            zh: cols[0],
            text: cols[1],
            source: cols[2],
        })
        .collect()
});

/// Every header spelling of the vocabulary file, one per kind it applies to.
pub fn header_vocabulary() -> &'static [HeaderSpelling] {
    &HEADER_VOCABULARY
}

/// The vocabulary's spellings of `field` in `kind` (beyond the field's header and synonyms).
pub fn vocabulary_of(kind: RecordKind, field: FieldKey) -> impl Iterator<Item = &'static str> {
    HEADER_VOCABULARY
        .iter()
        .filter(move |s| s.kind == kind && s.field == field)
        .map(|s| s.text)
}

/// Every spelling of `field` in `kind`: its template header, English name, synonyms, and the
/// vocabulary's spellings.
pub fn spellings_of(
    kind: RecordKind,
    spec: &'static FieldSpec,
) -> impl Iterator<Item = &'static str> {
    [spec.zh, spec.en]
        .into_iter()
        .chain(spec.synonyms.iter().copied())
        .chain(vocabulary_of(kind, spec.key))
}

/// Every unit spelling of the vocabulary file (Chinese spellings and UN/CEFACT Rec 20 codes).
pub fn unit_vocabulary() -> &'static [UnitSpelling] {
    &UNIT_VOCABULARY
}

/// Every spec of every kind, for lookups by key across kinds.
static ALL_SPECS: std::sync::LazyLock<Vec<&'static FieldSpec>> = std::sync::LazyLock::new(|| {
    RecordKind::ALL
        .iter()
        .flat_map(|k| k.fields().iter())
        .collect()
});
