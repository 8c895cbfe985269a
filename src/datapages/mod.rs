//! Pages from data: gongsi's records (programs, regions, categories, cases) as pages of
//! Zola's Library, and what each renders beside its template: the record's figures, its
//! charts, their embed pages and its data downloads.
//!
//! [`DataSite::adapt`] marks the program and case bundles `content/` holds and generates
//! the list sections and the region and category pages before the Library is linked, so
//! they are listed, sorted and translated like any page. [`DataSite`] then answers the
//! site writer for each of them (`site::DataPages`).

use crate::charts::{kinds, Chart, ChartStyle};
use crate::config::TaxonomyConfig;
use crate::content::library::{new_page, new_section, Library, Page, Section, Taxonomy, Term};
use crate::content::Adapter;
use crate::data::kinds::{all_pages, Kind};
use crate::data::views::{self, Views};
use crate::diagnostics::Diagnostic;
use crate::lang::Lang;
use crate::model::{Program, Site, Totals};
use crate::output::Sink;
use crate::site::{DataPages, Of};
use crate::urls;
use serde::Serialize;
use serde_json::Value;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use tera::{Context, Tera};

#[derive(Serialize)]
struct ChartRef<'a> {
    #[serde(flatten)]
    chart: &'a Chart,
    url: String,
    path: String,
    /// The phone drawing (`<id>.svg#narrow`, a view of the same file), the `<picture>`
    /// source on narrow screens.
    narrow_url: String,
    /// The chart as a PNG (`<id>.png`), for download and link previews; empty when this
    /// chart has none ([`Pngs`]).
    png_url: String,
    png_path: String,
    /// Its embed pages and iframe snippets (`crate::embed`); `None` without `embed.html`.
    embed: Option<crate::embed::EmbedRef>,
    /// A ready citation of the chart, in the page's language.
    citation: String,
}

/// When a page's data last changed (`data_updated`): the ISO date and its text in the
/// page's language ("2026년 12월 2일", "2 December 2026").
#[derive(Serialize)]
struct DataUpdated {
    date: String,
    text: String,
}

/// The picture of a shared link (`og_image`): a chart's PNG, its size and its text.
#[derive(Serialize, Clone)]
struct OgImage {
    /// The chart's id: the page that writes this chart writes its PNG.
    #[serde(skip)]
    id: String,
    url: String,
    width: u32,
    height: u32,
    alt: String,
}

/// A chart's PNG: its page-width drawing rendered with the bundled fonts.
fn kinds_png(chart: &Chart) -> Result<Vec<u8>, String> {
    crate::charts::png::png(&chart.svg)
}

/// Which charts get a PNG (`chart_png` in `[extra]`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Pngs {
    /// Every chart (`chart_png = "all"` or `true`).
    All,
    /// Only the pictures shared links show (the default, `"share"`): a program page's first
    /// chart and the home page's chart that every other page shows. Rasterising every
    /// chart was a third of a cold build; each chart keeps its SVG download.
    Share,
    /// None, and no `og:image` (`chart_png = false`).
    Off,
}

impl Pngs {
    fn of(config: &crate::config::Config) -> Pngs {
        match config.extra.get("chart_png") {
            Some(toml::Value::Boolean(false)) => Pngs::Off,
            Some(toml::Value::Boolean(true)) => Pngs::All,
            Some(toml::Value::String(s)) if s == "all" => Pngs::All,
            _ => Pngs::Share,
        }
    }
}

/// The data records of a site and what their pages need, computed once.
pub struct DataSite {
    pub site: Arc<Site>,
    style: ChartStyle,
    /// Every page records make; a Library item's `record` indexes this list.
    kinds: Vec<Kind>,
    /// Program indices of each region (its own and its descendants'), each category and
    /// each case, computed once in one pass over the programs.
    members: Members,
    /// Hash of the site-wide inputs every page depends on.
    global: u64,
    /// Hash of every program, case and page: the input of pages that may show anything.
    all_inputs: u64,
    /// The site's link picture in each language (the home page's first chart), found once.
    home_image: [std::sync::OnceLock<Option<OgImage>>; 2],
}

