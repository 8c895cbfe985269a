//! Render: the Zola-shaped template context for every page, its charts, and the
//! site-wide files (sitemap, robots.txt, redirects, data files).
//!
//! Rendering only reads the model. Each page is rendered and handed to a [`Sink`] as soon
//! as it is ready, in parallel, so no more than a page per thread is held in memory.

pub mod format;
pub mod functions;
pub mod markdown;
pub mod pages;
pub mod views;

use crate::charts::{kinds, Chart, ChartStyle};
use crate::config::Config;
use crate::lang::Lang;
use crate::model::{Program, Site, Totals};
use crate::urls;
use pages::{Kind, PageIndex};
use rayon::prelude::*;
use serde::Serialize;
use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Arc;
use tera::{Context, Tera};
use views::Views;

use crate::cache::PageCache;
use crate::output::FileRecord;
pub use crate::output::Sink;

/// Loads the theme's templates, then the site's own, which override them by name.
/// Also returns a hash of all template texts, an input of every page.
pub fn load_templates(root: &Path, config: &Config) -> Result<(Tera, u64), String> {
    let mut files: BTreeMap<String, String> = BTreeMap::new();
    let mut dirs = Vec::new();
    if let Some(theme) = &config.theme {
        if theme.contains(['/', '\\']) || theme.starts_with('.') {
            return Err(format!("theme \"{theme}\" must be a folder name under themes/"));
        }
        let dir = root.join("themes").join(theme);
        if !dir.is_dir() {
            return Err(format!("theme \"{theme}\" not found: expected the folder themes/{theme}/"));
        }
        dirs.push(dir.join("templates"));
    }
    dirs.push(root.join("templates"));
    for dir in dirs {
        if !dir.is_dir() {
            continue;
        }
        for entry in walkdir::WalkDir::new(&dir).follow_links(false).sort_by_file_name() {
            let entry = entry.map_err(|e| e.to_string())?;
            if !entry.file_type().is_file() {
                continue;
            }
            let name = entry.path().strip_prefix(&dir).unwrap().to_string_lossy().replace('\\', "/");
            if !(name.ends_with(".html") || name.ends_with(".xml") || name.ends_with(".txt") || name.ends_with(".json"))
            {
                continue;
            }
            let text = std::fs::read_to_string(entry.path()).map_err(|e| format!("{}: {e}", entry.path().display()))?;
            files.insert(name, text);
        }
    }
    let mut tera = Tera::default();
    tera.autoescape_on(vec![".html", ".xml"]);
    // Escape what HTML needs and no more: Tera's default also turns `/` into `&#x2F;`,
    // which makes every URL in the output unreadable.
    tera.set_escape_fn(escape_html);
    tera.add_raw_templates(files.iter().map(|(n, t)| (n.as_str(), t.as_str())).collect::<Vec<_>>())
        .map_err(describe_tera_error)?;
    let hash = crate::model::hash_texts(files.iter().flat_map(|(n, t)| [n.as_bytes(), t.as_bytes()]));
    Ok((tera, hash))
}

/// Tera hides the useful part of an error in its source chain.
pub fn describe_tera_error(e: tera::Error) -> String {
    crate::templates::describe(&e)
}

#[derive(Serialize)]
struct ConfigView<'a> {
    base_url: &'a str,
    title: &'a str,
    description: &'a str,
    default_language: &'a str,
    languages: Vec<&'static str>,
    edition: Option<&'a str>,
    extra: &'a toml::Table,
}

#[derive(Serialize)]
struct Translation {
    lang: &'static str,
    name: &'static str,
    path: String,
    permalink: String,
    title: String,
}

#[derive(Serialize)]
struct PageMeta {
    title: String,
    description: Option<String>,
    content: String,
    permalink: String,
    path: String,
    lang: &'static str,
    kind: &'static str,
    translations: Vec<Translation>,
    extra: serde_json::Value,
    date: Option<String>,
    weight: Option<i64>,
}

#[derive(Serialize)]
struct ChartRef<'a> {
    #[serde(flatten)]
    chart: &'a Chart,
    url: String,
    path: String,
    /// Its embed pages and iframe snippets (`crate::embed`); `None` without `embed.html`.
    embed: Option<crate::embed::EmbedRef>,
    /// A ready citation of the chart, in the page's language.
    citation: String,
}

