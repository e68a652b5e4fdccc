// The web console's upload in a real browser (Debian's chromium through
// puppeteer-core): on the dataset page, choose a month and a broken month
// file and press 上传并预览; the preview names the error at file:line:col
// with the offending cell marked, and offers nothing to confirm.
// Usage: node upload.mjs URL OUTDIR FILE — OUTDIR receives a screenshot of
// the preview. Fails (exit 1) on any of these not seen, a console error, a
// Content-Security-Policy violation or a request to anywhere else.
import path from "node:path";
import puppeteer from "puppeteer-core";

const [base, outdir, file] = process.argv.slice(2);
const origin = new URL(base).origin;
const problems = [];

const browser = await puppeteer.launch({
  executablePath: "/usr/bin/chromium",
  headless: true,
  args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"],
});
try {
  const page = await browser.newPage();
  await page.setViewport({ width: 1400, height: 1000 });
  page.on("console", (m) => { if (m.type() === "error") problems.push(`console: ${m.text()}`); });
  page.on("pageerror", (e) => problems.push(`page error: ${e.message}`));
  page.on("request", (r) => {
    if (!r.url().startsWith(origin) && !r.url().startsWith("data:")) problems.push(`request to ${r.url()}`);
  });
  await page.evaluateOnNewDocument(() => {
    document.addEventListener("securitypolicyviolation", (e) =>
      console.error(`CSP violation: ${e.violatedDirective} ${e.blockedURI}`));
  });

  await page.goto(base, { waitUntil: "load" });
  await page.select('form[action="/import"] select[name="month"]', "2013-09");
  const input = await page.$('form[action="/import"] input[type="file"]');
  await input.uploadFile(file);
  await Promise.all([page.waitForNavigation(), page.click('form[action="/import"] button[type="submit"]')]);
  await page.screenshot({ path: `${outdir}/import-preview.png`, fullPage: true });

  const title = await page.$eval("h1", (h) => h.textContent);
  if (!title.includes("导入预览：2013年9月")) problems.push(`preview title: ${title}`);
  const where = await page.$$eval("ul.diags li.error .where", (s) => s.map((e) => e.textContent));
  const expected = `${path.basename(file)}:3:4`;
  if (!where.includes(expected)) problems.push(`the error is not at ${expected}: ${JSON.stringify(where)}`);
  const marked = await page.$$eval("ul.diags li.error mark", (s) => s.map((e) => e.textContent));
  if (!marked.includes("12x")) problems.push(`the cell is not marked: ${JSON.stringify(marked)}`);
  if (await page.$('form[action$="/confirm"]')) problems.push("a broken file can be confirmed");
} finally {
  await browser.close();
}
if (problems.length) {
  console.error(problems.join("\n"));
  process.exit(1);
}
console.log("ok: a broken month file uploaded in chromium, its error seen at file:line:col with the cell marked, nothing to confirm");
