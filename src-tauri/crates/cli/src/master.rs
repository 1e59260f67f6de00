//! `tracedesk product …` and `tracedesk party …`: master data from the command line.

use clap::builder::{PossibleValuesParser, TypedValueParser};
use clap::{Args, Subcommand, ValueEnum};

use crate::output::Out;
use crate::{Cli, open};

/// `--scheme`: the values of [`app::CodeScheme`], spelled as stored (`gs1`, `ecode`, `digital-id`).
/// clap's `ValueEnum` cannot be derived on a type of another crate, so the parser lists them.
pub(crate) fn scheme_parser() -> impl TypedValueParser<Value = app::CodeScheme> {
    PossibleValuesParser::new(app::CodeScheme::ALL.map(|s| s.as_str()))
        .map(|s| app::CodeScheme::from_db(&s))
}

/// `--granularity`: the values of [`app::Granularity`] (`product`, `batch`, `item`).
pub(crate) fn granularity_parser() -> impl TypedValueParser<Value = app::Granularity> {
    PossibleValuesParser::new(app::Granularity::ALL.map(|g| g.as_str()))
        .map(|g| app::Granularity::from_db(&g))
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum Kind {
    Supplier,
    Customer,
    Both,
}

#[derive(Debug, Subcommand)]
pub enum ProductCommand {
    /// 添加产品 add a product
    Add(Box<ProductAddArgs>),
    /// 列出产品 list products
    List(ListArgs),
}

#[derive(Debug, Args)]
pub struct ProductAddArgs {
    /// 产品名称 product name
    #[arg(long)]
    name: String,
    /// 规格型号 model
    #[arg(long, default_value = "")]
    model: String,
    /// GTIN (8/12/13/14 位 digits); omit with --generate-gtin to take the next free one
    #[arg(long, default_value = "")]
    gtin: String,
    /// 从厂商识别代码生成下一个 GTIN generate the next GTIN from the company prefix
    #[arg(long, conflicts_with = "gtin")]
    generate_gtin: bool,
    /// 追溯码方案 code scheme [default: the wizard's]
    #[arg(long, value_parser = scheme_parser())]
    scheme: Option<app::CodeScheme>,
    /// 赋码粒度 granularity [default: the wizard's]
    #[arg(long, value_parser = granularity_parser())]
    granularity: Option<app::Granularity>,
    /// 类别代码 category code, e.g. KP-GAS-03 or CCC-0101
    #[arg(long, default_value = "")]
    category: String,
    /// 品牌 brand
    #[arg(long, default_value = "")]
    brand: String,
    /// 执行标准 standard, e.g. "GB 16410-2020"
    #[arg(long, default_value = "")]
    standard: String,
    /// CCC 证书编号 certificate number
    #[arg(long, default_value = "")]
    ccc: String,
    /// 证书有效期自 valid from (YYYY-MM-DD)
    #[arg(long, default_value = "")]
    ccc_from: String,
    /// 证书有效期至 valid to (YYYY-MM-DD)
    #[arg(long, default_value = "")]
    ccc_to: String,
    /// 证书覆盖型号 models the certificate covers (repeat or separate with commas)
    #[arg(long)]
    ccc_model: Vec<String>,
    /// 生产许可证编号 production licence number, when it differs from the enterprise's
    #[arg(long, default_value = "")]
    licence_no: String,
    /// 生产地址 production site, when it differs from the enterprise's
    #[arg(long, default_value = "")]
    production_address: String,
    /// 委托生产 entrustment: manufacturer (受托生产, we make it for --oem-name) or principal
    /// (委托生产, --oem-name makes it for us)
    #[arg(long, value_enum)]
    oem: Option<Oem>,
    /// 委托方或受托生产企业名称 the other party of the entrustment
    #[arg(long, default_value = "")]
    oem_name: String,
    /// 委托方或受托生产企业的统一社会信用代码 its USCC
    #[arg(long, default_value = "")]
    oem_uscc: String,
}

/// 委托生产: the enterprise's side.
#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub enum Oem {
    Manufacturer,
    Principal,
}