pub struct Renderer {
    pub site: Arc<Site>,
    tera: Tera,
    style: ChartStyle,
    index: Arc<PageIndex>,
    md_options: comrak::Options<'static>,
    /// Program indices of each region (its own and its descendants'), each category and
    /// each case, computed once in one pass over the programs.
    members: Members,
    /// Hash of the site-wide inputs every page depends on.
    global: u64,
}

struct Members {
    region: Vec<Vec<usize>>,
    category: Vec<Vec<usize>>,
    case: Vec<Vec<usize>>,
    region_totals: Vec<Totals>,
}

impl Members {
    fn new(site: &Site) -> Members {
        let mut region = vec![Vec::new(); site.regions.len()];
        let mut category = vec![Vec::new(); site.categories.len()];
        let mut case = vec![Vec::new(); site.cases.len()];
        for (pi, p) in site.programs.iter().enumerate() {
            let mut cur = site.region_index.get(&p.data.region).copied();
            let mut depth = 0;
            while let (Some(ri), true) = (cur, depth < 16) {
                region[ri].push(pi);
                depth += 1;
                cur = site.regions[ri].parent.as_deref().and_then(|s| site.region_index.get(s).copied());
            }
            if let Some(&ci) = site.category_index.get(&p.data.category) {
                category[ci].push(pi);
            }
            if let Some(&ci) = p.data.case.as_ref().and_then(|c| site.case_index.get(c)) {
                case[ci].push(pi);
            }
        }
        let region_totals = region.iter().map(|ps| Site::totals(ps.iter().map(|&i| &site.programs[i]))).collect();
        Members { region, category, case, region_totals }
    }

    fn programs<'a>(site: &'a Site, idx: &[usize]) -> Vec<&'a Program> {
        idx.iter().map(|&i| &site.programs[i]).collect()
    }
}

impl Renderer {
    pub fn new(site: Arc<Site>, mut tera: Tera, style: ChartStyle, global: u64) -> Renderer {
        let config = Arc::new(site.config.clone());
        let index = Arc::new(PageIndex::new(site.clone()));
        tera.register_function("get_url", functions::GetUrl { config: config.clone(), pages: index.clone() });
        tera.register_function("trans", functions::Trans { config: config.clone() });
        tera.register_function("get_page", functions::GetPage { pages: index.clone(), section: false });
        tera.register_function("get_section", functions::GetPage { pages: index.clone(), section: true });
        tera.register_function("get_figure_checks", functions::GetFigureChecks { pages: index.clone() });
        tera.register_function("get_data_tables", crate::export::GetDataTables { base: site.config.base().into() });
        tera.register_filter("won", functions::won_filter);
        tera.register_filter("rate", functions::rate_filter);
        tera.register_filter("num", functions::num_filter);
        let members = Members::new(&site);
        let md_options = index.markdown_options().clone();
        Renderer { site, tera, style, index, md_options, members, global }
    }

    /// Internal `@/` links in markdown that name no content file.
    pub fn broken_links(&self) -> Vec<(std::path::PathBuf, String)> {
        let mut out = Vec::new();
        for kind in pages::all_pages(&self.site) {
            for lang in Lang::ALL {
                if let Some(md) = kind.markdown(&self.site, lang) {
                    for link in markdown::internal_links(&md.body) {
                        if self.index.get(link).is_none() {
                            out.push((md.file.clone(), link.to_string()));
                        }
                    }
                }
            }
        }
        out.sort();
        out.dedup();
        out
    }

