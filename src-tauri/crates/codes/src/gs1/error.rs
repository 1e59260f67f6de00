//! Everything that can be wrong with GS1 data, with its stable code and its Chinese wording.
//!
//! The English `Display` is lower case without a trailing period; [`Fault::zh`] is the Chinese.
//! Neither repeats the AI or the position: [`crate::problem::make_problem`] puts those in front.

use crate::problem::Fault;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Gs1Error {
    // ----- structure of bracketed, raw and HRI text (domain.md §A.7) -----
    #[error("no GS1 data: enter an element string such as (01)09520123456788(10)ABC123")]
    Empty,
    #[error("expected '(' to start an application identifier, found {found:?}")]
    ExpectedOpenBracket { found: char },
    #[error("the application identifier is not closed with ')'")]
    UnclosedAi,
    #[error("{ai:?} is not an application identifier: it must be 2 to 4 digits")]
    BadAi { ai: String },
    #[error("unknown application identifier ({ai}): check it against the GS1 AI list")]
    UnknownAi { ai: String },
    #[error("the value is empty: put the data right after the application identifier")]
    EmptyValue,
    #[error("{}", length_en(*len, *min, *max))]
    Length { len: usize, min: usize, max: usize },
    #[error("a value of {len} characters does not fit the format {spec}")]
    ComponentLength { len: usize, spec: &'static str },
    #[error(
        "the value is longer than its maximum of {max} characters: a GS (FNC1) separator is probably missing after it"
    )]
    MissingSeparator { max: usize },
    #[error("incomplete application identifier {rest:?} at the end of the data")]
    TruncatedAi { rest: String },

    // ----- character sets (domain.md §A.6) -----
    #[error("character {ch:?} is not a digit: this field takes digits only")]
    NotDigit { ch: char },
    #[error(
        "character {ch:?} is not allowed: GS1 CSET 82 has letters A-Z and a-z, digits and !\"%&'()*+,-./:;<=>?_ but no spaces, no # $ @ and no Chinese characters"
    )]
    NotCset82 { ch: char },
    #[error(
        "character {ch:?} is not allowed: this field takes GS1 CSET 39 (upper-case letters, digits, # - /)"
    )]
    NotCset39 { ch: char },
    #[error(
        "character {ch:?} is not allowed: this field takes base64url (letters, digits, - and _)"
    )]
    NotCset64 { ch: char },
    #[error(
        "bad '=' padding: base64url data may end with at most two '=' and only when its length is a multiple of 3"
    )]
    Cset64Padding,
    #[error(
        "character {ch:?} is allowed by GS1 but excluded by GB/T 33993 (% & / < > ?): prefer letters, digits and '-'"
    )]
    Gbt33993Char { ch: char },

    // ----- linters (gs1-syntax-engine src/c-lib/syntax/lint_*.c) -----
    #[error(
        "check digit should be {expected}, found {found}: re-check the digits, one was probably mistyped"
    )]
    CheckDigit { expected: u8, found: char },
    #[error("check character pair should be {expected}, found {found}")]
    CheckPair { expected: String, found: String },
    #[error("too short for a check character pair")]
    CheckPairTooShort,
    #[error("too short to hold a GS1 company prefix (at least 4 digits)")]
    GcpTooShort,
    #[error("a GS1 company prefix must start with 4 digits, found {ch:?}")]
    GcpNotDigits { ch: char },
    #[error("month {month} does not exist: use 01 to 12")]
    Month { month: String },
    #[error("day {day} does not exist in that month (it has {max} days)")]
    Day { day: String, max: u8 },
    #[error("day 00 is not allowed for this application identifier: give the real day")]
    DayZero,
    #[error("hour {hour} does not exist: use 00 to 23")]
    Hour { hour: String },
    #[error("minute {minute} does not exist: use 00 to 59")]
    Minute { minute: String },
    #[error("second {second} does not exist: use 00 to 59")]
    Second { second: String },
    #[error("{code} is not an ISO 3166 numeric country code (China is 156)")]
    NotIso3166 { code: String },
    #[error("{code} is neither an ISO 3166 numeric country code nor 999")]
    NotIso3166Or999 { code: String },
    #[error("{code} is not an ISO 3166 two-letter country code (China is CN)")]
    NotIso3166Alpha2 { code: String },
    #[error("{code} is not an ISO 4217 numeric currency code (renminbi is 156)")]
    NotIso4217 { code: String },
    #[error("this part must be zero")]
    NotZero,
    #[error("this part must be 0 or 1")]
    NotZeroOrOne,
    #[error("this part must not be all zeros")]
    ZeroValue,
    #[error("this part must not start with 0")]
    ZeroPrefix,
    #[error("winding direction must be 0, 1 or 9")]
    Winding,
    #[error("the value must contain at least one non-digit character")]
    NeedsNonDigit,
    #[error("this part must be '-'")]
    NotHyphen,
    #[error("sex code must be 0, 1, 2 or 9 (ISO 5218)")]
    BiologicalSex,
    #[error("must be written as position/total, e.g. 1/3")]
    PositionInSequence,
    #[error("the position is larger than the total")]
    PositionExceedsEnd,
    #[error("the piece number must not be zero")]
    ZeroPieceNumber,
    #[error("the total number of pieces must not be zero")]
    ZeroTotalPieces,
    #[error("the piece number is larger than the total number of pieces")]
    PieceExceedsTotal,
    #[error("the importer index must be one of 0-9, A-Z, a-z, - or _, found {ch:?}")]
    ImporterIndex { ch: char },
    #[error("invalid percent sequence: '%' must be followed by two hex digits")]
    PercentSequence,
    #[error("latitude must be at most 1800000000")]
    Latitude,
    #[error("longitude must be at most 3600000000")]
    Longitude,
    #[error("IBAN is too short")]
    IbanTooShort,
    #[error("IBAN is too long")]
    IbanTooLong,
    #[error("character {ch:?} is not allowed in an IBAN")]
    IbanChar { ch: char },
    #[error("IBAN country code {code} is not an ISO 3166 two-letter code")]
    IbanCountry { code: String },
    #[error("IBAN check digits are wrong")]
    IbanChecksum,
    #[error("{code} is not an AIDC media type code")]
    MediaType { code: String },

    // ----- associations over the whole element string (ai.c validateAI*) -----
    #[error("needs {}: add it, or remove this element", requirement_en(rule))]
    Requires { rule: String },
    #[error("must not be used together with ({other}): keep only one of them")]
    Excludes { other: String },
    #[error(
        "appears more than once with different values: an element may repeat only with the same value"
    )]
    RepeatedDiffers,
    #[error("must include its serial component when a (8030) digital signature is present")]
    DigSigSerial,

    // ----- GS1 Digital Link (domain.md §A.9) -----
    #[error("character {ch:?} is not allowed in a URI: percent-encode it")]
    DlIllegalChar { ch: char },
    #[error(
        "a digital link must start with http:// or https:// (all lower case or all upper case)"
    )]
    DlScheme,
    #[error("character {ch:?} is not allowed in a domain name")]
    DlDomainChar { ch: char },
    #[error("the URI has no domain or no path")]
    DlNoDomainOrPath,
    #[error(
        "no GS1 primary key found in the path: a digital link path looks like /01/<14-digit GTIN>"
    )]
    DlNoKey,
    #[error("a digital link must not end with '/': remove the trailing slash")]
    DlTrailingSlash,
    #[error("the value in the path is empty ('//')")]
    DlEmptyPathValue,
    #[error("the query parameter has no value")]
    DlEmptyQueryValue,
    #[error("invalid percent escape {seq:?}: '%' must be followed by two hex digits")]
    DlBadEscape { seq: String },
    #[error("%00 (a nul character) is not allowed")]
    DlNul,
    #[error(
        "path {path} is not a valid key and qualifier sequence: after (01) only 22, 10, 21 may follow, in that order, or 235 alone"
    )]
    DlPathOrder { path: String },
    #[error(
        "belongs in the path, not in the query: write it as a path segment in key-qualifier order"
    )]
    DlQualifierInQuery,
    #[error("is not allowed as a digital link data attribute (query parameter)")]
    DlNotAttribute,
    #[error("{key} is not a known application identifier: numeric query keys must be GS1 AIs")]
    DlUnknownQueryAi { key: String },
    #[error("appears more than once in the digital link")]
    DlDuplicate,
    #[error(
        "the GTIN has {len} digits: a digital link should carry all 14 digits, pad it with leading zeros"
    )]
    DlShortGtin { len: usize },
    #[error(
        "the stem {stem:?} is not usable: it must be http(s)://host with an optional path and no query or fragment"
    )]
    DlBadStem { stem: String },
    #[error("cannot build a digital link without a primary key such as (01) GTIN or (00) SSCC")]
    DlNoPrimaryKey,

    // ----- scanner data (gs1-syntax-engine scandata.c) -----
    #[error("scan data must start with a symbology identifier such as ]C1, ]d2, ]Q3, ]e0 or ]E0")]
    ScanNoSymbologyId,
    #[error(
        "symbology identifier {id} is not supported: expected ]C0, ]C1, ]e0, ]d1, ]d2, ]Q1, ]Q3, ]J0, ]J1, ]E0 or ]E4"
    )]
    ScanUnknownSymbology { id: String },
    #[error("there is no data after the symbology identifier")]
    ScanEmpty,
    #[error("{symbology} data must be {expected} digits, got {len}")]
    ScanPrimaryLength {
        symbology: &'static str,
        expected: usize,
        len: usize,
    },
}

