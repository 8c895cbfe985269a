//! The default theme, built into the binary for `gongsi new` (`scaffold.rs`). A test checks
//! that it lists every file of `themes/gongsi/` with the same bytes.

pub const THEME: &[(&str, &[u8])] = &[
    ("static/favicon.svg", include_bytes!("../themes/gongsi/static/favicon.svg")),
    ("static/search.js", include_bytes!("../themes/gongsi/static/search.js")),
    ("static/style.css", include_bytes!("../themes/gongsi/static/style.css")),
    ("templates/404.html", include_bytes!("../themes/gongsi/templates/404.html")),
    ("templates/anchor-link.html", include_bytes!("../themes/gongsi/templates/anchor-link.html")),
    ("templates/base.html", include_bytes!("../themes/gongsi/templates/base.html")),
    ("templates/case.html", include_bytes!("../themes/gongsi/templates/case.html")),
    ("templates/cases.html", include_bytes!("../themes/gongsi/templates/cases.html")),
    ("templates/categories.html", include_bytes!("../themes/gongsi/templates/categories.html")),
    ("templates/category.html", include_bytes!("../themes/gongsi/templates/category.html")),
    ("templates/data.html", include_bytes!("../themes/gongsi/templates/data.html")),
    ("templates/embed.html", include_bytes!("../themes/gongsi/templates/embed.html")),
    ("templates/index.html", include_bytes!("../themes/gongsi/templates/index.html")),
    ("templates/macros.html", include_bytes!("../themes/gongsi/templates/macros.html")),
    ("templates/methodology.html", include_bytes!("../themes/gongsi/templates/methodology.html")),
    ("templates/page.html", include_bytes!("../themes/gongsi/templates/page.html")),
    ("templates/program.html", include_bytes!("../themes/gongsi/templates/program.html")),
    ("templates/programs.html", include_bytes!("../themes/gongsi/templates/programs.html")),
    ("templates/region.html", include_bytes!("../themes/gongsi/templates/region.html")),
    ("templates/regions.html", include_bytes!("../themes/gongsi/templates/regions.html")),
    ("templates/search.html", include_bytes!("../themes/gongsi/templates/search.html")),
    ("templates/section.html", include_bytes!("../themes/gongsi/templates/section.html")),
    ("theme.toml", include_bytes!("../themes/gongsi/theme.toml")),
];