    /// Renders every page and chart in both languages into `sink`, skipping pages whose
    /// inputs are unchanged since the build `cache` remembers. Returns the number of
    /// files, or every error met (a template error names template and page).
    pub fn render_all(
        &self,
        sink: &dyn Sink,
        cache: Option<&PageCache>,
        progress: &(dyn Fn() + Sync),
    ) -> Result<usize, Vec<String>> {
        let kinds = pages::all_pages(&self.site);
        let jobs: Vec<(Kind, Lang)> = kinds.iter().flat_map(|k| Lang::ALL.map(|l| (*k, l))).collect();
        let all_inputs = self.all_inputs();
        // The site-wide files (mostly one long sequential job) are made while the pages render.
        let (results, site_files) = rayon::join(
            || -> Vec<Result<usize, String>> {
                jobs.par_iter()
                    .map(|&(kind, lang)| {
                        let r = self.render_cached(kind, lang, sink, cache, all_inputs);
                        progress();
                        r
                    })
                    .collect()
            },
            || self.site_files_cached(sink, cache, &kinds, all_inputs),
        );
        let mut errors = Vec::new();
        let mut count = 0;
        for r in results.into_iter().chain([site_files]) {
            match r {
                Ok(n) => count += n,
                Err(e) => errors.push(e),
            }
        }
        if errors.is_empty() {
            Ok(count)
        } else {
            Err(errors)
        }
    }

    /// A hash of every program, case and page: the input of pages that may show anything.
    fn all_inputs(&self) -> u64 {
        let site = &self.site;
        let hashes: Vec<u64> = site
            .programs
            .iter()
            .map(|p| p.hash)
            .chain(site.cases.iter().map(|c| c.hash))
            .chain(site.pages.iter().map(|p| p.hash))
            .collect();
        let bytes: Vec<[u8; 8]> = hashes.iter().map(|h| h.to_le_bytes()).collect();
        crate::model::hash_texts(bytes.iter().map(|b| &b[..]))
    }

    /// The hash of everything a page is made from: the site-wide inputs (config,
    /// templates, data files, chart style, gongsi itself) and the programs it shows.
    fn page_key(&self, kind: Kind, lang: Lang, all_inputs: u64) -> u64 {
        let site = &self.site;
        let member_hashes = |idx: &[usize]| -> u64 {
            let hs: Vec<[u8; 8]> = idx.iter().map(|&i| site.programs[i].hash.to_le_bytes()).collect();
            crate::model::hash_texts(hs.iter().map(|h| &h[..]))
        };
        let own = match kind {
            Kind::Program(i) => site.programs[i].hash,
            Kind::Case(i) => site.cases[i].hash ^ member_hashes(&self.members.case[i]).rotate_left(1),
            Kind::Region(i) => member_hashes(&self.members.region[i]),
            Kind::Category(i) => member_hashes(&self.members.category[i]),
            _ => all_inputs,
        };
        crate::model::hash_texts([
            &self.global.to_le_bytes()[..],
            kind.path(site).as_bytes(),
            lang.code().as_bytes(),
            &own.to_le_bytes(),
        ])
    }

    fn render_cached(
        &self,
        kind: Kind,
        lang: Lang,
        sink: &dyn Sink,
        cache: Option<&PageCache>,
        all_inputs: u64,
    ) -> Result<usize, String> {
        let Some(cache) = cache else { return self.render_page(kind, lang, sink).map(|f| f.len()) };
        let id = urls::localized(&kind.path(&self.site), lang);
        let key = self.page_key(kind, lang, all_inputs);
        if let Some(files) = cache.lookup(&id, key) {
            if files.iter().all(|f| sink.keep(f)) {
                cache.record(&id, key, files.to_vec());
                return Ok(files.len());
            }
        }
        let files = self.render_page(kind, lang, sink)?;
        let n = files.len();
        cache.record(&id, key, files);
        Ok(n)
    }

    pub fn page_count(&self) -> usize {
        pages::all_pages(&self.site).len() * 2
    }

    /// Every URL path this build serves as a page or a redirect, in both languages (the
    /// URLs the ledger keeps).
    pub fn served_paths(&self) -> std::collections::BTreeSet<String> {
        let mut out = std::collections::BTreeSet::new();
        for kind in pages::all_pages(&self.site).into_iter().filter(|k| *k != Kind::NotFound) {
            let path = kind.path(&self.site);
            for lang in Lang::ALL {
                out.insert(urls::localized(&path, lang));
            }
        }
        for (from, _) in aliases(&self.site) {
            for lang in Lang::ALL {
                out.insert(urls::localized(&from, lang));
            }
        }
        out
    }

