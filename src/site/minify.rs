//! `minify_html = true`: HTML pages minified as Zola 0.22 minifies them, with the
//! `minify-html` crate and Zola's settings (`<html>` and `<head>` opening tags kept, inline
//! CSS minified, inline JavaScript left as it is).

/// The bytes to write for the output at site path `path`: minified when the config asks
/// for it and the output is an HTML page (a path ending in `/` or `.html`, as Zola minifies
/// every `.html` file it renders; copied static files are never touched).
pub fn output(minify: bool, path: &str, bytes: Vec<u8>) -> Vec<u8> {
    if !minify || !(path.ends_with('/') || path.ends_with(".html")) {
        return bytes;
    }
    let mut cfg = minify_html::Cfg::new();
    cfg.keep_html_and_head_opening_tags = true;
    cfg.minify_css = true;
    cfg.minify_js = false;
    minify_html::minify(&bytes, &cfg)
}

#[cfg(test)]
mod tests {
    use super::output;

    #[test]
    fn only_html_pages_are_minified_and_only_when_asked() {
        let page =
            b"<!doctype html>\n<html>\n<head>\n  <title> A </title>\n</head>\n<body>\n  <p>x</p>\n</body>\n</html>\n"
                .to_vec();
        let min = String::from_utf8(output(true, "/a/", page.clone())).unwrap();
        assert!(min.starts_with("<!doctype html><html><head>"), "{min}");
        assert!(!min.contains(">\n"), "{min}");
        assert_eq!(output(false, "/a/", page.clone()), page);
        assert_eq!(output(true, "/sitemap.xml", page.clone()), page);
        assert_eq!(String::from_utf8(output(true, "/404.html", page)).unwrap(), min);
    }
}
