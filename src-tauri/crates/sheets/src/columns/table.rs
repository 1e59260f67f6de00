//! The columns of every record kind: the table itself (headers, synonyms, types, whether required,
//! the 填表说明 and an example). Data, no logic; the types and lookups are in the parent module.

use super::{
    CONSENT, FieldKey, FieldSpec, FieldType, GRANULARITY, INSPECTION_RESULT, Need, OEM_ROLE,
    PARTY_KIND, PARTY_TYPE, SCHEME,
};

const DATE_NO_FUTURE: FieldType = FieldType::Date {
    allow_future: false,
};

/// A column several kinds share (the same column in several kinds is described once): its key,
/// headers, synonyms and type; each kind says whether it needs it and explains it in its own words.
struct Column {
    key: FieldKey,
    zh: &'static str,
    en: &'static str,
    synonyms: &'static [&'static str],
    ty: FieldType,
}

const GTIN: Column = Column {
    key: FieldKey::Gtin,
    zh: "商品条码",
    en: "GTIN",
    synonyms: &[
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
    ],
    ty: FieldType::Gtin,
};
const LOT_NO: Column = Column {
    key: FieldKey::LotNo,
    zh: "生产批号",
    en: "Lot no.",
    synonyms: &[
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
    ],
    ty: FieldType::Code,
};
const UNIT: Column = Column {
    key: FieldKey::Unit,
    zh: "单位",
    en: "Unit",
    synonyms: &[
        "单位",
        "计量单位",
        "数量单位",
        "Unit",
        "UOM",
        "Unit of Measure",
    ],
    ty: FieldType::Unit,
};
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
const PRODUCT_REF: Column = Column {
    key: FieldKey::Product,
    zh: "产品名称",
    en: "Product",
    synonyms: &[
        "产品名称",
        "产品",
        "品名",
        "产品名",
        "商品名称",
        "Product",
        "Product Name",
    ],
    ty: FieldType::Text,
};

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

/// A row of a [`Column`] shared by several kinds.
macro_rules! shared {
    ($col:ident, $need:expr, $ezh:expr, $een:expr, $ex:expr) => {
        FieldSpec {
            key: $col.key,
            zh: $col.zh,
            en: $col.en,
            synonyms: $col.synonyms,
            ty: $col.ty,
            need: $need,
            explain_zh: $ezh,
            explain_en: $een,
            example: $ex,
        }
    };
}

/// The unit of a kind's quantity column; `example` is a unit the kind's goods come in.
const fn unit_of_quantity(example: &'static str) -> FieldSpec {
    shared!(
        UNIT,
        Need::Required,
        "数量的计量单位。",
        "Unit of the quantity.",
        example
    )
}