impl Fault for Gs1Error {
    fn code(&self) -> &'static str {
        use Gs1Error::*;
        match self {
            Empty => "gs1.empty",
            ExpectedOpenBracket { .. } | UnclosedAi => "gs1.syntax",
            BadAi { .. } | TruncatedAi { .. } => "gs1.bad-ai",
            UnknownAi { .. } => "gs1.unknown-ai",
            EmptyValue => "gs1.empty-value",
            Length { len, min, .. } if len < min => "gs1.too-short",
            Length { .. } => "gs1.too-long",
            ComponentLength { .. } => "gs1.length",
            MissingSeparator { .. } => "gs1.missing-separator",
            NotDigit { .. } => "gs1.non-digit",
            NotCset82 { .. } => "gs1.cset82",
            NotCset39 { .. } => "gs1.cset39",
            NotCset64 { .. } | Cset64Padding => "gs1.cset64",
            Gbt33993Char { .. } => "gs1.gbt33993-char",
            CheckDigit { .. } => "gs1.check-digit",
            CheckPair { .. } | CheckPairTooShort => "gs1.check-pair",
            GcpTooShort | GcpNotDigits { .. } => "gs1.company-prefix",
            Month { .. } => "gs1.month",
            Day { .. } | DayZero => "gs1.day",
            Hour { .. } | Minute { .. } | Second { .. } => "gs1.time",
            NotIso3166 { .. } | NotIso3166Or999 { .. } | NotIso3166Alpha2 { .. } => "gs1.country",
            NotIso4217 { .. } => "gs1.currency",
            NotZero
            | NotZeroOrOne
            | ZeroValue
            | ZeroPrefix
            | Winding
            | NeedsNonDigit
            | NotHyphen
            | BiologicalSex
            | ImporterIndex { .. }
            | PercentSequence
            | Latitude
            | Longitude
            | MediaType { .. } => "gs1.format",
            PositionInSequence | PositionExceedsEnd => "gs1.position-in-sequence",
            ZeroPieceNumber | ZeroTotalPieces | PieceExceedsTotal => "gs1.piece-of-total",
            IbanTooShort | IbanTooLong | IbanChar { .. } | IbanCountry { .. } | IbanChecksum => {
                "gs1.iban"
            }
            Requires { .. } => "gs1.requires",
            Excludes { .. } => "gs1.excludes",
            RepeatedDiffers => "gs1.repeated-ai",
            DigSigSerial => "gs1.digsig-serial",
            DlIllegalChar { .. } => "gs1.dl.char",
            DlScheme => "gs1.dl.scheme",
            DlDomainChar { .. } | DlNoDomainOrPath => "gs1.dl.domain",
            DlNoKey => "gs1.dl.no-key",
            DlTrailingSlash => "gs1.dl.trailing-slash",
            DlEmptyPathValue | DlEmptyQueryValue => "gs1.dl.empty-value",
            DlBadEscape { .. } | DlNul => "gs1.dl.bad-escape",
            DlPathOrder { .. } => "gs1.dl.path-order",
            DlQualifierInQuery => "gs1.dl.qualifier-in-query",
            DlNotAttribute => "gs1.dl.not-attribute",
            DlUnknownQueryAi { .. } => "gs1.dl.unknown-ai",
            DlDuplicate => "gs1.dl.duplicate",
            DlShortGtin { .. } => "gs1.dl.short-gtin",
            DlBadStem { .. } => "gs1.dl.stem",
            DlNoPrimaryKey => "gs1.dl.no-key",
            ScanNoSymbologyId | ScanUnknownSymbology { .. } => "gs1.scan.symbology",
            ScanEmpty => "gs1.scan.empty",
            ScanPrimaryLength { .. } => "gs1.scan.length",
        }
    }

    fn zh(&self) -> String {
        use Gs1Error::*;
        match self {
            Empty => "没有 GS1 数据：请输入形如 (01)09520123456788(10)ABC123 的元素串".into(),
            ExpectedOpenBracket { found } => {
                format!("此处应为英文左括号“(”开始一个应用标识符 (AI)，实际为“{found}”；AI 要写在英文括号里，如 (01)")
            }
            UnclosedAi => "应用标识符缺少右括号“)”，请写成 (01) 这样的形式".into(),
            BadAi { ai } => format!("“{ai}”不是应用标识符：AI 是 2 到 4 位数字"),
            UnknownAi { ai } => format!("未知的应用标识符 ({ai})，请对照 GS1 应用标识符列表核对"),
            EmptyValue => "数据为空：请在应用标识符后直接写数据".into(),
            Length { len, min, max } if min == max => {
                format!("数据应为 {min} 位，实际为 {len} 位，请核对是否多写或漏写")
            }
            Length { len, min, .. } if len < min => {
                format!("数据至少 {min} 位，实际只有 {len} 位")
            }
            Length { len, max, .. } => format!("数据最多 {max} 位，实际为 {len} 位，请缩短"),
            ComponentLength { len, spec } => format!("{len} 位的数据不符合格式 {spec}，请核对长度"),
            MissingSeparator { max } => format!(
                "数据超过了最大长度 {max} 位：后面可能缺少 GS (FNC1) 分隔符，变长数据后接其他数据时必须用分隔符隔开"
            ),
            TruncatedAi { rest } => format!("数据末尾的“{rest}”不是完整的应用标识符"),
            NotDigit { ch } => format!("字符“{ch}”不是数字：此项只能填数字（注意不要用全角数字）"),
            NotCset82 { ch } => format!(
                "字符“{ch}”不允许：GS1 数据只能用 CSET 82 字符（英文字母、数字和 !\"%&'()*+,-./:;<=>?_），不能有空格、# $ @ 和汉字；汉字请写在产品资料里，不要写进编码"
            ),
            NotCset39 { ch } => format!("字符“{ch}”不允许：此项只能用大写字母、数字和 # - /（GS1 CSET 39）"),
            NotCset64 { ch } => format!("字符“{ch}”不允许：此项只能用 base64url 字符（字母、数字、- 和 _）"),
            Cset64Padding => "结尾的“=”填充不正确：最多两个，且仅当长度是 3 的倍数时使用".into(),
            Gbt33993Char { ch } => format!(
                "字符“{ch}”虽为 GS1 允许，但 GB/T 33993 商品二维码的批号/序列号不允许 % & / < > ?，建议只用字母、数字和“-”"
            ),
            CheckDigit { expected, found } => {
                format!("校验位应为 {expected}，实际为 {found}，请核对是否有数字抄错")
            }
            CheckPair { expected, found } => format!("校验字符对应为 {expected}，实际为 {found}"),
            CheckPairTooShort => "数据太短，放不下校验字符对".into(),
            GcpTooShort => "数据太短，放不下厂商识别代码（至少 4 位数字）".into(),
            GcpNotDigits { ch } => format!("厂商识别代码必须以 4 位数字开头，此处为“{ch}”"),
            Month { month } => format!("月份 {month} 不存在，应为 01–12"),
            Day { day, max } => format!("日期 {day} 在该月不存在（该月只有 {max} 天）"),
            DayZero => "此应用标识符的日期不允许写 00，请填写实际日期".into(),
            Hour { hour } => format!("小时 {hour} 不存在，应为 00–23"),
            Minute { minute } => format!("分钟 {minute} 不存在，应为 00–59"),
            Second { second } => format!("秒 {second} 不存在，应为 00–59"),
            NotIso3166 { code } => format!("{code} 不是 ISO 3166 数字国家代码（中国为 156）"),
            NotIso3166Or999 { code } => format!("{code} 既不是 ISO 3166 数字国家代码也不是 999"),
            NotIso3166Alpha2 { code } => format!("{code} 不是 ISO 3166 两位字母国家代码（中国为 CN）"),
            NotIso4217 { code } => format!("{code} 不是 ISO 4217 数字货币代码（人民币为 156）"),
            NotZero => "此部分必须为 0".into(),
            NotZeroOrOne => "此部分只能是 0 或 1".into(),
            ZeroValue => "此部分不能全为 0".into(),
            ZeroPrefix => "此部分不能以 0 开头".into(),
            Winding => "卷绕方向只能是 0、1 或 9".into(),
            NeedsNonDigit => "数据中至少要有一个非数字字符".into(),
            NotHyphen => "此部分只能是“-”".into(),
            BiologicalSex => "性别代码只能是 0、1、2 或 9（ISO 5218）".into(),
            PositionInSequence => "应写成“序号/总数”，如 1/3".into(),
            PositionExceedsEnd => "序号大于总数".into(),
            ZeroPieceNumber => "件号不能为 0".into(),
            ZeroTotalPieces => "总件数不能为 0".into(),
            PieceExceedsTotal => "件号大于总件数".into(),
            ImporterIndex { ch } => format!("进口商索引只能是 0-9、A-Z、a-z、- 或 _，此处为“{ch}”"),
            PercentSequence => "百分号编码不正确：“%”后应跟两位十六进制数字".into(),
            Latitude => "纬度值不能超过 1800000000".into(),
            Longitude => "经度值不能超过 3600000000".into(),
            IbanTooShort => "IBAN 太短".into(),
            IbanTooLong => "IBAN 太长".into(),
            IbanChar { ch } => format!("IBAN 中不允许字符“{ch}”"),
            IbanCountry { code } => format!("IBAN 的国家代码 {code} 不是 ISO 3166 两位字母代码"),
            IbanChecksum => "IBAN 校验位不正确".into(),
            MediaType { code } => format!("{code} 不是有效的 AIDC 介质类型代码"),
            Requires { rule } => {
                format!("需要同时有 {}：请补上，或删除此元素", requirement_zh(rule))
            }
            Excludes { other } => format!("不能与 ({other}) 同时使用，请只保留其一"),
            RepeatedDiffers => "重复出现且数值不同：同一应用标识符重复时数据必须相同".into(),
            DigSigSerial => "存在 (8030) 数字签名时，此元素必须带序列号部分".into(),
            DlIllegalChar { ch } => format!("网址中不允许字符“{ch}”，请用百分号编码（如 %2F）"),
            DlScheme => "数字链接必须以 http:// 或 https:// 开头（全小写或全大写）".into(),
            DlDomainChar { ch } => format!("域名中不允许字符“{ch}”"),
            DlNoDomainOrPath => "网址缺少域名或路径".into(),
            DlNoKey => "路径中找不到 GS1 主键：数字链接的路径形如 /01/14位GTIN".into(),
            DlTrailingSlash => "数字链接不能以“/”结尾，请删除末尾的斜杠".into(),
            DlEmptyPathValue => "路径中的数据为空（出现了“//”）".into(),
            DlEmptyQueryValue => "查询参数没有值".into(),
            DlBadEscape { seq } => format!("百分号编码“{seq}”不正确：“%”后应跟两位十六进制数字"),
            DlNul => "不允许 %00（空字符）".into(),
            DlPathOrder { path } => format!(
                "路径 {path} 的主键与限定符顺序不正确：(01) 后只能按 22、10、21 的顺序跟随，或单独跟 235"
            ),
            DlQualifierInQuery => "应放在路径中而不是查询参数里：请按主键-限定符顺序写成路径段".into(),
            DlNotAttribute => "不能作为数字链接的数据属性（查询参数）".into(),
            DlUnknownQueryAi { key } => format!("查询参数 {key} 不是已知的应用标识符：数字形式的参数名必须是 GS1 AI"),
            DlDuplicate => "在数字链接中重复出现".into(),
            DlShortGtin { len } => {
                format!("GTIN 只有 {len} 位：数字链接中应写满 14 位，请在前面补 0")
            }
            DlBadStem { stem } => format!(
                "网址前缀“{stem}”不可用：应为 http(s)://域名，可带路径，不能带查询参数或 #"
            ),
            DlNoPrimaryKey => "没有主键（如 (01) GTIN 或 (00) SSCC），无法生成数字链接".into(),
            ScanNoSymbologyId => {
                "扫码数据应以码制标识符开头，如 ]C1、]d2、]Q3、]e0 或 ]E0；请检查扫码枪是否开启了码制标识符前缀"
                    .into()
            }
            ScanUnknownSymbology { id } => format!(
                "不支持的码制标识符 {id}：应为 ]C0、]C1、]e0、]d1、]d2、]Q1、]Q3、]J0、]J1、]E0 或 ]E4"
            ),
            ScanEmpty => "码制标识符后没有数据".into(),
            ScanPrimaryLength { symbology, expected, len } => {
                format!("{symbology} 数据应为 {expected} 位数字，实际为 {len} 位")
            }
        }
    }
}

fn length_en(len: usize, min: usize, max: usize) -> String {
    if min == max {
        format!("the value must be {min} characters long, got {len}")
    } else if len < min {
        format!("the value must be at least {min} characters long, got {len}")
    } else {
        format!("the value must be at most {max} characters long, got {len}: shorten it")
    }
}

/// `01,02,8006+21` → `(01), (02) or (8006)+(21)`.
fn requirement_en(rule: &str) -> String {
    join_alternatives(rule, " or ")
}

fn requirement_zh(rule: &str) -> String {
    join_alternatives(rule, " 或 ")
}

fn join_alternatives(rule: &str, or: &str) -> String {
    let alts: Vec<String> = rule
        .split(',')
        .map(|group| {
            group
                .split('+')
                .map(|ai| format!("({ai})"))
                .collect::<Vec<_>>()
                .join("+")
        })
        .collect();
    match alts.split_last() {
        None => String::new(),
        Some((last, [])) => last.clone(),
        Some((last, rest)) => format!("{}{or}{last}", rest.join(", ")),
    }
}