impl DataSite {
    pub fn new(site: Arc<Site>, style: ChartStyle) -> DataSite {
        let kinds = all_pages(&site);
        let members = Members::new(&site);
        let hashes: Vec<[u8; 8]> = site
            .programs
            .iter()
            .map(|p| p.hash)
            .chain(site.cases.iter().map(|c| c.hash))
            .chain(site.pages.iter().map(|p| p.hash))
            .map(u64::to_le_bytes)
            .collect();
        let all_inputs = crate::model::hash_texts(hashes.iter().map(|b| &b[..]));
        DataSite { site, style, kinds, members, global: 0, all_inputs, home_image: Default::default() }
    }

    /// The same site with one program's record replaced by `program` (the preview's
    /// quick edit): `None` unless a program with its slug, region and category is there
    /// already, so every page, list and index keeps its place.
    pub fn with_program(&self, program: crate::model::Program) -> Option<DataSite> {
        let i = self.site.programs.iter().position(|p| p.data.slug == program.data.slug)?;
        let old = &self.site.programs[i];
        if old.data.region != program.data.region
            || old.data.category != program.data.category
            || old.data.case != program.data.case
        {
            return None;
        }
        let mut model = (*self.site).clone();
        model.programs[i] = Arc::new(program);
        let mut next = DataSite::new(Arc::new(model), self.style.clone());
        if next.kinds != self.kinds {
            return None;
        }
        next.global = self.global;
        Some(next)
    }

    /// The hash of the site-wide inputs (known once the templates are loaded).
    pub fn set_global(&mut self, global: u64) {
        self.global = global;
    }

    /// gongsi's template functions and filters: `get_figure_checks`, `won`, `rate`, `num`.
    pub fn register(&self, tera: &mut Tera) {
        crate::data::functions::register(tera, self.site.clone());
        tera.register_function(
            "get_data_tables",
            crate::export::GetDataTables { base: self.site.config.base().into() },
        );
    }