/// 客户类型: what identifies the party.
#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub enum PartyTypeArg {
    Organisation,
    Individual,
    Foreign,
}

#[derive(Debug, Args)]
pub struct ListArgs {
    /// 搜索 search text
    #[arg(long, default_value = "")]
    search: String,
    /// 最多显示 at most this many rows (0: all)
    #[arg(long, default_value_t = 0)]
    limit: u32,
}

#[derive(Debug, Subcommand)]
pub enum PartyCommand {
    /// 添加往来单位 add a supplier or customer
    Add(PartyAddArgs),
    /// 列出往来单位 list parties
    List(ListArgs),
}

#[derive(Debug, Args)]
pub struct PartyAddArgs {
    /// 类型 kind
    #[arg(long, value_enum)]
    kind: Kind,
    /// 单位名称 name
    #[arg(long)]
    name: String,
    /// 统一社会信用代码 USCC
    #[arg(long, default_value = "")]
    uscc: String,
    /// 地址 address
    #[arg(long, default_value = "")]
    address: String,
    /// 联系人 contact
    #[arg(long, default_value = "")]
    contact: String,
    /// 电话 phone; for an individual a mobile number, kept masked (138****5678)
    #[arg(long, default_value = "")]
    phone: String,
    /// 客户类型 organisation (单位, default), individual (个人) or foreign (境外)
    #[arg(long = "type", value_enum, default_value = "organisation")]
    party_type: PartyTypeArg,
    /// 个人的身份证号 an individual's ID card number, full or masked; only the masked form is kept
    #[arg(long, default_value = "")]
    id_number: String,
    /// 本人已同意保存其（遮蔽后的）证件号、手机号 the person consented
    #[arg(long)]
    consent: bool,
    /// 境外客户的国家/地区 a foreign buyer's country, ISO 3166 alpha-2 (US, DE, JP…)
    #[arg(long, default_value = "")]
    country: String,
    /// 境外登记号 a foreign buyer's registration number
    #[arg(long, default_value = "")]
    reg_no: String,
}

fn query(args: &ListArgs) -> app::ListQuery {
    app::ListQuery {
        search: args.search.clone(),
        limit: args.limit,
        ..Default::default()
    }
}

pub fn product(cli: &Cli, out: &Out, command: &ProductCommand) -> app::Result<i32> {
    let app = open(cli)?;
    match command {
        ProductCommand::Add(a) => {
            let gtin = if a.generate_gtin {
                app.suggest_gtin()?.gtin
            } else {
                a.gtin.clone()
            };
            let input = app::ProductInput {
                name: a.name.clone(),
                model: a.model.clone(),
                category: a.category.clone(),
                brand: a.brand.clone(),
                standard: a.standard.clone(),
                gtin,
                scheme: a.scheme,
                granularity: a.granularity,
                ccc_cert_no: a.ccc.clone(),
                ccc_valid_from: a.ccc_from.clone(),
                ccc_valid_to: a.ccc_to.clone(),
                ccc_mark_no: String::new(),
                ccc_models: a.ccc_model.clone(),
                licence_no: a.licence_no.clone(),
                production_address: a.production_address.clone(),
                oem_role: match a.oem {
                    None => app::OemRole::None,
                    Some(Oem::Manufacturer) => app::OemRole::Manufacturer,
                    Some(Oem::Principal) => app::OemRole::Principal,
                },
                oem_name: a.oem_name.clone(),
                oem_uscc: a.oem_uscc.clone(),
            };
            let warnings: Vec<app::FieldProblem> = app
                .check_product(&input, None)?
                .into_iter()
                .filter(|p| p.severity == app::ProblemSeverity::Warning)
                .collect();
            let product = app.add_product(&input)?;
            out.value(&product, || {
                let mut text = format!(
                    "已添加产品 Product added: {} {}（编号 id {}）\n  GTIN: {}",
                    product.name,
                    product.model,
                    product.id,
                    product.gtin.as_deref().unwrap_or("-")
                );
                for w in &warnings {
                    text.push_str(&format!("\n  提示 note: {}", w.message_zh));
                }
                text
            });
            Ok(0)
        }
        ProductCommand::List(args) => {
            let page = app.list_products(&query(args))?;
            out.value(&page.rows, || {
                let mut text = format!("产品 {} 种 products:", page.total);
                for p in &page.rows {
                    text.push_str(&format!(
                        "\n  {:>5}  {} {}  GTIN {}  {}",
                        p.id,
                        p.name,
                        p.model,
                        p.gtin.as_deref().unwrap_or("-"),
                        p.category_name.as_deref().unwrap_or(&p.category)
                    ));
                }
                text
            });
            Ok(0)
        }
    }
}

