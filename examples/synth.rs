//! Writes a synthetic gongsi site of any size, shaped like the default one, for benchmarks:
//! 17 metropolitan governments with 226 cities, counties and districts under them, 8
//! categories, N programs with 1–3 fiscal years of budget figures and 1–4 indicators (some
//! over 100 %, some qualitative), about 400 words of markdown per language.
//!
//!     cargo run --release --example synth -- --programs 10000 --out /dev/shm/site
//!
//! The output is the same for the same N.

use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};

/// A small deterministic generator (SplitMix64), so no dependency decides the output.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len() as u64) as usize]
    }
}

const METROS: [(&str, &str, &str, &str); 17] = [
    ("seoul", "서울특별시", "Seoul", "special-city"),
    ("busan", "부산광역시", "Busan", "metropolitan-city"),
    ("daegu", "대구광역시", "Daegu", "metropolitan-city"),
    ("incheon", "인천광역시", "Incheon", "metropolitan-city"),
    ("gwangju", "광주광역시", "Gwangju", "metropolitan-city"),
    ("daejeon", "대전광역시", "Daejeon", "metropolitan-city"),
    ("ulsan", "울산광역시", "Ulsan", "metropolitan-city"),
    ("sejong", "세종특별자치시", "Sejong", "special-self-governing-city"),
    ("gyeonggi", "경기도", "Gyeonggi-do", "province"),
    ("gangwon", "강원특별자치도", "Gangwon-do", "special-self-governing-province"),
    ("chungbuk", "충청북도", "Chungcheongbuk-do", "province"),
    ("chungnam", "충청남도", "Chungcheongnam-do", "province"),
    ("jeonbuk", "전북특별자치도", "Jeonbuk-do", "special-self-governing-province"),
    ("jeonnam", "전라남도", "Jeollanam-do", "province"),
    ("gyeongbuk", "경상북도", "Gyeongsangbuk-do", "province"),
    ("gyeongnam", "경상남도", "Gyeongsangnam-do", "province"),
    ("jeju", "제주특별자치도", "Jeju-do", "special-self-governing-province"),
];

/// How many local governments each metropolitan one has (226 in all, as in 2023).
const LOCALS: [usize; 17] = [25, 16, 9, 10, 5, 5, 5, 0, 31, 18, 11, 15, 14, 22, 22, 18, 0];

const CATEGORIES: [(&str, &str, &str); 8] = [
    ("community-social-security-plans", "지역사회보장계획 시행결과", "Community Social Security Plans"),
    ("outreach-welfare-services", "찾아가는 보건복지서비스 제공", "Outreach Health and Welfare Services"),
    ("hope-welfare-support-teams", "희망복지지원단 운영", "Hope Welfare Support Teams"),
    ("public-private-partnership", "민관협력 및 자원연계", "Public–Private Partnership"),
    ("community-social-services", "지역사회서비스 확충", "Community Social Services"),
    ("social-service-jobs", "사회서비스 일자리 창출", "Social Service Jobs"),
    ("integrated-community-care", "지역사회 통합돌봄 서비스 제공", "Integrated Community Care"),
    ("social-service-agencies", "사회서비스원 운영지원", "Social Service Agencies"),
];

const KO_WORDS: [&str; 24] = [
    "지역",
    "주민",
    "복지",
    "서비스",
    "돌봄",
    "지원",
    "사업",
    "협력",
    "기관",
    "대상자",
    "발굴",
    "연계",
    "상담",
    "건강",
    "노인",
    "아동",
    "청년",
    "가구",
    "센터",
    "운영",
    "강화",
    "확대",
    "제공",
    "참여",
];
const EN_WORDS: [&str; 24] = [
    "local",
    "residents",
    "welfare",
    "service",
    "care",
    "support",
    "program",
    "partnership",
    "agency",
    "beneficiaries",
    "outreach",
    "referral",
    "counselling",
    "health",
    "older",
    "children",
    "youth",
    "households",
    "centre",
    "operation",
    "stronger",
    "wider",
    "provided",
    "participation",
];

fn sentence(rng: &mut Rng, words: &[&str], n: usize) -> String {
    let mut s: Vec<&str> = (0..n).map(|_| *rng.pick(words)).collect();
    s.dedup();
    let mut out = s.join(" ");
    out.push('.');
    out
}

fn narrative(rng: &mut Rng, words: &[&str], headings: [&str; 4], amount: u64) -> String {
    let mut md = String::from("+++\n+++\n");
    for (i, h) in headings.iter().enumerate() {
        let _ = writeln!(md, "\n## {h}\n");
        for _ in 0..3 {
            let _ =
                writeln!(md, "{} {} {}\n", sentence(rng, words, 9), sentence(rng, words, 8), sentence(rng, words, 7));
        }
        if i == 1 {
            for _ in 0..4 {
                let _ = writeln!(md, "- {}", sentence(rng, words, 6));
            }
        }
        if i == 2 {
            let _ = writeln!(md, "| {} | {} |\n|---|---|", words[0], words[1]);
            for k in 0..3 {
                let _ = writeln!(md, "| {} | {} |", sentence(rng, words, 3), amount / (k + 1));
            }
        }
    }
    md
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let arg = |name: &str| args.iter().position(|a| a == name).and_then(|i| args.get(i + 1)).cloned();
    let n: usize = arg("--programs").and_then(|v| v.parse().ok()).unwrap_or(1000);
    let out = PathBuf::from(arg("--out").unwrap_or_else(|| "synth-site".into()));
    let embeds = !args.iter().any(|a| a == "--no-embeds");
    if out.exists() {
        fs::remove_dir_all(&out).expect("remove old site");
    }
    write_site(&out, n, embeds);
    eprintln!("wrote a site of {n} programs to {}", out.display());
}