    fn render_page(&self, kind: Kind, lang: Lang, sink: &dyn Sink) -> Result<Vec<FileRecord>, String> {
        let site = &*self.site;
        let path = kind.path(site);
        let local = urls::localized(&path, lang);
        let template = kind.template(site, lang);
        let mut ctx = self.base_context(kind, lang)?;
        let v = Views { site, lang };
        let cctx = kinds::Ctx { site, config: &site.config, style: &self.style, lang };
        let mut charts: Vec<Chart> = Vec::new();
        match kind {
            Kind::Home => {
                let tops: Vec<usize> = (0..site.regions.len()).filter(|&i| site.regions[i].parent.is_none()).collect();
                let top: Vec<_> = tops
                    .iter()
                    .map(|&i| (site.regions[i].name.get(lang).to_string(), self.members.region_totals[i]))
                    .collect();
                charts.extend(kinds::regions(&cctx, site, &top));
                charts.extend(kinds::region_amounts(&cctx, &top));
                charts.extend(kinds::distribution(&cctx, &self.distribution()));
                ctx.insert("totals", &views::TotalsView::from(Site::totals(site.programs.iter())));
                let regions: Vec<_> = tops
                    .iter()
                    .map(|&i| RegionRow {
                        region: v.region_link(&site.regions[i]),
                        totals: self.members.region_totals[i].into(),
                    })
                    .collect();
                ctx.insert("regions", &regions);
                ctx.insert("categories", &self.category_rows(&v));
                ctx.insert(
                    "distribution",
                    &self
                        .distribution()
                        .iter()
                        .map(|(k, n)| (crate::strings::t(&site.config, k, lang), *n))
                        .collect::<Vec<_>>(),
                );
            }
            Kind::Programs => {
                ctx.insert("programs", &site.programs.iter().map(|p| v.program_summary(p)).collect::<Vec<_>>());
            }
            Kind::Program(i) => {
                let p = &site.programs[i];
                charts.extend(kinds::budget(&cctx, p));
                charts.extend(kinds::kpi(&cctx, p));
                charts.extend(p.series.iter().filter_map(|s| kinds::series(&cctx, s)));
                ctx.insert("program", &v.program(p));
            }
            Kind::Regions => {
                let rows: Vec<_> = site
                    .regions
                    .iter()
                    .enumerate()
                    .map(|(ri, r)| RegionListRow {
                        region: v.region_link(r),
                        level: r.level.key(),
                        parent: r.parent.as_deref().map(|p| v.region_link_by_slug(p)),
                        totals: self.members.region_totals[ri].into(),
                    })
                    .collect();
                ctx.insert("regions", &rows);
            }
            Kind::Region(i) => {
                let r = &site.regions[i];
                let programs = self.program_group(&self.members.region[i], &cctx, &v, &mut ctx, &mut charts);
                ctx.insert(
                    "region",
                    &RegionView {
                        downloads: views::Downloads::at(site.config.base(), &urls::region_data(&r.slug)),
                        region: v.region_link(r),
                        full_name: v.region_full_name(&r.slug),
                        level: r.level.key(),
                        parent: r.parent.as_deref().map(|p| v.region_link_by_slug(p)),
                        children: site.children(&r.slug).map(|c| v.region_link(c)).collect(),
                        totals: Site::totals(programs.iter().copied()).into(),
                    },
                );
            }
            Kind::Categories => {
                ctx.insert("categories", &self.category_rows(&v));
            }
            Kind::Category(i) => {
                let c = &site.categories[i];
                self.program_group(&self.members.category[i], &cctx, &v, &mut ctx, &mut charts);
                ctx.insert("category", &self.category_row(&v, i));
                let cases: Vec<_> =
                    site.cases.iter().filter(|k| k.data.category == c.slug).map(|k| v.case_link(k)).collect();
                ctx.insert("cases", &cases);
            }
            Kind::Cases => {
                let rows: Vec<_> = site
                    .cases
                    .iter()
                    .enumerate()
                    .map(|(ci, c)| CaseRow {
                        case: v.case_link(c),
                        number: c.data.number.clone(),
                        region: v.region_link_by_slug(&c.data.region),
                        region_full_name: v.region_full_name(&c.data.region),
                        category: v.category_link_by_slug(&c.data.category),
                        programs: self.members.case[ci].len(),
                    })
                    .collect();
                ctx.insert("cases", &rows);
            }
            Kind::Case(i) => {
                let c = &site.cases[i];
                self.program_group(&self.members.case[i], &cctx, &v, &mut ctx, &mut charts);
                charts.extend(c.series.iter().filter_map(|s| kinds::series(&cctx, s)));
                ctx.insert(
                    "case",
                    &CaseView {
                        case: v.case_link(c),
                        number: c.data.number.clone(),
                        region: v.region_link_by_slug(&c.data.region),
                        region_full_name: v.region_full_name(&c.data.region),
                        category: v.category_link_by_slug(&c.data.category),
                        source: v.source(&c.data.source.document, c.data.source.page),
                        pages: c.data.pages,
                        downloads: views::Downloads::at(site.config.base(), &urls::case_data(&c.data.slug)),
                        series: c.series.iter().map(|s| v.series(s)).collect(),
                        figures: c.data.figure.iter().map(|f| v.figure(f)).collect(),
                    },
                );
            }
            Kind::Content(_) | Kind::NotFound => {}
        }
        let page_dir = if local.ends_with('/') { local.clone() } else { urls::localized("/", lang) };
        let embeds = crate::embed::enabled(&self.tera, &site.config);
        let refs: Vec<ChartRef> = charts
            .iter()
            .map(|c| {
                let p = urls::chart(&page_dir, &c.id);
                let url = urls::permalink(site.config.base(), &p);
                let embed = embeds.then(|| crate::embed::chart_ref(site, kind, lang, c, &url));
                let citation = self.chart_citation(kind, lang, c);
                ChartRef { chart: c, url, path: p, embed, citation }
            })
            .collect();
        ctx.insert("charts", &refs);
        let html = self
            .tera
            .render(&template, &ctx)
            .map_err(|e| format!("{} ({template}): {}", local, describe_tera_error(e)))?;
        let io = |e: std::io::Error| format!("{local}: {e}");
        let mut files = vec![sink.put(&local, html.as_bytes()).map_err(io)?];
        // The page's own data files are language-neutral: written once, with the Korean page,
        // so the page cache covers them too.
        let members = match kind {
            Kind::Region(i) => &self.members.region[i][..],
            Kind::Category(i) => &self.members.category[i][..],
            Kind::Case(i) => &self.members.case[i][..],
            _ => &[],
        };
        if let (Some((dir, set)), Lang::Ko) = (crate::export::page_set(site, kind, members), lang) {
            let recorder = Recorder { inner: sink, files: std::sync::Mutex::new(Vec::new()) };
            crate::export::write_set(site, &recorder, &dir, &set).map_err(io)?;
            files.extend(recorder.files.into_inner().unwrap());
        }
        for r in &refs {
            files.push(sink.put(&r.path, r.chart.svg.as_bytes()).map_err(io)?);
            if let Some(e) = &r.embed {
                files.extend(crate::embed::write(&self.tera, &ctx, site, kind, r.chart, e, sink)?);
            }
        }
        Ok(files)
    }

