//! Static files of the theme, and the form files procedures attach.

use super::view::form_output_path;
use super::{RenderContext, RenderError, Renderer};
use crate::model::FormTarget;
use crate::output::Output;
use std::collections::BTreeSet;

pub struct AssetRenderer;

/// The theme's `static/favicon.ico`, also published at the site's root.
fn favicon<'a>(cx: &RenderContext<'a>) -> Option<&'a [u8]> {
    cx.theme.statics.get("favicon.ico").map(Vec::as_slice)
}

impl AssetRenderer {
    /// Every form file published by some unit, relative to content/.
    fn forms(cx: &RenderContext) -> BTreeSet<String> {
        let mut set = BTreeSet::new();
        for u in &cx.site.units {
            for p in &u.procedures {
                for f in &p.procedure.forms {
                    if let FormTarget::File { path } = &f.target {
                        set.insert(path.clone());
                    }
                }
            }
        }
        set
    }
}

impl Renderer for AssetRenderer {
    fn name(&self) -> &'static str {
        "assets"
    }

    fn count(&self, cx: &RenderContext) -> u64 {
        (cx.theme.statics.len() + Self::forms(cx).len() + usize::from(favicon(cx).is_some())) as u64
    }

    fn outputs(&self, cx: &RenderContext) -> Option<Vec<String>> {
        let statics = cx.theme.statics.keys().map(|p| format!("static/{p}"));
        let forms = Self::forms(cx).into_iter().map(|f| form_output_path(&f));
        let icon = favicon(cx).map(|_| "favicon.ico".to_owned());
        Some(statics.chain(forms).chain(icon).collect())
    }

    fn render(&self, cx: &RenderContext, out: &Output) -> Result<(), RenderError> {
        for (path, bytes) in &cx.theme.statics {
            let rel = format!("static/{path}");
            if !cx.wants(&rel) {
                continue;
            }
            out.write(&rel, bytes)
                .map_err(|e| RenderError::io(rel, e))?;
            cx.tick();
        }
        // Browsers ask for /favicon.ico whatever the page links: the theme's icon is
        // there too, so that no page view ends in a 404.
        if let Some(bytes) = favicon(cx).filter(|_| cx.wants("favicon.ico")) {
            out.write("favicon.ico", bytes)
                .map_err(|e| RenderError::io("favicon.ico", e))?;
            cx.tick();
        }
        let content = cx.site.root.join("content");
        for f in Self::forms(cx) {
            let rel = form_output_path(&f);
            if !cx.wants(&rel) {
                continue;
            }
            out.copy(&rel, &content.join(&f))
                .map_err(|e| RenderError::io(format!("content/{f}"), e))?;
            cx.tick();
        }
        Ok(())
    }
}
