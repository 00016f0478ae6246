//! The PRISMA 2020 flow diagram as SVG, drawn by code from [`Prisma`].
//!
//! Layout of the PRISMA 2020 template for new and updated reviews with databases, registers
//! and other methods: a header per column, the identification, screening and included
//! phases as blue bars on the left, boxes with `(n = ...)`, arrows down the main columns and
//! across to the exclusion boxes. On an update (`previous_studies` set) a left column holds the
//! studies of the previous version and the flow ends in a total box. Every box is a
//! `<g data-node="...">` named after its row in `prisma.csv`, so its numbers can be checked
//! against that file. All text is XML-escaped.

use std::fmt::Write as _;

use crate::prisma::Prisma;

const FONT: f64 = 12.0;
const LINE: f64 = 15.0;
const PAD: f64 = 8.0;
const ROW_GAP: f64 = 34.0;
const BAR: f64 = 28.0;

/// XML-escapes text for element content and attribute values.
pub(crate) fn xml_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            // Control characters are not allowed in XML 1.0.
            c if (c as u32) < 0x20 && !matches!(c, '\t' | '\n' | '\r') => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

/// Greedy word wrap to at most `width` characters per line; a count `(n = 3)` stays whole.
fn wrap(text: &str, width: usize) -> Vec<String> {
    let glued = text.replace("(n = ", "(n\u{1}=\u{1}");
    let mut lines = Vec::new();
    let mut cur = String::new();
    for word in glued.split_whitespace() {
        let word = word.replace('\u{1}', " ");
        let word = word.as_str();
        if !cur.is_empty() && cur.chars().count() + 1 + word.chars().count() > width {
            lines.push(std::mem::take(&mut cur));
        }
        if !cur.is_empty() {
            cur.push(' ');
        }
        cur.push_str(word);
    }
    if !cur.is_empty() || lines.is_empty() {
        lines.push(cur);
    }
    lines
}

/// One box: its node name (a `data` key of `prisma.csv`), column and text lines.
#[allow(clippy::struct_field_names)] // `node` is the PRISMA2020 template's word
struct Node {
    node: &'static str,
    col: usize,
    lines: Vec<String>,
    /// Whether the first line is a heading (bold).
    heading: bool,
}

fn node(node: &'static str, col: usize, width: f64, paragraphs: &[String]) -> Node {
    let chars = ((width - 2.0 * PAD) / (FONT * 0.53)).floor() as usize;
    let lines = paragraphs.iter().flat_map(|p| wrap(p, chars)).collect();
    Node {
        node,
        col,
        lines,
        heading: false,
    }
}

fn n(label: &str, k: usize) -> String {
    format!("{label} (n = {k})")
}