pub(super) static PRODUCT: &[FieldSpec] = &[
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
    shared!(
        GTIN,
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
    field!(
        LicenceNo,
        "生产许可证编号",
        "Production licence no.",
        &[
            "生产许可证编号",
            "生产许可证号",
            "许可证编号",
            "许可证号",
            "XK编号",
            "Licence No",
            "License No",
            "Production License"
        ],
        FieldType::Code,
        Need::Optional,
        "与企业不同时填写本产品的工业产品生产许可证编号，如 XK16-204-00123；格式未获官方确认，只提示不拒收。",
        "This product's production licence number when it differs from the enterprise's, e.g. XK16-204-00123; the form is not officially confirmed, so it is only warned about.",
        ""
    ),
    field!(
        ProductionAddress,
        "生产地址",
        "Production address",
        &[
            "生产地址",
            "产地",
            "生产场所",
            "生产厂址",
            "Production Address",
            "Production Site"
        ],
        FieldType::Text,
        Need::Optional,
        "与企业不同时填写本产品的生产地址。",
        "This product's production site when it differs from the enterprise's.",
        ""
    ),
    field!(
        OemRole,
        "委托生产",
        "Entrustment",
        &[
            "委托生产",
            "是否委托生产",
            "委托加工",
            "代工",
            "OEM",
            "Entrustment"
        ],
        FieldType::Enum(&OEM_ROLE),
        Need::Optional,
        "否：自产；受托生产：本企业为委托方生产；委托生产：本企业委托他人生产。",
        "no: made on our own account; 受托生产: we make it for a principal; 委托生产: a contract manufacturer makes it for us.",
        "否"
    ),
    field!(
        OemName,
        "委托方/受托方名称",
        "Entrustment party",
        &[
            "委托方/受托方名称",
            "委托方",
            "委托方名称",
            "受托方",
            "受托方名称",
            "受托生产企业",
            "委托企业名称",
            "Principal",
            "Contract Manufacturer"
        ],
        FieldType::Text,
        Need::Optional,
        "受托生产时填委托方，委托生产时填受托生产企业。",
        "The principal (受托生产) or the contract manufacturer (委托生产).",
        ""
    ),
    field!(
        OemUscc,
        "委托方/受托方统一社会信用代码",
        "Entrustment party USCC",
        &[
            "委托方/受托方统一社会信用代码",
            "委托方统一社会信用代码",
            "受托方统一社会信用代码",
            "委托方信用代码",
            "受托方信用代码",
            "Principal USCC",
            "Manufacturer USCC"
        ],
        FieldType::Uscc,
        Need::Optional,
        "上一栏单位的 18 位统一社会信用代码。",
        "The 18-character USCC of the party in the previous column.",
        ""
    ),
];

pub(super) static PARTY: &[FieldSpec] = &[
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
        Need::Optional,
        "营业执照上的 18 位统一社会信用代码；个人、境外客户留空。",
        "The 18-character code on the business licence; empty for individuals and foreign buyers.",
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
        "联系人的电话或手机号码；个人客户的手机号只保存遮蔽形式（如 138****5678）。",
        "Contact phone or mobile number; an individual's mobile is kept masked only (138****5678).",
        "0591-12345678"
    ),
    field!(
        PartyType,
        "客户类型",
        "Party kind",
        &[
            "客户类型",
            "主体类型",
            "客户性质",
            "Party Kind",
            "Customer Type",
            "Entity Type"
        ],
        FieldType::Enum(&PARTY_TYPE),
        Need::Optional,
        "单位、个人或境外；不填为单位。",
        "Organisation, individual or foreign; empty means organisation.",
        "单位"
    ),
    field!(
        IdNumber,
        "证件号",
        "ID number",
        &[
            "证件号",
            "证件号码",
            "身份证号",
            "身份证号码",
            "身份证",
            "ID Number",
            "ID Card"
        ],
        FieldType::Code,
        Need::Optional,
        "个人客户的居民身份证号；导入时只保存遮蔽形式（前 3 位和后 4 位），完整号码不保存。",
        "An individual's resident ID card number; only the masked form (first 3, last 4) is kept.",
        ""
    ),
    field!(
        Consent,
        "已取得同意",
        "Consent given",
        &[
            "已取得同意",
            "本人同意",
            "同意",
            "是否同意",
            "Consent",
            "Consent Given"
        ],
        FieldType::Enum(&CONSENT),
        Need::Optional,
        "保存个人客户的（已遮蔽）证件号、手机号须经本人同意：是或否。",
        "Keeping an individual's masked numbers needs their consent: yes or no.",
        ""
    ),
    field!(
        Country,
        "国家/地区",
        "Country",
        &[
            "国家/地区",
            "国家",
            "地区",
            "国别",
            "国家代码",
            "Country",
            "Country Code"
        ],
        FieldType::Code,
        Need::Optional,
        "境外客户的 ISO 3166 两位代码，如 US、DE、JP。",
        "A foreign buyer's ISO 3166 alpha-2 code, e.g. US, DE, JP.",
        ""
    ),
    field!(
        ForeignRegNo,
        "境外登记号",
        "Foreign registration no.",
        &[
            "境外登记号",
            "境外注册号",
            "注册号",
            "公司注册号",
            "Registration No",
            "Company Number",
            "VAT No"
        ],
        FieldType::Code,
        Need::Optional,
        "境外客户在其所在地的登记号，自由文本。",
        "A foreign buyer's registration number at home, free text.",
        ""
    ),
];

pub(super) static RECEIPT: &[FieldSpec] = &[
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
    unit_of_quantity("千克"),
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
        SupplierCodes,
        "供方追溯码",
        "Supplier codes",
        &[
            "供方追溯码",
            "供应商追溯码",
            "供方码",
            "来料追溯码",
            "原料追溯码",
            "Supplier code",
            "Supplier codes",
            "Supplier Trace Code",
            "Supplier Trace Codes"
        ],
        FieldType::Codes,
        Need::Optional,
        "供应商在货物上的追溯码，按扫描原样填写，任何编码方案（GS1、数字链接、Ecode、数字身份码等）；多个码用分号 ; 或换行分隔。",
        "The supplier's trace codes on the goods, as scanned, any scheme; several separated by ; or a line break.",
        "(01)06901234567892(10)V2503-01"
    ),
    field!(
        ComponentCcc,
        "部件CCC证书编号",
        "Component CCC certificate no.",
        &[
            "部件CCC证书编号",
            "部件CCC证书号",
            "关键部件CCC证书编号",
            "关键部件CCC证书号",
            "关键件CCC证书编号",
            "Component CCC",
            "Component CCC Certificate",
            "Component CCC Certificate No"
        ],
        FieldType::Code,
        Need::Optional,
        "关键部件的 CCC 证书编号，16 位数字（早期证书 12 位）。",
        "CCC certificate number of a key component: 16 digits (12 for early certificates).",
        "2016010901123456"
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
    field!(
        PurchaseOrderNo,
        "采购订单号",
        "Purchase order no.",
        &[
            "采购订单号",
            "采购单号",
            "采购订单编号",
            "PO No",
            "PO Number",
            "Purchase Order",
            "Purchase Order No"
        ],
        FieldType::Code,
        Need::Optional,
        "采购订单编号，最多 50 个字符。",
        "Purchase order number, at most 50 characters.",
        "PO-2025-0311"
    ),
    field!(
        InvoiceNo,
        "发票号",
        "Invoice no.",
        &[
            "发票号",
            "发票号码",
            "发票编号",
            "Invoice No",
            "Invoice Number",
            "Invoice"
        ],
        FieldType::Code,
        Need::Optional,
        "供应商开具的发票号码，最多 50 个字符。",
        "The supplier's invoice number, at most 50 characters.",
        "04403250"
    ),
    field!(
        DeliveryNoteNo,
        "送货单号",
        "Delivery note no.",
        &[
            "送货单号",
            "供方送货单号",
            "到货单号",
            "随货单号",
            "Delivery Note No",
            "Delivery Note",
            "DN No"
        ],
        FieldType::Code,
        Need::Optional,
        "供应商随货送货单的编号，最多 50 个字符。",
        "Number of the supplier's delivery note, at most 50 characters.",
        "SH-0311-07"
    ),
];

