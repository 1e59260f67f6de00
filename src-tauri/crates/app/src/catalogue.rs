//! The catalogues a product's category is chosen from: the key industrial products
//! (`data/product_catalogue.tsv`, domain.md §0) and the CCC catalogue the codes crate ships
//! (domain.md §D.3), offered as `CCC-<product code>`.

use std::sync::LazyLock;

use crate::CatalogueEntry;

static ENTRIES: LazyLock<Vec<CatalogueEntry>> = LazyLock::new(|| {
    let mut entries = Vec::new();
    let text = include_str!("../data/product_catalogue.tsv");
    for line in text
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .skip(1)
    {
        let cols: Vec<&str> = line.split('\t').collect();
        if let [code, name, group, status, _note] = cols[..] {
            entries.push(CatalogueEntry {
                code: code.to_string(),
                name: name.to_string(),
                catalogue: "key".into(),
                group: group.to_string(),
                self_declaration: None,
                confirmed: status == "source" || status == "category",
            });
        }
    }
    let mut seen = std::collections::HashSet::new();
    for p in codes::ccc::catalogue() {
        // Some CCC products span several codes with one name (低压元器件 0302–0309): each code is
        // its own entry, since the certificate names exactly one.
        if !seen.insert(p.code) {
            continue;
        }
        entries.push(CatalogueEntry {
            code: format!("CCC-{}", p.code),
            name: p.name.to_string(),
            catalogue: "ccc".into(),
            group: p.category_name.unwrap_or("").to_string(),
            self_declaration: p.self_declaration.map(str::to_string),
            confirmed: p.confirmed,
        });
    }
    entries
});

/// Every catalogue entry, key products first.
pub fn product_catalogue() -> Vec<CatalogueEntry> {
    ENTRIES.clone()
}

/// The entry for a stored category code.
pub fn lookup(code: &str) -> Option<&'static CatalogueEntry> {
    ENTRIES.iter().find(|e| e.code == code)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn catalogue_has_the_gas_appliance_list_and_the_ccc_catalogue() {
        assert_eq!(lookup("KP-GAS-03").unwrap().name, "家用燃气灶具");
        let wire = lookup("CCC-0101").unwrap();
        assert_eq!(
            (wire.name.as_str(), wire.catalogue.as_str()),
            ("电线组件", "ccc")
        );
        assert!(product_catalogue().len() > 20);
    }
}