    /// Gives the Library the pages records make. A program or case bundle in `content/`
    /// becomes its record's page (its path, title and aliases from the record); the list
    /// sections, the home section and the region and category pages are generated where
    /// `content/` has no file for them.
    fn adapt(&self, pages: &mut Vec<Page>, sections: &mut Vec<Section>) -> Vec<Diagnostic> {
        let site = &*self.site;
        let config = &site.config;
        let content = site.root.join("content");
        let mut diags = Vec::new();
        let aliases = aliases(site);
        let mut page_at: HashMap<PathBuf, usize> = HashMap::new();
        for (i, p) in pages.iter().enumerate() {
            page_at.insert(Path::new("content").join(&p.file.relative), i);
        }
        let mut section_at: HashMap<String, usize> = HashMap::new();
        for (i, s) in sections.iter().enumerate() {
            section_at.insert(s.path.clone(), i);
        }
        let file_of = |rel: &str, lang: Lang| match lang {
            Lang::Ko => rel.to_string(),
            Lang::En => rel.replacen(".md", ".en.md", 1),
        };
        for (r, &kind) in self.kinds.iter().enumerate() {
            if kind == Kind::NotFound {
                continue;
            }
            let path = kind.path(site);
            let own_aliases = |lang: Lang| -> Vec<String> {
                aliases.iter().filter(|(_, to)| *to == path).map(|(from, _)| urls::localized(from, lang)).collect()
            };
            for lang in Lang::ALL {
                let local = urls::localized(&path, lang);
                let template = kind.template(site, lang);
                if kind.is_section(site) {
                    let i = match section_at.get(&local) {
                        Some(&i) => i,
                        None => {
                            let rel = file_of(&format!("{}_index.md", path.trim_start_matches('/')), lang);
                            let front = crate::content::front::SectionFront::default();
                            match new_section(&rel, &content, front, String::new(), config) {
                                Ok(s) => {
                                    sections.push(s);
                                    section_at.insert(local.clone(), sections.len() - 1);
                                    sections.len() - 1
                                }
                                Err(e) => {
                                    diags.push(Diagnostic::error(Path::new("content").join(&rel), e));
                                    continue;
                                }
                            }
                        }
                    };
                    let s = &mut sections[i];
                    s.record = Some(r);
                    s.meta.template.get_or_insert(template);
                    s.meta.title.get_or_insert_with(|| kind.title(site, lang));
                    s.meta.aliases = own_aliases(lang);
                    continue;
                }
                let file = match kind {
                    Kind::Program(i) => Some(site.programs[i].text.get(lang).file.clone()),
                    Kind::Case(i) => Some(site.cases[i].text.get(lang).file.clone()),
                    Kind::Content(i) => Some(Path::new("content").join(file_of(&site.pages[i].relative, lang))),
                    _ => None,
                };
                let i = match file.as_ref().and_then(|f| page_at.get(f)) {
                    Some(&i) => i,
                    // A bundle the Library left out (a draft) is not published.
                    None if file.is_some() => continue,
                    None => {
                        let rel = file_of(&format!("{}.md", path.trim_matches('/')), lang);
                        // A content file at the generated page's place would silently replace it.
                        if page_at.contains_key(&Path::new("content").join(&rel)) {
                            let owner = match kind {
                                Kind::Region(i) => format!("region \"{}\" (data/regions.toml)", site.regions[i].slug),
                                Kind::Category(i) => {
                                    format!("category \"{}\" (data/categories.toml)", site.categories[i].slug)
                                }
                                _ => "a data record".to_string(),
                            };
                            diags.push(Diagnostic::error(
                                Path::new("content").join(&rel),
                                format!("this file has the URL {local}, which is the page gongsi makes for {owner}; rename the file or give it a slug"),
                            ));
                            continue;
                        }
                        let front = crate::content::front::PageFront::default();
                        match new_page(&rel, &content, front, String::new(), config) {
                            Ok(p) => {
                                pages.push(p);
                                pages.len() - 1
                            }
                            Err(e) => {
                                diags.push(Diagnostic::error(Path::new("content").join(&rel), e));
                                continue;
                            }
                        }
                    }
                };
                let p = &mut pages[i];
                p.record = Some(r);
                p.meta.template.get_or_insert(template);
                p.meta.aliases = own_aliases(lang);
                if let Kind::Program(i) = kind {
                    // Regions and categories serve as taxonomies (see `taxonomies`).
                    let (regions, categories) = self.terms_of(i, lang);
                    p.meta.taxonomies.insert("regions".into(), regions);
                    p.meta.taxonomies.insert("categories".into(), categories);
                }
                if !matches!(kind, Kind::Content(_)) {
                    p.meta.title = Some(kind.title(site, lang));
                    p.path = local.clone();
                    p.permalink = urls::permalink(config.base(), &local);
                    p.components = local.split('/').filter(|c| !c.is_empty()).map(String::from).collect();
                    // The record's own files are data, not assets to publish.
                    let keep = |a: &PathBuf| a.extension().is_none_or(|e| e != "toml");
                    let assets: Vec<PathBuf> = p.assets.iter().filter(|a| keep(a)).cloned().collect();
                    p.serialized_assets.retain(|a| !a.ends_with(".toml"));
                    p.assets = assets;
                }
            }
        }
        diags
    }

    /// The region (and every region containing it) and the category of a program, by name.
    fn terms_of(&self, program: usize, lang: Lang) -> (Vec<String>, Vec<String>) {
        let site = &*self.site;
        let regions = (0..site.regions.len())
            .filter(|&r| self.members.region[r].contains(&program))
            .map(|r| site.regions[r].name.get(lang).to_string())
            .collect();
        let categories = (0..site.categories.len())
            .filter(|&c| self.members.category[c].contains(&program))
            .map(|c| site.categories[c].name.get(lang).to_string())
            .collect();
        (regions, categories)
    }

    /// The hash of everything a page is made from: the site-wide inputs (config,
    /// templates, data files, chart style, gongsi itself) and the programs it shows.
    fn page_key(&self, of: Of, id: &str) -> u64 {
        let site = &*self.site;
        let member_hashes = |idx: &[usize]| -> u64 {
            let hs: Vec<[u8; 8]> = idx.iter().map(|&i| site.programs[i].hash.to_le_bytes()).collect();
            crate::model::hash_texts(hs.iter().map(|h| &h[..]))
        };
        let own = match of {
            Of::Record(r) => match self.kinds[r] {
                Kind::Program(i) => site.programs[i].hash,
                Kind::Case(i) => site.cases[i].hash ^ member_hashes(&self.members.case[i]).rotate_left(1),
                Kind::Region(i) => member_hashes(&self.members.region[i]),
                Kind::Category(i) => member_hashes(&self.members.category[i]),
                _ => self.all_inputs,
            },
            _ => self.all_inputs,
        };
        crate::model::hash_texts([&self.global.to_le_bytes()[..], id.as_bytes(), &own.to_le_bytes()])
    }

