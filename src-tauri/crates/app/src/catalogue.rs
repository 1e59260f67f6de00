//! The catalogues a product's category is chosen from: the key industrial products
//! (`data/product_catalogue.tsv`, domain.md §0 and SAMR's notice on the free trace schemes) and
//! the CCC catalogue (`codes::ccc`, domain.md §D.3), offered as `CCC-<product code>`.
//!
//! Both are data with a version header (`codes::datafile`); the app may load newer files
//! ([`crate::catalogues`]). Parsing is pure: text in, value out.

use std::collections::HashMap;
use std::sync::LazyLock;

use codes::ccc::CccCatalogue;
use codes::datafile::{self, FileErrors, FileHeader, RowCheck};

use crate::CatalogueEntry;

/// The file name and `# name:` of the key-product catalogue.
pub const CATALOGUE_NAME: &str = "product_catalogue";

pub const COLUMNS: [&str; 5] = ["code", "name", "group", "status", "note"];

/// One key industrial product or category.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyProduct {
    /// `KP-…`, stored in the product.
    pub code: String,
    pub name: String,
    pub group: String,
    /// `source`, `category` or `unconfirmed`.
    pub status: String,
    pub note: Option<String>,
}

/// The key-product catalogue: the shipped one or a newer file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyProducts {
    pub header: FileHeader,
    pub products: Vec<KeyProduct>,
}

impl KeyProducts {
    /// Reads a key-product catalogue; every problem is returned with its line and column.
    pub fn parse(text: &str) -> Result<KeyProducts, FileErrors> {
        let file = datafile::read(text, CATALOGUE_NAME, &COLUMNS)?;
        let mut check = RowCheck::default();
        let mut first = HashMap::new();
        let mut products = Vec::new();
        for row in &file.rows {
            let c = &row.cells;
            let code_ok = c[0].len() > 3
                && c[0].starts_with("KP-")
                && c[0][3..]
                    .bytes()
                    .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'-');
            if !code_ok {
                check.bad(
                    row,
                    0,
                    ("类别代码", "category code"),
                    (
                        "应以 KP- 开头，后接大写字母、数字或连字符，如 KP-GAS-01",
                        "KP- then capital letters, digits or hyphens, such as KP-GAS-01",
                    ),
                );
            } else if let Some(line) = first.insert(c[0].clone(), row.line) {
                check.duplicate(row, 0, line);
            }
            if !matches!(c[3].as_str(), "source" | "category" | "unconfirmed") {
                check.bad(
                    row,
                    3,
                    ("状态", "status"),
                    (
                        "应为 source、category 或 unconfirmed",
                        "source, category or unconfirmed",
                    ),
                );
            }
            if c[4] == "-" {
                check.bad(
                    row,
                    4,
                    ("说明", "note"),
                    ("每行须说明来源", "every row says where it comes from"),
                );
            }
            products.push(KeyProduct {
                code: c[0].clone(),
                name: c[1].clone(),
                group: c[2].clone(),
                status: c[3].clone(),
                note: datafile::optional(&c[4]),
            });
        }
        check.finish(KeyProducts {
            header: file.header,
            products,
        })
    }
}

/// The text of the key-product catalogue shipped with this version.
pub const SHIPPED_TEXT: &str = include_str!("../data/product_catalogue.tsv");

/// The shipped key-product catalogue. A test parses the text and fails on any error.
pub fn shipped() -> &'static KeyProducts {
    static SHIPPED: LazyLock<KeyProducts> = LazyLock::new(|| {
        KeyProducts::parse(SHIPPED_TEXT).unwrap_or_else(|_| KeyProducts {
            header: FileHeader {
                name: CATALOGUE_NAME.to_owned(),
                source: String::new(),
                version: codes::YearMonthDay::new(2000, 1, 1).expect("a real date"),
            },
            products: Vec::new(),
        })
    });
    &SHIPPED
}

