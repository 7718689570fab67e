//! Adopted procedures are rendered once and shared by every adopting unit
//! (`RenderContext::components`); the result must equal rendering each page whole.

mod common;
use common::*;
use niemyet::render::RenderOptions;

fn build(site: &std::path::Path, out: &std::path::Path, unshared: bool) {
    let today = niemyet::date::Date::new(2026, 11, 23).unwrap();
    let (resolved, _) = niemyet::cmd::load(site, today, None);
    let resolved = resolved.expect("site loads");
    let opts = RenderOptions {
        unshared,
        ..RenderOptions::default()
    };
    niemyet::cmd::build::write_site(&resolved, out, &opts).expect("renders");
}

#[test]
fn shared_components_equal_whole_page_rendering() {
    let s = example();
    let a = s.path().join("shared");
    let b = s.path().join("unshared");
    build(s.path(), &a, false);
    build(s.path(), &b, true);
    let (sa, sb) = (snapshot(&a), snapshot(&b));
    assert_eq!(sa.len(), sb.len());
    let mut pages = 0;
    for ((pa, ba), (pb, bb)) in sa.iter().zip(&sb) {
        assert_eq!(pa, pb);
        assert!(ba == bb, "{pa} differs between shared and whole rendering");
        pages += 1;
    }
    assert!(pages > 100);
    // The example really shares: a catalogue procedure adopted by several units shows
    // each unit's own office as the place.
    let x = String::from_utf8_lossy(
        &sa.iter()
            .find(|(p, _)| p == "tuyen-quang/xa-dong-loi/1.001193/index.html")
            .unwrap()
            .1,
    )
    .into_owned();
    let y = String::from_utf8_lossy(
        &sa.iter()
            .find(|(p, _)| p == "tuyen-quang/xa-son-duong/1.001193/index.html")
            .unwrap()
            .1,
    )
    .into_owned();
    let place = |h: &str| {
        between(h, "<dt>Địa điểm thực hiện</dt><dd>", "</dd>")
            .unwrap()
            .to_string()
    };
    assert_ne!(place(&x), place(&y), "each unit's own place");
    assert!(place(&x).contains("Đông Lợi"), "{}", place(&x));
}
