//! SVG output: vector modules, HRI text, XML-safe.

use super::*;
use crate::{RenderOptions, SymbolData, Symbology, encode, to_svg};

#[test]
fn linear_svg_prints_the_hri_on_one_line_under_the_bars() {
    let symbol = encode(&SymbolData::gs1(Symbology::Gs1_128, demo_elements())).unwrap();
    let svg = to_svg(&symbol, &RenderOptions::default());
    assert!(svg.starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\""));
    assert!(svg.contains("shape-rendering=\"crispEdges\""));
    assert!(
        svg.contains(">(01) 09520123456788 (17) 261231 (10) ABC123 (21) 12345XYZ</text>"),
        "{svg}"
    );
    assert_eq!(svg.matches("<text").count(), 1);
}

#[test]
fn ean13_svg_splits_the_digits_in_the_standard_layout() {
    let symbol = encode(&SymbolData::text(Symbology::Ean13, GTIN13)).unwrap();
    let svg = to_svg(&symbol, &RenderOptions::default());
    for group in [">9</text>", ">520123</text>", ">456788</text>"] {
        assert!(svg.contains(group), "{group} missing in {svg}");
    }
    // Guard bars reach 5 modules below the others (69 + 5 = 74).
    assert!(svg.contains("v74h"), "{svg}");
}

#[test]
fn matrix_svg_prints_one_hri_line_per_element() {
    let symbol = encode(&SymbolData::gs1(Symbology::Gs1DataMatrix, demo_elements())).unwrap();
    let svg = to_svg(&symbol, &RenderOptions::default());
    assert_eq!(svg.matches("<text").count(), 4, "{svg}");
    assert!(svg.contains(">(21) 12345XYZ</text>"));
}

#[test]
fn hri_text_is_escaped_for_xml() {
    let mut data = SymbolData::text(Symbology::Code128, "A&B<C>\"D'");
    data.hri.push('\x1d');
    let symbol = encode(&data).unwrap();
    let svg = to_svg(&symbol, &RenderOptions::default());
    assert!(
        svg.contains(">A&amp;B&lt;C&gt;&quot;D&apos;</text>"),
        "{svg}"
    );
    assert!(!svg.contains('\x1d'));
}

#[test]
fn svg_without_hri_has_no_text() {
    let symbol = encode(&SymbolData::text(Symbology::Qr, DIGITAL_LINK)).unwrap();
    let svg = to_svg(
        &symbol,
        &RenderOptions {
            hri: false,
            ..RenderOptions::default()
        },
    );
    assert!(!svg.contains("<text"));
    let n = symbol.modules().width() + 8;
    assert!(svg.contains(&format!("viewBox=\"0 0 {n} {n}\"")), "{svg}");
}

#[test]
fn a_long_digital_link_hri_wraps_under_the_qr_without_losing_characters() {
    let symbol = encode(&SymbolData::text(Symbology::Qr, DIGITAL_LINK)).unwrap();
    let svg = to_svg(&symbol, &RenderOptions::default());
    let lines: Vec<&str> = svg
        .lines()
        .filter(|l| l.starts_with("<text"))
        .filter_map(|l| {
            l.split_once('>')
                .and_then(|(_, rest)| rest.strip_suffix("</text>"))
        })
        .collect();
    assert!(lines.len() > 1, "{svg}");
    assert!(
        lines[0].ends_with('/'),
        "breaks between path segments: {lines:?}"
    );
    assert_eq!(lines.concat(), DIGITAL_LINK);
}
