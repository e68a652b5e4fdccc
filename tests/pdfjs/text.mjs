// node text.mjs FILE.pdf: the text PDF.js extracts (pdfjs-dist's legacy
// build, which runs on Debian 12's Node 18), page after page, each page's
// items joined and ended by a form feed as pdftotext ends its pages.
// Whatever PDF.js warns about goes to stderr, and then the exit status is
// 2 — except that it cannot render here: the optional `canvas` package is
// not installed (npm ci --omit=optional), and text extraction needs none.
import { readFileSync } from "node:fs";

const environment = /^Warning: Cannot polyfill `(DOMMatrix|Path2D)`/;
let warned = false;
const log = console.log;
console.log = (...args) => { // PDF.js reports through console.log
  if (environment.test(String(args[0])))
    return;
  warned = true;
  console.error(...args);
};
const { getDocument, VerbosityLevel } = await import("pdfjs-dist/legacy/build/pdf.mjs");

const data = new Uint8Array(readFileSync(process.argv[2]));
const doc = await getDocument({ data, verbosity: VerbosityLevel.WARNINGS, disableFontFace: true,
                                useSystemFonts: false, isEvalSupported: false }).promise;
let out = "";
for (let p = 1; p <= doc.numPages; p++) {
  const page = await doc.getPage(p);
  const content = await page.getTextContent();
  for (const item of content.items)
    out += item.str + (item.hasEOL ? "\n" : "");
  out += "\n\f";
}
process.stdout.write(out);
console.log = log;
process.exit(warned ? 2 : 0);