    fn base_context(&self, kind: Kind, lang: Lang) -> Result<Context, String> {
        let site = &*self.site;
        let config = &site.config;
        let path = kind.path(site);
        let local = urls::localized(&path, lang);
        let mut ctx = Context::new();
        ctx.insert(
            "config",
            &ConfigView {
                base_url: config.base(),
                title: config.title(lang),
                description: config.description(lang),
                default_language: &config.default_language,
                languages: Lang::ALL.iter().map(|l| l.code()).collect(),
                edition: config.edition.as_deref(),
                extra: &config.extra,
            },
        );
        ctx.insert("lang", lang.code());
        ctx.insert("current_path", &local);
        ctx.insert("current_url", &urls::permalink(config.base(), &local));
        ctx.insert("kind", kind.name());
        crate::meta::insert(&mut ctx, site, kind, lang);
        let md = kind.markdown(site, lang);
        let translations = Lang::ALL
            .iter()
            .map(|&l| {
                let p = urls::localized(&path, l);
                Translation {
                    lang: l.code(),
                    name: l.native_name(),
                    permalink: urls::permalink(config.base(), &p),
                    path: p,
                    title: kind.title(site, l),
                }
            })
            .collect();
        let meta = PageMeta {
            title: kind.title(site, lang),
            description: md.and_then(|m| m.front.description.clone()),
            content: md.map(|m| markdown::to_html(&m.body, &self.md_options, lang)).unwrap_or_default(),
            permalink: urls::permalink(config.base(), &local),
            path: local.clone(),
            lang: lang.code(),
            kind: kind.name(),
            translations,
            extra: md
                .map(|m| serde_json::to_value(&m.front.extra).unwrap_or_default())
                .unwrap_or(serde_json::Value::Object(Default::default())),
            date: md.and_then(|m| m.front.date.map(|d| d.to_string())),
            weight: md.and_then(|m| m.front.weight),
        };
        ctx.insert(if kind.is_section(site) { "section" } else { "page" }, &meta);
        Ok(ctx)
    }