    fn render_kind(
        &self,
        kind: Kind,
        lang: Lang,
        tera: &Tera,
        ctx: &mut Context,
        sink: &dyn Sink,
    ) -> Result<Option<Value>, String> {
        let site = &*self.site;
        let path = kind.path(site);
        let local = urls::localized(&path, lang);
        ctx.insert("kind", kind.name());
        crate::meta::insert(ctx, site, kind, lang);
        // What the page shows as `page.data`: its record as the template's variable sees it.
        let mut data: Option<Value> = None;
        let mut put = |ctx: &mut Context, name: &str, value: Value| {
            data = Some(value.clone());
            crate::templates::insert_owned(ctx, name, value);
        };
        let v = Views { site, lang };
        ctx.insert("data_updated", &self.data_updated(kind, lang));
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
                ctx.insert("totals", &views::TotalsView::from(Site::totals(site.programs.iter().map(|p| &**p))));
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
                put(ctx, "program", json(&v.program(p, self.downloads(kind)))?);
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
                let programs = self.program_group(&self.members.region[i], &cctx, &v, ctx, &mut charts);
                put(
                    ctx,
                    "region",
                    json(&RegionView {
                        downloads: self.downloads(kind),
                        region: v.region_link(r),
                        full_name: v.region_full_name(&r.slug),
                        level: r.level.key(),
                        parent: r.parent.as_deref().map(|p| v.region_link_by_slug(p)),
                        children: site.children(&r.slug).map(|c| v.region_link(c)).collect(),
                        totals: Site::totals(programs.iter().copied()).into(),
                    })?,
                );
            }
            Kind::Categories => {
                ctx.insert("categories", &self.category_rows(&v));
            }
            Kind::Category(i) => {
                let c = &site.categories[i];
                self.program_group(&self.members.category[i], &cctx, &v, ctx, &mut charts);
                put(ctx, "category", json(&self.category_row(&v, i))?);
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
                self.program_group(&self.members.case[i], &cctx, &v, ctx, &mut charts);
                charts.extend(c.series.iter().filter_map(|s| kinds::series(&cctx, s)));
                put(
                    ctx,
                    "case",
                    json(&CaseView {
                        case: v.case_link(c),
                        number: c.data.number.clone(),
                        region: v.region_link_by_slug(&c.data.region),
                        region_full_name: v.region_full_name(&c.data.region),
                        category: v.category_link_by_slug(&c.data.category),
                        source: v.source(&c.data.source.document, c.data.source.page),
                        pages: c.data.pages,
                        downloads: self.downloads(kind),
                        series: c.series.iter().map(|s| v.series(s, &c.data.source.document)).collect(),
                        figures: c.data.figure.iter().map(|f| v.figure(f, &c.data.source.document)).collect(),
                    })?,
                );
            }
            Kind::Content(_) | Kind::NotFound => {}
        }
        let page_dir = if local.ends_with('/') { local.clone() } else { urls::localized("/", lang) };
        let embeds = crate::embed::enabled(tera, &site.config);
        // The charts that get a PNG: all, or only the pictures of shared links.
        let mode = Pngs::of(&site.config);
        let shared = match kind {
            Kind::Program(_) => charts.first().map(|c| c.id.clone()),
            Kind::Home => self.home_og(lang).map(|o| o.id),
            _ => None,
        };
        let refs: Vec<ChartRef> = charts
            .iter()
            .enumerate()
            .map(|(i, c)| {
                let pngs = mode == Pngs::All || (mode == Pngs::Share && shared.as_deref() == Some(c.id.as_str()));
                let p = urls::chart(&page_dir, &c.id);
                let url = urls::permalink(site.config.base(), &p);
                let narrow_url = urls::permalink(site.config.base(), &urls::narrow_chart(&page_dir, &c.id));
                let png_path = if pngs { urls::chart_png(&page_dir, &c.id) } else { String::new() };
                let png_url = if pngs { urls::permalink(site.config.base(), &png_path) } else { String::new() };
                let embed = embeds.then(|| crate::embed::chart_ref(site, kind, lang, c, (&url, &narrow_url), i == 0));
                let citation = self.chart_citation(kind, lang, c);
                ChartRef { chart: c, url, path: p, narrow_url, png_url, png_path, embed, citation }
            })
            .collect();
        ctx.insert("charts", &refs);
        ctx.insert("og_image", &self.og_image(kind, lang, &refs));
        let io = |e: std::io::Error| format!("{local}: {e}");
        // The page's own data files are language-neutral: written once, with the Korean page,
        // so the page cache covers them too.
        if let (Some((dir, set)), Lang::Ko) = (crate::export::page_set(site, kind, self.members_of(kind)), lang) {
            crate::export::write_owner(site, sink, &dir, &set).map_err(io)?;
        }
        for r in &refs {
            let file = r.chart.file_svg();
            sink.put(&r.path, file.as_bytes()).map_err(io)?;
            // Rasterised once: a renamed series writes the same bytes under its old names too.
            let png = if !r.png_path.is_empty() {
                Some(kinds_png(r.chart).map_err(|e| format!("{local}: {e}"))?)
            } else {
                None
            };
            if let Some(png) = &png {
                sink.put(&r.png_path, png).map_err(io)?;
            }
            if let Some(e) = &r.embed {
                crate::embed::write(tera, ctx, site, kind, r.chart, e, sink)?;
            }
            // A renamed series keeps its published files: the same bytes under the old name,
            // and its embed pages redirect.
            for old in &r.chart.former_ids {
                sink.put(&urls::chart(&page_dir, old), file.as_bytes()).map_err(io)?;
                if let Some(png) = &png {
                    sink.put(&urls::chart_png(&page_dir, old), png).map_err(io)?;
                }
                if let Some(e) = &r.embed {
                    crate::embed::write_former(tera, e, &r.chart.id, old, sink)?;
                }
            }
        }
        Ok(data)
    }

    /// When the data a page shows last changed: a program's or case's `updated` date; for
    /// a region, category or case the latest of its programs'; for any other page the
    /// latest of all. A record without one has the site's date (`[extra] updated`, else the
    /// edition's year), so the line comes from the data files and never from the clock.
    fn data_updated(&self, kind: Kind, lang: Lang) -> DataUpdated {
        let site = &*self.site;
        let fallback = crate::feed::site_date(site).chars().take(10).collect::<String>();
        let date = |d: &Option<toml::value::Datetime>| match d {
            Some(d) => d.to_string().chars().take(10).collect::<String>(),
            None => fallback.clone(),
        };
        let program = |i: &usize| date(&site.programs[*i].data.updated);
        let latest = match kind {
            Kind::Program(i) => Some(program(&i)),
            Kind::Case(i) => self.members.case[i].iter().map(program).chain([date(&site.cases[i].data.updated)]).max(),
            Kind::Region(_) | Kind::Category(_) => self.members_of(kind).iter().map(program).max(),
            _ => site
                .programs
                .iter()
                .map(|p| date(&p.data.updated))
                .chain(site.cases.iter().map(|c| date(&c.data.updated)))
                .max(),
        };
        let date = latest.unwrap_or(fallback);
        let text = crate::format::date(&date, lang);
        DataUpdated { date, text }
    }

    /// The picture a shared link shows (`og_image`): a program page's first chart, as a
    /// PNG; any other page the home page's first chart in its language, the site's picture.
    fn og_image(&self, kind: Kind, lang: Lang, refs: &[ChartRef]) -> Option<OgImage> {
        let of = |r: &ChartRef| OgImage {
            id: r.chart.id.clone(),
            url: r.png_url.clone(),
            width: r.chart.width,
            height: r.chart.height,
            alt: r.chart.alt.clone(),
        };
        if Pngs::of(&self.site.config) == Pngs::Off {
            return None;
        }
        if let (Kind::Program(_), Some(first)) = (kind, refs.first()) {
            return Some(of(first));
        }
        self.home_og(lang)
    }

    /// The site's picture in `lang`: the home page's region chart (else its amounts or
    /// distribution chart), as the home page writes its PNG.
    fn home_og(&self, lang: Lang) -> Option<OgImage> {
        let site = &*self.site;
        let home = self.home_image[lang as usize].get_or_init(|| {
            let cctx = kinds::Ctx { site, config: &site.config, style: &self.style, lang };
            let tops: Vec<_> = (0..site.regions.len())
                .filter(|&i| site.regions[i].parent.is_none())
                .map(|i| (site.regions[i].name.get(lang).to_string(), self.members.region_totals[i]))
                .collect();
            let chart = kinds::regions(&cctx, site, &tops)
                .or_else(|| kinds::region_amounts(&cctx, &tops))
                .or_else(|| kinds::distribution(&cctx, &self.distribution()))?;
            let path = urls::chart_png(&urls::localized("/", lang), &chart.id);
            Some(OgImage {
                id: chart.id.clone(),
                url: urls::permalink(site.config.base(), &path),
                width: chart.width,
                height: chart.height,
                alt: chart.alt,
            })
        });
        home.clone()
    }

    /// The programs a region, category or case page covers (indices into `site.programs`).
    fn members_of(&self, kind: Kind) -> &[usize] {
        match kind {
            Kind::Region(i) => &self.members.region[i][..],
            Kind::Category(i) => &self.members.category[i][..],
            Kind::Case(i) => &self.members.case[i][..],
            _ => &[],
        }
    }

    /// A program, case, region or category page's data folder, as its template sees it.
    fn downloads(&self, kind: Kind) -> views::Downloads {
        let site = &*self.site;
        match crate::export::page_set(site, kind, self.members_of(kind)) {
            Some((dir, set)) => views::Downloads::new(site.config.base(), &dir, &crate::export::owner_files(&set)),
            None => views::Downloads::new(site.config.base(), "/data", &[]),
        }
    }

    fn category_rows(&self, v: &Views) -> Vec<CategoryRow> {
        (0..self.site.categories.len()).map(|i| self.category_row(v, i)).collect()
    }

    fn category_row(&self, v: &Views, i: usize) -> CategoryRow {
        let c = &self.site.categories[i];
        CategoryRow {
            downloads: self.downloads(Kind::Category(i)),
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
        let est = |p: u32| document.is_some_and(|d| site.page_estimated(d, p));
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
                page.map(|p| format!(" {}", crate::format::page(p, est(p), lang))).unwrap_or_default()
            ),
            Lang::En => format!(
                "{title}, chart “{}”. Source: {source}{}. Korea Open Government License Type 1 (attribution). {url}",
                chart.title,
                page.map(|p| format!(", {}", crate::format::page(p, est(p), lang))).unwrap_or_default()
            ),
        }
    }
}

