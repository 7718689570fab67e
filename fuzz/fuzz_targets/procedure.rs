//! A procedure file: front matter + Markdown (`.md`) and pure TOML (`.toml`). The first
//! input byte picks the form, the rest is the text. Must never panic; every diagnostic
//! must name the file.
//! What was read is rendered too, as the build would.
#![no_main]
use libfuzzer_sys::fuzz_target;
use std::path::Path;
use std::sync::OnceLock;

static MD: OnceLock<niemyet::render::markdown::Markdown> = OnceLock::new();

fuzz_target!(|data: &[u8]| {
    let Some((&pick, rest)) = data.split_first() else {
        return;
    };
    let Ok(text) = std::str::from_utf8(rest) else {
        return;
    };
    let path = if pick & 1 == 0 {
        Path::new("content/tinh/xa/1.000001.md")
    } else {
        Path::new("content/tinh/xa/1.000001.toml")
    };
    let (proc, diags) = niemyet::content::parse_procedure_text(path, text);
    for d in &diags {
        assert_eq!(&*d.loc.path, path);
    }
    // Whatever was read must render without panicking too.
    if let Some(p) = proc {
        if let Some(steps) = &p.steps {
            let _ = MD
                .get_or_init(niemyet::render::markdown::Markdown::new)
                .render(steps);
        }
    }
});