    fn category_rows(&self, v: &Views) -> Vec<CategoryRow> {
        (0..self.site.categories.len()).map(|i| self.category_row(v, i)).collect()
    }

    fn category_row(&self, v: &Views, i: usize) -> CategoryRow {
        let c = &self.site.categories[i];
        CategoryRow {
            downloads: views::Downloads::at(self.site.config.base(), &urls::category_data(&c.slug)),
            category: v.category_link(c),
            part: c.part.clone(),
            totals: Site::totals(Members::programs(&self.site, &self.members.category[i]).into_iter()).into(),
        }
    }

    /// The programs of a region, category or case page: their charts, and their table as
    /// `programs` in the context.
    fn program_group<'s>(
        &'s self,
        idx: &[usize],
        cctx: &kinds::Ctx,
        v: &Views,
        ctx: &mut Context,
        charts: &mut Vec<Chart>,
    ) -> Vec<&'s Program> {
        let programs = Members::programs(&self.site, idx);
        charts.extend(kinds::execution(cctx, &programs));
        charts.extend(kinds::amounts(cctx, &programs));
        charts.extend(kinds::achievement(cctx, &programs));
        ctx.insert("programs", &programs.iter().map(|p| v.program_summary(p)).collect::<Vec<_>>());
        programs
    }

    fn distribution(&self) -> Vec<(&'static str, usize)> {
        kinds::band_counts(self.site.programs.iter().flat_map(|p| p.kpis.iter().map(|k| k.rate)))
    }

    /// sitemap.xml, robots.txt and redirect pages for aliases.
    fn chart_citation(&self, kind: Kind, lang: Lang, chart: &Chart) -> String {
        let site = &*self.site;
        let (document, page) = match kind {
            Kind::Program(i) => (
                Some(site.programs[i].data.source.document.as_str()),
                chart.page.or(Some(site.programs[i].data.source.page)),
            ),
            Kind::Case(i) => {
                (Some(site.cases[i].data.source.document.as_str()), chart.page.or(Some(site.cases[i].data.source.page)))
            }
            _ => (site.sources.first().map(|s| s.id.as_str()), None),
        };
        let source = document.and_then(|d| site.source(d)).map(|s| s.title.get(lang).to_string()).unwrap_or_default();
        let url = format!(
            "{}#chart-{}",
            urls::permalink(site.config.base(), &urls::localized(&kind.path(site), lang)),
            chart.id
        );
        let title = kind.title(site, lang);
        match lang {
            Lang::Ko => format!(
                "{title}, 「{}」 그래프. 출처: 「{source}」{}. 공공누리 제1유형(출처표시) 조건에 따라 이용. {url}",
                chart.title,
                page.map(|p| format!(" {p}쪽")).unwrap_or_default()
            ),
            Lang::En => format!(
                "{title}, chart “{}”. Source: {source}{}. Korea Open Government License Type 1 (attribution). {url}",
                chart.title,
                page.map(|p| format!(", p. {p}")).unwrap_or_default()
            ),
        }
    }

    /// The site-wide files (sitemap, feeds, data files, search index) depend on every
    /// input; like a page, they are made again only when an input changed.
    fn site_files_cached(
        &self,
        sink: &dyn Sink,
        cache: Option<&PageCache>,
        kinds: &[Kind],
        all_inputs: u64,
    ) -> Result<usize, String> {
        let Some(cache) = cache else { return self.site_files(sink, kinds) };
        const ID: &str = "@site-files";
        let key = crate::model::hash_texts([&self.global.to_le_bytes()[..], &all_inputs.to_le_bytes(), ID.as_bytes()]);
        if let Some(files) = cache.lookup(ID, key) {
            if files.iter().all(|f| sink.keep(f)) {
                cache.record(ID, key, files.to_vec());
                return Ok(files.len());
            }
        }
        let recorder = Recorder { inner: sink, files: std::sync::Mutex::new(Vec::new()) };
        let n = self.site_files(&recorder, kinds)?;
        let mut files = recorder.files.into_inner().unwrap();
        files.sort_by(|a, b| a.rel.cmp(&b.rel));
        cache.record(ID, key, files);
        Ok(n)
    }

    fn site_files(&self, sink: &dyn Sink, kinds: &[Kind]) -> Result<usize, String> {
        let site = &*self.site;
        let base = site.config.base();
        let io = |e: std::io::Error| e.to_string();
        let mut entries = Vec::new();
        for kind in kinds.iter().filter(|k| **k != Kind::NotFound) {
            let path = kind.path(site);
            for lang in Lang::ALL {
                let mut e = format!(
                    "  <url>\n    <loc>{}</loc>\n",
                    xml_escape(&urls::permalink(base, &urls::localized(&path, lang)))
                );
                for alt in Lang::ALL {
                    e.push_str(&format!(
                        "    <xhtml:link rel=\"alternate\" hreflang=\"{}\" href=\"{}\"/>\n",
                        alt.code(),
                        xml_escape(&urls::permalink(base, &urls::localized(&path, alt)))
                    ));
                }
                e.push_str(&format!(
                    "    <xhtml:link rel=\"alternate\" hreflang=\"x-default\" href=\"{}\"/>\n  </url>\n",
                    xml_escape(&urls::permalink(base, &urls::localized(&path, Lang::Ko)))
                ));
                entries.push(e);
            }
        }
        let urlset = |entries: &[String]| {
            format!(
                "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\" xmlns:xhtml=\"http://www.w3.org/1999/xhtml\">\n{}</urlset>\n",
                entries.concat()
            )
        };
        let mut count = 2;
        if entries.len() <= SITEMAP_MAX_URLS {
            sink.put("/sitemap.xml", urlset(&entries).as_bytes()).map_err(io)?;
        } else {
            // Search engines read at most 50,000 URLs a file: split, with an index.
            let mut index = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<sitemapindex xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n");
            for (i, chunk) in entries.chunks(SITEMAP_MAX_URLS).enumerate() {
                let path = format!("/sitemap{}.xml", i + 1);
                sink.put(&path, urlset(chunk).as_bytes()).map_err(io)?;
                index.push_str(&format!(
                    "  <sitemap>\n    <loc>{}</loc>\n  </sitemap>\n",
                    xml_escape(&urls::permalink(base, &path))
                ));
                count += 1;
            }
            index.push_str("</sitemapindex>\n");
            sink.put("/sitemap.xml", index.as_bytes()).map_err(io)?;
        }
        let robots = format!("User-agent: *\nAllow: /\nSitemap: {}\n", urls::permalink(base, "/sitemap.xml"));
        sink.put("/robots.txt", robots.as_bytes()).map_err(io)?;
        for (from, to) in aliases(site) {
            for lang in Lang::ALL {
                let target = urls::permalink(base, &urls::localized(&to, lang));
                let from_path = urls::localized(&from, lang);
                sink.put(&from_path, redirect_page(&target, lang).as_bytes()).map_err(io)?;
                count += 1;
            }
        }
        // The dataset, the feeds and the search index are independent: make them at once.
        let ((data, feeds), search) = rayon::join(
            || rayon::join(|| crate::export::write_all(site, sink), || crate::feed::write_all(site, sink)),
            || crate::search::write_index(site, sink),
        );
        count += data.map_err(io)? + feeds.map_err(io)? + search.map_err(io)?;
        Ok(count)
    }
}