/// The diagram as a standalone SVG document (no XML prolog, so that it also inlines in HTML).
pub(crate) fn prisma_svg(p: &Prisma, title: &str) -> String {
    let update = p.previous_studies.is_some();
    // Columns: [previous] db-main db-side other-main other-side.
    let widths: Vec<f64> = if update {
        vec![200.0, 250.0, 280.0, 230.0, 200.0]
    } else {
        vec![250.0, 280.0, 230.0, 200.0]
    };
    let gap = 24.0;
    let mut xs = Vec::with_capacity(widths.len());
    let mut cursor = BAR + 14.0;
    for width in &widths {
        xs.push(cursor);
        cursor += width + gap;
    }
    let total_width = cursor - gap + 10.0;
    let off = usize::from(update);
    let (prev, dbm, dbs, om, os) = (0, off, off + 1, off + 2, off + 3);
    let wd = |c: usize| widths[c];

    let mut reasons: Vec<String> = vec!["Reports excluded:".into()];
    if p.reports_excluded.is_empty() {
        reasons[0] = n("Reports excluded", 0);
    } else {
        reasons.extend(p.reports_excluded.iter().map(|(r, k)| n(r, *k)));
    }

    let mut rows: Vec<Vec<Node>> = Vec::new();
    let mut identification = Vec::new();
    if update {
        identification.push(node(
            "previous_studies",
            prev,
            wd(prev),
            &[
                n(
                    "Studies included in previous version of review",
                    p.previous_studies.unwrap_or(0),
                ),
                n(
                    "Reports of studies included in previous version of review",
                    p.previous_studies.unwrap_or(0),
                ),
            ],
        ));
    }
    identification.extend([
        Node {
            heading: true,
            ..node(
                "database_results",
                dbm,
                wd(dbm),
                &[
                    "Records identified from:".into(),
                    n("Databases (PubMed)", p.database_results),
                    n("Registers", 0),
                ],
            )
        },
        Node {
            heading: true,
            ..node(
                "duplicates",
                dbs,
                wd(dbs),
                &[
                    "Records removed before screening:".into(),
                    n("Duplicate records removed", p.duplicates),
                    n("Records marked as ineligible by automation tools", 0),
                    n(
                        "Records removed for other reasons (not yet screened)",
                        p.excluded_other,
                    ),
                ],
            )
        },
        Node {
            heading: true,
            ..node(
                "citations_results",
                om,
                wd(om),
                &[
                    "Records identified from:".into(),
                    n("Other methods (studies entered by hand)", p.manual_studies),
                ],
            )
        },
    ]);
    rows.push(identification);
    rows.push(vec![
        node(
            "records_screened",
            dbm,
            wd(dbm),
            &[n("Records screened", p.records_screened)],
        ),
        node(
            "records_excluded",
            dbs,
            wd(dbs),
            &[n("Records excluded", p.records_excluded)],
        ),
    ]);
    rows.push(vec![
        node(
            "dbr_sought_reports",
            dbm,
            wd(dbm),
            &[n("Reports sought for retrieval", p.reports_assessed)],
        ),
        node(
            "dbr_notretrieved_reports",
            dbs,
            wd(dbs),
            &[n("Reports not retrieved", 0)],
        ),
        node(
            "other_sought_reports",
            om,
            wd(om),
            &[n("Reports sought for retrieval", p.manual_studies)],
        ),
        node(
            "other_notretrieved_reports",
            os,
            wd(os),
            &[n("Reports not retrieved", 0)],
        ),
    ]);
    rows.push(vec![
        node(
            "dbr_assessed",
            dbm,
            wd(dbm),
            &[n("Reports assessed for eligibility", p.reports_assessed)],
        ),
        Node {
            heading: !p.reports_excluded.is_empty(),
            ..node("dbr_excluded", dbs, wd(dbs), &reasons)
        },
        node(
            "other_assessed",
            om,
            wd(om),
            &[n("Reports assessed for eligibility", p.manual_studies)],
        ),
        node("other_excluded", os, wd(os), &[n("Reports excluded", 0)]),
    ]);
    if update {
        rows.push(vec![node(
            "new_studies",
            dbm,
            wd(dbm),
            &[
                n("New studies included in review", p.new_studies),
                n("Reports of new included studies", p.new_reports),
            ],
        )]);
        rows.push(vec![node(
            "total_studies",
            dbm,
            wd(dbm),
            &[
                n("Total studies included in review", p.total_studies),
                n("Reports of total included studies", p.total_reports),
            ],
        )]);
    } else {
        rows.push(vec![node(
            "total_studies",
            dbm,
            wd(dbm),
            &[
                n("Studies included in review", p.total_studies),
                n("Reports of included studies", p.total_reports),
            ],
        )]);
    }

    // Row positions.
    let header_y = 36.0;
    let header_h = 40.0;
    let mut y = header_y + header_h + ROW_GAP * 0.7;
    let mut row_y = Vec::new();
    let mut row_h = Vec::new();
    for r in &rows {
        let lines = r.iter().map(|b| b.lines.len()).max().unwrap_or(1);
        let h = lines as f64 * LINE + 2.0 * PAD;
        row_y.push(y);
        row_h.push(h);
        y += h + ROW_GAP;
    }
    let height = y - ROW_GAP + 16.0;

    let mut s = String::new();
    let tw = total_width;
    let _ = write!(
        s,
        r#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {tw} {height}" width="{tw}" height="{height}" role="img" aria-labelledby="prisma-title" font-family="Helvetica, Arial, sans-serif" font-size="{FONT}">"#,
    );
    let _ = write!(
        s,
        r#"<title id="prisma-title">PRISMA 2020 flow diagram: {}</title>"#,
        xml_escape(title)
    );
    s.push_str(
        r##"<defs><marker id="prisma-arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="#333"/></marker></defs>"##,
    );
    s.push_str(r##"<rect x="0" y="0" width="100%" height="100%" fill="#fff"/>"##);
    let _ = write!(
        s,
        r#"<text x="{BAR}" y="22" font-size="15" font-weight="bold">{}</text>"#,
        xml_escape(&format!("PRISMA 2020 flow diagram \u{2014} {title}"))
    );
    // Column headers.
    let header = |s: &mut String, x: f64, w: f64, fill: &str, text: &str| {
        let _ = write!(
            s,
            r##"<rect x="{x}" y="{header_y}" width="{w}" height="{header_h}" rx="6" fill="{fill}" stroke="#555"/>"##
        );
        let lines = wrap(text, ((w - 2.0 * PAD) / (FONT * 0.56)) as usize);
        let top = header_y + header_h / 2.0 - (lines.len() as f64 - 1.0) * LINE / 2.0 + 4.0;
        for (i, l) in lines.iter().enumerate() {
            let _ = write!(
                s,
                r#"<text x="{}" y="{}" text-anchor="middle" font-weight="bold">{}</text>"#,
                x + w / 2.0,
                top + i as f64 * LINE,
                xml_escape(l)
            );
        }
    };
    if update {
        header(&mut s, xs[prev], wd(prev), "#d9d9d9", "Previous studies");
    }
    header(
        &mut s,
        xs[dbm],
        xs[dbs] + wd(dbs) - xs[dbm],
        "#ffc000",
        "Identification of new studies via databases and registers",
    );
    header(
        &mut s,
        xs[om],
        xs[os] + wd(os) - xs[om],
        "#d9d9d9",
        "Identification of new studies via other methods",
    );
    // Phase bars.
    let last = rows.len() - 1;
    let included_first = if update { last - 1 } else { last };
    for (label, a, b) in [
        ("Identification", 0, 0),
        ("Screening", 1, 3),
        ("Included", included_first, last),
    ] {
        let top = row_y[a];
        let bottom = row_y[b] + row_h[b];
        let mid = f64::midpoint(top, bottom);
        let _ = write!(
            s,
            r##"<g data-phase="{label}"><rect x="4" y="{top}" width="{BAR}" height="{}" rx="6" fill="#9dc3e6" stroke="#555"/><text x="{}" y="{mid}" transform="rotate(-90 {} {mid})" text-anchor="middle" font-weight="bold">{label}</text></g>"##,
            bottom - top,
            4.0 + BAR / 2.0 + 4.0,
            4.0 + BAR / 2.0 + 4.0,
        );
    }
    // Boxes.
    let mut pos: std::collections::BTreeMap<&str, (f64, f64, f64, f64)> =
        std::collections::BTreeMap::new();
    for (r, boxes) in rows.iter().enumerate() {
        for b in boxes {
            let (bx, by, bw, bh) = (xs[b.col], row_y[r], wd(b.col), row_h[r]);
            pos.insert(b.node, (bx, by, bw, bh));
            let _ = write!(
                s,
                r##"<g data-node="{}"><rect x="{bx}" y="{by}" width="{bw}" height="{bh}" fill="#fff" stroke="#333"/>"##,
                b.node
            );
            for (i, l) in b.lines.iter().enumerate() {
                let weight = if b.heading && i == 0 {
                    r#" font-weight="bold""#
                } else {
                    ""
                };
                let _ = write!(
                    s,
                    r#"<text x="{}" y="{}"{weight}>{}</text>"#,
                    bx + PAD,
                    by + PAD + LINE * (i as f64) + FONT,
                    xml_escape(l)
                );
            }
            s.push_str("</g>");
        }
    }
    // Arrows.
    let arrow = |s: &mut String, pts: &[(f64, f64)]| {
        let d: Vec<String> = pts
            .iter()
            .enumerate()
            .map(|(i, (x, y))| format!("{}{x},{y}", if i == 0 { "M" } else { "L" }))
            .collect();
        let _ = write!(
            s,
            r##"<path d="{}" fill="none" stroke="#333" stroke-width="1.4" marker-end="url(#prisma-arrow)"/>"##,
            d.join(" ")
        );
    };
    let down = |s: &mut String, a: &str, b: &str| {
        if let (Some(&(ax, ay, aw, ah)), Some(&(_, by, _, _))) = (pos.get(a), pos.get(b)) {
            arrow(s, &[(ax + aw / 2.0, ay + ah), (ax + aw / 2.0, by)]);
        }
    };
    let across = |s: &mut String, a: &str, b: &str| {
        if let (Some(&(ax, ay, aw, ah)), Some(&(bx, _, _, _))) = (pos.get(a), pos.get(b)) {
            arrow(s, &[(ax + aw, ay + ah / 2.0), (bx, ay + ah / 2.0)]);
        }
    };
    down(&mut s, "database_results", "records_screened");
    down(&mut s, "records_screened", "dbr_sought_reports");
    down(&mut s, "dbr_sought_reports", "dbr_assessed");
    down(&mut s, "citations_results", "other_sought_reports");
    down(&mut s, "other_sought_reports", "other_assessed");
    across(&mut s, "database_results", "duplicates");
    across(&mut s, "records_screened", "records_excluded");
    across(&mut s, "dbr_sought_reports", "dbr_notretrieved_reports");
    across(&mut s, "dbr_assessed", "dbr_excluded");
    across(&mut s, "other_sought_reports", "other_notretrieved_reports");
    across(&mut s, "other_assessed", "other_excluded");
    let first_included = if update {
        "new_studies"
    } else {
        "total_studies"
    };
    down(&mut s, "dbr_assessed", first_included);
    // Other methods join the included box from the right.
    if let (Some(&(ax, ay, aw, ah)), Some(&(ix, iy, iw, ih))) =
        (pos.get("other_assessed"), pos.get(first_included))
    {
        arrow(
            &mut s,
            &[
                (ax + aw / 2.0, ay + ah),
                (ax + aw / 2.0, iy + ih / 2.0),
                (ix + iw, iy + ih / 2.0),
            ],
        );
    }
    if update {
        down(&mut s, "new_studies", "total_studies");
        if let (Some(&(px, py, pw, ph)), Some(&(tx, ty, _, th))) =
            (pos.get("previous_studies"), pos.get("total_studies"))
        {
            arrow(
                &mut s,
                &[
                    (px + pw / 2.0, py + ph),
                    (px + pw / 2.0, ty + th / 2.0),
                    (tx, ty + th / 2.0),
                ],
            );
        }
    }
    s.push_str("</svg>\n");
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Prisma {
        Prisma {
            database_results: 14,
            duplicates: 0,
            records_screened: 14,
            records_excluded: 9,
            reports_assessed: 5,
            reports_excluded: vec![("adult_only <b>".into(), 2)],
            manual_studies: 2,
            new_studies: 4,
            new_reports: 4,
            total_studies: 4,
            total_reports: 5,
            ..Prisma::default()
        }
    }

    #[test]
    fn boxes_carry_the_numbers_and_text_is_escaped() {
        let svg = prisma_svg(&sample(), "A & B <review>");
        assert!(svg.starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\""));
        assert!(svg.contains("A &amp; B &lt;review&gt;"));
        assert!(svg.contains("adult_only &lt;b&gt; (n = 2)"));
        assert!(!svg.contains("<b>"));
        assert!(svg.contains("Records screened (n = 14)"));
        assert!(svg.contains("Records excluded (n = 9)"));
        assert!(svg.contains("Studies included in review (n = 4)"));
        assert!(!svg.contains("previous_studies"));
        // 14 boxes: identification 3, screening 4, sought/retrieved 4, assessed/excluded 2, included 1.
        assert_eq!(svg.matches("<g data-node=").count(), 14);
    }

    #[test]
    fn an_update_shows_previous_and_total() {
        let p = Prisma {
            previous_studies: Some(3),
            new_studies: 1,
            total_studies: 4,
            ..sample()
        };
        let svg = prisma_svg(&p, "x");
        assert!(svg.contains("data-node=\"previous_studies\""));
        // Box text wraps on words, so the count may stand on its own line.
        assert!(svg.contains("data-node=\"new_studies\""));
        assert!(svg.contains("New studies included"));
        assert!(svg.contains("(n = 1)"));
        assert!(svg.contains("Total studies included"));
    }

    #[test]
    fn wraps_on_words() {
        assert_eq!(wrap("a bb ccc dddd", 6), ["a bb", "ccc", "dddd"]);
        assert_eq!(wrap("", 5), [""]);
        assert_eq!(
            wrap("Records screened (n = 14)", 20),
            ["Records screened", "(n = 14)"]
        );
    }
}
