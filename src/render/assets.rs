//! Static files of the theme, and the form files procedures attach.

use super::view::form_output_path;
use super::{RenderContext, RenderError, Renderer};
use crate::model::FormTarget;
use crate::output::Output;
use std::collections::BTreeSet;

pub struct AssetRenderer;

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
        (cx.theme.statics.len() + Self::forms(cx).len()) as u64
    }

    fn outputs(&self, cx: &RenderContext) -> Option<Vec<String>> {
        let statics = cx.theme.statics.keys().map(|p| format!("static/{p}"));
        let forms = Self::forms(cx).into_iter().map(|f| form_output_path(&f));
        Some(statics.chain(forms).collect())
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
