//! Template recursion that can never end, found before anything renders.
//!
//! Tera renders includes and macro calls by recursing on the stack, so a template that
//! includes itself, or a macro that calls itself, overflows it and aborts the process.
//! Tera already refuses circular `extends`. Here every template and macro is a node, with
//! an edge for each include, macro call and `extends` it makes *unconditionally* (outside
//! any `{% if %}` or `{% for %}` body, and not on the right of `and`/`or`); a cycle in that
//! graph recurses forever whatever the data, and is an error naming its templates.
//! Recursion under a condition (a menu macro calling itself for each child) stays allowed.

use std::collections::{BTreeMap, BTreeSet};
use tera::ast::{Expr, ExprVal, Node};
use tera::Tera;

#[derive(Clone, PartialEq, Eq, PartialOrd, Ord)]
enum Target {
    Template(String),
    Macro(String, String),
}

impl Target {
    fn describe(&self) -> String {
        match self {
            Target::Template(t) => t.clone(),
            Target::Macro(file, name) => format!("macro {name} in {file}"),
        }
    }
}

struct Walker<'a> {
    tera: &'a Tera,
    /// The file whose macro namespaces apply (`self::` and its imports).
    file: &'a str,
    out: BTreeSet<Target>,
}

impl Walker<'_> {
    fn nodes(&mut self, nodes: &[Node]) {
        for n in nodes {
            self.node(n);
        }
    }

    fn node(&mut self, node: &Node) {
        match node {
            Node::VariableBlock(_, e) => self.expr(e),
            Node::Set(_, s) => self.expr(&s.value),
            Node::FilterSection(_, f, _) => {
                f.filter.args.values().for_each(|e| self.expr(e));
                self.nodes(&f.body);
            }
            Node::Block(_, b, _) => self.nodes(&b.body),
            Node::Include(_, names, _) => {
                if let Some(name) = names.iter().find(|n| self.tera.templates.contains_key(*n)) {
                    self.out.insert(Target::Template(name.clone()));
                }
            }
            Node::Extends(_, parent) => {
                self.out.insert(Target::Template(parent.clone()));
            }
            // Only the first condition and a loop's container always run.
            Node::If(i, _) => {
                if let Some((_, cond, _)) = i.conditions.first() {
                    self.expr(cond);
                }
            }
            Node::Forloop(_, f, _) => self.expr(&f.container),
            _ => {}
        }
    }

    fn expr(&mut self, e: &Expr) {
        for f in &e.filters {
            f.args.values().for_each(|a| self.expr(a));
        }
        match &e.val {
            ExprVal::Math(m) => {
                self.expr(&m.lhs);
                self.expr(&m.rhs);
            }
            // `a and b`, `a or b`: b may not run.
            ExprVal::Logic(l) => self.expr(&l.lhs),
            ExprVal::Test(t) => t.args.iter().for_each(|a| self.expr(a)),
            ExprVal::FunctionCall(f) => f.args.values().for_each(|a| self.expr(a)),
            ExprVal::Array(items) => items.iter().for_each(|a| self.expr(a)),
            ExprVal::In(i) => {
                self.expr(&i.lhs);
                self.expr(&i.rhs);
            }
            ExprVal::MacroCall(call) => {
                call.args.values().for_each(|a| self.expr(a));
                let file = if call.namespace == "self" {
                    Some(self.file.to_string())
                } else {
                    self.tera.templates.get(self.file).and_then(|t| {
                        t.imported_macro_files.iter().find(|(_, ns)| *ns == call.namespace).map(|(f, _)| f.clone())
                    })
                };
                if let Some(file) = file {
                    self.out.insert(Target::Macro(file, call.name.clone()));
                }
            }
            _ => {}
        }
    }
}

/// The first cycle of unconditional includes, extends and macro calls, as a message.
pub fn check(tera: &Tera) -> Result<(), String> {
    let mut edges: BTreeMap<Target, BTreeSet<Target>> = BTreeMap::new();
    for (name, tpl) in &tera.templates {
        let mut w = Walker { tera, file: name, out: BTreeSet::new() };
        w.nodes(&tpl.ast);
        edges.insert(Target::Template(name.clone()), w.out);
        for (mname, m) in &tpl.macros {
            let mut w = Walker { tera, file: name, out: BTreeSet::new() };
            w.nodes(&m.body);
            edges.insert(Target::Macro(name.clone(), mname.clone()), w.out);
        }
    }
    // Depth-first search with colours; the stack gives the cycle.
    #[derive(Clone, Copy, PartialEq)]
    enum Colour {
        Grey,
        Black,
    }
    let mut colour: BTreeMap<&Target, Colour> = BTreeMap::new();
    for start in edges.keys() {
        if colour.contains_key(start) {
            continue;
        }
        // (node, its successors not yet visited)
        let mut stack: Vec<(&Target, Vec<&Target>)> = Vec::new();
        colour.insert(start, Colour::Grey);
        stack.push((start, edges[start].iter().rev().collect()));
        while let Some((node, next)) = stack.last_mut() {
            let node = *node;
            match next.pop() {
                None => {
                    colour.insert(node, Colour::Black);
                    stack.pop();
                }
                Some(succ) => match colour.get(succ) {
                    Some(Colour::Black) => {}
                    Some(Colour::Grey) => {
                        let from = stack.iter().position(|(n, _)| *n == succ).unwrap_or(0);
                        let mut chain: Vec<String> = stack[from..].iter().map(|(n, _)| n.describe()).collect();
                        chain.push(succ.describe());
                        return Err(format!(
                            "{} never stops recursing: {} (put the recursive include or call inside an {{% if %}})",
                            succ.describe(),
                            chain.join(" → ")
                        ));
                    }
                    None => {
                        let Some(succ_edges) = edges.get(succ) else { continue };
                        colour.insert(succ, Colour::Grey);
                        stack.push((succ, succ_edges.iter().rev().collect()));
                    }
                },
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tera(files: &[(&str, &str)]) -> Tera {
        let mut t = Tera::default();
        t.add_raw_templates(files.to_vec()).unwrap();
        t
    }

    #[test]
    fn finds_unconditional_cycles_only() {
        let e = check(&tera(&[("page.html", "a{% include \"page.html\" %}")])).unwrap_err();
        assert!(e.starts_with("page.html never stops recursing: page.html → page.html"), "{e}");
        let e = check(&tera(&[("a.html", "{% include \"b.html\" %}"), ("b.html", "{% include \"a.html\" %}")]))
            .unwrap_err();
        assert!(e.contains("a.html → b.html → a.html"), "{e}");
        let e = check(&tera(&[("m.html", "{% macro m(x) %}{{ self::m(x=x) }}{% endmacro m %}")])).unwrap_err();
        assert!(e.contains("macro m in m.html → macro m in m.html"), "{e}");
        let e = check(&tera(&[
            ("m.html", "{% macro m(x) %}{{ self::m(x=x) | upper }}{% endmacro m %}"),
            ("p.html", "{% import \"m.html\" as mm %}{{ mm::m(x=1) }}"),
        ]))
        .unwrap_err();
        assert!(e.contains("macro m in m.html"), "{e}");
        // Recursion under a condition or in a loop may end.
        check(&tera(&[(
            "m.html",
            "{% macro m(x) %}{% if x %}{{ self::m(x=false) }}{% endif %}{% for c in x %}{{ self::m(x=c) }}{% endfor %}{% endmacro m %}",
        )]))
        .unwrap();
        check(&tera(&[("a.html", "{% include \"b.html\" %}"), ("b.html", "b")])).unwrap();
    }
}