fn write(path: &Path, text: &str) {
    fs::create_dir_all(path.parent().unwrap()).unwrap();
    fs::write(path, text).unwrap();
}

fn copy_dir(from: &Path, to: &Path) {
    for entry in fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let dest = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            fs::create_dir_all(&dest).unwrap();
            copy_dir(&entry.path(), &dest);
        } else {
            fs::copy(entry.path(), dest).unwrap();
        }
    }
}

fn write_site(out: &Path, n: usize, embeds: bool) {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    fs::create_dir_all(out.join("themes")).unwrap();
    copy_dir(&repo.join("themes"), &out.join("themes"));
    write(
        &out.join("config.toml"),
        &format!(
            "base_url = \"https://synth.example\"\ntitle = \"합성 공시\"\ndefault_language = \"ko\"\ntheme = \"gongsi\"\n\n[languages.en]\ntitle = \"Synthetic disclosure\"\n{}",
            if embeds { "" } else { "\n[extra]\nembeds = false\n" }
        ),
    );
    // The pages the gongsi theme links from every page (search, data).
    for (name, ko, en, template) in
        [("search", "검색", "Search", "template = \"search.html\"\n"), ("data", "데이터", "Data", "")]
    {
        write(&out.join(format!("content/{name}.md")), &format!("+++\ntitle = \"{ko}\"\n{template}+++\n"));
        write(&out.join(format!("content/{name}.en.md")), &format!("+++\ntitle = \"{en}\"\n{template}+++\n"));
    }
    write(
        &out.join("data/sources.toml"),
        "[[source]]\nid = \"synth\"\ntitle = { ko = \"합성 자료\", en = \"Synthetic source\" }\n",
    );
    let mut regions = String::new();
    let mut locals: Vec<String> = Vec::new();
    for (i, (slug, ko, en, level)) in METROS.iter().enumerate() {
        let _ = writeln!(
            regions,
            "[[region]]\nslug = \"{slug}\"\nname = {{ ko = \"{ko}\", en = \"{en}\" }}\nlevel = \"{level}\"\n"
        );
        for k in 1..=LOCALS[i] {
            let child = format!("{slug}-local-{k}");
            let level = if k % 3 == 0 {
                "county"
            } else if k % 3 == 1 {
                "city"
            } else {
                "district"
            };
            let _ = writeln!(
                regions,
                "[[region]]\nslug = \"{child}\"\nname = {{ ko = \"{ko} 기초{k}\", en = \"{en} local {k}\" }}\nlevel = \"{level}\"\nparent = \"{slug}\"\n"
            );
            locals.push(child);
        }
        if LOCALS[i] == 0 {
            locals.push(slug.to_string());
        }
    }
    write(&out.join("data/regions.toml"), &regions);
    let mut cats = String::new();
    for (i, (slug, ko, en)) in CATEGORIES.iter().enumerate() {
        let _ = writeln!(
            cats,
            "[[category]]\nslug = \"{slug}\"\nname = {{ ko = \"{ko}\", en = \"{en}\" }}\norder = {}\n",
            i + 1
        );
    }
    write(&out.join("data/categories.toml"), &cats);
    let units = ["천원", "백만원", "억원"];
    for i in 0..n {
        let mut rng = Rng(i as u64 * 7919 + 17);
        let slug = format!("program-{i:05}");
        let region = &locals[rng.below(locals.len() as u64) as usize];
        let (cat, _, _) = rng.pick(&CATEGORIES);
        let dir = out.join("content/programs").join(&slug);
        let mut t = format!(
            "slug = \"{slug}\"\nregion = \"{region}\"\ncategory = \"{cat}\"\nname = {{ ko = \"합성 사업 {i}\", en = \"Synthetic program {i}\" }}\nsource = {{ document = \"synth\", page = {} }}\n",
            1 + i % 200
        );
        let unit = *rng.pick(&units);
        let years = 1 + rng.below(3);
        for y in 0..years {
            let budget = 100 + rng.below(50_000);
            let executed = budget * (70 + rng.below(31)) / 100;
            let _ = write!(
                t,
                "\n[[budget]]\nyear = {}\nunit = \"{unit}\"\nbudget = {budget}\nexecuted = {executed}\npage = {}\n",
                2020 + y,
                1 + i % 200
            );
        }
        for k in 0..1 + rng.below(4) {
            let _ = write!(t, "\n[[kpi]]\nid = \"kpi-{k}\"\nyear = 2022\nindicator = {{ ko = \"지표 {k}\", en = \"Indicator {k}\" }}\n");
            if rng.below(10) == 0 {
                t.push_str(
                    "target = { ko = \"인증\", en = \"Certified\" }\nactual = { ko = \"인증\", en = \"Certified\" }\n",
                );
            } else {
                let target = 10 + rng.below(500);
                let actual = target * (50 + rng.below(100)) / 100;
                let _ = write!(t, "target = {target}\nactual = {actual}\n");
            }
            let _ = writeln!(t, "page = {}", 1 + i % 200);
        }
        write(&dir.join("program.toml"), &t);
        let amount = 1000 + rng.below(100_000);
        write(
            &dir.join("index.md"),
            &narrative(&mut rng, &KO_WORDS, ["사업 목적", "사업 내용", "추진 체계", "성과"], amount),
        );
        write(
            &dir.join("index.en.md"),
            &narrative(&mut rng, &EN_WORDS, ["Purpose", "What it does", "Delivery", "Results"], amount),
        );
    }
}