/// A sink that notes what passes through it, for the cache.
struct Recorder<'a> {
    inner: &'a dyn Sink,
    files: std::sync::Mutex<Vec<FileRecord>>,
}

impl Sink for Recorder<'_> {
    fn put(&self, path: &str, bytes: &[u8]) -> std::io::Result<FileRecord> {
        let rec = self.inner.put(path, bytes)?;
        self.files.lock().unwrap().push(rec.clone());
        Ok(rec)
    }
}

/// Every (old path, new path) pair: `aliases` of programs, cases, regions, categories
/// and content pages.
pub fn aliases(site: &Site) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let norm = |a: &str| {
        let a = a.trim();
        let a = if a.starts_with('/') { a.to_string() } else { format!("/{a}") };
        if a.ends_with('/') || a.ends_with(".html") {
            a
        } else {
            format!("{a}/")
        }
    };
    for p in &site.programs {
        let to = urls::program(p.slug());
        for a in p.data.aliases.iter().chain(&p.text.ko.front.aliases) {
            out.push((norm(a), to.clone()));
        }
    }
    for c in &site.cases {
        for a in &c.data.aliases {
            out.push((norm(a), urls::case(&c.data.slug)));
        }
    }
    for r in &site.regions {
        for a in &r.aliases {
            out.push((norm(a), urls::region(&r.slug)));
        }
    }
    for c in &site.categories {
        for a in &c.aliases {
            out.push((norm(a), urls::category(&c.slug)));
        }
    }
    for p in &site.pages {
        for a in &p.text.ko.front.aliases {
            out.push((norm(a), p.path.clone()));
        }
    }
    out.sort();
    out.dedup();
    out
}