impl Adapter for DataSite {
    fn pages(&self, pages: &mut Vec<Page>, sections: &mut Vec<Section>) -> Vec<Diagnostic> {
        self.adapt(pages, sections)
    }

    /// `regions` and `categories`, in every language: each term is a region or category
    /// page (so nothing more is rendered for it) and lists its programs' pages, as
    /// `get_taxonomy(kind="regions")` and `page.taxonomies` show them. A site whose config
    /// declares a taxonomy of the same name keeps its own.
    fn taxonomies(&self, lib: &Library) -> Vec<Taxonomy> {
        let site = &*self.site;
        let config = &site.config;
        let mut program_pages: HashMap<(usize, &str), usize> = HashMap::new();
        for (pi, p) in lib.pages.iter().enumerate() {
            if let Some(Kind::Program(i)) = p.record.map(|r| self.kinds[r]) {
                program_pages.insert((i, p.lang.as_str()), pi);
            }
        }
        let mut out = Vec::new();
        for lang in Lang::ALL {
            let code = lang.code();
            if !config.language_codes().contains(&code) {
                continue;
            }
            // (taxonomy, its terms as (slug, name, path), each term's programs)
            type Group<'a> = (&'a str, Vec<(String, String, String)>, &'a Vec<Vec<usize>>);
            let groups: [Group; 2] = [
                (
                    "regions",
                    site.regions
                        .iter()
                        .map(|r| (r.slug.clone(), r.name.get(lang).to_string(), urls::region(&r.slug)))
                        .collect(),
                    &self.members.region,
                ),
                (
                    "categories",
                    site.categories
                        .iter()
                        .map(|c| (c.slug.clone(), c.name.get(lang).to_string(), urls::category(&c.slug)))
                        .collect(),
                    &self.members.category,
                ),
            ];
            for (name, terms, members) in groups {
                if config.taxonomies_in(code).iter().any(|t| t.name == name) {
                    continue;
                }
                let path = urls::localized(&format!("/{name}/"), lang);
                let terms = terms
                    .into_iter()
                    .zip(members)
                    .map(|((slug, term, tpath), programs)| {
                        let tpath = urls::localized(&tpath, lang);
                        Term {
                            name: term,
                            slug,
                            permalink: urls::permalink(config.base(), &tpath),
                            path: tpath,
                            pages: programs.iter().filter_map(|&i| program_pages.get(&(i, code)).copied()).collect(),
                        }
                    })
                    .collect();
                out.push(Taxonomy {
                    kind: TaxonomyConfig {
                        name: name.into(),
                        slug: name.into(),
                        paginate_by: None,
                        paginate_path: None,
                        render: false,
                        feed: false,
                        lang: code.into(),
                    },
                    lang: code.into(),
                    permalink: urls::permalink(config.base(), &path),
                    path,
                    terms,
                });
            }
        }
        out
    }
}