/// Every entry a category is chosen from: key products first, then the CCC catalogue.
pub fn entries(key: &KeyProducts, ccc: &CccCatalogue) -> Vec<CatalogueEntry> {
    let mut entries: Vec<CatalogueEntry> = key
        .products
        .iter()
        .map(|p| CatalogueEntry {
            code: p.code.clone(),
            name: p.name.clone(),
            catalogue: "key".into(),
            group: p.group.clone(),
            self_declaration: None,
            confirmed: p.status != "unconfirmed",
        })
        .collect();
    // Some CCC products span several codes with one name (低压元器件 0302–0309): each code is its
    // own entry, since the certificate names exactly one.
    entries.extend(ccc.products.iter().map(|p| CatalogueEntry {
        code: format!("CCC-{}", p.code),
        name: p.name.clone(),
        catalogue: "ccc".into(),
        group: p.category_name.clone().unwrap_or_default(),
        self_declaration: p.self_declaration.clone(),
        confirmed: p.confirmed,
    }));
    entries
}

static SHIPPED_ENTRIES: LazyLock<Vec<CatalogueEntry>> =
    LazyLock::new(|| entries(shipped(), codes::ccc::shipped()));

/// Every entry of the shipped catalogues, key products first ([`crate::App::product_catalogue`]
/// gives the ones in use).
pub fn product_catalogue() -> Vec<CatalogueEntry> {
    SHIPPED_ENTRIES.clone()
}

/// The shipped entry for a stored category code.
pub fn lookup(code: &str) -> Option<&'static CatalogueEntry> {
    SHIPPED_ENTRIES.iter().find(|e| e.code == code)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_shipped_file_parses_and_every_row_says_where_it_comes_from() {
        let parsed = KeyProducts::parse(SHIPPED_TEXT).map_err(|e| e.to_string());
        let parsed = parsed.expect("the shipped product catalogue is valid");
        assert_eq!(parsed.header.name, CATALOGUE_NAME);
        assert!(parsed.products.iter().all(|p| p.note.is_some()));
        for (code, name) in [
            ("KP-GAS-03", "家用燃气灶具"),
            ("KP-WIRE", "电线电缆"),
            ("KP-EBIKE", "电动自行车"),
            ("KP-FIRE", "火灾报警产品"),
            ("KP-CHILD", "儿童用品"),
        ] {
            assert_eq!(lookup(code).map(|e| e.name.as_str()), Some(name), "{code}");
        }
    }

    #[test]
    fn catalogue_has_the_gas_appliance_list_and_the_ccc_catalogue() {
        assert_eq!(lookup("KP-GAS-03").unwrap().name, "家用燃气灶具");
        let wire = lookup("CCC-0101").unwrap();
        assert_eq!(
            (wire.name.as_str(), wire.catalogue.as_str()),
            ("电线组件", "ccc")
        );
        let cooker = lookup("CCC-2401").unwrap();
        assert_eq!(
            (
                cooker.name.as_str(),
                cooker.group.as_str(),
                cooker.confirmed
            ),
            ("家用燃气灶具", "家用燃气器具", true)
        );
        assert!(product_catalogue().len() > 80);
    }

    #[test]
    fn bad_rows_are_reported_with_line_and_column() {
        let head = "# name: product_catalogue\n# source: t\n# version: 2027-01-01\ncode\tname\tgroup\tstatus\tnote\n";
        for (rows, expect) in [
            ("GAS-01\tx\tg\tsource\tn\n", "catalogue.value@5:1"),
            ("KP-gas\tx\tg\tsource\tn\n", "catalogue.value@5:1"),
            ("KP-A\tx\tg\tread\tn\n", "catalogue.value@5:4"),
            ("KP-A\tx\tg\tsource\t-\n", "catalogue.value@5:5"),
            (
                "KP-A\tx\tg\tsource\tn\nKP-A\ty\tg\tsource\tn\n",
                "catalogue.duplicate@6:1",
            ),
        ] {
            let errors = KeyProducts::parse(&format!("{head}{rows}")).unwrap_err();
            let found: Vec<String> = errors
                .0
                .iter()
                .map(|e| format!("{}@{}:{}", e.code(), e.line, e.column.unwrap_or(0)))
                .collect();
            assert_eq!(found.join(" "), expect, "{rows:?}");
        }
    }
}