pub fn party(cli: &Cli, out: &Out, command: &PartyCommand) -> app::Result<i32> {
    let app = open(cli)?;
    match command {
        PartyCommand::Add(a) => {
            let input = app::PartyInput {
                kind: match a.kind {
                    Kind::Supplier => app::PartyKind::Supplier,
                    Kind::Customer => app::PartyKind::Customer,
                    Kind::Both => app::PartyKind::Both,
                },
                name: a.name.clone(),
                uscc: a.uscc.clone(),
                address: a.address.clone(),
                contact: a.contact.clone(),
                phone: a.phone.clone(),
                party_type: match a.party_type {
                    PartyTypeArg::Organisation => app::PartyType::Organisation,
                    PartyTypeArg::Individual => app::PartyType::Individual,
                    PartyTypeArg::Foreign => app::PartyType::Foreign,
                },
                id_number: a.id_number.clone(),
                consent: a.consent,
                country: a.country.clone(),
                foreign_reg_no: a.reg_no.clone(),
            };
            let warnings: Vec<app::FieldProblem> = app
                .check_party(&input, None)?
                .into_iter()
                .filter(|p| p.severity == app::ProblemSeverity::Warning)
                .collect();
            let party = app.add_party(&input)?;
            out.value(&party, || {
                let mut text = match party.party_type {
                    app::PartyType::Organisation => format!(
                        "已添加往来单位 Party added: {}（编号 id {}）\n  统一社会信用代码 USCC: {}",
                        party.name,
                        party.id,
                        party.uscc.as_deref().unwrap_or("-")
                    ),
                    app::PartyType::Individual => format!(
                        "已添加个人客户 Individual added: {}（编号 id {}）\n  证件号 ID: {}  手机 mobile: {}",
                        party.name,
                        party.id,
                        if party.id_masked.is_empty() { "-" } else { &party.id_masked },
                        if party.phone.is_empty() { "-" } else { &party.phone }
                    ),
                    app::PartyType::Foreign => format!(
                        "已添加境外客户 Foreign buyer added: {}（编号 id {}）\n  国家/地区 country: {}  登记号 registration: {}",
                        party.name, party.id, party.country, party.foreign_reg_no
                    ),
                };
                for w in &warnings {
                    text.push_str(&format!("\n  提示 note: {}", w.message_zh));
                }
                text
            });
            Ok(0)
        }
        PartyCommand::List(args) => {
            let page = app.list_parties(&query(args))?;
            out.value(&page.rows, || {
                let mut text = format!("往来单位 {} 家 parties:", page.total);
                for p in &page.rows {
                    text.push_str(&format!(
                        "\n  {:>5}  {}  {}  {} {}",
                        p.id,
                        p.name,
                        p.uscc.as_deref().unwrap_or("-"),
                        p.contact,
                        p.phone
                    ));
                }
                text
            });
            Ok(0)
        }
    }
}
