//! The one table of record kinds and their columns, used by the reader (header matching, coercion,
//! required checks) and by the writer (template headers, notes, dropdowns, 填表说明).
//!
//! Every header a clerk may plausibly use is listed here, as a synonym, or in the vocabulary of
//! real ledgers beside this crate (`data/header_vocabulary.tsv`: the spellings of factory
//! ledgers, WPS templates, platform templates and ERP exports; `data/unit_vocabulary.tsv`: unit
//! spellings and UN/CEFACT Rec 20 codes), and nowhere else.

use serde::{Deserialize, Serialize};

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
}

impl FieldType {
    /// Columns whose values Excel must not reinterpret; templates format them as text ("@").
    pub fn is_code(self) -> bool {
        matches!(
            self,
            FieldType::Code | FieldType::Gtin | FieldType::Uscc | FieldType::Lots
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
                format!("计量单位，如 {}", UNITS.iter().map(|u| u.zh).collect::<Vec<_>>().join("、")),
                "unit of measure, e.g. 个 (piece), 千克 (kg)".into(),
            ),
            FieldType::Lots => (
                "一个或多个原料批号，用逗号或顿号分隔；可附用量，如 L001×20、L002(5)".into(),
                "one or more material lots separated by commas; optional quantity as L001×20 or L002(5)".into(),
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

/// Every enumeration, for lookups built once.
pub static ENUMS: [&EnumSpec; 4] = [&INSPECTION_RESULT, &PARTY_KIND, &SCHEME, &GRANULARITY];

/// A unit the template offers in its dropdown, with the spellings folded into it.
#[derive(Debug)]
pub struct UnitSpec {
    pub zh: &'static str,
    pub synonyms: &'static [&'static str],
}

pub static UNITS: &[UnitSpec] = &[
    UnitSpec {
        zh: "个",
        synonyms: &["个", "pcs", "pc", "piece", "pieces", "ea", "只"],
    },
    UnitSpec {
        zh: "台",
        synonyms: &["台", "set", "unit", "units"],
    },
    UnitSpec {
        zh: "套",
        synonyms: &["套", "kit", "sets"],
    },
    UnitSpec {
        zh: "件",
        synonyms: &["件", "item", "items"],
    },
    UnitSpec {
        zh: "米",
        synonyms: &["米", "m", "meter", "metre", "meters", "metres"],
    },
    UnitSpec {
        zh: "千克",
        synonyms: &["千克", "kg", "kgs", "公斤", "kilogram", "kilograms"],
    },
    UnitSpec {
        zh: "吨",
        synonyms: &["吨", "t", "ton", "tons", "tonne", "tonnes"],
    },
    UnitSpec {
        zh: "箱",
        synonyms: &["箱", "ctn", "ctns", "carton", "cartons", "box", "boxes"],
    },
];

const DATE_NO_FUTURE: FieldType = FieldType::Date {
    allow_future: false,
};

// Shared column definitions (the same column in several kinds is described once).
const GTIN_SYNONYMS: &[&str] = &[
    "商品条码",
    "商品条码/GTIN",
    "条码",
    "条形码",
    "商品条形码",
    "产品条码",
    "国际条码",
    "GTIN",
    "GTIN码",
    "EAN",
    "EAN码",
    "Barcode",
    "Bar Code",
];
const LOT_SYNONYMS: &[&str] = &[
    "生产批号",
    "批号",
    "批次号",
    "批次",
    "产品批号",
    "批次编号",
    "Lot",
    "Lot No",
    "Lot Number",
    "Batch",
    "Batch No",
    "Batch Number",
];
const UNIT_SYNONYMS: &[&str] = &[
    "单位",
    "计量单位",
    "数量单位",
    "Unit",
    "UOM",
    "Unit of Measure",
];
const REPORT_SYNONYMS: &[&str] = &[
    "检验报告编号",
    "报告编号",
    "检验报告号",
    "检测报告编号",
    "报告号",
    "Report No",
    "Report Number",
    "Inspection Report No",
];
const PRODUCT_REF_SYNONYMS: &[&str] = &[
    "产品名称",
    "产品",
    "品名",
    "产品名",
    "商品名称",
    "Product",
    "Product Name",
];

macro_rules! field {
    ($key:ident, $zh:expr, $en:expr, $syn:expr, $ty:expr, $need:expr, $ezh:expr, $een:expr, $ex:expr) => {
        FieldSpec {
            key: FieldKey::$key,
            zh: $zh,
            en: $en,
            synonyms: $syn,
            ty: $ty,
            need: $need,
            explain_zh: $ezh,
            explain_en: $een,
            example: $ex,
        }
    };
}

static PRODUCT: &[FieldSpec] = &[
    field!(
        Name,
        "产品名称",
        "Product name",
        &[
            "产品名称",
            "产品名",
            "品名",
            "商品名称",
            "产品",
            "名称",
            "Product",
            "Product Name",
            "Item Name",
            "Name"
        ],
        FieldType::Text,
        Need::Required,
        "产品的通用名称，与产品标签一致。",
        "The product's common name as on its label.",
        "电热水壶"
    ),
    field!(
        Model,
        "规格型号",
        "Model",
        &[
            "规格型号",
            "型号",
            "规格",
            "型号规格",
            "产品型号",
            "产品规格",
            "Model",
            "Specification",
            "Spec",
            "Model/Spec"
        ],
        FieldType::Text,
        Need::Required,
        "产品的规格或型号，与合格证、标签一致。",
        "Model or specification as on the certificate and label.",
        "SWF-17E"
    ),
    field!(
        Category,
        "产品类别",
        "Category",
        &[
            "产品类别",
            "类别",
            "产品分类",
            "分类",
            "品类",
            "监管类别",
            "Category",
            "Product Category"
        ],
        FieldType::Text,
        Need::Optional,
        "产品所属的重点工业产品或 CCC 目录类别。",
        "Key-product or CCC catalogue category of the product.",
        "家用电器"
    ),
    field!(
        Brand,
        "品牌",
        "Brand",
        &["品牌", "商标", "品牌名称", "Brand", "Trademark"],
        FieldType::Text,
        Need::Optional,
        "产品使用的品牌或注册商标。",
        "Brand or registered trademark.",
        "示例牌"
    ),
    field!(
        Standard,
        "执行标准",
        "Standard",
        &[
            "执行标准",
            "产品标准",
            "标准号",
            "标准",
            "执行标准号",
            "Standard",
            "Executive Standard"
        ],
        FieldType::Text,
        Need::Optional,
        "产品执行的国家、行业或企业标准编号。",
        "Standard the product is made to (GB, industry or enterprise).",
        "GB 4706.19-2008"
    ),
    field!(
        Gtin,
        "商品条码",
        "GTIN",
        GTIN_SYNONYMS,
        FieldType::Gtin,
        Need::Optional,
        "GS1 商品条码（GTIN），8/12/13/14 位数字，请设为文本格式以免丢失前导 0。",
        "GS1 GTIN of 8, 12, 13 or 14 digits; keep the cell as text so leading zeros survive.",
        "9520123456788"
    ),
    field!(
        Scheme,
        "编码方案",
        "Code scheme",
        &[
            "编码方案",
            "码制",
            "编码体系",
            "追溯码类型",
            "编码类型",
            "Scheme",
            "Code Scheme"
        ],
        FieldType::Enum(&SCHEME),
        Need::Optional,
        "该产品使用的追溯编码体系：GS1、Ecode 或数字身份码。",
        "Trace-code scheme used for this product.",
        "GS1"
    ),
    field!(
        Granularity,
        "赋码粒度",
        "Granularity",
        &["赋码粒度", "粒度", "赋码方式", "赋码层级", "Granularity"],
        FieldType::Enum(&GRANULARITY),
        Need::Optional,
        "追溯码赋到哪一级：一品一码、一批一码或一物一码。",
        "Level the trace code is applied at.",
        "一批一码"
    ),
    field!(
        CccCertNo,
        "CCC证书编号",
        "CCC certificate no.",
        &[
            "CCC证书编号",
            "CCC证书号",
            "3C证书编号",
            "3C证书号",
            "CCC认证证书编号",
            "认证证书编号",
            "证书编号",
            "CCC Certificate No",
            "Certificate No",
            "CCC No"
        ],
        FieldType::Code,
        Need::Optional,
        "属于 CCC 目录的产品填写强制性产品认证证书编号。",
        "Compulsory certification (CCC) certificate number, if the product needs one.",
        "2021010701234567"
    ),
    field!(
        CccValidTo,
        "证书有效期",
        "Certificate valid to",
        &[
            "证书有效期",
            "证书有效期至",
            "有效期至",
            "有效期",
            "有效期限",
            "证书到期日",
            "Valid To",
            "Expiry Date",
            "Certificate Valid To"
        ],
        FieldType::Date { allow_future: true },
        Need::Optional,
        "CCC 证书的有效期截止日期。",
        "Last day the CCC certificate is valid.",
        "2027-12-31"
    ),
];

static PARTY: &[FieldSpec] = &[
    field!(
        PartyKind,
        "类型",
        "Type",
        &[
            "类型",
            "往来单位类型",
            "单位类型",
            "类别",
            "角色",
            "Type",
            "Party Type",
            "Role"
        ],
        FieldType::Enum(&PARTY_KIND),
        Need::Required,
        "该单位是供应商还是客户。",
        "Whether this party is a supplier or a customer.",
        "供应商"
    ),
    field!(
        Name,
        "企业名称",
        "Name",
        &[
            "企业名称",
            "单位名称",
            "名称",
            "公司名称",
            "公司",
            "企业",
            "供应商名称",
            "客户名称",
            "Name",
            "Company",
            "Company Name"
        ],
        FieldType::Text,
        Need::Required,
        "与营业执照一致的企业全称。",
        "Full legal name as on the business licence.",
        "示例原料有限公司"
    ),
    field!(
        Uscc,
        "统一社会信用代码",
        "USCC",
        &[
            "统一社会信用代码",
            "社会信用代码",
            "信用代码",
            "统一信用代码",
            "营业执照号",
            "税号",
            "纳税人识别号",
            "USCC",
            "Unified Social Credit Code",
            "Credit Code"
        ],
        FieldType::Uscc,
        Need::Required,
        "营业执照上的 18 位统一社会信用代码。",
        "The 18-character code on the business licence.",
        "91350100M000100Y43"
    ),
    field!(
        Address,
        "地址",
        "Address",
        &[
            "地址",
            "企业地址",
            "详细地址",
            "注册地址",
            "经营地址",
            "Address"
        ],
        FieldType::Text,
        Need::Optional,
        "企业的经营或注册地址。",
        "Business or registered address.",
        "福建省福州市示例路 1 号"
    ),
    field!(
        Contact,
        "联系人",
        "Contact",
        &[
            "联系人",
            "负责人",
            "联系人姓名",
            "Contact",
            "Contact Person"
        ],
        FieldType::Text,
        Need::Optional,
        "对接人姓名。",
        "Name of the contact person.",
        "张三"
    ),
    field!(
        Phone,
        "联系电话",
        "Phone",
        &[
            "联系电话",
            "电话",
            "手机",
            "手机号",
            "手机号码",
            "联系方式",
            "Phone",
            "Tel",
            "Telephone",
            "Mobile"
        ],
        FieldType::Code,
        Need::Optional,
        "联系人的电话或手机号码。",
        "Contact phone or mobile number.",
        "0591-12345678"
    ),
];

static RECEIPT: &[FieldSpec] = &[
    field!(
        ReceivedOn,
        "进货日期",
        "Received on",
        &[
            "进货日期",
            "收货日期",
            "到货日期",
            "入库日期",
            "采购日期",
            "验收日期",
            "Received On",
            "Receipt Date",
            "Date Received",
            "Receiving Date"
        ],
        DATE_NO_FUTURE,
        Need::Required,
        "原料到货并查验的日期，不能晚于今天。",
        "Day the material arrived and was inspected; not in the future.",
        "2025-03-04"
    ),
    field!(
        Supplier,
        "供应商",
        "Supplier",
        &[
            "供应商",
            "供应商名称",
            "供货单位",
            "供货商",
            "供方",
            "Supplier",
            "Vendor",
            "Supplier Name"
        ],
        FieldType::Text,
        Need::Required,
        "供货企业的全称，与供应商资料一致。",
        "Supplier's full name as in the party list.",
        "示例原料有限公司"
    ),
    field!(
        SupplierUscc,
        "供应商统一社会信用代码",
        "Supplier USCC",
        &[
            "供应商统一社会信用代码",
            "供应商信用代码",
            "供应商社会信用代码",
            "统一社会信用代码",
            "信用代码",
            "Supplier USCC",
            "USCC"
        ],
        FieldType::Uscc,
        Need::Optional,
        "供应商营业执照上的 18 位代码。",
        "The supplier's 18-character code.",
        "91350100M000100Y43"
    ),
    field!(
        Material,
        "原料名称",
        "Material",
        &[
            "原料名称",
            "原材料名称",
            "原料",
            "原材料",
            "物料名称",
            "材料名称",
            "物料",
            "Material",
            "Material Name",
            "Raw Material"
        ],
        FieldType::Text,
        Need::Required,
        "所购原料或零部件的名称。",
        "Name of the material or component bought.",
        "304 不锈钢板"
    ),
    field!(
        Spec,
        "规格",
        "Spec",
        &[
            "规格",
            "规格型号",
            "型号",
            "原料规格",
            "Spec",
            "Specification"
        ],
        FieldType::Text,
        Need::Optional,
        "原料的规格或型号。",
        "Material specification or model.",
        "0.8mm"
    ),
    field!(
        SupplierLot,
        "供应商批号",
        "Supplier lot",
        &[
            "供应商批号",
            "原料批号",
            "供货批号",
            "进货批号",
            "批号",
            "批次号",
            "Supplier Lot",
            "Supplier Lot No",
            "Supplier Batch No",
            "Lot",
            "Lot No",
            "Batch No"
        ],
        FieldType::Code,
        Need::Required,
        "供应商标注的原料批号，用于追溯到上游。",
        "Lot number printed by the supplier, used to trace upstream.",
        "S20250301"
    ),
    field!(
        Quantity,
        "数量",
        "Quantity",
        &[
            "数量",
            "进货数量",
            "收货数量",
            "到货数量",
            "Quantity",
            "Qty"
        ],
        FieldType::Quantity,
        Need::Required,
        "本次到货数量，只填数字。",
        "Quantity received, number only.",
        "500"
    ),
    field!(
        Unit,
        "单位",
        "Unit",
        UNIT_SYNONYMS,
        FieldType::Unit,
        Need::Required,
        "数量的计量单位。",
        "Unit of the quantity.",
        "千克"
    ),
    field!(
        InspectionResult,
        "检验结果",
        "Inspection result",
        &[
            "检验结果",
            "查验结果",
            "进货查验结果",
            "验收结果",
            "检验结论",
            "查验结论",
            "结论",
            "Inspection Result",
            "Result"
        ],
        FieldType::Enum(&INSPECTION_RESULT),
        Need::Required,
        "进货查验的结论：合格、不合格或待检。",
        "Outcome of the incoming inspection.",
        "合格"
    ),
    field!(
        ReportNo,
        "检验报告编号",
        "Report no.",
        &[
            "检验报告编号",
            "报告编号",
            "检验报告号",
            "检测报告编号",
            "合格证明编号",
            "报告号",
            "Report No",
            "Report Number",
            "Inspection Report No"
        ],
        FieldType::Code,
        Need::Optional,
        "供应商提供的检验报告或合格证明编号。",
        "Number of the supplier's test report or certificate.",
        "JC2025-0301"
    ),
    field!(
        Note,
        "备注",
        "Note",
        &["备注", "说明", "Note", "Notes", "Remarks", "Comment"],
        FieldType::Text,
        Need::Optional,
        "其他需要说明的情况。",
        "Anything else worth recording.",
        ""
    ),
];

static BATCH: &[FieldSpec] = &[
    field!(
        Product,
        "产品名称",
        "Product",
        PRODUCT_REF_SYNONYMS,
        FieldType::Text,
        Need::EitherOr(FieldKey::Gtin),
        "本批次生产的产品，与产品信息中的名称一致；也可只填商品条码。",
        "Product made in this batch, as named in the product list; or give its GTIN.",
        "电热水壶"
    ),
    field!(
        Gtin,
        "商品条码",
        "GTIN",
        GTIN_SYNONYMS,
        FieldType::Gtin,
        Need::EitherOr(FieldKey::Product),
        "产品的 GS1 商品条码，8/12/13/14 位数字；请设为文本格式。",
        "Product GTIN; keep the cell as text.",
        "9520123456788"
    ),
    field!(
        LotNo,
        "生产批号",
        "Lot no.",
        LOT_SYNONYMS,
        FieldType::Code,
        Need::Required,
        "本批产品的批号，同一产品的批号不能重复。",
        "Batch (lot) number; unique per product.",
        "20250304A"
    ),
    field!(
        ProducedOn,
        "生产日期",
        "Produced on",
        &[
            "生产日期",
            "生产时间",
            "制造日期",
            "生产完成日期",
            "Production Date",
            "Produced On",
            "Manufacture Date",
            "Manufacturing Date",
            "MFG Date"
        ],
        DATE_NO_FUTURE,
        Need::Required,
        "本批产品的生产日期，不能晚于今天。",
        "Production date of the batch; not in the future.",
        "2025-03-04"
    ),
    field!(
        Quantity,
        "数量",
        "Quantity",
        &["数量", "生产数量", "产量", "批量", "Quantity", "Qty"],
        FieldType::Quantity,
        Need::Required,
        "本批生产数量，只填数字。",
        "Quantity made, number only.",
        "1200"
    ),
    field!(
        Unit,
        "单位",
        "Unit",
        UNIT_SYNONYMS,
        FieldType::Unit,
        Need::Required,
        "数量的计量单位。",
        "Unit of the quantity.",
        "台"
    ),
    field!(
        Materials,
        "消耗原料批号",
        "Material lots",
        &[
            "消耗原料批号",
            "原料批号",
            "投料批号",
            "使用原料批号",
            "原料批次",
            "原材料批号",
            "消耗原料",
            "Materials",
            "Material Lots",
            "Input Lots"
        ],
        FieldType::Lots,
        Need::Optional,
        "本批使用的原料批号（即进货查验中的供应商批号），多个用逗号或顿号分隔，可附用量如 S20250301×50。",
        "Supplier lots consumed, separated by commas; optional quantity as LOT×qty or LOT(qty).",
        "S20250301×50、S20250302(20)"
    ),
    field!(
        InspectionResult,
        "出厂检验结果",
        "Inspection result",
        &[
            "出厂检验结果",
            "检验结果",
            "出厂检验结论",
            "检验结论",
            "出厂检验",
            "质检结果",
            "Inspection Result",
            "QC Result",
            "Result"
        ],
        FieldType::Enum(&INSPECTION_RESULT),
        Need::Required,
        "出厂检验结论：合格、不合格或待检。",
        "Outcome of the factory inspection.",
        "合格"
    ),
    field!(
        Inspector,
        "检验员",
        "Inspector",
        &["检验员", "检验人", "质检员", "检验人员", "Inspector", "QC"],
        FieldType::Text,
        Need::Optional,
        "签发出厂检验结论的检验员。",
        "Inspector who signed the factory inspection.",
        "李四"
    ),
    field!(
        ReportNo,
        "检验报告编号",
        "Report no.",
        REPORT_SYNONYMS,
        FieldType::Code,
        Need::Optional,
        "出厂检验报告编号。",
        "Factory inspection report number.",
        "CC2025-0304"
    ),
];

static ITEM: &[FieldSpec] = &[
    field!(
        Gtin,
        "商品条码",
        "GTIN",
        GTIN_SYNONYMS,
        FieldType::Gtin,
        Need::Required,
        "单品所属产品的 GS1 商品条码；请设为文本格式。",
        "GTIN of the item's product; keep the cell as text.",
        "9520123456788"
    ),
    field!(
        LotNo,
        "生产批号",
        "Lot no.",
        LOT_SYNONYMS,
        FieldType::Code,
        Need::Optional,
        "单品所属的生产批号。",
        "Lot the item belongs to.",
        "20250304A"
    ),
    field!(
        Serial,
        "序列号",
        "Serial",
        &[
            "序列号",
            "序列码",
            "单品序列号",
            "产品序列号",
            "单品码",
            "Serial",
            "Serial No",
            "Serial Number",
            "SN"
        ],
        FieldType::Code,
        Need::Required,
        "单品序列号，同一商品条码和批号下不能重复。",
        "Item serial number; unique per GTIN and lot.",
        "000001"
    ),
    field!(
        ProducedOn,
        "生产日期",
        "Produced on",
        &[
            "生产日期",
            "生产时间",
            "制造日期",
            "Production Date",
            "Produced On",
            "Manufacture Date",
            "MFG Date"
        ],
        DATE_NO_FUTURE,
        Need::Optional,
        "单品的生产日期，不能晚于今天。",
        "Production date of the item; not in the future.",
        "2025-03-04"
    ),
];

static SHIPMENT: &[FieldSpec] = &[
    field!(
        ShippedOn,
        "发货日期",
        "Shipped on",
        &[
            "发货日期",
            "出库日期",
            "销售日期",
            "发运日期",
            "送货日期",
            "Shipped On",
            "Ship Date",
            "Shipping Date",
            "Delivery Date"
        ],
        DATE_NO_FUTURE,
        Need::Required,
        "货物发出的日期，不能晚于今天。",
        "Day the goods left; not in the future.",
        "2025-03-05"
    ),
    field!(
        Customer,
        "客户",
        "Customer",
        &[
            "客户",
            "客户名称",
            "购货单位",
            "收货单位",
            "销售对象",
            "销售去向",
            "Customer",
            "Customer Name",
            "Buyer"
        ],
        FieldType::Text,
        Need::Required,
        "收货客户的全称，与客户资料一致。",
        "Customer's full name as in the party list.",
        "示例商贸有限公司"
    ),
    field!(
        CustomerUscc,
        "客户统一社会信用代码",
        "Customer USCC",
        &[
            "客户统一社会信用代码",
            "客户信用代码",
            "客户社会信用代码",
            "统一社会信用代码",
            "信用代码",
            "Customer USCC",
            "USCC"
        ],
        FieldType::Uscc,
        Need::Optional,
        "客户营业执照上的 18 位代码。",
        "The customer's 18-character code.",
        "91110000600037341L"
    ),
    field!(
        DeliveryNoteNo,
        "出库单号",
        "Delivery note no.",
        &[
            "出库单号",
            "发货单号",
            "送货单号",
            "出库单编号",
            "销售单号",
            "单号",
            "Delivery Note No",
            "Delivery Note",
            "DN No"
        ],
        FieldType::Code,
        Need::Required,
        "出库单或送货单编号；同一单据的多行须属于同一客户和日期。",
        "Delivery note number; all lines of one note share customer and date.",
        "CK20250305001"
    ),
    field!(
        Product,
        "产品名称",
        "Product",
        PRODUCT_REF_SYNONYMS,
        FieldType::Text,
        Need::EitherOr(FieldKey::Gtin),
        "发出的产品名称；也可只填商品条码。",
        "Product shipped; or give its GTIN.",
        "电热水壶"
    ),
    field!(
        Gtin,
        "商品条码",
        "GTIN",
        GTIN_SYNONYMS,
        FieldType::Gtin,
        Need::EitherOr(FieldKey::Product),
        "发出产品的 GS1 商品条码；请设为文本格式。",
        "GTIN of the product shipped; keep the cell as text.",
        "9520123456788"
    ),
    field!(
        LotNo,
        "生产批号",
        "Lot no.",
        &[
            "生产批号",
            "批号",
            "批次号",
            "批次",
            "产品批号",
            "Lot",
            "Lot No",
            "Lot Number",
            "Batch",
            "Batch No"
        ],
        FieldType::Code,
        Need::Required,
        "发出产品的生产批号。",
        "Lot of the product shipped.",
        "20250304A"
    ),
    field!(
        Quantity,
        "数量",
        "Quantity",
        &[
            "数量",
            "发货数量",
            "出库数量",
            "销售数量",
            "Quantity",
            "Qty"
        ],
        FieldType::Quantity,
        Need::Required,
        "本行发货数量，只填数字。",
        "Quantity shipped on this line, number only.",
        "100"
    ),
    field!(
        Unit,
        "单位",
        "Unit",
        UNIT_SYNONYMS,
        FieldType::Unit,
        Need::Required,
        "数量的计量单位。",
        "Unit of the quantity.",
        "台"
    ),
];

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