impl DataPages for DataSite {
    fn page(
        &self,
        of: Of,
        lang: &str,
        tera: &Tera,
        ctx: &mut Context,
        sink: &dyn Sink,
    ) -> Result<Option<Value>, String> {
        let Some(lang) = Lang::from_code(lang) else { return Ok(None) };
        match of {
            Of::Record(r) => self.render_kind(self.kinds[r], lang, tera, ctx, sink),
            Of::NotFound => {
                // Zola writes one 404 page and gives it no `page`; gongsi writes one per
                // language, each shown as a page with a title and its translations.
                let site = &*self.site;
                let path = Kind::NotFound.path(site);
                let translations: Vec<Value> = Lang::ALL
                    .iter()
                    .map(|&l| {
                        let local = urls::localized(&path, l);
                        serde_json::json!({"lang": l.code(), "path": local, "permalink": urls::permalink(site.config.base(), &local)})
                    })
                    .collect();
                let page = |l: Lang| {
                    let local = urls::localized(&path, l);
                    serde_json::json!({
                        "title": Kind::NotFound.title(site, l),
                        "path": local,
                        "permalink": urls::permalink(site.config.base(), &local),
                        "lang": l.code(),
                        "content": "",
                        "translations": translations,
                    })
                };
                for other in Lang::ALL.into_iter().filter(|&l| l != lang) {
                    let local = urls::localized(&path, other);
                    let view = site.config.view(other.code());
                    let mut octx = crate::templates::base_context(
                        &view,
                        other.code(),
                        &urls::permalink(site.config.base(), &local),
                        &local,
                    );
                    octx.insert("page", &page(other));
                    self.render_kind(Kind::NotFound, other, tera, &mut octx, sink)?;
                    let html = tera
                        .render("404.html", &octx)
                        .map_err(|e| format!("404.html: {}", crate::templates::describe(&e)))?;
                    sink.put(&local, html.as_bytes()).map_err(|e| format!("{local}: {e}"))?;
                }
                let local = urls::localized(&path, lang);
                ctx.insert("current_url", &urls::permalink(site.config.base(), &local));
                ctx.insert("current_path", &local);
                ctx.insert("page", &page(lang));
                self.render_kind(Kind::NotFound, lang, tera, ctx, sink)
            }
            Of::Other => {
                ctx.insert("kind", "page");
                crate::meta::insert(ctx, &self.site, Kind::NotFound, lang);
                Ok(None)
            }
        }
    }

    fn site_wide(&self, sink: &dyn Sink) -> Result<usize, String> {
        let site = &*self.site;
        // The dataset, the feeds and the search index are independent, but each holds a
        // whole-site table while it is made: one after the other, so only one does.
        let data = crate::export::write_all(site, sink);
        let feeds = crate::feed::write_all(site, sink);
        let search = crate::search::write_index(site, sink);
        let io = |e: std::io::Error| e.to_string();
        Ok(data.map_err(io)? + feeds.map_err(io)? + search.map_err(io)?)
    }

    fn key(&self, of: Of, id: &str) -> u64 {
        self.page_key(of, id)
    }
}

fn json<T: Serialize>(v: &T) -> Result<Value, String> {
    serde_json::to_value(v).map_err(|e| e.to_string())
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
        let region_totals = region.iter().map(|ps| Site::totals(ps.iter().map(|&i| &*site.programs[i]))).collect();
        Members { region, category, case, region_totals }
    }

    fn programs<'a>(site: &'a Site, idx: &[usize]) -> Vec<&'a Program> {
        idx.iter().map(|&i| &*site.programs[i]).collect()
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
        for a in c.data.aliases.iter().chain(&c.text.ko.front.aliases) {
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