pub(super) static BATCH: &[FieldSpec] = &[
    shared!(
        PRODUCT_REF,
        Need::EitherOr(FieldKey::Gtin),
        "本批次生产的产品，与产品信息中的名称一致；也可只填商品条码。",
        "Product made in this batch, as named in the product list; or give its GTIN.",
        "电热水壶"
    ),
    shared!(
        GTIN,
        Need::EitherOr(FieldKey::Product),
        "产品的 GS1 商品条码，8/12/13/14 位数字；请设为文本格式。",
        "Product GTIN; keep the cell as text.",
        "9520123456788"
    ),
    shared!(
        LOT_NO,
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
    unit_of_quantity("台"),
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
    field!(
        InspectedOn,
        "检验日期",
        "Inspected on",
        &[
            "检验日期",
            "出厂检验日期",
            "检测日期",
            "Inspection Date",
            "Inspected On"
        ],
        DATE_NO_FUTURE,
        Need::Optional,
        "出厂检验的日期，不早于生产日期。",
        "Date of the factory inspection, not before the production date.",
        "2025-03-04"
    ),
    field!(
        ExpiresOn,
        "有效期至",
        "Expires on",
        &[
            "有效期至",
            "有效期",
            "失效日期",
            "到期日期",
            "Expiry Date",
            "Expires On",
            "Best Before"
        ],
        FieldType::Date { allow_future: true },
        Need::Optional,
        "产品有效期截止日期（如有），须晚于生产日期。",
        "Expiry date of the product, if any; after the production date.",
        "2027-03-31"
    ),
    field!(
        WorkOrderNo,
        "生产工单号",
        "Work order no.",
        &[
            "生产工单号",
            "工单号",
            "生产任务单号",
            "生产订单号",
            "Work Order",
            "Work Order No",
            "WO No"
        ],
        FieldType::Code,
        Need::Optional,
        "生产工单或任务单编号，最多 50 个字符。",
        "Work order number, at most 50 characters.",
        "WO-2503-05"
    ),
];

pub(super) static ITEM: &[FieldSpec] = &[
    shared!(
        GTIN,
        Need::Required,
        "单品所属产品的 GS1 商品条码；请设为文本格式。",
        "GTIN of the item's product; keep the cell as text.",
        "9520123456788"
    ),
    shared!(
        LOT_NO,
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

pub(super) static SHIPMENT: &[FieldSpec] = &[
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
    shared!(
        PRODUCT_REF,
        Need::EitherOr(FieldKey::Gtin),
        "发出的产品名称；也可只填商品条码。",
        "Product shipped; or give its GTIN.",
        "电热水壶"
    ),
    shared!(
        GTIN,
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
    unit_of_quantity("台"),
    field!(
        ShipTo,
        "收货地址",
        "Ship-to address",
        &[
            "收货地址",
            "送货地址",
            "交货地址",
            "收货人地址",
            "Ship To",
            "Ship-to Address",
            "Delivery Address"
        ],
        FieldType::Text,
        Need::Optional,
        "货物送达的地址；不填为客户的地址。",
        "Where the goods went; empty means the customer's address.",
        ""
    ),
    field!(
        OrderNo,
        "销售订单号",
        "Sales order no.",
        &[
            "销售订单号",
            "订单号",
            "订单编号",
            "客户订单号",
            "Order No",
            "Sales Order No",
            "SO No"
        ],
        FieldType::Code,
        Need::Optional,
        "销售订单编号，最多 50 个字符。",
        "Sales order number, at most 50 characters.",
        "SO-2025-118"
    ),
    field!(
        InvoiceNo,
        "发票号",
        "Invoice no.",
        &[
            "发票号",
            "发票号码",
            "发票编号",
            "Invoice No",
            "Invoice Number",
            "Invoice"
        ],
        FieldType::Code,
        Need::Optional,
        "开给客户的发票号码，最多 50 个字符。",
        "The invoice number issued to the customer, at most 50 characters.",
        "04403311"
    ),
];
