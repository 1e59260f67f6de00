//! Lot numbers a trace code must carry. Whether a product's codes carry the lot (GS1 (10)) is
//! decided here, from its scheme, granularity and `product_coding.item_with_lot`; what a lot may
//! hold is `codes::gs1::check_lot` (CSET 82, at most 20 characters). The production form and the
//! import both ask these two, so the rule is written once.

use store::Connection;

use crate::Result;

/// Whether codes of this scheme and granularity carry the lot: GS1 batch codes always, GS1 item
/// codes when the product's coding says so. Ecode and 数字身份码 codes come from their platforms
/// and carry no (10).
pub(crate) fn carried(scheme: &str, granularity: &str, item_with_lot: bool) -> bool {
    let granularity = codes::Granularity::parse(granularity).unwrap_or(codes::Granularity::Product);
    scheme == codes::Scheme::Gs1.as_str() && granularity.carries_lot(item_with_lot)
}

/// [`carried`] for a product on record (its coding row read only for 一物一码).
pub(crate) fn product_carries_lot(
    conn: &Connection,
    product: &store::products::ProductRow,
) -> Result<bool> {
    let f = &product.fields;
    let item_with_lot = f.scheme == "gs1"
        && f.granularity == "item"
        && store::ledger::product_coding(conn, product.id)?.item_with_lot;
    Ok(carried(&f.scheme, &f.granularity, item_with_lot))
}