fn redirect_page(target: &str, lang: Lang) -> String {
    let t = xml_escape(target);
    format!(
        "<!doctype html>\n<html lang=\"{}\"><head><meta charset=\"utf-8\"><title>Redirect</title><link rel=\"canonical\" href=\"{t}\"><meta http-equiv=\"refresh\" content=\"0; url={t}\"><meta name=\"robots\" content=\"noindex\"></head><body><p><a href=\"{t}\">{t}</a></p></body></html>\n",
        lang.code()
    )
}

fn escape_html(s: &str) -> String {
    // Most values (numbers, names) need nothing: copy them whole. The bidirectional
    // controls all start with the byte 0xE2 in UTF-8.
    if !s.bytes().any(|b| matches!(b, b'&' | b'<' | b'>' | b'"' | b'\'' | 0xE2)) {
        return s.to_string();
    }
    let mut out = String::with_capacity(s.len() + 16);
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            // Bidirectional overrides in content could reorder what readers see; drop them.
            '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' => {}
            _ => out.push(c),
        }
    }
    out
}

/// URLs per sitemap file, as Zola does (the protocol allows 50,000).
const SITEMAP_MAX_URLS: usize = 30_000;

pub fn xml_escape(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

#[derive(Serialize)]
struct RegionRow {
    region: views::Link,
    totals: views::TotalsView,
}

#[derive(Serialize)]
struct RegionListRow {
    region: views::Link,
    level: &'static str,
    parent: Option<views::Link>,
    totals: views::TotalsView,
}

#[derive(Serialize)]
struct RegionView {
    #[serde(flatten)]
    region: views::Link,
    downloads: views::Downloads,
    full_name: String,
    level: &'static str,
    parent: Option<views::Link>,
    children: Vec<views::Link>,
    totals: views::TotalsView,
}

#[derive(Serialize)]
struct CategoryRow {
    #[serde(flatten)]
    category: views::Link,
    downloads: views::Downloads,
    part: Option<String>,
    totals: views::TotalsView,
}

#[derive(Serialize)]
struct CaseRow {
    #[serde(flatten)]
    case: views::Link,
    number: String,
    region: views::Link,
    region_full_name: String,
    category: views::Link,
    programs: usize,
}

#[derive(Serialize)]
struct CaseView {
    #[serde(flatten)]
    case: views::Link,
    number: String,
    region: views::Link,
    region_full_name: String,
    category: views::Link,
    source: views::SourceView,
    pages: Option<[u32; 2]>,
    downloads: views::Downloads,
    series: Vec<views::SeriesView>,
    figures: Vec<views::FigureView>,
}
