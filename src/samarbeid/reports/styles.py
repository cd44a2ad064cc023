"""The report's CSS: one stylesheet for screen (HTML) and print (WeasyPrint PDF)."""

CSS = """
:root { --ink: #1d1d1f; --muted: #555b63; --line: #d5dbe1; --head: #eef2f6; --accent: #2b6ca3; }
* { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; }
body {
  font-family: "DejaVu Sans", "Helvetica Neue", Arial, sans-serif; color: var(--ink);
  line-height: 1.45; font-size: 15px; max-width: 62rem; margin: 0 auto; padding: 1rem 1.5rem 4rem;
}
a { color: var(--accent); }
h1 { font-size: 2rem; line-height: 1.2; margin: .3rem 0 1rem; }
h2 { font-size: 1.45rem; margin: 2.2rem 0 .6rem; border-bottom: 2px solid var(--accent);
     padding-bottom: .2rem; }
h3 { font-size: 1.1rem; margin: 1.8rem 0 .4rem; }
.title-page { padding: 1.5rem 0 1rem; border-bottom: 1px solid var(--line); }
.kicker { color: var(--accent); font-weight: bold; text-transform: uppercase; letter-spacing: .04em;
          font-size: .85rem; margin: 0; }
.facts { display: grid; grid-template-columns: repeat(auto-fit, minmax(11rem, 1fr)); gap: .5rem 1.5rem;
         margin: 1rem 0; }
.facts div { border-left: 3px solid var(--accent); padding-left: .6rem; }
.facts dt { font-size: .8rem; color: var(--muted); }
.facts dd { margin: 0; font-weight: bold; }
.source { font-size: .8rem; color: var(--muted); }
.toc ol { list-style: none; padding-left: 0; margin: 0; }
.toc ol ol { padding-left: 1.6rem; font-size: .9rem; }
.toc-chapter { margin: .35rem 0; }
.toc-chapter > a { font-weight: bold; }
.findings ul { padding-left: 1.2rem; }
.findings li { margin: .3rem 0; }
.reading-guide { font-size: .85rem; color: var(--muted); }
table { border-collapse: collapse; width: 100%; margin: .6rem 0 .2rem; font-size: .85rem;
        font-variant-numeric: tabular-nums; }
caption { caption-side: top; text-align: left; font-weight: bold; padding: 0 0 .35rem; }
th, td { border-bottom: 1px solid var(--line); padding: .22rem .45rem; vertical-align: top;
         text-align: left; overflow-wrap: break-word; }
thead th { background: var(--head); border-bottom: 2px solid var(--ink); font-weight: bold; }
tbody th { font-weight: normal; }
.num { text-align: right; }
td.num, td.short { white-space: nowrap; }
table.split { table-layout: fixed; }
td.wide { min-width: 12rem; }
td.group-start, th.group-start { border-left: 2px solid var(--line); }
.table-wrap { overflow-x: auto; }
.table-notes p { font-size: .8rem; margin: .15rem 0; color: var(--muted); }
.table-notes .n { color: var(--ink); }
.missing { overflow-wrap: anywhere; }
figure.chart { margin: 1rem 0 1.2rem; }
figure.chart svg { display: block; width: 100%; height: auto; }
table.reflist { font-size: .8rem; }
table.reflist td:nth-child(3) { border-left: 2px solid var(--line); }
.applies { font-size: .85rem; color: var(--muted); }
figcaption { font-size: .82rem; color: var(--muted); margin-top: .3rem; }
.print-only { display: none; }

@media print {
  @page {
    size: A4; margin: 18mm 16mm 20mm 16mm;
    font-family: "DejaVu Sans", Arial, sans-serif;
    @top-right { content: string(doc-title); font-size: 7.5pt; color: #6b7280; }
    @bottom-center { content: "Side " counter(page) " av " counter(pages); font-size: 7.5pt;
                     color: #6b7280; }
  }
  @page portrait { size: A4 portrait; }
  @page landscape { size: A4 landscape; }
  .chapter, .analysis { page: portrait; }
  .chapter.wide-start, .analysis.wide { page: landscape; }
  table { table-layout: fixed; }
  @page :first { @top-right { content: none; } @bottom-center { content: none; } }
  body { max-width: none; margin: 0; padding: 0; font-size: 9.3pt; line-height: 1.4; }
  a { color: inherit; text-decoration: none; }
  h1 { font-size: 26pt; string-set: doc-title content(); }
  h2 { font-size: 15pt; margin-top: 0; }
  h3 { font-size: 11pt; margin-top: 14pt; }
  h2, h3, caption, .kicker { break-after: avoid; }
  .title-page { break-after: page; border: 0; padding-top: 75mm; }
  .facts { display: block; margin-top: 14mm; }
  .facts div { margin: 0 0 4mm; }
  .title-page .source { margin-top: 70mm; }
  .toc { break-after: page; }
  .toc a::after { content: leader(".") " " target-counter(attr(href), page); }
  .toc ol ol { font-size: 8.5pt; }
  .toc li { margin: 1.2pt 0; }
  .chapter { break-before: page; }
  table.reflist { font-size: 7.2pt; }
  td.wide { min-width: 0; }
  table { font-size: 7.6pt; margin-top: 4pt; }
  th, td { padding: 1.6pt 3.5pt; }
  thead { display: table-header-group; }
  tr, figure, .table-notes p { break-inside: avoid; }
  .table-notes { break-before: avoid; }
  figure.chart { break-inside: avoid; margin: 6pt 0 10pt; }
  figcaption { font-size: 7.8pt; }
  .table-notes p { font-size: 7.6pt; }
  .table-wrap { overflow: visible; }
  .screen-only { display: none; }
  .print-only { display: block; }
}
"""
